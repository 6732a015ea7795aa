//! The run's outputs that gather every record: the CSV tables, one CSV per
//! document table, the comparison, the knowledge base, the HTML report and
//! the data package.
//! Written from the records on disk, one at a time, in the manifest's order.

use std::collections::HashSet;
use std::fs;
use std::path::Path;

use crate::record::ManifestEntry;
use crate::record::Record;

/// The knowledge base's file name in the output folder.
pub const KNOWLEDGE_BASE: &str = "plansjekk.sqlite";

/// Why an output could not be written.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error(transparent)]
    Io(#[from] std::io::Error),
    #[error(transparent)]
    Kb(#[from] super::sqlite::KbError),
    #[error("record {path}: {source}")]
    Record {
        path: String,
        source: serde_json::Error,
    },
    #[error("{0}")]
    Manifest(String),
    #[error("record {path}: {why}")]
    Unfit { path: String, why: String },
}

impl From<OutputError> for std::io::Error {
    fn from(e: OutputError) -> Self {
        match e {
            OutputError::Io(e) => e,
            other => std::io::Error::other(other.to_string()),
        }
    }
}

/// Reads the records of a run's output folder, in its manifest's order, and
/// hands each to `each`.
pub fn for_each_record(
    out: &Path,
    mut each: impl FnMut(&Record),
) -> Result<crate::record::Manifest, OutputError> {
    let manifest = crate::record::Manifest::read(out).map_err(OutputError::Manifest)?;
    for e in manifest.documents.iter().filter(|e| e.status == "ok") {
        each(&read_record(out, &e.id)?);
    }
    Ok(manifest)
}

/// The record of document `id` in an output folder, checked before any of
/// it names a file: a regular file, of this schema version, about `id`,
/// its tables' ids valid.
fn read_record(out: &Path, id: &str) -> Result<Record, OutputError> {
    let path = out.join("documents").join(format!("{id}.json"));
    let unfit = |why: String| OutputError::Unfit {
        path: path.display().to_string(),
        why,
    };
    if !fs::symlink_metadata(&path)?.is_file() {
        return Err(unfit("not a regular file".into()));
    }
    let rec: Record =
        serde_json::from_slice(&fs::read(&path)?).map_err(|source| OutputError::Record {
            path: path.display().to_string(),
            source,
        })?;
    if rec.schema_version != crate::record::SCHEMA_VERSION {
        return Err(unfit(format!(
            "schema version {:?}, this plansjekk reads {}",
            rec.schema_version,
            crate::record::SCHEMA_VERSION
        )));
    }
    if rec.id != id {
        return Err(unfit(format!("its id is {:?}, not {id:?}", rec.id)));
    }
    if let Some(t) = rec.tables.iter().find(|t| !crate::record::valid_id(&t.id)) {
        return Err(unfit(format!(
            "{:?} is not a table id plansjekk writes",
            t.id
        )));
    }
    Ok(rec)
}

/// Links (or copies) every output of the previous run but the records and
/// the manifest into `stage`: a run that changed nothing.
/// Links are never followed (the folder was checked to hold only plansjekk's
/// files, and one that appeared since is left out); the previous folder is
/// removed when the run commits, so the hard links outlive nothing.
pub fn link_previous(previous: &Path, stage: &Path) -> std::io::Result<()> {
    for e in fs::read_dir(previous)? {
        let e = e?;
        let name = e.file_name();
        // A journal or write-ahead log beside the knowledge base belongs to
        // a writer in progress, not to the outputs.
        let sqlite_side = name
            .to_string_lossy()
            .starts_with(&format!("{KNOWLEDGE_BASE}-"));
        if name == "documents"
            || name == "manifest.json"
            || name == super::folder::MARKER
            || sqlite_side
        {
            continue;
        }
        link_tree(&e.path(), e.file_type()?, &stage.join(&name))?;
    }
    Ok(())
}

fn link_tree(from: &Path, kind: fs::FileType, to: &Path) -> std::io::Result<()> {
    if kind.is_dir() {
        fs::create_dir_all(to)?;
        for e in fs::read_dir(from)? {
            let e = e?;
            link_tree(&e.path(), e.file_type()?, &to.join(e.file_name()))?;
        }
        Ok(())
    } else if kind.is_file() {
        fs::hard_link(from, to).or_else(|_| fs::copy(from, to).map(|_| ()))
    } else {
        Ok(())
    }
}

/// What the previous run wrote that a re-run keeps for the documents that
/// did not change: their rows of the CSV tables and of the comparison, their
/// table files and their report pages. A document is kept whole or read
/// from its record, never half of each.
struct Kept {
    tables: super::csv::PreviousTables,
    comparison: super::compare::PreviousRows,
    files: super::csv::PreviousTableFiles,
    pages: std::path::PathBuf,
}

impl Kept {
    fn read(previous: &Path) -> Kept {
        Kept {
            tables: super::csv::PreviousTables::read(previous),
            comparison: super::compare::PreviousRows::read(&previous.join("comparison.csv")),
            files: super::csv::PreviousTableFiles::read(&previous.join("tables")),
            pages: previous.join(super::report::PAGES),
        }
    }

    fn has(&self, id: &str) -> bool {
        self.tables.has(id)
            && self.comparison.has(id)
            && fs::symlink_metadata(self.pages.join(format!("{id}.html")))
                .is_ok_and(|m| m.is_file())
    }
}

/// The outputs that gather every document, open while they are written.
struct Gathered {
    tables: super::csv::Tables,
    report: super::report::Report,
    comparison: super::compare::Comparison,
    table_dir: std::path::PathBuf,
}

impl Gathered {
    fn add(&mut self, rec: &Record, review: &crate::review::Review) -> Result<(), OutputError> {
        self.tables.add(rec, review)?;
        super::csv::write_table_files(&self.table_dir, rec)?;
        self.report.add(rec)?;
        self.comparison.add(rec);
        Ok(())
    }

    /// Keeps an unchanged document's rows, files and page; false when the
    /// previous run's outputs do not hold them all.
    fn keep(
        &mut self,
        kept: &mut Kept,
        kb: &super::sqlite::KnowledgeBase,
        e: &ManifestEntry,
    ) -> Result<bool, OutputError> {
        if !kept.has(&e.id) {
            return Ok(false);
        }
        let actors = kb.actors(&e.id)?;
        let all = self.tables.keep(&mut kept.tables, &e.id, &actors)?
            && self.comparison.keep(&mut kept.comparison, &e.id)
            && self.report.keep(&kept.pages, e)?;
        if !all {
            return Err(OutputError::Unfit {
                path: e.id.clone(),
                why: "the previous run's outputs changed while they were read".into(),
            });
        }
        kept.files.keep(&e.id, &self.table_dir)?;
        Ok(true)
    }
}

/// Writes the gathered outputs for `documents` into `stage`. The knowledge
/// base is the previous one (when `reuse_kb`) with only the `changed`
/// documents replaced and the ones no longer in the run removed; its
/// full-text index holds `index`. With `keep` (the previous outputs were
/// written for the same review), the other outputs keep what the previous
/// run wrote for the unchanged documents instead of reading their records
/// again, so that a re-run costs what changed.
#[allow(clippy::too_many_arguments)]
pub fn write(
    stage: &Path,
    previous: &Path,
    documents: &[ManifestEntry],
    changed: &[String],
    reuse_kb: bool,
    keep: bool,
    review: &crate::review::Review,
    index: super::sqlite::TextIndex,
) -> Result<(), OutputError> {
    let kb_path = stage.join(KNOWLEDGE_BASE);
    let old_kb = previous.join(KNOWLEDGE_BASE);
    let incremental = reuse_kb && old_kb.is_file();
    if incremental {
        super::sqlite::copy(&old_kb, &kb_path)?;
    }
    let mut kb = super::sqlite::KnowledgeBase::open(&kb_path, index)?;
    let changed: HashSet<&str> = changed.iter().map(String::as_str).collect();
    let now: HashSet<&str> = documents
        .iter()
        .filter(|d| d.status != "skipped")
        .map(|d| d.id.as_str())
        .collect();
    if incremental {
        for id in kb.ids()? {
            if !now.contains(id.as_str()) {
                kb.remove(&id)?;
            }
        }
    }
    let table_dir = stage.join("tables");
    fs::create_dir_all(&table_dir)?;
    let mut out = Gathered {
        tables: super::csv::Tables::create(stage)?,
        report: super::report::Report::create(&stage.join("report.html"))?.with_review(review),
        comparison: super::compare::Comparison::new(),
        table_dir,
    };
    let mut kept = (keep && incremental).then(|| Kept::read(previous));
    for e in documents.iter().filter(|e| e.status != "skipped") {
        let put = !incremental || changed.contains(e.id.as_str());
        if e.status != "ok" {
            let (class, message) = e
                .error
                .as_ref()
                .map_or(("unknown", ""), |x| (x.class.as_str(), x.message.as_str()));
            out.report.add_failed(&e.id, &e.path, class, message)?;
            if put {
                kb.put_failed(&super::sqlite::Failed {
                    id: &e.id,
                    path: &e.path,
                    sha256: e.sha256.as_deref(),
                    bytes: e.bytes,
                    class,
                    message,
                })?;
            }
            continue;
        }
        if !put {
            if let Some(k) = kept.as_mut() {
                if out.keep(k, &kb, e)? {
                    continue;
                }
            }
        }
        let rec = read_record(stage, &e.id)?;
        out.add(&rec, review)?;
        if put {
            kb.put(&rec)?;
        }
    }
    out.tables.finish()?;
    out.report.finish()?;
    let header = out.comparison.header();
    out.comparison.finish(&stage.join("comparison.csv"))?;
    super::json::write_json(
        &stage.join("datapackage.json"),
        &super::datapackage::descriptor(&header),
    )?;
    kb.finish()?;
    Ok(())
}

/// How many findings the end of a run shows.
const TOP_FINDINGS: usize = 5;

/// What the end of a run prints: where each output went, and the first
/// findings to read (errors before warnings, in the run's order), from
/// `findings.csv`.
pub fn guide(out: &Path, manifest: &crate::record::Manifest) -> String {
    let d = super::terminal::escape(&out.display().to_string()).into_owned();
    let mut s = format!(
        "outputs in {d}/:\n  \
         report.html       the report, to read in a browser\n  \
         plansjekk.sqlite  the knowledge base: sqlite3 {d}/{KNOWLEDGE_BASE}, or plansjekk search WORDS --out {d}\n  \
         *.csv             documents, goals, measures, amounts, actors, findings, comparison; datapackage.json describes them\n  \
         tables/           every table of every document as a CSV\n  \
         documents/        one JSON record per document; manifest.json lists every input\n"
    );
    let Ok(mut reader) = ::csv::Reader::from_path(out.join("findings.csv")) else {
        return s;
    };
    let header = reader.headers().cloned().unwrap_or_default();
    let status = header.iter().position(|h| h == "status");
    // With a baseline or waivers, only what is new.
    let mut findings: Vec<(bool, String)> = reader
        .records()
        .flatten()
        .filter(|r| status.is_none_or(|i| r.get(i) == Some("new")))
        .map(|r| {
            // What a document says reaches a terminal: escaped.
            let get = |i: usize| super::terminal::escape(r.get(i).unwrap_or("")).into_owned();
            let col = |name: &str| {
                header
                    .iter()
                    .position(|h| h == name)
                    .map_or_else(String::new, &get)
            };
            // The place in the file itself where there is one, as `check`
            // prints it.
            let place = match (
                col("page"),
                col("source_line"),
                col("source_paragraph"),
                col("source_column"),
            ) {
                (p, l, _, c) if !p.is_empty() && !l.is_empty() => {
                    format!("page {p}, line {l}, column {c}")
                }
                (p, _, _, _) if !p.is_empty() => format!("page {p}, text line {}", col("line")),
                (_, l, _, c) if !l.is_empty() => format!("line {l}, column {c}"),
                (_, _, q, c) if !q.is_empty() => format!("paragraph {q}, column {c}"),
                _ => format!("text line {}", col("line")),
            };
            (
                col("severity") != "error",
                format!(
                    "  {:<7} {} ({place}): {} [{}]\n",
                    col("severity"),
                    col("document"),
                    col("message"),
                    col("rule")
                ),
            )
        })
        .collect();
    if findings.is_empty() {
        return s;
    }
    // Stable: errors first, each in the run's order.
    findings.sort_by_key(|(warning, _)| *warning);
    s.push_str(&format!(
        "first {}findings (of {}; all in findings.csv and report.html):\n",
        if status.is_some() && findings.len() < manifest.summary.findings {
            "new "
        } else {
            ""
        },
        manifest.summary.findings
    ));
    for (_, line) in findings.into_iter().take(TOP_FINDINGS) {
        s.push_str(&line);
    }
    s
}

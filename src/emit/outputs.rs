//! The run's outputs that gather every record: the CSV tables, one CSV per
//! document table, the comparison, the knowledge base, the HTML report and
//! the data package.
//! Written one document at a time, in the manifest's order ([`Writer`]):
//! as a run reads them, or from the records on disk.

use std::collections::{BTreeSet, HashSet};
use std::fs;
use std::path::Path;

use super::folder::link_or_copy;

use crate::record::Record;
use crate::record::{DocStatus, ManifestEntry};

/// The knowledge base's file name in the output folder.
pub const KNOWLEDGE_BASE: &str = "plansjekk.sqlite";

/// The folder of the staging folder that holds the running text of the
/// documents a run read, one JSON file per document, until the knowledge
/// base has it: records on disk do not carry it (its home is the knowledge
/// base), and the knowledge base is written after all documents are read.
/// Never among the outputs: [`write`] removes it.
pub const TEXT_SPOOL: &str = ".text";

/// A document's running text as [`spool_text`] keeps it.
pub fn spooled_text(text: &[crate::record::TextRec]) -> Vec<u8> {
    serde_json::to_vec(text).expect("text serialises")
}

/// Keeps document `id`'s running text (`spooled`, from [`spooled_text`])
/// in the staging folder `stage` for the knowledge base. Not synced: the
/// staging folder is thrown away whole if the run does not finish.
pub fn spool_text(stage: &Path, id: &str, spooled: &[u8]) -> std::io::Result<()> {
    let dir = stage.join(TEXT_SPOOL);
    fs::create_dir_all(&dir)?;
    fs::write(dir.join(format!("{id}.json")), spooled)
}

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

impl From<super::csv::FinishError> for OutputError {
    fn from(e: super::csv::FinishError) -> Self {
        match e {
            super::csv::FinishError::Io(e) => OutputError::Io(e),
            super::csv::FinishError::Kb(e) => OutputError::Kb(e),
        }
    }
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
    for e in manifest
        .documents
        .iter()
        .filter(|e| e.status == DocStatus::Ok)
    {
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

/// Links document `id`'s record of the previous run (in `previous`) into
/// `docs_dir`, unless it is there already (copied with `--keep`).
pub fn link_record(previous: &Path, docs_dir: &Path, id: &str) -> std::io::Result<()> {
    let name = format!("{id}.json");
    let to = docs_dir.join(&name);
    if fs::symlink_metadata(&to).is_ok() {
        return Ok(());
    }
    link_or_copy(&previous.join("documents").join(&name), &to)
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
        link_or_copy(from, to)
    } else {
        Ok(())
    }
}

/// What the previous run wrote that a re-run keeps for the documents that
/// did not change: their rows of the CSV tables and of the comparison, their
/// table files and their report pages. A document is kept whole or read
/// from its record, never half of each.
struct Kept {
    /// The previous output folder.
    dir: std::path::PathBuf,
    tables: super::csv::PreviousTables,
    comparison: super::compare::PreviousRows,
    files: super::csv::PreviousTableFiles,
    /// The previous folder's files: pages are looked up in its marker's
    /// list when it holds it all (see [`Writer::carrying`]).
    present: super::folder::PreviousFiles,
}

impl Kept {
    fn read(previous: &Path) -> Kept {
        let index = super::rows::RowIndex::read(previous).map(|i| i.locate());
        Kept {
            dir: previous.to_path_buf(),
            tables: super::csv::PreviousTables::read(previous, index.as_ref()),
            comparison: super::compare::PreviousRows::read(
                &previous.join("comparison.csv"),
                index.as_ref(),
            ),
            files: super::csv::PreviousTableFiles::read(&previous.join("tables")),
            present: super::folder::PreviousFiles::at(previous),
        }
    }

    fn has(&self, id: &str) -> bool {
        self.tables.has(id)
            && self.comparison.has(id)
            && self
                .present
                .holds_file(&format!("{}/{id}.html", super::report::PAGES))
    }
}

/// A document's own files among the outputs (its report page, its tables'
/// CSVs), written by [`prepare`] where it was read, before the [`Writer`]
/// takes it: on the reading threads, so that the writer, which takes the
/// documents one at a time, only gathers.
pub struct Prepared {
    page: super::report::Page,
}

/// Writes document `rec`'s own files into the staging folder `stage`, its
/// findings marked by `review` (see [`Prepared`]).
pub fn prepare(
    stage: &Path,
    rec: &Record,
    review: &crate::review::Review,
) -> Result<Prepared, OutputError> {
    let tables = stage.join("tables");
    let pages = stage.join(super::report::PAGES);
    for dir in [&tables, &pages] {
        fs::create_dir_all(dir)?;
    }
    super::csv::write_table_files(&tables, rec)?;
    let page = super::report::write_page(&pages, rec, review)?;
    Ok(Prepared { page })
}

/// The outputs that gather every document, open while they are written.
struct Gathered {
    tables: super::csv::Tables,
    report: super::report::Report,
    comparison: super::compare::Comparison,
    table_dir: std::path::PathBuf,
}

impl Gathered {
    /// Adds a document read from its record; its own files are written
    /// here unless [`prepare`] wrote them (`prepared`).
    fn add(
        &mut self,
        rec: &Record,
        review: &crate::review::Review,
        prepared: Option<Prepared>,
    ) -> Result<(), OutputError> {
        self.tables.add(rec, review)?;
        match prepared {
            Some(p) => self.report.add_page(p.page),
            None => {
                super::csv::write_table_files(&self.table_dir, rec)?;
                self.report.add(rec)?;
            }
        }
        self.comparison.add(rec);
        Ok(())
    }

    /// Keeps an unchanged document's rows, files and page; false when the
    /// previous run's outputs do not hold them all. Its files (record, page,
    /// tables) are linked into staging, or, when `carry` is given, listed
    /// there for the output folder to carry over (see
    /// [`super::folder::OutputFolder::commit_carrying`]).
    fn keep(
        &mut self,
        kept: &mut Kept,
        e: &ManifestEntry,
        carry: Option<&mut BTreeSet<String>>,
    ) -> Result<bool, OutputError> {
        if !kept.has(&e.id) {
            return Ok(false);
        }
        let all = self.tables.keep(&kept.tables, &e.id)?
            && self.comparison.keep(&mut kept.comparison, &e.id);
        if !all {
            return Err(OutputError::Unfit {
                path: e.id.clone(),
                why: "the previous run's outputs changed while they were read".into(),
            });
        }
        // Its page was found (`Kept::has`).
        self.report.keep(e);
        let page = format!("{}/{}.html", super::report::PAGES, e.id);
        match carry {
            Some(carry) => {
                carry.insert(format!("documents/{}.json", e.id));
                carry.insert(page);
                for name in kept.files.names(&e.id) {
                    carry.insert(format!("tables/{}", name.to_string_lossy()));
                }
            }
            None => {
                let stage = self.table_dir.parent().unwrap_or(Path::new("."));
                link_or_copy(&kept.dir.join(&page), &stage.join(&page))?;
                kept.files.keep(&e.id, &self.table_dir)?;
            }
        }
        Ok(true)
    }
}

/// The knowledge base a run writes: the previous run's, updated where it
/// is, or a new one in the staging folder.
struct OpenKb {
    kb: super::sqlite::KnowledgeBase,
    /// Where the previous one is, when it is updated in place.
    in_place: Option<std::path::PathBuf>,
    /// What it held of each document before this run: id, sha256, status.
    held: super::sqlite::States,
}

impl OpenKb {
    /// The previous knowledge base in `previous` (when `reuse_kb` and it has
    /// this build's layout and `index`), else a new one in `stage`. One that
    /// cannot be read as a database is written anew, not repaired; one in
    /// use by another process is an error, not a reason to drop it.
    fn open(
        stage: &Path,
        previous: &Path,
        reuse_kb: bool,
        index: super::sqlite::TextIndex,
    ) -> Result<OpenKb, OutputError> {
        use super::sqlite::{KbError, KnowledgeBase};
        let old = previous.join(KNOWLEDGE_BASE);
        let regular = fs::symlink_metadata(&old).is_ok_and(|m| m.is_file());
        if reuse_kb && regular {
            let opened = KnowledgeBase::open_in_place(&old, index)
                .and_then(|kb| kb.map(|kb| kb.states().map(|held| (kb, held))).transpose());
            match opened {
                Ok(Some((kb, held))) => {
                    return Ok(OpenKb {
                        kb,
                        in_place: Some(old),
                        held,
                    })
                }
                Err(e @ KbError::Busy { .. }) => return Err(e.into()),
                Ok(None) | Err(_) => {}
            }
        }
        Ok(OpenKb {
            kb: KnowledgeBase::open(&stage.join(KNOWLEDGE_BASE), index)?,
            in_place: None,
            held: Default::default(),
        })
    }

    /// Whether document `e`'s rows are to be written: always in a new
    /// knowledge base; in the previous one, when it was read anew
    /// (`changed`) or what the knowledge base holds of it is not the
    /// manifest's version (a run that failed after updating it in place).
    fn put(&self, e: &ManifestEntry, changed: bool) -> bool {
        self.in_place.is_none() || changed || !holds(&self.held, e)
    }

    /// Removes the documents no longer in the run (`now` the ids it has).
    fn remove_gone(&mut self, now: &HashSet<&str>) -> Result<(), OutputError> {
        let mut gone: Vec<&String> = self
            .held
            .keys()
            .filter(|id| !now.contains(id.as_str()))
            .collect();
        gone.sort();
        for id in gone {
            self.kb.remove(id)?;
        }
        Ok(())
    }

    /// Commits and closes it; one updated in place is linked into `stage`
    /// (copied where the file system has no hard links), so the new output
    /// folder holds it when it is swapped in, and the previous folder keeps
    /// it until then.
    fn finish(self, stage: &Path) -> Result<(), OutputError> {
        self.kb.finish()?;
        if let Some(old) = self.in_place {
            let to = stage.join(KNOWLEDGE_BASE);
            if fs::hard_link(&old, &to).is_err() {
                super::sqlite::copy(&old, &to)?;
            }
        }
        Ok(())
    }
}

/// The running text of document `id` for the knowledge base: what the run
/// spooled when it read the document, else what the knowledge base being
/// updated holds of it, else what `sources` hold (a merge's shards).
fn text_of(
    stage: &Path,
    id: &str,
    kb: &OpenKb,
    sources: &super::sqlite::TextSources,
) -> Result<Vec<crate::record::TextRec>, OutputError> {
    let spooled = stage.join(TEXT_SPOOL).join(format!("{id}.json"));
    match fs::read(&spooled) {
        Ok(bytes) => {
            return serde_json::from_slice(&bytes).map_err(|source| OutputError::Record {
                path: spooled.display().to_string(),
                source,
            })
        }
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e.into()),
        Err(_) => {}
    }
    if kb.in_place.is_some() {
        if let Some(text) = kb.kb.text(id)? {
            return Ok(text);
        }
    }
    Ok(sources.text(id)?.unwrap_or_default())
}

/// Writes the gathered outputs for `documents` into `stage`, every
/// document's record read from `stage`'s `documents/` (see [`Writer`]).
/// `changed` are the documents read anew.
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
    texts: &[std::path::PathBuf],
) -> Result<(), OutputError> {
    let changed: HashSet<&str> = changed.iter().map(String::as_str).collect();
    let now = documents
        .iter()
        .filter(|d| d.status != DocStatus::Skipped)
        .map(|d| d.id.as_str());
    let mut w = Writer::open(stage, previous, now, reuse_kb, keep, review, index, texts)?;
    for e in documents.iter().filter(|e| e.status != DocStatus::Skipped) {
        w.add(e, changed.contains(e.id.as_str()), None, None)?;
    }
    w.finish().map(|_| ())
}

/// The gathered outputs (CSV tables, table files, comparison, knowledge
/// base, report), open while the documents arrive, one at a time, in the
/// manifest's order: a run hands each document over as soon as it is read
/// (and those before it are), so that writing goes on beside reading and no
/// record is read back from disk.
///
/// The knowledge base is the previous one (when `reuse_kb`) updated in
/// place, only the documents read anew (and any whose rows it holds are not
/// of the manifest's version) replaced and the ones no longer in the run
/// removed; else a new one whose full-text index holds `index`. With `keep`
/// (the previous outputs were written for the same review), the other
/// outputs keep what the previous run wrote for the unchanged documents
/// instead of reading their records again, so that a re-run costs what
/// changed. A document's running text comes with its record, else from the
/// run's spool (see [`TEXT_SPOOL`]), else from the knowledge bases `texts`
/// (the shards' of a merge, the previous run's).
pub struct Writer {
    stage: std::path::PathBuf,
    kb: OpenKb,
    sources: super::sqlite::TextSources,
    out: Gathered,
    kept: Option<Kept>,
    review: crate::review::Review,
    /// The previous output folder.
    previous: std::path::PathBuf,
    /// The previous run's files kept for unchanged documents, to be carried
    /// over by the output folder rather than linked into staging (see
    /// [`Writer::carrying`]).
    carry: Option<BTreeSet<String>>,
}

impl Writer {
    /// Opens the outputs in `stage`; `now` are the ids of every document
    /// the run will hand over (the knowledge base forgets the others).
    #[allow(clippy::too_many_arguments)]
    pub fn open<'a>(
        stage: &Path,
        previous: &Path,
        now: impl IntoIterator<Item = &'a str>,
        reuse_kb: bool,
        keep: bool,
        review: &crate::review::Review,
        index: super::sqlite::TextIndex,
        texts: &[std::path::PathBuf],
    ) -> Result<Writer, OutputError> {
        let mut kb = OpenKb::open(stage, previous, reuse_kb, index)?;
        let sources = super::sqlite::TextSources::open(
            &texts
                .iter()
                .filter(|p| Some(*p) != kb.in_place.as_ref())
                .cloned()
                .collect::<Vec<_>>(),
        );
        kb.remove_gone(&now.into_iter().collect())?;
        let table_dir = stage.join("tables");
        fs::create_dir_all(&table_dir)?;
        let out = Gathered {
            tables: super::csv::Tables::create(stage)?,
            report: super::report::Report::create(&stage.join("report.html"))?.with_review(review),
            comparison: super::compare::Comparison::new(),
            table_dir,
        };
        let kept = (keep && kb.in_place.is_some()).then(|| Kept::read(previous));
        Ok(Writer {
            stage: stage.to_path_buf(),
            kb,
            sources,
            out,
            kept,
            review: review.clone(),
            previous: previous.to_path_buf(),
            carry: None,
        })
    }

    /// Has the previous run's files of unchanged documents (records, report
    /// pages, table files) listed, not linked into staging: [`Writer::finish`]
    /// returns them for [`super::folder::OutputFolder::commit_carrying`], and
    /// a record the writer reads from staging is linked there first.
    /// `present` are the previous folder's files (see
    /// [`super::folder::OutputFolder::present`]).
    pub fn carrying(mut self, present: super::folder::PreviousFiles) -> Writer {
        self.carry = Some(BTreeSet::new());
        if let Some(k) = self.kept.as_mut() {
            k.present = present;
        }
        self
    }

    /// Adds document `e` (never a skipped file): `fresh` when the run read
    /// it anew, with its `record` and running text when the run still holds
    /// them, else its record is read from the staging folder; `prepared`
    /// when its own files are written already.
    pub fn add(
        &mut self,
        e: &ManifestEntry,
        fresh: bool,
        record: Option<Record>,
        prepared: Option<Prepared>,
    ) -> Result<(), OutputError> {
        let put = self.kb.put(e, fresh);
        if e.status != DocStatus::Ok {
            let (class, message) = e
                .error
                .as_ref()
                .map_or(("unknown", ""), |x| (x.class.as_str(), x.message.as_str()));
            self.out.report.add_failed(&e.id, &e.path, class, message)?;
            if put {
                self.kb.kb.put_failed(&super::sqlite::Failed {
                    id: &e.id,
                    path: &e.path,
                    sha256: e.sha256.as_deref(),
                    bytes: e.bytes,
                    class,
                    message,
                })?;
            }
            return Ok(());
        }
        if !put {
            if let Some(k) = self.kept.as_mut() {
                if self.out.keep(k, e, self.carry.as_mut())? {
                    return Ok(());
                }
            }
        }
        let (mut rec, text) = match record {
            Some(mut rec) => {
                let text = std::mem::take(&mut rec.text);
                (rec, Some(text))
            }
            None => {
                if self.carry.is_some() {
                    // Not linked when it was reused: it may be kept.
                    link_record(&self.previous, &self.stage.join("documents"), &e.id)?;
                }
                (read_record(&self.stage, &e.id)?, None)
            }
        };
        // The outputs but the knowledge base are made from the record as
        // it is on disk: without its running text.
        self.out.add(&rec, &self.review, prepared)?;
        if put {
            rec.text = match text {
                Some(text) => text,
                None => text_of(&self.stage, &e.id, &self.kb, &self.sources)?,
            };
            self.kb.kb.put(&rec)?;
        }
        Ok(())
    }

    /// Writes the index pages and the files that gather every document,
    /// commits the knowledge base, and drops the text spool. Returns the
    /// previous run's files to carry over (none unless [`Writer::carrying`]).
    pub fn finish(self) -> Result<BTreeSet<String>, OutputError> {
        let Writer {
            stage,
            kb,
            sources,
            out,
            carry,
            ..
        } = self;
        drop(sources);
        match fs::remove_dir_all(stage.join(TEXT_SPOOL)) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e.into()),
            _ => {}
        }
        let written = out.tables.finish(&kb.kb)?;
        out.report.finish()?;
        let header = out.comparison.header();
        let compared = out.comparison.finish(&stage.join("comparison.csv"))?;
        row_index(written, compared).write(&stage)?;
        super::json::write_json(
            &stage.join("datapackage.json"),
            &super::datapackage::descriptor(&header),
        )?;
        kb.finish(&stage)?;
        Ok(carry.unwrap_or_default())
    }
}

/// The row index of the tables written: the five row tables' documents
/// and the comparison's rows are the same documents, in the same order.
fn row_index(
    written: super::csv::Written,
    compared: super::compare::Written,
) -> super::rows::RowIndex {
    use super::rows::{DocumentRows, RowIndex, TABLES};
    let mut headers = [0; TABLES];
    headers[..5].copy_from_slice(&written.headers);
    headers[super::rows::COMPARISON] = compared.header;
    if written.documents.len() != compared.rows.len() {
        // Not the same documents: no index (the next run parses).
        return RowIndex {
            headers,
            documents: Vec::new(),
        };
    }
    let documents = written
        .documents
        .into_iter()
        .zip(compared.rows)
        .map(|((id, rows), (row, years))| {
            let mut lengths = [0; TABLES];
            lengths[..5].copy_from_slice(&rows);
            lengths[super::rows::COMPARISON] = row;
            DocumentRows { id, lengths, years }
        })
        .collect();
    RowIndex { headers, documents }
}

/// Whether the knowledge base's rows of document `e` (`held`, as
/// [`super::sqlite::states_of`] reads them) are of the manifest's version:
/// the same sha256, and read or failed alike.
pub fn holds(held: &super::sqlite::States, e: &ManifestEntry) -> bool {
    held.get(&e.id).is_some_and(|(sha, status)| {
        sha == &e.sha256 && (status == "ok") == (e.status == DocStatus::Ok)
    })
}

/// Whether the knowledge base, whose rows are `held`, holds each of
/// `documents` as the manifest lists it and no other: a run that failed
/// after updating it in place leaves it otherwise, and a re-run that
/// changed nothing must then still put it right, not keep it.
pub fn knowledge_base_matches(held: &super::sqlite::States, documents: &[ManifestEntry]) -> bool {
    let listed: Vec<&ManifestEntry> = documents
        .iter()
        .filter(|e| e.status != DocStatus::Skipped)
        .collect();
    listed.len() == held.len() && listed.iter().all(|e| holds(held, e))
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
    // Without a baseline or waivers every finding is new: the first errors
    // are found without reading the rest to count them.
    let all_new = manifest.review.is_empty();
    // With a baseline or waivers, only what is new.
    let lines = reader
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
                // A spreadsheet's place is its cell ("Budsjett!B10").
                _ if !col("cell").is_empty() => {
                    format!("{}, text line {}", col("cell"), col("line"))
                }
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
        });
    // Errors first, each in the run's order.
    let (mut errors, mut warnings, mut listed) = (Vec::new(), Vec::new(), 0);
    for (warning, line) in lines {
        listed += 1;
        let into = if warning { &mut warnings } else { &mut errors };
        if into.len() < TOP_FINDINGS {
            into.push(line);
        }
        // The first errors are found; the rest of a large findings.csv
        // is read only to count the new ones.
        if errors.len() == TOP_FINDINGS && (status.is_none() || all_new) {
            break;
        }
    }
    if listed == 0 {
        return s;
    }
    s.push_str(&format!(
        "first {}findings (of {}; all in findings.csv and report.html):\n",
        if status.is_some() && !all_new && listed < manifest.summary.findings {
            "new "
        } else {
            ""
        },
        manifest.summary.findings
    ));
    for line in errors.into_iter().chain(warnings).take(TOP_FINDINGS) {
        s.push_str(&line);
    }
    s
}

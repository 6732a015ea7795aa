//! Composes the stages and isolates one document's failure from the rest.
//!
//! [`process_bytes`] runs ingest → extract → record for one document in this
//! process, turning panics inside dependencies into a classified error. The batch
//! runner ([`run_batch`]) can instead run each document in a worker process with
//! a deadline ([`Isolation::Worker`]), as Apache Tika does: a hang or a crash in a
//! PDF parser then costs one document, never the batch.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::emit::json::{to_pretty, write_atomic, write_json};
use crate::emit::record::{self, Record, SCHEMA_VERSION};
use crate::extract::{self, Origin, Plan};
use crate::ingest::{self, IngestOptions};
use crate::model::{BlockKind, Document, Table};

/// Why one document failed, as the manifest reports it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocError {
    /// Stable class: empty, unknown-format, unsupported-format, encrypted,
    /// corrupt, too-large, no-text, io, panic, timeout, crashed.
    pub class: String,
    pub message: String,
}

impl DocError {
    pub(crate) fn new(class: &str, message: impl Into<String>) -> Self {
        DocError {
            class: class.to_string(),
            message: message.into(),
        }
    }
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// The sha256 of a file, read in pieces (memory stays small for any size).
fn sha256_file(path: &Path) -> std::io::Result<String> {
    use std::io::Read;
    let mut f = std::fs::File::open(path)?;
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = f.read(&mut buf)?;
        if n == 0 {
            break;
        }
        h.update(&buf[..n]);
    }
    Ok(h.finalize().iter().map(|b| format!("{b:02x}")).collect())
}

/// A readable, stable id from the file name: lower-case ASCII, dashes, with the
/// extension kept ("handlingsplan-2025-pdf").
pub fn slug(path: &Path) -> String {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "document".into());
    let mut out = String::new();
    for c in name.to_lowercase().chars() {
        let mapped = match c {
            'æ' => "ae".to_string(),
            'ø' => "o".to_string(),
            'å' => "a".to_string(),
            c if c.is_ascii_alphanumeric() => c.to_string(),
            _ => "-".to_string(),
        };
        out.push_str(&mapped);
    }
    let parts: Vec<&str> = out.split('-').filter(|p| !p.is_empty()).collect();
    let s = parts.join("-");
    if s.is_empty() {
        return "document".into();
    }
    // File systems allow 255 bytes a name: a very long one keeps its start and
    // a hash of the whole.
    if s.len() > 120 {
        let h = sha256_hex(s.as_bytes());
        return format!("{}-{}", s[..100].trim_end_matches('-'), &h[..8]);
    }
    s
}

/// True for an id as [`slug`] and [`assign_ids`] make them: lower-case ASCII
/// letters and digits in dash-separated runs, at most 128 bytes. Ids read
/// back from a manifest or a record name files, so anything else (`..`, `/`,
/// a NUL) is refused before it reaches a path.
pub fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 128
        && id.split('-').all(|part| {
            !part.is_empty()
                && part
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

/// A file named as a PDF or a Word document whose bytes are neither: the
/// format is sniffed from the content, but text is the sniffers' last resort,
/// and a damaged PDF ("oops", a bare cross-reference stream) is not a text
/// document. Any real format the bytes have is trusted over the name.
fn not_text_in_disguise(path: &str, bytes: &[u8]) -> Result<(), DocError> {
    let ext = Path::new(path)
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    let named = match ext.as_str() {
        "pdf" => "PDF",
        "docx" => "DOCX",
        _ => return Ok(()),
    };
    match ingest::sniff(bytes) {
        Ok(i) if i.format() == crate::model::Format::Text => {
            let head: String = String::from_utf8_lossy(&bytes[..bytes.len().min(24)])
                .chars()
                .map(|c| if c.is_control() { ' ' } else { c })
                .collect();
            Err(DocError::new(
                "corrupt",
                format!(
                    "the file is named .{ext} but is not a {named}: it starts with {:?}",
                    head.trim()
                ),
            ))
        }
        _ => Ok(()),
    }
}

/// A document that produces more than one document may (see
/// [`IngestOptions::max_amounts`]) fails with class `limit`.
pub(crate) fn over_limit(what: &str, n: usize, limit: usize) -> Result<(), DocError> {
    if n > limit {
        return Err(DocError::new(
            "limit",
            format!(
                "the document gives {n} {what}, over the limit of {limit} one document may produce"
            ),
        ));
    }
    Ok(())
}

/// Writes a document's record into the run's `documents/`, within the size
/// one record may have.
fn write_record(
    docs_dir: &Path,
    id: &str,
    rec: &Record,
    options: &IngestOptions,
) -> Result<(), DocError> {
    let json = to_pretty(rec);
    over_limit("bytes of record", json.len(), options.max_record_bytes)?;
    write_atomic(&docs_dir.join(format!("{id}.json")), json.as_bytes())
        .map_err(|e| DocError::new("io", format!("cannot write the record: {e}")))
}

/// Reads, extracts and builds the record of one document, in this process.
pub fn process_bytes(
    path: &str,
    id: &str,
    bytes: &[u8],
    options: &IngestOptions,
) -> Result<Record, DocError> {
    let result = catch_unwind(AssertUnwindSafe(|| {
        not_text_in_disguise(path, bytes)?;
        let doc =
            ingest::ingest(bytes, options).map_err(|e| DocError::new(e.class(), e.to_string()))?;
        let plan = extract::extract(&doc);
        let late = || DocError::new("timeout", "gave up at the per-document time limit");
        if options.late() {
            return Err(late());
        }
        over_limit("figures", plan.amounts.len(), options.max_amounts)?;
        let mut record = build_record(path, id, bytes, &doc, &plan);
        if options.late() {
            return Err(late());
        }
        over_limit("findings", record.findings.len(), options.max_findings)?;
        record::assign_finding_ids(id, &mut record.findings);
        Ok(record)
    }));
    match result {
        Ok(r) => r,
        Err(payload) => {
            let msg = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".into());
            Err(DocError::new(
                "panic",
                format!("internal error while reading the document: {msg}"),
            ))
        }
    }
}

fn build_record(path: &str, id: &str, bytes: &[u8], doc: &Document, plan: &Plan) -> Record {
    let goal_id = |i: usize| format!("g{}", i + 1);
    let measure_id = |i: usize| format!("m{}", i + 1);
    let actor_id = |i: usize| format!("p{}", i + 1);
    let amount_id = |i: usize| format!("a{}", i + 1);
    let table_id = |t: usize| format!("t{}", t + 1);
    let budget = |b: &Option<crate::extract::budget::Budget>| {
        use crate::extract::budget::BudgetSource;
        b.as_ref().map(|b| record::BudgetRec {
            nok: b.total.map(|t| t.as_nok_f64()),
            years: b
                .years
                .iter()
                .map(|&(year, v)| record::YearNok {
                    year,
                    nok: v.as_nok_f64(),
                })
                .collect(),
            source: match b.source {
                BudgetSource::Table { .. } => "table",
                BudgetSource::Prose => "text",
            }
            .to_string(),
            table: match b.source {
                BudgetSource::Table { table, .. } => Some(table_id(table)),
                BudgetSource::Prose => None,
            },
            row: match b.source {
                BudgetSource::Table { row, .. } => Some(row),
                BudgetSource::Prose => None,
            },
            amounts: b.amounts.iter().map(|&i| amount_id(i)).collect(),
        })
    };
    let amounts: Vec<record::AmountRec> = plan
        .amounts
        .iter()
        .enumerate()
        .map(|(i, a)| record::AmountRec {
            id: amount_id(i),
            nok: a.amount().as_nok_f64(),
            text: a.money.text.clone(),
            role: a.role.as_str().to_string(),
            year: a.year,
            source: a.source.clone(),
            goal: a.goal.map(goal_id),
            measure: a.measure.map(measure_id),
            origin: match a.origin {
                Origin::Cell { .. } => "table",
                Origin::Prose { .. } => "text",
            }
            .to_string(),
            cell: match a.origin {
                Origin::Cell { table, row, col } => {
                    Some(cell_rec(doc, crate::rules::CellRef { table, row, col }))
                }
                Origin::Prose { .. } => None,
            },
            repeats: plan
                .budgets
                .repeats
                .get(i)
                .copied()
                .flatten()
                .map(amount_id),
            span: a.span.into(),
        })
        .collect();
    let measures = plan
        .measures
        .iter()
        .enumerate()
        .map(|(i, m)| record::Measure {
            id: measure_id(i),
            goal: m.goal.map(goal_id),
            number: m.number.clone(),
            title: m.title.clone(),
            kind: m.kind.as_str().to_string(),
            status: m.status.as_ref().map(|s| s.text.clone()),
            progress: m.status.as_ref().map(|s| s.progress.as_str().to_string()),
            responsible: m.responsible.iter().map(|&a| actor_id(a)).collect(),
            partners: m.partners.iter().map(|&a| actor_id(a)).collect(),
            timeframe: m.timeframe.as_ref().map(|t| record::Timeframe {
                text: t.text.clone(),
                from: t.from.and_then(|d| d.first_day()),
                to: t.to.and_then(|d| d.last_day()),
            }),
            amounts: amounts
                .iter()
                .filter(|a| a.measure.as_deref() == Some(measure_id(i).as_str()))
                .map(|a| a.id.clone())
                .collect(),
            seen_in: m.seen_in.iter().map(|s| s.as_str().to_string()).collect(),
            themes: m.themes.iter().map(|t| t.as_str().to_string()).collect(),
            budget: budget(&plan.budgets.measures[i]),
            span: m.span.into(),
        })
        .collect();
    let tables = doc
        .tables()
        .zip(&plan.tables)
        .map(|((b, t), info)| {
            let (header, rows) = record_grid(t, &info.header, info.header_rows);
            record::TableRec {
                id: format!("t{}", info.index + 1),
                title: info.title.clone(),
                kind: info.kind.as_str().to_string(),
                header,
                rows,
                span: b.span.into(),
            }
        })
        .collect();
    Record {
        schema_version: SCHEMA_VERSION.to_string(),
        id: id.to_string(),
        source: record::Source {
            path: path.to_string(),
            sha256: sha256_hex(bytes),
            format: doc.format.as_str().to_string(),
            pages: doc.page_count,
            bytes: bytes.len() as u64,
            numbers: doc
                .digit_coverage()
                .map(|(on_pages, held)| record::NumberCoverage {
                    on_pages: on_pages as u64,
                    in_record: held as u64,
                    share: if on_pages == 0 {
                        1.0
                    } else {
                        (held.min(on_pages) as f64 / on_pages as f64 * 10_000.0).round() / 10_000.0
                    },
                }),
            warnings: doc
                .problems
                .iter()
                .map(|p| record::Warning {
                    page: p.page,
                    message: p.message.clone(),
                })
                .collect(),
        },
        kind: plan.kind.as_str().to_string(),
        language: plan.language.map(|l| l.code().to_string()),
        title: plan.title.clone(),
        date: plan.date.and_then(|d| d.iso()),
        period: plan.period.map(|(f, t)| record::Period {
            from: f.first_day(),
            to: t.last_day(),
        }),
        parties: plan.parties.iter().map(|&a| actor_id(a)).collect(),
        goals: plan
            .goals
            .iter()
            .enumerate()
            .map(|(i, g)| record::Goal {
                id: goal_id(i),
                number: g.number.clone(),
                title: g.title.clone(),
                kind: g.label.clone(),
                parent: g.parent.map(goal_id),
                text: g.text.clone(),
                budget: budget(&plan.budgets.goals[i]),
                span: g.span.into(),
            })
            .collect(),
        measures,
        actors: plan
            .actors
            .iter()
            .enumerate()
            .map(|(i, a)| record::Actor {
                id: actor_id(i),
                name: a.name.clone(),
                kind: a.kind.as_str().to_string(),
                variants: a.variants.clone(),
                mentions: a.mentions,
            })
            .collect(),
        amounts,
        tables,
        // Notices are kept in the record as built; the run's rule choices
        // leave them out unless asked for (`notices`).
        findings: crate::rules::check_with(doc, plan, true)
            .iter()
            .map(|f| record::Finding {
                id: String::new(),
                rule: f.rule.to_string(),
                severity: f.severity.as_str().to_string(),
                message: f.message.clone(),
                stated: f.stated.map(|v| v.as_f64()),
                computed: f.computed.map(|v| v.as_f64()),
                difference: f.difference().map(|v| v.as_f64()),
                locations: f
                    .locations
                    .iter()
                    .map(|l| {
                        let (text, range) = location_text(doc, l);
                        record::Location {
                            page: l.span.page,
                            line: l.span.line,
                            column: range
                                .as_ref()
                                .map(|r| text[..r.start].chars().count() as u32 + 1),
                            highlight: range.map(|r| text[r].to_string()),
                            text,
                            cell: l.cell.map(|c| cell_rec(doc, c)),
                            label: l.label.clone(),
                        }
                    })
                    .collect(),
                hint: f.hint.clone(),
                confidence: f.confidence.as_str().to_string(),
                reason: f.reason.clone(),
            })
            .collect(),
        text: doc
            .blocks()
            .filter_map(|b| {
                let kind = match &b.kind {
                    BlockKind::Heading { .. } => "heading",
                    BlockKind::Paragraph => "paragraph",
                    BlockKind::ListItem { .. } => "list-item",
                    BlockKind::Table(_) | BlockKind::Furniture => return None,
                };
                Some(record::TextRec {
                    kind: kind.to_string(),
                    span: b.span.into(),
                    text: b.text.clone(),
                })
            })
            .collect(),
    }
}

/// A table as the record gives it: the header, then the rows. Where the
/// header spans several rows (a group label such as "2005" over "Number" and
/// "Percent"), the record keeps each header row as printed — the first as
/// `header`, the others opening `rows` — so that no spanning header cell is
/// lost and the record's row numbers are the grid's (`CellRec::row`). The
/// merged per-column header (`merged`) is what the rules read.
fn record_grid(
    t: &Table,
    merged: &[String],
    header_rows: usize,
) -> (Vec<String>, Vec<Vec<String>>) {
    let rows = |from: usize| {
        t.rows[from..]
            .iter()
            .map(|r| r.texts().cloned().collect())
            .collect()
    };
    match header_rows {
        0 | 1 => (merged.to_vec(), rows(header_rows)),
        _ => (
            t.rows[0].texts().map(|c| c.trim().to_string()).collect(),
            rows(1),
        ),
    }
}

/// What a location shows (a table row with its cells, or the sentence at the
/// place) and where the located figure sits in it (bytes).
/// A finding's cell as the record names it: the table's id, the cell's place
/// in the grid, and for PDFs where it is drawn (to the hundredth of a point).
fn cell_rec(doc: &Document, c: crate::rules::CellRef) -> record::CellRec {
    let bbox = doc
        .tables()
        .nth(c.table)
        .and_then(|(_, t)| t.rows.get(c.row))
        .and_then(|r| r.cells.get(c.col))
        .and_then(|cell| cell.bbox)
        .map(|b| [b.x0, b.y0, b.x1, b.y1].map(|v| (f64::from(v) * 100.0).round() / 100.0));
    record::CellRec {
        table: format!("t{}", c.table + 1),
        row: c.row,
        column: c.col,
        bbox,
    }
}

fn location_text(
    doc: &Document,
    l: &crate::rules::Location,
) -> (String, Option<std::ops::Range<usize>>) {
    let line = doc
        .lines
        .get((l.span.line as usize).wrapping_sub(1))
        .map_or("", String::as_str);
    let range = l.range.clone().filter(|r| line.get(r.clone()).is_some());
    if line.contains('\t') {
        // Cells are trimmed and joined by " | "; the range moves with its cell.
        let (mut text, mut mapped, mut raw_start) = (String::new(), None, 0);
        for (i, cell) in line.split('\t').enumerate() {
            if i > 0 {
                text.push_str(" | ");
            }
            let lead = cell.len() - cell.trim_start().len();
            if let Some(r) = range
                .as_ref()
                .filter(|r| (raw_start..=raw_start + cell.len()).contains(&r.start))
            {
                let start = text.len() + (r.start - raw_start).saturating_sub(lead);
                mapped = Some(start..start + r.len());
            }
            text.push_str(cell.trim());
            raw_start += cell.len() + 1;
        }
        let mapped = mapped.filter(|m| text.get(m.clone()).is_some());
        return (text, mapped);
    }
    let at = range.as_ref().map_or(0, |r| r.start);
    let mut start = 0;
    for s in crate::norsk::sentences(line) {
        let end = start + s.len();
        if at < end || end == line.len() {
            let lead = s.len() - s.trim_start().len();
            let text = s.trim().to_string();
            let mapped = range.and_then(|r| {
                let from = r.start.checked_sub(start + lead)?;
                Some(from..from + r.len()).filter(|m| text.get(m.clone()).is_some())
            });
            return (text, mapped);
        }
        start = end;
    }
    (line.trim().to_string(), None)
}

/// How documents are isolated from each other in a batch.
#[derive(Clone, Debug)]
pub enum Isolation {
    /// In this process, panics caught; the time limit is checked between
    /// pages and stages, the memory limit does not apply.
    InProcess { timeout: Duration },
    /// One worker process per document (`exe worker PATH`), killed at the
    /// deadline, its address space bounded by `max_memory` bytes.
    Worker {
        exe: PathBuf,
        timeout: Duration,
        max_memory: u64,
    },
}

/// The file's size, from its metadata, within the limit: checked before a
/// byte is read.
fn size_ok(path: &Path, options: &IngestOptions) -> Result<(), DocError> {
    let meta = std::fs::metadata(path)
        .map_err(|e| DocError::new("io", format!("cannot read {}: {e}", path.display())))?;
    if meta.len() > options.max_bytes {
        return Err(DocError::new(
            "too-large",
            format!(
                "file is {} bytes, over the limit of {}",
                meta.len(),
                options.max_bytes
            ),
        ));
    }
    Ok(())
}

/// A file's bytes, its size checked first.
fn read_input(path: &Path, options: &IngestOptions) -> Result<Vec<u8>, DocError> {
    size_ok(path, options)?;
    std::fs::read(path)
        .map_err(|e| DocError::new("io", format!("cannot read {}: {e}", path.display())))
}

/// Settings of one batch run.
#[derive(Clone, Debug)]
pub struct RunConfig {
    pub out_dir: PathBuf,
    /// Keep the records of documents not in this run (`--keep`).
    pub keep: bool,
    /// Read every document again, even those the previous run read from the
    /// same bytes (`--fresh`).
    pub fresh: bool,
    /// Process only this slice of the inputs (`--shard K/N`).
    pub shard: Option<Shard>,
    /// Which findings records keep, and their severities (`plansjekk.toml`).
    pub rules: crate::config::RuleChoices,
    /// Files of the input folders that are not documents, listed as skipped.
    pub skipped: Vec<(PathBuf, String)>,
    /// The baseline and waivers the outputs mark findings by.
    pub review: crate::review::Review,
    pub jobs: usize,
    pub isolation: Isolation,
    pub options: IngestOptions,
    pub progress: bool,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct ManifestEntry {
    pub path: String,
    pub id: String,
    pub sha256: Option<String>,
    pub bytes: Option<u64>,
    pub format: Option<String>,
    pub status: String,
    pub pages: Option<u32>,
    pub findings: usize,
    /// Share of the PDF's digits the record holds (see the record's `source.numbers`).
    pub numbers: Option<f64>,
    pub error: Option<DocError>,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Manifest {
    pub plansjekk_version: String,
    pub schema_version: String,
    /// What made the records (plansjekk's build and the options that change
    /// them): a run with the same key reuses the records of unchanged files.
    #[serde(default)]
    pub run_key: Option<String>,
    /// A digest of the baseline and waivers the outputs mark findings by.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub review: String,
    /// The slice of the inputs this run processed (`--shard K/N`); null for a
    /// whole run or a merge.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shard: Option<Shard>,
    /// The whole input list a shard was cut from: merged shards must share it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inputs: Option<InputList>,
    pub documents: Vec<ManifestEntry>,
    pub summary: Summary,
}

impl Manifest {
    /// The manifest of an output folder, checked before any of it names a
    /// file: written by this schema version, every document's id valid.
    pub fn read(dir: &Path) -> Result<Manifest, String> {
        let path = dir.join("manifest.json");
        let meta =
            std::fs::symlink_metadata(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        if !meta.is_file() {
            return Err(format!("{} is not a regular file", path.display()));
        }
        let bytes = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let m: Manifest =
            serde_json::from_slice(&bytes).map_err(|e| format!("{}: {e}", path.display()))?;
        if m.schema_version != SCHEMA_VERSION {
            return Err(format!(
                "{}: records of schema version {:?}, this plansjekk reads version {SCHEMA_VERSION}",
                path.display(),
                m.schema_version
            ));
        }
        if let Some(bad) = m
            .documents
            .iter()
            .find(|e| e.status != "skipped" && !valid_id(&e.id))
        {
            return Err(format!(
                "{}: {:?} is not a document id plansjekk writes",
                path.display(),
                bad.id
            ));
        }
        Ok(m)
    }
}

/// The run's whole input list (before any shard's slice), as shards must
/// share it: how many inputs, and a digest of their ids and paths.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct InputList {
    pub count: usize,
    pub sha256: String,
}

impl InputList {
    fn of(inputs: &[PathBuf], ids: &[String]) -> InputList {
        let mut h = Sha256::new();
        for (p, id) in inputs.iter().zip(ids) {
            h.update(id.as_bytes());
            h.update(b"\0");
            h.update(p.to_string_lossy().as_bytes());
            h.update(b"\0");
        }
        InputList {
            count: inputs.len(),
            sha256: h.finalize().iter().map(|b| format!("{b:02x}")).collect(),
        }
    }
}

#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct Summary {
    pub ok: usize,
    pub failed: usize,
    /// Files of the input folders that are not documents.
    #[serde(default)]
    pub skipped: usize,
    pub pages: u64,
    pub findings: usize,
}

impl Summary {
    /// The counts of a run's documents.
    pub fn of(documents: &[ManifestEntry]) -> Summary {
        let mut summary = Summary::default();
        for e in documents {
            match e.status.as_str() {
                "ok" => summary.ok += 1,
                "skipped" => summary.skipped += 1,
                _ => summary.failed += 1,
            }
            summary.pages += u64::from(e.pages.unwrap_or(0));
            summary.findings += e.findings;
        }
        summary
    }
}

/// How far a walk of the input folders may go.
#[derive(Clone, Debug)]
pub struct WalkOptions {
    /// Follow symbolic links that lead outside the folders given
    /// (`--follow-links`); off, such a link is listed as skipped.
    pub follow_links: bool,
    /// Folders deeper than this below a folder given are skipped.
    pub max_depth: usize,
    /// The walk stops with an error past this many entries (files and
    /// folders) seen.
    pub max_entries: usize,
}

impl Default for WalkOptions {
    fn default() -> Self {
        WalkOptions {
            follow_links: false,
            max_depth: 64,
            max_entries: 2_000_000,
        }
    }
}

/// Why the input folders could not be walked.
#[derive(Debug, thiserror::Error)]
pub enum WalkError {
    #[error("more than {limit} files and folders under {root}: name smaller folders, or leave out a link that leads somewhere large")]
    TooMany { root: PathBuf, limit: usize },
}

/// Trees of the operating system that are never documents, however reached.
const SYSTEM_TREES: &[&str] = &["/proc", "/sys", "/dev"];

/// Every file under the given paths, in a stable order (see [`list_inputs`]).
pub fn collect_inputs(paths: &[PathBuf]) -> std::io::Result<Vec<PathBuf>> {
    let options = WalkOptions::default();
    let mut walker = Walker::new(paths, &[], &options);
    for p in paths {
        walker.walk(p).map_err(std::io::Error::other)?;
    }
    let mut files = walker.files;
    files.sort();
    files.dedup();
    Ok(files)
}

/// A run's inputs: the documents to read, and the files of the folders
/// given that are not read, each with why.
#[derive(Clone, Debug, Default)]
pub struct Inputs {
    pub documents: Vec<PathBuf>,
    pub skipped: Vec<(PathBuf, String)>,
}

/// The documents under `paths` (folders walked recursively, the folders in
/// `exclude` left out): files named on the command line always, files found
/// in folders when `filter` takes them (a document format, the globs).
/// Hidden files and folders (".git", ".DS_Store") are passed over. Links are
/// followed only where they stay inside the folders given, unless `walk`
/// says otherwise; pipes, devices and system trees (`/proc`) are skipped
/// with a reason, and the walk is bounded in depth and in entries.
pub fn list_inputs(
    paths: &[PathBuf],
    exclude: &[PathBuf],
    filter: &crate::config::InputFilter,
    walk: &WalkOptions,
) -> Result<Inputs, WalkError> {
    let mut walker = Walker::new(paths, exclude, walk);
    let mut inputs = Inputs::default();
    for p in paths {
        walker.files.clear();
        walker.walk(p)?;
        for f in walker.files.drain(..) {
            let below = f.strip_prefix(p).unwrap_or(&f);
            match filter.skip(&f, below).filter(|_| f != *p) {
                Some(why) => inputs.skipped.push((f, why)),
                None => inputs.documents.push(f),
            }
        }
    }
    inputs.skipped.append(&mut walker.skipped);
    inputs.documents.sort();
    inputs.documents.dedup();
    inputs.skipped.sort();
    inputs.skipped.dedup();
    Ok(inputs)
}

/// One walk over the input folders.
struct Walker<'a> {
    options: &'a WalkOptions,
    /// The folders given, resolved: links that stay inside them are followed.
    roots: Vec<PathBuf>,
    exclude: Vec<PathBuf>,
    /// Folders already walked, resolved: a link loop is walked once.
    seen: std::collections::HashSet<PathBuf>,
    entries: usize,
    files: Vec<PathBuf>,
    skipped: Vec<(PathBuf, String)>,
}

impl<'a> Walker<'a> {
    fn new(paths: &[PathBuf], exclude: &[PathBuf], options: &'a WalkOptions) -> Walker<'a> {
        let resolve = |ps: &[PathBuf]| -> Vec<PathBuf> {
            ps.iter()
                .filter_map(|p| std::fs::canonicalize(p).ok())
                .collect()
        };
        Walker {
            options,
            roots: resolve(paths),
            exclude: resolve(exclude),
            seen: Default::default(),
            entries: 0,
            files: Vec::new(),
            skipped: Vec::new(),
        }
    }

    fn walk(&mut self, top: &Path) -> Result<(), WalkError> {
        // Depth-first with an explicit stack: a deep tree costs memory in
        // proportion to its entries, never the call stack.
        let mut stack = vec![(top.to_path_buf(), 0usize)];
        while let Some((p, depth)) = stack.pop() {
            self.entries += 1;
            if self.entries > self.options.max_entries {
                return Err(WalkError::TooMany {
                    root: top.to_path_buf(),
                    limit: self.options.max_entries,
                });
            }
            if let Some(dir) = self.visit(&p, depth == 0) {
                if depth >= self.options.max_depth {
                    self.skip(
                        &p,
                        format!(
                            "a folder more than {} levels below {}",
                            self.options.max_depth,
                            top.display()
                        ),
                    );
                    continue;
                }
                match std::fs::read_dir(&dir) {
                    Ok(entries) => {
                        let mut below: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
                        // Popped in order: the stack takes them backwards.
                        below.sort_unstable_by(|a, b| b.cmp(a));
                        stack.extend(below.into_iter().map(|b| (b, depth + 1)));
                    }
                    // No permission: a failure of its own, in the manifest.
                    Err(_) => self.files.push(p),
                }
            }
        }
        Ok(())
    }

    fn skip(&mut self, p: &Path, why: String) {
        self.skipped.push((p.to_path_buf(), why));
    }

    /// Lists `p` as a file, or returns it when it is a folder to walk.
    fn visit(&mut self, p: &Path, top: bool) -> Option<PathBuf> {
        let hidden = p
            .file_name()
            .map(|n| n.to_string_lossy())
            .is_some_and(|n| n.starts_with('.') && n != "." && n != "..");
        if hidden && !top {
            return None;
        }
        let Ok(own) = std::fs::symlink_metadata(p) else {
            // Gone since it was listed, or no permission: fails alone.
            self.files.push(p.to_path_buf());
            return None;
        };
        let link = own.file_type().is_symlink();
        // A walk reaches another tree only from a path given or through a
        // link: only those are resolved.
        let resolved = (top || link).then(|| std::fs::canonicalize(p));
        if let Some(Ok(at)) = &resolved {
            if let Some(sys) = SYSTEM_TREES.iter().find(|s| at.starts_with(s)) {
                self.skip(p, format!("{sys} is a system folder, not documents"));
                return None;
            }
        }
        if let (Some(resolved), false) = (&resolved, top) {
            match resolved {
                // A dangling link, or a loop: a failure of its own.
                Err(_) => {
                    self.files.push(p.to_path_buf());
                    return None;
                }
                Ok(at)
                    if !self.options.follow_links
                        && !self.roots.iter().any(|r| at.starts_with(r)) =>
                {
                    self.skip(
                        p,
                        format!(
                            "a link to {}, outside the folders given (--follow-links reads it)",
                            at.display()
                        ),
                    );
                    return None;
                }
                Ok(_) => {}
            }
        }
        let meta = match std::fs::metadata(p) {
            Ok(m) => m,
            Err(_) => {
                self.files.push(p.to_path_buf());
                return None;
            }
        };
        if meta.is_dir() {
            let canonical = match resolved {
                Some(Ok(at)) => at,
                _ => std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf()),
            };
            if self.exclude.contains(&canonical) || !self.seen.insert(canonical) {
                return None;
            }
            Some(p.to_path_buf())
        } else if meta.is_file() {
            self.files.push(p.to_path_buf());
            None
        } else {
            self.skip(
                p,
                "not a regular file (a pipe, a socket or a device)".into(),
            );
            None
        }
    }
}

/// Ids for all inputs: the slug of the file name; where two inputs share it,
/// the slug of their paths below the folder they share ("chromium-plan-pdf"
/// beside "plan-pdf"), and where even those meet, a hash of the path. Depends
/// only on the inputs, never on their content or processing order, so two
/// copies of one file get two ids.
pub fn assign_ids(inputs: &[PathBuf]) -> Vec<String> {
    let slugs: Vec<String> = inputs.iter().map(|p| slug(p)).collect();
    let mut ids = slugs.clone();
    let mut groups: std::collections::BTreeMap<&str, Vec<usize>> = Default::default();
    for (i, s) in slugs.iter().enumerate() {
        groups.entry(s.as_str()).or_default().push(i);
    }
    for members in groups.values().filter(|m| m.len() > 1) {
        let paths: Vec<Vec<String>> = members
            .iter()
            .map(|&i| {
                inputs[i]
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect()
            })
            .collect();
        let shared = (0..)
            .take_while(|&k| paths.iter().all(|p| k + 1 < p.len() && p[k] == paths[0][k]))
            .count();
        for (&i, parts) in members.iter().zip(&paths) {
            ids[i] = slug(Path::new(&parts[shared..].join("-")));
        }
    }
    // Still shared (names that differ only in case or punctuation): the path's hash.
    let mut counts: std::collections::HashMap<String, usize> = Default::default();
    for id in &ids {
        *counts.entry(id.clone()).or_default() += 1;
    }
    for (id, p) in ids.iter_mut().zip(inputs) {
        if counts[id.as_str()] > 1 {
            let h = sha256_hex(p.to_string_lossy().as_bytes());
            *id = format!("{id}-{}", &h[..8]);
        }
    }
    ids
}

/// Reads a file in this process: its size checked first, then its bytes.
pub fn process_file(path: &Path, id: &str, options: &IngestOptions) -> Result<Record, DocError> {
    let bytes = read_input(path, options)?;
    process_bytes(&path.to_string_lossy(), id, &bytes, options)
}

/// Reads the documents of one batch under its isolation: in this process, or
/// in a pool of worker processes, one per job slot (`rayon`'s thread index).
pub struct Reader {
    options: IngestOptions,
    mode: ReadMode,
}

enum ReadMode {
    InProcess { timeout: Duration },
    Workers(crate::workers::Pool),
}

impl Reader {
    pub fn new(isolation: &Isolation, options: &IngestOptions, jobs: usize) -> Reader {
        let mode = match isolation {
            Isolation::Worker {
                exe,
                timeout,
                max_memory,
            } => ReadMode::Workers(crate::workers::Pool::new(
                exe,
                *timeout,
                *max_memory,
                options,
                jobs,
            )),
            Isolation::InProcess { timeout } => ReadMode::InProcess { timeout: *timeout },
        };
        Reader {
            options: options.clone(),
            mode,
        }
    }

    /// Reads one document.
    pub fn read(&self, path: &Path, id: &str) -> Result<Record, DocError> {
        match &self.mode {
            ReadMode::InProcess { timeout } => {
                let options = IngestOptions {
                    deadline: Some(Instant::now() + *timeout),
                    ..self.options.clone()
                };
                process_file(path, id, &options)
            }
            ReadMode::Workers(pool) => {
                // Refused before a worker sees it: a 3 GB file is never read.
                size_ok(path, &self.options)?;
                pool.process(rayon::current_thread_index().unwrap_or(0), path, id)
            }
        }
    }
}

/// Why a batch could not write its outputs.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error(transparent)]
    Folder(#[from] crate::emit::folder::FolderError),
    #[error(transparent)]
    Io(#[from] std::io::Error),
    #[error(transparent)]
    Output(#[from] crate::emit::outputs::OutputError),
    #[error("cannot merge: {0}")]
    Merge(String),
    #[error("the input {input} is inside --out {out}, which a run replaces whole: choose an output folder apart from the documents")]
    InputInsideOut { input: PathBuf, out: PathBuf },
}

/// A run replaces its output folder whole: no input may live inside it.
fn refuse_inputs_inside(out: &Path, inputs: &[PathBuf]) -> Result<(), RunError> {
    let Ok(out) = std::fs::canonicalize(out) else {
        return Ok(());
    };
    for input in inputs {
        let at = std::fs::canonicalize(input).unwrap_or_else(|_| input.clone());
        if at.starts_with(&out) {
            return Err(RunError::InputInsideOut {
                input: input.clone(),
                out,
            });
        }
    }
    Ok(())
}

/// Runs the batch. Every record is written as soon as its document is done,
/// into a staging folder beside `--out`; the CSVs are then built from the
/// records on disk, one at a time, and the manifest last; the staging folder
/// then replaces the output folder in one step. A killed run leaves the
/// previous outputs whole. Returns the manifest and the per-document timings.
pub fn run_batch(
    inputs: &[PathBuf],
    cfg: &RunConfig,
) -> Result<(Manifest, Vec<(String, u128)>), RunError> {
    use rayon::prelude::*;
    let folder = crate::emit::folder::OutputFolder::open(&cfg.out_dir)?;
    let stage = folder.staging().to_path_buf();
    let docs_dir = stage.join("documents");
    let ids = assign_ids(inputs);
    refuse_inputs_inside(&cfg.out_dir, inputs)?;
    let input_list = cfg.shard.map(|_| InputList::of(inputs, &ids));
    // Ids come from the whole input list, so that shards name documents as
    // one run would; then this shard's slice.
    let range = cfg.shard.map_or(0..inputs.len(), |s| s.range(inputs.len()));
    let (inputs, ids) = (&inputs[range.clone()], &ids[range]);
    let run_key = run_key(&cfg.options, &cfg.isolation, &cfg.rules);
    let previous = if cfg.fresh {
        Previous::default()
    } else {
        Previous::load(folder.current(), &run_key)
    };
    let bar = if cfg.progress {
        let b = indicatif::ProgressBar::new(inputs.len() as u64);
        b.set_style(
            indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} {wide_msg}")
                .expect("template"),
        );
        Some(b)
    } else {
        None
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(cfg.jobs.max(1))
        .build()
        .map_err(std::io::Error::other)?;
    let reader = Reader::new(&cfg.isolation, &cfg.options, cfg.jobs.max(1));
    // Only the manifest entries stay in memory; records go to disk.
    let results: Vec<(ManifestEntry, bool, u128)> = pool.install(|| {
        inputs
            .par_iter()
            .zip(ids.par_iter())
            .map(|(path, id)| {
                let start = Instant::now();
                let display = path.to_string_lossy().to_string();
                if let Some(entry) = previous.reuse(path, &display, id, &docs_dir) {
                    if let Some(b) = &bar {
                        b.inc(1);
                    }
                    return (entry, false, start.elapsed().as_millis());
                }
                let entry = match reader.read(path, id).and_then(|mut rec| {
                    cfg.rules.apply(&mut rec);
                    write_record(&docs_dir, id, &rec, &cfg.options).map(|()| rec)
                }) {
                    Ok(rec) => ok_entry(display, id, &rec),
                    Err(e) => failed_entry(display, id, path, e),
                };
                if let Some(b) = &bar {
                    b.inc(1);
                    b.set_message(entry.path.clone());
                }
                (entry, true, start.elapsed().as_millis())
            })
            .collect()
    });
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    let timings = results.iter().map(|(e, _, t)| (e.id.clone(), *t)).collect();
    let changed: Vec<String> = results
        .iter()
        .filter(|(_, fresh, _)| *fresh)
        .map(|(e, _, _)| e.id.clone())
        .collect();
    let mut documents: Vec<ManifestEntry> = results.into_iter().map(|(e, _, _)| e).collect();
    if cfg.keep {
        documents.extend(keep_previous(folder.current(), &stage, &documents)?);
    }
    // The skipped files are listed once, by the first shard.
    if cfg.shard.is_none_or(|s| s.index == 1) {
        documents.extend(cfg.skipped.iter().map(|(p, why)| skipped_entry(p, why)));
    }
    let summary = Summary::of(&documents);
    let manifest = Manifest {
        plansjekk_version: env!("CARGO_PKG_VERSION").to_string(),
        schema_version: SCHEMA_VERSION.to_string(),
        run_key: Some(run_key),
        review: cfg.review.digest.clone(),
        shard: cfg.shard,
        inputs: input_list,
        documents,
        summary,
    };
    let unchanged = changed.is_empty()
        && previous
            .manifest
            .as_ref()
            .is_some_and(|m| m.documents == manifest.documents && m.review == manifest.review);
    if unchanged {
        // Nothing to redo: the run's outputs are the previous run's.
        crate::emit::outputs::link_previous(folder.current(), &stage)?;
    } else {
        crate::emit::outputs::write(
            &stage,
            folder.current(),
            &manifest.documents,
            &changed,
            previous.manifest.is_some(),
            &cfg.review,
        )?;
    }
    write_json(&stage.join("manifest.json"), &manifest)?;
    folder.commit()?;
    Ok((manifest, timings))
}

/// The K-th of N slices of a run's sorted inputs (`--shard K/N`, K from 1),
/// for a batch engine that runs the slices apart (a Kubernetes Indexed Job, a
/// Slurm job array); `plansjekk merge` joins their outputs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shard {
    pub index: usize,
    pub count: usize,
}

impl Shard {
    /// Contiguous slices, as even as can be: the same inputs always make the
    /// same slices, and the slices in order are the whole list in order.
    pub fn range(self, len: usize) -> std::ops::Range<usize> {
        let cut = |k: usize| k * len / self.count;
        cut(self.index - 1)..cut(self.index)
    }
}

impl std::str::FromStr for Shard {
    type Err = String;

    fn from_str(s: &str) -> Result<Shard, String> {
        let (k, n) = s
            .split_once('/')
            .ok_or_else(|| format!("«{s}» is not K/N (e.g. 2/8)"))?;
        let k: usize = k
            .trim()
            .parse()
            .map_err(|_| format!("«{k}» is not a number"))?;
        let n: usize = n
            .trim()
            .parse()
            .map_err(|_| format!("«{n}» is not a number"))?;
        if n == 0 || k == 0 || k > n {
            return Err(format!("shard {k}/{n}: K runs from 1 to N"));
        }
        Ok(Shard { index: k, count: n })
    }
}

/// Joins the output folders of shard runs into `out`: their records, and every
/// gathered output made anew from them (findings marked by `review`), as one
/// run over all the inputs would have written them. The shards must come from one plansjekk build and the
/// same options, and together be every slice once.
pub fn merge(
    shards: &[PathBuf],
    out: &Path,
    review: &crate::review::Review,
) -> Result<Manifest, RunError> {
    let folder = crate::emit::folder::OutputFolder::open(out)?;
    let stage = folder.staging().to_path_buf();
    let mut parts: Vec<(PathBuf, Manifest)> = Vec::new();
    for dir in shards {
        parts.push((dir.clone(), Manifest::read(dir).map_err(RunError::Merge)?));
    }
    let Some((_, first)) = parts.first() else {
        return Err(RunError::Merge("no shard folders given".into()));
    };
    let (run_key, version, schema) = (
        first.run_key.clone(),
        first.plansjekk_version.clone(),
        first.schema_version.clone(),
    );
    for (dir, m) in &parts {
        if m.run_key != run_key || m.plansjekk_version != version || m.schema_version != schema {
            return Err(RunError::Merge(format!(
                "{} was made by another plansjekk build or with other options than {}",
                dir.display(),
                shards[0].display()
            )));
        }
    }
    // Shards in slice order; a whole run given alongside is taken as it is.
    let count = first.shard.map(|s| s.count);
    if let Some(n) = count {
        let mut seen: Vec<usize> = parts
            .iter()
            .filter_map(|(_, m)| m.shard.filter(|s| s.count == n).map(|s| s.index))
            .collect();
        seen.sort_unstable();
        if seen != (1..=n).collect::<Vec<_>>() || parts.len() != n {
            return Err(RunError::Merge(format!(
                "expected the {n} shards 1/{n} … {n}/{n} once each, got {}",
                parts
                    .iter()
                    .map(|(d, m)| match m.shard {
                        Some(s) => format!("{}/{} ({})", s.index, s.count, d.display()),
                        None => format!("a whole run ({})", d.display()),
                    })
                    .collect::<Vec<_>>()
                    .join(", ")
            )));
        }
        parts.sort_by_key(|(_, m)| m.shard.map_or(0, |s| s.index));
        let (first_dir, first) = &parts[0];
        for (dir, m) in &parts[1..] {
            if m.inputs != first.inputs || m.inputs.is_none() {
                let count = |m: &Manifest| {
                    m.inputs
                        .as_ref()
                        .map_or("an unknown number of".into(), |i| i.count.to_string())
                };
                return Err(RunError::Merge(format!(
                    "{} was cut from another input list than {}: {} inputs against {}, or the same number of other files; run every shard over the same folders",
                    dir.display(),
                    first_dir.display(),
                    count(m),
                    count(first),
                )));
            }
        }
    }
    let mut documents: Vec<ManifestEntry> = Vec::new();
    let mut ids = std::collections::HashSet::new();
    let mut skipped = Vec::new();
    for (dir, m) in &parts {
        for e in &m.documents {
            if e.status == "skipped" {
                skipped.push(e.clone());
                continue;
            }
            if !ids.insert(e.id.clone()) {
                return Err(RunError::Merge(format!(
                    "document id {} is in more than one shard ({})",
                    e.id,
                    dir.display()
                )));
            }
            if e.status == "ok" {
                // Copied, never linked: the merged outputs share nothing
                // with the shards', and a link in a shard is not followed.
                let name = format!("{}.json", e.id);
                let from = dir.join("documents").join(&name);
                if !std::fs::symlink_metadata(&from).is_ok_and(|m| m.is_file()) {
                    return Err(RunError::Merge(format!(
                        "{} is not a regular file",
                        from.display()
                    )));
                }
                std::fs::copy(&from, stage.join("documents").join(&name))?;
            }
            documents.push(e.clone());
        }
    }
    // As one run lists them: the documents, then the skipped files.
    documents.extend(skipped);
    let summary = Summary::of(&documents);
    let all: Vec<String> = documents.iter().map(|e| e.id.clone()).collect();
    crate::emit::outputs::write(&stage, folder.current(), &documents, &all, false, review)?;
    let manifest = Manifest {
        plansjekk_version: version,
        schema_version: schema,
        run_key,
        review: review.digest.clone(),
        shard: None,
        inputs: None,
        documents,
        summary,
    };
    write_json(&stage.join("manifest.json"), &manifest)?;
    folder.commit()?;
    Ok(manifest)
}

/// What makes a record: plansjekk's build (the executable's bytes, so a
/// rebuilt binary with other rules never reuses old records) and the options
/// that change what a document gives (passwords, time and memory limits).
fn run_key(
    options: &IngestOptions,
    isolation: &Isolation,
    rules: &crate::config::RuleChoices,
) -> String {
    let mut h = Sha256::new();
    h.update(rules.digest().as_bytes());
    h.update(env!("CARGO_PKG_VERSION").as_bytes());
    h.update(SCHEMA_VERSION.as_bytes());
    if let Some(exe) = std::env::current_exe()
        .ok()
        .and_then(|exe| sha256_file(&exe).ok())
    {
        h.update(exe.as_bytes());
    }
    for p in &options.passwords {
        h.update(b"\0password\0");
        h.update(p.as_bytes());
    }
    if let Isolation::Worker {
        timeout,
        max_memory,
        ..
    } = isolation
    {
        h.update(format!("\0{}\0{max_memory}", timeout.as_secs()).as_bytes());
    }
    if let Isolation::InProcess { timeout } = isolation {
        h.update(format!("\0{}", timeout.as_secs()).as_bytes());
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// The previous run's manifest, when it was made with the same key: the
/// documents whose bytes have not changed since are not read again.
#[derive(Default)]
struct Previous {
    dir: PathBuf,
    manifest: Option<Manifest>,
    by_id: std::collections::HashMap<String, usize>,
}

impl Previous {
    fn load(dir: &Path, run_key: &str) -> Previous {
        let manifest = Manifest::read(dir)
            .ok()
            .filter(|m| m.run_key.as_deref() == Some(run_key));
        let by_id = manifest
            .iter()
            .flat_map(|m| m.documents.iter().enumerate())
            .map(|(i, e)| (e.id.clone(), i))
            .collect();
        Previous {
            dir: dir.to_path_buf(),
            manifest,
            by_id,
        }
    }

    /// The previous entry for this input, its record linked into `docs_dir`,
    /// when the file's bytes are those it was made from. Failures that
    /// depend on the machine (time, memory, I/O) are tried again.
    fn reuse(
        &self,
        path: &Path,
        display: &str,
        id: &str,
        docs_dir: &Path,
    ) -> Option<ManifestEntry> {
        let m = self.manifest.as_ref()?;
        let e = &m.documents[*self.by_id.get(id)?];
        if e.path != display {
            return None;
        }
        let transient = e
            .error
            .as_ref()
            .is_some_and(|err| matches!(err.class.as_str(), "timeout" | "limit" | "io"));
        if transient {
            return None;
        }
        let meta = std::fs::metadata(path).ok()?;
        if Some(meta.len()) != e.bytes {
            return None;
        }
        let sha = sha256_file(path).ok()?;
        if e.sha256.as_deref() != Some(sha.as_str()) {
            return None;
        }
        if e.status == "ok" {
            let name = format!("{id}.json");
            let from = self.dir.join("documents").join(&name);
            if !std::fs::symlink_metadata(&from).is_ok_and(|m| m.is_file()) {
                return None;
            }
            // The previous folder is removed when this run commits, so the
            // link shares nothing that outlives the run.
            let to = docs_dir.join(&name);
            std::fs::hard_link(&from, &to)
                .or_else(|_| std::fs::copy(&from, &to).map(|_| ()))
                .ok()?;
        }
        Some(e.clone())
    }
}

fn ok_entry(display: String, id: &str, rec: &Record) -> ManifestEntry {
    ManifestEntry {
        path: display,
        id: id.to_string(),
        sha256: Some(rec.source.sha256.clone()),
        bytes: Some(rec.source.bytes),
        format: Some(rec.source.format.clone()),
        status: "ok".into(),
        pages: rec.source.pages,
        findings: rec.findings.len(),
        numbers: rec.source.numbers.as_ref().map(|n| n.share),
        error: None,
    }
}

/// `--keep`: the previous run's records of documents not in this run, copied
/// into the new outputs, by id.
fn keep_previous(
    previous: &Path,
    stage: &Path,
    now: &[ManifestEntry],
) -> std::io::Result<Vec<ManifestEntry>> {
    let Ok(old) = Manifest::read(previous) else {
        return Ok(Vec::new());
    };
    let mut kept: Vec<ManifestEntry> = old
        .documents
        .into_iter()
        .filter(|e| e.status == "ok" && !now.iter().any(|n| n.id == e.id))
        .filter(|e| {
            let name = format!("documents/{}.json", e.id);
            std::fs::symlink_metadata(previous.join(&name)).is_ok_and(|m| m.is_file())
                && std::fs::copy(previous.join(&name), stage.join(&name)).is_ok()
        })
        .collect();
    kept.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(kept)
}

fn skipped_entry(path: &Path, why: &str) -> ManifestEntry {
    ManifestEntry {
        path: path.to_string_lossy().into_owned(),
        id: String::new(),
        sha256: None,
        bytes: std::fs::metadata(path).ok().map(|m| m.len()),
        format: None,
        status: "skipped".into(),
        pages: None,
        findings: 0,
        numbers: None,
        error: Some(DocError::new("not-a-document", why)),
    }
}

fn failed_entry(display: String, id: &str, path: &Path, e: DocError) -> ManifestEntry {
    // Hashed in pieces: a file refused for its size is never held whole.
    let bytes = std::fs::metadata(path)
        .ok()
        .filter(|m| m.is_file())
        .map(|m| m.len());
    ManifestEntry {
        path: display,
        id: id.to_string(),
        sha256: bytes.and_then(|_| sha256_file(path).ok()),
        bytes,
        format: None,
        status: "failed".into(),
        pages: None,
        findings: 0,
        numbers: None,
        error: Some(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_header_over_two_rows_keeps_its_group_labels_in_the_record() {
        let t = Table::of_texts(&[
            &["", "2005", "", "2010"],
            &["Group", "Number", "Percent", "Number"],
            &["Women", "12", "4.1", "13"],
        ]);
        let merged = vec![
            "Group".into(),
            "Number".into(),
            "Percent".into(),
            "Number".into(),
        ];
        let (header, rows) = record_grid(&t, &merged, 2);
        assert_eq!(header, ["", "2005", "", "2010"]);
        assert_eq!(rows[0], ["Group", "Number", "Percent", "Number"]);
        assert_eq!(rows.len(), 2);
        // One header row: the merged header, then the body.
        let (header, rows) = record_grid(&t, &merged, 1);
        assert_eq!(header, merged);
        assert_eq!(rows.len(), 2);
    }

    #[test]
    fn slugs_are_readable() {
        assert_eq!(
            slug(Path::new("corpus/Handlingsplan 2025 – Bygdevekst.pdf")),
            "handlingsplan-2025-bygdevekst-pdf"
        );
        assert_eq!(
            slug(Path::new("Årsrapport_Målselv.docx")),
            "arsrapport-malselv-docx"
        );
    }

    #[test]
    fn panics_become_classified_errors() {
        // A document that cannot be read never panics the caller.
        let e = process_bytes("x", "x", b"", &IngestOptions::default()).unwrap_err();
        assert_eq!(e.class, "empty");
    }
}

//! Composes the stages for one document: bytes → [`Document`](crate::model::Document) (ingest) →
//! [`Plan`](crate::extract::Plan) (extract) → findings (rules) → [`Record`], turning panics inside
//! dependencies into a classified error. Batches of documents, their
//! isolation and outputs are [`crate::batch`]'s.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;
use std::time::{Duration, Instant};

use crate::extract;
use crate::ingest::{self, IngestOptions};
use crate::record::{self, over_limit, DocError, Record};

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
        "xlsx" | "xlsm" => "XLSX",
        "ods" => "ODS",
        "xls" => "XLS",
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

/// How long each stage of one document's reading took, for `run --timings`:
/// never part of an output, which must not depend on the machine's speed.
/// A stage the document did not reach (it failed before) took nothing.
#[derive(Clone, Copy, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Stages {
    /// The file read into a document (ingest).
    pub reading: Duration,
    /// Its goals, measures, actors, figures and tables found (extract).
    pub extraction: Duration,
    /// The consistency rules.
    pub checks: Duration,
    /// The record built of it all.
    pub record: Duration,
}

/// Reads, extracts and builds the record of one document, in this process.
pub fn process_bytes(
    path: &str,
    id: &str,
    bytes: &[u8],
    options: &IngestOptions,
) -> Result<Record, DocError> {
    process_bytes_timed(path, id, bytes, options).0
}

/// [`process_bytes`], and how long each of its stages took.
pub fn process_bytes_timed(
    path: &str,
    id: &str,
    bytes: &[u8],
    options: &IngestOptions,
) -> (Result<Record, DocError>, Stages) {
    let mut stages = Stages::default();
    let result = catch_unwind(AssertUnwindSafe(|| {
        let mut clock = Instant::now();
        let mut lap = |stage: &mut Duration| {
            let now = Instant::now();
            *stage = now - clock;
            clock = now;
        };
        not_text_in_disguise(path, bytes)?;
        let doc =
            ingest::ingest(bytes, options).map_err(|e| DocError::new(e.class(), e.to_string()))?;
        lap(&mut stages.reading);
        let plan = extract::extract(&doc);
        lap(&mut stages.extraction);
        let late = || DocError::new("timeout", "gave up at the per-document time limit");
        if options.late() {
            return Err(late());
        }
        over_limit("figures", plan.amounts.len(), options.max_amounts)?;
        // Notices are kept in the record as built; the run's rule choices
        // leave them out unless asked for (`notices`).
        let findings = crate::rules::check_with(&doc, &plan, true);
        lap(&mut stages.checks);
        let mut record = record::build::build_record(path, id, bytes, &doc, &plan, &findings);
        if options.late() {
            return Err(late());
        }
        over_limit("findings", record.findings.len(), options.max_findings)?;
        record::assign_finding_ids(id, &mut record.findings);
        lap(&mut stages.record);
        Ok(record)
    }));
    let result = match result {
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
    };
    (result, stages)
}

/// The file's size, from its metadata, within the limit: checked before a
/// byte is read.
pub fn size_ok(path: &Path, options: &IngestOptions) -> Result<(), DocError> {
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

/// Reads a file in this process: its size checked first, then its bytes.
pub fn process_file(path: &Path, id: &str, options: &IngestOptions) -> Result<Record, DocError> {
    process_file_timed(path, id, options).0
}

/// [`process_file`], and how long each of its stages took (reading the
/// file's bytes counts to reading).
pub fn process_file_timed(
    path: &Path,
    id: &str,
    options: &IngestOptions,
) -> (Result<Record, DocError>, Stages) {
    let start = Instant::now();
    let bytes = match read_input(path, options) {
        Ok(b) => b,
        Err(e) => {
            let stages = Stages {
                reading: start.elapsed(),
                ..Stages::default()
            };
            return (Err(e), stages);
        }
    };
    let loaded = start.elapsed();
    let (result, mut stages) = process_bytes_timed(&path.to_string_lossy(), id, &bytes, options);
    stages.reading += loaded;
    (result, stages)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn panics_become_classified_errors() {
        // A document that cannot be read never panics the caller.
        let e = process_bytes("x", "x", b"", &IngestOptions::default()).unwrap_err();
        assert_eq!(e.class, "empty");
    }
}

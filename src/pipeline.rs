//! Composes the stages for one document: bytes → [`Document`] (ingest) →
//! [`Plan`] (extract) → findings (rules) → [`Record`], turning panics inside
//! dependencies into a classified error. Batches of documents, their
//! isolation and outputs are [`crate::batch`]'s.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;

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
        // Notices are kept in the record as built; the run's rule choices
        // leave them out unless asked for (`notices`).
        let findings = crate::rules::check_with(&doc, &plan, true);
        let mut record = record::build::build_record(path, id, bytes, &doc, &plan, &findings);
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
    let bytes = read_input(path, options)?;
    process_bytes(&path.to_string_lossy(), id, &bytes, options)
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

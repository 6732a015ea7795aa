//! Ingestion: bytes → [`Document`], whatever the format.
//!
//! Floor 1: uses `model` (and may use `norsk`).
//!
//! The format is sniffed from content, never taken from the file name. Each
//! format is one [`Ingester`]; all of them hand lines or ready blocks to the
//! shared [`layout`] segmenter, so headings, lists, tables and tables of contents
//! are recognised by the same rules in every format.

mod charset;
mod collapsed;
pub mod docx;
pub mod html;
pub mod layout;
mod markdown;
pub mod pdf;
mod position;
pub mod sheet;
pub mod text;

use thiserror::Error;

use crate::model::{Document, Format};

pub use pdf::ocr::OcrOptions;

/// Limits that keep one hostile or huge document from hurting the batch.
#[derive(Clone, Debug)]
pub struct IngestOptions {
    /// Inputs larger than this are refused before parsing.
    pub max_bytes: u64,
    /// Pages beyond this are not read (the document is marked as truncated).
    pub max_pages: u32,
    /// Bound on any single decompressed stream (PDF) or zip member (DOCX).
    pub max_decompressed: usize,
    /// Passwords to try on an encrypted PDF after the empty one.
    pub passwords: Vec<String>,
    /// When reading must stop (checked between pages and every few thousand
    /// drawing operations): the time limit of a document read in-process.
    pub deadline: Option<std::time::Instant>,
    /// What one document may produce: past these, the document fails with
    /// class `limit` instead of flooding the outputs (a small file can
    /// inflate to millions of figures). Checked as the record is built, so
    /// writing it, its CSV rows and its database rows stays bounded too.
    pub max_amounts: usize,
    /// See [`IngestOptions::max_amounts`]: findings of one document.
    pub max_findings: usize,
    /// See [`IngestOptions::max_amounts`]: the serialised record's size.
    pub max_record_bytes: usize,
    /// Spreadsheet cells one document may hold: its filled cells, and the
    /// slots of the tables they make (blanks between figures included).
    /// Past it the document fails with class `limit`.
    pub max_cells: usize,
    /// How scanned PDF pages are read by OCR: which Tesseract, its limits.
    pub ocr: OcrOptions,
    /// Told of each scanned page as OCR starts on it (a run's progress
    /// bar: OCR takes a second or more a page). Not part of what is read.
    pub on_ocr_page: OnOcrPage,
}

/// A scanned page OCR starts on: its number, and the document's pages.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct OcrProgress {
    pub page: u32,
    pub pages: u32,
}

/// What to tell of each page OCR starts on; by default nothing.
#[derive(Clone, Default)]
pub struct OnOcrPage(Option<std::sync::Arc<dyn Fn(OcrProgress) + Send + Sync>>);

impl OnOcrPage {
    /// Calls `f` with each page OCR starts on.
    pub fn new(f: impl Fn(OcrProgress) + Send + Sync + 'static) -> OnOcrPage {
        OnOcrPage(Some(std::sync::Arc::new(f)))
    }

    /// Tells of page `page` of `pages`.
    pub fn tell(&self, page: u32, pages: u32) {
        if let Some(f) = &self.0 {
            f(OcrProgress { page, pages });
        }
    }
}

impl std::fmt::Debug for OnOcrPage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.is_some() {
            "OnOcrPage(..)"
        } else {
            "OnOcrPage(none)"
        })
    }
}

impl IngestOptions {
    /// True once the deadline has passed.
    pub fn late(&self) -> bool {
        self.deadline
            .is_some_and(|d| std::time::Instant::now() >= d)
    }
}

impl Default for IngestOptions {
    fn default() -> Self {
        IngestOptions {
            max_bytes: 200 * 1024 * 1024,
            max_pages: 5_000,
            max_decompressed: 64 * 1024 * 1024,
            passwords: Vec::new(),
            deadline: None,
            // A long statistical report gives a few thousand figures; a
            // hundred thousand is past any plan a reader could check.
            max_amounts: 100_000,
            max_findings: 5_000,
            max_record_bytes: 128 * 1024 * 1024,
            // A regional budget workbook holds a few thousand cells; a
            // statistical export perhaps a hundred thousand.
            max_cells: 500_000,
            ocr: OcrOptions::default(),
            on_ocr_page: OnOcrPage::default(),
        }
    }
}

/// Why a document could not be read. The variant is the error class users see.
#[derive(Debug, Error)]
pub enum IngestError {
    #[error("the file is empty")]
    Empty,
    #[error("unrecognised format: {0}")]
    UnknownFormat(String),
    #[error("unsupported format: {0}")]
    Unsupported(String),
    #[error("encrypted: {0}")]
    Encrypted(String),
    #[error("corrupt {format}: {detail}")]
    Corrupt { format: Format, detail: String },
    #[error("file is {bytes} bytes, over the limit of {limit}")]
    TooLarge { bytes: u64, limit: u64 },
    #[error("no text: {0}")]
    NoText(String),
    /// A resource limit stopped the reading before any text was found.
    #[error("over a limit: {0}")]
    Limit(String),
    /// The document's time limit passed while it was read.
    #[error("gave up at the per-document time limit")]
    Timeout,
}

impl IngestError {
    /// A stable, machine-readable class for the manifest.
    pub fn class(&self) -> &'static str {
        match self {
            IngestError::Empty => "empty",
            IngestError::UnknownFormat(_) => "unknown-format",
            IngestError::Unsupported(_) => "unsupported-format",
            IngestError::Encrypted(_) => "encrypted",
            IngestError::Corrupt { .. } => "corrupt",
            IngestError::TooLarge { .. } => "too-large",
            IngestError::NoText(_) => "no-text",
            IngestError::Limit(_) => "limit",
            IngestError::Timeout => "timeout",
        }
    }
}

/// One input format.
pub trait Ingester: Sync {
    fn format(&self) -> Format;
    /// True when the bytes look like this format. Cheap: reads a prefix.
    fn sniff(&self, bytes: &[u8]) -> bool;
    fn ingest(&self, bytes: &[u8], options: &IngestOptions) -> Result<Document, IngestError>;
}

/// All ingesters, most specific first: the first whose `sniff` accepts wins.
pub static INGESTERS: &[&dyn Ingester] = &[
    &pdf::PdfIngester,
    &docx::DocxIngester,
    &sheet::XlsxIngester,
    &sheet::OdsIngester,
    &sheet::XlsIngester,
    &html::HtmlIngester,
    &text::TextIngester,
];

/// The format of `bytes`, or why none fits.
pub fn sniff(bytes: &[u8]) -> Result<&'static dyn Ingester, IngestError> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(IngestError::Empty);
    }
    if let Some(i) = INGESTERS.iter().find(|i| i.sniff(bytes)) {
        return Ok(*i);
    }
    Err(describe_unknown(bytes))
}

fn describe_unknown(bytes: &[u8]) -> IngestError {
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        // OLE2 names its streams in UTF-16.
        let has = |name: &str| {
            let wide: Vec<u8> = name.bytes().flat_map(|b| [b, 0]).collect();
            bytes.windows(wide.len()).any(|w| w == wide)
        };
        if has("EncryptionInfo") {
            return IngestError::Encrypted(
                "a password-protected Office document or workbook".into(),
            );
        }
        return IngestError::Unsupported(
            "Word 97-2003 (.doc) or another OLE2 file; save it as DOCX or PDF".into(),
        );
    }
    if bytes.starts_with(b"PK\x03\x04") {
        return IngestError::Unsupported(
            "a zip archive that is neither a Word document nor a spreadsheet (ODT or other)".into(),
        );
    }
    if bytes.starts_with(b"{\\rtf") {
        return IngestError::Unsupported("RTF; save it as DOCX or PDF".into());
    }
    let head: Vec<String> = bytes.iter().take(8).map(|b| format!("{b:02x}")).collect();
    IngestError::UnknownFormat(format!(
        "binary data that is not PDF, DOCX, HTML or text (starts with {})",
        head.join(" ")
    ))
}

/// Reads a document from its bytes.
pub fn ingest(bytes: &[u8], options: &IngestOptions) -> Result<Document, IngestError> {
    if bytes.len() as u64 > options.max_bytes {
        return Err(IngestError::TooLarge {
            bytes: bytes.len() as u64,
            limit: options.max_bytes,
        });
    }
    let ingester = sniff(bytes)?;
    let doc = ingester.ingest(bytes, options)?;
    if options.late() {
        return Err(IngestError::Timeout);
    }
    if doc.is_empty() {
        if let Some(p) = doc.problems.iter().find(|p| p.limit) {
            return Err(IngestError::Limit(p.message.clone()));
        }
        return Err(IngestError::NoText(match doc.format {
            Format::Pdf => "the PDF has no text layer (scanned pages need OCR first)".into(),
            f => format!("the {f} file contains no text"),
        }));
    }
    Ok(doc)
}

/// The text of an XML character or entity reference (`&#248;`, `&amp;`):
/// the five XML entities and character references; any other is nothing.
pub(crate) fn xml_entity(r: &quick_xml::events::BytesRef) -> String {
    match r.resolve_char_ref() {
        Ok(Some(c)) => c.to_string(),
        _ => match &**r {
            "amp" => "&".into(),
            "lt" => "<".into(),
            "gt" => ">".into(),
            "quot" => "\"".into(),
            "apos" => "'".into(),
            _ => String::new(),
        },
    }
}

/// An XML element's attribute by its local name (`w:val` by "val"), its
/// entities resolved: Word's parts and Tesseract's hOCR alike.
pub(crate) fn xml_attr(e: &quick_xml::events::BytesStart, key: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == key)
        .and_then(|a| {
            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .ok()
                .map(|v| v.into_owned())
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_by_content_not_name() {
        assert_eq!(sniff(b"%PDF-1.7\n...").unwrap().format(), Format::Pdf);
        assert_eq!(sniff(b"junk\n%PDF-1.4\n").unwrap().format(), Format::Pdf);
        assert_eq!(
            sniff(b"<!DOCTYPE html><html><body><p>Hei</p>")
                .unwrap()
                .format(),
            Format::Html
        );
        assert_eq!(
            sniff("Handlingsplan 2025\n\nDelmål 1".as_bytes())
                .unwrap()
                .format(),
            Format::Text
        );
        assert_eq!(sniff(b"Kommune:\t<p>a</p>").unwrap().format(), Format::Text);
    }

    #[test]
    fn names_old_excel_and_locked_office_files() {
        let ole = |stream: &str| {
            let mut b = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
            b.extend(stream.bytes().flat_map(|c| [c, 0]));
            b
        };
        // Excel 97-2003 is read (sheet/xls.rs).
        assert_eq!(sniff(&ole("Workbook")).unwrap().format(), Format::Xls);
        assert_eq!(
            sniff(&ole("EncryptionInfo")).err().unwrap().class(),
            "encrypted"
        );
        assert!(sniff(&ole("WordDocument"))
            .err()
            .unwrap()
            .to_string()
            .contains(".doc"));
    }

    #[test]
    fn classifies_what_it_cannot_read() {
        assert_eq!(sniff(b"").err().unwrap().class(), "empty");
        assert_eq!(sniff(b"  \n\t ").err().unwrap().class(), "empty");
        assert_eq!(
            sniff(&[0xD0, 0xCF, 0x11, 0xE0, 0, 0, 0, 0])
                .err()
                .unwrap()
                .class(),
            "unsupported-format"
        );
        assert_eq!(
            sniff(&[0x89, b'P', b'N', b'G', 0, 0, 0, 1, 2])
                .err()
                .unwrap()
                .class(),
            "unknown-format"
        );
    }
}

//! Spreadsheets (XLSX and XLSM; ODS; Excel 97–2003 XLS): each sheet becomes its name as a
//! heading, then one table per run of rows between blank rows, so the rest
//! of the pipeline reads a budget workbook as it reads a budget table in a
//! plan.
//!
//! Cells keep their address ("Budsjett!C14") and formula in the model
//! ([`crate::model::SheetCell`]), so findings point at cells a reader can
//! look up. Numbers are the values the file saved (a spreadsheet is never
//! recalculated here), written as the sheet's number format shows them, in
//! Norwegian. Merged areas are spans; hidden sheets, rows and columns are
//! read with the rest and said to be hidden.
//!
//! Bounds: every part of the zip is inflated once here, each within
//! [`IngestOptions::max_decompressed`] and all of them within four times
//! that, before the workbook is parsed (a zip bomb, or shared strings of
//! gigabytes, fail as `limit`); filled cells and table slots are capped by
//! [`IngestOptions::max_cells`]. An XLS is not zipped: its container and
//! its records are walked first ([`cfb`], [`biff`]) with the same limits,
//! the workbook stream counting as one part.

mod biff;
mod cfb;
mod grid;
mod ods;
mod ods_format;
mod shared_formula;
mod xls;
mod xlsx;

use std::collections::BTreeMap;
use std::io::{Cursor, Read};

use super::layout::segment;
use super::{IngestError, IngestOptions, Ingester};
use crate::model::{Document, DocumentBuilder, Format};

pub struct XlsxIngester;

impl Ingester for XlsxIngester {
    fn format(&self) -> Format {
        Format::Xlsx
    }

    fn sniff(&self, bytes: &[u8]) -> bool {
        bytes.starts_with(b"PK\x03\x04") && bytes.windows(15).any(|w| w == b"xl/workbook.xml")
    }

    fn ingest(&self, bytes: &[u8], options: &IngestOptions) -> Result<Document, IngestError> {
        let parts = inflate_parts(bytes, Format::Xlsx, options)?;
        let max_text = options.max_decompressed;
        let sheets =
            xlsx::read(bytes, &parts, options.max_cells, max_text).map_err(|e| match e {
                xlsx::ReadError::Corrupt(detail) => IngestError::Corrupt {
                    format: Format::Xlsx,
                    detail,
                },
                xlsx::ReadError::Limit(why) => IngestError::Limit(why),
            })?;
        build(Format::Xlsx, &sheets, options)
    }
}

pub struct OdsIngester;

/// The media type an ODS file stores first, uncompressed.
const ODS_MIME: &[u8] = b"application/vnd.oasis.opendocument.spreadsheet";

impl Ingester for OdsIngester {
    fn format(&self) -> Format {
        Format::Ods
    }

    fn sniff(&self, bytes: &[u8]) -> bool {
        let head = &bytes[..bytes.len().min(200)];
        bytes.starts_with(b"PK\x03\x04")
            && head.windows(ODS_MIME.len()).any(|w| w == ODS_MIME)
            && !head
                .windows(ODS_MIME.len() + 9)
                .any(|w| w.ends_with(b"-template"))
    }

    fn ingest(&self, bytes: &[u8], options: &IngestOptions) -> Result<Document, IngestError> {
        let parts = inflate_parts(bytes, Format::Ods, options)?;
        let content = parts
            .get("content.xml")
            .ok_or_else(|| IngestError::Corrupt {
                format: Format::Ods,
                detail: "content.xml is missing".into(),
            })?;
        let styles = parts.get("styles.xml").map(String::as_str);
        let sheets = ods::read(bytes, content, styles, options.max_cells).map_err(|f| match f {
            ods::Fault::Limit(why) => IngestError::Limit(why),
            ods::Fault::Corrupt(detail) => IngestError::Corrupt {
                format: Format::Ods,
                detail,
            },
        })?;
        build(Format::Ods, &sheets, options)
    }
}

pub struct XlsIngester;

impl Ingester for XlsIngester {
    fn format(&self) -> Format {
        Format::Xls
    }

    fn sniff(&self, bytes: &[u8]) -> bool {
        cfb::is_workbook(bytes)
    }

    fn ingest(&self, bytes: &[u8], options: &IngestOptions) -> Result<Document, IngestError> {
        let sheets = xls::read(bytes, options)?;
        build(Format::Xls, &sheets, options)
    }
}

/// The sheets laid out as blocks on one document.
fn build(
    format: Format,
    sheets: &[grid::Sheet],
    options: &IngestOptions,
) -> Result<Document, IngestError> {
    let mut laid = grid::Laid::default();
    for s in sheets {
        if options.late() {
            return Err(IngestError::Timeout);
        }
        grid::lay_out(s, options.max_cells, &mut laid).map_err(IngestError::Limit)?;
    }
    let mut b = DocumentBuilder::new(format);
    for p in &laid.problems {
        b.problem(p.clone());
    }
    segment(laid.items, &mut b);
    Ok(b.finish())
}

/// The parts of the zip read here (sheets, the workbook and its
/// relationships, ODS content), inflated. Every part is inflated to check
/// it: each within `max_decompressed`, all within four times that, whatever
/// sizes the archive declares.
fn inflate_parts(
    bytes: &[u8],
    format: Format,
    options: &IngestOptions,
) -> Result<BTreeMap<String, String>, IngestError> {
    let corrupt = |detail: String| IngestError::Corrupt { format, detail };
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| corrupt(format!("not a readable zip archive: {e}")))?;
    let limit = options.max_decompressed as u64;
    let mib = |n: u64| n.div_ceil(1 << 20);
    let mut total = 0u64;
    let mut parts = BTreeMap::new();
    for i in 0..zip.len() {
        let mut file = zip
            .by_index(i)
            .map_err(|e| corrupt(format!("member {i}: {e}")))?;
        // Every part, whatever its name: a workbook's relationships may name
        // any part as its shared strings or a sheet.
        let name = String::from_utf8_lossy(file.name_raw()).into_owned();
        let mut out = Vec::new();
        // One byte past the limit tells "at the limit" from "over it": the
        // declared size may lie.
        (&mut file)
            .take(limit + 1)
            .read_to_end(&mut out)
            .map_err(|e| corrupt(format!("{name}: {e}")))?;
        total += out.len() as u64;
        if out.len() as u64 > limit {
            return Err(IngestError::Limit(format!(
                "{name} inflates past the {} MiB limit for one part of a {format} file",
                mib(limit)
            )));
        }
        if total > 4 * limit {
            return Err(IngestError::Limit(format!(
                "the {format} file's parts inflate past {} MiB",
                mib(4 * limit)
            )));
        }
        // Kept: what is read here (hidden rows and columns, ODS extents). A
        // sheet that hides nothing is left to calamine: reading it again
        // here would cost as much as reading it there.
        let hides = || out.windows(6).any(|w| w == b"hidden");
        let kept = name == "content.xml"
            || name == "styles.xml"
            || name == "xl/workbook.xml"
            || name == "xl/_rels/workbook.xml.rels"
            || (name.starts_with("xl/worksheets/") && hides());
        if kept {
            parts.insert(name, String::from_utf8_lossy(&out).into_owned());
        }
    }
    Ok(parts)
}

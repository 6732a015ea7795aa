//! Office Open XML workbooks (XLSX, XLSM) through `calamine`: each sheet's
//! cells streamed one by one (never a dense grid: a stray cell at XFD1048576
//! must cost one cell), with their cached values, formulas and number
//! formats; merged areas; and, read here because calamine does not expose
//! them, the hidden rows and columns.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Cursor;

use calamine::{DataRef, Reader, SheetType, SheetVisible, Xlsx};
use quick_xml::events::Event;
use quick_xml::Reader as XmlReader;

use super::grid::{number_text, Filled, Merge, Sheet};

/// A cell's value before its number format is known.
enum Raw {
    Number(f64),
    Text(String),
}

/// Every worksheet of the workbook, in the workbook's order. `parts` are
/// the workbook's XML parts, already inflated within bounds. Fails with a
/// message past `max_cells` filled cells, or past `max_text` bytes of text
/// in them (a shared string is copied into every cell that shows it: a
/// long one shown a million times is gigabytes), or on a damaged file.
pub fn read(
    bytes: &[u8],
    parts: &BTreeMap<String, String>,
    max_cells: usize,
    max_text: usize,
) -> Result<Vec<Sheet>, ReadError> {
    let mut wb: Xlsx<Cursor<&[u8]>> =
        Xlsx::new(Cursor::new(bytes)).map_err(|e| ReadError::Corrupt(e.to_string()))?;
    let sheets: Vec<(String, bool)> = wb
        .sheets_metadata()
        .iter()
        .filter(|s| s.typ == SheetType::WorkSheet)
        .map(|s| (s.name.clone(), s.visible != SheetVisible::Visible))
        .collect();
    let hidden = hidden_parts(parts);
    let mut out = Vec::new();
    let mut count = Budget {
        max_cells,
        max_text,
        ..Budget::default()
    };
    for (name, is_hidden) in sheets {
        let mut sheet = Sheet {
            name: name.clone(),
            hidden: is_hidden,
            ..Sheet::default()
        };
        read_cells(&mut wb, &mut sheet, &mut count)?;
        let merges = wb
            .merge_cells_by_sheet_name(&name)
            .map_err(|e| ReadError::Corrupt(format!("{name}: {e}")))?;
        sheet.merges = Merge::all_of(&merges);
        if let Some((rows, cols)) = hidden.get(&name) {
            sheet.hidden_rows = rows.clone();
            sheet.hidden_cols = cols.clone();
        }
        out.push(sheet);
    }
    Ok(out)
}

/// What the cells read so far hold, against what they may.
#[derive(Default)]
struct Budget {
    cells: usize,
    text: usize,
    max_cells: usize,
    max_text: usize,
}

/// Why a workbook could not be read.
pub enum ReadError {
    Corrupt(String),
    Limit(String),
}

/// One sheet's cells: values and formulas in one pass, number formats in a
/// second (calamine streams one of them per pass). Both passes meet the
/// cells in the same order, so they are kept in a list, not a map, and a
/// format code is looked up once per style, not copied per cell.
fn read_cells(
    wb: &mut Xlsx<Cursor<&[u8]>>,
    sheet: &mut Sheet,
    count: &mut Budget,
) -> Result<(), ReadError> {
    let name = sheet.name.clone();
    let bad = |e: calamine::XlsxError| ReadError::Corrupt(format!("{name}: {e}"));
    let mut raw: Vec<((u32, u32), Raw, Option<String>)> = Vec::new();
    let mut reader = wb.worksheet_cells_reader(&name).map_err(bad)?;
    while let Some(c) = reader.next_cell_with_formula().map_err(bad)? {
        let formula = c.formula.filter(|f| !f.trim().is_empty());
        let value = match c.value {
            DataRef::Int(i) => Raw::Number(i as f64),
            DataRef::Float(f) => Raw::Number(f),
            DataRef::String(s) => Raw::Text(s),
            DataRef::SharedString(s) => Raw::Text(s.to_string()),
            DataRef::Bool(b) => Raw::Text(if b { "SANN" } else { "USANN" }.into()),
            DataRef::DateTime(d) => {
                let (y, m, day, ..) = d.to_ymd_hms_milli();
                Raw::Text(format!("{day:02}.{m:02}.{y}"))
            }
            DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => Raw::Text(s),
            DataRef::Error(e) => Raw::Text(format!("#{e:?}")),
            DataRef::Empty => Raw::Text(String::new()),
        };
        if matches!(&value, Raw::Text(t) if t.is_empty()) {
            if formula.is_none() {
                continue;
            }
            sheet.uncalculated += 1;
        }
        count.cells += 1;
        if count.cells > count.max_cells {
            return Err(ReadError::Limit(format!(
                "the spreadsheet holds more than {} filled cells",
                count.max_cells
            )));
        }
        count.text += match &value {
            Raw::Text(t) => t.len(),
            Raw::Number(_) => 0,
        };
        if count.text > count.max_text {
            return Err(ReadError::Limit(format!(
                "the spreadsheet's cells hold more than {} MiB of text",
                count.max_text >> 20
            )));
        }
        raw.push((c.pos, value, formula));
    }
    drop(reader);
    let mut styles: BTreeMap<(u32, u32), usize> = BTreeMap::new();
    let mut reader = wb.worksheet_cells_reader(&name).map_err(bad)?;
    let mut next = raw
        .iter()
        .filter(|c| matches!(c.1, Raw::Number(_)))
        .peekable();
    while let Some((r, c, id)) = reader.next_style_id().map_err(bad)? {
        // The figures come in the same order as in the first pass; one
        // passed by (a file whose cells are out of order) keeps General.
        while next.peek().is_some_and(|n| n.0 < (r, c)) {
            next.next();
        }
        if next.peek().is_some_and(|n| n.0 == (r, c)) {
            styles.insert((r, c), id);
            next.next();
        }
    }
    let codes: Vec<String> = reader
        .styles()
        .iter()
        .map(|s| {
            s.number_format
                .as_ref()
                .map(|n| n.format_code.clone())
                .unwrap_or_default()
        })
        .collect();
    drop(reader);
    for (pos, value, formula) in raw {
        let text = match value {
            Raw::Number(n) => {
                let code = styles.get(&pos).and_then(|&id| codes.get(id));
                number_text(n, code.map_or("", String::as_str))
            }
            Raw::Text(t) => t,
        };
        sheet.cells.insert(pos, Filled { text, formula });
    }
    Ok(())
}

type Hidden = (BTreeSet<u32>, BTreeSet<u32>);

/// Hidden rows and columns of each sheet, by sheet name: from the
/// workbook's sheet list, its relationships, and each sheet's `<row
/// hidden>` and `<col hidden>`.
fn hidden_parts(parts: &BTreeMap<String, String>) -> BTreeMap<String, Hidden> {
    let (Some(book), Some(rels)) = (
        parts.get("xl/workbook.xml"),
        parts.get("xl/_rels/workbook.xml.rels"),
    ) else {
        return BTreeMap::new();
    };
    let targets: BTreeMap<String, String> = elements(rels, "Relationship")
        .into_iter()
        .filter_map(|a| Some((a.get("Id")?.clone(), a.get("Target")?.clone())))
        .collect();
    let mut out = BTreeMap::new();
    for a in elements(book, "sheet") {
        let (Some(name), Some(id)) = (a.get("name"), a.get("id")) else {
            continue;
        };
        let Some(target) = targets.get(id) else {
            continue;
        };
        let path = match target.strip_prefix('/') {
            Some(abs) => abs.to_string(),
            None => format!("xl/{target}"),
        };
        if let Some(xml) = parts.get(&path) {
            out.insert(name.clone(), hidden_of(xml));
        }
    }
    out
}

/// The hidden rows and columns (from 0) of a sheet's XML.
fn hidden_of(xml: &str) -> Hidden {
    let on = |a: &BTreeMap<String, String>| {
        a.get("hidden")
            .is_some_and(|v| v == "1" || v.eq_ignore_ascii_case("true"))
    };
    let num = |a: &BTreeMap<String, String>, k: &str| a.get(k).and_then(|v| v.parse::<u32>().ok());
    let mut rows = BTreeSet::new();
    let mut cols = BTreeSet::new();
    for a in elements(xml, "row").iter().filter(|a| on(a)) {
        if let Some(r) = num(a, "r").filter(|&r| r > 0) {
            rows.insert(r - 1);
        }
    }
    for a in elements(xml, "col").iter().filter(|a| on(a)) {
        if let (Some(lo), Some(hi)) = (num(a, "min"), num(a, "max")) {
            // A sheet has 16 384 columns: a range past them is cut there.
            cols.extend(lo.max(1) - 1..hi.min(16_384));
        }
    }
    (rows, cols)
}

/// The attributes (by local name) of every element named `local` in `xml`.
fn elements(xml: &str, local: &str) -> Vec<BTreeMap<String, String>> {
    let mut reader = XmlReader::from_str(xml);
    let mut out = Vec::new();
    loop {
        match reader.read_event() {
            Ok(Event::Start(e) | Event::Empty(e)) if e.local_name().as_ref() == local => {
                out.push(
                    e.attributes()
                        .flatten()
                        .map(|a| {
                            let key = a.key.local_name().as_ref().to_string();
                            (key, a.value.into_owned())
                        })
                        .collect(),
                );
            }
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hidden_rows_and_columns_are_read_from_the_sheet_xml() {
        let xml = r#"<worksheet><cols><col min="2" max="3" hidden="1"/><col min="4" max="4"/></cols>
            <sheetData><row r="1"/><row r="5" hidden="1"><c r="A5"/></row></sheetData></worksheet>"#;
        let (rows, cols) = hidden_of(xml);
        assert_eq!(rows.into_iter().collect::<Vec<_>>(), [4]);
        assert_eq!(cols.into_iter().collect::<Vec<_>>(), [1, 2]);
    }
}

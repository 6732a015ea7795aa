//! OpenDocument spreadsheets (ODS) through `calamine`. calamine builds each
//! sheet as a dense grid over its filled cells, and ODS repeats cells and
//! rows by count ("number-columns-repeated"): a small file can ask for
//! billions of slots. So `content.xml` is first walked here, counting the
//! filled cells and the area they span, and merged areas and hidden rows
//! and columns are taken from that walk.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::Cursor;

use calamine::{Data, Ods, Reader, SheetVisible};
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader as XmlReader;

use super::grid::{number_text, Filled, Merge, Sheet};
use super::ods_format::Formats;

/// What the walk of `content.xml` learns of one sheet.
#[derive(Default)]
struct Layout {
    merges: Vec<Merge>,
    hidden_rows: BTreeSet<u32>,
    hidden_cols: BTreeSet<u32>,
    /// Each figure's kind (an index into `kinds`), by (row, col).
    figures: BTreeMap<(u32, u32), u32>,
    /// The kinds of figure met: a sheet has few of them.
    kinds: Vec<Figure>,
    kind_of: HashMap<Figure, u32>,
}

/// What says how a figure is shown: its cell style (its own, or its
/// column's default), its value type ("float", "percentage", "currency")
/// and currency.
#[derive(Clone, Default, PartialEq, Eq, Hash)]
struct Figure {
    style: Option<String>,
    value_type: String,
    currency: Option<String>,
}

/// Where the walk is in the current sheet.
#[derive(Default)]
struct Walk {
    row: u64,
    row_repeat: u64,
    col: u64,
    filled: u64,
    /// First and last filled row and column.
    area: Option<(u64, u64, u64, u64)>,
    layout: Layout,
    /// Whether figures' styles are kept (the bounds check needs none).
    styles: bool,
    /// Columns' default cell styles: first column, count, style.
    col_styles: Vec<(u64, u64, String)>,
}

fn num(e: &BytesStart, key: &str) -> Option<u64> {
    e.attributes()
        .flatten()
        .find(|a| a.key.as_ref() == key)
        .and_then(|a| a.value.parse().ok())
}

fn has(e: &BytesStart, key: &str, value: Option<&str>) -> bool {
    e.attributes()
        .flatten()
        .any(|a| a.key.as_ref() == key && value.is_none_or(|v| a.value.as_ref() == v))
}

/// Checks that the sheets' filled cells, and the areas calamine will fill
/// in around them, stay within `max_cells`.
#[cfg(test)]
fn check_extent(content: &str, max_cells: usize) -> Result<(), String> {
    walk(content, max_cells, false).map(|_| ())
}

/// Why an ODS workbook is not read.
pub enum Fault {
    /// Its sheets hold or span more than the cells allowed.
    Limit(String),
    Corrupt(String),
}

fn walk(content: &str, max_cells: usize, styles: bool) -> Result<BTreeMap<String, Layout>, String> {
    let mut reader = XmlReader::from_str(content);
    let mut out = BTreeMap::new();
    let mut name = String::new();
    let fresh = || Walk {
        styles,
        ..Walk::default()
    };
    let mut w = fresh();
    let mut filled = 0u64;
    let max = max_cells as u64;
    loop {
        let (e, empty) = match reader.read_event() {
            Ok(Event::Start(e)) => (e, false),
            Ok(Event::Empty(e)) => (e, true),
            Ok(Event::End(e)) if e.name().as_ref() == "table:table-row" => {
                w.row += w.row_repeat;
                continue;
            }
            Ok(Event::End(e)) if e.name().as_ref() == "table:table" => {
                let area = w
                    .area
                    .map_or(0, |(r0, r1, c0, c1)| (r1 - r0 + 1) * (c1 - c0 + 1));
                filled += w.filled;
                if filled > max || area > max.saturating_mul(2) {
                    return Err(format!(
                        "the spreadsheet's sheets span more than {max_cells} cells"
                    ));
                }
                out.insert(
                    std::mem::take(&mut name),
                    std::mem::replace(&mut w, fresh()).layout,
                );
                continue;
            }
            Ok(Event::Eof) => break,
            Err(e) => return Err(format!("content.xml: {e}")),
            _ => continue,
        };
        step(&e, empty, &mut w, &mut name, max)?;
    }
    Ok(out)
}

/// One opening tag of the walk.
fn step(
    e: &BytesStart,
    empty: bool,
    w: &mut Walk,
    name: &mut String,
    max: u64,
) -> Result<(), String> {
    let cap = |n: u64| n.clamp(1, 1 << 21);
    match e.name().as_ref() {
        "table:table" => {
            *name = e
                .attributes()
                .flatten()
                .find(|a| a.key.as_ref() == "table:name")
                .map(|a| a.value.into_owned())
                .unwrap_or_default();
        }
        "table:table-column" => {
            let n = cap(num(e, "table:number-columns-repeated").unwrap_or(1));
            if let Some(style) = value(e, "table:default-cell-style-name") {
                w.col_styles.push((w.col, n, style));
            }
            w.col_defs(n, has(e, "table:visibility", Some("collapse")));
        }
        "table:table-row" => {
            w.row_repeat = cap(num(e, "table:number-rows-repeated").unwrap_or(1));
            w.col = 0;
            if has(e, "table:visibility", Some("collapse"))
                || has(e, "table:visibility", Some("filter"))
            {
                let (r, n) = (w.row, w.row_repeat.min(1 << 16));
                w.layout.hidden_rows.extend((r..r + n).map(|r| r as u32));
            }
            if empty {
                w.row += w.row_repeat;
            }
        }
        "table:table-cell" | "table:covered-table-cell" => {
            let n = cap(num(e, "table:number-columns-repeated").unwrap_or(1));
            if has(e, "office:value-type", None) || has(e, "table:formula", None) {
                w.filled = w.filled.saturating_add(n.saturating_mul(w.row_repeat));
                if w.filled > max {
                    return Err(format!(
                        "the spreadsheet holds more than {max} filled cells"
                    ));
                }
                let (r0, r1) = (w.row, w.row + w.row_repeat - 1);
                let (c0, c1) = (w.col, w.col + n - 1);
                let a = w.area.get_or_insert((r0, r1, c0, c1));
                *a = (a.0.min(r0), a.1.max(r1), a.2.min(c0), a.3.max(c1));
                if w.styles {
                    w.figure(e, n);
                }
            }
            let cols = num(e, "table:number-columns-spanned").unwrap_or(1);
            let rows = num(e, "table:number-rows-spanned").unwrap_or(1);
            if cols > 1 || rows > 1 {
                w.layout.merges.push(Merge {
                    rows: (w.row as u32, (w.row + rows.min(1 << 20) - 1) as u32),
                    cols: (w.col as u32, (w.col + cols.min(1 << 14) - 1) as u32),
                });
            }
            w.col += n;
        }
        _ => {}
    }
    Ok(())
}

fn value(e: &BytesStart, key: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.as_ref() == key)
        .map(|a| a.value.to_string())
}

impl Walk {
    /// Keeps the style of a figure cell repeated `n` times along the row
    /// (and down the rows the row repeats): bounded, as the cells were
    /// counted before.
    fn figure(&mut self, e: &BytesStart, n: u64) {
        let value_type = value(e, "office:value-type").unwrap_or_default();
        if !matches!(value_type.as_str(), "float" | "percentage" | "currency") {
            return;
        }
        let style = value(e, "table:style-name").or_else(|| {
            let c = self.col;
            let s = self
                .col_styles
                .iter()
                .find(|s| (s.0..s.0 + s.1).contains(&c));
            s.map(|s| s.2.clone())
        });
        let f = Figure {
            style,
            value_type,
            currency: value(e, "office:currency"),
        };
        let l = &mut self.layout;
        let kind = *l.kind_of.entry(f).or_insert_with_key(|f| {
            l.kinds.push(f.clone());
            l.kinds.len() as u32 - 1
        });
        for r in self.row..self.row + self.row_repeat {
            for c in self.col..self.col + n {
                l.figures.insert((r as u32, c as u32), kind);
            }
        }
    }

    /// Column definitions come before the rows, in order: `n` more of them.
    fn col_defs(&mut self, n: u64, hidden: bool) {
        if hidden {
            let from = self.col;
            let to = (from + n).min(1 << 14);
            self.layout.hidden_cols.extend((from..to).map(|c| c as u32));
        }
        self.col += n;
    }
}

/// Every sheet of the workbook with its saved values and formulas.
/// The walk of `content.xml` checks that the sheets' filled cells, and the
/// areas calamine will fill in around them, stay within `max_cells`, before
/// calamine reads the workbook.
pub fn read(
    bytes: &[u8],
    content: &str,
    styles: Option<&str>,
    max_cells: usize,
) -> Result<Vec<Sheet>, Fault> {
    let layouts = walk(content, max_cells, true).map_err(Fault::Limit)?;
    let formats = Formats::read(&[content, styles.unwrap_or("")]);
    let mut wb: Ods<Cursor<&[u8]>> =
        Ods::new(Cursor::new(bytes)).map_err(|e| Fault::Corrupt(e.to_string()))?;
    let sheets: Vec<(String, bool)> = wb
        .sheets_metadata()
        .iter()
        .map(|s| (s.name.clone(), s.visible != SheetVisible::Visible))
        .collect();
    let mut out = Vec::new();
    for (name, hidden) in sheets {
        let values = wb
            .worksheet_range(&name)
            .map_err(|e| Fault::Corrupt(format!("{name}: {e}")))?;
        let formulas = wb
            .worksheet_formula(&name)
            .map_err(|e| Fault::Corrupt(format!("{name}: {e}")))?;
        let mut sheet = Sheet {
            name: name.clone(),
            hidden,
            ..Sheet::default()
        };
        let layout = layouts.get(&name);
        // One format code per kind of figure, not per cell.
        let codes: Vec<String> = layout.map_or(Vec::new(), |l| {
            let code =
                |f: &Figure| formats.code(f.style.as_deref(), &f.value_type, f.currency.as_deref());
            l.kinds.iter().map(code).collect()
        });
        let code = |pos: (u32, u32)| -> &str {
            let kind = layout.and_then(|l| l.figures.get(&pos));
            kind.and_then(|&k| codes.get(k as usize))
                .map_or("", String::as_str)
        };
        let (r0, c0) = values.start().unwrap_or((0, 0));
        for (r, c, v) in values.used_cells() {
            let pos = (r0 + r as u32, c0 + c as u32);
            let text = match v {
                Data::Int(i) => number_text(*i as f64, code(pos)),
                Data::Float(f) => number_text(*f, code(pos)),
                Data::DateTime(d) => {
                    let (y, m, day, ..) = d.to_ymd_hms_milli();
                    format!("{day:02}.{m:02}.{y}")
                }
                Data::Empty => String::new(),
                other => other.to_string(),
            };
            let formula = formulas
                .get_value(pos)
                .filter(|f| !f.is_empty())
                .map(|f| formula_of(f));
            sheet.cells.insert(pos, Filled { text, formula });
        }
        if let Some(l) = layouts.get(&name) {
            sheet.merges = l.merges.clone();
            sheet.hidden_rows = l.hidden_rows.clone();
            sheet.hidden_cols = l.hidden_cols.clone();
        }
        out.push(sheet);
    }
    Ok(out)
}

/// An OpenFormula as spreadsheets print it: "of:=SUM([.C3:.C12])" is
/// "SUM(C3:C12)".
fn formula_of(f: &str) -> String {
    let f = f.strip_prefix("of:").unwrap_or(f);
    let f = f.strip_prefix('=').unwrap_or(f);
    f.replace("[.", "").replace(":.", ":").replace(']', "")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn open_formulas_read_as_spreadsheets_print_them() {
        assert_eq!(formula_of("of:=SUM([.C3:.C12])"), "SUM(C3:C12)");
        assert_eq!(formula_of("of:=[.B2]+[.B3]"), "B2+B3");
    }

    #[test]
    fn merged_areas_and_hidden_rows_and_columns_come_from_the_walk() {
        let xml = r#"<table:table table:name="A"><table:table-column table:number-columns-repeated="2"/><table:table-column table:visibility="collapse"/>
            <table:table-row><table:table-cell table:number-columns-spanned="2" office:value-type="string"/><table:covered-table-cell/></table:table-row>
            <table:table-row table:visibility="collapse"><table:table-cell office:value-type="float"/></table:table-row></table:table>"#;
        let layouts = walk(xml, 100, false).unwrap();
        let a = &layouts["A"];
        assert_eq!(
            a.merges,
            [Merge {
                rows: (0, 0),
                cols: (0, 1)
            }]
        );
        assert_eq!(a.hidden_cols.iter().copied().collect::<Vec<_>>(), [2]);
        assert_eq!(a.hidden_rows.iter().copied().collect::<Vec<_>>(), [1]);
    }

    #[test]
    fn repeated_cells_count_as_many() {
        let xml = r#"<office:spreadsheet><table:table table:name="A">
            <table:table-row table:number-rows-repeated="1000"><table:table-cell office:value-type="float" table:number-columns-repeated="1000"/></table:table-row>
            </table:table></office:spreadsheet>"#;
        assert!(check_extent(xml, 500_000).is_err());
        assert!(check_extent(xml, 2_000_000).is_ok());
        let far = r#"<table:table table:name="A"><table:table-row><table:table-cell office:value-type="float"/></table:table-row>
            <table:table-row table:number-rows-repeated="1048570"/><table:table-row><table:table-cell table:number-columns-repeated="1000"/><table:table-cell office:value-type="float"/></table:table-row></table:table>"#;
        assert!(check_extent(far, 500_000).is_err());
    }
}

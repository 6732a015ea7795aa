//! A sheet as its cells, and how it becomes blocks: the sheet's name as a
//! heading, then one table per run of rows between blank rows.

use std::collections::{BTreeMap, BTreeSet};

use super::super::layout::Item;
use crate::model::{column_name, BlockKind, Cell, SheetCell, TableRow};

/// One filled cell: its text as the sheet shows it, and its formula.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Filled {
    pub text: String,
    /// Without its "=" ("SUM(C3:C12)").
    pub formula: Option<String>,
}

/// A merged area, inclusive: first and last row, first and last column.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Merge {
    pub rows: (u32, u32),
    pub cols: (u32, u32),
}

impl Merge {
    /// The merged areas as calamine gives them (XLSX and XLS alike).
    pub fn all_of(areas: &[calamine::Dimensions]) -> Vec<Merge> {
        areas
            .iter()
            .map(|d| Merge {
                rows: (d.start.0, d.end.0),
                cols: (d.start.1, d.end.1),
            })
            .collect()
    }
}

/// A sheet as read, before it is laid out in blocks.
#[derive(Clone, Debug, Default)]
pub struct Sheet {
    pub name: String,
    pub hidden: bool,
    /// Filled cells by (row, column), from 0.
    pub cells: BTreeMap<(u32, u32), Filled>,
    pub merges: Vec<Merge>,
    pub hidden_rows: BTreeSet<u32>,
    pub hidden_cols: BTreeSet<u32>,
    /// Formula cells without a value the file kept: never calculated.
    pub uncalculated: usize,
}

/// Tables wider than this are cut: no budget is a thousand columns wide,
/// and a stray cell far to the right must not widen every row.
const MAX_WIDTH: u32 = 256;

/// What a sheet's layout cost and noticed: slots made, and problems.
#[derive(Default)]
pub struct Laid {
    pub items: Vec<Item>,
    pub slots: usize,
    pub problems: Vec<String>,
}

/// The sheet as items: its name as a heading, then its blocks of rows. A
/// block's leading rows that hold one text each are its titles.
pub fn lay_out(sheet: &Sheet, max_slots: usize, laid: &mut Laid) -> Result<(), String> {
    laid.problems.extend(notes(sheet));
    if sheet.cells.values().all(|c| c.text.trim().is_empty()) {
        return Ok(());
    }
    laid.items.push(heading(1, &sheet.name));
    for rows in blocks(sheet) {
        if rows.iter().all(|&r| lone_title(sheet, r).is_some()) {
            // Texts one under the other: paragraphs, not a table.
            for t in rows.iter().filter_map(|&r| lone_title(sheet, r)) {
                laid.items.push(Item::Block {
                    kind: BlockKind::Paragraph,
                    lines: vec![t.to_string()],
                    lead: None,
                });
            }
            continue;
        }
        let mut rows = &rows[..];
        while let Some(t) = rows.first().and_then(|&r| lone_title(sheet, r)) {
            laid.items.push(heading(2, t));
            rows = &rows[1..];
        }
        let (table, cut) = table(sheet, rows);
        if cut {
            laid.problems.push(format!(
                "{}: a table wider than {MAX_WIDTH} columns was cut at column {}",
                sheet.name,
                column_name(MAX_WIDTH - 1)
            ));
        }
        laid.slots += table.iter().map(|r| r.cells.len()).sum::<usize>();
        if laid.slots > max_slots {
            return Err(format!(
                "the spreadsheet's tables hold more than {max_slots} cells"
            ));
        }
        laid.items.push(Item::Table(table));
    }
    Ok(())
}

fn heading(level: u8, text: &str) -> Item {
    Item::Block {
        kind: BlockKind::Heading {
            level,
            number: None,
        },
        lines: vec![text.trim().to_string()],
        lead: None,
    }
}

/// What a reader should know of the sheet: hidden, with hidden rows or
/// columns (read all the same), formulas never calculated.
fn notes(sheet: &Sheet) -> Vec<String> {
    let mut out = Vec::new();
    if sheet.hidden {
        out.push(format!("sheet {} is hidden; it is read", sheet.name));
    }
    let filled_rows: BTreeSet<u32> = sheet.cells.keys().map(|k| k.0).collect();
    let filled_cols: BTreeSet<u32> = sheet.cells.keys().map(|k| k.1).collect();
    let rows: Vec<String> = (sheet.hidden_rows.intersection(&filled_rows))
        .map(|r| (r + 1).to_string())
        .collect();
    let cols: Vec<String> = (sheet.hidden_cols.intersection(&filled_cols))
        .map(|&c| column_name(c))
        .collect();
    for (what, list) in [("rows", rows), ("columns", cols)] {
        if !list.is_empty() {
            out.push(format!(
                "{}: hidden {what} {} are read with the rest",
                sheet.name,
                list.join(", ")
            ));
        }
    }
    if sheet.uncalculated > 0 {
        out.push(format!(
            "{}: {} formula cells have no saved value (the file was never calculated); they read as blank",
            sheet.name, sheet.uncalculated
        ));
    }
    out
}

/// Runs of rows with something in them, split at blank rows. A merged area
/// keeps the rows it covers together.
fn blocks(sheet: &Sheet) -> Vec<Vec<u32>> {
    let mut filled: BTreeSet<u32> = sheet
        .cells
        .iter()
        .filter(|(_, c)| !c.text.trim().is_empty())
        .map(|(k, _)| k.0)
        .collect();
    for m in &sheet.merges {
        if filled.contains(&m.rows.0) {
            filled.extend(m.rows.0..=m.rows.1.min(m.rows.0 + 1000));
        }
    }
    let mut out: Vec<Vec<u32>> = Vec::new();
    for r in filled {
        match out.last_mut() {
            Some(b) if b.last().is_some_and(|&l| l + 1 == r) => b.push(r),
            _ => out.push(vec![r]),
        }
    }
    out
}

/// The text of a row that holds one text only (a title over a table).
fn lone_title(sheet: &Sheet, row: u32) -> Option<&str> {
    let mut texts = sheet
        .cells
        .range((row, 0)..(row + 1, 0))
        .map(|(_, c)| c.text.trim())
        .filter(|t| !t.is_empty());
    let t = texts.next()?;
    let wordy = t.chars().any(char::is_alphabetic);
    (texts.next().is_none() && wordy).then_some(t)
}

/// The rows as a table: the block's columns from its first to its last
/// filled one, merged areas as spans. Returns whether it was cut.
fn table(sheet: &Sheet, rows: &[u32]) -> (Vec<TableRow>, bool) {
    let (first, last) = (rows[0], rows[rows.len() - 1]);
    let in_block = |r: u32| (first..=last).contains(&r);
    let cols = sheet
        .cells
        .iter()
        .filter(|((r, _), c)| in_block(*r) && !c.text.trim().is_empty())
        .map(|((_, col), _)| *col);
    let (lo, hi) = cols.fold((u32::MAX, 0), |(lo, hi), c| (lo.min(c), hi.max(c)));
    let cut = hi - lo >= MAX_WIDTH;
    let hi = hi.min(lo + MAX_WIDTH - 1);
    let mut grid: Vec<TableRow> = rows
        .iter()
        .map(|&r| TableRow {
            cells: (lo..=hi).map(|c| slot(sheet, r, c)).collect(),
            page: None,
        })
        .collect();
    for m in sheet.merges.iter().filter(|m| in_block(m.rows.0)) {
        if m.cols.0 < lo || m.cols.0 > hi {
            continue;
        }
        let (r0, c0) = ((m.rows.0 - first) as usize, (m.cols.0 - lo) as usize);
        let r1 = (m.rows.1.min(last) - first) as usize;
        let c1 = (m.cols.1.min(hi) - lo) as usize;
        for (i, row) in grid.iter_mut().enumerate().take(r1 + 1).skip(r0) {
            for (k, cell) in row.cells.iter_mut().enumerate().take(c1 + 1).skip(c0) {
                if (i, k) != (r0, c0) {
                    cell.merged = true;
                    cell.text.clear();
                }
            }
        }
        let top = &mut grid[r0].cells[c0];
        top.row_span = (r1 - r0 + 1).min(u16::MAX as usize) as u16;
        top.col_span = (c1 - c0 + 1).min(u16::MAX as usize) as u16;
    }
    (grid, cut)
}

/// The model cell of sheet cell (row, col), with its address.
fn slot(sheet: &Sheet, row: u32, col: u32) -> Cell {
    let filled = sheet.cells.get(&(row, col));
    let mut cell = Cell::new(filled.map_or("", |f| f.text.as_str()));
    cell.sheet = Some(Box::new(SheetCell {
        sheet: sheet.name.clone(),
        row,
        col,
        formula: filled.and_then(|f| f.formula.clone()),
    }));
    cell
}

/// A number as the sheet shows it, in Norwegian: "1 800 000", "12,5",
/// "35 %". `format` is the cell's number format code ("#,##0", "0.0%");
/// figures of five digits and more are grouped whatever it says, as the
/// documents print them.
pub fn number_text(value: f64, format: &str) -> String {
    if !value.is_finite() {
        return String::new();
    }
    let percent = format.contains('%');
    let v = if percent { value * 100.0 } else { value };
    let decimals = decimals_of(format).unwrap_or_else(|| {
        // General: as many as the value has, at most six.
        if v.fract() == 0.0 {
            return 0;
        }
        let s = format!("{:.6}", v.abs().fract());
        s.trim_end_matches('0').len().saturating_sub(2).min(6)
    });
    let text = fixed(v.abs(), decimals);
    let (int, frac) = text.split_once('.').unwrap_or((&text, ""));
    let grouped = if int.len() >= 5 || (format.contains(',') && int.len() > 3) {
        group(int)
    } else {
        int.to_string()
    };
    let sign = if v < 0.0 && text.chars().any(|c| c.is_ascii_digit() && c != '0') {
        "-"
    } else {
        ""
    };
    let frac = if frac.is_empty() {
        String::new()
    } else {
        format!(",{frac}")
    };
    let unit = if percent {
        " %"
    } else if has_word(format, "kr") || has_word(format, "nok") {
        // A currency format: the sheet shows the unit, and so does the text.
        " kr"
    } else {
        ""
    };
    format!("{sign}{grouped}{frac}{unit}")
}

/// `x` (not negative) with `decimals` places, as `format!("{x:.decimals$}")`
/// writes it; a whole number below 2⁵³ (most figures of a budget) without
/// the float formatter, which was most of the time spent on a cell's text.
fn fixed(x: f64, decimals: usize) -> String {
    if x.fract() == 0.0 && x < 9_007_199_254_740_992.0 {
        let whole = (x as u64).to_string();
        if decimals == 0 {
            return whole;
        }
        return format!("{whole}.{}", "0".repeat(decimals));
    }
    format!("{x:.decimals$}")
}

/// Whether a format code holds `word` in any case ("kr", "NOK").
fn has_word(format: &str, word: &str) -> bool {
    if format.is_ascii() {
        format
            .as_bytes()
            .windows(word.len())
            .any(|w| w.eq_ignore_ascii_case(word.as_bytes()))
    } else {
        format.to_lowercase().contains(word)
    }
}

/// Decimal places a format code asks for ("0.00" → 2); `None` for General.
fn decimals_of(format: &str) -> Option<usize> {
    let section = format.split(';').next().unwrap_or("");
    if section.is_empty() || section.eq_ignore_ascii_case("general") {
        return None;
    }
    if !section.contains('0') && !section.contains('#') {
        return None;
    }
    Some(section.split_once('.').map_or(0, |(_, f)| {
        f.chars().take_while(|&c| c == '0' || c == '#').count()
    }))
}

fn group(digits: &str) -> String {
    let mut out = String::new();
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(' ');
        }
        out.push(d);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_numbers_are_written_as_the_float_formatter_writes_them() {
        let mut x = 1.0f64;
        for _ in 0..60 {
            for d in 0..4 {
                for v in [x, x - 1.0, x + 1.0, (x * 0.7).floor()] {
                    assert_eq!(fixed(v, d), format!("{v:.d$}"), "{v} with {d} places");
                }
            }
            x *= 2.0;
        }
        assert_eq!(fixed(12.5, 1), "12.5");
        assert_eq!(fixed(1234.567, 2), "1234.57");
        assert!(has_word("#,##0 \"KR\"", "kr") && !has_word("#,##0", "kr"));
        assert!(has_word("#,##0 \"Kroner\" ø", "kr"));
    }

    #[test]
    fn numbers_read_as_the_sheet_shows_them_in_norwegian() {
        assert_eq!(number_text(1_800_000.0, "#,##0"), "1 800 000");
        assert_eq!(number_text(1_800_000.0, "General"), "1 800 000");
        assert_eq!(number_text(2025.0, "General"), "2025");
        assert_eq!(number_text(2500.0, "#,##0"), "2 500");
        assert_eq!(number_text(12.5, "General"), "12,5");
        assert_eq!(number_text(0.357, "0.0%"), "35,7 %");
        assert_eq!(number_text(-4200.0, "0"), "-4200");
        assert_eq!(number_text(1234.567, "#,##0.00"), "1 234,57");
        assert_eq!(number_text(150_000.0, "#,##0\\ \"kr\""), "150 000 kr");
        assert_eq!(number_text(150_000.0, "[$kr-414]\\ #,##0"), "150 000 kr");
    }

    fn sheet(cells: &[((u32, u32), &str)]) -> Sheet {
        Sheet {
            name: "Budsjett".into(),
            cells: cells
                .iter()
                .map(|&(k, t)| {
                    (
                        k,
                        Filled {
                            text: t.into(),
                            formula: None,
                        },
                    )
                })
                .collect(),
            ..Sheet::default()
        }
    }

    #[test]
    fn blank_rows_part_tables_and_a_lone_text_is_a_title() {
        let s = sheet(&[
            ((0, 0), "Budsjett 2025"),
            ((1, 0), "Tiltak"),
            ((1, 1), "Kostnad"),
            ((2, 0), "Kurs"),
            ((2, 1), "100"),
            ((4, 1), "Ramme"),
            ((4, 2), "7"),
        ]);
        let mut laid = Laid::default();
        lay_out(&s, 1000, &mut laid).unwrap();
        let kinds: Vec<String> = laid
            .items
            .iter()
            .map(|i| match i {
                Item::Block { lines, .. } => lines[0].clone(),
                Item::Table(rows) => format!("table {}x{}", rows.len(), rows[0].cells.len()),
                _ => "?".into(),
            })
            .collect();
        assert_eq!(
            kinds,
            ["Budsjett", "Budsjett 2025", "table 2x2", "table 1x2"]
        );
        let Item::Table(rows) = &laid.items[3] else {
            panic!()
        };
        let at = rows[0].cells[1].sheet.as_ref().unwrap();
        assert_eq!(at.reference(), "Budsjett!C5");
    }

    #[test]
    fn merged_cells_are_spans_and_too_many_cells_are_refused() {
        let mut s = sheet(&[
            ((0, 0), "Post"),
            ((0, 1), "2025"),
            ((1, 0), "a"),
            ((1, 2), "3"),
        ]);
        s.merges.push(Merge {
            rows: (0, 0),
            cols: (1, 2),
        });
        let mut laid = Laid::default();
        lay_out(&s, 1000, &mut laid).unwrap();
        let Item::Table(rows) = &laid.items[1] else {
            panic!()
        };
        assert_eq!(rows[0].cells[1].col_span, 2);
        assert!(rows[0].cells[2].merged);
        assert!(lay_out(&s, 3, &mut Laid::default()).is_err());
    }
}

use std::collections::BTreeMap;
use std::sync::LazyLock;

use regex::Regex;

use super::column_sum::OTHER_TOTALS;
use super::{declare_rule, Checker, Evidence, Finding, Value};
use crate::extract::grid::{Grid, GridRow, RowKind};
use crate::model::{cell_name, SheetCell, Table};
use crate::norsk::Amount;

declare_rule! {
    /// ## What it checks
    /// A spreadsheet's total cell whose formula sums a range of its column
    /// (`=SUM(C3:C12)`; several ranges, `=SUM(C3:C7;C9:C12)`; or
    /// `=SUBTOTAL(9;C3:C12)`) against the items of the table it closes: an
    /// item row directly above or below the range, or between its ranges, in
    /// the same table and block, that the range leaves out is flagged ("the formula of Budsjett!C14
    /// sums C3:C12 but the table's items are C3:C13"). Only spreadsheets
    /// keep formulas; other formats never raise it.
    ///
    /// ## Confidence
    /// The value the file saved for the total is what its formula gave. When
    /// that value is exactly the sum of the range, the rows left out are the
    /// whole gap (a simple edit: extend the range); when other totals of the
    /// same row sum the full item rows of their columns, the reading of the
    /// table's items is corroborated too. Both give high confidence, one
    /// medium. A row left out whose figure is zero changes nothing today and
    /// is a notice, left out of a run unless asked for; rows left out that
    /// read as a reservation ("Avsetning", "Buffer") make a warning, since a
    /// total may leave them out on purpose.
    ///
    /// ## Why it matters
    /// A range that stops one row short is the commonest spreadsheet error:
    /// a row inserted under the last item, or a copied total, and the sum
    /// silently misses money. The plan then prints a total that its own
    /// table contradicts.
    ///
    /// ## Example
    /// ```text
    ///    A                  B
    /// 5  Kurs               150 000
    /// …
    /// 9  Ungt entreprenørskap 230 000
    /// 10 Sum                =SUM(B5:B8)   <- misses B9
    /// ```
    pub struct FormulaRange {
        id: "formula-range",
        severity: Error,
        check: check,
    }
}

/// One argument of a sum: `B5:B8` or `B5` (any case, `$` anchors
/// allowed): column, first and last row, as written.
static RANGE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\$?([A-Z]{1,3})\$?([0-9]{1,7})(?:\s*:\s*\$?([A-Z]{1,3})\$?([0-9]{1,7}))?$")
        .expect("valid regex")
});

/// A vertical range of one column: column and rows, from 0.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Span1 {
    col: u32,
    rows: (u32, u32),
}

/// What a total's formula sums: ranges of one column, in order, not
/// overlapping (`SUM(C3:C7;C9:C12)` is two).
#[derive(Clone, Debug, PartialEq, Eq)]
struct Summed {
    col: u32,
    spans: Vec<(u32, u32)>,
}

impl Summed {
    fn contains(&self, row: u32) -> bool {
        self.spans.iter().any(|&(a, b)| (a..=b).contains(&row))
    }

    fn first(&self) -> u32 {
        self.spans[0].0
    }

    fn last(&self) -> u32 {
        self.spans[self.spans.len() - 1].1
    }

    /// As the formula writes it: "C3:C7,C9:C12".
    fn name(&self) -> String {
        let one = |&(a, b): &(u32, u32)| {
            if a == b {
                return cell_name(a, self.col);
            }
            range_name(Span1 {
                col: self.col,
                rows: (a, b),
            })
        };
        self.spans.iter().map(one).collect::<Vec<_>>().join(",")
    }
}

fn column_index(letters: &str) -> u32 {
    letters.bytes().fold(0, |n, b| {
        n * 26 + u32::from(b.to_ascii_uppercase() - b'A' + 1)
    }) - 1
}

/// What a formula sums, when it adds up parts of one column: `SUM` of one
/// range or several (`SUM(C3:C7,C9:C12)`, `;` as ODS writes it), or
/// `SUBTOTAL(9, …)` and `SUBTOTAL(109, …)`, which add up too (leaving out
/// the other SUBTOTALs in their range, as the items here leave out sums).
fn sum_ranges(formula: &str) -> Option<Summed> {
    let f = formula.trim();
    let f = f.strip_prefix('=').unwrap_or(f).trim();
    let open = f.find('(')?;
    let (func, rest) = (f[..open].trim(), &f[open + 1..]);
    let inner = rest.strip_suffix(')')?;
    if inner.contains(['(', ')']) {
        return None; // a sum of something else, or more than a sum
    }
    let mut args = inner.split([',', ';']).map(str::trim);
    if func.eq_ignore_ascii_case("SUBTOTAL") {
        if !matches!(args.next()?, "9" | "109") {
            return None; // an average, a count, a maximum…
        }
    } else if !func.eq_ignore_ascii_case("SUM") {
        return None;
    }
    let mut col = None;
    let mut spans = Vec::new();
    for a in args {
        let c = RANGE.captures(a)?;
        let (first, r0) = (column_index(&c[1]), c[2].parse::<u32>().ok()?);
        let (last, r1) = match (c.get(3), c.get(4)) {
            (Some(l), Some(r)) => (column_index(l.as_str()), r.as_str().parse().ok()?),
            _ => (first, r0),
        };
        if first != last || r0 == 0 || r1 < r0 || *col.get_or_insert(first) != first {
            return None;
        }
        spans.push((r0 - 1, r1 - 1));
    }
    spans.sort_unstable();
    let apart = spans.windows(2).all(|w| w[0].1 < w[1].0);
    let col = col?;
    apart.then_some(Summed { col, spans })
}

fn range_name(s: Span1) -> String {
    format!(
        "{}:{}",
        cell_name(s.rows.0, s.col),
        cell_name(s.rows.1, s.col)
    )
}

fn sheet_cell(table: &Table, row: usize, col: usize) -> Option<&SheetCell> {
    table.rows.get(row)?.cells.get(col)?.sheet.as_deref()
}

fn check(cx: &Checker, out: &mut Vec<Finding>) {
    for grid in &cx.plan.grids {
        let Some(table) = grid.rows.first().and_then(|r| cx.table(r.table)) else {
            continue;
        };
        for total in &grid.rows {
            for col in 0..total.cells.len() {
                let Some(at) = sheet_cell(table, total.index, col) else {
                    continue;
                };
                let range = at.formula.as_deref().and_then(sum_ranges);
                if let Some(range) = range.filter(|r| r.col == at.col) {
                    out.extend(missed_rows(cx, grid, table, total, col, at, range));
                }
            }
        }
    }
}

/// The items of the column in the total's block, by sheet row: rows read
/// as items holding a figure, not themselves sums.
fn items<'g>(
    grid: &'g Grid,
    table: &Table,
    total: &GridRow,
    col: usize,
) -> BTreeMap<u32, &'g GridRow> {
    grid.rows
        .iter()
        .filter(|r| r.block == total.block && r.index != total.index)
        .filter(|r| r.kind == RowKind::Item && r.value(col).is_some())
        .filter_map(|r| {
            let at = sheet_cell(table, r.index, col)?;
            let summed = at.formula.as_deref().and_then(sum_ranges).is_some();
            (!summed).then_some((at.row, r))
        })
        .collect()
}

fn missed_rows(
    cx: &Checker,
    grid: &Grid,
    table: &Table,
    total: &GridRow,
    col: usize,
    at: &SheetCell,
    range: Summed,
) -> Option<Finding> {
    let items = items(grid, table, total, col);
    if !items.keys().any(|&r| range.contains(r)) {
        return None; // the range sums something else than this table
    }
    let (r0, r1) = (range.first(), range.last());
    // Items between the ranges of a sum of several: rows it steps over.
    let mut missed: Vec<&GridRow> = items
        .range(r0..=r1)
        .filter(|(r, _)| !range.contains(**r))
        .map(|(_, r)| *r)
        .collect();
    let mut below = r1 + 1;
    while let Some(r) = items.get(&below) {
        missed.push(*r);
        below += 1;
    }
    let mut above = r0;
    while let Some(r) = above.checked_sub(1).and_then(|a| items.get(&a)) {
        missed.push(*r);
        above -= 1;
    }
    if missed.is_empty() {
        return None;
    }
    let full = Span1 {
        col: range.col,
        rows: (above, below - 1),
    };
    let sum = |rows: &mut dyn Iterator<Item = &&GridRow>| {
        rows.filter_map(|r| r.value(col))
            .fold(Amount::ZERO, |s, m| s + m.amount)
    };
    let in_range = sum(&mut items
        .iter()
        .filter(|(r, _)| range.contains(**r))
        .map(|(_, r)| r));
    let left_out = sum(&mut missed.iter());
    let stated = total.value(col).map(|m| m.amount);
    let computed = in_range + left_out;
    let mut f = Finding::new(format!(
        "the formula of {} sums {} but the table's items are {}: {}",
        at.reference(),
        range.name(),
        range_name(full),
        left_out_words(&missed, table, col)
    ))
    .at(cx.cell(total, col, "total cell"))
    .hint(format!("the total adds up with {}", range_name(full)));
    if let Some(stated) = stated {
        f = f.figures(Value::Money(stated), Value::Money(computed));
    }
    for r in &missed {
        f = f.at(cx.cell(r, col, "item left out of the range"));
    }
    let simple = (left_out != Amount::ZERO && stated == Some(in_range)).then(|| {
        "the saved total is exactly the sum of its range: the rows left out are the gap".to_string()
    });
    if missed.iter().all(|r| r.reserve) {
        // "Avsetning", "(717 000)": a reservation a total may leave out on purpose.
        f = f
            .hint("the rows left out read as a reservation, which a total may leave out on purpose")
            .warning();
    }
    let siblings = reconciled_siblings(table, total, col, full);
    Some(f.assessed(Evidence::new(simple, siblings, OTHER_TOTALS).assess()))
}

/// "row 9 (Ungt entreprenørskap, 230 000) is left out".
fn left_out_words(missed: &[&GridRow], table: &Table, col: usize) -> String {
    let rows: Vec<String> = missed
        .iter()
        .map(|r| {
            let n = sheet_cell(table, r.index, col).map_or(0, |s| s.row + 1);
            let figure = r.value(col).map(|m| m.text.clone()).unwrap_or_default();
            if r.label.is_empty() {
                format!("row {n} ({figure})")
            } else {
                format!("row {n} (\"{}\", {figure})", r.label)
            }
        })
        .collect();
    let verb = if rows.len() == 1 { "is" } else { "are" };
    format!("{} {verb} left out", rows.join(" and "))
}

/// Other totals of the same row whose formulas sum the full item rows of
/// their own columns: they read the table's items as this reading does.
fn reconciled_siblings(table: &Table, total: &GridRow, col: usize, full: Span1) -> usize {
    let Some(row) = table.rows.get(total.index) else {
        return 0;
    };
    (0..row.cells.len())
        .filter(|&c| c != col)
        .filter_map(|c| sheet_cell(table, total.index, c))
        .filter(|s| {
            s.formula
                .as_deref()
                .and_then(sum_ranges)
                .is_some_and(|r| r.col == s.col && r.spans == [full.rows])
        })
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sum_ranges_are_read_with_anchors_and_any_case() {
        assert_eq!(
            sum_ranges("SUM(C3:C12)"),
            Some(Summed {
                col: 2,
                spans: vec![(2, 11)]
            })
        );
        assert_eq!(sum_ranges("=sum($AB$1:$AB$4)").map(|s| s.col), Some(27));
        assert_eq!(sum_ranges("SUM(C3:D12)"), None);
        assert_eq!(sum_ranges("SUM(C3:C12)*2"), None);
        assert_eq!(sum_ranges("SUM(C3:C12)").unwrap().name(), "C3:C12");
    }

    #[test]
    fn several_ranges_and_subtotals_are_sums_too() {
        let two = sum_ranges("SUM(C9:C12;C3:C7)").unwrap();
        assert_eq!(two.spans, [(2, 6), (8, 11)]);
        assert_eq!(two.name(), "C3:C7,C9:C12");
        assert!(two.contains(10) && !two.contains(7));
        let cell = sum_ranges("SUM(C3:C7, C9)").unwrap();
        assert_eq!(
            (cell.spans.as_slice(), cell.name()),
            (&[(2, 6), (8, 8)][..], "C3:C7,C9".into())
        );
        let sub = sum_ranges("SUBTOTAL(9,B3:B5)").unwrap();
        assert_eq!(sub.spans, [(2, 4)]);
        assert!(sum_ranges("SUBTOTAL(109;B3:B5)").is_some());
        // An average, two columns, overlapping ranges: not a column's sum.
        assert_eq!(sum_ranges("SUBTOTAL(1,B3:B5)"), None);
        assert_eq!(sum_ranges("SUM(B3:B5,C3:C5)"), None);
        assert_eq!(sum_ranges("SUM(B3:B5,B4:B6)"), None);
        assert_eq!(sum_ranges("SUM(B3:B5)+SUM(B7:B8)"), None);
    }

    #[test]
    fn other_formats_never_raise_it() {
        let text = "Tiltak\tKostnad\nKurs\t100 000\nHage\t200 000\nSum\t100 000\n";
        assert!(super::super::testing::all_findings("formula-range", text).is_empty());
    }
}

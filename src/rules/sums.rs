//! Table arithmetic shared by `column-sum` and `row-sum`: which totals disagree
//! with the figures they total, and which single cell would reconcile a row
//! total and a column total at once.

use crate::extract::grid::{ColumnKind, Grid, GridRow, RowKind};
use crate::norsk::Amount;

use super::figure::Fig;
use super::{Checker, Finding};

/// A total row whose figure in one column differs from the items it totals.
pub struct ColumnMismatch<'g> {
    pub col: usize,
    pub total: &'g GridRow,
    /// The rows summed (items, or the group totals a grand total adds up).
    pub parts: Vec<&'g GridRow>,
    pub stated: Fig,
    pub computed: Fig,
    /// A reserve row ("Avsetning …") whose omission makes the total agree.
    pub without_reserve: Option<&'g GridRow>,
    /// A single part whose omission makes the total agree.
    pub without_one: Option<&'g GridRow>,
    pub grand: bool,
    /// The total stands above what it totals (a table that opens with its total).
    pub below: bool,
}

/// The figures of column `col` outside a total's sum: statistic rows and
/// items after the last total, which an item missing from the sum may be.
pub fn outside_figures(
    grid: &Grid,
    parts: &[&GridRow],
    total: &GridRow,
    col: usize,
) -> Vec<Amount> {
    let last_total = grid.rows.iter().rposition(GridRow::is_total);
    grid.rows
        .iter()
        .enumerate()
        .filter(|(_, r)| r.block == total.block && !std::ptr::eq(*r, total))
        .filter(|(_, r)| !parts.iter().any(|p| std::ptr::eq(*p, *r)))
        .filter(|(i, r)| {
            r.kind == RowKind::Statistic
                || (r.kind == RowKind::Item && last_total.is_some_and(|t| *i > t))
        })
        .filter_map(|(_, r)| r.signed(col))
        .collect()
}

/// A row whose total column differs from the sum of its part columns.
pub struct RowMismatch<'g> {
    pub row: &'g GridRow,
    pub total_col: usize,
    pub parts: Vec<usize>,
    pub stated: Fig,
    pub computed: Fig,
}

fn fig(row: &GridRow, col: usize) -> Option<Fig> {
    row.value(col).map(Fig::of)
}

/// The sum of `rows` in `col`. Parenthesised figures are left out unless `all`;
/// a subtracted step ("− Avskrivninger") counts negative.
fn sum(rows: &[&GridRow], col: usize, all: bool, skip: Option<&GridRow>) -> Fig {
    let figs: Vec<Fig> = rows
        .iter()
        .filter(|r| skip.is_none_or(|s| !std::ptr::eq(**r, s)))
        .filter_map(|r| {
            let m = r.value(col)?;
            let mut f = Fig::of(m);
            f.value = r.signed(col)?;
            (all || !m.parenthesized).then_some(f)
        })
        .collect();
    Fig::sum(&figs)
}

/// How many of `rows` have a figure in `col`.
fn filled(rows: &[&GridRow], col: usize) -> usize {
    rows.iter().filter(|r| r.value(col).is_some()).count()
}

/// An item blank in `col` whose row holds figures the reading could not put
/// in their columns: the column may have lost that row's figure, so its sum
/// says nothing about the total.
fn lost_rows(rows: &[&GridRow], col: usize) -> bool {
    rows.iter()
        .any(|r| r.kind == RowKind::Item && r.value(col).is_none() && r.unread)
}

/// A "total" no larger than the largest of two or more positive items, and
/// no smaller than the smallest, is no sum of them: it is their mean, a
/// rate or a share ("Total | 66" under 55, 73, 52 …, females in %).
fn mean_shaped(stated: Fig, rows: &[&GridRow], col: usize) -> bool {
    let values: Vec<Amount> = rows.iter().filter_map(|r| r.signed(col)).collect();
    let positive = values.iter().filter(|v| **v > Amount::ZERO).count();
    if positive < 2 || values.iter().any(|v| *v < Amount::ZERO) {
        return false;
    }
    let (min, max) = (
        values.iter().copied().min().unwrap_or_default(),
        values.iter().copied().max().unwrap_or_default(),
    );
    (min..=max).contains(&stated.value)
}

fn agrees_some(stated: Fig, rows: &[&GridRow], col: usize) -> bool {
    stated.agrees(sum(rows, col, false, None)) || stated.agrees(sum(rows, col, true, None))
}

/// "1.2 Reiser": a label numbered below the top level.
fn sub_numbered(label: &str) -> bool {
    let head = label.split_whitespace().next().unwrap_or("");
    let parts: Vec<&str> = head.trim_end_matches('.').split('.').collect();
    parts.len() >= 2
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
}

/// A row without a label at the bottom is a total only if it adds up somewhere.
fn unlabelled_total_holds(grid: &Grid, before: &[&GridRow], row: &GridRow) -> bool {
    let items: Vec<&GridRow> = before
        .iter()
        .filter(|r| r.kind == RowKind::Item)
        .copied()
        .collect();
    grid.money_columns().any(|c| {
        fig(row, c).is_some_and(|s| {
            items.iter().any(|r| r.value(c).is_some()) && agrees_some(s, &items, c)
        })
    })
}

/// The totals that disagree with what they total, read down the table
/// (a total sums the items above it) unless the table opens with its total.
///
/// A table whose first row is a total ("Totalt" under the header) is read
/// both ways: each total summing the items above it, and each summing the
/// items below it. The reading under which more totals agree, and at least as
/// many agree as disagree, is the table's; when neither is clearly better the
/// structure is uncertain and nothing is reported.
/// The column totals that disagree, and how many totals (of two or more
/// figures) agree under the same reading: what corroborates it.
pub fn column_reading(grid: &Grid) -> (Vec<ColumnMismatch<'_>>, usize) {
    let down: Vec<&GridRow> = grid.rows.iter().collect();
    let (last, agree_last) = mismatches_in(grid, &down, false);
    if !opens_with_total(grid) {
        return (last, agree_last);
    }
    // Read bottom-up, a total over its items closes them as a total below would.
    let up: Vec<&GridRow> = grid.rows.iter().rev().collect();
    let (mut first, agree_first) = mismatches_in(grid, &up, true);
    if agree_first > agree_last && agree_first >= first.len() {
        for m in &mut first {
            m.parts.sort_by_key(|r| r.index);
        }
        (first, agree_first)
    } else if agree_last > agree_first && agree_last >= last.len() {
        (last, agree_last)
    } else {
        (Vec::new(), 0)
    }
}

/// The first row under the header is a labelled total, and no row is an
/// unlabelled possible total (which only a total-last reading can give).
fn opens_with_total(grid: &Grid) -> bool {
    grid.rows.first().is_some_and(|r| r.kind == RowKind::Total)
        && !grid.rows.iter().any(|r| r.kind == RowKind::UnlabelledTotal)
}

/// The totals that disagree when `rows` are read in this order, each total
/// summing the items before it; and how many totals of two or more figures
/// agree.
///
/// A total agrees when any plain reading adds up: the items since the last
/// total; the totals before it and those items (a grand total); the last
/// total and the items since (a running total: "Sum drift", one more item,
/// "Sum drift og investering"); or, just after a header row inside the
/// table, the items on both sides of it (the header row was no block's).
/// A header row inside the table starts a new block (a wide table printed
/// as two blocks one under the other): totals are never compared across it.
/// A column that may have lost an item's figure (the row's figures ran
/// together in another cell), or a "total" within the range of its items
/// (a mean or a rate), is not compared.
fn mismatches_in<'g>(
    grid: &'g Grid,
    rows: &[&'g GridRow],
    below: bool,
) -> (Vec<ColumnMismatch<'g>>, usize) {
    let mut out = Vec::new();
    let mut agreeing = 0;
    for col in grid.money_columns() {
        let mut since: Vec<&GridRow> = Vec::new();
        let mut closed: Vec<&GridRow> = Vec::new();
        let mut last_total: Option<&GridRow> = None;
        // The items of the block before a header row, until a total closes.
        let mut before_block: Vec<&GridRow> = Vec::new();
        let mut seen_totals = 0;
        // Totals of this block: the last of several is the grand one.
        let block_totals = |at: usize| {
            let block = rows[at].block;
            rows.iter()
                .filter(|r| r.is_total() && r.block == block)
                .count()
        };
        for (i, &row) in rows.iter().enumerate() {
            match row.kind {
                RowKind::Item => since.push(row),
                RowKind::Group | RowKind::Statistic => {}
                RowKind::Header => {
                    if !since.is_empty() || !closed.is_empty() {
                        before_block = std::mem::take(&mut since);
                        closed.clear();
                        last_total = None;
                        seen_totals = 0;
                    }
                }
                RowKind::Total | RowKind::UnlabelledTotal => {
                    seen_totals += 1;
                    if row.kind == RowKind::UnlabelledTotal
                        && !unlabelled_total_holds(grid, &rows[..i], row)
                    {
                        continue;
                    }
                    let spanning: Vec<&GridRow> = std::mem::take(&mut before_block);
                    let Some(stated) = fig(row, col) else {
                        // A blank total states nothing, but still closes its group.
                        since.clear();
                        continue;
                    };
                    let group: Vec<&GridRow> = std::mem::take(&mut since);
                    let mut grand: Vec<&GridRow> = closed.clone();
                    grand.extend(group.iter().copied());
                    let group_has = group.iter().any(|r| r.value(col).is_some());
                    let grand_has = !closed.is_empty();
                    closed.push(row);
                    let previous = last_total.replace(row);
                    if !group_has && !grand_has {
                        continue;
                    }
                    let running: Vec<&GridRow> = previous
                        .filter(|p| p.value(col).is_some())
                        .into_iter()
                        .chain(group.iter().copied())
                        .collect();
                    let mut across: Vec<&GridRow> = spanning.clone();
                    across.extend(group.iter().copied());
                    let agrees_with = |parts: &[&GridRow]| {
                        agrees_some(stated, parts, col).then(|| filled(parts, col))
                    };
                    let agreed = [
                        group_has.then(|| agrees_with(&group)).flatten(),
                        grand_has.then(|| agrees_with(&grand)).flatten(),
                        (running.len() > group.len())
                            .then(|| agrees_with(&running))
                            .flatten(),
                        (!spanning.is_empty())
                            .then(|| agrees_with(&across))
                            .flatten(),
                    ]
                    .into_iter()
                    .flatten()
                    .max();
                    if let Some(n) = agreed {
                        agreeing += usize::from(n >= 2);
                        continue;
                    }
                    // Which total is it? The last of several totals is the grand one.
                    // Read from below, a total over its own items is their total:
                    // only one with no items of its own is taken as a grand total.
                    let is_grand =
                        grand_has && (!group_has || (!below && seen_totals == block_totals(i)));
                    match unexplained(col, row, stated, group, grand, is_grand, below) {
                        Unexplained::Agrees(n) => agreeing += usize::from(n >= 2),
                        Unexplained::NotChecked => {}
                        Unexplained::Mismatch(m) => out.push(m),
                    }
                }
            }
        }
    }
    (out, agreeing)
}

/// What a total that no plain reading of its column adds up to turns out to
/// be.
enum Unexplained<'g> {
    /// It adds up another way (its items hold their own subtotals); how many
    /// figures it adds.
    Agrees(usize),
    /// Not a sum the reading can check.
    NotChecked,
    /// A mismatch.
    Mismatch(ColumnMismatch<'g>),
}

/// A total `stated` in column `col` that neither its `group` (the items since
/// the last total) nor the grand reading adds up to: another reading that
/// adds up, a sum the reading cannot check, or a mismatch with the figures
/// the finding names.
fn unexplained<'g>(
    col: usize,
    row: &'g GridRow,
    stated: Fig,
    group: Vec<&'g GridRow>,
    grand: Vec<&'g GridRow>,
    is_grand: bool,
    below: bool,
) -> Unexplained<'g> {
    // Items that hold their own subtotals ("1 Drift" over "1.1",
    // "1.2"): the top-level rows may be what the total adds up.
    let top: Vec<&GridRow> = group
        .iter()
        .filter(|r| !sub_numbered(&r.label))
        .filter(|r| r.number.as_deref().is_none_or(|n| !sub_numbered(n)))
        .copied()
        .collect();
    if top.len() < group.len() && agrees_some(stated, &top, col) {
        return Unexplained::Agrees(filled(&top, col));
    }
    // A total of exactly half the items: the items include subtotals.
    let plain = sum(&group, col, false, None);
    if Fig::exact(stated.value + stated.value).agrees(plain) {
        return Unexplained::NotChecked;
    }
    let parts = if is_grand { grand } else { group };
    // Not a sum the reading can check: rows lost from the
    // column, or a mean or rate labelled "Total".
    if lost_rows(&parts, col) || (!is_grand && mean_shaped(stated, &parts, col)) {
        return Unexplained::NotChecked;
    }
    let computed = sum(&parts, col, false, None);
    let without_reserve = parts
        .iter()
        .find(|r| {
            r.reserve
                && r.value(col).is_some_and(|m| !m.parenthesized)
                && stated.agrees(sum(&parts, col, false, Some(r)))
        })
        .copied();
    // Only a single candidate is worth naming: when several rows
    // hold the gap's amount, leaving one out is a coincidence.
    let candidates: Vec<&GridRow> = parts
        .iter()
        .filter(|r| r.value(col).is_some())
        .filter(|r| stated.agrees(sum(&parts, col, false, Some(r))))
        .copied()
        .collect();
    let without_one = match candidates[..] {
        [one] if without_reserve.is_none() && parts.len() > 2 => Some(one),
        _ => None,
    };
    Unexplained::Mismatch(ColumnMismatch {
        col,
        total: row,
        parts,
        stated,
        computed,
        without_reserve,
        without_one,
        grand: is_grand,
        below,
    })
}

/// The row total column and the columns it adds up: the year columns when
/// there are any ("Totalbudsjett | 2025 | 2026 | 2027"), else the other money
/// columns ("Totalbudsjett | KDD | Kommunal egenandel | …").
pub fn row_parts(grid: &Grid) -> Option<(usize, Vec<usize>)> {
    let totals: Vec<usize> = (0..grid.columns.len())
        .filter(|&c| grid.columns[c].kind == ColumnKind::Total)
        .collect();
    let [total] = totals[..] else {
        return None;
    };
    // "Herav statlig": a part of the total shown beside it, not added to it.
    if grid.columns.iter().any(|c| {
        let h = c.header.to_lowercase();
        [
            "herav",
            "hvorav",
            "derav",
            "av dette",
            "av dette:",
            "inkl",
            "herunder",
        ]
        .iter()
        .any(|w| h.starts_with(w))
    }) {
        return None;
    }
    let years: Vec<usize> = (0..grid.columns.len())
        .filter(|&c| matches!(grid.columns[c].kind, ColumnKind::Year(_)))
        .collect();
    let parts = if years.is_empty() {
        (0..grid.columns.len())
            .filter(|&c| grid.columns[c].kind == ColumnKind::Money)
            .collect()
    } else {
        years
    };
    (parts.len() >= 2).then_some((total, parts))
}

/// The rows whose total disagrees with their parts, and how many rows of two
/// or more parts agree: what corroborates the reading of the columns.
pub fn row_reading(grid: &Grid) -> (Vec<RowMismatch<'_>>, usize) {
    let Some((total_col, parts)) = row_parts(grid) else {
        return (Vec::new(), 0);
    };
    let mut agreeing = 0;
    let mut checked = 0;
    let mut out = Vec::new();
    for row in &grid.rows {
        if matches!(row.kind, RowKind::Group | RowKind::Header) || row.block != 0 {
            continue;
        }
        let Some(stated) = fig(row, total_col) else {
            continue;
        };
        let figs: Vec<Fig> = parts.iter().filter_map(|&c| fig(row, c)).collect();
        if figs.is_empty() {
            continue;
        }
        // A total row with blanks under columns that have figures was not summed across.
        if row.is_total()
            && parts.iter().any(|&c| {
                row.value(c).is_none()
                    && grid
                        .rows
                        .iter()
                        .any(|r| r.kind == RowKind::Item && r.value(c).is_some())
            })
        {
            continue;
        }
        checked += 1;
        let computed = Fig::sum(&figs);
        if stated.agrees(computed) {
            agreeing += usize::from(figs.len() >= 2);
        } else if !row.unread {
            out.push(RowMismatch {
                row,
                total_col,
                parts: parts.clone(),
                stated,
                computed,
            });
        }
    }
    // When most rows disagree, the "total" column is something else: abstain.
    if out.len() * 2 > checked {
        return (Vec::new(), 0);
    }
    (out, agreeing)
}

/// A total row's count that differs from the counts of the items above it.
pub struct CountMismatch<'g> {
    pub col: usize,
    pub total: &'g GridRow,
    pub parts: Vec<&'g GridRow>,
    pub stated: i64,
    pub computed: i64,
}

/// Count columns ("1 521 (38 %)") whose total row differs from its items.
/// Only the plain shape is read: one labelled total, the last row, under
/// items that all give a count; anything else is left alone.
pub fn count_mismatches(grid: &Grid) -> Vec<CountMismatch<'_>> {
    let totals: Vec<&GridRow> = grid.rows.iter().filter(|r| r.is_total()).collect();
    let ([total], Some(last)) = (&totals[..], grid.rows.last()) else {
        return Vec::new();
    };
    if total.kind != RowKind::Total || !std::ptr::eq(*total, last) {
        return Vec::new();
    }
    let items: Vec<&GridRow> = grid
        .rows
        .iter()
        .filter(|r| r.kind == RowKind::Item)
        .collect();
    let mut out = Vec::new();
    for col in grid.count_columns() {
        let Some(stated) = total.count(col) else {
            continue;
        };
        let counts: Option<Vec<i64>> = items.iter().map(|r| r.count(col)).collect();
        let Some(counts) = counts.filter(|c| c.len() >= 2) else {
            continue;
        };
        let computed: i64 = counts.iter().sum();
        if computed != stated {
            out.push(CountMismatch {
                col,
                total,
                parts: items.clone(),
                stated,
                computed,
            });
        }
    }
    out
}

/// A row whose count total ("Totalt" over "2 417 305 (71 %)") differs from
/// the counts of the row's other count columns.
pub struct CountRowMismatch<'g> {
    pub row: &'g GridRow,
    pub total_col: usize,
    pub parts: Vec<usize>,
    pub stated: i64,
    pub computed: i64,
}

/// Rows of count cells ("count (share %)") whose total column ("Totalt",
/// "Sum", "I alt") is not the sum of the other count columns, and how many
/// rows agree. Counts are exact. When most rows disagree, the total column
/// is something else and nothing is reported.
pub fn count_row_reading(grid: &Grid) -> (Vec<CountRowMismatch<'_>>, usize) {
    // Columns of counts, and columns that hold counts in some rows (a table
    // with one quantity a row: persons, then persons with a share).
    let counts: Vec<usize> = (0..grid.columns.len())
        .filter(|&c| {
            grid.columns[c].kind == ColumnKind::Count
                || grid.rows.iter().any(|r| r.count(c).is_some())
        })
        .collect();
    let Some(first) = grid
        .rows
        .iter()
        .find(|r| r.block == 0 && r.kind != RowKind::Header)
    else {
        return (Vec::new(), 0);
    };
    let totals: Vec<usize> = counts
        .iter()
        .copied()
        .filter(|&c| crate::extract::grid::is_total_header(&grid.header_for(first, c)))
        .collect();
    let [total_col] = totals[..] else {
        return (Vec::new(), 0);
    };
    let parts: Vec<usize> = counts.into_iter().filter(|&c| c != total_col).collect();
    if parts.len() < 2 {
        return (Vec::new(), 0);
    }
    let (mut out, mut agreeing, mut checked) = (Vec::new(), 0, 0);
    for row in grid.rows.iter().filter(|r| r.block == 0) {
        let Some(stated) = row.count(total_col) else {
            continue;
        };
        let figs: Option<Vec<i64>> = parts.iter().map(|&c| row.count(c)).collect();
        let Some(figs) = figs else {
            continue;
        };
        checked += 1;
        let computed: i64 = figs.iter().sum();
        if computed == stated {
            agreeing += 1;
        } else {
            out.push(CountRowMismatch {
                row,
                total_col,
                parts: parts.clone(),
                stated,
                computed,
            });
        }
    }
    if out.len() * 2 > checked {
        return (Vec::new(), 0);
    }
    (out, agreeing)
}

/// A row whose difference column ("Avvik") is not the difference of the two
/// columns it compares.
pub struct DifferenceMismatch<'g> {
    pub row: &'g GridRow,
    /// The difference column.
    pub col: usize,
    /// The columns subtracted: `minuend − subtrahend`.
    pub minuend: usize,
    pub subtrahend: usize,
    pub stated: Fig,
    pub computed: Fig,
}

/// Rows whose "Avvik" differs from the difference of the table's two other
/// money columns ("Budsjett", "Regnskap").
///
/// Tables write the difference either way round (budget minus accounts, or
/// accounts minus budget); the way under which most rows agree is the
/// table's. When neither way has a clear majority (at least two rows, more
/// than half the rows compared), the column is something else and nothing is
/// reported.
/// The rows whose difference disagrees, and how many rows agree.
pub fn difference_reading(grid: &Grid) -> (Vec<DifferenceMismatch<'_>>, usize) {
    let kinds: Vec<ColumnKind> = grid.columns.iter().map(|c| c.kind).collect();
    let diffs: Vec<usize> = (0..kinds.len())
        .filter(|&c| kinds[c] == ColumnKind::Difference)
        .collect();
    let terms: Vec<usize> = (0..kinds.len())
        .filter(|&c| matches!(kinds[c], ColumnKind::Money | ColumnKind::Year(_)))
        .collect();
    let (&[col], &[a, b]) = (&diffs[..], &terms[..]) else {
        return (Vec::new(), 0);
    };
    if kinds.contains(&ColumnKind::Total) {
        return (Vec::new(), 0);
    }
    let rows: Vec<(&GridRow, Fig, Fig, Fig)> = grid
        .rows
        .iter()
        .filter(|r| matches!(r.kind, RowKind::Item | RowKind::Total))
        .filter_map(|r| Some((r, fig(r, col)?, fig(r, a)?, fig(r, b)?)))
        .collect();
    let agreeing = |forward: bool| {
        rows.iter()
            .filter(|(_, d, x, y)| {
                let (x, y) = if forward { (*x, *y) } else { (*y, *x) };
                d.agrees(Fig::difference(x, y))
            })
            .count()
    };
    let (forward, backward) = (agreeing(true), agreeing(false));
    let (minuend, subtrahend, agree) = if forward > backward {
        (a, b, forward)
    } else if backward > forward {
        (b, a, backward)
    } else {
        return (Vec::new(), 0);
    };
    if agree < 2 || agree * 2 <= rows.len() {
        return (Vec::new(), 0);
    }
    let found: Vec<DifferenceMismatch> = rows
        .iter()
        .filter_map(|&(row, stated, x, y)| {
            let computed = if minuend == a {
                Fig::difference(x, y)
            } else {
                Fig::difference(y, x)
            };
            (!stated.agrees(computed)).then_some(DifferenceMismatch {
                row,
                col,
                minuend,
                subtrahend,
                stated,
                computed,
            })
        })
        .collect();
    (found, agree)
}

/// The one difference cell whose change would reconcile both its row and its
/// column total: the column is short by what the row's difference is off.
pub fn reconciling_difference<'g>(
    col: &ColumnMismatch<'g>,
    row: &DifferenceMismatch<'g>,
) -> Option<(&'g GridRow, usize, Amount)> {
    let col_short = col.stated.value - col.computed.value;
    let row_off = row.computed.value - row.stated.value;
    if col.col != row.col || col_short != row_off || col_short == Amount::ZERO {
        return None;
    }
    col.parts
        .iter()
        .any(|p| std::ptr::eq(*p, row.row))
        .then_some((row.row, row.col, row.computed.value))
}

/// The one item cell whose change would reconcile both a column total and a
/// row total: the same excess on both, at their crossing.
pub fn reconciling_cell<'g>(
    col: &ColumnMismatch<'g>,
    row: &RowMismatch<'g>,
) -> Option<(&'g GridRow, usize, Amount)> {
    let col_excess = col.computed.value - col.stated.value;
    let row_excess = row.computed.value - row.stated.value;
    if col_excess != row_excess || col_excess == Amount::ZERO {
        return None;
    }
    if !row.parts.contains(&col.col) || !col.parts.iter().any(|p| std::ptr::eq(*p, row.row)) {
        return None;
    }
    let current = row.row.value(col.col)?.amount;
    Some((row.row, col.col, current - col_excess))
}

/// The hints both table rules give: the one cell that reconciles a row and a
/// column total ("both this total and the row total" / "both this row and the
/// column total"), and what the text near the table says about the gap.
pub fn table_hints(
    cx: &Checker,
    grid: &Grid,
    mut f: Finding,
    reconciling: Option<(&GridRow, usize, Amount)>,
    both: &str,
    stated: Fig,
    computed: Fig,
) -> Finding {
    if let Some((row, col, to)) = reconciling {
        f = f.hint(format!(
            "changing the cell \"{}\" × \"{}\" from {} to {to} would reconcile both {both}",
            row.label,
            grid.columns[col].header,
            row.value(col).map(|v| v.amount).unwrap_or_default(),
        ));
    }
    // Only a figure equal to the gap explains it.
    let gap = (computed.value - stated.value).abs();
    if let Some((loc, sentence)) = cx.explaining_prose(grid.table, &[gap]) {
        f.hint(format!("the text nearby may explain the gap: «{sentence}»"))
            .at(loc)
            .warning()
    } else if let Some((loc, sentence)) = cx.prose_naming(grid.table, stated.value) {
        f.hint(format!(
            "the text nearby gives {} too: «{sentence}»",
            stated.value
        ))
        .at(loc)
    } else {
        f
    }
}

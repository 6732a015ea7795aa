use std::collections::HashMap;

use crate::extract::grid::{ColumnKind, Grid, GridRow, Purpose, RowKind};
use crate::extract::{AmountRole, ExtractedAmount, Origin};
use crate::norsk::{Money, PartialDate};

use super::figure::Fig;
use super::prose::{scopes, title_year, Scope};
use super::sums::{column_reading, row_reading};
use super::{declare_rule, simple_edit, Checker, Evidence, Finding, Value};
use crate::norsk::Amount;

declare_rule! {
    /// ## What it checks
    /// A budget figure the text gives for a goal or a measure ("Til sammen
    /// settes det av 1 800 000 kr", "Det settes av 560 000 kr til … og 800 000
    /// kr til …") against the value a table gives for the same goal or measure:
    /// the goal's "Til sammen" row of an overview table, the measure's row, or
    /// the goal's row in the column of the same year. The text's figure is the
    /// scope's "til sammen" figure, else the sum of its figures; money applied
    /// for, granted by others, or "i tillegg" is left out. "Inntil X" is a
    /// ceiling. The rule is silent when any of the comparable table values agrees.
    ///
    /// It also compares what the text says one funding source gives in all
    /// ("Sparebankstiftelsen bidrar med til sammen 1,1 mill. kr") with the total
    /// of the table column headed by that source, when exactly one table has
    /// such a column, the text gives one figure for the source, and the figure
    /// is for the table's period. Without a total row, the column's items are
    /// summed only in a financing table.
    ///
    /// ## Confidence
    /// An error only when the reading is corroborated: a simple edit
    /// explains the gap (the text's and the table's figure differ in one
    /// digit or by two adjacent digits swapped, or one of the text's figures
    /// does, or the text leaves one of the table's items out), the table's
    /// own totals reconcile under the reading the value was taken from, or
    /// the text's own figures for the goal's measures add up to the table's
    /// figure (the text states an old figure the table replaced). Two of
    /// these: high confidence; one: medium; none: a notice, "could not
    /// reconcile", left out of a run
    /// unless asked for (`--notices`, or `notices = true` in `plansjekk.toml`).
    ///
    /// ## Why it matters
    /// Readers of a plan take the prose and the tables as the same budget. When
    /// they differ, one was not updated.
    ///
    /// ## Example
    /// ```text
    /// Delmål 1 ... Til sammen settes det av 1 800 000 kr til dette tiltaket.
    /// Til sammen |  | 1 900 000 kr      <- the overview table's total for Delmål 1
    ///
    /// Sparebankstiftelsen bidrar med til sammen 1,1 mill. kr ...
    /// Sum | 2 700 000 | ... | 1 200 000  <- the Sparebankstiftelsen column's total
    /// ```
    pub struct TextVsTable {
        id: "text-vs-table",
        severity: Error,
        check: check,
    }
}

/// What corroborates a table's reading, in a finding's reason.
const TABLE_TOTALS: &str = "totals of the table the text is compared with";

/// How many of table `index`'s totals (column and row) agree with what they
/// total: the table is read right.
fn table_agreements(cx: &Checker, index: usize) -> usize {
    cx.plan
        .grids
        .iter()
        .filter(|g| g.table == index)
        .map(|g| column_reading(g).1 + row_reading(g).1)
        .sum()
}

/// A table cell that states the same quantity as a text scope.
pub struct TableValue<'g> {
    pub row: &'g GridRow,
    pub col: usize,
    pub money: &'g Money,
}

/// The money columns of `grid` that can hold the scope's figure: the column of
/// `year` when the table has year columns, else its one money column.
fn columns_for(grid: &Grid, year: Option<i32>) -> Vec<usize> {
    let years: Vec<usize> = grid
        .money_columns()
        .filter(|&c| matches!(grid.columns[c].kind, ColumnKind::Year(_)))
        .collect();
    if !years.is_empty() {
        return years
            .into_iter()
            .filter(|&c| Some(grid.columns[c].kind) == year.map(ColumnKind::Year))
            .collect();
    }
    let money: Vec<usize> = grid.money_columns().collect();
    if money.len() == 1 {
        money
    } else {
        Vec::new()
    }
}

/// The table rows that give a goal's or a measure's figure, by the goal or
/// measure, in the order of the grids and their rows: found in one walk over
/// the grids rather than a walk per goal and measure.
pub struct ScopeRows<'g> {
    rows: HashMap<ScopeKey, Vec<(&'g Grid, &'g GridRow)>>,
}

/// A goal's own rows `(goal, None)`, or a measure's `(0, Some(measure))`.
type ScopeKey = (usize, Option<usize>);

impl<'g> ScopeRows<'g> {
    pub fn new(cx: &Checker<'g>) -> ScopeRows<'g> {
        let mut rows: HashMap<_, Vec<_>> = HashMap::new();
        for grid in &cx.plan.grids {
            for row in &grid.rows {
                // A measure's row, or a goal's own (its total, or an item of a
                // table by goal).
                let key = match (row.measure, row.goal) {
                    (Some(m), _) if row.kind == RowKind::Item => (0, Some(m)),
                    (None, Some(g))
                        if row.kind == RowKind::Total
                            || (row.kind == RowKind::Item && grid.goal_rows) =>
                    {
                        (g, None)
                    }
                    _ => continue,
                };
                rows.entry(key).or_default().push((grid, row));
            }
        }
        ScopeRows { rows }
    }

    fn of(&self, scope: &Scope) -> &[(&'g Grid, &'g GridRow)] {
        let key = match scope.measure {
            Some(m) => (0, Some(m)),
            None => (scope.goal, None),
        };
        self.rows.get(&key).map_or(&[], Vec::as_slice)
    }
}

/// The figures the tables give for `scope`: its rows' values in the columns of
/// its year, from tables not of another year.
pub fn table_values<'g>(
    cx: &Checker<'g>,
    index: &ScopeRows<'g>,
    scope: &Scope,
) -> Vec<TableValue<'g>> {
    let year = scope.year().or_else(|| title_year(cx));
    let mut out = Vec::new();
    // The columns of the grid last seen: its rows come together.
    let mut cols: Option<(&Grid, Vec<usize>)> = None;
    for &(grid, row) in index.of(scope) {
        // A table of another year ("Budsjett 2024") is not this figure's table.
        if cx.year_of(grid).zip(year).is_some_and(|(g, y)| g != y) {
            continue;
        }
        if !cols.as_ref().is_some_and(|(g, _)| std::ptr::eq(*g, grid)) {
            cols = Some((grid, columns_for(grid, year)));
        }
        let Some((_, cols)) = &cols else { continue };
        for &c in cols {
            if let Some(money) = row.value(c) {
                out.push(TableValue { row, col: c, money });
            }
        }
    }
    out
}

pub fn scope_name(cx: &Checker, goal: usize, measure: Option<usize>) -> String {
    let g = &cx.plan.goals[goal];
    let goal_name = g.number.clone().unwrap_or_else(|| format!("«{}»", g.title));
    match measure {
        Some(m) => {
            let m = &cx.plan.measures[m];
            match &m.number {
                Some(n) => format!("{} {n} «{}» under {goal_name}", m.kind, m.title),
                None => format!("{} «{}» under {goal_name}", m.kind, m.title),
            }
        }
        None => goal_name,
    }
}

fn check(cx: &Checker, out: &mut Vec<Finding>) {
    check_scopes(cx, out);
    // A figure a goal's or measure's comparison already reported is not reported twice.
    let seen: Vec<_> = out.iter().filter_map(|f| f.primary().cloned()).collect();
    let mut by_source = Vec::new();
    check_sources(cx, &mut by_source);
    out.extend(by_source.into_iter().filter(|f| {
        f.primary()
            .is_none_or(|p| !seen.iter().any(|s| s.span == p.span && s.range == p.range))
    }));
}

fn check_scopes(cx: &Checker, out: &mut Vec<Finding>) {
    let all = scopes(cx);
    let index = ScopeRows::new(cx);
    for scope in &all {
        let Some(stated) = scope.stated() else {
            continue;
        };
        let values = table_values(cx, &index, scope);
        if values.is_empty() {
            continue;
        }
        let agrees = |v: &TableValue| {
            let t = Fig::of(v.money);
            stated.agrees(t) || (scope.ceiling() && t.value <= stated.value)
        };
        if values.iter().any(agrees) {
            continue;
        }
        let first = &values[0];
        let name = scope_name(cx, scope.goal, scope.measure);
        let spelled = if scope.figures.len() > 1 && !scope.figures.iter().any(|f| f.total) {
            let parts: Vec<String> = scope
                .figures
                .iter()
                .map(|f| f.money.amount.to_string())
                .collect();
            format!("{} = {}", parts.join(" + "), stated.value)
        } else {
            stated.value.to_string()
        };
        let mut f = Finding::new(format!(
            "the text gives {spelled} for {name} but the table gives {}",
            first.money.amount
        ))
        .figures(Value::Money(stated.value), Value::Money(first.money.amount))
        .at(scope.primary().location(cx, "stated in the text"));
        for p in scope
            .figures
            .iter()
            .filter(|p| !std::ptr::eq(*p, scope.primary()))
        {
            f = f.at(p.location(cx, "part in the text"));
        }
        for v in &values {
            f = f.at(cx.cell(v.row, v.col, "table value"));
        }
        let parts: Vec<Amount> = scope.figures.iter().map(|p| p.money.amount).collect();
        let mut evidence = Evidence::new(
            simple_edit(first.money.amount, stated.value, &parts, &[]),
            table_agreements(cx, first.row.table),
            TABLE_TOTALS,
        );
        // The goal's measures may tell which figure is right.
        if scope.measure.is_none() {
            let parts: Vec<Fig> = all
                .iter()
                .filter(|s| s.goal == scope.goal && s.measure.is_some())
                .filter_map(|s| s.stated())
                .collect();
            if parts.len() >= 2 {
                let sum = Fig::sum(&parts);
                if sum.agrees(Fig::of(first.money)) {
                    f = f.hint(format!(
                        "the text's own figures for the measures under {name} add up to {}, as the table says",
                        sum.value
                    ));
                    evidence = evidence.also(
                        "the text's own figures for the measures add up to the table's figure",
                    );
                }
            }
        }
        out.push(f.assessed(evidence.assess()));
    }
}

/// What a source's column in a table adds up to: its labelled total, or in a
/// financing table without one, the sum of its items.
enum ColumnTotal<'g> {
    Row(&'g GridRow, &'g Money),
    Items(Vec<(&'g GridRow, &'g Money)>),
}

impl ColumnTotal<'_> {
    fn fig(&self) -> Fig {
        match self {
            ColumnTotal::Row(_, m) => Fig::of(m),
            ColumnTotal::Items(items) => {
                let figs: Vec<Fig> = items.iter().map(|(_, m)| Fig::of(m)).collect();
                Fig::sum(&figs)
            }
        }
    }
}

fn column_total(grid: &Grid, col: usize) -> Option<ColumnTotal<'_>> {
    let totals: Vec<&GridRow> = grid
        .rows
        .iter()
        .filter(|r| r.kind == RowKind::Total && r.value(col).is_some())
        .collect();
    match totals[..] {
        [row] => return Some(ColumnTotal::Row(row, row.value(col)?)),
        [] => {}
        _ => return None,
    }
    // No labelled total: an unlabelled last row may be one, so the items are
    // not surely all; and only a financing table's items are all a source gives.
    if grid.purpose != Some(Purpose::Financing)
        || grid.rows.iter().any(|r| r.kind == RowKind::UnlabelledTotal)
    {
        return None;
    }
    let items: Vec<(&GridRow, &Money)> = grid
        .rows
        .iter()
        .filter(|r| r.kind == RowKind::Item)
        .filter_map(|r| r.value(col).map(|m| (r, m)))
        .collect();
    if items.is_empty() || items.iter().any(|(r, _)| r.reserve) {
        return None;
    }
    Some(ColumnTotal::Items(items))
}

/// Letters and digits only, lower case: how a header is compared with a name.
fn key(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The column header names `source`: as written, or as one of the spellings
/// of the actor the source is.
fn headed_by(cx: &Checker, header: &str, source: &str) -> bool {
    let k = key(header);
    !k.is_empty()
        && (k == key(source)
            || cx
                .plan
                .actors
                .iter()
                .filter(|a| a.name == source)
                .any(|a| a.variants.iter().any(|v| key(v) == k)))
}

/// The years a period covers, where both ends name theirs.
fn years(p: &(PartialDate, PartialDate)) -> Option<(i32, i32)> {
    Some((p.0.year?, p.1.year?))
}

/// A source's figure is for the table's period: the year the text gives
/// must lie in the table's (or, without one, the plan's) period; a table of
/// another period than the plan's is not the plan's figure.
fn same_period(cx: &Checker, grid: &Grid, year: Option<i32>) -> bool {
    let table = grid.period().or_else(|| cx.year_of(grid).map(|y| (y, y)));
    let plan = cx.plan.period.as_ref().and_then(years);
    match (year, table, plan) {
        (Some(y), Some((a, b)), _) | (Some(y), None, Some((a, b))) => (a..=b).contains(&y),
        (Some(_), None, None) => false,
        (None, Some((a, b)), Some((c, d))) => a <= d && c <= b,
        (None, _, _) => true,
    }
}

/// The table's unit ("mill. kr") was read from a paragraph of figures taken
/// as its title, not from a caption: its figures' scale is not sure.
fn unit_from_prose(cx: &Checker, grid: &Grid) -> bool {
    grid.scale != 1
        && cx.plan.sentences.iter().any(|s| {
            cx.prose()
                .any(|b| b.span == s.span && grid.title.as_deref() == Some(b.text.as_str()))
        })
}

/// The prose figures that name their giver, by source in document order.
fn prose_by_source<'p>(cx: &Checker<'p>) -> Vec<(&'p str, Vec<&'p ExtractedAmount>)> {
    let mut out: Vec<(&str, Vec<&ExtractedAmount>)> = Vec::new();
    for a in &cx.plan.amounts {
        let Some(source) = a.source.as_deref() else {
            continue;
        };
        if !matches!(a.origin, Origin::Prose { .. }) {
            continue;
        }
        match out.iter_mut().find(|(s, _)| *s == source) {
            Some((_, v)) => v.push(a),
            None => out.push((source, vec![a])),
        }
    }
    out
}

/// A funding source's total in the text against its column's total.
fn check_sources(cx: &Checker, out: &mut Vec<Finding>) {
    for (source, figures) in prose_by_source(cx) {
        // One amount for the source (perhaps repeated), and that amount its total.
        let a = figures[0];
        if figures.iter().any(|f| f.amount() != a.amount()) || a.role != AmountRole::Total {
            continue;
        }
        // The figure as printed, with its rounding ("1,1 mill." is 1 050 000–1 150 000).
        let stated = Fig::of(&a.money);
        // Exactly one table has a column headed by the source.
        let columns: Vec<(&Grid, usize)> = cx
            .plan
            .grids
            .iter()
            .flat_map(|g| {
                g.columns
                    .iter()
                    .enumerate()
                    .filter(|(_, c)| {
                        c.kind == ColumnKind::Money && headed_by(cx, &c.header, source)
                    })
                    .map(move |(i, _)| (g, i))
            })
            .collect();
        let [(grid, col)] = columns[..] else {
            continue;
        };
        // Nor does another table give figures from the source under another header.
        let tables_with_source = cx
            .plan
            .grids
            .iter()
            .filter(|g| {
                g.rows.iter().any(|r| {
                    cx.plan
                        .amounts
                        .iter()
                        .any(|t| t.span == r.span && t.source.as_deref() == Some(source))
                })
            })
            .count();
        if tables_with_source > 1 || !same_period(cx, grid, a.year) || unit_from_prose(cx, grid) {
            continue;
        }
        let Some(total) = column_total(grid, col) else {
            continue;
        };
        let table = total.fig();
        if stated.agrees(table) {
            continue;
        }
        let header = &grid.columns[col].header;
        let (verb, label) = match &total {
            ColumnTotal::Row(..) => ("totals", "column total"),
            ColumnTotal::Items(_) => ("sums to", "item"),
        };
        let mut f = Finding::new(format!(
            "the text gives {} from {source} but the table's {header} column {verb} {}",
            stated.value, table.value
        ))
        .figures(Value::Money(stated.value), Value::Money(table.value))
        .at(cx.text(a.span, &a.money.text, "stated in the text"));
        let mut items: Vec<Amount> = Vec::new();
        match &total {
            ColumnTotal::Row(row, _) => f = f.at(cx.cell(row, col, label)),
            ColumnTotal::Items(rows) => {
                for (row, m) in rows {
                    f = f.at(cx.cell(row, col, label));
                    items.push(m.amount);
                }
            }
        }
        let evidence = Evidence::new(
            simple_edit(table.value, stated.value, &[], &[])
                .or_else(|| simple_edit(stated.value, table.value, &items, &[])),
            table_agreements(cx, grid.table),
            TABLE_TOTALS,
        );
        out.push(f.assessed(evidence.assess()));
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::findings;

    const PLAN: &str = "Handlingsplan 2025\n\n1. Innledning\n\nTekst.\n\nOversikt over tiltak.\n\nDelmål\tTiltak\tBeløp\nDelmål 1:\tRekruttering\t\n\t1. Omdømme\t500 000 kr\n\t2. Test\t600 000 kr\nTil sammen\t\t1 100 000 kr\n\nDelmål 1 Rekruttering av arbeidskraft\n\nDet settes av 1 000 000 kr til arbeidet med delmålet.\n\nTiltak 1 Omdømme\n\nDet settes av 500 000 kr til tiltaket.\n\nTiltak 2 Test\n\nDet settes av 600 000 kr til tiltaket.\n";

    #[test]
    fn a_goal_total_in_the_text_differs_from_the_table() {
        let f = findings("text-vs-table", PLAN);
        assert_eq!(f.len(), 1, "{f:#?}");
        assert!(
            f[0].message
                .contains("the text gives 1 000 000 for Delmål 1 but the table gives 1 100 000"),
            "{}",
            f[0].message
        );
        assert!(f[0]
            .hint
            .as_deref()
            .unwrap_or("")
            .contains("add up to 1 100 000"));
    }

    #[test]
    fn agreeing_text_is_silent() {
        let t = PLAN.replace("1 000 000 kr til arbeidet", "1 100 000 kr til arbeidet");
        assert!(findings("text-vs-table", &t).is_empty());
    }

    #[test]
    fn of_which_sentences_are_not_read_as_two_figures() {
        let t = PLAN.replace(
            "Det settes av 1 000 000 kr til arbeidet med delmålet.",
            "Delmålet har et budsjett på 1 500 000 kr, hvorav 1 100 000 kr er Bygdevekstmidler.",
        );
        assert!(findings("text-vs-table", &t).is_empty());
    }

    #[test]
    fn a_ceiling_above_the_table_value_is_silent() {
        let t = PLAN
            .replace("1 000 000 kr til arbeidet", "1 100 000 kr til arbeidet")
            .replace(
                "av 500 000 kr til tiltaket",
                "av inntil 550 000 kr til tiltaket",
            );
        assert!(findings("text-vs-table", &t).is_empty());
    }

    /// A financing plan for 2025 and a sentence about the sources.
    fn financing(sentence: &str, caption: &str, total_row: bool) -> String {
        let mut t = format!(
            "Handlingsplan 2025\n\n4. Finansiering\n\nTiltakene finansieres av fylket, kommunene og stiftelsen, slik tabellen under viser i detalj for hvert av tiltakene. {sentence}\n\n{caption}\n\nTiltak\tKommunene\tSparebankstiftelsen\nFestival\t200 000\t400 000\nNaust\t250 000\t500 000\nSkole\t100 000\t300 000\n"
        );
        if total_row {
            t.push_str("Sum\t550 000\t1 200 000\n");
        }
        t
    }

    #[test]
    fn a_sources_total_in_the_text_differs_from_its_column_total() {
        let f = findings(
            "text-vs-table",
            &financing(
                "Sparebankstiftelsen bidrar med til sammen 1,1 mill. kr.",
                "Oversikt",
                true,
            ),
        );
        assert_eq!(f.len(), 1, "{f:#?}");
        assert_eq!(
            f[0].message,
            "the text gives 1 100 000 from Sparebankstiftelsen but the table's Sparebankstiftelsen column totals 1 200 000"
        );
    }

    #[test]
    fn rounding_of_the_text_figure_is_allowed() {
        for s in [
            "Sparebankstiftelsen bidrar med til sammen 1,2 mill. kr.",
            "Sparebankstiftelsen bidrar med til sammen 1 200 000 kr.",
        ] {
            assert!(
                findings("text-vs-table", &financing(s, "Oversikt", true)).is_empty(),
                "{s}"
            );
        }
        // "1,2 mill." stands for 1 150 000–1 250 000.
        let column = |total: &str| {
            financing(
                "Sparebankstiftelsen bidrar med til sammen 1,2 mill. kr.",
                "Oversikt",
                true,
            )
            .replace(
                "Naust\t250 000\t500 000",
                &format!("Naust\t250 000\t{total}"),
            )
        };
        let t = column("540 000").replace("1 200 000\n", "1 240 000\n");
        assert!(findings("text-vs-table", &t).is_empty());
        let t = column("560 000").replace("1 200 000\n", "1 260 000\n");
        assert_eq!(findings("text-vs-table", &t).len(), 1);
    }

    #[test]
    fn without_a_total_row_only_a_financing_table_is_summed() {
        let s = "Kommunene stiller med til sammen 500 000 kr.";
        let f = findings("text-vs-table", &financing(s, "Finansieringsplan", false));
        assert_eq!(f.len(), 1, "{f:#?}");
        assert!(
            f[0].message.contains("column sums to 550 000"),
            "{}",
            f[0].message
        );
        assert!(findings("text-vs-table", &financing(s, "Oversikt", false)).is_empty());
    }

    #[test]
    fn a_part_another_period_or_two_figures_are_silent() {
        for s in [
            "Sparebankstiftelsen bidrar med 300 000 kr til kurs.",
            "Sparebankstiftelsen bidrar med til sammen 1,1 mill. kr i 2026.",
            "Sparebankstiftelsen bidrar med 1,1 mill. kr. Sparebankstiftelsen gir også 100 000 kr.",
            "Sparebankstiftelsen bidrar med inntil 1,1 mill. kr.",
        ] {
            assert!(
                findings("text-vs-table", &financing(s, "Oversikt", true)).is_empty(),
                "{s}"
            );
        }
    }

    #[test]
    fn a_source_with_columns_in_two_tables_is_silent() {
        let mut t = financing(
            "Sparebankstiftelsen bidrar med til sammen 1,1 mill. kr.",
            "Oversikt",
            true,
        );
        t.push_str("\nFinansiering 2025, del 2\n\nTiltak\tSparebankstiftelsen\nKurs\t100 000\nSum\t100 000\n");
        assert!(findings("text-vs-table", &t).is_empty());
    }
}

use crate::extract::grid::{ColumnKind, Grid, GridRow, RowKind};
use crate::norsk::Money;

use super::figure::Fig;
use super::prose::{scopes, title_year, Scope};
use super::{declare_rule, Checker, Finding, Value};

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
    /// ## Why it matters
    /// Readers of a plan take the prose and the tables as the same budget. When
    /// they differ, one was not updated.
    ///
    /// ## Example
    /// ```text
    /// Delmål 1 ... Til sammen settes det av 1 800 000 kr til dette tiltaket.
    /// Til sammen |  | 1 900 000 kr      <- the overview table's total for Delmål 1
    /// ```
    pub struct TextVsTable {
        id: "text-vs-table",
        severity: Error,
        check: check,
    }
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

pub fn table_values<'g>(cx: &Checker<'g>, scope: &Scope) -> Vec<TableValue<'g>> {
    let year = scope.year().or_else(|| title_year(cx));
    let mut out = Vec::new();
    for grid in &cx.plan.grids {
        // A table of another year ("Budsjett 2024") is not this figure's table.
        if grid.year().zip(year).is_some_and(|(g, y)| g != y) {
            continue;
        }
        let cols = columns_for(grid, year);
        for row in &grid.rows {
            let same = match scope.measure {
                Some(m) => row.kind == RowKind::Item && row.measure == Some(m),
                None => {
                    row.goal == Some(scope.goal)
                        && row.measure.is_none()
                        && (row.kind == RowKind::Total
                            || (row.kind == RowKind::Item && grid.goal_rows))
                }
            };
            if !same {
                continue;
            }
            for &c in &cols {
                if let Some(money) = row.value(c) {
                    out.push(TableValue { row, col: c, money });
                }
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
    let all = scopes(cx);
    for scope in &all {
        let Some(stated) = scope.stated() else {
            continue;
        };
        let values = table_values(cx, scope);
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
                }
            }
        }
        out.push(f);
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
}

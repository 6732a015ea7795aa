use super::sums::{column_mismatches, reconciling_cell, row_mismatches, table_hints};
use super::{declare_rule, Checker, Finding, Value};

declare_rule! {
    /// ## What it checks
    /// A total row of a table ("Til sammen", "Sum", "SUM", "Totalt", "I alt",
    /// "Samlet", or an unlabelled last row that adds up elsewhere) against the
    /// figures it totals, column by column. A total after group totals (the
    /// "Til sammen" of each delmål) is read as their grand total. Parenthesised
    /// figures ("(717 000)") are reservations a total may leave out; blanks are
    /// not zeros, so a blank total states nothing.
    ///
    /// ## Why it matters
    /// A total that does not match its items means one of them is wrong, and
    /// readers usually trust the total. When one cell would reconcile both its
    /// row total and this column total, the hint names it; when the total
    /// matches with one row (an "Avsetning") left out, the hint says so.
    ///
    /// ## Example
    /// ```text
    /// Delmål | 2025    | 2026
    /// 1      | 900 000 | 600 000
    /// 2      | 500 000 | 500 000
    /// SUM    | 1 400 000 | 1 000 000   <- 2026 items sum to 1 100 000
    /// ```
    pub struct ColumnSum {
        id: "column-sum",
        severity: Error,
        check: check,
    }
}

fn check(cx: &Checker, out: &mut Vec<Finding>) {
    for grid in &cx.plan.grids {
        let rows = row_mismatches(grid);
        for m in column_mismatches(grid) {
            let head = &grid.columns[m.col].header;
            let column = if head.is_empty() {
                String::new()
            } else {
                format!(" in column \"{head}\"")
            };
            let name = if m.total.label.is_empty() {
                "the last row".to_string()
            } else {
                format!("\"{}\"", m.total.label)
            };
            let what = if m.grand {
                "the totals above"
            } else {
                "the items above"
            };
            let mut f = Finding::new(format!(
                "the total {name}{column} is {} but {what} sum to {}",
                m.stated.value, m.computed.value
            ))
            .figures(Value::Money(m.stated.value), Value::Money(m.computed.value))
            .at(cx.cell(m.total, m.col, "stated total"));
            for p in m.parts.iter().filter(|p| p.value(m.col).is_some()) {
                let label = if p.is_total() { "group total" } else { "item" };
                f = f.at(cx.cell(p, m.col, label));
            }
            if let Some(r) = m.without_reserve {
                f = f
                    .hint(format!(
                        "the total matches if the row \"{}\" ({}) is left out: it seems to be a reservation the total excludes",
                        r.label,
                        r.value(m.col).map(|v| v.text.clone()).unwrap_or_default()
                    ))
                    .warning();
            } else if let Some(r) = m.without_one {
                f = f.hint(format!(
                    "the total matches if the row \"{}\" is left out",
                    r.label
                ));
            }
            let cell = rows.iter().find_map(|r| reconciling_cell(&m, r));
            f = table_hints(
                cx,
                grid,
                f,
                cell,
                "this total and the row total",
                m.stated,
                m.computed,
            );
            out.push(f);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::findings;

    #[test]
    fn a_total_of_blank_items_states_nothing() {
        let f = findings("column-sum", "Post\t2025\nA\t\nB\t-\nSum\t100 000\n");
        assert!(f.is_empty(), "{f:?}");
    }

    #[test]
    fn group_totals_then_grand_total() {
        let t = "Delmål\tTiltak\tBeløp\nDelmål 1:\tA\t\n\t1. x\t100 000\n\t2. y\t200 000\nTil sammen\t\t300 000\nDelmål 2:\tB\t\n\t1. z\t50 000\nTil sammen\t\t50 000\n\tTotal\t360 000\n";
        let f = findings("column-sum", t);
        assert_eq!(f.len(), 1, "{f:?}");
        assert!(
            f[0].message
                .contains("is 360 000 but the totals above sum to 350 000"),
            "{}",
            f[0].message
        );
    }

    #[test]
    fn items_that_hold_their_own_subtotals() {
        let t = "Post\tBeløp\n1 Drift\t300 000\n1.1 Lønn\t200 000\n1.2 Reiser\t100 000\n2 Investering\t500 000\nSum\t800 000\n";
        assert!(
            findings("column-sum", t).is_empty(),
            "{:#?}",
            findings("column-sum", t)
        );
    }

    #[test]
    fn parenthesised_reservation_is_left_out() {
        let t = "Delmål\t2025\nA\t100 000\nB\t200 000\nAvsetning\t(50 000)\nSUM\t300 000\n";
        assert!(findings("column-sum", t).is_empty());
    }

    #[test]
    fn printed_reservation_left_out_is_a_warning() {
        let t = "Delmål\t2025\nA\t100 000\nB\t200 000\nAvsetning til drift\t50 000\nSUM\t300 000\n";
        let f = findings("column-sum", t);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].severity, crate::rules::Severity::Warning);
        assert!(f[0]
            .hint
            .as_deref()
            .unwrap()
            .contains("Avsetning til drift"));
    }
}

use super::sums::{
    column_reading, count_mismatches, difference_reading, outside_figures, reconciling_cell,
    reconciling_difference, row_reading, table_hints,
};
use super::{declare_rule, simple_edit, Checker, Evidence, Finding, Value};
use crate::norsk::Amount;

declare_rule! {
    /// ## What it checks
    /// A total row of a table ("Til sammen", "Sum", "SUM", "Totalt", "I alt",
    /// "Samlet", or an unlabelled last row that adds up elsewhere) against the
    /// figures it totals, column by column. A total after group totals (the
    /// "Til sammen" of each delmål) is read as their grand total. Parenthesised
    /// figures ("(717 000)") are reservations a total may leave out; blanks are
    /// not zeros, so a blank total states nothing. A table that opens with
    /// its total ("Totalt" under the header) is read both ways (totals over the
    /// items below, or above) and takes the reading under which more totals
    /// agree; when neither is clearly better it is left alone. In cells holding
    /// a count and its share ("1 521 (38 %)") the counts are summed.
    ///
    /// Not every table adds up, and a total is compared only where a plain
    /// reading can hold: a total may sum the items since the last total, the
    /// totals before it and those items (a grand total), or the last total
    /// and the items since (a running total: "Sum drift", one more item,
    /// "Sum drift og investering"; in accounts whose rows read "+ …", "− …",
    /// "= …", the "−" rows are subtracted). A header row inside the table
    /// starts a new block (a wide table printed as two blocks one under the
    /// other): totals are never compared across blocks. Columns headed as
    /// thresholds, limits, means, medians, rates, indices or a rate itself
    /// ("5%") are not summed; a "total" within the range of its items is
    /// their mean or a rate, not their sum; a column whose blank item sits in
    /// a row whose figures ran together in another cell may have lost that
    /// figure, and is not summed.
    ///
    /// ## Confidence
    /// A gap is an error only when the reading it rests on is corroborated:
    /// other totals of the table (other columns, other total rows, row
    /// totals) reconcile under the same reading, or a simple edit explains
    /// the gap (the two figures differ in one digit or by two adjacent
    /// digits swapped; one item's digits changed or swapped would reconcile
    /// it; the total leaves one item out or counts one twice; a figure
    /// beside the items is the gap; one figure is in thousands). Both give
    /// high confidence, one medium. With neither, the reading is probably
    /// wrong: the finding is a notice, "could not reconcile", left out of a
    /// run unless asked for (`--notices`, or `notices = true` in
    /// `plansjekk.toml`). Each finding says which applied.
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

/// What the table's other comparisons are called in a finding's reason.
pub(crate) const OTHER_TOTALS: &str = "other totals of the table";

/// What a row the total was compared with is to it. A figure in
/// parentheses ("(315 000)", a reserve) is not summed: it is shown as left
/// out, never as one of the items.
fn part_label(p: &crate::extract::grid::GridRow, col: usize) -> &'static str {
    match p.value(col) {
        Some(v) if v.parenthesized => "left out (in parentheses)",
        _ if p.is_total() => "group total",
        _ => "item",
    }
}

fn check(cx: &Checker, out: &mut Vec<Finding>) {
    for grid in &cx.plan.grids {
        let (rows, row_agreements) = row_reading(grid);
        let (diffs, _) = difference_reading(grid);
        let (columns, column_agreements) = column_reading(grid);
        for m in columns {
            let head = &grid.header_for(m.total, m.col);
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
            let place = if m.below { "below" } else { "above" };
            let what = if m.grand { "the totals" } else { "the items" };
            let mut f = Finding::new(format!(
                "the total {name}{column} is {} but {what} {place} sum to {}",
                m.stated.value, m.computed.value
            ))
            .figures(Value::Money(m.stated.value), Value::Money(m.computed.value))
            .at(cx.cell(m.total, m.col, "stated total"));
            for p in m.parts.iter().filter(|p| p.value(m.col).is_some()) {
                f = f.at(cx.cell(p, m.col, part_label(p, m.col)));
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
            let (cell, both) = match rows.iter().find_map(|r| reconciling_cell(&m, r)) {
                Some(cell) => (Some(cell), "this total and the row total"),
                None => (
                    diffs.iter().find_map(|d| reconciling_difference(&m, d)),
                    "this total and the row's difference",
                ),
            };
            let parts: Vec<Amount> = m.parts.iter().filter_map(|p| p.signed(m.col)).collect();
            let edit = simple_edit(
                m.stated.value,
                m.computed.value,
                &parts,
                &outside_figures(grid, &m.parts, m.total, m.col),
            );
            f = table_hints(cx, grid, f, cell, both, m.stated, m.computed).assessed(
                Evidence::new(edit, column_agreements + row_agreements, OTHER_TOTALS).assess(),
            );
            out.push(f);
        }
        for m in count_mismatches(grid) {
            let head = &grid.header_for(m.total, m.col);
            let column = if head.is_empty() {
                String::new()
            } else {
                format!(" in column \"{head}\"")
            };
            let (stated, computed) = (Value::Count(m.stated), Value::Count(m.computed));
            let mut f = Finding::new(format!(
                "the total \"{}\"{column} counts {stated} but the items above sum to {computed}",
                m.total.label
            ))
            .figures(stated, computed)
            .at(cx.cell(m.total, m.col, "stated total"));
            for p in &m.parts {
                f = f.at(cx.cell(p, m.col, "item"));
            }
            let counts: Vec<Amount> = m
                .parts
                .iter()
                .filter_map(|p| p.count(m.col))
                .map(Amount::from_kroner)
                .collect();
            let edit = simple_edit(
                Amount::from_kroner(m.stated),
                Amount::from_kroner(m.computed),
                &counts,
                &[],
            );
            f = f.assessed(
                Evidence::new(edit, column_agreements + row_agreements, OTHER_TOTALS).assess(),
            );
            out.push(f);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::findings;

    #[test]
    fn a_figure_in_parentheses_is_shown_as_left_out_not_as_an_item() {
        let t = "Post\tBeløp\nA\t100 000\nB\t200 000\nAvsetning\t(50 000)\nSum\t310 000\n";
        let f = findings("column-sum", t);
        assert_eq!(f.len(), 1, "{f:?}");
        assert!(f[0].message.contains("sum to 300 000"), "{}", f[0].message);
        let labels: Vec<&str> = f[0].locations.iter().map(|l| l.label.as_str()).collect();
        assert_eq!(
            labels,
            ["stated total", "item", "item", "left out (in parentheses)"]
        );
    }

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
    fn a_total_above_its_items_is_read_downwards() {
        let t = "Post\tRegnskap\tBudsjett\nTotalt\t300 000\t500 000\nA\t100 000\t200 000\nB\t200 000\t200 000\n";
        let f = findings("column-sum", t);
        assert_eq!(f.len(), 1, "{f:?}");
        assert!(
            f[0].message
                .contains("is 500 000 but the items below sum to 400 000"),
            "{}",
            f[0].message
        );
        let right = t.replace("500 000", "400 000");
        assert!(findings("column-sum", &right).is_empty());
    }

    #[test]
    fn a_total_above_items_that_add_up_nowhere_is_left_alone() {
        let t = "Post\tBudsjett\nTotalt\t500 000\nA\t100 000\nB\t200 000\n";
        assert!(findings("column-sum", t).is_empty());
    }

    #[test]
    fn group_totals_above_their_items() {
        let t = "Post\tA\tB\nTotalt drift\t300\t30\nx\t100\t10\ny\t200\t20\nTotalt investering\t500\t90\nz\t250\t40\nw\t250\t40\n";
        let f = findings("column-sum", t);
        assert_eq!(f.len(), 1, "{f:?}");
        assert!(
            f[0].message.contains("is 90 but the items below sum to 80"),
            "{}",
            f[0].message
        );
    }

    #[test]
    fn counts_beside_their_shares() {
        let t = "Gruppe\tAntall\nA\t1 521 (38 %)\nB\t2 468 (62 %)\nSum\t3 980 (100 %)\n";
        let f = findings("column-sum", t);
        assert_eq!(f.len(), 1, "{f:?}");
        assert!(
            f[0].message
                .contains("counts 3 980 but the items above sum to 3 989"),
            "{}",
            f[0].message
        );
        assert!(findings("column-sum", &t.replace("3 980", "3 989")).is_empty());
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

use super::column_sum::OTHER_TOTALS;
use super::sums::{
    column_reading, count_row_reading, difference_reading, reconciling_cell,
    reconciling_difference, row_reading, table_hints, ColumnMismatch, DifferenceMismatch,
    RowMismatch,
};
use super::{declare_rule, simple_edit, simple_edit_by, Checker, Evidence, Finding, Value};
use crate::extract::grid::Grid;

declare_rule! {
    /// ## What it checks
    /// A row's total ("Totalbudsjett", "Sum", "Totalt") against the sum of its
    /// parts in the same row: the year columns of a multi-year budget, or the
    /// funding sources of a financing table. Blank parts count as nothing; a
    /// total row with blanks under columns that have figures is not checked
    /// across. When most rows disagree, the column is not a row total and the
    /// rule stays silent. A difference column ("Avvik") is checked as the
    /// difference of the table's two other money columns ("Budsjett" −
    /// "Regnskap", or the other way round: whichever most rows agree with).
    /// A row whose figures ran together in one cell, and the rows of a
    /// second block of a table printed as stacked blocks, are not checked.
    /// Rows of counts with their shares ("1 208 533 (36 %)") are checked the
    /// same way when one count column is headed as the total ("Totalt"):
    /// counts are exact.
    ///
    /// ## Confidence
    /// An error only when the reading is corroborated: other rows' totals or
    /// the table's column totals reconcile under the same reading, or a
    /// simple edit explains the gap (one digit changed or two swapped, in
    /// the total or in one part; the total leaves one part out or counts it
    /// twice; one part in thousands). Both: high confidence; one: medium;
    /// neither: a notice, "could not reconcile", left out of a run
    /// unless asked for (`--notices`, or `notices = true` in `plansjekk.toml`).
    ///
    /// ## Why it matters
    /// A row total that differs from its parts means either a part or the
    /// total is wrong. The hint names a cell whose change would reconcile both
    /// this row and its column total, and quotes nearby text that explains the
    /// gap (an amount that is "frozen" or "not included").
    ///
    /// ## Example
    /// ```text
    /// Delmål | Totalbudsjett | 2025    | 2026    | 2027
    /// 2      | 2 000 000     | 900 000 | 600 000 | 600 000   <- parts sum to 2 100 000
    /// ```
    pub struct RowSum {
        id: "row-sum",
        severity: Error,
        check: check,
    }
}

fn check(cx: &Checker, out: &mut Vec<Finding>) {
    for grid in &cx.plan.grids {
        let (cols, column_agreements) = column_reading(grid);
        let (rows, row_agreements) = row_reading(grid);
        let (diffs, difference_agreements) = difference_reading(grid);
        for m in rows {
            out.push(money_row(
                cx,
                grid,
                &cols,
                &m,
                row_agreements + column_agreements,
            ));
        }
        count_rows(cx, grid, out);
        for m in diffs {
            out.push(difference_row(
                cx,
                grid,
                &cols,
                &m,
                difference_agreements + column_agreements,
            ));
        }
    }
}

/// The name a finding gives a row: its label, or "a row".
fn row_name(label: &str) -> String {
    if label.is_empty() {
        "a row".to_string()
    } else {
        format!("\"{label}\"")
    }
}

/// A row whose total column is not the sum of its parts.
fn money_row(
    cx: &Checker,
    grid: &Grid,
    cols: &[ColumnMismatch],
    m: &RowMismatch,
    agreements: usize,
) -> Finding {
    let name = row_name(&m.row.label);
    let head = &grid.columns[m.total_col].header;
    let parts: Vec<&str> = m
        .parts
        .iter()
        .filter(|&&c| m.row.value(c).is_some())
        .map(|&c| grid.columns[c].header.as_str())
        .collect();
    let mut f = Finding::new(format!(
        "the row {name} has \"{head}\" {} but its parts ({}) sum to {}",
        m.stated.value,
        parts.join(", "),
        m.computed.value
    ))
    .figures(Value::Money(m.stated.value), Value::Money(m.computed.value))
    .at(cx.cell(m.row, m.total_col, "stated total"));
    for &c in m.parts.iter().filter(|&&c| m.row.value(c).is_some()) {
        f = f.at(cx.cell(m.row, c, "part"));
    }
    let cell = cols.iter().find_map(|c| reconciling_cell(c, m));
    let parts: Vec<_> = m.parts.iter().filter_map(|&c| m.row.signed(c)).collect();
    let edit = simple_edit(m.stated.value, m.computed.value, &parts, &[]);
    f = table_hints(
        cx,
        grid,
        f,
        cell,
        "this row and the column total",
        m.stated,
        m.computed,
    )
    .assessed(Evidence::new(edit, agreements, OTHER_TOTALS).assess());
    f
}

/// A row whose difference column is not its minuend less its subtrahend.
fn difference_row(
    cx: &Checker,
    grid: &Grid,
    cols: &[ColumnMismatch],
    m: &DifferenceMismatch,
    agreements: usize,
) -> Finding {
    let name = row_name(&m.row.label);
    let head = |c: usize| grid.columns[c].header.as_str();
    let mut f = Finding::new(format!(
        "the row {name} has \"{}\" {} but \"{}\" − \"{}\" is {}",
        head(m.col),
        m.stated.value,
        head(m.minuend),
        head(m.subtrahend),
        m.computed.value
    ))
    .figures(Value::Money(m.stated.value), Value::Money(m.computed.value))
    .at(cx.cell(m.row, m.col, "stated difference"))
    .at(cx.cell(m.row, m.minuend, "minuend"))
    .at(cx.cell(m.row, m.subtrahend, "subtracted"));
    let cell = cols.iter().find_map(|c| reconciling_difference(c, m));
    let terms: Vec<_> = [m.minuend, m.subtrahend]
        .iter()
        .filter_map(|&c| m.row.signed(c))
        .collect();
    let edit = simple_edit(m.stated.value, m.computed.value, &terms, &[]);
    f = table_hints(
        cx,
        grid,
        f,
        cell,
        "this row's difference and the column total",
        m.stated,
        m.computed,
    )
    .assessed(Evidence::new(edit, agreements, OTHER_TOTALS).assess());
    f
}

/// Rows of counts ("n (74 %)") whose total is not the sum of its parts.
fn count_rows(cx: &Checker, grid: &Grid, out: &mut Vec<Finding>) {
    let (count_rows, count_agreements) = count_row_reading(grid);
    for m in count_rows {
        let name = row_name(&m.row.label);
        let head = grid.header_for(m.row, m.total_col);
        let parts: Vec<String> = m.parts.iter().map(|&c| grid.header_for(m.row, c)).collect();
        let (stated, computed) = (Value::Count(m.stated), Value::Count(m.computed));
        let mut f = Finding::new(format!(
            "the row {name} counts {stated} in \"{head}\" but its parts ({}) sum to {computed}",
            parts.join(", ")
        ))
        .figures(stated, computed)
        .at(cx.cell(m.row, m.total_col, "stated total"));
        for &c in &m.parts {
            f = f.at(cx.cell(m.row, c, "part"));
        }
        let values: Vec<i64> = m.parts.iter().filter_map(|&c| m.row.count(c)).collect();
        let edit = simple_edit_by(
            m.stated,
            m.computed,
            &values,
            &[],
            |v| Value::Count(v).to_string(),
            None,
        );
        out.push(
            f.assessed(Evidence::new(edit, count_agreements, "other rows of the table").assess()),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::findings;

    const YEARS: &str = "\t\t\t2025\t2026\t2027\n\tDelmål\tTotalbudsjett\t\t\t\n1\tA\t4 900 000\t1 900 000\t1 500 000\t1 500 000\n2\tB\t2 000 000\t900 000\t600 000\t600 000\n3\tC\t1 700 000\t1 300 000\t200 000\t200 000\n\tSUM\t8 600 000\t4 100 000\t2 200 000\t2 300 000\n";

    #[test]
    fn one_cell_reconciles_its_row_and_its_column() {
        let f = findings("row-sum", YEARS);
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(
            f[0].stated,
            Some(crate::rules::Value::Money(
                crate::norsk::Amount::from_kroner(2_000_000)
            ))
        );
        let hint = f[0].hint.as_deref().unwrap();
        assert!(
            hint.contains("\"B\" × \"2026\" from 600 000 to 500 000"),
            "{hint}"
        );
    }

    const AVVIK: &str = "Post\tBudsjett\tRegnskap\tAvvik\nA\t100,00\t90,50\t9,50\nB\t50,00\t60,00\t-10,00\nC\t20,00\t20,00\t0,00\nSum\t170,00\t170,50\t-0,50\n";

    #[test]
    fn a_difference_column_is_checked_each_way_round() {
        assert!(findings("row-sum", AVVIK).is_empty());
        let f = findings("row-sum", &AVVIK.replace("-10,00", "-1,00"));
        assert_eq!(f.len(), 1, "{f:?}");
        assert!(
            f[0].message
                .contains("has \"Avvik\" -1 but \"Budsjett\" − \"Regnskap\" is -10"),
            "{}",
            f[0].message
        );
        // Accounts minus budget: the other way round, just as consistent.
        let flipped = AVVIK
            .replace("\t9,50", "\t-9,50")
            .replace("\t-10,00", "\t10,00")
            .replace("\t-0,50", "\t0,50");
        assert!(findings("row-sum", &flipped).is_empty());
    }

    #[test]
    fn a_difference_column_most_rows_disagree_with_is_left_alone() {
        let t = "Post\tBudsjett\tRegnskap\tAvvik\nA\t100\t90\t3\nB\t50\t60\t4\nC\t20\t20\t5\n";
        assert!(findings("row-sum", t).is_empty());
    }

    #[test]
    fn of_which_columns_are_not_parts() {
        let t = "Post\tTotalbudsjett\tHerav statlig\tKommune\nA\t500 000\t300 000\t100 000\nB\t400 000\t200 000\t100 000\n";
        assert!(findings("row-sum", t).is_empty());
    }

    #[test]
    fn a_column_that_is_not_a_row_total_is_left_alone() {
        let t = "Post\tTotalt\tA\tB\nx\t100\t10\t20\ny\t200\t30\t40\nz\t300\t50\t60\n";
        assert!(findings("row-sum", t).is_empty());
    }
    /// One quantity a row, counts with their shares in some rows: each row's
    /// total is checked as counts, the rates per inhabitant are not summed.
    #[test]
    fn counts_with_shares_in_a_table_of_one_quantity_a_row() {
        let t = "Tabell 3.2 Antall og andel personer i 2019\n\n\tTotalt\tMenn\tKvinner\nAntall personer i 2019\t3 871 950\t1 960 978\t1 910 972\nAntall (andel) med minst en konsultasjon\t2 860 746 (74%)\t1 313 764 (67%)\t1 546 862 (81%)\nKonsultasjoner per innbygger hos fastlege\t2,9\t2,3\t3,5\nKonsultasjoner per innbygger på legevakt\t0,21\t0,20\t0,23\n";
        let all = crate::rules::testing::all_findings("row-sum", t);
        let f = findings("row-sum", t);
        assert_eq!(f.len(), 1, "{all:?}");
        assert!(f[0].message.contains("2 860 746"), "{}", f[0].message);
        // The same table adding up has nothing to say.
        let right = t.replace("1 546 862 (81%)", "1 546 982 (81%)");
        assert!(findings("row-sum", &right).is_empty());
    }
}

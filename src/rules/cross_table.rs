// foldhash: the keys are the document's own, hashed for every point of every
// table; SipHash's guard against chosen keys is not needed.
use foldhash::HashMap;

use crate::extract::grid::{ColumnKind, Grid, GridRow, Purpose, RowKind};

use super::figure::Fig;
use super::prose::title_year;
use super::sums::column_reading;
use super::text_vs_table::scope_name;
use super::{declare_rule, simple_edit, Checker, Evidence, Finding, Value};

declare_rule! {
    /// ## What it checks
    /// The same quantity in two tables: a goal's figure (its "Til sammen" row,
    /// or its row in a table with one row per goal) or a measure's figure, for
    /// the same year. Two columns are taken to hold the same quantity when they
    /// share at least three goals or measures, their years do not differ, and
    /// most of the shared figures agree; the rule then reports the ones that
    /// do not. Columns that merely describe other things (a total budget over
    /// all sources next to one source's share) disagree on most figures and are
    /// never compared.
    ///
    /// It also compares a cost plan with the financing plan for the same
    /// period: a document with one table titled or totalled as costs
    /// ("Kostnadsplan 2025–2027", "Sum kostnader") and one as financing
    /// ("Finansieringsplan 2025–2027", "Sum finansiering"), whose titles name
    /// the same period, each closed by a total row, must give one grand total.
    ///
    /// ## Confidence
    /// An error only when the reading is corroborated: a simple edit explains
    /// the gap (the two figures differ in one digit or by two adjacent digits
    /// swapped), or under the same reading the tables agree elsewhere (the
    /// other figures the two tables share agree; a cost and a financing
    /// plan each reconcile with their own items). Both: high confidence; one:
    /// medium; neither: a notice, "could not reconcile", left out of a run
    /// unless asked for (`--notices`, or `notices = true` in `plansjekk.toml`).
    ///
    /// ## Why it matters
    /// Plans repeat their budget in an overview, a multi-year table and a
    /// financing table. When one copy was not updated, readers get two
    /// budgets for the same goal.
    ///
    /// ## Example
    /// ```text
    /// Overview:   Delmål 2 ... Til sammen | 900 000
    /// Multi-year: 2 | Fleksibel utdanning | 2 000 000 | 1 000 000 (2025) | ...
    ///
    /// Kostnadsplan 2025–2027:     Sum kostnader    | 4 000 000
    /// Finansieringsplan 2025–2027: Sum finansiering | 4 100 000
    /// ```
    pub struct CrossTable {
        id: "cross-table",
        severity: Error,
        check: check,
    }
}

/// What a series is keyed by.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
enum Key {
    Goal(usize),
    Measure(usize),
}

/// One column of one table read as figures per goal or measure.
struct Series<'g> {
    grid: &'g Grid,
    col: usize,
    year: Option<i32>,
    points: Vec<(Key, &'g GridRow)>,
}

fn series<'g>(cx: &Checker, grid: &'g Grid) -> Vec<Series<'g>> {
    let mut out = Vec::new();
    let year = cx.year_of(grid).or_else(|| title_year(cx));
    for col in grid.money_columns() {
        let col_year = match grid.columns[col].kind {
            ColumnKind::Year(y) => Some(y),
            // A whole-period total has no one year.
            ColumnKind::Total
                if grid
                    .columns
                    .iter()
                    .any(|c| matches!(c.kind, ColumnKind::Year(_))) =>
            {
                continue
            }
            _ => year,
        };
        let mut goals = Vec::new();
        let mut measures = Vec::new();
        for r in &grid.rows {
            if r.value(col).is_none() {
                continue;
            }
            match (r.kind, r.goal, r.measure) {
                (RowKind::Item, _, Some(m)) => measures.push((Key::Measure(m), r)),
                (RowKind::Total, Some(g), None) => goals.push((Key::Goal(g), r)),
                (RowKind::Item, Some(g), None) if grid.goal_rows => goals.push((Key::Goal(g), r)),
                _ => {}
            }
        }
        for points in [goals, measures] {
            if points.len() >= 3 {
                out.push(Series {
                    grid,
                    col,
                    year: col_year,
                    points,
                });
            }
        }
    }
    out
}

fn agree(a: &Series, p: &GridRow, b: &Series, q: &GridRow) -> bool {
    match (p.value(a.col), q.value(b.col)) {
        (Some(x), Some(y)) => Fig::of(x).agrees(Fig::of(y)),
        _ => false,
    }
}

/// Whether two series hold the same quantity: other tables, no differing
/// years, at least three shared keys, most of them agreeing.
/// `b_first` holds `b`'s first row for each of its keys.
fn same_quantity(a: &Series, b: &Series, b_first: &HashMap<Key, &GridRow>) -> bool {
    if std::ptr::eq(a.grid, b.grid) || a.year.zip(b.year).is_some_and(|(x, y)| x != y) {
        return false;
    }
    let shared: Vec<(&GridRow, &GridRow)> = a
        .points
        .iter()
        .filter_map(|p| b_first.get(&p.0).map(|q| (p.1, *q)))
        .collect();
    let agreeing = shared.iter().filter(|(p, q)| agree(a, p, b, q)).count();
    shared.len() >= 3 && agreeing * 2 > shared.len()
}

fn where_(s: &Series) -> String {
    let head = &s.grid.columns[s.col].header;
    let title = s.grid.title.as_deref().unwrap_or("a table");
    if head.is_empty() {
        format!("«{title}»")
    } else {
        format!("column \"{head}\" of «{title}»")
    }
}

/// A table's grand total: its last row, the only total row, in its row total
/// column or its one money column.
fn grand_total(grid: &Grid) -> Option<(&GridRow, usize)> {
    let last = grid.rows.last()?;
    if last.kind != RowKind::Total || grid.rows.iter().filter(|r| r.is_total()).count() != 1 {
        return None;
    }
    let totals: Vec<usize> = grid
        .money_columns()
        .filter(|&c| grid.columns[c].kind == ColumnKind::Total)
        .collect();
    let money: Vec<usize> = grid.money_columns().collect();
    let col = match (&totals[..], &money[..]) {
        (&[c], _) | (&[], &[c]) => c,
        _ => return None,
    };
    last.value(col).is_some().then_some((last, col))
}

/// The one cost plan and the one financing plan of a period, when their
/// grand totals differ.
fn costs_and_financing(cx: &Checker, out: &mut Vec<Finding>) {
    let plans = |purpose: Purpose| -> Vec<(&Grid, &GridRow, usize)> {
        cx.plan
            .grids
            .iter()
            .filter(|g| g.purpose == Some(purpose))
            .filter_map(|g| grand_total(g).map(|(r, c)| (g, r, c)))
            .collect()
    };
    let (costs, financing) = (plans(Purpose::Costs), plans(Purpose::Financing));
    let ([(cg, cr, cc)], [(fg, fr, fc)]) = (&costs[..], &financing[..]) else {
        return;
    };
    if cg.period().is_none() || cg.period() != fg.period() {
        return;
    }
    let (cost, funds) = (cr.value(*cc).expect("total"), fr.value(*fc).expect("total"));
    if Fig::of(cost).agrees(Fig::of(funds)) {
        return;
    }
    let title = |g: &Grid| g.title.clone().unwrap_or_default();
    let reconciled = column_reading(cg).1.min(1) + column_reading(fg).1.min(1);
    let evidence = Evidence::new(
        simple_edit(funds.amount, cost.amount, &[], &[]),
        reconciled,
        "plans whose totals reconcile with their items",
    );
    out.push(
        Finding::new(format!(
            "the financing plan «{}» totals {} but the cost plan «{}» totals {}",
            title(fg),
            funds.amount,
            title(cg),
            cost.amount
        ))
        .figures(Value::Money(funds.amount), Value::Money(cost.amount))
        .at(cx.cell(fr, *fc, "financing total"))
        .at(cx.cell(cr, *cc, "cost total"))
        .hint("a financing plan pays for the costs of the same period: one of the totals, or an item under it, is wrong")
        .assessed(evidence.assess()),
    );
}

fn check(cx: &Checker, out: &mut Vec<Finding>) {
    costs_and_financing(cx, out);
    let all: Vec<Series> = cx.plan.grids.iter().flat_map(|g| series(cx, g)).collect();
    for members in clusters(&all) {
        if members.len() >= 2 {
            compare_cluster(cx, &members, out);
        }
    }
}

/// The series that hold one quantity, grouped (union of pairwise links), in
/// the order of their first member.
fn clusters<'s, 'g>(all: &'s [Series<'g>]) -> Vec<Vec<&'s Series<'g>>> {
    let mut cluster: Vec<usize> = (0..all.len()).collect();
    fn root(c: &mut [usize], i: usize) -> usize {
        let mut r = i;
        while c[r] != r {
            r = c[r];
        }
        c[i] = r;
        r
    }
    // Each series' first row per key, as a search of its points finds it.
    let firsts: Vec<HashMap<Key, &GridRow>> = all
        .iter()
        .map(|s| {
            let mut m = HashMap::default();
            for (k, r) in &s.points {
                m.entry(*k).or_insert(*r);
            }
            m
        })
        .collect();
    // The series holding each key, ascending: a pair is compared only where
    // they share three points (what `same_quantity` asks first), found by
    // counting, not by trying every pair of a document's tables.
    let mut holding: HashMap<Key, Vec<usize>> = HashMap::default();
    for (j, f) in firsts.iter().enumerate() {
        for k in f.keys() {
            holding.entry(*k).or_default().push(j);
        }
    }
    let mut shared = vec![0usize; all.len()];
    let mut touched: Vec<usize> = Vec::new();
    for i in 0..all.len() {
        for (k, _) in &all[i].points {
            for &j in holding.get(k).into_iter().flatten().filter(|&&j| j > i) {
                if shared[j] == 0 {
                    touched.push(j);
                }
                shared[j] += 1;
            }
        }
        touched.sort_unstable();
        for &j in &touched {
            // A pair already in one cluster cannot change the clusters: a
            // document of many like tables (a report repeating its budget
            // per year or per part) is not compared table by table.
            let (ri, rj) = (root(&mut cluster, i), root(&mut cluster, j));
            if shared[j] >= 3 && ri != rj && same_quantity(&all[i], &all[j], &firsts[j]) {
                cluster[rj.max(ri)] = ri.min(rj);
            }
            shared[j] = 0;
        }
        touched.clear();
    }
    let roots: Vec<usize> = (0..all.len()).map(|i| root(&mut cluster, i)).collect();
    (0..all.len())
        .filter(|&i| roots[i] == i)
        .map(|r| {
            (0..all.len())
                .filter(|&i| roots[i] == r)
                .map(|i| &all[i])
                .collect()
        })
        .collect()
}

/// Compares the figures a cluster of series gives for each goal or measure:
/// where they split into groups that disagree, the largest group is taken as
/// right and each figure of the others is a finding.
fn compare_cluster(cx: &Checker, members: &[&Series], out: &mut Vec<Finding>) {
    let mut keys: Vec<Key> = Vec::new();
    for s in members {
        for (k, _) in &s.points {
            if !keys.contains(k) {
                keys.push(*k);
            }
        }
    }
    let mut agreeing_keys = 0;
    let mut found: Vec<(Finding, crate::norsk::Amount, crate::norsk::Amount)> = Vec::new();
    for key in keys {
        // Every figure for this key, split into groups that agree.
        let cells: Vec<(&Series, &GridRow)> = members
            .iter()
            .filter_map(|s| s.points.iter().find(|p| p.0 == key).map(|p| (*s, p.1)))
            .collect();
        let mut groups: Vec<Vec<(&Series, &GridRow)>> = Vec::new();
        for c in cells {
            match groups.iter_mut().find(|g| agree(g[0].0, g[0].1, c.0, c.1)) {
                Some(g) => g.push(c),
                None => groups.push(vec![c]),
            }
        }
        if groups.len() < 2 {
            agreeing_keys += 1;
            continue;
        }
        found.extend(disagreements(cx, key, &groups));
    }
    for (f, x, y) in found {
        let evidence = Evidence::new(
            simple_edit(x, y, &[], &[]),
            agreeing_keys,
            "other figures the tables share",
        );
        out.push(f.assessed(evidence.assess()));
    }
}

/// The findings of one key's disagreeing groups: each figure outside the
/// largest group (ties go to the first table), with the figures it differs from.
fn disagreements(
    cx: &Checker,
    key: Key,
    groups: &[Vec<(&Series, &GridRow)>],
) -> Vec<(Finding, crate::norsk::Amount, crate::norsk::Amount)> {
    let major = (0..groups.len())
        .max_by_key(|&i| (groups[i].len(), usize::MAX - i))
        .expect("groups");
    let name = match key {
        Key::Goal(g) => scope_name(cx, g, None),
        Key::Measure(m) => scope_name(cx, cx.plan.measures[m].goal.unwrap_or(0), Some(m)),
    };
    let mut found = Vec::new();
    for (_, g) in groups.iter().enumerate().filter(|(i, _)| *i != major) {
        for (s, row) in g {
            let (m0, mrow) = groups[major][0];
            let (x, y) = (
                row.value(s.col).expect("value"),
                mrow.value(m0.col).expect("value"),
            );
            let others: Vec<String> = groups[major].iter().map(|(ms, _)| where_(ms)).collect();
            let mut f = Finding::new(format!(
                "the figure for {name} is {} in {} but {} in {}",
                x.amount,
                where_(s),
                y.amount,
                others.join(" and ")
            ))
            .figures(Value::Money(x.amount), Value::Money(y.amount))
            .at(cx.cell(row, s.col, "this table"));
            for (ms, mr) in &groups[major] {
                f = f.at(cx.cell(mr, ms.col, "the other table"));
            }
            if groups[major].len() > 1 {
                f = f.hint(format!(
                    "{} other tables agree on {}",
                    groups[major].len(),
                    y.amount
                ));
            }
            found.push((f, x.amount, y.amount));
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::findings;

    const PLAN: &str = "Handlingsplan 2025\n\nDelmål 1 Rekruttering\n\nTekst.\n\nDelmål 2 Utdanning\n\nTekst.\n\nDelmål 3 Bolig\n\nTekst.\n\nDelmål 4 Mobilitet\n\nTekst.\n\nFordeling av budsjett\n\n\t\t\t2025\t2026\n\tDelmål\tTotalbudsjett\t\t\n1\tRekruttering\t300 000\t100 000\t200 000\n2\tUtdanning\t500 000\t200 000\t300 000\n3\tBolig\t700 000\t300 000\t400 000\n4\tMobilitet\t900 000\t400 000\t500 000\n\tSUM\t2 400 000\t1 000 000\t1 400 000\n\nFinansiering 2025\n\nDelmål\tTotalbudsjett\tStat\tKommune\n1 Rekruttering\t150 000\t100 000\t50 000\n2 Utdanning\t250 000\t200 000\t50 000\n3 Bolig\t350 000\t300 000\t50 000\n4 Mobilitet\t450 000\t400 000\t50 000\nSUM\t1 200 000\t1 000 000\t200 000\n";

    #[test]
    fn consistent_tables_are_silent() {
        assert!(
            findings("cross-table", PLAN).is_empty(),
            "{:#?}",
            findings("cross-table", PLAN)
        );
    }

    const COSTS: &str = "Prosjektplan 2025–2027\n\nKostnadsplan 2025–2027\n\nKostnad\tBeløp\nLønn\t600 000\nReiser\t400 000\nSum kostnader\t1 000 000\n\nFinansieringsplan 2025–2027\n\nKilde\tBeløp\nFylket\t700 000\nKommunene\t300 000\nSum finansiering\t1 000 000\n";

    #[test]
    fn cost_and_financing_plans_that_balance_are_silent() {
        assert!(findings("cross-table", COSTS).is_empty());
    }

    #[test]
    fn cost_and_financing_plans_that_do_not_balance() {
        let t = COSTS
            .replace("Fylket\t700 000", "Fylket\t800 000")
            .replace("finansiering\t1 000 000", "finansiering\t1 100 000");
        let f = findings("cross-table", &t);
        assert_eq!(f.len(), 1, "{f:#?}");
        assert!(
            f[0].message.contains("totals 1 100 000 but the cost plan"),
            "{}",
            f[0].message
        );
    }

    #[test]
    fn plans_of_other_periods_are_not_compared() {
        let t = COSTS
            .replace("Finansieringsplan 2025–2027", "Finansieringsplan 2025")
            .replace("Fylket\t700 000", "Fylket\t800 000")
            .replace("finansiering\t1 000 000", "finansiering\t1 100 000");
        assert!(findings("cross-table", &t).is_empty());
    }

    #[test]
    fn one_goal_differs_between_tables() {
        let t = PLAN.replace(
            "3 Bolig\t350 000\t300 000\t50 000",
            "3 Bolig\t400 000\t350 000\t50 000",
        );
        let f = findings("cross-table", &t);
        assert_eq!(f.len(), 1, "{f:#?}");
        // Two tables, one each way: the first table's figure is taken as right.
        assert!(
            f[0].message.contains("is 350 000 in column \"Stat\""),
            "{}",
            f[0].message
        );
        assert!(
            f[0].message.contains("but 300 000 in column \"2025\""),
            "{}",
            f[0].message
        );
    }
}

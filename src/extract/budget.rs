//! What each goal and measure is budgeted, taken once from the most
//! authoritative place, and which figures repeat one already counted.
//!
//! A plan gives the same money several times: a measure table, a goal
//! overview by year, a sentence under the measure's heading. A researcher who
//! adds up `amounts` counts it two or three times. So:
//!
//! - **Budget**: one table budgets the goals, the one that gives figures for
//!   the most of them (then: for the most years, the most figures, a budget
//!   table before a measure table, the earlier), so that goals' budgets are
//!   comparable and add up; likewise one table for the measures. A goal that
//!   table does not name takes the table that gives it the most figures. In
//!   the table, the row with the most figures for it. Its year columns give the
//!   budget per year (funding sources of one year added up); its row-total
//!   column, else the sum of its figures, the total. Where no table speaks of
//!   it, prose figures for it that all agree (within their printed precision)
//!   give the total, with the sentence's year, where the sentence sets money
//!   aside ("settes av", "finansieres", "budsjett på") and its year is not
//!   before the plan's own: "omlag 682 mill i 2007" in a 2009 strategy's
//!   background is no budget. Spending, applications and
//!   differences are never a budget; a reserve row ("Avsetning") is not one.
//! - **Repeats**: a figure repeats an earlier one when both speak of the same
//!   goal or measure, in the same kind of money (planned: budget, granted,
//!   total; spent; applied), for the same year (or one says no year), in
//!   different tables or one in the text, and their values agree. Figures of
//!   the chosen budget tables come first, then other tables, then prose, so the
//!   figure that counts is the authoritative one. Figures of one table never
//!   repeat each other: a row or column total is marked by its role instead.

use std::collections::HashMap;

use super::grid::ColumnKind;
use super::tables::TableKind;
use super::{AmountRole, ExtractedAmount, Origin, Plan};
use crate::norsk::{Amount, Money};

/// A goal's or measure's budget.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Budget {
    /// For the whole period, where the source gives or implies it.
    pub total: Option<Amount>,
    /// Per year, in year order.
    pub years: Vec<(i32, Amount)>,
    pub source: BudgetSource,
    /// The amounts (indices into [`Plan::amounts`]) it was taken from.
    pub amounts: Vec<usize>,
}

/// Where a budget was read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BudgetSource {
    /// A row of a table (indices among the document's tables, header rows included).
    Table { table: usize, row: usize },
    /// Running text that gives the figure (and, where several, agrees).
    Prose,
}

/// The plan's budgets and repeated figures.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Budgets {
    /// Per goal (indices as [`Plan::goals`]).
    pub goals: Vec<Option<Budget>>,
    /// Per measure (indices as [`Plan::measures`]).
    pub measures: Vec<Option<Budget>>,
    /// Per amount (indices as [`Plan::amounts`]): the amount it repeats.
    pub repeats: Vec<Option<usize>>,
    /// The total the document itself states for the money its goals (or
    /// measures) are budgeted from: an index into [`Plan::amounts`]; see
    /// [`stated_total`].
    pub stated_total: Option<usize>,
}

/// Whose budget: a goal's own figures (not its measures'), or a measure's.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum Entity {
    Goal(usize),
    Measure(usize),
}

fn entity_of(a: &ExtractedAmount) -> Option<Entity> {
    match (a.goal, a.measure) {
        (_, Some(m)) => Some(Entity::Measure(m)),
        (Some(g), None) => Some(Entity::Goal(g)),
        (None, None) => None,
    }
}

fn planned(role: AmountRole) -> bool {
    matches!(
        role,
        AmountRole::Budget | AmountRole::Granted | AmountRole::Total
    )
}

/// The kind of money a figure is, for telling repeats: planned, spent, applied.
fn money_class(role: AmountRole) -> u8 {
    match role {
        AmountRole::Budget | AmountRole::Granted | AmountRole::Total => 0,
        AmountRole::Spent => 1,
        AmountRole::Applied => 2,
        AmountRole::Unknown => 3,
    }
}

/// Two printed figures that may be the same money (their precision intervals meet).
fn agree(a: &Money, b: &Money) -> bool {
    let diff = (a.amount - b.amount).abs().ore();
    diff * 2 <= a.unit.ore() + b.unit.ore()
}

fn column_kind(plan: &Plan, a: &ExtractedAmount) -> Option<ColumnKind> {
    match a.origin {
        Origin::Cell { table, col, .. } => plan
            .grids
            .iter()
            .find(|g| g.table == table)
            .and_then(|g| g.columns.get(col))
            .map(|c| c.kind),
        Origin::Prose { .. } => None,
    }
}

fn is_reserve(plan: &Plan, table: usize, row: usize) -> bool {
    plan.grids
        .iter()
        .find(|g| g.table == table)
        .and_then(|g| g.rows.iter().find(|r| r.index == row))
        .is_some_and(|r| r.reserve)
}

fn table_kind(plan: &Plan, table: usize) -> Option<TableKind> {
    plan.tables
        .iter()
        .find(|t| t.index == table)
        .map(|t| t.kind)
}

/// The cells among `figures` (amount, table, row).
fn cells(plan: &Plan, figures: &[usize]) -> Vec<(usize, usize, usize)> {
    figures
        .iter()
        .filter_map(|&i| match plan.amounts[i].origin {
            Origin::Cell { table, row, .. } => Some((i, table, row)),
            Origin::Prose { .. } => None,
        })
        .collect()
}

/// How many years each table's figures are for, by table, read in one pass
/// over the amounts (per table, it made choosing a table quadratic).
fn years_by_table(plan: &Plan) -> HashMap<usize, usize> {
    let mut years: HashMap<usize, Vec<i32>> = HashMap::new();
    for a in &plan.amounts {
        if let (Origin::Cell { table, .. }, Some(y)) = (a.origin, a.year) {
            years.entry(table).or_default().push(y);
        }
    }
    years
        .into_iter()
        .map(|(t, mut ys)| {
            ys.sort_unstable();
            ys.dedup();
            (t, ys.len())
        })
        .collect()
}

/// The one table that budgets most of the goals (or measures): the one that
/// gives figures for the most of them, then for the most years (a plan's
/// overview by year before one year's financing), then the most figures, a
/// budget table before a measure table, the earlier. Taking every goal's
/// budget from one table keeps them comparable and their sum meaningful.
fn preferred_table(plan: &Plan, per_entity: &[Vec<usize>]) -> Option<usize> {
    let mut score: std::collections::BTreeMap<usize, (usize, usize)> = Default::default();
    for figs in per_entity {
        let cells = cells(plan, figs);
        let mut tables: Vec<usize> = cells.iter().map(|c| c.1).collect();
        tables.sort_unstable();
        tables.dedup();
        for t in tables {
            let e = score.entry(t).or_default();
            e.0 += 1;
            e.1 += cells.iter().filter(|c| c.1 == t).count();
        }
    }
    let years = years_by_table(plan);
    let mut kinds: HashMap<usize, TableKind> = HashMap::new();
    for t in &plan.tables {
        kinds.entry(t.index).or_insert(t.kind);
    }
    score
        .into_iter()
        .max_by_key(|&(t, (entities, figures))| {
            (
                entities,
                years.get(&t).copied().unwrap_or(0),
                figures,
                kinds.get(&t) == Some(&TableKind::Budget),
                std::cmp::Reverse(t),
            )
        })
        .map(|(t, _)| t)
}

/// The budget of one goal or measure, from the amounts that speak of it: the
/// preferred table's row where it has one, else the table that gives it the
/// most figures, else agreeing prose.
fn budget_of(plan: &Plan, figures: &[usize], preferred: Option<usize>) -> Option<Budget> {
    let cells = cells(plan, figures);
    if cells.is_empty() {
        return prose_budget(plan, figures);
    }
    let count = |f: &dyn Fn(&(usize, usize, usize)) -> bool| cells.iter().filter(|c| f(c)).count();
    let mut tables: Vec<usize> = cells.iter().map(|c| c.1).collect();
    tables.dedup();
    let table = preferred.filter(|p| tables.contains(p)).or_else(|| {
        tables.iter().copied().max_by_key(|&t| {
            (
                count(&|c| c.1 == t),
                table_kind(plan, t) == Some(TableKind::Budget),
                std::cmp::Reverse(t),
            )
        })
    })?;
    let mut rows: Vec<usize> = cells.iter().filter(|c| c.1 == table).map(|c| c.2).collect();
    rows.dedup();
    let row = rows
        .iter()
        .copied()
        .max_by_key(|&r| (count(&|c| c.1 == table && c.2 == r), std::cmp::Reverse(r)))?;
    let chosen: Vec<usize> = cells
        .iter()
        .filter(|c| c.1 == table && c.2 == row)
        .map(|c| c.0)
        .collect();
    let mut years: Vec<(i32, Amount)> = Vec::new();
    let mut row_total = None;
    let mut parts = Amount::ZERO;
    for &i in &chosen {
        let a = &plan.amounts[i];
        if column_kind(plan, a) == Some(ColumnKind::Total) {
            row_total = Some(a.amount());
            continue;
        }
        parts = parts + a.amount();
        if let Some(y) = a.year {
            match years.iter_mut().find(|(yy, _)| *yy == y) {
                Some((_, v)) => *v = *v + a.amount(),
                None => years.push((y, a.amount())),
            }
        }
    }
    years.sort_by_key(|(y, _)| *y);
    // A row of one year's sources and its row total ("Totalbudsjett" in a
    // "Budsjett 2025" table): the year's figure is the stated total, as the
    // total is, whether or not the sources add up to it (that is row-sum's).
    if let (Some(t), [(y, _)]) = (row_total, years.as_slice()) {
        years = vec![(*y, t)];
    }
    let total = row_total.or_else(|| {
        // Parts that are all one year, or no year, add up to the total; so do
        // a row's years. A row of one source and a row total is the row total.
        (parts != Amount::ZERO).then_some(parts)
    });
    Some(Budget {
        total,
        years,
        source: BudgetSource::Table { table, row },
        amounts: chosen,
    })
}

/// Prose figures for it, when they all agree: figures of sentences that set
/// money aside ("settes av", "finansieres"), not of ones that describe money,
/// and not for a year before the plan's own.
fn prose_budget(plan: &Plan, figures: &[usize]) -> Option<Budget> {
    let start = plan
        .period
        .and_then(|(from, _)| from.year)
        .or_else(|| plan.date.and_then(|d| d.year));
    let figures: Vec<usize> = figures
        .iter()
        .copied()
        .filter(|&i| {
            let a = &plan.amounts[i];
            let allocates = a.in_prose(plan).is_some_and(|(s, _)| s.allocates);
            let current = match (a.year, start) {
                (Some(y), Some(s)) => y >= s,
                _ => true,
            };
            allocates && current
        })
        .collect();
    let figures = figures.as_slice();
    let first = &plan.amounts[*figures.first()?];
    if !figures
        .iter()
        .all(|&i| agree(&plan.amounts[i].money, &first.money))
    {
        return None;
    }
    let year = first.year.filter(|y| {
        figures
            .iter()
            .all(|&i| plan.amounts[i].year.is_none_or(|yy| yy == *y))
    });
    Some(Budget {
        total: Some(first.amount()),
        years: year.map(|y| vec![(y, first.amount())]).unwrap_or_default(),
        source: BudgetSource::Prose,
        amounts: figures.to_vec(),
    })
}

/// The budget of every goal and every measure (`None` where the plan gives
/// none), and for every amount the earlier amount it repeats.
pub fn budgets(plan: &Plan) -> Budgets {
    let mut goal_figs = vec![Vec::new(); plan.goals.len()];
    let mut measure_figs = vec![Vec::new(); plan.measures.len()];
    for (i, a) in plan.amounts.iter().enumerate() {
        if !planned(a.role)
            || matches!(column_kind(plan, a), Some(ColumnKind::Difference))
            || matches!(a.origin, Origin::Cell { table, row, .. } if is_reserve(plan, table, row))
        {
            continue;
        }
        match entity_of(a) {
            Some(Entity::Goal(g)) if g < goal_figs.len() => goal_figs[g].push(i),
            Some(Entity::Measure(m)) if m < measure_figs.len() => measure_figs[m].push(i),
            _ => {}
        }
    }
    let for_goals = preferred_table(plan, &goal_figs);
    let for_measures = preferred_table(plan, &measure_figs);
    let goals: Vec<Option<Budget>> = goal_figs
        .iter()
        .map(|f| budget_of(plan, f, for_goals))
        .collect();
    let measures: Vec<Option<Budget>> = measure_figs
        .iter()
        .map(|f| budget_of(plan, f, for_measures))
        .collect();
    let repeats = repeats(plan, goals.iter().chain(&measures).flatten());
    let stated_total = stated_total(plan, &goals).or_else(|| stated_total(plan, &measures));
    Budgets {
        goals,
        measures,
        repeats,
        stated_total,
    }
}

/// The total the document itself states for the money that `budgets` were
/// read from: in the table most of them come from, the last row labelled as
/// a total ("Sum", "Totalt", "Til sammen"; a reserve row is none), its figure
/// in the row-total column, else its one money figure. It may hold more than
/// the budgets (project management, a reserve: rows that budget no goal), and
/// that is the point of showing it beside their sum. A table without such a
/// row, or whose total row gives only figures per year or per source, states
/// no total: nothing is added up here.
fn stated_total(plan: &Plan, budgets: &[Option<Budget>]) -> Option<usize> {
    let mut tables: std::collections::BTreeMap<usize, usize> = Default::default();
    for b in budgets.iter().flatten() {
        if let BudgetSource::Table { table, .. } = b.source {
            *tables.entry(table).or_default() += 1;
        }
    }
    let table = tables
        .into_iter()
        .max_by_key(|&(t, n)| (n, std::cmp::Reverse(t)))?
        .0;
    let grid = plan.grids.iter().find(|g| g.table == table)?;
    let row = grid
        .rows
        .iter()
        .rev()
        .find(|r| r.kind == super::grid::RowKind::Total && !r.reserve)?
        .index;
    let in_row: Vec<usize> = (0..plan.amounts.len())
        .filter(|&i| {
            matches!(plan.amounts[i].origin, Origin::Cell { table: t, row: r, .. } if t == table && r == row)
        })
        .collect();
    let row_total = in_row
        .iter()
        .copied()
        .find(|&i| column_kind(plan, &plan.amounts[i]) == Some(ColumnKind::Total));
    match (row_total, in_row.as_slice()) {
        (Some(i), _) => Some(i),
        (None, [only]) => Some(*only),
        _ => None,
    }
}

fn repeats<'b>(plan: &Plan, chosen: impl Iterator<Item = &'b Budget>) -> Vec<Option<usize>> {
    let mut chosen_tables: Vec<usize> = chosen
        .filter_map(|b| match b.source {
            BudgetSource::Table { table, .. } => Some(table),
            BudgetSource::Prose => None,
        })
        .collect();
    chosen_tables.sort_unstable();
    chosen_tables.dedup();
    let rank = |a: &ExtractedAmount| match a.origin {
        Origin::Cell { table, .. } if chosen_tables.binary_search(&table).is_ok() => 0,
        Origin::Cell { .. } => 1,
        Origin::Prose { .. } => 2,
    };
    let mut order: Vec<usize> = (0..plan.amounts.len()).collect();
    order.sort_by_key(|&i| (rank(&plan.amounts[i]), i));
    let table_of = |a: &ExtractedAmount| match a.origin {
        Origin::Cell { table, .. } => Some(table),
        Origin::Prose { .. } => None,
    };
    let mut out = vec![None; plan.amounts.len()];
    // The figures counted so far, per goal or measure: few per entity, so the
    // whole is linear in the document's figures.
    let mut counted: std::collections::HashMap<Entity, Vec<usize>> = Default::default();
    for &i in &order {
        let a = &plan.amounts[i];
        let Some(entity) = entity_of(a) else {
            continue;
        };
        let earlier = counted.entry(entity).or_default();
        out[i] = earlier.iter().copied().find(|&j| {
            let b = &plan.amounts[j];
            money_class(a.role) == money_class(b.role)
                && money_class(a.role) != 3
                && (a.year.is_none() || b.year.is_none() || a.year == b.year)
                && (table_of(a).is_none() || table_of(a) != table_of(b))
                && agree(&a.money, &b.money)
        });
        if out[i].is_none() {
            earlier.push(i);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(text: &str) -> Plan {
        let doc = crate::ingest::ingest(text.as_bytes(), &crate::ingest::IngestOptions::default())
            .expect("text reads");
        crate::extract::extract(&doc)
    }

    fn kr(v: i64) -> Amount {
        Amount::from_kroner(v)
    }

    const PLAN: &str = "Handlingsplan 2025–2027\n\n\
        Delmål 1 Rekruttering\n\n\
        Tiltak 1.1 Karrieredag\n\n\
        Det settes av 200 000 kr til karrieredagen i 2025.\n\n\
        Tiltak 1.2 Traineeordning\n\n\
        Traineeordningen får 300 000 kr.\n\n\
        Delmål 2 Bolig\n\n\
        Tiltak 2.1 Boligtomter\n\n\
        Budsjett per delmål\n\n\
        Delmål\t2025\t2026\t2027\tTotalt\n\
        Delmål 1 Rekruttering\t500 000\t400 000\t400 000\t1 300 000\n\
        Delmål 2 Bolig\t100 000\t100 000\t\t200 000\n\
        Sum\t600 000\t500 000\t400 000\t1 500 000\n";

    #[test]
    fn the_stated_total_is_the_sum_row_of_the_goals_table() {
        let p = plan(PLAN);
        let i = p.budgets.stated_total.expect("the table's Sum row");
        assert_eq!(p.amounts[i].amount(), kr(1_500_000));
        // Without a row-total column, the Sum row states years only: no
        // total is made up from them.
        let by_year = PLAN
            .replace("\tTotalt", "")
            .replace("\t1 300 000", "")
            .replace("\t200 000\n", "\n")
            .replace("\t1 500 000", "");
        let p = plan(&by_year);
        assert!(p.budgets.goals[0].is_some());
        assert_eq!(p.budgets.stated_total, None);
        // Without a Sum row, nothing is stated.
        let p = plan(PLAN.rsplit_once("Sum\t").unwrap().0);
        assert!(p.budgets.goals[0].is_some());
        assert_eq!(p.budgets.stated_total, None);
    }

    #[test]
    fn a_goal_takes_its_years_and_total_from_its_row() {
        let p = plan(PLAN);
        let g = p.budgets.goals[0].as_ref().expect("goal 1 has a budget");
        assert_eq!(g.total, Some(kr(1_300_000)));
        assert_eq!(
            g.years,
            vec![
                (2025, kr(500_000)),
                (2026, kr(400_000)),
                (2027, kr(400_000))
            ]
        );
        assert!(matches!(g.source, BudgetSource::Table { .. }));
        let g2 = p.budgets.goals[1].as_ref().expect("goal 2 has a budget");
        assert_eq!(g2.total, Some(kr(200_000)));
        assert_eq!(g2.years.len(), 2);
    }

    #[test]
    fn a_measure_without_a_table_takes_its_prose_figure() {
        let p = plan(PLAN);
        let m = p.budgets.measures[0]
            .as_ref()
            .expect("measure 1.1 has a budget");
        assert_eq!(m.total, Some(kr(200_000)));
        assert_eq!(m.years, vec![(2025, kr(200_000))]);
        assert_eq!(m.source, BudgetSource::Prose);
        // A measure nothing gives money has no budget.
        assert_eq!(p.budgets.measures[2], None);
    }

    #[test]
    fn prose_that_restates_a_table_figure_repeats_it() {
        let text = "Handlingsplan 2025\n\n\
            Delmål 1 Rekruttering\n\n\
            Tiltak 1.1 Karrieredag\n\n\
            Det settes av 200 000 kr til karrieredagen.\n\n\
            Tiltak 1.2 Traineeordning\n\n\
            Det settes av 300 000 kr til traineeordningen.\n\n\
            Budsjett\n\n\
            Tiltak\tBeløp\n\
            1.1 Karrieredag\t200 000\n\
            1.2 Traineeordning\t350 000\n\
            Sum\t550 000\n";
        let p = plan(text);
        let find = |v: i64, prose: bool| {
            p.amounts
                .iter()
                .position(|a| {
                    a.amount() == kr(v) && matches!(a.origin, Origin::Prose { .. }) == prose
                })
                .unwrap_or_else(|| panic!("{v} in {}", if prose { "prose" } else { "table" }))
        };
        // The same 200 000 for the same measure: counted once, in the table.
        assert_eq!(
            p.budgets.repeats[find(200_000, true)],
            Some(find(200_000, false))
        );
        assert_eq!(p.budgets.repeats[find(200_000, false)], None);
        // 300 000 in the text is not the table's 350 000: both stand.
        assert_eq!(p.budgets.repeats[find(300_000, true)], None);
        assert_eq!(p.budgets.repeats[find(350_000, false)], None);
        // The table's budget is the measure's, with its row named.
        let m = p.budgets.measures[1].as_ref().expect("budget");
        assert_eq!(m.total, Some(kr(350_000)));
        assert!(matches!(m.source, BudgetSource::Table { .. }));
    }

    #[test]
    fn the_same_figure_for_different_measures_is_no_repeat() {
        let text = "Handlingsplan 2025\n\n\
            Tiltak 1 Karrieredag\n\n\
            Det settes av 100 000 kr til karrieredagen.\n\n\
            Tiltak 2 Traineeordning\n\n\
            Det settes av 100 000 kr til traineeordningen.\n";
        let p = plan(text);
        assert!(
            p.budgets.repeats.iter().all(Option::is_none),
            "{:?}",
            p.budgets.repeats
        );
    }

    #[test]
    fn a_sources_row_of_one_year_takes_its_stated_total() {
        let text = "Handlingsplan 2025\n\n\
            Delmål 1 Rekruttering\n\n\
            Samlet budsjett og finansiering 2025\n\n\
            Delmål\tTotalbudsjett\tKDD\tKommunal egenandel\n\
            1 Rekruttering\t1 000 000\t600 000\t300 000\n\
            Sum\t1 000 000\t600 000\t300 000\n";
        let p = plan(text);
        let g = p.budgets.goals[0].as_ref().expect("budget");
        assert_eq!(g.total, Some(kr(1_000_000)));
        assert_eq!(g.years, vec![(2025, kr(1_000_000))]);
        // The sources are budget figures, not totals, each from its source.
        let kdd = p
            .amounts
            .iter()
            .find(|a| a.amount() == kr(600_000))
            .expect("kdd");
        assert_eq!(kdd.role, AmountRole::Budget);
    }

    #[test]
    fn money_a_sentence_describes_is_no_budget() {
        let text = "Strategi for regionen 2009–2012\n\n\
            Delmål 1 Helse og omsorg\n\n\
            Om lag 1/3 av kommunenes samlede budsjetter disponeres til helse- og omsorgstjenester, omlag 682 mill i 2007.\n\n\
            Delmål 2 Næring\n\n\
            Det settes av 400 000 kr til næringsarbeidet.\n";
        let p = plan(text);
        assert_eq!(p.budgets.goals[0], None, "a background figure is no budget");
        let g = p.budgets.goals[1].as_ref().expect("an allocation is one");
        assert_eq!(g.total, Some(kr(400_000)));
    }

    #[test]
    fn one_table_budgets_every_goal_it_names() {
        // A year overview and one year's financing both name both goals: the
        // overview, covering more years, budgets them all.
        let text = "Handlingsplan 2025–2026\n\n\
            Delmål 1 Rekruttering\n\n\
            Delmål 2 Bolig\n\n\
            Budsjett per delmål\n\n\
            Delmål\t2025\t2026\tTotalt\n\
            Delmål 1 Rekruttering\t500 000\t400 000\t900 000\n\
            Delmål 2 Bolig\t100 000\t100 000\t200 000\n\
            Sum\t600 000\t500 000\t1 100 000\n\n\
            Finansiering 2025\n\n\
            Delmål\tKDD\tKommunene\tFylket\tAndre\n\
            Delmål 1 Rekruttering\t300 000\t100 000\t50 000\t50 000\n\
            Delmål 2 Bolig\t50 000\t50 000\t\t\n\
            Sum\t350 000\t150 000\t50 000\t50 000\n";
        let p = plan(text);
        let tables: Vec<_> = p
            .budgets
            .goals
            .iter()
            .map(|b| b.as_ref().map(|b| b.source))
            .collect();
        assert!(
            matches!(tables[0], Some(BudgetSource::Table { table: 0, .. })),
            "{tables:?}"
        );
        assert!(
            matches!(tables[1], Some(BudgetSource::Table { table: 0, .. })),
            "{tables:?}"
        );
        assert_eq!(
            p.budgets.goals[0].as_ref().unwrap().total,
            Some(kr(900_000))
        );
    }
}

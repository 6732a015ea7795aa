//! Budget figures stated in running text, and the goal or measure each speaks
//! of: what `text-vs-table` and `text-sum` compare with tables and with each
//! other. The figures and their sentences are the plan's reading of the prose
//! (`Plan::amounts`, `Plan::sentences`); this module only groups them.

use crate::extract::{AmountRole, ExtractedAmount};
use crate::norsk::{Money, Qualifier};

use super::figure::Fig;
use super::{Checker, Location};

/// One budget figure in a sentence.
pub struct ProseFigure<'a> {
    pub amount: &'a ExtractedAmount,
    pub money: &'a Money,
    /// "Til sammen settes det av …": the figure is the scope's total.
    pub total: bool,
    pub year: Option<i32>,
}

impl ProseFigure<'_> {
    pub fn location(&self, cx: &Checker, label: &str) -> Location {
        cx.text(self.amount.span, &self.money.text, label)
    }
}

/// The budget figures the text gives for one goal or one measure.
pub struct Scope<'a> {
    pub goal: usize,
    pub measure: Option<usize>,
    pub figures: Vec<ProseFigure<'a>>,
}

impl Scope<'_> {
    /// What the text says the scope gets: its "til sammen" figure, else the sum
    /// of its figures. `None` when that is ambiguous (several totals, or the
    /// same figure repeated, which may be one amount mentioned twice).
    pub fn stated(&self) -> Option<Fig> {
        let totals: Vec<&ProseFigure> = self.figures.iter().filter(|f| f.total).collect();
        match totals[..] {
            [one] => return Some(Fig::of(one.money)),
            [] => {}
            _ => return None,
        }
        // Figures for different years are not one budget.
        let mut years: Vec<i32> = self.figures.iter().filter_map(|f| f.year).collect();
        years.sort();
        years.dedup();
        if years.len() > 1 {
            return None;
        }
        let mut amounts: Vec<_> = self.figures.iter().map(|f| f.money.amount).collect();
        amounts.sort();
        let n = amounts.len();
        amounts.dedup();
        if amounts.len() != n || n > 4 {
            return None;
        }
        let figs: Vec<Fig> = self.figures.iter().map(|f| Fig::of(f.money)).collect();
        Some(Fig::sum(&figs))
    }

    /// The figure a finding points at first: the total, else the first figure.
    pub fn primary(&self) -> &ProseFigure<'_> {
        self.figures
            .iter()
            .find(|f| f.total)
            .unwrap_or(&self.figures[0])
    }

    pub fn ceiling(&self) -> bool {
        self.figures
            .iter()
            .all(|f| f.money.qualifier == Some(Qualifier::UpTo))
    }

    pub fn year(&self) -> Option<i32> {
        self.figures.iter().find_map(|f| f.year)
    }
}

/// Every budget figure in the prose, grouped by the goal (and measure) its
/// section belongs to, in document order.
pub fn scopes<'a>(cx: &Checker<'a>) -> Vec<Scope<'a>> {
    let mut out: Vec<Scope<'a>> = Vec::new();
    for a in &cx.plan.amounts {
        let Some((sentence, cues)) = a.in_prose(cx.plan) else {
            continue;
        };
        let (Some(goal), measure) = (a.goal, a.measure) else {
            continue;
        };
        if !matches!(sentence.role, AmountRole::Budget | AmountRole::Total) {
            continue;
        }
        // A sum spelled out in one sentence is text-sum's own case; "hvorav"
        // gives a part of a figure beside it, not a second figure.
        if sentence.figures > 2 || sentence.of_which {
            continue;
        }
        // Money from other sources or for other years is not this budget.
        if cues.other_money || cues.in_addition || a.money.qualifier == Some(Qualifier::AtLeast) {
            continue;
        }
        let fig = ProseFigure {
            amount: a,
            money: &a.money,
            total: sentence.total,
            year: sentence.year,
        };
        match out.last_mut() {
            Some(s) if s.goal == goal && s.measure == measure => s.figures.push(fig),
            _ => out.push(Scope {
                goal,
                measure,
                figures: vec![fig],
            }),
        }
    }
    // A scope split by other sections (rare) is read as separate scopes; keep
    // only the first, the one under the goal or measure's own heading.
    let mut seen = std::collections::HashSet::new();
    out.retain(|s| seen.insert((s.goal, s.measure)));
    out
}

/// The year a document's title names ("Handlingsplan 2025"), if one.
pub fn title_year(cx: &Checker) -> Option<i32> {
    crate::norsk::single_year(cx.plan.title.as_deref()?)
}

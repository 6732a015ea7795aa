//! Budget figures stated in running text, and the goal or measure each speaks
//! of: what `text-vs-table` and `text-sum` compare with tables and with each other.

use std::sync::LazyLock;

use regex::Regex;

use crate::extract::amounts::{role_of, AmountRole};
use crate::model::Block;
use crate::norsk::{find_amounts, Money, Qualifier};

use super::figure::Fig;
use super::{Checker, Location};

/// One budget figure in a sentence.
pub struct ProseFigure<'a> {
    pub money: Money,
    pub block: &'a Block,
    /// "Til sammen settes det av …": the figure is the scope's total.
    pub total: bool,
    pub year: Option<i32>,
}

impl ProseFigure<'_> {
    pub fn location(&self, cx: &Checker, label: &str) -> Location {
        cx.text(self.block.span, &self.money.text, label)
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
            [one] => return Some(Fig::of(&one.money)),
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
        let figs: Vec<Fig> = self.figures.iter().map(|f| Fig::of(&f.money)).collect();
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

static TOTAL_CUE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(til ?sam+[ae]n|totalt|i alt|samla?t|samanlagt|sammenlagt)\b")
        .expect("total cue")
});
/// Money from elsewhere or for something else than the plan's own budget.
static OTHER_MONEY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(egenandel|eigendel|egeninnsats|medfinansiering|søk|søke|søkt|innvilg|tilsagn|kr\s*/|per time|pr\.? time|timepris|årlig|per år|pr\.? år|tidligere|i fjor)").expect("other money")
});
/// "I tillegg kommer 200 000 kr …": money on top of the budget, not the budget.
/// ("200 000 kr i tillegg til egen arbeidstid" is the budget.)
static IN_ADDITION: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\b(i tillegg|dessuten|i tilegg)\b").expect("in addition"));
static OF_WHICH: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(hvorav|herav|derav|av dette|av dei|av disse|kvorav)\b").expect("of which")
});
static YEAR_IN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b(?:i|for|fra|gjennom)\s+((?:19|20)\d\d)\b").expect("year in"));

/// Every budget figure in the prose, grouped by the goal (and measure) its
/// section belongs to, in document order.
pub fn scopes<'a>(cx: &Checker<'a>) -> Vec<Scope<'a>> {
    let mut out: Vec<Scope<'a>> = Vec::new();
    for b in cx.prose() {
        let (Some(goal), measure) = cx.plan.context.at(b.span.line) else {
            continue;
        };
        for sentence in crate::norsk::sentences(&b.text) {
            let role = role_of(sentence);
            if !matches!(role, AmountRole::Budget | AmountRole::Total) {
                continue;
            }
            let found = find_amounts(sentence);
            // A sum spelled out in one sentence is text-sum's own case; "hvorav"
            // gives a part of a figure beside it, not a second figure.
            if found.len() > 2 || OF_WHICH.is_match(sentence) {
                continue;
            }
            for money in found {
                // The clause around the figure: money from other sources or for
                // other years is not this budget.
                let clause = clause_around(sentence, money.range.clone());
                let before = &sentence[..money.range.start];
                if OTHER_MONEY.is_match(clause)
                    || IN_ADDITION.is_match(before)
                    || money.qualifier == Some(Qualifier::AtLeast)
                {
                    continue;
                }
                let year = YEAR_IN.captures(sentence).and_then(|c| c[1].parse().ok());
                let fig = ProseFigure {
                    total: TOTAL_CUE.is_match(sentence),
                    money,
                    block: b,
                    year,
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
        }
    }
    // A scope split by other sections (rare) is read as separate scopes; keep
    // only the first, the one under the goal or measure's own heading.
    let mut seen = std::collections::HashSet::new();
    out.retain(|s| seen.insert((s.goal, s.measure)));
    out
}

/// The comma- or "og"-delimited clause of `sentence` around `range`.
fn clause_around(sentence: &str, range: std::ops::Range<usize>) -> &str {
    let start = sentence[..range.start]
        .rfind([',', ';', ':'])
        .map_or(0, |i| i + 1);
    let end = sentence[range.end..]
        .find([',', ';', ':'])
        .map_or(sentence.len(), |i| range.end + i);
    &sentence[start..end]
}

/// The year a document's title names ("Handlingsplan 2025"), if one.
pub fn title_year(cx: &Checker) -> Option<i32> {
    crate::norsk::single_year(cx.plan.title.as_deref()?)
}

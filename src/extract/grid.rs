//! What the cells of a table mean: which columns hold figures (and of what:
//! a year, a funding source, a row total, a share), which rows are items, group
//! headings or totals, the unit the header states ("i 1000 kr"), and which goal or
//! measure a row speaks of.
//!
//! The consistency rules read tables only through a [`Grid`]. Where the structure
//! is uncertain the grid says so (an unlabelled last row is only a *possible*
//! total) and the rules abstain rather than guess.

use std::sync::LazyLock;

use regex::Regex;

use crate::norsk::Pattern;

use super::lexicon::{
    COSTS, DIFFERENCE_HEADER, FINANCING, RATE_HEADER, RESERVE, STATISTIC_LABEL, TOTAL_HEADER,
    TOTAL_LABEL,
};
use super::{Context, Goal, Measure};
use crate::model::{Row, Span, Table};
use crate::norsk::{parse_amount_cell, Amount, Money};

/// What a column holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColumnKind {
    /// Labels, names, descriptions.
    Text,
    /// Item numbers ("1", "2." …) in a column of their own.
    RowNumber,
    /// Money for one year: the header is the year ("2025", "År 2026").
    Year(i32),
    /// Money that totals the row's other money columns ("Totalbudsjett", "Sum").
    Total,
    /// Any other money column: a funding source, "Beløp", "Regnskap", "Budsjett".
    Money,
    /// Percentages ("Andel", "35,7 %").
    Percent,
    /// Figures per unit, averages, rates and factors ("Kostnad per innbygger",
    /// "1000 kr/km", "Gjennomsnitt"): never summed.
    Rate,
    /// Money that is the difference of two other money columns ("Avvik",
    /// "Differanse"): summed down the column like money, never a part of a row.
    Difference,
    /// Counts with their share beside them ("1 521 (38 %)"): the count is the
    /// figure, summed down the column; never money.
    Count,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Column {
    /// The header over the column, merged over the header rows.
    pub header: String,
    pub kind: ColumnKind,
}

/// What a row is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RowKind {
    /// A row whose figures are summed by a total.
    Item,
    /// A row labelled as a total: "Til sammen", "Sum", "SUM", "Totalt", "I alt", "Samlet".
    Total,
    /// The last row, without a label, holding figures: perhaps a total. Rules
    /// treat it as one only when at least one of its columns adds up.
    UnlabelledTotal,
    /// A heading inside the table ("Delmål 1: | Rekruttering og omdømme |") with no figures.
    Group,
    /// An average, median, minimum or maximum of the rows above ("Gjennomsnitt",
    /// "Sum/gj.snitt", "Maks"): neither an item nor a total.
    Statistic,
    /// A header row inside the body: words, no figures, over the figure
    /// columns. A wide table printed as blocks one under the other repeats
    /// its header over each block ("Fylke | Bru | Kai | … | Sum per fylke"),
    /// and each block has its own items and totals.
    Header,
}

/// One body cell.
#[derive(Clone, Debug, PartialEq)]
pub struct Cell {
    pub text: String,
    /// The figure, scaled by the table's unit; `None` for blanks, dashes and text.
    /// A blank is not a zero: a total over a blank column is not a claim.
    pub money: Option<Money>,
    /// The count of a [`ColumnKind::Count`] cell ("1 521 (38 %)" is 1 521),
    /// or of any cell of a column that writes some counts with their shares.
    pub count: Option<i64>,
    /// The share of a [`ColumnKind::Percent`] cell ("35,7 %" is 35,7), as written.
    pub percent: Option<crate::norsk::Decimal>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct GridRow {
    /// Index of the table among the document's tables.
    pub table: usize,
    /// Index of the row in the table, header rows included.
    pub index: usize,
    pub kind: RowKind,
    /// Printed item number ("1", "9"), from a number column or the label's start.
    pub number: Option<String>,
    /// The row's label without its number.
    pub label: String,
    pub cells: Vec<Cell>,
    /// "Avsetning …", "(717 000)": figures a total may leave out.
    pub reserve: bool,
    /// Which block of a table printed as stacked blocks the row is in
    /// (0 for the first; each [`RowKind::Header`] row after figures starts one).
    pub block: usize,
    /// A step subtracted in an account built in steps ("− Avskrivninger"
    /// in a table whose rows read "+ …", "− …", "= …").
    pub negative: bool,
    /// A cell of a figure column holds digits the reading could not take as
    /// one figure ("38 961 -13 101 -25,2%"): figures of this row may have
    /// slipped into it from the columns beside it.
    pub unread: bool,
    /// The goal and measure the row speaks of (indices into the plan).
    pub goal: Option<usize>,
    pub measure: Option<usize>,
    pub span: Span,
}

impl GridRow {
    pub fn value(&self, col: usize) -> Option<&Money> {
        self.cells.get(col).and_then(|c| c.money.as_ref())
    }

    /// The figure as it adds up: negated on a subtracted step ("− 500").
    pub fn signed(&self, col: usize) -> Option<Amount> {
        let m = self.value(col)?;
        Some(if self.negative && m.amount > Amount::ZERO {
            Amount::ZERO - m.amount
        } else {
            m.amount
        })
    }

    pub fn count(&self, col: usize) -> Option<i64> {
        self.cells.get(col).and_then(|c| c.count)
    }

    pub fn percent(&self, col: usize) -> Option<crate::norsk::Decimal> {
        self.cells.get(col).and_then(|c| c.percent)
    }

    pub fn is_total(&self) -> bool {
        matches!(self.kind, RowKind::Total | RowKind::UnlabelledTotal)
    }
}

/// What a budget table as a whole accounts for, where its title or total says so.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Purpose {
    /// What the work costs: "Kostnadsplan", "Sum kostnader", "Utgifter".
    Costs,
    /// Who pays for it: "Finansieringsplan", "Sum finansiering", "Inntekter".
    Financing,
}

/// A table as the rules read it.
#[derive(Clone, Debug, PartialEq)]
pub struct Grid {
    /// Index of the table among the document's tables.
    pub table: usize,
    pub title: Option<String>,
    pub columns: Vec<Column>,
    pub rows: Vec<GridRow>,
    /// The unit the title or header states: 1 000 for "i 1000 kr", 1 000 000 for "mill. kr".
    pub scale: i64,
    /// The row labels name goals: a goal column ("Delmål") or goal group rows.
    pub goal_rows: bool,
    /// Costs or financing, when the title, the label column's header or a total
    /// row says which (and not both).
    pub purpose: Option<Purpose>,
}

impl Grid {
    /// The one year the table is for: named in its title ("Finansiering 2025")
    /// or in a total row's label ("Total bruk av Bygdevekstmidler i 2025").
    pub fn year(&self) -> Option<i32> {
        self.title
            .as_deref()
            .and_then(crate::norsk::single_year)
            .or_else(|| {
                self.rows
                    .iter()
                    .filter(|r| r.is_total())
                    .find_map(|r| crate::norsk::single_year(&r.label))
            })
    }

    /// The years the title names as a period ("Kostnadsplan 2025–2027"), or its
    /// one year ("Finansiering 2025") as a period of one year.
    pub fn period(&self) -> Option<(i32, i32)> {
        let years = crate::norsk::find_years(self.title.as_deref()?);
        match years[..] {
            [(_, y)] => Some((y, y)),
            [(_, a), (_, b)] if a < b => Some((a, b)),
            _ => None,
        }
    }

    /// Columns holding money (years, totals, sources, amounts, differences).
    pub fn money_columns(&self) -> impl Iterator<Item = usize> + '_ {
        self.columns.iter().enumerate().filter_map(|(i, c)| {
            matches!(
                c.kind,
                ColumnKind::Year(_)
                    | ColumnKind::Total
                    | ColumnKind::Money
                    | ColumnKind::Difference
            )
            .then_some(i)
        })
    }

    /// The header over `col` for `row`: in a table printed as stacked blocks,
    /// the header rows of the row's own block.
    pub fn header_for(&self, row: &GridRow, col: usize) -> String {
        // The first block's header is the table's, unless the table's header
        // was left blank and a header row opens the body instead.
        let table_header = self.columns.get(col).map(|c| c.header.as_str());
        let opening_header = || {
            self.rows
                .iter()
                .any(|r| r.block == 0 && r.kind == RowKind::Header)
        };
        if row.block == 0 && (table_header.is_some_and(|h| !h.is_empty()) || !opening_header()) {
            return table_header.unwrap_or_default().to_string();
        }
        let words: Vec<&str> = self
            .rows
            .iter()
            .filter(|r| r.block == row.block && r.kind == RowKind::Header)
            .filter_map(|r| r.cells.get(col))
            .map(|c| c.text.trim())
            .filter(|t| !t.is_empty())
            .collect();
        crate::norsk::join_cell_breaks(&words.join("\n"))
    }

    /// Columns of counts ("1 521 (38 %)").
    pub fn count_columns(&self) -> impl Iterator<Item = usize> + '_ {
        self.columns
            .iter()
            .enumerate()
            .filter_map(|(i, c)| (c.kind == ColumnKind::Count).then_some(i))
    }
}

/// A count with its share in parentheses: "1 521 (38 %)", "796 (20,5 %)".
static COUNT_AND_SHARE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^\s*([0-9]{1,3}(?:[ \u{a0}\u{202f}][0-9]{3})*|[0-9]+)\s*\(\s*[0-9]{1,3}(?:[.,][0-9]+)?\s*%\s*\)\s*$",
    )
    .expect("count and share")
});
static YEAR_HEADER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(?:år\s+)?((?:19|20)[0-9][0-9])\s*$").expect("year header")
});
static YEAR_CELL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*(?:19|20)[0-9][0-9]\s*$").expect("year cell"));
static SCALE: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(r"(?i)(?:(?:\bi|tall i|tal i|beløp i|i hele|\()\s*(1 ?000|tusen|hele tusen|1000-?kr|mill\.?|millionar|millioner|mnok)\s*(?:kr|kroner|nok)?|\b(mnok|tnok|mill\.?\s*kr|1 ?000\s*(?:kr|kroner|nok)\b|(?:nok|kr)\s*1 ?000\b))").expect("scale")
});
static NUMBERED_LABEL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*([0-9]{1,2})[.)]?\s+(\S.*)$").expect("numbered label"));
static GOAL_WORD: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(r"(?i)^\s*(delmål|hovedmål|mål|innsatsområde|satsingsområde|fokusområde|strategi)\s*([0-9]{1,2})?\b")
        .expect("goal word")
});

/// A label that starts with a total word of any language we read ("Sum",
/// "Totalt", "Total Nitrogen"): where the table around it is not at hand.
/// [`total_rows`] decides, with the table, which such rows total the rows above.
pub fn is_total_label(s: &str) -> bool {
    TOTAL_LABEL.is_match(s)
}

/// A column header over row totals ("Totalt", "Sum", "I alt", "Total").
pub fn is_total_header(s: &str) -> bool {
    TOTAL_HEADER.is_match(s) || s.trim().eq_ignore_ascii_case("total")
}

/// Which body rows are totals by their label, read once per table: `Some(true)`
/// a total, `Some(false)` a label starting with a total word that the table
/// does not bear out as one, `None` no total word.
///
/// A total word alone or with the group it totals ("Sum", "Totalt for
/// 2024", "Sum alle fylker") makes a total. Before a noun ("Sum
/// driftsutgifter", "Totalt Nordland", "Total Nitrogen") the noun may name
/// what the rows above are, or a thing measured — a substance, a quantity
/// ("Total Phosphorus", "Sum nedbør som regn (mm)") in a list of such
/// things. Such a row totals when the table says so:
/// - its noun names the table or a group in it (the title, the label
///   column's header, a heading row above: "Sum innsatsområde 2" under
///   "Innsatsområde 2 …", "Sum kostnader" in a column "Kostnad"), or
/// - its figures are, in some column, the sum of the rows of its group: those
///   above it back to the last total, heading or blank row, or those below
///   it down to the next ("Totalt drift" over its items), or
/// - it closes the group above it (the table ends, or a heading row or a
///   plain total comes next, past blank rows and lines that carry on a
///   label) or opens the group below it (the table starts, or a heading or a
///   total comes before it), and in some column is at least each of the
///   (non-negative) figures it would total — a total is never smaller than
///   one of its parts, a threshold often is.
fn total_rows(
    body: &[crate::model::Row],
    label_cols: &[usize],
    columns: &[Column],
    names: &[&str],
    language: Option<super::language::Language>,
) -> Vec<Option<bool>> {
    use super::lexicon::{total_word, TotalWord};
    let t = TotalEvidence {
        body,
        money_cols: (0..columns.len())
            .filter(|&c| {
                matches!(
                    columns[c].kind,
                    ColumnKind::Year(_)
                        | ColumnKind::Total
                        | ColumnKind::Money
                        | ColumnKind::Difference
                )
            })
            .collect(),
        words: body
            .iter()
            .map(|row| {
                label_cols
                    .iter()
                    .filter_map(|&c| row.cell_text(c))
                    .map(str::trim)
                    .filter(|t| !t.is_empty())
                    .find_map(|t| total_word(t, language))
            })
            .collect(),
        names_lower: names.iter().map(|n| n.to_lowercase()).collect(),
    };
    (0..body.len())
        .map(|i| match &t.words[i] {
            Some(TotalWord::Plain) => Some(true),
            Some(TotalWord::Qualified(noun)) => Some(t.bears_out(i, noun)),
            None => None,
        })
        .collect()
}

/// What a table says of a row whose label has a total word: its rows, each
/// row's total word, and the names of the table (title, label headers).
struct TotalEvidence<'a> {
    body: &'a [crate::model::Row],
    money_cols: Vec<usize>,
    words: Vec<Option<super::lexicon::TotalWord>>,
    names_lower: Vec<String>,
}

impl TotalEvidence<'_> {
    fn value(&self, r: usize, c: usize) -> Option<Money> {
        let t = self.body[r].cell_text(c)?.trim();
        (!is_blank(t) && is_money_cell(t))
            .then(|| parse_amount_cell(t))
            .flatten()
    }

    fn has_figures(&self, r: usize) -> bool {
        self.money_cols.iter().any(|&c| self.value(r, c).is_some())
    }

    fn blank(&self, r: usize) -> bool {
        self.body[r].texts().all(|t| t.trim().is_empty())
    }

    /// A line that carries on the label above ("COD/3)", "(as HCl)",
    /// "compounds (NMVOC)"): no row of its own.
    fn carries_on(&self, r: usize) -> bool {
        !self.has_figures(r)
            && self.body[r]
                .texts()
                .map(|t| t.trim())
                .find(|t| !t.is_empty())
                .is_some_and(|t| {
                    t.starts_with(char::is_lowercase)
                        || t.starts_with('(')
                        || t.find(')').is_some_and(|c| !t[..c].contains('('))
                })
    }

    /// A heading row holds a label and nothing else ("Inntekter"); a row of
    /// dashes and notes ("Xylenes | - | 200 (as BTEX)") is an item.
    fn heading(&self, r: usize) -> bool {
        !self.has_figures(r)
            && self.body[r]
                .texts()
                .filter(|t| !t.trim().is_empty())
                .count()
                <= 1
    }

    /// The rows a total would sum, above or below it: up to the next total,
    /// heading or blank row.
    fn group(&self, rows: &mut dyn Iterator<Item = usize>) -> Vec<usize> {
        rows.take_while(|&r| {
            self.words[r].is_none() && !self.blank(r) && (self.has_figures(r) || self.carries_on(r))
        })
        .filter(|&r| self.has_figures(r))
        .collect()
    }

    /// Its figure in some column is the sum of `items`'.
    fn reconciles(&self, i: usize, items: &[usize]) -> bool {
        self.money_cols.iter().any(|&c| {
            let Some(v) = self.value(i, c) else {
                return false;
            };
            let parts: Vec<Money> = items.iter().filter_map(|&r| self.value(r, c)).collect();
            if parts.len() < 2 {
                return false;
            }
            let sum = parts
                .iter()
                .fold(0i64, |a, m| a.saturating_add(m.amount.ore()));
            let unit = parts
                .iter()
                .map(|m| m.unit)
                .chain([v.unit])
                .max()
                .unwrap_or(v.unit);
            sum.saturating_sub(v.amount.ore()).saturating_abs() <= unit.ore()
        })
    }

    /// Its figure in some column is at least each of `items`' (all non-negative).
    fn at_least_each(&self, i: usize, items: &[usize]) -> bool {
        self.money_cols.iter().any(|&c| {
            let Some(v) = self.value(i, c) else {
                return false;
            };
            let parts: Vec<Money> = items.iter().filter_map(|&r| self.value(r, c)).collect();
            !parts.is_empty()
                && parts.iter().all(|m| m.amount >= Amount::ZERO)
                && parts.iter().all(|m| m.amount <= v.amount)
        })
    }

    /// Where a group ends: the table's edge, a heading row or a plain total,
    /// past blank rows and carried-on lines.
    fn edge(&self, r: Option<usize>) -> bool {
        r.is_none_or(|r| self.heading(r) || self.words[r] == Some(super::lexicon::TotalWord::Plain))
    }

    /// Its noun names the table or a heading row above it: the head noun,
    /// the last word before any parenthesis ("driftsutgifter" of "Sum
    /// driftsutgifter", "Carbon" of "Total Organic Carbon (TOC)", whose
    /// "Organic" a title "Other organic substances" shares).
    fn named(&self, i: usize, noun: &str) -> bool {
        let stem = |w: &str| -> String { w.to_lowercase().chars().take(5).collect() };
        let head = noun
            .split(['(', ',', ';', ':'])
            .next()
            .unwrap_or("")
            .split(|c: char| !c.is_alphabetic())
            .rfind(|w| w.chars().count() >= 4)
            .map(stem);
        let headings: Vec<String> = (0..i)
            .filter(|&r| self.heading(r))
            .flat_map(|r| {
                self.body[r]
                    .texts()
                    .map(|t| t.to_lowercase())
                    .collect::<Vec<_>>()
            })
            .collect();
        head.as_ref().is_some_and(|s| {
            self.names_lower.iter().chain(&headings).any(|n| {
                n.split(|c: char| !c.is_alphanumeric())
                    .any(|w| w.starts_with(s.as_str()))
            })
        })
    }

    /// It builds on the total above it: that total plus the items since
    /// ("Sum driftsinntekter og finansinntekter" after "Sum
    /// driftsinntekter" and the interest), as accounts total in steps.
    fn builds_on(&self, i: usize) -> bool {
        (0..i)
            .rev()
            .find(|&r| self.words[r].is_some())
            .is_some_and(|p| {
                self.money_cols.iter().any(|&c| {
                    let (Some(v), Some(base)) = (self.value(i, c), self.value(p, c)) else {
                        return false;
                    };
                    let since: Vec<Money> = (p + 1..i).filter_map(|r| self.value(r, c)).collect();
                    let sum = since
                        .iter()
                        .fold(base.amount.ore(), |a, m| a.saturating_add(m.amount.ore()));
                    !since.is_empty() && sum == v.amount.ore()
                })
            })
    }

    /// Whether the table bears out a row labelled with a qualified total
    /// word ("Sum driftsutgifter", "Total Nitrogen"): its noun names the
    /// table, it builds on the total above, its figures add up the rows above
    /// or below, or it closes the group above it or opens the one below it
    /// ("Totalt drift" over its items).
    fn bears_out(&self, i: usize, noun: &str) -> bool {
        let above = self.group(&mut (0..i).rev());
        let below = self.group(&mut (i + 1..self.body.len()));
        let next = (i + 1..self.body.len()).find(|&r| !self.blank(r) && !self.carries_on(r));
        let previous = (0..i)
            .rev()
            .find(|&r| !self.blank(r) && !self.carries_on(r));
        let closes = self.edge(next) && self.at_least_each(i, &above);
        let opens = (previous.is_none()
            || previous.is_some_and(|r| self.heading(r) || self.words[r].is_some()))
            && self.at_least_each(i, &below);
        self.named(i, noun)
            || self.builds_on(i)
            || self.reconciles(i, &above)
            || self.reconciles(i, &below)
            || closes
            || opens
    }
}

fn is_percent_cell(c: &str) -> bool {
    let t = c.trim();
    t.ends_with('%') && t[..t.len() - 1].trim().chars().any(|c| c.is_ascii_digit())
}

/// A cell holding a money figure: not blank, not a bare year, not a percent.
pub fn is_money_cell(c: &str) -> bool {
    let t = c.trim();
    !t.is_empty() && !YEAR_CELL.is_match(t) && !is_percent_cell(t) && parse_amount_cell(t).is_some()
}

/// A cell with digits that is no one figure of its column: several figures
/// run together ("38 961 -13 101 -25,2%"), the sign that the row's figures
/// were not all put in their own columns. Years, percentages and notes
/// ("(1)") are readable, not lost.
fn unread_figure(cell: &Cell) -> bool {
    let t = cell.text.trim();
    if cell.money.is_some() || cell.count.is_some() || cell.percent.is_some() || is_blank(t) {
        return false;
    }
    let figures = FIGURE_RUN.find_iter(t).count();
    figures >= 2 && t.chars().filter(char::is_ascii_digit).count() >= 4
}

/// A run of digits with its thousands groups, sign and decimals.
static FIGURE_RUN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"[-−]?[0-9]{1,3}(?:[ \u{a0}\u{202f}][0-9]{3})+(?:[.,][0-9]+)?|[-−]?[0-9]+(?:[.,][0-9]+)?",
    )
    .expect("figure run")
});

/// A header over figures that do not add up down the column, in the words
/// the lexicon's rate header leaves out (English; thresholds and limits), or
/// a header that is itself a rate ("5%", "0.5 %"): never summed, never
/// shares of one whole.
static NON_ADDITIVE_HEADER: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(r"(?i)(^\s*[<>≤≥]?\s*[0-9]+(?:[.,][0-9]+)?\s*%\s*$|\bthresholds?\b|\blimits?\b|\bgrenseverdi|\bterskel|\bmean\b|\baverage\b|\bmedian\b|\bindex\b|\bindices\b|\bratio\b|\brates?\b|\bper\s+(?:cent\s+of|capita|head|year|annum)\b|/\s*(?:year|yr|ha|capita|inhabitant|km)\b)")
        .expect("non-additive header")
});

/// The count of a "count (share %)" cell.
/// A whole number written as counts are ("3 871 950", "52817"), nothing else.
fn whole_number(c: &str) -> Option<i64> {
    static WHOLE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^\s*([0-9]{1,3}(?:[ \u{a0}\u{202f}][0-9]{3})+|[0-9]+)\s*$").unwrap()
    });
    let caps = WHOLE.captures(c)?;
    caps[1]
        .chars()
        .filter(char::is_ascii_digit)
        .collect::<String>()
        .parse()
        .ok()
}

fn count_of(c: &str) -> Option<i64> {
    let caps = COUNT_AND_SHARE.captures(c)?;
    caps[1]
        .chars()
        .filter(char::is_ascii_digit)
        .collect::<String>()
        .parse()
        .ok()
}

/// Costs or financing, from the title, the label column's header and the
/// total rows' labels; `None` when they say neither or both.
fn purpose_of(texts: &[&str]) -> Option<Purpose> {
    let costs = texts.iter().any(|t| COSTS.is_match(t));
    let financing = texts.iter().any(|t| FINANCING.is_match(t));
    match (costs, financing) {
        (true, false) => Some(Purpose::Costs),
        (false, true) => Some(Purpose::Financing),
        _ => None,
    }
}

fn is_blank(c: &str) -> bool {
    matches!(c.trim(), "" | "-" | "–" | "—" | "x" | "X")
}

/// The unit a title or header states, as a multiplier of kroner.
fn scale_of(texts: &[&str]) -> i64 {
    for t in texts {
        // "Det er satt av 1,2 mill. kr": an amount in millions, not the table's unit.
        let unit = SCALE.captures_iter(t).find(|c| {
            let start = c.get(0).map_or(0, |m| m.start());
            !t[..start]
                .trim_end()
                .ends_with(|ch: char| ch.is_ascii_digit() || ch == ',')
        });
        if let Some(c) = unit {
            let w = c.get(1).or_else(|| c.get(2)).map_or(String::new(), |m| {
                m.as_str().to_lowercase().replace(' ', "")
            });
            return if w.starts_with("mill") || w == "mnok" {
                1_000_000
            } else {
                1_000
            };
        }
    }
    1
}

/// Reads one table. `header_rows` and `header` come from the table's first reading.
pub fn read(
    table: &Table,
    index: usize,
    title: Option<&str>,
    header_rows: usize,
    header: &[String],
) -> Grid {
    read_in(table, index, title, header_rows, header, None)
}

/// Reads one table of a document in `language` (its total words are that
/// language's; `None` reads those of every language).
pub fn read_in(
    table: &Table,
    index: usize,
    title: Option<&str>,
    header_rows: usize,
    header: &[String],
    language: Option<super::language::Language>,
) -> Grid {
    let body = &table.rows[header_rows..];
    let cols = ColumnReading::of(body, table.width(), title, header);
    let last_body = body.iter().rposition(|r| r.texts().any(|c| !c.is_empty()));
    let names: Vec<&str> = title
        .into_iter()
        .chain(
            cols.label_cols
                .iter()
                .map(|&c| cols.columns[c].header.as_str()),
        )
        .collect();
    let totals = total_rows(body, &cols.label_cols, &cols.columns, &names, language);
    let mut rows = Vec::new();
    let (mut block, mut seen_figures) = (0, false);
    for (i, row) in body.iter().enumerate() {
        if row.texts().all(|c| c.is_empty()) {
            continue;
        }
        let mut r = cols.row(row, totals[i], Some(i) == last_body);
        r.table = index;
        r.index = header_rows + i;
        // A header row after figures opens the next block.
        if r.kind == RowKind::Header && seen_figures {
            block += 1;
            seen_figures = false;
        }
        seen_figures |= r.kind != RowKind::Header && has_figure(&r.cells);
        r.block = block;
        rows.push(r);
    }
    mark_subtracted(&mut rows);
    let goal_rows = cols
        .label_cols
        .iter()
        .chain(cols.number_col.iter())
        .any(|&c| GOAL_WORD.is_match(&cols.columns[c].header))
        || rows
            .iter()
            .any(|r| r.kind == RowKind::Group && GOAL_WORD.is_match(&r.label));
    let mut purpose_texts: Vec<&str> = title.into_iter().collect();
    purpose_texts.extend(
        cols.label_cols
            .iter()
            .map(|&c| cols.columns[c].header.as_str()),
    );
    purpose_texts.extend(
        rows.iter()
            .filter(|r| r.is_total())
            .map(|r| r.label.as_str()),
    );
    let purpose = purpose_of(&purpose_texts);
    Grid {
        table: index,
        title: title.map(str::to_string),
        columns: cols.columns,
        rows,
        scale: cols.scale,
        goal_rows,
        purpose,
    }
}

/// An account built in steps ("+ Inntekter", "− Kostnader", "= Resultat"):
/// its "−" rows are subtracted. Only where "+" or "=" rows say so, since a
/// dash alone is also a bullet.
fn mark_subtracted(rows: &mut [GridRow]) {
    let step = |r: &GridRow| {
        let l = r.label.trim_start();
        l.starts_with('+') || l.starts_with('=')
    };
    if rows.iter().any(step) {
        for r in rows {
            let l = r.label.trim_start();
            r.negative = ['-', '−', '–', '÷'].iter().any(|d| l.starts_with(*d));
        }
    }
}

/// What a table's columns are, read once from its header and body: each
/// row is then read against it.
struct ColumnReading {
    columns: Vec<Column>,
    label_cols: Vec<usize>,
    number_col: Option<usize>,
    /// The unit the title or header states ("i 1000 kr").
    scale: i64,
    /// Columns that write some counts with their shares ("2 860 746 (74%)"):
    /// their whole numbers are counts too ("3 871 950"), a table of persons
    /// by group, one quantity a row.
    counts_with_shares: Vec<bool>,
}

impl ColumnReading {
    fn of(body: &[Row], width: usize, title: Option<&str>, header: &[String]) -> Self {
        let mut scale_texts: Vec<&str> = header.iter().map(String::as_str).collect();
        if let Some(t) = title {
            scale_texts.push(t);
        }
        let columns: Vec<Column> = (0..width)
            .map(|c| Column {
                header: crate::norsk::join_cell_breaks(header.get(c).map_or("", String::as_str)),
                kind: column_kind(body, c, header.get(c).map_or("", String::as_str)),
            })
            .collect();
        ColumnReading {
            label_cols: (0..width)
                .filter(|&c| columns[c].kind == ColumnKind::Text)
                .collect(),
            number_col: (0..width).find(|&c| columns[c].kind == ColumnKind::RowNumber),
            counts_with_shares: (0..width)
                .map(|c| {
                    body.iter()
                        .any(|r| r.cell_text(c).is_some_and(|t| count_of(t).is_some()))
                })
                .collect(),
            scale: scale_of(&scale_texts),
            columns,
        }
    }

    /// A cell's text with the figure its column reads in it.
    fn cell(&self, row: &Row, c: usize) -> Cell {
        let text = row.cell_text(c).unwrap_or_default().to_string();
        let money = match self.columns[c].kind {
            ColumnKind::Year(_)
            | ColumnKind::Total
            | ColumnKind::Money
            | ColumnKind::Difference
                if !is_blank(&text) && is_money_cell(&text) =>
            {
                parse_amount_cell(&text).map(|m| scaled(m, self.scale))
            }
            _ => None,
        };
        let count = match self.columns[c].kind {
            ColumnKind::Count => count_of(&text),
            _ if self.counts_with_shares[c] => count_of(&text).or_else(|| whole_number(&text)),
            _ => None,
        };
        let percent = match self.columns[c].kind {
            ColumnKind::Percent => {
                crate::norsk::parse_number(text.trim().trim_end_matches('%').trim())
            }
            _ => None,
        };
        Cell {
            text,
            money,
            count,
            percent,
        }
    }

    fn is_figure_column(&self, c: usize) -> bool {
        !matches!(
            self.columns[c].kind,
            ColumnKind::Text | ColumnKind::RowNumber
        )
    }

    /// One body row: its cells, its kind, its number and label. `total` is
    /// what the table's total words say of it (see [`total_rows`]); `last`
    /// whether it is the body's last row with text. The caller sets its
    /// table, index and block.
    fn row(&self, row: &Row, total: Option<bool>, last: bool) -> GridRow {
        let width = self.columns.len();
        let cells: Vec<Cell> = (0..width).map(|c| self.cell(row, c)).collect();
        let texts: Vec<&str> = self
            .label_cols
            .iter()
            .filter_map(|&c| row.cell_text(c))
            .map(|s| s.trim())
            .filter(|s| !s.is_empty())
            .collect();
        let number_cell = self.number_col.and_then(|c| row.cell_text(c));
        let kind = self.row_kind(row, &cells, &texts, total, last);
        let raw_label = texts
            .iter()
            .find(|t| !is_total_label(t) || is_total_or_numbered_total(total, number_cell))
            .or(texts.first())
            .copied()
            .unwrap_or("");
        let (mut number, mut label) = (None, raw_label.to_string());
        if let Some(c) = number_cell {
            let n = c.trim().trim_end_matches(['.', ')']);
            if !n.is_empty() && n.chars().all(|c| c.is_ascii_digit() || c == '.') {
                number = Some(n.to_string());
            }
        }
        if number.is_none() {
            if let Some(c) = NUMBERED_LABEL.captures(raw_label) {
                number = Some(c[1].to_string());
                label = c[2].trim().to_string();
            }
        }
        let reserve = RESERVE.is_match(&label)
            || cells
                .iter()
                .any(|c| c.money.as_ref().is_some_and(|m| m.parenthesized));
        let unread = (0..width)
            .filter(|&c| self.is_figure_column(c))
            .any(|c| unread_figure(&cells[c]));
        GridRow {
            table: 0,
            index: 0,
            kind,
            number,
            label,
            cells,
            reserve,
            block: 0,
            negative: false,
            unread,
            goal: None,
            measure: None,
            span: row.span,
        }
    }

    /// What a row is: a header row repeated over a stacked block, a
    /// statistic, a total, a group heading, an unlabelled total, an item.
    fn row_kind(
        &self,
        row: &Row,
        cells: &[Cell],
        texts: &[&str],
        total: Option<bool>,
        last: bool,
    ) -> RowKind {
        let has_money = has_figure(cells);
        let number_cell = self.number_col.and_then(|c| row.cell_text(c));
        let numbered = number_cell.is_some_and(|t| !t.trim().is_empty())
            || texts.first().is_some_and(|t| NUMBERED_LABEL.is_match(t));
        // Words in two or more figure columns and no figure: a header row,
        // the one over a stacked block's figures.
        let header_words: Vec<&str> = (0..self.columns.len())
            .filter(|&c| self.is_figure_column(c))
            .filter_map(|c| row.cell_text(c))
            .map(str::trim)
            .filter(|t| !is_blank(t) && t.chars().any(char::is_alphabetic))
            .collect();
        let mut distinct = header_words.clone();
        distinct.dedup();
        if !has_money && distinct.len() >= 2 {
            RowKind::Header
        // A total word the table does not bear out ("Total Nitrogen" in a
        // list of substances): neither an item nor a total.
        } else if texts.iter().any(|t| STATISTIC_LABEL.is_match(t)) || total == Some(false) {
            RowKind::Statistic
        } else if is_total_or_numbered_total(total, number_cell)
            || texts.first().is_some_and(|t| t.starts_with('='))
        {
            RowKind::Total
        } else if !has_money && (!numbered || texts.first().is_some_and(|t| GOAL_WORD.is_match(t)))
        {
            RowKind::Group
        } else if texts.is_empty() && last && number_cell.is_none_or(|t| t.trim().is_empty()) {
            RowKind::UnlabelledTotal
        } else {
            RowKind::Item
        }
    }
}

/// Whether cells hold a figure the grid reads: money, a count, a share.
fn has_figure(cells: &[Cell]) -> bool {
    cells.iter().any(|c| c.money.is_some() || c.count.is_some())
        || cells
            .iter()
            .any(|cell| cell.percent.is_some() && is_percent_cell(&cell.text))
}

/// A total by the table's total words, or by a total word in the number
/// column ("Sum" where the numbers stand).
fn is_total_or_numbered_total(total: Option<bool>, number_cell: Option<&str>) -> bool {
    total == Some(true) || number_cell.is_some_and(is_total_label)
}

/// A cell's figure in the table's unit. A cell that names its own unit
/// ("1,5 mill.", "500 000 kr") is already in kroner.
pub(crate) fn scaled(m: Money, scale: i64) -> Money {
    if scale == 1 || m.text.chars().any(char::is_alphabetic) {
        return m;
    }
    let times = |a: Amount| Amount::from_ore(a.ore().saturating_mul(scale));
    Money {
        amount: times(m.amount),
        unit: times(m.unit),
        ..m
    }
}

fn column_kind(body: &[crate::model::Row], c: usize, header: &str) -> ColumnKind {
    if NON_ADDITIVE_HEADER.is_match(header) {
        return ColumnKind::Rate;
    }
    let (mut money, mut percent, mut text, mut small_ints, mut counts) = (0, 0, 0, 0, 0);
    for row in body {
        let Some(cell) = row.cell_text(c) else {
            continue;
        };
        let t = cell.trim();
        if is_blank(t) {
            continue;
        }
        if count_of(t).is_some() {
            counts += 1;
        } else if is_percent_cell(t) {
            percent += 1;
        } else if is_money_cell(t) {
            money += 1;
            let digits = t.trim_end_matches(['.', ')']);
            if digits.len() <= 2 && digits.chars().all(|c| c.is_ascii_digit()) {
                small_ints += 1;
            }
        } else if !is_total_label(t) {
            text += 1;
        }
    }
    // Every figure a count with its share: the counts are summed, not the shares.
    if counts > 0 && money == 0 && percent == 0 && text == 0 {
        return ColumnKind::Count;
    }
    if percent > 0 && percent >= money {
        return ColumnKind::Percent;
    }
    if money == 0 || text > money {
        return ColumnKind::Text;
    }
    if small_ints == money && c == 0 {
        return ColumnKind::RowNumber;
    }
    // A column that writes decimals with a point ("8.6", "12.07") writes
    // "31.425" as a decimal too: its figures are measurements, not kroner
    // grouped by thousands, and are not summed. A point before three digits
    // alone cannot tell, so the whole column decides.
    let decimal_points = body.iter().filter_map(|r| r.cell_text(c)).any(|t| {
        let t = t.trim();
        t.split_once('.').is_some_and(|(a, b)| {
            !a.is_empty()
                && a.chars().all(|c| c.is_ascii_digit())
                && !b.is_empty()
                && b.chars().all(|c| c.is_ascii_digit())
                && b.len() != 3
        })
    });
    if RATE_HEADER.is_match(header) || decimal_points {
        return ColumnKind::Rate;
    }
    if DIFFERENCE_HEADER.is_match(header) && !header.contains('%') {
        return ColumnKind::Difference;
    }
    if let Some(y) = YEAR_HEADER.captures(header) {
        if let Ok(y) = y[1].parse() {
            return ColumnKind::Year(y);
        }
    }
    if TOTAL_HEADER.is_match(header) {
        return ColumnKind::Total;
    }
    if header.contains('%') || header.to_lowercase().starts_with("andel") {
        return ColumnKind::Percent;
    }
    ColumnKind::Money
}

/// Links rows to goals and measures: rows the structure walk already placed
/// (overview tables), rows under a goal group row ("Delmål 1:"), and rows that
/// name a goal by number and title in tables with a goal column.
pub fn link(
    grid: &mut Grid,
    goals: &[Goal],
    measures: &[Measure],
    named: &super::titles::Named,
    ctx: &Context,
) {
    let mut group_goal = None;
    let goal_rows = grid.goal_rows;
    for row in &mut grid.rows {
        if let Some(&(g, m)) = ctx.rows.get(&row.span.line) {
            if row.kind == RowKind::Group {
                group_goal = g;
            }
            row.goal = g;
            row.measure = m;
        }
        match row.kind {
            RowKind::Group if GOAL_WORD.is_match(&row.label) => {
                if let Some(g) = goal_named(&row.label, row.number.as_deref(), goals, named, true) {
                    group_goal = Some(g);
                    row.goal = Some(g);
                }
            }
            RowKind::Group | RowKind::Statistic | RowKind::Header => {}
            RowKind::Item if row.measure.is_none() && goal_rows && group_goal.is_none() => {
                row.goal = goal_named(&row.label, row.number.as_deref(), goals, named, goal_rows);
            }
            RowKind::Item => {
                // A figure table after the measures' own sections names them
                // by number and title ("1.1 Karrieredag | 200 000").
                if row.measure.is_none() {
                    if let Some(m) =
                        measure_named(&row.label, row.number.as_deref(), measures, named)
                    {
                        row.measure = Some(m);
                        row.goal = measures[m].goal.or(row.goal);
                    }
                }
                if row.goal.is_none() {
                    row.goal = group_goal;
                }
            }
            // A total belongs to the group it closes; a grand total to none.
            RowKind::Total | RowKind::UnlabelledTotal => {
                row.goal = group_goal.take();
                row.measure = None;
            }
        }
    }
}

/// The measure a row names: its number, where one measure has it and the
/// label does not contradict the title, else a title close to one measure's.
fn measure_named(
    label: &str,
    number: Option<&str>,
    measures: &[Measure],
    named: &super::titles::Named,
) -> Option<usize> {
    let norm = |s: &str| s.to_lowercase();
    let label = norm(label);
    if let Some(n) = number.map(|n| n.trim_end_matches('.')) {
        if let [i] = named.measures.numbered(n) {
            if label.is_empty() || strsim::sorensen_dice(&label, &norm(&measures[*i].title)) >= 0.35
            {
                return Some(*i);
            }
        }
    }
    // The closest title, when one measure alone bears it.
    let similar = named.measures.similar(&label);
    let best = similar.iter().map(|(s, _)| *s).fold(f64::NAN, f64::max);
    let mut at_best = similar.iter().filter(|(s, _)| *s == best);
    match (at_best.next(), at_best.next()) {
        (Some((_, [i])), None) => Some(*i),
        _ => None,
    }
}

/// The goal a row label names: "Delmål 3:", or "3 | Lokale studie- og
/// kontorfellesskap" in a table whose label column is headed "Delmål".
fn goal_named(
    label: &str,
    number: Option<&str>,
    goals: &[Goal],
    named: &super::titles::Named,
    goal_column: bool,
) -> Option<usize> {
    let (number, label) = match GOAL_WORD.captures(label) {
        Some(c) if c.get(2).is_some() => (
            Some(c[2].to_string()),
            label[c.get(0).map_or(0, |m| m.end())..]
                .trim_start_matches([':', ' ', '.'])
                .to_string(),
        ),
        _ => (number.map(str::to_string), label.to_string()),
    };
    let norm = |s: &str| s.to_lowercase();
    // The row's number as written against the goals' digits: "1.1" names no goal "11".
    let by_number = number
        .as_deref()
        .map_or(&[][..], |n| named.goals.numbered(n));
    if let [g] = by_number {
        let sim = strsim::sorensen_dice(&norm(&label), &norm(&goals[*g].title));
        if goal_column || label.is_empty() || sim >= 0.35 {
            return Some(*g);
        }
    }
    // Without a number: a title close to one goal's (the first of equals).
    let similar = named.goals.similar(&label);
    let best = similar.iter().map(|(s, _)| *s).fold(f64::NAN, f64::max);
    similar
        .iter()
        .filter(|(s, _)| *s == best)
        .filter_map(|(_, items)| items.first().copied())
        .min()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(rows: &[&[&str]]) -> Table {
        Table::of_texts(rows)
    }

    fn header(t: &Table, n: usize) -> Vec<String> {
        crate::extract::tables::header_of(t, n)
    }

    /// Rows starting with a total word, as the table bears them out.
    fn kinds_of(
        rows: &[&[&str]],
        language: Option<crate::extract::language::Language>,
    ) -> Vec<(String, RowKind)> {
        let t = table(rows);
        read_in(&t, 0, None, 1, &header(&t, 1), language)
            .rows
            .iter()
            .map(|r| (r.label.clone(), r.kind))
            .collect()
    }

    #[test]
    fn a_total_word_before_a_noun_totals_where_the_table_says_so() {
        use crate::extract::language::Language;
        // Substances in a list of thresholds: neither items nor totals.
        let k = kinds_of(
            &[
                &["Inorganic substances", "to water (kg/year)"],
                &["Chlorides", "2 000 000"],
                &["Cyanides", "50"],
                &["Total Nitrogen", "50 000"],
                &["Total Phosphorus", "5 000"],
            ],
            Some(Language::English),
        );
        assert_eq!(k[2], ("Total Nitrogen".to_string(), RowKind::Statistic));
        assert_eq!(k[3], ("Total Phosphorus".to_string(), RowKind::Statistic));
        // A total that closes its items, and one the heading names, even when wrong.
        let k = kinds_of(
            &[
                &["Kommune", "Tilskudd"],
                &["Bodø", "1 200 000"],
                &["Rana", "950 000"],
                &["Totalt Nordland", "2 000 000"],
            ],
            Some(Language::Bokmal),
        );
        assert_eq!(k[2].1, RowKind::Total);
        let k = kinds_of(
            &[
                &["Post", "Beløp"],
                &["Driftsutgifter", ""],
                &["Lønn", "600 000"],
                &["Reiser", "150 000"],
                &["Sum driftsutgifter", "900 000"],
                &["Tilskot", "500 000"],
                &["Sum inntekter", "500 000"],
            ],
            Some(Language::Nynorsk),
        );
        assert_eq!(k[3].1, RowKind::Total, "{k:?}");
        // A group total over its items.
        let k = kinds_of(
            &[
                &["Post", "A"],
                &["Totalt drift", "300"],
                &["x", "100"],
                &["y", "200"],
                &["Totalt investering", "500"],
                &["z", "250"],
                &["w", "250"],
            ],
            None,
        );
        assert_eq!(k[0].1, RowKind::Total);
        assert_eq!(k[3].1, RowKind::Total);
        // Norwegian total words are not read in an English table.
        let k = kinds_of(
            &[
                &["Item", "Amount"],
                &["A", "100"],
                &["B", "200"],
                &["I alt", "300"],
            ],
            Some(Language::English),
        );
        assert_ne!(k[2].1, RowKind::Total);
    }

    #[test]
    fn year_total_and_number_columns() {
        let t = table(&[
            &["", "", "", "2025", "2026"],
            &["", "Delmål", "Totalbudsjett", "", ""],
            &["1", "Rekruttering", "4 900 000", "1 900 000", "1 500 000"],
            &[
                "9",
                "Avsetning til frikjøp",
                "(717 000)",
                "(315 000)",
                "(315 000)",
            ],
            &["", "SUM", "4 900 000", "1 900 000", "1 500 000"],
        ]);
        let g = read(&t, 0, None, 2, &header(&t, 2));
        let kinds: Vec<ColumnKind> = g.columns.iter().map(|c| c.kind).collect();
        assert_eq!(
            kinds,
            [
                ColumnKind::RowNumber,
                ColumnKind::Text,
                ColumnKind::Total,
                ColumnKind::Year(2025),
                ColumnKind::Year(2026)
            ]
        );
        assert_eq!(g.rows[0].number.as_deref(), Some("1"));
        assert!(g.rows[1].reserve);
        assert_eq!(g.rows[2].kind, RowKind::Total);
        assert!(g.goal_rows);
    }

    #[test]
    fn unlabelled_last_row_is_only_a_possible_total() {
        let t = table(&[
            &["", "Regnskap", "Budsjett"],
            &["Lønn", "391 324,31", "620 000"],
            &["Reiser", "58 402,24", "80 000"],
            &["", "449 726,55", "700 000"],
        ]);
        let g = read(&t, 0, None, 1, &header(&t, 1));
        assert_eq!(g.rows[2].kind, RowKind::UnlabelledTotal);
        assert_eq!(g.columns[1].kind, ColumnKind::Money);
        assert_eq!(
            g.rows[0].value(1).unwrap().amount,
            Amount::from_ore(39_132_431)
        );
    }

    #[test]
    fn stated_unit_scales_figures_and_their_precision() {
        let t = table(&[
            &["Post", "Beløp (i 1000 kr)"],
            &["Drift", "1 250"],
            &["Sum", "1 250"],
        ]);
        let g = read(&t, 0, None, 1, &header(&t, 1));
        assert_eq!(g.scale, 1000);
        let m = g.rows[0].value(1).unwrap();
        assert_eq!(m.amount, Amount::from_kroner(1_250_000));
        assert_eq!(m.unit, Amount::from_kroner(1000));
    }

    #[test]
    fn an_amount_in_millions_is_not_a_unit() {
        assert_eq!(scale_of(&["Det er satt av 1,2 mill. kr til tiltaka."]), 1);
        assert_eq!(
            scale_of(&["Kommunen bidrar med 2 mill. kr. Beløp i 1000 kr"]),
            1_000
        );
    }

    #[test]
    fn units_in_other_wordings() {
        for h in [
            "Beløp MNOK",
            "Tall i tusen kroner",
            "Budsjett (1000 NOK)",
            "Ramme mill. kr",
            "NOK 1000",
        ] {
            let t = table(&[&["Post", h], &["Drift", "2"], &["Sum", "2"]]);
            let g = read(&t, 0, None, 1, &header(&t, 1));
            assert!(g.scale > 1, "{h}");
        }
        let t = table(&[&["Post", "Beløp (kr)"], &["Drift", "2 000"]]);
        assert_eq!(read(&t, 0, None, 1, &header(&t, 1)).scale, 1);
        // A cell that names its unit is not scaled twice.
        let t = table(&[&["Post", "Beløp (mill. kr)"], &["Drift", "1,5 mill."]]);
        let g = read(&t, 0, None, 1, &header(&t, 1));
        assert_eq!(
            g.rows[0].value(1).unwrap().amount,
            Amount::from_kroner(1_500_000)
        );
    }

    #[test]
    fn blanks_and_dashes_are_not_zero() {
        let t = table(&[&["Post", "2025"], &["A", "-"], &["B", "100"], &["Sum", ""]]);
        let g = read(&t, 0, None, 1, &header(&t, 1));
        assert!(g.rows[0].value(1).is_none());
        assert!(g.rows[2].value(1).is_none());
    }

    #[test]
    fn count_and_share_cells_are_counts() {
        let t = table(&[
            &["Målgruppe", "Samtaler"],
            &["Elever", "1 521 (38 %)"],
            &["Voksne", "796 (20,5 %)"],
            &["Sum", "2 317 (100 %)"],
        ]);
        let g = read(&t, 0, None, 1, &header(&t, 1));
        assert_eq!(g.columns[1].kind, ColumnKind::Count);
        assert_eq!(g.rows[0].count(1), Some(1521));
        assert!(g.rows[0].value(1).is_none());
        assert_eq!(g.rows[0].kind, RowKind::Item);
        assert_eq!(g.rows[2].kind, RowKind::Total);
        assert_eq!(g.money_columns().count(), 0);
    }

    #[test]
    fn avvik_is_a_difference_column() {
        let t = table(&[
            &["Post", "Budsjett", "Regnskap", "Avvik"],
            &["Lønn", "100,00", "90,00", "10,00"],
        ]);
        let g = read(&t, 0, None, 1, &header(&t, 1));
        assert_eq!(g.columns[3].kind, ColumnKind::Difference);
        assert_eq!(g.money_columns().count(), 3);
    }

    #[test]
    fn costs_or_financing_and_the_period_from_the_title() {
        let t = table(&[&["Kjelde", "Beløp"], &["Fylket", "100"], &["Sum", "100"]]);
        let g = read(
            &t,
            0,
            Some("Finansieringsplan 2025–2027"),
            1,
            &header(&t, 1),
        );
        assert_eq!(g.purpose, Some(Purpose::Financing));
        assert_eq!(g.period(), Some((2025, 2027)));
        let t = table(&[
            &["Post", "Beløp"],
            &["Lønn", "100"],
            &["Sum kostnader", "100"],
        ]);
        let g = read(&t, 0, Some("Budsjett 2025"), 1, &header(&t, 1));
        assert_eq!(g.purpose, Some(Purpose::Costs));
        assert_eq!(g.period(), Some((2025, 2025)));
        // Both named: neither.
        let g = read(&t, 0, Some("Kostnader og finansiering"), 1, &header(&t, 1));
        assert_eq!(g.purpose, None);
    }

    #[test]
    fn percent_columns_are_not_money() {
        let t = table(&[
            &["Sektor", "Andel"],
            &["Helse", "35,7 %"],
            &["Skole", "64,3 %"],
        ]);
        let g = read(&t, 0, None, 1, &header(&t, 1));
        assert_eq!(g.columns[1].kind, ColumnKind::Percent);
    }
}

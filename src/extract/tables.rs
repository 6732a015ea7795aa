//! What a table is and what its figures mean: header rows, year and source
//! columns, total rows.

use std::sync::LazyLock;

use regex::Regex;

use super::actors::ActorTable;
use super::amounts::{role_of, AmountRole};
use super::lexicon::MONEY_WORD;
use super::structure::Context;
use super::{ExtractedAmount, TableInfo};
use crate::model::{Block, BlockKind, Document, Table};
use crate::norsk::{find_years, parse_amount_cell};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TableKind {
    /// Figures: budgets, accounts, financing.
    Budget,
    /// Measures with responsible actors and timeframes.
    Measures,
    /// A two-column form of labels and answers.
    Form,
    Other,
}

impl TableKind {
    pub fn as_str(self) -> &'static str {
        match self {
            TableKind::Budget => "budget",
            TableKind::Measures => "measures",
            TableKind::Form => "form",
            TableKind::Other => "other",
        }
    }
}

static YEAR: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^\s*((?:19|20)\d\d)\s*$").unwrap());

pub use super::grid::is_total_label;

use super::grid::is_money_cell as is_amount_cell;

fn header_rows(t: &Table) -> usize {
    let mut n = 0;
    for row in t.rows.iter().take(2) {
        let filled: Vec<&String> = row.texts().filter(|c| !c.trim().is_empty()).collect();
        let amounts = filled.iter().filter(|c| is_amount_cell(c)).count();
        // A total row is labelled at its start; "Sum" further right heads a column.
        if filled.is_empty() || amounts > 0 || filled.first().is_some_and(|c| is_total_label(c)) {
            break;
        }
        n += 1;
        // A second header row only when the first leaves columns open (grouped headers).
        if row.texts().filter(|c| c.trim().is_empty()).count() == 0 {
            break;
        }
    }
    n.min(t.rows.len().saturating_sub(1))
}

/// Column headers, merged over the header rows ("Finansieringskilder" over "KDD").
pub(crate) fn header_of(t: &Table, rows: usize) -> Vec<String> {
    let w = t.width();
    (0..w)
        .map(|i| {
            let parts: Vec<&str> = t.rows[..rows]
                .iter()
                .filter_map(|r| r.cell_text(i))
                .map(|c| c.trim())
                .filter(|c| !c.is_empty())
                .collect();
            parts.last().copied().unwrap_or("").to_string()
        })
        .collect()
}

fn title_before(blocks: &[&Block], i: usize) -> Option<String> {
    for b in blocks[..i].iter().rev().take(3) {
        match &b.kind {
            BlockKind::Heading { .. } => return Some(b.text.clone()),
            BlockKind::Paragraph if b.text.chars().count() <= 160 => return Some(b.text.clone()),
            BlockKind::Table(_) => return None,
            _ => {}
        }
    }
    None
}

pub fn interpret(doc: &Document) -> Vec<TableInfo> {
    let blocks: Vec<&Block> = doc.blocks().collect();
    let mut out = Vec::new();
    for (i, b) in blocks.iter().enumerate() {
        let BlockKind::Table(t) = &b.kind else {
            continue;
        };
        let hr = header_rows(t);
        let header = header_of(t, hr);
        let lower: Vec<String> = header.iter().map(|h| h.to_lowercase()).collect();
        let amount_cells = t
            .rows
            .iter()
            .flat_map(|r| r.texts())
            .filter(|c| is_amount_cell(c))
            .count();
        let kind = if lower.iter().any(|h| h.contains("ansvar"))
            || lower
                .iter()
                .any(|h| h.contains("tidsramme") || h.contains("samarbeid"))
        {
            TableKind::Measures
        } else if amount_cells >= 2 {
            TableKind::Budget
        } else if t.width() == 2 {
            TableKind::Form
        } else {
            TableKind::Other
        };
        out.push(TableInfo {
            title: title_before(&blocks, i),
            kind,
            header_rows: hr,
            header,
            index: out.len(),
        });
    }
    out
}

/// A table speaks of money when its title, a header, a row label or a cell
/// names it ("Beløp", "Bygdevekstmidler", "Egenandel", "50 000 kr"), or it
/// states its unit ("i 1000 kr").
fn speaks_of_money(t: &Table, info: &TableInfo, scale: i64) -> bool {
    scale != 1
        || info
            .title
            .as_deref()
            .is_some_and(|s| MONEY_WORD.is_match(s))
        || info.header.iter().any(|h| MONEY_WORD.is_match(h))
        || t.rows
            .iter()
            .any(|r| r.texts().any(|c| MONEY_WORD.is_match(c)))
}

/// Every figure in budget tables, with the role, year and source its row and
/// column give it.
/// Figures are read in the unit the table states ("i 1000 kr"), as its grid
/// reads them: `scales` holds each table's unit, from its [`Grid`](super::grid::Grid).
pub fn table_amounts(
    doc: &Document,
    infos: &[TableInfo],
    scales: &[i64],
    ctx: &Context,
    actors: &mut ActorTable,
) -> Vec<ExtractedAmount> {
    let mut out = Vec::new();
    for (((_, t), info), &scale) in doc.tables().zip(infos).zip(scales) {
        // Measure tables carry figures too (a "Kostnad" column).
        if !matches!(info.kind, TableKind::Budget | TableKind::Measures) {
            continue;
        }
        // Figures are kroner only where the table says so: a statistics table
        // of inhabitants and jobs holds counts.
        if !speaks_of_money(t, info, scale) {
            continue;
        }
        let title_year = info
            .title
            .as_deref()
            .and_then(|t| find_years(t).first().map(|y| y.1));
        for row in &t.rows[info.header_rows..] {
            let label = row
                .texts()
                .find(|c| !c.trim().is_empty() && !is_amount_cell(c))
                .cloned()
                .unwrap_or_default();
            let total = is_total_label(&label)
                || row.texts().next().is_some_and(|c| c.trim().is_empty())
                    && row
                        .texts()
                        .filter(|c| !c.trim().is_empty())
                        .all(|c| is_amount_cell(c));
            for (col, cell) in row.texts().enumerate() {
                if !is_amount_cell(cell) {
                    continue;
                }
                let Some(m) = parse_amount_cell(cell) else {
                    continue;
                };
                // A small bare number in the first column is a row number, not money.
                if col == 0 && m.amount.ore() < 100_000 && !cell.to_lowercase().contains("kr") {
                    continue;
                }
                let m = super::grid::scaled(m, scale);
                let head = info.header.get(col).map(String::as_str).unwrap_or("");
                let year = YEAR
                    .captures(head)
                    .and_then(|c| c[1].parse().ok())
                    .or(title_year);
                let head_role = role_of(head);
                let role = if total {
                    AmountRole::Total
                } else if head_role != AmountRole::Unknown {
                    head_role
                } else {
                    role_of(info.title.as_deref().unwrap_or(""))
                };
                let source = column_source(head, actors);
                let (goal, measure) = ctx.at(row.span.line);
                out.push(ExtractedAmount {
                    amount: m.amount,
                    text: m.text,
                    role,
                    year,
                    source,
                    goal,
                    measure,
                    span: row.span,
                });
            }
        }
    }
    out
}

/// The funding source a money column's header names, if it names one: not a
/// year, a role ("Budsjett", "Sum") or "Beløp".
fn column_source(head: &str, actors: &mut ActorTable) -> Option<String> {
    (!head.is_empty()
        && !YEAR.is_match(head)
        && role_of(head) == AmountRole::Unknown
        && !head.eq_ignore_ascii_case("beløp"))
    .then(|| source_name(head, actors))
}

/// The funding sources the document's figure tables name in their column
/// headers, as [`table_amounts`] names them: what prose can name as a giver.
pub(crate) fn column_sources(
    doc: &Document,
    infos: &[TableInfo],
    actors: &mut ActorTable,
) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for ((_, t), info) in doc.tables().zip(infos) {
        if !matches!(info.kind, TableKind::Budget | TableKind::Measures) {
            continue;
        }
        for (col, head) in info.header.iter().enumerate() {
            let figures = t.rows[info.header_rows..]
                .iter()
                .any(|r| r.cell_text(col).is_some_and(is_amount_cell));
            if !figures {
                continue;
            }
            if let Some(s) = column_source(head, actors) {
                if !out.contains(&s) {
                    out.push(s);
                }
            }
        }
    }
    out
}

/// A funding source as the record names it: the canonical actor for a column
/// that names one ("Fylkeskommu nen" → the county), else the header with words
/// broken inside the narrow cell joined again ("tilskuddsordninge r").
fn source_name(head: &str, actors: &mut ActorTable) -> String {
    let repaired = crate::norsk::join_cell_breaks(head);
    match actors.resolve(&repaired) {
        Some(i) => actors.actors[i].name.clone(),
        None => repaired,
    }
}

//! What a table is and what its figures mean: header rows, year and source
//! columns, total rows.

use std::sync::LazyLock;

use regex::Regex;

use super::actors::ActorTable;
use super::grid::{ColumnKind, Grid, RowKind};
use super::lexicon::MONEY_WORD;
use super::lexicon::{role_of, role_of_heading, AmountRole};
use super::{Context, ExtractedAmount, Origin, TableInfo};
use crate::model::{Block, BlockKind, Document, Table};
use crate::norsk::find_years;

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

static YEAR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*((?:19|20)[0-9][0-9])\s*$").unwrap());

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
        let measure_columns = MeasureColumns::of(t);
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
            measure_columns,
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
fn speaks_of_money(grid: &Grid) -> bool {
    grid.scale != 1
        || grid
            .title
            .as_deref()
            .is_some_and(|s| MONEY_WORD.is_match(s))
        || grid.columns.iter().any(|c| MONEY_WORD.is_match(&c.header))
        || grid.rows.iter().any(|r| {
            MONEY_WORD.is_match(&r.label) || r.cells.iter().any(|c| MONEY_WORD.is_match(&c.text))
        })
}

/// Every money figure of the plan's tables, as their grids read them (in the
/// unit the table states, "i 1000 kr"), with the role, year and source its row
/// and column give it. Averages, rates, counts and shares are not money.
pub fn table_amounts(
    infos: &[TableInfo],
    grids: &[Grid],
    ctx: &Context,
    actors: &mut ActorTable,
) -> Vec<ExtractedAmount> {
    let mut out = Vec::new();
    for (info, grid) in infos.iter().zip(grids) {
        // Measure tables carry figures too (a "Kostnad" column).
        if !matches!(info.kind, TableKind::Budget | TableKind::Measures) {
            continue;
        }
        // Figures are kroner only where the table says so: a statistics table
        // of inhabitants and jobs holds counts.
        if !speaks_of_money(grid) {
            continue;
        }
        let title_year = info
            .title
            .as_deref()
            .and_then(|t| find_years(t).first().map(|y| y.1));
        let title_role = role_of_heading(info.title.as_deref().unwrap_or(""));
        let sources: Vec<Option<String>> = grid
            .columns
            .iter()
            .map(|c| match c.kind {
                ColumnKind::Money => column_source(&c.header, actors),
                _ => None,
            })
            .collect();
        for row in &grid.rows {
            if row.kind == RowKind::Statistic {
                continue;
            }
            for col in grid.money_columns() {
                let Some(m) = row.value(col) else {
                    continue;
                };
                let column = &grid.columns[col];
                let year = match column.kind {
                    ColumnKind::Year(y) => Some(y),
                    _ => title_year,
                };
                let head_role = role_of_heading(&column.header);
                let role = if row.is_total() || column.kind == ColumnKind::Total {
                    AmountRole::Total
                } else if head_role != AmountRole::Unknown {
                    head_role
                } else {
                    title_role
                };
                // The goal or measure the row names ("1 | Rekruttering | 4 900 000
                // | …"), else the section the table stands in. A total row of a
                // table whose rows are goals closes them all: it is no goal's.
                let (section_goal, section_measure) = ctx.at(row.span.line);
                let (goal, measure) = if row.is_total() {
                    if grid.goal_rows {
                        (row.goal, None)
                    } else {
                        (row.goal.or(section_goal), None)
                    }
                } else if row.goal.is_some() || row.measure.is_some() {
                    (row.goal.or(section_goal), row.measure)
                } else {
                    (section_goal, section_measure)
                };
                out.push(ExtractedAmount {
                    money: m.clone(),
                    origin: Origin::Cell {
                        table: grid.table,
                        row: row.index,
                        col,
                    },
                    role,
                    year,
                    source: sources[col].clone(),
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

/// The funding sources the plan's figure tables name in their column
/// headers, as [`table_amounts`] names them: what prose can name as a giver.
pub(crate) fn column_sources(
    infos: &[TableInfo],
    grids: &[Grid],
    actors: &mut ActorTable,
) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for (info, grid) in infos.iter().zip(grids) {
        if !matches!(info.kind, TableKind::Budget | TableKind::Measures) {
            continue;
        }
        for (col, c) in grid.columns.iter().enumerate() {
            let figures = grid.rows.iter().any(|r| r.value(col).is_some());
            if c.kind != ColumnKind::Money || !figures {
                continue;
            }
            if let Some(s) = column_source(&c.header, actors) {
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

/// Which column of a measure table holds what.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MeasureColumns {
    /// A goal column ("Delmål", "Innsatsområde").
    pub goal: Option<usize>,
    /// An item number column (blank header or "Nr").
    pub number: Option<usize>,
    /// The measure's own column ("Tiltak", "Aktivitet").
    pub title: Option<usize>,
    /// Who answers for the measure ("Ansvarlig").
    pub responsible: Option<usize>,
    /// Who takes part ("Samarbeidspartnere").
    pub partners: Option<usize>,
    /// When ("Tidsramme", "Frist").
    pub timeframe: Option<usize>,
    /// How far it has come ("Status").
    pub status: Option<usize>,
}

impl MeasureColumns {
    /// The columns that list organisations (responsible, partners).
    pub fn actor_columns(&self) -> Vec<usize> {
        self.responsible.into_iter().chain(self.partners).collect()
    }

    /// The columns of a table whose header names measures; `None` for any other table.
    pub(crate) fn of(t: &Table) -> Option<MeasureColumns> {
        let header = t.rows.first()?;
        let mut c = MeasureColumns::default();
        for (i, h) in header.texts().enumerate() {
            let l = h.trim().to_lowercase();
            if l.is_empty() {
                if i == 0 {
                    c.number = Some(0);
                }
                continue;
            }
            if l.starts_with("delmål")
                || l == "mål"
                || l.starts_with("innsatsområde")
                || l.starts_with("satsingsområde")
            {
                c.goal.get_or_insert(i);
            } else if l.starts_with("tiltak")
                || l.starts_with("aktivitet")
                || l.starts_with("prosjekt")
                || l.starts_with("satsing")
            {
                c.title.get_or_insert(i);
            } else if l.contains("ansvar") {
                c.responsible.get_or_insert(i);
            } else if l.contains("samarbeid")
                || l.contains("partner")
                || l.contains("involvert")
                || l.contains("medvirk")
            {
                c.partners.get_or_insert(i);
            } else if l.contains("tidsramme")
                || l.contains("tidsplan")
                || l.starts_with("frist")
                || l.starts_with("når")
                || l.contains("periode")
                || l.starts_with("framdrift")
                || l.starts_with("fremdrift")
                || l.starts_with("tid")
            {
                c.timeframe.get_or_insert(i);
            } else if l.starts_with("status") {
                c.status.get_or_insert(i);
            } else if l == "nr" || l == "nr." || l == "#" {
                c.number.get_or_insert(i);
            }
        }
        c.title?;
        let describes = c.goal.is_some()
            || c.responsible.is_some()
            || c.partners.is_some()
            || c.timeframe.is_some()
            || c.status.is_some();
        describes.then_some(c)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::norsk::Amount;

    fn table(rows: &[&[&str]]) -> Table {
        Table::of_texts(rows)
    }

    fn amounts_of(t: &Table, title: &str) -> Vec<ExtractedAmount> {
        let hr = header_rows(t);
        let info = TableInfo {
            title: Some(title.to_string()),
            kind: TableKind::Budget,
            header_rows: hr,
            header: header_of(t, hr),
            index: 0,
            measure_columns: MeasureColumns::of(t),
        };
        let grid = super::super::grid::read(t, 0, info.title.as_deref(), hr, &info.header);
        let mut actors = ActorTable::default();
        table_amounts(&[info], &[grid], &Context::default(), &mut actors)
    }

    /// The amounts a table gives are the figures its grid reads: in the unit
    /// the table states, and never from a column of rates.
    #[test]
    fn amounts_are_the_grids_figures() {
        let t = table(&[
            &["Post", "Beløp", "Kr per innbygger"],
            &["Drift", "1 050", "12.5"],
            &["Tiltak", "450", "3.25"],
            &["Sum", "1 500", "15.75"],
        ]);
        let a = amounts_of(&t, "Budsjett 2025 (i 1000 kr)");
        let figures: Vec<(Amount, AmountRole, Option<i32>)> =
            a.iter().map(|a| (a.amount(), a.role, a.year)).collect();
        assert_eq!(
            figures,
            [
                (
                    Amount::from_kroner(1_050_000),
                    AmountRole::Budget,
                    Some(2025)
                ),
                (Amount::from_kroner(450_000), AmountRole::Budget, Some(2025)),
                (
                    Amount::from_kroner(1_500_000),
                    AmountRole::Total,
                    Some(2025)
                ),
            ]
        );
    }

    /// A funding source's column names the source of its figures; a year
    /// column gives its year.
    #[test]
    fn source_and_year_columns() {
        let t = table(&[
            &["Tiltak", "Sparebankstiftelsen", "2026"],
            &["Kurs", "100 000", "50 000"],
        ]);
        let a = amounts_of(&t, "Finansiering");
        assert_eq!(a[0].source.as_deref(), Some("Sparebankstiftelsen"));
        assert_eq!(a[1].source, None);
        assert_eq!(a[1].year, Some(2026));
    }
}

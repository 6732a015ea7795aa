//! Builds a document's record from its reading and its findings: ids for
//! goals, measures, actors, amounts and tables, and each finding's locations
//! with the text they quote.

use super::ids::sha256_hex;
use crate::extract::{Origin, Plan};
use crate::model::{BlockKind, Document, Table};
use crate::record::{self as record, Record, SCHEMA_VERSION};

/// Ids the record gives what it names: goals `g1`…, measures `m1`…,
/// actors (parties) `p1`…, amounts `a1`…, tables `t1`…, numbered from 1 in
/// the plan's order.
fn goal_id(i: usize) -> String {
    format!("g{}", i + 1)
}
fn measure_id(i: usize) -> String {
    format!("m{}", i + 1)
}
fn actor_id(i: usize) -> String {
    format!("p{}", i + 1)
}
fn amount_id(i: usize) -> String {
    format!("a{}", i + 1)
}
fn table_id(t: usize) -> String {
    format!("t{}", t + 1)
}

/// The record of a document: its reading (`doc`, `plan`) and the rules'
/// findings on it, with ids for everything the record names.
pub fn build_record(
    path: &str,
    id: &str,
    bytes: &[u8],
    doc: &Document,
    plan: &Plan,
    findings: &[crate::rules::Finding],
) -> Record {
    // The tables in order, found once: amounts and findings name cells by
    // table number, and a walk of the blocks per cell was quadratic.
    let in_order: Vec<&Table> = doc.tables().map(|(_, t)| t).collect();
    let amounts = amounts(doc, &in_order, plan);
    Record {
        schema_version: SCHEMA_VERSION.to_string(),
        id: id.to_string(),
        source: source(path, bytes, doc),
        kind: plan.kind.as_str().to_string(),
        language: plan.language.map(|l| l.code().to_string()),
        title: plan.title.clone(),
        date: plan.date.and_then(|d| d.iso()),
        period: plan.period.map(|(f, t)| record::Period {
            from: f.first_day(),
            to: t.last_day(),
        }),
        parties: plan.parties.iter().map(|&a| actor_id(a)).collect(),
        goals: goals(plan),
        measures: measures(plan, &amounts),
        actors: actors(plan),
        amounts,
        stated_total: plan.budgets.stated_total.map(amount_id),
        tables: tables(doc, plan),
        findings: findings
            .iter()
            .map(|f| finding(doc, &in_order, f))
            .collect(),
        text: text(doc),
    }
}

/// Where the record came from: the file, its format and pages, how many of
/// its digits the record holds, and what reading it worked around.
fn source(path: &str, bytes: &[u8], doc: &Document) -> record::Source {
    record::Source {
        path: path.to_string(),
        sha256: sha256_hex(bytes),
        format: doc.format.as_str().to_string(),
        pages: doc.page_count,
        bytes: bytes.len() as u64,
        numbers: doc
            .digit_coverage()
            .map(|(on_pages, held)| record::NumberCoverage {
                on_pages: on_pages as u64,
                in_record: held as u64,
                share: if on_pages == 0 {
                    1.0
                } else {
                    (held.min(on_pages) as f64 / on_pages as f64 * 10_000.0).round() / 10_000.0
                },
            }),
        warnings: doc
            .problems
            .iter()
            .map(|p| record::Warning {
                page: p.page,
                message: p.message.clone(),
            })
            .collect(),
        ocr: doc
            .ocr_pages
            .iter()
            .map(|p| record::OcrPageRec {
                page: p.number,
                words: p.words as u64,
                confidence: p.confidence.0,
            })
            .collect(),
    }
}

/// A goal's or measure's budget: its total, its years, and the table row or
/// the text it was read from.
fn budget(b: &Option<crate::extract::budget::Budget>) -> Option<record::BudgetRec> {
    use crate::extract::budget::BudgetSource;
    b.as_ref().map(|b| record::BudgetRec {
        nok: b.total.map(|t| t.as_nok_f64()),
        years: b
            .years
            .iter()
            .map(|&(year, v)| record::YearNok {
                year,
                nok: v.as_nok_f64(),
            })
            .collect(),
        source: match b.source {
            BudgetSource::Table { .. } => "table",
            BudgetSource::Prose => "text",
        }
        .to_string(),
        table: match b.source {
            BudgetSource::Table { table, .. } => Some(table_id(table)),
            BudgetSource::Prose => None,
        },
        row: match b.source {
            BudgetSource::Table { row, .. } => Some(row),
            BudgetSource::Prose => None,
        },
        amounts: b.amounts.iter().map(|&i| amount_id(i)).collect(),
    })
}

fn goals(plan: &Plan) -> Vec<record::Goal> {
    plan.goals
        .iter()
        .enumerate()
        .map(|(i, g)| record::Goal {
            id: goal_id(i),
            number: g.number.clone(),
            title: g.title.clone(),
            kind: g.label.clone(),
            parent: g.parent.map(goal_id),
            text: g.text.clone(),
            budget: budget(&plan.budgets.goals[i]),
            span: g.span.into(),
        })
        .collect()
}

/// The measures, each with the amounts that fall under it.
fn measures(plan: &Plan, amounts: &[record::AmountRec]) -> Vec<record::Measure> {
    // Each measure's amounts, in the record's order, gathered in one pass
    // (a pass over all amounts per measure was quadratic).
    let mut by_measure: Vec<Vec<String>> = vec![Vec::new(); plan.measures.len()];
    for (a, rec) in plan.amounts.iter().zip(amounts) {
        if let Some(list) = a.measure.and_then(|m| by_measure.get_mut(m)) {
            list.push(rec.id.clone());
        }
    }
    plan.measures
        .iter()
        .enumerate()
        .map(|(i, m)| record::Measure {
            id: measure_id(i),
            goal: m.goal.map(goal_id),
            number: m.number.clone(),
            title: m.title.clone(),
            kind: m.kind.as_str().to_string(),
            status: m.status.as_ref().map(|s| s.text.clone()),
            progress: m.status.as_ref().map(|s| s.progress.as_str().to_string()),
            responsible: m.responsible.iter().map(|&a| actor_id(a)).collect(),
            partners: m.partners.iter().map(|&a| actor_id(a)).collect(),
            timeframe: m.timeframe.as_ref().map(|t| record::Timeframe {
                text: t.text.clone(),
                from: t.from.and_then(|d| d.first_day()),
                to: t.to.and_then(|d| d.last_day()),
            }),
            amounts: std::mem::take(&mut by_measure[i]),
            seen_in: m.seen_in.iter().map(|s| s.as_str().to_string()).collect(),
            themes: m.themes.iter().map(|t| t.as_str().to_string()).collect(),
            budget: budget(&plan.budgets.measures[i]),
            span: m.span.into(),
        })
        .collect()
}

fn actors(plan: &Plan) -> Vec<record::Actor> {
    plan.actors
        .iter()
        .enumerate()
        .map(|(i, a)| record::Actor {
            id: actor_id(i),
            name: a.name.clone(),
            kind: a.kind.as_str().to_string(),
            variants: a.variants.clone(),
            mentions: a.mentions,
        })
        .collect()
}

/// Every money figure, with its cell when a table holds it and the figure
/// it repeats when the budget states it twice.
fn amounts(doc: &Document, tables: &[&Table], plan: &Plan) -> Vec<record::AmountRec> {
    plan.amounts
        .iter()
        .enumerate()
        .map(|(i, a)| record::AmountRec {
            id: amount_id(i),
            nok: a.amount().as_nok_f64(),
            text: a.money.text.clone(),
            role: a.role.as_str().to_string(),
            year: a.year,
            source: a.source.clone(),
            goal: a.goal.map(goal_id),
            measure: a.measure.map(measure_id),
            origin: match a.origin {
                Origin::Cell { .. } => "table",
                Origin::Prose { .. } => "text",
            }
            .to_string(),
            cell: match a.origin {
                Origin::Cell { table, row, col } => {
                    Some(cell_rec(tables, crate::rules::CellRef { table, row, col }))
                }
                Origin::Prose { .. } => None,
            },
            repeats: plan
                .budgets
                .repeats
                .get(i)
                .copied()
                .flatten()
                .map(amount_id),
            span: a.span.into(),
            ocr: match a.origin {
                Origin::Cell { table, row, col } => tables
                    .get(table)
                    .and_then(|t| t.rows.get(row)?.cells.get(col)?.ocr),
                Origin::Prose { .. } => None,
            }
            .or_else(|| doc.ocr_confidence(a.span))
            .map(|c| c.0),
        })
        .collect()
}

fn tables(doc: &Document, plan: &Plan) -> Vec<record::TableRec> {
    doc.tables()
        .zip(&plan.tables)
        .map(|((b, t), info)| {
            let (header, rows) = record_grid(t, &info.header, info.header_rows);
            record::TableRec {
                id: table_id(info.index),
                title: info.title.clone(),
                kind: info.kind.as_str().to_string(),
                header,
                rows,
                span: b.span.into(),
            }
        })
        .collect()
}

/// A finding as the record gives it: its figures, and each location with
/// the text it quotes and the part of it to underline.
fn finding(doc: &Document, tables: &[&Table], f: &crate::rules::Finding) -> record::Finding {
    record::Finding {
        id: String::new(),
        rule: f.rule.to_string(),
        severity: f.severity.as_str().to_string(),
        message: f.message.clone(),
        stated: f.stated.map(|v| v.as_f64()),
        computed: f.computed.map(|v| v.as_f64()),
        difference: f.difference().map(|v| v.as_f64()),
        locations: f
            .locations
            .iter()
            .map(|l| {
                let (text, range) = location_text(doc, l);
                record::Location {
                    source: source_place(doc, l),
                    page: l.span.page,
                    line: l.span.line,
                    column: range
                        .as_ref()
                        .map(|r| text[..r.start].chars().count() as u32 + 1),
                    highlight: range.map(|r| text[r].to_string()),
                    text,
                    cell: l.cell.map(|c| cell_rec(tables, c)),
                    label: l.label.clone(),
                }
            })
            .collect(),
        hint: f.hint.clone(),
        confidence: f.confidence.as_str().to_string(),
        reason: f.reason.clone(),
        ocr: f.ocr.map(|c| c.0),
    }
}

/// Where a place is in the file itself: its figure's first character, or
/// the start of its line.
fn source_place(doc: &Document, l: &crate::rules::Location) -> Option<record::SourcePlace> {
    let map = &doc.source_map;
    let line = doc.lines.get((l.span.line as usize).wrapping_sub(1))?;
    let start = l
        .range
        .as_ref()
        .map(|r| r.start)
        .filter(|&s| line.is_char_boundary(s));
    let pos = match start {
        Some(s) => map.locate(l.span.line, line[..s].chars().count() as u32),
        None => map.line_start(l.span.line),
    };
    pos.map(Into::into)
}

/// The document's running text, block by block (tables and furniture aside).
fn text(doc: &Document) -> Vec<record::TextRec> {
    doc.blocks()
        .filter_map(|b| {
            let kind = match &b.kind {
                BlockKind::Heading { .. } => "heading",
                BlockKind::Paragraph => "paragraph",
                BlockKind::ListItem { .. } => "list-item",
                BlockKind::Table(_) | BlockKind::Furniture => return None,
            };
            Some(record::TextRec {
                kind: kind.to_string(),
                span: b.span.into(),
                text: b.text.clone(),
            })
        })
        .collect()
}

/// A table as the record gives it: the header, then the rows. Where the
/// header spans several rows (a group label such as "2005" over "Number" and
/// "Percent"), the record keeps each header row as printed — the first as
/// `header`, the others opening `rows` — so that no spanning header cell is
/// lost and the record's row numbers are the grid's (`CellRec::row`). The
/// merged per-column header (`merged`) is what the rules read.
fn record_grid(
    t: &Table,
    merged: &[String],
    header_rows: usize,
) -> (Vec<String>, Vec<Vec<String>>) {
    let rows = |from: usize| {
        t.rows[from..]
            .iter()
            .map(|r| r.texts().cloned().collect())
            .collect()
    };
    match header_rows {
        0 | 1 => (merged.to_vec(), rows(header_rows)),
        _ => (
            t.rows[0].texts().map(|c| c.trim().to_string()).collect(),
            rows(1),
        ),
    }
}

/// What a location shows (a table row with its cells, or the sentence at the
/// place) and where the located figure sits in it (bytes).
/// A finding's cell as the record names it: the table's id, the cell's place
/// in the grid, for PDFs where it is drawn (to the hundredth of a point), for
/// spreadsheets its address and formula.
fn cell_rec(tables: &[&Table], c: crate::rules::CellRef) -> record::CellRec {
    let cell = tables
        .get(c.table)
        .and_then(|t| t.rows.get(c.row))
        .and_then(|r| r.cells.get(c.col));
    let bbox = cell
        .and_then(|cell| cell.bbox)
        .map(|b| [b.x0, b.y0, b.x1, b.y1].map(|v| (f64::from(v) * 100.0).round() / 100.0));
    let sheet = cell.and_then(|cell| cell.sheet.as_deref());
    record::CellRec {
        table: format!("t{}", c.table + 1),
        row: c.row,
        column: c.col,
        bbox,
        reference: sheet.map(|s| s.reference()),
        formula: sheet.and_then(|s| s.formula.clone()),
    }
}

fn location_text(
    doc: &Document,
    l: &crate::rules::Location,
) -> (String, Option<std::ops::Range<usize>>) {
    let line = doc
        .lines
        .get((l.span.line as usize).wrapping_sub(1))
        .map_or("", String::as_str);
    let range = l.range.clone().filter(|r| line.get(r.clone()).is_some());
    if line.contains('\t') {
        // Cells are trimmed and joined by " | "; the range moves with its cell.
        let (mut text, mut mapped, mut raw_start) = (String::new(), None, 0);
        for (i, cell) in line.split('\t').enumerate() {
            if i > 0 {
                text.push_str(" | ");
            }
            let lead = cell.len() - cell.trim_start().len();
            if let Some(r) = range
                .as_ref()
                .filter(|r| (raw_start..=raw_start + cell.len()).contains(&r.start))
            {
                let start = text.len() + (r.start - raw_start).saturating_sub(lead);
                mapped = Some(start..start + r.len());
            }
            text.push_str(cell.trim());
            raw_start += cell.len() + 1;
        }
        let mapped = mapped.filter(|m| text.get(m.clone()).is_some());
        return (text, mapped);
    }
    let at = range.as_ref().map_or(0, |r| r.start);
    let mut start = 0;
    for s in crate::norsk::sentences(line) {
        let end = start + s.len();
        if at < end || end == line.len() {
            let lead = s.len() - s.trim_start().len();
            let text = s.trim().to_string();
            let mapped = range.and_then(|r| {
                let from = r.start.checked_sub(start + lead)?;
                Some(from..from + r.len()).filter(|m| text.get(m.clone()).is_some())
            });
            return (text, mapped);
        }
        start = end;
    }
    (line.trim().to_string(), None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_header_over_two_rows_keeps_its_group_labels_in_the_record() {
        let t = Table::of_texts(&[
            &["", "2005", "", "2010"],
            &["Group", "Number", "Percent", "Number"],
            &["Women", "12", "4.1", "13"],
        ]);
        let merged = vec![
            "Group".into(),
            "Number".into(),
            "Percent".into(),
            "Number".into(),
        ];
        let (header, rows) = record_grid(&t, &merged, 2);
        assert_eq!(header, ["", "2005", "", "2010"]);
        assert_eq!(rows[0], ["Group", "Number", "Percent", "Number"]);
        assert_eq!(rows.len(), 2);
        // One header row: the merged header, then the body.
        let (header, rows) = record_grid(&t, &merged, 1);
        assert_eq!(header, merged);
        assert_eq!(rows.len(), 2);
    }
}

//! Corpus-wide CSV tables, one row per entity, keyed by document id, for
//! spreadsheets, R, Python and DuckDB. Written from the records alone.
//!
//! `actors.csv` is the exception to "one row per document entity": it has one
//! row per canonical actor across the whole run, with its variants and the
//! documents that mention it, so that regions can be compared.

use std::collections::BTreeMap;
use std::path::Path;

use super::json::write_atomic;
use super::record::{Record, SpanRec};

fn join(items: impl IntoIterator<Item = String>) -> String {
    items.into_iter().collect::<Vec<_>>().join("; ")
}

fn opt<T: ToString>(v: &Option<T>) -> String {
    v.as_ref().map(T::to_string).unwrap_or_default()
}

fn page(s: &SpanRec) -> String {
    opt(&s.page)
}

/// NOK with two decimals, as printed by the record ("1800000.00").
fn nok(v: f64) -> String {
    format!("{v:.2}")
}

type Rows = Vec<Vec<String>>;

fn write(path: &Path, header: &[&str], rows: Rows) -> std::io::Result<()> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(header).map_err(std::io::Error::other)?;
    for r in rows {
        w.write_record(&r).map_err(std::io::Error::other)?;
    }
    let bytes = w
        .into_inner()
        .map_err(|e| std::io::Error::other(e.to_string()))?;
    write_atomic(path, &bytes)
}

/// Writes `documents.csv`, `goals.csv`, `measures.csv`, `actors.csv`,
/// `amounts.csv` and `findings.csv` into `dir`.
pub fn write_tables(dir: &Path, records: &[&Record]) -> std::io::Result<()> {
    let mut documents = Rows::new();
    let mut goals = Rows::new();
    let mut measures = Rows::new();
    let mut amounts = Rows::new();
    let mut findings = Rows::new();
    // Canonical name → (kind, variants, mentions, documents).
    let mut actors: BTreeMap<String, (String, Vec<String>, u64, Vec<String>)> = BTreeMap::new();
    for r in records {
        let actor_name = |id: &String| {
            r.actors
                .iter()
                .find(|a| &a.id == id)
                .map_or_else(|| id.clone(), |a| a.name.clone())
        };
        let goal_number = |id: &Option<String>| {
            id.as_ref()
                .and_then(|id| r.goals.iter().find(|g| &g.id == id))
                .and_then(|g| g.number.clone())
                .unwrap_or_default()
        };
        documents.push(vec![
            r.id.clone(),
            r.source.path.clone(),
            r.source.sha256.clone(),
            r.source.format.clone(),
            opt(&r.source.pages),
            r.kind.clone(),
            opt(&r.title),
            opt(&r.date),
            r.period.as_ref().map(|p| opt(&p.from)).unwrap_or_default(),
            r.period.as_ref().map(|p| opt(&p.to)).unwrap_or_default(),
            join(r.parties.iter().map(actor_name)),
            r.goals.len().to_string(),
            r.measures.len().to_string(),
            r.amounts.len().to_string(),
            r.findings.len().to_string(),
        ]);
        for g in &r.goals {
            goals.push(vec![
                r.id.clone(),
                g.id.clone(),
                opt(&g.number),
                g.kind.clone(),
                g.title.clone(),
                opt(&g.parent),
                opt(&g.text),
                page(&g.span),
                g.span.line.to_string(),
            ]);
        }
        for m in &r.measures {
            let tf = m.timeframe.as_ref();
            measures.push(vec![
                r.id.clone(),
                m.id.clone(),
                opt(&m.goal),
                goal_number(&m.goal),
                opt(&m.number),
                m.kind.clone(),
                m.title.clone(),
                opt(&m.status),
                join(m.responsible.iter().map(actor_name)),
                join(m.partners.iter().map(actor_name)),
                tf.map(|t| t.text.clone()).unwrap_or_default(),
                tf.map(|t| opt(&t.from)).unwrap_or_default(),
                tf.map(|t| opt(&t.to)).unwrap_or_default(),
                join(
                    r.amounts
                        .iter()
                        .filter(|a| m.amounts.contains(&a.id))
                        .map(|a| nok(a.nok)),
                ),
                m.seen_in.join("; "),
                page(&m.span),
                m.span.line.to_string(),
            ]);
        }
        for a in &r.amounts {
            amounts.push(vec![
                r.id.clone(),
                a.id.clone(),
                nok(a.nok),
                a.text.clone(),
                a.role.clone(),
                opt(&a.year),
                opt(&a.source),
                opt(&a.goal),
                goal_number(&a.goal),
                opt(&a.measure),
                page(&a.span),
                a.span.line.to_string(),
            ]);
        }
        for (i, f) in r.findings.iter().enumerate() {
            let primary = f.locations.first();
            let num = |v: &Option<f64>| {
                v.map(|x| {
                    if x.fract() == 0.0 {
                        format!("{x:.0}")
                    } else {
                        format!("{x:.2}")
                    }
                })
                .unwrap_or_default()
            };
            findings.push(vec![
                r.id.clone(),
                format!("f{}", i + 1),
                f.rule.clone(),
                f.severity.clone(),
                f.message.clone(),
                num(&f.stated),
                num(&f.computed),
                num(&f.difference),
                primary.map(|l| opt(&l.page)).unwrap_or_default(),
                primary.map(|l| l.line.to_string()).unwrap_or_default(),
                primary.map(|l| l.text.clone()).unwrap_or_default(),
                join(f.locations.iter().skip(1).map(|l| l.line.to_string())),
                opt(&f.hint),
            ]);
        }
        for a in &r.actors {
            let e = actors
                .entry(a.name.clone())
                .or_insert_with(|| (a.kind.clone(), Vec::new(), 0, Vec::new()));
            for v in &a.variants {
                if !e.1.contains(v) {
                    e.1.push(v.clone());
                }
            }
            e.2 += u64::from(a.mentions);
            e.3.push(r.id.clone());
        }
    }
    write(
        &dir.join("documents.csv"),
        &[
            "document",
            "path",
            "sha256",
            "format",
            "pages",
            "kind",
            "title",
            "date",
            "period_from",
            "period_to",
            "parties",
            "goals",
            "measures",
            "amounts",
            "findings",
        ],
        documents,
    )?;
    write(
        &dir.join("findings.csv"),
        &[
            "document",
            "finding",
            "rule",
            "severity",
            "message",
            "stated",
            "computed",
            "difference",
            "page",
            "line",
            "text",
            "other_lines",
            "hint",
        ],
        findings,
    )?;
    write(
        &dir.join("goals.csv"),
        &[
            "document", "goal", "number", "kind", "title", "parent", "text", "page", "line",
        ],
        goals,
    )?;
    write(
        &dir.join("measures.csv"),
        &[
            "document",
            "measure",
            "goal",
            "goal_number",
            "number",
            "kind",
            "title",
            "status",
            "responsible",
            "partners",
            "timeframe",
            "timeframe_from",
            "timeframe_to",
            "amounts_nok",
            "seen_in",
            "page",
            "line",
        ],
        measures,
    )?;
    write(
        &dir.join("amounts.csv"),
        &[
            "document",
            "amount",
            "nok",
            "text",
            "role",
            "year",
            "source",
            "goal",
            "goal_number",
            "measure",
            "page",
            "line",
        ],
        amounts,
    )?;
    let actor_rows = actors
        .into_iter()
        .map(|(name, (kind, mut variants, mentions, docs))| {
            variants.sort();
            vec![
                name,
                kind,
                docs.len().to_string(),
                mentions.to_string(),
                variants.join("; "),
                docs.join("; "),
            ]
        })
        .collect();
    write(
        &dir.join("actors.csv"),
        &[
            "actor",
            "kind",
            "documents",
            "mentions",
            "variants",
            "document_ids",
        ],
        actor_rows,
    )
}

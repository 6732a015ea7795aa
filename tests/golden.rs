//! Golden tests: for each corpus document and each variant fixture, the facts a
//! careful reader takes from it, written by hand in `tests/golden/<name>.txt`.
//!
//! A golden file lists facts, one per line, in the same format `facts()` renders
//! a record in. Every listed fact must be extracted; `count …` lines must match
//! exactly (so nothing extra slips in: no prompts, TOC lines or furniture as
//! goals or measures). A failure prints the missing facts next to what was
//! extracted for the same key, so the diff reads like a review.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use plansjekk::emit::record::Record;

/// One line per fact, keyed "kind key | value …".
fn facts(r: &Record) -> Vec<String> {
    let actor = |id: &String| {
        r.actors
            .iter()
            .find(|a| &a.id == id)
            .map_or(id.clone(), |a| a.name.clone())
    };
    let goal_no = |id: &Option<String>| {
        id.as_ref()
            .and_then(|id| r.goals.iter().find(|g| &g.id == id))
            .map(|g| g.number.clone().unwrap_or_else(|| g.title.clone()))
            .unwrap_or_else(|| "-".into())
    };
    let mut out = vec![
        format!("kind | {}", r.kind),
        format!("title | {}", r.title.clone().unwrap_or_default()),
        format!("date | {}", r.date.clone().unwrap_or_default()),
        format!("count goals | {}", r.goals.len()),
        format!("count measures | {}", r.measures.len()),
    ];
    if let Some(p) = &r.period {
        out.push(format!(
            "period | {} | {}",
            p.from.clone().unwrap_or_default(),
            p.to.clone().unwrap_or_default()
        ));
    }
    for p in &r.parties {
        out.push(format!("party | {}", actor(p)));
    }
    for a in &r.actors {
        out.push(format!("actor | {} | {}", a.name, a.kind));
    }
    for g in &r.goals {
        out.push(format!(
            "goal {} | {} | {}",
            g.number.clone().unwrap_or_else(|| "-".into()),
            g.kind,
            g.title
        ));
        if let Some(p) = &g.parent {
            out.push(format!(
                "goal-parent {} | {}",
                g.title,
                goal_no(&Some(p.clone()))
            ));
        }
    }
    for m in &r.measures {
        let key = format!(
            "{}/{}",
            goal_no(&m.goal),
            m.number.clone().unwrap_or_else(|| "-".into())
        );
        out.push(format!("measure {key} | {} | {}", m.kind, m.title));
        if let Some(s) = &m.status {
            out.push(format!("status {key} | {s}"));
        }
        if !m.responsible.is_empty() {
            let names: Vec<String> = m.responsible.iter().map(actor).collect();
            out.push(format!("responsible {key} | {}", names.join("; ")));
        }
        if !m.partners.is_empty() {
            let names: Vec<String> = m.partners.iter().map(actor).collect();
            out.push(format!("partners {key} | {}", names.join("; ")));
        }
        if let Some(t) = &m.timeframe {
            out.push(format!(
                "timeframe {key} | {} | {} | {}",
                t.text,
                t.from.clone().unwrap_or_default(),
                t.to.clone().unwrap_or_default()
            ));
        }
        for a in r.amounts.iter().filter(|a| m.amounts.contains(&a.id)) {
            out.push(format!("amount {key} | {:.0} | {}", a.nok, a.role));
        }
    }
    out
}

fn check(path: &Path, golden: &str) {
    let record = common::process(path).unwrap_or_else(|e| panic!("{}: {e:?}", path.display()));
    let got = facts(&record);
    let expected_text = std::fs::read_to_string(common::root().join("tests/golden").join(golden))
        .unwrap_or_else(|e| panic!("{golden}: {e}"));
    let mut problems = Vec::new();
    for line in expected_text.lines().map(str::trim) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if !got.iter().any(|g| g.trim() == line) {
            let key = line.split(" | ").next().unwrap_or(line);
            let near: Vec<&String> = got
                .iter()
                .filter(|g| g.split(" | ").next() == Some(key))
                .collect();
            problems.push(format!(
                "  expected: {line}\n{}",
                if near.is_empty() {
                    "       got: (nothing for this key)".to_string()
                } else {
                    near.iter()
                        .map(|n| format!("       got: {n}"))
                        .collect::<Vec<_>>()
                        .join("\n")
                }
            ));
        }
    }
    if !problems.is_empty() {
        let mut by_kind: BTreeMap<&str, usize> = BTreeMap::new();
        for g in &got {
            *by_kind
                .entry(g.split(' ').next().unwrap_or(""))
                .or_default() += 1;
        }
        panic!(
            "{golden}: {} facts differ\n{}\n(all extracted facts: {by_kind:?})",
            problems.len(),
            problems.join("\n")
        );
    }
}

#[test]
fn golden_action_plan() {
    check(
        &common::corpus("handlingsplan-2025-bygdevekst-indre-namdal.txt"),
        "handlingsplan-2025-bygdevekst-indre-namdal.txt",
    );
}

#[test]
fn golden_county_programme() {
    check(
        &common::corpus("handlingsprogram-regional-plan-inkluderende-innlandet-2022.txt"),
        "handlingsprogram-regional-plan-inkluderende-innlandet-2022.txt",
    );
}

#[test]
fn golden_bolyst_report() {
    check(
        &common::corpus("bolyst-arsrapport-2014-midt-troms.txt"),
        "bolyst-arsrapport-2014-midt-troms.txt",
    );
}

#[test]
fn golden_vaernes_strategy() {
    check(
        &common::corpus("strategi-vaernesregionen-2009.txt"),
        "strategi-vaernesregionen-2009.txt",
    );
}

#[test]
fn golden_article() {
    check(
        &common::corpus("distriktssenteret-veiledningspiloten.txt"),
        "distriktssenteret-veiledningspiloten.txt",
    );
}

#[test]
fn golden_nynorsk_plan() {
    check(
        &common::root().join("fixtures/nynorsk-handlingsplan.txt"),
        "nynorsk-handlingsplan.txt",
    );
}

#[test]
fn golden_html_plan_with_other_table_layout() {
    check(
        &common::root().join("fixtures/tiltaksplan-tabell.html"),
        "tiltaksplan-tabell.html.txt",
    );
}

/// Dumps the facts of a file, to start a golden file that you then check line by
/// line against the document: `cargo test --test golden dump -- --ignored` with
/// `GOLDEN_DUMP=path`.
#[test]
#[ignore]
fn dump() {
    if let Ok(p) = std::env::var("GOLDEN_DUMP") {
        let r = common::process(Path::new(&p)).expect("processes");
        println!("{}", facts(&r).join("\n"));
    }
}

#[test]
fn golden_docx_plan_with_tables() {
    check(
        &common::root().join("fixtures/handlingsplan-tabeller.docx"),
        "handlingsplan-tabeller.docx.txt",
    );
}

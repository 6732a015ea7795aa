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
use std::path::{Path, PathBuf};

use plansjekk::record::Record;

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
    out.push(format!("count findings | {}", r.findings.len()));
    out.push(format!("count amounts | {}", r.amounts.len()));
    for a in &r.actors {
        out.push(format!("actor-name | {}", a.name));
    }
    for f in &r.findings {
        out.push(format!("finding | {}", f.rule));
    }
    for a in &r.amounts {
        out.push(format!("amount-nok | {:.0}", a.nok));
    }
    let goal_title = |id: &Option<String>| {
        id.as_ref()
            .and_then(|id| r.goals.iter().find(|g| &g.id == id))
            .map(|g| g.title.clone())
    };
    for g in &r.goals {
        out.push(format!("goal-title | {}", g.title));
    }
    for m in &r.measures {
        out.push(format!("measure-title | {}", m.title));
        if let Some(g) = goal_title(&m.goal) {
            out.push(format!("measure-under | {} | {g}", m.title));
        }
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

/// What a golden file asks of a record.
#[derive(Default)]
struct Verdict {
    /// Facts that do not hold as the golden file says.
    problems: Vec<String>,
    /// `gap` facts: a careful reader finds them, plansjekk does not yet.
    gaps: usize,
    /// `wrong` facts: plansjekk extracts them, a careful reader does not
    /// (known false goals, measures, actors, amounts).
    wrongs: usize,
    /// Goals and measures listed (as facts or gaps) and how many of them hold.
    listed: [usize; 2],
    found: [usize; 2],
}

/// Compares the facts of `record` with the golden text: plain lines must hold,
/// `no …` lines must not, `gap …` lines must not yet (a gap that closes is
/// reported, so its prefix gets removed), `wrong …` lines (known false
/// extractions) still do (one that stops is reported, to become a `no` line). Where the golden file lists goal or
/// measure titles, every extracted one must be among them: a goal nobody wrote
/// down is a false one.
fn verdict(record: &Record, golden: &str) -> Verdict {
    let got = facts(record);
    let holds = |line: &str| got.iter().any(|g| g.trim() == line);
    let mut v = Verdict::default();
    let mut listed_titles: Vec<&str> = Vec::new();
    for raw in golden.lines().map(str::trim) {
        if raw.is_empty() || raw.starts_with('#') {
            continue;
        }
        let (mode, line) = if let Some(l) = raw.strip_prefix("no ") {
            ("no", l.trim())
        } else if let Some(l) = raw.strip_prefix("gap ") {
            ("gap", l.trim())
        } else if let Some(l) = raw.strip_prefix("wrong ") {
            ("wrong", l.trim())
        } else {
            ("", raw)
        };
        let key = line.split(" | ").next().unwrap_or(line);
        let kind = match key {
            "goal-title" => Some(0),
            "measure-title" => Some(1),
            _ => None,
        };
        if mode == "wrong" && kind.is_some() {
            listed_titles.push(line);
        }
        if mode.is_empty() || mode == "gap" {
            if let Some(k) = kind {
                listed_titles.push(line);
                v.listed[k] += 1;
                if holds(line) {
                    v.found[k] += 1;
                }
            }
        }
        match mode {
            "no" if holds(line) => v.problems.push(format!("  must not hold: {line}")),
            "gap" if holds(line) => v
                .problems
                .push(format!("  gap closed (drop the 'gap' prefix): {line}")),
            "gap" => v.gaps += 1,
            "wrong" if holds(line) => v.wrongs += 1,
            "wrong" => v.problems.push(format!(
                "  no longer extracted (make the 'wrong' line a 'no' line): {line}"
            )),
            "" if !holds(line) => {
                let near: Vec<&String> = got
                    .iter()
                    .filter(|g| g.split(" | ").next() == Some(key))
                    .collect();
                v.problems.push(format!(
                    "  expected: {line}\n{}",
                    if near.is_empty() {
                        "       got: (nothing for this key)".to_string()
                    } else if near.len() > 6 {
                        format!("       got: {} lines for this key", near.len())
                    } else {
                        near.iter()
                            .map(|n| format!("       got: {n}"))
                            .collect::<Vec<_>>()
                            .join("\n")
                    }
                ));
            }
            _ => {}
        }
    }
    for key in ["goal-title", "measure-title"] {
        if !listed_titles.iter().any(|l| l.starts_with(key)) {
            continue;
        }
        for g in got.iter().filter(|g| g.starts_with(&format!("{key} |"))) {
            if !listed_titles.contains(&g.trim()) {
                v.problems.push(format!("  extracted but not listed: {g}"));
            }
        }
    }
    v
}

fn check(path: &Path, golden: &str) {
    let record = common::process(path).unwrap_or_else(|e| panic!("{}: {e:?}", path.display()));
    let expected_text = std::fs::read_to_string(common::root().join("tests/golden").join(golden))
        .unwrap_or_else(|e| panic!("{golden}: {e}"));
    let v = verdict(&record, &expected_text);
    if !v.problems.is_empty() {
        let mut by_kind: BTreeMap<&str, usize> = BTreeMap::new();
        let got = facts(&record);
        for g in &got {
            *by_kind
                .entry(g.split(' ').next().unwrap_or(""))
                .or_default() += 1;
        }
        panic!(
            "{golden}: {} facts differ\n{}\n(all extracted facts: {by_kind:?})",
            v.problems.len(),
            v.problems.join("\n")
        );
    }
}

/// Checks every `(document, golden text)` pair, prints a line per document
/// (goals and measures found of those listed) and fails with every problem.
fn check_all(what: &str, pairs: Vec<(PathBuf, String)>) {
    let mut failures = Vec::new();
    for (path, golden) in pairs {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let record = match common::process(&path) {
            Ok(r) => r,
            Err(e) => {
                failures.push(format!("{name}: does not process: {e:?}"));
                continue;
            }
        };
        let v = verdict(&record, &golden);
        println!(
            "{what} {name}: goals {}/{} measures {}/{} (found/listed), {} gaps, {} wrong, {} problems",
            v.found[0],
            v.listed[0],
            v.found[1],
            v.listed[1],
            v.gaps,
            v.wrongs,
            v.problems.len()
        );
        if !v.problems.is_empty() {
            failures.push(format!("{name}:\n{}", v.problems.join("\n")));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// Fixtures written in the genre's variety, each with its facts read by hand in
/// `fixtures/genre/<file>.golden`.
#[test]
fn golden_genre_fixtures() {
    let dir = common::root().join("fixtures/genre");
    let mut pairs = Vec::new();
    for e in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.extension().is_some_and(|x| x == "golden") {
            let doc = p.with_extension("");
            let text = std::fs::read_to_string(&p).unwrap();
            assert!(doc.is_file(), "{}: no document beside it", p.display());
            pairs.push((doc, text));
        }
    }
    pairs.sort();
    check_all("genre", pairs);
}

/// The real public documents of `../shared/real-dev`, with what a careful
/// reader finds in each written in `tests/golden/real-dev/<file>.txt`.
#[test]
fn golden_real_documents() {
    let Some(shared) = common::shared() else {
        return;
    };
    let dir = common::root().join("tests/golden/real-dev");
    let mut pairs = Vec::new();
    for e in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
        let p = e.path();
        let name = p.file_name().unwrap().to_string_lossy().to_string();
        let Some(doc) = name.strip_suffix(".txt") else {
            continue;
        };
        let doc = shared.join("real-dev").join(doc);
        assert!(doc.is_file(), "{}: no such document", doc.display());
        pairs.push((doc, std::fs::read_to_string(&p).unwrap()));
    }
    pairs.sort();
    check_all("real-dev", pairs);
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

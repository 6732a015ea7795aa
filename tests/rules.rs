//! Per-rule fixtures and snapshots, and the meta-tests that keep the rule
//! registry honest (as clippy's `tests/missing-test-files.rs`).
//!
//! `fixtures/rules/<rule>/fires-*.txt` must raise that rule, `silent-*.txt`
//! must not. Each fixture has a snapshot `<fixture>.snap` of what
//! `plansjekk check` prints for it (all rules, plain text), so a change in
//! wording or in what fires shows up in review. Run with `UPDATE_SNAPSHOTS=1`
//! to rewrite the snapshots after a deliberate change, then read the diff.

use std::path::{Path, PathBuf};

use plansjekk::emit::terminal::render_record;
use plansjekk::ingest::IngestOptions;
use plansjekk::pipeline::process_bytes;
use plansjekk::record::slug;
use plansjekk::record::Record;
use plansjekk::rules::{explanation_text, RULES};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn fixtures(rule: &str) -> Vec<PathBuf> {
    let dir = root().join("fixtures/rules").join(rule);
    let mut v: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    v.retain(|p| p.extension().is_some_and(|e| e != "snap"));
    v.sort();
    v
}

fn relative(p: &Path) -> String {
    p.strip_prefix(root())
        .unwrap_or(p)
        .to_string_lossy()
        .replace('\\', "/")
}

fn snapshot_path(p: &Path) -> PathBuf {
    let mut s = p.as_os_str().to_owned();
    s.push(".snap");
    PathBuf::from(s)
}

/// The record of a fixture, its path relative to the checkout so snapshots
/// do not depend on where it lies.
fn record(path: &Path) -> Record {
    let bytes = std::fs::read(path).unwrap();
    process_bytes(
        &relative(path),
        &slug(path),
        &bytes,
        &IngestOptions::default(),
    )
    .unwrap_or_else(|e| panic!("{}: {}", path.display(), e.message))
}

#[test]
fn every_fixture_fires_or_stays_silent_and_matches_its_snapshot() {
    let update = std::env::var_os("UPDATE_SNAPSHOTS").is_some();
    let mut failures = Vec::new();
    for rule in RULES {
        for path in fixtures(rule.id()) {
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            let rec = record(&path);
            let own = rec.findings.iter().filter(|f| f.rule == rule.id()).count();
            if name.starts_with("fires") && own == 0 {
                failures.push(format!(
                    "{}: {name} should raise it but does not",
                    rule.id()
                ));
            }
            if name.starts_with("silent") && own > 0 {
                failures.push(format!(
                    "{}: {name} should be silent but raises it {own} time(s)",
                    rule.id()
                ));
            }
            let rendered = render_record(&rec, false);
            let snap = snapshot_path(&path);
            if update {
                std::fs::write(&snap, &rendered).unwrap();
            } else {
                match std::fs::read_to_string(&snap) {
                    Ok(expected) if expected == rendered => {}
                    Ok(expected) => failures.push(format!(
                        "{}: {name} differs from its snapshot\n--- expected\n{expected}\n--- got\n{rendered}",
                        rule.id()
                    )),
                    Err(_) => failures.push(format!("{}: {name} has no snapshot (run with UPDATE_SNAPSHOTS=1)", rule.id())),
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn every_rule_has_an_explanation_and_fixtures_both_ways() {
    let dirs: Vec<String> = std::fs::read_dir(root().join("fixtures/rules"))
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().to_string())
        .collect();
    for d in &dirs {
        assert!(
            RULES.iter().any(|r| r.id() == d),
            "fixtures/rules/{d} names no rule"
        );
    }
    for rule in RULES {
        let text = explanation_text(*rule);
        for section in ["## What it checks", "## Why it matters", "## Example"] {
            assert!(
                text.contains(section),
                "{}: explanation lacks {section}",
                rule.id()
            );
        }
        assert!(
            !text.contains("TODO"),
            "{}: explanation is unfinished",
            rule.id()
        );
        let files = fixtures(rule.id());
        let names: Vec<String> = files
            .iter()
            .map(|p| p.file_name().unwrap().to_string_lossy().to_string())
            .collect();
        assert!(
            names.iter().any(|n| n.starts_with("fires")),
            "{}: no fires-* fixture",
            rule.id()
        );
        assert!(
            names.iter().any(|n| n.starts_with("silent")),
            "{}: no silent-* fixture",
            rule.id()
        );
        // While snapshots are being rewritten (in parallel), their presence is not checked.
        if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
            continue;
        }
        for f in &files {
            assert!(
                snapshot_path(f).is_file(),
                "{}: {} has no snapshot",
                rule.id(),
                relative(f)
            );
        }
    }
}

/// Messages read as one clause: lowercase start, no trailing full stop (the
/// clippy convention), and they give figures where the rule compares figures.
#[test]
fn messages_follow_the_convention() {
    for rule in RULES {
        for path in fixtures(rule.id()) {
            let rec = record(&path);
            for f in &rec.findings {
                let first = f.message.chars().next().unwrap();
                assert!(
                    !first.is_uppercase(),
                    "{}: «{}» starts in upper case",
                    f.rule,
                    f.message
                );
                assert!(
                    !f.message.ends_with('.'),
                    "{}: «{}» ends with a full stop",
                    f.rule,
                    f.message
                );
                assert!(
                    !f.locations.is_empty(),
                    "{}: «{}» has no location",
                    f.rule,
                    f.message
                );
                if f.stated.is_some() {
                    assert!(
                        f.computed.is_some() && f.difference.is_some(),
                        "{}: stated without computed",
                        f.rule
                    );
                }
            }
        }
    }
}

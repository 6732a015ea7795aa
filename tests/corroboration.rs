//! Corroboration before alarm (issue 20): arithmetic findings are errors only
//! on a corroborated reading, and tables that are not additive are not summed.
//!
//! `tests/fixtures/corroboration/<batch>/fires-<rule>--<shape>.txt` must give
//! an `error` of that rule, with a confidence and its reason;
//! `silent--<shape>.txt` must give no arithmetic finding at all (a notice,
//! "could not reconcile", is left out of a run). Each `fires` fixture is a
//! near miss of a `silent` one: the same shape with one figure really wrong.
//!
//! Batch 1 was written first and the rules tuned on it; batch 2 was written
//! afterwards, without running plansjekk on it first, as held-out shapes.

use std::path::{Path, PathBuf};

use plansjekk::config::Config;
use plansjekk::ingest::IngestOptions;
use plansjekk::pipeline::process_bytes;
use plansjekk::record::{Finding, Record};

const ARITHMETIC: [&str; 6] = [
    "column-sum",
    "row-sum",
    "text-vs-table",
    "text-sum",
    "cross-table",
    "percent-sum",
];

fn fixtures(batch: &str) -> Vec<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/corroboration")
        .join(batch);
    let mut v: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("fixture folder")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    v.sort();
    v
}

fn record(path: &Path) -> Record {
    let bytes = std::fs::read(path).expect("fixture reads");
    let name = path.file_name().unwrap().to_string_lossy().to_string();
    let mut rec =
        process_bytes(&name, &name, &bytes, &IngestOptions::default()).expect("fixture processes");
    // As a run leaves it: notices out unless asked for.
    Config::default().rules().apply(&mut rec);
    rec
}

fn shown(f: &Finding) -> String {
    format!(
        "{} {} [{}: {}] {}",
        f.rule, f.severity, f.confidence, f.reason, f.message
    )
}

/// What a fixture should give, from its name: `Some(rule)` for `fires-RULE--…`.
fn expected(path: &Path) -> Option<String> {
    let stem = path.file_stem().unwrap().to_string_lossy().to_string();
    let (kind, _) = stem.split_once("--").expect("fixture named KIND--SHAPE");
    kind.strip_prefix("fires-").map(str::to_string)
}

/// Checks one batch; returns the failures, one line each.
fn check(batch: &str) -> (usize, Vec<String>) {
    let files = fixtures(batch);
    assert!(!files.is_empty(), "no fixtures in {batch}");
    let mut failures = Vec::new();
    for path in &files {
        let rec = record(path);
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let arithmetic: Vec<&Finding> = rec
            .findings
            .iter()
            .filter(|f| ARITHMETIC.contains(&f.rule.as_str()))
            .collect();
        for f in &arithmetic {
            if f.confidence.is_empty() || f.reason.is_empty() {
                failures.push(format!("{name}: no confidence or reason: {}", shown(f)));
            }
            if f.severity == "notice" {
                failures.push(format!("{name}: a notice in a run: {}", shown(f)));
            }
        }
        match expected(path) {
            Some(rule) => {
                if !arithmetic
                    .iter()
                    .any(|f| f.rule == rule && f.severity == "error")
                {
                    failures.push(format!(
                        "{name}: expected an error of {rule}, got [{}]",
                        arithmetic
                            .iter()
                            .map(|f| shown(f))
                            .collect::<Vec<_>>()
                            .join("; ")
                    ));
                }
            }
            None => {
                for f in &arithmetic {
                    failures.push(format!("{name}: false alarm: {}", shown(f)));
                }
            }
        }
    }
    (files.len(), failures)
}

/// Every fixture of a batch behaves as its name says.
fn assert_batch(batch: &str) {
    let (n, failures) = check(batch);
    assert!(
        failures.is_empty(),
        "{} of {n} fixtures:\n  {}",
        failures.len(),
        failures.join("\n  ")
    );
}

#[test]
fn batch_1_tuned() {
    assert_batch("batch1");
}

#[test]
fn batch_2_held_out() {
    assert_batch("batch2");
}

/// The stacked table's second block is never compared with the first
/// block's "Sum", and its findings name the block's own column.
#[test]
fn a_stacked_block_names_its_own_column() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/corroboration");
    let rec = record(&dir.join("batch1/fires-column-sum--stacked-blocks-swapped-digits.txt"));
    let f: Vec<&Finding> = rec
        .findings
        .iter()
        .filter(|f| f.rule == "column-sum")
        .collect();
    assert_eq!(f.len(), 1, "{:#?}", rec.findings);
    assert!(
        f[0].message
            .contains("in column \"Vinterdrift\" is 815 332")
            && f[0].message.contains("items above sum to 851 332"),
        "{}",
        f[0].message
    );
    assert_eq!(f[0].confidence, "high", "{}", f[0].reason);
    assert!(f[0].reason.contains("two adjacent digits swapped"));
}

/// The near miss of the issue: a "Totalt" cell "2 417 305 (71 %)" whose
/// parts in the same row add up to 120 less.
#[test]
fn a_count_total_120_more_than_its_parts() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/corroboration");
    let rec = record(&dir.join("batch1/fires-row-sum--count-total-120-more.txt"));
    let f: Vec<&Finding> = rec
        .findings
        .iter()
        .filter(|f| f.rule == "row-sum")
        .collect();
    assert_eq!(f.len(), 1, "{:#?}", rec.findings);
    assert_eq!(f[0].stated, Some(2_417_305.0));
    assert_eq!(f[0].computed, Some(2_417_185.0));
    assert!(f[0].reason.contains("other rows of the table reconcile"));
}

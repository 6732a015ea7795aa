//! A false-alarm budget (issue 20): every real document we hold that nobody
//! here wrote — the public plans and reports of `../shared/real-dev` and the
//! government reports of `../shared/table-bench/files` — is read, and every
//! finding of severity `error` must be one a reader checked and listed as
//! true in `tests/reviewed/true-findings.tsv`, with why. An auditor who
//! sees wrong errors stops reading the findings: a new false alarm on a real
//! document fails the suite.

mod common;

use std::collections::BTreeMap;
use std::path::PathBuf;

/// The reviewed true findings: (file name, finding id) → why.
fn reviewed() -> BTreeMap<(String, String), String> {
    let path = common::root().join("tests/reviewed/true-findings.tsv");
    let text = std::fs::read_to_string(&path).unwrap();
    let mut out = BTreeMap::new();
    for (n, line) in text.lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        assert!(
            cols.len() == 3 && !cols[2].trim().is_empty(),
            "{}:{}: want file, finding id and why, tab-separated",
            path.display(),
            n + 1
        );
        out.insert((cols[0].into(), cols[1].into()), cols[2].into());
    }
    out
}

fn documents(dir: PathBuf) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.extension()
                .is_some_and(|x| x == "pdf" || x == "docx" || x == "html")
        })
        .collect();
    v.sort();
    v
}

#[test]
fn every_error_on_a_real_document_is_a_reviewed_true_finding() {
    let Some(shared) = common::shared() else {
        return;
    };
    let reviewed = reviewed();
    let mut seen = std::collections::BTreeSet::new();
    let mut unreviewed = Vec::new();
    let files: Vec<PathBuf> = documents(shared.join("real-dev"))
        .into_iter()
        .chain(documents(shared.join("table-bench/files")))
        .collect();
    assert!(files.len() >= 50, "{} real documents", files.len());
    for path in &files {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let Ok(rec) = common::process(path) else {
            continue;
        };
        for f in rec.findings.iter().filter(|f| f.severity == "error") {
            let key = (name.clone(), f.id.clone());
            if reviewed.contains_key(&key) {
                seen.insert(key);
            } else {
                unreviewed.push(format!("{name}\t{}\t{} [{}]", f.id, f.message, f.rule));
            }
        }
    }
    assert!(
        unreviewed.is_empty(),
        "errors on real documents that no reader has confirmed (read each in its document; \
         fix the false ones, list the true ones in tests/reviewed/true-findings.tsv):\n{}",
        unreviewed.join("\n")
    );
    let gone: Vec<_> = reviewed.keys().filter(|k| !seen.contains(*k)).collect();
    assert!(
        gone.is_empty(),
        "reviewed true findings no longer found (a lost true finding, or a changed id): {gone:?}"
    );
}

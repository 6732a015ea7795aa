//! `datapackage.json` describes every CSV of a run truly: its columns, their
//! types, the keys. Checked here cell by cell, and by the Frictionless
//! validator itself where it is installed (`.ci/run` installs it).

mod common;

use std::collections::{HashMap, HashSet};
use std::path::Path;

use serde_json::Value;

fn valid(kind: &str, v: &str) -> bool {
    match kind {
        "string" => true,
        "integer" => v.parse::<i64>().is_ok(),
        "number" => v.parse::<f64>().is_ok() && !v.contains(['e', 'E']),
        "date" => {
            let b = v.as_bytes();
            b.len() == 10
                && b[4] == b'-'
                && b[7] == b'-'
                && v[..4].parse::<u16>().is_ok()
                && v[5..7].parse::<u8>().is_ok_and(|m| (1..=12).contains(&m))
                && v[8..].parse::<u8>().is_ok_and(|d| (1..=31).contains(&d))
        }
        other => panic!("a type the package does not use: {other}"),
    }
}

/// The rows of a resource, as maps from column to cell.
fn rows(out: &Path, r: &Value) -> Vec<HashMap<String, String>> {
    let mut reader = csv::Reader::from_path(out.join(r["path"].as_str().unwrap())).unwrap();
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    let fields: Vec<&str> = r["schema"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        header, fields,
        "{}: the header is the schema's fields",
        r["path"]
    );
    reader
        .records()
        .map(|rec| {
            header
                .iter()
                .cloned()
                .zip(rec.unwrap().iter().map(String::from))
                .collect()
        })
        .collect()
}

fn key(row: &HashMap<String, String>, fields: &Value) -> Vec<String> {
    fields
        .as_array()
        .unwrap()
        .iter()
        .map(|f| row[f.as_str().unwrap()].clone())
        .collect()
}

/// Every cell has its column's type, required cells are present, primary
/// keys are unique and foreign keys resolve; goal and measure columns name
/// rows of their files.
fn check(out: &Path) {
    let d: Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("datapackage.json")).unwrap())
            .unwrap();
    assert_eq!(d["profile"], "tabular-data-package");
    let resources = d["resources"].as_array().unwrap();
    let mut files: Vec<String> = std::fs::read_dir(out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".csv"))
        .collect();
    files.sort();
    let mut described: Vec<String> = resources
        .iter()
        .map(|r| r["path"].as_str().unwrap().to_string())
        .collect();
    described.sort();
    assert_eq!(files, described, "every CSV is described");
    let data: HashMap<&str, Vec<HashMap<String, String>>> = resources
        .iter()
        .map(|r| (r["name"].as_str().unwrap(), rows(out, r)))
        .collect();
    for r in resources {
        let name = r["name"].as_str().unwrap();
        let schema = &r["schema"];
        for row in &data[name] {
            for f in schema["fields"].as_array().unwrap() {
                let col = f["name"].as_str().unwrap();
                let v = &row[col];
                if v.is_empty() {
                    assert!(
                        f["constraints"]["required"] != true,
                        "{name}.{col} is required but empty in {row:?}"
                    );
                    continue;
                }
                let kind = f["type"].as_str().unwrap();
                assert!(valid(kind, v), "{name}.{col} = {v:?} is not a {kind}");
            }
        }
        let mut seen = HashSet::new();
        for row in &data[name] {
            assert!(
                seen.insert(key(row, &schema["primaryKey"])),
                "{name}: primary key repeats: {row:?}"
            );
        }
        for fk in schema["foreignKeys"].as_array().into_iter().flatten() {
            let target = fk["reference"]["resource"].as_str().unwrap();
            let there: HashSet<Vec<String>> = data[target]
                .iter()
                .map(|t| key(t, &fk["reference"]["fields"]))
                .collect();
            for row in &data[name] {
                assert!(
                    there.contains(&key(row, &fk["fields"])),
                    "{name} → {target}: {row:?}"
                );
            }
        }
    }
    // Links the descriptions state: (document, goal) and (document, measure).
    let goals: HashSet<(String, String)> = data["goals"]
        .iter()
        .map(|g| (g["document"].clone(), g["goal"].clone()))
        .collect();
    let measures: HashSet<(String, String)> = data["measures"]
        .iter()
        .map(|m| (m["document"].clone(), m["measure"].clone()))
        .collect();
    for (file, rows) in [
        ("measures", &data["measures"]),
        ("amounts", &data["amounts"]),
    ] {
        for row in rows {
            if !row["goal"].is_empty() {
                assert!(
                    goals.contains(&(row["document"].clone(), row["goal"].clone())),
                    "{file}: {row:?}"
                );
            }
        }
    }
    for row in &data["amounts"] {
        if !row["measure"].is_empty() {
            assert!(
                measures.contains(&(row["document"].clone(), row["measure"].clone())),
                "{row:?}"
            );
        }
        if !row["repeats"].is_empty() {
            let repeated = data["amounts"]
                .iter()
                .find(|a| a["document"] == row["document"] && a["amount"] == row["repeats"])
                .unwrap_or_else(|| panic!("repeats names an amount: {row:?}"));
            assert!(
                repeated["repeats"].is_empty(),
                "a repeat points at a counted figure"
            );
        }
    }
}

/// `frictionless validate`, when the validator is installed (required on CI).
fn frictionless(out: &Path) {
    // The probe's ImportError traceback is the answer "not installed", not
    // something for the test's output.
    let found = std::process::Command::new("python3")
        .args(["-c", "import frictionless"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !found {
        return common::skip_unless_ci(
            "frictionless validate: the Python package is not installed (pip install frictionless; .ci/run installs it)",
        );
    }
    let o = std::process::Command::new("python3")
        .args([
            "-c",
            "import sys, frictionless; r = frictionless.validate(sys.argv[1]); print(r.to_summary() if not r.valid else 'valid'); sys.exit(0 if r.valid else 1)",
        ])
        .arg(out.join("datapackage.json"))
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "frictionless: {}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
}

#[test]
fn the_corpus_and_the_genre_fixtures_make_a_valid_data_package() {
    let root = common::tempdir("datapackage");
    let out = root.join("out");
    let o = common::run_cli(
        &["--in-process"],
        &out,
        &[
            &common::root().join("corpus"),
            &common::root().join("fixtures/genre"),
        ],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    check(&out);
    frictionless(&out);
}

#[test]
fn real_documents_make_a_valid_data_package() {
    let Some(shared) = common::shared() else {
        return;
    };
    let root = common::tempdir("datapackage-real");
    let out = root.join("out");
    let o = common::run_cli(&["--in-process"], &out, &[&shared.join("real-dev")]);
    assert!(
        o.status.code().is_some(),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    check(&out);
    frictionless(&out);
}

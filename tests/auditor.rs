//! An auditor's year: configure the rules, run, write a baseline, waive what
//! was reviewed, and see only what is new; machine-readable output for the
//! tools around (SARIF, JSON lines).

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn plansjekk(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_plansjekk"))
        .current_dir(dir)
        .args(args)
        .env_remove("NO_COLOR")
        .output()
        .unwrap()
}

fn check_json(dir: &Path, args: &[&str]) -> Value {
    let mut all = vec!["check", "--in-process", "--format", "json"];
    all.extend_from_slice(args);
    let o = plansjekk(dir, &all);
    serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&o.stderr)))
}

fn finding_ids(v: &Value) -> Vec<String> {
    v["documents"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|d| d["findings"].as_array().unwrap().iter())
        .map(|f| f["id"].as_str().unwrap().to_string())
        .collect()
}

/// The first few ways `value` breaks `schema`.
fn schema_errors(schema: &Value, value: &Value) -> Vec<String> {
    let validator = jsonschema::validator_for(schema).unwrap();
    validator
        .iter_errors(value)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .take(5)
        .collect()
}

const PLAN: &str = "handlingsplan-2025-bygdevekst-indre-namdal.txt";

#[test]
fn a_baseline_leaves_nothing_new_and_a_waiver_shows_as_waived() {
    let dir = common::tempdir("auditor-baseline");
    let corpus = common::root().join("corpus");
    let corpus_s = corpus.to_string_lossy().into_owned();
    // Findings at error level: exit 1 by default, as linters do.
    let o = plansjekk(&dir, &["check", "--in-process", &corpus_s]);
    assert_eq!(o.status.code(), Some(1));
    let o = plansjekk(
        &dir,
        &["check", "--in-process", "--fail-on", "never", &corpus_s],
    );
    assert_eq!(o.status.code(), Some(0));

    let o = plansjekk(&dir, &["baseline", "--in-process", &corpus_s]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let baseline: Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join("plansjekk-baseline.json")).unwrap(),
    )
    .unwrap();
    let known = baseline["findings"].as_array().unwrap().len();
    assert!(known > 0);

    // The same documents again: nothing new, exit 0.
    let o = plansjekk(
        &dir,
        &[
            "check",
            "--in-process",
            "--baseline",
            "plansjekk-baseline.json",
            &corpus_s,
        ],
    );
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );
    let v = check_json(&dir, &["--baseline", "plansjekk-baseline.json", &corpus_s]);
    assert_eq!(v["summary"]["errors"], 0);
    assert_eq!(v["summary"]["warnings"], 0);
    assert_eq!(v["summary"]["baseline"], known);
    assert_eq!(v["summary"]["fixed"], 0);

    // One finding reviewed and waived, one waiver for a finding that is gone.
    let waived = baseline["findings"][0]["id"].as_str().unwrap().to_string();
    std::fs::write(
        dir.join("waivers.toml"),
        format!(
            "[[waiver]]\nfinding = \"{waived}\"\nreviewer = \"Kari Nordmann\"\ndate = \"2026-11-30\"\nreason = \"Checked against the adopted budget.\"\n\n\
             [[waiver]]\nfinding = \"row-sum-0000000000000000\"\nreviewer = \"Ola Nordmann\"\ndate = \"2025-11-01\"\nreason = \"Last year's.\"\n"
        ),
    )
    .unwrap();
    let v = check_json(&dir, &["--waivers", "waivers.toml", &corpus_s]);
    let statuses: Vec<(String, String)> = v["documents"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|d| d["findings"].as_array().unwrap().iter())
        .map(|f| {
            (
                f["id"].as_str().unwrap().into(),
                f["status"].as_str().unwrap().into(),
            )
        })
        .collect();
    for (id, status) in &statuses {
        assert_eq!(status, if *id == waived { "waived" } else { "new" }, "{id}");
    }
    assert_eq!(v["summary"]["waived"], 1);
    assert_eq!(v["stale_waivers"][0]["finding"], "row-sum-0000000000000000");
    let text = String::from_utf8(
        plansjekk(
            &dir,
            &[
                "check",
                "--in-process",
                "--waivers",
                "waivers.toml",
                &corpus_s,
            ],
        )
        .stdout,
    )
    .unwrap();
    assert!(text.contains("waived: ") && text.contains(&waived));
    assert!(text.contains("stale waiver: row-sum-0000000000000000"));

    // The run's report and findings.csv show it as waived, through the
    // configuration file in the working folder.
    std::fs::write(dir.join("plansjekk.toml"), "waivers = \"waivers.toml\"\n").unwrap();
    let o = plansjekk(&dir, &["run", "--in-process", "--out", "out", &corpus_s]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    // On the pages of the documents, beside the index.
    let mut html = std::fs::read_to_string(dir.join("out/report.html")).unwrap();
    for page in std::fs::read_dir(dir.join("out/report")).unwrap() {
        html.push_str(&std::fs::read_to_string(page.unwrap().path()).unwrap());
    }
    assert!(html.contains(&format!("data-finding=\"{waived}\" data-status=\"waived\"")));
    assert!(html.contains("Waived by Kari Nordmann on 2026-11-30"));
    let csv = std::fs::read_to_string(dir.join("out/findings.csv")).unwrap();
    let row = csv.lines().find(|l| l.contains(&waived)).unwrap();
    assert!(row.contains(",waived,"), "{row}");
}

#[test]
fn editing_one_cell_makes_one_new_finding_and_keeps_every_other_id() {
    let dir = common::tempdir("auditor-ids");
    let plan = dir.join("plan.txt");
    let text = std::fs::read_to_string(common::corpus(PLAN)).unwrap();
    std::fs::write(&plan, &text).unwrap();
    let before = finding_ids(&check_json(&dir, &["plan.txt"]));
    // Ids do not depend on lines: a paragraph added before Delmål 2 moves
    // the lines of every finding after it but changes none.
    let mut lines: Vec<&str> = text.split('\n').collect();
    let at = lines
        .iter()
        .rposition(|l| l.starts_with("Delmål 2"))
        .unwrap();
    lines.insert(
        at,
        "Dette avsnittet er lagt til og flytter linjene etter seg.\n",
    );
    let moved = lines.join("\n");
    std::fs::write(&plan, &moved).unwrap();
    assert_eq!(finding_ids(&check_json(&dir, &["plan.txt"])), before);
    // "Total bruk av Bygdevekstmidler i 2025 | 6 550 000 kr" made 7 550 000.
    let edited = text.replacen("\t6 550 000 kr", "\t7 550 000 kr", 1);
    assert_ne!(edited, text);
    std::fs::write(&plan, &edited).unwrap();
    let after = finding_ids(&check_json(&dir, &["plan.txt"]));
    let new: Vec<&String> = after.iter().filter(|i| !before.contains(i)).collect();
    let gone: Vec<&String> = before.iter().filter(|i| !after.contains(i)).collect();
    assert_eq!(new.len(), 1, "one new finding: {new:?}");
    assert!(new[0].starts_with("column-sum-"), "{new:?}");
    assert!(gone.is_empty(), "every other id kept: {gone:?}");
}

/// The SARIF 2.1.0 schema, as the serde-sarif crate (a dev-dependency)
/// ships it in cargo's registry.
fn sarif_schema() -> Option<PathBuf> {
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))?;
    let registry = home.join("registry/src");
    for index in std::fs::read_dir(registry).ok()?.flatten() {
        for krate in std::fs::read_dir(index.path()).ok()?.flatten() {
            let name = krate.file_name().to_string_lossy().into_owned();
            if name.starts_with("serde-sarif-") {
                let p = krate.path().join("src/schema.json");
                if p.is_file() {
                    return Some(p);
                }
            }
        }
    }
    None
}

#[test]
fn sarif_output_is_valid_sarif_2_1_0() {
    let dir = common::tempdir("auditor-sarif");
    let corpus = common::root().join("corpus");
    let o = plansjekk(
        &dir,
        &[
            "check",
            "--in-process",
            "--format",
            "sarif",
            &corpus.to_string_lossy(),
        ],
    );
    let log: Value = serde_json::from_slice(&o.stdout).unwrap();
    // Typed: the SARIF object model reads it.
    let typed: serde_sarif::sarif::Sarif = serde_json::from_value(log.clone()).unwrap();
    assert_eq!(typed.runs.len(), 1);
    let results = log["runs"][0]["results"].as_array().unwrap();
    let json = check_json(&dir, &[&corpus.to_string_lossy()]);
    assert_eq!(results.len(), finding_ids(&json).len());
    assert!(results
        .iter()
        .all(|r| r["partialFingerprints"]["plansjekkFindingId/v1"].is_string()));
    // And against the schema.
    match sarif_schema() {
        Some(path) => {
            let mut schema: Value =
                serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
            // The official schema's pattern for `run.language` has a stray
            // "]" that the validator's ECMA-262 regex check refuses: escape it.
            fn escape_stray(v: &mut Value) {
                match v {
                    Value::Object(m) => {
                        for (k, x) in m.iter_mut() {
                            match x {
                                Value::String(p)
                                    if k == "pattern"
                                        && p.matches('[').count() < p.matches(']').count() =>
                                {
                                    *p = p.replace("]?$", "\\]?$");
                                }
                                _ => escape_stray(x),
                            }
                        }
                    }
                    Value::Array(a) => a.iter_mut().for_each(escape_stray),
                    _ => {}
                }
            }
            escape_stray(&mut schema);
            let errors = schema_errors(&schema, &log);
            assert!(errors.is_empty(), "{errors:?}");
        }
        None => common::skip_unless_ci(
            "the SARIF schema check: serde-sarif's schema.json is not in cargo's registry",
        ),
    }
}

#[test]
fn json_lines_and_the_check_schema() {
    let dir = common::tempdir("auditor-jsonl");
    let plan = common::corpus(PLAN);
    let o = plansjekk(
        &dir,
        &[
            "check",
            "--in-process",
            "--format",
            "jsonl",
            &plan.to_string_lossy(),
        ],
    );
    let lines: Vec<Value> = String::from_utf8(o.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(!lines.is_empty());
    assert!(lines
        .iter()
        .all(|l| l["type"] == "finding" && l["status"] == "new"));
    let v = check_json(&dir, &[&plan.to_string_lossy()]);
    assert_eq!(lines.len(), finding_ids(&v).len());
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(common::root().join("schemas/check.schema.json")).unwrap(),
    )
    .unwrap();
    let errors = schema_errors(&schema, &v);
    assert!(errors.is_empty(), "{errors:?}");
}

#[test]
fn colour_follows_the_flag_and_no_color() {
    let dir = common::tempdir("auditor-color");
    let plan = common::corpus(PLAN).to_string_lossy().into_owned();
    let always = plansjekk(&dir, &["check", "--in-process", "--color", "always", &plan]);
    assert!(String::from_utf8_lossy(&always.stdout).contains('\u{1b}'));
    // Piped (not a terminal): no colour by default.
    let auto = plansjekk(&dir, &["check", "--in-process", &plan]);
    assert!(!String::from_utf8_lossy(&auto.stdout).contains('\u{1b}'));
}

#[test]
fn configuration_selects_rules_and_skips_non_documents() {
    let dir = common::tempdir("auditor-config");
    let docs = dir.join("docs");
    std::fs::create_dir_all(&docs).unwrap();
    std::fs::copy(common::corpus(PLAN), docs.join("plan.txt")).unwrap();
    std::fs::write(docs.join("Cargo.lock"), "# not a plan\n").unwrap();
    std::fs::write(docs.join("NOTES.md"), "# notes\n").unwrap();
    std::fs::write(docs.join("bilde.png"), [0x89, b'P', b'N', b'G']).unwrap();
    std::fs::write(
        dir.join("plansjekk.toml"),
        "select = [\"column-sum\", \"toc-mismatch\"]\n[severity]\ntoc-mismatch = \"error\"\n",
    )
    .unwrap();
    let v = check_json(&dir, &["docs"]);
    let findings = v["documents"][0]["findings"].as_array().unwrap();
    assert!(!findings.is_empty());
    assert!(findings
        .iter()
        .all(|f| f["rule"] == "column-sum" || f["rule"] == "toc-mismatch"));
    assert!(findings
        .iter()
        .filter(|f| f["rule"] == "toc-mismatch")
        .all(|f| f["severity"] == "error"));
    assert_eq!(
        v["documents"].as_array().unwrap().len(),
        1,
        "only the plan is read"
    );
    // A run lists the others as skipped, not failed.
    let o = plansjekk(&dir, &["run", "--in-process", "--out", "out", "docs"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let m = common::manifest(&dir.join("out"));
    let skipped: Vec<&str> = m["documents"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["status"] == "skipped")
        .map(|d| d["path"].as_str().unwrap())
        .collect();
    assert_eq!(skipped.len(), 3, "{skipped:?}");
    assert_eq!(m["summary"]["skipped"], 3);
    // Unknown keys and rules are clear errors, exit 2.
    std::fs::write(dir.join("plansjekk.toml"), "selekt = [\"column-sum\"]\n").unwrap();
    let o = plansjekk(&dir, &["check", "docs"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("selekt"));
    std::fs::write(dir.join("plansjekk.toml"), "ignore = [\"colum-sum\"]\n").unwrap();
    let o = plansjekk(&dir, &["check", "docs"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("no rule «colum-sum»"));
    // The command line adds to the file.
    std::fs::remove_file(dir.join("plansjekk.toml")).unwrap();
    let v = check_json(&dir, &["--ignore", "toc-mismatch", "docs"]);
    let rules: Vec<&str> = v["documents"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    assert!(!rules.is_empty() && !rules.contains(&"toc-mismatch"));
    let o = plansjekk(&dir, &["check", "--exclude", "**/plan.txt", "docs"]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("no documents found") && err.contains("4 files skipped"),
        "{err}"
    );
}

/// The README's configuration and waiver examples are files plansjekk takes.
#[test]
fn the_readme_examples_are_valid() {
    let readme = std::fs::read_to_string(common::root().join("README.md")).unwrap();
    let blocks: Vec<String> = readme
        .split("```toml\n")
        .skip(1)
        .map(|b| b.split("```").next().unwrap().to_string())
        .collect();
    assert!(blocks.len() >= 2, "a configuration and a waiver example");
    let dir = common::tempdir("auditor-readme");
    std::fs::write(dir.join("plansjekk.toml"), &blocks[0]).unwrap();
    std::fs::write(dir.join("plansjekk-waivers.toml"), &blocks[1]).unwrap();
    std::fs::write(
        dir.join("plansjekk-baseline.json"),
        r#"{"plansjekk_baseline": 1, "findings": []}"#,
    )
    .unwrap();
    let o = plansjekk(
        &dir,
        &[
            "check",
            "--in-process",
            "--fail-on",
            "never",
            &common::corpus(PLAN).to_string_lossy(),
        ],
    );
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(
        text.contains("stale waiver: text-vs-table-3f2a9c1e7b4d0a11"),
        "{text}"
    );
}

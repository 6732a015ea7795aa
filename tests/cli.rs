//! The command line as a user meets it.

mod common;

use std::process::Command;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_plansjekk"))
}

#[test]
fn schema_command_prints_the_schema_file() {
    let out = bin().arg("schema").output().unwrap();
    assert!(out.status.success());
    let printed: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        printed["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(
        bin()
            .arg("run")
            .arg("--no-such-flag")
            .status()
            .unwrap()
            .code(),
        Some(2)
    );
    assert_eq!(
        bin()
            .args(["run", "/no/such/folder"])
            .status()
            .unwrap()
            .code(),
        Some(2)
    );
}

/// Same inputs, byte-identical outputs, whatever the number of threads.
#[test]
fn runs_are_deterministic_across_thread_counts() {
    let (a, b) = (common::tempdir("det1"), common::tempdir("det4"));
    for (dir, jobs) in [(&a, "1"), (&b, "4")] {
        let st = bin()
            .args(["run", "--jobs", jobs, "--out"])
            .arg(dir)
            .arg(common::root().join("corpus"))
            .status()
            .unwrap();
        assert_eq!(st.code(), Some(0));
    }
    let list = |d: &std::path::Path| {
        let mut v: Vec<_> = std::fs::read_dir(d.join("documents"))
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        v.sort();
        v
    };
    assert_eq!(list(&a), list(&b));
    for name in list(&a) {
        assert_eq!(
            std::fs::read(a.join("documents").join(&name)).unwrap(),
            std::fs::read(b.join("documents").join(&name)).unwrap(),
            "{name:?}"
        );
    }
    let manifest = |d: &std::path::Path| {
        std::fs::read_to_string(d.join("manifest.json"))
            .unwrap()
            .replace(&d.display().to_string(), "")
    };
    assert_eq!(manifest(&a), manifest(&b));
}

#[test]
fn check_exit_status_follows_fail_on() {
    let plan = common::corpus("handlingsplan-2025-bygdevekst-indre-namdal.txt");
    let clean = common::corpus("bolyst-arsrapport-2014-midt-troms.txt");
    let status = |args: &[&str], file: &std::path::Path| {
        bin()
            .arg("check")
            .args(args)
            .arg(file)
            .output()
            .unwrap()
            .status
            .code()
    };
    assert_eq!(
        status(&[], &plan),
        Some(1),
        "as linters do: errors fail by default"
    );
    assert_eq!(status(&["--fail-on", "never"], &plan), Some(0));
    assert_eq!(status(&["--fail-on", "error"], &plan), Some(1));
    assert_eq!(status(&["--fail-on", "warning"], &plan), Some(1));
    assert_eq!(status(&["--fail-on", "error"], &clean), Some(0));
}

/// A sum nothing corroborates is a notice: left out unless asked for, and
/// even then it never fails a check.
#[test]
fn notices_are_kept_only_on_request_and_never_fail() {
    let misread = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/corroboration/batch2/silent--unreconciled-two-columns.txt");
    let check = |args: &[&str]| {
        let out = bin()
            .args(["check", "--format", "json"])
            .args(args)
            .arg(&misread)
            .output()
            .unwrap();
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let severities: Vec<String> = v["documents"][0]["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["severity"].as_str().unwrap().to_string())
            .collect();
        (out.status.code(), severities)
    };
    assert_eq!(check(&[]), (Some(0), vec![]));
    let (status, severities) = check(&["--notices", "--fail-on", "warning"]);
    assert_eq!(status, Some(0), "a notice fails nothing");
    assert!(
        !severities.is_empty() && severities.iter().all(|s| s == "notice"),
        "{severities:?}"
    );
}

#[test]
fn check_prints_source_lines_and_json() {
    let plan = common::corpus("handlingsplan-2025-bygdevekst-indre-namdal.txt");
    let out = bin().arg("check").arg(&plan).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    // The design card's finding, with its source line and the figure underlined.
    assert!(text.contains("error: the text gives 1 800 000 for Delmål 1 but the table gives 1 900 000 [text-vs-table]"));
    // Line 146 of the file, where the sentence is 337 characters in (line
    // 117 of the normalised text, which `plansjekk text` shows).
    assert!(
        text.contains("handlingsplan-2025-bygdevekst-indre-namdal.txt:146:338 (text line 117)\n"),
        "{text}"
    );
    assert!(text.contains("146 | Til sammen settes det av 1 800 000 kr til dette tiltaket"));
    assert!(text.contains("^^^^^^^^^^^^ stated in the text"));
    assert!(text.contains("1 document: 10 errors, 8 warnings"), "{text}");
    let out = bin()
        .args(["check", "--format", "json"])
        .arg(&plan)
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["summary"]["errors"], 10);
    let findings = v["documents"][0]["findings"].as_array().unwrap();
    let f = findings
        .iter()
        .find(|f| f["rule"] == "text-vs-table")
        .unwrap();
    assert_eq!(f["locations"][0]["highlight"], "1 800 000 kr");
    assert_eq!(f["locations"][0]["column"], 26);
    assert_eq!(f["locations"][0]["line"], 117);
    assert_eq!(
        f["locations"][0]["source"],
        serde_json::json!({"page": null, "line": 146, "paragraph": null, "column": 338})
    );
    assert_eq!(f["difference"], -100000.0);
}

#[test]
fn check_reports_unreadable_documents_and_goes_on() {
    let dir = common::tempdir("check-bad");
    std::fs::write(dir.join("empty.pdf"), b"").unwrap();
    std::fs::copy(
        common::corpus("bolyst-arsrapport-2014-midt-troms.txt"),
        dir.join("ok.txt"),
    )
    .unwrap();
    let out = bin().arg("check").arg(&dir).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("could not be read [empty]"), "{text}");
    assert!(
        text.contains("2 documents: 0 errors, 0 warnings; 1 could not be read"),
        "{text}"
    );
}

#[test]
fn explain_prints_a_rule_and_lists_them_all() {
    let out = bin().args(["explain", "column-sum"]).output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("# column-sum (error)"));
    assert!(text.contains("## What it checks"));
    let out = bin().arg("explain").output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    for id in [
        "column-sum",
        "row-sum",
        "text-vs-table",
        "text-sum",
        "cross-table",
        "count-mismatch",
        "percent-sum",
        "date-conflict",
        "numbering",
        "toc-mismatch",
    ] {
        assert!(text.contains(id), "{id} missing from the list");
    }
    assert_eq!(
        bin()
            .args(["explain", "no-such-rule"])
            .status()
            .unwrap()
            .code(),
        Some(2)
    );
}

#[test]
fn completions_and_the_manual_page_are_generated() {
    let bash = bin().args(["completions", "bash"]).output().unwrap();
    assert!(bash.status.success());
    let script = String::from_utf8(bash.stdout).unwrap();
    assert!(script.contains("plansjekk") && script.contains("--baseline"));
    let man = bin().arg("man").output().unwrap();
    assert!(man.status.success());
    let page = String::from_utf8(man.stdout).unwrap();
    assert!(page.starts_with(".ie") && page.contains(".TH plansjekk 1"));
    assert!(page.contains("check"));
}

#[test]
fn a_zero_timeout_is_refused() {
    let o = bin()
        .args(["run", "--timeout", "0"])
        .arg(common::corpus("strategi-vaernesregionen-2009.txt"))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn a_run_ends_with_its_outputs_and_first_findings() {
    let out = common::tempdir("cli-guide").join("out");
    let o = common::run_cli(
        &["--in-process"],
        &out,
        &[&common::corpus(
            "handlingsplan-2025-bygdevekst-indre-namdal.txt",
        )],
    );
    assert!(o.status.success());
    let err = String::from_utf8(o.stderr).unwrap();
    assert!(
        err.contains("report.html") && err.contains("plansjekk.sqlite"),
        "{err}"
    );
    assert!(
        err.contains(
            "the text gives 1 800 000 for Delmål 1 but the table gives 1 900 000 [text-vs-table]"
        ),
        "{err}"
    );
}

/// An error is said once, with its cause once, and a misspelt rule id gets
/// the id it most likely means.
#[test]
fn errors_are_said_once_and_misspelt_rules_get_a_suggestion() {
    let doc = common::corpus("strategi-vaernesregionen-2009.txt");
    let missing = common::tempdir("cli-missing").join("nope.toml");
    let o = bin()
        .args(["check", "--config"])
        .arg(&missing)
        .arg(&doc)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("nope.toml"), "{err}");
    assert_eq!(err.matches("(os error 2)").count(), 1, "{err}");

    let o = bin().args(["explain", "column-sun"]).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("did you mean «column-sum»?"), "{err}");
    let o = bin()
        .args(["check", "--select", "colum-sum"])
        .arg(&doc)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("did you mean «column-sum»?"), "{err}");
    // Nothing near: no guess.
    let o = bin().args(["explain", "zzz"]).output().unwrap();
    assert!(!String::from_utf8_lossy(&o.stderr).contains("did you mean"));
}

/// `--help` says what each exit status means, as the README does.
#[test]
fn help_names_the_exit_statuses() {
    let o = bin().arg("--help").output().unwrap();
    let help = String::from_utf8_lossy(&o.stdout);
    assert!(help.contains("Exit status:"), "{help}");
    for line in [
        "run     0 every document read",
        "check   0 no new finding",
        "search  0 matches found, 1 none",
    ] {
        assert!(help.contains(line), "{line}: {help}");
    }
}

/// `plansjekk run` with no PATH, as the README's first session runs it:
/// each corpus document once per format, the second renderings in
/// `corpus/chromium/` left out (their findings would be printed again), and
/// the user told so.
#[test]
fn the_default_run_reads_the_corpus_without_its_second_renderings() {
    let out = common::tempdir("default-run");
    let o = bin()
        .current_dir(common::root())
        .args(["run", "--in-process", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(stderr.contains("corpus/chromium/"), "{stderr}");
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("manifest.json")).unwrap()).unwrap();
    let mut paths: Vec<&str> = manifest["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["path"].as_str().unwrap())
        .collect();
    paths.sort();
    let mut top: Vec<String> = std::fs::read_dir(common::root().join("corpus"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .map(|p| format!("corpus/{}", p.file_name().unwrap().to_string_lossy()))
        .collect();
    top.sort();
    assert_eq!(paths, top);
    // Ids are the file names': no rendering shares one.
    assert!(manifest["documents"]
        .as_array()
        .unwrap()
        .iter()
        .all(|d| !d["id"].as_str().unwrap().starts_with("chromium-")));
    // Named, the folder is read whole, renderings too.
    let all = common::tempdir("default-run-all");
    let o = bin()
        .current_dir(common::root())
        .args(["run", "corpus", "--in-process", "--out"])
        .arg(&all)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0));
    let manifest = std::fs::read_to_string(all.join("manifest.json")).unwrap();
    assert!(manifest.contains("corpus/chromium/"));
}

/// `explain` without a rule, piped: each rule's whole summary, the first
/// paragraph of `explain RULE`, never cut with "…".
#[test]
fn explain_piped_prints_whole_summaries() {
    let out = bin().arg("explain").output().unwrap();
    assert!(out.status.success());
    let list = String::from_utf8(out.stdout).unwrap();
    // (Summaries quote with "…" themselves; none ends with it.)
    assert!(!list.lines().any(|l| l.ends_with('…')), "{list}");
    for id in ["column-sum", "text-vs-table", "cross-reference"] {
        let full = String::from_utf8(bin().args(["explain", id]).output().unwrap().stdout).unwrap();
        let summary = full
            .lines()
            .skip_while(|l| l.starts_with('#') || l.trim().is_empty())
            .take_while(|l| !l.trim().is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        assert!(
            summary.len() > 100,
            "{id}: a summary longer than a screen line"
        );
        let line = list.lines().find(|l| l.starts_with(id)).unwrap();
        assert!(line.ends_with(&summary), "{line}");
    }
}

/// `run --timings` lists the documents read, slowest first, with the time
/// of each stage, on stderr (not those a re-run keeps unchanged), and leaves
/// the outputs as a run without it writes them.
#[test]
fn timings_list_each_document_read_slowest_first() {
    let (with, without) = (common::tempdir("timings"), common::tempdir("no-timings"));
    let inputs = [
        common::corpus("handlingsplan-2025-bygdevekst-indre-namdal.txt"),
        common::corpus("distriktssenteret-veiledningspiloten.txt"),
    ];
    let paths: Vec<&std::path::Path> = inputs.iter().map(|p| p.as_path()).collect();
    // With worker processes, which send the stages before the record.
    let run = common::run_cli(&["--timings"], &with, &paths);
    assert_eq!(run.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&run.stderr);
    // A line per document: the whole, then reading, extraction, checks,
    // record and outputs, which add up to it, then the id.
    let listed: Vec<(f64, &str)> = stderr
        .lines()
        .skip_while(|l| !l.starts_with("slowest documents"))
        .skip(2)
        .map_while(|l| {
            let fields: Vec<&str> = l.split_whitespace().collect();
            let [total, stages @ .., id] = fields.as_slice() else {
                return None;
            };
            let total: f64 = total.parse().ok()?;
            let stages: Vec<f64> = stages
                .iter()
                .map(|s| s.parse().ok())
                .collect::<Option<_>>()?;
            assert_eq!(stages.len(), 5, "{l}");
            assert!((stages.iter().sum::<f64>() - total).abs() <= 0.003, "{l}");
            Some((total, *id))
        })
        .collect();
    let mut ids: Vec<&str> = listed.iter().map(|l| l.1).collect();
    ids.sort_unstable();
    assert_eq!(
        ids,
        [
            "distriktssenteret-veiledningspiloten-txt",
            "handlingsplan-2025-bygdevekst-indre-namdal-txt"
        ],
        "{stderr}"
    );
    assert!(listed.windows(2).all(|w| w[0].0 >= w[1].0), "{stderr}");
    let plain = common::run_cli(&[], &without, &paths);
    assert!(!String::from_utf8_lossy(&plain.stderr).contains("slowest documents"));
    assert_eq!(common::files_of(&with), common::files_of(&without));
    // Again, nothing changed: the documents are kept, not read, and not listed.
    let again = common::run_cli(&["--timings"], &with, &paths);
    let stderr = String::from_utf8_lossy(&again.stderr);
    assert!(stderr.contains("no document was read anew"), "{stderr}");
    assert!(!stderr.contains("slowest documents"), "{stderr}");
}

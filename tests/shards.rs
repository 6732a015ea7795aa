//! Past one machine: `run --shard K/N` runs a slice of the inputs, and
//! `merge` joins the slices' folders into what one run writes.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn plansjekk(args: &[&str], paths: &[&Path]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_plansjekk"))
        .args(args)
        .args(paths)
        .output()
        .unwrap()
}

/// A shard's and a merge's manifests follow the manifest's schema too.
fn assert_manifest_valid(m: &serde_json::Value) {
    let schema: serde_json::Value =
        serde_json::from_str(include_str!("../schemas/manifest.schema.json")).unwrap();
    let validator = jsonschema::draft202012::new(&schema).expect("the schema itself is valid");
    let errors: Vec<String> = validator.iter_errors(m).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{errors:#?}");
}

fn files(dir: &Path, under: &str) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir.join(under))
        .unwrap()
        .map(|e| format!("{under}{}", e.unwrap().file_name().to_string_lossy()))
        .filter(|n| n.ends_with(".csv") || n.ends_with(".html"))
        .collect();
    v.sort();
    v
}

#[test]
fn four_shards_merged_are_one_run() {
    let root = common::tempdir("shards");
    let inputs = [
        common::root().join("corpus"),
        common::root().join("fixtures/genre"),
    ];
    let inputs: Vec<&Path> = inputs.iter().map(PathBuf::as_path).collect();
    let whole = root.join("whole");
    let o = common::run_cli(&["--in-process"], &whole, &inputs);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let shards: Vec<PathBuf> = (1..=4).map(|k| root.join(format!("shard-{k}"))).collect();
    let mut seen = 0;
    for (k, dir) in shards.iter().enumerate() {
        let o = common::run_cli(
            &["--in-process", "--shard", &format!("{}/4", k + 1)],
            dir,
            &inputs,
        );
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let m = common::manifest(dir);
        assert_manifest_valid(&m);
        let n = m["documents"].as_array().unwrap().len();
        assert!(n > 0, "shard {} has documents", k + 1);
        seen += n;
    }
    let all = common::manifest(&whole)["documents"]
        .as_array()
        .unwrap()
        .len();
    assert_eq!(seen, all, "the shards together are every input once");
    let merged = root.join("merged");
    // Given in any order.
    let mut args = vec!["merge", "--out"];
    let merged_s = merged.to_string_lossy().into_owned();
    args.push(&merged_s);
    let order = [&shards[2], &shards[0], &shards[3], &shards[1]];
    let o = plansjekk(&args, &order.map(PathBuf::as_path));
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let mut csvs = files(&whole, "");
    csvs.extend(files(&whole, "tables/"));
    csvs.extend(files(&whole, "report/"));
    assert_eq!(csvs, {
        let mut m = files(&merged, "");
        m.extend(files(&merged, "tables/"));
        m.extend(files(&merged, "report/"));
        m
    });
    assert!(csvs.len() > 10 && csvs.iter().any(|f| f.starts_with("report/")));
    for f in csvs
        .iter()
        .chain(&["datapackage.json".to_string(), "report.html".to_string()])
    {
        assert!(
            std::fs::read(whole.join(f)).unwrap() == std::fs::read(merged.join(f)).unwrap(),
            "{f} differs between one run and the merged shards"
        );
    }
    assert_eq!(
        common::manifest(&whole)["documents"],
        common::manifest(&merged)["documents"]
    );
    assert_manifest_valid(&common::manifest(&merged));
    // The merged knowledge base is one run's, byte for byte: the running
    // text, which records do not carry, read from the shards' knowledge
    // bases.
    assert!(
        std::fs::read(whole.join("plansjekk.sqlite")).unwrap()
            == std::fs::read(merged.join("plansjekk.sqlite")).unwrap(),
        "the knowledge base differs between one run and the merged shards"
    );
    // The merged knowledge base holds every document.
    let c = rusqlite::Connection::open(merged.join("plansjekk.sqlite")).unwrap();
    let text: i64 = c
        .query_row(
            "SELECT count(*) FROM passages WHERE kind = 'paragraph'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(text > 100, "the running text is there: {text} paragraphs");
    let n: i64 = c
        .query_row("SELECT count(*) FROM documents", [], |r| r.get(0))
        .unwrap();
    let read = common::manifest(&whole)["documents"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["status"] != "skipped")
        .count();
    assert_eq!(n as usize, read);

    // Merged with waivers: the reviewed finding is marked, as a run marks it.
    let csv = std::fs::read_to_string(merged.join("findings.csv")).unwrap();
    let first = csv
        .lines()
        .nth(1)
        .unwrap()
        .split(',')
        .nth(1)
        .unwrap()
        .to_string();
    let waivers = root.join("waivers.toml");
    std::fs::write(
        &waivers,
        format!("[[waiver]]\nfinding = \"{first}\"\nreviewer = \"Kari\"\ndate = \"2026-11-30\"\nreason = \"Reviewed.\"\n"),
    )
    .unwrap();
    let reviewed = root.join("reviewed");
    let o = plansjekk(
        &[
            "merge",
            "--waivers",
            &waivers.to_string_lossy(),
            "--out",
            &reviewed.to_string_lossy(),
        ],
        &shards.iter().map(PathBuf::as_path).collect::<Vec<_>>(),
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let csv = std::fs::read_to_string(reviewed.join("findings.csv")).unwrap();
    let row = csv.lines().find(|l| l.contains(&first)).unwrap();
    assert!(row.contains(",waived,"), "{row}");

    // A missing shard is refused, naming what was given.
    let o = plansjekk(&args, &[&shards[0], &shards[1], &shards[3]]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("expected the 4 shards"), "{err}");
    // So is a shard made with other options: another time limit, one no
    // document of the corpus can reach however slow the machine.
    let other = root.join("other");
    let o = common::run_cli(
        &["--in-process", "--shard", "2/4", "--timeout", "3600"],
        &other,
        &inputs,
    );
    assert!(o.status.success());
    let o = plansjekk(&args, &[&shards[0], &other, &shards[2], &shards[3]]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("other options"));
}

#[test]
fn a_shard_that_is_not_k_of_n_is_a_usage_error() {
    let root = common::tempdir("shard-usage");
    for bad in ["0/4", "5/4", "3", "a/b", "1/0"] {
        let o = common::run_cli(
            &["--shard", bad],
            &root.join("out"),
            &[&common::corpus("strategi-vaernesregionen-2009.txt")],
        );
        assert_eq!(o.status.code(), Some(2), "{bad}");
    }
}

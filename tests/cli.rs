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

//! Hostile and damaged inputs: every one gets a result or a classified error,
//! never a panic, and the batch carries on.

mod common;

use std::process::Command;

use common::{process, shared};

fn class(path: &std::path::Path) -> String {
    match process(path) {
        Ok(_) => "ok".into(),
        Err(e) => e.class,
    }
}

#[test]
fn damaged_action_plans_are_classified() {
    let Some(shared) = shared() else { return };
    let dir = shared.join("corpus-pdf/damaged");
    let expect = [
        ("handlingsplan-zero.pdf", &["empty"][..]),
        ("handlingsplan-enc_aes256_userpw.pdf", &["encrypted"]),
        // Encrypted with an empty user password: opened, as a PDF viewer would.
        ("handlingsplan-enc_aes256_emptypw.pdf", &["ok"]),
        ("handlingsplan-enc_rc4_128_emptypw.pdf", &["ok"]),
        // Broken cross-reference data is rebuilt by lopdf.
        ("handlingsplan-xref_wrong_startxref.pdf", &["ok"]),
        ("handlingsplan-xref_shifted_offsets.pdf", &["ok"]),
        ("handlingsplan-xref_garbage.pdf", &["ok"]),
        ("handlingsplan-truncated_tail.pdf", &["ok"]),
        ("handlingsplan-truncated_half.pdf", &["ok", "corrupt"]),
        ("handlingsplan-corrupt_streams.pdf", &["ok", "corrupt"]),
    ];
    for (name, allowed) in expect {
        let got = class(&dir.join(name));
        assert!(
            allowed.contains(&got.as_str()),
            "{name}: {got}, expected one of {allowed:?}"
        );
    }
}

#[test]
fn password_opens_a_user_password_pdf() {
    let Some(shared) = shared() else { return };
    let bytes =
        std::fs::read(shared.join("corpus-pdf/damaged/handlingsplan-enc_aes256_userpw.pdf"))
            .unwrap();
    let options = plansjekk::ingest::IngestOptions {
        passwords: vec!["u".into()],
        ..Default::default()
    };
    let rec = plansjekk::pipeline::process_bytes("x", "x", &bytes, &options)
        .expect("opens with its password");
    assert_eq!(rec.source.pages, Some(32));
}

#[test]
fn no_robustness_file_panics_or_hangs_in_process() {
    let Some(shared) = shared() else { return };
    let files =
        plansjekk::pipeline::collect_inputs(&[shared.join("pdf-robustness/files")]).unwrap();
    assert!(files.len() >= 70);
    for f in &files {
        let c = class(f);
        assert_ne!(c, "panic", "{} panicked", f.display());
    }
}

/// The batch over damaged files: failures are in the manifest, the good files
/// are written, the exit status is 1, and no temporary file is left.
#[test]
fn batch_isolates_failures() {
    let Some(shared) = shared() else { return };
    let out = common::tempdir("batch");
    let status = Command::new(env!("CARGO_BIN_EXE_plansjekk"))
        .args(["run", "--jobs", "2", "--out"])
        .arg(&out)
        .arg(shared.join("corpus-pdf/damaged"))
        .arg(common::corpus("bolyst-arsrapport-2014-midt-troms.txt"))
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(1));
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("manifest.json")).unwrap()).unwrap();
    let docs = manifest["documents"].as_array().unwrap();
    assert_eq!(docs.len(), 11);
    let failed: Vec<&str> = docs
        .iter()
        .filter(|d| d["status"] == "failed")
        .map(|d| d["error"]["class"].as_str().unwrap())
        .collect();
    assert!(
        failed.contains(&"empty") && failed.contains(&"encrypted"),
        "{failed:?}"
    );
    let written = std::fs::read_dir(out.join("documents")).unwrap().count();
    assert_eq!(written, docs.len() - failed.len());
    assert!(std::fs::read_dir(out.join("documents")).unwrap().all(|e| !e
        .unwrap()
        .file_name()
        .to_string_lossy()
        .ends_with(".tmp")));
}

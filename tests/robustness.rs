//! Hostile and damaged inputs: every one gets a result or a classified error,
//! never a panic, and the batch carries on.

mod common;

use std::process::Command;
use std::time::{Duration, Instant};

use common::{process, shared};

/// The 5 000-page hostile PDF: the slowest document there is to read (about
/// 57 s in a debug build and 9 s in release on two cores, until its budget of
/// drawing operations is spent), so a short time limit fires on it whatever
/// the machine.
const SLOW_PDF: &str = "hostile/crafted-pdf-hang-5000pages-x-1.9Mops.pdf";

/// Polls `f` every 50 ms until it gives a value or `limit` has passed. The
/// limit is for a test that would otherwise hang, not a measure of speed.
fn wait_for<T>(limit: Duration, mut f: impl FnMut() -> Option<T>) -> Option<T> {
    let start = Instant::now();
    loop {
        if let Some(v) = f() {
            return Some(v);
        }
        if start.elapsed() > limit {
            return None;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

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

/// Each hostile file (../shared/hostile: tiny files that cost gigabytes or
/// minutes to a naive reader) gives a record or a classified failure in this
/// process: limits apply before the work, so none of them can take the
/// process down.
#[test]
fn hostile_inputs_are_bounded_in_process() {
    let Some(shared) = shared() else { return };
    let dir = shared.join("hostile");
    let expect = [
        // /Count 2^32 and 9 999 999 999: the pages actually present are read.
        ("pdf-oom-6762863218ef.pdf", "ok"),
        ("pdf-oom-4b621de259f6.pdf", "ok"),
        // A content stream that inflates to 200 MB; 100 M glyphs.
        ("crafted-pdf-oom-100M-ops.pdf", "limit"),
        ("crafted-pdf-oom-100M-glyphs.pdf", "limit"),
        // 5 000 pages of 1.9 M operations: read up to the document's budget.
        ("crafted-pdf-hang-5000pages-x-1.9Mops.pdf", "ok"),
        // ToUnicode ranges of 2^32 and 1.1 M codes: the map is not used.
        ("crafted-pdf-hang-tounicode-bfrange-2pow32.pdf", "ok"),
        ("pdf-hang-951e97e7a859.pdf", "ok"),
        // word/document.xml inflates to 250 MB.
        ("crafted-docx-oom-250MB-document-xml.docx", "limit"),
    ];
    for (name, want) in expect {
        let got = class(&dir.join(name));
        assert_eq!(got, want, "{name}");
    }
    // Every file there is listed above (and the README): a new one needs a verdict.
    let listed = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n != "README.md")
        .all(|n| expect.iter().any(|(e, _)| *e == n));
    assert!(listed, "a hostile file has no expected outcome here");
}

/// The same files in worker mode: a batch that survives all of them and
/// writes its manifest, each document failing alone. Each is bounded by its
/// budgets, not by the time limit: that is out of reach here (the slowest
/// needs about a minute in a debug build), so no verdict depends on speed.
#[test]
fn hostile_batch_in_workers() {
    let Some(shared) = shared() else { return };
    let out = common::tempdir("hostile");
    let text = common::corpus("bolyst-arsrapport-2014-midt-troms.txt");
    let o = common::run_cli(
        &["--jobs", "2", "--timeout", "3600"],
        &out,
        &[&shared.join("hostile"), &text],
    );
    assert_eq!(o.status.code(), Some(1));
    let manifest = common::manifest(&out);
    let classes: Vec<&str> = manifest["documents"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["status"] != "skipped")
        .map(|d| d["error"]["class"].as_str().unwrap_or("ok"))
        .collect();
    assert_eq!(
        classes.iter().filter(|c| **c == "limit").count(),
        3,
        "{classes:?}"
    );
    assert!(
        classes.iter().all(|c| matches!(*c, "ok" | "limit")),
        "{classes:?}"
    );
}

#[test]
fn no_robustness_file_panics_or_hangs_in_process() {
    let Some(shared) = shared() else { return };
    let files =
        plansjekk::batch::inputs::collect_inputs(&[shared.join("pdf-robustness/files")]).unwrap();
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
    let text = common::corpus("bolyst-arsrapport-2014-midt-troms.txt");
    let o = common::run_cli(
        &["--jobs", "2"],
        &out,
        &[&shared.join("corpus-pdf/damaged"), &text],
    );
    assert_eq!(o.status.code(), Some(1));
    let manifest = common::manifest(&out);
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

/// In-process, the time limit still holds: checked between pages. The limit
/// is the shortest there is, far below what [`SLOW_PDF`] needs in any build.
#[test]
fn in_process_honours_the_time_limit() {
    let Some(shared) = shared() else { return };
    let out = common::tempdir("inproc-timeout");
    let pdf = shared.join(SLOW_PDF);
    let o = common::run_cli(&["--in-process", "--timeout", "1"], &out, &[&pdf]);
    assert_eq!(o.status.code(), Some(1));
    let manifest = common::manifest(&out);
    assert_eq!(manifest["documents"][0]["error"]["class"], "timeout");
}

/// Workers die with their batch: after SIGKILL of the parent, none is left
/// running on a slow document.
#[cfg(target_os = "linux")]
#[test]
fn workers_die_with_their_parent() {
    let Some(shared) = shared() else { return };
    let out = common::tempdir("orphans");
    let mut parent = Command::new(env!("CARGO_BIN_EXE_plansjekk"))
        .args(["run", "--jobs", "1", "--out"])
        .arg(&out)
        .arg(shared.join(SLOW_PDF))
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let children_of = |pid: u32| -> Vec<u32> {
        std::fs::read_dir("/proc")
            .unwrap()
            .filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
            .filter(|p| {
                std::fs::read_to_string(format!("/proc/{p}/stat")).is_ok_and(|s| {
                    // Fields after the command's closing parenthesis: state, ppid, …
                    s.rsplit_once(')')
                        .and_then(|(_, rest)| rest.split_whitespace().nth(1)?.parse::<u32>().ok())
                        == Some(pid)
                })
            })
            .collect()
    };
    // The worker reads SLOW_PDF for many seconds; the limits below only keep
    // a broken test from hanging.
    let workers = wait_for(Duration::from_secs(120), || {
        Some(children_of(parent.id())).filter(|w| !w.is_empty())
    });
    let Some(workers) = workers else {
        let _ = parent.kill();
        let _ = parent.wait();
        panic!("no worker started in 120 s");
    };
    parent.kill().unwrap();
    parent.wait().unwrap();
    let alive = |p: u32| {
        std::fs::read_to_string(format!("/proc/{p}/stat")).is_ok_and(|s| {
            !s.rsplit_once(')')
                .is_some_and(|(_, r)| r.trim_start().starts_with('Z'))
        })
    };
    let gone = wait_for(Duration::from_secs(120), || {
        Some(()).filter(|_| !workers.iter().any(|&w| alive(w)))
    });
    assert!(gone.is_some(), "workers {workers:?} outlived their parent");
}

/// In worker mode the time limit holds too, and the worker that ran out of
/// time is replaced: the next document of the batch is read.
///
/// One limit must both stop [`SLOW_PDF`] and let the text through (a worker's
/// start included), so it is set from this machine's speed now: ten times a
/// whole worker-mode run of the text alone, which is ten times more than the
/// text needs, and still about ten times less than the PDF needs (0.5 s
/// against 57 s in a debug build). A fixed 1 s was too close to the text on a
/// busy machine in a debug build.
#[test]
fn workers_honour_the_time_limit_and_are_replaced() {
    let Some(shared) = shared() else { return };
    let out = common::tempdir("worker-timeout");
    let pdf = shared.join(SLOW_PDF);
    let text = common::corpus("strategi-vaernesregionen-2009.txt");
    let start = Instant::now();
    let o = common::run_cli(
        &["--jobs", "1", "--timeout", "3600"],
        &common::tempdir("worker-timeout-alone"),
        &[&text],
    );
    assert_eq!(o.status.code(), Some(0), "the text alone reads");
    let limit = (start.elapsed().as_secs_f64() * 10.0).ceil().max(1.0) as u64;
    let limit = limit.to_string();
    let o = common::run_cli(&["--jobs", "1", "--timeout", &limit], &out, &[&pdf, &text]);
    assert_eq!(o.status.code(), Some(1));
    let manifest = common::manifest(&out);
    let docs = manifest["documents"].as_array().unwrap();
    assert_eq!(
        docs[0]["error"]["class"], "timeout",
        "--timeout {limit}: {docs:?}"
    );
    assert_eq!(docs[1]["status"], "ok", "--timeout {limit}: {docs:?}");
}

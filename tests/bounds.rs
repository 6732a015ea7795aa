//! Every stage bounded, nothing a user gave taken without a word (issue 19),
//! tried as an attacker would: huge and repetitive search queries, file
//! names and document lines that talk to the terminal, configuration values
//! that are no values, files that are no files, and a knowledge base another
//! process holds.

mod common;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_plansjekk"))
}

/// Runs `cmd` to its end, or kills it once `deadline` has passed: a test of
/// something that must not hang fails instead of hanging with it.
fn output_within(mut cmd: Command, deadline: Duration) -> Output {
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Read both pipes as the child writes, so that a full pipe cannot stall it.
    let drain = |mut r: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut v = Vec::new();
            let _ = r.read_to_end(&mut v);
            v
        })
    };
    let out = drain(Box::new(child.stdout.take().unwrap()));
    let err = drain(Box::new(child.stderr.take().unwrap()));
    let start = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if start.elapsed() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("still running after {deadline:?}: it hangs");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Output {
        status,
        stdout: out.join().unwrap(),
        stderr: err.join().unwrap(),
    }
}

const DEADLINE: Duration = Duration::from_secs(60);

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A run of the bundled text corpus into `root/out`: its knowledge base.
fn run_corpus(root: &Path) -> PathBuf {
    let input = root.join("in");
    common::copy_corpus(
        &input,
        &[
            "handlingsplan-2025-bygdevekst-indre-namdal.txt",
            "strategi-vaernesregionen-2009.txt",
        ],
    );
    let out = root.join("out");
    let o = common::run_cli(&["--in-process"], &out, &[&input]);
    assert!(o.status.success(), "{}", stderr(&o));
    out
}

fn search(out: &Path, words: &[&str]) -> Output {
    let mut cmd = bin();
    cmd.arg("search")
        .args(words)
        .args(["--format", "json", "--out"])
        .arg(out);
    output_within(cmd, DEADLINE)
}

#[test]
fn search_bounds_its_query_and_a_repeated_word_is_searched_once() {
    let root = common::tempdir("bounds-search");
    let out = run_corpus(&root);
    let once = search(&out, &["bolig"]);
    assert!(once.status.success(), "{}", stderr(&once));
    let hits: serde_json::Value = serde_json::from_slice(&once.stdout).unwrap();
    assert!(!hits.as_array().unwrap().is_empty());
    // 2 000 repeats (each a word of its own, as a shell passes them) find
    // exactly what one does: it once took 18 s.
    let repeated = vec!["bolig"; 2_000];
    let again = search(&out, &repeated);
    assert!(again.status.success(), "{}", stderr(&again));
    assert_eq!(again.stdout, once.stdout);
    // A 100 KB query: refused at once, saying the limit.
    let huge: String = (0..20_000).map(|i| format!("o{i:03} ")).collect();
    assert!(huge.len() > 100_000);
    let o = search(&out, &[&huge]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("characters long; at most 20000 are searched"),
        "{}",
        stderr(&o)
    );
    assert!(o.stdout.is_empty());
    // Many different words: refused, saying the limit.
    let words: Vec<String> = (0..40).map(|i| format!("ord{i}")).collect();
    let words: Vec<&str> = words.iter().map(String::as_str).collect();
    let o = search(&out, &words);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("40 different words") && stderr(&o).contains("at most 32"),
        "{}",
        stderr(&o)
    );
    let o = search(&out, &[&"x".repeat(101)]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("at most 100"), "{}", stderr(&o));
    // A limit past what SQLite takes once wrapped round to "no limit".
    let mut cmd = bin();
    cmd.args([
        "search",
        "bolig",
        "--limit",
        "18446744073709551615",
        "--out",
    ])
    .arg(&out);
    let o = output_within(cmd, DEADLINE);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--limit"), "{}", stderr(&o));
}

/// A knowledge base a writer of another process holds exclusively (while it
/// commits, or once its cache spills into the file): waited for, then
/// reported in use, not "database is locked … Error code 5".
#[test]
fn search_of_a_knowledge_base_in_use_says_so() {
    let root = common::tempdir("bounds-locked");
    let out = run_corpus(&root);
    let before = search(&out, &["bolig"]);
    assert!(before.status.success());
    let writer = rusqlite::Connection::open(out.join("plansjekk.sqlite")).unwrap();
    // Reserved only: the file still holds the last commit, which is read.
    writer
        .execute_batch("BEGIN IMMEDIATE; DELETE FROM passage_rows;")
        .unwrap();
    let o = search(&out, &["bolig"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(o.stdout, before.stdout);
    writer.execute_batch("ROLLBACK; BEGIN EXCLUSIVE;").unwrap();
    let o = search(&out, &["bolig"]);
    assert_eq!(o.status.code(), Some(2));
    let e = stderr(&o);
    assert!(
        e.contains("plansjekk.sqlite is in use by another process (busy/locked)"),
        "{e}"
    );
    writer.execute_batch("ROLLBACK;").unwrap();
    assert_eq!(search(&out, &["bolig"]).stdout, before.stdout);
}

/// A run that must update the knowledge base while another process holds it
/// says so and leaves the previous outputs as they were; it used to copy the
/// half-written file and fail with "constraint failed" or, worse, succeed
/// with a corrupt copy.
#[test]
fn a_run_while_the_knowledge_base_is_in_use_says_so_and_keeps_it() {
    let root = common::tempdir("bounds-run-locked");
    let out = run_corpus(&root);
    let kb = out.join("plansjekk.sqlite");
    let before = std::fs::read(&kb).unwrap();
    let changed = root.join("in").join("strategi-vaernesregionen-2009.txt");
    let mut text = std::fs::read_to_string(&changed).unwrap();
    text.push_str("\nEt nytt avsnitt om utleieboliger.\n");
    std::fs::write(&changed, text).unwrap();
    let writer = rusqlite::Connection::open(&kb).unwrap();
    writer.execute_batch("BEGIN EXCLUSIVE;").unwrap();
    let mut cmd = bin();
    cmd.args(["run", "--in-process", "--out"])
        .arg(&out)
        .arg(root.join("in"));
    let o = output_within(cmd, DEADLINE);
    writer.execute_batch("ROLLBACK;").unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("in use by another process"),
        "{}",
        stderr(&o)
    );
    assert_eq!(
        std::fs::read(&kb).unwrap(),
        before,
        "the previous run's stays"
    );
}

/// A file named to retitle the window, a line that clears the screen, C1
/// and bidi controls: `check` shows them escaped, never raw.
#[test]
fn check_prints_no_terminal_control_from_a_file_name_or_a_line() {
    let dir = common::tempdir("bounds-escapes").join("in");
    std::fs::create_dir_all(&dir).unwrap();
    let name = dir.join("plan\u{1b}]0;pwned\u{7}.txt");
    let mut text = String::from("Strategi for samarbeid\n\n1. Bakgrunn\n\n");
    // Enough plain text that the file is read as text.
    for _ in 0..20 {
        text.push_str("Samarbeidet mellom kommunene i regionen skal styrkes.\n\n");
    }
    // The period runs backwards: a date-conflict finding shows this line.
    text.push_str(
        "Strategien \u{1b}[2J gjelder for perioden 2027–2024 og \u{9b}31m \u{202e}rulleres årlig.\n",
    );
    std::fs::write(&name, text).unwrap();
    let raw = |b: &[u8]| {
        let s = String::from_utf8_lossy(b);
        s.contains(['\u{1b}', '\u{7}', '\u{9b}', '\u{202e}'])
    };
    for args in [
        &["--in-process", "--color", "never"][..],
        &["--color", "never"][..],
        &["--in-process", "--format", "jsonl"][..],
    ] {
        let mut cmd = bin();
        cmd.arg("check").args(args).arg(&dir).env("NO_COLOR", "1");
        let o = output_within(cmd, DEADLINE);
        assert_eq!(o.status.code(), Some(1), "{args:?}: {}", stderr(&o));
        assert!(
            !raw(&o.stdout),
            "{args:?}: {:?}",
            String::from_utf8_lossy(&o.stdout)
        );
        assert!(!raw(&o.stderr), "{args:?}: {:?}", stderr(&o));
        let shown = String::from_utf8_lossy(&o.stdout);
        if args.contains(&"jsonl") {
            // Proper JSON, reading back as the very text.
            let first: serde_json::Value =
                serde_json::from_str(shown.lines().next().unwrap()).unwrap();
            assert!(first["path"]
                .as_str()
                .unwrap()
                .contains("\u{1b}]0;pwned\u{7}"));
        } else {
            assert!(shown.contains("plan\\x1b]0;pwned\\x07.txt"), "{shown}");
            assert!(shown.contains("Strategien \\x1b[2J gjelder"), "{shown}");
            assert!(shown.contains("\\u{9b}31m \\u{202e}rulleres"), "{shown}");
        }
    }
}

/// `plansjekk check` in `dir` (where a plansjekk.toml may be) with `args`.
fn check_in(dir: &Path, args: &[&str]) -> Output {
    let mut cmd = bin();
    cmd.current_dir(dir)
        .args(["check", "--in-process"])
        .args(args)
        .arg(common::corpus("strategi-vaernesregionen-2009.txt"));
    output_within(cmd, DEADLINE)
}

#[test]
fn every_configuration_value_is_checked_naming_file_and_key() {
    let dir = common::tempdir("bounds-config");
    let config = dir.join("plansjekk.toml");
    for (toml, key) in [
        ("[tolerance]\nnok = nan\n", "[tolerance] nok = NaN"),
        ("[tolerance]\nnok = -1000\n", "[tolerance] nok = -1000"),
        ("[tolerance]\nnok = inf\n", "[tolerance] nok = inf"),
        ("[tolerance]\npercent = nan\n", "[tolerance] percent = NaN"),
        (
            "[tolerance]\npercent = -0.5\n",
            "[tolerance] percent = -0.5",
        ),
        ("[tolerance]\npercent = inf\n", "[tolerance] percent = inf"),
        ("select = []\n", "select = []"),
    ] {
        std::fs::write(&config, toml).unwrap();
        let o = check_in(&dir, &[]);
        assert_eq!(o.status.code(), Some(2), "{toml}");
        let e = stderr(&o);
        assert!(
            e.contains(&config.display().to_string()) && e.contains(key),
            "{toml}: {e}"
        );
    }
    std::fs::remove_file(&config).unwrap();
    // A waiver dated no day of the calendar.
    let waivers = dir.join("waivers.toml");
    std::fs::write(
        &waivers,
        "[[waiver]]\nfinding = \"x\"\nreviewer = \"Kari\"\ndate = \"2026-99-99\"\nreason = \"ok\"\n",
    )
    .unwrap();
    let o = check_in(&dir, &["--waivers", "waivers.toml"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("waivers.toml: waiver 1 (of x): date = \"2026-99-99\""),
        "{}",
        stderr(&o)
    );
    // A baseline of a format this plansjekk does not know.
    std::fs::write(
        dir.join("baseline.json"),
        r#"{"plansjekk_baseline": 99, "findings": []}"#,
    )
    .unwrap();
    let o = check_in(&dir, &["--baseline", "baseline.json"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("baseline.json: plansjekk_baseline = 99"),
        "{}",
        stderr(&o)
    );
    // No documents at a time, or a time limit that overflows.
    for (flag, value) in [("--jobs", "0"), ("--timeout", "18446744073709551615")] {
        let o = check_in(&dir, &[flag, value]);
        assert_eq!(o.status.code(), Some(2), "{flag} {value}");
        assert!(stderr(&o).contains(flag), "{}", stderr(&o));
        assert!(!stderr(&o).contains("panicked"), "{}", stderr(&o));
    }
}

#[test]
fn a_configuration_that_is_a_folder_is_an_error_naming_it() {
    let dir = common::tempdir("bounds-config-dir");
    std::fs::create_dir(dir.join("plansjekk.toml")).unwrap();
    let o = check_in(&dir, &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("plansjekk.toml: a folder, not a regular file"),
        "{}",
        stderr(&o)
    );
}

/// Opening a FIFO waits for a writer; plansjekk must look first and refuse.
#[test]
fn a_configuration_baseline_or_waiver_file_that_is_a_fifo_does_not_hang() {
    let dir = common::tempdir("bounds-config-fifo");
    for name in ["plansjekk.toml", "baseline.json"] {
        let made = Command::new("mkfifo").arg(dir.join(name)).status().unwrap();
        assert!(made.success(), "mkfifo {name}");
    }
    let o = check_in(&dir, &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("plansjekk.toml: a FIFO (named pipe), not a regular file"),
        "{}",
        stderr(&o)
    );
    std::fs::remove_file(dir.join("plansjekk.toml")).unwrap();
    let o = check_in(&dir, &["--baseline", "baseline.json"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("baseline.json: a FIFO (named pipe), not a regular file"),
        "{}",
        stderr(&o)
    );
}

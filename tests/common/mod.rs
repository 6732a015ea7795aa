//! Helpers shared by the integration tests.
#![allow(dead_code)]

pub mod pdf_file;

use std::io::Write;
use std::path::{Path, PathBuf};

use plansjekk::ingest::IngestOptions;
use plansjekk::pipeline::process_bytes;
use plansjekk::record::Record;
use plansjekk::record::{slug, DocError};

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `../shared` beside the checkout (CI has it; a lone clone may not). When it
/// is missing the calling test [`skip`]s, saying so.
pub fn shared() -> Option<PathBuf> {
    let p = shared_dir();
    if p.is_none() {
        skip(format_args!(
            "{} is missing (CI has ../shared beside the checkout)",
            root().join("../shared").display()
        ));
    }
    p
}

/// `../shared` if it is there, for a test that skips only part of its check
/// without it (and says so itself).
pub fn shared_dir() -> Option<PathBuf> {
    Some(root().join("../shared")).filter(|p| p.is_dir())
}

/// The file that collects every skip of the test binaries of this build
/// profile: `skipped-tests.txt` in `target/debug` (or `target/release`), beside
/// the `deps` folder that holds the test binary. `.ci/run` empties it before
/// `cargo test` and prints it at the end; elsewhere it keeps growing, one
/// line per skip, until removed.
pub fn skip_log() -> Option<PathBuf> {
    let exe = std::env::current_exe().ok()?;
    Some(exe.parent()?.parent()?.join("skipped-tests.txt"))
}

/// Records that the calling test skips its check, or the part of it that
/// `reason` names, and why: `SKIPPED <suite>::<test>: <reason>`, written
/// straight to the process's standard error (past libtest's capture, which
/// only takes `print!` and `eprint!`, so `cargo test` shows it next to the
/// test's `ok`) and appended to [`skip_log`]. The test is named after the
/// thread libtest runs it on. Use `return common::skip(..)` to skip the rest.
pub fn skip(reason: impl std::fmt::Display) {
    // `<suite>::common`: the test binary is the crate this module is part of.
    let suite = module_path!()
        .strip_suffix("::common")
        .unwrap_or(module_path!());
    let thread = std::thread::current();
    let test = thread.name().unwrap_or("?");
    let line = format!("SKIPPED {suite}::{test}: {reason}\n");
    let _ = std::io::stderr().write_all(line.as_bytes());
    if let Some(log) = skip_log() {
        // One small write in append mode: lines of concurrent tests stay whole.
        let _ = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(log)
            .and_then(|mut f| f.write_all(line.as_bytes()));
    }
}

/// A tool the test needs is missing: on CI (`CI` set; `.ci/run` installs what
/// the tests use) that fails the test, so a check cannot silently vanish;
/// elsewhere the test [`skip`]s, saying so.
#[track_caller]
pub fn skip_unless_ci(reason: impl std::fmt::Display) {
    assert!(
        std::env::var_os("CI").is_none(),
        "{reason}: CI must run this check, not skip it"
    );
    skip(reason)
}

pub fn process(path: &Path) -> Result<Record, DocError> {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    process_bytes(
        &path.to_string_lossy(),
        &slug(path),
        &bytes,
        &IngestOptions::default(),
    )
}

pub fn corpus(name: &str) -> PathBuf {
    root().join("corpus").join(name)
}

/// `plansjekk run ARGS --out OUT PATHS…`: its exit code, output waited for.
pub fn run_cli(args: &[&str], out: &Path, paths: &[&Path]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_plansjekk"))
        .arg("run")
        .args(args)
        .arg("--out")
        .arg(out)
        .args(paths)
        .output()
        .unwrap()
}

/// The manifest a run wrote into `out`.
pub fn manifest(out: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(out.join("manifest.json")).unwrap()).unwrap()
}

/// `plansjekk run ARGS --out OUT INPUT`, killed with SIGKILL after `delay`.
pub fn kill_run_after(args: &[&str], out: &Path, input: &Path, delay: std::time::Duration) {
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_plansjekk"))
        .arg("run")
        .args(args)
        .arg("--out")
        .arg(out)
        .arg(input)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(delay);
    let _ = child.kill();
    let _ = child.wait();
}

/// `n` pseudo-random delays below `max_ms` (xorshift): the same every run.
pub fn delays(mut seed: u64, max_ms: u64, n: usize) -> Vec<std::time::Duration> {
    (0..n)
        .map(|_| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            std::time::Duration::from_millis(seed % max_ms)
        })
        .collect()
}

/// Copies corpus files into `dir` (made if missing): the copies' paths.
pub fn copy_corpus(dir: &Path, names: &[&str]) -> Vec<PathBuf> {
    std::fs::create_dir_all(dir).unwrap();
    names
        .iter()
        .map(|n| {
            let p = dir.join(n);
            std::fs::copy(corpus(n), &p).unwrap();
            p
        })
        .collect()
}

/// A fresh, empty temporary folder for one test.
pub fn tempdir(name: &str) -> PathBuf {
    let p = std::env::temp_dir().join(format!("plansjekk-test-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&p);
    std::fs::create_dir_all(&p).unwrap();
    p
}

/// What a test PDF draws on a page.
pub enum Draw<'a> {
    /// Text at (x, y), 10 pt Helvetica.
    Text(f32, f32, &'a str),
    /// Text at (x, y) in the given size.
    Sized(f32, f32, f32, &'a str),
    /// Text at (x, y) turned a quarter anticlockwise, read bottom to top.
    Up(f32, f32, &'a str),
    /// A stroked line from (x0, y0) to (x1, y1).
    Rule(f32, f32, f32, f32),
    /// A filled square of side `d` with its lower left corner at (x, y): a
    /// bullet drawn as a shape, as some producers draw them.
    Dot(f32, f32, f32),
}

/// A small PDF (A4 pages, Helvetica in WinAnsi) drawing the given pages, with a
/// correct cross-reference table: fixtures for layouts the corpus lacks.
pub fn make_pdf(pages: &[Vec<Draw>]) -> Vec<u8> {
    let mut objects: Vec<String> = Vec::new();
    let n = pages.len();
    // 1: catalog, 2: pages, 3: font, then (page, content) pairs.
    objects.push("<< /Type /Catalog /Pages 2 0 R >>".into());
    let kids: Vec<String> = (0..n).map(|i| format!("{} 0 R", 4 + 2 * i)).collect();
    objects.push(format!(
        "<< /Type /Pages /Kids [{}] /Count {n} >>",
        kids.join(" ")
    ));
    objects.push(
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>".into(),
    );
    for (i, page) in pages.iter().enumerate() {
        let mut content = String::new();
        for d in page {
            let (x, y, size, t) = match d {
                Draw::Text(x, y, t) | Draw::Up(x, y, t) => (x, y, 10.0, Some(*t)),
                Draw::Sized(x, y, size, t) => (x, y, *size, Some(*t)),
                Draw::Rule(..) | Draw::Dot(..) => (&0.0, &0.0, 0.0, None),
            };
            let matrix = if matches!(d, Draw::Up(..)) {
                "0 1 -1 0"
            } else {
                "1 0 0 1"
            };
            match (d, t) {
                (_, Some(t)) => {
                    let escaped = pdf_file::literal(t);
                    content.push_str(&format!(
                        "BT /F1 {size} Tf {matrix} {x} {y} Tm ({escaped}) Tj ET\n"
                    ));
                }
                (Draw::Rule(x0, y0, x1, y1), None) => {
                    content.push_str(&format!("0.5 w {x0} {y0} m {x1} {y1} l S\n"));
                }
                (Draw::Dot(x, y, d), None) => {
                    content.push_str(&format!("{x} {y} {d} {d} re f\n"));
                }
                _ => {}
            }
        }
        objects.push(format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents {} 0 R >>",
            5 + 2 * i
        ));
        objects.push(format!(
            "<< /Length {} >>\nstream\n{content}endstream",
            content.len()
        ));
    }
    pdf_file::assemble(&objects)
}

/// Reads PDF bytes as `name` would be.
pub fn process_pdf(name: &str, bytes: &[u8]) -> Result<Record, DocError> {
    process_bytes(
        name,
        &slug(Path::new(name)),
        bytes,
        &IngestOptions::default(),
    )
}

/// Every file of an output folder with its bytes, but the knowledge base
/// (updated in place, or filled in another order: the same rows, not the
/// same pages) and the inputs' stamps (a cache of their inodes and times,
/// which a fresh copy does not share; see `batch::stamps`).
pub fn files_of(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    let mut files = std::collections::BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if !p.ends_with("plansjekk.sqlite") && !p.ends_with(".plansjekk-stamps") {
                let name = p.strip_prefix(dir).unwrap().to_string_lossy().into_owned();
                files.insert(name, std::fs::read(&p).unwrap());
            }
        }
    }
    files
}

//! What users run, measured: `plansjekk run` over the bench PDF against
//! poppler's `pdftotext -layout` on the same file (CPU time, in the same run),
//! the speedup of `--jobs 2` over `--jobs 1` on a batch of many documents,
//! worker mode against in-process, and the cost per megabyte of large texts
//! against `plansjekk text` on the same files (linearity), and an unchanged
//! and a one-document re-run of 1 000 documents against the cold run. Peak memory (max
//! RSS) of the run and of its largest worker is printed beside each. Beside
//! `run`, `plansjekk text` (reading alone) and `plansjekk check` (reading,
//! extraction and rules, no outputs) show where a change's time went. Build
//! without debug information: `run` hashes its own binary into the run key.
//!
//! Run: `cargo bench --bench pipeline [-- pdf|jobs|incremental|large]` (needs `pdftotext` on PATH for the
//! reference: `apt-get install poppler-utils`; `../shared` for the bench PDF).

mod common;

use common::{children_cpu, corpus_files, measure, Cost};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

/// A command's cost including the processes it starts (workers): all children
/// of this process, before and after.
#[cfg(unix)]
fn measure_tree(cmd: &mut Command) -> Cost {
    let (before, _) = children_cpu();
    let start = Instant::now();
    let status = cmd
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("runs");
    let (after, rss) = children_cpu();
    Cost {
        wall: start.elapsed().as_secs_f64(),
        cpu: after - before,
        max_rss_kib: rss,
        exit: status.code(),
    }
}

fn exe() -> &'static str {
    env!("CARGO_BIN_EXE_plansjekk")
}

fn best_of(n: usize, mut f: impl FnMut() -> Cost) -> Cost {
    let mut best: Option<Cost> = None;
    for _ in 0..n {
        keep_least(&mut best, f());
    }
    best.expect("one run")
}

/// Keeps in `best` the cost of the two with the least CPU.
fn keep_least(best: &mut Option<Cost>, c: Cost) {
    if best.as_ref().is_none_or(|b| c.cpu < b.cpu) {
        *best = Some(c);
    }
}

fn out_dir(name: &str) -> PathBuf {
    let p = std::env::temp_dir().join(format!("plansjekk-bench-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&p);
    p
}

fn pdf_against_pdftotext(pdf: &Path) {
    let pages = "314";
    let reference = best_of(3, || {
        measure(
            Command::new("pdftotext")
                .arg("-layout")
                .arg(pdf)
                .arg("/dev/null"),
        )
    });
    let inproc = best_of(3, || {
        measure(
            Command::new(exe())
                .args(["run", "--in-process", "--jobs", "1", "--out"])
                .arg(out_dir("pdf"))
                .arg(pdf),
        )
    });
    let worker = best_of(3, || {
        measure_tree(
            Command::new(exe())
                .args(["run", "--jobs", "1", "--out"])
                .arg(out_dir("pdfw"))
                .arg(pdf),
        )
    });
    // The run's parts, so that a change to one is seen apart from the
    // others: reading alone, and reading with extraction and the rules (no
    // outputs written).
    let text = best_of(3, || measure(Command::new(exe()).arg("text").arg(pdf)));
    let check = best_of(3, || measure(&mut checking(pdf)));
    println!("bench PDF ({pages} pages): CPU seconds, best of 3");
    println!(
        "  pdftotext -layout            {:>7.3} s   max RSS {:>7} KiB",
        reference.cpu, reference.max_rss_kib
    );
    println!(
        "  plansjekk run --in-process   {:>7.3} s   max RSS {:>7} KiB   ratio {:.2}×",
        inproc.cpu,
        inproc.max_rss_kib,
        inproc.cpu / reference.cpu
    );
    println!(
        "  plansjekk run (worker)       {:>7.3} s   max RSS {:>7} KiB   ratio {:.2}×",
        worker.cpu,
        worker.max_rss_kib,
        worker.cpu / reference.cpu
    );
    for (what, c) in [("text (reading)", &text), ("check (no outputs)", &check)] {
        println!(
            "  plansjekk {what:<19}{:>7.3} s   max RSS {:>7} KiB   ratio {:.2}×",
            c.cpu,
            c.max_rss_kib,
            c.cpu / reference.cpu
        );
    }
}

/// `plansjekk check` in-process on `file`: reading, extraction and the
/// rules, without the outputs of a run.
fn checking(file: &Path) -> Command {
    let mut c = Command::new(exe());
    c.args([
        "check",
        "--in-process",
        "--format",
        "jsonl",
        "--fail-on",
        "never",
    ])
    .arg(file);
    c
}

/// `--jobs 2` against `--jobs 1` on many small documents, in worker mode and
/// in-process: what a batch of a region's plans costs.
fn jobs_speedup(root: &Path) {
    let dir = out_dir("batch-in");
    std::fs::create_dir_all(&dir).unwrap();
    let corpus = corpus_files(root);
    let n = 200;
    for i in 0..n {
        let src = &corpus[i % corpus.len()];
        let name = format!("{i:03}-{}", src.file_name().unwrap().to_string_lossy());
        std::fs::copy(src, dir.join(name)).unwrap();
    }
    println!("batch of {n} corpus documents: wall seconds");
    for mode in [&["--in-process"][..], &[][..]] {
        let run = |jobs: &str| {
            measure_tree(
                Command::new(exe())
                    .arg("run")
                    .args(mode)
                    .args(["--jobs", jobs, "--out"])
                    .arg(out_dir("batch"))
                    .arg(&dir),
            )
        };
        let one = run("1");
        let two = run("2");
        println!(
            "  {:<13} --jobs 1 {:>6.2} s, --jobs 2 {:>6.2} s: speedup {:.2}×   ({:.1} ms/document CPU)",
            if mode.is_empty() { "worker" } else { "in-process" },
            one.wall,
            two.wall,
            one.wall / two.wall,
            1000.0 * one.cpu / n as f64
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// Incremental runs: a cold run of 1 000 documents (copies of the corpus
/// texts and PDFs, each made distinct), then the same run again with nothing
/// changed, then with one document changed, in one paired measurement.
fn incremental(root: &Path) {
    let dir = out_dir("incr-in");
    std::fs::create_dir_all(&dir).unwrap();
    let corpus = corpus_files(root);
    let n = 1000;
    for i in 0..n {
        let src = &corpus[i % corpus.len()];
        let mut bytes = std::fs::read(src).unwrap();
        // Distinct bytes (a trailing comment line, or bytes after %%EOF),
        // as a real collection's documents are.
        bytes.extend_from_slice(format!("\n% copy {i}\n").as_bytes());
        let name = format!("{i:04}-{}", src.file_name().unwrap().to_string_lossy());
        std::fs::write(dir.join(name), bytes).unwrap();
    }
    let out = out_dir("incr-out");
    let run = || {
        measure_tree(
            Command::new(exe())
                .args(["run", "--jobs", "2", "--out"])
                .arg(&out)
                .arg(&dir),
        )
    };
    let cold = run();
    let unchanged = run();
    let first = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .next()
        .unwrap()
        .path();
    let mut bytes = std::fs::read(&first).unwrap();
    bytes.extend_from_slice(b"\n% changed\n");
    std::fs::write(&first, bytes).unwrap();
    let one = run();
    println!("incremental runs of {n} documents (worker mode, --jobs 2): wall seconds");
    println!(
        "  cold {:>6.2} s; unchanged re-run {:>6.3} s = {:.1} % of cold; one document changed {:>6.3} s = {:.1} %",
        cold.wall,
        unchanged.wall,
        100.0 * unchanged.wall / cold.wall,
        one.wall,
        100.0 * one.wall / cold.wall
    );
    let _ = std::fs::remove_dir_all(&dir);
    let _ = std::fs::remove_dir_all(&out);
}

/// Large texts: the whole run's cost per megabyte against reading alone.
fn large_texts(root: &Path) {
    let src =
        std::fs::read_to_string(root.join("corpus/handlingsplan-2025-bygdevekst-indre-namdal.txt"))
            .unwrap();
    println!("large texts (the action plan repeated): seconds per MB");
    let mut outs = Vec::new();
    // What any one-document run costs however small the document (the
    // process, its expressions compiled, an output folder): a text of one
    // line. The cost per MB above it shows how the work grows with the size;
    // the cost per MB with it, what a user running one such file pays.
    let line = out_dir("line").with_extension("txt");
    let first = src
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("Tiltak");
    std::fs::write(&line, first).unwrap();
    let start = best_of(5, || {
        outs.push(out_dir(&format!("line-run{}", outs.len())));
        measure(
            Command::new(exe())
                .args(["run", "--in-process", "--out"])
                .arg(outs.last().expect("just pushed"))
                .arg(&line),
        )
    });
    let _ = std::fs::remove_file(&line);
    assert_eq!(start.exit, Some(0), "the one-line text is read");
    println!("  one line: run {:.3} s (start-up)", start.cpu);
    for mb in [1usize, 5, 20] {
        let mut text = String::new();
        while text.len() < mb * 1_000_000 {
            text.push_str(&src);
            text.push('\n');
        }
        let path = out_dir(&format!("big{mb}")).with_extension("txt");
        std::fs::write(&path, &text).unwrap();
        let size = text.len() as f64 / 1e6;
        // The least CPU of a few rounds: one run of a megabyte varies by a
        // tenth with what else the machine does, as much as the growth
        // this is meant to show. Each round times reading, checking and the
        // whole run one after the other, so that a slower spell of the
        // machine falls on all three rather than on one of the ratios.
        let rounds = if mb < 20 { 3 } else { 2 };
        let (mut read, mut check, mut run): (Option<Cost>, Option<Cost>, Option<Cost>) =
            (None, None, None);
        for _ in 0..rounds {
            keep_least(
                &mut read,
                measure(Command::new(exe()).arg("text").arg(&path)),
            );
            keep_least(&mut check, measure(&mut checking(&path)));
            // Each run into a new folder, all removed at the end: a run's
            // thousands of table files deleted just before the next run makes
            // ext4 pass over their inodes (deleted within the last minute) for
            // every file it creates, a fifth of the run's time at 20 MB.
            outs.push(out_dir(&format!("big{mb}-run{}", outs.len())));
            keep_least(
                &mut run,
                measure(
                    Command::new(exe())
                        .args(["run", "--in-process", "--timeout", "600", "--out"])
                        .arg(outs.last().expect("just pushed"))
                        .arg(&path),
                ),
            );
        }
        let (read, check, run) = (
            read.expect("a round"),
            check.expect("a round"),
            run.expect("a round"),
        );
        assert_eq!(run.exit, Some(0), "the {mb} MB text is read");
        println!(
            "  {size:>4.1} MB: plansjekk text {:>6.3} s/MB, check {:>6.3} s/MB, run {:>6.3} s/MB ({:.2}× reading; {:.3} s/MB above start-up), max RSS {} KiB",
            read.cpu / size,
            check.cpu / size,
            run.cpu / size,
            run.cpu / read.cpu.max(1e-3),
            (run.cpu - start.cpu) / size,
            run.max_rss_kib
        );
        let _ = std::fs::remove_file(&path);
    }
    for o in outs {
        let _ = std::fs::remove_dir_all(o);
    }
}

fn main() {
    // `cargo bench --bench pipeline -- incremental` runs one part.
    let only: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let wanted = |name: &str| only.is_empty() || only.iter().any(|o| o == name);
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let pdf = root.join("../shared/corpus-pdf/bench/handlingsplan-x10-314-pages.pdf");
    let have_pdftotext = Command::new("pdftotext")
        .arg("-v")
        .stderr(Stdio::null())
        .status()
        .is_ok();
    if wanted("pdf") {
        if pdf.exists() && have_pdftotext {
            pdf_against_pdftotext(&pdf);
        } else {
            println!(
                "skipped the PDF comparison: needs {} and pdftotext",
                pdf.display()
            );
        }
    }
    if wanted("jobs") {
        jobs_speedup(&root);
    }
    if wanted("incremental") {
        incremental(&root);
    }
    if wanted("large") {
        large_texts(&root);
    }
}

//! Ingestion throughput: pages/s and MB/s for plansjekk's PDF reader against
//! poppler's `pdftotext` on the same files, in the same run. The ratio is what
//! counts; absolute figures depend on the machine.
//!
//! Run: `cargo bench --bench ingest` (needs `pdftotext` on PATH for the reference;
//! `apt-get install poppler-utils`). Extra PDF paths may be passed after `--`.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use plansjekk::ingest::{ingest, IngestOptions};

fn files(args: &[String]) -> Vec<PathBuf> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut v: Vec<PathBuf> = args
        .iter()
        .filter(|a| a.ends_with(".pdf"))
        .map(PathBuf::from)
        .collect();
    if v.is_empty() {
        v = std::fs::read_dir(root.join("corpus"))
            .map(|d| {
                d.flatten()
                    .map(|e| e.path())
                    .filter(|p| p.extension().is_some_and(|e| e == "pdf"))
                    .collect()
            })
            .unwrap_or_default();
        v.sort();
        let big = root.join("../shared/corpus-pdf/bench/handlingsplan-x10-314-pages.pdf");
        if big.exists() {
            v.push(big);
        }
    }
    v
}

fn time_ours(path: &Path, reps: u32) -> (f64, u32) {
    let bytes = std::fs::read(path).expect("readable");
    let opts = IngestOptions::default();
    let mut pages = 0;
    let start = Instant::now();
    for _ in 0..reps {
        let doc = ingest(&bytes, &opts).expect("ingests");
        pages = doc.page_count.unwrap_or(0);
    }
    (start.elapsed().as_secs_f64() / f64::from(reps), pages)
}

fn time_pdftotext(path: &Path, reps: u32) -> Option<f64> {
    let start = Instant::now();
    for _ in 0..reps {
        let st = Command::new("pdftotext")
            .args(["-layout", "-q"])
            .arg(path)
            .arg("/dev/null")
            .status()
            .ok()?;
        if !st.success() {
            return None;
        }
    }
    Some(start.elapsed().as_secs_f64() / f64::from(reps))
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let reps: u32 = std::env::var("BENCH_REPS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(5);
    println!(
        "{:<58} {:>6} {:>10} {:>10} {:>10} {:>8}",
        "file", "pages", "ours p/s", "ours MB/s", "pdftotext", "ratio"
    );
    let (mut tot_ours, mut tot_ref, mut tot_pages) = (0.0, 0.0, 0u64);
    let mut have_ref = true;
    for f in files(&args) {
        let mb = std::fs::metadata(&f)
            .map(|m| m.len() as f64 / 1e6)
            .unwrap_or(0.0);
        let (t, pages) = time_ours(&f, reps);
        let r = time_pdftotext(&f, reps);
        have_ref &= r.is_some();
        tot_ours += t;
        tot_pages += u64::from(pages);
        if let Some(r) = r {
            tot_ref += r;
        }
        let name = f.display().to_string();
        let name = if name.len() > 58 {
            format!("…{}", &name[name.len() - 57..])
        } else {
            name
        };
        println!(
            "{name:<58} {pages:>6} {:>10.0} {:>10.1} {:>10} {:>8}",
            f64::from(pages) / t,
            mb / t,
            r.map_or("-".into(), |r| format!("{:.0}", f64::from(pages) / r)),
            r.map_or("-".into(), |r| format!("{:.2}×", t / r))
        );
    }
    println!("total: ours {:.0} pages/s", tot_pages as f64 / tot_ours);
    if have_ref && tot_ref > 0.0 {
        println!(
            "total: pdftotext {:.0} pages/s; plansjekk takes {:.2}× pdftotext's time",
            tot_pages as f64 / tot_ref,
            tot_ours / tot_ref
        );
    } else {
        println!("pdftotext not found: install poppler-utils for the reference figure");
    }
}

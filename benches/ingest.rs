//! Ingestion throughput: pages/s and MB/s for plansjekk's PDF reader against
//! poppler's `pdftotext` on the same files, in the same run. The ratio is what
//! counts; absolute figures depend on the machine.
//!
//! Also prints where our time goes (loading, the glyph walk, table
//! detection, the rest: lines, layout and segmentation), measured separately.
//!
//! Run: `cargo bench --bench ingest` (needs `pdftotext` on PATH for the reference;
//! `apt-get install poppler-utils`). Extra PDF paths may be passed after `--`.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use plansjekk::ingest::pdf::{glyphs, load, table};
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

/// The fastest of `reps` runs: the least disturbed by whatever else the
/// machine is doing, for ours and the reference alike.
fn time_ours(path: &Path, reps: u32) -> (f64, u32) {
    let bytes = std::fs::read(path).expect("readable");
    let opts = IngestOptions::default();
    let mut pages = 0;
    let mut best = f64::INFINITY;
    for _ in 0..reps {
        let start = Instant::now();
        let doc = ingest(&bytes, &opts).expect("ingests");
        best = best.min(start.elapsed().as_secs_f64());
        pages = doc.page_count.unwrap_or(0);
    }
    (best, pages)
}

/// Seconds (fastest of `reps`) spent in the stages that dominate ingestion: loading the
/// file, walking the content streams into glyphs, and finding ruled tables.
fn stages(path: &Path, reps: u32) -> (f64, f64, f64) {
    let bytes = std::fs::read(path).expect("readable");
    let opts = IngestOptions::default();
    let mut best = (f64::INFINITY, f64::INFINITY, f64::INFINITY);
    for _ in 0..reps {
        let start = Instant::now();
        let pdf = load(&bytes, &opts).expect("loads");
        let t_load = start.elapsed().as_secs_f64();
        let (mut t_glyphs, mut t_tables) = (0.0, 0.0);
        let mut budget = glyphs::Budget::default();
        let mut fonts = glyphs::FontCache::default();
        for (_, id) in plansjekk::ingest::pdf::page_tree(&pdf) {
            let start = Instant::now();
            let content =
                glyphs::page_content(&pdf, id, opts.max_decompressed, &mut budget, &mut fonts);
            t_glyphs += start.elapsed().as_secs_f64();
            let start = Instant::now();
            std::hint::black_box(table::find(&content.glyphs, &content.rules));
            t_tables += start.elapsed().as_secs_f64();
        }
        best = (
            best.0.min(t_load),
            best.1.min(t_glyphs),
            best.2.min(t_tables),
        );
    }
    best
}

fn time_pdftotext(path: &Path, reps: u32) -> Option<f64> {
    let mut best = f64::INFINITY;
    for _ in 0..reps {
        let start = Instant::now();
        let st = Command::new("pdftotext")
            .args(["-layout", "-q"])
            .arg(path)
            .arg("/dev/null")
            .status()
            .ok()?;
        if !st.success() {
            return None;
        }
        best = best.min(start.elapsed().as_secs_f64());
    }
    Some(best)
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
    let mut breakdown = Vec::new();
    let mut have_ref = true;
    for f in files(&args) {
        let mb = std::fs::metadata(&f)
            .map(|m| m.len() as f64 / 1e6)
            .unwrap_or(0.0);
        // Alternate ours and the reference so both see the same machine.
        let r = time_pdftotext(&f, reps);
        let (t, pages) = time_ours(&f, reps);
        let r2 = time_pdftotext(&f, reps);
        let r = r.zip(r2).map(|(a, b)| a.min(b));
        breakdown.push((f.clone(), t, stages(&f, reps)));
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
    println!();
    println!(
        "{:<58} {:>8} {:>8} {:>8} {:>8}",
        "share of our ingest time", "load", "glyphs", "tables", "rest"
    );
    for (f, t, (load, glyphs, tables)) in &breakdown {
        let name = f
            .file_name()
            .map_or(String::new(), |n| n.to_string_lossy().into());
        let pct = |x: f64| format!("{:.0} %", 100.0 * x / t);
        println!(
            "{name:<58} {:>8} {:>8} {:>8} {:>8}",
            pct(*load),
            pct(*glyphs),
            pct(*tables),
            pct((t - load - glyphs - tables).max(0.0))
        );
    }
    println!();
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

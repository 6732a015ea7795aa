//! Tesseract, run as a subprocess on one page image at a time: confined by
//! the sandbox's process limits (an address-space bound, death with its
//! parent), killed at its own time limit or the document's, whichever comes
//! first, and run on one thread (`OMP_THREAD_LIMIT=1`), which makes its
//! output the same from run to run.
//!
//! Which Tesseract: [`OcrOptions::tesseract`], by default the one named by
//! the environment variable `PLANSJEKK_TESSERACT`, else `tesseract` on the
//! `PATH`. Whether it is there and has the Norwegian model is asked once per
//! process (`tesseract --list-langs`).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{LazyLock, Mutex};
use std::time::{Duration, Instant};

use thiserror::Error;

use super::images::PageImage;

/// The Debian packages that give Tesseract and its Norwegian model.
pub const PACKAGES: &str = "tesseract-ocr tesseract-ocr-nor";

/// How scanned pages are read.
#[derive(Clone, Debug, PartialEq)]
pub struct OcrOptions {
    /// The Tesseract executable: a path, or a name looked up on the `PATH`.
    pub tesseract: PathBuf,
    /// The language model: `nor` (Norwegian, Bokmål and Nynorsk).
    pub language: String,
    /// Time one page image may take (the document's limit still holds).
    pub page_timeout: Duration,
    /// Address-space limit of the Tesseract process, in bytes.
    pub max_memory: u64,
    /// The largest image handed to OCR, in pixels: an A4 page scanned at
    /// 600 dpi is 35 million.
    pub max_pixels: u64,
}

impl Default for OcrOptions {
    fn default() -> Self {
        OcrOptions {
            tesseract: std::env::var_os("PLANSJEKK_TESSERACT")
                .filter(|v| !v.is_empty())
                .map_or_else(|| PathBuf::from("tesseract"), PathBuf::from),
            language: "nor".into(),
            // A dense page at 300 dpi takes Tesseract a few seconds on one core.
            page_timeout: Duration::from_secs(60),
            // Tesseract needs a few hundred megabytes for a large page; a
            // bomb of an image is refused by its size before it gets here.
            max_memory: 1 << 30,
            max_pixels: 64_000_000,
        }
    }
}

/// Why a page image could not be read by OCR.
#[derive(Clone, Debug, Error, PartialEq)]
pub enum OcrError {
    /// Tesseract cannot be run, or lacks the language model.
    #[error("{0}")]
    Unavailable(String),
    #[error("OCR gave up after {0} s")]
    Timeout(u64),
    #[error("OCR failed: {0}")]
    Failed(String),
}

/// What `tesseract --list-langs` said, by executable: asked once a process.
static PROBED: LazyLock<Mutex<HashMap<PathBuf, Result<(), OcrError>>>> =
    LazyLock::new(|| Mutex::new(HashMap::new()));

/// Whether Tesseract can be run with the language model; the answer names
/// the packages to install when it cannot.
pub fn available(options: &OcrOptions) -> Result<(), OcrError> {
    let key = options.tesseract.clone();
    if let Some(known) = PROBED.lock().unwrap_or_else(|e| e.into_inner()).get(&key) {
        return known.clone();
    }
    let answer = probe(options);
    PROBED
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .insert(key, answer.clone());
    answer
}

fn probe(options: &OcrOptions) -> Result<(), OcrError> {
    let missing = |what: String| {
        OcrError::Unavailable(format!(
            "{what}; install the Debian packages {PACKAGES} to read scanned pages"
        ))
    };
    let work = WorkDir::new().map_err(|e| OcrError::Failed(e.to_string()))?;
    let out = work.path.join("langs.txt");
    let mut cmd = Command::new(&options.tesseract);
    cmd.arg("--list-langs");
    let status = run(cmd, &out, options, Instant::now() + Duration::from_secs(20));
    match status {
        Err(OcrError::Failed(e)) if e.contains("cannot start") => {
            return Err(missing(format!(
                "Tesseract ({}) is not installed",
                options.tesseract.display()
            )))
        }
        Err(e) => return Err(e),
        Ok(()) => {}
    }
    let listed = std::fs::read_to_string(&out).unwrap_or_default();
    if listed.lines().any(|l| l.trim() == options.language) {
        Ok(())
    } else {
        Err(missing(format!(
            "Tesseract has no «{}» language model",
            options.language
        )))
    }
}

/// Reads one page image; returns Tesseract's hOCR. `dpi` is the image's
/// resolution as the page places it; `deadline` the document's.
pub fn recognise(
    image: &PageImage,
    dpi: u32,
    options: &OcrOptions,
    deadline: Option<Instant>,
) -> Result<String, OcrError> {
    available(options)?;
    let work = WorkDir::new().map_err(|e| OcrError::Failed(e.to_string()))?;
    let input = work.path.join(format!("page.{}", image.kind.extension()));
    std::fs::write(&input, &image.data)
        .map_err(|e| OcrError::Failed(format!("cannot write the page image: {e}")))?;
    let base = work.path.join("page");
    let mut cmd = Command::new(&options.tesseract);
    cmd.arg(&input)
        .arg(&base)
        .args([
            "-l",
            &options.language,
            "--dpi",
            &dpi.clamp(50, 1200).to_string(),
        ])
        .arg("hocr");
    let own = Instant::now() + options.page_timeout;
    let until = deadline.map_or(own, |d| d.min(own));
    run(cmd, &work.path.join("stderr.txt"), options, until)?;
    let hocr = base.with_extension("hocr");
    let len = std::fs::metadata(&hocr).map(|m| m.len()).unwrap_or(0);
    // A page of hOCR is some hundred kilobytes; more is not a page.
    if len > 64 << 20 {
        return Err(OcrError::Failed("its output is over 64 MiB".into()));
    }
    std::fs::read_to_string(&hocr).map_err(|e| OcrError::Failed(format!("no output ({e})")))
}

/// Runs `cmd` confined, its standard output (or error) into `out`, until it
/// ends or `until` passes (then it is killed).
fn run(mut cmd: Command, out: &Path, options: &OcrOptions, until: Instant) -> Result<(), OcrError> {
    let file = std::fs::File::create(out).map_err(|e| OcrError::Failed(e.to_string()))?;
    let err = file
        .try_clone()
        .map_err(|e| OcrError::Failed(e.to_string()))?;
    cmd.env("OMP_THREAD_LIMIT", "1")
        .stdin(Stdio::null())
        .stdout(file)
        .stderr(err);
    crate::sandbox::confine_child(&mut cmd, options.max_memory);
    let started = Instant::now();
    let mut child = cmd.spawn().map_err(|e| {
        OcrError::Failed(format!("cannot start {}: {e}", options.tesseract.display()))
    })?;
    let mut pause = Duration::from_millis(2);
    loop {
        match child.try_wait() {
            Ok(Some(status)) if status.success() => return Ok(()),
            Ok(Some(status)) => {
                let said = std::fs::read_to_string(out).unwrap_or_default();
                let said: Vec<&str> = said
                    .lines()
                    .filter(|l| !l.trim().is_empty())
                    .take(3)
                    .collect();
                return Err(OcrError::Failed(format!(
                    "Tesseract {status}: {}",
                    said.join(" / ")
                )));
            }
            Ok(None) if Instant::now() >= until => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(OcrError::Timeout(started.elapsed().as_secs()));
            }
            Ok(None) => {
                std::thread::sleep(pause);
                pause = (pause * 2).min(Duration::from_millis(50));
            }
            Err(e) => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(OcrError::Failed(e.to_string()));
            }
        }
    }
}

/// A folder of its own for one OCR call, removed when dropped.
struct WorkDir {
    path: PathBuf,
}

impl WorkDir {
    fn new() -> std::io::Result<WorkDir> {
        static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let base = std::env::temp_dir();
        loop {
            let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let path = base.join(format!("plansjekk-ocr-{}-{n}", std::process::id()));
            match std::fs::create_dir(&path) {
                Ok(()) => return Ok(WorkDir { path }),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(e),
            }
        }
    }
}

impl Drop for WorkDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_tesseract_names_the_packages() {
        let options = OcrOptions {
            tesseract: PathBuf::from("/nonexistent/plansjekk-test/tesseract"),
            ..OcrOptions::default()
        };
        let e = available(&options).unwrap_err();
        assert!(matches!(e, OcrError::Unavailable(_)), "{e}");
        assert!(e.to_string().contains(PACKAGES), "{e}");
        // Asked once: the same answer again.
        assert_eq!(available(&options).unwrap_err(), e);
    }

    #[test]
    fn a_program_that_outlives_its_time_is_killed() {
        let options = OcrOptions::default();
        let work = WorkDir::new().unwrap();
        let mut cmd = Command::new("sleep");
        cmd.arg("30");
        let t = Instant::now();
        let r = run(
            cmd,
            &work.path.join("out"),
            &options,
            t + Duration::from_millis(200),
        );
        assert!(matches!(r, Err(OcrError::Timeout(_))), "{r:?}");
        assert!(t.elapsed() < Duration::from_secs(5));
    }
}

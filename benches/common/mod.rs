//! What the pipeline benchmarks share: the corpus they copy, the CPU of
//! the processes they start, and minimal PDFs. Each bench uses a part.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

#[path = "../../tests/common/pdf_file.rs"]
pub mod pdf_file;

/// CPU time (user + system) of this process's reaped descendants, and the
/// peak RSS of the largest of them in KiB.
#[cfg(unix)]
pub fn children_cpu() -> (f64, i64) {
    // SAFETY: an all-zero rusage is valid; getrusage fills it.
    let mut u: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: RUSAGE_CHILDREN with a valid pointer.
    unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut u) };
    let secs = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    (secs(u.ru_utime) + secs(u.ru_stime), u.ru_maxrss)
}

/// The bundled corpus's files (texts and PDFs), sorted.
pub fn corpus_files(root: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(root.join("corpus"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files
}

/// Wall time, CPU time (user + system, the process and its children) and
/// peak RSS of the largest of them, in KiB.
pub struct Cost {
    pub wall: f64,
    pub cpu: f64,
    pub max_rss_kib: i64,
    /// The exit code, `None` when a signal ended the process: a bench that
    /// times a refused input times nothing, so the caller checks it.
    pub exit: Option<i32>,
}

#[cfg(unix)]
pub fn measure(cmd: &mut Command) -> Cost {
    let start = Instant::now();
    #[allow(clippy::zombie_processes)] // reaped by wait4 below
    let child = cmd
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("starts");
    let mut status = 0;
    // SAFETY: an all-zero rusage is a valid value for wait4 to fill.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: waits for our own child, filling `status` and `usage`.
    unsafe { libc::wait4(child.id() as libc::pid_t, &mut status, 0, &mut usage) };
    let secs = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    // wait4 reports the child alone; its own children (workers) are in
    // RUSAGE_CHILDREN of this process, accumulated: measured as a difference.
    Cost {
        wall: start.elapsed().as_secs_f64(),
        cpu: secs(usage.ru_utime) + secs(usage.ru_stime),
        max_rss_kib: usage.ru_maxrss,
        exit: libc::WIFEXITED(status).then(|| libc::WEXITSTATUS(status)),
    }
}

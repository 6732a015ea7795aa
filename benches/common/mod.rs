//! What the pipeline benchmarks share: the corpus they copy and the CPU of
//! the processes they start.

use std::path::{Path, PathBuf};

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

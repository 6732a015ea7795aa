//! The output folder of a run: written whole in a staging folder beside it and
//! made current in one step at the end, so a reader (or a killed run) only ever
//! sees the old outputs or the new ones, never a mix. A lock file beside it
//! keeps a second run off the same folder.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Why the output folder cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum FolderError {
    #[error("another plansjekk run (pid {pid}) is writing to {out}; wait for it, or remove {lock} if that process is gone")]
    Locked {
        pid: u32,
        out: PathBuf,
        lock: PathBuf,
    },
    #[error("{0} holds files that are not plansjekk outputs (no manifest.json); choose an empty or new --out folder")]
    Foreign(PathBuf),
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

/// A run's claim on its output folder.
pub struct OutputFolder {
    out: PathBuf,
    staging: PathBuf,
    lock: PathBuf,
}

/// `<parent>/.<name>.<suffix>`: beside the output folder, on the same file
/// system, so that renames are atomic.
fn beside(out: &Path, suffix: &str) -> PathBuf {
    let name = out
        .file_name()
        .map_or("out".into(), |n| n.to_string_lossy().into_owned());
    let parent = out.parent().filter(|p| !p.as_os_str().is_empty());
    parent
        .unwrap_or(Path::new("."))
        .join(format!(".{name}.{suffix}"))
}

fn alive(pid: u32) -> bool {
    #[cfg(unix)]
    {
        // SAFETY: signal 0 only checks that the process exists.
        unsafe { libc::kill(pid as libc::pid_t, 0) == 0 }
    }
    #[cfg(not(unix))]
    {
        let _ = pid;
        true
    }
}

impl OutputFolder {
    /// Takes the lock on `out` and prepares an empty staging folder.
    pub fn open(out: &Path) -> Result<OutputFolder, FolderError> {
        if out.is_dir() && !out.join("manifest.json").is_file() {
            let has_files = fs::read_dir(out)?.next().is_some();
            if has_files {
                return Err(FolderError::Foreign(out.to_path_buf()));
            }
        }
        if let Some(parent) = out.parent().filter(|p| !p.as_os_str().is_empty()) {
            fs::create_dir_all(parent)?;
        }
        let lock = beside(out, "lock");
        loop {
            match fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&lock)
            {
                Ok(mut f) => {
                    writeln!(f, "{}", std::process::id())?;
                    break;
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    let pid = fs::read_to_string(&lock)
                        .ok()
                        .and_then(|s| s.trim().parse::<u32>().ok());
                    match pid {
                        Some(pid) if pid != std::process::id() && alive(pid) => {
                            return Err(FolderError::Locked {
                                pid,
                                out: out.to_path_buf(),
                                lock,
                            })
                        }
                        // A run killed before it could unlock: take over.
                        _ => fs::remove_file(&lock)?,
                    }
                }
                Err(e) => return Err(e.into()),
            }
        }
        let folder = OutputFolder {
            out: out.to_path_buf(),
            staging: beside(out, &format!("staging-{}", std::process::id())),
            lock,
        };
        folder.remove_stale_staging();
        if folder.staging.exists() {
            fs::remove_dir_all(&folder.staging)?;
        }
        fs::create_dir_all(folder.staging.join("documents"))?;
        Ok(folder)
    }

    /// Staging folders of earlier runs that were killed: under the lock, no
    /// other run is using them.
    fn remove_stale_staging(&self) {
        let prefix = beside(&self.out, "staging-");
        let (Some(dir), Some(prefix)) = (
            prefix.parent(),
            prefix.file_name().map(|n| n.to_string_lossy().into_owned()),
        ) else {
            return;
        };
        let Ok(entries) = fs::read_dir(dir) else {
            return;
        };
        for e in entries.flatten() {
            if e.file_name().to_string_lossy().starts_with(&prefix) {
                let _ = fs::remove_dir_all(e.path());
            }
        }
    }

    /// Where this run writes.
    pub fn staging(&self) -> &Path {
        &self.staging
    }

    /// The folder the previous run left, if any.
    pub fn current(&self) -> &Path {
        &self.out
    }

    /// Makes the staging folder the output folder in one step, and removes
    /// the previous outputs.
    pub fn commit(self) -> std::io::Result<()> {
        sync_dir(&self.staging)?;
        if self.out.exists() {
            exchange(&self.staging, &self.out)?;
            // The staging path now holds the previous outputs.
            fs::remove_dir_all(&self.staging)?;
        } else {
            fs::rename(&self.staging, &self.out)?;
        }
        if let Some(parent) = self.out.parent() {
            let _ = sync_dir(parent);
        }
        Ok(())
    }
}

impl Drop for OutputFolder {
    fn drop(&mut self) {
        // A run that failed leaves the previous outputs as they were.
        if self.staging.exists() {
            let _ = fs::remove_dir_all(&self.staging);
        }
        let _ = fs::remove_file(&self.lock);
    }
}

fn sync_dir(dir: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        fs::File::open(dir)?.sync_all()
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        Ok(())
    }
}

/// Swaps two folders atomically (Linux `renameat2` with `RENAME_EXCHANGE`).
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let ca = CString::new(a.as_os_str().as_bytes()).map_err(std::io::Error::other)?;
    let cb = CString::new(b.as_os_str().as_bytes()).map_err(std::io::Error::other)?;
    // SAFETY: both paths are valid NUL-terminated strings for the call's duration.
    let r = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            ca.as_ptr(),
            libc::AT_FDCWD,
            cb.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if r == 0 {
        Ok(())
    } else {
        let e = std::io::Error::last_os_error();
        // File systems without exchange: two renames, the old folder set aside first.
        if e.raw_os_error() == Some(libc::EINVAL) || e.raw_os_error() == Some(libc::ENOSYS) {
            return exchange_by_renames(a, b);
        }
        Err(e)
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    exchange_by_renames(a, b)
}

fn exchange_by_renames(a: &Path, b: &Path) -> std::io::Result<()> {
    let aside = a.with_extension("previous");
    fs::rename(b, &aside)?;
    fs::rename(a, b)?;
    fs::rename(&aside, a)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp(name: &str) -> PathBuf {
        let p =
            std::env::temp_dir().join(format!("plansjekk-folder-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&p);
        fs::create_dir_all(&p).unwrap();
        p
    }

    #[test]
    fn a_committed_run_replaces_the_old_outputs_whole() {
        let root = temp("commit");
        let out = root.join("out");
        fs::create_dir_all(out.join("documents")).unwrap();
        fs::write(out.join("manifest.json"), "old").unwrap();
        fs::write(out.join("documents/stale.json"), "{}").unwrap();
        let f = OutputFolder::open(&out).unwrap();
        fs::write(f.staging().join("manifest.json"), "new").unwrap();
        f.commit().unwrap();
        assert_eq!(
            fs::read_to_string(out.join("manifest.json")).unwrap(),
            "new"
        );
        assert!(!out.join("documents/stale.json").exists());
        // Nothing is left beside it: no lock, no staging.
        let left: Vec<_> = fs::read_dir(&root)
            .unwrap()
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(left, vec![std::ffi::OsString::from("out")]);
    }

    #[test]
    fn a_failed_run_leaves_the_old_outputs() {
        let root = temp("fail");
        let out = root.join("out");
        fs::create_dir_all(&out).unwrap();
        fs::write(out.join("manifest.json"), "old").unwrap();
        {
            let f = OutputFolder::open(&out).unwrap();
            fs::write(f.staging().join("manifest.json"), "half").unwrap();
        }
        assert_eq!(
            fs::read_to_string(out.join("manifest.json")).unwrap(),
            "old"
        );
        assert!(OutputFolder::open(&out).is_ok());
    }

    #[test]
    fn a_folder_of_other_files_is_not_taken_over() {
        let root = temp("foreign");
        fs::write(root.join("notes.txt"), "mine").unwrap();
        assert!(matches!(
            OutputFolder::open(&root),
            Err(FolderError::Foreign(_))
        ));
    }

    #[test]
    fn a_live_lock_refuses_a_second_run() {
        let root = temp("live");
        let out = root.join("out");
        // Process 1 is always running.
        fs::write(beside(&out, "lock"), "1\n").unwrap();
        let e = OutputFolder::open(&out).err().expect("refused");
        assert!(matches!(e, FolderError::Locked { pid: 1, .. }), "{e}");
        assert!(e.to_string().contains("another plansjekk run"));
    }

    #[test]
    fn a_stale_lock_is_taken_over() {
        let root = temp("stale");
        let out = root.join("out");
        // No process has pid 0x7fff_fff0.
        fs::write(beside(&out, "lock"), "2147483632\n").unwrap();
        assert!(OutputFolder::open(&out).is_ok());
    }
}

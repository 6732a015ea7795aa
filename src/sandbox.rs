//! Confinement of a worker process: a hard memory limit, and death with its
//! parent. A worker runs one untrusted document; whatever that document asks
//! for, the batch must survive it, and a killed batch must not leave workers
//! behind.

/// Applies the limits to this process (a worker, right after it starts).
/// `max_memory` bounds its address space in bytes; `parent` is the pid of the
/// batch that started it, whose death ends this process too.
///
/// An allocation past the limit fails; Rust then aborts the worker, and the
/// batch reports the document as over its memory limit.
#[cfg(target_os = "linux")]
pub fn confine(max_memory: Option<u64>, parent: Option<u32>) {
    // SAFETY: setrlimit, prctl and getppid are called with valid arguments and
    // touch no memory of ours.
    unsafe {
        if let Some(bytes) = max_memory {
            let limit = libc::rlimit {
                rlim_cur: bytes as libc::rlim_t,
                rlim_max: bytes as libc::rlim_t,
            };
            libc::setrlimit(libc::RLIMIT_AS, &limit);
        }
        if let Some(parent) = parent {
            libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
            // The parent may have died before the signal was armed.
            if libc::getppid() as u32 != parent {
                libc::_exit(1);
            }
        }
    }
}

/// Elsewhere the limits are not applied: the per-document timeout still holds.
#[cfg(not(target_os = "linux"))]
pub fn confine(_max_memory: Option<u64>, _parent: Option<u32>) {}

/// Confines a helper program a reader starts (Tesseract for a scanned
/// page) as [`confine`] confines a worker: its address space bounded by
/// `max_memory`, and its death bound to this process's, so that a killed
/// worker leaves no OCR running. The caller bounds its time.
#[cfg(unix)]
pub fn confine_child(cmd: &mut std::process::Command, max_memory: u64) {
    use std::os::unix::process::CommandExt;
    let parent = std::process::id();
    // SAFETY: the hook runs in the child between fork and exec, and calls
    // only `confine`, whose setrlimit, prctl, getppid and _exit are
    // async-signal-safe; it allocates nothing.
    unsafe {
        cmd.pre_exec(move || {
            confine(Some(max_memory), Some(parent));
            Ok(())
        });
    }
}

/// Elsewhere the helper runs unconfined: its caller's time limit still holds.
#[cfg(not(unix))]
pub fn confine_child(_cmd: &mut std::process::Command, _max_memory: u64) {}

/// "1G", "512M", "1048576": a size in bytes, binary units.
pub fn parse_size(s: &str) -> Result<u64, String> {
    let s = s.trim();
    let (digits, unit) = match s.find(|c: char| !c.is_ascii_digit()) {
        Some(i) => (&s[..i], s[i..].trim()),
        None => (s, ""),
    };
    let n: u64 = digits
        .parse()
        .map_err(|_| format!("{s:?} is not a size (try 1G or 512M)"))?;
    let times: u64 = match unit.to_ascii_uppercase().as_str() {
        "" | "B" => 1,
        "K" | "KB" | "KIB" => 1 << 10,
        "M" | "MB" | "MIB" => 1 << 20,
        "G" | "GB" | "GIB" => 1 << 30,
        _ => return Err(format!("{s:?}: unknown unit {unit:?} (use K, M or G)")),
    };
    let bytes = n
        .checked_mul(times)
        .ok_or_else(|| format!("{s:?} is too large"))?;
    if bytes < 64 << 20 {
        return Err(format!(
            "{s:?} is below 64M, too little to read any document"
        ));
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_in_binary_units() {
        assert_eq!(parse_size("1G"), Ok(1 << 30));
        assert_eq!(parse_size("512M"), Ok(512 << 20));
        assert_eq!(parse_size("2 GiB"), Ok(2 << 30));
        assert!(parse_size("10M").is_err());
        assert!(parse_size("lots").is_err());
    }
}

//! Gives each build of plansjekk an identity: a digest of everything that
//! makes its behaviour (its sources, its data, the locked dependencies, the
//! compiler and the profile). A run's key includes it, so that records made
//! by another build are never reused, and two machines that build the same
//! commit the same way agree on it (the executable's own bytes, hashed at
//! every run before, cost ~10 ms a run and differ between equal builds).

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

/// What the identity is made of, relative to the package's root.
const INPUTS: &[&str] = &["src", "data", "Cargo.toml", "Cargo.lock", "build.rs"];

fn main() {
    let root = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let mut files = Vec::new();
    for input in INPUTS {
        println!("cargo:rerun-if-changed={input}");
        collect(&root.join(input), &mut files);
    }
    files.sort();
    let mut h = Sha256::new();
    for f in &files {
        let rel = f.strip_prefix(&root).unwrap_or(f);
        h.update(rel.to_string_lossy().as_bytes());
        h.update([0]);
        h.update(std::fs::read(f).unwrap_or_default());
        h.update([0]);
    }
    for var in ["PROFILE", "OPT_LEVEL", "DEBUG", "TARGET"] {
        h.update(std::env::var(var).unwrap_or_default().as_bytes());
        h.update([0]);
    }
    for (k, _) in std::env::vars().filter(|(k, _)| k.starts_with("CARGO_FEATURE_")) {
        h.update(k.as_bytes());
    }
    let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    if let Ok(o) = std::process::Command::new(rustc).arg("-vV").output() {
        h.update(&o.stdout);
    }
    let digest: String = h.finalize().iter().map(|b| format!("{b:02x}")).collect();
    println!("cargo:rustc-env=PLANSJEKK_BUILD={digest}");
}

/// Every file under `p` (or `p` itself), links not followed.
fn collect(p: &Path, files: &mut Vec<PathBuf>) {
    let Ok(meta) = std::fs::symlink_metadata(p) else {
        return;
    };
    if meta.is_dir() {
        if let Ok(entries) = std::fs::read_dir(p) {
            for e in entries.flatten() {
                collect(&e.path(), files);
            }
        }
    } else if meta.is_file() {
        files.push(p.to_path_buf());
    }
}

//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use plansjekk::emit::record::Record;
use plansjekk::ingest::IngestOptions;
use plansjekk::pipeline::{process_bytes, slug, DocError};

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `../shared` beside the checkout (CI has it; a lone clone may not).
pub fn shared() -> Option<PathBuf> {
    let p = root().join("../shared");
    p.is_dir().then_some(p)
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

/// A fresh, empty temporary folder for one test.
pub fn tempdir(name: &str) -> PathBuf {
    let p = std::env::temp_dir().join(format!("plansjekk-test-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&p);
    std::fs::create_dir_all(&p).unwrap();
    p
}

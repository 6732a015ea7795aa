//! JSON files, written atomically: a temporary file in the target folder, then a
//! rename, so an interrupted run never leaves a half-written output.

use std::fs;
use std::io::Write;
use std::path::Path;

use serde::Serialize;

/// Writes `bytes` to `path` atomically.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(dir)?;
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("out");
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut f = fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// Pretty JSON with a final newline: stable, diff-friendly output.
pub fn to_pretty<T: Serialize>(value: &T) -> String {
    let mut s = serde_json::to_string_pretty(value).expect("records serialise");
    s.push('\n');
    s
}

/// Compact JSON with a final newline: for the records, of which a run
/// writes one per document, the indentation was a third of their bytes
/// (`jq .` indents one for reading).
pub fn to_compact<T: Serialize>(value: &T) -> String {
    let mut s = serde_json::to_string(value).expect("records serialise");
    s.push('\n');
    s
}

pub fn write_json<T: Serialize>(path: &Path, value: &T) -> std::io::Result<()> {
    write_atomic(path, to_pretty(value).as_bytes())
}

//! Names: document ids from file names, the grammar every id read back must
//! follow, and content hashes.

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// The sha256 of a file, read in pieces (memory stays small for any size).
pub fn sha256_file(path: &Path) -> std::io::Result<String> {
    use std::io::Read;
    let mut f = std::fs::File::open(path)?;
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = f.read(&mut buf)?;
        if n == 0 {
            break;
        }
        h.update(&buf[..n]);
    }
    Ok(h.finalize().iter().map(|b| format!("{b:02x}")).collect())
}

/// A readable, stable id from the file name: lower-case ASCII, dashes, with the
/// extension kept ("handlingsplan-2025-pdf").
pub fn slug(path: &Path) -> String {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "document".into());
    let mut out = String::new();
    for c in name.to_lowercase().chars() {
        let mapped = match c {
            'æ' => "ae".to_string(),
            'ø' => "o".to_string(),
            'å' => "a".to_string(),
            c if c.is_ascii_alphanumeric() => c.to_string(),
            _ => "-".to_string(),
        };
        out.push_str(&mapped);
    }
    let parts: Vec<&str> = out.split('-').filter(|p| !p.is_empty()).collect();
    let s = parts.join("-");
    if s.is_empty() {
        return "document".into();
    }
    // File systems allow 255 bytes a name: a very long one keeps its start and
    // a hash of the whole.
    if s.len() > 120 {
        let h = sha256_hex(s.as_bytes());
        return format!("{}-{}", s[..100].trim_end_matches('-'), &h[..8]);
    }
    s
}

/// True for an id as [`slug`] and [`assign_ids`] make them: lower-case ASCII
/// letters and digits in dash-separated runs, at most 128 bytes. Ids read
/// back from a manifest or a record name files, so anything else (`..`, `/`,
/// a NUL) is refused before it reaches a path.
pub fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 128
        && id.split('-').all(|part| {
            !part.is_empty()
                && part
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

/// Ids for all inputs: the slug of the file name; where two inputs share it,
/// the slug of their paths below the folder they share ("chromium-plan-pdf"
/// beside "plan-pdf"), and where even those meet, a hash of the path. Depends
/// only on the inputs, never on their content or processing order, so two
/// copies of one file get two ids.
pub fn assign_ids(inputs: &[PathBuf]) -> Vec<String> {
    let slugs: Vec<String> = inputs.iter().map(|p| slug(p)).collect();
    let mut ids = slugs.clone();
    let mut groups: std::collections::BTreeMap<&str, Vec<usize>> = Default::default();
    for (i, s) in slugs.iter().enumerate() {
        groups.entry(s.as_str()).or_default().push(i);
    }
    for members in groups.values().filter(|m| m.len() > 1) {
        let paths: Vec<Vec<String>> = members
            .iter()
            .map(|&i| {
                inputs[i]
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect()
            })
            .collect();
        let shared = (0..)
            .take_while(|&k| paths.iter().all(|p| k + 1 < p.len() && p[k] == paths[0][k]))
            .count();
        for (&i, parts) in members.iter().zip(&paths) {
            ids[i] = slug(Path::new(&parts[shared..].join("-")));
        }
    }
    // Still shared (names that differ only in case or punctuation): the path's hash.
    let mut counts: std::collections::HashMap<String, usize> = Default::default();
    for id in &ids {
        *counts.entry(id.clone()).or_default() += 1;
    }
    for (id, p) in ids.iter_mut().zip(inputs) {
        if counts[id.as_str()] > 1 {
            let h = sha256_hex(p.to_string_lossy().as_bytes());
            *id = format!("{id}-{}", &h[..8]);
        }
    }
    ids
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_readable() {
        assert_eq!(
            slug(Path::new("corpus/Handlingsplan 2025 – Bygdevekst.pdf")),
            "handlingsplan-2025-bygdevekst-pdf"
        );
        assert_eq!(
            slug(Path::new("Årsrapport_Målselv.docx")),
            "arsrapport-malselv-docx"
        );
    }
}

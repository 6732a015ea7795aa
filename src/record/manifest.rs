//! The manifest of an output folder: which documents a run read, how each
//! went, and what made the records (so a later run can reuse them).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::failure::DocError;
use super::ids::valid_id;
use super::SCHEMA_VERSION;

/// How a run went for one input.
#[derive(Clone, Copy, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum DocStatus {
    /// Read: its record is in `documents/`.
    Ok,
    /// Not read: its `error` says why.
    Failed,
    /// A file of an input folder that is not a document.
    Skipped,
}

impl DocStatus {
    /// As the manifest and the knowledge base spell it.
    pub fn as_str(self) -> &'static str {
        match self {
            DocStatus::Ok => "ok",
            DocStatus::Failed => "failed",
            DocStatus::Skipped => "skipped",
        }
    }
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct ManifestEntry {
    pub path: String,
    pub id: String,
    pub sha256: Option<String>,
    pub bytes: Option<u64>,
    pub format: Option<String>,
    pub status: DocStatus,
    pub pages: Option<u32>,
    pub findings: usize,
    /// Share of the PDF's digits the record holds (see the record's `source.numbers`).
    pub numbers: Option<f64>,
    pub error: Option<DocError>,
    /// The document's title, as its record gives it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Its findings by rule, then severity: what the report's index and a
    /// re-run that keeps the document need without reading its record.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub by_rule: BTreeMap<String, BTreeMap<String, usize>>,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Manifest {
    pub plansjekk_version: String,
    pub schema_version: String,
    /// What made the records (plansjekk's build and the options that change
    /// them): a run with the same key reuses the records of unchanged files.
    #[serde(default)]
    pub run_key: Option<String>,
    /// A digest of the baseline and waivers the outputs mark findings by.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub review: String,
    /// The slice of the inputs this run processed (`--shard K/N`); null for a
    /// whole run or a merge.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shard: Option<Shard>,
    /// The whole input list a shard was cut from: merged shards must share it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inputs: Option<InputList>,
    pub documents: Vec<ManifestEntry>,
    pub summary: Summary,
}

impl Manifest {
    /// The manifest of an output folder, checked before any of it names a
    /// file: written by this schema version, every document's id valid.
    pub fn read(dir: &Path) -> Result<Manifest, String> {
        let path = dir.join("manifest.json");
        let meta =
            std::fs::symlink_metadata(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        if !meta.is_file() {
            return Err(format!("{} is not a regular file", path.display()));
        }
        let bytes = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let m: Manifest =
            serde_json::from_slice(&bytes).map_err(|e| format!("{}: {e}", path.display()))?;
        if m.schema_version != SCHEMA_VERSION {
            return Err(format!(
                "{}: records of schema version {:?}, this plansjekk reads version {SCHEMA_VERSION}",
                path.display(),
                m.schema_version
            ));
        }
        if let Some(bad) = m
            .documents
            .iter()
            .find(|e| e.status != DocStatus::Skipped && !valid_id(&e.id))
        {
            return Err(format!(
                "{}: {:?} is not a document id plansjekk writes",
                path.display(),
                bad.id
            ));
        }
        Ok(m)
    }
}

/// The run's whole input list (before any shard's slice), as shards must
/// share it: how many inputs, and a digest of their ids and paths.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct InputList {
    pub count: usize,
    pub sha256: String,
}

impl InputList {
    pub fn of(inputs: &[PathBuf], ids: &[String]) -> InputList {
        let mut h = Sha256::new();
        for (p, id) in inputs.iter().zip(ids) {
            h.update(id.as_bytes());
            h.update(b"\0");
            h.update(p.to_string_lossy().as_bytes());
            h.update(b"\0");
        }
        InputList {
            count: inputs.len(),
            sha256: h.finalize().iter().map(|b| format!("{b:02x}")).collect(),
        }
    }
}

#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct Summary {
    pub ok: usize,
    pub failed: usize,
    /// Files of the input folders that are not documents.
    #[serde(default)]
    pub skipped: usize,
    pub pages: u64,
    pub findings: usize,
}

impl Summary {
    /// The counts of a run's documents.
    pub fn of(documents: &[ManifestEntry]) -> Summary {
        let mut summary = Summary::default();
        for e in documents {
            match e.status {
                DocStatus::Ok => summary.ok += 1,
                DocStatus::Skipped => summary.skipped += 1,
                DocStatus::Failed => summary.failed += 1,
            }
            summary.pages += u64::from(e.pages.unwrap_or(0));
            summary.findings += e.findings;
        }
        summary
    }
}

/// The K-th of N slices of a run's sorted inputs (`--shard K/N`, K from 1),
/// for a batch engine that runs the slices apart (a Kubernetes Indexed Job, a
/// Slurm job array); `plansjekk merge` joins their outputs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shard {
    pub index: usize,
    pub count: usize,
}

impl Shard {
    /// Contiguous slices, as even as can be: the same inputs always make the
    /// same slices, and the slices in order are the whole list in order.
    pub fn range(self, len: usize) -> std::ops::Range<usize> {
        let cut = |k: usize| k * len / self.count;
        cut(self.index - 1)..cut(self.index)
    }
}

impl std::str::FromStr for Shard {
    type Err = String;

    fn from_str(s: &str) -> Result<Shard, String> {
        let (k, n) = s
            .split_once('/')
            .ok_or_else(|| format!("«{s}» is not K/N (e.g. 2/8)"))?;
        let k: usize = k
            .trim()
            .parse()
            .map_err(|_| format!("«{k}» is not a number"))?;
        let n: usize = n
            .trim()
            .parse()
            .map_err(|_| format!("«{n}» is not a number"))?;
        if n == 0 || k == 0 || k > n {
            return Err(format!("shard {k}/{n}: K runs from 1 to N"));
        }
        Ok(Shard { index: k, count: n })
    }
}

/// Findings counted by rule, then severity, as [`ManifestEntry::by_rule`]
/// keeps them.
pub fn findings_by_rule(findings: &[super::Finding]) -> BTreeMap<String, BTreeMap<String, usize>> {
    let mut by: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
    for f in findings {
        *by.entry(f.rule.clone())
            .or_default()
            .entry(f.severity.clone())
            .or_default() += 1;
    }
    by
}

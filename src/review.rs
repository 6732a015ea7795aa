//! What an auditor has already seen: a baseline of the findings of an
//! earlier run (later runs report only what is new, and what was fixed), and
//! waivers, findings reviewed and accepted with who, when and why (shown as
//! waived, never as new; a waiver whose finding is gone is stale). Both name
//! findings by their stable id (`emit::record::assign_finding_ids`).
//!
//! The baseline is JSON written by `plansjekk baseline`; the waivers are TOML
//! written by people:
//!
//! ```toml
//! [[waiver]]
//! finding = "text-vs-table-3f2a9c1e7b4d0a11"
//! document = "handlingsplan-2025-txt"   # for the reader; optional
//! reviewer = "Kari Nordmann"
//! date = "2026-11-30"
//! reason = "The table is the adopted budget; the text quotes a draft."
//! ```

use std::collections::{BTreeMap, HashSet};
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::emit::record::Finding;

/// Why a baseline or waiver file cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ReviewError {
    #[error("{path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("{path}: {message}")]
    Parse { path: String, message: String },
}

/// A finding as the baseline remembers it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Known {
    pub id: String,
    pub document: String,
    pub rule: String,
    pub message: String,
}

/// The findings of a run, as `plansjekk baseline` writes them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    /// The file format's version.
    pub plansjekk_baseline: u32,
    pub findings: Vec<Known>,
}

impl Baseline {
    /// The findings of these documents, in order.
    pub fn of<'a>(findings: impl IntoIterator<Item = (&'a str, &'a Finding)>) -> Baseline {
        Baseline {
            plansjekk_baseline: 1,
            findings: findings
                .into_iter()
                .map(|(document, f)| Known {
                    id: f.id.clone(),
                    document: document.to_string(),
                    rule: f.rule.clone(),
                    message: f.message.clone(),
                })
                .collect(),
        }
    }
}

/// A reviewed finding, accepted.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Waiver {
    pub finding: String,
    pub document: Option<String>,
    pub reviewer: String,
    /// When it was reviewed (YYYY-MM-DD).
    pub date: String,
    pub reason: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WaiverFile {
    #[serde(default)]
    waiver: Vec<Waiver>,
}

/// What a finding is to the auditor.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// Not in the baseline, not waived: to be read.
    New,
    /// In the baseline: seen before.
    Baseline,
    /// Reviewed and accepted.
    Waived,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::New => "new",
            Status::Baseline => "baseline",
            Status::Waived => "waived",
        }
    }
}

/// The baseline and the waivers of a run.
#[derive(Clone, Debug, Default)]
pub struct Review {
    baseline: Option<BTreeMap<String, Known>>,
    waivers: BTreeMap<String, Waiver>,
    /// A digest of both, so that outputs made under another review are
    /// written anew.
    pub digest: String,
}

fn read(path: &Path) -> Result<String, ReviewError> {
    std::fs::read_to_string(path).map_err(|source| ReviewError::Io {
        path: path.display().to_string(),
        source,
    })
}

impl Review {
    /// Reads the baseline and the waivers, when given.
    pub fn load(baseline: Option<&Path>, waivers: Option<&Path>) -> Result<Review, ReviewError> {
        let mut review = Review::default();
        let mut digest = String::new();
        if let Some(p) = baseline {
            let text = read(p)?;
            let b: Baseline = serde_json::from_str(&text).map_err(|e| ReviewError::Parse {
                path: p.display().to_string(),
                message: e.to_string(),
            })?;
            review.baseline = Some(b.findings.into_iter().map(|k| (k.id.clone(), k)).collect());
            digest.push_str(&crate::pipeline::sha256_hex(text.as_bytes()));
        }
        if let Some(p) = waivers {
            let text = read(p)?;
            let w: WaiverFile = toml::from_str(&text).map_err(|e| ReviewError::Parse {
                path: p.display().to_string(),
                message: e.to_string(),
            })?;
            for waiver in w.waiver {
                let valid_date = waiver.date.len() == 10
                    && waiver.date.as_bytes()[4] == b'-'
                    && waiver.date.as_bytes()[7] == b'-'
                    && waiver.date.chars().filter(char::is_ascii_digit).count() == 8;
                if !valid_date
                    || waiver.reviewer.trim().is_empty()
                    || waiver.reason.trim().is_empty()
                {
                    return Err(ReviewError::Parse {
                        path: p.display().to_string(),
                        message: format!(
                            "the waiver of {} needs a reviewer, a date (YYYY-MM-DD) and a reason",
                            waiver.finding
                        ),
                    });
                }
                review.waivers.insert(waiver.finding.clone(), waiver);
            }
            digest.push('|');
            digest.push_str(&crate::pipeline::sha256_hex(text.as_bytes()));
        }
        review.digest = digest;
        Ok(review)
    }

    /// Whether there is a baseline.
    pub fn has_baseline(&self) -> bool {
        self.baseline.is_some()
    }

    /// What the finding with this id is.
    pub fn status(&self, id: &str) -> Status {
        if self.waivers.contains_key(id) {
            Status::Waived
        } else if self.baseline.as_ref().is_some_and(|b| b.contains_key(id)) {
            Status::Baseline
        } else {
            Status::New
        }
    }

    /// The waiver of a finding.
    pub fn waiver(&self, id: &str) -> Option<&Waiver> {
        self.waivers.get(id)
    }

    /// Of the baseline, the findings not seen now (fixed); of the waivers,
    /// those whose finding is not seen now (stale).
    pub fn gone(&self, seen: &HashSet<&str>) -> (Vec<&Known>, Vec<&Waiver>) {
        let fixed = self
            .baseline
            .iter()
            .flat_map(|b| b.values())
            .filter(|k| !seen.contains(k.id.as_str()))
            .collect();
        let stale = self
            .waivers
            .values()
            .filter(|w| !seen.contains(w.finding.as_str()))
            .collect();
        (fixed, stale)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp(name: &str, text: &str) -> std::path::PathBuf {
        let p =
            std::env::temp_dir().join(format!("plansjekk-review-{name}-{}", std::process::id()));
        std::fs::write(&p, text).unwrap();
        p
    }

    #[test]
    fn the_documented_waiver_reads_and_wins_over_the_baseline() {
        let example = crate::test_support::toml_example(include_str!("review.rs"));
        let w = temp("waivers.toml", &example);
        let b = temp(
            "baseline.json",
            r#"{"plansjekk_baseline": 1, "findings": [
                {"id": "text-vs-table-3f2a9c1e7b4d0a11", "document": "d", "rule": "text-vs-table", "message": "m"},
                {"id": "row-sum-00", "document": "d", "rule": "row-sum", "message": "m"},
                {"id": "row-sum-11", "document": "d", "rule": "row-sum", "message": "m"}]}"#,
        );
        let r = Review::load(Some(&b), Some(&w)).unwrap();
        assert_eq!(r.status("text-vs-table-3f2a9c1e7b4d0a11"), Status::Waived);
        assert_eq!(r.status("row-sum-00"), Status::Baseline);
        assert_eq!(r.status("column-sum-99"), Status::New);
        let seen: HashSet<&str> = ["row-sum-00"].into_iter().collect();
        let (fixed, stale) = r.gone(&seen);
        let fixed: Vec<&str> = fixed.iter().map(|k| k.id.as_str()).collect();
        assert_eq!(fixed, vec!["row-sum-11", "text-vs-table-3f2a9c1e7b4d0a11"]);
        assert_eq!(stale.len(), 1, "the waived finding is not seen: stale");
    }

    #[test]
    fn a_waiver_without_reviewer_date_or_reason_is_refused() {
        let w = temp(
            "bad.toml",
            "[[waiver]]\nfinding = \"x\"\nreviewer = \"K\"\ndate = \"30.11.2026\"\nreason = \"ok\"\n",
        );
        let e = Review::load(None, Some(&w)).unwrap_err().to_string();
        assert!(e.contains("YYYY-MM-DD"), "{e}");
        let w = temp("unknown.toml", "[[waiver]]\nfinding = \"x\"\nwho = \"K\"\n");
        assert!(Review::load(None, Some(&w)).is_err());
    }
}

//! What an auditor has already seen: a baseline of the findings of an
//! earlier run (later runs report only what is new, and what was fixed), and
//! waivers, findings reviewed and accepted with who, when and why (shown as
//! waived, never as new; a waiver whose finding is gone is stale). Both name
//! findings by their stable id (`record::assign_finding_ids`).
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

use crate::record::Finding;

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

/// The baseline format this plansjekk writes and reads.
pub const BASELINE_FORMAT: u32 = 1;

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
            plansjekk_baseline: BASELINE_FORMAT,
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
    crate::config::read_regular_file(path, crate::config::MAX_FILE_BYTES).map_err(|source| {
        ReviewError::Io {
            path: path.display().to_string(),
            source,
        }
    })
}

/// Whether `s` is a day of the calendar written YYYY-MM-DD: "2026-02-30"
/// has the shape but is no day, and a waiver dated so was not reviewed then.
fn is_calendar_date(s: &str) -> bool {
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| {
        b[r.clone()]
            .iter()
            .all(u8::is_ascii_digit)
            .then(|| s[r].parse::<u32>().ok())?
    };
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let (Some(y), Some(m), Some(d)) = (digits(0..4), digits(5..7), digits(8..10)) else {
        return false;
    };
    let leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    y >= 1 && (1..=days).contains(&d)
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
            // Another format's ids or fields may mean something else: not
            // guessed at, since a finding wrongly taken as known is hidden.
            if b.plansjekk_baseline != BASELINE_FORMAT {
                return Err(ReviewError::Parse {
                    path: p.display().to_string(),
                    message: format!(
                        "plansjekk_baseline = {}: this plansjekk reads baseline format {BASELINE_FORMAT} only; write the baseline anew with `plansjekk baseline`",
                        b.plansjekk_baseline
                    ),
                });
            }
            review.baseline = Some(b.findings.into_iter().map(|k| (k.id.clone(), k)).collect());
            digest.push_str(&crate::record::sha256_hex(text.as_bytes()));
        }
        if let Some(p) = waivers {
            let text = read(p)?;
            let w: WaiverFile = toml::from_str(&text).map_err(|e| ReviewError::Parse {
                path: p.display().to_string(),
                message: e.to_string(),
            })?;
            for (n, waiver) in w.waiver.into_iter().enumerate() {
                let problem = if waiver.finding.trim().is_empty() {
                    Some(format!("finding = {:?}: names no finding", waiver.finding))
                } else if waiver.reviewer.trim().is_empty() || waiver.reason.trim().is_empty() {
                    Some("needs a reviewer, a date (YYYY-MM-DD) and a reason".to_string())
                } else if !is_calendar_date(&waiver.date) {
                    Some(format!(
                        "date = {:?}: not a day of the calendar written YYYY-MM-DD",
                        waiver.date
                    ))
                } else if review.waivers.contains_key(&waiver.finding) {
                    Some("waives a finding an earlier waiver waives already".to_string())
                } else {
                    None
                };
                if let Some(problem) = problem {
                    return Err(ReviewError::Parse {
                        path: p.display().to_string(),
                        message: format!("waiver {} (of {}): {problem}", n + 1, waiver.finding),
                    });
                }
                review.waivers.insert(waiver.finding.clone(), waiver);
            }
            digest.push('|');
            digest.push_str(&crate::record::sha256_hex(text.as_bytes()));
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

    #[test]
    fn only_days_of_the_calendar_are_dates() {
        for good in ["2026-11-30", "2024-02-29", "2000-02-29", "0001-01-01"] {
            assert!(is_calendar_date(good), "{good}");
        }
        for bad in [
            "2026-99-99",
            "2026-02-29",
            "1900-02-29",
            "2026-04-31",
            "2026-00-10",
            "2026-01-00",
            "0000-01-01",
            "2026-1-300",
            "+026-01-01",
            "2026-11-3",
            "2026-11-300",
            "２０２６-01-01",
        ] {
            assert!(!is_calendar_date(bad), "{bad}");
        }
    }

    #[test]
    fn a_waiver_dated_no_day_is_refused_naming_the_key() {
        let w = temp(
            "nodate.toml",
            "[[waiver]]\nfinding = \"x\"\nreviewer = \"K\"\ndate = \"2026-99-99\"\nreason = \"ok\"\n",
        );
        let e = Review::load(None, Some(&w)).unwrap_err().to_string();
        assert!(
            e.contains("waiver 1 (of x): date = \"2026-99-99\"")
                && e.contains(&w.display().to_string()),
            "{e}"
        );
        let twice = "[[waiver]]\nfinding = \"x\"\nreviewer = \"K\"\ndate = \"2026-01-02\"\nreason = \"ok\"\n";
        let w = temp("twice.toml", &twice.repeat(2));
        let e = Review::load(None, Some(&w)).unwrap_err().to_string();
        assert!(e.contains("waiver 2 (of x)"), "{e}");
    }

    #[test]
    fn a_baseline_of_an_unknown_format_is_refused() {
        let b = temp(
            "future.json",
            r#"{"plansjekk_baseline": 99, "findings": []}"#,
        );
        let e = Review::load(Some(&b), None).unwrap_err().to_string();
        assert!(e.contains("plansjekk_baseline = 99"), "{e}");
        let b = temp(
            "current.json",
            r#"{"plansjekk_baseline": 1, "findings": []}"#,
        );
        assert!(Review::load(Some(&b), None).unwrap().has_baseline());
    }
}

//! What `plansjekk check` prints: for people, each new finding with its
//! source lines, the waived ones in a line each, what the baseline knew and
//! what has been fixed since; for programs, the same as one JSON document
//! (`schemas/check.schema.json`) or as JSON lines, a finding a line.

use std::collections::HashSet;
use std::io::Write;
use std::path::PathBuf;

use serde_json::{json, Value};

use super::record::{Finding, Record};
use crate::pipeline::DocError;
use crate::review::{Review, Status};

/// A checked input: its path and its record, or why it could not be read.
pub type Checked = (PathBuf, Result<Record, DocError>);

/// The counts of a check.
pub struct Outcome {
    pub new_errors: usize,
    pub new_warnings: usize,
    pub baseline: usize,
    pub waived: usize,
    pub failed: usize,
    pub fixed: Vec<crate::review::Known>,
    pub stale: Vec<crate::review::Waiver>,
}

fn records(results: &[Checked]) -> impl Iterator<Item = &Record> {
    results.iter().filter_map(|(_, r)| r.as_ref().ok())
}

impl Outcome {
    pub fn new(results: &[Checked], review: &Review) -> Outcome {
        let mut o = Outcome {
            new_errors: 0,
            new_warnings: 0,
            baseline: 0,
            waived: 0,
            failed: results.iter().filter(|(_, r)| r.is_err()).count(),
            fixed: Vec::new(),
            stale: Vec::new(),
        };
        let mut seen = HashSet::new();
        for f in records(results).flat_map(|r| &r.findings) {
            seen.insert(f.id.as_str());
            match review.status(&f.id) {
                Status::New if f.severity == "error" => o.new_errors += 1,
                Status::New => o.new_warnings += 1,
                Status::Baseline => o.baseline += 1,
                Status::Waived => o.waived += 1,
            }
        }
        let (fixed, stale) = review.gone(&seen);
        o.fixed = fixed.into_iter().cloned().collect();
        o.stale = stale.into_iter().cloned().collect();
        o
    }

    /// For people.
    pub fn text(
        &self,
        results: &[Checked],
        review: &Review,
        skipped: &[(PathBuf, String)],
        color: bool,
    ) -> String {
        let mut out = String::new();
        for (path, r) in results {
            match r {
                Ok(rec) => {
                    let mut shown = rec.clone();
                    shown
                        .findings
                        .retain(|f| review.status(&f.id) == Status::New);
                    if !shown.findings.is_empty() {
                        out.push_str(&super::terminal::render_record(&shown, color));
                        out.push('\n');
                    }
                    for f in &rec.findings {
                        if let Some(w) = review.waiver(&f.id) {
                            out.push_str(&format!(
                                "waived: {} {} [{}] {}: {} ({}, {})\n",
                                rec.source.path,
                                f.id,
                                f.rule,
                                f.message,
                                w.reason,
                                w.reviewer,
                                w.date
                            ));
                        }
                    }
                }
                Err(e) => out.push_str(&format!(
                    "{}: could not be read [{}] {}\n\n",
                    path.display(),
                    e.class,
                    e.message
                )),
            }
        }
        for k in &self.fixed {
            out.push_str(&format!(
                "fixed since the baseline: {} {} [{}] {}\n",
                k.document, k.id, k.rule, k.message
            ));
        }
        for w in &self.stale {
            out.push_str(&format!(
                "stale waiver: {} (by {}, {}) names a finding that no longer exists\n",
                w.finding, w.reviewer, w.date
            ));
        }
        let n = results.len();
        let plural = |k: usize, word: &str| format!("{k} {word}{}", if k == 1 { "" } else { "s" });
        let mut summary = format!(
            "{}: {}, {}",
            plural(n, "document"),
            plural(self.new_errors, "error"),
            plural(self.new_warnings, "warning")
        );
        if review.has_baseline() {
            summary.push_str(&format!(
                " new; {} in the baseline; {} fixed",
                self.baseline,
                self.fixed.len()
            ));
        }
        if self.waived > 0 || !self.stale.is_empty() {
            summary.push_str(&format!(
                "; {} waived; {}",
                self.waived,
                plural(self.stale.len(), "stale waiver")
            ));
        }
        if self.failed > 0 {
            summary.push_str(&format!("; {} could not be read", self.failed));
        }
        if !skipped.is_empty() {
            summary.push_str(&format!("; {} skipped (not documents)", skipped.len()));
        }
        out.push_str(&summary);
        out.push('\n');
        out
    }

    /// One JSON document (`schemas/check.schema.json`).
    pub fn json(&self, results: &[Checked], review: &Review) -> Value {
        let documents: Vec<Value> = results
            .iter()
            .map(|(path, r)| match r {
                Ok(rec) => json!({
                    "path": path.to_string_lossy(), "id": rec.id, "status": "ok", "error": null,
                    "findings": rec.findings.iter().map(|f| finding(f, review)).collect::<Vec<_>>(),
                }),
                Err(e) => json!({
                    "path": path.to_string_lossy(), "id": null, "status": "failed",
                    "error": {"class": e.class, "message": e.message}, "findings": [],
                }),
            })
            .collect();
        json!({
            "documents": documents,
            "fixed": self.fixed,
            "stale_waivers": self.stale,
            "summary": {
                "documents": results.len(),
                "errors": self.new_errors,
                "warnings": self.new_warnings,
                "baseline": self.baseline,
                "waived": self.waived,
                "fixed": self.fixed.len(),
                "stale_waivers": self.stale.len(),
                "failed": self.failed,
            },
        })
    }

    /// A finding a line, then a line per failed document, fixed finding and
    /// stale waiver (`"type"` says which).
    pub fn jsonl(
        &self,
        results: &[Checked],
        review: &Review,
        out: &mut impl Write,
    ) -> std::io::Result<()> {
        for (path, r) in results {
            match r {
                Ok(rec) => {
                    for f in &rec.findings {
                        let mut v = finding(f, review);
                        v["type"] = json!("finding");
                        v["document"] = json!(rec.id);
                        v["path"] = json!(path.to_string_lossy());
                        writeln!(out, "{v}")?;
                    }
                }
                Err(e) => writeln!(
                    out,
                    "{}",
                    json!({"type": "failure", "path": path.to_string_lossy(), "error": {"class": e.class, "message": e.message}})
                )?,
            }
        }
        for k in &self.fixed {
            let mut v = json!(k);
            v["type"] = json!("fixed");
            writeln!(out, "{v}")?;
        }
        for w in &self.stale {
            let mut v = json!(w);
            v["type"] = json!("stale-waiver");
            writeln!(out, "{v}")?;
        }
        Ok(())
    }
}

/// A finding with its review status (and waiver).
fn finding(f: &Finding, review: &Review) -> Value {
    let mut v = serde_json::to_value(f).unwrap_or(Value::Null);
    v["status"] = json!(review.status(&f.id).as_str());
    if let Some(w) = review.waiver(&f.id) {
        v["waiver"] = json!(w);
    }
    v
}

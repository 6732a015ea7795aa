//! What `plansjekk check` prints: for people, each new finding with its
//! source lines, the waived ones in a line each, what the baseline knew and
//! what has been fixed since; for programs, the same as one JSON document
//! (`schemas/check.schema.json`) or as JSON lines, a finding a line.

use std::collections::HashSet;
use std::io::Write;
use std::path::PathBuf;

use serde_json::{json, Value};

use super::terminal::escape;
use crate::record::DocError;
use crate::record::{Finding, Record};
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
                Status::New if f.severity == "warning" => o.new_warnings += 1,
                // A notice ("could not reconcile") is kept only on request
                // and never fails a check.
                Status::New => {}
                Status::Baseline => o.baseline += 1,
                Status::Waived => o.waived += 1,
            }
        }
        let (fixed, stale) = review.gone(&seen);
        o.fixed = fixed.into_iter().cloned().collect();
        o.stale = stale.into_iter().cloned().collect();
        o
    }

    /// For people; everything from documents, their file names and the
    /// review files is escaped ([`escape`]), for it goes to a terminal.
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
                                escape(&rec.source.path),
                                escape(&f.id),
                                escape(&f.rule),
                                escape(&f.message),
                                escape(&w.reason),
                                escape(&w.reviewer),
                                escape(&w.date)
                            ));
                        }
                    }
                }
                Err(e) => out.push_str(&format!(
                    "{}: could not be read [{}] {}\n\n",
                    escape(&path.display().to_string()),
                    escape(&e.class),
                    escape(&e.message)
                )),
            }
        }
        for k in &self.fixed {
            out.push_str(&format!(
                "fixed since the baseline: {} {} [{}] {}\n",
                escape(&k.document),
                escape(&k.id),
                escape(&k.rule),
                escape(&k.message)
            ));
        }
        for w in &self.stale {
            out.push_str(&format!(
                "stale waiver: {} (by {}, {}) names a finding that no longer exists\n",
                escape(&w.finding),
                escape(&w.reviewer),
                escape(&w.date)
            ));
        }
        let n = results.len();
        let plural = super::terminal::count::<usize>;
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
                        writeln!(out, "{}", to_json_text(&v, false))?;
                    }
                }
                Err(e) => writeln!(
                    out,
                    "{}",
                    to_json_text(
                        &json!({"type": "failure", "path": path.to_string_lossy(), "error": {"class": e.class, "message": e.message}}),
                        false
                    )
                )?,
            }
        }
        for k in &self.fixed {
            let mut v = json!(k);
            v["type"] = json!("fixed");
            writeln!(out, "{}", to_json_text(&v, false))?;
        }
        for w in &self.stale {
            let mut v = json!(w);
            v["type"] = json!("stale-waiver");
            writeln!(out, "{}", to_json_text(&v, false))?;
        }
        Ok(())
    }
}

/// `value` as JSON text that is safe on a terminal too: serde_json writes
/// C0 controls as `\u001b` already, but DEL, C1 controls (U+009B is a CSI
/// to many terminals), bidi controls and the line separators raw, as JSON
/// allows; here they are `\uXXXX` escapes, which read back as the same
/// string. Outside strings serde_json writes ASCII only, so every such
/// character is inside a string, where an escape means the character.
pub fn to_json_text(value: &Value, pretty: bool) -> String {
    let text = if pretty {
        serde_json::to_string_pretty(value)
    } else {
        serde_json::to_string(value)
    }
    // A Value has string keys only: serialising it cannot fail.
    .unwrap_or_default();
    // Below DEL, only the pretty layout's newlines are left raw: kept.
    let unsafe_raw = |c: char| c >= '\u{7f}' && super::terminal::acts_on_terminal(c);
    if !text.chars().any(unsafe_raw) {
        return text;
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if unsafe_raw(c) {
            out.push_str(&format!("\\u{:04x}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_text_escapes_what_json_may_leave_raw_and_reads_back_the_same() {
        let v = json!({"message": "a\u{1b}[2J b\u{9b}31m c\u{202e}d\u{7f}e\u{2028}", "n": [1, 2]});
        for pretty in [false, true] {
            let text = to_json_text(&v, pretty);
            assert!(
                !text.contains(['\u{1b}', '\u{9b}', '\u{202e}', '\u{7f}', '\u{2028}']),
                "{text:?}"
            );
            assert!(
                text.contains("b\\u009b31m c\\u202ed\\u007fe\\u2028"),
                "{text}"
            );
            let back: Value = serde_json::from_str(&text).unwrap();
            assert_eq!(back, v);
        }
        assert!(
            to_json_text(&v, true).contains("\n  \"message\""),
            "the layout stays"
        );
    }

    #[test]
    fn text_of_a_failed_document_and_its_name_is_escaped() {
        let results: Vec<Checked> = vec![(
            PathBuf::from("in/plan\u{1b}]0;pwned\u{7}.txt"),
            Err(DocError::new(
                "corrupt",
                "bad byte \u{9b}2J at \u{202e}here",
            )),
        )];
        let review = Review::default();
        let o = Outcome::new(&results, &review);
        let text = o.text(&results, &review, &[], false);
        assert!(
            !text.contains(['\u{1b}', '\u{7}', '\u{9b}', '\u{202e}']),
            "{text:?}"
        );
        assert!(
            text.starts_with("in/plan\\x1b]0;pwned\\x07.txt: could not be read [corrupt] bad byte \\u{9b}2J at \\u{202e}here"),
            "{text}"
        );
        let mut lines = Vec::new();
        o.jsonl(&results, &review, &mut lines).unwrap();
        let lines = String::from_utf8(lines).unwrap();
        assert!(!lines.contains(['\u{9b}', '\u{202e}']), "{lines:?}");
    }
}

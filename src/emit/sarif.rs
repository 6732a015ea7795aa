//! Findings as SARIF 2.1.0 (OASIS Static Analysis Results Interchange
//! Format), the format code-scanning tools, editors and CI dashboards read:
//! one run of the tool `plansjekk`, its rules with their explanations, and a
//! result per finding with its place (file, line, the text as snippet), the
//! places it was compared with, its stable id as fingerprint, whether the
//! baseline knew it, and a waiver as an accepted suppression.

use serde_json::{json, Value};

use crate::record::{Finding, Location, Record};
use crate::review::{Review, Status};
use crate::rules;

fn level(severity: &str) -> &'static str {
    match severity {
        "error" => "error",
        "warning" => "warning",
        _ => "note",
    }
}

fn location(path: &str, l: &Location, id: Option<usize>) -> Value {
    let mut region = json!({
        "startLine": l.line.max(1),
        "snippet": { "text": l.text },
    });
    if let (Some(col), Some(h)) = (l.column, &l.highlight) {
        region["startColumn"] = json!(col);
        region["endColumn"] = json!(col as usize + h.chars().count());
    }
    let mut loc = json!({
        "physicalLocation": {
            "artifactLocation": { "uri": uri(path) },
            "region": region,
        },
        "message": { "text": l.label },
    });
    if let Some(id) = id {
        loc["id"] = json!(id);
    }
    let mut props = serde_json::Map::new();
    if let Some(p) = l.page {
        props.insert("page".into(), json!(p));
    }
    if let Some(c) = &l.cell {
        let mut cell = json!({"table": c.table, "row": c.row, "column": c.column});
        if let Some(r) = &c.reference {
            // A spreadsheet's cell, as the spreadsheet names it.
            cell["reference"] = json!(r);
            loc["logicalLocations"] = json!([{ "fullyQualifiedName": r, "kind": "element" }]);
        }
        if let Some(f) = &c.formula {
            cell["formula"] = json!(f);
        }
        props.insert("cell".into(), cell);
    }
    if !props.is_empty() {
        loc["properties"] = Value::Object(props);
    }
    loc
}

/// A file path as a relative URI reference: "/" separators, spaces and
/// other reserved characters percent-encoded.
fn uri(path: &str) -> String {
    let mut out = String::new();
    for b in path.replace('\\', "/").bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

fn result(rec: &Record, f: &Finding, review: &Review, rule_index: usize) -> Value {
    let mut r = json!({
        "ruleId": f.rule,
        "ruleIndex": rule_index,
        "level": level(&f.severity),
        "message": { "text": f.message },
        "locations": f.locations.first().map(|l| vec![location(&rec.source.path, l, None)]).unwrap_or_default(),
        "relatedLocations": f.locations.iter().skip(1).enumerate()
            .map(|(i, l)| location(&rec.source.path, l, Some(i + 1)))
            .collect::<Vec<_>>(),
        "partialFingerprints": { "plansjekkFindingId/v1": f.id },
        "properties": {
            "document": rec.id,
            "findingId": f.id,
            "stated": f.stated,
            "computed": f.computed,
            "difference": f.difference,
            "hint": f.hint,
            "confidence": f.confidence,
            "reason": f.reason,
        },
    });
    // SARIF's rank (0–100): how much the result matters, from how sure it is.
    if let Some(c) = rules::Confidence::parse(&f.confidence) {
        r["rank"] = json!(c.rank());
    }
    let status = review.status(&f.id);
    if review.has_baseline() {
        r["baselineState"] = json!(match status {
            Status::New => "new",
            Status::Baseline | Status::Waived => "unchanged",
        });
    }
    if let Some(w) = review.waiver(&f.id) {
        r["suppressions"] = json!([{
            "kind": "external",
            "status": "accepted",
            "justification": format!("{} ({}, {})", w.reason, w.reviewer, w.date),
        }]);
    }
    r
}

/// The SARIF log of these records' findings.
pub fn log(records: &[&Record], review: &Review) -> Value {
    let rules: Vec<Value> = rules::RULES
        .iter()
        .map(|r| {
            let text = rules::explanation_text(*r);
            let first = text
                .lines()
                .skip_while(|l| l.starts_with('#') || l.trim().is_empty())
                .take_while(|l| !l.trim().is_empty())
                .collect::<Vec<_>>()
                .join(" ");
            json!({
                "id": r.id(),
                "name": r.id(),
                "shortDescription": { "text": first },
                "fullDescription": { "text": text.trim() },
                "defaultConfiguration": { "level": level(r.severity().as_str()) },
                "help": { "text": format!("plansjekk explain {}", r.id()) },
            })
        })
        .collect();
    let index = |id: &str| rules::RULES.iter().position(|r| r.id() == id).unwrap_or(0);
    let results: Vec<Value> = records
        .iter()
        .flat_map(|rec| {
            rec.findings
                .iter()
                .map(move |f| result(rec, f, review, index(&f.rule)))
        })
        .collect();
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "plansjekk",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    })
}

#[cfg(test)]
mod tests {
    use super::uri;

    #[test]
    fn paths_become_uri_references() {
        assert_eq!(uri("corpus/plan 2025.pdf"), "corpus/plan%202025.pdf");
        assert_eq!(uri("kommune/Bø.txt"), "kommune/B%C3%B8.txt");
    }

    /// A file name is anyone's: in the URI its controls are percent-encoded
    /// like any other reserved byte, never raw.
    #[test]
    fn controls_in_paths_are_percent_encoded() {
        assert_eq!(
            uri("plan\u{1b}]0;pwned\u{7}\u{202e}.txt"),
            "plan%1B%5D0%3Bpwned%07%E2%80%AE.txt"
        );
    }
}

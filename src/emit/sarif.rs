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

/// The region of a place: in a text or HTML file, the file's own line and
/// column (as an editor opens it); in other formats, which have no lines a
/// viewer counts, the line of the normalised text, the place in the file
/// (paragraph; page and line on it) going in the properties.
fn region(l: &Location) -> Value {
    let mut region = json!({ "snippet": { "text": l.text } });
    let width = l.highlight.as_ref().map(|h| h.chars().count());
    match l.source {
        Some(p) if p.page.is_none() && p.paragraph.is_none() && p.line.is_some() => {
            region["startLine"] = json!(p.line);
            region["startColumn"] = json!(p.column);
            if let Some(w) = width {
                region["endColumn"] = json!(p.column as usize + w);
            }
        }
        _ => {
            region["startLine"] = json!(l.line.max(1));
            if let (Some(col), Some(w)) = (l.column, width) {
                region["startColumn"] = json!(col);
                region["endColumn"] = json!(col as usize + w);
            }
        }
    }
    region
}

fn location(path: &str, l: &Location, id: Option<usize>) -> Value {
    let region = region(l);
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
    // The line of the normalised text (`plansjekk text`), and the place in
    // a file that has no lines of its own.
    props.insert("textLine".into(), json!(l.line));
    if let Some(p) = l.source {
        if let Some(n) = p.paragraph {
            props.insert("paragraph".into(), json!(n));
            props.insert("column".into(), json!(p.column));
        } else if let (Some(_), Some(n)) = (p.page, p.line) {
            props.insert("lineOnPage".into(), json!(n));
            props.insert("column".into(), json!(p.column));
        }
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
    use super::{location, uri};
    use crate::record::{Location, SourcePlace};

    fn loc(source: Option<SourcePlace>) -> Location {
        Location {
            page: None,
            line: 117,
            text: "Til sammen settes det av 1 800 000 kr.".into(),
            highlight: Some("1 800 000 kr".into()),
            column: Some(26),
            cell: None,
            label: "stated in the text".into(),
            source,
        }
    }

    #[test]
    fn a_text_files_region_is_its_own_line_and_column() {
        let place = SourcePlace {
            page: None,
            line: Some(146),
            paragraph: None,
            column: 338,
        };
        let l = location("plan.txt", &loc(Some(place)), None);
        let region = &l["physicalLocation"]["region"];
        assert_eq!(region["startLine"], 146);
        assert_eq!(region["startColumn"], 338);
        assert_eq!(region["endColumn"], 350);
        assert_eq!(l["properties"]["textLine"], 117);
    }

    #[test]
    fn a_word_documents_paragraph_is_a_property() {
        let place = SourcePlace {
            page: None,
            line: None,
            paragraph: Some(13),
            column: 4,
        };
        let l = location("plan.docx", &loc(Some(place)), None);
        assert_eq!(l["physicalLocation"]["region"]["startLine"], 117);
        assert_eq!(l["properties"]["paragraph"], 13);
        assert_eq!(l["properties"]["column"], 4);
        let l = location("plan.xlsx", &loc(None), None);
        assert_eq!(l["physicalLocation"]["region"]["startColumn"], 26);
    }

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

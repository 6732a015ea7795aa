//! Document facts: kind, title, date, period.

use std::sync::LazyLock;

use regex::Regex;

use super::DocKind;
use crate::model::{BlockKind, Document};
use crate::norsk::{find_dates, PartialDate};

/// "Frist: 30. oktober", "Til: KMD": a form field, not a title.
static FORM_FIELD: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^[\p{L} /-]{1,30}:\s*\S").unwrap());
static DATE_CUE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\b(dato|datert|oppdatert|revidert|vedtatt|høringsdokument|høyringsdokument|versjon|sist endret)\b").unwrap());
static PERIOD_CUE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)(periode|perioden|avtaleperioden|planperioden|gjelde|gjeld|handlingsprogram|handlingsplan|strategi|program)").unwrap());

/// The real title: the leading heading-like blocks of the first page, joined.
pub fn title(doc: &Document) -> Option<String> {
    let mut parts: Vec<String> = Vec::new();
    for b in doc.blocks().take(12) {
        let t = b.text.trim();
        let short = t.chars().count() <= 100;
        let is_text_block = matches!(b.kind, BlockKind::Heading { .. } | BlockKind::Paragraph);
        if !is_text_block || !short {
            break;
        }
        if FORM_FIELD.is_match(t) && parts.is_empty() {
            continue;
        }
        if t.eq_ignore_ascii_case("innholdsfortegnelse") || t.eq_ignore_ascii_case("innhold") {
            break;
        }
        let has_date = !find_dates(t).is_empty();
        if has_date && (t.starts_with('(') || DATE_CUE.is_match(t) || FORM_FIELD.is_match(t)) {
            break;
        }
        if FORM_FIELD.is_match(t) || t.ends_with('.') {
            break;
        }
        parts.push(t.to_string());
        if parts.len() == 3 {
            break;
        }
    }
    if parts.is_empty() {
        return doc.metadata_title.clone();
    }
    let mut out = parts[0].clone();
    for p in &parts[1..] {
        let joins = p.starts_with(['-', '–']) || p.chars().next().is_some_and(char::is_lowercase) || out.ends_with(['-', '–', ':']);
        out.push_str(if joins { " " } else { " – " });
        out.push_str(p);
    }
    Some(out)
}

pub fn kind(doc: &Document, title: Option<&str>) -> DocKind {
    let head: String = title.map(str::to_string).unwrap_or_default().to_lowercase();
    let early: String = doc.blocks().take(10).map(|b| b.text.to_lowercase()).collect::<Vec<_>>().join(" ");
    let pick = |s: &str| {
        if s.contains("handlingsprogram") {
            Some(DocKind::Handlingsprogram)
        } else if s.contains("handlingsplan") || s.contains("tiltaksplan") {
            Some(DocKind::Handlingsplan)
        } else if s.contains("årsrapport") || s.contains("årlig rapport") || s.contains("årsmelding") || s.contains("sluttrapport") || s.contains("rapport") {
            Some(DocKind::Arsrapport)
        } else if s.contains("strategi") {
            Some(DocKind::Strategi)
        } else {
            None
        }
    };
    if let Some(k) = pick(&head).or_else(|| pick(&early)) {
        return k;
    }
    // Articles: prose with a byline or photo credit, no tables, no goal structure.
    let has_tables = doc.tables().next().is_some();
    let photo = doc.blocks().take(20).any(|b| b.text.starts_with("Foto:") || b.text.contains("Foto:"));
    if !has_tables && (photo || title.is_some_and(|t| t.ends_with('?'))) {
        return DocKind::Artikkel;
    }
    DocKind::Annet
}

/// The document's own date: the first full date with a cue word ("Dato:",
/// "oppdatert"), or the first full date in the opening blocks.
pub fn date(doc: &Document) -> Option<PartialDate> {
    let opening: Vec<&str> = doc.blocks().take(15).map(|b| b.text.as_str()).collect();
    let full = |t: &str| find_dates(t).into_iter().find(|d| d.from.day.is_some() && d.from.year.is_some() && !d.is_range());
    for t in &opening {
        if DATE_CUE.is_match(t) {
            if let Some(d) = full(t) {
                return Some(d.from);
            }
        }
    }
    opening.iter().take(6).find_map(|t| full(t)).map(|d| d.from)
}

/// The period the document covers: a year range near a period cue.
pub fn period(doc: &Document) -> Option<(PartialDate, PartialDate)> {
    for b in doc.blocks().take(60) {
        for d in find_dates(&b.text) {
            if d.is_range() && d.from.month.is_none() {
                let before = &b.text[..d.range.start];
                let window: String = before.chars().rev().take(60).collect::<Vec<_>>().into_iter().rev().collect();
                if PERIOD_CUE.is_match(&window) || b.span.line <= 5 {
                    return Some((d.from, d.to));
                }
            }
        }
    }
    None
}

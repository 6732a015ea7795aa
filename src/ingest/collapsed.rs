//! Text whose line breaks were lost.
//!
//! Web transcripts of PDFs (document-sharing sites, some archive exports) print a
//! whole page as one line: "4.0 Strategi for helse og omsorg 4.1 Grunnlaget for …
//! Om lag 1/3 av … 4.3 Forslag til strategier … 1. Styrke … 2. Bygge opp …". The
//! structure is still there in the numbering. This module finds it again: section
//! numbers ("4.1", "5.0") open headings, and a run of consecutive list numbers
//! ("1. … 2. … 3. …") becomes list items. The cues are typographic, not any one
//! document's words.
//!
//! Also here: two bold runs glued to each other or to the text before them
//! ("… Flere i arbeid**Beskriv overordnet …**"), which converters produce when a
//! heading and the prompt under it lose the break between them.

use std::sync::LazyLock;

use regex::Regex;

use super::layout::{Item, LineHint};

/// Lines shorter than this are ordinary lines, whatever they contain.
const MIN_COLLAPSED: usize = 400;
/// A heading's title is rarely longer than this, and a collapsed heading has no
/// end mark: cut it here at the latest.
const MAX_TITLE_WORDS: usize = 12;

/// "4.1 ", "5.0 " or "7.4. " followed by a capital letter, at a word start.
static SECTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^|\s)(?P<n>[0-9]{1,2}\.[0-9]{1,2})\.?\s+(?P<first>[\p{Lu}«])").unwrap()
});
/// "1. " at a word start, followed by a letter: a candidate list number.
static LIST_NUMBER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:^|[\s:;])(?P<n>[0-9]{1,2})\.\s+(?P<first>[\p{L}«])").unwrap());
/// A top-level section at the start of the line: "1. Innledning 1.1 …".
static LEADING_SECTION: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?P<n>[0-9]{1,2})\.\s+\p{Lu}").unwrap());
/// Words after which a capitalised word still belongs to the title
/// ("Verdigrunnlag for samarbeid i Værnesregionen").
const LINKING: &[&str] = &[
    "i", "for", "til", "av", "med", "om", "på", "fra", "frå", "og", "ved", "mot", "under", "-", "–",
];

/// A piece of a collapsed line.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Piece {
    Heading { depth: u8, text: String },
    ListItem(String),
    Text(String),
}

/// Splits `line` into items when it is collapsed text; `None` leaves it alone.
pub fn split(line: &str) -> Option<Vec<Item>> {
    if let Some(items) = split_glued_bold(line) {
        return Some(items);
    }
    if line.chars().count() < MIN_COLLAPSED {
        return None;
    }
    let pieces = pieces(line);
    if pieces.len() < 2 {
        return None;
    }
    let mut items = Vec::new();
    let mut in_list = false;
    for p in pieces {
        match p {
            Piece::Heading { depth, text } => {
                items.push(Item::Blank);
                items.push(Item::Line {
                    text,
                    hint: LineHint {
                        heading_level: Some(depth),
                        emphasised: false,
                        ..LineHint::default()
                    },
                });
                items.push(Item::Blank);
                in_list = false;
            }
            Piece::ListItem(text) => {
                if !in_list {
                    items.push(Item::Blank);
                }
                items.push(Item::line(text));
                in_list = true;
            }
            Piece::Text(text) => {
                items.push(Item::Blank);
                items.push(Item::line(text));
                items.push(Item::Blank);
                in_list = false;
            }
        }
    }
    items.push(Item::Blank);
    Some(items)
}

/// Where each piece starts: (byte offset, kind of marker).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mark {
    Section(u8),
    List,
}

fn pieces(line: &str) -> Vec<Piece> {
    let mut marks: Vec<(usize, Mark)> = Vec::new();
    if let Some(c) = LEADING_SECTION.captures(line) {
        // Only a section when a subsection of it follows soon ("1. Innledning 1.1 Bakgrunn").
        let n = &c["n"];
        let window: String = line.chars().take(120).collect();
        if window.contains(&format!(" {n}.1 ")) {
            marks.push((0, Mark::Section(1)));
        }
    }
    for c in SECTION.captures_iter(line) {
        let n = c.name("n").expect("group n");
        let sub = n.as_str().split('.').nth(1).unwrap_or("0");
        let depth = if sub == "0" { 1 } else { 2 };
        marks.push((n.start(), Mark::Section(depth)));
    }
    marks.extend(list_runs(line).into_iter().map(|s| (s, Mark::List)));
    marks.sort_by_key(|m| m.0);
    marks.dedup_by_key(|m| m.0);
    if marks.is_empty() {
        return Vec::new();
    }
    let mut out = Vec::new();
    let lead = line[..marks[0].0].trim();
    if !lead.is_empty() {
        out.push(Piece::Text(lead.to_string()));
    }
    for (k, &(start, mark)) in marks.iter().enumerate() {
        let end = marks.get(k + 1).map_or(line.len(), |m| m.0);
        let body = line[start..end].trim();
        if body.is_empty() {
            continue;
        }
        match mark {
            Mark::List => out.push(Piece::ListItem(body.to_string())),
            Mark::Section(depth) => {
                let (title, rest) = split_title(body);
                out.push(Piece::Heading {
                    depth,
                    text: title.to_string(),
                });
                if !rest.is_empty() {
                    out.push(Piece::Text(rest.to_string()));
                }
            }
        }
    }
    out
}

/// Start offsets of list numbers that form a run 1, 2, 3 … (at least two).
fn list_runs(line: &str) -> Vec<usize> {
    let cands: Vec<(usize, u32)> = LIST_NUMBER
        .captures_iter(line)
        .filter_map(|c| {
            let n = c.name("n")?;
            // "19.11.2009" and "4.1" are not list numbers: the digit must not follow a dot.
            let before = line[..n.start()].chars().next_back();
            if before.is_some_and(|b| b == '.' || b.is_ascii_digit()) {
                return None;
            }
            Some((n.start(), n.as_str().parse().ok()?))
        })
        .collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < cands.len() {
        // A run usually starts at 1; one that continues from the page before
        // starts higher, and is still a run when its numbers follow each other.
        let mut run = vec![cands[i].0];
        let mut want = cands[i].1 + 1;
        let mut j = i + 1;
        while j < cands.len() {
            if cands[j].1 == want {
                run.push(cands[j].0);
                want += 1;
            } else if cands[j].1 == 1 || cands[j].1 < want - 1 {
                break;
            }
            j += 1;
        }
        if run.len() >= 2 {
            out.extend(run);
        }
        i = j.max(i + 1);
    }
    out
}

/// A collapsed heading runs into its body: "4.2 Mål for helse- og
/// omsorgsinnsatsen i regionen I stortingsmelding …". The title ends before the
/// first capitalised word that does not follow a linking word.
fn split_title(body: &str) -> (&str, &str) {
    let mut words = body.split_whitespace();
    let Some(number) = words.next() else {
        return (body, "");
    };
    let mut offset = body.find(number).unwrap_or(0) + number.len();
    let mut prev = number;
    for (count, w) in words.enumerate() {
        let at = offset + body[offset..].find(w).unwrap_or(0);
        let capital = w.chars().next().is_some_and(char::is_uppercase);
        let linked = LINKING.contains(&prev.to_lowercase().as_str());
        if count >= 1 && capital && !linked || count >= MAX_TITLE_WORDS {
            return (body[..at].trim_end(), body[at..].trim());
        }
        offset = at + w.len();
        prev = w;
    }
    (body.trim(), "")
}

/// "Tiltak 2 Test**Beskriv overordnet**" → "Tiltak 2 Test", "**Beskriv overordnet**";
/// "deler:**1. Helse****a. Sykefravær**" → three lines.
fn split_glued_bold(line: &str) -> Option<Vec<Item>> {
    if !line.contains("**") {
        return None;
    }
    let mut cuts = Vec::new();
    let bytes = line.as_bytes();
    let mut i = 0;
    let mut open = false;
    while i + 1 < bytes.len() {
        if &bytes[i..i + 2] == b"**" {
            if !open && i > 0 && !bytes[i - 1].is_ascii_whitespace() {
                // A bold run glued to what precedes it, running to the end of the line
                // or into another bold run: a new line in the source.
                let close = line[i + 2..].find("**").map(|c| i + 2 + c);
                if let Some(c) = close {
                    let after = &line[c + 2..];
                    if after.trim().is_empty() || after.starts_with("**") {
                        cuts.push(i);
                    }
                }
            }
            open = !open;
            i += 2;
        } else {
            i += 1;
        }
    }
    if cuts.is_empty() {
        return None;
    }
    let mut items = Vec::new();
    let mut from = 0;
    for c in cuts.into_iter().chain([line.len()]) {
        let piece = line[from..c].trim();
        if !piece.is_empty() {
            items.push(Item::Blank);
            items.push(Item::line(piece.to_string()));
        }
        from = c;
    }
    items.push(Item::Blank);
    Some(items)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(items: &[Item]) -> Vec<String> {
        items
            .iter()
            .filter_map(|i| match i {
                Item::Line { text, hint } => Some(match hint.heading_level {
                    Some(l) => format!("h{l} {text}"),
                    None => text.clone(),
                }),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn glued_bold_prompt_is_its_own_line() {
        let items = split_glued_bold(
            "Tiltak 2 Test: Flere i arbeid**Beskriv overordnet hva tiltaket går ut på**",
        )
        .unwrap();
        assert_eq!(
            texts(&items),
            [
                "Tiltak 2 Test: Flere i arbeid",
                "**Beskriv overordnet hva tiltaket går ut på**"
            ]
        );
        let items =
            split_glued_bold("Tiltaket er delt i tre deler:**1. Helsesektoren****a. Sykefravær**")
                .unwrap();
        assert_eq!(
            texts(&items),
            [
                "Tiltaket er delt i tre deler:",
                "**1. Helsesektoren**",
                "**a. Sykefravær**"
            ]
        );
        // Bold inside a sentence stays.
        assert!(split_glued_bold("Dette er **viktig** for oss").is_none());
        assert!(split_glued_bold("**Mål:** økt bosetting").is_none());
    }

    #[test]
    fn collapsed_page_gets_sections_and_list_back() {
        let body = "Denne teksten er lang nok til å regnes som en sammenslått side fra et nettsted, og fortsetter en stund. ";
        let line = format!(
            "5.0 Strategier for regional utvikling 5.1 Grunnlaget for strategien Regionen er attraktiv. {body}{body}{body}5.3 Forslag til strategier Følgende strategier foreslås: 1. Bedre kommunikasjonene i regionen 2. Utvikle regionens ressurser 3. Styrke posisjonen i Trøndelag Side 11"
        );
        let items = split(&line).unwrap();
        let t = texts(&items);
        assert_eq!(t[0], "h1 5.0 Strategier for regional utvikling");
        assert_eq!(t[1], "h2 5.1 Grunnlaget for strategien");
        assert!(t[2].starts_with("Regionen er attraktiv."));
        assert_eq!(t[3], "h2 5.3 Forslag til strategier");
        assert_eq!(t[4], "Følgende strategier foreslås:");
        assert_eq!(t[5], "1. Bedre kommunikasjonene i regionen");
        assert_eq!(t[7], "3. Styrke posisjonen i Trøndelag Side 11");
    }

    #[test]
    fn title_keeps_a_proper_noun_after_a_linking_word() {
        assert_eq!(
            split_title("3.1 Verdigrunnlag for samarbeid i Værnesregionen Til grunn for"),
            (
                "3.1 Verdigrunnlag for samarbeid i Værnesregionen",
                "Til grunn for"
            )
        );
        assert_eq!(
            split_title(
                "4.2 Mål for helse- og omsorgsinnsatsen i regionen I stortingsmelding nr 47"
            ),
            (
                "4.2 Mål for helse- og omsorgsinnsatsen i regionen",
                "I stortingsmelding nr 47"
            )
        );
    }

    #[test]
    fn dates_and_decimals_are_not_list_numbers() {
        let line = "Vedtatt 19.11.2009 og 26.10.2009. Andelen var 10.5 prosent og 2. plass ble 1. gang nevnt.";
        assert!(list_runs(line).is_empty());
        assert!(split(line).is_none());
    }
}

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;

use crate::norsk::Pattern;

use crate::model::{Block, BlockKind};

use super::{declare_rule, Checker, Finding};

declare_rule! {
    /// ## What it checks
    /// References in the text to a numbered section ("se kapittel 4", "jf.
    /// punkt 3.2") that the document does not have, and references to a table
    /// or figure in a section ("Tabellen under pkt. 5 gir oversikt over
    /// finansiering") where that section holds none. The hint names the
    /// sections that do hold tables.
    ///
    /// ## Why it matters
    /// A reference that points to the wrong section sends readers, and
    /// auditors tracing a figure, to the wrong place; it usually means sections
    /// were added or moved after the text was written.
    ///
    /// ## Example
    /// ```text
    /// Tabellen under pkt. 5 gir oversikt over finansiering av tiltakene.
    /// 5. Lokal og regional forankring          <- no table here
    /// 6. Fordeling av budsjett …               <- the tables are in 6 and 7
    /// ```
    pub struct CrossReference {
        id: "cross-reference",
        severity: Warning,
        check: check,
    }
}

static REFERENCE: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(r"(?i)\b(?:(?P<thing>tabell(?:en|a)?|figur(?:en)?|oversikt(?:en)?)\s+(?:under|i|nedenfor i)\s+|(?:se|jf\.?|jfr\.?|sjå|viser til)\s+)(?P<kind>pkt\.?|punkt|kapittel|kap\.?|avsnitt|del)\s+(?P<n>[0-9]{1,2}(?:\.[0-9]{1,2})?)\b")
        .expect("reference")
});
static SECTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*([0-9]{1,2}(?:\.[0-9]{1,2})*)\.?\s+\p{Lu}").expect("section")
});

/// A numbered section: its number, heading block and whether a table or figure sits in it.
struct Section<'a> {
    number: String,
    heading: &'a Block,
    has_table: bool,
}

fn sections<'a>(blocks: &[&'a Block]) -> Vec<Section<'a>> {
    let mut out: Vec<Section<'a>> = Vec::new();
    // Each section's parent: the nearest section before it whose number
    // and a dot begin its own ("4" for "4.2"); found once, through the last
    // section of each number, instead of walking back over all for each table.
    let mut parent: Vec<Option<usize>> = Vec::new();
    let mut latest: HashMap<String, usize> = HashMap::new();
    for b in blocks {
        match &b.kind {
            BlockKind::Heading { .. } => {
                if let Some(c) = SECTION.captures(&b.text) {
                    let number = c[1].to_string();
                    let up = number
                        .match_indices('.')
                        .filter_map(|(i, _)| latest.get(&number[..i]).copied())
                        .max();
                    parent.push(up);
                    latest.insert(number.clone(), out.len());
                    out.push(Section {
                        number,
                        heading: b,
                        has_table: false,
                    });
                }
            }
            BlockKind::Table(_) => {
                // A table belongs to the section it sits in and to that
                // section's parents (the nearest "4" before a "4.2").
                let mut at = out.len().checked_sub(1);
                while let Some(i) = at {
                    out[i].has_table = true;
                    at = parent[i];
                }
            }
            _ => {}
        }
    }
    out
}

enum Target<'s, 'a> {
    Found(&'s Section<'a>),
    Missing,
    Ambiguous,
}

/// The document's numbered sections, looked up by number; each knows
/// whether the table of contents lists it. Built once per document: a long
/// document makes many references.
struct Sections<'s, 'a> {
    secs: &'s [Section<'a>],
    by_number: std::collections::HashMap<&'s str, Vec<usize>>,
    listed: Vec<bool>,
}

impl<'s, 'a> Sections<'s, 'a> {
    fn new(secs: &'s [Section<'a>], cx: &Checker) -> Self {
        let norm = |t: &str| -> String {
            t.chars()
                .filter(|c| c.is_alphanumeric())
                .collect::<String>()
                .to_lowercase()
        };
        let mut toc: Vec<String> = cx
            .doc
            .toc
            .iter()
            .map(|e| norm(&e.title))
            .filter(|e| !e.is_empty())
            .collect();
        // Whether a heading and an entry start alike, asked of every
        // heading sharing a number, answered without scanning the contents
        // each time: the entries a heading begins lie together in sorted
        // order, and the entries that begin a heading are its prefixes.
        toc.sort_unstable();
        let entries: std::collections::HashSet<&str> = toc.iter().map(String::as_str).collect();
        let mut lengths: Vec<usize> = toc.iter().map(String::len).collect();
        lengths.sort_unstable();
        lengths.dedup();
        let listed_in_toc = |h: &str| {
            let at = toc.partition_point(|e| e.as_str() < h);
            toc.get(at).is_some_and(|e| e.starts_with(h))
                || lengths
                    .iter()
                    .take_while(|&&l| l <= h.len())
                    .any(|&l| h.is_char_boundary(l) && entries.contains(&h[..l]))
        };
        let mut by_number: std::collections::HashMap<&str, Vec<usize>> = Default::default();
        for (i, s) in secs.iter().enumerate() {
            by_number.entry(s.number.as_str()).or_default().push(i);
        }
        // Only sections whose number is shared need the contents to choose.
        let listed = secs
            .iter()
            .map(|s| {
                by_number[s.number.as_str()].len() > 1 && listed_in_toc(&norm(&s.heading.text))
            })
            .collect();
        Sections {
            secs,
            by_number,
            listed,
        }
    }

    /// The section a number refers to. Lists inside sections restart their
    /// numbering ("5. Økonomi:" inside a measure), so when several headings
    /// carry the number, the one the table of contents lists is the chapter.
    fn resolve(&self, n: &str) -> Target<'s, 'a> {
        let all = self.by_number.get(n).map_or(&[][..], Vec::as_slice);
        let listed: Vec<usize> = all.iter().copied().filter(|&i| self.listed[i]).collect();
        match (all, &listed[..]) {
            ([], _) => Target::Missing,
            (_, [one]) => Target::Found(&self.secs[*one]),
            ([one], []) => Target::Found(&self.secs[*one]),
            _ => Target::Ambiguous,
        }
    }
}

fn check(cx: &Checker, out: &mut Vec<Finding>) {
    let blocks: Vec<&Block> = cx.doc.blocks().collect();
    let secs = sections(&blocks);
    // Only documents that number their sections, and consistently enough to trust.
    if secs.len() < 3 {
        return;
    }
    let index = Sections::new(&secs, cx);
    let top = secs
        .iter()
        .filter_map(|s| s.number.parse::<u32>().ok())
        .max()
        .unwrap_or(0);
    for b in cx.prose() {
        for c in REFERENCE.captures_iter(&b.text) {
            let n = &c["n"];
            let whole = c.get(0).expect("match").as_str();
            let target = match index.resolve(n) {
                Target::Found(s) => Some(s),
                Target::Missing => None,
                Target::Ambiguous => continue,
            };
            match (target, c.name("thing")) {
                (None, _) => {
                    // A number beyond the document's own top level is a missing section;
                    // a sub-number we may simply not have read as a heading.
                    if n.contains('.') || n.parse::<u32>().map_or(true, |v| v <= top) {
                        continue;
                    }
                    // The contents list it: its heading was not read as one.
                    let listed = cx.doc.toc.iter().any(|e| {
                        e.title
                            .trim_start()
                            .strip_prefix(n)
                            .is_some_and(|r| r.starts_with(['.', ' ']))
                    });
                    if listed {
                        continue;
                    }
                    out.push(
                        Finding::new(format!(
                            "the text refers to «{whole}» but the document's sections end at {top}"
                        ))
                        .at(cx.text(b.span, whole, "reference")),
                    );
                }
                (Some(s), Some(_)) if !s.has_table => {
                    // The chapters (as the contents list them) that do hold tables.
                    let with: Vec<String> = secs
                        .iter()
                        .filter(|s| s.has_table && !s.number.contains('.'))
                        .filter(|s| cx.doc.toc.is_empty() || matches!(index.resolve(&s.number), Target::Found(t) if std::ptr::eq(t, *s)))
                        .map(|s| format!("«{}»", s.heading.text.trim()))
                        .collect();
                    let mut f = Finding::new(format!(
                        "the text refers to «{whole}», but section «{}» holds no table",
                        s.heading.text.trim()
                    ))
                    .at(cx.text(b.span, whole, "reference"))
                    .at(cx.lines(s.heading.span, "the section referred to"));
                    if !with.is_empty() {
                        f = f.hint(format!("tables are under {}", with.join(" and ")));
                    }
                    out.push(f);
                }
                _ => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::findings;

    const DOC: &str = "Plan\n\n1. Innledning\n\nTabellen under pkt. 3 gir oversikt over finansiering. Se kapittel 2 for rammer.\n\n2. Rammer\n\nTekst.\n\n3. Budsjett\n\nPost\tBeløp\nA\t100 000\nSum\t100 000\n";

    #[test]
    fn references_that_hold() {
        assert!(findings("cross-reference", DOC).is_empty());
    }

    #[test]
    fn a_table_reference_to_a_section_without_one() {
        let f = findings("cross-reference", &DOC.replace("pkt. 3", "pkt. 2"));
        assert_eq!(f.len(), 1, "{f:#?}");
        assert!(f[0].hint.as_deref().unwrap().contains("«3. Budsjett»"));
    }

    #[test]
    fn a_reference_beyond_the_last_section() {
        let f = findings("cross-reference", &DOC.replace("kapittel 2", "kapittel 7"));
        assert_eq!(f.len(), 1, "{f:#?}");
        // A section the contents list exists, though its heading was not read.
        let listed = format!(
            "Innhold\n\n1. Innledning ........ 2\n7. Vedlegg ........ 9\n\n{}",
            DOC.replace("kapittel 2", "kapittel 7")
        );
        assert!(findings("cross-reference", &listed).is_empty());
    }
}

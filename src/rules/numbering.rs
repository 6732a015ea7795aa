use std::sync::LazyLock;

use regex::Regex;

use crate::norsk::Pattern;

use crate::extract::grid::RowKind;
use crate::model::BlockKind;

use super::{declare_rule, Checker, Finding, Location, Value};

declare_rule! {
    /// ## What it checks
    /// Numbered items that repeat or skip a number: rows of a table within each
    /// group ("Delmål 7: 1. … 1. …"), numbered headings of the same kind under
    /// the same goal ("Tiltak 1, 2, 4"), top-level chapter numbers, and
    /// numbered list items within a section. A restart at 1 begins a new list;
    /// a jump back to another number, or more than one oddity in a sequence,
    /// means the numbering is not one list, and the rule stays silent.
    ///
    /// Headings are compared only where their reading is certain: the same
    /// level and the same numbering scheme ("2.2" and "2.2." are two
    /// schemes), a section number under the chapter it names ("2.2" under
    /// "2 …", not under "5 …"), a heading that is a title rather than a
    /// sentence the reading cut (its text goes on in a lower-case
    /// paragraph), and nothing from the appendices on ("Vedlegg 1",
    /// "Appendix A"): appendices carry printouts and numbering of their own.
    /// A number missing from a sequence but printed in between (a heading
    /// the reading took for a paragraph or a table row) is no skip.
    ///
    /// ## Why it matters
    /// Measures and goals are cited by number ("tiltak 2 under delmål 7"). A
    /// repeated number makes such references ambiguous; a skipped one often
    /// means an item was deleted and the text around it not updated.
    ///
    /// ## Example
    /// ```text
    /// Delmål 7: | Styrke landbruksnæringen |
    ///           | 1. Mulighetsmøter         | 50 000 kr
    ///           | 1. Kartleggingssamtaler   | 200 000 kr   <- 1 again, 2 expected
    /// ```
    pub struct Numbering {
        id: "numbering",
        severity: Warning,
        check: check,
    }
}

/// "Tiltak 3", "Delmål 4", "3.", "4.2".
static HEADING_NUMBER: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(r"(?i)^\s*(?:(?P<kw>tiltak|delmål|hovedmål|mål|aktivitet|strategi|innsatsområde|satsingsområde|kapittel)\s+(?P<n>[0-9]{1,2})\b|(?P<pre>(?:[0-9]{1,2}\.)*)(?P<m>[0-9]{1,2})\.?\s+\p{Lu})")
        .expect("heading number")
});
static LIST_NUMBER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*([0-9]{1,2})[.)]?\s*$").expect("list number"));

/// One numbered item in reading order.
struct Item {
    n: u32,
    at: Location,
    what: String,
    /// The number as printed, with what precedes it ("4.2", "Tiltak 3").
    number: String,
}

fn check(cx: &Checker, out: &mut Vec<Finding>) {
    tables(cx, out);
    headings(cx, out);
    lists(cx, out);
}

fn tables(cx: &Checker, out: &mut Vec<Finding>) {
    let appendix = cx.appendix_start().unwrap_or(u32::MAX);
    for grid in &cx.plan.grids {
        if grid.rows.first().is_some_and(|r| r.span.line >= appendix) {
            continue;
        }
        let mut seq: Vec<Item> = Vec::new();
        let mut group = String::new();
        for row in &grid.rows {
            match row.kind {
                RowKind::Item => {
                    if let Some(n) = row.number.as_deref().and_then(|n| n.parse().ok()) {
                        seq.push(Item {
                            n,
                            at: cx.row_label(grid, row, "item number"),
                            what: format!("«{}»", row.label),
                            number: n.to_string(),
                        });
                    }
                }
                RowKind::Group | RowKind::Statistic => {
                    sequence(std::mem::take(&mut seq), &group, false, cx.doc, out);
                    group = format!(
                        " under «{}»",
                        row.cells
                            .iter()
                            .find(|c| !c.text.trim().is_empty())
                            .map_or("", |c| c.text.trim())
                            .trim_end_matches(':')
                    );
                }
                _ => sequence(std::mem::take(&mut seq), &group, false, cx.doc, out),
            }
        }
        sequence(seq, &group, false, cx.doc, out);
    }
}

/// The first line of the appendices: an appendix heading ("Vedlegg 2 …",
/// "Appendix A", "Annex") that is not a line of the table of contents (on a
/// contents page, or one of a run of appendix headings with nothing
/// between), nor a mention of the appendices before the body goes on (a
/// heading the contents list as the body's comes after it).
pub(super) fn appendix_start(doc: &crate::model::Document) -> Option<u32> {
    let blocks: Vec<&crate::model::Block> = doc
        .blocks()
        .filter(|b| !matches!(b.kind, BlockKind::Furniture))
        .collect();
    let appendix: Vec<bool> = blocks
        .iter()
        .map(|b| matches!(b.kind, BlockKind::Heading { .. }) && APPENDIX.is_match(&b.text))
        .collect();
    if !appendix.contains(&true) {
        return None;
    }
    let toc_pages: Vec<u32> = doc.toc.iter().filter_map(|e| e.span.page).collect();
    let words = |t: &str| -> Vec<String> {
        t.split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect()
    };
    // The body's sections as the contents list them, by their first (up to)
    // three words: the first line listing each. A heading continues the body
    // after an appendix heading when the contents list its opening words
    // above that heading. Read once, so that the search stays linear in a
    // long document with many appendices, not quadratic.
    let mut listed_from: std::collections::HashMap<Vec<String>, u32> = Default::default();
    for e in doc.toc.iter().filter(|e| !APPENDIX.is_match(&e.title)) {
        let w = words(&e.title);
        if !w.is_empty() {
            let line = listed_from
                .entry(w[..w.len().min(3)].to_vec())
                .or_insert(u32::MAX);
            *line = (*line).min(e.span.line);
        }
    }
    // For each block, the first contents line listing a heading after it.
    let mut after = vec![u32::MAX; blocks.len()];
    for i in (0..blocks.len().saturating_sub(1)).rev() {
        let h = blocks[i + 1];
        let listed = if matches!(h.kind, BlockKind::Heading { .. }) {
            let w = words(&h.text);
            (1..=w.len().min(3))
                .filter_map(|k| listed_from.get(&w[..k]).copied())
                .min()
                .unwrap_or(u32::MAX)
        } else {
            u32::MAX
        };
        after[i] = after[i + 1].min(listed);
    }
    (0..blocks.len()).find_map(|i| {
        if !appendix[i] {
            return None;
        }
        let b = blocks[i];
        let listed = b.span.page.is_some_and(|p| toc_pages.contains(&p))
            || appendix.get(i + 1) == Some(&true)
            || i.checked_sub(1).is_some_and(|p| appendix[p]);
        let body_goes_on = after[i] < b.span.line;
        (!listed && !body_goes_on).then_some(b.span.line)
    })
}

/// An appendix's heading: "Vedlegg 1 – …", "Bilag 2", "Appendix A", "Annex III".
static APPENDIX: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(r"(?i)^\s*(?:vedlegg|bilag|appendix|appendices|annex|annexe|attachment)\b")
        .expect("appendix")
});

/// A numbered heading's place in its numbering: "4.2" is number 2 under
/// "4."; the scheme (a trailing dot or not) and the level are part of it.
struct Place {
    key: String,
    /// The chapter the number says it is in ("4" of "4.2"), if any.
    chapter: Option<u32>,
}

fn headings(cx: &Checker, out: &mut Vec<Finding>) {
    // Keyword headings per goal ("Tiltak N" under each delmål), and chapter
    // numbers per level of the same depth ("4.1", "4.2" under "4").
    let appendix = cx.appendix_start().unwrap_or(u32::MAX);
    let blocks: Vec<&crate::model::Block> = cx
        .doc
        .blocks()
        .filter(|b| !matches!(b.kind, BlockKind::Furniture))
        .collect();
    let mut groups: Vec<(String, Vec<Item>)> = Vec::new();
    // The number of the chapter the text is in: the last top-level heading's.
    let mut chapter: Option<u32> = None;
    for (bi, b) in blocks.iter().enumerate() {
        let BlockKind::Heading { level, .. } = b.kind else {
            continue;
        };
        if b.span.line >= appendix {
            break;
        }
        let Some(c) = HEADING_NUMBER.captures(&b.text) else {
            continue;
        };
        // A sentence the reading cut and took for a heading: its text goes
        // on in the next block, in lower case.
        let cut = blocks.get(bi + 1).is_some_and(|n| {
            matches!(n.kind, BlockKind::Paragraph)
                && n.text.trim_start().starts_with(char::is_lowercase)
        });
        if cut {
            continue;
        }
        let (place, n) = match (c.name("kw"), c.name("n"), c.name("m")) {
            (Some(kw), Some(n), _) => {
                let kw = kw.as_str().to_lowercase();
                // Measures are numbered within their goal.
                let parent = if kw == "tiltak" || kw == "aktivitet" {
                    cx.plan
                        .context
                        .at(b.span.line)
                        .0
                        .map_or(String::new(), |g| g.to_string())
                } else {
                    String::new()
                };
                (
                    Place {
                        key: format!("{kw}/{parent}"),
                        chapter: None,
                    },
                    n.as_str(),
                )
            }
            (_, _, Some(m)) => {
                let pre = c.name("pre").map_or("", |p| p.as_str());
                let dot = b.text[m.end()..].starts_with('.');
                (
                    Place {
                        key: format!("#{pre}{}/h{level}", if dot { "." } else { "" }),
                        chapter: pre.split('.').next().and_then(|c| c.parse().ok()),
                    },
                    m.as_str(),
                )
            }
            _ => continue,
        };
        let Ok(n) = n.parse::<u32>() else {
            continue;
        };
        if c.name("m").is_some() {
            match place.chapter {
                // A top-level number opens its chapter.
                None => chapter = Some(n),
                // "2.2" under chapter 5 is not where its number says: a
                // reference or a cut sentence, not a section.
                Some(ch) if Some(ch) != chapter => continue,
                Some(_) => {}
            }
        }
        let item = Item {
            n,
            at: cx.text(
                b.span,
                c.get(0).map_or("", |m| m.as_str()).trim(),
                "heading number",
            ),
            what: format!("«{}»", b.text),
            number: match (c.name("kw"), c.name("pre")) {
                (Some(kw), _) => format!("{} {n}", kw.as_str()),
                (None, pre) => format!("{}{n}", pre.map_or("", |p| p.as_str())),
            },
        };
        match groups.iter_mut().find(|(k, _)| *k == place.key) {
            Some((_, v)) => v.push(item),
            None => groups.push((place.key, vec![item])),
        }
    }
    for (key, items) in groups {
        sequence(items, "", key.starts_with('#'), cx.doc, out);
    }
}

fn lists(cx: &Checker, out: &mut Vec<Finding>) {
    let appendix = cx.appendix_start().unwrap_or(u32::MAX);
    let mut seq: Vec<Item> = Vec::new();
    for b in cx.doc.blocks() {
        if b.span.line >= appendix {
            break;
        }
        match &b.kind {
            BlockKind::ListItem { marker, depth: 0 } => {
                if let Some(c) = LIST_NUMBER.captures(marker) {
                    if let Ok(n) = c[1].parse() {
                        seq.push(Item {
                            n,
                            at: cx.lines(b.span, "list item"),
                            what: format!("«{}»", b.text.chars().take(60).collect::<String>()),
                            number: n.to_string(),
                        });
                    }
                }
            }
            BlockKind::Heading { .. } | BlockKind::Table(_) => {
                sequence(std::mem::take(&mut seq), "", true, cx.doc, out)
            }
            _ => {}
        }
    }
    sequence(seq, "", true, cx.doc, out);
}

/// Checks one run of numbers: a repeat or a skip inside a run that starts at 1.
/// `restarts`: a 1 begins a new list (lists, chapter numbers) rather than
/// repeating the first number (table groups, measures within a goal).
fn sequence(
    items: Vec<Item>,
    group: &str,
    restarts: bool,
    doc: &crate::model::Document,
    out: &mut Vec<Finding>,
) {
    let mut runs: Vec<Vec<&Item>> = Vec::new();
    for it in &items {
        match runs.last_mut() {
            Some(r) if it.n != 1 || !restarts => r.push(it),
            _ => runs.push(vec![it]),
        }
    }
    for run in runs {
        if run.len() < 2 || run[0].n != 1 {
            continue;
        }
        let mut odd = Vec::new();
        for w in run.windows(2) {
            let (a, b) = (w[0], w[1]);
            if b.n == a.n || b.n > a.n + 1 {
                odd.push((a, b));
            } else if b.n < a.n {
                odd.push((a, b));
                odd.push((a, b)); // a jump back: not one list
            }
        }
        // One oddity is a finding; more mean the run is not one list.
        let [(a, b)] = odd[..] else {
            continue;
        };
        // The missing number printed in between means we misread an item, not
        // that the document skips it.
        if b.n > a.n + 1 && printed_between(doc, a, b) {
            continue;
        }
        let f = if b.n == a.n {
            Finding::new(format!(
                "number {} is used twice{group}: {} and {}; {} was expected for the second",
                b.n,
                a.what,
                b.what,
                a.n + 1
            ))
        } else {
            let missing: Vec<String> = (a.n + 1..b.n).map(|n| n.to_string()).collect();
            Finding::new(format!(
                "numbering skips {}{group}: {} is followed by {}",
                missing.join(", "),
                a.what,
                b.what
            ))
        };
        out.push(
            f.figures(Value::Count(b.n as i64), Value::Count(a.n as i64 + 1))
                .at(b.at.clone())
                .at(a.at.clone()),
        );
    }
}

/// Whether a number missing between `a` and `b` is printed at the start of
/// a line in between (a heading the reading took for a paragraph, a list item
/// or a table row): then the reading missed an item, the document skips none.
fn printed_between(doc: &crate::model::Document, a: &Item, b: &Item) -> bool {
    let (from, to) = (
        a.at.span.line.min(b.at.span.line),
        a.at.span.line.max(b.at.span.line),
    );
    // The printed number's prefix: "4." of "4.1", "Tiltak " of "Tiltak 1".
    let prefix = |it: &Item| {
        let digits = it.n.to_string();
        it.number
            .strip_suffix(&digits)
            .or_else(|| it.number.strip_suffix(&format!("{digits}.")))
            .unwrap_or("")
            .to_lowercase()
    };
    let pre = prefix(a);
    (a.n + 1..b.n).any(|n| {
        let marks: Vec<String> = [
            format!("{n}."),
            format!("{n})"),
            format!("{n} "),
            format!("{n}\t"),
        ]
        .iter()
        .map(|m| format!("{pre}{m}"))
        .collect();
        doc.blocks()
            .filter(|bl| bl.span.line > from && bl.span.line < to)
            .any(|bl| {
                let marker = match &bl.kind {
                    BlockKind::ListItem { marker, .. } => marker.trim(),
                    _ => "",
                };
                bl.text.lines().any(|line| {
                    let t = line
                        .trim_start_matches(|c: char| c.is_whitespace() || c == '*')
                        .to_lowercase();
                    marks.iter().any(|m| t.starts_with(m.as_str()))
                        || (pre.is_empty() && marks.iter().any(|m| marker == m.trim()))
                        || t.starts_with(&format!("tiltak {n}"))
                })
            })
    })
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::findings;

    #[test]
    fn a_repeated_number_in_a_table_group() {
        let t = "Delmål\tTiltak\tBeløp\nDelmål 7:\tLandbruk\t\n\t1. Møter\t50 000 kr\n\t1. Samtaler\t200 000 kr\nTil sammen\t\t250 000 kr\n";
        let f = findings("numbering", t);
        assert_eq!(f.len(), 1, "{f:#?}");
        assert!(
            f[0].message
                .contains("number 1 is used twice under «Delmål 7»"),
            "{}",
            f[0].message
        );
    }

    #[test]
    fn a_skipped_measure_heading() {
        let t = "Delmål 1 Bolig\n\nTekst.\n\nTiltak 1 Kartlegging\n\nTekst.\n\nTiltak 2 Samtaler\n\nTekst.\n\nTiltak 4 Bygging\n\nTekst.\n";
        let f = findings("numbering", t);
        assert_eq!(f.len(), 1, "{f:#?}");
        assert!(
            f[0].message.starts_with("numbering skips 3"),
            "{}",
            f[0].message
        );
    }

    #[test]
    fn restarts_and_continuations_are_silent() {
        let t = "Innledning\n\nVi har tre mål:\n\n1. Ett\n2. To\n3. Tre\n\nOg fire deler:\n\n1. A\n2. B\n3. C\n4. D\n";
        assert!(findings("numbering", t).is_empty());
    }
}

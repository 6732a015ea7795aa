use std::sync::LazyLock;

use regex::Regex;

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
static HEADING_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(?:(?P<kw>tiltak|delmål|hovedmål|mål|aktivitet|strategi|innsatsområde|satsingsområde|kapittel)\s+(?P<n>\d{1,2})\b|(?P<pre>(?:\d{1,2}\.)*)(?P<m>\d{1,2})\.?\s+\p{Lu})")
        .expect("heading number")
});
static LIST_NUMBER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*(\d{1,2})[.)]?\s*$").expect("list number"));

/// One numbered item in reading order.
struct Item {
    n: u32,
    at: Location,
    what: String,
}

fn check(cx: &Checker, out: &mut Vec<Finding>) {
    tables(cx, out);
    headings(cx, out);
    lists(cx, out);
}

fn tables(cx: &Checker, out: &mut Vec<Finding>) {
    for grid in &cx.plan.grids {
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

fn headings(cx: &Checker, out: &mut Vec<Finding>) {
    // Keyword headings per goal ("Tiltak N" under each delmål), and chapter
    // numbers per level of the same depth ("4.1", "4.2" under "4").
    let mut groups: Vec<(String, Vec<Item>)> = Vec::new();
    for b in cx.doc.blocks() {
        if !matches!(b.kind, BlockKind::Heading { .. }) {
            continue;
        }
        let Some(c) = HEADING_NUMBER.captures(&b.text) else {
            continue;
        };
        let (key, n) = match (c.name("kw"), c.name("n"), c.name("m")) {
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
                (format!("{kw}/{parent}"), n.as_str())
            }
            (_, _, Some(m)) => (
                format!("#{}", c.name("pre").map_or("", |p| p.as_str())),
                m.as_str(),
            ),
            _ => continue,
        };
        let Ok(n) = n.parse() else {
            continue;
        };
        let item = Item {
            n,
            at: cx.text(
                b.span,
                c.get(0).map_or("", |m| m.as_str()).trim(),
                "heading number",
            ),
            what: format!("«{}»", b.text),
        };
        match groups.iter_mut().find(|(k, _)| *k == key) {
            Some((_, v)) => v.push(item),
            None => groups.push((key, vec![item])),
        }
    }
    for (key, items) in groups {
        sequence(items, "", key.starts_with('#'), cx.doc, out);
    }
}

fn lists(cx: &Checker, out: &mut Vec<Finding>) {
    let mut seq: Vec<Item> = Vec::new();
    for b in cx.doc.blocks() {
        match &b.kind {
            BlockKind::ListItem { marker, depth: 0 } => {
                if let Some(c) = LIST_NUMBER.captures(marker) {
                    if let Ok(n) = c[1].parse() {
                        seq.push(Item {
                            n,
                            at: cx.lines(b.span, "list item"),
                            what: format!("«{}»", b.text.chars().take(60).collect::<String>()),
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

fn printed_between(doc: &crate::model::Document, a: &Item, b: &Item) -> bool {
    let (from, to) = (
        a.at.span.line.min(b.at.span.line),
        a.at.span.line.max(b.at.span.line),
    );
    (a.n + 1..b.n).any(|n| {
        let marks = [format!("{n}."), format!("{n})"), format!("{n} ")];
        doc.blocks()
            .filter(|bl| bl.span.line > from && bl.span.line < to)
            .any(|bl| {
                let marker = match &bl.kind {
                    BlockKind::ListItem { marker, .. } => marker.trim(),
                    _ => "",
                };
                let t = bl
                    .text
                    .trim_start_matches(|c: char| c.is_whitespace() || c == '*');
                marks
                    .iter()
                    .any(|m| t.starts_with(m.as_str()) || marker == m.trim())
                    || t.to_lowercase().starts_with(&format!("tiltak {n}"))
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

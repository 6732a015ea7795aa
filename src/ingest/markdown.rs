//! Plain text written as Markdown, as document converters write it: `#`
//! headings, pipe tables with their `|---|` rule, and HTML comments that mark
//! where a page began (`<!-- page 3 -->`). Lists stay with the segmenter,
//! which reads `-`, `*` and `1.` items and their indented continuations.

use std::sync::LazyLock;

use regex::Regex;

use super::layout::{heading_of, strip_markdown, Item};
use crate::model::{BlockKind, TableRow};

static HEADING: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^ {0,3}(?P<h>#{1,6})\s+(?P<rest>.*?)(?:\s+#+)?\s*$").unwrap());
/// The rule under a pipe table's header: `|---|:---:|`, `--- | ---`.
static TABLE_RULE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)+\|?\s*$|^\s*\|\s*:?-{3,}:?\s*\|\s*$")
        .unwrap()
});
static PAGE_COMMENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*<!--\s*(?:page|side)\s*(?:break\s*)?:?\s*(?P<n>[0-9]{1,4})?\s*-->\s*$")
        .unwrap()
});
static COMMENT: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^\s*<!--.*-->\s*$").unwrap());

/// What the Markdown at the start of `lines` makes, and how many lines it
/// took: a heading, a pipe table, the start of a page (numbered, or else the
/// one after `page`), or nothing for a comment, which is not text.
pub fn read(lines: &[&str], page: Option<u32>) -> Option<(Option<Item>, usize)> {
    let line = lines.first()?;
    if let Some(marked) = page_marker(line) {
        let n = marked.unwrap_or(page.map_or(1, |p| p + 1));
        return Some((Some(Item::Page(Some(n))), 1));
    }
    if is_comment(line) {
        return Some((None, 1));
    }
    if let Some(h) = heading(line) {
        return Some((Some(h), 1));
    }
    table(lines).map(|(t, used)| (Some(t), used))
}

/// The text marks where pages start, but not where the first one does.
pub fn first_page_unmarked(lines: &[&str]) -> bool {
    let marked = lines.iter().any(|l| page_marker(l).is_some());
    let first = lines.iter().find(|l| !l.trim().is_empty());
    marked && first.is_some_and(|l| page_marker(l).is_none())
}

/// A `#` heading line: its level and the block it makes.
pub fn heading(line: &str) -> Option<Item> {
    let c = HEADING.captures(line)?;
    let text = strip_markdown(c["rest"].trim());
    if text.is_empty() {
        return None;
    }
    let number = heading_of(&text).and_then(|(_, n)| n);
    Some(Item::Block {
        kind: BlockKind::Heading {
            level: c["h"].len() as u8,
            number,
        },
        lines: vec![text],
        lead: None,
    })
}

/// The page a page-marker comment starts (`<!-- page 3 -->`), `Some(None)`
/// for an unnumbered one; other whole-line comments are `None` here and
/// dropped by [`is_comment`].
pub fn page_marker(line: &str) -> Option<Option<u32>> {
    PAGE_COMMENT
        .captures(line)
        .map(|c| c.name("n").and_then(|n| n.as_str().parse().ok()))
}

pub fn is_comment(line: &str) -> bool {
    COMMENT.is_match(line)
}

/// The cells of a pipe-table line, or `None` when it is not one.
fn cells(line: &str) -> Option<Vec<String>> {
    let t = line.trim();
    if !t.starts_with('|') || t.len() < 3 {
        return None;
    }
    let inner = t.strip_prefix('|')?;
    let inner = inner.strip_suffix('|').unwrap_or(inner);
    Some(
        split_unescaped(inner)
            .into_iter()
            .map(|c| strip_markdown(c.trim()))
            .collect(),
    )
}

/// Splits at `|` not escaped as `\|`.
fn split_unescaped(s: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&'|') => {
                out.last_mut().unwrap().push('|');
                chars.next();
            }
            '|' => out.push(String::new()),
            c => out.last_mut().unwrap().push(c),
        }
    }
    out
}

/// A pipe table starting at `lines[0]`: its header line, the rule under it,
/// and the rows up to the first line that is not a row. Returns the table
/// and how many lines it took.
pub fn table(lines: &[&str]) -> Option<(Item, usize)> {
    let header = cells(lines.first()?)?;
    if !TABLE_RULE.is_match(lines.get(1)?) {
        return None;
    }
    let width = header.len();
    let mut rows = vec![TableRow::plain(header)];
    let mut used = 2;
    for l in &lines[2..] {
        let Some(mut row) = cells(l) else { break };
        row.resize(width.max(row.len()), String::new());
        rows.push(TableRow::plain(row));
        used += 1;
    }
    Some((Item::Table(rows), used))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn heading_block(line: &str) -> Option<(u8, Option<String>, String)> {
        match heading(line)? {
            Item::Block {
                kind: BlockKind::Heading { level, number },
                lines,
                ..
            } => Some((level, number, lines.join(" "))),
            _ => None,
        }
    }

    #[test]
    fn hashes_give_the_level_and_the_genre_gives_the_number() {
        assert_eq!(
            heading_block("## Delmål 1: Flere unge voksne ##"),
            Some((
                2,
                Some("Delmål 1".into()),
                "Delmål 1: Flere unge voksne".into()
            ))
        );
        assert_eq!(
            heading_block("### **Tiltak**"),
            Some((3, None, "Tiltak".into()))
        );
        assert_eq!(heading_block("#bolyst er et prosjekt"), None);
        assert_eq!(heading_block("#"), None);
    }

    #[test]
    fn a_pipe_table_needs_its_rule_and_ends_at_the_first_other_line() {
        let lines = [
            "| Tiltak | 2025 |",
            "|---|---:|",
            "| Kurs \\| reise | 100 000 |",
            "| **Sum** | 100 000 |",
            "Teksten etter tabellen.",
        ];
        let Some((Item::Table(rows), used)) = table(&lines) else {
            panic!("no table");
        };
        assert_eq!(used, 4);
        let texts: Vec<Vec<String>> = rows.iter().map(|r| r.texts()).collect();
        assert_eq!(
            texts,
            vec![
                vec!["Tiltak", "2025"],
                vec!["Kurs | reise", "100 000"],
                vec!["Sum", "100 000"]
            ]
        );
        assert!(table(&["| a | b |", "| c | d |"]).is_none());
    }

    #[test]
    fn page_comments_start_pages_and_other_comments_are_not_text() {
        assert_eq!(page_marker("<!-- page 3 -->"), Some(Some(3)));
        assert_eq!(page_marker("<!-- Side 12 -->"), Some(Some(12)));
        assert_eq!(page_marker("<!-- image -->"), None);
        assert!(is_comment("<!-- image -->"));
        assert!(!is_comment("Tekst <!-- x --> mer"));
    }
}

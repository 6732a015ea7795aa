//! HTML, whole files and fragments inside text lines.
//!
//! A tokenizer (html5gum, WHATWG-conformant, so entities and broken markup are
//! handled as browsers do) drives a small state machine: block elements become
//! blocks, `<table>` becomes rows of cells (nested tables flatten into their
//! cell), and an underlined or bold start of a paragraph is kept as its lead-in.

use html5gum::{Token, Tokenizer};
use std::sync::LazyLock;

use crate::norsk::Pattern;

use super::layout::{heading_of, segment, Item};
use super::position::{align, Stream};
use super::{IngestError, IngestOptions, Ingester};
use crate::model::{BlockKind, Cell, Document, DocumentBuilder, Format, SourceUnit, TableRow};

pub struct HtmlIngester;

impl Ingester for HtmlIngester {
    fn format(&self) -> Format {
        Format::Html
    }

    fn sniff(&self, bytes: &[u8]) -> bool {
        let head = &bytes[..bytes.len().min(2048)];
        let head = super::charset::decode(head).to_lowercase();
        let t = head.trim_start_matches('\u{feff}').trim_start();
        t.starts_with("<!doctype html")
            || t.starts_with("<html")
            || (t.starts_with('<') && (head.contains("<body") || head.contains("<head")))
    }

    fn ingest(&self, bytes: &[u8], _options: &IngestOptions) -> Result<Document, IngestError> {
        let text = super::charset::decode(bytes);
        let mut b = DocumentBuilder::new(Format::Html);
        let mut items = Vec::new();
        let title = html_items(&text, &mut items);
        b.set_metadata_title(title);
        segment(items, &mut b);
        let mut doc = b.finish();
        doc.source_map = align(&doc.lines, &Stream::of_html(&text), SourceUnit::Line);
        Ok(doc)
    }
}

static MARKUP: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(
        r"(?i)</?(p|table|tr|td|th|ul|ol|li|u|b|strong|em|br|thead|tbody|div|span|h[1-6])\b[^>]*>",
    )
    .unwrap()
});

/// True when a text line carries HTML markup.
pub fn has_markup(line: &str) -> bool {
    MARKUP.is_match(line)
}

/// Items for one text line that mixes tab-separated cells and HTML: each cell is
/// read on its own; text after a table that only repeats its cells is dropped.
pub fn fragment_items(line: &str, items: &mut Vec<Item>) {
    let mut table_cells: Vec<String> = Vec::new();
    for cell in line.split('\t') {
        let cell = cell.trim();
        if cell.is_empty() {
            continue;
        }
        if has_markup(cell) {
            let before = items.len();
            html_items(cell, items);
            for item in &items[before..] {
                if let Item::Table(rows) = item {
                    table_cells.extend(
                        rows.iter()
                            .flat_map(|r| &r.cells)
                            .map(|c| c.text.trim().to_string()),
                    );
                }
            }
        } else if table_cells.iter().any(|c| c == cell) {
            // a flattened copy of the table just read
        } else {
            items.push(Item::Blank);
            items.push(Item::line(cell.to_string()));
            items.push(Item::Blank);
        }
    }
}

#[derive(Default)]
struct State {
    text: String,
    lead: Option<String>,
    lead_open: Option<usize>,
    block: Option<String>,
    list_depth: u8,
    in_list_item: bool,
    /// Per open list, the number its next item carries (`None`: bullets).
    lists: Vec<Option<u32>>,
    /// The marker of the open list item, from its list.
    item_marker: Option<String>,
    /// Depth of open `<span>`s, and the depth at which a list label opened.
    spans: usize,
    label_at: Option<usize>,
    /// The label a converter printed before the item's text ("1.", "•").
    label: String,
    table_depth: usize,
    rows: Vec<Vec<Cell>>,
    /// The open cell's text and its colspan and rowspan.
    cell: Option<(String, u16, u16)>,
    /// Per grid column, how many more rows a rowspan above still covers.
    carry: Vec<u16>,
    skip: Option<String>,
    title: Option<String>,
    in_title: bool,
}

/// Appends the items of an HTML text; returns the `<title>`.
pub fn html_items(html: &str, items: &mut Vec<Item>) -> Option<String> {
    let mut s = State::default();
    for token in Tokenizer::new(html).flatten() {
        match token {
            Token::StartTag(tag) if s.skip.is_none() => start_tag(&mut s, &tag, items),
            Token::EndTag(tag) => {
                let name = String::from_utf8_lossy(&tag.name).to_lowercase();
                if let Some(skip) = &s.skip {
                    if *skip == name {
                        s.skip = None;
                    }
                    continue;
                }
                end_tag(&mut s, &name, items);
            }
            Token::String(text) => {
                if s.skip.is_some() {
                    continue;
                }
                let t = String::from_utf8_lossy(&text).to_string();
                if s.in_title {
                    s.title.get_or_insert_with(String::new).push_str(&t);
                } else if s.label_at.is_some() {
                    s.label.push_str(&t);
                } else {
                    push_text(&mut s, &t);
                }
            }
            _ => {}
        }
    }
    end_cell(&mut s);
    end_row(&mut s);
    if s.table_depth > 0 && !s.rows.is_empty() {
        items.push(Item::Table(table_rows(std::mem::take(&mut s.rows))));
    }
    flush(&mut s, items);
    s.title
}

/// An element opens: blocks, lists, tables and their cells, list labels.
fn start_tag<S: html5gum::SpanBound>(
    s: &mut State,
    tag: &html5gum::StartTag<S>,
    items: &mut Vec<Item>,
) {
    let name = String::from_utf8_lossy(&tag.name).to_lowercase();
    match name.as_str() {
        "script" | "style" | "noscript" | "template" => s.skip = Some(name),
        "title" => s.in_title = true,
        "table" => {
            if s.table_depth == 0 {
                flush(s, items);
                s.rows.clear();
                s.carry.clear();
            }
            s.table_depth += 1;
        }
        "tr" if s.table_depth == 1 => {
            end_cell(s);
            end_row(s);
            s.rows.push(Vec::new());
        }
        "td" | "th" if s.table_depth == 1 => {
            end_cell(s);
            let span = |key: &[u8]| {
                attribute(tag, key)
                    .and_then(|v| v.parse::<u16>().ok())
                    .map_or(1, |n| n.clamp(1, 64))
            };
            s.cell = Some((String::new(), span(b"colspan"), span(b"rowspan")));
        }
        "br" => push_text(s, " "),
        "ul" | "ol" => {
            if s.table_depth == 0 {
                flush(s, items);
            }
            s.list_depth += 1;
            let start = attribute(tag, b"start").and_then(|v| v.parse().ok());
            s.lists.push((name == "ol").then(|| start.unwrap_or(1)));
        }
        "li" if s.table_depth == 0 => {
            flush(s, items);
            open_item(s);
        }
        "span" => {
            s.spans += 1;
            if s.label_at.is_none() && is_list_label(tag) {
                s.label_at = Some(s.spans);
            }
        }
        // A paragraph inside a list item is the item's text, not
        // a block of its own (converters write `<li><p>…</p></li>`).
        "p" | "div" if s.table_depth == 0 && s.in_list_item => push_text(s, " "),
        "p" | "div" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "blockquote" | "section"
        | "article" | "header" | "footer"
            if s.table_depth == 0 =>
        {
            flush(s, items);
            s.block = Some(name);
        }
        "p" | "div" | "li" if s.table_depth > 0 => push_text(s, " "),
        "u" | "b" | "strong"
            if s.table_depth == 0 && s.text.trim().is_empty() && s.lead.is_none() =>
        {
            s.lead_open = Some(s.text.len());
        }
        _ => {}
    }
}

/// An element closes: the block, cell, row, table or list it ends.
fn end_tag(s: &mut State, name: &str, items: &mut Vec<Item>) {
    match name {
        "title" => s.in_title = false,
        "table" => {
            s.table_depth = s.table_depth.saturating_sub(1);
            if s.table_depth == 0 {
                end_cell(s);
                end_row(s);
                let rows = std::mem::take(&mut s.rows);
                items.push(Item::Table(table_rows(rows)));
            }
        }
        "td" | "th" if s.table_depth == 1 => end_cell(s),
        "ul" | "ol" => {
            if s.table_depth == 0 {
                flush(s, items);
            }
            s.list_depth = s.list_depth.saturating_sub(1);
            s.lists.pop();
        }
        "span" => {
            if s.label_at == Some(s.spans) {
                s.label_at = None;
            }
            s.spans = s.spans.saturating_sub(1);
        }
        "p" | "div" if s.table_depth == 0 && s.in_list_item => push_text(s, " "),
        "li" | "p" | "div" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "blockquote"
            if s.table_depth == 0 =>
        {
            flush(s, items)
        }
        "u" | "b" | "strong" => {
            if let Some(start) = s.lead_open.take() {
                let lead = s.text[start..].trim().to_string();
                if !lead.is_empty() {
                    s.lead = Some(lead);
                }
            }
        }
        _ => {}
    }
}

fn push_text(s: &mut State, t: &str) {
    if s.table_depth > 0 {
        if let Some((c, _, _)) = s.cell.as_mut() {
            c.push_str(t);
        }
    } else {
        s.text.push_str(t);
    }
}

fn table_rows(rows: Vec<Vec<Cell>>) -> Vec<TableRow> {
    rows.into_iter()
        .map(|cells| TableRow { cells, page: None })
        .collect()
}

/// Covers the slots of column `col` onwards that a rowspan above still holds.
fn fill_carried(row: &mut Vec<Cell>, carry: &mut [u16]) {
    while let Some(n) = carry.get_mut(row.len()).filter(|n| **n > 0) {
        *n -= 1;
        row.push(Cell::covered());
    }
}

/// Places the open cell in the grid: after the slots rowspans above cover,
/// followed by the slots its colspan covers.
fn end_cell(s: &mut State) {
    if let Some((text, colspan, rowspan)) = s.cell.take() {
        if s.rows.is_empty() {
            s.rows.push(Vec::new());
        }
        let row = s.rows.last_mut().expect("a row");
        fill_carried(row, &mut s.carry);
        let col = row.len();
        let mut cell = Cell::new(crate::model::builder_normalise(&text));
        cell.col_span = colspan;
        cell.row_span = rowspan;
        row.push(cell);
        row.extend((1..colspan).map(|_| Cell::covered()));
        if s.carry.len() < col + usize::from(colspan) {
            s.carry.resize(col + usize::from(colspan), 0);
        }
        for n in &mut s.carry[col..col + usize::from(colspan)] {
            *n = rowspan - 1;
        }
    }
}

/// Ends a row: slots at its end that a rowspan above covers are covered.
fn end_row(s: &mut State) {
    let Some(row) = s.rows.last_mut() else {
        return;
    };
    while let Some(last) = s
        .carry
        .iter()
        .rposition(|&n| n > 0)
        .filter(|&l| l >= row.len())
    {
        fill_carried(row, &mut s.carry);
        if row.len() <= last {
            row.push(Cell::new(""));
        }
    }
}

/// Opens a list item: its marker is its number in an `<ol>`, a bullet in a
/// `<ul>` (or outside any list).
fn open_item(s: &mut State) {
    let marker = match s.lists.last_mut() {
        Some(Some(n)) => {
            let m = format!("{n}.");
            *n = n.saturating_add(1);
            m
        }
        _ => "•".to_string(),
    };
    s.item_marker = Some(marker);
    s.in_list_item = true;
    s.block = Some("li".into());
}

/// The value of one attribute of a tag, trimmed.
fn attribute<S: html5gum::SpanBound>(tag: &html5gum::StartTag<S>, key: &[u8]) -> Option<String> {
    tag.attributes
        .get(key)
        .and_then(|v| std::str::from_utf8(&v.value).ok())
        .map(|v| v.trim().to_string())
}

/// A span that holds the label a converter printed for a list item:
/// LibreOffice's `class="ListLabel…"`, Word's `style="mso-list:Ignore"`. Its
/// text is the item's marker, not its text.
fn is_list_label<S: html5gum::SpanBound>(tag: &html5gum::StartTag<S>) -> bool {
    let class = attribute(tag, b"class").unwrap_or_default();
    let style = attribute(tag, b"style")
        .unwrap_or_default()
        .to_ascii_lowercase()
        .replace(' ', "");
    class.split_whitespace().any(|c| c.starts_with("ListLabel"))
        || style.contains("mso-list:ignore")
}

/// The marker of an item: the printed label when it is a number or letter
/// ("3.", "b)"), since that is what the reader saw; else the list's own.
fn item_marker(label: &str, list: Option<&str>) -> String {
    let label = label.trim();
    let counted = label.len() <= 6
        && label.ends_with(['.', ')'])
        && label[..label.len() - 1]
            .trim_start_matches('(')
            .chars()
            .all(|c| c.is_ascii_alphanumeric())
        && label.len() > 1;
    if counted {
        label.to_string()
    } else {
        list.unwrap_or("•").to_string()
    }
}

/// Bullets typed inline instead of as `<li>`: "• a• b• c" or "- a - b".
fn split_inline_bullets(text: &str, in_list: bool) -> Option<Vec<String>> {
    let t = text.trim();
    let parts: Vec<String> = if t.matches('•').count() >= 2 || (t.starts_with('•') && in_list) {
        t.split('•')
            .map(|p| p.trim().to_string())
            .filter(|p| !p.is_empty())
            .collect()
    } else if in_list && t.starts_with("- ") {
        t.split(" - ")
            .map(|p| p.trim_start_matches("- ").trim().to_string())
            .filter(|p| !p.is_empty())
            .collect()
    } else {
        return None;
    };
    (!parts.is_empty()).then_some(parts)
}

fn flush(s: &mut State, items: &mut Vec<Item>) {
    let text = crate::model::builder_normalise(&std::mem::take(&mut s.text));
    let block = s.block.take();
    let lead = s.lead.take().map(|l| crate::model::builder_normalise(&l));
    s.lead_open = None;
    let was_item = std::mem::take(&mut s.in_list_item);
    let marker = item_marker(
        &std::mem::take(&mut s.label),
        s.item_marker.take().as_deref(),
    );
    if text.is_empty() {
        return;
    }
    if let Some(parts) = split_inline_bullets(&text, s.list_depth > 0) {
        for p in parts {
            items.push(Item::Block {
                kind: BlockKind::ListItem {
                    marker: "•".into(),
                    depth: s.list_depth.saturating_sub(1),
                },
                lines: vec![p],
                lead: None,
            });
        }
        return;
    }
    let kind = match block.as_deref() {
        Some(h) if h.len() == 2 && h.starts_with('h') => {
            let level = h[1..].parse().unwrap_or(2);
            BlockKind::Heading {
                level,
                number: heading_of(&text).and_then(|(_, n)| n),
            }
        }
        _ if was_item => BlockKind::ListItem {
            marker,
            depth: s.list_depth.saturating_sub(1),
        },
        _ => BlockKind::Paragraph,
    };
    items.push(Item::Block {
        kind,
        lines: vec![text],
        lead,
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blocks(html: &str) -> Vec<(String, String, Option<String>)> {
        let d = HtmlIngester
            .ingest(html.as_bytes(), &IngestOptions::default())
            .unwrap();
        d.blocks()
            .map(|b| {
                let k = match &b.kind {
                    BlockKind::Heading { level, .. } => format!("h{level}"),
                    BlockKind::Paragraph => "p".into(),
                    BlockKind::ListItem { .. } => "li".into(),
                    BlockKind::Table(_) => "table".into(),
                    BlockKind::Furniture => "f".into(),
                };
                (k, b.text.clone(), b.lead.clone())
            })
            .collect()
    }

    fn markers(html: &str) -> Vec<String> {
        let d = HtmlIngester
            .ingest(html.as_bytes(), &IngestOptions::default())
            .unwrap();
        d.blocks()
            .map(|b| match &b.kind {
                BlockKind::ListItem { marker, .. } => format!("{marker} {}", b.text),
                _ => format!("p {}", b.text),
            })
            .collect()
    }

    #[test]
    fn list_items_holding_paragraphs_and_printed_labels() {
        // LibreOffice's export: the label is a floated span inside <li><p>.
        let lo = r#"<ol><li><p class="P2"><span class="ListLabel_20_3" style="float:left">1.</span>Flere unge flytter hjem.<span class="odfLiEnd"/> </p></li><li><p><span class="ListLabel_20_3">2.</span>Nok boliger.</p><p>Også utleie.</p></li></ol><ul><li><p><span class="ListLabel_20_1">••</span>Sommerjobb</p></li></ul>"#;
        assert_eq!(
            markers(lo),
            [
                "1. Flere unge flytter hjem.",
                "2. Nok boliger. Også utleie.",
                "• Sommerjobb"
            ]
        );
        // Word's "Save as HTML": the label is an mso-list:Ignore span.
        let word = "<p class=MsoListParagraph>Intro:</p><ol start=4><li><span style='mso-list: Ignore'>a)<span>&nbsp;&nbsp;</span></span>Første</li><li>Andre</li></ol>";
        assert_eq!(markers(word), ["p Intro:", "a) Første", "5. Andre"]);
        // A label that is no number or letter leaves the list's own marker.
        assert_eq!(item_marker("••", Some("3.")), "3.");
        assert_eq!(item_marker("(iv)", None), "(iv)");
        assert_eq!(item_marker("", None), "•");
    }

    #[test]
    fn blocks_lists_and_entities() {
        let b = blocks("<!DOCTYPE html><html><head><title>Plan</title><style>p{}</style></head><body><h1>Handlingsplan&nbsp;2025</h1><p>Tekst &amp; mer</p><ul><li>Én</li><li>To</li></ul><script>x()</script></body></html>");
        assert_eq!(
            b.iter()
                .map(|(k, t, _)| format!("{k}:{t}"))
                .collect::<Vec<_>>(),
            vec!["h1:Handlingsplan 2025", "p:Tekst & mer", "li:Én", "li:To"]
        );
    }

    #[test]
    fn underlined_lead_in_is_kept() {
        let b = blocks("<html><body><p><u>1. Rekruttering av arbeidskraft.</u> Det jobbes kontinuerlig.</p></body></html>");
        assert_eq!(b[0].2.as_deref(), Some("1. Rekruttering av arbeidskraft."));
        assert_eq!(
            b[0].1,
            "1. Rekruttering av arbeidskraft. Det jobbes kontinuerlig."
        );
    }

    #[test]
    fn rowspan_and_colspan_fill_the_grid() {
        let html = r#"<table><tr><th rowspan="2">Delmål</th><th colspan="2">Finansiering</th></tr>
<tr><th>KDD</th><th>Kommune</th></tr>
<tr><td>1</td><td>100</td><td>50</td></tr></table>"#;
        let d = HtmlIngester
            .ingest(html.as_bytes(), &IngestOptions::default())
            .unwrap();
        let (_, t) = d.tables().next().unwrap();
        let texts: Vec<Vec<&String>> = t.rows.iter().map(|r| r.texts().collect()).collect();
        assert_eq!(texts[0], ["Delmål", "Finansiering", ""]);
        assert_eq!(texts[1], ["", "KDD", "Kommune"]);
        assert_eq!(texts[2], ["1", "100", "50"]);
        assert_eq!(t.rows[0].cells[0].row_span, 2);
        assert_eq!(t.rows[0].cells[1].col_span, 2);
        assert!(t.rows[0].cells[2].merged && t.rows[1].cells[0].merged);
        assert!(!t.rows[2].cells[0].merged);
    }

    #[test]
    fn tables_keep_empty_cells_and_flatten_nested_ones() {
        let html = "<html><body><table><tr><th></th><th>2025</th></tr><tr><td>Drift</td><td>100 000</td></tr><tr><td><table><tr><td>inner</td></tr></table></td><td></td></tr></table></body></html>";
        let d = HtmlIngester
            .ingest(html.as_bytes(), &IngestOptions::default())
            .unwrap();
        let (_, t) = d.tables().next().unwrap();
        let rows: Vec<Vec<String>> = t
            .rows
            .iter()
            .map(|r| r.cells.iter().map(|c| c.text.clone()).collect())
            .collect();
        assert_eq!(
            rows,
            vec![
                vec!["", "2025"],
                vec!["Drift", "100 000"],
                vec!["inner", ""]
            ]
        );
    }

    #[test]
    fn inline_bullets_become_items() {
        let b = blocks(
            "<html><body><ul style=\"x\">• Husbanken• Distriktssenteret• NAV</ul></body></html>",
        );
        assert_eq!(
            b.iter().map(|(_, t, _)| t.as_str()).collect::<Vec<_>>(),
            vec!["Husbanken", "Distriktssenteret", "NAV"]
        );
    }
}

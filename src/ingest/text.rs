//! Plain text, as documents arrive from web pages, copy-paste and converters.
//!
//! Besides ordinary paragraphs this reads what such text carries along:
//! tab-separated table rows; HTML fragments inside lines (forms exported with
//! `<p>`, `<ul>`, `<table>` cells); web transcripts whose pages end in "Side N";
//! and the "Like dokumenter" lists of unrelated titles that document-sharing
//! sites put around a transcript, which are dropped as noise.

use std::sync::LazyLock;

use regex::Regex;

use super::charset::{decode, utf16};
use super::layout::{segment_layout, Item, NOISE_START, TRANSCRIPT_START};
use super::position::{align, Stream};
use super::{collapsed, html, markdown};
use super::{IngestError, IngestOptions, Ingester};
use crate::model::{Document, DocumentBuilder, Format, SourceUnit};

pub struct TextIngester;

impl Ingester for TextIngester {
    fn format(&self) -> Format {
        Format::Text
    }

    fn sniff(&self, bytes: &[u8]) -> bool {
        let head = &bytes[..bytes.len().min(8192)];
        if head.contains(&0) && utf16(head).is_none() {
            return false;
        }
        // Text if it decodes (UTF-8, else Windows-1252) to mostly printable characters.
        let text = decode(head);
        let control = text
            .chars()
            .filter(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{c}'))
            .count();
        control * 100 <= text.chars().count().max(1)
    }

    fn ingest(&self, bytes: &[u8], _options: &IngestOptions) -> Result<Document, IngestError> {
        let text = decode(bytes);
        let mut b = DocumentBuilder::new(Format::Text);
        let (items, dropped, pages) = prepare(&text);
        b.dropped_count(dropped);
        if let Some(p) = pages {
            b.set_page_count(p);
        }
        segment_layout(items, &mut b);
        let mut doc = b.finish();
        let source = Stream::of_text(&text, html::has_markup);
        doc.source_map = align(&doc.lines, &source, SourceUnit::Line);
        Ok(doc)
    }
}

static PAGE_ONLY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^\s*(?:side|page)\s+([0-9]{1,4})(?:\s*(?:av|av totalt|of|/)\s*[0-9]{1,4})?\s*$",
    )
    .unwrap()
});
pub(crate) static PAGE_AT_END: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?P<body>.*\S)\s+Side\s+(?P<n>[0-9]{1,4})\s*$").unwrap());

/// A long line (a whole page of a transcript) is body text, never a noise title.
const TRANSCRIPT_PAGE_MIN: usize = 250;

/// Turns raw text into segmenter items. Returns the items, the number of noise
/// lines dropped and the page count when the text carries page markers.
pub fn prepare(text: &str) -> (Vec<Item>, usize, Option<u32>) {
    let lines: Vec<&str> = text.lines().map(|l| l.trim_end_matches('\r')).collect();
    let paged = lines
        .iter()
        .filter(|l| {
            PAGE_ONLY.is_match(l) || (l.len() > TRANSCRIPT_PAGE_MIN && PAGE_AT_END.is_match(l))
        })
        .count()
        >= 2;
    let mut items = Vec::with_capacity(lines.len());
    let mut dropped = 0;
    let mut in_noise = false;
    let mut page = first_page(&lines, paged);
    let mut max_page = 0u32;
    let mut html_tables: Vec<String> = Vec::new();
    if page.is_some() {
        items.push(Item::Page(page));
    }
    let mut k = 0;
    while k < lines.len() {
        let line = lines[k];
        k += 1;
        if let Some((item, used)) = markdown::read(&lines[k - 1..], page) {
            k += used - 1;
            if let Some(Item::Page(n)) = item {
                page = n;
                max_page = max_page.max(n.unwrap_or(0));
            }
            match item {
                Some(item) => items.push(item),
                None => dropped += 1,
            }
            continue;
        }
        if NOISE_START.is_match(line) {
            in_noise = true;
            dropped += 1;
            continue;
        }
        if in_noise {
            if TRANSCRIPT_START.is_match(line) {
                in_noise = false;
                dropped += 1;
                continue;
            }
            if line.chars().count() < TRANSCRIPT_PAGE_MIN {
                dropped += usize::from(!line.trim().is_empty());
                continue;
            }
            in_noise = false;
        }
        if paged && page_marker(line, &mut items, &mut page, &mut max_page) {
            continue;
        }
        if html::has_markup(line) {
            let before = items.len();
            html::fragment_items(line, &mut items);
            for item in &items[before..] {
                if let Item::Table(rows) = item {
                    html_tables.extend(rows.iter().map(|r| row_key(&r.texts())));
                }
            }
            continue;
        }
        if line.contains('\t') && !html_tables.is_empty() {
            // The same table again as plain tab-separated rows: a transcript artefact.
            let cells: Vec<String> = line.split('\t').map(str::to_string).collect();
            if html_tables.contains(&row_key(&cells)) {
                dropped += 1;
                continue;
            }
        }
        push_line(&mut items, line);
    }
    let pages = if paged {
        Some(max_page.max(page.unwrap_or(1).saturating_sub(1)))
    } else {
        (max_page > 0).then_some(max_page)
    };
    (items, dropped, pages)
}

/// A page marker of paged text ("Side 3", or a whole transcript page that
/// ends with "Side 3"): the page break it makes, in `items`. Returns whether
/// the line was one.
fn page_marker(
    line: &str,
    items: &mut Vec<Item>,
    page: &mut Option<u32>,
    max_page: &mut u32,
) -> bool {
    if PAGE_ONLY.is_match(line) {
        let n = marker_of(line).unwrap_or(0);
        *max_page = (*max_page).max(n);
        items.push(Item::Furniture(line.trim().to_string()));
        *page = Some(n + 1);
        items.push(Item::Page(*page));
        return true;
    }
    if line.len() > TRANSCRIPT_PAGE_MIN {
        if let Some(c) = PAGE_AT_END.captures(line) {
            let n: u32 = c["n"].parse().unwrap_or(0);
            *max_page = (*max_page).max(n);
            if *page != Some(n) {
                items.push(Item::Page(Some(n)));
            }
            push_line(items, &c["body"]);
            items.push(Item::Furniture(format!("Side {n}")));
            *page = Some(n + 1);
            items.push(Item::Page(*page));
            return true;
        }
    }
    false
}

/// The page the text's first lines are on, when it marks its pages.
fn first_page(lines: &[&str], paged: bool) -> Option<u32> {
    if paged {
        // Lines before the first marker belong to the page before it.
        let first = lines.iter().find_map(|l| marker_of(l)).unwrap_or(1);
        return Some(first.saturating_sub(1).max(1));
    }
    // A converter that marks where pages start may leave the first unmarked.
    markdown::first_page_unmarked(lines).then_some(1)
}

/// A line, or the pieces of a line whose own line breaks were lost.
fn push_line(items: &mut Vec<Item>, line: &str) {
    match collapsed::split(line) {
        Some(pieces) => items.extend(pieces),
        None => items.push(Item::line(line.to_string())),
    }
}

fn marker_of(line: &str) -> Option<u32> {
    if let Some(c) = PAGE_ONLY.captures(line) {
        return c[1].parse().ok();
    }
    if line.len() > TRANSCRIPT_PAGE_MIN {
        return PAGE_AT_END.captures(line).and_then(|c| c["n"].parse().ok());
    }
    None
}

/// A row's identity for duplicate detection: its non-empty cells.
pub(crate) fn row_key(cells: &[String]) -> String {
    cells
        .iter()
        .map(|c| c.trim())
        .filter(|c| !c.is_empty())
        .collect::<Vec<_>>()
        .join("\u{1}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::BlockKind;

    fn ingest(s: &str) -> Document {
        TextIngester
            .ingest(s.as_bytes(), &IngestOptions::default())
            .unwrap()
    }

    #[test]
    fn drops_like_dokumenter_noise_until_the_transcript() {
        let long = "Innledning ".repeat(30) + "Side 3";
        let long2 = "Visjon ".repeat(40) + "Side 4";
        let text = format!("Mål og strategier\n\nLike dokumenter\nEn annen plan\n\nEnda en tittel\nTranskript:\n{long}\n\n{long2}\n");
        let d = ingest(&text);
        assert_eq!(d.dropped_lines, 4);
        assert!(d.blocks().all(|b| !b.text.contains("annen plan")));
        let pages: Vec<Option<u32>> = d.blocks().map(|b| b.span.page).collect();
        assert_eq!(pages, vec![Some(2), Some(3), Some(4)]);
        assert_eq!(d.page_count, Some(4));
    }

    #[test]
    fn side_n_lines_are_page_breaks_not_text() {
        let d = ingest("Første side\n\nSide 1\n\nAndre side\n\nSide 2 av 2\n");
        assert!(d.blocks().all(|b| !b.text.starts_with("Side")));
        let pages: Vec<Option<u32>> = d.blocks().map(|b| b.span.page).collect();
        assert_eq!(pages, vec![Some(1), Some(2)]);
    }

    #[test]
    fn windows_1252_is_decoded() {
        let d = TextIngester
            .ingest(
                b"Tiltak for \xf8kt bosetting i Tr\xf8ndelag\n",
                &IngestOptions::default(),
            )
            .unwrap();
        assert!(d
            .blocks()
            .next()
            .unwrap()
            .text
            .contains("økt bosetting i Trøndelag"));
    }

    #[test]
    fn html_table_duplicated_as_tab_rows_is_read_once() {
        let text = "Regnskap\t<table><tr><th></th><th>regnskap</th></tr><tr><td>Publisering</td><td>24 247,80</td></tr></table>\n\tregnskap\nPublisering\t24 247,80\n";
        let d = ingest(text);
        assert_eq!(d.tables().count(), 1);
        let first = d.blocks().next().unwrap();
        assert_eq!(first.text, "Regnskap");
        assert!(!matches!(first.kind, BlockKind::Table(_)));
    }

    #[test]
    fn utf16_text_with_its_bom_is_read() {
        let text = "Handlingsplan for Nordfjord\n\nDet er sett av 200 000 kr.\n";
        let mut le = vec![0xFF, 0xFE];
        le.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        let mut be = vec![0xFE, 0xFF];
        be.extend(text.encode_utf16().flat_map(u16::to_be_bytes));
        for bytes in [le, be] {
            assert!(TextIngester.sniff(&bytes));
            assert_eq!(decode(&bytes), text);
        }
    }

    #[test]
    fn markdown_page_comments_headings_and_pipe_tables() {
        let d = ingest("# Plan\n\n- et punkt som\n<!-- page 2 -->\n  går videre.\n\n| A | B |\n|---|---|\n| x | 1 |\n");
        let seen: Vec<(Option<u32>, String)> = d
            .blocks()
            .map(|b| {
                (
                    b.span.page,
                    format!("{:?}", b.kind).chars().take(4).collect::<String>() + ":" + &b.text,
                )
            })
            .collect();
        assert_eq!(
            seen,
            vec![
                (Some(1), "Head:Plan".to_string()),
                (Some(1), "List:et punkt som går videre.".to_string()),
                (Some(2), "Tabl:A\tB\nx\t1".to_string()),
            ]
        );
        assert_eq!(d.page_count, Some(2));
    }
}

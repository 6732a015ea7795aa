//! The `Document`: what ingestion makes of any input format.
//!
//! A document is pages of blocks. Every block knows where it came from (its
//! [`Span`]: page, first and last line of the document's normalised text), so any
//! fact extracted later can be shown in context. Model types carry no serde: the
//! output contract lives in `emit::record`.

mod builder;

pub(crate) use builder::join_lines;
pub(crate) use builder::normalise_space as builder_normalise;

pub use builder::DocumentBuilder;

use std::fmt;

/// Where a block or fact sits: the page in the source (`None` where the format has
/// no pages) and 1-based lines of [`Document::lines`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Span {
    pub page: Option<u32>,
    pub line: u32,
    pub end_line: u32,
}

/// The input formats plansjekk reads, as sniffed from content.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Format {
    Pdf,
    Docx,
    Html,
    Text,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Pdf => "pdf",
            Format::Docx => "docx",
            Format::Html => "html",
            Format::Text => "text",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A table: rows of cells, as laid out in the source. Empty cells are kept as
/// empty strings, because a blank is not a zero.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Table {
    pub rows: Vec<Row>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    pub cells: Vec<String>,
    pub span: Span,
}

impl Table {
    pub fn width(&self) -> usize {
        self.rows.iter().map(|r| r.cells.len()).max().unwrap_or(0)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BlockKind {
    /// A section heading; `number` is its printed numbering ("3.2", "Delmål 4").
    Heading {
        level: u8,
        number: Option<String>,
    },
    Paragraph,
    /// An item of a bulleted or numbered list; `marker` is "•", "-", "3.", "b)".
    ListItem {
        marker: String,
        depth: u8,
    },
    Table(Table),
    /// Running headers and footers, page numbers: on the page, not in the text.
    Furniture,
}

/// One block of a page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Block {
    pub kind: BlockKind,
    /// The block's text, lines joined, whitespace normalised (for tables: rows
    /// joined by newlines, cells by tabs).
    pub text: String,
    /// An emphasised lead-in (bold or underlined start of a paragraph or list
    /// item): documents use it as a title for what follows.
    pub lead: Option<String>,
    pub span: Span,
}

/// One line of a table of contents.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TocEntry {
    pub title: String,
    pub page: Option<u32>,
    pub span: Span,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Page {
    /// Page number in the source; `None` where the format has no pages.
    pub number: Option<u32>,
    pub blocks: Vec<Block>,
}

/// Something ingestion noticed but could work around. Never fatal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub message: String,
    pub page: Option<u32>,
}

/// A read document, whatever its format.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Document {
    pub format: Format,
    /// Pages in the source, where the format has them.
    pub page_count: Option<u32>,
    pub pages: Vec<Page>,
    pub toc: Vec<TocEntry>,
    /// The normalised text: what spans' line numbers refer to.
    pub lines: Vec<String>,
    /// Title recorded in the file's metadata (PDF Info, HTML `<title>`, DOCX core).
    pub metadata_title: Option<String>,
    /// Lines dropped as web-page boilerplate ("Like dokumenter" lists, duplicated
    /// transcripts of tables).
    pub dropped_lines: usize,
    /// Digits in the dropped lines: dropped on purpose, not lost.
    pub dropped_digits: usize,
    /// Digits drawn on the source's pages (PDF only): what the record must hold.
    pub source_digits: Option<usize>,
    pub problems: Vec<Problem>,
}

impl Document {
    /// Every content block in reading order (furniture left out).
    pub fn blocks(&self) -> impl Iterator<Item = &Block> {
        self.pages
            .iter()
            .flat_map(|p| p.blocks.iter())
            .filter(|b| b.kind != BlockKind::Furniture)
    }

    pub fn tables(&self) -> impl Iterator<Item = (&Block, &Table)> {
        self.blocks().filter_map(|b| match &b.kind {
            BlockKind::Table(t) => Some((b, t)),
            _ => None,
        })
    }

    /// The text of lines `span.line..=span.end_line`.
    pub fn text_of(&self, span: Span) -> String {
        let from = span.line.saturating_sub(1) as usize;
        let to = (span.end_line as usize).min(self.lines.len());
        self.lines
            .get(from..to)
            .map(|l| l.join("\n"))
            .unwrap_or_default()
    }

    /// How many of the digits on the source's pages the document holds, in
    /// its lines or in what it dropped on purpose (PDF only).
    pub fn digit_coverage(&self) -> Option<(usize, usize)> {
        let on_pages = self.source_digits?;
        let digits = |s: &str| s.chars().filter(char::is_ascii_digit).count();
        // A list item's number is its marker, kept apart from its text.
        let markers: usize = self
            .pages
            .iter()
            .flat_map(|p| &p.blocks)
            .map(|b| match &b.kind {
                BlockKind::ListItem { marker, .. } => digits(marker),
                _ => 0,
            })
            .sum();
        let held =
            self.lines.iter().map(|l| digits(l)).sum::<usize>() + markers + self.dropped_digits;
        Some((on_pages, held))
    }

    /// True when no content was found at all.
    pub fn is_empty(&self) -> bool {
        self.blocks().all(|b| b.text.trim().is_empty())
    }
}

/// A readable outline of a document: one line per block with its kind, page and
/// lines, for people checking what plansjekk read.
pub fn render_outline(doc: &Document) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    for e in &doc.toc {
        let _ = writeln!(
            out,
            "toc    p{:<3} l{:<5} {} … {}",
            e.span.page.map_or("-".into(), |p| p.to_string()),
            e.span.line,
            e.title,
            e.page.map_or(String::new(), |p| p.to_string())
        );
    }
    for page in &doc.pages {
        for b in &page.blocks {
            let kind = match &b.kind {
                BlockKind::Heading { level, .. } => format!("h{level}"),
                BlockKind::Paragraph => "p".into(),
                BlockKind::ListItem { marker, .. } => format!("li{marker}"),
                BlockKind::Table(_) => "table".into(),
                BlockKind::Furniture => "furn".into(),
            };
            let page = b.span.page.map_or("-".into(), |p| p.to_string());
            let _ = writeln!(
                out,
                "{kind:<6} p{page:<3} l{:<5} {}",
                b.span.line,
                b.text.replace('\n', "\n       ").replace('\t', " | ")
            );
        }
    }
    for p in &doc.problems {
        let _ = writeln!(out, "problem: {}", p.message);
    }
    out
}

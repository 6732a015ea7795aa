//! The `Document`: what ingestion makes of any input format.
//!
//! Floor 0 (see `tests/layers.rs`): uses no other module of the crate.
//!
//! A document is pages of blocks. Every block knows where it came from (its
//! [`Span`]: page, first and last line of the document's normalised text), so any
//! fact extracted later can be shown in context. Model types carry no serde: the
//! output contract lives in `record`.

mod builder;
mod ocr;
mod source_map;

pub(crate) use builder::join_lines;
pub(crate) use builder::normalise_space as builder_normalise;

pub use builder::DocumentBuilder;
pub use ocr::{OcrPage, OcrReading, WordConfidence};
pub use source_map::{extend_runs, runs_of, Run, SourceMap, SourcePos, SourceUnit};

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
    /// Office Open XML spreadsheets (XLSX, XLSM).
    Xlsx,
    /// OpenDocument spreadsheets (ODS).
    Ods,
    /// Excel 97–2003 workbooks (XLS).
    Xls,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Pdf => "pdf",
            Format::Docx => "docx",
            Format::Html => "html",
            Format::Text => "text",
            Format::Xlsx => "xlsx",
            Format::Ods => "ods",
            Format::Xls => "xls",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A table: a grid of cells, as laid out in the source. Every row has one
/// [`Cell`] per grid column; empty cells are kept, because a blank is not a
/// zero. Each row is one line of the normalised text (cells joined by tabs),
/// which is only a rendering: rules point at cells.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Table {
    pub rows: Vec<Row>,
}

/// One row of a table: its cells and its line (and page) in the normalised text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    pub cells: Vec<Cell>,
    pub span: Span,
}

/// One slot of a table's grid. A cell that spans several slots sits in its
/// first (top-left) slot with its spans; the slots it covers are `merged`
/// and empty.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cell {
    pub text: String,
    /// Grid columns and rows the cell covers, counted from this slot.
    pub col_span: u16,
    pub row_span: u16,
    /// The slot is covered by a cell that starts above it or to its left.
    pub merged: bool,
    /// Where a PDF draws the cell.
    pub bbox: Option<BBox>,
    /// Where a spreadsheet holds the cell, and its formula.
    pub sheet: Option<Box<SheetCell>>,
    /// How sure OCR was of the cell's text, where a scanned page was read.
    pub ocr: Option<WordConfidence>,
}

/// A spreadsheet cell's address and formula: a spreadsheet has no pages, and
/// its cells are what a reader looks up ("Budsjett!C14").
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SheetCell {
    /// The sheet's name.
    pub sheet: String,
    /// Row and column on the sheet, from 0 (A1 is 0, 0).
    pub row: u32,
    pub col: u32,
    /// The formula as the file stores it, without its "=" ("SUM(C3:C12)").
    pub formula: Option<String>,
}

impl SheetCell {
    /// The cell's address as spreadsheets write it: "Budsjett!C14", the
    /// sheet's name quoted when it holds more than letters, digits and "_".
    pub fn reference(&self) -> String {
        let plain = self.sheet.chars().all(|c| c.is_alphanumeric() || c == '_');
        let sheet = if plain {
            self.sheet.clone()
        } else {
            format!("'{}'", self.sheet.replace('\'', "''"))
        };
        format!("{sheet}!{}", cell_name(self.row, self.col))
    }
}

/// "C14" for row 13, column 2 (both from 0).
pub fn cell_name(row: u32, col: u32) -> String {
    format!("{}{}", column_name(col), row as u64 + 1)
}

/// "A" for column 0, "Z" for 25, "AA" for 26.
pub fn column_name(col: u32) -> String {
    let mut n = col as u64 + 1;
    let mut out = Vec::new();
    while n > 0 {
        let d = ((n - 1) % 26) as u8;
        out.push(b'A' + d);
        n = (n - 1) / 26;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

/// A rectangle in PDF user space (points, origin bottom left).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BBox {
    pub x0: f32,
    pub y0: f32,
    pub x1: f32,
    pub y1: f32,
}

// Coordinates come from finite page geometry; a NaN never reaches a BBox.
impl Eq for BBox {}

impl Cell {
    /// A plain cell covering one slot.
    pub fn new(text: impl Into<String>) -> Cell {
        Cell {
            text: text.into(),
            col_span: 1,
            row_span: 1,
            merged: false,
            bbox: None,
            sheet: None,
            ocr: None,
        }
    }

    /// A slot covered by a cell above it or to its left.
    pub fn covered() -> Cell {
        Cell {
            merged: true,
            ..Cell::new("")
        }
    }

    /// No text (a covered slot is empty too).
    pub fn is_empty(&self) -> bool {
        self.text.trim().is_empty()
    }
}

impl Row {
    /// The text of the cell in grid column `col` ("" past the row's end).
    pub fn text(&self, col: usize) -> &str {
        self.cells.get(col).map_or("", |c| c.text.as_str())
    }

    /// The texts of the row's cells, one per grid column.
    pub fn texts(&self) -> impl Iterator<Item = &String> {
        self.cells.iter().map(|c| &c.text)
    }

    /// The text of the cell in grid column `col`, if the row reaches it.
    pub fn cell_text(&self, col: usize) -> Option<&str> {
        self.cells.get(col).map(|c| c.text.as_str())
    }

    /// Where the cell in grid column `col` sits in the row's line: the bytes
    /// of its text, trimmed; `None` for an empty cell.
    pub fn cell_range(&self, col: usize) -> Option<std::ops::Range<usize>> {
        let start: usize = self.cells.iter().take(col).map(|c| c.text.len() + 1).sum();
        let c = self.cells.get(col)?;
        let lead = c.text.len() - c.text.trim_start().len();
        let len = c.text.trim().len();
        (len > 0).then(|| start + lead..start + lead + len)
    }
}

/// A table row as a format reads it, before it has a line: its cells and,
/// where the format knows it, its page (a table continued over a page break
/// keeps each row's page).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TableRow {
    pub cells: Vec<Cell>,
    pub page: Option<u32>,
}

impl TableRow {
    /// A row of plain one-slot cells.
    pub fn plain(texts: Vec<String>) -> TableRow {
        TableRow {
            cells: texts.into_iter().map(Cell::new).collect(),
            page: None,
        }
    }

    pub fn texts(&self) -> Vec<String> {
        self.cells.iter().map(|c| c.text.clone()).collect()
    }
}

impl Table {
    /// A table of plain cells, row `i` on line `i + 1`: for tests.
    #[cfg(test)]
    pub(crate) fn of_texts(rows: &[&[&str]]) -> Table {
        Table {
            rows: rows
                .iter()
                .enumerate()
                .map(|(i, r)| Row {
                    cells: r.iter().map(|&c| Cell::new(c)).collect(),
                    span: Span {
                        page: None,
                        line: i as u32 + 1,
                        end_line: i as u32 + 1,
                    },
                })
                .collect(),
        }
    }

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
    /// A resource limit cut the reading short (too many operations, a stream
    /// over the size limit): what was skipped was not read, not missing.
    pub limit: bool,
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
    /// Where each of `lines` is in the source file, for people to open it there.
    pub source_map: SourceMap,
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
    /// Pages read by OCR (a scanned PDF), in page order.
    pub ocr_pages: Vec<OcrPage>,
    /// How sure OCR was of each line of [`Document::lines`] it read, by line
    /// number; lines of born-digital text are absent.
    pub ocr_lines: std::collections::BTreeMap<u32, WordConfidence>,
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

    /// How sure OCR was of the text of `span`: the least sure of its lines
    /// that OCR read; `None` when no line of it was read by OCR.
    pub fn ocr_confidence(&self, span: Span) -> Option<WordConfidence> {
        self.ocr_lines
            .range(span.line..=span.end_line.max(span.line))
            .map(|(_, c)| *c)
            .min()
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

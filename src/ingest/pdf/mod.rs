//! PDF: loaded and repaired by lopdf, read through our own positioned-glyph
//! layer ([`glyphs`]); ruled tables found as grids ([`table`]); the rest laid
//! out into lines ([`lines`]) in reading order ([`columns`]).
//!
//! Page furniture — running headers and footers, "Side 5 av 32", the date and
//! URL line of a browser print — is recognised by position (top or bottom band
//! of the page) and by repetition across pages with digits ignored, and kept out
//! of the content. Headings are lines set larger than the body text. Footnotes
//! are the smaller lines at a page's foot. A table is emitted once it is known
//! not to go on at the top of the next page.

pub mod columns;
mod content;
pub mod fonts;
pub mod glyphs;
mod hocr;
mod images;
pub mod lines;
pub mod ocr;
mod ocrfix;
mod scan;
pub mod table;
mod tagged;
pub mod tags;

use std::collections::HashMap;
use std::sync::LazyLock;

use lopdf::{Document as PdfDoc, LoadOptions, Object};
use regex::Regex;

use super::layout::{segment, segment_layout, Edge, Item, LineHint};
use super::{IngestError, IngestOptions, Ingester};
use crate::model::{Document, DocumentBuilder, Format, TableRow};
use lines::Line;

pub struct PdfIngester;

impl Ingester for PdfIngester {
    fn format(&self) -> Format {
        Format::Pdf
    }

    fn sniff(&self, bytes: &[u8]) -> bool {
        let head = &bytes[..bytes.len().min(1024)];
        head.windows(5).any(|w| w == b"%PDF-")
    }

    fn ingest(&self, bytes: &[u8], options: &IngestOptions) -> Result<Document, IngestError> {
        let pdf = load(bytes, options)?;
        read(&pdf, options)
    }
}

fn corrupt(detail: impl Into<String>) -> IngestError {
    IngestError::Corrupt {
        format: Format::Pdf,
        detail: detail.into(),
    }
}

/// Loads, repairing what lopdf can repair, and decrypts with the empty user
/// password or one of the given passwords. An encrypted file that stays locked
/// is an error, never an empty document.
pub fn load(bytes: &[u8], options: &IngestOptions) -> Result<PdfDoc, IngestError> {
    let opts = |password: Option<String>| LoadOptions {
        password,
        max_decompressed_size: Some(options.max_decompressed),
        ..LoadOptions::default()
    };
    let pdf = PdfDoc::load_mem_with_options(bytes, opts(None))
        .map_err(|e| corrupt(format!("cannot be parsed: {e}")))?;
    let locked =
        |d: &PdfDoc| d.is_encrypted() || (d.trailer.has(b"Encrypt") && page_tree(d).is_empty());
    if !locked(&pdf) {
        return check_pages(pdf);
    }
    for pw in &options.passwords {
        if let Ok(d) = PdfDoc::load_mem_with_options(bytes, opts(Some(pw.clone()))) {
            if !locked(&d) {
                return check_pages(d);
            }
        }
    }
    let how = if options.passwords.is_empty() {
        "it needs a password"
    } else {
        "none of the given passwords opens it"
    };
    Err(IngestError::Encrypted(format!(
        "the PDF is encrypted and {how} (pass one with --password)"
    )))
}

/// Pages no real document reaches; a page tree claiming more is hostile.
const MAX_PAGE_TREE: usize = 100_000;

/// The document's pages in order (1-based numbers), found by walking the page
/// tree. Never sized from the tree's `/Count`, which a hostile file sets to
/// 2³²: only page objects actually present are counted, at most
/// [`MAX_PAGE_TREE`] of them. A page listed twice is two pages, as viewers
/// show it; a node that contains itself is not followed again.
pub fn page_tree(pdf: &PdfDoc) -> std::collections::BTreeMap<u32, lopdf::ObjectId> {
    let mut out = std::collections::BTreeMap::new();
    let root = pdf
        .trailer
        .get(b"Root")
        .ok()
        .and_then(|r| pdf.dereference(r).ok())
        .and_then(|(_, o)| o.as_dict().ok());
    let Some(pages) = root
        .and_then(|r| r.get(b"Pages").ok())
        .and_then(|p| p.as_reference().ok())
    else {
        return out;
    };
    let mut path = Vec::new();
    let mut visits = 0usize;
    walk_pages(pdf, pages, &mut path, &mut visits, &mut out);
    out
}

fn walk_pages(
    pdf: &PdfDoc,
    id: lopdf::ObjectId,
    path: &mut Vec<lopdf::ObjectId>,
    visits: &mut usize,
    out: &mut std::collections::BTreeMap<u32, lopdf::ObjectId>,
) {
    // Nodes visited, repeats included: a tree whose nodes repeat each other's
    // kids grows exponentially.
    *visits += 1;
    if out.len() >= MAX_PAGE_TREE || *visits > 4 * MAX_PAGE_TREE || path.len() > 64 {
        return;
    }
    if path.contains(&id) {
        return;
    }
    let Ok(node) = pdf.get_dictionary(id) else {
        return;
    };
    let kids = node.get(b"Kids").ok().and_then(|k| match k {
        lopdf::Object::Array(a) => Some(a),
        lopdf::Object::Reference(r) => pdf.get_object(*r).ok()?.as_array().ok(),
        _ => None,
    });
    let is_page = node.get(b"Type").and_then(lopdf::Object::as_name).ok() == Some(b"Page");
    match kids {
        Some(kids) if !is_page => {
            path.push(id);
            for k in kids {
                if let Ok(r) = k.as_reference() {
                    walk_pages(pdf, r, path, visits, out);
                }
            }
            path.pop();
        }
        _ => {
            out.insert(out.len() as u32 + 1, id);
        }
    }
}

fn check_pages(pdf: PdfDoc) -> Result<PdfDoc, IngestError> {
    if page_tree(&pdf).is_empty() {
        return Err(corrupt(
            "no pages could be found (page tree missing or broken)",
        ));
    }
    Ok(pdf)
}

/// The lowest and highest y of a page as it is shown (turned by `/Rotate`,
/// as its glyphs are placed).
pub(super) fn page_height(pdf: &PdfDoc, page_id: lopdf::ObjectId) -> (f32, f32) {
    glyphs::PageView::of(pdf, page_id).vertical_extent()
}

fn info_title(pdf: &PdfDoc) -> Option<String> {
    let info = pdf
        .trailer
        .get(b"Info")
        .ok()
        .and_then(|o| pdf.dereference(o).ok())
        .and_then(|(_, o)| o.as_dict().ok())?;
    match info
        .get(b"Title")
        .ok()
        .and_then(|o| pdf.dereference(o).ok())
        .map(|(_, o)| o)?
    {
        Object::String(bytes, _) => Some(
            lopdf::decode_text_string(&Object::String(bytes.clone(), lopdf::StringFormat::Literal))
                .ok()?,
        ),
        _ => None,
    }
}

pub(super) struct PageLines {
    number: u32,
    /// Running text: the lines outside ruled tables.
    lines: Vec<Line>,
    /// Ruled tables, top down.
    tables: Vec<table::PdfTable>,
    bottom: f32,
    top: f32,
}

/// The table that ended the content so far, which the next page may continue.
/// It is rendered into the items only once complete, at the place it began.
struct OpenTable {
    at: usize,
    table: table::PdfTable,
}

impl OpenTable {
    /// Puts the finished table's items where it began; returns the header
    /// rows it left out where pages repeated them.
    fn render(self, items: &mut Vec<Item>, words: &table::Vocabulary) -> Vec<String> {
        let rendered = render_table(&self.table, words);
        items.splice(self.at..self.at, rendered);
        self.table.repeated_headers
    }
}

/// "Tabell 4 (forts.)": a caption that says the table goes on.
static CONTINUATION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\((?:forts\.?|fortsatt|fortset|fortsett|framhald|cont(?:inued|\.)?)\)\s*$")
        .unwrap()
});

pub(super) static GLUED_EMPHASIS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(.*[^\s*])(\*{1,2}\p{Lu}[^*]*\*{1,2})$").unwrap());

/// A footnote's number or mark at the start of its line ("24", "24 NOU 2023",
/// "* Tall fra 2024").
static NOTE_MARKER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:[0-9]{1,3}|[*†‡]+|[¹²³⁴⁵⁶⁷⁸⁹⁰]+)(?:\s|\)|$)").unwrap());

/// Where a page's footnotes begin: its last content lines, set smaller than
/// the body text, the first of them opening with a note's number or mark.
fn footnotes_from(lines: &[Line], furniture: impl Fn(&Line) -> bool, body: f32) -> Option<usize> {
    let mut start = None;
    for (i, l) in lines.iter().enumerate().rev() {
        if furniture(l) || l.y == f32::MIN {
            continue;
        }
        if l.size < 0.95 * body {
            start = Some(i);
        } else {
            break;
        }
    }
    let s = start?;
    let first = lines[s..].iter().find(|l| !furniture(l))?;
    NOTE_MARKER.is_match(first.text.trim()).then_some(s)
}

/// One footnote's lines, its number (set apart as a superscript) joined to its text.
fn join_note(lines: Vec<String>) -> Vec<String> {
    match lines.as_slice() {
        [marker, text, rest @ ..]
            if marker
                .trim()
                .chars()
                .all(|c| c.is_ascii_digit() || "*†‡".contains(c)) =>
        {
            let mut out = vec![format!("{} {}", marker.trim(), text)];
            out.extend(rest.iter().cloned());
            out
        }
        _ => lines,
    }
}

/// The rows of a borderless table being collected, and a line below the last
/// of them that may carry on one of its cells (known when the next line comes).
#[derive(Default)]
struct TabRun<'a> {
    rows: Vec<&'a Line>,
    pending: Option<&'a Line>,
}

/// A line of a table of contents: a title, then its page number (a year
/// heads a column instead). A figure before the last one makes it a row of
/// figures ("Sør | 1204 | 998"): a contents entry has one number after its
/// title.
fn contents_entry(text: &str) -> bool {
    let figure = |t: &str| {
        let t = t.trim();
        !t.is_empty() && t.chars().all(|c| c.is_ascii_digit() || " .,".contains(c))
    };
    let parts: Vec<&str> = text.split('\t').collect();
    let figures_before = parts.len() >= 3 && figure(parts[parts.len() - 2]);
    !figures_before
        && super::layout::toc_entry(text).is_some_and(|(_, page)| !(1900..=2100).contains(&page))
}

/// Where a line starts: at its drawn bullet if it has one, else at its
/// first glyph; and where its text starts after a marker.
fn edge_of(l: &Line) -> Edge {
    match l.bullet_x {
        Some(bullet) => Edge::of(bullet, l.x0),
        None => Edge::of(l.x0, l.text_x),
    }
}

/// Whether a page's running text ends inside a list item: its last line
/// opens an item, or it and the lines above it at its edge hang at the text
/// edge of the item line above them.
fn ends_in_item(lines: &[&Line]) -> bool {
    let Some(last) = lines.last() else {
        return false;
    };
    for l in lines.iter().rev() {
        if super::layout::opens_item(&l.text) {
            return std::ptr::eq(*l, *last) || (edge_of(l).text - edge_of(last).left).abs() <= 15;
        }
        if (l.x0 - last.x0).abs() > 1.5 {
            return false;
        }
    }
    false
}

/// Emits the lines of a borderless table collected so far: as one table in
/// common columns when they line up, else as the lines they are; then the
/// line that turned out not to carry on a cell.
fn flush_tab_run(items: &mut Vec<Item>, run: &mut TabRun) {
    let as_line = |l: &Line| Item::Line {
        text: l.text.clone(),
        hint: LineHint {
            heading_level: None,
            emphasised: l.bold,
            edge: Some(edge_of(l)),
        },
    };
    // (Their gaps kept as spaces: a chart's legend, labels scattered over a figure.)
    let as_plain_line = |l: &Line| Item::Line {
        text: l.text.replace('\t', "  "),
        hint: LineHint {
            heading_level: None,
            emphasised: l.bold,
            edge: Some(edge_of(l)),
        },
    };
    let lines = std::mem::take(&mut run.rows);
    if !lines.is_empty() {
        let aligned = (lines.len() >= 2)
            .then(|| lines::align_cells(&lines))
            .flatten();
        items.push(Item::Blank);
        match aligned {
            // A chart's value axis and labels are lines of text; so are lines
            // that align into a single row (a wrapped line with wide gaps).
            Some(rows) if rows.len() < 2 || lines::reads_as_chart(&rows) => {
                items.extend(lines.iter().map(|l| as_plain_line(l)))
            }
            // Prose set in columns is read column by column, as text.
            Some(rows) if lines::reads_as_prose(&rows) => {
                let width = rows.iter().map(Vec::len).max().unwrap_or(0);
                for c in 0..width {
                    for r in &rows {
                        if let Some(t) = r.get(c).filter(|t| !t.trim().is_empty()) {
                            items.push(Item::line(t));
                        }
                    }
                    items.push(Item::Blank);
                }
            }
            Some(rows) => items.push(Item::Table(rows.into_iter().map(TableRow::plain).collect())),
            // A lone line with a wide gap (a running head, a caption beside
            // its number), or lines that do not line up, are lines, not
            // one-row tables.
            None => items.extend(lines.iter().map(|l| as_plain_line(l))),
        }
        items.push(Item::Blank);
    }
    items.extend(run.pending.take().map(as_line));
}

/// A PDF printed from a web transcript that lost its line breaks sets each
/// collapsed page as one long paragraph; its structure comes back from the
/// numbering, as for the transcript itself (see `collapsed`).
fn recover_collapsed(items: Vec<Item>) -> Vec<Item> {
    fn flush(run: &mut Vec<Item>, out: &mut Vec<Item>) {
        if run.len() >= 2 {
            let texts: Vec<String> = run
                .iter()
                .filter_map(|i| match i {
                    Item::Line { text, .. } => Some(text.clone()),
                    _ => None,
                })
                .collect();
            let joined = crate::model::join_lines(&texts);
            // The transcript's own page marker ends the page's line: "… Side 11".
            let (body, marker) = match super::text::PAGE_AT_END.captures(&joined) {
                Some(c) => (c["body"].to_string(), Some(format!("Side {}", &c["n"]))),
                None => (joined.clone(), None),
            };
            if let Some(pieces) = super::collapsed::split(&body) {
                out.extend(pieces);
                out.extend(marker.map(Item::Furniture));
                run.clear();
                return;
            }
        }
        out.append(run);
    }
    let mut out = Vec::with_capacity(items.len());
    let mut run: Vec<Item> = Vec::new();
    for item in items {
        match &item {
            Item::Line { hint, .. } if hint.heading_level.is_none() => run.push(item),
            _ => {
                flush(&mut run, &mut out);
                out.push(item);
            }
        }
    }
    flush(&mut run, &mut out);
    out
}

/// A table's items. A table used to lay out a form is read differently: rows
/// whose cells hold running text (a question and a long answer with paragraphs
/// and lists) are read as text, cell by cell, so their lists and headings are
/// found as anywhere else; the rows between them that hold data stay a table.
fn render_table(t: &table::PdfTable, words: &table::Vocabulary) -> Vec<Item> {
    let mut items = Vec::new();
    let mut run: Vec<TableRow> = Vec::new();
    let flush = |run: &mut Vec<TableRow>, items: &mut Vec<Item>| {
        if !run.is_empty() {
            items.push(Item::Blank);
            items.push(Item::Table(std::mem::take(run)));
        }
    };
    // A ruled box of one row that no page continues (a chart's legend, a
    // diagram's labelled boxes) is a line with wide gaps, not a table, as a
    // lone line with wide gaps is outside rules.
    if t.rows == 1 && !t.row_is_prose(0) {
        let texts = t.grid(words).remove(0);
        let text = texts
            .iter()
            .map(|c| c.trim())
            .filter(|c| !c.is_empty())
            .collect::<Vec<_>>()
            .join("  ");
        return vec![Item::Blank, Item::line(&text), Item::Blank];
    }
    for (r, row) in t.table_rows(words).into_iter().enumerate() {
        if !t.row_is_prose(r) {
            run.push(row);
            continue;
        }
        flush(&mut run, &mut items);
        let mut cells: Vec<&table::PdfCell> = t.cells.iter().filter(|c| c.row == r).collect();
        cells.sort_by_key(|c| c.col);
        for c in cells {
            items.push(Item::Blank);
            let mut prev: Option<&Line> = None;
            for l in &c.lines {
                let gap = prev.map_or(0.0, |p| p.y - l.y);
                // A negative gap is the next page of a row the page break cut.
                if gap > 1.5 * l.size {
                    items.push(Item::Blank);
                }
                items.push(Item::Line {
                    text: l.text.clone(),
                    hint: LineHint {
                        heading_level: None,
                        emphasised: l.bold,
                        ..LineHint::default()
                    },
                });
                prev = Some(l);
            }
        }
    }
    flush(&mut run, &mut items);
    items
}

pub(super) static PAGE_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:(?:side|page|s\.)\s*)?[0-9]{1,4}(?:\s*(?:av|of|/)\s*[0-9]{1,4})?$|^[-–]\s*[0-9]{1,4}\s*[-–]$").unwrap()
});

fn furniture_key(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_ascii_digit() { '#' } else { c })
        .filter(|c| !c.is_whitespace())
        .collect()
}

/// Reads one page: its glyphs, ruled tables and the lines outside them.
/// Returns the page and the digits drawn on it.
fn read_page(
    pdf: &PdfDoc,
    number: u32,
    id: lopdf::ObjectId,
    content: glyphs::PageContent,
    b: &mut DocumentBuilder,
) -> (PageLines, usize) {
    let digits = content
        .glyphs
        .iter()
        .map(|g| g.text.chars().filter(char::is_ascii_digit).count())
        .sum::<usize>();
    let (bottom, top) = page_height(pdf, id);
    let (mut tables, rest) = table::find(&content.glyphs, &content.rules);
    for t in &mut tables {
        t.row_pages = vec![Some(number); t.rows];
    }
    if tables.iter().any(|t| t.overflow) {
        b.problem(format!(
            "page {number}: a table is wider than its frame; text past its right edge was read into the cells it continues, and anything cut off by the page is lost"
        ));
    }
    let mut lines = lines::page_lines_of(&rest, &content.rules);
    lines::mark_bullets(&mut lines, &content.marks);
    let page = PageLines {
        number,
        lines,
        tables,
        bottom,
        top,
    };
    (page, digits)
}

/// The document's type sizes: the body size (the size most characters are set
/// in) and up to four larger sizes, which make headings.
struct Typography {
    body: f32,
    heading_sizes: Vec<i32>,
}

impl Typography {
    fn of(pages: &[PageLines]) -> Typography {
        let mut sizes: HashMap<i32, usize> = HashMap::new();
        for l in pages.iter().flat_map(|p| &p.lines) {
            *sizes.entry((l.size * 2.0).round() as i32).or_default() += l.text.chars().count();
        }
        let body = sizes
            .iter()
            .max_by_key(|(s, n)| (**n, -**s))
            .map_or(10.0, |(s, _)| *s as f32 / 2.0);
        let mut heading_sizes: Vec<i32> = sizes
            .keys()
            .copied()
            .filter(|s| *s as f32 / 2.0 >= body * 1.15)
            .collect();
        heading_sizes.sort_unstable_by(|a, b| b.cmp(a));
        heading_sizes.truncate(4);
        Typography {
            body,
            heading_sizes,
        }
    }

    /// The heading level of a line set in a heading size (1 for the largest).
    fn level(&self, l: &Line) -> Option<u8> {
        self.heading_sizes
            .iter()
            .position(|s| (l.size * 2.0).round() as i32 == *s)
            .map(|i| i as u8 + 1)
            .filter(|_| l.text.chars().count() <= 150 && !l.text.contains('\t'))
    }
}

/// Running headers and footers: lines in a page's top or bottom band that
/// repeat on many pages (digits ignored), and page numbers there.
struct Furniture {
    repeats: HashMap<String, usize>,
    min_repeats: usize,
}

impl Furniture {
    fn band(p: &PageLines, l: &Line) -> bool {
        let h = (p.top - p.bottom).max(1.0);
        l.y > p.top - 0.09 * h || l.y < p.bottom + 0.09 * h
    }

    fn of(pages: &[PageLines]) -> Furniture {
        let mut repeats: HashMap<String, usize> = HashMap::new();
        for p in pages {
            let mut seen: Vec<String> = p
                .lines
                .iter()
                .filter(|l| Self::band(p, l))
                .map(|l| furniture_key(&l.text))
                .collect();
            seen.sort();
            seen.dedup();
            for k in seen {
                *repeats.entry(k).or_default() += 1;
            }
        }
        let f = Furniture {
            repeats,
            min_repeats: (pages.len() * 2 / 5).max(2),
        };
        // Text that repeats on every page and is all there is, is the content
        // (a one-line document printed on several pages), not a running header.
        let all = pages.iter().all(|p| p.lines.iter().all(|l| f.holds(p, l)));
        if all {
            return Furniture {
                repeats: HashMap::new(),
                min_repeats: usize::MAX,
            };
        }
        f
    }

    fn holds(&self, p: &PageLines, l: &Line) -> bool {
        Self::band(p, l)
            && (PAGE_NUMBER.is_match(l.text.trim())
                || self
                    .repeats
                    .get(&furniture_key(&l.text))
                    .is_some_and(|n| *n >= self.min_repeats))
    }
}

/// Each page's drawn content in order, within the document's time limit and
/// drawing budget (a page past the budget, and the rest, are not read: the
/// builder says so), its problems reported; `each` gets the page's number,
/// object and content.
fn each_page(
    pdf: &PdfDoc,
    pages: &std::collections::BTreeMap<u32, lopdf::ObjectId>,
    options: &IngestOptions,
    b: &mut DocumentBuilder,
    mut each: impl FnMut(u32, lopdf::ObjectId, glyphs::PageContent, &mut DocumentBuilder),
) -> Result<(), IngestError> {
    let mut budget = glyphs::Budget::default();
    let mut fonts = glyphs::FontCache::default();
    for (&number, &id) in pages.iter().take(options.max_pages as usize) {
        if options.late() {
            return Err(IngestError::Timeout);
        }
        if budget.exhausted() {
            b.limit(format!(
                "the document draws more than plansjekk reads (operations or glyphs); pages from {number} on were not read"
            ));
            break;
        }
        let content =
            glyphs::page_content(pdf, id, options.max_decompressed, &mut budget, &mut fonts);
        for p in &content.problems {
            if content.limited {
                b.limit(format!("page {number}: {p}"));
            } else {
                b.problem(format!("page {number}: {p}"));
            }
        }
        each(number, id, content, b);
    }
    Ok(())
}

fn read(pdf: &PdfDoc, options: &IngestOptions) -> Result<Document, IngestError> {
    let pages = page_tree(pdf);
    let mut b = DocumentBuilder::new(Format::Pdf);
    b.set_page_count(pages.len() as u32);
    b.set_metadata_title(info_title(pdf));
    if pages.len() as u64 > u64::from(options.max_pages) {
        b.problem(format!(
            "only the first {} of {} pages were read",
            options.max_pages,
            pages.len()
        ));
    }
    // The author's structure first; layout only where there is none.
    if let Some(tree) = tags::read(pdf, &pages) {
        if let Some((items, digits)) = tagged::read(pdf, &pages, &tree, options, &mut b)? {
            b.set_source_digits(digits);
            segment(items, &mut b);
            return Ok(b.finish());
        }
    }
    let mut read_pages = Vec::new();
    let mut digits = 0;
    let mut scanner = scan::Scanner::default();
    each_page(
        pdf,
        &pages,
        options,
        &mut b,
        |number, id, mut content, b| {
            let at = (number, pages.len() as u32, id);
            let scanned = scan_page(&mut scanner, pdf, at, &mut content, options, b);
            let (page, page_digits) = read_page(pdf, number, id, content, b);
            if let Some(s) = scanned {
                b.ocr_page(s.reading(&page));
            }
            read_pages.push(page);
            digits += page_digits;
        },
    )?;
    let unread = unread_scans(&scanner, &mut b);
    let mut words = table::Vocabulary::default();
    for l in read_pages.iter().flat_map(|p| &p.lines) {
        words.add(&l.text);
    }
    let mut flow = Flow {
        items: Vec::new(),
        open: None,
        repeated: Vec::new(),
        words: &words,
        typography: Typography::of(&read_pages),
        furniture: Furniture::of(&read_pages),
    };
    for p in &read_pages {
        flow.page(p);
    }
    flow.close_table();
    b.set_source_digits(digits);
    b.dropped(flow.repeated.iter().map(String::as_str));
    segment_layout(recover_collapsed(flow.items), &mut b);
    let doc = b.finish();
    if options.late() {
        // Tesseract was stopped by the document's time limit.
        return Err(IngestError::Timeout);
    }
    if doc.is_empty() && (unread || scanner.read > 0) {
        return Err(IngestError::NoText(match &scanner.unavailable {
            Some(e) => format!("the PDF's pages are scanned images without text, and {e}"),
            None => format!(
                "OCR found no text on the PDF's {} scanned page(s){}",
                scanner.read,
                scanner
                    .first_problem
                    .as_ref()
                    .map(|p| format!(" ({p})"))
                    .unwrap_or_default()
            ),
        }));
    }
    Ok(doc)
}

/// Reads a page by OCR if it is a scan (see [`scan`]), its problems said
/// with its number.
fn scan_page(
    scanner: &mut scan::Scanner,
    pdf: &PdfDoc,
    (number, pages, id): (u32, u32, lopdf::ObjectId),
    content: &mut glyphs::PageContent,
    options: &IngestOptions,
    b: &mut DocumentBuilder,
) -> Option<scan::Scanned> {
    if !scan::needs_ocr(content) {
        return None;
    }
    if scanner.unavailable.is_none() {
        options.on_ocr_page.tell(number, pages);
    }
    let mut problems = Vec::new();
    let scanned = scanner.read(pdf, (number, id), content, options, &mut problems);
    for p in problems {
        let p = format!("page {number}: {p}");
        scanner.first_problem.get_or_insert_with(|| p.clone());
        b.problem(p);
    }
    scanned
}

/// Says which scanned pages were not read for want of Tesseract; true when
/// some were.
fn unread_scans(scanner: &scan::Scanner, b: &mut DocumentBuilder) -> bool {
    let (Some(e), false) = (&scanner.unavailable, scanner.unread.is_empty()) else {
        return false;
    };
    let list: Vec<String> = scanner.unread.iter().map(u32::to_string).collect();
    b.problem(format!(
        "page(s) {} are scanned images and were not read: {e}",
        list.join(", ")
    ));
    true
}

/// The items of an untagged PDF as its pages are laid out: lines, tables
/// (one kept open while the next page may continue it), furniture and notes.
struct Flow<'w> {
    items: Vec<Item>,
    open: Option<OpenTable>,
    /// Header rows a continued table repeated, dropped from the text.
    repeated: Vec<String>,
    words: &'w table::Vocabulary,
    typography: Typography,
    furniture: Furniture,
}

impl Flow<'_> {
    /// A ruled table: joined to the open one it continues, else the open one
    /// is written and this one kept open.
    fn push_table(&mut self, t: &table::PdfTable) {
        if let Some(o) = self.open.as_mut().filter(|o| o.table.continued_by(t)) {
            o.table.join(t.clone(), self.words);
            return;
        }
        self.close_table();
        self.open = Some(OpenTable {
            at: self.items.len(),
            table: t.clone(),
        });
    }

    /// Writes the open table, if any.
    fn close_table(&mut self) {
        if let Some(o) = self.open.take() {
            self.repeated.extend(o.render(&mut self.items, self.words));
        }
    }

    /// One page: its lines in reading order, tables where they stand,
    /// furniture, the rows of borderless tables, footnotes after the text.
    fn page(&mut self, p: &PageLines) {
        self.items.push(Item::Page(Some(p.number)));
        let mut prev: Option<&Line> = None;
        let mut tables = p.tables.iter().peekable();
        let mut tab_run = TabRun::default();
        let body = self.typography.body;
        let notes_from = footnotes_from(&p.lines, |l| self.furniture.holds(p, l), body);
        let mut notes: Vec<Vec<String>> = Vec::new();
        let mut text_lines: Vec<&Line> = Vec::new();
        for (index, l) in p.lines.iter().enumerate() {
            while let Some(t) = tables.next_if(|t| t.top() > l.y + l.size) {
                flush_tab_run(&mut self.items, &mut tab_run);
                self.push_table(t);
                prev = None;
            }
            if self.furniture.holds(p, l) {
                flush_tab_run(&mut self.items, &mut tab_run);
                self.items.push(Item::Furniture(l.text.clone()));
                continue;
            }
            if notes_from.is_some_and(|n| index >= n) {
                if NOTE_MARKER.is_match(l.text.trim()) || notes.is_empty() {
                    notes.push(Vec::new());
                }
                if let Some(note) = notes.last_mut() {
                    note.push(l.text.clone());
                }
                continue;
            }
            if !CONTINUATION.is_match(l.text.trim()) {
                self.close_table();
            }
            let level = self.typography.level(l);
            // Rows of a borderless table: collected, then put into common columns.
            if l.text.contains('\t') && !contents_entry(&l.text) {
                let above = tab_run.pending.or(tab_run.rows.last().copied());
                if above.is_some_and(|t| t.y - l.y > 2.5 * l.size) {
                    flush_tab_run(&mut self.items, &mut tab_run);
                }
                // A line between two rows carries on a cell of the row above.
                tab_run.rows.extend(tab_run.pending.take());
                tab_run.rows.push(l);
                prev = Some(l);
                continue;
            }
            // (A group label between rows, "Women" over its rows, may stand
            // a little apart.)
            let close = tab_run
                .rows
                .last()
                .is_some_and(|t| t.y - l.y <= 2.5 * l.size);
            if close && tab_run.pending.is_none() && level.is_none() {
                tab_run.pending = Some(l);
                prev = Some(l);
                continue;
            }
            flush_tab_run(&mut self.items, &mut tab_run);
            if self.text_line(l, level, prev) {
                text_lines.push(l);
            }
            prev = Some(l);
        }
        flush_tab_run(&mut self.items, &mut tab_run);
        for t in tables {
            self.push_table(t);
        }
        self.items
            .extend(notes.into_iter().map(join_note).map(Item::Aside));
        // A page's end is a paragraph break, unless the page cuts a list
        // item: then, if its sentence is unfinished, the segmenter carries it
        // on at the top of the next page, past the notes and page number.
        if !ends_in_item(&text_lines) {
            self.items.push(Item::Blank);
        }
    }

    /// A line of running text at heading `level` (if any), after `prev`:
    /// joined to a heading it continues, set apart by a blank where the gap
    /// or the type size changes. Returns whether it is a line of its own (a
    /// heading's continuation and an emphasised run split off are not).
    fn text_line(&mut self, l: &Line, level: Option<u8>, prev: Option<&Line>) -> bool {
        let items = &mut self.items;
        // A heading too long for one line goes on in lower case on the next,
        // set in the same size right below it.
        if let Some(pv) = prev.filter(|pv| {
            level.is_some() || (l.bold && pv.bold && super::layout::heading_of(&pv.text).is_some())
        }) {
            let wrapped = (pv.size - l.size).abs() < 0.1
                && pv.y - l.y <= 1.6 * l.size
                && l.text.starts_with(char::is_lowercase)
                && !pv.text.ends_with(['.', ':', '?', '!']);
            let last = items.iter_mut().rev().find(|i| !matches!(i, Item::Blank));
            if let (true, Some(Item::Line { text, hint })) = (wrapped, last) {
                if hint.heading_level == level && hint.emphasised == l.bold {
                    text.push(' ');
                    text.push_str(&l.text);
                    return false;
                }
            }
        }
        if let Some(pv) = prev {
            let gap = pv.y - l.y;
            let em = pv.size.max(l.size);
            let size_change = (pv.size - l.size).abs() > 0.1 * em;
            if gap > 1.5 * em || gap < 0.0 || size_change || level.is_some() {
                items.push(Item::Blank);
            }
        }
        let line = |text: String| Item::Line {
            text,
            hint: LineHint {
                heading_level: level,
                emphasised: l.bold,
                edge: Some(edge_of(l)),
            },
        };
        // Text printed from Markdown keeps its stars: an emphasised run glued
        // to the end of a heading ("arbeid*Beskriv kort …*") is its own line.
        if let Some(c) = GLUED_EMPHASIS.captures(&l.text) {
            items.push(line(c[1].to_string()));
            items.push(Item::Blank);
            items.push(Item::line(&c[2]));
            return false;
        }
        items.push(line(l.text.clone()));
        if level.is_some() {
            items.push(Item::Blank);
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(text: &str, y: f32, cells: &[(f32, f32)]) -> Line {
        Line {
            text: text.into(),
            x0: cells[0].0,
            x1: cells[cells.len() - 1].1,
            y,
            size: 10.0,
            bold: false,
            trailing_space: false,
            cells: cells.to_vec(),
            text_x: cells[0].0,
            bullet_x: None,
            ocr: Vec::new(),
        }
    }

    fn flushed(lines: &[Line]) -> Vec<Item> {
        let mut items = Vec::new();
        let mut run = TabRun {
            rows: lines.iter().collect(),
            pending: None,
        };
        flush_tab_run(&mut items, &mut run);
        items
    }

    #[test]
    fn lines_that_do_not_line_up_are_lines_not_one_row_tables() {
        let texts = |items: &[Item]| -> Vec<String> {
            items
                .iter()
                .filter_map(|i| match i {
                    Item::Line { text, .. } => Some(text.clone()),
                    _ => None,
                })
                .collect()
        };
        // A legend between a chart's ticks: one gapped line among plain ones.
        let legend = [
            line("1200", 700.0, &[(10.0, 30.0)]),
            line("Greece\tSpain", 690.0, &[(100.0, 130.0), (140.0, 170.0)]),
            line("1000", 680.0, &[(10.0, 30.0)]),
        ];
        let items = flushed(&legend);
        assert!(!items.iter().any(|i| matches!(i, Item::Table(_))));
        assert_eq!(texts(&items)[1], "Greece  Spain");
        // Lines that line up are one table.
        let rows = [
            line(
                "A\t1\t2",
                700.0,
                &[(10.0, 20.0), (100.0, 110.0), (200.0, 210.0)],
            ),
            line(
                "B\t3\t4",
                690.0,
                &[(10.0, 20.0), (100.0, 110.0), (200.0, 210.0)],
            ),
        ];
        let items = flushed(&rows);
        assert!(
            items
                .iter()
                .any(|i| matches!(i, Item::Table(t) if t.len() == 2)),
            "{items:?}"
        );
    }

    #[test]
    fn a_row_of_figures_is_not_a_contents_entry() {
        assert!(contents_entry("1. Introduksjon\t4"));
        assert!(contents_entry("1.2\tRammer for handlingsplanen\t12"));
        assert!(!contents_entry("Sør\t1204\t998"));
        assert!(!contents_entry("Budsjett\t2025"));
    }
}

//! Builds a [`Document`] block by block, numbering its normalised text as it goes,
//! so that every format gets spans by the same rules.

use std::collections::HashMap;

use super::ocr::OcrReading;
use super::{
    Block, BlockKind, Document, Format, Page, Problem, Row, SourceMap, Span, Table, TableRow,
    TocEntry,
};

pub struct DocumentBuilder {
    doc: Document,
    /// What OCR read, by page: marks the lines and cells made from it.
    ocr: HashMap<u32, OcrReading>,
}

impl DocumentBuilder {
    pub fn new(format: Format) -> Self {
        DocumentBuilder {
            doc: Document {
                format,
                page_count: None,
                pages: Vec::new(),
                toc: Vec::new(),
                lines: Vec::new(),
                source_map: Default::default(),
                metadata_title: None,
                dropped_lines: 0,
                dropped_digits: 0,
                source_digits: None,
                problems: Vec::new(),
                ocr_pages: Vec::new(),
                ocr_lines: Default::default(),
            },
            ocr: HashMap::new(),
        }
    }

    /// Says that a page was read by OCR, and how sure it was of each piece
    /// of text laid out from it; call before the page's lines are pushed.
    pub fn ocr_page(&mut self, reading: OcrReading) {
        let Some(page) = reading.page().cloned() else {
            return;
        };
        let at = self
            .doc
            .ocr_pages
            .partition_point(|p| p.number < page.number);
        self.doc.ocr_pages.insert(at, page.clone());
        self.ocr.insert(page.number, reading);
    }

    /// Marks line `n` with OCR's confidence, if it was read by OCR on `page`.
    fn mark_ocr(&mut self, n: u32, page: Option<u32>, text: &str) {
        if let Some(c) = page
            .and_then(|p| self.ocr.get(&p))
            .and_then(|r| r.confidence_of(text))
        {
            self.doc.ocr_lines.insert(n, c);
        }
    }

    /// Starts a new page; blocks pushed afterwards belong to it.
    pub fn start_page(&mut self, number: Option<u32>) {
        if let Some(last) = self.doc.pages.last() {
            if last.number == number && last.blocks.is_empty() {
                return;
            }
        }
        self.doc.pages.push(Page {
            number,
            blocks: Vec::new(),
        });
    }

    fn current_page(&mut self) -> &mut Page {
        if self.doc.pages.is_empty() {
            self.doc.pages.push(Page::default());
        }
        self.doc.pages.last_mut().expect("a page exists")
    }

    fn page_number(&mut self) -> Option<u32> {
        self.current_page().number
    }

    fn add_lines<'a>(&mut self, lines: impl IntoIterator<Item = &'a str>) -> Span {
        let page = self.page_number();
        let first = self.doc.lines.len() as u32 + 1;
        for l in lines {
            self.doc.lines.push(l.to_string());
            if !self.ocr.is_empty() {
                self.mark_ocr(self.doc.lines.len() as u32, page, l);
            }
        }
        let last = (self.doc.lines.len() as u32).max(first);
        if self.doc.lines.len() < first as usize {
            // An empty block still occupies one (empty) line, so spans never point nowhere.
            self.doc.lines.push(String::new());
        }
        Span {
            page,
            line: first,
            end_line: last,
        }
    }

    /// Pushes a text block made of the given source lines.
    pub fn push(&mut self, kind: BlockKind, lines: &[String], lead: Option<String>) {
        let text = join_lines(lines);
        if text.is_empty() && !matches!(kind, BlockKind::Furniture) {
            return;
        }
        let span = self.add_lines(lines.iter().map(String::as_str));
        self.current_page().blocks.push(Block {
            kind,
            text,
            lead,
            span,
        });
    }

    /// Pushes a table; each row becomes one line of the normalised text, cells
    /// separated by tabs. Trailing empty cells are kept (a blank is data). A
    /// row that names its page keeps it.
    pub fn push_table(&mut self, rows: Vec<TableRow>) {
        let rows: Vec<TableRow> = rows
            .into_iter()
            .filter(|r| r.cells.iter().any(|c| !c.is_empty()))
            .collect();
        if rows.is_empty() {
            return;
        }
        let mut out_rows = Vec::with_capacity(rows.len());
        let first = self.doc.lines.len() as u32 + 1;
        let current = self.page_number();
        for row in rows {
            let ocr = row.page.or(current).and_then(|p| self.ocr.get(&p));
            let cells: Vec<super::Cell> = row
                .cells
                .into_iter()
                .map(|mut c| {
                    c.text = normalise_space(&c.text);
                    if !c.is_empty() {
                        c.ocr = c.ocr.or_else(|| ocr.and_then(|r| r.confidence_of(&c.text)));
                    }
                    c
                })
                .collect();
            let line = cells
                .iter()
                .map(|c| c.text.as_str())
                .collect::<Vec<_>>()
                .join("\t");
            let mut span = self.add_lines([line.as_str()]);
            span.page = row.page.or(current);
            if span.page != current {
                // Marked by its own page, not the page the table started on.
                self.doc.ocr_lines.remove(&span.line);
                self.mark_ocr(span.line, span.page, &line);
            }
            out_rows.push(Row { cells, span });
        }
        let span = Span {
            page: out_rows[0].span.page,
            line: first,
            end_line: self.doc.lines.len() as u32,
        };
        let text = out_rows
            .iter()
            .map(|r| {
                r.cells
                    .iter()
                    .map(|c| c.text.as_str())
                    .collect::<Vec<_>>()
                    .join("\t")
            })
            .collect::<Vec<_>>()
            .join("\n");
        self.current_page().blocks.push(Block {
            kind: BlockKind::Table(Table { rows: out_rows }),
            text,
            lead: None,
            span,
        });
    }

    pub fn push_toc(&mut self, line: &str, title: String, page: Option<u32>) {
        let span = self.add_lines([line]);
        self.doc.toc.push(TocEntry { title, page, span });
    }

    pub fn set_page_count(&mut self, n: u32) {
        self.doc.page_count = Some(n);
    }

    pub fn set_metadata_title(&mut self, title: Option<String>) {
        self.doc.metadata_title = title.map(|t| normalise_space(&t)).filter(|t| !t.is_empty());
    }

    /// Records lines dropped as boilerplate.
    pub fn dropped<'a>(&mut self, lines: impl IntoIterator<Item = &'a str>) {
        for l in lines {
            self.doc.dropped_lines += 1;
            self.doc.dropped_digits += l.chars().filter(char::is_ascii_digit).count();
        }
    }

    /// Records `n` lines dropped as boilerplate whose text does not matter.
    pub fn dropped_count(&mut self, n: usize) {
        self.doc.dropped_lines += n;
    }

    /// Records how many digits the source draws on its pages.
    pub fn set_source_digits(&mut self, n: usize) {
        self.doc.source_digits = Some(n);
    }

    pub fn problem(&mut self, message: impl Into<String>) {
        let page = self.doc.pages.last().and_then(|p| p.number);
        self.doc.problems.push(Problem {
            message: message.into(),
            page,
            limit: false,
        });
    }

    /// A resource limit cut the reading short.
    pub fn limit(&mut self, message: impl Into<String>) {
        self.problem(message);
        if let Some(p) = self.doc.problems.last_mut() {
            p.limit = true;
        }
    }

    pub fn finish(mut self) -> Document {
        join_continued_tables(&mut self.doc);
        self.doc
            .pages
            .retain(|p| !p.blocks.is_empty() || p.number.is_some());
        if self.doc.format == Format::Pdf {
            // A PDF's lines are only ever on its pages: counted from each
            // page's top, they are the place a reader finds.
            self.doc.source_map = SourceMap::by_page(line_pages(&self.doc));
        }
        self.doc
    }
}

/// The page of each line of the normalised text (a table's rows keep their
/// own pages; a line no block claims has none).
fn line_pages(doc: &Document) -> Vec<Option<u32>> {
    let mut pages = vec![None; doc.lines.len()];
    let mut set = |span: Span| {
        let from = span.line.saturating_sub(1) as usize;
        let to = (span.end_line as usize).min(pages.len());
        for p in pages.get_mut(from..to).into_iter().flatten() {
            *p = span.page;
        }
    };
    for e in &doc.toc {
        set(e.span);
    }
    for b in doc.pages.iter().flat_map(|p| &p.blocks) {
        match &b.kind {
            BlockKind::Table(t) => t.rows.iter().for_each(|r| set(r.span)),
            _ => set(b.span),
        }
    }
    pages
}

/// Collapses runs of whitespace (including no-break spaces between words) to one
/// space. No-break spaces inside numbers are kept as plain spaces: "1 900 000".
pub fn normalise_space(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut pending_space = false;
    for c in s.chars() {
        if c.is_whitespace() || c == '\u{00A0}' || c == '\u{202F}' || c == '\u{2009}' {
            pending_space = !out.is_empty();
        } else {
            if pending_space {
                out.push(' ');
                pending_space = false;
            }
            out.push(c);
        }
    }
    out
}

/// Joins the lines of a paragraph. A line ending in a hyphen directly after a
/// lower-case letter, followed by a line starting in lower case, is a word broken
/// at the line end ("utvik-" + "lingen"); a hyphen before an upper-case letter or
/// a conjunction ("helse- og omsorg") is kept.
pub fn join_lines(lines: &[String]) -> String {
    let mut out = String::new();
    for line in lines {
        let line = normalise_space(line);
        if line.is_empty() {
            continue;
        }
        if out.is_empty() {
            out.push_str(&line);
            continue;
        }
        // A soft hyphen at a line end marks where the typesetter broke a word.
        if out.ends_with('\u{AD}') {
            out.pop();
            out.push_str(&line);
            continue;
        }
        let first_word: String = line.chars().take_while(|c| c.is_alphanumeric()).collect();
        let next_lower = line.chars().next().is_some_and(|c| c.is_lowercase());
        // An address broken at one of its own hyphens keeps it ("midt-" + "troms.no").
        let in_address = out
            .rsplit(' ')
            .next()
            .is_some_and(|w| w.contains("://") || w.starts_with("www."));
        if in_address && out.ends_with('-') {
            out.push_str(&line);
            continue;
        }
        let broken = out.ends_with('-')
            && out.chars().rev().nth(1).is_some_and(|c| c.is_lowercase())
            && next_lower
            && !matches!(first_word.as_str(), "og" | "eller" | "and" | "samt" | "til");
        if broken {
            out.pop();
        } else {
            out.push(' ');
        }
        out.push_str(&line);
    }
    out.retain(|c| c != '\u{AD}');
    out
}

/// "Tabell 4 (forts.)", "(fortsetter)", "(framhald)": a caption saying a table
/// goes on from the page before.
static CONTINUED: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(r"(?i)\((?:forts\.?|fortsatt|fortsetter|fortsettelse|framhald|framh\.?|fortset)\)|\bforts\.\s*$")
        .unwrap()
});

/// Joins a table that goes on after a page break into the table it continues:
/// the next table after only furniture and at most a "(forts.)" caption, as
/// wide, that repeats the first table's header row (dropped) or follows such
/// a caption. The rules then read one table, its total over both parts.
fn join_continued_tables(doc: &mut Document) {
    // (page, block) of every block in reading order.
    let order: Vec<(usize, usize)> = doc
        .pages
        .iter()
        .enumerate()
        .flat_map(|(p, page)| (0..page.blocks.len()).map(move |b| (p, b)))
        .collect();
    let mut remove: Vec<(usize, usize)> = Vec::new();
    let mut open: Option<(usize, usize)> = None;
    // A "(forts.)" caption stands between the open table and this block.
    let mut captioned = false;
    for &(p, b) in &order {
        let block = &doc.pages[p].blocks[b];
        match &block.kind {
            BlockKind::Furniture => continue,
            BlockKind::Paragraph | BlockKind::Heading { .. }
                if open.is_some() && !captioned && CONTINUED.is_match(&block.text) =>
            {
                captioned = true;
                continue;
            }
            BlockKind::Table(next) => {
                if let Some((op, ob)) = open {
                    let BlockKind::Table(first) = &doc.pages[op].blocks[ob].kind else {
                        unreachable!("open is a table")
                    };
                    let header_repeated = first.rows.first().map(|r| r.texts().collect::<Vec<_>>())
                        == next.rows.first().map(|r| r.texts().collect::<Vec<_>>())
                        && next.rows.len() > 1;
                    if first.width() == next.width() && (header_repeated || captioned) {
                        let skip = usize::from(header_repeated);
                        let rows: Vec<Row> = next.rows[skip..].to_vec();
                        let dropped: usize = next.rows[..skip]
                            .iter()
                            .flat_map(|r| r.texts())
                            .map(|t| t.chars().filter(char::is_ascii_digit).count())
                            .sum();
                        let end = block.span.end_line;
                        doc.dropped_digits += dropped;
                        let target = &mut doc.pages[op].blocks[ob];
                        if let BlockKind::Table(t) = &mut target.kind {
                            for r in &rows {
                                target.text.push('\n');
                                target
                                    .text
                                    .push_str(&r.texts().cloned().collect::<Vec<_>>().join("\t"));
                            }
                            t.rows.extend(rows);
                        }
                        target.span.end_line = target.span.end_line.max(end);
                        remove.push((p, b));
                        captioned = false;
                        continue;
                    }
                }
                open = Some((p, b));
            }
            _ => open = None,
        }
        captioned = false;
    }
    for (p, b) in remove.into_iter().rev() {
        doc.pages[p].blocks.remove(b);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_line_end_hyphenation_conservatively() {
        let l = |v: &[&str]| join_lines(&v.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        assert_eq!(l(&["samfunns-", "utvikling"]), "samfunnsutvikling");
        assert_eq!(l(&["helse-", "og omsorg"]), "helse- og omsorg");
        assert_eq!(
            l(&["Trøndelag-", "Fylkeskommune"]),
            "Trøndelag- Fylkeskommune"
        );
        assert_eq!(l(&["2024 -", "2027"]), "2024 - 2027");
        assert_eq!(
            l(&["se http://www.midt-", "troms.no/side"]),
            "se http://www.midt-troms.no/side"
        );
        assert_eq!(
            l(&["kompe\u{AD}", "tanse og sam\u{AD}arbeid"]),
            "kompetanse og samarbeid"
        );
    }

    #[test]
    fn spans_count_lines() {
        let mut b = DocumentBuilder::new(Format::Text);
        b.start_page(Some(1));
        b.push(BlockKind::Paragraph, &["a".into(), "b".into()], None);
        b.push_table(vec![
            TableRow::plain(vec!["x".into(), "1 000".into()]),
            TableRow::plain(vec!["".into(), "".into()]),
            TableRow::plain(vec!["y".into(), "".into()]),
        ]);
        let d = b.finish();
        let spans: Vec<(u32, u32)> = d.pages[0]
            .blocks
            .iter()
            .map(|b| (b.span.line, b.span.end_line))
            .collect();
        assert_eq!(spans, vec![(1, 2), (3, 4)]);
        assert_eq!(d.lines, vec!["a", "b", "x\t1 000", "y\t"]);
    }
}

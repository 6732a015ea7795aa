//! Reading a tagged PDF from its structure tree ([`super::tags`]): blocks,
//! their kinds and order, heading levels, list items (one item however many
//! lines and pages it spans), tables with their cells and spans, notes, come
//! from what the author stated; the glyphs' positions only make each
//! element's lines. Page furniture is what the author marked `/Artifact`.
//!
//! The tree is judged before it is trusted: one that states nothing but
//! paragraphs, or whose marked content misses much of the page text, is not
//! used, and the document is read by layout instead (the record's source
//! warnings say which).

use std::collections::HashMap;

use super::glyphs::Glyph;
use super::lines;
use super::tags::{Elem, Kid, Role, StructTree};
use crate::ingest::layout::{heading_of, lead_and_plain, Item, LineHint};
use crate::ingest::{IngestError, IngestOptions};
use crate::model::{BlockKind, Cell, DocumentBuilder, TableRow};

/// The share of the page text (non-space glyphs, artifacts aside) the tree
/// must name for its reading to be trusted.
const MIN_COVERAGE: f64 = 0.9;

/// The items of a tagged PDF, read from its tree; `None` when the tree is
/// not fit to read from (the reason is in the builder's problems).
pub(super) fn read(
    pdf: &lopdf::Document,
    pages: &std::collections::BTreeMap<u32, lopdf::ObjectId>,
    tree: &StructTree,
    options: &IngestOptions,
    b: &mut DocumentBuilder,
) -> Result<Option<(Vec<Item>, usize)>, IngestError> {
    if !tree.has_structure() {
        b.problem("the PDF's structure tree marks no headings, lists or tables; read by layout");
        return Ok(None);
    }
    let mut drawn: HashMap<(u32, u32), Vec<Glyph>> = HashMap::new();
    // Per page, what no element reads: artifacts, untagged text.
    let mut aside: HashMap<u32, Vec<Glyph>> = HashMap::new();
    let (mut total, mut digits) = (0usize, 0usize);
    let mut unmarked = 0usize;
    super::each_page(pdf, pages, options, b, |number, _, content, _| {
        for g in content.glyphs {
            digits += g.text.chars().filter(char::is_ascii_digit).count();
            if g.text.trim().is_empty() {
                continue;
            }
            if g.artifact {
                aside.entry(number).or_default().push(g);
                continue;
            }
            total += 1;
            match g.mcid {
                Some(mcid) => drawn.entry((number, mcid)).or_default().push(g),
                None => {
                    unmarked += 1;
                    aside.entry(number).or_default().push(g);
                }
            }
        }
    })?;
    let named = tree.contents();
    let covered: usize = drawn
        .iter()
        .filter(|(k, _)| named.contains(k))
        .map(|(_, v)| v.len())
        .sum();
    // Marked text no element reads (under a figure, or named nowhere) is
    // kept with the page's furniture: on the page, not in the text.
    let read_by_text = tree.text_contents();
    let unread: Vec<(u32, u32)> = drawn
        .keys()
        .filter(|k| !read_by_text.contains(k))
        .copied()
        .collect();
    for k in unread {
        if let Some(g) = drawn.remove(&k) {
            aside.entry(k.0).or_default().extend(g);
        }
    }
    let coverage = if total == 0 {
        0.0
    } else {
        covered as f64 / total as f64
    };
    if coverage < MIN_COVERAGE {
        b.problem(format!(
            "the PDF's structure tree names {:.0} % of the page text ({unmarked} characters outside any tag); read by layout",
            coverage * 100.0
        ));
        return Ok(None);
    }
    let bands = pages
        .iter()
        .map(|(&n, &id)| (n, super::page_height(pdf, id)))
        .collect();
    let mut w = Walker {
        headings: heading_sizes(&drawn),
        drawn: &drawn,
        aside,
        bands,
        items: Vec::new(),
        page: None,
        labelled: None,
        held_notes: Vec::new(),
    };
    w.group(&tree.kids, 0);
    w.release_notes();
    join_continuations(&mut w.items);
    // Pages the tree never reached: their furniture, in page order.
    let mut rest: Vec<u32> = w.aside.keys().copied().collect();
    rest.sort_unstable();
    for p in rest {
        w.page = None;
        w.at_page(Some(p));
    }
    Ok(Some((w.items, digits)))
}

/// The sizes (in half points) set well above the body size (the size most
/// characters are set in), largest first: the heading sizes, as the layout
/// reader finds them.
fn heading_sizes(drawn: &HashMap<(u32, u32), Vec<Glyph>>) -> Vec<i32> {
    let mut sizes: HashMap<i32, usize> = HashMap::new();
    for g in drawn.values().flatten() {
        *sizes.entry((g.size * 2.0).round() as i32).or_default() += 1;
    }
    let body = sizes
        .iter()
        .max_by_key(|(s, n)| (**n, -**s))
        .map_or(20, |(s, _)| *s);
    let mut big: Vec<i32> = sizes
        .into_keys()
        .filter(|s| *s as f32 >= body as f32 * 1.15)
        .collect();
    big.sort_unstable_by(|a, b| b.cmp(a));
    big.truncate(4);
    big
}

/// An element's text: its lines, the page it starts on.
struct Text {
    lines: Vec<String>,
    /// Per line: set bold, its size, its baseline.
    looks: Vec<(bool, f32, f32)>,
    page: Option<u32>,
}

/// A table's grid as its rows are placed: per column, the rows a cell
/// above still covers; header cells' columns, by `/ID`.
#[derive(Default)]
struct Grid {
    below: Vec<u16>,
    columns: HashMap<Vec<u8>, usize>,
}

struct Walker<'g> {
    drawn: &'g HashMap<(u32, u32), Vec<Glyph>>,
    headings: Vec<i32>,
    /// Each page's bottom and top.
    bands: HashMap<u32, (f32, f32)>,
    /// Each page's text no element reads, put out once with the page.
    aside: HashMap<u32, Vec<Glyph>>,
    items: Vec<Item>,
    page: Option<u32>,
    /// The last list item with a stated label: where it is in `items`,
    /// its page and depth.
    labelled: Option<(usize, Option<u32>, u8)>,
    /// Notes waiting for the end of the block or list that points to them.
    held_notes: Vec<Item>,
}

impl Walker<'_> {
    /// The lines of the content under `kids` (every descendant), page by
    /// page, each page's glyphs laid into lines. A note inside (a footnote
    /// a word points to) is not part of the text: it is put out apart, by
    /// [`Walker::notes`], as the layout reading sets footnotes apart.
    fn text(&self, kids: &[Kid]) -> Text {
        fn refs(kids: &[Kid], out: &mut Vec<(u32, u32)>) {
            for k in kids {
                match k {
                    Kid::Content { page, mcid } => out.push((*page, *mcid)),
                    Kid::Elem(e) if !matches!(e.role, Role::Skip | Role::Note) => {
                        refs(&e.kids, out)
                    }
                    Kid::Elem(_) => {}
                }
            }
        }
        let mut at = Vec::new();
        refs(kids, &mut at);
        let mut text = Text {
            lines: Vec::new(),
            looks: Vec::new(),
            page: at.first().map(|(p, _)| *p),
        };
        let mut i = 0;
        while i < at.len() {
            let page = at[i].0;
            let mut glyphs: Vec<&Glyph> = Vec::new();
            while i < at.len() && at[i].0 == page {
                glyphs.extend(self.drawn.get(&at[i]).into_iter().flatten());
                i += 1;
            }
            for l in lines::page_lines_of(&glyphs, &[]) {
                let t = l.text.replace('\t', " ");
                if !t.trim().is_empty() {
                    text.lines.push(t);
                    text.looks.push((l.bold, l.size, l.y));
                }
            }
        }
        text
    }

    /// The notes inside `kids` (not those inside a figure), each held to be
    /// put out as text set apart from the flow after the block that points
    /// to it, or after the list it is in: a footnote does not cut a list.
    fn notes(&mut self, kids: &[Kid]) {
        fn find<'e>(kids: &'e [Kid], out: &mut Vec<&'e Elem>) {
            for k in kids {
                match k {
                    Kid::Elem(e) if e.role == Role::Note => out.push(e),
                    Kid::Elem(e) if e.role != Role::Skip => find(&e.kids, out),
                    _ => {}
                }
            }
        }
        let mut found = Vec::new();
        find(kids, &mut found);
        for n in found {
            let text = self.text(&n.kids);
            if !text.lines.is_empty() {
                self.held_notes.push(Item::Aside(text.lines));
            }
        }
    }

    /// The notes held so far, put out before a block that is not a list
    /// item (and at the end).
    fn release_notes(&mut self) {
        self.items.append(&mut self.held_notes);
    }

    fn at_page(&mut self, page: Option<u32>) {
        if page.is_some() && page != self.page {
            self.page = page;
            self.items.push(Item::Page(page));
            if let Some(glyphs) = page.and_then(|p| self.aside.remove(&p)) {
                let glyphs: Vec<&Glyph> = glyphs.iter().collect();
                for l in lines::page_lines_of(&glyphs, &[]) {
                    self.items.push(Item::Furniture(l.text.replace('\t', " ")));
                }
            }
        }
    }

    fn block(&mut self, kind: BlockKind, mut text: Text) {
        if text.lines.is_empty() {
            return;
        }
        self.at_page(text.page);
        let lead = lead_and_plain(&mut text.lines);
        self.items.push(Item::Block {
            kind,
            lines: text.lines,
            lead,
        });
    }

    /// A paragraph the tree calls `P`: its lines go to the layout reader
    /// with their type size and weight, as an untagged page's would, so that
    /// what trees often tag as `P` — headings set large or bold, a numbered
    /// heading, a lead-in — is still found; the tree gives its bounds. A lone
    /// page number in the page's top or bottom band is furniture.
    fn paragraph(&mut self, kids: &[Kid]) {
        self.release_notes();
        let text = self.text(kids);
        if text.lines.is_empty() {
            return;
        }
        self.at_page(text.page);
        if let ([line], [(_, _, y)], Some(&(bottom, top))) = (
            text.lines.as_slice(),
            text.looks.as_slice(),
            text.page.and_then(|p| self.bands.get(&p)),
        ) {
            let h = (top - bottom).max(1.0);
            let band = *y > top - 0.09 * h || *y < bottom + 0.09 * h;
            if band && super::PAGE_NUMBER.is_match(line.trim()) {
                self.items.push(Item::Furniture(line.clone()));
                return;
            }
        }
        // A heading is a short paragraph set in one heading size throughout;
        // a paragraph whose first line alone is set large is not one.
        let sizes: Vec<i32> = text
            .looks
            .iter()
            .map(|(_, size, _)| (size * 2.0).round() as i32)
            .collect();
        let heading = (sizes.len() <= 2 && sizes.windows(2).all(|w| w[0] == w[1]))
            .then(|| self.headings.iter().position(|s| Some(s) == sizes.first()))
            .flatten()
            .map(|i| i as u8 + 1);
        for (line, (bold, _, _)) in text.lines.into_iter().zip(text.looks) {
            let level = heading.filter(|_| line.chars().count() <= 150);
            // An emphasised run glued to the end of a line printed from
            // Markdown is a paragraph of its own, as on an untagged page.
            if let Some(c) = super::GLUED_EMPHASIS.captures(&line) {
                self.items.push(Item::Line {
                    text: c[1].to_string(),
                    hint: LineHint {
                        heading_level: level,
                        emphasised: bold,
                        ..LineHint::default()
                    },
                });
                self.items.push(Item::Blank);
                self.items.push(Item::line(&c[2]));
                continue;
            }
            self.items.push(Item::Line {
                text: line,
                hint: LineHint {
                    heading_level: level,
                    emphasised: bold,
                    ..LineHint::default()
                },
            });
        }
        self.items.push(Item::Blank);
        self.notes(kids);
    }

    fn group(&mut self, kids: &[Kid], depth: u8) {
        let mut loose: Vec<Kid> = Vec::new();
        for k in kids {
            let Kid::Elem(e) = k else {
                loose.push(k.clone());
                continue;
            };
            if !loose.is_empty() {
                self.paragraph(&std::mem::take(&mut loose));
            }
            self.elem(e, depth);
        }
        if !loose.is_empty() {
            self.paragraph(&loose);
        }
    }

    fn elem(&mut self, e: &Elem, depth: u8) {
        if matches!(
            e.role,
            Role::Heading(_) | Role::Table | Role::Toc | Role::TocItem | Role::Note
        ) {
            self.release_notes();
        }
        match &e.role {
            Role::Skip => {}
            Role::Paragraph | Role::Caption | Role::Label => self.paragraph(&e.kids),
            Role::Heading(level) => {
                let mut text = self.text(&e.kids);
                // Text printed from Markdown keeps its stars: an emphasised
                // run glued to the end of a heading is a paragraph of its own.
                let glued = match text.lines.as_slice() {
                    [line] => super::GLUED_EMPHASIS
                        .captures(line)
                        .map(|c| (c[1].to_string(), c[2].to_string())),
                    _ => None,
                };
                if let Some((heading, _)) = &glued {
                    text.lines[0] = heading.clone();
                }
                let number = text
                    .lines
                    .first()
                    .and_then(|l| heading_of(l))
                    .and_then(|(_, n)| n);
                self.block(
                    BlockKind::Heading {
                        level: level.unwrap_or(1).clamp(1, 6),
                        number,
                    },
                    text,
                );
                if let Some((_, tail)) = glued {
                    self.items.push(Item::Line {
                        text: tail,
                        hint: LineHint::default(),
                    });
                    self.items.push(Item::Blank);
                }
                self.notes(&e.kids);
            }
            Role::List => {
                for k in &e.kids {
                    match k {
                        Kid::Elem(li) if li.role == Role::ListItem => self.list_item(li, depth),
                        Kid::Elem(other) => self.elem(other, depth),
                        Kid::Content { .. } => self.paragraph(std::slice::from_ref(k)),
                    }
                }
            }
            Role::ListItem => self.list_item(e, depth),
            Role::Table => self.table(e),
            Role::Toc | Role::TocItem => {
                // Contents lines keep their dotted leaders and page numbers:
                // the layout reader knows them.
                let text = self.text(&e.kids);
                self.at_page(text.page);
                for l in text.lines {
                    self.items.push(Item::Line {
                        text: l,
                        hint: LineHint::default(),
                    });
                }
                self.items.push(Item::Blank);
            }
            Role::Note => {
                let text = self.text(&e.kids);
                if !text.lines.is_empty() {
                    self.at_page(text.page);
                    self.items.push(Item::Aside(text.lines));
                }
            }
            Role::Group
            | Role::Inline
            | Role::ListBody
            | Role::Row
            | Role::HeaderCell
            | Role::DataCell => self.group(&e.kids, depth),
        }
    }

    /// One list item: its label (`Lbl`) as the marker, its body as one item
    /// however many lines and pages it has; lists inside it one level deeper.
    fn list_item(&mut self, li: &Elem, depth: u8) {
        let mut label = String::new();
        let mut body: Vec<Kid> = Vec::new();
        let mut nested: Vec<&Elem> = Vec::new();
        fn split<'e>(
            kids: &'e [Kid],
            label: &mut String,
            body: &mut Vec<Kid>,
            nested: &mut Vec<&'e Elem>,
            w: &Walker,
        ) {
            for k in kids {
                match k {
                    Kid::Elem(e) if e.role == Role::Label && label.is_empty() => {
                        *label = w.text(&e.kids).lines.join(" ");
                    }
                    Kid::Elem(e) if e.role == Role::List => nested.push(e),
                    Kid::Elem(e) if e.role == Role::ListBody => {
                        split(&e.kids, label, body, nested, w)
                    }
                    other => body.push(other.clone()),
                }
            }
        }
        split(&li.kids, &mut label, &mut body, &mut nested, self);
        let mut text = self.text(&body);
        let mut marker = label.trim().to_string();
        // No label element: the marker set at the start of the text.
        if marker.is_empty() {
            if let Some(first) = text.lines.first_mut() {
                if let Some((m, rest)) = split_marker(first) {
                    marker = m;
                    *first = rest;
                }
            }
        }
        let stated = marker.chars().any(|c| !c.is_whitespace());
        if !stated && self.goes_on(text.page, depth) {
            if let Some(Item::Block { lines, .. }) =
                self.labelled.and_then(|(i, ..)| self.items.get_mut(i))
            {
                lines.extend(text.lines);
            }
            self.notes(&body);
            for l in nested {
                self.elem(l, depth.saturating_add(1));
            }
            return;
        }
        if !stated {
            marker = "•".into();
        }
        self.at_page(text.page);
        self.labelled =
            (stated && !text.lines.is_empty()).then_some((self.items.len(), text.page, depth));
        self.block(BlockKind::ListItem { marker, depth }, text);
        self.notes(&body);
        for l in nested {
            self.elem(l, depth.saturating_add(1));
        }
    }

    /// Whether an item with no label, beginning on `page`, goes on with the
    /// labelled item before it: Word cuts an item at a page break into two
    /// `LI`s, the second without a label. Only page furniture and notes
    /// may stand between them.
    fn goes_on(&self, page: Option<u32>, depth: u8) -> bool {
        let Some((i, before, d)) = self.labelled else {
            return false;
        };
        d == depth
            && page.zip(before).is_some_and(|(p, b)| p > b)
            && self.items.get(i + 1..).is_some_and(|rest| {
                rest.iter().all(|it| {
                    matches!(
                        it,
                        Item::Page(_) | Item::Furniture(_) | Item::Aside(_) | Item::Blank
                    )
                })
            })
    }

    /// One `Table` element: one table, its rows laid into a grid by their
    /// spans (and, where cells were left out, by their `/Headers`), however
    /// many pages it runs over. Notes in its cells follow it.
    fn table(&mut self, t: &Elem) {
        fn rows<'e>(kids: &'e [Kid], out: &mut Vec<&'e Elem>) {
            for k in kids {
                if let Kid::Elem(e) = k {
                    match e.role {
                        Role::Row => out.push(e),
                        Role::Group => rows(&e.kids, out),
                        _ => {}
                    }
                }
            }
        }
        let mut found = Vec::new();
        rows(&t.kids, &mut found);
        let mut grid = Grid::default();
        let mut out: Vec<TableRow> = Vec::new();
        let mut read: Vec<&Elem> = Vec::new();
        for row in found {
            // A table used to lay out a form: a row whose cells hold lists
            // or tables is read as text, cell by cell, so its lists and
            // tables are found as anywhere else.
            if self.is_prose(row) {
                self.flush_table(&mut out, &mut read);
                grid = Grid::default();
                for k in &row.kids {
                    if let Kid::Elem(c) = k {
                        self.group(&c.kids, 0);
                    }
                }
                continue;
            }
            if let Some(r) = self.table_row(row, &mut grid) {
                out.push(r);
                read.push(row);
            }
        }
        self.flush_table(&mut out, &mut read);
    }

    /// One row's cells in the grid: slots covered from above skipped,
    /// cells a writer left out placed by their header cells.
    fn table_row(&self, row: &Elem, grid: &mut Grid) -> Option<TableRow> {
        let below = &mut grid.below;
        let mut cells: Vec<Cell> = Vec::new();
        let mut page = None;
        let skip_covered = |cells: &mut Vec<Cell>, below: &mut Vec<u16>| {
            while below.get(cells.len()).is_some_and(|n| *n > 0) {
                below[cells.len()] -= 1;
                cells.push(Cell::covered());
            }
        };
        for k in &row.kids {
            let Kid::Elem(c) = k else { continue };
            if !matches!(c.role, Role::HeaderCell | Role::DataCell) {
                continue;
            }
            skip_covered(&mut cells, below);
            // Cells left out before this one (empty ones, by a browser):
            // its header cells say which column it is in.
            let stated = c.headers.iter().filter_map(|h| grid.columns.get(h)).min();
            if let Some(&col) = stated.filter(|&&col| col > cells.len() && col < 256) {
                while cells.len() < col {
                    cells.push(Cell::new(""));
                    skip_covered(&mut cells, below);
                }
            }
            if let Some(id) = &c.id {
                grid.columns.entry(id.clone()).or_insert(cells.len());
            }
            let text = self.text(&c.kids);
            page = page.or(text.page);
            let col = cells.len();
            let mut cell = Cell::new(text.lines.join(" ").trim().to_string());
            cell.row_span = c.row_span;
            cell.col_span = c.col_span;
            cells.push(cell);
            cells.extend((1..c.col_span).map(|_| Cell::covered()));
            if below.len() < cells.len() {
                below.resize(cells.len(), 0);
            }
            for n in &mut below[col..cells.len()] {
                *n = c.row_span - 1;
            }
        }
        // Columns to the right still covered from above.
        while cells.len() < below.len() {
            if below[cells.len()] > 0 {
                below[cells.len()] -= 1;
            }
            cells.push(Cell::covered());
        }
        (!cells.is_empty()).then_some(TableRow { cells, page })
    }

    /// The rows read so far as one table (`elems` the row elements they
    /// were read from), title rows before it as text, the notes in its
    /// cells after it.
    fn flush_table(&mut self, rows: &mut Vec<TableRow>, elems: &mut Vec<&Elem>) {
        let mut rows = std::mem::take(rows);
        let elems = std::mem::take(elems);
        let filled = |r: &TableRow| r.cells.iter().filter(|c| !c.text.trim().is_empty()).count();
        // A spreadsheet's title and notes sit in cells merged across the
        // sheet, and a one-column "table" lays out text: rows before the
        // data whose one filled cell is merged across columns, or a table
        // of nothing but rows of one filled cell, are paragraphs. A row of
        // one unmerged cell is the table's own: a header over an empty
        // corner, or a group's name ("Alder") above its rows.
        let merged_title = |r: &TableRow| {
            filled(r) == 0
                || (filled(r) == 1
                    && r.cells
                        .iter()
                        .any(|c| !c.text.trim().is_empty() && c.col_span > 1))
        };
        let lead = if rows.iter().all(|r| filled(r) <= 1) {
            rows.len()
        } else {
            rows.iter().take_while(|r| merged_title(r)).count()
        };
        // Title rows are read as any text: paragraph by paragraph, with
        // their type size and weight.
        rows.drain(..lead);
        for row in &elems[..lead] {
            for k in &row.kids {
                if let Kid::Elem(c) = k {
                    self.group(&c.kids, 0);
                }
            }
        }
        if rows.is_empty() {
            return;
        }
        self.at_page(rows[0].page);
        self.items.push(Item::Blank);
        self.items.push(Item::Table(rows));
        self.items.push(Item::Blank);
        for row in &elems[lead..] {
            self.notes(&row.kids);
        }
    }

    /// Whether a row's cells hold running text rather than data: a list or
    /// a table inside a cell, or more paragraphs of sentences than a
    /// table's cell has (a report form printed from the web). Paragraphs
    /// without text, or a paragraph a producer tagged line by line (each
    /// line a `P`, no sentence ending most of them), are still one cell.
    fn is_prose(&self, row: &Elem) -> bool {
        fn walk(w: &Walker, kids: &[Kid], sentences: &mut usize) -> bool {
            kids.iter().any(|k| match k {
                Kid::Elem(e) => match e.role {
                    Role::List | Role::Table => true,
                    Role::Paragraph | Role::Heading(_) => {
                        *sentences += usize::from(ends_sentence(&w.text(&e.kids).lines));
                        false
                    }
                    _ => walk(w, &e.kids, sentences),
                },
                Kid::Content { .. } => false,
            })
        }
        row.kids.iter().any(|k| match k {
            Kid::Elem(c) => {
                let mut sentences = 0;
                walk(self, &c.kids, &mut sentences) || sentences > 3
            }
            Kid::Content { .. } => false,
        })
    }
}

/// A paragraph right after a list item that starts in lower case goes on
/// with the item: the tree split one item's wrapped text (often at a page
/// break) into an item and a paragraph.
fn join_continuations(items: &mut Vec<Item>) {
    let mut out: Vec<Item> = Vec::with_capacity(items.len());
    let mut i = 0;
    while i < items.len() {
        // An item the tree cut at a page break: the next "item" goes on in
        // lower case under the same marker.
        if let Item::Block {
            kind: BlockKind::ListItem { marker, depth },
            lines,
            ..
        } = &items[i]
        {
            let page_break = out
                .iter()
                .rev()
                .take_while(|it| matches!(it, Item::Page(_) | Item::Furniture(_)))
                .any(|it| matches!(it, Item::Page(_)));
            let before = out
                .iter_mut()
                .rev()
                .find(|it| !matches!(it, Item::Page(_) | Item::Furniture(_)));
            if let Some(Item::Block {
                kind:
                    BlockKind::ListItem {
                        marker: m,
                        depth: d,
                    },
                lines: above,
                ..
            }) = before
            {
                let lower = lines
                    .first()
                    .is_some_and(|l| l.starts_with(char::is_lowercase));
                // Items of a list often start in lower case ("at …"): only
                // one cut by a page in mid-sentence goes on.
                if lower && page_break && !ends_sentence(above) && m == marker && d == depth {
                    above.extend(lines.iter().cloned());
                    i += 1;
                    continue;
                }
            }
        }
        let continues = matches!(&items[i], Item::Line { text, hint } if hint.heading_level.is_none() && text.starts_with(char::is_lowercase));
        let item_at = continues
            .then(|| {
                out.iter()
                    .rposition(|it| !matches!(it, Item::Page(_) | Item::Furniture(_)))
                    .filter(|&j| matches!(&out[j], Item::Block { kind: BlockKind::ListItem { .. }, lines, .. } if !ends_sentence(lines)))
            })
            .flatten();
        let Some(j) = item_at else {
            out.push(items[i].clone());
            i += 1;
            continue;
        };
        while let Some(Item::Line { text, .. }) = items.get(i) {
            if let Item::Block { lines, .. } = &mut out[j] {
                lines.push(text.clone());
            }
            i += 1;
        }
        // The paragraph's closing blank.
        if matches!(items.get(i), Some(Item::Blank)) {
            i += 1;
        }
    }
    *items = out;
}

/// Whether a block's last line ends a sentence.
fn ends_sentence(lines: &[String]) -> bool {
    lines
        .last()
        .is_some_and(|l| l.trim_end().ends_with(['.', '!', '?', ':', ';']))
}

/// A list marker at the start of an item's text ("•", "–", "1.", "b)").
fn split_marker(line: &str) -> Option<(String, String)> {
    let (first, rest) = line.trim_start().split_once(' ')?;
    let bullet = first.chars().count() == 1
        && matches!(
            first.chars().next()?,
            '•' | '▪' | '■' | '–' | '-' | '—' | '○' | '◦' | '*' | '\u{f0b7}'
        );
    let numbered = first.len() <= 4
        && (first.ends_with('.') || first.ends_with(')'))
        && first[..first.len() - 1]
            .chars()
            .all(|c| c.is_ascii_digit() || c.is_ascii_lowercase());
    (bullet || numbered).then(|| (first.to_string(), rest.trim_start().to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_at_the_start_of_an_items_text() {
        assert_eq!(
            split_marker("• styrke samarbeidet"),
            Some(("•".into(), "styrke samarbeidet".into()))
        );
        assert_eq!(
            split_marker("b) ny plan"),
            Some(("b)".into(), "ny plan".into()))
        );
        assert_eq!(split_marker("Kommunen skal"), None);
    }
}

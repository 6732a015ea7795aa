//! Tagged PDFs of `../shared/real-dev/` against their own structure trees
//! (issue 21): every `LI` of a tree is one list item of plansjekk's reading,
//! every `Table` one table with the same grid of cells, and there is no table
//! the tree does not have.
//!
//! The tree is walked here with lopdf directly, not with
//! `src/ingest/pdf/tags.rs`, so that a fault there cannot hide itself: the
//! role map resolved to the standard types, depth and element count bounded,
//! each object visited once. `cargo test --test tagged_trees -- --nocapture`
//! prints one line per document.
//!
//! Measured before the fixes of issue 21 (92808fc) and after (tree LI vs
//! items read; tree tables vs tables read, with the same cells):
//!
//! | document              | before: LI, tables (same) | after          |
//! | --------------------- | ------------------------- | -------------- |
//! | finnmark_fk           | 7/7, 2/2 (1)              | 7/7, 2/2 (2)   |
//! | bergen_notat          | 39+1c/40, 1/2 (0)         | 39+1c/39, 1/1 (1) |
//! | kdd_bestilling        | 0/0, 2+1n/1 (0)           | 0/0, 2+1n/2 (2) |
//! | kdd_skjema            | 0/0, 3+4n/3 (3)           | unchanged      |
//! | ks_innspill           | 71+1c/71, 0/0             | unchanged      |
//! | menns_bruk            | 0/1, 7+1n/7 (6)           | 0/1, 7+1n/7 (7) |
//! | the other nine tagged | equal                     | equal          |
//!
//! (+Nc: an `LI` that goes on with the item before it over a page break;
//! +Nn: a `Table` a reader would not count, see `TreeTable::not_a_table`.)
//! The two documents whose trees are poor (a fact sheet whose tree names
//! none of the page text, a letter tagged all `P`) fall back to the layout
//! reading and say so in their warnings; their trees have no `LI` or
//! `Table` to keep.

mod common;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use lopdf::{Dictionary, Document as PdfDoc, Object, ObjectId};
use plansjekk::ingest::{ingest, IngestOptions};
use plansjekk::model::{BlockKind, Document};

/// Elements walked at most: far above any real-dev document's tree.
const MAX_ELEMENTS: usize = 500_000;
/// Nesting walked at most.
const MAX_DEPTH: usize = 200;

/// The standard structure types of PDF 1.7 and 2.0: a role map is followed
/// until it reaches one of these.
const STANDARD: &[&str] = &[
    "Document",
    "DocumentFragment",
    "Part",
    "Art",
    "Sect",
    "Div",
    "BlockQuote",
    "Caption",
    "TOC",
    "TOCI",
    "Index",
    "NonStruct",
    "Private",
    "Aside",
    "Title",
    "FENote",
    "Sub",
    "P",
    "H",
    "H1",
    "H2",
    "H3",
    "H4",
    "H5",
    "H6",
    "H7",
    "H8",
    "H9",
    "L",
    "LI",
    "Lbl",
    "LBody",
    "Table",
    "TR",
    "TH",
    "TD",
    "THead",
    "TBody",
    "TFoot",
    "Span",
    "Quote",
    "Note",
    "Reference",
    "BibEntry",
    "Code",
    "Link",
    "Annot",
    "Ruby",
    "RB",
    "RT",
    "RP",
    "Warichu",
    "WT",
    "WP",
    "Figure",
    "Formula",
    "Form",
    "Em",
    "Strong",
    "Artifact",
];

/// One table of the tree: where it starts and its grid.
#[derive(Debug, Default)]
struct TreeTable {
    page: Option<u32>,
    /// Rows (`TR`s with at least one cell) and grid columns, spans counted.
    rows: usize,
    cols: usize,
    /// Grid slots (row, column) where a cell with content starts; rows
    /// with none are left out and not counted (no reader sees an empty row).
    filled: HashSet<(usize, usize)>,
    /// A table inside one of its cells.
    holds_table: bool,
}

impl TreeTable {
    /// Why a reader would not count it as a table, if so.
    fn not_a_table(&self) -> Option<&'static str> {
        if self.holds_table {
            // The letterhead of a letter: an address cell beside a cell
            // holding the reference table. The table inside is the table.
            Some("holds a table: the page's layout grid")
        } else if (0..self.rows).all(|r| self.filled.iter().filter(|f| f.0 == r).count() <= 1) {
            // A spreadsheet's title cell, a framed box, a column of links
            // or figures: text laid out in a grid, read as paragraphs.
            Some("at most one cell of text a row: text laid out in a grid")
        } else {
            None
        }
    }
}

/// What a tree states, as counted here.
#[derive(Debug, Default)]
struct TreeCounts {
    /// Pages of the list items' first content (`None`: an item with none).
    items: Vec<Option<u32>>,
    /// List items left out: inside a `TOC` or an `Artifact`.
    items_aside: usize,
    /// List items that go on with the one before: no `Lbl`, begun on a
    /// later page than the labelled item before them. Word cuts an item at
    /// a page break into two `LI`s; a reader sees one item.
    items_continued: usize,
    tables: Vec<TreeTable>,
}

/// A cell as the tree states it.
struct TreeCell {
    row_span: usize,
    col_span: usize,
    content: bool,
}

struct Walk<'a> {
    pdf: &'a PdfDoc,
    roles: HashMap<Vec<u8>, Vec<u8>>,
    page_of: HashMap<ObjectId, u32>,
    seen: HashSet<ObjectId>,
    elements: usize,
    counts: TreeCounts,
    /// Marked content that draws something other than spaces.
    visible: HashSet<(u32, u32)>,
    /// Depths where a `Lbl` was met, while an `LI` is walked.
    labels: Vec<usize>,
    /// The last list item: whether it had a label, where it began.
    last_item: Option<(bool, Option<u32>)>,
}

fn deref<'a>(pdf: &'a PdfDoc, o: &'a Object) -> Option<&'a Object> {
    pdf.dereference(o).ok().map(|(_, o)| o)
}

fn dict<'a>(pdf: &'a PdfDoc, o: &'a Object) -> Option<&'a Dictionary> {
    deref(pdf, o).and_then(|o| o.as_dict().ok())
}

/// The tree's counts, or `None` when the PDF has no `/StructTreeRoot`.
fn tree_counts(pdf: &PdfDoc) -> Option<TreeCounts> {
    let root = dict(pdf, pdf.catalog().ok()?.get(b"StructTreeRoot").ok()?)?;
    let roles = root
        .get(b"RoleMap")
        .ok()
        .and_then(|m| dict(pdf, m))
        .map(|m| {
            m.iter()
                .filter_map(|(k, v)| Some((k.clone(), v.as_name().ok()?.to_vec())))
                .collect()
        })
        .unwrap_or_default();
    let mut w = Walk {
        pdf,
        roles,
        page_of: pdf.get_pages().into_iter().map(|(n, id)| (id, n)).collect(),
        seen: HashSet::new(),
        elements: 0,
        counts: TreeCounts::default(),
        visible: visible_content(pdf),
        labels: Vec::new(),
        last_item: None,
    };
    if let Ok(k) = root.get(b"K") {
        w.kids(k, None, 0, Context::default());
    }
    Some(w.counts)
}

/// Every (page, mcid) whose text is more than spaces, read from the pages'
/// content streams with lopdf's font encodings: a cell whose marked content
/// draws only spaces is an empty cell, as a reader sees it. (Content in form
/// XObjects is not looked into; the real-dev tables draw on the page.)
fn visible_content(pdf: &PdfDoc) -> HashSet<(u32, u32)> {
    let mut out = HashSet::new();
    for (n, id) in pdf.get_pages() {
        let encodings: HashMap<Vec<u8>, lopdf::Encoding> = pdf
            .get_page_fonts(id)
            .unwrap_or_default()
            .into_iter()
            .filter_map(|(name, f)| Some((name, f.get_font_encoding(pdf).ok()?)))
            .collect();
        let Ok(content) = pdf.get_and_decode_page_content(id) else {
            continue;
        };
        // Marked-content ids open (None for a BMC or a BDC without one);
        // the font in use, saved and restored with the graphics state.
        let mut marks: Vec<Option<u32>> = Vec::new();
        let mut font: Option<Vec<u8>> = None;
        let mut saved: Vec<Option<Vec<u8>>> = Vec::new();
        for op in &content.operations {
            match op.operator.as_str() {
                "BMC" => marks.push(None),
                "BDC" => marks.push(
                    op.operands
                        .get(1)
                        .and_then(|p| p.as_dict().ok())
                        .and_then(|d| d.get(b"MCID").and_then(Object::as_i64).ok())
                        .and_then(|m| u32::try_from(m).ok()),
                ),
                "EMC" => {
                    marks.pop();
                }
                "q" => saved.push(font.clone()),
                "Q" => font = saved.pop().flatten(),
                "Tf" => {
                    font = op
                        .operands
                        .first()
                        .and_then(|f| f.as_name().ok())
                        .map(<[u8]>::to_vec)
                }
                "Tj" | "TJ" | "'" | "\"" => {
                    let Some(mcid) = marks.iter().rev().find_map(|m| *m) else {
                        continue;
                    };
                    let enc = font.as_ref().and_then(|f| encodings.get(f));
                    if shows_text(enc, &op.operands) {
                        out.insert((n, mcid));
                    }
                }
                _ => {}
            }
        }
    }
    out
}

/// Whether a text operator's strings draw something other than spaces (an
/// undecodable string counts as drawing).
fn shows_text(enc: Option<&lopdf::Encoding>, operands: &[Object]) -> bool {
    operands.iter().any(|o| match o {
        Object::String(bytes, _) => match enc.map(|e| PdfDoc::decode_text(e, bytes)) {
            Some(Ok(t)) => t
                .chars()
                .any(|c| !c.is_whitespace() && c != '\u{a0}' && c != '\0'),
            _ => !bytes.is_empty(),
        },
        Object::Array(a) => shows_text(enc, a),
        _ => false,
    })
}

/// Where an element sits: inside a table of contents or an artifact.
#[derive(Clone, Copy, Default)]
struct Context {
    aside: bool,
}

/// What a subtree holds: its marked content, (page, mcid).
#[derive(Default)]
struct Held {
    refs: Vec<(u32, u32)>,
}

impl Held {
    fn first_page(&self) -> Option<u32> {
        self.refs.iter().map(|r| r.0).min()
    }
}

impl Walk<'_> {
    /// The standard type a role maps to (itself if standard; `None` if the
    /// map leads nowhere standard).
    fn standard(&self, name: &[u8]) -> Option<String> {
        let mut name = name.to_vec();
        for _ in 0..16 {
            let s = String::from_utf8_lossy(&name).to_string();
            if STANDARD.contains(&s.as_str()) {
                return Some(s);
            }
            name = self.roles.get(&name)?.clone();
        }
        None
    }

    fn kids(&mut self, k: &Object, page: Option<u32>, depth: usize, cx: Context) -> Held {
        let mut held = Held::default();
        if depth > MAX_DEPTH || self.elements > MAX_ELEMENTS {
            return held;
        }
        let items: Vec<Object> = match deref(self.pdf, k) {
            Some(Object::Array(a)) => a.clone(),
            _ => vec![k.clone()],
        };
        for item in &items {
            let h = self.kid(item, page, depth, cx);
            held.refs.extend(h.refs);
        }
        held
    }

    fn kid(&mut self, o: &Object, page: Option<u32>, depth: usize, cx: Context) -> Held {
        let mut held = Held::default();
        if let Ok(mcid) = o.as_i64() {
            held.refs.extend(page.zip(u32::try_from(mcid).ok()));
            return held;
        }
        if let Ok(id) = o.as_reference() {
            if !self.seen.insert(id) {
                return held;
            }
        }
        let Some(d) = dict(self.pdf, o) else {
            return held;
        };
        let pg = d
            .get(b"Pg")
            .ok()
            .and_then(|p| p.as_reference().ok())
            .and_then(|id| self.page_of.get(&id).copied())
            .or(page);
        match d.get(b"Type").and_then(Object::as_name).ok() {
            Some(b"MCR") if !d.has(b"Stm") => {
                let mcid = d.get(b"MCID").and_then(Object::as_i64).ok();
                held.refs
                    .extend(pg.zip(mcid.and_then(|m| u32::try_from(m).ok())));
                return held;
            }
            Some(b"MCR") | Some(b"OBJR") => return held,
            _ => {}
        }
        let Ok(name) = d.get(b"S").and_then(Object::as_name) else {
            return held;
        };
        self.elements += 1;
        let role = self.standard(name).unwrap_or_default();
        self.element(&role, d, pg, depth, cx)
    }

    fn element(
        &mut self,
        role: &str,
        d: &Dictionary,
        pg: Option<u32>,
        depth: usize,
        cx: Context,
    ) -> Held {
        // A table of contents is the document's headings again, not a list
        // a reader would count items of (plansjekk reads it as contents);
        // an artifact is not content at all.
        let inner = Context {
            aside: cx.aside || matches!(role, "TOC" | "TOCI" | "Artifact"),
        };
        match role {
            "Table" => return self.table(d, pg, depth, inner),
            "LI" if inner.aside => self.counts.items_aside += 1,
            "LI" => {
                let mark = self.labels.len();
                let held = self.children(d, pg, depth, inner);
                let labelled = self.labels[mark..].contains(&(depth + 1));
                self.labels.truncate(mark);
                let page = held.first_page();
                let continues = matches!(self.last_item, Some((true, Some(before))) if !labelled && page.is_some_and(|p| p > before));
                if continues {
                    self.counts.items_continued += 1;
                } else {
                    self.counts.items.push(page);
                }
                self.last_item = Some((labelled, page));
                return held;
            }
            "Lbl" => self.labels.push(depth),
            _ => {}
        }
        self.children(d, pg, depth, inner)
    }

    fn children(&mut self, d: &Dictionary, pg: Option<u32>, depth: usize, cx: Context) -> Held {
        match d.get(b"K") {
            Ok(k) => self.kids(k, pg, depth + 1, cx),
            Err(_) => Held::default(),
        }
    }

    /// A table: its rows (under it or its THead/TBody/TFoot) and cells laid
    /// into a grid by their spans. Tables inside its cells count on their own.
    fn table(&mut self, d: &Dictionary, pg: Option<u32>, depth: usize, cx: Context) -> Held {
        let at = self.counts.tables.len();
        self.counts.tables.push(TreeTable::default());
        let mark = self.counts.tables.len();
        let mut held = Held::default();
        let mut rows: Vec<Vec<TreeCell>> = Vec::new();
        for (role, e, epg) in self.elements_of(d, pg) {
            match role.as_str() {
                "TR" => rows.push(self.row(&e, epg, depth + 1, cx, &mut held)),
                "THead" | "TBody" | "TFoot" => {
                    for (role, r, rpg) in self.elements_of(&e, epg) {
                        if role == "TR" {
                            rows.push(self.row(&r, rpg, depth + 2, cx, &mut held));
                        } else {
                            held.refs.extend(self.children(&r, rpg, depth + 2, cx).refs);
                        }
                    }
                }
                _ => held.refs.extend(self.children(&e, epg, depth + 1, cx).refs),
            }
        }
        rows.retain(|r| !r.is_empty());
        let holds_table = self.counts.tables.len() > mark;
        let t = &mut self.counts.tables[at];
        t.holds_table = holds_table;
        t.page = held.first_page();
        let mut below: Vec<usize> = Vec::new();
        for (r, row) in rows.iter().enumerate() {
            let mut col = 0;
            for c in row {
                while below.get(col).is_some_and(|n| *n > 0) {
                    col += 1;
                }
                if c.content {
                    t.filled.insert((r, col));
                }
                if below.len() < col + c.col_span {
                    below.resize(col + c.col_span, 0);
                }
                for n in &mut below[col..col + c.col_span] {
                    *n = c.row_span;
                }
                col += c.col_span;
            }
            t.cols = t
                .cols
                .max(col)
                .max(below.iter().rposition(|n| *n > 0).map_or(0, |i| i + 1));
            for n in &mut below {
                *n = n.saturating_sub(1);
            }
        }
        // Rows without text are left out, the others counted anew.
        let mut kept: Vec<usize> = t.filled.iter().map(|f| f.0).collect();
        kept.sort_unstable();
        kept.dedup();
        t.rows = kept.len();
        t.filled = t
            .filled
            .iter()
            .map(|&(r, c)| (kept.binary_search(&r).unwrap(), c))
            .collect();
        held
    }

    fn row(
        &mut self,
        d: &Dictionary,
        pg: Option<u32>,
        depth: usize,
        cx: Context,
        held: &mut Held,
    ) -> Vec<TreeCell> {
        let mut cells = Vec::new();
        for (role, c, cpg) in self.elements_of(d, pg) {
            let h = self.children(&c, cpg, depth + 1, cx);
            if matches!(role.as_str(), "TH" | "TD") {
                let (row_span, col_span) = self.spans(&c);
                cells.push(TreeCell {
                    row_span,
                    col_span,
                    content: h.refs.iter().any(|r| self.visible.contains(r)),
                });
            }
            held.refs.extend(h.refs);
        }
        cells
    }

    /// The element kids of `d` (each object once), with their standard role
    /// and page; content kids of a table or a row are not cells.
    fn elements_of(
        &mut self,
        d: &Dictionary,
        pg: Option<u32>,
    ) -> Vec<(String, Dictionary, Option<u32>)> {
        let items: Vec<Object> = match d.get(b"K").ok().and_then(|k| deref(self.pdf, k)) {
            Some(Object::Array(a)) => a.clone(),
            Some(_) => vec![d.get(b"K").unwrap().clone()],
            None => Vec::new(),
        };
        let mut out = Vec::new();
        for o in items {
            if let Ok(id) = o.as_reference() {
                if !self.seen.insert(id) {
                    continue;
                }
            }
            let Some(e) = dict(self.pdf, &o) else {
                continue;
            };
            let Ok(name) = e.get(b"S").and_then(Object::as_name) else {
                continue;
            };
            self.elements += 1;
            let epg = e
                .get(b"Pg")
                .ok()
                .and_then(|p| p.as_reference().ok())
                .and_then(|id| self.page_of.get(&id).copied())
                .or(pg);
            out.push((self.standard(name).unwrap_or_default(), e.clone(), epg));
        }
        out
    }

    /// A cell's `/RowSpan` and `/ColSpan` from its attributes (a dictionary
    /// or an array of them, revision numbers between).
    fn spans(&self, d: &Dictionary) -> (usize, usize) {
        let mut spans = (1, 1);
        let Some(a) = d.get(b"A").ok().and_then(|a| deref(self.pdf, a)) else {
            return spans;
        };
        let attrs: Vec<&Object> = match a {
            Object::Array(v) => v.iter().collect(),
            other => vec![other],
        };
        for a in attrs.into_iter().filter_map(|o| dict(self.pdf, o)) {
            let n = |key: &[u8]| {
                a.get(key)
                    .and_then(Object::as_i64)
                    .ok()
                    .map(|n| n.clamp(1, 64) as usize)
            };
            spans.0 = n(b"RowSpan").unwrap_or(spans.0);
            spans.1 = n(b"ColSpan").unwrap_or(spans.1);
        }
        spans
    }
}

/// One table as plansjekk reads it.
struct ReadTable {
    page: Option<u32>,
    rows: usize,
    cols: usize,
    filled: HashSet<(usize, usize)>,
}

fn read_tables(doc: &Document) -> Vec<ReadTable> {
    doc.tables()
        .map(|(b, t)| ReadTable {
            page: b.span.page,
            rows: t.rows.len(),
            cols: t.width(),
            filled: t
                .rows
                .iter()
                .enumerate()
                .flat_map(|(r, row)| {
                    row.cells
                        .iter()
                        .enumerate()
                        .filter(|(_, c)| !c.merged && !c.is_empty())
                        .map(move |(c, _)| (r, c))
                })
                .collect(),
        })
        .collect()
}

/// How one document compares.
struct Compared {
    name: String,
    tree_items: usize,
    read_items: usize,
    tree_tables: usize,
    read_tables: usize,
    /// Tree tables read as one table with the same grid and filled cells.
    same_cells: usize,
    /// Tree tables a reader would not count as tables (see `not_a_table`).
    not_tables: usize,
    warnings: Vec<String>,
    /// Per page where the counts differ: (page, tree items, read items).
    item_pages: Vec<(Option<u32>, usize, usize)>,
    /// Tables that differ, described.
    table_notes: Vec<String>,
}

fn compare(path: &Path, pdf: &PdfDoc, tree: &TreeCounts) -> Compared {
    let bytes = std::fs::read(path).unwrap();
    let doc = ingest(&bytes, &IngestOptions::default()).expect("a real-dev PDF reads");
    let read_items: Vec<Option<u32>> = doc
        .blocks()
        .filter(|b| matches!(b.kind, BlockKind::ListItem { .. }))
        .map(|b| b.span.page)
        .collect();
    let mut pages: BTreeMap<Option<u32>, (usize, usize)> = BTreeMap::new();
    for p in &tree.items {
        pages.entry(*p).or_default().0 += 1;
    }
    for p in &read_items {
        pages.entry(*p).or_default().1 += 1;
    }
    let read = read_tables(&doc);
    let mut table_notes = Vec::new();
    let mut same_cells = 0;
    let mut not_tables = 0;
    let tables: Vec<&TreeTable> = tree
        .tables
        .iter()
        .filter(|t| match t.not_a_table() {
            Some(why) => {
                not_tables += 1;
                table_notes.push(format!(
                    "  (tree table p{:?} {}x{} {why})",
                    t.page, t.rows, t.cols
                ));
                false
            }
            None => true,
        })
        .collect();
    // Tables pair up in reading order; the reading follows the tree's order.
    for (i, t) in tables.iter().enumerate() {
        match read.get(i) {
            Some(r)
                if r.page == t.page
                    && r.rows == t.rows
                    && r.cols == t.cols
                    && r.filled == t.filled =>
            {
                same_cells += 1
            }
            Some(r) => table_notes.push(format!(
                "tree table {} p{:?} {}x{} ({} filled) read p{:?} {}x{} ({} filled)",
                i + 1,
                t.page,
                t.rows,
                t.cols,
                t.filled.len(),
                r.page,
                r.rows,
                r.cols,
                r.filled.len()
            )),
            None => table_notes.push(format!(
                "tree table {} p{:?} {}x{}: not read",
                i + 1,
                t.page,
                t.rows,
                t.cols
            )),
        }
    }
    for r in read.iter().skip(tables.len()) {
        table_notes.push(format!(
            "read table p{:?} {}x{}: not in the tree",
            r.page, r.rows, r.cols
        ));
    }
    let _ = pdf;
    Compared {
        name: path.file_name().unwrap().to_string_lossy().into(),
        tree_items: tree.items.len(),
        read_items: read_items.len(),
        tree_tables: tables.len(),
        not_tables,
        read_tables: read.len(),
        same_cells,
        warnings: doc.problems.iter().map(|p| p.message.clone()).collect(),
        item_pages: pages
            .into_iter()
            .filter(|(_, (t, r))| t != r)
            .map(|(p, (t, r))| (p, t, r))
            .collect(),
        table_notes,
    }
}

/// List items plansjekk reads where the tree has none, explained:
/// (document, page, why).
const EXTRA_ITEMS: &[(&str, u32, &str)] = &[(
    "menns_bruk_primarhelsetjenester_notat_2024.pdf",
    9,
    "a note under a table, tagged P, begins \"* personer som …\": the layout \
     reading, which still finds typed bullets in paragraphs (producers tag them P), \
     takes the star for a bullet",
)];

#[test]
fn tagged_trees_are_read_as_stated() {
    let Some(shared) = common::shared() else {
        return;
    };
    let dir = shared.join("real-dev");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "pdf"))
        .collect();
    files.sort();
    let mut all = Vec::new();
    for path in &files {
        let Ok(pdf) = PdfDoc::load(path) else {
            continue;
        };
        let Some(tree) = tree_counts(&pdf) else {
            continue;
        };
        all.push((
            compare(path, &pdf, &tree),
            tree.items_aside,
            tree.items_continued,
        ));
    }
    println!(
        "{:<62} {:>9} {:>9} {:>12} {:>10}  fallback",
        "document", "tree LI", "read LI", "tree tables", "read (same)"
    );
    let mut wrong = Vec::new();
    for (c, aside, continued) in &all {
        let fallback = c.warnings.iter().any(|w| w.contains("structure tree"));
        let mut li = c.tree_items.to_string();
        if *continued > 0 {
            li.push_str(&format!("+{continued}c"));
        }
        if *aside > 0 {
            li.push_str(&format!("+{aside}a"));
        }
        let tables = match c.not_tables {
            0 => c.tree_tables.to_string(),
            n => format!("{}+{n}n", c.tree_tables),
        };
        println!(
            "{:<62} {:>9} {:>9} {:>12} {:>5} ({:>2})  {}",
            c.name,
            li,
            c.read_items,
            tables,
            c.read_tables,
            c.same_cells,
            if fallback { "yes" } else { "" }
        );
        for (p, t, r) in &c.item_pages {
            println!("    items p{p:?}: tree {t}, read {r}");
            let explained = EXTRA_ITEMS
                .iter()
                .any(|(doc, page, _)| *doc == c.name && Some(*page) == *p && t < r);
            // A tree read by layout instead states no list items to keep;
            // the layout finds its own (see the warning).
            if !(explained || fallback && *t == 0) {
                wrong.push(format!(
                    "{}: page {p:?}: {t} LI in the tree, {r} list items read",
                    c.name
                ));
            }
        }
        for n in &c.table_notes {
            println!("    {n}");
        }
        if c.same_cells != c.tree_tables || c.read_tables != c.tree_tables {
            wrong.push(format!(
                "{}: {} tables in the tree, {} read, {} of them with the same cells",
                c.name, c.tree_tables, c.read_tables, c.same_cells
            ));
        }
        for w in c.warnings.iter().filter(|w| w.contains("structure tree")) {
            println!("    warning: {w}");
        }
    }
    println!("(LI: +Nc items that go on over a page break, +Na in a TOC or artifact; tables: +Nn not tables to a reader)");
    assert!(
        wrong.is_empty(),
        "read otherwise than the tree states:\n{}",
        wrong.join("\n")
    );
}

/// The outline of a tree (role, page, marked-content ids), for finding out
/// why a document differs: `TAGGED_TREES_DUMP=NAME cargo test --test
/// tagged_trees dump -- --nocapture` prints the tree of each real-dev PDF
/// whose name contains NAME.
#[test]
fn dump() {
    let Ok(want) = std::env::var("TAGGED_TREES_DUMP") else {
        return;
    };
    let Some(shared) = common::shared_dir() else {
        return;
    };
    for e in std::fs::read_dir(shared.join("real-dev"))
        .unwrap()
        .flatten()
    {
        let path = e.path();
        if !path.to_string_lossy().contains(&want) {
            continue;
        }
        let pdf = PdfDoc::load(&path).unwrap();
        let Some(root) = pdf
            .catalog()
            .ok()
            .and_then(|c| c.get(b"StructTreeRoot").ok())
            .and_then(|r| dict(&pdf, r))
        else {
            continue;
        };
        let pages: HashMap<ObjectId, u32> =
            pdf.get_pages().into_iter().map(|(n, id)| (id, n)).collect();
        let mut seen = HashSet::new();
        let mut out = String::new();
        if let Some(m) = root.get(b"RoleMap").ok().and_then(|m| dict(&pdf, m)) {
            for (k, v) in m.iter() {
                out.push_str(&format!(
                    "role {} -> {:?}\n",
                    String::from_utf8_lossy(k),
                    v.as_name().map(String::from_utf8_lossy)
                ));
            }
        }
        if let Ok(k) = root.get(b"K") {
            outline(&pdf, &pages, k, 0, &mut seen, &mut out);
        }
        println!("{}\n{out}", path.display());
    }
}

fn outline(
    pdf: &PdfDoc,
    pages: &HashMap<ObjectId, u32>,
    k: &Object,
    depth: usize,
    seen: &mut HashSet<ObjectId>,
    out: &mut String,
) {
    use std::fmt::Write;
    let items: Vec<Object> = match deref(pdf, k) {
        Some(Object::Array(a)) => a.clone(),
        _ => vec![k.clone()],
    };
    let mut mcids = Vec::new();
    for o in &items {
        if let Ok(n) = o.as_i64() {
            mcids.push(n.to_string());
            continue;
        }
        if let Ok(id) = o.as_reference() {
            if !seen.insert(id) || depth > 60 {
                continue;
            }
        }
        let Some(d) = dict(pdf, o) else { continue };
        if let Ok(n) = d.get(b"MCID").and_then(Object::as_i64) {
            mcids.push(format!("m{n}"));
            continue;
        }
        let Ok(s) = d.get(b"S").and_then(Object::as_name) else {
            continue;
        };
        let pg = d
            .get(b"Pg")
            .ok()
            .and_then(|p| p.as_reference().ok())
            .and_then(|id| pages.get(&id));
        let attrs = d
            .get(b"A")
            .ok()
            .map(|a| format!(" A={:?}", deref(pdf, a)))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "{}{} p{:?}{}",
            "  ".repeat(depth),
            String::from_utf8_lossy(s),
            pg,
            if attrs.contains("Span") {
                attrs
            } else {
                String::new()
            }
        );
        if let Ok(k) = d.get(b"K") {
            outline(pdf, pages, k, depth + 1, seen, out);
        }
    }
    if !mcids.is_empty() {
        let _ = writeln!(out, "{}[{}]", "  ".repeat(depth), mcids.join(" "));
    }
}

//! Ruled tables from ruling lines and glyph positions ("lattice" detection, as
//! pdfplumber and Camelot do it).
//!
//! The ruling lines a page draws are snapped and merged into horizontal and
//! vertical segments; segments that touch form one table; the distinct x of its
//! verticals and y of its horizontals give the grid. Where a boundary is missing
//! between two grid slots the slots are one merged cell. Glyphs are assigned to
//! cells by their centre, so a cell's text wrapped over several lines stays one
//! cell, and a space inside a cell ("1 900 000") is never a cell boundary.
//!
//! Word processors break a word that does not fit a narrow cell in the middle
//! ("Totalbudsj" / "ett", "100" / "00" / "0"); such a fragment fills the cell's
//! width, which is how it is told from a line broken at a space.

use super::glyphs::{Glyph, Rule, Turn};
use super::lines::{self, Line};
use crate::model::{BBox, Cell, TableRow};

/// Segments closer than this (points) are one line; a glyph this far outside a
/// cell still belongs to it.
const SNAP: f32 = 2.0;
/// Pages with more ruling segments than this are drawings, not tables; the
/// pairwise join below must stay bounded on hostile pages.
const MAX_SEGMENTS: usize = 4_000;
/// A grid larger than this is a drawing (hatching, charts), not a table.
const MAX_SLOTS: usize = 20_000;

/// One cell of a ruled table.
#[derive(Clone, Debug, PartialEq)]
pub struct PdfCell {
    pub row: usize,
    pub col: usize,
    pub row_span: usize,
    pub col_span: usize,
    /// x0, y0, x1, y1 in PDF user space.
    pub bbox: [f32; 4],
    /// The cell's lines, top down.
    pub lines: Vec<Line>,
    /// Where text must stop: the right edge less the table's cell padding.
    inner_right: f32,
}

impl PdfCell {
    /// The cell's text: its lines joined as a paragraph's are, except that a
    /// fragment of a word the cell was too narrow for is glued to the rest of
    /// the word. `words` is the document's running text, which tells a word
    /// that happens to fill the cell from a fragment.
    pub fn text(&self, words: &Vocabulary) -> String {
        let mut parts: Vec<String> = Vec::with_capacity(self.lines.len());
        for (i, l) in self.lines.iter().enumerate() {
            let glued = i > 0 && broken_for_width(&self.lines[i - 1], l, self.inner_right, words);
            match parts.last_mut() {
                Some(last) if glued => last.push_str(&l.text),
                _ => parts.push(l.text.clone()),
            }
        }
        let text = crate::model::join_lines(&parts);
        digits_regrouped(&text).unwrap_or(text)
    }
}

/// The words of a document's running text (lower case), to tell a whole word
/// from a fragment of one.
#[derive(Debug, Default)]
pub struct Vocabulary(std::collections::HashSet<String>);

impl Vocabulary {
    pub fn add(&mut self, text: &str) {
        // Most words are known already: looked up in one lower-case buffer,
        // stored only when new.
        let mut lower = String::new();
        for w in text.split(|c: char| !c.is_alphabetic()) {
            if w.chars().count() > 1 {
                if w.is_ascii() {
                    lower.clear();
                    lower.push_str(w);
                    lower.make_ascii_lowercase();
                } else {
                    lower = w.to_lowercase();
                }
                if !self.0.contains(&lower) {
                    self.0.insert(lower.clone());
                }
            }
        }
    }

    fn has(&self, word: &str) -> bool {
        self.0.contains(&word.to_lowercase())
    }

    /// The word or an inflection of it ("kommunal" from "kommunale").
    fn has_stem(&self, word: &str) -> bool {
        let w = word.to_lowercase();
        self.0.contains(&w)
            || ["e", "en", "er", "et", "ene", "ar", "ane", "t", "s"]
                .iter()
                .any(|s| self.0.contains(&format!("{w}{s}")))
    }
}

/// A ruled table found on one page.
#[derive(Clone, Debug, PartialEq)]
pub struct PdfTable {
    /// Column boundaries, left to right.
    pub xs: Vec<f32>,
    /// Row boundaries, top to bottom, on the page where the table starts.
    pub ys: Vec<f32>,
    /// Rows, those joined from following pages included.
    pub rows: usize,
    /// The page of each row (set by the reader, which knows the page).
    pub row_pages: Vec<Option<u32>>,
    pub cells: Vec<PdfCell>,
    /// Text ran on past the table's right edge (a table wider than its frame)
    /// and was read into the cells it continues.
    pub overflow: bool,
    /// Header rows repeated at the top of a following page, left out of the
    /// table: (page's row text).
    pub repeated_headers: Vec<String>,
}

impl PdfTable {
    pub fn top(&self) -> f32 {
        self.ys[0]
    }

    pub fn bottom(&self) -> f32 {
        *self.ys.last().expect("a table has row boundaries")
    }

    pub fn columns(&self) -> usize {
        self.xs.len() - 1
    }

    /// The grid as rows of texts: a merged cell's text sits in its top-left
    /// slot, the slots it covers are empty.
    pub fn grid(&self, words: &Vocabulary) -> Vec<Vec<String>> {
        let mut rows = vec![vec![String::new(); self.columns()]; self.rows];
        for c in &self.cells {
            rows[c.row][c.col] = c.text(words);
        }
        rows
    }

    /// The table's rows for the document model: each grid slot a cell, with
    /// its spans and where it is drawn; covered slots marked; each row its page.
    pub fn table_rows(&self, words: &Vocabulary) -> Vec<TableRow> {
        let mut rows: Vec<TableRow> = (0..self.rows)
            .map(|r| TableRow {
                cells: vec![Cell::new(""); self.columns()],
                page: self.row_pages.get(r).copied().flatten(),
            })
            .collect();
        for c in &self.cells {
            for r in c.row..(c.row + c.row_span).min(self.rows) {
                for k in c.col..(c.col + c.col_span).min(self.columns()) {
                    rows[r].cells[k] = Cell::covered();
                }
            }
            let [x0, y0, x1, y1] = c.bbox;
            rows[c.row].cells[c.col] = Cell {
                text: c.text(words),
                col_span: c.col_span as u16,
                row_span: c.row_span as u16,
                merged: false,
                bbox: Some(BBox { x0, y0, x1, y1 }),
                sheet: None,
                ocr: None,
            };
        }
        rows
    }

    /// A table at the top of the next page with the same column boundaries is
    /// this table, broken by the page.
    pub fn continued_by(&self, next: &PdfTable) -> bool {
        self.xs.len() == next.xs.len()
            && self
                .xs
                .iter()
                .zip(&next.xs)
                .all(|(a, b)| (a - b).abs() <= 3.0)
    }

    /// Appends the part of this table that the next page holds. A repeated
    /// header row is the page's, not the table's; a first row that carries on
    /// the last one (a row the page break cut in two) is joined to it cell by cell.
    pub fn join(&mut self, mut next: PdfTable, words: &Vocabulary) {
        let grid = self.grid(words);
        let next_grid = next.grid(words);
        let mut skip = 0;
        if !next_grid.is_empty() && next_grid.first() == grid.first() {
            next.cells.retain(|c| c.row > 0);
            self.repeated_headers.push(next_grid[0].join("\t"));
            skip = 1;
        }
        if let (Some(last), Some(first)) = (grid.last(), next_grid.get(skip)) {
            let label_goes_on = first.first().is_some_and(|c| {
                c.starts_with(char::is_lowercase) || (c.is_empty() && next.row_is_prose(skip))
            });
            if continues_row(last, first) || label_goes_on {
                let last_row = self.rows - 1;
                for c in next.cells.iter_mut().filter(|c| c.row == skip) {
                    if let Some(o) = self
                        .cells
                        .iter_mut()
                        .find(|o| o.row + o.row_span - 1 == last_row && o.col == c.col)
                    {
                        o.lines.append(&mut c.lines);
                    }
                }
                next.cells.retain(|c| c.row != skip);
                skip += 1;
            }
        }
        let offset = self.rows;
        for mut c in next.cells {
            c.row = c.row - skip + offset;
            self.cells.push(c);
        }
        self.rows += next.rows - skip;
        self.row_pages.extend(next.row_pages.into_iter().skip(skip));
        self.overflow |= next.overflow;
    }

    /// A row that holds running text rather than data: a cell with several
    /// lines of words and few figures among them, either long in itself or
    /// beside at most one other (a form's question and its answer). A row
    /// that fills three or more cells is a record of the table, however long
    /// its texts (a criteria table's property, type, description and checks):
    /// a form sets a question beside its answer, not across three columns.
    pub fn row_is_prose(&self, row: usize) -> bool {
        let cells: Vec<&PdfCell> = self
            .cells
            .iter()
            .filter(|c| c.row == row && !c.lines.is_empty())
            .collect();
        if cells.len() >= 3 {
            return false;
        }
        let size = |c: &PdfCell| -> (usize, usize) {
            c.lines.iter().fold((0, 0), |(n, d), l| {
                let t = &l.text;
                (
                    n + t.chars().count(),
                    d + t.chars().filter(char::is_ascii_digit).count(),
                )
            })
        };
        let (chars, digits) = cells.iter().fold((0, 0), |(n, d), c| {
            let (cn, cd) = size(c);
            (n + cn, d + cd)
        });
        let wordy = digits * 5 < chars;
        let long_cell = cells.iter().any(|c| c.lines.len() >= 4 && size(c).0 >= 200);
        let answer = cells.len() <= 2 && chars >= 100 && cells.iter().any(|c| c.lines.len() >= 2);
        wordy && (long_cell || answer)
    }
}

/// The upright, non-blank glyphs not yet `taken` whose centre lies within
/// `xs` (inclusive) and strictly between the `ys` (bottom, top).
fn free_glyphs_in<'g>(
    glyphs: &[&'g Glyph],
    taken: &[bool],
    (left, right): (f32, f32),
    (bottom, top): (f32, f32),
) -> Vec<&'g Glyph> {
    glyphs
        .iter()
        .zip(taken)
        .filter(|&(g, &taken)| {
            let (cx, cy) = centre(g);
            !taken
                && g.upright()
                && !g.text.trim().is_empty()
                && (left..=right).contains(&cx)
                && cy < top
                && cy > bottom
        })
        .map(|(g, _)| *g)
        .collect()
}

fn centre(g: &Glyph) -> (f32, f32) {
    match g.turn {
        Turn::Up => (g.x - 0.3 * g.size, g.y + g.width / 2.0),
        Turn::Down => (g.x + 0.3 * g.size, g.y - g.width / 2.0),
        Turn::Upright | Turn::Other => (g.x + g.width / 2.0, g.y + 0.3 * g.size),
    }
}

#[derive(Clone, Copy, Debug)]
struct HSeg {
    y: f32,
    x0: f32,
    x1: f32,
}

#[derive(Clone, Copy, Debug)]
struct VSeg {
    x: f32,
    y0: f32,
    y1: f32,
}

/// Finds the ruled tables of a page and returns them with the glyphs that lie
/// outside every table (the page's running text), in their original order.
pub fn find<'g>(glyphs: &'g [Glyph], rules: &[Rule]) -> (Vec<PdfTable>, Vec<&'g Glyph>) {
    let mut all: Vec<&Glyph> = glyphs.iter().collect();
    if rules.is_empty() || rules.len() > MAX_SEGMENTS {
        return (Vec::new(), all);
    }
    let (hs, vs) = segments(rules);
    let mut tables = Vec::new();
    let mut taken = vec![false; all.len()];
    // Tables ruled between their rows only (no verticals): the columns come
    // from how the text lines up.
    let free: Vec<HSeg> = hs
        .iter()
        .filter(|h| !vs.iter().any(|v| touches(h, v)))
        .copied()
        .collect();
    let (mut parts, free) = attach_ruled_bodies(components(&hs, &vs), free);
    // Smallest first: a table drawn inside another's cell keeps its own text.
    parts.sort_by(|a, b| area(a).total_cmp(&area(b)));
    for (h, v) in parts {
        if let Some((t, used)) = lattice(&h, &v, &all, &taken) {
            for i in used {
                taken[i] = true;
            }
            tables.push(t);
        }
    }
    for group in rule_stacks(&free) {
        let Some(v) = stream_columns(&group, &all, &taken) else {
            continue;
        };
        if let Some((t, used)) = lattice(&group, &v, &all, &taken) {
            for i in used {
                taken[i] = true;
            }
            tables.push(t);
        }
    }
    tables.sort_by(|a, b| b.top().total_cmp(&a.top()));
    let mut i = 0;
    all.retain(|_| {
        i += 1;
        !taken[i - 1]
    });
    (tables, all)
}

/// A header ruled into columns over a body ruled between its rows only: the
/// body's rules touch no vertical, yet they carry on the header's band — as
/// wide, the first within a row's height of its foot. They join the header's
/// component, whose columns then run on through the body wherever the text
/// leaves them clear (`clean_cut`). Only a band of one or two ruled rows is a
/// header so continued; a whole ruled table above keeps its own rows. Returns
/// the components and the free rules left.
fn attach_ruled_bodies(
    mut parts: Vec<Component>,
    mut free: Vec<HSeg>,
) -> (Vec<Component>, Vec<HSeg>) {
    free.sort_by(|a, b| b.y.total_cmp(&a.y));
    for (hs, _) in parts
        .iter_mut()
        .filter(|(hs, _)| clusters(hs.iter().map(|h| h.y).collect()).len() <= 3)
    {
        let x0 = hs.iter().map(|h| h.x0).fold(f32::INFINITY, f32::min);
        let x1 = hs.iter().map(|h| h.x1).fold(f32::NEG_INFINITY, f32::max);
        let mut foot = hs.iter().map(|h| h.y).fold(f32::INFINITY, f32::min);
        free.retain(|h| {
            let carries_on = h.y < foot - SNAP
                && foot - h.y <= MAX_ROW_HEIGHT
                && (h.x0 - x0).abs() <= 3.0
                && (h.x1 - x1).abs() <= 3.0;
            if carries_on {
                hs.push(*h);
                foot = h.y;
            }
            !carries_on
        });
    }
    (parts, free)
}

fn segments(rules: &[Rule]) -> (Vec<HSeg>, Vec<VSeg>) {
    let mut hs: Vec<HSeg> = Vec::new();
    let mut vs: Vec<VSeg> = Vec::new();
    for r in rules {
        let (w, h) = (r.x1 - r.x0, r.y1 - r.y0);
        if h < SNAP && w > SNAP {
            hs.push(HSeg {
                y: (r.y0 + r.y1) / 2.0,
                x0: r.x0,
                x1: r.x1,
            });
        } else if w < SNAP && h > SNAP {
            vs.push(VSeg {
                x: (r.x0 + r.x1) / 2.0,
                y0: r.y0,
                y1: r.y1,
            });
        }
    }
    // Collinear pieces that touch are one line (Chromium draws every cell's
    // border separately; Word draws each row's).
    let merged_h = merge_collinear(
        hs,
        |h| (h.y, h.x0, h.x1),
        |h, lo, hi| (h.x0, h.x1) = (lo, hi),
    );
    let merged_v = merge_collinear(
        vs,
        |v| (v.x, v.y0, v.y1),
        |v, lo, hi| (v.y0, v.y1) = (lo, hi),
    );
    (merged_h, merged_v)
}

fn area((hs, vs): &(Vec<HSeg>, Vec<VSeg>)) -> f32 {
    let w = hs.iter().map(|h| h.x1).fold(f32::MIN, f32::max)
        - hs.iter().map(|h| h.x0).fold(f32::MAX, f32::min);
    let h = vs.iter().map(|v| v.y1).fold(f32::MIN, f32::max)
        - vs.iter().map(|v| v.y0).fold(f32::MAX, f32::min);
    w * h
}

/// Horizontal rules of one width stacked close together: three or more, each
/// within a few lines of the next: the rules of a table without verticals.
/// Joins segments on one line (`at`) whose extents (`lo`..`hi`) touch.
fn merge_collinear<T>(
    mut segs: Vec<T>,
    key: impl Fn(&T) -> (f32, f32, f32),
    set: impl Fn(&mut T, f32, f32),
) -> Vec<T> {
    segs.sort_by(|a, b| {
        let (ka, kb) = (key(a), key(b));
        ka.0.total_cmp(&kb.0).then(ka.1.total_cmp(&kb.1))
    });
    let mut merged: Vec<T> = Vec::with_capacity(segs.len());
    for s in segs {
        let (at, lo, hi) = key(&s);
        let into = merged
            .iter_mut()
            .rev()
            .take_while(|m| (key(m).0 - at).abs() <= SNAP)
            .find(|m| {
                let (_, mlo, mhi) = key(m);
                lo <= mhi + SNAP && hi >= mlo - SNAP
            });
        match into {
            Some(m) => {
                let (_, mlo, mhi) = key(m);
                set(m, mlo.min(lo), mhi.max(hi));
            }
            None => merged.push(s),
        }
    }
    merged
}

fn rule_stacks(free: &[HSeg]) -> Vec<Vec<HSeg>> {
    let mut sorted = free.to_vec();
    sorted.sort_by(|a, b| b.y.total_cmp(&a.y));
    let mut stacks: Vec<Vec<HSeg>> = Vec::new();
    for h in sorted {
        let fits = stacks.last().and_then(|s| s.last()).is_some_and(|l| {
            (l.x0 - h.x0).abs() <= 3.0 && (l.x1 - h.x1).abs() <= 3.0 && l.y - h.y <= MAX_ROW_HEIGHT
        });
        match stacks.last_mut() {
            Some(s) if fits => s.push(h),
            _ => stacks.push(vec![h]),
        }
    }
    stacks.retain(|s| s.len() >= 3);
    stacks
}

/// The tallest row a table ruled between rows only is taken to have (points).
const MAX_ROW_HEIGHT: f32 = 60.0;

/// Column boundaries for a stack of rules, from the text between them: each
/// line is cut where a gap of about an em or more opens (wider than a word
/// space, and than the thin space inside "1 749 716 066"); the pieces of all
/// rows projected on x leave free lanes, and a boundary goes down the middle of
/// each. `None` when fewer than two columns appear: text between rules is not
/// yet a table.
fn stream_columns(hs: &[HSeg], glyphs: &[&Glyph], taken: &[bool]) -> Option<Vec<VSeg>> {
    let (x0, x1) = (hs[0].x0, hs[0].x1);
    let (top, bottom) = (hs[0].y, hs[hs.len() - 1].y);
    let mut pieces: Vec<(f32, f32)> = Vec::new();
    let mut rows: Vec<Vec<&Glyph>> = Vec::new();
    let mut sorted = free_glyphs_in(glyphs, taken, (x0 - SNAP, x1 + SNAP), (bottom, top));
    sorted.sort_by(|a, b| b.y.total_cmp(&a.y).then(a.x.total_cmp(&b.x)));
    for g in sorted {
        match rows.last_mut() {
            Some(r) if (r[0].y - g.y).abs() <= 0.45 * r[0].size.max(g.size) => r.push(g),
            _ => rows.push(vec![g]),
        }
    }
    for mut r in rows {
        r.sort_by(|a, b| a.x.total_cmp(&b.x));
        let mut start = r[0].x;
        let mut end = r[0].x + r[0].width;
        for g in &r[1..] {
            if g.x - end > g.size {
                pieces.push((start, end));
                start = g.x;
            }
            end = end.max(g.x + g.width);
        }
        pieces.push((start, end));
    }
    pieces.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut lanes: Vec<(f32, f32)> = Vec::new();
    for (a, b) in pieces {
        match lanes.last_mut() {
            Some(l) if a <= l.1 + 1.0 => l.1 = l.1.max(b),
            _ => lanes.push((a, b)),
        }
    }
    if lanes.len() < 2 {
        return None;
    }
    let mut xs = vec![x0];
    xs.extend(lanes.windows(2).map(|w| (w[0].1 + w[1].0) / 2.0));
    xs.push(x1);
    Some(
        xs.into_iter()
            .map(|x| VSeg {
                x,
                y0: bottom,
                y1: top,
            })
            .collect(),
    )
}

fn touches(h: &HSeg, v: &VSeg) -> bool {
    v.x >= h.x0 - SNAP && v.x <= h.x1 + SNAP && h.y >= v.y0 - SNAP && h.y <= v.y1 + SNAP
}

/// A table's ruling lines: its horizontals and verticals.
type Component = (Vec<HSeg>, Vec<VSeg>);

/// Groups segments that touch, directly or through others, into one table each.
fn components(hs: &[HSeg], vs: &[VSeg]) -> Vec<Component> {
    let n = hs.len() + vs.len();
    let mut parent: Vec<usize> = (0..n).collect();
    fn root(p: &mut [usize], mut i: usize) -> usize {
        while p[i] != i {
            p[i] = p[p[i]];
            i = p[i];
        }
        i
    }
    for (i, h) in hs.iter().enumerate() {
        for (j, v) in vs.iter().enumerate() {
            if touches(h, v) {
                let (a, b) = (root(&mut parent, i), root(&mut parent, hs.len() + j));
                parent[a] = b;
            }
        }
    }
    let mut groups: Vec<(usize, Vec<HSeg>, Vec<VSeg>)> = Vec::new();
    for i in 0..n {
        let r = root(&mut parent, i);
        let k = match groups.iter().position(|g| g.0 == r) {
            Some(k) => k,
            None => {
                groups.push((r, Vec::new(), Vec::new()));
                groups.len() - 1
            }
        };
        if i < hs.len() {
            groups[k].1.push(hs[i]);
        } else {
            groups[k].2.push(vs[i - hs.len()]);
        }
    }
    groups
        .into_iter()
        .filter(|(_, h, v)| !h.is_empty() && v.len() >= 2)
        .map(|(_, mut h, v)| {
            close_frame(&mut h, &v);
            (h, v)
        })
        .filter(|(h, _)| h.len() >= 2)
        .collect()
}

/// A table cut by a page break is drawn without its top or bottom border on
/// one of the pages: where the verticals run past the last horizontal, their
/// ends close the frame.
fn close_frame(hs: &mut Vec<HSeg>, vs: &[VSeg]) {
    let x0 = vs.iter().map(|v| v.x).fold(f32::INFINITY, f32::min);
    let x1 = vs.iter().map(|v| v.x).fold(f32::NEG_INFINITY, f32::max);
    let top = vs.iter().map(|v| v.y1).fold(f32::NEG_INFINITY, f32::max);
    let bottom = vs.iter().map(|v| v.y0).fold(f32::INFINITY, f32::min);
    for y in [top, bottom] {
        if !hs.iter().any(|h| (h.y - y).abs() <= SNAP) {
            hs.push(HSeg { y, x0, x1 });
        }
    }
}

/// Distinct positions, each cluster of values within `SNAP` counted once.
fn clusters(mut values: Vec<f32>) -> Vec<f32> {
    values.sort_by(f32::total_cmp);
    let mut out: Vec<f32> = Vec::new();
    for v in values {
        match out.last() {
            Some(&l) if v - l <= SNAP => {}
            _ => out.push(v),
        }
    }
    out
}

/// The table a component of ruling lines draws, and the indices of the glyphs
/// it holds.
fn lattice(
    hs: &[HSeg],
    vs: &[VSeg],
    glyphs: &[&Glyph],
    taken: &[bool],
) -> Option<(PdfTable, Vec<usize>)> {
    let xs = open_sides(clusters(vs.iter().map(|v| v.x).collect()), hs);
    let mut ys = clusters(hs.iter().map(|h| h.y).collect());
    ys.reverse();
    if ys.len() < 2 || xs.len() < 2 || (ys.len() - 1) * (xs.len() - 1) > MAX_SLOTS {
        return None;
    }
    // Rows of figures set between two rules without a rule of their own.
    let unruled = unruled_rows(&xs, &ys, glyphs, taken);
    ys.extend(unruled.iter().copied());
    ys.sort_by(|a, b| b.total_cmp(a));
    let (nr, nc) = (ys.len() - 1, xs.len() - 1);
    if nr * nc < 2 || nr * nc > MAX_SLOTS {
        return None;
    }
    // The glyphs the table may hold, to test boundaries no rule draws.
    let inside: &[&Glyph] = &free_glyphs_in(glyphs, taken, (xs[0], xs[nc]), (ys[nr], ys[0]));
    let v_edge = |c: usize, r: usize| {
        let mid = (ys[r] + ys[r + 1]) / 2.0;
        vs.iter()
            .any(|v| (v.x - xs[c]).abs() <= SNAP && v.y0 <= mid && v.y1 >= mid)
            || (c > 0
                && c < nc
                && nr * nc <= 4_000
                && clean_cut(inside, xs[c], (xs[c - 1], xs[c + 1]), (ys[r + 1], ys[r])))
    };
    let h_edge = |r: usize, c: usize| {
        let mid = (xs[c] + xs[c + 1]) / 2.0;
        unruled.contains(&ys[r])
            || hs
                .iter()
                .any(|h| (h.y - ys[r]).abs() <= SNAP && h.x0 <= mid && h.x1 >= mid)
    };
    let (owner, spans) = merge_slots(nr, nc, v_edge, h_edge);
    if spans.len() < 2 {
        return None;
    }
    let (content, used, overflow) = assign_glyphs(glyphs, taken, (&xs, &ys), &owner, spans.len());
    if content.iter().filter(|c| !c.is_empty()).count() < 2 || !holds_a_table(&spans, &content, nr)
    {
        return None;
    }
    let cells = table_cells(&spans, content, &xs, &ys);
    Some((
        PdfTable {
            xs,
            ys,
            rows: nr,
            row_pages: vec![None; nr],
            cells,
            overflow,
            repeated_headers: Vec::new(),
        },
        used,
    ))
}

/// Merged cells: a slot joins its right neighbour where no vertical boundary
/// stands between them (`v_edge(c, r)`), and the row below where no
/// horizontal one does (`h_edge(r, c)`). Returns each slot's cell and the
/// cells as (row, column, row span, column span).
#[allow(clippy::type_complexity)]
fn merge_slots(
    nr: usize,
    nc: usize,
    v_edge: impl Fn(usize, usize) -> bool,
    h_edge: impl Fn(usize, usize) -> bool,
) -> (Vec<Option<usize>>, Vec<(usize, usize, usize, usize)>) {
    let mut owner: Vec<Option<usize>> = vec![None; nr * nc];
    let mut spans: Vec<(usize, usize, usize, usize)> = Vec::new();
    for r in 0..nr {
        for c in 0..nc {
            if owner[r * nc + c].is_some() {
                continue;
            }
            let mut c1 = c + 1;
            while c1 < nc && !v_edge(c1, r) && owner[r * nc + c1].is_none() {
                c1 += 1;
            }
            let mut r1 = r + 1;
            while r1 < nr && (c..c1).all(|k| !h_edge(r1, k) && owner[r1 * nc + k].is_none()) {
                r1 += 1;
            }
            for rr in r..r1 {
                for cc in c..c1 {
                    owner[rr * nc + cc] = Some(spans.len());
                }
            }
            spans.push((r, c, r1 - r, c1 - c));
        }
    }
    (owner, spans)
}

/// The glyphs of each cell (upright or turned, not taken by another table),
/// by their centres; text running on past the right edge on a cell's
/// baseline, with no more than a word space between, belongs to that cell: a
/// number cut at the frame ("620" | "000") would otherwise read as another
/// figure. Returns the cells' glyphs, the glyphs used, and whether any ran over.
fn assign_glyphs<'g>(
    glyphs: &[&'g Glyph],
    taken: &[bool],
    (xs, ys): (&[f32], &[f32]),
    owner: &[Option<usize>],
    cells: usize,
) -> (Vec<Vec<&'g Glyph>>, Vec<usize>, bool) {
    let nc = xs.len() - 1;
    let mut content: Vec<Vec<&Glyph>> = vec![Vec::new(); cells];
    let mut used = Vec::new();
    let mut outside = Vec::new();
    for (i, g) in glyphs
        .iter()
        .enumerate()
        .filter(|&(i, g)| matches!(g.turn, Turn::Upright | Turn::Up | Turn::Down) && !taken[i])
    {
        let (cx, cy) = centre(g);
        let Some(r) = slot(ys, cy, true) else {
            continue;
        };
        let Some(c) = slot(xs, cx, false) else {
            if cx > xs[nc] {
                outside.push((i, r));
            }
            continue;
        };
        if let Some(o) = owner[r * nc + c] {
            content[o].push(g);
            used.push(i);
        }
    }
    outside.sort_by(|a, b| glyphs[a.0].x.total_cmp(&glyphs[b.0].x));
    let mut overflow = false;
    for (i, r) in outside {
        let g = glyphs[i];
        let Some(o) = owner[r * nc + nc - 1] else {
            continue;
        };
        let continues = content[o].iter().any(|p| {
            (p.y - g.y).abs() < 0.3 * g.size && p.x < g.x && p.x + p.width + g.size >= g.x
        });
        if continues {
            content[o].push(g);
            used.push(i);
            overflow = true;
        }
    }
    (content, used, overflow)
}

/// The cells of a ruled table: each span's box, its lines, and how far its
/// text may run before a word was glued (the cell padding: the smallest gap
/// between a cell's left edge and its text).
fn table_cells(
    spans: &[(usize, usize, usize, usize)],
    content: Vec<Vec<&Glyph>>,
    xs: &[f32],
    ys: &[f32],
) -> Vec<PdfCell> {
    let boxes: Vec<[f32; 4]> = spans
        .iter()
        .map(|&(r, c, rs, cs)| [xs[c], ys[r + rs], xs[c + cs], ys[r]])
        .collect();
    let lines: Vec<(Vec<Line>, bool)> = content.into_iter().map(cell_lines).collect();
    // The cell padding: the smallest gap between a cell's left edge and its text.
    let padding = lines
        .iter()
        .zip(&boxes)
        .filter(|((_, turned), _)| !turned)
        .flat_map(|((ls, _), b)| ls.iter().map(move |l| l.x0 - b[0]))
        .fold(f32::INFINITY, f32::min)
        .max(0.0);
    spans
        .iter()
        .zip(lines)
        .zip(boxes)
        .map(|((&(r, c, rs, cs), (lines, turned)), bbox)| PdfCell {
            row: r,
            col: c,
            row_span: rs,
            col_span: cs,
            bbox,
            lines,
            // Turned text is never glued: its width is the cell's height.
            inner_right: if turned {
                f32::INFINITY
            } else {
                bbox[2] - padding
            },
        })
        .collect()
}

/// The narrowest column an open side is taken to hold (points).
const MIN_OPEN_COLUMN: f32 = 6.0;

/// Column boundaries with the table's open sides closed. Many reports rule
/// between the columns but draw no vertical at the table's outer edges: the
/// row label column (and a last column) lies between the page-wide
/// horizontals' ends and the first (last) vertical. Where at least two
/// horizontals run on past the outermost vertical by more than a narrow
/// column, their common end is a boundary too, so that column is read with
/// its rows instead of being left to the running text.
fn open_sides(mut xs: Vec<f32>, hs: &[HSeg]) -> Vec<f32> {
    let (Some(&first), Some(&last)) = (xs.first(), xs.last()) else {
        return xs;
    };
    // The outermost end that two or more horizontals share.
    let shared = |ends: Vec<f32>| -> Option<f32> {
        let mut ends = ends;
        ends.sort_by(f32::total_cmp);
        ends.windows(2).find(|w| w[1] - w[0] <= SNAP).map(|w| w[0])
    };
    let left = shared(
        hs.iter()
            .map(|h| h.x0)
            .filter(|&x| x < first - MIN_OPEN_COLUMN)
            .collect(),
    );
    let right = shared(
        hs.iter()
            .map(|h| -h.x1)
            .filter(|&x| -x > last + MIN_OPEN_COLUMN)
            .collect(),
    );
    if let Some(x) = left {
        xs.insert(0, x);
    }
    if let Some(x) = right {
        xs.push(-x);
    }
    xs
}

/// Whether a ruled grid holds a table rather than framing something else: at
/// least two columns with text, at least two rows with text where the rules
/// draw several unless its one row holds words (a chart's axis labels in a box
/// fill one row with figures), and the
/// grid not mostly empty (a chart's gridlines around a few data labels).
fn holds_a_table(
    spans: &[(usize, usize, usize, usize)],
    content: &[Vec<&Glyph>],
    nr: usize,
) -> bool {
    let filled: Vec<&(usize, usize, usize, usize)> = spans
        .iter()
        .zip(content)
        .filter(|(_, c)| c.iter().any(|g| !g.text.trim().is_empty()))
        .map(|(s, _)| s)
        .collect();
    let mut rows: Vec<usize> = filled.iter().map(|s| s.0).collect();
    let mut cols: Vec<usize> = filled.iter().map(|s| s.1).collect();
    rows.sort_unstable();
    rows.dedup();
    cols.sort_unstable();
    cols.dedup();
    // One row of words over ruled rows left blank is a form to fill in; one
    // row of figures (a chart's axis) is not a table.
    let worded = spans
        .iter()
        .zip(content)
        .filter(|(_, c)| c.iter().any(|g| g.text.chars().any(char::is_alphabetic)))
        .count();
    let slots = rows.len() * cols.len();
    // A table relates its cells along rows: some row holds two of them. A
    // chart's gridlines around scattered data labels hold one per row.
    let paired = rows
        .iter()
        .any(|&r| filled.iter().filter(|s| s.0 == r).count() >= 2);
    cols.len() >= 2
        && paired
        && (rows.len() >= 2 || nr == 1 || worded >= 2)
        && (slots < 12 || filled.len() * 4 >= slots)
        && !charts_axis(spans, content)
}

/// Whether the ruled grid is a chart's plot area (see `lines::reads_as_chart`).
fn charts_axis(spans: &[(usize, usize, usize, usize)], content: &[Vec<&Glyph>]) -> bool {
    let nr = spans.iter().map(|s| s.0 + s.2).max().unwrap_or(0);
    let nc = spans.iter().map(|s| s.1 + s.3).max().unwrap_or(0);
    let mut grid = vec![vec![String::new(); nc]; nr];
    for (&(r, c, _, _), glyphs) in spans.iter().zip(content) {
        let mut gs = glyphs.clone();
        gs.sort_by(|a, b| b.y.total_cmp(&a.y).then(a.x.total_cmp(&b.x)));
        grid[r][c] = gs.iter().map(|g| g.text.trim()).collect();
    }
    lines::reads_as_chart(&grid)
}

/// A slot boundary with no rule drawn that the text still respects: no glyph
/// of the band straddles `x`, text lies on both sides, and on every line that
/// has text on both sides the gap at `x` is wider than a word space (an em or
/// so). A header ruled into columns over a body ruled only between its rows
/// keeps its columns in the body this way; a heading centred over two columns
/// straddles the boundary and stays one cell.
fn clean_cut(
    inside: &[&Glyph],
    x: f32,
    (left, right): (f32, f32),
    (bottom, top): (f32, f32),
) -> bool {
    let band: Vec<&Glyph> = inside
        .iter()
        .filter(|g| {
            let (cx, cy) = centre(g);
            cx > left && cx < right && cy > bottom && cy < top
        })
        .copied()
        .collect();
    if band
        .iter()
        .any(|g| g.x < x - 0.5 && g.x + g.width > x + 0.5)
    {
        return false;
    }
    let (mut both, mut clean) = (0, true);
    for row in lines::rows_of(band) {
        let k = row.partition_point(|g| g.x + g.width / 2.0 < x);
        if k == 0 || k == row.len() {
            continue;
        }
        both += 1;
        let gap = row[k].x - (row[k - 1].x + row[k - 1].width);
        clean &= gap >= 0.8 * row[k].size.max(row[k - 1].size);
    }
    both > 0 && clean
}

/// Row boundaries a ruled table leaves out: between two rules, several
/// lines of figures whose baselines line up across columns are several rows
/// (tables ruled only under the header and at the foot). The cut goes between
/// baselines shared by at least two columns; a line found in one column only
/// is the wrapped rest of the cell above unless it starts a new label
/// (upper case or a figure). Rows of words only (a header wrapped over two
/// lines in every column) are left whole.
/// The free upright glyphs with text of a page, by the height of their
/// centre: each row between two rules takes its glyphs from one stretch of
/// them instead of testing every glyph of the page.
struct GlyphHeights {
    /// (height of the centre, index), sorted by height.
    sorted: Vec<(f32, usize)>,
    /// Glyphs whose centre has no height (NaN): every row tests them.
    unplaced: Vec<usize>,
}

impl GlyphHeights {
    /// The glyphs that may lie between two of the row boundaries `ys`:
    /// above the lowest and below the highest (all, if one is NaN).
    fn new(glyphs: &[&Glyph], taken: &[bool], ys: &[f32]) -> GlyphHeights {
        let (mut sorted, mut unplaced) = (Vec::new(), Vec::new());
        let bounded = !ys.is_empty() && ys.iter().all(|y| !y.is_nan());
        let low = ys.iter().copied().fold(f32::INFINITY, f32::min);
        let high = ys.iter().copied().fold(f32::NEG_INFINITY, f32::max);
        for (i, g) in glyphs.iter().enumerate() {
            let cy = centre(g).1;
            // In no row (a NaN centre is kept: the rows' tests let it through).
            if bounded && (cy <= low || cy >= high) {
                continue;
            }
            if taken[i] || !g.upright() || g.text.trim().is_empty() {
                continue;
            }
            if cy.is_nan() {
                unplaced.push(i);
            } else {
                sorted.push((cy, i));
            }
        }
        sorted.sort_by(|a, b| a.0.total_cmp(&b.0));
        GlyphHeights { sorted, unplaced }
    }

    /// The glyphs whose centre lies strictly between `bottom` and `top`, in
    /// the page's order (as a scan of all glyphs finds them; a NaN centre
    /// passes as the scan's comparisons let it).
    fn between(&self, bottom: f32, top: f32) -> Vec<usize> {
        if bottom.is_nan() || top.is_nan() {
            let mut out: Vec<usize> = self
                .sorted
                .iter()
                .filter(|&&(cy, _)| !(cy >= top || cy <= bottom))
                .map(|&(_, i)| i)
                .chain(self.unplaced.iter().copied())
                .collect();
            out.sort_unstable();
            return out;
        }
        let from = self.sorted.partition_point(|&(cy, _)| cy <= bottom);
        let to = self.sorted.partition_point(|&(cy, _)| cy < top);
        let mut out: Vec<usize> = self.sorted[from..to.max(from)]
            .iter()
            .map(|&(_, i)| i)
            .chain(self.unplaced.iter().copied())
            .collect();
        out.sort_unstable();
        out
    }
}

fn unruled_rows(xs: &[f32], ys: &[f32], glyphs: &[&Glyph], taken: &[bool]) -> Vec<f32> {
    let mut out = Vec::new();
    let nc = xs.len() - 1;
    let heights = GlyphHeights::new(glyphs, taken, ys);
    for r in 0..ys.len() - 1 {
        let (top, bottom) = (ys[r], ys[r + 1]);
        // (baseline, size, columns holding it, a line there starts a label,
        // a line there goes on from the line above)
        let mut by_col: Vec<Vec<&Glyph>> = vec![Vec::new(); nc];
        for i in heights.between(bottom, top) {
            let g = glyphs[i];
            if let Some(c) = slot(xs, centre(g).0, false) {
                by_col[c].push(g);
            }
        }
        let cols: Vec<Vec<Vec<&Glyph>>> = by_col.into_iter().map(lines::rows_of).collect();
        // A whole figure: mostly digits, not cut off after a comma or a dash
        // ("2024," over "2025," is one cell wrapped, not rows).
        // (`mostly`: digits at least half the letters and digits; else any digit.)
        let figures = |l: &[&Glyph], mostly: bool| {
            let t: String = l.iter().map(|g| &*g.text).collect();
            let t = t.trim();
            let digits = t.chars().filter(char::is_ascii_digit).count();
            digits > 0
                && (!mostly || digits * 2 >= t.chars().filter(|c| c.is_alphanumeric()).count())
                && !t.ends_with([',', '-', '–', '/', '+', '&'])
        };
        // A column of entries that each hold a figure ("$9,594 or less",
        // "Greater than $25,771"), line for line beside the labels, marks rows
        // as a column of bare figures does.
        let labels = cols.iter().find(|ls| !ls.is_empty()).map_or(0, Vec::len);
        let numeric_cols = cols
            .iter()
            .filter(|ls| {
                ls.len() >= 3
                    && (ls.iter().all(|l| figures(l, true))
                        || (ls.len() == labels && ls.iter().all(|l| figures(l, false))))
            })
            .count();
        if numeric_cols == 0 {
            continue;
        }
        let mut baselines: Vec<(f32, f32, usize, bool, bool)> = Vec::new();
        let first = cols.iter().position(|ls| !ls.is_empty());
        for (c, ls) in cols.iter().enumerate() {
            for l in ls {
                let (y, size) = (l[0].y, l[0].size);
                let starts = l[0]
                    .text
                    .starts_with(|c: char| c.is_uppercase() || c.is_ascii_digit());
                // A label wrapped before its parenthesis goes on with it
                // ("Federal Risk … Program" over "(FedRAMP)"); in the label
                // column only, as "(717 000)" or "(X)" among figures is a value.
                let text: String = l.iter().map(|g| &*g.text).collect();
                let parenthesis = Some(c) == first
                    && text
                        .strip_prefix('(')
                        .is_some_and(|t| t.starts_with(char::is_alphabetic));
                let goes_on = l[0].text.starts_with(char::is_lowercase) || parenthesis;
                match baselines
                    .iter_mut()
                    .find(|b| (b.0 - y).abs() <= 0.45 * b.1.max(size))
                {
                    Some(b) => {
                        b.2 += 1;
                        b.3 |= starts;
                        b.4 |= goes_on;
                    }
                    None => baselines.push((y, size, 1, starts, goes_on)),
                }
            }
        }
        if baselines.iter().filter(|b| b.2 >= 2).count() < 2 {
            continue;
        }
        baselines.sort_by(|a, b| b.0.total_cmp(&a.0));
        for w in baselines.windows(2) {
            let (above, below) = (w[0], w[1]);
            if (below.2 >= 2 || below.3) && !below.4 {
                // Between the glyph centres of the two lines.
                let mid = (above.0 + below.0) / 2.0 + 0.3 * below.1;
                if mid < top - SNAP && mid > bottom + SNAP {
                    out.push(mid);
                }
            }
        }
    }
    out
}

/// A row the page break cut in two: the part on the new page only carries on
/// texts of the row before (no figures, no new label), and leaves empty some
/// of the cells that row filled.
fn continues_row(last: &[String], first: &[String]) -> bool {
    let filled = |c: &String| !c.trim().is_empty();
    last.len() == first.len()
        && first.iter().any(filled)
        && first
            .iter()
            .zip(last)
            .all(|(f, l)| !filled(f) || (filled(l) && !f.chars().any(|c| c.is_ascii_digit())))
        && first.iter().zip(last).any(|(f, l)| filled(l) && !filled(f))
}

/// A cell's lines. A cell set mostly in quarter-turned text (a narrow column's
/// header) is read in its own direction.
/// Also says whether the cell reads turned (its lines' x are then not the page's).
fn cell_lines(glyphs: Vec<&Glyph>) -> (Vec<Line>, bool) {
    let (upright, turned): (Vec<&Glyph>, Vec<&Glyph>) =
        glyphs.into_iter().partition(|g| g.turn == Turn::Upright);
    let views: Vec<Glyph> = turned.iter().map(|g| g.upright_view()).collect();
    let mut turned = lines::lines_of(views.iter().collect(), &[]);
    let mut lines = lines::lines_of(upright, &[]);
    let reads_turned = turned.len() > lines.len();
    if reads_turned {
        std::mem::swap(&mut turned, &mut lines);
    }
    lines.append(&mut turned);
    (lines, reads_turned)
}

/// The slot of `v` between consecutive boundaries (ascending, or descending
/// when `desc`), with `SNAP` of slack at the outer edges.
fn slot(bounds: &[f32], v: f32, desc: bool) -> Option<usize> {
    let n = bounds.len();
    let (lo, hi) = if desc {
        (bounds[n - 1], bounds[0])
    } else {
        (bounds[0], bounds[n - 1])
    };
    if v < lo - SNAP || v > hi + SNAP {
        return None;
    }
    let k = if desc {
        bounds.partition_point(|&b| b > v)
    } else {
        bounds.partition_point(|&b| b < v)
    };
    Some(k.clamp(1, n - 1) - 1)
}

/// True when `prev` is one word cut off by the cell's right edge and `next`
/// carries on with the rest of it: `prev` has no space, does not end in one
/// (a line broken at a space often keeps it), ends within about one glyph of
/// the cell's inner edge, so that not even one more letter fitted, and is not
/// a word of the document's text unless the glued whole is one too. Browsers
/// size columns to their longest word, so a whole word filling its cell is
/// common there; only the vocabulary tells it from a fragment.
fn broken_for_width(prev: &Line, next: &Line, inner_right: f32, words: &Vocabulary) -> bool {
    let one_word = !prev.text.contains([' ', '\t']) && !prev.trailing_space;
    // Not even one more letter (about 0.7 em at most) would have fitted.
    let fills = prev.x1 + 0.7 * prev.size >= inner_right;
    let continues = next.text.chars().next().is_some_and(char::is_lowercase)
        && prev.text.ends_with(char::is_alphabetic);
    if !(one_word && fills && continues) {
        return false;
    }
    let rest = next.text.split(' ').next().unwrap_or_default();
    // A line that goes on with "og", "til" … was broken at a space.
    const SMALL_WORDS: &[&str] = &[
        "og", "i", "av", "til", "for", "med", "på", "som", "er", "en", "et", "å", "om", "fra",
        "frå", "ved", "mot", "eller", "samt", "under",
    ];
    if SMALL_WORDS.contains(&rest) {
        return false;
    }
    words.has(&format!("{}{rest}", prev.text)) || !words.has_stem(&prev.text)
}

/// An amount wrapped digit group by digit group ("100 00 0") is one amount
/// ("100 000"): only digit groups, and at least one group that is not three
/// digits long after the first.
fn digits_regrouped(text: &str) -> Option<String> {
    let groups: Vec<&str> = text.split(' ').collect();
    let all_digits = groups.len() > 1
        && groups
            .iter()
            .all(|g| !g.is_empty() && g.bytes().all(|b| b.is_ascii_digit()));
    if !all_digits || groups[1..].iter().all(|g| g.len() == 3) || groups[0].len() > 3 {
        return None;
    }
    let digits: String = groups.concat();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(' ');
        }
        out.push(ch);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::ingest::pdf::glyphs::test_word as word;

    fn h(y: f32, x0: f32, x1: f32) -> Rule {
        Rule {
            x0,
            y0: y,
            x1,
            y1: y,
        }
    }

    fn v(x: f32, y0: f32, y1: f32) -> Rule {
        Rule {
            x0: x,
            y0,
            x1: x,
            y1,
        }
    }

    /// A 3 × 3 grid from x 0–300 and y 700–640, 20 points per row.
    fn grid_rules() -> Vec<Rule> {
        let mut r = vec![];
        for y in [700.0, 680.0, 660.0, 640.0] {
            r.push(h(y, 0.0, 300.0));
        }
        for x in [0.0, 100.0, 200.0, 300.0] {
            r.push(v(x, 640.0, 700.0));
        }
        r
    }

    #[test]
    fn ruled_cells_keep_empty_slots_and_spaced_amounts() {
        let mut g = word("Tiltak", 3.0, 685.0);
        g.extend(word("2025", 203.0, 685.0));
        g.extend(word("Drift", 3.0, 665.0));
        g.extend(word("1", 203.0, 665.0));
        g.extend(word("900", 211.0, 665.0));
        g.extend(word("000", 229.0, 665.0));
        g.extend(word("Sum", 3.0, 645.0));
        g.extend(word("utenfor", 3.0, 600.0));
        let (tables, rest) = find(&g, &grid_rules());
        assert_eq!(tables.len(), 1);
        assert_eq!(
            tables[0].grid(&Vocabulary::default()),
            vec![
                vec!["Tiltak", "", "2025"],
                vec!["Drift", "", "1 900 000"],
                vec!["Sum", "", ""],
            ]
        );
        let rest: String = rest.iter().map(|g| &*g.text).collect();
        assert_eq!(rest, "utenfor");
    }

    #[test]
    fn a_missing_boundary_merges_cells() {
        // The header's first two slots share one cell: no rule at x 100 in row 0.
        let mut rules: Vec<Rule> = grid_rules()
            .into_iter()
            .filter(|r| !(r.x0 == 100.0 && r.x1 == 100.0))
            .collect();
        rules.push(v(100.0, 640.0, 680.0));
        let mut g = word("Finansiering", 3.0, 685.0);
        g.extend(word("A", 3.0, 665.0));
        g.extend(word("B", 103.0, 665.0));
        let (tables, _) = find(&g, &rules);
        let t = &tables[0];
        let head = t.cells.iter().find(|c| c.row == 0 && c.col == 0).unwrap();
        assert_eq!((head.col_span, head.row_span), (2, 1));
        assert_eq!(
            t.grid(&Vocabulary::default())[0],
            vec!["Finansiering", "", ""]
        );
        assert_eq!(t.grid(&Vocabulary::default())[1], vec!["A", "B", ""]);
        let rows = t.table_rows(&Vocabulary::default());
        let first = &rows[0].cells[0];
        assert_eq!((first.col_span, first.merged), (2, false));
        let b = first.bbox.unwrap();
        assert_eq!((b.x0, b.y0, b.x1, b.y1), (0.0, 680.0, 200.0, 700.0));
        assert!(rows[0].cells[1].merged && rows[0].cells[1].bbox.is_none());
    }

    #[test]
    fn wrapped_cell_text_is_one_cell_and_cut_words_are_glued() {
        // Column 1 is 40 points wide: "Totalbudsj" fills it, "ett" carries on.
        let rules = vec![
            h(700.0, 0.0, 150.0),
            h(660.0, 0.0, 150.0),
            h(640.0, 0.0, 150.0),
            v(0.0, 640.0, 700.0),
            v(53.0, 640.0, 700.0),
            v(150.0, 640.0, 700.0),
        ];
        let mut g = word("Totalbudsj", 2.0, 688.0);
        g.extend(word("ett", 2.0, 676.0));
        g.extend(word("Lokale", 55.0, 688.0));
        g.extend(word("tiltak", 55.0, 676.0));
        let (tables, _) = find(&g, &rules);
        let grid = tables[0].grid(&Vocabulary::default());
        assert_eq!(grid[0], vec!["Totalbudsjett", "Lokale tiltak"]);
    }

    #[test]
    fn amounts_wrapped_by_digit_groups_are_regrouped() {
        assert_eq!(digits_regrouped("100 00 0").as_deref(), Some("100 000"));
        assert_eq!(digits_regrouped("1 900 000"), None);
        assert_eq!(digits_regrouped("2025 2026"), None);
        assert_eq!(digits_regrouped("Sum 100"), None);
    }

    #[test]
    fn a_table_open_at_the_page_break_is_closed_by_its_verticals() {
        // The rest of a row from the page before: no top border.
        let rules = vec![
            h(660.0, 0.0, 200.0),
            v(0.0, 660.0, 700.0),
            v(100.0, 660.0, 700.0),
            v(200.0, 660.0, 700.0),
        ];
        let mut g = word("slutten", 3.0, 685.0);
        g.extend(word("av raden", 103.0, 685.0));
        g.extend(word("og mer", 103.0, 672.0));
        let (tables, _) = find(&g, &rules);
        assert_eq!(
            tables[0].grid(&Vocabulary::default()),
            vec![vec!["slutten", "av raden og mer"]]
        );
    }

    #[test]
    fn rows_ruled_without_verticals_take_their_columns_from_the_text() {
        // Word's "horizontal lines only" style: a rule between rows, none between columns.
        let rules: Vec<Rule> = [700.0, 680.0, 660.0, 640.0]
            .iter()
            .map(|&y| h(y, 0.0, 300.0))
            .collect();
        let mut g = word("Norwegian", 3.0, 685.0);
        g.extend(word("Nynorsk", 53.0, 685.0));
        g.extend(word("'nno'", 130.0, 685.0));
        g.extend(word("159", 200.0, 685.0));
        g.extend(word("909", 217.5, 685.0));
        g.extend(word("English", 3.0, 665.0));
        g.extend(word("'eng'", 130.0, 665.0));
        g.extend(word("647", 200.0, 665.0));
        g.extend(word("Lule", 3.0, 645.0));
        g.extend(word("Sami", 25.5, 645.0));
        g.extend(word("252", 217.5, 645.0));
        let (tables, rest) = find(&g, &rules);
        assert!(rest.is_empty());
        assert_eq!(
            tables[0].grid(&Vocabulary::default()),
            vec![
                vec!["Norwegian Nynorsk", "'nno'", "159 909"],
                vec!["English", "'eng'", "647"],
                vec!["Lule Sami", "", "252"],
            ]
        );
    }

    #[test]
    fn text_between_rules_in_one_column_is_not_a_table() {
        let rules: Vec<Rule> = [700.0, 680.0, 660.0]
            .iter()
            .map(|&y| h(y, 0.0, 300.0))
            .collect();
        let mut g = word("Merknad", 3.0, 685.0);
        g.extend(word("til", 45.0, 685.0));
        g.extend(word("tabellen", 3.0, 665.0));
        let (tables, rest) = find(&g, &rules);
        assert!(tables.is_empty());
        assert_eq!(rest.len(), g.len());
    }

    #[test]
    fn a_lone_box_is_not_a_table() {
        let rules = vec![
            h(700.0, 0.0, 300.0),
            h(640.0, 0.0, 300.0),
            v(0.0, 640.0, 700.0),
            v(300.0, 640.0, 700.0),
        ];
        let g = word("Faktaboks", 3.0, 665.0);
        let (tables, rest) = find(&g, &rules);
        assert!(tables.is_empty());
        assert_eq!(rest.len(), g.len());
    }

    #[test]
    fn a_table_without_outer_verticals_keeps_its_label_and_last_columns() {
        // Rules run 0–300 between every row; verticals only at 100 and 200.
        let mut rules: Vec<Rule> = [700.0, 680.0, 660.0, 640.0]
            .iter()
            .map(|&y| h(y, 0.0, 300.0))
            .collect();
        rules.push(v(100.0, 640.0, 700.0));
        rules.push(v(200.0, 640.0, 700.0));
        let mut g = word("Group", 3.0, 685.0);
        g.extend(word("2005", 103.0, 685.0));
        g.extend(word("2010", 203.0, 685.0));
        g.extend(word("Women", 3.0, 665.0));
        g.extend(word("12", 103.0, 665.0));
        g.extend(word("13", 203.0, 665.0));
        g.extend(word("Men", 3.0, 645.0));
        g.extend(word("10", 103.0, 645.0));
        g.extend(word("11", 203.0, 645.0));
        let (tables, rest) = find(&g, &rules);
        assert!(rest.is_empty(), "{rest:?}");
        assert_eq!(
            tables[0].grid(&Vocabulary::default()),
            vec![
                vec!["Group", "2005", "2010"],
                vec!["Women", "12", "13"],
                vec!["Men", "10", "11"],
            ]
        );
        // One horizontal running on alone is not an open side.
        assert_eq!(
            open_sides(
                vec![100.0, 200.0],
                &[HSeg {
                    y: 700.0,
                    x0: 0.0,
                    x1: 200.0
                }]
            )
            .len(),
            2
        );
    }

    /// Rules at the top and foot of a band and verticals between its columns.
    fn band_rules(xs: &[f32], top: f32, bottom: f32) -> Vec<Rule> {
        let mut rules = vec![
            h(top, xs[0], xs[xs.len() - 1]),
            h(bottom, xs[0], xs[xs.len() - 1]),
        ];
        rules.extend(xs.iter().map(|&x| v(x, bottom, top)));
        rules
    }

    #[test]
    fn ranges_beside_their_labels_between_two_rules_are_rows() {
        let rules = band_rules(&[0.0, 100.0, 220.0], 700.0, 630.0);
        let mut g = Vec::new();
        for (i, (a, b)) in [
            ("Lowest", "$9,594 or less"),
            ("Lower middle", "$9,595–$17,992"),
            ("Highest", "Greater than $25,771"),
        ]
        .iter()
        .enumerate()
        {
            let y = 685.0 - 15.0 * i as f32;
            g.extend(word(a, 3.0, y));
            g.extend(word(b, 103.0, y));
        }
        let (tables, _) = find(&g, &rules);
        let grid = tables[0].grid(&Vocabulary::default());
        assert_eq!(grid.len(), 3, "{grid:?}");
        assert_eq!(grid[2], vec!["Highest", "Greater than $25,771"]);
    }

    #[test]
    fn a_label_wrapped_before_its_parenthesis_is_one_row() {
        let rules = band_rules(&[0.0, 150.0, 220.0], 700.0, 630.0);
        let mut g = Vec::new();
        for (a, b, y) in [
            ("Performance.gov", "$1.1M", 688.0),
            ("Federal Risk Program", "", 676.0),
            ("(FedRAMP)", "$0.3M", 664.0),
            ("IT Dashboard", "$1.06M", 652.0),
            ("Other", "(0.2)", 640.0),
        ] {
            g.extend(word(a, 3.0, y));
            g.extend(word(b, 153.0, y));
        }
        let (tables, _) = find(&g, &rules);
        let grid = tables[0].grid(&Vocabulary::default());
        assert_eq!(grid.len(), 4, "{grid:?}");
        assert_eq!(grid[1], vec!["Federal Risk Program (FedRAMP)", "$0.3M"]);
        assert_eq!(grid[3], vec!["Other", "(0.2)"]);
    }

    #[test]
    fn a_charts_plot_area_with_its_value_axis_is_not_a_table() {
        // Gridlines 20 points apart between two frame verticals, the ticks
        // 400 … 0 in the left column, a legend label in the plot.
        let mut rules: Vec<Rule> = (0..6)
            .map(|k| h(700.0 - 20.0 * k as f32, 0.0, 300.0))
            .collect();
        rules.push(v(0.0, 600.0, 700.0));
        rules.push(v(40.0, 600.0, 700.0));
        rules.push(v(300.0, 600.0, 700.0));
        let mut g = Vec::new();
        for (k, t) in ["400", "300", "200", "100", "0"].iter().enumerate() {
            g.extend(word(t, 3.0, 685.0 - 20.0 * k as f32));
        }
        g.extend(word("Spread", 120.0, 665.0));
        let (tables, rest) = find(&g, &rules);
        assert!(
            tables.is_empty(),
            "{:?}",
            tables[0].grid(&Vocabulary::default())
        );
        assert_eq!(rest.len(), g.len());
        // Row numbers beside their entries are a table's first column.
        let mut g = Vec::new();
        for (k, t) in ["1", "2", "3", "4", "5"].iter().enumerate() {
            g.extend(word(t, 3.0, 685.0 - 20.0 * k as f32));
            g.extend(word("Tiltak", 120.0, 685.0 - 20.0 * k as f32));
        }
        let (tables, _) = find(&g, &rules);
        assert_eq!(tables.len(), 1);
    }

    #[test]
    fn a_header_ruled_into_columns_carries_them_through_a_body_ruled_between_rows() {
        let mut rules: Vec<Rule> = [700.0, 680.0, 660.0, 640.0, 620.0]
            .iter()
            .map(|&y| h(y, 0.0, 300.0))
            .collect();
        rules.extend(
            [0.0, 100.0, 200.0, 300.0]
                .iter()
                .map(|&x| v(x, 680.0, 700.0)),
        );
        let mut g = word("Land", 3.0, 686.0);
        g.extend(word("Andel", 103.0, 686.0));
        g.extend(word("Antall", 203.0, 686.0));
        for (k, (a, b, c)) in [
            ("Norge", "92.9", "5,821"),
            ("Sverige", "0", "5,906"),
            ("Sum", "61.6", "200,507"),
        ]
        .iter()
        .enumerate()
        {
            let y = 666.0 - 20.0 * k as f32;
            g.extend(word(a, 3.0, y));
            g.extend(word(b, 150.0, y));
            g.extend(word(c, 250.0, y));
        }
        let (tables, _) = find(&g, &rules);
        assert_eq!(tables.len(), 1);
        let grid = tables[0].grid(&Vocabulary::default());
        assert_eq!(grid[0], vec!["Land", "Andel", "Antall"]);
        assert_eq!(grid[3], vec!["Sum", "61.6", "200,507"]);
    }
}

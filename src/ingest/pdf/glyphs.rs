//! The positioned-glyph layer: runs a page's content stream and records every
//! glyph with its position, advance and size, and every ruling line.
//!
//! Positions are what make tables recoverable: a cell boundary is a ruling line
//! or a wide gap in x, never a space character, because Norwegian amounts use
//! spaces between thousands.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::rc::Rc;

use lopdf::{Dictionary, Document, Object, ObjectId};
use unicode_normalization::UnicodeNormalization;

use super::content::Operations;
use super::fonts::Font;

/// Nesting bound for form XObjects: real documents use a few levels; loops and
/// hostile files use thousands.
const MAX_FORM_DEPTH: usize = 8;
/// Bound on operations per page, against content-stream bombs.
const MAX_OPS_PER_PAGE: usize = 2_000_000;
/// Bound on glyphs per page: a dense page of text sets some 10 000.
const MAX_GLYPHS_PER_PAGE: usize = 400_000;

/// What one document may spend on its pages' content, whatever the number of
/// pages: 5 000 pages sharing one stream of 1.9 M operators must not cost 10¹⁰
/// steps, nor 20 000 strings of 5 000 glyphs nine gigabytes.
#[derive(Clone, Copy, Debug)]
pub struct Budget {
    pub ops: usize,
    pub glyphs: usize,
}

impl Default for Budget {
    fn default() -> Self {
        Budget {
            ops: 20_000_000,
            glyphs: 4_000_000,
        }
    }
}

impl Budget {
    pub fn exhausted(&self) -> bool {
        self.ops == 0 || self.glyphs == 0
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
struct Matrix([f32; 6]);

impl Matrix {
    const IDENTITY: Matrix = Matrix([1.0, 0.0, 0.0, 1.0, 0.0, 0.0]);

    fn mul(self, o: Matrix) -> Matrix {
        let [a, b, c, d, e, f] = self.0;
        let [a2, b2, c2, d2, e2, f2] = o.0;
        Matrix([
            a * a2 + b * c2,
            a * b2 + b * d2,
            c * a2 + d * c2,
            c * b2 + d * d2,
            e * a2 + f * c2 + e2,
            e * b2 + f * d2 + f2,
        ])
    }

    fn translate(tx: f32, ty: f32) -> Matrix {
        Matrix([1.0, 0.0, 0.0, 1.0, tx, ty])
    }

    fn apply(self, x: f32, y: f32) -> (f32, f32) {
        let [a, b, c, d, e, f] = self.0;
        (a * x + c * y + e, b * x + d * y + f)
    }
}

/// One glyph on a page, in PDF user space (origin bottom left).
#[derive(Clone, Debug, PartialEq)]
pub struct Glyph {
    /// Shared: a font's glyph is decoded once per page, not once per use.
    pub text: Rc<str>,
    pub x: f32,
    /// Baseline.
    pub y: f32,
    /// Advance width.
    pub width: f32,
    /// Rendered font size (text matrix and CTM applied).
    pub size: f32,
    pub bold: bool,
    /// Which way the text runs: upright text is laid out in lines, turned
    /// text in its own direction or apart.
    pub turn: Turn,
    /// The marked-content id it is drawn under (`/P <</MCID 3>> BDC`): what
    /// ties it to an element of a tagged PDF's structure tree.
    pub mcid: Option<u32>,
    /// Drawn as page furniture the author marked (`/Artifact BDC`).
    pub artifact: bool,
    /// Read by OCR from a scanned page, with Tesseract's confidence in the
    /// word (0–100); `None` for text the PDF draws.
    pub ocr: Option<f32>,
}

/// The direction text runs in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Turn {
    Upright,
    /// A quarter turn anticlockwise: read bottom to top (narrow table headers).
    Up,
    /// A quarter turn clockwise: read top to bottom.
    Down,
    /// Upside down or at an angle.
    Other,
}

impl Turn {
    /// The direction text runs in when drawn by a matrix whose linear part
    /// is `[a, b, c, d]`.
    pub fn of([a, b, c, d]: [f32; 4]) -> Turn {
        if b.abs() < 0.01 && c.abs() < 0.01 && a > 0.0 {
            Turn::Upright
        } else if a.abs() < 0.01 && d.abs() < 0.01 && b > 0.0 {
            Turn::Up
        } else if a.abs() < 0.01 && d.abs() < 0.01 && b < 0.0 {
            Turn::Down
        } else {
            Turn::Other
        }
    }
}

impl Glyph {
    pub fn upright(&self) -> bool {
        self.turn == Turn::Upright
    }

    /// The glyph as it would stand had its text been set upright: a quarter-turned
    /// table header read in its own direction, by the same line builder.
    pub fn upright_view(&self) -> Glyph {
        let (x, y) = match self.turn {
            Turn::Up => (self.y, -self.x),
            Turn::Down => (-self.y, self.x),
            Turn::Upright | Turn::Other => (self.x, self.y),
        };
        Glyph {
            x,
            y,
            turn: Turn::Upright,
            ..self.clone()
        }
    }
}

/// A stroked or filled straight line: table borders.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rule {
    pub x0: f32,
    pub y0: f32,
    pub x1: f32,
    pub y1: f32,
}

impl Rule {
    pub fn is_vertical(&self) -> bool {
        (self.x1 - self.x0).abs() < 2.0 && (self.y1 - self.y0).abs() > 4.0
    }
}

#[derive(Default)]
pub struct PageContent {
    pub glyphs: Vec<Glyph>,
    pub rules: Vec<Rule>,
    /// Small filled shapes (x0, y0, x1, y1): list bullets that browsers and
    /// word processors draw instead of setting a "•" glyph.
    pub marks: Vec<[f32; 4]>,
    pub problems: Vec<String>,
    /// A limit (operations, glyphs, stream size) cut the page short.
    pub limited: bool,
    /// Image XObjects the page draws, in drawing order, at most
    /// [`MAX_IMAGES_PER_PAGE`]: what OCR reads when the page has no text.
    pub images: Vec<Placement>,
    /// Images drawn past [`MAX_IMAGES_PER_PAGE`], counted only.
    pub images_past: usize,
}

/// Image placements a page keeps: a scanned page is one image, or a few
/// strips of one; a page drawing hundreds is a mosaic or a hostile file.
pub const MAX_IMAGES_PER_PAGE: usize = 64;

/// One image drawn on a page: the image object and where it lands. The image
/// fills the unit square of `ctm`, whose (0, 0) is the image's bottom left
/// corner, in the page's coordinates as shown (`/Rotate` applied).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Placement {
    pub id: ObjectId,
    pub ctm: [f32; 6],
}

impl Placement {
    /// A point of the image's unit square, on the page.
    pub fn apply(&self, u: f32, v: f32) -> (f32, f32) {
        Matrix(self.ctm).apply(u, v)
    }
}

/// Test glyphs: `text` set from (x, y) at 10 pt, 5 points a character.
#[cfg(test)]
pub(crate) fn test_word(text: &str, x: f32, y: f32) -> Vec<Glyph> {
    text.chars()
        .enumerate()
        .map(|(i, c)| Glyph {
            text: c.to_string().into(),
            x: x + i as f32 * 5.0,
            y,
            width: 5.0,
            size: 10.0,
            bold: false,
            turn: Turn::Upright,
            mcid: None,
            artifact: false,
            ocr: None,
        })
        .collect()
}

#[derive(Clone)]
struct GState {
    ctm: Matrix,
    /// Index into the walker's fonts, resolved when `Tf` selects it.
    font: Option<usize>,
    size: f32,
    char_spacing: f32,
    word_spacing: f32,
    h_scale: f32,
    leading: f32,
    rise: f32,
}

impl Default for GState {
    fn default() -> Self {
        GState {
            ctm: Matrix::IDENTITY,
            font: None,
            size: 0.0,
            char_spacing: 0.0,
            word_spacing: 0.0,
            h_scale: 1.0,
            leading: 0.0,
            rise: 0.0,
        }
    }
}

/// What one code of a font shows: its text (normalised), advance in glyph
/// units, and whether word spacing applies to it.
#[derive(Clone)]
struct Decoded {
    text: Rc<str>,
    width: f32,
    word_space: bool,
}

/// The fonts of one document, each loaded once with the glyphs it has
/// decoded: most pages share their fonts, and loading one (its encoding, its
/// ToUnicode map, its widths) costs more than setting a page of its text.
#[derive(Default)]
pub struct FontCache<'a> {
    /// Font objects by id: shared by every page that uses them.
    by_id: HashMap<ObjectId, usize>,
    fonts: Vec<(Font<'a>, Codes<Decoded>)>,
}

/// A map by glyph code, hashed with one multiplication: it is looked up for
/// every glyph shown, and SipHash's guard against chosen keys buys nothing
/// for the at most 65 536 codes of a font.
type Codes<V> = HashMap<u32, V, BuildHasherDefault<CodeHasher>>;

#[derive(Default)]
struct CodeHasher(u64);

impl Hasher for CodeHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u32(u32::from(b) ^ (self.0 as u32).rotate_left(8));
        }
    }

    fn write_u32(&mut self, n: u32) {
        // An odd multiplier permutes the low bits (the bucket) and spreads
        // the high ones (the tag).
        self.0 = u64::from(n).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

/// One open marked-content sequence (`BMC`/`BDC` … `EMC`).
#[derive(Clone, Copy, Default)]
struct Mark {
    mcid: Option<u32>,
    artifact: bool,
}

/// Marked-content sequences open at once past this are not tracked.
const MAX_MARKED_DEPTH: usize = 64;

struct Walker<'a, 'p> {
    doc: &'a Document,
    /// Marked content open now. It spans `q`/`Q` and text objects; ids
    /// inside a form XObject belong to the form's own stream, so there the
    /// form's caller's id holds.
    marked: Vec<Mark>,
    /// Sequences opened past [`MAX_MARKED_DEPTH`]: their `EMC`s close nothing.
    marked_past: usize,
    /// Fonts given inline (not as objects) in this page's resources, by name.
    inline_fonts: HashMap<Vec<u8>, usize>,
    fonts: &'p mut FontCache<'a>,
    out: PageContent,
    ops: usize,
    budget: &'p mut Budget,
    max_decompressed: usize,
}

fn num(o: &Object) -> f32 {
    match o {
        Object::Integer(i) => *i as f32,
        Object::Real(r) => *r,
        _ => 0.0,
    }
}

fn nums<const N: usize>(ops: &[Object]) -> Option<[f32; N]> {
    if ops.len() < N {
        return None;
    }
    let mut out = [0.0; N];
    for (o, v) in out.iter_mut().zip(ops) {
        *o = num(v);
    }
    Some(out)
}

/// How a page is shown: its media box, turned by `/Rotate` (clockwise, in
/// quarter turns). A landscape page is often a portrait page drawn sideways
/// and turned for display; read in its drawing space its lines stand on end
/// and a table's rows read as columns, so glyphs and rules are placed as the
/// reader sees the page.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PageView {
    /// `[x0, y0, x1, y1]` in drawing space.
    media: [f32; 4],
    quarter_turns: u8,
}

impl PageView {
    /// The page's media box and rotation, inherited through the page tree
    /// where the page itself does not say (A4 upright where nothing does).
    pub fn of(doc: &Document, page_id: ObjectId) -> PageView {
        let media = inherited(doc, page_id, b"MediaBox")
            .and_then(|o| o.as_array().ok())
            .map(|b| b.iter().map(num).collect::<Vec<f32>>())
            .filter(|v| v.len() == 4)
            .map_or([0.0, 0.0, 595.0, 842.0], |v| {
                [
                    v[0].min(v[2]),
                    v[1].min(v[3]),
                    v[0].max(v[2]),
                    v[1].max(v[3]),
                ]
            });
        let degrees = inherited(doc, page_id, b"Rotate").map_or(0, |o| num(o) as i64);
        PageView {
            media,
            quarter_turns: (degrees.div_euclid(90).rem_euclid(4)) as u8,
        }
    }

    /// Drawing space → the page as shown (origin bottom left, y up).
    fn matrix(self) -> Matrix {
        let [x0, y0, x1, y1] = self.media;
        match self.quarter_turns {
            // A clockwise quarter turn: the drawing's left edge becomes the top.
            1 => Matrix([0.0, -1.0, 1.0, 0.0, -y0, x1]),
            2 => Matrix([-1.0, 0.0, 0.0, -1.0, x0 + x1, y0 + y1]),
            // Anticlockwise: the drawing's left edge becomes the bottom.
            3 => Matrix([0.0, 1.0, -1.0, 0.0, y1, -x0]),
            _ => Matrix::IDENTITY,
        }
    }

    /// The page's width and height as shown.
    pub fn size(self) -> (f32, f32) {
        let [x0, y0, x1, y1] = self.media;
        match self.quarter_turns {
            1 | 3 => (y1 - y0, x1 - x0),
            _ => (x1 - x0, y1 - y0),
        }
    }

    /// The lowest and highest y of the page as shown.
    pub fn vertical_extent(self) -> (f32, f32) {
        let [x0, y0, x1, y1] = self.media;
        match self.quarter_turns {
            1 | 3 => (0.0, x1 - x0),
            _ => (y0, y1),
        }
    }
}

/// A page attribute, the page's own or its nearest ancestor's.
fn inherited<'a>(doc: &'a Document, page_id: ObjectId, key: &[u8]) -> Option<&'a Object> {
    let mut id = page_id;
    for _ in 0..32 {
        let dict = doc.get_dictionary(id).ok()?;
        if let Ok(o) = dict.get(key) {
            return doc.dereference(o).ok().map(|(_, o)| o);
        }
        id = dict.get(b"Parent").ok()?.as_reference().ok()?;
    }
    None
}

/// Reads one page, spending from the document's `budget`, with the
/// document's `fonts`.
pub fn page_content<'a>(
    doc: &'a Document,
    page_id: ObjectId,
    max_decompressed: usize,
    budget: &mut Budget,
    fonts: &mut FontCache<'a>,
) -> PageContent {
    let mut w = Walker {
        doc,
        marked: Vec::new(),
        marked_past: 0,
        inline_fonts: HashMap::new(),
        fonts,
        out: PageContent::default(),
        ops: 0,
        budget,
        max_decompressed,
    };
    let content = match doc.get_page_content_with_limit(page_id, max_decompressed) {
        Ok(c) => c,
        Err(lopdf::Error::Decompress(lopdf::DecompressError::MemoryLimitExceeded { .. })) => {
            w.out.limited = true;
            w.out.problems.push(format!(
                "the page's content inflates past the {} MiB limit for one stream",
                max_decompressed >> 20
            ));
            return w.out;
        }
        Err(e) => {
            w.out.problems.push(format!("page content unreadable: {e}"));
            return w.out;
        }
    };
    let resources = page_resources(doc, page_id);
    let shown = GState {
        ctm: PageView::of(doc, page_id).matrix(),
        ..GState::default()
    };
    w.run(&content, resources, shown, 0);
    w.out
}

fn page_resources(doc: &Document, page_id: ObjectId) -> Option<&Dictionary> {
    // Walk up the page tree for inherited /Resources.
    let mut id = page_id;
    for _ in 0..32 {
        let dict = doc.get_dictionary(id).ok()?;
        if let Ok(r) = dict.get(b"Resources") {
            return doc.dereference(r).ok().and_then(|(_, o)| o.as_dict().ok());
        }
        id = dict.get(b"Parent").ok()?.as_reference().ok()?;
    }
    None
}

fn sub_dict<'a>(
    doc: &'a Document,
    dict: Option<&'a Dictionary>,
    key: &[u8],
) -> Option<&'a Dictionary> {
    let o = dict?.get(key).ok()?;
    doc.dereference(o).ok().and_then(|(_, o)| o.as_dict().ok())
}

impl<'a> Walker<'a, '_> {
    /// What a `BMC`/`BDC` opens: its tag says whether it is an artifact, its
    /// properties (inline, or named in the resources' `/Properties`) give
    /// its `/MCID`, which counts on the page's own stream only.
    fn mark(&self, operands: &[Object], resources: Option<&'a Dictionary>, depth: usize) -> Mark {
        let artifact = matches!(operands.first(), Some(Object::Name(n)) if n == b"Artifact");
        let props = match operands.get(1) {
            Some(Object::Dictionary(d)) => Some(d),
            Some(Object::Name(n)) => sub_dict(self.doc, resources, b"Properties")
                .and_then(|p| p.get(n).ok())
                .and_then(|o| self.doc.dereference(o).ok())
                .and_then(|(_, o)| o.as_dict().ok()),
            _ => None,
        };
        let mcid = props
            .and_then(|d| d.get(b"MCID").ok())
            .and_then(|o| o.as_i64().ok())
            .and_then(|n| u32::try_from(n).ok())
            .filter(|_| depth == 0);
        Mark { mcid, artifact }
    }

    /// The font a `Tf` names: a font object loaded once per document, an
    /// inline font once per page.
    fn font_id(&mut self, resources: Option<&'a Dictionary>, name: &[u8]) -> Option<usize> {
        let fonts = sub_dict(self.doc, resources, b"Font")?;
        let entry = fonts.get(name).ok()?;
        let (id, obj) = self.doc.dereference(entry).ok()?;
        let known = match id {
            Some(id) => self.fonts.by_id.get(&id),
            None => self.inline_fonts.get(name),
        };
        if let Some(&i) = known {
            return Some(i);
        }
        let dict = obj.as_dict().ok()?;
        let cache = &mut *self.fonts;
        cache
            .fonts
            .push((Font::load(self.doc, dict), Codes::default()));
        let i = cache.fonts.len() - 1;
        match id {
            Some(id) => cache.by_id.insert(id, i),
            None => self.inline_fonts.insert(name.to_vec(), i),
        };
        Some(i)
    }

    fn run(
        &mut self,
        content: &[u8],
        resources: Option<&'a Dictionary>,
        start: GState,
        depth: usize,
    ) {
        let mut ops = Operations::new(content);
        let mut f = Frame::new(start);
        while let Some((operator, o)) = ops.next_op() {
            if self.over_budget() {
                return;
            }
            match operator {
                "q" if f.stack.len() < 256 => f.stack.push(f.gs.clone()),
                "Q" => {
                    if let Some(s) = f.stack.pop() {
                        f.gs = s;
                    }
                }
                "cm" => {
                    if let Some(m) = nums::<6>(o) {
                        f.gs.ctm = Matrix(m).mul(f.gs.ctm);
                    }
                }
                "Tf" => {
                    if let (Some(Object::Name(n)), Some(s)) = (o.first(), o.get(1)) {
                        f.gs.font = self.font_id(resources, n);
                        f.gs.size = num(s);
                    }
                }
                "Tj" | "'" | "\"" | "TJ" => self.show_text(&mut f, operator, o),
                "BMC" | "BDC" => {
                    let mark = self.mark(o, resources, depth);
                    if self.marked.len() < MAX_MARKED_DEPTH {
                        self.marked.push(mark);
                    } else {
                        self.marked_past += 1;
                    }
                }
                "EMC" => {
                    if self.marked_past > 0 {
                        self.marked_past -= 1;
                    } else {
                        self.marked.pop();
                    }
                }
                "Do" if depth < MAX_FORM_DEPTH => {
                    if let Some(Object::Name(name)) = o.first() {
                        self.form(name, resources, &f.gs, depth);
                    }
                }
                "S" | "s" | "f" | "F" | "f*" | "B" | "B*" | "b" | "b*" => {
                    self.paint(&mut f, operator == "S")
                }
                other => {
                    if !f.text_state(other, o) {
                        f.path(other, o);
                    }
                }
            }
        }
        if ops.skipped > 0 {
            self.out.problems.push(format!(
                "{} unreadable token(s) in a content stream were skipped",
                ops.skipped
            ));
        }
    }

    /// Counts one operation against the page's and the document's budgets;
    /// true (and the page marked as limited) once one is spent.
    fn over_budget(&mut self) -> bool {
        self.ops += 1;
        if self.ops > MAX_OPS_PER_PAGE || self.budget.ops == 0 {
            self.out.limited = true;
            self.out
                .problems
                .push("page has too many drawing operations; the rest was skipped".into());
            return true;
        }
        self.budget.ops -= 1;
        if self.out.glyphs.len() >= MAX_GLYPHS_PER_PAGE || self.budget.glyphs == 0 {
            self.out.limited = true;
            self.out
                .problems
                .push("page has too many glyphs; the rest was skipped".into());
            return true;
        }
        false
    }

    /// A text-showing operator: `'` and `"` move to the next line first (`"`
    /// setting the spacings), `TJ` interleaves strings with adjustments.
    fn show_text(&mut self, f: &mut Frame, operator: &str, o: &[Object]) {
        if operator == "'" || operator == "\"" {
            if operator == "\"" {
                if let Some([aw, ac]) = nums::<2>(o) {
                    f.gs.word_spacing = aw;
                    f.gs.char_spacing = ac;
                }
            }
            f.tlm = Matrix::translate(0.0, -f.gs.leading).mul(f.tlm);
            f.tm = f.tlm;
        }
        let items: &[Object] = match (operator, o.last()) {
            ("TJ", Some(Object::Array(a))) => a,
            (_, Some(s)) => std::slice::from_ref(s),
            _ => &[],
        };
        for item in items {
            match item {
                Object::String(bytes, _) => self.show(bytes, &f.gs, &mut f.tm),
                other => {
                    let adj = num(other);
                    let tx = -adj / 1000.0 * f.gs.size * f.gs.h_scale;
                    f.tm = Matrix::translate(tx, 0.0).mul(f.tm);
                }
            }
        }
    }

    /// A painting operator ends the path: a small filled shape, about as wide
    /// as high, is a drawn bullet (stroked-only shapes are not); straight
    /// segments and thin rectangles are ruling lines.
    fn paint(&mut self, f: &mut Frame, stroke_only: bool) {
        if let Some([x0, y0, x1, y1]) = f.extent.take() {
            let (w, h) = (x1 - x0, y1 - y0);
            let small = (1.0..=8.0).contains(&w) && (1.0..=8.0).contains(&h);
            if small && !stroke_only && w < 2.5 * h && h < 2.5 * w {
                self.out.marks.push([x0, y0, x1, y1]);
            }
        }
        for (x0, y0, x1, y1) in f.path.drain(..) {
            if (x0 - x1).abs() < 2.0 || (y0 - y1).abs() < 2.0 {
                self.out.rules.push(Rule {
                    x0: x0.min(x1),
                    y0: y0.min(y1),
                    x1: x0.max(x1),
                    y1: y0.max(y1),
                });
            }
        }
    }

    fn show(&mut self, bytes: &[u8], gs: &GState, tm: &mut Matrix) {
        let Some((font, cache)) = gs.font.and_then(|i| self.fonts.fonts.get_mut(i)) else {
            return;
        };
        let step = if font.two_byte { 2 } else { 1 };
        let (scale, bold) = (font.scale, font.bold);
        for chunk in bytes.chunks(step) {
            let code = chunk.iter().fold(0u32, |c, &b| c << 8 | u32::from(b));
            let d = cache
                .entry(code)
                .or_insert_with(|| {
                    let text = font.text(code);
                    let text: String = if text.chars().any(|c| c as u32 > 0xFF) {
                        text.nfkc().collect()
                    } else {
                        text
                    };
                    // U+2010 HYPHEN is the visible hyphen of a broken word in some producers.
                    let text = if text == "\u{2010}" { "-".into() } else { text };
                    Decoded {
                        text: Rc::from(text),
                        width: font.width(code),
                        word_space: font.is_word_space(code),
                    }
                })
                .clone();
            let trm = Matrix([gs.size * gs.h_scale, 0.0, 0.0, gs.size, 0.0, gs.rise])
                .mul(*tm)
                .mul(gs.ctm);
            let [a, b, c, dd, e, f] = trm.0;
            let size = (c * c + dd * dd).sqrt();
            let advance = (d.width * scale * gs.size
                + gs.char_spacing
                + if d.word_space { gs.word_spacing } else { 0.0 })
                * gs.h_scale;
            let width_dev =
                advance * (a * a + b * b).sqrt() / (gs.size * gs.h_scale).abs().max(f32::EPSILON);
            if !d.text.is_empty() && size > 0.1 && e.is_finite() && f.is_finite() {
                if self.out.glyphs.len() >= MAX_GLYPHS_PER_PAGE || self.budget.glyphs == 0 {
                    return;
                }
                self.budget.glyphs -= 1;
                self.out.glyphs.push(Glyph {
                    text: d.text,
                    x: e,
                    y: f,
                    width: width_dev,
                    size,
                    bold,
                    turn: Turn::of([a, b, c, dd]),
                    mcid: self.marked.iter().rev().find_map(|m| m.mcid),
                    artifact: self.marked.iter().any(|m| m.artifact),
                    ocr: None,
                });
            }
            *tm = Matrix::translate(advance, 0.0).mul(*tm);
        }
    }

    fn form(&mut self, name: &[u8], resources: Option<&'a Dictionary>, gs: &GState, depth: usize) {
        let Some(xobjects) = sub_dict(self.doc, resources, b"XObject") else {
            return;
        };
        let Ok(entry) = xobjects.get(name) else {
            return;
        };
        let Ok((id, obj)) = self.doc.dereference(entry) else {
            return;
        };
        let Ok(stream) = obj.as_stream() else { return };
        let subtype = stream.dict.get(b"Subtype").and_then(Object::as_name).ok();
        if let (Some(b"Image"), Some(id)) = (subtype, id) {
            if self.out.images.len() < MAX_IMAGES_PER_PAGE {
                self.out.images.push(Placement { id, ctm: gs.ctm.0 });
            } else {
                self.out.images_past += 1;
            }
            return;
        }
        if subtype != Some(b"Form".as_slice()) {
            return;
        }
        let content = match stream.decompressed_content_with_limit(self.max_decompressed) {
            Ok(c) => c,
            Err(_) => stream.content.clone(),
        };
        let mut inner = gs.clone();
        if let Ok(Object::Array(m)) = stream.dict.get(b"Matrix") {
            if m.len() == 6 {
                let v: Vec<f32> = m.iter().map(num).collect();
                inner.ctm = Matrix([v[0], v[1], v[2], v[3], v[4], v[5]]).mul(gs.ctm);
            }
        }
        let form_resources = stream
            .dict
            .get(b"Resources")
            .ok()
            .and_then(|r| self.doc.dereference(r).ok())
            .and_then(|(_, o)| o.as_dict().ok());
        self.run(&content, form_resources.or(resources), inner, depth + 1);
    }
}

/// The state of one content stream as it runs: the graphics state and its
/// saved copies, the text and line matrices, and the path being built.
struct Frame {
    gs: GState,
    stack: Vec<GState>,
    tm: Matrix,
    tlm: Matrix,
    path: Vec<(f32, f32, f32, f32)>,
    /// The bounding box of the current path, curves included.
    extent: Option<[f32; 4]>,
    cursor: (f32, f32),
}

impl Frame {
    fn new(gs: GState) -> Frame {
        Frame {
            gs,
            stack: Vec::new(),
            tm: Matrix::IDENTITY,
            tlm: Matrix::IDENTITY,
            path: Vec::new(),
            extent: None,
            cursor: (0.0, 0.0),
        }
    }

    fn grow(&mut self, (x, y): (f32, f32)) {
        let b = self.extent.get_or_insert([x, y, x, y]);
        *b = [b[0].min(x), b[1].min(y), b[2].max(x), b[3].max(y)];
    }

    /// A text state or positioning operator; false if `operator` is none.
    fn text_state(&mut self, operator: &str, o: &[Object]) -> bool {
        let gs = &mut self.gs;
        match operator {
            "BT" => {
                self.tm = Matrix::IDENTITY;
                self.tlm = Matrix::IDENTITY;
            }
            "Tc" => gs.char_spacing = o.first().map(num).unwrap_or(0.0),
            "Tw" => gs.word_spacing = o.first().map(num).unwrap_or(0.0),
            "Tz" => gs.h_scale = o.first().map(num).unwrap_or(100.0) / 100.0,
            "TL" => gs.leading = o.first().map(num).unwrap_or(0.0),
            "Ts" => gs.rise = o.first().map(num).unwrap_or(0.0),
            "Td" | "TD" => {
                if let Some([tx, ty]) = nums::<2>(o) {
                    if operator == "TD" {
                        gs.leading = -ty;
                    }
                    self.tlm = Matrix::translate(tx, ty).mul(self.tlm);
                    self.tm = self.tlm;
                }
            }
            "Tm" => {
                if let Some(m) = nums::<6>(o) {
                    self.tlm = Matrix(m);
                    self.tm = self.tlm;
                }
            }
            "T*" => {
                self.tlm = Matrix::translate(0.0, -gs.leading).mul(self.tlm);
                self.tm = self.tlm;
            }
            _ => return false,
        }
        true
    }

    /// A path construction operator (lines, curves, rectangles) or `n`.
    fn path(&mut self, operator: &str, o: &[Object]) {
        match operator {
            "m" => {
                if let Some([x, y]) = nums::<2>(o) {
                    self.cursor = self.gs.ctm.apply(x, y);
                    self.grow(self.cursor);
                }
            }
            "l" => {
                if let Some([x, y]) = nums::<2>(o) {
                    let p = self.gs.ctm.apply(x, y);
                    self.path.push((self.cursor.0, self.cursor.1, p.0, p.1));
                    self.cursor = p;
                    self.grow(p);
                }
            }
            "c" | "v" | "y" => {
                // Curves only matter for the extent: bullets are drawn as circles.
                for pair in o.chunks(2).filter(|p| p.len() == 2) {
                    let p = self.gs.ctm.apply(num(&pair[0]), num(&pair[1]));
                    self.grow(p);
                    self.cursor = p;
                }
            }
            "re" => {
                if let Some([x, y, w, h]) = nums::<4>(o) {
                    self.rectangle(x, y, w, h);
                }
            }
            "n" => {
                self.path.clear();
                self.extent = None;
            }
            _ => {}
        }
    }

    /// A rectangle: its four sides, or one line where it is thin (a thin
    /// filled rectangle is how many producers draw a border).
    fn rectangle(&mut self, x: f32, y: f32, w: f32, h: f32) {
        let (x0, y0) = self.gs.ctm.apply(x, y);
        let (x1, y1) = self.gs.ctm.apply(x + w, y + h);
        let (w, h) = ((x1 - x0).abs(), (y1 - y0).abs());
        self.grow((x0, y0));
        self.grow((x1, y1));
        if w < 2.0 || h < 2.0 {
            let (cx, cy) = ((x0 + x1) / 2.0, (y0 + y1) / 2.0);
            if w < h {
                self.path.push((cx, y0, cx, y1));
            } else {
                self.path.push((x0, cy, x1, cy));
            }
        } else {
            self.path.push((x0, y0, x0, y1));
            self.path.push((x1, y0, x1, y1));
            self.path.push((x0, y0, x1, y0));
            self.path.push((x0, y1, x1, y1));
        }
    }
}

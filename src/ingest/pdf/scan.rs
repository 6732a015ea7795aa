//! Scanned pages: a page that draws images and no readable text is read by
//! OCR ([`super::ocr`]) from its own images ([`super::images`]), and the
//! words Tesseract finds become glyphs at their place on the page, with the
//! ruling lines it found as rules. From there the page goes through the same
//! line, table and layout reading as a page of born-digital text.
//!
//! Placing words: Tesseract reports boxes in the image's pixels (y down).
//! A scan is rarely straight, so the page's skew is taken from the
//! baselines Tesseract fitted (their median slope) and every box is turned
//! back by it; then the image's placement on the page (its matrix) maps the
//! pixels to the page. A word's baseline is its line's baseline, so the
//! words of a table row line up as a row. Type sizes come from Tesseract's
//! row heights, snapped to the page's body size unless clearly larger (a
//! heading), because they vary by a few pixels from line to line.

use std::rc::Rc;

use lopdf::{Document as PdfDoc, ObjectId};
use unicode_normalization::UnicodeNormalization;

use super::glyphs::{Glyph, PageContent, PageView, Placement, Rule, Turn};
use super::hocr::{self, Hocr, HocrLine};
use super::images::{self, ImageLimits};
use super::ocr::{self, OcrError};
use super::PageLines;
use crate::ingest::IngestOptions;
use crate::model::{OcrPage, OcrReading, WordConfidence};

/// An image covering less of the page than this is a logo or a photo in a
/// margin, not a scan of the page's text.
const MIN_IMAGE_SHARE: f32 = 0.02;
/// Images beyond this many on one page are not read (a mosaic of tiles
/// would cut every word); one scan or a few strips of one is the rule.
const MAX_SCANNED_IMAGES: usize = 16;
/// A text layer with less than this share of readable characters is
/// garbage (a font without a usable encoding over a scan).
const MIN_READABLE_SHARE: f32 = 0.5;
/// Type size per pixel of Tesseract's row height (`x_size`): its row height
/// runs from descender to ascender, a little less than the size the type
/// was set in (11-point body text scanned at 200 dpi has a row height of
/// some 27 pixels, 9.7 points).
const FONT_PER_ROW_HEIGHT: f32 = 1.15;
/// A line whose row height is this much over the page's body is a heading;
/// below it, the difference is Tesseract's noise (brackets and slashes
/// stretch a line's row height by a third).
const HEADING_RATIO: f32 = 1.4;
/// Words of lower confidence that hold no letter or digit are specks and
/// the edges of rules, not text (but a run of leader dots is kept).
const SPECK_CONFIDENCE: f32 = 30.0;
/// An image whose words are fewer than this, or less sure on average than
/// [`PICTURE_CONFIDENCE`], is a picture: what OCR made of it is dropped.
const PICTURE_WORDS: usize = 3;
const PICTURE_CONFIDENCE: f32 = 40.0;

/// Whether a page is read by OCR: it draws an image large enough to be a
/// scan, and its text layer is empty or garbage.
pub fn needs_ocr(content: &PageContent) -> bool {
    if content.images.is_empty() {
        return false;
    }
    let visible: Vec<char> = content
        .glyphs
        .iter()
        .flat_map(|g| g.text.chars())
        .filter(|c| !c.is_whitespace())
        .collect();
    if visible.is_empty() {
        return true;
    }
    let readable = visible.iter().filter(|c| readable(**c)).count();
    (readable as f32) < MIN_READABLE_SHARE * visible.len() as f32
}

/// A character a real text layer is made of: letters, digits, punctuation
/// and symbols, but not control codes, private-use code points or U+FFFD.
fn readable(c: char) -> bool {
    !(c.is_control() || ('\u{E000}'..='\u{F8FF}').contains(&c) || c == '\u{FFFD}')
}

/// The OCR of one document's scanned pages: whether Tesseract is there, and
/// what was read.
#[derive(Default)]
pub struct Scanner {
    /// Why Tesseract could not read the pages, once known.
    pub unavailable: Option<OcrError>,
    /// Pages that needed OCR and were not read because of that.
    pub unread: Vec<u32>,
    /// Pages read by OCR.
    pub read: usize,
    /// The first thing OCR could not read, with its page: why a scan that
    /// gave no text gave none.
    pub first_problem: Option<String>,
}

/// What OCR read on a page: its words' count and mean confidence.
pub struct Scanned {
    words: usize,
    confidence: WordConfidence,
}

impl Scanner {
    /// Reads the page's images by OCR into `content` (its glyphs replaced
    /// by the words found, its rules joined by the ruling lines found).
    /// Problems go to `problems`; `None` when nothing was read.
    pub fn read(
        &mut self,
        pdf: &PdfDoc,
        (number, id): (u32, ObjectId),
        content: &mut PageContent,
        options: &IngestOptions,
        problems: &mut Vec<String>,
    ) -> Option<Scanned> {
        if self.unavailable.is_some() {
            self.unread.push(number);
            return None;
        }
        if let Err(e) = ocr::available(&options.ocr) {
            self.unavailable = Some(e);
            self.unread.push(number);
            return None;
        }
        let images = scan_images(pdf, id, content, problems);
        let mut glyphs = Vec::new();
        let mut rules = Vec::new();
        let mut words: Vec<f32> = Vec::new();
        for p in images {
            if options.late() {
                break;
            }
            if let Some((g, r, w)) = read_image(pdf, p, options, problems) {
                glyphs.extend(g);
                rules.extend(r);
                words.extend(w);
            }
        }
        self.read += 1;
        let confidence = WordConfidence::of_words(words.iter().map(|c| ("", *c)))?;
        content.glyphs = glyphs;
        content.rules.extend(rules);
        Some(Scanned {
            words: words.len(),
            confidence,
        })
    }
}

impl Scanned {
    /// The page's reading for the builder: each line and each cell of a
    /// line laid out from it, with its confidence.
    pub fn reading(&self, page: &PageLines) -> OcrReading {
        let mut r = OcrReading::new(OcrPage {
            number: page.number,
            words: self.words,
            confidence: self.confidence,
        });
        let cells = page.tables.iter().flat_map(|t| &t.cells);
        let lines = page.lines.iter().chain(cells.flat_map(|c| &c.lines));
        for l in lines {
            let parts: Vec<&str> = l.text.split('\t').collect();
            for (part, c) in parts.iter().zip(&l.ocr) {
                r.piece(part, *c);
            }
            if let Some(least) = l.ocr.iter().min().filter(|_| parts.len() > 1) {
                r.piece(&l.text, *least);
            }
        }
        r
    }
}

/// The page's images that can be scans, or none (with a problem said) when
/// the page draws too many to be one.
fn scan_images(
    pdf: &PdfDoc,
    id: ObjectId,
    content: &PageContent,
    problems: &mut Vec<String>,
) -> Vec<Placement> {
    let (w, h) = PageView::of(pdf, id).size();
    let page_area = (w * h).max(1.0);
    let area = |p: &Placement| {
        let [a, b, c, d, ..] = p.ctm;
        (a * d - b * c).abs()
    };
    let big: Vec<Placement> = content
        .images
        .iter()
        .filter(|p| area(p) >= MIN_IMAGE_SHARE * page_area)
        .copied()
        .collect();
    let drawn = content.images.len() + content.images_past;
    if big.len() > MAX_SCANNED_IMAGES || content.images_past > 0 {
        problems.push(format!(
            "the page draws {drawn} images, too many to be a scan; it was not read by OCR"
        ));
        return Vec::new();
    }
    big
}

/// OCR of one image: its words as glyphs and its ruling lines as rules,
/// placed on the page, and the confidence of each word.
fn read_image(
    pdf: &PdfDoc,
    p: Placement,
    options: &IngestOptions,
    problems: &mut Vec<String>,
) -> Option<(Vec<Glyph>, Vec<Rule>, Vec<f32>)> {
    let limits = ImageLimits {
        max_pixels: options.ocr.max_pixels,
        max_bytes: options.max_decompressed,
    };
    let image = match images::extract(pdf, p.id, limits) {
        Ok(i) => i,
        Err(e) => {
            problems.push(format!("an image was not read by OCR: {e}"));
            return None;
        }
    };
    let frame = Frame::new(p, image.width as f32, image.height as f32);
    let hocr = match ocr::recognise(&image, frame.dpi(), &options.ocr, options.deadline) {
        Ok(h) => hocr::parse(&h),
        Err(e) => {
            problems.push(format!("an image was not read by OCR: {e}"));
            return None;
        }
    };
    let mut hocr = hocr;
    super::ocrfix::tidy(&mut hocr);
    let frame = frame.deskewed(skew(&hocr));
    let (glyphs, words) = frame.words(&hocr);
    let mean = words.iter().sum::<f32>() / words.len().max(1) as f32;
    if words.len() < PICTURE_WORDS || mean < PICTURE_CONFIDENCE {
        problems.push(format!(
            "OCR found no legible text in an image ({} words); it was left out",
            words.len()
        ));
        return None;
    }
    Some((glyphs, frame.rules(&hocr), words))
}

/// The page's skew: the median slope of the baselines of lines of three
/// words or more (shorter ones give no slope of their own).
fn skew(hocr: &Hocr) -> f32 {
    let mut slopes: Vec<f32> = hocr
        .lines
        .iter()
        .filter(|l| l.words.len() >= 3)
        .map(|l| l.slope)
        .collect();
    if slopes.is_empty() {
        return 0.0;
    }
    slopes.sort_by(f32::total_cmp);
    slopes[slopes.len() / 2]
}

/// How one image's pixels map to the page: its size, the placement, and the
/// turn that takes back the scan's skew (about the image's centre).
struct Frame {
    w: f32,
    h: f32,
    placement: Placement,
    cos: f32,
    sin: f32,
}

impl Frame {
    fn new(placement: Placement, w: f32, h: f32) -> Frame {
        Frame {
            w: w.max(1.0),
            h: h.max(1.0),
            placement,
            cos: 1.0,
            sin: 0.0,
        }
    }

    /// Turned back by a skew of `slope` (image y down: a line rising to
    /// the right has a negative slope).
    fn deskewed(self, slope: f32) -> Frame {
        let angle = -slope.atan();
        Frame {
            cos: angle.cos(),
            sin: angle.sin(),
            ..self
        }
    }

    /// The image's resolution as placed: pixels per inch of its height.
    fn dpi(&self) -> u32 {
        let [_, _, c, d, ..] = self.placement.ctm;
        let inches = (c * c + d * d).sqrt() / 72.0;
        (self.h / inches.max(0.01)).round().clamp(1.0, 10_000.0) as u32
    }

    /// Page units per pixel along the image's width and height.
    fn scale(&self) -> (f32, f32) {
        let [a, b, c, d, ..] = self.placement.ctm;
        (
            (a * a + b * b).sqrt() / self.w,
            (c * c + d * d).sqrt() / self.h,
        )
    }

    /// A pixel, deskewed, on the page.
    fn to_page(&self, x: f32, y: f32) -> (f32, f32) {
        let (cx, cy) = (self.w / 2.0, self.h / 2.0);
        let (dx, dy) = (x - cx, y - cy);
        let x = cx + dx * self.cos - dy * self.sin;
        let y = cy + dx * self.sin + dy * self.cos;
        self.placement.apply(x / self.w, 1.0 - y / self.h)
    }

    fn turn(&self) -> Turn {
        let [a, b, c, d, ..] = self.placement.ctm;
        Turn::of([a, b, c, d])
    }

    /// Every word as glyphs: at the start of its baseline, as wide as its
    /// box, in its line's snapped size; and the confidence of each word kept.
    fn words(&self, hocr: &Hocr) -> (Vec<Glyph>, Vec<f32>) {
        let sizes = LineSizes::of(hocr, self.scale().1);
        let mut out = Vec::new();
        let mut confidences = Vec::new();
        for (line, size) in hocr.lines.iter().zip(sizes.sizes) {
            for w in &line.words {
                let before = out.len();
                self.word(line, w, size, &mut out);
                if out.len() > before {
                    confidences.push(w.confidence.clamp(0.0, 100.0));
                }
            }
        }
        (out, confidences)
    }

    /// A word as glyphs, one a character, sharing its box evenly: a word
    /// that straddles a rule or a cell's edge is cut as a drawn one would
    /// be.
    fn word(&self, line: &HocrLine, w: &hocr::HocrWord, size: f32, out: &mut Vec<Glyph>) {
        let text = clean(&w.text);
        // Leader dots (three or more, as `ocrfix` leaves them) are no speck,
        // however unsure: a contents entry is known by them.
        let leader = text.len() >= 3 && text.chars().all(|c| c == '.');
        let speck =
            w.confidence < SPECK_CONFIDENCE && !leader && !text.chars().any(char::is_alphanumeric);
        if text.is_empty() || speck || text.chars().all(|c| c == '|') {
            return;
        }
        let base = |x: f32| line.bbox[3] + line.offset + line.slope * (x - line.bbox[0]);
        let n = text.chars().count() as f32;
        let step = (w.bbox[2] - w.bbox[0]) / n;
        for (i, c) in text.chars().enumerate() {
            let left = w.bbox[0] + step * i as f32;
            let (x0, y0) = self.to_page(left, base(left));
            let (x1, y1) = self.to_page(left + step, base(left + step));
            let width = ((x1 - x0).powi(2) + (y1 - y0).powi(2)).sqrt();
            if !(x0.is_finite() && y0.is_finite() && width.is_finite()) {
                return;
            }
            out.push(Glyph {
                text: Rc::from(c.to_string()),
                x: x0,
                y: y0,
                width,
                size,
                bold: false,
                turn: self.turn(),
                mcid: None,
                artifact: false,
                ocr: Some(w.confidence.clamp(0.0, 100.0)),
            });
        }
    }

    /// The ruling lines Tesseract found, as rules on the page: a separator
    /// wider than high is a horizontal rule through its middle, else a
    /// vertical one (only for an upright image: a turned scan's rules are
    /// left to its words' gaps).
    fn rules(&self, hocr: &Hocr) -> Vec<Rule> {
        if self.turn() != Turn::Upright {
            return Vec::new();
        }
        let (sx, sy) = self.scale();
        hocr.separators
            .iter()
            .map(|&[x0, y0, x1, y1]| {
                let (cx, cy) = self.to_page((x0 + x1) / 2.0, (y0 + y1) / 2.0);
                if x1 - x0 >= y1 - y0 {
                    let half = (x1 - x0) * sx / 2.0;
                    Rule {
                        x0: cx - half,
                        y0: cy,
                        x1: cx + half,
                        y1: cy,
                    }
                } else {
                    let half = (y1 - y0) * sy / 2.0;
                    Rule {
                        x0: cx,
                        y0: cy - half,
                        x1: cx,
                        y1: cy + half,
                    }
                }
            })
            .collect()
    }
}

/// A word as text: compatibility forms (ligatures) taken apart, as for
/// text the PDF draws.
fn clean(text: &str) -> String {
    let t = text.trim();
    if t.chars().any(|c| c as u32 > 0xFF) {
        t.nfkc().collect()
    } else {
        t.to_string()
    }
}

/// The type size of each line of an image, in page units.
struct LineSizes {
    sizes: Vec<f32>,
}

impl LineSizes {
    /// The body's row height is the one most words are set in (the median
    /// over words); a line clearly larger keeps its own size in quarter
    /// steps of the body's, every other line gets the body's. Sizes are
    /// rounded to half a point, as type is set.
    fn of(hocr: &Hocr, per_pixel: f32) -> LineSizes {
        let mut heights: Vec<(f32, usize)> = hocr
            .lines
            .iter()
            .map(|l| (l.x_size, l.words.len()))
            .collect();
        heights.sort_by(|a, b| a.0.total_cmp(&b.0));
        let total: usize = heights.iter().map(|h| h.1).sum();
        let mut seen = 0;
        let body = heights
            .iter()
            .find(|h| {
                seen += h.1;
                seen * 2 >= total
            })
            .map_or(1.0, |h| h.0.max(1.0));
        let half_points = |s: f32| ((s * 2.0).round() / 2.0).max(1.0);
        let body_pt = half_points(body * per_pixel * FONT_PER_ROW_HEIGHT);
        let sizes = hocr
            .lines
            .iter()
            .map(|l| {
                let ratio = l.x_size / body;
                if ratio < HEADING_RATIO {
                    body_pt
                } else {
                    half_points(body_pt * (ratio * 4.0).round() / 4.0)
                }
            })
            .collect();
        LineSizes { sizes }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::pdf::hocr::HocrWord;

    fn line(y: f32, slope: f32, x_size: f32, words: &[(&str, f32, f32)]) -> HocrLine {
        HocrLine {
            bbox: [words[0].1, y - 20.0, words[words.len() - 1].2, y],
            slope,
            offset: -4.0,
            x_size,
            words: words
                .iter()
                .map(|&(t, x0, x1)| HocrWord {
                    bbox: [x0, y - 20.0, x1, y],
                    confidence: 90.0,
                    text: t.into(),
                })
                .collect(),
        }
    }

    /// A 1000×1000 pixel image over a 500×500 point page.
    fn frame() -> Frame {
        let placement = Placement {
            id: (1, 0),
            ctm: [500.0, 0.0, 0.0, 500.0, 0.0, 0.0],
        };
        Frame::new(placement, 1000.0, 1000.0)
    }

    #[test]
    fn words_land_on_the_page_at_their_baseline() {
        let hocr = Hocr {
            lines: vec![line(
                100.0,
                0.0,
                24.0,
                &[("Sum", 100.0, 160.0), ("1", 300.0, 310.0)],
            )],
            separators: vec![],
        };
        let (g, words) = frame().words(&hocr);
        assert_eq!((g.len(), words.len()), (4, 2));
        // 100 px from the left is 50 points; the baseline (4 px above the
        // box's bottom at y 100) is 52 points below the top. The word's
        // three letters share its 30 points.
        assert!(
            (g[0].x - 50.0).abs() < 0.01 && (g[0].y - 452.0).abs() < 0.01,
            "{g:?}"
        );
        assert!((g[0].width - 10.0).abs() < 0.01 && (g[1].x - 60.0).abs() < 0.01);
        assert_eq!(&*g[1].text, "u");
        assert_eq!(g[0].ocr, Some(90.0));
        // Row height 24 px = 12 points, of type 14 points (× 1.15, rounded
        // to half points).
        assert_eq!(g[0].size, 14.0);
    }

    #[test]
    fn a_skewed_scan_is_turned_straight() {
        // Two rows of a table on a scan turned by about one degree: each row's
        // baseline drops 0.0175 px per px to the right.
        let s = -0.0175;
        let row = |y: f32| {
            line(
                y,
                s,
                24.0,
                &[
                    ("A", 100.0, 120.0),
                    ("B", 400.0, 420.0),
                    ("C", 800.0, 820.0),
                ],
            )
        };
        let hocr = Hocr {
            lines: vec![row(300.0), row(400.0)],
            separators: vec![],
        };
        assert_eq!(skew(&hocr), s);
        let (g, _) = frame().deskewed(skew(&hocr)).words(&hocr);
        let ys: Vec<f32> = g.iter().map(|g| g.y).collect();
        // Straightened, a row's words share a baseline to a tenth of a point.
        assert!((ys[0] - ys[2]).abs() < 0.1, "{ys:?}");
        assert!((ys[3] - ys[5]).abs() < 0.1, "{ys:?}");
        // Without it they drift by 6 points across the row.
        let (raw, _) = frame().words(&hocr);
        assert!((raw[0].y - raw[2].y).abs() > 5.0);
    }

    #[test]
    fn body_lines_share_one_size_and_headings_keep_theirs() {
        let hocr = Hocr {
            lines: vec![
                line(100.0, 0.0, 40.0, &[("Budsjett", 0.0, 100.0)]),
                line(200.0, 0.0, 22.0, &[("a", 0.0, 10.0), ("b", 20.0, 30.0)]),
                line(300.0, 0.0, 25.5, &[("c", 0.0, 10.0), ("d", 20.0, 30.0)]),
                line(400.0, 0.0, 23.0, &[("e", 0.0, 10.0)]),
            ],
            separators: vec![],
        };
        let sizes = LineSizes::of(&hocr, 0.36).sizes;
        assert_eq!(sizes[1], sizes[2]);
        assert_eq!(sizes[2], sizes[3]);
        assert!(sizes[0] > 1.5 * sizes[1], "{sizes:?}");
    }

    #[test]
    fn specks_and_bars_are_not_words() {
        let mut l = line(
            100.0,
            0.0,
            24.0,
            &[("|", 10.0, 12.0), ("~", 20.0, 25.0), ("ok", 30.0, 50.0)],
        );
        l.words[1].confidence = 12.0;
        let hocr = Hocr {
            lines: vec![l],
            separators: vec![],
        };
        let (g, _) = frame().words(&hocr);
        assert_eq!(g.iter().map(|g| &*g.text).collect::<String>(), "ok");
    }

    #[test]
    fn separators_become_rules() {
        let hocr = Hocr {
            lines: vec![],
            separators: vec![[100.0, 195.0, 900.0, 205.0], [495.0, 100.0, 505.0, 900.0]],
        };
        let r = frame().rules(&hocr);
        assert_eq!(
            r[0],
            Rule {
                x0: 50.0,
                y0: 400.0,
                x1: 450.0,
                y1: 400.0
            }
        );
        assert!(r[1].is_vertical());
    }

    #[test]
    fn pages_with_text_or_without_images_are_not_scans() {
        let placement = Placement {
            id: (1, 0),
            ctm: [595.0, 0.0, 0.0, 842.0, 0.0, 0.0],
        };
        let mut c = PageContent {
            images: vec![placement],
            ..PageContent::default()
        };
        assert!(needs_ocr(&c));
        c.glyphs = crate::ingest::pdf::glyphs::test_word("Tekst", 10.0, 10.0);
        assert!(!needs_ocr(&c));
        // A text layer of private-use code points is garbage over a scan.
        c.glyphs = crate::ingest::pdf::glyphs::test_word("\u{E001}\u{E002}\u{E003}", 10.0, 10.0);
        assert!(needs_ocr(&c));
        c.images.clear();
        assert!(!needs_ocr(&c));
    }
}

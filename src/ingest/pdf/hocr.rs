//! Tesseract's hOCR output, read: the lines it found with their baselines
//! and sizes, each line's words with their boxes and confidences, and the
//! ruling lines it set apart ("separators"), all in the pixels of the image
//! it read (origin top left, y down).
//!
//! hOCR is XHTML whose elements carry their geometry in `title`:
//! `<span class='ocrx_word' title='bbox 960 101 1102 123; x_wconf 96'>`.
//! Only what the reader needs is kept; the rest is skipped.

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

/// A box in image pixels: left, top, right, bottom.
pub type PixelBox = [f32; 4];

/// One page of hOCR.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Hocr {
    pub lines: Vec<HocrLine>,
    /// Ruling lines (table borders, rules under headings).
    pub separators: Vec<PixelBox>,
}

/// One line of text.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct HocrLine {
    pub bbox: PixelBox,
    /// The baseline: `y = bottom + offset + slope · (x − left)`.
    pub slope: f32,
    pub offset: f32,
    /// The line's type size in pixels (Tesseract's row height).
    pub x_size: f32,
    pub words: Vec<HocrWord>,
}

/// One word.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct HocrWord {
    pub bbox: PixelBox,
    /// Tesseract's confidence, 0–100.
    pub confidence: f32,
    pub text: String,
}

/// The classes of hOCR elements that hold a line of words.
const LINE_CLASSES: &[&str] = &["ocr_line", "ocr_caption", "ocr_header", "ocr_textfloat"];

/// Reads hOCR; elements it cannot make sense of are left out.
pub fn parse(xml: &str) -> Hocr {
    let mut out = Hocr::default();
    let mut reader = Reader::from_str(xml);
    // Open elements, and the depth at which the word being read opened.
    let mut depth = 0usize;
    let mut word: Option<(usize, HocrWord)> = None;
    while let Ok(ev) = reader.read_event() {
        match ev {
            Event::Start(e) => {
                depth += 1;
                opened(&e, depth, &mut out, &mut word);
            }
            Event::Empty(e) if class(&e).as_deref() == Some("ocr_separator") => {
                out.separators.extend(title(&e).bbox);
            }
            Event::Text(t) => {
                if let Some((_, w)) = word.as_mut() {
                    w.text.push_str(&t.xml10_content());
                }
            }
            Event::GeneralRef(r) => {
                if let Some((_, w)) = word.as_mut() {
                    w.text.push_str(&entity(&r));
                }
            }
            Event::End(_) => {
                if word.as_ref().is_some_and(|(d, _)| *d == depth) {
                    let (_, w) = word.take().expect("a word is open");
                    if let (Some(line), false) = (out.lines.last_mut(), w.text.trim().is_empty()) {
                        line.words.push(HocrWord {
                            text: w.text.trim().to_string(),
                            ..w
                        });
                    }
                }
                depth = depth.saturating_sub(1);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    out.lines.retain(|l| !l.words.is_empty());
    out
}

/// An element opens: a line, a word (read until it closes at `depth`), or
/// a separator written with a closing tag.
fn opened(e: &BytesStart, depth: usize, out: &mut Hocr, word: &mut Option<(usize, HocrWord)>) {
    let Some(class) = class(e) else {
        return;
    };
    let t = title(e);
    match class.as_str() {
        "ocrx_word" if word.is_none() => {
            *word = t.bbox.map(|bbox| {
                let w = HocrWord {
                    bbox,
                    confidence: t.confidence.unwrap_or(0.0),
                    text: String::new(),
                };
                (depth, w)
            });
        }
        "ocr_separator" => out.separators.extend(t.bbox),
        c if LINE_CLASSES.contains(&c) => {
            if let Some(bbox) = t.bbox {
                out.lines.push(HocrLine {
                    bbox,
                    slope: t.baseline.0,
                    offset: t.baseline.1,
                    x_size: t.x_size.unwrap_or(bbox[3] - bbox[1]),
                    words: Vec::new(),
                });
            }
        }
        _ => {}
    }
}

fn class(e: &BytesStart) -> Option<String> {
    attr(e, "class")
}

fn attr(e: &BytesStart, key: &str) -> Option<String> {
    crate::ingest::xml_attr(e, key)
}

/// What an element's `title` says.
#[derive(Default)]
struct Title {
    bbox: Option<PixelBox>,
    baseline: (f32, f32),
    x_size: Option<f32>,
    confidence: Option<f32>,
}

/// Reads `title='bbox 1 2 3 4; baseline -0.01 -3; x_size 22; x_wconf 96'`.
fn title(e: &BytesStart) -> Title {
    let mut t = Title::default();
    let Some(text) = attr(e, "title") else {
        return t;
    };
    for part in text.split(';') {
        let mut words = part.split_whitespace();
        let key = words.next().unwrap_or("");
        let nums: Vec<f32> = words
            .filter_map(|w| w.parse::<f32>().ok())
            .filter(|n| n.is_finite())
            .collect();
        match (key, nums.as_slice()) {
            ("bbox", [x0, y0, x1, y1]) if x1 >= x0 && y1 >= y0 => {
                t.bbox = Some([*x0, *y0, *x1, *y1])
            }
            ("baseline", [slope, offset]) => t.baseline = (*slope, *offset),
            ("x_size", [s]) if *s > 0.0 => t.x_size = Some(*s),
            ("x_wconf", [c]) => t.confidence = Some(*c),
            _ => {}
        }
    }
    t
}

/// The text of an entity or character reference in a word.
fn entity(r: &quick_xml::events::BytesRef) -> String {
    crate::ingest::xml_entity(r)
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<html xmlns="http://www.w3.org/1999/xhtml"><body>
  <div class='ocr_page' id='page_1' title='image "p.jpg"; bbox 0 0 1654 2339; ppageno 0; scan_res 200 200'>
   <div class='ocr_separator' id='block_1_2' title="bbox 168 187 1430 207"></div>
   <div class='ocr_carea' id='block_1_1' title="bbox 960 96 1440 123">
    <p class='ocr_par' id='par_1_1' lang='nor' title="bbox 960 96 1440 123">
     <span class='ocr_line' id='line_1_1' title="bbox 960 96 1440 123; baseline -0.015 -3; x_size 22; x_descenders 4; x_ascenders 5">
      <span class='ocrx_word' id='word_1_1' title='bbox 960 101 1102 123; x_wconf 96'>Handlingsplan</span>
      <span class='ocrx_word' id='word_1_2' title='bbox 1109 101 1158 118; x_wconf 93'><strong>2025</strong></span>
      <span class='ocrx_word' id='word_1_3' title='bbox 1166 101 1190 118; x_wconf 41'>R&amp;D</span>
      <span class='ocrx_word' id='word_1_4' title='bbox 1200 101 1210 118; x_wconf 12'> </span>
     </span>
    </p>
   </div>
  </div></body></html>"#;

    #[test]
    fn lines_words_confidences_and_separators() {
        let h = parse(PAGE);
        assert_eq!(h.separators, vec![[168.0, 187.0, 1430.0, 207.0]]);
        assert_eq!(h.lines.len(), 1);
        let l = &h.lines[0];
        assert_eq!((l.slope, l.offset, l.x_size), (-0.015, -3.0, 22.0));
        let words: Vec<(&str, f32)> = l
            .words
            .iter()
            .map(|w| (w.text.as_str(), w.confidence))
            .collect();
        // Markup inside a word is its text; an empty word is no word.
        assert_eq!(
            words,
            vec![("Handlingsplan", 96.0), ("2025", 93.0), ("R&D", 41.0)]
        );
        assert_eq!(l.words[1].bbox, [1109.0, 101.0, 1158.0, 118.0]);
    }

    #[test]
    fn broken_hocr_gives_what_it_holds() {
        let cut = &PAGE[..PAGE.find("word_1_3").unwrap()];
        let h = parse(cut);
        assert_eq!(h.lines[0].words.len(), 2);
        assert_eq!(parse("not xml at all <<<"), Hocr::default());
    }
}

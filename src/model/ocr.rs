//! What OCR read: how sure it was of a page and of each piece of text laid
//! out from it, so that every line and cell made from a scanned page carries
//! its confidence into the document.

use std::collections::HashMap;

/// How sure OCR (Tesseract) was of some text: the mean of its words'
/// confidences, 0 to 100, taken over the words that hold a digit where any
/// does (a figure's reading rests on its digits, not on the label beside it).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct WordConfidence(pub u8);

impl WordConfidence {
    /// The mean of word confidences (Tesseract's 0–100, clamped), words
    /// with a digit only where there are such; `None` without words.
    pub fn of_words<'a>(words: impl IntoIterator<Item = (&'a str, f32)>) -> Option<Self> {
        let (mut all, mut digits) = ((0.0f32, 0usize), (0.0f32, 0usize));
        for (text, conf) in words {
            let conf = conf.clamp(0.0, 100.0);
            all = (all.0 + conf, all.1 + 1);
            if text.chars().any(|c| c.is_ascii_digit()) {
                digits = (digits.0 + conf, digits.1 + 1);
            }
        }
        let (sum, n) = if digits.1 > 0 { digits } else { all };
        (n > 0).then(|| WordConfidence((sum / n as f32).round() as u8))
    }
}

/// A page whose text was read by OCR from its image.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OcrPage {
    /// Page number in the source.
    pub number: u32,
    /// Words read.
    pub words: usize,
    /// Their mean confidence, all words counted.
    pub confidence: WordConfidence,
}

/// What OCR read on one page, handed to the builder before the page's text is
/// segmented: the page's totals, and each piece of text the reader laid out
/// (a line, and each cell of a line) with its confidence.
///
/// The segmenter keeps a line's text as the reader made it, but may strip a
/// list marker or join a cell's wrapped lines; a line or cell is therefore
/// matched to the pieces by its text: a piece equal to it, else the pieces
/// it holds (the least sure of them), else a piece that holds it, else the
/// page's confidence.
#[derive(Clone, Debug, Default)]
pub struct OcrReading {
    pieces: Vec<(String, WordConfidence)>,
    /// The least sure piece of each text.
    exact: HashMap<String, WordConfidence>,
    page: Option<OcrPage>,
}

/// Pieces shorter than this are not looked for inside longer text: a row
/// number "5" is inside "2025" without being it.
const MIN_PIECE_CHARS: usize = 4;

impl OcrReading {
    /// The reading of `page`, with no pieces yet.
    pub fn new(page: OcrPage) -> Self {
        OcrReading {
            page: Some(page),
            ..OcrReading::default()
        }
    }

    /// Adds a piece of text the reader laid out, with its confidence.
    pub fn piece(&mut self, text: &str, confidence: WordConfidence) {
        let text = super::builder_normalise(text);
        if text.is_empty() {
            return;
        }
        let held = self.exact.entry(text.clone()).or_insert(confidence);
        *held = (*held).min(confidence);
        self.pieces.push((text, confidence));
    }

    /// The page's totals.
    pub fn page(&self) -> Option<&OcrPage> {
        self.page.as_ref()
    }

    /// How sure OCR was of `text`, a line or cell made from this page.
    pub fn confidence_of(&self, text: &str) -> Option<WordConfidence> {
        let text = super::builder_normalise(text);
        if let Some(c) = self.exact.get(&text) {
            return Some(*c);
        }
        let within = |inner: &str, outer: &str| {
            inner.chars().count() >= MIN_PIECE_CHARS && outer.contains(inner)
        };
        let held = self
            .pieces
            .iter()
            .filter(|(p, _)| within(p, &text))
            .map(|(_, c)| *c)
            .min();
        held.or_else(|| {
            self.pieces
                .iter()
                .filter(|(p, _)| within(&text, p))
                .map(|(_, c)| *c)
                .min()
        })
        .or(self.page.as_ref().map(|p| p.confidence))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_figure_is_as_sure_as_its_digits() {
        let c = WordConfidence::of_words([("Sum", 30.0), ("1", 90.0), ("400", 80.0)]);
        assert_eq!(c, Some(WordConfidence(85)));
        let c = WordConfidence::of_words([("Mobilitet", 71.4)]);
        assert_eq!(c, Some(WordConfidence(71)));
        assert_eq!(WordConfidence::of_words([]), None);
    }

    #[test]
    fn lines_are_matched_to_pieces_by_their_text() {
        let mut r = OcrReading::new(OcrPage {
            number: 1,
            words: 9,
            confidence: WordConfidence(88),
        });
        r.piece("Samfunnsutvikling og", WordConfidence(93));
        r.piece("planlegging", WordConfidence(75));
        r.piece("1 400 000", WordConfidence(96));
        r.piece("1 400 000", WordConfidence(61));
        r.piece("5", WordConfidence(20));
        // The same text twice: the less sure.
        assert_eq!(r.confidence_of("1\u{a0}400 000"), Some(WordConfidence(61)));
        // A cell joined from two lines: the less sure of them.
        assert_eq!(
            r.confidence_of("Samfunnsutvikling og planlegging"),
            Some(WordConfidence(75))
        );
        // A list item without its marker sits inside its line.
        assert_eq!(r.confidence_of("planleg"), Some(WordConfidence(75)));
        // Nothing like it: the page's.
        assert_eq!(r.confidence_of("I 2025 vil"), Some(WordConfidence(88)));
    }
}

//! Each block's sentences, cut once.
//!
//! Extraction (figures, parties) and several rules (dates, shares, counts)
//! read running text sentence by sentence. Cutting a block into sentences
//! ([`crate::norsk::sentences`]) is done here, once per block, and the later
//! stages take the cuts from the plan instead of cutting the text again.

use crate::model::{Block, BlockKind, Document};

/// The sentences of every block that is not a table, in the order of
/// [`Document::blocks`], as byte ranges of the block's text.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BlockSentences {
    /// Each block's range in `spans` (empty for a table).
    blocks: Vec<(u32, u32)>,
    /// Byte ranges of sentences in their block's text.
    spans: Vec<(u32, u32)>,
}

impl BlockSentences {
    /// Cuts every block of `doc` but its tables.
    pub fn of(doc: &Document) -> BlockSentences {
        let mut out = BlockSentences::default();
        for b in doc.blocks() {
            let start = out.spans.len() as u32;
            if !matches!(b.kind, BlockKind::Table(_)) {
                let base = b.text.as_ptr() as usize;
                out.spans.extend(crate::norsk::sentences(&b.text).map(|s| {
                    let from = s.as_ptr() as usize - base;
                    (from as u32, (from + s.len()) as u32)
                }));
            }
            out.blocks.push((start, out.spans.len() as u32));
        }
        out
    }

    /// The sentences of `block`, the `ordinal`th of [`Document::blocks`], as
    /// [`crate::norsk::sentences`] gives them. A block the cuts were not
    /// made for (a table, or past the end) is cut here.
    pub fn of_block<'t>(&self, ordinal: usize, block: &'t Block) -> Sentences<'_, 't> {
        match self.blocks.get(ordinal) {
            Some(&(a, b)) if !matches!(block.kind, BlockKind::Table(_)) => {
                Sentences::Cut(self.spans[a as usize..b as usize].iter(), &block.text)
            }
            _ => Sentences::Fresh(Box::new(crate::norsk::sentences(&block.text))),
        }
    }
}

/// The sentences of one block: from the cuts, or cut afresh.
pub enum Sentences<'c, 't> {
    Cut(std::slice::Iter<'c, (u32, u32)>, &'t str),
    Fresh(Box<dyn Iterator<Item = &'t str> + 't>),
}

impl<'t> Iterator for Sentences<'_, 't> {
    type Item = &'t str;

    fn next(&mut self) -> Option<&'t str> {
        match self {
            Sentences::Cut(spans, text) => {
                spans.next().map(|&(a, b)| &text[a as usize..b as usize])
            }
            Sentences::Fresh(it) => it.next(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cuts_give_what_cutting_again_gives() {
        let text = "Plan 2025\n\nDet settes av ca. 500 000 kr. Vedtatt 13. desember 2024. Neste steg er klart.\n\n- Tiltak én. Tiltak to!\n\nKort.\n";
        let doc = crate::ingest::ingest(text.as_bytes(), &crate::ingest::IngestOptions::default())
            .unwrap();
        let cuts = BlockSentences::of(&doc);
        let mut seen = 0;
        for (i, b) in doc.blocks().enumerate() {
            let got: Vec<&str> = cuts.of_block(i, b).collect();
            let want: Vec<&str> = crate::norsk::sentences(&b.text).collect();
            assert_eq!(got, want, "block {i}: {:?}", b.text);
            seen += got.len();
        }
        assert!(seen >= 6, "{seen} sentences");
    }
}

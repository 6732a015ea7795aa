//! What a rule sees: the document, its plan, and helpers to point at places in
//! the normalised text.

use crate::extract::grid::{Grid, GridRow};
use crate::extract::Plan;
use crate::model::{BlockKind, Document, Span};

use super::{CellRef, Location};

pub struct Checker<'a> {
    pub doc: &'a Document,
    pub plan: &'a Plan,
    /// The document's tables in order, found once: rules point at cells of
    /// table `n` many times, and walking the blocks each time made a long
    /// document's checking quadratic.
    tables: Vec<(&'a crate::model::Block, &'a crate::model::Table)>,
    /// The lines of each table's section (from the heading before it to the
    /// heading after it), by table index, found in one walk over the blocks.
    sections: Vec<(u32, u32)>,
    /// The prose figures of the plan as (line, index in `plan.amounts`),
    /// sorted: a section's figures are a range of it.
    prose_figures: Vec<(u32, usize)>,
    /// [`Grid::year`] of each of the plan's grids, read once: rules ask it
    /// for every goal and measure they compare.
    grid_years: Vec<Option<i32>>,
    /// [`super::numbering::appendix_start`], found once: four rules ask it.
    appendix: std::sync::OnceLock<Option<u32>>,
}

impl<'a> Checker<'a> {
    pub fn new(doc: &'a Document, plan: &'a Plan) -> Self {
        let mut prose_figures: Vec<(u32, usize)> = plan
            .amounts
            .iter()
            .enumerate()
            .filter(|(_, a)| a.in_prose(plan).is_some())
            .map(|(i, a)| (a.span.line, i))
            .collect();
        prose_figures.sort_unstable();
        Checker {
            doc,
            plan,
            tables: doc.tables().collect(),
            sections: sections(doc),
            prose_figures,
            grid_years: plan.grids.iter().map(Grid::year).collect(),
            appendix: std::sync::OnceLock::new(),
        }
    }

    /// The line the appendices start on, if the document has them
    /// ([`super::numbering::appendix_start`]), found on the first call.
    pub fn appendix_start(&self) -> Option<u32> {
        *self
            .appendix
            .get_or_init(|| super::numbering::appendix_start(self.doc))
    }

    /// How sure OCR was of a cell's text, if a scanned page was read.
    pub fn cell_ocr(&self, c: CellRef) -> Option<crate::model::WordConfidence> {
        self.tables
            .get(c.table)
            .and_then(|(_, t)| t.rows.get(c.row))
            .and_then(|r| r.cells.get(c.col))
            .and_then(|cell| cell.ocr)
    }

    /// Line `n` (1-based) of the normalised text.
    pub fn line(&self, n: u32) -> &str {
        self.doc
            .lines
            .get((n as usize).wrapping_sub(1))
            .map_or("", String::as_str)
    }

    /// A table cell: the cell itself, its row's line, and its text within it.
    pub fn cell(&self, row: &GridRow, col: usize, label: impl Into<String>) -> Location {
        let range = self
            .tables
            .get(row.table)
            .and_then(|(_, t)| t.rows.get(row.index))
            .and_then(|r| r.cell_range(col));
        let line = self.line(row.span.line);
        let range = range.filter(|r| line.get(r.clone()).is_some());
        Location {
            span: Span {
                end_line: row.span.line,
                ..row.span
            },
            range,
            cell: Some(CellRef {
                table: row.table,
                row: row.index,
                col,
            }),
            label: label.into(),
        }
    }

    /// The row's label cell (or its first cell).
    pub fn row_label(&self, grid: &Grid, row: &GridRow, label: impl Into<String>) -> Location {
        let col = row
            .cells
            .iter()
            .position(|c| !c.text.trim().is_empty() && c.money.is_none())
            .or_else(|| grid.money_columns().next())
            .unwrap_or(0);
        self.cell(row, col, label)
    }

    /// The `nth` occurrence of `needle` within the lines of `span`.
    pub fn text(&self, span: Span, needle: &str, label: impl Into<String>) -> Location {
        let label = label.into();
        for n in span.line..=span.end_line.max(span.line) {
            if let Some(i) = self.line(n).find(needle) {
                return Location {
                    span: Span {
                        page: span.page,
                        line: n,
                        end_line: n,
                    },
                    range: Some(i..i + needle.len()),
                    cell: None,
                    label,
                };
            }
        }
        Location {
            span,
            range: None,
            cell: None,
            label,
        }
    }

    /// The one year `grid` is for ([`Grid::year`]), read once per grid of the plan.
    pub fn year_of(&self, grid: &Grid) -> Option<i32> {
        let size = std::mem::size_of::<Grid>().max(1);
        let i =
            (grid as *const Grid as usize).wrapping_sub(self.plan.grids.as_ptr() as usize) / size;
        match self.plan.grids.get(i) {
            Some(g) if std::ptr::eq(g, grid) => self.grid_years[i],
            _ => grid.year(),
        }
    }

    /// Whole lines, nothing underlined.
    pub fn lines(&self, span: Span, label: impl Into<String>) -> Location {
        Location {
            span,
            range: None,
            cell: None,
            label: label.into(),
        }
    }

    /// Prose blocks (paragraphs and list items) with their spans, in reading order.
    pub fn prose(&self) -> impl Iterator<Item = &'a crate::model::Block> {
        self.numbered_prose().map(|(_, b)| b)
    }

    /// [`Checker::prose`], each block with its place among the document's
    /// blocks: what [`crate::extract::sentences::BlockSentences::of_block`] asks.
    pub fn numbered_prose(&self) -> impl Iterator<Item = (usize, &'a crate::model::Block)> {
        self.doc
            .blocks()
            .enumerate()
            .filter(|(_, b)| matches!(b.kind, BlockKind::Paragraph | BlockKind::ListItem { .. }))
    }
}

impl<'a> Checker<'a> {
    /// Table `index` of the document, as ingestion read it.
    pub fn table(&self, index: usize) -> Option<&'a crate::model::Table> {
        self.tables.get(index).map(|&(_, t)| t)
    }

    /// The block of table `index`.
    pub fn table_block(&self, index: usize) -> Option<&'a crate::model::Block> {
        self.tables.get(index).map(|&(b, _)| b)
    }

    /// The plan's prose figures in the section of table `index` (from the
    /// heading before it to the heading after it), with their sentences.
    fn nearby_figures(
        &self,
        index: usize,
    ) -> Vec<(
        &'a crate::extract::ExtractedAmount,
        &'a crate::extract::ProseSentence,
    )> {
        let Some(&(first, last)) = self.sections.get(index) else {
            return Vec::new();
        };
        let from = self.prose_figures.partition_point(|&(l, _)| l < first);
        let to = self.prose_figures.partition_point(|&(l, _)| l <= last);
        let mut found: Vec<usize> = self
            .prose_figures
            .get(from..to)
            .unwrap_or_default()
            .iter()
            .map(|&(_, i)| i)
            .collect();
        // In the plan's order, as the callers take the first that fits.
        found.sort_unstable();
        found
            .into_iter()
            .filter_map(|i| {
                let a = &self.plan.amounts[i];
                Some((a, a.in_prose(self.plan)?.0))
            })
            .collect()
    }

    /// A sentence near table `index` that names one of `figures` and, in it or
    /// the sentence after, says it is left out, frozen or comes in addition:
    /// the document's own explanation of a gap.
    pub fn explaining_prose(
        &self,
        index: usize,
        figures: &[crate::norsk::Amount],
    ) -> Option<(Location, String)> {
        self.nearby_figures(index).into_iter().find_map(|(a, s)| {
            let quoted = s.left_out.clone()?;
            figures.contains(&a.amount()).then(|| {
                (
                    self.text(a.span, &a.money.text, "explanation in the text"),
                    quoted,
                )
            })
        })
    }

    /// A sentence near table `index` that gives `figure` too.
    pub fn prose_naming(
        &self,
        index: usize,
        figure: crate::norsk::Amount,
    ) -> Option<(Location, String)> {
        self.nearby_figures(index).into_iter().find_map(|(a, s)| {
            (a.amount() == figure).then(|| {
                (
                    self.text(a.span, &a.money.text, "the same figure in the text"),
                    s.text.trim().to_string(),
                )
            })
        })
    }
}

/// The lines of each table's section, by table index: from the line after the
/// heading before the table (or the first line) to the line before the
/// heading after it (or the last).
fn sections(doc: &Document) -> Vec<(u32, u32)> {
    let mut out: Vec<(u32, u32)> = Vec::new();
    let mut first = 0;
    // Tables since the last heading, waiting for the heading that ends them.
    let mut open = 0;
    for b in doc.blocks() {
        match b.kind {
            BlockKind::Heading { .. } => {
                let last = b.span.line.saturating_sub(1);
                for s in &mut out[open..] {
                    s.1 = last;
                }
                open = out.len();
                first = b.span.end_line + 1;
            }
            BlockKind::Table(_) => out.push((first, u32::MAX)),
            _ => {}
        }
    }
    out
}

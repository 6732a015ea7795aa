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
}

impl<'a> Checker<'a> {
    pub fn new(doc: &'a Document, plan: &'a Plan) -> Self {
        Checker {
            doc,
            plan,
            tables: doc.tables().collect(),
        }
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
        self.doc
            .blocks()
            .filter(|b| matches!(b.kind, BlockKind::Paragraph | BlockKind::ListItem { .. }))
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
        let Some(table) = self.table_block(index) else {
            return Vec::new();
        };
        let blocks: Vec<&crate::model::Block> = self.doc.blocks().collect();
        let Some(at) = blocks.iter().position(|b| std::ptr::eq(*b, table)) else {
            return Vec::new();
        };
        let is_heading = |b: &&crate::model::Block| matches!(b.kind, BlockKind::Heading { .. });
        let first = blocks[..at]
            .iter()
            .rposition(is_heading)
            .map_or(0, |i| blocks[i].span.end_line + 1);
        let last = blocks[at + 1..]
            .iter()
            .find(|b| is_heading(b))
            .map_or(u32::MAX, |h| h.span.line.saturating_sub(1));
        self.plan
            .amounts
            .iter()
            .filter(|a| (first..=last).contains(&a.span.line))
            .filter_map(|a| Some((a, a.in_prose(self.plan)?.0)))
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

//! Where the normalised text came from in the source file.
//!
//! Spans count lines of the normalised text ([`super::Document::lines`]): the
//! same for every format, and what the rules read. A person opening the file
//! needs the file's own place instead: line and column of a text or HTML file,
//! the paragraph of a Word document, the page and the line on it of a PDF. The
//! ingester that read the file knows that place, so it builds this map once
//! and later stages only look places up in it; nothing reads the source again.

/// What a [`SourcePos`] counts in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum SourceUnit {
    /// The format gives no place finer than the normalised line (spreadsheets
    /// name their cells instead).
    #[default]
    None,
    /// Lines and columns of the file as an editor shows it (text, HTML).
    Line,
    /// Paragraphs of a Word document's body, in document order, counting
    /// from 1 (a table cell's paragraphs and empty paragraphs included).
    Paragraph,
    /// Lines on a page as plansjekk read them, from 1 at the page's top.
    PageLine,
}

/// A place in the source file: see [`SourceUnit`] for what `line` counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct SourcePos {
    pub unit: SourceUnit,
    /// The page (PDF only).
    pub page: Option<u32>,
    /// The line of the file, the paragraph, or the line on the page.
    pub line: u32,
    /// 1-based, in characters.
    pub column: u32,
}

/// A stretch of a normalised line whose characters sit at equal distances in
/// one line (or paragraph) of the source: character `at + k` of the
/// normalised line is column `column + k` of source line `line`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Run {
    /// Character offset in the normalised line, from 0.
    pub at: u32,
    pub len: u32,
    pub line: u32,
    pub column: u32,
}

/// Source places of the normalised text's lines, built by the ingester.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SourceMap {
    pub unit: SourceUnit,
    /// Per normalised line (index `line - 1`): its runs, in order of `at`.
    lines: Vec<Vec<Run>>,
    /// Per normalised line: its page, for [`SourceUnit::PageLine`].
    pages: Vec<Option<u32>>,
}

impl SourceMap {
    /// A map of runs per normalised line (lines past the end have none).
    pub fn from_runs(unit: SourceUnit, lines: Vec<Vec<Run>>) -> SourceMap {
        SourceMap {
            unit,
            lines,
            pages: Vec::new(),
        }
    }

    /// Lines on pages: normalised line `k` is line `k - first + 1` of its
    /// page, where `first` is the page's first normalised line. `pages[i]`
    /// is the page of normalised line `i + 1`.
    pub fn by_page(pages: Vec<Option<u32>>) -> SourceMap {
        let mut counts: std::collections::HashMap<Option<u32>, u32> = Default::default();
        let lines = pages
            .iter()
            .map(|p| {
                let n = counts.entry(*p).or_insert(0);
                *n += 1;
                vec![Run {
                    at: 0,
                    len: u32::MAX,
                    line: *n,
                    column: 1,
                }]
            })
            .collect();
        SourceMap {
            unit: SourceUnit::PageLine,
            lines,
            pages,
        }
    }

    /// True when the map knows nothing.
    pub fn is_empty(&self) -> bool {
        self.unit == SourceUnit::None || self.lines.iter().all(Vec::is_empty)
    }

    /// The source place of character `char` (from 0) of normalised line
    /// `line` (from 1); `None` where the character was not found in the
    /// source (a word the reading changed, such as one joined at a hyphen).
    pub fn locate(&self, line: u32, char: u32) -> Option<SourcePos> {
        let index = (line as usize).checked_sub(1)?;
        let runs = self.lines.get(index)?;
        let k = runs.partition_point(|r| r.at <= char).checked_sub(1)?;
        let r = runs[k];
        (char < r.at.saturating_add(r.len)).then(|| SourcePos {
            unit: self.unit,
            page: self.pages.get(index).copied().flatten(),
            line: r.line,
            column: r.column + (char - r.at),
        })
    }

    /// The source place of the start of normalised line `line`: its first
    /// character found in the source.
    pub fn line_start(&self, line: u32) -> Option<SourcePos> {
        let index = (line as usize).checked_sub(1)?;
        let first = self.lines.get(index)?.first()?;
        self.locate(line, first.at)
    }
}

/// Builds runs from the source place of each character of a normalised
/// line that was found in the source: neighbouring characters at the same
/// distance in the same source line share one run.
pub fn runs_of(mapped: impl IntoIterator<Item = (u32, u32, u32)>) -> Vec<Run> {
    let mut runs: Vec<Run> = Vec::new();
    for place in mapped {
        extend_runs(&mut runs, place);
    }
    runs
}

/// Adds the source place `(at, line, column)` of one more character, after
/// those `runs` hold, as [`runs_of`] does: for a reader that finds the
/// places one by one and need not hold them all.
pub fn extend_runs(runs: &mut Vec<Run>, (at, line, column): (u32, u32, u32)) {
    if let Some(r) = runs.last_mut() {
        let gap = at.wrapping_sub(r.at);
        if r.line == line && at >= r.at + r.len && column == r.column.wrapping_add(gap) {
            r.len = gap + 1;
            return;
        }
    }
    runs.push(Run {
        at,
        len: 1,
        line,
        column,
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn characters_at_equal_distances_share_a_run() {
        // "a b" found as "a  b" on line 3: two runs, the gap grew by one.
        let runs = runs_of([(0, 3, 1), (2, 3, 4)]);
        assert_eq!(runs.len(), 2);
        // "ab cd" found as "ab cd" at column 5: one run.
        let runs = runs_of([(0, 1, 5), (1, 1, 6), (3, 1, 8), (4, 1, 9)]);
        assert_eq!(
            runs,
            [Run {
                at: 0,
                len: 5,
                line: 1,
                column: 5
            }]
        );
        let map = SourceMap::from_runs(SourceUnit::Line, vec![vec![], runs]);
        assert_eq!(map.locate(2, 3).map(|p| (p.line, p.column)), Some((1, 8)));
        assert_eq!(map.locate(2, 5), None, "past the run");
        assert_eq!(map.locate(1, 0), None, "a line found nowhere");
        assert_eq!(map.line_start(2).map(|p| p.column), Some(5));
    }

    #[test]
    fn lines_on_a_page_count_from_its_top() {
        let map = SourceMap::by_page(vec![Some(1), Some(1), Some(2)]);
        let p = map.locate(3, 2).unwrap();
        assert_eq!((p.page, p.line, p.column), (Some(2), 1, 3));
        assert_eq!(map.locate(2, 0).unwrap().line, 2);
    }
}

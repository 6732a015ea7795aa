//! Glyphs → text lines. Words are separated where the gap between glyphs is
//! wider than a fraction of the font size; cells where a ruling line stands
//! between two glyphs or the gap is far wider than any word space. Cells are
//! joined with a tab, the same convention plain-text tables use, so one
//! segmenter reads both.

use super::glyphs::{Glyph, PageContent, Rule};
use crate::model::WordConfidence;

#[derive(Clone, Debug, PartialEq)]
pub struct Line {
    pub text: String,
    pub x0: f32,
    pub x1: f32,
    /// Baseline.
    pub y: f32,
    pub size: f32,
    pub bold: bool,
    /// The line ends in a space glyph: the typesetter broke it at a space.
    pub trailing_space: bool,
    /// Where each tab-separated part of `text` lies on x (x0, x1).
    pub cells: Vec<(f32, f32)>,
    /// Where the line's second word starts: after a list marker ("•", "1."),
    /// the edge its item's wrapped lines hang from. `x1` for one word.
    pub text_x: f32,
    /// Where a drawn bullet before the line starts (see [`mark_bullets`]).
    pub bullet_x: Option<f32>,
    /// For a line read by OCR, how sure it was of each tab-separated part;
    /// empty for text the PDF draws.
    pub ocr: Vec<WordConfidence>,
}

/// A gap wider than this many font sizes separates cells even without a rule.
const CELL_GAP_EM: f32 = 2.2;
/// A gap wider than this many font sizes between two figures separates cells.
const FIGURE_GAP_EM: f32 = 0.9;
/// A gap wider than this many font sizes is a word space.
const WORD_GAP_EM: f32 = 0.16;

/// The lines of a whole page: upright text top down, then rotated text.
pub fn page_lines(content: &PageContent) -> Vec<Line> {
    page_lines_of(&content.glyphs.iter().collect::<Vec<_>>(), &content.rules)
}

/// The lines of some of a page's glyphs (those outside its ruled tables).
pub fn page_lines_of(glyphs: &[&Glyph], rules: &[Rule]) -> Vec<Line> {
    let verticals: Vec<&Rule> = rules.iter().filter(|r| r.is_vertical()).collect();
    let upright: Vec<&Glyph> = glyphs.iter().copied().filter(|g| g.upright()).collect();
    let rows = super::columns::reading_order(rows_of(upright));
    let mut lines = rows_to_lines(rows, &verticals);

    // Rotated text (margin notes, rotated tables) in drawing order, one line per run.
    let rotated: String = glyphs
        .iter()
        .filter(|g| !g.upright())
        .map(|g| &*g.text)
        .collect();
    if !rotated.trim().is_empty() {
        let size = glyphs
            .iter()
            .find(|g| !g.upright())
            .map_or(10.0, |g| g.size);
        lines.push(Line {
            text: rotated.trim().to_string(),
            x0: 0.0,
            x1: 0.0,
            y: f32::MIN,
            size,
            bold: false,
            trailing_space: false,
            cells: Vec::new(),
            text_x: 0.0,
            bullet_x: None,
            ocr: Vec::new(),
        });
    }
    lines
}

/// Lines that start right after a small filled shape on their baseline are
/// list items whose bullet was drawn, not set: they get a "•".
pub fn mark_bullets(lines: &mut [Line], marks: &[[f32; 4]]) {
    for l in lines.iter_mut() {
        let bullet = marks.iter().find(|&&[_, y0, x1, y1]| {
            let cy = (y0 + y1) / 2.0;
            cy > l.y - 0.1 * l.size
                && cy < l.y + 0.8 * l.size
                && y1 - y0 <= 0.7 * l.size
                && x1 <= l.x0 + 0.5
                && l.x0 - x1 < 2.5 * l.size
        });
        if let Some(&[x0, ..]) = bullet {
            if !l.text.starts_with(['•', '-', '–', '▪', '◦']) {
                l.text.insert_str(0, "• ");
                l.bullet_x = Some(x0);
            }
        }
    }
}

/// The rows of a borderless table: consecutive lines cut into cells at wide
/// gaps, put into common columns so that a blank cell stays blank instead of
/// letting the figures after it slide left. The columns are those of the
/// lines with the most cells; every other cell goes to the column it overlaps
/// most (or lies nearest to). `None` when two cells of a line would share a
/// column: then the lines do not line up and are left as they are.
pub fn align_cells(lines: &[&Line]) -> Option<Vec<Vec<String>>> {
    let width = lines.iter().map(|l| l.cells.len()).max()?;
    let mut lanes: Vec<(f32, f32)> = Vec::new();
    for l in lines.iter().filter(|l| l.cells.len() == width) {
        if lanes.is_empty() {
            lanes = l.cells.clone();
        } else {
            for (lane, c) in lanes.iter_mut().zip(&l.cells) {
                *lane = (lane.0.min(c.0), lane.1.max(c.1));
            }
        }
    }
    let mut rows: Vec<Vec<String>> = Vec::with_capacity(lines.len());
    for l in lines {
        let parts: Vec<&str> = l.text.split('\t').collect();
        // A line of one piece between rows: the rest of a cell wrapped in the
        // row above, unless it opens a group of rows in the first column
        // ("Women", "Race" over the rows they head).
        if parts.len() == 1 && l.cells.len() == 1 {
            let (x0, x1) = l.cells[0];
            let lane = (0..width).find(|&i| x0 < lanes[i].1 && x1 > lanes[i].0)?;
            let group = lane == 0
                && parts[0].starts_with(char::is_uppercase)
                && rows
                    .last()
                    .is_some_and(|r| r[1..].iter().any(|c| !c.is_empty()));
            if group {
                let mut row = vec![String::new(); width];
                row[0] = parts[0].to_string();
                rows.push(row);
                continue;
            }
            let above = rows.last_mut()?;
            let cell = &mut above[lane];
            *cell = crate::model::join_lines(&[std::mem::take(cell), parts[0].to_string()]);
            continue;
        }
        if parts.len() != l.cells.len() {
            return None;
        }
        let mut row = vec![String::new(); width];
        for (&(x0, x1), part) in l.cells.iter().zip(parts) {
            let score = |&(a, b): &(f32, f32)| {
                let overlap = x1.min(b) - x0.max(a);
                if overlap > 0.0 {
                    overlap
                } else {
                    // Nearest edge when nothing overlaps (right-aligned figures, short labels).
                    overlap.min(0.0) - 1e4
                }
            };
            let col = (0..width).max_by(|&i, &j| score(&lanes[i]).total_cmp(&score(&lanes[j])))?;
            if !row[col].is_empty() {
                return None;
            }
            row[col] = part.to_string();
        }
        rows.push(row);
    }
    merge_stacked_header(&mut rows);
    Some(rows)
}

/// Rows that are running text set in columns (a page of two or three prose
/// columns, a text beside a figure), not a table: most rows hold two or more
/// cells of several words with hardly a figure, or only one column holds text.
pub fn reads_as_prose(rows: &[Vec<String>]) -> bool {
    let width = rows.iter().map(Vec::len).max().unwrap_or(0);
    let used = (0..width)
        .filter(|&c| {
            rows.iter()
                .any(|r| r.get(c).is_some_and(|t| !t.trim().is_empty()))
        })
        .count();
    if used < 2 {
        return true;
    }
    let wordy = |t: &String| {
        let digits = t.chars().filter(char::is_ascii_digit).count();
        t.split_whitespace().count() >= 4 && digits * 10 < t.chars().count()
    };
    let prose_rows = rows
        .iter()
        .filter(|r| r.iter().filter(|c| wordy(c)).count() >= 2)
        .count();
    prose_rows * 2 >= rows.len() || flowing_columns(rows) >= 2
}

/// Whether rows read through a chart are its plot rather than a table: most
/// rows that hold text hold nothing but ticks of a value axis — a column of
/// four or more figures evenly stepped (450, 400, … 0) — alone on their rows
/// or beside the ticks of a chart drawn next to it. A table's column of row
/// numbers or years has its entries beside it.
pub fn reads_as_chart(rows: &[Vec<String>]) -> bool {
    let value = |t: &str| t.trim().replace([',', ' '], "").parse::<f64>().ok();
    let width = rows.iter().map(Vec::len).max().unwrap_or(0);
    let filled = |r: &Vec<String>, c: usize| r.get(c).is_some_and(|t| !t.trim().is_empty());
    let axes: Vec<usize> = (0..width)
        .filter(|&c| {
            // (The axis's title or the other axis's labels may share its column.)
            let vals: Vec<f64> = rows
                .iter()
                .filter(|r| filled(r, c))
                .filter_map(|r| value(&r[c]))
                .collect();
            if vals.len() < 4 {
                return false;
            }
            let d = vals[1] - vals[0];
            d != 0.0
                && vals
                    .windows(2)
                    .all(|w| (w[1] - w[0] - d).abs() <= 1e-6 * d.abs())
        })
        .collect();
    let texts: Vec<&Vec<String>> = rows
        .iter()
        .filter(|r| (0..width).any(|c| filled(r, c)))
        .collect();
    let ticks = texts
        .iter()
        .filter(|r| {
            (0..width).all(|c| !filled(r, c) || (axes.contains(&c) && value(&r[c]).is_some()))
        })
        .count();
    !axes.is_empty() && ticks * 2 >= texts.len()
}

/// How many columns read as running text: three or more lines, most of them
/// going on from the line above (starting in lower case). A table's entries
/// start afresh in each row; narrow prose columns hold short lines with
/// figures in them that `reads_as_prose`'s wordy test misses.
fn flowing_columns(rows: &[Vec<String>]) -> usize {
    let width = rows.iter().map(Vec::len).max().unwrap_or(0);
    (0..width)
        .filter(|&c| {
            let starts: Vec<char> = rows
                .iter()
                .filter_map(|r| r.get(c)?.trim().chars().next())
                .collect();
            let lower = starts.iter().filter(|ch| ch.is_lowercase()).count();
            starts.len() >= 3 && lower * 2 > starts.len()
        })
        .count()
}

/// A header set over two or three lines ("Kommunal" over "egenandel") is one
/// header row: leading rows without figures, one of each pair with an empty
/// first cell (a data row always has its label), join cell by cell.
fn merge_stacked_header(rows: &mut Vec<Vec<String>>) {
    let wordy = |r: &[String]| r.iter().all(|c| !c.chars().any(|ch| ch.is_ascii_digit()));
    for _ in 0..2 {
        let mergeable = rows.len() > 2
            && wordy(&rows[0])
            && wordy(&rows[1])
            && (rows[0][0].is_empty() || rows[1][0].is_empty());
        if !mergeable {
            return;
        }
        let second = rows.remove(1);
        for (cell, below) in rows[0].iter_mut().zip(second) {
            *cell = crate::model::join_lines(&[std::mem::take(cell), below]);
        }
    }
}

/// Upright glyphs → lines, top down: glyphs whose baselines lie within about
/// half a font size are one line.
pub fn lines_of(upright: Vec<&Glyph>, verticals: &[&Rule]) -> Vec<Line> {
    rows_to_lines(rows_of(upright), verticals)
}

/// Upright glyphs grouped by baseline, top down, each row left to right.
pub fn rows_of(mut upright: Vec<&Glyph>) -> Vec<Vec<&Glyph>> {
    upright.sort_by(|a, b| b.y.total_cmp(&a.y).then(a.x.total_cmp(&b.x)));
    let mut groups: Vec<Vec<&Glyph>> = Vec::new();
    for g in upright {
        match groups.last_mut() {
            Some(line) if (line[0].y - g.y).abs() <= 0.45 * line[0].size.max(g.size) => {
                line.push(g)
            }
            _ => groups.push(vec![g]),
        }
    }
    for row in &mut groups {
        row.sort_by(|a, b| a.x.total_cmp(&b.x));
    }
    groups
}

fn rows_to_lines(rows: Vec<Vec<&Glyph>>, verticals: &[&Rule]) -> Vec<Line> {
    rows.into_iter()
        .filter_map(|mut glyphs| {
            let blank = |g: &&Glyph| g.text.chars().all(char::is_whitespace);
            let trailing_space = glyphs.last().is_some_and(blank);
            // A space is the gap it leaves, not its glyph: browsers draw a
            // soft hyphen as a space glyph with no advance, inside the word.
            glyphs.retain(|g| !blank(g));
            let mut line = build_line(&glyphs, verticals)?;
            line.trailing_space = trailing_space;
            if glyphs.iter().any(|g| g.ocr.is_some()) {
                line.ocr = part_confidences(&glyphs, &line.cells);
            }
            Some(line)
        })
        .collect()
}

/// How sure OCR was of each part of a line: the words whose start lies in
/// the part's extent on x (the words of a part start at or after its left
/// edge and before the next part's). OCR sets a word as glyphs that touch,
/// each with the word's confidence: touching glyphs of equal confidence
/// are one word, counted once.
fn part_confidences(glyphs: &[&Glyph], cells: &[(f32, f32)]) -> Vec<WordConfidence> {
    let mut words: Vec<Vec<(String, f32)>> = vec![Vec::new(); cells.len()];
    let mut prev: Option<&Glyph> = None;
    for g in glyphs {
        let Some(conf) = g.ocr else { continue };
        let part = cells
            .iter()
            .rposition(|&(x0, _)| g.x >= x0 - 0.01)
            .unwrap_or(0);
        let same_word = prev.is_some_and(|p| {
            p.ocr == g.ocr && (g.x - (p.x + p.width)).abs() < 0.01 * g.size.max(1.0)
        });
        match words[part].last_mut() {
            Some((text, _)) if same_word => text.push_str(&g.text),
            _ => words[part].push((g.text.to_string(), conf)),
        }
        prev = Some(g);
    }
    words
        .into_iter()
        .map(|w| {
            WordConfidence::of_words(w.iter().map(|(t, c)| (t.as_str(), *c)))
                .unwrap_or(WordConfidence(0))
        })
        .collect()
}

/// What the space between two glyphs of a line is.
enum Gap {
    /// None: the glyphs touch.
    None,
    /// A space between words.
    Word,
    /// A boundary between two cells: a ruling line, two figures an em or
    /// more apart, or a gap wider than words are set.
    Cell,
}

/// The vertical rules that may part two glyphs of the line (those its
/// height reaches, as [`gap_between`] asks), found once for the line rather
/// than among all the page's rules at each gap.
fn crossing<'r>(glyphs: &[&Glyph], verticals: &[&'r Rule]) -> Vec<&'r Rule> {
    let (mut low, mut high, mut em) = (f32::INFINITY, f32::NEG_INFINITY, 0.0f32);
    for g in glyphs {
        low = low.min(g.y);
        high = high.max(g.y);
        em = em.max(g.size);
    }
    verticals
        .iter()
        .copied()
        .filter(|r| r.y0 <= high + em * 0.3 && r.y1 >= low)
        .collect()
}

fn gap_between(p: &Glyph, g: &Glyph, verticals: &[&Rule]) -> Gap {
    let end = p.x + p.width;
    let gap = g.x - end;
    let em = p.size.max(g.size);
    let ruled = verticals
        .iter()
        .any(|r| r.x0 > end - 1.0 && r.x0 < g.x + 1.0 && r.y0 <= g.y + em * 0.3 && r.y1 >= g.y);
    // Two figures an em or more apart are two cells: figure columns are often
    // set closer than words are (a thousands space is a quarter em at most).
    let figures = p
        .text
        .ends_with(|c: char| c.is_ascii_digit() || c == ')' || c == '%')
        && g.text.starts_with(|c: char| c.is_ascii_digit() || c == '(')
        && gap > FIGURE_GAP_EM * em;
    if ruled || figures || gap > CELL_GAP_EM * em {
        Gap::Cell
    } else if gap > WORD_GAP_EM * em {
        Gap::Word
    } else {
        Gap::None
    }
}

/// A bold lead-in ("**Gründerskolen.** Sammen med …", "**Samkommune**, som
/// …") is marked as the text formats mark it, so the segmenter reads it as
/// the paragraph's or list item's lead. `bold_lead` is where the line's
/// leading bold run ends in `text`.
fn mark_bold_lead(text: String, glyphs: &[&Glyph], bold_lead: Option<usize>) -> String {
    let lead_start = glyphs
        .iter()
        .take_while(|g| !g.text.chars().any(char::is_alphabetic))
        .count();
    let start = if lead_start == 0 {
        0
    } else {
        // The marker before the lead ("• ", "1.2 ") stays outside it.
        text.char_indices()
            .find(|(_, c)| c.is_alphabetic())
            .map_or(0, |(i, _)| i)
    };
    if let Some(end) = bold_lead.filter(|&e| e > start && e < text.len()) {
        let lead = text[start..end].trim_end();
        let words = lead.split_whitespace().count();
        if !text.contains('\t')
            && (1..=12).contains(&words)
            && lead.chars().any(char::is_alphabetic)
            && !lead.contains('*')
            && text[end..].trim_start().chars().next().is_some_and(|c| {
                !c.is_alphanumeric() || text[..end].ends_with(' ') || lead.ends_with(['.', ':'])
            })
        {
            let lead = lead.to_string();
            let rest = text[end..].to_string();
            return format!("{}**{lead}**{rest}", &text[..start]);
        }
    }
    text
}

/// Where a line's leading bold run ends (bytes of its text), while it lasts;
/// it starts at the first letter (after a bullet or a number).
struct BoldLead {
    open: bool,
    run: Option<usize>,
    end: Option<usize>,
}

impl Default for BoldLead {
    fn default() -> Self {
        BoldLead {
            open: true,
            run: None,
            end: None,
        }
    }
}

impl BoldLead {
    /// Before glyph `g` is added at byte `at`: a bold letter opens the run, a
    /// plain letter after it closes it.
    fn before(&mut self, g: &Glyph, at: usize) {
        let letter = g.text.chars().any(char::is_alphabetic);
        if self.open && self.run.is_none() && letter {
            if g.bold {
                self.run = Some(at);
            } else {
                self.open = false;
            }
        } else if self.open && self.run.is_some() && !g.bold && letter {
            self.end = self.run;
            self.open = false;
        }
    }

    /// A bold glyph was added, the text now `at` bytes long.
    fn extend(&mut self, at: usize) {
        if self.open && self.run.is_some() {
            self.run = Some(at);
        }
    }
}

/// Follows a line's text as it grows: `started` once it holds a character
/// other than a space, `gap_seen` once a space or tab follows one.
fn note_start_and_gap(t: &str, started: &mut bool, gap_seen: &mut bool) {
    for c in t.chars() {
        if c == ' ' || c == '\t' {
            *gap_seen |= *started;
        } else if !c.is_whitespace() {
            *started = true;
        }
    }
}

fn build_line(glyphs: &[&Glyph], verticals: &[&Rule]) -> Option<Line> {
    let first = glyphs.first()?;
    let verticals = &crossing(glyphs, verticals);
    let mut text = String::new();
    let mut prev: Option<&Glyph> = None;
    let mut bold_chars = 0usize;
    let mut size = 0.0f32;
    let mut after_soft_hyphen = false;
    let mut cells: Vec<(f32, f32)> = Vec::new();
    let mut cell_x0 = first.x;
    let mut lead = BoldLead::default();
    let mut second_x: Option<f32> = None;
    // The text holds a character other than a space, and a space or tab
    // after one.
    let (mut started, mut gap_seen) = (false, false);
    for g in glyphs {
        lead.before(g, text.len());
        // A soft hyphen marks a hyphenation opportunity inside a word: never a
        // space after it, and it is not text (unless it ends the line: see below).
        if &*g.text == "\u{AD}" {
            after_soft_hyphen = true;
            continue;
        }
        if let Some(p) = prev {
            let end = p.x + p.width;
            let em = p.size.max(g.size);
            // Fake bold: the same glyph drawn twice, offset by a hair.
            if g.text == p.text && (g.x - p.x).abs() < 0.2 * em {
                continue;
            }
            match gap_between(p, g, verticals) {
                Gap::Cell => {
                    text.truncate(text.trim_end_matches(' ').len());
                    text.push('\t');
                    gap_seen |= started;
                    cells.push((cell_x0, end));
                    cell_x0 = g.x;
                }
                Gap::Word
                    if !after_soft_hyphen
                        && !text.ends_with([' ', '\t'])
                        && !g.text.starts_with(' ') =>
                {
                    text.push(' ');
                    gap_seen |= started;
                }
                _ => {}
            }
        }
        after_soft_hyphen = false;
        let t = if text.ends_with('\t') {
            g.text.trim_start()
        } else {
            &g.text
        };
        // Where the text after a marker starts: the first word after the
        // line's first gap (flags, not a scan of the text so far: a line of
        // a million glyphs stays linear).
        if second_x.is_none() && !t.trim().is_empty() && gap_seen {
            second_x = Some(g.x);
        }
        text.push_str(t);
        note_start_and_gap(t, &mut started, &mut gap_seen);
        if g.bold {
            bold_chars += g.text.chars().count();
            lead.extend(text.len());
        }
        size = size.max(g.size);
        prev = Some(g);
    }
    if after_soft_hyphen {
        // The line was broken at this soft hyphen: keep it so the paragraph joiner rejoins the word.
        text.push('\u{AD}');
    }
    let text = mark_bold_lead(text, glyphs, lead.end);
    let trimmed = text.trim_matches(' ').to_string();
    if trimmed.trim().is_empty() {
        return None;
    }
    let last = glyphs.last()?;
    cells.push((cell_x0, last.x + last.width));
    Some(Line {
        bold: bold_chars * 2 > trimmed.chars().count(),
        text: trimmed,
        x0: first.x,
        x1: last.x + last.width,
        y: first.y,
        size,
        trailing_space: false,
        cells,
        text_x: second_x.unwrap_or(last.x + last.width),
        bullet_x: None,
        ocr: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::ingest::pdf::glyphs::test_word as word;

    #[test]
    fn spaces_inside_numbers_stay_spaces_and_ruled_cells_become_tabs() {
        let mut glyphs = word("Drift", 10.0, 700.0);
        glyphs.extend(word("1", 100.0, 700.0));
        glyphs.extend(word("900", 107.5, 700.0)); // a thin gap: thousands separator
        glyphs.extend(word("000", 124.5, 700.0));
        glyphs.extend(word("500", 160.0, 700.0));
        let rules = vec![Rule {
            x0: 150.0,
            y0: 690.0,
            x1: 150.0,
            y1: 712.0,
        }];
        let lines = page_lines(&PageContent {
            glyphs,
            rules,
            ..PageContent::default()
        });
        assert_eq!(lines[0].text, "Drift\t1 900 000\t500");
    }

    #[test]
    fn a_drawn_bullet_opens_a_list_item() {
        let mut lines = page_lines(&PageContent {
            glyphs: word("Tingvoll", 30.0, 700.0),
            ..PageContent::default()
        });
        lines.extend(page_lines(&PageContent {
            glyphs: word("Sande", 30.0, 680.0),
            ..PageContent::default()
        }));
        // A 4-point disc left of the first line only, at x-height.
        mark_bullets(&mut lines, &[[20.0, 701.0, 24.0, 705.0]]);
        assert_eq!(lines[0].text, "• Tingvoll");
        assert_eq!(lines[1].text, "Sande");
    }

    #[test]
    fn borderless_rows_keep_their_blank_cells() {
        let row = |cells: &[(&str, f32)]| {
            let mut glyphs = Vec::new();
            for (t, x) in cells {
                glyphs.extend(word(t, *x, 700.0));
            }
            page_lines(&PageContent {
                glyphs,
                ..PageContent::default()
            })
            .remove(0)
        };
        let a = row(&[
            ("Drift", 10.0),
            ("100", 100.0),
            ("200", 150.0),
            ("300", 200.0),
        ]);
        let b = row(&[("Lønn", 10.0), ("50", 205.0)]);
        let c = row(&[
            ("Sum", 10.0),
            ("100", 100.0),
            ("200", 150.0),
            ("350", 200.0),
        ]);
        let rows = align_cells(&[&a, &b, &c]).unwrap();
        assert_eq!(rows[1], vec!["Lønn", "", "", "50"]);
        assert_eq!(rows[2], vec!["Sum", "100", "200", "350"]);
        // A header over two lines is one header row.
        let top = row(&[("Kommunal", 95.0), ("Fylkes-", 190.0)]);
        let under = row(&[("Post", 10.0), ("egenandel", 95.0), ("kommunen", 190.0)]);
        let rows = align_cells(&[&top, &under, &a, &c]).unwrap();
        assert_eq!(
            rows[0],
            vec!["Post", "Kommunal egenandel", "", "Fylkeskommunen"]
        );
        assert_eq!(rows.len(), 3);
        // A wrapped label: its second line joins the cell above.
        let wrapped = row(&[("og", 10.0)]);
        let rows = align_cells(&[&a, &wrapped, &c]).unwrap();
        assert_eq!(rows[0][0], "Drift og");
        assert_eq!(rows.len(), 2);
    }

    #[test]
    fn narrow_prose_columns_are_prose_and_a_table_of_names_is_not() {
        let rows = |pairs: &[(&str, &str)]| -> Vec<Vec<String>> {
            pairs
                .iter()
                .map(|(a, b)| vec![a.to_string(), b.to_string()])
                .collect()
        };
        let prose = rows(&[
            ("• The share of people with", "• At 10.8 percent, adults"),
            ("a disability was unchanged", "aged 15 to 64 were more"),
            ("from 2005. However, the", "likely to be poor (24"),
            ("rate dropped to 18.1", "months) than others."),
        ]);
        assert!(reads_as_prose(&prose));
        // One column of wrapped descriptions beside names is still a table.
        let table = rows(&[
            ("Tiltak", "Ansvar"),
            ("Etablere felles", "Indre Namdal regionråd"),
            ("utviklingsmiljø i regionen", ""),
            ("Rekruttere arbeidskraft", "Kommunene"),
        ]);
        assert!(!reads_as_prose(&table));
    }

    #[test]
    fn a_value_axis_beside_a_chart_is_not_a_table() {
        let grid = |rows: &[&[&str]]| -> Vec<Vec<String>> {
            rows.iter()
                .map(|r| r.iter().map(|c| c.to_string()).collect())
                .collect()
        };
        let chart = grid(&[
            &["", "Spread (bp)", "", ""],
            &["450", "", "450", ""],
            &["400", "", "400", ""],
            &["", "Diff 5-y", "", ""],
            &["350", "", "350", ""],
            &["300", "", "300", ""],
            &["Jan-08", "Jul-08", "Jan-08", "Jul-08"],
        ]);
        assert!(reads_as_chart(&chart));
        let table = grid(&[
            &["Year", "Cases", "Rate"],
            &["2005", "5 821", "12.1"],
            &["2006", "5 906", "9.4"],
            &["2007", "17", "0.2"],
            &["2008", "3 868", "7.7"],
        ]);
        assert!(!reads_as_chart(&table));
    }

    #[test]
    fn lines_are_ordered_top_down() {
        let mut glyphs = word("nede", 10.0, 100.0);
        glyphs.extend(word("oppe", 10.0, 700.0));
        let lines = page_lines(&PageContent {
            glyphs,
            ..PageContent::default()
        });
        assert_eq!(
            lines.iter().map(|l| l.text.as_str()).collect::<Vec<_>>(),
            vec!["oppe", "nede"]
        );
    }
}

//! Reading order on pages set in two columns.
//!
//! Baselines are grouped across the whole page width, so on a two-column page
//! a row holds a line of each column, side by side. Such a page shows a gutter:
//! an x where most rows have a wide gap with prose on both sides, and only the
//! odd row (a heading or a figure caption over both columns, the page number)
//! runs across. Rows are then cut at the gutter and read column by column,
//! section by section: a row that runs across ends a section.
//!
//! A table's columns leave gaps too; what tells a gutter from them is the
//! prose on both sides (long runs of words), and that the gap holds in most rows.

use super::glyphs::Glyph;

/// A gap at least this many ems wide can be a gutter.
const MIN_GUTTER_EM: f32 = 1.2;
/// Rows cut at the gutter needed before a page counts as two columns.
const MIN_SPLIT_ROWS: usize = 6;

type Row<'g> = Vec<&'g Glyph>;

/// The rows in reading order: as they are on a one-column page; on a
/// two-column page, each section's left column, then its right one.
pub fn reading_order(rows: Vec<Row<'_>>) -> Vec<Row<'_>> {
    let Some(gutter) = gutter(&rows) else {
        return rows;
    };
    let mut out = Vec::with_capacity(rows.len() + rows.len() / 2);
    let (mut left, mut right): (Vec<Row>, Vec<Row>) = (Vec::new(), Vec::new());
    for row in rows {
        match side(&row, gutter) {
            Side::Left => left.push(row),
            Side::Right => right.push(row),
            Side::Both(k) => {
                let mut row = row;
                let r = row.split_off(k);
                left.push(row);
                right.push(r);
            }
            Side::Across => {
                out.append(&mut left);
                out.append(&mut right);
                out.push(row);
            }
        }
    }
    out.append(&mut left);
    out.append(&mut right);
    out
}

enum Side {
    Left,
    Right,
    /// Glyphs on both sides, split at this index.
    Both(usize),
    /// A glyph covers the gutter.
    Across,
}

fn side(row: &Row, gutter: f32) -> Side {
    if row.iter().any(|g| g.x < gutter && g.x + g.width > gutter) {
        return Side::Across;
    }
    let k = row.partition_point(|g| g.x + g.width / 2.0 < gutter);
    match (k, row.len() - k) {
        (_, 0) => Side::Left,
        (0, _) => Side::Right,
        _ => {
            // A gutter leaves a wide gap; words set across it do not.
            let gap = row[k].x - (row[k - 1].x + row[k - 1].width);
            if gap >= MIN_GUTTER_EM * row[k].size {
                Side::Both(k)
            } else {
                Side::Across
            }
        }
    }
}

/// The x of the gutter, if the page has one.
fn gutter(rows: &[Row]) -> Option<f32> {
    let x0 = rows
        .iter()
        .filter_map(|r| r.first())
        .map(|g| g.x)
        .fold(f32::INFINITY, f32::min);
    let x1 = rows
        .iter()
        .filter_map(|r| r.last())
        .map(|g| g.x + g.width)
        .fold(f32::NEG_INFINITY, f32::max);
    if rows.len() < MIN_SPLIT_ROWS || x1 - x0 < 100.0 {
        return None;
    }
    // Candidate gutters: the middle of each row's widest gap in the page's middle half.
    let mut candidates: Vec<f32> = rows
        .iter()
        .filter_map(|r| {
            r.windows(2)
                .map(|w| (w[0].x + w[0].width, w[1].x, w[1].size))
                .filter(|&(a, b, size)| b - a >= MIN_GUTTER_EM * size)
                .map(|(a, b, _)| (a + b) / 2.0)
                .find(|&m| m > x0 + 0.25 * (x1 - x0) && m < x0 + 0.75 * (x1 - x0))
        })
        .collect();
    candidates.sort_by(f32::total_cmp);
    candidates.dedup_by(|a, b| (*a - *b).abs() < 2.0);
    let mut best: Option<(usize, f32)> = None;
    for c in candidates {
        let (mut split, mut across) = (0, 0);
        let (mut left_chars, mut right_chars) = (Vec::new(), Vec::new());
        for r in rows {
            match side(r, c) {
                Side::Both(k) => {
                    split += 1;
                    left_chars.push(k);
                    right_chars.push(r.len() - k);
                }
                Side::Across => across += 1,
                _ => {}
            }
        }
        let prose = |v: &mut Vec<usize>| {
            v.sort_unstable();
            v.get(v.len() / 2).is_some_and(|&m| m >= 20)
        };
        let holds = split >= MIN_SPLIT_ROWS
            && across * 5 <= split
            && prose(&mut left_chars)
            && prose(&mut right_chars);
        if holds && best.is_none_or(|(n, _)| split > n) {
            best = Some((split, c));
        }
    }
    best.map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::ingest::pdf::glyphs::test_word as text;

    fn read(glyphs: &[Glyph]) -> Vec<String> {
        let rows = crate::ingest::pdf::lines::rows_of(glyphs.iter().collect());
        reading_order(rows)
            .into_iter()
            .map(|r| r.iter().map(|g| &*g.text).collect())
            .collect()
    }

    #[test]
    fn two_columns_are_read_one_after_the_other() {
        let mut g = text("Overskrift over begge spaltene i dokumentet", 40.0, 780.0);
        for i in 0..8 {
            let y = 760.0 - 12.0 * i as f32;
            g.extend(text(&format!("venstre spalte linje nummer {i}"), 40.0, y));
            g.extend(text(&format!("hoyre spalte linje nummer {i}"), 320.0, y));
        }
        let lines = read(&g);
        assert!(lines[0].starts_with("Overskrift"));
        assert!(
            lines[1..9].iter().all(|l| l.starts_with("venstre")),
            "{lines:?}"
        );
        assert!(
            lines[9..].iter().all(|l| l.starts_with("hoyre")),
            "{lines:?}"
        );
    }

    #[test]
    fn a_table_with_a_wide_gap_is_not_two_columns() {
        let mut g = Vec::new();
        for i in 0..8 {
            let y = 760.0 - 12.0 * i as f32;
            g.extend(text(&format!("Tiltak {i}"), 40.0, y));
            g.extend(text("100 000", 320.0, y));
        }
        let lines = read(&g);
        assert!(lines.iter().all(|l| l.starts_with("Tiltak")), "{lines:?}");
    }
}

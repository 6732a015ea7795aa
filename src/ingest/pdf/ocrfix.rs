//! What Tesseract gets wrong in ways the text itself shows, put right before
//! the words are placed. Each word keeps the confidence Tesseract gave it,
//! so a figure that needed mending stays marked as unsure.
//!
//! - **Figures**: a group of a thousands-grouped amount is three digits.
//!   A rule drawn through a "0" makes it a "D", "P" or "Q"; a speck makes
//!   an "O" or "o" of it. A three-character group after a group of one to
//!   three digits, made of digits and such look-alikes, is read as digits;
//!   so is a word of mostly digits with one look-alike inside ("2O25").
//!   The thin space between groups is easily lost: read as a ":" or "."
//!   ("1:900 000", "1 400.000"), or not at all ("2000 000", where the word
//!   is wider than four digits by the space it hides); such a figure gets
//!   its spaces back.
//! - **Bullets**: a bullet is read as "e", "&", "«", "©" or "°". A line
//!   that opens with one such character, set apart from a capitalised word
//!   or a figure, opens a list item: its bullet is "•". A small bullet is
//!   also read as "+" or "»".
//! - **Leaders**: the dots that lead a contents entry to its page number
//!   are read with specks among them ("......0o0se 9", "....io0o 14"),
//!   which hides the entry from the contents reader. A word of three or
//!   more dots and then only such marks, before a page number that ends
//!   the line, is dots alone.

use super::hocr::{Hocr, HocrLine, HocrWord};

/// Letters a scanned digit is misread as, and the digit.
const LOOK_ALIKES: &[(char, char)] = &[
    ('O', '0'),
    ('o', '0'),
    ('D', '0'),
    ('Q', '0'),
    ('P', '0'),
    ('p', '0'),
    ('l', '1'),
    ('I', '1'),
];

/// A word of digits wider than its digits by this share of a digit hides
/// a thin space.
const HIDDEN_SPACE: f32 = 0.25;

/// Characters a bullet is misread as.
const BULLET_LOOK_ALIKES: &[char] = &['e', '&', '«', '»', '+', '©', '®', '°', '¢'];

/// What specks among a contents entry's leader dots are read as: round
/// letters and digits, small marks.
const LEADER_SPECKS: &str = ".,:;·…'`´\"-–—_~»«+*°oO0eéèöiIl1|!rnscvuaæ";

/// A lone dash between a bullet and its text read with less confidence
/// than this is a speck (a dash set there is read surely).
const DASH_SPECK_CONFIDENCE: f32 = 50.0;

/// Dots at the start of a word that make it a leader.
const LEADER_DOTS: usize = 3;

/// A bullet stands at least this share of its line's row height apart from
/// the item's text (a tab or an indent, not a word space).
const BULLET_GAP: f32 = 0.4;

/// Mends the figures and bullets of every line.
pub fn tidy(hocr: &mut Hocr) {
    for line in &mut hocr.lines {
        figures(&mut line.words);
        bullet(line);
        leader(&mut line.words);
    }
}

/// The leader before a page number that ends the line, its specks gone.
fn leader(words: &mut [HocrWord]) {
    let [.., dots, page] = words else {
        return;
    };
    let is_page =
        (1..=4).contains(&page.text.len()) && page.text.chars().all(|c| c.is_ascii_digit());
    let led = dots
        .text
        .chars()
        .take_while(|c| *c == '.' || *c == '…')
        .count();
    let specks = dots
        .text
        .chars()
        .skip(led)
        .all(|c| LEADER_SPECKS.contains(c));
    if is_page && led >= LEADER_DOTS && specks {
        dots.text = ".".repeat(dots.text.chars().count());
    }
}

fn digit_for(c: char) -> Option<char> {
    if c.is_ascii_digit() {
        return Some(c);
    }
    LOOK_ALIKES.iter().find(|(l, _)| *l == c).map(|(_, d)| *d)
}

/// The word as digits, if every character is a digit or looks like one.
fn as_digits(text: &str) -> Option<String> {
    text.chars().map(digit_for).collect()
}

fn is_group(text: &str) -> bool {
    (1..=3).contains(&text.len()) && text.chars().all(|c| c.is_ascii_digit())
}

fn figures(words: &mut [HocrWord]) {
    for i in 0..words.len() {
        let text = &words[i].text;
        let digits = text.chars().filter(char::is_ascii_digit).count();
        let chars = text.chars().count();
        if digits == chars {
            continue;
        }
        let after_group = i > 0 && is_group(&words[i - 1].text) && chars == 3;
        // One look-alike among three or more characters, the rest digits.
        let mostly = chars >= 3 && digits + 1 == chars;
        if after_group || mostly {
            if let Some(d) = as_digits(text) {
                words[i].text = d;
            }
        }
    }
    for i in 0..words.len() {
        let beside = |j: Option<usize>| {
            j.and_then(|j| words.get(j))
                .is_some_and(|w| is_group(&w.text))
        };
        let grouped = beside(i.checked_sub(1)) || beside(Some(i + 1));
        if let Some(t) = spaced(&words[i], words.get(i + 1), grouped) {
            words[i].text = t;
        }
    }
}

/// A figure whose thin spaces were misread: groups joined by ":" or "."
/// beside another group ("1:900" before "000"), or four to six digits
/// wider than their digits by a space, before a group of three.
fn spaced(w: &HocrWord, next: Option<&HocrWord>, grouped: bool) -> Option<String> {
    let t = &w.text;
    let parts: Vec<&str> = t.split([':', '.']).collect();
    let joined = parts.len() >= 2
        && (1..=3).contains(&parts[0].len())
        && parts.iter().all(|p| p.chars().all(|c| c.is_ascii_digit()))
        && parts[1..].iter().all(|p| p.len() == 3);
    if joined && grouped {
        return Some(parts.join(" "));
    }
    let next = next.filter(|n| n.text.len() == 3 && is_group(&n.text))?;
    let n = t.len();
    if !(4..=6).contains(&n) || !t.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    // Figures are set in digits of one width (tabular figures).
    let digit = (next.bbox[2] - next.bbox[0]) / 3.0;
    let hidden = (w.bbox[2] - w.bbox[0]) - n as f32 * digit;
    let close = next.bbox[0] - w.bbox[2] < 2.0 * digit;
    (hidden > HIDDEN_SPACE * digit && close).then(|| {
        let head = n - 3;
        format!("{} {}", &t[..head], &t[head..])
    })
}

fn bullet(line: &mut HocrLine) {
    speck_after_bullet(line);
    let [first, second, ..] = line.words.as_mut_slice() else {
        return;
    };
    let mut chars = first.text.chars();
    let (Some(c), None) = (chars.next(), chars.next()) else {
        return;
    };
    let apart = second.bbox[0] - first.bbox[2] >= BULLET_GAP * line.x_size;
    // The item's first word, past the star of emphasis a converted
    // document may keep ("*Strategi for … utdanning*").
    let opens = second
        .text
        .trim_start_matches('*')
        .chars()
        .next()
        .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit());
    if BULLET_LOOK_ALIKES.contains(&c) && apart && opens {
        first.text = "•".into();
    }
}

/// A dash OCR is unsure of between a bullet (or what a bullet is read as)
/// and the item's text is a speck in the gap: dropped.
fn speck_after_bullet(line: &mut HocrLine) {
    let [first, second, _, ..] = line.words.as_slice() else {
        return;
    };
    let mut chars = first.text.chars();
    let (Some(c), None) = (chars.next(), chars.next()) else {
        return;
    };
    let bullet = BULLET_LOOK_ALIKES.contains(&c) || ['•', '*', '-', '–'].contains(&c);
    let dash = ["-", "–", "—"].contains(&second.text.as_str());
    if bullet && dash && second.confidence < DASH_SPECK_CONFIDENCE {
        line.words.remove(1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(words: &[(&str, f32, f32)]) -> HocrLine {
        HocrLine {
            bbox: [0.0, 0.0, 1000.0, 30.0],
            slope: 0.0,
            offset: 0.0,
            x_size: 25.0,
            words: words
                .iter()
                .map(|&(t, x0, x1)| HocrWord {
                    bbox: [x0, 0.0, x1, 30.0],
                    confidence: 40.0,
                    text: t.into(),
                })
                .collect(),
        }
    }

    fn tidied(words: &[(&str, f32, f32)]) -> Vec<String> {
        let mut h = Hocr {
            lines: vec![line(words)],
            separators: vec![],
        };
        tidy(&mut h);
        h.lines[0].words.iter().map(|w| w.text.clone()).collect()
    }

    #[test]
    fn a_thousands_group_is_digits() {
        assert_eq!(
            tidied(&[
                ("Publisering", 0.0, 100.0),
                ("100", 200.0, 240.0),
                ("POQ", 248.0, 290.0)
            ]),
            vec!["Publisering", "100", "000"]
        );
        assert_eq!(
            tidied(&[("1", 0.0, 10.0), ("30D", 20.0, 60.0), ("000", 70.0, 110.0)])[1],
            "300"
        );
        assert_eq!(tidied(&[("2O25", 0.0, 40.0)]), vec!["2025"]);
        // Words stay words: no group before them, or letters beyond one.
        assert_eq!(tidied(&[("DOP", 0.0, 40.0)]), vec!["DOP"]);
        assert_eq!(
            tidied(&[("Delmål", 0.0, 60.0), ("Ole", 70.0, 100.0)])[1],
            "Ole"
        );
        assert_eq!(tidied(&[("3D", 0.0, 20.0)]), vec!["3D"]);
        assert_eq!(tidied(&[("5", 0.0, 10.0), ("kr.", 20.0, 40.0)])[1], "kr.");
    }

    #[test]
    fn thin_spaces_come_back() {
        // "1:900" before a group, "400.000" after one.
        assert_eq!(
            tidied(&[("1:900", 0.0, 65.0), ("000", 72.0, 111.0)])[0],
            "1 900"
        );
        assert_eq!(
            tidied(&[("1", 0.0, 13.0), ("400.000", 20.0, 105.0)])[1],
            "400 000"
        );
        // A date or a decimal stays.
        assert_eq!(tidied(&[("23.10.2014", 0.0, 120.0)]), vec!["23.10.2014"]);
        assert_eq!(
            tidied(&[("13.50", 0.0, 60.0), ("000", 70.0, 109.0)])[0],
            "13.50"
        );
        // Four digits as wide as four and a space, before a group: "2 000".
        assert_eq!(
            tidied(&[("2000", 0.0, 58.0), ("000", 65.0, 104.0)])[0],
            "2 000"
        );
        // Four digits as wide as four: a year before a figure.
        assert_eq!(
            tidied(&[("2019", 0.0, 52.0), ("200", 62.0, 101.0)])[0],
            "2019"
        );
    }

    #[test]
    fn a_bullet_read_as_a_letter_is_a_bullet() {
        assert_eq!(
            tidied(&[("e", 0.0, 10.0), ("Rekruttering", 40.0, 140.0)])[0],
            "•"
        );
        // A word space away, or before lower case, it is text.
        assert_eq!(
            tidied(&[("e", 0.0, 10.0), ("Rekruttering", 14.0, 140.0)])[0],
            "e"
        );
        assert_eq!(tidied(&[("&", 0.0, 10.0), ("co", 40.0, 60.0)])[0], "&");
        assert_eq!(
            tidied(&[("+", 0.0, 10.0), ("Fjellandbruket", 40.0, 140.0)])[0],
            "•"
        );
        // A dash OCR was unsure of between bullet and text is a speck; the
        // item may open with a star of emphasis.
        let mut h = Hocr {
            lines: vec![line(&[
                ("+", 0.0, 7.0),
                ("-", 25.0, 37.0),
                ("*Strategi", 51.0, 171.0),
            ])],
            separators: vec![],
        };
        h.lines[0].words[1].confidence = 21.0;
        tidy(&mut h);
        let words: Vec<&str> = h.lines[0].words.iter().map(|w| w.text.as_str()).collect();
        assert_eq!(words, vec!["•", "*Strategi"]);
        // A dash read surely is the text's.
        let mut h = Hocr {
            lines: vec![line(&[
                ("+", 0.0, 7.0),
                ("-", 25.0, 37.0),
                ("Tekst", 51.0, 171.0),
            ])],
            separators: vec![],
        };
        h.lines[0].words[1].confidence = 90.0;
        tidy(&mut h);
        assert_eq!(h.lines[0].words.len(), 3);
        // A plus between figures is arithmetic.
        assert_eq!(tidied(&[("+", 0.0, 10.0), ("500", 14.0, 40.0)])[0], "+");
    }

    #[test]
    fn specks_among_leader_dots_are_dots() {
        let entry = |leader: &'static str, page: &'static str| {
            tidied(&[
                ("Tiltak", 0.0, 50.0),
                ("Omdømmebygging", 60.0, 200.0),
                (leader, 210.0, 600.0),
                (page, 610.0, 630.0),
            ])
        };
        assert_eq!(entry("......0o0se", "9")[2], "...........");
        assert_eq!(entry("....o.s»-:", "30")[2], "..........");
        assert_eq!(entry("........", "12")[2], "........");
        // Not before a page number, or not dots first, or a word after the
        // dots: left as read.
        assert_eq!(entry("......0o0se", "i")[2], "......0o0se");
        assert_eq!(entry("..0o0se", "9")[2], "..0o0se");
        assert_eq!(entry("...og", "12")[2], "...og");
    }
}

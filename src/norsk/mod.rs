//! Norwegian numbers, money amounts and dates as they are written in public documents.
//!
//! Floor 0 (see `tests/layers.rs`): uses no other module of the crate.
//!
//! Everything here is exact: amounts are integer øre ([`Amount`]), decimals keep
//! their mantissa and scale ([`Decimal`]), and every parsed figure remembers the
//! rounding unit it was printed with, so later stages can compare "1,2 mill." with
//! 1 180 000 without pretending the former is exact.
//!
//! Digits are the ASCII digits `0`–`9`, in the parsers and in every regular
//! expression of the crate (`[0-9]`, never `\d`). The parsers read no other
//! digit, and Norwegian public documents print no other: an amount or a date
//! in "٣" or "３" was found by the expressions and then not read, and a page
//! or section number in them is now not taken for one either. Unicode's `\d`
//! (some 70 ranges, each compiled into every expression that uses it,
//! forwards and backwards) was a tenth of the expressions' compile time,
//! paid at every start (`tests/layers.rs` keeps `\d` out).

mod amount;
mod date;
mod number;
mod pattern;

pub use amount::{
    find_amounts, find_percents, parse_amount_cell, Amount, Money, Percent, Qualifier,
};
pub use date::{
    find_dates, find_years, month_number, parse_date, single_year, DateExpr, PartialDate, Season,
};
pub use number::{parse_number, Decimal};
pub use pattern::{Caught, Found, Pattern, PatternError, Patterns};

/// Characters Norwegian documents use between thousands groups: space, no-break
/// space (U+00A0), narrow no-break space (U+202F) and thin space (U+2009).
pub(crate) fn is_group_space(c: char) -> bool {
    matches!(c, ' ' | '\u{00A0}' | '\u{202F}' | '\u{2009}')
}

/// Short words that stand on their own; anything else of one to three lower-case
/// letters after a long word, inside a narrow table cell, is the end of that word
/// wrapped onto the next line ("Statsforvate r", "Fylkeskommu nen").
const SHORT_WORDS: &[&str] = &[
    "i", "å", "og", "av", "på", "en", "ei", "et", "eit", "til", "for", "med", "om", "er", "at",
    "som", "den", "det", "de", "dei", "seg", "kan", "vil", "nye", "ny", "år", "ut", "inn", "fra",
    "frå", "ved", "mot", "per", "pr", "kr", "mv", "osv", "nr", "ikke", "ein", "eller", "alle",
];

/// Joins words broken inside narrow table cells: "Offentlige tilskuddsordninge r"
/// → "Offentlige tilskuddsordninger". Only for cell text, where a line break in
/// the middle of a word is common and a 1–3 letter word is rare.
pub fn join_cell_breaks(cell: &str) -> String {
    let mut out: Vec<String> = Vec::new();
    for w in cell.split_whitespace() {
        let fragment = (1..=3).contains(&w.chars().count())
            && w.chars().all(|c| c.is_lowercase())
            && !SHORT_WORDS.contains(&w);
        match out.last_mut() {
            Some(prev)
                if fragment
                    && prev.chars().count() >= 5
                    && prev.chars().all(char::is_alphabetic) =>
            {
                prev.push_str(w)
            }
            _ => out.push(w.to_string()),
        }
    }
    out.join(" ")
}

/// Words that end in a full stop without ending a sentence.
const ABBREVIATIONS: &[&str] = &[
    "ca", "bl.a", "f.eks", "nr", "pkt", "jf", "jfr", "evt", "inkl", "ekskl", "osv", "mv", "m.v",
    "dvs", "ifm", "iht", "t.o.m", "f.o.m", "ol", "o.l", "pga", "st", "tlf", "kap", "avd", "adm",
    "ref", "etc", "vedr", "mht", "ev", "m.fl", "d.d", "pr",
];

/// The largest char boundary of `s` at or before byte `i`: where a long text
/// may be cut without splitting a letter.
pub fn floor_boundary(s: &str, i: usize) -> usize {
    if i >= s.len() {
        return s.len();
    }
    (0..=i).rev().find(|&j| s.is_char_boundary(j)).unwrap_or(0)
}

/// An abbreviation ("ca", "bl.a") or a day number ("13") before a full stop.
fn abbreviation_or_day(word: &str) -> bool {
    // None is longer than five letters: most words are told without
    // lower-casing them, which allocates.
    if word.is_ascii() && word.len() > 5 {
        return false;
    }
    let word = word.to_lowercase();
    ABBREVIATIONS.contains(&word.as_str())
        || (!word.is_empty() && word.len() <= 2 && word.chars().all(|c| c.is_ascii_digit()))
}

/// The sentences of a text: cut after ".", "!" or "?" followed by a space and
/// a capital letter, a digit or a quote, except after abbreviations ("ca.",
/// "bl.a.", "kr.") and day numbers ("13. desember").
pub fn sentences(text: &str) -> impl Iterator<Item = &str> {
    let mut cuts = Vec::new();
    let bytes = text.as_bytes();
    // The marks are ASCII, and an ASCII byte in UTF-8 is always a whole
    // character: the bytes are searched (vectorised) without decoding the text.
    for i in memchr::memchr3_iter(b'.', b'!', b'?', bytes) {
        let b = bytes[i];
        if bytes.get(i + 1) != Some(&b' ') {
            continue;
        }
        let next = text[i + 2..].chars().next();
        if !next.is_some_and(|n| {
            n.is_uppercase() || n.is_ascii_digit() || matches!(n, '«' | '"' | '(' | '–' | '-')
        }) {
            continue;
        }
        if b == b'.' {
            let word = text[..i]
                .rsplit(|c: char| c.is_whitespace() || c == '(')
                .next()
                .unwrap_or("");
            if abbreviation_or_day(word) {
                continue;
            }
        }
        cuts.push(i + 1);
    }
    cuts.push(text.len());
    let mut start = 0;
    cuts.into_iter().filter_map(move |c| {
        let s = &text[start..c];
        start = c;
        (!s.trim().is_empty()).then_some(s)
    })
}

#[cfg(test)]
mod tests {
    use super::{join_cell_breaks, sentences};

    #[test]
    fn sentences_skip_abbreviations_and_day_numbers() {
        let s: Vec<&str> =
            sentences("Det settes av ca. 500 000 kr. Vedtatt 13. desember 2024. Neste").collect();
        assert_eq!(
            s,
            [
                "Det settes av ca. 500 000 kr.",
                " Vedtatt 13. desember 2024.",
                " Neste"
            ]
        );
    }

    #[test]
    fn words_broken_in_narrow_cells_are_joined() {
        assert_eq!(join_cell_breaks("Statsforvate r"), "Statsforvater");
        assert_eq!(join_cell_breaks("Fylkeskommu nen"), "Fylkeskommunen");
        assert_eq!(
            join_cell_breaks("Offentlige tilskuddsordninge r"),
            "Offentlige tilskuddsordninger"
        );
        assert_eq!(join_cell_breaks("Kommunal egenandel"), "Kommunal egenandel");
        assert_eq!(
            join_cell_breaks("Tilskudd til og fra kommunen"),
            "Tilskudd til og fra kommunen"
        );
        assert_eq!(join_cell_breaks("KDD 13.50 post 66"), "KDD 13.50 post 66");
    }
}

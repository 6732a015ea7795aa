use crate::model::{Block, BlockKind};
use crate::norsk::month_number;

use super::{declare_rule, Checker, Finding};

declare_rule! {
    /// ## What it checks
    /// Each line of the table of contents against the heading it lists: a
    /// heading whose words differ in places ("Bygdevekstavtale" in the contents,
    /// "Bygdevekstavgift" in the title), a date or number that differs
    /// ("oppdatert 13.des 2024" against "oppdatert 15.jan 2025"), and a
    /// numbered heading missing between two of its listed siblings ("Tiltak 3",
    /// "Tiltak 5" listed, "Tiltak 4" in the text). Entries split over two lines
    /// and headings that contain the entry are accepted.
    ///
    /// An entry is compared only with a text whose reading is certain: a line
    /// outside the contents themselves (not between their entries, not a
    /// contents line such as "… 12" or Word's "Error! Bookmark not defined."),
    /// numbered as the entry is (an entry "2." is not compared with "2.1 …",
    /// nor its number with a word), and not from the appendices on, whose
    /// own contents list printouts the reading does not know as headings.
    ///
    /// ## Why it matters
    /// A table of contents that no longer matches the text shows that the
    /// document was edited after the contents were made, so other parts (figures,
    /// dates) may not have been updated either; and readers who cite the
    /// contents cite the wrong words.
    ///
    /// ## Example
    /// ```text
    /// Innholdsfortegnelse
    ///   Tiltak 4 Utvikle risikoreduserende tiltak ....... 28
    /// ...
    /// Tiltak 4 Utvikle risikoreducerende tiltak       <- the heading as printed
    /// ```
    pub struct TocMismatch {
        id: "toc-mismatch",
        severity: Warning,
        check: check,
    }
}

/// A text's words as the rule compares them, read once: lower-cased, and
/// whether each is a value (a number, a date, a month). The words are kept
/// in one string, a space between them, so that a run of words is a slice
/// of it, compared and hashed as one: a document's short blocks are many,
/// and a string for each of their words was most of the rule's time.
struct Words {
    /// The lower-cased words, joined by single spaces (no word holds one).
    joined: String,
    /// Each word's byte range in `joined`.
    spans: Vec<(usize, usize)>,
    values: Vec<bool>,
}

impl Words {
    fn of(s: &str) -> Words {
        let mut joined = String::with_capacity(s.len());
        let mut spans = Vec::new();
        for t in s
            .split(|c: char| !c.is_alphanumeric())
            .filter(|t| !t.is_empty())
        {
            if !spans.is_empty() {
                joined.push(' ');
            }
            let start = joined.len();
            if t.is_ascii() {
                joined.push_str(t);
                joined[start..].make_ascii_lowercase();
            } else {
                // The whole word at once: a final sigma lower-cases as one.
                joined.push_str(&t.to_lowercase());
            }
            spans.push((start, joined.len()));
        }
        let mut words = Words {
            joined,
            spans,
            values: Vec::new(),
        };
        words.values = (0..words.len()).map(|i| is_value(words.word(i))).collect();
        words
    }

    fn len(&self) -> usize {
        self.spans.len()
    }

    /// The `i`th word.
    fn word(&self, i: usize) -> &str {
        let (a, b) = self.spans[i];
        &self.joined[a..b]
    }

    /// The words `i..j` (`i < j`) as they stand joined.
    fn run(&self, i: usize, j: usize) -> &str {
        &self.joined[self.spans[i].0..self.spans[j - 1].1]
    }

    /// Whether `other`'s words stand together among these.
    fn holds(&self, other: &Words) -> bool {
        let n = other.len();
        n > 0 && n <= self.len() && (0..=self.len() - n).any(|s| self.run(s, s + n) == other.joined)
    }
}

/// Numbers, dates and month names: the words a stale copy differs in.
fn is_value(t: &str) -> bool {
    // `t` is lower-cased: a month's name (at most nine letters) starts with
    // one of these, and most words are told by that alone.
    let may_be_month = t.len() <= 9 && t.bytes().next().is_some_and(|b| b"jfmasond".contains(&b));
    t.chars().all(|c| c.is_ascii_digit())
        || may_be_month && (month_abbrev(t) || month_number(t).is_some())
}

fn month_abbrev(t: &str) -> bool {
    [
        "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "okt", "nov", "des",
    ]
    .contains(&t)
}

/// Equal, or the text's word glued to the next one by the reading
/// ("arbeidBeskriv" for "arbeid"): the entry's word plus at least three
/// letters. "Interkommunal" and "Interkommunalt" differ.
fn same_word(entry: &str, text: &str) -> bool {
    entry == text
        || (text.starts_with(entry)
            && entry.chars().count() >= 4
            && text.chars().count() >= entry.chars().count() + 3)
}

/// What two [`same_word`]s share: their first four letters (all of a shorter word).
fn key(t: &str) -> &str {
    let end = t.char_indices().nth(4).map_or(t.len(), |(i, _)| i);
    &t[..end]
}

#[derive(Clone, Copy, PartialEq)]
enum Fit {
    Same,
    /// Same words, different numbers or dates.
    Values,
    /// Most words the same, some different.
    Words(usize),
    None,
}

/// How the entry fits the block's text: exactly, inside it, or near.
fn fit(entry: &Words, text: &Words) -> Fit {
    let (e, t) = (entry, text);
    if e.len() == 0 || t.len() == 0 {
        return Fit::None;
    }
    if e.joined == t.joined || (e.len() >= 2 && t.holds(e)) {
        return Fit::Same;
    }
    // The heading's title in the entry (the entry carries the number): "Delmål 4: Øke" ⊂ entry.
    if t.len() >= 2 && e.holds(t) {
        return Fit::Same;
    }
    if e.len() < 2 || t.len() < e.len() {
        return Fit::None;
    }
    let mut best = Fit::None;
    // A numbered entry ("2.", "4.3.1") lines up with a text numbered alike,
    // from its start: "2. Modell …" is not "2.1 Konklusjon … modell …".
    let numbered = leading_numbers(e);
    let starts = if numbered > 0 {
        if leading_numbers(t) != numbered {
            return Fit::None;
        }
        0..1
    } else {
        0..t.len() - e.len() + 1
    };
    for start in starts {
        // The words that differ, counted without collecting them; a start
        // where more than a quarter of the entry's words differ, or where a
        // number stands against a word (the two do not line up: no stale
        // number), fits not at all, and is left as soon as that shows.
        let (mut differ, mut word_diffs) = (0usize, 0usize);
        let mut lines_up = true;
        for i in 0..e.len() {
            if same_word(e.word(i), t.word(start + i)) {
                continue;
            }
            let (ev, tv) = (entry.values[i], text.values[start + i]);
            if ev != tv {
                lines_up = false;
                break;
            }
            differ += 1;
            if !ev || !tv {
                word_diffs += 1;
                if word_diffs * 4 > e.len() {
                    lines_up = false;
                    break;
                }
            }
        }
        if !lines_up {
            continue;
        }
        let candidate = if differ == 0 {
            Fit::Same
        } else if word_diffs == 0 {
            // Only numbers and dates differ: the words around them must be there.
            if entry.values.iter().any(|v| !v) {
                Fit::Values
            } else {
                Fit::None
            }
        } else if word_diffs * 4 <= e.len() && word_diffs == differ {
            Fit::Words(word_diffs)
        } else {
            Fit::None
        };
        best = match (best, candidate) {
            (Fit::None, c) => c,
            (Fit::Words(a), Fit::Words(b)) if b < a => candidate,
            (Fit::Words(_), Fit::Values) => candidate,
            (b, _) => b,
        };
        // A fit found the same or differing only in values is kept whatever follows.
        if matches!(best, Fit::Same | Fit::Values) {
            return best;
        }
    }
    best
}

/// Section numbers at the start of a text's words ("4", "3", "1" of "4.3.1 Generelt").
fn leading_numbers(words: &Words) -> usize {
    (0..words.len())
        .map(|i| words.word(i))
        .take_while(|t| t.len() <= 3 && t.chars().all(|c| c.is_ascii_digit()))
        .count()
}

/// A line of a table of contents the reading did not take for an entry:
/// dot leaders and a page number, or Word's text for a broken contents
/// field ("Error! Bookmark not defined.", "Feil! Bokmerke er ikke definert.").
static CONTENTS_LINE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(r"(?i)(?:\.{4,}|…{2,}|_{4,})\s*[0-9]{1,3}\s*$|bookmark not defined|bokmerke (?:er )?ikke definert|bokmerke er ikkje definert|reference source not found")
        .expect("contents line")
});

/// The blocks an entry may name: not a table, not a long paragraph, not a
/// line of the contents themselves (between their first and last entry, or
/// printed as one), and not from the appendices on.
fn candidates<'a>(cx: &Checker<'a>, appendix: u32) -> Vec<&'a Block> {
    // The contents' stretches: entries a few lines apart.
    let mut lines: Vec<u32> = cx.doc.toc.iter().map(|e| e.span.end_line).collect();
    lines.sort_unstable();
    // Between two neighbouring entries: `l` falls between the last entry
    // line below it and the first above it, with none on it.
    let inside = |l: u32| {
        let below = lines.partition_point(|&x| x < l);
        below > 0
            && lines
                .get(below)
                .is_some_and(|&above| l < above && above - lines[below - 1] <= 8)
    };
    cx.doc
        .blocks()
        .filter(|b| !matches!(b.kind, BlockKind::Table(_)) && at_most_chars(&b.text, 200))
        .filter(|b| !inside(b.span.line) && !CONTENTS_LINE.is_match(&b.text))
        .filter(|b| b.span.line < appendix)
        .collect()
}

/// Whether `s` has at most `n` characters, counted only when its length in
/// bytes (one to four a character) leaves it open: most paragraphs are long.
fn at_most_chars(s: &str, n: usize) -> bool {
    s.len() <= n || (s.len() <= 4 * n && s.chars().count() <= n)
}

/// The blocks' words, indexed so that an entry is compared only with the
/// blocks it could fit: the rule stays linear in the document's length
/// rather than comparing every entry with every block.
struct Index<'w> {
    blocks: &'w [Words],
    /// Key of a word → the blocks holding such a word, ascending.
    by_key: foldhash::HashMap<&'w str, Vec<usize>>,
    /// A block's whole words, joined → the first block with them.
    by_words: foldhash::HashMap<&'w str, usize>,
}

impl<'w> Index<'w> {
    fn new(blocks: &'w [Words]) -> Index<'w> {
        // Hashed with foldhash: the index hashes every word of the blocks
        // and every stretch of each entry's words, and SipHash's guard
        // against chosen keys is not needed for a document's own words.
        let mut by_key: foldhash::HashMap<&str, Vec<usize>> = Default::default();
        let mut by_words: foldhash::HashMap<&str, usize> = Default::default();
        for (b, w) in blocks.iter().enumerate() {
            for i in 0..w.len() {
                let v = by_key.entry(key(w.word(i))).or_default();
                if v.last() != Some(&b) {
                    v.push(b);
                }
            }
            by_words.entry(w.joined.as_str()).or_insert(b);
        }
        Index {
            blocks,
            by_key,
            by_words,
        }
    }

    /// The blocks that may fit `entry` at all, ascending (none for an entry
    /// without words, which fits nothing). A near fit allows a quarter of the entry's words
    /// to differ, and only where the entry has words, not values: so a
    /// fitting block holds one of the entry's rarest words beyond that
    /// quarter, or, where the entry is mostly values, its rarest word and
    /// its rarest value (one of them is unchanged in any fit).
    fn near(&self, entry: &Words) -> Vec<usize> {
        let allow = entry.len() / 4;
        let count = |k: &&str| self.by_key.get(k).map_or(0, Vec::len);
        let keys_of = |value: bool| -> Vec<&str> {
            let mut k: Vec<&str> = (0..entry.len())
                .filter(|&i| entry.values[i] == value)
                .map(|i| key(entry.word(i)))
                .collect();
            k.sort_by_key(count);
            k
        };
        let words = keys_of(false);
        let keys: Vec<&str> = if words.len() > allow {
            words[..=allow].to_vec()
        } else {
            words
                .into_iter()
                .take(1)
                .chain(keys_of(true).into_iter().take(1))
                .collect()
        };
        let mut out: Vec<usize> = keys
            .iter()
            .flat_map(|k| self.by_key.get(k).into_iter().flatten().copied())
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }

    /// The first block the entry lists exactly ([`Fit::Same`]).
    fn same(&self, entry: &Words) -> Option<usize> {
        let n = entry.len();
        // The block's words inside the entry (or equal to it).
        let mut first = (0..n)
            .flat_map(|i| (i + 1..=n).map(move |j| (i, j)))
            .filter(|&(i, j)| j - i >= 2 || j - i == n)
            .filter_map(|(i, j)| self.by_words.get(entry.run(i, j)).copied())
            .min();
        // The entry inside the block's words.
        for b in self.near(entry) {
            if first.is_some_and(|f| f <= b) {
                break;
            }
            if fit(entry, &self.blocks[b]) == Fit::Same {
                first = Some(b);
                break;
            }
        }
        first
    }
}

fn check(cx: &Checker, out: &mut Vec<Finding>) {
    let toc = &cx.doc.toc;
    if toc.len() < 3 {
        return;
    }
    let appendix = cx.appendix_start().unwrap_or(u32::MAX);
    let all = candidates(cx, appendix);
    let parts = parts(toc);
    let sorted = all.is_sorted_by_key(|b| b.span.line);
    for (k, part) in parts.iter().enumerate() {
        // A contents lists the headings between the contents before it and
        // the contents after it: a compilation of reports, each with its
        // own contents, is checked report by report (and in time linear in
        // the document, not in the square of its contents).
        let from = k
            .checked_sub(1)
            .map_or(0, |p| toc[parts[p].end - 1].span.end_line);
        let to = parts
            .get(k + 1)
            .map_or(u32::MAX, |n| toc[n.start].span.line);
        let blocks: Vec<&Block> = if sorted {
            // The blocks between two contents are one stretch of them all.
            let start = all.partition_point(|b| b.span.line <= from);
            let end = all.partition_point(|b| b.span.line < to);
            all[start..end.max(start)].to_vec()
        } else {
            all.iter()
                .filter(|b| from < b.span.line && b.span.line < to)
                .copied()
                .collect()
        };
        check_part(cx, part.clone(), &blocks, appendix, out);
    }
}

/// The runs of contents entries: a new run starts where the next entry is
/// far below the last (another contents, not the same one over a page).
fn parts(toc: &[crate::model::TocEntry]) -> Vec<std::ops::Range<usize>> {
    if !toc.is_sorted_by_key(|e| e.span.line) {
        return std::iter::once(0..toc.len()).collect();
    }
    let mut parts = Vec::new();
    let mut start = 0;
    for i in 1..=toc.len() {
        let far = toc
            .get(i)
            .is_none_or(|e| e.span.line > toc[i - 1].span.end_line + 40);
        if far {
            parts.push(start..i);
            start = i;
        }
    }
    parts
}

/// Checks the entries `part` of the contents against `blocks`.
fn check_part(
    cx: &Checker,
    part: std::ops::Range<usize>,
    blocks: &[&Block],
    appendix: u32,
    out: &mut Vec<Finding>,
) {
    let toc = &cx.doc.toc[part.clone()];
    let block_words: Vec<Words> = blocks.iter().map(|b| Words::of(&b.text)).collect();
    let entries: Vec<Words> = toc.iter().map(|e| Words::of(&e.title)).collect();
    let index = Index::new(&block_words);
    // Which block each entry lists, exactly.
    let mut matched: Vec<Option<usize>> = entries.iter().map(|e| index.same(e)).collect();
    // A block an entry lists in full is taken; one that only contains an
    // entry (a title split over two contents lines) may hold another.
    let taken: std::collections::HashSet<usize> = matched
        .iter()
        .zip(&entries)
        .filter_map(|(m, e)| m.filter(|&b| e.joined == block_words[b].joined))
        .collect();
    for (i, e) in toc.iter().enumerate() {
        // An appendix's own contents (a report printed into this one).
        if matched[i].is_some() || e.span.line >= appendix {
            continue;
        }
        let et = &entries[i];
        // The nearest fit among blocks no other entry lists.
        let mut best: Option<(usize, Fit)> = None;
        for b in index.near(et).into_iter().filter(|b| !taken.contains(b)) {
            let f = fit(et, &block_words[b]);
            let better = match (best.map(|x| x.1), f) {
                (_, Fit::None) | (_, Fit::Same) => false,
                (None, _) => true,
                (Some(Fit::Words(a)), Fit::Words(c)) => c < a,
                (Some(Fit::Words(_)), Fit::Values) => true,
                _ => false,
            };
            if better {
                best = Some((b, f));
            }
        }
        let Some((b, _)) = best else {
            continue;
        };
        let block = blocks[b];
        let differ = differing(&e.title, &block.text);
        let message = format!(
            "the table of contents lists «{}» but the text has «{}»{}",
            e.title.trim(),
            block.text.trim(),
            differ
        );
        out.push(
            Finding::new(message)
                .at(cx.lines(e.span, "contents entry"))
                .at(cx.lines(block.span, "heading in the text")),
        );
        matched[i] = Some(b);
    }
    missing_siblings(cx, blocks, &matched, part.start, out);
}

/// "(«13.des 2024» against «15.jan 2025»)": the words that differ.
fn differing(entry: &str, text: &str) -> String {
    let a: Vec<&str> = entry.split_whitespace().collect();
    let all: Vec<&str> = text.split_whitespace().collect();
    // Compare with the stretch of the text the entry lines up with.
    let b: Vec<&str> = if all.len() > a.len() && !a.is_empty() {
        let common = |w: &[&str]| {
            w.iter()
                .filter(|x| a.iter().any(|y| y.eq_ignore_ascii_case(x)))
                .count()
        };
        let best = all
            .windows(a.len())
            .enumerate()
            .max_by_key(|(i, w)| (common(w), usize::MAX - i))
            .map_or(0, |(i, _)| i);
        all[best..best + a.len()].to_vec()
    } else {
        all
    };
    let only_a: Vec<&str> = a
        .iter()
        .filter(|w| !b.iter().any(|x| x.eq_ignore_ascii_case(w)))
        .copied()
        .collect();
    let only_b: Vec<&str> = b
        .iter()
        .filter(|w| !a.iter().any(|x| x.eq_ignore_ascii_case(w)))
        .copied()
        .collect();
    if only_a.is_empty() || only_b.is_empty() || only_b.len() > 4 {
        return String::new();
    }
    format!(" («{}» against «{}»)", only_a.join(" "), only_b.join(" "))
}

/// A numbered heading ("Tiltak 4 …") the contents skip between two listed
/// neighbours of the same kind.
fn missing_siblings(
    cx: &Checker,
    blocks: &[&Block],
    matched: &[Option<usize>],
    first_entry: usize,
    out: &mut Vec<Finding>,
) {
    let kw_number = |t: &str| -> Option<(String, u32)> {
        let mut w = t.split_whitespace();
        let kw = w.next()?.to_lowercase();
        let n: u32 = w.next()?.trim_end_matches([':', '.']).parse().ok()?;
        ["tiltak", "delmål", "kapittel", "aktivitet", "mål"]
            .contains(&kw.as_str())
            .then_some((kw, n))
    };
    let listed = |b: usize| matched.iter().position(|m| *m == Some(b));
    let headings: Vec<usize> = (0..blocks.len())
        .filter(|&b| {
            matches!(blocks[b].kind, BlockKind::Heading { .. })
                && kw_number(&blocks[b].text).is_some()
        })
        .collect();
    for w in headings.windows(3) {
        let (p, h, n) = (w[0], w[1], w[2]);
        let (Some(pi), None, Some(ni)) = (listed(p), listed(h), listed(n)) else {
            continue;
        };
        let (kp, np) = kw_number(&blocks[p].text).expect("numbered");
        let (kh, nh) = kw_number(&blocks[h].text).expect("numbered");
        let (kn, nn) = kw_number(&blocks[n].text).expect("numbered");
        if ni != pi + 1 || kp != kh || kh != kn || nh != np + 1 || nn != nh + 1 {
            continue;
        }
        out.push(
            Finding::new(format!(
                "the heading «{}» is not in the table of contents, which lists «{}» and then «{}»",
                blocks[h].text.trim(),
                blocks[p].text.trim(),
                blocks[n].text.trim()
            ))
            .at(cx.lines(blocks[h].span, "heading missing from the contents"))
            .at(cx.lines(cx.doc.toc[first_entry + pi].span, "contents entry before"))
            .at(cx.lines(cx.doc.toc[first_entry + ni].span, "contents entry after")),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::findings;

    fn t(s: &str) -> Words {
        Words::of(s)
    }

    /// The index sends an entry to every block it fits, and only to few.
    #[test]
    fn the_index_finds_what_a_full_scan_finds() {
        let texts = [
            "Innledning",
            "Delmål 1 Bolig",
            "Tiltak 1 Kartlegging",
            "oppfølging av Bygdevekstavgift for Bygdevekst Indre Namdal",
            "Tiltak 2 Samtaler",
            "(oppdatert 15.jan 2025)",
            "Tiltak 3 Bygging av boliger i alle kommunene",
        ];
        let blocks: Vec<Words> = texts.iter().map(|s| t(s)).collect();
        let index = Index::new(&blocks);
        for entry in [
            "Bygdevekstavtale for Bygdevekst Indre Namdal",
            "(oppdatert 13.des 2024)",
            "Tiltak 3 Bygging",
            "Delmål 1 Bolig",
        ] {
            let e = t(entry);
            let full: Vec<usize> = (0..blocks.len())
                .filter(|&b| fit(&e, &blocks[b]) != Fit::None)
                .collect();
            let near = index.near(&e);
            assert!(
                full.iter().all(|b| near.contains(b)),
                "{entry}: {full:?} ⊄ {near:?}"
            );
            assert!(near.len() <= 2, "{entry}: {near:?}");
        }
        assert_eq!(index.same(&t("Delmål 1 Bolig")), Some(1));
        assert_eq!(index.same(&t("3.1 Tiltak 2 Samtaler")), Some(4));
    }

    #[test]
    fn fits() {
        assert!(fit(&t("Tiltak 2: Test"), &t("Tiltak 2 Test")) == Fit::Same);
        assert!(fit(&t("(oppdatert 13.des 2024)"), &t("(oppdatert 15.jan 2025)")) == Fit::Values);
        assert!(
            fit(
                &t("Bygdevekstavtale for Bygdevekst Indre Namdal"),
                &t("oppfølging av Bygdevekstavgift for Bygdevekst Indre Namdal")
            ) == Fit::Words(1)
        );
        assert!(fit(&t("Delmål 3 Lokale studier"), &t("Delmål 4 Bolig")) == Fit::None);
    }

    const DOC: &str = "Plan 2025\n\n(oppdatert 15.jan 2025)\n\nInnhold\n\nPlan 2025\t1\n(oppdatert 13.des 2024)\t1\nDelmål 1 Bolig\t2\nTiltak 1 Kartlegging\t2\nTiltak 3 Bygging\t3\n\nDelmål 1 Bolig\n\nTekst.\n\nTiltak 1 Kartlegging\n\nTekst.\n\nTiltak 2 Samtaler\n\nTekst.\n\nTiltak 3 Bygging\n\nTekst.\n";

    #[test]
    fn a_stale_date_and_a_missing_heading() {
        let f = findings("toc-mismatch", DOC);
        let messages: Vec<&str> = f.iter().map(|f| f.message.as_str()).collect();
        assert_eq!(f.len(), 2, "{messages:#?}");
        assert!(
            messages[0].contains("«13.des 2024)» against «15.jan 2025)»"),
            "{}",
            messages[0]
        );
        assert!(
            messages[1].contains("«Tiltak 2 Samtaler» is not in the table of contents"),
            "{}",
            messages[1]
        );
    }

    /// Two reports bound in one file, each with its own contents: each
    /// contents is read against its own report. The second report's contents
    /// is up to date, so only the first one's two findings remain.
    #[test]
    fn each_contents_is_read_against_its_own_report() {
        let filler: String = (1..=45)
            .map(|i| format!("Avsnitt {i} om noe annet.\n\n"))
            .collect();
        let second = DOC
            .replace("(oppdatert 13.des 2024)\t1", "(oppdatert 15.jan 2025)\t1")
            .replace(
                "Tiltak 3 Bygging\t3",
                "Tiltak 2 Samtaler\t3\nTiltak 3 Bygging\t3",
            );
        let f = findings("toc-mismatch", &format!("{DOC}\n{filler}{second}"));
        let messages: Vec<&str> = f.iter().map(|f| f.message.as_str()).collect();
        assert_eq!(f.len(), 2, "{messages:#?}");
        let last_line_of_first = DOC.lines().count() as u32;
        for finding in &f {
            assert!(
                finding
                    .locations
                    .iter()
                    .all(|l| l.span.line <= last_line_of_first),
                "{messages:#?}"
            );
        }
    }

    #[test]
    fn an_up_to_date_contents_is_silent() {
        let d = DOC
            .replace("(oppdatert 13.des 2024)\t1", "(oppdatert 15.jan 2025)\t1")
            .replace(
                "Tiltak 3 Bygging\t3",
                "Tiltak 2 Samtaler\t3\nTiltak 3 Bygging\t3",
            );
        assert!(findings("toc-mismatch", &d).is_empty());
    }
}

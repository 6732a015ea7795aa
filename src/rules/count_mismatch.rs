use std::sync::LazyLock;

use regex::Regex;

use crate::extract::language::{self, Tongue};
use crate::model::{Block, BlockKind};
use crate::norsk::Pattern;

use super::{declare_rule, Checker, Finding, Value};

declare_rule! {
    /// ## What it checks
    /// A count the text states when it introduces an enumeration ("Vi vil gjøre
    /// dette gjennom tre aktiviteter:", "Søknaden omfatter to mål.", "Disse 14
    /// kommunene deltok") against the items that follow: the list right after
    /// it (items of one level; a numbered list that goes on after paragraphs
    /// counts to its last number; a list cut by a page break goes on at the
    /// top of the next page, past the page's footnotes and furniture, with
    /// the same bullet or the next number), lists under a run of
    /// sub-headings of one level, or names enumerated in the same sentence
    /// and closed by it ("de 8 kommunene (Bardu, Berg, … og Tranøy)").
    ///
    /// Counts are read as digits, or as number words of the document's
    /// language: Bokmål and Nynorsk (to, tre, fire, fem, seks, sju/syv, åtte,
    /// ni, ti, elleve, tolv) or English (two … twelve; "has to report" is no
    /// count). A sentence that is clearly in the other language (a quotation,
    /// a summary), or in a document whose language is not known and whose
    /// own words do not tell, has its digits read only. An English sentence
    /// introduces a list only with a colon. A count that does not introduce
    /// what follows is left alone.
    ///
    /// ## Why it matters
    /// A stated count that differs from the list means an item was added or
    /// removed without updating the text, so readers cannot tell which is
    /// complete.
    ///
    /// ## Example
    /// ```text
    /// Planen deles inn i fire deler:
    /// 1. Sammenfatte hva vi vet
    /// 2. Kompetanse vi trenger på kort sikt
    /// 3. Fremtidsscenario                      <- three parts, not four
    /// ```
    pub struct CountMismatch {
        id: "count-mismatch",
        severity: Error,
        check: check,
    }
}

/// Number words, by the language they are read in. "to" is two only in
/// Norwegian ("has to report" is English); "fire" is four only there.
const NORWEGIAN_WORDS: &[(&str, i64)] = &[
    ("to", 2),
    ("tre", 3),
    ("fire", 4),
    ("fem", 5),
    ("seks", 6),
    ("sju", 7),
    ("syv", 7),
    ("åtte", 8),
    ("ni", 9),
    ("ti", 10),
    ("elleve", 11),
    ("tolv", 12),
];
const ENGLISH_WORDS: &[(&str, i64)] = &[
    ("two", 2),
    ("three", 3),
    ("four", 4),
    ("five", 5),
    ("six", 6),
    ("seven", 7),
    ("eight", 8),
    ("nine", 9),
    ("ten", 10),
    ("eleven", 11),
    ("twelve", 12),
];

/// Words between a count and its noun: "tre ulike tiltak", "three main reasons".
const NORWEGIAN_ADJECTIVES: &str = "ulike|utvalgte|utvalde|forskjellige|viktige|konkrete|nye|hoved|sentrale|følgende|fylgjande|følgjande";
const ENGLISH_ADJECTIVES: &str =
    "main|key|different|specific|new|major|distinct|separate|broad|basic|core|principal|following";

/// A count and the noun it counts: "tre aktiviteter", "14 utvalgte
/// distriktskommuner", "de 8 kommunene", "three reports".
fn count_pattern(numbers: &str, adjectives: &str) -> Pattern {
    Pattern::new(&format!(
        r"(?i)\b(?P<n>[0-9]{{1,2}}{numbers})\s+(?:(?:{adjectives})\s+)?(?P<noun>(?-i:\p{{Ll}})[\p{{Ll}}-]{{2,}})\b"
    ))
    .expect("count")
}

fn alternatives(words: &[(&str, i64)]) -> String {
    words.iter().map(|(w, _)| format!("|{w}")).collect()
}

static COUNT_NORWEGIAN: LazyLock<Pattern> =
    LazyLock::new(|| count_pattern(&alternatives(NORWEGIAN_WORDS), NORWEGIAN_ADJECTIVES));
static COUNT_ENGLISH: LazyLock<Pattern> =
    LazyLock::new(|| count_pattern(&alternatives(ENGLISH_WORDS), ENGLISH_ADJECTIVES));
/// A text whose language is not known: its counts in digits only.
static COUNT_DIGITS: LazyLock<Pattern> =
    LazyLock::new(|| count_pattern("", &format!("{NORWEGIAN_ADJECTIVES}|{ENGLISH_ADJECTIVES}")));
/// Any count in any reading: a sentence this does not match holds none of
/// the counts above, and its language need not be weighed (most sentences
/// count nothing, and weighing a sentence's words cost more than this search).
static COUNT_ANY: LazyLock<Pattern> = LazyLock::new(|| {
    count_pattern(
        &format!(
            "{}{}",
            alternatives(NORWEGIAN_WORDS),
            alternatives(ENGLISH_WORDS)
        ),
        &format!("{NORWEGIAN_ADJECTIVES}|{ENGLISH_ADJECTIVES}"),
    )
});
/// Words a count is never of (units, time, people counted as a number).
static NOT_ITEMS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(år|åra|årene|måneder|månader|uker|veker|dager|dagar|timer|timar|prosent|kroner|millioner|mill|ganger|gonger|personer|innbyggere|innbyggarar|ansatte|tilsette|stillinger|elever|studenter|deltakere|deltakarar|boenheter|enheter|medlemmer|medlemer|av|og|i|på|til|som|er|var|for|med|om|years|months|weeks|days|hours|minutes|percent|per|cent|times|people|persons|inhabitants|residents|employees|staff|workers|students|pupils|children|participants|members|units|million|millions|billion|billions|thousand|thousands|hundred|hundreds|dollars|euros|pounds|decades|pages|of|and|in|on|at|to|with|or|by|as|is|are|was|were|the|more|less|than|out)$").expect("not items")
});

/// How the counts of one sentence are read: its pattern and number words.
struct Reading {
    pattern: &'static Pattern,
    words: &'static [(&'static str, i64)],
    /// The word that joins the last two of an enumeration: "og", "and".
    and: &'static [&'static str],
}

impl Reading {
    fn of(tongue: Option<Tongue>) -> Reading {
        match tongue {
            Some(Tongue::Norwegian) => Reading {
                pattern: &COUNT_NORWEGIAN,
                words: NORWEGIAN_WORDS,
                and: &[" og "],
            },
            Some(Tongue::English) => Reading {
                pattern: &COUNT_ENGLISH,
                words: ENGLISH_WORDS,
                and: &[" and "],
            },
            None => Reading {
                pattern: &COUNT_DIGITS,
                words: &[],
                and: &[" og ", " and "],
            },
        }
    }

    fn number(&self, s: &str) -> Option<i64> {
        let l = s.to_lowercase();
        l.parse()
            .ok()
            .or_else(|| self.words.iter().find(|(w, _)| *w == l).map(|(_, n)| *n))
    }
}

fn check(cx: &Checker, out: &mut Vec<Finding>) {
    let blocks: Vec<&Block> = cx.doc.blocks().collect();
    for (i, b) in blocks.iter().enumerate() {
        if !matches!(
            b.kind,
            BlockKind::Paragraph | BlockKind::ListItem { .. } | BlockKind::Heading { .. }
        ) {
            continue;
        }
        // The words a count is written in follow the document's language; a
        // document of unknown language lends its words from the passage
        // itself (the block and what follows it), or gets digits only.
        // Built only where needed: the language is mostly known.
        let passage = std::cell::OnceCell::new();
        let passage = || {
            passage.get_or_init(|| {
                let texts: Vec<&str> = blocks[i..blocks.len().min(i + 4)]
                    .iter()
                    .map(|b| b.text.as_str())
                    .collect();
                language::leaning(&texts.join(" "))
            })
        };
        let sentences: Vec<&str> = cx.plan.block_sentences.of_block(i, b).collect();
        for (si, sentence) in sentences.iter().enumerate() {
            if !COUNT_ANY.is_match(sentence) {
                continue;
            }
            let tongue = match cx.plan.language {
                Some(_) => language::tongue_of(cx.plan.language, sentence),
                None => *passage(),
            };
            let reading = Reading::of(tongue);
            for c in reading.pattern.captures_iter(sentence) {
                let noun = &c["noun"];
                if NOT_ITEMS.is_match(noun) {
                    continue;
                }
                let Some(n) = reading.number(&c["n"]) else {
                    continue;
                };
                if !(2..=30).contains(&n) {
                    continue;
                }
                let whole = c.get(0).expect("match");
                let rest = &sentence[whole.end()..];
                let is_item = matches!(b.kind, BlockKind::ListItem { .. });
                let counted = inline(rest, reading.and).or_else(|| {
                    let last = si + 1 == sentences.len();
                    (last && introduces(sentence, whole.end(), is_item, tongue))
                        .then(|| following(&blocks, i))
                        .flatten()
                });
                let Some((items, span)) = counted else {
                    continue;
                };
                if items == n {
                    continue;
                }
                let mut f = Finding::new(format!(
                    "the text says «{}» but {items} {} listed",
                    whole.as_str(),
                    if items == 1 { "is" } else { "are" }
                ))
                .figures(Value::Count(n), Value::Count(items))
                .at(cx.text(b.span, whole.as_str(), "stated count"));
                if let Some(span) = span {
                    f = f.at(cx.lines(span, "the items"));
                }
                out.push(f);
            }
        }
    }
}

/// Whether the sentence hands over to what follows: the count is near its end
/// and it ends in a colon, without a full stop ("To kjennetegn med disse
/// kommunene var"), or with the counted noun itself ("… omfatter to mål.").
/// A list item introduces only with a colon; so does an English sentence
/// ("… of the two variables (see table 2) indicates" speaks of two things
/// named before).
fn introduces(sentence: &str, count_end: usize, is_item: bool, tongue: Option<Tongue>) -> bool {
    let t = sentence.trim_end();
    let after = t[count_end.min(t.len())..]
        .trim_matches(|c: char| c == '.' || c == ':' || c.is_whitespace());
    let words_after = after.split_whitespace().count();
    if t.ends_with(':') {
        return words_after <= 10;
    }
    if is_item || tongue == Some(Tongue::English) {
        return false;
    }
    words_after == 0
        || (!t.ends_with(['.', '!', '?', ')', '»', ','])
            && !after.contains(',')
            && words_after <= 4)
}

/// Names enumerated right after the count: "(Bardu, Berg og Tranøy)" or ":
/// A, B og C." — closed by the parenthesis or the sentence's full stop, the
/// last two joined by "og"/"and" (a line the reading cut, "…: Arabica,
/// Mixed", is no enumeration).
fn inline(rest: &str, and: &[&str]) -> Option<(i64, Option<crate::model::Span>)> {
    let rest = rest.trim_start();
    let body = if let Some(r) = rest.strip_prefix('(') {
        let (body, _) = r.split_once(')')?;
        body
    } else if let Some(r) = rest.strip_prefix(':') {
        let r = r.trim_end();
        r.strip_suffix(['.', '!', '?'])?.trim_end()
    } else {
        return None;
    };
    if !and.iter().any(|w| body.contains(w)) {
        return None;
    }
    let items: Vec<&str> = body
        .split([',', ';'])
        .flat_map(|p| split_all(p, and))
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    // Names, not clauses: short, capitalised.
    let names = items.len() >= 2
        && items
            .iter()
            .all(|p| p.split_whitespace().count() <= 4 && p.starts_with(char::is_uppercase));
    names.then_some((items.len() as i64, None))
}

/// `p` cut at each of the joining words.
fn split_all<'a>(p: &'a str, and: &[&str]) -> Vec<&'a str> {
    let mut parts = vec![p];
    for w in and {
        parts = parts.into_iter().flat_map(|q| q.split(w)).collect();
    }
    parts
}

/// The items after block `i`: a list, or lists under a run of sub-headings.
fn following(blocks: &[&Block], i: usize) -> Option<(i64, Option<crate::model::Span>)> {
    let next = blocks.get(i + 1)?;
    match &next.kind {
        BlockKind::ListItem { .. } => list_at(blocks, i + 1).map(|(n, span, _)| (n, Some(span))),
        BlockKind::Heading { level, .. } => {
            // "Kommuner i Innlandet" • … "Kommuner i Møre og Romsdal" • …
            let mut total = 0;
            let mut j = i + 1;
            let mut groups = 0;
            let first = next.span;
            let mut last = next.span;
            while let Some(h) = blocks.get(j) {
                match &h.kind {
                    BlockKind::Heading { level: l, .. } if l == level => {}
                    _ => break,
                }
                let Some((n, span, end)) = list_at(blocks, j + 1) else {
                    break;
                };
                total += n;
                groups += 1;
                last = span;
                j = end;
            }
            (groups >= 2).then_some((
                total,
                Some(crate::model::Span {
                    end_line: last.end_line,
                    ..first
                }),
            ))
        }
        _ => None,
    }
}

/// The list starting at block `j`: its item count (top level only), span and
/// the index after it. A numbered list that goes on after paragraphs counts
/// to its last number.
fn list_at(blocks: &[&Block], j: usize) -> Option<(i64, crate::model::Span, usize)> {
    let depth_of = |b: &Block| match &b.kind {
        BlockKind::ListItem { depth, .. } => Some(*depth),
        _ => None,
    };
    let top = depth_of(blocks.get(j)?)?;
    // A numbered list read from its second item on was misread: abstain.
    if let BlockKind::ListItem { marker, .. } = &blocks[j].kind {
        if marker
            .trim_end_matches(['.', ')'])
            .parse::<i64>()
            .is_ok_and(|n| n != 1)
        {
            return None;
        }
    }
    // A numbered item, or a block the reading did not see as one ("3. Akademia …").
    let numbered = |b: &Block| match &b.kind {
        BlockKind::ListItem { marker, depth } if *depth == top => {
            marker.trim_end_matches(['.', ')']).parse::<i64>().ok()
        }
        BlockKind::ListItem { .. } => None,
        _ => {
            let (n, rest) = b.text.split_once(['.', ')'])?;
            (rest.starts_with(' ') && n.len() <= 2)
                .then(|| n.parse().ok())
                .flatten()
        }
    };
    let mut k = j;
    let mut count = 0;
    loop {
        while let Some(d) = blocks.get(k).and_then(|b| depth_of(b)) {
            if d == top {
                count += 1;
            }
            k += 1;
        }
        // A list cut by a page break goes on at the top of the next page,
        // after the page's footnotes and furniture, with the same kind of
        // marker (and the next number).
        match across_page(blocks, k, top) {
            Some(next) if goes_on(blocks[j], blocks[next], count + 1) => k = next,
            _ => break,
        }
    }
    let mut end = k;
    // Numbered items separated by paragraphs: "1. … (text) 2. … (text) 3. …".
    if let Some(1) = numbered(blocks[j]) {
        let mut expect = count + 1;
        let mut m = k;
        while let Some(b) = blocks.get(m) {
            let n = numbered(b);
            if n.is_none() && matches!(b.kind, BlockKind::Heading { .. } | BlockKind::Table(_)) {
                break;
            }
            if let Some(n) = n {
                if n != expect {
                    break;
                }
                expect += 1;
                count = n;
                end = m + 1;
            }
            m += 1;
        }
    }
    let span = crate::model::Span {
        end_line: blocks[end - 1].span.end_line,
        ..blocks[j].span
    };
    Some((count, span, end))
}

/// A footnote: its number or mark, then its text ("12 Stortinget …",
/// "* Tall fra 2024"), also where the reading took it for a table row or a
/// heading.
static NOTE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:[0-9]{1,3}|[*†‡]+|[¹²³⁴⁵⁶⁷⁸⁹⁰]+)\s+\S").expect("note"));

/// The list item at the top of the page after the one block `k - 1` ends
/// on, when only that page's footnotes and the pages' furniture stand
/// between: the place a list cut by a page break goes on.
fn across_page(blocks: &[&Block], k: usize, top: u8) -> Option<usize> {
    let page = blocks.get(k.checked_sub(1)?)?.span.page?;
    let mut m = k;
    while let Some(b) = blocks.get(m) {
        let here = b.span.page?;
        match &b.kind {
            BlockKind::Furniture => {}
            BlockKind::ListItem { depth, .. } if here == page + 1 => {
                return (*depth == top).then_some(m)
            }
            // A footnote, whatever the reading took it for.
            BlockKind::Paragraph | BlockKind::Table(_) | BlockKind::Heading { .. }
                if here == page && NOTE.is_match(&b.text) => {}
            _ => return None,
        }
        m += 1;
    }
    None
}

/// Whether `next` carries on the list `first` begins: both numbered and
/// `next` numbered `n`, or both bulleted with the same bullet.
fn goes_on(first: &Block, next: &Block, n: i64) -> bool {
    let marker = |b: &Block| match &b.kind {
        BlockKind::ListItem { marker, .. } => Some(marker.trim().to_string()),
        _ => None,
    };
    let (Some(a), Some(b)) = (marker(first), marker(next)) else {
        return false;
    };
    let number = |m: &str| m.trim_end_matches(['.', ')']).parse::<i64>().ok();
    match (number(&a), number(&b)) {
        (Some(_), Some(m)) => m == n && a.ends_with(|c: char| b.ends_with(c)),
        (None, None) => a == b,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::findings;

    #[test]
    fn a_list_shorter_than_its_count() {
        let f = findings(
            "count-mismatch",
            "Tiltak\n\nVi vil gjøre dette gjennom tre aktiviteter:\n\n- Ansette en brobygger\n- Lage en undersøkelse\n\nMer tekst.\n",
        );
        assert_eq!(f.len(), 1, "{f:#?}");
        assert!(f[0].message.contains("«tre aktiviteter» but 2 are listed"));
    }

    #[test]
    fn nynorsk_and_matching_lists_are_silent() {
        let t = "Mål\n\nSøknaden omfattar to mål.\n\n- Byggje kompetanse\n- Utarbeide konsept\n\nPlanen har fire delar:\n\n1. A\n2. B\n3. C\n4. D\n";
        assert!(findings("count-mismatch", t).is_empty());
    }

    #[test]
    fn names_in_parentheses() {
        let f = findings(
            "count-mismatch",
            "Kommuner\n\nArbeidsgrupper i de 8 kommunene (Bardu, Berg, Dyrøy, Lenvik, Målselv, Sørreisa og Tranøy) er i gang.\n",
        );
        assert_eq!(f.len(), 1, "{f:#?}");
        assert_eq!(f[0].computed, Some(crate::rules::Value::Count(7)));
    }

    #[test]
    fn lists_under_sub_headings_add_up() {
        let t = "Piloten\n\nDisse 5 kommunene deltok\n\nKommuner i Innlandet\n\n• Grue\n• Engerdal\n\nKommuner i Troms\n\n• Loppa\n• Vardø\n• Karasjok\n\nResultater\n\nTekst.\n";
        assert!(
            findings("count-mismatch", t).is_empty(),
            "{:#?}",
            findings("count-mismatch", t)
        );
        let f = findings("count-mismatch", &t.replace("5 kommunene", "6 kommunene"));
        assert_eq!(f.len(), 1);
    }
}

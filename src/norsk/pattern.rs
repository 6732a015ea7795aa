//! Regular expressions with Unicode word boundaries, at the speed of a DFA on
//! Norwegian text.
//!
//! The regex crate runs its fast engine (a lazy DFA) on a pattern with `\b`
//! only while the text is ASCII: at the first non-ASCII byte it gives up and
//! starts again with an NFA simulation, twenty to forty times slower. Norwegian
//! prose has an «æ», «ø», «å», a dash or a quotation mark in nearly every
//! sentence, so every search of such a pattern took the slow path.
//!
//! A [`Pattern`] keeps the exact expression and a twin of it with every
//! Unicode word assertion taken out. Taking an assertion out can only let
//! more through, so wherever the exact pattern matches, the twin matches at
//! the same start. The twin (which the DFA runs on any text) finds each
//! candidate start, leftmost first; the exact pattern then tries only that
//! start, anchored, where it either matches at once or fails within a few
//! characters. The first candidate it accepts is the exact pattern's own
//! leftmost match, with the same groups: the results are those of
//! `regex::Regex`, only found sooner.

use std::ops::{Index, Range};

use regex_automata::meta;
use regex_automata::nfa::thompson::WhichCaptures;
use regex_automata::util::captures::Captures;
use regex_automata::{Anchored, Input};
use regex_syntax::hir::{Capture, Hir, HirKind, Look, Repetition};

/// A compiled regular expression, searched as described in the module.
#[derive(Clone, Debug)]
pub struct Pattern {
    exact: meta::Regex,
    /// The exact expression without its Unicode word assertions; `None` when
    /// it has none, and the exact one is fast by itself.
    twin: Option<meta::Regex>,
    /// The longest text a match can span, in bytes, when the expression
    /// bounds it: an anchored try then looks no further.
    longest: Option<usize>,
}

/// The error of a pattern that does not compile.
pub type PatternError = Box<dyn std::error::Error + Send + Sync>;

impl Pattern {
    /// Compiles `pattern` in the syntax of the regex crate.
    ///
    /// A pattern that counts a long run ("`[^.]{0,60}`") and is not anchored
    /// at the text's end is searched without a DFA at all: the lazy DFA makes
    /// a state for each count it reaches, new for nearly every text, and
    /// building them cost more than the NFA engines' search (3 to 4 times,
    /// measured on the corpus). Anchored at the end, the DFA reading
    /// backwards turns most texts down at their last character.
    pub fn new(pattern: &str) -> Result<Pattern, PatternError> {
        let hir = regex_syntax::ParserBuilder::new().build().parse(pattern)?;
        let ends = hir.properties().look_set_suffix().contains(Look::End);
        Pattern::build(hir, counts_long_runs(pattern)? && !ends)
    }

    /// Compiles `pattern` to be searched without a DFA: for a pattern anchored
    /// at the end that counts a long run, where the texts it is asked about
    /// already end as it does (a colon, say), so that the DFA's backward
    /// reading turns none down and only builds states.
    pub fn without_dfa(pattern: &str) -> Result<Pattern, PatternError> {
        let hir = regex_syntax::ParserBuilder::new().build().parse(pattern)?;
        Pattern::build(hir, true)
    }

    fn build(hir: Hir, nfa_only: bool) -> Result<Pattern, PatternError> {
        // The configuration `regex::Regex::new` uses.
        let config = meta::Config::new()
            .nfa_size_limit(Some(10 * (1 << 20)))
            .hybrid_cache_capacity(2 * (1 << 20));
        let longest = hir.properties().maximum_len();
        if nfa_only {
            let exact = meta::Builder::new()
                .configure(config.hybrid(false))
                .build_from_hir(&hir)?;
            return Ok(Pattern {
                exact,
                twin: None,
                longest,
            });
        }
        let (plain, stripped) = without_word_looks(hir.clone());
        // With a twin, the exact pattern only ever tries one start, anchored,
        // where its NFA engines do as well as a DFA: it needs none (nor the
        // reverse NFA a DFA is built with), nor a literal prefilter, which
        // only skips ahead to where a match may start (finding the literals
        // of a case-insensitive list of words, every spelling of its cases,
        // was a third of the expressions' compile). The twin only finds
        // starts: no groups, and its DFA needs no literal prefilter on short
        // texts. Compiling the two took a tenth of a PDF's run before.
        let exact = meta::Builder::new()
            .configure(config.clone().hybrid(!stripped).auto_prefilter(!stripped))
            .build_from_hir(&hir)?;
        let twin = if stripped {
            let config = config
                .which_captures(WhichCaptures::Implicit)
                .auto_prefilter(false)
                .onepass(false)
                .backtrack(false);
            Some(
                meta::Builder::new()
                    .configure(config)
                    .build_from_hir(&plain)?,
            )
        } else {
            None
        };
        Ok(Pattern {
            exact,
            twin,
            longest,
        })
    }

    /// Whether the pattern matches anywhere in `hay`.
    pub fn is_match(&self, hay: &str) -> bool {
        self.find_at(hay, 0).is_some()
    }

    /// The leftmost match in `hay`.
    pub fn find<'h>(&self, hay: &'h str) -> Option<Found<'h>> {
        self.find_at(hay, 0)
    }

    /// The leftmost match starting at or after `at`; the text before `at`
    /// still decides the word boundaries there.
    pub fn find_at<'h>(&self, hay: &'h str, at: usize) -> Option<Found<'h>> {
        let Some(twin) = self.twin.as_ref() else {
            let m = self.exact.search(&Input::new(hay).range(at..))?;
            return Some(Found::new(hay, m.range()));
        };
        let mut scan = Scan::new(hay, at);
        while let Some(start) = scan.next_start(twin)? {
            if let Some(m) = self.exact.search(&self.anchored(hay, start)) {
                return Some(Found::new(hay, m.range()));
            }
            scan.turned_down(start)?;
        }
        let m = self.exact.search(&Input::new(hay).range(scan.from..))?;
        Some(Found::new(hay, m.range()))
    }

    /// Every match in `hay`, left to right, not overlapping.
    pub fn find_iter<'h, 'p>(&'p self, hay: &'h str) -> impl Iterator<Item = Found<'h>> + 'p
    where
        'h: 'p,
    {
        Matches::new(hay, move |at| self.find_at(hay, at))
    }

    /// The groups of the leftmost match in `hay`.
    pub fn captures<'h>(&self, hay: &'h str) -> Option<Caught<'h>> {
        self.captures_at(hay, 0)
    }

    /// The groups of the leftmost match starting at or after `at`.
    pub fn captures_at<'h>(&self, hay: &'h str, at: usize) -> Option<Caught<'h>> {
        let mut caps = self.exact.create_captures();
        let Some(twin) = self.twin.as_ref() else {
            self.exact
                .search_captures(&Input::new(hay).range(at..), &mut caps);
            return caps.is_match().then_some(Caught { hay, caps });
        };
        let mut scan = Scan::new(hay, at);
        while let Some(start) = scan.next_start(twin)? {
            self.exact
                .search_captures(&self.anchored(hay, start), &mut caps);
            if caps.is_match() {
                return Some(Caught { hay, caps });
            }
            scan.turned_down(start)?;
        }
        self.exact
            .search_captures(&Input::new(hay).range(scan.from..), &mut caps);
        caps.is_match().then_some(Caught { hay, caps })
    }

    /// The groups of every match in `hay`, left to right.
    pub fn captures_iter<'h, 'p>(&'p self, hay: &'h str) -> impl Iterator<Item = Caught<'h>> + 'p
    where
        'h: 'p,
    {
        let mut at = 0;
        let mut last_end = None;
        std::iter::from_fn(move || loop {
            let c = self.captures_at(hay, at)?;
            let span = c.caps.get_match()?.range();
            if span.is_empty() && Some(span.end) == last_end {
                at = next_char(hay, span.end)?;
                continue;
            }
            at = span.end;
            last_end = Some(span.end);
            return Some(c);
        })
    }

    /// A search anchored at `start`, reaching no further than a match can.
    fn anchored<'h>(&self, hay: &'h str, start: usize) -> Input<'h> {
        let end = match self.longest {
            Some(n) => floor_char_boundary(hay, start.saturating_add(n)),
            None => hay.len(),
        };
        // Look-arounds still see the whole text beyond the span.
        Input::new(hay).span(start..end).anchored(Anchored::Yes)
    }
}

/// The twin's walk over the candidate starts, with a bound on the text it
/// reads: a twin with `.*` reads to the end of the line for each candidate,
/// and many candidates the exact pattern turns down in one long line would
/// make the search quadratic. Past the bound the exact pattern searches on
/// alone (slower per byte, but linear).
struct Scan<'h> {
    hay: &'h str,
    /// Where the next candidate may start: no match starts before it.
    from: usize,
    /// Bytes the twin has read, and how many it may read.
    read: usize,
    budget: usize,
}

impl<'h> Scan<'h> {
    fn new(hay: &'h str, at: usize) -> Self {
        Scan {
            hay,
            from: at,
            read: 0,
            budget: 4 * hay.len().saturating_sub(at) + 4096,
        }
    }

    /// `Some(Some(start))`: the next candidate; `Some(None)`: the budget is
    /// spent (search on from `from` with the exact pattern); `None`: no match.
    fn next_start(&mut self, twin: &meta::Regex) -> Option<Option<usize>> {
        if self.read > self.budget {
            return Some(None);
        }
        let m = twin.search(&Input::new(self.hay).range(self.from..))?;
        self.read += m.end() - self.from;
        Some(Some(m.start()))
    }

    /// The exact pattern does not match at `start`: the next candidate is
    /// after it (`None` at the end of the text).
    fn turned_down(&mut self, start: usize) -> Option<()> {
        self.from = next_char(self.hay, start)?;
        Some(())
    }
}

/// A list of expressions (or a list of one) asked of a few short texts (a
/// title's lines, a document's opening blocks): which of them match, in the
/// list's order. Not for what is searched through every sentence or block
/// of a document, where the NFA's search costs more than the lazy DFA's
/// compile; an expression anchored at the text's start (`^…`) is tried
/// there only and fails at once, and serves anywhere.
///
/// One automaton for the whole list, searched by the NFA alone, without a
/// literal prefilter: a list of case-insensitive word lists compiled one
/// expression at a time, each with a lazy DFA, its reverse and a prefilter
/// of every spelling of its cases, cost more at start-up (3 ms for the
/// twelve document kinds, measured) than all the short texts it is ever
/// asked about.
#[derive(Clone, Debug)]
pub struct Patterns {
    set: meta::Regex,
}

impl Patterns {
    /// Compiles `patterns`, in the syntax of the regex crate.
    pub fn new(patterns: &[&str]) -> Result<Patterns, PatternError> {
        let config = meta::Config::new()
            .match_kind(regex_automata::MatchKind::All)
            .nfa_size_limit(Some(10 * (1 << 20)))
            .hybrid(false)
            .auto_prefilter(false);
        let set = meta::Builder::new()
            .configure(config)
            .build_many(patterns)?;
        Ok(Patterns { set })
    }

    /// One expression asked of short texts.
    pub fn one(pattern: &str) -> Result<Patterns, PatternError> {
        Patterns::new(&[pattern])
    }

    /// Whether any of the expressions matches anywhere in `hay`.
    pub fn is_match(&self, hay: &str) -> bool {
        self.set.is_match(hay)
    }

    /// The positions in the list of the expressions that match anywhere in
    /// `hay`, ascending.
    pub fn matching(&self, hay: &str) -> impl Iterator<Item = usize> {
        let n = self.set.pattern_len();
        let mut which = regex_automata::PatternSet::new(n);
        self.set
            .which_overlapping_matches(&Input::new(hay), &mut which);
        (0..n).filter(move |&i| which.contains(regex_automata::PatternID::must(i)))
    }

    /// The first expression in the list that matches anywhere in `hay`.
    pub fn first(&self, hay: &str) -> Option<usize> {
        self.matching(hay).next()
    }
}

/// The matches of a search, advanced as the regex crate does: an empty match
/// right where the previous one ended is skipped.
struct Matches<'h, F> {
    hay: &'h str,
    at: usize,
    last_end: Option<usize>,
    next: F,
}

impl<'h, F: FnMut(usize) -> Option<Found<'h>>> Matches<'h, F> {
    fn new(hay: &'h str, next: F) -> Self {
        Matches {
            hay,
            at: 0,
            last_end: None,
            next,
        }
    }
}

impl<'h, F: FnMut(usize) -> Option<Found<'h>>> Iterator for Matches<'h, F> {
    type Item = Found<'h>;

    fn next(&mut self) -> Option<Found<'h>> {
        loop {
            let m = (self.next)(self.at)?;
            if m.is_empty() && Some(m.end()) == self.last_end {
                self.at = next_char(self.hay, m.end())?;
                continue;
            }
            self.at = m.end();
            self.last_end = Some(m.end());
            return Some(m);
        }
    }
}

/// The position after the character at `i`, or `None` at the end.
fn next_char(hay: &str, i: usize) -> Option<usize> {
    hay[i..].chars().next().map(|c| i + c.len_utf8())
}

fn floor_char_boundary(hay: &str, mut i: usize) -> usize {
    if i >= hay.len() {
        return hay.len();
    }
    while !hay.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Whether `pattern` repeats something a counted number of times, up to 16
/// or more ("`{0,60}`", "`{1,80}`").
fn counts_long_runs(pattern: &str) -> Result<bool, PatternError> {
    fn walk(ast: &regex_syntax::ast::Ast) -> bool {
        use regex_syntax::ast::{Ast, RepetitionKind, RepetitionRange};
        match ast {
            Ast::Repetition(r) => {
                let long = matches!(
                    r.op.kind,
                    RepetitionKind::Range(
                        RepetitionRange::Exactly(n) | RepetitionRange::Bounded(_, n)
                    ) if n >= 16
                );
                long || walk(&r.ast)
            }
            Ast::Group(g) => walk(&g.ast),
            Ast::Alternation(a) => a.asts.iter().any(walk),
            Ast::Concat(c) => c.asts.iter().any(walk),
            _ => false,
        }
    }
    Ok(walk(
        &regex_syntax::ast::parse::Parser::new().parse(pattern)?,
    ))
}

/// `hir` with every Unicode word assertion (`\b`, `\B`, `\<`, `\>` and the
/// half ones) replaced by the empty expression, and whether there was one.
fn without_word_looks(hir: Hir) -> (Hir, bool) {
    match hir.into_kind() {
        HirKind::Look(look) if is_unicode_word(look) => (Hir::empty(), true),
        HirKind::Look(look) => (Hir::look(look), false),
        HirKind::Empty => (Hir::empty(), false),
        HirKind::Literal(l) => (Hir::literal(l.0), false),
        HirKind::Class(c) => (Hir::class(c), false),
        HirKind::Repetition(r) => {
            let (sub, stripped) = without_word_looks(*r.sub);
            let sub = Box::new(sub);
            (Hir::repetition(Repetition { sub, ..r }), stripped)
        }
        HirKind::Capture(c) => {
            let (sub, stripped) = without_word_looks(*c.sub);
            let sub = Box::new(sub);
            (Hir::capture(Capture { sub, ..c }), stripped)
        }
        HirKind::Concat(subs) => {
            let (subs, stripped) = all_without_word_looks(subs);
            (Hir::concat(subs), stripped)
        }
        HirKind::Alternation(subs) => {
            let (subs, stripped) = all_without_word_looks(subs);
            (Hir::alternation(subs), stripped)
        }
    }
}

fn all_without_word_looks(subs: Vec<Hir>) -> (Vec<Hir>, bool) {
    let mut any = false;
    let subs = subs
        .into_iter()
        .map(|h| {
            let (h, stripped) = without_word_looks(h);
            any |= stripped;
            h
        })
        .collect();
    (subs, any)
}

fn is_unicode_word(look: Look) -> bool {
    matches!(
        look,
        Look::WordUnicode
            | Look::WordUnicodeNegate
            | Look::WordStartUnicode
            | Look::WordEndUnicode
            | Look::WordStartHalfUnicode
            | Look::WordEndHalfUnicode
    )
}

/// A match: its place in the text searched.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Found<'h> {
    hay: &'h str,
    range: (usize, usize),
}

impl<'h> Found<'h> {
    fn new(hay: &'h str, range: Range<usize>) -> Self {
        Found {
            hay,
            range: (range.start, range.end),
        }
    }

    /// Byte offset of the first character.
    pub fn start(&self) -> usize {
        self.range.0
    }

    /// Byte offset after the last character.
    pub fn end(&self) -> usize {
        self.range.1
    }

    /// `start()..end()`.
    pub fn range(&self) -> Range<usize> {
        self.range.0..self.range.1
    }

    /// The text matched.
    pub fn as_str(&self) -> &'h str {
        &self.hay[self.range()]
    }

    /// Length in bytes.
    pub fn len(&self) -> usize {
        self.range.1 - self.range.0
    }

    /// Whether the match is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The groups of a match, by number (0 is the whole match) or by name.
#[derive(Clone, Debug)]
pub struct Caught<'h> {
    hay: &'h str,
    caps: Captures,
}

impl<'h> Caught<'h> {
    /// Group `i`, if it took part in the match.
    pub fn get(&self, i: usize) -> Option<Found<'h>> {
        let span = self.caps.get_group(i)?;
        Some(Found::new(self.hay, span.range()))
    }

    /// The group named `name`, if it took part in the match.
    pub fn name(&self, name: &str) -> Option<Found<'h>> {
        let span = self.caps.get_group_by_name(name)?;
        Some(Found::new(self.hay, span.range()))
    }

    /// The number of groups, the whole match included.
    pub fn len(&self) -> usize {
        self.caps.group_len()
    }

    /// Whether there are no groups (never: group 0 is the match).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl Index<usize> for Caught<'_> {
    type Output = str;

    /// The text of group `i`; panics when it did not take part, as
    /// `regex::Captures` does.
    fn index(&self, i: usize) -> &str {
        self.get(i)
            .map(|m| m.as_str())
            .unwrap_or_else(|| panic!("no group at index '{i}'"))
    }
}

impl Index<&str> for Caught<'_> {
    type Output = str;

    /// The text of the group named `name`; panics when it did not take part.
    fn index(&self, name: &str) -> &str {
        self.name(name)
            .map(|m| m.as_str())
            .unwrap_or_else(|| panic!("no group named '{name}'"))
    }
}

#[cfg(test)]
mod tests {
    use super::{Pattern, Patterns};
    use proptest::prelude::*;
    use regex::Regex;

    /// Patterns of the kinds the extractors use: word-bounded alternations,
    /// optional bounded prefixes, `.*` between words, case-insensitive.
    const PATTERNS: &[&str] = &[
        r"(?i)\b(avtale|avtalen)\b.*\b(inngått|signert)\b|\bpartene\s+er\b",
        r"(?i)(?P<pre>\b(?:kroner|kr\.?|NOK)[ ]*)?(?P<num>[0-9]+(?:,[0-9]+)?)(?:[ ]*(?P<post>kr|mill\.?))?",
        r"(?i)\b(?P<n>[0-9]{1,2}|to|tre|åtte)\s+(?P<noun>(?-i:\p{Ll})[\p{Ll}-]{2,})\b",
        r"\bår\b|\bÅr\b",
        r"\Bkr\B",
        r"(?i)\b",
        r"[0-9]*",
        r"(?i)prosent\b",
        // A long counted run: searched without a DFA.
        r"(?i)\bplan(?:en)?\b[^.]{0,20}\b(er|ble)\s+vedtatt\b",
    ];

    fn same(pattern: &str, hay: &str) {
        let p = Pattern::new(pattern).unwrap();
        let r = Regex::new(pattern).unwrap();
        assert_eq!(p.is_match(hay), r.is_match(hay), "{pattern} on {hay:?}");
        let ours: Vec<_> = p.find_iter(hay).map(|m| m.range()).collect();
        let theirs: Vec<_> = r.find_iter(hay).map(|m| m.range()).collect();
        assert_eq!(ours, theirs, "{pattern} on {hay:?}");
        let ours: Vec<Vec<_>> = p
            .captures_iter(hay)
            .map(|c| (0..c.len()).map(|i| c.get(i).map(|m| m.range())).collect())
            .collect();
        let theirs: Vec<Vec<_>> = r
            .captures_iter(hay)
            .map(|c| c.iter().map(|m| m.map(|m| m.range())).collect())
            .collect();
        assert_eq!(ours, theirs, "{pattern} on {hay:?}");
        for at in (0..=hay.len()).filter(|&i| hay.is_char_boundary(i)) {
            let ours = p.find_at(hay, at).map(|m| m.range());
            assert_eq!(
                ours,
                r.find_at(hay, at).map(|m| m.range()),
                "{pattern} at {at}"
            );
        }
    }

    #[test]
    fn word_boundaries_next_to_norwegian_letters() {
        // "småavtale" and "avtaleåret" hold "avtale" but not as a word.
        same(
            PATTERNS[0],
            "Småavtale inngått. Avtaleåret signert, men avtalen er inngått i år.",
        );
        same(PATTERNS[3], "Året: år, påår, år. Årsmøte i År");
        same(PATTERNS[4], "økrø kr økr krø akrb");
    }

    #[test]
    fn groups_and_optional_prefixes() {
        same(
            PATTERNS[1],
            "Tildelt kr 500 000 i år, økr 20 og 1,5 mill. til NOK 3",
        );
        same(
            PATTERNS[2],
            "Vi har åtte mål, tre ulike tiltak og 14 kommunene. Dato 2025 skal",
        );
        same(PATTERNS[7], "35 prosentpoeng, 40 prosent, 50 prosentår");
    }

    #[test]
    fn counted_runs_and_patterns_without_a_dfa() {
        same(
            PATTERNS[8],
            "Planen er vedtatt. Plan, som ble vedtatt i år. Planåret ble vedtatt",
        );
        let ending = r"(?:,\s+|^(?i:derfor)\s+)(?i:vil|skal)\s+(?:\s+[^.?!:]{0,40})?:$";
        let p = Pattern::without_dfa(ending).unwrap();
        let r = Regex::new(ending).unwrap();
        for t in [
            "Derfor vil vi:",
            "For å nå dette, skal   kommunen:",
            "Vi skal:",
            "x, vil:",
        ] {
            assert_eq!(p.is_match(t), r.is_match(t), "{t:?}");
            let ours = p.find(t).map(|m| m.range());
            assert_eq!(ours, r.find(t).map(|m| m.range()), "{t:?}");
        }
    }

    #[test]
    fn empty_matches_advance_as_in_the_regex_crate() {
        same(PATTERNS[5], "på år æ");
        same(PATTERNS[6], "a1ø22å");
    }

    /// Many candidates in one long line that the exact pattern turns down:
    /// the twin's reading is bounded, and the result is still the regex
    /// crate's.
    #[test]
    fn a_long_line_of_near_misses_stays_linear_and_exact() {
        let hay = "småavtale ".repeat(5_000) + "avtale inngått, avtaleåret inngått";
        same(r"(?i)\bavtale\b.*\binngått\b", &hay[hay.len() - 200..]);
        let p = Pattern::new(r"(?i)\bavtale\b.*\binngått\b").unwrap();
        let r = Regex::new(r"(?i)\bavtale\b.*\binngått\b").unwrap();
        assert_eq!(
            p.find(&hay).map(|m| m.range()),
            r.find(&hay).map(|m| m.range())
        );
        let ours = p.captures(&hay).and_then(|c| c.get(0)).map(|m| m.range());
        assert_eq!(ours, r.find(&hay).map(|m| m.range()));
    }

    proptest! {
        #[test]
        fn the_same_matches_as_the_regex_crate(
            hay in "[aøåkrtvlenisp 0-9.,\u{00A0}-]{0,40}",
            which in 0..PATTERNS.len(),
        ) {
            same(PATTERNS[which], &hay);
        }
    }

    /// Word lists of the kinds `Patterns` serves: case-insensitive, word-bounded or not.
    const LISTS: &[&str] = &[
        r"(?i)\b(til ?sam+[ae]n|totalt|i alt|samlet|samla|sum)\b",
        r"(?i)(innvilget|tilsagn|bevilga|løyvd)",
        r"(?i)\bprop\.\s*[0-9]+\s*[ls]\b|\bot\.\s*prp\.",
        r"(?i)\b(årsrapport|årsmelding)\b",
        r"(?i)\bnotat\b",
        r"\bÅr\b",
        r"(?i)^(?:saksprotokoll|notat|brev)\s*:?$",
    ];

    #[test]
    fn a_list_finds_what_its_expressions_find_one_by_one() {
        let list = Patterns::new(LISTS).unwrap();
        let each: Vec<Regex> = LISTS.iter().map(|p| Regex::new(p).unwrap()).collect();
        for hay in [
            "",
            "Til sammen 1 200 000 kr, innvilget",
            "ÅRSMELDING 2024 – notat",
            "Prop. 108 L (2019–2020)",
            "summen er samla, Årsrapporten",
            "År og år: SØKNAD om TILSAGN",
            "notatet",
            "Notat",
            "NOTAT:",
            "Notat om brev",
        ] {
            let want: Vec<usize> = (0..each.len()).filter(|&i| each[i].is_match(hay)).collect();
            assert_eq!(list.matching(hay).collect::<Vec<_>>(), want, "{hay:?}");
            assert_eq!(list.first(hay), want.first().copied(), "{hay:?}");
            for (p, re) in LISTS.iter().zip(&each) {
                assert_eq!(Patterns::one(p).unwrap().is_match(hay), re.is_match(hay));
            }
        }
    }

    proptest! {
        #[test]
        fn a_list_agrees_with_its_expressions_on_any_text(hay in "[a-zA-ZåøæÅØÆ0-9 .,:ſK\u{212A}-]{0,40}") {
            let list = Patterns::new(LISTS).unwrap();
            let want: Vec<usize> = LISTS
                .iter()
                .enumerate()
                .filter(|(_, p)| Regex::new(p).unwrap().is_match(&hay))
                .map(|(i, _)| i)
                .collect();
            prop_assert_eq!(list.matching(&hay).collect::<Vec<_>>(), want);
        }
    }
}

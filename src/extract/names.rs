//! A list of names found in a text as one regular expression would find them,
//! without compiling it.
//!
//! The gazetteer looks for its names as the expression
//! `(?:^|E)(N₁|N₂|…)S(?:$|E)` would: a name between two edges (the text's
//! start or end, or an edge character E: one that is neither a letter nor a
//! number, by Unicode's categories), perhaps followed by a genitive "s" (S),
//! the leftmost match first and, at one place, the first name in the list;
//! in its case-insensitive form every character matches those of its simple
//! case folding, as the regex crate's `(?i)` does, and a space in a name
//! matches any run of white space (`\s+`). Compiled, the case-insensitive
//! expression of the gazetteer's 700 names took 17–20 ms of two, a fifth of
//! the start-up cost of `plansjekk run` on one document, paid again by every
//! worker process. A trie of the names, walked from each place after an edge,
//! is built in a fraction of a millisecond and finds the same names (a test
//! holds it to the expression, on the corpus and on spellings made to differ
//! in case, white space, edges and genitives).

use std::ops::Range;

use foldhash::HashMap;
use regex_syntax::hir::{Class, ClassUnicode, ClassUnicodeRange, HirKind};

/// How a name's letters are compared with the text's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Case {
    /// Exactly.
    Sensitive,
    /// Up to simple case folding, as `(?i)` compares them.
    Insensitive,
}

/// Names, searched as the expression described in the module would search
/// them.
#[derive(Debug)]
pub struct NameSearch {
    nodes: Vec<Node>,
    /// Each character a name's character matches, with the key the trie
    /// knows it by: itself, or the smallest character of its case folding.
    keys: HashMap<char, char>,
    /// The keys of the ASCII characters (`None`: in no name), for speed.
    ascii_keys: [Option<char>; 128],
    /// Whether a name may begin with a character whose UTF-8 begins with
    /// this byte: most places after an edge are turned down by it.
    starts: [bool; 256],
    /// Letters and numbers: every character not in it is an edge.
    word: CharSet,
    /// The characters a genitive "s" may be written with.
    genitive: Option<Vec<char>>,
}

#[derive(Debug, Default)]
struct Node {
    /// The nodes reached by a character's key, sorted by key.
    next: Vec<(char, u32)>,
    /// The node reached by a run of white space (a space in a name).
    space: Option<u32>,
    /// The name that ends here: its place in the list (the first wins).
    name: Option<u32>,
}

/// A set of characters as sorted ranges, with ASCII answered by a table.
#[derive(Debug)]
struct CharSet {
    ascii: [bool; 128],
    ranges: Vec<(char, char)>,
}

impl CharSet {
    fn new(class: &ClassUnicode) -> CharSet {
        let ranges: Vec<(char, char)> = class
            .ranges()
            .iter()
            .map(|r| (r.start(), r.end()))
            .collect();
        let mut ascii = [false; 128];
        for (b, slot) in ascii.iter_mut().enumerate() {
            *slot = in_ranges(&ranges, char::from(b as u8));
        }
        CharSet { ascii, ranges }
    }

    fn contains(&self, c: char) -> bool {
        match self.ascii.get(c as usize) {
            Some(&yes) => yes,
            None => in_ranges(&self.ranges, c),
        }
    }
}

/// The character at byte `at` of `text`, ASCII without decoding.
fn char_at(text: &str, at: usize) -> Option<char> {
    match *text.as_bytes().get(at)? {
        b if b.is_ascii() => Some(char::from(b)),
        _ => text[at..].chars().next(),
    }
}

fn in_ranges(ranges: &[(char, char)], c: char) -> bool {
    let i = ranges.partition_point(|&(_, end)| end < c);
    ranges.get(i).is_some_and(|&(start, _)| start <= c)
}

/// The characters `c` matches under `(?i)`: its simple case folding.
fn folding(c: char) -> ClassUnicode {
    let mut class = ClassUnicode::new([ClassUnicodeRange::new(c, c)]);
    class.case_fold_simple();
    class
}

/// The class of characters an expression of one class (`[\p{L}\p{N}]`) matches.
fn class_of(expression: &str) -> ClassUnicode {
    let hir = regex_syntax::Parser::new()
        .parse(expression)
        .expect("a valid class");
    match hir.kind() {
        HirKind::Class(Class::Unicode(class)) => class.clone(),
        _ => panic!("{expression} is not a class of Unicode characters"),
    }
}

impl NameSearch {
    /// Searches for `names` (in this order of preference), between edges:
    /// characters not in the class `word` (e.g. `[\p{L}\p{N}]`); with a
    /// genitive "s" after a name when `genitive`. Every name must begin and
    /// end with a character of `word` and hold no white space but single
    /// spaces.
    pub fn new<'a>(
        names: impl IntoIterator<Item = &'a str>,
        case: Case,
        word: &str,
        genitive: bool,
    ) -> NameSearch {
        let mut search = NameSearch {
            nodes: vec![Node::default()],
            keys: HashMap::default(),
            ascii_keys: [None; 128],
            starts: [false; 256],
            word: CharSet::new(&class_of(word)),
            genitive: None,
        };
        let key_of = |c: char, keys: &mut HashMap<char, char>| -> char {
            if let Some(&k) = keys.get(&c) {
                return k;
            }
            match case {
                Case::Sensitive => {
                    keys.insert(c, c);
                    c
                }
                Case::Insensitive => {
                    let fold = folding(c);
                    let key = fold.ranges()[0].start();
                    for r in fold.ranges() {
                        for f in r.start()..=r.end() {
                            keys.insert(f, key);
                        }
                    }
                    key
                }
            }
        };
        for (place, name) in names.into_iter().enumerate() {
            debug_assert!(
                name.chars().next().is_some_and(|c| search.word.contains(c))
                    && name
                        .chars()
                        .next_back()
                        .is_some_and(|c| search.word.contains(c))
                    && !name.contains("  ")
                    && name.chars().all(|c| c == ' ' || !c.is_whitespace()),
                "a name the search cannot hold: {name:?}"
            );
            let mut node = 0usize;
            for c in name.chars() {
                node = if c == ' ' {
                    match search.nodes[node].space {
                        Some(n) => n as usize,
                        None => {
                            let n = search.push();
                            search.nodes[node].space = Some(n as u32);
                            n
                        }
                    }
                } else {
                    let key = key_of(c, &mut search.keys);
                    match search.nodes[node].next.binary_search_by_key(&key, |e| e.0) {
                        Ok(i) => search.nodes[node].next[i].1 as usize,
                        Err(i) => {
                            let n = search.push();
                            search.nodes[node].next.insert(i, (key, n as u32));
                            n
                        }
                    }
                };
            }
            // The first of two names that match alike is the one found.
            search.nodes[node].name.get_or_insert(place as u32);
        }
        for (&c, &key) in &search.keys {
            if let Some(slot) = search.ascii_keys.get_mut(c as usize) {
                *slot = Some(key);
            }
            if search.nodes[0]
                .next
                .binary_search_by_key(&key, |e| e.0)
                .is_ok()
            {
                let mut utf8 = [0; 4];
                search.starts[usize::from(c.encode_utf8(&mut utf8).as_bytes()[0])] = true;
            }
        }
        if genitive {
            search.genitive = Some(match case {
                Case::Sensitive => vec!['s'],
                Case::Insensitive => {
                    let fold = folding('s');
                    fold.ranges()
                        .iter()
                        .flat_map(|r| r.start()..=r.end())
                        .collect()
                }
            });
        }
        search
    }

    fn push(&mut self) -> usize {
        self.nodes.push(Node::default());
        self.nodes.len() - 1
    }

    /// The trie's key of text character `c`; `None` where no name has it.
    fn key(&self, c: char) -> Option<char> {
        match self.ascii_keys.get(c as usize) {
            Some(&key) => key,
            None => self.keys.get(&c).copied(),
        }
    }

    fn is_edge(&self, c: char) -> bool {
        !self.word.contains(c)
    }

    /// Whether a name that ends at `end` of `text` is followed as the
    /// expression wants: by the text's end or an edge, perhaps after a
    /// genitive "s".
    fn ends_well(&self, text: &str, end: usize) -> bool {
        let mut rest = text[end..].chars();
        match rest.next() {
            None => true,
            Some(c) if self.is_edge(c) => true,
            Some(c) => {
                self.genitive.as_ref().is_some_and(|s| s.contains(&c))
                    && rest.next().is_none_or(|c| self.is_edge(c))
            }
        }
    }

    /// The name that begins at `start` of `text`, as the first in the list
    /// of those that begin there and end well.
    fn name_at(&self, text: &str, start: usize) -> Option<Range<usize>> {
        let bytes = text.as_bytes();
        if !bytes
            .get(start)
            .is_some_and(|&b| self.starts[usize::from(b)])
        {
            return None;
        }
        let mut best: Option<(u32, usize)> = None;
        let mut node = &self.nodes[0];
        let mut at = start;
        loop {
            if let Some(place) = node.name {
                if best.is_none_or(|(b, _)| place < b) && self.ends_well(text, at) {
                    best = Some((place, at));
                }
            }
            let Some(c) = char_at(text, at) else { break };
            let next = if c.is_whitespace() {
                // `\s+`: the whole run, as the next character of a name is
                // never white space.
                while let Some(w) = char_at(text, at).filter(|w| w.is_whitespace()) {
                    at += w.len_utf8();
                }
                node.space
            } else {
                at += c.len_utf8();
                self.key(c)
                    .and_then(|k| node.next.binary_search_by_key(&k, |e| e.0).ok())
                    .map(|i| node.next[i].1)
            };
            match next {
                Some(n) => node = &self.nodes[n as usize],
                None => break,
            }
        }
        best.map(|(_, end)| start..end)
    }

    /// The first name found in `text` from byte `at`: the range of the name
    /// (the expression's first group), as `Regex::captures_at` gives it.
    pub fn find_at(&self, text: &str, at: usize) -> Option<Range<usize>> {
        if at == 0 {
            if let Some(found) = self.name_at(text, 0) {
                return Some(found);
            }
        }
        // Leftmost first: the first edge a name follows.
        let mut i = at;
        while let Some(c) = char_at(text, i) {
            i += c.len_utf8();
            if self.is_edge(c) {
                if let Some(found) = self.name_at(text, i) {
                    return Some(found);
                }
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use regex::Regex;

    /// The expression the search stands for, compiled as the gazetteer once did.
    fn expression(names: &[&str], case: Case, word: &str, genitive: bool) -> Regex {
        let alternation = names
            .iter()
            .map(|v| regex::escape(v).replace(' ', r"\s+"))
            .collect::<Vec<_>>()
            .join("|");
        let flags = if case == Case::Insensitive {
            "(?i)"
        } else {
            ""
        };
        let edge = format!("[^{}]", &word[1..word.len() - 1]);
        let s = if genitive { "s?" } else { "" };
        Regex::new(&format!(
            r"{flags}(?:^|{edge})({alternation}){s}(?:$|{edge})"
        ))
        .unwrap()
    }

    /// Every name found, as the caller walks a text: from the end of the last.
    fn walk_search(s: &NameSearch, text: &str) -> Vec<Range<usize>> {
        let (mut at, mut out) = (0, Vec::new());
        while let Some(m) = s.find_at(text, at) {
            at = m.end;
            out.push(m);
        }
        out
    }

    fn walk_regex(re: &Regex, text: &str) -> Vec<Range<usize>> {
        let (mut at, mut out) = (0, Vec::new());
        while let Some(c) = re.captures_at(text, at) {
            let m = c.get(1).unwrap().range();
            at = m.end;
            out.push(m);
        }
        out
    }

    fn same(names: &[&str], case: Case, word: &str, genitive: bool, texts: &[String]) {
        let search = NameSearch::new(names.iter().copied(), case, word, genitive);
        let re = expression(names, case, word, genitive);
        for text in texts {
            assert_eq!(
                walk_search(&search, text),
                walk_regex(&re, text),
                "{case:?} in {text:?}"
            );
        }
    }

    #[test]
    fn finds_what_the_expression_finds() {
        let names = [
            "Statsforvalteren i Trøndelag",
            "Statsforvalteren",
            "Grong kommune",
            "Innovasjon Norge",
            "NAV",
            "Nav",
            "Kommunal- og distriktsdepartementet",
            "Å",
        ];
        let texts: Vec<String> = [
            "Statsforvalteren i Trøndelag og Grong kommune.",
            "STATSFORVALTEREN I\u{a0}\tTRØNDELAG",
            "Statsforvalterens rolle; Innovasjon Norges midler",
            "Statsforvalteren i Agder",
            "grong kommunes budsjett (Grong kommune)",
            "Grong kommunen",
            "xNAV NAV-kontoret Nav.",
            "Kommunal- og distriktsdepartementet/Innovasjon Norge",
            "Å og å, Åsen, \u{212b} og ſtatsforvalteren",
            "Innovasjon  Norge,Innovasjon\nNorge",
            "",
            "Grong",
            "Grong kommune",
            "–Grong kommune–",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        same(&names, Case::Insensitive, r"[\p{L}\p{N}]", true, &texts);
        same(&names, Case::Sensitive, r"[\p{L}\p{N}-]", false, &texts);
    }

    #[test]
    fn finds_the_gazetteers_names_where_the_expression_does_in_the_corpus() {
        let (ci, cs) = super::super::actors::gazetteer_names();
        let corpus = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
        let mut texts = Vec::new();
        for e in std::fs::read_dir(&corpus).unwrap() {
            let p = e.unwrap().path();
            if p.extension().is_some_and(|x| x == "txt") {
                let text = std::fs::read_to_string(&p).unwrap();
                // Whole, by paragraph, and changed: upper case, lower case,
                // genitives, white space and edges that differ.
                texts.push(text.to_uppercase());
                texts.push(text.to_lowercase());
                texts.push(text.replace(' ', "s "));
                texts.push(text.replace(' ', "\u{a0}\n"));
                texts.push(text.replace(' ', "-"));
                texts.extend(text.split("\n\n").map(str::to_string));
                texts.push(text);
            }
        }
        // Each name, alone and among others.
        let all: Vec<String> = ci.iter().chain(&cs).map(|n| n.to_string()).collect();
        texts.push(all.join(" "));
        texts.push(all.join(", ").to_uppercase());
        texts.push(all.join("s/"));
        assert!(texts.len() > 20, "the corpus is read");
        let ci: Vec<&str> = ci.iter().map(String::as_str).collect();
        let cs: Vec<&str> = cs.iter().map(String::as_str).collect();
        same(&ci, Case::Insensitive, r"[\p{L}\p{N}]", true, &texts);
        same(&cs, Case::Sensitive, r"[\p{L}\p{N}-]", false, &texts);
    }
}

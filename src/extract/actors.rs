//! Actors: the organisations a document names, each normalised to one canonical
//! name and a kind.
//!
//! The gazetteer (`data/gazetteer.txt`) lists the municipalities, counties,
//! ministries and state bodies; names not in it are still kept when their shape
//! says they are an organisation ("Namdal Regionråd", "Lierne Utvikling"). Spelling
//! variants, case and words broken inside table cells ("Statsforvate r") are
//! matched with `strsim`; an abbreviation the document defines ("… (TFK)") joins
//! the actor it abbreviates.

use std::collections::{BTreeMap, HashMap};
use std::sync::LazyLock;

use regex::Regex;

use super::names::{Case, NameSearch};
use crate::norsk::Pattern;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ActorKind {
    Kommune,
    Fylkeskommune,
    Statsforvalter,
    Departement,
    StatligEtat,
    Regionrad,
    UtdanningForskning,
    Naeringsliv,
    Frivillig,
    Annet,
}

impl ActorKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ActorKind::Kommune => "kommune",
            ActorKind::Fylkeskommune => "fylkeskommune",
            ActorKind::Statsforvalter => "statsforvalter",
            ActorKind::Departement => "departement",
            ActorKind::StatligEtat => "statlig etat",
            ActorKind::Regionrad => "regionråd",
            ActorKind::UtdanningForskning => "utdanning/forskning",
            ActorKind::Naeringsliv => "næringsliv",
            ActorKind::Frivillig => "frivillig",
            ActorKind::Annet => "annet",
        }
    }

    fn parse(s: &str) -> Option<ActorKind> {
        Some(match s {
            "kommune" => ActorKind::Kommune,
            "fylkeskommune" => ActorKind::Fylkeskommune,
            "statsforvalter" => ActorKind::Statsforvalter,
            "departement" => ActorKind::Departement,
            "statlig etat" => ActorKind::StatligEtat,
            "regionråd" => ActorKind::Regionrad,
            "utdanning/forskning" => ActorKind::UtdanningForskning,
            "næringsliv" => ActorKind::Naeringsliv,
            "frivillig" => ActorKind::Frivillig,
            "annet" => ActorKind::Annet,
            _ => return None,
        })
    }
}

/// One canonical actor of the gazetteer.
#[derive(Clone, Debug)]
struct Entry {
    name: String,
    kind: ActorKind,
}

/// The gazetteer, compiled into matchers.
pub struct Gazetteer {
    entries: Vec<Entry>,
    /// Lower-case spellings without spaces, for fuzzy lookups: (length in
    /// characters, place in the gazetteer's order, key, entry), sorted by
    /// length so that a lookup compares only keys of a length that can match.
    keys: Vec<(usize, usize, String, usize)>,
    exact: HashMap<String, usize>,
    /// Case-insensitive names ("Innovasjon Norge", "Grong kommune").
    names_ci: NameSearch,
    /// Case-sensitive names: abbreviations and bare municipality names.
    names_cs: NameSearch,
    /// Municipality names that are also common words, as items of an enumeration.
    names_listed: Regex,
}

static SOURCE: &str = include_str!("../../data/gazetteer.txt");

/// Bare municipality names that are also common words or first names; they
/// count only as "X kommune".
const COMMON_WORDS: &[&str] = &[
    "Nes", "Hole", "Time", "Lund", "Sande", "Vik", "Bø", "Os", "Ås", "Sel", "Lom", "Hå", "Re",
    "Hof", "Eid", "Fjord", "Stad", "Kinn", "Heim", "Valle", "Strand", "Vega", "Rana", "Alver",
    "Moss", "Sola", "Vang", "Gran", "Marker", "Berg", "Sund", "Fjell", "Eide", "Flora", "Ski",
    "Fet", "Lier", "Gol", "Ål", "Hol", "Rana",
];

pub static GAZETTEER: LazyLock<Gazetteer> = LazyLock::new(|| Gazetteer::parse(SOURCE));

fn key(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

impl Gazetteer {
    fn parse(src: &str) -> Gazetteer {
        GazetteerBuilder::read(src).finish()
    }

    fn lookup_exact(&self, text: &str) -> Option<usize> {
        self.exact.get(&key(text)).copied()
    }

    /// The entry a written name is a spelling of, if any: exact first, then the
    /// closest key by normalised Levenshtein distance.
    fn lookup_fuzzy(&self, text: &str) -> Option<usize> {
        let k = key(text);
        if let Some(&e) = self.exact.get(&k) {
            return Some(e);
        }
        if k.chars().count() < 6 {
            return None;
        }
        // A score of 0.86 allows an edit distance of 14 % of the longer key,
        // and the distance is at least the difference in length.
        let n = k.chars().count();
        let (lo, hi) = (
            (n as f64 * 0.86).floor() as usize,
            (n as f64 / 0.86).ceil() as usize,
        );
        let from = self.keys.partition_point(|x| x.0 < lo);
        let mut best: Option<(f64, usize, usize)> = None;
        for (_, order, vk, e) in self.keys[from..].iter().take_while(|x| x.0 <= hi) {
            let score = strsim::normalized_levenshtein(&k, vk);
            // The best score; among equals, the key first in the gazetteer's order.
            let better = best.is_none_or(|(b, o, _)| score > b || (score == b && *order < o));
            if score >= 0.86 && better {
                best = Some((score, *order, *e));
            }
        }
        best.map(|(_, _, e)| e)
    }
}

#[derive(Default)]
struct GazetteerBuilder {
    entries: Vec<Entry>,
    by_name: HashMap<String, usize>,
    variants: Vec<(String, usize)>,
    bare: Vec<(String, usize)>,
    /// Municipality names that are also common words.
    common: Vec<(String, usize)>,
}

impl GazetteerBuilder {
    /// The gazetteer's entries and spellings, from its source text.
    fn read(src: &str) -> GazetteerBuilder {
        let mut g = GazetteerBuilder::default();
        let mut section = "";
        let mut counties: Vec<String> = Vec::new();
        for line in src.lines().map(str::trim) {
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            if line.starts_with('[') {
                section = line.trim_matches(['[', ']']);
                continue;
            }
            match section {
                "kommune" => {
                    let (_, names) = line.split_once(':').unwrap_or(("", line));
                    for n in names.split(',').map(str::trim) {
                        g.kommune(n);
                    }
                }
                "kommune-tidligere" => {
                    if let Some((old, _)) = line.split_once('>') {
                        g.kommune(old.trim());
                    }
                }
                "fylke" => counties.push(line.to_string()),
                "fylke-tidligere" => {
                    if let Some((old, _)) = line.split_once('>') {
                        counties.push(old.trim().to_string());
                    }
                }
                "organisasjon" => {
                    let mut parts = line.split('|').map(str::trim);
                    let kind = parts
                        .next()
                        .and_then(ActorKind::parse)
                        .unwrap_or(ActorKind::Annet);
                    let Some(name) = parts.next() else { continue };
                    let e = g.entry(name, kind);
                    g.variant(name, e);
                    for v in parts {
                        g.variant(v, e);
                    }
                }
                _ => {}
            }
        }
        for county in &counties {
            let fk = g.entry(&format!("{county} fylkeskommune"), ActorKind::Fylkeskommune);
            g.variant(&format!("{county} fylkeskommune"), fk);
            g.variant(&format!("{county} fylkeskommunen"), fk);
            let sf = g.entry(
                &format!("Statsforvalteren i {county}"),
                ActorKind::Statsforvalter,
            );
            for word in ["Statsforvalteren", "Statsforvaltaren", "Fylkesmannen"] {
                g.variant(&format!("{word} i {county}"), sf);
            }
        }
        let sf = g.entry("Statsforvalteren", ActorKind::Statsforvalter);
        for v in [
            "Statsforvalteren",
            "Statsforvaltaren",
            "Statsforvalter",
            "Fylkesmannen",
        ] {
            g.variant(v, sf);
        }
        let fk = g.entry("Fylkeskommunen", ActorKind::Fylkeskommune);
        for v in [
            "Fylkeskommunen",
            "Fylkeskommune",
            "Fylkeskommuna",
            "fylkeskommunene",
        ] {
            g.variant(v, fk);
        }
        g
    }

    fn entry(&mut self, name: &str, kind: ActorKind) -> usize {
        if let Some(&e) = self.by_name.get(name) {
            return e;
        }
        self.entries.push(Entry {
            name: name.to_string(),
            kind,
        });
        self.by_name
            .insert(name.to_string(), self.entries.len() - 1);
        self.entries.len() - 1
    }

    fn variant(&mut self, v: &str, e: usize) {
        self.variants.push((v.to_string(), e));
    }

    fn kommune(&mut self, name: &str) {
        let e = self.entry(&format!("{name} kommune"), ActorKind::Kommune);
        self.variant(&format!("{name} kommune"), e);
        if COMMON_WORDS.contains(&name) {
            self.common.push((name.to_string(), e));
        } else {
            self.bare.push((name.to_string(), e));
        }
    }

    /// The spellings, longest first (the order the search prefers them in),
    /// each once.
    fn sort_variants(&mut self) {
        self.variants
            .sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.0.cmp(&b.0)));
        self.variants.dedup();
    }

    fn finish(mut self) -> Gazetteer {
        self.sort_variants();
        let mut exact = HashMap::new();
        let mut keys = Vec::new();
        for (v, e) in &self.variants {
            exact.entry(key(v)).or_insert(*e);
            let k = key(v);
            keys.push((k.chars().count(), keys.len(), k, *e));
        }
        keys.sort();
        for (v, e) in self.bare.iter().chain(&self.common) {
            exact.entry(key(v)).or_insert(*e);
        }
        let (ci, cs) = self.name_lists();
        let common = COMMON_WORDS
            .iter()
            .map(|w| regex::escape(w))
            .collect::<Vec<_>>()
            .join("|");
        Gazetteer {
            names_listed: Regex::new(&format!(
                r"(?:[(,]\s*|\s+og\s+|(?i:kommunene|kommunane)\s+)({common})\s*(?:[,)]|\s+og\s|$)"
            ))
            .expect("gazetteer regex"),
            entries: self.entries,
            keys,
            exact,
            // A genitive "s" still names the organisation ("Husbankens ordning").
            names_ci: NameSearch::new(
                ci.iter().map(|s| s.as_str()),
                Case::Insensitive,
                r"[\p{L}\p{N}]",
                true,
            ),
            names_cs: NameSearch::new(
                cs.iter().map(|s| s.as_str()),
                Case::Sensitive,
                r"[\p{L}\p{N}-]",
                false,
            ),
        }
    }

    /// The names searched case-insensitively (spellings of the entries), then
    /// those searched as written (abbreviations and bare municipality names),
    /// each in the order they are preferred in: the longest first.
    fn name_lists(&self) -> (Vec<String>, Vec<String>) {
        let is_abbrev = |v: &str| {
            v.chars()
                .filter(|c| c.is_alphabetic())
                .all(char::is_uppercase)
        };
        let ci = self
            .variants
            .iter()
            .filter(|(v, _)| !is_abbrev(v))
            .map(|(v, _)| v.clone())
            .collect();
        let mut cs: Vec<String> = self
            .variants
            .iter()
            .filter(|(v, _)| is_abbrev(v))
            .chain(&self.bare)
            .map(|(v, _)| v.clone())
            .collect();
        cs.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
        (ci, cs)
    }
}

/// The gazetteer's two lists of names, as [`GazetteerBuilder::name_lists`]
/// gives them (for the tests of [`super::names`]).
#[cfg(test)]
pub(crate) fn gazetteer_names() -> (Vec<String>, Vec<String>) {
    let mut g = GazetteerBuilder::read(SOURCE);
    g.sort_variants();
    g.name_lists()
}

/// Names as one expression: a name between two edges (the text's start or
/// end, or a character of `edge`).
///
/// The name is the expression's first group, but asking the regex crate for
/// groups runs its backtracker over the whole alternation at every match,
/// which cost more than finding the matches. A name begins and ends with a
/// character that is not an edge: so the name is the match less the edge
/// characters at either end, found with the DFA alone.
#[derive(Debug)]
struct Names {
    re: Regex,
    /// `edge` anchored, to tell whether a match's first or last character is one.
    edge: Regex,
}

impl Names {
    fn new(edge: &str, names: &str) -> Names {
        Names {
            re: Regex::new(&format!(r"(?:^|{edge})({names})(?:$|{edge})")).expect("names regex"),
            edge: Regex::new(&format!(r"\A{edge}")).expect("edge regex"),
        }
    }

    /// The first name found from `at`: the expression's first group.
    fn find_at(&self, text: &str, at: usize) -> Option<std::ops::Range<usize>> {
        let m = self.re.find_at(text, at)?;
        let (mut start, mut end) = (m.start(), m.end());
        // A match at a later place than the text's start begins with an edge
        // character; one at the start begins with the name or an edge.
        if self.edge.is_match(&text[start..]) {
            start += text[start..].chars().next().map_or(0, char::len_utf8);
        }
        // A match that ends before the text does ends with an edge character.
        let last = text[..end].chars().next_back().map_or(0, char::len_utf8);
        if end < text.len() || self.edge.is_match(&text[end - last..]) {
            end -= last;
        }
        Some(start..end)
    }
}

/// Organisations not in the gazetteer, recognised by their last word. A
/// name begins with a capital and ends with a letter: [`Names`] finds it.
static SHAPED: LazyLock<Names> = LazyLock::new(|| {
    Names::new(
        r"[^\p{L}]",
        r"(?:\p{Lu}[\p{L}-]*\s+){1,3}(?i:regionråd|næringsforening|næringshage|næringsråd|studiesenter|studiesenteret|utvikling|videregående skole|vgs|interkommunale politiske råd|idrettslag|kompetansesenter|sparebank|omstillingsprogram)",
    )
});
/// "Kommunal- og distriktsdepartementet (KDD)": an abbreviation defined in the text.
/// A cell piece that describes a group instead of naming an organisation:
/// an adjective such as "lokale", "andre", "private" before a plural noun.
fn is_description(piece: &str) -> bool {
    const QUALIFIERS: &[&str] = &[
        "lokale",
        "lokal",
        "andre",
        "private",
        "aktuelle",
        "relevante",
        "diverse",
        "ulike",
        "frivillige",
        "berørte",
        "involverte",
        "alle",
        "flere",
        "fleire",
        "enkelte",
        "øvrige",
        "interesserte",
    ];
    let words: Vec<String> = piece.split_whitespace().map(str::to_lowercase).collect();
    words.len() >= 2
        && words.len() <= 3
        && QUALIFIERS.contains(&words[0].as_str())
        && words[1..].iter().all(|w| w.chars().all(char::is_lowercase))
}

/// The text before a name ends in a postal code or a municipality or county
/// number ("0032 Oslo", "301 Oslo", "3 Oslo"): an address or a register.
fn after_postal_code(before: &str) -> bool {
    let t = before.trim_end_matches([' ', '\u{00A0}']);
    let digits = t.chars().rev().take_while(char::is_ascii_digit).count();
    t.len() < before.len()
        && (1..=4).contains(&digits)
        && !t[..t.len() - digits].ends_with(|c: char| c.is_ascii_digit() || c == ',' || c == '.')
}

static DEFINED_ABBREV: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\(\s*([A-ZÆØÅ][A-ZÆØÅa-zæøå]{1,6})\s*\)").unwrap());

fn shaped_kind(name: &str) -> ActorKind {
    let l = name.to_lowercase();
    if l.contains("regionråd") || l.contains("politiske råd") {
        ActorKind::Regionrad
    } else if l.contains("skole")
        || l.contains("vgs")
        || l.contains("studiesenter")
        || l.contains("universitet")
        || l.contains("høgskole")
        || l.contains("høyskole")
    {
        ActorKind::UtdanningForskning
    } else if l.contains("nærings") || l.contains("sparebank") || l.contains(" as") {
        ActorKind::Naeringsliv
    } else if l.contains("idrettslag") || l.contains("forening") || l.contains("lag") {
        ActorKind::Frivillig
    } else if l.ends_with(" kommune") {
        ActorKind::Kommune
    } else if l.contains("fylkeskommun") {
        ActorKind::Fylkeskommune
    } else {
        ActorKind::Annet
    }
}

/// An actor found in one document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Actor {
    pub name: String,
    pub kind: ActorKind,
    /// The spellings seen, sorted.
    pub variants: Vec<String>,
    pub mentions: u32,
}

impl Actor {
    /// Records a spelling, keeping the list sorted and free of repeats.
    fn add_variant(&mut self, v: String) {
        if let Err(p) = self.variants.binary_search(&v) {
            self.variants.insert(p, v);
        }
    }
}

/// Collects a document's actors; indices are stable once handed out.
#[derive(Clone, Debug, Default)]
pub struct ActorTable {
    pub actors: Vec<Actor>,
    by_name: HashMap<String, usize>,
    /// Abbreviations the document defines, by their text: the actor and a
    /// matcher for the abbreviation as a word, compiled once.
    abbrevs: BTreeMap<String, (usize, Pattern)>,
    /// Mentions are counted in one pass over the document's text; lookups after
    /// [`ActorTable::freeze`] (the same cells again, table headers) count nothing.
    frozen: bool,
    /// Gazetteer spellings already looked up: a responsible column repeats
    /// its few names down a long document, and each fuzzy lookup compares
    /// with many keys.
    fuzzy: HashMap<String, Option<usize>>,
}

impl ActorTable {
    fn add(&mut self, name: &str, kind: ActorKind, written: &str) -> usize {
        // Names outside the gazetteer are one actor whatever their case or spacing.
        let name_key = key(name);
        let (i, new) = match self.by_name.get(&name_key) {
            Some(&i) => (i, false),
            None => {
                self.actors.push(Actor {
                    name: name.to_string(),
                    kind,
                    variants: Vec::new(),
                    mentions: 0,
                });
                self.by_name.insert(name_key, self.actors.len() - 1);
                (self.actors.len() - 1, true)
            }
        };
        let a = &mut self.actors[i];
        if new || !self.frozen {
            a.mentions += 1;
        }
        a.add_variant(crate::model::builder_normalise(written));
        i
    }

    fn add_entry(&mut self, e: usize, written: &str) -> usize {
        let entry = &GAZETTEER.entries[e];
        self.add(&entry.name.clone(), entry.kind, written)
    }

    /// Stops counting mentions: the one pass over the text is done.
    pub fn freeze(&mut self) {
        self.frozen = true;
    }

    /// Every actor mentioned in running text; returns the indices found, in order.
    pub fn scan(&mut self, text: &str) -> Vec<usize> {
        let g = &*GAZETTEER;
        // A list item or cell that is only a municipality's name ("Sande", "Fjord")
        // names it, even when the name is also a common word.
        let whole = text.trim().trim_end_matches(['.', ',']);
        if whole.chars().next().is_some_and(char::is_uppercase) && whole.len() <= 30 {
            if let Some(&e) = g.exact.get(&key(whole)) {
                if g.entries[e].kind == ActorKind::Kommune {
                    return vec![self.add_entry(e, whole)];
                }
            }
        }
        let mut found: Vec<(usize, usize, usize)> = Vec::new(); // (start, end, entry)
        let mut taken: Vec<(usize, usize)> = Vec::new();
        let mut out: Vec<(usize, usize)> = Vec::new();
        // Priority: gazetteer names, then organisation-shaped names (which may
        // contain a municipality: "Grong videregående skole"), then bare names.
        let mut scan_names = |names: &NameSearch, taken: &mut Vec<(usize, usize)>| {
            let mut at = 0;
            while let Some(m) = names.find_at(text, at) {
                let (start, end) = (m.start, m.end);
                at = end;
                if overlaps(taken, start, end) {
                    continue;
                }
                if let Some(e) = g.lookup_exact(&text[m]) {
                    taken.push((start, end));
                    // "Postboks 8112 Dep, 0032 Oslo", "301 Oslo": a place after a
                    // postal code or register number is an address or a list entry.
                    if !after_postal_code(&text[..start]) {
                        found.push((start, end, e));
                    }
                }
            }
        };
        scan_names(&g.names_ci, &mut taken);
        self.shaped(text, &mut taken, &mut out);
        scan_names(&g.names_cs, &mut taken);
        listed_kommuner(text, &mut found, &mut taken);
        self.found(text, found, &mut out);
        self.abbreviations(text, &mut taken, &mut out);
        out.sort();
        let mut ids: Vec<usize> = out.into_iter().map(|(_, i)| i).collect();
        let mut seen = Vec::new();
        ids.retain(|i| {
            let new = !seen.contains(i);
            seen.push(*i);
            new
        });
        ids
    }

    /// Organisation-shaped names ("Grong videregående skole", "Lierne
    /// Utvikling") not already taken: actors as written.
    fn shaped(
        &mut self,
        text: &str,
        taken: &mut Vec<(usize, usize)>,
        out: &mut Vec<(usize, usize)>,
    ) {
        let g = &*GAZETTEER;
        let mut at = 0;
        while let Some(m) = SHAPED.find_at(text, at) {
            at = m.end;
            if overlaps(taken, m.start, m.end) {
                continue;
            }
            taken.push((m.start, m.end));
            let name = text[m.clone()].trim();
            // "Regional utvikling", "Lokal utvikling": a topic, not an organisation.
            let first = name.split_whitespace().next().unwrap_or("").to_lowercase();
            if [
                "regional",
                "lokal",
                "felles",
                "videre",
                "økt",
                "bærekraftig",
                "god",
            ]
            .contains(&first.as_str())
            {
                continue;
            }
            // "Lierne Utvikling", "Namsskogan utvikling" are companies; "Positiv
            // utvikling", "Vidare utvikling" at a sentence's start are topics:
            // a lower-case "utvikling" names an organisation only after a place.
            if name.ends_with("utvikling") {
                let words: Vec<&str> = name.split_whitespace().collect();
                let place = &words[..words.len() - 1].join(" ");
                if g.lookup_exact(place).is_none() {
                    continue;
                }
            }
            let i = self.add(&canonical_shaped(name), shaped_kind(name), name);
            out.push((m.start, i));
        }
    }

    /// The gazetteer's names found, as actors; a definition of an
    /// abbreviation right after one ("Kommunal- og distriktsdepartementet
    /// (KDD)") is remembered for the rest of the document.
    fn found(
        &mut self,
        text: &str,
        found: Vec<(usize, usize, usize)>,
        out: &mut Vec<(usize, usize)>,
    ) {
        for (s, e, entry) in found {
            let i = self.add_entry(entry, &text[s..e]);
            out.push((s, i));
            // "Kommunal- og distriktsdepartementet (KDD)": remember the abbreviation.
            if let Some(c) = DEFINED_ABBREV.captures(&text[e..]) {
                let whole = c.get(0).expect("group 0");
                if text[e..e + whole.start()].trim().is_empty() {
                    let re = Pattern::new(&format!(r"\b{}\b", regex::escape(&c[1])))
                        .expect("escaped abbreviation");
                    self.abbrevs.insert(c[1].to_string(), (i, re));
                }
            }
        }
    }

    /// Abbreviations defined earlier in the document ("TFK"), where nothing
    /// else was found.
    fn abbreviations(
        &mut self,
        text: &str,
        taken: &mut Vec<(usize, usize)>,
        out: &mut Vec<(usize, usize)>,
    ) {
        for (i, re) in self.abbrevs.values() {
            for m in re.find_iter(text) {
                if !overlaps(taken, m.start(), m.end()) {
                    taken.push((m.start(), m.end()));
                    if !self.frozen {
                        self.actors[*i].mentions += 1;
                    }
                    out.push((m.start(), *i));
                }
            }
        }
    }

    /// The actors of a table cell listing organisations ("Bygdevekst IN,
    /// Trøndelag Fylkeskommune"). Every piece is an actor: known ones by
    /// gazetteer (fuzzily), unknown ones as written.
    pub fn cell(&mut self, cell: &str) -> Vec<usize> {
        let mut out = Vec::new();
        for piece in split_list(cell) {
            let found = self.scan(&piece);
            if !found.is_empty() {
                for i in found {
                    if !out.contains(&i) {
                        out.push(i);
                    }
                }
                continue;
            }
            // "Lokale bedrifter", "Andre aktører": a description of who, not a name.
            if is_description(&piece) {
                continue;
            }
            let i = match self.abbrevs.get(piece.as_str()).map(|(i, _)| *i) {
                Some(i) => i,
                None => match self.lookup_fuzzy(&piece) {
                    Some(e) => self.add_entry(e, &piece),
                    None => self.add(&piece, shaped_kind(&piece), &piece),
                },
            };
            if !out.contains(&i) {
                out.push(i);
            }
        }
        out
    }

    /// The canonical name for a written source or party ("Fylkeskommu nen"), if
    /// it names an actor.
    pub fn resolve(&mut self, written: &str) -> Option<usize> {
        let found = self.scan(written);
        if let Some(&i) = found.first() {
            return Some(i);
        }
        let e = self.lookup_fuzzy(written)?;
        Some(self.add_entry(e, written))
    }

    /// [`Gazetteer::lookup_fuzzy`], remembered per spelling.
    fn lookup_fuzzy(&mut self, written: &str) -> Option<usize> {
        if let Some(&e) = self.fuzzy.get(written) {
            return e;
        }
        let e = GAZETTEER.lookup_fuzzy(written);
        self.fuzzy.insert(written.to_string(), e);
        e
    }

    /// Generic "Fylkeskommunen" means the document's one county, when it names
    /// exactly one: fold it in.
    pub fn resolve_generic(&mut self) -> Vec<Option<usize>> {
        let mut map: Vec<Option<usize>> = (0..self.actors.len()).map(Some).collect();
        for (generic, kind) in [
            ("Fylkeskommunen", ActorKind::Fylkeskommune),
            ("Statsforvalteren", ActorKind::Statsforvalter),
        ] {
            let Some(&g) = self.by_name.get(&key(generic)) else {
                continue;
            };
            let specific: Vec<usize> = (0..self.actors.len())
                .filter(|&i| i != g && self.actors[i].kind == kind)
                .collect();
            if let [s] = specific[..] {
                let generic_actor = self.actors[g].clone();
                let a = &mut self.actors[s];
                a.mentions += generic_actor.mentions;
                for v in generic_actor.variants {
                    a.add_variant(v);
                }
                map[g] = Some(s);
            }
        }
        map
    }
}

/// Drops the actors folded away by [`ActorTable::resolve_generic`] and renumbers
/// the references to the rest.
pub fn compact(
    table: ActorTable,
    map: &[Option<usize>],
    parties: Vec<usize>,
    mut measures: Vec<super::Measure>,
) -> (Vec<Actor>, Vec<usize>, Vec<super::Measure>) {
    let keep: Vec<bool> = (0..table.actors.len()).map(|i| map[i] == Some(i)).collect();
    let mut new_index = vec![usize::MAX; table.actors.len()];
    let mut actors = Vec::new();
    for (i, a) in table.actors.into_iter().enumerate() {
        if keep[i] {
            new_index[i] = actors.len();
            actors.push(a);
        }
    }
    let fix = |v: &[usize]| -> Vec<usize> {
        v.iter()
            .map(|&i| new_index[i])
            .filter(|&i| i != usize::MAX)
            .collect()
    };
    for m in &mut measures {
        m.responsible = fix(&m.responsible);
        m.partners = fix(&m.partners);
    }
    (actors, fix(&parties), measures)
}

/// "Doga, Distriktssentret og Nav" → the three names.
fn split_list(cell: &str) -> Vec<String> {
    static SEP: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"\s*(?:[,;/\n]|\s+og\s+|\s+&\s+)\s*").unwrap());
    SEP.split(cell)
        .map(|p| p.trim().trim_end_matches('.').trim().to_string())
        .filter(|p| p.chars().any(char::is_alphabetic))
        .collect()
}

/// The canonical form of a name recognised by its shape: abbreviations spelled
/// out ("Grong vgs" → "Grong videregående skole"), first letter capitalised.
fn canonical_shaped(s: &str) -> String {
    static VGS: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?i)\bvgs\b\.?").unwrap());
    let s = VGS.replace_all(s, "videregående skole");
    capitalise_first(&s)
}

fn capitalise_first(s: &str) -> String {
    let s = crate::model::builder_normalise(s);
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}

/// Whether the span `s..e` overlaps a span already taken.
fn overlaps(taken: &[(usize, usize)], s: usize, e: usize) -> bool {
    taken.iter().any(|&(a, b)| s < b && a < e)
}

/// In an enumeration of municipalities ("Bardu, Berg, Dyrøy … og Tranøy") a
/// name that is also a common word is a municipality too.
fn listed_kommuner(
    text: &str,
    found: &mut Vec<(usize, usize, usize)>,
    taken: &mut Vec<(usize, usize)>,
) {
    let g = &*GAZETTEER;
    let kommuner = found
        .iter()
        .filter(|f| g.entries[f.2].kind == ActorKind::Kommune)
        .count();
    if kommuner >= 2 {
        let mut at = 0;
        while let Some(c) = g.names_listed.captures_at(text, at) {
            let m = c.get(1).expect("group");
            at = m.end();
            if !overlaps(taken, m.start(), m.end()) {
                if let Some(e) = g.lookup_exact(m.as_str()) {
                    taken.push((m.start(), m.end()));
                    found.push((m.start(), m.end(), e));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(t: &ActorTable, ids: &[usize]) -> Vec<String> {
        ids.iter().map(|&i| t.actors[i].name.clone()).collect()
    }

    #[test]
    fn gazetteer_has_every_municipality_of_2024() {
        let kommuner = GAZETTEER
            .entries
            .iter()
            .filter(|e| e.kind == ActorKind::Kommune)
            .count();
        // 357 municipalities plus the former ones listed.
        assert!(kommuner >= 357 + 80, "{kommuner}");
        assert_eq!(
            GAZETTEER
                .entries
                .iter()
                .filter(|e| e.kind == ActorKind::Fylkeskommune)
                .count(),
            15 + 11 + 1
        );
    }

    #[test]
    fn spelling_variants_case_and_renamings_become_one_actor() {
        let mut t = ActorTable::default();
        let ids = t.scan("Distriktssentret og Distriktssenteret, samt Distriktsenteret. Trøndelag Fylkeskommune og trøndelag fylkeskommune.");
        assert_eq!(
            names(&t, &ids),
            ["Distriktssenteret", "Trøndelag fylkeskommune"]
        );
        assert_eq!(t.actors[ids[0]].mentions, 3);
        let ids = t.scan("Søknaden sendes til KMD og Fylkesmannen i Troms.");
        assert_eq!(
            names(&t, &ids),
            [
                "Kommunal- og distriktsdepartementet",
                "Statsforvalteren i Troms"
            ]
        );
    }

    #[test]
    fn municipalities_bare_and_with_kommune() {
        let mut t = ActorTable::default();
        let ids = t.scan("Midt-Tromskommunene (Bardu, Berg, Dyrøy og Tranøy)");
        assert_eq!(
            names(&t, &ids),
            [
                "Bardu kommune",
                "Berg kommune",
                "Dyrøy kommune",
                "Tranøy kommune"
            ]
        );
        let mut t = ActorTable::default();
        let ids = t.scan("Kommunene Røyrvik, Namsskogan, Lierne og Grong har inngått avtale. Sande kommune deltar; sande er et ord.");
        assert_eq!(
            names(&t, &ids),
            [
                "Røyrvik kommune",
                "Namsskogan kommune",
                "Lierne kommune",
                "Grong kommune",
                "Sande kommune"
            ]
        );
        assert!(t.actors.iter().all(|a| a.kind == ActorKind::Kommune));
    }

    #[test]
    fn broken_words_in_cells_and_unknown_names_kept() {
        let mut t = ActorTable::default();
        let ids = t.cell("Statsforvate r");
        assert_eq!(names(&t, &ids), ["Statsforvalteren"]);
        let ids = t.cell(
            "Bygdevekst IN, Trøndelag Fylkeskommune, LOS-prosjektet ved Grong videregående skole",
        );
        let n = names(&t, &ids);
        assert_eq!(n[0], "Bygdevekst IN");
        assert_eq!(n[1], "Trøndelag fylkeskommune");
        assert!(n[2].contains("Grong videregående skole"), "{n:?}");
        let ids = t.cell("Doga, Distriktssentret");
        assert_eq!(
            names(&t, &ids),
            ["Design og arkitektur Norge", "Distriktssenteret"]
        );
    }

    #[test]
    fn an_abbreviation_the_document_defines_joins_its_actor() {
        let mut t = ActorTable::default();
        t.scan("Avtalen er inngått med Trøndelag fylkeskommune (TFK) og staten.");
        let ids = t.scan("TFK deltar i styringsgruppen.");
        assert_eq!(names(&t, &ids), ["Trøndelag fylkeskommune"]);
    }

    #[test]
    fn shaped_names_outside_the_gazetteer() {
        let mut t = ActorTable::default();
        let ids = t.scan("Samarbeid med Namdal Regionråd og Namdal næringsforening.");
        let n = names(&t, &ids);
        assert_eq!(n, ["Namdal Regionråd", "Namdal næringsforening"]);
        assert_eq!(t.actors[ids[0]].kind, ActorKind::Regionrad);
        assert_eq!(t.actors[ids[1]].kind, ActorKind::Naeringsliv);
    }
}

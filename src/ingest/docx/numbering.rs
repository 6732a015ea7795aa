//! List numbering (`word/numbering.xml`): each list level's format
//! (`w:numFmt`), label pattern (`w:lvlText`, "%1.", "%1.%2", "(%1)") and
//! start, per abstract definition, with each numbering instance's overrides.
//! A list item's label is built the way Word prints it, from counters kept
//! per numbering instance, deeper levels restarting under a new item.

use std::collections::HashMap;

use quick_xml::events::Event;
use quick_xml::Reader;

use super::attr;

/// Levels a list may have (Word uses 0–8).
const LEVELS: usize = 9;

/// One level of a list definition.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Level {
    /// `w:numFmt`: "decimal", "lowerLetter", "upperRoman", "bullet", "none" …
    format: String,
    /// `w:lvlText`: the label with `%1`…`%9` for the levels' counters.
    text: String,
    start: u32,
    /// `w:lvlRestart`: the counter restarts only when a level above this
    /// 1-based level is used (0: never). Unset, any level above restarts it.
    /// Caption levels of a heading list ("Figur %1.%6") restart per chapter,
    /// not per section.
    restart: Option<u8>,
}

impl Default for Level {
    fn default() -> Self {
        Level {
            format: "decimal".into(),
            text: String::new(),
            start: 1,
            restart: None,
        }
    }
}

/// The list definitions of a document, and the counters of its lists so far.
#[derive(Clone, Debug, Default)]
pub struct Numbering {
    /// abstractNumId → its levels.
    abstracts: HashMap<String, Vec<Level>>,
    /// abstractNumId → the numbering style it stands for (`w:numStyleLink`):
    /// government templates keep the levels of their heading, figure and box
    /// numbering in one numbering style, and the lists point to it.
    style_links: HashMap<String, String>,
    /// numbering style → the abstractNumId that defines it (`w:styleLink`).
    defined_by: HashMap<String, String>,
    /// numId → (abstractNumId, level overrides: ilvl → level or start).
    nums: HashMap<String, (String, HashMap<u8, Override>)>,
    /// numId → the counters of its levels.
    counters: HashMap<String, [u32; LEVELS]>,
}

#[derive(Clone, Debug, Default)]
struct Override {
    start: Option<u32>,
    level: Option<Level>,
}

impl Numbering {
    /// Reads `numbering.xml`.
    pub fn parse(xml: &str) -> Numbering {
        let mut n = Numbering::default();
        let mut reader = Reader::from_str(xml);
        // Where we are: the abstract definition or numbering instance open,
        // the level open (and whether inside an instance's override).
        let mut abs: Option<String> = None;
        let mut num: Option<String> = None;
        let mut ilvl: Option<u8> = None;
        let mut level = Level::default();
        while let Ok(ev) = reader.read_event() {
            match ev {
                Event::Start(e) | Event::Empty(e) => match e.local_name().as_ref() {
                    "abstractNum" => abs = attr(&e, "abstractNumId"),
                    "num" => num = attr(&e, "numId"),
                    "numStyleLink" | "styleLink" => {
                        if let (Some(a), Some(v)) = (&abs, attr(&e, "val")) {
                            if e.local_name().as_ref() == "styleLink" {
                                n.defined_by.insert(v, a.clone());
                            } else {
                                n.style_links.insert(a.clone(), v);
                            }
                        }
                    }
                    "lvlRestart" => {
                        level.restart = attr(&e, "val").and_then(|v| v.parse().ok());
                    }
                    "abstractNumId" => {
                        if let (Some(id), Some(a)) = (&num, attr(&e, "val")) {
                            n.nums.entry(id.clone()).or_default().0 = a;
                        }
                    }
                    "lvlOverride" => ilvl = attr(&e, "ilvl").and_then(|v| v.parse().ok()),
                    "startOverride" => {
                        if let (Some(id), Some(l), Some(v)) =
                            (&num, ilvl, attr(&e, "val").and_then(|v| v.parse().ok()))
                        {
                            n.nums
                                .entry(id.clone())
                                .or_default()
                                .1
                                .entry(l)
                                .or_default()
                                .start = Some(v);
                        }
                    }
                    "lvl" => {
                        level = Level::default();
                        if num.is_none() {
                            ilvl = attr(&e, "ilvl").and_then(|v| v.parse().ok());
                        }
                    }
                    "numFmt" => {
                        if let Some(v) = attr(&e, "val") {
                            level.format = v;
                        }
                    }
                    "lvlText" => level.text = attr(&e, "val").unwrap_or_default(),
                    "start" => {
                        if let Some(v) = attr(&e, "val").and_then(|v| v.parse().ok()) {
                            level.start = v;
                        }
                    }
                    _ => {}
                },
                Event::End(e) => match e.local_name().as_ref() {
                    "lvl" => {
                        let Some(l) = ilvl.filter(|&l| (l as usize) < LEVELS) else {
                            continue;
                        };
                        let done = std::mem::take(&mut level);
                        if let Some(id) = &num {
                            n.nums
                                .entry(id.clone())
                                .or_default()
                                .1
                                .entry(l)
                                .or_default()
                                .level = Some(done);
                        } else if let Some(a) = &abs {
                            let levels = n.abstracts.entry(a.clone()).or_default();
                            if levels.len() <= l as usize {
                                levels.resize(l as usize + 1, Level::default());
                            }
                            levels[l as usize] = done;
                        }
                    }
                    "abstractNum" => abs = None,
                    "num" => num = None,
                    "lvlOverride" => ilvl = None,
                    _ => {}
                },
                Event::Eof => break,
                _ => {}
            }
        }
        n
    }

    fn level(&self, num_id: &str, ilvl: u8) -> Level {
        let (abs, overrides) = match self.nums.get(num_id) {
            Some((a, o)) => (a.as_str(), Some(o)),
            None => ("", None),
        };
        // A definition that only points to a numbering style takes that
        // style's levels (one step: a style's definition links no further).
        let abs = self
            .style_links
            .get(abs)
            .and_then(|style| self.defined_by.get(style))
            .map_or(abs, String::as_str);
        let over = overrides.and_then(|o| o.get(&ilvl));
        let mut level = over
            .and_then(|o| o.level.clone())
            .or_else(|| {
                self.abstracts
                    .get(abs)
                    .and_then(|ls| ls.get(ilvl as usize))
                    .cloned()
            })
            // A list without a definition: a bullet, as Word shows it.
            .unwrap_or_else(|| Level {
                format: "bullet".into(),
                ..Level::default()
            });
        if let Some(s) = over.and_then(|o| o.start) {
            level.start = s;
        }
        level
    }

    /// The label of the next item of list `num_id` at level `ilvl` ("•",
    /// "3.", "b)", "2.1"), its counter advanced and deeper levels restarted.
    pub fn next_label(&mut self, num_id: &str, ilvl: u8) -> String {
        let ilvl = ilvl.min(LEVELS as u8 - 1);
        let levels: Vec<Level> = (0..LEVELS as u8).map(|l| self.level(num_id, l)).collect();
        let this = &levels[ilvl as usize];
        let counters = self
            .counters
            .entry(num_id.to_string())
            .or_insert([0; LEVELS]);
        counters[ilvl as usize] = if counters[ilvl as usize] == 0 {
            this.start
        } else {
            counters[ilvl as usize] + 1
        };
        for (at, deeper) in counters.iter_mut().enumerate().skip(ilvl as usize + 1) {
            let restarts = match levels[at].restart {
                None => true,
                Some(r) => ilvl < r,
            };
            if restarts {
                *deeper = 0;
            }
        }
        if this.format == "bullet" {
            return bullet(&this.text);
        }
        if this.format == "none" || this.text.is_empty() {
            return String::new();
        }
        let mut label = String::new();
        let mut chars = this.text.chars().peekable();
        while let Some(c) = chars.next() {
            let Some(k) = (c == '%')
                .then(|| chars.peek().and_then(|d| d.to_digit(10)))
                .flatten()
                .filter(|&k| (1..=ilvl as u32 + 1).contains(&k))
            else {
                label.push(c);
                continue;
            };
            chars.next();
            let at = k as usize - 1;
            // A level above not yet counted prints its start, as Word does.
            let value = match counters[at] {
                0 => levels[at].start,
                v => v,
            };
            label.push_str(&format_counter(value, &levels[at].format));
        }
        label.trim().to_string()
    }
}

/// A label that names what it numbers ("Figur 3.2", "Tabell 1.4", "Boks
/// 10.1", "Vedlegg 2"): a caption or a box title numbered by the template,
/// not an item of a list.
pub fn is_caption_label(label: &str) -> bool {
    let word = label
        .split(|c: char| !c.is_alphabetic())
        .next()
        .unwrap_or("")
        .to_lowercase();
    const CAPTIONS: &[&str] = &[
        "figur",
        "tabell",
        "boks",
        "ramme",
        "faktaboks",
        "tekstboks",
        "kart",
        "diagram",
        "bilde",
        "illustrasjon",
        "vedlegg",
        "figure",
        "table",
        "box",
        "chart",
        "appendix",
    ];
    CAPTIONS.contains(&word.as_str())
        && label
            .chars()
            .any(|c| c.is_alphanumeric() && !c.is_alphabetic())
}

/// A bullet's label: its character when it is one a reader sees as such,
/// else "•" (bullets are often drawn from a symbol font's private area).
fn bullet(text: &str) -> String {
    match text.trim().chars().next() {
        Some(c @ ('-' | '–' | '—' | '•' | '▪' | '■' | '○' | '◦' | '*')) => {
            c.to_string()
        }
        _ => "•".into(),
    }
}

fn format_counter(n: u32, format: &str) -> String {
    match format {
        "lowerLetter" => letters(n).to_lowercase(),
        "upperLetter" => letters(n),
        "lowerRoman" => roman(n).to_lowercase(),
        "upperRoman" => roman(n),
        "decimalZero" if n < 10 => format!("0{n}"),
        _ => n.to_string(),
    }
}

/// 1 → A, 26 → Z, 27 → AA (Word repeats the letter).
fn letters(n: u32) -> String {
    if n == 0 {
        return "0".into();
    }
    let c = char::from(b'A' + ((n - 1) % 26) as u8);
    std::iter::repeat_n(c, ((n - 1) / 26 + 1) as usize).collect()
}

fn roman(mut n: u32) -> String {
    if n == 0 || n >= 4000 {
        return n.to_string();
    }
    let table = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut s = String::new();
    for (v, r) in table {
        while n >= v {
            s.push_str(r);
            n -= v;
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    const NUMBERING: &str = r#"<w:numbering xmlns:w="w">
<w:abstractNum w:abstractNumId="1">
 <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl>
 <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="%2)"/></w:lvl>
 <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1.%2.%3"/></w:lvl>
</w:abstractNum>
<w:abstractNum w:abstractNumId="2">
 <w:lvl w:ilvl="0"><w:numFmt w:val="bullet"/><w:lvlText w:val="&#61623;"/></w:lvl>
 <w:lvl w:ilvl="1"><w:numFmt w:val="bullet"/><w:lvlText w:val="–"/></w:lvl>
</w:abstractNum>
<w:abstractNum w:abstractNumId="3">
 <w:lvl w:ilvl="0"><w:numFmt w:val="upperRoman"/><w:lvlText w:val="Del %1"/></w:lvl>
</w:abstractNum>
<w:num w:numId="5"><w:abstractNumId w:val="1"/></w:num>
<w:num w:numId="6"><w:abstractNumId w:val="2"/></w:num>
<w:num w:numId="7"><w:abstractNumId w:val="1"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="4"/></w:lvlOverride></w:num>
<w:num w:numId="8"><w:abstractNumId w:val="3"/></w:num>
</w:numbering>"#;

    #[test]
    fn labels_are_built_as_word_prints_them() {
        let mut n = Numbering::parse(NUMBERING);
        let labels: Vec<String> = [(0, "5"), (1, "5"), (1, "5"), (0, "5"), (1, "5"), (2, "5")]
            .iter()
            .map(|&(l, id)| n.next_label(id, l))
            .collect();
        // Each level prints in its own format, as Word does without `w:isLgl`.
        assert_eq!(labels, ["1.", "a)", "b)", "2.", "a)", "2.a.1"]);
        assert_eq!(n.next_label("6", 0), "•", "a symbol font's bullet");
        assert_eq!(n.next_label("6", 1), "–");
        // Another instance of the same definition counts on its own, from
        // its override.
        assert_eq!(n.next_label("7", 0), "4.");
        assert_eq!(n.next_label("7", 0), "5.");
        assert_eq!(n.next_label("8", 0), "Del I");
        assert_eq!(n.next_label("8", 0), "Del II");
        // No definition at all: a bullet.
        assert_eq!(n.next_label("99", 0), "•");
    }

    /// A government template: the lists point to a numbering style
    /// (`w:numStyleLink`) whose definition (`w:styleLink`) numbers headings,
    /// and box titles per chapter (`w:lvlRestart`).
    #[test]
    fn a_linked_numbering_style_gives_its_levels_and_boxes_count_per_chapter() {
        let xml = r#"<w:numbering xmlns:w="w">
<w:abstractNum w:abstractNumId="4"><w:styleLink w:val="Overskrifter"/>
 <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1"/></w:lvl>
 <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1.%2"/></w:lvl>
 <w:lvl w:ilvl="7"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlRestart w:val="1"/><w:lvlText w:val="Boks %1.%8"/></w:lvl>
</w:abstractNum>
<w:abstractNum w:abstractNumId="22"><w:numStyleLink w:val="Overskrifter"/></w:abstractNum>
<w:num w:numId="23"><w:abstractNumId w:val="22"/></w:num>
</w:numbering>"#;
        let mut n = Numbering::parse(xml);
        let labels: Vec<String> = [0, 7, 1, 7, 0, 1, 7]
            .iter()
            .map(|&l| n.next_label("23", l))
            .collect();
        assert_eq!(
            labels,
            ["1", "Boks 1.1", "1.1", "Boks 1.2", "2", "2.1", "Boks 2.1"]
        );
        assert!(is_caption_label("Boks 2.1"));
        assert!(is_caption_label("Tabell 3"));
        assert!(
            !is_caption_label("Del I"),
            "a part of a list, numbered in roman"
        );
        assert!(
            !is_caption_label("Mål 2:"),
            "goals numbered by the list are its items"
        );
        assert!(!is_caption_label("•"));
    }

    #[test]
    fn counters_in_other_formats() {
        assert_eq!(letters(28), "BB");
        assert_eq!(roman(1994), "MCMXCIV");
        assert_eq!(format_counter(3, "decimalZero"), "03");
    }
}

//! The goal hierarchy and the measures under each goal.
//!
//! Plans state their goals and measures in several places at once: a numbered
//! list of delmål in the introduction, a "Delmål | Tiltak | Beløp" overview
//! table, a heading per delmål with a priority table ("Tiltak | Hovedansvarlig |
//! Samarbeidsparter | Tidsramme") and a heading per tiltak with its "Status:" line.
//! One walk over the blocks, in reading order, collects every mention and merges
//! mentions of the same goal (by number) and the same measure (by number and title
//! similarity), remembering where each measure was seen.
//!
//! Cues come from the genre, not from one document: goal words (hovedmål,
//! delmål, satsingsområde, innsatsområde, fokusområde, overordna mål), measure
//! words (tiltak, aktivitet, prosjekt, strategi, satsing), numbered sections
//! ("4.0 Strategi for …"), lists introduced by a goal or measure word, themes
//! that recur under each level of a programme ("Fylkessatsinger" › "Kompetanse og
//! livslang læring" › its satsinger). Form prompts ("Beskriv kort …", questions)
//! structure the text but are never goals or measures.

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;

use super::actors::ActorTable;
use super::{timeframe, Goal, Measure, Seen};
use crate::ingest::layout::capitalise;
use crate::model::{Block, BlockKind, Document, Span, Table};
use crate::norsk::PartialDate;

static GOAL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?P<kw>hovedmål|hovudmål|delmål|innsatsområde|satsingsområde|satsingsområde|fokusområde|mål)\s*(?P<n>\d{1,2}(?:\.\d{1,2})?)?\s*[:.\-–]?\s*(?P<rest>.*)$").unwrap()
});
/// "Mål for helse- og omsorgsinnsatsen", "Overordna mål", "Overordnede mål": a
/// goal statement section.
static GOAL_SECTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:(?:overordna|overordnede|overordnet|overordna)\s+mål|mål\s+for\b|målsettinger?\b|hovudmål\b|hovedmål\b)").unwrap()
});
static MEASURE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?P<kw>tiltak|aktivitet|prosjekt|satsing)\s*(?P<n>\d{1,2}(?:\.\d{1,2})?)\s*[:.\-–]?\s*(?P<rest>.*)$").unwrap()
});
static STATUS: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?i)^status\s*:\s*(.+)$").unwrap());
/// "4.0 Strategi for helse og omsorg", "5.0 Strategier for regional utvikling".
static STRATEGY_AREA: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^(strategi|strategiar|strategier)\s+for\b").unwrap());
/// A line introducing a list or table of measures.
static MEASURE_INTRO: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(tiltak|tiltaka|tiltakene|aktiviteter|aktivitetar|aktivitetene|strategier|strategiar|strategiene|strategiane|satsinger|satsingar|satsingene|prosjekter|prosjekta)\b").unwrap()
});
/// A line introducing a list of goals: "Delmål:", "… innehar syv delmål.",
/// "følgende mål".
static GOAL_INTRO: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(\bdelmål\b|\bhovedmål\b|\bhovudmål\b|overordna mål|overordnede mål|følgende mål|følgjande mål|\bmålsettinger\b|^mål\s*:)").unwrap()
});
/// A level of a programme: "Fylkessatsinger", "Distriktssatsinger",
/// "Regionenes satsinger".
static LEVEL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)satsing(er|ar|ane|ene)\b").unwrap());
/// Form prompts of a template: instructions and questions to whoever fills it in.
static PROMPT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(beskriv|beskrive|skildre|skildr|gjør rede|gjer greie|gi en|gi ei|gi et|gje ei|gje eit|oppgi|angi|forklar|vurder|vurdering av|list opp|legg ved|fyll ut|fyll inn|kort beskrivelse|kort omtale|hvilke|hvilken|hva |hvordan|når |kva |korleis|kven |hvem )|\?\s*$|\((sett kryss|kryss av|maks)").unwrap()
});
static ACTIVITY_LABEL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\b(tiltak|aktiviteter|aktivitetar)\b").unwrap());
static LIST_NUMBER: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^\s*(\d{1,2})[.)]?").unwrap());
static NUMBERED_PARAGRAPH: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?P<n>\d{1,2})\.\s+(?P<rest>\p{Lu}.*)$").unwrap());
static TOP_NUMBER: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^(\d{1,2})(?:\.0?)?$").unwrap());

pub fn is_prompt(text: &str) -> bool {
    PROMPT.is_match(text.trim())
}

/// For every block line, the goal and measure it falls under.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Context {
    /// (first line, goal index, measure index), sorted by line.
    pub marks: Vec<(u32, Option<usize>, Option<usize>)>,
    /// Table rows that name a goal or a measure: row line → (goal, measure).
    pub rows: HashMap<u32, (Option<usize>, Option<usize>)>,
}

impl Context {
    pub fn at(&self, line: u32) -> (Option<usize>, Option<usize>) {
        if let Some(&r) = self.rows.get(&line) {
            return r;
        }
        let i = self.marks.partition_point(|m| m.0 <= line);
        if i == 0 {
            (None, None)
        } else {
            (self.marks[i - 1].1, self.marks[i - 1].2)
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum ListMode {
    /// Items are goals; `label` names them ("Delmål", "Overordna mål").
    Goals { label: String },
    /// Items are measures of the current goal; `kind` names them.
    Measures { kind: String },
}

pub struct Structure {
    pub goals: Vec<Goal>,
    pub measures: Vec<Measure>,
    pub context: Context,
}

struct Walker<'a> {
    actors: &'a mut ActorTable,
    period: Option<(PartialDate, PartialDate)>,
    goals: Vec<Goal>,
    measures: Vec<Measure>,
    ctx: Context,
    goal: Option<usize>,
    measure: Option<usize>,
    /// The programme level the current theme sits under.
    level: Option<usize>,
    goal_heading_level: u8,
    last_top: Option<u32>,
    list: Option<ListMode>,
    /// A goal section whose statement is the next paragraph.
    pending_text: Option<usize>,
    /// A prompt asked for the measure's timeframe; the next paragraph answers.
    pending_timeframe: Option<usize>,
    /// Unnumbered headings that recur: the themes of a programme.
    themes: HashMap<String, usize>,
    /// Normalised titles of the table of contents.
    toc: Vec<String>,
}

pub fn goals_and_measures(
    doc: &Document,
    actors: &mut ActorTable,
    period: Option<(PartialDate, PartialDate)>,
) -> Structure {
    let blocks: Vec<&Block> = doc.blocks().collect();
    let mut themes: HashMap<String, usize> = HashMap::new();
    for b in &blocks {
        if let BlockKind::Heading { number: None, .. } = b.kind {
            *themes.entry(norm(&b.text)).or_default() += 1;
        }
    }
    let mut w = Walker {
        actors,
        period,
        goals: Vec::new(),
        measures: Vec::new(),
        ctx: Context::default(),
        goal: None,
        measure: None,
        level: None,
        goal_heading_level: 0,
        last_top: None,
        list: None,
        pending_text: None,
        pending_timeframe: None,
        themes,
        toc: doc
            .toc
            .iter()
            .map(|e| norm(&e.title))
            .filter(|t| !t.is_empty())
            .collect(),
    };
    for (i, b) in blocks.iter().enumerate() {
        // The document's title is not a goal, even when it reads "Mål og strategier …".
        if i == 0 {
            continue;
        }
        // A theme directly followed by another theme is a listing of the themes,
        // not a section of its own.
        let next_is_heading = blocks.get(i + 1).is_some_and(|n| {
            matches!(n.kind, BlockKind::Heading { number: None, .. })
                && w.themes.get(&norm(&n.text)).copied().unwrap_or(0) >= 2
        });
        match &b.kind {
            BlockKind::Heading { level, number } => {
                w.heading(b, *level, number.as_deref(), next_is_heading)
            }
            BlockKind::Paragraph => w.paragraph(b),
            BlockKind::ListItem { marker, .. } => w.list_item(b, marker),
            BlockKind::Table(t) => w.table(t),
            BlockKind::Furniture => {}
        }
        w.ctx.marks.push((b.span.line, w.goal, w.measure));
    }
    Structure {
        goals: w.goals,
        measures: w.measures,
        context: w.ctx,
    }
}

fn norm(s: &str) -> String {
    s.trim()
        .trim_end_matches([':', '.'])
        .to_lowercase()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// A list item's or numbered paragraph's title: its bold lead-in, or its first
/// sentence.
fn title_of(b: &Block, text: &str) -> String {
    if let Some(lead) = &b.lead {
        return lead.trim().trim_end_matches([':', '.']).trim().to_string();
    }
    first_sentence(text)
}

fn first_sentence(text: &str) -> String {
    let t = text.trim();
    // Not at "21.-22. oktober" or "13. januar": a sentence ends after a word.
    let end = t
        .match_indices(". ")
        .map(|(i, _)| i)
        .find(|&i| {
            let digits = t[..i]
                .chars()
                .rev()
                .take_while(char::is_ascii_digit)
                .count();
            i >= 12 && !(1..=2).contains(&digits)
        })
        .unwrap_or(t.len());
    t[..end].trim_end_matches('.').trim().to_string()
}

impl Walker<'_> {
    fn find_goal(&self, number: &str) -> Option<usize> {
        self.goals.iter().position(|g| {
            g.number
                .as_deref()
                .is_some_and(|n| n.eq_ignore_ascii_case(number))
        })
    }

    /// Adds a goal, or returns the earlier goal with the same number (or, without
    /// a number, the same title and parent). `own_title`: this mention is the
    /// goal's heading, whose title wins over the short form a list or table gave.
    fn add_goal(&mut self, g: Goal, own_title: bool) -> usize {
        if let Some(n) = &g.number {
            if let Some(i) = self.find_goal(n) {
                if own_title && !g.title.is_empty() {
                    self.goals[i].title = g.title;
                    self.goals[i].span = g.span;
                }
                return i;
            }
        } else if let Some(i) = self
            .goals
            .iter()
            .position(|x| x.title == g.title && x.parent == g.parent)
        {
            return i;
        }
        self.goals.push(g);
        self.goals.len() - 1
    }

    /// Adds a mention of a measure, merged with an earlier mention of the same
    /// measure under the same goal: same number and a similar title, or a very
    /// similar title. Two mentions from the same place are never merged.
    fn add_measure(
        &mut self,
        number: Option<String>,
        title: &str,
        kind: &str,
        seen: Seen,
        span: Span,
    ) -> usize {
        let goal = self.goal;
        let title = title.trim().trim_end_matches(['.', ':']).trim();
        let t = title.to_lowercase();
        let mut best: Option<(f64, usize)> = None;
        for (i, m) in self.measures.iter().enumerate() {
            if m.goal != goal || m.seen_in.contains(&seen) {
                continue;
            }
            let sim = strsim::sorensen_dice(&t, &m.title.to_lowercase());
            let same_number = number.is_some() && m.number == number;
            let ok = sim >= 0.6 || (same_number && sim >= 0.15);
            let score = sim + if same_number { 0.3 } else { 0.0 };
            if ok && best.is_none_or(|(b, _)| score > b) {
                best = Some((score, i));
            }
        }
        if let Some((_, i)) = best {
            let m = &mut self.measures[i];
            m.seen_in.push(seen);
            if seen == Seen::Heading {
                // The heading is the measure's own title and number.
                m.title = title.to_string();
                m.number = number.or(m.number.take());
                m.span = span;
            }
            return i;
        }
        self.measures.push(Measure {
            goal,
            number,
            title: title.to_string(),
            kind: kind.to_string(),
            status: None,
            responsible: Vec::new(),
            partners: Vec::new(),
            timeframe: None,
            seen_in: vec![seen],
            span,
        });
        self.measures.len() - 1
    }

    /// Makes `g` the goal the following blocks fall under.
    fn enter_goal(&mut self, g: usize, heading_level: u8) {
        self.goal = Some(g);
        self.goal_heading_level = heading_level;
        self.measure = None;
        self.list = None;
    }

    fn end_goal(&mut self) {
        self.goal = None;
        self.measure = None;
        self.level = None;
        self.list = None;
    }

    fn heading(&mut self, b: &Block, level: u8, number: Option<&str>, next_is_heading: bool) {
        let t = b.text.trim();
        // Strip a section number: "4.0 Strategi for …" → "Strategi for …".
        let (sec, body) = match number {
            Some(n) if t.starts_with(n) && n.starts_with(|c: char| c.is_ascii_digit()) => {
                (Some(n), t[n.len()..].trim_start_matches(['.', ' ']).trim())
            }
            _ => (None, t),
        };
        let top = sec
            .and_then(|n| TOP_NUMBER.captures(n))
            .and_then(|c| c[1].parse::<u32>().ok());
        // A top-level section continues the numbering (and, where the document
        // has a table of contents, is listed in it); "2." inside a measure's text
        // is a sub-part, not chapter 2.
        let in_toc = self.toc.is_empty()
            || self
                .toc
                .iter()
                .any(|e| norm(t).starts_with(e.as_str()) || e.starts_with(&norm(t)));
        let continues_top = in_toc && top.is_some_and(|n| self.last_top.is_none_or(|l| n == l + 1));
        if continues_top {
            self.last_top = top;
        }
        if is_prompt(body) {
            self.prompt(body);
            return;
        }
        if body.to_lowercase().starts_with("vedlegg") {
            // Appendices hold no goals of the plan itself.
            self.end_goal();
            return;
        }
        if let Some(c) = STATUS.captures(body) {
            if let Some(m) = self.measure {
                self.measures[m]
                    .status
                    .get_or_insert_with(|| c[1].trim().to_string());
            }
            return;
        }
        if let Some(c) = MEASURE.captures(body) {
            let title = c["rest"].trim();
            let title = if title.is_empty() { body } else { title };
            let m = self.add_measure(
                Some(c["n"].to_string()),
                title,
                &c["kw"].to_lowercase(),
                Seen::Heading,
                b.span,
            );
            self.measure = Some(m);
            self.list = None;
            return;
        }
        if let Some(c) = GOAL.captures(body) {
            let kw = c["kw"].to_lowercase();
            let rest = c["rest"].trim();
            if c.name("n").is_some() && (kw != "mål" || !rest.is_empty()) {
                let number = format!("{} {}", capitalise(&kw), &c["n"]);
                let g = self.add_goal(
                    Goal {
                        number: Some(number),
                        title: if rest.is_empty() {
                            body.to_string()
                        } else {
                            rest.to_string()
                        },
                        kind: kw,
                        parent: self.level,
                        text: None,
                        span: b.span,
                    },
                    true,
                );
                self.enter_goal(g, level);
                return;
            }
        }
        if GOAL_SECTION.is_match(body) {
            let label = body.to_string();
            if body.split_whitespace().count() <= 3 {
                // "Overordna mål", "Hovedmål": the goals follow as a list.
                self.list = Some(ListMode::Goals { label });
                self.measure = None;
            } else {
                // "Mål for helse- og omsorgsinnsatsen": the statement follows.
                let g = self.add_goal(
                    Goal {
                        number: sec.map(str::to_string),
                        title: body.to_string(),
                        kind: "mål".into(),
                        parent: self.goal,
                        text: None,
                        span: b.span,
                    },
                    true,
                );
                self.pending_text = Some(g);
                self.list = None;
            }
            return;
        }
        if STRATEGY_AREA.is_match(body)
            && (top.is_some() || sec.is_none())
            && !body.to_lowercase().contains("forslag")
        {
            if self.goal.is_some_and(|g| self.goals[g].kind == "strategi")
                && sec.is_some_and(|s| !s.ends_with(".0") && top.is_none())
            {
                self.list = Some(ListMode::Measures {
                    kind: "strategi".into(),
                });
                return;
            }
            let g = self.add_goal(
                Goal {
                    number: sec.map(str::to_string),
                    title: body.to_string(),
                    kind: "strategi".into(),
                    parent: None,
                    text: None,
                    span: b.span,
                },
                true,
            );
            // The section's title repeated as a running header on a new page
            // keeps the section open: a list of its strategies may go on.
            if self.goal != Some(g) {
                self.enter_goal(g, level);
            }
            return;
        }
        if MEASURE_INTRO.is_match(body) && self.goal.is_some() && !LEVEL.is_match(body) {
            let kind = measure_kind(body);
            self.list = Some(ListMode::Measures { kind });
            return;
        }
        // A programme level ("Fylkessatsinger") has themes recurring under it
        // and its siblings; in a document without recurring themes a heading
        // like "Fylkeskommunale satsinger" is only a section title.
        let has_themes = self.themes.values().any(|&n| n >= 2);
        if LEVEL.is_match(body)
            && sec.is_none()
            && has_themes
            && body.split_whitespace().count() <= 10
        {
            // A programme level ("Fylkessatsinger"): themes follow under it.
            let g = self.add_goal(
                Goal {
                    number: None,
                    title: body.to_string(),
                    kind: "nivå".into(),
                    parent: None,
                    text: None,
                    span: b.span,
                },
                true,
            );
            self.enter_goal(g, level);
            self.level = Some(g);
            return;
        }
        let recurring = sec.is_none() && self.themes.get(&norm(body)).copied().unwrap_or(0) >= 2;
        if recurring && self.level.is_some() && !next_is_heading {
            let g = self.add_goal(
                Goal {
                    number: None,
                    title: body.to_string(),
                    kind: "tema".into(),
                    parent: self.level,
                    text: None,
                    span: b.span,
                },
                true,
            );
            self.enter_goal(g, level);
            self.list = Some(ListMode::Measures {
                kind: "satsing".into(),
            });
            return;
        }
        if self.goal.is_some_and(|g| self.goals[g].kind == "tema") && sec.is_none() && !recurring {
            // A heading inside a theme names one of its satsinger.
            let m = self.add_measure(None, body, "satsing", Seen::Heading, b.span);
            self.measure = Some(m);
            return;
        }
        let ends = continues_top && top.is_some()
            || body.to_lowercase().starts_with("vedlegg")
            || level < self.goal_heading_level && sec.is_none() && self.level.is_none();
        if ends {
            self.end_goal();
        }
    }

    fn prompt(&mut self, text: &str) {
        let l = text.to_lowercase();
        if self.measure.is_none() && (l.contains("resultat") || l.contains("målet")) {
            // "Beskriv kort ønskede resultater under delmålet": the goal's statement follows.
            self.pending_text = self.goal.filter(|&g| self.goals[g].text.is_none());
        }
        if l.contains("når")
            && (l.contains("start") || l.contains("avslutt") || l.contains("milepæl"))
        {
            self.pending_timeframe = self.measure;
        }
        self.list = if MEASURE_INTRO.is_match(text)
            && (l.contains("aktivitet") || l.contains("resultat"))
        {
            Some(ListMode::Measures {
                kind: measure_kind(text),
            })
        } else {
            None
        };
    }

    fn paragraph(&mut self, b: &Block) {
        let t = b.text.trim();
        if let Some(g) = self.pending_text.take() {
            self.goals[g].text = Some(t.to_string());
            return;
        }
        if let Some(c) = STATUS.captures(t) {
            if let Some(m) = self.measure {
                self.measures[m]
                    .status
                    .get_or_insert_with(|| c[1].trim().to_string());
            }
            return;
        }
        if is_prompt(t) {
            self.prompt(t);
            return;
        }
        if let Some(m) = self.pending_timeframe.take() {
            if self.measures[m].timeframe.is_none() {
                let tf = timeframe::parse(&first_sentence(t), self.period);
                if tf.from.is_some() || tf.to.is_some() {
                    self.measures[m].timeframe = Some(tf);
                }
            }
        }
        if let (Some(ListMode::Goals { label }), Some(c)) =
            (&self.list, NUMBERED_PARAGRAPH.captures(t))
        {
            let label = label.clone();
            let n = c["n"].to_string();
            let title = first_sentence(&c["rest"]);
            self.list_goal(&label, &n, &title, &c["rest"], b.span);
            return;
        }
        if self.goal.is_some_and(|g| self.goals[g].kind == "tema") && self.measure.is_none() {
            // A programme theme describes each satsing under its bullet; the list goes on.
            return;
        }
        let words = t.split_whitespace().count();
        let intro = t.ends_with(':') || (words <= 15 && !t.ends_with('.'));
        self.list = if intro && GOAL_INTRO.is_match(t) && !MEASURE_INTRO.is_match(t) {
            Some(ListMode::Goals {
                label: goal_label(t),
            })
        } else if intro
            && MEASURE_INTRO.is_match(t)
            && (self.goal.is_some() || words <= 12 && ACTIVITY_LABEL.is_match(t))
        {
            // Under a goal any intro; outside one only a form label such as
            // "Resultat som er oppnådd i form av aktiviteter eller tiltak".
            Some(ListMode::Measures {
                kind: measure_kind(t),
            })
        } else if GOAL_INTRO.is_match(t) && t.to_lowercase().contains("delmål") && words <= 40 {
            // "Bygdevekstavtalen innehar syv delmål." and the list follows.
            Some(ListMode::Goals {
                label: "Delmål".into(),
            })
        } else {
            None
        };
    }

    fn list_goal(&mut self, label: &str, n: &str, title: &str, text: &str, span: Span) {
        let numbered_kind =
            label.eq_ignore_ascii_case("delmål") || label.eq_ignore_ascii_case("mål");
        let number = if numbered_kind {
            format!("{} {n}", capitalise(label))
        } else {
            n.to_string()
        };
        let g = self.add_goal(
            Goal {
                number: Some(number),
                title: title.to_string(),
                kind: label.to_lowercase(),
                parent: None,
                text: None,
                span,
            },
            false,
        );
        if self.goals[g].text.is_none() && text.trim() != title {
            self.goals[g].text = Some(text.trim().to_string());
        }
    }

    fn list_item(&mut self, b: &Block, marker: &str) {
        let n = LIST_NUMBER.captures(marker).map(|c| c[1].to_string());
        match self.list.clone() {
            Some(ListMode::Goals { label }) => {
                let k = self.goals.len() + 1;
                let n = n.unwrap_or_else(|| k.to_string());
                let title = title_of(b, &b.text);
                self.list_goal(&label, &n, &title, &b.text, b.span);
            }
            // Inside a measure's own section a list details that measure.
            Some(ListMode::Measures { kind }) if self.measure.is_none() => {
                let in_theme = self.goal.is_some_and(|g| self.goals[g].kind == "tema");
                let kind = if in_theme {
                    "satsing".to_string()
                } else {
                    kind
                };
                let title = title_of(b, &b.text);
                self.add_measure(n, &title, &kind, Seen::List, b.span);
            }
            _ => {}
        }
    }

    fn table(&mut self, t: &Table) {
        let Some(cols) = MeasureColumns::of(t) else {
            return;
        };
        for row in &t.rows[1..] {
            let cell = |c: Option<usize>| {
                c.and_then(|i| row.cell_text(i))
                    .map(|s| s.trim())
                    .filter(|s| !s.is_empty())
            };
            // "Delmål 1:" in the goal column opens that goal.
            if let Some(gc) = cell(cols.goal) {
                if let Some(c) = GOAL.captures(gc) {
                    if let Some(n) = c.name("n") {
                        let number = format!("{} {}", capitalise(&c["kw"]), n.as_str());
                        let title = cell(cols.title).unwrap_or(gc).to_string();
                        let g = self.add_goal(
                            Goal {
                                number: Some(number),
                                title,
                                kind: c["kw"].to_lowercase(),
                                parent: None,
                                text: None,
                                span: row.span,
                            },
                            false,
                        );
                        self.goal = Some(g);
                        self.ctx.rows.insert(row.span.line, (Some(g), None));
                        continue;
                    }
                }
                if crate::extract::tables::is_total_label(gc) {
                    self.ctx.rows.insert(row.span.line, (self.goal, None));
                    continue;
                }
            }
            let Some(raw) = cell(cols.title) else {
                continue;
            };
            if crate::extract::tables::is_total_label(raw) {
                // In an overview table the goal column carries each goal's
                // total; a total in the title column is the grand total.
                let goal = if cols.goal.is_some() { None } else { self.goal };
                self.ctx.rows.insert(row.span.line, (goal, None));
                continue;
            }
            // "1. Omdømmebygging" or a number column.
            let (n, title) = match NUMBERED_PARAGRAPH
                .captures(raw)
                .or_else(|| LOOSE_NUMBER.captures(raw))
            {
                Some(c) => (Some(c["n"].to_string()), c["rest"].trim().to_string()),
                None => (
                    cell(cols.number).map(|s| s.trim_end_matches('.').to_string()),
                    raw.to_string(),
                ),
            };
            let seen = if cols.goal.is_some() {
                Seen::OverviewTable
            } else {
                Seen::MeasureTable
            };
            let m = self.add_measure(n, title.trim_end_matches('.'), "tiltak", seen, row.span);
            self.ctx.rows.insert(row.span.line, (self.goal, Some(m)));
            if let Some(r) = cell(cols.responsible) {
                let ids = self.actors.cell(r);
                push_unique(&mut self.measures[m].responsible, ids);
            }
            if let Some(p) = cell(cols.partners) {
                let ids = self.actors.cell(p);
                push_unique(&mut self.measures[m].partners, ids);
            }
            if let Some(s) = cell(cols.status) {
                self.measures[m].status.get_or_insert_with(|| s.to_string());
            }
            if let Some(tf) = cell(cols.timeframe) {
                self.measures[m].timeframe = Some(timeframe::parse(tf, self.period));
            }
        }
    }
}

static LOOSE_NUMBER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?P<n>\d{1,2})[.)]\s*(?P<rest>\S.*)$").unwrap());

/// Appends the ids not already present, keeping first-seen order.
pub(crate) fn push_unique(into: &mut Vec<usize>, ids: Vec<usize>) {
    for i in ids {
        if !into.contains(&i) {
            into.push(i);
        }
    }
}

fn measure_kind(text: &str) -> String {
    let l = text.to_lowercase();
    for (needle, kind) in [
        ("strategi", "strategi"),
        ("satsing", "satsing"),
        ("aktivitet", "aktivitet"),
        ("prosjekt", "prosjekt"),
    ] {
        if l.contains(needle) {
            return kind.into();
        }
    }
    "tiltak".into()
}

fn goal_label(text: &str) -> String {
    let l = text.to_lowercase();
    for (needle, label) in [
        ("delmål", "Delmål"),
        ("hovedmål", "Hovedmål"),
        ("hovudmål", "Hovudmål"),
        ("overordna mål", "Overordna mål"),
        ("overordnede mål", "Overordnede mål"),
    ] {
        if l.contains(needle) {
            return label.into();
        }
    }
    "Mål".into()
}

/// The columns of a measure table that list organisations (responsible,
/// partners); empty for any other table.
pub fn actor_columns(t: &Table) -> Vec<usize> {
    MeasureColumns::of(t)
        .map(|c| c.responsible.into_iter().chain(c.partners).collect())
        .unwrap_or_default()
}

/// Which column of a measure table holds what.
#[derive(Debug, Default)]
struct MeasureColumns {
    goal: Option<usize>,
    number: Option<usize>,
    title: Option<usize>,
    responsible: Option<usize>,
    partners: Option<usize>,
    timeframe: Option<usize>,
    status: Option<usize>,
}

impl MeasureColumns {
    /// The columns of a table whose header names measures; `None` for any other table.
    fn of(t: &Table) -> Option<MeasureColumns> {
        let header = t.rows.first()?;
        let mut c = MeasureColumns::default();
        for (i, h) in header.texts().enumerate() {
            let l = h.trim().to_lowercase();
            if l.is_empty() {
                if i == 0 {
                    c.number = Some(0);
                }
                continue;
            }
            if l.starts_with("delmål")
                || l == "mål"
                || l.starts_with("innsatsområde")
                || l.starts_with("satsingsområde")
            {
                c.goal.get_or_insert(i);
            } else if l.starts_with("tiltak")
                || l.starts_with("aktivitet")
                || l.starts_with("prosjekt")
                || l.starts_with("satsing")
            {
                c.title.get_or_insert(i);
            } else if l.contains("ansvar") {
                c.responsible.get_or_insert(i);
            } else if l.contains("samarbeid")
                || l.contains("partner")
                || l.contains("involvert")
                || l.contains("medvirk")
            {
                c.partners.get_or_insert(i);
            } else if l.contains("tidsramme")
                || l.contains("tidsplan")
                || l.starts_with("frist")
                || l.starts_with("når")
                || l.contains("periode")
                || l.starts_with("framdrift")
                || l.starts_with("fremdrift")
                || l.starts_with("tid")
            {
                c.timeframe.get_or_insert(i);
            } else if l.starts_with("status") {
                c.status.get_or_insert(i);
            } else if l == "nr" || l == "nr." || l == "#" {
                c.number.get_or_insert(i);
            }
        }
        c.title?;
        let describes = c.goal.is_some()
            || c.responsible.is_some()
            || c.partners.is_some()
            || c.timeframe.is_some()
            || c.status.is_some();
        describes.then_some(c)
    }
}

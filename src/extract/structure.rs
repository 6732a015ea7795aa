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
use super::lexicon::{self, HeadingCue, IntroCue};
use super::tables::MeasureColumns;
use super::{timeframe, Context, Goal, GoalKind, Measure, MeasureKind, Seen, Status, TableInfo};
use crate::ingest::layout::capitalise;
use crate::model::{Block, BlockKind, Document, Span, Table};
use crate::norsk::PartialDate;

static LIST_NUMBER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*([0-9]{1,2})[.)]?").unwrap());
static NUMBERED_PARAGRAPH: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?P<n>[0-9]{1,2})\.\s+(?P<rest>\p{Lu}.*)$").unwrap());
static TOP_NUMBER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^([0-9]{1,2})(?:\.0?)?$").unwrap());

pub use super::lexicon::is_prompt;

#[derive(Clone, Debug, PartialEq, Eq)]
enum ListMode {
    /// Items are goals; `label` names them ("Delmål", "Overordna mål").
    Goals { label: String },
    /// Items are measures of the current goal; `kind` names them.
    Measures { kind: MeasureKind },
    /// Items are the numbered points of a decision; `last` is the last point read.
    Decision { last: u32 },
}

impl ListMode {
    /// The number the next item of a numbered list would carry.
    fn numbered_next(&self) -> Option<u32> {
        match self {
            ListMode::Decision { last } => Some(last + 1),
            _ => None,
        }
    }
}

/// Where a heading stands: its level, its section number (and that number
/// as a top-level chapter), whether it continues the chapter numbering, and
/// whether another heading follows right after it.
#[derive(Clone, Copy)]
struct HeadingAt<'a> {
    level: u8,
    sec: Option<&'a str>,
    top: Option<u32>,
    continues_top: bool,
    next_is_heading: bool,
}

/// Bullets of one kind, or numbers: an item with another marker than the
/// list's first item details the item above it.
fn marker_class(marker: &str) -> char {
    let m = marker.trim();
    if m.starts_with(|c: char| c.is_ascii_digit()) {
        '1'
    } else if m.len() <= 3
        && m.ends_with([')', '.'])
        && m.chars().next().is_some_and(char::is_alphabetic)
    {
        'a'
    } else {
        m.chars().next().unwrap_or('•')
    }
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
    /// Each measure's title as titles are compared, kept beside `measures`.
    measure_keys: Vec<DiceKey>,
    ctx: Context,
    goal: Option<usize>,
    measure: Option<usize>,
    /// The programme level the current theme sits under.
    level: Option<usize>,
    goal_heading_level: u8,
    last_top: Option<u32>,
    list: Option<ListMode>,
    /// The level of the heading that opened `list`: the list ends with the
    /// next heading of that rank.
    list_level: Option<u8>,
    /// The marker class and depth of the list's first item.
    list_marker: Option<(char, u8)>,
    /// The goal the last heading opened, if it opened one.
    heading_goal: Option<usize>,
    /// The paragraph before was an activity under a run-in heading.
    run_in_run: bool,
    /// A goal intro ending in a colon: the paragraphs after it, up to the
    /// next heading or list item, are its goals.
    paragraph_goals: bool,
    paragraph_goal_count: usize,
    /// A goal section whose statement is the next paragraph.
    pending_text: Option<usize>,
    /// A prompt asked for the measure's timeframe; the next paragraph answers.
    pending_timeframe: Option<usize>,
    /// Unnumbered headings that recur: the themes of a programme.
    themes: HashMap<String, usize>,
    /// Whether any theme recurs, known once: asked at every heading.
    has_themes: bool,
    /// The measures under each goal (or none) not yet seen in each way
    /// (indexed by [`Seen`]), ascending: a new mention is compared only with
    /// the measures it may merge with, not with every measure before it.
    open: HashMap<Option<usize>, [Vec<usize>; Seen::COUNT]>,
    /// Normalised titles of the table of contents.
    toc: TocTitles,
    /// The headings above: each one's level and whether it names goals.
    path: Vec<(u8, bool)>,
    /// `list` was opened by an actor's intent ("Regjeringen vil …:").
    list_from_intent: bool,
}

impl<'a> Walker<'a> {
    fn new(
        actors: &'a mut ActorTable,
        period: Option<(PartialDate, PartialDate)>,
        themes: HashMap<String, usize>,
        doc: &Document,
    ) -> Walker<'a> {
        Walker {
            actors,
            period,
            goals: Vec::new(),
            measures: Vec::new(),
            measure_keys: Vec::new(),
            ctx: Context::default(),
            goal: None,
            measure: None,
            level: None,
            goal_heading_level: 0,
            last_top: None,
            list: None,
            list_level: None,
            list_marker: None,
            heading_goal: None,
            run_in_run: false,
            paragraph_goals: false,
            paragraph_goal_count: 0,
            pending_text: None,
            pending_timeframe: None,
            has_themes: themes.values().any(|&n| n >= 2),
            open: HashMap::new(),
            themes,
            toc: TocTitles::new(
                doc.toc
                    .iter()
                    .map(|e| norm(&e.title))
                    .filter(|t| !t.is_empty())
                    .collect(),
            ),
            path: Vec::new(),
            list_from_intent: false,
        }
    }
}

pub fn goals_and_measures(
    doc: &Document,
    title: Option<&str>,
    actors: &mut ActorTable,
    period: Option<(PartialDate, PartialDate)>,
    tables: &[TableInfo],
) -> Structure {
    let blocks: Vec<&Block> = doc.blocks().collect();
    let mut table_infos = tables.iter();
    let mut themes: HashMap<String, usize> = HashMap::new();
    // Each unnumbered heading's normalised text, made once.
    let normed: Vec<Option<String>> = blocks
        .iter()
        .map(|b| matches!(b.kind, BlockKind::Heading { number: None, .. }).then(|| norm(&b.text)))
        .collect();
    for n in normed.iter().flatten() {
        *themes.entry(n.clone()).or_default() += 1;
    }
    let mut w = Walker::new(actors, period, themes, doc);
    for (i, b) in blocks.iter().enumerate() {
        // The table's reading, in step with the document's tables.
        let info = match b.kind {
            BlockKind::Table(_) => table_infos.next(),
            _ => None,
        };
        // The document's title is not a goal, even when it reads "Mål og
        // strategier …" or "Strategi for …", wherever it stands on the cover.
        let is_title = i < 6
            && matches!(b.kind, BlockKind::Heading { .. })
            && title.is_some_and(|t| t.starts_with(b.text.trim()));
        if i == 0 || is_title {
            continue;
        }
        // A theme directly followed by another theme is a listing of the themes,
        // not a section of its own.
        let next_is_heading = normed
            .get(i + 1)
            .and_then(Option::as_ref)
            .is_some_and(|n| w.themes.get(n).copied().unwrap_or(0) >= 2);
        match &b.kind {
            BlockKind::Heading { level, number } => {
                let before = w.goal;
                w.heading(b, *level, number.as_deref(), next_is_heading);
                w.heading_goal = w.goal.filter(|&g| before != Some(g));
            }
            BlockKind::Paragraph => {
                let next_run_in = blocks
                    .get(i + 1)
                    .is_some_and(|n| n.kind == BlockKind::Paragraph && run_in(n).is_some());
                if !w.run_in_item(b, next_run_in) {
                    w.paragraph(b);
                }
            }
            BlockKind::ListItem { marker, depth } => {
                let before = blocks[i - 1];
                if !matches!(before.kind, BlockKind::ListItem { .. }) {
                    let announced = before.kind == BlockKind::Paragraph
                        && before.text.trim_end().ends_with(':');
                    w.settle_list(&blocks[i..], announced);
                }
                w.list_item(b, marker, *depth, blocks.get(i + 1).copied())
            }
            BlockKind::Table(t) => {
                if let Some(cols) = info.and_then(|i| i.measure_columns.as_ref()) {
                    w.table(t, cols);
                }
            }
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

/// `norm(s) == n`, without building `norm(s)`: headings are compared with
/// every goal, and a long document has many of both.
fn same_norm(s: &str, n: &str) -> bool {
    let words = s
        .trim()
        .trim_end_matches([':', '.'])
        .split_whitespace()
        .flat_map(|w| std::iter::once(' ').chain(w.chars().flat_map(char::to_lowercase)))
        .skip(1);
    words.eq(n.chars())
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
    // "Standardisere og skalere det som virker: Kommunesektoren har …": a
    // lead-in set off by a colon instead of bold type.
    if let Some((head, rest)) = text.split_once(": ") {
        let words = head.split_whitespace().count();
        if (2..=8).contains(&words)
            && head.chars().next().is_some_and(char::is_uppercase)
            && !head.contains(['.', ',', '(', '«'])
            && rest.split_whitespace().count() >= 4
        {
            return head.trim().to_string();
        }
    }
    first_sentence(text)
}

/// A paragraph opening with a run-in heading: its bold lead, or a phrase of at
/// most six words closed by a full stop, with the paragraph going on after it
/// ("Gründerskolen. Sammen med …").
fn run_in(b: &Block) -> Option<&str> {
    if let Some(lead) = &b.lead {
        let lead = lead.trim().trim_end_matches(['.', ':']).trim();
        if !lead.is_empty() && b.text.trim().len() > lead.len() + 10 {
            return b.text.trim().get(..lead.len()).filter(|l| *l == lead);
        }
    }
    let t = b.text.trim();
    let (head, rest) = t.split_once(". ")?;
    let words = head.split_whitespace().count();
    let starts_upper = head.chars().next().is_some_and(char::is_uppercase);
    let rest_starts = rest
        .chars()
        .next()
        .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit());
    let abbreviated = ABBREVIATIONS.contains(
        &head
            .rsplit(' ')
            .next()
            .unwrap_or("")
            .to_lowercase()
            .as_str(),
    );
    (words <= 6
        && starts_upper
        && rest_starts
        && !abbreviated
        && !head.contains([':', ',', '?'])
        && !head.chars().any(|c| c.is_ascii_digit())
        && rest.split_whitespace().count() >= 4)
        .then_some(head)
}

/// Words shortened with a full stop that does not end the sentence.
const ABBREVIATIONS: &[&str] = &[
    "mill", "mrd", "kr", "nr", "jf", "jfr", "ca", "pkt", "st", "meld", "prop", "innst", "dvs",
    "osv", "mv", "mm", "bl", "evt", "ev", "inkl", "ekskl", "iht", "ifm", "kap", "tlf", "vedr", "f",
    "t", "m", "s", "nov", "des", "jan", "feb", "aug", "sept", "okt",
];

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
            // Nor after an abbreviation: "2,5 mill. kr", "Meld. St. 5", "jf. punkt 3".
            let word: String = t[..i]
                .chars()
                .rev()
                .take_while(|c| c.is_alphabetic() || *c == '.')
                .collect::<String>()
                .chars()
                .rev()
                .collect::<String>()
                .to_lowercase();
            let abbreviation = ABBREVIATIONS.contains(&word.as_str()) || word.contains('.');
            i >= 12 && !(1..=2).contains(&digits) && !abbreviation
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
        kind: MeasureKind,
        seen: Seen,
        span: Span,
    ) -> usize {
        let goal = self.goal;
        let title = title.trim().trim_end_matches(['.', ':']).trim();
        let t = DiceKey::new(title);
        let mut best: Option<(f64, usize)> = None;
        for &i in self.open.get(&goal).map_or(&[][..], |o| &o[seen.index()]) {
            let m = &self.measures[i];
            let sim = t.similarity(&self.measure_keys[i]);
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
            if let Some(open) = self.open.get_mut(&goal).map(|o| &mut o[seen.index()]) {
                if let Ok(at) = open.binary_search(&i) {
                    open.remove(at);
                }
            }
            if seen == Seen::Heading {
                // The heading is the measure's own title and number.
                m.title = title.to_string();
                self.measure_keys[i] = t;
                m.number = number.or(m.number.take());
                m.span = span;
            }
            return i;
        }
        self.measures.push(Measure {
            goal,
            number,
            title: title.to_string(),
            kind,
            status: None,
            responsible: Vec::new(),
            partners: Vec::new(),
            timeframe: None,
            seen_in: vec![seen],
            themes: Vec::new(),
            span,
        });
        self.measure_keys.push(t);
        let i = self.measures.len() - 1;
        let open = self.open.entry(goal).or_default();
        for (s, list) in open.iter_mut().enumerate() {
            if s != seen.index() {
                list.push(i);
            }
        }
        i
    }

    /// Makes `g` the goal the following blocks fall under.
    fn enter_goal(&mut self, g: usize, heading_level: u8) {
        self.goal = Some(g);
        self.goal_heading_level = heading_level;
        self.measure = None;
        self.set_list(None);
    }

    fn end_goal(&mut self) {
        self.goal = None;
        self.measure = None;
        self.level = None;
        self.set_list(None);
    }

    fn heading(&mut self, b: &Block, level: u8, number: Option<&str>, next_is_heading: bool) {
        self.paragraph_goals = false;
        let t = b.text.trim();
        self.path.retain(|&(l, _)| l < level);
        self.path.push((level, lexicon::names_goals(t)));
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
        // A numbered sentence that goes on a numbered list of decision points or
        // measures ("16. Primærhelsetjenesten skal styrkes.") is its next item,
        // however large its type.
        if let (Some(n), Some(list)) = (top, &self.list) {
            if list.numbered_next() == Some(n) && body.ends_with('.') {
                self.numbered_item(list.clone(), n, body, b.span);
                return;
            }
        }
        // A top-level section continues the numbering (and, where the document
        // has a table of contents, is listed in it); "2." inside a measure's text
        // is a sub-part, not chapter 2.
        let in_toc = self.toc.is_empty() || self.toc.related(&norm(t));
        let continues_top = in_toc && top.is_some_and(|n| self.last_top.is_none_or(|l| n == l + 1));
        if continues_top {
            self.last_top = top;
        }
        // A list opened by a section heading ends with the next heading of its rank.
        if self.list_level.is_some_and(|l| level <= l) {
            self.set_list(None);
        }
        // "Mål: Fleire bustader …" set as a heading states a goal as the line would.
        if let Some((kind, rest)) = lexicon::goal_line(body) {
            self.goal_line(kind, rest, b.span);
            return;
        }
        let at = HeadingAt {
            level,
            sec,
            top,
            continues_top,
            next_is_heading,
        };
        self.heading_by_cue(b, body, at);
    }

    /// What a heading's words make it: a prompt, a goal, a measure, a list's
    /// opening, a section of its own.
    fn heading_by_cue(&mut self, b: &Block, body: &str, at: HeadingAt) {
        let HeadingAt {
            level,
            sec,
            top,
            continues_top,
            next_is_heading,
        } = at;
        match lexicon::heading_cue(body) {
            HeadingCue::Prompt => self.prompt(body),
            HeadingCue::Appendix => self.end_goal(),
            HeadingCue::Status(st) => {
                if let Some(m) = self.measure {
                    self.measures[m]
                        .status
                        .get_or_insert_with(|| Status::new(st));
                }
            }
            HeadingCue::Measure {
                kind,
                number,
                title,
            } => {
                let m =
                    self.add_measure(Some(number.to_string()), title, kind, Seen::Heading, b.span);
                self.measure = Some(m);
                self.set_list(None);
            }
            HeadingCue::Goal {
                kind,
                number,
                title,
            } => {
                let g = self.add_goal(
                    Goal {
                        number: number.map(|n| format!("{} {n}", capitalise(&kind))),
                        title: title.to_string(),
                        kind: GoalKind::of(&kind),
                        label: kind,
                        parent: self.level,
                        text: None,
                        span: b.span,
                    },
                    true,
                );
                self.enter_goal(g, level);
            }
            HeadingCue::GoalList => {
                // "Overordna mål", "Hovedmål": the goals follow as a list.
                self.set_list(Some(ListMode::Goals {
                    label: body.to_string(),
                }));
                self.measure = None;
            }
            HeadingCue::GoalStatement => self.goal_statement_heading(b, body, sec),
            HeadingCue::StrategyArea if top.is_some() || sec.is_none() => {
                self.strategy_heading(b, body, level, sec, top)
            }
            HeadingCue::MeasureSection { kind } => {
                // The measures a document puts forward under "Tiltak",
                // "Prioriteringar og vidare oppfølging", "Anbefalinger": with or
                // without a goal above them.
                self.measure = None;
                self.open_list(ListMode::Measures { kind }, Some(level));
            }
            HeadingCue::Decision => {
                self.measure = None;
                self.open_list(ListMode::Decision { last: 0 }, Some(level));
            }
            HeadingCue::MeasureIntro if self.goal.is_some() => {
                self.set_list(Some(ListMode::Measures {
                    kind: lexicon::measure_kind(body),
                }));
            }
            cue => self.other_heading(
                b,
                body,
                level,
                sec,
                top,
                continues_top,
                cue,
                next_is_heading,
            ),
        }
    }

    /// "Mål for helse- og omsorgsinnsatsen": a goal whose statement follows.
    fn goal_statement_heading(&mut self, b: &Block, body: &str, sec: Option<&str>) {
        let g = self.add_goal(
            Goal {
                number: sec.map(str::to_string),
                title: body.to_string(),
                label: "mål".into(),
                kind: GoalKind::Goal,
                parent: self.goal,
                text: None,
                span: b.span,
            },
            true,
        );
        self.pending_text = Some(g);
        self.set_list(None);
    }

    /// "4.0 Strategi for …": a strategy area; a numbered subsection inside
    /// one opens the list of its strategies.
    fn strategy_heading(
        &mut self,
        b: &Block,
        body: &str,
        level: u8,
        sec: Option<&str>,
        top: Option<u32>,
    ) {
        if self
            .goal
            .is_some_and(|g| self.goals[g].kind == GoalKind::Strategy)
            && sec.is_some_and(|s| !s.ends_with(".0") && top.is_none())
        {
            self.set_list(Some(ListMode::Measures {
                kind: MeasureKind::Strategi,
            }));
            return;
        }
        let g = self.add_goal(
            Goal {
                number: sec.map(str::to_string),
                title: body.to_string(),
                label: "strategi".into(),
                kind: GoalKind::Strategy,
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
    }

    /// A heading that is not itself a goal or measure: a programme level, a
    /// recurring theme, a satsing inside a theme, or a section that ends the goal.
    #[allow(clippy::too_many_arguments)]
    fn other_heading(
        &mut self,
        b: &Block,
        body: &str,
        level: u8,
        sec: Option<&str>,
        top: Option<u32>,
        continues_top: bool,
        cue: HeadingCue,
        next_is_heading: bool,
    ) {
        // A programme level ("Fylkessatsinger") has themes recurring under it
        // and its siblings; in a document without recurring themes a heading
        // like "Fylkeskommunale satsinger" is only a section title.
        if cue == HeadingCue::Level
            && sec.is_none()
            && self.has_themes
            && body.split_whitespace().count() <= 10
        {
            let g = self.add_goal(
                Goal {
                    number: None,
                    title: body.to_string(),
                    label: "nivå".into(),
                    kind: GoalKind::Level,
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
                    label: "tema".into(),
                    kind: GoalKind::Theme,
                    parent: self.level,
                    text: None,
                    span: b.span,
                },
                true,
            );
            self.enter_goal(g, level);
            self.set_list(Some(ListMode::Measures {
                kind: MeasureKind::Satsing,
            }));
            return;
        }
        if self
            .goal
            .is_some_and(|g| self.goals[g].kind == GoalKind::Theme)
            && sec.is_none()
            && !recurring
        {
            // A heading inside a theme names one of its satsinger.
            let m = self.add_measure(None, body, MeasureKind::Satsing, Seen::Heading, b.span);
            self.measure = Some(m);
            return;
        }
        // A section headed by a goal listed earlier ("Strategien har tre mål:"
        // … then "Flere boliger i distriktskommunene" as a heading) is that
        // goal's section: its measures fall under it.
        let n = norm(body);
        if let Some(g) = self.goals.iter().position(|g| {
            !n.is_empty()
                && same_norm(&g.title, &n)
                && !matches!(g.kind, GoalKind::Theme | GoalKind::Level)
        }) {
            if !recurring {
                self.enter_goal(g, level);
                return;
            }
        }
        let ends = continues_top && top.is_some()
            || level < self.goal_heading_level && sec.is_none() && self.level.is_none();
        if ends {
            self.end_goal();
        }
    }

    fn open_list(&mut self, mode: ListMode, heading_level: Option<u8>) {
        self.set_list(Some(mode));
        self.list_level = heading_level;
    }

    /// Starts (or, with `None`, ends) a list: its items are read afresh.
    fn set_list(&mut self, mode: Option<ListMode>) {
        self.list = mode;
        self.list_from_intent = false;
        self.list_level = None;
        self.list_marker = None;
        self.paragraph_goals = false;
        self.paragraph_goal_count = 0;
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
        self.set_list(
            if lexicon::names_measures(text) && (l.contains("aktivitet") || l.contains("resultat"))
            {
                Some(ListMode::Measures {
                    kind: lexicon::measure_kind(text),
                })
            } else {
                None
            },
        );
    }

    fn paragraph(&mut self, b: &Block) {
        let t = b.text.trim();
        if let Some(g) = self.pending_text.take() {
            self.goals[g].text = Some(t.to_string());
            return;
        }
        if let Some(st) = lexicon::status(t) {
            if let Some(m) = self.measure {
                self.measures[m]
                    .status
                    .get_or_insert_with(|| Status::new(st));
            }
            return;
        }
        if is_prompt(t) {
            self.prompt(t);
            return;
        }
        // "Regjeringa legg desse måla til grunn …:" followed by plain
        // paragraphs, one goal each, up to the next heading.
        if let (true, Some(ListMode::Goals { label })) = (self.paragraph_goals, &self.list) {
            if t.split_whitespace().count() <= 60
                && !t.ends_with(':')
                && !NUMBERED_PARAGRAPH.is_match(t)
            {
                let label = label.clone();
                let n = (self.paragraph_goal_count + 1).to_string();
                self.paragraph_goal_count += 1;
                let title = first_sentence(t);
                self.list_goal(&label, &n, &title, t, b.span);
                return;
            }
        }
        if let Some(m) = self.pending_timeframe.take() {
            if self.measures[m].timeframe.is_none() {
                let tf = timeframe::parse(&first_sentence(t), self.period);
                if tf.from.is_some() || tf.to.is_some() {
                    self.measures[m].timeframe = Some(tf);
                }
            }
        }
        if let Some(c) = NUMBERED_PARAGRAPH.captures(t) {
            let n: u32 = c["n"].parse().unwrap_or(0);
            match self.list.clone() {
                Some(ListMode::Goals { label }) => {
                    let title = first_sentence(&c["rest"]);
                    self.list_goal(&label, &c["n"], &title, &c["rest"], b.span);
                    return;
                }
                Some(list @ ListMode::Decision { .. }) if list.numbered_next() == Some(n) => {
                    self.numbered_item(list, n, &c["rest"], b.span);
                    return;
                }
                _ => {}
            }
        }
        if let Some((kind, rest)) = lexicon::goal_line(t) {
            self.goal_line(kind, rest, b.span);
            return;
        }
        // "Målet er å …" states a goal where the section is about goals: under
        // a goal heading ("Hovedmål"), or the goal its heading opened. In a
        // measure's description it is the measure's aim, and in running prose
        // a passing remark.
        let goal_context = matches!(self.list, Some(ListMode::Goals { .. }))
            || self.goal.is_some() && self.heading_goal == self.goal;
        if let Some((kind, rest)) =
            lexicon::goal_statement(t).filter(|_| goal_context && self.measure.is_none())
        {
            self.goal_line(kind, rest, b.span);
            return;
        }
        if self
            .goal
            .is_some_and(|g| self.goals[g].kind == GoalKind::Theme)
            && self.measure.is_none()
        {
            // A programme theme describes each satsing under its bullet; the list goes on.
            return;
        }
        self.introduction(t);
    }

    /// A paragraph that may introduce a list: what its items will be.
    fn introduction(&mut self, t: &str) {
        let words = t.split_whitespace().count();
        let cue = lexicon::intro_cue_in(t, self.under_goal_heading());
        let from_intent = cue == Some(IntroCue::Intent);
        let mode = match cue {
            Some(IntroCue::Goals { label }) => Some(ListMode::Goals {
                label: label.to_string(),
            }),
            // Under a goal any intro; outside one a line that announces tiltak
            // with a colon ("Aktuelle tiltak kan være:"), or a form label such
            // as "Resultat som er oppnådd i form av aktiviteter eller tiltak".
            // Activities announced outside a goal are often a process's steps.
            Some(IntroCue::Measures { kind })
                if self.goal.is_some()
                    || t.ends_with(':') && kind == MeasureKind::Tiltak
                    || words <= 12 && lexicon::is_activity_label(t) =>
            {
                Some(ListMode::Measures { kind })
            }
            Some(IntroCue::Intent) => Some(ListMode::Measures {
                kind: MeasureKind::Tiltak,
            }),
            Some(IntroCue::Decision) => Some(ListMode::Decision { last: 0 }),
            // "Bygdevekstavtalen innehar syv delmål." and the list follows.
            _ if words <= 40 && lexicon::announces_subgoals(t) => Some(ListMode::Goals {
                label: "Delmål".into(),
            }),
            _ => None,
        };
        // A list opened by a heading goes on past a paragraph that introduces
        // nothing ("Aktuelle tiltak kan være:" aside).
        if mode.is_some() || self.list_level.is_none() {
            let goals_follow = matches!(mode, Some(ListMode::Goals { .. })) && t.ends_with(':');
            self.set_list(mode);
            self.paragraph_goals = goals_follow;
            self.list_from_intent = from_intent;
        }
    }

    /// Whether a heading above names goals ("Mål og ønskede effekter").
    fn under_goal_heading(&self) -> bool {
        self.path.iter().any(|&(_, goals)| goals)
    }

    /// Decides a list once, from its items as a whole, at its first item:
    /// under a heading that names goals, a list announced with a colon
    /// (by an intent, or by words that name no kind) whose items state
    /// outcomes ("Regjeringen vil … følge med på at følgende resultater
    /// oppnås: Færre pasientskader; Redusert ventetid …") lists goals, not
    /// what the actor will do.
    fn settle_list(&mut self, run: &[&Block], announced: bool) {
        let open = self.list_from_intent || self.list.is_none() && announced;
        if !(open && self.goal.is_none() && self.under_goal_heading()) {
            return;
        }
        let depth_of = |b: &&&Block| match b.kind {
            BlockKind::ListItem { depth, .. } => Some(depth),
            _ => None,
        };
        let list: Vec<&&Block> = run.iter().take_while(|b| depth_of(b).is_some()).collect();
        let top = list.iter().filter_map(&depth_of).min();
        let (mut items, mut outcomes) = (0, 0);
        for b in list.iter().filter(|b| depth_of(b) == top) {
            items += 1;
            outcomes += usize::from(lexicon::outcome_shaped(&b.text));
        }
        if items >= 3 && outcomes * 4 >= items * 3 {
            self.set_list(Some(ListMode::Goals {
                label: "Mål".into(),
            }));
            self.list_from_intent = false;
        }
    }

    /// An activity written as a run-in heading ("Næringshage Nord. Hagen har i
    /// 2023 …"), in a list of measures or right under a goal's heading: a
    /// measure. A lone paragraph of that shape is one only with a bold lead;
    /// otherwise a run of them (this or the next) shows the pattern. Returns
    /// whether `b` was read so.
    fn run_in_item(&mut self, b: &Block, next_run_in: bool) -> bool {
        let Some(lead) = run_in(b) else {
            self.run_in_run = false;
            return false;
        };
        let in_list = matches!(self.list, Some(ListMode::Measures { .. }));
        let under_goal =
            self.goal.is_some() && self.heading_goal == self.goal && self.measure.is_none();
        let pattern = b.lead.is_some() || self.run_in_run || next_run_in;
        if !(in_list || under_goal) || !pattern {
            self.run_in_run = false;
            return false;
        }
        let kind = match &self.list {
            Some(ListMode::Measures { kind }) => *kind,
            _ => MeasureKind::Aktivitet,
        };
        self.add_measure(None, lead, kind, Seen::List, b.span);
        self.run_in_run = true;
        true
    }

    /// "Mål: Flere arbeidsplasser i regionen." — the statement of the focus area
    /// it stands under, or a goal of its own.
    fn goal_line(&mut self, kind: String, rest: &str, span: Span) {
        if let Some(g) = self.goal {
            // Under the goal's own heading the line states that goal (or, when
            // it already has a statement, a part of it); under a later heading
            // it is a goal of that section, beneath the goal.
            // A main goal or focus area holds goals of its sections; a delmål
            // or a theme does not.
            let kind = self.goals[g].kind;
            let holds_goals = matches!(kind, GoalKind::Area | GoalKind::Main);
            if self.heading_goal == Some(g) && kind == GoalKind::Area {
                // "Innsatsområde 1: Bustad" / "Mål: Fleire bustader …": the
                // area's goal is its goal line; its name is the statement's
                // context, kept as its text.
                let goal = &mut self.goals[g];
                let name = std::mem::replace(&mut goal.title, first_sentence(rest));
                goal.text = Some(name);
                return;
            }
            if self.heading_goal == Some(g) || !holds_goals {
                if self.goals[g].text.is_none() {
                    self.goals[g].text = Some(rest.to_string());
                }
                return;
            }
        }
        let parent = self.goal.or(self.level);
        let label = if kind == "målet" || kind == "målsetting" || kind == "målsetjing" {
            "mål".to_string()
        } else {
            kind
        };
        let g = self.add_goal(
            Goal {
                number: None,
                title: first_sentence(rest),
                kind: GoalKind::of(&label),
                label,
                parent,
                text: (first_sentence(rest) != rest.trim_end_matches('.'))
                    .then(|| rest.to_string()),
                span,
            },
            false,
        );
        let level = self.goal_heading_level;
        self.enter_goal(g, level);
    }

    /// The `n`th item of a numbered list of decision points or measures.
    fn numbered_item(&mut self, list: ListMode, n: u32, text: &str, span: Span) {
        let kind = match &list {
            ListMode::Decision { .. } => MeasureKind::Vedtakspunkt,
            ListMode::Measures { kind } => *kind,
            ListMode::Goals { .. } => return,
        };
        self.add_measure(
            Some(n.to_string()),
            &first_sentence(text),
            kind,
            Seen::List,
            span,
        );
        if let Some(ListMode::Decision { last }) = &mut self.list {
            *last = n;
        }
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
                label: label.to_lowercase(),
                kind: GoalKind::of(label),
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

    /// An item of a list. `next` is the block after it: a short numbered item
    /// followed by bullets is a group label, not an item of its own.
    fn list_item(&mut self, b: &Block, marker: &str, depth: u8, next: Option<&Block>) {
        self.paragraph_goals = false;
        let n = LIST_NUMBER.captures(marker).map(|c| c[1].to_string());
        let Some(list) = self.list.clone() else {
            return;
        };
        let class = marker_class(marker);
        if let ListMode::Goals { label } = &list {
            let k = self.goals.len() + 1;
            let n = n.unwrap_or_else(|| k.to_string());
            let title = title_of(b, &b.text);
            self.list_goal(label, &n, &title, &b.text, b.span);
            return;
        }
        // Inside a measure's own section a list details that measure.
        if self.measure.is_some() && matches!(list, ListMode::Measures { .. }) {
            return;
        }
        let words = b.text.split_whitespace().count();
        let label = words <= 8
            && !b.text.trim_end().ends_with(['.', ':'])
            && next.is_some_and(|nb| {
                matches!(&nb.kind, BlockKind::ListItem { marker: m, .. } if marker_class(m) != class)
            });
        if label {
            return;
        }
        match self.list_marker {
            None => self.list_marker = Some((class, depth)),
            // Items set deeper, or with another marker, detail the item above.
            Some((c, d)) if c != class || depth > d => return,
            Some(_) => {}
        }
        if let ListMode::Decision { .. } = list {
            let k = match &self.list {
                Some(l) => l.numbered_next().unwrap_or(1),
                None => 1,
            };
            let n = n.and_then(|n| n.parse().ok()).unwrap_or(k);
            self.numbered_item(list, n, &b.text, b.span);
            return;
        }
        let ListMode::Measures { kind } = list else {
            return;
        };
        let in_theme = self
            .goal
            .is_some_and(|g| self.goals[g].kind == GoalKind::Theme);
        let kind = if in_theme { MeasureKind::Satsing } else { kind };
        let title = title_of(b, &b.text);
        self.add_measure(n, &title, kind, Seen::List, b.span);
    }

    /// A table row naming a goal ("Delmål 1:" in a goal column, or a group
    /// row "Delmål 1.1 Flere voksne …"): opens that goal for the rows below.
    fn table_goal(&mut self, kind: String, number: &str, title: &str, span: Span) {
        let g = self.add_goal(
            Goal {
                number: Some(format!("{} {number}", capitalise(&kind))),
                title: title.to_string(),
                kind: GoalKind::of(&kind),
                label: kind,
                parent: None,
                text: None,
                span,
            },
            false,
        );
        self.goal = Some(g);
        self.ctx.rows.insert(span.line, (Some(g), None));
    }

    fn table(&mut self, t: &Table, cols: &MeasureColumns) {
        for row in &t.rows[1..] {
            let cell = |c: Option<usize>| {
                c.and_then(|i| row.cell_text(i))
                    .map(|s| s.trim())
                    .filter(|s| !s.is_empty())
            };
            // "Delmål 1:" in the goal column opens that goal.
            if let Some(gc) = cell(cols.goal) {
                if let Some((kw, n, _)) = lexicon::numbered_goal(gc) {
                    self.table_goal(kw, n, cell(cols.title).unwrap_or(gc), row.span);
                    continue;
                }
                if super::grid::is_total_label(gc) {
                    self.ctx.rows.insert(row.span.line, (self.goal, None));
                    continue;
                }
            }
            let Some(raw) = cell(cols.title) else {
                continue;
            };
            // A group row naming a goal ("Delmål 1.1 Flere voksne …") opens
            // that goal for the rows below it.
            if cols.goal.is_none() {
                if let Some((kw, n, rest)) = lexicon::numbered_goal(raw) {
                    self.table_goal(kw, n, if rest.is_empty() { raw } else { rest }, row.span);
                    continue;
                }
            }
            if super::grid::is_total_label(raw) {
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
            let m = self.add_measure(
                n,
                title.trim_end_matches('.'),
                MeasureKind::Tiltak,
                seen,
                row.span,
            );
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
                self.measures[m]
                    .status
                    .get_or_insert_with(|| Status::new(s));
            }
            if let Some(tf) = cell(cols.timeframe) {
                self.measures[m].timeframe = Some(timeframe::parse(tf, self.period));
            }
        }
    }
}

static LOOSE_NUMBER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?P<n>[0-9]{1,2})[.)]\s*(?P<rest>\S.*)$").unwrap());

/// Appends the ids not already present, keeping first-seen order.
pub(crate) fn push_unique(into: &mut Vec<usize>, ids: Vec<usize>) {
    for i in ids {
        if !into.contains(&i) {
            into.push(i);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn para(text: &str, lead: Option<&str>) -> Block {
        Block {
            kind: BlockKind::Paragraph,
            text: text.to_string(),
            lead: lead.map(str::to_string),
            span: Span {
                page: None,
                line: 1,
                end_line: 1,
            },
        }
    }

    #[test]
    fn an_item_is_titled_by_its_lead_in() {
        let t = "Standardisere og skalere det som virker: Kommunesektoren har etablert felles modeller.";
        assert_eq!(
            title_of(&para(t, None), t),
            "Standardisere og skalere det som virker"
        );
        let t = "Gründerskolen. Sammen med Ungt Entreprenørskap ble det holdt tre kurs.";
        assert_eq!(
            title_of(&para(t, Some("Gründerskolen.")), t),
            "Gründerskolen"
        );
        // A sentence with a colon late in it is titled by the sentence.
        let t = "Det er tre grunner til dette, og den viktigaste er: folk finn ikkje bustad.";
        assert_eq!(
            title_of(&para(t, None), t),
            "Det er tre grunner til dette, og den viktigaste er: folk finn ikkje bustad"
        );
        // Sentences do not end at an abbreviation.
        assert_eq!(
            first_sentence("Det er sett av 2,5 mill. kr til feltet. Resten kjem seinare."),
            "Det er sett av 2,5 mill. kr til feltet"
        );
    }
}

#[cfg(test)]
mod norm_tests {
    use super::{norm, same_norm};

    #[test]
    fn same_norm_is_norm_compared() {
        for (a, b) in [
            (
                "  Flere boliger i  distriktskommunene:",
                "Flere boliger i distriktskommunene",
            ),
            ("Øke BOSETTINGEN.", "øke bosettingen"),
            ("Delmål 1", "Delmål 2"),
            ("", ""),
        ] {
            assert_eq!(same_norm(a, &norm(b)), norm(a) == norm(b), "{a:?} {b:?}");
        }
    }
}

/// The normalised titles of a table of contents, sorted, so that a heading
/// is looked up among them rather than compared with each (a compilation of
/// many reports has many contents, and many headings).
struct TocTitles {
    sorted: Vec<String>,
    set: std::collections::HashSet<String>,
}

impl TocTitles {
    fn new(mut titles: Vec<String>) -> TocTitles {
        titles.sort_unstable();
        titles.dedup();
        let set = titles.iter().cloned().collect();
        TocTitles {
            sorted: titles,
            set,
        }
    }

    fn is_empty(&self) -> bool {
        self.sorted.is_empty()
    }

    /// Whether a title begins with `heading`, or `heading` begins with a title.
    fn related(&self, heading: &str) -> bool {
        // The titles beginning with `heading` sort right from it on.
        let from = self.sorted.partition_point(|e| e.as_str() < heading);
        if self
            .sorted
            .get(from)
            .is_some_and(|e| e.starts_with(heading))
        {
            return true;
        }
        heading
            .char_indices()
            .map(|(i, _)| i)
            .skip(1)
            .chain([heading.len()])
            .any(|i| self.set.contains(&heading[..i]))
    }
}

#[cfg(test)]
mod toc_titles_tests {
    use super::TocTitles;

    #[test]
    fn related_is_a_prefix_either_way() {
        let titles = ["innledning", "mål og tiltak", "tiltak 1 bolig", "økonomi"];
        let toc = TocTitles::new(titles.iter().map(|t| t.to_string()).collect());
        for heading in [
            "innledning",
            "innledning og bakgrunn",
            "inn",
            "mål",
            "tiltak 1",
            "tiltak 2",
            "øko",
            "økonomiplan",
            "ø",
            "bakgrunn",
            "",
        ] {
            let naive = titles
                .iter()
                .any(|e| heading.starts_with(e) || e.starts_with(heading));
            assert_eq!(toc.related(heading), naive, "{heading:?}");
        }
    }
}

/// A title as `strsim::sorensen_dice` compares two lower-cased titles, read
/// once: a new measure is compared with every earlier one of its goal, and
/// lower-casing and counting the earlier one's letter pairs each time made
/// that the costliest part of a long plan's reading.
struct DiceKey {
    /// The lower-cased title without white space.
    letters: String,
    /// Its pairs of consecutive characters, sorted.
    pairs: Vec<(char, char)>,
}

impl DiceKey {
    fn new(title: &str) -> DiceKey {
        let letters: String = title
            .to_lowercase()
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        let mut pairs: Vec<(char, char)> = letters.chars().zip(letters.chars().skip(1)).collect();
        pairs.sort_unstable();
        DiceKey { letters, pairs }
    }

    /// `strsim::sorensen_dice` of the two lower-cased titles, to the bit:
    /// the shared pairs (counted with repeats) over the lengths in bytes.
    fn similarity(&self, other: &DiceKey) -> f64 {
        if self.letters == other.letters {
            return 1.0;
        }
        if self.letters.len() < 2 || other.letters.len() < 2 {
            return 0.0;
        }
        let (a, b) = (&self.pairs, &other.pairs);
        let (mut i, mut j, mut shared) = (0, 0, 0_usize);
        while i < a.len() && j < b.len() {
            match a[i].cmp(&b[j]) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    shared += 1;
                    i += 1;
                    j += 1;
                }
            }
        }
        (2 * shared) as f64 / (self.letters.len() + other.letters.len() - 2) as f64
    }
}

#[cfg(test)]
mod dice_tests {
    use super::DiceKey;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn the_same_as_strsim(a in "[aAøÆ bk-]{0,12}", b in "[aAøÆ bk-]{0,12}") {
            let ours = DiceKey::new(&a).similarity(&DiceKey::new(&b));
            let theirs = strsim::sorensen_dice(&a.to_lowercase(), &b.to_lowercase());
            prop_assert_eq!(ours.to_bits(), theirs.to_bits());
        }
    }

    #[test]
    fn repeated_pairs_count_as_often_as_both_have_them() {
        for (a, b) in [("aaaa", "aa"), ("Tiltak 1", "tiltak 2"), ("bolig", "Bolig")] {
            let ours = DiceKey::new(a).similarity(&DiceKey::new(b));
            assert_eq!(
                ours,
                strsim::sorensen_dice(&a.to_lowercase(), &b.to_lowercase())
            );
        }
    }
}

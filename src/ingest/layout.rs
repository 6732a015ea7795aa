//! The segmenter every format shares: a stream of lines and ready-made blocks
//! becomes headings, paragraphs, list items, tables and a table of contents.
//!
//! Lines are grouped into chunks at blank lines (PDF turns large vertical gaps
//! into blank lines). Within a chunk, tab-separated lines are table rows, lines
//! that start with a bullet or a number open list items, and a chunk that is one
//! short title-like line is a heading. Nothing here looks at one document's
//! wording; the cues are those of Norwegian typesetting in general.

use std::sync::LazyLock;

use regex::Regex;

use crate::model::{BlockKind, DocumentBuilder, TableRow};

/// What a format knows about a line beyond its text.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LineHint {
    /// The format says this is a heading of this level (PDF font size, DOCX style).
    pub heading_level: Option<u8>,
    /// A bold or otherwise emphasised line.
    pub emphasised: bool,
    /// Where the line starts on its page (a PDF read by layout).
    pub edge: Option<Edge>,
}

/// Where a line starts on its page, in tenths of a point: its left edge and
/// where its text starts after a list marker (a bullet's wrapped lines hang
/// from there).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Edge {
    pub left: i32,
    pub text: i32,
}

impl Edge {
    pub fn of(left: f32, text: f32) -> Edge {
        let tenths = |x: f32| (x * 10.0).round() as i32;
        Edge {
            left: tenths(left),
            text: tenths(text),
        }
    }
}

/// How far apart (tenths of a point) two edges may be and still be one edge:
/// typesetters align a list's markers and wrapped lines exactly, and the
/// smallest nesting step Norwegian templates use is several points.
const SAME_EDGE: i32 = 15;

/// How far (tenths of a point) right of a list's text a marker may start and
/// still nest in it: templates set a nested marker at or near the text of the
/// item above; a marker much further right starts a list in another column.
const NEST_REACH: i32 = 360;

/// Whether the author stated the structure (HTML, DOCX, a tagged PDF) or only
/// the layout shows it (plain text, an untagged PDF). Layout alone lets a
/// list's numbering carry it over blank lines and its indents nest it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reading {
    Stated,
    Layout,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Item {
    Line {
        text: String,
        hint: LineHint,
    },
    /// A paragraph break.
    Blank,
    /// Blocks after this belong to the given page.
    Page(Option<u32>),
    /// A block the format already recognised (HTML, DOCX).
    Block {
        kind: BlockKind,
        lines: Vec<String>,
        lead: Option<String>,
    },
    /// A table the format already recognised, row by row.
    Table(Vec<TableRow>),
    /// A table-of-contents entry the format already recognised.
    Toc {
        line: String,
        title: String,
        page: Option<u32>,
    },
    /// Page furniture (running header/footer) kept for provenance only.
    Furniture(String),
    /// Text set apart from the flow (a footnote): a paragraph of its own that
    /// does not interrupt the sentence or list it stands beside.
    Aside(Vec<String>),
}

impl Item {
    pub fn line(text: impl Into<String>) -> Item {
        Item::Line {
            text: text.into(),
            hint: LineHint::default(),
        }
    }
}

static TOC_HEADING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(innholdsfortegnelse|innhaldsliste|innholdsliste|innhold|innhald|contents|table of contents)\s*:?$").unwrap()
});
/// "Tiltak 1 Omdømmebygging\t9", "1. Introduksjon.....\t4", "Vedlegg ........ 12".
static TOC_ENTRY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?P<title>\S.*?)(?:\s*(?:\.{2,}|…+|·{2,})\s*\t?\s*|\s*\t\s*)(?P<page>[0-9]{1,4})$",
    )
    .unwrap()
});
static TOC_LEADERS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:\.{3,}|…+)\s*[0-9]{1,4}$").unwrap());
/// Bullets as Norwegian documents set them, Word's second-level "o" and
/// the Symbol font's private-use bullet among them.
static BULLET: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?P<m>[•▪◦●○■□–\-*·➢►✓o\x{f0b7}])\s+(?P<rest>\S.*)$").unwrap());
static ENUM_ITEM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?P<m>(?:[0-9]{1,2}|[a-zæøå]|[ivx]{1,4})[.)])\s+(?P<rest>\S.*)$").unwrap()
});
static NUMBERED_HEADING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?P<n>[0-9]{1,2}(?:\.[0-9]{1,2}){0,3})\.?\s+(?P<rest>[A-ZÆØÅ«\x22].*)$").unwrap()
});
static KEYWORD_HEADING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?P<kw>hovedmål|hovudmål|delmål|innsatsområde|satsingsområde|satsingsområde|fokusområde|tiltak|aktivitet|vedlegg|kapittel)\s*(?P<n>[0-9]{1,2}(?:\.[0-9]{1,2})?)?\s*[:.\-–]?\s*(?P<rest>.*)$").unwrap()
});
static MARKDOWN_HEADING: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?P<h>#{1,6})\s+(?P<rest>.+)$").unwrap());
static BOLD_LEAD: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\*\*(?P<lead>[^*]+)\*\*\s*(?P<rest>.*)$").unwrap());
static MD_LINK: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\[(?P<t>[^\]]+)\]\([^)]*\)").unwrap());
static MD_EMPH: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\*\*([^*]+)\*\*|\*([^*\s][^*]*)\*").unwrap());

/// Removes Markdown emphasis and links that web transcripts carry, keeping text.
/// A block's lines as a format that marks bold runs with stars gives them
/// (PDF lines do): the bold lead-in of its first line ("**Samkommune**, som
/// …"), and the lines with their stars taken out.
pub(crate) fn lead_and_plain(lines: &mut [String]) -> Option<String> {
    let lead = lines
        .first()
        .and_then(|l| BOLD_LEAD.captures(l))
        .filter(|c| !c["rest"].trim().is_empty() || lines.len() > 1)
        .map(|c| strip_markdown(c["lead"].trim()));
    strip_emphasis_across(lines);
    for l in lines.iter_mut() {
        *l = strip_markdown(l);
    }
    lead
}

pub fn strip_markdown(s: &str) -> String {
    let s = MD_LINK.replace_all(s, "$t");
    MD_EMPH
        .replace_all(&s, |c: &regex::Captures| {
            c.get(1).or(c.get(2)).map_or("", |m| m.as_str()).to_string()
        })
        .into_owned()
}

/// Heading level and number of a line that reads like a heading, if it does.
pub fn heading_of(line: &str) -> Option<(u8, Option<String>)> {
    let t = line.trim();
    if t.is_empty() || t.chars().count() > 120 {
        return None;
    }
    if let Some(c) = MARKDOWN_HEADING.captures(t) {
        return Some((c["h"].len() as u8, None));
    }
    if let Some(c) = KEYWORD_HEADING.captures(t) {
        let kw = c["kw"].to_lowercase();
        let rest = c["rest"].trim();
        let has_number = c.name("n").is_some();
        // "Tiltak" alone mid-sentence is not a heading: want a number or a short title.
        if has_number || (rest.split_whitespace().count() <= 10 && !rest.ends_with('.')) {
            let level = match kw.as_str() {
                "hovedmål" | "hovudmål" | "vedlegg" | "kapittel" => 1,
                "delmål" | "innsatsområde" | "satsingsområde" | "fokusområde" => 2,
                _ => 3,
            };
            let number = c
                .name("n")
                .map(|n| format!("{} {}", capitalise(&kw), n.as_str()));
            if has_number || !rest.is_empty() {
                return Some((level, number));
            }
        }
    }
    if let Some(c) = NUMBERED_HEADING.captures(t) {
        let n = &c["n"];
        let rest = &c["rest"];
        if rest.ends_with(['.', ',', ';']) && rest.split_whitespace().count() > 8 {
            return None;
        }
        let parts: Vec<&str> = n.split('.').collect();
        let depth = if parts.len() == 2 && parts[1] == "0" {
            1
        } else {
            parts.len() as u8
        };
        return Some((depth, Some(n.to_string())));
    }
    let words = t.split_whitespace().count();
    let first = t.chars().next()?;
    let looks_like_title = (first.is_uppercase() || first == '«' || first == '"')
        && words <= 12
        && t.chars().count() <= 90
        && !t.ends_with(['.', ',', ';', ':'])
        && !t.contains('\t');
    looks_like_title.then_some((2, None))
}

/// Items typed one after another in one bulleted line ("• a• b• c",
/// "- a - B - C"), as forms and web pages do: each is its own item. A dash
/// separates items only when every part after it starts in upper case.
pub(crate) fn inline_items(marker: &str, text: &str) -> Option<Vec<String>> {
    let t = text.trim();
    let parts: Vec<String> = if t.contains('•') && marker != "-" {
        t.split('•').map(|p| p.trim().to_string()).collect()
    } else if matches!(marker, "-" | "–") && t.matches(" - ").count() >= 2 {
        // One dash may join a title to its subtitle; a run of them lists items.
        let parts: Vec<String> = t.split(" - ").map(|p| p.trim().to_string()).collect();
        if !parts[1..].iter().all(|p| p.starts_with(char::is_uppercase)) {
            return None;
        }
        parts
    } else {
        return None;
    };
    let parts: Vec<String> = parts.into_iter().filter(|p| !p.is_empty()).collect();
    (parts.len() >= 2).then_some(parts)
}

/// A line that opens a list item: a bullet or a number before its text.
pub(crate) fn opens_item(line: &str) -> bool {
    let t = line.trim();
    BULLET.is_match(t) || ENUM_ITEM.is_match(t)
}

/// A line that carries on the sentence before it: it starts in lower case.
fn goes_on(line: &str) -> bool {
    line.trim_start().starts_with(char::is_lowercase)
}

/// Emphasis stars that open on a block's first line and close on its last
/// (a wrapped "*Desentralisert ordning … (Fagfornyelsen)*") are markup too.
fn strip_emphasis_across(lines: &mut [String]) {
    if lines.len() < 2 {
        return;
    }
    for stars in ["**", "*"] {
        let n = lines.len() - 1;
        let opens = lines[0].starts_with(stars) && !lines[0][stars.len()..].contains('*');
        let closes =
            lines[n].ends_with(stars) && !lines[n][..lines[n].len() - stars.len()].contains('*');
        if opens && closes && lines[1..n].iter().all(|l| !l.contains('*')) {
            lines[0].drain(..stars.len());
            let end = lines[n].len() - stars.len();
            lines[n].truncate(end);
            return;
        }
    }
}

/// "delmål" → "Delmål", as numbering labels are printed.
pub(crate) fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + &c.as_str().to_lowercase())
        .unwrap_or_default()
}

/// A table-of-contents entry: (title, page).
pub fn toc_entry(line: &str) -> Option<(String, u32)> {
    let c = TOC_ENTRY.captures(line.trim_end())?;
    let title = c["title"]
        .trim_end_matches(['.', '…', ' ', '\t'])
        .trim()
        .to_string();
    let page = c["page"].parse().ok()?;
    (!title.is_empty() && title.chars().any(char::is_alphabetic)).then_some((title, page))
}

/// A list item being read: its marker, depth, lines, bold lead-in, and where
/// its marker line starts.
struct OpenItem {
    marker: String,
    depth: u8,
    lines: Vec<String>,
    lead: Option<String>,
    edge: Option<Edge>,
}

/// One level of the lists open on a page read by layout: its marker's left
/// edge and style.
struct Level {
    left: i32,
    /// Where its items' text starts after the marker.
    text: i32,
    style: String,
    /// Whether its items' wrapped lines hang at their text (true) or go back
    /// to the marker's edge (false), once a wrapped line has shown it.
    hangs: Option<bool>,
    /// The marker of its last item, which a numbering goes on from.
    last: Option<String>,
}

struct Segmenter<'a> {
    b: &'a mut DocumentBuilder,
    reading: Reading,
    /// The nested lists the last list item sits in, outermost first.
    levels: Vec<Level>,
    /// The marker of the list item pushed last, while nothing else followed it.
    last_marker: Option<String>,
    /// A chunk of one numbered line met a blank line: it waits for the next
    /// line, which joins it when it carries the next number.
    numbered_gap: bool,
    /// Footnotes met inside a list read by layout: pushed once the list
    /// ends, so that a note at a page's foot does not cut the list in two.
    notes: Vec<Vec<String>>,
    in_toc: bool,
    chunk: Vec<(String, LineHint)>,
    /// Page breaks and furniture met inside an unfinished paragraph or list
    /// item, held until the next line says whether the text goes on past them.
    held: Vec<Item>,
    /// Held items the text went on past, with the number of chunk lines before
    /// them: they take effect once the block they interrupt has been pushed.
    deferred: Vec<(usize, Item)>,
    /// The chunk line being segmented.
    pos: usize,
}

pub(crate) static NOISE_START: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(like dokumenter|lignende dokumenter|liknande dokument|relaterte dokumenter|related documents|similar documents)\s*:?\s*$").unwrap()
});
pub(crate) static TRANSCRIPT_START: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(transkript|transcript|dokumentets tekst)\s*:?\s*$").unwrap()
});

/// Drops a "Like dokumenter" list of unrelated titles that a document-sharing
/// site put before the transcript of the document itself. Only when the
/// transcript marker follows: without it, nothing says where the noise ends.
fn drop_site_noise(items: &mut Vec<Item>, b: &mut DocumentBuilder) {
    fn text(i: &Item) -> Option<&str> {
        match i {
            Item::Line { text, .. } => Some(text.as_str()),
            _ => None,
        }
    }
    let Some(start) = items
        .iter()
        .position(|i| text(i).is_some_and(|t| NOISE_START.is_match(t)))
    else {
        return;
    };
    let Some(end) = items[start..]
        .iter()
        .position(|i| text(i).is_some_and(|t| TRANSCRIPT_START.is_match(t)))
        .map(|e| start + e)
    else {
        return;
    };
    let mut dropped: Vec<String> = Vec::new();
    let mut kept = Vec::with_capacity(items.len());
    for (k, item) in std::mem::take(items).into_iter().enumerate() {
        match item {
            Item::Line { text, .. } | Item::Furniture(text) if (start..=end).contains(&k) => {
                dropped.push(text)
            }
            other => kept.push(other),
        }
    }
    *items = kept;
    b.dropped(dropped.iter().map(String::as_str));
}

/// Turns items whose structure the format stated into blocks on the builder.
pub fn segment(items: Vec<Item>, b: &mut DocumentBuilder) {
    segment_as(items, b, Reading::Stated)
}

/// Turns items into blocks on the builder, reading their structure from
/// layout alone (plain text, untagged PDFs).
pub fn segment_layout(items: Vec<Item>, b: &mut DocumentBuilder) {
    segment_as(items, b, Reading::Layout)
}

fn segment_as(mut items: Vec<Item>, b: &mut DocumentBuilder, reading: Reading) {
    drop_site_noise(&mut items, b);
    let mut s = Segmenter {
        b,
        reading,
        levels: Vec::new(),
        last_marker: None,
        numbered_gap: false,
        notes: Vec::new(),
        in_toc: false,
        chunk: Vec::new(),
        held: Vec::new(),
        deferred: Vec::new(),
        pos: 0,
    };
    for item in items {
        s.item(item);
    }
    s.release();
    s.notes_out();
}

impl Segmenter<'_> {
    fn item(&mut self, item: Item) {
        if self.numbered_gap {
            match &item {
                Item::Blank => return,
                Item::Line { text, .. } if text.trim().is_empty() => return,
                Item::Line { text, hint } if self.numbers_on(text, hint) => {
                    self.numbered_gap = false
                }
                _ => {
                    self.numbered_gap = false;
                    self.flush();
                }
            }
        }
        if !self.held.is_empty() {
            match item {
                Item::Furniture(_) | Item::Page(_) | Item::Aside(_) => {
                    self.held.push(item);
                    return;
                }
                // The gap a page break leaves is not a paragraph break.
                Item::Blank => return,
                Item::Line { text, hint }
                    if hint.heading_level.is_none()
                        && (goes_on(&text) || self.hangs_under_item(&text, &hint)) =>
                {
                    let at = self.chunk.len();
                    self.deferred.extend(self.held.drain(..).map(|h| (at, h)));
                    self.chunk.push((text, hint));
                    return;
                }
                other => {
                    self.release();
                    self.item(other);
                    return;
                }
            }
        }
        match item {
            Item::Line { text, hint } => {
                if text.trim().is_empty() {
                    self.paragraph_break();
                } else {
                    self.chunk.push((text, hint));
                }
            }
            Item::Blank => self.paragraph_break(),
            Item::Page(_) | Item::Furniture(_) | Item::Aside(_) if self.unfinished() => {
                self.held.push(item)
            }
            Item::Aside(lines) => {
                self.flush();
                self.note(lines);
            }
            Item::Page(n) => {
                self.flush();
                self.b.start_page(n);
            }
            Item::Block { kind, lines, lead } => {
                self.flush();
                self.in_toc = false;
                if !matches!(kind, BlockKind::ListItem { .. }) {
                    self.notes_out();
                    self.end_lists();
                }
                self.b.push(kind, &lines, lead);
            }
            Item::Table(rows) => {
                self.flush();
                self.in_toc = false;
                self.notes_out();
                self.end_lists();
                self.b.push_table(rows);
            }
            Item::Toc { line, title, page } => {
                self.flush();
                self.b.push_toc(&line, title, page);
            }
            Item::Furniture(text) => {
                self.flush();
                self.b.push(BlockKind::Furniture, &[text], None);
            }
        }
    }

    /// Pushes the deferred page breaks and furniture that fall before chunk
    /// line `upto`. Footnotes wait for the end of the chunk, so that a list
    /// they interrupt stays one list.
    fn fire(&mut self, upto: usize) {
        let mut i = 0;
        while i < self.deferred.len() && self.deferred[i].0 <= upto {
            if matches!(self.deferred[i].1, Item::Aside(_)) && upto != usize::MAX {
                i += 1;
                continue;
            }
            match self.deferred.remove(i).1 {
                Item::Page(n) => self.b.start_page(n),
                Item::Furniture(text) => self.b.push(BlockKind::Furniture, &[text], None),
                Item::Aside(lines) => self.note(lines),
                _ => {}
            }
        }
    }

    /// A blank line ends the chunk in hand, except after a lone numbered line
    /// read by layout: a list set with space between its items ("1." … "2.")
    /// is one list, which the next line tells.
    fn paragraph_break(&mut self) {
        let lone_number = self.reading == Reading::Layout
            && self.chunk.len() == 1
            && self.chunk[0].1.heading_level.is_none()
            && ENUM_ITEM.is_match(self.chunk[0].0.trim_start())
            // (a contents entry's leaders say it is no item)
            && !TOC_LEADERS.is_match(self.chunk[0].0.trim_end());
        if lone_number {
            self.numbered_gap = true;
        } else {
            self.flush();
        }
    }

    /// The line carries the number after the lone numbered line in hand.
    fn numbers_on(&self, line: &str, hint: &LineHint) -> bool {
        let number = |l: &str| {
            ENUM_ITEM
                .captures(l.trim_start())
                .map(|c| c["m"].to_string())
        };
        hint.heading_level.is_none()
            && self
                .chunk
                .first()
                .and_then(|(l, _)| number(l))
                .and_then(|m| successor(&m))
                == number(line)
    }

    /// A list's numbering goes on from the item pushed last, or from an open
    /// list the items since were nested in ("3." after "2."), so a lone
    /// numbered line is its next item, not a heading.
    fn numbering_goes_on(&self, marker: &str) -> bool {
        let next = |m: Option<&str>| m.and_then(successor).is_some_and(|m| m == marker);
        self.reading == Reading::Layout
            && (next(self.last_marker.as_deref())
                || self.levels.iter().any(|l| next(l.last.as_deref())))
    }

    /// A line on a new page that sets on at the text edge of the list item
    /// the page cut: its continuation, whatever its first letter.
    fn hangs_under_item(&self, line: &str, hint: &LineHint) -> bool {
        let Some(e) = hint.edge.filter(|_| self.reading == Reading::Layout) else {
            return false;
        };
        if opens_item(line) {
            return false;
        }
        let item = self
            .chunk
            .iter()
            .rev()
            .find(|(l, _)| opens_item(l))
            .and_then(|(_, h)| h.edge);
        item.is_some_and(|i| (e.left - i.text).abs() <= SAME_EDGE)
    }

    /// The depth of a list item whose marker line starts at `at`: the level
    /// of the open list at that edge with that marker style, a new level
    /// further in, or, at an open level's edge with another style, a list
    /// nested in it ("a)" items under "1.", set at the same edge). A marker
    /// beyond the reach of nesting starts the lists anew.
    fn depth_at(&mut self, at: Edge, marker: &str) -> u8 {
        let (left, style) = (at.left, marker_style(marker));
        if self
            .levels
            .last()
            .is_some_and(|l| left > l.text + NEST_REACH)
        {
            self.levels.clear();
        }
        while self
            .levels
            .last()
            .is_some_and(|l| l.left > left + SAME_EDGE)
        {
            self.levels.pop();
        }
        let same = |l: &Level| (l.left - left).abs() <= SAME_EDGE && l.style == style;
        if let Some(k) = self.levels.iter().rposition(same) {
            self.levels.truncate(k + 1);
        } else {
            self.levels.push(Level {
                left,
                text: at.text,
                style,
                hangs: None,
                last: None,
            });
        }
        (self.levels.len() - 1) as u8
    }

    /// Whether a line without a marker goes on with the list item above it.
    /// Where the page says where lines start, a wrapped line further in than
    /// the marker goes on. A line back at the marker's edge goes on in lists
    /// set flush (no hanging indent), which their wrapped lines show; in a
    /// list whose wrapped lines hang it ends the list, unless it carries on
    /// a sentence in lower case; before either is known, it goes on only an
    /// item whose sentence is unfinished (a title over its explanation). A
    /// line out past the marker, towards the margin, goes on only as a
    /// sentence in lower case. Text without positions goes on, as
    /// Markdown's lazy continuation does.
    fn carries_on(&mut self, item: &OpenItem, hint: &LineHint, line: &str) -> bool {
        let (Reading::Layout, Some(at), Some(e)) = (self.reading, item.edge, hint.edge) else {
            return true;
        };
        let unfinished = item
            .lines
            .last()
            .is_some_and(|l| !l.trim_end().ends_with(['.', ':', '!', '?', ';']));
        let level = self.levels.get_mut(item.depth as usize);
        if e.left > at.left + SAME_EDGE {
            if let Some(l) = level.filter(|_| (e.left - at.text).abs() <= SAME_EDGE) {
                l.hangs = Some(true);
            }
            return true;
        }
        // A line out past the marker, towards the margin, is no wrapped
        // line of an item in any way lists are set: a sentence in lower
        // case carries on (a first-line indent), anything else is the text
        // after the list (its explanation, where no typeface tells the item
        // apart: a scan).
        if e.left < at.left - SAME_EDGE {
            return goes_on(line) && unfinished;
        }
        let hangs = level.as_ref().and_then(|l| l.hangs);
        let goes = match hangs {
            Some(true) => goes_on(line) && unfinished,
            Some(false) => true,
            None => unfinished,
        };
        if let (Some(l), true) = (level, goes && (e.left - at.left).abs() <= SAME_EDGE) {
            l.hangs.get_or_insert(false);
        }
        goes
    }

    /// A footnote: a paragraph of its own, held back while a list read by
    /// layout may go on past it.
    fn note(&mut self, lines: Vec<String>) {
        if self.reading == Reading::Layout && self.last_marker.is_some() {
            self.notes.push(lines);
        } else {
            self.b.push(BlockKind::Paragraph, &lines, None);
        }
    }

    fn notes_out(&mut self) {
        for lines in std::mem::take(&mut self.notes) {
            self.b.push(BlockKind::Paragraph, &lines, None);
        }
    }

    /// Where a typed line starts, in character cells (ten to a cell, so that
    /// one space is within [`SAME_EDGE`] and two are not, as Markdown nests):
    /// plain text read by layout states its indents in spaces.
    fn typed_edge(&self, indent: usize, trimmed: &str) -> Option<Edge> {
        if self.reading != Reading::Layout {
            return None;
        }
        let marker = trimmed
            .split_whitespace()
            .next()
            .map_or(0, |m| m.chars().count());
        let gap = trimmed[trimmed.find(char::is_whitespace).unwrap_or(trimmed.len())..]
            .chars()
            .take_while(|c| c.is_whitespace())
            .count();
        let cells = |n: usize| (n * 10).min(i32::MAX as usize) as i32;
        Some(Edge {
            left: cells(indent),
            text: cells(indent + marker + gap),
        })
    }

    /// A heading, a table or text back at the margin closes the lists.
    fn end_lists(&mut self) {
        self.levels.clear();
        self.last_marker = None;
    }

    /// Ends the text in hand and lets the held page breaks and furniture through.
    fn release(&mut self) {
        self.flush();
        for h in std::mem::take(&mut self.held) {
            self.item(h);
        }
    }

    /// The text in hand stops mid-sentence: its last line is body text that
    /// does not end a sentence.
    fn unfinished(&self) -> bool {
        self.chunk.last().is_some_and(|(l, hint)| {
            let t = l.trim_end();
            hint.heading_level.is_none()
                && !t.contains('\t')
                && !t.ends_with(['.', ':', '!', '?', ';', '»', '"', ')'])
                && !self.in_toc
        })
    }

    fn flush(&mut self) {
        let chunk = std::mem::take(&mut self.chunk);
        if chunk.is_empty() {
            return;
        }
        // A run of dot-leader lines is a table of contents even without its heading.
        let leaders = chunk
            .iter()
            .filter(|(l, _)| TOC_LEADERS.is_match(l.trim_end()))
            .count();
        if leaders >= 3 && leaders * 2 >= chunk.len() {
            self.in_toc = true;
        }
        let mut open = Open::default();
        let mut i = 0;
        while i < chunk.len() {
            self.pos = i;
            if open.is_empty() {
                self.fire(i);
            }
            i = self.chunk_line(&chunk, i, &mut open);
        }
        self.pos = chunk.len();
        self.close(&mut open);
        self.fire(usize::MAX);
    }

    /// Reads chunk line `i` into the blocks in hand; returns the next line's index.
    fn chunk_line(&mut self, chunk: &[(String, LineHint)], i: usize, open: &mut Open) -> usize {
        let (line, hint) = &chunk[i];
        let t = line.trim_end_matches([' ', '\r', '\u{a0}']);
        if TOC_HEADING.is_match(t.trim()) {
            self.close(open);
            self.heading(1, None, t.trim());
            self.in_toc = true;
            return i + 1;
        }
        if self.in_toc {
            if let Some(used) = self.toc_line(t, chunk.get(i + 1).map(|(l, _)| l.trim())) {
                return i + used;
            }
        }
        if t.contains('\t') {
            self.emit_paragraph(&mut open.paragraph);
            self.emit_list(&mut open.list);
            open.table
                .push(t.split('\t').map(|c| strip_markdown(c.trim())).collect());
            return i + 1;
        }
        self.emit_table(&mut open.table);
        let trimmed = t.trim_start();
        if let Some(level) = hint.heading_level {
            self.emit_paragraph(&mut open.paragraph);
            self.emit_list(&mut open.list);
            // The genre's words rank a heading more surely than its type size:
            // a "Delmål" heading sits above its "Tiltak" whatever their fonts.
            let level = if KEYWORD_HEADING.is_match(trimmed) {
                heading_of(trimmed).map_or(level, |(l, _)| l)
            } else {
                level
            };
            let number = heading_of(trimmed).and_then(|(_, n)| n);
            self.heading(level, number, trimmed);
            return i + 1;
        }
        let indent = t.len() - trimmed.len();
        if self.list_line(trimmed, indent, hint, chunk.len(), open) {
            return i + 1;
        }
        // A contents entry set apart (its leaders and page say so) heads
        // nothing here: it is read as an entry.
        if chunk.len() == 1 && self.reading == Reading::Layout && TOC_LEADERS.is_match(trimmed) {
            if let Some((title, page)) = toc_entry(trimmed) {
                self.b.push_toc(trimmed, strip_markdown(&title), Some(page));
                return i + 1;
            }
        }
        if chunk.len() == 1 {
            if let Some((level, number)) = heading_of(trimmed) {
                self.heading(level, number, trimmed);
                return i + 1;
            }
        }
        if open.paragraph.is_empty()
            && hint.emphasised
            && i + 1 < chunk.len()
            && heading_of(trimmed).is_some()
        {
            // A bold first line of a chunk heads what follows it.
            let (level, number) = heading_of(trimmed).unwrap_or((3, None));
            self.heading(level.max(3), number, trimmed);
            return i + 1;
        }
        // Text back at the margin of the lists above ends them.
        let edge = hint.edge.or_else(|| self.typed_edge(indent, trimmed));
        if let (Some(e), Some(outer)) = (edge, self.levels.first()) {
            if e.left <= outer.left + SAME_EDGE {
                self.end_lists();
            }
        }
        open.paragraph.push(strip_markdown(trimmed));
        i + 1
    }

    /// A contents entry (one line, or one too long for a line and the next):
    /// how many lines it took; `None` ends the contents.
    fn toc_line(&mut self, t: &str, next: Option<&str>) -> Option<usize> {
        if let Some((title, page)) = toc_entry(t) {
            self.b.push_toc(t, strip_markdown(&title), Some(page));
            return Some(1);
        }
        // An entry too long for one line goes on with its leaders and page.
        if let Some(next) = next {
            let joined = format!("{} {next}", t.trim());
            if let Some((title, page)) = toc_entry(&joined) {
                self.b.push_toc(&joined, strip_markdown(&title), Some(page));
                return Some(2);
            }
        }
        self.in_toc = false;
        None
    }

    /// A line that opens a list item or carries one on; false when it does neither.
    fn list_line(
        &mut self,
        trimmed: &str,
        indent: usize,
        hint: &LineHint,
        chunk_len: usize,
        open: &mut Open,
    ) -> bool {
        let marker = BULLET
            .captures(trimmed)
            .map(|c| (c["m"].to_string(), c["rest"].to_string()))
            .or_else(|| {
                // An enumeration needs company: "1." alone on a one-line chunk
                // is a heading, unless it numbers on from the list above.
                ENUM_ITEM
                    .captures(trimmed)
                    .filter(|c| {
                        chunk_len > 1
                            || (self.numbering_goes_on(&c["m"]) && !TOC_LEADERS.is_match(trimmed))
                    })
                    .map(|c| (c["m"].to_string(), c["rest"].to_string()))
            });
        let Some((m, rest)) = marker else {
            let Some(item) = open.list.as_mut() else {
                return false;
            };
            if self.carries_on(item, hint, trimmed) {
                item.lines.push(strip_markdown(trimmed));
                return true;
            }
            self.emit_list(&mut open.list);
            return false;
        };
        self.emit_paragraph(&mut open.paragraph);
        self.emit_list(&mut open.list);
        let (lead, rest) = match BOLD_LEAD.captures(&rest) {
            Some(c) => (Some(c["lead"].trim().to_string()), c["rest"].to_string()),
            None => (None, rest),
        };
        let first = match &lead {
            Some(l) if rest.trim().is_empty() => l.clone(),
            Some(l) if rest.starts_with([',', '.', ':', ';', ')']) => format!("{l}{rest}"),
            Some(l) => format!("{l} {rest}"),
            None => rest,
        };
        let edge = hint.edge.filter(|_| self.reading == Reading::Layout);
        let depth = match edge.or_else(|| self.typed_edge(indent, trimmed)) {
            Some(e) => self.depth_at(e, &m),
            None => (indent / 2).min(u8::MAX.into()) as u8,
        };
        open.list = Some(OpenItem {
            marker: m,
            depth,
            lines: vec![strip_markdown(&first)],
            lead: lead.map(|l| strip_markdown(&l)),
            edge,
        });
        true
    }

    fn heading(&mut self, level: u8, number: Option<String>, text: &str) {
        self.notes_out();
        self.end_lists();
        self.b.push(
            BlockKind::Heading { level, number },
            &[strip_markdown(text)],
            None,
        );
    }

    fn close(&mut self, open: &mut Open) {
        self.emit_paragraph(&mut open.paragraph);
        self.emit_list(&mut open.list);
        self.emit_table(&mut open.table);
    }

    fn emit_paragraph(&mut self, p: &mut Vec<String>) {
        if !p.is_empty() {
            // "**Næringshage Nord.** Hagen har …": a run-in heading.
            let lead = BOLD_LEAD
                .captures(&p[0])
                .filter(|c| !c["rest"].trim().is_empty() || p.len() > 1)
                .map(|c| strip_markdown(c["lead"].trim()));
            strip_emphasis_across(p);
            self.notes_out();
            self.b.push(BlockKind::Paragraph, p, lead);
            p.clear();
            self.last_marker = None;
            self.fire(self.pos);
        }
    }

    fn emit_list(&mut self, l: &mut Option<OpenItem>) {
        let Some(mut item) = l.take() else {
            return;
        };
        strip_emphasis_across(&mut item.lines);
        let kind = BlockKind::ListItem {
            marker: item.marker.clone(),
            depth: item.depth,
        };
        match inline_items(&item.marker, &crate::model::join_lines(&item.lines)) {
            Some(parts) => {
                for p in parts {
                    self.b.push(kind.clone(), &[p], None);
                }
            }
            None => self.b.push(kind, &item.lines, item.lead),
        }
        if let Some(level) = self.levels.get_mut(item.depth as usize) {
            level.last = Some(item.marker.clone());
        }
        self.last_marker = Some(item.marker);
        self.fire(self.pos);
    }

    fn emit_table(&mut self, t: &mut Vec<Vec<String>>) {
        if !t.is_empty() {
            let rows = std::mem::take(t).into_iter().map(TableRow::plain).collect();
            self.notes_out();
            self.b.push_table(rows);
            self.end_lists();
            self.fire(self.pos);
        }
    }
}

/// The blocks a chunk is being cut into: the paragraph, list item and table
/// rows in hand.
#[derive(Default)]
struct Open {
    paragraph: Vec<String>,
    list: Option<OpenItem>,
    table: Vec<Vec<String>>,
}

impl Open {
    fn is_empty(&self) -> bool {
        self.paragraph.is_empty() && self.list.is_none() && self.table.is_empty()
    }
}

/// The marker after `m` in its numbering: "2." after "1.", "b)" after "a)".
fn successor(m: &str) -> Option<String> {
    let punct = m.chars().last().filter(|c| matches!(c, '.' | ')'))?;
    let body = &m[..m.len() - 1];
    if let Ok(n) = body.parse::<u32>() {
        return Some(format!("{}{punct}", n + 1));
    }
    let mut chars = body.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) if c.is_ascii_lowercase() && c != 'z' => {
            Some(format!("{}{punct}", (c as u8 + 1) as char))
        }
        _ => None,
    }
}

/// What a marker looks like, numbers aside: "1." and "12." are one style,
/// "a)" and "b)" another, each bullet its own.
fn marker_style(m: &str) -> String {
    m.chars()
        .map(|c| match c {
            '0'..='9' => '1',
            c if c.is_lowercase() => 'a',
            c if c.is_uppercase() => 'A',
            c => c,
        })
        .fold(String::new(), |mut s, c| {
            if !(c == '1' && s.ends_with('1')) {
                s.push(c);
            }
            s
        })
}

#[cfg(test)]
mod tests {
    #[test]
    fn items_typed_in_one_line_are_split() {
        assert_eq!(
            super::inline_items("•", "Næringshagen• Studiesenteret Finnsnes• Husbanken"),
            Some(vec![
                "Næringshagen".into(),
                "Studiesenteret Finnsnes".into(),
                "Husbanken".into()
            ])
        );
        assert_eq!(
            super::inline_items("-", "Møt Midt-Troms 22.05 - Arbeidslivsdagen - Foredrag"),
            Some(vec![
                "Møt Midt-Troms 22.05".into(),
                "Arbeidslivsdagen".into(),
                "Foredrag".into()
            ])
        );
        assert_eq!(super::inline_items("-", "helse - og omsorg"), None);
        assert_eq!(
            super::inline_items("-", "«Tett på» - Regional utvikling"),
            None
        );
        assert_eq!(super::inline_items("•", "ett punkt"), None);
    }

    #[test]
    fn emphasis_over_wrapped_lines_is_markup() {
        let mut l = vec![
            "*Desentralisert ordning".to_string(),
            "(Fagfornyelsen)*".to_string(),
        ];
        super::strip_emphasis_across(&mut l);
        assert_eq!(l, ["Desentralisert ordning", "(Fagfornyelsen)"]);
        let mut kept = vec!["*merket".to_string(), "og *her*".to_string()];
        super::strip_emphasis_across(&mut kept);
        assert_eq!(kept[0], "*merket");
    }

    use super::*;
    use crate::model::{Document, Format};

    #[test]
    fn a_sentence_broken_by_a_page_is_one_block_and_the_next_page_starts_after_it() {
        let mut b = DocumentBuilder::new(Format::Pdf);
        let items = vec![
            Item::Page(Some(1)),
            Item::line("Delmål:"),
            Item::Blank,
            Item::line("1. Rekruttering av arbeidskraft. Det jobbes i forhold til"),
            Item::Furniture("Side 1 av 5".into()),
            Item::Blank,
            Item::Page(Some(2)),
            Item::Furniture("Årlig rapport".into()),
            Item::line("rekruttering til ledige stillinger."),
            Item::line("2. Mer varig bosetting."),
            Item::Blank,
            Item::line("Et avsnitt som slutter her."),
            Item::Furniture("Side 2 av 5".into()),
            Item::Page(Some(3)),
            Item::line("ny side, men forrige setning var ferdig."),
        ];
        segment(items, &mut b);
        let d = b.finish();
        let seen: Vec<(Option<u32>, &str)> = d
            .pages
            .iter()
            .flat_map(|p| p.blocks.iter().map(move |b| (p.number, b.text.as_str())))
            .collect();
        assert_eq!(
            seen,
            vec![
                (Some(1), "Delmål:"),
                (
                    Some(1),
                    "Rekruttering av arbeidskraft. Det jobbes i forhold til rekruttering til ledige stillinger."
                ),
                (Some(1), "Side 1 av 5"),
                (Some(2), "Årlig rapport"),
                (Some(2), "Mer varig bosetting."),
                (Some(2), "Et avsnitt som slutter her."),
                (Some(2), "Side 2 av 5"),
                (Some(3), "ny side, men forrige setning var ferdig."),
            ]
        );
    }

    fn run(text: &str) -> Document {
        let mut b = DocumentBuilder::new(Format::Text);
        segment(text.lines().map(Item::line).collect(), &mut b);
        b.finish()
    }

    fn kinds(d: &Document) -> Vec<String> {
        d.blocks()
            .map(|b| match &b.kind {
                BlockKind::Heading { level, number } => format!(
                    "H{level}{}:{}",
                    number
                        .as_deref()
                        .map(|n| format!("[{n}]"))
                        .unwrap_or_default(),
                    b.text
                ),
                BlockKind::Paragraph => format!("P:{}", b.text),
                BlockKind::ListItem { marker, .. } => format!("L{marker}:{}", b.text),
                BlockKind::Table(t) => format!("T{}x{}", t.rows.len(), t.width()),
                BlockKind::Furniture => "F".into(),
            })
            .collect()
    }

    #[test]
    fn headings_by_number_keyword_and_shape() {
        let d = run("1. Introduksjon\n\nKommunene har inngått avtale.\n\nDelmål 1 Øke rekruttering\n\nTiltak 3: Brobygger\n\n4.0 Strategi for helse\n\n3.2 Visjon\n\nHva kan vi lære?\n");
        assert_eq!(
            kinds(&d),
            vec![
                "H1[1]:1. Introduksjon",
                "P:Kommunene har inngått avtale.",
                "H2[Delmål 1]:Delmål 1 Øke rekruttering",
                "H3[Tiltak 3]:Tiltak 3: Brobygger",
                "H1[4.0]:4.0 Strategi for helse",
                "H2[3.2]:3.2 Visjon",
                "H2:Hva kan vi lære?"
            ]
        );
    }

    #[test]
    fn lists_with_bold_lead_ins_and_continuations() {
        let d = run("- **Digital kompetanse**\nHindre digitalt utenforskap.\n- **Frivillighet**\nHelhetlig satsing.\n");
        assert_eq!(
            kinds(&d),
            vec![
                "L-:Digital kompetanse Hindre digitalt utenforskap.",
                "L-:Frivillighet Helhetlig satsing."
            ]
        );
        let leads: Vec<_> = d.blocks().map(|b| b.lead.clone()).collect();
        assert_eq!(
            leads,
            vec![
                Some("Digital kompetanse".to_string()),
                Some("Frivillighet".to_string())
            ]
        );
    }

    #[test]
    fn numbered_enumeration_is_a_list() {
        let d = run("1. Øke rekruttering\n2. Øke tilgang til utdanning\n3. Utvikle fellesskap\n");
        assert_eq!(kinds(&d).len(), 3);
        assert!(kinds(&d).iter().all(|k| k.starts_with("L")));
    }

    #[test]
    fn tab_rows_make_one_table_with_blanks_kept() {
        let d = run("Delmål\tTiltak\tBeløp\nDelmål 1:\tRekruttering\t\n\t1. Omdømmebygging\t500 000 kr\nTil sammen\t\t1 900 000 kr\n");
        let (_, t) = d.tables().next().unwrap();
        assert_eq!(t.rows.len(), 4);
        assert_eq!(
            t.rows[1].texts().collect::<Vec<_>>(),
            vec!["Delmål 1:", "Rekruttering", ""]
        );
        assert_eq!(
            t.rows[3].texts().collect::<Vec<_>>(),
            vec!["Til sammen", "", "1 900 000 kr"]
        );
    }

    #[test]
    fn table_of_contents_is_kept_apart() {
        let d = run("Innholdsfortegnelse\n\n1. Introduksjon.....\t4\n2. Rammer for handlingsplanen\t4\nTiltak 1 Omdømmebygging\t9\n\n1. Introduksjon\n\nTekst her.\n");
        assert_eq!(
            d.toc
                .iter()
                .map(|t| (t.title.as_str(), t.page))
                .collect::<Vec<_>>(),
            vec![
                ("1. Introduksjon", Some(4)),
                ("2. Rammer for handlingsplanen", Some(4)),
                ("Tiltak 1 Omdømmebygging", Some(9))
            ]
        );
        assert_eq!(
            kinds(&d),
            vec![
                "H1:Innholdsfortegnelse",
                "H1[1]:1. Introduksjon",
                "P:Tekst her."
            ]
        );
    }

    #[test]
    fn sentences_are_not_headings() {
        assert!(heading_of(
            "Det settes av 500 000 kr til tiltaket, og det er et mål å søke midler."
        )
        .is_none());
        assert!(heading_of("Til sammen settes det av 1 800 000 kr til dette tiltaket.").is_none());
    }

    /// A line of an untagged page starting at `left` (points), its text after
    /// a marker at `text`.
    fn at(left: i32, text: i32, line: &str) -> Item {
        Item::Line {
            text: line.into(),
            hint: LineHint {
                edge: Some(Edge {
                    left: left * 10,
                    text: text * 10,
                }),
                ..LineHint::default()
            },
        }
    }

    fn laid_out(items: Vec<Item>) -> Document {
        let mut b = DocumentBuilder::new(Format::Pdf);
        segment_layout(items, &mut b);
        b.finish()
    }

    fn depths(d: &Document) -> Vec<String> {
        d.blocks()
            .map(|b| match &b.kind {
                BlockKind::ListItem { depth, .. } => format!("L{depth}:{}", b.text),
                _ => kinds_of(b),
            })
            .collect()
    }

    fn kinds_of(b: &crate::model::Block) -> String {
        match &b.kind {
            BlockKind::Heading { level, .. } => format!("H{level}:{}", b.text),
            BlockKind::Paragraph => format!("P:{}", b.text),
            _ => format!("?:{}", b.text),
        }
    }

    #[test]
    fn a_wrapped_item_hangs_at_its_text_and_the_margin_ends_the_list() {
        let d = laid_out(vec![
            at(72, 84, "• Videreføre prosjektet i samarbeid med"),
            at(84, 90, "Statsforvalteren i Innlandet."),
            at(72, 84, "• Arrangere en konferanse."),
            at(72, 84, "Tiltakene finansieres over budsjettet."),
        ]);
        assert_eq!(
            depths(&d),
            vec![
                "L0:Videreføre prosjektet i samarbeid med Statsforvalteren i Innlandet.",
                "L0:Arrangere en konferanse.",
                "P:Tiltakene finansieres over budsjettet.",
            ]
        );
    }

    #[test]
    fn a_list_set_flush_keeps_the_explanation_under_its_title() {
        // No hanging indent: the explanation starts at the number's edge.
        let d = laid_out(vec![
            at(60, 70, "1. Avklar oppgaver før struktur"),
            at(60, 70, "Stortinget må definere oppgavene."),
            at(60, 70, "2. Revider regelverket"),
            at(60, 70, "Rettighetene må gjennomgås."),
        ]);
        assert_eq!(
            depths(&d),
            vec![
                "L0:Avklar oppgaver før struktur Stortinget må definere oppgavene.",
                "L0:Revider regelverket Rettighetene må gjennomgås.",
            ]
        );
    }

    #[test]
    fn a_line_out_past_the_marker_ends_a_title_item_unless_it_goes_on_in_lower_case() {
        // Titles in bullets over explanations set at the margin, left of
        // the bullets (as a scan gives them: no typeface sets them apart).
        let d = laid_out(vec![
            at(62, 75, "• Strategi for fleksibel høyere utdanning"),
            at(50, 50, "Øke tilgangen til fleksible tilbud på fagskole."),
            at(62, 75, "• Digital kompetanse"),
            at(50, 50, "Hindre digitalt utenforskap."),
            at(62, 75, "• Styrke samarbeidet mellom kommunene og"),
            at(50, 50, "fylkeskommunen om bolig."),
        ]);
        assert_eq!(
            depths(&d),
            vec![
                "L0:Strategi for fleksibel høyere utdanning",
                "P:Øke tilgangen til fleksible tilbud på fagskole.",
                "L0:Digital kompetanse",
                "P:Hindre digitalt utenforskap.",
                "L0:Styrke samarbeidet mellom kommunene og fylkeskommunen om bolig.",
            ]
        );
    }

    #[test]
    fn a_deeper_marker_nests_and_the_outer_edge_returns() {
        let d = laid_out(vec![
            at(72, 84, "• Utvikle en portal:"),
            at(96, 106, "– kartlegge boliger;"),
            at(96, 106, "– samarbeide med Husbanken."),
            at(72, 84, "• Arrangere en konferanse."),
            Item::Blank,
            at(72, 84, "1. Første punkt,"),
            at(72, 84, "a) som har et underpunkt."),
            at(72, 84, "2. Andre punkt."),
        ]);
        assert_eq!(
            depths(&d),
            vec![
                "L0:Utvikle en portal:",
                "L1:kartlegge boliger;",
                "L1:samarbeide med Husbanken.",
                "L0:Arrangere en konferanse.",
                // Another marker at the same edge is a list inside the item.
                "L1:Første punkt,",
                "L2:som har et underpunkt.",
                "L1:Andre punkt.",
            ]
        );
    }

    #[test]
    fn numbered_items_set_apart_stay_one_list_but_a_lone_number_heads() {
        let d = laid_out(vec![
            at(72, 90, "1. Opprette et forum."),
            Item::Blank,
            at(72, 90, "2. Styrke fagbrev på jobb."),
            Item::Blank,
            at(72, 90, "3. Øke talet på lærlingar."),
            Item::Blank,
            at(72, 90, "Avsnitt etter lista."),
            Item::Blank,
            at(72, 90, "4. Innledning"),
            Item::Blank,
            at(72, 90, "Tekst under overskriften."),
        ]);
        assert_eq!(
            depths(&d),
            vec![
                "L0:Opprette et forum.",
                "L0:Styrke fagbrev på jobb.",
                "L0:Øke talet på lærlingar.",
                "P:Avsnitt etter lista.",
                "H1:4. Innledning",
                "P:Tekst under overskriften.",
            ]
        );
        // Text with its structure stated keeps the old reading.
        let mut b = DocumentBuilder::new(Format::Text);
        segment(
            vec![
                Item::line("1. Et punkt."),
                Item::Blank,
                Item::line("2. Et til."),
            ],
            &mut b,
        );
        assert!(b
            .finish()
            .blocks()
            .all(|b| !matches!(b.kind, BlockKind::ListItem { .. })));
    }

    #[test]
    fn an_item_cut_by_a_page_goes_on_past_its_notes_at_its_text_edge() {
        let d = laid_out(vec![
            Item::Page(Some(1)),
            at(72, 90, "3. Auke talet på lærlingplassar i samarbeid med"),
            Item::Furniture("1".into()),
            Item::Aside(vec!["1 Sjå utvalet (2024).".into()]),
            Item::Page(Some(2)),
            Item::Furniture("Handlingsprogram".into()),
            at(90, 96, "NAV og skulane."),
            Item::Blank,
            at(72, 90, "4. Utvikle ei ordning."),
            Item::Blank,
            at(72, 90, "Økonomi"),
        ]);
        assert_eq!(
            depths(&d),
            vec![
                "L0:Auke talet på lærlingplassar i samarbeid med NAV og skulane.",
                "L0:Utvikle ei ordning.",
                // The note waits until the list has ended.
                "P:1 Sjå utvalet (2024).",
                "H2:Økonomi",
            ]
        );
        // At the marker's edge and in upper case, the next page starts anew.
        let d = laid_out(vec![
            at(72, 90, "3. Auke talet på lærlingplassar i samarbeid med"),
            Item::Furniture("1".into()),
            Item::Page(Some(2)),
            at(72, 90, "Neste avsnitt handlar om noko anna."),
        ]);
        assert_eq!(
            d.blocks()
                .filter(|b| b.kind == BlockKind::Paragraph)
                .count(),
            1
        );
    }

    #[test]
    fn numbering_and_marker_styles() {
        assert_eq!(successor("1.").as_deref(), Some("2."));
        assert_eq!(successor("9)").as_deref(), Some("10)"));
        assert_eq!(successor("a)").as_deref(), Some("b)"));
        assert_eq!(successor("•"), None);
        assert_eq!(marker_style("12."), marker_style("3."));
        assert_ne!(marker_style("1."), marker_style("1)"));
        assert_ne!(marker_style("a)"), marker_style("1)"));
    }

    #[test]
    fn typed_indents_nest_by_their_order_not_their_width() {
        let mut b = DocumentBuilder::new(Format::Text);
        let text = "•   Videreutvikle næringshagen med\n    kontorplasser.\n    o   Utvide med ti plasser.\n    ○   Tilby rådgivning.\n•   Arrangere kurs.\n";
        segment_layout(text.lines().map(Item::line).collect(), &mut b);
        assert_eq!(
            depths(&b.finish()),
            vec![
                "L0:Videreutvikle næringshagen med kontorplasser.",
                "L1:Utvide med ti plasser.",
                // Another bullet at the same indent: a list inside the one above.
                "L2:Tilby rådgivning.",
                "L0:Arrangere kurs.",
            ]
        );
    }

    #[test]
    fn numbering_resumes_after_a_nested_list_and_a_page() {
        let mut b = DocumentBuilder::new(Format::Text);
        let mut items: Vec<Item> = "1) Byggje turstiar.\n2) Opne hallane.\n    - Frå hausten.\n"
            .lines()
            .map(Item::line)
            .collect();
        items.extend([
            Item::Page(Some(2)),
            Item::line("3) Etablere aktivitetsvenner."),
            Item::Blank,
            Item::line("Oppfølging"),
        ]);
        segment_layout(items, &mut b);
        assert_eq!(
            depths(&b.finish()),
            vec![
                "L0:Byggje turstiar.",
                "L0:Opne hallane.",
                "L1:Frå hausten.",
                "L0:Etablere aktivitetsvenner.",
                "H2:Oppfølging",
            ]
        );
    }

    #[test]
    fn a_marker_far_right_of_the_list_starts_a_list_in_another_column() {
        let d = laid_out(vec![
            at(72, 84, "• Første tiltak i venstre spalte."),
            at(96, 106, "– et underpunkt."),
            Item::Blank,
            at(310, 322, "• Første tiltak i høyre spalte."),
            at(334, 344, "– et underpunkt der."),
        ]);
        assert_eq!(
            depths(&d),
            vec![
                "L0:Første tiltak i venstre spalte.",
                "L1:et underpunkt.",
                "L0:Første tiltak i høyre spalte.",
                "L1:et underpunkt der.",
            ]
        );
    }
}

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
    Regex::new(r"^(?P<title>\S.*?)(?:\s*(?:\.{2,}|…+|·{2,})\s*\t?\s*|\s*\t\s*)(?P<page>\d{1,4})$")
        .unwrap()
});
static TOC_LEADERS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:\.{3,}|…+)\s*\d{1,4}$").unwrap());
static BULLET: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?P<m>[•▪◦●○■□–\-*·➢►✓])\s+(?P<rest>\S.*)$").unwrap());
static ENUM_ITEM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?P<m>(?:\d{1,2}|[a-zæøå]|[ivx]{1,4})[.)])\s+(?P<rest>\S.*)$").unwrap()
});
static NUMBERED_HEADING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?P<n>\d{1,2}(?:\.\d{1,2}){0,3})\.?\s+(?P<rest>[A-ZÆØÅ«\x22].*)$").unwrap()
});
static KEYWORD_HEADING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?P<kw>hovedmål|hovudmål|delmål|innsatsområde|satsingsområde|satsingsområde|fokusområde|tiltak|aktivitet|vedlegg|kapittel)\s*(?P<n>\d{1,2}(?:\.\d{1,2})?)?\s*[:.\-–]?\s*(?P<rest>.*)$").unwrap()
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

struct Segmenter<'a> {
    b: &'a mut DocumentBuilder,
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

/// Turns items into blocks on the builder.
pub fn segment(mut items: Vec<Item>, b: &mut DocumentBuilder) {
    drop_site_noise(&mut items, b);
    let mut s = Segmenter {
        b,
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
}

impl Segmenter<'_> {
    fn item(&mut self, item: Item) {
        if !self.held.is_empty() {
            match item {
                Item::Furniture(_) | Item::Page(_) | Item::Aside(_) => {
                    self.held.push(item);
                    return;
                }
                // The gap a page break leaves is not a paragraph break.
                Item::Blank => return,
                Item::Line { text, hint } if hint.heading_level.is_none() && goes_on(&text) => {
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
                    self.flush();
                } else {
                    self.chunk.push((text, hint));
                }
            }
            Item::Blank => self.flush(),
            Item::Page(_) | Item::Furniture(_) | Item::Aside(_) if self.unfinished() => {
                self.held.push(item)
            }
            Item::Aside(lines) => {
                self.flush();
                self.b.push(BlockKind::Paragraph, &lines, None);
            }
            Item::Page(n) => {
                self.flush();
                self.b.start_page(n);
            }
            Item::Block { kind, lines, lead } => {
                self.flush();
                self.in_toc = false;
                self.b.push(kind, &lines, lead);
            }
            Item::Table(rows) => {
                self.flush();
                self.in_toc = false;
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
                Item::Aside(lines) => self.b.push(BlockKind::Paragraph, &lines, None),
                _ => {}
            }
        }
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
        let mut i = 0;
        let mut paragraph: Vec<String> = Vec::new();
        let mut list: Option<(String, Vec<String>, Option<String>)> = None;
        let mut table: Vec<Vec<String>> = Vec::new();
        while i < chunk.len() {
            let (line, hint) = &chunk[i];
            self.pos = i;
            if paragraph.is_empty() && list.is_none() && table.is_empty() {
                self.fire(i);
            }
            i += 1;
            let t = line.trim_end_matches([' ', '\r', '\u{a0}']);
            if TOC_HEADING.is_match(t.trim()) {
                self.emit_paragraph(&mut paragraph);
                self.emit_list(&mut list);
                self.emit_table(&mut table);
                self.b.push(
                    BlockKind::Heading {
                        level: 1,
                        number: None,
                    },
                    &[t.trim().to_string()],
                    None,
                );
                self.in_toc = true;
                continue;
            }
            if self.in_toc {
                if let Some((title, page)) = toc_entry(t) {
                    self.b.push_toc(t, strip_markdown(&title), Some(page));
                    continue;
                }
                // An entry too long for one line goes on with its leaders and page.
                if let Some(next) = chunk.get(i).map(|(l, _)| l.trim()) {
                    let joined = format!("{} {next}", t.trim());
                    if let Some((title, page)) = toc_entry(&joined) {
                        i += 1;
                        self.b.push_toc(&joined, strip_markdown(&title), Some(page));
                        continue;
                    }
                }
                self.in_toc = false;
            }
            if t.contains('\t') {
                self.emit_paragraph(&mut paragraph);
                self.emit_list(&mut list);
                table.push(t.split('\t').map(|c| strip_markdown(c.trim())).collect());
                continue;
            }
            self.emit_table(&mut table);
            let trimmed = t.trim_start();
            let indent = (t.len() - trimmed.len()) as u8;
            if let Some(level) = hint.heading_level {
                self.emit_paragraph(&mut paragraph);
                self.emit_list(&mut list);
                // The genre's words rank a heading more surely than its type size:
                // a "Delmål" heading sits above its "Tiltak" whatever their fonts.
                let level = if KEYWORD_HEADING.is_match(trimmed) {
                    heading_of(trimmed).map_or(level, |(l, _)| l)
                } else {
                    level
                };
                let number = heading_of(trimmed).and_then(|(_, n)| n);
                self.b.push(
                    BlockKind::Heading { level, number },
                    &[strip_markdown(trimmed)],
                    None,
                );
                continue;
            }
            let marker = BULLET
                .captures(trimmed)
                .map(|c| (c["m"].to_string(), c["rest"].to_string()))
                .or_else(|| {
                    // An enumeration needs company: "1." alone on a one-line chunk is a heading.
                    (chunk.len() > 1)
                        .then(|| ENUM_ITEM.captures(trimmed))
                        .flatten()
                        .map(|c| (c["m"].to_string(), c["rest"].to_string()))
                });
            if let Some((m, rest)) = marker {
                self.emit_paragraph(&mut paragraph);
                self.emit_list(&mut list);
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
                list = Some((
                    format!("{m}\u{0}{}", indent / 2),
                    vec![strip_markdown(&first)],
                    lead.map(|l| strip_markdown(&l)),
                ));
                continue;
            }
            if let Some((_, lines, _)) = list.as_mut() {
                lines.push(strip_markdown(trimmed));
                continue;
            }
            if chunk.len() == 1 {
                if let Some((level, number)) = heading_of(trimmed) {
                    self.b.push(
                        BlockKind::Heading { level, number },
                        &[strip_markdown(trimmed)],
                        None,
                    );
                    continue;
                }
            }
            if paragraph.is_empty()
                && hint.emphasised
                && i < chunk.len()
                && heading_of(trimmed).is_some()
            {
                // A bold first line of a chunk heads what follows it.
                let (level, number) = heading_of(trimmed).unwrap_or((3, None));
                self.b.push(
                    BlockKind::Heading {
                        level: level.max(3),
                        number,
                    },
                    &[strip_markdown(trimmed)],
                    None,
                );
                continue;
            }
            paragraph.push(strip_markdown(trimmed));
        }
        self.pos = chunk.len();
        self.emit_paragraph(&mut paragraph);
        self.emit_list(&mut list);
        self.emit_table(&mut table);
        self.fire(usize::MAX);
    }

    fn emit_paragraph(&mut self, p: &mut Vec<String>) {
        if !p.is_empty() {
            // "**Næringshage Nord.** Hagen har …": a run-in heading.
            let lead = BOLD_LEAD
                .captures(&p[0])
                .filter(|c| !c["rest"].trim().is_empty() || p.len() > 1)
                .map(|c| strip_markdown(c["lead"].trim()));
            strip_emphasis_across(p);
            self.b.push(BlockKind::Paragraph, p, lead);
            p.clear();
            self.fire(self.pos);
        }
    }

    fn emit_list(&mut self, l: &mut Option<(String, Vec<String>, Option<String>)>) {
        if let Some((m, mut lines, lead)) = l.take() {
            strip_emphasis_across(&mut lines);
            let (marker, depth) = m.split_once('\u{0}').unwrap_or((&m, "0"));
            if let Some(parts) = inline_items(marker, &crate::model::join_lines(&lines)) {
                for p in parts {
                    self.b.push(
                        BlockKind::ListItem {
                            marker: marker.to_string(),
                            depth: depth.parse().unwrap_or(0),
                        },
                        &[p],
                        None,
                    );
                }
                self.fire(self.pos);
                return;
            }
            self.b.push(
                BlockKind::ListItem {
                    marker: marker.to_string(),
                    depth: depth.parse().unwrap_or(0),
                },
                &lines,
                lead,
            );
            self.fire(self.pos);
        }
    }

    fn emit_table(&mut self, t: &mut Vec<Vec<String>>) {
        if !t.is_empty() {
            let rows = std::mem::take(t).into_iter().map(TableRow::plain).collect();
            self.b.push_table(rows);
            self.fire(self.pos);
        }
    }
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
}

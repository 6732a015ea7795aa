//! Document facts: kind, title, date, period.

use std::sync::LazyLock;

use regex::Regex;

use crate::norsk::{Pattern, Patterns};

use super::DocKind;
use crate::model::{BlockKind, Document};
use crate::norsk::{find_dates, PartialDate};

/// "Frist: 30. oktober", "Til: KMD": a form field, not a title. The label
/// is at most 30 characters ([`is_form_field`]): counted after the match, as
/// `{1,30}` of a Unicode class made this the costliest pattern to compile.
static FORM_FIELD: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?P<label>[\p{L} /-]+):\s*\S").unwrap());

/// `^[\p{L} /-]{1,30}:\s*\S`: the label can hold no colon, so it is all the
/// text before the first one, and its length decides.
fn is_form_field(t: &str) -> bool {
    FORM_FIELD
        .captures(t)
        .is_some_and(|c| c["label"].chars().count() <= 30)
}
static DATE_CUE: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(r"(?i)\b(dato|datert|oppdatert|revidert|vedtatt|vedteke|vedteken|vedtak|tilråding|tilrådning|godkjend i statsråd|godkjent i statsråd|høringsdokument|høyringsdokument|versjon|sist endret)\b").unwrap()
});
static PERIOD_CUE: LazyLock<Patterns> = LazyLock::new(|| {
    Patterns::one(r"(?i)(periode|perioden|avtaleperioden|planperioden|gjelde|gjeld|handlingsprogram|handlingsplan|strategi|program)").unwrap()
});

/// What word processors and printers put where a document has no title of its own.
static PLACEHOLDER_TITLE: LazyLock<Patterns> = LazyLock::new(|| {
    Patterns::one(r"(?i)^(dokument[0-9]*|document[0-9]*|untitled|uten tittel|utan tittel|ingen tittel|no title|microsoft word\s*-.*|dokument i microsoft word)$").unwrap()
});

/// The blocks the title is sought in. In a PDF, where heading levels come
/// from type sizes, a letter's first lines are its addressee and case data;
/// its title is the largest heading of the first page when one stands there
/// after them ("Helsereformutvalet" / "4. mai 2026" / … / "Innspel frå …").
fn opening_for_title(doc: &Document) -> impl Iterator<Item = &crate::model::Block> {
    let opening: Vec<&crate::model::Block> = doc.blocks().take(12).collect();
    let paginated = doc.format == crate::model::Format::Pdf;
    let first_text = opening
        .iter()
        .position(|b| matches!(b.kind, BlockKind::Heading { .. } | BlockKind::Paragraph));
    let first_page = first_text.and_then(|t| opening[t].span.page);
    // The largest heading of the first page: a section's numbered heading
    // ("1. Bakgrunn og formål") or a heading on a later page is no title.
    let first_h1 = opening.iter().position(|b| {
        matches!(b.kind, BlockKind::Heading { level: 1, .. })
            && !RECORD_LABEL.is_match(b.text.trim())
            && !SECTION_NUMBER.is_match(b.text.trim())
            && b.span.page == first_page
    });
    let start = match (paginated, first_text, first_h1) {
        (true, Some(t), Some(h))
            if h > t
                && opening[t..h].iter().all(|b| b.text.chars().count() <= 800)
                && !matches!(opening[t].kind, BlockKind::Heading { level: 1, .. }) =>
        {
            h
        }
        _ => 0,
    };
    opening.into_iter().skip(start)
}

/// The paper a session in parentheses belongs to: "Meld. St. 5 (".
static SESSION_OF: LazyLock<Patterns> = LazyLock::new(|| {
    Patterns::one(r"(?i)(?:prop\.|meld\.|innst\.|st\.\s*meld\.|ot\.\s*prp\.)\s*(?:st\.\s*)?[0-9]+\s*[a-z]?\s*\($").unwrap()
});

/// "Prop. 108 L", "Meld. St. 5", "NOU 2023: 4", "(2019–2020)",
/// "Proposisjon til Stortinget (forslag til lovvedtak)", "Melding til Stortinget".
static PAPER_NUMBER: LazyLock<Patterns> = LazyLock::new(|| {
    Patterns::one(r"(?i)^(?:(?:prop\.|meld\.|innst\.|st\.\s*meld\.|ot\.\s*prp\.)\s*(?:st\.\s*)?[0-9]+(?:\s*[a-z])?|nou\s+[0-9]{4}\s*:\s*[0-9]+|\([0-9]{4}\s*[–-]\s*[0-9]{4}\)|(?:proposisjon|melding|innstilling)\s+til\s+stortinget.*)$").unwrap()
});

/// The label of a meeting record or letter type, printed above its title.
static RECORD_LABEL: LazyLock<Patterns> = LazyLock::new(|| {
    Patterns::one(r"(?i)^(saksprotokoll|møteprotokoll|møtebok|særutskrift|saksframlegg|saksframstilling|saksutgreiing|saksutredning|utskrift|protokoll|referat|notat|brev|høringsuttalelse|høyringsuttale|høringssvar|høyringssvar|rapport|sluttrapport|faktaark|innspill|innspel|høringsinnspill|høyringsinnspel)\s*:?$").unwrap()
});

/// A line that is only the name of a public body: "Trøndelag fylkeskommune",
/// "Gloppen kommune", "Nord-Østerdal regionråd", "Kulturdepartementet".
static ISSUER: LazyLock<Patterns> = LazyLock::new(|| {
    Patterns::one(r"^(?:\p{Lu}[\p{L}-]*\s+(?:og\s+)?){0,3}(?:\p{Lu}[\p{L}-]*)?(?i:kommune|fylkeskommune|regionråd|regionrådet|departementet|direktoratet|statsforvaltaren|statsforvalteren|fylkesmannen|sametinget|interkommunale politiske råd)$|^\p{Lu}[\p{L}-]*-\s+og\s+\p{L}+(?:departementet|direktoratet)$").unwrap()
});

/// "1. Bakgrunn", "2.3 Tiltak": a numbered section's heading, which ends the title.
static SECTION_NUMBER: LazyLock<Patterns> =
    LazyLock::new(|| Patterns::one(r"^[0-9]{1,2}(?:\.[0-9]{1,2})*\.?\s+\p{L}").unwrap());

/// The first section of a document's body: its title has ended.
static FIRST_SECTION: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(r"(?i)^(innhold|innholdsfortegnelse|innhaldsliste|innledning|innleiing|bakgrunn|sammendrag|samandrag|oppsummering|forord|føreord|kapittel\s+[0-9]+)\b").unwrap()
});

/// A title line that ends in one of these goes on in the next line.
const LINKING_WORDS: &[&str] = &[
    "av", "for", "i", "og", "til", "med", "om", "på", "fra", "frå", "ved", "mellom", "under",
];

/// `longer` begins with the words of `shorter` ("Handlingsplan 2025", "Handlingsplan").
fn starts_with_words(longer: &str, shorter: &str) -> bool {
    let (l, s) = (longer.to_lowercase(), shorter.to_lowercase());
    l.len() > s.len() && l.starts_with(&s) && l[s.len()..].starts_with(' ')
}

/// The real title: the leading heading-like blocks of the first page, joined.
pub fn title(doc: &Document) -> Option<String> {
    let parts = title_parts(doc);
    if parts.is_empty() {
        return doc
            .metadata_title
            .clone()
            .filter(|t| !PLACEHOLDER_TITLE.is_match(t.trim()) && !stale(doc, t));
    }
    Some(join_title(&parts))
}

/// A title the file's properties carry from another document (a template's,
/// a file name): most of its words are not in the document's opening.
fn stale(doc: &Document, title: &str) -> bool {
    let opening: String = doc
        .blocks()
        .take(40)
        .map(|b| b.text.to_lowercase())
        .collect::<Vec<_>>()
        .join(" ");
    let words: Vec<String> = title
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 4)
        .map(str::to_lowercase)
        .collect();
    let found = words
        .iter()
        .filter(|w| opening.contains(w.as_str()))
        .count();
    words.is_empty() || title.contains(['/', '\\']) || found * 2 < words.len()
}

/// What a line around the title is, when it is not a part of it: a line
/// to pass over (a breadcrumb, a record label, a letterhead, a date or a
/// label above the title) or one that ends the title (an author line, the
/// first section). `started`: a part of the title has been read.
fn around_title(t: &str, started: bool) -> Option<Step> {
    // "Forsiden › Tema › Distriktspolitikk": a web page's breadcrumb.
    if t.matches(['›', '»', '>']).count() >= 2 {
        return Some(Step::Skip);
    }
    // "Saksprotokoll", "Særutskrift": what kind of record, not its title;
    // "Prop. 108 L", "(2019–2020)", "Proposisjon til Stortinget": a white
    // paper's number, session and type, printed above its title.
    if RECORD_LABEL.is_match(t) || PAPER_NUMBER.is_match(t) {
        return Some(Step::Skip);
    }
    // The issuer set above the title ("Trøndelag fylkeskommune") is a
    // letterhead; set below it, an author line: neither is the title.
    if ISSUER.is_match(t) {
        if !started {
            return Some(Step::Skip);
        }
        return Some(Step::Stop);
    }
    if is_form_field(t) && !started {
        return Some(Step::Skip);
    }
    if FIRST_SECTION.is_match(t) || SECTION_NUMBER.is_match(t) {
        return Some(Step::Stop);
    }
    // A line that is only a date ("12.06.2026"), or a correction note
    // above the title ("(Korrigert utgave per 03.04.2024)"), is not a title.
    let dates = find_dates(t);
    let only_date = dates.len() == 1
        && t.split(|c: char| !c.is_alphabetic())
            .filter(|w| !w.is_empty())
            .all(|w| {
                // Besides its figures, a date line has month names and "Dato", "den".
                let w = w.to_lowercase();
                w == "dato" || w == "den" || crate::norsk::month_number(&w).is_some()
            });
    let year_only = t.len() == 4 && t.chars().all(|c| c.is_ascii_digit());
    if !started && (only_date || year_only || t.starts_with('(') && !dates.is_empty()) {
        return Some(Step::Skip);
    }
    // "Dato:", "Vår ref.:": a form's label before its title.
    if !started && t.ends_with(':') && t.split_whitespace().count() <= 3 {
        return Some(Step::Skip);
    }
    None
}

/// What [`around_title`] says of a line.
enum Step {
    Skip,
    Stop,
}

/// The lines of the opening that make up the title, in order (at most
/// three): letterheads, record labels, breadcrumbs and placeholders left out;
/// a sentence, a date line or the contents end it.
fn title_parts(doc: &Document) -> Vec<String> {
    let mut parts: Vec<String> = Vec::new();
    for b in opening_for_title(doc) {
        let t = b.text.trim();
        // Report titles run long; a paragraph that long is prose.
        let limit = if matches!(b.kind, BlockKind::Heading { .. }) {
            200
        } else {
            100
        };
        let short = t.chars().count() <= limit;
        // A subtitle set as "- oppfølging av …" reads as a list item; it still belongs to the title.
        let dash_subtitle = matches!(&b.kind, BlockKind::ListItem { marker, .. } if marker == "-" || marker == "–")
            && !parts.is_empty();
        let is_text_block =
            matches!(b.kind, BlockKind::Heading { .. } | BlockKind::Paragraph) || dash_subtitle;
        // A record's case data ("Arkivsak | …", "Behandlet av | Møtedato") may
        // come before its title.
        if parts.is_empty() && matches!(b.kind, BlockKind::Table(_)) {
            continue;
        }
        if !is_text_block || !short {
            break;
        }
        match around_title(t, !parts.is_empty()) {
            Some(Step::Skip) => continue,
            Some(Step::Stop) => break,
            None => {}
        }
        let dates = find_dates(t);
        let has_date = !dates.is_empty();
        if has_date && (t.starts_with('(') || DATE_CUE.is_match(t) || is_form_field(t)) {
            // "Handlingsplan 2026 … Vedteken 12. mars 2026" in one block: the title
            // is what comes before the date line.
            if let (true, Some(m)) = (parts.is_empty(), DATE_CUE.find(t)) {
                let before = t[..m.start()].trim();
                if before.chars().any(char::is_alphabetic) && !before.ends_with(':') {
                    parts.push(before.to_string());
                }
            }
            break;
        }
        // A sentence, or a line that introduces what follows, is content.
        if is_form_field(t) || t.ends_with(['.', ':']) {
            break;
        }
        // A dated line under the title ("Fylkestinget har behandlet saken i
        // møte 09.06.2026") ends it.
        if !parts.is_empty()
            && find_dates(t)
                .iter()
                .any(|d| d.from.day.is_some() && d.from.year.is_some())
        {
            break;
        }
        // A word processor's placeholder ("Dokument") is no title.
        if parts.is_empty() && PLACEHOLDER_TITLE.is_match(t) {
            continue;
        }
        // A running title repeated by the fuller one below it: "Handlingsplan" / "Handlingsplan 2025".
        if parts.len() == 1 && starts_with_words(t, &parts[0]) {
            parts.clear();
        }
        // The title again, as the cover and the title page both print it.
        let again = |p: &str| strsim::sorensen_dice(&p.to_lowercase(), &t.to_lowercase()) >= 0.8;
        if parts.iter().any(|p| again(p)) || !parts.is_empty() && again(&join_title(&parts)) {
            break;
        }
        parts.push(if dash_subtitle {
            format!("- {t}")
        } else {
            t.to_string()
        });
        if parts.len() == 3 {
            break;
        }
    }
    parts
}

/// The title's lines as one title: a line that continues the one above (a
/// lower-case start, a dash, a linking word, a period) joins it with a
/// space, a subtitle with a dash.
fn join_title(parts: &[String]) -> String {
    let mut out = parts[0].clone();
    for p in &parts[1..] {
        // A line that is only a year or a period ("2026–2027") is the end
        // of a title that wrapped, not a subtitle.
        let period_only = p
            .chars()
            .all(|c| c.is_ascii_digit() || c.is_whitespace() || matches!(c, '-' | '–' | '/'))
            && p.chars().filter(char::is_ascii_digit).count() >= 4;
        let joins = p.starts_with(['-', '–'])
            || period_only
            || p.chars().next().is_some_and(char::is_lowercase)
            || out.ends_with(['-', '–', ':'])
            || out
                .rsplit(' ')
                .next()
                .is_some_and(|w| LINKING_WORDS.contains(&w.to_lowercase().as_str()));
        out.push_str(if joins { " " } else { " – " });
        out.push_str(p);
    }
    out
}

/// The words that name a document's kind, most specific first: a white
/// paper's or a bill's number before the words of its title, a plan before a
/// report ("Rapport om handlingsplanen" aside, a title names what it is
/// first), an annual report before a report.
static KIND_WORDS: LazyLock<KindWords> = LazyLock::new(|| {
    let (words, kinds): (Vec<&str>, Vec<DocKind>) = [
        (r"(?i)\bmeld\.\s*st\.|\bst\.\s*meld\.|\bstortingsmelding(?:a|en)?\b|\bmelding til stortinget\b", DocKind::Stortingsmelding),
        (r"(?i)\bprop\.\s*[0-9]+\s*[ls]\b|\bot\.\s*prp\.|\bproposisjon til stortinget\b", DocKind::Proposisjon),
        (r"(?i)\bhandlingsprogram(met)?\b", DocKind::Handlingsprogram),
        (r"(?i)\b(handlingsplan(en)?|tiltaksplan(en)?|handlingsdel(en)?)\b", DocKind::Handlingsplan),
        (r"(?i)\b(årsrapport|årlig rapport|årsmelding|sluttrapport|statusrapport)\b", DocKind::Arsrapport),
        (r"(?i)\b(strategi|strategiar|strategier|strategiplan|strategidokument|strategisk plan)\b", DocKind::Strategi),
        (r"(?i)\b(høringsinnspill|høyringsinnspel|høringssvar|høyringssvar|høringsuttalelse|høyringsfråsegn|innspill|innspel)\b", DocKind::Innspill),
        (r"(?i)\b(saksprotokoll|møteprotokoll|møtebok|særutskrift|saksframlegg|saksfremlegg|saksframstilling|saksutgreiing|saksutredning|vedtak)\b", DocKind::Vedtak),
        (r"(?i)\b(faktaark|faktablad)\b", DocKind::Faktaark),
        (r"(?i)\bnotat\b", DocKind::Notat),
        (r"(?i)\b(budsjett|budsjettet|økonomiplan|økonomiplanen|budsjettforslag)\b", DocKind::Budsjett),
        (r"(?i)\b(rapport|rapporten|report|evaluering|evalueringsrapport)\b", DocKind::Rapport),
    ]
    .into_iter()
    .unzip();
    KindWords {
        words: Patterns::new(&words).expect("kind words"),
        kinds,
    }
});

/// The words of each document kind, and the kind each list names.
struct KindWords {
    words: Patterns,
    kinds: Vec<DocKind>,
}

impl KindWords {
    /// The first kind in the list whose words `text` has.
    fn of(&self, text: &str) -> Option<DocKind> {
        self.words.first(text).map(|i| self.kinds[i])
    }
}

/// The opening of a letter that gives input: "komme med innspill", "gi
/// innspel", "oversender … innspill", "våre innspill".
static GIVES_INPUT: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(r"(?i)\b(?:komme\s+med|kome\s+med|gi|gje|sende|sender|oversende|oversender|våre|vårt|følgjande|følgende)\s+(?:[\p{L}]+\s+){0,2}?(?:innspill|innspel|høringsinnspill|høyringsinnspel|høringssvar|høyringssvar)\b").unwrap()
});

/// A form's own opening words: "Skjema for …", "Søknadsskjema", "Rapporteringsskjema:".
static FORM_OPENING: LazyLock<Patterns> = LazyLock::new(|| {
    Patterns::one(r"(?i)^(?:skjema|søknadsskjema|rapporteringsskjema|registreringsskjema|meldeskjema)\b(?:\s+(?:for|til|om)\b|\s*:|\s*$)").unwrap()
});
/// A letter's references: "Vår ref", "Vår referanse", "Dykkar ref.", "Deres ref".
/// An expression with its lazy DFA and prefilter: searched through the whole
/// of each opening block, however long.
static LETTER_HEAD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:vår|deres|dykkar|dykker)\s+ref(?:\.|eranse)?\b").unwrap()
});
/// A letter's greeting, alone on its line: "Med hilsen", "Med vennlig hilsen", "Med helsing".
static LETTER_FOOT: LazyLock<Patterns> = LazyLock::new(|| {
    Patterns::one(r"(?i)^med\s+(?:vennleg\s+|vennlig\s+|beste\s+)?(?:hilsen|helsing)\b").unwrap()
});

static BARE_REPORT: LazyLock<Pattern> =
    LazyLock::new(|| Pattern::new(r"(?i)\b(rapport|rapportering)\b").unwrap());
static ANNUAL: LazyLock<Patterns> = LazyLock::new(|| {
    Patterns::one(r"(?i)(årsrapport|årlig rapport|årsmelding|sluttrapport|statusrapport)").unwrap()
});

/// "Av Kari Haugen", "Tekst: Ola Nordmann": a news piece's byline.
static BYLINE: LazyLock<Patterns> = LazyLock::new(|| {
    Patterns::one(r"^(?:Av|Tekst|Tekst og foto|Skrevet av|Journalist)\s*:?\s+\p{Lu}\p{L}+(?:\s+\p{Lu}\p{L}+){1,3}$").unwrap()
});
/// "Publisert 12. september 2024", "Publisert: 03.05.2024 kl. 10:15".
static PUBLISHED: LazyLock<Patterns> =
    LazyLock::new(|| Patterns::one(r"(?i)^(?:publisert|publ\.)\s*:?\s*[0-9]").unwrap());
/// A quote set as news sets it: a dash-opened line, or "…, sier/seier …".
static QUOTE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[–—-]\s+\p{Lu}|,\s+(?:sier|seier|sa|sa han|sa ho|sa hun)\s").unwrap()
});

/// The document type, from the title first, then from the opening blocks.
pub fn kind(doc: &Document, title: Option<&str>) -> DocKind {
    let pick = |s: &str| KIND_WORDS.of(s);
    // A label printed above the title says what the document is
    // ("SAKSPROTOKOLL", "NOTAT", "Meld. St. 9"); the title names its subject
    // ("Innspill til Helsereformutvalget" as a council's case).
    let label = doc
        .blocks()
        .take(8)
        .map(|b| b.text.trim())
        .filter(|t| RECORD_LABEL.is_match(t) || PAPER_NUMBER.is_match(t))
        .find_map(pick);
    if let Some(k) = label.or_else(|| title.and_then(pick)) {
        return k;
    }
    // In the opening text only the full words count: "rapport" there is as
    // often a report the document cites ("jf. dei to rapportane", a file
    // name), and only in short lines (a label or a title, not prose).
    if let Some(k) = doc
        .blocks()
        .take(3)
        .filter(|b| !matches!(b.kind, BlockKind::Table(_)))
        .filter(|b| b.text.split_whitespace().count() <= 15)
        .find_map(|b| {
            pick(&b.text).filter(|_| !BARE_REPORT.is_match(&b.text) || ANNUAL.is_match(&b.text))
        })
    {
        return k;
    }
    // A letter that says it gives input ("takker for anledningen til å komme
    // med innspill", "oversender her et samlet innspill") is an input.
    if doc.blocks().take(4).any(|b| GIVES_INPUT.is_match(&b.text)) {
        return DocKind::Innspill;
    }
    // A form says so in its opening ("Skjema for grunnlagsdata til …").
    if doc
        .blocks()
        .take(4)
        .any(|b| FORM_OPENING.is_match(b.text.trim()))
    {
        return DocKind::Skjema;
    }
    // Any other letter: the references of a letter's head ("Vår ref",
    // "Dykkar ref.") and the greeting at its foot ("Med hilsen", "Med
    // helsing"), both as the Norwegian administrative letter sets them.
    let head = doc.blocks().take(12).any(|b| LETTER_HEAD.is_match(&b.text));
    if head && doc.blocks().any(|b| LETTER_FOOT.is_match(b.text.trim())) {
        return DocKind::Brev;
    }
    // Articles: prose with a photo credit or a question as headline, no
    // tables; or a news piece's marks: a byline, a publishing date, quotes
    // ("– Vi har ledige jobbar, … seier leiar …").
    let has_tables = doc.tables().next().is_some();
    let photo = doc.blocks().take(20).any(|b| b.text.contains("Foto:"));
    if !has_tables && (photo || title.is_some_and(|t| t.ends_with('?'))) {
        return DocKind::Artikkel;
    }
    let opening: Vec<&str> = doc.blocks().take(8).map(|b| b.text.trim()).collect();
    let byline = opening.iter().any(|t| BYLINE.is_match(t));
    let published = opening.iter().any(|t| PUBLISHED.is_match(t));
    let quotes = doc
        .blocks()
        .filter(|b| QUOTE.is_match(b.text.trim()))
        .count();
    if !has_tables
        && [byline, published, quotes >= 2]
            .iter()
            .filter(|&&x| x)
            .count()
            >= 2
    {
        return DocKind::Artikkel;
    }
    DocKind::Annet
}

/// The document's own date: the first full date with a cue word ("Dato:",
/// "oppdatert"), or the first full date in the opening blocks.
pub fn date(doc: &Document) -> Option<PartialDate> {
    if let Some(d) = last_meeting(doc) {
        return Some(d);
    }
    // A document states its date near the start of its opening blocks.
    let opening: Vec<&str> = doc.blocks().take(15).map(|b| head(&b.text)).collect();
    let full = |t: &str| {
        find_dates(t)
            .into_iter()
            .find(|d| d.from.day.is_some() && d.from.year.is_some() && !d.is_range())
    };
    for t in &opening {
        if DATE_CUE.is_match(t) {
            if let Some(d) = full(t) {
                return Some(d.from);
            }
        }
    }
    opening
        .iter()
        .take(6)
        .find_map(|t| full(t))
        .map(|d| d.from)
        .or_else(|| {
            // A letter's date may stand in its page header ("Dato:
            // 22.06.2026"), which a tagged PDF marks as furniture.
            doc.pages
                .first()?
                .blocks
                .iter()
                .filter(|b| b.kind == BlockKind::Furniture && DATE_CUE.is_match(&b.text))
                .find_map(|b| full(&b.text))
                .map(|d| d.from)
        })
}

/// A meeting record's date: the last meeting in its case table ("Saksgang |
/// Utvalg | Møtedato", "Behandlet av | Møtedato | Saknr"), where the case was
/// decided; the committees before it prepared the decision.
fn last_meeting(doc: &Document) -> Option<PartialDate> {
    for b in doc.blocks().take(15) {
        let BlockKind::Table(t) = &b.kind else {
            continue;
        };
        let header = t.rows.first()?;
        let Some(col) = header.texts().position(|h| {
            h.to_lowercase().contains("møtedato") || h.trim().eq_ignore_ascii_case("dato")
        }) else {
            continue;
        };
        let dates: Vec<PartialDate> = t.rows[1..]
            .iter()
            .filter_map(|r| r.cell_text(col))
            .flat_map(find_dates)
            .filter(|d| d.from.day.is_some() && d.from.year.is_some() && !d.is_range())
            .map(|d| d.from)
            .collect();
        if let Some(last) = dates.iter().max_by_key(|d| (d.year, d.month, d.day)) {
            return Some(*last);
        }
    }
    None
}

/// The period the document covers: a year range near a period cue.
/// An annual report's period is its year ("Årsrapport 2024"), whatever the
/// period of the programme it reports on.
pub fn report_year(kind: DocKind, title: Option<&str>) -> Option<(PartialDate, PartialDate)> {
    if kind != DocKind::Arsrapport {
        return None;
    }
    let years: Vec<_> = find_dates(title?)
        .into_iter()
        .filter(|d| !d.is_range() && d.from.month.is_none() && d.from.year.is_some())
        .collect();
    let [y] = years.as_slice() else {
        return None;
    };
    let year = y.from.year?;
    let y = PartialDate {
        year: Some(year),
        month: None,
        day: None,
    };
    Some((y, y))
}

/// The start of a block's text, where a title page states a date or a
/// period: a paragraph of a megabyte is not searched whole.
fn head(text: &str) -> &str {
    &text[..crate::norsk::floor_boundary(text, 2000)]
}

pub fn period(doc: &Document) -> Option<(PartialDate, PartialDate)> {
    for b in doc.blocks().take(60) {
        let text = head(&b.text);
        for d in find_dates(text) {
            if d.is_range() && d.from.month.is_none() {
                let before = &text[..d.range.start];
                let window: String = before
                    .chars()
                    .rev()
                    .take(60)
                    .collect::<Vec<_>>()
                    .into_iter()
                    .rev()
                    .collect();
                // "Prop. 108 L (2019–2020)", "Meld. St. 5 (2019–2020)": a
                // parliamentary session, not the plan's period.
                let parenthesised = before.trim_end().ends_with('(');
                if parenthesised
                    && (text.trim().len() <= d.range.end - d.range.start + 2
                        || SESSION_OF.is_match(&window))
                {
                    continue;
                }
                if PERIOD_CUE.is_match(&window) || b.span.line <= 5 {
                    return Some((d.from, d.to));
                }
            }
        }
    }
    None
}

/// A sentence that says who is party to the plan or agreement: "Kommunene … har
/// inngått avtale med staten ved KDD og Trøndelag fylkeskommune", "avtale …
/// undertegnet av ordførerne i …", "Partene er …".
static PARTIES: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(r"(?i)(\b(avtale|avtalen|samarbeidsavtale|samarbeidsavtalen|partnerskapsavtale|bygdevekstavtale\w*|regionvekstavtale\w*)\b.*\b(inngått|inngått|signert|underskrevet|undertegnet|undertekna|underteikna|inngår|sluttet seg til|slutta seg til)\b|\b(inngått|signert|undertegnet|sluttet seg til|slutta seg til)\b.*\b(samarbeids|partnerskaps)?avtale|\bpartene\s+er\b|\bavtaleparter\b|\bavtalepartane\b)").unwrap()
});

pub fn names_parties(sentence: &str) -> bool {
    PARTIES.is_match(sentence)
}

static PARTY_FIELD: LazyLock<Patterns> = LazyLock::new(|| {
    Patterns::one(r"(?i)^\s*(kommune|kommuner|kommunar|parter|partar|avtaleparter|avtalepartar|deltakende kommuner|deltakarkommunar|fylke|fylkeskommune)\s*:?\s*$").unwrap()
});

/// A form field that lists the parties ("Kommune: | Midt-Tromskommunene (Bardu, …)").
pub fn is_party_field(label: &str) -> bool {
    PARTY_FIELD.is_match(label)
}

#[cfg(test)]
mod party_tests {
    use super::{names_parties, title};
    use crate::model::BlockKind;

    fn title_of(blocks: &[(BlockKind, &str)]) -> Option<String> {
        let mut b = crate::model::DocumentBuilder::new(crate::model::Format::Pdf);
        b.start_page(Some(1));
        for (kind, text) in blocks {
            b.push(kind.clone(), &[text.to_string()], None);
        }
        title(&b.finish())
    }

    #[test]
    fn placeholders_and_running_titles_are_not_the_title() {
        let h = |level| BlockKind::Heading {
            level,
            number: None,
        };
        let dash = BlockKind::ListItem {
            marker: "-".into(),
            depth: 0,
        };
        assert_eq!(
            title_of(&[
                (h(1), "Dokument"),
                (h(2), "Handlingsprogram"),
                (h(3), "Regional plan for det inkluderende Innlandet")
            ])
            .as_deref(),
            Some("Handlingsprogram – Regional plan for det inkluderende Innlandet")
        );
        assert_eq!(
            title_of(&[
                (h(1), "Handlingsplan"),
                (h(2), "Handlingsplan 2025"),
                (dash, "oppfølging av"),
                (h(2), "Bygdevekstavtale for Indre Namdal")
            ])
            .as_deref(),
            Some("Handlingsplan 2025 - oppfølging av Bygdevekstavtale for Indre Namdal")
        );
        // A title that wrapped before its period is one title.
        assert_eq!(
            title_of(&[
                (h(1), "Handlingsprogram for folkehelse i Sogn"),
                (h(1), "2026–2029"),
            ])
            .as_deref(),
            Some("Handlingsprogram for folkehelse i Sogn 2026–2029")
        );
    }

    /// What stands around a title on a cover is not the title: a correction
    /// note, the issuing ministry, the paper's number, a year, a form label
    /// and a date, the first numbered section, the title printed again.
    #[test]
    fn what_stands_around_a_title_is_left_out() {
        let h = |level| BlockKind::Heading {
            level,
            number: None,
        };
        let p = BlockKind::Paragraph;
        assert_eq!(
            title_of(&[
                (p.clone(), "(Korrigert utgave per 03.04.2024)"),
                (p.clone(), "Helse- og omsorgsdepartementet"),
                (p.clone(), "Meld. St. 9"),
                (p.clone(), "(2023–2024)"),
                (p.clone(), "Nasjonal helse- og samhandlingsplan 2024–2027"),
                (p.clone(), "Vår felles helsetjeneste"),
                (p.clone(), "Helse- og omsorgsdepartementet"),
            ])
            .as_deref(),
            Some("Nasjonal helse- og samhandlingsplan 2024–2027 – Vår felles helsetjeneste")
        );
        assert_eq!(
            title_of(&[
                (p.clone(), "Dato:"),
                (p.clone(), "12.06.2026"),
                (h(2), "Helsereformutvalget – innspill fra regionrådet"),
                (h(1), "1. Bakgrunn og formål"),
            ])
            .as_deref(),
            Some("Helsereformutvalget – innspill fra regionrådet")
        );
        assert_eq!(
            title_of(&[
                (h(1), "2024"),
                (h(2), "NOTAT"),
                (h(2), "Menns bruk av"),
                (h(2), "primærhelsetjenester"),
                (h(3), "Menns bruk av primærhelsetjenesten"),
            ])
            .as_deref(),
            Some("Menns bruk av primærhelsetjenester")
        );
        assert_eq!(
            title_of(&[
                (h(2), "Innspill fra helsefellesskapet"),
                (h(2), "Innledning"),
            ])
            .as_deref(),
            Some("Innspill fra helsefellesskapet")
        );
    }

    fn kind_of(blocks: &[(BlockKind, &str)]) -> &'static str {
        let mut b = crate::model::DocumentBuilder::new(crate::model::Format::Pdf);
        b.start_page(Some(1));
        for (kind, text) in blocks {
            b.push(kind.clone(), &[text.to_string()], None);
        }
        let doc = b.finish();
        super::kind(&doc, title(&doc).as_deref()).as_str()
    }

    /// The kind from a label above the title first, then the title, then a
    /// letter's own words.
    #[test]
    fn kinds_from_labels_titles_and_openings() {
        let h = BlockKind::Heading {
            level: 1,
            number: None,
        };
        let p = BlockKind::Paragraph;
        for (blocks, kind) in [
            (
                vec![
                    (h.clone(), "SAKSPROTOKOLL"),
                    (h.clone(), "Innspill til utvalget"),
                ],
                "vedtak",
            ),
            (
                vec![(p.clone(), "Meld. St. 9"), (h.clone(), "Nasjonal plan")],
                "stortingsmelding",
            ),
            (
                vec![(p.clone(), "Prop. 108 L"), (h.clone(), "Lov om språk")],
                "proposisjon",
            ),
            (
                vec![(h.clone(), "NOTAT"), (h.clone(), "Menns bruk av tjenester")],
                "notat",
            ),
            (
                vec![(h.clone(), "Høringsinnspill til Helsereformutvalget")],
                "innspill",
            ),
            (vec![(h.clone(), "Faktaark: helsereformen")], "faktaark"),
            (
                vec![(h.clone(), "Budsjett 2025 og økonomiplan 2025–2028")],
                "budsjett",
            ),
            (
                vec![(h.clone(), "Evaluering av bolystprogrammet")],
                "rapport",
            ),
            (
                vec![(h.clone(), "Årsrapport 2024 for Bygdevekst")],
                "årsrapport",
            ),
            (
                vec![
                    (h.clone(), "Fra tannhelsetjenesten til utvalget"),
                    (
                        p.clone(),
                        "Vi takker for anledningen til å komme med innspill.",
                    ),
                ],
                "innspill",
            ),
            (vec![(h.clone(), "Bestilling av kriteriedata")], "annet"),
            (
                vec![
                    (
                        p.clone(),
                        "Deres ref | Vår ref 15/1964-85 | Dato 6. juni 2023",
                    ),
                    (h.clone(), "Bestilling av kriteriedata"),
                    (p.clone(), "Departementet bestiller kriteriedata."),
                    (h.clone(), "Med hilsen"),
                ],
                "brev",
            ),
            (
                vec![
                    (p.clone(), "Vår ref. 23/114"),
                    (h.clone(), "Innspel til utvalet"),
                    (h.clone(), "Med helsing"),
                ],
                "innspill",
            ),
            (
                vec![
                    (h.clone(), "Grunnlagstal til utrekning av kriteriet"),
                    (
                        p.clone(),
                        "Skjema for grunnlagsdata til utrekning av kriteriet for fylkesveg.",
                    ),
                ],
                "skjema",
            ),
            (
                vec![
                    (h.clone(), "Om ordninga"),
                    (p.clone(), "Skjemaet skal fyllast ut av kommunen."),
                ],
                "annet",
            ),
        ] {
            assert_eq!(kind_of(&blocks), kind, "{blocks:?}");
        }
    }

    #[test]
    fn sentences_naming_the_parties() {
        assert!(names_parties("Kommunene Røyrvik, Namsskogan, Lierne og Grong har inngått avtale med staten ved Kommunal- og distriktsdepartementet (KDD) og Trøndelag Fylkeskommune om å bidra til bosetting."));
        assert!(names_parties("Høsten 2008 var det 5 år siden avtale om samarbeid i Værnesregionen ble undertegnet av ordførerne i Malvik, Meråker, Selbu, Stjørdal og Tydal."));
        assert!(names_parties(
            "Senere har også Frosta sluttet seg til samarbeidsavtalen."
        ));
        assert!(!names_parties("Statsforvalteren og Trøndelag Fylkeskommune er samarbeidspartnere under dette delmålet."));
    }
}

#[cfg(test)]
mod form_field_tests {
    use super::is_form_field;
    use regex::Regex;

    #[test]
    fn the_same_as_the_bounded_pattern() {
        let bounded = Regex::new(r"^[\p{L} /-]{1,30}:\s*\S").unwrap();
        let label30 = "a".repeat(30);
        let label31 = "ø".repeat(31);
        for t in [
            "Frist: 30. oktober",
            "Til: KMD",
            "Til:",
            "Til:   ",
            ": x",
            "Dato 2024: x",
            "Saksbehandler / kontakt: Kari",
            &format!("{label30}: x"),
            &format!("{label31}: x"),
            "Mål: a: b",
            "Innledning",
        ] {
            assert_eq!(is_form_field(t), bounded.is_match(t), "{t:?}");
        }
    }
}

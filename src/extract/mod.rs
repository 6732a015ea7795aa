//! Extraction: a [`Document`] → a [`Plan`], the facts a reader wants from it.
//!
//! Floor 2: uses `ingest` (its layout helpers), `model` and `norsk`.
//!
//! This layer interprets; it never reads bytes. Each fact keeps its span.

pub mod actors;
pub mod amounts;
pub mod budget;
mod facts;
pub mod grid;
pub mod language;
pub mod lexicon;
mod names;
pub mod sentences;
pub mod structure;
pub mod tables;
pub mod themes;
pub mod timeframe;
mod titles;

use crate::model::{BlockKind, Document, Span};
use crate::norsk::{Amount, Money, PartialDate};

pub use actors::{Actor, ActorKind};
pub use amounts::AmountRole;
pub use tables::TableKind;
pub use timeframe::Timeframe;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DocKind {
    Handlingsplan,
    Handlingsprogram,
    Arsrapport,
    Strategi,
    Artikkel,
    /// A consultation response or an input to a committee ("Høringsinnspill", "Innspel").
    Innspill,
    /// A memo ("Notat").
    Notat,
    /// A council's or board's resolution record ("Saksprotokoll", "Vedtak", "Saksframlegg").
    Vedtak,
    /// A white paper to the Storting ("Meld. St. 9 (2023–2024)").
    Stortingsmelding,
    /// A bill to the Storting ("Prop. 108 L (2019–2020)").
    Proposisjon,
    /// A fact sheet ("Faktaark").
    Faktaark,
    /// A report that is not an annual one ("Rapport", "Evaluering").
    Rapport,
    /// A budget or economy plan ("Budsjett 2025", "Økonomiplan").
    Budsjett,
    /// A letter that gives no input: references and date in its head, a
    /// greeting at its foot ("Vår ref", "Med hilsen").
    Brev,
    /// A form to fill in ("Skjema for grunnlagsdata …").
    Skjema,
    Annet,
}

impl DocKind {
    pub fn as_str(self) -> &'static str {
        match self {
            DocKind::Handlingsplan => "handlingsplan",
            DocKind::Handlingsprogram => "handlingsprogram",
            DocKind::Arsrapport => "årsrapport",
            DocKind::Strategi => "strategi",
            DocKind::Artikkel => "artikkel",
            DocKind::Innspill => "innspill",
            DocKind::Notat => "notat",
            DocKind::Vedtak => "vedtak",
            DocKind::Stortingsmelding => "stortingsmelding",
            DocKind::Proposisjon => "proposisjon",
            DocKind::Faktaark => "faktaark",
            DocKind::Rapport => "rapport",
            DocKind::Budsjett => "budsjett",
            DocKind::Brev => "brev",
            DocKind::Skjema => "skjema",
            DocKind::Annet => "annet",
        }
    }
}

/// What a goal is in the plan's structure, whatever word the document uses
/// for it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GoalKind {
    /// "Mål", "Målet", "Målsetting": a goal without a rank.
    Goal,
    /// "Hovedmål", "Hovudmål", "Overordna mål": the plan's top goal.
    Main,
    /// "Delmål", "Effektmål", "Resultatmål": a goal under a main goal.
    Sub,
    /// "Innsatsområde", "Satsingsområde", "Fokusområde": a focus area with
    /// its own goal line.
    Area,
    /// "Strategi": a strategy, holding measures.
    Strategy,
    /// A theme: an unnumbered heading that recurs through a programme.
    Theme,
    /// A level of a programme ("Nivå 1").
    Level,
}

impl GoalKind {
    /// The kind a document's word for a goal names ("Delmål", "hovudmål",
    /// "satsingsområde", "overordna mål").
    pub fn of(word: &str) -> GoalKind {
        let w = word.trim().to_lowercase();
        if w.starts_with("hov") || w.starts_with("overordn") {
            GoalKind::Main
        } else if w.starts_with("delmål")
            || w.starts_with("effektmål")
            || w.starts_with("resultatmål")
        {
            GoalKind::Sub
        } else if w.ends_with("område") {
            GoalKind::Area
        } else if w.starts_with("strategi") {
            GoalKind::Strategy
        } else if w == "tema" {
            GoalKind::Theme
        } else if w == "nivå" {
            GoalKind::Level
        } else {
            GoalKind::Goal
        }
    }
}

/// What a plan calls a measure.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MeasureKind {
    Tiltak,
    Strategi,
    Satsing,
    Aktivitet,
    Prosjekt,
    /// A numbered point of a resolution ("Vedtak: 1. …").
    Vedtakspunkt,
}

impl MeasureKind {
    pub fn as_str(self) -> &'static str {
        match self {
            MeasureKind::Tiltak => "tiltak",
            MeasureKind::Strategi => "strategi",
            MeasureKind::Satsing => "satsing",
            MeasureKind::Aktivitet => "aktivitet",
            MeasureKind::Prosjekt => "prosjekt",
            MeasureKind::Vedtakspunkt => "vedtakspunkt",
        }
    }
}

impl std::fmt::Display for MeasureKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How far a measure has come, from the status the document gives it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Progress {
    /// "Ikke startet", "Ikkje starta", "Planlagt".
    NotStarted,
    /// "Pågår", "Pågåande", "Startet", "I gang", "Under arbeid".
    Ongoing,
    /// "Gjennomført", "Ferdig", "Fullført", "Avslutta", "Utført".
    Done,
    /// "Utsatt", "Forsinket", "Sett på vent".
    Delayed,
    /// "Avlyst", "Utgår", "Kansellert", "Skrinlagt".
    Cancelled,
    /// Any other status ("Hovedprosjekt", "Kontinuerlig"): kept as written.
    Other,
}

impl Progress {
    /// The record's word for it.
    pub fn as_str(self) -> &'static str {
        match self {
            Progress::NotStarted => "not-started",
            Progress::Ongoing => "ongoing",
            Progress::Done => "done",
            Progress::Delayed => "delayed",
            Progress::Cancelled => "cancelled",
            Progress::Other => "other",
        }
    }
}

/// A measure's status: the words the document gives, and what they say.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Status {
    pub text: String,
    pub progress: Progress,
}

impl Status {
    pub fn new(text: &str) -> Status {
        Status {
            text: text.trim().to_string(),
            progress: lexicon::progress(text),
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Goal {
    /// As printed: "Delmål 3", "4.2", "1".
    pub number: Option<String>,
    /// The goal's own title, without its number or keyword.
    pub title: String,
    /// What the document calls it: "delmål", "hovedmål", "strategi", "tema",
    /// "nivå" (a programme level), "overordna mål", "mål".
    pub label: String,
    /// What it is in the plan's structure.
    pub kind: GoalKind,
    /// Index into `Plan::goals` of the goal this one sits under.
    pub parent: Option<usize>,
    /// The goal statement, where the document gives one apart from the title.
    pub text: Option<String>,
    pub span: Span,
}

/// The places a plan describes a measure in: evidence for the consistency rules.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Seen {
    /// Its own heading ("Tiltak 3: Brobygger …").
    Heading,
    /// A row of an overview table ("Delmål | Tiltak | Beløp").
    OverviewTable,
    /// A row of a measure table ("Tiltak | Hovedansvarlig | … | Tidsramme").
    MeasureTable,
    /// An item of a list introduced as measures or strategies.
    List,
}

impl Seen {
    /// How many places there are: [`Seen::index`] is below it.
    pub const COUNT: usize = 4;

    /// A place's number, for tables indexed by place.
    pub fn index(self) -> usize {
        match self {
            Seen::Heading => 0,
            Seen::OverviewTable => 1,
            Seen::MeasureTable => 2,
            Seen::List => 3,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Seen::Heading => "heading",
            Seen::OverviewTable => "overview-table",
            Seen::MeasureTable => "measure-table",
            Seen::List => "list",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Measure {
    /// Index into `Plan::goals`.
    pub goal: Option<usize>,
    pub number: Option<String>,
    pub title: String,
    pub kind: MeasureKind,
    pub status: Option<Status>,
    /// Indices into `Plan::actors`.
    pub responsible: Vec<usize>,
    pub partners: Vec<usize>,
    pub timeframe: Option<Timeframe>,
    pub seen_in: Vec<Seen>,
    /// What it is about, from its title (see [`themes`]).
    pub themes: Vec<themes::Theme>,
    pub span: Span,
}

/// A money figure of the document, read once: from a table's grid (in the
/// unit the table states) or from a sentence of running text.
#[derive(Clone, Debug, PartialEq)]
pub struct ExtractedAmount {
    /// The figure as printed, in kroner; for prose its range is in the
    /// block's text, for a table in its cell.
    pub money: Money,
    pub role: AmountRole,
    pub year: Option<i32>,
    /// The funding source: a money column's header, or the giver a sentence names.
    pub source: Option<String>,
    pub goal: Option<usize>,
    pub measure: Option<usize>,
    pub span: Span,
    pub origin: Origin,
}

impl ExtractedAmount {
    pub fn amount(&self) -> Amount {
        self.money.amount
    }

    /// The sentence a prose figure stands in, with what its words say of it.
    pub fn in_prose<'p>(&self, plan: &'p Plan) -> Option<(&'p ProseSentence, FigureCues)> {
        match self.origin {
            Origin::Prose { sentence, cues } => Some((plan.sentences.get(sentence)?, cues)),
            Origin::Cell { .. } => None,
        }
    }
}

/// Where an amount was read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    /// A table cell: the table (among the document's tables), its row
    /// (header rows included) and its grid column.
    Cell {
        table: usize,
        row: usize,
        col: usize,
    },
    /// A sentence of running text: an index into [`Plan::sentences`].
    Prose { sentence: usize, cues: FigureCues },
}

/// What the words right around one prose figure say of it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FigureCues {
    /// A total word stands right before or after it: "til sammen 600 000 kr",
    /// "… 600 000 kr totalt", "samla ramme på …".
    pub marked_total: bool,
    /// Its clause speaks of other money: an own contribution, an application,
    /// a grant from others, a rate, an earlier year.
    pub other_money: bool,
    /// "I tillegg kommer …": money on top of the budget.
    pub in_addition: bool,
}

/// A sentence of running text that gives money figures, read once.
#[derive(Clone, Debug, PartialEq)]
pub struct ProseSentence {
    pub text: String,
    /// The span of the block the sentence stands in.
    pub span: Span,
    /// What the sentence's words make its figures (a budget, a grant, a total).
    pub role: AmountRole,
    /// It calls a figure a total ("til sammen", "totalt", "i alt", "samla").
    pub total: bool,
    /// It gives a part of a figure ("hvorav", "av dette").
    pub of_which: bool,
    /// The year it names ("i 2025", "for 2026").
    pub year: Option<i32>,
    /// How many figures it gives.
    pub figures: usize,
    /// It sets money aside for the work ("settes av", "finansieres",
    /// "budsjett på"), rather than describing money.
    pub allocates: bool,
    /// Where it, or the sentence after it, says a figure is left out, frozen
    /// or comes in addition ("… er ikke tatt med i tabellen"): the words, as
    /// the document's own explanation of a gap.
    pub left_out: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct TableInfo {
    pub title: Option<String>,
    pub kind: TableKind,
    /// Rows that form the header (0, 1 or 2).
    pub header_rows: usize,
    pub header: Vec<String>,
    /// Index of the table among the document's tables.
    pub index: usize,
    /// Which columns hold a measure table's measures, goals, actors and
    /// timeframes; `None` for any other table.
    pub measure_columns: Option<tables::MeasureColumns>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Plan {
    pub kind: DocKind,
    pub title: Option<String>,
    pub date: Option<PartialDate>,
    pub period: Option<(PartialDate, PartialDate)>,
    /// Indices into `actors` of the parties to the plan or agreement.
    pub parties: Vec<usize>,
    pub goals: Vec<Goal>,
    pub measures: Vec<Measure>,
    pub amounts: Vec<ExtractedAmount>,
    /// The sentences of running text that give money figures.
    pub sentences: Vec<ProseSentence>,
    /// Every block's sentences, cut once for extraction and the rules.
    pub block_sentences: sentences::BlockSentences,
    pub tables: Vec<TableInfo>,
    /// The tables as the consistency rules read them, one per table.
    pub grids: Vec<grid::Grid>,
    pub actors: Vec<Actor>,
    /// Which goal and measure each line of the document speaks of.
    pub context: Context,
    /// Each goal's and measure's budget, and the figures that repeat another.
    pub budgets: budget::Budgets,
    /// The written language, where its words say so clearly.
    pub language: Option<language::Language>,
}

/// Columns of a register of places ("Kommune", "Fylke" over a list of
/// municipalities, as statistics and forms print them): they name where,
/// not who acts.
fn place_columns(t: &crate::model::Table) -> Vec<usize> {
    const HEADERS: &[&str] = &[
        "kommune",
        "kommunenavn",
        "kommunenamn",
        "fylke",
        "fylkesnavn",
        "fylkesnamn",
        "fylkeskommune",
        "municipality",
        "county",
    ];
    let Some(header) = t.rows.first() else {
        return Vec::new();
    };
    if t.rows.len() < 6 {
        return Vec::new();
    }
    header
        .texts()
        .enumerate()
        .filter(|(_, h)| {
            // "Fylke 2024": the register's year aside.
            let name: String = h.chars().filter(|c| !c.is_ascii_digit()).collect();
            HEADERS.contains(&name.trim().trim_end_matches(':').to_lowercase().as_str())
        })
        .map(|(i, _)| i)
        .collect()
}

/// Reads a document's plan: its tables first (their structure tells what
/// the cells are), then actors, goals and measures, the tables' grids, the
/// money figures, and the budgets they add up to.
pub fn extract(doc: &Document) -> Plan {
    let tables = tables::interpret(doc);
    let title = facts::title(doc);
    let kind = facts::kind(doc, title.as_deref());
    let period = facts::report_year(kind, title.as_deref()).or_else(|| facts::period(doc));
    let cuts = sentences::BlockSentences::of(doc);
    let mut actors = actors::ActorTable::default();
    let mut parties = scan_actors(doc, &tables, &cuts, &mut actors);
    actors.freeze();
    let structure::Structure {
        goals,
        mut measures,
        context,
    } = structure::goals_and_measures(doc, title.as_deref(), &mut actors, period, &tables);
    let language = language::detect(doc.blocks().map(|b| b.text.as_str()));
    let named = titles::Named::new(&goals, &measures);
    let grids: Vec<grid::Grid> = doc
        .tables()
        .zip(&tables)
        .map(|((_, t), info)| {
            let mut g = grid::read_in(
                t,
                info.index,
                info.title.as_deref(),
                info.header_rows,
                &info.header,
                language,
            );
            grid::link(&mut g, &goals, &measures, &named, &context);
            g
        })
        .collect();
    let mut amounts = tables::table_amounts(&tables, &grids, &context, &mut actors);
    let (prose, sentences) = amounts::prose_amounts(doc, &cuts, &context, &actors, &tables, &grids);
    amounts.extend(prose);
    amounts.sort_by_key(|a| (a.span.line, a.span.end_line));
    // Generic "fylkeskommunen" is the document's one county, where it has one.
    let map = actors.resolve_generic();
    resolve_generic(&map, &actors, &mut measures, &mut parties, &mut amounts);
    let (actors, parties, mut measures) = actors::compact(actors, &map, parties, measures);
    for m in &mut measures {
        m.themes = themes::themes(&m.title, None);
    }
    let mut plan = Plan {
        kind,
        title,
        date: facts::date(doc),
        period,
        parties,
        goals,
        measures,
        amounts,
        sentences,
        block_sentences: cuts,
        tables,
        grids,
        actors,
        context,
        budgets: budget::Budgets::default(),
        language,
    };
    plan.budgets = budget::budgets(&plan);
    plan
}
/// Actors named anywhere, running text first (so abbreviations defined there
/// are known in tables); returns the parties the document names.
fn scan_actors(
    doc: &Document,
    tables: &[TableInfo],
    cuts: &sentences::BlockSentences,
    actors: &mut actors::ActorTable,
) -> Vec<usize> {
    let mut parties = Vec::new();
    let mut infos = tables.iter();
    for (ordinal, b) in doc.blocks().enumerate() {
        match &b.kind {
            BlockKind::Table(t) => {
                // Cells of a measure table's actor columns list organisations, one per piece.
                let listed = infos
                    .next()
                    .and_then(|i| i.measure_columns.as_ref())
                    .map(tables::MeasureColumns::actor_columns)
                    .unwrap_or_default();
                let places = place_columns(t);
                for (r, row) in t.rows.iter().enumerate() {
                    for (col, c) in row.texts().enumerate() {
                        // The header over an actor column ("Ansvarlig") names no one.
                        if r == 0 && listed.contains(&col) || places.contains(&col) {
                            continue;
                        }
                        if listed.contains(&col) {
                            actors.cell(c);
                        } else {
                            actors.scan(c);
                        }
                    }
                    if let [label, value, ..] = &row.texts().collect::<Vec<_>>()[..] {
                        if facts::is_party_field(label) {
                            structure::push_unique(&mut parties, actors.scan(value));
                        }
                    }
                }
            }
            _ => {
                for sentence in cuts.of_block(ordinal, b) {
                    let found = actors.scan(sentence);
                    if facts::names_parties(sentence) {
                        structure::push_unique(&mut parties, found);
                    }
                }
            }
        }
    }
    parties
}

/// Generic "fylkeskommunen" is the document's one county, where it has one:
/// measures, parties and the sources of amounts name it instead.
fn resolve_generic(
    map: &[Option<usize>],
    actors: &actors::ActorTable,
    measures: &mut [Measure],
    parties: &mut Vec<usize>,
    amounts: &mut [ExtractedAmount],
) {
    let remap = |v: &mut Vec<usize>| {
        let mut out = Vec::new();
        structure::push_unique(&mut out, v.iter().filter_map(|&i| map[i]).collect());
        *v = out;
    };
    for m in measures.iter_mut() {
        remap(&mut m.responsible);
        remap(&mut m.partners);
    }
    remap(parties);
    for a in amounts {
        if let Some(src) = &a.source {
            if let Some(g) = actors.actors.iter().position(|x| &x.name == src) {
                if let Some(to) = map[g].filter(|&to| to != g) {
                    a.source = Some(actors.actors[to].name.clone());
                }
            }
        }
    }
}

/// For every block line, the goal and measure it falls under.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Context {
    /// (first line, goal index, measure index), sorted by line.
    pub marks: Vec<(u32, Option<usize>, Option<usize>)>,
    /// Table rows that name a goal or a measure: row line → (goal, measure).
    pub rows: std::collections::HashMap<u32, (Option<usize>, Option<usize>)>,
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

#[cfg(test)]
mod tests {
    use super::Seen;

    /// Tables indexed by place have a slot for each, and no two share one.
    #[test]
    fn each_place_has_its_own_index_below_the_count() {
        let all = [
            Seen::Heading,
            Seen::OverviewTable,
            Seen::MeasureTable,
            Seen::List,
        ];
        let mut seen = [false; Seen::COUNT];
        for s in all {
            assert!(!std::mem::replace(&mut seen[s.index()], true), "{s:?}");
        }
        assert!(seen.iter().all(|&s| s));
    }
}

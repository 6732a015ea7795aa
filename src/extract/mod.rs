//! Extraction: a [`Document`] → a [`Plan`], the facts a reader wants from it.
//!
//! This layer interprets; it never reads bytes. Each fact keeps its span.

pub mod actors;
pub mod amounts;
mod facts;
pub mod grid;
pub mod lexicon;
pub mod structure;
pub mod tables;
pub mod timeframe;

use crate::model::{BlockKind, Document, Span};
use crate::norsk::{Amount, PartialDate};

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
            DocKind::Annet => "annet",
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
    pub kind: String,
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
    /// "tiltak", "strategi", "satsing", "aktivitet", "prosjekt".
    pub kind: String,
    pub status: Option<String>,
    /// Indices into `Plan::actors`.
    pub responsible: Vec<usize>,
    pub partners: Vec<usize>,
    pub timeframe: Option<Timeframe>,
    pub seen_in: Vec<Seen>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ExtractedAmount {
    pub amount: Amount,
    pub text: String,
    pub role: AmountRole,
    pub year: Option<i32>,
    pub source: Option<String>,
    pub goal: Option<usize>,
    pub measure: Option<usize>,
    pub span: Span,
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
    pub tables: Vec<TableInfo>,
    /// The tables as the consistency rules read them, one per table.
    pub grids: Vec<grid::Grid>,
    pub actors: Vec<Actor>,
    /// Which goal and measure each line of the document speaks of.
    pub context: structure::Context,
}

pub fn extract(doc: &Document) -> Plan {
    let tables = tables::interpret(doc);
    let title = facts::title(doc);
    let kind = facts::kind(doc, title.as_deref());
    let period = facts::report_year(kind, title.as_deref()).or_else(|| facts::period(doc));
    let mut actors = actors::ActorTable::default();
    // Actors in running text first, so abbreviations defined there are known in tables.
    let mut parties = Vec::new();
    let mut infos = tables.iter();
    for b in doc.blocks() {
        match &b.kind {
            BlockKind::Table(t) => {
                // Cells of a measure table's actor columns list organisations, one per piece.
                let listed = infos
                    .next()
                    .and_then(|i| i.measure_columns.as_ref())
                    .map(tables::MeasureColumns::actor_columns)
                    .unwrap_or_default();
                for (r, row) in t.rows.iter().enumerate() {
                    for (col, c) in row.texts().enumerate() {
                        // The header over an actor column ("Ansvarlig") names no one.
                        if r == 0 && listed.contains(&col) {
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
                for sentence in crate::norsk::sentences(&b.text) {
                    let found = actors.scan(sentence);
                    if facts::names_parties(sentence) {
                        structure::push_unique(&mut parties, found);
                    }
                }
            }
        }
    }
    actors.freeze();
    let structure::Structure {
        goals,
        mut measures,
        context,
    } = structure::goals_and_measures(doc, title.as_deref(), &mut actors, period, &tables);
    let grids: Vec<grid::Grid> = doc
        .tables()
        .zip(&tables)
        .map(|((_, t), info)| {
            let mut g = grid::read(
                t,
                info.index,
                info.title.as_deref(),
                info.header_rows,
                &info.header,
            );
            grid::link(&mut g, &goals, &context);
            g
        })
        .collect();
    let mut amounts = tables::table_amounts(&tables, &grids, &context, &mut actors);
    amounts.extend(amounts::prose_amounts(
        doc, &context, &actors, &tables, &grids,
    ));
    amounts.sort_by_key(|a| (a.span.line, a.span.end_line));
    // Generic "fylkeskommunen" is the document's one county, where it has one.
    let map = actors.resolve_generic();
    let remap = |v: &mut Vec<usize>| {
        let mut out = Vec::new();
        structure::push_unique(&mut out, v.iter().filter_map(|&i| map[i]).collect());
        *v = out;
    };
    for m in &mut measures {
        remap(&mut m.responsible);
        remap(&mut m.partners);
    }
    remap(&mut parties);
    for a in &mut amounts {
        if let Some(src) = &a.source {
            if let Some(g) = actors.actors.iter().position(|x| &x.name == src) {
                if let Some(to) = map[g].filter(|&to| to != g) {
                    a.source = Some(actors.actors[to].name.clone());
                }
            }
        }
    }
    let (actors, parties, measures) = actors::compact(actors, &map, parties, measures);
    Plan {
        kind,
        title,
        date: facts::date(doc),
        period,
        parties,
        goals,
        measures,
        amounts,
        tables,
        grids,
        actors,
        context,
    }
}

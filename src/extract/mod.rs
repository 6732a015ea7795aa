//! Extraction: a [`Document`] → a [`Plan`], the facts a reader wants from it.
//!
//! This layer interprets; it never reads bytes. Each fact keeps its span.

mod actors;
mod amounts;
mod facts;
mod structure;
mod tables;

use crate::model::{Document, Span};
use crate::norsk::{Amount, PartialDate};

pub use amounts::AmountRole;
pub use tables::TableKind;

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
    pub number: Option<String>,
    pub title: String,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Measure {
    /// Index into `Plan::goals`.
    pub goal: Option<usize>,
    pub number: Option<String>,
    pub title: String,
    pub status: Option<String>,
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
}

#[derive(Clone, Debug, PartialEq)]
pub struct Plan {
    pub kind: DocKind,
    pub title: Option<String>,
    pub date: Option<PartialDate>,
    pub period: Option<(PartialDate, PartialDate)>,
    pub goals: Vec<Goal>,
    pub measures: Vec<Measure>,
    pub amounts: Vec<ExtractedAmount>,
    pub tables: Vec<TableInfo>,
}

pub fn extract(doc: &Document) -> Plan {
    let title = facts::title(doc);
    let kind = facts::kind(doc, title.as_deref());
    let (goals, measures, context) = structure::goals_and_measures(doc);
    let tables = tables::interpret(doc);
    let mut amounts = tables::table_amounts(doc, &tables, &context);
    amounts.extend(amounts::prose_amounts(doc, &context));
    amounts.sort_by_key(|a| (a.span.line, a.span.end_line));
    Plan {
        kind,
        title,
        date: facts::date(doc),
        period: facts::period(doc),
        goals,
        measures,
        amounts,
        tables,
    }
}

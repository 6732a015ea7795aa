//! The common record: the JSON contract of `schemas/document.schema.json`.
//! Field names are part of the contract; change them only with a schema version bump.
//!
//! Beside the contract: how a record is built from a reading and its
//! findings ([`build`]), the manifest of a run's records ([`manifest`]), the
//! ids that name them ([`ids`]) and why a document failed ([`failure`]).
//! Uses `model`, `extract` and `rules`; `emit`, `review`, `config`,
//! `pipeline` and `batch` use it.

pub mod build;
pub mod failure;
pub mod ids;
pub mod manifest;

pub use failure::{over_limit, DocError};
pub use ids::{assign_ids, sha256_file, sha256_hex, slug, valid_id};
pub use manifest::{
    findings_by_rule, DocStatus, InputList, Manifest, ManifestEntry, Shard, Summary,
};

use serde::{Deserialize, Serialize};

pub const SCHEMA_VERSION: &str = "8";

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Record {
    pub schema_version: String,
    pub id: String,
    pub source: Source,
    pub kind: String,
    /// "nb" (Bokmål), "nn" (Nynorsk) or "en", where the text says so clearly.
    pub language: Option<String>,
    pub title: Option<String>,
    pub date: Option<String>,
    pub period: Option<Period>,
    pub parties: Vec<String>,
    pub goals: Vec<Goal>,
    pub measures: Vec<Measure>,
    pub actors: Vec<Actor>,
    pub amounts: Vec<AmountRec>,
    /// The document's own total for the money its goals (else its measures)
    /// are budgeted from: the amount (`amounts[].id`) in the last total row
    /// ("SUM", "Totalt", "Til sammen") of the table their budgets come from.
    /// It may hold more than the goals' budgets (project management, say).
    #[serde(default)]
    pub stated_total: Option<String>,
    pub tables: Vec<TableRec>,
    pub findings: Vec<Finding>,
    /// The document's running text: headings, paragraphs and list items (not
    /// tables or page furniture), for full-text search. Not in the record
    /// file (schema 8): its home is the knowledge base's `passages`, and a
    /// second copy in every record was the largest part of the outputs. A
    /// record carries it from its reading (and from a worker) until the
    /// knowledge base has it; read from a file, it is empty.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub text: Vec<TextRec>,
}

/// One heading, paragraph or list item of the running text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TextRec {
    /// "heading", "paragraph" or "list-item".
    pub kind: String,
    pub span: SpanRec,
    pub text: String,
}

/// What a goal or measure is budgeted, taken once from the most
/// authoritative place (the table that gives it the most figures, else
/// agreeing prose figures).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BudgetRec {
    /// For the whole period, NOK; null where the source gives no total.
    pub nok: Option<f64>,
    /// Per year, in year order.
    pub years: Vec<YearNok>,
    /// "table" or "text".
    pub source: String,
    /// The table (`tables[].id`) and its row (from 0, header rows included), for a table.
    pub table: Option<String>,
    pub row: Option<usize>,
    /// The amounts (`amounts[].id`) it was taken from.
    pub amounts: Vec<String>,
}

/// An amount for one year.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct YearNok {
    pub year: i32,
    pub nok: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Source {
    pub path: String,
    pub sha256: String,
    pub format: String,
    pub pages: Option<u32>,
    pub bytes: u64,
    /// How much of the PDF's figures the record holds (null for other formats).
    pub numbers: Option<NumberCoverage>,
    /// What reading the file noticed and worked around, with its page.
    pub warnings: Vec<Warning>,
    /// The pages read by OCR (a scanned PDF), with how sure OCR was of
    /// them; absent where none was.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ocr: Vec<OcrPageRec>,
}

/// A page read by OCR: its number, the words read, and their mean
/// confidence (Tesseract's, 0–100).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OcrPageRec {
    pub page: u32,
    pub words: u64,
    pub confidence: u8,
}

/// Digits drawn on a PDF's pages against digits in the record (its text,
/// tables and furniture, and boilerplate it dropped on purpose). Digits rather
/// than numbers, because a number wrapped inside a narrow cell ("100 / 00 / 0")
/// is other tokens on the page than in the record ("100 000").
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NumberCoverage {
    pub on_pages: u64,
    pub in_record: u64,
    /// `in_record / on_pages`, at most 1 (1 when the pages hold no digits).
    pub share: f64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Warning {
    pub page: Option<u32>,
    pub message: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Period {
    pub from: Option<String>,
    pub to: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpanRec {
    pub page: Option<u32>,
    pub line: u32,
    pub end_line: u32,
}

impl From<crate::model::Span> for SpanRec {
    fn from(s: crate::model::Span) -> Self {
        SpanRec {
            page: s.page,
            line: s.line,
            end_line: s.end_line,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Goal {
    pub id: String,
    pub number: Option<String>,
    pub title: String,
    /// What the document calls it: "delmål", "strategi", "tema", "nivå", …
    pub kind: String,
    /// The goal this one sits under.
    pub parent: Option<String>,
    pub text: Option<String>,
    pub budget: Option<BudgetRec>,
    pub span: SpanRec,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Timeframe {
    pub text: String,
    pub from: Option<String>,
    pub to: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Measure {
    pub id: String,
    pub goal: Option<String>,
    pub number: Option<String>,
    pub title: String,
    /// "tiltak", "strategi", "satsing", "aktivitet", "prosjekt".
    pub kind: String,
    pub status: Option<String>,
    /// How far the status says it has come: "not-started", "ongoing",
    /// "done", "delayed", "cancelled", or "other" (kept as `status` says).
    pub progress: Option<String>,
    pub responsible: Vec<String>,
    pub partners: Vec<String>,
    pub timeframe: Option<Timeframe>,
    pub amounts: Vec<String>,
    /// Where the plan describes it: "heading", "overview-table",
    /// "measure-table", "list".
    pub seen_in: Vec<String>,
    /// What it is about, from the taxonomy of `extract::themes` (slugs:
    /// "rekruttering", "kompetanse", "bolig", "mobilitet", "naering",
    /// "landbruk", "helse", "kultur", "omdomme", "samarbeid").
    pub themes: Vec<String>,
    pub budget: Option<BudgetRec>,
    pub span: SpanRec,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    pub id: String,
    pub name: String,
    pub kind: String,
    pub variants: Vec<String>,
    pub mentions: u32,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AmountRec {
    pub id: String,
    /// NOK, at most two decimals.
    pub nok: f64,
    pub text: String,
    pub role: String,
    pub year: Option<i32>,
    pub source: Option<String>,
    pub goal: Option<String>,
    pub measure: Option<String>,
    /// "table" (then `cell` says which) or "text".
    pub origin: String,
    pub cell: Option<CellRec>,
    /// The amount (`amounts[].id`) this figure repeats: the same money for
    /// the same goal or measure and year, given first in a more authoritative
    /// place. Sum only amounts whose `repeats` is null.
    pub repeats: Option<String>,
    pub span: SpanRec,
    /// Read by OCR from a scanned page: how sure OCR was of the figure (the
    /// mean confidence, 0–100, of the words holding its digits); absent
    /// for text the file holds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ocr: Option<u8>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TableRec {
    pub id: String,
    pub title: Option<String>,
    pub kind: String,
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
    pub span: SpanRec,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Location {
    pub page: Option<u32>,
    pub line: u32,
    pub text: String,
    /// The exact figure or cell within `text` the finding points at …
    pub highlight: Option<String>,
    /// … and where it starts in `text` (1-based, in characters).
    pub column: Option<u32>,
    /// The table cell this place is, when it is one.
    pub cell: Option<CellRec>,
    pub label: String,
    /// Where the place is in the file itself (`line` above counts lines of
    /// the normalised text); null where the format gives no such place or
    /// the text there was changed in reading.
    #[serde(default)]
    pub source: Option<SourcePlace>,
}

/// A place in the source file as its reader finds it: line and column of a
/// text or HTML file; paragraph (of the body, from 1) and column of a Word
/// document; page, line on the page (as plansjekk read it) and column of a PDF.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourcePlace {
    pub page: Option<u32>,
    pub line: Option<u32>,
    pub paragraph: Option<u32>,
    /// 1-based, in characters.
    pub column: u32,
}

impl From<crate::model::SourcePos> for SourcePlace {
    fn from(p: crate::model::SourcePos) -> Self {
        use crate::model::SourceUnit;
        let paragraph = p.unit == SourceUnit::Paragraph;
        SourcePlace {
            page: p.page,
            line: (!paragraph).then_some(p.line),
            paragraph: paragraph.then_some(p.line),
            column: p.column,
        }
    }
}

impl SourcePlace {
    /// "146:26", "paragraph 57, column 26", "page 4, line 12, column 26".
    pub fn describe(&self) -> String {
        match (self.page, self.line, self.paragraph) {
            (_, None, Some(p)) => format!("paragraph {p}, column {}", self.column),
            (Some(page), Some(l), _) => format!("page {page}, line {l}, column {}", self.column),
            (None, Some(l), _) => format!("line {l}, column {}", self.column),
            _ => format!("column {}", self.column),
        }
    }
}

/// A cell of one of the record's tables.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CellRec {
    /// The table's id (`tables[].id`).
    pub table: String,
    /// Row and column in the table's grid, from 0, header rows included.
    pub row: usize,
    pub column: usize,
    /// Where a PDF draws the cell: [x0, y0, x1, y1] in points from the page's
    /// bottom left; null for other formats.
    pub bbox: Option<[f64; 4]>,
    /// Where a spreadsheet holds the cell ("Budsjett!C14"); absent for
    /// other formats.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    /// The spreadsheet cell's formula, without its "=" ("SUM(C3:C12)");
    /// absent where the cell has none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub formula: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    /// A stable fingerprint (see [`assign_finding_ids`]): the same finding
    /// keeps it between runs and versions, for baselines and waivers.
    pub id: String,
    pub rule: String,
    pub severity: String,
    pub message: String,
    pub stated: Option<f64>,
    pub computed: Option<f64>,
    pub difference: Option<f64>,
    pub locations: Vec<Location>,
    pub hint: Option<String>,
    /// How sure the finding is of the reading it rests on: "high" (two
    /// corroborations: the table's other totals reconcile and a simple edit
    /// explains the gap), "medium" (one) or "low" (none: a notice). Empty in
    /// records written before findings carried it.
    #[serde(default)]
    pub confidence: String,
    /// Why: what corroborates the reading, or what could not be reconciled.
    #[serde(default)]
    pub reason: String,
    /// Rests on text read by OCR from a scanned page: how sure OCR was of
    /// it (the least sure of its places, 0–100); absent for text the file
    /// holds. Below 80 the finding is at most a warning.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ocr: Option<u8>,
}

/// Bumped only when what a fingerprint covers changes, which changes every id.
const FINGERPRINT_VERSION: &str = "1";

/// Gives each finding of a document its stable id: a hash of the document's
/// id, the rule and what the finding compares (each place's role, its text
/// (the table row's cells or the sentence) and the figure in it), never line
/// numbers, pages, severities or message wording. So a finding keeps its id
/// when text elsewhere moves it, when its severity is configured otherwise,
/// and across plansjekk versions unless the rule's logic changes; a finding
/// whose figures change is a new finding. Two findings that would share an
/// id are numbered ("…-2") in the order found.
pub fn assign_finding_ids(document: &str, findings: &mut [Finding]) {
    use sha2::{Digest, Sha256};
    let mut seen: std::collections::HashMap<String, u32> = Default::default();
    for f in findings {
        let mut h = Sha256::new();
        for part in [FINGERPRINT_VERSION, document, f.rule.as_str()] {
            h.update(part.as_bytes());
            h.update([0]);
        }
        for l in &f.locations {
            let text = l.text.split_whitespace().collect::<Vec<_>>().join(" ");
            for part in [
                l.label.as_str(),
                text.as_str(),
                l.highlight.as_deref().unwrap_or(""),
            ] {
                h.update(part.as_bytes());
                h.update([0]);
            }
        }
        let hex: String = h.finalize()[..8]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        let n = seen.entry(hex.clone()).or_insert(0);
        *n += 1;
        f.id = if *n == 1 {
            format!("{}-{hex}", f.rule)
        } else {
            format!("{}-{hex}-{n}", f.rule)
        };
    }
}

/// A record's goals, actors and amounts by id, found once: writers name a
/// measure's goal, actors and amounts by id, and searching the lists for
/// each made writing a long document's record quadratic.
pub struct Lookup<'r> {
    goals: std::collections::HashMap<&'r str, &'r Goal>,
    actors: std::collections::HashMap<&'r str, &'r Actor>,
    amounts: std::collections::HashMap<&'r str, &'r AmountRec>,
}

impl<'r> Lookup<'r> {
    /// Indexes `r` (the first of equal ids wins, as a search from the front would).
    pub fn new(r: &'r Record) -> Lookup<'r> {
        fn by_id<'a, T>(
            items: &'a [T],
            id: impl Fn(&'a T) -> &'a str,
        ) -> std::collections::HashMap<&'a str, &'a T> {
            let mut m = std::collections::HashMap::with_capacity(items.len());
            for item in items {
                m.entry(id(item)).or_insert(item);
            }
            m
        }
        Lookup {
            goals: by_id(&r.goals, |g| g.id.as_str()),
            actors: by_id(&r.actors, |a| a.id.as_str()),
            amounts: by_id(&r.amounts, |a| a.id.as_str()),
        }
    }

    /// The goal with id `id`.
    pub fn goal(&self, id: &str) -> Option<&'r Goal> {
        self.goals.get(id).copied()
    }

    /// The actor with id `id`.
    pub fn actor(&self, id: &str) -> Option<&'r Actor> {
        self.actors.get(id).copied()
    }

    /// The amount with id `id`.
    pub fn amount(&self, id: &str) -> Option<&'r AmountRec> {
        self.amounts.get(id).copied()
    }
}

#[cfg(test)]
impl Record {
    /// A record with nothing found, for tests to fill in.
    pub(crate) fn blank(id: &str, format: &str) -> Record {
        Record {
            schema_version: SCHEMA_VERSION.into(),
            id: id.into(),
            source: Source {
                path: format!("corpus/{id}.{format}"),
                sha256: String::new(),
                format: format.into(),
                pages: None,
                bytes: 0,
                numbers: None,
                warnings: vec![],
                ocr: vec![],
            },
            kind: "handlingsplan".into(),
            language: None,
            title: None,
            date: None,
            period: None,
            parties: vec![],
            goals: vec![],
            measures: vec![],
            actors: vec![],
            amounts: vec![],
            stated_total: None,
            tables: vec![],
            findings: vec![],
            text: vec![],
        }
    }
}

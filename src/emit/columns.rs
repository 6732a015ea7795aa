//! The run's CSV tables as data: every file's columns, their types and
//! meaning, its primary key and the keys it shares with other files. The CSV
//! writer takes its headers from here and `datapackage.json` its schema, so
//! the two cannot drift apart.

/// A column's type (the Frictionless Table Schema's names).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldType {
    String,
    Integer,
    /// Decimal numbers, "." for the point ("1800000.00").
    Number,
    /// ISO 8601 calendar dates ("2025-03-31").
    Date,
}

impl FieldType {
    pub fn as_str(self) -> &'static str {
        match self {
            FieldType::String => "string",
            FieldType::Integer => "integer",
            FieldType::Number => "number",
            FieldType::Date => "date",
        }
    }
}

/// One column.
#[derive(Clone, Copy, Debug)]
pub struct Field {
    pub name: &'static str,
    pub kind: FieldType,
    /// Always present (never an empty cell).
    pub required: bool,
    pub description: &'static str,
}

const fn s(name: &'static str, description: &'static str) -> Field {
    Field {
        name,
        kind: FieldType::String,
        required: false,
        description,
    }
}

const fn key(name: &'static str, description: &'static str) -> Field {
    Field {
        name,
        kind: FieldType::String,
        required: true,
        description,
    }
}

const fn int(name: &'static str, description: &'static str) -> Field {
    Field {
        name,
        kind: FieldType::Integer,
        required: false,
        description,
    }
}

const fn num(name: &'static str, description: &'static str) -> Field {
    Field {
        name,
        kind: FieldType::Number,
        required: false,
        description,
    }
}

const fn date(name: &'static str, description: &'static str) -> Field {
    Field {
        name,
        kind: FieldType::Date,
        required: false,
        description,
    }
}

/// A foreign key: these columns name a row of another file. Only keys that
/// are never partly empty are declared (a measure under no goal leaves
/// `goal` empty, which Frictionless counts as a broken composite key); the
/// goal and measure columns name rows of goals.csv and measures.csv together
/// with `document`, as their descriptions say and the knowledge base enforces.
#[derive(Clone, Copy, Debug)]
pub struct ForeignKey {
    pub fields: &'static [&'static str],
    pub resource: &'static str,
    pub reference: &'static [&'static str],
}

/// One CSV file of the run.
#[derive(Clone, Copy, Debug)]
pub struct Spec {
    /// The resource's name in the data package; the file is `<name>.csv`.
    pub name: &'static str,
    pub description: &'static str,
    pub fields: &'static [Field],
    pub primary_key: &'static [&'static str],
    pub foreign_keys: &'static [ForeignKey],
}

impl Spec {
    pub fn file(&self) -> String {
        format!("{}.csv", self.name)
    }

    pub fn header(&self) -> Vec<&'static str> {
        self.fields.iter().map(|f| f.name).collect()
    }
}

const DOC: Field = key("document", "The document's id (documents.csv)");
const PAGE: Field = int("page", "PDF page (empty for other formats)");
const LINE: Field = int(
    "line",
    "Line of the normalised text (`plansjekk text FILE` shows it)",
);

/// The tables of one row per entity, keyed by document (all but
/// `actors.csv`, which gathers documents), in the order the row index
/// (`emit::rows`) lists them.
pub const ROW_TABLES: [&Spec; 5] = [&DOCUMENTS, &GOALS, &MEASURES, &AMOUNTS, &FINDINGS];

pub const DOCUMENTS: Spec = Spec {
    name: "documents",
    description:
        "One row per document read: its source, kind, title, date, period, parties and counts",
    fields: &[
        DOC,
        key("path", "The input file"),
        key("sha256", "Of the input's bytes"),
        key("format", "pdf, docx, html or text"),
        PAGE_COUNT,
        key("kind", "handlingsplan, arsrapport, strategi, artikkel, …"),
        s(
            "language",
            "nb (Bokmål), nn (Nynorsk) or en, where the text says so clearly",
        ),
        s("title", "The document's title"),
        s(
            "date",
            "Its date, as precise as printed: YYYY, YYYY-MM or YYYY-MM-DD",
        ),
        date("period_from", "First day of the period it covers"),
        date("period_to", "Last day of the period it covers"),
        s("parties", "The parties to the plan, '; '-separated"),
        Field {
            required: true,
            ..int("goals", "Goals found")
        },
        Field {
            required: true,
            ..int("measures", "Measures found")
        },
        Field {
            required: true,
            ..int("amounts", "Money figures found")
        },
        Field {
            required: true,
            ..int("findings", "Findings")
        },
        int(
            "ocr_pages",
            "Pages read by OCR (a scanned PDF); empty where none was",
        ),
    ],
    primary_key: &["document"],
    foreign_keys: &[],
};

const PAGE_COUNT: Field = int("pages", "Pages (PDF, and DOCX where it says)");

pub const GOALS: Spec = Spec {
    name: "goals",
    description: "One row per goal (hovedmål, delmål, strategi, innsatsområde …), with its budget",
    fields: &[
        DOC,
        key("goal", "The goal's id within its document (g1, g2, …)"),
        s("number", "As printed: 'Delmål 3', '2.1'"),
        key("kind", "What the document calls it: delmål, hovedmål, strategi, tema, …"),
        key("title", "Its title"),
        s("parent", "The goal it sits under (goal id)"),
        s("text", "The text that describes it"),
        num("budget_nok", "Its budget for the whole period, NOK, taken once from the most authoritative table row (else agreeing prose)"),
        s("budget_years", "Its budget per year: '2025: 1900000.00; 2026: 1500000.00'"),
        s("budget_source", "Where the budget was read: 't2 row 3' or 'text'"),
        PAGE,
        Field { required: true, ..LINE },
    ],
    primary_key: &["document", "goal"],
    foreign_keys: &[ForeignKey {
        fields: &["document"],
        resource: "documents",
        reference: &["document"],
    }],
};

pub const MEASURES: Spec = Spec {
    name: "measures",
    description: "One row per measure (tiltak, aktivitet, prosjekt …), with its goal, actors, timeframe, budget and themes",
    fields: &[
        DOC,
        key("measure", "The measure's id within its document (m1, m2, …)"),
        s("goal", "The goal it serves: with `document`, a row of goals.csv"),
        s("goal_number", "That goal's printed number"),
        s("number", "As printed"),
        key("kind", "tiltak, aktivitet, prosjekt, satsing, strategi"),
        key("title", "Its title"),
        s("status", "Its status, as printed"),
        s("progress", "What the status says: not-started, ongoing, done, delayed, cancelled, other"),
        s("responsible", "Responsible actors, '; '-separated"),
        s("partners", "Partners, '; '-separated"),
        s("timeframe", "Its timeframe, as printed"),
        date("timeframe_from", "First day of the timeframe"),
        date("timeframe_to", "Last day of the timeframe"),
        s("amounts_nok", "Every money figure given for it, '; '-separated (may repeat; see amounts.csv)"),
        num("budget_nok", "Its budget for the whole period, NOK, taken once from the most authoritative table row (else agreeing prose)"),
        s("budget_years", "Its budget per year: '2025: 500000.00'"),
        s("budget_source", "Where the budget was read: 't1 row 2' or 'text'"),
        s("themes", "Themes of plansjekk's taxonomy, '; '-separated: rekruttering, kompetanse, bolig, mobilitet, naering, landbruk, helse, kultur, omdomme, samarbeid"),
        s("seen_in", "Where the plan describes it: heading, overview-table, measure-table, list"),
        PAGE,
        Field { required: true, ..LINE },
    ],
    primary_key: &["document", "measure"],
    foreign_keys: &[
        ForeignKey {
            fields: &["document"],
            resource: "documents",
            reference: &["document"],
        },
    ],
};

pub const AMOUNTS: Spec = Spec {
    name: "amounts",
    description: "One row per money figure, in tables and text, with where it came from and the figure it repeats; sum only rows whose 'repeats' is empty",
    fields: &[
        DOC,
        key("amount", "The figure's id within its document (a1, a2, …)"),
        Field { required: true, ..num("nok", "NOK, in the unit the table states ('i 1000 kr' read in thousands)") },
        key("text", "As printed"),
        key("role", "budget, granted, applied, spent, total (a sum of other rows or columns) or unknown"),
        int("year", "The year it is for"),
        s("source", "The funding source"),
        s("goal", "The goal it is for: with `document`, a row of goals.csv"),
        s("goal_number", "That goal's printed number"),
        s("measure", "The measure it is for: with `document`, a row of measures.csv"),
        key("origin", "table or text"),
        s("table", "For a table figure: the table (t1, t2, …; tables/<document>-<table>.csv)"),
        int("row", "… its row, from 0, header rows included"),
        int("column", "… its column, from 0"),
        s("repeats", "The amount this figure repeats (the same money for the same goal or measure and year, given first in a more authoritative place)"),
        PAGE,
        Field { required: true, ..LINE },
        int("ocr_confidence", "Read by OCR from a scanned page: how sure OCR was of the figure (mean word confidence of its digits, 0–100); empty for text the file holds"),
        s("cell", "A spreadsheet figure's cell, as the spreadsheet names it (Budsjett!C14); empty for other formats"),
    ],
    primary_key: &["document", "amount"],
    foreign_keys: &[
        ForeignKey {
            fields: &["document"],
            resource: "documents",
            reference: &["document"],
        },
    ],
};

pub const FINDINGS: Spec = Spec {
    name: "findings",
    description: "One row per finding of the consistency rules (`plansjekk explain RULE`)",
    fields: &[
        DOC,
        key(
            "finding",
            "The finding's stable id: its rule and a fingerprint of what it compares (kept between runs; baselines and waivers name it)",
        ),
        key("rule", "The rule that found it"),
        key("severity", "error, warning or notice"),
        key(
            "status",
            "new; baseline (the run's baseline has it); waived (reviewed and accepted in the waivers file)",
        ),
        key("message", "What disagrees"),
        num("stated", "The figure the document states"),
        num("computed", "The figure its parts make"),
        num("difference", "stated − computed"),
        PAGE,
        int(
            "line",
            "The primary place's line in the text as plansjekk reads it (`plansjekk text`)",
        ),
        int(
            "source_line",
            "The primary place's line in the file itself: of a text or HTML file, or on the PDF's page; empty for a Word document or where the text was changed in reading",
        ),
        int(
            "source_paragraph",
            "The primary place's paragraph of a Word document's body, counted from 1",
        ),
        int(
            "source_column",
            "The primary place's column (in characters, from 1) on that line or in that paragraph",
        ),
        s("text", "The primary place's text"),
        s(
            "other_lines",
            "The lines it was compared with, '; '-separated",
        ),
        s("hint", "What the rule can say more"),
        s(
            "confidence",
            "How sure the finding is of the reading it rests on: high, medium or low",
        ),
        s(
            "reason",
            "Why: what corroborates the reading (other totals reconcile, a simple edit explains the gap), or what could not be reconciled",
        ),
        int(
            "ocr_confidence",
            "Rests on text read by OCR from a scanned page: how sure OCR was of it (0–100; below 80 the finding is at most a warning); empty for text the file holds",
        ),
        s(
            "cell",
            "The primary place's spreadsheet cell, as the spreadsheet names it (Budsjett!C14); empty for other formats",
        ),
        s("formula", "That cell's formula, as the spreadsheet writes it (SUM(C3:C12))"),
    ],
    primary_key: &["document", "finding"],
    foreign_keys: &[ForeignKey {
        fields: &["document"],
        resource: "documents",
        reference: &["document"],
    }],
};

pub const ACTORS: Spec = Spec {
    name: "actors",
    description: "One row per canonical actor across the run: its kind, how many documents and mentions, every spelling seen",
    fields: &[
        key("actor", "The actor's canonical name"),
        key("kind", "fylkeskommune, kommune, region, statlig, næringsliv, …"),
        Field { required: true, ..int("documents", "Documents that name it") },
        Field { required: true, ..int("mentions", "Mentions in all") },
        s("variants", "Every spelling seen, '; '-separated"),
        s("document_ids", "The documents, '; '-separated"),
    ],
    primary_key: &["actor"],
    foreign_keys: &[],
};

/// Every CSV of a run, in the order of the data package.
pub const ALL: &[Spec] = &[DOCUMENTS, GOALS, MEASURES, AMOUNTS, FINDINGS, ACTORS];

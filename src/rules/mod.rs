//! The consistency rules: each flags one kind of disagreement inside a document.
//!
//! Floor 3: uses `extract`, `ingest`, `model` and `norsk`; never `record` or `emit`.
//!
//! Modelled on linters (ruff, clippy): one file per rule, declared with
//! [`declare_rule!`] so that its doc comment *is* its `plansjekk explain` text;
//! [`RULES`] lists them all; [`check`] runs them and orders the findings. A rule
//! is a plain function from a [`Checker`] (the document and its plan) to findings;
//! it does no IO and knows nothing of how findings are rendered.
//!
//! Every rule abstains when the document's structure is uncertain: false alarms
//! cost auditors time, so a consistent table must produce no finding.

use std::fmt;
use std::ops::Range;

use crate::extract::Plan;
use crate::model::{Document, Span};
use crate::norsk::Amount;

mod context;
mod corroborate;
mod figure;
mod prose;
mod sums;

mod column_sum;
mod count_mismatch;
mod cross_reference;
mod cross_table;
mod date_conflict;
mod formula_range;
mod numbering;
mod percent_sum;
mod row_sum;
mod text_sum;
mod text_vs_table;
mod toc_mismatch;

pub use context::Checker;
pub(crate) use corroborate::{simple_edit, simple_edit_by};
pub use corroborate::{Assessment, Confidence, Evidence, SURE_OCR};

/// How sure a finding is that something is wrong.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// The rule could not reconcile what it read, and the reading itself is
    /// not corroborated: most likely the table or text was read wrong. Off
    /// by default ([`check`] leaves notices out; [`check_with`] keeps them).
    Notice,
    /// Worth a look: the document may explain it, or the reading may be off.
    Warning,
    /// The document contradicts itself.
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Notice => "notice",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// A figure a finding compares.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Value {
    Money(Amount),
    Count(i64),
    /// Percent in hundredths of a percent point (35,7 % = 3570).
    Percent(i64),
}

impl Value {
    pub fn as_f64(self) -> f64 {
        match self {
            Value::Money(a) => a.as_nok_f64(),
            Value::Count(n) => n as f64,
            Value::Percent(h) => h as f64 / 100.0,
        }
    }

    fn minus(self, other: Value) -> Option<Value> {
        Some(match (self, other) {
            (Value::Money(a), Value::Money(b)) => Value::Money(a - b),
            (Value::Count(a), Value::Count(b)) => Value::Count(a - b),
            (Value::Percent(a), Value::Percent(b)) => Value::Percent(a - b),
            _ => return None,
        })
    }
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Money(a) => write!(f, "{a}"),
            Value::Count(n) => {
                // Grouped by thousands with a space, as the documents print them.
                let digits = n.unsigned_abs().to_string();
                let mut grouped = String::new();
                for (i, d) in digits.chars().enumerate() {
                    if i > 0 && (digits.len() - i) % 3 == 0 {
                        grouped.push(' ');
                    }
                    grouped.push(d);
                }
                let sign = if *n < 0 { "-" } else { "" };
                write!(f, "{sign}{grouped}")
            }
            Value::Percent(h) => {
                let sign = if *h < 0 { "-" } else { "" };
                let h = h.unsigned_abs();
                if h % 100 == 0 {
                    write!(f, "{sign}{} %", h / 100)
                } else if h % 10 == 0 {
                    write!(f, "{sign}{},{} %", h / 100, (h % 100) / 10)
                } else {
                    write!(f, "{sign}{},{:02} %", h / 100, h % 100)
                }
            }
        }
    }
}

/// A place in the document a finding points at.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Location {
    pub span: Span,
    /// Byte range within line `span.line` of the normalised text, where known.
    pub range: Option<Range<usize>>,
    /// The table cell this place is, when it is one.
    pub cell: Option<CellRef>,
    /// What this place contributes: "stated total", "item", "table value".
    pub label: String,
}

/// A cell of one of the document's tables: the table's index among them, and
/// the cell's grid row (header rows included) and column.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CellRef {
    pub table: usize,
    pub row: usize,
    pub col: usize,
}

/// One disagreement. The first location is the primary one (the total cell, the
/// prose sentence); the rest are what it was compared with.
#[derive(Clone, Debug, PartialEq)]
pub struct Finding {
    pub rule: &'static str,
    pub severity: Severity,
    pub message: String,
    pub stated: Option<Value>,
    pub computed: Option<Value>,
    pub locations: Vec<Location>,
    pub hint: Option<String>,
    /// How sure the rule is of the reading the finding rests on …
    pub confidence: Confidence,
    /// … and why: what corroborates it, or what could not be reconciled.
    pub reason: String,
    /// Set by rules that lower their own default (an explained gap).
    downgraded: bool,
    /// Set by rules whose reading is not corroborated: a notice at most.
    unreconciled: bool,
    /// How sure OCR was of the text the finding rests on, where a scanned
    /// page was read (the least sure of its places).
    pub ocr: Option<crate::model::WordConfidence>,
}

impl Finding {
    pub fn new(message: impl Into<String>) -> Self {
        Finding {
            rule: "",
            severity: Severity::Error,
            message: message.into(),
            stated: None,
            computed: None,
            locations: Vec::new(),
            hint: None,
            confidence: Confidence::Medium,
            reason: String::new(),
            downgraded: false,
            unreconciled: false,
            ocr: None,
        }
    }

    /// Records how sure the reading is and why. A reading that is not
    /// corroborated ([`Confidence::Low`]) makes the finding a notice: the
    /// rule could not reconcile it, which says more about the reading than
    /// about the document.
    pub fn assessed(mut self, a: corroborate::Assessment) -> Self {
        self.confidence = a.confidence;
        self.reason = a.reason;
        self.unreconciled = a.confidence == Confidence::Low;
        if self.unreconciled && !self.message.starts_with("could not reconcile") {
            self.message = format!("could not reconcile: {}", self.message);
        }
        self
    }

    pub fn figures(mut self, stated: Value, computed: Value) -> Self {
        self.stated = Some(stated);
        self.computed = Some(computed);
        self
    }

    pub fn at(mut self, loc: Location) -> Self {
        self.locations.push(loc);
        self
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        let hint = hint.into();
        self.hint = Some(match self.hint.take() {
            Some(h) => format!("{h}; {hint}"),
            None => hint,
        });
        self
    }

    /// Marks the finding as a warning whatever the rule's default.
    pub fn warning(mut self) -> Self {
        self.downgraded = true;
        self
    }

    /// `stated − computed`, where both are figures of the same kind.
    pub fn difference(&self) -> Option<Value> {
        self.stated?.minus(self.computed?)
    }

    pub fn primary(&self) -> Option<&Location> {
        self.locations.first()
    }
}

/// A consistency rule. Implemented through [`declare_rule!`].
pub trait Rule: Sync {
    /// Stable kebab-case id, part of the output contract.
    fn id(&self) -> &'static str;
    fn severity(&self) -> Severity;
    /// The rule's documentation: what it checks, why it matters, an example.
    fn explanation(&self) -> &'static str;
    fn check(&self, cx: &Checker, out: &mut Vec<Finding>);
}

/// Declares a rule: its doc comment becomes its explanation.
macro_rules! declare_rule {
    ($(#[doc = $doc:literal])+ pub struct $name:ident { id: $id:literal, severity: $sev:ident, check: $check:path $(,)? }) => {
        $(#[doc = $doc])+
        pub struct $name;

        impl $crate::rules::Rule for $name {
            fn id(&self) -> &'static str {
                $id
            }
            fn severity(&self) -> $crate::rules::Severity {
                $crate::rules::Severity::$sev
            }
            fn explanation(&self) -> &'static str {
                concat!($($doc, "\n"),+)
            }
            fn check(&self, cx: &$crate::rules::Checker, out: &mut Vec<$crate::rules::Finding>) {
                $check(cx, out)
            }
        }
    };
}
pub(crate) use declare_rule;

/// Every rule, in the order findings of equal position are listed.
pub static RULES: &[&dyn Rule] = &[
    // Before column-sum: where both flag a spreadsheet's total, the formula
    // says more (which range, which row it misses).
    &formula_range::FormulaRange,
    &column_sum::ColumnSum,
    &row_sum::RowSum,
    &text_vs_table::TextVsTable,
    &text_sum::TextSum,
    &cross_table::CrossTable,
    &count_mismatch::CountMismatch,
    &percent_sum::PercentSum,
    &date_conflict::DateConflict,
    &numbering::Numbering,
    &toc_mismatch::TocMismatch,
    &cross_reference::CrossReference,
];

pub fn rule(id: &str) -> Option<&'static dyn Rule> {
    RULES.iter().copied().find(|r| r.id() == id)
}

/// The rule id a misspelt one most likely means ("colum-sum" → "column-sum"):
/// the nearest within two edits, if one is.
pub fn closest_id(id: &str) -> Option<&'static str> {
    RULES
        .iter()
        .map(|r| (strsim::levenshtein(id, r.id()), r.id()))
        .filter(|&(d, _)| d <= 2)
        .min()
        .map(|(_, id)| id)
}

/// The explanation as people read it: doc-comment indentation removed.
pub fn explanation_text(rule: &dyn Rule) -> String {
    rule.explanation()
        .lines()
        .map(|l| l.strip_prefix(' ').unwrap_or(l))
        .collect::<Vec<_>>()
        .join("\n")
        .trim()
        .to_string()
}

/// The reason a finding of a rule that does not weigh its own reading gives.
const UNWEIGHED: &str = "the rule's own criteria; its reading is not cross-checked";

/// One rule's findings, stamped with its id and severity: an unreconciled
/// reading makes a notice, a rule's own downgrade a warning; a finding
/// without an assessment gets the rule's default confidence.
fn run(rule: &dyn Rule, cx: &Checker) -> Vec<Finding> {
    let mut found = Vec::new();
    rule.check(cx, &mut found);
    for f in &mut found {
        f.rule = rule.id();
        f.severity = if f.unreconciled {
            Severity::Notice
        } else if f.downgraded {
            Severity::Warning
        } else {
            rule.severity()
        };
        if f.reason.is_empty() {
            f.reason = UNWEIGHED.to_string();
        }
        corroborate::weigh_ocr(cx, f);
    }
    found
}

/// Runs every rule over one document, notices left out (see [`check_with`]).
pub fn check(doc: &Document, plan: &Plan) -> Vec<Finding> {
    check_with(doc, plan, false)
}

/// Runs every rule over one document. Findings come in document order; a
/// disagreement two rules see (the same stated figure at the same place) is
/// reported once, by the rule listed first. Notices ("could not reconcile")
/// are kept only when `notices` is set.
pub fn check_with(doc: &Document, plan: &Plan, notices: bool) -> Vec<Finding> {
    let cx = Checker::new(doc, plan);
    let mut all = Vec::new();
    for (order, rule) in RULES.iter().enumerate() {
        all.extend(
            run(*rule, &cx)
                .into_iter()
                .filter(|f| notices || f.severity != Severity::Notice)
                .map(|f| (order, f)),
        );
    }
    let key = |f: &Finding| {
        f.primary()
            .map(|l| (l.span.line, l.range.as_ref().map(|r| r.start)))
    };
    all.sort_by(|(oa, a), (ob, b)| key(a).cmp(&key(b)).then(oa.cmp(ob)));
    let mut out: Vec<Finding> = Vec::new();
    // Findings come in order of their key, and a repeat has the key of the
    // one it repeats: only the last run of one key need be looked through.
    let mut run_start = 0;
    for (_, f) in all {
        let k = key(&f);
        if out.last().is_some_and(|g| key(g) != k) {
            run_start = out.len();
        }
        let same_key = &out[run_start..];
        let dup = same_key
            .iter()
            .any(|g| g.stated == f.stated && f.stated.is_some() && g.rule != f.rule);
        if !dup && !same_key.contains(&f) {
            out.push(f);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_kebab_case() {
        let mut ids: Vec<&str> = RULES.iter().map(|r| r.id()).collect();
        for id in &ids {
            assert!(
                id.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
                "{id}"
            );
        }
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), RULES.len());
    }

    #[test]
    fn explanations_have_the_fixed_sections() {
        for r in RULES {
            let text = explanation_text(*r);
            for section in ["## What it checks", "## Why it matters", "## Example"] {
                assert!(text.contains(section), "{} lacks {section}", r.id());
            }
        }
    }

    #[test]
    fn counts_print_grouped_by_thousands() {
        assert_eq!(Value::Count(7).to_string(), "7");
        assert_eq!(Value::Count(3980).to_string(), "3 980");
        assert_eq!(Value::Count(-1_234_567).to_string(), "-1 234 567");
    }

    #[test]
    fn percent_values_print_as_written() {
        assert_eq!(Value::Percent(3570).to_string(), "35,7 %");
        assert_eq!(Value::Percent(10000).to_string(), "100 %");
        assert_eq!(Value::Percent(-150).to_string(), "-1,5 %");
    }
}

/// Helpers for the rules' unit tests: read a text fixture, run one rule.
#[cfg(test)]
pub(crate) mod testing {
    use super::{rule, Checker, Finding};

    /// The rule's findings, notices left out as a run leaves them out.
    pub fn findings(id: &str, text: &str) -> Vec<Finding> {
        all_findings(id, text)
            .into_iter()
            .filter(|f| f.severity != super::Severity::Notice)
            .collect()
    }

    /// The rule's findings, notices included.
    pub fn all_findings(id: &str, text: &str) -> Vec<Finding> {
        let doc = crate::ingest::ingest(text.as_bytes(), &crate::ingest::IngestOptions::default())
            .expect("fixture reads");
        let plan = crate::extract::extract(&doc);
        super::run(rule(id).expect("rule exists"), &Checker::new(&doc, &plan))
    }
}

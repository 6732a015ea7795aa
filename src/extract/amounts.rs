//! Amounts in prose and what they are for.

use std::sync::LazyLock;

use regex::Regex;

use super::structure::Context;
use super::ExtractedAmount;
use crate::model::{BlockKind, Document};
use crate::norsk::find_amounts;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AmountRole {
    Budget,
    Granted,
    Applied,
    Spent,
    Total,
    Unknown,
}

impl AmountRole {
    pub fn as_str(self) -> &'static str {
        match self {
            AmountRole::Budget => "budget",
            AmountRole::Granted => "granted",
            AmountRole::Applied => "applied",
            AmountRole::Spent => "spent",
            AmountRole::Total => "total",
            AmountRole::Unknown => "unknown",
        }
    }
}

static ROLES: LazyLock<Vec<(Regex, AmountRole)>> = LazyLock::new(|| {
    [
        (
            r"(?i)\b(til ?sam+[ae]n|totalt|i alt|samlet|samla|sum)\b",
            AmountRole::Total,
        ),
        (
            r"(?i)(innvilget|innvilga|tilsagn|bevilget|bevilga|tildelt|løyvd|løyvt)",
            AmountRole::Granted,
        ),
        (r"(?i)(søkt|søknad|omsøkt)", AmountRole::Applied),
        (
            r"(?i)(regnskap|rekneskap|brukt|forbrukt|påløpt)",
            AmountRole::Spent,
        ),
        (
            r"(?i)(budsjett|ramme|sett(?:es)?\s+(?:det\s+)?av|satt\s+av|set(?:jast)?\s+av|avsettes|avsatt|avsett|budsjetteres|beløp|kostnad|finansier)",
            AmountRole::Budget,
        ),
    ]
    .into_iter()
    .map(|(r, k)| (Regex::new(r).expect("role regex"), k))
    .collect()
});

/// The role a phrase gives the amount it describes.
pub fn role_of(text: &str) -> AmountRole {
    ROLES
        .iter()
        .find(|(r, _)| r.is_match(text))
        .map_or(AmountRole::Unknown, |(_, k)| *k)
}

static YEAR_IN: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\bi\s+((?:19|20)\d\d)\b").unwrap());

pub fn prose_amounts(doc: &Document, ctx: &Context) -> Vec<ExtractedAmount> {
    let mut out = Vec::new();
    for b in doc.blocks() {
        if !matches!(b.kind, BlockKind::Paragraph | BlockKind::ListItem { .. }) {
            continue;
        }
        for m in find_amounts(&b.text) {
            // The sentence around the figure decides its role and year.
            let start = b.text[..m.range.start]
                .rfind(['.', '!', '?'])
                .map_or(0, |i| i + 1);
            let end = b.text[m.range.end..]
                .find(['.', '!', '?'])
                .map_or(b.text.len(), |i| m.range.end + i);
            let sentence = &b.text[start..end];
            let year = YEAR_IN.captures(sentence).and_then(|c| c[1].parse().ok());
            let (goal, measure) = ctx.at(b.span.line);
            out.push(ExtractedAmount {
                amount: m.amount,
                text: m.text,
                role: role_of(sentence),
                year,
                source: None,
                goal,
                measure,
                span: b.span,
            });
        }
    }
    out
}

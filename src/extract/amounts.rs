//! Amounts in prose and what they are for.

use std::sync::LazyLock;

use regex::Regex;

use super::actors::ActorTable;
use super::structure::Context;
use super::{ExtractedAmount, TableInfo};
use crate::model::{BlockKind, Document};
use crate::norsk::{find_amounts, Money};

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

/// Every money figure in running text, with its role, year, goal and measure,
/// and, where its sentence names the giver, its source: a column a table's
/// header names (`tables` is the plan's reading of them) or one of the plan's
/// `actors`.
pub fn prose_amounts(
    doc: &Document,
    ctx: &Context,
    actors: &ActorTable,
    tables: &[TableInfo],
    grids: &[super::grid::Grid],
) -> Vec<ExtractedAmount> {
    let mut out = Vec::new();
    // Whether each sourced figure is its giver's whole contribution.
    let mut whole: Vec<Option<bool>> = Vec::new();
    let mut names: Option<Names> = None;
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
            let mut year = YEAR_IN.captures(sentence).and_then(|c| c[1].parse().ok());
            let (goal, measure) = ctx.at(b.span.line);
            let giver = giver_of(&b.text, &m, || {
                names.get_or_insert_with(|| {
                    // A copy: naming givers must not add to the plan's actors.
                    let mut actors = actors.clone();
                    let columns = super::tables::column_sources(tables, grids, &mut actors);
                    Names { actors, columns }
                })
            });
            if let Some((s, _)) = &giver {
                year = year.or_else(|| YEAR_IN.captures(s).and_then(|c| c[1].parse().ok()));
            }
            whole.push(giver.as_ref().map(|(_, g)| g.whole));
            out.push(ExtractedAmount {
                amount: m.amount,
                text: m.text,
                role: role_of(sentence),
                year,
                source: giver.map(|(_, g)| g.source),
                goal,
                measure,
                span: b.span,
            });
        }
    }
    settle_source_roles(&mut out, &whole);
    out
}

/// For a figure with a source, [`AmountRole::Total`] says it is the source's
/// whole contribution: the figure the text calls a total ("til sammen",
/// "totalt", "i alt"), or the only figure the text gives for that source, when
/// nothing narrows it to a part ("… til kurs", "… per år", "inntil …").
/// A narrowed figure is never the source's total, whatever its sentence says.
fn settle_source_roles(amounts: &mut [ExtractedAmount], whole: &[Option<bool>]) {
    for i in 0..amounts.len() {
        let (Some(source), Some(w)) = (&amounts[i].source, whole[i]) else {
            continue;
        };
        let mut figures: Vec<_> = amounts
            .iter()
            .filter(|a| a.source.as_ref() == Some(source))
            .map(|a| a.amount)
            .collect();
        figures.sort();
        figures.dedup();
        let a = &mut amounts[i];
        a.role = match (w, a.role) {
            (false, AmountRole::Total) => AmountRole::Budget,
            (true, AmountRole::Unknown | AmountRole::Budget) if figures.len() == 1 => {
                AmountRole::Total
            }
            (_, r) => r,
        };
    }
}

/// Who gives a figure, as the sentence names the giver.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Giver {
    /// The source, named as the tables' column headers name it.
    source: String,
    /// Nothing in the sentence narrows the figure to a part of what the source
    /// gives (a purpose, a rate, a ceiling, "hvorav").
    whole: bool,
}

/// The names a giver can have: the funding sources the document's tables head
/// columns with, and the organisations the actor table canonicalises.
struct Names {
    actors: ActorTable,
    columns: Vec<String>,
}

impl Names {
    /// The source `phrase` names as a whole: a table column's source, else an
    /// organisation written exactly so.
    fn whole_name(&mut self, phrase: &str) -> Option<String> {
        let k = key(phrase);
        if k.is_empty() {
            return None;
        }
        if let Some(c) = self.columns.iter().find(|c| key(c) == k) {
            return Some(c.clone());
        }
        match self.actors.scan(phrase)[..] {
            [i] => {
                let a = &self.actors.actors[i];
                (key(&a.name) == k || a.variants.iter().any(|v| key(v) == k))
                    .then(|| a.name.clone())
            }
            _ => None,
        }
    }

    /// The longest name `text` starts with ("Sparebankstiftelsen Helgeland" is
    /// the column "Sparebankstiftelsen"), and the text after it.
    fn name_at_start<'t>(&mut self, text: &'t str) -> Option<(String, &'t str)> {
        let words: Vec<(usize, &str)> = text
            .split_whitespace()
            .map(|w| (w.as_ptr() as usize - text.as_ptr() as usize, w))
            .collect();
        for n in (1..=words.len().min(6)).rev() {
            let (at, last) = words[n - 1];
            let end = at + last.len();
            let phrase = text[..end].trim_end_matches(['.', ',', ';', ':', ')']);
            if let Some(name) = self.whole_name(phrase) {
                return Some((name, &text[end..]));
            }
        }
        None
    }
}

/// Letters and digits only, lower case: how names are compared.
fn key(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Verbs whose subject gives the figure that follows: "Sparebankstiftelsen
/// bidrar med …", "Fylkeskommunen gjev …", "I 2025 stiller kommunene med …".
static GIVER_VERB: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:bidrar|bidreg|bidro|bidrog|gir|gjev|gav|ga|finansierer|finansierar|finansierte|dekker|dekkjer|dekket|dekte|stiller\s+med|stilte\s+med)\b")
        .expect("giver verb")
});
/// Words between a giver's verb and its figure that leave the figure whole.
static FILLER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:\s*(?:med|til\s*sam+[ae]n|totalt|i\s+alt|samla?t|samanlagt|sammenlagt|i\s+(?:19|20)\d\d|også|òg|inntil|opptil|maks(?:imalt)?|ca\.?|cirka|om\s+lag|omlag|rundt|omtrent)\b)*\s*$")
        .expect("filler")
});
/// What the whole plan is: a figure for it is not a part ("finansierer
/// tiltakene med …", "… til tiltaka").
const PLAN_WIDE: &str = r"(?:de\s+|dei\s+)?(?:tiltakene|tiltaka|planen|handlingsplanen|arbeidet|satsingen|satsinga|prosjektet|programmet)";
static PLAN_WIDE_OBJECT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"(?i)^\s*{PLAN_WIDE}\b(.*)$")).expect("plan-wide object")
});
/// After a figure: what leaves it whole ("fordelt på tre tiltak", "i 2025").
static WHOLE_TAIL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"(?i)^\s*(?:$|fordelt\b|til\s*sam+[ae]n\b|totalt\b|i\s+alt\b|samla?t\b|i\s+(?:19|20)\d\d\b|(?:til|for)\s+{PLAN_WIDE}\b)")).expect("whole tail")
});
/// "… 300 000 kr fra Sparebankstiftelsen": the giver after the figure.
static FROM: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^\s*(?:fra|frå)\s+(\S.*)$").expect("from"));
/// Words before a subject that are not part of it.
static LEAD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(?:og|men|mens|samt|dessuten|i\s+tillegg|også|der|hvor|kor)\s+")
        .expect("lead")
});
/// "… hvorav Sparebankstiftelsen bidrar med …": a part of a figure before it.
static OF_WHICH: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:hvorav|herav|derav|kvorav|av\s+dette|av\s+det)\b").expect("of which")
});
static CONJUNCTION: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\s(?:og|men|mens|samt)\s").expect("conjunction"));
static WITH: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?i)\smed\b").expect("with"));

/// The giver of figure `m` in `text` (a paragraph), with the sentence it sits
/// in: the organisation the sentence makes its giver — the subject of "bidrar
/// med", "gir", "finansierer", "dekker", "stiller med" (Nynorsk "bidreg med",
/// "gjev"), before the verb or right after it ("I 2025 bidrar X med …"), or
/// the name after the figure ("med 300 000 kr fra X", "frå X"). Only names the
/// document's tables or the actor table know count.
fn giver_of<'t, 'n>(
    text: &'t str,
    m: &Money,
    names: impl FnOnce() -> &'n mut Names,
) -> Option<(&'t str, Giver)> {
    let mut at = 0;
    let sentence = crate::norsk::sentences(text).find(|s| {
        at += s.len();
        at > m.range.start
    })?;
    let offset = at - sentence.len();
    let start = m.range.start - offset;
    let end = (m.range.end - offset).min(sentence.len());
    // The clause: commas, semicolons, colons and brackets bound it.
    let breaks = [',', ';', ':', '(', ')'];
    let clause_start = sentence[..start].rfind(breaks).map_or(0, |i| i + 1);
    let clause_end = sentence[end..]
        .find(breaks)
        .map_or(sentence.len(), |i| end + i);
    let before = &sentence[clause_start..start];
    let mut after = sentence[end..clause_end].trim_end_matches(['.', '!', '?']);
    let verb = GIVER_VERB.find_iter(before).last();
    if verb.is_none() && !FROM.is_match(after) {
        return None;
    }
    let names = names();
    let mut source = None;
    let mut whole = m.qualifier.is_none() && !OF_WHICH.is_match(before);
    if let Some(v) = verb {
        let gap = &before[v.end()..];
        // Another figure before the verb ends the subject's phrase; so does a
        // conjunction, unless the name spans it ("Kommunal- og …departementet").
        let subject = &before[..v.start()];
        let subject = match find_amounts(subject).last() {
            Some(f) => &subject[f.range.end..],
            None => subject,
        };
        let mut candidates = vec![subject];
        if let Some(c) = CONJUNCTION.find_iter(subject).last() {
            candidates.insert(0, &subject[c.end()..]);
        }
        for mut c in candidates {
            while let Some(l) = LEAD.find(c) {
                c = &c[l.end()..];
            }
            if let Some((name, _)) = names.name_at_start(c) {
                source = Some(name);
                break;
            }
        }
        if source.is_some() {
            // The object between verb and figure: the plan as a whole, or a part.
            let gap = PLAN_WIDE_OBJECT
                .captures(gap)
                .map_or(gap, |c| c.get(1).expect("group 1").as_str());
            whole &= FILLER.is_match(gap);
        } else {
            // "I 2025 bidrar Sparebankstiftelsen med …": the subject after the verb.
            let (name, rest) = match WITH.find(gap) {
                Some(w) => (&gap[..w.start()], &gap[w.start()..]),
                None => (gap, ""),
            };
            if FILLER.is_match(rest) {
                source = names.whole_name(name.trim());
            }
        }
    }
    if let Some(c) = FROM.captures(after) {
        let named = c.get(1).expect("group 1").as_str();
        match names.name_at_start(named) {
            Some((name, rest)) if source.as_ref().is_none_or(|s| *s == name) => {
                // Without a giving verb the clause's subject may be a part
                // ("Kurset får 300 000 kr fra …"): whole only when the plan's
                // work gets it and the sentence calls it a total.
                if source.is_none() {
                    whole &=
                        role_of(sentence) == AmountRole::Total && PLAN_WIDE_OBJECT.is_match(before);
                }
                source = Some(name);
                after = rest;
            }
            // Two givers: neither is sure.
            Some(_) => return None,
            None => {}
        }
    }
    let source = source?;
    whole &= WHOLE_TAIL.is_match(after);
    Some((sentence, Giver { source, whole }))
}

#[cfg(test)]
mod tests {
    use super::AmountRole;

    /// The source and role extraction gives each prose figure of `text`,
    /// read with a financing table headed by the three sources.
    fn check(text: &str, expected: &[(&str, Option<&str>, AmountRole)]) {
        let doc = format!(
            "Handlingsplan 2025\n\n{text}\n\nTiltak\tNordland fylkeskommune\tKommunene\tSparebankstiftelsen\nFestival\t300 000\t200 000\t400 000\nSum\t300 000\t200 000\t400 000\n"
        );
        let doc = crate::ingest::ingest(doc.as_bytes(), &crate::ingest::IngestOptions::default())
            .expect("text reads");
        let plan = crate::extract::extract(&doc);
        let prose: Vec<_> = plan
            .amounts
            .iter()
            .filter(|a| in_prose(&doc, a))
            .map(|a| (a.text.as_str(), a.source.as_deref(), a.role))
            .collect();
        assert_eq!(prose, expected, "{text}");
    }

    #[test]
    fn the_subject_of_a_giving_verb_is_the_source() {
        use AmountRole::*;
        check(
            "Sparebankstiftelsen bidrar med til sammen 1,1 mill. kr fordelt på tre tiltak.",
            &[("1,1 mill. kr", Some("Sparebankstiftelsen"), Total)],
        );
        check(
            "Kommunene stiller med 200 000 kr, og Sparebankstiftelsen Helgeland gjev 400 000 kr.",
            &[
                ("200 000 kr", Some("Kommunene"), Total),
                ("400 000 kr.", Some("Sparebankstiftelsen"), Total),
            ],
        );
        check(
            "I 2025 bidreg Nordland fylkeskommune med 300 000 kr.",
            &[("300 000 kr.", Some("Nordland fylkeskommune"), Total)],
        );
    }

    #[test]
    fn the_name_after_fra_is_the_source() {
        use AmountRole::*;
        check(
            "Tiltakene finansieres med til sammen 400 000 kr frå Sparebankstiftelsen.",
            &[("400 000 kr", Some("Sparebankstiftelsen"), Total)],
        );
        // The festival's own money from the source is a part of what it gives.
        check(
            "Festivalen får til sammen 400 000 kr fra Sparebankstiftelsen.",
            &[("400 000 kr", Some("Sparebankstiftelsen"), Budget)],
        );
    }

    #[test]
    fn a_figure_narrowed_to_a_part_is_not_the_sources_total() {
        use AmountRole::*;
        for text in [
            "Sparebankstiftelsen bidrar med 300 000 kr til kurs.",
            "Sparebankstiftelsen bidrar med inntil 400 000 kr.",
            "Sparebankstiftelsen bidrar med 100 000 kr per år.",
            "Sparebankstiftelsen finansierer festivalen med 400 000 kr.",
        ] {
            let found = find(text);
            assert_eq!(found.0.as_deref(), Some("Sparebankstiftelsen"), "{text}");
            assert_ne!(found.1, Total, "{text}");
        }
        // Two figures for one source: neither is its total by being the only one.
        check(
            "Sparebankstiftelsen bidrar med 300 000 kr. Sparebankstiftelsen gir også 100 000 kr.",
            &[
                ("300 000 kr.", Some("Sparebankstiftelsen"), Unknown),
                ("100 000 kr.", Some("Sparebankstiftelsen"), Unknown),
            ],
        );
    }

    #[test]
    fn no_source_without_a_named_giver() {
        use AmountRole::*;
        check(
            "Prosjektet gir 300 000 kr i inntekter.",
            &[("300 000 kr", None, Unknown)],
        );
        check(
            "Det settes av 560 000 kr til innkjøp av ressurs fra Nordland fylkeskommune.",
            &[("560 000 kr", None, Budget)],
        );
    }

    fn in_prose(doc: &crate::model::Document, a: &crate::extract::ExtractedAmount) -> bool {
        doc.blocks()
            .any(|b| matches!(b.kind, crate::model::BlockKind::Paragraph) && b.span == a.span)
    }

    fn find(text: &str) -> (Option<String>, AmountRole) {
        let doc = format!(
            "Handlingsplan 2025\n\n{text}\n\nTiltak\tSparebankstiftelsen\nFestival\t400 000\nSum\t400 000\n"
        );
        let doc = crate::ingest::ingest(doc.as_bytes(), &crate::ingest::IngestOptions::default())
            .expect("text reads");
        let plan = crate::extract::extract(&doc);
        let a = plan
            .amounts
            .iter()
            .find(|a| in_prose(&doc, a))
            .expect("a prose figure");
        (a.source.clone(), a.role)
    }
}

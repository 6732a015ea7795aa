//! Amounts in prose and what they are for.

use std::sync::LazyLock;

use regex::Regex;

use crate::norsk::Pattern;

use super::actors::ActorTable;
use super::grid::Grid;
pub use super::lexicon::{role_of, role_of_heading, AmountRole};
use super::lexicon::{
    ALLOCATION, BUDGET_YEAR, IN_ADDITION, LEFT_OUT, OF_WHICH, OTHER_MONEY, TOTAL_AFTER,
    TOTAL_BEFORE, TOTAL_CUE,
};
use super::{Context, ExtractedAmount, FigureCues, Origin, ProseSentence, TableInfo};
use crate::model::{BlockKind, Document};
use crate::norsk::{find_amounts, Money};

static YEAR_IN: LazyLock<Pattern> =
    LazyLock::new(|| Pattern::new(r"\bi\s+((?:19|20)[0-9][0-9])\b").unwrap());

/// Every money figure in running text, read once, sentence by sentence: its
/// role, year, goal and measure, what the words around it say of it, and,
/// where its sentence names the giver, its source — a column a table's
/// header names (`tables` and `grids` are the plan's reading of them) or one
/// of the plan's `actors`. Also the sentences that give the figures.
pub fn prose_amounts(
    doc: &Document,
    cuts: &super::sentences::BlockSentences,
    ctx: &Context,
    actors: &ActorTable,
    tables: &[TableInfo],
    grids: &[Grid],
) -> (Vec<ExtractedAmount>, Vec<ProseSentence>) {
    let mut out = Vec::new();
    let mut sentences = Vec::new();
    // Whether each sourced figure is its giver's whole contribution.
    let mut whole: Vec<Option<bool>> = Vec::new();
    let mut names: Option<Names> = None;
    for (ordinal, b) in doc.blocks().enumerate() {
        if !matches!(b.kind, BlockKind::Paragraph | BlockKind::ListItem { .. }) {
            continue;
        }
        let (goal, measure) = ctx.at(b.span.line);
        let all: Vec<&str> = bounded(cuts.of_block(ordinal, b));
        for (i, &sentence) in all.iter().enumerate() {
            let found = find_amounts(sentence);
            if found.is_empty() {
                continue;
            }
            let offset = sentence.as_ptr() as usize - b.text.as_ptr() as usize;
            let role = role_of(sentence);
            let id = sentences.len();
            sentences.push(ProseSentence {
                text: sentence.to_string(),
                span: b.span,
                role,
                total: TOTAL_CUE.is_match(sentence),
                of_which: OF_WHICH.is_match(sentence),
                year: BUDGET_YEAR
                    .captures(sentence)
                    .and_then(|c| c[1].parse().ok()),
                figures: found.len(),
                allocates: ALLOCATION.is_match(sentence),
                left_out: left_out(sentence, all.get(i + 1).copied()),
            });
            for m in found {
                let before = &sentence[..m.range.start];
                let cues = FigureCues {
                    marked_total: TOTAL_BEFORE.is_match(before)
                        || TOTAL_AFTER.is_match(&sentence[m.range.end..]),
                    other_money: OTHER_MONEY.is_match(clause_around(sentence, m.range.clone())),
                    in_addition: IN_ADDITION.is_match(before),
                };
                let year = YEAR_IN.captures(sentence).and_then(|c| c[1].parse().ok());
                let giver = giver_of(sentence, &m, || {
                    names.get_or_insert_with(|| {
                        // A copy: naming givers must not add to the plan's actors.
                        let mut actors = actors.clone();
                        let columns = super::tables::column_sources(tables, grids, &mut actors);
                        Names { actors, columns }
                    })
                });
                whole.push(giver.as_ref().map(|g| g.whole));
                let range = m.range.start + offset..m.range.end + offset;
                out.push(ExtractedAmount {
                    money: Money { range, ..m },
                    role,
                    year,
                    source: giver.map(|g| g.source),
                    goal,
                    measure,
                    span: b.span,
                    origin: Origin::Prose { sentence: id, cues },
                });
            }
        }
    }
    settle_source_roles(&mut out, &whole);
    (out, sentences)
}

/// Longer than any budget sentence: a list or a table set as one paragraph.
const MAX_SENTENCE: usize = 1000;

/// `sentences`, none longer than [`MAX_SENTENCE`]: a longer one
/// is cut at every full stop, then at spaces. The cues of a figure are read
/// in its sentence, so a paragraph of 88 000 lines with no sentence break
/// must not make every figure read the whole paragraph.
fn bounded<'t>(sentences: impl Iterator<Item = &'t str>) -> Vec<&'t str> {
    let mut out = Vec::new();
    for s in sentences {
        if s.len() <= MAX_SENTENCE {
            out.push(s);
            continue;
        }
        let mut rest = s;
        while rest.len() > MAX_SENTENCE {
            let window = &rest[..crate::norsk::floor_boundary(rest, MAX_SENTENCE)];
            // A full stop before a capital, else a space ("2 mill. kr" stays whole).
            let stop = window
                .match_indices(". ")
                .map(|(i, _)| i + 2)
                .filter(|&i| rest[i..].chars().next().is_some_and(char::is_uppercase));
            let cut = stop
                .last()
                .or_else(|| window.rfind(' ').map(|i| i + 1))
                .filter(|&i| i > 0)
                .unwrap_or(window.len().max(1));
            out.push(&rest[..cut]);
            rest = &rest[cut..];
        }
        if !rest.is_empty() {
            out.push(rest);
        }
    }
    out
}

/// The words saying a figure of `sentence` is left out of a table: the
/// sentence, or it and the `next` one when that one says so.
fn left_out(sentence: &str, next: Option<&str>) -> Option<String> {
    if LEFT_OUT.is_match(sentence) {
        return Some(sentence.trim().to_string());
    }
    let next = next.filter(|n| LEFT_OUT.is_match(n))?;
    Some(format!("{} {}", sentence.trim(), next.trim()))
}

/// The comma-, semicolon- or colon-delimited clause of `sentence` around `range`.
fn clause_around(sentence: &str, range: std::ops::Range<usize>) -> &str {
    let start = sentence[..range.start]
        .rfind([',', ';', ':'])
        .map_or(0, |i| i + 1);
    let end = sentence[range.end..]
        .find([',', ';', ':'])
        .map_or(sentence.len(), |i| range.end + i);
    &sentence[start..end]
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
            .map(|a| a.amount())
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
static GIVER_VERB: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(r"(?i)\b(?:bidrar|bidreg|bidro|bidrog|gir|gjev|gav|ga|finansierer|finansierar|finansierte|dekker|dekkjer|dekket|dekte|stiller\s+med|stilte\s+med)\b")
        .expect("giver verb")
});
/// Words between a giver's verb and its figure that leave the figure whole.
static FILLER: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(r"(?i)^(?:\s*(?:med|til\s*sam+[ae]n|totalt|i\s+alt|samla?t|samanlagt|sammenlagt|i\s+(?:19|20)[0-9][0-9]|også|òg|inntil|opptil|maks(?:imalt)?|ca\.?|cirka|om\s+lag|omlag|rundt|omtrent)\b)*\s*$")
        .expect("filler")
});
/// What the whole plan is: a figure for it is not a part ("finansierer
/// tiltakene med …", "… til tiltaka").
const PLAN_WIDE: &str = r"(?:de\s+|dei\s+)?(?:tiltakene|tiltaka|planen|handlingsplanen|arbeidet|satsingen|satsinga|prosjektet|programmet)";
static PLAN_WIDE_OBJECT: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(&format!(r"(?i)^\s*{PLAN_WIDE}\b(.*)$")).expect("plan-wide object")
});
/// After a figure: what leaves it whole ("fordelt på tre tiltak", "i 2025").
static WHOLE_TAIL: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(&format!(r"(?i)^\s*(?:$|fordelt\b|til\s*sam+[ae]n\b|totalt\b|i\s+alt\b|samla?t\b|i\s+(?:19|20)[0-9][0-9]\b|(?:til|for)\s+{PLAN_WIDE}\b)")).expect("whole tail")
});
/// "… 300 000 kr fra Sparebankstiftelsen": the giver after the figure.
static FROM: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^\s*(?:fra|frå)\s+(\S.*)$").expect("from"));
/// Words before a subject that are not part of it.
static LEAD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(?:og|men|mens|samt|dessuten|i\s+tillegg|også|der|hvor|kor)\s+")
        .expect("lead")
});
static CONJUNCTION: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\s(?:og|men|mens|samt)\s").expect("conjunction"));
static WITH: LazyLock<Pattern> = LazyLock::new(|| Pattern::new(r"(?i)\smed\b").expect("with"));

/// The giver of figure `m` in `sentence` (`m.range` is in the sentence):
/// the organisation the sentence makes its giver — the subject of "bidrar
/// med", "gir", "finansierer", "dekker", "stiller med" (Nynorsk "bidreg med",
/// "gjev"), before the verb or right after it ("I 2025 bidrar X med …"), or
/// the name after the figure ("med 300 000 kr fra X", "frå X"). Only names the
/// document's tables or the actor table know count.
fn giver_of<'n>(sentence: &str, m: &Money, names: impl FnOnce() -> &'n mut Names) -> Option<Giver> {
    let start = m.range.start;
    let end = m.range.end.min(sentence.len());
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
    Some(Giver { source, whole })
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
            .map(|a| (a.money.text.as_str(), a.source.as_deref(), a.role))
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

    /// Each prose figure is read once with its sentence and the cues the
    /// rules weigh: Nynorsk and Bokmål.
    #[test]
    fn figures_are_read_with_their_sentence_and_cues() {
        let text = "Det er sett av til saman 600 000 kr, fordelt med 300 000 kr til kurs, 200 000 kr til reiser og 100 000 kr til drift i 2026. I tillegg kjem 50 000 kr i eigendel. Husleie på 20 000 kr er ikke tatt med i tabellen.";
        let doc = crate::ingest::ingest(
            format!("Handlingsplan\n\n{text}\n").as_bytes(),
            &crate::ingest::IngestOptions::default(),
        )
        .expect("text reads");
        let plan = crate::extract::extract(&doc);
        let read: Vec<_> = plan
            .amounts
            .iter()
            .map(|a| {
                let (s, cues) = a.in_prose(&plan).expect("prose");
                (a.money.text.trim_end_matches('.'), s.figures, s.year, cues)
            })
            .collect();
        let cues = |marked_total, other_money, in_addition| crate::extract::FigureCues {
            marked_total,
            other_money,
            in_addition,
        };
        assert_eq!(
            read,
            [
                ("600 000 kr", 4, Some(2026), cues(true, false, false)),
                ("300 000 kr", 4, Some(2026), cues(false, false, false)),
                ("200 000 kr", 4, Some(2026), cues(false, false, false)),
                ("100 000 kr", 4, Some(2026), cues(false, false, false)),
                ("50 000 kr", 1, None, cues(false, true, true)),
                ("20 000 kr", 1, None, cues(false, false, false)),
            ]
        );
        assert_eq!(plan.sentences[0].role, AmountRole::Total);
        assert!(plan.sentences[0].total);
        assert_eq!(
            plan.sentences[2].left_out.as_deref(),
            Some("Husleie på 20 000 kr er ikke tatt med i tabellen.")
        );
        // The sentence after may give the explanation; the rule asks that the
        // figure named be the table's gap.
        assert!(plan.sentences[1]
            .left_out
            .as_deref()
            .is_some_and(|q| q.ends_with("tatt med i tabellen.")));
        assert_eq!(plan.sentences[0].left_out, None);
    }

    /// A paragraph without sentence breaks is cut into pieces a figure's cues
    /// can be read in, at a full stop before a capital or at a space.
    #[test]
    fn run_on_paragraphs_are_cut() {
        let line =
            "Tiltak 12.3 Bygdevekst i Lesja kommune koster 1 250 000 kr i 2025, jf. tabell 4. ";
        let text = line.repeat(200);
        let pieces = bounded_sentences(&text);
        assert!(pieces.len() >= 17, "{}", pieces.len());
        assert!(pieces.iter().all(|p| p.len() <= super::MAX_SENTENCE));
        assert_eq!(pieces.concat(), text);
        assert!(
            pieces.iter().all(|p| p.starts_with("Tiltak")),
            "{:?}",
            &pieces[..2]
        );
        let short = "Det er sett av 2 mill. kr. Resten kjem seinare.";
        assert_eq!(bounded_sentences(short).len(), 2);
    }

    fn bounded_sentences(text: &str) -> Vec<&str> {
        super::bounded(crate::norsk::sentences(text))
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

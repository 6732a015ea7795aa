use crate::extract::{ExtractedAmount, FigureCues, Origin};

use super::figure::Fig;
use super::prose::scopes;
use super::text_vs_table::scope_name;
use super::{declare_rule, simple_edit, Checker, Evidence, Finding, Value};

declare_rule! {
    /// ## What it checks
    /// A total stated in the text against the parts the text gives for it:
    /// within one sentence ("300 000 kr til A og 200 000 kr til B, til sammen
    /// 600 000 kr"), and between a goal's budget and the budgets the text gives
    /// its measures, where the measures' figures add up to more than the goal's.
    /// (Less is not flagged: a goal's budget may cover work no measure names.)
    ///
    /// ## Confidence
    /// An error only when the reading is corroborated: a simple edit explains
    /// the gap (the total and the sum differ in one digit or by two adjacent
    /// digits swapped, one part's digits would reconcile them, the total
    /// leaves one part out or counts one twice, one part in thousands), or
    /// the document's other totals in the text reconcile with their parts
    /// under the same reading; in one sentence that names its total and
    /// lists its parts, the sentence itself says how it is read. Two of
    /// these: high confidence; one: medium; none: a notice, "could not
    /// reconcile", left out of a run
    /// unless asked for (`--notices`, or `notices = true` in `plansjekk.toml`).
    ///
    /// ## Why it matters
    /// A sum the reader can redo in their head and that does not add up makes
    /// every other figure in the document doubtful.
    ///
    /// ## Example
    /// ```text
    /// Det settes av 200 000 kr til arbeidet med dette delmålet.
    /// Tiltak 1 ... Det settes av 50 000 kr ...
    /// Tiltak 2 ... Det settes av 200 000 kr ...      <- 250 000 > 200 000
    /// ```
    pub struct TextSum {
        id: "text-sum",
        severity: Error,
        check: check,
    }
}

fn check(cx: &Checker, out: &mut Vec<Finding>) {
    in_sentences(cx, out);
    goal_over_measures(cx, out);
}

/// The figures of each sentence that gives at least three, in order.
fn enumerations<'p>(cx: &Checker<'p>) -> Vec<Vec<(&'p ExtractedAmount, FigureCues)>> {
    let mut by_sentence: Vec<Vec<(&ExtractedAmount, FigureCues)>> =
        vec![Vec::new(); cx.plan.sentences.len()];
    for a in &cx.plan.amounts {
        if let Origin::Prose { sentence, cues } = a.origin {
            if let Some(v) = by_sentence.get_mut(sentence) {
                v.push((a, cues));
            }
        }
    }
    by_sentence.retain(|v| v.len() >= 3);
    by_sentence
}

/// What corroborates a reading of the text's sums, in a finding's reason.
const TEXT_SUMS: &str = "other totals in the text";

/// A sentence's one marked total (its index and figure) and the figures of
/// its other amounts, the parts; `None` without exactly one marked total.
fn total_and_parts(found: &[(&ExtractedAmount, FigureCues)]) -> Option<(usize, Fig, Vec<Fig>)> {
    let totals: Vec<usize> = (0..found.len())
        .filter(|&i| found[i].1.marked_total)
        .collect();
    let [t] = totals[..] else {
        return None;
    };
    let parts = found
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != t)
        .map(|(_, (a, _))| Fig::of(&a.money))
        .collect();
    Some((t, Fig::of(&found[t].0.money), parts))
}

fn in_sentences(cx: &Checker, out: &mut Vec<Finding>) {
    let sentences = enumerations(cx);
    // How many sentences' marked totals agree with their parts: what
    // corroborates the reading of the others.
    let reconciled = sentences
        .iter()
        .filter_map(|found| total_and_parts(found))
        .filter(|(_, total, parts)| total.agrees(Fig::sum(parts)))
        .count();
    for found in sentences {
        let Some((t, total, parts)) = total_and_parts(&found) else {
            continue;
        };
        // The total closes or opens the enumeration.
        if t != 0 && t != found.len() - 1 {
            continue;
        }
        let sum = Fig::sum(&parts);
        if total.agrees(sum) {
            continue;
        }
        let spelled: Vec<String> = parts.iter().map(|p| p.value.to_string()).collect();
        let stated = found[t].0;
        let mut f = Finding::new(format!(
            "the text says {} in total but its parts {} sum to {}",
            total.value,
            spelled.join(" + "),
            sum.value
        ))
        .figures(Value::Money(total.value), Value::Money(sum.value))
        .at(cx.text(stated.span, &stated.money.text, "stated total"));
        for (i, (a, _)) in found.iter().enumerate() {
            if i != t {
                f = f.at(cx.text(a.span, &a.money.text, "part"));
            }
        }
        let values: Vec<_> = parts.iter().map(|p| p.value).collect();
        let edit = simple_edit(total.value, sum.value, &values, &[]);
        // One sentence that names its total and its parts is read as it says.
        let evidence = Evidence::new(edit, reconciled, TEXT_SUMS)
            .also("one sentence names the total and lists its parts");
        out.push(f.assessed(evidence.assess()));
    }
}

fn goal_over_measures(cx: &Checker, out: &mut Vec<Finding>) {
    let all = scopes(cx);
    // Goals whose figure in the text is what their measures' figures add up to.
    let agreeing_goals = all
        .iter()
        .filter(|g| g.measure.is_none())
        .filter(|g| {
            let figs: Vec<Fig> = all
                .iter()
                .filter(|s| s.goal == g.goal && s.measure.is_some())
                .filter_map(|s| s.stated())
                .collect();
            figs.len() >= 2 && g.stated().is_some_and(|t| t.agrees(Fig::sum(&figs)))
        })
        .count();
    for goal in all.iter().filter(|s| s.measure.is_none()) {
        let Some(stated) = goal.stated() else {
            continue;
        };
        if goal.ceiling() {
            continue;
        }
        let parts: Vec<_> = all
            .iter()
            .filter(|s| s.goal == goal.goal && s.measure.is_some())
            .filter_map(|s| Some((s, s.stated()?)))
            .collect();
        if parts.len() < 2 {
            continue;
        }
        let figs: Vec<Fig> = parts.iter().map(|(_, f)| *f).collect();
        let sum = Fig::sum(&figs);
        if sum.value <= stated.value || stated.agrees(sum) {
            continue;
        }
        let spelled: Vec<String> = figs.iter().map(|p| p.value.to_string()).collect();
        let mut f = Finding::new(format!(
            "the text gives {} for {} but its measures get {} = {} in the text",
            stated.value,
            scope_name(cx, goal.goal, None),
            spelled.join(" + "),
            sum.value
        ))
        .figures(Value::Money(stated.value), Value::Money(sum.value))
        .at(goal.primary().location(cx, "stated in the text"));
        for (s, _) in &parts {
            f = f.at(s.primary().location(cx, "part in the text"));
        }
        let values: Vec<_> = figs.iter().map(|p| p.value).collect();
        let edit = simple_edit(stated.value, sum.value, &values, &[]);
        out.push(f.assessed(Evidence::new(edit, agreeing_goals, TEXT_SUMS).assess()));
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::findings;

    #[test]
    fn a_sentence_that_does_not_add_up() {
        let f = findings(
            "text-sum",
            "Budsjett\n\nDet settes av 300 000 kr til A og 200 000 kr til B, til sammen 600 000 kr.\n",
        );
        assert_eq!(f.len(), 1, "{f:?}");
        assert!(f[0]
            .message
            .contains("600 000 in total but its parts 300 000 + 200 000 sum to 500 000"));
    }

    #[test]
    fn a_sentence_that_adds_up_is_silent() {
        let f = findings(
            "text-sum",
            "Budsjett\n\nTotalt 1,5 mill. kr, fordelt på 1 000 000 kr til A og 500 000 kr til B.\n",
        );
        assert!(f.is_empty(), "{f:?}");
    }

    #[test]
    fn measures_above_their_goal() {
        let t = "Plan 2025\n\nDelmål 1 Bolig\n\nDet settes av 200 000 kr til arbeidet med dette delmålet.\n\nTiltak 1 Kartlegging\n\nDet settes av 50 000 kr til tiltaket.\n\nTiltak 2 Samtaler\n\nDet settes av 200 000 kr til tiltaket.\n";
        let f = findings("text-sum", t);
        assert_eq!(f.len(), 1, "{f:#?}");
        assert!(
            f[0].message.contains("50 000 + 200 000 = 250 000"),
            "{}",
            f[0].message
        );
        let below = t.replace("200 000 kr til arbeidet", "300 000 kr til arbeidet");
        assert!(findings("text-sum", &below).is_empty());
    }
}

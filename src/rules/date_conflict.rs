use std::sync::LazyLock;

use crate::norsk::Pattern;

use crate::norsk::{find_dates, PartialDate};

use super::{declare_rule, Checker, Finding};

declare_rule! {
    /// ## What it checks
    /// Dates that contradict each other: the document saying it was adopted,
    /// approved or signed on a date after its own date ("Handlingsplanen er
    /// vedtatt i styringsgruppen 13. desember 2025" in a plan dated 15 January
    /// 2025), a measure whose timeframe ends before it starts, and a period
    /// written backwards ("2027–2024"). Adoption records in the title block
    /// ("Vedtatt i: Tydal kommune 19.11.2009, Selbu kommune 26.10.2009 …")
    /// are how a strategy records its later adoption, not a contradiction.
    ///
    /// ## Why it matters
    /// A decision dated after the document is usually a typo in the year, and
    /// auditors use these dates to tell which version was adopted.
    ///
    /// ## Example
    /// ```text
    /// Handlingsplan 2025 (oppdatert 15.jan 2025)
    /// ...
    /// Handlingsplanen er vedtatt i styringsgruppen 13. desember 2025.
    /// ```
    pub struct DateConflict {
        id: "date-conflict",
        severity: Error,
        check: check,
    }
}

/// The document speaking of its own adoption.
static DECIDED: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(r"(?i)\b(plan(?:en)?|handlingsplan(?:en)?|handlingsprogram(?:met)?|program(?:met)?|strategi(?:en)?|dokument(?:et)?|rapport(?:en)?|avtal(?:en|a))\b[^.]{0,60}\b(er|ble|vart|blei|blir|vert)\s+(vedtatt|vedteke|vedteken|godkjent|godkjend|signert|underskrevet|underskriven|behandlet|behandla|vedtatt)\b").expect("decided")
});

static YEAR_RANGE: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(r"\b((?:19|20)[0-9][0-9])\s*[-–—]\s*((?:19|20)[0-9][0-9])\b").expect("year range")
});

fn check(cx: &Checker, out: &mut Vec<Finding>) {
    decided_after(cx, out);
    backwards(cx, out);
}

fn after(a: &PartialDate, b: &PartialDate) -> bool {
    match (a.first_day(), b.last_day()) {
        (Some(x), Some(y)) => x > y,
        _ => false,
    }
}

fn decided_after(cx: &Checker, out: &mut Vec<Finding>) {
    let Some(doc_date) = cx.plan.date else {
        return;
    };
    if doc_date.day.is_none() {
        return;
    }
    // The title block is where adoption records sit, next to the date they follow.
    // It ends at the first heading after the title, within the first 15 blocks.
    let opening_end = cx
        .doc
        .blocks()
        .take(15)
        .skip(1)
        .take_while(|b| !matches!(b.kind, crate::model::BlockKind::Heading { .. }))
        .last()
        .map_or(0, |b| b.span.end_line);
    for (ordinal, b) in cx
        .numbered_prose()
        .filter(|(_, b)| b.span.line > opening_end)
    {
        for sentence in cx.plan.block_sentences.of_block(ordinal, b) {
            let Some(m) = DECIDED.find(sentence) else {
                continue;
            };
            let dates: Vec<_> = find_dates(sentence)
                .into_iter()
                .filter(|d| d.from.day.is_some() && d.from.year.is_some() && !d.is_range())
                .collect();
            let [d] = &dates[..] else {
                continue;
            };
            if d.range.start < m.start() || !after(&d.from, &doc_date) {
                continue;
            }
            out.push(
                Finding::new(format!(
                    "the text says it was {} on {} but the document is dated {}",
                    m.as_str().split_whitespace().last().unwrap_or("decided"),
                    d.from.iso().unwrap_or_default(),
                    doc_date.iso().unwrap_or_default()
                ))
                .at(cx.text(b.span, &d.text, "decision date"))
                .hint("a date in the wrong year is the usual cause"),
            );
        }
    }
}

fn backwards(cx: &Checker, out: &mut Vec<Finding>) {
    for m in &cx.plan.measures {
        let Some(t) = &m.timeframe else {
            continue;
        };
        let (Some(from), Some(to)) = (&t.from, &t.to) else {
            continue;
        };
        if after(from, to) {
            out.push(
                Finding::new(format!(
                    "the timeframe of {} «{}» ends ({}) before it starts ({})",
                    m.kind,
                    m.title,
                    to.iso().unwrap_or_default(),
                    from.iso().unwrap_or_default()
                ))
                .at(cx.text(m.span, &t.text, "timeframe")),
            );
        }
    }
    for b in cx.prose() {
        for c in YEAR_RANGE.captures_iter(&b.text) {
            let (Ok(a), Ok(z)) = (c[1].parse::<i32>(), c[2].parse::<i32>()) else {
                continue;
            };
            if a > z && a - z <= 30 {
                let text = c.get(0).map_or("", |m| m.as_str());
                out.push(
                    Finding::new(format!("the period «{text}» ends before it starts"))
                        .at(cx.text(b.span, text, "period")),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::findings;

    const PLAN: &str = "Handlingsplan 2025\n\n(oppdatert 15. januar 2025)\n\n1. Innledning\n\nTekst.\n\n2. Forankring\n\nHandlingsplanen er vedtatt i styringsgruppen 13. desember 2025, og orienteres i kommunestyrene.\n";

    #[test]
    fn adopted_after_its_own_date() {
        let f = findings("date-conflict", PLAN);
        assert_eq!(f.len(), 1, "{f:#?}");
        assert!(
            f[0].message
                .contains("vedtatt on 2025-12-13 but the document is dated 2025-01-15"),
            "{}",
            f[0].message
        );
    }

    #[test]
    fn adopted_before_is_silent() {
        assert!(findings(
            "date-conflict",
            &PLAN.replace("desember 2025", "desember 2024")
        )
        .is_empty());
    }

    #[test]
    fn an_adoption_record_in_the_title_block_is_silent() {
        let t = "Mål og strategier\n\n27. august 2009\n\nVedtatt i: Tydal kommune 19.11.2009, Selbu kommune 26.10.2009\n\n1. Innledning\n\nStrategien er vedtatt i alle kommunene.\n";
        assert!(findings("date-conflict", t).is_empty());
    }

    #[test]
    fn a_period_written_backwards() {
        let f = findings(
            "date-conflict",
            "Plan\n\nTekst.\n\nPerioden 2027–2024 dekker alt.\n",
        );
        assert_eq!(f.len(), 1, "{f:#?}");
    }
}

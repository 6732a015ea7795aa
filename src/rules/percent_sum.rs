use crate::extract::grid::{ColumnKind, RowKind};
use crate::model::{Block, BlockKind};
use crate::norsk::{find_percents, Decimal};

use super::{declare_rule, simple_edit_by, Checker, Evidence, Finding, Location, Value};

declare_rule! {
    /// ## What it checks
    /// Shares of one whole that should make 100 %: a percent column of a table
    /// (against its total row, or against 100 % when it has none), labelled
    /// shares in running text ("Helse og sosial; 35,7 % Oppvekst; 39,3 % …",
    /// as chart labels are transcribed), and list items that each give one
    /// share. Each share is an interval of half its last digit (35,7 % is
    /// 35,65–35,75 %), so rounding never raises a finding. Percentages that
    /// sum to far from 100 are not read as shares of one whole.
    ///
    /// Not every percent column holds shares of one whole: a column headed by
    /// a rate ("5%", "0.5%"), a mean, an index or a threshold is not checked,
    /// and neither is a "Total" row within the range of the shares above it
    /// (a mean of shares of different bases, such as the share of women in
    /// each row).
    ///
    /// ## Confidence
    /// An error only when the reading is corroborated: the shares come within
    /// 10 points of their whole (so they are one breakdown), a simple edit
    /// explains the gap (one share's digits changed or two swapped, one share
    /// left out or counted twice), or the table's other share columns
    /// reconcile. Two of these: high confidence; one: medium; none: a notice,
    /// "could not reconcile", left out of a run
    /// unless asked for (`--notices`, or `notices = true` in `plansjekk.toml`).
    ///
    /// ## Why it matters
    /// A breakdown that does not add up to the whole misstates at least one of
    /// its parts.
    ///
    /// ## Example
    /// ```text
    /// Plan, næring og miljø; 10,9 % Kultur og idrett; 4,8 % Helse og sosial;
    /// 35,7 % Oppvekst; 39,3 % Administrasjon; 10,2 %      <- 100,9 %
    /// ```
    pub struct PercentSum {
        id: "percent-sum",
        severity: Error,
        check: check,
    }
}

/// A share in hundredths of a percent point, with its rounding unit.
#[derive(Clone, Copy)]
struct Share {
    value: i128,
    unit: i128,
}

fn share(d: Decimal) -> Option<Share> {
    Some(Share {
        value: d.to_hundredths()?,
        unit: d.unit_hundredths(),
    })
}

/// A sentence that divides one whole into shares.
static SPLIT: std::sync::LazyLock<crate::norsk::Pattern> = std::sync::LazyLock::new(|| {
    crate::norsk::Pattern::new(r"(?i)\b(fordel(?:es|ast|t|ing)|fordelt|deles|delast|fordelingsnøkkel|fordelingsnøkkelen|andel(?:en|ane|ene)? .{0,40}\b(?:er|blir|vert)\b)")
        .expect("split")
});

fn check(cx: &Checker, out: &mut Vec<Finding>) {
    tables(cx, out);
    prose(cx, out);
}

/// How far shares may land from their whole and still be read as one
/// breakdown of it: 10 points, in hundredths.
const NEAR_WHOLE: i128 = 1000;

/// Whether shares make `whole` (hundredths) within their rounding.
fn reconciles(shares: &[(Share, Location)], whole: i128) -> bool {
    let sum: i128 = shares.iter().map(|(s, _)| s.value).sum();
    let tolerance: i128 = shares.iter().map(|(s, _)| s.unit).sum::<i128>();
    (sum - whole).abs() * 2 <= tolerance
}

/// Flags shares that cannot make `whole` (hundredths) even with rounding;
/// `reconciled` other share columns of the same table make theirs.
fn judge(
    shares: &[(Share, Location)],
    whole: i128,
    stated: Option<Location>,
    what: &str,
    reconciled: usize,
    out: &mut Vec<Finding>,
) {
    if shares.len() < 2 {
        return;
    }
    let sum: i128 = shares.iter().map(|(s, _)| s.value).sum();
    // Shares of one whole land near it; far off, they are not one breakdown.
    if stated.is_none() && (sum - whole).abs() > NEAR_WHOLE {
        return;
    }
    if reconciles(shares, whole) {
        return;
    }
    let values: Vec<i64> = shares.iter().map(|(s, _)| s.value as i64).collect();
    let edit = simple_edit_by(
        whole as i64,
        sum as i64,
        &values,
        &[],
        |v| Value::Percent(v).to_string(),
        None,
    );
    let mut evidence = Evidence::new(edit, reconciled, "other share columns of the table");
    if (sum - whole).abs() <= NEAR_WHOLE {
        evidence = evidence.also(format!(
            "the shares come within 10 points of {}: one breakdown of it",
            Value::Percent(whole as i64)
        ));
    }
    let mut f = Finding::new(format!(
        "the shares {what} sum to {} but should make {}",
        Value::Percent(sum as i64),
        Value::Percent(whole as i64)
    ))
    .figures(Value::Percent(whole as i64), Value::Percent(sum as i64));
    if let Some(s) = stated {
        f = f.at(s);
    }
    for (_, l) in shares {
        f = f.at(l.clone());
    }
    out.push(f.assessed(evidence.assess()));
}

/// A table's share column: its shares, its whole and where the whole is stated.
struct ShareColumn {
    col: usize,
    items: Vec<(Share, Location)>,
    whole: i128,
    stated: Option<Location>,
}

fn tables(cx: &Checker, out: &mut Vec<Finding>) {
    // Each block of a table printed as stacked blocks has its own shares.
    let blocks = cx.plan.grids.iter().flat_map(|g| {
        let last = g.rows.iter().map(|r| r.block).max().unwrap_or(0);
        (0..=last).map(move |b| (g, b))
    });
    for (grid, block) in blocks {
        let mut columns = Vec::new();
        for (c, col) in grid.columns.iter().enumerate() {
            if col.kind != ColumnKind::Percent {
                continue;
            }
            let rows = || grid.rows.iter().filter(move |r| r.block == block);
            let items: Vec<(Share, Location)> = rows()
                .filter(|r| r.kind == RowKind::Item)
                .filter_map(|r| Some((share(r.percent(c)?)?, cx.cell(r, c, "share"))))
                .collect();
            let total = rows()
                .filter(|r| r.is_total())
                .find_map(|r| Some((share(r.percent(c)?)?, cx.cell(r, c, "stated total"))));
            let (whole, stated) = match total {
                Some((s, l)) => (s.value, Some(l)),
                None => (10_000, None),
            };
            // A "total" within the range of the shares is their mean (shares
            // of different bases), not their sum.
            let (min, max) = (
                items.iter().map(|(s, _)| s.value).min().unwrap_or(0),
                items.iter().map(|(s, _)| s.value).max().unwrap_or(0),
            );
            if stated.is_some() && items.len() >= 2 && (min..=max).contains(&whole) {
                continue;
            }
            columns.push(ShareColumn {
                col: c,
                items,
                whole,
                stated,
            });
        }
        let reconciled = columns
            .iter()
            .filter(|s| s.items.len() >= 2 && reconciles(&s.items, s.whole))
            .count();
        for s in columns {
            judge(
                &s.items,
                s.whole,
                s.stated,
                &format!("in column \"{}\"", header(grid, block, s.col)),
                reconciled,
                out,
            );
        }
    }
}

/// The header over `col` in `block`.
fn header(grid: &crate::extract::grid::Grid, block: usize, col: usize) -> String {
    match grid.rows.iter().find(|r| r.block == block) {
        Some(r) => grid.header_for(r, col),
        None => grid.columns[col].header.clone(),
    }
}

fn prose(cx: &Checker, out: &mut Vec<Finding>) {
    let blocks: Vec<&Block> = cx.doc.blocks().collect();
    // Labelled shares inside one block: each percent right after "label;" or "label:".
    for (ordinal, b) in blocks.iter().enumerate() {
        if !matches!(b.kind, BlockKind::Paragraph | BlockKind::ListItem { .. }) {
            continue;
        }
        let labelled: Vec<(Share, Location)> = find_percents(&b.text)
            .into_iter()
            .filter(|p| b.text[..p.range.start].trim_end().ends_with([';', ':']))
            .filter_map(|p| Some((share(p.value)?, cx.text(b.span, &p.text, "share"))))
            .collect();
        if labelled.len() >= 3 {
            judge(&labelled, 10_000, None, "given in the text", 0, out);
            continue;
        }
        // "Finansieringen fordeles med 50 % fra staten, 30 % fra fylket og 25 %
        // fra kommunene": a sentence that says it splits a whole.
        for sentence in cx.plan.block_sentences.of_block(ordinal, b) {
            if !SPLIT.is_match(sentence) {
                continue;
            }
            let shares: Vec<(Share, Location)> = find_percents(sentence)
                .into_iter()
                .filter_map(|p| Some((share(p.value)?, cx.text(b.span, &p.text, "share"))))
                .collect();
            if shares.len() >= 2 {
                judge(&shares, 10_000, None, "of the split", 0, out);
            }
        }
    }
    // A list whose items each give one share.
    let mut run: Vec<(Share, Location)> = Vec::new();
    let flush = |run: &mut Vec<(Share, Location)>, out: &mut Vec<Finding>| {
        if run.len() >= 3 {
            judge(run, 10_000, None, "of the list", 0, out);
        }
        run.clear();
    };
    for b in &blocks {
        let one = match b.kind {
            BlockKind::ListItem { .. } => {
                let ps = find_percents(&b.text);
                match &ps[..] {
                    [p] => share(p.value).map(|s| (s, cx.text(b.span, &p.text, "share"))),
                    _ => None,
                }
            }
            _ => None,
        };
        match one {
            Some(x) => run.push(x),
            None => flush(&mut run, out),
        }
    }
    flush(&mut run, out);
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::findings;

    const SHARES: &str = "Ressursbruk\n\nFordeling: Plan, næring og miljø; 10,9 % Kultur og idrett; 4,8 % Natur- og kulturminnevern; 0,2 % Administrasjon og styring; 9,1 % Helse og sosial; 35,7 % Oppvekst; 39,3 % Kilde: KOSTRA\n";

    #[test]
    fn labelled_shares_that_make_100_are_silent() {
        assert!(findings("percent-sum", SHARES).is_empty());
    }

    #[test]
    fn labelled_shares_off_by_more_than_rounding() {
        let f = findings("percent-sum", &SHARES.replace("39,3 %", "40,2 %"));
        assert_eq!(f.len(), 1, "{f:#?}");
        assert!(f[0].message.contains("sum to 100,9 %"), "{}", f[0].message);
    }

    #[test]
    fn a_split_in_one_sentence() {
        let t = "Finansiering\n\nFinansieringen fordeles med 50 % fra staten, 30 % fra fylkeskommunen og 25 % fra kommunene.\n";
        let f = findings("percent-sum", t);
        assert_eq!(f.len(), 1, "{f:#?}");
        assert!(findings("percent-sum", &t.replace("25 %", "20 %")).is_empty());
        // Percentages of different things in one sentence are not a split.
        let other = "Mål\n\nSysselsettingen skal øke med 5 % og befolkningen med 2 %.\n";
        assert!(findings("percent-sum", other).is_empty());
    }

    #[test]
    fn a_percent_column_against_its_total() {
        let t = "Sektor\tAndel\nHelse\t35 %\nSkole\t60 %\nSum\t100 %\n";
        let f = findings("percent-sum", t);
        assert_eq!(f.len(), 1, "{f:#?}");
        assert!(findings("percent-sum", &t.replace("60 %", "65 %")).is_empty());
    }
}

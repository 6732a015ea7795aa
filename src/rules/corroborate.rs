//! Corroboration before alarm: how sure an arithmetic finding is that the
//! document, and not the reading of it, is wrong.
//!
//! A sum that does not match can mean two things: a figure in the document is
//! wrong, or the table or text was read wrong (a column shifted, rows lost, a
//! table that is not additive, a total that closes something else). The two
//! are told apart by what else holds under the same reading:
//!
//! - **other totals reconcile**: the table's other totals (other columns,
//!   other total rows, the row totals) agree exactly under the same reading,
//!   so the reading of rows, columns and figures is right;
//! - **a simple edit explains the gap**: the stated and the computed figure
//!   differ in one digit, or by two adjacent digits swapped; one item's
//!   digits, changed or swapped, would make them agree; the total leaves one
//!   item out or counts one twice; a figure of the table outside the sum is
//!   the gap; one figure is in thousands where the others are in kroner.
//!   Typing errors and stale copies look like this; misreadings rarely do.
//!
//! Both: high confidence. One of them: medium. Neither: the reading is
//! probably wrong, and the finding is at most a notice, "could not
//! reconcile", which a run leaves out
//! unless asked for (`--notices`, or `notices = true` in `plansjekk.toml`).
//!
//! A scanned page adds a reading of its own: OCR. A finding that rests on
//! text OCR was unsure of ([`SURE_OCR`]) is at most a warning, whatever
//! its arithmetic: a misread digit contradicts a total as well as a wrong
//! one does.

use crate::model::WordConfidence;
use crate::norsk::Amount;

/// The mean word confidence (Tesseract's, 0–100) below which OCR'd text is
/// not read surely enough for a finding on it to be an error. In the scans
/// of `tests/scans.rs` (batch 1: 200 dpi, JPEG, a slight skew), about one
/// figure word in three below 80 was misread (a 0 crossed by a rule read
/// as "D", a thin space as ":" or "."), against about one in a hundred at
/// 80 or more; and each misread digit makes a sum fail.
pub const SURE_OCR: WordConfidence = WordConfidence(80);

/// How sure a finding is of the reading it rests on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Confidence {
    /// Nothing corroborates the reading: at most a notice.
    Low,
    /// One thing corroborates it: the other totals reconcile, or a simple
    /// edit explains the gap.
    Medium,
    /// Both do.
    High,
}

impl Confidence {
    pub fn as_str(self) -> &'static str {
        match self {
            Confidence::Low => "low",
            Confidence::Medium => "medium",
            Confidence::High => "high",
        }
    }

    /// SARIF's `rank` (0–100, higher is more important).
    pub fn rank(self) -> f64 {
        match self {
            Confidence::Low => 20.0,
            Confidence::Medium => 60.0,
            Confidence::High => 90.0,
        }
    }

    /// The confidence a record's string names.
    pub fn parse(s: &str) -> Option<Confidence> {
        match s {
            "low" => Some(Confidence::Low),
            "medium" => Some(Confidence::Medium),
            "high" => Some(Confidence::High),
            _ => None,
        }
    }
}

/// Marks the finding with how sure OCR was of the text it rests on (the
/// least sure of its places: a cell by its own words, other places by
/// their lines'). On OCR'd text the finding is at most a warning when OCR
/// was unsure ([`SURE_OCR`]), or when the stated and computed figures
/// differ in one digit or by two swapped: what a typing error looks like
/// in print is what one misread digit gives in a scan, however sure
/// Tesseract was of it. The reason says why.
pub fn weigh_ocr(cx: &super::Checker, f: &mut super::Finding) {
    f.ocr = f
        .locations
        .iter()
        .filter_map(|l| match l.cell {
            Some(c) => cx.cell_ocr(c).or_else(|| cx.doc.ocr_confidence(l.span)),
            None => cx.doc.ocr_confidence(l.span),
        })
        .min();
    let Some(c) = f.ocr else {
        return;
    };
    let why = if c < SURE_OCR {
        format!(
            "it rests on text read by OCR with a mean word confidence of {} (below {})",
            c.0, SURE_OCR.0
        )
    } else if one_digit_apart(f.stated, f.computed) {
        "it rests on text read by OCR, where figures one digit apart are what a misread digit gives"
            .to_string()
    } else {
        return;
    };
    if f.severity == super::Severity::Error {
        f.severity = super::Severity::Warning;
    }
    f.reason = format!("{}; {why}, so it is at most a warning", f.reason);
}

/// The two figures differ in one digit or by two adjacent digits swapped.
fn one_digit_apart(a: Option<super::Value>, b: Option<super::Value>) -> bool {
    use super::Value;
    let plain = |v: Value| match v {
        Value::Money(a) => a.ore(),
        Value::Count(n) => n,
        Value::Percent(h) => h,
    };
    match (a, b) {
        (Some(a), Some(b)) => typo(plain(a), plain(b)).is_some(),
        _ => false,
    }
}

/// A confidence and its reason.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Assessment {
    pub confidence: Confidence,
    pub reason: String,
}

/// What corroborates a reading.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Evidence {
    /// The simple edit that explains the gap, in words.
    pub simple: Option<String>,
    /// How many other comparisons agree under the same reading …
    pub reconciled: usize,
    /// … and what they are ("other totals of the table").
    pub reconciled_what: &'static str,
    /// Other things that corroborate the reading, in words.
    pub also: Vec<String>,
}

impl Evidence {
    pub fn new(simple: Option<String>, reconciled: usize, what: &'static str) -> Self {
        Evidence {
            simple,
            reconciled,
            reconciled_what: what,
            also: Vec::new(),
        }
    }

    /// Adds a corroboration of the rule's own.
    pub fn also(mut self, why: impl Into<String>) -> Self {
        self.also.push(why.into());
        self
    }

    /// Two or more corroborations: high; one: medium; none: low.
    pub fn assess(self) -> Assessment {
        let mut why: Vec<String> = self.simple.iter().cloned().collect();
        if self.reconciled > 0 {
            why.push(format!(
                "{} reconcile under the same reading ({})",
                self.reconciled_what, self.reconciled
            ));
        }
        why.extend(self.also.iter().cloned());
        let confidence = match why.len() {
            0 => Confidence::Low,
            1 => Confidence::Medium,
            _ => Confidence::High,
        };
        if self.simple.is_none() && !why.is_empty() {
            why.push("the gap is no simple edit".to_string());
        }
        let reason = if why.is_empty() {
            format!(
                "no simple edit explains the gap (one digit changed or two swapped, one item left out, counted twice or in another unit) and none of the {} reconciles under this reading: the reading is probably wrong",
                self.reconciled_what
            )
        } else {
            why.join("; ")
        };
        Assessment { confidence, reason }
    }
}

/// The decimal digits of a magnitude, most significant first.
fn digits(a: i64) -> Vec<u8> {
    a.unsigned_abs()
        .to_string()
        .bytes()
        .map(|b| b - b'0')
        .collect()
}

/// How two figures differ when written out: in one digit, or by two
/// adjacent digits swapped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Typo {
    OneDigit,
    Swapped,
}

/// A typing error needs figures of two or more significant digits: "5"
/// and "8", or 800 000 and 900 000, differ in one digit whatever the cause.
fn typo(a: i64, b: i64) -> Option<Typo> {
    if a == b || (a < 0) != (b < 0) {
        return None;
    }
    let (mut p, mut q) = (a.unsigned_abs(), b.unsigned_abs());
    while p.is_multiple_of(10) && q.is_multiple_of(10) && p > 0 && q > 0 {
        p /= 10;
        q /= 10;
    }
    if p.max(q) < 10 {
        return None;
    }
    let (x, y) = (digits(a), digits(b));
    if x.len() != y.len() {
        return None;
    }
    let diff: Vec<usize> = (0..x.len()).filter(|&i| x[i] != y[i]).collect();
    match diff[..] {
        [_] => Some(Typo::OneDigit),
        [i, j] if j == i + 1 && x[i] == y[j] && x[j] == y[i] => Some(Typo::Swapped),
        _ => None,
    }
}

/// The simple edit that explains why `stated` is not `computed`, the sum of
/// `parts`; `others` are figures of the same table (or text) outside the sum.
pub fn simple_edit(
    stated: Amount,
    computed: Amount,
    parts: &[Amount],
    others: &[Amount],
) -> Option<String> {
    let ore = |v: &[Amount]| v.iter().map(|a| a.ore()).collect::<Vec<i64>>();
    simple_edit_by(
        stated.ore(),
        computed.ore(),
        &ore(parts),
        &ore(others),
        |v| Amount::from_ore(v).to_string(),
        Some(100_000),
    )
}

/// [`simple_edit`] on plain integers (hundredths of a percent point, counts),
/// each shown by `show`. `thousand` is the value of 1 000 units (kroner in
/// øre) when a figure may be in thousands, `None` where units cannot differ.
pub fn simple_edit_by(
    s: i64,
    c: i64,
    parts: &[i64],
    others: &[i64],
    show: impl Fn(i64) -> String,
    thousand: Option<i64>,
) -> Option<String> {
    let gap = s - c;
    if gap == 0 {
        return None;
    }
    let (stated, computed) = (show(s), show(c));
    match typo(s, c) {
        Some(Typo::OneDigit) => {
            return Some(format!(
                "{stated} and {computed} differ in one digit: a typing error"
            ))
        }
        Some(Typo::Swapped) => {
            return Some(format!(
                "{stated} and {computed} differ by two adjacent digits swapped"
            ))
        }
        None => {}
    }
    for &p in parts {
        let q = p + gap;
        if q < 0 {
            continue;
        }
        match typo(p, q) {
            Some(Typo::OneDigit) => {
                return Some(format!(
                    "one item off by one digit explains it ({} for {})",
                    show(p),
                    show(q)
                ))
            }
            Some(Typo::Swapped) => {
                return Some(format!(
                    "one item with two digits swapped explains it ({} for {})",
                    show(p),
                    show(q)
                ))
            }
            None => {}
        }
    }
    // One item of three or more, and the only one of its value: with fewer,
    // or several alike, leaving one out is a coincidence.
    let only = |v: i64| parts.len() >= 3 && parts.iter().filter(|&&p| p == v).count() == 1;
    if only(-gap) {
        return Some(format!("the total leaves out one item ({})", show(-gap)));
    }
    if only(gap) {
        return Some(format!("the total counts one item ({}) twice", show(gap)));
    }
    if let Some(&x) = others.iter().find(|&&x| x == gap) {
        return Some(format!(
            "the gap is a figure printed beside the items ({}): one item missing",
            show(x)
        ));
    }
    // One figure in thousands among kroner, or the total in thousands: equal
    // within half a thousand. Round figures ("50", "2 000") match a thousand
    // times another by chance, so the figure scaled needs two significant
    // digits, and the other items must weigh more than the rounding.
    let kilo = thousand?;
    let near = |a: i64, b: i64| (a - b).abs() * 2 <= kilo;
    let significant = |v: i64| {
        let mut v = v.unsigned_abs();
        while v.is_multiple_of(10) && v > 0 {
            v /= 10;
        }
        v >= 10
    };
    if (near(s.saturating_mul(1000), c) && significant(s))
        || (near(s, c.saturating_mul(1000)) && significant(c))
    {
        return Some(format!(
            "{stated} and {computed} are the same figure in units and in thousands"
        ));
    }
    for &p in parts {
        let rest = c - p;
        if significant(p)
            && rest.abs() >= 5 * kilo
            && (near(rest + p.saturating_mul(1000), s) || near(rest + p / 1000, s))
        {
            return Some(format!(
                "one item ({}) in thousands where the others are in units explains it",
                show(p)
            ));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kr(n: i64) -> Amount {
        Amount::from_kroner(n)
    }

    #[test]
    fn one_digit_or_two_swapped() {
        assert!(simple_edit(kr(6_300_000), kr(6_400_000), &[], &[]).is_some());
        assert!(simple_edit(kr(1_234_500), kr(1_243_500), &[], &[]).is_some());
        assert!(simple_edit(kr(451_650), kr(865_168), &[kr(865_168)], &[]).is_none());
    }

    #[test]
    fn single_digits_and_round_thresholds_are_no_typing_error() {
        assert!(simple_edit(kr(5), kr(8), &[kr(3), kr(5)], &[]).is_none());
        assert!(simple_edit(kr(800_000), kr(900_000), &[], &[]).is_none());
        // "Total … 50 000" over thresholds 1, 50, 50: no item in thousands.
        assert!(simple_edit(kr(50_000), kr(101), &[kr(1), kr(50), kr(50)], &[]).is_none());
    }

    #[test]
    fn an_item_with_a_wrong_digit() {
        // 1 360 000 against 1 400 000: 800 000 written for 840 000.
        let e = simple_edit(
            kr(1_360_000),
            kr(1_400_000),
            &[kr(560_000), kr(840_000)],
            &[],
        );
        assert!(e.is_some());
        let e = simple_edit(
            kr(1_400_000),
            kr(1_360_000),
            &[kr(560_000), kr(800_000)],
            &[],
        );
        assert!(e.unwrap().contains("one digit"));
    }

    #[test]
    fn left_out_counted_twice_missing_and_thousands() {
        let parts = [kr(2_000_000), kr(890_000), kr(123_457)];
        let c = kr(3_013_457);
        assert!(simple_edit(kr(2_123_457), c, &parts, &[])
            .unwrap()
            .contains("leaves out"));
        assert!(simple_edit(kr(3_903_457), c, &parts, &[])
            .unwrap()
            .contains("twice"));
        assert!(simple_edit(kr(3_090_568), c, &parts, &[kr(77_111)])
            .unwrap()
            .contains("missing"));
        assert!(simple_edit(kr(3_013), c, &parts, &[])
            .unwrap()
            .contains("thousands"));
        assert!(simple_edit(kr(1_776_543), c, &parts, &[]).is_none());
        // 890 written for 890 000.
        let parts = [kr(2_000_000), kr(890), kr(123_457)];
        assert!(simple_edit(kr(3_013_457), kr(2_124_347), &parts, &[])
            .unwrap()
            .contains("in thousands where the others"));
    }

    #[test]
    fn confidence_from_the_evidence() {
        let a = Evidence::new(Some("x".into()), 2, "other totals of the table").assess();
        assert_eq!(a.confidence, Confidence::High);
        let a = Evidence::new(None, 1, "other totals of the table").assess();
        assert_eq!(a.confidence, Confidence::Medium);
        assert!(a
            .reason
            .contains("other totals of the table reconcile under the same reading (1)"));
        let a = Evidence::new(None, 0, "other totals of the table").assess();
        assert_eq!(a.confidence, Confidence::Low);
    }
}

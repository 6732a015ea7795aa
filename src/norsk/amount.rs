//! Money amounts in Norwegian prose and tables.
//!
//! Prose amounts need a currency word or a magnitude word ("kr", "kroner", "NOK",
//! ",-", "mill.", "mrd.", "MNOK") or the cue "inntil/opptil" before a grouped
//! number: a bare number in running text is far more often a year, a count, a page
//! or a list number than money. Table cells are parsed with [`parse_amount_cell`],
//! which accepts bare numbers because the column header says what they are.

use std::fmt;
use std::ops::Range;
use std::sync::LazyLock;

use super::pattern::Pattern;

use super::number::{group_thousands, parse_number, Decimal};

/// An exact amount of Norwegian kroner, held as integer øre.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Amount(i64);

impl Amount {
    pub const ZERO: Amount = Amount(0);

    pub const fn from_ore(ore: i64) -> Self {
        Amount(ore)
    }

    pub const fn from_kroner(kr: i64) -> Self {
        Amount(kr * 100)
    }

    pub const fn ore(self) -> i64 {
        self.0
    }

    pub fn abs(self) -> Self {
        Amount(self.0.abs())
    }

    pub fn checked_add(self, other: Amount) -> Option<Amount> {
        self.0.checked_add(other.0).map(Amount)
    }

    /// NOK as a JSON-friendly number with at most two decimals. Exact for every
    /// amount below 2^53 øre, i.e. far above any public budget.
    pub fn as_nok_f64(self) -> f64 {
        self.0 as f64 / 100.0
    }

    fn from_decimal(d: Decimal) -> Option<Self> {
        let h = d.to_hundredths()?;
        i64::try_from(h).ok().map(Amount)
    }
}

impl std::ops::Add for Amount {
    type Output = Amount;
    fn add(self, rhs: Amount) -> Amount {
        Amount(self.0 + rhs.0)
    }
}

impl std::ops::Sub for Amount {
    type Output = Amount;
    fn sub(self, rhs: Amount) -> Amount {
        Amount(self.0 - rhs.0)
    }
}

impl std::iter::Sum for Amount {
    fn sum<I: Iterator<Item = Amount>>(iter: I) -> Amount {
        Amount(iter.map(|a| a.0).sum())
    }
}

impl fmt::Display for Amount {
    /// "1 900 000" for whole kroner, "391 324,31" otherwise.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        let (kr, ore) = (abs / 100, abs % 100);
        write!(f, "{sign}{}", group_thousands(&kr.to_string()))?;
        if ore != 0 {
            write!(f, ",{ore:02}")?;
        }
        Ok(())
    }
}

/// How a figure is hedged in the text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Qualifier {
    /// "inntil", "opptil", "maks": a ceiling.
    UpTo,
    /// "ca.", "om lag", "omlag", "cirka", "rundt": rounded on purpose.
    Approx,
    /// "minst", "over": a floor.
    AtLeast,
}

/// A money figure found in text, with what is needed to trust it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Money {
    pub amount: Amount,
    /// The value of the last printed digit: 1 kr for "500 000 kr", 0,01 kr for
    /// "391 324,31", 100 000 kr for "1,2 mill.". Comparisons allow half of it.
    pub unit: Amount,
    /// The figure exactly as written.
    pub text: String,
    /// Byte range of `text` in the scanned string.
    pub range: Range<usize>,
    pub qualifier: Option<Qualifier>,
    /// Printed in parentheses, as tables mark reservations and deductions.
    pub parenthesized: bool,
}

/// A percentage such as "35,7 %".
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Percent {
    pub value: Decimal,
    pub text: String,
    pub range: Range<usize>,
}

const NUM: &str = r"(?:[0-9]{1,3}(?:[ \x{00A0}\x{202F}\x{2009}][0-9]{3})+|[0-9]{1,3}(?:\.[0-9]{3})+|[0-9]+)(?:,[0-9]+)?";

static MONEY_RE: LazyLock<Pattern> = LazyLock::new(|| {
    let mult = r"(?:milliardar|milliarder|milliard|millionar|millioner|million|mill\.?|mln\.?|mrd\.?|MNOK|mnok|tusen)";
    let cur = r"(?:kroner|kr\.?|NOK|,-)";
    Pattern::new(&format!(
        r"(?i)(?P<pre>\b(?:kroner|kr\.?|NOK)[ \x{{00A0}}]*)?(?P<num>[0-9]+,[ ][0-9]+|{NUM})(?P<dash>,-)?(?:[ \x{{00A0}}]*(?P<mult>{mult}))?(?:[ \x{{00A0}}]*(?P<post>{cur}))?"
    ))
    .expect("money regex")
});

static PERCENT_RE: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(&format!(
        r"(?i)(?P<num>{NUM})[ \x{{00A0}}\x{{202F}}]*(?:%|prosent\b)"
    ))
    .expect("percent regex")
});

fn multiplier(word: &str) -> Option<i128> {
    let w = word.trim_end_matches('.').to_lowercase();
    Some(match w.as_str() {
        "mill" | "million" | "millioner" | "millionar" | "mln" | "mnok" => 1_000_000,
        "mrd" | "milliard" | "milliarder" | "milliardar" => 1_000_000_000,
        "tusen" => 1_000,
        _ => return None,
    })
}

fn qualifier_before(text: &str, start: usize) -> Option<Qualifier> {
    let before = &text[..start];
    let tail: String = before
        .chars()
        .rev()
        .take(14)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    let tail = tail.to_lowercase();
    let tail = tail.trim_end();
    let ends = |w: &str| {
        tail.ends_with(w) && {
            let rest = &tail[..tail.len() - w.len()];
            rest.is_empty() || rest.ends_with(|c: char| !c.is_alphanumeric())
        }
    };
    if [
        "inntil",
        "opptil",
        "maks",
        "maksimalt",
        "maksimum",
        "oppad begrenset til",
    ]
    .iter()
    .any(|w| ends(w))
    {
        Some(Qualifier::UpTo)
    } else if [
        "ca.",
        "ca",
        "cirka",
        "om lag",
        "omlag",
        "omtrent",
        "rundt",
        "anslagsvis",
    ]
    .iter()
    .any(|w| ends(w))
    {
        Some(Qualifier::Approx)
    } else if ["minst", "over", "mer enn", "meir enn"]
        .iter()
        .any(|w| ends(w))
    {
        Some(Qualifier::AtLeast)
    } else {
        None
    }
}

fn boundary_ok(text: &str, range: &Range<usize>) -> bool {
    let before = text[..range.start].chars().next_back();
    let after = text[range.end..].chars().next();
    let bad_before =
        before.is_some_and(|c| c.is_alphanumeric() || c == '.' || c == ',' || c == '/');
    let bad_after = after.is_some_and(|c| c.is_alphanumeric() || c == '/');
    !bad_before && !bad_after
}

/// Builds the exact value of `num` × `mult` and its rounding unit.
fn value_and_unit(num: Decimal, mult: i128) -> Option<(Amount, Amount)> {
    let value = Amount::from_decimal(num.checked_mul_int(mult)?)?;
    let unit_h = num.unit_hundredths().checked_mul(mult)?;
    let unit = i64::try_from(unit_h.max(1)).ok().map(Amount)?;
    Some((value, unit))
}

/// "3 millioner besøk", "2,1 millionar kinogjengarar": a magnitude written out
/// in full and followed by a noun counts things, not kroner. Abbreviations
/// ("682 mill i 2007") and a following preposition ("1,2 millioner til
/// tiltaket") stay money, as plans write them.
fn counts_things(mult: &str, after: &str) -> bool {
    const MONEY_FOLLOWERS: &[&str] = &[
        "til", "i", "fra", "frå", "av", "per", "pr", "for", "på", "og", "eller", "over", "årlig",
        "årleg", "kroner", "kr", "nok",
    ];
    let full_word = mult.len() > 5 && !mult.ends_with('.');
    let next: String = after
        .trim_start()
        .chars()
        .take_while(|c| c.is_alphabetic())
        .collect::<String>()
        .to_lowercase();
    full_word && !next.is_empty() && !MONEY_FOLLOWERS.contains(&next.as_str())
}

/// Every money figure in a piece of prose, in order.
pub fn find_amounts(text: &str) -> Vec<Money> {
    let mut out = Vec::new();
    for caps in MONEY_RE.captures_iter(text) {
        let whole = caps.get(0).expect("group 0");
        let num_m = caps.name("num").expect("num group");
        let mult = caps.name("mult").and_then(|m| multiplier(m.as_str()));
        let has_currency = caps.name("pre").is_some()
            || caps.name("post").is_some()
            || caps.name("dash").is_some();
        let range = whole.range();
        let mut text_range = range.clone();
        // Trailing spaces matched before an absent unit are not part of the figure.
        while text_range.end > text_range.start
            && text[..text_range.end].ends_with([' ', '\u{00A0}'])
        {
            text_range.end -= 1;
        }
        if !boundary_ok(text, &(num_m.start()..text_range.end)) && !boundary_ok(text, &text_range) {
            continue;
        }
        let raw_num = num_m.as_str();
        // "1, 2 millioner": a stray space after the decimal comma, only believable
        // with a magnitude word after it.
        let spaced_decimal = raw_num.contains(", ");
        if spaced_decimal && mult.is_none() {
            continue;
        }
        let Some(num) = parse_number(&raw_num.replace(", ", ",")) else {
            continue;
        };
        let qualifier = qualifier_before(text, text_range.start);
        let grouped = raw_num.chars().any(|c| !c.is_ascii_digit() && c != ',');
        let cue_only = !has_currency && mult.is_none();
        if cue_only && !(qualifier == Some(Qualifier::UpTo) && (grouped || num.mantissa >= 1000)) {
            continue;
        }
        if !has_currency
            && counts_things(
                caps.name("mult").map_or("", |m| m.as_str()),
                &text[range.end..],
            )
        {
            continue;
        }
        let Some((amount, unit)) = value_and_unit(num, mult.unwrap_or(1)) else {
            continue;
        };
        out.push(Money {
            amount,
            unit,
            text: text[text_range.clone()].to_string(),
            range: text_range,
            qualifier,
            parenthesized: false,
        });
    }
    out
}

/// Reads a whole table cell as an amount: "1 900 000", "1 300 000kr", "(717 000)",
/// "kr 500 000", "2,5 mill.", "-", "". Bare numbers are accepted (the column says
/// what they are); blanks and dashes are `None`, which callers must keep apart
/// from zero.
pub fn parse_amount_cell(cell: &str) -> Option<Money> {
    let trimmed = cell.trim_matches(|c: char| c.is_whitespace());
    if trimmed.is_empty() {
        return None;
    }
    let (inner, parenthesized) = match trimmed.strip_prefix('(').and_then(|s| s.strip_suffix(')')) {
        Some(inner) => (inner.trim(), true),
        None => (trimmed, false),
    };
    let lower = inner.to_lowercase();
    let mut s = lower.as_str();
    for pre in ["kroner", "kr.", "kr", "nok"] {
        if let Some(rest) = s.strip_prefix(pre) {
            s = rest.trim_start();
            break;
        }
    }
    for post in ["kroner", "kr.", "kr", "nok", ",-"] {
        if post == "nok" && s.ends_with("mnok") {
            break;
        }
        if let Some(rest) = s.strip_suffix(post) {
            s = rest.trim_end();
            break;
        }
    }
    let s = s.strip_suffix(",-").unwrap_or(s).trim_end();
    let (num_str, mult) = match s.rsplit_once(|c: char| c.is_whitespace()) {
        Some((n, w)) if multiplier(w).is_some() => (n.trim_end(), multiplier(w)),
        _ => match s.find(|c: char| c.is_alphabetic()) {
            Some(i) if multiplier(&s[i..]).is_some() => (s[..i].trim_end(), multiplier(&s[i..])),
            _ => (s, None),
        },
    };
    let num = parse_number(&num_str.replace(", ", ","))?;
    let (amount, unit) = value_and_unit(num, mult.unwrap_or(1))?;
    Some(Money {
        amount,
        unit,
        text: trimmed.to_string(),
        range: 0..cell.len(),
        qualifier: None,
        parenthesized,
    })
}

/// Every percentage in a piece of text.
pub fn find_percents(text: &str) -> Vec<Percent> {
    PERCENT_RE
        .captures_iter(text)
        .filter_map(|caps| {
            let whole = caps.get(0)?;
            let num_m = caps.name("num")?;
            if !boundary_ok(text, &(num_m.start()..num_m.end()))
                && text[..num_m.start()].ends_with(|c: char| c.is_alphanumeric())
            {
                return None;
            }
            Some(Percent {
                value: parse_number(num_m.as_str())?,
                text: whole.as_str().to_string(),
                range: whole.range(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// (text, expected kroner×100 values)
    fn check(text: &str, expected: &[i64]) {
        let got: Vec<i64> = find_amounts(text).iter().map(|m| m.amount.ore()).collect();
        assert_eq!(got, expected, "in {text:?}: {:#?}", find_amounts(text));
    }

    fn kr(n: i64) -> i64 {
        n * 100
    }

    #[test]
    fn currency_after() {
        check("Til sammen 1 900 000 kr", &[kr(1_900_000)]);
        check("Til sammen\t\t1 300 000kr", &[kr(1_300_000)]);
        check("Det settes av 600 000 kroner til sammen", &[kr(600_000)]);
        check("500 000 NOK", &[kr(500_000)]);
    }

    #[test]
    fn currency_before_and_dash() {
        check("kr 500 000 til prosjektet", &[kr(500_000)]);
        check("inntil kroner 500.000,- fra fondet", &[kr(500_000)]);
        check("NOK 2,5 mill. i tilskudd", &[kr(2_500_000)]);
        check("tilskudd på 250 000,- per år", &[kr(250_000)]);
    }

    #[test]
    fn magnitude_words() {
        check("1, 2 millioner kr", &[kr(1_200_000)]);
        check("ramme på 1,2 mill", &[kr(1_200_000)]);
        check("0,5 MNOK", &[kr(500_000)]);
        check("5 mrd. til distriktene", &[kr(5_000_000_000)]);
        check("omlag 682 mill i 2007", &[kr(682_000_000)]);
        check("3,4 millionar kroner", &[kr(3_400_000)]);
        check("3 millioner besøk i året", &[]);
        check("2,1 millionar kinogjengarar", &[]);
        check("satt av 1,2 millioner til tiltaket", &[kr(1_200_000)]);
        check("1,5 milliardar", &[kr(1_500_000_000)]);
    }

    #[test]
    fn every_thousands_space() {
        check("1\u{00A0}900\u{00A0}000 kr", &[kr(1_900_000)]);
        check("1\u{202F}900\u{202F}000 kr", &[kr(1_900_000)]);
        check("1\u{2009}900\u{2009}000 kr", &[kr(1_900_000)]);
    }

    #[test]
    fn exact_ore() {
        let m = parse_amount_cell("391 324,31").unwrap();
        assert_eq!(m.amount, Amount::from_ore(39_132_431));
        assert_eq!(m.unit, Amount::from_ore(1));
        assert_eq!(m.amount.to_string(), "391 324,31");
    }

    #[test]
    fn rounding_unit_follows_printed_precision() {
        let m = &find_amounts("1,2 mill.")[0];
        assert_eq!(m.unit, Amount::from_kroner(100_000));
        let m = &find_amounts("500 000 kr")[0];
        assert_eq!(m.unit, Amount::from_kroner(1));
    }

    #[test]
    fn qualifiers() {
        let m = &find_amounts("inntil 500 000 til hver kommune")[0];
        assert_eq!(m.amount, Amount::from_kroner(500_000));
        assert_eq!(m.qualifier, Some(Qualifier::UpTo));
        assert_eq!(
            find_amounts("ca. 2 mill. kr")[0].qualifier,
            Some(Qualifier::Approx)
        );
    }

    #[test]
    fn not_amounts() {
        check("I 2024 ble det satt i gang aktiviteter", &[]);
        check("Delmål 1: Rekruttering", &[]);
        check("KDD 13.50 post 66", &[]);
        check("Side 5 av 32", &[]);
        check("1. Omdømmebygging", &[]);
        check("Ring 73 80 00 00 eller skriv", &[]);
        check("org.nr. 974 760 673", &[]);
        check("med over 20 boenheter og 18 enheter", &[]);
        check("i perioden 2024 – 2027", &[]);
        check("inntil 3 år", &[]);
        check("1, 2 og 3", &[]);
    }

    #[test]
    fn cells() {
        assert_eq!(
            parse_amount_cell("(717 000)").map(|m| (m.amount.ore(), m.parenthesized)),
            Some((kr(717_000), true))
        );
        assert_eq!(
            parse_amount_cell("1 300 000kr").unwrap().amount.ore(),
            kr(1_300_000)
        );
        assert_eq!(
            parse_amount_cell("kr 500 000").unwrap().amount.ore(),
            kr(500_000)
        );
        assert_eq!(
            parse_amount_cell("2,5 mill.").unwrap().amount.ore(),
            kr(2_500_000)
        );
        assert_eq!(
            parse_amount_cell("0,5 MNOK").unwrap().amount.ore(),
            kr(500_000)
        );
        assert_eq!(
            parse_amount_cell("kroner 500.000,-").unwrap().amount.ore(),
            kr(500_000)
        );
        assert_eq!(parse_amount_cell(""), None);
        assert_eq!(parse_amount_cell("   "), None);
        assert_eq!(parse_amount_cell("Prosjektledelse"), None);
        assert_eq!(parse_amount_cell("13.50 post 66"), None);
    }

    #[test]
    fn percents() {
        let p = find_percents("Helse og sosial; 35,7 % Oppvekst; 39,3 %");
        let v: Vec<(i128, u8)> = p
            .iter()
            .map(|p| (p.value.mantissa, p.value.scale))
            .collect();
        assert_eq!(v, vec![(357, 1), (393, 1)]);
        assert_eq!(find_percents("om lag 20 prosent").len(), 1);
    }

    proptest! {
        /// Formatting an amount the Norwegian way and reading it back is the identity.
        #[test]
        fn amount_format_parse_round_trip(ore in -10_000_000_000_000i64..10_000_000_000_000i64) {
            let a = Amount::from_ore(ore);
            let parsed = parse_amount_cell(&a.to_string()).expect("parses");
            prop_assert_eq!(parsed.amount, a);
        }

        /// A figure followed by "kr" in any sentence is found with its exact value.
        #[test]
        fn prose_round_trip(kroner in 0i64..100_000_000_000i64, sep in prop::sample::select(vec![' ', '\u{00A0}', '\u{202F}'])) {
            let printed = Amount::from_kroner(kroner).to_string().replace(' ', &sep.to_string());
            let text = format!("Det settes av {printed} kr til tiltaket.");
            let found = find_amounts(&text);
            prop_assert_eq!(found.len(), 1);
            prop_assert_eq!(found[0].amount, Amount::from_kroner(kroner));
        }
    }
}

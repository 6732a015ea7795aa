//! Plain Norwegian numerals: "1 900 000", "391 324,31", "500.000", "35,7".

use std::fmt;

use super::is_group_space;

/// An exact decimal number: `mantissa × 10^-scale`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Decimal {
    pub mantissa: i128,
    pub scale: u8,
}

impl Decimal {
    pub const fn integer(n: i128) -> Self {
        Decimal {
            mantissa: n,
            scale: 0,
        }
    }

    /// Multiplies by `factor` exactly (used for "mill." and friends).
    pub fn checked_mul_int(self, factor: i128) -> Option<Self> {
        Some(Decimal {
            mantissa: self.mantissa.checked_mul(factor)?,
            scale: self.scale,
        })
    }

    /// The value as an integer number of hundredths, if it is one exactly.
    pub fn to_hundredths(self) -> Option<i128> {
        if self.scale <= 2 {
            self.mantissa
                .checked_mul(10i128.pow(u32::from(2 - self.scale)))
        } else {
            let div = 10i128.pow(u32::from(self.scale - 2));
            (self.mantissa % div == 0).then(|| self.mantissa / div)
        }
    }

    /// The value of the last printed digit, in hundredths ("1,2" → 10, "500" → 100).
    pub fn unit_hundredths(self) -> i128 {
        if self.scale <= 2 {
            10i128.pow(u32::from(2 - self.scale))
        } else {
            1
        }
    }

    pub fn negate(self) -> Self {
        Decimal {
            mantissa: -self.mantissa,
            scale: self.scale,
        }
    }
}

impl fmt::Display for Decimal {
    /// Norwegian style: space-grouped thousands, decimal comma.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let neg = self.mantissa < 0;
        let digits = self.mantissa.unsigned_abs().to_string();
        let scale = usize::from(self.scale);
        let (int, frac) = if digits.len() > scale {
            digits.split_at(digits.len() - scale)
        } else {
            ("0", digits.as_str())
        };
        let frac = format!("{frac:0>scale$}");
        if neg {
            f.write_str("-")?;
        }
        f.write_str(&group_thousands(int))?;
        if scale > 0 {
            write!(f, ",{frac}")?;
        }
        Ok(())
    }
}

/// "1900000" → "1 900 000".
pub(crate) fn group_thousands(int: &str) -> String {
    let mut out = String::with_capacity(int.len() + int.len() / 3);
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i).is_multiple_of(3) {
            out.push(' ');
        }
        out.push(c);
    }
    out
}

/// Parses a whole string as a Norwegian numeral.
///
/// Accepts thousands groups separated by a space (any of the spaces Norwegian
/// typesetting uses) or by '.', and a decimal comma. A '.' followed by anything
/// but exactly three digits is not a thousands separator, so "13.50" is rejected
/// rather than read as 1 350. Returns `None` for anything that is not entirely a
/// number.
pub fn parse_number(s: &str) -> Option<Decimal> {
    let s = s.trim();
    let (neg, s) = match s.strip_prefix(['-', '−', '–']) {
        Some(rest) => (true, rest.trim_start()),
        None => (false, s),
    };
    let (int_part, frac_part) = match s.split_once(',') {
        Some((i, f)) => (i, Some(f)),
        None => (s, None),
    };
    let int_digits = parse_grouped_int(int_part)?;
    let mut digits = int_digits;
    let mut scale = 0u8;
    if let Some(frac) = frac_part {
        if frac.is_empty() || frac.len() > 6 || !frac.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        digits.push_str(frac);
        scale = frac.len() as u8;
    }
    if digits.len() > 30 {
        return None;
    }
    let mantissa: i128 = digits.parse().ok()?;
    let d = Decimal { mantissa, scale };
    Some(if neg { d.negate() } else { d })
}

/// The integer part with its group separators removed, if the grouping is valid.
fn parse_grouped_int(s: &str) -> Option<String> {
    if s.is_empty() {
        return None;
    }
    if s.bytes().all(|b| b.is_ascii_digit()) {
        return Some(s.to_string());
    }
    let groups: Vec<&str> = s.split(|c: char| is_group_space(c) || c == '.').collect();
    let first = groups.first()?;
    if first.is_empty() || first.len() > 3 || !first.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if groups[1..]
        .iter()
        .any(|g| g.len() != 3 || !g.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    // One kind of separator per number: "1 000.000" is two numbers run together.
    let seps: Vec<char> = s.chars().filter(|c| !c.is_ascii_digit()).collect();
    if seps.windows(2).any(|w| (w[0] == '.') != (w[1] == '.')) {
        return None;
    }
    Some(groups.concat())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(s: &str) -> Option<(i128, u8)> {
        parse_number(s).map(|d| (d.mantissa, d.scale))
    }

    #[test]
    fn grouped_with_every_space_kind() {
        assert_eq!(n("1 900 000"), Some((1_900_000, 0)));
        assert_eq!(n("1\u{00A0}900\u{00A0}000"), Some((1_900_000, 0)));
        assert_eq!(n("1\u{202F}900\u{202F}000"), Some((1_900_000, 0)));
        assert_eq!(n("1\u{2009}900\u{2009}000"), Some((1_900_000, 0)));
        assert_eq!(n("500.000"), Some((500_000, 0)));
    }

    #[test]
    fn decimal_comma() {
        assert_eq!(n("391 324,31"), Some((39_132_431, 2)));
        assert_eq!(n("35,7"), Some((357, 1)));
        assert_eq!(n("0,5"), Some((5, 1)));
    }

    #[test]
    fn rejects_what_is_not_a_grouped_number() {
        assert_eq!(n("13.50"), None);
        assert_eq!(n("73 80 00 00"), None);
        assert_eq!(n("1 000.000"), None);
        assert_eq!(n("12 3456"), None);
        assert_eq!(n(""), None);
        assert_eq!(n("abc"), None);
        assert_eq!(n("1,"), None);
    }

    #[test]
    fn display_is_norwegian() {
        assert_eq!(parse_number("391324,31").unwrap().to_string(), "391 324,31");
        assert_eq!(parse_number("6550000").unwrap().to_string(), "6 550 000");
        assert_eq!(parse_number("-717000").unwrap().to_string(), "-717 000");
        assert_eq!(
            Decimal {
                mantissa: 5,
                scale: 2
            }
            .to_string(),
            "0,05"
        );
    }

    #[test]
    fn hundredths() {
        assert_eq!(parse_number("2,5").unwrap().to_hundredths(), Some(250));
        assert_eq!(parse_number("0,125").unwrap().to_hundredths(), None);
        assert_eq!(parse_number("1,2").unwrap().unit_hundredths(), 10);
    }
}

//! Tolerance from displayed precision, as in XBRL Calculations 1.1: every
//! printed figure stands for an interval of half its rounding unit either side
//! ("1,2 mill." is 1 150 000–1 250 000), a sum's interval is the sum of its
//! parts' intervals, and two figures disagree only when their intervals cannot
//! meet. Rounding alone never raises a finding.

use crate::norsk::{Amount, Money, Qualifier};

/// A figure as an interval: its value and its rounding unit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Fig {
    pub value: Amount,
    pub unit: Amount,
}

impl Fig {
    pub fn exact(value: Amount) -> Self {
        Fig {
            value,
            unit: Amount::ZERO,
        }
    }

    /// A printed figure. "ca. 500 000" is rounded on purpose: its unit is its
    /// last non-zero digit (100 000), not the kroner it is printed to.
    pub fn of(m: &Money) -> Self {
        let unit = if m.qualifier == Some(Qualifier::Approx) {
            m.unit.max(significant_unit(m.amount))
        } else {
            m.unit
        };
        Fig {
            value: m.amount,
            unit,
        }
    }

    pub fn sum<'a>(figs: impl IntoIterator<Item = &'a Fig>) -> Fig {
        figs.into_iter()
            .fold(Fig::exact(Amount::ZERO), |acc, f| Fig {
                value: acc.value + f.value,
                unit: acc.unit + f.unit,
            })
    }

    /// `a − b`: its interval is as wide as both printed figures' together.
    pub fn difference(a: Fig, b: Fig) -> Fig {
        Fig {
            value: a.value - b.value,
            unit: a.unit + b.unit,
        }
    }

    /// True when the two intervals meet.
    pub fn agrees(self, other: Fig) -> bool {
        let diff = (self.value - other.value).abs().ore();
        // Half units, compared in doubled øre to stay exact.
        diff * 2 <= self.unit.ore() + other.unit.ore()
    }
}

/// The place value of the last non-zero digit of whole kroner: 100 000 for
/// 500 000, 10 000 for 1 250 000, 1 kr for 1 234 567.
fn significant_unit(a: Amount) -> Amount {
    let mut kr = (a.ore() / 100).abs();
    if kr == 0 || a.ore() % 100 != 0 {
        return Amount::from_ore(1);
    }
    let mut unit = 1;
    while kr % 10 == 0 {
        kr /= 10;
        unit *= 10;
    }
    Amount::from_kroner(unit)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::norsk::{find_amounts, parse_amount_cell};

    fn fig(s: &str) -> Fig {
        Fig::of(&find_amounts(s)[0])
    }

    #[test]
    fn rounded_millions_meet_their_exact_sum() {
        let parts = [fig("100 000 kr"), fig("1,2 mill. kr")];
        assert!(Fig::sum(&parts).agrees(fig("1 300 000 kr")));
        assert!(fig("1,2 mill. kr").agrees(fig("1 240 000 kr")));
        assert!(!fig("1,2 mill. kr").agrees(fig("1 260 000 kr")));
    }

    #[test]
    fn whole_kroner_meet_within_one_krone() {
        assert!(fig("1 800 000 kr").agrees(fig("1 800 001 kr")));
        assert!(!fig("1 800 000 kr").agrees(fig("1 800 002 kr")));
    }

    #[test]
    fn approximate_figures_are_rounded_to_their_last_digit() {
        assert!(fig("ca. 500 000 kr").agrees(fig("540 000 kr")));
        assert!(!fig("ca. 500 000 kr").agrees(fig("560 000 kr")));
    }

    #[test]
    fn a_difference_is_as_loose_as_both_figures() {
        let d = Fig::difference(fig("1,2 mill. kr"), fig("1 000 000 kr"));
        assert_eq!(d.value, crate::norsk::Amount::from_kroner(200_000));
        assert!(d.agrees(fig("240 000 kr")));
        assert!(!d.agrees(fig("260 000 kr")));
    }

    #[test]
    fn ore_in_accounts_count() {
        let a = Fig::of(&parse_amount_cell("391 324,31").unwrap());
        let b = Fig::of(&parse_amount_cell("391 324,29").unwrap());
        assert!(!a.agrees(b));
    }
}

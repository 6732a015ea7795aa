//! Norwegian numbers, money amounts and dates as they are written in public documents.
//!
//! Everything here is exact: amounts are integer øre ([`Amount`]), decimals keep
//! their mantissa and scale ([`Decimal`]), and every parsed figure remembers the
//! rounding unit it was printed with, so later stages can compare "1,2 mill." with
//! 1 180 000 without pretending the former is exact.

mod amount;
mod date;
mod number;

pub use amount::{
    find_amounts, find_percents, parse_amount_cell, Amount, Money, Percent, Qualifier,
};
pub use date::{find_dates, parse_date, DateExpr, PartialDate, Season};
pub use number::{parse_number, Decimal};

/// Characters Norwegian documents use between thousands groups: space, no-break
/// space (U+00A0), narrow no-break space (U+202F) and thin space (U+2009).
pub(crate) fn is_group_space(c: char) -> bool {
    matches!(c, ' ' | '\u{00A0}' | '\u{202F}' | '\u{2009}')
}

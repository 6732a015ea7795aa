//! Timeframes of measures: "Hele avtaleperioden", "Ferdig mars 2025",
//! "2024 - 2027", "Okt 2025", "Kontinuerlig", "Juni 2025, etablert 1 jan 2026".
//! The text is kept as written; from and to are filled where the text
//! determines them.

use std::sync::LazyLock;

use crate::norsk::Pattern;

use crate::norsk::{find_dates, find_years, PartialDate};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Timeframe {
    pub text: String,
    pub from: Option<PartialDate>,
    pub to: Option<PartialDate>,
}

/// "hele avtaleperioden", "i planperioden": the document's own period.
static WHOLE_PERIOD: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(r"(?i)\b(hele|heile|i|gjennom)\s+(avtale|plan|program|prosjekt)?perioden\b")
        .unwrap()
});
/// "Ferdig mars 2025", "innen juni", "frist": the date is an end, not a start.
static END_CUE: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(r"(?i)\b(ferdig|innen|innan|frist|avslutt\w*|ut|til og med|tom\.?)\s*$").unwrap()
});
/// "fra januar 2025", "oppstart", "start": the date is a start.
static START_CUE: LazyLock<Pattern> =
    LazyLock::new(|| Pattern::new(r"(?i)\b(fra|frå|oppstart|start\w*|etter)\s*$").unwrap());

pub fn parse(text: &str, period: Option<(PartialDate, PartialDate)>) -> Timeframe {
    let text = text.trim().to_string();
    let found = find_dates(&text);
    let mut dates: Vec<(usize, PartialDate, PartialDate)> = found
        .iter()
        .map(|d| (d.range.start, d.from, d.to))
        .collect();
    // Bare years not inside a date already found.
    for (r, year) in find_years(&text) {
        let inside = found
            .iter()
            .any(|d| d.range.start <= r.start && r.end <= d.range.end);
        if !inside {
            let p = PartialDate {
                year: Some(year),
                month: None,
                day: None,
            };
            dates.push((r.start, p, p));
        }
    }
    dates.sort_by_key(|d| d.0);
    let (mut from, mut to) = (None, None);
    if let [(start, f, t)] = dates[..] {
        let before = &text[..start];
        if END_CUE.is_match(before) {
            to = Some(t);
        } else if START_CUE.is_match(before) {
            from = Some(f);
        } else {
            from = Some(f);
            to = Some(t);
        }
    } else if let (Some(first), Some(last)) = (dates.first(), dates.last()) {
        from = Some(first.1);
        to = Some(last.2);
    }
    if dates.is_empty() && WHOLE_PERIOD.is_match(&text) {
        if let Some((f, t)) = period {
            from = Some(f);
            to = Some(t);
        }
    }
    Timeframe { text, from, to }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn iso(t: &Timeframe) -> (Option<String>, Option<String>) {
        (
            t.from.and_then(|d| d.first_day()),
            t.to.and_then(|d| d.last_day()),
        )
    }

    fn y(y: i32) -> PartialDate {
        PartialDate {
            year: Some(y),
            month: None,
            day: None,
        }
    }

    #[test]
    fn timeframes_of_the_genre() {
        let period = Some((y(2024), y(2027)));
        let cases: &[(&str, Option<&str>, Option<&str>)] = &[
            (
                "Hele avtaleperioden, men med ulike faser i arbeidet",
                Some("2024-01-01"),
                Some("2027-12-31"),
            ),
            ("Ferdig mars 2025", None, Some("2025-03-31")),
            ("Ferdig juni 2026", None, Some("2026-06-30")),
            ("Okt 2025", Some("2025-10-01"), Some("2025-10-31")),
            ("2024 - 2027", Some("2024-01-01"), Some("2027-12-31")),
            ("Kontinuerlig", None, None),
            (
                "Juni 2025, etablert 1 jan 2026",
                Some("2025-06-01"),
                Some("2026-01-01"),
            ),
            ("2025", Some("2025-01-01"), Some("2025-12-31")),
            ("Oppstart høsten 2025", Some("2025-08-01"), None),
        ];
        for (text, from, to) in cases {
            let t = parse(text, period);
            assert_eq!(t.text, *text);
            assert_eq!(
                iso(&t),
                (from.map(String::from), to.map(String::from)),
                "{text}"
            );
        }
    }
}

//! Norwegian dates, months, seasons and year ranges, Bokmål and Nynorsk.
//!
//! A plan rarely gives a full date: "juni 2025", "våren 2025", "ila mars",
//! "2024–2027". [`PartialDate`] keeps exactly what was written, and
//! [`DateExpr`] turns it into a first and last possible day.

use std::ops::Range;
use std::sync::LazyLock;

use super::pattern::Pattern;

/// A date with as much precision as the text gave.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PartialDate {
    pub year: Option<i32>,
    pub month: Option<u8>,
    pub day: Option<u8>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Season {
    Spring,
    Summer,
    Autumn,
    Winter,
}

/// A date expression found in text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DateExpr {
    pub from: PartialDate,
    /// Equal to `from` for a single date.
    pub to: PartialDate,
    pub season: Option<Season>,
    pub text: String,
    pub range: Range<usize>,
}

impl PartialDate {
    pub fn ymd(year: i32, month: u8, day: u8) -> Self {
        PartialDate {
            year: Some(year),
            month: Some(month),
            day: Some(day),
        }
    }

    /// ISO 8601 as far as known: "2025-01-15", "2025-06", "2025".
    pub fn iso(&self) -> Option<String> {
        let y = self.year?;
        Some(match (self.month, self.day) {
            (Some(m), Some(d)) => format!("{y:04}-{m:02}-{d:02}"),
            (Some(m), None) => format!("{y:04}-{m:02}"),
            _ => format!("{y:04}"),
        })
    }

    /// The first day this partial date can mean.
    pub fn first_day(&self) -> Option<String> {
        let y = self.year?;
        Some(format!(
            "{y:04}-{:02}-{:02}",
            self.month.unwrap_or(1),
            self.day.unwrap_or(1)
        ))
    }

    /// The last day this partial date can mean.
    pub fn last_day(&self) -> Option<String> {
        let y = self.year?;
        let m = self.month.unwrap_or(12);
        let d = self.day.unwrap_or_else(|| days_in_month(y, m));
        Some(format!("{y:04}-{m:02}-{d:02}"))
    }
}

impl DateExpr {
    pub fn is_range(&self) -> bool {
        self.from != self.to
    }
}

fn days_in_month(y: i32, m: u8) -> u8 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Month by Norwegian name or abbreviation ("jan", "januar", "okt.", "des").
pub fn month_number(word: &str) -> Option<u8> {
    const MONTHS: [&str; 12] = [
        "januar",
        "februar",
        "mars",
        "april",
        "mai",
        "juni",
        "juli",
        "august",
        "september",
        "oktober",
        "november",
        "desember",
    ];
    let w = word.trim_end_matches('.');
    let matches = |w: &str, m: &str| {
        m.eq_ignore_ascii_case(w)
            || (w.len() <= 4 && m.get(..w.len()).is_some_and(|p| p.eq_ignore_ascii_case(w)))
    };
    // ASCII words (most) are compared without lower-casing them, which
    // allocates; the rest are lower-cased first, as a Kelvin sign is a "k".
    let lower;
    let w = if w.is_ascii() {
        w
    } else {
        lower = w.to_lowercase();
        lower.as_str()
    };
    if w.len() < 3 {
        return None;
    }
    MONTHS
        .iter()
        .position(|m| matches(w, m))
        .map(|i| i as u8 + 1)
}

const MONTH_RE: &str = r"(?:januar|februar|mars|april|mai|juni|juli|august|september|oktober|november|desember|jan|feb|mar|apr|jun|jul|aug|sept|sep|okt|nov|des)\.?";
const YEAR_RE: &str = r"(?:19[5-9][0-9]|20[0-9][0-9])";

static DATE_RE: LazyLock<Pattern> = LazyLock::new(|| {
    let dash = r"[ ]*[-–—][ ]*";
    let alternatives = [
        format!(
            r"(?P<dmy>\b(?P<d1>[0-3]?[0-9])\.(?P<m1>[01]?[0-9])\.(?P<y1>{YEAR_RE}|[0-9][0-9])\b)"
        ),
        format!(
            r"(?P<dn>\b(?P<d2>[0-3]?[0-9])\.?[ ]*(?P<m2>{MONTH_RE})(?:[ ]*(?P<y2>{YEAR_RE}))?\b)"
        ),
        format!(
            r"(?P<season>\b(?P<s>våren|vår|sommeren|sommaren|hausten|høsten|høst|vinteren)[ ]+(?P<y3>{YEAR_RE})\b)"
        ),
        format!(r"(?P<yr>\b(?P<y4>{YEAR_RE}){dash}(?P<y5>{YEAR_RE})\b)"),
        format!(r"(?P<my>\b(?P<m3>{MONTH_RE})[ ]*(?P<y6>{YEAR_RE})?\b)"),
        format!(r"(?P<mslash>\b(?P<m4>0?[1-9]|1[0-2])/(?P<y7>{YEAR_RE})\b)"),
    ];
    Pattern::new(&format!("(?i){}", alternatives.join("|"))).expect("date regex")
});

fn year_of(s: &str) -> Option<i32> {
    let y: i32 = s.parse().ok()?;
    Some(if s.len() == 2 { 2000 + y } else { y })
}

fn season_of(word: &str) -> Season {
    match word.to_lowercase().as_str() {
        "våren" | "vår" => Season::Spring,
        "sommeren" | "sommaren" => Season::Summer,
        "vinteren" => Season::Winter,
        _ => Season::Autumn,
    }
}

fn season_months(s: Season) -> (u8, u8) {
    match s {
        Season::Spring => (1, 6),
        Season::Summer => (6, 8),
        Season::Autumn => (8, 12),
        Season::Winter => (1, 3),
    }
}

static YEAR_WORD: LazyLock<Pattern> =
    LazyLock::new(|| Pattern::new(r"\b((?:19|20)[0-9][0-9])\b").unwrap());

/// The one year a text names ("Handlingsplan 2025", "Finansiering 2025"); `None`
/// when it names none or several.
pub fn single_year(text: &str) -> Option<i32> {
    match find_years(text)[..] {
        [(_, y)] => Some(y),
        _ => None,
    }
}

/// Every four-digit year (1900–2099) standing as a word, with its byte range.
pub fn find_years(text: &str) -> Vec<(Range<usize>, i32)> {
    YEAR_WORD
        .find_iter(text)
        .filter_map(|m| Some((m.range(), m.as_str().parse().ok()?)))
        .collect()
}

/// Every date expression in a text, in order. Bare years ("i 2025") are not dates
/// here; they are found by the extractors that know their context.
pub fn find_dates(text: &str) -> Vec<DateExpr> {
    let mut out = Vec::new();
    for c in DATE_RE.captures_iter(text) {
        let whole = c.get(0).expect("group 0");
        let single = |p: PartialDate| (p, p, None);
        let parsed = if c.name("dmy").is_some() {
            let (d, m) = (c["d1"].parse::<u8>().ok(), c["m1"].parse::<u8>().ok());
            match (d, m, year_of(&c["y1"])) {
                (Some(d @ 1..=31), Some(m @ 1..=12), Some(y)) if d <= days_in_month(y, m) => {
                    Some(single(PartialDate::ymd(y, m, d)))
                }
                _ => None,
            }
        } else if c.name("dn").is_some() {
            let d = c["d2"].parse::<u8>().ok().filter(|d| (1..=31).contains(d));
            let m = month_number(&c["m2"]);
            let y = c.name("y2").and_then(|y| year_of(y.as_str()));
            match (d, m) {
                (Some(d), Some(m)) => Some(single(PartialDate {
                    year: y,
                    month: Some(m),
                    day: Some(d),
                })),
                _ => None,
            }
        } else if c.name("season").is_some() {
            let s = season_of(&c["s"]);
            let y = year_of(&c["y3"]);
            let (m1, m2) = season_months(s);
            Some((
                PartialDate {
                    year: y,
                    month: Some(m1),
                    day: None,
                },
                PartialDate {
                    year: y,
                    month: Some(m2),
                    day: None,
                },
                Some(s),
            ))
        } else if c.name("yr").is_some() {
            let (a, b) = (year_of(&c["y4"]), year_of(&c["y5"]));
            match (a, b) {
                (Some(a), Some(b)) if a <= b && b - a <= 30 => Some((
                    PartialDate {
                        year: Some(a),
                        month: None,
                        day: None,
                    },
                    PartialDate {
                        year: Some(b),
                        month: None,
                        day: None,
                    },
                    None,
                )),
                _ => None,
            }
        } else if c.name("my").is_some() {
            let m = month_number(&c["m3"]);
            let y = c.name("y6").and_then(|y| year_of(y.as_str()));
            // A lone short word like "mar" or "mai" without a year is too often
            // something else ("mai" is also a name); demand a year or a full name.
            let full_name =
                c["m3"].trim_end_matches('.').len() >= 4 || c["m3"].eq_ignore_ascii_case("mai");
            match m {
                Some(m) if y.is_some() || full_name => Some(single(PartialDate {
                    year: y,
                    month: Some(m),
                    day: None,
                })),
                _ => None,
            }
        } else if c.name("mslash").is_some() {
            let m = c["m4"].parse::<u8>().ok();
            Some(single(PartialDate {
                year: year_of(&c["y7"]),
                month: m,
                day: None,
            }))
        } else {
            None
        };
        if let Some((from, to, season)) = parsed {
            out.push(DateExpr {
                from,
                to,
                season,
                text: whole.as_str().to_string(),
                range: whole.range(),
            });
        }
    }
    out
}

/// Parses a string that is one date expression and nothing else.
pub fn parse_date(s: &str) -> Option<DateExpr> {
    let s = s.trim();
    let mut found = find_dates(s);
    (found.len() == 1 && found[0].range == (0..s.len())).then(|| found.remove(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(s: &str) -> (Option<String>, Option<String>) {
        let d = find_dates(s);
        assert_eq!(d.len(), 1, "{s:?} → {d:#?}");
        (d[0].from.first_day(), d[0].to.last_day())
    }

    fn p(a: &str, b: &str) -> (Option<String>, Option<String>) {
        (Some(a.to_string()), Some(b.to_string()))
    }

    #[test]
    fn full_dates() {
        assert_eq!(one("oppdatert 15.jan 2025"), p("2025-01-15", "2025-01-15"));
        assert_eq!(
            one("Dato: 13. desember 2024"),
            p("2024-12-13", "2024-12-13")
        );
        assert_eq!(one("Dato: 23.10.2014"), p("2014-10-23", "2014-10-23"));
        assert_eq!(one("signert 30.april 2024"), p("2024-04-30", "2024-04-30"));
        assert_eq!(one("etablert 1 jan 2026"), p("2026-01-01", "2026-01-01"));
        assert_eq!(
            one("Arbeidslivsdagen 11.09.14"),
            p("2014-09-11", "2014-09-11")
        );
    }

    #[test]
    fn months_seasons_and_ranges() {
        assert_eq!(one("Ferdig juni 2025"), p("2025-06-01", "2025-06-30"));
        assert_eq!(one("Okt 2025"), p("2025-10-01", "2025-10-31"));
        assert_eq!(one("2024 - 2027"), p("2024-01-01", "2027-12-31"));
        assert_eq!(
            one("avtaleperioden 2024–2027"),
            p("2024-01-01", "2027-12-31")
        );
        assert_eq!(one("våren 2025"), p("2025-01-01", "2025-06-30"));
        assert_eq!(one("høsten 2024"), p("2024-08-01", "2024-12-31"));
        assert_eq!(one("hausten 2024"), p("2024-08-01", "2024-12-31"));
        assert_eq!(one("Oppstart 02/2014"), p("2014-02-01", "2014-02-28"));
    }

    #[test]
    fn month_without_year_keeps_month() {
        let d = find_dates("ferdig til behandling ila mars");
        assert_eq!(d.len(), 1);
        assert_eq!(
            d[0].from,
            PartialDate {
                year: None,
                month: Some(3),
                day: None
            }
        );
        assert_eq!(d[0].from.iso(), None);
    }

    #[test]
    fn not_dates() {
        assert!(find_dates("Delmål 1: Rekruttering").is_empty());
        assert!(find_dates("KDD 13.50 post 66").is_empty());
        assert!(find_dates("1 900 000 kr").is_empty());
        assert!(find_dates("i 2025").is_empty());
        assert!(find_dates("31.02.2024").is_empty());
        assert!(find_dates("versjon 1.2.3").is_empty());
    }

    #[test]
    fn whole_string() {
        assert!(parse_date("13.des 2024").is_some());
        assert!(parse_date("Kontinuerlig").is_none());
    }
}

//! Finding the goal or measure a table row names, without comparing the row
//! with every goal and measure of the document: a long document has many
//! rows and many measures, and comparing all with all made the reading
//! quadratic in the document's length.
//!
//! The similarity is `strsim::sorensen_dice` on lower-cased titles, as
//! before; the index only chooses whom to compare. It is exact (prefix
//! filtering, as in set-similarity joins): two titles whose similarity
//! reaches the threshold share at least `α` of their character bigrams, so
//! they share one among the first `n − α + 1` bigrams of each, in one global
//! order from rare to common. Titles are kept once however many items bear
//! them, so a title repeated a thousand times is compared once.

use std::collections::HashMap;

/// A character bigram and which occurrence of it in its title this is:
/// bigrams counted with their multiplicity, as `sorensen_dice` counts them.
type Token = (char, char, u32);

/// Titles, indexed for similarity at one threshold and for lookup by number.
pub struct TitleIndex {
    threshold: f64,
    /// Distinct lower-cased titles and the items bearing each, ascending.
    titles: Vec<(String, Vec<usize>)>,
    /// A title without whitespace → its distinct title: equal titles are
    /// similar even when too short for a bigram.
    exact: HashMap<String, usize>,
    /// A token → the distinct titles with it in their prefix.
    postings: HashMap<Token, Vec<usize>>,
    /// How many distinct titles hold each token: rare tokens first.
    freq: HashMap<Token, u32>,
    /// An item's number key → the items with it, ascending.
    numbers: HashMap<String, Vec<usize>>,
}

fn tokens(title: &str) -> Vec<Token> {
    let chars: Vec<char> = title.chars().filter(|c| !c.is_whitespace()).collect();
    let mut seen: HashMap<(char, char), u32> = HashMap::new();
    chars
        .windows(2)
        .map(|w| {
            let k = seen.entry((w[0], w[1])).or_default();
            *k += 1;
            (w[0], w[1], *k)
        })
        .collect()
}

/// How many of its `n` tokens a title shares, at least, with any title
/// similar to it at `threshold` (rounded down: a longer prefix is safe).
fn overlap(n: usize, threshold: f64) -> usize {
    let bound = threshold * n as f64 / (2.0 - threshold);
    ((bound - 1e-9).ceil().max(1.0) as usize).min(n.max(1))
}

impl TitleIndex {
    /// Indexes `items` (title, number key) for similarity at `threshold`.
    pub fn new<'a>(
        items: impl IntoIterator<Item = (&'a str, Option<String>)>,
        threshold: f64,
    ) -> TitleIndex {
        let mut titles: Vec<(String, Vec<usize>)> = Vec::new();
        let mut distinct: HashMap<String, usize> = HashMap::new();
        let mut numbers: HashMap<String, Vec<usize>> = HashMap::new();
        for (item, (title, number)) in items.into_iter().enumerate() {
            let lower = title.to_lowercase();
            let t = *distinct.entry(lower.clone()).or_insert_with(|| {
                titles.push((lower, Vec::new()));
                titles.len() - 1
            });
            titles[t].1.push(item);
            if let Some(n) = number {
                numbers.entry(n).or_default().push(item);
            }
        }
        let all: Vec<Vec<Token>> = titles.iter().map(|(t, _)| tokens(t)).collect();
        let mut freq: HashMap<Token, u32> = HashMap::new();
        for ts in &all {
            for &t in ts {
                *freq.entry(t).or_default() += 1;
            }
        }
        let mut index = TitleIndex {
            threshold,
            exact: HashMap::new(),
            postings: HashMap::new(),
            freq,
            numbers,
            titles: Vec::new(),
        };
        for (t, ts) in all.into_iter().enumerate() {
            for token in index.prefix(ts) {
                index.postings.entry(token).or_default().push(t);
            }
        }
        for (t, (title, _)) in titles.iter().enumerate() {
            let bare: String = title.chars().filter(|c| !c.is_whitespace()).collect();
            index.exact.entry(bare).or_insert(t);
        }
        index.titles = titles;
        index
    }

    /// The rarest tokens of a title, as many as any similar title must meet.
    fn prefix(&self, mut ts: Vec<Token>) -> Vec<Token> {
        let keep = ts.len() + 1 - overlap(ts.len(), self.threshold);
        ts.sort_by_key(|t| (self.freq.get(t).copied().unwrap_or(0), *t));
        ts.truncate(keep.min(ts.len()));
        ts
    }

    /// The items whose number key is `key`, ascending.
    pub fn numbered(&self, key: &str) -> &[usize] {
        self.numbers.get(key).map_or(&[], Vec::as_slice)
    }

    /// Every distinct title whose similarity to `label` reaches the
    /// threshold: the similarity and the items bearing the title.
    pub fn similar(&self, label: &str) -> Vec<(f64, &[usize])> {
        let label = label.to_lowercase();
        let mut candidates: Vec<usize> = self
            .prefix(tokens(&label))
            .iter()
            .flat_map(|t| self.postings.get(t).into_iter().flatten().copied())
            .collect();
        let bare: String = label.chars().filter(|c| !c.is_whitespace()).collect();
        candidates.extend(self.exact.get(&bare));
        candidates.sort_unstable();
        candidates.dedup();
        candidates
            .into_iter()
            .filter_map(|t| {
                let (title, items) = &self.titles[t];
                let sim = strsim::sorensen_dice(&label, title);
                (sim >= self.threshold).then_some((sim, items.as_slice()))
            })
            .collect()
    }
}

/// The goals and measures of a document, indexed for the rows of its tables.
pub struct Named {
    pub goals: TitleIndex,
    pub measures: TitleIndex,
}

impl Named {
    /// Goals keyed by the digits of their number (top-level goals only: a
    /// row's "3" names goal 3, not sub-goal 1.3), measures by their number.
    pub fn new(goals: &[super::Goal], measures: &[super::Measure]) -> Named {
        let digits = |s: &str| -> Option<String> {
            let d: String = s.chars().filter(|c| c.is_ascii_digit()).collect();
            (!d.is_empty()).then_some(d)
        };
        Named {
            goals: TitleIndex::new(
                goals.iter().map(|g| {
                    let key = g.number.as_deref().filter(|_| g.parent.is_none());
                    (g.title.as_str(), key.and_then(digits))
                }),
                SIMILAR,
            ),
            measures: TitleIndex::new(
                measures.iter().map(|m| {
                    let key = m
                        .number
                        .as_deref()
                        .map(|n| n.trim_end_matches('.').to_string());
                    (m.title.as_str(), key)
                }),
                SIMILAR,
            ),
        }
    }
}

/// How close a row's label must be to a title to name it without a number.
pub const SIMILAR: f64 = 0.7;

#[cfg(test)]
mod tests {
    use super::*;

    const TITLES: &[&str] = &[
        "Etablere felles dynamisk utviklingsmiljø Indre Namdal",
        "Karrieredag for ungdom",
        "Karrieredag for ungdom",
        "Kartlegging av boligbehov",
        "Bygging av utleieboliger i alle kommunene",
        "Tilflytterkontakt",
        "Ø",
        "Næringshage Nord",
        "Næringshage Sør",
    ];

    /// The index finds exactly what comparing with every title finds.
    #[test]
    fn the_index_finds_what_a_full_scan_finds() {
        let index = TitleIndex::new(TITLES.iter().map(|t| (*t, None)), 0.7);
        for label in [
            "Etablere felles dynamisk utviklingsmiljø",
            "Karrieredag for ungdommen",
            "karrieredag for ungdom",
            "Kartlegging av boligbehovet",
            "Bygging av boliger",
            "Tilflyttarkontakt",
            "ø",
            "Næringshage",
            "Næringshage Sør-Trøndelag",
            "Noe helt annet",
            "",
        ] {
            let mut full: Vec<(String, usize)> = TITLES
                .iter()
                .enumerate()
                .filter_map(|(i, t)| {
                    let sim = strsim::sorensen_dice(&label.to_lowercase(), &t.to_lowercase());
                    (sim >= 0.7).then(|| (format!("{sim:.6}"), i))
                })
                .collect();
            let mut got: Vec<(String, usize)> = index
                .similar(label)
                .into_iter()
                .flat_map(|(sim, items)| items.iter().map(move |&i| (format!("{sim:.6}"), i)))
                .collect();
            full.sort();
            got.sort();
            assert_eq!(got, full, "{label}");
        }
    }

    #[test]
    fn items_by_number() {
        let index = TitleIndex::new(
            [
                ("A", Some("1".to_string())),
                ("B", None),
                ("C", Some("1".to_string())),
            ],
            0.7,
        );
        assert_eq!(index.numbered("1"), [0, 2]);
        assert!(index.numbered("2").is_empty());
    }
}

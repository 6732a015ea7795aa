//! Which written language a document is in: Bokmål, Nynorsk or English.
//!
//! Norwegian's two written standards share most words; they part in a set of
//! very common ones, which a page of text uses dozens of times: Bokmål "ikke,
//! hva, hvordan, fra, være, mye, noe, bare, flere, sammen, kommunene", Nynorsk
//! "ikkje, kva, korleis, frå, vere, mykje, noko, berre, fleire, saman,
//! kommunane". English is told by its function words ("the", "and", "of").
//! Each language's share of these marker words decides, when there are enough
//! of them to be sure; a short or mixed text has no language rather than a
//! guess.

use std::collections::HashMap;
use std::sync::LazyLock;

/// A document's written language.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Language {
    Bokmal,
    Nynorsk,
    English,
}

impl Language {
    /// Its ISO 639-1 code: "nb", "nn", "en".
    pub fn code(self) -> &'static str {
        match self {
            Language::Bokmal => "nb",
            Language::Nynorsk => "nn",
            Language::English => "en",
        }
    }
}

const BOKMAL: &[&str] = &[
    "ikke",
    "hva",
    "hvordan",
    "hvor",
    "hvilke",
    "hvilken",
    "fra",
    "være",
    "vært",
    "mye",
    "noe",
    "noen",
    "bare",
    "flere",
    "sammen",
    "kommunene",
    "jeg",
    "deres",
    "dere",
    "blir",
    "ble",
    "skulle",
    "også",
    "eller",
    "etter",
    "mellom",
    "gjennom",
    "hele",
    "andre",
    "disse",
    "dette",
    "denne",
    "egen",
    "egne",
    "nye",
    "mange",
    "kunne",
    "hadde",
    "vil",
    "ved",
    "uten",
    "enn",
];
const NYNORSK: &[&str] = &[
    "ikkje",
    "kva",
    "korleis",
    "kvar",
    "kva",
    "kven",
    "frå",
    "vere",
    "vore",
    "mykje",
    "noko",
    "nokon",
    "nokre",
    "berre",
    "fleire",
    "saman",
    "kommunane",
    "eg",
    "dykk",
    "dei",
    "vert",
    "vart",
    "skulle",
    "òg",
    "eller",
    "etter",
    "mellom",
    "gjennom",
    "heile",
    "andre",
    "desse",
    "dette",
    "denne",
    "eigen",
    "eigne",
    "nye",
    "mange",
    "kunne",
    "hadde",
    "vil",
    "ved",
    "utan",
    "enn",
    "ein",
    "eit",
    "eitt",
    "me",
    "difor",
    "sjølv",
    "nokså",
    "høyrer",
    "meir",
    "fylkeskommunane",
];
// Not "for", "to", "by", "be", "on", "as", "an": Norwegian words too.
const ENGLISH: &[&str] = &[
    "the", "and", "of", "with", "that", "this", "are", "which", "from", "have", "has", "will",
    "their", "not", "or", "is", "was", "were", "been", "these", "should", "would", "there",
];

/// Marker word → the languages it marks; words both standards share count
/// for neither.
static MARKERS: LazyLock<HashMap<&'static str, [bool; 3]>> = LazyLock::new(|| {
    let mut m: HashMap<&str, [bool; 3]> = HashMap::new();
    for (i, list) in [BOKMAL, NYNORSK, ENGLISH].iter().enumerate() {
        for w in *list {
            m.entry(w).or_default()[i] = true;
        }
    }
    m.retain(|_, v| v.iter().filter(|x| **x).count() == 1);
    m
});

/// At least this many marker words, and the leader this share of them.
const MIN_MARKERS: usize = 12;
const MIN_SHARE: f64 = 0.7;

/// The language of a text, when its marker words say so clearly.
pub fn detect<'a>(texts: impl IntoIterator<Item = &'a str>) -> Option<Language> {
    let mut counts = [0usize; 3];
    for t in texts {
        for w in t
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty() && w.len() <= 20)
        {
            let w = w.to_lowercase();
            if let Some(which) = MARKERS.get(w.as_str()) {
                for (i, hit) in which.iter().enumerate() {
                    if *hit {
                        counts[i] += 1;
                    }
                }
            }
        }
    }
    let total: usize = counts.iter().sum();
    let (best, n) = counts.iter().enumerate().max_by_key(|(_, n)| **n)?;
    if total < MIN_MARKERS || (*n as f64) < MIN_SHARE * total as f64 {
        return None;
    }
    Some([Language::Bokmal, Language::Nynorsk, Language::English][best])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bokmal_nynorsk_and_english_are_told_apart() {
        let nb = "Kommunene skal samarbeide om rekruttering. Det er ikke nok å bare bygge boliger; \
                  vi må også se på hvordan flere kan flytte hit, og hva som skal til for at de blir. \
                  Prosjektet har vært viktig, og mye arbeid gjenstår fra i fjor. \
                  Dette er noe vi ikke kan vente med.";
        let nn = "Kommunane skal samarbeide om rekruttering. Det er ikkje nok å berre byggje bustader; \
                  me må òg sjå på korleis fleire kan flytte hit, og kva som skal til for at dei blir. \
                  Prosjektet har vore viktig, og mykje arbeid står att frå i fjor. \
                  Dette er noko me ikkje kan vente med.";
        let en = "The municipalities will work together on recruitment. It is not enough to build houses; \
                  we must also look at how more people can move here and what it takes for them to stay, \
                  which is the aim of this plan and of the work that has been done.";
        assert_eq!(detect([nb]), Some(Language::Bokmal));
        assert_eq!(detect([nn]), Some(Language::Nynorsk));
        assert_eq!(detect([en]), Some(Language::English));
    }

    #[test]
    fn short_or_mixed_text_has_no_language() {
        assert_eq!(detect(["Handlingsplan 2025"]), None);
        assert_eq!(detect(["1 800 000 kr", "Sum"]), None);
        let mixed = "ikke hva hvordan fra være mye ikkje kva korleis frå vere mykje";
        assert_eq!(detect([mixed]), None);
    }
}

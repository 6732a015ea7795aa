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

// Hashed with foldhash: every word of every text is looked up here, and
// SipHash's guard against chosen keys is not needed for a fixed word list.
use foldhash::HashMap;
use std::sync::LazyLock;

/// A document's written language.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Language {
    Bokmal,
    Nynorsk,
    English,
}

impl Language {
    /// Bokmål or Nynorsk: the two share their number, total and list words.
    pub fn is_norwegian(self) -> bool {
        matches!(self, Language::Bokmal | Language::Nynorsk)
    }

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
    let mut m: HashMap<&str, [bool; 3]> = HashMap::default();
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
    let mut buf = String::new();
    for t in texts {
        for_each_word(t, &mut buf, |w| {
            if let Some(which) = MARKERS.get(w) {
                for (i, hit) in which.iter().enumerate() {
                    if *hit {
                        counts[i] += 1;
                    }
                }
            }
        });
    }
    let total: usize = counts.iter().sum();
    let (best, n) = counts.iter().enumerate().max_by_key(|(_, n)| **n)?;
    if total < MIN_MARKERS || (*n as f64) < MIN_SHARE * total as f64 {
        return None;
    }
    Some([Language::Bokmal, Language::Nynorsk, Language::English][best])
}

/// Norwegian (either standard) or English, for words the two standards share.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tongue {
    Norwegian,
    English,
}

impl From<Language> for Tongue {
    fn from(l: Language) -> Tongue {
        if l.is_norwegian() {
            Tongue::Norwegian
        } else {
            Tongue::English
        }
    }
}

/// Function words of Bokmål and Nynorsk that English does not use: a sentence
/// holding them is Norwegian. Words of both languages ("to", "for", "i",
/// "under", "at", "me", "as" of "Firma AS") and number words are left
/// out: they are what the leaning must decide.
const NORWEGIAN_FUNCTION: &[&str] = &[
    "og",
    "ikke",
    "ikkje",
    "det",
    "som",
    "er",
    "på",
    "med",
    "av",
    "vi",
    "vil",
    "skal",
    "har",
    "den",
    "de",
    "dei",
    "en",
    "ein",
    "et",
    "eit",
    "å",
    "om",
    "fra",
    "frå",
    "kan",
    "blir",
    "vert",
    "gjennom",
    "følgende",
    "følgjande",
    "etter",
    "mellom",
    "disse",
    "desse",
    "dette",
    "denne",
    "der",
    "når",
    "også",
    "òg",
    "eller",
    "hvor",
    "kvar",
    "sine",
    "sitt",
    "til",
    "ble",
    "vart",
    "hadde",
    "bør",
    "må",
    "slik",
    "sammen",
    "saman",
    "innen",
    "innan",
    "ved",
    "hvordan",
    "korleis",
    "være",
    "vere",
];
/// Function words of English that Norwegian never uses.
const ENGLISH_FUNCTION: &[&str] = &[
    "the",
    "and",
    "of",
    "with",
    "that",
    "this",
    "are",
    "which",
    "from",
    "have",
    "has",
    "will",
    "their",
    "not",
    "or",
    "is",
    "was",
    "were",
    "been",
    "these",
    "those",
    "should",
    "would",
    "there",
    "a",
    "an",
    "on",
    "in",
    "it",
    "its",
    "following",
    "by",
    "if",
    "into",
    "must",
    "can",
    "they",
    "our",
    "we",
    "each",
    "such",
    "than",
    "what",
    "how",
    "where",
    "when",
    "who",
];
/// Function word → whether it is Norwegian's, English's.
static FUNCTION_WORDS: LazyLock<HashMap<&'static str, [bool; 2]>> = LazyLock::new(|| {
    let mut m: HashMap<&str, [bool; 2]> = HashMap::default();
    for (i, list) in [NORWEGIAN_FUNCTION, ENGLISH_FUNCTION].iter().enumerate() {
        for w in *list {
            m.entry(w).or_default()[i] = true;
        }
    }
    m
});

/// Calls `f` with each word of `text` (of at most 20 bytes) in lower case,
/// lower-cased in `buf` rather than in a new string each.
fn for_each_word(text: &str, buf: &mut String, mut f: impl FnMut(&str)) {
    for w in text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty() && w.len() <= 20)
    {
        if w.is_ascii() {
            buf.clear();
            buf.push_str(w);
            buf.make_ascii_lowercase();
            f(buf);
        } else {
            f(&w.to_lowercase());
        }
    }
}

/// Which language a short text leans to (a sentence, a list item), from its
/// function words: at least two of one language's and none of the other's.
/// `None` when it does not say clearly: a mixed text, a name, a figure.
pub fn leaning(text: &str) -> Option<Tongue> {
    let (mut no, mut en) = (0usize, 0usize);
    let mut buf = String::new();
    for_each_word(text, &mut buf, |w| {
        if let Some(&[n, e]) = FUNCTION_WORDS.get(w) {
            no += usize::from(n);
            en += usize::from(e);
        }
    });
    match (no, en) {
        (n, 0) if n >= 2 => Some(Tongue::Norwegian),
        (0, e) if e >= 2 => Some(Tongue::English),
        (n, e) if n >= 3 * e.max(1) && n >= 4 => Some(Tongue::Norwegian),
        (n, e) if e >= 3 * n.max(1) && e >= 4 => Some(Tongue::English),
        _ => None,
    }
}

/// The tongue whose words a text is read with: the document's language
/// where it is known, unless the text itself clearly leans to the other (a
/// quotation, an English summary); for a document of unknown language, the
/// text's own leaning, or none.
pub fn tongue_of(document: Option<Language>, text: &str) -> Option<Tongue> {
    let own = leaning(text);
    match document.map(Tongue::from) {
        Some(d) => match own {
            Some(o) if o != d => None,
            _ => Some(d),
        },
        None => own,
    }
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
    fn a_sentence_leans_to_its_function_words() {
        assert_eq!(
            leaning("Vi vil gjøre dette gjennom tre aktiviteter:"),
            Some(Tongue::Norwegian)
        );
        assert_eq!(
            leaning("Søknaden omfattar to mål."),
            None,
            "too few words to tell"
        );
        assert_eq!(
            leaning(
                "A facility has to report data under E-PRTR if it fulfils the following criteria:"
            ),
            Some(Tongue::English)
        );
        assert_eq!(leaning("Bardu, Berg og Tranøy"), None);
        // A document's language holds, unless the text clearly is the other.
        assert_eq!(
            tongue_of(Some(Language::Nynorsk), "Søknaden omfattar to mål."),
            Some(Tongue::Norwegian)
        );
        assert_eq!(
            tongue_of(Some(Language::Bokmal), "The two reports are listed below:"),
            None
        );
        assert_eq!(tongue_of(None, "Søknaden omfattar to mål."), None);
    }

    #[test]
    fn short_or_mixed_text_has_no_language() {
        assert_eq!(detect(["Handlingsplan 2025"]), None);
        assert_eq!(detect(["1 800 000 kr", "Sum"]), None);
        let mixed = "ikke hva hvordan fra være mye ikkje kva korleis frå vere mykje";
        assert_eq!(detect([mixed]), None);
    }
}

//! The genre's words: how Norwegian plans, reports, bills and resolutions (in
//! Bokmål and Nynorsk) name their goals, measures, decisions and prompts, and
//! how their tables name totals, rates, differences, costs, financing and money.
//!
//! Everything that recognises a structural word lives here, so that a new
//! spelling ("tiltaka", "tilrådingar") is added once and every reader of the
//! structure sees it. [`heading_cue`] and [`intro_cue`] turn a heading or an
//! introducing line into a typed cue; the walk in `structure` decides what the
//! cue means where it stands.

use std::sync::LazyLock;

use regex::Regex;

use crate::norsk::Pattern;

use super::language::Language;
use super::{MeasureKind, Progress};

/// "Delmål 2: Flere unge", "Innsatsområde 1 Næring", "Hovudmål: Fleire folk".
static GOAL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?P<kw>hovedmål|hovudmål|delmål|innsatsområde|satsingsområde|satsningsområde|fokusområde|mål)\s*(?P<n>[0-9]{1,2}(?:\.[0-9]{1,2})?)?\s*[:.\-–]?\s*(?P<rest>.*)$").unwrap()
});
/// "Mål for helse- og omsorgsinnsatsen", "Overordna mål", "Overordnede mål": a
/// goal statement section.
static GOAL_SECTION: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(r"(?i)^(?:(?:overordna|overordnede|overordnet)\s+mål|mål\s+for\b|målsettinger?\b|målsetjingar?\b|hovudmål\b|hovedmål\b)").unwrap()
});
/// "Tiltak 3: Brobygger", "Aktivitet 2.1 …".
static MEASURE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?P<kw>tiltak|aktivitet|prosjekt|satsing)\s*(?P<n>[0-9]{1,2}(?:\.[0-9]{1,2})?)\s*[:.\-–]?\s*(?P<rest>.*)$").unwrap()
});
/// "Status: Igangsatt".
static STATUS: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?i)^status\s*:\s*(.+)$").unwrap());
/// "4.0 Strategi for helse og omsorg", "5.0 Strategier for regional utvikling".
static STRATEGY_AREA: LazyLock<Pattern> =
    LazyLock::new(|| Pattern::new(r"(?i)^(strategi|strategiar|strategier)\s+for\b").unwrap());
/// A word naming measures, in a line that introduces a list or table of them.
static MEASURE_WORD: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(r"(?i)\b(tiltak|tiltaka|tiltakene|aktiviteter|aktivitetar|aktivitetene|aktivitetane|strategier|strategiar|strategiene|strategiane|satsinger|satsingar|satsingene|prosjekter|prosjekta)\b").unwrap()
});
/// A word naming goals, in a line that introduces a list of them: "Delmål:",
/// "… innehar syv delmål.", "følgende mål", "Planen har fire mål:".
static GOAL_WORD: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(r"(?i)(\b(?:del|hoved|hovud)mål(?:ene|a)?\b|overordna mål|overordnede mål|følgende mål|følgjande mål|\bmålsettinger\b|\bmålsetjingar\b|\bmålene\b|\bmåla\b|^mål\s*:|\b(?:to|tre|fire|fem|seks|sju|syv|åtte|ni|ti|[0-9]{1,2})\s+(?:hoved|hovud|del)?mål\b)").unwrap()
});
/// A heading over the measures a document puts forward: "Tiltak",
/// "Prioriteringar og vidare oppfølging", "KS' anbefalinger", "Våre forslag",
/// "Regjeringens tiltak".
static MEASURE_SECTION: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(r"(?i)^(?:[\p{L}'’]+\s+)?(?:tiltak|tiltaka|tiltakene|prioriteringar|prioriteringer|(?:vidare|videre)\s+oppfølging|anbefalingar|anbefalinger|tilrådingar|tilrådinger|forslag\s+til\s+tiltak|våre\s+forslag|våre\s+anbefalinger|våre\s+innspill|våre\s+innspel)\b|\b(?:anbefalinger|anbefalingar|tilrådingar|tilrådinger)\s*:?\s*$").unwrap()
});
/// The decision of a council or board: "Vedtak", "Fylkestingets vedtak",
/// "Kommunestyret sitt vedtak", "Vedtak i Formannskapet". Its numbered points
/// are the measures of a resolution; the proposal ("Innstilling", "Forslag til
/// vedtak") is not, as the decision repeats or amends it.
static DECISION: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(r"(?i)^(?:(?:[\p{L}-]+s|[\p{L}-]+\s+sitt|endelig|endeleg)\s+)?vedtak\b(?:\s+i\s+[\p{L}-]+)?\s*:?\s*$").unwrap()
});
/// An actor's statement of intent that introduces a list: "Regjeringa vil:",
/// "Kommunen vil blant annet:", "KS mener at:", "Vi foreslår følgende:",
/// "… at Værnesregionen skal:". The word before the verb is the actor: a
/// pronoun, a name, or a noun in its definite form ("kommunen", "partane");
/// "Ved oppdatering skal det gjøres rede for:" has no actor.
static INTENT: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(r"(?i)(?:^|\s)(?P<subj>[\p{L}’'.-]+)\s+(?:vil|skal|ønsker|ønskjer|foreslår|føreslår|anbefaler|tilrår|går inn for|mener|meiner|ber om|prioriterer|trenger|treng)\b(?P<rest>[^.?!]{0,80}):$").unwrap()
});
/// An intent with the verb before its subject, as Norwegian word order has it
/// after a fronted phrase: "For å sikre at dette potensialet realiseres, ber
/// vi om:", "Derfor vil vi:", "Difor meiner Sunnmøre regionråd at:".
///
/// Asked only of texts that end in a colon (see [`intent_inverted`]), where
/// the DFA reading backwards from it built a state per character counted:
/// 60 times slower than the NFA engines on the real documents.
static INTENT_INVERTED: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::without_dfa(r"(?:,\s+|^(?i:derfor|difor|dessutan|dessuten|videre|vidare|samtidig|også|og|særlig|særleg|i tillegg|til slutt)\s+)(?i:vil|skal|ønsker|ønskjer|foreslår|føreslår|anbefaler|tilrår|mener|meiner|ber|prioriterer|trenger|treng)\s+(?:(?i:vi|eg|jeg)|\p{Lu}[\p{L}-]*(?:\s+[\p{L}-]+){0,3}?)(?:\s+[^.?!:]{0,80})?:$").unwrap()
});
/// A condition or demand its list spells out: "Dette forutsetter imidlertid
/// at helsereformen:", "Vi forventer at staten:", "KS ber om at utvalget:",
/// "Rådet krev at …:". A submission's demands are the measures it asks for.
/// Like [`INTENT_INVERTED`], asked only of texts ending in a colon.
static DEMAND: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::without_dfa(r"(?i)\b(?:forutsetter|føreset|føresett|forventer|forventar|krever|krev|ber\s+om|oppfordrer|oppmodar)\s+(?:[\p{L}-]+\s+){0,2}?at\s+[^.:;]{1,80}:$").unwrap()
});
/// The verbs of [`DEMAND`], anywhere: a text without one is no demand. Both
/// patterns are read backwards from the colon, and counting the up to 80
/// characters before it builds many states of the lazy DFA, so a cheap
/// forward test comes first.
static DEMAND_VERB: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)forutsetter|føreset|forventer|forventar|krev|ber\s+om|oppfordrer|oppmodar")
        .unwrap()
});
/// How [`INTENT_INVERTED`] begins: an adverb at the start of the text.
static FRONTED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?i:derfor|difor|dessutan|dessuten|videre|vidare|samtidig|også|og|særlig|særleg|i tillegg|til slutt)\s")
        .unwrap()
});

fn demand(t: &str) -> bool {
    DEMAND_VERB.is_match(t) && DEMAND.is_match(t)
}

/// [`INTENT_INVERTED`]: its verb follows a comma or a fronted adverb.
fn intent_inverted(t: &str) -> bool {
    (t.contains(',') || FRONTED.is_match(t)) && INTENT_INVERTED.is_match(t)
}

/// Goals as what an actor works toward: "jobbe mot disse målene", "for å nå
/// delmåla", "oppnå målet". What follows such an intent is the means, not
/// the goals.
static AIMED_AT_GOALS: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(
        r"(?i)\b(?:mot|nå|oppnå|innfri|innfrí)\s+(?:[\p{L}-]+\s+){0,2}?[\p{L}-]*mål(?:ene|a|et)?\b",
    )
    .unwrap()
});
/// The same intent as a sentence its list finishes: "Regjeringen vil
/// forsterke den forebyggende innsatsen … gjennom å" / "Regjeringa vil … ved å",
/// each item completing it ("be Helsedirektoratet utrede …").
static INTENT_UNFINISHED: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(r"(?i)(?:^|\s)(?P<subj>[\p{L}’'.-]+)\s+(?:vil|skal|ønsker|ønskjer|foreslår|føreslår|anbefaler|tilrår|går inn for|prioriterer)\b(?P<rest>[^.?!:]{0,200}\s(?:å|at))$").unwrap()
});

/// A level of a programme: "Fylkessatsinger", "Distriktssatsinger",
/// "Regionenes satsinger".
static LEVEL: LazyLock<Pattern> =
    LazyLock::new(|| Pattern::new(r"(?i)satsing(er|ar|ane|ene)\b").unwrap());
/// Form prompts of a template: instructions and questions to whoever fills it in.
static PROMPT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(beskriv|beskrive|skildre|skildr|gjør rede|gjer greie|gi en|gi ei|gi et|gje ei|gje eit|oppgi|angi|forklar|vurder|vurdering av|list opp|legg ved|fyll ut|fyll inn|kort beskrivelse|kort omtale|hvilke|hvilken|hva |hvordan|når |kva |korleis|kven |hvem )|\?\s*$|\((sett kryss|kryss av|maks)").unwrap()
});
/// A form's label for activities: "Resultat … i form av aktiviteter eller tiltak".
static ACTIVITY_LABEL: LazyLock<Pattern> =
    LazyLock::new(|| Pattern::new(r"(?i)\b(tiltak|aktiviteter|aktivitetar)\b").unwrap());
/// "Mål: Flere arbeidsplasser i regionen." — a goal stated on its own line.
static GOAL_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?P<kw>mål|målet|målsetting|målsetjing|hovedmål|hovudmål|delmål|effektmål|resultatmål)\s*:\s*(?P<rest>\S.*)$").unwrap()
});
/// A sentence that states a goal: "Målet er å sikre …", "Hovedmålet for
/// planperioden er at …", "Det overordna målet med satsinga er at …". The
/// goal is what follows "er at"/"er å"; a sentence about the goal ("Målet er
/// nådd", "Målet om … krev …") states none.
static GOAL_STATEMENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:det\s+)?(?:(?:overordna|overordnede|overordnet|viktigaste|viktigste)\s+)?(?P<kw>(?:hoved|hovud|del)?målet|målsettingen|målsetjinga)(?:\s+(?:for|med|i|til)\s+[^.:;]{1,80}?)?\s+(?:er|blir|vert)\s+(?:at|å)\s+\S").unwrap()
});

// Tables: the words of budgets, accounts and statistics.
/// A row label that totals the rows above: "Sum", "Til sammen", "Totalt",
/// "I alt", "Samla", and "Total", which Norwegian shares with English.
pub(crate) static TOTAL_LABEL: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(r"(?i)^\s*(til ?sam+[ae]n|sum\b|summer?t?\b|totalt?\b|total bruk|totalsum|i alt\b|samlet\b|samla\b|totalbeløp)").expect("total label")
});
/// The total words of English: an English document's tables total with
/// these only ("Total", "Sum", "Grand total", "Subtotal"). (A Norwegian
/// document's "Grand Total" is a spreadsheet's pivot table printed into it,
/// whose sparse columns are not yet read reliably: not taken as a total.)
static TOTAL_LABEL_ENGLISH: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(r"(?i)^\s*(sum\b|total\b|grand\s+total\b|sub-?total\b)")
        .expect("english total label")
});
/// The start of what follows a total word when it names the group the row
/// totals rather than a thing measured: a year, a place in a preposition
/// ("Totalt for 2024", "Total for Nordland", "Sum i alt"), "all"/"alle",
/// another total word ("Sum totalt").
static GROUPING: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(r"(?i)^(?:for|of|in|i|av|til|på|fra|frå|from|across|over|all|alle|samtlige|heile|hele|totalt?|sum|samla?t?|i\s+alt|til\s*sam+[ae]n|inkl\.?|inklusive|including|excl\.?|ekskl\.?)\b").expect("grouping")
});

/// What a row label's total word says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TotalWord {
    /// A total word alone, or with the group it totals: "Sum", "Totalt:",
    /// "Total for 2024", "Sum alle fylker", "Til sammen (kr)", "Grand Total".
    Plain,
    /// A total word before a noun: "Sum driftsutgifter", "Totalt Nordland",
    /// "Total Nitrogen". The noun may name what the rows above are (a
    /// total) or a thing measured ("Total Phosphorus" is a substance, "Sum
    /// nedbør" a quantity): the table decides. Holds the noun phrase.
    Qualified(String),
}

/// The total word a row label starts with, in the words of the document's
/// language (any we read, where it is not known), and what follows it.
pub fn total_word(label: &str, language: Option<Language>) -> Option<TotalWord> {
    let re: &Pattern = match language {
        Some(Language::English) => &TOTAL_LABEL_ENGLISH,
        _ => &TOTAL_LABEL,
    };
    let m = re.find(label)?;
    let rest = label[m.end()..].trim();
    // Compounds say what they total: "Totalsum", "Totalbeløp", "Total bruk av …".
    let lower = label.trim_start().to_lowercase();
    if ["total bruk", "totalsum", "totalbeløp"]
        .iter()
        .any(|w| lower.starts_with(w))
    {
        return Some(TotalWord::Plain);
    }
    let first = rest.chars().next();
    if first.is_none_or(|c| !c.is_alphabetic()) || GROUPING.is_match(rest) {
        return Some(TotalWord::Plain);
    }
    Some(TotalWord::Qualified(rest.to_string()))
}
/// A column header over row totals: "Sum", "Totalbudsjett", "Sum 2024–2027".
pub(crate) static TOTAL_HEADER: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(r"(?i)^\s*(til ?sam+[ae]n|sum\b|totalt?\b|total ?budsjett|totalsum|totalbeløp|i alt\b|samlet\b|samla\b|budsjett totalt|sum [0-9]{4}\s*[-–]\s*[0-9]{4})").expect("total header")
});
/// A column of figures that do not add up: per unit, averages, rates, factors.
pub(crate) static RATE_HEADER: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(r"(?i)(\bper\b|\bpr\.|\bkr\s*/|/\s*(km|innb|innbygger|elev|pasient|time|år|mnd|måned|m2|m²|stk|dag)\b|gj\.?\s*snitt|gjennomsnitt|\bsnitt\b|\brate\b|faktor|indeks|\bmedian\b)").expect("rate header")
});
/// A row summarising the rows above by something other than their sum.
pub(crate) static STATISTIC_LABEL: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(r"(?i)(gj\.?\s*snitt|gjennomsnitt|\bsnitt\b|\bmedian\b|\bmin(imum)?\b|\bmaks(imum)?\b|\bmax\b|\baverage\b|\bmean\b)").expect("statistic label")
});
/// A column of differences between two others.
pub(crate) static DIFFERENCE_HEADER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^\s*(avvik|differanse|diff\.)").expect("difference header"));
/// A table of costs: "Kostnadsplan", "Utgifter".
pub(crate) static COSTS: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(r"(?i)\b(kostnad|kostnader|kostnadsplan|kostnadsoverslag|kostnadsbudsjett|utgifter|utgiftsplan)\b").expect("costs")
});
/// A table of financing: "Finansieringsplan", "Inntekter", "Kilde".
pub(crate) static FINANCING: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(r"(?i)\b(finansiering|finansieringsplan|finansieringsplanen|finansieringskilder?|inntekter|kjelde|kilde)\b").expect("financing")
});
/// A reserve or buffer row, set aside rather than spent.
pub(crate) static RESERVE: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(r"(?i)\b(avsetning|avsetjing|avsatt til|reserve|buffer)").expect("reserve")
});
/// A word that says a table holds money: "Beløp", "Bygdevekstmidler", "Egenandel", "kr".
pub(crate) static MONEY_WORD: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(r"(?i)\b(?:kr|kroner|nok|mnok|beløp|budsjett|kostnad|kostnader|finansiering|finansieringsplan|tilskudd|tilskot|midler|midlar|regnskap|rekneskap|utgift|utgifter|inntekt|inntekter|egenandel|eigendel|eigenandel|bevilgning|bevilget|løyving|løyvd|ramme|investering|investeringer|lønn|søkt|innvilget|tildelt|tildeling)\b|\w(?:midler|midlar|budsjett|kostnader|tilskudd|tilskot|beløp)\b").unwrap()
});

// Prose: the words of budget sentences, Bokmål and Nynorsk.
/// A sentence that calls a figure a total: "til sammen", "totalt", "i alt", "samla".
pub(crate) static TOTAL_CUE: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(r"(?i)\b(til ?sam+[ae]n|totalt|i alt|samla?t|samanlagt|sammenlagt)\b")
        .expect("total cue")
});
/// Words right before a figure that make it a total: "til sammen", "samla
/// ramme på", "Totalt ble det brukt".
pub(crate) static TOTAL_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(til ?sam+[ae]n|totalt|i alt|samla?t|sum|summen er|utgjør|(?:samla|samlet|samlede|total|totale)\s+(?:ramme|ramma|rammen|budsjett|budsjettet|kostnad|kostnaden|kostnader|finansiering|beløp))\s*(?:på|er|blir|med|vert|(?:ble|blei|vart|er|har)\s+det\s+(?:brukt|satt av|sett av|bevilget|løyvd|investert|utbetalt|betalt ut))?\s*(?:kr\.?\s*)?$").expect("total before")
});
/// Words right after a figure that make it a total: "… 600 000 kr til sammen".
pub(crate) static TOTAL_AFTER: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(r"(?i)^\s*(til ?sam+[ae]n|totalt|i alt)\b").expect("total after")
});
/// Money from elsewhere or for something else than the plan's own budget: an
/// own contribution, an application, a grant, a rate, an earlier year.
pub(crate) static OTHER_MONEY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(egenandel|eigendel|egeninnsats|medfinansiering|søk|søke|søkt|innvilg|tilsagn|kr\s*/|per time|pr\.? time|timepris|årlig|per år|pr\.? år|tidligere|i fjor)").expect("other money")
});
/// "I tillegg kommer 200 000 kr …": money on top of the budget, not the budget.
/// ("200 000 kr i tillegg til egen arbeidstid" is the budget: only words
/// before the figure count.)
pub(crate) static IN_ADDITION: LazyLock<Pattern> =
    LazyLock::new(|| Pattern::new(r"(?i)\b(i tillegg|dessuten|i tilegg)\b").expect("in addition"));
/// Money set aside for the plan's work: "settes av", "avsatt", "budsjetteres",
/// "finansieres", "bevilget", "løyvd", "tildelt", "kostnadsramme", "koster".
/// A sentence without one ("Om lag 1/3 av kommunenes samlede budsjetter
/// disponeres til helse, omlag 682 mill") describes money, it budgets none.
pub(crate) static ALLOCATION: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(r"(?i)(sett(?:es)?\s+(?:det\s+)?av|satt\s+av|set(?:jast|t)?\s+(?:det\s+)?av|avsett|avsatt|budsjetter|finansier|bevilg|løyv|tildel|innvilg|tilsagn|kostnadsramme|ramme\s+på|rammen?\s+(?:er|blir|vert)|koste[rt]?\b|kostnad(?:en|ene)?\s+(?:er|blir|vert|på|estimert|beregnet)|prosjektkostnad|budsjett(?:et)?\s+(?:er|på|blir|vert)|budsjett\s*:|til\s+disposisjon|får\s+[0-9]|gis\s+[0-9]|satsar|satses)")
        .expect("allocation")
});
/// "hvorav", "av dette": a part of a figure given beside it.
pub(crate) static OF_WHICH: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(r"(?i)\b(hvorav|herav|derav|kvorav|av dette|av dei|av disse)\b").expect("of which")
});
/// A figure left out of a table, frozen or coming in addition: "er ikke tatt
/// med", "holdes utenfor", "kjem i tillegg", "ekskl.".
pub(crate) static LEFT_OUT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(frys|fryse|ikke\s+(?:er\s+)?(?:tatt|lagt|lagd|regnet|rekna|tekne?)\s+(?:inn|med)|legges\s+ikke\s+inn|tas\s+ikke\s+med|ikke\s+med\s+i|holdes\s+utenfor|haldast\s+utanfor|ikke\s+inkludert|ikkje\s+med|kommer\s+i\s+tillegg|kjem\s+i\s+tillegg|unntatt|ekskl|eksklusiv|utenom|ikke\s+medregnet)")
        .expect("left out")
});
/// The year a budget sentence is for: "i 2025", "for 2026", "gjennom 2027".
pub(crate) static BUDGET_YEAR: LazyLock<Pattern> = LazyLock::new(|| {
    Pattern::new(r"\b(?:i|for|fra|gjennom)\s+((?:19|20)[0-9][0-9])\b").expect("budget year")
});

/// What a heading says about the structure, from its text alone.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HeadingCue<'a> {
    /// A form's instruction or question.
    Prompt,
    /// "Vedlegg 2 …": no goals of the plan itself follow.
    Appendix,
    /// "Status: …" of the measure above.
    Status(&'a str),
    /// "Tiltak 3: Brobygger" — one measure, numbered.
    Measure {
        kind: MeasureKind,
        number: &'a str,
        title: &'a str,
    },
    /// "Delmål 2: Flere unge", "Satsingsområde: Næring" — one goal.
    Goal {
        kind: String,
        number: Option<&'a str>,
        title: &'a str,
    },
    /// "Overordna mål", "Hovedmål": goals follow as a list.
    GoalList,
    /// "Mål for helse- og omsorgsinnsatsen": the goal's statement follows.
    GoalStatement,
    /// "Strategi for …": a strategy area.
    StrategyArea,
    /// "Prioriteringar og vidare oppfølging", "Anbefalinger": the measures the
    /// document puts forward follow as a list.
    MeasureSection { kind: MeasureKind },
    /// "Fylkestingets vedtak": the decision points follow.
    Decision,
    /// A line naming measures inside a goal: "Tiltak under delmål 2".
    MeasureIntro,
    /// "Fylkessatsinger": a level of a programme (if its themes recur).
    Level,
    /// Nothing structural.
    Other,
}

/// Classifies a heading's text (without its section number).
pub fn heading_cue(body: &str) -> HeadingCue<'_> {
    if is_prompt(body) {
        return HeadingCue::Prompt;
    }
    let lower = body.to_lowercase();
    if lower.starts_with("vedlegg") {
        return HeadingCue::Appendix;
    }
    if let Some(c) = STATUS.captures(body) {
        return HeadingCue::Status(c.get(1).map_or("", |m| m.as_str().trim()));
    }
    if let Some(c) = MEASURE.captures(body) {
        let title = c.name("rest").map_or("", |m| m.as_str().trim());
        return HeadingCue::Measure {
            kind: measure_kind(&c["kw"]),
            number: c.name("n").map_or("", |m| m.as_str()),
            title: if title.is_empty() { body } else { title },
        };
    }
    if let Some(c) = GOAL.captures(body) {
        let kw = c["kw"].to_lowercase();
        let rest = c.name("rest").map_or("", |m| m.as_str().trim());
        let number = c.name("n").map(|m| m.as_str());
        // "Mål 2" alone is a label, not a goal; "Hovedmål: Fleire folk" and
        // "Satsingsområde: Næring" are goals without a number.
        let separated = body[kw.len()..].trim_start().starts_with([':', '–', '-']);
        if number.is_some() && (kw != "mål" || !rest.is_empty())
            || number.is_none() && kw != "mål" && separated && !rest.is_empty()
        {
            return HeadingCue::Goal {
                kind: kw,
                number,
                title: if rest.is_empty() { body } else { rest },
            };
        }
    }
    if GOAL_SECTION.is_match(body) {
        return if body.split_whitespace().count() <= 3 {
            HeadingCue::GoalList
        } else {
            HeadingCue::GoalStatement
        };
    }
    if STRATEGY_AREA.is_match(body) && !lower.contains("forslag") {
        return HeadingCue::StrategyArea;
    }
    if DECISION.is_match(body) {
        return HeadingCue::Decision;
    }
    if MEASURE_SECTION.is_match(body) && !LEVEL.is_match(body) {
        return HeadingCue::MeasureSection {
            kind: measure_kind(body),
        };
    }
    if MEASURE_WORD.is_match(body) && !LEVEL.is_match(body) {
        return HeadingCue::MeasureIntro;
    }
    if LEVEL.is_match(body) {
        return HeadingCue::Level;
    }
    HeadingCue::Other
}

/// What a line that introduces a list announces.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IntroCue {
    /// Goals follow; the label names them ("Delmål", "Mål").
    Goals { label: &'static str },
    /// Measures follow.
    Measures { kind: MeasureKind },
    /// An actor's intent ("Regjeringa vil:"): what it will do follows.
    Intent,
    /// The decision points follow ("Vedtak:").
    Decision,
}

/// Classifies a paragraph that may introduce a list: it ends with a colon, or
/// is a short line without a full stop.
pub fn intro_cue(text: &str) -> Option<IntroCue> {
    intro_cue_in(text, true)
}

/// [`intro_cue`] where the walk knows whether a heading above names goals.
/// Goals named only in an earlier sentence of the paragraph ("De overordna
/// målene peker på … Det foreslås her at regionen skal:") announce the list
/// only in such a section: elsewhere the earlier sentence is about goals
/// already stated ("Regjeringen vil ta disse målsetningene inn i … I denne
/// meldingen varsles det at regjeringen vil:"), and the closing sentence
/// decides what follows.
pub fn intro_cue_in(text: &str, goal_section: bool) -> Option<IntroCue> {
    // A paragraph introduces with its last sentence: "Prosjektet legger opp
    // til tiltak av varig karakter. Et framtidsbilde 2017:" announces no measures.
    let whole = text.trim();
    let unfinished = ends_unfinished(whole);
    let t = whole
        .rfind(". ")
        .filter(|_| whole.ends_with(':') || unfinished)
        .map_or(whole, |i| whole[i + 2..].trim());
    // "Dette forutsetter imidlertid at helsereformen:": the demands follow;
    // "…, ber vi om:": an intent, the verb first.
    if t.ends_with(':') && (demand(t) || intent_inverted(t)) {
        return Some(IntroCue::Intent);
    }
    // "Ungdom vil jobbe mot disse målene med:": the means toward goals.
    if (t.ends_with(':') || unfinished) && AIMED_AT_GOALS.is_match(t) && is_intent(t) {
        return Some(IntroCue::Intent);
    }
    // "De overordna målene peker på … Det foreslås her at regionen skal:"
    // announces goals from its first sentence.
    if goal_section && t != whole && GOAL_WORD.is_match(whole) && !MEASURE_WORD.is_match(whole) {
        return Some(IntroCue::Goals {
            label: goal_label(whole),
        });
    }
    let words = t.split_whitespace().count();
    let intro = t.ends_with(':') || unfinished || (words <= 15 && !t.ends_with('.'));
    if !intro || is_prompt(t) {
        return None;
    }
    if DECISION.is_match(t) {
        return Some(IntroCue::Decision);
    }
    if GOAL_WORD.is_match(t) && !MEASURE_WORD.is_match(t) {
        return Some(IntroCue::Goals {
            label: goal_label(t),
        });
    }
    if MEASURE_WORD.is_match(t) {
        return Some(IntroCue::Measures {
            kind: measure_kind(t),
        });
    }
    if (t.ends_with(':') || unfinished) && is_intent(t) {
        return Some(IntroCue::Intent);
    }
    None
}

/// A sentence its list finishes: it stops at an infinitive marker or a
/// subjunction ("… gjennom å", "… ved å", "… sørge for at").
fn ends_unfinished(t: &str) -> bool {
    let last = t
        .trim_end()
        .rsplit(char::is_whitespace)
        .next()
        .unwrap_or("");
    matches!(last, "å" | "at") && t.split_whitespace().count() >= 4
}

/// A heading that names goals: "Visjon og overordna mål", "Mål og ønskede
/// effekter", "Delmåla", "Målsettinger for perioden" ("Måloppnåelse" reports
/// on goals rather than stating them).
pub fn names_goals(heading: &str) -> bool {
    GOAL_HEADING.is_match(heading)
}

static GOAL_HEADING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:^|[^\p{L}])(?:(?:hoved|hovud|del|effekt|resultat)?mål(?:et|ene|a|ane)?|målsetting(?:er|ene)?|målsetjing(?:ar|ane)?)(?:$|[^\p{L}])").unwrap()
});

/// An item that states an outcome rather than an action: a change or a
/// state first ("Færre pasientskader", "Redusert ventetid", "Bedring av …",
/// "Økt andel …"), or a clause whose verb is finite ("Helsepersonell har mer
/// tid …", "Flere pasienter følges opp …"). An action starts with its verb
/// in the infinitive ("Etablere …", "styrke …").
pub fn outcome_shaped(item: &str) -> bool {
    let words: Vec<String> = item
        .split_whitespace()
        .take(5)
        .map(|w| w.trim_matches(|c: char| !c.is_alphabetic()).to_lowercase())
        .collect();
    let Some(first) = words.first() else {
        return false;
    };
    if CHANGE_WORDS.contains(&first.as_str()) {
        return true;
    }
    // A finite verb among the first words, after a subject of one or two words.
    words
        .iter()
        .skip(1)
        .take(3)
        .any(|w| FINITE_VERBS.contains(&w.as_str()) || w.len() > 5 && w.ends_with("es"))
}

/// Words that open an outcome: comparatives, participles and nouns of change.
const CHANGE_WORDS: &[&str] = &[
    "flere",
    "fleire",
    "færre",
    "færri",
    "bedre",
    "betre",
    "mer",
    "meir",
    "mindre",
    "større",
    "høyere",
    "høgare",
    "lavere",
    "lågare",
    "kortere",
    "kortare",
    "raskere",
    "raskare",
    "tryggere",
    "tryggare",
    "økt",
    "økte",
    "auka",
    "redusert",
    "reduserte",
    "styrket",
    "styrka",
    "forbedret",
    "forbetra",
    "reduksjon",
    "økning",
    "auke",
    "bedring",
    "betring",
    "nedgang",
    "lavest",
    "lågast",
    "høyest",
    "høgast",
];
/// Present-tense verbs that make a clause of a state: "… har", "… er", "… får".
const FINITE_VERBS: &[&str] = &[
    "er",
    "har",
    "får",
    "opplever",
    "blir",
    "vert",
    "bruker",
    "deltar",
    "fullfører",
    "mottar",
    "tar",
    "finn",
    "finner",
];

/// An actor's statement of intent (see [`INTENT`]).
fn is_intent(t: &str) -> bool {
    let t = t.trim();
    INTENT
        .captures_iter(t)
        .chain(INTENT_UNFINISHED.captures_iter(t))
        .any(|c| {
            let subj = &c["subj"];
            let lower = subj.to_lowercase();
            // A body named with its place: "Telemark ungdomsråd vil derfor:".
            let named = t[..c.name("subj").map_or(0, |m| m.start())]
                .split_whitespace()
                .last()
                .is_some_and(|w| w.starts_with(char::is_uppercase))
                && subj.chars().count() >= 4;
            let actor = matches!(lower.as_str(), "vi" | "eg" | "jeg")
                || named
                || subj.starts_with(char::is_uppercase)
                || ["en", "et", "a", "ne", "ane", "ene"]
                    .iter()
                    .any(|e| lower.ends_with(e) && lower.len() > e.len() + 3);
            let dummy = ["det", "dette", "der", "som", "her"].contains(&lower.as_str())
                || c["rest"].trim_start().to_lowercase().starts_with("det ");
            actor && !dummy
        })
}

/// A form's instruction or question.
pub fn is_prompt(text: &str) -> bool {
    PROMPT.is_match(text.trim())
}

/// "Status: …" with the status.
pub fn status(text: &str) -> Option<&str> {
    STATUS
        .captures(text)
        .and_then(|c| c.get(1))
        .map(|m| m.as_str().trim())
}

/// A goal stated on its own line ("Mål: Flere arbeidsplasser."): its kind and text.
pub fn goal_line(text: &str) -> Option<(String, &str)> {
    let c = GOAL_LINE.captures(text.trim())?;
    let rest = c.name("rest")?.as_str().trim();
    Some((c["kw"].to_lowercase(), rest))
}

/// A paragraph that states a goal in a sentence ("Målet er å sikre …"): the
/// goal's kind ("mål", "hovedmål", "delmål") and the paragraph, whose first
/// sentence is the goal as stated.
pub fn goal_statement(text: &str) -> Option<(String, &str)> {
    let t = text.trim();
    let c = GOAL_STATEMENT.captures(t)?;
    let kw = c["kw"].to_lowercase();
    let kind = match kw.strip_suffix("et") {
        Some(base) if base.ends_with("mål") => base.to_string(),
        _ => "mål".to_string(),
    };
    Some((kind, t))
}

/// A goal named in a table cell ("Delmål 1:", "Delmål 1.1 Flere voksne"):
/// its keyword, its number and the title after them ("" if none).
pub fn numbered_goal(cell: &str) -> Option<(String, &str, &str)> {
    let c = GOAL.captures(cell)?;
    let n = c.name("n")?;
    let rest = c.name("rest").map_or("", |m| m.as_str().trim());
    Some((c["kw"].to_lowercase(), n.as_str(), rest))
}

/// A line naming measures ("Følgjande tiltak vert prioriterte").
pub fn names_measures(text: &str) -> bool {
    MEASURE_WORD.is_match(text)
}

/// A form's label for the activities or measures of a project.
pub fn is_activity_label(text: &str) -> bool {
    ACTIVITY_LABEL.is_match(text)
}

/// The goal-list words of a sentence that announces delmål ("… innehar syv delmål.").
pub fn announces_subgoals(text: &str) -> bool {
    // The cheap test first: most paragraphs name no delmål.
    text.to_lowercase().contains("delmål") && GOAL_WORD.is_match(text)
}

/// What a line calls its measures.
pub fn measure_kind(text: &str) -> MeasureKind {
    let l = text.to_lowercase();
    for (needle, kind) in [
        ("strategi", MeasureKind::Strategi),
        ("satsing", MeasureKind::Satsing),
        ("aktivitet", MeasureKind::Aktivitet),
        ("prosjekt", MeasureKind::Prosjekt),
    ] {
        if l.contains(needle) {
            return kind;
        }
    }
    MeasureKind::Tiltak
}

/// How far a status's words say a measure has come (Bokmål and Nynorsk).
pub fn progress(status: &str) -> Progress {
    let l = status.trim().to_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| l.contains(w));
    // Negations first: "ikke startet" is not started, "ikkje fullført" not done.
    if has(&[
        "ikke start",
        "ikkje start",
        "ikke påbegynt",
        "ikkje påbyrja",
        "planlagt",
        "ikke igangsatt",
        "ikkje sett i gang",
    ]) {
        Progress::NotStarted
    } else if has(&[
        "avlyst",
        "utgår",
        "utgått",
        "kansellert",
        "skrinlagt",
        "avbrutt",
        "avbroten",
    ]) {
        Progress::Cancelled
    } else if has(&["utsatt", "utsett", "forsinket", "forseinka", "på vent"]) {
        Progress::Delayed
    } else if has(&[
        "ikke fullført",
        "ikkje fullført",
        "ikke ferdig",
        "ikkje ferdig",
        "pågår",
        "pågåande",
        "pågående",
        "startet",
        "starta",
        "i gang",
        "igangsatt",
        "under arbeid",
        "i arbeid",
        "delvis",
    ]) {
        Progress::Ongoing
    } else if has(&[
        "gjennomført",
        "gjennomførd",
        "ferdig",
        "fullført",
        "avslutta",
        "avsluttet",
        "utført",
        "levert",
        "oppnådd",
        "nådd",
    ]) {
        Progress::Done
    } else {
        Progress::Other
    }
}

/// What a line calls its goals.
pub fn goal_label(text: &str) -> &'static str {
    let l = text.to_lowercase();
    for (needle, label) in [
        ("delmål", "Delmål"),
        ("hovedmål", "Hovedmål"),
        ("hovudmål", "Hovudmål"),
        ("overordna mål", "Overordna mål"),
        ("overordnede mål", "Overordnede mål"),
    ] {
        if l.contains(needle) {
            return label;
        }
    }
    "Mål"
}

// Amount roles: what a phrase says a figure is.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AmountRole {
    Budget,
    Granted,
    Applied,
    Spent,
    Total,
    Unknown,
}

impl AmountRole {
    pub fn as_str(self) -> &'static str {
        match self {
            AmountRole::Budget => "budget",
            AmountRole::Granted => "granted",
            AmountRole::Applied => "applied",
            AmountRole::Spent => "spent",
            AmountRole::Total => "total",
            AmountRole::Unknown => "unknown",
        }
    }
}

/// The words that give an amount its role, in the order a phrase's role is
/// chosen. One expression each with its lazy DFA, not a
/// [`crate::norsk::Patterns`] list: they are asked of every amount's sentence,
/// and the NFA's search of a 5 MB text's sentences cost more than the list
/// saved at start-up (measured: 5 % of the run).
static ROLES: LazyLock<Vec<(Regex, AmountRole)>> = LazyLock::new(|| {
    [
        (
            r"(?i)\b(til ?sam+[ae]n|totalt|i alt|samlet|samla|sum)\b",
            AmountRole::Total,
        ),
        (
            r"(?i)(innvilget|innvilga|tilsagn|bevilget|bevilga|tildelt|løyvd|løyvt)",
            AmountRole::Granted,
        ),
        (r"(?i)(søkt|søknad|omsøkt)", AmountRole::Applied),
        (
            r"(?i)(regnskap|rekneskap|brukt|forbrukt|påløpt)",
            AmountRole::Spent,
        ),
        (
            r"(?i)(budsjett|ramme|sett(?:es)?\s+(?:det\s+)?av|satt\s+av|set(?:jast)?\s+av|avsettes|avsatt|avsett|budsjetteres|beløp|kostnad|finansier)",
            AmountRole::Budget,
        ),
    ]
    .into_iter()
    .map(|(r, k)| (Regex::new(r).expect("role regex"), k))
    .collect()
});

/// The role a phrase gives the amount it describes.
pub fn role_of(text: &str) -> AmountRole {
    ROLES
        .iter()
        .find(|(r, _)| r.is_match(text))
        .map_or(AmountRole::Unknown, |(_, k)| *k)
}

/// The role a table's title or column header gives its figures. "Samlet
/// budsjett" names the whole of a budget, not each figure a total: the kind of
/// money it names (budget, accounts, grants) is the role, and a title that
/// only says "samlet" or "sum" gives a budget.
pub fn role_of_heading(text: &str) -> AmountRole {
    match ROLES
        .iter()
        .filter(|(_, k)| *k != AmountRole::Total)
        .find(|(r, _)| r.is_match(text))
    {
        Some((_, k)) => *k,
        None if role_of(text) == AmountRole::Total => AmountRole::Budget,
        None => AmountRole::Unknown,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_are_classified_by_the_genre_words() {
        assert!(matches!(
            heading_cue("Delmål 2: Flere unge"),
            HeadingCue::Goal {
                number: Some("2"),
                title: "Flere unge",
                ..
            }
        ));
        assert!(matches!(
            heading_cue("Hovudmål: Fleire folk i Nordfjord"),
            HeadingCue::Goal {
                number: None,
                title: "Fleire folk i Nordfjord",
                ..
            }
        ));
        assert!(matches!(
            heading_cue("Tiltak 3: Brobygger"),
            HeadingCue::Measure {
                number: "3",
                title: "Brobygger",
                ..
            }
        ));
        assert_eq!(heading_cue("Overordna mål"), HeadingCue::GoalList);
        assert_eq!(
            heading_cue("Mål for helse- og omsorg"),
            HeadingCue::GoalStatement
        );
        assert!(matches!(
            heading_cue("Prioriteringar og vidare oppfølging"),
            HeadingCue::MeasureSection { .. }
        ));
        assert!(matches!(
            heading_cue("Oppsummering - KS’ posisjoner, standpunkter og anbefalinger:"),
            HeadingCue::MeasureSection { .. }
        ));
        assert_eq!(heading_cue("Fylkestingets vedtak"), HeadingCue::Decision);
        assert_eq!(heading_cue("Vedtak"), HeadingCue::Decision);
        assert_eq!(heading_cue("Vedtak i Formannskapet"), HeadingCue::Decision);
        assert_eq!(heading_cue("Hva skal til?"), HeadingCue::Prompt);
        assert_eq!(heading_cue("Vedlegg 1 Budsjett"), HeadingCue::Appendix);
        // A word that only looks like a cue.
        assert_eq!(heading_cue("Målgruppe og mandat"), HeadingCue::Other);
        assert_eq!(heading_cue("Bakgrunn og fakta"), HeadingCue::Other);
        assert_eq!(heading_cue("Vedtaksmyndighet"), HeadingCue::Other);
    }

    #[test]
    fn intros_announce_goals_measures_intent_or_decisions() {
        assert!(matches!(
            intro_cue("Planen har fire mål:"),
            Some(IntroCue::Goals { .. })
        ));
        assert!(matches!(
            intro_cue("Avtalen har tre delmål:"),
            Some(IntroCue::Goals { label: "Delmål" })
        ));
        assert!(matches!(
            intro_cue("Dette skal nås gjennom følgende tiltak:"),
            Some(IntroCue::Measures {
                kind: MeasureKind::Tiltak
            })
        ));
        assert_eq!(intro_cue("Regjeringa vil:"), Some(IntroCue::Intent));
        assert_eq!(
            intro_cue("Kommunen vil i planperioden blant annet:"),
            Some(IntroCue::Intent)
        );
        assert_eq!(intro_cue("KS mener at:"), Some(IntroCue::Intent));
        // A body named with its place; what a group needs is what it asks for.
        assert_eq!(
            intro_cue("Telemark ungdomsråd vil derfor:"),
            Some(IntroCue::Intent)
        );
        assert_eq!(
            intro_cue("Ungdom i Sogndal treng difor:"),
            Some(IntroCue::Intent)
        );
        assert_eq!(intro_cue("Vedtak:"), Some(IntroCue::Decision));
        // A sentence, a question, a plain lead-in: no list of ours follows.
        assert_eq!(
            intro_cue("Regjeringa vil føre ein offensiv språkpolitikk."),
            None
        );
        assert_eq!(intro_cue("Hva vil kommunen gjøre?"), None);
        assert_eq!(intro_cue("Modellene de skisserte ble omtalt som:"), None);
        assert_eq!(intro_cue("Ved oppdatering skal det gjøres rede for:"), None);
        assert_eq!(
            intro_cue("Dei overordna måla er viktige. Det blir foreslått at regionen skal:"),
            Some(IntroCue::Goals {
                label: "Overordna mål"
            })
        );
    }

    #[test]
    fn total_words_follow_the_language_and_say_what_they_total() {
        let nb = Some(Language::Bokmal);
        let en = Some(Language::English);
        for label in [
            "Sum",
            "SUM",
            "Totalt:",
            "Til sammen",
            "I alt",
            "Sum totalt",
            "Totalt for 2024",
            "Sum alle fylker",
            "Total bruk av midler i 2026",
            "Sum 2025",
        ] {
            assert_eq!(total_word(label, nb), Some(TotalWord::Plain), "{label}");
        }
        for label in [
            "Total",
            "Grand total",
            "Subtotal",
            "Total for 2024",
            "Total, all sectors",
            "Sum of items",
        ] {
            assert_eq!(total_word(label, en), Some(TotalWord::Plain), "{label}");
        }
        // Norwegian total words are not English ones.
        assert_eq!(total_word("I alt", en), None);
        assert_eq!(total_word("Totalt", en), None);
        assert_eq!(total_word("Til sammen", None), Some(TotalWord::Plain));
        // A noun after the word: the table decides.
        assert_eq!(
            total_word("Total Nitrogen", en),
            Some(TotalWord::Qualified("Nitrogen".into()))
        );
        assert_eq!(
            total_word("Sum driftsutgifter", nb),
            Some(TotalWord::Qualified("driftsutgifter".into()))
        );
        assert_eq!(total_word("Summary of results", en), None);
        assert_eq!(total_word("Totalforsvaret", nb), None);
    }

    #[test]
    fn goal_lines_carry_their_goal() {
        assert_eq!(
            goal_line("Mål: Flere arbeidsplasser i regionen."),
            Some(("mål".to_string(), "Flere arbeidsplasser i regionen."))
        );
        assert_eq!(goal_line("Målgruppe: ungdom"), None);
        for (text, kind) in [
            (
                "Målet er å sikre trygg behandling. Dette krev samarbeid.",
                "mål",
            ),
            (
                "Hovedmålet for planperioden er at flere skal bu her.",
                "hovedmål",
            ),
            (
                "Det overordna målet med satsinga er at fleire blir buande.",
                "mål",
            ),
            ("Delmålet vert at alle får tilbod.", "delmål"),
            ("Målsettingen er å halvere ventetida.", "mål"),
        ] {
            assert_eq!(
                goal_statement(text),
                Some((kind.to_string(), text)),
                "{text}"
            );
        }
        for text in [
            "Målet er nådd.",
            "Målet om helhetlige pasientforløp er å oppnå innen 2030.",
            "Målgruppa er at alle unge.",
            "Vi når målet er at vi samarbeider.",
        ] {
            assert_eq!(goal_statement(text), None, "{text}");
        }
    }

    #[test]
    fn status_words_say_how_far_a_measure_has_come() {
        for (text, p) in [
            ("Pågår", Progress::Ongoing),
            ("Pågåande", Progress::Ongoing),
            ("Ikke startet", Progress::NotStarted),
            ("Ikkje starta", Progress::NotStarted),
            ("Gjennomført 2024", Progress::Done),
            ("Ferdig mars 2025", Progress::Done),
            ("Ikke fullført", Progress::Ongoing),
            ("Utsatt til 2026", Progress::Delayed),
            ("Utgår", Progress::Cancelled),
            ("Hovedprosjekt", Progress::Other),
        ] {
            assert_eq!(progress(text), p, "{text}");
        }
        assert_eq!(measure_kind("Aktuelle aktivitetar"), MeasureKind::Aktivitet);
        assert_eq!(
            crate::extract::GoalKind::of("Hovudmål"),
            crate::extract::GoalKind::Main
        );
        assert_eq!(
            crate::extract::GoalKind::of("satsingsområde"),
            crate::extract::GoalKind::Area
        );
        assert_eq!(
            crate::extract::GoalKind::of("Overordna mål"),
            crate::extract::GoalKind::Main
        );
    }
    #[test]
    fn an_intent_its_list_finishes_introduces_measures() {
        for t in [
            "Regjeringen vil forsterke den forebyggende innsatsen i helse- og omsorgstjenesten gjennom å",
            "Regjeringa vil styrkje arbeidet med nynorsk ved å",
            "Kommunen skal sørge for at",
        ] {
            assert_eq!(intro_cue(t), Some(IntroCue::Intent), "{t}");
        }
        // A demand spelled out by its list.
        for t in [
            "Dette forutsetter imidlertid at helsereformen:",
            "Vi forventer at staten:",
            "Rådet krev at departementet:",
            "For å sikre at dette potensialet realiseres, ber vi om:",
            "Derfor vil vi:",
            "Difor meiner Sunnmøre regionråd at staten må:",
        ] {
            assert_eq!(intro_cue(t), Some(IntroCue::Intent), "{t}");
        }
        // A question or a description with the verb first is no intent.
        assert_ne!(
            intro_cue("Hvordan vil dette påvirke kommunene:"),
            Some(IntroCue::Intent)
        );
        // Goals worked toward: the list holds the means.
        assert_eq!(
            intro_cue("Ungdom vil jobbe mot disse målene med:"),
            Some(IntroCue::Intent)
        );
        assert_eq!(
            intro_cue("For å nå delmåla vil regionrådet:"),
            Some(IntroCue::Intent)
        );
        assert!(matches!(
            intro_cue("Regionrådet har vedteke desse måla for perioden:"),
            Some(IntroCue::Goals { .. })
        ));
        // A sentence about what will happen, ended: no list follows from it.
        assert_eq!(intro_cue("Regjeringen vil forsterke innsatsen."), None);
        // Unfinished, but nobody's intent: not measures.
        assert_ne!(intro_cue("Det er viktig å"), Some(IntroCue::Intent));
    }
}

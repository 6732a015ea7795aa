//! Themes of measures: what a measure speaks of, in ten themes that let
//! researchers compare regional programmes across regions and years.
//!
//! A measure gets every theme its words name, in [`Theme::ALL`] order, and
//! none when nothing fits: there is no catch-all theme, so "Gjennomføre to
//! workshops" or "Utvikle risikoreduserende tiltak" stay without a theme
//! rather than land in a bin that would swell every comparison. A measure can
//! have several themes ("Rekruttere helsefagarbeidarar til sjukeheimane" is
//! both `rekruttering` and `helse`).
//!
//! # How a theme is found
//!
//! The text is normalised (Unicode NFC, lowercase, soft hyphens and web
//! addresses removed) and cut into words at every character that is not a
//! letter, so "IKT-infrastruktur" is two words and "kompetanse-/forskningsmiljø"
//! too. Each word is compared with the cue words of the themes below. Norwegian
//! writes compounds as one word, so most cues are stems that may stand
//! anywhere in a word ("utleieboliger", "omsorgsbustad"); short or ambiguous
//! stems only begin a word, or must be the whole word. The notation of the cue
//! lists:
//!
//! - `stem*` — the word begins with the stem: `kultur*` finds "kulturhus" and
//!   "kulturelle", not "organisasjonskultur";
//! - `*stem*` — the stem stands anywhere in the word: `*bolig*` finds
//!   "boligtomter" and "utleieboliger";
//! - `*stem` — the word is a compound ending in the stem: `*veg` finds
//!   "fylkesveg", not the figurative "på rett veg";
//! - `word` — the whole word; `a+b` — consecutive words ("i arbeid");
//! - `word-` — the first part of a compound cut short before "og"/"eller"
//!   ("Plan- og teknisk kompetanse");
//! - `/x` after a cue — not when the word contains x (`*skole*/helse` leaves
//!   "skolehelsetjenesten" to `helse`);
//! - `?` before a cue — a weak cue (see below).
//!
//! The **title** of a measure is strong evidence: one cue of a theme in it
//! gives the theme. The **description** is weaker, as it names partners,
//! background and means in passing: a theme needs one strong cue there, or
//! two words that are cues of it.
//!
//! Names of ministries and directorates ("Kulturdepartementet",
//! "Kunnskapsdepartementet", "Nærings- og fiskeridepartementet") are actors,
//! not themes, and are skipped: a measure the Ministry of Culture will carry
//! out on language policy is not thereby about culture.
//!
//! # The taxonomy
//!
//! ### `rekruttering` — rekruttering og arbeidskraft
//! Recruitment and the labour supply: recruiting to jobs and professions,
//! staffing and personnel, the labour market and working life, full-time
//! work, trainee schemes, getting people into work. Not training itself
//! (`kompetanse`) and not creating jobs (`naering`).
//! - Both: `*rekrutt*`, `*arbeidskraft*`, `*arbeidsliv*`, `*arbeidsmarked*`,
//!   `*bemanning*`, `*personell*`, `fagfolk*`, `*trainee*`, `?*fagarbeid*`,
//!   `i+arbeid`, `i+jobb`
//! - Bokmål: `arbeidstaker*`, `arbeidssøker*`, `arbeidsgiver*`,
//!   `sysselsetting*`, `*heltid*`, `?*deltid*`
//! - Nynorsk: `arbeidstakar*`, `arbeidssøkjar*`, `arbeidsgjevar*`,
//!   `sysselsetjing*`, `*heiltid*`
//!
//! ### `kompetanse` — kompetanse og utdanning
//! Competence and education at every level: kindergarten, school, upper
//! secondary and vocational training, apprentices, higher education and
//! study centres, teachers, continuing education, career guidance, research
//! and knowledge building.
//! - Both: `*kompetanse*`, `*utdann*`, `*opplæring*`, `*lærling*`,
//!   `fagbrev*`, `*universitet*`, `student*`, `?studi*`, `karriere*`,
//!   `*læring*/erklæring`, `?elev*`, `?kurs*`, `?hospiter*`,
//!   `?kunnskap*/grunnlag/basert`, `læremid*`, `*lærebedrift*`
//! - Bokmål: `*skole*/helse/skyss/buss`, `*lærer*`, `*barnehage*`,
//!   `forskning*`, `forsker*`, `undervisning*`, `?kvalifisering*`
//! - Nynorsk: `*skule*/helse/skyss/buss`, `*lærar*`, `*barnehagar*`,
//!   `forsking*`, `forskar*`, `undervising*`, `?kvalifisering*`
//!
//! ### `bolig` — bolig
//! Housing: building and renting homes, sites for housing, housing for the
//! elderly and for newcomers, the Husbank's loans and grants.
//! - Both: `husbank*`, `?utleie*`, `?utleige*`, `startlån*`
//! - Bokmål: `*bolig*`, `leilighet*`, `botilbud*`
//! - Nynorsk: `*bustad*`, `leilegheit*`, `husvære*`, `butilbod*`
//!
//! ### `mobilitet` — mobilitet og samferdsel
//! Transport and communications: roads, public transport, demand-responsive
//! transport, ferries, trains, airports, commuting, cycling, school
//! transport, and the digital links of the districts (broadband, mobile
//! coverage). In the plural, "kommunikasjonene" are the transport links of a
//! region; the singular "kommunikasjon" (communication) is no cue. "Digital
//! infrastruktur" alone is no cue either: it is as often a data platform.
//! - Both: `*transport*`, `*trafikk*`, `*mobilitet*`, `kollektiv*`,
//!   `pendl*`, `*buss*`, `*ferje*`, `*ferge*`, `hurtigbåt*`, `*flyplass*`,
//!   `flyrute*`, `*lufthavn*`, `tog`, `toget`, `*jernbane*`, `*skyss*`,
//!   `*sykkel*`, `sykling*`, `tunnel*`, `*reisetid*`, `mobildekning*`,
//!   `mobilnett*`, `*drosje*`
//! - Bokmål: `*samferdsel*`, `*vei`, `*veien`, `*veier`, `*veiene`,
//!   `*veinett*`, `veiutbygging*`, `veibygging*`, `*veistandard*`,
//!   `*vegvesen*`, `*veg`, `*vegen`, `*veger`, `*vegene`, `togtilbud*`,
//!   `bredbånd*`, `kommunikasjoner`, `kommunikasjonene`
//! - Nynorsk: `*samferdsle*`, `*vegar`, `*vegane`, `*vegnett*`,
//!   `vegutbygging*`, `vegbygging*`, `*vegstandard*`, `togtilbod*`,
//!   `*breiband*`, `kommunikasjonar`, `kommunikasjonane`
//!
//! ### `naering` — næring
//! Business and industry: business development, entrepreneurs and start-ups,
//! value creation, jobs created, tourism, trade and village shops, industry,
//! fisheries and aquaculture, business clusters and business sites. Farming
//! has its own theme (`landbruk`).
//! - Both: `*næring*/ernæring`, `naering*`, `*bedrift*/lærebedrift`,
//!   `*gründer*`, `*entreprenør*`, `*reiseliv*`, `turis*`, `*industri*`,
//!   `*handel*`, `*klynge*`, `*havbruk*`, `*fiskeri*`, `*sjømat*`,
//!   `*oppdrett*`, `*akvakultur*`, `*inkubator*`, `?*butikk*`,
//!   `?eksport*`, `*nyetabl*`
//! - Bokmål: `*verdiskaping*`, `*arbeidsplass*`
//! - Nynorsk: `*verdiskaping*`, `*arbeidsplass*` (the same words)
//!
//! ### `landbruk` — landbruk
//! Agriculture in the wide Norwegian sense: farming, forestry, reindeer
//! husbandry, livestock and dairy, local food from the farm, grazing and the
//! protection of farmland.
//! - Both: `*landbruk*`, `*jordbruk*`, `*skogbruk*`, `*skogsbruk*`,
//!   `*reindrift*`, `*husdyr*`, `*kjøttprod*`, `*matprod*`, `*lokalmat*`,
//!   `beite*`, `*jordvern*`, `utmark*`, `?*veterinær*`, `*gartneri*`
//! - Bokmål: `*gårdsbruk*`, `gårdbruk*`, `bonde*`, `bønder*`, `bøndene*`,
//!   `reineier*`, `skogeier*`, `*melkeprod*`
//! - Nynorsk: `*gardsbruk*`, `gardbruk*`, `bøndene*`, `reineigar*`,
//!   `skogeigar*`, `*mjølkeprod*`
//!
//! ### `helse` — helse og omsorg
//! Health and care: primary and specialist health services, GPs and
//! emergency care, hospitals and nursing homes, dental care, public health,
//! mental health and addiction, care for the elderly, welfare technology,
//! child welfare.
//! - Both: `*helse*`, `*omsorg*`, `lege*`, `*fastlege*`, `*allmennlege*`,
//!   `?*overlege*`, `*pasient*`, `psyki*`, `psykisk*`, `rus`,
//!   `rusmid*`, `rusbehandl*`, `*demens*`, `?rehabilit*`,
//!   `*velferdsteknolog*`, `*medisin*`, `jordmor*`, `*fysioterap*`,
//!   `?*barnevern*`, `ernæring*`
//! - Bokmål: `*sykehjem*`, `*sykehus*`, `*sykeplei*`, `*sykestu*`,
//!   `*hjemmetjenest*`
//! - Nynorsk: `*sjukeheim*`, `*sjukehus*`, `*sjukeplei*`, `*sjukestov*`,
//!   `*heimetenest*`, `legar*`
//!
//! ### `kultur` — kultur og møteplasser
//! Culture and meeting places: cultural life and heritage, arts, music,
//! libraries and museums, sports, outdoor life, leisure, volunteering and
//! the houses and places where people meet. Only words that *begin* with
//! "kultur" count: "organisasjonskultur", "delingskultur" and
//! "heltidskultur" speak of how people work together (decided: not this
//! theme; "heltidskultur" is `rekruttering` by its "heltid"), and
//! "flerkulturell" speaks of integration, which has no theme of its own.
//! - Both: `kultur*`, `*møteplass*`, `*idrett*`, `*bibliotek*`,
//!   `museum*`, `museet*`, `*festival*`, `konsert*`, `kunst*/kunstig`,
//!   `?*arrangement*`, `fritid*`, `kino*`, `musikk*`, `teater*`,
//!   `*frilufts*`, `*ungdomsklubb*`, `?frivillig*`, `lag+og+organisasjon*`
//! - Bokmål: `*samlingssted*`, `*ungdomshus*`, `*grendehus*`,
//!   `*samfunnshus*`, `*forsamlingshus*`
//! - Nynorsk: `*møtestad*`, `*samlingsstad*`, `musea*`, `*ungdomshus*`
//!   (the same word), `*bygdehus*`
//!
//! ### `omdomme` — omdømme og bolyst
//! Reputation and the wish to live in a place: the region's image and
//! branding, attracting and welcoming newcomers and those moving back,
//! attractiveness, place and town-centre development, pride and well-being.
//! - Both: `*bolyst*`, `*tilflytt*`, `*innflytt*`, `*tilbakeflytt*`,
//!   `?attraktiv*`, `?*attraktivitet*`, `?profiler*`, `?*merkevare*`,
//!   `velkomst*`, `?vertskap*`, `?trivsel*`
//! - Bokmål: `*omdømme*`, `*stedsutvikl*`, `*sentrumsutvikl*`,
//!   `?synliggjør*`, `?markedsfør*`, `?stolthet*`, `?*befolkningsvekst*`
//! - Nynorsk: `*omdøme*`, `*bulyst*`, `*stadutvikl*`, `?synleggjer*`,
//!   `?marknadsfør*`, `?*folketalsvekst*`
//!
//! ### `samarbeid` — samarbeid og planlegging
//! Cooperation and planning: inter-municipal and regional cooperation,
//! partnerships and networks, coordination between bodies and levels
//! (the "samhandling" of health services included), joint services and
//! organisational forms for them (samkommune, vertskommune,
//! oppgavefellesskap), and land-use and community planning. The word "plan"
//! alone is no cue: every measure of a "handlingsplan" stands in a plan.
//! Only planning as the measure's subject counts: "kommuneplan",
//! "arealplan", "planstrategi", "planlegging", "Plan- og bygningsloven".
//! - Both: `*samarbeid*`, `*samhandl*`, `*interkommunal*`,
//!   `*partnerskap*`, `*samkommune*`, `*oppgavefellesskap*`,
//!   `*vertskommune*`, `*regionråd*`, `?*nettverk*`, `?felles`,
//!   `?koordiner*`, `*kommuneplan*`, `*arealplan*`, `*reguleringsplan*`,
//!   `*kommunedelplan*`, `*områdeplan*`, `areal*`, `plan-`,
//!   `?*planlegg*`, `planstrategi*`, `planforum*`, `planprosess*`, `planfag*`,
//!   `planarbeid*`, `samstyr*`
//! - Bokmål: `*samordn*`, `?samspill*`
//! - Nynorsk: `*samordn*` (the same word), `*partnarskap*`, `?samspel*`
//!
//! # Weak cues
//!
//! Words marked `?` often stand in a measure's description without being its
//! subject ("i samarbeid med skolene", "felles møte"), or have a second
//! meaning ("frivillig" is also "voluntary", "attraktiv" anything
//! attractive). In a title they count as any cue; in a description they
//! count only beside another cue of the same theme.

use std::sync::LazyLock;

use unicode_normalization::UnicodeNormalization;

/// A theme of the taxonomy (see the module documentation).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Theme {
    /// Rekruttering og arbeidskraft.
    Rekruttering,
    /// Kompetanse og utdanning.
    Kompetanse,
    /// Bolig.
    Bolig,
    /// Mobilitet og samferdsel.
    Mobilitet,
    /// Næring.
    Naering,
    /// Landbruk.
    Landbruk,
    /// Helse og omsorg.
    Helse,
    /// Kultur og møteplasser.
    Kultur,
    /// Omdømme og bolyst.
    Omdomme,
    /// Samarbeid og planlegging.
    Samarbeid,
}

impl Theme {
    /// Every theme, in the order themes are reported.
    pub const ALL: [Theme; 10] = [
        Theme::Rekruttering,
        Theme::Kompetanse,
        Theme::Bolig,
        Theme::Mobilitet,
        Theme::Naering,
        Theme::Landbruk,
        Theme::Helse,
        Theme::Kultur,
        Theme::Omdomme,
        Theme::Samarbeid,
    ];

    /// The stable slug: ASCII, lowercase, part of the output contract.
    pub fn as_str(self) -> &'static str {
        match self {
            Theme::Rekruttering => "rekruttering",
            Theme::Kompetanse => "kompetanse",
            Theme::Bolig => "bolig",
            Theme::Mobilitet => "mobilitet",
            Theme::Naering => "naering",
            Theme::Landbruk => "landbruk",
            Theme::Helse => "helse",
            Theme::Kultur => "kultur",
            Theme::Omdomme => "omdomme",
            Theme::Samarbeid => "samarbeid",
        }
    }

    /// The Norwegian label, as researchers name the theme.
    pub fn label(self) -> &'static str {
        match self {
            Theme::Rekruttering => "rekruttering og arbeidskraft",
            Theme::Kompetanse => "kompetanse og utdanning",
            Theme::Bolig => "bolig",
            Theme::Mobilitet => "mobilitet og samferdsel",
            Theme::Naering => "næring",
            Theme::Landbruk => "landbruk",
            Theme::Helse => "helse og omsorg",
            Theme::Kultur => "kultur og møteplasser",
            Theme::Omdomme => "omdømme og bolyst",
            Theme::Samarbeid => "samarbeid og planlegging",
        }
    }

    /// The theme of a slug ("naering"), if it is one.
    pub fn from_slug(slug: &str) -> Option<Theme> {
        Theme::ALL.into_iter().find(|t| t.as_str() == slug)
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// The cue words of each theme, in the notation of the module documentation,
/// Bokmål and Nynorsk together. The module documentation lists the same cues
/// (a test keeps the two in step).
const CUES: [(Theme, &str); 10] = [
    (
        Theme::Rekruttering,
        "*rekrutt* *arbeidskraft* *arbeidsliv* *arbeidsmarked* *bemanning* *personell* fagfolk* \
         *trainee* ?*fagarbeid* i+arbeid i+jobb \
         arbeidstaker* arbeidssøker* arbeidsgiver* sysselsetting* *heltid* ?*deltid* \
         arbeidstakar* arbeidssøkjar* arbeidsgjevar* sysselsetjing* *heiltid*",
    ),
    (
        Theme::Kompetanse,
        "*kompetanse* *utdann* *opplæring* *lærling* fagbrev* *universitet* student* ?studi* \
         karriere* *læring*/erklæring ?elev* ?kurs* ?hospiter* ?kunnskap*/grunnlag/basert læremid* \
         *lærebedrift* \
         *skole*/helse/skyss/buss *lærer* *barnehage* forskning* forsker* undervisning* \
         ?kvalifisering* \
         *skule*/helse/skyss/buss *lærar* *barnehagar* forsking* forskar* undervising*",
    ),
    (
        Theme::Bolig,
        "husbank* ?utleie* ?utleige* startlån* \
         *bolig* leilighet* botilbud* \
         *bustad* leilegheit* husvære* butilbod*",
    ),
    (
        Theme::Mobilitet,
        "*transport* *trafikk* *mobilitet* kollektiv* pendl* *buss* *ferje* *ferge* hurtigbåt* \
         *flyplass* flyrute* *lufthavn* tog toget *jernbane* *skyss* *sykkel* sykling* tunnel* \
         *reisetid* mobildekning* mobilnett* *drosje* \
         *samferdsel* *vei *veien *veier *veiene *veinett* veiutbygging* veibygging* \
         *veistandard* *vegvesen* *veg *vegen *veger *vegene togtilbud* bredbånd* \
         kommunikasjoner kommunikasjonene \
         *samferdsle* *vegar *vegane *vegnett* vegutbygging* vegbygging* *vegstandard* \
         togtilbod* *breiband* kommunikasjonar kommunikasjonane",
    ),
    (
        Theme::Naering,
        "*næring*/ernæring naering* *bedrift*/lærebedrift *gründer* *entreprenør* *reiseliv* \
         turis* *industri* *handel* *klynge* *havbruk* *fiskeri* *sjømat* *oppdrett* \
         *akvakultur* *inkubator* ?*butikk* ?eksport* *nyetabl* \
         *verdiskaping* *arbeidsplass*",
    ),
    (
        Theme::Landbruk,
        "*landbruk* *jordbruk* *skogbruk* *skogsbruk* *reindrift* *husdyr* *kjøttprod* \
         *matprod* *lokalmat* beite* *jordvern* utmark* ?*veterinær* *gartneri* \
         *gårdsbruk* gårdbruk* bonde* bønder* bøndene* reineier* skogeier* *melkeprod* \
         *gardsbruk* gardbruk* reineigar* skogeigar* *mjølkeprod*",
    ),
    (
        Theme::Helse,
        "*helse* *omsorg* lege* *fastlege* *allmennlege* ?*overlege* *pasient* psyki* \
         psykisk* rus rusmid* rusbehandl* *demens* ?rehabilit* *velferdsteknolog* *medisin* \
         jordmor* *fysioterap* ?*barnevern* ernæring* \
         *sykehjem* *sykehus* *sykeplei* *sykestu* *hjemmetjenest* \
         *sjukeheim* *sjukehus* *sjukeplei* *sjukestov* *heimetenest* legar*",
    ),
    (
        Theme::Kultur,
        "kultur* *møteplass* *idrett* *bibliotek* museum* museet* *festival* konsert* \
         kunst*/kunstig ?*arrangement* fritid* kino* musikk* teater* *frilufts* \
         *ungdomsklubb* ?frivillig* lag+og+organisasjon* \
         *samlingssted* *ungdomshus* *grendehus* *samfunnshus* *forsamlingshus* \
         *møtestad* *samlingsstad* musea* *bygdehus*",
    ),
    (
        Theme::Omdomme,
        "*bolyst* *tilflytt* *innflytt* *tilbakeflytt* ?attraktiv* ?*attraktivitet* \
         ?profiler* ?*merkevare* velkomst* ?vertskap* ?trivsel* \
         *omdømme* *stedsutvikl* *sentrumsutvikl* ?synliggjør* ?markedsfør* ?stolthet* \
         ?*befolkningsvekst* \
         *omdøme* *bulyst* *stadutvikl* ?synleggjer* ?marknadsfør* ?*folketalsvekst*",
    ),
    (
        Theme::Samarbeid,
        "*samarbeid* *samhandl* *interkommunal* *partnerskap* *samkommune* \
         *oppgavefellesskap* *vertskommune* *regionråd* ?*nettverk* ?felles ?koordiner* \
         *kommuneplan* *arealplan* *reguleringsplan* *kommunedelplan* *områdeplan* areal* \
         plan- ?*planlegg* planstrategi* planforum* planprosess* planfag* planarbeid* samstyr* \
         *samordn* ?samspill* ?samspel* *partnarskap*",
    ),
];

/// Where in a word a cue's stem stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum At {
    /// The whole word.
    Word,
    /// The word begins with the stem.
    Start,
    /// Anywhere in the word.
    Within,
    /// The word is a compound ending in the stem.
    End,
}

/// One word of a cue.
#[derive(Debug)]
struct Part {
    at: At,
    stem: String,
    /// The word must be the first part of a compound cut short ("Plan- og").
    truncated: bool,
    /// Not when the word contains one of these.
    unless: Vec<String>,
}

impl Part {
    fn parse(spec: &str) -> Part {
        let mut pieces = spec.split('/');
        let pattern = pieces.next().unwrap_or_default();
        let unless = pieces.map(str::to_string).collect();
        let (pattern, truncated) = match pattern.strip_suffix('-') {
            Some(p) => (p, true),
            None => (pattern, false),
        };
        let (at, stem) = match (pattern.strip_prefix('*'), pattern.strip_suffix('*')) {
            (Some(_), Some(_)) => (At::Within, &pattern[1..pattern.len() - 1]),
            (Some(rest), None) => (At::End, rest),
            (None, Some(rest)) => (At::Start, rest),
            (None, None) => (At::Word, pattern),
        };
        Part {
            at,
            stem: stem.to_string(),
            truncated,
            unless,
        }
    }

    fn matches(&self, token: &Token) -> bool {
        let w = token.word.as_str();
        if w.is_empty() || (self.truncated && !token.truncated) {
            return false;
        }
        let found = match self.at {
            At::Word => w == self.stem,
            At::Start => w.starts_with(&self.stem),
            At::Within => w.contains(&self.stem),
            At::End => w.len() > self.stem.len() && w.ends_with(&self.stem),
        };
        found && !self.unless.iter().any(|u| w.contains(u.as_str()))
    }
}

/// A cue of a theme: one word, or consecutive words.
#[derive(Debug)]
struct Cue {
    theme: Theme,
    /// Enough alone in a description.
    strong: bool,
    parts: Vec<Part>,
}

impl Cue {
    fn parse(theme: Theme, spec: &str) -> Cue {
        let (strong, spec) = match spec.strip_prefix('?') {
            Some(rest) => (false, rest),
            None => (true, spec),
        };
        Cue {
            theme,
            strong,
            parts: spec.split('+').map(Part::parse).collect(),
        }
    }

    /// Whether the cue's words stand at `at` among the tokens.
    fn matches_at(&self, tokens: &[Token], at: usize) -> bool {
        tokens.len() >= at + self.parts.len()
            && self
                .parts
                .iter()
                .zip(&tokens[at..])
                .all(|(p, t)| p.matches(t))
    }
}

/// Every theme's cues, parsed once.
static LEXICON: LazyLock<Vec<Cue>> = LazyLock::new(|| {
    CUES.iter()
        .flat_map(|&(theme, specs)| specs.split_whitespace().map(move |s| Cue::parse(theme, s)))
        .collect()
});

/// A normalised word of the text.
#[derive(Debug)]
struct Token {
    /// Lowercase; empty for a word that is no cue whatever it contains (an
    /// actor's name).
    word: String,
    /// The first part of a compound cut short before "og"/"eller":
    /// "helse-" in "helse- og omsorgstjenester".
    truncated: bool,
}

/// The words of a ministry or directorate: actors, not themes.
fn is_agency(word: &str) -> bool {
    [
        "departement",
        "departementet",
        "departementa",
        "direktorat",
        "direktoratet",
    ]
    .iter()
    .any(|s| word.ends_with(s))
}

/// Normalises a text and cuts it into words (see the module documentation).
fn tokens(text: &str) -> Vec<Token> {
    let text: String = text
        .nfc()
        .filter(|&c| c != '\u{ad}')
        .collect::<String>()
        .to_lowercase();
    let mut out: Vec<Token> = Vec::new();
    for chunk in text.split_whitespace() {
        // Web addresses name pages, not themes.
        if chunk.contains("http") || chunk.contains("www.") {
            continue;
        }
        let mut rest = chunk;
        while let Some(start) = rest.find(char::is_alphabetic) {
            let tail = &rest[start..];
            let end = tail
                .find(|c: char| !c.is_alphabetic())
                .unwrap_or(tail.len());
            let after = &tail[end..];
            out.push(Token {
                word: tail[..end].to_string(),
                // "helse-" ending a chunk; "plan –" is marked below.
                truncated: after == "-" || after == "–",
            });
            rest = after;
        }
        if matches!(chunk, "-" | "–") {
            if let Some(last) = out.last_mut() {
                last.truncated = true;
            }
        }
    }
    // A cut compound is one before "og"/"eller"; an agency's cut name
    // ("Nærings- og fiskeridepartementet") is the agency's.
    for i in 0..out.len() {
        if out[i].truncated {
            let joined = matches!(
                out.get(i + 1).map(|t| t.word.as_str()),
                Some("og" | "eller")
            );
            out[i].truncated = joined;
            if joined && out.get(i + 2).is_some_and(|t| is_agency(&t.word)) {
                out[i].word.clear();
            }
        }
    }
    for t in &mut out {
        if is_agency(&t.word) {
            t.word.clear();
        }
    }
    out
}

/// For each theme: whether any cue, any strong cue, and how many cue words
/// stand in the text.
#[derive(Default, Clone, Copy)]
struct Evidence {
    strong: bool,
    words: usize,
}

fn evidence(text: &str) -> [Evidence; 10] {
    let tokens = tokens(text);
    let mut found = [Evidence::default(); 10];
    for at in 0..tokens.len() {
        // A word counts once per theme, however many of its cues it matches.
        let mut here = [None::<bool>; 10];
        for cue in LEXICON.iter().filter(|c| c.matches_at(&tokens, at)) {
            let strong = here[cue.theme.index()].get_or_insert(false);
            *strong |= cue.strong;
        }
        for (e, hit) in found.iter_mut().zip(here) {
            if let Some(strong) = hit {
                e.words += 1;
                e.strong |= strong;
            }
        }
    }
    found
}

/// The themes a measure speaks of, in [`Theme::ALL`] order, each once; empty
/// when none fits. One cue in the title gives a theme; the description
/// (`text`) gives it with a strong cue or two cue words.
pub fn themes(title: &str, text: Option<&str>) -> Vec<Theme> {
    let in_title = evidence(title);
    let in_text = text.map(evidence);
    Theme::ALL
        .into_iter()
        .filter(|t| {
            let i = t.index();
            in_title[i].words > 0 || in_text.is_some_and(|e| e[i].strong || e[i].words >= 2)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The themes of a title, as slugs.
    fn check(title: &str, expected: &[&str]) {
        let got: Vec<&str> = themes(title, None).into_iter().map(Theme::as_str).collect();
        assert_eq!(got, expected, "{title:?}");
    }

    #[test]
    fn slugs_and_labels_are_stable_and_in_order() {
        let slugs: Vec<&str> = Theme::ALL.iter().map(|t| t.as_str()).collect();
        assert_eq!(
            slugs,
            [
                "rekruttering",
                "kompetanse",
                "bolig",
                "mobilitet",
                "naering",
                "landbruk",
                "helse",
                "kultur",
                "omdomme",
                "samarbeid"
            ]
        );
        assert_eq!(Theme::Naering.label(), "næring");
        assert_eq!(Theme::Omdomme.label(), "omdømme og bolyst");
        for t in Theme::ALL {
            assert_eq!(Theme::from_slug(t.as_str()), Some(t));
        }
        assert_eq!(Theme::from_slug("annet"), None);
    }

    #[test]
    fn rekruttering() {
        check("Rekruttere helsefagarbeidere", &["rekruttering", "helse"]);
        check("Rekrutteringsprosjekt for ingeniørar", &["rekruttering"]);
        check("Tilgang på kvalifisert arbeidskraft", &["rekruttering"]);
        check("Flere i arbeid", &["rekruttering"]);
        check("Fleire unge i jobb", &["rekruttering"]);
        check("Inkluderende og mangfoldig arbeidsliv", &["rekruttering"]);
        check(
            "Traineeordning for nyutdanna",
            &["rekruttering", "kompetanse"],
        );
        check("Heiltidskultur i kommunane", &["rekruttering"]);
    }

    #[test]
    fn kompetanse() {
        check("Etablere lærlingplasser i kommunene", &["kompetanse"]);
        check("Fleire lærlingar i offentleg sektor", &["kompetanse"]);
        check("Desentralisert utdanning for voksne", &["kompetanse"]);
        check(
            "Styrkje vidaregåande opplæring i distrikta",
            &["kompetanse"],
        );
        check("Kompetanseheving for tilsette", &["kompetanse"]);
        check("Etter- og vidareutdanning av lærarar", &["kompetanse"]);
        check("Karriererettleiing på ungdomsskulen", &["kompetanse"]);
        check(
            "Studiesenteret som arena for livslang læring",
            &["kompetanse"],
        );
    }

    #[test]
    fn bolig() {
        check("Flere utleieboliger i distriktene", &["bolig"]);
        check("Tilrettelegge boligtomter i sentrum", &["bolig"]);
        check("Bustadbygging i bygdene", &["bolig"]);
        check(
            "Utleigebustader for unge og tilflyttarar",
            &["bolig", "omdomme"],
        );
        check("Bruke Husbankens virkemidler aktivt", &["bolig"]);
        check("Kartlegge tomme husvære", &["bolig"]);
    }

    #[test]
    fn mobilitet() {
        check("Bedre kollektivtilbud mellom tettstedene", &["mobilitet"]);
        check("Utbetring av fylkesveg 17", &["mobilitet"]);
        check("Trafikksikkerhet på riksveien", &["mobilitet"]);
        check("Bestillingstransport i distrikta", &["mobilitet"]);
        check("Betre ferjesamband og hurtigbåtruter", &["mobilitet"]);
        check("Utbygging av breiband og mobildekning", &["mobilitet"]);
        check("Gang- og sykkelvegar langs fylkesvegen", &["mobilitet"]);
        check("Bedre kommunikasjonene i regionen", &["mobilitet"]);
    }

    #[test]
    fn naering() {
        check("Regulere nytt næringsareal", &["naering"]);
        check("Oppfølging av gründere", &["naering"]);
        check("Styrke reiselivsnæringa", &["naering"]);
        check("Verdiskaping i havbruk og fiskeri", &["naering"]);
        check("Nye arbeidsplassar i distrikta", &["naering"]);
        check("Bedriftsutvikling for småbedrifter", &["naering"]);
    }

    #[test]
    fn landbruk() {
        check("Styrke jordbruket i fjellbygdene", &["landbruk"]);
        check("Reindrift og arealkonfliktar", &["landbruk", "samarbeid"]);
        check("Rekruttering til landbruket", &["rekruttering", "landbruk"]);
        check("Fjellandbruket", &["landbruk"]);
        check("Kartleggingssamtaler med husdyrprodusenter", &["landbruk"]);
        check("Auka mjølkeproduksjon på gardsbruka", &["landbruk"]);
        check("Generasjonsskifte for bønder", &["landbruk"]);
    }

    #[test]
    fn helse() {
        check("Ny sjukeheim i Ørsta", &["helse"]);
        check("Styrke fastlegeordningen", &["helse"]);
        check("Utbygging av sykehjemsplasser", &["helse"]);
        check("Folkehelsearbeid i skulen", &["kompetanse", "helse"]);
        check("Skolehelsetjenesten skal styrkes", &["helse"]);
        check("Legevakt og helseberedskap", &["helse"]);
        check("Demensvenlege kommunar", &["helse"]);
        check("Heimetenesta og eldreomsorga", &["helse"]);
    }

    #[test]
    fn kultur() {
        check("Nytt kulturhus i sentrum", &["kultur"]);
        check("Møteplasser for ungdom", &["kultur"]);
        check("Fleire møtestader i bygdene", &["kultur"]);
        check("Frivilligsentralen som møteplass", &["kultur"]);
        check("Styrkje idrettslag og organisasjonar", &["kultur"]);
        check("Kulturkompetanse", &["kompetanse", "kultur"]);
        check("Bibliotek og museum som møtestad", &["kultur"]);
    }

    #[test]
    fn omdomme() {
        check("Omdømmebygging", &["omdomme"]);
        check("Bolyst i Midt-Troms", &["omdomme"]);
        check("Tilflyttingsarbeid og velkomstpakke", &["omdomme"]);
        check("Auka bulyst og stoltheit", &["omdomme"]);
        check(
            "Felles synliggjøring av regionen",
            &["omdomme", "samarbeid"],
        );
        check("Omdømet til regionen", &["omdomme"]);
        check("Stadutvikling i kommunesentera", &["omdomme"]);
    }

    #[test]
    fn samarbeid() {
        check(
            "Interkommunalt samarbeid om barnevern",
            &["helse", "samarbeid"],
        );
        check("Revisjon av kommuneplanens arealdel", &["samarbeid"]);
        check(
            "Mulighetsmøter innen plan – og arealforvaltning",
            &["samarbeid"],
        );
        check("Plan- og teknisk kompetanse", &["kompetanse", "samarbeid"]);
        check("Samordning av interesser i regionen", &["samarbeid"]);
        check("Regionrådet som partnarskap", &["samarbeid"]);
        check(
            "Samhandling mellom kommunar og sjukehus",
            &["helse", "samarbeid"],
        );
        check("Gjeninnføring av samkommunemodellen", &["samarbeid"]);
    }

    #[test]
    fn false_friends_are_no_cues() {
        // "bo" inside "boka", "tiltak" and a plan of action are no themes.
        check("Gi ut boka om bygda", &[]);
        check("Evaluere tiltaket", &[]);
        check("Revidere handlingsplanen", &[]);
        check("Utarbeide plan for oppfølging", &[]);
        // Workplace culture is not culture; integration has no theme.
        check("Endre organisasjonskultur i administrasjonen", &[]);
        check("Flerkulturelle samfunn og inkludering", &[]);
        // "på rett veg", "veiledning", Nynorsk "-lege" adjectives, "forskjell".
        check("Digitaliseringa er på rett veg", &[]);
        check("Veiledning av søkere", &[]);
        check("Offentlege og naturlege rammer", &[]);
        check("Redusere forskjeller", &[]);
        check("Kunstig intelligens i forvaltningen", &[]);
        check("Ernæring", &["helse"]);
    }

    #[test]
    fn agencies_are_actors_not_themes() {
        check(
            "Kulturdepartementet vil lage ein rettleiar for sektoransvar",
            &[],
        );
        check("Nærings- og fiskeridepartementet følger opp", &[]);
        check("Helse- og omsorgstjenester i kommunene", &["helse"]);
    }

    #[test]
    fn measures_about_nothing_in_the_taxonomy_have_no_theme() {
        check("Gjennomføre 2 workshop", &[]);
        check("Utvikle risikoreducerende tiltak", &[]);
        check("Innlandet universelt utformet 2025", &[]);
        check("Språkrådet vil vere eit sentralt verkemiddel", &[]);
        check("", &[]);
    }

    #[test]
    fn web_addresses_name_no_theme() {
        check(
            "Dagen 11.09.2014 http://www.example.no/arbeidslivsdagen-2014",
            &[],
        );
    }

    #[test]
    fn several_themes_in_one_measure() {
        check(
            "Karriereveiledning - samhandling mellom næringsliv og videregående skole",
            &["kompetanse", "naering", "samarbeid"],
        );
        check(
            "Nærbutikken som møteplass/velferdssentral i små lokalsamfunn",
            &["naering", "kultur"],
        );
        check(
            "Utvikle regionens ressurser gjennom felles næringspolitikk (mat/landbruk, reiseliv)",
            &["naering", "landbruk", "samarbeid"],
        );
    }

    #[test]
    fn a_description_needs_a_strong_cue_or_two() {
        // One weak cue in passing: no theme.
        assert_eq!(
            themes(
                "Gjennomføre workshop",
                Some("Møtet holdes i felles lokaler.")
            ),
            []
        );
        // Two weak cues of one theme: the theme.
        assert_eq!(
            themes(
                "Gjennomføre workshop",
                Some("Felles møte med nettverket av kommunar.")
            ),
            [Theme::Samarbeid]
        );
        // One strong cue: the theme.
        assert_eq!(
            themes(
                "Prosjekt Nordfjord",
                Some("Prosjektet skal skaffe fleire utleigebustader.")
            ),
            [Theme::Bolig]
        );
        // The title's themes and the description's come in ALL order.
        assert_eq!(
            themes(
                "Styrke omdømmet",
                Some("Gjennom rekruttering av lærlinger.")
            ),
            [Theme::Rekruttering, Theme::Kompetanse, Theme::Omdomme]
        );
    }

    /// The module documentation lists exactly the cues of [`CUES`], each in
    /// its theme's section, so what researchers read is what runs.
    #[test]
    fn the_documented_cues_are_the_cues() {
        let source = include_str!("themes.rs");
        let doc: Vec<&str> = source
            .lines()
            .filter_map(|l| l.strip_prefix("//!"))
            .map(str::trim)
            .collect();
        for (theme, specs) in CUES {
            let heading = format!("### `{}`", theme.as_str());
            let start = doc
                .iter()
                .position(|l| l.starts_with(&heading))
                .unwrap_or_else(|| panic!("no section for {}", theme.as_str()));
            let end = doc[start + 1..]
                .iter()
                .position(|l| l.starts_with('#'))
                .map_or(doc.len(), |e| start + 1 + e);
            let lists = doc[start..end]
                .iter()
                .skip_while(|l| !l.starts_with("- Both:"))
                .copied()
                .collect::<Vec<_>>()
                .join(" ");
            let documented: std::collections::BTreeSet<&str> =
                lists.split('`').skip(1).step_by(2).collect();
            let coded: std::collections::BTreeSet<&str> = specs.split_whitespace().collect();
            assert_eq!(documented, coded, "the cues of {}", theme.as_str());
        }
    }
}

//! Lists where nothing but the layout states them: untagged PDFs and plain
//! text written as Markdown. A wrapped item goes on at its hanging indent, an
//! item cut by a page goes on past the footnotes and page number, items of one
//! list share a marker and an indent (another indent nests), and Markdown's
//! headings, lists and pipe tables are read as such.
//!
//! Two batches: batch 1 was written first and the rules tuned on it; batch 2
//! was written afterwards with other wording, markers, indents and sizes, and
//! scored once before any change (see `batch_2_blind`).

mod common;

use common::{make_pdf, process_pdf, Draw};
use plansjekk::emit::record::Record;
use plansjekk::ingest::{ingest, IngestOptions};
use plansjekk::model::{BlockKind, Document};
use plansjekk::pipeline::process_bytes;

/// What a careful reader finds in a fixture.
struct Expected {
    /// List items (depth, text without marker), in order.
    items: &'static [(u8, &'static str)],
    /// The titles the measures should start with.
    measures: &'static [&'static str],
}

/// A page filled top down, line by line, in 10 pt unless said otherwise.
struct Page {
    y: f32,
    draws: Vec<Draw<'static>>,
}

impl Page {
    fn new() -> Page {
        Page {
            y: 780.0,
            draws: Vec::new(),
        }
    }
    /// A line at x, then down one line (12 pt).
    fn line(&mut self, x: f32, text: &'static str) -> &mut Self {
        self.draws.push(Draw::Text(x, self.y, text));
        self.y -= 12.0;
        self
    }
    /// A marker at x and its text at `tx` on one line.
    fn item(&mut self, x: f32, marker: &'static str, tx: f32, text: &'static str) -> &mut Self {
        self.draws.push(Draw::Text(x, self.y, marker));
        self.line(tx, text)
    }
    fn sized(&mut self, x: f32, size: f32, text: &'static str) -> &mut Self {
        self.draws.push(Draw::Sized(x, self.y, size, text));
        self.y -= size * 1.4;
        self
    }
    fn gap(&mut self, pt: f32) -> &mut Self {
        self.y -= pt;
        self
    }
    fn at(&mut self, x: f32, y: f32, size: f32, text: &'static str) -> &mut Self {
        self.draws.push(Draw::Sized(x, y, size, text));
        self
    }
    fn done(&mut self) -> Vec<Draw<'static>> {
        std::mem::take(&mut self.draws)
    }
}

fn list_items(d: &Document) -> Vec<(u8, String)> {
    d.blocks()
        .filter_map(|b| match &b.kind {
            BlockKind::ListItem { depth, .. } => Some((*depth, b.text.clone())),
            _ => None,
        })
        .collect()
}

/// Items read right (text and depth) and measures found, each of expected.
#[derive(Default, Debug, Clone, Copy, PartialEq)]
struct Score {
    items: usize,
    items_expected: usize,
    measures: usize,
    measures_expected: usize,
}

impl std::ops::AddAssign for Score {
    fn add_assign(&mut self, o: Score) {
        self.items += o.items;
        self.items_expected += o.items_expected;
        self.measures += o.measures;
        self.measures_expected += o.measures_expected;
    }
}

fn score(name: &str, d: &Document, r: &Record, e: &Expected) -> Score {
    let read = list_items(d);
    let items = e
        .items
        .iter()
        .filter(|(depth, text)| read.iter().any(|(d, t)| d == depth && t == text))
        .count();
    let measures = e
        .measures
        .iter()
        .filter(|m| r.measures.iter().any(|x| x.title.starts_with(*m)))
        .count();
    let s = Score {
        items,
        items_expected: e.items.len(),
        measures,
        measures_expected: e.measures.len(),
    };
    eprintln!(
        "{name}: items {}/{}, measures {}/{}\n  read: {read:?}\n  measures: {:?}",
        s.items,
        s.items_expected,
        s.measures,
        s.measures_expected,
        r.measures.iter().map(|m| &m.title).collect::<Vec<_>>()
    );
    s
}

fn score_bytes(name: &str, bytes: &[u8], e: &Expected) -> Score {
    // To look at a fixture with `plansjekk text`: LAYOUT_FIXTURES=DIR.
    if let Ok(dir) = std::env::var("LAYOUT_FIXTURES") {
        std::fs::write(std::path::Path::new(&dir).join(name), bytes).unwrap();
    }
    let d = ingest(bytes, &IngestOptions::default()).unwrap();
    let r = if name.ends_with(".pdf") {
        process_pdf(name, bytes).unwrap()
    } else {
        process_bytes(name, "fixture", bytes, &IngestOptions::default()).unwrap()
    };
    score(name, &d, &r, e)
}

fn fixture(batch: &str, name: &str) -> Vec<u8> {
    std::fs::read(
        common::root()
            .join("tests/fixtures/layout")
            .join(batch)
            .join(name),
    )
    .unwrap()
}

// ---------------------------------------------------------------- batch 1

/// Bullets with a hanging indent whose items wrap (one continuation starts
/// with a name, in upper case), a nested dash list, and a paragraph set right
/// below the list at the marker's edge.
fn b1_wrapped_bullets_pdf() -> Vec<u8> {
    let mut p = Page::new();
    p.sized(72.0, 16.0, "Handlingsplan for bolyst 2025")
        .gap(10.0)
        .sized(72.0, 13.0, "Tiltak")
        .line(72.0, "Regionrådet vil i 2025 prioritere disse tiltakene:")
        .item(
            72.0,
            "•",
            84.0,
            "Etablere et felles rekrutteringsprogram for helse- og",
        )
        .line(84.0, "omsorgssektoren i alle seks kommunene.")
        .item(
            72.0,
            "•",
            84.0,
            "Videreføre bolystprosjektet «Heim til fjells» i samarbeid",
        )
        .line(84.0, "med næringslivet, frivillige lag og foreninger og")
        .line(84.0, "Statsforvalteren i Innlandet.")
        .item(
            72.0,
            "•",
            84.0,
            "Utvikle en digital portal for ledige boliger og tomter:",
        )
        .item(96.0, "–", 106.0, "kartlegge utleieboliger i sentrum;")
        .item(96.0, "–", 106.0, "samarbeide med Husbanken om")
        .line(106.0, "startlån og tilskudd.")
        .item(72.0, "•", 84.0, "Arrangere en årlig næringskonferanse.")
        .line(
            72.0,
            "Tiltakene finansieres over regionrådets budsjett. Samlet ramme",
        )
        .line(72.0, "er 2,4 millioner kroner.");
    make_pdf(&[p.done()])
}

const B1_WRAPPED_BULLETS: Expected = Expected {
    items: &[
        (
            0,
            "Etablere et felles rekrutteringsprogram for helse- og omsorgssektoren i alle seks kommunene.",
        ),
        (
            0,
            "Videreføre bolystprosjektet «Heim til fjells» i samarbeid med næringslivet, frivillige lag og foreninger og Statsforvalteren i Innlandet.",
        ),
        (
            0,
            "Utvikle en digital portal for ledige boliger og tomter:",
        ),
        (1, "kartlegge utleieboliger i sentrum;"),
        (1, "samarbeide med Husbanken om startlån og tilskudd."),
        (0, "Arrangere en årlig næringskonferanse."),
    ],
    measures: &[
        "Etablere et felles rekrutteringsprogram",
        "Videreføre bolystprosjektet",
        "Utvikle en digital portal",
        "Arrangere en årlig næringskonferanse",
    ],
};

/// A spaced numbered list in Nynorsk whose third item a page break cuts in
/// mid-sentence, with a footnote, a page number and a running header between.
fn b1_numbered_over_page_pdf() -> Vec<u8> {
    let mut p1 = Page::new();
    p1.at(72.0, 810.0, 9.0, "Handlingsprogram for kompetanse")
        .gap(-10.0)
        .sized(72.0, 16.0, "Handlingsprogram for kompetanse 2025–2028")
        .gap(10.0)
        .sized(72.0, 13.0, "Tiltak")
        .line(72.0, "Fylkeskommunen vil:")
        .gap(8.0)
        .item(
            72.0,
            "1.",
            90.0,
            "Opprette eit regionalt kompetanseforum for",
        )
        .line(90.0, "arbeidslivet og utdanningsinstitusjonane.")
        .gap(8.0)
        .item(
            72.0,
            "2.",
            90.0,
            "Styrkje tilbodet om fagbrev på jobb i distrikta.",
        );
    p1.y = 122.0;
    p1.item(
        72.0,
        "3.",
        90.0,
        "Auke talet på lærlingplassar i offentleg sektor, i tett",
    )
    .line(90.0, "samarbeid med NAV og dei vidaregåande skulane i")
    .at(72.0, 90.0, 8.0, "1 Sjå Kompetansebehovsutvalet (2024).")
    .at(290.0, 40.0, 10.0, "1");
    let mut p2 = Page::new();
    p2.at(72.0, 810.0, 9.0, "Handlingsprogram for kompetanse")
        .line(90.0, "kommunane i Vestland.")
        .gap(8.0)
        .item(
            72.0,
            "4.",
            90.0,
            "Utvikle ei ordning med tilskot til etter- og vidareutdanning",
        )
        .line(90.0, "for tilsette i små verksemder.")
        .gap(10.0)
        .sized(72.0, 13.0, "Økonomi")
        .line(
            72.0,
            "Tiltaka blir finansierte over det regionale budsjettet.",
        )
        .at(290.0, 40.0, 10.0, "2");
    make_pdf(&[p1.done(), p2.done()])
}

const B1_NUMBERED_OVER_PAGE: Expected = Expected {
    items: &[
        (
            0,
            "Opprette eit regionalt kompetanseforum for arbeidslivet og utdanningsinstitusjonane.",
        ),
        (0, "Styrkje tilbodet om fagbrev på jobb i distrikta."),
        (
            0,
            "Auke talet på lærlingplassar i offentleg sektor, i tett samarbeid med NAV og dei vidaregåande skulane i kommunane i Vestland.",
        ),
        (
            0,
            "Utvikle ei ordning med tilskot til etter- og vidareutdanning for tilsette i små verksemder.",
        ),
    ],
    measures: &[
        "Opprette eit regionalt kompetanseforum",
        "Styrkje tilbodet om fagbrev",
        "Auke talet på lærlingplassar",
        "Utvikle ei ordning med tilskot",
    ],
};

const B1_MARKDOWN_BOKMAL: Expected = Expected {
    items: &[
        (
            0,
            "Etablere et mentorprogram for nyutdannede som flytter til regionen, i samarbeid med næringsforeningen.",
        ),
        (
            0,
            "Tilby sommerjobb til studenter i kommunene og fylkeskommunen.",
        ),
        (1, "Ordningen gjelder studenter fra regionen."),
        (1, "Lønn dekkes av kommunene."),
        (0, "Videreføre «Bo her»-kampanjen."),
        (0, "Kartlegge tomme boliger i alle kommunene."),
        (
            0,
            "Søke Husbanken om midler til boligutvikling i distriktene.",
        ),
        (0, "Etablere en boligkoordinator i 50 % stilling."),
    ],
    measures: &[
        "Etablere et mentorprogram",
        "Tilby sommerjobb",
        "Videreføre «Bo her»-kampanjen",
        "Kartlegge tomme boliger",
        "Søke Husbanken om midler",
        "Etablere en boligkoordinator",
    ],
};

const B1_MARKDOWN_NYNORSK: Expected = Expected {
    items: &[
        (
            0,
            "Styrkje rettleiinga for bønder som vil leggje om til økologisk drift.",
        ),
        (
            0,
            "Greie ut eit felles biogassanlegg for husdyrgjødsel og matavfall.",
        ),
        (0, "Gje tilskot til lokal foredling."),
        (0, "Utvikle heilskaplege pakketilbod for sykkelturisme."),
        (0, "Marknadsføre regionen saman med Visit Fjord Norway."),
        (1, "Felles nettside."),
        (1, "Deltaking på messer."),
    ],
    measures: &[
        "Styrkje rettleiinga for bønder",
        "Greie ut eit felles biogassanlegg",
        "Gje tilskot til lokal foredling",
        "Utvikle heilskaplege pakketilbod",
        "Marknadsføre regionen",
    ],
};

fn batch_1() -> Score {
    let mut s = Score::default();
    s += score_bytes(
        "b1-wrapped-bullets.pdf",
        &b1_wrapped_bullets_pdf(),
        &B1_WRAPPED_BULLETS,
    );
    s += score_bytes(
        "b1-numbered-over-page.pdf",
        &b1_numbered_over_page_pdf(),
        &B1_NUMBERED_OVER_PAGE,
    );
    s += score_bytes(
        "bokmal-handlingsplan.md",
        &fixture("batch1", "bokmal-handlingsplan.md"),
        &B1_MARKDOWN_BOKMAL,
    );
    s += score_bytes(
        "nynorsk-strategi.md",
        &fixture("batch1", "nynorsk-strategi.md"),
        &B1_MARKDOWN_NYNORSK,
    );
    s
}

#[test]
fn batch_1_reads_every_item_and_measure() {
    let s = batch_1();
    eprintln!("batch 1: {s:?}");
    assert_eq!(s.items, s.items_expected, "{s:?}");
    assert_eq!(s.measures, s.measures_expected, "{s:?}");
}

//! A bounded fuzz loop that CI runs: mutations of real inputs (the corpus,
//! our fixtures, ../shared's robustness and hostile files) through every
//! ingester and the whole pipeline, and of budget sentences through the amount
//! parser. A fixed seed makes every failure reproducible: the message names
//! the seed file and the case number.
//!
//! Nothing may panic (a panic inside the pipeline is caught and classified as
//! "panic": that counts as a failure here too), and every failure must carry
//! a class.

mod common;

use std::path::PathBuf;

use plansjekk::ingest::IngestOptions;
use plansjekk::pipeline::process_bytes;

/// xorshift64*: small, deterministic, good enough to pick mutations.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Bytes that matter to the formats: PDF and XML syntax, digits, Norwegian letters.
const INTERESTING: &[&[u8]] = &[
    b"(",
    b")",
    b"<<",
    b">>",
    b"[",
    b"]",
    b"/Count 4294967296",
    b"stream\n",
    b"endstream",
    b"obj",
    b"R",
    b"Tj",
    b"TJ",
    b"BT",
    b"ET",
    b"<w:p>",
    b"</w:t>",
    b"<table>",
    b"<td>",
    b"\t",
    b"\n",
    b"\n\n",
    b" kr",
    b"1 000 000",
    b"mill.",
    b"-",
    b"%",
    b"\xc3\xa5",
    b"\xff\xfe",
    b"\0",
    b"Sum",
    b"Delm\xc3\xa5l 1:",
    b"Tiltak 3",
    b"\xe2\x80\x93",
];

fn mutate(bytes: &[u8], rng: &mut Rng) -> Vec<u8> {
    let mut b = bytes.to_vec();
    for _ in 0..1 + rng.below(8) {
        let at = rng.below(b.len() + 1);
        match rng.below(6) {
            0 if !b.is_empty() => {
                let i = at.min(b.len() - 1);
                b[i] ^= 1 << rng.below(8);
            }
            1 => {
                let piece = INTERESTING[rng.below(INTERESTING.len())];
                b.splice(at..at, piece.iter().copied());
            }
            2 => {
                let end = (at + rng.below(64)).min(b.len());
                b.drain(at..end);
            }
            3 => {
                // Duplicate a slice: repeated objects, rows and operators.
                let end = (at + rng.below(256)).min(b.len());
                let piece: Vec<u8> = b[at..end].to_vec();
                b.splice(end..end, piece);
            }
            4 => b.truncate(at),
            _ => {
                if !b.is_empty() {
                    let i = at.min(b.len() - 1);
                    b[i] = (rng.next() & 0xff) as u8;
                }
            }
        }
    }
    b
}

fn seeds() -> Vec<PathBuf> {
    let root = common::root();
    let mut dirs = vec![root.join("corpus"), root.join("fixtures")];
    if let Some(shared) = common::shared() {
        dirs.push(shared.join("pdf-robustness/files"));
        dirs.push(shared.join("hostile"));
    }
    let mut files = plansjekk::batch::inputs::collect_inputs(&dirs).expect("seed folders");
    // Small seeds keep the loop fast; the large corpus PDFs add nothing here
    // that their text versions and the robustness files do not.
    files.retain(|p| std::fs::metadata(p).is_ok_and(|m| m.len() <= 400_000));
    files
}

#[test]
fn mutated_documents_never_panic() {
    let options = IngestOptions::default();
    let files = seeds();
    assert!(files.len() >= 20, "{} seeds", files.len());
    let mut rng = Rng(0x5EED_1234_ABCD_0001);
    let cases_per_seed = 8;
    let mut classes = std::collections::BTreeMap::<String, usize>::new();
    for path in &files {
        let bytes = std::fs::read(path).unwrap();
        for case in 0..cases_per_seed {
            let input = mutate(&bytes, &mut rng);
            let class = match process_bytes("fuzz", "fuzz", &input, &options) {
                Ok(_) => "ok".to_string(),
                Err(e) => e.class,
            };
            assert_ne!(
                class,
                "panic",
                "{} case {case} panicked (seed 0x5EED_1234_ABCD_0001)",
                path.display()
            );
            assert!(!class.is_empty());
            *classes.entry(class).or_default() += 1;
        }
    }
    eprintln!(
        "fuzz: {} seeds × {cases_per_seed}: {classes:?}",
        files.len()
    );
    // The loop reaches past the sniffers: most mutants are still read.
    assert!(classes.get("ok").copied().unwrap_or(0) * 2 > files.len() * cases_per_seed / 2);
}

#[test]
fn mutated_budget_sentences_never_panic_the_amount_parser() {
    let sentences = [
        "Det settes av til sammen 1 800 000 kr til tiltaket i 2025.",
        "Sparebankstiftelsen bidrar med 1,1 mill. kr, fordelt på 300 000 kr og 800 000 kr.",
        "Samla ramme er 3,4 millionar kroner (NOK 3 400 000,-).",
        "Kostnaden er kr 12.500,50 per år, inntil 2 mrd. kroner totalt.",
        "1 512 (38 %) 31.425 1000 kr/km −200 000 –",
    ];
    let mut rng = Rng(0xA110_C47E);
    for s in sentences {
        for case in 0..400 {
            let m = mutate(s.as_bytes(), &mut rng);
            let text = String::from_utf8_lossy(&m);
            let r = std::panic::catch_unwind(|| {
                let found = plansjekk::norsk::find_amounts(&text);
                for a in &found {
                    // Ranges point into the text they were found in.
                    assert_eq!(&text[a.range.clone()], a.text);
                }
                let _ = plansjekk::norsk::parse_amount_cell(&text);
                let _ = plansjekk::norsk::find_percents(&text);
            });
            assert!(r.is_ok(), "case {case} of {s:?}: {text:?}");
        }
    }
}

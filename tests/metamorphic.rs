//! Metamorphic test: a PDF rendering of a corpus document must give the same
//! record as its text: goals, measures, actors, amounts, tables cell by cell,
//! and findings.
//!
//! Where a PDF cannot say what the text says (a word the renderer broke inside a
//! narrow cell has lost where its space was), the comparison ignores whitespace
//! inside cells and titles; nothing else is forgiven. Each difference is printed
//! as a readable diff. Known gaps are listed in `KNOWN_GAPS` with their reason:
//! the test fails both when an unlisted difference appears and when a listed
//! one has gone, so the list always tells the truth.

mod common;

use std::collections::BTreeMap;
use std::path::PathBuf;

use common::{corpus, process, root, shared_dir};
use plansjekk::record::Record;

/// (PDF path in the checkout, part of the record) that still differs from the text, and why.
const KNOWN_GAPS: &[(&str, &str, &str)] = &[
    (
        "corpus/bolyst-arsrapport-2014-midt-troms.pdf",
        "tables",
        "a form laid out as a two-column table: the PDF reads its long answers as text, the text keeps some as rows, and its nested accounts table is drawn inside the form's grid",
    ),
    (
        "corpus/chromium/bolyst-arsrapport-2014-midt-troms.pdf",
        "tables",
        "the same form as printed by a browser",
    ),
    (
        "corpus/bolyst-arsrapport-2014-midt-troms.pdf",
        "amounts",
        "in the word processor's PDF the accounts table runs off the page: its column «periodisert budsjett for 9 måneder» is not in the file (a located warning says so)",
    ),
    (
        "corpus/handlingsprogram-regional-plan-inkluderende-innlandet-2022.pdf",
        "actors",
        "the closing sign-off «Innlandet» / «fylkeskommune» is two lines set far apart",
    ),
];

fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Each part of a record as comparable lines, in a stable order.
fn parts(r: &Record) -> BTreeMap<&'static str, Vec<String>> {
    let goal_name = |id: &Option<String>| {
        id.as_ref()
            .and_then(|id| r.goals.iter().find(|g| &g.id == id))
            .map(|g| squash(&g.title))
            .unwrap_or_default()
    };
    let mut p: BTreeMap<&'static str, Vec<String>> = BTreeMap::new();
    p.insert(
        "facts",
        vec![
            format!("title {:?}", r.title),
            format!("kind {}", r.kind),
            format!("date {:?}", r.date),
            format!("period {:?}", r.period),
            format!("parties {:?}", r.parties),
        ],
    );
    p.insert(
        "goals",
        r.goals
            .iter()
            .map(|g| format!("{:?} {}", g.number, squash(&g.title)))
            .collect(),
    );
    p.insert(
        "measures",
        r.measures
            .iter()
            .map(|m| {
                format!(
                    "{} | {:?} {}",
                    goal_name(&m.goal),
                    m.number,
                    squash(&m.title)
                )
            })
            .collect(),
    );
    let mut actors: Vec<String> = r.actors.iter().map(|a| a.name.clone()).collect();
    actors.sort();
    p.insert("actors", actors);
    let mut amounts: Vec<String> = r
        .amounts
        .iter()
        .map(|a| format!("{:.2} {} {:?}", a.nok, a.role, a.year))
        .collect();
    amounts.sort();
    p.insert("amounts", amounts);
    p.insert(
        "tables",
        r.tables
            .iter()
            .enumerate()
            .flat_map(|(t, tab)| {
                tab.rows.iter().map(move |row| {
                    let mut cells: Vec<String> = row.iter().map(|c| squash(c)).collect();
                    while cells.last().is_some_and(String::is_empty) {
                        cells.pop();
                    }
                    format!("table {t}: {}", cells.join(" | "))
                })
            })
            .collect(),
    );
    let mut findings: Vec<String> = r
        .findings
        .iter()
        .map(|f| format!("{} {} {:?} {:?}", f.rule, f.severity, f.stated, f.computed))
        .collect();
    findings.sort();
    p.insert("findings", findings);
    p
}

/// A line diff of two lists: what only the source has (`-`) and only the rendering (`+`).
fn diff(text: &[String], pdf: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < text.len() || j < pdf.len() {
        match (text.get(i), pdf.get(j)) {
            (Some(a), Some(b)) if a == b => {
                i += 1;
                j += 1;
            }
            (Some(a), _) if !pdf[j..].contains(a) => {
                out.push(format!("- {a}"));
                i += 1;
            }
            (_, Some(b)) => {
                out.push(format!("+ {b}"));
                j += 1;
            }
            (Some(a), None) => {
                out.push(format!("- {a}"));
                i += 1;
            }
            (None, None) => break,
        }
    }
    out
}

fn pairs() -> Vec<(PathBuf, PathBuf)> {
    let docs = [
        "bolyst-arsrapport-2014-midt-troms",
        "distriktssenteret-veiledningspiloten",
        "handlingsplan-2025-bygdevekst-indre-namdal",
        "handlingsprogram-regional-plan-inkluderende-innlandet-2022",
        "strategi-vaernesregionen-2009",
    ];
    let mut v = Vec::new();
    for d in docs {
        let text = corpus(&format!("{d}.txt"));
        for pdf in [
            corpus(&format!("{d}.pdf")),
            corpus(&format!("chromium/{d}.pdf")),
        ] {
            if pdf.exists() {
                v.push((text.clone(), pdf));
            }
        }
    }
    match shared_dir() {
        Some(s) => {
            let text = corpus("handlingsplan-2025-bygdevekst-indre-namdal.txt");
            for f in [
                "handlingsplan-object-streams.pdf",
                "handlingsplan-ghostscript-redistilled.pdf",
            ] {
                v.push((text.clone(), s.join("corpus-pdf/variants").join(f)));
            }
        }
        None => common::skip(
            "the PDF variants of ../shared/corpus-pdf: ../shared is not beside the checkout",
        ),
    }
    v
}

#[test]
fn every_pdf_rendering_gives_its_texts_record() {
    same_records(&pairs(), KNOWN_GAPS, "PDF records differ from their texts");
}

/// The format fixtures: a Word document, and LibreOffice's tagged PDF,
/// untagged PDF and HTML of it (`tests/fixtures/formats/make.py`). Each
/// rendering must give the Word document's record: the same goals, measures,
/// tables cell by cell, amounts and findings, however the structure was
/// stated (styles, tags, HTML elements) or only laid out.
fn format_pairs() -> Vec<(PathBuf, PathBuf)> {
    let dir = root().join("tests/fixtures/formats");
    let mut docx: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("the format fixtures")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "docx"))
        .collect();
    docx.sort();
    assert!(!docx.is_empty(), "no DOCX in {}", dir.display());
    let mut v = Vec::new();
    for d in docx {
        let stem = d.file_stem().unwrap().to_string_lossy().to_string();
        for rendering in [
            format!("{stem}-tagged.pdf"),
            format!("{stem}-untagged.pdf"),
            format!("{stem}.html"),
        ] {
            let r = dir.join(rendering);
            assert!(
                r.exists(),
                "{} is missing: run make.py --render",
                r.display()
            );
            v.push((d.clone(), r));
        }
    }
    v
}

/// (rendering, part of the record) that still differs from its Word
/// document, and why.
const FORMAT_GAPS: &[(&str, &str, &str)] = &[];

#[test]
fn every_rendering_of_a_word_document_gives_its_record() {
    same_records(
        &format_pairs(),
        FORMAT_GAPS,
        "renderings differ from their Word documents",
    );
}

/// Compares each pair's records part by part; fails on a difference not
/// listed in `known`, and on a listed one that has gone.
fn same_records(pairs: &[(PathBuf, PathBuf)], known: &[(&str, &str, &str)], what: &str) {
    let mut unexpected = Vec::new();
    let mut gone = Vec::new();
    for (source, rendering) in pairs {
        let a = parts(&process(source).expect("the source reads"));
        let b = parts(&process(rendering).expect("the rendering reads"));
        let shown = rendering
            .strip_prefix(root())
            .unwrap_or(rendering)
            .display()
            .to_string();
        for (part, lines) in &a {
            let d = diff(lines, &b[part]);
            let listed = known
                .iter()
                .any(|(f, p, _)| *f == shown && (*p == "*" || p == part));
            if d.is_empty() {
                println!("{shown}: {part} same ({} entries)", lines.len());
                continue;
            }
            println!(
                "{shown}: {part} differs ({} in the source, {} in the rendering){}",
                lines.len(),
                b[part].len(),
                if listed { " — known gap" } else { "" }
            );
            for l in d.iter().take(40) {
                println!("    {l}");
            }
            if !listed {
                unexpected.push(format!("{shown}: {part}"));
            }
        }
        for (f, p, why) in known {
            let still = a
                .iter()
                .any(|(part, l)| (*p == "*" || p == part) && !diff(l, &b[part]).is_empty());
            if *f == shown && !still {
                gone.push(format!("{shown}: {p} ({why})"));
            }
        }
    }
    assert!(unexpected.is_empty(), "{what}: {unexpected:#?}");
    assert!(
        gone.is_empty(),
        "known gaps that no longer differ (remove them from the list): {gone:#?}"
    );
}

/// Every digit drawn on a corpus PDF's pages ends up in its record (text,
/// table cells, furniture), once: no figure is lost or read twice.
#[test]
fn every_digit_on_a_corpus_pdfs_pages_is_in_its_record() {
    let mut pdfs: Vec<PathBuf> = pairs().into_iter().map(|(_, pdf)| pdf).collect();
    pdfs.dedup();
    let mut short = Vec::new();
    for pdf in pdfs {
        let r = process(&pdf).expect("the PDF reads");
        let n = r.source.numbers.expect("a PDF record counts its digits");
        println!(
            "{}: {} of {} digits ({:.2} %)",
            pdf.display(),
            n.in_record,
            n.on_pages,
            n.share * 100.0
        );
        if n.in_record != n.on_pages || n.share < 1.0 {
            short.push(format!("{}: {n:?}", pdf.display()));
        }
    }
    assert!(short.is_empty(), "digits lost or doubled: {short:#?}");
}

/// A finding in a PDF table points at the cell: its table, grid row and column,
/// the box the PDF draws it in, and the page of its row, also when the table
/// runs over several pages.
#[test]
fn pdf_findings_point_at_cells_on_their_own_pages() {
    let r = process(&corpus("handlingsplan-2025-bygdevekst-indre-namdal.pdf")).unwrap();
    let f = r
        .findings
        .iter()
        .find(|f| {
            f.rule == "text-vs-table"
                && f.stated == Some(1_800_000.0)
                && f.computed == Some(1_900_000.0)
        })
        .expect("the 1 800 000 against 1 900 000 finding");
    let table = f
        .locations
        .iter()
        .find_map(|l| l.cell.as_ref().map(|c| (l, c)))
        .expect("a location in a table cell");
    let (loc, cell) = table;
    assert_eq!(loc.highlight.as_deref(), Some("1 900 000 kr"));
    // The overview table starts on page 3; Delmål 1's total row is there.
    assert_eq!(loc.page, Some(3));
    let [x0, y0, x1, y1] = cell.bbox.expect("a PDF cell has a box");
    assert!(x0 < x1 && y0 < y1);
    let t = r
        .tables
        .iter()
        .find(|t| t.id == cell.table)
        .expect("the table");
    assert!(t.header.len() > cell.column);
    // The same table's Delmål 2 total row is on page 4.
    let g2 = r
        .findings
        .iter()
        .find(|f| f.stated == Some(800_000.0) && f.computed == Some(900_000.0))
        .expect("the 800 000 against 900 000 finding");
    let l2 = g2.locations.iter().find(|l| l.cell.is_some()).unwrap();
    assert_eq!(l2.cell.as_ref().unwrap().table, cell.table);
    assert_eq!(l2.page, Some(4));
}

//! A finding's place opens the file at the figure it states: for text and
//! HTML files the printed `file:line:column` is the file's own line and
//! column, for Word documents the paragraph and column, for PDFs the page and
//! the line on it. Each place is checked against the file itself, read here
//! independently of plansjekk's reading.

mod common;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

/// `plansjekk check --format json` of `files`: every document's findings.
fn check_json(files: &[PathBuf]) -> Value {
    let out = Command::new(env!("CARGO_BIN_EXE_plansjekk"))
        .arg("check")
        .args(files)
        .args(["--format", "json", "--fail-on", "never"])
        .output()
        .expect("plansjekk runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON")
}

/// Whitespace runs (no-break spaces too) as one space.
fn squeeze(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Every located figure: (path, location) for locations with a highlight.
fn figures(report: &Value) -> Vec<(String, Value)> {
    let mut out = Vec::new();
    for doc in report["documents"].as_array().unwrap() {
        let path = doc["path"].as_str().unwrap().to_string();
        for f in doc["findings"].as_array().unwrap() {
            for l in f["locations"].as_array().unwrap() {
                if l["highlight"].is_string() {
                    out.push((path.clone(), l.clone()));
                }
            }
        }
    }
    out
}

/// The text of a file from line `line`, column `column` (1-based,
/// characters) on, to the end of that line.
fn at(lines: &[&str], line: u64, column: u64) -> String {
    lines
        .get(line as usize - 1)
        .map(|l| l.chars().skip(column as usize - 1).collect())
        .unwrap_or_default()
}

fn corpus_texts() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(common::root().join("corpus"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    files.sort();
    files
}

#[test]
fn every_figure_of_the_corpus_texts_is_at_its_line_and_column_in_the_file() {
    let files = corpus_texts();
    assert!(files.len() >= 5, "the corpus's texts");
    let report = check_json(&files);
    let found = figures(&report);
    assert!(
        found.len() >= 30,
        "the corpus texts have findings: {}",
        found.len()
    );
    let mut differs = 0;
    for (path, l) in &found {
        let text = std::fs::read_to_string(common::root().join(path)).unwrap();
        let lines: Vec<&str> = text.split('\n').collect();
        let highlight = l["highlight"].as_str().unwrap();
        let src = &l["source"];
        assert!(src.is_object(), "{path}: no place in the file for {l}");
        assert!(src["paragraph"].is_null() && src["page"].is_null(), "{l}");
        let (line, column) = (
            src["line"].as_u64().unwrap(),
            src["column"].as_u64().unwrap(),
        );
        let there = squeeze(&at(&lines, line, column));
        assert!(
            there.starts_with(&squeeze(highlight)),
            "{path}:{line}:{column} holds {there:?}, not the figure {highlight:?}"
        );
        differs += usize::from(line != l["line"].as_u64().unwrap());
    }
    // The file's lines are not the normalised text's: the test would pass
    // trivially if they were.
    assert!(differs * 2 > found.len(), "{differs} of {}", found.len());
}

/// The places `check` prints ("--> corpus/x.txt:146:338 (text line 117)")
/// are those of the JSON, so the same figures.
#[test]
fn the_printed_places_are_the_files_own() {
    let files = corpus_texts();
    let report = check_json(&files);
    let places: std::collections::HashSet<String> = figures(&report)
        .iter()
        .map(|(p, l)| format!("{p}:{}:{}", l["source"]["line"], l["source"]["column"]))
        .collect();
    let out = Command::new(env!("CARGO_BIN_EXE_plansjekk"))
        .arg("check")
        .args(&files)
        .args(["--color", "never", "--fail-on", "never"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let headers: Vec<&str> = text
        .lines()
        .filter_map(|l| {
            let l = l.trim_start();
            l.strip_prefix("--> ").or_else(|| l.strip_prefix("::: "))
        })
        .collect();
    assert!(headers.len() >= 20, "{text}");
    let mut figures_printed = 0;
    for h in headers {
        let (place, normalised) = h.split_once(" (text line ").expect(h);
        assert!(normalised.ends_with(')'), "{h}");
        assert!(place.contains(".txt:"), "{h}");
        // A place with a figure is one the JSON puts at that figure; a
        // place without one (a heading, a contents line) starts its line.
        if places.contains(place) {
            figures_printed += 1;
        }
    }
    assert!(figures_printed >= 20, "{figures_printed}");
}

#[test]
fn a_figure_in_an_html_file_is_at_its_line_and_column() {
    let files: Vec<PathBuf> = [
        "fixtures/genre/tiltaksplan-folkehelse-nynorsk.html",
        "fixtures/rules/column-sum/fires-html-table.html",
        "fixtures/genre/src/handlingsplan-fjellregionen-2025.html",
    ]
    .iter()
    .map(|f| common::root().join(f))
    .collect();
    let found = figures(&check_json(&files));
    assert!(found.len() >= 10, "{}", found.len());
    for (path, l) in &found {
        let html = std::fs::read_to_string(path).unwrap();
        let lines: Vec<&str> = html.split('\n').collect();
        let src = &l["source"];
        let (line, column) = (
            src["line"].as_u64().unwrap(),
            src["column"].as_u64().unwrap(),
        );
        // The rest of the file from there, as text: tags out, entities in.
        let rest: String = std::iter::once(at(&lines, line, column))
            .chain(lines[line as usize..].iter().map(|s| s.to_string()))
            .collect::<Vec<_>>()
            .join("\n");
        let there = squeeze(&html_text(&rest));
        let highlight = squeeze(l["highlight"].as_str().unwrap());
        assert!(
            there.starts_with(&highlight),
            "{}:{line}:{column} holds {:?}, not {highlight:?}",
            path,
            &there[..there.len().min(60)]
        );
    }
}

/// The text of HTML: tags as spaces, the few entities documents use decoded.
fn html_text(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&nbsp;", " ")
        .replace("&amp;", "&")
        .replace("&oslash;", "ø")
        .replace("&aring;", "å")
        .replace("&aelig;", "æ")
}

#[test]
fn a_figure_in_a_word_document_is_at_its_paragraph_and_column() {
    let file = common::root().join("fixtures/rules/row-sum/fires-docx-nynorsk.docx");
    let found = figures(&check_json(std::slice::from_ref(&file)));
    assert!(found.len() >= 5, "{}", found.len());
    let paragraphs = docx_paragraphs(&file);
    for (_, l) in &found {
        let src = &l["source"];
        assert!(src["line"].is_null(), "{l}");
        let (n, column) = (
            src["paragraph"].as_u64().unwrap(),
            src["column"].as_u64().unwrap(),
        );
        let para = &paragraphs[n as usize - 1];
        let there = squeeze(&para.chars().skip(column as usize - 1).collect::<String>());
        let highlight = squeeze(l["highlight"].as_str().unwrap());
        assert!(
            there.starts_with(&highlight),
            "paragraph {n}, column {column} holds {there:?}, not {highlight:?}"
        );
    }
}

/// The text of every `w:p` of a Word document's body, in document order.
fn docx_paragraphs(file: &Path) -> Vec<String> {
    use quick_xml::events::Event;
    let mut zip = zip::ZipArchive::new(std::fs::File::open(file).unwrap()).unwrap();
    let mut xml = String::new();
    zip.by_name("word/document.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    let mut reader = quick_xml::Reader::from_str(&xml);
    let (mut paragraphs, mut open, mut in_text) = (Vec::new(), Vec::<usize>::new(), false);
    loop {
        match reader.read_event().unwrap() {
            Event::Start(e) if e.local_name().as_ref() == "p" => {
                paragraphs.push(String::new());
                open.push(paragraphs.len() - 1);
            }
            Event::Empty(e) if e.local_name().as_ref() == "p" => paragraphs.push(String::new()),
            Event::End(e) if e.local_name().as_ref() == "p" => {
                open.pop();
            }
            Event::Start(e) if e.local_name().as_ref() == "t" => in_text = true,
            Event::End(e) if e.local_name().as_ref() == "t" => in_text = false,
            Event::Empty(e) if matches!(e.local_name().as_ref(), "tab" | "br") => {
                if let Some(&k) = open.last() {
                    paragraphs[k].push(' ');
                }
            }
            Event::Text(t) if in_text => {
                if let Some(&k) = open.last() {
                    paragraphs[k].push_str(&t.xml10_content());
                }
            }
            Event::GeneralRef(r) if in_text => {
                let c = match r.resolve_char_ref().ok().flatten() {
                    Some(c) => c,
                    None => match &*r {
                        "amp" => '&',
                        "lt" => '<',
                        "gt" => '>',
                        "quot" => '"',
                        _ => '\'',
                    },
                };
                if let Some(&k) = open.last() {
                    paragraphs[k].push(c);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    paragraphs
}

#[test]
fn a_figure_in_a_pdf_is_on_its_page_and_a_line_of_it() {
    let files: Vec<PathBuf> = [
        "bolyst-arsrapport-2014-midt-troms.pdf",
        "handlingsplan-2025-bygdevekst-indre-namdal.pdf",
    ]
    .iter()
    .map(|f| common::root().join("corpus").join(f))
    .collect();
    let found = figures(&check_json(&files));
    assert!(!found.is_empty());
    for (_, l) in &found {
        let src = &l["source"];
        assert_eq!(src["page"], l["page"], "{l}");
        let line = src["line"].as_u64().unwrap();
        // A line on a page, not of the whole document.
        assert!((1..=120).contains(&line), "{l}");
        assert!(line < l["line"].as_u64().unwrap() || l["page"] == 1, "{l}");
    }
}

/// For every character of the normalised text the map places, the file has
/// that character at that place (whitespace may differ: a tab, a no-break
/// space; an HTML entity stands for its character at its `&`). Returns how
/// many characters were placed, and how many of the text's there are.
fn placed_characters_match(
    doc: &plansjekk::model::Document,
    at: impl Fn(u32, u32) -> Option<char>,
) -> (usize, usize) {
    let (mut placed, mut all) = (0, 0);
    for (i, line) in doc.lines.iter().enumerate() {
        for (k, c) in line.chars().enumerate() {
            all += 1;
            let Some(p) = doc.source_map.locate(i as u32 + 1, k as u32) else {
                continue;
            };
            placed += 1;
            let there = at(p.line, p.column);
            let same = there == Some(c)
                || (c.is_whitespace() && there.is_some_and(char::is_whitespace))
                || there == Some('&');
            assert!(
                same,
                "line {}: {c:?} placed at {}:{} which holds {there:?}",
                i + 1,
                p.line,
                p.column
            );
        }
    }
    (placed, all)
}

#[test]
fn every_placed_character_is_the_files_own() {
    let mut files: Vec<PathBuf> = corpus_texts();
    files.extend(
        [
            "fixtures/genre/tiltaksplan-folkehelse-nynorsk.html",
            "fixtures/genre/strategi-regjeringen-bosetting.html",
            "fixtures/rules/column-sum/fires-html-table.html",
            "fixtures/genre/handlingsplan-reiseliv-lillehammer.docx",
            "fixtures/genre/strategi-naeringsfond-hardanger.docx",
            "fixtures/rules/row-sum/fires-docx-nynorsk.docx",
            "tests/fixtures/formats/batch1-handlingsplan-bolyst.docx",
            "tests/fixtures/formats/batch2-handlingsprogram-folkehelse.html",
        ]
        .iter()
        .map(|f| common::root().join(f)),
    );
    if let Some(shared) = common::shared_dir() {
        files.extend(
            std::fs::read_dir(shared.join("real-dev"))
                .unwrap()
                .map(|e| e.unwrap().path())
                .filter(|p| p.extension().is_some_and(|e| e == "docx")),
        );
    }
    for file in files {
        let bytes = std::fs::read(&file).unwrap();
        let doc = plansjekk::ingest::ingest(&bytes, &Default::default()).unwrap();
        let (placed, all) = if file.extension().is_some_and(|e| e == "docx") {
            let paragraphs = docx_paragraphs(&file);
            placed_characters_match(&doc, |p, c| {
                paragraphs.get(p as usize - 1)?.chars().nth(c as usize - 1)
            })
        } else {
            let text = String::from_utf8(bytes).unwrap();
            let lines: Vec<&str> = text.split('\n').collect();
            placed_characters_match(&doc, |l, c| {
                lines.get(l as usize - 1)?.chars().nth(c as usize - 1)
            })
        };
        // Nearly all of the text is found: what is not was changed in
        // reading (words joined at a hyphen, a list's printed number).
        eprintln!("{}: {placed} of {all} characters placed", file.display());
        assert!(
            placed * 100 >= all * 90,
            "{}: {placed} of {all}",
            file.display()
        );
    }
}

/// `findings.csv` gives each finding's place in the file itself, and the
/// end of a run prints it: the file's line and column hold the figure the
/// finding's primary place marks.
#[test]
fn findings_csv_and_the_run_summary_give_the_files_own_place() {
    let root = common::tempdir("positions-csv");
    let input = root.join("in");
    let names = [
        "handlingsplan-2025-bygdevekst-indre-namdal.txt",
        "strategi-vaernesregionen-2009.txt",
    ];
    common::copy_corpus(&input, &names);
    let out = root.join("out");
    let o = common::run_cli(&["--in-process"], &out, &[&input]);
    assert!(o.status.code().is_some_and(|c| c <= 1), "{o:?}");
    let mut r = csv::Reader::from_path(out.join("findings.csv")).unwrap();
    let header = r.headers().unwrap().clone();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let mut checked = 0;
    for row in r.records() {
        let row = row.unwrap();
        let document = &row[col("document")];
        let name = names
            .iter()
            .find(|n| n.replace('.', "-") == document)
            .unwrap_or_else(|| panic!("{document}"));
        let text = std::fs::read_to_string(input.join(name)).unwrap();
        let lines: Vec<&str> = text.split('\n').collect();
        let (line, column) = (&row[col("source_line")], &row[col("source_column")]);
        if line.is_empty() {
            continue;
        }
        let there = at(&lines, line.parse().unwrap(), column.parse().unwrap());
        // What stands there starts what the finding's place reads from
        // that column on (the figure it marks).
        let head: String = squeeze(&there).chars().take(6).collect();
        let read = squeeze(&row[col("text")]);
        assert!(
            !head.is_empty() && read.contains(&head),
            "{document}:{line}:{column} holds {head:?}…, the finding's place reads {read:?}"
        );
        checked += 1;
    }
    assert!(checked >= 10, "{checked} findings placed");
    let stderr = String::from_utf8_lossy(&o.stderr);
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(
        format!("{stdout}{stderr}").contains(", column "),
        "the run's first findings give the file's place: {stdout}{stderr}"
    );
    std::fs::remove_dir_all(&root).unwrap();
}

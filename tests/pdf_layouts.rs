//! PDF layouts real documents use, built as small PDFs: pages in two columns,
//! borderless tables with blank cells, ruled tables broken by a page with
//! their header repeated, and cells whose text wraps. Each shape has a case
//! that must stay silent and, where the shape hides a mistake, one that fires.

mod common;

use common::{make_pdf, process_pdf, Draw};
use plansjekk::record::Record;

/// Text right-aligned at `right` (Helvetica here is read at 5 pt per glyph).
fn right(right: f32, y: f32, text: &str) -> Draw<'_> {
    Draw::Text(right - 5.0 * text.chars().count() as f32, y, text)
}

/// A borderless budget: a label column and three money columns, right-aligned,
/// with blank cells where a source gives nothing.
fn borderless_budget(total: &'static str) -> Vec<u8> {
    let mut page = vec![
        Draw::Text(60.0, 760.0, "Tabell 1 Budsjett for tiltakene i 2025"),
        Draw::Text(60.0, 730.0, "Tiltak"),
        right(250.0, 730.0, "Kommune"),
        right(350.0, 730.0, "Fylke"),
        right(450.0, 730.0, "Sum"),
    ];
    let rows: [(&str, &str, &str, &str); 4] = [
        ("Kurs", "100 000", "50 000", "150 000"),
        ("Møteplass", "", "80 000", "80 000"),
        ("Reise", "20 000", "", "20 000"),
        ("Sum", "120 000", "130 000", total),
    ];
    for (i, (label, a, b, c)) in rows.into_iter().enumerate() {
        let y = 715.0 - 15.0 * i as f32;
        page.push(Draw::Text(60.0, y, label));
        for (x, v) in [(250.0, a), (350.0, b), (450.0, c)] {
            if !v.is_empty() {
                page.push(right(x, y, v));
            }
        }
    }
    page.push(Draw::Text(
        60.0,
        600.0,
        "Tabellen viser fordelingen mellom kommunen og fylket.",
    ));
    make_pdf(&[page])
}

fn table_with<'a>(r: &'a Record, label: &str) -> &'a plansjekk::record::TableRec {
    r.tables
        .iter()
        .find(|t| {
            t.rows
                .iter()
                .any(|row| row.first().is_some_and(|c| c == label))
        })
        .unwrap_or_else(|| panic!("no table with a row «{label}»: {:#?}", r.tables))
}

#[test]
fn a_borderless_table_keeps_its_blank_cells_and_stays_silent_when_it_adds_up() {
    let r = process_pdf("budsjett.pdf", &borderless_budget("250 000")).unwrap();
    let t = table_with(&r, "Møteplass");
    let row = |label: &str| t.rows.iter().find(|r| r[0] == label).unwrap().clone();
    assert_eq!(row("Møteplass"), ["Møteplass", "", "80 000", "80 000"]);
    assert_eq!(row("Reise"), ["Reise", "20 000", "", "20 000"]);
    assert_eq!(t.header, ["Tiltak", "Kommune", "Fylke", "Sum"]);
    assert!(r.findings.is_empty(), "{:#?}", r.findings);
}

#[test]
fn a_borderless_table_with_a_wrong_total_is_flagged_at_that_total() {
    let r = process_pdf("budsjett.pdf", &borderless_budget("260 000")).unwrap();
    assert!(!r.findings.is_empty(), "the wrong total is missed");
    for f in &r.findings {
        assert_eq!(f.stated, Some(260_000.0), "{f:#?}");
        assert_eq!(f.computed, Some(250_000.0), "{f:#?}");
    }
}

/// A ruled table: verticals at the column edges, a rule under every row.
fn ruled(top: f32, rows: &[[&str; 3]], xs: [f32; 4]) -> Vec<Draw<'static>> {
    let mut d = Vec::new();
    let bottom = top - 20.0 * rows.len() as f32;
    for i in 0..=rows.len() {
        let y = top - 20.0 * i as f32;
        d.push(Draw::Rule(xs[0], y, xs[3], y));
    }
    for x in xs {
        d.push(Draw::Rule(x, bottom, x, top));
    }
    for (i, row) in rows.iter().enumerate() {
        let y = top - 20.0 * i as f32 - 14.0;
        for (c, text) in row.iter().enumerate() {
            let text: &'static str = Box::leak(text.to_string().into_boxed_str());
            d.push(Draw::Text(xs[c] + 3.0, y, text));
        }
    }
    d
}

/// A ruled budget per goal whose table a page break cuts, its header repeated
/// on the second page, where the total row stands.
fn budget_over_two_pages(total_2026: &str) -> Vec<u8> {
    let xs = [60.0, 260.0, 360.0, 460.0];
    let header = ["Delmål", "2025", "2026"];
    let mut p1 = vec![Draw::Text(60.0, 760.0, "Budsjett per delmål")];
    p1.extend(ruled(
        200.0,
        &[
            header,
            ["Rekruttering", "100 000", "200 000"],
            ["Bolig", "50 000", "60 000"],
        ],
        xs,
    ));
    let p2 = ruled(
        800.0,
        &[
            header,
            ["Mobilitet", "30 000", "40 000"],
            ["Sum", "180 000", total_2026],
        ],
        xs,
    );
    make_pdf(&[p1, p2])
}

#[test]
fn a_ruled_table_broken_by_a_page_is_one_table_without_its_repeated_header() {
    let r = process_pdf("delmaal.pdf", &budget_over_two_pages("300 000")).unwrap();
    assert_eq!(r.tables.len(), 1, "{:#?}", r.tables);
    let labels: Vec<&str> = r.tables[0].rows.iter().map(|r| r[0].as_str()).collect();
    assert_eq!(labels, ["Rekruttering", "Bolig", "Mobilitet", "Sum"]);
    // The items on both pages add up to the total on the second.
    assert!(r.findings.is_empty(), "{:#?}", r.findings);
}

#[test]
fn a_total_over_both_pages_that_is_wrong_is_flagged() {
    let r = process_pdf("delmaal.pdf", &budget_over_two_pages("290 000")).unwrap();
    let f = r
        .findings
        .iter()
        .find(|f| f.rule == "column-sum")
        .expect("the 2026 total is wrong");
    assert_eq!((f.stated, f.computed), (Some(290_000.0), Some(300_000.0)));
    // The total cell is on the second page.
    assert_eq!(f.locations[0].page, Some(2));
}

#[test]
fn a_cell_wrapped_over_two_lines_is_one_cell() {
    // Rows 700-680 (header), 680-650 (two lines of text), 650-630 (total).
    let mut page = Vec::new();
    for y in [700.0, 680.0, 650.0, 630.0] {
        page.push(Draw::Rule(60.0, y, 360.0, y));
    }
    for x in [60.0, 160.0, 260.0, 360.0] {
        page.push(Draw::Rule(x, 630.0, x, 700.0));
    }
    page.extend([
        Draw::Text(63.0, 686.0, "Delmål"),
        Draw::Text(163.0, 686.0, "Tiltak"),
        Draw::Text(263.0, 686.0, "Beløp"),
        Draw::Text(63.0, 668.0, "1"),
        Draw::Text(163.0, 668.0, "Rekruttering av"),
        Draw::Text(163.0, 656.0, "arbeidskraft"),
        Draw::Text(263.0, 668.0, "500 000"),
        Draw::Text(63.0, 636.0, "Sum"),
        Draw::Text(263.0, 636.0, "500 000"),
    ]);
    let r = process_pdf("wrapped.pdf", &make_pdf(&[page])).unwrap();
    let t = &r.tables[0];
    assert_eq!(
        t.rows[0],
        ["1", "Rekruttering av arbeidskraft", "500 000"],
        "{t:#?}"
    );
    assert!(r.findings.is_empty(), "{:#?}", r.findings);
}

#[test]
fn a_page_in_two_columns_is_read_column_by_column() {
    let mut page = vec![Draw::Text(
        60.0,
        780.0,
        "Handlingsplan for samarbeidet i regionen 2025",
    )];
    let left = [
        "Delmål 1 Rekruttering",
        "Kommunene skal samarbeide om",
        "rekruttering av fagfolk til alle",
        "sektorer i regionen gjennom",
        "felles tiltak og god kontakt med",
        "skolene og næringslivet lokalt.",
        "Arbeidet skal evalueres hvert år.",
    ];
    let right = [
        "Delmål 2 Boligbygging",
        "Det skal bygges flere utleieboliger",
        "i alle kommunene i perioden, og",
        "kommunene skal bruke Husbankens",
        "virkemidler aktivt i arbeidet med",
        "boligtilbudet til nye innbyggere.",
        "Status rapporteres til rådet.",
    ];
    for (i, (l, r)) in left.iter().zip(right).enumerate() {
        // Space after the headings, as a layout sets it.
        let y = 740.0 - 14.0 * i as f32 - if i > 0 { 10.0 } else { 0.0 };
        page.push(Draw::Text(60.0, y, l));
        page.push(Draw::Text(320.0, y, r));
    }
    let r = process_pdf("to-spalter.pdf", &make_pdf(&[page])).unwrap();
    let goals: Vec<(&str, &str)> = r
        .goals
        .iter()
        .map(|g| (g.number.as_deref().unwrap_or(""), g.title.as_str()))
        .collect();
    assert_eq!(
        goals,
        [("Delmål 1", "Rekruttering"), ("Delmål 2", "Boligbygging")],
        "{:#?}",
        r.goals
    );
    assert!(
        r.tables.is_empty(),
        "two columns of prose are no table: {:#?}",
        r.tables
    );
}

#[test]
fn a_list_broken_by_a_page_and_its_footnotes_is_still_one_list() {
    let p1 = vec![
        Draw::Text(60.0, 760.0, "Kommunen vil prioritere tre tiltak:"),
        Draw::Text(
            60.0,
            740.0,
            "1. Bygge flere boliger for unge i sentrum og langs",
        ),
        Draw::Text(72.0, 728.0, "kysten, slik formannskapet har bedt om."),
        Draw::Text(
            60.0,
            716.0,
            "2. Styrke rekrutteringen av sykepleiere og leger til",
        ),
        // Footnotes at the foot of the page, set smaller than the text.
        Draw::Sized(60.0, 80.0, 7.0, "1 Vedtak i formannskapet 12. mars 2024."),
        Draw::Sized(60.0, 71.0, 7.0, "2 Se rapporten fra 2023."),
    ];
    let p2 = vec![
        Draw::Text(72.0, 800.0, "alle kommunene i regionen."),
        Draw::Text(
            60.0,
            788.0,
            "3. Utvikle et felles tilbud om kollektivtransport.",
        ),
        Draw::Text(60.0, 760.0, "Tiltakene følges opp i årsrapporten."),
    ];
    let bytes = make_pdf(&[p1, p2]);
    let doc = plansjekk::ingest::ingest(&bytes, &Default::default()).unwrap();
    let blocks: Vec<&str> = doc.blocks().map(|b| b.text.as_str()).collect();
    let at = |t: &str| blocks.iter().position(|b| b.starts_with(t)).unwrap();
    assert_eq!(
        blocks[at("Styrke")],
        "Styrke rekrutteringen av sykepleiere og leger til alle kommunene i regionen."
    );
    // The list goes on after item 2; the footnotes follow it, each a paragraph.
    assert_eq!(at("Utvikle"), at("Styrke") + 1, "{blocks:#?}");
    assert!(blocks.contains(&"1 Vedtak i formannskapet 12. mars 2024."));
    assert!(blocks.contains(&"2 Se rapporten fra 2023."));
    // "tre tiltak" and three items: nothing to report.
    let r = process_pdf("liste.pdf", &bytes).unwrap();
    assert!(r.findings.is_empty(), "{:#?}", r.findings);
}

#[test]
fn a_header_turned_on_its_side_is_read_in_its_own_direction() {
    // Narrow money columns headed by text set bottom to top.
    let (top, head, bottom) = (700.0, 640.0, 580.0);
    let xs = [60.0, 200.0, 260.0, 320.0];
    let mut page = Vec::new();
    for y in [top, head, 620.0, 600.0, bottom] {
        page.push(Draw::Rule(xs[0], y, xs[3], y));
    }
    for x in xs {
        page.push(Draw::Rule(x, bottom, x, top));
    }
    page.extend([
        Draw::Text(63.0, 646.0, "Tiltak"),
        Draw::Up(235.0, 645.0, "Kommune"),
        Draw::Up(295.0, 645.0, "Fylke"),
        Draw::Text(63.0, 626.0, "Kurs"),
        Draw::Text(205.0, 626.0, "10 000"),
        Draw::Text(265.0, 626.0, "5 000"),
        Draw::Text(63.0, 606.0, "Reise"),
        Draw::Text(205.0, 606.0, "2 000"),
        Draw::Text(265.0, 606.0, "1 000"),
        Draw::Text(63.0, 586.0, "Sum"),
        Draw::Text(205.0, 586.0, "12 000"),
        Draw::Text(265.0, 586.0, "6 000"),
    ]);
    let r = process_pdf("snudd.pdf", &make_pdf(&[page])).unwrap();
    assert_eq!(
        r.tables[0].header,
        ["Tiltak", "Kommune", "Fylke"],
        "{:#?}",
        r.tables
    );
    assert!(r.findings.is_empty(), "{:#?}", r.findings);
}

#[test]
fn a_borderless_cell_wrapped_onto_a_second_line_stays_in_its_row() {
    let mut page = vec![
        Draw::Text(60.0, 760.0, "Tiltak"),
        right(250.0, 760.0, "2025"),
        right(350.0, 760.0, "2026"),
        Draw::Text(60.0, 745.0, "Kurs for ledere i"),
        right(250.0, 745.0, "100 000"),
        right(350.0, 745.0, "50 000"),
        Draw::Text(60.0, 733.0, "kommunene"),
        Draw::Text(60.0, 718.0, "Reise"),
        right(250.0, 718.0, "20 000"),
        right(350.0, 718.0, "10 000"),
        Draw::Text(60.0, 703.0, "Sum"),
        right(250.0, 703.0, "120 000"),
        right(350.0, 703.0, "60 000"),
    ];
    // Running text right under the table is not a cell of its last row.
    page.push(Draw::Text(60.0, 690.0, "Tallene er foreløpige."));
    let r = process_pdf("ombrutt.pdf", &make_pdf(&[page])).unwrap();
    let t = table_with(&r, "Reise");
    let labels: Vec<&str> = t.rows.iter().map(|r| r[0].as_str()).collect();
    assert_eq!(
        labels,
        ["Kurs for ledere i kommunene", "Reise", "Sum"],
        "{t:#?}"
    );
    assert!(r.findings.is_empty(), "{:#?}", r.findings);
}

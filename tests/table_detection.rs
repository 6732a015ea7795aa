//! Table detection on untagged PDFs, shape by shape, as published reports
//! set their tables: rows of figures ruled only under the header and at the
//! foot, a header ruled into columns over a body ruled between rows only,
//! cells wrapped over several lines, figures set without thousands spaces
//! close together, group labels between rows, and the things that are not
//! tables (prose in two columns, a chart's gridlines with a few labels).

mod common;

use common::{make_pdf, process_pdf, Draw};
use plansjekk::record::{Record, TableRec};

fn read(pages: &[Vec<Draw>]) -> Record {
    process_pdf("tabell.pdf", &make_pdf(pages)).unwrap()
}

fn grid(t: &TableRec) -> Vec<Vec<String>> {
    let mut rows = vec![t.header.clone()];
    rows.extend(t.rows.iter().cloned());
    rows
}

fn only_table(r: &Record) -> &TableRec {
    assert_eq!(r.tables.len(), 1, "{:#?}", r.tables);
    &r.tables[0]
}

fn rule(x0: f32, y0: f32, x1: f32, y1: f32) -> Draw<'static> {
    Draw::Rule(x0, y0, x1, y1)
}

#[test]
fn rows_of_figures_between_two_rules_are_rows() {
    // Verticals frame three columns; rules under the header and at the foot
    // only, the four body rows set between them.
    let mut p = vec![Draw::Text(60.0, 780.0, "Table 1 Cases by country")];
    for y in [770.0, 750.0, 660.0] {
        p.push(rule(60.0, y, 360.0, y));
    }
    for x in [60.0, 180.0, 270.0, 360.0] {
        p.push(rule(x, 660.0, x, 770.0));
    }
    p.push(Draw::Text(64.0, 756.0, "Country"));
    p.push(Draw::Text(184.0, 756.0, "Cases"));
    p.push(Draw::Text(274.0, 756.0, "Rate"));
    let body = [
        ("Austria", "5821", "12.1"),
        ("Belgium", "5906", "9.4"),
        ("Cyprus", "17", "0.2"),
        ("Denmark", "3868", "7.7"),
    ];
    for (i, (a, b, c)) in body.iter().enumerate() {
        let y = 736.0 - 18.0 * i as f32;
        p.push(Draw::Text(64.0, y, a));
        p.push(Draw::Text(184.0, y, b));
        p.push(Draw::Text(274.0, y, c));
    }
    let r = read(&[p]);
    let g = grid(only_table(&r));
    assert_eq!(g.len(), 5, "{g:?}");
    assert_eq!(g[0], ["Country", "Cases", "Rate"]);
    assert_eq!(g[1], ["Austria", "5821", "12.1"]);
    assert_eq!(g[4], ["Denmark", "3868", "7.7"]);
}

#[test]
fn a_cell_wrapped_over_lines_stays_one_cell() {
    // A measures table: every column wraps, the years too ("2024," over "2025,").
    let mut p = vec![];
    for y in [770.0, 750.0, 700.0] {
        p.push(rule(60.0, y, 420.0, y));
    }
    for x in [60.0, 200.0, 330.0, 420.0] {
        p.push(rule(x, 700.0, x, 770.0));
    }
    p.push(Draw::Text(64.0, 756.0, "Tiltak"));
    p.push(Draw::Text(204.0, 756.0, "Ansvar"));
    p.push(Draw::Text(334.0, 756.0, "Periode"));
    for (i, (a, b, c)) in [
        ("Kompetansehevende", "Husbanken og", "2024,"),
        ("tiltak for kommunene", "kommunene", "2025,"),
        ("i regionen", "", "2026"),
    ]
    .iter()
    .enumerate()
    {
        let y = 738.0 - 12.0 * i as f32;
        p.push(Draw::Text(64.0, y, a));
        if !b.is_empty() {
            p.push(Draw::Text(204.0, y, b));
        }
        p.push(Draw::Text(334.0, y, c));
    }
    let r = read(&[p]);
    let g = grid(only_table(&r));
    assert_eq!(g.len(), 2, "{g:?}");
    assert_eq!(
        g[1],
        [
            "Kompetansehevende tiltak for kommunene i regionen",
            "Husbanken og kommunene",
            "2024, 2025, 2026"
        ]
    );
}

#[test]
fn a_header_ruled_into_columns_keeps_them_in_a_body_ruled_between_rows() {
    // Verticals in the header band only; the body has rules between rows.
    let mut p = vec![];
    let xs = [60.0, 200.0, 290.0, 380.0];
    for x in xs {
        p.push(rule(x, 750.0, x, 770.0));
    }
    for k in 0..5 {
        let y = 770.0 - 20.0 * k as f32;
        p.push(rule(60.0, y, 380.0, y));
    }
    p.push(Draw::Text(64.0, 756.0, "Country"));
    p.push(Draw::Text(204.0, 756.0, "Domestic (%)"));
    p.push(Draw::Text(294.0, 756.0, "Total (n)"));
    for (i, (a, b, c)) in [
        ("Austria", "92.9", "5,821"),
        ("Belgium", "0", "5,906"),
        ("EU Total", "61.6", "200,507"),
    ]
    .iter()
    .enumerate()
    {
        let y = 736.0 - 20.0 * i as f32;
        p.push(Draw::Text(64.0, y, a));
        p.push(Draw::Text(250.0, y, b));
        p.push(Draw::Text(340.0, y, c));
    }
    let r = read(&[p]);
    let g = grid(only_table(&r));
    assert_eq!(g[0], ["Country", "Domestic (%)", "Total (n)"]);
    assert_eq!(g[1], ["Austria", "92.9", "5,821"]);
    assert_eq!(g[3], ["EU Total", "61.6", "200,507"]);
}

#[test]
fn figures_set_close_without_thousands_spaces_are_separate_cells() {
    // Borderless: the label far from the figures, the figures about an em apart.
    let mut p = vec![Draw::Text(60.0, 780.0, "Tabell 2 Utslipp")];
    for (i, (a, b, c)) in [
        ("Område", "2022", "2023"),
        ("Nord", "52817", "43905"),
        ("Sør", "1204", "998"),
        ("Vest", "310", "12"),
    ]
    .iter()
    .enumerate()
    {
        let y = 750.0 - 14.0 * i as f32;
        p.push(Draw::Text(60.0, y, a));
        p.push(Draw::Text(200.0, y, b));
        p.push(Draw::Text(240.0, y, c));
    }
    let r = read(&[p]);
    let g = grid(only_table(&r));
    assert_eq!(g[0], ["Område", "2022", "2023"]);
    assert_eq!(g[1], ["Nord", "52817", "43905"]);
    assert_eq!(g[3], ["Vest", "310", "12"]);
}

#[test]
fn a_group_label_between_rows_stays_in_the_table() {
    let mut p = vec![Draw::Text(60.0, 780.0, "Table 3 Deaths by sex")];
    let rows: [(&str, &str, &str); 6] = [
        ("Group", "Deaths", "Rate"),
        ("Women", "", ""),
        ("45-54", "1564", "56.0"),
        ("55-64", "2636", "147.8"),
        ("Men", "", ""),
        ("45-54", "3140", "130.9"),
    ];
    for (i, (a, b, c)) in rows.iter().enumerate() {
        let y = 750.0 - 16.0 * i as f32;
        p.push(Draw::Text(60.0, y, a));
        if !b.is_empty() {
            p.push(Draw::Text(200.0, y, b));
            p.push(Draw::Text(280.0, y, c));
        }
    }
    let r = read(&[p]);
    let g = grid(only_table(&r));
    let labels: Vec<&str> = g.iter().map(|r| r[0].as_str()).collect();
    assert_eq!(labels, ["Group", "Women", "45-54", "55-64", "Men", "45-54"]);
    assert_eq!(g[4], ["Men", "", ""]);
}

#[test]
fn prose_in_two_columns_is_not_a_table() {
    let left = [
        "The survey was carried out in the spring",
        "and covers every county of the region, with",
        "a response rate that varied between areas",
        "and was lowest in the largest towns.",
    ];
    let right = [
        "Results are weighted to the population and",
        "compared with the previous survey where the",
        "questions were asked in the same way, so that",
        "changes over time can be read directly.",
    ];
    let mut p = vec![];
    for (i, (a, b)) in left.iter().zip(&right).enumerate() {
        let y = 750.0 - 12.0 * i as f32;
        p.push(Draw::Text(60.0, y, a));
        p.push(Draw::Text(320.0, y, b));
    }
    let r = read(&[p]);
    assert!(r.tables.is_empty(), "{:#?}", r.tables);
}

#[test]
fn a_charts_gridlines_around_a_few_labels_are_not_a_table() {
    // A 6 × 6 grid of gridlines with three data labels and an axis row.
    let mut p = vec![];
    for k in 0..7 {
        let y = 760.0 - 20.0 * k as f32;
        p.push(rule(60.0, y, 360.0, y));
        let x = 60.0 + 50.0 * k as f32;
        p.push(rule(x, 640.0, x, 760.0));
    }
    p.push(Draw::Text(70.0, 745.0, "40"));
    p.push(Draw::Text(170.0, 705.0, "25.3"));
    p.push(Draw::Text(270.0, 665.0, "12.8"));
    p.push(Draw::Text(320.0, 645.0, "2009"));
    let r = read(&[p]);
    assert!(r.tables.is_empty(), "{:#?}", r.tables);
}

/// A landscape page as many producers make one: a portrait page drawn
/// sideways and marked `/Rotate 90`, so that the viewer turns it clockwise.
/// `page` is laid out as the reader sees it (842 wide, 595 high).
fn landscape(page: Vec<Draw<'static>>) -> Vec<u8> {
    let sideways = page
        .into_iter()
        .map(|d| match d {
            Draw::Text(x, y, t) => Draw::Up(595.0 - y, x, t),
            Draw::Rule(x0, y0, x1, y1) => Draw::Rule(595.0 - y0, x0, 595.0 - y1, x1),
            other => other,
        })
        .collect();
    let mut pdf = lopdf::Document::load_mem(&make_pdf(&[sideways])).unwrap();
    let page_id = pdf.get_pages()[&1];
    pdf.get_dictionary_mut(page_id)
        .unwrap()
        .set("Rotate", lopdf::Object::Integer(90));
    let mut bytes = Vec::new();
    pdf.save_to(&mut bytes).unwrap();
    bytes
}

#[test]
fn a_table_on_a_page_turned_for_display_keeps_its_rows() {
    // Read in drawing space, the rows would stand as columns.
    let mut p = vec![];
    for y in [560.0, 540.0, 470.0] {
        p.push(rule(60.0, y, 500.0, y));
    }
    for x in [60.0, 300.0, 400.0, 500.0] {
        p.push(rule(x, 470.0, x, 560.0));
    }
    p.push(Draw::Text(64.0, 546.0, "Topic"));
    p.push(Draw::Text(304.0, 546.0, "Enquiries"));
    p.push(Draw::Text(404.0, 546.0, "Share"));
    let body = [
        ("EU institutions", "3597", "24.2"),
        ("Air passenger rights", "1726", "11.6"),
        ("Customs and taxation", "556", "3.7"),
    ];
    for (i, (a, b, c)) in body.iter().enumerate() {
        let y = 524.0 - 20.0 * i as f32;
        p.push(Draw::Text(64.0, y, a));
        p.push(Draw::Text(304.0, y, b));
        p.push(Draw::Text(404.0, y, c));
    }
    let r = process_pdf("liggende.pdf", &landscape(p)).unwrap();
    let g = grid(only_table(&r));
    assert_eq!(g[0], ["Topic", "Enquiries", "Share"], "{g:?}");
    assert_eq!(g[1], ["EU institutions", "3597", "24.2"], "{g:?}");
    assert_eq!(g.len(), 4, "{g:?}");
}

//! The corpus's inconsistencies, established by reading the five documents
//! line by line and redoing every sum by hand (see the notes at each entry).
//! Every finding listed must be reported — rule, line, stated and computed
//! figure — and nothing else may be: a consistent table or text that raises a
//! finding is a false alarm and fails this test.

mod common;

use plansjekk::record::Finding;

/// (rule, line of the primary location, stated, computed, severity)
type Expected = (&'static str, u32, Option<f64>, Option<f64>, &'static str);

fn check(file: &str, expected: &[Expected]) {
    let rec = common::process(&common::corpus(file)).expect("reads");
    let shown = |f: &Finding| {
        format!(
            "{} l{} {:?}/{:?} {}: {}",
            f.rule, f.locations[0].line, f.stated, f.computed, f.severity, f.message
        )
    };
    let mut missing = Vec::new();
    for (rule, line, stated, computed, severity) in expected {
        let found = rec.findings.iter().any(|f| {
            f.rule == *rule
                && f.locations[0].line == *line
                && f.stated == *stated
                && f.computed == *computed
                && f.severity == *severity
        });
        if !found {
            missing.push(format!("{rule} l{line} {stated:?}/{computed:?} {severity}"));
        }
    }
    let extra: Vec<String> = rec
        .findings
        .iter()
        .filter(|f| {
            !expected.iter().any(|(r, l, s, c, _)| {
                f.rule == *r && f.locations[0].line == *l && f.stated == *s && f.computed == *c
            })
        })
        .map(shown)
        .collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "{file}\nmissing:\n  {}\nfalse alarms:\n  {}\nall:\n  {}",
        missing.join("\n  "),
        extra.join("\n  "),
        rec.findings
            .iter()
            .map(shown)
            .collect::<Vec<_>>()
            .join("\n  ")
    );
}

#[test]
fn action_plan() {
    check(
        "handlingsplan-2025-bygdevekst-indre-namdal.txt",
        &[
            // "Tabellen under pkt. 5 gir oversikt over finansiering", but section 5
            // is "Lokal og regional forankring"; the financing tables are in 6 and 7.
            ("cross-reference", 61, None, None, "warning"),
            // Contents vs title block: "Bygdevekstavtale" / "Bygdevekstavgift",
            // "(oppdatert 13.des 2024)" / "(oppdatert 15.jan 2025)".
            ("toc-mismatch", 8, None, None, "warning"),
            ("toc-mismatch", 9, None, None, "warning"),
            // Contents "risikoreduserende", heading "risikoreducerende".
            ("toc-mismatch", 31, None, None, "warning"),
            // "Tiltak 4 Kompetansestrategi" (Delmål 1) is missing from the contents.
            ("toc-mismatch", 191, None, None, "warning"),
            // Overview table, Delmål 7: both measures numbered "1.".
            ("numbering", 106, Some(1.0), Some(2.0), "warning"),
            // The design card: "Til sammen settes det av 1 800 000 kr"; the overview
            // table's Til sammen is 1 900 000 (= 500+600+100+200+500 thousand).
            (
                "text-vs-table",
                117,
                Some(1_800_000.0),
                Some(1_900_000.0),
                "error",
            ),
            // "ramme på 800 000 kr i 2025"; table 900 000 (500+100+300 thousand).
            (
                "text-vs-table",
                244,
                Some(800_000.0),
                Some(900_000.0),
                "error",
            ),
            // Tiltak 6.1: 560 000 + 800 000 = 1 360 000 in the text, 1 400 000 in the table.
            (
                "text-vs-table",
                564,
                Some(1_360_000.0),
                Some(1_400_000.0),
                "error",
            ),
            // Delmål 7: 200 000 in the text, 250 000 (50+200 thousand) in the table.
            (
                "text-vs-table",
                601,
                Some(200_000.0),
                Some(250_000.0),
                "error",
            ),
            // "vedtatt i styringsgruppen 13. desember 2025" in a plan dated 15.01.2025.
            ("date-conflict", 635, None, None, "error"),
            // Section 6: row 2 is 2 000 000 but 900+600+600 thousand = 2 100 000 …
            (
                "row-sum",
                646,
                Some(2_000_000.0),
                Some(2_100_000.0),
                "error",
            ),
            // … and the 2026 column sums to 6 400 000 against SUM 6 300 000: the
            // one cell 600 000 (row 2, 2026) reconciles both.
            (
                "column-sum",
                654,
                Some(6_300_000.0),
                Some(6_400_000.0),
                "error",
            ),
            // Section 7, row 1: 1 900 + 705 + 600 + 2 000 + 600 thousand = 5 805 000, not 5 305 000.
            (
                "row-sum",
                659,
                Some(5_305_000.0),
                Some(5_805_000.0),
                "error",
            ),
            // Row 6 includes Statsforvalteren's 890 000, which the text says is
            // frozen and not in the plan: explained, so a warning.
            (
                "row-sum",
                664,
                Some(2_100_000.0),
                Some(2_990_000.0),
                "warning",
            ),
            // SUM row: Totalbudsjett 17 485 000, items 16 210 000.
            (
                "column-sum",
                668,
                Some(17_485_000.0),
                Some(16_210_000.0),
                "error",
            ),
            // Kommunal egenandel: 2 645 000 = the items without row 9 "Avsetning …" (315 000).
            (
                "column-sum",
                668,
                Some(2_645_000.0),
                Some(2_960_000.0),
                "warning",
            ),
            // Statsforvalteren: SUM 680 000, items 2 000 000 + 890 000.
            (
                "column-sum",
                668,
                Some(680_000.0),
                Some(2_890_000.0),
                "error",
            ),
        ],
    );
}

#[test]
fn county_programme() {
    check(
        "handlingsprogram-regional-plan-inkluderende-innlandet-2022.txt",
        // Contents "Interkommunal politiske råd", heading "Interkommunalt politiske råd".
        &[("toc-mismatch", 10, None, None, "warning")],
    );
}

/// The accounts table (øre, a 9/12 periodised budget), the committee of 9
/// (4 + 4 + 1) and "de 8 kommunene" with eight names all add up.
#[test]
fn bolyst_report_is_consistent() {
    check("bolyst-arsrapport-2014-midt-troms.txt", &[]);
}

/// The shares 10,9 + 4,8 + 0,2 + 9,1 + 35,7 + 39,3 make 100,0 %; the
/// adoption dates after 27 August 2009 are the record of its adoption.
#[test]
fn strategy_is_consistent() {
    check("strategi-vaernesregionen-2009.txt", &[]);
}

/// "14 utvalgte distriktskommuner": 4 + 4 + 6 listed; "To kjennetegn": 2 bullets.
#[test]
fn article_is_consistent() {
    check("distriktssenteret-veiledningspiloten.txt", &[]);
}

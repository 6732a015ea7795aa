//! `comparison.csv` on the bundled corpus: facts read from the documents.

use std::collections::BTreeMap;
use std::path::PathBuf;

use plansjekk::emit::compare::{render_text, Comparison};
use plansjekk::ingest::IngestOptions;
use plansjekk::pipeline::process_file;
use plansjekk::record::slug;

mod common;

/// The comparison of the top-level corpus files: the header, and each row as
/// column → cell, by document id; and the terminal table.
fn corpus_comparison() -> (
    Vec<String>,
    BTreeMap<String, BTreeMap<String, String>>,
    String,
) {
    let mut inputs: Vec<PathBuf> = std::fs::read_dir(common::root().join("corpus"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .collect();
    inputs.sort();
    let mut cmp = Comparison::new();
    for path in &inputs {
        let rec = process_file(path, &slug(path), &IngestOptions::default())
            .unwrap_or_else(|e| panic!("{}: {e:?}", path.display()));
        cmp.add(&rec);
    }
    let text = render_text(cmp.rows());
    let dir = common::tempdir("compare-corpus");
    let path = dir.join("comparison.csv");
    cmp.finish(&path).unwrap();
    let mut reader = csv::Reader::from_path(&path).unwrap();
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    let rows = reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            let row: BTreeMap<String, String> = header
                .iter()
                .cloned()
                .zip(r.iter().map(String::from))
                .collect();
            (row["document"].clone(), row)
        })
        .collect();
    (header, rows, text)
}

const PLAN_TXT: &str = "handlingsplan-2025-bygdevekst-indre-namdal-txt";
const PLAN_PDF: &str = "handlingsplan-2025-bygdevekst-indre-namdal-pdf";
const ARTICLE: &str = "distriktssenteret-veiledningspiloten-txt";
const PROGRAMME: &str = "handlingsprogram-regional-plan-inkluderende-innlandet-2022-txt";

fn money(cell: &str) -> f64 {
    cell.parse()
        .unwrap_or_else(|_| panic!("a money cell: {cell:?}"))
}

#[test]
fn corpus_rows() {
    let (header, rows, text) = corpus_comparison();
    let year_columns: Vec<&String> = header
        .iter()
        .filter(|h| h.starts_with("budget_") && *h != "budget_total")
        .filter(|h| h[7..].parse::<i32>().is_ok())
        .collect();
    let plan = &rows[PLAN_TXT];

    // The txt and pdf renderings of the handlingsplan give the same row, but
    // for the id and one source name: the PDF's financing table breaks its
    // header cell as "Off entlige tilskuddsordninge r" (an ingest defect), so
    // source names are compared without spaces.
    let pdf = &rows[PLAN_PDF];
    for column in &header {
        match column.as_str() {
            "document" => {}
            "by_source" => assert_eq!(
                plan[column].replace(' ', ""),
                pdf[column].replace(' ', ""),
                "by_source"
            ),
            _ => assert_eq!(plan[column], pdf[column], "{column}"),
        }
    }

    // "Kommunene Røyrvik, Namsskogan, Lierne og Grong har inngått avtale med
    // staten ved Kommunal- og distriktsdepartementet (KDD) og Trøndelag
    // Fylkeskommune … i perioden 2024 – 2027": the ministry is a party, not
    // the region.
    assert_eq!(
        plan["region"],
        "Røyrvik kommune; Namsskogan kommune; Lierne kommune; Grong kommune; \
         Trøndelag fylkeskommune"
    );
    assert!(plan["parties"].contains("Kommunal- og distriktsdepartementet"));
    assert_eq!(
        (plan["period_from"].as_str(), plan["period_to"].as_str()),
        ("2024-01-01", "2027-12-31")
    );
    assert_eq!(
        (plan["goals"].as_str(), plan["measures"].as_str()),
        ("7", "24")
    );

    // Table 7 "Samlet budsjett og finansiering 2025": the KDD column's SUM is
    // 8 550 000, though its first seven figures repeat the overview table's
    // delmål totals (which name no source); Fylkeskommunen's column holds
    // 600 000 + 200 000 + 1 500 000 + 100 000 (its SUM cell is empty), the
    // Statsforvalter's 2 000 000 + 890 000 (its SUM says 680 000: an error of
    // the document).
    let sources: BTreeMap<&str, f64> = plan["by_source"]
        .split("; ")
        .map(|s| {
            let (name, nok) = s.rsplit_once(": ").unwrap();
            (name, money(nok))
        })
        .collect();
    assert_eq!(sources["Kommunal- og distriktsdepartementet"], 8_550_000.0);
    assert_eq!(sources["Trøndelag fylkeskommune"], 2_400_000.0);
    assert_eq!(sources["Statsforvalteren i Trøndelag"], 2_890_000.0);

    // Every delmål carries a budget in the record (the overview table by
    // year), so the total is theirs (no measure's budget counted again).
    let rec = process_file(
        &common::corpus("handlingsplan-2025-bygdevekst-indre-namdal.txt"),
        PLAN_TXT,
        &IngestOptions::default(),
    )
    .unwrap();
    assert!(rec.goals.iter().all(|g| g.parent.is_none()));
    let goals: f64 = rec
        .goals
        .iter()
        .map(|g| g.budget.as_ref().and_then(|b| b.nok).unwrap())
        .sum();
    assert_eq!(money(&plan["budget_total"]), goals);
    // The document's own total is its period table's "SUM 21 050 000": the
    // seven delmål, "8 Prosjektledelse 6 000 000" and, in parentheses, a
    // reserve it leaves out.
    assert_eq!(money(&plan["stated_total"]), 21_050_000.0);
    assert_eq!(goals + 6_000_000.0, 21_050_000.0);
    let by_source: f64 = sources.values().sum();
    assert_eq!(money(&plan["by_source_total"]), by_source);
    let by_year: f64 = year_columns
        .iter()
        .filter(|c| !plan[**c].is_empty())
        .map(|c| money(&plan[*c]))
        .sum();
    // The year columns add up the goals' years; Delmål 2's row says
    // 2 000 000 in total but 900 000 + 600 000 + 600 000 by year (row-sum
    // reports it), so they need not make the total.
    let goal_years: f64 = rec
        .goals
        .iter()
        .flat_map(|g| g.budget.as_ref().unwrap().years.iter().map(|y| y.nok))
        .sum();
    assert_eq!(by_year, goal_years);
    assert_eq!(goal_years - goals, 100_000.0);
    for year in ["budget_2025", "budget_2026", "budget_2027"] {
        assert!(header.iter().any(|h| h == year), "{year} in {header:?}");
    }

    // Delmål 4 "Boligtiltak": three housing measures (Husbanken's schemes,
    // "Boligtiltak i distriktene", new schemes for housing).
    assert_eq!(plan["theme_bolig"], "3");

    // Documents without money: empty money cells, never 0.
    for id in [ARTICLE, PROGRAMME] {
        let row = &rows[id];
        assert_eq!(row["budget_total"], "", "{id}");
        assert_eq!(row["by_source"], "", "{id}");
        for c in &year_columns {
            assert_eq!(row[*c], "", "{id} {c}");
        }
        assert_eq!(row["measures_with_budget"], "0", "{id}");
    }
    // The article has no goals, measures or themes either.
    assert_eq!(rows[ARTICLE]["measures"], "0");
    assert_eq!(rows[ARTICLE]["main_themes"], "");
    assert_eq!(rows[ARTICLE]["theme_kompetanse"], "0");

    // The terminal table: a header and one line per document.
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), rows.len() + 1);
    assert!(lines[0].starts_with("document "));
    let plan_line = lines.iter().find(|l| l.starts_with(PLAN_TXT)).unwrap();
    assert!(plan_line.contains("  2024-2027  "), "{plan_line}");
    let article_line = lines.iter().find(|l| l.starts_with(ARTICLE)).unwrap();
    assert!(article_line.ends_with("  -  -"), "{article_line}");
}

/// A plan whose three sums of money differ, each for its own reason
/// (fixtures/compare/three-totals.txt): the two goals are budgeted 1 000 000
/// and 600 000 for the period; the table's SUM row says 2 000 000, for it
/// holds project management (400 000) too; the financing table, for 2025
/// only, names its sources: 400 000 + 200 000 from the ministry, 100 000 +
/// 100 000 from the municipalities.
#[test]
fn three_totals_of_one_plan_are_told_apart() {
    let path = common::root().join("fixtures/compare/three-totals.txt");
    let rec = process_file(&path, &slug(&path), &IngestOptions::default()).unwrap();
    let mut cmp = Comparison::new();
    cmp.add(&rec);
    let row = &cmp.rows()[0];
    let kr = plansjekk::norsk::Amount::from_kroner;
    assert_eq!(row.budget_total, Some(kr(1_600_000)));
    assert_eq!(row.stated_total, Some(kr(2_000_000)));
    assert_eq!(row.by_source_total(), Some(kr(800_000)));
    let stated = rec.stated_total.as_deref().unwrap();
    let a = rec.amounts.iter().find(|a| a.id == stated).unwrap();
    let table = rec
        .tables
        .iter()
        .find(|t| Some(&t.id) == a.cell.as_ref().map(|c| &c.table))
        .unwrap();
    assert_eq!(table.rows[a.cell.as_ref().unwrap().row - 1][0], "SUM");

    let text = render_text(cmp.rows());
    let header = text.lines().next().unwrap();
    for name in ["budgets", "stated total", "by source"] {
        assert!(header.contains(name), "{header}");
    }
    assert!(
        text.lines()
            .nth(1)
            .unwrap()
            .contains("1 600 000     2 000 000    800 000"),
        "{text}"
    );
    let dir = common::tempdir("compare-three");
    cmp.finish(&dir.join("comparison.csv")).unwrap();
    let csv = std::fs::read_to_string(dir.join("comparison.csv")).unwrap();
    let mut lines = csv.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let cells: Vec<&str> = lines.next().unwrap().split(',').collect();
    let cell = |name: &str| cells[header.iter().position(|h| *h == name).unwrap()];
    assert_eq!(cell("budget_total"), "1600000.00");
    assert_eq!(cell("stated_total"), "2000000.00");
    assert_eq!(cell("by_source_total"), "800000.00");
}

//! Spreadsheets (issue 24, item 1): workbooks read into the same records as
//! other formats, findings pointing at sheet cells, `formula-range` on a SUM
//! that misses a row, and hostile workbooks failing alone with a clear class.
//!
//! The fixtures are written by `tests/fixtures/sheets/make.py` (standard
//! library only); the `.xls` ones by `make_xls.py`, through LibreOffice. Batch 1 (`budsjett-*`, `rett-*`) was tuned on; batch 2
//! (`blind-*`) was written, with its expectations below, before any of it
//! was run. Its first run scored 5/6: blind-zero-row's missed zero row is
//! a notice, which the scorer then counted though a run leaves notices out;
//! the scorer now counts what a run shows, and the notice has its own test.

mod common;

use std::io::Write;
use std::path::PathBuf;

use plansjekk::ingest::{ingest, IngestOptions};
use plansjekk::pipeline::process_bytes;
use plansjekk::record::Record;

fn fixture(name: &str) -> Vec<u8> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sheets");
    std::fs::read(p.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn record(name: &str) -> Record {
    process_bytes(name, "doc", &fixture(name), &IngestOptions::default())
        .unwrap_or_else(|e| panic!("{name}: {}", e.message))
}

/// (fixture, tables, findings as (rule, cell reference of the first place)).
type Expected = (&'static str, usize, &'static [(&'static str, &'static str)]);

const BATCH1: &[Expected] = &[
    (
        "budsjett-formelfeil.xlsx",
        1,
        &[("formula-range", "Budsjett!B10")],
    ),
    ("rett-budsjett.xlsx", 1, &[]),
    (
        "budsjett-delte-strenger.xlsx",
        1,
        &[("formula-range", "Kostnader!B5")],
    ),
    (
        "budsjett-avsetning.xlsx",
        1,
        &[("formula-range", "Budsjett!B5")],
    ),
    (
        "budsjett-formelfeil.xls",
        1,
        &[("formula-range", "Budsjett!B10")],
    ),
    (
        "budsjett-skjult.xls",
        1,
        &[("formula-range", "Kostnader!B5")],
    ),
    ("budsjett-format.xls", 1, &[]),
    ("budsjett-format.ods", 1, &[]),
    ("rett-delsummar.ods", 1, &[]),
    (
        "budsjett-delsum-feil.ods",
        1,
        &[("formula-range", "Budsjett!B11")],
    ),
    (
        "budsjett-delsum-feil.xlsx",
        1,
        &[("formula-range", "Budsjett!B11")],
    ),
    ("rett-to-omrade.ods", 1, &[]),
    (
        "budsjett-to-omrade-feil.xls",
        1,
        &[("formula-range", "Budsjett!B8")],
    ),
];

const BATCH2: &[Expected] = &[
    (
        "blind-nynorsk-tiltak.xlsx",
        1,
        &[("formula-range", "Tiltaksplan!C10")],
    ),
    (
        "blind-range-starts-late.xlsx",
        1,
        &[("formula-range", "Budsjett!B9")],
    ),
    (
        "blind-two-tables.xlsx",
        2,
        &[("formula-range", "'Finansiering og kostnader'!B10")],
    ),
    ("blind-zero-row.xlsx", 1, &[]),
    ("blind-subtotals.xlsx", 1, &[]),
    (
        "blind-ods-budsjett.ods",
        1,
        &[("formula-range", "Budsjett!B6")],
    ),
];

/// Batch 3 (`blind2-*`, made by `make_xls.py`): written after the XLS, ODS
/// format and formula-range work was tuned, expectations first, then run.
/// Its first run scored 5/6: blind2-delsum.xls gave, beside the expected
/// formula-range on the short subtotal, a column-sum on the grand total
/// ("840 000 but the totals above sum to 810 000"): true, the same error
/// seen from the grand total, which adds up its items right while the
/// subtotal does not. It is expected below since; nothing was tuned on it.
const BATCH3: &[Expected] = &[
    (
        "blind2-finansiering.xls",
        1,
        &[("formula-range", "Finansiering!C8")],
    ),
    (
        "blind2-tiltak-nynorsk.ods",
        2,
        &[("formula-range", "Tiltak!D11")],
    ),
    ("blind2-aar-prosent.xlsx", 1, &[]),
    (
        "blind2-delsum.xls",
        1,
        &[
            ("formula-range", "Budsjett!B6"),
            ("column-sum", "Budsjett!B11"),
        ],
    ),
    (
        "blind2-to-omrade.ods",
        1,
        &[("formula-range", "'Budsjett 2025-2026'!C9")],
    ),
    ("blind2-fletta-skjult.xls", 1, &[]),
];

/// What a fixture gave, next to what it should: empty when they agree.
fn score(e: &Expected) -> Option<String> {
    let (name, tables, findings) = *e;
    let rec = record(name);
    // What a run shows: notices are kept in the record as built, and a run
    // leaves them out unless asked for.
    let got: Vec<(String, String)> = rec
        .findings
        .iter()
        .filter(|f| f.severity != "notice")
        .map(|f| {
            let at = f.locations.first().and_then(|l| l.cell.as_ref());
            let r = at.and_then(|c| c.reference.clone()).unwrap_or_default();
            (f.rule.clone(), r)
        })
        .collect();
    let want: Vec<(String, String)> = findings
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    (rec.tables.len() != tables || got != want).then(|| {
        format!(
            "{name}: {} tables (want {tables}), findings {got:?} (want {want:?})",
            rec.tables.len()
        )
    })
}

fn batch_score(batch: &[Expected]) -> (usize, Vec<String>) {
    let misses: Vec<String> = batch.iter().filter_map(score).collect();
    (batch.len() - misses.len(), misses)
}

#[test]
fn batch1_tuned_fixtures_all_match() {
    let (ok, misses) = batch_score(BATCH1);
    assert!(misses.is_empty(), "{ok}/{}: {misses:#?}", BATCH1.len());
}

#[test]
fn batch3_blind_fixtures_all_match() {
    let (ok, misses) = batch_score(BATCH3);
    assert!(misses.is_empty(), "{ok}/{}: {misses:#?}", BATCH3.len());
}

#[test]
fn batch2_blind_fixtures_all_match() {
    let (ok, misses) = batch_score(BATCH2);
    assert!(misses.is_empty(), "{ok}/{}: {misses:#?}", BATCH2.len());
}

#[test]
fn a_budget_sheet_reads_into_tables_amounts_and_cell_provenance() {
    let rec = record("budsjett-formelfeil.xlsx");
    assert_eq!(rec.source.format, "xlsx");
    let t = &rec.tables[0];
    assert_eq!(
        t.title.as_deref(),
        Some("Handlingsplan for Bygdevekst 2025–2026")
    );
    assert!(
        t.header.iter().any(|h| h.contains("Kostnad")),
        "{:?}",
        t.header
    );
    // 5 items in two year columns, and the two totals.
    assert_eq!(rec.amounts.len(), 12);
    let a = rec.amounts.iter().find(|a| a.nok == 230_000.0).unwrap();
    assert_eq!(a.year, Some(2025));
    let cell = a.cell.as_ref().unwrap();
    assert_eq!(cell.reference.as_deref(), Some("Budsjett!B9"));
    assert!(rec
        .source
        .warnings
        .iter()
        .any(|w| w.message.contains("hidden columns D")));
    let f = &rec.findings[0];
    assert_eq!(f.severity, "error");
    assert_eq!(f.confidence, "high");
    assert!(
        f.message
            .contains("sums B5:B8 but the table's items are B5:B9"),
        "{}",
        f.message
    );
    let total = f.locations[0].cell.as_ref().unwrap();
    assert_eq!(total.formula.as_deref(), Some("SUM(B5:B8)"));
    assert_eq!(
        (f.stated, f.computed),
        (Some(1_170_000.0), Some(1_400_000.0))
    );
}

#[test]
fn a_range_missing_a_zero_row_is_only_a_notice() {
    let rec = record("blind-zero-row.xlsx");
    let f: Vec<_> = rec
        .findings
        .iter()
        .map(|f| (&*f.severity, &*f.confidence))
        .collect();
    assert_eq!(f, [("notice", "low")]);
}

#[test]
fn hidden_sheets_and_rows_are_read_and_said_to_be_hidden() {
    let rec = record("budsjett-delte-strenger.xlsx");
    let warnings: Vec<&str> = rec.source.warnings.iter().map(|w| &*w.message).collect();
    assert_eq!(
        warnings,
        [
            "Kostnader: hidden rows 3 are read with the rest",
            "sheet Notat is hidden; it is read"
        ]
    );
    assert!(rec.amounts.iter().any(|a| a.nok == 250_000.0));
}

#[test]
fn a_reservation_left_out_of_the_range_is_a_warning() {
    let rec = record("budsjett-avsetning.xlsx");
    assert_eq!(rec.findings[0].severity, "warning");
    assert!(rec.findings[0]
        .hint
        .as_deref()
        .unwrap()
        .contains("reservation"));
}

#[test]
fn merged_header_cells_are_spans() {
    let doc = ingest(
        &fixture("budsjett-formelfeil.xlsx"),
        &IngestOptions::default(),
    )
    .unwrap();
    let (_, table) = doc.tables().next().unwrap();
    let kostnad = table.rows[0]
        .cells
        .iter()
        .find(|c| c.text == "Kostnad")
        .unwrap();
    assert_eq!(kostnad.col_span, 2);
}

#[test]
fn every_sheet_record_is_schema_valid() {
    let schema: serde_json::Value =
        serde_json::from_str(include_str!("../schemas/document.schema.json")).unwrap();
    let v = jsonschema::draft202012::new(&schema).unwrap();
    for (name, ..) in BATCH1.iter().chain(BATCH2) {
        let rec = serde_json::to_value(record(name)).unwrap();
        let errors: Vec<String> = v.iter_errors(&rec).map(|e| e.to_string()).take(3).collect();
        assert!(errors.is_empty(), "{name}: {errors:?}");
    }
}

#[test]
fn the_same_workbook_gives_the_same_record() {
    let a = serde_json::to_string(&record("blind-two-tables.xlsx")).unwrap();
    let b = serde_json::to_string(&record("blind-two-tables.xlsx")).unwrap();
    assert_eq!(a, b);
}

/// A workbook zip with the given parts, deflated.
fn workbook(parts: &[(&str, &[u8])]) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut out);
    let deflated = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let stored = deflated.compression_method(zip::CompressionMethod::Stored);
    for (name, data) in parts {
        // An ODS stores its media type first, uncompressed.
        let opts = if *name == "mimetype" {
            stored
        } else {
            deflated
        };
        zip.start_file(*name, opts).unwrap();
        zip.write_all(data).unwrap();
    }
    zip.finish().unwrap();
    out.into_inner()
}

const ROOT: &[u8] = br#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;
const BOOK: &[u8] = br#"<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="A" sheetId="1" r:id="rId1"/></sheets></workbook>"#;
const RELS: &[u8] = br#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#;

const RELS_SST: &[u8] = br#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#;

fn class_of(bytes: &[u8], options: &IngestOptions) -> String {
    match ingest(bytes, options) {
        Ok(_) => "ok".into(),
        Err(e) if e.class() != "limit" => format!("{}: {e}", e.class()),
        Err(e) => e.class().to_string(),
    }
}

#[test]
fn hostile_workbooks_fail_alone_with_a_limit() {
    let start = std::time::Instant::now();
    // Shared strings of 80 MiB (a zip bomb: a few hundred KiB on disk).
    let mut strings = b"<sst><si><t>".to_vec();
    strings.resize(80 << 20, b'a');
    let bomb = workbook(&[
        ("_rels/.rels", ROOT),
        ("xl/workbook.xml", BOOK),
        ("xl/_rels/workbook.xml.rels", RELS),
        ("xl/sharedStrings.xml", &strings),
        (
            "xl/worksheets/sheet1.xml",
            b"<worksheet><sheetData/></worksheet>",
        ),
    ]);
    assert!(bomb.len() < 1 << 20);
    assert_eq!(class_of(&bomb, &IngestOptions::default()), "limit");
    // One shared string of 1 MiB shown in 100 cells: 100 MiB of text.
    let mut sst = b"<sst><si><t>".to_vec();
    sst.resize(1 << 20, b'a');
    sst.extend_from_slice(b"</t></si></sst>");
    let mut many = String::from("<worksheet><sheetData><row r=\"1\">");
    for c in 0..100 {
        let col = format!(
            "{}{}",
            (b'A' + (c / 26) as u8) as char,
            (b'A' + (c % 26) as u8) as char
        );
        many.push_str(&format!("<c r=\"{col}1\" t=\"s\"><v>0</v></c>"));
    }
    many.push_str("</row></sheetData></worksheet>");
    let shown = workbook(&[
        ("_rels/.rels", ROOT),
        ("xl/workbook.xml", BOOK),
        ("xl/_rels/workbook.xml.rels", RELS_SST),
        ("xl/sharedStrings.xml", &sst),
        ("xl/worksheets/sheet1.xml", many.as_bytes()),
    ]);
    assert_eq!(class_of(&shown, &IngestOptions::default()), "limit");
    let roomy = IngestOptions {
        max_decompressed: 256 << 20,
        ..IngestOptions::default()
    };
    assert_eq!(class_of(&shown, &roomy), "ok");
    // A sheet of 30 000 filled cells against a cap of 10 000.
    let mut sheet = String::from("<worksheet><sheetData>");
    for r in 1..=3000 {
        sheet.push_str(&format!("<row r=\"{r}\">"));
        for c in ["A", "B", "C", "D", "E", "F", "G", "H", "I", "J"] {
            sheet.push_str(&format!("<c r=\"{c}{r}\"><v>{r}</v></c>"));
        }
        sheet.push_str("</row>");
    }
    sheet.push_str("</sheetData></worksheet>");
    let huge = workbook(&[
        ("_rels/.rels", ROOT),
        ("xl/workbook.xml", BOOK),
        ("xl/_rels/workbook.xml.rels", RELS),
        ("xl/worksheets/sheet1.xml", sheet.as_bytes()),
    ]);
    let small = IngestOptions {
        max_cells: 10_000,
        ..IngestOptions::default()
    };
    assert_eq!(class_of(&huge, &small), "limit");
    assert_eq!(class_of(&huge, &IngestOptions::default()), "ok");
    // Two cells at opposite corners of a sheet: two cells, not a grid.
    let corners = workbook(&[
        ("_rels/.rels", ROOT),
        ("xl/workbook.xml", BOOK),
        ("xl/_rels/workbook.xml.rels", RELS),
        (
            "xl/worksheets/sheet1.xml",
            br#"<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>Sum</t></is></c></row><row r="1048576"><c r="XFD1048576"><v>7</v></c></row></sheetData></worksheet>"#,
        ),
    ]);
    assert_eq!(class_of(&corners, &IngestOptions::default()), "ok");
    // An ODS repeating one filled cell over a million rows and a thousand columns.
    let content = br#"<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"><office:body><office:spreadsheet><table:table table:name="A"><table:table-row table:number-rows-repeated="1000000"><table:table-cell office:value-type="float" office:value="1" table:number-columns-repeated="1000"/></table:table-row></table:table></office:spreadsheet></office:body></office:document-content>"#;
    let ods = workbook(&[
        (
            "mimetype",
            b"application/vnd.oasis.opendocument.spreadsheet",
        ),
        ("content.xml", content),
    ]);
    assert_eq!(class_of(&ods, &IngestOptions::default()), "limit");
    assert!(start.elapsed().as_secs() < 60, "{:?}", start.elapsed());
}

#[test]
fn a_sum_of_two_ranges_names_both_and_the_row_it_misses() {
    let rec = record("budsjett-to-omrade-feil.xls");
    let f = &rec.findings[0];
    assert!(
        f.message
            .contains("sums B3:B4,B6 but the table's items are B3:B7: row 7 (\"Bil\""),
        "{}",
        f.message
    );
    let subtotal = record("budsjett-delsum-feil.ods");
    let total = subtotal.findings[0].locations[0].cell.as_ref().unwrap();
    assert_eq!(total.formula.as_deref(), Some("SUBTOTAL(9;B8:B9)"));
}

#[test]
fn an_xls_workbook_reads_as_its_xlsx_twin() {
    let xls = record("budsjett-formelfeil.xls");
    let xlsx = record("budsjett-formelfeil.xlsx");
    assert_eq!(xls.source.format, "xls");
    let amounts = |r: &Record| -> Vec<(f64, Option<String>)> {
        r.amounts
            .iter()
            .map(|a| (a.nok, a.cell.as_ref().and_then(|c| c.reference.clone())))
            .collect()
    };
    assert_eq!(amounts(&xls), amounts(&xlsx));
    assert_eq!(xls.tables[0].title, xlsx.tables[0].title);
    let total = xls.findings[0].locations[0].cell.as_ref().unwrap();
    assert_eq!(total.formula.as_deref(), Some("SUM(B5:B8)"));
    assert!(xls
        .source
        .warnings
        .iter()
        .any(|w| w.message.contains("hidden columns D")));
    let doc = ingest(
        &fixture("budsjett-formelfeil.xls"),
        &IngestOptions::default(),
    )
    .unwrap();
    let (_, table) = doc.tables().next().unwrap();
    let kostnad = table.rows[0].cells.iter().find(|c| c.text == "Kostnad");
    assert_eq!(kostnad.unwrap().col_span, 2);
}

#[test]
fn xls_and_ods_figures_keep_their_percent_and_currency_formats() {
    for name in ["budsjett-format.xls", "budsjett-format.ods"] {
        let doc = ingest(&fixture(name), &IngestOptions::default()).unwrap();
        let (_, table) = doc.tables().next().unwrap();
        let row: Vec<&str> = table.rows[1]
            .cells
            .iter()
            .map(|c| c.text.as_str())
            .collect();
        assert_eq!(
            row,
            ["Kurs for bønder", "120 000 kr", "24,0 %", "nytt"],
            "{name}"
        );
    }
    let hidden = record("budsjett-skjult.xls");
    let warnings: Vec<&str> = hidden.source.warnings.iter().map(|w| &*w.message).collect();
    assert_eq!(
        warnings,
        [
            "Kostnader: hidden rows 3 are read with the rest",
            "sheet Notat is hidden; it is read"
        ]
    );
}

/// The offset of the first record of type `typ` and data length `len` in
/// an .xls file's bytes (the fixtures' workbook streams lie in order).
fn record_at(bytes: &[u8], typ: u16, len: u16) -> usize {
    let head = [typ.to_le_bytes(), len.to_le_bytes()].concat();
    bytes
        .windows(4)
        .position(|w| w == head)
        .unwrap_or_else(|| panic!("no record {typ:#06x}"))
}

#[test]
fn hostile_xls_workbooks_fail_alone_and_fast() {
    let start = std::time::Instant::now();
    let good = fixture("budsjett-formelfeil.xls");
    let options = IngestOptions::default();
    assert_eq!(class_of(&good, &options), "ok");
    // DIMENSIONS declaring four billion rows: calamine would reserve them.
    let mut dims = good.clone();
    let at = record_at(&dims, 0x0200, 14) + 4;
    dims[at + 4..at + 8].copy_from_slice(&u32::MAX.to_le_bytes());
    assert_eq!(class_of(&dims, &options), "limit");
    // The total moved to row 65 536, column IV: a grid of 16 million.
    let mut far = good.clone();
    let at = record_at(&far, 0x0006, 35) + 4;
    far[at..at + 4].copy_from_slice(&[0xFF, 0xFF, 0xFF, 0x00]);
    assert_eq!(class_of(&far, &options), "limit");
    // The directory's sector chained to itself: calamine would loop.
    let mut cycle = good.clone();
    let dir = u32::from_le_bytes(cycle[48..52].try_into().unwrap()) as usize;
    let fat = u32::from_le_bytes(cycle[76..80].try_into().unwrap()) as usize;
    let entry = 512 + fat * 512 + dir * 4;
    cycle[entry..entry + 4].copy_from_slice(&(dir as u32).to_le_bytes());
    assert!(class_of(&cycle, &options).starts_with("corrupt"));
    // Cut anywhere: never a panic (a cut before the directory leaves an
    // OLE2 file of no known kind); cut after it, the workbook is damaged.
    for cut in (600..good.len()).step_by(97) {
        let class = class_of(&good[..cut], &options);
        let damaged = class.starts_with("corrupt") || class.starts_with("unsupported-format");
        assert!(damaged || class == "ok", "{cut}: {class}");
    }
    let cut = class_of(&good[..good.len() - 700], &options);
    assert!(cut.starts_with("corrupt"), "{cut}");
    // A small cell cap is a limit, as for XLSX.
    let small = IngestOptions {
        max_cells: 10,
        ..IngestOptions::default()
    };
    assert_eq!(class_of(&good, &small), "limit");
    assert!(start.elapsed().as_secs() < 30, "{:?}", start.elapsed());
}

/// Issue 24's "done when": a folder holding a plan's PDF, its budget
/// spreadsheet and a scanned annual report gives three records; the
/// spreadsheet's tables and findings are located by cell in the record,
/// findings.csv, amounts.csv, SARIF and the report; the scan's amounts
/// (and any findings) are marked as OCR'd.
#[test]
fn a_folder_of_plan_budget_and_scan_gives_three_records() {
    let tesseract = std::process::Command::new("tesseract")
        .arg("--list-langs")
        .output()
        .is_ok_and(|o| {
            String::from_utf8_lossy(&o.stdout)
                .lines()
                .any(|l| l.trim() == "nor")
        });
    if !tesseract {
        common::skip_unless_ci("tesseract with the Norwegian model is missing (apt-get install tesseract-ocr tesseract-ocr-nor)");
        return;
    }
    let dir = common::tempdir("done-when");
    let input = dir.join("plan");
    common::copy_corpus(&input, &["handlingsplan-2025-bygdevekst-indre-namdal.pdf"]);
    std::fs::write(
        input.join("budsjett-2025.xls"),
        fixture("budsjett-formelfeil.xls"),
    )
    .unwrap();
    let scan = common::root().join("tests/fixtures/scans/batch1-bolyst-regnskap.pdf");
    std::fs::copy(scan, input.join("arsrapport-skannet.pdf")).unwrap();
    let out = dir.join("out");
    let run = common::run_cli(&[], &out, &[&input]);
    assert_eq!(
        run.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let docs: Vec<String> = std::fs::read_dir(out.join("documents"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(docs.len(), 3, "{docs:?}");
    let read = |id: &str| -> Record {
        let text = std::fs::read_to_string(out.join("documents").join(format!("{id}.json")));
        serde_json::from_str(&text.unwrap()).unwrap()
    };
    // The spreadsheet: its table, figures and finding located by cell.
    let sheet = read("budsjett-2025-xls");
    assert_eq!(
        (sheet.source.format.as_str(), sheet.tables.len()),
        ("xls", 1)
    );
    let cells: Vec<&str> = sheet
        .amounts
        .iter()
        .filter_map(|a| a.cell.as_ref()?.reference.as_deref())
        .collect();
    assert_eq!(cells.len(), sheet.amounts.len());
    assert!(cells.contains(&"Budsjett!B9"), "{cells:?}");
    let f = &sheet.findings[0];
    assert_eq!(f.rule, "formula-range");
    let at = f.locations[0].cell.as_ref().unwrap();
    assert_eq!(at.reference.as_deref(), Some("Budsjett!B10"));
    let csv = std::fs::read_to_string(out.join("findings.csv")).unwrap();
    let mut rows = ::csv::Reader::from_reader(csv.as_bytes());
    let header = rows.headers().unwrap().clone();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let row = rows
        .records()
        .map(|r| r.unwrap())
        .find(|r| &r[col("rule")] == "formula-range")
        .expect("the spreadsheet's finding in findings.csv");
    assert_eq!(
        (&row[col("cell")], &row[col("formula")]),
        ("Budsjett!B10", "SUM(B5:B8)")
    );
    let amounts = std::fs::read_to_string(out.join("amounts.csv")).unwrap();
    assert!(amounts
        .lines()
        .any(|l| l.starts_with("budsjett-2025-xls,") && l.ends_with("Budsjett!B9")));
    let report = std::fs::read_to_string(out.join("report/budsjett-2025-xls.html")).unwrap();
    assert!(
        report.contains("Budsjett!B10 (text line"),
        "the report names the cell"
    );
    // The terminal says the cell too: the run's summary and `check`.
    let summary = String::from_utf8_lossy(&run.stderr);
    assert!(
        summary.contains("budsjett-2025-xls (Budsjett!B10, text line"),
        "{summary}"
    );
    let check = std::process::Command::new(env!("CARGO_BIN_EXE_plansjekk"))
        .args(["check", "--fail-on", "never"])
        .arg(input.join("budsjett-2025.xls"))
        .output()
        .unwrap();
    let check = String::from_utf8_lossy(&check.stdout);
    assert!(
        check.contains("budsjett-2025.xls (Budsjett!B10; text line"),
        "{check}"
    );
    let sarif = std::process::Command::new(env!("CARGO_BIN_EXE_plansjekk"))
        .args(["check", "--format", "sarif", "--fail-on", "never"])
        .arg(input.join("budsjett-2025.xls"))
        .output()
        .unwrap();
    let sarif: serde_json::Value = serde_json::from_slice(&sarif.stdout).unwrap();
    let logical = &sarif["runs"][0]["results"][0]["locations"][0]["logicalLocations"][0];
    assert_eq!(logical["fullyQualifiedName"], "Budsjett!B10");
    // The scanned report: read by OCR, its figures and findings say so.
    let scanned = read("arsrapport-skannet-pdf");
    assert!(!scanned.source.ocr.is_empty());
    assert!(!scanned.amounts.is_empty());
    assert!(scanned.amounts.iter().all(|a| a.ocr.is_some()));
    assert!(scanned.findings.iter().all(|f| f.ocr.is_some()));
    // The knowledge base holds the cell and the OCR confidence too.
    let kb = rusqlite::Connection::open(out.join("plansjekk.sqlite")).unwrap();
    let cell: String = kb
        .query_row(
            "SELECT cell FROM findings WHERE document = 'budsjett-2025-xls' AND rule = 'formula-range'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(cell, "Budsjett!B10");
    let (all, marked): (i64, i64) = kb
        .query_row(
            "SELECT count(*), count(ocr_confidence) FROM amounts WHERE document = 'arsrapport-skannet-pdf'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert!(
        all > 0 && marked == all,
        "{marked} of {all} OCR amounts marked"
    );
    let plan_marked: i64 = kb
        .query_row(
            "SELECT count(ocr_confidence) FROM amounts WHERE document = 'handlingsplan-2025-bygdevekst-indre-namdal-pdf'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(plan_marked, 0);
    // The plan's PDF: born digital, nothing marked, located by page.
    let plan = read("handlingsplan-2025-bygdevekst-indre-namdal-pdf");
    assert!(plan.source.ocr.is_empty() && plan.amounts.iter().all(|a| a.ocr.is_none()));
    assert!(plan.findings.iter().all(|f| f.locations[0].page.is_some()));
    let _ = std::fs::remove_dir_all(&dir);
}

//! Spreadsheets against PDFs of the same content (issue 24, item 4: a
//! spreadsheet must read at least as fast as the text of a PDF of the same
//! content). One budget workbook — 20 sheets of 10 tables each, a header,
//! 50 measures with five years of figures and a SUM row per table, some
//! 73 000 cells — is written as XLSX (shared strings and number formats, as
//! Excel writes them), as ODS, and drawn as a PDF with the same cells at
//! column positions (one table row a line, 55 lines a page, 220 pages);
//! with LibreOffice on PATH the XLSX is also saved as XLS. `plansjekk text`
//! (reading) and `plansjekk run --in-process` (reading, extraction, rules
//! and outputs) are measured on each in the same run: CPU seconds, best of
//! three, and peak RSS; and poppler's `pdftotext -layout` on the PDF, the
//! reference reader of a PDF's text.
//!
//! Run: `cargo bench --bench sheets`.

mod common;

use common::measure;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

const SHEETS: usize = 20;
const TABLES: usize = 10;
const ITEMS: usize = 50;
const YEARS: [u32; 5] = [2025, 2026, 2027, 2028, 2029];

/// One row of the workbook: texts, figures, or a total formula per year.
enum Cell {
    Text(String),
    Number(f64),
    Sum {
        col: usize,
        first: usize,
        last: usize,
        value: f64,
    },
}

/// The rows of one sheet (a blank row is an empty vector).
fn sheet_rows(s: usize) -> Vec<Vec<Cell>> {
    let mut rows = Vec::new();
    for t in 0..TABLES {
        let mut head = vec![Cell::Text("Tiltak".into()), Cell::Text("Ansvarleg".into())];
        head.extend(YEARS.iter().map(|y| Cell::Text(y.to_string())));
        rows.push(head);
        let first = rows.len();
        let mut sums = [0.0; YEARS.len()];
        for i in 0..ITEMS {
            let mut row = vec![
                Cell::Text(format!(
                    "Tiltak {}.{}.{} for næringsutvikling",
                    s + 1,
                    t + 1,
                    i + 1
                )),
                Cell::Text(["Kommunen", "Fylkeskommunen", "Næringsforeininga"][i % 3].into()),
            ];
            for (k, sum) in sums.iter_mut().enumerate() {
                let v = (((s * 7 + t * 13 + i * 31 + k * 17) % 90) + 10) as f64 * 5000.0;
                *sum += v;
                row.push(Cell::Number(v));
            }
            rows.push(row);
        }
        let last = rows.len() - 1;
        let mut total = vec![Cell::Text("Sum".into()), Cell::Text(String::new())];
        for (k, v) in sums.iter().enumerate() {
            total.push(Cell::Sum {
                col: 2 + k,
                first,
                last,
                value: *v,
            });
        }
        rows.push(total);
        rows.push(Vec::new());
    }
    rows
}

fn col_name(c: usize) -> String {
    ((b'A' + c as u8) as char).to_string()
}

fn escape(t: &str) -> String {
    t.replace('&', "&amp;").replace('<', "&lt;")
}

/// The workbook as XLSX: texts in shared strings, figures in "#,##0".
fn xlsx(sheets: &[Vec<Vec<Cell>>]) -> Vec<u8> {
    let mut strings: Vec<String> = Vec::new();
    let mut index = std::collections::HashMap::new();
    let mut parts: Vec<(String, String)> = Vec::new();
    for (n, rows) in sheets.iter().enumerate() {
        let mut xml = String::from("<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>");
        for (r, row) in rows.iter().enumerate() {
            xml.push_str(&format!("<row r=\"{}\">", r + 1));
            for (c, cell) in row.iter().enumerate() {
                let at = format!("{}{}", col_name(c), r + 1);
                match cell {
                    Cell::Text(t) if t.is_empty() => {}
                    Cell::Text(t) => {
                        let i = *index.entry(t.clone()).or_insert_with(|| {
                            strings.push(t.clone());
                            strings.len() - 1
                        });
                        xml.push_str(&format!("<c r=\"{at}\" t=\"s\"><v>{i}</v></c>"));
                    }
                    Cell::Number(v) => {
                        xml.push_str(&format!("<c r=\"{at}\" s=\"1\"><v>{v}</v></c>"))
                    }
                    Cell::Sum {
                        col,
                        first,
                        last,
                        value,
                    } => xml.push_str(&format!(
                        "<c r=\"{at}\" s=\"1\"><f>SUM({c}{}:{c}{})</f><v>{value}</v></c>",
                        first + 1,
                        last + 1,
                        c = col_name(*col)
                    )),
                }
            }
            xml.push_str("</row>");
        }
        xml.push_str("</sheetData></worksheet>");
        parts.push((format!("xl/worksheets/sheet{}.xml", n + 1), xml));
    }
    let ns = "http://schemas.openxmlformats.org/";
    let sheet_list: String = (0..sheets.len())
        .map(|i| {
            format!(
                "<sheet name=\"Budsjett {}\" sheetId=\"{}\" r:id=\"rId{}\"/>",
                i + 1,
                i + 1,
                i + 1
            )
        })
        .collect();
    let mut rels: String = (0..sheets.len())
        .map(|i| format!("<Relationship Id=\"rId{}\" Type=\"{ns}officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet{}.xml\"/>", i + 1, i + 1))
        .collect();
    let k = sheets.len();
    rels.push_str(&format!("<Relationship Id=\"rId{}\" Type=\"{ns}officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/>", k + 1));
    rels.push_str(&format!("<Relationship Id=\"rId{}\" Type=\"{ns}officeDocument/2006/relationships/sharedStrings\" Target=\"sharedStrings.xml\"/>", k + 2));
    let overrides: String = (0..k)
        .map(|i| format!("<Override PartName=\"/xl/worksheets/sheet{}.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>", i + 1))
        .collect();
    let sst: String = strings
        .iter()
        .map(|s| format!("<si><t>{}</t></si>", escape(s)))
        .collect();
    let mut all = vec![
        ("[Content_Types].xml".to_string(), format!("<Types xmlns=\"{ns}package/2006/content-types\"><Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/><Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/><Override PartName=\"/xl/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml\"/><Override PartName=\"/xl/sharedStrings.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml\"/>{overrides}</Types>")),
        ("_rels/.rels".into(), format!("<Relationships xmlns=\"{ns}package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"{ns}officeDocument/2006/relationships/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>")),
        ("xl/workbook.xml".into(), format!("<workbook xmlns=\"{ns}spreadsheetml/2006/main\" xmlns:r=\"{ns}officeDocument/2006/relationships\"><sheets>{sheet_list}</sheets></workbook>")),
        ("xl/_rels/workbook.xml.rels".into(), format!("<Relationships xmlns=\"{ns}package/2006/relationships\">{rels}</Relationships>")),
        ("xl/styles.xml".into(), format!("<styleSheet xmlns=\"{ns}spreadsheetml/2006/main\"><fonts count=\"1\"><font/></fonts><fills count=\"1\"><fill/></fills><borders count=\"1\"><border/></borders><cellStyleXfs count=\"1\"><xf/></cellStyleXfs><cellXfs count=\"2\"><xf numFmtId=\"0\"/><xf numFmtId=\"3\" applyNumberFormat=\"1\"/></cellXfs></styleSheet>")),
        ("xl/sharedStrings.xml".into(), format!("<sst xmlns=\"{ns}spreadsheetml/2006/main\">{sst}</sst>")),
    ];
    all.extend(parts);
    zipped(&all, None)
}

/// The workbook as ODS: one content.xml.
fn ods(sheets: &[Vec<Vec<Cell>>]) -> Vec<u8> {
    let mut body = String::new();
    for (n, rows) in sheets.iter().enumerate() {
        body.push_str(&format!("<table:table table:name=\"Budsjett {}\">", n + 1));
        for row in rows {
            body.push_str("<table:table-row>");
            if row.is_empty() {
                body.push_str("<table:table-cell/>");
            }
            for cell in row {
                body.push_str(&match cell {
                    Cell::Text(t) if t.is_empty() => "<table:table-cell/>".into(),
                    Cell::Text(t) => format!("<table:table-cell office:value-type=\"string\"><text:p>{}</text:p></table:table-cell>", escape(t)),
                    Cell::Number(v) => format!("<table:table-cell office:value-type=\"float\" office:value=\"{v}\"><text:p>{v}</text:p></table:table-cell>"),
                    Cell::Sum { col, first, last, value } => format!(
                        "<table:table-cell table:formula=\"of:=SUM([.{c}{}:.{c}{}])\" office:value-type=\"float\" office:value=\"{value}\"><text:p>{value}</text:p></table:table-cell>",
                        first + 1,
                        last + 1,
                        c = col_name(*col)
                    ),
                });
            }
            body.push_str("</table:table-row>");
        }
        body.push_str("</table:table>");
    }
    let content = format!("<office:document-content xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\"><office:body><office:spreadsheet>{body}</office:spreadsheet></office:body></office:document-content>");
    let manifest = "<manifest:manifest xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\"><manifest:file-entry manifest:full-path=\"/\" manifest:media-type=\"application/vnd.oasis.opendocument.spreadsheet\"/><manifest:file-entry manifest:full-path=\"content.xml\" manifest:media-type=\"text/xml\"/></manifest:manifest>";
    zipped(
        &[
            ("content.xml".into(), content),
            ("META-INF/manifest.xml".into(), manifest.into()),
        ],
        Some("application/vnd.oasis.opendocument.spreadsheet"),
    )
}

fn zipped(parts: &[(String, String)], mimetype: Option<&str>) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut out);
    let deflated = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    if let Some(m) = mimetype {
        let stored = deflated.compression_method(zip::CompressionMethod::Stored);
        zip.start_file("mimetype", stored).unwrap();
        zip.write_all(m.as_bytes()).unwrap();
    }
    for (name, data) in parts {
        zip.start_file(name.as_str(), deflated).unwrap();
        zip.write_all(data.as_bytes()).unwrap();
    }
    zip.finish().unwrap();
    out.into_inner()
}

/// Norwegian thousands: "1 800 000".
fn grouped(v: f64) -> String {
    let digits = format!("{:.0}", v);
    let mut out = String::new();
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(' ');
        }
        out.push(d);
    }
    out
}

/// The same cells drawn as a PDF: each sheet's name as a heading, one table
/// row a line, columns at fixed positions, 55 lines an A4 page.
fn pdf(sheets: &[Vec<Vec<Cell>>]) -> Vec<u8> {
    let xs = [40.0, 190.0, 290.0, 345.0, 400.0, 455.0, 510.0];
    let mut pages: Vec<String> = Vec::new();
    for (n, rows) in sheets.iter().enumerate() {
        let mut lines: Vec<Vec<(f32, String)>> =
            vec![vec![(40.0, format!("Budsjett {}", n + 1))], vec![]];
        for row in rows {
            lines.push(
                row.iter()
                    .enumerate()
                    .filter_map(|(c, cell)| {
                        let text = match cell {
                            Cell::Text(t) => t.clone(),
                            Cell::Number(v) | Cell::Sum { value: v, .. } => grouped(*v),
                        };
                        (!text.is_empty()).then_some((xs[c], text))
                    })
                    .collect(),
            );
        }
        for chunk in lines.chunks(55) {
            let mut content = String::new();
            for (i, line) in chunk.iter().enumerate() {
                let y = 800.0 - 14.0 * i as f32;
                for (x, t) in line {
                    let esc = common::pdf_file::literal(t);
                    content.push_str(&format!("BT /F1 8 Tf 1 0 0 1 {x} {y} Tm ({esc}) Tj ET\n"));
                }
            }
            pages.push(content);
        }
    }
    let mut objects: Vec<String> = vec![
        "<< /Type /Catalog /Pages 2 0 R >>".into(),
        String::new(),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>".into(),
    ];
    let kids: Vec<String> = (0..pages.len())
        .map(|i| format!("{} 0 R", 4 + 2 * i))
        .collect();
    objects[1] = format!(
        "<< /Type /Pages /Kids [{}] /Count {} >>",
        kids.join(" "),
        pages.len()
    );
    for (i, content) in pages.iter().enumerate() {
        objects.push(format!("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents {} 0 R >>", 5 + 2 * i));
        objects.push(format!(
            "<< /Length {} >>\nstream\n{content}endstream",
            content.len()
        ));
    }
    common::pdf_file::assemble(&objects)
}

/// The cheapest of three runs: CPU seconds and peak RSS (KiB).
fn best_of_3(mut f: impl FnMut() -> common::Cost) -> (f64, i64) {
    (0..3).map(|_| f()).fold((f64::MAX, 0), |b, c| {
        if c.cpu < b.0 {
            (c.cpu, c.max_rss_kib)
        } else {
            b
        }
    })
}

/// With LibreOffice on PATH, the XLSX saved as XLS beside it.
fn xls_from(xlsx: &Path, dir: &Path) -> Option<PathBuf> {
    let profile = format!(
        "-env:UserInstallation=file://{}",
        dir.join("lo-profile").display()
    );
    let ok = Command::new("soffice")
        .args([
            profile.as_str(),
            "--headless",
            "--convert-to",
            "xls",
            "--outdir",
        ])
        .arg(dir)
        .arg(xlsx)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    let out = xlsx.with_extension("xls");
    (ok && out.exists()).then_some(out)
}

fn main() {
    let exe = env!("CARGO_BIN_EXE_plansjekk");
    let dir = std::env::temp_dir().join(format!("plansjekk-bench-sheets-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let sheets: Vec<_> = (0..SHEETS).map(sheet_rows).collect();
    let cells: usize = sheets.iter().flatten().map(|r| r.len()).sum();
    let mut files = vec![
        ("PDF", dir.join("budsjett.pdf"), pdf(&sheets)),
        ("XLSX", dir.join("budsjett.xlsx"), xlsx(&sheets)),
        ("ODS", dir.join("budsjett.ods"), ods(&sheets)),
    ];
    for (_, path, bytes) in &files {
        std::fs::write(path, bytes).unwrap();
    }
    match xls_from(&files[1].1, &dir) {
        Some(xls) => {
            let bytes = std::fs::read(&xls).unwrap();
            files.push(("XLS", xls, bytes));
        }
        None => println!("(no XLS: LibreOffice is not on PATH)"),
    }
    println!("one budget workbook of {SHEETS} sheets, {cells} cells, as each format: CPU seconds, best of 3");
    // The reference reader of a PDF's text, measured in the same run.
    let reference = Command::new("pdftotext")
        .arg("-v")
        .output()
        .is_ok()
        .then(|| {
            best_of_3(|| {
                measure(
                    Command::new("pdftotext")
                        .arg("-layout")
                        .arg(&files[0].1)
                        .arg("/dev/null"),
                )
            })
            .0
        });
    match reference {
        Some(t) => println!("  pdftotext -layout on the PDF: {t:.3} s"),
        None => println!("  (no pdftotext on PATH: apt-get install poppler-utils)"),
    }
    let mut pdf_text = 0.0;
    for (name, path, bytes) in &files {
        let text = best_of_3(|| measure(Command::new(exe).arg("text").arg(path)));
        let run = best_of_3(|| {
            let out = dir.join(format!("out-{name}"));
            let _ = std::fs::remove_dir_all(&out);
            measure(
                Command::new(exe)
                    .args(["run", "--in-process", "--jobs", "1", "--out"])
                    .arg(&out)
                    .arg(path),
            )
        });
        if *name == "PDF" {
            pdf_text = text.0;
        }
        let against_reference = reference
            .map(|t| format!(", {:>5.2}× pdftotext", text.0 / t.max(1e-3)))
            .unwrap_or_default();
        println!(
            "  {name:<5} {:>8} bytes: text {:>6.3} s ({:>5.2}× plansjekk's text of the PDF{against_reference}), max RSS {:>7} KiB; run {:>6.3} s, max RSS {:>7} KiB",
            bytes.len(),
            text.0,
            text.0 / pdf_text.max(1e-3),
            text.1,
            run.0,
            run.1
        );
    }
    if std::env::var_os("PLANSJEKK_BENCH_KEEP").is_some() {
        println!("(files kept in {})", dir.display());
    } else {
        let _ = std::fs::remove_dir_all(&dir);
    }
}

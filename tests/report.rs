//! `report.html` and its documents' pages as an auditor's browser shows them:
//! the corpus rendered, loaded in headless Chromium, and the resulting DOMs
//! checked for every document and every finding, with a planted `<script>`
//! that must stay text.

mod common;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{root, tempdir};
use plansjekk::batch::inputs::collect_inputs;
use plansjekk::emit::report::Report;
use plansjekk::ingest::IngestOptions;
use plansjekk::pipeline::process_file;
use plansjekk::record::assign_ids;
use plansjekk::record::Record;

const CHROMIUM: &str = "/usr/bin/chromium";

/// Only a hang reaches it, and fails the test instead of blocking the suite: a
/// run takes 1–2 s on an idle two-core machine and a few times that on a busy
/// one, in any build profile (the time is Chromium's).
const TIMEOUT: Duration = Duration::from_secs(300);

/// A title that would run and mark the page if it became an element.
const PLANTED: &str = "<script>document.body.setAttribute('data-pwned','1')</script><b>Plan</b>";

/// Chromium is there, or the test says why it skips; on CI (`CI` set) a
/// missing browser is a failure, so the check cannot silently vanish.
fn chromium() -> Option<&'static str> {
    if Path::new(CHROMIUM).is_file() {
        return Some(CHROMIUM);
    }
    common::skip_unless_ci(format_args!(
        "{CHROMIUM} is missing (apt-get install chromium; .ci/run installs it)"
    ));
    None
}

/// Runs headless Chromium on `url` with `args` and a fresh profile; its
/// standard output. Killed (its whole process group) after [`TIMEOUT`].
fn run_chromium(exe: &str, work: &Path, name: &str, args: &[String], url: &str) -> Vec<u8> {
    use std::os::unix::process::CommandExt;
    let profile = work.join(format!("profile-{name}"));
    std::fs::create_dir_all(&profile).unwrap();
    let stderr_path = work.join(format!("chromium-{name}.stderr"));
    let mut child = Command::new(exe)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .arg(url)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(std::fs::File::create(&stderr_path).unwrap())
        // Its own group, so a timeout ends its helper processes too.
        .process_group(0)
        .spawn()
        .unwrap_or_else(|e| panic!("{exe}: {e}"));
    // Read while it runs: a full pipe would stall it.
    let mut stdout = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = stdout.read_to_end(&mut buf);
        buf
    });
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > TIMEOUT {
            // SAFETY: signals the process group this test started, by its id.
            unsafe { libc::kill(-(child.id() as libc::pid_t), libc::SIGKILL) };
            let _ = child.wait();
            panic!(
                "chromium ({name}) still running after {TIMEOUT:?}; its stderr is in {}",
                stderr_path.display()
            );
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let out = reader.join().unwrap();
    assert!(
        status.success(),
        "chromium ({name}) failed with {status}: {}",
        std::fs::read_to_string(&stderr_path).unwrap_or_default()
    );
    out
}

/// The start tags in `html` that begin with `prefix`.
fn start_tags<'a>(html: &'a str, prefix: &str) -> Vec<&'a str> {
    html.match_indices(prefix)
        .map(|(i, _)| &html[i..i + html[i..].find('>').unwrap() + 1])
        .collect()
}

fn file_url(p: &Path) -> String {
    format!("file://{}", p.canonicalize().unwrap().display())
}

/// Text as Chromium serialises it back into the DOM: only `&`, `<`, `>` and
/// no-break spaces are escaped in text nodes.
fn dom_text(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('\u{a0}', "&nbsp;")
}

/// The corpus as the CLI reads it (same inputs, same ids), plus a document
/// that fails, with the planted title on the first record.
fn corpus_report(work: &Path) -> (PathBuf, Vec<Record>, Vec<String>) {
    let inputs = collect_inputs(&[root().join("corpus")]).unwrap();
    assert!(inputs.len() >= 10, "the corpus is missing: {inputs:?}");
    let ids = assign_ids(&inputs);
    let broken = work.join("broken.pdf");
    std::fs::write(&broken, b"oops, not a PDF").unwrap();

    let path = work.join("out").join("report.html");
    let mut report = Report::create(&path).unwrap();
    let mut records = Vec::new();
    let mut failed = Vec::new();
    for (input, id) in inputs.iter().zip(&ids) {
        let mut rec = process_file(input, id, &IngestOptions::default())
            .unwrap_or_else(|e| panic!("{}: {e:?}", input.display()));
        if records.is_empty() {
            rec.title = Some(PLANTED.into());
        }
        report.add(&rec).unwrap();
        records.push(rec);
    }
    let e = process_file(&broken, "broken-pdf", &IngestOptions::default()).unwrap_err();
    report
        .add_failed(
            "broken-pdf",
            &broken.to_string_lossy(),
            &e.class,
            &e.message,
        )
        .unwrap();
    failed.push("broken-pdf".to_string());
    report.finish().unwrap();
    (path, records, failed)
}

/// The DOM Chromium builds of the page at `url`.
fn dom(exe: &str, work: &Path, name: &str, url: &str) -> String {
    let dom = run_chromium(exe, work, name, &["--dump-dom".into()], url);
    let dom = String::from_utf8(dom).expect("the DOM is UTF-8");
    assert!(dom.contains("</html>"), "no DOM dumped: {dom:.300}");
    dom
}

/// Nothing planted in a title became an element or ran; the only script is
/// the report's own.
fn planted_stays_text(dom: &str, what: &str) {
    assert!(
        dom.contains(&dom_text(PLANTED)),
        "{what}: the planted title is not shown as text"
    );
    assert!(!dom.contains("<script>document.body"), "{what}");
    assert!(!dom.contains("<b>Plan</b>"), "{what}");
    assert!(!dom.contains("data-pwned=\"1\""), "{what}");
    assert_eq!(dom.matches("<script").count(), 1, "{what}: only our script");
}

/// A document's page shows its section and each finding, with its rule,
/// severity, message and one element per location; its filter script ran.
fn page_shows_its_findings(dom: &str, rec: &Record) {
    assert!(
        dom.contains(&format!("<section class=\"doc\" id=\"doc-{}\"", rec.id)),
        "no section for {}",
        rec.id
    );
    assert!(
        dom.contains("<a href=\"../report.html\">"),
        "{}: no way back",
        rec.id
    );
    for (i, f) in rec.findings.iter().enumerate() {
        let id = format!("id=\"doc-{}-f{}\"", rec.id, i + 1);
        let at = dom
            .find(&id)
            .unwrap_or_else(|| panic!("{}: finding {} ({}) missing", rec.id, i + 1, f.message));
        let element = &dom[at..at + dom[at..].find("</li>").unwrap()];
        assert!(
            element.contains(&format!("data-rule=\"{}\"", f.rule))
                && element.contains(&format!("data-severity=\"{}\"", f.severity)),
            "{id}: {element:.300}"
        );
        assert!(
            element.contains(&format!(
                "<span class=\"msg\">{}</span>",
                dom_text(&f.message)
            )),
            "{id}: message {:?} not in {element:.600}",
            f.message
        );
        assert_eq!(
            element.matches("<div class=\"loc\"").count(),
            f.locations.len(),
            "{id}: locations"
        );
    }
    assert_eq!(dom.matches("class=\"finding\"").count(), rec.findings.len());
    let n = rec.findings.len();
    assert!(
        dom.contains(&format!("{n} of {n} findings shown")),
        "{}: the filter script did not run",
        rec.id
    );
}

/// A document's section of the DOM.
fn section_of<'a>(dom: &'a str, id: &str) -> &'a str {
    let start = dom
        .find(&format!("<section class=\"doc\" id=\"doc-{id}\""))
        .unwrap_or_else(|| panic!("no section for {id}"));
    &dom[start..start + dom[start..].find("</section>").unwrap()]
}

/// What a newcomer noticed in the report (issue 25), as Chromium shows it:
/// a text has no pages; a web address in a title is a link named by its
/// host; a measure's cell gives each figure once; goals show their budget;
/// a figure in parentheses that a total leaves out is not one of its items.
fn details_a_newcomer_sees(dom: &str, records: &[Record]) {
    let mut links = 0;
    for rec in records {
        let section = section_of(dom, &rec.id);
        if rec.source.format != "pdf" {
            assert!(!section.contains("<dt>pages</dt>"), "{}: pages", rec.id);
            assert!(!section.contains(" · page "), "{}: a page number", rec.id);
        }
        // Every web address is inside a link's attributes.
        for (i, _) in section.match_indices("http://") {
            let before = &section[..i];
            assert!(
                before.ends_with("href=\"") || before.ends_with("title=\""),
                "{}: a raw address: {:.120}",
                rec.id,
                &section[i.saturating_sub(60)..]
            );
        }
        links += section.matches("<a class=\"url\"").count();
        if let Some(table) = section.split("<table class=\"plan measures\">").nth(1) {
            for row in table.split("</tr>") {
                let Some(cell) = row.rsplit("<td class=\"num\">").next() else {
                    continue;
                };
                let figures: Vec<&str> = cell
                    .split("<span class=\"nok\"")
                    .skip(1)
                    .map(|s| &s[s.find('>').unwrap() + 1..s.find("</span>").unwrap()])
                    .collect();
                let mut distinct = figures.clone();
                distinct.sort();
                distinct.dedup();
                assert_eq!(distinct.len(), figures.len(), "{}: {figures:?}", rec.id);
            }
        }
        if !rec.goals.is_empty() {
            assert!(
                section.contains("<th class=\"num\">Budget</th>"),
                "{}",
                rec.id
            );
        }
    }
    assert!(links >= 2, "the annual report's titles link their pages");
    // The action plan's Delmål 1 is budgeted 4 900 000 for the period, and
    // its "SUM" for 2026 leaves out "(315 000)", a reserve in parentheses.
    let plan = section_of(dom, "handlingsplan-2025-bygdevekst-indre-namdal-txt");
    let goal = plan
        .split("<tr id=\"doc-handlingsplan-2025-bygdevekst-indre-namdal-txt-g1\">")
        .nth(1)
        .unwrap();
    let goal = &goal[..goal.find("</tr>").unwrap()];
    assert!(
        goal.contains(">4&nbsp;900&nbsp;000 kr</span>") || goal.contains(">4 900 000 kr</span>"),
        "{goal}"
    );
    let reserve = plan
        .find("<mark>(315&nbsp;000)</mark>")
        .or_else(|| plan.find("<mark>(315 000)</mark>"))
        .expect("the reserve is shown");
    let place = &plan[plan[..reserve].rfind("<div class=\"loc\"").unwrap()..reserve];
    assert!(
        place.contains("<b>left out (in parentheses)</b>"),
        "{place}"
    );
}

#[test]
fn chromium_shows_every_document_and_finding_and_no_planted_script() {
    let Some(exe) = chromium() else { return };
    let work = tempdir("report-chromium");
    let (path, records, failed) = corpus_report(&work);
    let url = file_url(&path);

    // The index: a row per document, a read one linking to its page.
    let index = dom(exe, &work, "index", &url);
    for rec in &records {
        assert!(
            index.contains(&format!(
                "<a class=\"doc\" href=\"report/{0}.html\" data-page=\"report/{0}.html\"",
                rec.id
            )),
            "{} not linked from the index",
            rec.id
        );
    }
    for id in &failed {
        assert!(index.contains(&format!("id=\"row-{id}\"")));
        assert!(!index.contains(&format!("href=\"report/{id}.html\"")));
    }
    planted_stays_text(&index, "index");
    // Our own script did run (its hash passes the page's CSP): the filters are
    // shown and count the documents.
    let total = records.len() + failed.len();
    assert!(
        index.contains(&format!("{total} of {total} documents shown")),
        "the filter script did not run"
    );
    assert!(!index.contains("<form id=\"filters\" hidden"));

    // Every page, as Chromium shows it.
    let mut findings = 0;
    let mut pages = String::new();
    for (i, rec) in records.iter().enumerate() {
        let page = path
            .parent()
            .unwrap()
            .join(format!("report/{}.html", rec.id));
        let dom = dom(exe, &work, &format!("page{i}"), &file_url(&page));
        page_shows_its_findings(&dom, rec);
        pages.push_str(&dom);
        if i == 0 {
            planted_stays_text(&dom, "the planted document's page");
        }
        findings += rec.findings.len();
    }
    assert!(findings >= 40, "the corpus has findings: {findings}");
    details_a_newcomer_sees(&pages, &records);

    filters_from_the_query_string(exe, &work, &path, &records, total);
    screenshot_shows_a_page(exe, &work, &url);
    std::fs::remove_dir_all(&work).unwrap();
}

/// The filters, opened from the query string: on the index only the
/// documents whose title, id or path holds "chromium" and that have a
/// column-sum error stay shown, their links carrying the filter on; on such
/// a document's page only its column-sum errors stay shown.
fn filters_from_the_query_string(
    exe: &str,
    work: &Path,
    path: &Path,
    records: &[Record],
    total: usize,
) {
    let query = "?severity=error&rule=column-sum&name=Chromium";
    let filtered = dom(exe, work, "filtered", &format!("{}{query}", file_url(path)));
    let wanted = |f: &plansjekk::record::Finding| f.rule == "column-sum" && f.severity == "error";
    let mut documents = 0;
    let mut a_page = None;
    for rec in records {
        let name = format!(
            "{} {} {}",
            rec.title.as_deref().unwrap_or(""),
            rec.id,
            rec.source.path
        );
        let shown = name.to_lowercase().contains("chromium") && rec.findings.iter().any(wanted);
        let tag = &start_tags(
            &filtered,
            &format!("<tr class=\"docrow\" id=\"row-{}\"", rec.id),
        )[0];
        assert_eq!(!tag.contains("hidden=\"\""), shown, "{query}: {tag}");
        if shown {
            assert!(filtered.contains(&format!(
                "href=\"report/{}.html?severity=error&amp;rule=column-sum\"",
                rec.id
            )));
            a_page.get_or_insert(rec);
        }
        documents += usize::from(shown);
    }
    assert!(documents > 0);
    assert!(filtered.contains(&format!("{documents} of {total} documents shown")));

    let rec = a_page.unwrap();
    let page = path
        .parent()
        .unwrap()
        .join(format!("report/{}.html", rec.id));
    let url = format!("{}?severity=error&rule=column-sum", file_url(&page));
    let filtered = dom(exe, work, "filtered-page", &url);
    let mut kept = 0;
    for tag in start_tags(&filtered, "<li class=\"finding\"") {
        let shown =
            tag.contains("data-rule=\"column-sum\"") && tag.contains("data-severity=\"error\"");
        assert_eq!(!tag.contains("hidden=\"\""), shown, "{tag}");
        kept += usize::from(shown);
    }
    let expected = rec.findings.iter().filter(|f| wanted(f)).count();
    assert!(
        expected > 0 && kept == expected,
        "{kept} column-sum errors shown, {expected} in {}",
        rec.id
    );
}

/// The screenshot shows a page: well above the size of a blank one of the
/// same size, taken the same way.
fn screenshot_shows_a_page(exe: &str, work: &Path, url: &str) {
    let blank = work.join("blank.html");
    std::fs::write(&blank, "<!DOCTYPE html><html><body></body></html>").unwrap();
    let shot = |name: &str, url: &str| {
        let png = work.join(format!("{name}.png"));
        run_chromium(
            exe,
            work,
            name,
            &[
                format!("--screenshot={}", png.display()),
                "--window-size=1200,900".into(),
            ],
            url,
        );
        let bytes = std::fs::read(&png).unwrap();
        assert!(
            bytes.starts_with(b"\x89PNG\r\n\x1a\n"),
            "{name}.png is not a PNG"
        );
        bytes.len()
    };
    let blank_size = shot("blank", &file_url(&blank));
    let report_size = shot("report", url);
    eprintln!("screenshots: blank {blank_size} bytes, report {report_size} bytes");
    assert!(
        report_size > 10 * blank_size.max(1_000),
        "the report's screenshot looks blank: {report_size} bytes against {blank_size}"
    );
}

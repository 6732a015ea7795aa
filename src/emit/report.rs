//! `report.html` for auditors: an index page — a run summary and one row per
//! document with its counts and filters — and a page per document
//! (`report/<id>.html`) with its goals, measures and findings, the source
//! lines they point at, the culprit figure marked. A page per document keeps
//! the index one a browser opens at once for ten thousand documents, and lets
//! a re-run replace only the pages of documents that changed.
//!
//! Written from records only, like the other sinks, so it shows exactly what the
//! JSON says and knows no rule. The page needs no network: CSS and the small
//! filter script are inline, and a Content-Security-Policy allows nothing else
//! (the script by its hash), so even text that escaped our escaping could not
//! run or fetch anything.
//!
//! Streaming: each document's page is written as it comes; only the index rows
//! (a few counts per document) stay in memory until [`Report::finish`] writes
//! the index and renames it into place.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::{self, Write as _};
use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use sha2::{Digest, Sha256};

use crate::norsk::Amount;
use crate::record::{Finding, Location, Record};

/// Text for HTML: element content and quoted attribute values alike. Document
/// text is untrusted (a title may hold `<script>`), so everything from a record
/// goes through this.
struct Esc<'a>(&'a str);

impl fmt::Display for Esc<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut rest = self.0;
        while let Some(i) = rest.find(['&', '<', '>', '"', '\'']) {
            f.write_str(&rest[..i])?;
            f.write_str(match rest.as_bytes()[i] {
                b'&' => "&amp;",
                b'<' => "&lt;",
                b'>' => "&gt;",
                b'"' => "&quot;",
                _ => "&#39;",
            })?;
            rest = &rest[i + 1..];
        }
        f.write_str(rest)
    }
}

/// A figure the Norwegian way: "1 900 000", "391 324,31", through [`Amount`]'s
/// own formatting so the report prints figures as the rest of plansjekk does.
/// The record does not say whether a finding's figure is money, a count or a
/// percentage, so findings' figures carry no unit.
fn figure(v: f64) -> String {
    if !v.is_finite() || v.abs() >= 9.0e16 {
        return v.to_string();
    }
    Amount::from_ore((v * 100.0).round() as i64).to_string()
}

/// NOK as "1 800 000 kr".
fn nok(v: f64) -> String {
    format!("{} kr", figure(v))
}

/// The byte range to mark in `text`: `highlight` at `column` (1-based, in
/// characters), or, when the column does not point at it, its first
/// occurrence; `None` when there is nothing to mark or it is not in the text.
fn mark_range(text: &str, highlight: Option<&str>, column: Option<u32>) -> Option<Range<usize>> {
    let h = highlight.filter(|h| !h.is_empty())?;
    let at_column = column
        .filter(|&c| c >= 1)
        .and_then(|c| text.char_indices().nth(c as usize - 1))
        .map(|(start, _)| start)
        .filter(|&start| text[start..].starts_with(h));
    let start = at_column.or_else(|| text.find(h))?;
    Some(start..start + h.len())
}

/// A source line, its highlight wrapped in `<mark>`.
fn marked_line(out: &mut String, loc: &Location) {
    let text = &loc.text;
    match mark_range(text, loc.highlight.as_deref(), loc.column) {
        Some(r) => {
            let _ = write!(
                out,
                "{}<mark>{}</mark>{}",
                Esc(&text[..r.start]),
                Esc(&text[r.clone()]),
                Esc(&text[r.end..])
            );
        }
        None => {
            let _ = write!(out, "{}", Esc(text));
        }
    }
}

/// The document's pages, for a format that has them: a PDF's. A text file
/// has none, even one that marks where the pages of its original were
/// ("Side 3"), nor have Word or HTML documents or spreadsheets, so the report
/// shows no page count or page number for them.
fn pages(rec: &Record) -> Option<u32> {
    (rec.source.format == "pdf")
        .then_some(rec.source.pages)
        .flatten()
}

/// A title as HTML: escaped, and each web address in it ("… 22.05.2014
/// http://www.midt-troms.no/moet-midt-troms.5502812-75085.html") a link
/// that shows only its host ("midt-troms.no"), so that the title reads as a
/// title and the address is still one click away.
fn linked(text: &str) -> String {
    static URL: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r#"\b(?:https?://|www\.)[^\s<>"«»]+"#).expect("a valid pattern")
    });
    let mut out = String::new();
    let mut last = 0;
    for m in URL.find_iter(text) {
        // A sentence's full stop or a closing bracket is not the address's.
        let url = m
            .as_str()
            .trim_end_matches(['.', ',', ';', ':', ')', '!', '?']);
        let rest = url.split_once("://").map_or(url, |(_, r)| r);
        let host = rest.split(['/', '?', '#']).next().unwrap_or(rest);
        let host = host.strip_prefix("www.").unwrap_or(host);
        if host.is_empty() {
            continue;
        }
        let href = if url.contains("://") {
            url.to_string()
        } else {
            format!("https://{url}")
        };
        let _ = write!(
            out,
            "{}<a class=\"url\" href=\"{}\" title=\"{}\">{}</a>",
            Esc(&text[last..m.start()]),
            Esc(&href),
            Esc(url),
            Esc(host)
        );
        last = m.start() + url.len();
    }
    out.push_str(&Esc(&text[last..]).to_string());
    out
}

/// Whether a document was read, as the index shows it.
enum Status {
    Ok,
    Failed { class: String, message: String },
}

/// What the index keeps of one document; its section is already on disk.
struct Entry {
    id: String,
    title: Option<String>,
    path: String,
    format: String,
    pages: Option<u32>,
    status: Status,
    errors: usize,
    warnings: usize,
    by_rule: BTreeMap<String, usize>,
    /// "severity:rule" of each of its findings, for the index's filters.
    pairs: BTreeSet<String>,
}

impl Entry {
    /// Lower-case text the name filter searches: title, id and path.
    fn search_text(&self) -> String {
        format!(
            "{} {} {}",
            self.title.as_deref().unwrap_or(""),
            self.id,
            self.path
        )
        .to_lowercase()
    }
}

/// Two reports writing beside the same output in one process must not share
/// temporary files.
static SERIAL: AtomicUsize = AtomicUsize::new(0);

/// The folder of the documents' pages, beside `report.html`.
pub const PAGES: &str = "report";

/// `report.html` and its documents' pages, written as documents come:
/// [`Report::add`] or [`Report::add_failed`] per document, in the order the
/// index should list them, then [`Report::finish`]. Dropped without `finish`,
/// it leaves no file behind.
pub struct Report {
    path: PathBuf,
    /// `report/` beside `report.html`: a page per document read.
    pages: PathBuf,
    /// The index page before it is renamed into place.
    tmp_path: PathBuf,
    entries: Vec<Entry>,
    review: crate::review::Review,
    finished: bool,
}

/// A document's page, written (by [`write_page`]), and the row the index
/// gives it: pages are written where the document is read, on any thread,
/// and the rows gathered in the run's order.
pub struct Page {
    entry: Entry,
}

/// Writes the page of document `rec` into `dir` (a report's [`PAGES`]
/// folder), its findings marked by `review`.
pub fn write_page(dir: &Path, rec: &Record, review: &crate::review::Review) -> io::Result<Page> {
    let mut entry = Entry {
        id: rec.id.clone(),
        title: rec.title.clone(),
        path: rec.source.path.clone(),
        format: rec.source.format.clone(),
        pages: pages(rec),
        status: Status::Ok,
        errors: 0,
        warnings: 0,
        by_rule: BTreeMap::new(),
        pairs: BTreeSet::new(),
    };
    for f in &rec.findings {
        match f.severity.as_str() {
            "error" => entry.errors += 1,
            "warning" => entry.warnings += 1,
            _ => {}
        }
        *entry.by_rule.entry(f.rule.clone()).or_default() += 1;
        entry.pairs.insert(format!("{}:{}", f.severity, f.rule));
    }
    let page = dir.join(format!("{}.html", rec.id));
    let mut out = BufWriter::new(File::create(page)?);
    document_page(&mut out, rec, &entry, review)?;
    out.flush()?;
    Ok(Page { entry })
}

impl Report {
    /// Starts a report that [`Report::finish`] will write to `path`, its
    /// documents' pages in [`PAGES`] beside it; the index's temporary file
    /// lives beside it too, on the same file system, so the final rename is
    /// atomic.
    pub fn create(path: &Path) -> io::Result<Report> {
        let dir = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let name = path
            .file_name()
            .map_or("report.html".into(), |n| n.to_string_lossy().into_owned());
        let tag = format!(
            "{}.{}",
            std::process::id(),
            SERIAL.fetch_add(1, Ordering::Relaxed)
        );
        let pages = dir.join(PAGES);
        fs::create_dir_all(&pages)?;
        Ok(Report {
            path: path.to_path_buf(),
            pages,
            tmp_path: dir.join(format!(".{name}.{tag}.tmp")),
            entries: Vec::new(),
            review: crate::review::Review::default(),
            finished: false,
        })
    }

    /// Marks findings the baseline knows and those reviewed and waived.
    pub fn with_review(mut self, review: &crate::review::Review) -> Report {
        self.review = review.clone();
        self
    }

    /// Adds a document that was read: its index row and its page.
    pub fn add(&mut self, rec: &Record) -> io::Result<()> {
        let page = write_page(&self.pages, rec, &self.review)?;
        self.add_page(page);
        Ok(())
    }

    /// Adds a document whose page [`write_page`] wrote: its index row.
    pub fn add_page(&mut self, page: Page) {
        self.entries.push(page.entry);
    }

    /// Adds a document the previous run wrote a page for, unchanged since:
    /// its row from its manifest entry (the caller, which found the page,
    /// keeps it).
    pub fn keep(&mut self, e: &crate::record::ManifestEntry) {
        let format = e.format.clone().unwrap_or_default();
        let mut entry = Entry {
            id: e.id.clone(),
            title: e.title.clone(),
            path: e.path.clone(),
            pages: e.pages.filter(|_| format == "pdf"),
            format,
            status: Status::Ok,
            errors: 0,
            warnings: 0,
            by_rule: BTreeMap::new(),
            pairs: BTreeSet::new(),
        };
        for (rule, severities) in &e.by_rule {
            for (severity, n) in severities {
                match severity.as_str() {
                    "error" => entry.errors += n,
                    "warning" => entry.warnings += n,
                    _ => {}
                }
                *entry.by_rule.entry(rule.clone()).or_default() += n;
                entry.pairs.insert(format!("{severity}:{rule}"));
            }
        }
        self.entries.push(entry);
    }

    /// Adds a document that could not be read, with its error class ("corrupt",
    /// "timeout", …) and message, so the auditor sees what the run left out:
    /// its index row says it all, it has no page.
    pub fn add_failed(
        &mut self,
        id: &str,
        path: &str,
        class: &str,
        message: &str,
    ) -> io::Result<()> {
        self.entries.push(Entry {
            id: id.to_string(),
            title: None,
            path: path.to_string(),
            format: String::new(),
            pages: None,
            status: Status::Failed {
                class: class.to_string(),
                message: message.to_string(),
            },
            errors: 0,
            warnings: 0,
            by_rule: BTreeMap::new(),
            pairs: BTreeSet::new(),
        });
        Ok(())
    }

    /// Writes the index page and renames it into place.
    pub fn finish(mut self) -> io::Result<()> {
        let result = self.assemble();
        if result.is_err() {
            let _ = fs::remove_file(&self.tmp_path);
        } else {
            self.finished = true;
        }
        result
    }

    fn assemble(&mut self) -> io::Result<()> {
        let mut out = BufWriter::new(File::create(&self.tmp_path)?);
        out.write_all(head("plansjekk report").as_bytes())?;
        out.write_all(summary(&self.entries).as_bytes())?;
        out.write_all(index(&self.entries).as_bytes())?;
        write!(
            out,
            "{FOOTER}</main>\n<script>{SCRIPT}</script>\n</body>\n</html>\n"
        )?;
        let file = out.into_inner().map_err(|e| e.into_error())?;
        file.sync_all()?;
        fs::rename(&self.tmp_path, &self.path)
    }
}

impl Drop for Report {
    /// An unfinished report leaves neither its index nor its pages.
    fn drop(&mut self) {
        if !self.finished {
            let _ = fs::remove_file(&self.tmp_path);
            for e in self
                .entries
                .iter()
                .filter(|e| matches!(e.status, Status::Ok))
            {
                let _ = fs::remove_file(self.pages.join(format!("{}.html", e.id)));
            }
            // Only when empty: it may be another's.
            let _ = fs::remove_dir(&self.pages);
        }
    }
}

/// A document's page: a link back to the index, its filters, its section.
fn document_page(
    out: &mut impl Write,
    rec: &Record,
    entry: &Entry,
    review: &crate::review::Review,
) -> io::Result<()> {
    let title = Esc(rec.title.as_deref().unwrap_or(&rec.source.path)).to_string();
    out.write_all(head(&format!("{title} — plansjekk report")).as_bytes())?;
    write!(
        out,
        "<header class=\"top\"><p class=\"back\"><a href=\"../report.html\">← all documents</a></p></header>\n<main>\n"
    )?;
    out.write_all(filters(&entry.by_rule, false).as_bytes())?;
    out.write_all(section(rec, &entry.search_text(), review).as_bytes())?;
    write!(
        out,
        "{FOOTER}</main>\n<script>{SCRIPT}</script>\n</body>\n</html>\n"
    )
}

/// How to read the places: the record counts cells from 0, people from 1.
const FOOTER: &str = "<footer>Lines are numbered in the text as plansjekk reads it \
(<code>plansjekk text</code> prints it). Table rows and columns are counted from 1, \
header rows included. The marked text is the figure or cell a finding points at.</footer>\n";

/// The filters, on both kinds of page. On the index they hide the documents
/// whose name does not match or that have no finding of the severity and rule
/// chosen (each row lists its findings' `severity:rule` pairs), and carry the
/// choice into the links to the documents' pages; on a document's page they
/// hide its other findings. Their first values may come from the query
/// string. Rows and findings carry what it needs in `data-` attributes, so
/// the script holds no document text.
const SCRIPT: &str = r#"
(function () {
  var form = document.getElementById("filters");
  var sev = document.getElementById("f-severity");
  var rule = document.getElementById("f-rule");
  var name = document.getElementById("f-name");
  var shown = document.getElementById("f-shown");
  var rows = document.querySelectorAll("tr.docrow");
  var findings = document.querySelectorAll(".finding");
  function matches(s, r, pair) {
    var i = pair.indexOf(":");
    return (s === "" || pair.slice(0, i) === s) && (r === "" || pair.slice(i + 1) === r);
  }
  function apply() {
    var s = sev.value, r = rule.value, q = name ? name.value.trim().toLowerCase() : "";
    var byFinding = s !== "" || r !== "";
    var query = new URLSearchParams();
    if (s !== "") { query.set("severity", s); }
    if (r !== "") { query.set("rule", r); }
    var tail = byFinding ? "?" + query.toString() : "";
    var n = 0;
    findings.forEach(function (f) {
      f.hidden = !matches(s, r, f.dataset.severity + ":" + f.dataset.rule);
      if (!f.hidden) { n += 1; }
    });
    if (rows.length === 0) {
      shown.textContent = n + " of " + findings.length + " findings shown";
      return;
    }
    n = 0;
    rows.forEach(function (row) {
      var pairs = row.dataset.pairs === "" ? [] : row.dataset.pairs.split(" ");
      var ok = (q === "" || row.dataset.name.indexOf(q) >= 0) &&
        (!byFinding || pairs.some(function (p) { return matches(s, r, p); }));
      row.hidden = !ok;
      if (ok) { n += 1; }
      var a = row.querySelector("a.doc");
      if (a) { a.setAttribute("href", a.dataset.page + tail); }
    });
    shown.textContent = n + " of " + rows.length + " documents shown";
  }
  // "report.html?severity=error&rule=column-sum&name=namdal" opens filtered,
  // so a filtered view can be shared as a link.
  var params = new URLSearchParams(window.location.search);
  sev.value = params.get("severity") || "";
  rule.value = params.get("rule") || "";
  if (name) { name.value = params.get("name") || ""; }
  form.hidden = false;
  form.addEventListener("submit", function (e) { e.preventDefault(); });
  [sev, rule, name].forEach(function (el) { if (el) { el.addEventListener("input", apply); } });
  apply();
})();
"#;

const STYLE: &str = r#"
:root { --ink: #1d2329; --muted: #5b6670; --line: #d9dee3; --bg: #f6f7f9;
  --error: #b3261e; --error-bg: #fbeaea; --warn: #8a5a00; --warn-bg: #fdf3dc; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  color: var(--ink); background: #fff; }
header.top { background: var(--bg); border-bottom: 1px solid var(--line); padding: 18px 32px 14px; }
main { padding: 8px 32px 48px; max-width: 1280px; }
h1 { font-size: 22px; margin: 0 0 10px; font-weight: 600; }
h2 { font-size: 19px; margin: 0 0 2px; font-weight: 600; }
h3 { font-size: 15px; margin: 22px 0 8px; text-transform: uppercase; letter-spacing: .04em;
  color: var(--muted); font-weight: 600; }
a { color: #0b57a4; }
code, .mono { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: 13px; }
.stats { display: flex; flex-wrap: wrap; gap: 10px; margin: 0; padding: 0; list-style: none; }
.stats li { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 6px 12px; min-width: 96px; }
.stats b { display: block; font-size: 20px; font-variant-numeric: tabular-nums; }
.stats span { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .04em; }
.rules { margin: 10px 0 0; color: var(--muted); font-size: 13px; }
.chip { display: inline-block; border: 1px solid var(--line); border-radius: 10px; padding: 0 7px;
  margin: 1px 4px 1px 0; font-size: 12px; background: #fff; white-space: nowrap; }
.chip code { font-size: 12px; }
form#filters { display: flex; flex-wrap: wrap; gap: 14px; align-items: end; margin: 18px 0 10px; }
form#filters label { display: flex; flex-direction: column; font-size: 12px; color: var(--muted); }
form#filters select, form#filters input { font: inherit; padding: 4px 6px; border: 1px solid #aab3bb; border-radius: 4px; }
form#filters input { width: 260px; }
#f-shown { color: var(--muted); font-size: 13px; padding-bottom: 6px; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; vertical-align: top; padding: 5px 8px; border-bottom: 1px solid var(--line); }
th { font-size: 12px; color: var(--muted); font-weight: 600; text-transform: uppercase; letter-spacing: .03em;
  border-bottom: 2px solid var(--line); }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
table.index td.title a { font-weight: 600; text-decoration: none; }
table.index td.title a:hover { text-decoration: underline; }
.docid { color: var(--muted); font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 12px; margin: 0; }
.badge { display: inline-block; border-radius: 3px; padding: 0 6px; font-size: 12px; font-weight: 600;
  text-transform: uppercase; letter-spacing: .03em; }
.badge.error, .badge.failed { color: var(--error); background: var(--error-bg); }
.badge.warning { color: var(--warn); background: var(--warn-bg); }
.badge.ok { color: #1e6b34; background: #e6f4ea; }
p.back { margin: 0; }
.badge.waived, .badge.baseline { color: #444; background: #eceff1; margin-left: 4px; }
.waiver { margin: 4px 0; color: #444; font-style: italic; }
.zero { color: #aab3bb; }
section.doc { border-top: 3px solid var(--ink); margin-top: 40px; padding-top: 12px; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: 2px 14px; margin: 10px 0; font-size: 13px; }
dl.meta dt { color: var(--muted); }
dl.meta dd { margin: 0; }
ul.notes { font-size: 13px; color: var(--muted); margin: 4px 0; }
ol.findings { list-style: none; padding: 0; margin: 0; }
li.finding { border: 1px solid var(--line); border-left: 4px solid var(--warn); border-radius: 4px;
  padding: 10px 14px; margin: 0 0 12px; }
li.finding[data-severity="error"] { border-left-color: var(--error); }
.fhead { display: flex; gap: 10px; align-items: baseline; }
.fhead code { white-space: nowrap; }
.fhead .msg { font-weight: 500; }
.fhead a.self { margin-left: auto; color: var(--muted); font-size: 12px; text-decoration: none; }
dl.figs { display: flex; gap: 18px; margin: 6px 0; font-size: 13px; }
dl.figs div { display: flex; gap: 6px; }
dl.figs dt { color: var(--muted); }
dl.figs dd { margin: 0; font-variant-numeric: tabular-nums; font-weight: 600; }
p.hint { margin: 6px 0; font-size: 13px; }
p.hint::before { content: "Hint: "; color: var(--muted); }
p.confidence { margin: 6px 0; font-size: 13px; color: var(--muted); }
.loc { margin-top: 8px; font-size: 13px; }
.loc .where { color: var(--muted); }
.loc .where b { color: var(--ink); font-weight: 600; }
.loc .text { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 12.5px; margin-top: 2px;
  white-space: pre-wrap; word-break: break-word; background: #f4f6f8; border-radius: 3px; padding: 3px 8px; }
mark { background: #ffe27a; color: inherit; padding: 0 1px; border-radius: 2px; }
.nok { white-space: nowrap; font-variant-numeric: tabular-nums; }
table.plan { font-size: 13.5px; }
table.plan td.no, table.plan td.goal { white-space: nowrap; width: 1%; }
p.failure { background: var(--error-bg); border-radius: 4px; padding: 8px 12px; }
p.none { color: var(--muted); }
footer { color: var(--muted); font-size: 12px; margin-top: 48px; }
[hidden] { display: none !important; }
"#;

/// Standard base64, for the script's hash in the Content-Security-Policy.
fn base64(bytes: &[u8]) -> String {
    const ABC: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for (k, shift) in [18, 12, 6, 0].into_iter().enumerate() {
            if k <= chunk.len() {
                out.push(ABC[(n >> shift) as usize & 63] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// The page's head, titled `title` (already escaped).
fn head(title: &str) -> String {
    let hash = base64(&Sha256::digest(SCRIPT.as_bytes()));
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; \
         style-src 'unsafe-inline'; script-src 'sha256-{hash}'\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{title}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
    )
}

/// The run at a glance: documents, pages, findings by severity and by rule,
/// failures by class.
fn summary(entries: &[Entry]) -> String {
    let failed: Vec<&Entry> = entries
        .iter()
        .filter(|e| matches!(e.status, Status::Failed { .. }))
        .collect();
    let pages: u64 = entries.iter().filter_map(|e| e.pages).map(u64::from).sum();
    let errors: usize = entries.iter().map(|e| e.errors).sum();
    let warnings: usize = entries.iter().map(|e| e.warnings).sum();
    let findings: usize = entries.iter().flat_map(|e| e.by_rule.values()).sum();
    let mut s =
        String::from("<header class=\"top\">\n<h1>plansjekk report</h1>\n<ul class=\"stats\">\n");
    for (n, what) in [
        (entries.len() as u64, "documents"),
        ((entries.len() - failed.len()) as u64, "read"),
        (failed.len() as u64, "failed"),
        (pages, "pages"),
        (findings as u64, "findings"),
        (errors as u64, "errors"),
        (warnings as u64, "warnings"),
    ] {
        let _ = writeln!(s, "<li><b>{}</b><span>{what}</span></li>", figure(n as f64));
    }
    s.push_str("</ul>\n");
    let rules = rule_totals(entries);
    if !rules.is_empty() {
        s.push_str("<p class=\"rules\">Findings by rule: ");
        for (rule, n) in &rules {
            let _ = write!(
                s,
                "<span class=\"chip\"><code>{}</code> {n}</span>",
                Esc(rule)
            );
        }
        s.push_str("</p>\n");
    }
    if !failed.is_empty() {
        let mut classes: BTreeMap<&str, usize> = BTreeMap::new();
        for e in &failed {
            if let Status::Failed { class, .. } = &e.status {
                *classes.entry(class).or_default() += 1;
            }
        }
        s.push_str("<p class=\"rules\">Failures by class: ");
        for (class, n) in classes {
            let _ = write!(
                s,
                "<span class=\"chip\"><code>{}</code> {n}</span>",
                Esc(class)
            );
        }
        s.push_str("</p>\n");
    }
    s.push_str("</header>\n<main>\n");
    s
}

fn rule_totals(entries: &[Entry]) -> BTreeMap<&str, usize> {
    let mut rules: BTreeMap<&str, usize> = BTreeMap::new();
    for e in entries {
        for (rule, n) in &e.by_rule {
            *rules.entry(rule).or_default() += n;
        }
    }
    rules
}

/// The filters (hidden until the script shows them, so a page read without
/// scripts shows no dead controls): severity, the rules of `rules`, and on
/// the index (`by_name`) the document's name.
fn filters(rules: &BTreeMap<impl AsRef<str>, usize>, by_name: bool) -> String {
    let mut s = String::from(
        "<form id=\"filters\" hidden>\n\
         <label>Severity<select id=\"f-severity\"><option value=\"\">all</option>\
         <option value=\"error\">error</option><option value=\"warning\">warning</option>\
         <option value=\"notice\">notice</option></select></label>\n\
         <label>Rule<select id=\"f-rule\"><option value=\"\">all</option>",
    );
    for rule in rules.keys() {
        let _ = write!(s, "<option value=\"{0}\">{0}</option>", Esc(rule.as_ref()));
    }
    s.push_str("</select></label>\n");
    if by_name {
        s.push_str(
            "<label>Document name<input id=\"f-name\" type=\"search\" \
             placeholder=\"title, id or path\"></label>\n",
        );
    }
    s.push_str("<span id=\"f-shown\"></span>\n</form>\n");
    s
}

/// The documents, one row each, a read one linking to its page.
fn index(entries: &[Entry]) -> String {
    let mut s = String::from("<h3>Documents</h3>\n");
    s.push_str(&filters(&rule_totals(entries), true));
    s.push_str(
        "<table class=\"index\">\n<thead><tr><th>Document</th><th>Format</th><th class=\"num\">Pages</th>\
         <th>Status</th><th class=\"num\">Errors</th><th class=\"num\">Warnings</th>\
         <th>Findings by rule</th></tr></thead>\n<tbody>\n",
    );
    for e in entries {
        let title = Esc(e.title.as_deref().unwrap_or(&e.path));
        let _ = write!(
            s,
            "<tr class=\"docrow\" id=\"row-{id}\" data-doc=\"{id}\" data-name=\"{name}\" data-pairs=\"{pairs}\"><td class=\"title\">",
            id = Esc(&e.id),
            name = Esc(&e.search_text()),
            pairs = Esc(&e.pairs.iter().map(String::as_str).collect::<Vec<_>>().join(" ")),
        );
        match &e.status {
            Status::Ok => {
                let _ = write!(
                    s,
                    "<a class=\"doc\" href=\"{PAGES}/{id}.html\" data-page=\"{PAGES}/{id}.html\" lang=\"no\">{title}</a>",
                    id = Esc(&e.id)
                );
            }
            Status::Failed { .. } => {
                let _ = write!(s, "<span lang=\"no\">{title}</span>");
            }
        }
        let _ = write!(
            s,
            "<p class=\"docid\">{id}</p></td><td>{format}</td><td class=\"num\">{pages}</td>",
            id = Esc(&e.id),
            format = Esc(&e.format),
            pages = e.pages.map(|p| p.to_string()).unwrap_or_default(),
        );
        row_counts(&mut s, e);
    }
    s.push_str("</tbody>\n</table>\n");
    s
}

/// A row's status, error and warning counts, and findings by rule.
fn row_counts(s: &mut String, e: &Entry) {
    match &e.status {
        Status::Ok => s.push_str("<td><span class=\"badge ok\">ok</span></td>"),
        Status::Failed { class, message } => {
            let _ = write!(
                s,
                "<td><span class=\"badge failed\">failed</span> <code>{}</code><br>{}</td>",
                Esc(class),
                Esc(message)
            );
        }
    }
    for n in [e.errors, e.warnings] {
        if n == 0 {
            s.push_str("<td class=\"num zero\">0</td>");
        } else {
            let _ = write!(s, "<td class=\"num\">{n}</td>");
        }
    }
    s.push_str("<td>");
    for (rule, n) in &e.by_rule {
        let _ = write!(
            s,
            "<span class=\"chip\"><code>{}</code> {n}</span>",
            Esc(rule)
        );
    }
    s.push_str("</td></tr>\n");
}

/// One read document: what it is, its findings, then its goals and measures.
fn section(rec: &Record, search: &str, review: &crate::review::Review) -> String {
    let mut s = String::new();
    let id = Esc(&rec.id);
    let _ = write!(
        s,
        "<section class=\"doc\" id=\"doc-{id}\" data-doc=\"{id}\" data-name=\"{}\">\n\
         <h2 lang=\"no\">{}</h2>\n<p class=\"docid\">{id}</p>\n<dl class=\"meta\">",
        Esc(search),
        Esc(rec.title.as_deref().unwrap_or(&rec.source.path)),
    );
    let mut meta = |k: &str, v: String| {
        if !v.is_empty() {
            let _ = write!(s, "<dt>{k}</dt><dd>{}</dd>", Esc(&v));
        }
    };
    meta("path", rec.source.path.clone());
    meta("format", rec.source.format.clone());
    meta(
        "pages",
        pages(rec).map(|p| p.to_string()).unwrap_or_default(),
    );
    meta("kind", rec.kind.clone());
    meta("date", rec.date.clone().unwrap_or_default());
    if let Some(p) = &rec.period {
        meta(
            "period",
            format!(
                "{} – {}",
                p.from.as_deref().unwrap_or("?"),
                p.to.as_deref().unwrap_or("?")
            ),
        );
    }
    meta("sha256", rec.source.sha256.clone());
    meta("read by OCR", ocr_pages(rec));
    s.push_str("</dl>\n");
    if !rec.source.warnings.is_empty() {
        s.push_str("<ul class=\"notes\">");
        for w in &rec.source.warnings {
            let page = w.page.map(|p| format!("page {p}: ")).unwrap_or_default();
            let _ = write!(s, "<li>{}{}</li>", page, Esc(&w.message));
        }
        s.push_str("</ul>\n");
    }

    let _ = writeln!(s, "<h3>Findings ({})</h3>", rec.findings.len());
    if rec.findings.is_empty() {
        s.push_str("<p class=\"none\">No findings.</p>\n");
    } else {
        s.push_str("<ol class=\"findings\">\n");
        for (i, f) in rec.findings.iter().enumerate() {
            finding(&mut s, rec, f, i + 1, review);
        }
        s.push_str("</ol>\n");
    }
    plan(&mut s, rec);
    s.push_str("</section>\n");
    s
}

/// One finding: its element id is the document's id and its place in the
/// record ("doc-plan-pdf-f3"), stable across runs because records are.
fn finding(s: &mut String, rec: &Record, f: &Finding, n: usize, review: &crate::review::Review) {
    use crate::review::Status;
    let status = review.status(&f.id);
    let badge = match status {
        Status::New => String::new(),
        other => format!("<span class=\"badge {0}\">{0}</span>", other.as_str()),
    };
    let _ = write!(
        s,
        "<li class=\"finding\" id=\"doc-{id}-f{n}\" data-finding=\"{fid}\" data-status=\"{st}\" data-rule=\"{rule}\" data-severity=\"{sev}\">\n\
         <div class=\"fhead\"><span class=\"badge {sev}\">{sev}</span>{badge}<code>{rule}</code>\
         <span class=\"msg\">{msg}</span><a class=\"self\" href=\"#doc-{id}-f{n}\" title=\"{fid}\">#{n}</a></div>\n",
        id = Esc(&rec.id),
        fid = Esc(&f.id),
        st = status.as_str(),
        rule = Esc(&f.rule),
        sev = Esc(&f.severity),
        msg = Esc(&f.message),
    );
    if let Some(w) = review.waiver(&f.id) {
        let _ = writeln!(
            s,
            "<p class=\"waiver\">Waived by {} on {}: {}</p>",
            Esc(&w.reviewer),
            Esc(&w.date),
            Esc(&w.reason)
        );
    }
    let figs: Vec<(&str, f64)> = [
        ("stated", f.stated),
        ("computed", f.computed),
        ("difference", f.difference),
    ]
    .into_iter()
    .filter_map(|(k, v)| Some((k, v?)))
    .collect();
    if !figs.is_empty() {
        s.push_str("<dl class=\"figs\">");
        for (k, v) in figs {
            let _ = write!(
                s,
                "<div><dt>{k}</dt><dd class=\"nok\">{}</dd></div>",
                figure(v)
            );
        }
        s.push_str("</dl>\n");
    }
    if let Some(h) = &f.hint {
        let _ = writeln!(s, "<p class=\"hint\">{}</p>", Esc(h));
    }
    if !f.confidence.is_empty() {
        let _ = writeln!(
            s,
            "<p class=\"confidence\" data-confidence=\"{c}\">Confidence {c}: {}</p>",
            Esc(&f.reason),
            c = Esc(&f.confidence),
        );
    }
    if let Some(c) = f.ocr {
        let sure = crate::rules::SURE_OCR.0;
        let _ = writeln!(
            s,
            "<p class=\"confidence\" data-ocr=\"{c}\">Read by OCR from a scanned page: mean word confidence {c}{}</p>",
            if c < sure {
                format!(" (below {sure}: at most a warning)")
            } else {
                String::new()
            }
        );
    }
    for loc in &f.locations {
        location(s, rec, loc);
    }
    s.push_str("</li>\n");
}

/// "pages 1, 2 (mean word confidence 91, 88)": the pages read by OCR.
fn ocr_pages(rec: &Record) -> String {
    if rec.source.ocr.is_empty() {
        return String::new();
    }
    let list = |f: &dyn Fn(&crate::record::OcrPageRec) -> String| {
        rec.source.ocr.iter().map(f).collect::<Vec<_>>().join(", ")
    };
    format!(
        "pages {} (mean word confidence {})",
        list(&|p| p.page.to_string()),
        list(&|p| p.confidence.to_string())
    )
}

/// One source line: what it is to the finding, where it is (page, line, and
/// the table cell), and the text with the figure marked.
fn location(s: &mut String, rec: &Record, loc: &Location) {
    let mut place = format!("<b>{}</b> · ", Esc(&loc.label));
    match loc.source {
        // The place in the file first; the line of the normalised text
        // (`plansjekk text`) after it.
        Some(p) => {
            let _ = write!(place, "{} (text line {})", p.describe(), loc.line);
        }
        None => {
            let sheet_cell = loc.cell.as_ref().and_then(|c| c.reference.as_deref());
            if let Some(r) = sheet_cell {
                // A spreadsheet has no pages or lines: its cell is the place.
                let _ = write!(place, "{} (text line {})", Esc(r), loc.line);
            } else {
                if let Some(p) = loc.page.filter(|_| pages(rec).is_some()) {
                    let _ = write!(place, "page {p}, ");
                }
                let _ = write!(place, "line {}", loc.line);
            }
        }
    }
    let mut attrs = String::new();
    if let Some(c) = &loc.cell {
        // The record counts rows and columns from 0; people count from 1.
        let title = rec
            .tables
            .iter()
            .find(|t| t.id == c.table)
            .and_then(|t| t.title.as_deref());
        let _ = write!(
            place,
            " · table {}{}, row {}, column {}",
            Esc(&c.table),
            title.map(|t| format!(" «{}»", Esc(t))).unwrap_or_default(),
            c.row + 1,
            c.column + 1
        );
        if let (Some(r), Some(_)) = (&c.reference, loc.source) {
            let _ = write!(place, " · {}", Esc(r));
        }
        let _ = write!(
            attrs,
            " data-table=\"{}\" data-row=\"{}\" data-column=\"{}\"",
            Esc(&c.table),
            c.row,
            c.column
        );
    }
    let _ = write!(
        s,
        "<div class=\"loc\"{attrs}><div class=\"where\">{place}</div><div class=\"text\" lang=\"no\">"
    );
    marked_line(s, loc);
    s.push_str("</div></div>\n");
}

/// A budget's cell: its total for the period (its years in the tooltip, and
/// where it was read), else its years one a line; empty without one.
fn budget_cell(b: Option<&crate::record::BudgetRec>) -> String {
    let Some(b) = b else {
        return String::new();
    };
    let years: Vec<String> = b
        .years
        .iter()
        .map(|y| format!("{}: {}", y.year, nok(y.nok)))
        .collect();
    let from = match (&b.table, b.row) {
        (Some(t), Some(r)) => format!("table {t}, row {}", r + 1),
        _ => b.source.clone(),
    };
    match b.nok {
        Some(total) => format!(
            "<span class=\"nok\" title=\"{}\">{}</span>",
            Esc(&[years.join("; "), from].join(if years.is_empty() { "" } else { "; from " })),
            nok(total)
        ),
        None => years
            .iter()
            .map(|y| format!("<span class=\"nok\">{}</span>", Esc(y)))
            .collect::<Vec<_>>()
            .join("<br>"),
    }
}

/// Goals with their budgets, then measures.
fn plan(s: &mut String, rec: &Record) {
    if !rec.goals.is_empty() {
        let _ = writeln!(s, "<h3>Goals ({})</h3>", rec.goals.len());
        s.push_str(
            "<table class=\"plan goals\"><thead><tr><th>No.</th><th>Goal</th><th>Kind</th>\
             <th>Under</th><th class=\"num\">Budget</th></tr></thead><tbody>\n",
        );
        for g in &rec.goals {
            let parent = g
                .parent
                .as_ref()
                .and_then(|p| rec.goals.iter().find(|x| &x.id == p))
                .map(goal_label)
                .unwrap_or_default();
            let _ = writeln!(
                s,
                "<tr id=\"doc-{}-{}\"><td class=\"no\">{}</td><td lang=\"no\">{}</td><td>{}</td><td lang=\"no\">{}</td>\
                 <td class=\"num\">{}</td></tr>",
                Esc(&rec.id),
                Esc(&g.id),
                Esc(g.number.as_deref().unwrap_or("")),
                linked(&g.title),
                Esc(&g.kind),
                Esc(&parent),
                budget_cell(g.budget.as_ref()),
            );
        }
        s.push_str("</tbody></table>\n");
    }
    measures(s, rec);
}

/// Measures with their goal, actors by name, timeframe and amounts.
fn measures(s: &mut String, rec: &Record) {
    if rec.measures.is_empty() {
        return;
    }
    let actors: HashMap<&str, &str> = rec
        .actors
        .iter()
        .map(|a| (a.id.as_str(), a.name.as_str()))
        .collect();
    let names = |ids: &[String]| {
        ids.iter()
            .map(|id| actors.get(id.as_str()).copied().unwrap_or(id))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let amounts: HashMap<&str, &crate::record::AmountRec> =
        rec.amounts.iter().map(|a| (a.id.as_str(), a)).collect();
    let _ = writeln!(s, "<h3>Measures ({})</h3>", rec.measures.len());
    s.push_str(
        "<table class=\"plan measures\"><thead><tr><th>No.</th><th>Measure</th><th>Goal</th>\
         <th>Responsible</th><th>Partners</th><th>Timeframe</th><th class=\"num\">Amounts</th>\
         </tr></thead><tbody>\n",
    );
    for m in &rec.measures {
        let goal = m
            .goal
            .as_ref()
            .and_then(|g| rec.goals.iter().find(|x| &x.id == g));
        let timeframe = m.timeframe.as_ref().map(|t| match (&t.from, &t.to) {
            (None, None) => t.text.clone(),
            (from, to) => format!(
                "{} ({} – {})",
                t.text,
                from.as_deref().unwrap_or("?"),
                to.as_deref().unwrap_or("?")
            ),
        });
        let _ = write!(
            s,
            "<tr id=\"doc-{}-{}\"><td class=\"no\">{}</td><td lang=\"no\">{}</td><td class=\"goal\" lang=\"no\" title=\"{}\">{}</td>\
             <td lang=\"no\">{}</td><td lang=\"no\">{}</td><td lang=\"no\">{}</td><td class=\"num\">",
            Esc(&rec.id),
            Esc(&m.id),
            Esc(m.number.as_deref().unwrap_or("")),
            linked(&m.title),
            Esc(goal.map(|g| g.title.as_str()).unwrap_or("")),
            Esc(&goal.map(goal_number).unwrap_or_default()),
            Esc(&names(&m.responsible)),
            Esc(&names(&m.partners)),
            Esc(timeframe.as_deref().unwrap_or("")),
        );
        // A figure the document states twice for the measure (its table,
        // then its text) is one amount: the repetition is left out.
        let own = |id: &str| m.amounts.iter().any(|a| a == id);
        for (k, a) in m
            .amounts
            .iter()
            .filter_map(|a| amounts.get(a.as_str()))
            .filter(|a| !a.repeats.as_deref().is_some_and(own))
            .enumerate()
        {
            if k > 0 {
                s.push_str("<br>");
            }
            amount(s, a);
        }
        s.push_str("</td></tr>\n");
    }
    s.push_str("</tbody></table>\n");
}

/// A measure's amount: its year and figure, the text as printed on hover,
/// and how sure OCR was of it where a scanned page was read.
fn amount(s: &mut String, a: &crate::record::AmountRec) {
    let year = a.year.map(|y| format!("{y}: ")).unwrap_or_default();
    let _ = write!(
        s,
        "<span class=\"nok\" title=\"{}\">{year}{}</span>",
        Esc(&a.text),
        nok(a.nok)
    );
    if let Some(c) = a.ocr {
        let _ = write!(
            s,
            " <small data-ocr=\"{c}\" title=\"read by OCR from a scanned page\">OCR {c}</small>"
        );
    }
}

/// "Delmål 1", or the title when the goal has no number.
fn goal_number(g: &crate::record::Goal) -> String {
    g.number.clone().unwrap_or_else(|| g.title.clone())
}

/// "Delmål 1 Øke rekruttering …": number and title.
fn goal_label(g: &crate::record::Goal) -> String {
    match &g.number {
        Some(n) => format!("{n} {}", g.title),
        None => g.title.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::CellRec;

    fn record(id: &str, title: &str) -> Record {
        let mut r = Record::blank(id, "pdf");
        r.source.sha256 = "00".into();
        r.source.pages = Some(3);
        r.source.bytes = 10;
        r.title = Some(title.into());
        r
    }

    fn loc(text: &str, highlight: Option<&str>, column: Option<u32>) -> Location {
        Location {
            page: Some(2),
            line: 40,
            text: text.into(),
            highlight: highlight.map(Into::into),
            column,
            cell: None,
            label: "stated total".into(),
            source: None,
        }
    }

    fn marked(l: &Location) -> String {
        let mut s = String::new();
        marked_line(&mut s, l);
        s
    }

    /// Writes a report of `add` and returns the page.
    fn render(name: &str, add: impl FnOnce(&mut Report)) -> String {
        let dir =
            std::env::temp_dir().join(format!("plansjekk-report-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        let path = dir.join("report.html");
        let mut r = Report::create(&path).unwrap();
        add(&mut r);
        r.finish().unwrap();
        let mut html = fs::read_to_string(&path).unwrap();
        let mut left: Vec<_> = fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        left.sort();
        assert_eq!(
            left,
            vec![
                std::ffi::OsString::from("report"),
                std::ffi::OsString::from("report.html")
            ],
            "temporary files left"
        );
        // The index, then each document's page.
        let mut pages: Vec<_> = fs::read_dir(dir.join(PAGES))
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        pages.sort();
        for p in pages {
            html.push_str(&fs::read_to_string(p).unwrap());
        }
        fs::remove_dir_all(&dir).unwrap();
        html
    }

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            Esc("<script>alert('x')</script> & \"q\"").to_string(),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;"
        );
        assert_eq!(Esc("Tiltak på Røros").to_string(), "Tiltak på Røros");
    }

    #[test]
    fn script_in_a_title_stays_text() {
        let html = render("escape", |r| {
            r.add(&record(
                "x-pdf",
                "<script>alert(1)</script>\" onmouseover=\"x",
            ))
            .unwrap()
        });
        assert!(!html.contains("<script>alert"));
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;&quot; onmouseover=&quot;x"));
        // The only script elements are ours: the index's and the page's.
        assert_eq!(html.matches("<script").count(), 2);
    }

    #[test]
    fn highlight_at_its_column_after_multibyte_text() {
        // "ø" and "å" are two bytes each: the column counts characters.
        let text = "Tilskudd til bøndene på Røros: 1 800 000 kr, og 1 800 000 kr i fjor";
        let col = text
            .find("1 800 000")
            .map(|b| text[..b].chars().count() as u32 + 1);
        let l = loc(text, Some("1 800 000 kr"), col);
        assert_eq!(
            marked(&l),
            "Tilskudd til bøndene på Røros: <mark>1 800 000 kr</mark>, og 1 800 000 kr i fjor"
        );
        // The second occurrence, by its column.
        let second = text.rfind("1 800 000").unwrap();
        let col2 = text[..second].chars().count() as u32 + 1;
        let l = loc(text, Some("1 800 000 kr"), Some(col2));
        assert_eq!(
            marked(&l),
            "Tilskudd til bøndene på Røros: 1 800 000 kr, og <mark>1 800 000 kr</mark> i fjor"
        );
    }

    #[test]
    fn highlight_falls_back_to_the_substring_and_escapes() {
        // A column counted in bytes (one too far per "ø") misses: the substring is found.
        let l = loc("Støtte <fra> Øst: 250 000 kr", Some("250 000 kr"), Some(23));
        assert_eq!(
            marked(&l),
            "Støtte &lt;fra&gt; Øst: <mark>250 000 kr</mark>"
        );
        let l = loc("Støtte: 250 000 kr", Some("250 000 kr"), None);
        assert_eq!(marked(&l), "Støtte: <mark>250 000 kr</mark>");
        // Not in the text, empty, or past its end: nothing is marked, nothing panics.
        assert_eq!(marked(&loc("Støtte", Some("9 kr"), Some(2))), "Støtte");
        assert_eq!(marked(&loc("Støtte", Some(""), Some(1))), "Støtte");
        assert_eq!(marked(&loc("ø", Some("ø"), Some(99))), "<mark>ø</mark>");
    }

    #[test]
    fn figures_are_norwegian() {
        assert_eq!(nok(1_800_000.0), "1 800 000 kr");
        assert_eq!(figure(391_324.31), "391 324,31");
        assert_eq!(figure(-100_000.0), "-100 000");
        assert_eq!(figure(7.0), "7");
    }

    #[test]
    fn base64_matches_the_standard() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
    }

    #[test]
    fn failed_documents_are_listed_with_their_class() {
        let html = render("failed", |r| {
            r.add(&record("a-pdf", "Plan A")).unwrap();
            r.add_failed("b-pdf", "corpus/b.pdf", "encrypted", "needs a <password>")
                .unwrap();
        });
        assert!(html.contains("id=\"row-b-pdf\""));
        assert!(html.contains("<code>encrypted</code><br>needs a &lt;password&gt;"));
        assert!(html.contains("<b>1</b><span>failed</span>"));
        // A failed document is a row, with no link and no page; a read one
        // links to its page, which links back.
        assert!(!html.contains("id=\"doc-b-pdf\""));
        assert!(html.contains("<a class=\"doc\" href=\"report/a-pdf.html\""));
        assert!(html.contains("<a href=\"../report.html\">"));
        // Documents in the order given: the index, then the pages.
        let (a, b) = (
            html.find("row-a-pdf").unwrap(),
            html.find("row-b-pdf").unwrap(),
        );
        assert!(a < b);
        assert!(html.find("id=\"doc-a-pdf\"").unwrap() > b);
    }

    /// A plan with one goal, one actor, one amount, one measure (responsible
    /// the actor, partner an id with no actor) and one table, as the
    /// finding and measure tests below render it.
    fn plan_with_measure() -> Record {
        use crate::record::{Actor, AmountRec, Goal, Measure, SpanRec, TableRec};
        let span = SpanRec {
            page: Some(1),
            line: 1,
            end_line: 1,
        };
        let mut rec = record("p-pdf", "Plan");
        rec.goals.push(Goal {
            id: "g1".into(),
            number: Some("Delmål 1".into()),
            title: "Øke rekruttering".into(),
            kind: "delmål".into(),
            parent: None,
            text: None,
            budget: None,
            span,
        });
        rec.actors.push(Actor {
            id: "p1".into(),
            name: "Trøndelag fylkeskommune".into(),
            kind: "fylkeskommune".into(),
            variants: vec![],
            mentions: 1,
        });
        rec.amounts.push(AmountRec {
            id: "a1".into(),
            nok: 1_800_000.0,
            text: "1,8 mill.".into(),
            role: "budget".into(),
            year: None,
            source: None,
            goal: None,
            measure: Some("m1".into()),
            origin: "text".into(),
            cell: None,
            repeats: None,
            span,
            ocr: None,
        });
        rec.measures.push(Measure {
            id: "m1".into(),
            goal: Some("g1".into()),
            number: Some("1".into()),
            title: "Omdømmebygging".into(),
            kind: "tiltak".into(),
            status: None,
            progress: None,
            responsible: vec!["p1".into()],
            partners: vec!["p9".into()],
            timeframe: None,
            amounts: vec!["a1".into()],
            seen_in: vec![],
            themes: vec![],
            budget: None,
            span,
        });
        rec.tables.push(TableRec {
            id: "t1".into(),
            title: Some("Budsjett".into()),
            kind: "budget".into(),
            header: vec![],
            rows: vec![],
            span,
        });
        rec
    }

    /// A column-sum finding whose stated total is cell (4, 2) of table t1,
    /// with a hint holding markup that must be escaped.
    fn column_sum_in_t1() -> Finding {
        let mut l = loc("SUM 6 300 000", Some("6 300 000"), Some(5));
        l.cell = Some(CellRec {
            table: "t1".into(),
            row: 4,
            column: 2,
            bbox: None,
            reference: None,
            formula: None,
        });
        Finding {
            id: "column-sum-0123456789abcdef".into(),
            rule: "column-sum".into(),
            severity: "error".into(),
            message: "the total is 6 300 000 but the items sum to 6 400 000".into(),
            stated: Some(6_300_000.0),
            computed: Some(6_400_000.0),
            difference: Some(-100_000.0),
            locations: vec![l],
            hint: Some("check the <b> row".into()),
            confidence: "high".into(),
            reason: "6 300 000 and 6 400 000 differ in one digit: a typing error".into(),
            ocr: None,
        }
    }

    /// The report of [`plan_with_measure`] with [`column_sum_in_t1`].
    fn render_plan_with_finding(name: &str) -> String {
        let mut rec = plan_with_measure();
        rec.findings.push(column_sum_in_t1());
        render(name, |r| r.add(&rec).unwrap())
    }

    #[test]
    fn a_place_is_named_as_the_file_has_it_then_as_the_text_line() {
        let mut l = loc("Til sammen 1 800 000 kr", Some("1 800 000"), Some(12));
        l.page = None;
        l.source = Some(crate::record::SourcePlace {
            page: None,
            line: Some(146),
            paragraph: None,
            column: 338,
        });
        let mut s = String::new();
        location(&mut s, &record("t", "T"), &l);
        assert!(
            s.contains("<b>stated total</b> · line 146, column 338 (text line 40)"),
            "{s}"
        );
        l.source = Some(crate::record::SourcePlace {
            page: None,
            line: None,
            paragraph: Some(13),
            column: 1,
        });
        let mut s = String::new();
        location(&mut s, &record("t", "T"), &l);
        assert!(s.contains("paragraph 13, column 1 (text line 40)"), "{s}");
    }

    #[test]
    fn findings_render_with_confidence_place_cell_and_amounts() {
        let html = render_plan_with_finding("finding");
        assert!(html.contains(
            "<p class=\"confidence\" data-confidence=\"high\">Confidence high: 6 300 000 and 6 400 000 differ in one digit: a typing error</p>"
        ));
        assert!(html.contains(
            "<li class=\"finding\" id=\"doc-p-pdf-f1\" data-finding=\"column-sum-0123456789abcdef\" data-status=\"new\" data-rule=\"column-sum\" data-severity=\"error\">"
        ));
        assert!(html.contains(
            "<b>stated total</b> · page 2, line 40 · table t1 «Budsjett», row 5, column 3"
        ));
        assert!(html.contains("SUM <mark>6 300 000</mark>"));
        assert!(html.contains("<dd class=\"nok\">-100 000</dd>"));
        assert!(html.contains("check the &lt;b&gt; row"));
    }

    #[test]
    fn measures_render_with_actor_names_amounts_and_goal_numbers() {
        let html = render_plan_with_finding("measure");
        // Actors by name; an id with no actor is shown as it is.
        assert!(
            html.contains("<td lang=\"no\">Trøndelag fylkeskommune</td><td lang=\"no\">p9</td>")
        );
        assert!(html.contains("<span class=\"nok\" title=\"1,8 mill.\">1 800 000 kr</span>"));
        assert!(html.contains(">Delmål 1</td>"));
    }

    #[test]
    fn a_web_address_in_a_title_is_a_link_named_by_its_host() {
        let title = "Møt Midt Troms-arrangement 22.05.2014 http://www.midt-troms.no/moet-midt-troms.5502812-75085.html.";
        assert_eq!(
            linked(title),
            "Møt Midt Troms-arrangement 22.05.2014 <a class=\"url\" \
             href=\"http://www.midt-troms.no/moet-midt-troms.5502812-75085.html\" \
             title=\"http://www.midt-troms.no/moet-midt-troms.5502812-75085.html\">midt-troms.no</a>."
        );
        assert_eq!(
            linked("se www.distriktssenteret.no/x?a=1&b=2 <b>"),
            "se <a class=\"url\" href=\"https://www.distriktssenteret.no/x?a=1&amp;b=2\" \
             title=\"www.distriktssenteret.no/x?a=1&amp;b=2\">distriktssenteret.no</a> &lt;b&gt;"
        );
        // Only web addresses are links.
        assert_eq!(linked("javascript:alert(1)"), "javascript:alert(1)");
        assert_eq!(linked("Tiltak 1 <x>"), "Tiltak 1 &lt;x&gt;");
    }

    #[test]
    fn a_measure_shows_a_figure_once_however_often_the_plan_states_it() {
        let mut rec = plan_with_measure();
        let mut again = rec.amounts[0].clone();
        again.id = "a2".into();
        again.text = "1 800 000 kr".into();
        again.repeats = Some("a1".into());
        rec.amounts.push(again);
        rec.measures[0].amounts.push("a2".into());
        let mut s = String::new();
        plan(&mut s, &rec);
        assert_eq!(s.matches("1 800 000 kr</span>").count(), 1, "{s}");
        // A figure that repeats one the measure does not list is its own.
        rec.measures[0].amounts.remove(0);
        let mut s = String::new();
        plan(&mut s, &rec);
        assert_eq!(s.matches("1 800 000 kr</span>").count(), 1, "{s}");
    }

    #[test]
    fn goals_show_their_budget() {
        use crate::record::{BudgetRec, YearNok};
        let mut rec = plan_with_measure();
        rec.goals[0].budget = Some(BudgetRec {
            nok: Some(4_900_000.0),
            years: vec![YearNok {
                year: 2025,
                nok: 1_900_000.0,
            }],
            source: "table".into(),
            table: Some("t9".into()),
            row: Some(2),
            amounts: vec![],
        });
        let mut s = String::new();
        plan(&mut s, &rec);
        assert!(s.contains("<th class=\"num\">Budget</th>"), "{s}");
        assert!(
            s.contains("<td class=\"num\"><span class=\"nok\" title=\"2025: 1 900 000 kr; from table t9, row 3\">4 900 000 kr</span></td></tr>"),
            "{s}"
        );
    }

    #[test]
    fn a_text_document_shows_no_pages() {
        // A transcript marks its original's pages ("Side 3"): still a text.
        let mut rec = plan_with_measure();
        rec.source.format = "text".into();
        rec.source.pages = Some(22);
        rec.findings.push(column_sum_in_t1());
        let html = render("text-pages", |r| r.add(&rec).unwrap());
        assert!(!html.contains("<dt>pages</dt>"), "no page count");
        assert!(!html.contains("page 2,"), "no page number");
        assert!(html.contains("<b>stated total</b> · line 40 ·"), "{html}");
        assert!(html.contains("<td>text</td><td class=\"num\"></td>"));
        assert!(html.contains("<li><b>0</b><span>pages</span></li>"));
        // A PDF keeps them.
        let html = render_plan_with_finding("pdf-pages");
        assert!(html.contains("<dt>pages</dt><dd>3</dd>"));
    }

    #[test]
    fn output_is_deterministic() {
        let build = |name: &str| {
            render(name, |r| {
                r.add(&record("a-pdf", "Plan A")).unwrap();
                r.add_failed("b-pdf", "b.pdf", "corrupt", "bad xref")
                    .unwrap();
            })
        };
        assert_eq!(build("det1"), build("det2"));
    }

    #[test]
    fn dropped_unfinished_leaves_nothing() {
        let dir =
            std::env::temp_dir().join(format!("plansjekk-report-drop-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        let mut r = Report::create(&dir.join("report.html")).unwrap();
        r.add(&record("a-pdf", "Plan A")).unwrap();
        drop(r);
        assert_eq!(fs::read_dir(&dir).unwrap().count(), 0);
        fs::remove_dir_all(&dir).unwrap();
    }
}

//! Findings for people: each with its source lines and labelled spans
//! (annotate-snippets), grouped by document, with a summary. Reads records
//! only, so it shows exactly what the JSON says.

use annotate_snippets::{Level, Renderer, Snippet};

use super::record::{Finding, Location, Record};

/// Secondary places shown per finding; the rest are counted.
const SHOWN: usize = 8;

fn level(severity: &str) -> Level {
    match severity {
        "error" => Level::Error,
        _ => Level::Warning,
    }
}

/// The byte range of `loc.highlight` at `loc.column` in `loc.text`, or the whole text.
fn span_of(loc: &Location) -> std::ops::Range<usize> {
    let (Some(h), Some(col)) = (loc.highlight.as_deref(), loc.column) else {
        return 0..loc.text.len();
    };
    let start = loc
        .text
        .char_indices()
        .nth((col as usize).saturating_sub(1))
        .map_or(loc.text.len(), |(i, _)| i);
    match loc.text.get(start..start + h.len()) {
        Some(t) if t == h => start..start + h.len(),
        _ => 0..loc.text.len(),
    }
}

/// Long prose lines are cut to a window around the span.
fn window(loc: &Location) -> (String, std::ops::Range<usize>) {
    const WIDTH: usize = 110;
    let span = span_of(loc);
    let text = &loc.text;
    if text.chars().count() <= WIDTH {
        return (text.clone(), span);
    }
    let mut start = span.start.saturating_sub(40);
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = (span.end + 60)
        .min(text.len())
        .max((start + WIDTH).min(text.len()));
    while !text.is_char_boundary(end) {
        end += 1;
    }
    let (pre, post) = (
        if start > 0 { "…" } else { "" },
        if end < text.len() { "…" } else { "" },
    );
    let cut = format!("{pre}{}{post}", &text[start..end]);
    let shift = pre.len();
    let from = span.start.max(start) - start + shift;
    let to = span.end.min(end) - start + shift;
    (cut, from..to.max(from))
}

/// One finding as people read it.
pub fn render_finding(path: &str, f: &Finding, color: bool) -> String {
    let title = format!("{} [{}]", f.message, f.rule);
    let lvl = level(&f.severity);
    let windows: Vec<(String, std::ops::Range<usize>, &Location)> = f
        .locations
        .iter()
        .take(SHOWN + 1)
        .map(|l| {
            let (t, r) = window(l);
            (t, r, l)
        })
        .collect();
    let origins: Vec<String> = windows
        .iter()
        .map(|(_, _, l)| match l.page {
            Some(p) => format!("{path} (page {p})"),
            None => path.to_string(),
        })
        .collect();
    // A table cell is named too, counted from 1 as people count: the first
    // place on each line (the others on it are cells of the same row).
    let labels: Vec<String> = windows
        .iter()
        .enumerate()
        .map(|(k, (_, _, l))| match &l.cell {
            Some(c) if k == 0 || windows[k - 1].2.line != l.line => format!(
                "{} (table {}, row {}, column {})",
                l.label,
                c.table,
                c.row + 1,
                c.column + 1
            ),
            _ => l.label.clone(),
        })
        .collect();
    let mut message = lvl.title(&title);
    // Places on one line (cells of one row) share one snippet.
    let mut i = 0;
    while i < windows.len() {
        let (text, _, loc) = &windows[i];
        let mut j = i;
        while j + 1 < windows.len()
            && windows[j + 1].2.line == loc.line
            && windows[j + 1].0 == *text
        {
            j += 1;
        }
        let mut snippet = Snippet::source(text)
            .line_start(loc.line as usize)
            .origin(&origins[i]);
        for (k, (_, range, _)) in windows.iter().enumerate().take(j + 1).skip(i) {
            let ann_level = if k == 0 { lvl } else { Level::Info };
            snippet = snippet.annotation(ann_level.span(range.clone()).label(&labels[k]));
        }
        message = message.snippet(snippet);
        i = j + 1;
    }
    let more = f.locations.len().saturating_sub(SHOWN + 1);
    let more_note = format!("and {more} more places");
    if more > 0 {
        message = message.footer(Level::Note.title(&more_note));
    }
    let figures = match (f.stated, f.computed) {
        (Some(s), Some(c)) => Some(format!(
            "stated {}, computed {}, difference {}",
            num(s),
            num(c),
            num(s - c)
        )),
        _ => None,
    };
    if let Some(fig) = &figures {
        message = message.footer(Level::Note.title(fig));
    }
    if let Some(h) = &f.hint {
        message = message.footer(Level::Help.title(h));
    }
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let rendered = renderer.render(message).to_string();
    rendered
}

/// "1 900 000", "622 834,96", "-100 000".
fn num(x: f64) -> String {
    let ore = (x * 100.0).round() as i64;
    crate::norsk::Amount::from_ore(ore).to_string()
}

/// A document's findings, then a one-line summary of them.
pub fn render_record(rec: &Record, color: bool) -> String {
    let mut out = String::new();
    for f in &rec.findings {
        out.push_str(&render_finding(&rec.source.path, f, color));
        out.push_str("\n\n");
    }
    let (e, w) = counts(&rec.findings);
    out.push_str(&format!(
        "{}: {} error{}, {} warning{}\n",
        rec.source.path,
        e,
        if e == 1 { "" } else { "s" },
        w,
        if w == 1 { "" } else { "s" }
    ));
    out
}

pub fn counts(findings: &[Finding]) -> (usize, usize) {
    let e = findings.iter().filter(|f| f.severity == "error").count();
    (e, findings.len() - e)
}

//! Findings for people: each with its source lines and labelled spans
//! (annotate-snippets), grouped by document, with a summary. Reads records
//! only, so it shows exactly what the JSON says, except that characters a
//! terminal would act on are shown escaped ([`escape`]).

use std::borrow::Cow;
use std::ops::Range;

use annotate_snippets::{Level, Renderer, Snippet};

use crate::record::{Finding, Location, Record};

/// Secondary places shown per finding; the rest are counted.
const SHOWN: usize = 8;

/// Whether a terminal would act on `c` instead of showing it: control
/// characters (C0 but the tab, DEL, C1: `ESC ]0;title BEL` retitles the
/// window, `ESC [2J` clears it, a newline forges a line of output), bidi
/// controls that reorder what follows (Trojan Source), and the Unicode line
/// and paragraph separators.
pub(crate) fn acts_on_terminal(c: char) -> bool {
    (c.is_control() && c != '\t')
        || matches!(
            c,
            '\u{061c}'
                | '\u{200e}'
                | '\u{200f}'
                | '\u{202a}'..='\u{202e}'
                | '\u{2066}'..='\u{2069}'
                | '\u{2028}'
                | '\u{2029}'
        )
}

fn push_escaped(out: &mut String, c: char) {
    if (c as u32) < 0x80 {
        out.push_str(&format!("\\x{:02x}", c as u32));
    } else {
        out.push_str(&format!("\\u{{{:x}}}", c as u32));
    }
}

/// `s` as it may reach a terminal: every character a terminal would act on
/// written visibly instead, as `\x1b` (below U+0080) or `\u{202e}`. Text
/// from documents and their file names is anyone's; printed raw it could
/// rewrite the screen, the window title or the order of what is read.
pub fn escape(s: &str) -> Cow<'_, str> {
    if !s.chars().any(acts_on_terminal) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if acts_on_terminal(c) {
            push_escaped(&mut out, c);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// [`escape`] of a source line with a byte range in it: the range moved to
/// cover the same characters in the escaped line.
fn escape_span(text: &str, span: std::ops::Range<usize>) -> (String, std::ops::Range<usize>) {
    let mut out = String::with_capacity(text.len());
    let (mut start, mut end) = (None, None);
    for (i, c) in text.char_indices() {
        if i == span.start {
            start = Some(out.len());
        }
        if i == span.end {
            end = Some(out.len());
        }
        if acts_on_terminal(c) {
            push_escaped(&mut out, c);
        } else {
            out.push(c);
        }
    }
    let start = start.unwrap_or(out.len());
    let end = end.unwrap_or(out.len()).max(start);
    (out, start..end)
}

fn level(severity: &str) -> Level {
    match severity {
        "error" => Level::Error,
        "warning" => Level::Warning,
        _ => Level::Note,
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

/// Long prose lines are cut to a window around the span, then escaped.
fn window(loc: &Location) -> (String, std::ops::Range<usize>) {
    let (text, span) = cut(loc);
    escape_span(&text, span)
}

fn cut(loc: &Location) -> (String, std::ops::Range<usize>) {
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

/// Each place's label. A table cell is named too, counted from 1 as people
/// count: the first place on each line (the others on it are cells of the
/// same row).
fn labels(windows: &[(String, Range<usize>, &Location)]) -> Vec<String> {
    windows
        .iter()
        .enumerate()
        .map(|(k, (_, _, l))| match &l.cell {
            Some(c) if k == 0 || windows[k - 1].2.line != l.line => match &c.reference {
                // A spreadsheet's cell is named as the spreadsheet names it.
                Some(r) => format!(
                    "{} ({}, table {})",
                    escape(&l.label),
                    escape(r),
                    escape(&c.table)
                ),
                None => format!(
                    "{} (table {}, row {}, column {})",
                    escape(&l.label),
                    escape(&c.table),
                    c.row + 1,
                    c.column + 1
                ),
            },
            _ => escape(&l.label).into_owned(),
        })
        .collect()
}

/// One finding as people read it.
pub fn render_finding(path: &str, f: &Finding, color: bool) -> String {
    let path = escape(path);
    let path = path.as_ref();
    let title = format!("{} [{}]", escape(&f.message), escape(&f.rule));
    let lvl = level(&f.severity);
    let windows: Vec<(String, Range<usize>, &Location)> = f
        .locations
        .iter()
        .take(SHOWN + 1)
        .map(|l| {
            let (t, r) = window(l);
            (t, r, l)
        })
        .collect();
    // A place found in the file is named as the file has it; the renderer
    // would append the line and column of the quoted text, so it gets a
    // placeholder that `place_headers` replaces.
    let origins: Vec<String> = windows
        .iter()
        .enumerate()
        .map(|(k, (_, _, l))| match (l.source, l.page) {
            (Some(_), _) => format!("{PLACE}{k}{PLACE_END}"),
            _ if sheet_cell(l).is_some() => format!("{PLACE}{k}{PLACE_END}"),
            (None, Some(p)) => format!("{path} (page {p})"),
            (None, None) => path.to_string(),
        })
        .collect();
    let labels = labels(&windows);
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
        let shown_line = loc
            .source
            .and_then(|p| p.line.or(p.paragraph))
            .unwrap_or(loc.line);
        let mut snippet = Snippet::source(text)
            .line_start(shown_line as usize)
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
    let hint = f.hint.as_deref().map(escape);
    if let Some(h) = &hint {
        message = message.footer(Level::Help.title(h));
    }
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let rendered = renderer.render(message).to_string();
    place_headers(&rendered, path, &windows)
}

/// Brackets a placeholder for a place's header (see [`render_finding`]):
/// control characters, which never reach the renderer otherwise (text is
/// escaped first).
const PLACE: char = '\u{1}';
const PLACE_END: char = '\u{2}';

/// `rendered` with each placeholder, and the line and column the renderer
/// appended to it, replaced by the place in the file and the line of the
/// normalised text: "plan.txt:146:26 (text line 117)", "plan.docx
/// (paragraph 57, column 26; text line 117)", "plan.pdf (page 4, line 12,
/// column 26; text line 117)".
fn place_headers(
    rendered: &str,
    path: &str,
    windows: &[(String, Range<usize>, &Location)],
) -> String {
    static HEADER: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new("\u{1}([0-9]+)\u{2}(?::[0-9]+:[0-9]+)?").expect("a valid pattern")
    });
    HEADER
        .replace_all(rendered, |c: &regex::Captures| {
            let k: usize = c[1].parse().unwrap_or(0);
            let Some((_, _, l)) = windows.get(k) else {
                return path.to_string();
            };
            match l.source {
                Some(p) if p.paragraph.is_none() && p.page.is_none() => {
                    format!(
                        "{path}:{}:{} (text line {})",
                        p.line.unwrap_or(l.line),
                        p.column,
                        l.line
                    )
                }
                Some(p) => format!("{path} ({}; text line {})", p.describe(), l.line),
                // A spreadsheet has no lines: its cell is the place.
                None => match sheet_cell(l) {
                    Some(r) => format!("{path} ({}; text line {})", escape(r), l.line),
                    None => path.to_string(),
                },
            }
        })
        .into_owned()
}

/// A spreadsheet's cell ("Budsjett!B10"): its place, where it has no lines.
fn sheet_cell(l: &Location) -> Option<&str> {
    l.cell.as_ref().and_then(|c| c.reference.as_deref())
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
        escape(&rec.source.path),
        e,
        if e == 1 { "" } else { "s" },
        w,
        if w == 1 { "" } else { "s" }
    ));
    out
}

/// How many of the findings are errors, and how many warnings.
pub fn counts(findings: &[Finding]) -> (usize, usize) {
    let e = findings.iter().filter(|f| f.severity == "error").count();
    (e, findings.len() - e)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hostile_finding() -> Finding {
        let text = "Strategien \u{1b}[2J gjelder for 2027\u{202e}–2024 \u{9b}31m.";
        let column = text[..text.find("2027").unwrap()].chars().count() as u32 + 1;
        Finding {
            id: "date-conflict-1".into(),
            rule: "date-conflict".into(),
            severity: "error".into(),
            message: "the period «2027\u{202e}–2024» ends \u{1b}]0;pwned\u{7} before".into(),
            stated: None,
            computed: None,
            difference: None,
            locations: vec![Location {
                page: None,
                line: 3,
                text: text.into(),
                highlight: Some("2027\u{202e}–2024".into()),
                column: Some(column),
                cell: None,
                label: "period\n forged line".into(),
                source: None,
            }],
            hint: Some("see \u{2066}here".into()),
            confidence: String::new(),
            reason: String::new(),
            ocr: None,
        }
    }

    #[test]
    fn what_a_terminal_acts_on_is_escaped_visibly() {
        assert_eq!(escape("Bø kommune\tår"), "Bø kommune\tår");
        assert!(matches!(escape("Bø"), Cow::Borrowed(_)));
        assert_eq!(escape("a\u{1b}]0;x\u{7}b"), "a\\x1b]0;x\\x07b");
        assert_eq!(escape("\r\n\u{7f}"), "\\x0d\\x0a\\x7f");
        assert_eq!(
            escape("\u{9b}\u{202e}\u{2069}\u{2028}"),
            "\\u{9b}\\u{202e}\\u{2069}\\u{2028}"
        );
    }

    #[test]
    fn an_escaped_line_keeps_its_span_on_the_same_characters() {
        let text = "a\u{1b}b 1\u{202e}2 c";
        let start = text.find('1').unwrap();
        let end = text.find(" c").unwrap();
        let (out, span) = escape_span(text, start..end);
        assert_eq!(out, "a\\x1bb 1\\u{202e}2 c");
        assert_eq!(&out[span], "1\\u{202e}2");
        let (out, span) = escape_span("\u{1b}", 0..1);
        assert_eq!(&out[span], "\\x1b", "a span to the end of the line");
    }

    #[test]
    fn a_place_is_printed_as_the_file_has_it() {
        let mut f = hostile_finding();
        f.locations[0].text = "Til sammen 1 800 000 kr.".into();
        f.locations[0].highlight = Some("1 800 000".into());
        f.locations[0].column = Some(12);
        f.locations[0].source = Some(crate::record::SourcePlace {
            page: None,
            line: Some(146),
            paragraph: None,
            column: 338,
        });
        let plain = render_finding("plan.txt", &f, false);
        assert!(
            plain.contains("--> plan.txt:146:338 (text line 3)\n"),
            "{plain}"
        );
        assert!(
            plain.contains("146 | Til sammen"),
            "the file's line: {plain}"
        );
        let coloured = render_finding("plan.txt", &f, true);
        assert!(
            coloured.contains("plan.txt:146:338 (text line 3)"),
            "{coloured:?}"
        );
        f.locations[0].page = Some(4);
        f.locations[0].source = Some(crate::record::SourcePlace {
            page: Some(4),
            line: Some(12),
            paragraph: None,
            column: 12,
        });
        let plain = render_finding("plan.pdf", &f, false);
        assert!(
            plain.contains("--> plan.pdf (page 4, line 12, column 12; text line 3)\n"),
            "{plain}"
        );
        f.locations[0].source = None;
        let plain = render_finding("plan.pdf", &f, false);
        assert!(plain.contains("--> plan.pdf (page 4):3:12\n"), "{plain}");
    }

    #[test]
    fn a_rendered_finding_carries_no_control_of_its_own() {
        let f = hostile_finding();
        let plain = render_finding("plan\u{1b}]0;pwned\u{7}.txt", &f, false);
        assert!(
            !plain.chars().any(acts_on_terminal_but_newline),
            "{plain:?}"
        );
        assert!(plain.contains("plan\\x1b]0;pwned\\x07.txt"), "{plain}");
        assert!(plain.contains("Strategien \\x1b[2J gjelder"), "{plain}");
        // The span still underlines the period, escapes and all.
        assert!(plain.contains("2027\\u{202e}–2024"), "{plain}");
        let underline = plain
            .lines()
            .find(|l| l.contains('^'))
            .expect("an underlined span");
        assert_eq!(
            underline.matches('^').count(),
            "2027\\u{202e}–2024".chars().count()
        );
        // In colour, the only escapes are the renderer's own colours.
        let coloured = render_finding("plan\u{1b}]0;pwned\u{7}.txt", &f, true);
        for (i, _) in coloured.match_indices('\u{1b}') {
            let rest = &coloured[i + 1..];
            let sgr = rest.strip_prefix('[').map(|r| {
                r.trim_start_matches(|c: char| c.is_ascii_digit() || c == ';')
                    .starts_with('m')
            });
            assert_eq!(
                sgr,
                Some(true),
                "{:?}",
                &coloured[i..(i + 8).min(coloured.len())]
            );
        }
    }

    fn acts_on_terminal_but_newline(c: char) -> bool {
        c != '\n' && acts_on_terminal(c)
    }
}

/// "1 document", "3 documents": a count with its noun in the right number
/// (the nouns plansjekk prints take a plain "s").
pub fn count<N: std::fmt::Display + PartialEq + From<u8>>(n: N, noun: &str) -> String {
    let s = if n == N::from(1) { "" } else { "s" };
    format!("{n} {noun}{s}")
}

#[cfg(test)]
mod count_tests {
    #[test]
    fn one_and_many() {
        assert_eq!(super::count(1usize, "document"), "1 document");
        assert_eq!(super::count(0u64, "finding"), "0 findings");
        assert_eq!(super::count(18usize, "finding"), "18 findings");
    }
}

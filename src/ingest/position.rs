//! Where each line of the normalised text is in the source file: the
//! [`SourceMap`] a finding's place is looked up in, built once per document.
//!
//! Reading a file changes its text on the way (boilerplate dropped, page
//! markers taken out, markup stripped, lines split or joined, whitespace
//! collapsed), but the words stay in order. So the map is built after the
//! reading, by aligning the words of the normalised text with the words of
//! the source, each source character carrying its place: a patience
//! alignment (words found once on both sides anchor it, the stretches
//! between them are aligned the same way), so a word repeated elsewhere (a
//! heading listed in the table of contents) never pulls the rest off course.
//! A word the reading changed (one joined at a line-end hyphen) is found
//! nowhere and has no place.

use crate::model::{extend_runs, Run, SourceMap, SourceUnit};

/// The characters of a source that can reach the text, each with its place
/// (line or paragraph, 1-based column). Markup is left out and an entity
/// stands for its character, placed at its `&`.
#[derive(Default)]
pub struct Stream {
    text: String,
    /// How many characters `text` has.
    chars: usize,
    /// The places, as runs of characters that stand side by side in the
    /// source: (index of the run's first character in `text`, its line, its
    /// column); each next character of a run is one column further. A text
    /// file's line is one run: a place per character cost twelve bytes a
    /// character of the document (240 MB for a text of 20 MB).
    runs: Vec<(u32, u32, u32)>,
}

impl Stream {
    fn push(&mut self, c: char, line: u32, column: u32) {
        let k = self.chars as u32;
        let follows = self
            .runs
            .last()
            .is_some_and(|&(at, l, first)| l == line && first.wrapping_add(k - at) == column);
        if !follows {
            self.runs.push((k, line, column));
        }
        self.chars += 1;
        self.text.push(c);
    }

    /// The places (line, column) of the `n` characters from character
    /// `first` on, as far as the stream has them.
    fn places(&self, first: usize, n: usize) -> impl Iterator<Item = (u32, u32)> + '_ {
        let mut run = self
            .runs
            .partition_point(|r| r.0 as usize <= first)
            .saturating_sub(1);
        (first..(first + n).min(self.chars)).map(move |k| {
            while self.runs.get(run + 1).is_some_and(|r| r.0 as usize <= k) {
                run += 1;
            }
            let (at, line, column) = self.runs[run];
            (line, column + (k as u32 - at))
        })
    }

    /// A text file: its lines as they are, but lines with HTML markup
    /// (`has_markup`: text exported from forms carries `<p>` and `<td>`)
    /// read as HTML.
    pub fn of_text(text: &str, has_markup: impl Fn(&str) -> bool) -> Stream {
        let mut s = Stream::default();
        for (i, line) in text.split('\n').enumerate() {
            let line = line.strip_suffix('\r').unwrap_or(line);
            let n = i as u32 + 1;
            if has_markup(line) {
                s.scan_markup(line, n);
            } else {
                for (k, c) in line.chars().enumerate() {
                    s.push(c, n, k as u32 + 1);
                }
            }
            s.push('\n', n, line.chars().count() as u32 + 1);
        }
        s
    }

    /// An HTML file: the text between its tags, entities decoded.
    pub fn of_html(text: &str) -> Stream {
        let mut s = Stream::default();
        s.scan_markup(text, 1);
        s
    }

    /// Paragraphs by number, each with its text as the format holds it.
    pub fn of_paragraphs<'a>(paragraphs: impl IntoIterator<Item = (u32, &'a str)>) -> Stream {
        let mut s = Stream::default();
        for (n, text) in paragraphs {
            let mut k = 0;
            for c in text.chars() {
                k += 1;
                s.push(c, n, k);
            }
            s.push('\n', n, k + 1);
        }
        s
    }

    /// Text with markup, from line `line`: a tag is a word break, an element
    /// that holds no text (`script`, `style`, a comment) is left out.
    fn scan_markup(&mut self, text: &str, mut line: u32) {
        let chars: Vec<char> = text.chars().collect();
        let (mut i, mut column) = (0usize, 1u32);
        // Moves past `n` characters, counting lines.
        let advance = |i: &mut usize, n: usize, line: &mut u32, column: &mut u32| {
            for &c in &chars[*i..(*i + n).min(chars.len())] {
                if c == '\n' {
                    *line += 1;
                    *column = 1;
                } else {
                    *column += 1;
                }
            }
            *i = (*i + n).min(chars.len());
        };
        while i < chars.len() {
            let c = chars[i];
            if c == '<' {
                if let Some(n) = tag_length(&chars[i..]) {
                    self.push(' ', line, column);
                    advance(&mut i, n, &mut line, &mut column);
                    continue;
                }
            }
            if c == '&' {
                if let Some((decoded, n)) = entity(&chars[i..]) {
                    self.push(decoded, line, column);
                    advance(&mut i, n, &mut line, &mut column);
                    continue;
                }
            }
            self.push(if c == '\r' { ' ' } else { c }, line, column);
            advance(&mut i, 1, &mut line, &mut column);
        }
    }

    /// The words, and the index of each one's first character.
    fn words(&self) -> (Vec<&str>, Vec<u32>) {
        let (mut words, mut firsts) = (Vec::new(), Vec::new());
        let mut start: Option<(usize, usize)> = None;
        for (k, (b, c)) in self.text.char_indices().enumerate() {
            match (c.is_whitespace(), start) {
                (false, None) => start = Some((b, k)),
                (true, Some((sb, sk))) => {
                    words.push(&self.text[sb..b]);
                    firsts.push(sk as u32);
                    start = None;
                }
                _ => {}
            }
        }
        if let Some((sb, sk)) = start {
            words.push(&self.text[sb..]);
            firsts.push(sk as u32);
        }
        (words, firsts)
    }
}

/// The length of the tag, comment or text-less element at the start of
/// `chars` ("<td class=x>", "<!-- … -->", "<script>…</script>"), when it is one.
fn tag_length(chars: &[char]) -> Option<usize> {
    let starts = |s: &str| {
        s.chars().count() <= chars.len()
            && chars
                .iter()
                .zip(s.chars())
                .all(|(a, b)| a.eq_ignore_ascii_case(&b))
    };
    let find = |from: usize, s: &str| {
        let pat: Vec<char> = s.chars().collect();
        (from..chars.len().saturating_sub(pat.len() - 1)).find(|&k| {
            chars[k..k + pat.len()]
                .iter()
                .zip(&pat)
                .all(|(a, b)| a.eq_ignore_ascii_case(b))
        })
    };
    if starts("<!--") {
        return Some(find(4, "-->").map_or(chars.len(), |k| k + 3));
    }
    let next = *chars.get(1)?;
    if !(next.is_ascii_alphabetic() || matches!(next, '/' | '!' | '?')) {
        return None;
    }
    let end = chars.iter().position(|&c| c == '>')? + 1;
    for raw in ["<script", "<style"] {
        let after = chars.get(raw.len()).copied().unwrap_or('>');
        if starts(raw) && (after.is_whitespace() || after == '>') {
            let close = format!("</{}", &raw[1..]);
            return Some(find(end, &close).map_or(chars.len(), |k| {
                k + chars[k..]
                    .iter()
                    .position(|&c| c == '>')
                    .map_or(0, |p| p + 1)
            }));
        }
    }
    Some(end)
}

/// The character an entity at the start of `chars` stands for ("&nbsp;",
/// "&#229;", "&#xE5;"), and the entity's length.
fn entity(chars: &[char]) -> Option<(char, usize)> {
    let end = chars.iter().take(12).position(|&c| c == ';')?;
    let name: String = chars[1..end].iter().collect();
    let c = if let Some(num) = name.strip_prefix('#') {
        let n = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse().ok()?,
        };
        char::from_u32(n)?
    } else {
        match name.as_str() {
            "nbsp" => '\u{a0}',
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "quot" => '"',
            "apos" => '\'',
            "aelig" => 'æ',
            "oslash" => 'ø',
            "aring" => 'å',
            "AElig" => 'Æ',
            "Oslash" => 'Ø',
            "Aring" => 'Å',
            "eacute" => 'é',
            "ndash" => '–',
            "mdash" => '—',
            "shy" => '\u{ad}',
            "laquo" => '«',
            "raquo" => '»',
            "lsquo" => '‘',
            "rsquo" => '’',
            "ldquo" => '“',
            "rdquo" => '”',
            "hellip" => '…',
            "euro" => '€',
            "thinsp" => '\u{2009}',
            _ => return None,
        }
    };
    Some((c, end + 1))
}

/// The source place of every line of `lines`, aligned word by word with
/// `source`.
pub fn align(lines: &[String], source: &Stream, unit: SourceUnit) -> SourceMap {
    // The normalised text's words, and where each is: (line index, first
    // character); the source's, and the index of each one's first character.
    // Held side by side rather than as tuples with the words: the tables
    // are a few words a line of the document, 20 MB for each megabyte of a
    // text as tuples.
    let mut a: Vec<&str> = Vec::new();
    let mut ours: Vec<(u32, u32)> = Vec::new();
    for (li, line) in lines.iter().enumerate() {
        for (k, w) in words_of(line) {
            a.push(w);
            ours.push((li as u32, k));
        }
    }
    let (b, theirs) = source.words();
    // Runs grown character by character: holding every character's place
    // first cost twelve bytes a character of the document.
    let mut runs: Vec<Vec<Run>> = vec![Vec::new(); lines.len()];
    for (i, j) in patience(&a, &b) {
        let (li, at) = ours[i];
        let first = theirs[j] as usize;
        for (k, (line, column)) in source.places(first, a[i].chars().count()).enumerate() {
            extend_runs(&mut runs[li as usize], (at + k as u32, line, column));
        }
    }
    SourceMap::from_runs(unit, runs)
}

/// The words of a line, each with its first character's offset.
fn words_of(line: &str) -> impl Iterator<Item = (u32, &str)> {
    let mut chars = line.char_indices().enumerate().peekable();
    std::iter::from_fn(move || {
        while chars.next_if(|(_, (_, c))| c.is_whitespace()).is_some() {}
        let (k, (start, _)) = chars.next()?;
        let mut end = line.len();
        for (_, (b, c)) in chars.by_ref() {
            if c.is_whitespace() {
                end = b;
                break;
            }
        }
        Some((k as u32, &line[start..end]))
    })
}

/// Pairs of equal words of `a` and `b`, increasing on both sides (a patience
/// alignment; where a stretch has no word found once on each side, words are
/// paired in order within a short reach).
fn patience(a: &[&str], b: &[&str]) -> Vec<(usize, usize)> {
    patience_counting(a, b).0
}

/// [`patience`], and how many words it looked at for anchors: what its time
/// grows with (the tests hold it to the budget).
fn patience_counting(a: &[&str], b: &[&str]) -> (Vec<(usize, usize)>, usize) {
    let mut looked = 0;
    let mut out = Vec::new();
    let mut todo = vec![(0, a.len(), 0, b.len())];
    // Words looked at for anchors, bounded: an order no reading makes could
    // otherwise anchor a word or two a round of a long stretch, quadratic in
    // the document (a text reversed is not such an order: its first round
    // leaves stretches without a common word); past the budget, stretches
    // are paired in order.
    let mut budget = 64 * (a.len() + b.len()) + 4096;
    while let Some((mut a0, mut a1, mut b0, mut b1)) = todo.pop() {
        while a0 < a1 && b0 < b1 && a[a0] == b[b0] {
            out.push((a0, b0));
            (a0, b0) = (a0 + 1, b0 + 1);
        }
        while a0 < a1 && b0 < b1 && a[a1 - 1] == b[b1 - 1] {
            out.push((a1 - 1, b1 - 1));
            (a1, b1) = (a1 - 1, b1 - 1);
        }
        if a0 == a1 || b0 == b1 {
            continue;
        }
        let work = (a1 - a0) + (b1 - b0);
        let anchors = if work <= budget {
            budget -= work;
            // Words found once on each side first; repeated ones only where
            // there are none (a short word repeated nearby, "1" or "kr",
            // pairs more easily with the wrong occurrence).
            let (a, b) = (&a[a0..a1], &b[b0..b1]);
            looked += work;
            let unique = anchors(a, b, 1);
            if unique.is_empty() {
                looked += work;
                anchors(a, b, MAX_REPEATS)
            } else {
                unique
            }
        } else {
            Vec::new()
        };
        if anchors.is_empty() {
            out.extend(in_order(&a[a0..a1], &b[b0..b1]).map(|(i, j)| (a0 + i, b0 + j)));
            continue;
        }
        let (mut pa, mut pb) = (a0, b0);
        for (i, j) in anchors {
            let (i, j) = (a0 + i, b0 + j);
            todo.push((pa, i, pb, j));
            out.push((i, j));
            (pa, pb) = (i + 1, j + 1);
        }
        todo.push((pa, a1, pb, b1));
    }
    out.sort_unstable();
    (out, looked)
}

/// Words found as often in `a` as in `b` (at most `max` times), their k-th
/// occurrences paired, as pairs of indexes: the longest chain of them
/// increasing on both sides. A word found once on each side is the classic
/// patience anchor; a word found a few times on each side is one too where a
/// text repeats itself (a programme printed twice), and the chain drops the
/// pairs that cross others.
fn anchors(a: &[&str], b: &[&str], max: usize) -> Vec<(usize, usize)> {
    // foldhash: every word of the document is hashed here, and SipHash's
    // guard against chosen keys is not needed for a document's own words.
    let mut seen: foldhash::HashMap<&str, (Vec<usize>, Vec<usize>)> = Default::default();
    for (i, w) in a.iter().enumerate() {
        seen.entry(w).or_default().0.push(i);
    }
    for (j, w) in b.iter().enumerate() {
        if let Some(e) = seen.get_mut(w) {
            e.1.push(j);
        }
    }
    let mut pairs: Vec<(usize, usize)> = seen
        .values()
        .filter(|(x, y)| x.len() == y.len() && x.len() <= max)
        .flat_map(|(x, y)| x.iter().copied().zip(y.iter().copied()))
        .collect();
    pairs.sort_unstable();
    longest_increasing(&pairs)
}

/// How often a word may occur on each side and still anchor the alignment
/// where no word occurs once.
const MAX_REPEATS: usize = 32;

/// The longest chain of `pairs` (sorted by their first) increasing in the second.
fn longest_increasing(pairs: &[(usize, usize)]) -> Vec<(usize, usize)> {
    // tails[k]: index in `pairs` of the smallest end of a chain of length k + 1.
    let mut tails: Vec<usize> = Vec::new();
    let mut prev: Vec<Option<usize>> = vec![None; pairs.len()];
    for (k, p) in pairs.iter().enumerate() {
        let at = tails.partition_point(|&t| pairs[t].1 < p.1);
        prev[k] = at.checked_sub(1).map(|a| tails[a]);
        if at == tails.len() {
            tails.push(k);
        } else {
            tails[at] = k;
        }
    }
    let mut chain = Vec::with_capacity(tails.len());
    let mut k = tails.last().copied();
    while let Some(i) = k {
        chain.push(pairs[i]);
        k = prev[i];
    }
    chain.reverse();
    chain
}

/// Equal words paired in order, each word of `a` looked for a short way
/// ahead in `b`: for stretches without anchors, where words repeat.
fn in_order<'s>(a: &'s [&str], b: &'s [&str]) -> impl Iterator<Item = (usize, usize)> + 's {
    const REACH: usize = 64;
    let mut next = 0;
    a.iter().enumerate().filter_map(move |(i, w)| {
        let end = (next + REACH).min(b.len());
        let j = (next..end).find(|&j| b[j] == *w)?;
        next = j + 1;
        Some((i, j))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn markup(line: &str) -> bool {
        line.contains("<p>")
    }

    fn place(map: &SourceMap, line: u32, char: u32) -> Option<(u32, u32)> {
        map.locate(line, char).map(|p| (p.line, p.column))
    }

    #[test]
    fn a_word_is_found_where_the_file_has_it() {
        let source = "Side 1\n\nTil  sammen settes det av 1 800 000 kr.\n\tSum\t1 900 000\n";
        let lines = vec![
            "Til sammen settes det av 1 800 000 kr.".to_string(),
            "Sum\t1 900 000".to_string(),
        ];
        let map = align(&lines, &Stream::of_text(source, markup), SourceUnit::Line);
        // "1 800 000" starts at character 25 of the line, column 27 of line 3.
        assert_eq!(place(&map, 1, 25), Some((3, 27)));
        assert_eq!(place(&map, 1, 0), Some((3, 1)));
        assert_eq!(place(&map, 2, 4), Some((4, 6)));
    }

    #[test]
    fn words_repeated_in_dropped_text_do_not_pull_the_alignment_off_course() {
        // A "Like dokumenter" list after the text repeats its heading.
        let source = "Delmål 1 Bolig\nkoster 5 kr\nLike dokumenter\nDelmål 1 Bolig\n";
        let lines: Vec<String> = ["Side 1", "Delmål 1 Bolig", "koster 5 kr"]
            .map(String::from)
            .to_vec();
        let map = align(&lines, &Stream::of_text(source, markup), SourceUnit::Line);
        assert_eq!(place(&map, 2, 7), Some((1, 8)));
        assert_eq!(place(&map, 3, 7), Some((2, 8)));
        assert_eq!(place(&map, 1, 0), None, "not in the file");
    }

    #[test]
    fn markup_and_entities_keep_the_places_of_the_file() {
        let html = "<html><body>\n<table><tr><td>Sum</td><td>1&nbsp;900 000 kr</td></tr></table>\n<p>Bj&oslash;rn har 5 kr</p>";
        let lines = vec![
            "Sum\t1 900 000 kr".to_string(),
            "Bjørn har 5 kr".to_string(),
        ];
        let map = align(&lines, &Stream::of_html(html), SourceUnit::Line);
        assert_eq!(place(&map, 1, 4), Some((2, 28)));
        // After the entity, "900" is 7 characters further on in the file.
        assert_eq!(place(&map, 1, 6), Some((2, 35)));
        assert_eq!(place(&map, 2, 10), Some((3, 21)));
        // One word over three runs of the file: "Bj", the entity, "rn".
        assert_eq!(place(&map, 2, 1), Some((3, 5)));
        assert_eq!(place(&map, 2, 2), Some((3, 6)));
        assert_eq!(place(&map, 2, 3), Some((3, 14)));
        let text = "Kommune:\t<p>Beløp <b>300 000</b></p>";
        let map = align(
            &["Beløp 300 000".into()],
            &Stream::of_text(text, markup),
            SourceUnit::Line,
        );
        assert_eq!(place(&map, 1, 6), Some((1, 22)));
    }

    #[test]
    fn script_and_comments_hold_no_text() {
        let html = "<script>var a = '5 kr';</script><!-- 5 kr --><p>5 kr</p>";
        let map = align(&["5 kr".into()], &Stream::of_html(html), SourceUnit::Line);
        assert_eq!(place(&map, 1, 0), Some((1, 49)));
    }

    #[test]
    fn a_text_in_reverse_order_is_aligned_with_work_linear_in_its_length() {
        let words: Vec<String> = (0..20_000).map(|i| format!("w{i}")).collect();
        let a: Vec<&str> = words.iter().map(String::as_str).collect();
        let b: Vec<&str> = a.iter().rev().copied().collect();
        let (pairs, looked) = patience_counting(&a, &b);
        // Held to the budget (a look at each side for words found once, and
        // one for repeated words): no order of the words can make it look
        // at more than a fixed number of times each.
        let n = a.len() + b.len();
        assert!(looked <= 2 * (64 * n + 4096), "{looked} words looked at");
        assert!(pairs.windows(2).all(|w| w[0].0 < w[1].0 && w[0].1 < w[1].1));
        // A text in order is aligned in one look at each side.
        let (pairs, looked) = patience_counting(&a, &a);
        assert_eq!((pairs.len(), looked), (a.len(), 0));
    }

    #[test]
    fn a_text_printed_twice_finds_each_copy() {
        let text = "Delmål 1 Bolig koster 5 kr\nDelmål 2 Skole koster 7 kr\n";
        let twice = format!("Side 1\n{text}Side 2\n{text}");
        let lines: Vec<String> = format!("{text}{text}").lines().map(String::from).collect();
        let map = align(&lines, &Stream::of_text(&twice, markup), SourceUnit::Line);
        // "5" is character 22 of its line, column 23 of the file's.
        assert_eq!(place(&map, 3, 22), Some((5, 23)));
        assert_eq!(place(&map, 4, 22), Some((6, 23)));
        assert_eq!(place(&map, 1, 22), Some((2, 23)));
    }

    #[test]
    fn paragraphs_are_numbered_as_given() {
        let s = Stream::of_paragraphs([(1, "Innledning"), (2, ""), (3, "Sum 400 000")]);
        let map = align(&["Sum 400 000".into()], &s, SourceUnit::Paragraph);
        assert_eq!(place(&map, 1, 4), Some((3, 5)));
    }

    #[test]
    fn a_changed_word_has_no_place() {
        let map = align(
            &["samfunnsutvikling 5".into()],
            &Stream::of_text("samfunns-\nutvikling 5", markup),
            SourceUnit::Line,
        );
        assert_eq!(place(&map, 1, 0), None);
        assert_eq!(place(&map, 1, 18), Some((2, 11)));
    }
}

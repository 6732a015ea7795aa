//! A streaming reader of PDF content streams: one operation at a time.
//!
//! lopdf's `Content::decode` parses a whole stream into a vector before the
//! first operation runs, and gives up on the whole stream at the first token it
//! cannot parse. A page that inflates to 200 MB of `q Q` then costs gigabytes,
//! and one stray byte loses every glyph on the page. This reader keeps one
//! operation in memory and, at a token it cannot read, skips that token and goes
//! on: a bad operator costs that operator, never the page.

use lopdf::{Dictionary, Object, StringFormat};

/// Operands kept before an operator: real operators take at most six (TJ one
/// array); a run of thousands of numbers without an operator is garbage.
const MAX_OPERANDS: usize = 64;
/// Nesting of arrays and dictionaries inside an operand.
const MAX_DEPTH: usize = 32;
/// Elements of one array operand (a TJ array of glyph strings and kerns).
const MAX_ARRAY: usize = 100_000;

/// The operations of a content stream, in order.
pub struct Operations<'a> {
    buf: &'a [u8],
    pos: usize,
    /// The operands of the operation being read, and of the one last handed
    /// out until the next is read: one vector for the whole stream.
    operands: Vec<Object>,
    /// `operands` belong to the operation last handed out.
    handed_out: bool,
    /// Emptied vectors of operands handed out before, kept for the next
    /// arrays and strings: a page shows thousands of `TJ` arrays of short
    /// strings, and allocating each anew was a tenth of reading a PDF.
    spare_arrays: Vec<Vec<Object>>,
    spare_bytes: Vec<Vec<u8>>,
    /// Tokens that could not be read and were skipped.
    pub skipped: usize,
}

impl<'a> Operations<'a> {
    pub fn new(buf: &'a [u8]) -> Self {
        Operations {
            buf,
            pos: 0,
            operands: Vec::new(),
            handed_out: false,
            spare_arrays: Vec::new(),
            spare_bytes: Vec::new(),
            skipped: 0,
        }
    }

    fn peek(&self) -> Option<u8> {
        self.buf.get(self.pos).copied()
    }

    fn skip_space(&mut self) {
        while let Some(c) = self.peek() {
            if is_space(c) {
                self.pos += 1;
            } else if c == b'%' {
                while self.peek().is_some_and(|c| c != b'\n' && c != b'\r') {
                    self.pos += 1;
                }
            } else {
                break;
            }
        }
    }

    /// A run of regular characters: a keyword, a number or a name's body.
    fn regular(&mut self) -> &'a [u8] {
        let rest = self.buf.get(self.pos..).unwrap_or_default();
        let n = rest
            .iter()
            .position(|&c| is_space(c) || is_delimiter(c))
            .unwrap_or(rest.len());
        self.pos += n;
        &rest[..n]
    }

    /// One operand object, or `None` when the token is not an operand (an
    /// operator follows, or the token is unreadable and was skipped).
    fn object(&mut self, depth: usize) -> Option<Object> {
        self.skip_space();
        let c = self.peek()?;
        match c {
            b'/' => {
                self.pos += 1;
                let raw = self.regular();
                Some(Object::Name(self.unescape_name(raw)))
            }
            b'(' => self
                .literal_string()
                .map(|s| Object::String(s, StringFormat::Literal)),
            b'<' if self.buf.get(self.pos + 1) == Some(&b'<') => {
                self.pos += 2;
                self.dictionary(depth)
            }
            b'<' => self.hex_string(),
            b'[' => {
                self.pos += 1;
                self.array(depth)
            }
            b'+' | b'-' | b'.' | b'0'..=b'9' => {
                let token = self.regular();
                number(token).or_else(|| {
                    self.skipped += 1;
                    None
                })
            }
            _ => None,
        }
    }

    fn array(&mut self, depth: usize) -> Option<Object> {
        let mut items = self.spare_arrays.pop().unwrap_or_default();
        loop {
            self.skip_space();
            match self.peek() {
                None => return Some(Object::Array(items)),
                Some(b']') => {
                    self.pos += 1;
                    return Some(Object::Array(items));
                }
                Some(_) if depth >= MAX_DEPTH || items.len() >= MAX_ARRAY => {
                    self.skip_token();
                }
                Some(_) => match self.object(depth + 1) {
                    Some(o) => items.push(o),
                    None => match self.keyword_object() {
                        Some(o) => items.push(o),
                        None => self.skip_token(),
                    },
                },
            }
        }
    }

    fn dictionary(&mut self, depth: usize) -> Option<Object> {
        let mut dict = Dictionary::new();
        loop {
            self.skip_space();
            match self.peek() {
                None => return Some(Object::Dictionary(dict)),
                Some(b'>') if self.buf.get(self.pos + 1) == Some(&b'>') => {
                    self.pos += 2;
                    return Some(Object::Dictionary(dict));
                }
                Some(b'/') if depth < MAX_DEPTH => {
                    self.pos += 1;
                    let raw = self.regular();
                    let key = self.unescape_name(raw);
                    let value = self
                        .object(depth + 1)
                        .or_else(|| self.keyword_object())
                        .unwrap_or(Object::Null);
                    dict.set(key, value);
                }
                Some(_) => self.skip_token(),
            }
        }
    }

    /// `true`, `false` and `null` inside arrays and dictionaries.
    fn keyword_object(&mut self) -> Option<Object> {
        let start = self.pos;
        let o = match self.regular() {
            b"true" => Object::Boolean(true),
            b"false" => Object::Boolean(false),
            b"null" => Object::Null,
            _ => {
                self.pos = start;
                return None;
            }
        };
        Some(o)
    }

    /// Skips one unreadable token (at least one byte).
    fn skip_token(&mut self) {
        self.skipped += 1;
        let start = self.pos;
        self.regular();
        if self.pos == start {
            self.pos += 1;
        }
    }

    fn literal_string(&mut self) -> Option<Vec<u8>> {
        self.pos += 1;
        // Most strings hold no escape and no parenthesis: taken whole.
        let rest = self.buf.get(self.pos..).unwrap_or_default();
        if let Some(n) = rest.iter().position(|c| matches!(c, b'\\' | b'(' | b')')) {
            if rest[n] == b')' {
                self.pos += n + 1;
                return Some(self.bytes_of(&rest[..n]));
            }
        }
        let mut out = self.spare_bytes.pop().unwrap_or_default();
        let mut nesting = 0usize;
        while let Some(c) = self.peek() {
            self.pos += 1;
            match c {
                b'\\' => {
                    let Some(e) = self.peek() else { break };
                    self.pos += 1;
                    match e {
                        b'n' => out.push(b'\n'),
                        b'r' => out.push(b'\r'),
                        b't' => out.push(b'\t'),
                        b'b' => out.push(8),
                        b'f' => out.push(12),
                        b'0'..=b'7' => {
                            let mut v = u32::from(e - b'0');
                            for _ in 0..2 {
                                match self.peek() {
                                    Some(d @ b'0'..=b'7') => {
                                        v = v * 8 + u32::from(d - b'0');
                                        self.pos += 1;
                                    }
                                    _ => break,
                                }
                            }
                            out.push(v as u8);
                        }
                        // A backslash at the end of a line continues the string.
                        b'\r' => {
                            if self.peek() == Some(b'\n') {
                                self.pos += 1;
                            }
                        }
                        b'\n' => {}
                        other => out.push(other),
                    }
                }
                b'(' => {
                    nesting += 1;
                    out.push(c);
                }
                b')' if nesting == 0 => return Some(out),
                b')' => {
                    nesting -= 1;
                    out.push(c);
                }
                _ => out.push(c),
            }
        }
        // An unterminated string runs to the end of the stream: keep what it holds.
        Some(out)
    }

    fn hex_string(&mut self) -> Option<Object> {
        self.pos += 1;
        // Bytes as they fill: a high half waits for its low half (an odd
        // last digit is a high half, the low one zero).
        let mut digits = self.spare_bytes.pop().unwrap_or_default();
        let mut high = true;
        while let Some(c) = self.peek() {
            self.pos += 1;
            match c {
                b'>' => break,
                c if c.is_ascii_hexdigit() => {
                    if high {
                        digits.push(hex_value(c) << 4);
                    } else if let Some(last) = digits.last_mut() {
                        *last |= hex_value(c);
                    }
                    high = !high;
                }
                c if is_space(c) => {}
                _ => {
                    self.skipped += 1;
                    return None;
                }
            }
        }
        Some(Object::String(digits, StringFormat::Hexadecimal))
    }

    /// Skips an inline image's data: from after `ID` to `EI` standing alone.
    fn skip_inline_image(&mut self) {
        // Its dictionary ("/W 10 /H 10 …") runs to the ID keyword.
        loop {
            self.skip_space();
            if self.peek().is_none() {
                return;
            }
            if self.buf[self.pos..].starts_with(b"ID")
                && self.buf.get(self.pos + 2).is_none_or(|&c| is_space(c))
            {
                self.pos += 3;
                break;
            }
            if self.object(MAX_DEPTH).is_none() {
                self.skip_token();
            }
        }
        while self.pos < self.buf.len() {
            if self.buf[self.pos..].starts_with(b"EI")
                && self.pos > 0
                && is_space(self.buf[self.pos - 1])
                && self.buf.get(self.pos + 2).is_none_or(|&c| is_space(c))
            {
                self.pos += 2;
                return;
            }
            self.pos += 1;
        }
    }
}

impl<'a> Operations<'a> {
    /// `raw` as a new vector of bytes, in a spare one if there is one.
    fn bytes_of(&mut self, raw: &[u8]) -> Vec<u8> {
        let mut v = self.spare_bytes.pop().unwrap_or_default();
        v.extend_from_slice(raw);
        v
    }

    /// A name's bytes with its `#xx` escapes read.
    fn unescape_name(&mut self, raw: &[u8]) -> Vec<u8> {
        if raw.contains(&b'#') {
            let v = self.spare_bytes.pop().unwrap_or_default();
            unescape_name_into(raw, v)
        } else {
            self.bytes_of(raw)
        }
    }

    /// Keeps the vectors of an operand done with, emptied, for the next
    /// ones (a bounded number, and none grown large).
    fn recycle(&mut self, o: Object) {
        const KEEP: usize = 256;
        const LARGEST: usize = 4096;
        match o {
            Object::Array(mut items) => {
                for item in items.drain(..) {
                    self.recycle(item);
                }
                if self.spare_arrays.len() < KEEP && items.capacity() <= LARGEST {
                    self.spare_arrays.push(items);
                }
            }
            Object::String(mut bytes, _) | Object::Name(mut bytes)
                if self.spare_bytes.len() < KEEP && bytes.capacity() <= LARGEST =>
            {
                bytes.clear();
                self.spare_bytes.push(bytes);
            }
            _ => {}
        }
    }

    /// The next operation: its operator (a short ASCII word) and its
    /// operands, lent until the next call. Nothing is allocated for the
    /// operator, and the operands' vector is the same for every operation.
    pub fn next_op(&mut self) -> Option<(&'a str, &[Object])> {
        if std::mem::take(&mut self.handed_out) {
            let mut operands = std::mem::take(&mut self.operands);
            for o in operands.drain(..) {
                self.recycle(o);
            }
            self.operands = operands;
        }
        loop {
            self.skip_space();
            let c = self.peek()?;
            let before = self.pos;
            if let Some(o) = self.object(0) {
                if self.operands.len() < MAX_OPERANDS {
                    self.operands.push(o);
                } else {
                    self.skipped += 1;
                }
                continue;
            }
            if self.pos != before {
                // An unreadable operand, already skipped.
                continue;
            }
            if is_regular_start(c) {
                let start = self.pos;
                let word = self.regular();
                if word.is_empty() {
                    self.skip_token();
                    continue;
                }
                if word == b"BI" {
                    self.skip_inline_image();
                    self.operands.clear();
                    continue;
                }
                // Operators are short ASCII words ("Tj", "T*", "'", "d0").
                if word.len() > 3 || !word.iter().all(|b| b.is_ascii_graphic()) {
                    self.skipped += 1;
                    self.operands.clear();
                    if self.pos == start {
                        self.pos += 1;
                    }
                    continue;
                }
                // ASCII, so one character per byte.
                let operator = std::str::from_utf8(word).unwrap_or("");
                self.handed_out = true;
                return Some((operator, &self.operands));
            }
            // A stray delimiter (")", ">", "]", "{", "}"): skip it.
            self.pos += 1;
            self.skipped += 1;
        }
    }
}

fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' | b'\0')
}

fn is_delimiter(c: u8) -> bool {
    matches!(
        c,
        b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%'
    )
}

fn is_regular_start(c: u8) -> bool {
    !is_space(c) && !is_delimiter(c)
}

fn hex_value(c: u8) -> u8 {
    match c {
        b'0'..=b'9' => c - b'0',
        b'a'..=b'f' => c - b'a' + 10,
        _ => c - b'A' + 10,
    }
}

fn unescape_name_into(raw: &[u8], mut out: Vec<u8>) -> Vec<u8> {
    let mut i = 0;
    while i < raw.len() {
        if raw[i] == b'#'
            && raw.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
            && raw.get(i + 2).is_some_and(u8::is_ascii_hexdigit)
        {
            out.push(hex_value(raw[i + 1]) << 4 | hex_value(raw[i + 2]));
            i += 3;
        } else {
            out.push(raw[i]);
            i += 1;
        }
    }
    out
}

fn number(token: &[u8]) -> Option<Object> {
    if let Some(i) = integer(token) {
        return Some(Object::Integer(i));
    }
    let s = std::str::from_utf8(token).ok()?;
    if !s.contains('.') {
        if let Ok(i) = s.parse::<i64>() {
            return Some(Object::Integer(i));
        }
    }
    // Producers write "-.5", "5.", and sometimes "--5" or "1.2.3"; read what a
    // number's prefix says, as viewers do.
    let t = s.trim_start_matches('+');
    let t = if t.starts_with("--") { &t[1..] } else { t };
    let end = t
        .char_indices()
        .skip(1)
        .find(|&(i, c)| !(c.is_ascii_digit() || c == '.' && !t[..i].contains('.')))
        .map_or(t.len(), |(i, _)| i);
    let v: f32 = t[..end].parse().ok().or_else(|| match &t[..end] {
        "-" | "." | "-." => Some(0.0),
        _ => None,
    })?;
    v.is_finite().then_some(Object::Real(v))
}

/// `token` read as `str::parse::<i64>` reads it (a sign, then digits), or
/// `None`; without the checks for UTF-8 and a full stop first.
fn integer(token: &[u8]) -> Option<i64> {
    let (negative, digits) = match token {
        [b'-', rest @ ..] => (true, rest),
        [b'+', rest @ ..] => (false, rest),
        _ => (false, token),
    };
    if digits.is_empty() {
        return None;
    }
    let mut v: i64 = 0;
    for &d in digits {
        if !d.is_ascii_digit() {
            return None;
        }
        let d = i64::from(d - b'0');
        v = v.checked_mul(10)?;
        v = if negative {
            v.checked_sub(d)?
        } else {
            v.checked_add(d)?
        };
    }
    Some(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ops(s: &str) -> Vec<(String, Vec<Object>)> {
        let mut ops = Operations::new(s.as_bytes());
        let mut out = Vec::new();
        while let Some((operator, operands)) = ops.next_op() {
            out.push((operator.to_string(), operands.to_vec()));
        }
        out
    }

    #[test]
    fn reads_operators_with_their_operands() {
        let got = ops("BT /F1 12 Tf 72 700 Td (Hei \\(verden\\)) Tj [(A) -120 <0042>] TJ ET");
        let names: Vec<&str> = got.iter().map(|(o, _)| o.as_str()).collect();
        assert_eq!(names, ["BT", "Tf", "Td", "Tj", "TJ", "ET"]);
        assert_eq!(
            got[1].1,
            vec![Object::Name(b"F1".to_vec()), Object::Integer(12)]
        );
        assert_eq!(
            got[3].1,
            vec![Object::String(
                b"Hei (verden)".to_vec(),
                StringFormat::Literal
            )]
        );
        let Object::Array(a) = &got[4].1[0] else {
            panic!("an array")
        };
        assert_eq!(a.len(), 3);
        assert_eq!(
            a[2],
            Object::String(vec![0, 0x42], StringFormat::Hexadecimal)
        );
    }

    /// One bad token costs that token: the glyphs after it are still read.
    #[test]
    fn an_unreadable_token_is_skipped_not_the_stream() {
        let got = ops("BT 1 0 0 1 10 10 Tm ) } 1.2.3 Tz garbageword (Tekst) Tj ET");
        let names: Vec<&str> = got.iter().map(|(o, _)| o.as_str()).collect();
        assert!(names.contains(&"Tj"), "{names:?}");
        assert!(names.contains(&"Tm"), "{names:?}");
    }

    #[test]
    fn inline_images_and_comments_are_skipped() {
        let got = ops("q % a comment\nBI /W 2 /H 2 /BPC 8 ID \x00\x01EI\x02\x03 EI Q (x) Tj");
        let names: Vec<&str> = got.iter().map(|(o, _)| o.as_str()).collect();
        assert_eq!(names, ["q", "Q", "Tj"]);
    }

    #[test]
    fn numbers_as_producers_write_them() {
        assert_eq!(number(b"-.5"), Some(Object::Real(-0.5)));
        assert_eq!(number(b"5."), Some(Object::Real(5.0)));
        assert_eq!(number(b"--5"), Some(Object::Real(-5.0)));
        assert_eq!(number(b"42"), Some(Object::Integer(42)));
    }

    #[test]
    fn integers_as_the_standard_library_reads_them() {
        for t in [
            "0",
            "42",
            "-7",
            "+7",
            "-",
            "+",
            "",
            "--5",
            "+-5",
            "1a",
            "9223372036854775807",
            "9223372036854775808",
            "-9223372036854775808",
            "-9223372036854775809",
            "007",
        ] {
            assert_eq!(integer(t.as_bytes()), t.parse::<i64>().ok(), "{t:?}");
        }
    }

    #[test]
    fn literal_strings_with_and_without_escapes() {
        let got = ops(r"(plain) Tj (a\)b) Tj (x(y)z) Tj (un");
        let strings: Vec<&Object> = got.iter().flat_map(|(_, o)| o).collect();
        assert_eq!(
            strings,
            [
                &Object::String(b"plain".to_vec(), StringFormat::Literal),
                &Object::String(b"a)b".to_vec(), StringFormat::Literal),
                &Object::String(b"x(y)z".to_vec(), StringFormat::Literal),
            ]
        );
    }

    #[test]
    fn operands_without_an_operator_are_bounded() {
        let s = "1 ".repeat(10_000) + "Tc";
        let got = ops(&s);
        assert_eq!(got.len(), 1);
        assert!(got[0].1.len() <= MAX_OPERANDS);
    }
}

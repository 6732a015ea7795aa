//! Fonts as far as text extraction needs them: how to split a string into
//! character codes, what Unicode each code means, and how wide each glyph is.

use std::collections::HashMap;

use lopdf::{Dictionary, Document, Encoding, Object};

pub struct Font<'a> {
    /// Type0 (CID) fonts use two-byte codes here (Identity-H and UCS-2 CMaps).
    pub two_byte: bool,
    /// The font's /ToUnicode map (always the `UnicodeMapEncoding` variant).
    to_unicode: Option<Encoding<'a>>,
    encoding: Option<Encoding<'a>>,
    widths: HashMap<u32, f32>,
    default_width: f32,
    /// Glyph space → text space (1/1000 for all but Type3 fonts).
    pub scale: f32,
    pub bold: bool,
}

fn number(o: &Object) -> Option<f32> {
    match o {
        Object::Integer(i) => Some(*i as f32),
        Object::Real(r) => Some(*r),
        _ => None,
    }
}

fn deref<'a>(doc: &'a Document, o: &'a Object) -> &'a Object {
    doc.dereference(o).map(|(_, o)| o).unwrap_or(o)
}

fn array<'a>(doc: &'a Document, dict: &'a Dictionary, key: &[u8]) -> Option<&'a Vec<Object>> {
    dict.get(key)
        .ok()
        .map(|o| deref(doc, o))
        .and_then(|o| o.as_array().ok())
}

impl<'a> Font<'a> {
    pub fn load(doc: &'a Document, dict: &'a Dictionary) -> Font<'a> {
        let subtype = dict
            .get(b"Subtype")
            .and_then(Object::as_name)
            .unwrap_or(b"");
        let two_byte = subtype == b"Type0";
        let base = dict
            .get(b"BaseFont")
            .and_then(Object::as_name)
            .map(|n| String::from_utf8_lossy(n).to_lowercase())
            .unwrap_or_default();
        let bold = base.contains("bold")
            || base.contains("black")
            || base.contains("heavy")
            || base.contains("semibold");

        // lopdf resolves /Encoding before /ToUnicode; ask it for the ToUnicode map on
        // a copy without /Encoding, because ToUnicode is the better source when present.
        let bounded = cmap_is_bounded(doc, dict);
        let to_unicode = if dict.has(b"ToUnicode") && bounded {
            let mut copy = dict.clone();
            copy.remove(b"Encoding");
            match copy.get_font_encoding(doc) {
                // Re-wrapped so the map no longer borrows the copy.
                Ok(Encoding::UnicodeMapEncoding(cmap)) => Some(Encoding::UnicodeMapEncoding(cmap)),
                _ => None,
            }
        } else {
            None
        };
        let encoding = if two_byte {
            None
        } else if bounded || dict.has(b"Encoding") {
            dict.get_font_encoding(doc).ok()
        } else {
            // lopdf falls back to /ToUnicode where /Encoding is missing: not to
            // this one. Codes are then read as Latin-1.
            None
        };

        let (widths, default_width, scale) = if two_byte {
            cid_widths(doc, dict)
        } else {
            simple_widths(doc, dict, subtype, &base)
        };
        Font {
            two_byte,
            to_unicode,
            encoding,
            widths,
            default_width,
            scale,
            bold,
        }
    }

    /// The Unicode text of one code ("" when the font gives no way to know).
    pub fn text(&self, code: u32) -> String {
        if let Some(cmap) = &self.to_unicode {
            let bytes: &[u8] = if self.two_byte {
                &[(code >> 8) as u8, code as u8]
            } else {
                &[code as u8]
            };
            if let Ok(s) = cmap.bytes_to_string(bytes) {
                if !s.is_empty() && !s.contains('\u{FFFD}') {
                    return byte_swapped_ligature(&s).unwrap_or(s);
                }
            }
        }
        if self.two_byte {
            return String::new();
        }
        match &self.encoding {
            Some(Encoding::UnicodeMapEncoding(_)) | None => char::from_u32(code)
                .filter(|c| !c.is_control())
                .map(String::from)
                .unwrap_or_default(),
            Some(enc) => enc.bytes_to_string(&[code as u8]).unwrap_or_default(),
        }
    }

    /// Advance width of a code in glyph space units.
    pub fn width(&self, code: u32) -> f32 {
        self.widths
            .get(&code)
            .copied()
            .unwrap_or(self.default_width)
    }

    /// Word spacing (Tw) applies to the single-byte code 32 only.
    pub fn is_word_space(&self, code: u32) -> bool {
        !self.two_byte && code == 32
    }
}

/// A composite (Type0) font's widths, from its descendant's `/W` and `/DW`:
/// (widths by code, default width, text space per glyph unit).
fn cid_widths(doc: &Document, dict: &Dictionary) -> (HashMap<u32, f32>, f32, f32) {
    let mut widths = HashMap::new();
    let mut default_width = 1000.0;
    let descendant = array(doc, dict, b"DescendantFonts")
        .and_then(|a| a.first())
        .map(|o| deref(doc, o))
        .and_then(|o| o.as_dict().ok());
    if let Some(cid) = descendant {
        if let Some(dw) = cid.get(b"DW").ok().map(|o| deref(doc, o)).and_then(number) {
            default_width = dw;
        }
        if let Some(w) = array(doc, cid, b"W") {
            parse_cid_widths(doc, w, &mut widths);
        }
    }
    (widths, default_width, 0.001)
}

/// A simple font's widths from `/FirstChar` and `/Widths`, its descriptor's
/// `/MissingWidth`, or a standard font's published metrics; a Type 3 font's
/// scale from its `/FontMatrix`.
fn simple_widths(
    doc: &Document,
    dict: &Dictionary,
    subtype: &[u8],
    base: &str,
) -> (HashMap<u32, f32>, f32, f32) {
    let mut widths = HashMap::new();
    let mut default_width = 500.0;
    let mut scale = 0.001;
    if subtype == b"Type3" {
        if let Some(m) = array(doc, dict, b"FontMatrix")
            .and_then(|m| m.first())
            .and_then(number)
        {
            scale = m;
        }
    }
    let first = dict
        .get(b"FirstChar")
        .ok()
        .map(|o| deref(doc, o))
        .and_then(number)
        .unwrap_or(0.0) as u32;
    if let Some(w) = array(doc, dict, b"Widths") {
        for (i, o) in w.iter().enumerate() {
            if let Some(v) = number(deref(doc, o)) {
                widths.insert(first + i as u32, v);
            }
        }
    }
    let descriptor = dict
        .get(b"FontDescriptor")
        .ok()
        .map(|o| deref(doc, o))
        .and_then(|o| o.as_dict().ok());
    if let Some(mw) = descriptor
        .and_then(|d| d.get(b"MissingWidth").ok())
        .and_then(number)
    {
        default_width = mw;
    } else if widths.is_empty() && subtype != b"Type3" {
        // One of the standard 14 fonts, which a PDF may name without
        // widths: their published metrics, so that gaps between
        // words and columns are measured as drawn.
        if let Some((table, fallback)) = standard_widths(base) {
            for (code, w) in (32u32..).zip(table) {
                widths.insert(code, f32::from(*w));
            }
            default_width = fallback;
        }
    } else if !widths.is_empty() {
        // Widths of glyphs outside /Widths: an average is better than a constant.
        default_width = widths.values().sum::<f32>() / widths.len() as f32;
    } else if subtype == b"Type3" {
        default_width = 0.0;
    }
    (widths, default_width, scale)
}

fn parse_cid_widths(doc: &Document, w: &[Object], out: &mut HashMap<u32, f32>) {
    let mut i = 0;
    let mut guard = 0usize;
    while i < w.len() && guard < 1_000_000 {
        let Some(first) = number(deref(doc, &w[i])) else {
            break;
        };
        match w.get(i + 1).map(|o| deref(doc, o)) {
            Some(Object::Array(list)) => {
                for (k, o) in list.iter().enumerate() {
                    if let Some(v) = number(deref(doc, o)) {
                        out.insert(first as u32 + k as u32, v);
                        guard += 1;
                    }
                }
                i += 2;
            }
            Some(o) => {
                let (Some(last), Some(v)) = (
                    number(o),
                    w.get(i + 2).map(|o| deref(doc, o)).and_then(number),
                ) else {
                    break;
                };
                let (a, b) = (first as u32, (last as u32).min(first as u32 + 65_536));
                for c in a..=b {
                    out.insert(c, v);
                    guard += 1;
                }
                i += 3;
            }
            None => break,
        }
    }
}

/// Some writers (Ghostscript, re-distilling) put ligatures into /ToUnicode as
/// UTF-16 *little*-endian: "ft" becomes <66007400>, read as "昀琀". Every unit
/// of such a string has a zero low byte and an ASCII letter high byte; a real
/// run of CJK characters never looks like that in a Norwegian plan.
fn byte_swapped_ligature(s: &str) -> Option<String> {
    let units: Vec<u32> = s.chars().map(u32::from).collect();
    let swapped = units.len() >= 2
        && units.iter().all(|&u| {
            u & 0xFF == 0
                && (u >> 8) < 0x80
                && char::from_u32(u >> 8).is_some_and(|c| c.is_ascii_alphabetic())
        });
    swapped.then(|| {
        units
            .iter()
            .filter_map(|&u| char::from_u32(u >> 8))
            .collect()
    })
}

/// Codes one ToUnicode map may cover. A real font maps a few thousand; a
/// `bfrange` from `<00000000>` to `<FFFFFFFF>` would have lopdf build a map of
/// 2³² entries.
const MAX_CMAP_CODES: u64 = 1 << 17;

/// True when the font's /ToUnicode stream's ranges cover a bounded number of
/// codes, judged from the stream's text before lopdf expands it. A map that
/// fails the test is not used; the font's encoding speaks instead.
fn cmap_is_bounded(doc: &Document, dict: &Dictionary) -> bool {
    let Some(stream) = dict
        .get(b"ToUnicode")
        .ok()
        .map(|o| deref(doc, o))
        .and_then(|o| o.as_stream().ok())
    else {
        return true;
    };
    let Ok(bytes) = stream.decompressed_content_with_limit(4 << 20) else {
        return false;
    };
    let text = String::from_utf8_lossy(&bytes);
    let mut total: u64 = 0;
    for section in text.split("beginbfrange").skip(1) {
        let body = section.split("endbfrange").next().unwrap_or("");
        // Entries are <lo> <hi> followed by one code or an array of codes.
        let mut tokens: Vec<Option<u64>> = Vec::new();
        let mut chars = body.chars();
        while let Some(c) = chars.next() {
            match c {
                '<' => {
                    let hex: String = chars
                        .by_ref()
                        .take_while(|&c| c != '>')
                        .filter(char::is_ascii_hexdigit)
                        .collect();
                    tokens.push(u64::from_str_radix(&hex[..hex.len().min(16)], 16).ok());
                }
                '[' => {
                    chars.by_ref().take_while(|&c| c != ']').for_each(drop);
                    tokens.push(None);
                }
                _ => {}
            }
        }
        for entry in tokens.chunks(3) {
            if let [Some(lo), Some(hi), ..] = entry {
                total += hi.saturating_sub(*lo) + 1;
                if total > MAX_CMAP_CODES {
                    return false;
                }
            }
        }
    }
    true
}

/// Helvetica's advance widths (Adobe's AFM) for codes 32 to 126.
const HELVETICA: [u16; 95] = [
    278, 278, 355, 556, 556, 889, 667, 222, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556,
    556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, 1015, 667, 667, 722, 722, 667,
    611, 778, 722, 278, 500, 667, 556, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667,
    667, 611, 278, 278, 278, 469, 556, 222, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500,
    222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
];

/// Times-Roman's advance widths (Adobe's AFM) for codes 32 to 126.
const TIMES: [u16; 95] = [
    250, 333, 408, 500, 500, 833, 778, 333, 333, 333, 500, 564, 250, 333, 250, 278, 500, 500, 500,
    500, 500, 500, 500, 500, 500, 500, 278, 278, 564, 564, 564, 444, 921, 722, 667, 667, 722, 611,
    556, 722, 722, 333, 389, 722, 611, 889, 722, 722, 556, 722, 667, 556, 611, 722, 722, 944, 722,
    722, 611, 333, 278, 333, 469, 500, 333, 444, 500, 444, 500, 444, 333, 500, 500, 278, 278, 500,
    278, 778, 500, 500, 500, 500, 333, 389, 278, 500, 500, 722, 500, 500, 444, 480, 200, 480, 541,
];

const COURIER: [u16; 95] = [600; 95];

/// The widths of a standard font named without its own (codes 32 to 126,
/// and a width for other codes); bold and oblique faces take the regular
/// face's, which are close.
fn standard_widths(base: &str) -> Option<(&'static [u16; 95], f32)> {
    // A subset prefix ("ABCDEF+") is not part of the name.
    let name = base.rsplit('+').next().unwrap_or(base);
    if name.starts_with("courier") {
        Some((&COURIER, 600.0))
    } else if name.starts_with("helvetica") || name.starts_with("arial") {
        Some((&HELVETICA, 556.0))
    } else if name.starts_with("times") {
        Some((&TIMES, 500.0))
    } else {
        None
    }
}

#[cfg(test)]
mod ligature_tests {
    use super::byte_swapped_ligature;

    #[test]
    fn little_endian_ligatures_are_read_as_letters() {
        assert_eq!(
            byte_swapped_ligature("\u{6600}\u{7400}").as_deref(),
            Some("ft")
        );
        assert_eq!(
            byte_swapped_ligature("\u{6600}\u{6900}").as_deref(),
            Some("fi")
        );
        assert_eq!(byte_swapped_ligature("ft"), None);
        assert_eq!(byte_swapped_ligature("\u{4E00}"), None);
    }
}

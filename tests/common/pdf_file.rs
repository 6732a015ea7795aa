//! A PDF file from its objects, numbered from 1 in order (the catalog
//! first, its pages tree second), with the cross-reference table and trailer
//! a reader needs. Shared by the tests' and the benches' PDF makers.

/// The bytes of a PDF whose objects are `objects` (object `i + 1` is
/// `objects[i]`, written as it stands).
pub fn assemble(objects: &[String]) -> Vec<u8> {
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{o}\nendobj\n", i + 1).as_bytes());
    }
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for off in offsets {
        out.extend_from_slice(format!("{off:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

/// `text` as the body of a PDF literal string in WinAnsi (the encoding of
/// the standard fonts the test PDFs use): parentheses and backslashes
/// escaped, bytes outside printable ASCII as octal.
pub fn literal(text: &str) -> String {
    let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(text);
    bytes
        .iter()
        .map(|&b| match b {
            b'(' | b')' | b'\\' => format!("\\{}", b as char),
            32..=126 => (b as char).to_string(),
            _ => format!("\\{b:03o}"),
        })
        .collect()
}

//! Text bytes to a string: the encodings Norwegian text files come in.

/// The encoding a UTF-16 byte-order mark announces (Windows "Unicode" text).
pub fn utf16(bytes: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    match bytes {
        [0xFF, 0xFE, ..] => Some(encoding_rs::UTF_16LE),
        [0xFE, 0xFF, ..] => Some(encoding_rs::UTF_16BE),
        _ => None,
    }
}

/// UTF-8 (BOM stripped), UTF-16 with its BOM, or Windows-1252 for older
/// Norwegian files that are not UTF-8.
pub fn decode(bytes: &[u8]) -> String {
    if let Some(enc) = utf16(bytes) {
        return enc.decode_with_bom_removal(&bytes[2..]).0.into_owned();
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        Err(e) if e.error_len().is_none() && bytes.len() - e.valid_up_to() < 4 => {
            // Cut inside a character at the end of a prefix: the rest is fine.
            String::from_utf8_lossy(bytes).into_owned()
        }
        Err(_) => encoding_rs::WINDOWS_1252.decode(bytes).0.into_owned(),
    }
}

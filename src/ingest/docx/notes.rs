//! Footnotes and endnotes (`word/footnotes.xml`, `word/endnotes.xml`).
//!
//! A note's text lives apart from the body; the body holds only a reference
//! (`w:footnoteReference w:id="3"`) where Word prints the note's number. The
//! reading places each note after the paragraph (or table) that refers to it,
//! as a note set apart from the flow, the way a PDF's footnotes are read: so a
//! figure or a source given only in a note is in the record, and a list that
//! a note interrupts is not cut in two.

use std::collections::HashMap;

use quick_xml::events::Event;
use quick_xml::Reader;

use super::attr;

/// The notes of one part, by id.
#[derive(Debug, Default)]
pub struct Notes {
    text: HashMap<String, String>,
}

impl Notes {
    /// Reads a notes part. The separators Word keeps as notes (`w:type=
    /// "separator"`, `"continuationSeparator"`) are no notes.
    pub fn parse(xml: &str) -> Notes {
        let mut notes = Notes::default();
        let mut reader = Reader::from_str(xml);
        let mut current: Option<(String, String)> = None;
        let mut in_text = false;
        loop {
            match reader.read_event() {
                Ok(Event::Start(e)) => match e.local_name().as_ref() {
                    "footnote" | "endnote" => {
                        let separator = attr(&e, "type").is_some_and(|t| t != "normal");
                        current = attr(&e, "id")
                            .filter(|_| !separator)
                            .map(|id| (id, String::new()));
                    }
                    "t" => in_text = true,
                    "p" => {
                        if let Some((_, t)) = current.as_mut().filter(|(_, t)| !t.is_empty()) {
                            t.push(' ');
                        }
                    }
                    _ => {}
                },
                Ok(Event::Empty(e)) if matches!(e.local_name().as_ref(), "tab" | "br") => {
                    if let Some((_, t)) = current.as_mut() {
                        t.push(' ');
                    }
                }
                Ok(Event::Text(t)) if in_text => {
                    if let Some((_, text)) = current.as_mut() {
                        text.push_str(&t.xml10_content());
                    }
                }
                Ok(Event::GeneralRef(r)) if in_text => {
                    if let (Some((_, text)), Ok(Some(c))) = (current.as_mut(), r.resolve_char_ref())
                    {
                        text.push(c);
                    } else if let Some((_, text)) = current.as_mut() {
                        text.push_str(match &*r {
                            "amp" => "&",
                            "lt" => "<",
                            "gt" => ">",
                            "quot" => "\"",
                            "apos" => "'",
                            _ => "",
                        });
                    }
                }
                Ok(Event::End(e)) => match e.local_name().as_ref() {
                    "t" => in_text = false,
                    "footnote" | "endnote" => {
                        if let Some((id, text)) = current.take() {
                            let text = crate::model::builder_normalise(&text);
                            if !text.is_empty() {
                                notes.text.insert(id, text);
                            }
                        }
                    }
                    _ => {}
                },
                Ok(Event::Eof) | Err(_) => break,
                _ => {}
            }
        }
        notes
    }

    /// The text of the note with this id.
    pub fn get(&self, id: &str) -> Option<&str> {
        self.text.get(id).map(String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notes_by_id_without_separators() {
        let xml = r#"<w:footnotes xmlns:w="w"><w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote><w:footnote w:id="1"><w:p><w:r><w:t>Kjelde: SSB, 2024 &amp; KOSTRA.</w:t></w:r></w:p><w:p><w:r><w:t>Tal i 1 000 kr.</w:t></w:r></w:p></w:footnote><w:footnote w:id="2"><w:p/></w:footnote></w:footnotes>"#;
        let n = Notes::parse(xml);
        assert_eq!(
            n.get("1"),
            Some("Kjelde: SSB, 2024 & KOSTRA. Tal i 1 000 kr.")
        );
        assert_eq!(n.get("-1"), None);
        assert_eq!(n.get("2"), None, "an empty note is no note");
    }
}

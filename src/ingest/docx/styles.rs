//! Paragraph styles (`word/styles.xml`) resolved through their `w:basedOn`
//! chain. Government and municipal templates put a list's numbering and a
//! heading's outline level in the style, not on the paragraph: a paragraph
//! styled "Liste" is a bullet because the style (or one it is based on)
//! carries `w:numPr`.

use std::collections::HashMap;

use quick_xml::events::Event;
use quick_xml::Reader;

use super::attr;

/// A list reference: the numbering instance (`w:numId`) and the level.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NumRef {
    pub num_id: String,
    pub ilvl: u8,
}

/// What one style states itself, before inheritance.
#[derive(Clone, Debug, Default)]
struct Own {
    based_on: Option<String>,
    /// The level its name gives ("heading 2", "Overskrift 2", "Title").
    named_level: Option<u8>,
    /// `w:outlineLvl` (0-based; 9 is body text).
    outline: Option<u8>,
    /// `w:numId` ("0" switches numbering off), and `w:ilvl`.
    num_id: Option<String>,
    ilvl: Option<u8>,
}

/// A style as a paragraph inherits it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Resolved {
    /// Heading level, 1-based.
    pub heading: Option<u8>,
    pub num: Option<NumRef>,
}

/// The paragraph styles of a document, resolved.
#[derive(Clone, Debug, Default)]
pub struct Styles {
    resolved: HashMap<String, Resolved>,
}

/// A `basedOn` chain longer than this is a loop or an attack.
const MAX_CHAIN: usize = 32;

/// The heading level a style's name states: Word's built-in names in English
/// and Norwegian.
pub fn named_level(name: &str) -> Option<u8> {
    let n = name.to_lowercase();
    if n == "title" || n == "tittel" {
        return Some(1);
    }
    for prefix in ["heading", "overskrift"] {
        if let Some(rest) = n.strip_prefix(prefix) {
            return rest
                .trim()
                .parse()
                .ok()
                .filter(|l: &u8| (1..=9).contains(l));
        }
    }
    None
}

impl Styles {
    /// Reads `styles.xml`. Only what is inside a style's paragraph
    /// properties counts; a tracked change's old properties do not.
    pub fn parse(xml: &str) -> Styles {
        let mut own: HashMap<String, Own> = HashMap::new();
        let mut reader = Reader::from_str(xml);
        let mut current: Option<(String, Own)> = None;
        let mut in_ppr = false;
        let mut skip = 0usize;
        while let Ok(ev) = reader.read_event() {
            let opens = matches!(ev, Event::Start(_));
            match ev {
                Event::Start(e) if skip > 0 || e.local_name().as_ref() == "pPrChange" => {
                    skip += 1;
                }
                Event::End(_) if skip > 0 => skip -= 1,
                Event::Start(e) | Event::Empty(e) if skip == 0 => {
                    let Some((_, style)) = current.as_mut() else {
                        if e.local_name().as_ref() == "style" {
                            current = attr(&e, "styleId").map(|id| (id, Own::default()));
                        }
                        continue;
                    };
                    match e.local_name().as_ref() {
                        "name" => style.named_level = attr(&e, "val").and_then(|n| named_level(&n)),
                        "basedOn" => style.based_on = attr(&e, "val"),
                        "pPr" => in_ppr = opens,
                        "outlineLvl" if in_ppr => {
                            style.outline = attr(&e, "val").and_then(|v| v.parse().ok())
                        }
                        "numId" if in_ppr => style.num_id = attr(&e, "val"),
                        "ilvl" if in_ppr => {
                            style.ilvl = attr(&e, "val").and_then(|v| v.parse().ok())
                        }
                        _ => {}
                    }
                }
                Event::End(e) if skip == 0 => match e.local_name().as_ref() {
                    "pPr" => in_ppr = false,
                    "style" => {
                        if let Some((id, style)) = current.take() {
                            own.insert(id, style);
                        }
                    }
                    _ => {}
                },
                Event::Eof => break,
                _ => {}
            }
        }
        let resolved = own
            .keys()
            .map(|id| (id.clone(), resolve(&own, id)))
            .collect();
        Styles { resolved }
    }

    /// The style `id` as a paragraph inherits it; a style missing from
    /// `styles.xml` (or a file without one) still names its level in its
    /// id: "Heading2", "Overskrift1", "Title".
    pub fn get(&self, id: &str) -> Resolved {
        self.resolved.get(id).cloned().unwrap_or_else(|| Resolved {
            heading: named_level(id),
            num: None,
        })
    }
}

/// Walks `id`'s chain: the nearest style that states a thing decides it.
fn resolve(own: &HashMap<String, Own>, id: &str) -> Resolved {
    let mut heading = None;
    let mut outline = None;
    let mut num_id: Option<String> = None;
    let mut ilvl = None;
    let mut at = Some(id.to_string());
    let mut first = true;
    for _ in 0..MAX_CHAIN {
        let Some(style) = at.as_ref().and_then(|a| own.get(a)) else {
            break;
        };
        // A name is the style's own: "heading 2" is not inherited by a
        // style based on it, but its outline level is.
        if first {
            heading = style.named_level;
        }
        first = false;
        outline = outline.or(style.outline);
        if num_id.is_none() {
            num_id = style.num_id.clone();
        }
        ilvl = ilvl.or(style.ilvl);
        at = style.based_on.clone();
    }
    let heading = heading.or(outline.filter(|&o| o < 9).map(|o| o + 1));
    let num = num_id.filter(|n| n != "0").map(|num_id| NumRef {
        num_id,
        ilvl: ilvl.unwrap_or(0).min(8),
    });
    Resolved { heading, num }
}

#[cfg(test)]
mod tests {
    use super::*;

    const STYLES: &str = r#"<w:styles xmlns:w="w">
<w:style w:type="paragraph" w:styleId="Normal"><w:name w:val="Normal"/></w:style>
<w:style w:type="paragraph" w:styleId="Overskrift2"><w:name w:val="heading 2"/><w:basedOn w:val="Normal"/><w:pPr><w:outlineLvl w:val="1"/></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="Kapittel2"><w:name w:val="Kapittel 2"/><w:basedOn w:val="Overskrift2"/></w:style>
<w:style w:type="paragraph" w:styleId="Liste"><w:name w:val="List"/><w:basedOn w:val="Normal"/><w:pPr><w:numPr><w:numId w:val="16"/></w:numPr></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="Liste2"><w:name w:val="List 2"/><w:basedOn w:val="Liste"/><w:pPr><w:numPr><w:ilvl w:val="1"/></w:numPr></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="Uliste"><w:name w:val="Unnumbered"/><w:basedOn w:val="Liste"/><w:pPr><w:numPr><w:numId w:val="0"/></w:numPr></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="Gammel"><w:name w:val="Old"/><w:pPr><w:pPrChange><w:pPr><w:numPr><w:numId w:val="3"/></w:numPr></w:pPr></w:pPrChange></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="A"><w:name w:val="A"/><w:basedOn w:val="B"/></w:style>
<w:style w:type="paragraph" w:styleId="B"><w:name w:val="B"/><w:basedOn w:val="A"/></w:style>
</w:styles>"#;

    #[test]
    fn numbering_and_outline_levels_come_down_the_based_on_chain() {
        let s = Styles::parse(STYLES);
        assert_eq!(s.get("Overskrift2").heading, Some(2));
        // Based on a heading: its outline level, not its name.
        assert_eq!(s.get("Kapittel2").heading, Some(2));
        assert_eq!(
            s.get("Liste").num,
            Some(NumRef {
                num_id: "16".into(),
                ilvl: 0
            })
        );
        assert_eq!(
            s.get("Liste2").num,
            Some(NumRef {
                num_id: "16".into(),
                ilvl: 1
            })
        );
        assert_eq!(s.get("Uliste").num, None, "numId 0 switches it off");
        assert_eq!(
            s.get("Gammel").num,
            None,
            "a tracked change's old numbering"
        );
        assert_eq!(s.get("Normal"), Resolved::default());
        // A loop ends.
        assert_eq!(s.get("A"), Resolved::default());
        // Unknown ids still name their level.
        assert_eq!(s.get("Heading3").heading, Some(3));
    }
}

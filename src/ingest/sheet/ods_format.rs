//! The number formats of an ODS workbook, read as the format codes
//! [`super::grid::number_text`] reads (`#,##0 "kr"`, `0.0%`): calamine gives
//! an ODS cell's value without them. A cell names a cell style
//! (`table:style-name`, or its column's `table:default-cell-style-name`),
//! the cell style names a data style (`style:data-style-name`), and the data
//! style says grouping, decimals, percent and currency. Data styles are in
//! `content.xml` or in `styles.xml`; both are read.

use std::collections::BTreeMap;

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader as XmlReader;

/// Format codes by cell style name.
#[derive(Default)]
pub struct Formats {
    by_cell_style: BTreeMap<String, String>,
}

/// A data style as read so far.
#[derive(Default)]
struct DataStyle {
    name: String,
    percent: bool,
    /// A number part was given: grouping and decimals.
    number: Option<(bool, usize)>,
    /// Its texts and currency symbol, for a unit in kroner.
    unit: String,
}

impl DataStyle {
    fn code(&self) -> String {
        let Some((grouping, decimals)) = self.number else {
            return if self.percent { "%" } else { "General" }.into();
        };
        let mut code = if grouping { "#,##0" } else { "0" }.to_string();
        if decimals > 0 {
            code.push('.');
            code.extend(std::iter::repeat_n('0', decimals.min(10)));
        }
        if self.percent {
            code.push('%');
        }
        let unit = self.unit.to_lowercase();
        if unit.contains("kr") || unit.contains("nok") {
            code.push_str(" \"kr\"");
        }
        code
    }
}

fn attr(e: &BytesStart, key: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.as_ref() == key)
        .map(|a| a.value.to_string())
}

impl Formats {
    /// The cell styles and data styles of the given parts (`content.xml`,
    /// `styles.xml`).
    pub fn read(parts: &[&str]) -> Formats {
        let mut data: BTreeMap<String, String> = BTreeMap::new();
        let mut cells: BTreeMap<String, String> = BTreeMap::new();
        for xml in parts {
            read_part(xml, &mut data, &mut cells);
        }
        let by_cell_style = cells
            .into_iter()
            .filter_map(|(cell, d)| Some((cell, data.get(&d)?.clone())))
            .collect();
        Formats { by_cell_style }
    }

    /// The format code of a cell of `value_type` ("float", "percentage",
    /// "currency") in cell style `style`.
    pub fn code(&self, style: Option<&str>, value_type: &str, currency: Option<&str>) -> String {
        let mut code = style
            .and_then(|s| self.by_cell_style.get(s))
            .cloned()
            .unwrap_or_default();
        if value_type == "percentage" && !code.contains('%') {
            code = "%".into();
        }
        let nok = currency.is_none_or(|c| c.eq_ignore_ascii_case("NOK"));
        if value_type == "currency" && nok && !code.contains("kr") {
            code = if code.is_empty() { "#,##0" } else { &code }.to_string() + " \"kr\"";
        }
        code
    }
}

fn read_part(xml: &str, data: &mut BTreeMap<String, String>, cells: &mut BTreeMap<String, String>) {
    let mut reader = XmlReader::from_str(xml);
    let mut current: Option<DataStyle> = None;
    let mut in_text = false;
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) | Ok(Event::Empty(e)) => match e.name().as_ref() {
                // Styles come before the body: the sheets are not walked again.
                "office:body" => break,
                "style:style" => {
                    if let (Some(n), Some(d)) =
                        (attr(&e, "style:name"), attr(&e, "style:data-style-name"))
                    {
                        cells.insert(n, d);
                    }
                }
                "number:number-style" | "number:percentage-style" | "number:currency-style" => {
                    current = Some(DataStyle {
                        name: attr(&e, "style:name").unwrap_or_default(),
                        percent: e.name().as_ref() == "number:percentage-style",
                        ..DataStyle::default()
                    });
                }
                "number:number" => {
                    if let Some(s) = current.as_mut() {
                        let grouping = attr(&e, "number:grouping").is_some_and(|g| g == "true");
                        let decimals = attr(&e, "number:decimal-places")
                            .and_then(|d| d.parse().ok())
                            .unwrap_or(0);
                        s.number = Some((grouping, decimals));
                    }
                }
                "number:text" | "number:currency-symbol" => in_text = true,
                _ => {}
            },
            Ok(Event::Text(t)) if in_text => {
                if let Some(s) = current.as_mut() {
                    s.unit.push_str(&t.xml10_content());
                }
            }
            Ok(Event::End(e)) => match e.name().as_ref() {
                "number:text" | "number:currency-symbol" => in_text = false,
                "number:number-style" | "number:percentage-style" | "number:currency-style" => {
                    if let Some(s) = current.take() {
                        data.insert(s.name.clone(), s.code());
                    }
                }
                _ => {}
            },
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_styles_give_grouping_decimals_percent_and_kroner() {
        let styles = r#"<office:styles>
            <number:number-style style:name="N125"><number:number number:decimal-places="0" number:grouping="true"/><number:text> kr</number:text></number:number-style>
            <number:percentage-style style:name="N126"><number:number number:decimal-places="1"/><number:text>%</number:text></number:percentage-style>
            <number:number-style style:name="N3"><number:number number:decimal-places="0" number:grouping="true"/></number:number-style>
            </office:styles>"#;
        let content = r#"<office:automatic-styles>
            <style:style style:name="ce3" style:family="table-cell" style:data-style-name="N125"/>
            <style:style style:name="ce4" style:family="table-cell" style:data-style-name="N126"/>
            <style:style style:name="ce5" style:family="table-cell" style:data-style-name="N3"/>
            </office:automatic-styles>"#;
        let f = Formats::read(&[content, styles]);
        assert_eq!(f.code(Some("ce3"), "float", None), "#,##0 \"kr\"");
        assert_eq!(f.code(Some("ce4"), "percentage", None), "0.0%");
        assert_eq!(f.code(Some("ce5"), "float", None), "#,##0");
        assert_eq!(f.code(None, "percentage", None), "%");
        assert_eq!(f.code(None, "currency", Some("NOK")), "#,##0 \"kr\"");
        assert_eq!(f.code(None, "currency", Some("EUR")), "");
        assert_eq!(f.code(None, "float", None), "");
    }
}

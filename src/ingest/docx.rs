//! Word documents (DOCX: a zip of WordprocessingML).
//!
//! Structure comes from the markup rather than from guessing: heading levels
//! from paragraph styles (English and Norwegian style names, or the outline
//! level), list items from numbering properties, tables from `w:tbl` with empty
//! and merged cells kept as empty cells so that columns stay aligned.

use std::collections::HashMap;
use std::io::{Cursor, Read};

use quick_xml::events::Event;
use quick_xml::{Reader, XmlVersion};

use super::layout::{heading_of, segment, Item};
use super::{IngestError, IngestOptions, Ingester};
use crate::model::{BlockKind, Cell, Document, DocumentBuilder, Format, TableRow};

pub struct DocxIngester;

impl Ingester for DocxIngester {
    fn format(&self) -> Format {
        Format::Docx
    }

    fn sniff(&self, bytes: &[u8]) -> bool {
        bytes.starts_with(b"PK\x03\x04") && bytes.windows(17).any(|w| w == b"word/document.xml")
    }

    fn ingest(&self, bytes: &[u8], options: &IngestOptions) -> Result<Document, IngestError> {
        let corrupt = |detail: String| IngestError::Corrupt {
            format: Format::Docx,
            detail,
        };
        let mut zip = zip::ZipArchive::new(Cursor::new(bytes))
            .map_err(|e| corrupt(format!("not a readable zip archive: {e}")))?;
        let document = read_member(&mut zip, "word/document.xml", options.max_decompressed)?
            .ok_or_else(|| corrupt("word/document.xml is missing".into()))?;
        if zip
            .file_names()
            .any(|n| n.as_deref().is_ok_and(|n| n == "EncryptionInfo"))
        {
            return Err(IngestError::Encrypted(
                "the Word document is password-protected".into(),
            ));
        }
        let styles = read_member(&mut zip, "word/styles.xml", options.max_decompressed)?
            .map(|s| heading_styles(&s))
            .unwrap_or_default();
        let numbering = read_member(&mut zip, "word/numbering.xml", options.max_decompressed)?
            .map(|s| bullet_lists(&s))
            .unwrap_or_default();
        let title = read_member(&mut zip, "docProps/core.xml", options.max_decompressed)?
            .and_then(|s| core_title(&s));
        let mut b = DocumentBuilder::new(Format::Docx);
        b.set_metadata_title(title);
        let items = body_items(&document, &styles, &numbering)
            .map_err(|e| corrupt(format!("word/document.xml: {e}")))?;
        segment(items, &mut b);
        Ok(b.finish())
    }
}

fn read_member(
    zip: &mut zip::ZipArchive<Cursor<&[u8]>>,
    name: &str,
    limit: usize,
) -> Result<Option<String>, IngestError> {
    let mut file = match zip.by_name(name) {
        Ok(f) => f,
        Err(zip::result::ZipError::FileNotFound) => return Ok(None),
        Err(e) => {
            return Err(IngestError::Corrupt {
                format: Format::Docx,
                detail: format!("{name}: {e}"),
            })
        }
    };
    let mib = |n: u64| n.div_ceil(1 << 20);
    if file.size() > limit as u64 {
        return Err(IngestError::Limit(format!(
            "{name} declares {} MiB uncompressed, over the {} MiB limit for one part of a DOCX",
            mib(file.size()),
            mib(limit as u64)
        )));
    }
    let mut out = Vec::new();
    // Read one byte past the limit to tell "at the limit" from "over it": the
    // declared size may lie.
    (&mut file)
        .take(limit as u64 + 1)
        .read_to_end(&mut out)
        .map_err(|e| IngestError::Corrupt {
            format: Format::Docx,
            detail: format!("{name}: {e}"),
        })?;
    if out.len() > limit {
        return Err(IngestError::Limit(format!(
            "{name} inflates past the {} MiB limit for one part of a DOCX",
            mib(limit as u64)
        )));
    }
    Ok(Some(String::from_utf8_lossy(&out).into_owned()))
}

fn attr(e: &quick_xml::events::BytesStart, key: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == key)
        .and_then(|a| {
            a.normalized_value(XmlVersion::Implicit1_0)
                .ok()
                .map(|v| v.into_owned())
        })
}

/// Style id → heading level, from style names ("heading 2", "Overskrift 2",
/// "Title"/"Tittel") or the style's outline level.
fn heading_styles(xml: &str) -> HashMap<String, u8> {
    let mut out = HashMap::new();
    let mut reader = Reader::from_str(xml);
    let mut current: Option<String> = None;
    while let Ok(ev) = reader.read_event() {
        match ev {
            Event::Start(e) | Event::Empty(e) => match e.local_name().as_ref() {
                "style" => current = attr(&e, "styleId"),
                "name" => {
                    if let (Some(id), Some(name)) = (&current, attr(&e, "val")) {
                        if let Some(level) = style_level(&name) {
                            out.insert(id.clone(), level);
                        }
                    }
                }
                "outlineLvl" => {
                    if let (Some(id), Some(v)) =
                        (&current, attr(&e, "val").and_then(|v| v.parse::<u8>().ok()))
                    {
                        if v < 9 {
                            out.entry(id.clone()).or_insert(v + 1);
                        }
                    }
                }
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    out
}

fn style_level(name: &str) -> Option<u8> {
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

/// numId → whether the list is bulleted (else numbered), at level 0.
fn bullet_lists(xml: &str) -> HashMap<String, bool> {
    let mut abstract_bullet: HashMap<String, bool> = HashMap::new();
    let mut num_to_abstract: HashMap<String, String> = HashMap::new();
    let mut reader = Reader::from_str(xml);
    let (mut cur_abs, mut cur_num, mut lvl0) = (None::<String>, None::<String>, false);
    while let Ok(ev) = reader.read_event() {
        match ev {
            Event::Start(e) | Event::Empty(e) => match e.local_name().as_ref() {
                "abstractNum" => cur_abs = attr(&e, "abstractNumId"),
                "lvl" => lvl0 = attr(&e, "ilvl").as_deref() == Some("0"),
                "numFmt" if lvl0 => {
                    if let Some(a) = &cur_abs {
                        abstract_bullet
                            .insert(a.clone(), attr(&e, "val").as_deref() == Some("bullet"));
                    }
                }
                "num" => cur_num = attr(&e, "numId"),
                "abstractNumId" => {
                    if let (Some(n), Some(v)) = (&cur_num, attr(&e, "val")) {
                        num_to_abstract.insert(n.clone(), v);
                    }
                }
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    num_to_abstract
        .into_iter()
        .map(|(n, a)| (n, abstract_bullet.get(&a).copied().unwrap_or(true)))
        .collect()
}

fn core_title(xml: &str) -> Option<String> {
    let mut reader = Reader::from_str(xml);
    let mut in_title = false;
    let mut out = String::new();
    while let Ok(ev) = reader.read_event() {
        match ev {
            Event::Start(e) if e.local_name().as_ref() == "title" => in_title = true,
            Event::End(e) if e.local_name().as_ref() == "title" => break,
            Event::Text(t) if in_title => out.push_str(&t.xml10_content()),
            Event::Eof => break,
            _ => {}
        }
    }
    (!out.trim().is_empty()).then_some(out)
}

#[derive(Default)]
struct Para {
    text: String,
    style: Option<String>,
    num: Option<(String, u8)>,
    bold_lead: String,
    lead_done: bool,
    run_bold: bool,
}

struct TableState {
    rows: Vec<Vec<Cell>>,
    cell: Option<String>,
    /// The open cell's `gridSpan`.
    span: usize,
    /// The open cell continues the vertically merged cell above (`<w:vMerge/>`).
    continues_above: bool,
}

/// Puts a finished cell into the grid. A cell spanning several grid columns
/// (`gridSpan`) is followed by covered slots; a cell continuing a vertical
/// merge (`vMerge`) is a covered slot, and the cell it continues grows by a row.
fn place_cell(t: &mut TableState, text: String) {
    let Some(row) = t.rows.last_mut() else {
        return;
    };
    let col = row.len();
    let span = t.span.clamp(1, 64);
    if t.continues_above {
        row.extend((0..span).map(|_| Cell::covered()));
        let above_rows = t.rows.len() - 1;
        let above = t.rows[..above_rows]
            .iter_mut()
            .rev()
            .filter_map(|r| r.get_mut(col))
            .find(|c| !c.merged);
        if let Some(a) = above {
            a.row_span += 1;
            if !text.is_empty() {
                a.text = format!("{} {text}", a.text).trim().to_string();
            }
        }
        return;
    }
    let mut cell = Cell::new(text);
    cell.col_span = span as u16;
    row.push(cell);
    row.extend((1..span).map(|_| Cell::covered()));
}

fn body_items(
    xml: &str,
    styles: &HashMap<String, u8>,
    numbering: &HashMap<String, bool>,
) -> Result<Vec<Item>, quick_xml::Error> {
    let mut items = Vec::new();
    let mut reader = Reader::from_str(xml);
    let mut para: Option<Para> = None;
    let mut tables: Vec<TableState> = Vec::new();
    let mut in_text = false;
    let mut counters: HashMap<(String, u8), u32> = HashMap::new();
    loop {
        let ev = reader.read_event()?;
        let is_empty = matches!(ev, Event::Empty(_));
        match ev {
            Event::Start(e) | Event::Empty(e) => match e.local_name().as_ref() {
                "p" if !is_empty => para = Some(Para::default()),
                "pStyle" => {
                    if let Some(p) = para.as_mut() {
                        p.style = attr(&e, "val");
                    }
                }
                "numId" => {
                    if let (Some(p), Some(v)) = (para.as_mut(), attr(&e, "val")) {
                        if v != "0" {
                            let lvl = p.num.as_ref().map_or(0, |n| n.1);
                            p.num = Some((v, lvl));
                        }
                    }
                }
                "ilvl" => {
                    if let (Some(p), Some(v)) = (
                        para.as_mut(),
                        attr(&e, "val").and_then(|v| v.parse::<u8>().ok()),
                    ) {
                        let id = p.num.as_ref().map(|n| n.0.clone()).unwrap_or_default();
                        p.num = Some((id, v));
                    }
                }
                "r" => {
                    if let Some(p) = para.as_mut() {
                        p.run_bold = false;
                    }
                }
                "b" => {
                    if let Some(p) = para.as_mut() {
                        p.run_bold = attr(&e, "val").is_none_or(|v| v != "0" && v != "false");
                    }
                }
                "t" if !is_empty => in_text = true,
                "tab" => push_para_text(para.as_mut(), " "),
                "br" | "cr" => push_para_text(para.as_mut(), " "),
                "tbl" if !is_empty => {
                    flush_para(
                        &mut para,
                        &mut items,
                        styles,
                        numbering,
                        &mut counters,
                        &mut tables,
                    );
                    tables.push(TableState {
                        rows: Vec::new(),
                        cell: None,
                        span: 1,
                        continues_above: false,
                    });
                }
                "tr" if !is_empty => {
                    if let Some(t) = tables.last_mut() {
                        t.rows.push(Vec::new());
                    }
                }
                "tc" if !is_empty => {
                    if let Some(t) = tables.last_mut() {
                        t.cell = Some(String::new());
                        t.span = 1;
                        t.continues_above = false;
                    }
                }
                "vMerge" => {
                    if let Some(t) = tables.last_mut() {
                        // No value, or "continue": the cell above goes on here.
                        t.continues_above = attr(&e, "val").is_none_or(|v| v == "continue");
                    }
                }
                "gridSpan" => {
                    if let (Some(t), Some(n)) = (
                        tables.last_mut(),
                        attr(&e, "val").and_then(|v| v.parse::<usize>().ok()),
                    ) {
                        t.span = n.clamp(1, 64);
                    }
                }
                _ => {}
            },
            Event::Text(t) if in_text => {
                let s = t.xml10_content();
                push_para_text(para.as_mut(), &s);
            }
            Event::GeneralRef(r) if in_text => {
                let s = match r.resolve_char_ref() {
                    Ok(Some(c)) => c.to_string(),
                    _ => match &*r {
                        "amp" => "&".into(),
                        "lt" => "<".into(),
                        "gt" => ">".into(),
                        "quot" => "\"".into(),
                        "apos" => "'".into(),
                        _ => String::new(),
                    },
                };
                push_para_text(para.as_mut(), &s);
            }
            Event::End(e) => match e.local_name().as_ref() {
                "t" => in_text = false,
                "p" => flush_para(
                    &mut para,
                    &mut items,
                    styles,
                    numbering,
                    &mut counters,
                    &mut tables,
                ),
                "tc" => {
                    if let Some(t) = tables.last_mut() {
                        let text =
                            crate::model::builder_normalise(&t.cell.take().unwrap_or_default());
                        place_cell(t, text);
                    }
                }
                "tbl" => {
                    if let Some(t) = tables.pop() {
                        match tables.last_mut() {
                            // A nested table's text stays inside the outer cell.
                            Some(outer) => {
                                let text: Vec<String> = t
                                    .rows
                                    .into_iter()
                                    .flatten()
                                    .filter(|c| !c.is_empty())
                                    .map(|c| c.text)
                                    .collect();
                                if let Some(c) = outer.cell.as_mut() {
                                    c.push(' ');
                                    c.push_str(&text.join(" "));
                                }
                            }
                            None => items.push(Item::Table(
                                t.rows
                                    .into_iter()
                                    .map(|cells| TableRow { cells, page: None })
                                    .collect(),
                            )),
                        }
                    }
                }
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(items)
}

fn push_para_text(para: Option<&mut Para>, s: &str) {
    if let Some(p) = para {
        if !p.lead_done {
            if p.run_bold {
                p.bold_lead.push_str(s);
            } else if !s.trim().is_empty() {
                p.lead_done = true;
            }
        }
        p.text.push_str(s);
    }
}

fn flush_para(
    para: &mut Option<Para>,
    items: &mut Vec<Item>,
    styles: &HashMap<String, u8>,
    numbering: &HashMap<String, bool>,
    counters: &mut HashMap<(String, u8), u32>,
    tables: &mut [TableState],
) {
    let Some(p) = para.take() else { return };
    let text = crate::model::builder_normalise(&p.text);
    if let Some(t) = tables.last_mut() {
        if let Some(c) = t.cell.as_mut() {
            if !c.is_empty() && !text.is_empty() {
                c.push(' ');
            }
            c.push_str(&text);
        }
        return;
    }
    if text.is_empty() {
        items.push(Item::Blank);
        return;
    }
    let lead = {
        let l = crate::model::builder_normalise(&p.bold_lead);
        (!l.is_empty() && l.len() < text.len()).then_some(l)
    };
    // A style missing from styles.xml (or a file without one) still names its
    // level in its id: "Heading2", "Overskrift1", "Title".
    let level = p
        .style
        .as_ref()
        .and_then(|s| styles.get(s).copied().or_else(|| style_level(s)));
    let kind = if let Some(level) = level {
        BlockKind::Heading {
            level,
            number: heading_of(&text).and_then(|(_, n)| n),
        }
    } else if let Some((id, depth)) = p.num {
        let bullet = numbering.get(&id).copied().unwrap_or(true);
        let marker = if bullet {
            "•".to_string()
        } else {
            let n = counters.entry((id.clone(), depth)).or_insert(0);
            *n += 1;
            // Deeper levels restart when a shallower item appears.
            let current = *n;
            counters.retain(|(i, d), _| *i != id || *d <= depth);
            format!("{current}.")
        };
        BlockKind::ListItem { marker, depth }
    } else {
        BlockKind::Paragraph
    };
    items.push(Item::Block {
        kind,
        lines: vec![text],
        lead,
    });
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use std::io::Write;

    /// Builds a minimal DOCX in memory from a body's XML.
    pub fn make_docx(body: &str, styles: &str) -> Vec<u8> {
        let mut buf = Cursor::new(Vec::new());
        {
            let mut z = zip::ZipWriter::new(&mut buf);
            let opt = zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Deflated);
            z.start_file("[Content_Types].xml", opt).unwrap();
            z.write_all(b"<?xml version=\"1.0\"?><Types/>").unwrap();
            z.start_file("word/document.xml", opt).unwrap();
            write!(z, r#"<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>"#).unwrap();
            z.start_file("word/styles.xml", opt).unwrap();
            write!(z, r#"<?xml version="1.0"?><w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">{styles}</w:styles>"#).unwrap();
            z.finish().unwrap();
        }
        buf.into_inner()
    }

    pub const HEADING_STYLES: &str = r#"<w:style w:styleId="Overskrift1"><w:name w:val="heading 1"/></w:style><w:style w:styleId="Overskrift2"><w:name w:val="Overskrift 2"/></w:style>"#;

    #[test]
    fn headings_paragraphs_and_tables_with_empty_cells() {
        let body = r#"<w:p><w:pPr><w:pStyle w:val="Overskrift1"/></w:pPr><w:r><w:t>3. Handlingsplan per delmål</w:t></w:r></w:p>
<w:p><w:r><w:rPr><w:b/></w:rPr><w:t>Status:</w:t></w:r><w:r><w:t xml:space="preserve"> Hovedprosjekt &amp; mer</w:t></w:r></w:p>
<w:tbl><w:tr><w:tc><w:p><w:r><w:t>Delmål</w:t></w:r></w:p></w:tc><w:tc><w:p/></w:tc><w:tc><w:p><w:r><w:t>Beløp</w:t></w:r></w:p></w:tc></w:tr>
<w:tr><w:tc><w:tcPr><w:gridSpan w:val="2"/></w:tcPr><w:p><w:r><w:t>Til sammen</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>1 900 000 kr</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"#;
        let d = DocxIngester
            .ingest(&make_docx(body, HEADING_STYLES), &IngestOptions::default())
            .unwrap();
        let blocks: Vec<_> = d.blocks().collect();
        assert_eq!(
            blocks[0].kind,
            BlockKind::Heading {
                level: 1,
                number: Some("3".into())
            }
        );
        assert_eq!(blocks[1].text, "Status: Hovedprosjekt & mer");
        assert_eq!(blocks[1].lead.as_deref(), Some("Status:"));
        let (_, t) = d.tables().next().unwrap();
        assert_eq!(
            t.rows[0].texts().collect::<Vec<_>>(),
            vec!["Delmål", "", "Beløp"]
        );
        assert_eq!(
            t.rows[1].texts().collect::<Vec<_>>(),
            vec!["Til sammen", "", "1 900 000 kr"]
        );
    }

    #[test]
    fn merged_cells_fill_the_grid_with_their_spans() {
        // "Delmål 1" spans two rows (vMerge), "Finansiering" two columns (gridSpan).
        let cell = |props: &str, text: &str| {
            format!("<w:tc><w:tcPr>{props}</w:tcPr><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:tc>")
        };
        let body = format!(
            "<w:tbl><w:tr>{}{}</w:tr><w:tr>{}{}{}</w:tr><w:tr>{}{}{}</w:tr></w:tbl>",
            cell("", "Delmål"),
            cell(r#"<w:gridSpan w:val="2"/>"#, "Finansiering"),
            cell(r#"<w:vMerge w:val="restart"/>"#, "Delmål 1"),
            cell("", "200 000"),
            cell("", "100 000"),
            cell("<w:vMerge/>", ""),
            cell("", "50 000"),
            cell("", "25 000"),
        );
        let d = DocxIngester
            .ingest(&make_docx(&body, ""), &IngestOptions::default())
            .unwrap();
        let (_, t) = d.tables().next().unwrap();
        let head = &t.rows[0].cells;
        assert_eq!(
            (head[1].text.as_str(), head[1].col_span),
            ("Finansiering", 2)
        );
        assert!(head[2].merged && head[2].text.is_empty());
        let goal = &t.rows[1].cells[0];
        assert_eq!((goal.text.as_str(), goal.row_span), ("Delmål 1", 2));
        assert!(t.rows[2].cells[0].merged);
        assert_eq!(
            t.rows[2].texts().collect::<Vec<_>>(),
            vec!["", "50 000", "25 000"]
        );
    }

    #[test]
    fn not_a_zip_is_corrupt() {
        let mut bytes = b"PK\x03\x04word/document.xml".to_vec();
        bytes.extend_from_slice(&[0u8; 40]);
        let e = DocxIngester
            .ingest(&bytes, &IngestOptions::default())
            .unwrap_err();
        assert_eq!(e.class(), "corrupt");
    }
}

//! Word documents (DOCX: a zip of WordprocessingML).
//!
//! Structure comes from the markup rather than from guessing: heading levels
//! from paragraph styles (English and Norwegian style names, or the outline
//! level) resolved through their `basedOn` chain ([`styles`]), list items from
//! numbering properties on the paragraph or its style, labelled as Word
//! prints them ([`numbering`]), text boxes in reading order (their fallback
//! copy skipped), tables from `w:tbl` with empty and merged cells kept as
//! empty cells so that columns stay aligned, footnotes and endnotes as notes
//! after the paragraph that refers to them ([`notes`]).

mod notes;
mod numbering;
mod styles;

use std::io::{Cursor, Read};

use quick_xml::events::Event;
use quick_xml::Reader;

use super::layout::{heading_of, segment, Item};
use super::position::{align, Stream};
use super::{IngestError, IngestOptions, Ingester};
use crate::model::{BlockKind, Cell, Document, DocumentBuilder, Format, SourceUnit, TableRow};

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
            .map(|s| styles::Styles::parse(&s))
            .unwrap_or_default();
        let mut numbering = read_member(&mut zip, "word/numbering.xml", options.max_decompressed)?
            .map(|s| numbering::Numbering::parse(&s))
            .unwrap_or_default();
        let title = read_member(&mut zip, "docProps/core.xml", options.max_decompressed)?
            .and_then(|s| core_title(&s));
        let mut note_part = |name| {
            read_member(&mut zip, name, options.max_decompressed)
                .map(|x| x.map(|x| notes::Notes::parse(&x)).unwrap_or_default())
        };
        let notes = NoteParts {
            footnotes: note_part("word/footnotes.xml")?,
            endnotes: note_part("word/endnotes.xml")?,
        };
        let mut b = DocumentBuilder::new(Format::Docx);
        b.set_metadata_title(title);
        let (items, paragraphs) = body_items(&document, &styles, &mut numbering, &notes)
            .map_err(|e| corrupt(format!("word/document.xml: {e}")))?;
        segment(items, &mut b);
        let mut doc = b.finish();
        let source = Stream::of_paragraphs(paragraphs.iter().map(|(n, t)| (*n, t.as_str())));
        doc.source_map = align(&doc.lines, &source, SourceUnit::Paragraph);
        Ok(doc)
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
    crate::ingest::xml_attr(e, key)
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
    /// The paragraph's number in the body, from 1 ([`SourceUnit::Paragraph`]).
    number: u32,
    text: String,
    style: Option<String>,
    /// The paragraph's own `w:numId` ("0": none, whatever its style says).
    num_id: Option<String>,
    ilvl: Option<u8>,
    /// The paragraph's own `w:outlineLvl` (0-based; 9 is body text).
    outline: Option<u8>,
    /// Inside its `w:pPr` (not a run's properties, not a tracked change).
    in_ppr: bool,
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

/// Elements whose content is not the document's text as printed: a tracked
/// change's old properties, and the fallback copy of a drawing or text box
/// (its content is read once, from `mc:Choice`).
const SKIPPED: &[&str] = &["pPrChange", "rPrChange", "Fallback"];

/// A document's footnotes and endnotes.
struct NoteParts {
    footnotes: notes::Notes,
    endnotes: notes::Notes,
}

/// The body's reading so far: the items made, and what is open.
struct Body<'a> {
    styles: &'a styles::Styles,
    numbering: &'a mut numbering::Numbering,
    notes: &'a NoteParts,
    items: Vec<Item>,
    /// Open paragraphs: a text box's paragraphs sit inside a run of the
    /// paragraph that anchors it, and are read as paragraphs of their own.
    paras: Vec<Para>,
    tables: Vec<TableState>,
    in_text: bool,
    /// Notes referred to since the last block, and how many footnotes and
    /// endnotes the body has referred to (Word numbers each kind in the
    /// order of reference).
    pending_notes: Vec<String>,
    notes_seen: [usize; 2],
    /// Paragraphs met so far, and the text of each as it was read (by number).
    paragraph_count: u32,
    paragraphs: Paragraphs,
}

/// Each paragraph's number and its text as read, in the order read.
type Paragraphs = Vec<(u32, String)>;

fn body_items(
    xml: &str,
    styles: &styles::Styles,
    numbering: &mut numbering::Numbering,
    notes: &NoteParts,
) -> Result<(Vec<Item>, Paragraphs), quick_xml::Error> {
    let mut body = Body {
        styles,
        numbering,
        notes,
        items: Vec::new(),
        paras: Vec::new(),
        tables: Vec::new(),
        in_text: false,
        pending_notes: Vec::new(),
        notes_seen: [0; 2],
        paragraph_count: 0,
        paragraphs: Vec::new(),
    };
    let mut reader = Reader::from_str(xml);
    let mut skip = 0usize;
    loop {
        let ev = reader.read_event()?;
        if skip > 0 {
            match ev {
                Event::Start(_) => skip += 1,
                Event::End(_) => skip -= 1,
                Event::Eof => break,
                _ => {}
            }
            continue;
        }
        match ev {
            Event::Start(e) if SKIPPED.contains(&e.local_name().as_ref()) => skip = 1,
            Event::Start(e) => body.start(&e, false),
            Event::Empty(e) => body.start(&e, true),
            Event::Text(t) if body.in_text => body.push_text(&t.xml10_content()),
            Event::GeneralRef(r) if body.in_text => {
                body.push_text(&crate::ingest::xml_entity(&r));
            }
            Event::End(e) => body.end(e.local_name().as_ref()),
            Event::Eof => break,
            _ => {}
        }
    }
    Ok((body.items, body.paragraphs))
}

impl Body<'_> {
    fn push_text(&mut self, s: &str) {
        push_para_text(self.paras.last_mut(), s);
    }

    /// The open paragraph, when the element is inside its properties.
    fn in_ppr(&mut self) -> Option<&mut Para> {
        self.paras.last_mut().filter(|p| p.in_ppr)
    }

    /// An element opens (or stands alone, `empty`).
    fn start(&mut self, e: &quick_xml::events::BytesStart, empty: bool) {
        match e.local_name().as_ref() {
            "p" => {
                self.paragraph_count += 1;
                if !empty {
                    self.paras.push(Para {
                        number: self.paragraph_count,
                        ..Para::default()
                    });
                }
            }
            "pPr" if !empty => {
                if let Some(p) = self.paras.last_mut() {
                    p.in_ppr = true;
                }
            }
            "pStyle" => {
                if let Some(p) = self.in_ppr() {
                    p.style = attr(e, "val");
                }
            }
            "numId" => {
                if let Some(p) = self.in_ppr() {
                    p.num_id = attr(e, "val");
                }
            }
            "ilvl" => {
                if let Some(p) = self.in_ppr() {
                    p.ilvl = attr(e, "val").and_then(|v| v.parse().ok());
                }
            }
            "outlineLvl" => {
                if let Some(p) = self.in_ppr() {
                    p.outline = attr(e, "val").and_then(|v| v.parse().ok());
                }
            }
            "r" => {
                if let Some(p) = self.paras.last_mut() {
                    p.run_bold = false;
                }
            }
            "b" => {
                if let Some(p) = self.paras.last_mut() {
                    p.run_bold = attr(e, "val").is_none_or(|v| v != "0" && v != "false");
                }
            }
            "t" if !empty => self.in_text = true,
            name @ ("footnoteReference" | "endnoteReference") => {
                self.refer(name == "endnoteReference", attr(e, "id"))
            }
            "tab" | "br" | "cr" => self.push_text(" "),
            "tbl" if !empty => self.open_table(),
            _ => self.table_start(e, empty),
        }
    }

    /// A table's row, cell and merge elements.
    fn table_start(&mut self, e: &quick_xml::events::BytesStart, empty: bool) {
        let Some(t) = self.tables.last_mut() else {
            return;
        };
        match e.local_name().as_ref() {
            "tr" if !empty => t.rows.push(Vec::new()),
            "tc" if !empty => {
                t.cell = Some(String::new());
                t.span = 1;
                t.continues_above = false;
            }
            // No value, or "continue": the cell above goes on here.
            "vMerge" => t.continues_above = attr(e, "val").is_none_or(|v| v == "continue"),
            "gridSpan" => {
                if let Some(n) = attr(e, "val").and_then(|v| v.parse::<usize>().ok()) {
                    t.span = n.clamp(1, 64);
                }
            }
            _ => {}
        }
    }

    /// A table opens. One inside a paragraph (a text box's) ends the
    /// paragraph's text before it.
    fn open_table(&mut self) {
        if let Some(p) = self.paras.pop() {
            let number = p.number;
            self.paragraphs.push((number, p.text.clone()));
            flush_para(
                p,
                &mut self.items,
                self.styles,
                self.numbering,
                &mut self.tables,
            );
            self.paras.push(Para {
                number,
                ..Para::default()
            });
        }
        self.tables.push(TableState {
            rows: Vec::new(),
            cell: None,
            span: 1,
            continues_above: false,
        });
    }

    /// An element closes.
    fn end(&mut self, name: &str) {
        match name {
            "t" => self.in_text = false,
            "pPr" => {
                if let Some(p) = self.paras.last_mut() {
                    p.in_ppr = false;
                }
            }
            "p" => {
                if let Some(p) = self.paras.pop() {
                    self.paragraphs.push((p.number, p.text.clone()));
                    flush_para(
                        p,
                        &mut self.items,
                        self.styles,
                        self.numbering,
                        &mut self.tables,
                    );
                }
                if self.tables.is_empty() {
                    self.place_notes();
                }
            }
            "tc" => {
                if let Some(t) = self.tables.last_mut() {
                    let text = crate::model::builder_normalise(&t.cell.take().unwrap_or_default());
                    place_cell(t, text);
                }
            }
            "tbl" => self.close_table(),
            _ => {}
        }
    }

    /// A table closes: a nested table's text stays inside the outer cell; an
    /// outer table is an item, followed by the notes its cells referred to.
    fn close_table(&mut self) {
        let Some(t) = self.tables.pop() else {
            return;
        };
        match self.tables.last_mut() {
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
            None => {
                self.items.push(Item::Table(
                    t.rows
                        .into_iter()
                        .map(|cells| TableRow { cells, page: None })
                        .collect(),
                ));
                self.place_notes();
            }
        }
    }

    /// The note a reference names, labelled with its number, waits for the
    /// end of the block that refers to it.
    fn refer(&mut self, endnote: bool, id: Option<String>) {
        let (part, n) = if endnote {
            (&self.notes.endnotes, &mut self.notes_seen[1])
        } else {
            (&self.notes.footnotes, &mut self.notes_seen[0])
        };
        if let Some(text) = id.as_deref().and_then(|id| part.get(id)) {
            *n += 1;
            self.pending_notes.push(format!("{n} {text}"));
        }
    }

    /// Notes referred to since the last block, set apart after it.
    fn place_notes(&mut self) {
        let notes = self.pending_notes.drain(..).map(|n| Item::Aside(vec![n]));
        self.items.extend(notes);
    }
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
    p: Para,
    items: &mut Vec<Item>,
    styles: &styles::Styles,
    numbering: &mut numbering::Numbering,
    tables: &mut [TableState],
) {
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
    let style = p
        .style
        .as_deref()
        .map(|s| styles.get(s))
        .unwrap_or_default();
    // The paragraph's own properties come before its style's.
    let level = match p.outline {
        Some(o) if o < 9 => Some(o + 1),
        Some(_) => None,
        None => style.heading,
    };
    let num = match p.num_id {
        Some(id) if id == "0" => None,
        Some(num_id) => Some(styles::NumRef {
            num_id,
            ilvl: p
                .ilvl
                .or(style.num.as_ref().map(|n| n.ilvl))
                .unwrap_or(0)
                .min(8),
        }),
        None => style.num.map(|n| styles::NumRef {
            ilvl: p.ilvl.unwrap_or(n.ilvl).min(8),
            ..n
        }),
    };
    let kind = if let Some(level) = level {
        // A numbered heading style prints its number from the list
        // definition; the text then lacks it.
        let label = num
            .map(|n| numbering.next_label(&n.num_id, n.ilvl))
            .map(|l| l.trim_end_matches(['.', ')']).to_string())
            .filter(|l| l.chars().any(|c| c.is_ascii_digit()));
        BlockKind::Heading {
            level,
            number: heading_of(&text).and_then(|(_, n)| n).or(label),
        }
    } else if let Some(num) = num {
        let mut marker = numbering.next_label(&num.num_id, num.ilvl);
        if numbering::is_caption_label(&marker) {
            // The caption keeps its number as printed: "Tabell 3.2 …".
            items.push(Item::Block {
                kind: BlockKind::Paragraph,
                lines: vec![format!("{marker} {text}")],
                lead,
            });
            return;
        }
        // A list level printed without a label is still a list item.
        if marker.is_empty() {
            marker = "•".into();
        }
        BlockKind::ListItem {
            marker,
            depth: num.ilvl,
        }
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
        make_docx_with(body, styles, None)
    }

    /// [`make_docx`] with a `numbering.xml` of these definitions.
    pub fn make_docx_with(body: &str, styles: &str, numbering: Option<&str>) -> Vec<u8> {
        make_docx_parts(body, styles, numbering, &[])
    }

    /// A DOCX with further parts (name, whole XML), e.g. footnotes.
    pub fn make_docx_parts(
        body: &str,
        styles: &str,
        numbering: Option<&str>,
        parts: &[(&str, &str)],
    ) -> Vec<u8> {
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
            if let Some(n) = numbering {
                z.start_file("word/numbering.xml", opt).unwrap();
                write!(z, r#"<?xml version="1.0"?><w:numbering xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">{n}</w:numbering>"#).unwrap();
            }
            for (name, xml) in parts {
                z.start_file(*name, opt).unwrap();
                z.write_all(xml.as_bytes()).unwrap();
            }
            z.finish().unwrap();
        }
        buf.into_inner()
    }

    #[test]
    fn footnotes_follow_the_paragraph_or_table_that_refers_to_them() {
        let w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
        let notes = format!(
            r#"<w:footnotes xmlns:w="{w}"><w:footnote w:type="separator" w:id="0"><w:p/></w:footnote><w:footnote w:id="7"><w:p><w:r><w:t>Tal frå KOSTRA 2024.</w:t></w:r></w:p></w:footnote><w:footnote w:id="8"><w:p><w:r><w:t>Beløp i 1 000 kr.</w:t></w:r></w:p></w:footnote></w:footnotes>"#
        );
        let body = r#"<w:p><w:r><w:t>Tiltaka er:</w:t></w:r><w:r><w:footnoteReference w:id="7"/></w:r></w:p>
<w:tbl><w:tr><w:tc><w:p><w:r><w:t>Post</w:t></w:r><w:r><w:footnoteReference w:id="8"/></w:r></w:p></w:tc></w:tr></w:tbl>
<w:p><w:r><w:t>Slutt.</w:t></w:r><w:r><w:footnoteReference w:id="99"/></w:r></w:p>"#;
        let bytes = make_docx_parts(body, "", None, &[("word/footnotes.xml", &notes)]);
        let d = DocxIngester
            .ingest(&bytes, &IngestOptions::default())
            .unwrap();
        let texts: Vec<(bool, &str)> = d
            .blocks()
            .map(|b| (matches!(b.kind, BlockKind::Table(_)), b.text.as_str()))
            .collect();
        let plain: Vec<&str> = texts.iter().filter(|t| !t.0).map(|t| t.1).collect();
        // Notes are set apart, then placed after the block that refers to
        // them: the paragraph's after it, the table's after the table, an
        // unknown id nowhere; each labelled with its number in reading order.
        assert!(plain.contains(&"1 Tal frå KOSTRA 2024."), "{plain:?}");
        assert!(plain.contains(&"2 Beløp i 1 000 kr."), "{plain:?}");
        let at = |t: &str| texts.iter().position(|x| x.1 == t).unwrap();
        assert!(at("2 Beløp i 1 000 kr.") > texts.iter().position(|x| x.0).unwrap());
        assert!(at("Slutt.") > at("2 Beløp i 1 000 kr."));
        assert_eq!(plain.len(), 4, "{plain:?}");
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

    /// A government template: the list style carries the numbering, a
    /// heading style based on a built-in heading carries its level and a
    /// numbered list, a paragraph switches its style's list off, a text box
    /// is read once (not again from its fallback), and a tracked change's
    /// old numbering is not read.
    #[test]
    fn lists_and_headings_from_the_style_chain_and_numbering_definitions() {
        let styles = r#"<w:style w:styleId="Normal"><w:name w:val="Normal"/></w:style>
<w:style w:styleId="Overskrift2"><w:name w:val="heading 2"/><w:pPr><w:outlineLvl w:val="1"/></w:pPr></w:style>
<w:style w:styleId="Kap2"><w:name w:val="Kapittel 2"/><w:basedOn w:val="Overskrift2"/><w:pPr><w:numPr><w:numId w:val="3"/><w:ilvl w:val="1"/></w:numPr></w:pPr></w:style>
<w:style w:styleId="Liste"><w:name w:val="List"/><w:basedOn w:val="Normal"/><w:pPr><w:numPr><w:numId w:val="16"/></w:numPr></w:pPr></w:style>
<w:style w:styleId="Nummerert"><w:name w:val="List Number"/><w:basedOn w:val="Liste"/><w:pPr><w:numPr><w:numId w:val="17"/></w:numPr></w:pPr></w:style>"#;
        let numbering = r#"<w:abstractNum w:abstractNumId="1"><w:lvl w:ilvl="0"><w:numFmt w:val="bullet"/><w:lvlText w:val="&#61623;"/></w:lvl></w:abstractNum>
<w:abstractNum w:abstractNumId="2"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="%1)"/></w:lvl></w:abstractNum>
<w:abstractNum w:abstractNumId="3"><w:lvl w:ilvl="0"><w:numFmt w:val="decimal"/><w:lvlText w:val="%1"/></w:lvl><w:lvl w:ilvl="1"><w:numFmt w:val="decimal"/><w:lvlText w:val="%1.%2"/></w:lvl></w:abstractNum>
<w:num w:numId="16"><w:abstractNumId w:val="1"/></w:num><w:num w:numId="17"><w:abstractNumId w:val="2"/></w:num><w:num w:numId="3"><w:abstractNumId w:val="3"/></w:num>"#;
        let p = |style: &str, text: &str| {
            format!(
                r#"<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr><w:r><w:t>{text}</w:t></w:r></w:p>"#
            )
        };
        let body = [
            p("Kap2", "Tiltak for bolig"),
            p("Normal", "Regjeringen vil:"),
            p("Liste", "bygge flere utleieboliger"),
            p("Liste", "styrke startlånet"),
            r#"<w:p><w:pPr><w:pStyle w:val="Liste"/><w:numPr><w:numId w:val="0"/></w:numPr><w:pPrChange><w:pPr><w:numPr><w:numId w:val="17"/></w:numPr></w:pPr></w:pPrChange></w:pPr><w:r><w:t>Ikke en liste.</w:t></w:r></w:p>"#.to_string(),
            p("Nummerert", "første"),
            p("Nummerert", "andre"),
            r#"<w:p><w:r><w:t>Se boksen.</w:t></w:r><w:r><mc:AlternateContent xmlns:mc="mc"><mc:Choice Requires="wps"><w:drawing><w:txbxContent><w:p><w:r><w:t>I boksen</w:t></w:r></w:p></w:txbxContent></w:drawing></mc:Choice><mc:Fallback><w:pict><w:txbxContent><w:p><w:r><w:t>I boksen</w:t></w:r></w:p></w:txbxContent></w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>"#.to_string(),
        ]
        .concat();
        let d = DocxIngester
            .ingest(
                &make_docx_with(&body, styles, Some(numbering)),
                &IngestOptions::default(),
            )
            .unwrap();
        let blocks: Vec<(String, String)> = d
            .blocks()
            .map(|b| {
                let kind = match &b.kind {
                    BlockKind::Heading { level, number } => format!("h{level} {number:?}"),
                    BlockKind::ListItem { marker, depth } => format!("li{depth} {marker}"),
                    BlockKind::Paragraph => "p".into(),
                    _ => "other".into(),
                };
                (kind, b.text.clone())
            })
            .collect();
        let want: Vec<(String, String)> = [
            ("h2 Some(\"1.1\")", "Tiltak for bolig"),
            ("p", "Regjeringen vil:"),
            ("li0 •", "bygge flere utleieboliger"),
            ("li0 •", "styrke startlånet"),
            ("p", "Ikke en liste."),
            ("li0 a)", "første"),
            ("li0 b)", "andre"),
            ("p", "I boksen"),
            ("p", "Se boksen."),
        ]
        .iter()
        .map(|(k, t)| (k.to_string(), t.to_string()))
        .collect();
        assert_eq!(blocks, want);
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

//! The structure tree of a tagged PDF (`/StructTreeRoot`): what the author
//! stated about the document's structure — headings and their levels, lists
//! and their items, tables with header cells and spans, notes, the table of
//! contents — as Word, LibreOffice and InDesign export it for accessibility.
//! Each element's content is named by marked-content ids (`/MCID`) on a page;
//! [`super::glyphs`] ties every glyph to the id it was drawn under.
//!
//! The tree is untrusted input: walked with bounded depth and element count,
//! each object visited once (a tree that loops or shares a subtree is read
//! once), roles mapped to the standard ones through the `/RoleMap`.

use std::collections::{BTreeMap, HashMap, HashSet};

use lopdf::{Dictionary, Document as PdfDoc, Object, ObjectId};

/// Elements read at most; past this the tree is not used.
const MAX_ELEMENTS: usize = 200_000;
/// Nesting read at most.
const MAX_DEPTH: usize = 128;
/// Role-map steps followed from a custom role to a standard one.
const MAX_ROLE_STEPS: usize = 8;

/// What a structure element is, after the role map.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Role {
    /// Holds other elements: Document, Part, Sect, Div, Art, BlockQuote,
    /// NonStruct, THead/TBody/TFoot, Index …
    Group,
    Paragraph,
    /// `H1`…`H6` (a level), or `H` (none stated).
    Heading(Option<u8>),
    List,
    ListItem,
    Label,
    ListBody,
    Table,
    Row,
    HeaderCell,
    DataCell,
    Toc,
    TocItem,
    Note,
    Caption,
    /// Not text to read: Figure, Formula, Artifact.
    Skip,
    /// Text inside a block: Span, Link, Quote, Reference, Code, Em, Strong …
    Inline,
}

impl Role {
    fn of(name: &[u8]) -> Option<Role> {
        Some(match name {
            b"Document" | b"DocumentFragment" | b"Part" | b"Art" | b"Sect" | b"Div"
            | b"BlockQuote" | b"NonStruct" | b"Private" | b"Index" | b"Aside" | b"THead"
            | b"TBody" | b"TFoot" | b"Form" => Role::Group,
            b"P" | b"Title" | b"BibEntry" => Role::Paragraph,
            b"H" => Role::Heading(None),
            b"L" => Role::List,
            b"LI" => Role::ListItem,
            b"Lbl" => Role::Label,
            b"LBody" => Role::ListBody,
            b"Table" => Role::Table,
            b"TR" => Role::Row,
            b"TH" => Role::HeaderCell,
            b"TD" => Role::DataCell,
            b"TOC" => Role::Toc,
            b"TOCI" => Role::TocItem,
            b"Note" | b"FENote" => Role::Note,
            b"Caption" => Role::Caption,
            b"Figure" | b"Formula" | b"Artifact" => Role::Skip,
            b"Span" | b"Quote" | b"Reference" | b"Code" | b"Link" | b"Annot" | b"Ruby"
            | b"Warichu" | b"Em" | b"Strong" | b"Sub" | b"RB" | b"RT" | b"RP" | b"WT" | b"WP" => {
                Role::Inline
            }
            [b'H', d @ b'1'..=b'9'] => Role::Heading(Some(d - b'0')),
            _ => return None,
        })
    }
}

/// A piece of an element: another element, or the content drawn under one
/// marked-content id on one page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Kid {
    Elem(Elem),
    Content { page: u32, mcid: u32 },
}

/// One structure element.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Elem {
    pub role: Role,
    pub kids: Vec<Kid>,
    /// A table cell's spans (`/A << /O /Table /RowSpan n /ColSpan n >>`).
    pub row_span: u16,
    pub col_span: u16,
    /// The element's `/ID`: header cells are named by it.
    pub id: Option<Vec<u8>>,
    /// A table cell's `/Headers`: the ids of the header cells over it. A
    /// writer that leaves empty cells out (as browsers do) still places
    /// the others by them.
    pub headers: Vec<Vec<u8>>,
}

/// The structure tree, its elements in document order.
#[derive(Clone, Debug, Default)]
pub struct StructTree {
    pub kids: Vec<Kid>,
    /// How many elements of each kind it has.
    pub elements: usize,
    pub headings: usize,
    pub list_items: usize,
    pub tables: usize,
    /// Content in a form XObject or an unknown page: named, not readable here.
    pub unreadable: usize,
}

impl StructTree {
    /// Whether the tree states more than paragraphs: an all-`P` tree says
    /// nothing the layout does not, and often less.
    pub fn has_structure(&self) -> bool {
        self.headings + self.list_items + self.tables > 0
    }

    /// Every (page, mcid) whose content is read as text: not under a
    /// figure or a formula.
    pub fn text_contents(&self) -> HashSet<(u32, u32)> {
        fn walk(kids: &[Kid], out: &mut HashSet<(u32, u32)>) {
            for k in kids {
                match k {
                    Kid::Content { page, mcid } => {
                        out.insert((*page, *mcid));
                    }
                    Kid::Elem(e) if e.role != Role::Skip => walk(&e.kids, out),
                    Kid::Elem(_) => {}
                }
            }
        }
        let mut out = HashSet::new();
        walk(&self.kids, &mut out);
        out
    }

    /// Every (page, mcid) the tree names.
    pub fn contents(&self) -> HashSet<(u32, u32)> {
        fn walk(kids: &[Kid], out: &mut HashSet<(u32, u32)>) {
            for k in kids {
                match k {
                    Kid::Content { page, mcid } => {
                        out.insert((*page, *mcid));
                    }
                    Kid::Elem(e) => walk(&e.kids, out),
                }
            }
        }
        let mut out = HashSet::new();
        walk(&self.kids, &mut out);
        out
    }
}

struct Reader<'a> {
    pdf: &'a PdfDoc,
    roles: HashMap<Vec<u8>, Vec<u8>>,
    page_of: HashMap<ObjectId, u32>,
    seen: HashSet<ObjectId>,
    tree: StructTree,
}

/// The document's structure tree, when it has one with any content.
pub fn read(pdf: &PdfDoc, pages: &BTreeMap<u32, ObjectId>) -> Option<StructTree> {
    let catalog = pdf
        .trailer
        .get(b"Root")
        .ok()
        .and_then(|r| pdf.dereference(r).ok())
        .and_then(|(_, o)| o.as_dict().ok())?;
    let root = dict(pdf, catalog.get(b"StructTreeRoot").ok()?)?;
    let roles = root
        .get(b"RoleMap")
        .ok()
        .and_then(|m| dict(pdf, m))
        .map(|m| {
            m.iter()
                .filter_map(|(k, v)| Some((k.clone(), v.as_name().ok()?.to_vec())))
                .collect()
        })
        .unwrap_or_default();
    let mut r = Reader {
        pdf,
        roles,
        page_of: pages.iter().map(|(n, id)| (*id, *n)).collect(),
        seen: HashSet::new(),
        tree: StructTree::default(),
    };
    let kids = r.kids(root.get(b"K").ok()?, None, 0)?;
    r.tree.kids = kids;
    (r.tree.elements > 0).then_some(r.tree)
}

fn dict<'a>(pdf: &'a PdfDoc, o: &'a Object) -> Option<&'a Dictionary> {
    pdf.dereference(o).ok().and_then(|(_, o)| o.as_dict().ok())
}

impl Reader<'_> {
    fn role(&self, name: &[u8]) -> Role {
        let mut name = name.to_vec();
        for _ in 0..MAX_ROLE_STEPS {
            if let Some(role) = Role::of(&name) {
                return role;
            }
            match self.roles.get(&name) {
                Some(next) if *next != name => name = next.clone(),
                _ => break,
            }
        }
        // An unknown role holds what it holds: a group if it has elements,
        // a paragraph if only content (decided by the caller).
        Role::Group
    }

    fn page(&self, o: Option<&Object>) -> Option<u32> {
        let id = o?.as_reference().ok()?;
        self.page_of.get(&id).copied()
    }

    /// The kids `/K` names; `None` once the tree is over its limits.
    fn kids(&mut self, k: &Object, page: Option<u32>, depth: usize) -> Option<Vec<Kid>> {
        if depth > MAX_DEPTH || self.tree.elements > MAX_ELEMENTS {
            return None;
        }
        let mut out = Vec::new();
        let items: Vec<&Object> = match k {
            Object::Array(a) => a.iter().collect(),
            Object::Reference(id) => match self.pdf.get_object(*id) {
                Ok(Object::Array(a)) => a.iter().collect(),
                _ => vec![k],
            },
            other => vec![other],
        };
        for item in items {
            if let Some(kid) = self.kid(item, page, depth)? {
                out.push(kid);
            }
        }
        Some(out)
    }

    fn kid(&mut self, o: &Object, page: Option<u32>, depth: usize) -> Option<Option<Kid>> {
        if let Ok(mcid) = o.as_i64() {
            return Some(self.content(page, mcid));
        }
        if let Ok(id) = o.as_reference() {
            // Each object once: a shared or looping subtree is read once.
            if !self.seen.insert(id) {
                return Some(None);
            }
        }
        let Some(d) = dict(self.pdf, o) else {
            return Some(None);
        };
        match d.get(b"Type").and_then(Object::as_name).ok() {
            Some(b"MCR") => {
                if d.has(b"Stm") {
                    self.tree.unreadable += 1;
                    return Some(None);
                }
                let page = self.page(d.get(b"Pg").ok()).or(page);
                let mcid = d.get(b"MCID").and_then(Object::as_i64).ok()?;
                Some(self.content(page, mcid))
            }
            // An annotation or other object: no text of the page's stream.
            Some(b"OBJR") => Some(None),
            _ => self.elem(d, page, depth).map(|e| e.map(Kid::Elem)),
        }
    }

    fn content(&mut self, page: Option<u32>, mcid: i64) -> Option<Kid> {
        match (page, u32::try_from(mcid)) {
            (Some(page), Ok(mcid)) => Some(Kid::Content { page, mcid }),
            _ => {
                self.tree.unreadable += 1;
                None
            }
        }
    }

    fn elem(&mut self, d: &Dictionary, page: Option<u32>, depth: usize) -> Option<Option<Elem>> {
        let Ok(name) = d.get(b"S").and_then(Object::as_name) else {
            return Some(None);
        };
        self.tree.elements += 1;
        let role = self.role(name);
        match role {
            Role::Heading(_) => self.tree.headings += 1,
            Role::ListItem => self.tree.list_items += 1,
            Role::Table => self.tree.tables += 1,
            _ => {}
        }
        let page = self.page(d.get(b"Pg").ok()).or(page);
        let kids = match d.get(b"K") {
            Ok(k) => self.kids(k, page, depth + 1)?,
            Err(_) => Vec::new(),
        };
        let (row_span, col_span, headers) = self.table_attributes(d);
        let id = match d.get(b"ID") {
            Ok(Object::String(s, _)) => Some(s.clone()),
            _ => None,
        };
        Some(Some(Elem {
            role,
            kids,
            row_span,
            col_span,
            id,
            headers,
        }))
    }

    /// `/RowSpan`, `/ColSpan` and `/Headers` from the element's attributes
    /// (a dictionary or an array of them, possibly with revision numbers
    /// between).
    fn table_attributes(&self, d: &Dictionary) -> (u16, u16, Vec<Vec<u8>>) {
        let mut spans = (1u16, 1u16);
        let mut headers = Vec::new();
        let Ok(a) = d.get(b"A") else {
            return (spans.0, spans.1, headers);
        };
        let attrs: Vec<&Object> = match self.pdf.dereference(a).map(|(_, o)| o) {
            Ok(Object::Array(v)) => v.iter().collect(),
            Ok(other) => vec![other],
            Err(_) => return (spans.0, spans.1, headers),
        };
        let span = |a: &Dictionary, key: &[u8]| {
            a.get(key)
                .and_then(Object::as_i64)
                .ok()
                .map(|n| n.clamp(1, 64) as u16)
        };
        for a in attrs.into_iter().filter_map(|o| dict(self.pdf, o)) {
            spans.0 = span(a, b"RowSpan").unwrap_or(spans.0);
            spans.1 = span(a, b"ColSpan").unwrap_or(spans.1);
            if let Ok(Object::Array(ids)) = a.get(b"Headers") {
                headers.extend(ids.iter().take(64).filter_map(|o| match o {
                    Object::String(s, _) => Some(s.clone()),
                    _ => None,
                }));
            }
        }
        (spans.0, spans.1, headers)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn standard_and_custom_roles() {
        assert_eq!(Role::of(b"H3"), Some(Role::Heading(Some(3))));
        assert_eq!(Role::of(b"LBody"), Some(Role::ListBody));
        assert_eq!(Role::of(b"Overskrift"), None);
        let pdf = PdfDoc::with_version("1.7");
        let r = Reader {
            pdf: &pdf,
            roles: [
                (b"Overskrift 1".to_vec(), b"Heading1".to_vec()),
                (b"Heading1".to_vec(), b"H1".to_vec()),
                (b"Loop".to_vec(), b"Loop".to_vec()),
            ]
            .into_iter()
            .collect(),
            page_of: HashMap::new(),
            seen: HashSet::new(),
            tree: StructTree::default(),
        };
        assert_eq!(r.role(b"Overskrift 1"), Role::Heading(Some(1)));
        assert_eq!(r.role(b"Loop"), Role::Group);
    }
}

//! Corpus-wide CSV tables, one row per entity, keyed by document id, for
//! spreadsheets, R, Python and DuckDB. Written from the records alone.
//!
//! `actors.csv` is the exception to "one row per document entity": it has one
//! row per canonical actor across the whole run, with its variants and the
//! documents that mention it, so that regions can be compared.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use super::columns;
use crate::record::{AmountRec, BudgetRec, Finding, Goal, Lookup, Measure, Record, SpanRec};

fn join(items: impl IntoIterator<Item = String>) -> String {
    items.into_iter().collect::<Vec<_>>().join("; ")
}

fn opt<T: ToString>(v: &Option<T>) -> String {
    v.as_ref().map(T::to_string).unwrap_or_default()
}

fn page(s: &SpanRec) -> String {
    opt(&s.page)
}

/// NOK with two decimals, as printed by the record ("1800000.00").
fn nok(v: f64) -> String {
    format!("{v:.2}")
}

fn budget_nok(b: &Option<BudgetRec>) -> String {
    b.as_ref().and_then(|b| b.nok).map(nok).unwrap_or_default()
}

/// "2025: 1900000.00; 2026: 1500000.00".
fn budget_years(b: &Option<BudgetRec>) -> String {
    b.as_ref()
        .map(|b| {
            join(
                b.years
                    .iter()
                    .map(|y| format!("{}: {}", y.year, nok(y.nok))),
            )
        })
        .unwrap_or_default()
}

/// "t2 row 3" or "text".
fn budget_source(b: &Option<BudgetRec>) -> String {
    b.as_ref()
        .map(|b| match (&b.table, b.row) {
            (Some(t), Some(r)) => format!("{t} row {r}"),
            _ => b.source.clone(),
        })
        .unwrap_or_default()
}

/// A spreadsheet reads a cell that starts with `=`, `+`, `-` or `@` as a
/// formula ("=HYPERLINK(…)" in a document's title would run): such cells get a
/// leading apostrophe. Numbers ("-100000.00") are left as they are.
pub(crate) fn neutralise(cell: String) -> String {
    let risky = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if risky && cell.parse::<f64>().is_err() {
        format!("'{cell}")
    } else {
        cell
    }
}

/// One CSV file, written document by document as records come.
struct Table {
    file: std::io::BufWriter<std::fs::File>,
    /// The bytes the table has so far, those still to copy included.
    at: u64,
    /// The previous run's file, once rows are copied from it.
    source: Option<std::fs::File>,
    /// The bytes of `source` still to copy: the rows of consecutive kept
    /// documents are copied at once, by the kernel, not row by row.
    pending: Option<std::ops::Range<u64>>,
}

impl Table {
    fn create(path: &Path, header: &[&str]) -> std::io::Result<Table> {
        let file = std::fs::File::create(path)?;
        let mut t = Table {
            file: std::io::BufWriter::new(file),
            at: 0,
            source: None,
            pending: None,
        };
        t.write_rows([header.iter().map(|h| h.to_string()).collect()], false)?;
        Ok(t)
    }

    fn of(dir: &Path, spec: &columns::Spec) -> std::io::Result<Table> {
        Table::create(&dir.join(spec.file()), &spec.header())
    }

    /// Copies the bytes `rows` of the previous run's file `from` (whole
    /// rows, as they were), after those pending when they follow them.
    fn copy(&mut self, from: &std::fs::File, rows: std::ops::Range<u64>) -> std::io::Result<()> {
        self.at += rows.end - rows.start;
        if let Some(p) = self.pending.as_mut().filter(|p| p.end == rows.start) {
            p.end = rows.end;
            return Ok(());
        }
        self.copy_pending()?;
        if self.source.is_none() {
            self.source = Some(from.try_clone()?);
        }
        self.pending = Some(rows);
        Ok(())
    }

    /// Copies the pending bytes of the previous file, after what is written.
    fn copy_pending(&mut self) -> std::io::Result<()> {
        use std::io::{Read, Seek, Write};
        let (Some(rows), Some(mut source)) = (self.pending.take(), self.source.as_ref()) else {
            return Ok(());
        };
        self.file.flush()?;
        let mut file: &std::fs::File = self.file.get_ref();
        source.seek(std::io::SeekFrom::Start(rows.start))?;
        // `copy_file_range` on Linux, file to file.
        let n = std::io::copy(&mut source.take(rows.end - rows.start), &mut file)?;
        if n != rows.end - rows.start {
            return Err(std::io::Error::other("the previous table ended early"));
        }
        Ok(())
    }

    /// Writes one document's rows (`neutral`: its cells neutralised), and
    /// counts their bytes.
    fn write_rows(
        &mut self,
        rows: impl IntoIterator<Item = Vec<String>>,
        neutral: bool,
    ) -> std::io::Result<()> {
        use std::io::Write;
        let mut rows = rows.into_iter().peekable();
        if rows.peek().is_none() {
            return Ok(());
        }
        self.copy_pending()?;
        // Serialised apart, so that the document's bytes are counted.
        let mut w = csv::Writer::from_writer(Vec::new());
        for row in rows {
            if neutral {
                w.write_record(row.into_iter().map(neutralise))
            } else {
                w.write_record(row)
            }
            .map_err(std::io::Error::other)?;
        }
        let bytes = w
            .into_inner()
            .map_err(|e| std::io::Error::other(e.to_string()))?;
        self.file.write_all(&bytes)?;
        self.at += bytes.len() as u64;
        Ok(())
    }

    fn push_all(&mut self, rows: impl IntoIterator<Item = Vec<String>>) -> std::io::Result<()> {
        self.write_rows(rows, true)
    }

    fn finish(mut self) -> std::io::Result<()> {
        self.copy_pending()?;
        self.file
            .into_inner()
            .map_err(|e| e.into_error())?
            .sync_all()
    }
}

/// The run's CSV tables, written as records come (memory stays that of one
/// record, plus the run's actors), in the order records are added.
pub struct Tables {
    dir: std::path::PathBuf,
    documents: Table,
    goals: Table,
    measures: Table,
    amounts: Table,
    findings: Table,
    /// The documents added, in order, with the bytes of their rows in each
    /// table (for the row index); `actors.csv` lists each actor's
    /// documents in this order.
    order: Vec<(String, [u64; 5])>,
    /// The tables' header bytes.
    headers: [u64; 5],
}

impl Tables {
    /// Creates the six files in `dir`, headers written.
    pub fn create(dir: &Path) -> std::io::Result<Tables> {
        let mut t = Tables {
            dir: dir.to_path_buf(),
            documents: Table::of(dir, &columns::DOCUMENTS)?,
            goals: Table::of(dir, &columns::GOALS)?,
            measures: Table::of(dir, &columns::MEASURES)?,
            amounts: Table::of(dir, &columns::AMOUNTS)?,
            findings: Table::of(dir, &columns::FINDINGS)?,
            order: Vec::new(),
            headers: [0; 5],
        };
        t.headers = t.sizes();
        Ok(t)
    }

    fn tables(&mut self) -> [&mut Table; 5] {
        [
            &mut self.documents,
            &mut self.goals,
            &mut self.measures,
            &mut self.amounts,
            &mut self.findings,
        ]
    }

    /// The bytes each table has so far.
    fn sizes(&self) -> [u64; 5] {
        [
            self.documents.at,
            self.goals.at,
            self.measures.at,
            self.amounts.at,
            self.findings.at,
        ]
    }

    /// Notes document `id` as added, with the bytes its rows took since
    /// the sizes were `before`.
    fn added(&mut self, id: &str, before: [u64; 5]) {
        let after = self.sizes();
        self.order.push((
            id.to_string(),
            std::array::from_fn(|t| after[t] - before[t]),
        ));
    }

    /// Adds one document's rows.
    pub fn add(&mut self, r: &Record, review: &crate::review::Review) -> std::io::Result<()> {
        let ids = Lookup::new(r);
        let before = self.sizes();
        self.documents.push_all([document_row(r, &ids)])?;
        self.goals
            .push_all(r.goals.iter().map(|g| goal_row(r, g)))?;
        self.measures
            .push_all(r.measures.iter().map(|m| measure_row(r, &ids, m)))?;
        self.amounts
            .push_all(r.amounts.iter().map(|a| amount_row(r, &ids, a)))?;
        self.findings
            .push_all(r.findings.iter().map(|f| finding_row(r, f, review)))?;
        self.added(&r.id, before);
        Ok(())
    }

    /// Adds document `id`'s rows as the previous run wrote them; false,
    /// with nothing added, when the previous tables do not list it (then
    /// [`Tables::add`] it from its record).
    pub fn keep(&mut self, previous: &PreviousTables, id: &str) -> std::io::Result<bool> {
        let Some(rows) = previous.rows.get(id) else {
            return Ok(false);
        };
        let before = self.sizes();
        for ((t, from), rows) in self.tables().into_iter().zip(&previous.files).zip(rows) {
            if !rows.is_empty() {
                t.copy(from, rows.clone())?;
            }
        }
        self.added(id, before);
        Ok(true)
    }

    /// Writes `actors.csv`, from the actors of the documents added as the
    /// knowledge base `kb` holds them (it holds every document added, and
    /// those only), and closes every file.
    ///
    /// Returns what the row index needs: the documents added, in order,
    /// with the bytes of their rows in each table, and the tables' header
    /// bytes.
    pub fn finish(self, kb: &super::sqlite::KnowledgeBase) -> Result<Written, FinishError> {
        for t in [
            self.documents,
            self.goals,
            self.measures,
            self.amounts,
            self.findings,
        ] {
            t.finish()?;
        }
        let at: HashMap<&str, u32> = self
            .order
            .iter()
            .enumerate()
            .map(|(i, (id, _))| (id.as_str(), i as u32))
            .collect();
        let mut sums: BTreeMap<String, ActorSum> = BTreeMap::new();
        // A document's actors come together: its place is looked up once.
        let mut last: Option<(String, Option<u32>)> = None;
        kb.for_each_actor(|a| {
            let place = match &last {
                Some((id, place)) if id == a.document => *place,
                _ => {
                    let place = at.get(a.document).copied();
                    last = Some((a.document.to_string(), place));
                    place
                }
            };
            if let Some(i) = place {
                match sums.get_mut(a.name) {
                    Some(sum) => sum.fold(i, &a),
                    None => {
                        let mut sum = ActorSum::new(i, a.kind);
                        sum.fold(i, &a);
                        sums.insert(a.name.to_string(), sum);
                    }
                }
            }
        })?;
        let mut actors = Table::of(&self.dir, &columns::ACTORS)?;
        for (name, sum) in sums {
            let ActorSum {
                kind,
                mut variants,
                mentions,
                mut documents,
                ..
            } = sum;
            variants.sort();
            // A document naming it twice (two actors of one name) is
            // listed twice.
            documents.sort();
            let ids = documents
                .iter()
                .map(|&i| self.order[i as usize].0.as_str())
                .collect::<Vec<_>>()
                .join("; ");
            actors.push_all([vec![
                name,
                kind,
                documents.len().to_string(),
                mentions.to_string(),
                variants.join("; "),
                ids,
            ]])?;
        }
        actors.finish()?;
        Ok(Written {
            documents: self.order,
            headers: self.headers,
        })
    }
}

/// Why [`Tables::finish`] could not write the tables.
#[derive(Debug, thiserror::Error)]
pub enum FinishError {
    #[error(transparent)]
    Io(#[from] std::io::Error),
    /// The knowledge base's actors could not be read.
    #[error(transparent)]
    Kb(#[from] super::sqlite::KbError),
}

/// What [`Tables::finish`] wrote, for the row index.
pub struct Written {
    /// The documents, in order, with the bytes of their rows in each of
    /// `documents.csv`, `goals.csv`, `measures.csv`, `amounts.csv` and
    /// `findings.csv`.
    pub documents: Vec<(String, [u64; 5])>,
    /// Those tables' header bytes.
    pub headers: [u64; 5],
}

/// One row of `actors.csv` as the run's actors fold into it: an actor is
/// one canonical name across documents.
struct ActorSum {
    /// The kind its first mention gives, in the run's order.
    kind: String,
    /// The place of that mention's document in the run's order.
    first: u32,
    /// Every variant of the name, once each.
    variants: Vec<String>,
    /// The variants of the last row folded in, as the knowledge base keeps
    /// them: an actor named alike in many documents is parsed once.
    last: String,
    mentions: u64,
    /// The documents that name it, by place in the run's order, once for
    /// each of their actors by that name.
    documents: Vec<u32>,
}

impl ActorSum {
    fn new(first: u32, kind: &str) -> ActorSum {
        ActorSum {
            kind: kind.to_string(),
            first,
            variants: Vec::new(),
            last: String::new(),
            mentions: 0,
            documents: Vec::new(),
        }
    }

    /// Folds in an actor of document `i` (rows come in the order they were
    /// put, not in the run's order: the earliest document gives the kind).
    fn fold(&mut self, i: u32, a: &super::sqlite::ActorRow<'_>) {
        if i < self.first {
            self.first = i;
            a.kind.clone_into(&mut self.kind);
        }
        if a.variants != self.last {
            let variants: Vec<String> = serde_json::from_str(a.variants).unwrap_or_default();
            for v in variants {
                if !self.variants.contains(&v) {
                    self.variants.push(v);
                }
            }
            a.variants.clone_into(&mut self.last);
        }
        self.mentions += u64::from(a.mentions);
        self.documents.push(i);
    }
}

/// One of the previous run's tables, parsed: the bytes of each document's
/// rows.
struct PreviousTable {
    file: std::fs::File,
    spans: HashMap<String, std::ops::Range<u64>>,
}

impl PreviousTable {
    /// Reads `dir`'s table of `spec` once, noting each document's rows;
    /// `None` when it is missing, has another header, or a document's rows
    /// are not together.
    fn read(dir: &Path, spec: &columns::Spec) -> Option<PreviousTable> {
        let mut reader = csv::Reader::from_path(dir.join(spec.file())).ok()?;
        let header = reader.byte_headers().ok()?.clone();
        if header.iter().ne(spec.header().iter().map(|h| h.as_bytes())) {
            return None;
        }
        let mut spans: HashMap<String, std::ops::Range<u64>> = HashMap::new();
        let mut row = csv::ByteRecord::new();
        let mut last: Option<String> = None;
        loop {
            let at = reader.position().byte();
            if !reader.read_byte_record(&mut row).ok()? {
                break;
            }
            let id = std::str::from_utf8(row.get(0)?).ok()?;
            let end = reader.position().byte();
            if last.as_deref() == Some(id) {
                spans.get_mut(id)?.end = end;
                continue;
            }
            if spans.insert(id.to_string(), at..end).is_some() {
                return None;
            }
            last = Some(id.to_string());
        }
        Some(PreviousTable {
            file: reader.into_inner(),
            spans,
        })
    }
}

/// The previous run's tables (but `actors.csv`, which gathers documents),
/// for a re-run that copies the rows of the documents that did not change
/// instead of reading their records.
#[derive(Default)]
pub struct PreviousTables {
    /// documents, goals, measures, amounts, findings; empty when any is
    /// missing or not as this plansjekk writes it.
    files: Vec<std::fs::File>,
    /// Each document's rows in them, for the documents `documents.csv`
    /// lists.
    rows: HashMap<String, [std::ops::Range<u64>; 5]>,
}

impl PreviousTables {
    /// Whether they list document `id`.
    pub fn has(&self, id: &str) -> bool {
        self.rows.contains_key(id)
    }

    /// The tables of the output folder `dir`, their rows located by the
    /// folder's row index (`located`, checked against the tables) where it
    /// has one, else by parsing them.
    pub fn read(dir: &Path, index: Option<&super::rows::Previous>) -> PreviousTables {
        let read = match index {
            Some(index) => PreviousTables::indexed(dir, index),
            None => PreviousTables::parsed(dir),
        };
        read.unwrap_or_default()
    }

    /// The tables as the row index locates their rows; `None` when a
    /// table's header is not this plansjekk's.
    fn indexed(dir: &Path, index: &super::rows::Previous) -> Option<PreviousTables> {
        use std::io::Read;
        let mut files = Vec::with_capacity(5);
        for (t, spec) in columns::ROW_TABLES.into_iter().enumerate() {
            let file = std::fs::File::open(dir.join(spec.file())).ok()?;
            let mut w = csv::Writer::from_writer(Vec::new());
            w.write_record(spec.header()).ok()?;
            let expected = w.into_inner().ok()?;
            let mut header = vec![0; usize::try_from(index.headers[t]).ok()?];
            (&file).read_exact(&mut header).ok()?;
            if header != expected {
                return None;
            }
            files.push(file);
        }
        let rows = index
            .located
            .iter()
            .map(|(id, l)| (id.clone(), std::array::from_fn(|t| l.ranges[t].clone())))
            .collect();
        Some(PreviousTables { files, rows })
    }

    /// The tables parsed, each document's rows noted.
    fn parsed(dir: &Path) -> Option<PreviousTables> {
        let mut tables = columns::ROW_TABLES
            .into_iter()
            .map(|spec| PreviousTable::read(dir, spec))
            .collect::<Option<Vec<_>>>()?;
        let documents = std::mem::take(&mut tables[0].spans);
        let rows = documents
            .into_iter()
            .map(|(id, first)| {
                let ranges = std::array::from_fn(|t| match t {
                    0 => first.clone(),
                    t => tables[t].spans.remove(&id).unwrap_or(0..0),
                });
                (id, ranges)
            })
            .collect();
        let files = tables.into_iter().map(|t| t.file).collect();
        Some(PreviousTables { files, rows })
    }
}

/// An actor by name, as a reader knows it; an id the record has no actor for
/// is shown as it is.
fn actor_name(ids: &Lookup, id: &str) -> String {
    ids.actor(id)
        .map_or_else(|| id.to_string(), |a| a.name.clone())
}

/// The number a goal has in the document ("Delmål 1"), which a reader finds
/// it by, rather than its id.
fn goal_number(ids: &Lookup, id: &Option<String>) -> String {
    id.as_ref()
        .and_then(|id| ids.goal(id))
        .and_then(|g| g.number.clone())
        .unwrap_or_default()
}

/// The row of `documents.csv`, in [`columns::DOCUMENTS`] order.
fn document_row(r: &Record, ids: &Lookup) -> Vec<String> {
    vec![
        r.id.clone(),
        r.source.path.clone(),
        r.source.sha256.clone(),
        r.source.format.clone(),
        opt(&r.source.pages),
        r.kind.clone(),
        opt(&r.language),
        opt(&r.title),
        opt(&r.date),
        r.period.as_ref().map(|p| opt(&p.from)).unwrap_or_default(),
        r.period.as_ref().map(|p| opt(&p.to)).unwrap_or_default(),
        join(r.parties.iter().map(|id| actor_name(ids, id))),
        r.goals.len().to_string(),
        r.measures.len().to_string(),
        r.amounts.len().to_string(),
        r.findings.len().to_string(),
        if r.source.ocr.is_empty() {
            String::new()
        } else {
            r.source.ocr.len().to_string()
        },
    ]
}

/// A goal's row of `goals.csv`, in [`columns::GOALS`] order.
fn goal_row(r: &Record, g: &Goal) -> Vec<String> {
    vec![
        r.id.clone(),
        g.id.clone(),
        opt(&g.number),
        g.kind.clone(),
        g.title.clone(),
        opt(&g.parent),
        opt(&g.text),
        budget_nok(&g.budget),
        budget_years(&g.budget),
        budget_source(&g.budget),
        page(&g.span),
        g.span.line.to_string(),
    ]
}

/// A measure's row of `measures.csv`, in [`columns::MEASURES`] order: actors
/// by name, its goal by number, its amounts in NOK.
fn measure_row(r: &Record, ids: &Lookup, m: &Measure) -> Vec<String> {
    let tf = m.timeframe.as_ref();
    vec![
        r.id.clone(),
        m.id.clone(),
        opt(&m.goal),
        goal_number(ids, &m.goal),
        opt(&m.number),
        m.kind.clone(),
        m.title.clone(),
        opt(&m.status),
        opt(&m.progress),
        join(m.responsible.iter().map(|id| actor_name(ids, id))),
        join(m.partners.iter().map(|id| actor_name(ids, id))),
        tf.map(|t| t.text.clone()).unwrap_or_default(),
        tf.map(|t| opt(&t.from)).unwrap_or_default(),
        tf.map(|t| opt(&t.to)).unwrap_or_default(),
        // The measure lists its amounts in the record's order.
        join(
            m.amounts
                .iter()
                .filter_map(|id| ids.amount(id))
                .map(|a| nok(a.nok)),
        ),
        budget_nok(&m.budget),
        budget_years(&m.budget),
        budget_source(&m.budget),
        m.themes.join("; "),
        m.seen_in.join("; "),
        page(&m.span),
        m.span.line.to_string(),
    ]
}

/// An amount's row of `amounts.csv`, in [`columns::AMOUNTS`] order, with
/// the table cell it was read from.
fn amount_row(r: &Record, ids: &Lookup, a: &AmountRec) -> Vec<String> {
    vec![
        r.id.clone(),
        a.id.clone(),
        nok(a.nok),
        a.text.clone(),
        a.role.clone(),
        opt(&a.year),
        opt(&a.source),
        opt(&a.goal),
        goal_number(ids, &a.goal),
        opt(&a.measure),
        a.origin.clone(),
        a.cell.as_ref().map(|c| c.table.clone()).unwrap_or_default(),
        a.cell
            .as_ref()
            .map(|c| c.row.to_string())
            .unwrap_or_default(),
        a.cell
            .as_ref()
            .map(|c| c.column.to_string())
            .unwrap_or_default(),
        opt(&a.repeats),
        page(&a.span),
        a.span.line.to_string(),
        opt(&a.ocr),
        opt(&a.cell.as_ref().and_then(|c| c.reference.clone())),
    ]
}

/// A finding's row of `findings.csv`, in [`columns::FINDINGS`] order, with
/// its review status and its primary place.
fn finding_row(r: &Record, f: &Finding, review: &crate::review::Review) -> Vec<String> {
    let primary = f.locations.first();
    let place = primary.and_then(|l| l.source);
    let num = |v: &Option<f64>| {
        v.map(|x| {
            if x.fract() == 0.0 {
                format!("{x:.0}")
            } else {
                format!("{x:.2}")
            }
        })
        .unwrap_or_default()
    };
    vec![
        r.id.clone(),
        f.id.clone(),
        f.rule.clone(),
        f.severity.clone(),
        review.status(&f.id).as_str().to_string(),
        f.message.clone(),
        num(&f.stated),
        num(&f.computed),
        num(&f.difference),
        primary.map(|l| opt(&l.page)).unwrap_or_default(),
        primary.map(|l| l.line.to_string()).unwrap_or_default(),
        opt(&place.and_then(|p| p.line)),
        opt(&place.and_then(|p| p.paragraph)),
        opt(&place.map(|p| p.column)),
        primary.map(|l| l.text.clone()).unwrap_or_default(),
        join(f.locations.iter().skip(1).map(|l| l.line.to_string())),
        opt(&f.hint),
        f.confidence.clone(),
        f.reason.clone(),
        opt(&f.ocr),
        opt(&primary.and_then(|l| l.cell.as_ref()?.reference.clone())),
        opt(&primary.and_then(|l| l.cell.as_ref()?.formula.clone())),
    ]
}

/// The previous run's `tables/` files, by document, for a re-run that links
/// those of the documents that did not change.
pub struct PreviousTableFiles {
    dir: std::path::PathBuf,
    by_document: HashMap<String, Vec<std::ffi::OsString>>,
}

impl PreviousTableFiles {
    /// Lists `dir` once: its files are `<document>-t<n>.csv`.
    pub fn read(dir: &Path) -> PreviousTableFiles {
        let mut by_document: HashMap<String, Vec<std::ffi::OsString>> = HashMap::new();
        for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let name = e.file_name();
            let Some((id, table)) = name
                .to_str()
                .and_then(|n| n.strip_suffix(".csv"))
                .and_then(|n| n.rsplit_once('-'))
            else {
                continue;
            };
            let numbered = table
                .strip_prefix('t')
                .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
            if numbered && e.file_type().is_ok_and(|t| t.is_file()) {
                by_document.entry(id.to_string()).or_default().push(name);
            }
        }
        PreviousTableFiles {
            dir: dir.to_path_buf(),
            by_document,
        }
    }

    /// The names of document `id`'s table files.
    pub fn names(&self, id: &str) -> impl Iterator<Item = &std::ffi::OsString> {
        self.by_document.get(id).into_iter().flatten()
    }

    /// Links (or copies) document `id`'s table files into `to`.
    pub fn keep(&self, id: &str, to: &Path) -> std::io::Result<()> {
        for name in self.names(id) {
            super::folder::link_or_copy(&self.dir.join(name), &to.join(name))?;
        }
        Ok(())
    }
}

/// Writes each of a record's tables as a CSV of its own,
/// `<dir>/<document>-<table>.csv`: the header, then the rows, cells as read
/// (as Camelot and Tabula give them).
pub fn write_table_files(dir: &Path, r: &Record) -> std::io::Result<()> {
    for t in &r.tables {
        let file = std::fs::File::create(dir.join(format!("{}-{}.csv", r.id, t.id)))?;
        let mut w = csv::WriterBuilder::new()
            .flexible(true)
            .from_writer(std::io::BufWriter::new(file));
        for row in std::iter::once(&t.header).chain(&t.rows) {
            w.write_record(row.iter().cloned().map(neutralise))
                .map_err(std::io::Error::other)?;
        }
        w.flush()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::neutralise;

    #[test]
    fn formulas_are_neutralised_and_numbers_kept() {
        assert_eq!(neutralise("=HYPERLINK(\"x\")".into()), "'=HYPERLINK(\"x\")");
        assert_eq!(neutralise("@SUM(A1)".into()), "'@SUM(A1)");
        assert_eq!(neutralise("+47 22 00 00 00".into()), "'+47 22 00 00 00");
        assert_eq!(neutralise("- Tiltak".into()), "'- Tiltak");
        assert_eq!(neutralise("-100000.00".into()), "-100000.00");
        assert_eq!(neutralise("Handlingsplan".into()), "Handlingsplan");
    }
}

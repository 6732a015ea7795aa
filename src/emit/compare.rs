//! `comparison.csv`: one row per document, so that regional programmes can be
//! compared side by side (issue 12). Written from the records alone, rows in
//! the order the documents were added, at the end of the run (the set of year
//! columns is known only then).
//!
//! # Columns
//!
//! | column | what it holds |
//! |---|---|
//! | `document` | the document id, as in every other table |
//! | `title` | the document's title, as read from it |
//! | `kind` | what the document is: "handlingsplan", "handlingsprogram", "strategi", "årsrapport", … |
//! | `region` | the parties that are a municipality, a county (fylkeskommune) or a regional council (regionråd), i.e. the area the plan is for; `; `-separated, in the document's order |
//! | `parties` | every party the document names as behind it (ministries and other bodies too), `; `-separated |
//! | `period_from`, `period_to` | the period the plan covers (ISO dates, empty when not stated) |
//! | `date` | the document's date (ISO) |
//! | `goals` | number of goals, at every level (delmål, strategier, …) |
//! | `measures` | number of measures (tiltak, aktiviteter, prosjekter, …) |
//! | `measures_with_responsible` | measures that name a responsible actor |
//! | `measures_with_budget` | measures that have a budget of their own |
//! | `errors`, `warnings` | consistency findings of each severity (see `findings.csv`) |
//! | `budget_total` | the document's total budget in NOK: the sum of its goals' and measures' budgets, see below; empty when the document budgets nothing |
//! | `stated_total` | the total the document itself states for that money: its "SUM"/"Totalt" row in the table the goals' budgets come from (`stated_total` in the record); it may hold more than `budget_total` (project management, a reserve: rows that budget no goal); empty when that table has no such row |
//! | `by_source_total` | the sum of `by_source`: budgeted and granted money that names its funding source, wherever the document gives it (often another table, for one year) |
//! | `budget_2025`, `budget_2026`, … | the same budget year by year: one column per year any document of the run budgets, sorted; empty when the document gives no figure for that year |
//! | `by_source` | budgeted and granted money by funding source, e.g. "Kommunal egenandel: 705000.00; Kommunal- og distriktsdepartementet: 1900000.00", sorted by source name; see below |
//! | `theme_rekruttering` … `theme_samarbeid` | for each of the ten themes of the taxonomy (`extract::themes`), the number of measures that carry it; a measure may carry several themes or none, so these need not add up to `measures` |
//! | `main_themes` | the document's (at most) three most frequent themes, `; `-separated, most frequent first, ties in taxonomy order; themes no measure carries are left out |
//!
//! Money is NOK with two decimals ("1900000.00"), summed exactly in øre.
//! An empty money cell means "the document gives no figure", never zero.
//!
//! # How the total budget is counted
//!
//! Goals form a tree (a goal may sit under another); measures hang on a goal
//! or on none. Each goal and measure may carry a budget (`budget` in the
//! record). The total counts every budget at the *highest level that has
//! one*, and nothing beneath it:
//!
//! - a goal's budget counts when none of the goals above it has a budget;
//! - a measure's budget counts when its goal, and every goal above that, has
//!   no budget (a measure under no goal always counts);
//! - so a measure inside a goal that already has a budget is never counted
//!   again, and when every top-level goal has a budget the total is the sum
//!   of the top-level goals' budgets.
//!
//! A budget's money is its total (`budget.nok`), or, where the document gives
//! only figures per year, the sum of those years. The year columns add up the
//! per-year figures of the same budgets, so they add up to `budget_total`
//! when every counted budget is broken down by year. Money outside goals and
//! measures (a budget table's lines for project management or reserves, say)
//! is not part of `budget_total`; `by_source` may include it.
//!
//! # How money by source is counted
//!
//! From the record's amounts whose role is "budget" or "granted" and that
//! name a funding source. The same money is often printed twice (an overview
//! table, then the financing table); the record links a repetition to its
//! first mention (`repeats`). Each figure is counted once: the amounts linked
//! by `repeats` form one figure, which counts for the source named by its
//! first budget or granted mention that names one. An amount that repeats a
//! mention already counted is therefore left out, and an amount that repeats
//! a mention without a source (a goal's figure in an overview table) is the
//! one that says where that money comes from, and counts.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

use super::csv::neutralise;
use crate::extract::themes::Theme;
use crate::norsk::Amount;
use crate::record::{BudgetRec, Goal, Record};

/// Actor kinds (`actors[].kind`) that stand for the area a plan is for.
const REGION_KINDS: [&str; 3] = ["kommune", "fylkeskommune", "regionråd"];

/// How many themes `main_themes` names.
const MAIN_THEMES: usize = 3;

/// One document's row of `comparison.csv`, as read from its record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    /// The document id.
    pub document: String,
    /// The document's title.
    pub title: Option<String>,
    /// What the document is ("handlingsplan", "strategi", …).
    pub kind: String,
    /// Names of the parties that are municipalities, counties or regional councils.
    pub region: Vec<String>,
    /// Names of every party.
    pub parties: Vec<String>,
    /// The period the plan covers, ISO dates.
    pub period_from: Option<String>,
    pub period_to: Option<String>,
    /// The document's date, ISO.
    pub date: Option<String>,
    /// Goals at every level.
    pub goals: usize,
    /// Measures.
    pub measures: usize,
    /// Measures naming a responsible actor.
    pub measures_with_responsible: usize,
    /// Measures with a budget of their own.
    pub measures_with_budget: usize,
    /// Findings of severity "error".
    pub errors: usize,
    /// Findings of severity "warning".
    pub warnings: usize,
    /// The total budget (see the module documentation); `None` when the
    /// document budgets nothing.
    pub budget_total: Option<Amount>,
    /// The same budgets, year by year.
    pub budget_years: BTreeMap<i32, Amount>,
    /// The total the document itself states (record's `stated_total`).
    pub stated_total: Option<Amount>,
    /// Budgeted and granted money by funding source.
    pub by_source: BTreeMap<String, Amount>,
    /// Measures carrying each theme, in [`Theme::ALL`] order.
    pub themes: [usize; 10],
}

impl Row {
    /// Reads one document's row from its record.
    pub fn from_record(rec: &Record) -> Row {
        let name_of = |id: &String| rec.actors.iter().find(|a| &a.id == id);
        let parties = rec
            .parties
            .iter()
            .map(|id| name_of(id).map_or_else(|| id.clone(), |a| a.name.clone()))
            .collect();
        let region = rec
            .parties
            .iter()
            .filter_map(name_of)
            .filter(|a| REGION_KINDS.contains(&a.kind.as_str()))
            .map(|a| a.name.clone())
            .collect();
        let severity = |s: &str| rec.findings.iter().filter(|f| f.severity == s).count();
        let (budget_total, budget_years) = total_budget(rec);
        let mut themes = [0; 10];
        for m in &rec.measures {
            let carried: BTreeSet<Theme> = m
                .themes
                .iter()
                .filter_map(|s| Theme::from_slug(s))
                .collect();
            for t in carried {
                themes[t as usize] += 1;
            }
        }
        Row {
            document: rec.id.clone(),
            title: rec.title.clone(),
            kind: rec.kind.clone(),
            region,
            parties,
            period_from: rec.period.as_ref().and_then(|p| p.from.clone()),
            period_to: rec.period.as_ref().and_then(|p| p.to.clone()),
            date: rec.date.clone(),
            goals: rec.goals.len(),
            measures: rec.measures.len(),
            measures_with_responsible: rec
                .measures
                .iter()
                .filter(|m| !m.responsible.is_empty())
                .count(),
            measures_with_budget: rec
                .measures
                .iter()
                .filter(|m| m.budget.as_ref().is_some_and(has_money))
                .count(),
            errors: severity("error"),
            warnings: severity("warning"),
            budget_total,
            budget_years,
            stated_total: rec
                .stated_total
                .as_deref()
                .and_then(|id| rec.amounts.iter().find(|a| a.id == id))
                .map(|a| amount(a.nok)),
            by_source: by_source(rec),
            themes,
        }
    }

    /// The sum of [`Row::by_source`]; `None` when no money names its source.
    pub fn by_source_total(&self) -> Option<Amount> {
        (!self.by_source.is_empty()).then(|| {
            self.by_source
                .values()
                .fold(Amount::ZERO, |s, a| add(s, *a))
        })
    }

    /// The (at most three) most frequent themes, most frequent first, ties in
    /// [`Theme::ALL`] order; themes no measure carries are left out.
    pub fn main_themes(&self) -> Vec<Theme> {
        let mut ranked: Vec<(Theme, usize)> = Theme::ALL
            .into_iter()
            .zip(self.themes)
            .filter(|&(_, n)| n > 0)
            .collect();
        // A stable sort keeps the taxonomy order among equal counts.
        ranked.sort_by_key(|&(_, n)| std::cmp::Reverse(n));
        ranked
            .into_iter()
            .take(MAIN_THEMES)
            .map(|(t, _)| t)
            .collect()
    }

    /// The row's cells, given the run's budget years (sorted).
    fn cells(&self, years: &BTreeSet<i32>) -> Vec<String> {
        let opt = |v: &Option<String>| v.clone().unwrap_or_default();
        let mut cells = vec![
            self.document.clone(),
            opt(&self.title),
            self.kind.clone(),
            self.region.join("; "),
            self.parties.join("; "),
            opt(&self.period_from),
            opt(&self.period_to),
            opt(&self.date),
            self.goals.to_string(),
            self.measures.to_string(),
            self.measures_with_responsible.to_string(),
            self.measures_with_budget.to_string(),
            self.errors.to_string(),
            self.warnings.to_string(),
            self.budget_total.map(csv_nok).unwrap_or_default(),
            self.stated_total.map(csv_nok).unwrap_or_default(),
            self.by_source_total().map(csv_nok).unwrap_or_default(),
        ];
        cells.extend(years.iter().map(|y| {
            self.budget_years
                .get(y)
                .copied()
                .map(csv_nok)
                .unwrap_or_default()
        }));
        cells.push(
            self.by_source
                .iter()
                .map(|(s, a)| format!("{s}: {}", csv_nok(*a)))
                .collect::<Vec<_>>()
                .join("; "),
        );
        cells.extend(self.themes.iter().map(usize::to_string));
        cells.push(theme_slugs(&self.main_themes()));
        cells
    }
}

/// The run's comparison table: rows buffered as records come (a row is
/// small), written at [`Comparison::finish`].
#[derive(Debug, Default)]
pub struct Comparison {
    rows: Vec<Row>,
    /// The table's rows in order: one read from a record (an index into
    /// `rows`), or one kept from the previous run's table.
    order: Vec<Slot>,
    /// The previous run's table, once a row is kept as its bytes.
    source: Option<PreviousTable>,
}

#[derive(Debug)]
enum Slot {
    Read(usize),
    /// Kept by column name.
    Kept(BTreeMap<String, String>),
    /// Kept as the previous table's bytes, with the years the row budgets.
    Bytes(std::ops::Range<u64>, Vec<i32>),
}

/// The previous run's `comparison.csv` and its header.
#[derive(Debug)]
struct PreviousTable {
    file: std::fs::File,
    header: Vec<String>,
}

/// The previous run's `comparison.csv`, its rows by document, for a re-run
/// that keeps the rows of documents that did not change: located by the
/// row index (their bytes are copied when the header stays the same), else
/// parsed.
#[derive(Debug, Default)]
pub struct PreviousRows {
    rows: HashMap<String, BTreeMap<String, String>>,
    located: HashMap<String, (std::ops::Range<u64>, Vec<i32>)>,
    table: Option<PreviousTable>,
}

impl PreviousRows {
    /// Whether it has document `id`'s row.
    pub fn has(&self, id: &str) -> bool {
        self.rows.contains_key(id) || self.located.contains_key(id)
    }

    /// Reads `path`, its rows located by the folder's row index where it
    /// has one (`index`, checked against the table: the header's bytes
    /// and each row's), else parsed; a missing or unreadable file keeps
    /// nothing (the rows are then read from the records).
    pub fn read(path: &Path, index: Option<&super::rows::Previous>) -> PreviousRows {
        if let Some(index) = index {
            let t = super::rows::COMPARISON;
            let table = std::fs::File::open(path).ok().and_then(|file| {
                let header = read_header(&file, index.headers[t])?;
                Some(PreviousTable { file, header })
            });
            if let Some(table) = table {
                let located = index
                    .located
                    .iter()
                    .map(|(id, l)| (id.clone(), (l.ranges[t].clone(), l.years.clone())))
                    .collect();
                return PreviousRows {
                    rows: HashMap::new(),
                    located,
                    table: Some(table),
                };
            }
        }
        let Ok(mut r) = ::csv::Reader::from_path(path) else {
            return PreviousRows::default();
        };
        let Ok(header) = r.headers().cloned() else {
            return PreviousRows::default();
        };
        let mut rows = HashMap::new();
        for rec in r.records() {
            let Ok(rec) = rec else {
                return PreviousRows::default();
            };
            let row: BTreeMap<String, String> = header
                .iter()
                .zip(rec.iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect();
            if let Some(id) = row.get("document") {
                rows.insert(id.clone(), row);
            }
        }
        PreviousRows {
            rows,
            ..PreviousRows::default()
        }
    }
}

/// The header of a comparison table whose first `len` bytes it is.
fn read_header(mut file: &std::fs::File, len: u64) -> Option<Vec<String>> {
    use std::io::Read;
    let mut bytes = vec![0; usize::try_from(len).ok()?];
    file.read_exact(&mut bytes).ok()?;
    let row = one_row(&bytes)?;
    (row.first().map(String::as_str) == Some("document")).then_some(row)
}

/// The cells of the one CSV row `bytes` hold.
fn one_row(bytes: &[u8]) -> Option<Vec<String>> {
    let mut r = ::csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(bytes);
    let row = r.records().next()?.ok()?;
    Some(row.iter().map(str::to_string).collect())
}

impl Comparison {
    /// An empty table.
    pub fn new() -> Comparison {
        Comparison::default()
    }

    /// Adds one document's row.
    pub fn add(&mut self, rec: &Record) {
        self.order.push(Slot::Read(self.rows.len()));
        self.rows.push(Row::from_record(rec));
    }

    /// Adds document `id`'s row as the previous run wrote it; false when it
    /// has none (then [`Comparison::add`] it from its record). Its cells are
    /// kept by column name, so a column added since is empty in it, and the
    /// years columns follow the whole table's years (its bytes are kept as
    /// they are when the table's columns stay the same).
    pub fn keep(&mut self, previous: &mut PreviousRows, id: &str) -> bool {
        if let Some((bytes, years)) = previous.located.remove(id) {
            if self.source.is_none() {
                self.source = previous.table.take();
            }
            if self.source.is_some() {
                self.order.push(Slot::Bytes(bytes, years));
                return true;
            }
        }
        match previous.rows.remove(id) {
            Some(row) => {
                self.order.push(Slot::Kept(row));
                true
            }
            None => false,
        }
    }

    /// The rows so far, in the order added (for [`render_text`]).
    pub fn rows(&self) -> &[Row] {
        &self.rows
    }

    /// The header: fixed columns, one `budget_<year>` per year any row
    /// budgets (sorted), `by_source`, one `theme_<slug>` per theme, `main_themes`.
    pub fn header(&self) -> Vec<String> {
        let mut header: Vec<String> = [
            "document",
            "title",
            "kind",
            "region",
            "parties",
            "period_from",
            "period_to",
            "date",
            "goals",
            "measures",
            "measures_with_responsible",
            "measures_with_budget",
            "errors",
            "warnings",
            "budget_total",
            "stated_total",
            "by_source_total",
        ]
        .map(String::from)
        .to_vec();
        header.extend(self.years().iter().map(|y| format!("budget_{y}")));
        header.push("by_source".into());
        header.extend(Theme::ALL.map(|t| format!("theme_{}", t.as_str())));
        header.push("main_themes".into());
        header
    }

    /// Writes `comparison.csv` to `path` (a new file in the staging
    /// folder); cells a spreadsheet would read as a formula are neutralised
    /// as in the other CSV tables. Returns what the row index needs.
    pub fn finish(self, path: &Path) -> std::io::Result<Written> {
        use std::io::Write;
        let years = self.years();
        let header = self.header();
        let mut out = std::io::BufWriter::new(std::fs::File::create(path)?);
        let head = csv_bytes([header.clone()])?;
        out.write_all(&head)?;
        // Kept rows' bytes are theirs when the columns are the previous
        // table's; else their cells are put under the new columns.
        let same = self.source.as_ref().is_some_and(|t| t.header == header);
        let mut pending: Option<std::ops::Range<u64>> = None;
        let mut rows = Vec::with_capacity(self.order.len());
        for slot in &self.order {
            let cells = match slot {
                Slot::Bytes(range, years) if same => {
                    rows.push((range.end - range.start, years.clone()));
                    match pending.as_mut().filter(|p| p.end == range.start) {
                        Some(p) => p.end = range.end,
                        None => {
                            self.copy(&mut out, pending.take())?;
                            pending = Some(range.clone());
                        }
                    }
                    continue;
                }
                Slot::Bytes(range, years) => {
                    let source = self.source.as_ref().expect("kept with its table");
                    let cells = one_row(&read_range(&source.file, range)?)
                        .ok_or_else(|| std::io::Error::other("a kept comparison row is not one"))?;
                    let row: BTreeMap<&str, String> = source
                        .header
                        .iter()
                        .map(String::as_str)
                        .zip(cells)
                        .collect();
                    // Written before, neutralised then: as it was.
                    let cells = header
                        .iter()
                        .map(|h| row.get(h.as_str()).cloned().unwrap_or_default());
                    (cells.collect(), years.clone())
                }
                Slot::Read(i) => {
                    let row = &self.rows[*i];
                    let cells = row.cells(&years).into_iter().map(neutralise).collect();
                    (cells, row.budget_years.keys().copied().collect())
                }
                // Written before, neutralised then: as it was.
                Slot::Kept(row) => {
                    let cells = header
                        .iter()
                        .map(|h| row.get(h).cloned().unwrap_or_default())
                        .collect();
                    (cells, kept_years(row))
                }
            };
            self.copy(&mut out, pending.take())?;
            let bytes = csv_bytes([cells.0])?;
            out.write_all(&bytes)?;
            rows.push((bytes.len() as u64, cells.1));
        }
        self.copy(&mut out, pending.take())?;
        out.into_inner().map_err(|e| e.into_error())?.sync_all()?;
        Ok(Written {
            header: head.len() as u64,
            rows,
        })
    }

    /// Copies the bytes `range` (if any) of the previous table to `out`.
    fn copy(
        &self,
        out: &mut std::io::BufWriter<std::fs::File>,
        range: Option<std::ops::Range<u64>>,
    ) -> std::io::Result<()> {
        use std::io::{Read, Seek, Write};
        let (Some(range), Some(source)) = (range, self.source.as_ref()) else {
            return Ok(());
        };
        out.flush()?;
        let mut from = &source.file;
        from.seek(std::io::SeekFrom::Start(range.start))?;
        let n = std::io::copy(&mut from.take(range.end - range.start), &mut out.get_ref())?;
        if n != range.end - range.start {
            return Err(std::io::Error::other("the previous comparison ended early"));
        }
        Ok(())
    }

    /// The years any row budgets: a kept row's are its filled
    /// `budget_<year>` cells (a row writes a year's cell only when it
    /// budgets that year).
    fn years(&self) -> BTreeSet<i32> {
        let kept = self.order.iter().flat_map(|slot| match slot {
            Slot::Kept(row) => kept_years(row),
            Slot::Bytes(_, years) => years.clone(),
            Slot::Read(_) => Vec::new(),
        });
        self.rows
            .iter()
            .flat_map(|r| r.budget_years.keys().copied())
            .chain(kept)
            .collect()
    }
}

/// What [`Comparison::finish`] wrote, for the row index.
pub struct Written {
    /// The header's bytes.
    pub header: u64,
    /// Each row's bytes and the years it budgets, in order.
    pub rows: Vec<(u64, Vec<i32>)>,
}

/// The years a kept row budgets: its filled `budget_<year>` cells.
fn kept_years(row: &BTreeMap<String, String>) -> Vec<i32> {
    row.iter()
        .filter(|(_, v)| !v.is_empty())
        .filter_map(|(k, _)| k.strip_prefix("budget_")?.parse().ok())
        .collect()
}

/// Rows as CSV.
fn csv_bytes(rows: impl IntoIterator<Item = Vec<String>>) -> std::io::Result<Vec<u8>> {
    let mut w = ::csv::Writer::from_writer(Vec::new());
    for row in rows {
        w.write_record(row).map_err(std::io::Error::other)?;
    }
    w.into_inner()
        .map_err(|e| std::io::Error::other(e.to_string()))
}

/// The bytes `range` of `file`.
fn read_range(mut file: &std::fs::File, range: &std::ops::Range<u64>) -> std::io::Result<Vec<u8>> {
    use std::io::{Read, Seek};
    file.seek(std::io::SeekFrom::Start(range.start))?;
    let mut bytes = vec![0; (range.end - range.start) as usize];
    file.read_exact(&mut bytes)?;
    Ok(bytes)
}

/// The comparison for a terminal (`plansjekk compare`): a header and one line
/// per document, columns separated by two spaces and padded to their widest
/// cell, numbers right-aligned, no colour, no trailing spaces:
///
/// ```text
/// document             kind           period     goals  measures     budgets  stated total   by source  themes
/// handlingsplan-2025…  handlingsplan  2024-2027      7        24  15 050 000    21 050 000  17 600 000  samarbeid; kompetanse; omdomme
/// ```
///
/// `period` gives the years of `period_from`–`period_to` ("2024-2027",
/// "2024-" or "-2027"); the three sums of money, in whole NOK grouped by
/// thousands (øre after a comma when there are any), are `budget_total`
/// (`budgets`: the goals' and measures' own budgets added up),
/// `stated_total` (`stated total`: the document's own "SUM" row) and
/// `by_source_total` (`by source`: money that names its funding source);
/// `themes` is `main_themes`. An absent period or sum is shown as "-". Ids
/// are shown in full, since they name the files of the output folder.
pub fn render_text(rows: &[Row]) -> String {
    const N: usize = 9;
    const HEADER: [&str; N] = [
        "document",
        "kind",
        "period",
        "goals",
        "measures",
        "budgets",
        "stated total",
        "by source",
        "themes",
    ];
    const RIGHT: [bool; N] = [false, false, false, true, true, true, true, true, false];
    let dash = |s: String| if s.is_empty() { "-".to_string() } else { s };
    let sum = |a: Option<Amount>| dash(a.map(|a| a.to_string()).unwrap_or_default());
    let lines: Vec<[String; N]> = std::iter::once(HEADER.map(String::from))
        .chain(rows.iter().map(|r| {
            [
                r.document.clone(),
                r.kind.clone(),
                dash(period_years(r)),
                r.goals.to_string(),
                r.measures.to_string(),
                sum(r.budget_total),
                sum(r.stated_total),
                sum(r.by_source_total()),
                dash(theme_slugs(&r.main_themes())),
            ]
        }))
        .collect();
    let mut widths = [0; N];
    for line in &lines {
        for (w, cell) in widths.iter_mut().zip(line) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    for line in &lines {
        let mut text = String::new();
        for (i, cell) in line.iter().enumerate() {
            if i > 0 {
                text.push_str("  ");
            }
            let pad = " ".repeat(widths[i] - cell.chars().count());
            if RIGHT[i] {
                text.push_str(&pad);
                text.push_str(cell);
            } else {
                text.push_str(cell);
                text.push_str(&pad);
            }
        }
        out.push_str(text.trim_end());
        out.push('\n');
    }
    out
}

/// "2024-2027" from the period's dates, "2024-" or "-2027" when one end is
/// missing, "" when both are.
fn period_years(r: &Row) -> String {
    let year = |d: &Option<String>| d.as_deref().map(|d| d.get(..4).unwrap_or(d).to_string());
    match (year(&r.period_from), year(&r.period_to)) {
        (None, None) => String::new(),
        (from, to) => format!("{}-{}", from.unwrap_or_default(), to.unwrap_or_default()),
    }
}

fn theme_slugs(themes: &[Theme]) -> String {
    themes
        .iter()
        .map(|t| t.as_str())
        .collect::<Vec<_>>()
        .join("; ")
}

/// NOK with two decimals ("1900000.00"), as the other CSV tables print it.
fn csv_nok(a: Amount) -> String {
    let ore = a.ore();
    let sign = if ore < 0 { "-" } else { "" };
    let abs = ore.unsigned_abs();
    format!("{sign}{}.{:02}", abs / 100, abs % 100)
}

/// A record's NOK (at most two decimals) as exact øre.
fn amount(nok: f64) -> Amount {
    Amount::from_ore((nok * 100.0).round() as i64)
}

fn add(a: Amount, b: Amount) -> Amount {
    Amount::from_ore(a.ore().saturating_add(b.ore()))
}

/// A budget's money: its total, else the sum of its years.
fn budget_money(b: &BudgetRec) -> Option<Amount> {
    match b.nok {
        Some(nok) => Some(amount(nok)),
        None if b.years.is_empty() => None,
        None => Some(
            b.years
                .iter()
                .fold(Amount::ZERO, |s, y| add(s, amount(y.nok))),
        ),
    }
}

fn has_money(b: &BudgetRec) -> bool {
    budget_money(b).is_some()
}

/// The document's total budget and its years: every budget at the highest
/// level of the goal tree that has one (see the module documentation).
fn total_budget(rec: &Record) -> (Option<Amount>, BTreeMap<i32, Amount>) {
    let goals: HashMap<&str, &Goal> = rec.goals.iter().map(|g| (g.id.as_str(), g)).collect();
    let budgeted_from = |id: Option<&String>| budgeted_from(&goals, id.map(String::as_str));
    let counted = rec
        .goals
        .iter()
        .filter(|g| !budgeted_from(g.parent.as_ref()))
        .filter_map(|g| g.budget.as_ref())
        .chain(
            rec.measures
                .iter()
                .filter(|m| !budgeted_from(m.goal.as_ref()))
                .filter_map(|m| m.budget.as_ref()),
        )
        .filter(|b| has_money(b));
    let mut total = None;
    let mut years = BTreeMap::new();
    for b in counted {
        total = Some(add(
            total.unwrap_or(Amount::ZERO),
            budget_money(b).unwrap_or_default(),
        ));
        for y in &b.years {
            let e = years.entry(y.year).or_insert(Amount::ZERO);
            *e = add(*e, amount(y.nok));
        }
    }
    (total, years)
}

/// Whether the goal `id`, or any goal above it, has a budget. The walk is
/// bounded by the number of goals, so a cycle of parents cannot hang it.
fn budgeted_from<'a>(goals: &HashMap<&'a str, &'a Goal>, mut id: Option<&'a str>) -> bool {
    for _ in 0..=goals.len() {
        let Some(g) = id.and_then(|i| goals.get(i)) else {
            return false;
        };
        if g.budget.as_ref().is_some_and(has_money) {
            return true;
        }
        id = g.parent.as_deref();
    }
    false
}

/// Budgeted and granted money by source, each figure once (see the module
/// documentation).
fn by_source(rec: &Record) -> BTreeMap<String, Amount> {
    let index: HashMap<&str, usize> = rec
        .amounts
        .iter()
        .enumerate()
        .map(|(i, a)| (a.id.as_str(), i))
        .collect();
    // The first mention of the figure an amount repeats (bounded, as above).
    let root = |mut i: usize| {
        for _ in 0..rec.amounts.len() {
            match rec.amounts[i].repeats.as_deref().and_then(|r| index.get(r)) {
                Some(&j) if j != i => i = j,
                _ => break,
            }
        }
        i
    };
    let sourced = |i: usize| {
        let a = &rec.amounts[i];
        matches!(a.role.as_str(), "budget" | "granted") && a.source.is_some()
    };
    // Each figure's counting mention: the first mention itself when it names
    // a source, else the first repetition (in record order) that does.
    let mut counting: BTreeMap<usize, usize> = BTreeMap::new();
    for i in (0..rec.amounts.len()).filter(|&i| sourced(i)) {
        let r = root(i);
        let pick = if sourced(r) { r } else { i };
        counting.entry(r).or_insert(pick);
    }
    let mut out = BTreeMap::new();
    for i in counting.into_values() {
        let a = &rec.amounts[i];
        let source = a.source.clone().unwrap_or_default();
        let e = out.entry(source).or_insert(Amount::ZERO);
        *e = add(*e, amount(a.nok));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::{Actor, AmountRec, Finding, Measure, Period, SpanRec, YearNok};

    const SPAN: SpanRec = SpanRec {
        page: None,
        line: 1,
        end_line: 1,
    };

    fn record(id: &str) -> Record {
        let mut r = Record::blank(id, "txt");
        r.title = Some(format!("Plan {id}"));
        r
    }

    /// A budget of `nok` in total (if given) and the given years.
    fn budget(nok: Option<f64>, years: &[(i32, f64)]) -> Option<BudgetRec> {
        Some(BudgetRec {
            nok,
            years: years
                .iter()
                .map(|&(year, nok)| YearNok { year, nok })
                .collect(),
            source: "table".into(),
            table: None,
            row: None,
            amounts: vec![],
        })
    }

    fn goal(id: &str, parent: Option<&str>, budget: Option<BudgetRec>) -> Goal {
        Goal {
            id: id.into(),
            number: None,
            title: format!("Mål {id}"),
            kind: "delmål".into(),
            parent: parent.map(String::from),
            text: None,
            budget,
            span: SPAN,
        }
    }

    fn measure(
        id: &str,
        goal: Option<&str>,
        budget: Option<BudgetRec>,
        themes: &[&str],
    ) -> Measure {
        Measure {
            id: id.into(),
            goal: goal.map(String::from),
            number: None,
            title: format!("Tiltak {id}"),
            kind: "tiltak".into(),
            status: None,
            progress: None,
            responsible: vec![],
            partners: vec![],
            timeframe: None,
            amounts: vec![],
            seen_in: vec![],
            themes: themes.iter().map(|s| s.to_string()).collect(),
            budget,
            span: SPAN,
        }
    }

    fn money(
        id: &str,
        nok: f64,
        role: &str,
        source: Option<&str>,
        repeats: Option<&str>,
    ) -> AmountRec {
        AmountRec {
            id: id.into(),
            nok,
            text: format!("{nok} kr"),
            role: role.into(),
            year: Some(2025),
            source: source.map(String::from),
            goal: None,
            measure: None,
            origin: "table".into(),
            cell: None,
            repeats: repeats.map(String::from),
            span: SPAN,
            ocr: None,
        }
    }

    fn nok(kr: i64) -> Amount {
        Amount::from_kroner(kr)
    }

    fn csv_of(c: Comparison) -> Vec<Vec<String>> {
        let dir = std::env::temp_dir().join(format!("plansjekk-compare-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(format!("{:?}.csv", std::thread::current().id()));
        c.finish(&path).unwrap();
        let bytes = std::fs::read(&path).unwrap();
        let _ = std::fs::remove_file(&path);
        ::csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(&bytes[..])
            .records()
            .map(|r| r.unwrap().iter().map(String::from).collect())
            .collect()
    }

    #[test]
    fn a_goal_budget_and_its_measures_budgets_are_not_counted_twice() {
        let mut r = record("a");
        r.goals = vec![
            goal(
                "g1",
                None,
                budget(Some(1_000_000.0), &[(2025, 600_000.0), (2026, 400_000.0)]),
            ),
            // A sub-goal with a budget of its own, under a budgeted goal.
            goal(
                "g1a",
                Some("g1"),
                budget(Some(300_000.0), &[(2025, 300_000.0)]),
            ),
            // No budget: its measures count.
            goal("g2", None, None),
        ];
        r.measures = vec![
            measure(
                "m1",
                Some("g1"),
                budget(Some(600_000.0), &[(2025, 600_000.0)]),
                &[],
            ),
            measure("m2", Some("g1a"), budget(Some(300_000.0), &[]), &[]),
            measure(
                "m3",
                Some("g2"),
                budget(Some(250_000.0), &[(2026, 250_000.0)]),
                &[],
            ),
            measure("m4", None, budget(Some(50_000.0), &[]), &[]),
            measure("m5", Some("g2"), None, &[]),
        ];
        let row = Row::from_record(&r);
        assert_eq!(row.budget_total, Some(nok(1_300_000)));
        assert_eq!(
            row.budget_years,
            BTreeMap::from([(2025, nok(600_000)), (2026, nok(650_000))])
        );
        assert_eq!(row.measures_with_budget, 4);
    }

    #[test]
    fn a_budget_given_only_by_year_counts_its_years() {
        let mut r = record("a");
        r.goals = vec![goal(
            "g1",
            None,
            budget(None, &[(2025, 100.5), (2026, 200.25)]),
        )];
        r.measures = vec![measure("m1", Some("g1"), budget(Some(999.0), &[]), &[])];
        let row = Row::from_record(&r);
        assert_eq!(row.budget_total, Some(Amount::from_ore(30_075)));
    }

    #[test]
    fn a_cycle_of_parents_does_not_hang() {
        let mut r = record("a");
        r.goals = vec![goal("g1", Some("g2"), None), goal("g2", Some("g1"), None)];
        r.measures = vec![measure("m1", Some("g1"), budget(Some(10.0), &[]), &[])];
        assert_eq!(Row::from_record(&r).budget_total, Some(nok(10)));
    }

    #[test]
    fn repeats_are_excluded_from_by_source() {
        let mut r = record("a");
        r.amounts = vec![
            money("a1", 1_900_000.0, "budget", Some("KDD"), None),
            // The same figure again, in prose.
            money("a2", 1_900_000.0, "budget", Some("KDD"), Some("a1")),
            money("a3", 705_000.0, "granted", Some("Kommunal egenandel"), None),
            // Not budgeted or granted money, or without a source.
            money("a4", 50_000.0, "spent", Some("KDD"), None),
            money("a5", 70_000.0, "budget", None, None),
            // An overview table's figure without a source, then the financing
            // table's figure that repeats it and names where it comes from,
            // and that again in prose: counted once, for its source.
            money("a6", 900_000.0, "total", None, None),
            money("a7", 900_000.0, "budget", Some("KDD"), Some("a6")),
            money("a8", 900_000.0, "budget", Some("KDD"), Some("a7")),
            money("a9", 900_000.0, "budget", Some("KDD"), Some("a6")),
        ];
        let row = Row::from_record(&r);
        assert_eq!(
            row.by_source,
            BTreeMap::from([
                ("KDD".to_string(), nok(2_800_000)),
                ("Kommunal egenandel".to_string(), nok(705_000)),
            ])
        );
        let mut c = Comparison::new();
        c.add(&r);
        let csv = csv_of(c);
        let col = csv[0].iter().position(|h| h == "by_source").unwrap();
        assert_eq!(
            csv[1][col],
            "KDD: 2800000.00; Kommunal egenandel: 705000.00"
        );
    }

    #[test]
    fn year_columns_are_the_union_across_documents_and_money_cells_are_empty_without_money() {
        let mut a = record("a");
        a.goals = vec![goal(
            "g1",
            None,
            budget(Some(300.0), &[(2026, 100.0), (2025, 200.0)]),
        )];
        let mut b = record("b");
        b.measures = vec![measure(
            "m1",
            None,
            budget(Some(70.0), &[(2027, 70.0)]),
            &[],
        )];
        let none = record("c");
        let mut c = Comparison::new();
        for r in [&a, &none, &b] {
            c.add(r);
        }
        let csv = csv_of(c);
        let at = |name: &str| csv[0].iter().position(|h| h == name).unwrap();
        let years = &csv[0][at("by_source_total") + 1..at("by_source")];
        assert_eq!(years, ["budget_2025", "budget_2026", "budget_2027"]);
        let ids: Vec<&str> = csv[1..].iter().map(|r| r[0].as_str()).collect();
        assert_eq!(ids, ["a", "c", "b"], "rows in the order added");
        // budget_total, stated_total, by_source_total, the years, by_source.
        let money = |row: usize| csv[row][at("budget_total")..=at("by_source")].to_vec();
        assert_eq!(money(1), ["300.00", "", "", "200.00", "100.00", "", ""]);
        assert_eq!(money(2), ["", "", "", "", "", "", ""]);
        assert_eq!(money(3), ["70.00", "", "", "", "", "70.00", ""]);
    }

    #[test]
    fn themes_are_counted_per_measure_and_ranked() {
        let mut r = record("a");
        r.measures = vec![
            measure("m1", None, None, &["samarbeid", "bolig"]),
            measure("m2", None, None, &["samarbeid"]),
            measure("m3", None, None, &["kultur", "bolig"]),
            measure("m4", None, None, &["helse", "helse", "ukjent"]),
            measure("m5", None, None, &[]),
        ];
        let row = Row::from_record(&r);
        // rekruttering kompetanse bolig mobilitet naering landbruk helse kultur omdomme samarbeid
        assert_eq!(row.themes, [0, 0, 2, 0, 0, 0, 1, 1, 0, 2]);
        // bolig and samarbeid tie at 2 (taxonomy order), then helse before kultur.
        assert_eq!(
            row.main_themes(),
            [Theme::Bolig, Theme::Samarbeid, Theme::Helse]
        );
        let mut c = Comparison::new();
        c.add(&r);
        let csv = csv_of(c);
        let at = |name: &str| csv[0].iter().position(|h| h == name).unwrap();
        assert_eq!(csv[1][at("theme_bolig")], "2");
        assert_eq!(csv[1][at("theme_rekruttering")], "0");
        assert_eq!(csv[1][at("main_themes")], "bolig; samarbeid; helse");
        assert_eq!(at("main_themes"), csv[0].len() - 1);
    }

    #[test]
    fn region_parties_counts_and_formulas() {
        let mut r = record("a");
        r.title = Some("=HYPERLINK(\"x\")".into());
        r.period = Some(Period {
            from: Some("2024-01-01".into()),
            to: Some("2027-12-31".into()),
        });
        let actor = |id: &str, name: &str, kind: &str| Actor {
            id: id.into(),
            name: name.into(),
            kind: kind.into(),
            variants: vec![],
            mentions: 1,
        };
        r.actors = vec![
            actor("p1", "Kommunal- og distriktsdepartementet", "departement"),
            actor("p2", "Grong kommune", "kommune"),
            actor("p3", "Trøndelag fylkeskommune", "fylkeskommune"),
            actor("p4", "Namdal regionråd", "regionråd"),
        ];
        r.parties = vec!["p2".into(), "p1".into(), "p4".into(), "p3".into()];
        r.measures = vec![
            measure("m1", None, None, &[]),
            measure("m2", None, None, &[]),
        ];
        r.measures[0].responsible = vec!["p2".into()];
        let finding = |severity: &str| Finding {
            id: String::new(),
            rule: "column-sum".into(),
            severity: severity.into(),
            message: String::new(),
            stated: None,
            computed: None,
            difference: None,
            locations: vec![],
            hint: None,
            confidence: String::new(),
            reason: String::new(),
            ocr: None,
        };
        r.findings = vec![finding("error"), finding("warning"), finding("error")];
        let row = Row::from_record(&r);
        assert_eq!(
            row.region,
            [
                "Grong kommune",
                "Namdal regionråd",
                "Trøndelag fylkeskommune"
            ]
        );
        assert_eq!(row.parties.len(), 4);
        assert_eq!((row.errors, row.warnings), (2, 1));
        assert_eq!(row.measures_with_responsible, 1);
        let mut c = Comparison::new();
        c.add(&r);
        assert!(render_text(c.rows()).contains("2024-2027"));
        let csv = csv_of(c);
        assert_eq!(csv[1][1], "'=HYPERLINK(\"x\")");
    }

    #[test]
    fn render_text_aligns_columns() {
        let mut a = record("handlingsplan-a");
        a.goals = vec![goal("g1", None, budget(Some(15_935_000.0), &[]))];
        a.measures = vec![measure("m1", Some("g1"), None, &["kompetanse"])];
        a.period = Some(Period {
            from: Some("2024-01-01".into()),
            to: None,
        });
        let mut b = record("b");
        b.kind = "strategi".into();
        let mut c = Comparison::new();
        c.add(&a);
        c.add(&b);
        let text = render_text(c.rows());
        let expected = "\
document         kind           period  goals  measures     budgets  stated total  by source  themes
handlingsplan-a  handlingsplan  2024-       1         1  15 935 000             -          -  kompetanse
b                strategi       -           0         0           -             -          -  -
";
        assert_eq!(text, expected);
    }

    #[test]
    fn finish_writes_the_file_atomically() {
        // A folder of its own: the other tests write theirs beside each
        // other's, and this one counts what is left in it.
        let dir =
            std::env::temp_dir().join(format!("plansjekk-compare-atomic-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("comparison.csv");
        let mut c = Comparison::new();
        c.add(&record("a"));
        c.finish(&path).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.starts_with("document,title,kind,region,parties,"));
        assert_eq!(text.lines().count(), 2);
        let left: Vec<_> = std::fs::read_dir(&dir).unwrap().collect();
        assert_eq!(left.len(), 1, "no temporary file left behind");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}

//! The knowledge base `plansjekk.sqlite`: every record of a run in typed,
//! keyed tables (numbers are numbers, foreign keys declared and enforced),
//! and a full-text index over goals, measures and the running text.
//!
//! A document's rows are replaced in one transaction, so the database holds
//! each document wholly as it was or wholly as it is. A run updates a copy of
//! the previous database in its staging folder (only the documents that
//! changed), which the output folder's swap then makes current.
//!
//! Tables (every one keyed by `document`, the record's id):
//!
//! | table | one row per |
//! | --- | --- |
//! | `documents` | input: path, sha256, format, status, error, pages, kind, title, date, period |
//! | `goals` | goal, with `budget_nok` |
//! | `measures` | measure, with status, progress, timeframe, `budget_nok`, themes |
//! | `budget_years` | a goal's or measure's budget for one year |
//! | `actors` | actor a document names |
//! | `measure_actors` | measure and actor, `role` "responsible" or "partner" |
//! | `amounts` | money figure, with its origin (`table_id`, `row`, `col`) and `repeats` |
//! | `tables`, `cells` | table; its cells (`row` 0 is the header, body rows from 1) |
//! | `findings` | finding, with its primary place |
//! | `passages` | searchable text: goal and measure titles and texts, headings, paragraphs and list items; `passages_fts` indexes it (FTS5, trigram: "bolig" finds "utleieboliger") |

use std::path::Path;

use rusqlite::{params, Connection, OptionalExtension, Transaction};

use super::record::{BudgetRec, Record};

/// The layout of the tables; a database of another version is rebuilt.
const SCHEMA_VERSION: i64 = 1;

const SCHEMA: &str = r#"
CREATE TABLE documents (
    id TEXT PRIMARY KEY,
    path TEXT NOT NULL,
    sha256 TEXT,
    bytes INTEGER,
    format TEXT,
    status TEXT NOT NULL CHECK (status IN ('ok', 'failed')),
    error_class TEXT,
    error_message TEXT,
    pages INTEGER,
    kind TEXT,
    language TEXT,
    title TEXT,
    date TEXT,
    period_from TEXT,
    period_to TEXT
);
CREATE TABLE goals (
    document TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    id TEXT NOT NULL,
    number TEXT,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    parent TEXT,
    text TEXT,
    budget_nok REAL,
    budget_table TEXT,
    page INTEGER,
    line INTEGER NOT NULL,
    PRIMARY KEY (document, id),
    FOREIGN KEY (document, parent) REFERENCES goals(document, id) DEFERRABLE INITIALLY DEFERRED
);
CREATE TABLE measures (
    document TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    id TEXT NOT NULL,
    goal TEXT,
    number TEXT,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    status TEXT,
    progress TEXT,
    timeframe TEXT,
    timeframe_from TEXT,
    timeframe_to TEXT,
    budget_nok REAL,
    budget_table TEXT,
    themes TEXT NOT NULL,
    page INTEGER,
    line INTEGER NOT NULL,
    PRIMARY KEY (document, id),
    FOREIGN KEY (document, goal) REFERENCES goals(document, id)
);
CREATE TABLE budget_years (
    document TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    goal TEXT,
    measure TEXT,
    year INTEGER NOT NULL,
    nok REAL NOT NULL,
    FOREIGN KEY (document, goal) REFERENCES goals(document, id),
    FOREIGN KEY (document, measure) REFERENCES measures(document, id)
);
CREATE TABLE actors (
    document TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    id TEXT NOT NULL,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    mentions INTEGER NOT NULL,
    PRIMARY KEY (document, id)
);
CREATE TABLE measure_actors (
    document TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    measure TEXT NOT NULL,
    actor TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('responsible', 'partner')),
    PRIMARY KEY (document, measure, actor, role),
    FOREIGN KEY (document, measure) REFERENCES measures(document, id),
    FOREIGN KEY (document, actor) REFERENCES actors(document, id)
);
CREATE TABLE amounts (
    document TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    id TEXT NOT NULL,
    nok REAL NOT NULL,
    text TEXT NOT NULL,
    role TEXT NOT NULL,
    year INTEGER,
    source TEXT,
    goal TEXT,
    measure TEXT,
    origin TEXT NOT NULL CHECK (origin IN ('table', 'text')),
    table_id TEXT,
    row INTEGER,
    col INTEGER,
    repeats TEXT,
    page INTEGER,
    line INTEGER NOT NULL,
    PRIMARY KEY (document, id),
    FOREIGN KEY (document, goal) REFERENCES goals(document, id),
    FOREIGN KEY (document, measure) REFERENCES measures(document, id)
);
CREATE TABLE tables (
    document TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    id TEXT NOT NULL,
    title TEXT,
    kind TEXT NOT NULL,
    rows INTEGER NOT NULL,
    page INTEGER,
    line INTEGER NOT NULL,
    PRIMARY KEY (document, id)
);
CREATE TABLE cells (
    document TEXT NOT NULL,
    table_id TEXT NOT NULL,
    row INTEGER NOT NULL,
    col INTEGER NOT NULL,
    text TEXT NOT NULL,
    PRIMARY KEY (document, table_id, row, col),
    FOREIGN KEY (document, table_id) REFERENCES tables(document, id) ON DELETE CASCADE
);
CREATE TABLE findings (
    document TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    id TEXT NOT NULL,
    rule TEXT NOT NULL,
    severity TEXT NOT NULL,
    message TEXT NOT NULL,
    stated REAL,
    computed REAL,
    difference REAL,
    page INTEGER,
    line INTEGER,
    text TEXT,
    hint TEXT,
    PRIMARY KEY (document, id)
);
CREATE TABLE passages (
    rowid INTEGER PRIMARY KEY,
    document TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    ref TEXT,
    page INTEGER,
    line INTEGER NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL
);
CREATE INDEX passages_document ON passages(document);
CREATE INDEX budget_years_document ON budget_years(document);
CREATE VIRTUAL TABLE passages_fts USING fts5(
    title, body, content='passages', content_rowid='rowid', tokenize='trigram'
);
CREATE TRIGGER passages_ai AFTER INSERT ON passages BEGIN
    INSERT INTO passages_fts(rowid, title, body) VALUES (new.rowid, new.title, new.body);
END;
CREATE TRIGGER passages_ad AFTER DELETE ON passages BEGIN
    INSERT INTO passages_fts(passages_fts, rowid, title, body)
        VALUES ('delete', old.rowid, old.title, old.body);
END;
"#;

/// Why the knowledge base could not be written or read.
#[derive(Debug, thiserror::Error)]
pub enum KbError {
    #[error("knowledge base {path}: {source}")]
    Sqlite {
        path: String,
        source: rusqlite::Error,
    },
}

/// An open knowledge base.
pub struct KnowledgeBase {
    conn: Connection,
    path: String,
}

/// A document that could not be read, as the knowledge base lists it.
pub struct Failed<'a> {
    pub id: &'a str,
    pub path: &'a str,
    pub sha256: Option<&'a str>,
    pub bytes: Option<u64>,
    pub class: &'a str,
    pub message: &'a str,
}

impl KnowledgeBase {
    /// Opens (or creates) the database at `path`; one of another layout is
    /// emptied and made anew.
    pub fn open(path: &Path) -> Result<KnowledgeBase, KbError> {
        let name = path.display().to_string();
        let wrap = |source| KbError::Sqlite {
            path: name.clone(),
            source,
        };
        let conn = Connection::open(path).map_err(wrap)?;
        // The whole database is one file: a rollback journal, not WAL, so
        // that copying and swapping the file moves everything.
        conn.execute_batch("PRAGMA journal_mode = DELETE; PRAGMA foreign_keys = ON;")
            .map_err(wrap)?;
        let version: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(wrap)?;
        if version != SCHEMA_VERSION {
            let tables: Vec<String> = {
                let mut st = conn
                    .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'passages_fts_%'")
                    .map_err(wrap)?;
                let names = st
                    .query_map([], |r| r.get(0))
                    .map_err(wrap)?
                    .collect::<Result<_, _>>()
                    .map_err(wrap)?;
                names
            };
            let mut drop = String::from("PRAGMA foreign_keys = OFF; BEGIN;");
            for t in tables {
                drop.push_str(&format!("DROP TABLE IF EXISTS \"{t}\";"));
            }
            drop.push_str(SCHEMA);
            drop.push_str(&format!(
                "PRAGMA user_version = {SCHEMA_VERSION}; COMMIT; PRAGMA foreign_keys = ON;"
            ));
            conn.execute_batch(&drop).map_err(wrap)?;
        }
        Ok(KnowledgeBase { conn, path: name })
    }

    fn wrap(&self, source: rusqlite::Error) -> KbError {
        KbError::Sqlite {
            path: self.path.clone(),
            source,
        }
    }

    /// The ids of the documents it holds.
    pub fn ids(&self) -> Result<Vec<String>, KbError> {
        let mut st = self
            .conn
            .prepare("SELECT id FROM documents ORDER BY id")
            .map_err(|e| self.wrap(e))?;
        let ids = st
            .query_map([], |r| r.get(0))
            .and_then(|rows| rows.collect::<Result<Vec<String>, _>>())
            .map_err(|e| self.wrap(e));
        ids
    }

    /// The sha256 it holds for a document, if it holds the document.
    pub fn sha256(&self, id: &str) -> Result<Option<String>, KbError> {
        self.conn
            .query_row("SELECT sha256 FROM documents WHERE id = ?1", [id], |r| {
                r.get(0)
            })
            .optional()
            .map(Option::flatten)
            .map_err(|e| self.wrap(e))
    }

    /// Replaces a document's rows with a record's, in one transaction.
    pub fn put(&mut self, rec: &Record) -> Result<(), KbError> {
        let tx = self.conn.transaction().map_err(|e| KbError::Sqlite {
            path: self.path.clone(),
            source: e,
        })?;
        let r = insert_record(&tx, rec).and_then(|()| tx.commit());
        r.map_err(|e| self.wrap(e))
    }

    /// Replaces a document's rows with a failed reading of it.
    pub fn put_failed(&mut self, f: &Failed) -> Result<(), KbError> {
        let tx = self.conn.transaction().map_err(|e| KbError::Sqlite {
            path: self.path.clone(),
            source: e,
        })?;
        let r = tx
            .execute("DELETE FROM documents WHERE id = ?1", [f.id])
            .and_then(|_| {
                tx.execute(
                    "INSERT INTO documents (id, path, sha256, bytes, status, error_class, error_message)
                     VALUES (?1, ?2, ?3, ?4, 'failed', ?5, ?6)",
                    params![f.id, f.path, f.sha256, f.bytes.map(|b| b as i64), f.class, f.message],
                )
            })
            .and_then(|_| tx.commit());
        r.map_err(|e| self.wrap(e))
    }

    /// Removes a document and all its rows.
    pub fn remove(&mut self, id: &str) -> Result<(), KbError> {
        self.conn
            .execute("DELETE FROM documents WHERE id = ?1", [id])
            .map(|_| ())
            .map_err(|e| self.wrap(e))
    }

    /// Closes the database, checking that every row's keys resolve.
    pub fn finish(self) -> Result<(), KbError> {
        let bad: i64 = self
            .conn
            .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
                r.get(0)
            })
            .map_err(|e| self.wrap(e))?;
        debug_assert_eq!(bad, 0, "foreign keys of the knowledge base resolve");
        self.conn
            .execute_batch("PRAGMA optimize;")
            .map_err(|e| self.wrap(e))?;
        self.conn.close().map_err(|(_, e)| KbError::Sqlite {
            path: self.path.clone(),
            source: e,
        })
    }
}

fn page(p: Option<u32>) -> Option<i64> {
    p.map(i64::from)
}

fn budget_table(b: &Option<BudgetRec>) -> Option<String> {
    b.as_ref().map(|b| match (&b.table, b.row) {
        (Some(t), Some(r)) => format!("{t} row {r}"),
        _ => b.source.clone(),
    })
}

fn insert_record(tx: &Transaction, r: &Record) -> rusqlite::Result<()> {
    tx.execute("DELETE FROM documents WHERE id = ?1", [&r.id])?;
    tx.execute(
        "INSERT INTO documents (id, path, sha256, bytes, format, status, pages, kind, language, title, date, period_from, period_to)
         VALUES (?1, ?2, ?3, ?4, ?5, 'ok', ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        params![
            r.id,
            r.source.path,
            r.source.sha256,
            r.source.bytes as i64,
            r.source.format,
            page(r.source.pages),
            r.kind,
            r.language,
            r.title,
            r.date,
            r.period.as_ref().and_then(|p| p.from.clone()),
            r.period.as_ref().and_then(|p| p.to.clone()),
        ],
    )?;
    let mut passage = tx.prepare_cached(
        "INSERT INTO passages (document, kind, ref, page, line, title, body) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;
    let mut year = tx.prepare_cached(
        "INSERT INTO budget_years (document, goal, measure, year, nok) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    {
        let mut st = tx.prepare_cached(
            "INSERT INTO goals (document, id, number, kind, title, parent, text, budget_nok, budget_table, page, line)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        )?;
        for g in &r.goals {
            st.execute(params![
                r.id,
                g.id,
                g.number,
                g.kind,
                g.title,
                g.parent,
                g.text,
                g.budget.as_ref().and_then(|b| b.nok),
                budget_table(&g.budget),
                page(g.span.page),
                g.span.line,
            ])?;
            for y in g.budget.iter().flat_map(|b| &b.years) {
                year.execute(params![r.id, g.id, None::<String>, y.year, y.nok])?;
            }
            passage.execute(params![
                r.id,
                "goal",
                g.id,
                page(g.span.page),
                g.span.line,
                g.title,
                g.text.clone().unwrap_or_default(),
            ])?;
        }
    }
    {
        let mut actor = tx.prepare_cached(
            "INSERT INTO actors (document, id, name, kind, mentions) VALUES (?1, ?2, ?3, ?4, ?5)",
        )?;
        for a in &r.actors {
            actor.execute(params![r.id, a.id, a.name, a.kind, a.mentions])?;
        }
        let mut st = tx.prepare_cached(
            "INSERT INTO measures (document, id, goal, number, kind, title, status, progress, timeframe, timeframe_from, timeframe_to, budget_nok, budget_table, themes, page, line)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
        )?;
        let mut link = tx.prepare_cached(
            "INSERT OR IGNORE INTO measure_actors (document, measure, actor, role) VALUES (?1, ?2, ?3, ?4)",
        )?;
        for m in &r.measures {
            let tf = m.timeframe.as_ref();
            st.execute(params![
                r.id,
                m.id,
                m.goal,
                m.number,
                m.kind,
                m.title,
                m.status,
                m.progress,
                tf.map(|t| t.text.clone()),
                tf.and_then(|t| t.from.clone()),
                tf.and_then(|t| t.to.clone()),
                m.budget.as_ref().and_then(|b| b.nok),
                budget_table(&m.budget),
                m.themes.join(" "),
                page(m.span.page),
                m.span.line,
            ])?;
            for a in &m.responsible {
                link.execute(params![r.id, m.id, a, "responsible"])?;
            }
            for a in &m.partners {
                link.execute(params![r.id, m.id, a, "partner"])?;
            }
            for y in m.budget.iter().flat_map(|b| &b.years) {
                year.execute(params![r.id, None::<String>, m.id, y.year, y.nok])?;
            }
            passage.execute(params![
                r.id,
                "measure",
                m.id,
                page(m.span.page),
                m.span.line,
                m.title,
                "",
            ])?;
        }
    }
    {
        let mut st = tx.prepare_cached(
            "INSERT INTO amounts (document, id, nok, text, role, year, source, goal, measure, origin, table_id, row, col, repeats, page, line)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
        )?;
        for a in &r.amounts {
            st.execute(params![
                r.id,
                a.id,
                a.nok,
                a.text,
                a.role,
                a.year,
                a.source,
                a.goal,
                a.measure,
                a.origin,
                a.cell.as_ref().map(|c| c.table.clone()),
                a.cell.as_ref().map(|c| c.row as i64),
                a.cell.as_ref().map(|c| c.column as i64),
                a.repeats,
                page(a.span.page),
                a.span.line,
            ])?;
        }
    }
    {
        let mut table = tx.prepare_cached(
            "INSERT INTO tables (document, id, title, kind, rows, page, line) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?;
        let mut cell = tx.prepare_cached(
            "INSERT INTO cells (document, table_id, row, col, text) VALUES (?1, ?2, ?3, ?4, ?5)",
        )?;
        for t in &r.tables {
            table.execute(params![
                r.id,
                t.id,
                t.title,
                t.kind,
                t.rows.len() as i64,
                page(t.span.page),
                t.span.line,
            ])?;
            let rows = std::iter::once(&t.header).chain(&t.rows);
            for (i, row) in rows.enumerate() {
                for (j, text) in row.iter().enumerate() {
                    cell.execute(params![r.id, t.id, i as i64, j as i64, text])?;
                }
            }
        }
    }
    {
        let mut st = tx.prepare_cached(
            "INSERT INTO findings (document, id, rule, severity, message, stated, computed, difference, page, line, text, hint)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
        )?;
        for f in &r.findings {
            let primary = f.locations.first();
            st.execute(params![
                r.id,
                f.id.clone(),
                f.rule,
                f.severity,
                f.message,
                f.stated,
                f.computed,
                f.difference,
                primary.and_then(|l| page(l.page)),
                primary.map(|l| l.line),
                primary.map(|l| l.text.clone()),
                f.hint,
            ])?;
        }
    }
    for t in &r.text {
        passage.execute(params![
            r.id,
            t.kind,
            None::<String>,
            page(t.span.page),
            t.span.line,
            "",
            t.text,
        ])?;
    }
    Ok(())
}

/// One match of a search.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Hit {
    pub document: String,
    /// "goal", "measure", "heading", "paragraph" or "list-item".
    pub kind: String,
    /// The goal's or measure's id, for those.
    #[serde(rename = "ref")]
    pub reference: Option<String>,
    pub page: Option<u32>,
    pub line: u32,
    pub title: String,
    /// The matching text with the match in «guillemets», shortened around it.
    pub snippet: String,
}

/// Where passages of the knowledge base match `query`, best first. Every word
/// of the query must occur (anywhere in a word: "bolig" finds
/// "utleieboliger"); words of one or two letters are ignored, as the trigram
/// index cannot find them. Goals and measures come before running text.
pub fn search(path: &Path, query: &str, limit: usize) -> Result<Vec<Hit>, KbError> {
    let name = path.display().to_string();
    let wrap = |source| KbError::Sqlite {
        path: name.clone(),
        source,
    };
    let conn = Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(wrap)?;
    let terms: Vec<String> = query
        .split_whitespace()
        .filter(|w| w.chars().count() >= 3)
        .map(|w| format!("\"{}\"", w.replace('"', "\"\"")))
        .collect();
    if terms.is_empty() {
        return Ok(Vec::new());
    }
    let fts = terms.join(" AND ");
    let mut st = conn
        .prepare(
            "SELECT p.document, p.kind, p.ref, p.page, p.line, p.title,
                    snippet(passages_fts, -1, '«', '»', '…', 64)
             FROM passages_fts JOIN passages p ON p.rowid = passages_fts.rowid
             WHERE passages_fts MATCH ?1
             ORDER BY (p.kind IN ('goal', 'measure')) DESC, bm25(passages_fts), p.document, p.line
             LIMIT ?2",
        )
        .map_err(wrap)?;
    let hits = st
        .query_map(params![fts, limit as i64], |r| {
            Ok(Hit {
                document: r.get(0)?,
                kind: r.get(1)?,
                reference: r.get(2)?,
                page: r.get::<_, Option<i64>>(3)?.map(|p| p as u32),
                line: r.get::<_, i64>(4)? as u32,
                title: r.get(5)?,
                snippet: r.get(6)?,
            })
        })
        .and_then(|rows| rows.collect::<Result<Vec<_>, _>>())
        .map_err(wrap);
    hits
}

//! The knowledge base `plansjekk.sqlite`: every record of a run in typed,
//! keyed tables (numbers are numbers, foreign keys declared and enforced),
//! and a full-text index over goals, measures and the running text.
//!
//! A document's rows are replaced in one transaction, so the database holds
//! each document wholly as it was or wholly as it is. A re-run updates the
//! previous database where it is, in the output folder (only the documents
//! that changed, journaled and synced), and links it into the new output
//! folder that the swap then makes current: a copy of the whole database
//! per run cost more than everything a changed document costs. A run that
//! fails after some commits leaves those documents ahead of the manifest;
//! each carries the sha256 of its version, which the next run compares
//! with the manifest's. A first run writes a new database in the staging
//! folder, unjournaled (it is thrown away whole on failure).
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
//! | `passages` | searchable text: goal and measure titles and texts, headings, paragraphs and list items; `passages_fts` indexes it (FTS5) |
//!
//! `passages` and `cells` are views over `passage_rows` and `cell_rows`,
//! which name their document by its number (`documents.key`), not its id:
//! the id repeated on every passage, cell and index entry was a third of
//! the database. The running text is here alone: records on disk do not
//! carry it.
//!
//! The full-text index holds words ([`TextIndex::Words`], FTS5's `unicode61`
//! tokenizer with diacritics kept, so "å" is not "a"): a word searched finds
//! the words it begins ("bolig" finds "boliger", "Boligbygging"), not those
//! it ends ("utleieboliger"). An index of every three-letter substring
//! ([`TextIndex::Substrings`], FTS5 `trigram`, `run --substring-search`)
//! finds those too, at several times the size: on the corpus copied 100
//! times it was 4.5 times the documents' text, against 0.24 for words
//! (which keep no positions, `detail=none`).

use std::collections::HashMap;
use std::path::Path;
use std::time::Duration;

use rusqlite::{params, CachedStatement, Connection, OptionalExtension};

use crate::record::{BudgetRec, Record};

/// The layout of the tables; a database of another version is rebuilt.
/// (2: the full-text index holds words unless asked for substrings; cells
/// are stored in their key's order, without a second copy of the key.
/// 4: passages and cells name their document by its `key`, a number, and
/// are read through views that name it by id; the word index keeps no
/// positions.)
const SCHEMA_VERSION: i64 = 5;

const SCHEMA: &str = r#"
CREATE TABLE documents (
    key INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
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
    variants TEXT NOT NULL,
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
    cell TEXT,
    ocr_confidence INTEGER,
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
CREATE TABLE cell_rows (
    doc INTEGER NOT NULL REFERENCES documents(key) ON DELETE CASCADE,
    table_id TEXT NOT NULL,
    row INTEGER NOT NULL,
    col INTEGER NOT NULL,
    text TEXT NOT NULL,
    PRIMARY KEY (doc, table_id, row, col)
) WITHOUT ROWID;
CREATE VIEW cells AS
    SELECT d.id AS document, c.table_id, c.row, c.col, c.text
    FROM cell_rows c JOIN documents d ON d.key = c.doc;
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
    cell TEXT,
    ocr_confidence INTEGER,
    PRIMARY KEY (document, id)
);
CREATE TABLE passage_rows (
    rowid INTEGER PRIMARY KEY,
    doc INTEGER NOT NULL REFERENCES documents(key) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    ref TEXT,
    page INTEGER,
    line INTEGER NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL
);
CREATE INDEX passage_rows_doc ON passage_rows(doc);
CREATE VIEW passages AS
    SELECT p.rowid AS rowid, d.id AS document, p.kind, p.ref, p.page, p.line, p.title, p.body
    FROM passage_rows p JOIN documents d ON d.key = p.doc;
CREATE INDEX budget_years_document ON budget_years(document);
CREATE VIRTUAL TABLE passages_fts USING fts5(
    title, body, content='passage_rows', content_rowid='rowid', tokenize='{TOKENIZE}'{DETAIL}
);
CREATE TRIGGER passages_ad AFTER DELETE ON passage_rows BEGIN
    INSERT INTO passages_fts(passages_fts, rowid, title, body)
        VALUES ('delete', old.rowid, old.title, old.body);
END;
"#;

/// What the full-text index `passages_fts` holds, and so what a search word
/// finds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum TextIndex {
    /// Words (FTS5 `unicode61`, case folded, diacritics kept): a search word
    /// finds the words it begins, "bolig" finds "boliger" and
    /// "Boligbyggingen" but not "utleieboliger". Small: without positions,
    /// about a quarter of the size of the text it indexes.
    #[default]
    Words,
    /// Every three-letter substring (FTS5 `trigram`): a search word of three
    /// letters or more is found anywhere, "bolig" finds "utleieboliger" too;
    /// shorter words cannot be searched. Several times the size of the text.
    Substrings,
}

impl TextIndex {
    /// FTS5's `tokenize` option for this index.
    fn tokenizer(self) -> &'static str {
        match self {
            TextIndex::Words => "unicode61 remove_diacritics 0",
            TextIndex::Substrings => "trigram",
        }
    }

    /// FTS5's `detail` option for this index. Words keep no positions
    /// (`detail=none`): a search is for words, each anywhere in a passage,
    /// and snippets find their words again in the text; positions were a
    /// third of the database. Substrings need them: a word is found as its
    /// three-letter pieces in a row.
    fn detail(self) -> &'static str {
        match self {
            TextIndex::Words => ", detail=none",
            TextIndex::Substrings => "",
        }
    }

    /// The index an open database holds, read from its schema (`None` when
    /// it has none).
    fn of(conn: &Connection) -> rusqlite::Result<Option<TextIndex>> {
        let sql: Option<String> = conn
            .query_row(
                "SELECT sql FROM sqlite_schema WHERE name = 'passages_fts'",
                [],
                |r| r.get(0),
            )
            .optional()?;
        Ok(sql.map(|sql| {
            if sql.contains("'trigram'") {
                TextIndex::Substrings
            } else {
                TextIndex::Words
            }
        }))
    }

    /// The index of the knowledge base at `path` ([`TextIndex::Words`] when
    /// it has none): what a merge of shards keeps.
    pub fn of_file(path: &Path) -> Result<TextIndex, KbError> {
        let name = path.display().to_string();
        let conn = connect(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)?;
        let index = TextIndex::of(&conn).map_err(|e| KbError::of(&name, e))?;
        Ok(index.unwrap_or_default())
    }
}

/// How long a connection waits for another process's lock on the knowledge
/// base before it gives up: long enough for a writer's commit, short enough
/// that a process holding it open for good is reported, not waited for.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// How long a search may run before it is stopped.
pub const SEARCH_BUDGET: Duration = Duration::from_secs(10);

/// The longest query searched, in characters, before its repeated words are
/// dropped: longer is no search a person types, only a mistake.
pub const MAX_QUERY_CHARS: usize = 20_000;

/// The most different words a query searches for: each is a query of its
/// own on the index, intersected.
pub const MAX_QUERY_WORDS: usize = 32;

/// The longest word searched, in characters.
pub const MAX_WORD_CHARS: usize = 100;

/// Why the knowledge base could not be written or read.
#[derive(Debug, thiserror::Error)]
pub enum KbError {
    /// SQLite could not do what was asked.
    #[error("knowledge base {path}: {source}")]
    Sqlite {
        path: String,
        source: rusqlite::Error,
    },
    /// Another process holds the database locked past [`BUSY_TIMEOUT`].
    #[error(
        "knowledge base {path} is in use by another process (busy/locked), still after {} s; try again when that process has finished",
        waited.as_secs()
    )]
    Busy { path: String, waited: Duration },
    /// The file could not be copied.
    #[error("knowledge base {path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    /// The search ran past its time budget.
    #[error(
        "the search in {path} was stopped after {} s; search for fewer or longer words",
        budget.as_secs()
    )]
    TooSlow { path: String, budget: Duration },
    /// The query is longer than [`MAX_QUERY_CHARS`].
    #[error("the query is {chars} characters long; at most {MAX_QUERY_CHARS} are searched")]
    QueryTooLong { chars: usize },
    /// The query has more different words than [`MAX_QUERY_WORDS`] (of
    /// those it searches: with [`TextIndex::Substrings`], of three letters
    /// or more).
    #[error("the query has {words} different words; at most {MAX_QUERY_WORDS} are searched")]
    TooManyWords { words: usize },
    /// A word is longer than [`MAX_WORD_CHARS`].
    #[error(
        "the query's word «{start}…» is {chars} characters long; at most {MAX_WORD_CHARS} are searched"
    )]
    WordTooLong { start: String, chars: usize },
}

impl KbError {
    /// The error of a call on the database at `path`, named for what it
    /// means to the user where SQLite's words would not tell.
    fn of(path: &str, source: rusqlite::Error) -> KbError {
        use rusqlite::ErrorCode;
        match source.sqlite_error_code() {
            Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => KbError::Busy {
                path: path.to_string(),
                waited: BUSY_TIMEOUT,
            },
            _ => KbError::Sqlite {
                path: path.to_string(),
                source,
            },
        }
    }
}

/// Opens the database at `path` with the busy timeout set, so that another
/// process's lock is waited for a while and then reported as such.
fn connect(path: &Path, flags: rusqlite::OpenFlags) -> Result<Connection, KbError> {
    let name = path.display().to_string();
    let conn = Connection::open_with_flags(path, flags).map_err(|e| KbError::of(&name, e))?;
    conn.busy_timeout(BUSY_TIMEOUT)
        .map_err(|e| KbError::of(&name, e))?;
    Ok(conn)
}

/// Copies the knowledge base at `from` to `to` as its last commit shows it.
/// A plain file copy would take whatever a writer of another process has
/// half written (a rollback journal keeps the old pages beside the file),
/// and the copy would be corrupt; under a read transaction no writer can
/// write into the file, and one that already does is waited for
/// ([`BUSY_TIMEOUT`]), then reported as [`KbError::Busy`].
pub fn copy(from: &Path, to: &Path) -> Result<(), KbError> {
    let name = from.display().to_string();
    let wrap = |e| KbError::of(&name, e);
    // Read-write, not read-only: a journal left by a writer that died is
    // rolled back first (SQLite does so on the first read), as any later
    // open would. The file is never created here.
    let conn = connect(from, rusqlite::OpenFlags::SQLITE_OPEN_READ_WRITE)?;
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .map_err(wrap)?;
    if mode.eq_ignore_ascii_case("wal") {
        // Someone made it write-ahead (plansjekk writes a rollback journal):
        // commits may then live in the -wal file beside it, and a
        // checkpoint may be half written into the file itself, so only
        // SQLite can copy it whole.
        let _ = std::fs::remove_file(to);
        let target = to.to_string_lossy();
        return conn
            .execute("VACUUM INTO ?1", [target.as_ref()])
            .map(|_| ())
            .map_err(wrap);
    }
    conn.execute_batch("BEGIN; SELECT count(*) FROM sqlite_schema;")
        .map_err(wrap)?;
    // The copy is made while the read transaction holds the shared lock.
    // (Closing this process's other descriptor of the file ends SQLite's
    // locks on it, POSIX locks being per process: only once the bytes are
    // read, which is why nothing follows but the end of the transaction.)
    let copied = std::fs::copy(from, to);
    let ended = conn.execute_batch("COMMIT;").map_err(wrap);
    copied.map_err(|source| KbError::Io {
        path: name.clone(),
        source,
    })?;
    ended
}

/// An open knowledge base.
pub struct KnowledgeBase {
    conn: Connection,
    path: String,
    /// Documents written in the open transaction (none open when 0).
    pending: usize,
}

/// Documents written in one transaction. Each commit flushes the full-text
/// index's pending terms as a segment that later merges rewrite: one
/// transaction per document made the index the run's largest cost. The
/// batch is a count, not a time, so that the database's pages, and so its
/// bytes, depend on the inputs only.
const DOCUMENTS_PER_TRANSACTION: usize = 256;

/// One actor row of the knowledge base, as [`KnowledgeBase::for_each_actor`]
/// reads it: borrowed from the database.
pub struct ActorRow<'a> {
    /// The id of the document that names it.
    pub document: &'a str,
    pub name: &'a str,
    pub kind: &'a str,
    /// Its variants, as the JSON array the knowledge base keeps.
    pub variants: &'a str,
    pub mentions: u32,
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
    /// Opens (or creates) the database at `path`, its full-text index
    /// holding `index`; one of another layout or index is emptied and made
    /// anew.
    pub fn open(path: &Path, index: TextIndex) -> Result<KnowledgeBase, KbError> {
        let name = path.display().to_string();
        let wrap = |source| KbError::of(&name, source);
        let conn = connect(path, rusqlite::OpenFlags::default())?;
        // The whole database is one file: no write-ahead log, so that
        // copying and swapping the file moves everything. It is written in
        // the run's staging folder, which the run discards on any failure
        // and swaps in only when complete: nothing needs to survive a crash
        // half-way, so SQLite neither syncs nor journals to disk (one sync
        // of the file in `finish`). Syncing every transaction cost more than
        // the inserts.
        conn.execute_batch(
            "PRAGMA journal_mode = MEMORY; PRAGMA synchronous = OFF; PRAGMA foreign_keys = ON;",
        )
        .map_err(wrap)?;
        if !same_layout(&conn, index).map_err(wrap)? {
            let tables: Vec<String> = {
                let mut st = conn
                    .prepare("SELECT type || ' \"' || name || '\"' FROM sqlite_schema WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'passages_fts_%'")
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
                drop.push_str(&format!("DROP {t};"));
            }
            drop.push_str(
                &SCHEMA
                    .replace("{TOKENIZE}", index.tokenizer())
                    .replace("{DETAIL}", index.detail()),
            );
            drop.push_str(&format!(
                "PRAGMA user_version = {SCHEMA_VERSION}; COMMIT; PRAGMA foreign_keys = ON;"
            ));
            conn.execute_batch(&drop).map_err(wrap)?;
        }
        Ok(KnowledgeBase {
            conn,
            path: name,
            pending: 0,
        })
    }

    /// Opens the knowledge base of the previous run at `path` to update it
    /// where it is, in place of writing a copy: `None` when it has another
    /// layout or index (a new one is then written whole), and nothing in it
    /// is changed. Unlike a new database, it is the only copy, so every
    /// transaction is journaled on disk and synced: a run killed at any
    /// moment leaves it as its last commit left it, each document wholly of
    /// one version (which the next run puts right by the sha256 it holds,
    /// see [`KnowledgeBase::states`]).
    pub fn open_in_place(path: &Path, index: TextIndex) -> Result<Option<KnowledgeBase>, KbError> {
        let name = path.display().to_string();
        let wrap = |source| KbError::of(&name, source);
        let conn = connect(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_WRITE)?;
        if !same_layout(&conn, index).map_err(wrap)? {
            return Ok(None);
        }
        // A rollback journal, not write-ahead: the knowledge base stays one
        // file, which a run links into its new output folder when it is done.
        conn.execute_batch(
            "PRAGMA journal_mode = DELETE; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;",
        )
        .map_err(wrap)?;
        Ok(Some(KnowledgeBase {
            conn,
            path: name,
            pending: 0,
        }))
    }

    /// The running text of document `id` as it holds it (see
    /// [`TextSources`]).
    pub fn text(&self, id: &str) -> Result<Option<Vec<crate::record::TextRec>>, KbError> {
        texts(&self.conn, id).map_err(|e| self.wrap(e))
    }

    /// Every document it holds, with the sha256 and the status ("ok" or
    /// "failed") it holds for it: what a run compares with its manifest to
    /// find the documents whose rows are not those of the manifest's
    /// version (left by a run that failed after it had updated them).
    pub fn states(&self) -> Result<States, KbError> {
        read_states(&self.conn).map_err(|e| self.wrap(e))
    }

    fn wrap(&self, source: rusqlite::Error) -> KbError {
        KbError::of(&self.path, source)
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

    /// Runs `write` in the open transaction (opening one if none is), and
    /// commits every [`DOCUMENTS_PER_TRANSACTION`] documents. A failure
    /// fails the whole output (the staging folder is discarded), so a
    /// transaction need not end at a document's edge.
    fn in_batch(
        &mut self,
        write: impl FnOnce(&Connection) -> rusqlite::Result<()>,
    ) -> Result<(), KbError> {
        let r = (|| {
            if self.pending == 0 {
                self.conn.execute_batch("BEGIN")?;
            }
            write(&self.conn)?;
            self.pending += 1;
            if self.pending == DOCUMENTS_PER_TRANSACTION {
                self.conn.execute_batch("COMMIT")?;
                self.pending = 0;
            }
            Ok(())
        })();
        r.map_err(|e| self.wrap(e))
    }

    /// Hands every actor it holds to `each`, in the order they were put
    /// (a document's in its record's order), borrowed from the database
    /// row by row: one pass, nothing held but what `each` keeps. Rows put
    /// in the open transaction are among them.
    pub fn for_each_actor(&self, mut each: impl FnMut(ActorRow<'_>)) -> Result<(), KbError> {
        let mut read = || -> rusqlite::Result<()> {
            let mut st = self.conn.prepare(
                "SELECT document, name, kind, variants, mentions FROM actors ORDER BY rowid",
            )?;
            let mut rows = st.query([])?;
            while let Some(r) = rows.next()? {
                let text = |i: usize| -> rusqlite::Result<&str> {
                    r.get_ref(i)?.as_str().map_err(rusqlite::Error::from)
                };
                let row = ActorRow {
                    document: text(0)?,
                    name: text(1)?,
                    kind: text(2)?,
                    variants: text(3)?,
                    mentions: r.get(4)?,
                };
                each(row);
            }
            Ok(())
        };
        read().map_err(|e| self.wrap(e))
    }

    /// Replaces a document's rows with a record's.
    pub fn put(&mut self, rec: &Record) -> Result<(), KbError> {
        self.in_batch(|c| insert_record(c, rec))
    }

    /// Replaces a document's rows with a failed reading of it.
    pub fn put_failed(&mut self, f: &Failed) -> Result<(), KbError> {
        self.in_batch(|c| {
            forget(c, f.id)?;
            c.execute(
                "INSERT INTO documents (id, path, sha256, bytes, status, error_class, error_message)
                 VALUES (?1, ?2, ?3, ?4, 'failed', ?5, ?6)",
                params![f.id, f.path, f.sha256, f.bytes.map(|b| b as i64), f.class, f.message],
            )?;
            Ok(())
        })
    }

    /// Removes a document and all its rows.
    pub fn remove(&mut self, id: &str) -> Result<(), KbError> {
        self.in_batch(|c| forget(c, id))
    }

    /// Commits what is written, checks that every row's keys resolve, and
    /// closes the database, its bytes synced to disk.
    pub fn finish(mut self) -> Result<(), KbError> {
        if self.pending > 0 {
            self.conn
                .execute_batch("COMMIT")
                .map_err(|e| self.wrap(e))?;
            self.pending = 0;
        }
        // A scan of every table: in debug builds only, as updating one
        // document in place must not cost a read of the whole database.
        if cfg!(debug_assertions) {
            let bad: i64 = self
                .conn
                .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
                    r.get(0)
                })
                .map_err(|e| self.wrap(e))?;
            assert_eq!(bad, 0, "foreign keys of the knowledge base resolve");
        }
        self.conn
            .execute_batch("PRAGMA optimize;")
            .map_err(|e| self.wrap(e))?;
        let path = self.path.clone();
        self.conn.close().map_err(|(_, e)| KbError::of(&path, e))?;
        std::fs::File::open(&path)
            .and_then(|f| f.sync_all())
            .map_err(|source| KbError::Io { path, source })
    }
}

/// What a knowledge base holds of each document: its id, and the sha256
/// and status ("ok" or "failed") of the version its rows are of.
pub type States = HashMap<String, (Option<String>, String)>;

fn read_states(conn: &Connection) -> rusqlite::Result<States> {
    let mut st = conn.prepare("SELECT id, sha256, status FROM documents")?;
    let rows = st.query_map([], |r| Ok((r.get(0)?, (r.get(1)?, r.get(2)?))))?;
    rows.collect()
}

/// [`KnowledgeBase::states`] of the knowledge base at `path` (an error when
/// it has another layout or index than `index`). Opened for writing but not
/// written: a journal left by a run killed mid-transaction is rolled back
/// first, as any later opening would (read only, it could not be read).
/// The file is never created here.
pub fn states_of(path: &Path, index: TextIndex) -> Result<States, KbError> {
    let name = path.display().to_string();
    let wrap = |source| KbError::of(&name, source);
    let conn = connect(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_WRITE)?;
    if !same_layout(&conn, index).map_err(wrap)? {
        return Err(KbError::Sqlite {
            path: name.clone(),
            source: rusqlite::Error::InvalidQuery,
        });
    }
    read_states(&conn).map_err(wrap)
}

/// The running text of document `id` as the knowledge base on `conn` holds
/// it (its passages but the goals' and measures'), in its order; `None` when
/// it does not hold the document. A passage keeps its first line only, so
/// each item's span ends where it starts.
fn texts(conn: &Connection, id: &str) -> rusqlite::Result<Option<Vec<crate::record::TextRec>>> {
    let held = conn
        .prepare_cached("SELECT 1 FROM documents WHERE id = ?1")?
        .exists([id])?;
    if !held {
        return Ok(None);
    }
    let mut st = conn.prepare_cached(
        "SELECT p.kind, p.page, p.line, p.body FROM passage_rows p JOIN documents d ON d.key = p.doc
         WHERE d.id = ?1 AND p.kind NOT IN ('goal', 'measure') ORDER BY p.rowid",
    )?;
    let rows = st.query_map([id], |r| {
        let line: u32 = r.get(2)?;
        Ok(crate::record::TextRec {
            kind: r.get(0)?,
            span: crate::record::SpanRec {
                page: r.get(1)?,
                line,
                end_line: line,
            },
            text: r.get(3)?,
        })
    })?;
    rows.collect::<rusqlite::Result<Vec<_>>>().map(Some)
}

/// Knowledge bases that the running text of a document is read from when
/// its record does not carry it (records on disk never do): the shards'
/// for a merge, the previous run's for a record kept with `--keep`.
pub struct TextSources {
    conns: Vec<(String, Connection)>,
}

impl TextSources {
    /// The knowledge bases at `paths` that exist and have this build's
    /// layout (with any full-text index), read only.
    pub fn open(paths: &[std::path::PathBuf]) -> TextSources {
        let conns = paths
            .iter()
            .filter(|p| p.is_file())
            .filter_map(|p| {
                let conn = connect(p, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY).ok()?;
                let index = TextIndex::of(&conn).ok()??;
                same_layout(&conn, index)
                    .ok()
                    .filter(|same| *same)
                    .map(|_| (p.display().to_string(), conn))
            })
            .collect();
        TextSources { conns }
    }

    /// The running text of document `id` from the first of them that holds
    /// the document.
    pub fn text(&self, id: &str) -> Result<Option<Vec<crate::record::TextRec>>, KbError> {
        for (name, conn) in &self.conns {
            if let Some(t) = texts(conn, id).map_err(|e| KbError::of(name, e))? {
                return Ok(Some(t));
            }
        }
        Ok(None)
    }
}

/// Whether the open database has this build's layout and the full-text
/// index `index` (or none yet: a new, empty file).
fn same_layout(conn: &Connection, index: TextIndex) -> rusqlite::Result<bool> {
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    let held = TextIndex::of(conn)?;
    Ok(version == SCHEMA_VERSION && held.is_none_or(|h| h == index))
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

/// One document's rows in every table, replacing those it had (run in the
/// caller's transaction, so the document is there wholly or not at all).
fn insert_record(tx: &Connection, r: &Record) -> rusqlite::Result<()> {
    // The order of the inserts is kept as it was when this was one function:
    // it decides the database's pages, and outputs are compared byte for byte.
    insert_document(tx, r)?;
    // The document's key, which its passages and cells carry.
    let key = tx.last_insert_rowid();
    let mut passage = Passages::new(tx, key)?;
    let mut year = tx.prepare_cached(
        "INSERT INTO budget_years (document, goal, measure, year, nok) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    insert_goals(tx, r, &mut passage, &mut year)?;
    insert_actors(tx, r)?;
    insert_measures(tx, r, &mut passage, &mut year)?;
    insert_amounts(tx, r)?;
    insert_tables(tx, r, key)?;
    insert_findings(tx, r)?;
    insert_text(r, &mut passage)
}

/// The document's own row, which every other row of it refers to (and is
/// deleted with): the old one, if any, goes first.
fn insert_document(tx: &Connection, r: &Record) -> rusqlite::Result<()> {
    forget(tx, &r.id)?;
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
    Ok(())
}

/// The goals, each with its budget years and a passage for the search.
fn insert_goals(
    tx: &Connection,
    r: &Record,
    passage: &mut Passages,
    year: &mut CachedStatement,
) -> rusqlite::Result<()> {
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
        passage.add(&Passage {
            kind: "goal",
            reference: Some(&g.id),
            page: page(g.span.page),
            line: g.span.line,
            title: &g.title,
            body: g.text.as_deref().unwrap_or_default(),
        })?;
    }
    Ok(())
}

/// The actors the document names, before the measures that link to them.
fn insert_actors(tx: &Connection, r: &Record) -> rusqlite::Result<()> {
    let mut actor = tx.prepare_cached(
        "INSERT INTO actors (document, id, name, kind, mentions, variants) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    for a in &r.actors {
        let variants = serde_json::to_string(&a.variants).unwrap_or_default();
        actor.execute(params![r.id, a.id, a.name, a.kind, a.mentions, variants])?;
    }
    Ok(())
}

/// The measures, each with its responsible and partner actors, its budget
/// years and a passage for the search.
fn insert_measures(
    tx: &Connection,
    r: &Record,
    passage: &mut Passages,
    year: &mut CachedStatement,
) -> rusqlite::Result<()> {
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
        passage.add(&Passage {
            kind: "measure",
            reference: Some(&m.id),
            page: page(m.span.page),
            line: m.span.line,
            title: &m.title,
            body: "",
        })?;
    }
    Ok(())
}

/// The money figures, with the table cell each was read from.
fn insert_amounts(tx: &Connection, r: &Record) -> rusqlite::Result<()> {
    let mut st = tx.prepare_cached(
        "INSERT INTO amounts (document, id, nok, text, role, year, source, goal, measure, origin, table_id, row, col, repeats, page, line, cell, ocr_confidence)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)",
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
            a.cell.as_ref().and_then(|c| c.reference.clone()),
            a.ocr,
        ])?;
    }
    Ok(())
}

/// The tables and every cell of them, the header as row 0.
fn insert_tables(tx: &Connection, r: &Record, key: i64) -> rusqlite::Result<()> {
    let mut table = tx.prepare_cached(
        "INSERT INTO tables (document, id, title, kind, rows, page, line) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;
    let mut cell = tx.prepare_cached(
        "INSERT INTO cell_rows (doc, table_id, row, col, text) VALUES (?1, ?2, ?3, ?4, ?5)",
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
                cell.execute(params![key, t.id, i as i64, j as i64, text])?;
            }
        }
    }
    Ok(())
}

/// The findings, each at its primary place.
fn insert_findings(tx: &Connection, r: &Record) -> rusqlite::Result<()> {
    let mut st = tx.prepare_cached(
        "INSERT INTO findings (document, id, rule, severity, message, stated, computed, difference, page, line, text, hint, cell, ocr_confidence)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
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
            primary
                .and_then(|l| l.cell.as_ref())
                .and_then(|c| c.reference.clone()),
            f.ocr,
        ])?;
    }
    Ok(())
}

/// The running text (headings, paragraphs, list items) as passages, so that
/// a search finds what no goal or measure holds.
fn insert_text(r: &Record, passage: &mut Passages) -> rusqlite::Result<()> {
    for t in &r.text {
        passage.add(&Passage {
            kind: &t.kind,
            reference: None,
            page: page(t.span.page),
            line: t.span.line,
            title: "",
            body: &t.text,
        })?;
    }
    Ok(())
}

/// Deletes a document and its rows, if it is there. Looked up first: the
/// delete's cascade opens a savepoint, at which the full-text index writes
/// its pending terms out (see [`Passages`]), even when nothing is deleted.
fn forget(c: &Connection, id: &str) -> rusqlite::Result<()> {
    let held = c
        .prepare_cached("SELECT 1 FROM documents WHERE id = ?1")?
        .exists([id])?;
    if held {
        c.execute("DELETE FROM documents WHERE id = ?1", [id])?;
    }
    Ok(())
}

/// A passage a search can find: a goal, a measure or a block of text.
struct Passage<'a> {
    kind: &'a str,
    reference: Option<&'a str>,
    page: Option<i64>,
    line: u32,
    title: &'a str,
    body: &'a str,
}

/// Writes passages and their full-text index entries. The index entry is
/// its own statement, not a trigger on `passages`: a statement that fires a
/// trigger opens a savepoint, and FTS5 writes its pending terms to disk at
/// every savepoint — a segment per passage, then merges of them, which made
/// the index most of the run's writing.
struct Passages<'c> {
    row: CachedStatement<'c>,
    index: CachedStatement<'c>,
    conn: &'c Connection,
    /// The key of the document whose passages these are.
    doc: i64,
}

impl<'c> Passages<'c> {
    fn new(conn: &'c Connection, doc: i64) -> rusqlite::Result<Passages<'c>> {
        Ok(Passages {
            row: conn.prepare_cached(
                "INSERT INTO passage_rows (doc, kind, ref, page, line, title, body) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?,
            index: conn.prepare_cached(
                "INSERT INTO passages_fts (rowid, title, body) VALUES (?1, ?2, ?3)",
            )?,
            conn,
            doc,
        })
    }

    fn add(&mut self, p: &Passage) -> rusqlite::Result<()> {
        self.row.execute(params![
            self.doc,
            p.kind,
            p.reference,
            p.page,
            p.line,
            p.title,
            p.body
        ])?;
        let rowid = self.conn.last_insert_rowid();
        self.index.execute(params![rowid, p.title, p.body])?;
        Ok(())
    }
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

/// The words of `query` to search for, each once, as an FTS5 query for
/// `index`: every word must occur (on [`TextIndex::Words`], every piece of
/// it, see [`word_terms`]). On [`TextIndex::Words`] a word of three
/// letters or more is a prefix ("bolig" finds "boliger"), a shorter one a
/// whole word ("EU" finds "EU", not "Europa": as a prefix it would find
/// nearly every passage); on [`TextIndex::Substrings`] each word is a
/// substring, and words of one or two letters are left out (the trigram
/// index cannot find them). A repeated word is searched once, which finds
/// the same and keeps the work linear in the query (FTS5 intersects a query
/// per word). Too long a query, too many words or too long a word is an
/// error saying the limit.
pub fn fts_query(query: &str, index: TextIndex) -> Result<Option<String>, KbError> {
    let chars = query.chars().count();
    if chars > MAX_QUERY_CHARS {
        return Err(KbError::QueryTooLong { chars });
    }
    let mut seen = std::collections::HashSet::new();
    // A word the index holds nothing of is left out: punctuation alone is no
    // word to the word index, one or two letters none to the trigram index.
    let searched = |w: &str| match index {
        TextIndex::Words => w.chars().any(char::is_alphanumeric),
        TextIndex::Substrings => w.chars().count() >= 3,
    };
    let words: Vec<&str> = query
        .split_whitespace()
        .filter(|w| searched(w) && seen.insert(w.to_lowercase()))
        .collect();
    if words.len() > MAX_QUERY_WORDS {
        return Err(KbError::TooManyWords { words: words.len() });
    }
    if let Some(w) = words.iter().find(|w| w.chars().count() > MAX_WORD_CHARS) {
        return Err(KbError::WordTooLong {
            // For a terminal: the query is anyone's.
            start: super::terminal::escape(&w.chars().take(20).collect::<String>()).into_owned(),
            chars: w.chars().count(),
        });
    }
    if words.is_empty() {
        return Ok(None);
    }
    let phrases: Vec<String> = words
        .iter()
        .map(|w| match index {
            TextIndex::Words => word_terms(w),
            // A quoted string is one phrase whatever it holds: its
            // three-letter pieces in a row.
            TextIndex::Substrings => format!("\"{}\"", w.replace('"', "\"\"")),
        })
        .collect();
    Ok(Some(phrases.join(" AND ")))
}

/// A word of the query as terms of the word index, which keeps no
/// positions and so has no phrases: a word the tokenizer cuts in several
/// ("e-post", "Midt-Troms") is each of its pieces (letters and digits),
/// all required, the last a prefix when the word has three letters or more
/// ("e" AND "post"*), as the phrase "e post"* was, but not necessarily in a
/// row.
fn word_terms(w: &str) -> String {
    let pieces: Vec<&str> = w
        .split(|c: char| !c.is_alphanumeric())
        .filter(|p| !p.is_empty())
        .collect();
    let prefix = w.chars().count() >= 3;
    let last = pieces.len().saturating_sub(1);
    pieces
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let star = if prefix && i == last { "*" } else { "" };
            format!("\"{p}\"{star}")
        })
        .collect::<Vec<_>>()
        .join(" AND ")
}

/// Runs `work` on `conn`, interrupting it once `budget` has passed. An
/// interrupt stops only a statement running at that moment, so it is
/// repeated until the work ends.
fn within<T>(
    conn: &Connection,
    budget: Duration,
    work: impl FnOnce() -> rusqlite::Result<T>,
) -> rusqlite::Result<T> {
    use std::sync::mpsc::{channel, RecvTimeoutError};
    let handle = conn.get_interrupt_handle();
    let (done, wait) = channel::<()>();
    std::thread::scope(|s| {
        s.spawn(move || {
            let mut timeout = budget;
            while let Err(RecvTimeoutError::Timeout) = wait.recv_timeout(timeout) {
                handle.interrupt();
                timeout = Duration::from_millis(10);
            }
        });
        let result = work();
        // Ends the watchdog (also when `work` panics: `done` is dropped).
        drop(done);
        result
    })
}

/// Where passages of the knowledge base match `query`, best first. Every word
/// of the query must occur, as [`fts_query`] says for the knowledge base's
/// [`TextIndex`]: at the start of a word ("bolig" finds "boliger"), or
/// anywhere in one with substrings ("bolig" finds "utleieboliger").
/// Goals and measures come before running text.
/// Bounded: the query by [`fts_query`], the time by [`SEARCH_BUDGET`], the
/// wait for another process's lock by [`BUSY_TIMEOUT`].
pub fn search(path: &Path, query: &str, limit: usize) -> Result<Vec<Hit>, KbError> {
    search_within(path, query, limit, SEARCH_BUDGET)
}

fn search_within(
    path: &Path,
    query: &str,
    limit: usize,
    budget: Duration,
) -> Result<Vec<Hit>, KbError> {
    let Some((name, conn, fts)) = open_query(path, query)? else {
        return Ok(Vec::new());
    };
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    let hits = within(&conn, budget, || {
        let mut st = conn.prepare(
            "SELECT d.id, p.kind, p.ref, p.page, p.line, p.title,
                    snippet(passages_fts, -1, '«', '»', '…', 64)
             FROM passages_fts JOIN passage_rows p ON p.rowid = passages_fts.rowid
                  JOIN documents d ON d.key = p.doc
             WHERE passages_fts MATCH ?1
             ORDER BY (p.kind IN ('goal', 'measure')) DESC, bm25(passages_fts), d.id, p.line, p.kind, p.ref
             LIMIT ?2",
        )?;
        let rows = st.query_map(params![fts, limit], |r| {
            Ok(Hit {
                document: r.get(0)?,
                kind: r.get(1)?,
                reference: r.get(2)?,
                page: r.get::<_, Option<i64>>(3)?.map(|p| p as u32),
                line: r.get::<_, i64>(4)? as u32,
                title: r.get(5)?,
                snippet: r.get(6)?,
            })
        })?;
        rows.collect::<Result<Vec<_>, _>>()
    });
    hits.map_err(|e| query_error(&name, budget, e))
}

/// The knowledge base at `path`, read-only, with `query` as an FTS5 query
/// for the index it has (none when the query has no word to search for).
fn open_query(path: &Path, query: &str) -> Result<Option<(String, Connection, String)>, KbError> {
    let name = path.display().to_string();
    let conn = connect(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    let index = TextIndex::of(&conn).map_err(|e| KbError::of(&name, e))?;
    Ok(fts_query(query, index.unwrap_or_default())?.map(|fts| (name, conn, fts)))
}

/// A search's error: too slow when the watchdog interrupted it.
fn query_error(name: &str, budget: Duration, e: rusqlite::Error) -> KbError {
    match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::OperationInterrupted) => KbError::TooSlow {
            path: name.to_string(),
            budget,
        },
        _ => KbError::of(name, e),
    }
}

/// How many passages match `query` in all, however many a search shows:
/// "20 of 91 matches" tells a reader there is more to see.
pub fn count_matches(path: &Path, query: &str) -> Result<usize, KbError> {
    let Some((name, conn, fts)) = open_query(path, query)? else {
        return Ok(0);
    };
    let n = within(&conn, SEARCH_BUDGET, || {
        conn.query_row(
            "SELECT count(*) FROM passages_fts WHERE passages_fts MATCH ?1",
            params![fts],
            |r| r.get::<_, i64>(0),
        )
    });
    n.map(|n| usize::try_from(n).unwrap_or(0))
        .map_err(|e| query_error(&name, SEARCH_BUDGET, e))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::{SpanRec, TextRec};

    /// A knowledge base in a fresh folder, holding one document whose
    /// paragraphs are `texts`, indexed by words.
    fn kb_with(name: &str, texts: &[&str]) -> std::path::PathBuf {
        kb_indexed(name, texts, TextIndex::Words)
    }

    /// The same, with the full-text index `index`.
    fn kb_indexed(name: &str, texts: &[&str], index: TextIndex) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("plansjekk-kb-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("plansjekk.sqlite");
        let mut kb = KnowledgeBase::open(&path, index).unwrap();
        let mut rec = Record::blank("plan", "txt");
        rec.text = texts
            .iter()
            .enumerate()
            .map(|(i, t)| TextRec {
                kind: "paragraph".into(),
                span: SpanRec {
                    page: None,
                    line: i as u32 + 1,
                    end_line: i as u32 + 1,
                },
                text: t.to_string(),
            })
            .collect();
        kb.put(&rec).unwrap();
        kb.finish().unwrap();
        path
    }

    #[test]
    fn a_query_searches_each_word_once_and_within_limits() {
        let words = |q: &str| fts_query(q, TextIndex::Words);
        let substrings = |q: &str| fts_query(q, TextIndex::Substrings);
        assert_eq!(words("bolig").unwrap(), Some("\"bolig\"*".into()));
        assert_eq!(substrings("bolig").unwrap(), Some("\"bolig\"".into()));
        assert_eq!(
            words(&"bolig ".repeat(2_000)).unwrap(),
            words("bolig").unwrap()
        );
        // Both indexes fold case: "Bolig" is searched once.
        assert_eq!(
            words("Bolig EU bolig Bolig").unwrap(),
            Some("\"Bolig\"* AND \"EU\"".into()),
            "a short word is a whole word"
        );
        assert_eq!(
            substrings("Bolig xy bolig Bolig").unwrap(),
            Some("\"Bolig\"".into()),
            "the trigram index cannot find two letters"
        );
        assert_eq!(substrings("i og på").unwrap(), None, "no word of 3 letters");
        assert_eq!(
            words("i og på").unwrap(),
            Some("\"i\" AND \"og\" AND \"på\"".into())
        );
        assert_eq!(
            words("ord\"x").unwrap(),
            Some("\"ord\" AND \"x\"*".into()),
            "pieces of a word, each required"
        );
        assert_eq!(
            words("Midt-Troms e-post").unwrap(),
            Some("\"Midt\" AND \"Troms\"* AND \"e\" AND \"post\"*".into())
        );
        let many: Vec<String> = (0..=MAX_QUERY_WORDS).map(|i| format!("ord{i}")).collect();
        let e = words(&many.join(" ")).unwrap_err().to_string();
        assert!(
            e.contains("33 different words") && e.contains("at most 32"),
            "{e}"
        );
        let e = words(&"x".repeat(MAX_QUERY_CHARS + 1))
            .unwrap_err()
            .to_string();
        assert!(e.contains("at most 20000"), "{e}");
        let e = words(&"å".repeat(MAX_WORD_CHARS + 1))
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("101 characters") && e.contains("at most 100"),
            "{e}"
        );
    }

    #[test]
    fn search_finds_every_word_and_repeats_change_nothing() {
        let texts = [
            "Flere utleieboliger og boliger i kommunen",
            "Bredbånd til alle",
            "Midler fra EU og fylket",
            "Send post-lista til regionrådet i Midt-Troms",
        ];
        let kb = kb_with("search", &texts);
        let once = search(&kb, "bolig kommune", 20).unwrap();
        assert_eq!(once.len(), 1);
        assert_eq!(
            once[0].snippet,
            "Flere utleieboliger og «boliger» i «kommunen»"
        );
        let repeated = format!("{} kommune", "bolig ".repeat(2_000));
        assert_eq!(search(&kb, &repeated, 20).unwrap(), once);
        assert!(search(&kb, "bolig bredbånd", 20).unwrap().is_empty());
        // "å" is not "a": diacritics are kept.
        assert!(search(&kb, "bredband", 20).unwrap().is_empty());
        assert_eq!(search(&kb, "EU", 20).unwrap().len(), 1);
        assert!(search(&kb, "E", 20).unwrap().is_empty(), "a whole word");
        // A word of pieces finds them all (the index has no phrases).
        let hyphenated = search(&kb, "Post-list midt-troms", 20).unwrap();
        assert_eq!(hyphenated.len(), 1);
        assert_eq!(
            hyphenated[0].snippet,
            "Send «post»-«lista» til regionrådet i «Midt»-«Troms»"
        );
        assert!(search(&kb, "post-listene", 20).unwrap().is_empty());
        // Punctuation alone is no word: nothing, and no error.
        assert!(search(&kb, "- «»", 20).unwrap().is_empty());
    }

    #[test]
    fn substrings_find_words_inside_compounds() {
        let kb = kb_indexed(
            "substrings",
            &["Flere utleieboliger i kommunen", "Midler fra EU"],
            TextIndex::Substrings,
        );
        let hits = search(&kb, "bolig kommune", 20).unwrap();
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].snippet, "Flere utleie«bolig»er i «kommune»n");
        assert!(search(&kb, "EU", 20).unwrap().is_empty(), "too short");
        // Opened for words, the same file is made anew with the other index.
        KnowledgeBase::open(&kb, TextIndex::Words)
            .unwrap()
            .finish()
            .unwrap();
        assert_eq!(TextIndex::of_file(&kb).unwrap(), TextIndex::Words);
    }

    #[test]
    fn work_past_its_budget_is_interrupted() {
        let conn = Connection::open_in_memory().unwrap();
        let endless = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c";
        let r = within(&conn, Duration::from_millis(50), || {
            conn.query_row(endless, [], |r| r.get::<_, i64>(0))
        });
        let e = r.unwrap_err();
        assert_eq!(
            e.sqlite_error_code(),
            Some(rusqlite::ErrorCode::OperationInterrupted),
            "{e}"
        );
        // Work that ends in time is not disturbed afterwards.
        let n = within(&conn, Duration::from_secs(5), || {
            conn.query_row("SELECT 41 + 1", [], |r| r.get::<_, i64>(0))
        });
        assert_eq!(n.unwrap(), 42);
    }

    /// A writer of another connection holding the file (its lock, or its
    /// uncommitted pages in the file) is waited for, then reported; the
    /// copy is never made of a half-written file.
    #[test]
    fn a_locked_knowledge_base_is_reported_in_use_not_copied() {
        let from = kb_with("locked", &["Flere boliger"]);
        let to = from.with_file_name("copy.sqlite");
        let writer = Connection::open(&from).unwrap();
        writer
            .execute_batch("BEGIN IMMEDIATE; DELETE FROM passage_rows;")
            .unwrap();
        // Only reserved: the file holds the last commit, which is copied.
        copy(&from, &to).unwrap();
        assert_eq!(search(&to, "bolig", 5).unwrap().len(), 1);
        std::fs::remove_file(&to).unwrap();
        // Exclusive, as while committing or once its cache spills.
        writer.execute_batch("ROLLBACK; BEGIN EXCLUSIVE;").unwrap();
        let e = copy(&from, &to).unwrap_err();
        assert!(matches!(e, KbError::Busy { .. }), "{e}");
        assert!(e.to_string().contains("in use by another process"), "{e}");
        assert!(!to.exists());
        let e = search(&from, "bolig", 5).unwrap_err();
        assert!(matches!(e, KbError::Busy { .. }), "{e}");
        writer.execute_batch("ROLLBACK;").unwrap();
        assert_eq!(search(&from, "bolig", 5).unwrap().len(), 1);
    }

    /// Made write-ahead by someone, a knowledge base keeps commits in its
    /// -wal file while a connection is open: the copy has them.
    #[test]
    fn a_write_ahead_knowledge_base_is_copied_with_its_log() {
        let from = kb_with("wal", &["Flere boliger"]);
        let to = from.with_file_name("copy.sqlite");
        let other = Connection::open(&from).unwrap();
        let mode: String = other
            .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "wal");
        other
            .execute_batch(
                "INSERT INTO documents (id, path, status) VALUES ('ny', 'ny.txt', 'ok');",
            )
            .unwrap();
        copy(&from, &to).unwrap();
        let kb = KnowledgeBase::open(&to, TextIndex::Words).unwrap();
        assert_eq!(
            kb.ids().unwrap(),
            vec!["ny".to_string(), "plan".to_string()]
        );
        kb.finish().unwrap();
        assert_eq!(search(&to, "bolig", 5).unwrap().len(), 1);
        drop(other);
    }
}

//! The knowledge base `plansjekk.sqlite` and incremental runs, as
//! Distriktssenteret uses them: a growing collection re-run often, queried
//! with `sqlite3` and `plansjekk search`.

mod common;

use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::Command;

use rusqlite::Connection;

fn kb(out: &Path) -> Connection {
    Connection::open(out.join("plansjekk.sqlite")).unwrap()
}

fn count(c: &Connection, sql: &str) -> i64 {
    c.query_row(sql, [], |r| r.get(0))
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

fn csv_rows(out: &Path, name: &str) -> i64 {
    let mut r = csv::Reader::from_path(out.join(name)).unwrap();
    r.records().count() as i64
}

/// The knowledge base is whole: its pages sound, every key resolves.
fn sound(c: &Connection) -> Result<(), String> {
    let check: String = c
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .map_err(|e| e.to_string())?;
    if check != "ok" {
        return Err(format!("integrity_check: {check}"));
    }
    c.execute(
        "INSERT INTO passages_fts (passages_fts, rank) VALUES ('integrity-check', 1)",
        [],
    )
    .map_err(|e| format!("the full-text index does not match its passages: {e}"))?;
    let bad = count(c, "SELECT count(*) FROM pragma_foreign_key_check");
    if bad != 0 {
        return Err(format!("{bad} rows whose keys do not resolve"));
    }
    Ok(())
}

fn inode(p: &Path) -> u64 {
    std::fs::metadata(p).unwrap().ino()
}

const TEXTS: [&str; 3] = [
    "handlingsplan-2025-bygdevekst-indre-namdal.txt",
    "strategi-vaernesregionen-2009.txt",
    "distriktssenteret-veiledningspiloten.txt",
];

#[test]
fn the_knowledge_base_holds_the_run_in_typed_keyed_tables() {
    let root = common::tempdir("kb-typed");
    let input = root.join("in");
    common::copy_corpus(&input, &TEXTS);
    std::fs::write(input.join("broken.pdf"), b"%PDF-1.4\n garbage").unwrap();
    let out = root.join("out");
    let o = common::run_cli(&["--in-process"], &out, &[&input]);
    assert_eq!(o.status.code(), Some(1), "one document fails");
    let c = kb(&out);
    sound(&c).unwrap();
    // Every CSV row is a database row.
    for (table, file) in [
        ("goals", "goals.csv"),
        ("measures", "measures.csv"),
        ("amounts", "amounts.csv"),
        ("findings", "findings.csv"),
    ] {
        assert_eq!(
            count(&c, &format!("SELECT count(*) FROM {table}")),
            csv_rows(&out, file),
            "{table}"
        );
    }
    assert_eq!(
        count(&c, "SELECT count(*) FROM documents WHERE status = 'ok'"),
        3
    );
    assert_eq!(
        count(
            &c,
            "SELECT count(*) FROM documents WHERE status = 'failed' AND error_class = 'corrupt'"
        ),
        1
    );
    // Numbers are numbers.
    assert_eq!(
        count(
            &c,
            "SELECT count(*) FROM amounts WHERE typeof(nok) <> 'real'"
        ),
        0
    );
    assert_eq!(
        count(
            &c,
            "SELECT count(*) FROM amounts WHERE typeof(line) <> 'integer'"
        ),
        0
    );
    // The handlingsplan's table says 1 900 000 kr for Delmål 1's measures in
    // 2025 ("Til sammen"), and its goal overview the three years' figures.
    let plan = "handlingsplan-2025-bygdevekst-indre-namdal-txt";
    let years = count(
        &c,
        &format!(
            "SELECT count(*) FROM budget_years JOIN goals ON goals.document = budget_years.document AND goals.id = budget_years.goal WHERE goals.document = '{plan}' AND goals.number = 'Delmål 3'"
        ),
    );
    assert_eq!(years, 3, "Delmål 3 is budgeted for 2025, 2026 and 2027");
    // Budget per goal per document in one GROUP BY.
    let per_goal: Vec<(String, f64)> = c
        .prepare("SELECT goal, SUM(nok) FROM budget_years WHERE document = ?1 AND goal IS NOT NULL GROUP BY goal ORDER BY goal")
        .unwrap()
        .query_map([plan], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert!(
        per_goal.contains(&("g3".to_string(), 1_700_000.0)),
        "{per_goal:?}"
    );
    // Who is responsible, through the link table.
    assert!(
        count(
            &c,
            "SELECT count(*) FROM measure_actors ma JOIN actors a ON a.document = ma.document AND a.id = ma.actor"
        ) > 0
    );
    // Cells are the tables' cells: row 0 the header.
    assert!(count(&c, "SELECT count(*) FROM cells WHERE row = 0") > 0);
}

#[test]
fn search_finds_goals_measures_and_text_by_the_words_they_begin() {
    let root = common::tempdir("kb-search");
    let input = root.join("in");
    common::copy_corpus(&input, &TEXTS);
    let out = root.join("out");
    assert!(common::run_cli(&["--in-process"], &out, &[&input])
        .status
        .success());
    let search = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_plansjekk"))
            .arg("search")
            .args(args)
            .arg("--out")
            .arg(&out)
            .output()
            .unwrap()
    };
    // Delmål 4 of the handlingsplan is "Øke Boligbyggingen"; its text
    // begins "Bolig og økt boligbygging": the words that begin with the
    // word searched are marked whole.
    let o = search(&["bolig", "--format", "json"]);
    assert!(o.status.success());
    let hits: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let hits = hits.as_array().unwrap();
    assert!(hits.iter().any(|h| h["kind"] == "goal"
        && h["document"] == "handlingsplan-2025-bygdevekst-indre-namdal-txt"
        && h["snippet"]
            .as_str()
            .unwrap()
            .contains("«Bolig» og økt «boligbygging»")));
    // Goals and measures come first.
    let first_text = hits
        .iter()
        .position(|h| h["kind"] != "goal" && h["kind"] != "measure")
        .unwrap_or(hits.len());
    assert!(hits[first_text..]
        .iter()
        .all(|h| h["kind"] != "goal" && h["kind"] != "measure"));
    // Text output names the document and the place.
    let o = search(&["bolig"]);
    let text = String::from_utf8(o.stdout).unwrap();
    assert!(
        text.contains("handlingsplan-2025-bygdevekst-indre-namdal-txt  goal g4"),
        "{text}"
    );
    // A page of matches says how many there are in all: as many as the
    // JSON lists without a limit.
    let all = search(&["bolig", "--format", "json", "--limit", "10000"]);
    let total = serde_json::from_slice::<serde_json::Value>(&all.stdout)
        .unwrap()
        .as_array()
        .unwrap()
        .len();
    assert!(total > 2, "{total}");
    let text = String::from_utf8(search(&["bolig", "--limit", "2"]).stdout).unwrap();
    assert!(
        text.contains(&format!(
            "2 of {total} matches for «bolig» (--limit shows more)"
        )),
        "{text}"
    );
    let text = String::from_utf8(search(&["bolig", "--limit", "10000"]).stdout).unwrap();
    assert!(
        text.contains(&format!("\n{total} matches for «bolig»\n")),
        "{text}"
    );
    // Nothing found: exit 1, like grep.
    assert_eq!(search(&["qqqxyz"]).status.code(), Some(1));
    // A folder without a knowledge base: a clear error.
    let o = Command::new(env!("CARGO_BIN_EXE_plansjekk"))
        .args(["search", "bolig", "--out"])
        .arg(root.join("nowhere"))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("no knowledge base"));
}

#[test]
fn a_rerun_reads_only_what_changed_and_prunes_what_is_gone() {
    let root = common::tempdir("kb-incremental");
    let input = root.join("in");
    let files = common::copy_corpus(&input, &TEXTS);
    let out = root.join("out");
    assert!(common::run_cli(&["--in-process"], &out, &[&input])
        .status
        .success());
    let record = |id: &str| out.join("documents").join(format!("{id}.json"));
    let ids = [
        "handlingsplan-2025-bygdevekst-indre-namdal-txt",
        "strategi-vaernesregionen-2009-txt",
        "distriktssenteret-veiledningspiloten-txt",
    ];
    let before: Vec<u64> = ids.iter().map(|id| inode(&record(id))).collect();
    let csv_before = std::fs::read(out.join("measures.csv")).unwrap();

    // Unchanged: nothing is read again; every output is the same.
    assert!(common::run_cli(&["--in-process"], &out, &[&input])
        .status
        .success());
    let after: Vec<u64> = ids.iter().map(|id| inode(&record(id))).collect();
    assert_eq!(before, after, "unchanged records are the previous files");
    assert_eq!(std::fs::read(out.join("measures.csv")).unwrap(), csv_before);

    // One document changes: it alone is read again, and its rows replaced.
    let mut text = std::fs::read_to_string(&files[1]).unwrap();
    text.push_str("\nTiltak: Etablere et regionalt boligkontor for utleieboliger.\n");
    std::fs::write(&files[1], text).unwrap();
    assert!(common::run_cli(&["--in-process"], &out, &[&input])
        .status
        .success());
    let after: Vec<u64> = ids.iter().map(|id| inode(&record(id))).collect();
    let rec: serde_json::Value =
        serde_json::from_slice(&std::fs::read(record(ids[1])).unwrap()).unwrap();
    assert!(
        rec.get("text").is_none() && rec["goals"].is_array(),
        "the running text is the knowledge base's, not the record's"
    );
    assert_eq!(after[0], before[0]);
    assert_ne!(after[1], before[1], "the changed document is read again");
    assert_eq!(after[2], before[2]);
    let c = kb(&out);
    sound(&c).unwrap();
    assert_eq!(
        count(
            &c,
            "SELECT count(*) FROM passages WHERE document = 'strategi-vaernesregionen-2009-txt' AND body LIKE '%boligkontor%'"
        ),
        1
    );
    assert_eq!(count(&c, "SELECT count(*) FROM documents"), 3);

    // One document is removed: its rows go.
    std::fs::remove_file(&files[2]).unwrap();
    assert!(common::run_cli(&["--in-process"], &out, &[&input])
        .status
        .success());
    let c = kb(&out);
    sound(&c).unwrap();
    assert_eq!(count(&c, "SELECT count(*) FROM documents"), 2);
    assert_eq!(
        count(
            &c,
            "SELECT count(*) FROM passages WHERE document = 'distriktssenteret-veiledningspiloten-txt'"
        ),
        0
    );
    assert_eq!(
        count(&c, "SELECT count(*) FROM passages_fts WHERE passages_fts MATCH 'veiledningspilot'"),
        count(&c, "SELECT count(*) FROM passages WHERE body LIKE '%veiledningspilot%' OR title LIKE '%veiledningspilot%'"),
        "the full-text index follows its table"
    );

    // --fresh reads everything again.
    let before: Vec<u64> = ids[..2].iter().map(|id| inode(&record(id))).collect();
    assert!(
        common::run_cli(&["--in-process", "--fresh"], &out, &[&input])
            .status
            .success()
    );
    let after: Vec<u64> = ids[..2].iter().map(|id| inode(&record(id))).collect();
    assert!(before.iter().zip(&after).all(|(a, b)| a != b));
}

/// What a knowledge base holds, whatever the order its rows came in: every
/// row of every table and view as a reader sees them (not the full-text
/// index's own tables, nor the numbers that an update in place gives anew:
/// passages' rowids and documents' keys, and the tables that hold rows by
/// those numbers, which the views `passages` and `cells` show by id), sorted; and what searches
/// for some words find, in the order found, with their snippets.
fn kb_content(out: &Path) -> Vec<String> {
    let c = kb(out);
    let tables: Vec<String> = c
        .prepare("SELECT name FROM sqlite_schema WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'passages_fts%' AND name NOT LIKE '%_rows' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let mut content = Vec::new();
    for t in tables {
        let columns: Vec<String> = c
            .prepare(&format!(
                "SELECT name FROM pragma_table_info('{t}') WHERE name NOT IN ('rowid', 'key')"
            ))
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        let mut st = c
            .prepare(&format!("SELECT {} FROM \"{t}\"", columns.join(", ")))
            .unwrap();
        let mut rows: Vec<String> = st
            .query_map([], |r| {
                Ok((0..columns.len())
                    .map(|i| format!("{:?}", r.get::<_, rusqlite::types::Value>(i).unwrap()))
                    .collect::<Vec<_>>()
                    .join("|"))
            })
            .unwrap()
            .map(|r| format!("{t}: {}", r.unwrap()))
            .collect();
        rows.sort();
        content.extend(rows);
    }
    for query in ["bolig*", "kompetanse* tiltak*", "næring*", "2027"] {
        let mut st = c
            .prepare("SELECT p.document, p.kind, p.ref, p.line, snippet(passages_fts, -1, '«', '»', '…', 64), bm25(passages_fts) FROM passages_fts JOIN passages p ON p.rowid = passages_fts.rowid WHERE passages_fts MATCH ?1 ORDER BY bm25(passages_fts), p.document, p.line, p.kind")
            .unwrap();
        let hits: Vec<String> = st
            .query_map([query], |r| {
                Ok(format!(
                    "search {query}: {}|{}|{:?}|{}|{}|{:.9}",
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, Option<String>>(2)?,
                    r.get::<_, i64>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, f64>(5)?
                ))
            })
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        content.extend(hits);
    }
    content
}

/// A re-run keeps what the previous run wrote for the documents that did
/// not change (their report pages are the same files) and writes the rest:
/// its outputs are byte for byte those of a fresh run on the same inputs
/// (the knowledge base, updated in place, holds the same rows and finds the
/// same, but its pages are not the same bytes),
/// with a document changed (its budget table's last year moved, so the
/// comparison gains a column the kept rows leave empty), one removed and one
/// added.
#[test]
fn a_rerun_keeps_the_unchanged_outputs_and_equals_a_fresh_run() {
    let root = common::tempdir("kb-kept");
    let input = root.join("in");
    let mut names = TEXTS.to_vec();
    names.push("bolyst-arsrapport-2014-midt-troms.pdf");
    let files = common::copy_corpus(&input, &names);
    let out = root.join("out");
    assert!(common::run_cli(&["--in-process"], &out, &[&input])
        .status
        .success());
    let page = |id: &str| out.join("report").join(format!("{id}.html"));
    let kept = "bolyst-arsrapport-2014-midt-troms-pdf";
    let before = inode(&page(kept));
    let kb_before = inode(&out.join("plansjekk.sqlite"));

    // The action plan's budget table moves its last year to 2028.
    let text = std::fs::read_to_string(&files[0]).unwrap();
    assert!(text.contains("\t2025\t2026\t2027\t"));
    std::fs::write(
        &files[0],
        text.replace("\t2025\t2026\t2027\t", "\t2025\t2026\t2028\t"),
    )
    .unwrap();
    std::fs::remove_file(&files[2]).unwrap();
    common::copy_corpus(&input, &["handlingsplan-2025-bygdevekst-indre-namdal.pdf"]);
    assert!(common::run_cli(&["--in-process"], &out, &[&input])
        .status
        .success());
    assert_eq!(inode(&page(kept)), before, "the unchanged page is kept");
    assert_eq!(
        inode(&out.join("plansjekk.sqlite")),
        kb_before,
        "the knowledge base is updated in place, not copied"
    );
    sound(&kb(&out)).unwrap();

    equals_a_fresh_run(&out, &input, &root.join("fresh"));
    let kept_run = common::files_of(&out);
    assert!(kept_run.contains_key("report/handlingsplan-2025-bygdevekst-indre-namdal-pdf.html"));
    let header = String::from_utf8_lossy(&kept_run["comparison.csv"]);
    let header = header.lines().next().unwrap();
    assert!(header.contains("budget_2027,budget_2028"), "{header}");
    assert!(!kept_run.keys().any(|k| k.contains("distriktssenteret")));
}

/// Asserts that the output folder `out` holds what a fresh run over
/// `input` writes (into `fresh`): every file, and the knowledge base's rows.
fn equals_a_fresh_run(out: &Path, input: &Path, fresh: &Path) {
    let _ = std::fs::remove_dir_all(fresh);
    assert!(common::run_cli(&["--in-process"], fresh, &[input])
        .status
        .success());
    let (kept_run, fresh_run) = (common::files_of(out), common::files_of(fresh));
    assert_eq!(
        kept_run.keys().collect::<Vec<_>>(),
        fresh_run.keys().collect::<Vec<_>>()
    );
    for (name, bytes) in &kept_run {
        assert!(
            bytes == &fresh_run[name],
            "{name} differs from a fresh run's"
        );
    }
    assert_eq!(kb_content(out), kb_content(fresh));
}

/// A re-run finds the unchanged documents' rows in the previous tables by
/// the row index the previous run wrote, or, where the index does not agree
/// with the tables (one of them changed since, or the index is gone), by
/// parsing them: either way its outputs are a fresh run's. The changed
/// document sits between kept ones, and names a new actor.
#[test]
fn a_rerun_finds_the_kept_rows_by_the_row_index_or_without_it() {
    let root = common::tempdir("kb-rows");
    let input = root.join("in");
    let files = common::copy_corpus(&input, &TEXTS);
    let (out, fresh) = (root.join("out"), root.join("fresh"));
    let rerun = |line: &str| {
        let mut text = std::fs::read_to_string(&files[0]).unwrap();
        text.push_str(line);
        std::fs::write(&files[0], text).unwrap();
        assert!(common::run_cli(&["--in-process"], &out, &[&input])
            .status
            .success());
    };
    assert!(common::run_cli(&["--in-process"], &out, &[&input])
        .status
        .success());
    let index = out.join(".plansjekk-rows");
    assert!(index.is_file());

    rerun("\nBardu kommune deltar i arbeidet med rekruttering.\n");
    assert!(std::fs::read_to_string(out.join("actors.csv"))
        .unwrap()
        .contains("Bardu kommune"));
    equals_a_fresh_run(&out, &input, &fresh);

    // A byte more in the changed document's row of documents.csv: the index
    // no longer adds up to the table, which is parsed (trusted, it would
    // copy every later row one byte off).
    let table = out.join("documents.csv");
    let text = std::fs::read_to_string(&table).unwrap();
    let id = "handlingsplan-2025-bygdevekst-indre-namdal-txt,";
    assert!(text.contains(id));
    std::fs::write(&table, text.replace(id, &format!("{id}x"))).unwrap();
    rerun("\nDyrøy kommune deltar i arbeidet med boliger.\n");
    equals_a_fresh_run(&out, &input, &fresh);

    std::fs::remove_file(&index).unwrap();
    rerun("\nAure kommune deltar i arbeidet med tomter.\n");
    equals_a_fresh_run(&out, &input, &fresh);
    assert!(index.is_file(), "written again");
}

/// A run that failed after it had updated the knowledge base in place
/// leaves rows of versions the manifest does not list (here: one document's
/// rows under another sha256 and without its text, and a document the
/// manifest does not have): the next run, though no input changed, puts
/// them right by the sha256 the knowledge base holds.
#[test]
fn a_knowledge_base_ahead_of_its_manifest_is_put_right() {
    let root = common::tempdir("kb-ahead");
    let input = root.join("in");
    common::copy_corpus(&input, &TEXTS);
    let out = root.join("out");
    assert!(common::run_cli(&["--in-process"], &out, &[&input])
        .status
        .success());
    let fresh = kb_content(&out);
    assert!(fresh.iter().any(|l| l.starts_with("search kompetanse*")));
    let doc = "strategi-vaernesregionen-2009-txt";
    {
        let c = kb(&out);
        c.execute_batch(&format!(
            "PRAGMA foreign_keys = ON;
             DELETE FROM passage_rows WHERE kind = 'paragraph'
                 AND doc = (SELECT key FROM documents WHERE id = '{doc}');
             UPDATE documents SET sha256 = 'another version' WHERE id = '{doc}';
             INSERT INTO documents (id, path, status) VALUES ('gone-txt', 'gone.txt', 'ok');"
        ))
        .unwrap();
    }
    assert_ne!(kb_content(&out), fresh);
    // A journal beside the database is SQLite's, not a foreign file that
    // makes the folder someone else's (a killed run leaves one).
    std::fs::write(out.join("plansjekk.sqlite-journal"), b"").unwrap();
    let o = common::run_cli(&["--in-process"], &out, &[&input]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    sound(&kb(&out)).unwrap();
    assert_eq!(
        kb_content(&out),
        fresh,
        "the run put the knowledge base right"
    );
}

/// `kill -9` at any moment of runs that change documents: the database is
/// sound and holds every document wholly as one of its versions.
#[test]
fn the_knowledge_base_survives_kill_9() {
    let root = common::tempdir("kb-kill");
    let input = root.join("in");
    common::copy_corpus(&input, &TEXTS);
    for i in 0..6 {
        let p = input.join(format!("plan-{i}.txt"));
        std::fs::copy(common::corpus(TEXTS[0]), &p).unwrap();
    }
    let originals: Vec<(PathBuf, String)> = std::fs::read_dir(&input)
        .unwrap()
        .map(|e| {
            let p = e.unwrap().path();
            let t = std::fs::read_to_string(&p).unwrap();
            (p, t)
        })
        .collect();
    // Version v of a file ends with a paragraph naming v.
    let write_version = |v: u32| {
        for (p, t) in &originals {
            std::fs::write(p, format!("{t}\nVersjonsmerke v{v}x.\n")).unwrap();
        }
    };
    let out = root.join("out");
    write_version(0);
    assert!(common::run_cli(&["--in-process"], &out, &[&input])
        .status
        .success());
    let delays = common::delays(0x2545_F491_4F6C_DD1D, 900, 10);
    for (v, delay) in (1..=10u32).zip(delays) {
        write_version(v);
        common::kill_run_after(&["--jobs", "2", "--in-process"], &out, &input, delay);
        let c = kb(&out);
        sound(&c).unwrap_or_else(|e| panic!("after a kill at {delay:?}: {e}"));
        // Each document's passages carry one version only, and the same one
        // as its sha256 says.
        let mut st = c
            .prepare("SELECT d.path, d.sha256, group_concat(DISTINCT substr(p.body, instr(p.body, 'Versjonsmerke'), 18)) FROM documents d JOIN passages p ON p.document = d.id AND p.body LIKE '%Versjonsmerke%' GROUP BY d.id")
            .unwrap();
        let rows: Vec<(String, String, String)> = st
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(rows.len(), originals.len(), "every document is there");
        for (id, sha, marks) in rows {
            assert!(!marks.contains(','), "{id} mixes versions: {marks}");
            let v: u32 = marks
                .trim_start_matches("Versjonsmerke v")
                .split('x')
                .next()
                .unwrap()
                .parse()
                .unwrap();
            let (_, t) = originals
                .iter()
                .find(|(p, _)| p.to_string_lossy() == id)
                .unwrap_or_else(|| panic!("{id} is one of the inputs"));
            let want =
                plansjekk::record::sha256_hex(format!("{t}\nVersjonsmerke v{v}x.\n").as_bytes());
            assert_eq!(sha, want, "{id}: rows of v{v} under another version's hash");
        }
    }
    let o = common::run_cli(&["--in-process"], &out, &[&input]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    sound(&kb(&out)).unwrap();
}

/// What a reader of the corpus expects a search to find among goals and
/// measures: (query, [(document, goal or measure)]). Written from the
/// documents' goal and measure titles, not from plansjekk's output: every
/// goal or measure whose title holds a word the query begins (inflected and
/// compounded forms that start with it). Documents: P the Bygdevekst action
/// plan, H Innlandet's programme, S Værnesregionen's strategy, B the BOLYST
/// report.
const EXPECTED_HITS: &[(&str, &[(char, &str)])] = &[
    (
        "bolig",
        &[
            ('P', "g4"),
            ('P', "m14"),
            ('P', "m15"),
            ('H', "m10"),
            ('H', "m26"),
            ('B', "g6"),
        ],
    ),
    ("næring", &[('P', "m7"), ('S', "m7"), ('H', "m32")]),
    ("ungdom", &[('H', "m3"), ('H', "m12")]),
    (
        "kompetanse",
        &[
            ('P', "m4"),
            ('P', "m9"),
            ('P', "m13"),
            ('H', "g2"),
            ('H', "m4"),
            ('H', "m5"),
            ('H', "m20"),
            ('H', "m21"),
            ('H', "m22"),
            ('S', "m2"),
            ('S', "m15"),
            ('S', "m17"),
        ],
    ),
    ("tiltak", &[('P', "m13"), ('P', "m16")]),
    ("rekruttering", &[('P', "g1"), ('B', "g1"), ('S', "m5")]),
    ("samferdsel", &[('S', "m10")]),
    ("arbeidskraft", &[('P', "g1"), ('B', "g1")]),
    ("kultur", &[('H', "g4"), ('H', "m23")]),
    ("landbruk", &[('P', "g7"), ('S', "m7")]),
    ("helse", &[('S', "g3"), ('S', "g4"), ('H', "m21")]),
    ("innbygger", &[('P', "g5")]),
    ("tilflytter", &[('B', "g2"), ('B', "m4")]),
    ("omdømme", &[('P', "m1")]),
    (
        "samarbeid",
        &[
            ('P', "g6"),
            ('H', "m32"),
            ('S', "g2"),
            ('S', "m8"),
            ('B', "m5"),
        ],
    ),
    ("utdanning", &[('P', "g2"), ('H', "m1")]),
    ("frivillig", &[('H', "m14")]),
    (
        "inkluder",
        &[('H', "m2"), ('H', "m5"), ('H', "m7"), ('H', "m11")],
    ),
    ("folkehelse", &[('H', "m15")]),
    ("attraktiv", &[('P', "m8")]),
    ("trainee", &[('P', "m8"), ('H', "m18")]),
    ("møteplass", &[('P', "m5"), ('H', "g4"), ('H', "m27")]),
    ("mobilitet", &[('P', "g5")]),
    ("studie", &[('P', "g3"), ('P', "m10"), ('P', "m11")]),
    ("interkommunal", &[('B', "g5"), ('P', "m21"), ('H', "g13")]),
    ("kollektiv", &[('P', "m19")]),
    ("IKT", &[('S', "m13")]),
    ("felles kompetanse", &[('P', "m9")]),
];

/// Measures a reader also expects, whose titles hold the query's word inside
/// a compound ("Fjellandbruket"): the substring index finds them, the word
/// index does not (a measure's passage is its title alone, so nothing else
/// of it can match).
const INSIDE_COMPOUNDS: &[(&str, &[(char, &str)])] = &[
    ("tiltak", &[('P', "m14")]),
    ("kultur", &[('H', "m5"), ('H', "m13")]),
    ("landbruk", &[('H', "m19")]),
    ("helse", &[('H', "m15")]),
    ("samarbeid", &[('H', "m34")]),
    ("kompetanse", &[('H', "m23")]),
];

fn document_of(letter: char) -> &'static str {
    match letter {
        'P' => "handlingsplan-2025-bygdevekst-indre-namdal-txt",
        'H' => "handlingsprogram-regional-plan-inkluderende-innlandet-2022-txt",
        'S' => "strategi-vaernesregionen-2009-txt",
        'B' => "bolyst-arsrapport-2014-midt-troms-txt",
        _ => unreachable!(),
    }
}

/// The goals and measures `plansjekk search` finds in `out`, as (document, id).
fn goals_and_measures(out: &Path, query: &str) -> std::collections::BTreeSet<(String, String)> {
    let o = Command::new(env!("CARGO_BIN_EXE_plansjekk"))
        .arg("search")
        .args(query.split(' '))
        .args(["--limit", "10000", "--format", "json", "--out"])
        .arg(out)
        .output()
        .unwrap();
    assert!(o.status.code().is_some_and(|c| c <= 1), "{o:?}");
    let hits: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    hits.as_array()
        .unwrap()
        .iter()
        .filter(|h| h["kind"] == "goal" || h["kind"] == "measure")
        .map(|h| {
            (
                h["document"].as_str().unwrap().to_string(),
                h["ref"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// Search quality, the word index (the default) against the substring index
/// (`--substring-search`, the trigram index plansjekk had before): both
/// find what a reader expects of a word and the words it begins; only the
/// substring index finds a word at the end of a compound. `-- --nocapture`
/// prints, per query, what each finds and what only one of them finds.
#[test]
fn search_finds_the_goals_and_measures_a_reader_expects() {
    let root = common::tempdir("kb-quality");
    let input = root.join("in");
    common::copy_corpus(
        &input,
        &[
            "handlingsplan-2025-bygdevekst-indre-namdal.txt",
            "handlingsprogram-regional-plan-inkluderende-innlandet-2022.txt",
            "strategi-vaernesregionen-2009.txt",
            "bolyst-arsrapport-2014-midt-troms.txt",
        ],
    );
    let words = root.join("words");
    let substrings = root.join("substrings");
    assert!(common::run_cli(&["--in-process"], &words, &[&input])
        .status
        .success());
    assert!(common::run_cli(
        &["--in-process", "--substring-search"],
        &substrings,
        &[&input]
    )
    .status
    .success());
    let expected = |list: &[(char, &str)]| -> std::collections::BTreeSet<(String, String)> {
        list.iter()
            .map(|(d, id)| (document_of(*d).to_string(), id.to_string()))
            .collect()
    };
    let mut missed = Vec::new();
    let (mut total_words, mut total_substrings) = (0, 0);
    println!(
        "{:<18} {:>6} {:>11}  only substrings find",
        "query", "words", "substrings"
    );
    for (query, list) in EXPECTED_HITS {
        let by_words = goals_and_measures(&words, query);
        let by_substrings = goals_and_measures(&substrings, query);
        total_words += by_words.len();
        total_substrings += by_substrings.len();
        let only: Vec<String> = by_substrings
            .difference(&by_words)
            .map(|(d, id)| format!("{}:{id}", &d[..8]))
            .collect();
        println!(
            "{query:<18} {:>6} {:>11}  {}",
            by_words.len(),
            by_substrings.len(),
            only.join(" ")
        );
        for want in expected(list) {
            for (index, found) in [("words", &by_words), ("substrings", &by_substrings)] {
                if !found.contains(&want) {
                    missed.push(format!("{query} ({index}): {} {}", want.0, want.1));
                }
            }
        }
        assert!(
            by_words.is_subset(&by_substrings),
            "{query}: a word found at its start is found as a substring too"
        );
    }
    println!("goals and measures found: words {total_words}, substrings {total_substrings}");
    assert!(missed.is_empty(), "expected but not found: {missed:#?}");
    for (query, list) in INSIDE_COMPOUNDS {
        let by_words = goals_and_measures(&words, query);
        let by_substrings = goals_and_measures(&substrings, query);
        for want in expected(list) {
            assert!(by_substrings.contains(&want), "{query}: {want:?}");
            assert!(!by_words.contains(&want), "{query}: {want:?}");
        }
    }
}

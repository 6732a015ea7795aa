//! The row index of an output folder: how many bytes each document's rows
//! take in each gathered CSV table (`documents.csv` … `findings.csv`,
//! `comparison.csv`), in the run's order, and the budget years of its
//! comparison row. A re-run copies the rows of the documents that did not
//! change as byte ranges of the previous tables; with the index it finds
//! them without parsing those tables (a tenth of a one-changed re-run's
//! work at 10 000 documents).
//!
//! Kept in the output folder as [`FILE`], written with the tables; its
//! bytes follow from theirs, so two runs that write the same tables write
//! the same index. It is trusted only as a whole, and only when every table
//! has the size and CRC-32 it was written with (each is read once to check
//! it, much cheaper than parsing it) and the rows it lists add up to each
//! table's size; its own last line is the CRC-32 of the rest. Otherwise a
//! re-run parses the previous tables, as it would without it.

use std::io::Read;
use std::ops::Range;
use std::path::Path;

/// The index's file at the top of the output folder.
pub const FILE: &str = ".plansjekk-rows";

/// Its first line: a file of another format is not read.
const FORMAT: &str = "plansjekk-rows 1";

/// How many tables it indexes: the five row tables, then the comparison.
pub const TABLES: usize = 6;

/// The index of the comparison in [`table_names`].
pub const COMPARISON: usize = 5;

/// The tables' file names, in the index's order.
pub fn table_names() -> [String; TABLES] {
    let [documents, goals, measures, amounts, findings] =
        super::columns::ROW_TABLES.map(|s| s.file());
    [
        documents,
        goals,
        measures,
        amounts,
        findings,
        "comparison.csv".to_string(),
    ]
}

/// One document's rows, as the index has them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DocumentRows {
    pub id: String,
    /// The bytes of its rows in each table (0 where it has none).
    pub lengths: [u64; TABLES],
    /// The years its comparison row budgets (its filled `budget_<year>`
    /// cells): the comparison's header depends on every row's.
    pub years: Vec<i32>,
}

/// What a run wrote into the tables, for the index: each table's header
/// length and each document's rows.
#[derive(Debug, Default)]
pub struct RowIndex {
    pub headers: [u64; TABLES],
    pub documents: Vec<DocumentRows>,
}

/// One document's rows located in the previous tables.
#[derive(Clone, Debug)]
pub struct Located {
    /// Its rows in each table, as byte ranges.
    pub ranges: [Range<u64>; TABLES],
    pub years: Vec<i32>,
}

/// The previous run's tables as its row index locates their rows.
#[derive(Debug)]
pub struct Previous {
    /// Each table's header bytes.
    pub headers: [u64; TABLES],
    /// Each document's rows, by id.
    pub located: std::collections::HashMap<String, Located>,
}

impl RowIndex {
    /// Where each document's rows are.
    pub fn locate(&self) -> Previous {
        let mut at = self.headers;
        let located = self
            .documents
            .iter()
            .map(|d| {
                let ranges = std::array::from_fn(|t| {
                    let start = at[t];
                    at[t] += d.lengths[t];
                    start..at[t]
                });
                (
                    d.id.clone(),
                    Located {
                        ranges,
                        years: d.years.clone(),
                    },
                )
            })
            .collect();
        Previous {
            headers: self.headers,
            located,
        }
    }

    /// The index of the output folder `dir`, when it holds one that agrees
    /// with its tables (see the module's documentation); `None` otherwise.
    pub fn read(dir: &Path) -> Option<RowIndex> {
        let path = dir.join(FILE);
        if !std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_file()) {
            return None;
        }
        let text = std::fs::read_to_string(&path).ok()?;
        // Its last line is the CRC-32 of the lines before it: an index
        // damaged or edited since is not read.
        let (body, last) = text.strip_suffix('\n')?.rsplit_once('\n')?;
        let body = &text[..body.len() + 1];
        let crc = u32::from_str_radix(last.strip_prefix("end\t")?, 16).ok()?;
        if crc32fast::hash(body.as_bytes()) != crc {
            return None;
        }
        let mut lines = body.lines();
        if lines.next()? != FORMAT {
            return None;
        }
        let names = table_names();
        let mut sums = Vec::with_capacity(TABLES);
        let mut headers = [0; TABLES];
        for (t, name) in names.iter().enumerate() {
            let mut f = lines.next()?.split('\t');
            if f.next()? != name {
                return None;
            }
            let size: u64 = f.next()?.parse().ok()?;
            let crc = u32::from_str_radix(f.next()?, 16).ok()?;
            headers[t] = f.next()?.parse().ok()?;
            if f.next().is_some() {
                return None;
            }
            sums.push((size, crc));
        }
        let mut documents = Vec::new();
        let mut ids = std::collections::HashSet::new();
        for line in lines {
            documents.push(parse_document(line)?);
            if !ids.insert(documents.last()?.id.clone()) {
                return None;
            }
        }
        let index = RowIndex { headers, documents };
        for (t, name) in names.iter().enumerate() {
            let rows: u64 = index.documents.iter().map(|d| d.lengths[t]).sum();
            let (size, crc) = sums[t];
            if index.headers[t].checked_add(rows)? != size
                || fingerprint(&dir.join(name)).ok()? != (size, crc)
            {
                return None;
            }
        }
        Some(index)
    }

    /// Writes the index of the tables in `dir` (written already, and
    /// closed) into `dir`. Tables whose sizes do not add up to what it
    /// lists are not indexed at all: no file is written, and the next run
    /// parses them.
    pub fn write(&self, dir: &Path) -> std::io::Result<()> {
        let names = table_names();
        let mut text = format!("{FORMAT}\n");
        for (t, name) in names.iter().enumerate() {
            let (size, crc) = fingerprint(&dir.join(name))?;
            let rows: u64 = self.documents.iter().map(|d| d.lengths[t]).sum();
            if self.headers[t] + rows != size {
                return Ok(());
            }
            text.push_str(&format!("{name}\t{size}\t{crc:08x}\t{}\n", self.headers[t]));
        }
        for d in &self.documents {
            let lengths: Vec<String> = d.lengths.iter().map(u64::to_string).collect();
            let years: Vec<String> = d.years.iter().map(i32::to_string).collect();
            text.push_str(&format!(
                "{}\t{}\t{}\n",
                d.id,
                lengths.join(" "),
                years.join(",")
            ));
        }
        let end = format!("end\t{:08x}\n", crc32fast::hash(text.as_bytes()));
        text.push_str(&end);
        std::fs::write(dir.join(FILE), text)
    }
}

/// One document's line: `id`, its lengths, its years.
fn parse_document(line: &str) -> Option<DocumentRows> {
    let mut f = line.split('\t');
    let id = f.next()?;
    if !crate::record::valid_id(id) {
        return None;
    }
    let mut lengths = [0; TABLES];
    let mut numbers = f.next()?.split(' ');
    for l in &mut lengths {
        *l = numbers.next()?.parse().ok()?;
    }
    if numbers.next().is_some() {
        return None;
    }
    let years = match f.next()? {
        "" => Vec::new(),
        y => y
            .split(',')
            .map(|y| y.parse().ok())
            .collect::<Option<_>>()?,
    };
    if f.next().is_some() {
        return None;
    }
    Some(DocumentRows {
        id: id.to_string(),
        lengths,
        years,
    })
}

/// A regular file's size and CRC-32, read whole.
fn fingerprint(path: &Path) -> std::io::Result<(u64, u32)> {
    if !std::fs::symlink_metadata(path)?.is_file() {
        return Err(std::io::Error::other("not a regular file"));
    }
    let mut f = std::fs::File::open(path)?;
    let mut h = crc32fast::Hasher::new();
    let mut buf = vec![0; 1 << 20];
    let mut size = 0;
    loop {
        let n = f.read(&mut buf)?;
        if n == 0 {
            break;
        }
        h.update(&buf[..n]);
        size += n as u64;
    }
    Ok((size, h.finalize()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folder(name: &str) -> std::path::PathBuf {
        let dir =
            std::env::temp_dir().join(format!("plansjekk-rows-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    /// Tables of two documents, `a` with a row in each, `b` in the first.
    fn tables(dir: &Path) -> RowIndex {
        for (t, name) in table_names().iter().enumerate() {
            let b = if t == 0 { "b,2\n" } else { "" };
            std::fs::write(dir.join(name), format!("h\na,1\n{b}")).unwrap();
        }
        RowIndex {
            headers: [2; TABLES],
            documents: vec![
                DocumentRows {
                    id: "a".into(),
                    lengths: [4; TABLES],
                    years: vec![2025, 2026],
                },
                DocumentRows {
                    id: "b".into(),
                    lengths: [4, 0, 0, 0, 0, 0],
                    years: Vec::new(),
                },
            ],
        }
    }

    #[test]
    fn an_index_that_agrees_with_its_tables_is_read_back() {
        let dir = folder("agrees");
        let index = tables(&dir);
        index.write(&dir).unwrap();
        let read = RowIndex::read(&dir).expect("it agrees");
        assert_eq!(read.documents, index.documents);
        let at = read.locate().located;
        assert_eq!(at["b"].ranges[0], 6..10);
        assert_eq!(at["b"].ranges[1], 6..6);
        assert_eq!(at["a"].years, vec![2025, 2026]);
    }

    #[test]
    fn a_table_changed_since_is_not_trusted_even_at_its_size() {
        let dir = folder("changed");
        tables(&dir).write(&dir).unwrap();
        std::fs::write(dir.join("goals.csv"), "h\nz,1\n").unwrap();
        assert!(RowIndex::read(&dir).is_none());
    }

    #[test]
    fn an_index_edited_since_is_not_read_even_where_it_adds_up() {
        let dir = folder("edited");
        let mut index = tables(&dir);
        index.write(&dir).unwrap();
        // The same sums, other documents' rows: the tables agree with it,
        // its own check does not.
        let text = std::fs::read_to_string(dir.join(FILE)).unwrap();
        let edited = text.replace("a\t4 4", "a\t0 4").replace("b\t4 0", "b\t8 0");
        assert_ne!(edited, text);
        std::fs::write(dir.join(FILE), edited).unwrap();
        assert!(RowIndex::read(&dir).is_none());
        index.documents[0].years.clear();
        index.write(&dir).unwrap();
        assert!(RowIndex::read(&dir).is_some(), "written again, it is read");
    }

    #[test]
    fn rows_that_do_not_add_up_to_the_tables_are_not_indexed() {
        let dir = folder("short");
        let mut index = tables(&dir);
        index.documents.pop();
        index.write(&dir).unwrap();
        assert!(!dir.join(FILE).exists());
        assert!(RowIndex::read(&dir).is_none());
    }
}

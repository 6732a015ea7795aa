//! What the file system says of each input file (device, inode, size, the
//! times of its last change), kept beside the sha256 it was read with, so
//! that a re-run need not hash a file whose stamp has not changed — git's
//! index does the same for its working tree.
//!
//! The sha256 stays the document's identity (the manifest and the records
//! give it); a stamp only saves reading the bytes again. A stamp is trusted
//! only when the file's last change was [`SETTLED`] before it was read: a
//! file written again within the same tick of its file system's clock can
//! keep its times and size (git's "racy clean" files), so a stamp that
//! recent is not recorded and the file is hashed on the next run.
//!
//! The stamps live in the output folder as [`FILE`], one JSON object a
//! line. They are a cache, not an output: they name the machine's inodes and
//! times, so two runs on copies of the same inputs differ there and only
//! there, and a missing or unreadable file costs a run its hashing, nothing
//! else.

use std::collections::HashMap;
use std::fs::Metadata;
use std::io::{BufRead, Write};
use std::path::Path;
use std::time::{Duration, SystemTime};

use serde::{Deserialize, Serialize};

/// The stamps' file at the top of the output folder.
pub const FILE: &str = ".plansjekk-stamps";

/// How long before its reading a file must have last changed for its stamp
/// to be trusted: above the coarsest time step of common file systems
/// (FAT's 2 s), far above Linux's (a few milliseconds).
const SETTLED: Duration = Duration::from_secs(3);

/// A file's identity and last change, as `stat` gives them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stamp {
    dev: u64,
    ino: u64,
    size: u64,
    /// Modification and status-change times, in nanoseconds since the epoch:
    /// the status change cannot be set back by a program, so a file written
    /// and given its old modification time again still shows.
    mtime: i128,
    ctime: i128,
}

impl Stamp {
    /// The stamp of a file, where the platform gives one.
    #[cfg(unix)]
    pub fn of(meta: &Metadata) -> Option<Stamp> {
        use std::os::unix::fs::MetadataExt;
        let nanos = |s: i64, ns: i64| i128::from(s) * 1_000_000_000 + i128::from(ns);
        Some(Stamp {
            dev: meta.dev(),
            ino: meta.ino(),
            size: meta.size(),
            mtime: nanos(meta.mtime(), meta.mtime_nsec()),
            ctime: nanos(meta.ctime(), meta.ctime_nsec()),
        })
    }

    /// Elsewhere no stamp: every file is hashed.
    #[cfg(not(unix))]
    pub fn of(_meta: &Metadata) -> Option<Stamp> {
        None
    }

    /// The file's stamp now.
    pub fn of_path(path: &Path) -> Option<Stamp> {
        std::fs::metadata(path).ok().as_ref().and_then(Stamp::of)
    }

    /// Whether the file had last changed [`SETTLED`] before `read_at`.
    fn settled_at(&self, read_at: SystemTime) -> bool {
        let Ok(at) = read_at.duration_since(SystemTime::UNIX_EPOCH) else {
            return false;
        };
        let last = self.mtime.max(self.ctime);
        at.as_nanos() as i128 - last >= SETTLED.as_nanos() as i128
    }
}

/// A file's stamp taken before it is read: [`Before::settled`] with the
/// stamp after reading says whether the reading can be trusted to the stamp.
pub struct Before {
    stamp: Option<Stamp>,
    at: SystemTime,
}

impl Before {
    /// Stamps `path` now, before it is read.
    pub fn take(path: &Path) -> Before {
        Before {
            stamp: Stamp::of_path(path),
            at: SystemTime::now(),
        }
    }

    /// The stamp to record for what was read: the file's, when it did not
    /// change during the reading and had settled before it.
    pub fn settled(&self, after: Option<Stamp>) -> Option<Stamp> {
        let stamp = self.stamp?;
        (after == Some(stamp) && stamp.settled_at(self.at)).then_some(stamp)
    }

    /// The stamp taken.
    pub fn stamp(&self) -> Option<Stamp> {
        self.stamp
    }
}

/// One line of [`FILE`].
#[derive(Serialize, Deserialize)]
struct Line {
    id: String,
    sha256: String,
    stamp: Stamp,
}

/// The stamps of a run's inputs, by document id.
#[derive(Default)]
pub struct Stamps {
    by_id: HashMap<String, (String, Stamp)>,
}

impl Stamps {
    /// The stamps an output folder keeps; none when it has no readable file
    /// (a line that does not parse is skipped: its file is hashed).
    pub fn read(dir: &Path) -> Stamps {
        let path = dir.join(FILE);
        let regular = std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_file());
        let Some(file) = regular.then(|| std::fs::File::open(&path).ok()).flatten() else {
            return Stamps::default();
        };
        let by_id = std::io::BufReader::new(file)
            .lines()
            .map_while(Result::ok)
            .filter_map(|l| serde_json::from_str::<Line>(&l).ok())
            .map(|l| (l.id, (l.sha256, l.stamp)))
            .collect();
        Stamps { by_id }
    }

    /// The sha256 a document's file had when it last had this stamp.
    pub fn sha256(&self, id: &str, stamp: Option<Stamp>) -> Option<&str> {
        let (sha, known) = self.by_id.get(id)?;
        (Some(*known) == stamp).then_some(sha.as_str())
    }

    /// Puts the stamps into the output folder `out` itself, when a run left
    /// it as it was: written in the staging folder `stage` and renamed over
    /// `out`'s file in one step, and only where `out` has one already (its
    /// marker lists it; a file it does not list would make the folder
    /// foreign to the next run). Unchanged stamps are not written.
    pub fn replace<'a>(
        out: &Path,
        stage: &Path,
        stamps: impl IntoIterator<Item = (&'a str, &'a str, Stamp)>,
    ) -> std::io::Result<()> {
        let current = out.join(FILE);
        if !std::fs::symlink_metadata(&current).is_ok_and(|m| m.is_file()) {
            return Ok(());
        }
        Stamps::write(stage, stamps)?;
        let new = stage.join(FILE);
        if std::fs::read(&new)? == std::fs::read(&current)? {
            return Ok(());
        }
        std::fs::rename(&new, &current)
    }

    /// Writes the stamps into `dir` (a fresh file: the staging folder may
    /// hold a link to the previous run's).
    pub fn write<'a>(
        dir: &Path,
        stamps: impl IntoIterator<Item = (&'a str, &'a str, Stamp)>,
    ) -> std::io::Result<()> {
        let mut lines: Vec<String> = stamps
            .into_iter()
            .map(|(id, sha256, stamp)| {
                serde_json::to_string(&Line {
                    id: id.to_string(),
                    sha256: sha256.to_string(),
                    stamp,
                })
                .map_err(std::io::Error::other)
            })
            .collect::<Result<_, _>>()?;
        lines.sort();
        let path = dir.join(FILE);
        let _ = std::fs::remove_file(&path);
        let mut f = std::io::BufWriter::new(std::fs::File::create(&path)?);
        for l in &lines {
            writeln!(f, "{l}")?;
        }
        f.into_inner().map_err(|e| e.into_error())?.sync_all()
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    fn file(name: &str, text: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("plansjekk-stamps-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let p = dir.join(name);
        std::fs::write(&p, text).unwrap();
        p
    }

    #[test]
    fn a_file_just_written_is_not_settled() {
        let p = file("fresh.txt", "x");
        let before = Before::take(&p);
        assert!(before.stamp().is_some());
        assert_eq!(before.settled(Stamp::of_path(&p)), None);
    }

    #[test]
    fn a_settled_file_keeps_its_stamp_and_a_write_changes_it() {
        let p = file("old.txt", "same size");
        let mut before = Before::take(&p);
        before.at += SETTLED * 2;
        let stamp = before.settled(Stamp::of_path(&p)).expect("settled");
        std::fs::write(&p, "same SIZE").unwrap();
        assert_ne!(Stamp::of_path(&p), Some(stamp), "a write moves ctime");
        assert_eq!(before.settled(Stamp::of_path(&p)), None);
    }

    #[test]
    fn stamps_round_trip_through_their_file_by_id_and_stamp() {
        let p = file("kept.txt", "kept");
        let dir = p.parent().unwrap().join("out");
        std::fs::create_dir_all(&dir).unwrap();
        let stamp = Stamp::of_path(&p).unwrap();
        Stamps::write(&dir, [("doc-a", "ab12", stamp)]).unwrap();
        let read = Stamps::read(&dir);
        assert_eq!(read.sha256("doc-a", Some(stamp)), Some("ab12"));
        let other = Stamp { size: 9, ..stamp };
        assert_eq!(read.sha256("doc-a", Some(other)), None);
        assert_eq!(read.sha256("doc-b", Some(stamp)), None);
        std::fs::write(dir.join(FILE), "not json\n").unwrap();
        assert_eq!(Stamps::read(&dir).sha256("doc-a", Some(stamp)), None);
    }
}

//! The output folder of a run: written whole in a staging folder beside it and
//! made current in one step at the end, so a reader (or a killed run) only ever
//! sees the old outputs or the new ones, never a mix. A lock file beside it
//! keeps a second run off the same folder.
//!
//! A folder is plansjekk's only when plansjekk says so: every output folder
//! carries a marker file, [`MARKER`], with a format version and the list of
//! every path the run wrote. A run takes over an existing folder only when it
//! is empty, or carries the marker and holds exactly the paths it lists (no
//! more, and none replaced by a link); anything else is refused before a
//! byte is touched. When the new outputs are in place, the old ones are
//! removed path by path from that list, so a file plansjekk did not write is
//! never deleted, and links are never followed.
//!
//! A re-run that keeps most documents does not link their files into
//! staging one by one: [`OutputFolder::commit_carrying`] carries the
//! previous folders of per-document files (`documents/`, `report/`,
//! `tables/`) over whole, by renaming them, and a journal beside the output
//! folder lets the next run finish such a commit if this one is killed
//! after the swap (before it, the old outputs stay whole).

use std::collections::BTreeSet;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

/// The marker file at the top of every output folder.
pub const MARKER: &str = ".plansjekk-output";

/// The marker's format version: a marker of another version is not read.
const MARKER_FORMAT: u32 = 1;

/// The marker of a staging folder, written first: a staging folder left by a
/// killed run is removed only when it carries it.
const STAGING_MARKER: &str = ".plansjekk-staging";

/// The files SQLite keeps beside the knowledge base while it is written in
/// place (its rollback journal; a write-ahead log and its index if someone
/// made it write-ahead): a run killed mid-transaction leaves the journal,
/// which the next opening of the database rolls back. They are the
/// database's, not foreign files, and are never listed or removed (removing
/// a journal would corrupt the database).
const KB_JOURNAL: &str = "plansjekk.sqlite-journal";
const KB_WAL: &str = "plansjekk.sqlite-wal";
const KB_SHM: &str = "plansjekk.sqlite-shm";

/// The top-level entries of an output folder that its marker does not
/// list: the marker itself and the knowledge base's journals.
const NOT_LISTED: [&str; 4] = [MARKER, KB_JOURNAL, KB_WAL, KB_SHM];

/// How many foreign paths an error names before "…".
const NAMED: usize = 5;

/// Why the output folder cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum FolderError {
    #[error("another plansjekk run (pid {pid}) is writing to {out}; wait for it, or remove {lock} if that process is gone")]
    Locked {
        pid: u32,
        out: PathBuf,
        lock: PathBuf,
    },
    #[error("{lock} is in the way of plansjekk's lock file for {out} and is not one: nothing was changed; move it, or choose another --out folder")]
    ForeignLock { out: PathBuf, lock: PathBuf },
    #[error("{0} is a file, not a folder: plansjekk writes a folder of outputs; nothing was changed, choose a new or empty folder for --out")]
    NotAFolder(PathBuf),
    #[error("{out} is not a plansjekk output folder ({why}); nothing was changed: choose a new or empty folder for --out")]
    Foreign { out: PathBuf, why: String },
    #[error("{out} holds {} that plansjekk did not write: {}; nothing was changed: move {} elsewhere, or choose another --out folder", plural(.paths.len()), named(.paths), if .paths.len() == 1 { "it" } else { "them" })]
    Unlisted { out: PathBuf, paths: Vec<String> },
    #[error("{out} changed while plansjekk was running ({why}), and the run relied on what it held: nothing was changed; run plansjekk again")]
    Changed { out: PathBuf, why: String },
    #[error("{0} is in the way of plansjekk's commit journal and is not one: nothing was changed; move it, or choose another --out folder")]
    ForeignJournal(PathBuf),
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

fn plural(n: usize) -> String {
    if n == 1 {
        "1 path".into()
    } else {
        format!("{n} paths")
    }
}

fn named(paths: &[String]) -> String {
    let mut s = paths
        .iter()
        .take(NAMED)
        .map(|p| format!("«{}»", p.escape_debug()))
        .collect::<Vec<_>>()
        .join(", ");
    if paths.len() > NAMED {
        s.push_str(", …");
    }
    s
}

/// What the marker file says: its format and every path the run wrote,
/// relative to the folder, `/`-separated, folders with a trailing `/`.
#[derive(Debug, Default, Serialize, Deserialize)]
struct Marker {
    plansjekk_output: u32,
    paths: BTreeSet<String>,
}

/// The previous outputs' files, as a run asks whether one is there (the
/// record or the report page of an unchanged document): looked up in the
/// marker's list when the folder held every path it lists (see
/// [`OutputFolder::present`]), else by an `lstat` each.
#[derive(Clone, Debug, Default)]
pub struct PreviousFiles {
    dir: PathBuf,
    /// The marker's list, when the folder held all of it.
    listed: Option<Arc<BTreeSet<String>>>,
}

impl PreviousFiles {
    /// The files of the folder `dir`, asked after by an `lstat` each.
    pub fn at(dir: &Path) -> PreviousFiles {
        PreviousFiles {
            dir: dir.to_path_buf(),
            listed: None,
        }
    }

    /// Whether the folder holds the regular file `rel` (relative,
    /// `/`-separated).
    pub fn holds_file(&self, rel: &str) -> bool {
        match &self.listed {
            Some(paths) => paths.contains(rel),
            None => fs::symlink_metadata(self.dir.join(rel)).is_ok_and(|m| m.is_file()),
        }
    }

    /// Whether the folder held every path its marker lists when the run
    /// claimed it: it then answers from the list (no `lstat`).
    pub fn whole(&self) -> bool {
        self.listed.is_some()
    }
}

/// A run's claim on its output folder.
pub struct OutputFolder {
    out: PathBuf,
    staging: PathBuf,
    lock: PathBuf,
    /// The paths of the outputs the folder holds now, from its marker (empty
    /// for a new or empty folder), as read under the lock: the check before
    /// the swap parses the marker again only if it changed.
    previous: Listed,
    /// The clock of the output folder's file system, read from the lock
    /// file just written: folders settle by it.
    clock: Option<FsClock>,
    /// Set when [`OutputFolder::present`] has lent the marker's list: the
    /// run then relies on the folder holding every path it lists, which
    /// the check before the swap makes sure of.
    lent: std::cell::Cell<bool>,
    /// Set once the staging folder has been swapped in: what is left at its
    /// path is the old outputs, which only `commit` may remove.
    committed: bool,
}

/// `<parent>/.<name>.<suffix>`: beside the output folder, on the same file
/// system, so that renames are atomic.
fn beside(out: &Path, suffix: &str) -> PathBuf {
    let name = out
        .file_name()
        .map_or("out".into(), |n| n.to_string_lossy().into_owned());
    let parent = out.parent().filter(|p| !p.as_os_str().is_empty());
    parent
        .unwrap_or(Path::new("."))
        .join(format!(".{name}.{suffix}"))
}

fn alive(pid: u32) -> bool {
    #[cfg(unix)]
    {
        // SAFETY: signal 0 only checks that the process exists.
        unsafe { libc::kill(pid as libc::pid_t, 0) == 0 }
    }
    #[cfg(not(unix))]
    {
        let _ = pid;
        true
    }
}

/// Every path under `dir`, relative and `/`-separated, folders with a
/// trailing `/`; links are listed as what they are and never followed.
/// `skip` names top-level entries left out (the markers).
fn list_tree(dir: &Path, skip: &[&str]) -> std::io::Result<BTreeSet<String>> {
    let mut paths = BTreeSet::new();
    let mut stack = vec![(dir.to_path_buf(), String::new())];
    while let Some((folder, prefix)) = stack.pop() {
        for e in fs::read_dir(&folder)? {
            let e = e?;
            let name = e.file_name().to_string_lossy().into_owned();
            if prefix.is_empty() && skip.contains(&name.as_str()) {
                continue;
            }
            let rel = format!("{prefix}{name}");
            let kind = e.file_type()?;
            if kind.is_dir() {
                paths.insert(format!("{rel}/"));
                stack.push((e.path(), format!("{rel}/")));
            } else if kind.is_file() {
                paths.insert(rel);
            } else {
                // A link, a pipe, a socket: never plansjekk's; listed with a
                // mark no output name carries, so it never matches the list.
                paths.insert(format!("{rel}\0link"));
            }
        }
    }
    Ok(paths)
}

/// A folder's marker as [`claim`] read it: its bytes and the paths it lists,
/// and the stamps of the folders the check walked, when they can vouch for
/// what it found (see [`FolderStamp`]).
#[derive(Default)]
struct Listed {
    bytes: Vec<u8>,
    paths: Arc<BTreeSet<String>>,
    walked: Walked,
    /// Whether the check found every path the marker lists.
    whole: bool,
}

/// How long before it was listed a folder must have last changed for its
/// stamp to vouch for the listing later (as the inputs' stamps, see
/// `batch::stamps`): above the coarsest time step of common file systems.
const SETTLED: std::time::Duration = std::time::Duration::from_secs(3);

/// A folder's identity and last change, as `lstat` gives them. Adding,
/// removing, renaming or replacing an entry of a folder changes its
/// modification and status-change times (the latter cannot be set back
/// by a program): a folder whose stamp is the same as when it was listed,
/// and that had settled then (its last change [`SETTLED`] before, by the
/// file system's clock, see [`FsClock`], so that no change can share the
/// tick of its time), holds the same entries. A check of the folder
/// (before the lock, under it, before the swap) then walks it once and
/// only stats its folders after: a folder of 10 000 documents holds some
/// 50 000 paths.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct FolderStamp {
    dev: u64,
    ino: u64,
    mtime: i128,
    ctime: i128,
}

impl FolderStamp {
    /// The stamp of the folder at `p` (not following a link).
    #[cfg(unix)]
    fn of(p: &Path) -> Option<FolderStamp> {
        use std::os::unix::fs::MetadataExt;
        let m = fs::symlink_metadata(p).ok().filter(|m| m.is_dir())?;
        let nanos = |s: i64, ns: i64| i128::from(s) * 1_000_000_000 + i128::from(ns);
        let stamp = FolderStamp {
            dev: m.dev(),
            ino: m.ino(),
            mtime: nanos(m.mtime(), m.mtime_nsec()),
            ctime: nanos(m.ctime(), m.ctime_nsec()),
        };
        // A mount whose folders' times never change, for the tests.
        #[cfg(test)]
        if FROZEN_TIMES.with(|f| f.get()) {
            return Some(FolderStamp {
                mtime: 0,
                ctime: 0,
                ..stamp
            });
        }
        Some(stamp)
    }

    /// Elsewhere none: every check walks.
    #[cfg(not(unix))]
    fn of(_p: &Path) -> Option<FolderStamp> {
        None
    }

    /// Whether it had last changed [`SETTLED`] before `at`, a time of the
    /// file system's clock.
    fn settled_at(&self, at: SystemTime) -> bool {
        let Ok(at) = at.duration_since(UNIX_EPOCH) else {
            return false;
        };
        at.as_nanos() as i128 - self.mtime.max(self.ctime) >= SETTLED.as_nanos() as i128
    }
}

/// The clock of the file system that holds the output folder, as far as a
/// run can read it. A folder's times are written by that clock, and a
/// network share's may lag the machine's: compared with the machine's
/// clock, a folder changed a moment ago would look settled. Read from the
/// modification time of a file the run has just written beside the folder
/// (its lock), never later than the machine's clock then, and carried
/// forward (or back) by the machine's monotonic clock: at every moment a
/// time the file system's clock had reached.
#[derive(Clone, Copy, Debug)]
struct FsClock {
    /// The file system it is the clock of: a folder on another (a mount
    /// inside the output folder) never settles by it.
    dev: u64,
    /// Its time (at the latest) at `at`.
    base: SystemTime,
    at: Instant,
}

impl FsClock {
    /// The clock of the file system that holds `written`, a file the run
    /// has just written.
    #[cfg(unix)]
    fn after_writing(written: &Path) -> Option<FsClock> {
        use std::os::unix::fs::MetadataExt;
        // Taken after the write: its modification time is at or before.
        let (at, now) = (Instant::now(), SystemTime::now());
        let m = fs::symlink_metadata(written).ok()?;
        Some(FsClock {
            dev: m.dev(),
            base: m.modified().ok()?.min(now),
            at,
        })
    }

    /// Elsewhere folders have no stamps.
    #[cfg(not(unix))]
    fn after_writing(_written: &Path) -> Option<FsClock> {
        None
    }

    /// Its time (at the latest) at the moment `i`.
    fn time_at(&self, i: Instant) -> SystemTime {
        match i.checked_duration_since(self.at) {
            Some(later) => self.base + later,
            None => self.base.checked_sub(self.at - i).unwrap_or(UNIX_EPOCH),
        }
    }

    /// Whether the listing of `walked` vouches for the folder's entries
    /// for as long as its stamp stays the same: it had settled when listed.
    fn vouches(&self, walked: &WalkedFolder) -> bool {
        walked.stamp.dev == self.dev && walked.stamp.settled_at(self.time_at(walked.listed_at))
    }
}

/// The outputs an existing folder holds, when it is plansjekk's: empty for
/// an empty folder, the marker's list when the folder holds exactly that
/// (what it lists may be missing, nothing else may be there). `known` is
/// the marker as an earlier claim read it: when its bytes are the same it
/// is not parsed again, and when its folders' stamps vouch for that
/// claim's walk (see [`FolderStamp`]), the folder is not walked again.
fn claim(
    out: &Path,
    known: Option<Listed>,
    clock: Option<&FsClock>,
) -> Result<Listed, FolderError> {
    let Some(marker) = read_marker(out)? else {
        let found = list_tree(out, &NOT_LISTED)?;
        if found.is_empty() {
            return Ok(Listed::default());
        }
        let why = if found.contains("manifest.json") {
            format!("it has a manifest.json but no {MARKER}: made by another tool, or by a plansjekk older than the marker")
        } else {
            format!("it holds files and no {MARKER} marker")
        };
        return Err(FolderError::Foreign {
            out: out.to_path_buf(),
            why,
        });
    };
    let mut listed = match known {
        Some(k) if k.bytes == marker => k,
        _ => {
            let m: Marker = serde_json::from_slice(&marker)
                .ok()
                .filter(|m: &Marker| m.plansjekk_output == MARKER_FORMAT)
                .ok_or_else(|| FolderError::Foreign {
                    out: out.to_path_buf(),
                    why: format!(
                        "its {MARKER} is not one this plansjekk writes (format {MARKER_FORMAT})"
                    ),
                })?;
            Listed {
                bytes: marker,
                paths: Arc::new(m.paths),
                walked: Walked::new(),
                whole: false,
            }
        }
    };
    let walk = holds_only(out, &listed.paths, Some(&listed.walked), clock)?;
    listed.whole = walk.found == listed.paths.len();
    listed.walked = walk.walked;
    Ok(listed)
}

/// The marker's bytes, when `out` has one (a regular file).
fn read_marker(out: &Path) -> Result<Option<Vec<u8>>, FolderError> {
    match fs::symlink_metadata(out.join(MARKER)) {
        Ok(m) if m.is_file() => Ok(Some(fs::read(out.join(MARKER))?)),
        Ok(_) => Ok(None),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// Checks that `out` holds only what `listed` lists, listing again only
/// the folders that changed since an earlier check against the same list
/// (`walked`, see [`unlisted`]). Returns the walk, with no unlisted path.
fn holds_only(
    out: &Path,
    listed: &BTreeSet<String>,
    walked: Option<&Walked>,
    clock: Option<&FsClock>,
) -> Result<Walk, FolderError> {
    let walk = unlisted(out, listed, &NOT_LISTED, walked, clock)?;
    if !walk.unlisted.is_empty() {
        return Err(FolderError::Unlisted {
            out: out.to_path_buf(),
            paths: walk.unlisted,
        });
    }
    Ok(walk)
}

/// What a walk of an output folder found of each folder in it, by path. A
/// folder that had settled when listed (see [`FolderStamp`]) and still
/// has the same stamp is not listed again.
type Walked = std::collections::HashMap<PathBuf, WalkedFolder>;

/// A folder as a walk listed it.
#[derive(Clone, Debug)]
struct WalkedFolder {
    /// Its stamp when listed.
    stamp: FolderStamp,
    /// When it was listed: whether it had settled then is asked of the
    /// file system's clock, which a walk before the lock cannot read yet
    /// (see [`FsClock::vouches`]).
    listed_at: Instant,
    /// Its folders: where each is, and its path as the list names it.
    folders: Vec<(PathBuf, String)>,
    /// How many of the paths the list names it holds.
    listed_here: usize,
}

/// What a walk of an output folder against a list found.
struct Walk {
    /// The paths the list does not name, sorted.
    unlisted: Vec<String>,
    /// What the walk vouches for, for the next (see [`Walked`]).
    walked: Walked,
    /// How many of the listed paths it found.
    found: usize,
}

/// The paths under `dir` that `listed` does not list (as [`list_tree`]
/// names them; links never match), sorted; `skip` names top-level entries
/// left out. One walk, a path built for each entry in one buffer; a folder
/// that an earlier walk against the same list (`before`) found settled and
/// that has the same stamp is not listed again (none of its entries was
/// unlisted then, or the check would have stopped the run), only its
/// folders visited. Returns what this walk vouches for, for the next, and
/// how many of the listed paths it found.
fn unlisted(
    dir: &Path,
    listed: &BTreeSet<String>,
    skip: &[&str],
    before: Option<&Walked>,
    clock: Option<&FsClock>,
) -> std::io::Result<Walk> {
    let mut out = Vec::new();
    let mut walked = Walked::new();
    let mut found = 0;
    let mut stack = vec![(dir.to_path_buf(), String::new())];
    let mut rel = String::new();
    while let Some((folder, prefix)) = stack.pop() {
        let (stamp, at) = (FolderStamp::of(&folder), Instant::now());
        if let Some(known) = before.and_then(|b| b.get(&folder)) {
            if stamp.as_ref() == Some(&known.stamp) && clock.is_some_and(|c| c.vouches(known)) {
                stack.extend(known.folders.iter().cloned());
                found += known.listed_here;
                walked.insert(folder, known.clone());
                continue;
            }
        }
        let mut folders = Vec::new();
        let mut listed_here = 0;
        for e in fs::read_dir(&folder)? {
            let e = e?;
            let name = e.file_name();
            let name = name.to_string_lossy();
            if prefix.is_empty() && skip.contains(&name.as_ref()) {
                continue;
            }
            rel.clear();
            rel.push_str(&prefix);
            rel.push_str(&name);
            let kind = e.file_type()?;
            if kind.is_dir() {
                rel.push('/');
                if listed.contains(rel.as_str()) {
                    listed_here += 1;
                } else {
                    out.push(rel.clone());
                }
                folders.push((e.path(), rel.clone()));
            } else if !kind.is_file() || !listed.contains(rel.as_str()) {
                // A link, a pipe, a socket: never plansjekk's.
                out.push(rel.clone());
            } else {
                listed_here += 1;
            }
        }
        found += listed_here;
        stack.extend(folders.iter().cloned());
        // Unchanged while listed; whether it had settled is asked when the
        // listing is used.
        if let Some(s) = stamp.filter(|_| FolderStamp::of(&folder) == stamp) {
            let here = WalkedFolder {
                stamp: s,
                listed_at: at,
                folders,
                listed_here,
            };
            walked.insert(folder, here);
        }
    }
    out.sort();
    Ok(Walk {
        unlisted: out,
        walked,
        found,
    })
}

impl OutputFolder {
    /// Takes the lock on `out` and prepares an empty staging folder. A
    /// regular file, a folder of someone else's files, or a plansjekk folder
    /// with files added is refused before anything is created or removed.
    pub fn open(out: &Path) -> Result<OutputFolder, FolderError> {
        // A link given as --out is the folder it names: the outputs are
        // swapped there, and the link stays.
        let out = match fs::symlink_metadata(out) {
            Ok(m) if m.file_type().is_symlink() => match fs::canonicalize(out) {
                Ok(target) => target,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                    return Err(FolderError::NotAFolder(out.to_path_buf()))
                }
                Err(e) => return Err(e.into()),
            },
            _ => out.to_path_buf(),
        };
        let mut first = None;
        match fs::symlink_metadata(&out) {
            Ok(m) if !m.is_dir() => return Err(FolderError::NotAFolder(out)),
            Ok(_) => {
                // No clock yet: nothing it lists vouches before the lock.
                first = Some(claim(&out, None, None)?);
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(e.into()),
        }
        if let Some(parent) = out.parent().filter(|p| !p.as_os_str().is_empty()) {
            fs::create_dir_all(parent)?;
        }
        let lock = take_lock(&out)?;
        let clock = FsClock::after_writing(&lock);
        if let Err(e) = recover(&out) {
            let _ = fs::remove_file(&lock);
            return Err(e);
        }
        let mut folder = OutputFolder {
            staging: beside(&out, &format!("staging-{}", std::process::id())),
            out,
            clock,
            lent: std::cell::Cell::new(false),
            lock,
            previous: Listed::default(),
            committed: false,
        };
        // Again under the lock: what another run may have changed since.
        if folder.out.is_dir() {
            folder.previous = claim(&folder.out, first, folder.clock.as_ref())?;
        }
        folder.remove_stale_staging();
        fs::create_dir(&folder.staging)?;
        fs::write(folder.staging.join(STAGING_MARKER), b"")?;
        fs::create_dir(folder.staging.join("documents"))?;
        Ok(folder)
    }

    /// Staging folders of earlier runs that were killed: under the lock, no
    /// other run is using them. Only real folders that carry the staging
    /// marker are removed.
    fn remove_stale_staging(&self) {
        let prefix = beside(&self.out, "staging-");
        let (Some(dir), Some(prefix)) = (
            prefix.parent(),
            prefix.file_name().map(|n| n.to_string_lossy().into_owned()),
        ) else {
            return;
        };
        let Ok(entries) = fs::read_dir(dir) else {
            return;
        };
        for e in entries.flatten() {
            let ours = e.file_name().to_string_lossy().starts_with(&prefix)
                && e.file_type().is_ok_and(|t| t.is_dir())
                && fs::symlink_metadata(e.path().join(STAGING_MARKER)).is_ok_and(|m| m.is_file());
            if ours {
                let _ = fs::remove_dir_all(e.path());
            }
        }
    }

    /// Checks again, before the swap, that the folder holds only what its
    /// marker lists: what it listed under the lock, unless the marker
    /// changed since. When the run looked its previous files up in that
    /// list ([`OutputFolder::present`]), the folder must also still hold
    /// every path listed: a record or page deleted meanwhile would be named
    /// by the new marker and manifest and be gone.
    fn claim_again(&self) -> Result<(), FolderError> {
        let changed = |why| FolderError::Changed {
            out: self.out.clone(),
            why,
        };
        match read_marker(&self.out)? {
            Some(m) if m == self.previous.bytes => {
                let walk = holds_only(
                    &self.out,
                    &self.previous.paths,
                    Some(&self.previous.walked),
                    self.clock.as_ref(),
                )?;
                if self.lent.get() && walk.found < self.previous.paths.len() {
                    // Rare: named from a full listing.
                    let found = list_tree(&self.out, &NOT_LISTED)?;
                    let gone: Vec<String> =
                        self.previous.paths.difference(&found).cloned().collect();
                    let are = if gone.len() == 1 { "is" } else { "are" };
                    let why = format!(
                        "{} of its outputs {are} gone: {}",
                        plural(gone.len()),
                        named(&gone)
                    );
                    return Err(changed(why));
                }
                Ok(())
            }
            _ if self.lent.get() => Err(changed(format!("its {MARKER} was replaced"))),
            _ => claim(&self.out, None, None).map(|_| ()),
        }
    }

    /// The previous outputs' files, looked up in their marker's list when
    /// the folder was found to hold every path it lists (and nothing else)
    /// under the lock, rather than by asking the file system for each.
    pub fn present(&self) -> PreviousFiles {
        self.lent.set(self.previous.whole);
        PreviousFiles {
            dir: self.out.clone(),
            listed: self.previous.whole.then(|| self.previous.paths.clone()),
        }
    }

    /// Where this run writes.
    pub fn staging(&self) -> &Path {
        &self.staging
    }

    /// The folder the previous run left, if any: plansjekk's own, checked.
    pub fn current(&self) -> &Path {
        &self.out
    }

    /// Makes the staging folder the output folder in one step, and removes
    /// the previous outputs, only the paths their marker lists.
    pub fn commit(mut self) -> Result<(), FolderError> {
        fs::remove_file(self.staging.join(STAGING_MARKER))?;
        let written = list_tree(&self.staging, &[])?;
        let marker = Marker {
            plansjekk_output: MARKER_FORMAT,
            paths: written,
        };
        super::json::write_json(&self.staging.join(MARKER), &marker)?;
        sync_written(&self.staging)?;
        sync_dir(&self.staging)?;
        if self.out.exists() {
            // Files added while the run was reading are not ours to replace.
            self.claim_again()?;
            exchange(&self.staging, &self.out)?;
            self.committed = true;
            // The staging path now holds the previous outputs.
            remove_listed(&self.staging, &self.previous.paths)?;
        } else {
            fs::rename(&self.staging, &self.out)?;
            self.committed = true;
        }
        if let Some(parent) = self.out.parent() {
            let _ = sync_dir(parent);
        }
        Ok(())
    }
}

/// The journal of a commit that carries the previous outputs' document
/// folders over (see [`OutputFolder::commit_carrying`]), beside the output
/// folder: written before the swap, removed when the commit is complete. A
/// run that finds it (a run killed while committing) finishes that commit
/// first, or drops it when the swap never happened.
const JOURNAL: &str = "commit";

/// The journal's format version.
const JOURNAL_FORMAT: u32 = 1;

/// What a carrying commit does after the swap, so that it can be finished
/// by the next run. Paths are relative, `/`-separated, inside `dirs`.
#[derive(Debug, Serialize, Deserialize, PartialEq)]
struct Journal {
    plansjekk_commit: u32,
    /// The staging folder's name, beside the output folder: after the swap
    /// it holds the previous outputs.
    staging: String,
    /// The staging folder's inode: the output folder has it once swapped.
    inode: u64,
    /// The folders of the previous outputs carried over whole.
    dirs: Vec<String>,
    /// The run's own files in them, moved into the carried folders
    /// (replacing the previous run's file of that name).
    moved: Vec<String>,
    /// The previous run's files (and folders) in them that the new outputs
    /// do not hold: of documents changed or gone.
    dropped: Vec<String>,
}

impl Journal {
    /// Whether it names only what a commit of `out` writes: its staging
    /// folder's name, plain folders, and paths inside them.
    fn fits(&self, out: &Path) -> bool {
        let plain = |p: &str| {
            Path::new(p)
                .components()
                .all(|c| matches!(c, std::path::Component::Normal(_)))
                && !p.is_empty()
        };
        let staging = beside(out, "staging-");
        let prefix = staging
            .file_name()
            .map_or(String::new(), |n| n.to_string_lossy().into_owned());
        self.plansjekk_commit == JOURNAL_FORMAT
            && self.staging.starts_with(&prefix)
            && !self.staging.contains('/')
            && self.dirs.iter().all(|d| plain(d) && !d.contains('/'))
            && self
                .moved
                .iter()
                .chain(&self.dropped)
                .all(|p| plain(p.trim_end_matches('/')) && self.dirs.iter().any(|d| inside(p, d)))
    }
}

/// Whether `path` is inside the top-level folder `dir`.
fn inside(path: &str, dir: &str) -> bool {
    path.strip_prefix(dir)
        .is_some_and(|rest| rest.len() > 1 && rest.starts_with('/'))
}

// A failure point for the tests, which stop a commit at each step as a
// kill would (see `a_carrying_commit_killed_at_any_step_recovers`).
#[cfg(test)]
thread_local! {
    static STOP_AFTER: std::cell::Cell<Option<usize>> = const { std::cell::Cell::new(None) };
    // Set when a test stopped a commit: as after a kill, nothing is
    // cleaned up.
    static KILLED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    // Set when a test makes folders' times never change, as on some
    // mounts (see `FolderStamp::of`).
    static FROZEN_TIMES: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

fn step() -> std::io::Result<()> {
    #[cfg(test)]
    {
        let left = STOP_AFTER.with(|s| s.get());
        match left {
            Some(0) => {
                KILLED.with(|k| k.set(true));
                return Err(std::io::Error::other("stopped here (test)"));
            }
            Some(n) => STOP_AFTER.with(|s| s.set(Some(n - 1))),
            None => {}
        }
    }
    Ok(())
}

#[cfg(unix)]
fn inode(p: &Path) -> std::io::Result<u64> {
    use std::os::unix::fs::MetadataExt;
    Ok(fs::symlink_metadata(p)?.ino())
}

/// Links `from` to `to`, or copies it where the file system has no hard
/// links: how a run puts the previous run's unchanged files into its own.
pub fn link_or_copy(from: &Path, to: &Path) -> std::io::Result<()> {
    fs::hard_link(from, to).or_else(|_| fs::copy(from, to).map(|_| ()))
}

fn is_dir(p: &Path) -> bool {
    fs::symlink_metadata(p).is_ok_and(|m| m.is_dir())
}

impl OutputFolder {
    /// Like [`OutputFolder::commit`], for a run that did not put the
    /// previous run's files of unchanged documents into its staging folder:
    /// `carry` lists them (paths the previous outputs' marker lists, in
    /// folders such as `documents/`), and their folders are carried over
    /// whole, by renaming them, instead of a link per file made in staging
    /// and a removal per file after the swap. After the swap, the run's own
    /// files in those folders are moved into the carried ones and the
    /// previous files of changed or gone documents removed: a few
    /// operations per changed document, not per document. A journal beside
    /// the folder says what is left to do, so that a run killed in between
    /// is finished by the next one (which then sees the new outputs whole);
    /// killed before the swap, the old outputs stay, as with `commit`.
    pub fn commit_carrying(mut self, carry: &BTreeSet<String>) -> Result<(), FolderError> {
        let carry: BTreeSet<String> = carry
            .iter()
            .filter(|p| !p.ends_with('/') && p.contains('/') && self.previous.paths.contains(*p))
            .cloned()
            .collect();
        #[cfg(unix)]
        let carrying = !carry.is_empty() && self.out.exists();
        #[cfg(not(unix))]
        let carrying = false;
        if !carrying {
            // Nothing to carry (or no inodes to tell a swap by): the files
            // are linked into staging, as `commit` expects.
            for p in &carry {
                let to = self.staging.join(p);
                if fs::symlink_metadata(&to).is_err() {
                    link_or_copy(&self.out.join(p), &to)?;
                }
            }
            return self.commit();
        }
        #[cfg(unix)]
        {
            let journal = self.prepare_carry(&carry)?;
            let at = beside(&self.out, JOURNAL);
            let mut f = fs::File::create(&at)?;
            f.write_all(&serde_json::to_vec(&journal).map_err(std::io::Error::other)?)?;
            f.sync_all()?;
            drop(f);
            if let Some(parent) = at.parent() {
                sync_dir(parent)?;
            }
            step()?;
            fs::remove_file(self.staging.join(STAGING_MARKER))?;
            step()?;
            exchange(&self.staging, &self.out)?;
            self.committed = true;
            step()?;
            roll_forward(&self.out, &journal)?;
            fs::remove_file(&at)?;
            if let Some(parent) = self.out.parent() {
                let _ = sync_dir(parent);
            }
        }
        Ok(())
    }

    /// Writes the new folder's marker (the staging folder's paths and the
    /// carried ones) into staging, syncs it, checks the current folder
    /// again, and says what is left to do after the swap.
    #[cfg(unix)]
    fn prepare_carry(&mut self, carry: &BTreeSet<String>) -> Result<Journal, FolderError> {
        let dirs: BTreeSet<String> = carry
            .iter()
            .filter_map(|p| p.split_once('/').map(|(d, _)| d.to_string()))
            .collect();
        for d in &dirs {
            fs::create_dir_all(self.staging.join(d))?;
        }
        let written = list_tree(&self.staging, &[STAGING_MARKER])?;
        let in_dirs = |p: &str| dirs.iter().any(|d| inside(p, d));
        let moved: Vec<String> = written
            .iter()
            .filter(|p| in_dirs(p) && !p.ends_with('/'))
            .cloned()
            .collect();
        let dropped: Vec<String> = self
            .previous
            .paths
            .iter()
            .filter(|p| in_dirs(p) && !carry.contains(*p) && !written.contains(*p))
            .cloned()
            .collect();
        if let Some(nested) = moved.iter().find(|p| written.contains(&format!("{p}/"))) {
            return Err(
                std::io::Error::other(format!("{nested} is both a file and a folder")).into(),
            );
        }
        let mut paths = written;
        paths.extend(carry.iter().cloned());
        let marker = Marker {
            plansjekk_output: MARKER_FORMAT,
            paths,
        };
        super::json::write_json(&self.staging.join(MARKER), &marker)?;
        sync_written(&self.staging)?;
        sync_dir(&self.staging)?;
        // Files added while the run was reading are not ours to replace.
        self.claim_again()?;
        // Nor is one added where a moved file goes: on a mount whose
        // folders' times never change, the check above does not see it.
        // A stat per new file of a changed document.
        let mut taken = Vec::new();
        for p in moved.iter().filter(|p| !self.previous.paths.contains(*p)) {
            match fs::symlink_metadata(self.out.join(p)) {
                Ok(_) => taken.push(p.clone()),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(e.into()),
            }
        }
        if !taken.is_empty() {
            return Err(FolderError::Unlisted {
                out: self.out.clone(),
                paths: taken,
            });
        }
        step()?;
        Ok(Journal {
            plansjekk_commit: JOURNAL_FORMAT,
            staging: self
                .staging
                .file_name()
                .map_or(String::new(), |n| n.to_string_lossy().into_owned()),
            inode: inode(&self.staging)?,
            dirs: dirs.into_iter().collect(),
            moved,
            dropped,
        })
    }
}

/// The rest of a carrying commit, after the swap: each carried folder takes
/// the run's files, loses the dropped ones and moves into the output folder
/// `out`; then what is left of the previous outputs is removed, path by
/// path from their marker's list. Each step can be done again: a run killed
/// here is finished by the next.
fn roll_forward(out: &Path, j: &Journal) -> Result<(), FolderError> {
    let old = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
        .join(&j.staging);
    for d in &j.dirs {
        let (carried, new) = (old.join(d), out.join(d));
        if !is_dir(&carried) {
            // Carried already.
            continue;
        }
        for p in j.moved.iter().filter(|p| inside(p, d)) {
            if fs::symlink_metadata(out.join(p)).is_ok_and(|m| m.is_file()) {
                fs::rename(out.join(p), old.join(p))?;
                step()?;
            }
        }
        for p in j
            .dropped
            .iter()
            .filter(|p| inside(p, d) && !p.ends_with('/'))
        {
            if fs::symlink_metadata(old.join(p)).is_ok_and(|m| m.is_file()) {
                fs::remove_file(old.join(p))?;
                step()?;
            }
        }
        for p in j
            .dropped
            .iter()
            .rev()
            .filter(|p| inside(p, d) && p.ends_with('/'))
        {
            // Not empty: something that is not ours is inside; it stays.
            let _ = fs::remove_dir(old.join(p));
        }
        match fs::remove_dir(&new) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e.into()),
            _ => {}
        }
        step()?;
        fs::rename(&carried, &new)?;
        step()?;
    }
    sync_dir(out)?;
    if is_dir(&old) {
        let listed = fs::read(old.join(MARKER))
            .ok()
            .and_then(|m| serde_json::from_slice::<Marker>(&m).ok())
            .map(|m| m.paths)
            .unwrap_or_default();
        remove_listed(&old, &listed)?;
        step()?;
    }
    Ok(())
}

/// Finishes (or drops) a carrying commit of `out` that a killed run left:
/// called under the lock, before the folder is read.
fn recover(out: &Path) -> Result<(), FolderError> {
    let at = beside(out, JOURNAL);
    let bytes = match fs::symlink_metadata(&at) {
        Ok(m) if m.is_file() => fs::read(&at)?,
        Ok(_) => return Err(FolderError::ForeignJournal(at)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e.into()),
    };
    let journal = serde_json::from_slice::<Journal>(&bytes)
        .ok()
        .filter(|j| j.fits(out))
        .ok_or_else(|| FolderError::ForeignJournal(at.clone()))?;
    #[cfg(unix)]
    {
        let staging = beside(out, "").with_file_name(&journal.staging);
        if inode(out).ok() == Some(journal.inode) {
            roll_forward(out, &journal)?;
        } else if is_dir(&staging) {
            // Killed before the swap: the outputs are the old ones, and the
            // staging folder the journal names is the killed run's.
            fs::remove_dir_all(&staging)?;
        }
    }
    fs::remove_file(&at)?;
    Ok(())
}

/// Takes the lock file beside `out`; a lock left by a run that is gone is
/// taken over, a live one refuses, and a file that is not a lock is left
/// alone.
fn take_lock(out: &Path) -> Result<PathBuf, FolderError> {
    let lock = beside(out, "lock");
    loop {
        match fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&lock)
        {
            Ok(mut f) => {
                writeln!(f, "{}", std::process::id())?;
                return Ok(lock);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                let meta = fs::symlink_metadata(&lock)?;
                let text = if meta.is_file() && meta.len() < 64 {
                    fs::read_to_string(&lock).ok()
                } else {
                    None
                };
                let Some(text) = text else {
                    return Err(FolderError::ForeignLock {
                        out: out.to_path_buf(),
                        lock,
                    });
                };
                match text.trim() {
                    // Killed between creating the lock and writing its pid.
                    "" => fs::remove_file(&lock)?,
                    t => match t.parse::<u32>() {
                        Ok(pid) if pid != std::process::id() && alive(pid) => {
                            return Err(FolderError::Locked {
                                pid,
                                out: out.to_path_buf(),
                                lock,
                            })
                        }
                        // A run killed before it could unlock: take over.
                        Ok(_) => fs::remove_file(&lock)?,
                        Err(_) => {
                            return Err(FolderError::ForeignLock {
                                out: out.to_path_buf(),
                                lock,
                            })
                        }
                    },
                }
            }
            Err(e) => return Err(e.into()),
        }
    }
}

/// Removes from `dir` the paths `listed` names (files, then folders deepest
/// first, each only when it is still what the list says), the marker, and
/// `dir` itself when nothing else is left in it. Anything else stays: the
/// folder is then renamed to a visible name beside it.
fn remove_listed(dir: &Path, listed: &BTreeSet<String>) -> std::io::Result<()> {
    let found = list_tree(dir, &[MARKER])?;
    for p in found.intersection(listed).filter(|p| !p.ends_with('/')) {
        fs::remove_file(dir.join(p))?;
    }
    let folders: Vec<&String> = found
        .intersection(listed)
        .filter(|p| p.ends_with('/'))
        .collect();
    // "a/b/" sorts after "a/": backwards, the deepest come first.
    for p in folders.into_iter().rev() {
        // Not empty: something that is not ours is inside.
        let _ = fs::remove_dir(dir.join(p));
    }
    if fs::symlink_metadata(dir.join(MARKER)).is_ok_and(|m| m.is_file()) {
        fs::remove_file(dir.join(MARKER))?;
    }
    if fs::remove_dir(dir).is_err() && dir.exists() {
        let name = dir
            .file_name()
            .map_or("out".into(), |n| n.to_string_lossy().into_owned());
        let kept = dir.with_file_name(format!("{}-not-plansjekk", name.trim_start_matches('.')));
        fs::rename(dir, kept)?;
    }
    Ok(())
}

impl Drop for OutputFolder {
    fn drop(&mut self) {
        #[cfg(test)]
        if KILLED.with(|k| k.replace(false)) {
            return;
        }
        // A run that failed leaves the previous outputs as they were; its
        // staging folder is its own, made by `open`.
        if !self.committed && self.staging.exists() {
            let _ = fs::remove_dir_all(&self.staging);
        }
        let _ = fs::remove_file(&self.lock);
    }
}

/// Makes what the run wrote into `staging` durable before it is swapped in,
/// so that a crash right after the swap cannot leave an output empty: the
/// files are written without a sync each (one per document cost more than
/// writing them), and synced here in one call on Linux (`syncfs`: the file
/// system's dirty data, which the run's files are most of); elsewhere
/// file by file.
fn sync_written(staging: &Path) -> std::io::Result<()> {
    #[cfg(target_os = "linux")]
    {
        use std::os::fd::AsRawFd;
        let dir = fs::File::open(staging)?;
        // SAFETY: `dir` is an open descriptor for the call's duration.
        if unsafe { libc::syncfs(dir.as_raw_fd()) } != 0 {
            return Err(std::io::Error::last_os_error());
        }
        Ok(())
    }
    #[cfg(not(target_os = "linux"))]
    {
        fn each(dir: &Path) -> std::io::Result<()> {
            for e in fs::read_dir(dir)? {
                let e = e?;
                let kind = e.file_type()?;
                if kind.is_dir() {
                    each(&e.path())?;
                } else if kind.is_file() {
                    fs::File::open(e.path())?.sync_all()?;
                }
            }
            Ok(())
        }
        each(staging)
    }
}

fn sync_dir(dir: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        fs::File::open(dir)?.sync_all()
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        Ok(())
    }
}

/// Swaps two folders atomically (Linux `renameat2` with `RENAME_EXCHANGE`).
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let ca = CString::new(a.as_os_str().as_bytes()).map_err(std::io::Error::other)?;
    let cb = CString::new(b.as_os_str().as_bytes()).map_err(std::io::Error::other)?;
    // SAFETY: both paths are valid NUL-terminated strings for the call's duration.
    let r = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            ca.as_ptr(),
            libc::AT_FDCWD,
            cb.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if r == 0 {
        Ok(())
    } else {
        let e = std::io::Error::last_os_error();
        // File systems without exchange: two renames, the old folder set aside first.
        if e.raw_os_error() == Some(libc::EINVAL) || e.raw_os_error() == Some(libc::ENOSYS) {
            return exchange_by_renames(a, b);
        }
        Err(e)
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    exchange_by_renames(a, b)
}

fn exchange_by_renames(a: &Path, b: &Path) -> std::io::Result<()> {
    let aside = a.with_extension("previous");
    fs::rename(b, &aside)?;
    fs::rename(a, b)?;
    fs::rename(&aside, a)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn temp(name: &str) -> PathBuf {
        let p =
            std::env::temp_dir().join(format!("plansjekk-folder-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&p);
        fs::create_dir_all(&p).unwrap();
        p
    }

    /// A folder as a committed run leaves it.
    fn committed(out: &Path, record: &str) {
        let f = OutputFolder::open(out).unwrap();
        fs::write(f.staging().join("manifest.json"), record).unwrap();
        fs::write(f.staging().join("documents/a.json"), "{}").unwrap();
        f.commit().unwrap();
    }

    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    #[test]
    fn a_committed_run_replaces_the_old_outputs_whole() {
        let root = temp("commit");
        let out = root.join("out");
        committed(&out, "old");
        let f = OutputFolder::open(&out).unwrap();
        fs::write(f.staging().join("manifest.json"), "new").unwrap();
        f.commit().unwrap();
        assert_eq!(
            fs::read_to_string(out.join("manifest.json")).unwrap(),
            "new"
        );
        assert!(!out.join("documents/a.json").exists());
        // Nothing is left beside it: no lock, no staging.
        assert_eq!(names(&root), vec!["out"]);
        let marker: Marker = serde_json::from_slice(&fs::read(out.join(MARKER)).unwrap()).unwrap();
        assert_eq!(
            marker.paths.into_iter().collect::<Vec<_>>(),
            vec!["documents/", "manifest.json"]
        );
    }

    #[test]
    fn a_failed_run_leaves_the_old_outputs() {
        let root = temp("fail");
        let out = root.join("out");
        committed(&out, "old");
        {
            let f = OutputFolder::open(&out).unwrap();
            fs::write(f.staging().join("manifest.json"), "half").unwrap();
        }
        assert_eq!(
            fs::read_to_string(out.join("manifest.json")).unwrap(),
            "old"
        );
        assert!(OutputFolder::open(&out).is_ok());
    }

    #[test]
    fn a_folder_of_other_files_is_not_taken_over() {
        let root = temp("foreign");
        fs::write(root.join("notes.txt"), "mine").unwrap();
        let e = OutputFolder::open(&root).err().expect("refused");
        assert!(matches!(e, FolderError::Foreign { .. }), "{e}");
        assert_eq!(names(&root), vec!["notes.txt"]);
    }

    #[test]
    fn a_manifest_alone_does_not_make_a_folder_ours() {
        let root = temp("manifest-only");
        let out = root.join("ext");
        fs::create_dir_all(&out).unwrap();
        fs::write(out.join("manifest.json"), "{\"name\": \"a web extension\"}").unwrap();
        fs::write(out.join("background.js"), "precious").unwrap();
        let e = OutputFolder::open(&out).err().expect("refused");
        assert!(e.to_string().contains("no .plansjekk-output"), "{e}");
        assert_eq!(names(&out), vec!["background.js", "manifest.json"]);
        assert_eq!(names(&root), vec!["ext"], "no lock or staging left");
    }

    #[test]
    fn a_file_added_to_an_output_folder_stops_the_run_before_anything_changes() {
        let root = temp("added");
        let out = root.join("out");
        committed(&out, "old");
        fs::write(out.join("documents/my-notes.txt"), "mine").unwrap();
        let e = OutputFolder::open(&out).err().expect("refused");
        assert!(
            matches!(e, FolderError::Unlisted { ref paths, .. } if paths == &["documents/my-notes.txt"]),
            "{e}"
        );
        assert_eq!(
            fs::read_to_string(out.join("manifest.json")).unwrap(),
            "old"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_link_inside_an_output_folder_is_foreign() {
        let root = temp("inner-link");
        let out = root.join("out");
        committed(&out, "old");
        fs::create_dir_all(root.join("elsewhere")).unwrap();
        std::os::unix::fs::symlink(root.join("elsewhere"), out.join("documents/x")).unwrap();
        assert!(matches!(
            OutputFolder::open(&out),
            Err(FolderError::Unlisted { .. })
        ));
    }

    #[test]
    fn a_regular_file_is_refused_untouched() {
        let root = temp("file");
        let out = root.join("notes.txt");
        fs::write(&out, "mine").unwrap();
        let e = OutputFolder::open(&out).err().expect("refused");
        assert!(matches!(e, FolderError::NotAFolder(_)), "{e}");
        assert_eq!(fs::read_to_string(&out).unwrap(), "mine");
        assert_eq!(names(&root), vec!["notes.txt"]);
    }

    #[test]
    fn files_added_during_a_run_stop_the_swap() {
        let root = temp("during");
        let out = root.join("out");
        committed(&out, "old");
        let f = OutputFolder::open(&out).unwrap();
        fs::write(out.join("added.txt"), "mine").unwrap();
        assert!(matches!(f.commit(), Err(FolderError::Unlisted { .. })));
        assert_eq!(fs::read_to_string(out.join("added.txt")).unwrap(), "mine");
        assert_eq!(
            fs::read_to_string(out.join("manifest.json")).unwrap(),
            "old"
        );
    }

    #[test]
    fn files_added_to_settled_folders_during_a_run_stop_the_swap() {
        // Folders that settled before the run are listed once, and only
        // stat-ed by the checks after: each change must still show.
        let root = temp("settled");
        type Change = (&'static str, fn(&Path));
        let changes: [Change; 5] = [
            ("top", |out| {
                fs::write(out.join("added.txt"), "mine").unwrap()
            }),
            ("inside", |out| {
                fs::write(out.join("tables/mine.csv"), "mine").unwrap()
            }),
            ("folder", |out| {
                fs::create_dir(out.join("report/mine")).unwrap()
            }),
            ("deeper", |out| {
                fs::create_dir(out.join("report/x")).unwrap();
                fs::write(out.join("report/x/y"), "mine").unwrap()
            }),
            ("link", |out| {
                fs::remove_file(out.join("documents/a.json")).unwrap();
                #[cfg(unix)]
                std::os::unix::fs::symlink("/etc/hostname", out.join("documents/a.json")).unwrap();
            }),
        ];
        for (name, _) in &changes {
            three_documents(&root.join(name));
        }
        three_documents(&root.join("untouched"));
        std::thread::sleep(SETTLED + std::time::Duration::from_millis(200));
        for (name, change) in &changes {
            let out = root.join(name);
            let f = OutputFolder::open(&out).unwrap();
            #[cfg(unix)]
            assert!(
                f.previous
                    .walked
                    .get(&out.join("documents"))
                    .is_some_and(|w| f.clock.is_some_and(|c| c.vouches(w))),
                "{name}: the settled folders vouch for the walk"
            );
            change(&out);
            let refused = f.commit_carrying(&["documents/a.json".to_string()].into());
            assert!(
                matches!(refused, Err(FolderError::Unlisted { .. })),
                "{name}: {refused:?}"
            );
            assert_eq!(
                fs::read_to_string(out.join("documents.csv")).unwrap(),
                "old"
            );
        }
        let out = root.join("untouched");
        let f = OutputFolder::open(&out).unwrap();
        f.commit_carrying(&["documents/a.json".to_string()].into())
            .unwrap();
        assert_eq!(names(&out.join("documents")), ["a.json"]);
    }

    /// A folder's stamp whose last changes were `mtime` and `ctime` before
    /// `now`.
    fn stamp_changed(now: SystemTime, mtime: Duration, ctime: Duration) -> FolderStamp {
        let nanos = |d: Duration| (now - d).duration_since(UNIX_EPOCH).unwrap().as_nanos() as i128;
        FolderStamp {
            dev: 1,
            ino: 1,
            mtime: nanos(mtime),
            ctime: nanos(ctime),
        }
    }

    #[test]
    fn a_folder_settles_three_seconds_after_its_last_change() {
        let now = SystemTime::now();
        let s = Duration::from_secs;
        assert!(!stamp_changed(now, s(1), s(1)).settled_at(now));
        assert!(stamp_changed(now, s(4), s(4)).settled_at(now));
        // Its status changed later than its contents: that counts.
        assert!(!stamp_changed(now, s(4), s(1)).settled_at(now));
    }

    #[cfg(unix)]
    #[test]
    fn a_folder_settles_by_the_file_systems_clock_not_the_machines() {
        use std::os::unix::fs::MetadataExt;
        // A share whose clock lags the machine's by ten seconds: a file
        // written there now is stamped ten seconds ago, as is a folder
        // changed a moment ago.
        let root = temp("clock");
        let lock = root.join("lock");
        fs::write(&lock, "1").unwrap();
        let lag = Duration::from_secs(10);
        let now = SystemTime::now();
        fs::File::options()
            .write(true)
            .open(&lock)
            .unwrap()
            .set_modified(now - lag)
            .unwrap();
        let clock = FsClock::after_writing(&lock).unwrap();
        let changed = FolderStamp {
            dev: fs::metadata(&lock).unwrap().dev(),
            ..stamp_changed(now, lag, lag)
        };
        let listed = WalkedFolder {
            stamp: changed,
            listed_at: Instant::now(),
            folders: Vec::new(),
            listed_here: 0,
        };
        // By the machine's clock it changed ten seconds ago.
        assert!(changed.settled_at(SystemTime::now()));
        assert!(!clock.vouches(&listed), "it changed just now");
        // Four seconds (of the share's clock) after its change, it had.
        let settled = WalkedFolder {
            stamp: FolderStamp {
                dev: changed.dev,
                ..stamp_changed(
                    now,
                    lag + Duration::from_secs(4),
                    lag + Duration::from_secs(4),
                )
            },
            ..listed.clone()
        };
        assert!(clock.vouches(&settled));
        // A folder on another file system never settles by this clock.
        let elsewhere = WalkedFolder {
            stamp: FolderStamp {
                dev: changed.dev.wrapping_add(1),
                ..settled.stamp
            },
            ..listed
        };
        assert!(!clock.vouches(&elsewhere));
    }

    #[cfg(unix)]
    #[test]
    fn a_file_added_where_a_new_file_goes_stops_the_swap_on_a_mount_with_frozen_folder_times() {
        let root = temp("frozen");
        let out = root.join("out");
        FROZEN_TIMES.with(|f| f.set(true));
        three_documents(&out);
        let f = OutputFolder::open(&out).unwrap();
        assert!(
            f.previous
                .walked
                .get(&out.join("documents"))
                .is_some_and(|w| f.clock.is_some_and(|c| c.vouches(w))),
            "frozen times vouch for every listing"
        );
        let carry = next_run(&f);
        // Where the run's record of the new document d goes.
        fs::write(out.join("documents/d.json"), "mine").unwrap();
        let refused = f.commit_carrying(&carry);
        FROZEN_TIMES.with(|f| f.set(false));
        assert!(
            matches!(refused, Err(FolderError::Unlisted { ref paths, .. }) if paths == &["documents/d.json"]),
            "{refused:?}"
        );
        assert_eq!(
            fs::read_to_string(out.join("documents/d.json")).unwrap(),
            "mine"
        );
        assert_eq!(
            fs::read_to_string(out.join("documents.csv")).unwrap(),
            "old"
        );
    }

    #[test]
    fn a_folder_missing_a_listed_file_is_not_looked_up_in_its_list() {
        let root = temp("missing");
        let out = root.join("out");
        three_documents(&out);
        assert!(OutputFolder::open(&out).unwrap().present().whole());
        fs::remove_file(out.join("report/b.html")).unwrap();
        let f = OutputFolder::open(&out).unwrap();
        let present = f.present();
        assert!(!present.whole());
        assert!(!present.holds_file("report/b.html"));
        assert!(present.holds_file("report/a.html"));
        // Nothing was relied on: the run commits.
        let carry = next_run(&f);
        f.commit_carrying(&carry).unwrap();
        assert!(out.join("report/b.html").is_file());
    }

    #[test]
    fn a_listed_file_deleted_during_a_run_that_relied_on_the_list_stops_the_swap() {
        let root = temp("vanished");
        let out = root.join("out");
        three_documents(&out);
        let old = snapshot(&out);
        let f = OutputFolder::open(&out).unwrap();
        assert!(f.present().whole());
        let carry = next_run(&f);
        // The run found a's page in the list; it goes while the run reads.
        fs::remove_file(out.join("report/a.html")).unwrap();
        let refused = f.commit_carrying(&carry);
        let Err(e @ FolderError::Changed { .. }) = refused else {
            panic!("{refused:?}");
        };
        assert!(e.to_string().contains("«report/a.html»"), "{e}");
        let mut now = old;
        now.remove("report/a.html");
        assert_eq!(snapshot(&out), now, "the old outputs stay");
        assert_eq!(names(&root), vec!["out"]);
    }

    #[test]
    fn only_listed_paths_of_the_old_outputs_are_removed() {
        let root = temp("listed");
        let old = root.join("old");
        fs::create_dir_all(old.join("documents")).unwrap();
        fs::write(old.join("documents/a.json"), "{}").unwrap();
        fs::write(old.join("documents/mine.txt"), "mine").unwrap();
        let listed: BTreeSet<String> = ["documents/", "documents/a.json"]
            .into_iter()
            .map(String::from)
            .collect();
        remove_listed(&old, &listed).unwrap();
        assert!(!old.exists());
        let kept = root.join("old-not-plansjekk");
        assert_eq!(
            fs::read_to_string(kept.join("documents/mine.txt")).unwrap(),
            "mine"
        );
        assert!(!kept.join("documents/a.json").exists());
    }

    /// A folder as a run leaves it with documents a, b and c: records,
    /// report pages, table files (b has two), a gathered table.
    fn three_documents(out: &Path) {
        let f = OutputFolder::open(out).unwrap();
        let s = f.staging().to_path_buf();
        for d in ["report", "tables"] {
            fs::create_dir_all(s.join(d)).unwrap();
        }
        for id in ["a", "b", "c"] {
            fs::write(s.join(format!("documents/{id}.json")), format!("old {id}")).unwrap();
            fs::write(s.join(format!("report/{id}.html")), format!("old {id}")).unwrap();
            fs::write(s.join(format!("tables/{id}-t1.csv")), format!("old {id}")).unwrap();
        }
        fs::write(s.join("tables/b-t2.csv"), "old b t2").unwrap();
        fs::write(s.join("documents.csv"), "old").unwrap();
        f.commit().unwrap();
    }

    /// The next run's staging: b changed (and lost a table), c gone, d new;
    /// a's files carried (the list returned).
    fn next_run(f: &OutputFolder) -> BTreeSet<String> {
        let s = f.staging();
        for d in ["report", "tables"] {
            fs::create_dir_all(s.join(d)).unwrap();
        }
        for id in ["b", "d"] {
            fs::write(s.join(format!("documents/{id}.json")), format!("new {id}")).unwrap();
            fs::write(s.join(format!("report/{id}.html")), format!("new {id}")).unwrap();
            fs::write(s.join(format!("tables/{id}-t1.csv")), format!("new {id}")).unwrap();
        }
        fs::write(s.join("documents.csv"), "new").unwrap();
        ["documents/a.json", "report/a.html", "tables/a-t1.csv"]
            .into_iter()
            .map(String::from)
            .collect()
    }

    /// Every file under `dir` (the marker too) with its bytes.
    fn snapshot(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
        list_tree(dir, &[])
            .unwrap()
            .into_iter()
            .filter(|p| !p.ends_with('/'))
            .map(|p| {
                let bytes = fs::read(dir.join(&p)).unwrap();
                (p, bytes)
            })
            .collect()
    }

    #[test]
    fn carrying_the_folders_over_gives_the_folder_linking_gives() {
        let root = temp("carry");
        let (linked, carried) = (root.join("linked"), root.join("carried"));
        for out in [&linked, &carried] {
            three_documents(out);
        }
        let f = OutputFolder::open(&linked).unwrap();
        let carry = next_run(&f);
        for p in &carry {
            fs::hard_link(linked.join(p), f.staging().join(p)).unwrap();
        }
        f.commit().unwrap();
        let f = OutputFolder::open(&carried).unwrap();
        let carry = next_run(&f);
        f.commit_carrying(&carry).unwrap();
        let got = snapshot(&carried);
        assert_eq!(got, snapshot(&linked));
        assert_eq!(got["documents/a.json"], b"old a");
        assert_eq!(got["documents/b.json"], b"new b");
        assert!(!got.contains_key("tables/b-t2.csv"));
        assert!(!got.contains_key("report/c.html"));
        assert_eq!(names(&root), vec!["carried", "linked"]);
    }

    #[test]
    fn a_carrying_commit_killed_at_any_step_recovers() {
        let (mut old_seen, mut new_seen) = (false, false);
        let mut new = None;
        for k in 0.. {
            let root = temp(&format!("kill-{k}"));
            let out = root.join("out");
            three_documents(&out);
            let old = snapshot(&out);
            let f = OutputFolder::open(&out).unwrap();
            let carry = next_run(&f);
            STOP_AFTER.with(|s| s.set(Some(k)));
            let stopped = f.commit_carrying(&carry).is_err();
            STOP_AFTER.with(|s| s.set(None));
            if !stopped {
                // Every step has been stopped at once.
                assert!(old_seen && new_seen, "both outcomes seen");
                assert_eq!(Some(snapshot(&out)), new);
                break;
            }
            // The next run finds the folder whole, old or new.
            drop(OutputFolder::open(&out).unwrap());
            let now = snapshot(&out);
            if now == old {
                old_seen = true;
            } else {
                assert!(
                    now.get("documents/b.json").is_some_and(|b| b == b"new b"),
                    "step {k}: {now:?}"
                );
                assert!(new.as_ref().is_none_or(|n| n == &now), "step {k}");
                new = Some(now);
                new_seen = true;
            }
            assert_eq!(names(&root), vec!["out"], "step {k}: nothing left beside");
            assert!(k < 100, "the commit ends");
        }
    }

    #[test]
    fn a_foreign_file_in_the_journals_place_stops_the_run() {
        let root = temp("journal");
        let out = root.join("out");
        three_documents(&out);
        fs::write(beside(&out, JOURNAL), "my notes").unwrap();
        let e = OutputFolder::open(&out).err().expect("refused");
        assert!(matches!(e, FolderError::ForeignJournal(_)), "{e}");
        assert_eq!(
            fs::read_to_string(beside(&out, JOURNAL)).unwrap(),
            "my notes"
        );
        assert_eq!(
            fs::read_to_string(out.join("documents.csv")).unwrap(),
            "old"
        );
    }

    #[test]
    fn a_live_lock_refuses_a_second_run() {
        let root = temp("live");
        let out = root.join("out");
        // Process 1 is always running.
        fs::write(beside(&out, "lock"), "1\n").unwrap();
        let e = OutputFolder::open(&out).err().expect("refused");
        assert!(matches!(e, FolderError::Locked { pid: 1, .. }), "{e}");
        assert!(e.to_string().contains("another plansjekk run"));
    }

    #[test]
    fn a_stale_lock_is_taken_over_and_a_foreign_file_is_not() {
        let root = temp("stale");
        let out = root.join("out");
        // No process has pid 0x7fff_fff0.
        fs::write(beside(&out, "lock"), "2147483632\n").unwrap();
        assert!(OutputFolder::open(&out).is_ok());
        fs::write(beside(&out, "lock"), "my shopping list\n").unwrap();
        assert!(matches!(
            OutputFolder::open(&out),
            Err(FolderError::ForeignLock { .. })
        ));
        assert_eq!(
            fs::read_to_string(beside(&out, "lock")).unwrap(),
            "my shopping list\n"
        );
    }

    #[test]
    fn stale_staging_is_removed_only_when_it_is_plansjekks() {
        let root = temp("stale-staging");
        let out = root.join("out");
        let ours = beside(&out, "staging-2147483632");
        fs::create_dir_all(&ours).unwrap();
        fs::write(ours.join(STAGING_MARKER), "").unwrap();
        let theirs = beside(&out, "staging-notes");
        fs::create_dir_all(&theirs).unwrap();
        fs::write(theirs.join("notes.txt"), "mine").unwrap();
        drop(OutputFolder::open(&out).unwrap());
        assert!(!ours.exists());
        assert!(theirs.join("notes.txt").exists());
    }
}

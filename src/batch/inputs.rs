//! The inputs of a run: the files under the paths given, walked within the
//! folders named (links, depth and count bounded), filtered, in a stable
//! order.

use std::path::{Path, PathBuf};

/// How far a walk of the input folders may go.
#[derive(Clone, Debug)]
pub struct WalkOptions {
    /// Follow symbolic links that lead outside the folders given
    /// (`--follow-links`); off, such a link is listed as skipped.
    pub follow_links: bool,
    /// Folders deeper than this below a folder given are skipped.
    pub max_depth: usize,
    /// The walk stops with an error past this many entries (files and
    /// folders) seen.
    pub max_entries: usize,
}

impl Default for WalkOptions {
    fn default() -> Self {
        WalkOptions {
            follow_links: false,
            max_depth: 64,
            max_entries: 2_000_000,
        }
    }
}

/// Why the input folders could not be walked.
#[derive(Debug, thiserror::Error)]
pub enum WalkError {
    #[error("more than {limit} files and folders under {root}: name smaller folders, or leave out a link that leads somewhere large")]
    TooMany { root: PathBuf, limit: usize },
}

/// Trees of the operating system that are never documents, however reached.
const SYSTEM_TREES: &[&str] = &["/proc", "/sys", "/dev"];

/// Every file under the given paths, in a stable order (see [`list_inputs`]).
pub fn collect_inputs(paths: &[PathBuf]) -> std::io::Result<Vec<PathBuf>> {
    let options = WalkOptions::default();
    let mut walker = Walker::new(paths, &[], &options);
    for p in paths {
        walker.walk(p).map_err(std::io::Error::other)?;
    }
    let mut files = walker.files;
    files.sort();
    files.dedup();
    Ok(files)
}

/// A run's inputs: the documents to read, and the files of the folders
/// given that are not read, each with why.
#[derive(Clone, Debug, Default)]
pub struct Inputs {
    pub documents: Vec<PathBuf>,
    pub skipped: Vec<(PathBuf, String)>,
}

/// The documents under `paths` (folders walked recursively, the folders in
/// `exclude` left out): files named on the command line always, files found
/// in folders when `filter` takes them (a document format, the globs).
/// Hidden files and folders (".git", ".DS_Store") are passed over. Links are
/// followed only where they stay inside the folders given, unless `walk`
/// says otherwise; pipes, devices and system trees (`/proc`) are skipped
/// with a reason, and the walk is bounded in depth and in entries.
pub fn list_inputs(
    paths: &[PathBuf],
    exclude: &[PathBuf],
    filter: &crate::config::InputFilter,
    walk: &WalkOptions,
) -> Result<Inputs, WalkError> {
    let mut walker = Walker::new(paths, exclude, walk);
    let mut inputs = Inputs::default();
    for p in paths {
        walker.files.clear();
        walker.walk(p)?;
        for f in walker.files.drain(..) {
            let below = f.strip_prefix(p).unwrap_or(&f);
            match filter.skip(&f, below).filter(|_| f != *p) {
                Some(why) => inputs.skipped.push((f, why)),
                None => inputs.documents.push(f),
            }
        }
    }
    inputs.skipped.append(&mut walker.skipped);
    inputs.documents.sort();
    inputs.documents.dedup();
    inputs.skipped.sort();
    inputs.skipped.dedup();
    Ok(inputs)
}

/// One walk over the input folders.
struct Walker<'a> {
    options: &'a WalkOptions,
    /// The folders given, resolved: links that stay inside them are followed.
    roots: Vec<PathBuf>,
    exclude: Vec<PathBuf>,
    /// Folders already walked, resolved: a link loop is walked once.
    seen: std::collections::HashSet<PathBuf>,
    entries: usize,
    files: Vec<PathBuf>,
    skipped: Vec<(PathBuf, String)>,
}

impl<'a> Walker<'a> {
    fn new(paths: &[PathBuf], exclude: &[PathBuf], options: &'a WalkOptions) -> Walker<'a> {
        let resolve = |ps: &[PathBuf]| -> Vec<PathBuf> {
            ps.iter()
                .filter_map(|p| std::fs::canonicalize(p).ok())
                .collect()
        };
        Walker {
            options,
            roots: resolve(paths),
            exclude: resolve(exclude),
            seen: Default::default(),
            entries: 0,
            files: Vec::new(),
            skipped: Vec::new(),
        }
    }

    fn walk(&mut self, top: &Path) -> Result<(), WalkError> {
        // Depth-first with an explicit stack: a deep tree costs memory in
        // proportion to its entries, never the call stack.
        let mut stack = vec![(top.to_path_buf(), 0usize)];
        while let Some((p, depth)) = stack.pop() {
            self.entries += 1;
            if self.entries > self.options.max_entries {
                return Err(WalkError::TooMany {
                    root: top.to_path_buf(),
                    limit: self.options.max_entries,
                });
            }
            if let Some(dir) = self.visit(&p, depth == 0) {
                if depth >= self.options.max_depth {
                    self.skip(
                        &p,
                        format!(
                            "a folder more than {} levels below {}",
                            self.options.max_depth,
                            top.display()
                        ),
                    );
                    continue;
                }
                match std::fs::read_dir(&dir) {
                    Ok(entries) => {
                        let mut below: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
                        // Popped in order: the stack takes them backwards.
                        below.sort_unstable_by(|a, b| b.cmp(a));
                        stack.extend(below.into_iter().map(|b| (b, depth + 1)));
                    }
                    // No permission: a failure of its own, in the manifest.
                    Err(_) => self.files.push(p),
                }
            }
        }
        Ok(())
    }

    fn skip(&mut self, p: &Path, why: String) {
        self.skipped.push((p.to_path_buf(), why));
    }

    /// Lists `p` as a file, or returns it when it is a folder to walk.
    fn visit(&mut self, p: &Path, top: bool) -> Option<PathBuf> {
        let hidden = p
            .file_name()
            .map(|n| n.to_string_lossy())
            .is_some_and(|n| n.starts_with('.') && n != "." && n != "..");
        if hidden && !top {
            return None;
        }
        let Ok(own) = std::fs::symlink_metadata(p) else {
            // Gone since it was listed, or no permission: fails alone.
            self.files.push(p.to_path_buf());
            return None;
        };
        let link = own.file_type().is_symlink();
        // A walk reaches another tree only from a path given or through a
        // link: only those are resolved.
        let resolved = (top || link).then(|| std::fs::canonicalize(p));
        if let Some(Ok(at)) = &resolved {
            if let Some(sys) = SYSTEM_TREES.iter().find(|s| at.starts_with(s)) {
                self.skip(p, format!("{sys} is a system folder, not documents"));
                return None;
            }
        }
        if let (Some(resolved), false) = (&resolved, top) {
            match resolved {
                // A dangling link, or a loop: a failure of its own.
                Err(_) => {
                    self.files.push(p.to_path_buf());
                    return None;
                }
                Ok(at)
                    if !self.options.follow_links
                        && !self.roots.iter().any(|r| at.starts_with(r)) =>
                {
                    self.skip(
                        p,
                        format!(
                            "a link to {}, outside the folders given (--follow-links reads it)",
                            at.display()
                        ),
                    );
                    return None;
                }
                Ok(_) => {}
            }
        }
        // What is not a link is what its own stat said: not stated again.
        let meta = if link {
            match std::fs::metadata(p) {
                Ok(m) => m,
                Err(_) => {
                    self.files.push(p.to_path_buf());
                    return None;
                }
            }
        } else {
            own
        };
        if meta.is_dir() {
            let canonical = match resolved {
                Some(Ok(at)) => at,
                _ => std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf()),
            };
            if self.exclude.contains(&canonical) || !self.seen.insert(canonical) {
                return None;
            }
            Some(p.to_path_buf())
        } else if meta.is_file() {
            self.files.push(p.to_path_buf());
            None
        } else {
            self.skip(
                p,
                "not a regular file (a pipe, a socket or a device)".into(),
            );
            None
        }
    }
}

//! A batch of documents: each read under its isolation (in this process or a
//! worker process with a deadline, as Apache Tika does: a hang or a crash in
//! a PDF parser then costs one document, never the batch), records written as
//! they come, unchanged files' records reused, and the gathered outputs
//! written beside the reading, in the input order.
//!
//! Uses [`crate::pipeline`] for one document, [`crate::emit`] for the
//! outputs; [`inputs`] lists the files, [`workers`] runs worker processes,
//! [`merge`] joins shards.

pub mod inputs;
pub mod merge;
pub mod stamps;
pub mod workers;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};

use crate::emit::json::{to_compact, write_json};
use crate::ingest::{IngestOptions, OcrProgress, OnOcrPage};
use crate::pipeline::{process_file_timed, size_ok, Stages};
use crate::record::{
    assign_ids, over_limit, sha256_file, DocError, DocStatus, InputList, Manifest, ManifestEntry,
    Record, Shard, Summary, SCHEMA_VERSION,
};

/// Writes a document's record into the run's `documents/`, within the size
/// one record may have: without its running text, whose home is the
/// knowledge base (the record keeps it in memory for the writer). Not
/// synced one by one: the run syncs its outputs once, when it commits.
fn write_record(
    docs_dir: &Path,
    id: &str,
    rec: &mut Record,
    options: &IngestOptions,
) -> Result<(), DocError> {
    let text_bytes = text_bytes(rec);
    let text = std::mem::take(&mut rec.text);
    let json = to_compact(rec);
    rec.text = text;
    over_limit(
        "bytes of record",
        json.len() + text_bytes,
        options.max_record_bytes,
    )?;
    std::fs::write(docs_dir.join(format!("{id}.json")), json.as_bytes())
        .map_err(|e| DocError::new("io", format!("cannot write the record: {e}")))
}

/// How documents are isolated from each other in a batch.
#[derive(Clone, Debug)]
pub enum Isolation {
    /// In this process, panics caught; the time limit is checked between
    /// pages and stages, the memory limit does not apply.
    InProcess { timeout: Duration },
    /// One worker process per document (`exe worker PATH`), killed at the
    /// deadline, its address space bounded by `max_memory` bytes.
    Worker {
        exe: PathBuf,
        timeout: Duration,
        max_memory: u64,
    },
}

/// Settings of one batch run.
#[derive(Clone, Debug)]
pub struct RunConfig {
    pub out_dir: PathBuf,
    /// Keep the records of documents not in this run (`--keep`).
    pub keep: bool,
    /// Read every document again, even those the previous run read from the
    /// same bytes (`--fresh`).
    pub fresh: bool,
    /// Process only this slice of the inputs (`--shard K/N`).
    pub shard: Option<Shard>,
    /// Which findings records keep, and their severities (`plansjekk.toml`).
    pub rules: crate::config::RuleChoices,
    /// Files of the input folders that are not documents, listed as skipped.
    pub skipped: Vec<(PathBuf, String)>,
    /// The baseline and waivers the outputs mark findings by.
    pub review: crate::review::Review,
    pub jobs: usize,
    pub isolation: Isolation,
    pub options: IngestOptions,
    pub progress: bool,
    /// What the knowledge base's full-text index holds (`--substring-search`
    /// for substrings).
    pub text_index: crate::emit::sqlite::TextIndex,
}

/// Reads the documents of one batch under its isolation: in this process, or
/// in a pool of worker processes, one per job slot (`rayon`'s thread index).
pub struct Reader {
    options: IngestOptions,
    mode: ReadMode,
}

enum ReadMode {
    InProcess { timeout: Duration },
    Workers(workers::Pool),
}

impl Reader {
    pub fn new(isolation: &Isolation, options: &IngestOptions, jobs: usize) -> Reader {
        let mode = match isolation {
            Isolation::Worker {
                exe,
                timeout,
                max_memory,
            } => ReadMode::Workers(workers::Pool::new(
                exe,
                *timeout,
                *max_memory,
                options,
                jobs,
            )),
            Isolation::InProcess { timeout } => ReadMode::InProcess { timeout: *timeout },
        };
        Reader {
            options: options.clone(),
            mode,
        }
    }

    /// Reads one document.
    pub fn read(&self, path: &Path, id: &str) -> Result<Record, DocError> {
        self.read_telling(path, id, &OnOcrPage::default()).0
    }

    /// Reads one document, telling `on_ocr_page` of each page OCR starts
    /// on, in this process or from the worker.
    pub fn read_telling(
        &self,
        path: &Path,
        id: &str,
        on_ocr_page: &OnOcrPage,
    ) -> (Result<Record, DocError>, Option<Stages>) {
        match &self.mode {
            ReadMode::InProcess { timeout } => {
                let options = IngestOptions {
                    deadline: Some(Instant::now() + *timeout),
                    on_ocr_page: on_ocr_page.clone(),
                    ..self.options.clone()
                };
                let (result, stages) = process_file_timed(path, id, &options);
                (result, Some(stages))
            }
            ReadMode::Workers(pool) => {
                // Refused before a worker sees it: a 3 GB file is never read.
                if let Err(e) = size_ok(path, &self.options) {
                    return (Err(e), None);
                }
                let slot = rayon::current_thread_index().unwrap_or(0);
                pool.process(slot, path, id, on_ocr_page)
            }
        }
    }
}

/// Why a batch could not write its outputs.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error(transparent)]
    Folder(#[from] crate::emit::folder::FolderError),
    #[error(transparent)]
    Io(#[from] std::io::Error),
    #[error(transparent)]
    Output(#[from] crate::emit::outputs::OutputError),
    #[error("cannot merge: {0}")]
    Merge(String),
    #[error("the input {input} is inside --out {out}, which a run replaces whole: choose an output folder apart from the documents")]
    InputInsideOut { input: PathBuf, out: PathBuf },
}

/// A run replaces its output folder whole: no input may live inside it.
/// Each folder of inputs is resolved once (a collection is mostly many
/// files in few folders), each input that is a link on its own.
fn refuse_inputs_inside(out: &Path, inputs: &[PathBuf]) -> Result<(), RunError> {
    let Ok(out) = std::fs::canonicalize(out) else {
        return Ok(());
    };
    let mut folders: std::collections::HashMap<&Path, Option<PathBuf>> = Default::default();
    for input in inputs {
        let link = std::fs::symlink_metadata(input).is_ok_and(|m| m.file_type().is_symlink());
        let at = match (input.parent(), input.file_name()) {
            (Some(folder), Some(name)) if !link && !folder.as_os_str().is_empty() => folders
                .entry(folder)
                .or_insert_with(|| std::fs::canonicalize(folder).ok())
                .as_ref()
                .map(|f| f.join(name)),
            _ => std::fs::canonicalize(input).ok(),
        };
        let at = at.unwrap_or_else(|| input.clone());
        if at.starts_with(&out) {
            return Err(RunError::InputInsideOut {
                input: input.clone(),
                out,
            });
        }
    }
    Ok(())
}

/// Runs the batch. Every record is written as soon as its document is done,
/// into a staging folder beside `--out`, and handed to the gathered outputs
/// (CSVs, knowledge base, report), which a thread writes beside the reading
/// in the input order; the manifest last; the staging folder then replaces
/// the output folder in one step. A killed run leaves the
/// previous outputs whole. Returns the manifest and the timings of the
/// documents read anew (not those kept unchanged).
pub fn run_batch(inputs: &[PathBuf], cfg: &RunConfig) -> Result<(Manifest, Vec<Timing>), RunError> {
    let folder = crate::emit::folder::OutputFolder::open(&cfg.out_dir)?;
    let stage = folder.staging().to_path_buf();
    let docs_dir = stage.join("documents");
    let ids = assign_ids(inputs);
    refuse_inputs_inside(&cfg.out_dir, inputs)?;
    let input_list = cfg.shard.map(|_| InputList::of(inputs, &ids));
    // Ids come from the whole input list, so that shards name documents as
    // one run would; then this shard's slice.
    let range = cfg.shard.map_or(0..inputs.len(), |s| s.range(inputs.len()));
    let (inputs, ids) = (&inputs[range.clone()], &ids[range]);
    let run_key = run_key(&cfg.options, &cfg.isolation, &cfg.rules, cfg.text_index);
    let previous = if cfg.fresh {
        Previous::default()
    } else {
        Previous::load(folder.current(), folder.present(), &run_key, cfg.text_index)?
    };
    // The records kept with `--keep` are in the staging folder before any
    // document is read: the writer, which starts while the run reads,
    // must not drop them from the knowledge base.
    let kept = if cfg.keep {
        keep_previous(folder.current(), &stage, ids)?
    } else {
        Vec::new()
    };
    let (results, writer) = read_documents(inputs, ids, &kept, cfg, &previous, &stage)?;
    let timings = timings_of(&results);
    let changed: Vec<String> = results
        .iter()
        .filter(|r| r.fresh)
        .map(|r| r.entry.id.clone())
        .collect();
    let stamps: Vec<(String, String, stamps::Stamp)> = results
        .iter()
        .filter_map(|r| Some((r.entry.id.clone(), r.entry.sha256.clone()?, r.stamp?)))
        .collect();
    let mut documents: Vec<ManifestEntry> = results.into_iter().map(|r| r.entry).collect();
    documents.extend(kept);
    // The skipped files are listed once, by the first shard.
    if cfg.shard.is_none_or(|s| s.index == 1) {
        documents.extend(cfg.skipped.iter().map(|(p, why)| skipped_entry(p, why)));
    }
    let summary = Summary::of(&documents);
    let manifest = Manifest {
        plansjekk_version: env!("CARGO_PKG_VERSION").to_string(),
        schema_version: SCHEMA_VERSION.to_string(),
        run_key: Some(run_key),
        review: cfg.review.digest.clone(),
        shard: cfg.shard,
        inputs: input_list,
        documents,
        summary,
    };
    let stamps = stamps
        .iter()
        .map(|(id, sha, st)| (id.as_str(), sha.as_str(), *st));
    let mut carry = std::collections::BTreeSet::new();
    if let Some(mut writer) = writer {
        // The documents kept with `--keep` come after this run's.
        for e in manifest.documents[ids.len()..]
            .iter()
            .filter(|e| e.status != DocStatus::Skipped)
        {
            writer.add(e, false, None, None)?;
        }
        carry = writer.finish()?;
    } else if changed.is_empty()
        && previous.manifest.as_ref() == Some(&manifest)
        && previous.holds_outputs_of(&manifest)
    {
        // Nothing changed: the folder already holds this run's outputs, byte
        // for byte. It stays as it is (no folder of links made and swapped
        // in, which cost as much as the collection is large); only newly
        // settled stamps are put in, and the staging folder is dropped.
        stamps::Stamps::replace(folder.current(), &stage, stamps)?;
        return Ok((manifest, timings));
    } else {
        link_reused(&previous.dir, &docs_dir, &manifest.documents, &changed)?;
        write_outputs(
            folder.current(),
            &stage,
            &manifest,
            &changed,
            &previous,
            cfg,
        )?;
    }
    stamps::Stamps::write(&stage, stamps)?;
    write_json(&stage.join("manifest.json"), &manifest)?;
    // Kept documents' files are carried over by folder, not linked one by one.
    folder.commit_carrying(&carry)?;
    Ok((manifest, timings))
}

/// How long a run took over one document it read (`run --timings`).
#[derive(Clone, Debug)]
pub struct Timing {
    /// The document's id.
    pub id: String,
    /// From taking it up to its record written and its report page and
    /// tables made.
    pub took: Duration,
    /// The stages of its reading, when the reading could tell them (a
    /// worker that died or timed out tells nothing).
    pub stages: Option<Stages>,
}

/// The timings of the documents read anew, not those kept unchanged.
fn timings_of(results: &[Read]) -> Vec<Timing> {
    results
        .iter()
        .filter(|r| r.fresh)
        .map(|r| Timing {
            id: r.entry.id.clone(),
            took: r.took,
            stages: r.stages,
        })
        .collect()
}

/// What reading one document of the batch gave.
struct Read {
    entry: ManifestEntry,
    /// Read anew, not reused from the previous run.
    fresh: bool,
    /// As [`Timing::took`].
    took: Duration,
    stages: Option<Stages>,
    /// The file's stamp, when it can vouch for the entry's sha256 next time.
    stamp: Option<stamps::Stamp>,
}

/// Reads the batch's documents on `cfg.jobs` threads, each taking the next
/// document in the input order, each record written to the staging
/// folder's `documents/` as soon as it is done; the gathered outputs are
/// written beside the reading, on a thread of their own (see [`Gather`]),
/// and returned open, to be finished with the documents kept by `--keep`
/// (`kept`). Returns the documents in the input order.
fn read_documents(
    inputs: &[PathBuf],
    ids: &[String],
    kept: &[ManifestEntry],
    cfg: &RunConfig,
    previous: &Previous,
    stage: &Path,
) -> Result<(Vec<Read>, Option<crate::emit::outputs::Writer>), RunError> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let bar = progress_bar(cfg.progress, inputs.len());
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(cfg.jobs.max(1))
        .build()
        .map_err(std::io::Error::other)?;
    let reader = Reader::new(&cfg.isolation, &cfg.options, cfg.jobs.max(1));
    let next = AtomicUsize::new(0);
    // Bounded: a writer slower than the reading holds the readers back
    // rather than letting records pile up in memory. It never blocks them
    // for good: the writer takes every document as it comes, and keeps
    // those it is not ready for (see [`AHEAD_IN_MEMORY`]).
    let (send, receive) = std::sync::mpsc::sync_channel::<Handover>(2 * cfg.jobs.max(1));
    let gathered = std::thread::scope(|scope| {
        let gather = Gather {
            cfg,
            previous,
            stage,
            ids,
            kept,
            writer: None,
            waiting: Vec::new(),
        };
        let writing = std::thread::Builder::new()
            .name("plansjekk-writer".into())
            .spawn_scoped(scope, move || gather.run(receive, inputs.len()))?;
        pool.broadcast(|_| {
            let send = send.clone();
            loop {
                // One shared queue, not rayon's halves of the list: the
                // documents are done near the input order, in which the
                // writer takes them.
                let i = next.fetch_add(1, Ordering::Relaxed);
                let (Some(path), Some(id)) = (inputs.get(i), ids.get(i)) else {
                    break;
                };
                let handover = read_one(i, path, id, cfg, previous, &reader, bar.as_ref(), stage);
                if send.send(handover).is_err() {
                    // The writer failed: its error ends the run.
                    break;
                }
            }
        });
        drop(send);
        writing
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    });
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    gathered
}

/// A document as a reading thread hands it to the writer.
struct Handover {
    /// Its place in the input order.
    index: usize,
    read: Read,
    /// Its record, with the running text, when it was read anew and could
    /// be.
    record: Option<Record>,
    /// Its own files, when they are written.
    prepared: Option<crate::emit::outputs::Prepared>,
}

/// Reads document `index` of the run, at `path` (or reuses the previous
/// run's reading); one read anew has its record written into the staging
/// folder `stage`, and its own files among the outputs (its report page,
/// its tables), there on the reading thread.
#[allow(clippy::too_many_arguments)]
fn read_one(
    index: usize,
    path: &Path,
    id: &str,
    cfg: &RunConfig,
    previous: &Previous,
    reader: &Reader,
    bar: Option<&indicatif::ProgressBar>,
    stage: &Path,
) -> Handover {
    let start = Instant::now();
    let display = path.to_string_lossy().to_string();
    let before = stamps::Before::take(path);
    if let Some((entry, stamp)) = previous.reuse(path, &display, id, &before) {
        if let Some(b) = bar {
            b.inc(1);
        }
        let read = Read {
            entry,
            fresh: false,
            took: start.elapsed(),
            stages: None,
            stamp,
        };
        return Handover {
            index,
            read,
            record: None,
            prepared: None,
        };
    }
    let on_ocr_page = ocr_message(bar, &display);
    let (read, stages) = reader.read_telling(path, id, &on_ocr_page);
    let read = read.and_then(|mut rec| {
        cfg.rules.apply(&mut rec);
        write_record(&stage.join("documents"), id, &mut rec, &cfg.options).map(|()| rec)
    });
    let (entry, stamp, record) = match read {
        Ok(rec) => (
            ok_entry(display, id, &rec),
            before.settled(stamps::Stamp::of_path(path)),
            Some(rec),
        ),
        Err(e) => (failed_entry(display, id, path, e), None, None),
    };
    if let Some(b) = bar {
        b.inc(1);
        b.set_message(entry.path.clone());
    }
    // A file that cannot be written here is written by the writer, whose
    // error then ends the run.
    let prepared = record
        .as_ref()
        .and_then(|rec| crate::emit::outputs::prepare(stage, rec, &cfg.review).ok());
    let read = Read {
        entry,
        fresh: true,
        took: start.elapsed(),
        stages,
        stamp,
    };
    Handover {
        index,
        read,
        record,
        prepared,
    }
}

/// How many documents read ahead of the one the writer waits for it holds
/// in memory with their running text, and how many bytes of text at most;
/// more are spooled to the staging folder (a slow document, a scan read by
/// OCR, holds the writer up while the other threads go on).
const AHEAD_IN_MEMORY: usize = 64;
const AHEAD_TEXT_BYTES: usize = 32 << 20;

/// The bytes of a record's running text, roughly what it holds in memory.
fn text_bytes(rec: &Record) -> usize {
    rec.text.iter().map(|t| t.text.len()).sum()
}

/// The writer's side of a run: takes the documents as the reading threads
/// finish them, puts them back in the input order, and hands them to the
/// gathered outputs' [`Writer`](crate::emit::outputs::Writer). The outputs
/// are opened when the first document read anew arrives: until then (and
/// on a re-run that reads nothing anew, which then writes nothing, see
/// [`run_batch`]), the documents reused from the previous run only wait.
struct Gather<'a> {
    cfg: &'a RunConfig,
    previous: &'a Previous,
    stage: &'a Path,
    ids: &'a [String],
    kept: &'a [ManifestEntry],
    writer: Option<crate::emit::outputs::Writer>,
    /// The reused documents before the first document read anew, by index.
    waiting: Vec<usize>,
}

impl Gather<'_> {
    fn run(
        mut self,
        receive: std::sync::mpsc::Receiver<Handover>,
        n: usize,
    ) -> Result<(Vec<Read>, Option<crate::emit::outputs::Writer>), RunError> {
        type Waiting = (Option<Record>, Option<crate::emit::outputs::Prepared>);
        let mut done: Vec<Option<Read>> = (0..n).map(|_| None).collect();
        let mut ahead: std::collections::BTreeMap<usize, Waiting> = Default::default();
        let (mut written, mut ahead_bytes) = (0, 0);
        for h in receive {
            let bytes = h.record.as_ref().map_or(0, text_bytes);
            let record = if h.index != written
                && (ahead.len() >= AHEAD_IN_MEMORY || ahead_bytes + bytes > AHEAD_TEXT_BYTES)
            {
                self.spool(&h.read.entry.id, h.record)?
            } else {
                ahead_bytes += bytes;
                h.record
            };
            done[h.index] = Some(h.read);
            ahead.insert(h.index, (record, h.prepared));
            while let Some((record, prepared)) = ahead.remove(&written) {
                ahead_bytes -= record.as_ref().map_or(0, text_bytes);
                let read = done[written].as_ref().expect("received");
                self.add(written, read, record, prepared, &done)?;
                written += 1;
            }
        }
        let done: Vec<Read> = done.into_iter().flatten().collect();
        assert_eq!(done.len(), n, "every document was read");
        Ok((done, self.writer))
    }

    /// Keeps the running text of a document the writer is not ready for in
    /// the staging folder (its record is there already).
    fn spool(&self, id: &str, record: Option<Record>) -> Result<Option<Record>, RunError> {
        if let Some(rec) = record {
            let spooled = crate::emit::outputs::spooled_text(&rec.text);
            crate::emit::outputs::spool_text(self.stage, id, &spooled)?;
        }
        Ok(None)
    }

    fn add(
        &mut self,
        i: usize,
        read: &Read,
        record: Option<Record>,
        prepared: Option<crate::emit::outputs::Prepared>,
        done: &[Option<Read>],
    ) -> Result<(), RunError> {
        if self.writer.is_none() {
            if !read.fresh {
                self.waiting.push(i);
                return Ok(());
            }
            let previous = self.previous;
            let now = self
                .ids
                .iter()
                .map(String::as_str)
                .chain(self.kept.iter().map(|e| e.id.as_str()));
            self.writer = Some(
                crate::emit::outputs::Writer::open(
                    self.stage,
                    &previous.dir,
                    now,
                    previous.manifest.is_some(),
                    previous
                        .manifest
                        .as_ref()
                        .is_some_and(|m| m.review == self.cfg.review.digest),
                    &self.cfg.review,
                    self.cfg.text_index,
                    &[previous.dir.join(crate::emit::outputs::KNOWLEDGE_BASE)],
                )?
                .carrying(previous.present.clone()),
            );
            for w in std::mem::take(&mut self.waiting) {
                let read = done[w].as_ref().expect("received");
                self.add_reused(&read.entry)?;
            }
        }
        if read.fresh {
            let writer = self.writer.as_mut().expect("opened");
            writer.add(&read.entry, true, record, prepared)?;
            Ok(())
        } else {
            self.add_reused(&read.entry)
        }
    }

    /// A document reused from the previous run: its outputs kept, its
    /// record with them (the writer links it into the staging folder when
    /// it reads it).
    fn add_reused(&mut self, e: &ManifestEntry) -> Result<(), RunError> {
        let writer = self.writer.as_mut().expect("opened");
        writer.add(e, false, None, None)?;
        Ok(())
    }
}

/// What the bar says while OCR reads a scanned document, page by page: a
/// scan takes a second or more a page, where other documents take
/// milliseconds. Only the terminal's bar: the outputs do not change.
fn ocr_message(bar: Option<&indicatif::ProgressBar>, path: &str) -> OnOcrPage {
    let Some(bar) = bar.cloned() else {
        return OnOcrPage::default();
    };
    let path = path.to_string();
    OnOcrPage::new(move |p| bar.set_message(ocr_page_message(p, &path)))
}

/// "OCR page 3/12 of scans/plan.pdf".
fn ocr_page_message(p: OcrProgress, path: &str) -> String {
    format!("OCR page {}/{} of {path}", p.page, p.pages)
}

/// A progress bar for a terminal (`show`), none otherwise: a log file gets
/// no bar redrawn in it.
fn progress_bar(show: bool, len: usize) -> Option<indicatif::ProgressBar> {
    if !show {
        return None;
    }
    let b = indicatif::ProgressBar::new(len as u64);
    b.set_style(
        indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} {wide_msg}")
            .expect("template"),
    );
    Some(b)
}

/// Writes the gathered outputs (CSVs, knowledge base, report) into the
/// staging folder: only the `changed` documents are redone, and when nothing
/// changed at all the previous run's outputs are linked as they are.
fn write_outputs(
    current: &Path,
    stage: &Path,
    manifest: &Manifest,
    changed: &[String],
    previous: &Previous,
    cfg: &RunConfig,
) -> Result<(), RunError> {
    if changed.is_empty() && previous.holds_outputs_of(manifest) {
        // Nothing to redo: the run's outputs are the previous run's.
        crate::emit::outputs::link_previous(current, stage)?;
    } else {
        crate::emit::outputs::write(
            stage,
            current,
            &manifest.documents,
            changed,
            previous.manifest.is_some(),
            // The previous outputs mark findings by the same review: what
            // they hold for an unchanged document is what it would get now.
            previous
                .manifest
                .as_ref()
                .is_some_and(|m| m.review == manifest.review),
            &cfg.review,
            cfg.text_index,
            &[current.join(crate::emit::outputs::KNOWLEDGE_BASE)],
        )?;
    }
    Ok(())
}

/// What makes a record: plansjekk's build (its sources, data, dependencies
/// and compiler, see build.rs: a rebuilt binary with other rules never
/// reuses old records) and the options
/// that change what a document gives (passwords, time and memory limits),
/// and the knowledge base's full-text index (a run with the other index
/// rebuilds the knowledge base, so it must not keep the previous run's
/// documents out of it).
fn run_key(
    options: &IngestOptions,
    isolation: &Isolation,
    rules: &crate::config::RuleChoices,
    text_index: crate::emit::sqlite::TextIndex,
) -> String {
    let mut h = Sha256::new();
    if text_index == crate::emit::sqlite::TextIndex::Substrings {
        // Hashed only when chosen, as passwords are.
        h.update(b"\0substring-search");
    }
    h.update(rules.digest().as_bytes());
    h.update(env!("CARGO_PKG_VERSION").as_bytes());
    h.update(SCHEMA_VERSION.as_bytes());
    // The build's identity (see build.rs), not the executable's bytes.
    h.update(env!("PLANSJEKK_BUILD").as_bytes());
    for p in &options.passwords {
        h.update(b"\0password\0");
        h.update(p.as_bytes());
    }
    if let Isolation::Worker {
        timeout,
        max_memory,
        ..
    } = isolation
    {
        h.update(format!("\0{}\0{max_memory}", timeout.as_secs()).as_bytes());
    }
    if let Isolation::InProcess { timeout } = isolation {
        h.update(format!("\0{}", timeout.as_secs()).as_bytes());
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// The previous run's manifest, when it was made with the same key: the
/// documents whose bytes have not changed since are not read again.
/// A record is reused only while the knowledge base holds its document at
/// the same version (sha256 and status): the record file does not carry the
/// running text, the knowledge base does, and it may be ahead of the
/// manifest after a run that failed. Without a knowledge base of this
/// build's layout, nothing is reused.
#[derive(Default)]
struct Previous {
    dir: PathBuf,
    manifest: Option<Manifest>,
    by_id: std::collections::HashMap<String, usize>,
    held: crate::emit::sqlite::States,
    stamps: stamps::Stamps,
    /// The previous folder's files (see
    /// [`crate::emit::folder::OutputFolder::present`]): a record is looked
    /// up in its marker's list when it holds it all, not by a `stat` each.
    present: crate::emit::folder::PreviousFiles,
}

impl Previous {
    /// The previous outputs in `dir`, whose files are `present` (as the
    /// output folder found them). A knowledge base that another process
    /// holds is an error, not a reason to read everything again.
    fn load(
        dir: &Path,
        present: crate::emit::folder::PreviousFiles,
        run_key: &str,
        index: crate::emit::sqlite::TextIndex,
    ) -> Result<Previous, RunError> {
        use crate::emit::sqlite::{states_of, KbError};
        let held = match states_of(&dir.join(crate::emit::outputs::KNOWLEDGE_BASE), index) {
            Err(e @ KbError::Busy { .. }) => {
                return Err(crate::emit::outputs::OutputError::from(e).into())
            }
            held => held.unwrap_or_default(),
        };
        let manifest = Manifest::read(dir)
            .ok()
            .filter(|m| m.run_key.as_deref() == Some(run_key))
            .filter(|_| !held.is_empty());
        let by_id = manifest
            .iter()
            .flat_map(|m| m.documents.iter().enumerate())
            .map(|(i, e)| (e.id.clone(), i))
            .collect();
        let stamps = if manifest.is_some() {
            stamps::Stamps::read(dir)
        } else {
            stamps::Stamps::default()
        };
        Ok(Previous {
            dir: dir.to_path_buf(),
            manifest,
            by_id,
            held,
            stamps,
            present,
        })
    }

    /// Whether the previous folder holds the outputs of `manifest`'s
    /// documents and review: the same documents and review in its manifest,
    /// every output its marker lists still there (a report page deleted
    /// since is written again), and a knowledge base that holds those
    /// documents (not so after a run that failed after updating it in place).
    fn holds_outputs_of(&self, manifest: &Manifest) -> bool {
        self.manifest
            .as_ref()
            .is_some_and(|m| m.documents == manifest.documents && m.review == manifest.review)
            && self.present.whole()
            && crate::emit::outputs::knowledge_base_matches(&self.held, &manifest.documents)
    }

    /// The previous entry for this input (its record to be linked into the
    /// new folder, see [`link_reused`]), when the file's bytes are those it
    /// was made from (by their sha256, or
    /// by a stamp that vouches for it), with the stamp to keep. Failures
    /// that depend on the machine (time, memory, I/O) are tried again.
    fn reuse(
        &self,
        path: &Path,
        display: &str,
        id: &str,
        before: &stamps::Before,
    ) -> Option<(ManifestEntry, Option<stamps::Stamp>)> {
        let m = self.manifest.as_ref()?;
        let e = &m.documents[*self.by_id.get(id)?];
        if e.path != display {
            return None;
        }
        if !crate::emit::outputs::holds(&self.held, e) {
            return None;
        }
        let transient = e
            .error
            .as_ref()
            .is_some_and(|err| matches!(err.class.as_str(), "timeout" | "limit" | "io"));
        if transient {
            return None;
        }
        let vouched = self.stamps.sha256(id, before.stamp());
        let stamp = if vouched.is_some() && vouched == e.sha256.as_deref() {
            before.stamp()
        } else {
            let meta = std::fs::metadata(path).ok()?;
            if Some(meta.len()) != e.bytes {
                return None;
            }
            let sha = sha256_file(path).ok()?;
            if e.sha256.as_deref() != Some(sha.as_str()) {
                return None;
            }
            before.settled(stamps::Stamp::of_path(path))
        };
        if e.status == DocStatus::Ok && !self.present.holds_file(&format!("documents/{id}.json")) {
            return None;
        }
        Some((e.clone(), stamp))
    }
}

/// Links the records of the documents reused from the previous run
/// (`documents` that are `ok` and not `changed`, nor kept with `--keep`,
/// which are copied already) into the new folder's `docs_dir`: the previous
/// folder is removed when this run commits, so a link shares nothing that
/// outlives the run.
fn link_reused(
    previous: &Path,
    docs_dir: &Path,
    documents: &[ManifestEntry],
    changed: &[String],
) -> std::io::Result<()> {
    let changed: std::collections::HashSet<&str> = changed.iter().map(String::as_str).collect();
    for e in documents
        .iter()
        .filter(|e| e.status == DocStatus::Ok && !changed.contains(e.id.as_str()))
    {
        crate::emit::outputs::link_record(previous, docs_dir, &e.id)?;
    }
    Ok(())
}

fn ok_entry(display: String, id: &str, rec: &Record) -> ManifestEntry {
    ManifestEntry {
        path: display,
        id: id.to_string(),
        sha256: Some(rec.source.sha256.clone()),
        bytes: Some(rec.source.bytes),
        format: Some(rec.source.format.clone()),
        status: DocStatus::Ok,
        pages: rec.source.pages,
        findings: rec.findings.len(),
        numbers: rec.source.numbers.as_ref().map(|n| n.share),
        error: None,
        title: rec.title.clone(),
        by_rule: crate::record::findings_by_rule(&rec.findings),
    }
}

/// `--keep`: the previous run's records of documents not in this run
/// (whose ids are `now`), copied into the new outputs, by id.
fn keep_previous(
    previous: &Path,
    stage: &Path,
    now: &[String],
) -> std::io::Result<Vec<ManifestEntry>> {
    let Ok(old) = Manifest::read(previous) else {
        return Ok(Vec::new());
    };
    let now: std::collections::HashSet<&str> = now.iter().map(String::as_str).collect();
    let mut kept: Vec<ManifestEntry> = old
        .documents
        .into_iter()
        .filter(|e| e.status == DocStatus::Ok && !now.contains(e.id.as_str()))
        .filter(|e| {
            let name = format!("documents/{}.json", e.id);
            std::fs::symlink_metadata(previous.join(&name)).is_ok_and(|m| m.is_file())
                && std::fs::copy(previous.join(&name), stage.join(&name)).is_ok()
        })
        .collect();
    kept.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(kept)
}

fn skipped_entry(path: &Path, why: &str) -> ManifestEntry {
    ManifestEntry {
        path: path.to_string_lossy().into_owned(),
        id: String::new(),
        sha256: None,
        bytes: std::fs::metadata(path).ok().map(|m| m.len()),
        format: None,
        status: DocStatus::Skipped,
        pages: None,
        findings: 0,
        numbers: None,
        error: Some(DocError::new("not-a-document", why)),
        title: None,
        by_rule: Default::default(),
    }
}

fn failed_entry(display: String, id: &str, path: &Path, e: DocError) -> ManifestEntry {
    // Hashed in pieces: a file refused for its size is never held whole.
    let bytes = std::fs::metadata(path)
        .ok()
        .filter(|m| m.is_file())
        .map(|m| m.len());
    ManifestEntry {
        path: display,
        id: id.to_string(),
        sha256: bytes.and_then(|_| sha256_file(path).ok()),
        bytes,
        format: None,
        status: DocStatus::Failed,
        pages: None,
        findings: 0,
        numbers: None,
        error: Some(e),
        title: None,
        by_rule: Default::default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The outputs the writer makes of `n` small plans handed to it in
    /// `order` (indices into the input order), in a folder `name` of `dir`.
    fn gathered_in(dir: &Path, name: &str, inputs: &[PathBuf], order: &[usize]) -> PathBuf {
        let ids = assign_ids(inputs);
        let cfg = RunConfig {
            out_dir: dir.join("out"),
            keep: false,
            fresh: true,
            shard: None,
            rules: Default::default(),
            skipped: Vec::new(),
            review: Default::default(),
            jobs: 1,
            isolation: Isolation::InProcess {
                timeout: Duration::from_secs(600),
            },
            options: IngestOptions::default(),
            progress: false,
            text_index: Default::default(),
        };
        let stage = dir.join(name);
        std::fs::create_dir_all(stage.join("documents")).unwrap();
        let previous = Previous::default();
        let reader = Reader::new(&cfg.isolation, &cfg.options, 1);
        let mut read: Vec<Option<Handover>> = inputs
            .iter()
            .zip(&ids)
            .enumerate()
            .map(|(i, (p, id))| Some(read_one(i, p, id, &cfg, &previous, &reader, None, &stage)))
            .collect();
        let (send, receive) = std::sync::mpsc::sync_channel(order.len());
        for &i in order {
            let h = read[i].take().unwrap();
            assert!(h.record.is_some(), "{} was read", h.read.entry.path);
            send.send(h).unwrap();
        }
        drop(send);
        let gather = Gather {
            cfg: &cfg,
            previous: &previous,
            stage: &stage,
            ids: &ids,
            kept: &[],
            writer: None,
            waiting: Vec::new(),
        };
        let (done, writer) = gather.run(receive, inputs.len()).unwrap();
        let in_order: Vec<&str> = done.iter().map(|r| r.entry.id.as_str()).collect();
        assert_eq!(in_order, ids.iter().map(String::as_str).collect::<Vec<_>>());
        writer
            .expect("documents read anew open the outputs")
            .finish()
            .unwrap();
        stage
    }

    #[test]
    fn documents_handed_over_in_any_order_give_the_outputs_of_the_input_order() {
        let dir = std::env::temp_dir().join(format!("plansjekk-gather-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("in")).unwrap();
        // More than the writer holds in memory ahead of the one it waits
        // for: handed over last first, most are spooled to disk.
        let n = AHEAD_IN_MEMORY + 6;
        let inputs: Vec<PathBuf> = (0..n)
            .map(|i| {
                let p = dir.join("in").join(format!("plan-{i:03}.txt"));
                let text = format!(
                    "Handlingsplan {i}\n\nMål 1: Flere innbyggere i kommune {i}\n\n\
                     Tiltak 1.1: Boligprogram for {i} tomter. Budsjett: {} 000 kr.\n\n\
                     Ansvarlig: Kommune {i}.\n",
                    100 + i
                );
                std::fs::write(&p, text).unwrap();
                p
            })
            .collect();
        let forward: Vec<usize> = (0..n).collect();
        let backward: Vec<usize> = (0..n).rev().collect();
        let a = gathered_in(&dir, "forward", &inputs, &forward);
        let b = gathered_in(&dir, "backward", &inputs, &backward);
        for f in [
            "plansjekk.sqlite",
            "documents.csv",
            "measures.csv",
            "amounts.csv",
            "comparison.csv",
            "report.html",
        ] {
            let (x, y) = (
                std::fs::read(a.join(f)).unwrap(),
                std::fs::read(b.join(f)).unwrap(),
            );
            assert!(x == y, "{f} differs with the order the documents came in");
        }
        let measures = std::fs::read_to_string(a.join("measures.csv")).unwrap();
        assert_eq!(measures.lines().count(), n + 1, "{measures}");
        assert!(!b.join(crate::emit::outputs::TEXT_SPOOL).exists());
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn the_bar_names_the_ocr_page_and_the_document() {
        let p = OcrProgress { page: 3, pages: 12 };
        assert_eq!(
            ocr_page_message(p, "scans/plan.pdf"),
            "OCR page 3/12 of scans/plan.pdf"
        );
        // Without a bar nothing is told (and nothing fails).
        ocr_message(None, "x.pdf").tell(1, 1);
        let bar = indicatif::ProgressBar::hidden();
        ocr_message(Some(&bar), "x.pdf").tell(2, 5);
        assert_eq!(bar.message(), "OCR page 2/5 of x.pdf");
    }
}

//! Worker processes: each reads one untrusted document at a time, in a process
//! of its own, so that a hang, an abort or a memory blow-up costs that
//! document only. Workers are long-lived (a pool, one per job slot): starting
//! a process and building every regex and the gazetteer costs more than
//! reading a typical document, so a worker takes document after document and
//! is replaced only after a failure, a timeout, or [`RECYCLE_AFTER`] documents.
//!
//! The protocol is one JSON line each way: a [`Request`] on the worker's
//! stdin, a [`WorkerReply`] on its stdout; before the reply, a scanned
//! document's worker sends a line for each page OCR starts on
//! ([`WorkerReply::Ocr`]), which the parent hands to the run's progress bar,
//! and every worker a line with the time of each stage
//! ([`WorkerReply::Stages`], for `run --timings`).

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use crate::ingest::{IngestOptions, OcrProgress, OnOcrPage};
use crate::pipeline::{process_file_timed, Stages};
use crate::record::DocError;
use crate::record::Record;

/// Documents a worker reads before it is replaced: bounds what a slow leak or
/// a fragmented heap can cost.
pub const RECYCLE_AFTER: usize = 200;

/// Time a worker gets past the document's limit to answer on its own (it
/// checks the deadline between pages) before it is killed.
const GRACE: Duration = Duration::from_secs(2);

/// One document to read.
#[derive(Serialize, Deserialize)]
pub struct Request {
    /// The path's bytes: file names need not be UTF-8.
    pub path: Vec<u8>,
    pub id: String,
}

/// What the worker answers.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum WorkerReply {
    Ok(Box<Record>),
    Error(DocError),
    /// Not the answer yet: OCR starts on a page.
    Ocr(OcrProgress),
    /// Not the answer yet: how long the document's stages took, sent just
    /// before the answer.
    Stages(Stages),
}

#[cfg(unix)]
fn path_bytes(p: &Path) -> Vec<u8> {
    use std::os::unix::ffi::OsStrExt;
    p.as_os_str().as_bytes().to_vec()
}

#[cfg(unix)]
fn path_of(b: &[u8]) -> PathBuf {
    use std::os::unix::ffi::OsStrExt;
    PathBuf::from(std::ffi::OsStr::from_bytes(b))
}

#[cfg(not(unix))]
fn path_bytes(p: &Path) -> Vec<u8> {
    p.to_string_lossy().as_bytes().to_vec()
}

#[cfg(not(unix))]
fn path_of(b: &[u8]) -> PathBuf {
    PathBuf::from(String::from_utf8_lossy(b).into_owned())
}

/// The worker's side: answers requests until its stdin closes. Each document
/// gets `timeout` (checked between pages and stages).
pub fn serve(options: &IngestOptions, timeout: Duration) -> std::io::Result<()> {
    std::panic::set_hook(Box::new(|_| {}));
    let stdin = std::io::stdin().lock();
    let mut out = std::io::stdout().lock();
    for line in stdin.lines() {
        let line = line?;
        let reply = match serde_json::from_str::<Request>(&line) {
            Ok(req) => {
                let options = IngestOptions {
                    deadline: Some(Instant::now() + timeout),
                    on_ocr_page: OnOcrPage::new(tell_ocr_page),
                    ..options.clone()
                };
                let (result, stages) = process_file_timed(&path_of(&req.path), &req.id, &options);
                let line = serde_json::to_vec(&WorkerReply::Stages(stages))
                    .map_err(std::io::Error::other)?;
                out.write_all(&line)?;
                out.write_all(b"\n")?;
                match result {
                    Ok(r) => WorkerReply::Ok(Box::new(r)),
                    Err(e) => WorkerReply::Error(e),
                }
            }
            Err(e) => WorkerReply::Error(DocError::new("crashed", format!("bad request: {e}"))),
        };
        let mut line = serde_json::to_vec(&reply).map_err(std::io::Error::other)?;
        // A record past the size one document may produce is not sent: the
        // parent would have to hold it.
        if let Err(e) =
            crate::record::over_limit("bytes of record", line.len(), options.max_record_bytes)
        {
            line = serde_json::to_vec(&WorkerReply::Error(e)).map_err(std::io::Error::other)?;
        }
        out.write_all(&line)?;
        out.write_all(b"\n")?;
        out.flush()?;
    }
    Ok(())
}

/// Sends the parent a line for a page OCR starts on. Stdout's lock is
/// reentrant: [`serve`] holds it on this same thread. A line that cannot be
/// written is left: the reply that follows says what went wrong.
fn tell_ocr_page(p: OcrProgress) {
    if let Ok(mut line) = serde_json::to_vec(&WorkerReply::Ocr(p)) {
        line.push(b'\n');
        let mut out = std::io::stdout().lock();
        let _ = out.write_all(&line).and_then(|()| out.flush());
    }
}

/// A running worker.
struct Handle {
    child: Child,
    stdin: Option<ChildStdin>,
    replies: Receiver<String>,
    served: usize,
}

impl Drop for Handle {
    fn drop(&mut self) {
        // Closing stdin ends a worker that waits for work; one still reading is killed.
        drop(self.stdin.take());
        if !matches!(self.child.try_wait(), Ok(Some(_))) {
            let _ = self.child.kill();
        }
        let _ = self.child.wait();
    }
}

/// The parent's side: one worker per job slot.
pub struct Pool {
    exe: PathBuf,
    timeout: Duration,
    max_memory: u64,
    passwords: Vec<String>,
    /// The longest reply line read: a worker's record past the limit it
    /// enforces itself, plus room for the envelope.
    max_line: usize,
    slots: Vec<Mutex<Option<Handle>>>,
}

impl Pool {
    pub fn new(
        exe: &Path,
        timeout: Duration,
        max_memory: u64,
        options: &IngestOptions,
        slots: usize,
    ) -> Pool {
        Pool {
            exe: exe.to_path_buf(),
            timeout,
            max_memory,
            passwords: options.passwords.clone(),
            max_line: options.max_record_bytes + 4096,
            slots: (0..slots.max(1)).map(|_| Mutex::new(None)).collect(),
        }
    }

    fn spawn(&self) -> Result<Handle, DocError> {
        let mut cmd = Command::new(&self.exe);
        cmd.arg("worker")
            .arg("--timeout")
            .arg(self.timeout.as_secs().to_string())
            .arg("--max-memory")
            .arg(self.max_memory.to_string())
            .arg("--parent")
            .arg(std::process::id().to_string());
        for p in &self.passwords {
            cmd.arg("--password").arg(p);
        }
        let mut child = cmd
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| DocError::new("crashed", format!("cannot start a worker: {e}")))?;
        let stdout = child.stdout.take().expect("piped stdout");
        let stdin = child.stdin.take();
        let (tx, replies) = mpsc::channel();
        let max_line = self.max_line;
        // Replies are read on a thread of their own, so that a large record
        // never blocks the pipe and the wait can time out. A line past the
        // limit ends the reading: the worker is then taken for dead.
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            loop {
                let mut line = Vec::new();
                let n = (&mut reader)
                    .take(max_line as u64 + 1)
                    .read_until(b'\n', &mut line);
                if !matches!(n, Ok(n) if n > 0 && n <= max_line) {
                    break;
                }
                let Ok(line) = String::from_utf8(line) else {
                    break;
                };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        Ok(Handle {
            child,
            stdin,
            replies,
            served: 0,
        })
    }

    /// Reads one document in the worker of job slot `slot`; `on_ocr_page`
    /// is told of each page the worker starts OCR on.
    pub fn process(
        &self,
        slot: usize,
        path: &Path,
        id: &str,
        on_ocr_page: &OnOcrPage,
    ) -> (Result<Record, DocError>, Option<Stages>) {
        let mut stages = None;
        let result = self.process_telling(slot, path, id, on_ocr_page, &mut stages);
        (result, stages)
    }

    /// [`Pool::process`], setting `stages` when the worker tells them.
    fn process_telling(
        &self,
        slot: usize,
        path: &Path,
        id: &str,
        on_ocr_page: &OnOcrPage,
        stages: &mut Option<Stages>,
    ) -> Result<Record, DocError> {
        let mut guard = self.slots[slot % self.slots.len()]
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        if guard.as_ref().is_some_and(|h| h.served >= RECYCLE_AFTER) {
            *guard = None;
        }
        let request = serde_json::to_string(&Request {
            path: path_bytes(path),
            id: id.to_string(),
        })
        .map_err(|e| DocError::new("crashed", format!("cannot send the request: {e}")))?;
        // A worker that died since its last document is replaced once.
        let mut sent = false;
        for _ in 0..2 {
            if guard.is_none() {
                *guard = Some(self.spawn()?);
            }
            let h = guard.as_mut().expect("a worker");
            let ok = h.stdin.as_mut().is_some_and(|s| {
                s.write_all(request.as_bytes())
                    .and_then(|_| s.write_all(b"\n"))
                    .and_then(|_| s.flush())
                    .is_ok()
            });
            if ok {
                sent = true;
                break;
            }
            *guard = None;
        }
        if !sent {
            return Err(DocError::new("crashed", "the worker does not take work"));
        }
        let h = guard.as_mut().expect("a worker");
        let until = Instant::now() + self.timeout + GRACE;
        loop {
            let wait = until.saturating_duration_since(Instant::now());
            let line = match h.replies.recv_timeout(wait) {
                Ok(line) => line,
                Err(e) => {
                    let e = self.no_reply(e, h);
                    *guard = None;
                    return Err(e);
                }
            };
            match serde_json::from_str::<WorkerReply>(&line) {
                Ok(WorkerReply::Ocr(p)) => on_ocr_page.tell(p.page, p.pages),
                Ok(WorkerReply::Stages(s)) => *stages = Some(s),
                Ok(WorkerReply::Ok(r)) => {
                    h.served += 1;
                    return Ok(*r);
                }
                Ok(WorkerReply::Error(e)) => {
                    h.served += 1;
                    return Err(e);
                }
                Err(e) => {
                    *guard = None;
                    return Err(DocError::new("crashed", format!("unreadable reply: {e}")));
                }
            }
        }
    }

    /// Why a worker gave no reply: it timed out, or died.
    fn no_reply(&self, e: RecvTimeoutError, h: &mut Handle) -> DocError {
        match e {
            RecvTimeoutError::Timeout => DocError::new(
                "timeout",
                format!(
                    "gave up after {} s (per-document time limit)",
                    self.timeout.as_secs()
                ),
            ),
            RecvTimeoutError::Disconnected => {
                let status = h.child.wait().map(|s| s.to_string()).unwrap_or_default();
                DocError::new(
                    "limit",
                    format!(
                        "the worker died ({status}) without an answer: the document needed more than the {} MiB memory limit (--max-memory), or overflowed the stack",
                        self.max_memory >> 20
                    ),
                )
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A page OCR starts on is one line of its own, which the parent tells
    /// apart from the reply by its key.
    #[test]
    fn an_ocr_page_is_a_line_of_its_own() {
        let line =
            serde_json::to_string(&WorkerReply::Ocr(OcrProgress { page: 3, pages: 12 })).unwrap();
        assert_eq!(line, r#"{"ocr":{"page":3,"pages":12}}"#);
        let back: WorkerReply = serde_json::from_str(&line).unwrap();
        assert!(matches!(
            back,
            WorkerReply::Ocr(OcrProgress { page: 3, pages: 12 })
        ));
    }
}

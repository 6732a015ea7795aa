//! The `plansjekk` command line.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::Context;
use clap::{Parser, Subcommand};

use plansjekk::ingest::IngestOptions;
use plansjekk::pipeline::{self, Isolation, RunConfig};

#[derive(Parser)]
#[command(
    name = "plansjekk",
    version,
    about = "Reads Norwegian regional plans and reports and checks their arithmetic"
)]
struct Cli {
    #[command(subcommand)]
    command: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Process documents (folders are walked recursively) and write records to --out.
    Run {
        /// Files or folders [default: corpus]
        paths: Vec<PathBuf>,
        /// Output folder.
        #[arg(long, default_value = "out")]
        out: PathBuf,
        /// Documents processed at once [default: number of cores].
        #[arg(long)]
        jobs: Option<usize>,
        /// Per-document time limit in seconds.
        #[arg(long, default_value_t = 120)]
        timeout: u64,
        /// Process documents inside this process (faster, but a hang in a parser stalls the run).
        #[arg(long)]
        in_process: bool,
        /// Password to try on encrypted PDFs (repeatable).
        #[arg(long = "password")]
        passwords: Vec<String>,
    },
    /// Print the JSON Schema of the document record.
    Schema,
    /// Print a document's normalised text with its blocks, as plansjekk reads it.
    Text {
        path: PathBuf,
        #[arg(long = "password")]
        passwords: Vec<String>,
    },
    /// Internal: process one document and print the result (used for isolation).
    #[command(hide = true)]
    Worker {
        path: PathBuf,
        #[arg(long)]
        id: String,
        #[arg(long = "password")]
        passwords: Vec<String>,
    },
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Cmd::Schema => {
            print!("{}", include_str!("../schemas/document.schema.json"));
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Text { path, passwords } => {
            let bytes =
                std::fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
            let options = IngestOptions {
                passwords,
                ..IngestOptions::default()
            };
            match plansjekk::ingest::ingest(&bytes, &options) {
                Ok(doc) => {
                    // Piped into `head`, stdout closes early: that is not an error.
                    use std::io::Write;
                    let outline = plansjekk::model::render_outline(&doc);
                    let _ = std::io::stdout().lock().write_all(outline.as_bytes());
                    Ok(ExitCode::SUCCESS)
                }
                Err(e) => {
                    eprintln!("{}: [{}] {e}", path.display(), e.class());
                    Ok(ExitCode::from(1))
                }
            }
        }
        Cmd::Worker {
            path,
            id,
            passwords,
        } => {
            let options = IngestOptions {
                passwords,
                ..IngestOptions::default()
            };
            println!("{}", pipeline::worker_main(&path, &id, &options));
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Run {
            paths,
            out,
            jobs,
            timeout,
            in_process,
            passwords,
        } => {
            let paths = if paths.is_empty() {
                vec![PathBuf::from("corpus")]
            } else {
                paths
            };
            for p in &paths {
                anyhow::ensure!(p.exists(), "no such file or folder: {}", p.display());
            }
            let inputs = pipeline::collect_inputs(&paths).context("listing the inputs")?;
            anyhow::ensure!(
                !inputs.is_empty(),
                "no documents found under {}",
                paths
                    .iter()
                    .map(|p| p.display().to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            );
            let isolation = if in_process {
                Isolation::InProcess
            } else {
                Isolation::Worker {
                    exe: std::env::current_exe().context("locating the plansjekk executable")?,
                    timeout: Duration::from_secs(timeout),
                }
            };
            let cfg = RunConfig {
                out_dir: out.clone(),
                jobs: jobs
                    .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get())),
                isolation,
                options: IngestOptions {
                    passwords,
                    ..IngestOptions::default()
                },
                progress: std::io::stderr().is_terminal(),
            };
            let start = Instant::now();
            let (manifest, _timings) = pipeline::run_batch(&inputs, &cfg)
                .with_context(|| format!("writing to {}", out.display()))?;
            for d in manifest.documents.iter().filter(|d| d.status != "ok") {
                if let Some(e) = &d.error {
                    eprintln!("failed: {} [{}] {}", d.path, e.class, e.message);
                }
            }
            let s = &manifest.summary;
            eprintln!(
                "{} documents: {} ok, {} failed; {} pages; {} findings; {:.1} s → {}",
                s.ok + s.failed,
                s.ok,
                s.failed,
                s.pages,
                s.findings,
                start.elapsed().as_secs_f64(),
                out.display()
            );
            Ok(if s.failed > 0 {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            })
        }
    }
}

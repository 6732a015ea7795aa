//! The `plansjekk` command line.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::Context;
use clap::{Parser, Subcommand};

use plansjekk::batch::{self, inputs, Isolation, RunConfig};
use plansjekk::config::Config;
use plansjekk::ingest::IngestOptions;
use plansjekk::record;
use plansjekk::record::Record;

#[derive(Parser)]
#[command(
    name = "plansjekk",
    version,
    about = "Reads Norwegian regional plans and reports and checks their arithmetic",
    after_help = "Exit status:\n  run     0 every document read, 1 some could not be read, 2 usage error\n  check   0 no new finding at the --fail-on level (default error), 1 such findings or an unreadable document, 2 usage error\n  search  0 matches found, 1 none, 2 usage error or no knowledge base"
)]
struct Cli {
    #[command(subcommand)]
    command: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Process documents (folders are walked recursively) and write records to --out.
    Run(RunArgs),
    /// Check documents and print their findings, with the source lines they point at.
    Check(CheckArgs),
    /// Write the current findings of documents to a baseline file: later
    /// `check --baseline FILE` reports only new findings (and fixed ones).
    Baseline(BaselineArgs),
    /// Search the knowledge base of a run for goals, measures and text.
    Search(SearchArgs),
    /// Merge the output folders of shard runs (`run --shard K/N`) into one
    /// folder and one knowledge base, as one run over all inputs writes them.
    Merge(MergeArgs),
    /// Compare the documents of a run side by side: kind, period, goals,
    /// measures, three sums of money and main themes (comparison.csv holds
    /// every column). "budgets" adds up the goals' and measures' own budgets;
    /// "stated total" is the document's own SUM row in the table they come
    /// from; "by source" adds up the money that names its funding source.
    Compare {
        /// The run's output folder.
        #[arg(long, default_value = "out")]
        out: PathBuf,
    },
    /// Explain what a rule checks; without a rule, list the rules.
    Explain {
        /// The rule's id, as in findings ("column-sum").
        rule: Option<String>,
    },
    /// Print a shell completion script: `plansjekk completions bash >
    /// ~/.local/share/bash-completion/completions/plansjekk`.
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff): `plansjekk man > plansjekk.1; man ./plansjekk.1`.
    Man,
    /// Print the JSON Schema of the document record.
    Schema,
    /// Print a document's normalised text with its blocks, as plansjekk reads it.
    Text {
        /// The document.
        path: PathBuf,
        /// Password to try on an encrypted PDF (repeatable).
        #[arg(long = "password")]
        passwords: Vec<String>,
    },
    /// Internal: read documents named on stdin, one JSON line each, and answer
    /// each on stdout (the worker processes of a batch).
    #[command(hide = true)]
    Worker(WorkerArgs),
}

// The arguments of the larger commands, one struct each so that each command's
// function takes them whole. Their help text is the `Cmd` variant's.

#[derive(clap::Args)]
struct RunArgs {
    /// Files or folders [default: corpus, but for its second renderings in corpus/chromium]
    paths: Vec<PathBuf>,
    /// Output folder: replaced whole when the run ends.
    #[arg(long, default_value = "out")]
    out: PathBuf,
    /// Keep the records of documents that are not in this run.
    #[arg(long)]
    keep: bool,
    /// Read every document again, even those whose bytes the previous
    /// run in --out read with this same plansjekk and options.
    #[arg(long)]
    fresh: bool,
    /// Process only the K-th of N slices of the sorted inputs (K from 1),
    /// for a batch engine that runs the slices apart; `plansjekk merge`
    /// joins their output folders.
    #[arg(long, value_name = "K/N")]
    shard: Option<record::Shard>,
    /// Index every three-letter substring for `search`, so that a word is
    /// found inside compounds ("bolig" in "utleieboliger"): a knowledge
    /// base several times larger. By default words are indexed, and a word
    /// finds those it begins ("bolig" finds "boliger", "boligbygging").
    #[arg(long)]
    substring_search: bool,
    /// Print the documents that took longest to read and check, slowest
    /// first (on stderr; the outputs do not change).
    #[arg(long)]
    timings: bool,
    #[command(flatten)]
    review: ReviewArgs,
    #[command(flatten)]
    rules: RuleArgs,
    #[command(flatten)]
    batch: BatchArgs,
}

#[derive(clap::Args)]
struct CheckArgs {
    /// Files or folders.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// text for people; json (schemas/check.schema.json), jsonl (a finding
    /// a line) or sarif (SARIF 2.1.0) for programs.
    #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
    format: CheckFormat,
    /// Exit with status 1 when new findings at this level (or above) exist.
    #[arg(long, value_enum, default_value_t = FailOn::Error)]
    fail_on: FailOn,
    /// Colour the text output: auto (a terminal, and NO_COLOR unset), always, never.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
    #[command(flatten)]
    review: ReviewArgs,
    #[command(flatten)]
    rules: RuleArgs,
    #[command(flatten)]
    batch: BatchArgs,
}

#[derive(clap::Args)]
struct BaselineArgs {
    /// Files or folders.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// The baseline file to write [default: the configuration's
    /// `baseline`, else plansjekk-baseline.json].
    #[arg(long, value_name = "FILE")]
    write: Option<PathBuf>,
    #[command(flatten)]
    rules: RuleArgs,
    #[command(flatten)]
    batch: BatchArgs,
}

#[derive(clap::Args)]
struct SearchArgs {
    /// Words that must all occur: at the start of a word ("bolig" finds
    /// "boliger"; words of one or two letters only themselves), or, in a
    /// knowledge base of `run --substring-search`, anywhere in a word
    /// ("bolig" finds "utleieboliger"; words under three letters ignored).
    #[arg(required = true)]
    query: Vec<String>,
    /// The run's output folder (holding plansjekk.sqlite).
    #[arg(long, default_value = "out")]
    out: PathBuf,
    /// At most this many matches (1 to 10000).
    #[arg(long, default_value_t = 20, value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..=10_000))]
    limit: usize,
    /// Output for people (text) or for programs (json).
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    format: OutputFormat,
}

#[derive(clap::Args)]
struct MergeArgs {
    /// The shards' output folders.
    #[arg(required = true)]
    shards: Vec<PathBuf>,
    /// The merged output folder: replaced whole when the merge ends.
    #[arg(long, default_value = "out")]
    out: PathBuf,
    #[command(flatten)]
    review: ReviewArgs,
}

#[derive(clap::Args)]
struct WorkerArgs {
    /// Per-document time limit in seconds.
    #[arg(long, default_value_t = 120)]
    timeout: u64,
    /// Passwords to try on encrypted PDFs.
    #[arg(long = "password")]
    passwords: Vec<String>,
    /// The worker's address-space limit in bytes.
    #[arg(long)]
    max_memory: Option<u64>,
    /// The parent's pid: the worker ends when it does.
    #[arg(long)]
    parent: Option<u32>,
}

/// The findings already seen (shared by `run` and `check`).
#[derive(clap::Args)]
struct ReviewArgs {
    /// Report only findings not in this baseline (from `plansjekk baseline`),
    /// and those of it that are fixed [default: the configuration's].
    #[arg(long, value_name = "FILE")]
    baseline: Option<PathBuf>,
    /// Reviewed findings, shown as waived (TOML: finding, reviewer, date,
    /// reason) [default: the configuration's].
    #[arg(long, value_name = "FILE")]
    waivers: Option<PathBuf>,
}

impl ReviewArgs {
    fn load(&self, config: &Config) -> anyhow::Result<plansjekk::review::Review> {
        let pick = |flag: &Option<PathBuf>, conf: &Option<PathBuf>| {
            flag.clone()
                .or_else(|| conf.as_ref().map(|p| config.resolve(p)))
        };
        let baseline = pick(&self.baseline, &config.baseline);
        let waivers = pick(&self.waivers, &config.waivers);
        Ok(plansjekk::review::Review::load(
            baseline.as_deref(),
            waivers.as_deref(),
        )?)
    }
}

/// Which rules, severities and files (shared by `run` and `check`); adds to
/// `plansjekk.toml`.
#[derive(clap::Args)]
struct RuleArgs {
    /// The configuration file [default: plansjekk.toml in this folder or the
    /// nearest parent that has one].
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Run only these rules (repeatable; `plansjekk explain` lists them).
    #[arg(long, value_name = "RULE")]
    select: Vec<String>,
    /// Leave out these rules (repeatable).
    #[arg(long, value_name = "RULE")]
    ignore: Vec<String>,
    /// Read only the files of a folder matching this glob, e.g. "**/*.pdf" (repeatable).
    #[arg(long, value_name = "GLOB")]
    include: Vec<String>,
    /// Leave out the files of a folder matching this glob, e.g. "**/utkast/**" (repeatable).
    #[arg(long, value_name = "GLOB")]
    exclude: Vec<String>,
    /// Follow symbolic links that lead outside the folders given (off: such
    /// links are listed as skipped).
    #[arg(long)]
    follow_links: bool,
    /// Keep notices too: sums that do not match under a reading nothing else
    /// corroborates ("could not reconcile"), probably misreadings.
    #[arg(long)]
    notices: bool,
}

impl RuleArgs {
    fn config(&self) -> anyhow::Result<Config> {
        let file = match &self.config {
            Some(f) => Some(f.clone()),
            None => Config::find(&std::env::current_dir()?),
        };
        let config = match file {
            Some(f) => Config::load(&f)?,
            None => Config::default(),
        };
        Ok(config.with_cli(
            &self.select,
            &self.ignore,
            &self.include,
            &self.exclude,
            self.notices,
        )?)
    }

    fn walk(&self) -> inputs::WalkOptions {
        inputs::WalkOptions {
            follow_links: self.follow_links,
            ..Default::default()
        }
    }
}

/// How a batch of documents is processed (shared by `run` and `check`).
#[derive(clap::Args)]
struct BatchArgs {
    /// Documents processed at once, 1 to 1024 [default: number of cores].
    #[arg(long, value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..=1024))]
    jobs: Option<usize>,
    /// Per-document time limit in seconds (at most a day).
    #[arg(long, default_value_t = 120, value_parser = clap::value_parser!(u64).range(1..=86_400))]
    timeout: u64,
    /// Memory limit of each worker process ("1G", "512M"): a document that
    /// needs more fails alone, classified "limit".
    #[arg(long, default_value = "1G", value_parser = plansjekk::sandbox::parse_size)]
    max_memory: u64,
    /// Process documents inside this process: faster, and the time limit is
    /// checked between pages, but the memory limit does not apply; for
    /// documents you trust.
    #[arg(long)]
    in_process: bool,
    /// Password to try on encrypted PDFs (repeatable).
    #[arg(long = "password")]
    passwords: Vec<String>,
}

impl BatchArgs {
    fn jobs(&self) -> usize {
        self.jobs
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
    }

    fn isolation(&self) -> anyhow::Result<Isolation> {
        Ok(if self.in_process {
            Isolation::InProcess {
                timeout: Duration::from_secs(self.timeout),
            }
        } else {
            Isolation::Worker {
                exe: std::env::current_exe().context("locating the plansjekk executable")?,
                timeout: Duration::from_secs(self.timeout),
                max_memory: self.max_memory,
            }
        })
    }

    fn options(&self) -> IngestOptions {
        IngestOptions {
            passwords: self.passwords.clone(),
            ..IngestOptions::default()
        }
    }
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum OutputFormat {
    Text,
    Json,
}

#[derive(Clone, Copy, PartialEq, clap::ValueEnum)]
enum FailOn {
    Error,
    Warning,
    Never,
}

#[derive(Clone, Copy, PartialEq, clap::ValueEnum)]
enum CheckFormat {
    Text,
    Json,
    Jsonl,
    Sarif,
}

#[derive(Clone, Copy, PartialEq, clap::ValueEnum)]
enum ColorChoice {
    Auto,
    Always,
    Never,
}

impl ColorChoice {
    fn enabled(self) -> bool {
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                std::io::stdout().is_terminal()
                    && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
            }
        }
    }
}

/// Reads the documents under `paths` with the batch's reader, applying the
/// configured rule choices: each input with its id and its record or error.
fn read_all(
    inputs: &inputs::Inputs,
    config: &Config,
    batch: &BatchArgs,
) -> anyhow::Result<Vec<(PathBuf, Result<Record, record::DocError>)>> {
    use rayon::prelude::*;
    let ids = record::assign_ids(&inputs.documents);
    let iso = batch.isolation()?;
    let options = batch.options();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(batch.jobs().max(1))
        .build()?;
    let reader = batch::Reader::new(&iso, &options, batch.jobs().max(1));
    let choices = config.rules();
    Ok(pool.install(|| {
        inputs
            .documents
            .par_iter()
            .zip(ids.par_iter())
            .map(|(p, id)| {
                let r = reader.read(p, id).map(|mut rec| {
                    choices.apply(&mut rec);
                    rec
                });
                (p.clone(), r)
            })
            .collect()
    }))
}

fn inputs_of(
    paths: &[PathBuf],
    exclude: &[PathBuf],
    config: &Config,
    walk: &inputs::WalkOptions,
) -> anyhow::Result<inputs::Inputs> {
    for p in paths {
        anyhow::ensure!(
            p.symlink_metadata().is_ok(),
            "no such file or folder: {}",
            p.display()
        );
    }
    let inputs = inputs::list_inputs(paths, exclude, &config.inputs(), walk)?;
    anyhow::ensure!(
        !inputs.documents.is_empty(),
        "no documents found under {}{}",
        paths
            .iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
            .join(", "),
        if inputs.skipped.is_empty() {
            String::new()
        } else {
            format!(
                " ({} files skipped: not documents, or outside the globs)",
                inputs.skipped.len()
            )
        }
    );
    Ok(inputs)
}

fn report_run(manifest: &record::Manifest, out: &std::path::Path, start: Instant) {
    for d in manifest
        .documents
        .iter()
        .filter(|d| d.status == plansjekk::record::DocStatus::Failed)
    {
        if let Some(e) = &d.error {
            use plansjekk::emit::terminal::escape;
            eprintln!(
                "failed: {} [{}] {}",
                escape(&d.path),
                e.class,
                escape(&e.message)
            );
        }
    }
    let s = &manifest.summary;
    let skipped = if s.skipped > 0 {
        format!(
            ", {} skipped (not documents; see manifest.json)",
            plansjekk::emit::terminal::count(s.skipped, "file")
        )
    } else {
        String::new()
    };
    eprintln!(
        "{}: {} ok, {} failed{skipped}; {}; {}; {:.1} s → {}",
        plansjekk::emit::terminal::count(s.ok + s.failed, "document"),
        s.ok,
        s.failed,
        plansjekk::emit::terminal::count(s.pages, "page"),
        plansjekk::emit::terminal::count(s.findings, "finding"),
        start.elapsed().as_secs_f64(),
        out.display()
    );
    eprint!("{}", plansjekk::emit::outputs::guide(out, manifest));
}

/// How many documents `run --timings` lists.
const SLOWEST_SHOWN: usize = 10;

/// The `n` documents read that took longest, slowest first (ties by id, so
/// that the list is the same whatever the order the documents were read
/// in), a line each: the whole and its stages, in seconds. "outputs" is the
/// rest: the record written, the report page and tables made. A document
/// whose worker died or timed out has no stages ("-").
fn slowest(mut timings: Vec<batch::Timing>, n: usize) -> String {
    use std::fmt::Write;
    if timings.is_empty() {
        return "no document was read anew: nothing to time\n".to_string();
    }
    timings.sort_by(|a, b| b.took.cmp(&a.took).then_with(|| a.id.cmp(&b.id)));
    let mut text = format!(
        "slowest documents, in seconds ({} of {}):\n{:>9}{:>9}{:>11}{:>9}{:>9}{:>9}  document\n",
        n.min(timings.len()),
        timings.len(),
        "total",
        "reading",
        "extraction",
        "checks",
        "record",
        "outputs"
    );
    for t in timings.iter().take(n) {
        let _ = write!(text, "{:>9.3}", t.took.as_secs_f64());
        match t.stages {
            Some(s) => {
                let rest = t
                    .took
                    .saturating_sub(s.reading + s.extraction + s.checks + s.record);
                let _ = write!(
                    text,
                    "{:>9.3}{:>11.3}{:>9.3}{:>9.3}{:>9.3}",
                    s.reading.as_secs_f64(),
                    s.extraction.as_secs_f64(),
                    s.checks.as_secs_f64(),
                    s.record.as_secs_f64(),
                    rest.as_secs_f64()
                );
            }
            None => {
                let _ = write!(text, "{:>9}{:>11}{:>9}{:>9}{:>9}", "-", "-", "-", "-", "-");
            }
        }
        let _ = writeln!(text, "  {}", t.id);
    }
    text
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
            eprintln!("error: {}", said_once(&e));
            ExitCode::from(2)
        }
    }
}

/// An error and its causes, each said once: the library's errors already
/// name their cause ("plansjekk.toml: No such file or directory"), so a
/// cause whose text the message holds is not repeated after it.
fn said_once(e: &anyhow::Error) -> String {
    let mut text = String::new();
    for cause in e.chain() {
        let c = cause.to_string();
        if text.contains(&c) {
            continue;
        }
        if !text.is_empty() {
            text.push_str(": ");
        }
        text.push_str(&c);
    }
    text
}

/// The commands: one function each, so that `main` stays the CLI's front door.
fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Cmd::Run(args) => cmd_run(args),
        Cmd::Check(args) => cmd_check(args),
        Cmd::Baseline(args) => cmd_baseline(args),
        Cmd::Search(args) => cmd_search(args),
        Cmd::Merge(args) => cmd_merge(args),
        Cmd::Compare { out } => cmd_compare(&out),
        Cmd::Explain { rule } => Ok(cmd_explain(rule.as_deref())),
        Cmd::Completions { shell } => Ok(cmd_completions(shell)),
        Cmd::Man => cmd_man(),
        Cmd::Schema => Ok(cmd_schema()),
        Cmd::Text { path, passwords } => cmd_text(&path, passwords),
        Cmd::Worker(args) => cmd_worker(args),
    }
}

/// Status 1 when something the user asked for failed or tripped, else 0:
/// the same convention for every command.
fn exit_code(failed: bool) -> ExitCode {
    if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// What `run` reads when given no PATH: the bundled corpus, each of its
/// documents as a text and as a PDF.
const DEFAULT_INPUT: &str = "corpus";

/// Second PDF renderings (made by Chromium) of two corpus documents, kept for
/// the tests of browser-made PDFs. Read by default, every finding of those
/// documents would be printed once more, and the first findings a newcomer
/// sees would all be of one rendering; so the default run leaves them out.
const DEFAULT_RENDERINGS: &str = "corpus/chromium";

/// `plansjekk run`: the batch over the inputs, its outputs in `--out`.
fn cmd_run(args: RunArgs) -> anyhow::Result<ExitCode> {
    let RunArgs {
        paths,
        out,
        keep,
        fresh,
        shard,
        substring_search,
        timings,
        review,
        rules,
        batch,
    } = args;
    // The output folder is never read as input; nor, by default, the
    // corpus's second renderings.
    let mut left_out = vec![out.clone()];
    let paths = if paths.is_empty() {
        let renderings = PathBuf::from(DEFAULT_RENDERINGS);
        if renderings.is_dir() {
            eprintln!(
                "no PATH given: reading {DEFAULT_INPUT}/, but for the second renderings in \
                 {DEFAULT_RENDERINGS}/ (`plansjekk run {DEFAULT_INPUT}` reads them too)"
            );
            left_out.push(renderings);
        }
        vec![PathBuf::from(DEFAULT_INPUT)]
    } else {
        paths
    };
    let config = rules.config()?;
    let review = review.load(&config)?;
    let inputs = inputs_of(&paths, &left_out, &config, &rules.walk())?;
    let cfg = RunConfig {
        rules: config.rules(),
        skipped: inputs.skipped.clone(),
        review,
        out_dir: out.clone(),
        keep,
        fresh,
        shard,
        jobs: batch.jobs(),
        isolation: batch.isolation()?,
        options: batch.options(),
        progress: std::io::stderr().is_terminal(),
        text_index: if substring_search {
            plansjekk::emit::sqlite::TextIndex::Substrings
        } else {
            plansjekk::emit::sqlite::TextIndex::Words
        },
    };
    let start = Instant::now();
    let (manifest, timed) = batch::run_batch(&inputs.documents, &cfg)
        .with_context(|| format!("writing to {}", out.display()))?;
    report_run(&manifest, &out, start);
    if timings {
        eprint!("{}", slowest(timed, SLOWEST_SHOWN));
    }
    Ok(exit_code(manifest.summary.failed > 0))
}

/// `plansjekk check`: the findings of the inputs on stdout, in the format
/// asked for; the status says whether new findings at `--fail-on` exist.
fn cmd_check(args: CheckArgs) -> anyhow::Result<ExitCode> {
    let config = args.rules.config()?;
    let review = args.review.load(&config)?;
    let inputs = inputs_of(&args.paths, &[], &config, &args.rules.walk())?;
    let results = read_all(&inputs, &config, &args.batch)?;
    let outcome = plansjekk::emit::check::Outcome::new(&results, &review);
    write_check(&args, &outcome, &results, &review, &inputs.skipped)?;
    let tripped = match args.fail_on {
        FailOn::Error => outcome.new_errors > 0,
        FailOn::Warning => outcome.new_errors + outcome.new_warnings > 0,
        FailOn::Never => false,
    };
    Ok(exit_code(tripped || outcome.failed > 0))
}

/// Writes `check`'s findings to stdout in the format of `--format`.
fn write_check(
    args: &CheckArgs,
    outcome: &plansjekk::emit::check::Outcome,
    results: &[(PathBuf, Result<Record, record::DocError>)],
    review: &plansjekk::review::Review,
    skipped: &[(PathBuf, String)],
) -> anyhow::Result<()> {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    // Piped into `head`, stdout closes early: that is not an error.
    let _ = match args.format {
        CheckFormat::Text => write!(
            stdout,
            "{}",
            outcome.text(results, review, skipped, args.color.enabled())
        ),
        CheckFormat::Json => writeln!(
            stdout,
            "{}",
            plansjekk::emit::check::to_json_text(
                &serde_json::to_value(outcome.json(results, review))?,
                true
            )
        ),
        CheckFormat::Jsonl => outcome.jsonl(results, review, &mut stdout),
        CheckFormat::Sarif => {
            let records: Vec<&Record> = results
                .iter()
                .filter_map(|(_, r)| r.as_ref().ok())
                .collect();
            writeln!(
                stdout,
                "{}",
                plansjekk::emit::check::to_json_text(
                    &serde_json::to_value(plansjekk::emit::sarif::log(&records, review))?,
                    true
                )
            )
        }
    };
    Ok(())
}

/// `plansjekk baseline`: the inputs' current findings written to a baseline
/// file, so that later checks report only what is new.
fn cmd_baseline(args: BaselineArgs) -> anyhow::Result<ExitCode> {
    let BaselineArgs {
        paths,
        write,
        rules,
        batch,
    } = args;
    let config = rules.config()?;
    let inputs = inputs_of(&paths, &[], &config, &rules.walk())?;
    let results = read_all(&inputs, &config, &batch)?;
    let baseline = plansjekk::review::Baseline::of(
        results
            .iter()
            .filter_map(|(_, r)| r.as_ref().ok())
            .flat_map(|rec| rec.findings.iter().map(move |f| (rec.id.as_str(), f))),
    );
    let file = write
        .or_else(|| config.baseline.as_ref().map(|p| config.resolve(p)))
        .unwrap_or_else(|| PathBuf::from("plansjekk-baseline.json"));
    plansjekk::emit::json::write_json(&file, &baseline)
        .with_context(|| format!("writing {}", file.display()))?;
    let failed = results.iter().filter(|(_, r)| r.is_err()).count();
    eprintln!(
        "{} of {} → {}{}",
        plansjekk::emit::terminal::count(baseline.findings.len(), "finding"),
        plansjekk::emit::terminal::count(results.len(), "document"),
        file.display(),
        if failed > 0 {
            format!(" ({failed} could not be read)")
        } else {
            String::new()
        }
    );
    Ok(exit_code(failed > 0))
}

/// `plansjekk search`: matches in a run's knowledge base; status 1 when
/// there are none.
fn cmd_search(args: SearchArgs) -> anyhow::Result<ExitCode> {
    let SearchArgs {
        query,
        out,
        limit,
        format,
    } = args;
    let kb = out.join(plansjekk::emit::outputs::KNOWLEDGE_BASE);
    anyhow::ensure!(
        kb.is_file(),
        "no knowledge base at {}: run `plansjekk run --out {}` first",
        kb.display(),
        out.display()
    );
    let query = query.join(" ");
    let hits = plansjekk::emit::sqlite::search(&kb, &query, limit)?;
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    let _ = match format {
        OutputFormat::Json => writeln!(
            stdout,
            "{}",
            plansjekk::emit::check::to_json_text(&serde_json::to_value(&hits)?, true)
        ),
        OutputFormat::Text => {
            // Only a full page of matches may hide more.
            let total = if hits.len() == limit {
                plansjekk::emit::sqlite::count_matches(&kb, &query)?
            } else {
                hits.len()
            };
            write!(stdout, "{}", search_text(&hits, total, &query))
        }
    };
    Ok(exit_code(hits.is_empty()))
}

/// The matches of a search as people read them: each match's document,
/// kind and place, its title and snippet, then how many there are. What the
/// documents say reaches a terminal, so it is escaped.
fn search_text(hits: &[plansjekk::emit::sqlite::Hit], total: usize, query: &str) -> String {
    use plansjekk::emit::terminal::escape;
    let mut text = String::new();
    for h in hits {
        let place = match h.page {
            Some(p) => format!("page {p}, line {}", h.line),
            None => format!("line {}", h.line),
        };
        let what = match &h.reference {
            Some(r) => format!("{} {r}", h.kind),
            None => h.kind.clone(),
        };
        text.push_str(&format!(
            "{}  {}  ({place})\n",
            escape(&h.document),
            escape(&what)
        ));
        if !h.title.is_empty() {
            text.push_str(&format!("    {}\n", escape(&h.title)));
        }
        if h.snippet != h.title {
            text.push_str(&format!("    {}\n", escape(&h.snippet)));
        }
    }
    let shown = if total > hits.len() {
        format!("{} of {total}", hits.len())
    } else {
        hits.len().to_string()
    };
    text.push_str(&format!(
        "{shown} match{} for «{}»{}\n",
        if total == 1 { "" } else { "es" },
        escape(query),
        if total > hits.len() {
            " (--limit shows more)"
        } else {
            ""
        }
    ));
    text
}

/// `plansjekk merge`: the shards' output folders joined into `--out`.
fn cmd_merge(args: MergeArgs) -> anyhow::Result<ExitCode> {
    let start = Instant::now();
    // Only the review files come from the configuration: the rules were
    // applied when the shards ran.
    let config = match Config::find(&std::env::current_dir()?) {
        Some(f) => Config::load(&f)?,
        None => Config::default(),
    };
    let review = args.review.load(&config)?;
    let manifest = batch::merge::merge(&args.shards, &args.out, &review)
        .with_context(|| format!("merging into {}", args.out.display()))?;
    report_run(&manifest, &args.out, start);
    Ok(exit_code(manifest.summary.failed > 0))
}

/// What the three sums of `compare` are.
const COMPARE_LEGEND: &str = "
budgets       the goals' and measures' own budgets added up (each at the highest level that has one)
stated total  the document's own total: its SUM/Totalt row in the table those budgets come from
by source     budgeted and granted money that names its funding source, added up
";

/// `plansjekk compare`: the run's documents side by side on stdout.
fn cmd_compare(out: &std::path::Path) -> anyhow::Result<ExitCode> {
    anyhow::ensure!(
        out.join("manifest.json").is_file(),
        "no run in {}: run `plansjekk run --out {}` first",
        out.display(),
        out.display()
    );
    let mut comparison = plansjekk::emit::compare::Comparison::new();
    plansjekk::emit::outputs::for_each_record(out, |r| comparison.add(r))
        .with_context(|| format!("reading the run in {}", out.display()))?;
    use std::io::{IsTerminal, Write};
    let mut stdout = std::io::stdout().lock();
    let _ = write!(
        stdout,
        "{}",
        plansjekk::emit::compare::render_text(comparison.rows())
    );
    // People at a terminal get the three sums named; a pipe gets the table.
    if stdout.is_terminal() {
        let _ = write!(stdout, "{COMPARE_LEGEND}");
    }
    Ok(ExitCode::SUCCESS)
}

/// `plansjekk explain`: one rule in full, or without a rule the list of
/// them; status 2 for a rule that does not exist, like a usage error.
fn cmd_explain(rule: Option<&str>) -> ExitCode {
    use plansjekk::rules;
    let Some(id) = rule else {
        list_rules();
        return ExitCode::SUCCESS;
    };
    match rules::rule(id) {
        Some(r) => {
            println!("# {} ({})\n", r.id(), r.severity().as_str());
            println!("{}", rules::explanation_text(r));
            ExitCode::SUCCESS
        }
        None => {
            let ids: Vec<&str> = rules::RULES.iter().map(|r| r.id()).collect();
            let hint = rules::closest_id(id)
                .map_or_else(String::new, |c| format!(" (did you mean «{c}»?)"));
            eprintln!(
                "error: no rule «{id}»{hint}; the rules are: {}",
                ids.join(", ")
            );
            ExitCode::from(2)
        }
    }
}

/// The rules one a line, each with its severity and the start of its
/// explanation's first paragraph, so that a reader can pick one to explain.
fn list_rules() {
    use plansjekk::rules;
    use std::io::IsTerminal;
    // A terminal gets one screen line a rule; a pipe or a file gets the
    // whole summary, which a program or a reader with a pager wants.
    let width = std::io::stdout().is_terminal().then_some(SUMMARY_WIDTH);
    for r in rules::RULES {
        let first = rules::explanation_text(*r)
            .lines()
            .skip_while(|l| l.starts_with('#') || l.trim().is_empty())
            .take_while(|l| !l.trim().is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        println!(
            "{:<16} {:<8} {}",
            r.id(),
            r.severity().as_str(),
            cut(&first, width)
        );
    }
    println!("\n`plansjekk explain RULE` prints one rule in full.");
}

/// Characters of a rule's summary `explain` shows on a terminal.
const SUMMARY_WIDTH: usize = 100;

/// `text` cut to `width` characters with "…" when it is longer; whole
/// without a width.
fn cut(text: &str, width: Option<usize>) -> String {
    match width {
        Some(w) if text.chars().count() > w => {
            format!("{}…", text.chars().take(w).collect::<String>().trim_end())
        }
        _ => text.to_string(),
    }
}

/// `plansjekk completions`: the shell's completion script on stdout.
fn cmd_completions(shell: clap_complete::Shell) -> ExitCode {
    use clap::CommandFactory;
    let mut cmd = Cli::command();
    let mut buf = Vec::new();
    clap_complete::generate(shell, &mut cmd, "plansjekk", &mut buf);
    use std::io::Write;
    let _ = std::io::stdout().lock().write_all(&buf);
    ExitCode::SUCCESS
}

/// `plansjekk man`: the manual page (roff) on stdout.
fn cmd_man() -> anyhow::Result<ExitCode> {
    use clap::CommandFactory;
    let mut buf = Vec::new();
    clap_mangen::Man::new(Cli::command()).render(&mut buf)?;
    use std::io::Write;
    let _ = std::io::stdout().lock().write_all(&buf);
    Ok(ExitCode::SUCCESS)
}

/// `plansjekk schema`: the record's JSON Schema, as built into the binary.
fn cmd_schema() -> ExitCode {
    print!("{}", include_str!("../schemas/document.schema.json"));
    ExitCode::SUCCESS
}

/// `plansjekk text`: a document as plansjekk reads it, for finding out why
/// a figure was or was not seen; status 1 when it cannot be read.
fn cmd_text(path: &std::path::Path, passwords: Vec<String>) -> anyhow::Result<ExitCode> {
    let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
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

/// `plansjekk worker`: a batch's worker process, confined, serving the
/// parent until stdin closes.
fn cmd_worker(args: WorkerArgs) -> anyhow::Result<ExitCode> {
    plansjekk::sandbox::confine(args.max_memory, args.parent);
    let options = IngestOptions {
        passwords: args.passwords,
        ..IngestOptions::default()
    };
    batch::workers::serve(&options, Duration::from_secs(args.timeout))
        .context("serving as a worker")?;
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::{cut, Cli};
    use clap::CommandFactory;

    #[test]
    fn the_slowest_documents_come_first_and_ties_by_id() {
        use plansjekk::batch::Timing;
        use plansjekk::pipeline::Stages;
        use std::time::Duration;
        let ms = Duration::from_millis;
        let stages = Stages {
            reading: ms(900),
            extraction: ms(300),
            checks: ms(200),
            record: ms(50),
        };
        let timing = |id: &str, took, stages| Timing {
            id: id.to_string(),
            took: ms(took),
            stages,
        };
        let timings = vec![
            timing("b", 5, None),
            timing("a", 1500, Some(stages)),
            timing("c", 5, None),
            timing("d", 0, None),
        ];
        let text = super::slowest(timings, 3);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines,
            [
                "slowest documents, in seconds (3 of 4):",
                "    total  reading extraction   checks   record  outputs  document",
                "    1.500    0.900      0.300    0.200    0.050    0.050  a",
                "    0.005        -          -        -        -        -  b",
                "    0.005        -          -        -        -        -  c",
            ]
        );
        assert_eq!(
            super::slowest(Vec::new(), 3),
            "no document was read anew: nothing to time\n"
        );
    }

    #[test]
    fn a_summary_is_cut_only_when_longer_than_the_width() {
        assert_eq!(cut("Kort.", Some(100)), "Kort.");
        assert_eq!(cut("abc def", Some(4)), "abc…");
        assert_eq!(cut("abc def", None), "abc def");
    }

    /// Every subcommand and argument a user can see has help text.
    #[test]
    fn every_argument_has_help() {
        let cmd = Cli::command();
        cmd.clone().debug_assert();
        let mut missing = Vec::new();
        for sub in cmd.get_subcommands() {
            if sub.get_about().is_none() {
                missing.push(sub.get_name().to_string());
            }
            for arg in sub.get_arguments() {
                let id = arg.get_id().as_str();
                if id == "help" || id == "version" {
                    continue;
                }
                if arg.get_help().is_none() {
                    missing.push(format!("{} {id}", sub.get_name()));
                }
            }
        }
        assert!(missing.is_empty(), "without help: {missing:?}");
    }
}

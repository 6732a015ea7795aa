//! `plansjekk.toml`: which rules run and how severe their findings are, how
//! much difference is tolerated, which files of a folder are documents, and
//! where the baseline and the waivers are. Found in the working folder or
//! the nearest parent that has one (or given with `--config`); the command
//! line's `--select`, `--ignore`, `--include` and `--exclude` add to it.
//!
//! ```toml
//! # Rules to run (default: all) and rules to leave out.
//! select = ["column-sum", "row-sum", "text-vs-table", "text-sum"]
//! ignore = ["toc-mismatch"]
//! # Files of the folders given: globs on the path below the folder.
//! include = ["**/*.pdf", "**/*.docx"]
//! exclude = ["**/utkast/**"]
//! baseline = "plansjekk-baseline.json"
//! waivers = "plansjekk-waivers.toml"
//! # Keep notices: sums that do not match under a reading nothing else
//! # corroborates ("could not reconcile"). Left out by default.
//! notices = true
//!
//! [severity]            # per rule: "error" or "warning"
//! numbering = "error"
//!
//! [tolerance]           # money differences not worth a finding
//! nok = 1000            # at most this many kroner
//! percent = 0.1         # or at most this share of the stated figure
//! ```

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::record::Record;
use crate::rules::{self, Severity};

/// The configuration file's name.
pub const FILE_NAME: &str = "plansjekk.toml";

/// Why a configuration cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{path}: {message}")]
    Parse { path: String, message: String },
    #[error("{origin}: no rule «{rule}»{}; the rules are: {known}", did_you_mean(.rule))]
    UnknownRule {
        origin: String,
        rule: String,
        known: String,
    },
    #[error("{origin}: «{glob}» is not a glob: {message}")]
    Glob {
        origin: String,
        glob: String,
        message: String,
    },
    #[error("{path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    /// A value of the right type that cannot be meant (NaN, out of range).
    #[error("{origin}: {key} = {value}: {expected}")]
    Value {
        origin: String,
        key: String,
        value: String,
        expected: String,
    },
}

/// ", did you mean «column-sum»?" for a rule id one or two edits off.
fn did_you_mean(rule: &str) -> String {
    crate::rules::closest_id(rule).map_or_else(String::new, |id| format!(" (did you mean «{id}»?)"))
}

/// The largest configuration, baseline or waiver file read: they are
/// written by people or by `plansjekk baseline`, never this large, and a
/// file that is (`/dev/zero` named by mistake) is not read into memory.
pub const MAX_FILE_BYTES: u64 = 64 << 20;

/// Reads a file people point plansjekk at, which must be a regular file of at
/// most `max` bytes. The type is checked on the opened file, not on the path,
/// so nothing can be swapped in between; and the file is opened without
/// blocking, since opening a FIFO for reading otherwise waits for a writer
/// that may never come.
pub(crate) fn read_regular_file(path: &Path, max: u64) -> std::io::Result<String> {
    use std::io::{Error, ErrorKind, Read};
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(Error::new(
            ErrorKind::InvalidInput,
            format!("{}, not a regular file", file_kind(&meta)),
        ));
    }
    let too_big = |bytes: u64| {
        Error::new(
            ErrorKind::InvalidData,
            format!("{bytes} bytes or more, larger than the {max} bytes read"),
        )
    };
    if meta.len() > max {
        return Err(too_big(meta.len()));
    }
    // It may grow after the look at its length: read at most one byte more.
    let mut bytes = Vec::new();
    file.take(max + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > max {
        return Err(too_big(bytes.len() as u64));
    }
    String::from_utf8(bytes).map_err(|e| {
        Error::new(
            ErrorKind::InvalidData,
            format!("not UTF-8 text (byte {})", e.utf8_error().valid_up_to()),
        )
    })
}

/// What a file that is not a regular file is, for an error message.
fn file_kind(meta: &std::fs::Metadata) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = meta.file_type();
        if t.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if t.is_socket() {
            return "a socket";
        }
        if t.is_char_device() || t.is_block_device() {
            return "a device";
        }
    }
    if meta.is_dir() {
        "a folder"
    } else {
        "not a file"
    }
}

/// A severity as the file writes it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Error,
    Warning,
}

impl Level {
    fn severity(self) -> Severity {
        match self {
            Level::Error => Severity::Error,
            Level::Warning => Severity::Warning,
        }
    }
}

/// Differences too small to report.
#[derive(Clone, Copy, Debug, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tolerance {
    /// At most this many kroner (or units, for counts).
    pub nok: Option<f64>,
    /// At most this share of the stated figure, in percent.
    pub percent: Option<f64>,
}

impl Tolerance {
    /// The keys whose values cannot be a tolerance: NaN would tolerate
    /// nothing and infinity everything without a word, a negative one
    /// nothing, a share above 100 % more than the figure itself.
    fn problems(&self) -> Vec<(&'static str, f64, &'static str)> {
        let mut out = Vec::new();
        if let Some(n) = self.nok.filter(|n| !(n.is_finite() && *n >= 0.0)) {
            out.push((
                "[tolerance] nok",
                n,
                "must be a finite number of kroner, 0 or more",
            ));
        }
        if let Some(p) = self
            .percent
            .filter(|p| !(p.is_finite() && (0.0..=100.0).contains(p)))
        {
            out.push((
                "[tolerance] percent",
                p,
                "must be a finite share in percent, from 0 to 100",
            ));
        }
        out
    }
}

/// The file as written.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub select: Option<Vec<String>>,
    #[serde(default)]
    pub ignore: Vec<String>,
    #[serde(default)]
    pub severity: BTreeMap<String, Level>,
    #[serde(default)]
    pub tolerance: Tolerance,
    #[serde(default)]
    pub include: Vec<String>,
    #[serde(default)]
    pub exclude: Vec<String>,
    pub baseline: Option<PathBuf>,
    pub waivers: Option<PathBuf>,
    /// Keep notices, findings whose reading nothing corroborates.
    #[serde(default)]
    pub notices: bool,
    /// Where it was read (paths in it are relative to its folder).
    #[serde(skip)]
    pub origin: Option<PathBuf>,
}

impl Config {
    /// The nearest `plansjekk.toml` from `dir` upwards. Whatever has that
    /// name counts, a folder or a FIFO too, so that [`Config::load`] says
    /// what is wrong with it instead of the configuration being ignored.
    pub fn find(dir: &Path) -> Option<PathBuf> {
        dir.ancestors()
            .map(|d| d.join(FILE_NAME))
            .find(|p| p.symlink_metadata().is_ok())
    }

    /// Reads and checks a configuration file.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = read_regular_file(path, MAX_FILE_BYTES).map_err(|source| ConfigError::Io {
            path: path.display().to_string(),
            source,
        })?;
        let mut c: Config = toml::from_str(&text).map_err(|e| ConfigError::Parse {
            path: path.display().to_string(),
            message: e.to_string(),
        })?;
        c.origin = Some(path.to_path_buf());
        c.check(&path.display().to_string())?;
        Ok(c)
    }

    /// A path the file names, relative to the file's folder.
    pub fn resolve(&self, p: &Path) -> PathBuf {
        match self.origin.as_ref().and_then(|o| o.parent()) {
            Some(dir) if p.is_relative() => dir.join(p),
            _ => p.to_path_buf(),
        }
    }

    /// Adds the command line's choices.
    pub fn with_cli(
        mut self,
        select: &[String],
        ignore: &[String],
        include: &[String],
        exclude: &[String],
        notices: bool,
    ) -> Result<Config, ConfigError> {
        self.notices |= notices;
        if !select.is_empty() {
            self.select = Some(select.to_vec());
        }
        self.ignore.extend(ignore.iter().cloned());
        self.include.extend(include.iter().cloned());
        self.exclude.extend(exclude.iter().cloned());
        self.check("the command line")?;
        Ok(self)
    }

    fn check(&self, origin: &str) -> Result<(), ConfigError> {
        if let Some((key, value, expected)) = self.tolerance.problems().into_iter().next() {
            return Err(ConfigError::Value {
                origin: origin.to_string(),
                key: key.to_string(),
                value: value.to_string(),
                expected: expected.to_string(),
            });
        }
        if self.select.as_ref().is_some_and(Vec::is_empty) {
            return Err(ConfigError::Value {
                origin: origin.to_string(),
                key: "select".to_string(),
                value: "[]".to_string(),
                expected: "names no rule, so none would run; leave it out to run them all"
                    .to_string(),
            });
        }
        let known: Vec<&str> = rules::RULES.iter().map(|r| r.id()).collect();
        let named = self
            .select
            .iter()
            .flatten()
            .chain(&self.ignore)
            .chain(self.severity.keys());
        for rule in named {
            if !known.contains(&rule.as_str()) {
                return Err(ConfigError::UnknownRule {
                    origin: origin.to_string(),
                    rule: rule.clone(),
                    known: known.join(", "),
                });
            }
        }
        for glob in self.include.iter().chain(&self.exclude) {
            globset::Glob::new(glob).map_err(|e| ConfigError::Glob {
                origin: origin.to_string(),
                glob: glob.clone(),
                message: e.kind().to_string(),
            })?;
        }
        Ok(())
    }

    /// The rule choices, ready to apply to records.
    pub fn rules(&self) -> RuleChoices {
        RuleChoices {
            select: self.select.clone(),
            ignore: self.ignore.clone(),
            severity: self
                .severity
                .iter()
                .map(|(k, v)| (k.clone(), v.severity()))
                .collect(),
            tolerance: self.tolerance,
            notices: self.notices,
        }
    }

    /// The input filter.
    pub fn inputs(&self) -> InputFilter {
        let set = |globs: &[String]| {
            let mut b = globset::GlobSetBuilder::new();
            for g in globs {
                if let Ok(g) = globset::Glob::new(g) {
                    b.add(g);
                }
            }
            b.build().unwrap_or_else(|_| globset::GlobSet::empty())
        };
        InputFilter {
            include: (!self.include.is_empty()).then(|| set(&self.include)),
            exclude: set(&self.exclude),
        }
    }
}

/// The rules whose differences are money, to which a tolerance applies
/// (counts, shares and dates are exact).
const MONEY_RULES: [&str; 5] = [
    "column-sum",
    "row-sum",
    "text-vs-table",
    "text-sum",
    "cross-table",
];

/// Which findings a run keeps and how severe they are.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RuleChoices {
    select: Option<Vec<String>>,
    ignore: Vec<String>,
    severity: BTreeMap<String, Severity>,
    tolerance: Tolerance,
    notices: bool,
}

impl RuleChoices {
    fn runs(&self, rule: &str) -> bool {
        self.select
            .as_ref()
            .is_none_or(|s| s.iter().any(|r| r == rule))
            && !self.ignore.iter().any(|r| r == rule)
    }

    fn tolerated(&self, rule: &str, difference: Option<f64>, stated: Option<f64>) -> bool {
        let Some(d) = difference.map(f64::abs) else {
            return false;
        };
        if !MONEY_RULES.contains(&rule) {
            return false;
        }
        let by_nok = self.tolerance.nok.is_some_and(|t| d <= t);
        let by_share = match (self.tolerance.percent, stated) {
            (Some(p), Some(s)) if s != 0.0 => d <= s.abs() * p / 100.0,
            _ => false,
        };
        by_nok || by_share
    }

    /// Leaves out the findings of rules not chosen, those within the
    /// tolerance and, unless asked for, notices; sets the configured
    /// severities. Ids are kept: they do not depend on severity.
    pub fn apply(&self, rec: &mut Record) {
        rec.findings.retain(|f| {
            (self.notices || f.severity != Severity::Notice.as_str())
                && self.runs(&f.rule)
                && !self.tolerated(&f.rule, f.difference, f.stated)
        });
        // A notice stays a notice: a configured severity says how much a
        // rule's corroborated findings matter, not that uncorroborated ones
        // are now alarms.
        for f in rec.findings.iter_mut().filter(|f| f.severity != "notice") {
            if let Some(s) = self.severity.get(&f.rule) {
                f.severity = s.as_str().to_string();
            }
        }
    }

    /// What the choices are, for the run key: records made with other
    /// choices are not reused.
    pub fn digest(&self) -> String {
        format!(
            "{:?}|{:?}|{:?}|{:?}|{:?}|{}",
            self.select,
            self.ignore,
            self.severity,
            self.tolerance.nok,
            self.tolerance.percent,
            self.notices
        )
    }
}

/// The files of a folder that are documents: a document format's extension
/// (or none: the content tells), within `include`, outside `exclude`.
#[derive(Clone, Debug, Default)]
pub struct InputFilter {
    include: Option<globset::GlobSet>,
    exclude: globset::GlobSet,
}

/// Extensions of the formats plansjekk reads. A file without an extension
/// is read too; its content says what it is.
const DOCUMENT_EXTENSIONS: [&str; 11] = [
    "pdf", "docx", "html", "htm", "xhtml", "txt", "text", "xlsx", "xlsm", "ods", "xls",
];

impl InputFilter {
    /// Why a file found in a folder is not read, if it is not: `below` is its
    /// path below the folder given.
    pub fn skip(&self, path: &Path, below: &Path) -> Option<String> {
        if let Some(ext) = path.extension().map(|e| e.to_string_lossy().to_lowercase()) {
            if !DOCUMENT_EXTENSIONS.contains(&ext.as_str()) {
                return Some(format!(
                    ".{ext} is not a document format plansjekk reads (PDF, DOCX, HTML, text)"
                ));
            }
        }
        if self.exclude.is_match(below) {
            return Some("excluded by an --exclude glob".into());
        }
        if self.include.as_ref().is_some_and(|i| !i.is_match(below)) {
            return Some("not matched by an --include glob".into());
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, String> {
        let c: Config = toml::from_str(text).map_err(|e| e.to_string())?;
        c.check("test").map_err(|e| e.to_string())?;
        Ok(c)
    }

    #[test]
    fn the_documented_example_reads() {
        let example = crate::test_support::toml_example(include_str!("config.rs"));
        let c = parse(&example).expect("the module's example is valid");
        assert_eq!(c.ignore, vec!["toc-mismatch"]);
        assert_eq!(c.severity["numbering"], Level::Error);
        assert_eq!(c.tolerance.nok, Some(1000.0));
    }

    #[test]
    fn unknown_keys_and_rules_are_clear_errors() {
        let e = parse("selekt = [\"column-sum\"]").unwrap_err();
        assert!(e.contains("selekt"), "{e}");
        let e = parse("ignore = [\"colum-sum\"]").unwrap_err();
        assert!(
            e.contains("no rule «colum-sum»") && e.contains("column-sum"),
            "{e}"
        );
        let e = parse("[severity]\nrow-sum = \"fatal\"").unwrap_err();
        assert!(e.contains("fatal"), "{e}");
        let e = parse("exclude = [\"**/[utkast\"]").unwrap_err();
        assert!(e.contains("not a glob"), "{e}");
    }

    #[test]
    fn non_documents_and_globs_are_skipped() {
        let f = parse("exclude = [\"**/utkast/**\"]").unwrap().inputs();
        let skip = |p: &str| f.skip(Path::new(p), Path::new(p));
        assert!(skip("Cargo.lock").is_some());
        assert!(skip("NOTES.md").is_some());
        assert!(skip("bilde.PNG").is_some());
        assert!(skip("plan.pdf").is_none());
        assert!(skip("plan.DOCX").is_none());
        assert!(skip("README").is_none(), "no extension: the content tells");
        assert!(skip("2025/utkast/plan.pdf").is_some());
        let f = parse("include = [\"**/*.pdf\"]").unwrap().inputs();
        assert!(f
            .skip(Path::new("a/plan.txt"), Path::new("a/plan.txt"))
            .is_some());
        assert!(f
            .skip(Path::new("a/plan.pdf"), Path::new("a/plan.pdf"))
            .is_none());
    }

    #[test]
    fn choices_select_ignore_retune_and_tolerate() {
        use crate::record::Finding;
        let finding = |rule: &str, diff: f64| Finding {
            id: format!("{rule}-x"),
            rule: rule.into(),
            severity: "warning".into(),
            message: String::new(),
            stated: Some(1_000_000.0),
            computed: None,
            difference: Some(diff),
            locations: vec![],
            hint: None,
            confidence: String::new(),
            reason: String::new(),
            ocr: None,
        };
        let mut rec = Record::blank("d", "txt");
        rec.findings = vec![
            finding("column-sum", 500.0),
            finding("column-sum", 5_000.0),
            finding("toc-mismatch", 0.0),
            finding("numbering", 1.0),
        ];
        let c = parse("ignore = [\"toc-mismatch\"]\n[severity]\nnumbering = \"error\"\n[tolerance]\nnok = 1000")
            .unwrap();
        c.rules().apply(&mut rec);
        let kept: Vec<(&str, f64, &str)> = rec
            .findings
            .iter()
            .map(|f| (f.rule.as_str(), f.difference.unwrap(), f.severity.as_str()))
            .collect();
        // A numbering difference is no money: no tolerance, a new severity.
        assert_eq!(
            kept,
            vec![
                ("column-sum", 5_000.0, "warning"),
                ("numbering", 1.0, "error")
            ]
        );
        let share = parse("[tolerance]\npercent = 1").unwrap();
        let mut rec3 = Record::blank("d", "txt");
        rec3.findings = vec![finding("row-sum", 9_000.0), finding("row-sum", 11_000.0)];
        share.rules().apply(&mut rec3);
        assert_eq!(rec3.findings.len(), 1);
    }

    #[test]
    fn notices_are_left_out_unless_asked_for_and_stay_notices() {
        use crate::record::Finding;
        let finding = |severity: &str| Finding {
            id: format!("row-sum-{severity}"),
            rule: "row-sum".into(),
            severity: severity.into(),
            message: String::new(),
            stated: Some(10.0),
            computed: Some(20.0),
            difference: Some(10.0),
            locations: vec![],
            hint: None,
            confidence: String::new(),
            reason: String::new(),
            ocr: None,
        };
        let severities = |config: &str| {
            let mut rec = Record::blank("d", "txt");
            rec.findings = vec![finding("error"), finding("notice")];
            parse(config).unwrap().rules().apply(&mut rec);
            rec.findings
                .iter()
                .map(|f| f.severity.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(severities(""), ["error"]);
        assert_eq!(severities("notices = true"), ["error", "notice"]);
        // A configured severity does not turn an uncorroborated reading
        // into an alarm.
        assert_eq!(
            severities("notices = true\n[severity]\nrow-sum = \"warning\""),
            ["warning", "notice"]
        );
        let asked = Config::default()
            .with_cli(&[], &[], &[], &[], true)
            .unwrap()
            .rules();
        assert_ne!(asked.digest(), Config::default().rules().digest());
    }

    #[test]
    fn tolerances_that_are_no_number_or_out_of_range_are_refused_by_key() {
        for (text, key) in [
            ("[tolerance]\nnok = nan", "[tolerance] nok = NaN"),
            ("[tolerance]\nnok = inf", "[tolerance] nok = inf"),
            ("[tolerance]\nnok = -1", "[tolerance] nok = -1"),
            ("[tolerance]\npercent = -inf", "[tolerance] percent = -inf"),
            ("[tolerance]\npercent = 101", "[tolerance] percent = 101"),
            ("[tolerance]\npercent = nan", "[tolerance] percent = NaN"),
        ] {
            let e = parse(text).unwrap_err();
            assert!(e.starts_with("test: ") && e.contains(key), "{text}: {e}");
        }
        let fine = parse("[tolerance]\nnok = 0\npercent = 100").unwrap();
        assert_eq!(fine.tolerance.percent, Some(100.0));
        let e = parse("select = []").unwrap_err();
        assert!(e.contains("select = []"), "{e}");
    }

    #[test]
    fn a_configuration_that_is_no_regular_file_is_named_not_ignored() {
        let dir = std::env::temp_dir().join(format!("plansjekk-config-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let inner = dir.join("a").join("b");
        std::fs::create_dir_all(&inner).unwrap();
        // A folder of that name is found, and loading it says what it is.
        std::fs::create_dir(dir.join("a").join(FILE_NAME)).unwrap();
        let found = Config::find(&inner).unwrap();
        assert_eq!(found, dir.join("a").join(FILE_NAME));
        let e = Config::load(&found).unwrap_err().to_string();
        assert!(
            e.contains(&found.display().to_string()) && e.contains("a folder, not a regular file"),
            "{e}"
        );
        let e = read_regular_file(Path::new("/dev/zero"), MAX_FILE_BYTES).unwrap_err();
        assert!(e.to_string().contains("a device"), "{e}");
        let big = dir.join("big.toml");
        std::fs::write(&big, "# 12345678\n").unwrap();
        let e = read_regular_file(&big, 4).unwrap_err();
        assert!(e.to_string().contains("larger than the 4 bytes"), "{e}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// Opening a FIFO for reading blocks until a writer comes; the check
    /// must not (if it did, this test would hang, not fail).
    #[cfg(unix)]
    #[test]
    fn a_fifo_is_refused_without_waiting_for_a_writer() {
        let fifo = std::env::temp_dir().join(format!("plansjekk-fifo-{}", std::process::id()));
        let _ = std::fs::remove_file(&fifo);
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        assert!(made.unwrap().success(), "mkfifo");
        let e = Config::load(&fifo).unwrap_err().to_string();
        std::fs::remove_file(&fifo).unwrap();
        assert!(e.contains("a FIFO (named pipe), not a regular file"), "{e}");
    }
}

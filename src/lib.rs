//! plansjekk reads Norwegian regional plans and reports (PDF, DOCX, HTML, text),
//! turns each into one common record of goals, measures, actors, amounts and
//! timeframes, and checks its arithmetic and internal consistency.
//!
//! The modules follow the pipeline: [`ingest`] → [`extract`] → [`rules`] →
//! [`record`] → [`emit`]; [`pipeline`] composes them for one document and
//! [`batch`] runs many.

pub mod batch;
pub mod config;
pub mod emit;
pub mod extract;
pub mod ingest;
pub mod model;
pub mod norsk;
pub mod pipeline;
pub mod record;
pub mod review;
pub mod rules;
pub mod sandbox;

/// Helpers for the unit tests.
#[cfg(test)]
pub(crate) mod test_support {
    /// The first TOML example of a module's doc comment, as a file.
    pub fn toml_example(source: &str) -> String {
        source
            .lines()
            .skip_while(|l| !l.starts_with("//! ```toml"))
            .skip(1)
            .take_while(|l| !l.starts_with("//! ```"))
            .map(|l| l.trim_start_matches("//!").trim_start())
            .collect::<Vec<_>>()
            .join("\n")
    }
}

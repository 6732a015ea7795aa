//! Why one document failed: the class and message the manifest reports.

use serde::{Deserialize, Serialize};

/// Why one document failed, as the manifest reports it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocError {
    /// Stable class: empty, unknown-format, unsupported-format, encrypted,
    /// corrupt, too-large, no-text, io, panic, timeout, crashed.
    pub class: String,
    pub message: String,
}

impl DocError {
    pub fn new(class: &str, message: impl Into<String>) -> Self {
        DocError {
            class: class.to_string(),
            message: message.into(),
        }
    }
}

/// A document that produces more than one document may (see
/// [`IngestOptions::max_amounts`](crate::ingest::IngestOptions::max_amounts)) fails with class `limit`.
pub fn over_limit(what: &str, n: usize, limit: usize) -> Result<(), DocError> {
    if n > limit {
        return Err(DocError::new(
            "limit",
            format!(
                "the document gives {n} {what}, over the limit of {limit} one document may produce"
            ),
        ));
    }
    Ok(())
}

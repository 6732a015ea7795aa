//! Writing results. The serialised contract (`record`) is kept apart from the
//! internal model so internals can change without breaking users; each output
//! format is one sink that knows nothing about how records were made.
//!
//! Floor 6: uses `record`, `review`, `config`, `rules` (their explanations)
//! and the lower floors; `pipeline` and `batch` use it.

pub mod check;
pub mod columns;
pub mod compare;
pub mod csv;
pub mod datapackage;
pub mod folder;
pub mod json;
pub mod outputs;
pub mod report;
pub mod rows;
pub mod sarif;
pub mod sqlite;
pub mod terminal;

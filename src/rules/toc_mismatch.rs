use super::{declare_rule, Checker, Finding};

declare_rule! {
    /// ## What it checks
    /// TODO
    ///
    /// ## Why it matters
    ///
    /// ## Example
    pub struct TocMismatch {
        id: "toc-mismatch",
        severity: Error,
        check: check,
    }
}

fn check(_cx: &Checker, _out: &mut Vec<Finding>) {}

use super::{declare_rule, Checker, Finding};

declare_rule! {
    /// ## What it checks
    /// TODO
    ///
    /// ## Why it matters
    ///
    /// ## Example
    pub struct Numbering {
        id: "numbering",
        severity: Error,
        check: check,
    }
}

fn check(_cx: &Checker, _out: &mut Vec<Finding>) {}

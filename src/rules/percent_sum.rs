use super::{declare_rule, Checker, Finding};

declare_rule! {
    /// ## What it checks
    /// TODO
    ///
    /// ## Why it matters
    ///
    /// ## Example
    pub struct PercentSum {
        id: "percent-sum",
        severity: Error,
        check: check,
    }
}

fn check(_cx: &Checker, _out: &mut Vec<Finding>) {}

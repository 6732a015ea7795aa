//! Goals and measures from the heading structure. (The extraction issue deepens
//! this: tables, list lead-ins and merging across places.)

use std::sync::LazyLock;

use regex::Regex;

use super::{Goal, Measure};
use crate::ingest::layout::capitalise;
use crate::model::{BlockKind, Document};

static GOAL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(hovedmål|hovudmål|delmål|mål|innsatsområde|satsingsområde|fokusområde)\s*(\d{1,2})?\s*[:.\-–]?\s*(.*)$").unwrap()
});
static MEASURE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(tiltak|aktivitet|prosjekt)\s*(\d{1,2})\s*[:.\-–]?\s*(.*)$").unwrap()
});
static STATUS: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?i)^status\s*:\s*(.+)$").unwrap());

/// For every block line, the goal and measure it falls under.
#[derive(Clone, Debug, Default)]
pub struct Context {
    /// (first line, goal index, measure index), sorted by line.
    pub marks: Vec<(u32, Option<usize>, Option<usize>)>,
}

impl Context {
    pub fn at(&self, line: u32) -> (Option<usize>, Option<usize>) {
        let i = self.marks.partition_point(|m| m.0 <= line);
        if i == 0 {
            (None, None)
        } else {
            (self.marks[i - 1].1, self.marks[i - 1].2)
        }
    }
}

pub fn goals_and_measures(doc: &Document) -> (Vec<Goal>, Vec<Measure>, Context) {
    let mut goals: Vec<Goal> = Vec::new();
    let mut measures: Vec<Measure> = Vec::new();
    let mut ctx = Context::default();
    let mut goal: Option<usize> = None;
    let mut measure: Option<usize> = None;
    let mut goal_level = 0u8;
    for b in doc.blocks() {
        let BlockKind::Heading { level, .. } = b.kind else {
            if let (Some(m), Some(c)) = (measure, STATUS.captures(b.text.trim())) {
                if measures[m].status.is_none() {
                    measures[m].status = Some(c[1].trim().to_string());
                }
            }
            continue;
        };
        let t = b.text.trim();
        if let Some(c) = GOAL.captures(t) {
            let number = c
                .get(2)
                .map(|n| format!("{} {}", capitalise(&c[1]), n.as_str()));
            let title = c[3]
                .trim()
                .trim_start_matches([':', '.'])
                .trim()
                .to_string();
            goals.push(Goal {
                number,
                title: if title.is_empty() {
                    t.to_string()
                } else {
                    title
                },
                span: b.span,
            });
            goal = Some(goals.len() - 1);
            goal_level = level;
            measure = None;
        } else if let Some(c) = MEASURE.captures(t) {
            let title = c[3].trim().to_string();
            measures.push(Measure {
                goal,
                number: Some(c[2].to_string()),
                title: if title.is_empty() {
                    t.to_string()
                } else {
                    title
                },
                status: None,
                span: b.span,
            });
            measure = Some(measures.len() - 1);
        } else if level <= goal_level.min(1) {
            // A new top-level section ends the goal.
            goal = None;
            measure = None;
        }
        ctx.marks.push((b.span.line, goal, measure));
    }
    (goals, measures, ctx)
}

//! The layout of `src/` guards itself: no import reaches up a floor, and no
//! two files of a folder import each other, however indirectly.
//!
//! Each `crate::…` or `super::…` path in a file (outside its unit tests) is an
//! arrow to the module it names. Between top-level modules an arrow may only
//! go to the same floor or a lower one of [`FLOORS`], and the arrows between
//! them must not close a circle. Inside a folder, arrows between its files
//! (`super::grid::…`, `crate::extract::grid::…`) must not close a circle
//! either; a folder's `mod.rs` is its front door (its shared types, its
//! composition) and is left out of that check.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The floors of `src/`, lowest first: a module uses its own floor and the
/// ones below, never one above. The order is the pipeline's: bytes are
/// ingested into a document, extracted into a plan, checked by the rules,
/// written into a record; configuration and review choices apply to records;
/// `emit` writes every output; `pipeline` composes one document; `batch`
/// runs many.
const FLOORS: &[&[&str]] = &[
    &["norsk", "model", "sandbox"],
    &["ingest"],
    &["extract"],
    &["rules"],
    &["record"],
    &["config", "review"],
    &["emit"],
    &["pipeline"],
    &["batch"],
];

fn floor(module: &str) -> Option<usize> {
    FLOORS.iter().position(|f| f.contains(&module))
}

/// A source file's module path: `src/extract/grid.rs` → `extract::grid`,
/// `src/extract/mod.rs` → `extract`.
fn module_of(rel: &str) -> Vec<String> {
    let rel = rel.trim_end_matches(".rs");
    let mut parts: Vec<String> = rel.split('/').map(str::to_string).collect();
    if parts.last().is_some_and(|l| l == "mod" || l == "lib") {
        parts.pop();
    }
    parts
}

/// The code of a file without its comments and its unit tests.
fn code(text: &str) -> String {
    let mut out = String::new();
    for line in code_lines(text) {
        if line.trim_start().starts_with("//") {
            continue;
        }
        out.push_str(line.split(" // ").next().unwrap_or(""));
        out.push('\n');
    }
    out
}

/// The module paths a file's code names, each as segments after `crate`
/// (a `super::` path resolved from `module`). Brace groups are expanded one
/// level: `crate::extract::{grid::X, tables}` names `extract::grid::X` and
/// `extract::tables`.
fn paths(module: &[String], is_front: bool, code: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let bytes = code.as_bytes();
    for (start, root) in code
        .match_indices("crate::")
        .chain(code.match_indices("super::"))
    {
        if start > 0 && (bytes[start - 1].is_ascii_alphanumeric() || bytes[start - 1] == b'_') {
            continue;
        }
        let mut base: Vec<String> = if root == "crate::" {
            Vec::new()
        } else {
            // `super` of a folder's mod.rs is the folder's parent; of a file,
            // its folder.
            let up = if is_front { 2 } else { 1 };
            module[..module.len().saturating_sub(up)].to_vec()
        };
        let rest = &code[start + root.len()..];
        let mut segs = rest.split("::");
        let mut group = None;
        for seg in segs.by_ref() {
            if let Some(g) = seg.strip_prefix('{') {
                group = Some(&rest[rest.find('{').unwrap() + 1..]);
                let _ = g;
                break;
            }
            let name: String = seg
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if name.is_empty() || name == "super" {
                break;
            }
            let ends = name.len() < seg.len();
            base.push(name);
            if ends {
                break;
            }
        }
        match group {
            Some(g) => {
                let inner = &g[..g.find('}').unwrap_or(g.len())];
                for item in inner.split(',') {
                    let first: String = item
                        .trim()
                        .chars()
                        .take_while(|c| c.is_alphanumeric() || *c == '_')
                        .collect();
                    if !first.is_empty() && first != "self" {
                        let mut p = base.clone();
                        p.push(first);
                        out.push(p);
                    }
                }
                out.push(base);
            }
            None => out.push(base),
        }
    }
    out
}

/// The longest prefix of `path` that is a module of `modules`.
fn resolve(path: &[String], modules: &BTreeSet<Vec<String>>) -> Option<Vec<String>> {
    (1..=path.len())
        .rev()
        .map(|n| path[..n].to_vec())
        .find(|p| modules.contains(p))
}

/// Circles in a graph: each strongly connected set of more than one node.
fn circles(edges: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    let nodes: BTreeSet<&String> = edges.keys().chain(edges.values().flatten()).collect();
    let reach = |from: &String| {
        let mut seen = BTreeSet::new();
        let mut todo = vec![from.clone()];
        while let Some(n) = todo.pop() {
            for m in edges.get(&n).into_iter().flatten() {
                if seen.insert(m.clone()) {
                    todo.push(m.clone());
                }
            }
        }
        seen
    };
    let reaches: BTreeMap<&String, BTreeSet<String>> =
        nodes.iter().map(|n| (*n, reach(n))).collect();
    let mut out: Vec<Vec<String>> = Vec::new();
    for n in &nodes {
        if !reaches[n].contains(*n) {
            continue;
        }
        let mut set: Vec<String> = nodes
            .iter()
            .filter(|m| reaches[n].contains(**m) && reaches[*m].contains(*n))
            .map(|m| (*m).clone())
            .collect();
        set.sort();
        if set.len() > 1 && !out.contains(&set) {
            out.push(set);
        }
    }
    out
}

/// Every breach of the layout among `files` (path below `src/` → text).
fn breaches(files: &BTreeMap<String, String>) -> Vec<String> {
    let modules: BTreeSet<Vec<String>> = files.keys().map(|f| module_of(f)).collect();
    let mut problems = Vec::new();
    let mut top: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut siblings: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (file, text) in files {
        let module = module_of(file);
        let Some(from) = module.first() else {
            continue; // lib.rs declares the modules
        };
        let is_front = file.ends_with("mod.rs");
        for path in paths(&module, is_front, &code(text)) {
            let Some(target) = resolve(&path, &modules) else {
                continue;
            };
            let to = &target[0];
            if to != from {
                match (floor(from), floor(to)) {
                    (Some(a), Some(b)) if b > a => problems.push(format!(
                        "{file}: `{}` reaches up from {from} (floor {a}) to {to} (floor {b})",
                        path.join("::")
                    )),
                    (None, _) => problems.push(format!("{file}: module {from} has no floor")),
                    (_, None) => problems.push(format!("{file}: module {to} has no floor")),
                    _ => {}
                }
                top.entry(from.clone()).or_default().insert(to.clone());
                continue;
            }
            // Within a folder: file to file, fronts aside.
            let same_folder = target.len() == module.len()
                && target[..target.len() - 1] == module[..module.len() - 1];
            let target_is_front = files
                .keys()
                .any(|f| f.ends_with("mod.rs") && module_of(f) == target);
            if same_folder && target != module && !is_front && !target_is_front {
                siblings
                    .entry(module.join("::"))
                    .or_default()
                    .insert(target.join("::"));
            }
        }
    }
    for c in circles(&top) {
        problems.push(format!(
            "top-level modules import each other: {}",
            c.join(" ↔ ")
        ));
    }
    for c in circles(&siblings) {
        problems.push(format!(
            "files of a folder import each other: {}",
            c.join(" ↔ ")
        ));
    }
    problems
}

fn read_src(dir: &Path, root: &Path, out: &mut BTreeMap<String, String>) {
    for entry in std::fs::read_dir(dir).expect("src/ reads") {
        let path = entry.expect("an entry").path();
        if path.is_dir() {
            read_src(&path, root, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let rel = path
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            if rel != "main.rs" {
                out.insert(rel, std::fs::read_to_string(&path).expect("a source file"));
            }
        }
    }
}

#[test]
fn no_import_reaches_up_or_closes_a_circle() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = BTreeMap::new();
    read_src(&root, &root, &mut files);
    assert!(files.len() > 50, "src/ has {} files", files.len());
    let problems = breaches(&files);
    assert!(
        problems.is_empty(),
        "{} breaches:\n  {}",
        problems.len(),
        problems.join("\n  ")
    );
}

#[test]
fn a_planted_upward_import_and_circle_are_caught() {
    let files: BTreeMap<String, String> = [
        ("lib.rs", "pub mod ingest; pub mod emit; pub mod extract;"),
        ("ingest/mod.rs", "pub mod text; pub mod html;"),
        ("ingest/text.rs", "use super::html::Item;\nfn f() {}"),
        (
            "ingest/html.rs",
            "use crate::ingest::{text::segment};\n// use crate::emit::x;",
        ),
        ("extract/mod.rs", "use crate::emit::json::write;"),
        ("emit/mod.rs", "pub mod json;\nuse crate::extract::Plan;"),
        (
            "emit/json.rs",
            "#[cfg(test)]\nmod tests { use crate::batch::x; }",
        ),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    let p = breaches(&files);
    assert!(
        p.iter().any(|l| l.contains("reaches up from extract")),
        "{p:?}"
    );
    assert!(
        p.iter().any(|l| l.contains("ingest::html ↔ ingest::text")),
        "{p:?}"
    );
    assert!(p.iter().any(|l| l.contains("emit ↔ extract")), "{p:?}");
    // Comments and unit tests are no imports.
    assert_eq!(p.len(), 3, "{p:?}");
}

/// Functions still longer than a screen, and why; the list may only shrink
/// (a listed function that fits fails the test too, so the list stays true).
const LONG_FUNCTIONS: &[(&str, &str, &str)] = &[];

/// The longest a function may be: a screen.
const MAX_FUNCTION_LINES: usize = 100;

/// Each function of a file (outside its unit tests) with its length in lines,
/// from its `fn` line to the closing brace at the same indent.
fn function_lengths(text: &str) -> Vec<(String, usize)> {
    let lines: Vec<&str> = code_lines(text);
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let t = line.trim_start();
        let indent = line.len() - t.len();
        let rest = [
            "pub(crate) ",
            "pub(super) ",
            "pub ",
            "const ",
            "async ",
            "unsafe ",
        ]
        .iter()
        .fold(t, |r, p| r.strip_prefix(p).unwrap_or(r));
        let Some(sig) = rest.strip_prefix("fn ") else {
            continue;
        };
        let name: String = sig
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        // A declaration without a body (in a trait) has no length.
        let Some(open) = (i..lines.len())
            .find(|&k| lines[k].contains('{') || lines[k].trim_end().ends_with(';'))
        else {
            continue;
        };
        if !lines[open].contains('{') {
            continue;
        }
        let close = (open..lines.len()).find(|&k| {
            let l = lines[k];
            l.len() - l.trim_start().len() == indent && l.trim_start().starts_with('}')
        });
        if let Some(close) = close {
            out.push((name, close - i + 1));
        } else if lines[open].trim_end().ends_with('}') {
            out.push((name, open - i + 1));
        }
    }
    out
}

/// A file's lines up to its unit tests.
fn code_lines(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut lines = text.lines().peekable();
    while let Some(line) = lines.next() {
        let t = line.trim_start();
        if t == "#[cfg(test)]"
            && lines
                .peek()
                .is_some_and(|n| n.trim_start().starts_with("mod "))
        {
            break;
        }
        out.push(line);
    }
    out
}

#[test]
fn every_function_fits_on_a_screen() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = BTreeMap::new();
    read_src(&root, &root, &mut files);
    let text = std::fs::read_to_string(root.join("main.rs")).expect("main.rs");
    files.insert("main.rs".to_string(), text);
    let mut long = Vec::new();
    for (file, text) in &files {
        for (name, n) in function_lengths(text) {
            if n > MAX_FUNCTION_LINES {
                long.push((file.clone(), name, n));
            }
        }
    }
    let listed = |f: &str, name: &str| {
        LONG_FUNCTIONS
            .iter()
            .any(|(lf, ln, _)| *lf == f && *ln == name)
    };
    let unlisted: Vec<String> = long
        .iter()
        .filter(|(f, name, _)| !listed(f, name))
        .map(|(f, name, n)| format!("{f}: fn {name} is {n} lines"))
        .collect();
    let fitting: Vec<String> = LONG_FUNCTIONS
        .iter()
        .filter(|(f, name, _)| !long.iter().any(|(lf, ln, _)| lf == f && ln == name))
        .map(|(f, name, _)| format!("{f}: fn {name}"))
        .collect();
    assert!(
        unlisted.is_empty(),
        "functions over {MAX_FUNCTION_LINES} lines (split them by meaning):\n  {}",
        unlisted.join("\n  ")
    );
    assert!(
        fitting.is_empty(),
        "listed as long but now fit (remove them from LONG_FUNCTIONS): {fitting:?}"
    );
}

#[test]
fn function_lengths_are_measured_from_fn_to_its_brace() {
    let text = "pub fn a() {\n    let x = 1;\n}\n\nimpl X {\n    fn b(&self) -> u8 {\n        if true {\n            1\n        } else {\n            2\n        }\n    }\n    fn c();\n}\n#[cfg(test)]\nmod tests {\n    fn long() {\n    }\n}\n";
    assert_eq!(
        function_lengths(text),
        vec![("a".to_string(), 3), ("b".to_string(), 7)]
    );
}

/// The spellings of Unicode's digit class in Rust source: `\d` in a raw
/// string, `\\d` in a plain one.
fn unicode_digit_classes(text: &str) -> Vec<usize> {
    code_lines(text)
        .iter()
        .enumerate()
        .filter(|(_, line)| !line.trim_start().starts_with("//"))
        .filter(|(_, line)| line.contains(r"\d") || line.contains(r"\D"))
        .map(|(i, _)| i + 1)
        .collect()
}

/// Digits are ASCII in every expression (see `src/norsk/mod.rs`): `[0-9]`,
/// not Unicode's `\d`, which matched digits no parser here reads and cost a
/// tenth of the expressions' compile time at every start.
#[test]
fn expressions_spell_digits_as_ascii() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = BTreeMap::new();
    read_src(&root, &root, &mut files);
    let found: Vec<String> = files
        .iter()
        .flat_map(|(f, text)| {
            unicode_digit_classes(text)
                .into_iter()
                .map(move |l| format!("src/{f}:{l}"))
        })
        .collect();
    assert!(found.is_empty(), "Unicode \\d in: {}", found.join(", "));
    assert_eq!(
        unicode_digit_classes("let a = 1;\nRegex::new(r\"^\\d+$\");\n// \\d in a comment\n"),
        vec![2]
    );
}

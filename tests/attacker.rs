//! plansjekk as an attacker or a careless user would drive it (issue 19):
//! output folders that are not plansjekk's, ids that are paths, shards that do
//! not belong together, links out of the input folders, documents that
//! inflate. Each test hashes the tree around the run before and after: a run
//! may change only what it owns inside `--out`.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Output;

/// Every path under `dir` with what it is: a file's bytes hashed, a link's
/// target, a folder. Links are never followed.
fn tree(dir: &Path) -> BTreeMap<PathBuf, String> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            let rel = p.strip_prefix(dir).unwrap().to_path_buf();
            let t = e.file_type().unwrap();
            let what = if t.is_symlink() {
                format!("link {}", fs::read_link(&p).unwrap().display())
            } else if t.is_dir() {
                stack.push(p.clone());
                "folder".to_string()
            } else if t.is_file() {
                let bytes = fs::read(&p).unwrap();
                format!(
                    "file {} {}",
                    bytes.len(),
                    plansjekk::record::sha256_hex(&bytes)
                )
            } else {
                "special".to_string()
            };
            out.insert(rel, what);
        }
    }
    out
}

fn plansjekk(args: &[&str]) -> Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_plansjekk"))
        .args(args)
        .output()
        .unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// A folder of two small text plans to run on.
fn inputs(root: &Path) -> PathBuf {
    let dir = root.join("docs");
    fs::create_dir_all(&dir).unwrap();
    fs::write(
        dir.join("plan-a.txt"),
        "Handlingsplan 2025\n\nTiltak 1: Kommunen setter av 100 000 kr til bolig.\n",
    )
    .unwrap();
    fs::write(
        dir.join("plan-b.txt"),
        "Handlingsplan 2026\n\nTiltak 1: Fylket setter av 200 000 kr til vei.\n",
    )
    .unwrap();
    dir
}

/// A run that is refused must say why, exit 2, and change nothing under `root`.
fn refused_untouched(root: &Path, args: &[&str], says: &str) {
    let before = tree(root);
    let o = plansjekk(args);
    assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
    assert!(stderr(&o).contains(says), "{args:?}: {}", stderr(&o));
    assert_eq!(tree(root), before, "{args:?} changed the tree");
}

#[test]
fn a_folder_with_someone_elses_manifest_is_never_taken_over() {
    let root = common::tempdir("attack-manifest");
    let docs = inputs(&root);
    let ext = root.join("web-extension");
    fs::create_dir_all(ext.join("icons")).unwrap();
    fs::write(ext.join("manifest.json"), r#"{"manifest_version": 3}"#).unwrap();
    fs::write(ext.join("background.js"), "precious()").unwrap();
    fs::write(ext.join("icons/a.png"), [0u8, 1, 2]).unwrap();
    refused_untouched(
        &root,
        &["run", s(&docs), "--out", s(&ext)],
        "not a plansjekk output folder",
    );
    // merge writes through the same door.
    let shard = root.join("shard");
    let o = plansjekk(&["run", s(&docs), "--out", s(&shard)]);
    assert!(o.status.success(), "{}", stderr(&o));
    refused_untouched(
        &root,
        &["merge", s(&shard), "--out", s(&ext)],
        "not a plansjekk output folder",
    );
}

#[test]
fn the_parent_of_the_inputs_as_out_keeps_the_inputs() {
    let root = common::tempdir("attack-parent");
    let docs = inputs(&root);
    refused_untouched(
        &root,
        &["run", s(&docs), "--out", s(&root)],
        "not a plansjekk output folder",
    );
    // Inputs inside a plansjekk output folder are refused too: a run
    // replaces the folder whole.
    let out = root.join("out");
    assert!(plansjekk(&["run", s(&docs), "--out", s(&out)])
        .status
        .success());
    // A file named on the command line is always read.
    refused_untouched(
        &root,
        &[
            "run",
            s(&docs),
            s(&out.join("comparison.csv")),
            "--out",
            s(&out),
        ],
        "inside --out",
    );
}

#[test]
fn a_regular_file_as_out_is_refused_before_anything_is_touched() {
    let root = common::tempdir("attack-file");
    let docs = inputs(&root);
    let notes = root.join("notes.txt");
    fs::write(&notes, "my notes").unwrap();
    refused_untouched(
        &root,
        &["run", s(&docs), "--out", s(&notes)],
        "is a file, not a folder",
    );
}

#[test]
fn fresh_and_unchanged_runs_never_delete_or_follow_what_a_user_added() {
    let root = common::tempdir("attack-added");
    let docs = inputs(&root);
    let out = root.join("out");
    assert!(plansjekk(&["run", s(&docs), "--out", s(&out)])
        .status
        .success());
    fs::write(out.join("my-analysis.R"), "library(ggplot2)").unwrap();
    refused_untouched(
        &root,
        &["run", s(&docs), "--out", s(&out), "--fresh"],
        "my-analysis.R",
    );
    fs::remove_file(out.join("my-analysis.R")).unwrap();
    // A link to a folder elsewhere, placed in the output folder.
    let elsewhere = root.join("elsewhere");
    fs::create_dir_all(&elsewhere).unwrap();
    fs::write(elsewhere.join("big.bin"), [7u8; 4096]).unwrap();
    std::os::unix::fs::symlink(&elsewhere, out.join("tables/linked")).unwrap();
    refused_untouched(&root, &["run", s(&docs), "--out", s(&out)], "tables/linked");
    fs::remove_file(out.join("tables/linked")).unwrap();
    // Without them, the folder is plansjekk's again.
    let o = plansjekk(&["run", s(&docs), "--out", s(&out)]);
    assert!(o.status.success(), "{}", stderr(&o));
}

/// Two shard folders of one run over `docs`, in `root/s1` and `root/s2`.
fn shards(root: &Path, docs: &Path) -> (PathBuf, PathBuf) {
    let (s1, s2) = (root.join("s1"), root.join("s2"));
    for (shard, out) in [("1/2", &s1), ("2/2", &s2)] {
        let o = plansjekk(&["run", s(docs), "--shard", shard, "--out", s(out)]);
        assert!(o.status.success(), "{}", stderr(&o));
    }
    (s1, s2)
}

fn edit_json(path: &Path, edit: impl FnOnce(&mut serde_json::Value)) {
    let mut v: serde_json::Value = serde_json::from_slice(&fs::read(path).unwrap()).unwrap();
    edit(&mut v);
    fs::write(path, serde_json::to_vec_pretty(&v).unwrap()).unwrap();
}

#[test]
fn ids_in_shards_are_data_never_paths() {
    let root = common::tempdir("attack-ids");
    let docs = inputs(&root);
    let (s1, s2) = shards(&root, &docs);
    let out = root.join("merged");
    let id = common::manifest(&s1)["documents"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    // A traversal id in a shard's manifest.
    for evil in ["../../x", "../../../x", "a/b", ""] {
        let m = s1.join("manifest.json");
        let saved = fs::read(&m).unwrap();
        edit_json(&m, |v| v["documents"][0]["id"] = evil.into());
        refused_untouched(
            &root,
            &["merge", s(&s1), s(&s2), "--out", s(&out)],
            "not a document id",
        );
        fs::write(&m, saved).unwrap();
    }
    // A record whose own id is a path, under a valid file name.
    let rec = s1.join(format!("documents/{id}.json"));
    let saved = fs::read(&rec).unwrap();
    edit_json(&rec, |v| v["id"] = "../../x".into());
    refused_untouched(
        &root,
        &["merge", s(&s1), s(&s2), "--out", s(&out)],
        "its id is",
    );
    // A table id that is a path.
    fs::write(&rec, &saved).unwrap();
    edit_json(
        &rec,
        |v| v["tables"] = serde_json::json!([{"id": "../../../x", "header": [], "rows": []}]),
    );
    let o = plansjekk(&["merge", s(&s1), s(&s2), "--out", s(&out)]);
    assert_ne!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(!root.join("x.csv").exists() && !root.parent().unwrap().join("x.csv").exists());
    // A record that is a link to a file outside.
    fs::remove_file(&rec).unwrap();
    let outside = root.join("outside.json");
    fs::write(&outside, &saved).unwrap();
    std::os::unix::fs::symlink(&outside, &rec).unwrap();
    refused_untouched(
        &root,
        &["merge", s(&s1), s(&s2), "--out", s(&out)],
        "not a regular file",
    );
    // Restored, the merge works, and its records are copies.
    fs::remove_file(&rec).unwrap();
    fs::write(&rec, &saved).unwrap();
    let o = plansjekk(&["merge", s(&s1), s(&s2), "--out", s(&out)]);
    assert!(o.status.success(), "{}", stderr(&o));
    use std::os::unix::fs::MetadataExt;
    let merged = fs::metadata(out.join(format!("documents/{id}.json"))).unwrap();
    assert_eq!(merged.nlink(), 1, "a merged record shares its inode");
    assert_ne!(merged.ino(), fs::metadata(&rec).unwrap().ino());
}

#[test]
fn shards_of_other_input_lists_or_schemas_are_not_merged() {
    let root = common::tempdir("attack-mixed");
    let docs = inputs(&root);
    let (s1, _) = shards(&root, &docs);
    // Shard 2/2 of another folder with one more file.
    let other = root.join("other");
    fs::create_dir_all(&other).unwrap();
    for f in ["plan-a.txt", "plan-b.txt"] {
        fs::copy(docs.join(f), other.join(f)).unwrap();
    }
    fs::write(other.join("plan-c.txt"), "Tiltak 1: 5 000 kr.\n").unwrap();
    let t2 = root.join("t2");
    let o = plansjekk(&["run", s(&other), "--shard", "2/2", "--out", s(&t2)]);
    assert!(o.status.success(), "{}", stderr(&o));
    refused_untouched(
        &root,
        &["merge", s(&s1), s(&t2), "--out", s(&root.join("merged"))],
        "another input list",
    );
    // A manifest of a schema this build does not read.
    edit_json(&s1.join("manifest.json"), |v| {
        v["schema_version"] = "999".into()
    });
    refused_untouched(
        &root,
        &["merge", s(&s1), s(&t2), "--out", s(&root.join("merged"))],
        "schema version",
    );
}

#[test]
fn links_out_of_the_input_folders_and_special_files_are_skipped_with_a_reason() {
    let root = common::tempdir("attack-links");
    let docs = inputs(&root);
    std::os::unix::fs::symlink("/", docs.join("whole-machine")).unwrap();
    std::os::unix::fs::symlink("/proc/self", docs.join("proc-self")).unwrap();
    std::os::unix::fs::symlink("/etc/passwd", docs.join("passwd.txt")).unwrap();
    // A link that stays inside is followed.
    fs::create_dir_all(docs.join("sub")).unwrap();
    std::os::unix::fs::symlink(docs.join("plan-a.txt"), docs.join("sub/same-plan.txt")).unwrap();
    let fifo = docs.join("pipe.txt");
    let c = std::ffi::CString::new(s(&fifo)).unwrap();
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    let out = root.join("out");
    let o = plansjekk(&["run", s(&docs), "--out", s(&out)]);
    assert!(o.status.success(), "{}", stderr(&o));
    let m = common::manifest(&out);
    let docs_read: Vec<&str> = m["documents"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["status"] == "ok")
        .map(|d| d["path"].as_str().unwrap())
        .collect();
    assert_eq!(docs_read.len(), 3, "{docs_read:?}");
    assert!(docs_read.iter().any(|p| p.ends_with("sub/same-plan.txt")));
    let why = |name: &str| -> String {
        m["documents"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["path"].as_str().unwrap().ends_with(name))
            .map(|d| d["error"]["message"].as_str().unwrap().to_string())
            .unwrap_or_else(|| panic!("{name} is not listed: {m}"))
    };
    assert!(why("whole-machine").contains("outside the folders given"));
    assert!(why("passwd.txt").contains("outside the folders given"));
    assert!(why("proc-self").contains("system folder"));
    assert!(why("pipe.txt").contains("not a regular file"));
    // Asked for, a link outside is followed, but never into /proc.
    let o = plansjekk(&[
        "run",
        s(&docs),
        "--out",
        s(&out),
        "--follow-links",
        "--exclude",
        "whole-machine/**",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let m = common::manifest(&out);
    assert!(m["documents"].as_array().unwrap().iter().any(|d| d["path"]
        .as_str()
        .unwrap()
        .ends_with("passwd.txt")
        && d["status"] == "ok"));
}

/// A DOCX whose one part inflates to about `mb` MB of paragraphs, each with
/// two amounts.
fn inflating_docx(path: &Path, mb: usize) {
    let f = fs::File::create(path).unwrap();
    let mut z = zip::ZipWriter::new(f);
    let o = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    z.start_file("[Content_Types].xml", o).unwrap();
    z.write_all(br#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#).unwrap();
    z.start_file("_rels/.rels", o).unwrap();
    z.write_all(br#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#).unwrap();
    z.start_file("word/document.xml", o).unwrap();
    z.write_all(br#"<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>"#).unwrap();
    let mut written = 0;
    let mut i = 0;
    while written < mb << 20 {
        let p = format!("<w:p><w:r><w:t>Tiltak {i}: kommunen setter av 1 250 000 kr i 2025 og 2 500 000 kr i 2026.</w:t></w:r></w:p>");
        z.write_all(p.as_bytes()).unwrap();
        written += p.len();
        i += 1;
    }
    z.write_all(b"</w:body></w:document>").unwrap();
    z.finish().unwrap();
}

#[test]
fn a_docx_that_inflates_past_what_a_document_may_produce_is_a_bounded_limit() {
    let root = common::tempdir("attack-inflate");
    let docs = root.join("docs");
    fs::create_dir_all(&docs).unwrap();
    // About 140 000 amounts: past the 100 000 one document may give.
    inflating_docx(&docs.join("budsjett.docx"), 9);
    assert!(fs::metadata(docs.join("budsjett.docx")).unwrap().len() < 1 << 20);
    for mode in [&[][..], &["--in-process"][..]] {
        let out = root.join("out");
        let mut args = vec!["run", s(&docs), "--out", s(&out), "--timeout", "3600"];
        args.extend_from_slice(mode);
        let o = plansjekk(&args);
        assert_eq!(o.status.code(), Some(1), "{mode:?}: {}", stderr(&o));
        let m = common::manifest(&out);
        let d = &m["documents"][0];
        assert_eq!(d["error"]["class"], "limit", "{mode:?}: {d}");
        assert!(
            d["error"]["message"].as_str().unwrap().contains("figures"),
            "{d}"
        );
        // Nothing of it was written: the whole output folder stays small.
        let size: u64 = tree(&out)
            .values()
            .filter_map(|w| w.strip_prefix("file "))
            .map(|w| w.split(' ').next().unwrap().parse::<u64>().unwrap())
            .sum();
        assert!(size < 1 << 20, "{mode:?}: {size} bytes of output");
    }
}

#[test]
fn a_run_prints_no_terminal_controls_from_file_names_or_text() {
    let root = common::tempdir("attack-escapes");
    let docs = root.join("docs");
    fs::create_dir_all(&docs).unwrap();
    // Fails (empty): its name is printed in the failure line.
    fs::write(docs.join("\x1b]0;pwned\x07.txt"), "").unwrap();
    // Read: its text reaches the first findings printed at the end.
    fs::write(
        docs.join("\x1b[2Jplan.txt"),
        "Budsjett\n\nPost\tBeløp\n\x1b[2JBolig\t100 000\nVei\t200 000\nSum\t400 000\n",
    )
    .unwrap();
    let out = root.join("out");
    let o = plansjekk(&["run", s(&docs), "--out", s(&out)]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    for (name, bytes) in [("stdout", &o.stdout), ("stderr", &o.stderr)] {
        assert!(
            !bytes.contains(&0x1b) && !bytes.contains(&0x07),
            "{name}: {}",
            String::from_utf8_lossy(bytes)
        );
    }
    assert!(stderr(&o).contains("\\x1b]0;pwned"), "{}", stderr(&o));
}

//! The output folder as a user and an attacker see it: replaced whole, never
//! half-written, never read as input, with an id for every input.

mod common;

use common::{files_of, manifest};

use std::path::{Path, PathBuf};
use std::process::Output;

fn run(args: &[&str], paths: &[&Path], out: &Path) -> Output {
    common::run_cli(args, out, paths)
}

fn ids(out: &Path) -> Vec<String> {
    manifest(out)["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["id"].as_str().unwrap().to_string())
        .collect()
}

fn records(out: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(out.join("documents"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

/// The output folder is consistent: every ok document of the manifest has its
/// record and its row in documents.csv, and nothing else is there.
fn consistent(out: &Path) -> Result<(), String> {
    let m = manifest(out);
    let ok: Vec<String> = m["documents"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["status"] == "ok")
        .map(|d| d["id"].as_str().unwrap().to_string())
        .collect();
    let mut want: Vec<String> = ok.iter().map(|id| format!("{id}.json")).collect();
    want.sort();
    let got = records(out);
    if got != want {
        return Err(format!("records {got:?} but manifest {want:?}"));
    }
    let csv = std::fs::read_to_string(out.join("documents.csv")).map_err(|e| e.to_string())?;
    let rows: Vec<&str> = csv
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap())
        .collect();
    if rows != ok.iter().map(String::as_str).collect::<Vec<_>>() {
        return Err(format!("documents.csv {rows:?} but manifest {ok:?}"));
    }
    Ok(())
}

fn three_texts(dir: &Path) -> Vec<PathBuf> {
    let names = [
        "bolyst-arsrapport-2014-midt-troms.txt",
        "strategi-vaernesregionen-2009.txt",
        "distriktssenteret-veiledningspiloten.txt",
    ];
    common::copy_corpus(dir, &names)
}

#[test]
fn a_run_replaces_the_previous_outputs_unless_kept() {
    let root = common::tempdir("replace");
    let input = root.join("in");
    std::fs::create_dir_all(&input).unwrap();
    let docs = three_texts(&input);
    let out = root.join("out");
    assert!(run(&["--in-process"], &[&input], &out).status.success());
    assert_eq!(records(&out).len(), 3);
    // A smaller run: the third record is gone, everywhere.
    assert!(run(&["--in-process"], &[&docs[0], &docs[1]], &out)
        .status
        .success());
    assert_eq!(ids(&out).len(), 2);
    consistent(&out).unwrap();
    // With --keep, the previous run's other records stay.
    assert!(run(&["--in-process"], &[&input], &out).status.success());
    assert!(run(&["--in-process", "--keep"], &[&docs[0]], &out)
        .status
        .success());
    assert_eq!(ids(&out).len(), 3);
    consistent(&out).unwrap();
    // Nothing is left beside the output folder.
    let beside: Vec<String> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(beside.len(), 2, "{beside:?}");
}

#[test]
fn copies_of_one_file_in_many_folders_get_their_own_ids() {
    let root = common::tempdir("copies");
    let input = root.join("in");
    for i in 0..40 {
        let d = input.join(format!("kommune-{i:02}"));
        std::fs::create_dir_all(&d).unwrap();
        std::fs::copy(
            common::corpus("strategi-vaernesregionen-2009.txt"),
            d.join("plan.txt"),
        )
        .unwrap();
    }
    let out = root.join("out");
    let o = run(&["--jobs", "8"], &[&input], &out);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let ids = ids(&out);
    assert_eq!(ids.len(), 40);
    assert_eq!(ids[0], "kommune-00-plan-txt");
    let mut unique = ids.clone();
    unique.dedup();
    assert_eq!(unique.len(), 40);
    consistent(&out).unwrap();
}

#[test]
fn the_output_folder_is_never_read_as_input() {
    let root = common::tempdir("self");
    three_texts(&root);
    let out = root.join("out");
    assert!(run(&["--in-process"], &[&root], &out).status.success());
    assert!(run(&["--in-process"], &[&root], &out).status.success());
    assert_eq!(ids(&out).len(), 3, "{:?}", ids(&out));
}

#[test]
fn a_folder_of_other_files_is_refused_as_output() {
    let root = common::tempdir("foreign");
    std::fs::write(root.join("notater.txt"), "mine").unwrap();
    let o = run(
        &["--in-process"],
        &[&common::corpus("strategi-vaernesregionen-2009.txt")],
        &root,
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("not a plansjekk output folder"));
    assert_eq!(
        std::fs::read_to_string(root.join("notater.txt")).unwrap(),
        "mine"
    );
}

#[cfg(unix)]
#[test]
fn bad_links_fail_alone() {
    let root = common::tempdir("links");
    let input = root.join("in");
    std::fs::create_dir_all(&input).unwrap();
    three_texts(&input);
    std::os::unix::fs::symlink(input.join("missing.pdf"), input.join("dangling.pdf")).unwrap();
    // A folder that links to itself.
    std::os::unix::fs::symlink(&input, input.join("loop")).unwrap();
    let out = root.join("out");
    let o = run(&["--in-process"], &[&input], &out);
    assert_eq!(
        o.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let m = manifest(&out);
    let docs = m["documents"].as_array().unwrap();
    assert_eq!(docs.len(), 4, "{docs:?}");
    let failed: Vec<&serde_json::Value> = docs.iter().filter(|d| d["status"] == "failed").collect();
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0]["error"]["class"], "io");
}

/// A run killed at any moment leaves the previous outputs whole; the next run
/// completes and is whole too.
#[cfg(unix)]
#[test]
fn a_killed_run_leaves_the_old_outputs_or_the_new() {
    let root = common::tempdir("killed");
    let input = root.join("in");
    std::fs::create_dir_all(&input).unwrap();
    three_texts(&input);
    for i in 0..12 {
        std::fs::copy(
            common::corpus("handlingsplan-2025-bygdevekst-indre-namdal.txt"),
            input.join(format!("plan-{i}.txt")),
        )
        .unwrap();
    }
    let out = root.join("out");
    assert!(run(&["--in-process"], &[&input], &out).status.success());
    let before = ids(&out);
    // Kill after a pseudo-random delay, many times.
    for delay in common::delays(0x9E37_79B9_7F4A_7C15, 700, 12) {
        common::kill_run_after(&["--jobs", "2"], &out, &input, delay);
        consistent(&out).unwrap_or_else(|e| panic!("after a kill at {delay:?}: {e}"));
        assert_eq!(ids(&out), before);
    }
    let o = run(&["--jobs", "2"], &[&input], &out);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    consistent(&out).unwrap();
}

/// A re-run trusts a file's stamp (inode, size, times) for its sha256 only
/// when the file had settled before it was read: a file rewritten to the
/// same size, its modification time set back, is still read again (its
/// status-change time moved), and the stamps never reach the outputs.
#[test]
fn a_rewritten_file_is_read_again_whatever_its_size_and_modification_time() {
    let root = common::tempdir("stamps");
    let input = root.join("in");
    let names = [
        "strategi-vaernesregionen-2009.txt",
        "distriktssenteret-veiledningspiloten.txt",
    ];
    let files = common::copy_corpus(&input, &names);
    // Settled: the stamps trust files last changed some seconds before.
    std::thread::sleep(std::time::Duration::from_millis(3_200));
    let out = root.join("out");
    assert!(run(&["--in-process"], &[&input], &out).status.success());
    let stamps = std::fs::read_to_string(out.join(".plansjekk-stamps")).unwrap();
    let shas = shas_by_path(&out);
    assert_eq!(stamps.lines().count(), 2, "{stamps}");
    for sha in shas.values() {
        assert!(stamps.contains(sha.as_str()), "{sha} not in {stamps}");
    }

    // The same number of bytes, the modification time set back.
    let old = std::fs::metadata(&files[0]).unwrap().modified().unwrap();
    let text = std::fs::read_to_string(&files[0]).unwrap();
    let changed = text.replacen("2009", "2010", 1);
    assert_ne!(changed, text);
    std::fs::write(&files[0], &changed).unwrap();
    let f = std::fs::File::options()
        .write(true)
        .open(&files[0])
        .unwrap();
    f.set_modified(old).unwrap();
    drop(f);
    assert!(run(&["--in-process"], &[&input], &out).status.success());
    let now = shas_by_path(&out);
    let (a, b) = (names[0], names[1]);
    assert_ne!(now[a], shas[a], "the rewritten file was read again");
    assert_eq!(now[b], shas[b]);
    let marker = std::fs::read_to_string(out.join(".plansjekk-output")).unwrap();
    assert!(marker.contains(".plansjekk-stamps"), "plansjekk's own file");
}

/// The manifest's sha256 of each document, by its file's name.
fn shas_by_path(out: &Path) -> std::collections::BTreeMap<String, String> {
    manifest(out)["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            let path = Path::new(d["path"].as_str().unwrap());
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            (name, d["sha256"].as_str().unwrap().to_string())
        })
        .collect()
}

/// `manifest.json` follows `schemas/manifest.schema.json` for every status a
/// run gives: a document read, one that failed, a file that is not one.
#[test]
fn the_manifest_follows_its_schema_for_read_failed_and_skipped_inputs() {
    let root = common::tempdir("manifest-schema");
    let input = root.join("in");
    common::copy_corpus(&input, &["strategi-vaernesregionen-2009.txt"]);
    std::fs::write(input.join("empty.txt"), "").unwrap();
    std::fs::write(input.join("photo.png"), b"\x89PNG\r\n\x1a\n").unwrap();
    let out = root.join("out");
    let o = run(&["--in-process"], &[&input], &out);
    assert!(
        !o.status.success(),
        "a failed document gives a non-zero status"
    );
    let schema: serde_json::Value =
        serde_json::from_str(include_str!("../schemas/manifest.schema.json")).unwrap();
    let validator = jsonschema::draft202012::new(&schema).expect("the schema itself is valid");
    let m = manifest(&out);
    let errors: Vec<String> = validator.iter_errors(&m).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let statuses: std::collections::BTreeSet<&str> = m["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["status"].as_str().unwrap())
        .collect();
    assert_eq!(
        statuses.into_iter().collect::<Vec<_>>(),
        ["failed", "ok", "skipped"]
    );
    // The schema can refuse: a status it does not know.
    let mut bad = m.clone();
    bad["documents"][0]["status"] = "done".into();
    assert!(!validator.is_valid(&bad));
}

/// A re-run in which nothing changed leaves the output folder as it is (the
/// same folder, not a new one of links swapped in: that cost grew with the
/// collection), except for stamps of files that have settled since; a
/// change makes a new folder.
#[cfg(unix)]
#[test]
fn an_unchanged_rerun_leaves_the_folder_as_it_is() {
    use std::os::unix::fs::MetadataExt;
    let root = common::tempdir("unchanged");
    let input = root.join("in");
    let files = common::copy_corpus(
        &input,
        &[
            "strategi-vaernesregionen-2009.txt",
            "distriktssenteret-veiledningspiloten.txt",
        ],
    );
    let out = root.join("out");
    let inode = |p: &Path| std::fs::metadata(p).unwrap().ino();
    assert!(run(&["--in-process"], &[&input], &out).status.success());
    // Read within 3 s of being written: no stamp vouches for them yet.
    let stamps = || std::fs::read_to_string(out.join(".plansjekk-stamps")).unwrap();
    let first = (
        inode(&out),
        std::fs::read(out.join("manifest.json")).unwrap(),
    );
    std::thread::sleep(std::time::Duration::from_millis(3_200));
    assert!(run(&["--in-process"], &[&input], &out).status.success());
    assert_eq!(inode(&out), first.0, "the same folder");
    assert_eq!(std::fs::read(out.join("manifest.json")).unwrap(), first.1);
    assert_eq!(stamps().lines().count(), 2, "settled since: {}", stamps());
    assert!(
        !std::fs::read_dir(&root).unwrap().any(|e| e
            .unwrap()
            .file_name()
            .to_string_lossy()
            .contains("staging")),
        "no staging folder left"
    );
    // The folder is still plansjekk's whole: a change is written as ever.
    let text = std::fs::read_to_string(&files[0]).unwrap();
    std::fs::write(&files[0], text.replacen("2009", "2010", 1)).unwrap();
    assert!(run(&["--in-process"], &[&input], &out).status.success());
    assert_ne!(inode(&out), first.0, "a change swaps in a new folder");
    assert_ne!(std::fs::read(out.join("manifest.json")).unwrap(), first.1);
}

/// A record and a report page deleted from the output folder of an
/// unchanged document are not taken as there by the next run (which looks
/// its previous files up in the marker's list only when the folder holds
/// every path listed): they are written again, and the folder is a fresh
/// run's. So is it when only the page is gone.
#[test]
fn deleted_outputs_of_an_unchanged_document_are_written_again() {
    let root = common::tempdir("deleted-outputs");
    let input = root.join("in");
    std::fs::create_dir_all(&input).unwrap();
    three_texts(&input);
    let (out, fresh) = (root.join("out"), root.join("fresh"));
    assert!(run(&["--in-process"], &[&input], &out).status.success());
    assert!(run(&["--in-process"], &[&input], &fresh).status.success());
    let want = files_of(&fresh);
    assert_eq!(files_of(&out), want);
    let x = ids(&out)[1].clone();
    let (record, page) = (format!("documents/{x}.json"), format!("report/{x}.html"));
    assert!(want.contains_key(&record) && want.contains_key(&page));

    for gone in [vec![&record, &page], vec![&page]] {
        for p in &gone {
            std::fs::remove_file(out.join(p)).unwrap();
        }
        let r = run(&["--in-process"], &[&input], &out);
        assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
        let got = files_of(&out);
        for p in &gone {
            assert!(
                got.get(*p) == want.get(*p),
                "{gone:?} gone: {p} written again"
            );
        }
        assert!(got == want, "{gone:?} gone: not a fresh run's folder");
        consistent(&out).unwrap();
    }
}

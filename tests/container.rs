//! The image the README's Kubernetes Job runs, checked without building it
//! (no base image is pulled, nothing is downloaded): `Containerfile`'s build
//! stage copies everything the build reads and uses a Rust new enough; its
//! run stage installs what plansjekk calls at run time and puts the binary
//! where the Job's command finds it; the README names the same image and
//! user; the executable needs no library a slim Debian lacks; and, on a
//! Debian machine of the same release with apt's lists, every package the
//! run stage installs exists.

mod common;

use std::path::Path;
use std::process::Command;

/// One instruction of a Containerfile: its keyword and its arguments, lines
/// continued with `\` joined.
#[derive(Debug)]
struct Instruction {
    keyword: String,
    args: String,
}

/// The stages of a Containerfile, each its instructions from its `FROM`.
fn stages(text: &str) -> Vec<Vec<Instruction>> {
    let mut joined = Vec::new();
    let mut current = String::new();
    for line in text.lines() {
        let line = line.trim();
        if line.starts_with('#') || (line.is_empty() && current.is_empty()) {
            continue;
        }
        match line.strip_suffix('\\') {
            Some(part) => {
                current.push_str(part.trim());
                current.push(' ');
            }
            None => {
                current.push_str(line);
                joined.push(std::mem::take(&mut current));
            }
        }
    }
    let mut stages: Vec<Vec<Instruction>> = Vec::new();
    for line in joined.iter().filter(|l| !l.trim().is_empty()) {
        let (keyword, args) = line.split_once(' ').unwrap_or((line, ""));
        let i = Instruction {
            keyword: keyword.to_uppercase(),
            args: args.trim().to_string(),
        };
        if i.keyword == "FROM" {
            stages.push(Vec::new());
        }
        stages.last_mut().expect("a FROM first").push(i);
    }
    stages
}

fn args<'a>(stage: &'a [Instruction], keyword: &str) -> Vec<&'a str> {
    stage
        .iter()
        .filter(|i| i.keyword == keyword)
        .map(|i| i.args.as_str())
        .collect()
}

fn read(path: &str) -> String {
    std::fs::read_to_string(common::root().join(path)).unwrap()
}

/// (major, minor) of "1.95" or "1.95.0".
fn version(v: &str) -> (u32, u32) {
    let mut parts = v.split('.').map(|p| p.parse::<u32>().unwrap());
    (parts.next().unwrap(), parts.next().unwrap_or(0))
}

/// The paths (from the checkout) the build reads beside `src/`: the build
/// script, the bench files `Cargo.toml` names and every file an
/// `include_str!` or `include_bytes!` of `src/` takes.
fn build_inputs() -> Vec<String> {
    let mut out = vec!["Cargo.toml".to_string(), "Cargo.lock".to_string()];
    if common::root().join("build.rs").exists() {
        out.push("build.rs".to_string());
    }
    let manifest: toml::Value = toml::from_str(&read("Cargo.toml")).unwrap();
    for bench in manifest["bench"].as_array().into_iter().flatten() {
        let name = bench["name"].as_str().unwrap();
        out.push(
            bench
                .get("path")
                .and_then(|p| p.as_str())
                .map_or_else(|| format!("benches/{name}.rs"), String::from),
        );
    }
    let include = regex::Regex::new(r#"include_(?:str|bytes)!\(\s*"([^"]+)"\s*\)"#).unwrap();
    let mut files = vec![common::root().join("src")];
    while let Some(p) = files.pop() {
        if p.is_dir() {
            files.extend(std::fs::read_dir(&p).unwrap().map(|e| e.unwrap().path()));
            continue;
        }
        let text = std::fs::read_to_string(&p).unwrap_or_default();
        for c in include.captures_iter(&text) {
            let target = p.parent().unwrap().join(&c[1]);
            let target = target.canonicalize().unwrap_or(target);
            let rel = target
                .strip_prefix(common::root().canonicalize().unwrap())
                .unwrap();
            out.push(rel.to_string_lossy().into_owned());
        }
    }
    out.sort();
    out.dedup();
    out
}

#[test]
fn the_build_stage_copies_what_the_build_reads_and_builds_with_a_rust_new_enough() {
    let file = read("Containerfile");
    let stages = stages(&file);
    assert_eq!(stages.len(), 2, "a build stage and a run stage");
    let build = &stages[0];
    let from = args(build, "FROM")[0];
    let (image, name) = from
        .split_once(" AS ")
        .or(from.split_once(" as "))
        .expect("a named stage");
    assert_eq!(name.trim(), "build");
    let tag = image.rsplit_once("rust:").expect("a Rust image").1;
    let (rust, debian) = tag.split_once('-').expect("rust:<version>-<debian>");
    let manifest: toml::Value = toml::from_str(&read("Cargo.toml")).unwrap();
    let wanted = manifest["package"]["rust-version"].as_str().unwrap();
    assert!(
        version(rust) >= version(wanted),
        "rust {rust} < rust-version {wanted}"
    );
    assert_eq!(debian, "bookworm");

    // Every input of the build is under a path the stage copies, and in the
    // build context `.dockerignore` lets through.
    let copied: Vec<&str> = args(build, "COPY")
        .iter()
        .flat_map(|a| {
            let words: Vec<&str> = a.split_whitespace().collect();
            words[..words.len() - 1].to_vec()
        })
        .collect();
    let context: Vec<String> = read(".dockerignore")
        .lines()
        .filter_map(|l| l.trim().strip_prefix('!'))
        .map(String::from)
        .collect();
    let under = |path: &str, roots: &[&str]| {
        roots
            .iter()
            .any(|r| path == *r || path.starts_with(&format!("{}/", r.trim_end_matches('/'))))
    };
    let inputs = build_inputs();
    assert!(inputs.iter().any(|i| i.starts_with("data/")), "{inputs:?}");
    for input in inputs.iter().chain(&["src/main.rs".to_string()]) {
        assert!(under(input, &copied), "{input} is not copied: {copied:?}");
        let context: Vec<&str> = context.iter().map(String::as_str).collect();
        assert!(
            under(input, &context),
            "{input} is not in the build context"
        );
    }
    let run = args(build, "RUN").join(" ");
    assert!(run.contains("cargo build --release --locked"), "{run}");
}

#[test]
fn the_run_stage_gives_the_jobs_command_its_binary_and_packages() {
    let file = read("Containerfile");
    let stages = stages(&file);
    let (build, runtime) = (&stages[0], &stages[1]);
    assert_eq!(
        args(runtime, "FROM"),
        ["docker.io/library/debian:bookworm-slim"]
    );

    // Packages: what the pipeline calls at run time, nothing recommended
    // beside them, apt's lists not left in the image.
    let install = args(runtime, "RUN")
        .into_iter()
        .find(|r| r.contains("apt-get install"))
        .expect("an apt-get install");
    assert!(install.contains("--no-install-recommends"), "{install}");
    assert!(
        install.trim_end().ends_with("rm -rf /var/lib/apt/lists/*"),
        "{install}"
    );
    let packages = packages(install);
    for p in ["tesseract-ocr", "tesseract-ocr-nor"] {
        assert!(packages.contains(&p), "{p} not in {packages:?}");
    }

    // The binary: built where the build stage builds it, copied onto
    // Debian's default PATH under the name the Job's command calls.
    let workdir = args(build, "WORKDIR")[0];
    let copy = args(runtime, "COPY")
        .into_iter()
        .find(|c| c.starts_with("--from=build"))
        .expect("the binary copied from the build stage");
    let words: Vec<&str> = copy.split_whitespace().collect();
    assert_eq!(words[1], format!("{workdir}/target/release/plansjekk"));
    let installed = Path::new(words[2]);
    let debian_path = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    assert!(debian_path
        .split(':')
        .any(|d| Path::new(d) == installed.parent().unwrap()));
    let binary = installed.file_name().unwrap().to_str().unwrap();

    // The README builds and pushes the image its Job runs, and the Job
    // calls the binary by that name, as the user the image runs as.
    let readme = read("README.md");
    let image = readme
        .lines()
        .find_map(|l| l.trim().strip_prefix("image: "))
        .expect("the Job's image");
    assert_eq!(image, "registry.example/plansjekk:latest");
    assert!(readme.contains(&format!("podman build -t {image} -f Containerfile .")));
    assert!(readme.contains(&format!("podman push {image}")));
    assert!(file.contains(&format!("podman build -t {image}")));
    let command = readme
        .lines()
        .find(|l| l.trim().starts_with("command: [\"sh\", \"-c\""))
        .expect("the Job's command");
    assert!(command.contains(&format!("\"{binary} run ")), "{command}");
    let user = args(runtime, "USER")[0];
    assert!(user.parse::<u32>().unwrap() > 0, "not root");
    assert!(
        readme.contains(&format!("fsGroup: {user}")),
        "the Job writes its volume as {user}"
    );
    assert_eq!(args(runtime, "ENTRYPOINT"), [format!("[\"{binary}\"]")]);
}

/// The packages of an `apt-get install` command.
fn packages(install: &str) -> Vec<&str> {
    install
        .split("apt-get install")
        .nth(1)
        .unwrap()
        .split("&&")
        .next()
        .unwrap()
        .split_whitespace()
        .filter(|w| !w.starts_with('-'))
        .collect()
}

/// The executable needs only the libraries every Debian has (glibc's and
/// libgcc's): SQLite is compiled in, no OpenSSL or other library is linked,
/// so a slim image runs it.
#[test]
fn the_executable_needs_no_library_a_slim_debian_lacks() {
    let Ok(out) = Command::new("ldd")
        .arg(env!("CARGO_BIN_EXE_plansjekk"))
        .output()
    else {
        return common::skip("ldd is missing");
    };
    let text = String::from_utf8_lossy(&out.stdout);
    let base = [
        "linux-vdso.so.1",
        "libc.so.6",
        "libm.so.6",
        "libgcc_s.so.1",
        "libpthread.so.0",
        "libdl.so.2",
        "librt.so.1",
        "libutil.so.1",
    ];
    let libs: Vec<&str> = text
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    assert!(libs.contains(&"libc.so.6"), "{text}");
    for lib in libs {
        let name = lib.rsplit('/').next().unwrap();
        assert!(
            base.contains(&name) || name.starts_with("ld-linux"),
            "{name} is not in debian:bookworm-slim: {text}"
        );
    }
}

/// On Debian bookworm with apt's package lists (CI's machine), each package
/// the run stage installs is one apt knows, read from the local lists.
#[test]
fn the_run_stages_packages_exist_in_its_debian_release() {
    let release = std::fs::read_to_string("/etc/os-release").unwrap_or_default();
    if !release.contains("VERSION_CODENAME=bookworm") {
        return common::skip("not Debian bookworm, the run stage's release");
    }
    let lists = std::fs::read_dir("/var/lib/apt/lists")
        .map(|d| {
            d.flatten()
                .any(|e| e.file_name().to_string_lossy().contains("_Packages"))
        })
        .unwrap_or(false);
    if !lists {
        return common::skip("apt has no package lists here (apt-get update was never run)");
    }
    let file = read("Containerfile");
    let stages = stages(&file);
    let install = args(&stages[1], "RUN")
        .into_iter()
        .find(|r| r.contains("apt-get install"))
        .unwrap()
        .to_string();
    for p in packages(&install) {
        let Ok(out) = Command::new("apt-cache").args(["policy", p]).output() else {
            return common::skip("apt-cache is missing");
        };
        // apt-cache says nothing of a package its lists do not hold.
        let text = String::from_utf8_lossy(&out.stdout);
        let candidate = text
            .lines()
            .find_map(|l| l.trim().strip_prefix("Candidate:"))
            .map(str::trim);
        assert!(
            candidate.is_some_and(|c| c != "(none)"),
            "{p} has no candidate: {text}"
        );
    }
}

//! Merging the output folders of shards (`--shard K/N`) into one.

use std::path::{Path, PathBuf};

use super::RunError;
use crate::emit::json::write_json;
use crate::record::{DocStatus, Manifest, ManifestEntry, Summary};

/// Joins the output folders of shard runs into `out`: their records, and every
/// gathered output made anew from them (findings marked by `review`), as one
/// run over all the inputs would have written them. The shards must come from one plansjekk build and the
/// same options, and together be every slice once.
pub fn merge(
    shards: &[PathBuf],
    out: &Path,
    review: &crate::review::Review,
) -> Result<Manifest, RunError> {
    let folder = crate::emit::folder::OutputFolder::open(out)?;
    let stage = folder.staging().to_path_buf();
    let mut parts: Vec<(PathBuf, Manifest)> = Vec::new();
    for dir in shards {
        parts.push((dir.clone(), Manifest::read(dir).map_err(RunError::Merge)?));
    }
    let Some((_, first)) = parts.first() else {
        return Err(RunError::Merge("no shard folders given".into()));
    };
    let (run_key, version, schema) = (
        first.run_key.clone(),
        first.plansjekk_version.clone(),
        first.schema_version.clone(),
    );
    for (dir, m) in &parts {
        if m.run_key != run_key || m.plansjekk_version != version || m.schema_version != schema {
            return Err(RunError::Merge(format!(
                "{} was made by another plansjekk build or with other options than {}",
                dir.display(),
                shards[0].display()
            )));
        }
    }
    // Shards in slice order; a whole run given alongside is taken as it is.
    if let Some(n) = first.shard.map(|s| s.count) {
        order_slices(&mut parts, n)?;
    }
    let documents = gather_documents(&parts, &stage)?;
    let summary = Summary::of(&documents);
    let all: Vec<String> = documents.iter().map(|e| e.id.clone()).collect();
    // The shards were run with one full-text index (it is in the run key
    // they share): the first one's is kept.
    let kb = parts[0].0.join(crate::emit::outputs::KNOWLEDGE_BASE);
    let index = if kb.is_file() {
        crate::emit::sqlite::TextIndex::of_file(&kb)
            .map_err(crate::emit::outputs::OutputError::from)?
    } else {
        Default::default()
    };
    crate::emit::outputs::write(
        &stage,
        folder.current(),
        &documents,
        &all,
        false,
        false,
        review,
        index,
        &parts
            .iter()
            .map(|(dir, _)| dir.join(crate::emit::outputs::KNOWLEDGE_BASE))
            .collect::<Vec<_>>(),
    )?;
    let manifest = Manifest {
        plansjekk_version: version,
        schema_version: schema,
        run_key,
        review: review.digest.clone(),
        shard: None,
        inputs: None,
        documents,
        summary,
    };
    write_json(&stage.join("manifest.json"), &manifest)?;
    folder.commit()?;
    Ok(manifest)
}

/// Puts the shards of an `n`-way split in slice order, after making sure
/// they are the `n` slices once each, cut from one input list: a missing or
/// doubled slice would make a merged run that lies about its inputs.
fn order_slices(parts: &mut [(PathBuf, Manifest)], n: usize) -> Result<(), RunError> {
    let mut seen: Vec<usize> = parts
        .iter()
        .filter_map(|(_, m)| m.shard.filter(|s| s.count == n).map(|s| s.index))
        .collect();
    seen.sort_unstable();
    if seen != (1..=n).collect::<Vec<_>>() || parts.len() != n {
        return Err(RunError::Merge(format!(
            "expected the {n} shards 1/{n} … {n}/{n} once each, got {}",
            parts
                .iter()
                .map(|(d, m)| match m.shard {
                    Some(s) => format!("{}/{} ({})", s.index, s.count, d.display()),
                    None => format!("a whole run ({})", d.display()),
                })
                .collect::<Vec<_>>()
                .join(", ")
        )));
    }
    parts.sort_by_key(|(_, m)| m.shard.map_or(0, |s| s.index));
    let (first_dir, first) = &parts[0];
    for (dir, m) in &parts[1..] {
        if m.inputs != first.inputs || m.inputs.is_none() {
            let count = |m: &Manifest| {
                m.inputs
                    .as_ref()
                    .map_or("an unknown number of".into(), |i| i.count.to_string())
            };
            return Err(RunError::Merge(format!(
                "{} was cut from another input list than {}: {} inputs against {}, or the same number of other files; run every shard over the same folders",
                dir.display(),
                first_dir.display(),
                count(m),
                count(first),
            )));
        }
    }
    Ok(())
}

/// The shards' manifest entries in one list, as one run lists them (the
/// documents, then the skipped files), each ok document's record copied into
/// the staging folder; a document in two shards is refused.
fn gather_documents(
    parts: &[(PathBuf, Manifest)],
    stage: &Path,
) -> Result<Vec<ManifestEntry>, RunError> {
    let mut documents: Vec<ManifestEntry> = Vec::new();
    let mut ids = std::collections::HashSet::new();
    let mut skipped = Vec::new();
    for (dir, m) in parts {
        for e in &m.documents {
            if e.status == DocStatus::Skipped {
                skipped.push(e.clone());
                continue;
            }
            if !ids.insert(e.id.clone()) {
                return Err(RunError::Merge(format!(
                    "document id {} is in more than one shard ({})",
                    e.id,
                    dir.display()
                )));
            }
            if e.status == DocStatus::Ok {
                // Copied, never linked: the merged outputs share nothing
                // with the shards', and a link in a shard is not followed.
                let name = format!("{}.json", e.id);
                let from = dir.join("documents").join(&name);
                if !std::fs::symlink_metadata(&from).is_ok_and(|m| m.is_file()) {
                    return Err(RunError::Merge(format!(
                        "{} is not a regular file",
                        from.display()
                    )));
                }
                std::fs::copy(&from, stage.join("documents").join(&name))?;
            }
            documents.push(e.clone());
        }
    }
    documents.extend(skipped);
    Ok(documents)
}

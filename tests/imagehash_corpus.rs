//! `image_sha256` agrees byte for byte with ExifTool 13's `ImageDataHash` on every corpus image it covers.
//!
//! Needs `../shared/corpus/images` beside the checkout and ExifTool 13 or
//! later (`$CUTLINE_EXIFTOOL`, as `.ci/run` installs it, else `exiftool` on
//! PATH). Without them the test is skipped with the reason printed, except
//! under CI (`$CI` set), where it fails (`support::skip_or_fail`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use cutline::format::sniff;
use cutline::imagehash::{ImageHash, image_sha256};

#[allow(dead_code)] // each test binary uses part of the shared support
mod support;

/// ExifTool ([`support::EXIFTOOL`]) when it is version 13 or later, the
/// first to compute `ImageDataHash`.
fn exiftool13() -> Option<PathBuf> {
    let exiftool = support::require_tool(&support::EXIFTOOL)?;
    let version = Command::new(&exiftool)
        .arg("-ver")
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default();
    let major = version
        .split('.')
        .next()
        .and_then(|m| m.parse::<u32>().ok());
    if major.is_some_and(|m| m >= 13) {
        Some(exiftool)
    } else {
        support::skip_or_fail(&format!(
            "{} is ExifTool {version:?}, and ImageDataHash needs 13 or later; {}",
            exiftool.display(),
            support::EXIFTOOL.install
        ));
        None
    }
}

#[test]
fn image_sha256_agrees_with_exiftool_on_the_corpus() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/images");
    let Ok(dir) = std::fs::read_dir(&corpus) else {
        return support::skip_or_fail(&format!("{} not found", corpus.display()));
    };
    let Some(exiftool) = exiftool13() else {
        return;
    };
    let mut files: Vec<PathBuf> = dir
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    assert!(!files.is_empty(), "{} is empty", corpus.display());

    // Files named one by one: ExifTool skips unknown extensions in a folder.
    let out = Command::new(&exiftool)
        .args(["-j", "-q", "-q", "-m", "-ImageDataHash"])
        .args(["-api", "ImageHashType=SHA256"])
        .args(&files)
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "ExifTool's JSON does not parse ({e}): {}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    let theirs: BTreeMap<PathBuf, String> = json
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|o| {
            let file = PathBuf::from(o["SourceFile"].as_str()?);
            Some((file, o["ImageDataHash"].as_str()?.to_string()))
        })
        .collect();

    let (mut covered, mut agree) = (0, 0);
    let mut problems = Vec::new();
    for file in &files {
        let bytes = std::fs::read(file).unwrap();
        let Some(format) = sniff(&bytes) else {
            continue;
        };
        let ours = image_sha256(format, &bytes);
        let theirs = theirs.get(file);
        let name = file.file_name().unwrap().to_string_lossy();
        match (&ours, theirs) {
            (ImageHash::Unsupported, _) => continue,
            (ImageHash::Unreadable(_), None) => continue,
            (ImageHash::Sha256(_), Some(t)) if ours.hex().as_ref() == Some(t) => agree += 1,
            _ => problems.push(format!("{name}: cutline {ours:?}, ExifTool {theirs:?}")),
        }
        covered += 1;
    }
    println!("ImageDataHash agreement: {agree}/{covered} corpus images");
    assert!(
        problems.is_empty(),
        "{} of {covered} disagree:\n{}",
        problems.len(),
        problems.join("\n")
    );
    assert!(covered > 0, "no corpus image has an image hash");
}

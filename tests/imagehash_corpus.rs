//! `image_sha256` agrees byte for byte with ExifTool 13's `ImageDataHash` on every corpus image it covers.
//!
//! Needs `../shared/corpus/images` beside the checkout and ExifTool 13 or
//! later (`$CUTLINE_EXIFTOOL13`, else `target/exiftool13/package/bin/exiftool`
//! as `.ci/run` installs it, else `/tmp/package/bin/exiftool`, else
//! `exiftool` on PATH). Without them the test is skipped with the reason
//! printed, except under CI (`$CI` set), where it fails.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use cutline::format::sniff;
use cutline::imagehash::{ImageHash, image_sha256};

/// The first ExifTool of version 13 or later among the known places.
fn exiftool13() -> Option<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let candidates = [
        std::env::var_os("CUTLINE_EXIFTOOL13").map(PathBuf::from),
        Some(root.join("target/exiftool13/package/bin/exiftool")),
        Some(PathBuf::from("/tmp/package/bin/exiftool")),
        Some(PathBuf::from("exiftool")),
    ];
    candidates.into_iter().flatten().find(|c| {
        Command::new(c)
            .arg("-ver")
            .output()
            .ok()
            .filter(|o| o.status.success())
            .and_then(|o| {
                let v = String::from_utf8_lossy(&o.stdout).trim().to_string();
                v.split('.').next()?.parse::<u32>().ok()
            })
            .is_some_and(|major| major >= 13)
    })
}

/// Skips with `reason`, or fails under CI.
fn skip(reason: &str) {
    assert!(
        std::env::var_os("CI").is_none(),
        "imagehash corpus check cannot run under CI: {reason}"
    );
    println!("SKIPPED image_sha256_agrees_with_exiftool_on_the_corpus: {reason}");
}

#[test]
fn image_sha256_agrees_with_exiftool_on_the_corpus() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/images");
    let Ok(dir) = std::fs::read_dir(&corpus) else {
        return skip(&format!("{} not found", corpus.display()));
    };
    let Some(exiftool) = exiftool13() else {
        return skip("no ExifTool 13 (npm pack exiftool-vendored.pl; or set CUTLINE_EXIFTOOL13)");
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

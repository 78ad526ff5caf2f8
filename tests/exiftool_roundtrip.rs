//! `export --exiftool` then a real `exiftool -csv=` writes the manifest's captions and credits into a copy of media/: check then finds no C004/R005.

use std::path::Path;
use std::process::Command;

use cutline::check::{Context, check};
use cutline::finding::Finding;
use cutline::manifest::{self, Manifest};
use cutline::scan::{ScanOptions, scan_all};
use cutline::walk::walk;

#[allow(dead_code)] // each test binary uses part of the shared support
mod support;

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("test step");
    for entry in std::fs::read_dir(from).expect("test step") {
        let entry = entry.expect("test step");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("test step").is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("test step");
        }
    }
}

fn differences(dir: &Path, m: &Manifest) -> Vec<Finding> {
    let root = dir.join("media");
    let w = walk(&root).expect("test step");
    let scanned = scan_all(&w.entries, ScanOptions::default());
    check(&Context {
        manifest: m,
        manifest_name: "manifests/story.json".into(),
        root,
        scanned: &scanned,
    })
    .into_iter()
    .filter(|f| matches!(f.code.as_str(), "C004" | "R005"))
    .collect()
}

#[test]
fn exiftool_writes_the_manifest_captions_and_credits_into_the_files() {
    let Some(exiftool) = support::require_tool(&support::EXIFTOOL) else {
        return;
    };
    let version = Command::new(&exiftool)
        .arg("-ver")
        .output()
        .expect("test step");
    eprintln!(
        "exiftool {}",
        String::from_utf8_lossy(&version.stdout).trim()
    );
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().expect("test step");
    // A copy: media/ itself is never written.
    copy_tree(&repo.join("media"), &dir.path().join("media"));
    std::fs::create_dir(dir.path().join("manifests")).expect("test step");

    // The desk's captions and credits differ from the files' (one non-ASCII).
    let mut m = manifest::load(&repo.join("manifests/example.json")).expect("test step");
    for (i, item) in m.items.iter_mut().enumerate() {
        item.caption = Some(format!(
            "Edited {i}: {}",
            item.caption.as_deref().unwrap_or("")
        ));
        item.credit = Some(format!("Åsa Berg {i}/Desk Wire"));
    }
    let m_path = dir.path().join("manifests/story.json");
    manifest::save_atomic(&m, &m_path).expect("test step");
    let before = differences(dir.path(), &m);
    assert!(before.len() >= 2 * (m.items.len() - 1), "{before:#?}");

    let export = Command::new(env!("CARGO_BIN_EXE_cutline"))
        .current_dir(dir.path())
        .args(["export", "--exiftool", "-m", "manifests/story.json"])
        .args(["-o", "captions.csv"])
        .output()
        .expect("test step");
    assert!(export.status.success(), "{export:?}");
    let csv = std::fs::read_to_string(dir.path().join("captions.csv")).expect("test step");
    assert!(csv.contains("\r\nmedia/harbor/boats-at-dawn.jpg,"), "{csv}");

    // As docs/workflows.md says, from the folder where export ran.
    let write = Command::new(&exiftool)
        .current_dir(dir.path())
        .args(["-r", "-csv=captions.csv", "-overwrite_original", "media/"])
        .output()
        .expect("test step");
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&write.stdout),
        String::from_utf8_lossy(&write.stderr)
    );
    assert!(write.status.success(), "{write:?}");
    assert!(said.contains("11 image files updated"), "{said}");

    let after = differences(dir.path(), &m);
    assert!(after.is_empty(), "{after:#?}");
}

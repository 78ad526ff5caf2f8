//! sha256sum files: `verify --sums` reports like `sha256sum -c` plus unlisted files, `scan --sums` writes what coreutils reads back; files built by the test.

// Test helpers outside #[test] fns unwrap too: a failed setup should fail the test loudly.
#![allow(clippy::unwrap_used)]

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

#[allow(dead_code)] // each test binary uses part of the shared support
mod support;

fn cutline(args: &[&std::ffi::OsStr]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cutline"))
        .args(args)
        .output()
        .unwrap()
}

fn tree(dir: &Path) {
    fs::create_dir_all(dir.join("sub")).unwrap();
    fs::write(dir.join("a.jpg"), b"aaa").unwrap();
    fs::write(dir.join("sub/b.jpg"), b"bbb").unwrap();
    fs::write(dir.join("back\\slash.txt"), b"s").unwrap();
    fs::write(dir.join(".hidden"), b"h").unwrap();
}

#[test]
fn scan_sums_round_trips_through_verify_sums_and_sha256sum() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("media");
    tree(&root);
    let o = cutline(&["scan".as_ref(), "--sums".as_ref(), root.as_os_str()]);
    assert!(o.status.success(), "{o:?}");
    let text = String::from_utf8(o.stdout).unwrap();
    assert_eq!(text.lines().count(), 4, "{text}");
    assert!(text.contains("  sub/b.jpg\n"), "{text}");
    assert!(
        text.starts_with('\\') || text.contains("\n\\"),
        "escaped name: {text}"
    );
    let sums = root.join("SHA256SUMS");
    fs::write(&sums, &text).unwrap();
    let o = cutline(&[
        "verify".as_ref(),
        "--sums".as_ref(),
        sums.as_os_str(),
        "--format".as_ref(),
        "json".as_ref(),
    ]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(0), "{out}");
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(doc["command"], "verify --sums");
    // Every line matched, and the sums file itself is not unlisted.
    assert_eq!(doc["findings"], serde_json::json!([]), "{out}");
    assert_eq!(doc["manifests"][0]["items"], 4, "{out}");
    assert_eq!(doc["manifests"][0]["files"], 4, "{out}");
    // coreutils reads what cutline wrote.
    let Some(sha256sum) = support::require_tool(&support::SHA256SUM) else {
        return;
    };
    let o = Command::new(sha256sum)
        .arg("-c")
        .arg("--quiet")
        .arg("SHA256SUMS")
        .current_dir(&root)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stdout));
}

#[test]
fn verify_sums_reports_ok_failed_missing_unlisted_bad_and_unsafe_lines() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("media");
    tree(&root);
    fs::write(tmp.path().join("outside"), b"secret").unwrap();
    let h = |b: &[u8]| {
        use sha2::{Digest, Sha256};
        Sha256::digest(b)
            .iter()
            .map(|x| format!("{x:02x}"))
            .collect::<String>()
    };
    let text = format!(
        "{}  a.jpg\n{} *./sub/b.jpg\n{}  gone.jpg\nnot a line\n{}  ../outside\n\\{}  back\\\\slash.txt\n",
        h(b"aaa").to_uppercase(),
        h(b"changed"),
        h(b"x"),
        h(b"secret"),
        h(b"s"),
    );
    let sums = tmp.path().join("SUMS");
    fs::write(&sums, text).unwrap();
    let verify_as = |format: &str| {
        cutline(&[
            "verify".as_ref(),
            "--sums".as_ref(),
            sums.as_os_str(),
            "--root".as_ref(),
            root.as_os_str(),
            "--format".as_ref(),
            format.as_ref(),
        ])
    };
    let o = verify_as("human");
    let out = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(out.contains("2 of 5 listed files match"), "{out}");
    let o = verify_as("json");
    assert_eq!(o.status.code(), Some(1));
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let got: Vec<(String, String, Option<u64>)> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["code"].as_str().unwrap().to_owned(),
                f["path"].as_str().unwrap().to_owned(),
                f["line"].as_u64(),
            )
        })
        .collect();
    let want = |c: &str, p: &str, l: Option<u64>| (c.to_owned(), p.to_owned(), l);
    assert_eq!(
        got,
        vec![
            want("S006", ".hidden", None),
            want("S001", "sub/b.jpg", Some(2)),
            want("S002", "gone.jpg", Some(3)),
            want("S005", "", Some(4)),
            want("S004", "../outside", Some(5)),
        ],
        "a.jpg (upper-case hash) and back\\slash.txt (escaped name) match: {doc:#}"
    );
    // The CI formats carry the same findings, on the checksum file's lines.
    let o = verify_as("github");
    assert_eq!(o.status.code(), Some(1));
    let gh = String::from_utf8_lossy(&o.stdout);
    assert!(gh.contains(",line=2,title=S001 sums-mismatch::"), "{gh}");
}

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
    let o = cutline(&["verify".as_ref(), "--sums".as_ref(), sums.as_os_str()]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(0), "{out}");
    assert!(
        out.contains("a.jpg: OK\n") && out.contains("sub/b.jpg: OK\n"),
        "{out}"
    );
    assert!(
        !out.contains("SHA256SUMS"),
        "the sums file itself is not unlisted: {out}"
    );
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
    let o = cutline(&[
        "verify".as_ref(),
        "--sums".as_ref(),
        sums.as_os_str(),
        "--root".as_ref(),
        root.as_os_str(),
    ]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(1), "{out}");
    for want in [
        "a.jpg: OK\n",
        "sub/b.jpg: FAILED\n",
        "gone.jpg: FAILED open or read (missing)\n",
        "back\\slash.txt: OK\n",
        ":4: improperly formatted SHA256 checksum line\n",
        ":5: ../outside: unsafe path, not opened",
        ".hidden: NOT LISTED\n",
    ] {
        assert!(out.contains(want), "missing {want:?} in:\n{out}");
    }
    assert!(out.lines().last().unwrap().starts_with("FAIL: 5 listed: 2 OK, 1 FAILED, 1 missing or unreadable, 1 unsafe; 1 improperly formatted lines; 1 files not listed"), "{out}");
    let o = cutline(&[
        "verify".as_ref(),
        "--sums".as_ref(),
        sums.as_os_str(),
        "--format".as_ref(),
        "json".as_ref(),
    ]);
    assert_eq!(o.status.code(), Some(2));
}

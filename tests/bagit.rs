//! BagIt (RFC 8493): each case bagit-python's own suite covers, hostile bags, bag creation, and interop with bagit-python when it is installed; every bag is built by the test.

// Test helpers outside #[test] fns unwrap too: a failed setup should fail the test loudly.
#![allow(clippy::unwrap_used)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use cutline::bagit::create::{CreateOptions, create};
use cutline::bagit::{Kind, Validation, validate};
use cutline::rules::Severity;

#[allow(dead_code)] // each test binary uses part of the shared support
mod support;

const README: &[u8] = b"the readme\n";
const PHOTO: &[u8] = b"\xff\xd8\xff\xe0 not really a jpeg, but bytes";

/// A fresh valid bag at `<tmp>/bag`, made by `cutline bag` from two files.
fn bag_in(tmp: &Path) -> PathBuf {
    let src = tmp.join("src");
    fs::create_dir_all(src.join("photos")).unwrap();
    fs::write(src.join("README.txt"), README).unwrap();
    fs::write(src.join("photos/a.jpg"), PHOTO).unwrap();
    let bag = tmp.join("bag");
    create(&CreateOptions {
        from: src,
        out: bag.clone(),
        link: false,
    })
    .unwrap();
    bag
}

fn kinds(v: &Validation, severity: Severity) -> Vec<(Kind, String, Option<usize>)> {
    v.problems
        .iter()
        .filter(|p| p.severity == severity)
        .map(|p| (p.kind, p.file.clone(), p.line))
        .collect()
}

fn errors(v: &Validation) -> Vec<(Kind, String, Option<usize>)> {
    kinds(v, Severity::Error)
}

fn has_error(v: &Validation, kind: Kind) -> bool {
    v.problems
        .iter()
        .any(|p| p.kind == kind && p.severity == Severity::Error)
}

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A bag with one sha256 manifest written by hand; files are `(path, bytes)`
/// under `data/`.
fn hand_bag(tmp: &Path, files: &[(&str, &[u8])], manifest: &str) -> PathBuf {
    let bag = tmp.join("bag");
    fs::create_dir_all(bag.join("data")).unwrap();
    fs::write(
        bag.join("bagit.txt"),
        "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n",
    )
    .unwrap();
    for (p, b) in files {
        let path = bag.join("data").join(p);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, b).unwrap();
    }
    fs::write(bag.join("manifest-sha256.txt"), manifest).unwrap();
    bag
}

#[test]
fn a_bag_cutline_makes_is_valid_full_and_fast() {
    let tmp = tempfile::tempdir().unwrap();
    let bag = bag_in(tmp.path());
    for f in [
        "bagit.txt",
        "bag-info.txt",
        "manifest-sha256.txt",
        "manifest-sha512.txt",
        "tagmanifest-sha256.txt",
        "tagmanifest-sha512.txt",
        "data/README.txt",
        "data/photos/a.jpg",
    ] {
        assert!(bag.join(f).is_file(), "{f}");
    }
    let info = fs::read_to_string(bag.join("bag-info.txt")).unwrap();
    assert!(info.contains(&format!("Payload-Oxum: {}.2\n", README.len() + PHOTO.len())));
    assert!(info.contains("Bagging-Date: 2"), "{info}");
    let v = validate(&bag, false).unwrap();
    assert!(v.is_valid(), "{:?}", v.problems);
    assert!(v.problems.is_empty(), "{:?}", v.problems);
    // 2 payload files × 2 manifests + 4 tag files × 2 tag manifests.
    assert_eq!(v.checksums_verified, 12);
    let fast = validate(&bag, true).unwrap();
    assert!(fast.is_valid());
    assert_eq!(fast.checksums_verified, 0, "--fast computes no checksum");
}

#[test]
fn changed_content_of_the_same_size_is_invalid() {
    let tmp = tempfile::tempdir().unwrap();
    let bag = bag_in(tmp.path());
    let mut bytes = PHOTO.to_vec();
    bytes[5] ^= 1;
    fs::write(bag.join("data/photos/a.jpg"), bytes).unwrap();
    let v = validate(&bag, false).unwrap();
    assert!(!v.is_valid());
    let e = errors(&v);
    assert!(
        e.contains(&(
            Kind::ChecksumMismatch,
            "manifest-sha256.txt".into(),
            Some(2)
        )),
        "{e:?}"
    );
    assert!(
        e.contains(&(
            Kind::ChecksumMismatch,
            "manifest-sha512.txt".into(),
            Some(2)
        )),
        "{e:?}"
    );
    // Same size, same count: --fast cannot see it, and says so.
    assert!(validate(&bag, true).unwrap().is_valid());
}

#[test]
fn a_deleted_file_is_missing() {
    let tmp = tempfile::tempdir().unwrap();
    let bag = bag_in(tmp.path());
    fs::remove_file(bag.join("data/README.txt")).unwrap();
    let v = validate(&bag, false).unwrap();
    let e = errors(&v);
    assert!(
        e.contains(&(Kind::MissingFile, "manifest-sha256.txt".into(), Some(1))),
        "{e:?}"
    );
    assert!(
        kinds(&v, Severity::Warning)
            .iter()
            .any(|k| k.0 == Kind::OxumMismatch)
    );
    let fast = validate(&bag, true).unwrap();
    assert!(has_error(&fast, Kind::OxumMismatch) && has_error(&fast, Kind::MissingFile));
}

#[test]
fn a_renamed_file_is_missing_and_unlisted() {
    let tmp = tempfile::tempdir().unwrap();
    let bag = bag_in(tmp.path());
    fs::rename(bag.join("data/README.txt"), bag.join("data/README.md")).unwrap();
    for fast in [false, true] {
        let v = validate(&bag, fast).unwrap();
        let e = errors(&v);
        assert!(e.iter().any(|k| k.0 == Kind::MissingFile), "{e:?}");
        assert!(
            e.contains(&(Kind::UnlistedFile, "data/README.md".into(), None)),
            "{e:?}"
        );
    }
}

#[test]
fn an_extra_file_is_unlisted() {
    let tmp = tempfile::tempdir().unwrap();
    let bag = bag_in(tmp.path());
    fs::write(bag.join("data/photos/extra.jpg"), b"x").unwrap();
    let v = validate(&bag, false).unwrap();
    assert_eq!(
        errors(&v),
        [(Kind::UnlistedFile, "data/photos/extra.jpg".into(), None)]
    );
    assert!(
        v.problems[0]
            .message
            .contains("manifest-sha256.txt, manifest-sha512.txt")
            || v.problems.iter().any(|p| p
                .message
                .contains("manifest-sha512.txt, manifest-sha256.txt"))
    );
}

#[test]
fn fast_without_oxum_fails_and_full_validation_does_not_need_it() {
    let tmp = tempfile::tempdir().unwrap();
    let bag = bag_in(tmp.path());
    fs::write(bag.join("bag-info.txt"), "Bagging-Date: 2024-01-01\n").unwrap();
    let _ = fs::remove_file(bag.join("tagmanifest-sha256.txt"));
    let _ = fs::remove_file(bag.join("tagmanifest-sha512.txt"));
    assert!(validate(&bag, false).unwrap().is_valid());
    let fast = validate(&bag, true).unwrap();
    assert_eq!(
        errors(&fast),
        [(Kind::BagInfo, "bag-info.txt".into(), None)]
    );
}

#[test]
fn multiple_oxum_values_are_an_error() {
    let tmp = tempfile::tempdir().unwrap();
    let bag = bag_in(tmp.path());
    let n = README.len() + PHOTO.len();
    fs::write(
        bag.join("bag-info.txt"),
        format!("Payload-Oxum: {n}.2\nPayload-Oxum: {n}.2\n"),
    )
    .unwrap();
    let _ = fs::remove_file(bag.join("tagmanifest-sha256.txt"));
    let _ = fs::remove_file(bag.join("tagmanifest-sha512.txt"));
    let v = validate(&bag, false).unwrap();
    assert_eq!(
        errors(&v),
        [(Kind::BagInfo, "bag-info.txt".into(), Some(2))]
    );
}

#[test]
fn an_oxum_mismatch_is_reported_but_checksums_decide() {
    let tmp = tempfile::tempdir().unwrap();
    let bag = bag_in(tmp.path());
    fs::write(bag.join("bag-info.txt"), "Payload-Oxum: 1.1\n").unwrap();
    let _ = fs::remove_file(bag.join("tagmanifest-sha256.txt"));
    let _ = fs::remove_file(bag.join("tagmanifest-sha512.txt"));
    let v = validate(&bag, false).unwrap();
    assert!(v.is_valid());
    assert_eq!(
        kinds(&v, Severity::Warning),
        [(Kind::OxumMismatch, "bag-info.txt".into(), Some(1))]
    );
    assert!(!validate(&bag, true).unwrap().is_valid());
}

#[test]
fn a_missing_data_folder_is_an_error() {
    let tmp = tempfile::tempdir().unwrap();
    let bag = bag_in(tmp.path());
    fs::remove_dir_all(bag.join("data")).unwrap();
    let v = validate(&bag, false).unwrap();
    assert!(has_error(&v, Kind::MissingPart));
    assert!(has_error(&v, Kind::MissingFile));
}

#[test]
fn bagit_txt_missing_empty_garbage_bom_or_bad_version() {
    let tmp = tempfile::tempdir().unwrap();
    let bag = bag_in(tmp.path());
    let _ = fs::remove_file(bag.join("tagmanifest-sha256.txt"));
    let _ = fs::remove_file(bag.join("tagmanifest-sha512.txt"));
    let good = "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n";
    let cases: [(Option<&[u8]>, Option<usize>); 6] = [
        (None, None),
        (Some(b""), None),
        (Some(b"\x00\xff\xfegarbage\n"), Some(1)),
        (
            Some(&[b"\xEF\xBB\xBF".as_slice(), good.as_bytes()].concat()),
            Some(1),
        ),
        (
            Some(b"BagIt-Version: 9.9\nTag-File-Character-Encoding: UTF-8\n"),
            Some(1),
        ),
        (Some(b"BagIt-Version: 1.0\n"), None),
    ];
    for (content, line) in cases {
        match content {
            Some(b) => fs::write(bag.join("bagit.txt"), b).unwrap(),
            None => {
                let _ = fs::remove_file(bag.join("bagit.txt"));
            }
        }
        let v = validate(&bag, false).unwrap();
        assert_eq!(
            errors(&v),
            [(Kind::Declaration, "bagit.txt".into(), line)],
            "{content:?}"
        );
    }
    fs::write(bag.join("bagit.txt"), good).unwrap();
    assert!(validate(&bag, false).unwrap().is_valid());
}

#[test]
fn no_payload_manifest_is_an_error() {
    let tmp = tempfile::tempdir().unwrap();
    let bag = bag_in(tmp.path());
    fs::remove_file(bag.join("manifest-sha256.txt")).unwrap();
    fs::remove_file(bag.join("manifest-sha512.txt")).unwrap();
    let v = validate(&bag, false).unwrap();
    assert!(has_error(&v, Kind::MissingPart), "{:?}", v.problems);
    // The tag manifests still name them: missing there too.
    assert!(has_error(&v, Kind::MissingFile));
}

#[test]
fn upper_case_checksums_are_accepted() {
    let tmp = tempfile::tempdir().unwrap();
    let h = sha256_hex(b"x").to_uppercase();
    let bag = hand_bag(
        tmp.path(),
        &[("x.txt", b"x")],
        &format!("{h}  data/x.txt\n"),
    );
    let v = validate(&bag, false).unwrap();
    assert!(v.is_valid(), "{:?}", v.problems);
    assert_eq!(v.checksums_verified, 1);
}

#[test]
fn an_unknown_algorithm_cannot_be_verified() {
    let tmp = tempfile::tempdir().unwrap();
    let bag = bag_in(tmp.path());
    fs::write(bag.join("manifest-sha3.txt"), "00  data/README.txt\n").unwrap();
    let v = validate(&bag, false).unwrap();
    assert_eq!(
        errors(&v),
        [(Kind::UnknownAlgorithm, "manifest-sha3.txt".into(), None)]
    );
}

#[test]
fn a_malformed_manifest_line_is_an_error_never_skipped() {
    let tmp = tempfile::tempdir().unwrap();
    let h = sha256_hex(b"x");
    let bag = hand_bag(
        tmp.path(),
        &[("x.txt", b"x")],
        &format!("{h}  data/x.txt\n{h}data/y.txt\nnot a checksum  data/z\n"),
    );
    let v = validate(&bag, false).unwrap();
    assert_eq!(
        errors(&v),
        [
            (Kind::MalformedLine, "manifest-sha256.txt".into(), Some(2)),
            (Kind::MalformedLine, "manifest-sha256.txt".into(), Some(3)),
        ]
    );
}

#[test]
fn every_unsafe_path_form_is_refused_and_never_opened() {
    let tmp = tempfile::tempdir().unwrap();
    // `bagevil` beside `bag`: a character-prefix check thinks it is inside.
    fs::create_dir_all(tmp.path().join("bagevil")).unwrap();
    fs::write(tmp.path().join("bagevil/x"), b"secret").unwrap();
    let h = sha256_hex(b"secret");
    let forms = [
        "../bagevil/x",
        "data/../../bagevil/x",
        "/etc/passwd",
        "~/x",
        "~root/x",
        "C:/x",
        "c:x",
        "\\\\?\\C:\\x",
        "\\\\server\\share\\x",
        "data/COM1:",
        "data/COM1",
        "data/nul.txt",
        "data\\..\\..\\bagevil\\x",
    ];
    let mut manifest = format!("{}  data/ok.txt\n", sha256_hex(b"ok"));
    for f in forms {
        manifest.push_str(&format!("{h}  {f}\n"));
    }
    let bag = hand_bag(tmp.path(), &[("ok.txt", b"ok")], &manifest);
    fs::write(
        bag.join("tagmanifest-sha256.txt"),
        format!("{h}  ../bagevil/x\n"),
    )
    .unwrap();
    let v = validate(&bag, false).unwrap();
    let unsafe_lines: Vec<_> = v
        .problems
        .iter()
        .filter(|p| p.kind == Kind::UnsafePath && p.file == "manifest-sha256.txt")
        .map(|p| p.line.unwrap())
        .collect();
    assert_eq!(
        unsafe_lines,
        (2..2 + forms.len()).collect::<Vec<_>>(),
        "{:?}",
        v.problems
    );
    assert!(
        v.problems
            .iter()
            .any(|p| p.kind == Kind::UnsafePath && p.file == "tagmanifest-sha256.txt")
    );
    assert!(
        !v.problems.iter().any(|p| p.kind == Kind::ChecksumMismatch),
        "nothing outside was hashed"
    );
    assert_eq!(v.checksums_verified, 1);
}

#[cfg(unix)]
#[test]
fn symlinks_that_leave_the_bag_are_refused() {
    use std::os::unix::fs::symlink;
    let tmp = tempfile::tempdir().unwrap();
    fs::create_dir_all(tmp.path().join("bagevil")).unwrap();
    fs::write(tmp.path().join("bagevil/x"), b"secret").unwrap();
    let h = sha256_hex(b"secret");
    let bag = hand_bag(
        tmp.path(),
        &[],
        &format!("{h}  data/link\n{h}  data/dir/x\n"),
    );
    symlink(tmp.path().join("bagevil/x"), bag.join("data/link")).unwrap();
    symlink("../../bagevil", bag.join("data/dir")).unwrap();
    // A tag file that is a link out: never read either.
    fs::remove_file(bag.join("bagit.txt")).unwrap();
    symlink(tmp.path().join("bagevil/x"), bag.join("bagit.txt")).unwrap();
    let v = validate(&bag, false).unwrap();
    let e = errors(&v);
    assert!(
        e.contains(&(Kind::UnsafePath, "data/link".into(), None)),
        "{e:?}"
    );
    assert!(
        e.contains(&(Kind::UnsafePath, "data/dir".into(), None)),
        "{e:?}"
    );
    assert!(
        e.contains(&(Kind::UnsafePath, "bagit.txt".into(), None)),
        "{e:?}"
    );
    assert_eq!(v.checksums_verified, 0);
}

#[cfg(unix)]
#[test]
fn an_unreadable_file_makes_the_bag_invalid() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().unwrap();
    let bag = bag_in(tmp.path());
    let f = bag.join("data/photos/a.jpg");
    fs::set_permissions(&f, fs::Permissions::from_mode(0o000)).unwrap();
    if support::permissions_bypassed() {
        // Root reads mode 000: run the binary as `nobody` instead, so the
        // permission check is really exercised (CI runs as root).
        unreadable_as_nobody(tmp.path(), &bag);
        fs::set_permissions(&f, fs::Permissions::from_mode(0o644)).unwrap();
        return;
    }
    for fast in [false, true] {
        let v = validate(&bag, fast).unwrap();
        assert!(
            errors(&v).contains(&(Kind::Unreadable, "data/photos/a.jpg".into(), None)),
            "{fast}: {:?}",
            v.problems
        );
    }
    fs::set_permissions(&f, fs::Permissions::from_mode(0o644)).unwrap();
}

/// `cutline verify --bag` run as `nobody` must call the bag invalid (exit 1)
/// and name the unreadable file, in full and `--fast`.
#[cfg(unix)]
fn unreadable_as_nobody(tmp: &Path, bag: &Path) {
    use std::os::unix::fs::PermissionsExt;
    let Some(cutline) = support::cutline_subject_to_permissions(tmp) else {
        return;
    };
    assert!(cutline.dropped(), "this process bypasses permissions");
    // Let `nobody` traverse to the bag; the payload file stays mode 000.
    for dir in [bag.to_path_buf(), bag.join("data"), bag.join("data/photos")] {
        fs::set_permissions(&dir, fs::Permissions::from_mode(0o755)).unwrap();
    }
    for entry in fs::read_dir(bag).unwrap() {
        let p = entry.unwrap().path();
        if p.is_file() {
            fs::set_permissions(&p, fs::Permissions::from_mode(0o644)).unwrap();
        }
    }
    for fast in [&[][..], &["--fast"][..]] {
        let out = cutline
            .command()
            .args(["verify", "--bag"])
            .arg(bag)
            .args(fast)
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        assert_eq!(out.status.code(), Some(1), "{fast:?}: {text}");
        assert!(
            text.contains("data/photos/a.jpg") && text.contains("unreadable"),
            "{fast:?}: {text}"
        );
    }
}

#[cfg(unix)]
#[test]
fn a_fifo_in_the_payload_is_never_opened() {
    let tmp = tempfile::tempdir().unwrap();
    let bag = bag_in(tmp.path());
    let Some(mkfifo) = support::require_tool(&support::MKFIFO) else {
        return;
    };
    let status = Command::new(mkfifo).arg(bag.join("data/pipe")).status();
    assert!(
        status.as_ref().is_ok_and(|s| s.success()),
        "mkfifo: {status:?}"
    );
    // Opening a FIFO would block forever: finishing at all is the test.
    let v = validate(&bag, false).unwrap();
    let e = errors(&v);
    assert!(
        e.contains(&(Kind::Unreadable, "data/pipe".into(), None)),
        "{e:?}"
    );
}

#[test]
fn a_filename_with_a_carriage_return_round_trips() {
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("src");
    fs::create_dir_all(&src).unwrap();
    fs::write(src.join("a\rb.txt"), b"cr").unwrap();
    fs::write(src.join("100%.txt"), b"pct").unwrap();
    let bag = tmp.path().join("bag");
    create(&CreateOptions {
        from: src,
        out: bag.clone(),
        link: false,
    })
    .unwrap();
    let m = fs::read_to_string(bag.join("manifest-sha256.txt")).unwrap();
    assert!(
        m.contains("data/a%0Db.txt\n") && m.contains("data/100%25.txt\n"),
        "{m}"
    );
    let v = validate(&bag, false).unwrap();
    assert!(v.is_valid(), "{:?}", v.problems);
}

#[test]
fn an_nfd_file_with_an_nfc_manifest_is_accepted() {
    let tmp = tempfile::tempdir().unwrap();
    let nfd = "cafe\u{301}.txt";
    let nfc = "caf\u{e9}.txt";
    let bag = hand_bag(
        tmp.path(),
        &[(nfd, b"x")],
        &format!("{}  data/{nfc}\n", sha256_hex(b"x")),
    );
    let v = validate(&bag, false).unwrap();
    assert!(v.is_valid(), "{:?}", v.problems);
    assert_eq!(
        kinds(&v, Severity::Info),
        [(Kind::NameCollision, "manifest-sha256.txt".into(), Some(1))]
    );
}

#[test]
fn names_differing_only_by_case_are_reported() {
    let tmp = tempfile::tempdir().unwrap();
    let bag = hand_bag(
        tmp.path(),
        &[("Photo.jpg", b"a"), ("photo.jpg", b"b")],
        &format!(
            "{}  data/Photo.jpg\n{}  data/photo.jpg\n",
            sha256_hex(b"a"),
            sha256_hex(b"b")
        ),
    );
    if fs::read(bag.join("data/Photo.jpg")).unwrap() == b"b" {
        support::skip_or_fail("the temp dir's file system folds case");
        return;
    }
    let v = validate(&bag, false).unwrap();
    assert!(v.is_valid());
    assert_eq!(
        kinds(&v, Severity::Warning),
        [(Kind::NameCollision, "data/photo.jpg".into(), None)]
    );
}

#[test]
fn bad_or_missing_optional_tag_files() {
    let tmp = tempfile::tempdir().unwrap();
    let bag = bag_in(tmp.path());
    // bag-info.txt edited after bagging: the tag manifests catch it; a
    // malformed line is reported with its number.
    let info = fs::read_to_string(bag.join("bag-info.txt")).unwrap();
    fs::write(
        bag.join("bag-info.txt"),
        format!("{info}this line has no colon\n"),
    )
    .unwrap();
    let v = validate(&bag, false).unwrap();
    let e = errors(&v);
    assert!(
        e.contains(&(Kind::MalformedLine, "bag-info.txt".into(), Some(4))),
        "{e:?}"
    );
    assert!(
        e.contains(&(
            Kind::ChecksumMismatch,
            "tagmanifest-sha256.txt".into(),
            Some(1)
        )),
        "{e:?}"
    );
    // A tag file a tag manifest lists, deleted.
    fs::remove_file(bag.join("bag-info.txt")).unwrap();
    let v = validate(&bag, false).unwrap();
    assert!(errors(&v).contains(&(Kind::MissingFile, "tagmanifest-sha512.txt".into(), Some(1))));
}

#[test]
fn fetch_txt_is_reported_and_never_fetched() {
    let tmp = tempfile::tempdir().unwrap();
    let bag = bag_in(tmp.path());
    fs::write(
        bag.join("fetch.txt"),
        "file:///etc/passwd - /etc/passwd\nfile:///etc/passwd 10 data/passwd\nnonsense\n",
    )
    .unwrap();
    let v = validate(&bag, false).unwrap();
    assert_eq!(
        errors(&v),
        [
            (Kind::UnsafePath, "fetch.txt".into(), Some(1)),
            (Kind::MalformedLine, "fetch.txt".into(), Some(3)),
        ]
    );
    assert_eq!(
        kinds(&v, Severity::Info),
        [(Kind::Fetch, "fetch.txt".into(), Some(2))]
    );
    assert!(!bag.join("data/passwd").exists(), "never fetched");
}

#[test]
fn bag_refuses_names_that_collide_and_an_existing_target() {
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("src");
    fs::create_dir_all(&src).unwrap();
    fs::write(src.join("caf\u{e9}.txt"), b"1").unwrap();
    fs::write(src.join("cafe\u{301}.txt"), b"2").unwrap();
    let out = tmp.path().join("bag");
    let e = create(&CreateOptions {
        from: src.clone(),
        out: out.clone(),
        link: false,
    })
    .unwrap_err();
    assert!(e.to_string().contains("Unicode NFC or case"), "{e}");
    assert!(!out.exists(), "nothing left behind");
    fs::remove_file(src.join("cafe\u{301}.txt")).unwrap();
    fs::write(src.join("CAF\u{c9}.txt"), b"3").unwrap();
    if fs::read(src.join("caf\u{e9}.txt")).unwrap() == b"1" {
        assert!(
            create(&CreateOptions {
                from: src.clone(),
                out: out.clone(),
                link: false
            })
            .is_err()
        );
    }
    fs::remove_file(src.join("CAF\u{c9}.txt")).unwrap();
    fs::create_dir_all(&out).unwrap();
    let e = create(&CreateOptions {
        from: src.clone(),
        out: out.clone(),
        link: false,
    })
    .unwrap_err();
    assert!(e.to_string().contains("already exists"), "{e}");
    let inside = src.join("bag");
    assert!(
        create(&CreateOptions {
            from: src,
            out: inside.clone(),
            link: false
        })
        .is_err()
    );
    assert!(!inside.exists());
}

#[cfg(unix)]
#[test]
fn bag_link_hard_links_the_payload() {
    use std::os::unix::fs::MetadataExt;
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("src");
    fs::create_dir_all(&src).unwrap();
    fs::write(src.join("a.txt"), b"linked").unwrap();
    let bag = tmp.path().join("bag");
    create(&CreateOptions {
        from: src.clone(),
        out: bag.clone(),
        link: true,
    })
    .unwrap();
    assert_eq!(
        fs::metadata(src.join("a.txt")).unwrap().ino(),
        fs::metadata(bag.join("data/a.txt")).unwrap().ino()
    );
    assert!(validate(&bag, false).unwrap().is_valid());
}

#[test]
fn the_cli_exits_0_only_for_a_valid_bag_and_fast_says_what_it_did_not_prove() {
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("src");
    fs::create_dir_all(&src).unwrap();
    fs::write(src.join("a.txt"), b"a").unwrap();
    let bag = tmp.path().join("bag");
    let run = |args: &[&std::ffi::OsStr]| {
        Command::new(env!("CARGO_BIN_EXE_cutline"))
            .args(args)
            .output()
            .unwrap()
    };
    let made = run(&[
        "bag".as_ref(),
        "--from".as_ref(),
        src.as_os_str(),
        bag.as_os_str(),
    ]);
    assert!(made.status.success(), "{made:?}");
    let ok = run(&["verify".as_ref(), "--bag".as_ref(), bag.as_os_str()]);
    assert_eq!(ok.status.code(), Some(0));
    let said = String::from_utf8_lossy(&ok.stdout);
    assert!(said.contains("valid: complete, and "), "{said}");
    assert!(said.contains("ok: 1 bag"), "{said}");
    let fast = run(&[
        "verify".as_ref(),
        "--bag".as_ref(),
        bag.as_os_str(),
        "--fast".as_ref(),
    ]);
    assert_eq!(fast.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&fast.stdout).contains("verified NO checksum"));
    fs::write(bag.join("data/a.txt"), b"b").unwrap();
    let bad = run(&[
        "verify".as_ref(),
        "--bag".as_ref(),
        bag.as_os_str(),
        "--format".as_ref(),
        "json".as_ref(),
    ]);
    assert_eq!(bad.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&bad.stdout).unwrap();
    assert_eq!(json["summary"]["exit_code"], 1);
    assert_eq!(json["findings"][0]["code"], "B009");
    assert_eq!(json["findings"][0]["rule"], "bag-checksum-mismatch");
    assert_eq!(json["findings"][0]["path"], "manifest-sha256.txt");
    assert_eq!(json["findings"][0]["line"], 1);
    let missing = run(&[
        "verify".as_ref(),
        "--bag".as_ref(),
        tmp.path().join("nope").as_os_str(),
    ]);
    assert_eq!(missing.status.code(), Some(2));
}

/// bagit-python's `bagit.py`: `$CUTLINE_BAGIT_PY` (`.ci/run` sets it), else
/// `/tmp/bagit-venv/bin/bagit.py`, else `bagit.py` on PATH.
#[test]
fn interop_with_bagit_python_both_ways() {
    let Some(py) = support::require_tool(&support::BAGIT_PY) else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    // cutline makes, bagit-python validates. (No `%` in names: bagit-python
    // 1.9.0 does not percent-encode `%` as RFC 8493 §2.1.3 requires.)
    let bag = tmp.path().join("ours");
    let src = tmp.path().join("src");
    fs::create_dir_all(src.join("sub dir")).unwrap();
    fs::write(src.join("a.txt"), b"a").unwrap();
    fs::write(src.join("sub dir/caf\u{e9}.jpg"), PHOTO).unwrap();
    fs::write(src.join("c\rr.txt"), b"cr").unwrap();
    create(&CreateOptions {
        from: src.clone(),
        out: bag.clone(),
        link: false,
    })
    .unwrap();
    let o = Command::new(&py)
        .arg("--validate")
        .arg(&bag)
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "bagit.py --validate on cutline's bag: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    // bagit-python makes (in place), cutline validates.
    let theirs = tmp.path().join("theirs");
    fs::create_dir_all(&theirs).unwrap();
    fs::write(theirs.join("a.txt"), b"a").unwrap();
    fs::create_dir_all(theirs.join("sub dir")).unwrap();
    fs::write(theirs.join("sub dir/caf\u{e9}.jpg"), PHOTO).unwrap();
    let o = Command::new(&py)
        .args(["--sha256", "--sha512", "--contact-name", "Test"])
        .arg(&theirs)
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "bagit.py: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    let v = validate(&theirs, false).unwrap();
    assert!(v.is_valid(), "{:?}", v.problems);
    assert!(v.checksums_verified >= 4);
    assert!(validate(&theirs, true).unwrap().is_valid());
    // And both agree a tampered bag is invalid.
    fs::write(theirs.join("data/a.txt"), b"b").unwrap();
    assert!(!validate(&theirs, false).unwrap().is_valid());
    let o = Command::new(&py)
        .arg("--validate")
        .arg(&theirs)
        .output()
        .unwrap();
    assert!(!o.status.success());
}

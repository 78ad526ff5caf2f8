//! Issue 4's "Done when": seven files, seven fixity categories from `verify`; `update` then leaves a manifest `verify` passes, every caption, credit and unknown key kept.

#[path = "support/embed.rs"]
mod embed;

use std::collections::BTreeMap;
use std::fs;
use std::io::Cursor;
use std::path::{Path, PathBuf};

use cutline::commands::{self, Command, Outcome};
use cutline::manifest::{self, Item, Manifest};
use cutline::report::Format;
use embed::{Meta, XmpValue, xmp_packet};
use image::{ImageFormat, Rgb, RgbImage};
use serde_json::{Value, json};

/// A small JPEG whose pixels depend on `seed`.
fn jpeg(seed: u8) -> Vec<u8> {
    encode(seed, ImageFormat::Jpeg)
}

fn encode(seed: u8, format: ImageFormat) -> Vec<u8> {
    let img = RgbImage::from_fn(16, 16, |x, y| {
        Rgb([
            (x as u8).wrapping_mul(16) ^ seed,
            (y as u8).wrapping_mul(16),
            seed.wrapping_mul(37),
        ])
    });
    let mut out = Cursor::new(Vec::new());
    img.write_to(&mut out, format).expect("test setup");
    out.into_inner()
}

/// XMP holding a caption (`dc:description`) and a credit (`photoshop:Credit`).
fn meta(caption: &str, credit: &str) -> Meta {
    Meta {
        xmp: Some(xmp_packet(&[
            ("dc", "description", XmpValue::LangAlt(caption.to_owned())),
            ("photoshop", "Credit", XmpValue::Simple(credit.to_owned())),
        ])),
        ..Meta::default()
    }
}

fn tagged_jpeg(seed: u8, caption: &str) -> Vec<u8> {
    embed::jpeg_with(&jpeg(seed), &meta(caption, "Jane Doe/Northern Wire")).expect("test setup")
}

fn run(cmd: Command) -> (Outcome, String) {
    let mut out = Vec::new();
    let outcome = commands::run(&cmd, &mut out).expect("the command runs");
    (outcome, String::from_utf8(out).expect("UTF-8 output"))
}

fn verify(manifest: &Path, format: Format) -> (Outcome, String) {
    run(Command::Verify(commands::verify::Options {
        manifests: vec![manifest.to_path_buf()],
        root: None,
        format,
    }))
}

/// `check --full --format json` on one manifest.
fn check_json(manifest: &Path) -> Value {
    let (_, text) = run(Command::Check(commands::check::Options {
        manifests: vec![manifest.to_path_buf()],
        root: None,
        format: Format::Json,
        fail_on: cutline::rules::Severity::Error,
        policy: None,
        color: cutline::report::ColorChoice::Never,
        full: true,
    }));
    serde_json::from_str(&text).expect("check prints JSON")
}

/// The verdict-deciding findings (file presence and hashes) of a report, as
/// `(path, code, severity)`.
fn fixity_findings(doc: &Value) -> Vec<(String, String, String)> {
    doc["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| {
            let code = f["code"].as_str().unwrap_or("");
            code.starts_with('M') || code.starts_with('H')
        })
        .map(|f| {
            (
                f["path"].as_str().unwrap_or("").to_owned(),
                f["code"].as_str().unwrap_or("").to_owned(),
                f["severity"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect()
}

/// `check` gives every file the verdict `verify` gives it: the same
/// category and the same fixity findings at the same severity.
fn assert_one_verdict(manifest: &Path, verify_doc: &Value) {
    let check_doc = check_json(manifest);
    assert_eq!(
        categories(&check_doc),
        categories(verify_doc),
        "check: {check_doc:#}"
    );
    assert_eq!(
        fixity_findings(&check_doc),
        fixity_findings(verify_doc),
        "check: {check_doc:#}"
    );
}

fn verify_json(manifest: &Path) -> (Outcome, Value) {
    let (outcome, text) = verify(manifest, Format::Json);
    (
        outcome,
        serde_json::from_str(&text).expect("verify prints JSON"),
    )
}

fn update(manifest: &Path, dry_run: bool) -> (Outcome, String) {
    run(Command::Update(commands::update::Options {
        manifest: manifest.to_path_buf(),
        root: None,
        dry_run,
        prune: false,
    }))
}

/// path → category, from `verify --format json`.
fn categories(doc: &Value) -> BTreeMap<String, String> {
    doc["files"]
        .as_array()
        .expect("test setup")
        .iter()
        .map(|f| {
            (
                f["path"].as_str().expect("test setup").to_owned(),
                f["category"].as_str().expect("test setup").to_owned(),
            )
        })
        .collect()
}

fn map(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
        .collect()
}

/// A media folder and a manifest for it written by `init`, in a temp dir.
struct Story {
    _dir: tempfile::TempDir,
    media: PathBuf,
    manifest: PathBuf,
}

fn story(files: &[(&str, Vec<u8>)]) -> Story {
    let dir = tempfile::tempdir().expect("test setup");
    let media = dir.path().join("media");
    fs::create_dir_all(&media).expect("test setup");
    fs::create_dir_all(dir.path().join("manifests")).expect("test setup");
    for (name, bytes) in files {
        fs::write(media.join(name), bytes).expect("test setup");
    }
    let manifest = dir.path().join("manifests/story.json");
    run(Command::Init(commands::init::Options {
        root: media.clone(),
        output: manifest.clone(),
        force: false,
    }));
    Story {
        _dir: dir,
        media,
        manifest,
    }
}

/// Everything an editor wrote in an item, keyed by the item's path.
fn editorial(m: &Manifest) -> BTreeMap<String, Item> {
    m.items
        .iter()
        .map(|i| {
            let mut kept = i.clone();
            kept.sha256 = None;
            kept.image_sha256 = None;
            kept.size = None;
            kept.missing = false;
            (i.path.clone(), kept)
        })
        .collect()
}

#[test]
fn seven_files_seven_categories_then_update_makes_verify_clean() {
    let s = story(&[
        (
            "untouched.jpg",
            tagged_jpeg(1, "Boats leave the harbor at dawn."),
        ),
        (
            "edited.jpg",
            tagged_jpeg(2, "A fisherman mends nets, Ullapool."),
        ),
        ("reencoded.jpg", tagged_jpeg(3, "Gulls over the pier.")),
        ("renamed.jpg", tagged_jpeg(4, "The harbor master's office.")),
        (
            "deleted.jpg",
            tagged_jpeg(5, "Crates of langoustine on the quay."),
        ),
    ]);

    // The editors' own words: a credit that differs from the embedded one,
    // alt text, and keys cutline does not know, on items and at the top.
    let mut m = manifest::load(&s.manifest).unwrap();
    assert_eq!(m.items.len(), 5);
    for (n, item) in m.items.iter_mut().enumerate() {
        item.alt = Some(format!("Alt text {n}."));
        item.extra
            .insert("desk_note".into(), json!({"n": n, "ok": true}));
    }
    m.items[3].credit = Some("Jane Doe/Northern Wire for The Courier".into());
    m.extra.insert("story".into(), json!("Harbor"));
    manifest::save_atomic(&m, &s.manifest).unwrap();
    let before = editorial(&m);
    let (outcome, _) = verify(&s.manifest, Format::Json);
    assert_eq!(outcome, Outcome::Clean);

    // The seven things that happen to an archive.
    let media = &s.media;
    fs::write(
        media.join("edited.jpg"),
        tagged_jpeg(2, "A fisherman mends nets in Ullapool, Scotland."),
    )
    .unwrap();
    fs::write(
        media.join("reencoded.jpg"),
        tagged_jpeg(13, "Gulls over the pier."),
    )
    .unwrap();
    fs::create_dir_all(media.join("sub")).unwrap();
    fs::rename(
        media.join("renamed.jpg"),
        media.join("sub/renamed-later.jpg"),
    )
    .unwrap();
    fs::remove_file(media.join("deleted.jpg")).unwrap();
    let png = embed::png_with(
        &encode(6, ImageFormat::Png),
        &meta("Nets drying in the sun.", "Jane Doe/Northern Wire"),
        &[],
    )
    .unwrap();
    fs::write(media.join("added.png"), png).unwrap();
    fs::copy(
        media.join("untouched.jpg"),
        media.join("untouched-copy.jpg"),
    )
    .unwrap();

    let (outcome, doc) = verify_json(&s.manifest);
    assert_eq!(outcome, Outcome::Findings, "H003 and M001 are errors");
    assert_eq!(
        categories(&doc),
        map(&[
            ("added.png", "new"),
            ("deleted.jpg", "missing"),
            ("edited.jpg", "metadata-only"),
            ("reencoded.jpg", "image-changed"),
            ("sub/renamed-later.jpg", "moved"),
            ("untouched-copy.jpg", "duplicate"),
            ("untouched.jpg", "unchanged"),
        ])
    );
    let files = doc["files"].as_array().unwrap();
    let moved = files.iter().find(|f| f["category"] == "moved").unwrap();
    assert_eq!(moved["from"], "renamed.jpg");
    assert_eq!(moved["code"], "M006");
    let dup = files.iter().find(|f| f["category"] == "duplicate").unwrap();
    assert_eq!(dup["of"], "untouched.jpg");
    let codes: Vec<(&str, &str)> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["path"].as_str().unwrap(), f["code"].as_str().unwrap()))
        .collect();
    assert_eq!(
        codes,
        [
            ("added.png", "M002"),
            ("deleted.jpg", "M001"),
            ("edited.jpg", "H002"),
            ("reencoded.jpg", "H003"),
            ("sub/renamed-later.jpg", "M006"),
            ("untouched-copy.jpg", "H005"),
        ],
        "a move is reported once, not also as missing and new"
    );
    // One verdict per file: check says what verify says (H002 for the
    // metadata-only edit, not H001).
    assert_one_verdict(&s.manifest, &doc);
    // check's rules read a moved item with the file it moved to: its credit
    // differs from the one embedded there (R005), which a read without the
    // file could not see.
    let check_doc = check_json(&s.manifest);
    assert!(
        check_doc["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .any(|f| f["code"] == "R005" && f["path"] == "renamed.jpg"),
        "{check_doc:#}"
    );
    for c in [
        "unchanged",
        "metadata-only",
        "image-changed",
        "moved",
        "missing",
        "new",
        "duplicate",
    ] {
        assert_eq!(doc["summary"][c], 1, "{c}");
    }
    assert_eq!(doc["summary"]["changed"], 0);
    assert_eq!(doc["summary"]["exit_code"], 1);

    let (_, text) = verify(&s.manifest, Format::Human);
    assert!(
        text.contains(
            "7 files: 1 unchanged, 1 metadata-only change, 1 image changed, \
             0 changed (no image hash), 1 moved, 1 missing, 1 new, 0 changed while read, 1 duplicate"
        ),
        "{text}"
    );
    assert!(text.ends_with("→ exit 1\n"), "{text}");

    // A dry run prints the changes and writes nothing.
    let old_bytes = fs::read(&s.manifest).unwrap();
    let (outcome, text) = update(&s.manifest, true);
    assert_eq!(outcome, Outcome::Clean);
    assert!(
        text.contains("moved     renamed.jpg → sub/renamed-later.jpg"),
        "{text}"
    );
    assert!(text.contains("dry run: 6 changes;"), "{text}");
    assert_eq!(fs::read(&s.manifest).unwrap(), old_bytes);

    let (outcome, text) = update(&s.manifest, false);
    assert_eq!(outcome, Outcome::Clean, "{text}");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines,
        [
            "added     added.png",
            "missing   deleted.jpg: marked missing",
            "updated   edited.jpg: new hashes (metadata-only change)",
            "updated   reencoded.jpg: new hashes (image changed)",
            "moved     renamed.jpg → sub/renamed-later.jpg",
            "added     untouched-copy.jpg",
            &format!("wrote {} (6 changes)", s.manifest.display()),
        ]
    );

    // Clean now: the loss is acknowledged (M001 at info), the copy is
    // listed but still the same bytes as another file (H005, info).
    let (outcome, doc) = verify_json(&s.manifest);
    assert_eq!(outcome, Outcome::Clean, "{doc:#}");
    assert_eq!(
        categories(&doc),
        map(&[
            ("added.png", "unchanged"),
            ("deleted.jpg", "missing-acknowledged"),
            ("edited.jpg", "unchanged"),
            ("reencoded.jpg", "unchanged"),
            ("sub/renamed-later.jpg", "unchanged"),
            ("untouched-copy.jpg", "duplicate"),
            ("untouched.jpg", "unchanged"),
        ])
    );
    assert_eq!(doc["summary"]["errors"], 0);
    assert_eq!(doc["summary"]["warnings"], 0);
    // The acknowledged loss is M001 at info in check too.
    assert!(
        fixity_findings(&doc).contains(&("deleted.jpg".into(), "M001".into(), "info".into())),
        "{doc:#}"
    );
    assert_one_verdict(&s.manifest, &doc);

    // Every caption, credit, alt text and unknown key survived; the moved
    // item kept its words under its new path; nothing was deleted.
    let after = manifest::load(&s.manifest).unwrap();
    assert_eq!(after.extra.get("story"), Some(&json!("Harbor")));
    let kept = editorial(&after);
    for (path, item) in &before {
        let now_at = if path == "renamed.jpg" {
            "sub/renamed-later.jpg"
        } else {
            path.as_str()
        };
        let mut want = item.clone();
        want.path = now_at.to_owned();
        assert_eq!(kept.get(now_at), Some(&want), "{path}");
    }
    let gone = after
        .items
        .iter()
        .find(|i| i.path == "deleted.jpg")
        .unwrap();
    assert!(gone.missing);
    assert_eq!(
        gone.caption.as_deref(),
        Some("Crates of langoustine on the quay.")
    );
    // The manifest caption is the editor's: a metadata-only edit of the
    // file does not overwrite it.
    let edited = after.items.iter().find(|i| i.path == "edited.jpg").unwrap();
    assert_eq!(
        edited.caption.as_deref(),
        Some("A fisherman mends nets, Ullapool.")
    );
    // New items come pre-filled from the file, appended after the story's items.
    let paths: Vec<&str> = after.items.iter().map(|i| i.path.as_str()).collect();
    assert_eq!(&paths[5..], ["added.png", "untouched-copy.jpg"]);
    let added = &after.items[5];
    assert_eq!(added.caption.as_deref(), Some("Nets drying in the sun."));
    assert_eq!(added.credit.as_deref(), Some("Jane Doe/Northern Wire"));
    assert!(added.sha256.is_some() && added.image_sha256.is_some());

    // A second update has nothing to do and does not rewrite the file.
    let bytes = fs::read(&s.manifest).unwrap();
    let (outcome, text) = update(&s.manifest, false);
    assert_eq!(outcome, Outcome::Clean);
    assert!(text.ends_with("up to date; nothing written\n"), "{text}");
    assert_eq!(fs::read(&s.manifest).unwrap(), bytes);

    // The file comes back: its missing mark is cleared.
    fs::write(
        media.join("deleted.jpg"),
        tagged_jpeg(5, "Crates of langoustine on the quay."),
    )
    .unwrap();
    let (_, text) = update(&s.manifest, false);
    assert!(text.contains("restored  deleted.jpg"), "{text}");
    let back = manifest::load(&s.manifest).unwrap();
    assert!(back.items.iter().all(|i| !i.missing));
}

#[test]
fn nfd_name_in_the_manifest_matches_nfc_name_on_disk() {
    let s = story(&[("caf\u{e9}.jpg", tagged_jpeg(7, "Coffee on the quay."))]);
    let mut m = manifest::load(&s.manifest).unwrap();
    assert_eq!(m.items[0].path, "caf\u{e9}.jpg");
    // As a manifest written on macOS spells it: decomposed.
    m.items[0].path = "cafe\u{301}.jpg".into();
    manifest::save_atomic(&m, &s.manifest).unwrap();
    let (outcome, doc) = verify_json(&s.manifest);
    assert_eq!(outcome, Outcome::Clean);
    assert_eq!(doc["summary"]["unchanged"], 1, "{doc:#}");
    assert_eq!(doc["findings"], json!([]));
    let (_, text) = update(&s.manifest, false);
    assert!(text.ends_with("up to date; nothing written\n"), "{text}");
}

#[test]
fn names_differing_only_by_case_or_normalization_are_flagged() {
    let s = story(&[
        ("Photo.jpg", tagged_jpeg(8, "Upper.")),
        ("photo.jpg", tagged_jpeg(9, "Lower.")),
    ]);
    let (outcome, doc) = verify_json(&s.manifest);
    assert_eq!(outcome, Outcome::Clean, "a warning does not fail the run");
    assert_eq!(
        categories(&doc),
        map(&[("Photo.jpg", "unchanged"), ("photo.jpg", "unchanged")])
    );
    let findings = doc["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 1, "{findings:#?}");
    assert_eq!(findings[0]["code"], "M005");
    assert_eq!(findings[0]["severity"], "warning");
    assert_eq!(findings[0]["path"], "photo.jpg");

    // Two files whose names are equal after NFC: the second cannot be
    // addressed by any manifest path, so update leaves it out and says so.
    fs::write(s.media.join("caf\u{e9}.jpg"), tagged_jpeg(10, "One.")).unwrap();
    fs::write(s.media.join("cafe\u{301}.jpg"), tagged_jpeg(11, "Two.")).unwrap();
    let (_, doc) = verify_json(&s.manifest);
    let cats = categories(&doc);
    assert_eq!(cats["cafe\u{301}.jpg"], "new");
    assert_eq!(cats["caf\u{e9}.jpg"], "name-collision");
    let (outcome, text) = update(&s.manifest, false);
    assert_eq!(outcome, Outcome::Findings);
    assert!(
        text.contains("skipped   caf\u{e9}.jpg: name equals"),
        "{text}"
    );
    let m = manifest::load(&s.manifest).unwrap();
    assert_eq!(m.items.len(), 3);
}

/// A JPEG of noise pixels, far over the size from which `verify` streams a
/// recorded file through SHA-256 without keeping it (`scan::HASH_PIECE`).
fn large_jpeg(seed: u32, caption: &str) -> Vec<u8> {
    let mut state = seed.wrapping_mul(2_654_435_761).max(1);
    let img = RgbImage::from_fn(480, 480, |_, _| {
        // xorshift32: noise does not compress, so the file stays large.
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        let [a, b, c, _] = state.to_le_bytes();
        Rgb([a, b, c])
    });
    let mut out = Cursor::new(Vec::new());
    img.write_to(&mut out, ImageFormat::Jpeg)
        .expect("test setup");
    let tagged = embed::jpeg_with(&out.into_inner(), &meta(caption, "Jane Doe/Northern Wire"))
        .expect("test setup");
    assert!(
        tagged.len() > 200_000,
        "large enough: {} bytes",
        tagged.len()
    );
    tagged
}

#[test]
fn large_files_are_told_apart_the_same_when_only_their_hash_is_streamed() {
    let s = story(&[
        ("same.jpg", large_jpeg(1, "Boats leave the harbor at dawn.")),
        ("recaptioned.jpg", large_jpeg(2, "A fisherman mends nets.")),
        ("repainted.jpg", large_jpeg(3, "Gulls over the pier.")),
        ("copied.jpg", large_jpeg(4, "The harbor master's office.")),
    ]);
    let (outcome, _) = verify(&s.manifest, Format::Json);
    assert_eq!(outcome, Outcome::Clean);

    let media = &s.media;
    fs::write(
        media.join("recaptioned.jpg"),
        large_jpeg(2, "A fisherman mends nets in Ullapool, Scotland."),
    )
    .unwrap();
    fs::write(
        media.join("repainted.jpg"),
        large_jpeg(33, "Gulls over the pier."),
    )
    .unwrap();
    fs::copy(media.join("copied.jpg"), media.join("copied-again.jpg")).unwrap();

    let (outcome, doc) = verify_json(&s.manifest);
    assert_eq!(outcome, Outcome::Findings, "H003 is an error");
    assert_eq!(
        categories(&doc),
        map(&[
            ("copied-again.jpg", "duplicate"),
            ("copied.jpg", "unchanged"),
            ("recaptioned.jpg", "metadata-only"),
            ("repainted.jpg", "image-changed"),
            ("same.jpg", "unchanged"),
        ])
    );

    // `update` records the new hashes: the streamed pass must not leave the
    // old image hash behind for the files that changed.
    let (outcome, _) = update(&s.manifest, false);
    assert_eq!(outcome, Outcome::Clean);
    let (outcome, doc) = verify_json(&s.manifest);
    assert_eq!(outcome, Outcome::Clean, "{doc:#}");
    let m = manifest::load(&s.manifest).unwrap();
    let fresh = cutline::scan::scan_all(
        &cutline::walk::walk(media).unwrap().entries,
        cutline::scan::ScanOptions::default(),
    );
    for item in &m.items {
        let rec = fresh.iter().find(|r| r.path == item.path).unwrap();
        assert_eq!(item.sha256, rec.sha256, "{}", item.path);
        assert_eq!(item.image_sha256, rec.image_sha256, "{}", item.path);
    }
}

#[test]
fn manifests_verified_together_get_what_each_gets_alone() {
    // Two manifests share one media root and a third has its own: every
    // root is read once, all before any classification, and each manifest
    // must still get exactly the verdicts of a run of its own.
    let a = story(&[("a.jpg", jpeg(1)), ("b.jpg", jpeg(2))]);
    let b = story(&[("c.jpg", jpeg(3))]);
    let mut second: Value =
        serde_json::from_str(&fs::read_to_string(&a.manifest).expect("test setup"))
            .expect("test setup");
    second["items"][0]["sha256"] = json!("0".repeat(64));
    let a2 = a.manifest.with_file_name("second.json");
    fs::write(&a2, second.to_string()).expect("test setup");
    fs::write(b.media.join("c.jpg"), jpeg(4)).expect("test setup");

    let all = [a.manifest.clone(), a2.clone(), b.manifest.clone()];
    let (_, together) = run(Command::Verify(commands::verify::Options {
        manifests: all.to_vec(),
        root: None,
        format: Format::Json,
    }));
    let together: Value = serde_json::from_str(&together).expect("verify prints JSON");
    let of = |doc: &Value, m: &Path| -> Vec<Value> {
        doc["files"]
            .as_array()
            .expect("files")
            .iter()
            .filter(|f| f["manifest"] == m.display().to_string())
            .cloned()
            .collect()
    };
    for m in &all {
        let (_, alone) = verify_json(m);
        assert_eq!(of(&together, m), of(&alone, m), "{}", m.display());
    }
    // The runs differ where the manifests do, so the comparison means something.
    let cats = |m: &Path| {
        of(&together, m)
            .iter()
            .map(|f| f["category"].as_str().unwrap_or("").to_owned())
            .collect::<Vec<_>>()
    };
    assert_ne!(cats(&a.manifest), cats(&a2));
    assert_ne!(cats(&b.manifest), ["unchanged"]);
}

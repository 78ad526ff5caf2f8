//! `cutline report --html`: a card per item, badges that add up to `check --format json`, hostile captions shown as text, placeholders instead of failures.

#[allow(dead_code)] // each test binary uses part of the shared support
mod support;

use std::collections::BTreeMap;
use std::io::Cursor;
use std::path::Path;
use std::process::Command;

use exif::experimental::Writer;
use exif::{Field, In, Tag, Value};
use image::{DynamicImage, ImageFormat, Rgb, RgbImage};
use regex::Regex;
use support::{jpeg_insert_segment, write_files};

const HOSTILE: &str = "Mayor <script>alert(1)</script> speaks \"><img src=x onerror=alert(2)> at \u{202E}gnp.exe\u{202C} hall.";

fn cutline(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_cutline"))
        .args(args)
        .env_remove("SOURCE_DATE_EPOCH")
        .output()
        .expect("run cutline")
}

fn encoded(img: RgbImage, format: ImageFormat) -> Vec<u8> {
    let mut out = Cursor::new(Vec::new());
    DynamicImage::ImageRgb8(img)
        .write_to(&mut out, format)
        .expect("encode");
    out.into_inner()
}

fn solid(w: u32, h: u32, rgb: [u8; 3], format: ImageFormat) -> Vec<u8> {
    encoded(RgbImage::from_pixel(w, h, Rgb(rgb)), format)
}

/// A 640×480 JPEG carrying a 320×240 EXIF thumbnail (IFD1, EXIF 2.32 §4.5.8).
fn jpeg_with_exif_thumbnail() -> Vec<u8> {
    let thumb = solid(320, 240, [0, 0, 255], ImageFormat::Jpeg);
    let desc = Field {
        tag: Tag::ImageDescription,
        ifd_num: In::PRIMARY,
        value: Value::Ascii(vec![b"harbor".to_vec()]),
    };
    let mut w = Writer::new();
    w.push_field(&desc);
    w.set_jpeg(&thumb, In::THUMBNAIL);
    let mut tiff = Cursor::new(Vec::new());
    w.write(&mut tiff, false).expect("write exif");
    let mut app1 = b"Exif\0\0".to_vec();
    app1.extend(tiff.into_inner());
    jpeg_insert_segment(
        &solid(640, 480, [200, 30, 30], ImageFormat::Jpeg),
        0xE1,
        &app1,
    )
}

/// The fixture: two good images, one with a hostile caption, a corrupt
/// JPEG, a listed file that is missing and an unlisted WebP.
fn fixture(dir: &Path) -> std::path::PathBuf {
    let gradient = RgbImage::from_fn(800, 400, |x, y| Rgb([(x % 256) as u8, (y % 256) as u8, 90]));
    let mut corrupt = vec![0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10];
    corrupt.extend(b"JFIF\0garbage that is no JPEG at all");
    write_files(
        &dir.join("media"),
        &[
            ("harbor/dawn.png", &encoded(gradient, ImageFormat::Png)),
            ("harbor/thumb.jpg", &jpeg_with_exif_thumbnail()),
            (
                "city/hostile.png",
                &solid(64, 48, [10, 120, 10], ImageFormat::Png),
            ),
            ("city/corrupt.jpg", &corrupt),
            (
                "city/unlisted.webp",
                &solid(32, 32, [90, 90, 90], ImageFormat::WebP),
            ),
            ("city/notes.jpg", b"not a photo, a text file named .jpg"),
        ],
    );
    let manifest = serde_json::json!({
        "cutline": 1,
        "root": "media",
        "items": [
            {"path": "harbor/dawn.png", "caption": "Boats leave the harbor at dawn.",
             "credit": "Jane Doe/Northern Wire", "alt": "Three boats on a calm sea"},
            {"path": "harbor/thumb.jpg", "caption": "A red wall.", "credit": "Li Wei/Harbor Press"},
            {"path": "city/hostile.png", "caption": HOSTILE, "credit": "Ana Lima/<b>Delta</b> Images"},
            {"path": "city/corrupt.jpg", "caption": "A corrupt file.", "credit": "Kwame Mensah/City Desk Photo"},
            {"path": "city/notes.jpg", "caption": "Not a photo.", "credit": "Li Wei/Harbor Press"},
            {"path": "city/gone.jpg", "caption": "A lost file.", "credit": "Sofia Rossi/Delta Images"}
        ]
    });
    let path = dir.join("story.json");
    std::fs::write(&path, serde_json::to_vec_pretty(&manifest).expect("json")).expect("write");
    path
}

/// (path, code, severity) of every badge on the page, counted.
fn badges(html: &str) -> BTreeMap<(String, String, String), usize> {
    let re = Regex::new(r#"data-code="([A-Z0-9]+)" data-severity="([a-z]+)" data-path="([^"]*)""#)
        .expect("regex");
    let mut out = BTreeMap::new();
    for c in re.captures_iter(html) {
        let path = c[3]
            .replace("&quot;", "\"")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&amp;", "&");
        *out.entry((path, c[1].to_owned(), c[2].to_owned()))
            .or_default() += 1;
    }
    out
}

/// The same triples from `check --format json`.
fn json_findings(args: &[&str]) -> BTreeMap<(String, String, String), usize> {
    let mut full = vec!["check", "--format", "json"];
    full.extend_from_slice(args);
    let out = cutline(&full);
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json report");
    let mut map = BTreeMap::new();
    for f in doc["findings"].as_array().expect("findings") {
        let key = (
            f["path"].as_str().expect("path").to_owned(),
            f["code"].as_str().expect("code").to_owned(),
            f["severity"].as_str().expect("severity").to_owned(),
        );
        *map.entry(key).or_default() += 1;
    }
    map
}

fn card_paths(html: &str) -> Vec<String> {
    let re =
        Regex::new(r#"<article class="card[^"]*" id="c-\d+-\d+" tabindex="0" data-path="([^"]*)""#)
            .expect("regex");
    re.captures_iter(html).map(|c| c[1].to_owned()).collect()
}

fn render(dir: &Path, manifest: &Path) -> String {
    let out_path = dir.join("sheet.html");
    let m = manifest.to_str().expect("utf-8 path");
    let o = out_path.to_str().expect("utf-8 path");
    let out = cutline(&["report", "--html", o, "-m", m]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.starts_with("wrote "), "{said}");
    std::fs::read_to_string(out_path).expect("sheet written")
}

#[test]
fn one_card_per_item_unlisted_and_missing_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let manifest = fixture(dir.path());
    let html = render(dir.path(), &manifest);
    assert_eq!(
        card_paths(&html),
        [
            "harbor/dawn.png",
            "harbor/thumb.jpg",
            "city/hostile.png",
            "city/corrupt.jpg",
            "city/notes.jpg",
            "city/gone.jpg",
            "city/unlisted.webp"
        ]
    );
    assert!(html.contains(r#"data-kind="missing""#));
    assert!(html.contains(r#"data-kind="unlisted""#));
    assert!(
        html.contains("File missing"),
        "placeholder, not a broken image"
    );
    assert!(html.contains("Not an image"));
    // The truncated JPEG: a placeholder and an X001-style note, not a failed run.
    assert!(html.contains("Preview failed"));
    assert!(html.contains("X001 preview: the image did not decode"));
    // Five drawable images: dawn, thumb, hostile, unlisted (corrupt is not).
    assert_eq!(html.matches("<img ").count(), 4);
}

#[test]
fn badges_match_the_json_report() {
    let dir = tempfile::tempdir().expect("temp dir");
    let manifest = fixture(dir.path());
    let html = render(dir.path(), &manifest);
    let m = manifest.to_str().expect("utf-8");
    let expected = json_findings(&["-m", m]);
    assert!(!expected.is_empty());
    assert_eq!(badges(&html), expected);
    assert!(
        expected
            .keys()
            .any(|(p, c, _)| p == "city/notes.jpg" && c == "X001"),
        "{expected:?}"
    );
}

#[test]
fn needs_work_demo_badges_match_the_json_report() {
    let dir = tempfile::tempdir().expect("temp dir");
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR")).join("manifests/demo/needs-work.json");
    let html = render(dir.path(), &manifest);
    let m = manifest.to_str().expect("utf-8");
    assert_eq!(badges(&html), json_findings(&["-m", m]));
    // 14 items (one listed twice, one unsafe path) and one unlisted file.
    assert_eq!(card_paths(&html).len(), 15);
    assert!(
        html.contains(r#"data-kind="refused""#),
        "../../etc/passwd never opened"
    );
}

#[test]
fn hostile_captions_render_as_text() {
    let dir = tempfile::tempdir().expect("temp dir");
    let manifest = fixture(dir.path());
    let html = render(dir.path(), &manifest);
    // Our one script, no other; no injected element or attribute.
    assert_eq!(html.matches("<script").count(), 1);
    assert!(!html.contains("alert(1)</script>"));
    assert!(!html.contains("<img src=x"));
    assert!(!html.contains("<b>Delta"));
    assert!(html.contains("Mayor &lt;script&gt;alert(1)&lt;/script&gt; speaks &quot;&gt;&lt;img src=x onerror=alert(2)&gt; at "));
    assert!(html.contains("Ana Lima/&lt;b&gt;Delta&lt;/b&gt; Images"));
    // Bidi controls are shown as code points, never emitted raw (CVE-2021-42574).
    assert!(!html.contains('\u{202E}') && !html.contains('\u{202C}'));
    assert!(html.contains(">U+202E</span>gnp.exe<span class=\"ctl\""));
    // Inside attributes too: the search index and the alt text.
    assert!(html.contains("data-text=\"mayor &lt;script&gt;"));
    assert!(html.contains("alt=\"Mayor &lt;script&gt;"));
}

#[test]
fn self_contained_with_alt_text_and_bounded_thumbnails() {
    let dir = tempfile::tempdir().expect("temp dir");
    let manifest = fixture(dir.path());
    let html = render(dir.path(), &manifest);
    for remote in ["http://", "https://", "//cdn", "<link", "@import", "url("] {
        assert!(!html.contains(remote), "{remote}");
    }
    assert!(html.contains("Content-Security-Policy"));
    assert!(
        html.contains(r#"alt="Three boats on a calm sea""#),
        "manifest alt"
    );
    assert!(html.contains(r#"alt="A red wall.""#), "caption as alt");
    let re = Regex::new(
        r#"<img src="data:image/jpeg;base64,[A-Za-z0-9+/=]+" width="(\d+)" height="(\d+)""#,
    )
    .expect("regex");
    let sizes: Vec<(u32, u32)> = re
        .captures_iter(&html)
        .map(|c| (c[1].parse().expect("w"), c[2].parse().expect("h")))
        .collect();
    assert_eq!(sizes, [(320, 160), (320, 240), (64, 48), (32, 32)]);
    assert!(html.contains(r#"data-thumb="exif""#), "EXIF thumbnail used");
    assert_eq!(html.matches(r#"data-thumb="decoded""#).count(), 3);
}

#[test]
fn unreadable_manifest_writes_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out_path = dir.path().join("sheet.html");
    let out = cutline(&[
        "report",
        "--html",
        out_path.to_str().expect("utf-8"),
        "-m",
        dir.path().join("nope.json").to_str().expect("utf-8"),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(!out_path.exists());
}

#[test]
fn report_with_a_policy_shows_what_check_with_that_policy_reports() {
    let dir = tempfile::tempdir().expect("temp dir");
    let manifest = fixture(dir.path());
    let policy = dir.path().join("house.json");
    std::fs::write(
        &policy,
        r#"{"unlisted": "off", "severity": {"C004": "error"}}"#,
    )
    .expect("policy");
    let (m, p) = (
        manifest.to_str().expect("utf-8"),
        policy.to_str().expect("utf-8"),
    );
    let out_path = dir.path().join("sheet.html");
    let o = out_path.to_str().expect("utf-8");
    let out = cutline(&[
        "report", "--html", o, "-m", m, "--policy", p, "--format", "json",
    ]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let html = std::fs::read_to_string(&out_path).expect("sheet written");
    let with_policy = json_findings(&["-m", m, "--policy", p]);
    assert_eq!(badges(&html), with_policy);
    // The policy did change something, so the test tells the two apart.
    assert_ne!(with_policy, json_findings(&["-m", m]));
    assert!(!with_policy.keys().any(|(_, c, _)| c == "M002"));
    // Its machine report is check's, finding for finding.
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(doc["command"], "report");
    let check = cutline(&["check", "--format", "json", "-m", m, "--policy", p]);
    let check: serde_json::Value = serde_json::from_slice(&check.stdout).expect("json");
    assert_eq!(doc["findings"], check["findings"]);
}

//! Shared test support: the metadata byte-builders plus plain images, temp-dir scans and checks.

pub mod embed;

use std::path::Path;

use cutline::check::{Context, check};
use cutline::finding::Finding;
use cutline::manifest;
use cutline::scan::{ScanOptions, Scanned, scan_all};
use cutline::walk::walk;
use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::PngEncoder;
use image::codecs::webp::WebPEncoder;
use image::{ExtendedColorType, ImageEncoder};

/// Width of the plain test images.
pub const WIDTH: u32 = 16;
/// Height of the plain test images.
pub const HEIGHT: u32 = 12;

/// A small RGB gradient, `WIDTH` × `HEIGHT`, 8 bits per sample.
pub fn rgb() -> Vec<u8> {
    let mut out = Vec::with_capacity((WIDTH * HEIGHT * 3) as usize);
    for y in 0..HEIGHT {
        for x in 0..WIDTH {
            out.extend([(x * 15) as u8, (y * 20) as u8, 90]);
        }
    }
    out
}

/// A baseline JPEG with no metadata.
pub fn plain_jpeg() -> Vec<u8> {
    let mut out = Vec::new();
    JpegEncoder::new_with_quality(&mut out, 85)
        .write_image(&rgb(), WIDTH, HEIGHT, ExtendedColorType::Rgb8)
        .expect("encode jpeg");
    out
}

/// A PNG with no metadata.
pub fn plain_png() -> Vec<u8> {
    let mut out = Vec::new();
    PngEncoder::new(&mut out)
        .write_image(&rgb(), WIDTH, HEIGHT, ExtendedColorType::Rgb8)
        .expect("encode png");
    out
}

/// A lossless WebP with no metadata.
pub fn plain_webp() -> Vec<u8> {
    let mut out = Vec::new();
    WebPEncoder::new_lossless(&mut out)
        .write_image(&rgb(), WIDTH, HEIGHT, ExtendedColorType::Rgb8)
        .expect("encode webp");
    out
}

/// `jpeg` with one more marker segment (`FF marker len payload`) right after SOI,
/// for segments the builders do not write (UTF-16 XMP, damaged APP13).
pub fn jpeg_insert_segment(jpeg: &[u8], marker: u8, payload: &[u8]) -> Vec<u8> {
    assert_eq!(&jpeg[..2], &[0xff, 0xd8], "not a JPEG");
    let len = u16::try_from(payload.len() + 2).expect("segment too long");
    let mut out = jpeg[..2].to_vec();
    out.extend([0xff, marker]);
    out.extend(len.to_be_bytes());
    out.extend_from_slice(payload);
    out.extend_from_slice(&jpeg[2..]);
    out
}

/// Writes `files` (relative path, bytes) under `root`, creating folders.
pub fn write_files(root: &Path, files: &[(&str, &[u8])]) {
    for (rel, bytes) in files {
        let path = root.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("create folder");
        }
        std::fs::write(path, bytes).expect("write fixture");
    }
}

/// Walks and scans `root` the way `cutline scan` does.
pub fn scan_root(root: &Path) -> Vec<Scanned> {
    let w = walk(root).expect("walk");
    scan_all(&w.entries, ScanOptions::default())
}

/// Writes one file named `name` into a fresh temp dir and scans it.
pub fn scan_bytes(name: &str, bytes: &[u8]) -> Scanned {
    let dir = tempfile::tempdir().expect("temp dir");
    write_files(dir.path(), &[(name, bytes)]);
    let mut all = scan_root(dir.path());
    assert_eq!(all.len(), 1, "one file expected: {all:?}");
    all.remove(0)
}

/// Runs `check` on `root` against the manifest JSON `manifest_json`.
pub fn check_root(root: &Path, manifest_json: &str) -> Vec<Finding> {
    let m = manifest::parse(manifest_json, Path::new("manifest.json")).expect("manifest parses");
    let scanned = scan_root(root);
    check(&Context {
        manifest: &m,
        manifest_name: "manifest.json".into(),
        root: root.to_path_buf(),
        scanned: &scanned,
    })
}

/// The codes of `findings`, in their order.
pub fn codes(findings: &[Finding]) -> Vec<&'static str> {
    findings.iter().map(|f| f.code.as_str()).collect()
}

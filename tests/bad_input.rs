//! Hostile input, built by the tests in temp dirs: damaged files, huge headers, bad names, links, permissions, changing files, broken manifests.
//!
//! Each test states the guarantee it checks (docs/security.md lists them).
//! The binary is run with `HOME` and `XDG_CACHE_HOME` inside the temp dir, so
//! "nothing written" covers the hash cache too.

// Helpers here are test code too (clippy's allow-unwrap-in-tests covers only #[test] fns).
#![allow(clippy::unwrap_used)]

#[allow(dead_code)]
mod support;

#[path = "bad_input/formats.rs"]
mod formats;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use cutline::format::Format;
use cutline::metadata::{iptc, xmp};
use serde_json::Value;

use support::embed::{
    ExifMeta, IptcMeta, Meta, XmpValue, jpeg_with, png_with, tiff_with, webp_with, xmp_packet,
};
use support::{
    HEIGHT, WIDTH, check_root, jpeg_insert_segment, plain_jpeg, plain_png, plain_webp, rgb,
    scan_root, write_files,
};

/// A run of the binary in `cwd`, with its caches pointed into `home`.
fn cutline(home: &Path, cwd: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cutline"))
        .args(args)
        .current_dir(cwd)
        .env("HOME", home)
        .env("XDG_CACHE_HOME", home.join("cache"))
        .env_remove("NO_COLOR")
        .stdin(Stdio::null())
        .output()
        .expect("cutline runs")
}

fn text(out: &[u8]) -> String {
    String::from_utf8_lossy(out).into_owned()
}

/// Asserts the run did not panic (exit 101 and Rust's panic message).
fn assert_no_panic(out: &Output, what: &str) {
    let err = text(&out.stderr);
    assert!(
        !err.contains("panicked") && out.status.code() != Some(101),
        "{what}: cutline panicked\n{err}"
    );
}

fn full_meta() -> Meta {
    Meta {
        exif: Some(ExifMeta {
            image_description: Some("Boats at dawn.".into()),
            artist: Some("Jane Doe".into()),
            copyright: Some("Copyright 2024 Northern Wire".into()),
            date_time_original: Some("2024:05:01 06:30:00".into()),
            make: None,
            model: None,
        }),
        iptc: Some(
            IptcMeta::new()
                .utf8()
                .caption("Boats at dawn.")
                .credit("Jane Doe/Northern Wire"),
        ),
        xmp: Some(xmp_packet(&[
            (
                "dc",
                "description",
                XmpValue::LangAlt("Boats at dawn.".into()),
            ),
            (
                "photoshop",
                "Credit",
                XmpValue::Simple("Jane Doe/Northern Wire".into()),
            ),
        ])),
    }
}

/// A valid file of every supported format, with the dimensions it declares.
fn every_format() -> Vec<(&'static str, Vec<u8>, (u32, u32))> {
    let meta = full_meta();
    let mut out = vec![
        (
            "photo.jpg",
            jpeg_with(&plain_jpeg(), &meta).expect("jpeg"),
            (WIDTH, HEIGHT),
        ),
        (
            "photo.png",
            png_with(&plain_png(), &meta, &[]).expect("png"),
            (WIDTH, HEIGHT),
        ),
        (
            "photo.tif",
            tiff_with(&rgb(), WIDTH, HEIGHT, &meta).expect("tiff"),
            (WIDTH, HEIGHT),
        ),
        (
            "photo.webp",
            webp_with(&plain_webp(), &meta).expect("webp"),
            (WIDTH, HEIGHT),
        ),
    ];
    out.extend(formats::all());
    out
}

/// Where to cut a file of `len` bytes: every byte of the first 64 (the
/// headers), then 48 points spread over the rest.
fn cut_points(len: usize) -> Vec<usize> {
    let mut cuts: Vec<usize> = (0..len.min(64)).collect();
    if len > 64 {
        cuts.extend((0..48).map(|i| 64 + (len - 64) * i / 48));
    }
    cuts.dedup();
    cuts
}

#[test]
fn every_format_builds_and_scans_clean() {
    // The baseline the damage tests start from: each file is recognized, has
    // its dimensions, and no error.
    let dir = tempfile::tempdir().unwrap();
    let files = every_format();
    for (name, bytes, _) in &files {
        write_files(dir.path(), &[(name, bytes)]);
    }
    let scanned = scan_root(dir.path());
    assert_eq!(scanned.len(), files.len());
    for (name, _, dims) in &files {
        let s = scanned.iter().find(|s| s.path == *name).unwrap();
        assert!(s.error.is_none(), "{name}: {:?}", s.error);
        assert_eq!((s.width, s.height), (Some(dims.0), Some(dims.1)), "{name}");
    }
}

#[test]
fn truncated_files_of_every_format_give_an_error_or_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let mut expected = Vec::new();
    for (name, bytes, _) in every_format() {
        for cut in cut_points(bytes.len()) {
            let file = format!("{cut:06}-{name}");
            write_files(dir.path(), &[(&file, &bytes[..cut])]);
            expected.push((file, name, cut, bytes.len()));
        }
    }
    let scanned = scan_root(dir.path());
    assert_eq!(scanned.len(), expected.len());
    let mut silent = Vec::new();
    for s in &scanned {
        if s.error.is_none() && s.warnings.is_empty() {
            silent.push(s.path.clone());
        }
    }
    // Every cut must be noticed, with one known exception: a TIFF cut inside
    // its strip data, after a whole IFD. cutline never decodes pixels in
    // scan/check and does not yet compare strip offsets with the file length
    // (docs/security.md, "Limits").
    let strips_from = |name: &str, len: usize| {
        name.ends_with(".tif")
            .then_some(len - WIDTH as usize * HEIGHT as usize * 3)
    };
    for (file, name, cut, len) in &expected {
        if silent.contains(file) {
            assert!(
                strips_from(name, *len).is_some_and(|from| *cut >= from),
                "{name} cut at byte {cut} of {len} scanned as a whole file"
            );
        }
    }
    eprintln!(
        "{} truncations scanned; {} TIFFs cut in the strip data passed silently",
        expected.len(),
        silent.len()
    );

    // The binary, on the same folder: no panic, and every file in the report.
    let home = tempfile::tempdir().unwrap();
    let out = cutline(home.path(), dir.path(), &["scan", "--json", "."]);
    assert_no_panic(&out, "scan of truncated files");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout).lines().count(), expected.len());
}

#[test]
fn bit_flipped_headers_never_panic() {
    let dir = tempfile::tempdir().unwrap();
    let mut n = 0;
    for (name, bytes, _) in every_format() {
        for bit in 0..(bytes.len().min(48) * 8) {
            let mut b = bytes.clone();
            b[bit / 8] ^= 1 << (bit % 8);
            write_files(dir.path(), &[(&format!("{bit:04}-{name}"), &b)]);
            n += 1;
        }
    }
    let scanned = scan_root(dir.path());
    assert_eq!(scanned.len(), n);
    // A flipped signature bit makes the file unknown (X001); the others are
    // read as far as they go. Nothing panics (the scan above returned).
    let unknown = scanned.iter().filter(|s| s.format.is_none()).count();
    assert!(unknown > 0 && unknown < n, "{unknown} of {n} unknown");
}

#[test]
fn zero_length_and_one_byte_files_are_x001() {
    let root = tempfile::tempdir().unwrap();
    write_files(
        root.path(),
        &[
            ("empty.jpg", b""),
            ("one.jpg", b"\xff"),
            ("one.png", b"\x89"),
            ("zero.tif", b"\0"),
        ],
    );
    let manifest = r#"{"cutline": 1, "items": [
        {"path": "empty.jpg", "caption": "A caption.", "credit": "Jane Doe/Reuters"},
        {"path": "one.jpg", "caption": "B caption.", "credit": "Jane Doe/Reuters"},
        {"path": "one.png", "caption": "C caption.", "credit": "Jane Doe/Reuters"},
        {"path": "zero.tif", "caption": "D caption.", "credit": "Jane Doe/Reuters"}]}"#;
    let findings = check_root(root.path(), manifest);
    for name in ["empty.jpg", "one.jpg", "one.png", "zero.tif"] {
        let mine: Vec<&str> = findings
            .iter()
            .filter(|f| f.path == name)
            .map(|f| f.code.as_str())
            .collect();
        assert_eq!(mine, ["X001"], "{name}: {findings:#?}");
    }
    // Through the binary: a finding, exit 1, not a crash.
    let home = tempfile::tempdir().unwrap();
    fs::write(home.path().join("m.json"), manifest).unwrap();
    let m = home.path().join("m.json");
    let out = cutline(
        home.path(),
        home.path(),
        &[
            "check",
            "-m",
            m.to_str().unwrap(),
            "--root",
            root.path().to_str().unwrap(),
        ],
    );
    assert_no_panic(&out, "check of empty files");
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stdout));
    assert_eq!(text(&out.stdout).matches("X001").count(), 4);
}

/// `jpeg` with its SOF0 height and width replaced (ITU T.81 B.2.2).
fn jpeg_declaring(jpeg: &[u8], width: u16, height: u16) -> Vec<u8> {
    let mut out = jpeg.to_vec();
    let sof = out
        .windows(2)
        .position(|w| w == [0xff, 0xc0])
        .expect("baseline JPEG has SOF0");
    // FF C0, length (2), precision (1), height (2), width (2).
    out[sof + 5..sof + 7].copy_from_slice(&height.to_be_bytes());
    out[sof + 7..sof + 9].copy_from_slice(&width.to_be_bytes());
    out
}

/// `png` with its IHDR width and height replaced and the CRC redone (ISO/IEC 15948 11.2.2).
fn png_declaring(png: &[u8], width: u32, height: u32) -> Vec<u8> {
    let mut out = png.to_vec();
    // Signature (8), length (4), "IHDR" (4), width (4), height (4).
    out[16..20].copy_from_slice(&width.to_be_bytes());
    out[20..24].copy_from_slice(&height.to_be_bytes());
    let crc = support::embed::crc32(&[&out[12..29]]);
    out[29..33].copy_from_slice(&crc.to_be_bytes());
    out
}

/// Runs `cutline` under a virtual-memory ceiling (`ulimit -v`, KiB) and
/// returns its output and how long it took.
fn cutline_limited(home: &Path, cwd: &Path, kib: u64, args: &str) -> (Output, Duration) {
    let started = Instant::now();
    let out = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "ulimit -v {kib} && exec \"$0\" {args}",
            // $0 is the binary, so its path needs no quoting inside the script.
        ))
        .arg(env!("CARGO_BIN_EXE_cutline"))
        .current_dir(cwd)
        .env("HOME", home)
        .env("XDG_CACHE_HOME", home.join("cache"))
        .env("RAYON_NUM_THREADS", "2")
        .stdin(Stdio::null())
        .output()
        .expect("sh runs");
    (out, started.elapsed())
}

#[test]
fn huge_declared_dimensions_are_read_from_the_header_without_allocating_pixels() {
    // A 65500×65500 JPEG and a 100000×100000 PNG would need 12.8 GB and 30 GB
    // of pixels. scan and check never decode, so they must finish quickly in
    // 1 GiB of address space and report the header's dimensions. (Decoding,
    // with `image`'s limits, happens only in the contact sheet.)
    let root = tempfile::tempdir().unwrap();
    write_files(
        root.path(),
        &[
            ("huge.jpg", &jpeg_declaring(&plain_jpeg(), 65500, 65500)),
            ("huge.png", &png_declaring(&plain_png(), 100_000, 100_000)),
        ],
    );
    let home = tempfile::tempdir().unwrap();
    let (out, took) = cutline_limited(home.path(), root.path(), 1 << 20, "scan --json .");
    assert_no_panic(&out, "scan of huge images");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(took < Duration::from_secs(10), "scan took {took:?}");
    let records: Vec<Value> = text(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let dims = |p: &str| {
        let r = records.iter().find(|r| r["path"] == p).unwrap();
        (r["width"].as_u64(), r["height"].as_u64())
    };
    assert_eq!(dims("huge.jpg"), (Some(65500), Some(65500)));
    assert_eq!(dims("huge.png"), (Some(100_000), Some(100_000)));

    // check (which also hashes the image data) under the same ceiling.
    let manifest = root.path().join("m.json");
    fs::write(
        &manifest,
        r#"{"cutline": 1, "root": ".", "items": [
            {"path": "huge.jpg", "caption": "Huge.", "credit": "Jane Doe/Reuters"},
            {"path": "huge.png", "caption": "Huger.", "credit": "Jane Doe/Reuters"}]}"#,
    )
    .unwrap();
    let (out, took) = cutline_limited(home.path(), root.path(), 1 << 20, "check -m m.json");
    assert_no_panic(&out, "check of huge images");
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{}",
        text(&out.stderr)
    );
    assert!(took < Duration::from_secs(10), "check took {took:?}");
}

#[test]
fn deeply_nested_xmp_does_not_overflow_the_stack() {
    let depth = 100_000;
    let mut packet = String::from(
        "<x:xmpmeta xmlns:x='adobe:ns:meta/'><rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'>\
         <rdf:Description rdf:about='' xmlns:dc='http://purl.org/dc/elements/1.1/'><dc:description>",
    );
    packet.push_str(&"<rdf:Bag><rdf:li>".repeat(depth));
    packet.push_str(&"</rdf:li></rdf:Bag>".repeat(depth));
    packet.push_str("</dc:description></rdf:Description></rdf:RDF></x:xmpmeta>");
    // Refused or read without the deep part; either way no stack overflow
    // (the test process would abort) and no time spent per level.
    let started = Instant::now();
    let r = xmp::parse_xmp(packet.as_bytes());
    assert!(started.elapsed() < Duration::from_secs(20));
    if let Ok(x) = &r {
        assert!(!x.fields.values().any(|v| v.joined().len() > 1000), "{r:?}");
    }

    // Embedded in a JPEG: the file is still scanned, the XMP damage is a warning.
    let jpeg = jpeg_with(
        &plain_jpeg(),
        &Meta {
            xmp: Some(packet),
            ..full_meta()
        },
    );
    // The builder may refuse a packet over one APP1 segment; the parser test above stands.
    if let Ok(jpeg) = jpeg {
        let s = support::scan_bytes("deep.jpg", &jpeg);
        assert!(s.error.is_none(), "{:?}", s.error);
    }
}

#[test]
fn xmp_over_the_size_limit_is_refused_and_the_file_still_scans() {
    // MAX_PACKET_BYTES (16 MiB) plus one: refused before any parsing.
    let big = vec![b' '; xmp::MAX_PACKET_BYTES + 1];
    assert!(matches!(
        xmp::parse_xmp(&big),
        Err(xmp::XmpError::TooLarge { .. })
    ));
    // As a sidecar (the only place a packet can be that large outside
    // ExtendedXMP): the image is read, the sidecar is a warning.
    let root = tempfile::tempdir().unwrap();
    let mut sidecar = xmp_packet(&[(
        "dc",
        "description",
        XmpValue::LangAlt("From the sidecar.".into()),
    )])
    .into_bytes();
    sidecar.resize(xmp::MAX_PACKET_BYTES + 1, b' ');
    write_files(
        root.path(),
        &[("a.jpg", &plain_jpeg()), ("a.jpg.xmp", &sidecar)],
    );
    let scanned = scan_root(root.path());
    assert_eq!(scanned.len(), 1);
    assert!(scanned[0].error.is_none());
    assert!(
        scanned[0].sidecar.is_empty(),
        "an oversized sidecar was read"
    );
    assert!(
        !scanned[0].warnings.is_empty(),
        "oversized sidecar gave no warning"
    );
}

#[test]
fn xmp_with_millions_of_nodes_hits_the_node_limit() {
    let mut packet = String::from(
        "<x:xmpmeta xmlns:x='adobe:ns:meta/'><rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'>\
         <rdf:Description rdf:about='' xmlns:dc='http://purl.org/dc/elements/1.1/'><dc:subject><rdf:Bag>",
    );
    packet.push_str(&"<rdf:li/>".repeat(1_500_000));
    packet.push_str("</rdf:Bag></dc:subject></rdf:Description></rdf:RDF></x:xmpmeta>");
    let started = Instant::now();
    let r = xmp::parse_xmp(packet.as_bytes());
    assert!(
        matches!(r, Err(xmp::XmpError::TooManyNodes { .. })),
        "{r:?}"
    );
    assert!(started.elapsed() < Duration::from_secs(20));
}

#[test]
fn iim_lengths_past_the_end_keep_what_is_there_and_warn() {
    // 2:120 claims 5000 bytes, 5 are there; an extended length claims 2^60.
    let mut short = iptc::encode_iim(&[(2, 110, b"Jane Doe/Reuters")]);
    short.extend(b"\x1c\x02\x78\x13\x88Hello");
    let iim = iptc::parse_iim(&short);
    assert_eq!(
        iim.fields.get("Credit").map(|v| v.joined()),
        Some("Jane Doe/Reuters".into())
    );
    assert!(!iim.warnings.is_empty());

    let mut extended = b"\x1c\x02\x78\x80\x08".to_vec();
    extended.extend(0x1000_0000_0000_0000u64.to_be_bytes());
    extended.extend(b"tail");
    let iim = iptc::parse_iim(&extended);
    assert!(!iim.warnings.is_empty());
    // Octet count past any sane size (0x7FFF octets of length).
    let iim = iptc::parse_iim(b"\x1c\x02\x78\xff\xff\x01\x02");
    assert!(!iim.warnings.is_empty());

    // In a JPEG APP13: the file scans, the damage is an X003 warning.
    let meta = Meta {
        iptc: Some(IptcMeta::empty().raw(2, 110, b"Jane Doe/Reuters")),
        ..Meta::default()
    };
    let jpeg = jpeg_with(&plain_jpeg(), &meta).unwrap();
    // Rewrite the credit's length (after its 1C 02 6E) to claim 0x7000 bytes.
    let at = jpeg
        .windows(3)
        .position(|w| w == b"\x1c\x02\x6e")
        .expect("credit dataset");
    let mut bad = jpeg.clone();
    bad[at + 3..at + 5].copy_from_slice(&0x7000u16.to_be_bytes());
    let s = support::scan_bytes("iim.jpg", &bad);
    assert!(s.error.is_none(), "{:?}", s.error);
    assert!(
        !s.warnings.is_empty(),
        "no warning for a dataset past the end"
    );
}

/// A little-endian TIFF whose IFD0 holds ImageDescription, an Exif IFD
/// pointer back to IFD0, and a next-IFD pointer to itself: two loops.
fn looping_tiff() -> Vec<u8> {
    let mut t = b"II*\0\x08\0\0\0".to_vec();
    let entries: [(u16, u16, u32, u32); 5] = [
        (0x0100, 4, 1, 8),                             // ImageWidth
        (0x0101, 4, 1, 6),                             // ImageLength
        (0x010e, 2, 4, u32::from_le_bytes(*b"Loo\0")), // ImageDescription, inline
        (0x0111, 4, 1, 8),                             // StripOffsets → the header itself
        (0x8769, 4, 1, 8),                             // ExifIFD → IFD0 again
    ];
    t.extend((entries.len() as u16).to_le_bytes());
    for (tag, kind, count, value) in entries {
        t.extend(tag.to_le_bytes());
        t.extend(kind.to_le_bytes());
        t.extend(count.to_le_bytes());
        t.extend(value.to_le_bytes());
    }
    t.extend(8u32.to_le_bytes()); // next IFD: IFD0 again
    t
}

#[test]
fn exif_ifd_loops_end() {
    let tiff = looping_tiff();
    // As a TIFF file and as the EXIF of a JPEG (APP1 "Exif\0\0" + TIFF).
    let mut app1 = b"Exif\0\0".to_vec();
    app1.extend(&tiff);
    let jpeg = jpeg_insert_segment(&plain_jpeg(), 0xe1, &app1);
    let root = tempfile::tempdir().unwrap();
    write_files(root.path(), &[("loop.tif", &tiff), ("loop.jpg", &jpeg)]);
    let started = Instant::now();
    let scanned = scan_root(root.path());
    assert!(started.elapsed() < Duration::from_secs(20));
    assert_eq!(scanned.len(), 2);
    let tif = scanned.iter().find(|s| s.path == "loop.tif").unwrap();
    assert_eq!(tif.format, Some(Format::Tiff));
    let jpg = scanned.iter().find(|s| s.path == "loop.jpg").unwrap();
    assert!(jpg.error.is_none(), "{:?}", jpg.error);
}

#[cfg(unix)]
fn os_name(bytes: &[u8]) -> std::ffi::OsString {
    use std::os::unix::ffi::OsStringExt;
    std::ffi::OsString::from_vec(bytes.to_vec())
}

#[cfg(unix)]
#[test]
fn non_utf8_names_are_scanned_and_printed_lossy() {
    let root = tempfile::tempdir().unwrap();
    fs::write(root.path().join(os_name(b"caf\xe9.jpg")), plain_jpeg()).unwrap();
    let home = tempfile::tempdir().unwrap();
    let out = cutline(home.path(), root.path(), &["scan", "."]);
    assert_no_panic(&out, "scan of a non-UTF-8 name");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("caf\u{fffd}.jpg"),
        "{}",
        text(&out.stdout)
    );
    let out = cutline(home.path(), root.path(), &["scan", "--json", "."]);
    let rec: Value = serde_json::from_str(text(&out.stdout).trim()).unwrap();
    assert_eq!(rec["path"], "caf\u{fffd}.jpg");
    assert_eq!(rec["format"], "jpeg");
}

/// Names that attack a terminal or a shell, and how each must be printed.
const HOSTILE_NAMES: &[(&str, &str)] = &[
    ("two\nlines.jpg", "two\\nlines.jpg"),
    ("-rf.jpg", "-rf.jpg"),
    ("--help.jpg", "--help.jpg"),
    ("\u{202e}gpj.exe", "\\u{202e}gpj.exe"),
    ("tab\there.jpg", "tab\\there.jpg"),
    ("esc\u{1b}[31mred.jpg", "esc\\u{001b}[31mred.jpg"),
];

#[test]
fn hostile_names_are_printed_escaped_by_scan_and_check() {
    let root = tempfile::tempdir().unwrap();
    for (name, _) in HOSTILE_NAMES {
        fs::write(root.path().join(name), plain_jpeg()).unwrap();
    }
    let home = tempfile::tempdir().unwrap();
    let out = cutline(home.path(), root.path(), &["scan", "."]);
    assert_no_panic(&out, "scan of hostile names");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    // One header line plus one line per file: no name broke a line.
    assert_eq!(stdout.lines().count(), 1 + HOSTILE_NAMES.len(), "{stdout}");
    for (name, shown) in HOSTILE_NAMES {
        assert!(
            stdout.contains(shown),
            "{name:?} not shown as {shown:?}:\n{stdout}"
        );
    }
    assert!(!stdout.contains('\u{202e}') && !stdout.contains('\u{1b}'));

    // check, with none of them listed: each is an M002 naming the file, escaped.
    let manifest = home.path().join("m.json");
    fs::write(&manifest, r#"{"cutline": 1, "items": []}"#).unwrap();
    let out = cutline(
        home.path(),
        root.path(),
        &["check", "-m", manifest.to_str().unwrap(), "--root", "."],
    );
    assert_no_panic(&out, "check of hostile names");
    let stdout = text(&out.stdout);
    for (name, shown) in HOSTILE_NAMES {
        assert!(
            stdout.contains(shown),
            "{name:?} not shown as {shown:?}:\n{stdout}"
        );
    }
    assert!(!stdout.contains('\u{202e}') && !stdout.contains('\u{1b}'));
    assert!(!stdout.contains("two\nlines"), "{stdout}");
}

#[cfg(unix)]
#[test]
fn symlink_loops_and_links_out_of_the_root_are_not_followed() {
    use std::os::unix::fs::symlink;
    let top = tempfile::tempdir().unwrap();
    let root = top.path().join("media");
    let outside = top.path().join("outside");
    fs::create_dir_all(root.join("sub")).unwrap();
    fs::create_dir_all(&outside).unwrap();
    let secret = jpeg_with(
        &plain_jpeg(),
        &Meta {
            iptc: Some(IptcMeta::new().caption("SECRET OUTSIDE THE ROOT")),
            ..Meta::default()
        },
    )
    .unwrap();
    fs::write(outside.join("secret.jpg"), &secret).unwrap();
    fs::write(root.join("inside.jpg"), plain_jpeg()).unwrap();
    symlink(&root, root.join("sub/loop")).unwrap(); // folder loop
    symlink("b.jpg", root.join("a.jpg")).unwrap(); // a → b → a
    symlink("a.jpg", root.join("b.jpg")).unwrap();
    symlink(outside.join("secret.jpg"), root.join("out.jpg")).unwrap();
    symlink(&outside, root.join("outdir")).unwrap();
    symlink("inside.jpg", root.join("alias.jpg")).unwrap(); // stays inside: kept

    let home = tempfile::tempdir().unwrap();
    let started = Instant::now();
    let out = cutline(home.path(), &root, &["scan", "--json", "."]);
    assert!(started.elapsed() < Duration::from_secs(10));
    assert_no_panic(&out, "scan with symlinks");
    // The looping links a.jpg ↔ b.jpg can never be read: the inventory has
    // holes, so scan says so with exit 1 (links leaving the root are left
    // out by design and would not change the exit code on their own).
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(
        !stdout.contains("SECRET"),
        "read outside the root:\n{stdout}"
    );
    let paths: Vec<String> = stdout
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["path"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert_eq!(paths, ["alias.jpg", "inside.jpg"]);
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("out.jpg") && stderr.contains("outside the root"),
        "{stderr}"
    );

    // A manifest naming the link out: M004, never opened.
    let manifest = home.path().join("m.json");
    fs::write(
        &manifest,
        r#"{"cutline": 1, "items": [{"path": "out.jpg", "caption": "C.", "credit": "Jane Doe/Reuters"},
                                     {"path": "outdir/secret.jpg", "caption": "D.", "credit": "Jane Doe/Reuters"}]}"#,
    )
    .unwrap();
    // `check` or `verify` of that manifest against the root, as JSON.
    let report = |command: &str| {
        let args = [command, "-m", manifest.to_str().unwrap()];
        let out = cutline(
            home.path(),
            &root,
            &[&args[..], &["--root", ".", "--format", "json"]].concat(),
        );
        assert_no_panic(&out, &format!("{command} with symlinks"));
        assert!(!text(&out.stdout).contains("SECRET"));
        serde_json::from_str::<Value>(&text(&out.stdout)).unwrap()
    };
    let report_of_check = report("check");
    let findings = report_of_check["findings"].as_array().unwrap();
    for p in ["out.jpg", "outdir/secret.jpg"] {
        assert!(
            findings
                .iter()
                .any(|f| f["path"] == p && f["code"] == "M004"),
            "{p}: {findings:#?}"
        );
    }

    // `verify` judges the same paths the same way, though it spares the
    // `lstat` of files the walk found plain: a link on the way is never
    // plain, whether it leaves the root or (alias.jpg) stays inside.
    fs::write(
        &manifest,
        r#"{"cutline": 1, "items": [{"path": "out.jpg"}, {"path": "outdir/secret.jpg"},
                                     {"path": "alias.jpg"}, {"path": "inside.jpg"}]}"#,
    )
    .unwrap();
    let report_of_verify = report("verify");
    let findings = report_of_verify["findings"].as_array().unwrap();
    let m004: Vec<&str> = findings
        .iter()
        .filter(|f| f["code"] == "M004")
        .filter_map(|f| f["path"].as_str())
        .collect();
    assert_eq!(m004, ["out.jpg", "outdir/secret.jpg"], "{findings:#?}");
}

#[cfg(unix)]
#[test]
fn unreadable_files_and_folders_are_reported_and_the_run_goes_on() {
    use std::os::unix::fs::PermissionsExt;
    let top = tempfile::tempdir().unwrap();
    // Root reads mode-000 files: then the binary runs as nobody.
    let Some(cutline) = support::cutline_subject_to_permissions(top.path()) else {
        return;
    };
    let root = top.path().join("media");
    fs::create_dir_all(root.join("locked")).unwrap();
    fs::write(root.join("ok.jpg"), plain_jpeg()).unwrap();
    fs::write(root.join("secret.jpg"), plain_jpeg()).unwrap();
    fs::write(root.join("locked/inner.jpg"), plain_jpeg()).unwrap();
    let manifest = top.path().join("m.json");
    fs::write(
        &manifest,
        r#"{"cutline": 1, "root": "media", "items": [
            {"path": "ok.jpg", "caption": "Fine.", "credit": "Jane Doe/Reuters"},
            {"path": "secret.jpg", "caption": "Locked file.", "credit": "Jane Doe/Reuters"},
            {"path": "locked/inner.jpg", "caption": "In a locked folder.", "credit": "Jane Doe/Reuters"}]}"#,
    )
    .unwrap();
    for d in [top.path(), &root] {
        fs::set_permissions(d, fs::Permissions::from_mode(0o755)).unwrap();
    }
    fs::set_permissions(root.join("ok.jpg"), fs::Permissions::from_mode(0o644)).unwrap();
    fs::set_permissions(&manifest, fs::Permissions::from_mode(0o644)).unwrap();
    fs::set_permissions(root.join("secret.jpg"), fs::Permissions::from_mode(0o000)).unwrap();
    fs::set_permissions(root.join("locked"), fs::Permissions::from_mode(0o000)).unwrap();
    let run = |args: &[&str]| {
        cutline
            .command()
            .args(args)
            .current_dir(top.path())
            .output()
            .expect("cutline runs")
    };
    let out = run(&["scan", "media"]);
    assert_no_panic(&out, "scan of unreadable files");
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert!(stdout.contains("ok.jpg"), "{stdout}");
    assert!(
        stdout.contains("secret.jpg") && stdout.contains("ermission denied"),
        "{stdout}"
    );
    assert!(
        stderr.contains("locked") && stderr.contains("ermission denied"),
        "{stderr}"
    );
    // The listing ran, but it has holes: the exit code says so.
    assert_eq!(out.status.code(), Some(1), "{stderr}");

    let out = run(&["check", "-m", "m.json", "--format", "json"]);
    assert_no_panic(&out, "check of unreadable files");
    // The run went on and failed: exit 1, the file is X001, the folder's
    // item is reported (missing), the readable file has no error.
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let report: Value = serde_json::from_str(&text(&out.stdout)).unwrap();
    let findings = report["findings"].as_array().unwrap();
    let codes_of = |p: &str| -> Vec<String> {
        findings
            .iter()
            .filter(|f| f["path"] == p)
            .map(|f| f["code"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(codes_of("secret.jpg"), ["X001"], "{findings:#?}");
    assert!(!codes_of("locked/inner.jpg").is_empty(), "{findings:#?}");
    assert!(codes_of("ok.jpg").is_empty(), "{findings:#?}");

    // Let the temp dir be removed.
    fs::set_permissions(root.join("locked"), fs::Permissions::from_mode(0o755)).unwrap();
}

/// Appends to `path` from another thread until the returned flag is set;
/// throttled (64 KiB per millisecond) so the file does not grow without bound.
fn grow(path: &Path) -> (Arc<AtomicBool>, std::thread::JoinHandle<()>) {
    let stop = Arc::new(AtomicBool::new(false));
    let handle = {
        let (stop, path) = (Arc::clone(&stop), path.to_path_buf());
        std::thread::spawn(move || {
            use std::io::Write;
            let mut f = fs::OpenOptions::new().append(true).open(path).unwrap();
            let chunk = vec![0u8; 64 << 10];
            while !stop.load(Ordering::Relaxed) {
                f.write_all(&chunk).unwrap();
                std::thread::sleep(Duration::from_millis(1));
            }
        })
    };
    (stop, handle)
}

#[test]
fn a_file_growing_while_read_is_h004() {
    // A writer thread appends while the file is read; the scan must notice
    // (size or mtime moved) rather than trust a hash of half the bytes, and
    // `verify` must say H004. Timing-dependent, so tried a few times.
    let top = tempfile::tempdir().unwrap();
    let root = top.path().join("media");
    fs::create_dir_all(&root).unwrap();
    let path = root.join("growing.jpg");
    let mut bytes = plain_jpeg();
    bytes.resize(16 << 20, 0);
    let mut flagged = false;
    for _ in 0..5 {
        fs::write(&path, &bytes).unwrap();
        let (stop, writer) = grow(&path);
        std::thread::sleep(Duration::from_millis(5));
        let scanned = scan_root(&root);
        stop.store(true, Ordering::Relaxed);
        writer.join().unwrap();
        if scanned[0].changed_while_read {
            flagged = true;
            break;
        }
    }
    assert!(
        flagged,
        "a file appended to during every scan was never flagged"
    );

    let m = top.path().join("m.json");
    fs::write(
        &m,
        r#"{"cutline": 1, "root": "media", "items": [{"path": "growing.jpg", "caption": "Growing.", "credit": "Jane Doe/Reuters"}]}"#,
    )
    .unwrap();
    let home = top.path().join("home");
    let mut reported = false;
    for attempt in 0..5 {
        fs::write(&path, &bytes).unwrap();
        let (stop, writer) = grow(&path);
        std::thread::sleep(Duration::from_millis(5));
        let out = cutline(
            &home,
            top.path(),
            &["verify", "-m", "m.json", "--format", "json"],
        );
        stop.store(true, Ordering::Relaxed);
        writer.join().unwrap();
        assert_no_panic(&out, "verify of a growing file");
        if text(&out.stdout).contains("H004") {
            assert_eq!(out.status.code(), Some(1));
            eprintln!("H004 from verify on attempt {attempt}");
            reported = true;
            break;
        }
    }
    assert!(
        reported,
        "verify never reported H004 for a file growing while read"
    );
}

/// A manifest that stops `check` and `update` with exit 2, and what the
/// message must say.
struct BadManifest {
    name: &'static str,
    bytes: Vec<u8>,
    /// `file:line:column` expected in the message.
    at: &'static str,
    /// Words the message must hold.
    says: &'static str,
}

fn bad_manifests() -> Vec<BadManifest> {
    let item = r#"{"path": "a.jpg", "caption": "A.", "credit": "Jane Doe/Reuters"}"#;
    let mut whitespace = b"{\"cutline\": 1, \"items\": []}".to_vec();
    whitespace.splice(1..1, std::iter::repeat_n(b' ', 10 << 20));
    whitespace.extend(b"\n x");
    let mut invalid_utf8 =
        format!("{{\"cutline\": 1,\n \"items\": [{item}],\n \"note\": \"caf").into_bytes();
    invalid_utf8.extend(b"\xe9\"}");
    vec![
        BadManifest {
            name: "duplicate.json",
            bytes: b"{\"cutline\": 1, \"items\": [\n  {\"path\": \"a.jpg\", \"caption\": \"One.\",\n   \"caption\": \"Two.\"}]}"
                .to_vec(),
            at: "duplicate.json:3:4",
            says: "duplicate key \"caption\"",
        },
        BadManifest {
            name: "wrong-type.json",
            bytes: "{\"cutline\": 1, \"items\": [\n  {\"path\": \"a.jpg\", \"caption\": 42}]}".into(),
            at: "wrong-type.json:2:32",
            says: "items[0].caption: expected a string, found a number",
        },
        BadManifest {
            name: "trailing.json",
            bytes: format!("{{\"cutline\": 1, \"items\": [{item}]}}\n}}garbage").into_bytes(),
            at: "trailing.json:2:1",
            says: "",
        },
        BadManifest {
            name: "whitespace.json",
            bytes: whitespace,
            at: "whitespace.json:2:2",
            says: "",
        },
        BadManifest {
            name: "utf16.json",
            bytes: b"\xff\xfe{\0}\0".to_vec(),
            at: "utf16.json:1:1",
            says: "UTF-16",
        },
        BadManifest {
            name: "invalid-utf8.json",
            bytes: invalid_utf8,
            at: "invalid-utf8.json:3:14",
            says: "invalid UTF-8",
        },
        BadManifest {
            name: "truncated.json",
            bytes: format!("{{\"cutline\": 1, \"items\": [{item}").into_bytes(),
            at: "truncated.json:1:",
            says: "",
        },
    ]
}

/// Every file under `dir` with its bytes, for "nothing written".
fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let found = cutline::walk::walk_with(dir, cutline::walk::Options::EVERY_FILE).unwrap();
    assert!(found.skipped.is_empty(), "{:?}", found.skipped);
    let mut out: Vec<(PathBuf, Vec<u8>)> = found
        .entries
        .into_iter()
        .map(|e| {
            let bytes = fs::read(&e.abs).unwrap();
            (e.abs, bytes)
        })
        .collect();
    out.sort();
    out
}

#[test]
fn malformed_manifests_exit_2_with_file_line_column_and_write_nothing() {
    let top = tempfile::tempdir().unwrap();
    let media = top.path().join("media");
    fs::create_dir_all(&media).unwrap();
    fs::write(media.join("a.jpg"), plain_jpeg()).unwrap();
    let dir = top.path().join("manifests");
    fs::create_dir_all(&dir).unwrap();
    for bad in bad_manifests() {
        fs::write(dir.join(bad.name), &bad.bytes).unwrap();
    }
    let home = top.path().join("home");
    fs::create_dir_all(&home).unwrap();
    let before = snapshot(top.path());
    for bad in bad_manifests() {
        let m = format!("manifests/{}", bad.name);
        for args in [
            vec!["check", "-m", &m, "--root", "media"],
            vec!["update", "-m", &m, "--root", "media"],
            vec!["verify", "-m", &m, "--root", "media"],
        ] {
            let started = Instant::now();
            let out = cutline(&home, top.path(), &args);
            assert_no_panic(&out, bad.name);
            let stderr = text(&out.stderr);
            assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
            assert!(
                stderr.contains(bad.at),
                "{args:?}: want {:?} in {stderr}",
                bad.at
            );
            assert!(
                stderr.contains(bad.says),
                "{args:?}: want {:?} in {stderr}",
                bad.says
            );
            assert!(
                started.elapsed() < Duration::from_secs(10),
                "{args:?} took {:?}",
                started.elapsed()
            );
        }
    }
    assert!(
        snapshot(top.path()) == before,
        "a command wrote something after refusing a manifest"
    );
}

#[test]
fn a_utf8_byte_order_mark_is_accepted() {
    // docs/manifest.md: Windows editors add one; it is dropped, not an error.
    let top = tempfile::tempdir().unwrap();
    fs::create_dir_all(top.path().join("media")).unwrap();
    fs::write(top.path().join("media/a.jpg"), plain_jpeg()).unwrap();
    let mut bytes = b"\xef\xbb\xbf".to_vec();
    bytes.extend(br#"{"cutline": 1, "root": "media", "items": [{"path": "a.jpg", "caption": "A caption here.", "credit": "Jane Doe/Reuters"}]}"#);
    fs::write(top.path().join("m.json"), &bytes).unwrap();
    let home = top.path().join("home");
    let out = cutline(&home, top.path(), &["check", "-m", "m.json"]);
    assert_no_panic(&out, "BOM manifest");
    assert_ne!(out.status.code(), Some(2), "{}", text(&out.stderr));
}

#[test]
fn unknown_manifest_fields_survive_update() {
    let top = tempfile::tempdir().unwrap();
    let media = top.path().join("media");
    fs::create_dir_all(&media).unwrap();
    fs::write(media.join("a.jpg"), plain_jpeg()).unwrap();
    fs::write(media.join("new.jpg"), plain_png()).unwrap();
    let manifest = top.path().join("m.json");
    let original = r#"{
  "cutline": 1,
  "root": "media",
  "desk": {"editor": "J. Smith", "reviewed": [1, 2.5, null, true]},
  "items": [
    {"path": "a.jpg", "caption": "A.", "credit": "Jane Doe/Reuters", "x_note": "keep me", "x_nested": {"a": [{"b": "c"}]}},
    {"path": "gone.jpg", "caption": "Gone.", "x_rights": "until 2030"}
  ],
  "x_trailer": "\u202e still here"
}
"#;
    fs::write(&manifest, original).unwrap();
    let home = top.path().join("home");
    let out = cutline(&home, top.path(), &["update", "-m", "m.json"]);
    assert_no_panic(&out, "update");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let after: Value = serde_json::from_str(&fs::read_to_string(&manifest).unwrap()).unwrap();
    let before: Value = serde_json::from_str(original).unwrap();
    assert_ne!(
        after, before,
        "update changed nothing; the test proves nothing"
    );
    assert_eq!(after["desk"], before["desk"]);
    assert_eq!(after["x_trailer"], before["x_trailer"]);
    let item = |v: &Value, p: &str| -> Value {
        v["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["path"] == p)
            .cloned()
            .unwrap()
    };
    for key in ["x_note", "x_nested"] {
        assert_eq!(
            item(&after, "a.jpg")[key],
            item(&before, "a.jpg")[key],
            "{key}"
        );
    }
    assert_eq!(item(&after, "gone.jpg")["x_rights"], "until 2030");
}

#[test]
fn truncated_jpeg_in_the_image_data_is_reported() {
    // Pins the limit documented in docs/security.md: a JPEG whose metadata
    // and header are whole but whose entropy-coded data is cut has no EOI.
    let jpeg = jpeg_with(&plain_jpeg(), &full_meta()).unwrap();
    let cut = &jpeg[..jpeg.len() - 20];
    let s = support::scan_bytes("cut.jpg", cut);
    assert!(
        s.error.is_some() || !s.warnings.is_empty(),
        "a JPEG without its end was scanned as whole: {:?}",
        s.warnings
    );
}

#[test]
fn a_decoder_panic_is_caught_and_reported_for_that_file_alone() {
    use cutline::sheet::thumbnail::{self, Thumbnail, Unavailable};
    // The contact sheet decodes under catch_unwind (src/sheet/thumbnail.rs).
    // A decoder that panics on one file's bytes, as a bug inside `image` would:
    let bad = png_with(&plain_png(), &Meta::default(), &[("Comment", "boom")]).unwrap();
    let good = [plain_jpeg(), plain_png(), plain_webp()];
    let decoder = |bytes: &[u8]| {
        if bytes == bad.as_slice() {
            panic!("simulated decoder bug");
        }
        thumbnail::decode(bytes)
    };
    // Quiet the default hook's message for the expected panic only.
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let sheet: Vec<Thumbnail> = [&good[0], &bad, &good[1], &good[2]]
        .iter()
        .map(|b| thumbnail::make_with(b, decoder))
        .collect();
    std::panic::set_hook(hook);
    assert_eq!(
        sheet[1],
        Thumbnail::Unavailable(Unavailable::DecoderPanicked)
    );
    for (i, t) in sheet.iter().enumerate().filter(|(i, _)| *i != 1) {
        assert!(matches!(t, Thumbnail::Image { .. }), "file {i}: {t:?}");
    }
}

#[test]
fn the_contact_sheet_refuses_huge_images_under_its_limits() {
    // The only place cutline decodes pixels: `image`'s limits refuse the
    // 100000×100000 PNG before allocating 30 GB.
    use cutline::sheet::thumbnail::{self, Thumbnail};
    let started = Instant::now();
    let t = thumbnail::make(&png_declaring(&plain_png(), 100_000, 100_000));
    assert!(matches!(t, Thumbnail::Unavailable(_)), "{t:?}");
    let t = thumbnail::make(&jpeg_declaring(&plain_jpeg(), 65500, 65500));
    assert!(matches!(t, Thumbnail::Unavailable(_)), "{t:?}");
    assert!(started.elapsed() < Duration::from_secs(10));
}

#[test]
fn unknown_manifest_fields_survive_import() {
    let top = tempfile::tempdir().unwrap();
    fs::create_dir_all(top.path().join("media")).unwrap();
    fs::write(top.path().join("media/a.jpg"), plain_jpeg()).unwrap();
    let original = r#"{
  "cutline": 1,
  "root": "media",
  "desk": {"editor": "J. Smith"},
  "items": [
    {"path": "a.jpg", "caption": "Old caption.", "credit": "Jane Doe/Reuters", "x_note": "keep me"}
  ]
}
"#;
    fs::write(top.path().join("m.json"), original).unwrap();
    fs::write(
        top.path().join("desk.csv"),
        "path,caption\na.jpg,New caption from the desk.\n",
    )
    .unwrap();
    let home = top.path().join("home");
    let out = cutline(
        &home,
        top.path(),
        &["import", "--csv", "desk.csv", "-m", "m.json"],
    );
    assert_no_panic(&out, "import");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let after: Value =
        serde_json::from_str(&fs::read_to_string(top.path().join("m.json")).unwrap()).unwrap();
    assert_eq!(after["items"][0]["caption"], "New caption from the desk.");
    assert_eq!(after["desk"]["editor"], "J. Smith");
    assert_eq!(after["items"][0]["x_note"], "keep me");
}

/// Runs `cmd` (the binary, maybe as `nobody`: [`support::Subject`]) with
/// `args` in `cwd`, with no progress bar.
fn run_in(mut cmd: Command, cwd: &Path, args: &[&str]) -> Output {
    cmd.args(args)
        .current_dir(cwd)
        .env("CI", "1")
        .env_remove("NO_COLOR")
        .stdin(Stdio::null())
        .output()
        .expect("cutline runs")
}

/// The binary as this process runs it, with `HOME` in `home`.
fn cutline_at_home(home: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_cutline"));
    cmd.env("HOME", home)
        .env("XDG_CACHE_HOME", home.join("cache"));
    cmd
}

/// One command's run, kept for assertions made after the tree is restored.
struct Ran {
    what: &'static str,
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

impl Ran {
    fn of(what: &'static str, out: &Output) -> Self {
        assert_no_panic(out, what);
        Ran {
            what,
            code: out.status.code(),
            stdout: text(&out.stdout),
            stderr: text(&out.stderr),
        }
    }

    /// Exit `code`, and `want` in stdout or stderr as `on` says.
    fn says(&self, code: i32, on: &str, want: &[&str]) {
        let said = if on == "stdout" {
            &self.stdout
        } else {
            &self.stderr
        };
        assert_eq!(
            self.code,
            Some(code),
            "{}: exit\nstdout:\n{}\nstderr:\n{}",
            self.what,
            self.stdout,
            self.stderr
        );
        for w in want {
            assert!(said.contains(w), "{}: no {w:?} in {on}:\n{said}", self.what);
        }
    }
}

/// Issue 15: every command that lists a folder reports a folder it cannot
/// read and fails; none drops it and exits 0 (`scan --sums` did).
#[cfg(unix)]
#[test]
fn an_unreadable_folder_fails_every_command_that_lists_it() {
    use std::os::unix::fs::PermissionsExt;
    let mode = |p: &Path, m: u32| fs::set_permissions(p, fs::Permissions::from_mode(m)).unwrap();
    let top = tempfile::tempdir().unwrap();
    mode(top.path(), 0o755);
    let Some(subject) = support::cutline_subject_to_permissions(top.path()) else {
        return;
    };
    let t = top.path();
    let home = t.join("home");
    fs::create_dir_all(t.join("media/locked")).unwrap();
    fs::create_dir_all(t.join("out")).unwrap();
    fs::create_dir_all(&home).unwrap();
    fs::write(t.join("media/a.jpg"), plain_jpeg()).unwrap();
    fs::write(t.join("media/locked/b.jpg"), plain_jpeg()).unwrap();
    // Made while everything is readable: a manifest, a checksum file, a bag.
    let me = |args: &[&str]| run_in(cutline_at_home(&home), t, args);
    assert!(me(&["init", "media", "-o", "m.json"]).status.success());
    let sums = me(&["scan", "--sums", "media"]);
    assert!(sums.status.success());
    fs::write(t.join("SUMS"), &sums.stdout).unwrap();
    assert!(me(&["bag", "--from", "media", "bagged"]).status.success());
    for d in [&home, &t.join("out")] {
        mode(d, 0o777);
    }
    for (p, m) in [("m.json", 0o666), ("SUMS", 0o644), ("bagged", 0o755)] {
        mode(&t.join(p), m);
    }
    mode(&t.join("media/locked"), 0o000);
    mode(&t.join("bagged/data/locked"), 0o000);

    let run = |what, args: &[&str]| Ran::of(what, &run_in(subject.command(), t, args));
    let ran = [
        run("scan", &["scan", "media"]),
        run("scan --sums", &["scan", "--sums", "media"]),
        run(
            "verify --sums",
            &["verify", "--sums", "SUMS", "--root", "media"],
        ),
        run("bag", &["bag", "--from", "media", "out/bag"]),
        run("verify --bag", &["verify", "--bag", "bagged"]),
        run("verify", &["verify", "-m", "m.json"]),
        run("check", &["check", "-m", "m.json"]),
        run("init", &["init", "media", "-o", "out/m.json"]),
        run("update", &["update", "-m", "m.json"]),
    ];
    let made_bag = t.join("out/bag").exists();
    let made_manifest = t.join("out/m.json").exists();
    mode(&t.join("media/locked"), 0o755);
    mode(&t.join("bagged/data/locked"), 0o755);

    let denied = "ermission denied";
    let [
        scan,
        scan_sums,
        verify_sums,
        bag,
        verify_bag,
        verify,
        check,
        init,
        update,
    ] = ran;
    scan.says(
        1,
        "stderr",
        &["skipped locked: cannot list the folder", denied],
    );
    scan_sums.says(
        1,
        "stderr",
        &["skipped locked: cannot list the folder", denied],
    );
    assert!(
        scan_sums.stdout.contains("  a.jpg\n"),
        "{}",
        scan_sums.stdout
    );
    verify_sums.says(
        1,
        "stdout",
        &[
            "1 of 2 listed files match",
            "W001 unreadable-path",
            "locked\n",
            denied,
        ],
    );
    bag.says(
        2,
        "stderr",
        &["media/locked: cannot list the folder", denied],
    );
    assert!(!made_bag, "no bag is made that leaves a file out");
    verify_bag.says(
        1,
        "stdout",
        &["B010 bag-unreadable-file", "data/locked", denied],
    );
    // One finding, W001, wherever a media root is read: the run fails and
    // the report says so (its summary line agrees with the exit code).
    for ran in [&verify, &check] {
        ran.says(
            1,
            "stdout",
            &[
                "  locked\n",
                "W001 unreadable-path",
                "cannot list the folder",
                denied,
                "FAIL: ",
            ],
        );
    }
    init.says(1, "stderr", &["skipped locked: cannot list the folder"]);
    assert!(
        made_manifest,
        "init writes the manifest of what it could read"
    );
    update.says(
        1,
        "stdout",
        &["refused   locked: ", "(W001); the manifest is not changed"],
    );
}

/// Issue 15: a folder past PATH_MAX (4096) cannot be opened by its path;
/// every command reports it instead of saying "0 files" and exiting 0.
#[cfg(unix)]
#[test]
fn a_path_longer_than_path_max_fails_every_command_that_lists_it() {
    let top = tempfile::tempdir().unwrap();
    let t = top.path();
    let home = t.join("home");
    fs::create_dir_all(&home).unwrap();
    // Built from inside with relative names, as no single path to the
    // deepest folder is accepted by the OS.
    let name = "d".repeat(250);
    let script = format!(
        "cd \"$1\" && i=0; while [ $i -lt 17 ]; do mkdir {name} && cd -P ./{name} || exit 1; i=$((i+1)); done; printf x > deep.jpg"
    );
    for root in ["media", "bagged/data"] {
        fs::create_dir_all(t.join(root)).unwrap();
        let ok = Command::new("sh")
            .args(["-c", &script, "sh"])
            .arg(t.join(root))
            .status()
            .unwrap()
            .success();
        assert!(ok, "could not build the deep tree");
    }
    fs::write(
        t.join("bagged/bagit.txt"),
        "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n",
    )
    .unwrap();
    fs::write(t.join("bagged/manifest-sha256.txt"), "").unwrap();
    fs::write(t.join("SUMS"), "").unwrap();

    let run = |what, args: &[&str]| Ran::of(what, &run_in(cutline_at_home(&home), t, args));
    let too_long = "path too long for the OS to open (PATH_MAX)";
    let init = run("init", &["init", "media", "-o", "m.json"]);
    init.says(1, "stderr", &[too_long]);
    assert!(
        init.stdout.contains("(0 images from media)"),
        "{}",
        init.stdout
    );
    for cmd in ["verify", "check"] {
        run(cmd, &[cmd, "-m", "m.json"]).says(
            1,
            "stdout",
            &[too_long, "W001 unreadable-path", "FAIL: "],
        );
    }
    run("scan", &["scan", "media"]).says(1, "stderr", &[too_long]);
    run("scan --sums", &["scan", "--sums", "media"]).says(1, "stderr", &[too_long]);
    run(
        "verify --sums",
        &["verify", "--sums", "SUMS", "--root", "media"],
    )
    .says(1, "stdout", &["W001 unreadable-path", too_long]);
    run("bag", &["bag", "--from", "media", "bag"]).says(2, "stderr", &[too_long]);
    assert!(!t.join("bag").exists());
    run("verify --bag", &["verify", "--bag", "bagged"]).says(
        1,
        "stdout",
        &["unreadable", too_long],
    );
}

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

// What a test cannot do on this machine: one rule, kept here. Outside CI a
// test may skip (saying why on stderr); under CI (`CI` set, as `.ci/run` sets
// it) it fails, because a skipped test passes while testing nothing.

/// Whether the tests run under CI: `CI` is set (to anything, as `progress`
/// reads it too).
pub fn under_ci() -> bool {
    std::env::var_os("CI").is_some()
}

/// The one way a test gives up on a tool, fixture or permission this machine
/// lacks: panics under CI, else prints `SKIPPED <test>: <why>` and returns so
/// the caller can `return`.
#[track_caller]
pub fn skip_or_fail(why: &str) {
    let thread = std::thread::current();
    let test = thread.name().unwrap_or("this test");
    if under_ci() {
        panic!(
            "{test} cannot run: {why}. CI is set, so this fails instead of skipping; .ci/run installs every tool the tests use"
        );
    }
    eprintln!("SKIPPED {test}: {why}");
}

/// An external program a test drives.
pub struct Tool {
    /// The variable naming its path (`.ci/run` sets it); when set, it alone is tried.
    pub env: Option<&'static str>,
    /// Otherwise tried in order; a bare name is looked up on `PATH`.
    pub candidates: &'static [&'static str],
    /// Arguments it must answer with success to count as present.
    pub probe: &'static [&'static str],
    /// Where to get it, for the message.
    pub install: &'static str,
}

/// ExifTool (`.ci/run` installs 13.x from npm's `exiftool-vendored.pl`).
pub const EXIFTOOL: Tool = Tool {
    env: Some("CUTLINE_EXIFTOOL"),
    candidates: &["exiftool"],
    probe: &["-ver"],
    install: "set CUTLINE_EXIFTOOL to package/bin/exiftool of `npm pack exiftool-vendored.pl@13`, \
              or apt-get install libimage-exiftool-perl",
};

/// bagit-python's `bagit.py` (PyPI `bagit`).
pub const BAGIT_PY: Tool = Tool {
    env: Some("CUTLINE_BAGIT_PY"),
    candidates: &["/tmp/bagit-venv/bin/bagit.py", "bagit.py"],
    probe: &["--version"],
    install: "`pip install bagit` into a venv and set CUTLINE_BAGIT_PY to its bin/bagit.py",
};

/// coreutils' `sha256sum`.
pub const SHA256SUM: Tool = Tool {
    env: None,
    candidates: &["sha256sum"],
    probe: &["--version"],
    install: "apt-get install coreutils",
};

/// coreutils' `mkfifo`.
pub const MKFIFO: Tool = Tool {
    env: None,
    candidates: &["mkfifo"],
    probe: &["--version"],
    install: "apt-get install coreutils",
};

/// util-linux's `setpriv`, to drop root for permission tests.
pub const SETPRIV: Tool = Tool {
    env: None,
    candidates: &["setpriv"],
    probe: &["--version"],
    install: "apt-get install util-linux",
};

fn answers(program: &std::ffi::OsStr, probe: &[&str]) -> bool {
    std::process::Command::new(program)
        .args(probe)
        .stdin(std::process::Stdio::null())
        .output()
        .is_ok_and(|o| o.status.success())
}

/// The program `tool` names, if it runs here; else [`skip_or_fail`] and `None`.
#[track_caller]
pub fn require_tool(tool: &Tool) -> Option<std::path::PathBuf> {
    if let Some(var) = tool.env
        && let Some(path) = std::env::var_os(var)
    {
        if answers(&path, tool.probe) {
            return Some(path.into());
        }
        skip_or_fail(&format!(
            "{var}={} does not answer {:?} with success",
            path.to_string_lossy(),
            tool.probe
        ));
        return None;
    }
    if let Some(found) = tool
        .candidates
        .iter()
        .find(|c| answers(c.as_ref(), tool.probe))
    {
        return Some(found.into());
    }
    let via_env = tool
        .env
        .map(|v| format!("{v} is unset and "))
        .unwrap_or_default();
    skip_or_fail(&format!(
        "{via_env}none of {:?} runs; {}",
        tool.candidates, tool.install
    ));
    None
}

/// Whether this process reads a file whose mode denies it (root, or
/// CAP_DAC_OVERRIDE): then a mode-000 file proves nothing in-process.
#[cfg(unix)]
pub fn permissions_bypassed() -> bool {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("temp dir");
    let probe = dir.path().join("probe");
    std::fs::write(&probe, b"x").expect("write probe");
    std::fs::set_permissions(&probe, std::fs::Permissions::from_mode(0o000)).expect("chmod");
    std::fs::read(&probe).is_ok()
}

/// The uid and gid a permission test drops to when run as root (`nobody`).
pub const NOBODY: u32 = 65534;

/// How to run the cutline binary so that file permissions apply to it.
#[cfg(unix)]
pub struct Subject {
    program: std::path::PathBuf,
    pre: Vec<String>,
    home: std::path::PathBuf,
}

#[cfg(unix)]
impl Subject {
    /// A fresh command: `cutline` (maybe behind `setpriv`), with `HOME` and
    /// `XDG_CACHE_HOME` in the test's folder and no standard input.
    pub fn command(&self) -> std::process::Command {
        let mut cmd = std::process::Command::new(&self.program);
        cmd.args(&self.pre);
        if !self.pre.is_empty() {
            cmd.arg(cutline_reachable_by_nobody(&self.home));
        }
        cmd.env("HOME", &self.home)
            .env("XDG_CACHE_HOME", self.home.join("cache"))
            .stdin(std::process::Stdio::null());
        cmd
    }

    /// Whether the binary runs as `nobody` (this process bypasses permissions).
    pub fn dropped(&self) -> bool {
        !self.pre.is_empty()
    }
}

/// The cutline binary, run directly when this process is subject to file
/// permissions, else as uid/gid [`NOBODY`] through
/// `setpriv --reuid --regid --clear-groups` (no in-process setuid:
/// `unsafe_code` is forbidden). `dir`, the test's temp folder, is made
/// traversable (0755) and gets a world-writable `home/`; the test must leave
/// the files it wants read readable by others. When privileges cannot be
/// dropped: [`skip_or_fail`] and `None`.
#[cfg(unix)]
#[track_caller]
pub fn cutline_subject_to_permissions(dir: &Path) -> Option<Subject> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o755)).expect("chmod dir");
    let home = dir.join("home");
    std::fs::create_dir_all(&home).expect("home");
    std::fs::set_permissions(&home, std::fs::Permissions::from_mode(0o777)).expect("chmod home");
    let direct = Subject {
        program: env!("CARGO_BIN_EXE_cutline").into(),
        pre: Vec::new(),
        home: home.clone(),
    };
    if !permissions_bypassed() {
        return Some(direct);
    }
    let setpriv = require_tool(&SETPRIV)?;
    let pre: Vec<String> = vec![
        format!("--reuid={NOBODY}"),
        format!("--regid={NOBODY}"),
        "--clear-groups".into(),
        "--".into(),
    ];
    let dropped = std::process::Command::new(&setpriv)
        .args(&pre)
        .arg("true")
        .status()
        .is_ok_and(|s| s.success());
    if !dropped {
        skip_or_fail(
            "this process bypasses file permissions (root) and `setpriv` cannot drop to nobody",
        );
        return None;
    }
    eprintln!("running cutline as uid {NOBODY}: this process bypasses file permissions");
    Some(Subject {
        program: setpriv,
        pre,
        home,
    })
}

/// The cutline binary at a path `nobody` can execute: the build's own when
/// every folder above it lets others through, else a link or copy in `home`.
#[cfg(unix)]
fn cutline_reachable_by_nobody(home: &Path) -> std::path::PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let bin = Path::new(env!("CARGO_BIN_EXE_cutline"));
    let open = bin
        .ancestors()
        .skip(1)
        .all(|d| std::fs::metadata(d).is_ok_and(|m| m.permissions().mode() & 0o001 != 0));
    if open {
        return bin.to_path_buf();
    }
    let there = home.join("cutline");
    if !there.exists() && std::fs::hard_link(bin, &there).is_err() {
        std::fs::copy(bin, &there).expect("copy the cutline binary where nobody can run it");
    }
    std::fs::set_permissions(&there, std::fs::Permissions::from_mode(0o755)).expect("chmod binary");
    there
}

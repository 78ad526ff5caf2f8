//! Reads each file once: sniffs its format, hashes every byte, finds and reads its metadata, in parallel.

use std::fs::File;
use std::io::Read;
use std::path::Path;
use std::time::SystemTime;

use rayon::prelude::*;
use serde::{Serialize, Serializer};
use sha2::{Digest, Sha256};

use crate::container::{self, ContainerError};
use crate::format::{self, Format};
use crate::imagehash;
use crate::metadata::fields::{Fields, Warning};
use crate::metadata::{self, Conflict, Effective};
use crate::walk::Entry;

/// What to compute for each file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScanOptions {
    /// Compute `sha256` and `image_sha256` (off for `scan --no-hash`).
    pub hash: bool,
}

impl Default for ScanOptions {
    fn default() -> Self {
        ScanOptions { hash: true }
    }
}

/// Why a file could not be read as an image (an X001 finding).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ReadError {
    /// Opening or reading the file failed.
    #[error("cannot read: {0}")]
    Io(#[from] std::io::Error),
    /// The bytes are no image format cutline knows.
    #[error(
        "not an image cutline recognizes (JPEG, PNG, TIFF, WebP, HEIF, AVIF, GIF, PSD, JPEG 2000, JPEG XL)"
    )]
    UnknownFormat,
    /// The container is too damaged to walk.
    #[error(transparent)]
    Container(#[from] ContainerError),
}

/// Everything one read of one file tells (DESIGN.md §4).
#[derive(Debug, Serialize)]
pub struct Scanned {
    /// Path relative to the root, `/`-separated.
    pub path: String,
    /// Container format from the bytes, `null` when unknown.
    pub format: Option<Format>,
    /// Size in bytes.
    pub size: u64,
    /// Width in pixels from the header.
    pub width: Option<u32>,
    /// Height in pixels from the header.
    pub height: Option<u32>,
    /// SHA-256 of every byte (hex).
    pub sha256: Option<String>,
    /// SHA-256 of the image data alone, as ExifTool's ImageDataHash (hex).
    pub image_sha256: Option<String>,
    /// EXIF tags by ExifTool name.
    pub exif: Fields,
    /// IPTC-IIM datasets by ExifTool name.
    pub iptc: Fields,
    /// XMP properties (`prefix:Name`).
    pub xmp: Fields,
    /// XMP properties of an `.xmp` sidecar.
    #[serde(skip_serializing_if = "Fields::is_empty")]
    pub sidecar: Fields,
    /// PNG text chunks with predefined keywords.
    pub png: Fields,
    /// One value per newsroom field.
    pub effective: Effective,
    /// Fields whose sources disagree.
    pub conflicts: Vec<Conflict>,
    /// Damage met while reading (X003).
    #[serde(serialize_with = "as_strings")]
    pub warnings: Vec<Warning>,
    /// Why the file is not a readable image (X001).
    #[serde(serialize_with = "error_string")]
    pub error: Option<ReadError>,
    /// Size or modification time moved while the file was read (H004).
    #[serde(skip)]
    pub changed_while_read: bool,
    /// The IPTC digest shows IIM edited after XMP.
    #[serde(skip)]
    pub iptc_stale: Option<bool>,
}

fn as_strings<S: Serializer>(w: &[Warning], s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(w.iter().map(ToString::to_string))
}

fn error_string<S: Serializer>(e: &Option<ReadError>, s: S) -> Result<S::Ok, S::Error> {
    match e {
        Some(e) => s.serialize_str(&e.to_string()),
        None => s.serialize_none(),
    }
}

impl Scanned {
    fn empty(path: String) -> Self {
        Scanned {
            path,
            format: None,
            size: 0,
            width: None,
            height: None,
            sha256: None,
            image_sha256: None,
            exif: Fields::new(),
            iptc: Fields::new(),
            xmp: Fields::new(),
            sidecar: Fields::new(),
            png: Fields::new(),
            effective: Effective::default(),
            conflicts: Vec::new(),
            warnings: Vec::new(),
            error: None,
            changed_while_read: false,
            iptc_stale: None,
        }
    }

    /// True when the file is a recognized image (it may still be damaged).
    pub fn is_image(&self) -> bool {
        self.format.is_some()
    }
}

/// Scans every entry in parallel; the result keeps the entries' order.
pub fn scan_all(entries: &[Entry], opts: ScanOptions) -> Vec<Scanned> {
    entries.par_iter().map(|e| scan_file(e, opts)).collect()
}

/// Reads one file once and derives everything from those bytes.
pub fn scan_file(entry: &Entry, opts: ScanOptions) -> Scanned {
    let mut out = Scanned::empty(entry.rel.clone());
    let (bytes, before) = match read_whole(&entry.abs) {
        Ok(r) => r,
        Err(e) => {
            out.error = Some(ReadError::Io(e));
            return out;
        }
    };
    out.size = bytes.len() as u64;
    // DESIGN.md §1: re-stat after hashing; a file that moved while it was
    // read must never pass with a hash of half its bytes.
    out.changed_while_read = match stamp(&entry.abs) {
        Ok(after) => after != before || after.0 != out.size,
        Err(_) => true,
    };
    if opts.hash {
        out.sha256 = Some(hex(&Sha256::digest(&bytes)));
    }
    let Some(format) = format::sniff(&bytes) else {
        out.error = Some(ReadError::UnknownFormat);
        return out;
    };
    out.format = Some(format);
    if opts.hash {
        out.image_sha256 = imagehash::image_sha256(format, &bytes).hex();
    }
    let blocks = match container::read_blocks(format, &bytes) {
        Ok(b) => b,
        Err(e) => {
            out.error = Some(ReadError::Container(e));
            return out;
        }
    };
    out.width = blocks.width;
    out.height = blocks.height;
    let sidecar = entry.sidecar.as_deref().and_then(|p| std::fs::read(p).ok());
    let meta = metadata::read(&blocks, sidecar.as_deref());
    let (effective, conflicts) = metadata::reconcile(&meta);
    out.effective = effective;
    out.conflicts = conflicts;
    out.iptc_stale = meta.iptc_stale;
    out.warnings = meta.warnings;
    out.exif = meta.exif;
    out.iptc = meta.iptc;
    out.xmp = meta.xmp;
    out.sidecar = meta.sidecar;
    out.png = meta.png;
    out
}

/// Size and modification time, to notice a file changing under the reader.
type Stamp = (u64, Option<SystemTime>);

fn stamp(path: &Path) -> std::io::Result<Stamp> {
    let m = std::fs::metadata(path)?;
    Ok((m.len(), m.modified().ok()))
}

/// Reads the whole file with one open, returning the stamp taken on the
/// open handle before reading.
fn read_whole(path: &Path) -> std::io::Result<(Vec<u8>, Stamp)> {
    let mut f = File::open(path)?;
    let m = f.metadata()?;
    let before = (m.len(), m.modified().ok());
    let cap = usize::try_from(m.len()).unwrap_or(0).saturating_add(1);
    let mut buf = Vec::with_capacity(cap);
    f.read_to_end(&mut buf)?;
    Ok((buf, before))
}

/// Lowercase hex of a digest.
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(char::from(DIGITS[usize::from(b >> 4)]));
        s.push(char::from(DIGITS[usize::from(b & 0xf)]));
    }
    s
}

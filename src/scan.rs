//! Reads each file once: sniffs its format, hashes every byte, finds and reads its metadata, in parallel.

use std::fs::File;
use std::io::Read;
use std::path::Path;
use std::time::SystemTime;

use rayon::prelude::*;
use serde::{Serialize, Serializer};
use sha2::{Digest, Sha256};

use crate::cache::{Cache, FileId, Hashes};
use crate::container::{self, ContainerError};
use crate::format::{self, Format};
use crate::imagehash;
use crate::metadata::fields::{Fields, Source, Warning};
use crate::metadata::{self, Conflict, Effective};
use crate::progress::Progress;
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

/// Files larger than this are never held whole in memory: they are streamed
/// through SHA-256 in [`CHUNK`]-sized reads (docs/performance.md).
pub const STREAM_ABOVE: u64 = 64 << 20;
/// What a streamed file keeps for sniffing and the metadata walk: every
/// container cutline reads keeps its metadata near the head in practice
/// (JPEG APPn before SOS, PNG text before IDAT as written by most tools, PSD
/// resources before layers).
pub const STREAM_HEAD: usize = 16 << 20;
/// The read size of a streamed file's tail.
const CHUNK: usize = 1 << 20;
/// A reading thread keeps its buffer for the next file when it is at most
/// this large; a larger one is freed, so two cores never pin 2 × 64 MiB.
const KEEP_BUFFER: usize = 8 << 20;

/// What else a scan may use or feed: the hash cache and the progress bar.
#[derive(Debug, Default, Clone, Copy)]
pub struct Hooks<'a> {
    /// The hash cache with the canonical media root (cache keys are the
    /// canonical root joined with each entry's relative path).
    pub cache: Option<(&'a Cache, &'a Path)>,
    /// Counts files and bytes as they are done.
    pub progress: Option<&'a Progress>,
}

/// Scans every entry in parallel; the result keeps the entries' order.
pub fn scan_all(entries: &[Entry], opts: ScanOptions) -> Vec<Scanned> {
    scan_all_with(entries, opts, Hooks::default())
}

/// [`scan_all`] with a cache and/or a progress bar.
pub fn scan_all_with(entries: &[Entry], opts: ScanOptions, hooks: Hooks<'_>) -> Vec<Scanned> {
    // One file per task: rayon's work stealing keeps both cores busy when a
    // few huge files sit among many tiny ones.
    entries
        .par_iter()
        .with_max_len(1)
        .map(|e| {
            let s = scan_file_with(e, opts, hooks);
            if let Some(p) = hooks.progress {
                p.file_done(s.size);
            }
            s
        })
        .collect()
}

/// Reads one file once and derives everything from those bytes.
pub fn scan_file(entry: &Entry, opts: ScanOptions) -> Scanned {
    scan_file_with(entry, opts, Hooks::default())
}

thread_local! {
    /// The read buffer, reused across files so small files cost no
    /// allocation or page faults.
    static BUFFER: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// [`scan_file`] with a cache and/or a progress bar.
pub fn scan_file_with(entry: &Entry, opts: ScanOptions, hooks: Hooks<'_>) -> Scanned {
    BUFFER.with(|cell| match cell.try_borrow_mut() {
        Ok(mut buf) => {
            let out = scan_into(entry, opts, hooks, &mut buf);
            if buf.capacity() > KEEP_BUFFER {
                *buf = Vec::new();
            } else {
                buf.clear();
            }
            out
        }
        Err(_) => scan_into(entry, opts, hooks, &mut Vec::new()),
    })
}

fn scan_into(entry: &Entry, opts: ScanOptions, hooks: Hooks<'_>, buf: &mut Vec<u8>) -> Scanned {
    let mut out = Scanned::empty(entry.rel.clone());
    let opened = File::open(&entry.abs).and_then(|f| f.metadata().map(|m| (f, m)));
    let (mut file, meta) = match opened {
        Ok(r) => r,
        Err(e) => {
            out.error = Some(ReadError::Io(e));
            return out;
        }
    };
    // The stamp is taken on the open handle before reading.
    let before: Stamp = (meta.len(), meta.modified().ok());
    let cache = match hooks.cache {
        Some((c, root)) if opts.hash => FileId::new(root.join(&entry.rel), &meta).map(|id| (c, id)),
        _ => None,
    };
    let cached = cache.as_ref().and_then(|(c, id)| c.get(id));
    let body = match read_body(&mut file, meta.len(), opts.hash && cached.is_none(), buf) {
        Ok(b) => b,
        Err(e) => {
            out.error = Some(ReadError::Io(e));
            return out;
        }
    };
    drop(file);
    out.size = body.size;
    // DESIGN.md §1: re-stat after hashing; a file that moved while it was
    // read must never pass with a hash of half its bytes.
    out.changed_while_read = match stamp(&entry.abs) {
        Ok(after) => after != before || after.0 != out.size,
        Err(_) => true,
    };
    let bytes: &[u8] = buf;
    let format = format::sniff(bytes);
    if let Some(h) = &cached {
        out.sha256 = Some(h.sha256.clone());
        out.image_sha256.clone_from(&h.image_sha256);
    } else if let Some(d) = body.sha256 {
        out.sha256 = Some(hex(&d));
        if let (Some(f), true) = (format, body.whole) {
            out.image_sha256 = imagehash::image_sha256(f, bytes).hex();
        }
        if let (Some((c, id)), Some(sha256), false) = (&cache, &out.sha256, out.changed_while_read)
        {
            let h = Hashes {
                sha256: sha256.clone(),
                image_sha256: out.image_sha256.clone(),
            };
            c.put(id, &h, SystemTime::now());
        }
    }
    let Some(format) = format else {
        out.error = Some(ReadError::UnknownFormat);
        return out;
    };
    out.format = Some(format);
    let blocks = match (container::read_blocks(format, bytes), body.whole) {
        (Ok(b), _) => b,
        (Err(e), true) => {
            out.error = Some(ReadError::Container(e));
            return out;
        }
        // Only the head was kept: a structure cut at its end is ours, not
        // the file's, so it is no X001 verdict.
        (Err(e), false) => {
            out.warnings.push(Warning::new(
                Source::Container,
                format!(
                    "metadata not read: the file is over {} MiB and only its first {} MiB are walked ({e})",
                    STREAM_ABOVE >> 20,
                    STREAM_HEAD >> 20
                ),
            ));
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
    out.warnings.extend(meta.warnings);
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

/// What one read of a file gave.
struct Body {
    /// Bytes read in all.
    size: u64,
    /// SHA-256 of every byte, when asked for.
    sha256: Option<[u8; 32]>,
    /// The buffer holds the whole file (else only its first
    /// [`STREAM_HEAD`] bytes).
    whole: bool,
}

/// Reads the open file into `buf` — whole when it is at most
/// [`STREAM_ABOVE`] bytes (by its `fstat` size), else its head, streaming the
/// rest through the hasher — hashing every byte when `hash` is set.
fn read_body(file: &mut File, len: u64, hash: bool, buf: &mut Vec<u8>) -> std::io::Result<Body> {
    buf.clear();
    if len <= STREAM_ABOVE {
        // +1 so read_to_end sees EOF without growing the buffer.
        let cap = usize::try_from(len).unwrap_or(0).saturating_add(1);
        buf.reserve(cap);
        file.read_to_end(buf)?;
        // A file that grew past the limit while read is still whole here;
        // the re-stat reports it as changed.
        return Ok(Body {
            size: buf.len() as u64,
            sha256: hash.then(|| Sha256::digest(&buf[..]).into()),
            whole: true,
        });
    }
    buf.reserve(STREAM_HEAD);
    let head_len = u64::try_from(STREAM_HEAD).unwrap_or(u64::MAX);
    file.by_ref().take(head_len).read_to_end(buf)?;
    let mut hasher = Sha256::new();
    if hash {
        hasher.update(&buf[..]);
    }
    let mut size = buf.len() as u64;
    let mut chunk = vec![0u8; CHUNK];
    loop {
        let n = match file.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if hash {
            hasher.update(&chunk[..n]);
        }
        size += n as u64;
    }
    Ok(Body {
        size,
        sha256: hash.then(|| hasher.finalize().into()),
        whole: false,
    })
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

//! Reads each file once: sniffs its format, hashes every byte, finds and reads its metadata, in parallel.

pub mod cache;
pub mod record;

use foldhash::{HashMap, HashMapExt, HashSet};
use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;
use std::sync::LazyLock;
use std::time::SystemTime;

use rayon::prelude::*;
use serde::{Serialize, Serializer};
use sha2::{Digest, Sha256};

use crate::container::{self, ContainerError};
use crate::format::{self, Format};
use crate::imagehash;
use crate::manifest::Manifest;
use crate::metadata::fields::{Fields, Source, Warning};
use crate::metadata::{self, Conflict, Effective};
use crate::progress::Progress;
use crate::walk::Entry;
use cache::{Cache, FileId, Hashes};

/// What to compute for each file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScanOptions {
    /// Compute `sha256` and `image_sha256` (off for `scan --no-hash`).
    pub hash: bool,
    /// Walk the container and read its metadata (off for `verify`: fixity
    /// needs the bytes' hashes and the format, nothing else).
    pub metadata: bool,
    /// Keep every source's fields (`exif`, `iptc`, `xmp`, `sidecar`, `png`)
    /// in the record; off for `check`, whose rules read only the reconciled
    /// values, so a 100k-item run does not hold 100k tag maps.
    pub keep_fields: bool,
}

impl Default for ScanOptions {
    fn default() -> Self {
        ScanOptions {
            hash: true,
            metadata: true,
            keep_fields: true,
        }
    }
}

impl ScanOptions {
    /// What `verify` needs: every byte hashed, the format sniffed, no metadata.
    pub const FIXITY: ScanOptions = ScanOptions {
        hash: true,
        metadata: false,
        keep_fields: false,
    };
    /// What `check` needs: hashes and the reconciled metadata, not the
    /// per-source tag maps.
    pub const CHECK: ScanOptions = ScanOptions {
        hash: true,
        metadata: true,
        keep_fields: false,
    };
}

/// The hashes manifests already record, by item path as written: a file
/// whose fresh `sha256` equals the recorded one has the same bytes, so its
/// image-data hash is the recorded `image_sha256` and is not computed again.
/// Every byte is still read and hashed; only the second pass over the image
/// data is saved.
#[derive(Debug, Default)]
pub struct Recorded<'a>(HashMap<&'a str, Option<(&'a str, &'a str)>>);

impl<'a> Recorded<'a> {
    /// The `sha256` / `image_sha256` pairs of every item of `manifests`. A
    /// path two manifests record differently is left out (computed).
    pub fn of<'m: 'a>(manifests: impl IntoIterator<Item = &'m Manifest>) -> Self {
        let mut map: HashMap<&'a str, Option<(&'a str, &'a str)>> = HashMap::new();
        for m in manifests {
            for item in &m.items {
                let pair = item.sha256.as_deref().zip(item.image_sha256.as_deref());
                map.entry(item.path.as_str())
                    .and_modify(|seen| {
                        if *seen != pair {
                            *seen = None;
                        }
                    })
                    .or_insert(pair);
            }
        }
        Recorded(map)
    }

    /// True when a `sha256` and `image_sha256` are recorded for `path`.
    fn has(&self, path: &str) -> bool {
        matches!(self.0.get(path), Some(Some(_)))
    }

    /// The recorded image hash of `path` when its recorded `sha256` is `sha256`.
    fn image_hash(&self, path: &str, sha256: &str) -> Option<&'a str> {
        match self.0.get(path) {
            Some(Some((sha, img))) if sha.eq_ignore_ascii_case(sha256) => Some(img),
            _ => None,
        }
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

/// Everything one read of one file tells (docs/design.md §4).
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
    /// One value per newsroom field; boxed, and `None` until metadata is
    /// read, since `verify` never reads it and 240 empty bytes per file
    /// were a tenth of a 100k-file run's memory. Read it with
    /// [`Scanned::effective`].
    #[serde(serialize_with = "effective_or_empty")]
    pub effective: Option<Box<Effective>>,
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
    /// The file holds IPTC-IIM datasets (kept when `iptc` itself is not).
    #[serde(skip)]
    pub has_iptc: bool,
    /// The walk found it as a regular file through real folders (no
    /// symlink on the way), so its path needs no `lstat` to be known safe.
    #[serde(skip)]
    pub plain: bool,
}

/// The fields of a file whose metadata was not read: all empty.
static NO_FIELDS: LazyLock<Effective> = LazyLock::new(Effective::default);

fn effective_or_empty<S: Serializer>(e: &Option<Box<Effective>>, s: S) -> Result<S::Ok, S::Error> {
    e.as_deref().unwrap_or(&NO_FIELDS).serialize(s)
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
    pub(crate) fn empty(path: String) -> Self {
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
            effective: None,
            conflicts: Vec::new(),
            warnings: Vec::new(),
            error: None,
            changed_while_read: false,
            iptc_stale: None,
            has_iptc: false,
            plain: false,
        }
    }

    /// One value per newsroom field (all empty when metadata was not read).
    pub fn effective(&self) -> &Effective {
        self.effective.as_deref().unwrap_or(&NO_FIELDS)
    }

    /// [`Scanned::effective`], to fill in.
    pub fn effective_mut(&mut self) -> &mut Effective {
        self.effective.get_or_insert_with(Box::default)
    }

    /// True when the file is a recognized image (it may still be damaged).
    pub fn is_image(&self) -> bool {
        self.format.is_some()
    }
}

/// The paths of `scanned` the walk found as regular files through real
/// folders ([`Scanned::plain`]).
pub fn plain_paths(scanned: &[Scanned]) -> HashSet<&str> {
    scanned
        .iter()
        .filter(|s| s.plain)
        .map(|s| s.path.as_str())
        .collect()
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
/// The piece of a whole file read and hashed at a time: small enough to
/// stay in the CPU's L2 cache between the kernel's copy and SHA-256.
const HASH_PIECE: u64 = 128 << 10;
/// [`HASH_PIECE`] as a length.
const HASH_PIECE_BYTES: usize = 128 << 10;
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
    /// Hashes the manifests record, to skip recomputing known image hashes.
    pub recorded: Option<&'a Recorded<'a>>,
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
            // A kept buffer is not cleared: the next file's read resizes
            // it, which zero-fills only what it grows by.
            if buf.capacity() > KEEP_BUFFER {
                *buf = Vec::new();
            }
            out
        }
        Err(_) => scan_into(entry, opts, hooks, &mut Vec::new()),
    })
}

fn scan_into(entry: &Entry, opts: ScanOptions, hooks: Hooks<'_>, buf: &mut Vec<u8>) -> Scanned {
    let mut out = match from_cached_record(entry, opts, hooks) {
        Some(s) => s,
        None => read_file(entry, opts, hooks, buf),
    };
    out.plain = !entry.link;
    out
}

/// Reads the file, then writes its cache entry when one is due.
fn read_file(entry: &Entry, opts: ScanOptions, hooks: Hooks<'_>, buf: &mut Vec<u8>) -> Scanned {
    let mut store = None;
    let out = read_into(entry, opts, hooks, buf, &mut store);
    if let (Some((c, _)), Some(store)) = (hooks.cache, store) {
        // What check reads is stored beside the hashes, unless a sidecar
        // (whose changes the key does not see) contributed to it.
        let record = if opts.metadata && entry.sidecar.is_none() {
            record::encode(&out, store.whole).unwrap_or_default()
        } else {
            Vec::new()
        };
        if let Some(sha256) = &out.sha256
            && !out.changed_while_read
        {
            let h = Hashes {
                sha256: sha256.clone(),
                image_sha256: out.image_sha256.clone(),
                record,
            };
            c.put(&store.id, &h, SystemTime::now());
        }
    }
    out
}

/// A file whose cache entry (same path, device, inode, size and times) holds
/// the record `check` reads: built from the cache after one `stat`, without
/// opening the file. Only for runs that want no per-source tag maps, and
/// never for a file with a sidecar (the key does not cover the sidecar).
fn from_cached_record(entry: &Entry, opts: ScanOptions, hooks: Hooks<'_>) -> Option<Scanned> {
    let (c, root) = hooks.cache?;
    if !opts.hash || !opts.metadata || opts.keep_fields || entry.sidecar.is_some() {
        return None;
    }
    let meta = std::fs::metadata(&entry.abs).ok()?;
    let id = FileId::new(root.join(&entry.rel), &meta)?;
    let h = c.get(&id)?;
    record::decode(
        &h.record,
        entry.rel.clone(),
        meta.len(),
        h.sha256,
        h.image_sha256,
    )
}

/// A cache entry to write once the file is read.
struct Store {
    id: FileId,
    /// The whole file was read (a record of a part is not stored).
    whole: bool,
}

/// Opens and reads the file once; sets `store` when its cache entry should
/// be written (fresh hashes, or hashes from the cache but no record yet).
fn read_into(
    entry: &Entry,
    opts: ScanOptions,
    hooks: Hooks<'_>,
    buf: &mut Vec<u8>,
    store: &mut Option<Store>,
) -> Scanned {
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
    let hash = opts.hash && cached.is_none();
    let recorded = hooks.recorded.filter(|r| r.has(&entry.rel));
    // Fixity of a file the manifest records needs its bytes hashed and its
    // format, not the bytes kept: only the head is held and the rest streams
    // through one cache-hot piece (the copy into a cold 1 MiB buffer cost as
    // much as SHA-256 itself). Only when the hash then differs is the whole
    // file read again, from the same handle, for its image-data hash.
    let lean = hash && !opts.metadata && meta.len() > HASH_PIECE && recorded.is_some();
    let first = if lean {
        stream(&mut file, HASH_PIECE_BYTES, HASH_PIECE_BYTES, true, buf)
    } else {
        read_body(&mut file, meta.len(), hash, buf)
    };
    let mut body = match first {
        Ok(b) => b,
        Err(e) => {
            out.error = Some(ReadError::Io(e));
            return out;
        }
    };
    let mut reread_differs = false;
    if let (true, Some(r), Some(d)) = (lean, recorded, body.sha256)
        && meta.len() <= STREAM_ABOVE
        && r.image_hash(&entry.rel, &crate::checksum::digest::lower_hex(&d))
            .is_none()
    {
        let again = file
            .seek(SeekFrom::Start(0))
            .and_then(|_| read_body(&mut file, meta.len(), true, buf));
        match again {
            Ok(b) => {
                reread_differs = b.sha256 != body.sha256;
                body = b;
            }
            Err(e) => {
                out.error = Some(ReadError::Io(e));
                return out;
            }
        }
    }
    out.size = body.size;
    // docs/design.md §1: re-stat after hashing; a file that moved while it was
    // read must never pass with a hash of half its bytes. The handle's own
    // `fstat` is the file that was read, at no path lookup's cost; a file
    // replaced by a rename meanwhile was still read whole and consistently.
    out.changed_while_read = reread_differs
        || match file.metadata() {
            Ok(m) => {
                let after: Stamp = (m.len(), m.modified().ok());
                after != before || after.0 != out.size
            }
            Err(_) => true,
        };
    drop(file);
    let bytes: &[u8] = buf;
    let format = format::sniff(bytes);
    if let Some(h) = &cached {
        out.sha256 = Some(h.sha256.clone());
        out.image_sha256.clone_from(&h.image_sha256);
    } else if let Some(d) = body.sha256 {
        let sha256 = crate::checksum::digest::lower_hex(&d);
        let known = hooks
            .recorded
            .and_then(|r| r.image_hash(&entry.rel, &sha256));
        out.image_sha256 = match (known, format, body.whole) {
            (Some(img), _, _) => Some(img.to_ascii_lowercase()),
            (None, Some(f), true) => imagehash::image_sha256(f, bytes).hex(),
            _ => None,
        };
        out.sha256 = Some(sha256);
    }
    if let Some((_, id)) = cache {
        // A hit that still came here had no usable record (none yet, or one
        // of another reader): write the entry again with this reading.
        let refresh =
            cached.is_none() || (opts.metadata && !opts.keep_fields && entry.sidecar.is_none());
        if refresh {
            *store = Some(Store {
                id,
                whole: body.whole,
            });
        }
    }
    let Some(format) = format else {
        out.error = Some(ReadError::UnknownFormat);
        return out;
    };
    out.format = Some(format);
    if !opts.metadata {
        return out;
    }
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
    out.effective = Some(Box::new(effective));
    out.conflicts = conflicts;
    out.iptc_stale = meta.iptc_stale;
    out.has_iptc = !meta.iptc.is_empty();
    out.warnings.extend(meta.warnings);
    if !opts.keep_fields {
        return out;
    }
    out.exif = meta.exif;
    out.iptc = meta.iptc;
    out.xmp = meta.xmp;
    out.sidecar = meta.sidecar;
    out.png = meta.png;
    out
}

/// Size and modification time, to notice a file changing under the reader.
type Stamp = (u64, Option<SystemTime>);

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
    if len <= STREAM_ABOVE {
        // Exactly the `fstat` size is read, each piece with one `read`, and
        // no read to meet EOF: a file that grew or shrank meanwhile has
        // another size at the re-stat and is reported as changed, so the
        // probe would tell nothing new. (`read_to_end` starts every call at
        // 8 KiB and ends with that probe: three reads for a 20 KiB file.)
        // The buffer is reused as it was left, so resizing it zero-fills
        // only what it grows by.
        let want = usize::try_from(len).unwrap_or(0);
        buf.resize(want, 0);
        // Read and hash in cache-sized pieces: each piece is hashed while
        // the kernel's copy of it is still in the CPU cache, instead of
        // reading the whole file and then streaming it from memory again.
        let mut hasher = hash.then(Sha256::new);
        let mut done = 0;
        while done < want {
            let end = want.min(done.saturating_add(HASH_PIECE_BYTES));
            let Some(piece) = buf.get_mut(done..end) else {
                break;
            };
            let n = fill(file, piece)?;
            if let (Some(h), Some(read)) = (hasher.as_mut(), piece.get(..n)) {
                h.update(read);
            }
            done += n;
            if done < end {
                break; // shrank since the `fstat`: the re-stat tells
            }
        }
        buf.truncate(done);
        return Ok(Body {
            size: buf.len() as u64,
            sha256: hasher.map(|h| h.finalize().into()),
            whole: true,
        });
    }
    stream(file, STREAM_HEAD, CHUNK, hash, buf)
}

/// Reads into all of `piece` unless EOF comes first; the bytes read.
fn fill(file: &mut File, piece: &mut [u8]) -> std::io::Result<usize> {
    let mut filled = 0;
    while let Some(rest) = piece.get_mut(filled..).filter(|r| !r.is_empty()) {
        match file.read(rest) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}

/// Reads the open file keeping only its first `head` bytes in `buf`,
/// passing the rest through SHA-256 in `piece`-sized reads into one region
/// after the head that is reused, so it stays in the CPU cache.
fn stream(
    file: &mut File,
    head: usize,
    piece: usize,
    hash: bool,
    buf: &mut Vec<u8>,
) -> std::io::Result<Body> {
    // Whole pieces per `read` (see `read_body`); the region after the head
    // is zero-filled once and reused for every piece.
    let mut hasher = Sha256::new();
    buf.resize(head, 0);
    let kept = match buf.get_mut(..head) {
        Some(region) => fill(file, region)?,
        None => 0,
    };
    if let (true, Some(read)) = (hash, buf.get(..kept)) {
        hasher.update(read);
    }
    let mut size = kept as u64;
    if kept == head {
        buf.resize(head.saturating_add(piece.max(1)), 0);
        while let Some(region) = buf.get_mut(head..) {
            let n = fill(file, region)?;
            if let (true, Some(read)) = (hash, region.get(..n)) {
                hasher.update(read);
            }
            size += n as u64;
            if n < region.len() {
                break; // EOF
            }
        }
    }
    buf.truncate(kept);
    Ok(Body {
        size,
        sha256: hash.then(|| hasher.finalize().into()),
        whole: false,
    })
}

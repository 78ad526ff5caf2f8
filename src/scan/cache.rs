//! The hash cache: `sha256` and `image_sha256` of files already read, keyed by what identifies an unchanged file, in a crash-safe redb store.
//!
//! `check` consults it so an editor re-running `check` after changing a caption
//! does not re-hash a whole archive; `verify` never does (archives must re-read
//! every byte, docs/verify.md). An entry is used only when the canonical path,
//! device, inode, size, modification time and status-change time (both in
//! nanoseconds) all match what the open file handle reports; anything else is
//! a miss and the file is hashed again.
//!
//! The store is redb (copy-on-write B-trees, checksummed commits): a crash
//! mid-write leaves the last committed state. A file that redb cannot open as
//! its own, or whose format tag is not [`FORMAT`], is deleted and rebuilt
//! with a warning — the worst a damaged cache can cost is a re-hash, never a
//! wrong verdict.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, SystemTime};

use redb::{Database, ReadableDatabase, ReadableTableMetadata, TableDefinition};

/// The table of cached hashes: key bytes (see [`FileId::key`]) → value bytes
/// (see [`encode`]).
const HASHES: TableDefinition<'_, &[u8], &[u8]> = TableDefinition::new("hashes");
/// One row, `format`, naming the layout of [`HASHES`]; a store without it (or
/// with another value) is foreign and rebuilt.
const META: TableDefinition<'_, &str, &str> = TableDefinition::new("meta");
/// This layout's tag (2: a value may carry the record `check` reads, see
/// [`Hashes::record`]; a store of layout 1 is rebuilt).
pub const FORMAT: &str = "cutline-hash-cache-2";
/// The page cache redb may keep in memory.
const CACHE_BYTES: usize = 64 << 20;
/// The file name inside the cache folder.
pub const FILE_NAME: &str = "hashes.redb";

/// A file whose modification or status-change time is this close to the
/// moment it was read is not cached: a write landing in the same clock tick
/// after the read would leave every key field equal (git's "racy clean"
/// problem, Documentation/technical/racy-git.txt).
const RACY_WINDOW: Duration = Duration::from_secs(2);

/// What identifies one unchanged file: taken from the open handle (`fstat`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileId {
    /// Canonical absolute path.
    pub path: PathBuf,
    /// Device number.
    pub dev: u64,
    /// Inode number.
    pub ino: u64,
    /// Size in bytes.
    pub size: u64,
    /// Modification time, nanoseconds since the epoch.
    pub mtime_ns: i128,
    /// Status-change time, nanoseconds since the epoch.
    pub ctime_ns: i128,
}

impl FileId {
    /// The identity of the file behind `meta` (from `File::metadata`), at
    /// canonical path `path`. `None` off Unix, where there is no inode.
    #[cfg(unix)]
    pub fn new(path: PathBuf, meta: &std::fs::Metadata) -> Option<FileId> {
        use std::os::unix::fs::MetadataExt;
        Some(FileId {
            path,
            dev: meta.dev(),
            ino: meta.ino(),
            size: meta.size(),
            mtime_ns: i128::from(meta.mtime()) * 1_000_000_000 + i128::from(meta.mtime_nsec()),
            ctime_ns: i128::from(meta.ctime()) * 1_000_000_000 + i128::from(meta.ctime_nsec()),
        })
    }

    /// No inode off Unix: no cache.
    #[cfg(not(unix))]
    pub fn new(_path: PathBuf, _meta: &std::fs::Metadata) -> Option<FileId> {
        None
    }

    /// The key bytes: every field, so any change is a different key. The
    /// path goes last, whole, so no two ids share a key.
    fn key(&self) -> Vec<u8> {
        let p = self.path.as_os_str().as_encoded_bytes();
        let mut k = Vec::with_capacity(56 + p.len());
        k.extend_from_slice(&self.dev.to_le_bytes());
        k.extend_from_slice(&self.ino.to_le_bytes());
        k.extend_from_slice(&self.size.to_le_bytes());
        k.extend_from_slice(&self.mtime_ns.to_le_bytes());
        k.extend_from_slice(&self.ctime_ns.to_le_bytes());
        k.extend_from_slice(p);
        k
    }

    /// True when either time is within `window` of `now` (or later): such a file may change again without changing its key.
    fn is_racy(&self, now: SystemTime, window: Duration) -> bool {
        let Ok(now) = now.duration_since(SystemTime::UNIX_EPOCH) else {
            return true;
        };
        let limit = i128::try_from(now.saturating_sub(window).as_nanos()).unwrap_or(0);
        self.mtime_ns >= limit || self.ctime_ns >= limit
    }
}

/// What a cache entry holds: the two hashes, and possibly what `check`
/// reads of the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hashes {
    /// SHA-256 of every byte, 64 lowercase hex digits.
    pub sha256: String,
    /// The image-data hash, when the format has one.
    pub image_sha256: Option<String>,
    /// The file's record as `check` reads it ([`crate::scan::record`]),
    /// opaque here; empty when not stored.
    pub record: Vec<u8>,
}

/// Value layout: 32 digest bytes, then 0 (no image hash) or 1 and 32 bytes,
/// then the record bytes to the end.
fn encode(h: &Hashes) -> Option<Vec<u8>> {
    let mut v = Vec::with_capacity(65 + h.record.len());
    v.extend_from_slice(&unhex(&h.sha256)?);
    match &h.image_sha256 {
        None => v.push(0),
        Some(i) => {
            v.push(1);
            v.extend_from_slice(&unhex(i)?);
        }
    }
    v.extend_from_slice(&h.record);
    Some(v)
}

/// The inverse of [`encode`]; `None` for any other shape (a damaged row is a
/// miss, not a verdict).
fn decode(v: &[u8]) -> Option<Hashes> {
    let (sha, rest) = (v.get(..32)?, v.get(32..)?);
    let (image_sha256, record) = match rest {
        [0, record @ ..] => (None, record),
        [1, more @ ..] if more.len() >= 32 => {
            let (img, record) = more.split_at(32);
            (Some(crate::checksum::digest::lower_hex(img)), record)
        }
        _ => return None,
    };
    Some(Hashes {
        sha256: crate::checksum::digest::lower_hex(sha),
        image_sha256,
        record: record.to_vec(),
    })
}

/// The 32 bytes of a 64-digit hex digest (either case); `None` for any other text.
fn unhex(s: &str) -> Option<[u8; 32]> {
    let mut out = [0u8; 32];
    hex::decode_to_slice(s, &mut out).ok()?;
    Some(out)
}

/// Why the cache could not be used (the run goes on without it).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CacheError {
    /// The cache folder could not be created or the damaged store removed.
    #[error("cannot prepare the hash cache at {path}: {source}")]
    Io {
        /// The path concerned.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// redb refused the store.
    #[error("hash cache {path}: {source}")]
    Store {
        /// The store.
        path: PathBuf,
        /// redb's error.
        source: Box<redb::Error>,
    },
    /// No cache folder is known (no `XDG_CACHE_HOME`, no `HOME`).
    #[error("no cache folder (set XDG_CACHE_HOME or HOME)")]
    NoFolder,
}

fn store_err(path: &Path, e: impl Into<redb::Error>) -> CacheError {
    CacheError::Store {
        path: path.to_path_buf(),
        source: Box::new(e.into()),
    }
}

/// An open hash cache: one read transaction for the lookups of a run, new
/// entries gathered and written in one commit by [`Cache::flush`].
pub struct Cache {
    path: PathBuf,
    db: Database,
    read: Option<redb::ReadOnlyTable<&'static [u8], &'static [u8]>>,
    pending: Mutex<Vec<(Vec<u8>, Vec<u8>)>>,
    racy: Duration,
    /// Said once when the store had to be rebuilt.
    pub rebuilt: Option<String>,
}

impl std::fmt::Debug for Cache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Cache").field("path", &self.path).finish()
    }
}

/// The default store: `$XDG_CACHE_HOME/cutline/hashes.redb`, else the
/// platform cache folder (`~/.cache` on Linux, from the `dirs` crate).
pub fn default_path() -> Result<PathBuf, CacheError> {
    let dir = std::env::var_os("XDG_CACHE_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(dirs::cache_dir)
        .ok_or(CacheError::NoFolder)?;
    Ok(dir.join("cutline").join(FILE_NAME))
}

/// Opens the default cache for `check`: `Ok(None)` when another cutline
/// holds it (this run then simply hashes), `Err` with the reason when it
/// cannot be used at all. A rebuilt store is `Ok(Some)` with
/// [`Cache::rebuilt`] set.
pub fn open_default() -> Result<Option<Cache>, CacheError> {
    let path = default_path()?;
    match Cache::open(&path) {
        Ok(c) => Ok(Some(c)),
        Err(CacheError::Store { source, .. })
            if matches!(*source, redb::Error::DatabaseAlreadyOpen) =>
        {
            Ok(None)
        }
        Err(e) => Err(e),
    }
}

impl Cache {
    /// Opens (or creates) the store at `path`. A store redb cannot read, or
    /// one of another layout, is removed and created afresh; the reason is
    /// kept in [`Cache::rebuilt`] for the caller to warn about.
    pub fn open(path: &Path) -> Result<Cache, CacheError> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|source| CacheError::Io {
                path: dir.to_path_buf(),
                source,
            })?;
        }
        match Self::open_checked(path) {
            Ok(c) => Ok(c),
            // Another cutline has it open: run without, never delete it.
            Err(CacheError::Store { source, .. })
                if matches!(*source, redb::Error::DatabaseAlreadyOpen) =>
            {
                Err(store_err(path, redb::Error::DatabaseAlreadyOpen))
            }
            Err(why) => {
                std::fs::remove_file(path).map_err(|source| CacheError::Io {
                    path: path.to_path_buf(),
                    source,
                })?;
                let mut c = Self::open_checked(path)?;
                c.rebuilt = Some(why.to_string());
                Ok(c)
            }
        }
    }

    /// Opens the store and checks its format tag, writing the tag into a
    /// new, empty store.
    fn open_checked(path: &Path) -> Result<Cache, CacheError> {
        // redb's own page cache defaults to 1 GiB and counts in this
        // process's memory; the OS page cache already holds the file, so a
        // small one keeps a 100k-entry re-check's RSS down at little cost.
        let db = Database::builder()
            .set_cache_size(CACHE_BYTES)
            .create(path)
            .map_err(|e| store_err(path, e))?;
        let tag = {
            let tx = db.begin_read().map_err(|e| store_err(path, e))?;
            match tx.open_table(META) {
                Ok(t) => t
                    .get("format")
                    .map_err(|e| store_err(path, e))?
                    .map(|v| v.value().to_owned()),
                Err(redb::TableError::TableDoesNotExist(_)) => None,
                Err(e) => return Err(store_err(path, e)),
            }
        };
        match tag.as_deref() {
            Some(FORMAT) => {}
            None if Self::store_is_empty(&db, path)? => {
                let tx = db.begin_write().map_err(|e| store_err(path, e))?;
                {
                    let mut t = tx.open_table(META).map_err(|e| store_err(path, e))?;
                    t.insert("format", FORMAT).map_err(|e| store_err(path, e))?;
                    tx.open_table(HASHES).map_err(|e| store_err(path, e))?;
                }
                tx.commit().map_err(|e| store_err(path, e))?;
            }
            other => {
                return Err(CacheError::Store {
                    path: path.to_path_buf(),
                    source: Box::new(redb::Error::Corrupted(format!(
                        "not a cutline hash cache (format {})",
                        other.unwrap_or("missing")
                    ))),
                });
            }
        }
        let read = db
            .begin_read()
            .map(|tx| tx.open_table(HASHES))
            .map_err(|e| store_err(path, e))?
            .map_err(|e| store_err(path, e))?;
        Ok(Cache {
            path: path.to_path_buf(),
            db,
            read: Some(read),
            pending: Mutex::new(Vec::new()),
            racy: RACY_WINDOW,
            rebuilt: None,
        })
    }

    /// True when the store has no tables at all (freshly created).
    fn store_is_empty(db: &Database, path: &Path) -> Result<bool, CacheError> {
        let tx = db.begin_read().map_err(|e| store_err(path, e))?;
        let n = tx.list_tables().map_err(|e| store_err(path, e))?.count();
        Ok(n == 0)
    }

    /// Sets how recent a change keeps a file out of the cache (two seconds
    /// by default; tests set zero to cache files they just wrote).
    pub fn set_racy_window(&mut self, window: Duration) {
        self.racy = window;
    }

    /// Where the store lives.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The cached hashes of `id`, if this exact file was hashed before. Any
    /// read error or damaged row is a miss.
    pub fn get(&self, id: &FileId) -> Option<Hashes> {
        let t = self.read.as_ref()?;
        let v = t.get(id.key().as_slice()).ok()??;
        decode(v.value())
    }

    /// Remembers the hashes of `id`, read at `now`, for [`Cache::flush`].
    /// Files changed within the last two seconds are not remembered.
    pub fn put(&self, id: &FileId, h: &Hashes, now: SystemTime) {
        if id.is_racy(now, self.racy) {
            return;
        }
        let Some(v) = encode(h) else { return };
        if let Ok(mut p) = self.pending.lock() {
            p.push((id.key(), v));
        }
    }

    /// Writes every remembered entry in one commit (redb fsyncs it).
    pub fn flush(&mut self) -> Result<usize, CacheError> {
        let pending = match self.pending.get_mut() {
            Ok(p) => std::mem::take(p),
            Err(_) => return Ok(0),
        };
        if pending.is_empty() {
            return Ok(0);
        }
        // The read snapshot must end before the write commits.
        self.read = None;
        let path = self.path.clone();
        let tx = self.db.begin_write().map_err(|e| store_err(&path, e))?;
        {
            let mut t = tx.open_table(HASHES).map_err(|e| store_err(&path, e))?;
            for (k, v) in &pending {
                t.insert(k.as_slice(), v.as_slice())
                    .map_err(|e| store_err(&path, e))?;
            }
        }
        tx.commit().map_err(|e| store_err(&path, e))?;
        // A fresh snapshot, so later lookups see what was just written.
        self.read = self
            .db
            .begin_read()
            .ok()
            .and_then(|tx| tx.open_table(HASHES).ok());
        Ok(pending.len())
    }

    /// Number of entries stored (for tests and diagnostics).
    pub fn len(&self) -> usize {
        let Ok(tx) = self.db.begin_read() else {
            return 0;
        };
        let Ok(t) = tx.open_table(HASHES) else {
            return 0;
        };
        t.len()
            .ok()
            .and_then(|n| usize::try_from(n).ok())
            .unwrap_or(0)
    }

    /// True when nothing is stored.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn value_round_trips_and_rejects_bad_shapes() {
        let h = Hashes {
            sha256: "ab".repeat(32),
            image_sha256: Some("0f".repeat(32)),
            record: Vec::new(),
        };
        assert_eq!(decode(&encode(&h).unwrap()), Some(h));
        let n = Hashes {
            sha256: "00".repeat(32),
            image_sha256: None,
            record: b"{}".to_vec(),
        };
        assert_eq!(decode(&encode(&n).unwrap()), Some(n));
        let r = Hashes {
            sha256: "11".repeat(32),
            image_sha256: Some("22".repeat(32)),
            record: b"record".to_vec(),
        };
        assert_eq!(decode(&encode(&r).unwrap()), Some(r));
        assert_eq!(decode(&[0; 33][..32]), None);
        assert_eq!(decode(&[7; 34]), None);
        assert_eq!(decode(&[[3; 32].as_slice(), &[1; 20]].concat()), None);
        assert!(
            encode(&Hashes {
                sha256: "xyz".into(),
                image_sha256: None,
                record: Vec::new(),
            })
            .is_none()
        );
    }

    #[test]
    fn unhex_takes_64_digits_of_either_case_only() {
        assert_eq!(unhex(&"aB".repeat(32)), Some([0xab; 32]));
        assert_eq!(unhex(&"ab".repeat(31)), None);
        assert_eq!(unhex(&"ab".repeat(33)), None);
        assert_eq!(unhex(&format!("{}g0", "ab".repeat(31))), None);
    }

    #[test]
    fn racy_files_are_not_cached() {
        let now = SystemTime::now();
        let ns = |t: SystemTime| {
            i128::try_from(t.duration_since(SystemTime::UNIX_EPOCH).unwrap().as_nanos()).unwrap()
        };
        let mut id = FileId {
            path: "/x".into(),
            dev: 1,
            ino: 2,
            size: 3,
            mtime_ns: ns(now),
            ctime_ns: ns(now - Duration::from_secs(100)),
        };
        assert!(id.is_racy(now, RACY_WINDOW));
        assert!(!id.is_racy(now + Duration::from_secs(1), Duration::ZERO));
        id.mtime_ns = id.ctime_ns;
        assert!(!id.is_racy(now, RACY_WINDOW));
    }
}

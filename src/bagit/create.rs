//! Making a bag (RFC 8493) from a folder: payload copied or hard-linked and hashed in the same read, SHA-256 and SHA-512 manifests, bag-info with Payload-Oxum, tag manifests.

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use rayon::prelude::*;

use super::BagError;
use super::manifest_file::format_line;
use crate::checksum::digest::{self, Algorithm, Digests};
use crate::textnorm::nfc;
use crate::walk::{self, ProblemKind, WalkError};

/// The algorithms of a new bag: SHA-512 (RFC 8493's default) and SHA-256
/// (what cutline manifests and `sha256sum` use).
pub const ALGORITHMS: [Algorithm; 2] = [Algorithm::Sha256, Algorithm::Sha512];

/// How to make a bag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreateOptions {
    /// The folder whose files become the payload.
    pub from: PathBuf,
    /// The bag to create; must not exist.
    pub out: PathBuf,
    /// Hard-link the payload instead of copying it.
    pub link: bool,
}

/// What was made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Created {
    /// Payload files.
    pub files: u64,
    /// Payload bytes.
    pub bytes: u64,
}

/// Makes the bag. It is built in a hidden folder beside `out` and renamed
/// into place at the end, so a failure leaves no half-made bag at `out`.
pub fn create(o: &CreateOptions) -> Result<Created, BagError> {
    let from = fs::canonicalize(&o.from).map_err(|source| BagError::Open {
        path: o.from.clone(),
        source,
    })?;
    if !from.is_dir() {
        return Err(BagError::NotDir {
            path: o.from.clone(),
        });
    }
    if fs::symlink_metadata(&o.out).is_ok() {
        return Err(BagError::Exists {
            path: o.out.clone(),
        });
    }
    let name = o
        .out
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or_else(|| BagError::NotDir {
            path: o.out.clone(),
        })?;
    let parent = match o.out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let parent = fs::canonicalize(&parent).map_err(|source| BagError::Open {
        path: parent,
        source,
    })?;
    // Compared by components: `/x/src-bag` is not inside `/x/src`.
    if parent.starts_with(&from) {
        return Err(BagError::InsideSource {
            path: o.out.clone(),
        });
    }
    let files = payload_of(&from)?;
    let tmp = parent.join(format!(".{name}.cutline-partial"));
    fs::create_dir(&tmp).map_err(|source| BagError::Io {
        path: tmp.clone(),
        source,
    })?;
    let result = fill(&tmp, &from, &files, o.link);
    match result {
        Ok(created) => {
            fs::rename(&tmp, &o.out).map_err(|source| BagError::Io {
                path: o.out.clone(),
                source,
            })?;
            Ok(created)
        }
        Err(e) => {
            // Only the folder this run created (create_dir above refused an
            // existing one) is removed.
            let _ = fs::remove_dir_all(&tmp);
            Err(e)
        }
    }
}

/// The files under `from`, by `/`-separated relative path, hidden ones
/// included; refuses what a bag cannot hold faithfully and any place the
/// walk could not read, since a bag made without it would claim to be
/// complete (RFC 8493 §3) while leaving files out.
fn payload_of(from: &Path) -> Result<Vec<String>, BagError> {
    let found = walk::walk_with(from, walk::Options::EVERY_FILE).map_err(|e| match e {
        WalkError::Root { path, source } => BagError::Open { path, source },
        _ => BagError::NotDir {
            path: from.to_path_buf(),
        },
    })?;
    if let Some(problem) = found.skipped.into_iter().next() {
        let path = from.join(&problem.rel);
        return Err(match problem.kind {
            ProblemKind::LinkOutside | ProblemKind::LinkedFolder | ProblemKind::BrokenLink => {
                BagError::Special {
                    path,
                    what: "a symbolic link",
                }
            }
            ProblemKind::Special => BagError::Special {
                path,
                what: "not a regular file",
            },
            _ => BagError::Incomplete { path, problem },
        });
    }
    let mut files = Vec::with_capacity(found.entries.len());
    // Folder names count too: `A/x` and `a/y` land in one folder on macOS.
    let mut keys: HashMap<String, String> = HashMap::new();
    for e in found.entries {
        if e.link {
            return Err(BagError::Special {
                path: e.abs,
                what: "a symbolic link",
            });
        }
        if e.lossy_name {
            return Err(BagError::NotUtf8 { path: e.abs });
        }
        let folders = e.rel.match_indices('/').map(|(i, _)| &e.rel[..i]);
        for name in folders.chain([e.rel.as_str()]) {
            // Names equal after NFC or case folding become one file on
            // macOS and Windows, and a manifest cannot tell them apart there.
            match keys.entry(nfc(name).to_lowercase()) {
                Entry::Occupied(first) if first.get() != name => {
                    return Err(BagError::Collision {
                        first: first.get().clone(),
                        second: name.to_owned(),
                    });
                }
                Entry::Occupied(_) => {}
                Entry::Vacant(slot) => {
                    slot.insert(name.to_owned());
                }
            }
        }
        files.push(e.rel);
    }
    Ok(files)
}

fn fill(bag: &Path, from: &Path, files: &[String], link: bool) -> Result<Created, BagError> {
    let io_at = |path: &Path| {
        let path = path.to_path_buf();
        move |source: io::Error| BagError::Io { path, source }
    };
    let data = bag.join("data");
    fs::create_dir(&data).map_err(io_at(&data))?;
    for f in files {
        if let Some(dir) = Path::new(f).parent().filter(|d| !d.as_os_str().is_empty()) {
            let d = data.join(dir);
            fs::create_dir_all(&d).map_err(io_at(&d))?;
        }
    }
    // One read per file: the copy is written and hashed from the same
    // buffer; a hard link is hashed once.
    let digests: Vec<Digests> = files
        .par_iter()
        .map(|f| {
            let src = from.join(f);
            let dst = data.join(f);
            if link {
                fs::hard_link(&src, &dst).map_err(io_at(&dst))?;
                digest::hash_file(&dst, &ALGORITHMS).map_err(io_at(&dst))
            } else {
                let mut r = File::open(&src).map_err(io_at(&src))?;
                let mut w = File::create_new(&dst).map_err(io_at(&dst))?;
                let d = digest::hash_reader(&mut r, &ALGORITHMS, |chunk| w.write_all(chunk))
                    .map_err(io_at(&dst))?;
                w.sync_all().map_err(io_at(&dst))?;
                Ok(d)
            }
        })
        .collect::<Result<_, BagError>>()?;
    let bytes: u64 = digests.iter().map(|d| d.size).sum();
    let count = files.len() as u64;
    let write = |name: &str, text: &str| {
        let path = bag.join(name);
        fs::write(&path, text).map_err(io_at(&path))
    };
    write(
        "bagit.txt",
        "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n",
    )?;
    for alg in ALGORITHMS {
        let mut text = String::new();
        for (f, d) in files.iter().zip(&digests) {
            text.push_str(&format_line(
                d.get(alg).unwrap_or_default(),
                &format!("data/{f}"),
            ));
        }
        write(&format!("manifest-{alg}.txt"), &text)?;
    }
    write(
        "bag-info.txt",
        &format!(
            "Bag-Software-Agent: cutline {} (https://www.rfc-editor.org/rfc/rfc8493)\nBagging-Date: {}\nPayload-Oxum: {bytes}.{count}\n",
            env!("CARGO_PKG_VERSION"),
            today()
        ),
    )?;
    let mut tag_files = vec!["bag-info.txt".to_owned(), "bagit.txt".to_owned()];
    tag_files.extend(ALGORITHMS.iter().map(|a| format!("manifest-{a}.txt")));
    let tag_digests = tag_files
        .iter()
        .map(|t| digest::hash_file(&bag.join(t), &ALGORITHMS).map_err(io_at(&bag.join(t))))
        .collect::<Result<Vec<_>, _>>()?;
    for alg in ALGORITHMS {
        let mut text = String::new();
        for (t, d) in tag_files.iter().zip(&tag_digests) {
            text.push_str(&format_line(d.get(alg).unwrap_or_default(), t));
        }
        write(&format!("tagmanifest-{alg}.txt"), &text)?;
    }
    Ok(Created {
        files: count,
        bytes,
    })
}

/// Today's date, UTC, `YYYY-MM-DD` (the form RFC 8493 §2.2.2 gives for
/// Bagging-Date).
fn today() -> String {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let (y, m, d) = crate::civil::civil_from_days((secs / 86_400) as i64);
    format!("{y:04}-{m:02}-{d:02}")
}

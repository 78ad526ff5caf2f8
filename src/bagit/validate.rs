//! Validating a bag (RFC 8493 §3): declaration, manifests, completeness, then validity with every checksum recomputed in one parallel read per file.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fs::{self, File};
use std::io;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::BagError;
use super::bagit_txt;
use super::fetch_file;
use super::manifest_file::{self, Role};
use super::problem::{Kind, Problem};
use super::tag_file;
use crate::checksum::digest::{self, Algorithm};
use crate::checksum::paths::{self, Unsafe};
use crate::rules::Severity;
use crate::textnorm::nfc;
use crate::walk::{self, ProblemKind};

/// The result of validating one bag.
#[derive(Debug, Clone)]
pub struct Validation {
    /// The bag folder, as given.
    pub bag: PathBuf,
    /// `--fast`: Payload-Oxum and completeness only, no checksum computed.
    pub fast: bool,
    /// `BagIt-Version`, when the declaration parsed.
    pub version: Option<String>,
    /// Algorithms of the payload manifests present and understood.
    pub algorithms: Vec<Algorithm>,
    /// Regular files found under `data/`.
    pub payload_files: u64,
    /// Their total size in bytes.
    pub payload_bytes: u64,
    /// Checksums recomputed and found equal (0 with `--fast`).
    pub checksums_verified: usize,
    /// Everything found wrong or worth knowing, by file then line.
    pub problems: Vec<Problem>,
}

impl Validation {
    /// Valid (or, with `--fast`, complete): no problem at error level.
    pub fn is_valid(&self) -> bool {
        !self.problems.iter().any(|p| p.severity == Severity::Error)
    }
}

/// A file found under `data/`.
#[derive(Debug)]
struct PayloadFile {
    /// What to open (links already resolved inside the bag).
    abs: PathBuf,
    size: u64,
    /// Not a regular file (FIFO, socket, device): never opened.
    special: bool,
}

/// Manifests found by name: `(algorithm, file name)`.
type Manifests = Vec<(Algorithm, String)>;

/// What one listed file's checksums must be: `(algorithm, checksum,
/// manifest file, line)`.
type Expected = Vec<(Algorithm, String, String, usize)>;

/// Validates the bag at `dir`. `Err` only when `dir` is not a folder
/// that can be opened; everything else is a [`Problem`].
pub fn validate(dir: &Path, fast: bool) -> Result<Validation, BagError> {
    let root = fs::canonicalize(dir).map_err(|source| BagError::Open {
        path: dir.to_path_buf(),
        source,
    })?;
    if !root.is_dir() {
        return Err(BagError::NotDir {
            path: dir.to_path_buf(),
        });
    }
    let mut v = Validation {
        bag: dir.to_path_buf(),
        fast,
        version: None,
        algorithms: Vec::new(),
        payload_files: 0,
        payload_bytes: 0,
        checksums_verified: 0,
        problems: Vec::new(),
    };
    let p = &mut v.problems;

    // §2.1.1 the declaration.
    match read_tag(&root, "bagit.txt") {
        Ok(Some(bytes)) => match bagit_txt::parse(&bytes) {
            Ok(d) => v.version = Some(d.version),
            Err(e) => p.push(Problem::error(
                Kind::Declaration,
                "bagit.txt",
                e.line,
                format!("bagit.txt {}", e.message),
            )),
        },
        Ok(None) => p.push(Problem::error(
            Kind::Declaration,
            "bagit.txt",
            None,
            "missing: every bag has a bag declaration (RFC 8493 §2.1.1)",
        )),
        Err(e) => p.push(e),
    }

    // §2.1.3, §2.2.1: manifests by name.
    let (payload_manifests, tag_manifests) = manifests_in(&root, p);
    if payload_manifests.is_empty() {
        p.push(Problem::error(
            Kind::MissingPart,
            "manifest-sha512.txt",
            None,
            "no payload manifest (manifest-ALG.txt): RFC 8493 §2.1.3 requires at least one",
        ));
    }
    v.algorithms = payload_manifests.iter().map(|(a, _)| *a).collect();

    // §2.1.2 the payload.
    let payload = walk_payload(&root, p);
    v.payload_files = payload.values().filter(|f| !f.special).count() as u64;
    v.payload_bytes = payload.values().map(|f| f.size).sum();
    report_collisions(payload.keys(), p);
    let by_nfc: HashMap<String, &String> =
        payload.keys().map(|k| (nfc(k).into_owned(), k)).collect();

    // Completeness: every listed file present, every payload file listed.
    let mut expected: BTreeMap<String, Expected> = BTreeMap::new();
    let mut unlisted_in: BTreeMap<&String, Vec<String>> = BTreeMap::new();
    for (alg, name) in &payload_manifests {
        let Some(bytes) = read_listed_tag(&root, name, p) else {
            continue;
        };
        let (entries, bad) = manifest_file::parse(name, &bytes, *alg, Role::Payload);
        p.extend(bad);
        let mut listed: BTreeSet<&String> = BTreeSet::new();
        for e in entries {
            let on_disk = if let Some((k, _)) = payload.get_key_value(&e.path) {
                Some(k)
            } else if let Some(&k) = by_nfc.get(nfc(&e.path).as_ref()) {
                p.push(
                    Problem::error(
                        Kind::NameCollision,
                        name,
                        Some(e.line),
                        format!(
                            "`{}` is on disk in another Unicode normalization; matched after NFC",
                            e.path
                        ),
                    )
                    .at(Severity::Info),
                );
                Some(k)
            } else {
                None
            };
            match on_disk {
                Some(k) => {
                    listed.insert(k);
                    expected.entry(k.clone()).or_default().push((
                        *alg,
                        e.checksum,
                        name.clone(),
                        e.line,
                    ));
                }
                None => {
                    let hint = payload
                        .keys()
                        .find(|k| k.to_lowercase() == e.path.to_lowercase())
                        .map(|k| format!(" (`{k}` differs from it only in letter case)"))
                        .unwrap_or_default();
                    p.push(Problem::error(
                        Kind::MissingFile,
                        name,
                        Some(e.line),
                        format!("`{}` is listed but not in the bag{hint}", e.path),
                    ));
                }
            }
        }
        for k in payload.keys() {
            if !listed.contains(k) {
                unlisted_in.entry(k).or_default().push(name.clone());
            }
        }
    }
    for (k, manifests) in unlisted_in {
        p.push(Problem::error(
            Kind::UnlistedFile,
            k,
            None,
            format!("in the payload but not listed in {}", manifests.join(", ")),
        ));
    }

    // §2.2.1 tag manifests: each listed tag file present and (below) matching.
    let mut tag_expected: BTreeMap<String, (PathBuf, Expected)> = BTreeMap::new();
    for (alg, name) in &tag_manifests {
        let Some(bytes) = read_listed_tag(&root, name, p) else {
            continue;
        };
        let (entries, bad) = manifest_file::parse(name, &bytes, *alg, Role::Tag);
        p.extend(bad);
        for e in entries {
            match regular_file(&root, &e.path) {
                Ok(abs) => tag_expected
                    .entry(e.path.clone())
                    .or_insert_with(|| (abs, Vec::new()))
                    .1
                    .push((*alg, e.checksum, name.clone(), e.line)),
                Err(why) => p.push(Problem::error(
                    why.0,
                    name,
                    Some(e.line),
                    format!("`{}` {}", e.path, why.1),
                )),
            }
        }
    }

    // §2.2.2 bag-info.txt and its Payload-Oxum.
    check_bag_info(&root, fast, v.payload_bytes, v.payload_files, p);

    // §2.2.3 fetch.txt: reported, never fetched.
    match read_tag(&root, "fetch.txt") {
        Ok(Some(bytes)) => p.extend(fetch_file::review(&String::from_utf8_lossy(&bytes))),
        Ok(None) => {}
        Err(e) => p.push(e),
    }

    // Validity: every checksum of every manifest, one read per file.
    if fast {
        // No checksum is computed, but a file that cannot be opened still
        // makes the bag fail: never a silent pass.
        for (k, f) in payload.iter().filter(|(_, f)| !f.special) {
            if let Err(e) = File::open(&f.abs) {
                p.push(Problem::error(
                    Kind::Unreadable,
                    k,
                    None,
                    format!("cannot open: {e}"),
                ));
            }
        }
    } else {
        let mut jobs: Vec<(String, PathBuf, Expected)> = Vec::new();
        for (k, exp) in expected {
            if let Some(f) = payload.get(&k).filter(|f| !f.special) {
                jobs.push((k, f.abs.clone(), exp));
            }
        }
        for (k, (abs, exp)) in tag_expected {
            jobs.push((k, abs, exp));
        }
        let work: Vec<(PathBuf, Vec<Algorithm>)> = jobs
            .iter()
            .map(|(_, abs, exp)| {
                let mut algs: Vec<Algorithm> = exp.iter().map(|e| e.0).collect();
                algs.sort();
                algs.dedup();
                (abs.clone(), algs)
            })
            .collect();
        let results = digest::hash_all(&work);
        for ((k, _, exp), got) in jobs.iter().zip(results) {
            match got {
                Err(e) => p.push(Problem::error(
                    Kind::Unreadable,
                    k,
                    None,
                    format!("cannot read: {e}"),
                )),
                Ok(d) => {
                    for (alg, want, manifest, line) in exp {
                        let have = d.get(*alg).unwrap_or_default();
                        if have == want {
                            v.checksums_verified += 1;
                        } else {
                            p.push(Problem::error(
                                Kind::ChecksumMismatch,
                                manifest,
                                Some(*line),
                                format!("`{k}`: {alg} listed {want}, file has {have}"),
                            ));
                        }
                    }
                }
            }
        }
    }

    v.problems
        .sort_by(|a, b| (a.file.as_str(), a.line, a.kind).cmp(&(b.file.as_str(), b.line, b.kind)));
    Ok(v)
}

/// The payload and tag manifests in the bag's top folder, by algorithm
/// (strongest first). A manifest naming an algorithm cutline cannot compute
/// is an error: its checksums cannot be verified.
fn manifests_in(root: &Path, p: &mut Vec<Problem>) -> (Manifests, Manifests) {
    let mut payload = Vec::new();
    let mut tag = Vec::new();
    let names: Vec<String> = match fs::read_dir(root) {
        Ok(rd) => rd
            .filter_map(Result::ok)
            .filter_map(|e| e.file_name().into_string().ok())
            .collect(),
        Err(e) => {
            p.push(Problem::error(
                Kind::Unreadable,
                ".",
                None,
                format!("cannot list the bag: {e}"),
            ));
            Vec::new()
        }
    };
    for name in names {
        let (list, alg) = if let Some(a) = name
            .strip_prefix("tagmanifest-")
            .and_then(|r| r.strip_suffix(".txt"))
        {
            (&mut tag, a)
        } else if let Some(a) = name
            .strip_prefix("manifest-")
            .and_then(|r| r.strip_suffix(".txt"))
        {
            (&mut payload, a)
        } else {
            continue;
        };
        match Algorithm::from_name(alg) {
            Some(a) => list.push((a, name)),
            None => p.push(Problem::error(
                Kind::UnknownAlgorithm,
                &name,
                None,
                format!("algorithm `{alg}` is not one cutline computes (md5, sha1, sha224, sha256, sha384, sha512): its checksums cannot be verified"),
            )),
        }
    }
    payload.sort_by_key(|m| std::cmp::Reverse(m.0));
    tag.sort_by_key(|m| std::cmp::Reverse(m.0));
    (payload, tag)
}

/// Every file under `data/`, by bag-relative path (`data/…`), hidden ones
/// included (RFC 8493 §2.1.2: the payload is every file there), with what
/// the walk could not list as problems.
fn walk_payload(root: &Path, p: &mut Vec<Problem>) -> BTreeMap<String, PayloadFile> {
    let mut out = BTreeMap::new();
    let data = root.join("data");
    match fs::symlink_metadata(&data) {
        Ok(m) if m.file_type().is_symlink() => {
            p.push(Problem::error(
                Kind::UnsafePath,
                "data",
                None,
                "data/ is a symbolic link; not followed",
            ));
            return out;
        }
        Ok(m) if m.is_dir() => {}
        Ok(_) => {
            p.push(Problem::error(
                Kind::MissingPart,
                "data",
                None,
                "data is not a folder (RFC 8493 §2.1.2)",
            ));
            return out;
        }
        Err(_) => {
            p.push(Problem::error(
                Kind::MissingPart,
                "data",
                None,
                "no payload folder data/ (RFC 8493 §2.1.2)",
            ));
            return out;
        }
    }
    // Links are bound by the bag, not by data/: docs/bagit.md refuses
    // only those that resolve outside the bag.
    let options = walk::Options {
        links_within: Some(root),
        ..walk::Options::EVERY_FILE
    };
    let found = match walk::walk_with(&data, options) {
        Ok(w) => w,
        Err(e) => {
            p.push(Problem::error(
                Kind::Unreadable,
                "data",
                None,
                format!("cannot list: {e}"),
            ));
            return out;
        }
    };
    let in_bag = |rel: &str| {
        if rel.is_empty() {
            "data".to_owned()
        } else {
            format!("data/{rel}")
        }
    };
    for skipped in &found.skipped {
        let rel = in_bag(&skipped.rel);
        match skipped.kind {
            ProblemKind::LinkOutside => p.push(Problem::error(
                Kind::UnsafePath,
                &rel,
                None,
                format!("symbolic link {rel} leads outside the bag; not opened"),
            )),
            ProblemKind::BrokenLink => p.push(Problem::error(
                Kind::UnsafePath,
                &rel,
                None,
                format!("symbolic link {rel} points at nothing; not opened"),
            )),
            ProblemKind::LinkedFolder => p.push(
                Problem::error(
                    Kind::Unreadable,
                    &rel,
                    None,
                    "a symbolic link to a folder; not entered",
                )
                .at(Severity::Warning),
            ),
            ProblemKind::Special => {
                p.push(Problem::error(
                    Kind::Unreadable,
                    &rel,
                    None,
                    "not a regular file (FIFO, socket or device); not opened",
                ));
                out.insert(
                    rel,
                    PayloadFile {
                        abs: data.join(&skipped.rel),
                        size: 0,
                        special: true,
                    },
                );
            }
            // A place the walk could not read: the bag cannot be shown
            // complete (RFC 8493 §3), so it is an error, never a skip.
            _ => p.push(Problem::error(
                Kind::Unreadable,
                &rel,
                None,
                format!("cannot list: {skipped}; the bag cannot be shown complete"),
            )),
        }
    }
    let sizes: Vec<u64> = found
        .entries
        .par_iter()
        .map(|e| fs::metadata(&e.abs).map_or(0, |m| m.len()))
        .collect();
    for (e, size) in found.entries.into_iter().zip(sizes) {
        let rel = in_bag(&e.rel);
        if e.lossy_name {
            p.push(Problem::error(
                Kind::UnlistedFile,
                &rel,
                None,
                "the name is not UTF-8, so no manifest can list it",
            ));
            continue;
        }
        out.insert(
            rel,
            PayloadFile {
                abs: e.abs,
                size,
                special: false,
            },
        );
    }
    out
}

/// Warns about names equal after Unicode NFC or case folding but not
/// identical: one of them is lost when the bag is copied to macOS or Windows.
fn report_collisions<'a>(names: impl Iterator<Item = &'a String>, p: &mut Vec<Problem>) {
    let mut groups: BTreeMap<String, Vec<&String>> = BTreeMap::new();
    for n in names {
        groups.entry(nfc(n).to_lowercase()).or_default().push(n);
    }
    for group in groups.values().filter(|g| g.len() > 1) {
        for n in group.iter().skip(1) {
            p.push(
                Problem::error(
                    Kind::NameCollision,
                    n,
                    None,
                    format!("equals `{}` after Unicode NFC or case folding: one is lost on a case-insensitive or normalizing file system", group[0]),
                )
                .at(Severity::Warning),
            );
        }
    }
}

/// A tag file's bytes; `Ok(None)` when it does not exist.
fn read_tag(root: &Path, name: &str) -> Result<Option<Vec<u8>>, Problem> {
    match regular_file(root, name) {
        Ok(abs) => fs::read(&abs)
            .map(Some)
            .map_err(|e| Problem::error(Kind::Unreadable, name, None, format!("cannot read: {e}"))),
        Err((Kind::MissingFile, _)) => Ok(None),
        Err((kind, why)) => Err(Problem::error(kind, name, None, why)),
    }
}

/// A manifest found by listing the folder: read it, or say why not.
fn read_listed_tag(root: &Path, name: &str, p: &mut Vec<Problem>) -> Option<Vec<u8>> {
    match read_tag(root, name) {
        Ok(Some(b)) => Some(b),
        Ok(None) => None,
        Err(e) => {
            p.push(e);
            None
        }
    }
}

/// The path to open for bag-relative `rel`, when it is a regular file inside
/// the bag; otherwise the kind of problem and why.
fn regular_file(root: &Path, rel: &str) -> Result<PathBuf, (Kind, String)> {
    let abs = paths::join_inside(root, rel).map_err(|e| match e {
        Unsafe::Unverifiable(..) => (Kind::Unreadable, e.to_string()),
        _ => (Kind::UnsafePath, format!("{e}; not opened")),
    })?;
    match fs::symlink_metadata(&abs) {
        Ok(m) if m.is_file() => Ok(abs),
        Ok(_) => Err((
            Kind::Unreadable,
            "is not a regular file; not opened".to_owned(),
        )),
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            Err((Kind::MissingFile, "is listed but not in the bag".to_owned()))
        }
        Err(e) => Err((Kind::Unreadable, format!("cannot examine: {e}"))),
    }
}

/// bag-info.txt (§2.2.2): every line well formed, at most one
/// Payload-Oxum, and that one equal to the payload found. In a full
/// validation an Oxum mismatch is a warning, as the checksums decide; with
/// `--fast` it is all there is to go on, so it is an error.
fn check_bag_info(root: &Path, fast: bool, bytes: u64, files: u64, p: &mut Vec<Problem>) {
    const FILE: &str = "bag-info.txt";
    let text = match read_tag(root, FILE) {
        Ok(Some(b)) => match String::from_utf8(b) {
            Ok(t) => Some(t),
            Err(_) => {
                p.push(Problem::error(Kind::MalformedLine, FILE, None, "not UTF-8"));
                None
            }
        },
        Ok(None) => None,
        Err(e) => {
            p.push(e);
            None
        }
    };
    let (elements, bad) = text.as_deref().map(tag_file::elements).unwrap_or_default();
    for b in bad {
        p.push(Problem::error(
            Kind::MalformedLine,
            FILE,
            Some(b.line),
            b.to_string(),
        ));
    }
    let oxums: Vec<_> = elements
        .iter()
        .filter(|e| e.label.eq_ignore_ascii_case("Payload-Oxum"))
        .collect();
    let mismatch = if fast {
        Severity::Error
    } else {
        Severity::Warning
    };
    match oxums.as_slice() {
        [] if fast => p.push(Problem::error(
            Kind::BagInfo,
            FILE,
            None,
            "no Payload-Oxum: --fast has nothing to compare the payload with",
        )),
        [] => {}
        [one] => match parse_oxum(&one.value) {
            Some((b, f)) if (b, f) == (bytes, files) => {}
            Some((b, f)) => p.push(
                Problem::error(
                    Kind::OxumMismatch,
                    FILE,
                    Some(one.line),
                    format!("Payload-Oxum says {b} bytes in {f} files; the payload holds {bytes} bytes in {files} files"),
                )
                .at(mismatch),
            ),
            None => p.push(Problem::error(
                Kind::BagInfo,
                FILE,
                Some(one.line),
                format!("Payload-Oxum `{}` is not `OCTETS.COUNT`", one.value),
            )),
        },
        [_, more @ ..] => {
            for e in more {
                p.push(Problem::error(
                    Kind::BagInfo,
                    FILE,
                    Some(e.line),
                    "Payload-Oxum appears more than once (RFC 8493 §2.2.2: not repeatable)",
                ));
            }
        }
    }
}

/// `OCTETS.COUNT`.
fn parse_oxum(v: &str) -> Option<(u64, u64)> {
    let (b, f) = v.split_once('.')?;
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|c| c.is_ascii_digit());
    if !digits(b) || !digits(f) {
        return None;
    }
    Some((b.parse().ok()?, f.parse().ok()?))
}

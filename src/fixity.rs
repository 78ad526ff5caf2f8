//! Fixity: puts every file a manifest lists and every image under its root into exactly one audit category.
//!
//! This is the logic behind `cutline verify` and `cutline update`; it prints
//! nothing. It compares each item's `sha256` and `image_sha256` (docs/design.md
//! §5b) with what a fresh read of the file gave, follows files that moved
//! (M006), and notices names that only differ by Unicode normalization or by
//! letter case (M005). The only disk access is [`manifest::resolve`], which
//! examines (never opens) each listed path so an unsafe one (M004) is refused
//! before anything reads it.
//!
//! Precedence, for a file that fits more than one description: an unsafe or
//! repeated entry is only that; a file that changed while it was read (H004)
//! is only that, since its hash cannot be trusted; a listed file is then
//! judged by its hashes; a file that is a move target is moved; identical
//! bytes already seen at another path make a file a duplicate (H005) rather
//! than unchanged or new.

use std::borrow::Cow;
use std::collections::VecDeque;

// foldhash, not SipHash: hashing every path and hash twice over was a
// fifth of a 20k-file classification; its seeds are still random per run.
use foldhash::{HashMap, HashMapExt};
use std::path::Path;

use serde::Serialize;

use crate::finding::Finding;
use crate::manifest::{self, Manifest, path_key_cow as key_of};
use crate::rules::{Code, Severity};
use crate::scan::{self, Scanned};
use crate::textnorm::nfc;

/// What happened to one file since the manifest was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Category {
    /// Listed, present, every byte as recorded.
    Unchanged,
    /// Listed, present; the file's bytes differ but the image data is the
    /// same: only metadata (caption, keywords…) was edited (H002).
    MetadataOnly,
    /// Listed, present; the image data itself differs (H003).
    ImageChanged,
    /// Listed, present; the bytes differ and there is no image-data hash on
    /// one side to say whether the picture changed (H001).
    Changed,
    /// An unlisted file holding the exact bytes of a listed item that is no
    /// longer at its path (M006).
    Moved,
    /// Listed, not on disk (M001, error).
    Missing,
    /// Listed with `"missing": true`, still not on disk (M001 at info): a
    /// loss already recorded by `cutline update`, not a new one.
    MissingAcknowledged,
    /// An image on disk that the manifest does not list (M002).
    New,
    /// Size or modification time moved while the file was read: its hash is
    /// not trusted and nothing else is said about it (H004).
    ChangedWhileRead,
    /// The same bytes as another file already counted, at a second path (H005).
    Duplicate,
    /// A second file on disk whose name equals another's after Unicode NFC:
    /// a manifest path cannot tell the two apart (M005).
    NameCollision,
    /// An item whose path is listed a second time (M003), or equals an
    /// earlier item's after NFC (M005); it is judged through the first.
    DuplicateEntry,
    /// An item whose path is unsafe: never opened (M004).
    UnsafePath,
    /// Listed and present, but could not be read at all (X001).
    Unreadable,
    /// Listed and present, but the manifest records no `sha256` to compare.
    Unhashed,
}

impl Category {
    /// Every category, in the order a summary lists them.
    pub const ALL: [Category; 15] = [
        Category::Unchanged,
        Category::MetadataOnly,
        Category::ImageChanged,
        Category::Changed,
        Category::Moved,
        Category::Missing,
        Category::MissingAcknowledged,
        Category::New,
        Category::ChangedWhileRead,
        Category::Duplicate,
        Category::NameCollision,
        Category::DuplicateEntry,
        Category::UnsafePath,
        Category::Unreadable,
        Category::Unhashed,
    ];

    /// The name in JSON output (`metadata-only`).
    pub fn name(self) -> &'static str {
        match self {
            Category::Unchanged => "unchanged",
            Category::MetadataOnly => "metadata-only",
            Category::ImageChanged => "image-changed",
            Category::Changed => "changed",
            Category::Moved => "moved",
            Category::Missing => "missing",
            Category::MissingAcknowledged => "missing-acknowledged",
            Category::New => "new",
            Category::ChangedWhileRead => "changed-while-read",
            Category::Duplicate => "duplicate",
            Category::NameCollision => "name-collision",
            Category::DuplicateEntry => "duplicate-entry",
            Category::UnsafePath => "unsafe-path",
            Category::Unreadable => "unreadable",
            Category::Unhashed => "unhashed",
        }
    }

    /// How a summary line names it (`metadata-only change`).
    pub fn label(self) -> &'static str {
        match self {
            Category::Unchanged => "unchanged",
            Category::MetadataOnly => "metadata-only change",
            Category::ImageChanged => "image changed",
            Category::Changed => "changed (no image hash)",
            Category::Moved => "moved",
            Category::Missing => "missing",
            Category::MissingAcknowledged => "missing (acknowledged)",
            Category::New => "new",
            Category::ChangedWhileRead => "changed while read",
            Category::Duplicate => "duplicate",
            Category::NameCollision => "name collision",
            Category::DuplicateEntry => "listed twice",
            Category::UnsafePath => "unsafe path",
            Category::Unreadable => "unreadable",
            Category::Unhashed => "no hash recorded",
        }
    }

    /// Categories a summary always shows, even at zero: the ones an auditor
    /// expects to read. The rest appear only when they occur.
    pub fn always_shown(self) -> bool {
        matches!(
            self,
            Category::Unchanged
                | Category::MetadataOnly
                | Category::ImageChanged
                | Category::Changed
                | Category::Moved
                | Category::Missing
                | Category::New
                | Category::ChangedWhileRead
                | Category::Duplicate
        )
    }
}

/// One file (or, for entries that name no file, one item) and its category.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileState {
    /// The file's path relative to the root; for an item with no file
    /// (missing, unsafe, listed twice), the item's path.
    pub path: String,
    /// Its category.
    pub category: Category,
    /// The finding code reported for it; `None` for unchanged and unhashed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<Code>,
    /// For a move: the path the manifest lists.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    /// For a duplicate, a name collision or a repeated entry: the other path.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub of: Option<String>,
    /// True when a manifest item stands for this file.
    pub listed: bool,
    /// Index of that item in the manifest's `items`.
    #[serde(skip)]
    pub item: Option<usize>,
    /// Index of the file in the scanned slice, when it is on disk.
    #[serde(skip)]
    pub record: Option<usize>,
}

/// The categories of one manifest's files, and the findings they raise.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Audit {
    /// One entry per listed item and per image on disk, sorted by path.
    pub files: Vec<FileState>,
    /// Findings, sorted by path then code. Besides one per file not
    /// unchanged, M005 warnings for names that differ only by letter case
    /// (both files keep their own category).
    pub findings: Vec<Finding>,
}

impl Audit {
    /// How many files landed in `c`.
    pub fn count(&self, c: Category) -> usize {
        self.files.iter().filter(|f| f.category == c).count()
    }
}

/// Classifies the files of `m` against the fresh read `scanned` of `root`.
///
/// `manifest_name` names the manifest in findings. Every safe item is
/// looked up by [`path_key`] (NFC); `scanned` is every file the walk found,
/// images or not (an unlisted file that is not an image is ignored unless it
/// is where a listed item moved).
pub fn classify(m: &Manifest, manifest_name: &str, root: &Path, scanned: &[Scanned]) -> Audit {
    let mut a = Auditor {
        m,
        name: manifest_name,
        scanned,
        // Each file lands once: as many as the larger side, give or take
        // the few on one side only (doubling would hold up to 50% slack).
        files: Vec::with_capacity(m.items.len().max(scanned.len())),
        findings: Vec::new(),
    };

    // 1. Items: unsafe paths and repeated entries first; the rest are safe to look up.
    // Sized up front: growing by doubling rehashed every key several times.
    let mut listed: HashMap<Cow<'_, str>, usize> = HashMap::with_capacity(m.items.len());
    let mut safe: Vec<usize> = Vec::with_capacity(m.items.len());
    // `resolve` checks the spelling first, then every link on the way; one
    // `lstat` per item, on every core.
    let resolver = manifest::Resolver::new(root);
    let plain = scan::plain_paths(scanned);
    let mut unsafe_paths = resolver.unsafe_among(&m.items, |item| Some(item.path.as_str()), &plain);
    drop(plain);
    for (i, item) in m.items.iter().enumerate() {
        if let Some(why) = unsafe_paths.remove(&i) {
            a.absent(i, Category::UnsafePath, Code::M004, None);
            a.finding(
                Code::M004,
                &item.path,
                format!("unsafe path, not opened: {why}"),
            )
            .field = Some("path");
            continue;
        }
        let key = key_of(&item.path);
        if let Some(&first) = listed.get(&key) {
            let other = m.items.get(first).map_or("", |f| f.path.as_str());
            let (code, msg) = if other == item.path {
                (
                    Code::M003,
                    "listed more than once in this manifest".to_owned(),
                )
            } else {
                (
                    Code::M005,
                    format!("equals `{other}`, listed earlier, after Unicode NFC"),
                )
            };
            a.absent(i, Category::DuplicateEntry, code, Some(other.to_owned()));
            a.finding(code, &item.path, msg).field = Some("path");
            continue;
        }
        listed.insert(key, i);
        safe.push(i);
    }
    let safe_paths: Vec<&str> = safe
        .iter()
        .filter_map(|&i| m.items.get(i).map(|it| it.path.as_str()))
        .collect();
    a.case_collisions(&safe_paths, "listed earlier");

    // 2. Files on disk, by NFC key; a second file with the same key cannot be
    // told apart from the first by any manifest path.
    let mut on_disk: HashMap<Cow<'_, str>, usize> = HashMap::with_capacity(scanned.len());
    let mut used = vec![false; scanned.len()];
    for (r, s) in scanned.iter().enumerate() {
        let key = key_of(&s.path);
        if let Some(&first) = on_disk.get(&key) {
            used[r] = true;
            if s.is_image() || listed.contains_key(&key) {
                let other = scanned.get(first).map_or("", |f| f.path.as_str());
                a.present(
                    None,
                    r,
                    Category::NameCollision,
                    Some(Code::M005),
                    Some(other.to_owned()),
                );
                a.finding(
                    Code::M005,
                    &s.path,
                    format!(
                        "equals `{other}` after Unicode NFC: two files a manifest cannot tell apart"
                    ),
                );
            }
            continue;
        }
        on_disk.insert(key, r);
    }
    let disk_paths: Vec<&str> = scanned
        .iter()
        .zip(&used)
        .filter(|(s, u)| !**u && s.is_image())
        .map(|(s, _)| s.path.as_str())
        .collect();
    a.case_collisions(&disk_paths, "also on disk");

    // 3. Listed items present on disk are judged by their hashes.
    let mut gone: Vec<usize> = Vec::new();
    for &i in &safe {
        let Some(item) = m.items.get(i) else { continue };
        match on_disk.get(&key_of(&item.path)) {
            Some(&r) => {
                used[r] = true;
                a.compare(i, r);
            }
            None => gone.push(i),
        }
    }

    // 4. Moves: a gone item's sha256 at an unlisted path, first path wins.
    let mut unlisted_by_sha: HashMap<String, VecDeque<usize>> = HashMap::new();
    for (r, s) in scanned.iter().enumerate() {
        if let (false, false, Some(sha)) = (used[r], s.changed_while_read, &s.sha256) {
            unlisted_by_sha
                .entry(sha.to_ascii_lowercase())
                .or_default()
                .push_back(r);
        }
    }
    for i in gone {
        let Some(item) = m.items.get(i) else { continue };
        let target = item
            .sha256
            .as_deref()
            .and_then(|sha| unlisted_by_sha.get_mut(&sha.to_ascii_lowercase()))
            .and_then(VecDeque::pop_front);
        match target {
            Some(r) => {
                used[r] = true;
                let to = scanned.get(r).map_or("", |s| s.path.as_str());
                a.present(Some(i), r, Category::Moved, Some(Code::M006), None);
                if let Some(last) = a.files.last_mut() {
                    last.from = Some(item.path.clone());
                }
                let f = a.finding(
                    Code::M006,
                    to,
                    format!("moved or renamed from `{}` (same sha256)", item.path),
                );
                f.field = Some("path");
                f.expected = Some(item.path.clone());
                f.actual = Some(to.to_owned());
            }
            None if item.missing => {
                a.absent(i, Category::MissingAcknowledged, Code::M001, None);
                a.finding(
                    Code::M001,
                    &item.path,
                    "not on disk; the manifest already marks it missing (acknowledged)".to_owned(),
                )
                .severity = Severity::Info;
            }
            None => {
                a.absent(i, Category::Missing, Code::M001, None);
                a.finding(
                    Code::M001,
                    &item.path,
                    "listed in the manifest but not on disk".to_owned(),
                );
            }
        }
    }

    // 5. Images nobody lists are new, or changed while read.
    for (r, s) in scanned.iter().enumerate() {
        if used[r] || !s.is_image() {
            continue;
        }
        if s.changed_while_read {
            a.present(None, r, Category::ChangedWhileRead, Some(Code::H004), None);
            a.changed_while_read(&s.path);
        } else {
            a.present(None, r, Category::New, Some(Code::M002), None);
        }
    }

    // 6. Duplicates: the first holder of some bytes is the listed file in
    // manifest order, else the unlisted one in path order; later unchanged
    // or new files with those bytes are duplicates.
    a.duplicates();
    // The keys are done with: freed before the sorts below, the run's peak.
    drop((listed, on_disk, unlisted_by_sha, used));

    let Auditor {
        mut files,
        mut findings,
        ..
    } = a;
    // In place, with no scratch buffer (a stable sort's was 8 MB for 100k
    // files); the item and file indexes break ties as insertion order did.
    files.sort_unstable_by(|x, y| {
        (&x.path, x.category, x.item, x.record).cmp(&(&y.path, y.category, y.item, y.record))
    });
    findings.sort_by(|x, y| (&x.path, x.code, x.field).cmp(&(&y.path, y.code, y.field)));
    Audit { files, findings }
}

/// The state of one classification run.
struct Auditor<'a> {
    m: &'a Manifest,
    name: &'a str,
    scanned: &'a [Scanned],
    files: Vec<FileState>,
    findings: Vec<Finding>,
}

impl Auditor<'_> {
    /// Adds a finding with the code's default severity and returns it for
    /// the caller to fill in.
    fn finding(&mut self, code: Code, path: &str, message: String) -> &mut Finding {
        self.findings
            .push(Finding::new(code, self.name, path, message));
        let last = self.findings.len() - 1;
        &mut self.findings[last]
    }

    /// Records an item that names no file on disk.
    fn absent(&mut self, i: usize, category: Category, code: Code, of: Option<String>) {
        let path = self
            .m
            .items
            .get(i)
            .map_or_else(String::new, |it| it.path.clone());
        self.files.push(FileState {
            path,
            category,
            code: Some(code),
            from: None,
            of,
            listed: true,
            item: Some(i),
            record: None,
        });
    }

    /// Records a file on disk, listed as item `i` or not.
    fn present(
        &mut self,
        i: Option<usize>,
        r: usize,
        category: Category,
        code: Option<Code>,
        of: Option<String>,
    ) {
        let path = self
            .scanned
            .get(r)
            .map_or_else(String::new, |s| s.path.clone());
        self.files.push(FileState {
            path,
            category,
            code,
            from: None,
            of,
            listed: i.is_some(),
            item: i,
            record: Some(r),
        });
    }

    fn changed_while_read(&mut self, path: &str) {
        self.finding(
            Code::H004,
            path,
            "size or modification time changed while it was read; its hash is not trusted (run verify again)"
                .to_owned(),
        );
    }

    /// Judges listed item `i` by the fresh read `r` of its file.
    fn compare(&mut self, i: usize, r: usize) {
        let (Some(item), Some(rec)) = (self.m.items.get(i), self.scanned.get(r)) else {
            return;
        };
        if rec.changed_while_read {
            self.present(
                Some(i),
                r,
                Category::ChangedWhileRead,
                Some(Code::H004),
                None,
            );
            self.changed_while_read(&rec.path);
            return;
        }
        let Some(actual) = rec.sha256.as_deref() else {
            let why = rec
                .error
                .as_ref()
                .map_or_else(|| "cannot be read".to_owned(), ToString::to_string);
            self.present(Some(i), r, Category::Unreadable, Some(Code::X001), None);
            self.finding(Code::X001, &rec.path, why);
            return;
        };
        let Some(expected) = item.sha256.as_deref() else {
            self.present(Some(i), r, Category::Unhashed, None, None);
            return;
        };
        if expected.eq_ignore_ascii_case(actual) {
            self.present(Some(i), r, Category::Unchanged, None, None);
            return;
        }
        let (category, code, field, want, got, message) = match (
            item.image_sha256.as_deref(),
            rec.image_sha256.as_deref(),
        ) {
            (Some(want), Some(got)) if want.eq_ignore_ascii_case(got) => (
                Category::MetadataOnly,
                Code::H002,
                "sha256",
                expected,
                actual,
                "only the metadata changed: the file's bytes differ, its image data is the same (run `cutline update` to record the new hashes)",
            ),
            (Some(want), Some(got)) => (
                Category::ImageChanged,
                Code::H003,
                "image_sha256",
                want,
                got,
                "the image data changed (image_sha256 differs from the manifest)",
            ),
            _ => (
                Category::Changed,
                Code::H001,
                "sha256",
                expected,
                actual,
                "the file's bytes differ from the manifest's sha256 (no image-data hash to tell a metadata edit from a new picture)",
            ),
        };
        let (want, got) = (want.to_owned(), got.to_owned());
        self.present(Some(i), r, category, Some(code), None);
        let f = self.finding(code, &rec.path, message.to_owned());
        f.field = Some(field);
        f.expected = Some(want);
        f.actual = Some(got);
    }

    /// M005 for each name equal to an earlier one after case folding (and
    /// NFC) but not after NFC alone; once per path, though both the items
    /// and the files on disk may collide.
    fn case_collisions(&mut self, paths: &[&str], earlier: &str) {
        let mut seen: HashMap<Folded<'_>, &str> = HashMap::with_capacity(paths.len());
        for p in paths {
            let folded = fold(p);
            match seen.get(&folded) {
                Some(first)
                    if key_of(first) != key_of(p)
                        && !self
                            .findings
                            .iter()
                            .any(|f| f.code == Code::M005 && f.path == *p) =>
                {
                    let msg = format!(
                        "differs from `{first}`, {earlier}, only by letter case: one file on a case-insensitive disk"
                    );
                    self.finding(Code::M005, p, msg).field = Some("path");
                }
                Some(_) => {}
                None => {
                    seen.insert(folded, p);
                }
            }
        }
    }

    /// Turns later holders of already-seen bytes from unchanged or new into
    /// duplicates (H005, on the second path).
    fn duplicates(&mut self) {
        let scanned = self.scanned;
        let files = &self.files;
        let mut order: Vec<usize> = (0..files.len())
            .filter(|&k| files.get(k).is_some_and(|f| f.record.is_some()))
            .collect();
        // Listed files in manifest order first, then unlisted in path order.
        // Keys borrow: a cloned path per comparison was most of this step.
        let rank = |k: usize| {
            let f = files.get(k);
            (
                f.and_then(|f| f.item).map_or((1, 0), |i| (0, i)),
                f.map(|f| f.path.as_str()),
            )
        };
        order.sort_by(|&x, &y| rank(x).cmp(&rank(y)));
        // The first holder of each sha256, by index: nothing is copied.
        let mut holder: HashMap<&str, usize> = HashMap::with_capacity(order.len());
        let mut found: Vec<(usize, usize)> = Vec::new();
        for k in order {
            let Some(f) = files.get(k) else { continue };
            if f.category == Category::ChangedWhileRead || f.category == Category::NameCollision {
                continue;
            }
            let Some(sha) = f
                .record
                .and_then(|r| scanned.get(r))
                .and_then(|s| s.sha256.as_deref())
            else {
                continue;
            };
            match holder.get(sha) {
                Some(&first) if matches!(f.category, Category::Unchanged | Category::New) => {
                    found.push((k, first));
                }
                Some(_) => {}
                None => {
                    holder.insert(sha, k);
                }
            }
        }
        drop(holder);
        for (k, first) in found {
            let first = self
                .files
                .get(first)
                .map_or_else(String::new, |f| f.path.clone());
            let Some(f) = self.files.get_mut(k) else {
                continue;
            };
            f.category = Category::Duplicate;
            f.code = Some(Code::H005);
            f.of = Some(first.clone());
            let path = f.path.clone();
            let listed = f.listed;
            let msg = if listed {
                format!("the same bytes as `{first}`")
            } else {
                format!("not in the manifest; the same bytes as `{first}`")
            };
            self.finding(Code::H005, &path, msg).field = Some("sha256");
        }
        // A new file is also reported M002 unless it became a duplicate.
        let news: Vec<String> = self
            .files
            .iter()
            .filter(|f| f.category == Category::New)
            .map(|f| f.path.clone())
            .collect();
        for p in news {
            self.finding(
                Code::M002,
                &p,
                "image on disk but not in the manifest".to_owned(),
            );
        }
    }
}

/// The key two names collide under when only letter case tells them apart.
/// An ASCII name (nearly every name) is folded as it is hashed and compared,
/// with no copy: folding a copy of each of 100k names was most of this pass.
#[derive(Debug)]
enum Folded<'a> {
    /// ASCII: lowercased on the fly.
    Ascii(&'a str),
    /// Anything else: NFC of the lowercase of its NFC, computed once.
    Other(String),
}

impl Folded<'_> {
    fn as_str(&self) -> &str {
        match self {
            Folded::Ascii(s) => s,
            Folded::Other(s) => s,
        }
    }
}

impl PartialEq for Folded<'_> {
    fn eq(&self, other: &Self) -> bool {
        // `Other` holds no ASCII capital (it is lowercased), so comparing
        // ASCII letters without case is folding both sides.
        self.as_str().eq_ignore_ascii_case(other.as_str())
    }
}

impl Eq for Folded<'_> {}

impl std::hash::Hash for Folded<'_> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        // Eight bytes at a time with the 0x20 bit set: equal after ASCII
        // case folding gives equal words (a few other names share a hash,
        // which `eq` tells apart).
        let bytes = self.as_str().as_bytes();
        let mut words = bytes.chunks_exact(8);
        for w in words.by_ref() {
            let mut x = [0u8; 8];
            x.copy_from_slice(w);
            state.write_u64(u64::from_le_bytes(x) | 0x2020_2020_2020_2020);
        }
        for &b in words.remainder() {
            state.write_u8(b | 0x20);
        }
        state.write_usize(bytes.len());
    }
}

fn fold(p: &str) -> Folded<'_> {
    if p.is_ascii() {
        Folded::Ascii(p)
    } else {
        Folded::Other(nfc(&nfc(p).to_lowercase()).into_owned())
    }
}

/// The categories found in `files`, with their counts, in summary order;
/// categories not always shown are left out at zero.
pub fn tally<'a>(files: impl IntoIterator<Item = &'a FileState>) -> Vec<(Category, usize)> {
    let counts = count(files);
    Category::ALL
        .iter()
        .zip(counts)
        .filter(|(c, n)| c.always_shown() || *n > 0)
        .map(|(&c, n)| (c, n))
        .collect()
}

/// How many of `files` fall in each category, in [`Category::ALL`] order;
/// one pass.
pub fn count<'a>(files: impl IntoIterator<Item = &'a FileState>) -> [usize; Category::ALL.len()] {
    let mut counts = [0usize; Category::ALL.len()];
    for f in files {
        if let Some(n) = Category::ALL
            .iter()
            .position(|&c| c == f.category)
            .and_then(|i| counts.get_mut(i))
        {
            *n += 1;
        }
    }
    counts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folded_names_are_equal_and_hash_alike_whatever_their_spelling() {
        use std::hash::BuildHasher;
        let hash = |f: &Folded<'_>| foldhash::fast::FixedState::with_seed(7).hash_one(f);
        let long = "A".repeat(150);
        let pairs = [
            ("Photo.JPG", "photo.jpg"),
            // KELVIN SIGN: NFC makes it `K`, so it folds to ASCII.
            ("\u{212A}elvin.jpg", "kelvin.jpg"),
            ("Cafe\u{301}.jpg", "CAF\u{c9}.JPG"),
            (long.as_str(), &long.to_lowercase()),
        ];
        for (a, b) in pairs {
            let (fa, fb) = (fold(a), fold(b));
            assert_eq!(fa, fb, "{a} ~ {b}");
            assert_eq!(hash(&fa), hash(&fb), "{a} ~ {b}");
        }
        assert_ne!(fold("a.jpg"), fold("b.jpg"));
        assert_ne!(fold("ab.jpg"), fold("a.jpg"));
    }
    use crate::manifest::Item;

    fn file(path: &str, sha: &str, img: Option<&str>) -> Scanned {
        Scanned {
            format: Some(crate::format::Format::Jpeg),
            size: 1,
            sha256: Some(sha.to_owned()),
            image_sha256: img.map(str::to_owned),
            ..Scanned::empty(path.to_owned())
        }
    }

    fn item(path: &str, sha: &str, img: Option<&str>) -> Item {
        let mut i = Item::new(path);
        i.sha256 = Some(sha.to_owned());
        i.image_sha256 = img.map(str::to_owned);
        i
    }

    fn categories(a: &Audit) -> Vec<(&str, Category)> {
        a.files
            .iter()
            .map(|f| (f.path.as_str(), f.category))
            .collect()
    }

    #[test]
    fn each_file_lands_in_one_category() {
        let dir = tempfile::tempdir().unwrap();
        let mut m = Manifest::new();
        m.items = vec![
            item("same.jpg", "a1", Some("i1")),
            item("meta.jpg", "b1", Some("i2")),
            item("pixels.jpg", "c1", Some("i3")),
            item("nohash.gif", "d1", None),
            item("old-name.jpg", "e1", Some("i5")),
            item("gone.jpg", "f1", Some("i6")),
            item("../escape.jpg", "g1", None),
            item("same.jpg", "a1", Some("i1")),
        ];
        let mut s = vec![
            file("copy.jpg", "a1", Some("i1")),
            file("meta.jpg", "b2", Some("i2")),
            file("new-name.jpg", "e1", Some("i5")),
            file("nohash.gif", "d2", None),
            file("pixels.jpg", "c2", Some("i9")),
            file("same.jpg", "a1", Some("i1")),
            file("unlisted.png", "h1", Some("i8")),
            file("wobbly.png", "k1", Some("i7")),
        ];
        s[7].changed_while_read = true;
        let a = classify(&m, "m.json", dir.path(), &s);
        use Category::*;
        assert_eq!(
            categories(&a),
            vec![
                ("../escape.jpg", UnsafePath),
                ("copy.jpg", Duplicate),
                ("gone.jpg", Missing),
                ("meta.jpg", MetadataOnly),
                ("new-name.jpg", Moved),
                ("nohash.gif", Changed),
                ("pixels.jpg", ImageChanged),
                ("same.jpg", Unchanged),
                ("same.jpg", DuplicateEntry),
                ("unlisted.png", New),
                ("wobbly.png", ChangedWhileRead),
            ]
        );
        let codes: Vec<(&str, Code)> = a
            .findings
            .iter()
            .map(|f| (f.path.as_str(), f.code))
            .collect();
        assert_eq!(
            codes,
            vec![
                ("../escape.jpg", Code::M004),
                ("copy.jpg", Code::H005),
                ("gone.jpg", Code::M001),
                ("meta.jpg", Code::H002),
                ("new-name.jpg", Code::M006),
                ("nohash.gif", Code::H001),
                ("pixels.jpg", Code::H003),
                ("same.jpg", Code::M003),
                ("unlisted.png", Code::M002),
                ("wobbly.png", Code::H004),
            ]
        );
        let moved = a.files.iter().find(|f| f.category == Moved).unwrap();
        assert_eq!(moved.from.as_deref(), Some("old-name.jpg"));
        assert_eq!(moved.item, Some(4));
    }

    #[test]
    fn acknowledged_missing_is_info_and_names_collide() {
        let dir = tempfile::tempdir().unwrap();
        let mut m = Manifest::new();
        let mut gone = item("gone.jpg", "f1", None);
        gone.missing = true;
        m.items = vec![gone];
        let s = vec![
            file("Photo.jpg", "p1", None),
            file("caf\u{e9}.jpg", "z1", None),
            file("cafe\u{301}.jpg", "z2", None),
            file("photo.jpg", "p2", None),
        ];
        let a = classify(&m, "m.json", dir.path(), &s);
        let f = a.findings.iter().find(|f| f.path == "gone.jpg").unwrap();
        assert_eq!((f.code, f.severity), (Code::M001, Severity::Info));
        assert_eq!(a.count(Category::MissingAcknowledged), 1);
        // NFC-equal names: the second is a collision; case-only: both judged, one M005.
        let m005: Vec<&str> = a
            .findings
            .iter()
            .filter(|f| f.code == Code::M005)
            .map(|f| f.path.as_str())
            .collect();
        assert_eq!(m005, ["cafe\u{301}.jpg", "photo.jpg"]);
        assert_eq!(a.count(Category::NameCollision), 1);
        assert_eq!(a.count(Category::New), 3);
    }
}

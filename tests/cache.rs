//! The hash cache: `check` trusts a matching entry, `--full` and `verify` never do, a changed file misses, a corrupt or foreign store is rebuilt with a warning.

#![allow(clippy::unwrap_used)] // test helpers outside #[test] fns

#[allow(dead_code)]
mod support;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, SystemTime};

use cutline::scan::cache::{Cache, FILE_NAME, FileId, Hashes};
use cutline::scan::{Hooks, ScanOptions, scan_all_with};
use cutline::walk::walk;

/// A media folder with two JPEGs and a manifest made by `cutline init`.
struct Fixture {
    dir: tempfile::TempDir,
}

impl Fixture {
    fn new() -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        let media = dir.path().join("media");
        fs::create_dir_all(&media).unwrap();
        let jpeg = support::plain_jpeg();
        let other = support::jpeg_insert_segment(&jpeg, 0xEF, b"another picture");
        support::write_files(&media, &[("a.jpg", &jpeg), ("b.jpg", &other)]);
        let f = Fixture { dir };
        let out = f.run(&["init", "media", "-o", "m.json"]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        f
    }

    fn cache_dir(&self) -> PathBuf {
        self.dir.path().join("xdg-cache")
    }

    fn cache_file(&self) -> PathBuf {
        self.cache_dir().join("cutline").join(FILE_NAME)
    }

    fn media(&self, name: &str) -> PathBuf {
        self.dir.path().join("media").join(name)
    }

    fn run(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_cutline"))
            .args(args)
            .current_dir(self.dir.path())
            .env("XDG_CACHE_HOME", self.cache_dir())
            .env("NO_COLOR", "1")
            .env_remove("CI")
            .output()
            .unwrap()
    }

    /// Puts a wrong `sha256` into the cache for `name`, exactly keyed.
    fn plant_wrong_hash(&self, name: &str) {
        let mut c = Cache::open(&self.cache_file()).unwrap();
        let path = self.media(name);
        let id = FileId::new(path.canonicalize().unwrap(), &fs::metadata(&path).unwrap()).unwrap();
        let wrong = Hashes {
            sha256: "00".repeat(32),
            image_sha256: None,
            record: Vec::new(),
        };
        // A `now` well after the file's times: not "racy".
        c.put(&id, &wrong, SystemTime::now() + Duration::from_secs(60));
        assert_eq!(c.flush().unwrap(), 1);
    }
}

fn code(o: &Output) -> i32 {
    o.status.code().unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[test]
fn check_trusts_a_matching_entry_full_and_verify_do_not() {
    let f = Fixture::new();
    // The fixture has no captions: the report has findings, so its
    // stdout, not the exit code, is what stays the same.
    let clean = f.run(&["check", "-m", "m.json"]);
    assert!(!text(&clean.stdout).contains("H001"));
    f.plant_wrong_hash("a.jpg");
    // The planted entry matches path, device, inode, size and times: check
    // takes it, which proves it consults the cache.
    let cached = f.run(&["check", "-m", "m.json"]);
    assert!(
        text(&cached.stdout).contains("H001"),
        "{}",
        text(&cached.stdout)
    );
    let full = f.run(&["check", "-m", "m.json", "--full"]);
    assert_eq!(full.stdout, clean.stdout);
    let verify = f.run(&["verify", "-m", "m.json"]);
    assert_eq!(code(&verify), 0, "{}", text(&verify.stdout));
}

#[test]
fn a_touched_file_misses_the_cache() {
    let f = Fixture::new();
    let clean = f.run(&["check", "-m", "m.json", "--full"]);
    f.plant_wrong_hash("a.jpg");
    // Same bytes, same size, same mtime written back: only ctime moves,
    // and that alone must make the entry a miss.
    let path = f.media("a.jpg");
    let mtime = fs::metadata(&path).unwrap().modified().unwrap();
    std::thread::sleep(Duration::from_millis(20));
    let file = fs::File::options().write(true).open(&path).unwrap();
    file.set_modified(mtime).unwrap();
    drop(file);
    let o = f.run(&["check", "-m", "m.json"]);
    assert_eq!(o.stdout, clean.stdout, "{}", text(&o.stdout));
}

#[test]
fn a_corrupt_cache_is_rebuilt_with_a_warning() {
    let f = Fixture::new();
    let clean = f.run(&["check", "-m", "m.json", "--full"]);
    fs::create_dir_all(f.cache_file().parent().unwrap()).unwrap();
    fs::write(
        f.cache_file(),
        b"this is not a redb database at all, just junk bytes",
    )
    .unwrap();
    let o = f.run(&["check", "-m", "m.json"]);
    assert_eq!(o.stdout, clean.stdout, "same verdict as a full check");
    assert!(text(&o.stderr).contains("rebuilt"), "{}", text(&o.stderr));
    // The rebuilt store opens cleanly.
    assert!(Cache::open(&f.cache_file()).unwrap().rebuilt.is_none());
}

#[test]
fn a_foreign_redb_store_is_rebuilt_with_a_warning() {
    let f = Fixture::new();
    fs::create_dir_all(f.cache_file().parent().unwrap()).unwrap();
    write_foreign_store(&f.cache_file());
    let clean = f.run(&["check", "-m", "m.json", "--full"]);
    let o = f.run(&["check", "-m", "m.json"]);
    assert_eq!(o.stdout, clean.stdout, "same verdict as a full check");
    assert!(
        text(&o.stderr).contains("not a cutline hash cache"),
        "{}",
        text(&o.stderr)
    );
    assert!(Cache::open(&f.cache_file()).unwrap().rebuilt.is_none());
}

/// A valid redb store written by some other program: its own table, no tag.
fn write_foreign_store(path: &Path) {
    const OTHER: redb::TableDefinition<'_, &str, u64> = redb::TableDefinition::new("other");
    let db = redb::Database::create(path).unwrap();
    let tx = db.begin_write().unwrap();
    tx.open_table(OTHER).unwrap().insert("k", &1).unwrap();
    tx.commit().unwrap();
}

#[test]
fn scan_fills_the_cache_and_reads_it_back() {
    let f = Fixture::new();
    let root = f.dir.path().join("media");
    let canonical = root.canonicalize().unwrap();
    let w = walk(&root).unwrap();
    let mut c = Cache::open(&f.cache_file()).unwrap();
    c.set_racy_window(Duration::ZERO);
    let first = scan_all_with(
        &w.entries,
        ScanOptions::default(),
        Hooks {
            cache: Some((&c, &canonical)),
            ..Hooks::default()
        },
    );
    assert_eq!(c.flush().unwrap(), 2);
    assert_eq!(c.len(), 2);
    let again = scan_all_with(
        &w.entries,
        ScanOptions::default(),
        Hooks {
            cache: Some((&c, &canonical)),
            ..Hooks::default()
        },
    );
    for (a, b) in first.iter().zip(&again) {
        assert_eq!(a.sha256, b.sha256);
        assert_eq!(a.image_sha256, b.image_sha256);
        assert!(a.image_sha256.is_some());
    }
    assert_eq!(c.flush().unwrap(), 0, "hits are not written again");
}

/// Puts an entry for `name` holding its true hashes and a record whose
/// caption is `caption`, exactly keyed.
fn plant_record(f: &Fixture, name: &str, caption: &str) {
    let root = f.dir.path().join("media");
    let entry = walk(&root)
        .unwrap()
        .entries
        .into_iter()
        .find(|e| e.rel == name)
        .unwrap();
    let mut s = cutline::scan::scan_file(&entry, ScanOptions::CHECK);
    s.effective_mut().caption = Some(caption.to_owned());
    let h = Hashes {
        sha256: s.sha256.clone().unwrap(),
        image_sha256: s.image_sha256.clone(),
        record: cutline::scan::record::encode(&s, true).unwrap(),
    };
    let path = f.media(name);
    let id = FileId::new(path.canonicalize().unwrap(), &fs::metadata(&path).unwrap()).unwrap();
    let mut c = Cache::open(&f.cache_file()).unwrap();
    c.put(&id, &h, SystemTime::now() + Duration::from_secs(60));
    assert_eq!(c.flush().unwrap(), 1);
}

#[test]
fn check_reads_an_unchanged_file_from_its_cached_record() {
    let f = Fixture::new();
    let full = f.run(&["check", "-m", "m.json", "--full"]);
    assert!(!text(&full.stdout).contains("Caption TK"));
    plant_record(&f, "a.jpg", "Caption TK");
    // The file itself has no caption: only the cached record can say "TK".
    let cached = f.run(&["check", "-m", "m.json"]);
    assert!(
        text(&cached.stdout).contains("TK"),
        "{}",
        text(&cached.stdout)
    );
    let again = f.run(&["check", "-m", "m.json", "--full"]);
    assert_eq!(again.stdout, full.stdout, "--full reads the file");
}

#[test]
fn a_file_with_a_sidecar_is_always_read_again() {
    let f = Fixture::new();
    fs::write(
        f.media("a.jpg.xmp"),
        r#"<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/></x:xmpmeta>"#,
    )
    .unwrap();
    let full = f.run(&["check", "-m", "m.json", "--full"]);
    plant_record(&f, "a.jpg", "Caption TK");
    // The sidecar may have changed without the image's key changing.
    let o = f.run(&["check", "-m", "m.json"]);
    assert_eq!(o.stdout, full.stdout, "{}", text(&o.stdout));
}

#[test]
fn records_written_by_one_check_give_the_next_the_same_report() {
    let f = Fixture::new();
    // Files changed in the last two seconds are not cached ("racy").
    std::thread::sleep(Duration::from_millis(2100));
    let full = f.run(&["check", "-m", "m.json", "--full"]);
    let filling = f.run(&["check", "-m", "m.json"]);
    assert_eq!(filling.stdout, full.stdout);
    let c = Cache::open(&f.cache_file()).unwrap();
    for name in ["a.jpg", "b.jpg"] {
        let path = f.media(name);
        let id = FileId::new(path.canonicalize().unwrap(), &fs::metadata(&path).unwrap()).unwrap();
        let h = c.get(&id).unwrap();
        assert!(!h.record.is_empty(), "{name} has a record");
    }
    drop(c);
    let from_records = f.run(&["check", "-m", "m.json"]);
    assert_eq!(from_records.stdout, full.stdout);
}

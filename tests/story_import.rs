//! The seed article's printed lines laid out as an HTML and a Markdown story: import gives its four items, and check the expected R002/R003 and nothing else.

use std::collections::BTreeMap;
use std::path::Path;

use cutline::check::{Context, check};
use cutline::commands::import::{Options, Source};
use cutline::commands::{Command, Outcome, run};
use cutline::manifest;
use cutline::scan::{ScanOptions, scan_all};
use cutline::walk::walk;

fn fixture() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/seed-article")
}

/// The printed lines, each with its figure: a line printed again right
/// after itself is the same figure printed twice.
fn printed() -> Vec<(String, String)> {
    let text = std::fs::read_to_string(fixture().join("printed.txt")).expect("test step");
    let mut out: Vec<(String, String)> = Vec::new();
    let mut n = 0;
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        if out.last().is_none_or(|(_, prev)| prev != line) {
            n += 1;
        }
        out.push((format!("fig{n}.jpg"), line.to_owned()));
    }
    out
}

fn html_story() -> String {
    let esc = |s: &str| {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    };
    let mut s = String::from(
        "<!DOCTYPE html>\n<html><head><title>Story</title></head><body>\n<img src=\"logo.png\" alt=\"Masthead\">\n<article>\n<p>Body text.</p>\n",
    );
    for (src, line) in printed() {
        s.push_str(&format!(
            "<figure>\n  <img src=\"{src}\" alt=\"\">\n  <figcaption>{}</figcaption>\n</figure>\n",
            esc(&line)
        ));
    }
    s.push_str("</article>\n</body></html>\n");
    s
}

fn markdown_story() -> String {
    let mut s = String::from("# Story\n\nBody text.\n\n");
    for (src, line) in printed() {
        s.push_str(&format!("![]({src})\n{line}\n\n"));
    }
    s
}

fn small_jpeg(path: &Path, shade: u8) {
    let img = image::RgbImage::from_fn(16, 12, |x, y| {
        image::Rgb([shade, (x * 15) as u8, (y * 20) as u8])
    });
    img.save(path).expect("test step");
}

fn import_and_check(story_name: &str, story: &str) {
    let dir = tempfile::tempdir().expect("test step");
    let story_path = dir.path().join(story_name);
    std::fs::write(&story_path, story).expect("test step");
    for i in 1..=4u8 {
        small_jpeg(&dir.path().join(format!("fig{i}.jpg")), 40 * i);
    }
    let m_path = dir.path().join("out/story.json");
    std::fs::create_dir(dir.path().join("out")).expect("test step");
    let mut said = Vec::new();
    let outcome = run(
        &Command::Import(Options {
            source: Source::Story(story_path),
            manifest: m_path.clone(),
            root: None,
            dry_run: false,
        }),
        &mut said,
    )
    .expect("test step");
    let said = String::from_utf8(said).expect("test step");
    assert_eq!(outcome, Outcome::Clean, "{said}");
    for fig in ["fig2.jpg", "fig3.jpg", "fig4.jpg"] {
        assert!(
            said.contains(&format!("note: {fig} printed 2 times; imported once")),
            "{said}"
        );
    }
    assert!(said.contains("created "), "{said}");

    // The manifest is created beside nothing: its root is the story's folder.
    let m = manifest::load(&m_path).expect("test step");
    assert_eq!(m.root.as_deref(), Some(".."));
    let want = manifest::load(&fixture().join("manifest.json")).expect("test step");
    let got: Vec<_> = m
        .items
        .iter()
        .map(|i| (i.path.as_str(), i.caption.as_deref(), i.credit.as_deref()))
        .collect();
    let expected: Vec<_> = want
        .items
        .iter()
        .map(|i| (i.path.as_str(), i.caption.as_deref(), i.credit.as_deref()))
        .collect();
    assert_eq!(got, expected);

    // The check pipeline gives exactly the expected caption/credit findings.
    let root = dir.path().to_path_buf();
    let w = walk(&root).expect("test step");
    let scanned = scan_all(&w.entries, ScanOptions::default());
    let findings = check(&Context {
        manifest: &m,
        manifest_name: "story.json".into(),
        root,
        scanned: &scanned,
    });
    let expected: BTreeMap<String, Vec<String>> = serde_json::from_str(
        &std::fs::read_to_string(fixture().join("expected.json")).expect("test step"),
    )
    .expect("test step");
    let mut got: BTreeMap<String, Vec<String>> =
        expected.keys().map(|k| (k.clone(), Vec::new())).collect();
    for f in &findings {
        let code = f.code.as_str();
        if code.starts_with('C') || code.starts_with('R') {
            got.entry(f.path.clone()).or_default().push(code.to_owned());
        }
    }
    assert_eq!(got, expected, "{findings:#?}");
}

#[test]
fn html_story_gives_the_four_items_and_the_expected_findings() {
    import_and_check("story.html", &html_story());
}

#[test]
fn markdown_story_gives_the_four_items_and_the_expected_findings() {
    import_and_check("story.md", &markdown_story());
}

#[test]
fn importing_the_story_again_changes_nothing_and_dry_run_writes_nothing() {
    let dir = tempfile::tempdir().expect("test step");
    let story = dir.path().join("story.html");
    std::fs::write(&story, html_story()).expect("test step");
    let m_path = dir.path().join("story.json");
    let opts = |dry_run| {
        Command::Import(Options {
            source: Source::Story(story.clone()),
            manifest: m_path.clone(),
            root: None,
            dry_run,
        })
    };
    let mut said = Vec::new();
    run(&opts(true), &mut said).expect("test step");
    let said = String::from_utf8(said).expect("test step");
    assert!(said.contains("dry run: 0 items changed, 4 added"), "{said}");
    assert!(!m_path.exists());
    run(&opts(false), &mut Vec::new()).expect("test step");
    let first = std::fs::read(&m_path).expect("test step");
    let mut again = Vec::new();
    run(&opts(false), &mut again).expect("test step");
    let again = String::from_utf8(again).expect("test step");
    assert!(again.contains("nothing to change; not written"), "{again}");
    assert_eq!(std::fs::read(&m_path).expect("test step"), first);
    let m = manifest::load(&m_path).expect("test step");
    assert_eq!(m.root.as_deref(), Some("."));
}

//! The seed article: a published story's damaged credits must give exactly R002 and R003, and its good ones nothing.

use std::collections::BTreeMap;
use std::path::Path;

use cutline::check::{Context, check};
use cutline::manifest;
use cutline::scan::{ScanOptions, scan_all};
use cutline::walk::walk;

fn small_jpeg(path: &Path, shade: u8) {
    let img = image::RgbImage::from_fn(16, 12, |x, y| {
        image::Rgb([shade, (x * 15) as u8, (y * 20) as u8])
    });
    img.save(path).expect("write jpeg");
}

#[test]
fn seed_article_gives_exactly_the_expected_caption_and_credit_findings() {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/seed-article");
    let dir = tempfile::tempdir().unwrap();
    let m_path = dir.path().join("manifest.json");
    std::fs::copy(fixture.join("manifest.json"), &m_path).unwrap();
    let m = manifest::load(&m_path).unwrap();
    for (i, item) in m.items.iter().enumerate() {
        small_jpeg(&dir.path().join(&item.path), 40 * i as u8);
    }
    let expected: BTreeMap<String, Vec<String>> =
        serde_json::from_str(&std::fs::read_to_string(fixture.join("expected.json")).unwrap())
            .unwrap();

    let w = walk(dir.path()).unwrap();
    let scanned = scan_all(&w.entries, ScanOptions::default());
    let findings = check(&Context {
        manifest: &m,
        manifest_name: "manifest.json".into(),
        root: dir.path().to_path_buf(),
        scanned: &scanned,
    });

    let mut got: BTreeMap<String, Vec<String>> =
        expected.keys().map(|k| (k.clone(), Vec::new())).collect();
    for f in &findings {
        let code = f.code.as_str();
        if code.starts_with('C') || code.starts_with('R') {
            got.entry(f.path.clone()).or_default().push(code.to_owned());
        }
    }
    assert_eq!(got, expected, "all findings: {findings:#?}");
    // Nothing else is wrong with these files: no file, hash or image findings.
    let other: Vec<_> = findings
        .iter()
        .filter(|f| !matches!(f.code.as_str().chars().next(), Some('C' | 'R')))
        .collect();
    assert!(other.is_empty(), "{other:#?}");
}

//! Every policy key, end to end: the bundled example manifest and `media/`, a policy, the findings.

use std::path::{Path, PathBuf};

use cutline::check::{Context, check_with_policy};
use cutline::finding::Finding;
use cutline::manifest::{self, Manifest};
use cutline::policy::Policy;
use cutline::rules::Severity;
use cutline::scan::{ScanOptions, Scanned, scan_all};
use cutline::walk::walk;
use serde_json::{Value, json};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn example() -> Manifest {
    manifest::load(&repo().join("manifests/example.json")).expect("example manifest")
}

fn scanned() -> Vec<Scanned> {
    let w = walk(&repo().join("media")).expect("media/");
    scan_all(&w.entries, ScanOptions::default())
}

fn run(m: &Manifest, policy: Value) -> Vec<Finding> {
    let p = Policy::from_value(&policy, "test").expect("valid policy");
    let s = scanned();
    check_with_policy(
        &Context {
            manifest: m,
            manifest_name: "example.json".into(),
            root: repo().join("media"),
            scanned: &s,
        },
        &p,
    )
}

fn codes(f: &[Finding]) -> Vec<String> {
    f.iter().map(|f| format!("{} {}", f.path, f.code)).collect()
}

fn has(f: &[String], path: &str, code: &str) -> bool {
    f.contains(&format!("{path} {code}"))
}

fn item<'a>(m: &'a mut Manifest, path: &str) -> &'a mut manifest::Item {
    m.items
        .iter_mut()
        .find(|i| i.path == path)
        .expect("item in the example")
}

const BOATS: &str = "harbor/boats-at-dawn.jpg";
const GULLS: &str = "harbor/gulls-over-the-breakwater.jpg";
const SNOW: &str = "weather/snow-on-the-fells.jpg";

#[test]
fn the_example_is_clean_with_and_without_an_empty_policy() {
    assert!(run(&example(), json!({})).is_empty());
}

#[test]
fn required_adds_f001_and_can_drop_caption() {
    let mut m = example();
    let f = run(&m, json!({"required": ["caption", "credit", "alt"]}));
    // Nine items have no `alt`; boats and gulls do.
    assert_eq!(f.iter().filter(|f| f.code.as_str() == "F001").count(), 9);
    assert!(f.iter().all(|f| f.field == Some("alt")));

    // Gulls has no metadata in the file: without a manifest caption it is C001…
    item(&mut m, GULLS).caption = None;
    let with = codes(&run(&m, json!({})));
    assert!(has(&with, GULLS, "C001"), "{with:?}");
    // …unless the policy does not require a caption.
    let only_credit = codes(&run(&m, json!({"required": ["credit"]})));
    assert!(!has(&only_credit, GULLS, "C001"), "{only_credit:?}");
}

#[test]
fn severity_overrides_and_off() {
    let mut m = example();
    item(&mut m, BOATS).credit = Some("Credit TK".into());
    let base = run(&m, json!({}));
    assert!(
        base.iter()
            .any(|f| f.code.as_str() == "R009" && f.severity == Severity::Error)
    );
    assert!(base.iter().any(|f| f.code.as_str() == "R005"));

    let f = run(
        &m,
        json!({"severity": {"R009": "info", "credit-differs-from-embedded": "off"}}),
    );
    let r009 = f.iter().find(|f| f.code.as_str() == "R009").unwrap();
    assert_eq!(r009.severity, Severity::Info);
    assert!(!f.iter().any(|f| f.code.as_str() == "R005"));
}

#[test]
fn caption_length_is_c007() {
    let m = example();
    let f = run(&m, json!({"caption": {"min_length": 90}}));
    let short: Vec<_> = f.iter().filter(|f| f.code.as_str() == "C007").collect();
    assert!(!short.is_empty());
    assert!(short.iter().all(|f| f.severity == Severity::Warning));
    assert!(
        short[0].message.contains("under the house minimum of 90"),
        "{}",
        short[0].message
    );

    let f = run(&m, json!({"caption": {"max_length": 20}}));
    assert_eq!(f.iter().filter(|f| f.code.as_str() == "C007").count(), 11);
    assert!(
        f[0].message.contains("over the house maximum of 20"),
        "{}",
        f[0].message
    );
}

#[test]
fn placeholders_extend_c002_and_r009() {
    let mut m = example();
    item(&mut m, BOATS).caption = Some("Boats at dawn. PIX TO COME".into());
    item(&mut m, SNOW).credit = Some("Staff TBA".into());
    let base = codes(&run(&m, json!({})));
    assert!(!has(&base, BOATS, "C002"));
    assert!(!has(&base, SNOW, "R009"));
    let f = codes(&run(&m, json!({"placeholders": ["pix to come", "tba"]})));
    assert!(has(&f, BOATS, "C002"), "{f:?}");
    assert!(has(&f, SNOW, "R009"), "{f:?}");
}

#[test]
fn credit_patterns_accept_a_house_form() {
    let mut m = example();
    item(&mut m, SNOW).credit = Some("photo tom harker lakeland".into());
    let base = codes(&run(&m, json!({})));
    assert!(has(&base, SNOW, "R004"), "{base:?}");
    let f = codes(&run(&m, json!({"credit_patterns": ["^photo [a-z ]+$"]})));
    assert!(!has(&f, SNOW, "R004"), "{f:?}");
}

#[test]
fn agencies_allow_list_is_r006() {
    let m = example();
    let f = run(
        &m,
        json!({"agencies": ["Northern Wire", "Nordic Press", "Highland Archive",
        "Harbor Authority", "Solent Sports Photo", "Oban Museum"]}),
    );
    let r006: Vec<_> = f.iter().filter(|f| f.code.as_str() == "R006").collect();
    assert_eq!(r006.len(), 1, "{r006:?}");
    assert_eq!(r006[0].path, SNOW);
    assert!(r006[0].message.contains("Lakeland Press"));
}

#[test]
fn unlisted_sets_m002() {
    let mut m = example();
    m.items.retain(|i| i.path != SNOW);
    let m002 = |p: Value| {
        run(&m, p)
            .into_iter()
            .filter(|f| f.code.as_str() == "M002")
            .map(|f| f.severity)
            .collect::<Vec<_>>()
    };
    assert_eq!(m002(json!({})), vec![Severity::Warning]);
    assert_eq!(m002(json!({"unlisted": "error"})), vec![Severity::Error]);
    assert_eq!(m002(json!({"unlisted": "info"})), vec![Severity::Info]);
    assert!(m002(json!({"unlisted": "off"})).is_empty());
}

#[test]
fn ignore_skips_disk_and_manifest() {
    let mut m = example();
    m.items.retain(|i| i.path != SNOW);
    item(&mut m, BOATS).credit = Some("Credit TK".into());
    let f = codes(&run(
        &m,
        json!({"ignore": ["weather/**", "harbor/boats-*.jpg"]}),
    ));
    assert!(f.is_empty(), "{f:?}");
}

#[test]
fn a_policy_file_overrides_the_manifest() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("house.json");
    std::fs::write(&file, r#"{"severity": {"R009": "warning"}}"#).unwrap();
    let over = Policy::from_file(&file).unwrap();
    let p = Policy::for_manifest(
        Some(&json!({"severity": {"R009": "info", "R004": "error"}})),
        "m.json",
        Some(&over),
    )
    .unwrap();
    let r = |c: &str| p.level(c.parse().unwrap());
    assert_eq!(
        r("R009"),
        Some(cutline::policy::Level::Report(Severity::Warning))
    );
    assert_eq!(
        r("R004"),
        Some(cutline::policy::Level::Report(Severity::Error))
    );
    assert!(Policy::from_file(Path::new("no/such/policy.json")).is_err());
}

#[test]
fn the_examples_in_docs_policy_md_are_valid() {
    let doc = std::fs::read_to_string(repo().join("docs/policy.md")).unwrap();
    let blocks: Vec<&str> = doc
        .split("```json\n")
        .skip(1)
        .map(|b| b.split("```").next().unwrap())
        .collect();
    assert_eq!(blocks.len(), 2, "a newsroom and an archive");
    for b in blocks {
        let v: Value = serde_json::from_str(b).unwrap();
        Policy::from_value(&v, "docs/policy.md").unwrap();
    }
}

#[test]
fn a_bad_manifest_policy_is_refused_with_the_manifest_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("story.json");
    std::fs::write(
        &path,
        "{\n  \"cutline\": 1,\n  \"policy\": {\n    \"severity\": {\"R004\": \"error\", \"credit-style\": \"off\"}\n  },\n  \"items\": []\n}\n",
    )
    .unwrap();
    // The manifest loader accepts it (no key repeats); the policy refuses it.
    let m = manifest::load(&path).unwrap();
    let origin = path.display().to_string();
    let e = Policy::for_manifest(m.policy.as_ref(), &origin, None).unwrap_err();
    assert_eq!(
        e.to_string(),
        format!(
            "{origin}:4:48: `policy`: policy `severity` names R004 twice, as `R004` and as `credit-style`"
        )
    );
}

#[test]
fn a_fixed_code_in_a_manifest_policy_is_refused() {
    let e = Policy::for_manifest(
        Some(&json!({"severity": {"B009": "off"}})),
        "no/such/manifest.json",
        None,
    )
    .unwrap_err();
    // No file to find the line in: the manifest and `policy` are named.
    assert_eq!(
        e.to_string(),
        "no/such/manifest.json: `policy`: policy `severity` cannot change `B009`: \
         B009 bag-checksum-mismatch decides validity, which is not house style"
    );
}

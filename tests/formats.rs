//! The CI formats of `check` on the needs-work demo hold what their consumers need: well-formed XML, one SARIF result per finding, one annotation per finding.

use serde_json::Value;

/// `cutline check -m manifests/demo/needs-work.json --format FORMAT`, from
/// the repository root (the snapshots themselves have `\\` normalized to `/`
/// by trycmd, so they are not parsed here).
fn snapshot(format: &str) -> String {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_cutline"))
        .args([
            "check",
            "-m",
            "manifests/demo/needs-work.json",
            "--format",
            format,
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("NO_COLOR")
        .output()
        .expect("cutline runs");
    assert_eq!(out.status.code(), Some(1));
    String::from_utf8(out.stdout).expect("UTF-8")
}

fn finding_count() -> usize {
    let json: Value = serde_json::from_str(&snapshot("json")).expect("json");
    json["findings"].as_array().expect("findings").len()
}

#[test]
fn junit_is_well_formed_with_a_testcase_per_item() {
    let text = snapshot("junit");
    let doc = roxmltree::Document::parse(&text).expect("well-formed XML");
    let suites: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("testsuite"))
        .collect();
    assert_eq!(suites.len(), 1);
    let cases = doc
        .descendants()
        .filter(|n| n.has_tag_name("testcase"))
        .count();
    assert_eq!(
        suites[0].attribute("tests"),
        Some(cases.to_string().as_str())
    );
    assert!(cases >= 14, "14 items in needs-work.json");
    assert!(doc.descendants().any(|n| n.has_tag_name("failure")));
}

#[test]
fn sarif_has_one_result_per_finding_and_the_catalogue() {
    let sarif: Value = serde_json::from_str(&snapshot("sarif")).expect("json");
    assert_eq!(sarif["version"], "2.1.0");
    let run = &sarif["runs"][0];
    assert_eq!(
        run["results"].as_array().expect("results").len(),
        finding_count()
    );
    let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
    // The rules `check` can emit, and no other.
    let check_codes: Vec<&str> = cutline::rules::Code::ALL
        .iter()
        .filter(|c| c.commands().contains(&cutline::rules::Command::Check))
        .map(|c| c.as_str())
        .collect();
    let ids: Vec<&str> = rules
        .iter()
        .map(|r| r["id"].as_str().expect("id"))
        .collect();
    assert_eq!(ids, check_codes);
    for r in run["results"].as_array().expect("results") {
        let loc = &r["locations"][0]["physicalLocation"]["artifactLocation"];
        assert_eq!(loc["uriBaseId"], "%SRCROOT%");
        let uri = loc["uri"].as_str().expect("uri");
        assert!(
            uri.starts_with("media/") || uri.starts_with("manifests/"),
            "{uri}"
        );
        let i = r["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(rules[i]["id"], r["ruleId"]);
    }
}

#[test]
fn github_has_one_annotation_per_finding() {
    let text = snapshot("github");
    let annotations = text
        .lines()
        .filter(|l| {
            l.starts_with("::error ") || l.starts_with("::warning ") || l.starts_with("::notice ")
        })
        .count();
    assert_eq!(annotations, finding_count());
}

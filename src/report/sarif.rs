//! The SARIF 2.1.0 report: one run, the rule catalogue as `tool.driver.rules`, one result per finding.

use std::io;

use serde_json::{Value, json};

use crate::report::location::{locate, uri_path};
use crate::report::{Report, Run};
use sha2::{Digest, Sha256};

use crate::finding::Finding;
use crate::rules::{Code, Command, Severity};

/// The project's home (Cargo.toml `repository`), empty while it has none.
/// SARIF wants absolute URIs for `helpUri` and `informationUri`, so they
/// are written only when it is set (see docs/ci.md).
pub const REPOSITORY: &str = env!("CARGO_PKG_REPOSITORY");

/// The rules document, relative to the repository; `#` and the code follow.
pub const RULES_DOC: &str = "docs/rules.md";

/// Writes the run as a SARIF 2.1.0 log (OASIS SARIF 2.1.0, §3.13 sarifLog).
#[derive(Debug, Clone, Copy)]
pub struct Sarif;

/// SARIF levels (§3.27.10): `note` is SARIF's word for info.
fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// The codes `command` can emit, in catalogue order: SARIF's
/// `tool.driver.rules` and each result's `ruleIndex` into it.
fn codes_of(command: Command) -> Vec<Code> {
    Code::ALL
        .iter()
        .copied()
        .filter(|c| c.commands().contains(&command))
        .collect()
}

fn rules(codes: &[Code]) -> Vec<Value> {
    codes
        .iter()
        .map(|c| {
            let mut rule = json!({
                "id": c.as_str(),
                "name": c.rule(),
                "shortDescription": { "text": c.summary() },
                "defaultConfiguration": { "level": level(c.default_severity()) },
                "help": { "text": format!("See {RULES_DOC}#{} in the cutline repository.", c.as_str()) },
            });
            if let (Some(uri), Some(map)) = (home(&format!("blob/HEAD/{RULES_DOC}#{}", c.as_str())), rule.as_object_mut()) {
                map.insert("helpUri".to_owned(), Value::String(uri));
            }
            rule
        })
        .collect()
}

impl Report for Sarif {
    fn report(&self, run: &Run, out: &mut dyn io::Write) -> io::Result<()> {
        let cwd = std::env::current_dir().ok();
        let codes = codes_of(run.command);
        let results: Vec<Value> = run
            .findings
            .iter()
            .map(|f| {
                let loc = locate(run, f, cwd.as_deref());
                let artifact = if loc.relative {
                    json!({ "uri": uri_path(&loc.path), "uriBaseId": "%SRCROOT%" })
                } else {
                    json!({ "uri": format!("file://{}", uri_path(&loc.path)) })
                };
                let mut message = f.message.clone();
                if !message.ends_with('.') {
                    message.push('.');
                }
                let mut properties =
                    json!({ "manifest": f.manifest, "path": f.path, "rule": f.rule });
                for (k, v) in [
                    ("field", f.field.map(str::to_owned)),
                    ("expected", f.expected.clone()),
                    ("actual", f.actual.clone()),
                ] {
                    if let (Some(v), Some(map)) = (v, properties.as_object_mut()) {
                        map.insert(k.to_owned(), Value::String(v));
                    }
                }
                let mut physical = json!({ "artifactLocation": artifact });
                if let (Some(n), Some(map)) = (f.line, physical.as_object_mut()) {
                    map.insert("region".to_owned(), json!({ "startLine": n }));
                }
                json!({
                    "ruleId": f.code.as_str(),
                    "ruleIndex": codes.iter().position(|c| *c == f.code),
                    "level": level(f.severity),
                    "message": { "text": message },
                    "locations": [{ "physicalLocation": physical }],
                    "partialFingerprints": { FINGERPRINT: fingerprint(f) },
                    "properties": properties,
                })
            })
            .collect();
        let mut driver = json!({
            "name": "cutline",
            "version": env!("CARGO_PKG_VERSION"),
            "semanticVersion": env!("CARGO_PKG_VERSION"),
            "rules": rules(&codes),
        });
        if let (Some(uri), Some(map)) = (home(""), driver.as_object_mut()) {
            map.insert("informationUri".to_owned(), Value::String(uri));
        }
        let log = json!({
            "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
            "version": "2.1.0",
            "runs": [{
                "tool": { "driver": driver },
                "columnKind": "unicodeCodePoints",
                "results": results,
            }],
        });
        serde_json::to_writer_pretty(&mut *out, &log)?;
        writeln!(out)
    }
}

/// The key of cutline's fingerprint in `partialFingerprints` (SARIF 2.1.0
/// §3.27.17: a versioned name, so a new recipe never matches an old one).
const FINGERPRINT: &str = "cutlineFinding/v1";

/// What identifies a finding across runs, whatever moved around it: its
/// code, what it belongs to, its path and field, hashed. Not the line (an
/// edit above moves it) nor the message (its wording may improve), so a
/// dashboard keeps one alert open across runs.
fn fingerprint(f: &Finding) -> String {
    let mut h = Sha256::new();
    for part in [
        f.code.as_str(),
        f.manifest.as_str(),
        f.path.as_str(),
        f.field.unwrap_or(""),
    ] {
        h.update(part.as_bytes());
        h.update([0]);
    }
    hex::encode(&h.finalize()[..16])
}

/// An absolute URI under the project's home, if it has one.
fn home(rest: &str) -> Option<String> {
    (!REPOSITORY.is_empty()).then(|| format!("{}/{rest}", REPOSITORY.trim_end_matches('/')))
}

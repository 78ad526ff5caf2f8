//! The JSON report: `{"version":2,"command":…,"summary":{…},"manifests":[…],"files":[…],"findings":[…]}`, one document, for machines.

use std::io;

use serde::Serialize;

use crate::finding::Finding;
use crate::report::{ManifestRun, Report, Run, Summary, Verdict};
use crate::rules::Command;

/// The wire version of this document; bumped on any incompatible change
/// (docs/ci.md lists what each version changed).
pub const VERSION: u32 = 2;

/// Writes the run as one JSON document.
#[derive(Debug, Clone, Copy)]
pub struct Json;

#[derive(Serialize)]
struct Wire<'a> {
    version: u32,
    command: Command,
    summary: Summary,
    manifests: &'a [ManifestRun],
    /// Each file's one verdict, for the commands that classify files.
    #[serde(skip_serializing_if = "Option::is_none")]
    files: Option<Vec<Verdict<'a>>>,
    findings: &'a [Finding],
}

impl Report for Json {
    fn report(&self, run: &Run, out: &mut dyn io::Write) -> io::Result<()> {
        let wire = Wire {
            version: VERSION,
            command: run.command,
            summary: run.summary(),
            manifests: &run.manifests,
            files: run.classifies().then(|| run.verdicts().collect()),
            findings: &run.findings,
        };
        serde_json::to_writer_pretty(&mut *out, &wire)?;
        writeln!(out)
    }
}

//! The JSON report: `{"version":1,"summary":{…},"findings":[…]}`, one document, for machines.

use std::io;

use serde::Serialize;

use crate::finding::Finding;
use crate::report::{CheckRun, ManifestRun, Report, Summary};

/// The wire version of this document; bumped on any incompatible change.
pub const VERSION: u32 = 1;

/// Writes the run as one JSON document.
#[derive(Debug, Clone, Copy)]
pub struct Json;

#[derive(Serialize)]
struct Wire<'a> {
    version: u32,
    summary: Summary,
    manifests: &'a [ManifestRun],
    findings: &'a [Finding],
}

impl Report for Json {
    fn report(&self, run: &CheckRun, out: &mut dyn io::Write) -> io::Result<()> {
        let wire = Wire {
            version: VERSION,
            summary: run.summary(),
            manifests: &run.manifests,
            findings: &run.findings,
        };
        serde_json::to_writer_pretty(&mut *out, &wire)?;
        writeln!(out)
    }
}

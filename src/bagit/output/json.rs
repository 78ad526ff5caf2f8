//! The bag report as one JSON document, versioned.

use std::io::{self, Write};

use serde::Serialize;

use super::{BagReport, counts};
use crate::bagit::{Problem, Validation};

/// The wire version of the bag report; bumped on any incompatible change.
pub const VERSION: u32 = 1;

/// The JSON report.
pub struct Json;

#[derive(Serialize)]
struct Wire<'a> {
    version: u32,
    bag: String,
    bagit_version: Option<&'a str>,
    valid: bool,
    fast: bool,
    checksums_verified: usize,
    payload_manifests: Vec<&'static str>,
    payload_files: u64,
    payload_bytes: u64,
    errors: usize,
    warnings: usize,
    info: usize,
    exit_code: u8,
    problems: &'a [Problem],
}

impl BagReport for Json {
    fn write(&self, v: &Validation, out: &mut dyn Write) -> io::Result<()> {
        let [errors, warnings, info] = counts(v);
        let wire = Wire {
            version: VERSION,
            bag: v.bag.display().to_string(),
            bagit_version: v.version.as_deref(),
            valid: v.is_valid(),
            fast: v.fast,
            checksums_verified: v.checksums_verified,
            payload_manifests: v.algorithms.iter().map(|a| a.name()).collect(),
            payload_files: v.payload_files,
            payload_bytes: v.payload_bytes,
            errors,
            warnings,
            info,
            exit_code: u8::from(!v.is_valid()),
            problems: &v.problems,
        };
        serde_json::to_writer_pretty(&mut *out, &wire)?;
        writeln!(out)
    }
}

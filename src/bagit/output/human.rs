//! The bag report for a person: one line per problem as `file:line`, then a verdict that says what was and was not proved.

use std::io::{self, Write};

use super::{BagReport, counts};
use crate::bagit::Validation;
use crate::sanitize::for_terminal;

/// The human report.
pub struct Human;

impl BagReport for Human {
    fn write(&self, v: &Validation, out: &mut dyn Write) -> io::Result<()> {
        let algs: Vec<&str> = v.algorithms.iter().map(|a| a.name()).collect();
        writeln!(
            out,
            "bag {} (BagIt {}; payload manifests: {}; {} files, {} bytes in data/)",
            for_terminal(&v.bag.display().to_string()),
            v.version.as_deref().unwrap_or("?"),
            if algs.is_empty() {
                "none".to_owned()
            } else {
                algs.join(", ")
            },
            v.payload_files,
            v.payload_bytes
        )?;
        for p in &v.problems {
            writeln!(
                out,
                "  {:<7} {:<17} {}: {}",
                p.severity.name(),
                p.kind.name(),
                for_terminal(&p.location()),
                for_terminal(&p.message)
            )?;
        }
        let [e, w, i] = counts(v);
        let tally = format!("{e} errors, {w} warnings, {i} info");
        let code = u8::from(!v.is_valid());
        match (v.is_valid(), v.fast) {
            (true, false) => writeln!(
                out,
                "ok: bag is valid: complete, and {} checksums verified; {tally} → exit {code}",
                v.checksums_verified
            ),
            (true, true) => writeln!(
                out,
                "ok: bag is complete and its Payload-Oxum matches; --fast verified NO checksum, so the file contents are not proved; {tally} → exit {code}"
            ),
            (false, false) => writeln!(out, "FAIL: bag is not valid; {tally} → exit {code}"),
            (false, true) => writeln!(
                out,
                "FAIL: bag is not complete (--fast: no checksum was verified); {tally} → exit {code}"
            ),
        }
    }
}

//! `cutline bag --from DIR OUT` (make a BagIt bag) and `cutline verify --bag DIR` (validate one per RFC 8493).

use std::io::Write;
use std::path::PathBuf;

use crate::bagit::create::{self, CreateOptions};
use crate::bagit::validate;
use crate::commands::{Outcome, print_run, stdout_error};
use crate::error::Error;
use crate::report::{Format, ManifestRun, Run};
use crate::rules::{Command, Severity};
use crate::sanitize::for_terminal;

/// Options of `cutline bag`.
pub type Options = CreateOptions;

/// Makes the bag and says what it holds.
pub fn run(o: &Options, out: &mut dyn Write) -> Result<Outcome, Error> {
    let made = create::create(o)?;
    writeln!(
        out,
        "made bag {} from {}: {} files, {} bytes {} into data/; manifests sha256 and sha512, tag manifests, bag-info.txt with Payload-Oxum {}.{}",
        for_terminal(&o.out.display().to_string()),
        for_terminal(&o.from.display().to_string()),
        made.files,
        made.bytes,
        if o.link { "hard-linked" } else { "copied" },
        made.bytes,
        made.files
    )
    .map_err(stdout_error)?;
    Ok(Outcome::Clean)
}

/// Options of `cutline verify --bag DIR`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifyOptions {
    /// The bag folder.
    pub bag: PathBuf,
    /// Payload-Oxum and completeness only; no checksum computed.
    pub fast: bool,
    /// The report format.
    pub format: Format,
}

/// Validates the bag; exit 0 only when it is valid (complete, with `--fast`).
pub fn verify(o: &VerifyOptions, out: &mut dyn Write) -> Result<Outcome, Error> {
    let v = validate(&o.bag, o.fast)?;
    let name = v.bag.display().to_string();
    let algs: Vec<&str> = v.algorithms.iter().map(|a| a.name()).collect();
    let mut note = format!(
        "BagIt {}; payload manifests: {}; {} bytes in data/",
        v.version.as_deref().unwrap_or("?"),
        if algs.is_empty() {
            "none".to_owned()
        } else {
            algs.join(", ")
        },
        v.payload_bytes
    );
    // Say what was and was not proved: `--fast` proves no checksum.
    note.push_str(&match (v.is_valid(), v.fast) {
        (true, false) => format!(
            "; valid: complete, and {} checksums verified",
            v.checksums_verified
        ),
        (true, true) => "; complete, and its Payload-Oxum matches; --fast verified NO checksum, so the file contents are not proved".to_owned(),
        (false, false) => "; NOT valid".to_owned(),
        (false, true) => "; NOT complete (--fast: no checksum was verified)".to_owned(),
    });
    let mut run = Run::new(Command::VerifyBag, Severity::Error);
    run.manifests.push(ManifestRun {
        manifest: name.clone(),
        root: name.clone(),
        items: 0,
        files: usize::try_from(v.payload_files).unwrap_or(usize::MAX),
        paths: Vec::new(),
        note: Some(note),
        verdicts: Vec::new(),
    });
    run.findings = v.problems.iter().map(|p| p.finding(&name)).collect();
    print_run(&run, o.format, false, out)
}

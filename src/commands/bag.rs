//! `cutline bag --from DIR OUT` (make a BagIt bag) and `cutline verify --bag DIR` (validate one per RFC 8493).

use std::io::Write;
use std::path::PathBuf;

use crate::bagit::create::{self, CreateOptions};
use crate::bagit::output::{BagReport, human::Human, json::Json};
use crate::bagit::validate;
use crate::commands::{Outcome, stdout_error};
use crate::error::Error;
use crate::report::Format;
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
    let reporter: &dyn BagReport = match o.format {
        Format::Human => &Human,
        Format::Json => &Json,
    };
    reporter.write(&v, out).map_err(stdout_error)?;
    Ok(if v.is_valid() {
        Outcome::Clean
    } else {
        Outcome::Findings
    })
}

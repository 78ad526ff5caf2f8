//! The commands: each takes validated options, does its job and says how the run ended.

pub mod bag;
pub mod check;
pub mod export;
pub mod import;
pub mod init;
pub mod report;
pub mod scan;
mod scans;
pub mod sums;
pub mod update;
pub mod verify;

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use crate::error::Error;

/// A command with its validated options.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// `cutline scan`.
    Scan(scan::Options),
    /// `cutline init`.
    Init(init::Options),
    /// `cutline check`.
    Check(check::Options),
    /// `cutline verify`.
    Verify(verify::Options),
    /// `cutline update`.
    Update(update::Options),
    /// `cutline bag --from DIR OUT`.
    Bag(bag::Options),
    /// `cutline verify --bag DIR`.
    VerifyBag(bag::VerifyOptions),
    /// `cutline verify --sums FILE`.
    VerifySums(sums::VerifyOptions),
    /// `cutline scan --sums ROOT`.
    ScanSums(PathBuf),
    /// `cutline report --html OUT`.
    Report(report::Options),
    /// `cutline export`.
    Export(export::Options),
    /// `cutline import`.
    Import(import::Options),
}

/// How a command ended, as an exit code (0 clean, 1 findings at or above
/// `--fail-on`; 2, could not run, is an `Err`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Nothing to report at the failing level.
    Clean,
    /// Findings at or above the failing level.
    Findings,
}

impl Outcome {
    /// The process exit code.
    pub fn code(self) -> u8 {
        match self {
            Outcome::Clean => 0,
            Outcome::Findings => 1,
        }
    }
}

/// Runs `cmd`, writing its report to `out`.
pub fn run(cmd: &Command, out: &mut dyn Write) -> Result<Outcome, Error> {
    match cmd {
        Command::Scan(o) => scan::run(o, out),
        Command::Init(o) => init::run(o, out),
        Command::Check(o) => check::run(o, out),
        Command::Verify(o) => verify::run(o, out),
        Command::Update(o) => update::run(o, out),
        Command::Bag(o) => bag::run(o, out),
        Command::VerifyBag(o) => bag::verify(o, out),
        Command::VerifySums(o) => sums::verify(o, out),
        Command::ScanSums(root) => sums::write(root, out),
        Command::Report(o) => report::run(o, out),
        Command::Export(o) => export::run(o, out),
        Command::Import(o) => import::run(o, out),
    }
}

/// Prints `run` in `format` and says how it ended: the last step of every
/// command that reports findings (docs/design.md §5).
pub(crate) fn print_run(
    run: &crate::report::Run,
    format: crate::report::Format,
    color: bool,
    out: &mut dyn Write,
) -> Result<Outcome, Error> {
    crate::report::reporter(format, color)
        .report(run, out)
        .map_err(stdout_error)?;
    Ok(if run.failed() {
        Outcome::Findings
    } else {
        Outcome::Clean
    })
}

/// Frees `value` on a thread of its own and returns at once.
///
/// A run's manifests, file records and verdicts are tens of thousands of
/// small allocations; freed one by one on the way out they took about a
/// tenth of a cached `check` of 20 000 files (docs/performance.md, "One
/// verdict per file"). Nothing waits for that thread: the process may exit
/// first (the memory goes back to the system with it), and in a
/// long-lived caller (a test) the values are freed a moment later. If no
/// thread can be started, `value` is freed here.
pub(crate) fn free_later<T: Send + 'static>(value: T) {
    // `spawn` hands the closure back to be dropped when it fails, and the
    // value with it.
    let _ = std::thread::Builder::new()
        .name("cutline-free".to_owned())
        .spawn(move || drop(value));
}

/// Names on standard error every place a walk left out
/// (`cutline: skipped REL: why`) and says whether any may hide a file
/// ([`crate::walk::ProblemKind::is_hole`]): a run with such a hole must
/// not pass as complete, so the commands that list a folder exit 1 for it,
/// as `scan` does.
pub(crate) fn report_skipped(skipped: &[crate::walk::Problem]) -> bool {
    for p in skipped {
        eprintln!(
            "cutline: skipped {}: {}",
            crate::sanitize::for_terminal(p.shown()),
            crate::sanitize::for_terminal(&p.to_string())
        );
    }
    skipped.iter().any(|p| p.kind.is_hole())
}

/// Wraps an output error with the stream's name.
pub(crate) fn stdout_error(source: io::Error) -> Error {
    Error::Io {
        path: PathBuf::from("-"),
        source,
    }
}

/// The folder a manifest's `root` is relative to: the manifest file's own.
pub(crate) fn manifest_dir(manifest: &Path) -> PathBuf {
    manifest
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

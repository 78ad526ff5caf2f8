//! `cutline scan`: an inventory of a folder, as a table or as JSON Lines (docs/design.md §4).

use std::io::Write;
use std::path::PathBuf;

use crate::commands::{Outcome, report_skipped, stdout_error};
use crate::error::Error;
use crate::progress::Progress;
use crate::sanitize::for_terminal;
use crate::scan::{Hooks, ScanOptions, Scanned, scan_all_with};
use crate::walk::walk;

/// Options of `cutline scan`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// The folder to scan.
    pub root: PathBuf,
    /// JSON Lines instead of a table.
    pub json: bool,
    /// Skip hashing (metadata only).
    pub no_hash: bool,
}

/// Scans `root` and prints one record per file.
pub fn run(o: &Options, out: &mut dyn Write) -> Result<Outcome, Error> {
    let w = walk(&o.root)?;
    let progress = Progress::new(w.entries.len() as u64);
    let hooks = Hooks {
        cache: None,
        progress: Some(&progress),
        recorded: None,
    };
    let records = scan_all_with(
        &w.entries,
        ScanOptions {
            hash: !o.no_hash,
            ..ScanOptions::default()
        },
        hooks,
    );
    progress.finish();
    if o.json {
        for r in &records {
            serde_json::to_writer(&mut *out, r).map_err(|e| stdout_error(e.into()))?;
            writeln!(out).map_err(stdout_error)?;
        }
    } else {
        table(&records, out).map_err(stdout_error)?;
    }
    // An inventory with holes must not pass as complete: a folder or file
    // that could not be read makes the exit code 1 (the listing still runs).
    let unreadable = report_skipped(&w.skipped)
        || records
            .iter()
            .any(|r| matches!(r.error, Some(crate::scan::ReadError::Io(_))));
    Ok(if unreadable {
        Outcome::Findings
    } else {
        Outcome::Clean
    })
}

fn table(records: &[Scanned], out: &mut dyn Write) -> std::io::Result<()> {
    writeln!(
        out,
        "{:<36} {:<5} {:>11} {:>9}  {:<40} credit",
        "path", "type", "size(px)", "bytes", "caption"
    )?;
    for r in records {
        let dims = match (r.width, r.height) {
            (Some(w), Some(h)) => format!("{w}×{h}"),
            _ => "-".to_owned(),
        };
        let format = r.format.map_or("?", |f| f.name());
        let (caption, credit) = match &r.error {
            Some(e) => (format!("error: {e}"), String::new()),
            None => (
                r.effective().caption.clone().unwrap_or_default(),
                r.effective().credit.clone().unwrap_or_default(),
            ),
        };
        writeln!(
            out,
            "{:<36} {:<5} {:>11} {:>9}  {:<40} {}",
            for_terminal(&clip(&r.path, 36)),
            format,
            dims,
            r.size,
            for_terminal(&clip(&caption, 40)),
            for_terminal(&clip(&credit, 32)),
        )?;
    }
    Ok(())
}

/// At most `n` characters, with `…` where cut.
fn clip(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        return s.to_owned();
    }
    let mut t: String = s.chars().take(n.saturating_sub(1)).collect();
    t.push('…');
    t
}

//! The GitHub Actions report: one `::error`/`::warning`/`::notice` workflow command per finding, escaped as GitHub documents.

use std::io;

use crate::report::location::locate;
use crate::report::{Report, Run};
use crate::rules::Severity;
use crate::sanitize::for_terminal;

/// Writes findings as GitHub Actions workflow commands, which the runner
/// turns into annotations on the files.
#[derive(Debug, Clone, Copy)]
pub struct Github;

impl Report for Github {
    fn report(&self, run: &Run, out: &mut dyn io::Write) -> io::Result<()> {
        let cwd = std::env::current_dir().ok();
        for f in &run.findings {
            let command = match f.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info => "notice",
            };
            let loc = locate(run, f, cwd.as_deref());
            let line = f.line.map_or_else(String::new, |n| format!(",line={n}"));
            writeln!(
                out,
                "::{command} file={}{line},title={}::{}",
                property(&loc.path),
                property(&format!("{} {}", f.code, f.rule)),
                data(&for_terminal(&f.message))
            )?;
        }
        let s = run.summary();
        writeln!(
            out,
            "cutline: {} errors, {} warnings, {} info (failing at {} and above) → exit {}",
            s.errors, s.warnings, s.info, run.fail_on, s.exit_code
        )
    }
}

/// Escapes a message (GitHub's `escapeData`): `%`, CR and LF.
pub fn data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value (GitHub's `escapeProperty`): as [`data`], and `:` and `,`.
pub fn property(s: &str) -> String {
    data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping() {
        assert_eq!(data("50% done\r\nnext"), "50%25 done%0D%0Anext");
        assert_eq!(property("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
        assert_eq!(data("a:b,c"), "a:b,c");
    }
}

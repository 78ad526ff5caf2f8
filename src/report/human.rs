//! The human report: findings grouped by manifest and file, then one summary line.

use std::io;

use anstyle::{AnsiColor, Style};

use crate::report::{CheckRun, Report};
use crate::rules::Severity;
use crate::sanitize::for_terminal;

/// Writes the run for a person reading a terminal.
#[derive(Debug, Clone, Copy)]
pub struct Human {
    /// Colour the severity word (ANSI SGR); nothing else is coloured.
    pub color: bool,
}

impl Report for Human {
    fn report(&self, run: &CheckRun, out: &mut dyn io::Write) -> io::Result<()> {
        for m in &run.manifests {
            let findings: Vec<_> = run
                .findings
                .iter()
                .filter(|f| f.manifest == m.manifest)
                .collect();
            writeln!(
                out,
                "{} → {} ({} items, {} images on disk): {}",
                for_terminal(&m.manifest),
                for_terminal(&m.root),
                m.items,
                m.files,
                if findings.is_empty() {
                    "all clear".to_owned()
                } else {
                    plural(findings.len(), "finding")
                }
            )?;
            let mut last_path: Option<&str> = None;
            for f in findings {
                if last_path != Some(f.path.as_str()) {
                    writeln!(out, "  {}", for_terminal(&f.path))?;
                    last_path = Some(&f.path);
                }
                let (on, off) = if self.color {
                    let style = severity_style(f.severity);
                    (style.render().to_string(), style.render_reset().to_string())
                } else {
                    (String::new(), String::new())
                };
                writeln!(
                    out,
                    "    {on}{}{off}{:pad$} {} {:<30} {}",
                    f.severity.name(),
                    "",
                    f.code,
                    f.rule,
                    for_terminal(&f.message),
                    pad = 7usize.saturating_sub(f.severity.name().len())
                )?;
                if let (Some(e), Some(a)) = (&f.expected, &f.actual) {
                    writeln!(out, "{:>12}manifest: {}", "", for_terminal(e))?;
                    writeln!(out, "{:>12}file:     {}", "", for_terminal(a))?;
                }
            }
        }
        let s = run.summary();
        writeln!(
            out,
            "{}: {}, {} items, {} images; {}, {}, {} (failing at {} and above) → exit {}",
            if run.failed() { "FAIL" } else { "ok" },
            plural(s.manifests, "manifest"),
            s.items,
            s.files,
            plural(s.errors, "error"),
            plural(s.warnings, "warning"),
            plural(s.info, "info"),
            run.fail_on,
            s.exit_code
        )
    }
}

/// Red errors, yellow warnings, cyan info, in bold.
fn severity_style(s: Severity) -> Style {
    let color = match s {
        Severity::Error => AnsiColor::Red,
        Severity::Warning => AnsiColor::Yellow,
        Severity::Info => AnsiColor::Cyan,
    };
    Style::new().fg_color(Some(color.into())).bold()
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 || word == "info" {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}

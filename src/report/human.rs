//! The human report: findings grouped by manifest (bag, checksum file) and file, each manifest's verdict tally, then one summary line.

use std::io;

use anstyle::{AnsiColor, Style};

use crate::fixity::{self, FileState};
use crate::report::{Report, Run};
use crate::rules::Severity;
use crate::sanitize::for_terminal;

/// Writes the run for a person reading a terminal.
#[derive(Debug, Clone, Copy)]
pub struct Human {
    /// Colour the severity word (ANSI SGR); nothing else is coloured.
    pub color: bool,
}

impl Report for Human {
    fn report(&self, run: &Run, out: &mut dyn io::Write) -> io::Result<()> {
        for m in &run.manifests {
            let findings: Vec<_> = run
                .findings
                .iter()
                .filter(|f| f.manifest == m.manifest)
                .collect();
            let (_, items, files) = run.nouns();
            let counted = match items {
                Some(noun) => format!("{} {noun}, {} {files}", m.items, m.files),
                None => format!("{} {files}", m.files),
            };
            let place = if m.root == m.manifest {
                for_terminal(&m.manifest)
            } else {
                format!("{} → {}", for_terminal(&m.manifest), for_terminal(&m.root))
            };
            writeln!(
                out,
                "{place} ({counted}): {}",
                if findings.is_empty() {
                    "all clear".to_owned()
                } else {
                    plural(findings.len(), "finding")
                }
            )?;
            if let Some(note) = &m.note {
                writeln!(out, "  {}", for_terminal(note))?;
            }
            let mut last_path: Option<&str> = None;
            if run.classifies() {
                writeln!(
                    out,
                    "  {}: {}",
                    plural(m.verdicts.len(), "file"),
                    tally_line(&m.verdicts)
                )?;
            }
            for f in findings {
                if last_path != Some(f.path.as_str()) {
                    let shown = if f.path.is_empty() {
                        for_terminal(&m.manifest)
                    } else {
                        for_terminal(&f.path)
                    };
                    writeln!(out, "  {shown}")?;
                    last_path = Some(&f.path);
                }
                let (on, off) = if self.color {
                    let style = severity_style(f.severity);
                    (style.render().to_string(), style.render_reset().to_string())
                } else {
                    (String::new(), String::new())
                };
                let line = f.line.map_or_else(String::new, |n| format!("line {n}: "));
                writeln!(
                    out,
                    "    {on}{}{off}{:pad$} {} {:<30} {line}{}",
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
        let (subject, items, files) = run.nouns();
        let counted = match items {
            Some(noun) => format!("{} {noun}, {} {}", s.items, s.files, short(files)),
            None => format!("{} {}", s.files, short(files)),
        };
        writeln!(
            out,
            "{}: {}, {counted}; {}, {}, {} (failing at {} and above) → exit {}",
            if run.failed() { "FAIL" } else { "ok" },
            plural(s.manifests, subject),
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

/// `images on disk` → `images` for the summary line.
fn short(noun: &str) -> &str {
    noun.trim_end_matches(" on disk")
        .trim_end_matches(" under its root")
}

/// `9 unchanged, 1 metadata-only change, …`.
fn tally_line(files: &[FileState]) -> String {
    fixity::tally(files)
        .into_iter()
        .map(|(c, n)| format!("{n} {}", c.label()))
        .collect::<Vec<_>>()
        .join(", ")
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 || word == "info" {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}

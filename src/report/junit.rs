//! The JUnit XML report: a testsuite per manifest, a testcase per item and per unlisted file, failures at or above `--fail-on`.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::io;

use crate::finding::Finding;
use crate::report::{Report, Run};

/// Writes the run as JUnit XML (the Ant/Surefire shape CI servers read).
#[derive(Debug, Clone, Copy)]
pub struct Junit;

impl Report for Junit {
    fn report(&self, run: &Run, out: &mut dyn io::Write) -> io::Result<()> {
        let mut suites = String::new();
        let (mut all_tests, mut all_failures) = (0, 0);
        for m in &run.manifests {
            let findings: Vec<&Finding> = run
                .findings
                .iter()
                .filter(|f| f.manifest == m.manifest)
                .collect();
            // Items in manifest order, then paths only findings name
            // (unlisted files, duplicate or unsafe entries), sorted.
            let mut cases: Vec<&str> = Vec::new();
            let mut seen = BTreeSet::new();
            for p in &m.paths {
                if seen.insert(p.as_str()) {
                    cases.push(p);
                }
            }
            let mut extra: Vec<&str> = findings
                .iter()
                .map(|f| f.path.as_str())
                .filter(|p| !seen.contains(p))
                .collect::<BTreeSet<_>>()
                .into_iter()
                .collect();
            cases.append(&mut extra);

            let mut body = String::new();
            let mut failures = 0;
            for case in &cases {
                let mine: Vec<&&Finding> = findings.iter().filter(|f| f.path == *case).collect();
                let (failing, other): (Vec<&&Finding>, Vec<&&Finding>) =
                    mine.iter().partition(|f| f.severity >= run.fail_on);
                let _ = write!(
                    body,
                    "    <testcase name=\"{}\" classname=\"{}\"",
                    xml(case),
                    xml(&m.manifest)
                );
                if failing.is_empty() && other.is_empty() {
                    body.push_str("/>\n");
                    continue;
                }
                body.push_str(">\n");
                if let Some(first) = failing.first() {
                    failures += 1;
                    let _ = writeln!(
                        body,
                        "      <failure message=\"{}\" type=\"{}\">{}</failure>",
                        xml(&format!("{} {}: {}", first.code, first.rule, first.message)),
                        xml(first.code.as_str()),
                        xml_text(&lines(&failing))
                    );
                }
                if !other.is_empty() {
                    let _ = writeln!(
                        body,
                        "      <system-out>{}</system-out>",
                        xml_text(&lines(&other))
                    );
                }
                body.push_str("    </testcase>\n");
            }
            all_tests += cases.len();
            all_failures += failures;
            let _ = writeln!(
                suites,
                "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{failures}\" errors=\"0\" skipped=\"0\">",
                xml(&m.manifest),
                cases.len()
            );
            suites.push_str(&body);
            suites.push_str("  </testsuite>\n");
        }
        writeln!(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>")?;
        writeln!(
            out,
            "<testsuites name=\"cutline\" tests=\"{all_tests}\" failures=\"{all_failures}\" errors=\"0\">"
        )?;
        out.write_all(suites.as_bytes())?;
        writeln!(out, "</testsuites>")
    }
}

/// One line per finding: `error R009 credit-placeholder [credit]: message`.
fn lines(findings: &[&&Finding]) -> String {
    let mut s = String::new();
    for f in findings {
        let field = f.field.map(|x| format!(" [{x}]")).unwrap_or_default();
        let _ = writeln!(
            s,
            "{} {} {}{field}: {}",
            f.severity, f.code, f.rule, f.message
        );
        if let Some(e) = &f.expected {
            let _ = writeln!(s, "  manifest: {e}");
        }
        if let Some(a) = &f.actual {
            let _ = writeln!(s, "  found:    {a}");
        }
    }
    s
}

/// Escapes text for an XML attribute or element (XML 1.0 §2.4, §3.3.3).
/// Characters XML 1.0 cannot hold at all (most C0 controls, U+FFFE, U+FFFF,
/// lone surrogates cannot occur in a `str`) become `\u{…}` text.
pub fn xml(s: &str) -> String {
    escape(s, true)
}

/// As [`xml`], for element text: line breaks and tabs stay as they are.
pub fn xml_text(s: &str) -> String {
    escape(s, false)
}

fn escape(s: &str, attribute: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Attribute values would normalize these to spaces (XML 1.0 §3.3.3).
            '\n' if attribute => out.push_str("&#10;"),
            '\t' if attribute => out.push_str("&#9;"),
            '\n' | '\t' => out.push(c),
            '\r' => out.push_str("&#13;"),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {
                let _ = write!(out, "\\u{{{:04X}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_controls() {
        assert_eq!(xml("a<b>&\"c'"), "a&lt;b&gt;&amp;&quot;c&apos;");
        assert_eq!(xml("x\u{1}y\nz"), "x\\u{0001}y&#10;z");
        let doc = format!(
            "<a t=\"{}\">{}</a>",
            xml("\"<&>'\u{0}"),
            xml_text("]]>\n \u{7}")
        );
        assert!(roxmltree::Document::parse(&doc).is_ok(), "{doc}");
    }
}

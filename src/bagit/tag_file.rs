//! Tag files as text (RFC 8493 §2.2.2): splitting lines on CR, LF or CRLF, and parsing `Label: value` lines with their continuations.

use std::fmt;

/// One line of a tag file, without its line ending, and its 1-based number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Line<'a> {
    /// 1-based line number.
    pub number: usize,
    /// The text, without the ending.
    pub text: &'a str,
}

/// The lines of `text`. RFC 8493 §2 allows LF, CR or CRLF as line ending;
/// a bare CR inside a path is percent-encoded (§2.1.3), so every CR is an
/// ending. A final ending does not start another line.
pub fn lines(text: &str) -> Vec<Line<'_>> {
    let mut out = Vec::new();
    let mut start = 0;
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let end_len = match bytes.get(i..i + 2) {
            Some(b"\r\n") => 2,
            _ if matches!(bytes[i], b'\r' | b'\n') => 1,
            _ => 0,
        };
        if end_len > 0 {
            out.push(Line {
                number: out.len() + 1,
                text: text.get(start..i).unwrap_or_default(),
            });
            i += end_len;
            start = i;
        } else {
            i += 1;
        }
    }
    if start < text.len() {
        out.push(Line {
            number: out.len() + 1,
            text: text.get(start..).unwrap_or_default(),
        });
    }
    out
}

/// One `Label: value` element, with continuation lines folded in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Element {
    /// The label, as written.
    pub label: String,
    /// The value, continuation lines joined by a space.
    pub value: String,
    /// The line the element starts on.
    pub line: usize,
}

/// A line that is neither `Label: value` nor a continuation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadLine {
    /// Its 1-based number.
    pub line: usize,
    /// Why.
    pub reason: &'static str,
}

impl fmt::Display for BadLine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.reason)
    }
}

/// Parses a `Label: value` tag file (bag-info.txt). RFC 8493 §2.2.2: a
/// label, a colon, optional white space, the value; a line starting with
/// white space continues the previous value. Malformed lines are returned,
/// never skipped.
pub fn elements(text: &str) -> (Vec<Element>, Vec<BadLine>) {
    let mut out: Vec<Element> = Vec::new();
    let mut bad = Vec::new();
    for l in lines(text) {
        if l.text.starts_with([' ', '\t']) {
            match out.last_mut() {
                Some(e) => {
                    e.value.push(' ');
                    e.value.push_str(l.text.trim());
                }
                None => bad.push(BadLine {
                    line: l.number,
                    reason: "a continuation line with nothing to continue",
                }),
            }
            continue;
        }
        if l.text.is_empty() {
            bad.push(BadLine {
                line: l.number,
                reason: "an empty line",
            });
            continue;
        }
        match l.text.split_once(':') {
            Some((label, value)) if !label.trim().is_empty() && label == label.trim() => {
                out.push(Element {
                    label: label.to_owned(),
                    value: value.trim().to_owned(),
                    line: l.number,
                })
            }
            _ => bad.push(BadLine {
                line: l.number,
                reason: "not `Label: value`",
            }),
        }
    }
    (out, bad)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_line_ending_counts() {
        let ls = lines("a\r\nb\rc\nd");
        let t: Vec<_> = ls.iter().map(|l| (l.number, l.text)).collect();
        assert_eq!(t, [(1, "a"), (2, "b"), (3, "c"), (4, "d")]);
        assert_eq!(lines("a\n").len(), 1);
        assert_eq!(lines("").len(), 0);
        assert_eq!(lines("\n\n").len(), 2);
    }

    #[test]
    fn elements_fold_continuations_and_keep_bad_lines() {
        let (e, bad) = elements("Source-Organization: A\n  B\nno colon\n: empty label\n");
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].value, "A B");
        assert_eq!(bad.iter().map(|b| b.line).collect::<Vec<_>>(), [3, 4]);
    }
}

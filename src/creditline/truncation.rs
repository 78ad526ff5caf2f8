//! Signs that a credit line was cut off at its end (R002): a final `/`, `,` or ellipsis, a
//! dangling word, and the text the form is read from once the cut is set aside.

use std::borrow::Cow;
use std::fmt;

use super::lex::{closer_of, has_alnum, scan_balance, with_lower};
use super::words::is_dangling;

/// How a credit line shows it was cut off.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Truncation {
    /// A bracket or quote opened and never closed (the opener), or closed and never opened
    /// (the closer).
    Unbalanced(char),
    /// Ends with `/`: the agency or name after it is missing.
    TrailingSlash,
    /// Starts with `/`: the name before it is missing.
    LeadingSlash,
    /// Ends with a word that needs one after it (`via`, `of`, `by` …), as printed.
    DanglingWord(String),
    /// Ends with `,`, `;`, `:`, `-`, `–`, `—` or `+`.
    TrailingPunctuation(char),
    /// Ends with `…` or `...`.
    Ellipsis,
}

impl fmt::Display for Truncation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Truncation::Unbalanced(c) if closer_of(*c).is_some() || matches!(c, '"' | '\'') => {
                write!(f, "unclosed '{c}'")
            }
            Truncation::Unbalanced(c) => write!(f, "unmatched '{c}'"),
            Truncation::TrailingSlash => f.write_str("nothing after the final '/'"),
            Truncation::LeadingSlash => f.write_str("nothing before the first '/'"),
            Truncation::DanglingWord(w) => write!(f, "ends with '{w}'"),
            Truncation::TrailingPunctuation(c) => write!(f, "ends with '{c}'"),
            Truncation::Ellipsis => f.write_str("ends with an ellipsis, as if cut short"),
        }
    }
}

pub(super) fn trailing(s: &str) -> Vec<Truncation> {
    let t = s.trim();
    let mut out = Vec::new();
    if t.ends_with('/') {
        out.push(Truncation::TrailingSlash);
    }
    if t.starts_with('/') && has_alnum(t) {
        out.push(Truncation::LeadingSlash);
    }
    if t.ends_with('…') || t.ends_with("...") {
        out.push(Truncation::Ellipsis);
    } else if let Some(c) = t.chars().next_back()
        && matches!(c, ',' | ';' | ':' | '-' | '–' | '—' | '+')
    {
        out.push(Truncation::TrailingPunctuation(c));
    }
    let last = t
        .split(|c: char| c.is_whitespace() || c == '/')
        .rev()
        .find(|w| !w.is_empty());
    if let Some(w) = last
        && with_lower(w, is_dangling)
    {
        out.push(Truncation::DanglingWord(w.to_string()));
    }
    out
}

/// The text the form is read from: the body up to its first unclosed opener, so a credit cut
/// inside a parenthesis still shows its shape.
pub(super) fn form_text(body: &str) -> Cow<'_, str> {
    // Marks of a cut (a final ellipsis or comma) are reported already; read what precedes them.
    let body = body.trim_end();
    let body = body
        .strip_suffix("...")
        .or_else(|| body.strip_suffix('…'))
        .unwrap_or(body)
        .trim_end_matches([',', ';', ':', '-', '–', '—', '+'])
        .trim_end();
    let body = if has_alnum(body) { body } else { "" };
    match scan_balance(body).1 {
        Some(at) => {
            let cut = body.get(..at).unwrap_or("").trim();
            if has_alnum(cut) {
                Cow::Borrowed(cut)
            } else {
                // The opener comes first ("“Jane Doe/Reuters"): read past it instead.
                let mut rest = body.get(..at).unwrap_or("").to_string();
                let tail = body.get(at..).unwrap_or("");
                let mut chars = tail.chars();
                chars.next();
                rest.push_str(chars.as_str());
                Cow::Owned(rest.trim().to_string())
            }
        }
        None => Cow::Borrowed(body),
    }
}

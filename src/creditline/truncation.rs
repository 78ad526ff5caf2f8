//! Signs that a credit line was cut off (R002): brackets and quotes left unbalanced, a final
//! `/`, `,` or ellipsis, a dangling word, and the text the form is read from once the cut is set aside.

use std::borrow::Cow;
use std::fmt;

use super::lex::{closer_of, has_alnum, opener_of, with_lower};
use super::push_unique;
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

// ---------------------------------------------------------------------------------------------
// Balance

/// The openers whose balance is tracked.
const OPENERS: [char; 9] = ['(', '[', '{', '“', '‘', '«', '‹', '"', '\''];

/// Open brackets and quotes, with a count per kind so "is one open?" is O(1) on long input.
#[derive(Default)]
struct OpenStack {
    stack: Vec<(usize, char)>,
    counts: [usize; OPENERS.len()],
}

impl OpenStack {
    fn slot(&mut self, c: char) -> Option<&mut usize> {
        let at = OPENERS.iter().position(|&o| o == c)?;
        self.counts.get_mut(at)
    }

    fn is_open(&self, c: char) -> bool {
        OPENERS
            .iter()
            .position(|&o| o == c)
            .and_then(|at| self.counts.get(at))
            .is_some_and(|&n| n > 0)
    }

    fn push(&mut self, at: usize, c: char) {
        self.stack.push((at, c));
        if let Some(n) = self.slot(c) {
            *n = n.saturating_add(1);
        }
    }

    /// Closes the innermost `opener`; openers above it were never closed and are reported.
    fn close(&mut self, opener: char, out: &mut Vec<Truncation>) {
        while let Some((_, top)) = self.stack.pop() {
            if let Some(n) = self.slot(top) {
                *n = n.saturating_sub(1);
            }
            if top == opener {
                return;
            }
            push_unique(out, Truncation::Unbalanced(top));
        }
    }
}

/// Unbalanced brackets and quotes, and the byte offset of the first opener left unclosed.
pub(super) fn scan_balance(s: &str) -> (Vec<Truncation>, Option<usize>) {
    let mut open = OpenStack::default();
    let mut out = Vec::new();
    let mut prev: Option<char> = None;
    for (at, c) in s.char_indices() {
        if closer_of(c).is_some() {
            open.push(at, c);
        } else if c == '’' {
            // A right single quote is far more often an apostrophe (O’Brien) than a closer.
            if open.is_open('‘') {
                open.close('‘', &mut out);
            }
        } else if let Some(opener) = opener_of(c) {
            if open.is_open(opener) {
                open.close(opener, &mut out);
            } else {
                push_unique(&mut out, Truncation::Unbalanced(c));
            }
        } else if c == '"' {
            if open.is_open('"') {
                open.close('"', &mut out);
            } else {
                open.push(at, c);
            }
        } else if c == '\'' {
            let before = prev.is_some_and(char::is_alphanumeric);
            let next = s
                .get(at.saturating_add(c.len_utf8())..)
                .and_then(|r| r.chars().next());
            let after = next.is_some_and(char::is_alphanumeric);
            if !before && after {
                open.push(at, c);
            } else if !after && open.is_open('\'') {
                open.close('\'', &mut out);
            }
            // Letters on both sides (O'Brien) or a closing one with none open (Jones'):
            // an apostrophe.
        }
        prev = Some(c);
    }
    let first = open.stack.first().map(|(at, _)| *at);
    for (_, c) in &open.stack {
        push_unique(&mut out, Truncation::Unbalanced(*c));
    }
    (out, first)
}

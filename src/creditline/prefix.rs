//! Prefixes that do not belong in a credit line (R007): the copyright forms (`©`, `(c)`,
//! `Copyright`, with their year and `All rights reserved`) and labels (`Photo:`, `Photo by`,
//! `Credit:` …), peeled off together with enclosing brackets.

use std::fmt;

use super::lex::{closer_of, has_alnum, opener_of, words_at};

/// A prefix that does not belong in a credit line (R007).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Prefix {
    /// `©`
    CopyrightSign,
    /// `(c)` or `(C)` standing for the copyright sign.
    CopyrightC,
    /// `Copyright`
    CopyrightWord,
    /// `Photo:`, `Photos:`, `Foto:`, or `Photo` before `courtesy of`.
    Photo,
    /// `Photo by`, `Photograph by`, `Photographed by`.
    PhotoBy,
    /// `Photograph:`, `Photographer:`, `Photography:`.
    Photograph,
    /// `Credit:`, `Credits:`, `Photo credit:`, `Image credit:`.
    Credit,
    /// `Image:`, `Images:`, `Image by`.
    Image,
    /// `Picture:`, `Pictures:`, `Pic:`, `Picture by`.
    Picture,
    /// `Source:`
    Source,
}

impl Prefix {
    /// The prefix as an editor would name it: `©`, `(c)`, `Copyright`, `Photo:`, `Photo by` …
    pub fn as_str(self) -> &'static str {
        match self {
            Prefix::CopyrightSign => "©",
            Prefix::CopyrightC => "(c)",
            Prefix::CopyrightWord => "Copyright",
            Prefix::Photo => "Photo:",
            Prefix::PhotoBy => "Photo by",
            Prefix::Photograph => "Photograph:",
            Prefix::Credit => "Credit:",
            Prefix::Image => "Image:",
            Prefix::Picture => "Picture:",
            Prefix::Source => "Source:",
        }
    }

    /// True for the copyright forms (`©`, `(c)`, `Copyright`), after which a year is skipped.
    pub fn is_copyright(self) -> bool {
        matches!(
            self,
            Prefix::CopyrightSign | Prefix::CopyrightC | Prefix::CopyrightWord
        )
    }
}

impl fmt::Display for Prefix {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A line with its enclosing brackets and prefixes taken off.
pub(super) struct Peeled<'a> {
    /// The first prefix found.
    pub(super) prefix: Option<Prefix>,
    /// The last prefix as printed, judged for truncation when nothing follows it.
    pub(super) last_prefix: Option<&'a str>,
    /// What is left, trimmed.
    pub(super) body: &'a str,
}

pub(super) fn peel(line: &str) -> Peeled<'_> {
    let mut s = line;
    let mut prefix = None;
    let mut last_prefix = None;
    let mut copyright = false;
    // Each round removes at least one character, and the count is capped for hostile input.
    for _ in 0..16 {
        s = s.trim();
        if let Some((p, n)) = match_prefix(s) {
            let (printed, rest) = (s.get(..n).unwrap_or(""), s.get(n..).unwrap_or(""));
            prefix.get_or_insert(p);
            last_prefix = Some(printed.trim());
            s = rest;
            if p.is_copyright() {
                copyright = true;
                s = strip_leading_year(s.trim_start());
            }
            continue;
        }
        if let Some(inner) = strip_brackets(s) {
            s = inner;
            continue;
        }
        break;
    }
    if copyright {
        s = strip_copyright_tail(s);
    }
    Peeled {
        prefix,
        last_prefix,
        body: s.trim(),
    }
}

/// Removes one layer of enclosing brackets: a pair around the whole string, an unclosed
/// leading opener, or a stray trailing closer.
fn strip_brackets(s: &str) -> Option<&str> {
    let first = s.chars().next()?;
    if matches!(first, '(' | '[' | '{') {
        let close = closer_of(first)?;
        let start = first.len_utf8();
        match matching_close(s, first, close) {
            Some(at) if at.checked_add(close.len_utf8()) == Some(s.len()) => {
                return s.get(start..at);
            }
            None => return s.get(start..),
            Some(_) => {}
        }
    }
    let last = s.chars().next_back()?;
    if matches!(last, ')' | ']' | '}') {
        let open = opener_of(last)?;
        let opens = s.chars().filter(|&c| c == open).count();
        let closes = s.chars().filter(|&c| c == last).count();
        if closes > opens {
            return s.get(..s.len().saturating_sub(last.len_utf8()));
        }
    }
    None
}

/// Byte offset of the closer matching the opener at offset 0.
fn matching_close(s: &str, open: char, close: char) -> Option<usize> {
    let mut depth = 0usize;
    for (at, c) in s.char_indices() {
        if c == open {
            depth = depth.saturating_add(1);
        } else if c == close {
            depth = depth.saturating_sub(1);
            if depth == 0 {
                return Some(at);
            }
        }
    }
    None
}

/// Label prefixes that need a colon after them: `Photo:`, `Credit:` …
const LABELS: &[(&[&str], Prefix)] = &[
    (&["photo", "credit"], Prefix::Credit),
    (&["photo", "credits"], Prefix::Credit),
    (&["image", "credit"], Prefix::Credit),
    (&["picture", "credit"], Prefix::Credit),
    (&["credit"], Prefix::Credit),
    (&["credits"], Prefix::Credit),
    (&["photo"], Prefix::Photo),
    (&["photos"], Prefix::Photo),
    (&["foto"], Prefix::Photo),
    (&["fotos"], Prefix::Photo),
    (&["photograph"], Prefix::Photograph),
    (&["photographs"], Prefix::Photograph),
    (&["photographer"], Prefix::Photograph),
    (&["photography"], Prefix::Photograph),
    (&["image"], Prefix::Image),
    (&["images"], Prefix::Image),
    (&["picture"], Prefix::Picture),
    (&["pictures"], Prefix::Picture),
    (&["pic"], Prefix::Picture),
    (&["source"], Prefix::Source),
];

/// Prefixes ending in `by`: `Photo by Jane Doe`.
const BY_PREFIXES: &[(&[&str], Prefix)] = &[
    (&["photo", "by"], Prefix::PhotoBy),
    (&["photos", "by"], Prefix::PhotoBy),
    (&["photograph", "by"], Prefix::PhotoBy),
    (&["photographs", "by"], Prefix::PhotoBy),
    (&["photographed", "by"], Prefix::PhotoBy),
    (&["image", "by"], Prefix::Image),
    (&["picture", "by"], Prefix::Picture),
];

/// The prefix at the start of `s` and how many bytes it takes (with its colon).
fn match_prefix(s: &str) -> Option<(Prefix, usize)> {
    if s.starts_with('©') {
        return Some((Prefix::CopyrightSign, '©'.len_utf8()));
    }
    if s.get(..3).is_some_and(|p| p.eq_ignore_ascii_case("(c)")) {
        return Some((Prefix::CopyrightC, 3));
    }
    if let Some(n) = words_at(s, &["copyright"]) {
        return Some((Prefix::CopyrightWord, colon_after(s, n).unwrap_or(n)));
    }
    for (words, p) in BY_PREFIXES {
        if let Some(n) = words_at(s, words) {
            return Some((*p, n));
        }
    }
    if let Some(n) = words_at(s, &["photo"])
        && s.get(n..)
            .and_then(|rest| words_at(rest.trim_start(), &["courtesy"]))
            .is_some()
    {
        return Some((Prefix::Photo, n));
    }
    for (words, p) in LABELS {
        if let Some(n) = words_at(s, words).and_then(|n| colon_after(s, n)) {
            return Some((*p, n));
        }
    }
    None
}
/// If a `:` follows offset `n` (after optional spaces), the offset just past it.
fn colon_after(s: &str, n: usize) -> Option<usize> {
    let rest = s.get(n..)?;
    let trimmed = rest.trim_start();
    if trimmed.starts_with(':') {
        n.checked_add(rest.len().saturating_sub(trimmed.len()))?
            .checked_add(1)
    } else {
        None
    }
}

/// Skips a year (`2024`, `2019-2024`) and a following `,` `:` `.` after a copyright sign.
fn strip_leading_year(s: &str) -> &str {
    let digits = s.chars().take_while(char::is_ascii_digit).count();
    if digits != 4 {
        return s;
    }
    let mut rest = s.get(4..).unwrap_or("");
    if rest.chars().next().is_some_and(char::is_alphanumeric) {
        return s;
    }
    if let Some(c) = rest.chars().next()
        && matches!(c, '-' | '–' | '—' | '/')
    {
        let after = rest.get(c.len_utf8()..).unwrap_or("");
        let more = after.chars().take_while(char::is_ascii_digit).count();
        if (2..=4).contains(&more) {
            rest = after.get(more..).unwrap_or("");
        }
    }
    let rest = rest.trim_start();
    rest.strip_prefix([',', ':', '.']).unwrap_or(rest)
}

/// Drops `All rights reserved` and a trailing year from a copyright line.
fn strip_copyright_tail(s: &str) -> &str {
    const RESERVED: &str = "all rights reserved";
    let mut t = s.trim_end().trim_end_matches('.').trim_end();
    if let Some(start) = t.len().checked_sub(RESERVED.len())
        && t.get(start..)
            .is_some_and(|tail| tail.eq_ignore_ascii_case(RESERVED))
    {
        t = t.get(..start).unwrap_or("");
        t = t.trim_end().trim_end_matches([',', '.', ';']).trim_end();
    }
    if let Some((head, year)) = t.rsplit_once([' ', ','])
        && is_year(year)
        && has_alnum(head)
    {
        t = head.trim_end().trim_end_matches(',').trim_end();
    }
    t
}

fn is_year(s: &str) -> bool {
    let digits = s.chars().take_while(char::is_ascii_digit).count();
    if digits != 4 {
        return false;
    }
    let rest = s.get(4..).unwrap_or("");
    match rest.chars().next() {
        None => true,
        Some(c @ ('-' | '–' | '—')) => {
            let after = rest.get(c.len_utf8()..).unwrap_or("");
            (2..=4).contains(&after.len()) && after.chars().all(|d| d.is_ascii_digit())
        }
        Some(_) => false,
    }
}

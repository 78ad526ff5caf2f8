//! Reading a credit line as text: letters or not, bracket and quote pairs,
//! what stands outside all brackets, whole-word matching, and lowercasing without allocating.

use std::str::CharIndices;

/// Whether `s` holds a letter or digit: text without one names nobody.
pub(super) fn has_alnum(s: &str) -> bool {
    s.chars().any(char::is_alphanumeric)
}

// ---------------------------------------------------------------------------------------------
// Balance

/// The closer for an opening bracket or quote.
pub(super) fn closer_of(c: char) -> Option<char> {
    match c {
        '(' => Some(')'),
        '[' => Some(']'),
        '{' => Some('}'),
        '“' => Some('”'),
        '‘' => Some('’'),
        '«' => Some('»'),
        '‹' => Some('›'),
        _ => None,
    }
}

/// The opener for a closing bracket or quote.
pub(super) fn opener_of(c: char) -> Option<char> {
    match c {
        ')' => Some('('),
        ']' => Some('['),
        '}' => Some('{'),
        '”' => Some('“'),
        '’' => Some('‘'),
        '»' => Some('«'),
        '›' => Some('‹'),
        _ => None,
    }
}

// ---------------------------------------------------------------------------------------------
// Top-level scanning (outside brackets and quotes)

/// Every char with its offset and whether it stands outside all brackets and quotes.
///
/// An iterator rather than a list: the forms scan the same short text several times, and
/// collecting each scan was most of the parser's allocations.
pub(super) struct TopChars<'a> {
    chars: CharIndices<'a>,
    depth: usize,
    quote: bool,
}

impl Iterator for TopChars<'_> {
    type Item = (usize, char, bool);

    fn next(&mut self) -> Option<Self::Item> {
        let (at, c) = self.chars.next()?;
        let top_before = self.depth == 0 && !self.quote;
        match c {
            '(' | '[' | '{' | '“' | '«' => self.depth = self.depth.saturating_add(1),
            ')' | ']' | '}' | '”' | '»' => self.depth = self.depth.saturating_sub(1),
            '"' => self.quote = !self.quote,
            _ => {}
        }
        Some((at, c, top_before && self.depth == 0 && !self.quote))
    }
}

pub(super) fn top_chars(s: &str) -> TopChars<'_> {
    TopChars {
        chars: s.char_indices(),
        depth: 0,
        quote: false,
    }
}

/// The pieces between top-level occurrences of a separator.
pub(super) struct SplitTop<'a> {
    s: &'a str,
    chars: TopChars<'a>,
    sep: char,
    start: usize,
    done: bool,
}

impl<'a> Iterator for SplitTop<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        if self.done {
            return None;
        }
        for (at, c, top) in self.chars.by_ref() {
            if top && c == self.sep {
                let piece = self.s.get(self.start..at).unwrap_or("");
                self.start = at.saturating_add(c.len_utf8());
                return Some(piece);
            }
        }
        self.done = true;
        Some(self.s.get(self.start..).unwrap_or(""))
    }
}

/// Splits at top-level occurrences of `sep`.
pub(super) fn split_top_char(s: &str, sep: char) -> SplitTop<'_> {
    // Without `sep` anywhere the one piece is `s`: skip the bracket scan.
    let scanned = if s.contains(sep) { s } else { "" };
    SplitTop {
        s,
        chars: top_chars(scanned),
        sep,
        start: 0,
        done: false,
    }
}

/// Whitespace-separated tokens as byte ranges, with whether each starts at top level.
pub(super) struct TopTokens<'a> {
    chars: TopChars<'a>,
    len: usize,
    current: Option<(usize, bool)>,
}

impl Iterator for TopTokens<'_> {
    type Item = (usize, usize, bool);

    fn next(&mut self) -> Option<Self::Item> {
        for (at, c, top) in self.chars.by_ref() {
            if c.is_whitespace() {
                if let Some((start, t)) = self.current.take() {
                    return Some((start, at, t));
                }
            } else if self.current.is_none() {
                self.current = Some((at, top));
            }
        }
        self.current.take().map(|(start, t)| (start, self.len, t))
    }
}

fn top_tokens(s: &str) -> TopTokens<'_> {
    TopTokens {
        chars: top_chars(s),
        len: s.len(),
        current: None,
    }
}

fn token_is(s: &str, (start, end, top): (usize, usize, bool), words: &[&str]) -> bool {
    top && s
        .get(start..end)
        .is_some_and(|w| words.iter().any(|x| w.eq_ignore_ascii_case(x)))
}

/// Splits around the last top-level `word` with a name on both sides.
pub(super) fn rsplit_top_word<'a>(s: &'a str, word: &str) -> Option<(&'a str, &'a str)> {
    // A token equal to `word` (ignoring ASCII case) has its bytes in `s`: a byte search rules
    // out most lines before the bracket-aware scan.
    if !word.is_empty()
        && !s
            .as_bytes()
            .windows(word.len())
            .any(|w| w.eq_ignore_ascii_case(word.as_bytes()))
    {
        return None;
    }
    let mut last = None;
    for tok in top_tokens(s) {
        if !token_is(s, tok, &[word]) {
            continue;
        }
        let (Some(before), Some(after)) = (s.get(..tok.0), s.get(tok.1..)) else {
            continue;
        };
        let (before, after) = (before.trim(), after.trim());
        if has_alnum(before) && has_alnum(after) {
            last = Some((before, after));
        }
    }
    last
}

/// Splits at top-level `,` and at the words `and` and `&`.
pub(super) fn list_pieces<'a>(s: &'a str) -> Vec<&'a str> {
    let mut pieces = Vec::new();
    let mut keep = |piece: &'a str| {
        let piece = piece.trim();
        if !piece.is_empty() {
            pieces.push(piece);
        }
    };
    for chunk in split_top_char(s, ',') {
        let mut start = 0usize;
        for tok in top_tokens(chunk) {
            if token_is(chunk, tok, &["and", "&"]) {
                keep(chunk.get(start..tok.0).unwrap_or(""));
                start = tok.1;
            }
        }
        keep(chunk.get(start..).unwrap_or(""));
    }
    pieces
}

// ---------------------------------------------------------------------------------------------
// Words and case

/// If `s` starts with `words` (ASCII case-insensitive, whitespace between, a word boundary
/// after the last), the byte length they take.
pub(super) fn words_at(s: &str, words: &[&str]) -> Option<usize> {
    // Most calls fail on the first letter; the prefix and form tables make dozens per line.
    if let (Some(a), Some(b)) = (
        s.as_bytes().first(),
        words.first().and_then(|w| w.as_bytes().first()),
    ) && !a.eq_ignore_ascii_case(b)
    {
        return None;
    }
    let mut pos = 0usize;
    for (k, w) in words.iter().enumerate() {
        if k > 0 {
            let rest = s.get(pos..)?;
            let gap = rest.len().saturating_sub(rest.trim_start().len());
            if gap == 0 {
                return None;
            }
            pos = pos.checked_add(gap)?;
        }
        let end = pos.checked_add(w.len())?;
        if !s.get(pos..end)?.eq_ignore_ascii_case(w) {
            return None;
        }
        pos = end;
    }
    match s.get(pos..)?.chars().next() {
        Some(c) if c.is_alphanumeric() => None,
        _ => Some(pos),
    }
}

/// Room on the stack for the lowercase copies the word tests make; longer text takes the
/// allocating path.
const STACK: usize = 64;

/// `f(&s.to_lowercase())`, without allocating when `s` is short ASCII, where lowercasing is
/// byte by byte and so exactly `to_ascii_lowercase`.
pub(super) fn with_lower<R>(s: &str, f: impl FnOnce(&str) -> R) -> R {
    let mut buf = [0u8; STACK];
    if s.is_ascii()
        && let Some(dst) = buf.get_mut(..s.len())
    {
        dst.copy_from_slice(s.as_bytes());
        dst.make_ascii_lowercase();
        if let Ok(lower) = std::str::from_utf8(dst) {
            return f(lower);
        }
    }
    f(&s.to_lowercase())
}

/// `f` of `s`'s words lowercased and joined by one space, built on the stack; `None` when `s`
/// is not ASCII or does not fit, for the caller's allocating path (Unicode lowercasing can
/// turn a non-ASCII letter into an ASCII one: the Kelvin sign into `k`).
pub(super) fn fold_lower_ascii<R>(s: &str, f: impl FnOnce(&str) -> R) -> Option<R> {
    if !s.is_ascii() {
        return None;
    }
    let mut buf = [0u8; STACK];
    let mut len = 0usize;
    for word in s.split_whitespace() {
        if len > 0 {
            *buf.get_mut(len)? = b' ';
            len = len.checked_add(1)?;
        }
        let end = len.checked_add(word.len())?;
        let dst = buf.get_mut(len..end)?;
        dst.copy_from_slice(word.as_bytes());
        dst.make_ascii_lowercase();
        len = end;
    }
    std::str::from_utf8(buf.get(..len)?).ok().map(f)
}

/// `f(&normalize(s))`, without allocating for short ASCII text.
pub(super) fn with_normalized<R>(s: &str, f: impl Fn(&str) -> R) -> R {
    fold_lower_ascii(s, |k| f(k.strip_prefix("the ").unwrap_or(k)))
        .unwrap_or_else(|| f(&normalize(s)))
}

fn normalize(s: &str) -> String {
    let lower = s
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase();
    match lower.strip_prefix("the ") {
        Some(rest) => rest.to_string(),
        None => lower,
    }
}

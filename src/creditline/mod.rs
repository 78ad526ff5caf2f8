//! The credit-line grammar: parses a photo credit as papers, wires and archives print it
//! ("Jane Doe/Reuters", "AP Photo/Evan Vucci", "Courtesy of X", "Handout via Reuters") into
//! its form, its copyright-style prefix and its defects (empty, truncated).
//!
//! `parse` never fails and never panics: every input gets a [`CreditLine`]. The caller
//! (the `check` module) turns it into findings: R002 from [`CreditLine::truncation`], R003 from
//! [`CreditLine::is_empty`], R004 from [`CreditLine::is_house_style`], R007 from
//! [`CreditLine::prefix`], R006 from [`CreditLine::agencies`].
//!
//! # How a line is read
//! 1. Trimmed. A line with no letter or digit at all (`(`, `()`, `/`, ` - `, `""`, `©`, ``)
//!    is [`Form::Empty`] with the single defect [`Defect::Empty`]: nothing else is reported for
//!    it (empty takes precedence over truncation) and it carries no prefix.
//! 2. Brackets `()[]{}`, quotes `"` `“”` `‘’` `«»` `‹›` and word-initial straight `'` are
//!    checked for balance over the whole line. An apostrophe (`O'Brien`, `O’Brien`, `Jones'`)
//!    is not a quote.
//! 3. Enclosing brackets are peeled (a balanced pair around the whole line, an unclosed
//!    leading opener, a stray trailing closer), and so are prefixes: `©`, `(c)`, `Copyright`
//!    (each followed by an optional year, and `All rights reserved` at the end), `Photo:`,
//!    `Photo by`, `Photograph:`, `Credit:`, `Photo credit:`, `Image:`, `Picture:`, `Source:`
//!    (case-insensitive; plural and `Foto:` spellings too). The first one is recorded.
//! 4. The end of what is left is checked for truncation: a final `/`, a leading `/`, a final
//!    `,` `;` `:` `-` `–` `—` `+`, an ellipsis, or a dangling final word (`via`, `of`, `by`,
//!    `for`, `and`, `&`, `with`, `courtesy`, `the`, `from`, `to`). A prefix with nothing after
//!    it is judged by its own last word: `Photo by` dangles, `Photo:` ends with `:`, while a
//!    bare `©`, `(c)`, `Copyright` or `© 2024` names nobody and is empty.
//! 5. The form is read from the text before any unclosed opener (`NASA, ESA, Michael Wong
//!    (Space T` is read as `NASA, ESA, Michael Wong`), trying in order: a `;` list; a trailing
//!    `, File` or `, Pool`; `Courtesy [of] X`; `Screenshot of|from X`; `Illustration by X`; a
//!    list joined by `, ` / ` and ` / ` & ` whose every member is a full credit; `X via Y`;
//!    `X for Y`; slash credits; a single name.
//!
//! # Decisions
//! - `Name/Agency` vs `Agency/Name`: a part on the built-in agency list (AP, AP Photo, Reuters,
//!   AFP, Getty Images, EPA-EFE, Xinhua, The Epoch Times, …) is the agency. When neither or both
//!   are known, an agency-looking first part (an acronym, or a word like Press, News, Images,
//!   Wire, Times) before a person-looking second part makes `Agency/Name`; anything else is
//!   `Name/Agency`. Three and four slash parts are fine: `Óscar Cañas/EUROPA PRESS/dpa` is
//!   `Name/Agency` with agency `EUROPA PRESS/dpa`.
//! - `Single` is a known agency, or a name-like phrase (capitalized words, lowercase
//!   connectors such as `of`, `de`, `and` allowed inside: `Library of Congress`). All-lowercase
//!   text (`credit`), sentences (`This is a credit`) and ad-hoc separators (`Ian Britton -
//!   FreeFoto.com`) are [`Form::Unrecognized`]. Placeholders such as `Credit` are the R009
//!   check's business, not the grammar's.
//! - `Screenshot/Source`, `Source/Screenshot`, `Screenshot via Source`, `Screenshot of X` and
//!   `Screenshot from X` are all [`Form::Screenshot`] (so are `Screengrab` and `Screen grab`).
//!   `Screenshot` alone is `Screenshot("")`, a house form like a bare `Handout` or `Pool`.
//!   `Handout via Reuters` stays [`Form::Via`] (as the house list has it), while
//!   `Handout/Source` and `Source/Handout` are [`Form::Handout`].
//! - `Pool`, `Pool/X`, `X/Pool`, `Name/Agency/Pool` and `…, Pool` are [`Form::Pool`].
//! - `File` as a slash part (`File/AP`, `AP/File`) or after a comma (`AP Photo/Evan Vucci, File`)
//!   marks a file photo: it is dropped from the form and sets [`CreditLine::file`].
//! - `Illustration by X`, `Photo illustration by X`, `Illustration/X` are a house form,
//!   [`Form::Illustration`] (added to the brief's list), not a prefix.
//! - `Photo courtesy of X` records the `Photo` prefix and reads `Courtesy of X`.
//! - `X and Y` / `X, Y` is a list only when every member is a full credit (slash, via, for,
//!   courtesy, handout, pool, screenshot), a known agency, or a person's name: `NASA, ESA,
//!   Michael Wong` is a list, `Minneapolis College of Art & Design` is one name.
//! - [`CreditLine::agencies`] names the agency and publication slots (and unknown
//!   organisations standing alone), never a person's name, never a `Courtesy` or `Screenshot`
//!   source, never `Pool` itself: those are not agencies to license from.
//! - [`CreditLine::is_house_style`] judges the form only; a prefix (R007) or a truncation
//!   (R002) does not make it false. `(Screenshot/` is `Screenshot("")`, house style, truncated:
//!   the check should report R004 only for a line that is neither empty nor truncated.

use std::borrow::Cow;
use std::fmt;
use std::str::CharIndices;

/// How deep credits may nest (a list inside a `via` inside a list …) before the parser stops
/// looking and calls the rest unrecognized: bounds the work on hostile input.
const MAX_DEPTH: usize = 6;

/// Parses one credit line. The caller has done NFC; whitespace is trimmed here.
pub fn parse(line: &str) -> CreditLine {
    parse_at(line, 0, true)
}

/// One credit line, parsed: its prefix, its form and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreditLine {
    /// The first copyright-style or label prefix found at the start (R007), if any.
    pub prefix: Option<Prefix>,
    /// The shape of the credit.
    pub form: Form,
    /// What is wrong with it; empty for a clean line. `Empty` comes alone.
    pub defects: Vec<Defect>,
    /// The credit with enclosing brackets and prefixes removed, trimmed.
    pub body: String,
    /// Marked as a file photo (`File/AP`, `…, File`).
    pub file: bool,
    /// The agency and publication names the credit names (see [`CreditLine::agencies`]).
    agencies: Vec<String>,
}

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

/// The shape of a credit line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Form {
    /// `Jane Doe/Reuters`, `Benjamin Chasteen/The Epoch Times`, `Óscar Cañas/EUROPA PRESS/dpa`.
    NameAgency {
        /// The photographer (or first part).
        name: String,
        /// The agency part(s), `/`-joined when more than one.
        agency: String,
    },
    /// `AP Photo/Evan Vucci`, `Reuters/Jane Doe`.
    AgencyName {
        /// The agency.
        agency: String,
        /// The photographer part(s), `/`-joined when more than one.
        name: String,
    },
    /// One agency or one name: `Reuters`, `Getty Images`, `NASA`, `Jane Doe`.
    Single(String),
    /// `Handout via Reuters`, `Jane Doe/Reuters via Getty Images`.
    Via {
        /// Who made or released it.
        who: String,
        /// Who distributed it.
        via: String,
    },
    /// `Jane Doe for The Washington Post`.
    For {
        /// The photographer.
        who: String,
        /// The publication commissioning the work.
        publication: String,
    },
    /// `Courtesy of X`, `Courtesy X`: holds X (empty when cut off).
    Courtesy(String),
    /// `Screenshot/Source`, `Screenshot via Source`, `Screenshot of X`: holds the source.
    Screenshot(String),
    /// `Handout/Source`, `Source/Handout`, `Handout`: holds the source (may be empty).
    Handout(String),
    /// `Pool`, `Pool/Getty Images`, `Jane Doe/Pool`, `Jane Doe/AFP/Pool`: the rest, if any.
    Pool(Option<String>),
    /// `Illustration by X`, `Photo illustration by X`, `Illustration/X`: holds X.
    Illustration(String),
    /// Several full credits joined by `;`, `, `, ` and ` or ` & `, each parsed.
    Multiple(Vec<CreditLine>),
    /// Has a name in it, but in no house form.
    Unrecognized,
    /// Nothing but punctuation, symbols and whitespace.
    Empty,
}

impl Form {
    /// The variant's name, for messages and tests: `"NameAgency"`, `"Courtesy"`, …
    pub fn kind(&self) -> &'static str {
        match self {
            Form::NameAgency { .. } => "NameAgency",
            Form::AgencyName { .. } => "AgencyName",
            Form::Single(_) => "Single",
            Form::Via { .. } => "Via",
            Form::For { .. } => "For",
            Form::Courtesy(_) => "Courtesy",
            Form::Screenshot(_) => "Screenshot",
            Form::Handout(_) => "Handout",
            Form::Pool(_) => "Pool",
            Form::Illustration(_) => "Illustration",
            Form::Multiple(_) => "Multiple",
            Form::Unrecognized => "Unrecognized",
            Form::Empty => "Empty",
        }
    }
}

/// Something wrong with a credit line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Defect {
    /// Only punctuation, symbols or whitespace (R003).
    Empty,
    /// Cut off in publishing or editing (R002).
    Truncated(Truncation),
}

impl fmt::Display for Defect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Defect::Empty => f.write_str("no name in it, only punctuation"),
            Defect::Truncated(t) => t.fmt(f),
        }
    }
}

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

impl CreditLine {
    fn empty() -> Self {
        CreditLine {
            prefix: None,
            form: Form::Empty,
            defects: vec![Defect::Empty],
            body: String::new(),
            file: false,
            agencies: Vec::new(),
        }
    }

    /// Only punctuation, symbols or whitespace (R003). Never true together with a truncation.
    pub fn is_empty(&self) -> bool {
        self.defects.contains(&Defect::Empty)
    }

    /// The first sign of truncation (R002), if any.
    pub fn truncation(&self) -> Option<&Truncation> {
        self.defects.iter().find_map(|d| match d {
            Defect::Truncated(t) => Some(t),
            Defect::Empty => None,
        })
    }

    /// Whether the form is a house form (R004). False for `Unrecognized` and `Empty`, and for a
    /// list with such a member; prefixes and truncations do not count here.
    pub fn is_house_style(&self) -> bool {
        match &self.form {
            Form::Unrecognized | Form::Empty => false,
            Form::Multiple(lines) => lines.iter().all(CreditLine::is_house_style),
            _ => true,
        }
    }

    /// The agency, source and publication names the credit names, for an allow-list (R006):
    /// agency slots, `via` and `for` targets, handout and pool sources, and organisations
    /// standing alone. Person names, `Courtesy` and `Screenshot` sources are left out.
    pub fn agencies(&self) -> Vec<&str> {
        self.agencies.iter().map(String::as_str).collect()
    }
}

fn parse_at(line: &str, depth: usize, allow_list: bool) -> CreditLine {
    let trimmed = line.trim();
    if !has_alnum(trimmed) {
        return CreditLine::empty();
    }
    let mut defects = Vec::new();
    for t in scan_balance(trimmed).0 {
        push_unique(&mut defects, Defect::Truncated(t));
    }
    let peeled = peel(trimmed);
    if !has_alnum(peeled.body) {
        // Only a prefix: "Photo by" dangles, "Photo:" ends with ':', a bare "©" is empty.
        let tail = trailing(peeled.last_prefix.unwrap_or(""));
        if tail.is_empty() {
            return CreditLine::empty();
        }
        for t in tail {
            push_unique(&mut defects, Defect::Truncated(t));
        }
        return CreditLine {
            prefix: peeled.prefix,
            form: Form::Unrecognized,
            defects,
            body: String::new(),
            file: false,
            agencies: Vec::new(),
        };
    }
    for t in trailing(peeled.body) {
        push_unique(&mut defects, Defect::Truncated(t));
    }
    let text = form_text(peeled.body);
    let parsed = classify(&text, depth, allow_list);
    for d in parsed.child_defects {
        push_unique(&mut defects, d);
    }
    CreditLine {
        prefix: peeled.prefix.or(parsed.child_prefix),
        form: parsed.form,
        defects,
        body: peeled.body.to_string(),
        file: parsed.file,
        agencies: parsed.agencies,
    }
}

fn push_unique<T: PartialEq>(list: &mut Vec<T>, item: T) {
    if !list.contains(&item) {
        list.push(item);
    }
}

fn has_alnum(s: &str) -> bool {
    s.chars().any(char::is_alphanumeric)
}

// ---------------------------------------------------------------------------------------------
// Balance

/// The closer for an opening bracket or quote.
fn closer_of(c: char) -> Option<char> {
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
fn opener_of(c: char) -> Option<char> {
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
fn scan_balance(s: &str) -> (Vec<Truncation>, Option<usize>) {
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

// ---------------------------------------------------------------------------------------------
// Peeling brackets and prefixes

struct Peeled<'a> {
    prefix: Option<Prefix>,
    /// The last prefix as printed, judged for truncation when nothing follows it.
    last_prefix: Option<&'a str>,
    body: &'a str,
}

fn peel(line: &str) -> Peeled<'_> {
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

/// If `s` starts with `words` (ASCII case-insensitive, whitespace between, a word boundary
/// after the last), the byte length they take.
fn words_at(s: &str, words: &[&str]) -> Option<usize> {
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

// ---------------------------------------------------------------------------------------------
// Truncation at the end

/// Words a credit cannot end with: something was cut after them.
const DANGLING: &[&str] = &[
    "via", "of", "by", "for", "and", "&", "with", "courtesy", "the", "from", "to",
];

fn trailing(s: &str) -> Vec<Truncation> {
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
        && with_lower(w, |lower| DANGLING.contains(&lower))
    {
        out.push(Truncation::DanglingWord(w.to_string()));
    }
    out
}

/// The text the form is read from: the body up to its first unclosed opener, so a credit cut
/// inside a parenthesis still shows its shape.
fn form_text(body: &str) -> Cow<'_, str> {
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
// Top-level scanning (outside brackets and quotes)

/// Every char with its offset and whether it stands outside all brackets and quotes.
///
/// An iterator rather than a list: the forms scan the same short text several times, and
/// collecting each scan was most of the parser's allocations.
struct TopChars<'a> {
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

fn top_chars(s: &str) -> TopChars<'_> {
    TopChars {
        chars: s.char_indices(),
        depth: 0,
        quote: false,
    }
}

/// The pieces between top-level occurrences of a separator.
struct SplitTop<'a> {
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
fn split_top_char(s: &str, sep: char) -> SplitTop<'_> {
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
struct TopTokens<'a> {
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
fn rsplit_top_word<'a>(s: &'a str, word: &str) -> Option<(&'a str, &'a str)> {
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
fn list_pieces<'a>(s: &'a str) -> Vec<&'a str> {
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
// Forms

struct Parsed {
    form: Form,
    agencies: Vec<String>,
    file: bool,
    child_defects: Vec<Defect>,
    child_prefix: Option<Prefix>,
}

impl Parsed {
    fn new(form: Form) -> Self {
        Parsed {
            form,
            agencies: Vec::new(),
            file: false,
            child_defects: Vec::new(),
            child_prefix: None,
        }
    }

    fn with_agencies(form: Form, agencies: Vec<String>) -> Self {
        let mut p = Parsed::new(form);
        for a in agencies {
            push_unique(&mut p.agencies, a);
        }
        p
    }
}

fn classify(text: &str, depth: usize, allow_list: bool) -> Parsed {
    let text = text.trim();
    if depth > MAX_DEPTH || !has_alnum(text) {
        return Parsed::new(Form::Unrecognized);
    }
    let next = depth.saturating_add(1);

    // `Jane Doe/Reuters; John Roe/AP`
    let mut pieces = split_top_char(text, ';')
        .map(str::trim)
        .filter(|p| !p.is_empty());
    let first = pieces.next();
    if let (Some(a), Some(b)) = (first, pieces.next()) {
        let lines = [a, b]
            .into_iter()
            .chain(pieces)
            .map(|p| parse_at(p, next, true))
            .collect();
        return multiple(lines);
    }
    let text = first.unwrap_or(text);

    // `AP Photo/Evan Vucci, File`, `Jane Doe/AFP, Pool`
    if let Some((before, after)) = split_last_top_comma(text)
        && has_alnum(before)
    {
        if is_file_marker(after) {
            let mut inner = classify(before, next, allow_list);
            inner.file = true;
            return inner;
        }
        if after.eq_ignore_ascii_case("pool") {
            let inner = classify(before, next, false);
            let mut p = Parsed::with_agencies(Form::Pool(Some(before.to_string())), inner.agencies);
            p.file = inner.file;
            return p;
        }
    }

    if let Some(n) = words_at(text, &["courtesy"]) {
        let rest = text.get(n..).unwrap_or("").trim_start();
        let rest = rest.strip_prefix(':').unwrap_or(rest).trim_start();
        let rest = match words_at(rest, &["of"]) {
            Some(m) => rest.get(m..).unwrap_or(""),
            None => rest,
        };
        return Parsed::new(Form::Courtesy(rest.trim().to_string()));
    }
    for lead in SCREENSHOT_LEADS {
        if let Some(n) = words_at(text, lead) {
            let rest = text.get(n..).unwrap_or("").trim();
            return Parsed::new(Form::Screenshot(rest.to_string()));
        }
    }
    for lead in ILLUSTRATION_LEADS {
        if let Some(n) = words_at(text, lead) {
            let rest = text.get(n..).unwrap_or("").trim();
            let rest = rest.strip_prefix(':').unwrap_or(rest).trim();
            return Parsed::new(Form::Illustration(rest.to_string()));
        }
    }

    // `NASA, ESA, Michael Wong`, `Jane Doe/Reuters and John Roe/AP`
    if allow_list {
        let pieces = list_pieces(text);
        if pieces.len() >= 2 {
            let lines: Vec<CreditLine> = pieces.iter().map(|p| parse_at(p, next, false)).collect();
            if name_comma_agency(&lines) {
                return Parsed::new(Form::Unrecognized);
            }
            if lines.iter().all(list_member) {
                return multiple(lines);
            }
        }
    }

    if let Some((who, via)) = rsplit_top_word(text, "via") {
        if marker(who) == Some(Marker::Screenshot) {
            return Parsed::new(Form::Screenshot(via.to_string()));
        }
        let inner = classify(who, next, false);
        let mut agencies = inner.agencies;
        agencies.extend(source_agencies(via, next));
        let mut p = Parsed::with_agencies(
            Form::Via {
                who: who.to_string(),
                via: via.to_string(),
            },
            agencies,
        );
        p.file = inner.file;
        return p;
    }

    if let Some((who, publication)) = rsplit_top_word(text, "for")
        && person_like(who)
    {
        return Parsed::with_agencies(
            Form::For {
                who: who.to_string(),
                publication: publication.to_string(),
            },
            vec![publication.to_string()],
        );
    }

    if text.contains('/') {
        let parts: Vec<&str> = split_top_char(text, '/').collect();
        if parts.len() >= 2 {
            return slash_form(parts, next);
        }
    }
    single_form(text)
}

fn split_last_top_comma(s: &str) -> Option<(&str, &str)> {
    if !s.contains(',') {
        return None;
    }
    let at = top_chars(s)
        .filter(|&(_, c, top)| top && c == ',')
        .last()?
        .0;
    Some((s.get(..at)?.trim(), s.get(at.checked_add(1)?..)?.trim()))
}

fn multiple(lines: Vec<CreditLine>) -> Parsed {
    let mut p = Parsed::new(Form::Unrecognized);
    for line in &lines {
        for a in &line.agencies {
            push_unique(&mut p.agencies, a.clone());
        }
        for d in &line.defects {
            if matches!(d, Defect::Truncated(_)) {
                push_unique(&mut p.child_defects, d.clone());
            }
        }
        p.child_prefix = p.child_prefix.or(line.prefix);
        p.file |= line.file;
    }
    p.form = Form::Multiple(lines);
    p
}

/// Whether a piece of a `,`/`and` list is a full credit on its own.
fn list_member(line: &CreditLine) -> bool {
    match &line.form {
        Form::Single(s) => is_known(s) || person_like(s),
        Form::Unrecognized | Form::Empty | Form::Multiple(_) => false,
        _ => true,
    }
}

/// `Jane Doe, Reuters` (or `Reuters and Jane Doe`): one mistyped slash credit, not a list.
fn name_comma_agency(lines: &[CreditLine]) -> bool {
    match lines {
        [
            CreditLine {
                form: Form::Single(a),
                ..
            },
            CreditLine {
                form: Form::Single(b),
                ..
            },
        ] => person_like(a) != person_like(b),
        _ => false,
    }
}

/// `Screenshot of X`, `Screenshot from X`.
const SCREENSHOT_LEADS: &[&[&str]] = &[
    &["screenshot", "of"],
    &["screenshot", "from"],
    &["screengrab", "of"],
    &["screengrab", "from"],
    &["screen", "grab", "from"],
];

/// `Illustration by X`, `Photo illustration by X`, `Illustration: X`.
const ILLUSTRATION_LEADS: &[&[&str]] = &[
    &["illustration", "by"],
    &["photo", "illustration", "by"],
    &["photo-illustration", "by"],
    &["illustration"],
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Marker {
    Screenshot,
    Handout,
    Pool,
    Illustration,
}

/// A slash part that says what kind of picture it is rather than who made it.
fn marker(part: &str) -> Option<Marker> {
    fold_lower_ascii(part, marker_of).unwrap_or_else(|| {
        let words: Vec<String> = part.split_whitespace().map(str::to_lowercase).collect();
        marker_of(&words.join(" "))
    })
}

/// [`marker`] of the part's words, lowercased and joined by one space.
fn marker_of(joined: &str) -> Option<Marker> {
    match joined {
        "screenshot" | "screengrab" | "screen grab" | "screen shot" | "screen capture" => {
            Some(Marker::Screenshot)
        }
        "handout" | "handout photo" => Some(Marker::Handout),
        "pool" | "pool photo" => Some(Marker::Pool),
        "illustration" | "photo illustration" | "photo-illustration" => Some(Marker::Illustration),
        _ => None,
    }
}

fn slash_form(raw: Vec<&str>, depth: usize) -> Parsed {
    let mut parts: Vec<&str> = raw.into_iter().map(str::trim).collect();
    // A leading or trailing empty part is a truncation, reported already; read the rest.
    while parts.first().is_some_and(|p| p.is_empty()) {
        parts.remove(0);
    }
    while parts.last().is_some_and(|p| p.is_empty()) {
        parts.pop();
    }
    if parts.is_empty() || parts.iter().any(|p| p.is_empty()) {
        return Parsed::new(Form::Unrecognized);
    }
    let before = parts.len();
    parts.retain(|p| !is_file_marker(p));
    let file = parts.len() < before;
    let mut p = slash_parts(&parts, depth);
    p.file |= file;
    p
}

fn slash_parts(parts: &[&str], depth: usize) -> Parsed {
    let (first, rest) = match parts {
        [] => return Parsed::new(Form::Unrecognized),
        [one] => return single_form(one),
        [first, rest @ ..] => (*first, rest),
    };
    let last = rest.last().copied().unwrap_or(first);
    let found = match (marker(first), marker(last)) {
        (Some(m), _) => Some((m, parts.get(1..).unwrap_or(&[]))),
        (None, Some(m)) => Some((m, parts.get(..parts.len().saturating_sub(1)).unwrap_or(&[]))),
        (None, None) => None,
    };
    if let Some((m, others)) = found {
        let joined = others.join("/");
        return match m {
            Marker::Screenshot => Parsed::new(Form::Screenshot(joined)),
            Marker::Illustration => Parsed::new(Form::Illustration(joined)),
            Marker::Handout => {
                let agencies = source_agencies(&joined, depth);
                Parsed::with_agencies(Form::Handout(joined), agencies)
            }
            Marker::Pool if joined.is_empty() => Parsed::new(Form::Pool(None)),
            Marker::Pool => {
                let agencies = classify(&joined, depth, false).agencies;
                Parsed::with_agencies(Form::Pool(Some(joined)), agencies)
            }
        };
    }
    if parts.len() > 4 || !parts.iter().all(|p| is_known(p) || namey(p)) {
        return Parsed::new(Form::Unrecognized);
    }
    if agency_first(first, rest) {
        let mut agencies = vec![first.to_string()];
        agencies.extend(rest.iter().skip(1).map(|s| s.to_string()));
        let form = Form::AgencyName {
            agency: first.to_string(),
            name: rest.join("/"),
        };
        return Parsed::with_agencies(form, agencies);
    }
    let mut agencies = Vec::new();
    if is_known(first) && !person_like(first) {
        agencies.push(first.to_string());
    }
    agencies.extend(rest.iter().map(|s| s.to_string()));
    let form = Form::NameAgency {
        name: first.to_string(),
        agency: rest.join("/"),
    };
    Parsed::with_agencies(form, agencies)
}

/// `File`, `File Photo`, `File Image`: a file photo, not a party to the credit.
fn is_file_marker(part: &str) -> bool {
    with_normalized(part, |n| {
        matches!(n, "file" | "file photo" | "file image" | "file picture")
    })
}

/// `Agency/Name` rather than `Name/Agency`: only when the evidence points that way.
fn agency_first(a: &str, rest: &[&str]) -> bool {
    let Some(b) = rest.first() else {
        return false;
    };
    // `NASA/JPL-Caltech/SSI`: agencies all along, read as `Name/Agency` with the first in front.
    if rest.iter().any(|p| agencyish(p)) {
        return false;
    }
    if is_known(a) {
        return true;
    }
    person_like(b) && !person_like(a) && agencyish(a)
}

fn single_form(s: &str) -> Parsed {
    let s = s.trim();
    match marker(s) {
        Some(Marker::Screenshot) => return Parsed::new(Form::Screenshot(String::new())),
        Some(Marker::Handout) => return Parsed::new(Form::Handout(String::new())),
        Some(Marker::Pool) => return Parsed::new(Form::Pool(None)),
        Some(Marker::Illustration) => return Parsed::new(Form::Illustration(String::new())),
        None => {}
    }
    if is_file_marker(s) {
        return Parsed::new(Form::Unrecognized);
    }
    if is_known(s) {
        return Parsed::with_agencies(Form::Single(s.to_string()), vec![s.to_string()]);
    }
    if namey(s) {
        let agencies = if person_like(s) {
            Vec::new()
        } else {
            vec![s.to_string()]
        };
        return Parsed::with_agencies(Form::Single(s.to_string()), agencies);
    }
    Parsed::new(Form::Unrecognized)
}

/// The agencies a `via` target or handout source names: itself unless it is a person.
fn source_agencies(text: &str, depth: usize) -> Vec<String> {
    if !has_alnum(text) {
        return Vec::new();
    }
    let p = classify(text, depth, false);
    if p.agencies.is_empty() && !person_like(text) {
        vec![text.trim().to_string()]
    } else {
        p.agencies
    }
}

// ---------------------------------------------------------------------------------------------
// Words: agencies, names, organisations

/// Well-known agencies, wires and publications, lowercase, without a leading "the".
const KNOWN_AGENCIES: &[&str] = &[
    "aap",
    "aap image",
    "abaca",
    "abaca press",
    "afp",
    "afp photo",
    "agence france-presse",
    "alamy",
    "alamy stock photo",
    "anadolu",
    "anadolu agency",
    "anp",
    "ansa",
    "ap",
    "ap images",
    "ap photo",
    "apa",
    "associated press",
    "bbc",
    "belga",
    "bloomberg",
    "bloomberg news",
    "canadian press",
    "china news service",
    "cnn",
    "corbis",
    "cp",
    "dpa",
    "efe",
    "epa",
    "epa images",
    "epa-efe",
    "epoch times",
    "esa",
    "europa press",
    "filmmagic",
    "gamma",
    "gamma-rapho",
    "getty",
    "getty images",
    "guardian",
    "imaginechina",
    "imagn",
    "istock",
    "jiji",
    "jiji press",
    "jpl",
    "kcna",
    "keystone",
    "kyodo",
    "kyodo news",
    "los angeles times",
    "lusa",
    "magnum",
    "magnum photos",
    "nasa",
    "new york times",
    "news1",
    "newsis",
    "noaa",
    "ntb",
    "ntd",
    "ntd television",
    "nurphoto",
    "pa",
    "pa images",
    "pa media",
    "pa wire",
    "picture alliance",
    "picture-alliance",
    "polaris",
    "pool",
    "redux",
    "reuters",
    "reuters pictures",
    "ria novosti",
    "ritzau",
    "scanpix",
    "shutterstock",
    "sipa",
    "sipa press",
    "sipa usa",
    "sopa images",
    "sputnik",
    "tass",
    "tt",
    "tt news agency",
    "unsplash",
    "upi",
    "usa today",
    "vcg",
    "visual china group",
    "wall street journal",
    "washington post",
    "wikimedia commons",
    "wireimage",
    "xinhua",
    "xinhua news agency",
    "yonhap",
    "zuma",
    "zuma press",
    "zuma wire",
];

/// Words that make a phrase an organisation rather than a person.
const ORG_WORDS: &[&str] = &[
    "agency",
    "archive",
    "archives",
    "army",
    "association",
    "broadcasting",
    "bureau",
    "center",
    "centre",
    "channel",
    "club",
    "collection",
    "collections",
    "college",
    "commission",
    "committee",
    "commons",
    "company",
    "corp",
    "corporation",
    "corps",
    "council",
    "daily",
    "department",
    "division",
    "embassy",
    "entertainment",
    "facebook",
    "federal",
    "file",
    "films",
    "force",
    "foundation",
    "gallery",
    "gazette",
    "government",
    "group",
    "handout",
    "herald",
    "hospital",
    "image",
    "images",
    "inc",
    "institute",
    "institution",
    "instagram",
    "international",
    "journal",
    "laboratory",
    "library",
    "ltd",
    "llc",
    "magazine",
    "media",
    "ministry",
    "museum",
    "national",
    "navy",
    "network",
    "news",
    "newspaper",
    "observatory",
    "office",
    "photo",
    "photos",
    "picture",
    "pictures",
    "police",
    "pool",
    "post",
    "press",
    "productions",
    "project",
    "radio",
    "records",
    "resource",
    "school",
    "screenshot",
    "service",
    "services",
    "society",
    "studio",
    "studios",
    "survey",
    "team",
    "television",
    "times",
    "tribune",
    "trust",
    "tv",
    "twitter",
    "university",
    "weibo",
    "wire",
    "youtube",
];

/// Lowercase words allowed inside a name (`Library of Congress`, `Ludwig van Beethoven`).
const CONNECTORS: &[&str] = &[
    "'n'", "'s", "a", "al", "an", "and", "at", "bin", "da", "das", "de", "del", "della", "den",
    "der", "des", "di", "do", "dos", "du", "e", "el", "en", "et", "for", "het", "ibn", "in", "la",
    "le", "les", "of", "on", "och", "og", "ter", "the", "to", "und", "van", "von", "y", "zu",
];

/// Lowercase particles inside a person's name.
const PARTICLES: &[&str] = &[
    "al", "bin", "da", "das", "de", "del", "della", "der", "di", "do", "dos", "du", "el", "ibn",
    "la", "le", "ter", "van", "von", "y", "zu",
];

/// Room on the stack for the lowercase copies the word tests make; longer text takes the
/// allocating path.
const STACK: usize = 64;

/// `f(&s.to_lowercase())`, without allocating when `s` is short ASCII, where lowercasing is
/// byte by byte and so exactly `to_ascii_lowercase`.
fn with_lower<R>(s: &str, f: impl FnOnce(&str) -> R) -> R {
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
fn fold_lower_ascii<R>(s: &str, f: impl FnOnce(&str) -> R) -> Option<R> {
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
fn with_normalized<R>(s: &str, f: impl Fn(&str) -> R) -> R {
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

/// On the built-in agency list (case-insensitive, a leading "The" ignored).
pub fn is_known(s: &str) -> bool {
    with_normalized(s, |n| KNOWN_AGENCIES.binary_search(&n).is_ok())
}

/// Letters with no case (CJK, Arabic …) count as capitalized.
fn caseless(c: char) -> bool {
    c.is_alphabetic() && !c.is_uppercase() && !c.is_lowercase()
}

/// Looks like a proper name: capitalized words, lowercase connectors inside, no sentence.
fn namey(s: &str) -> bool {
    // One pass, no list of words: every word must pass, so stopping at the first that fails
    // (or at the 13th) answers as the whole list would.
    let mut words = s.split_whitespace().peekable();
    let mut count = 0usize;
    while let Some(w) = words.next() {
        let k = count;
        count = count.saturating_add(1);
        if count > 12 {
            return false;
        }
        let inner = k > 0 && words.peek().is_some();
        let allowed = |c: char| c.is_alphanumeric() || ".-'’&,@_!+".contains(c);
        if !w.chars().all(allowed) || !has_alnum(w) && w != "&" {
            return false;
        }
        if inner
            && with_lower(w.trim_end_matches(','), |bare| {
                bare == "&" || CONNECTORS.contains(&bare)
            })
        {
            continue;
        }
        let first = w.chars().next();
        let capital = first.is_some_and(|c| c.is_uppercase() || c.is_numeric() || caseless(c));
        let handle = first == Some('@');
        let inner_capital = w.chars().any(char::is_uppercase); // iStock, eBay
        if !(capital || handle || inner_capital) {
            return false;
        }
    }
    count > 0
}

/// Looks like a person: 2–4 capitalized words (particles aside), no digits, no organisation
/// word, not a known agency, not all capitals.
fn person_like(s: &str) -> bool {
    if is_known(s) {
        return false;
    }
    let mut words = s.split_whitespace().peekable();
    let mut names = 0usize;
    let mut count = 0usize;
    let mut k = 0usize;
    while let Some(w) = words.next() {
        let inner = k > 0 && words.peek().is_some();
        k = k.saturating_add(1);
        let (org, particle) = with_lower(w, |lower| {
            let bare = lower.trim_end_matches(['.', ',']);
            (ORG_WORDS.contains(&bare), PARTICLES.contains(&bare))
        });
        if org {
            return false;
        }
        if inner && particle {
            continue;
        }
        if !w
            .chars()
            .all(|c| c.is_alphabetic() || matches!(c, '.' | '-' | '\'' | '’'))
        {
            return false;
        }
        let first = w.chars().next();
        if !first.is_some_and(|c| c.is_uppercase() || caseless(c)) {
            return false;
        }
        let letters = w.chars().filter(|c| c.is_alphabetic()).count();
        if letters >= 2 {
            // All capitals ("NASA", "EPA") reads as an acronym, not a name.
            if !w.chars().any(|c| c.is_lowercase() || caseless(c)) {
                return false;
            }
            names = names.saturating_add(1);
        }
        count = count.saturating_add(1);
    }
    (2..=4).contains(&count) && names >= 1
}

/// Looks like an agency: known, an acronym, or holding an organisation word.
fn agencyish(s: &str) -> bool {
    if is_known(s) {
        return true;
    }
    let mut words = s.split_whitespace();
    if let (Some(one), None) = (words.next(), words.next()) {
        let letters = one.chars().filter(|c| c.is_alphabetic()).count();
        if (2..=6).contains(&letters) && !one.chars().any(char::is_lowercase) {
            return true;
        }
    }
    s.split_whitespace().any(|w| {
        with_lower(w, |lower| {
            ORG_WORDS.contains(&lower.trim_end_matches(['.', ',']))
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What a row expects of the defects.
    #[derive(Debug, Clone, Copy)]
    enum Want {
        Clean,
        Empty,
        Trunc(fn(&Truncation) -> bool),
    }
    use Want::{Clean, Empty, Trunc};

    fn open(c: char) -> fn(&Truncation) -> bool {
        match c {
            '(' => |t| *t == Truncation::Unbalanced('('),
            ')' => |t| *t == Truncation::Unbalanced(')'),
            '[' => |t| *t == Truncation::Unbalanced('['),
            '“' => |t| *t == Truncation::Unbalanced('“'),
            '«' => |t| *t == Truncation::Unbalanced('«'),
            '\'' => |t| *t == Truncation::Unbalanced('\''),
            '"' => |t| *t == Truncation::Unbalanced('"'),
            _ => |_| false,
        }
    }
    fn slash(t: &Truncation) -> bool {
        *t == Truncation::TrailingSlash
    }
    fn dangling(t: &Truncation) -> bool {
        matches!(t, Truncation::DanglingWord(_))
    }

    /// (credit line, form kind, prefix, defects)
    #[allow(clippy::type_complexity)]
    fn table() -> Vec<(&'static str, &'static str, Option<Prefix>, Want)> {
        use Prefix as P;
        vec![
            // Seed cases from the damaged article.
            ("(Screenshot/", "Screenshot", None, Trunc(open('('))),
            ("(", "Empty", None, Empty),
            ("(Courtesy of Xiqiang Dong)", "Courtesy", None, Clean),
            ("Courtesy of Xiqiang Dong", "Courtesy", None, Clean),
            (
                "Benjamin Chasteen/The Epoch Times",
                "NameAgency",
                None,
                Clean,
            ),
            // Wires and newspapers.
            ("Jane Doe/Reuters", "NameAgency", None, Clean),
            ("(Jane Doe/Reuters)", "NameAgency", None, Clean),
            ("Evan Vucci/AP", "NameAgency", None, Clean),
            ("AP Photo/Evan Vucci", "AgencyName", None, Clean),
            ("Reuters/Jane Doe", "AgencyName", None, Clean),
            ("Xinhua/Zhang Wei", "AgencyName", None, Clean),
            ("EPA-EFE/Jane Doe", "AgencyName", None, Clean),
            ("Northern Wire/Jane Doe", "AgencyName", None, Clean),
            ("Óscar Cañas/EUROPA PRESS/dpa", "NameAgency", None, Clean),
            ("AFP/Getty Images", "NameAgency", None, Clean),
            ("Jane O'Brien/Reuters", "NameAgency", None, Clean),
            ("Jane O’Brien/Reuters", "NameAgency", None, Clean),
            ("Reuters", "Single", None, Clean),
            ("REUTERS", "Single", None, Clean),
            ("Getty Images", "Single", None, Clean),
            ("NASA", "Single", None, Clean),
            ("Jane Doe", "Single", None, Clean),
            ("Library of Congress", "Single", None, Clean),
            ("U.S Navy", "Single", None, Clean),
            ("Jane Doe/Reuters via Getty Images", "Via", None, Clean),
            ("Handout via Reuters", "Via", None, Clean),
            ("Jane Doe via AP", "Via", None, Clean),
            ("AFP via Getty Images", "Via", None, Clean),
            ("Jane Doe for The Washington Post", "For", None, Clean),
            // Archives, museums, handouts, pools, screenshots.
            ("Courtesy of the artist", "Courtesy", None, Clean),
            ("Courtesy NASA/JPL-Caltech", "Courtesy", None, Clean),
            ("Screenshot/YouTube", "Screenshot", None, Clean),
            ("Screenshot via NTD", "Screenshot", None, Clean),
            ("Screenshot of CCTV broadcast", "Screenshot", None, Clean),
            ("Screenshot", "Screenshot", None, Clean),
            ("Handout/Ministry of Defence", "Handout", None, Clean),
            ("Reuters/Handout", "Handout", None, Clean),
            ("Handout", "Handout", None, Clean),
            ("Pool", "Pool", None, Clean),
            ("Pool/Getty Images", "Pool", None, Clean),
            ("Jane Doe/Pool", "Pool", None, Clean),
            ("Jane Doe/AFP/Pool", "Pool", None, Clean),
            ("File/AP", "Single", None, Clean),
            ("AP Photo/Evan Vucci, File", "AgencyName", None, Clean),
            (
                "Illustration by The Epoch Times",
                "Illustration",
                None,
                Clean,
            ),
            // Several credits.
            ("Jane Doe/Reuters; John Roe/AP", "Multiple", None, Clean),
            ("Jane Doe/Reuters and John Roe/AP", "Multiple", None, Clean),
            ("NASA, ESA, Michael Wong", "Multiple", None, Clean),
            ("Jane Doe and John Roe", "Multiple", None, Clean),
            ("Jane Doe, Reuters", "Unrecognized", None, Clean),
            ("NASA/JPL-Caltech/SSI", "NameAgency", None, Clean),
            ("REUTERS/Jane Doe/File Photo", "AgencyName", None, Clean),
            (
                "Allan Kohl; Minneapolis College of Art & Design Visual Resource Collection",
                "Multiple",
                None,
                Clean,
            ),
            // Prefixes (R007).
            ("© Reuters", "Single", Some(P::CopyrightSign), Clean),
            (
                "©2024 Jane Doe/Reuters",
                "NameAgency",
                Some(P::CopyrightSign),
                Clean,
            ),
            ("(c) 2024 Jane Doe", "Single", Some(P::CopyrightC), Clean),
            ("(C) Reuters", "Single", Some(P::CopyrightC), Clean),
            (
                "Copyright 2023 The New York Times. All rights reserved.",
                "Single",
                Some(P::CopyrightWord),
                Clean,
            ),
            (
                "Photo: Jane Doe/Reuters",
                "NameAgency",
                Some(P::Photo),
                Clean,
            ),
            (
                "(Photo: Jane Doe/Reuters)",
                "NameAgency",
                Some(P::Photo),
                Clean,
            ),
            (
                "PHOTO: Jane Doe/Reuters",
                "NameAgency",
                Some(P::Photo),
                Clean,
            ),
            ("Photo by Jane Doe", "Single", Some(P::PhotoBy), Clean),
            ("Photograph: Jane Doe", "Single", Some(P::Photograph), Clean),
            ("Credit: NASA/ESA", "NameAgency", Some(P::Credit), Clean),
            ("Photo credit: Jane Doe", "Single", Some(P::Credit), Clean),
            ("Image: Getty Images", "Single", Some(P::Image), Clean),
            ("Picture: Alamy", "Single", Some(P::Picture), Clean),
            ("Photo courtesy of NASA", "Courtesy", Some(P::Photo), Clean),
            // Truncated (R002).
            (
                "Photo by",
                "Unrecognized",
                Some(P::PhotoBy),
                Trunc(dangling),
            ),
            (
                "Photo:",
                "Unrecognized",
                Some(P::Photo),
                Trunc(|t| *t == Truncation::TrailingPunctuation(':')),
            ),
            ("Courtesy of", "Courtesy", None, Trunc(dangling)),
            ("(Courtesy of", "Courtesy", None, Trunc(open('('))),
            ("Courtesy", "Courtesy", None, Trunc(dangling)),
            ("Jane Doe via", "Unrecognized", None, Trunc(dangling)),
            ("Jane Doe for", "Unrecognized", None, Trunc(dangling)),
            ("Jane Doe &", "Unrecognized", None, Trunc(dangling)),
            ("Jane Doe/", "Single", None, Trunc(slash)),
            ("AP Photo/", "Single", None, Trunc(slash)),
            (
                "/Reuters",
                "Single",
                None,
                Trunc(|t| *t == Truncation::LeadingSlash),
            ),
            ("Jane Doe/Reuters)", "NameAgency", None, Trunc(open(')'))),
            ("[Jane Doe/Reuters", "NameAgency", None, Trunc(open('['))),
            ("“Jane Doe/Reuters", "NameAgency", None, Trunc(open('“'))),
            ("Jane Doe/Reuters «", "NameAgency", None, Trunc(open('«'))),
            ("'Jane Doe/Reuters", "NameAgency", None, Trunc(open('\''))),
            ("\"Jane Doe/Reuters", "NameAgency", None, Trunc(open('"'))),
            (
                "NASA, ESA, Michael Wong (Space T",
                "Multiple",
                None,
                Trunc(open('(')),
            ),
            (
                "Jane Doe/Reuters,",
                "NameAgency",
                None,
                Trunc(|t| *t == Truncation::TrailingPunctuation(',')),
            ),
            (
                "Jane Doe/The New York Times…",
                "NameAgency",
                None,
                Trunc(|t| *t == Truncation::Ellipsis),
            ),
            // Empty (R003): punctuation, symbols, whitespace only.
            ("()", "Empty", None, Empty),
            ("/", "Empty", None, Empty),
            (" - ", "Empty", None, Empty),
            ("\"\"", "Empty", None, Empty),
            ("“”", "Empty", None, Empty),
            ("", "Empty", None, Empty),
            ("   \t ", "Empty", None, Empty),
            ("©", "Empty", None, Empty),
            ("© 2024", "Empty", None, Empty),
            ("(c)", "Empty", None, Empty),
            // Not a house form (R004).
            ("Ian Britton - FreeFoto.com", "Unrecognized", None, Clean),
            ("credit", "Unrecognized", None, Clean),
            ("This is a credit", "Unrecognized", None, Clean),
            ("Credit Line (ref2019.1)", "Unrecognized", None, Clean),
            ("iptc status-provider", "Unrecognized", None, Clean),
        ]
    }

    #[test]
    fn table_of_credit_lines() {
        let rows = table();
        assert!(rows.len() >= 40);
        for (line, kind, prefix, want) in rows {
            let got = parse(line);
            assert_eq!(got.form.kind(), kind, "form of {line:?}: {got:?}");
            assert_eq!(got.prefix, prefix, "prefix of {line:?}: {got:?}");
            match want {
                Clean => assert!(got.defects.is_empty(), "defects of {line:?}: {got:?}"),
                Empty => {
                    assert!(got.is_empty(), "{line:?} should be empty: {got:?}");
                    assert_eq!(got.truncation(), None, "{line:?} empty, not truncated");
                    assert_eq!(got.defects, vec![Defect::Empty]);
                }
                Trunc(pred) => {
                    assert!(!got.is_empty(), "{line:?} is not empty: {got:?}");
                    assert!(
                        got.defects
                            .iter()
                            .any(|d| matches!(d, Defect::Truncated(t) if pred(t))),
                        "{line:?} should show that truncation: {got:?}"
                    );
                }
            }
            let house = !matches!(kind, "Unrecognized" | "Empty");
            assert_eq!(got.is_house_style(), house, "house style of {line:?}");
        }
    }

    #[test]
    fn seed_screenshot_is_truncated_twice_and_not_empty() {
        let got = parse("(Screenshot/");
        assert!(!got.is_empty());
        assert_eq!(got.truncation(), Some(&Truncation::Unbalanced('(')));
        assert!(
            got.defects
                .contains(&Defect::Truncated(Truncation::TrailingSlash))
        );
        assert_eq!(got.form, Form::Screenshot(String::new()));
    }

    #[test]
    fn seed_open_paren_is_empty_only() {
        let got = parse("(");
        assert_eq!(got.defects, vec![Defect::Empty]);
        assert_eq!(got.form, Form::Empty);
        assert!(!got.is_house_style());
        assert_eq!(got.truncation(), None);
    }

    #[test]
    fn seed_good_credits_are_clean_house_style() {
        for line in [
            "(Courtesy of Xiqiang Dong)",
            "Courtesy of Xiqiang Dong",
            "Benjamin Chasteen/The Epoch Times",
        ] {
            let got = parse(line);
            assert!(got.defects.is_empty(), "{line}: {got:?}");
            assert!(got.is_house_style(), "{line}");
            assert_eq!(got.prefix, None);
        }
        assert_eq!(
            parse("(Courtesy of Xiqiang Dong)").form,
            Form::Courtesy("Xiqiang Dong".into())
        );
        assert_eq!(
            parse("Benjamin Chasteen/The Epoch Times").form,
            Form::NameAgency {
                name: "Benjamin Chasteen".into(),
                agency: "The Epoch Times".into()
            }
        );
    }

    #[test]
    fn forms_hold_their_parts() {
        assert_eq!(
            parse("AP Photo/Evan Vucci").form,
            Form::AgencyName {
                agency: "AP Photo".into(),
                name: "Evan Vucci".into()
            }
        );
        assert_eq!(
            parse("Jane Doe/Reuters via Getty Images").form,
            Form::Via {
                who: "Jane Doe/Reuters".into(),
                via: "Getty Images".into()
            }
        );
        assert_eq!(
            parse("Jane Doe for The Washington Post").form,
            Form::For {
                who: "Jane Doe".into(),
                publication: "The Washington Post".into()
            }
        );
        assert_eq!(
            parse("Pool/Getty Images").form,
            Form::Pool(Some("Getty Images".into()))
        );
        assert_eq!(parse("Pool").form, Form::Pool(None));
        assert_eq!(
            parse("Screenshot/YouTube").form,
            Form::Screenshot("YouTube".into())
        );
        let file = parse("File/AP");
        assert_eq!(file.form, Form::Single("AP".into()));
        assert!(file.file);
        let copy = parse("© 2024 Jane Doe/Reuters. All rights reserved.");
        assert_eq!(copy.body, "Jane Doe/Reuters");
        assert_eq!(copy.prefix, Some(Prefix::CopyrightSign));
        match parse("Jane Doe/Reuters; John Roe/AP").form {
            Form::Multiple(lines) => {
                let kinds: Vec<&str> = lines.iter().map(|l| l.form.kind()).collect();
                assert_eq!(kinds, ["NameAgency", "NameAgency"]);
            }
            other => panic!("not a list: {other:?}"),
        }
    }

    #[test]
    fn agencies_name_agency_slots_only() {
        assert_eq!(parse("Jane Doe/Reuters").agencies(), ["Reuters"]);
        assert_eq!(parse("AP Photo/Evan Vucci").agencies(), ["AP Photo"]);
        assert_eq!(
            parse("Jane Doe/Reuters via Getty Images").agencies(),
            ["Reuters", "Getty Images"]
        );
        assert_eq!(
            parse("Óscar Cañas/EUROPA PRESS/dpa").agencies(),
            ["EUROPA PRESS", "dpa"]
        );
        assert_eq!(
            parse("AFP/Getty Images").agencies(),
            ["AFP", "Getty Images"]
        );
        assert_eq!(
            parse("Jane Doe for The Washington Post").agencies(),
            ["The Washington Post"]
        );
        assert_eq!(
            parse("Jane Doe/Reuters; John Roe/AP").agencies(),
            ["Reuters", "AP"]
        );
        assert_eq!(parse("Jane Doe/AFP/Pool").agencies(), ["AFP"]);
        assert_eq!(parse("Handout via Reuters").agencies(), ["Reuters"]);
        assert!(parse("Courtesy of Xiqiang Dong").agencies().is_empty());
        assert!(parse("Screenshot/YouTube").agencies().is_empty());
        assert!(parse("Jane Doe").agencies().is_empty());
        assert_eq!(parse("NASA").agencies(), ["NASA"]);
    }

    #[test]
    fn truncations_read_as_an_editor_would_say_them() {
        let said = |line: &str| parse(line).truncation().map(ToString::to_string);
        assert_eq!(said("(Screenshot/").as_deref(), Some("unclosed '('"));
        assert_eq!(
            said("Jane Doe/").as_deref(),
            Some("nothing after the final '/'")
        );
        assert_eq!(said("Handout via").as_deref(), Some("ends with 'via'"));
        assert_eq!(said("Courtesy of").as_deref(), Some("ends with 'of'"));
        assert_eq!(said("Jane Doe)").as_deref(), Some("unmatched ')'"));
        assert_eq!(Prefix::PhotoBy.to_string(), "Photo by");
        assert_eq!(Defect::Empty.to_string(), "no name in it, only punctuation");
    }

    #[test]
    fn agency_list_is_sorted_for_binary_search() {
        assert!(KNOWN_AGENCIES.windows(2).all(|w| w[0] < w[1]));
        assert!(is_known("The Associated Press") && is_known("REUTERS") && is_known("dpa"));
        assert!(!is_known("Jane Doe"));
    }

    /// Fixed-seed xorshift, so a failure replays.
    struct XorShift(u64);
    impl XorShift {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
        fn below(&mut self, n: usize) -> usize {
            (self.next() % n as u64) as usize
        }
    }

    fn check_invariants(line: &str) {
        let got = parse(line);
        assert!(!(got.is_empty() && got.truncation().is_some()), "{line:?}");
        assert_eq!(got.is_empty(), got.form == Form::Empty, "{line:?}: {got:?}");
        for d in &got.defects {
            let _ = d.to_string();
        }
        let _ = got.agencies();
        let _ = got.is_house_style();
    }

    #[test]
    fn never_panics_on_generated_strings() {
        const PIECES: &[&str] = &[
            "(",
            ")",
            "/",
            "[",
            "]",
            "{",
            "}",
            "\"",
            "'",
            "“",
            "”",
            "‘",
            "’",
            "«",
            "»",
            "‹",
            "›",
            "©",
            "(c)",
            " ",
            " ",
            "  ",
            "\t",
            "a",
            "B",
            "é",
            "Ñ",
            "漢",
            "ß",
            "\u{202e}",
            "\0",
            ";",
            ",",
            ":",
            "-",
            "–",
            "…",
            ".",
            "&",
            "+",
            "@",
            "via ",
            " of ",
            "by ",
            " for ",
            " and ",
            "Courtesy ",
            "Photo by ",
            "Photo: ",
            "Copyright ",
            "2024",
            "Pool",
            "File",
            "Handout",
            "Screenshot",
            "Reuters",
            "AP Photo",
            "Jane Doe",
            "\u{0301}",
            "\u{FFFD}",
        ];
        let mut rng = XorShift(0x9E37_79B9_7F4A_7C15);
        for _ in 0..20_000 {
            let len = rng.below(24);
            let line: String = (0..len).map(|_| PIECES[rng.below(PIECES.len())]).collect();
            check_invariants(&line);
        }
        // Raw pseudo-random bytes, decoded lossily as the caller would.
        for _ in 0..2_000 {
            let len = rng.below(64);
            let bytes: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
            check_invariants(&String::from_utf8_lossy(&bytes));
        }
    }

    #[test]
    fn never_panics_on_truncations_of_a_valid_credit() {
        let full =
            "(© 2024 Óscar Cañas/EUROPA PRESS/dpa via “Getty Images”; Courtesy of the artist)";
        for (at, _) in full.char_indices() {
            check_invariants(full.get(..at).unwrap_or(""));
            check_invariants(full.get(at..).unwrap_or(""));
        }
    }

    #[test]
    fn long_and_deep_input_stays_cheap() {
        let deep = "(".repeat(5_000) + "Jane Doe/Reuters" + &")".repeat(4_000);
        check_invariants(&deep);
        let wide = "Jane Doe/Reuters via AP, ".repeat(2_000);
        check_invariants(&wide);
        let vias = "Jane Doe via ".repeat(2_000) + "AP";
        check_invariants(&vias);
        let slashes = "A/".repeat(5_000);
        check_invariants(&slashes);
    }
}

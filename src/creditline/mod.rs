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
//!
//! # Where each part lives
//! `lex` reads the text (balance, top-level scanning, words, case); `prefix` peels brackets
//! and prefixes; `truncation` finds a cut at the end; `form` picks the house form; `names`
//! tells a person from an agency by its shape; `words` holds the word lists, kept in
//! `words.txt` so they can grow without touching the grammar.

use std::fmt;

mod form;
mod lex;
mod names;
mod prefix;
mod truncation;
mod words;

pub use form::Form;
pub use prefix::Prefix;
pub use truncation::Truncation;
pub use words::is_known;

use form::classify;
use lex::has_alnum;
use prefix::peel;
use truncation::{form_text, scan_balance, trailing};

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

/// [`parse`] of a line `depth` credits deep; `allow_list` lets it be read as a `,`/`and` list.
pub(super) fn parse_at(line: &str, depth: usize, allow_list: bool) -> CreditLine {
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

/// Adds `item` unless the list has it already: defects and agencies are reported once.
pub(super) fn push_unique<T: PartialEq>(list: &mut Vec<T>, item: T) {
    if !list.contains(&item) {
        list.push(item);
    }
}

#[cfg(test)]
mod tests;

//! Reading a manifest: strict JSON (no duplicate keys) into [`Manifest`], with
//! file, line, column and JSON path in every error.
//!
//! A small hand-written parser rather than serde_json's, because serde_json
//! silently keeps the last of two equal keys (an editor's caption lost) and
//! cannot tell a visitor where in the text a value stood. It builds a tree
//! whose nodes carry their byte offset; line and column are computed from the
//! offset only when an error is reported, so the work stays linear in the
//! input. Numbers are handed to serde_json's own number parser.
//!
//! Big manifests (a hundred thousand items) take two fast paths, each for
//! valid input only: [`load`] reads the file through a window ([`stream`])
//! rather than whole, and a plain item is parsed straight into an [`Item`]
//! ([`quick`]) rather than through the tree. Each gives up on anything it
//! does not expect, and the general path takes over: it alone reports
//! errors, so they read the same whichever path met the input first.

mod quick;
mod stream;

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::Path;

use serde_json::{Map, Number, Value};

use super::model::{Field, Item, Manifest, SUPPORTED_VERSIONS};
use super::save::write_json_string;
use super::{Location, ManifestError, Problem, Syntax};

/// Deepest nesting of arrays and objects accepted (serde_json's default too):
/// bounds the recursion so no input can overflow the stack.
pub const MAX_DEPTH: usize = 128;

/// Read and parse the manifest at `path`.
///
/// A UTF-8 byte-order mark is accepted and dropped (Windows editors add one);
/// UTF-16 and invalid UTF-8 are errors that say where.
pub fn load(path: &Path) -> Result<Manifest, ManifestError> {
    load_with(path, false)
}

/// [`load`] for `verify`, which reads only paths, hashes, sizes and
/// `missing`: every item is cut to those ([`Item::fixity_only`]) as it is
/// parsed, so a 100k-item manifest's captions and credits (a third of its
/// memory) are never all held at once.
pub fn load_fixity(path: &Path) -> Result<Manifest, ManifestError> {
    load_with(path, true)
}

fn load_with(path: &Path, fixity_only: bool) -> Result<Manifest, ManifestError> {
    // A valid manifest is read through a window; anything else (rare) is
    // read again, whole, to say where and what the problem is.
    let mut manifest = match stream::load(path, fixity_only) {
        Some(m) => m,
        None => {
            let bytes = std::fs::read(path).map_err(|source| ManifestError::Read {
                path: path.to_path_buf(),
                source,
            })?;
            let mut m = parse_bytes(&bytes, path)?;
            // The window reader cuts as it goes; this path cuts at the end.
            if fixity_only {
                m.items.iter_mut().for_each(Item::fixity_only);
            }
            m
        }
    };
    // The items grew by doubling while parsed: up to half again their size
    // in slack, 16 MB for 100k items, held for the whole run otherwise.
    manifest.items.shrink_to_fit();
    Ok(manifest)
}

/// Parse manifest bytes; `origin` names the file in errors.
pub fn parse_bytes(bytes: &[u8], origin: &Path) -> Result<Manifest, ManifestError> {
    parse_bytes_with(bytes, origin, true)
}

/// [`parse_bytes`], with the fast path for items on or (to test it) off.
fn parse_bytes_with(bytes: &[u8], origin: &Path, quick: bool) -> Result<Manifest, ManifestError> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(invalid(origin, "", 0, String::new(), Problem::Utf16));
    }
    let bom = if bytes.starts_with(UTF8_BOM) {
        UTF8_BOM.len()
    } else {
        0
    };
    let body = bytes.get(bom..).unwrap_or_default();
    match std::str::from_utf8(body) {
        Ok(text) => parse_with(text, origin, quick),
        Err(e) => {
            let good = e.valid_up_to();
            // The prefix up to `good` is valid by definition.
            let prefix = std::str::from_utf8(body.get(..good).unwrap_or_default()).unwrap_or("");
            let offset = good + bom;
            Err(invalid(
                origin,
                prefix,
                good,
                String::new(),
                Problem::InvalidUtf8 { offset },
            ))
        }
    }
}

const UTF8_BOM: &[u8] = &[0xEF, 0xBB, 0xBF];

/// Parse manifest text; `origin` names the file in errors.
///
/// A leading U+FEFF (a byte-order mark) is ignored.
pub fn parse(text: &str, origin: &Path) -> Result<Manifest, ManifestError> {
    parse_with(text, origin, true)
}

/// [`parse`], with the fast path for items on or (to test it) off.
fn parse_with(text: &str, origin: &Path, quick: bool) -> Result<Manifest, ManifestError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let fail = |f: Fail| invalid(origin, text, f.at, f.pointer, f.problem);
    let mut parser = Parser::new(text, quick);
    let root = parser.document().map_err(fail)?;
    Convert { text }
        .manifest(root, parser.items.take())
        .map_err(fail)
}

fn invalid(
    origin: &Path,
    text: &str,
    at: usize,
    pointer: String,
    problem: Problem,
) -> ManifestError {
    let (line, column) = line_column(text, at);
    ManifestError::Invalid {
        at: Location {
            file: origin.to_path_buf(),
            line,
            column,
            pointer,
        },
        problem,
    }
}

/// 1-based line and column (in characters) of byte offset `at` in `text`.
fn line_column(text: &str, at: usize) -> (usize, usize) {
    let before = text.get(..at).unwrap_or(text);
    let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before.get(line_start..).map_or(0, |s| s.chars().count()) + 1;
    (line, column)
}

/// An error before it is given its file, line and column.
#[derive(Debug)]
struct Fail {
    at: usize,
    pointer: String,
    problem: Problem,
}

fn syntax(at: usize, s: Syntax) -> Fail {
    Fail {
        at,
        pointer: String::new(),
        problem: Problem::Syntax(s),
    }
}

/// A JSON value and the byte offset where it starts.
#[derive(Debug)]
struct Node<'a> {
    at: usize,
    kind: Kind<'a>,
}

#[derive(Debug)]
enum Kind<'a> {
    Null,
    Bool(bool),
    Number(Number),
    Str(String),
    Array(Vec<Node<'a>>),
    Object(Vec<Member<'a>>),
}

impl Kind<'_> {
    /// How an error message names this type ("found a number").
    fn describe(&self) -> &'static str {
        match self {
            Kind::Null => "null",
            Kind::Bool(_) => "a boolean",
            Kind::Number(_) => "a number",
            Kind::Str(_) => "a string",
            Kind::Array(_) => "an array",
            Kind::Object(_) => "an object",
        }
    }
}

/// An object member; `at` is the offset of its key.
///
/// Keys are borrowed from the text unless they contain escapes: a manifest
/// repeats the same short keys a million times, and an allocation for each
/// would cost more than the rest of the parse.
#[derive(Debug)]
struct Member<'a> {
    key: Cow<'a, str>,
    at: usize,
    value: Node<'a>,
}

/// RFC 8259 JSON, strictly: no comments, no trailing commas, one value.
struct Parser<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    /// The top-level `items`, converted one by one as they are parsed, so
    /// a 100k-item manifest never exists as a whole JSON tree in memory.
    items: Option<Vec<Item>>,
    /// Whether items try [`Parser::quick_item`] first.
    quick: bool,
}

impl<'a> Parser<'a> {
    fn new(text: &'a str, quick: bool) -> Self {
        Parser {
            text,
            bytes: text.as_bytes(),
            pos: 0,
            items: None,
            quick,
        }
    }

    fn document(&mut self) -> Result<Node<'a>, Fail> {
        self.skip_ws();
        let node = self.value(0)?;
        self.skip_ws();
        if self.pos < self.bytes.len() {
            return Err(syntax(self.pos, Syntax::TrailingCharacters));
        }
        Ok(node)
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn rest(&self) -> &'a [u8] {
        self.bytes.get(self.pos..).unwrap_or_default()
    }

    fn skip_ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.pos += 1;
            // Indentation comes in runs of spaces: take them eight at a time.
            while let Some(word) = self.word() {
                let others = word ^ (ONES * u64::from(b' '));
                if others != 0 {
                    self.pos += (others.trailing_zeros() / 8) as usize;
                    break;
                }
                self.pos += 8;
            }
        }
    }

    /// The next eight bytes as one little-endian word, if there are eight.
    fn word(&self) -> Option<u64> {
        let bytes = self.bytes.get(self.pos..self.pos.checked_add(8)?)?;
        Some(u64::from_le_bytes(bytes.try_into().ok()?))
    }

    fn value(&mut self, depth: usize) -> Result<Node<'a>, Fail> {
        let at = self.pos;
        let kind = match self.peek() {
            None => return Err(syntax(at, Syntax::UnexpectedEnd)),
            Some(b'{') => {
                let mut members = Vec::new();
                self.object(depth, &mut members)?;
                Kind::Object(members)
            }
            Some(b'[') => self.array(depth)?,
            Some(b'"') => Kind::Str(self.string()?.into_owned()),
            Some(b'-' | b'0'..=b'9') => Kind::Number(self.number()?),
            Some(b't') => self.literal(b"true", Kind::Bool(true))?,
            Some(b'f') => self.literal(b"false", Kind::Bool(false))?,
            Some(b'n') => self.literal(b"null", Kind::Null)?,
            Some(_) => return Err(syntax(at, Syntax::ExpectedValue)),
        };
        Ok(Node { at, kind })
    }

    fn literal<T>(&mut self, word: &[u8], value: T) -> Result<T, Fail> {
        let end = self.pos.saturating_add(word.len());
        if self.bytes.get(self.pos..end) == Some(word) {
            self.pos = end;
            Ok(value)
        } else {
            Err(syntax(self.pos, Syntax::ExpectedValue))
        }
    }

    fn enter(&self, depth: usize) -> Result<usize, Fail> {
        if depth >= MAX_DEPTH {
            Err(syntax(self.pos, Syntax::TooDeep))
        } else {
            Ok(depth + 1)
        }
    }

    /// An object starting at `{`, its members appended to `members`, which
    /// must be empty: the caller chooses the vector so that items can reuse
    /// one rather than allocate their own.
    fn object(&mut self, depth: usize, members: &mut Vec<Member<'a>>) -> Result<(), Fail> {
        let depth = self.enter(depth)?;
        self.pos += 1; // '{'
        self.skip_ws();
        if self.peek() == Some(b'}') {
            self.pos += 1;
            return Ok(());
        }
        loop {
            self.skip_ws();
            let at = self.pos;
            match self.peek() {
                Some(b'"') => {}
                Some(b'}') if !members.is_empty() => return Err(syntax(at, Syntax::TrailingComma)),
                None => return Err(syntax(at, Syntax::UnexpectedEnd)),
                Some(_) => return Err(syntax(at, Syntax::ExpectedKey)),
            }
            let key = self.string()?;
            self.skip_ws();
            match self.peek() {
                Some(b':') => self.pos += 1,
                None => return Err(syntax(self.pos, Syntax::UnexpectedEnd)),
                Some(_) => return Err(syntax(self.pos, Syntax::ExpectedColon)),
            }
            self.skip_ws();
            let value = if depth == 1 && key == "items" && self.peek() == Some(b'[') {
                self.items(depth)?
            } else {
                self.value(depth)?
            };
            members.push(Member { key, at, value });
            self.skip_ws();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(());
                }
                None => return Err(syntax(self.pos, Syntax::UnexpectedEnd)),
                Some(_) => return Err(syntax(self.pos, Syntax::ExpectedCommaOrBrace)),
            }
        }
    }

    fn array(&mut self, depth: usize) -> Result<Kind<'a>, Fail> {
        let depth = self.enter(depth)?;
        self.pos += 1; // '['
        let mut elements = Vec::new();
        self.skip_ws();
        if self.peek() == Some(b']') {
            self.pos += 1;
            return Ok(Kind::Array(elements));
        }
        loop {
            self.skip_ws();
            if self.peek() == Some(b']') && !elements.is_empty() {
                return Err(syntax(self.pos, Syntax::TrailingComma));
            }
            elements.push(self.value(depth)?);
            self.skip_ws();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    return Ok(Kind::Array(elements));
                }
                None => return Err(syntax(self.pos, Syntax::UnexpectedEnd)),
                Some(_) => return Err(syntax(self.pos, Syntax::ExpectedCommaOrBracket)),
            }
        }
    }

    /// The top-level `items` array, each element turned into an [`Item`] as
    /// soon as it is parsed (into [`Parser::items`]); the tree keeps an empty
    /// array in its place.
    fn items(&mut self, depth: usize) -> Result<Node<'a>, Fail> {
        let at = self.pos;
        let depth = self.enter(depth)?;
        self.pos += 1; // '['
        let convert = Convert { text: self.text };
        let (root, key) = (Ptr::Root, "items");
        let ptr = Ptr::Key(&root, key);
        let mut list = Vec::new();
        // The members of every item the fast path gives up on pass through
        // this one vector.
        let mut members = Vec::new();
        self.skip_ws();
        if self.peek() == Some(b']') {
            self.pos += 1;
        } else {
            loop {
                self.skip_ws();
                if self.peek() == Some(b']') && !list.is_empty() {
                    return Err(syntax(self.pos, Syntax::TrailingComma));
                }
                let iptr = Ptr::Index(&ptr, list.len());
                let at = self.pos;
                let object = self.peek() == Some(b'{');
                if !(object && self.quick && self.quick_item(depth, &mut list)) {
                    let item = if object {
                        // Again from the start, the general way, which
                        // reports whatever made the fast path give up.
                        self.pos = at;
                        self.object(depth, &mut members)?;
                        convert.item_members(at, &mut members, &iptr)?
                    } else {
                        let node = self.value(depth)?;
                        convert.item(node, &iptr)?
                    };
                    list.push(item);
                }
                self.skip_ws();
                match self.peek() {
                    Some(b',') => self.pos += 1,
                    Some(b']') => {
                        self.pos += 1;
                        break;
                    }
                    None => return Err(syntax(self.pos, Syntax::UnexpectedEnd)),
                    Some(_) => return Err(syntax(self.pos, Syntax::ExpectedCommaOrBracket)),
                }
            }
        }
        self.items = Some(list);
        Ok(Node {
            at,
            kind: Kind::Array(Vec::new()),
        })
    }

    /// A string starting at the opening quote: borrowed from the text when
    /// it has no escapes (nearly always), decoded into a new one otherwise.
    fn string(&mut self) -> Result<Cow<'a, str>, Fail> {
        self.pos += 1; // '"'
        let start = self.pos;
        self.plain_run();
        let mut out = match self.peek() {
            Some(b'"') => {
                let s = self.text.get(start..self.pos).unwrap_or_default();
                self.pos += 1;
                return Ok(Cow::Borrowed(s));
            }
            _ => String::new(),
        };
        let mut run = start;
        loop {
            // The text is valid UTF-8 and a run ends at an ASCII byte, so
            // slicing is on a character boundary.
            out.push_str(self.text.get(run..self.pos).unwrap_or_default());
            match self.peek() {
                None => return Err(syntax(self.pos, Syntax::UnexpectedEnd)),
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(Cow::Owned(out));
                }
                Some(b'\\') => out.push(self.escape()?),
                Some(_) => return Err(syntax(self.pos, Syntax::ControlInString)),
            }
            run = self.pos;
            self.plain_run();
        }
    }

    /// Moves past the characters that stand for themselves in a string, up
    /// to the next quote, backslash or control character (or the end).
    fn plain_run(&mut self) {
        self.pos += plain_len(self.rest());
    }

    /// One escape sequence starting at the backslash.
    fn escape(&mut self) -> Result<char, Fail> {
        let at = self.pos;
        let c = match self.bytes.get(at + 1) {
            None => return Err(syntax(at, Syntax::UnexpectedEnd)),
            Some(b'"') => '"',
            Some(b'\\') => '\\',
            Some(b'/') => '/',
            Some(b'b') => '\u{8}',
            Some(b'f') => '\u{c}',
            Some(b'n') => '\n',
            Some(b'r') => '\r',
            Some(b't') => '\t',
            Some(b'u') => return self.unicode_escape(),
            Some(_) => return Err(syntax(at, Syntax::BadEscape)),
        };
        self.pos += 2;
        Ok(c)
    }

    /// `\uXXXX`, or a surrogate pair `\uD83D\uDCF7`.
    fn unicode_escape(&mut self) -> Result<char, Fail> {
        let at = self.pos;
        let high = self.hex4(at + 2)?;
        self.pos = at + 6;
        let code = match high {
            0xD800..=0xDBFF => {
                if self.bytes.get(self.pos..self.pos + 2) != Some(b"\\u") {
                    return Err(syntax(at, Syntax::LoneSurrogate));
                }
                let low = self.hex4(self.pos + 2)?;
                if !(0xDC00..=0xDFFF).contains(&low) {
                    return Err(syntax(at, Syntax::LoneSurrogate));
                }
                self.pos += 6;
                0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
            }
            0xDC00..=0xDFFF => return Err(syntax(at, Syntax::LoneSurrogate)),
            other => other,
        };
        char::from_u32(code).ok_or_else(|| syntax(at, Syntax::LoneSurrogate))
    }

    fn hex4(&self, from: usize) -> Result<u32, Fail> {
        let digits = self
            .bytes
            .get(from..from.saturating_add(4))
            .ok_or_else(|| syntax(from.min(self.bytes.len()), Syntax::BadUnicodeEscape))?;
        digits.iter().try_fold(0u32, |acc, &b| {
            let d = (b as char)
                .to_digit(16)
                .ok_or_else(|| syntax(from, Syntax::BadUnicodeEscape))?;
            Ok(acc * 16 + d)
        })
    }

    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`
    fn number(&mut self) -> Result<Number, Fail> {
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        match self.peek() {
            Some(b'0') => self.pos += 1,
            Some(b'1'..=b'9') => self.digits(),
            _ => return Err(syntax(self.pos, Syntax::BadNumber)),
        }
        let integral = !matches!(self.peek(), Some(b'.' | b'e' | b'E'));
        if self.peek() == Some(b'.') {
            self.pos += 1;
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return Err(syntax(self.pos, Syntax::BadNumber));
            }
            self.digits();
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.pos += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.pos += 1;
            }
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return Err(syntax(self.pos, Syntax::BadNumber));
            }
            self.digits();
        }
        let text = self.text.get(start..self.pos).unwrap_or_default();
        to_number(text, integral).ok_or_else(|| syntax(start, Syntax::NumberOutOfRange))
    }

    fn digits(&mut self) {
        while let Some(b'0'..=b'9') = self.peek() {
            self.pos += 1;
        }
    }
}

/// Each byte of a word one: times a byte, that byte in every position.
const ONES: u64 = u64::from_ne_bytes([1; 8]);
/// The top bit of each byte of a word.
const HIGH: u64 = ONES << 7;

/// How many bytes at the start of `bytes` stand for themselves in a JSON
/// string: the length up to the first quote, backslash or control character.
///
/// Eight bytes at a time, as one `u64` (strings are mostly short, too short
/// for wider vector code to pay off): a byte of `x ^ (b * ONES)` is zero
/// where `x` has the byte `b`, and `(v - ONES) & !v & HIGH` flags a byte of
/// `v` that is zero (or, for `x - 0x20 * ONES`, below 0x20). A borrow can
/// flag a byte above a true hit too, never below, so the lowest flag is the
/// first hit.
fn plain_len(bytes: &[u8]) -> usize {
    let mut chunks = bytes.chunks_exact(8);
    let mut done = 0;
    for chunk in &mut chunks {
        let x = u64::from_le_bytes(chunk.try_into().unwrap_or_default());
        let quote = x ^ (ONES * u64::from(b'"'));
        let backslash = x ^ (ONES * u64::from(b'\\'));
        let hits = (quote.wrapping_sub(ONES) & !quote)
            | (backslash.wrapping_sub(ONES) & !backslash)
            | (x.wrapping_sub(ONES * 0x20) & !x);
        let hits = hits & HIGH;
        if hits != 0 {
            return done + (hits.trailing_zeros() / 8) as usize;
        }
        done += 8;
    }
    let tail = chunks.remainder();
    done + tail
        .iter()
        .position(|&b| b == b'"' || b == b'\\' || b < 0x20)
        .unwrap_or(tail.len())
}

/// A grammatical JSON number as serde_json's [`Number`]: an integer when it
/// fits 64 bits, else a float. Floats go through std's correctly rounded
/// parser, not serde_json's faster one (which can be off by one unit in the
/// last place), so that writing the shortest form and reading it back gives
/// the same float: a rewritten manifest is a fixed point. `integral`: the
/// text has neither fraction nor exponent.
fn to_number(text: &str, integral: bool) -> Option<Number> {
    let int = if !integral {
        None
    } else if text.starts_with('-') {
        text.parse::<i64>().ok().map(Number::from)
    } else {
        text.parse::<u64>().ok().map(Number::from)
    };
    int.or_else(|| {
        let f = text.parse::<f64>().ok().filter(|f| f.is_finite())?;
        Number::from_f64(f)
    })
}

/// 64 hexadecimal digits.
fn is_sha256(h: &str) -> bool {
    // Without early exit, so the check compiles to vector code.
    h.len() == 64 && h.bytes().fold(true, |ok, b| ok & b.is_ascii_hexdigit())
}

/// A JSON path being walked, for error messages; turned into text only when
/// an error is reported.
#[derive(Clone, Copy)]
enum Ptr<'p> {
    Root,
    Key(&'p Ptr<'p>, &'p str),
    Index(&'p Ptr<'p>, usize),
}

impl Ptr<'_> {
    fn render(&self) -> String {
        let mut out = String::new();
        self.render_into(&mut out);
        out
    }

    fn render_into(&self, out: &mut String) {
        match *self {
            Ptr::Root => {}
            Ptr::Key(parent, key) => {
                parent.render_into(out);
                let plain = key.chars().next().is_some_and(|c| !c.is_ascii_digit())
                    && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
                if plain {
                    if !out.is_empty() {
                        out.push('.');
                    }
                    out.push_str(key);
                } else {
                    out.push('[');
                    write_json_string(out, key);
                    out.push(']');
                }
            }
            Ptr::Index(parent, i) => {
                parent.render_into(out);
                let _ = write!(out, "[{i}]");
            }
        }
    }
}

/// Turns the parsed tree into the model, checking types and duplicate keys.
struct Convert<'a> {
    text: &'a str,
}

/// Objects up to this many members are checked for duplicate keys by
/// comparing each key with those before it, which for an item's ten-odd short
/// keys is much cheaper than hashing them; larger ones use a hash map, so the
/// check stays linear.
const LINEAR_DUPLICATE_CHECK: usize = 16;

impl Convert<'_> {
    fn fail(&self, at: usize, ptr: &Ptr<'_>, problem: Problem) -> Fail {
        Fail {
            at,
            pointer: ptr.render(),
            problem,
        }
    }

    fn wrong_type(&self, node: &Node<'_>, ptr: &Ptr<'_>, expected: &'static str) -> Fail {
        let found = node.kind.describe();
        self.fail(node.at, ptr, Problem::WrongType { expected, found })
    }

    /// Two equal keys in one object are an error, never "last one wins".
    /// Keys are compared decoded, so `"a"` and `"\u0061"` are the same key.
    fn no_duplicates(&self, members: &[Member<'_>], ptr: &Ptr<'_>) -> Result<(), Fail> {
        let repeat = if members.len() <= LINEAR_DUPLICATE_CHECK {
            members.iter().enumerate().find_map(|(i, m)| {
                let first = members.iter().take(i).find(|f| f.key == m.key)?;
                Some((first.at, m))
            })
        } else {
            let mut seen: HashMap<&str, usize> = HashMap::with_capacity(members.len());
            members
                .iter()
                .find_map(|m| Some((seen.insert(m.key.as_ref(), m.at)?, m)))
        };
        match repeat {
            None => Ok(()),
            Some((first, m)) => {
                let (first_line, first_column) = line_column(self.text, first);
                let problem = Problem::DuplicateKey {
                    key: m.key.clone().into_owned(),
                    first_line,
                    first_column,
                };
                Err(self.fail(m.at, ptr, problem))
            }
        }
    }

    /// `parsed`: the items already converted while parsing, if any.
    fn manifest(&self, root: Node<'_>, mut parsed: Option<Vec<Item>>) -> Result<Manifest, Fail> {
        let ptr = Ptr::Root;
        let Kind::Object(members) = root.kind else {
            return Err(self.wrong_type(&root, &ptr, "an object (a cutline manifest)"));
        };
        self.no_duplicates(&members, &ptr)?;
        // The version decides how the rest reads, so it is checked first.
        let Some(v) = members.iter().find(|m| m.key == "cutline") else {
            return Err(self.fail(root.at, &ptr, Problem::NotAManifest));
        };
        let vptr = Ptr::Key(&ptr, "cutline");
        let version = match &v.value.kind {
            Kind::Number(n) => n
                .as_u64()
                .and_then(|n| u32::try_from(n).ok())
                .filter(|n| SUPPORTED_VERSIONS.contains(n))
                .ok_or_else(|| {
                    let found = n.to_string();
                    self.fail(v.value.at, &vptr, Problem::UnsupportedVersion { found })
                })?,
            _ => return Err(self.wrong_type(&v.value, &vptr, "the number 1")),
        };
        let mut manifest = Manifest {
            version,
            ..Manifest::default()
        };
        let mut items = None;
        for m in members {
            let mptr = Ptr::Key(&ptr, &m.key);
            match m.key.as_ref() {
                "cutline" => {}
                "root" => manifest.root = self.opt_string(m.value, &mptr)?,
                "policy" => match m.value.kind {
                    Kind::Null => {}
                    Kind::Object(_) => manifest.policy = Some(self.json(m.value, &mptr)?),
                    _ => return Err(self.wrong_type(&m.value, &mptr, "an object")),
                },
                "items" => {
                    let Kind::Array(nodes) = m.value.kind else {
                        return Err(self.wrong_type(&m.value, &mptr, "an array of items"));
                    };
                    if let Some(list) = parsed.take() {
                        items = Some(list);
                        continue;
                    }
                    let mut list = Vec::with_capacity(nodes.len());
                    for (i, node) in nodes.into_iter().enumerate() {
                        list.push(self.item(node, &Ptr::Index(&mptr, i))?);
                    }
                    items = Some(list);
                }
                _ => {
                    let value = self.json(m.value, &mptr)?;
                    manifest.extra.insert(m.key.into_owned(), value);
                }
            }
        }
        manifest.items =
            items.ok_or_else(|| self.fail(root.at, &ptr, Problem::MissingKey("items")))?;
        Ok(manifest)
    }

    fn item(&self, node: Node<'_>, ptr: &Ptr<'_>) -> Result<Item, Fail> {
        let Kind::Object(mut members) = node.kind else {
            return Err(self.wrong_type(&node, ptr, "an object (one item)"));
        };
        self.item_members(node.at, &mut members, ptr)
    }

    /// An item from the members of the object at `at`, which are drained.
    fn item_members(
        &self,
        at: usize,
        members: &mut Vec<Member<'_>>,
        ptr: &Ptr<'_>,
    ) -> Result<Item, Fail> {
        self.no_duplicates(members, ptr)?;
        let mut item = Item::default();
        let mut path = None;
        // Which key set each field, to catch a name and its alias both given.
        let mut given: [Option<&'static str>; Field::ALL.len()] = [None; Field::ALL.len()];
        for m in members.drain(..) {
            let mptr = Ptr::Key(ptr, &m.key);
            match m.key.as_ref() {
                "path" => match m.value.kind {
                    Kind::Str(s) => path = Some(s),
                    _ => return Err(self.wrong_type(&m.value, &mptr, "a string")),
                },
                "sha256" => item.sha256 = self.opt_hash(m.value, &mptr)?,
                "image_sha256" => item.image_sha256 = self.opt_hash(m.value, &mptr)?,
                "size" => item.size = self.opt_size(m.value, &mptr)?,
                "missing" => {
                    item.missing = match m.value.kind {
                        Kind::Null => false,
                        Kind::Bool(b) => b,
                        _ => return Err(self.wrong_type(&m.value, &mptr, "true or false")),
                    }
                }
                key => match Field::from_key(key) {
                    Some((field, spelled)) => {
                        let slot = given.get_mut(field as usize);
                        if let Some(&mut Some(first)) = slot {
                            let problem = Problem::AliasConflict {
                                field: field.name(),
                                first,
                                second: spelled,
                            };
                            return Err(self.fail(m.at, ptr, problem));
                        }
                        if let Some(slot) = slot {
                            *slot = Some(spelled);
                        }
                        if spelled != field.name() {
                            item.spelling.insert(field, spelled);
                        }
                        match item.text_mut(field) {
                            Some(slot) => *slot = self.opt_string(m.value, &mptr)?,
                            None => item.creator = self.names(m.value, &mptr)?,
                        }
                    }
                    None => {
                        let value = self.json(m.value, &mptr)?;
                        item.extra.insert(m.key.into_owned(), value);
                    }
                },
            }
        }
        item.path = path.ok_or_else(|| self.fail(at, ptr, Problem::MissingKey("path")))?;
        Ok(item)
    }

    /// A string; `null` means absent, as if the key were left out.
    fn opt_string(&self, node: Node<'_>, ptr: &Ptr<'_>) -> Result<Option<String>, Fail> {
        match node.kind {
            Kind::Null => Ok(None),
            Kind::Str(s) => Ok(Some(s)),
            _ => Err(self.wrong_type(&node, ptr, "a string")),
        }
    }

    /// A size in bytes: a whole number, zero or more.
    fn opt_size(&self, node: Node<'_>, ptr: &Ptr<'_>) -> Result<Option<u64>, Fail> {
        match &node.kind {
            Kind::Null => Ok(None),
            Kind::Number(n) => n.as_u64().map(Some).ok_or_else(|| {
                let problem = Problem::WrongType {
                    expected: "a whole number of bytes",
                    found: "a negative or fractional number",
                };
                self.fail(node.at, ptr, problem)
            }),
            _ => Err(self.wrong_type(&node, ptr, "a whole number of bytes")),
        }
    }

    fn opt_hash(&self, node: Node<'_>, ptr: &Ptr<'_>) -> Result<Option<String>, Fail> {
        let at = node.at;
        let hash = self.opt_string(node, ptr)?;
        match &hash {
            Some(h) if !is_sha256(h) => Err(self.fail(at, ptr, Problem::BadHash)),
            _ => Ok(hash),
        }
    }

    /// `creator`: one name as a string, or an array of names.
    fn names(&self, node: Node<'_>, ptr: &Ptr<'_>) -> Result<Vec<String>, Fail> {
        match node.kind {
            Kind::Null => Ok(Vec::new()),
            Kind::Str(s) => Ok(vec![s]),
            Kind::Array(nodes) => nodes
                .into_iter()
                .enumerate()
                .map(|(i, n)| match n.kind {
                    Kind::Str(s) => Ok(s),
                    _ => Err(self.wrong_type(&n, &Ptr::Index(ptr, i), "a string")),
                })
                .collect(),
            _ => Err(self.wrong_type(&node, ptr, "a string or an array of strings")),
        }
    }

    /// Any JSON, kept as it is (unknown keys, `policy`).
    fn json(&self, node: Node<'_>, ptr: &Ptr<'_>) -> Result<Value, Fail> {
        Ok(match node.kind {
            Kind::Null => Value::Null,
            Kind::Bool(b) => Value::Bool(b),
            Kind::Number(n) => Value::Number(n),
            Kind::Str(s) => Value::String(s),
            Kind::Array(nodes) => {
                let mut out = Vec::with_capacity(nodes.len());
                for (i, n) in nodes.into_iter().enumerate() {
                    out.push(self.json(n, &Ptr::Index(ptr, i))?);
                }
                Value::Array(out)
            }
            Kind::Object(members) => {
                self.no_duplicates(&members, ptr)?;
                let mut out = Map::new();
                for m in members {
                    let value = self.json(m.value, &Ptr::Key(ptr, &m.key))?;
                    out.insert(m.key.into_owned(), value);
                }
                Value::Object(out)
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HASH: &str = "9f2c0000000000000000000000000000000000000000000000000000000000ff";

    fn p(text: &str) -> Result<Manifest, ManifestError> {
        parse(text, Path::new("manifests/x.json"))
    }

    fn err(text: &str) -> String {
        p(text).expect_err("should be rejected").to_string()
    }

    fn problem(text: &str) -> Problem {
        match p(text) {
            Err(ManifestError::Invalid { problem, .. }) => problem,
            other => panic!("expected an Invalid error, got {other:?}"),
        }
    }

    #[test]
    fn reads_the_design_example() {
        let text = format!(
            r#"{{
  "cutline": 1,
  "root": "../media",
  "policy": {{ "required": ["caption", "credit"] }},
  "items": [
    {{
      "path": "harbor/boats-at-dawn.jpg",
      "sha256": "{HASH}",
      "image_sha256": "{HASH}",
      "caption": "Fishing boats leave the harbor at dawn.",
      "credit": "Jane Doe/Northern Wire",
      "creator": ["Jane Doe"],
      "copyright": "© 2024 Northern Wire",
      "source": "Northern Wire",
      "date": "2024-05-03",
      "alt": "Three small fishing boats on calm grey water."
    }}
  ]
}}"#
        );
        let m = p(&text).unwrap();
        assert_eq!(m.version, 1);
        assert_eq!(m.root.as_deref(), Some("../media"));
        assert_eq!(m.items.len(), 1);
        let it = &m.items[0];
        assert_eq!(it.path, "harbor/boats-at-dawn.jpg");
        assert_eq!(it.credit.as_deref(), Some("Jane Doe/Northern Wire"));
        assert_eq!(it.creator, vec!["Jane Doe".to_string()]);
        assert_eq!(it.copyright.as_deref(), Some("© 2024 Northern Wire"));
        assert!(it.spelling.is_empty());
        assert!(m.policy.unwrap().is_object());
    }

    #[test]
    fn iptc_aliases_fill_the_fields_and_remember_the_spelling() {
        let m = p(r#"{"cutline":1,"items":[{"path":"a.jpg","description":"Boats.",
            "creditLine":"Jane Doe/Wire","creatorNames":"Jane Doe","copyrightNotice":"© Wire",
            "dateCreated":"2024-05-03","jobid":"J1","countryName":"UK","altTextAccessibility":"Boats"}]}"#)
        .unwrap();
        let it = &m.items[0];
        assert_eq!(it.caption.as_deref(), Some("Boats."));
        assert_eq!(it.credit.as_deref(), Some("Jane Doe/Wire"));
        assert_eq!(it.creator, vec!["Jane Doe".to_string()]);
        assert_eq!(it.job_id.as_deref(), Some("J1"));
        assert_eq!(it.key_for(Field::Credit), "creditLine");
        assert_eq!(it.key_for(Field::JobId), "jobid");
        assert_eq!(it.key_for(Field::Source), "source");
        let m = p(r#"{"cutline":1,"items":[{"path":"a.jpg","jobId":"J2"}]}"#).unwrap();
        assert_eq!(m.items[0].key_for(Field::JobId), "jobId");
    }

    #[test]
    fn a_field_given_by_name_and_alias_is_an_error_naming_both() {
        let text = "{\"cutline\":1,\"items\":[{\"path\":\"a.jpg\",\n\"credit\":\"A\",\n  \"creditLine\":\"B\"}]}";
        assert_eq!(
            err(text),
            "manifests/x.json:3:3: items[0]: \"credit\" and \"creditLine\" both set the credit field; keep one"
        );
        let text = r#"{"cutline":1,"items":[{"path":"a.jpg","jobid":"1","jobId":"2"}]}"#;
        assert!(matches!(
            problem(text),
            Problem::AliasConflict {
                first: "jobid",
                second: "jobId",
                ..
            }
        ));
    }

    #[test]
    fn duplicate_keys_are_errors_with_both_places() {
        let text = "{\"cutline\": 1, \"items\": [\n  {\"path\": \"a.jpg\",\n   \"caption\": \"one\",\n   \"caption\": \"two\"}\n]}";
        assert_eq!(
            err(text),
            "manifests/x.json:4:4: items[0]: duplicate key \"caption\" (first at line 3, column 4)"
        );
        // At the top level, and inside unknown values and the policy.
        assert!(matches!(
            problem(r#"{"cutline":1,"items":[],"items":[]}"#),
            Problem::DuplicateKey { .. }
        ));
        let text = r#"{"cutline":1,"items":[{"path":"a","notes":{"x":1,"x":2}}]}"#;
        assert!(err(text).contains("items[0].notes: duplicate key \"x\""));
        let text = r#"{"cutline":1,"policy":{"a":[{"b":1,"b":1}]},"items":[]}"#;
        assert!(err(text).contains("policy.a[0]: duplicate key \"b\""));
    }

    #[test]
    fn wrong_type_names_file_line_column_and_item() {
        let mut text = String::from("{\n  \"cutline\": 1,\n  \"items\": [\n");
        for i in 0..3 {
            text.push_str(&format!("    {{\"path\": \"{i}.jpg\"}},\n"));
        }
        text.push_str("    {\"path\": \"3.jpg\",\n        \"caption\": 42}\n  ]\n}\n");
        assert_eq!(
            err(&text),
            "manifests/x.json:8:20: items[3].caption: expected a string, found a number"
        );
        let e = p(&text).unwrap_err();
        let at = e.location().unwrap();
        assert_eq!(
            (at.line, at.column, at.pointer.as_str()),
            (8, 20, "items[3].caption")
        );
    }

    #[test]
    fn other_type_errors() {
        let cases = [
            (
                r#"[]"#,
                "1:1: expected an object (a cutline manifest), found an array",
            ),
            (
                r#"{"cutline":1,"items":{}}"#,
                "items: expected an array of items, found an object",
            ),
            (
                r#"{"cutline":1,"items":[3]}"#,
                "items[0]: expected an object (one item), found a number",
            ),
            (
                r#"{"cutline":1,"items":[{}]}"#,
                "items[0]: missing \"path\"",
            ),
            (
                r#"{"cutline":1,"items":[{"path":1}]}"#,
                "items[0].path: expected a string, found a number",
            ),
            (
                r#"{"cutline":1,"items":[{"path":"a","size":-1}]}"#,
                "items[0].size: expected a whole number",
            ),
            (
                r#"{"cutline":1,"items":[{"path":"a","size":1.5}]}"#,
                "items[0].size: expected a whole number",
            ),
            (
                r#"{"cutline":1,"items":[{"path":"a","missing":"yes"}]}"#,
                "items[0].missing: expected true or false",
            ),
            (
                r#"{"cutline":1,"items":[{"path":"a","creator":["A",2]}]}"#,
                "items[0].creator[1]: expected a string",
            ),
            (
                r#"{"cutline":1,"items":[{"path":"a","creator":{}}]}"#,
                "items[0].creator: expected a string or",
            ),
            (
                r#"{"cutline":1,"items":[{"path":"a","sha256":"9f2c…"}]}"#,
                "items[0].sha256: expected a SHA-256",
            ),
            (
                r#"{"cutline":1,"policy":[],"items":[]}"#,
                "policy: expected an object, found an array",
            ),
            (
                r#"{"cutline":1,"root":true,"items":[]}"#,
                "root: expected a string, found a boolean",
            ),
            (
                r#"{"cutline":"1","items":[]}"#,
                "cutline: expected the number 1, found a string",
            ),
        ];
        for (text, want) in cases {
            let got = err(text);
            assert!(got.contains(want), "{text}\n got: {got}\nwant: {want}");
        }
    }

    #[test]
    fn nulls_read_as_absent() {
        let m = p(
            r#"{"cutline":1,"root":null,"policy":null,"items":[{"path":"a","caption":null,
            "creator":null,"size":null,"missing":null,"sha256":null}]}"#,
        )
        .unwrap();
        assert_eq!(m.items[0], Item::new("a"));
        assert_eq!(m.root, None);
    }

    #[test]
    fn version_and_items_are_required() {
        assert_eq!(
            err(r#"{"cutline": 2, "items": []}"#),
            "manifests/x.json:1:13: cutline: unsupported manifest version 2; this cutline reads version 1"
        );
        assert!(
            err(r#"{"cutline": 1.0, "items": []}"#).contains("unsupported manifest version 1.0")
        );
        // The version is checked before anything else in the file.
        assert!(err(r#"{"items": 5, "cutline": 7}"#).contains("unsupported manifest version 7"));
        assert_eq!(
            err(r#"{"items": []}"#),
            "manifests/x.json:1:1: missing \"cutline\": 1 (is this a cutline manifest?)"
        );
        assert_eq!(
            err(r#"{"cutline": 1}"#),
            "manifests/x.json:1:1: missing \"items\""
        );
    }

    #[test]
    fn syntax_errors_say_where() {
        let cases: [(&str, Syntax, (usize, usize)); 14] = [
            ("", Syntax::UnexpectedEnd, (1, 1)),
            (
                "{\"cutline\":1,\"items\":[]} x",
                Syntax::TrailingCharacters,
                (1, 26),
            ),
            (
                "{\"cutline\":1,\"items\":[]}{}",
                Syntax::TrailingCharacters,
                (1, 25),
            ),
            ("{\"a\" 1}", Syntax::ExpectedColon, (1, 6)),
            ("{\"a\":1,}", Syntax::TrailingComma, (1, 8)),
            ("[1,]", Syntax::TrailingComma, (1, 4)),
            ("{a:1}", Syntax::ExpectedKey, (1, 2)),
            ("{\"a\":1 \"b\":2}", Syntax::ExpectedCommaOrBrace, (1, 8)),
            ("[1 2]", Syntax::ExpectedCommaOrBracket, (1, 4)),
            ("\"\\x\"", Syntax::BadEscape, (1, 2)),
            ("\"\\u12G4\"", Syntax::BadUnicodeEscape, (1, 4)),
            ("\"\\ud83d\"", Syntax::LoneSurrogate, (1, 2)),
            ("\"a\nb\"", Syntax::ControlInString, (1, 3)),
            ("\n\n  01", Syntax::TrailingCharacters, (3, 4)),
        ];
        for (text, want, (line, column)) in cases {
            match p(text) {
                Err(ManifestError::Invalid { at, problem }) => {
                    assert_eq!(problem, Problem::Syntax(want), "{text:?}");
                    assert_eq!((at.line, at.column), (line, column), "{text:?}");
                }
                other => panic!("{text:?}: {other:?}"),
            }
        }
        for bad in ["-", "1.", "1e", "-x", "+1", ".5", "tru", "nul", "1e999"] {
            assert!(matches!(problem(bad), Problem::Syntax(_)), "{bad}");
        }
        assert_eq!(problem("1e999"), Problem::Syntax(Syntax::NumberOutOfRange));
    }

    #[test]
    fn escapes_and_surrogate_pairs_decode() {
        let m = p(r#"{"cutline":1,"items":[{"path":"a","caption":"\"q\" \\ \/ \b\f\n\r\t \u00e9 \ud83d\udcf7"}]}"#)
            .unwrap();
        assert_eq!(
            m.items[0].caption.as_deref(),
            Some("\"q\" \\ / \u{8}\u{c}\n\r\t é 📷")
        );
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        let text = "{\"cutline\":1,\"items\":[{\"path\":\"é\",\"caption\":1}]}";
        assert_eq!(p(text).unwrap_err().location().unwrap().column, 45);
    }

    #[test]
    fn too_deep_nesting_is_an_error_not_a_stack_overflow() {
        let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        assert_eq!(problem(&deep), Problem::Syntax(Syntax::TooDeep));
        let ok = format!(
            r#"{{"cutline":1,"items":[],"x":{}{}}}"#,
            "[".repeat(MAX_DEPTH - 1),
            "]".repeat(MAX_DEPTH - 1)
        );
        assert!(p(&ok).is_ok());
    }

    #[test]
    fn utf8_bom_is_accepted_and_utf16_is_reported() {
        let text = "\u{feff}{\"cutline\":1,\"items\":[]}";
        assert!(p(text).is_ok());
        assert!(parse_bytes(text.as_bytes(), Path::new("m.json")).is_ok());
        let utf16 = [0xFF, 0xFE, b'{', 0];
        let e = parse_bytes(&utf16, Path::new("m.json")).unwrap_err();
        assert_eq!(
            e.to_string(),
            "m.json:1:1: starts with a UTF-16 byte-order mark; save the manifest as UTF-8"
        );
    }

    #[test]
    fn invalid_utf8_gives_byte_offset_line_and_column() {
        let mut bytes = b"{\"cutline\":1,\n\"items\":[{\"path\":\"caf".to_vec();
        bytes.push(0xE9); // Latin-1 é
        bytes.extend_from_slice(b".jpg\"}]}");
        let e = parse_bytes(&bytes, Path::new("m.json")).unwrap_err();
        assert_eq!(
            e.to_string(),
            "m.json:2:22: invalid UTF-8 at byte 35; save the manifest as UTF-8"
        );
        // With a BOM the byte offset still counts from the start of the file.
        let mut with_bom = UTF8_BOM.to_vec();
        with_bom.extend_from_slice(&bytes);
        let e = parse_bytes(&with_bom, Path::new("m.json")).unwrap_err();
        assert!(
            e.to_string()
                .ends_with("2:22: invalid UTF-8 at byte 38; save the manifest as UTF-8")
        );
    }

    #[test]
    fn load_reads_files_and_reports_missing_ones() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("m.json");
        std::fs::write(
            &path,
            b"\xEF\xBB\xBF{\"cutline\":1,\"items\":[{\"path\":\"a.jpg\"}]}",
        )
        .unwrap();
        assert_eq!(load(&path).unwrap().items[0].path, "a.jpg");
        let e = load(&dir.path().join("nope.json")).unwrap_err();
        assert!(matches!(e, ManifestError::Read { .. }));
        assert!(
            e.to_string()
                .contains("nope.json: cannot read the manifest")
        );
    }

    #[test]
    fn megabytes_of_whitespace_parse_in_one_pass() {
        // Linear by construction: whitespace is skipped by one forward loop
        // and line/column are computed once, only for an error.
        let pad = " \n\t\r".repeat(2 * 1024 * 1024 / 4); // 5 pads: 10 MB
        let text = format!("{pad}{{{pad}\"cutline\"{pad}:{pad}1,\"items\":[{pad}]{pad}}}{pad}");
        assert!(p(&text).unwrap().items.is_empty());
        let bad = format!("{pad}{{{pad}\"cutline\":1,\"items\":[]}}{pad}x");
        assert_eq!(problem(&bad), Problem::Syntax(Syntax::TrailingCharacters));
    }

    #[test]
    fn pointer_quotes_keys_that_are_not_plain_words() {
        let text = r#"{"cutline":1,"items":[{"path":"a","my notes":{"k":1,"k":2}}]}"#;
        assert!(err(text).contains(r#"items[0]["my notes"]: duplicate key"#));
    }

    /// Tiny fixed-seed xorshift: garbage input without an extra crate.
    fn xorshift(state: &mut u64) -> u64 {
        *state ^= *state << 13;
        *state ^= *state >> 7;
        *state ^= *state << 17;
        *state
    }

    #[test]
    fn garbage_and_truncations_never_panic() {
        let valid = format!(
            "\u{feff}{{\"cutline\":1,\"root\":\"m\",\"policy\":{{\"a\":[1,2.5e3,-0,true,null]}},\"items\":[{{\"path\":\"a/é.jpg\",\
             \"sha256\":\"{HASH}\",\"size\":12,\"creditLine\":\"X\\u00e9\\ud83d\\udcf7\",\"creator\":[\"A\",\"B\"],\
             \"missing\":true,\"x\":{{\"y\":[]}}}}]}}"
        );
        let bytes = valid.as_bytes();
        assert!(parse_bytes(bytes, Path::new("m")).is_ok());
        for n in 0..bytes.len() {
            let _ = parse_bytes(&bytes[..n], Path::new("m"));
        }
        let mut state = 0x2545_F491_4F6C_DD1D_u64;
        let alphabet = b"{}[]\":,\\u0123456789abcdefeE+-.tnr \n\xEF\xBB\xBF\xC3\xA9\xFF";
        for _ in 0..2000 {
            let len = (xorshift(&mut state) % 64) as usize;
            let junk: Vec<u8> = (0..len)
                .map(|_| {
                    let r = xorshift(&mut state);
                    if r.is_multiple_of(4) {
                        r as u8
                    } else {
                        alphabet[(r >> 8) as usize % alphabet.len()]
                    }
                })
                .collect();
            let _ = parse_bytes(&junk, Path::new("m"));
            // Also mutate the valid manifest one byte at a time.
            let mut mutated = bytes.to_vec();
            let i = (xorshift(&mut state) as usize) % mutated.len();
            mutated[i] = xorshift(&mut state) as u8;
            let _ = parse_bytes(&mutated, Path::new("m"));
        }
    }

    /// Parses `bytes` with the fast path for items and without, and through
    /// windows of several sizes: all must agree. The windowed reader reports
    /// no errors; it must give up exactly where the parser finds one.
    fn agree(bytes: &[u8]) {
        let origin = Path::new("m.json");
        let quick = parse_bytes(bytes, origin);
        let general = parse_bytes_with(bytes, origin, false);
        let shown = String::from_utf8_lossy(bytes);
        match (&quick, &general) {
            (Ok(a), Ok(b)) => assert_eq!(format!("{a:?}"), format!("{b:?}"), "{shown}"),
            (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string(), "{shown}"),
            _ => panic!("{shown}\nquick: {quick:?}\ngeneral: {general:?}"),
        }
        // `verify`'s reading cuts each item as it is parsed, even when a
        // unit is tried again in a bigger window: the same as cutting after.
        let cut = general.as_ref().ok().map(|m| {
            let mut m = m.clone();
            m.items.iter_mut().for_each(Item::fixity_only);
            format!("{m:?}")
        });
        for window in [1, 2, 3, 7, 64, stream::WINDOW] {
            let streamed = stream::read(bytes, window, false).map(|m| format!("{m:?}"));
            let want = general.as_ref().ok().map(|m| format!("{m:?}"));
            assert_eq!(streamed, want, "window {window}: {shown}");
            let streamed = stream::read(bytes, window, true).map(|m| format!("{m:?}"));
            assert_eq!(streamed, cut, "fixity, window {window}: {shown}");
        }
    }

    fn agree_on_item(item: &str) {
        agree(
            format!(r#"{{"cutline":1,"items":[{{"path":"first"}},{item},{{"path":"last"}}]}}"#)
                .as_bytes(),
        );
    }

    #[test]
    fn fast_paths_agree_on_items_they_give_up_on() {
        let items = [
            // Keys with escapes take the general path, and stay keys.
            r#"{"p\u0061th":"a","capti\u006fn":"c"}"#,
            r#"{"path":"a","x":1,"\u0078":2}"#,
            r#"{"path":"a","x":1,"y":2,"x":3}"#,
            r#"{"path":"a","\u0063aption":"1","caption":"2"}"#,
            r#"{"path":"a","caption":"1","caption":"2"}"#,
            r#"{"path":"a","caption":"1","description":"2"}"#,
            r#"{"path":"a","jobid":"1","jobId":"2"}"#,
            r#"{"path":"a","path":"b"}"#,
            // A type error before a syntax error or a duplicate key.
            r#"{"path":1,"caption":}"#,
            r#"{"path":1,"x":1,"x":2}"#,
            r#"{"path":"a","notes":{"k":1,"k":2}}"#,
            r#"{"path":"a","notes":{"k":1,"\u006b":2}}"#,
            r#"{"caption":"no path"}"#,
            "{}",
            "3",
            "[]",
            "null",
            r#"{"path":"a",}"#,
            r#"{"path" "a"}"#,
            r#"{path:"a"}"#,
            r#"{"path":"a" "caption":"b"}"#,
            r#"{"path":null}"#,
            r#"{"path":"a","caption":3}"#,
            r#"{"path":"a","caption":"bad \x escape"}"#,
            "{\"path\":\"a\",\"caption\":\"raw\ttab\"}",
            r#"{"path":"a","sha256":"abc"}"#,
            r#"{"path":"a","sha256":null,"image_sha256":null}"#,
            r#"{"path":"a","size":1.5}"#,
            r#"{"path":"a","size":-1}"#,
            r#"{"path":"a","size":1e2}"#,
            r#"{"path":"a","size":18446744073709551615}"#,
            r#"{"path":"a","size":18446744073709551616}"#,
            r#"{"path":"a","size":01}"#,
            r#"{"path":"a","size":null,"missing":null}"#,
            r#"{"path":"a","missing":true}"#,
            r#"{"path":"a","missing":false}"#,
            r#"{"path":"a","missing":"yes"}"#,
            r#"{"path":"a","missing":tru}"#,
            r#"{"path":"a","creator":null}"#,
            r#"{"path":"a","creator":"A"}"#,
            r#"{"path":"a","creator":[]}"#,
            r#"{"path":"a","creator":[ "A" , "B" ]}"#,
            r#"{"path":"a","creator":["A",2]}"#,
            r#"{"path":"a","creator":["A",]}"#,
            r#"{"path":"a","creator":{}}"#,
            r#"{"path":"a","creatorNames":"A","creator":"B"}"#,
            r#"{"path":"a","caption":"\"q\" \\ \/ \b\f\n\r\t \u00e9 \ud83d\udcf7"}"#,
            r#"{"path":"a","caption":"\ud83d"}"#,
            r#"{"path":"a","":1,"z":[1,{"y":null}],"b":true}"#,
            " { \"path\" : \"a\" , \"caption\" : null } ",
        ];
        for item in items {
            agree_on_item(item);
        }
        // Nesting right at the limit and one past it, inside an item.
        for depth in [MAX_DEPTH - 3, MAX_DEPTH - 2] {
            let x = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
            agree_on_item(&format!(r#"{{"path":"a","x":{x}}}"#));
        }
    }

    #[test]
    fn windowed_reading_agrees_on_whole_documents() {
        let item = format!(r#"{{"path":"é/📷.jpg","sha256":"{HASH}","size":12}}"#);
        let docs = [
            format!(r#"{{"cutline":1,"items":[{item}]}}"#),
            format!("\u{feff}{{\"cutline\":1,\"items\":[{item}]}}"),
            format!("\u{feff}\u{feff}{{\"cutline\":1,\"items\":[{item}]}}"),
            format!("\u{feff}\u{feff}\u{feff}{{\"cutline\":1,\"items\":[{item}]}}"),
            format!("\u{feff} {{\"cutline\":1,\"items\":[{item}]}}"),
            format!(" \u{feff}{{\"cutline\":1,\"items\":[{item}]}}"),
            format!("\n\t{{ \"cutline\" : 1 , \"items\" : [ {item} , {item} ] }}\r\n"),
            format!(
                r#"{{"items":[{item}],"cutline":1,"root":"r","policy":{{"a":[1,2.5]}},"x":12345}}"#
            ),
            format!(r#"{{"cutline":1,"items":[{item}],"cutline":1}}"#),
            format!(r#"{{"cutline":1,"items":[{item}],"items":[]}}"#),
            format!(r#"{{"cutline":1,"\u0069tems":[{item}]}}"#),
            r#"{"cutline":1,"items":{}}"#.to_string(),
            r#"{"cutline":1,"items":[]}"#.to_string(),
            r#"{"cutline":1,"items":[],}"#.to_string(),
            format!(r#"{{"cutline":1,"items":[{item},]}}"#),
            format!(r#"{{"cutline":1,"items":[{item}]}}x"#),
            format!(r#"{{"cutline":1,"items":[{item}]}}{{}}"#),
            format!(r#"{{"cutline":1,"items":[{item}]"#),
            r#"{"cutline":12,"items":[]}"#.to_string(),
            r#"{"cutline":1}"#.to_string(),
            "{}".to_string(),
            "[]".to_string(),
            String::new(),
            "   ".to_string(),
        ];
        for doc in &docs {
            agree(doc.as_bytes());
        }
        for bad in [
            &[0xFF, 0xFE, b'{', 0][..],
            b"{\"cutline\":1,\"items\":[]}\xC3",
            b"\xEF\xBB",
        ] {
            agree(bad);
        }
    }

    #[test]
    fn fast_paths_agree_on_mutated_manifests() {
        let valid = format!(
            "\u{feff}{{\"cutline\":1,\"root\":\"m\",\"policy\":{{\"a\":[1,2.5e3,-0,true,null]}},\"items\":[\
             {{\"path\":\"a/é.jpg\",\"sha256\":\"{HASH}\",\"size\":12,\"creditLine\":\"X\\u00e9\\ud83d\\udcf7\",\
             \"creator\":[\"A\",\"B\"],\"missing\":true,\"x\":{{\"y\":[]}}}},\n  {{\"path\":\"b\",\"caption\":\"Boats.\",\
             \"jobid\":\"J\",\"creator\":\"C\",\"image_sha256\":null}},\n  {{\"p\\u0061th\":\"c\",\"alt\":\"Ä\"}}],\
             \"z\":[{{\"k\":1}}]}}\n"
        );
        let bytes = valid.as_bytes();
        assert!(parse_bytes(bytes, Path::new("m")).is_ok());
        agree(bytes);
        let mut state = 0x9E37_79B9_7F4A_7C15_u64;
        let alphabet = b"{}[]\":,\\u0123456789abcdefeE+-.tnr \n\xEF\xBB\xBF\xC3\xA9\xFF";
        for _ in 0..600 {
            let mut mutated = bytes.to_vec();
            for _ in 0..1 + xorshift(&mut state) % 2 {
                let i = (xorshift(&mut state) as usize) % mutated.len();
                let r = xorshift(&mut state);
                let b = alphabet[(r >> 8) as usize % alphabet.len()];
                match r % 3 {
                    0 => mutated[i] = b,
                    1 => mutated.insert(i, b),
                    _ => {
                        mutated.remove(i);
                    }
                }
            }
            agree(&mutated);
        }
    }
}

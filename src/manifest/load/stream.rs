//! Reading a manifest file through a window rather than whole: the text of a
//! big manifest never sits in memory at once, which saves mapping (and
//! faulting in, page by page) tens of megabytes that are read only once.
//!
//! Only for valid manifests. On anything else (a syntax or type error,
//! invalid UTF-8, a failed read) it gives up, and [`super::load`] reads the
//! file whole, which reports the problem with its line, column and path as
//! always. The document is consumed in units the window holds whole (the
//! opening brace, one top-level member, one item, each with the separator
//! after it, so that no number is cut short), and a unit that does not parse
//! is tried again with more of the file: it fails for good only at the end.

use std::borrow::Cow;
use std::fs::File;
use std::io::{ErrorKind, Read};
use std::path::Path;

use super::{Convert, Kind, Member, Node, Parser, Ptr};
use crate::manifest::model::{Item, Manifest};

/// Bytes read at a time: enough for hundreds of items, small enough to
/// stay in the processor's cache.
pub(super) const WINDOW: usize = 256 * 1024;

/// Where in the document the next unit starts.
#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    /// Byte-order marks, whitespace and `{`.
    Open,
    /// A top-level member, or (when `first`) the closing `}`.
    Member { first: bool },
    /// An element of `items`, or (when `first`) the closing `]`.
    Item { first: bool },
    /// `,` or `}` after the `items` array.
    AfterItems,
    /// Whitespace to the end of the file.
    End,
}

/// The manifest at `path`, if it is a regular file holding a valid one;
/// with `fixity_only`, each item is cut to what fixity reads as soon as it
/// is parsed ([`Item::fixity_only`]).
pub(super) fn load(path: &Path, fixity_only: bool) -> Option<Manifest> {
    let file = File::open(path).ok()?;
    let meta = file.metadata().ok()?;
    // Only a regular file can be read again, whole, should this give up
    // (a pipe's bytes would be gone).
    if !meta.is_file() {
        return None;
    }
    // One byte more than a small file holds, to see its end in one pass.
    let window =
        usize::try_from(meta.len()).map_or(WINDOW, |len| len.saturating_add(1).min(WINDOW));
    read(file, window, fixity_only)
}

/// The manifest `source` holds, read `window` bytes at a time (the window
/// grows for a unit larger than it); `None` if it is not a valid manifest
/// or cannot be read.
pub(super) fn read(mut source: impl Read, window: usize, fixity_only: bool) -> Option<Manifest> {
    let mut buf = vec![0; window.max(1)];
    let (mut start, mut filled, mut eof) = (0, 0, false);
    // Items before this index are already cut to fixity (a unit tried again
    // may pop one, hence the `min` below).
    let mut cut = 0;
    let mut state = State::Open;
    let mut members = Vec::new();
    let mut items = Vec::new();
    loop {
        // The unconsumed tail moves to the front; a unit that fills the
        // whole window gets a bigger one.
        buf.copy_within(start..filled, 0);
        filled -= start;
        if filled == buf.len() {
            buf.resize(buf.len() * 2, 0);
        }
        while filled < buf.len() && !eof {
            match source.read(buf.get_mut(filled..)?) {
                Ok(0) => eof = true,
                Ok(n) => filled += n,
                Err(e) if e.kind() == ErrorKind::Interrupted => {}
                Err(_) => return None,
            }
        }
        let bytes = buf.get(..filled)?;
        let text = match std::str::from_utf8(bytes) {
            Ok(text) => text,
            // A character cut by the end of the window: its rest comes next.
            Err(e) if e.error_len().is_none() && !eof => {
                std::str::from_utf8(bytes.get(..e.valid_up_to())?).ok()?
            }
            Err(_) => return None,
        };
        let mut parser = Parser::new(text, true);
        start = advance(&mut parser, &mut state, &mut members, &mut items);
        if fixity_only {
            // Cut while the window's items are fresh: the text they drop is
            // reused by the next window's, so it never adds up in memory.
            cut = cut.min(items.len());
            items.iter_mut().skip(cut).for_each(Item::fixity_only);
            cut = items.len();
        }
        if eof {
            if state != State::End || start != filled {
                return None;
            }
            let root = Node {
                at: 0,
                kind: Kind::Object(members),
            };
            return Convert { text: "" }.manifest(root, Some(items)).ok();
        }
    }
}

/// Consumes the units the parser's text holds whole, moving `state` on;
/// returns the offset where the first unit it could not parse starts.
fn advance(
    p: &mut Parser<'_>,
    state: &mut State,
    members: &mut Vec<Member<'static>>,
    items: &mut Vec<Item>,
) -> usize {
    loop {
        let unit = p.pos;
        let next = match *state {
            State::Open => p.open(),
            State::Member { first } => p.member(first, members),
            State::Item { first } => p.element(first, items),
            State::AfterItems => p.after_member(),
            State::End => {
                p.skip_ws();
                return p.pos;
            }
        };
        match next {
            Some(next) => *state = next,
            None => {
                p.pos = unit;
                return unit;
            }
        }
    }
}

/// The nesting depth of the top-level object's members, and of the items.
const TOP: usize = 1;
const ITEMS: usize = 2;

impl Parser<'_> {
    fn open(&mut self) -> Option<State> {
        // `parse_bytes` drops a byte-order mark, and `parse` one more.
        for _ in 0..2 {
            if self.rest().starts_with("\u{feff}".as_bytes()) {
                self.pos += 3;
            }
        }
        self.skip_ws();
        if self.peek() != Some(b'{') {
            return None;
        }
        self.pos += 1;
        Some(State::Member { first: true })
    }

    fn member(&mut self, first: bool, members: &mut Vec<Member<'static>>) -> Option<State> {
        self.skip_ws();
        if first && self.peek() == Some(b'}') {
            self.pos += 1;
            return Some(State::End);
        }
        let at = self.pos;
        if self.peek() != Some(b'"') {
            return None;
        }
        let key = self.string().ok()?;
        self.skip_ws();
        if self.peek() != Some(b':') {
            return None;
        }
        self.pos += 1;
        self.skip_ws();
        if key == "items" && self.peek() == Some(b'[') {
            // The tree keeps an empty array in its place, as `Parser::items`.
            let value = Node {
                at: self.pos,
                kind: Kind::Array(Vec::new()),
            };
            self.enter(TOP).ok()?;
            self.pos += 1;
            let key = Cow::Owned(key.into_owned());
            members.push(Member { key, at, value });
            return Some(State::Item { first: true });
        }
        let value = self.value(TOP).ok()?;
        let next = self.after_member()?;
        let key = Cow::Owned(key.into_owned());
        members.push(Member {
            key,
            at,
            value: owned(value),
        });
        Some(next)
    }

    /// `,` or `}` after a top-level member (`items` included).
    fn after_member(&mut self) -> Option<State> {
        self.skip_ws();
        let next = match self.peek()? {
            b',' => State::Member { first: false },
            b'}' => State::End,
            _ => return None,
        };
        self.pos += 1;
        Some(next)
    }

    fn element(&mut self, first: bool, items: &mut Vec<Item>) -> Option<State> {
        self.skip_ws();
        if first && self.peek() == Some(b']') {
            self.pos += 1;
            return Some(State::AfterItems);
        }
        let at = self.pos;
        if self.peek() != Some(b'{') {
            return None;
        }
        if !self.quick_item(ITEMS, items) {
            self.pos = at;
            let mut members = Vec::new();
            self.object(ITEMS, &mut members).ok()?;
            let item = Convert { text: self.text }.item_members(at, &mut members, &Ptr::Root);
            items.push(item.ok()?);
        }
        self.skip_ws();
        let next = match self.peek() {
            Some(b',') => State::Item { first: false },
            Some(b']') => State::AfterItems,
            _ => {
                // The unit is tried again whole, item included.
                items.pop();
                return None;
            }
        };
        self.pos += 1;
        Some(next)
    }
}

/// A value that no longer borrows its keys from the window.
fn owned(node: Node<'_>) -> Node<'static> {
    let kind = match node.kind {
        Kind::Null => Kind::Null,
        Kind::Bool(b) => Kind::Bool(b),
        Kind::Number(n) => Kind::Number(n),
        Kind::Str(s) => Kind::Str(s),
        Kind::Array(nodes) => Kind::Array(nodes.into_iter().map(owned).collect()),
        Kind::Object(members) => Kind::Object(
            members
                .into_iter()
                .map(|m| Member {
                    key: Cow::Owned(m.key.into_owned()),
                    at: m.at,
                    value: owned(m.value),
                })
                .collect(),
        ),
    };
    Node { at: node.at, kind }
}

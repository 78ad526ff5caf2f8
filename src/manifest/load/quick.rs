//! The fast path for one item: parsed straight into an [`Item`], without the
//! intermediate tree, when the item is plain and valid (as nearly all are).
//!
//! It never reports an error. On anything it does not expect (a syntax
//! error, a wrong type, a duplicate key, an alias conflict, a key with
//! escapes) it gives up, and the caller parses the item again the general
//! way, which finds the first problem in the same order as always and words
//! it the same. So this path has to agree with the general one only on what
//! it accepts, and there it builds the same [`Item`].

use std::borrow::Cow;

use super::{Convert, Parser, Ptr, is_sha256};
use crate::manifest::model::{Field, Item};

// One bit for each item key that is not a descriptive field, then one for
// each field (whichever its spelling).
const PATH: u32 = 1 << 0;
const SHA256: u32 = 1 << 1;
const IMAGE_SHA256: u32 = 1 << 2;
const SIZE: u32 = 1 << 3;
const MISSING: u32 = 1 << 4;
const FIRST_FIELD_BIT: usize = 5;

impl<'a> Parser<'a> {
    /// Pushes the item whose `{` is at the current position onto `items`,
    /// or returns false (with the position anywhere) to have the caller
    /// parse it the general way. `depth` is that of the array holding it.
    pub(super) fn quick_item(&mut self, depth: usize, items: &mut Vec<Item>) -> bool {
        // Built in place: an item is large enough that moving it shows.
        items.push(Item::default());
        let done = items
            .last_mut()
            .and_then(|item| self.quick_fill(depth, item))
            .is_some();
        if !done {
            items.pop();
        }
        done
    }

    fn quick_fill(&mut self, depth: usize, item: &mut Item) -> Option<()> {
        let depth = self.enter(depth).ok()?;
        self.pos += 1; // '{'
        let mut path = None;
        // The keys seen: a second key for the same field, whether spelled
        // the same (a duplicate) or not (an alias conflict), is an error.
        let mut seen = 0u32;
        // Keys cutline does not know, checked for duplicates among themselves.
        let mut others: Vec<&'a str> = Vec::new();
        loop {
            self.skip_ws();
            if self.peek() != Some(b'"') {
                return None;
            }
            let Cow::Borrowed(key) = self.string().ok()? else {
                return None;
            };
            self.skip_ws();
            if self.peek() != Some(b':') {
                return None;
            }
            self.pos += 1;
            self.skip_ws();
            let bit = match key {
                "path" => {
                    path = Some(self.quick_string()?);
                    PATH
                }
                "sha256" => {
                    item.sha256 = self.quick_hash()?;
                    SHA256
                }
                "image_sha256" => {
                    item.image_sha256 = self.quick_hash()?;
                    IMAGE_SHA256
                }
                "size" => {
                    item.size = self.quick_size()?;
                    SIZE
                }
                "missing" => {
                    item.missing = self.quick_missing()?;
                    MISSING
                }
                _ => match Field::from_key(key) {
                    Some((field, spelled)) => {
                        if spelled != field.name() {
                            item.spelling.insert(field, spelled);
                        }
                        match item.text_mut(field) {
                            Some(slot) => *slot = self.quick_opt_string()?,
                            None => item.creator = self.quick_names(depth)?,
                        }
                        1 << (FIRST_FIELD_BIT + field as usize)
                    }
                    None => {
                        if others.contains(&key) {
                            return None;
                        }
                        others.push(key);
                        let node = self.value(depth).ok()?;
                        let value = Convert { text: self.text }.json(node, &Ptr::Root).ok()?;
                        item.extra.insert(key.to_owned(), value);
                        0
                    }
                },
            };
            if seen & bit != 0 {
                return None;
            }
            seen |= bit;
            self.skip_ws();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    item.path = path?;
                    return Some(());
                }
                _ => return None,
            }
        }
    }

    /// A string value (not null).
    fn quick_string(&mut self) -> Option<String> {
        if self.peek() != Some(b'"') {
            return None;
        }
        Some(self.string().ok()?.into_owned())
    }

    /// A string or null; the outer `None` gives up.
    fn quick_opt_string(&mut self) -> Option<Option<String>> {
        if self.peek() == Some(b'n') {
            self.literal(b"null", ()).ok()?;
            return Some(None);
        }
        self.quick_string().map(Some)
    }

    fn quick_hash(&mut self) -> Option<Option<String>> {
        let hash = self.quick_opt_string()?;
        match &hash {
            Some(h) if !is_sha256(h) => None,
            _ => Some(hash),
        }
    }

    fn quick_size(&mut self) -> Option<Option<u64>> {
        match self.peek()? {
            b'n' => {
                self.literal(b"null", ()).ok()?;
                Some(None)
            }
            b'-' | b'0'..=b'9' => self.number().ok()?.as_u64().map(Some),
            _ => None,
        }
    }

    fn quick_missing(&mut self) -> Option<bool> {
        match self.peek()? {
            b'n' => self.literal(b"null", false).ok(),
            b't' => self.literal(b"true", true).ok(),
            b'f' => self.literal(b"false", false).ok(),
            _ => None,
        }
    }

    /// `creator`: null, a string, or an array of strings.
    fn quick_names(&mut self, depth: usize) -> Option<Vec<String>> {
        match self.peek()? {
            b'n' => {
                self.literal(b"null", ()).ok()?;
                Some(Vec::new())
            }
            b'"' => Some(vec![self.quick_string()?]),
            b'[' => {
                self.enter(depth).ok()?;
                self.pos += 1; // '['
                let mut names = Vec::new();
                self.skip_ws();
                if self.peek() == Some(b']') {
                    self.pos += 1;
                    return Some(names);
                }
                loop {
                    self.skip_ws();
                    names.push(self.quick_string()?);
                    self.skip_ws();
                    match self.peek() {
                        Some(b',') => self.pos += 1,
                        Some(b']') => {
                            self.pos += 1;
                            return Some(names);
                        }
                        _ => return None,
                    }
                }
            }
            _ => None,
        }
    }
}

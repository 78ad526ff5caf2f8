//! Applies incoming values (spreadsheet rows, story figures, ExifTool records) to a manifest, and describes every change and every input not used.

use std::collections::HashMap;
use std::fmt;

use crate::exchange::cells::{self, Slot};
use crate::manifest::{Item, Manifest, path_key};
use crate::sanitize::for_terminal;

/// The values one input record gives for one item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Incoming {
    /// Where the record stands in the input, for messages (`row 4`, `figure 2`).
    pub at: String,
    /// The item's path, as the input spells it.
    pub path: String,
    /// The cells, one per slot.
    pub values: Vec<(Slot, String)>,
}

/// How incoming values meet the manifest's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// The input is the editor's word (a spreadsheet, a story): it replaces
    /// the manifest's value; a blank cell removes it.
    Replace,
    /// The input is what files say (ExifTool's reading): it only fills
    /// fields the manifest lacks; the desk's text is never overwritten.
    FillGaps,
}

/// One field's change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldChange {
    /// The field or unknown key.
    pub slot: Slot,
    /// The value before, as a cell (empty: absent).
    pub old: String,
    /// The value after, as a cell (empty: removed).
    pub new: String,
}

/// The changes to one item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemChange {
    /// The item's path.
    pub path: String,
    /// True for an item the input added.
    pub added: bool,
    /// Its changed fields, in input order.
    pub fields: Vec<FieldChange>,
}

impl ItemChange {
    /// The diff lines of this item: a header, then `- old` / `+ new` per field.
    pub fn lines(&self) -> Vec<String> {
        let verb = if self.added { "added  " } else { "changed" };
        let mut out = vec![format!("{verb} {}", for_terminal(&self.path))];
        for f in &self.fields {
            out.push(format!("  {}", for_terminal(f.slot.name())));
            if !f.old.is_empty() {
                out.push(format!("    - {}", for_terminal(&f.old)));
            }
            if !f.new.is_empty() {
                out.push(format!("    + {}", for_terminal(&f.new)));
            }
        }
        out
    }
}

/// Something in the input that was not used as given, or is worth saying.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Notice {
    /// A row names a path the manifest does not list; it is skipped.
    UnknownPath {
        /// Where in the input.
        at: String,
        /// The path as given.
        path: String,
    },
    /// A column that is neither a field, an alias, an ExifTool tag name, nor
    /// an unknown key some item already has; it is skipped.
    UnknownColumn {
        /// The column's name.
        name: String,
    },
    /// A column cutline knows but does not take from a spreadsheet.
    IgnoredColumn {
        /// The column's name.
        name: String,
        /// Why.
        reason: &'static str,
    },
    /// The same item twice in the input; the later one is skipped.
    Duplicate {
        /// Where the later one stands.
        at: String,
        /// The item's path.
        path: String,
        /// Where the first one stands.
        first: String,
    },
    /// Two columns for one field disagree in a row; the first named is taken.
    ColumnsDisagree {
        /// Where in the input.
        at: String,
        /// The field.
        field: String,
        /// The column whose value was taken.
        took: String,
        /// The column that says otherwise.
        other: String,
    },
    /// A figure printed more than once in a story: imported once.
    PrintedTwice {
        /// The image's path.
        path: String,
        /// How many times it is printed.
        times: usize,
        /// Whether the printings' captions differ (the first is imported).
        differs: bool,
    },
    /// An image of a story that is not a file under the root.
    SkippedImage {
        /// Where in the story.
        at: String,
        /// The `src` as written.
        src: String,
        /// Why it was skipped.
        reason: &'static str,
    },
    /// The manifest's value was kept over a different value from the files.
    Kept {
        /// The item's path.
        path: String,
        /// The field.
        field: String,
        /// The value the input had.
        incoming: String,
    },
}

impl Notice {
    /// True when part of the input was not used as given (the run exits 1);
    /// false for notes that need no action.
    pub fn is_problem(&self) -> bool {
        !matches!(
            self,
            Notice::Kept { .. }
                | Notice::PrintedTwice { differs: false, .. }
                | Notice::IgnoredColumn { .. }
        )
    }
}

impl fmt::Display for Notice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let t = |s: &str| for_terminal(s);
        match self {
            Notice::UnknownPath { at, path } => write!(
                f,
                "{at}: unknown path {}: not in the manifest; row skipped",
                t(&quote(path))
            ),
            Notice::UnknownColumn { name } => {
                write!(f, "unknown column {}: skipped", t(&quote(name)))
            }
            Notice::IgnoredColumn { name, reason } => {
                write!(f, "column {} ignored: {reason}", t(&quote(name)))
            }
            Notice::Duplicate { at, path, first } => {
                write!(f, "{at}: {} already given at {first}; skipped", t(path))
            }
            Notice::ColumnsDisagree {
                at,
                field,
                took,
                other,
            } => write!(
                f,
                "{at}: {} disagrees with {} on the {field}; took {}",
                t(&quote(other)),
                t(&quote(took)),
                t(&quote(took))
            ),
            Notice::PrintedTwice {
                path,
                times,
                differs,
            } => {
                write!(f, "{} printed {times} times; imported once", t(path))?;
                if *differs {
                    f.write_str(" (the captions differ: the first printing was taken)")?;
                }
                Ok(())
            }
            Notice::SkippedImage { at, src, reason } => {
                write!(f, "{at}: image {} skipped: {reason}", t(&quote(src)))
            }
            Notice::Kept {
                path,
                field,
                incoming,
            } => write!(
                f,
                "{}: kept the manifest's {field}; the files say {}",
                t(path),
                t(&quote(incoming))
            ),
        }
    }
}

fn quote(s: &str) -> String {
    format!("\"{s}\"")
}

/// What an import would do: the new manifest, its changes, and the notices.
#[derive(Debug, Clone)]
pub struct Plan {
    /// The manifest with the input applied.
    pub manifest: Manifest,
    /// Changed and added items, in input order.
    pub changes: Vec<ItemChange>,
    /// What was not used, or is worth saying, in input order.
    pub notices: Vec<Notice>,
}

/// Applies `incoming` to `m`. Items are matched by path after Unicode NFC.
/// With `add`, records for paths the manifest lacks become new items;
/// without it they are [`Notice::UnknownPath`]. A path given twice is used
/// once ([`Notice::Duplicate`]).
pub fn apply(m: &Manifest, incoming: Vec<Incoming>, mode: Mode, add: bool) -> Plan {
    let mut manifest = m.clone();
    let mut index: HashMap<String, usize> = manifest
        .items
        .iter()
        .enumerate()
        .map(|(i, item)| (path_key(&item.path), i))
        .collect();
    let mut seen: HashMap<String, String> = HashMap::new();
    let mut changes = Vec::new();
    let mut notices = Vec::new();
    for rec in incoming {
        let key = path_key(&rec.path);
        if let Some(first) = seen.get(&key) {
            notices.push(Notice::Duplicate {
                at: rec.at,
                path: rec.path,
                first: first.clone(),
            });
            continue;
        }
        seen.insert(key.clone(), rec.at.clone());
        let (i, added) = match index.get(&key) {
            Some(&i) => (i, false),
            None if add => {
                manifest.items.push(Item::new(key.clone()));
                index.insert(key, manifest.items.len() - 1);
                (manifest.items.len() - 1, true)
            }
            None => {
                notices.push(Notice::UnknownPath {
                    at: rec.at,
                    path: rec.path,
                });
                continue;
            }
        };
        let item = &mut manifest.items[i];
        let mut fields = Vec::new();
        for (slot, text) in rec.values {
            if cells::holds(item, &slot, &text) {
                continue;
            }
            let old = cells::cell(item, &slot);
            if mode == Mode::FillGaps && !cells::is_blank(&old) {
                if !cells::is_blank(&text) {
                    notices.push(Notice::Kept {
                        path: item.path.clone(),
                        field: slot.name().to_owned(),
                        incoming: text,
                    });
                }
                continue;
            }
            cells::set(item, &slot, &text);
            let new = cells::cell(item, &slot);
            if new != old {
                fields.push(FieldChange { slot, old, new });
            }
        }
        if added || !fields.is_empty() {
            changes.push(ItemChange {
                path: item.path.clone(),
                added,
                fields,
            });
        }
    }
    Plan {
        manifest,
        changes,
        notices,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manifest::Field;

    fn rec(at: &str, path: &str, caption: &str) -> Incoming {
        Incoming {
            at: at.into(),
            path: path.into(),
            values: vec![(Slot::Field(Field::Caption), caption.into())],
        }
    }

    fn manifest() -> Manifest {
        let mut m = Manifest::new();
        let mut a = Item::new("caf\u{e9}.jpg");
        a.caption = Some("Old.".into());
        m.items.push(a);
        m
    }

    #[test]
    fn replace_matches_nfc_paths_and_reports_the_rest() {
        let plan = apply(
            &manifest(),
            vec![
                rec("row 2", "cafe\u{301}.jpg", "New."),
                rec("row 3", "other.jpg", "X."),
                rec("row 4", "caf\u{e9}.jpg", "Again."),
            ],
            Mode::Replace,
            false,
        );
        assert_eq!(plan.manifest.items[0].caption.as_deref(), Some("New."));
        assert_eq!(plan.manifest.items.len(), 1);
        assert_eq!(plan.changes.len(), 1);
        assert_eq!(plan.changes[0].fields[0].old, "Old.");
        assert_eq!(plan.notices.len(), 2);
        assert!(plan.notices.iter().all(Notice::is_problem));
    }

    #[test]
    fn fill_gaps_never_overwrites() {
        let mut incoming = rec("file 1", "caf\u{e9}.jpg", "From file.");
        incoming
            .values
            .push((Slot::Field(Field::Credit), "Jane Doe/Wire".into()));
        let plan = apply(&manifest(), vec![incoming], Mode::FillGaps, true);
        let item = &plan.manifest.items[0];
        assert_eq!(item.caption.as_deref(), Some("Old."));
        assert_eq!(item.credit.as_deref(), Some("Jane Doe/Wire"));
        assert!(matches!(plan.notices[0], Notice::Kept { .. }));
        assert!(!plan.notices[0].is_problem());
    }
}

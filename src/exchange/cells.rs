//! An item's descriptive fields and unknown keys as spreadsheet cells (plain text), and back.

use serde_json::Value;

use crate::manifest::{Field, Item};
use crate::textnorm::nfc;

/// Creators in one cell are joined with `"; "`, the separator MWG uses for
/// several creators in EXIF Artist (MWG Guidelines 2.0, Creator).
pub const CREATOR_SEPARATOR: &str = "; ";

/// The fields a spreadsheet always gets, in column order (issue 10: path
/// first, then these).
pub const SHEET_FIELDS: [Field; 11] = [
    Field::Caption,
    Field::Credit,
    Field::Creator,
    Field::Copyright,
    Field::Source,
    Field::Date,
    Field::Headline,
    Field::Title,
    Field::City,
    Field::Country,
    Field::Alt,
];

/// Fields that get a column only when some item has them, after
/// [`SHEET_FIELDS`]: few desks use them, and the sheet stays narrow.
pub const OPTIONAL_FIELDS: [Field; 2] = [Field::Instructions, Field::JobId];

/// Where a cell's value goes in an item.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Slot {
    /// A descriptive field.
    Field(Field),
    /// A key cutline does not know, kept in [`Item::extra`].
    Extra(String),
}

impl Slot {
    /// The manifest key: the field's name, or the unknown key itself.
    pub fn name(&self) -> &str {
        match self {
            Slot::Field(f) => f.name(),
            Slot::Extra(k) => k,
        }
    }
}

/// The item's value for `slot` as one cell: empty when absent; creators
/// joined with [`CREATOR_SEPARATOR`]; an unknown key's string as is, any
/// other JSON value as compact JSON text.
pub fn cell(item: &Item, slot: &Slot) -> String {
    match slot {
        Slot::Field(Field::Creator) => item.creator.join(CREATOR_SEPARATOR),
        Slot::Field(f) => item.text(*f).unwrap_or_default().to_owned(),
        Slot::Extra(k) => match item.extra.get(k) {
            None => String::new(),
            Some(Value::String(s)) => s.clone(),
            Some(v) => v.to_string(),
        },
    }
}

/// Whether `text` says what the item already holds: equal after Unicode NFC,
/// because spreadsheets and browsers may recompose what an editor typed.
pub fn holds(item: &Item, slot: &Slot, text: &str) -> bool {
    nfc(&cell(item, slot)) == nfc(text)
}

/// A cell that holds nothing: empty or only white space.
pub fn is_blank(text: &str) -> bool {
    text.trim().is_empty()
}

/// Sets the item's `slot` from a cell, the inverse of [`cell`]: a blank cell
/// removes the value; a creator cell is split at `;`; an unknown key that
/// held a non-string JSON value takes the cell as JSON when it parses.
pub fn set(item: &mut Item, slot: &Slot, text: &str) {
    let blank = is_blank(text);
    match slot {
        Slot::Field(Field::Creator) => {
            item.creator = text
                .split(';')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect();
        }
        Slot::Field(f) => {
            let value = (!blank).then(|| text.to_owned());
            set_text(item, *f, value);
        }
        Slot::Extra(k) => {
            if blank {
                item.extra.remove(k);
                return;
            }
            let was_json = matches!(item.extra.get(k), Some(v) if !v.is_string());
            let value = if was_json {
                serde_json::from_str(text).unwrap_or_else(|_| Value::String(text.to_owned()))
            } else {
                Value::String(text.to_owned())
            };
            item.extra.insert(k.clone(), value);
        }
    }
}

fn set_text(item: &mut Item, field: Field, value: Option<String>) {
    let slot = match field {
        Field::Creator => return,
        Field::Caption => &mut item.caption,
        Field::Credit => &mut item.credit,
        Field::Copyright => &mut item.copyright,
        Field::Source => &mut item.source,
        Field::Date => &mut item.date,
        Field::Headline => &mut item.headline,
        Field::Title => &mut item.title,
        Field::Instructions => &mut item.instructions,
        Field::JobId => &mut item.job_id,
        Field::City => &mut item.city,
        Field::Country => &mut item.country,
        Field::Alt => &mut item.alt,
    };
    *slot = value;
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn cells_round_trip() {
        let mut item = Item::new("a.jpg");
        item.creator = vec!["Jane Doe".into(), "John Roe".into()];
        item.caption = Some("Boats.".into());
        item.extra.insert("rank".into(), json!(3));
        item.extra.insert("note".into(), json!("x"));
        let mut back = Item::new("a.jpg");
        back.extra.insert("rank".into(), json!(0));
        for slot in [
            Slot::Field(Field::Creator),
            Slot::Field(Field::Caption),
            Slot::Field(Field::Credit),
            Slot::Extra("rank".into()),
            Slot::Extra("note".into()),
        ] {
            set(&mut back, &slot, &cell(&item, &slot));
        }
        assert_eq!(back, item);
    }

    #[test]
    fn nfc_equal_text_is_held() {
        let mut item = Item::new("a.jpg");
        item.caption = Some("Caf\u{e9}".into());
        assert!(holds(&item, &Slot::Field(Field::Caption), "Cafe\u{301}"));
        assert!(!holds(&item, &Slot::Field(Field::Caption), "Cafe"));
    }
}

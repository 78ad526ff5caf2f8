//! Writes a manifest as CSV (RFC 4180, UTF-8) through the [`Columns`] trait; the manifest-named layout lives here, ExifTool's in [`super::exiftool_csv`].

use std::io::Write;

use crate::exchange::cells::{self, OPTIONAL_FIELDS, SHEET_FIELDS, Slot};
use crate::manifest::{Field, Item, Manifest};

/// A CSV layout: its header, and each item as a row.
pub trait Columns {
    /// The header row.
    fn header(&self) -> Vec<String>;
    /// The item's row, or why it has none.
    fn row(&self, item: &Item) -> Result<Vec<String>, &'static str>;
}

/// Columns named as the manifest names its keys: `path`, then
/// [`SHEET_FIELDS`], then [`OPTIONAL_FIELDS`] some item has, then every
/// unknown key in first-seen order, so an import gives back the manifest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManifestColumns {
    slots: Vec<Slot>,
}

impl ManifestColumns {
    /// The columns `m` needs.
    pub fn for_manifest(m: &Manifest) -> Self {
        let mut slots: Vec<Slot> = SHEET_FIELDS.iter().map(|&f| Slot::Field(f)).collect();
        for f in OPTIONAL_FIELDS {
            if m.items.iter().any(|i| i.has(f)) {
                slots.push(Slot::Field(f));
            }
        }
        for item in &m.items {
            for key in item.extra.keys() {
                let slot = Slot::Extra(key.clone());
                // A key spelled like a known column would read back as that column.
                let clash = key == "path" || Field::from_key(key).is_some();
                if !clash && !slots.contains(&slot) {
                    slots.push(slot);
                }
            }
        }
        ManifestColumns { slots }
    }
}

impl Columns for ManifestColumns {
    fn header(&self) -> Vec<String> {
        std::iter::once("path".to_owned())
            .chain(self.slots.iter().map(|s| s.name().to_owned()))
            .collect()
    }

    fn row(&self, item: &Item) -> Result<Vec<String>, &'static str> {
        Ok(std::iter::once(item.path.clone())
            .chain(self.slots.iter().map(|s| cells::cell(item, s)))
            .collect())
    }
}

/// An item left out of the CSV, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// The item's path.
    pub path: String,
    /// Why it has no row.
    pub reason: &'static str,
}

/// Writes `items` as CSV in the `columns` layout; returns the items left out.
/// Quoting is RFC 4180's (the `csv` crate's default: only where needed), with
/// CRLF line ends as the RFC says, which every spreadsheet reads.
pub fn write(
    columns: &dyn Columns,
    items: &[Item],
    out: &mut dyn Write,
) -> Result<Vec<Skipped>, csv::Error> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(out);
    w.write_record(columns.header())?;
    let mut skipped = Vec::new();
    for item in items {
        match columns.row(item) {
            Ok(row) => w.write_record(row)?,
            Err(reason) => skipped.push(Skipped {
                path: item.path.clone(),
                reason,
            }),
        }
    }
    w.flush()?;
    Ok(skipped)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn manifest_columns_in_issue_order_with_unknown_keys_last() {
        let mut m = Manifest::new();
        let mut a = Item::new("a.jpg");
        a.caption = Some("Boats, \"at dawn\".".into());
        a.creator = vec!["A".into(), "B".into()];
        a.extra.insert("desk_note".into(), json!("x"));
        let mut b = Item::new("b.jpg");
        b.job_id = Some("J1".into());
        b.extra.insert("rank".into(), json!(2));
        m.items = vec![a, b];
        let mut out = Vec::new();
        let cols = ManifestColumns::for_manifest(&m);
        assert!(write(&cols, &m.items, &mut out).unwrap().is_empty());
        let text = String::from_utf8(out).unwrap();
        assert_eq!(
            text,
            "path,caption,credit,creator,copyright,source,date,headline,title,city,country,alt,job_id,desk_note,rank\r\n\
             a.jpg,\"Boats, \"\"at dawn\"\".\",,A; B,,,,,,,,,,x,\r\n\
             b.jpg,,,,,,,,,,,,J1,,2\r\n"
        );
    }
}

//! Reads a spreadsheet's CSV as spreadsheets really write it (BOM, CRLF, `,` `;` or tab, any column order, ExifTool names) into rows matched to manifest items.

use std::collections::HashSet;
use std::path::Path;

use crate::exchange::ExchangeError;
use crate::exchange::cells::{self, Slot};
use crate::exchange::exiftool_csv::{self, Column};
use crate::exchange::merge::{Incoming, Notice};
use crate::manifest::{Field, Manifest, path_key};
use crate::textnorm;

/// Manifest keys a spreadsheet does not set: cutline takes them from the files.
const FILE_KEYS: [&str; 4] = ["sha256", "image_sha256", "size", "missing"];

/// A spreadsheet read against a manifest: a record per row, plus what was not used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sheet {
    /// One record per non-blank row, in sheet order.
    pub rows: Vec<Incoming>,
    /// Columns skipped, columns disagreeing within a row.
    pub notices: Vec<Notice>,
    /// The delimiter found.
    pub delimiter: u8,
}

/// What one column feeds.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Use {
    /// The item's path; rank 0 `path`, 1 `SourceFile`.
    Path(u8),
    /// A field or unknown key, with its precedence (lower wins).
    Slot(Slot, u8),
    /// Read but not used.
    Skip,
}

/// The delimiter of a CSV: whichever of `,` `;` and tab occurs most often
/// outside quotes in its header line (European Excel writes `;`, a copy
/// from a spreadsheet pastes tabs). A tie goes to `,`, RFC 4180's.
pub fn sniff_delimiter(text: &str) -> u8 {
    let mut counts = [(b',', 0usize), (b';', 0), (b'\t', 0)];
    let mut quoted = false;
    for c in text.bytes() {
        match c {
            b'"' => quoted = !quoted,
            b'\n' | b'\r' if !quoted => break,
            _ if !quoted => {
                for (d, n) in &mut counts {
                    if *d == c {
                        *n += 1;
                    }
                }
            }
            _ => {}
        }
    }
    let mut best = counts[0];
    for &(d, n) in &counts[1..] {
        if n > best.1 {
            best = (d, n);
        }
    }
    best.0
}

/// Reads `text` (already without its byte-order mark) against `m`.
/// `source_prefix` is what `export --exiftool` put before each path in
/// `SourceFile`; a path that matches no item is tried again without it.
pub fn read(
    text: &str,
    origin: &Path,
    m: &Manifest,
    source_prefix: Option<&str>,
) -> Result<Sheet, ExchangeError> {
    let delimiter = sniff_delimiter(text);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let csv_error = |source| ExchangeError::Csv {
        path: origin.to_path_buf(),
        source,
    };
    let mut records = Vec::new();
    for r in reader.records() {
        records.push(r.map_err(csv_error)?);
    }
    let Some((header, body)) = records.split_first() else {
        return Err(ExchangeError::NoPathColumn {
            path: origin.to_path_buf(),
            found: String::new(),
        });
    };
    let mut notices = Vec::new();
    let uses: Vec<Use> = header
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let name = name.trim().trim_start_matches('\u{feff}');
            let filled = body
                .iter()
                .any(|r| !cells::is_blank(r.get(i).unwrap_or("")));
            classify(name, i, filled, m, &mut notices)
        })
        .collect();
    let Some(path_rank) = uses
        .iter()
        .filter_map(|u| match u {
            Use::Path(r) => Some(*r),
            _ => None,
        })
        .min()
    else {
        return Err(ExchangeError::NoPathColumn {
            path: origin.to_path_buf(),
            found: header.iter().collect::<Vec<_>>().join(", "),
        });
    };
    let known: HashSet<String> = m.items.iter().map(|i| path_key(&i.path)).collect();
    let mut rows = Vec::new();
    for (n, record) in body.iter().enumerate() {
        if record.iter().all(cells::is_blank) {
            continue;
        }
        // The spreadsheet's row number (the header is row 1): what the
        // editor sees, even where a quoted cell spans several lines.
        let at = format!("row {}", n + 2);
        let cell = |i: usize| record.get(i).unwrap_or("");
        let raw = uses
            .iter()
            .position(|u| *u == Use::Path(path_rank))
            .map_or("", |i| cell(i).trim());
        let path = match_path(raw, source_prefix, &known);
        let values = row_values(&uses, header, record, &at, &mut notices);
        rows.push(Incoming { at, path, values });
    }
    Ok(Sheet {
        rows,
        notices,
        delimiter,
    })
}

/// What a header names.
fn classify(name: &str, i: usize, filled: bool, m: &Manifest, notices: &mut Vec<Notice>) -> Use {
    let lower = name.to_ascii_lowercase();
    if name.is_empty() {
        // A trailing delimiter gives an empty, unnamed column: harmless.
        if filled {
            notices.push(Notice::UnknownColumn {
                name: format!("(unnamed column {})", i + 1),
            });
        }
        return Use::Skip;
    }
    if lower == "path" {
        return Use::Path(0);
    }
    if FILE_KEYS.contains(&lower.as_str()) {
        notices.push(Notice::IgnoredColumn {
            name: name.to_owned(),
            reason: "cutline takes it from the files (`cutline update`)",
        });
        return Use::Skip;
    }
    // The manifest's own names and aliases, case-insensitively.
    let by_name = Field::ALL.iter().find(|f| {
        f.name().eq_ignore_ascii_case(name)
            || f.aliases().iter().any(|a| a.eq_ignore_ascii_case(name))
    });
    if let Some(&f) = by_name {
        return Use::Slot(Slot::Field(f), 0);
    }
    if m.items.iter().any(|it| it.extra.contains_key(name)) {
        return Use::Slot(Slot::Extra(name.to_owned()), 0);
    }
    match exiftool_csv::column(name) {
        Some(Column::SourceFile) => Use::Path(1),
        Some(Column::Field(f, rank)) => Use::Slot(Slot::Field(f), rank),
        Some(Column::Housekeeping) => Use::Skip,
        None => {
            notices.push(Notice::UnknownColumn {
                name: name.to_owned(),
            });
            Use::Skip
        }
    }
}

/// The row's path as the manifest spells it when it can be matched: as
/// given, without a leading `./`, or without the `SourceFile` prefix.
fn match_path(raw: &str, prefix: Option<&str>, known: &HashSet<String>) -> String {
    let mut tries = vec![raw, raw.trim_start_matches("./")];
    if let Some(rest) = prefix
        .filter(|p| !p.is_empty())
        .and_then(|p| raw.strip_prefix(p))
        .and_then(|r| r.strip_prefix('/').or((prefix == Some("/")).then_some(r)))
    {
        tries.push(rest);
    }
    tries
        .iter()
        .find(|t| known.contains(&path_key(t)))
        .map_or(raw, |t| t)
        .to_owned()
}

/// One value per slot: the best-ranked non-blank cell (blank when all are),
/// with a notice for a lower-ranked cell that says something else.
fn row_values(
    uses: &[Use],
    header: &csv::StringRecord,
    record: &csv::StringRecord,
    at: &str,
    notices: &mut Vec<Notice>,
) -> Vec<(Slot, String)> {
    let mut order: Vec<(usize, &Slot, u8)> = uses
        .iter()
        .enumerate()
        .filter_map(|(i, u)| match u {
            Use::Slot(s, r) => Some((i, s, *r)),
            _ => None,
        })
        .collect();
    // Stable: equal ranks keep sheet order.
    order.sort_by_key(|&(_, _, r)| r);
    let mut out: Vec<(Slot, String, usize)> = Vec::new();
    for (i, slot, _) in order {
        let text = record.get(i).unwrap_or("");
        match out.iter_mut().find(|(s, _, _)| s == slot) {
            None => out.push((slot.clone(), text.to_owned(), i)),
            Some((_, taken, from)) if cells::is_blank(taken) => {
                *taken = text.to_owned();
                *from = i;
            }
            Some((_, taken, from)) => {
                if !cells::is_blank(text) && !agrees(slot, taken, text) {
                    notices.push(Notice::ColumnsDisagree {
                        at: at.to_owned(),
                        field: slot.name().to_owned(),
                        took: header.get(*from).unwrap_or("").to_owned(),
                        other: header.get(i).unwrap_or("").to_owned(),
                    });
                }
            }
        }
    }
    // Report in the manifest's field order, whatever the sheet's.
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out.into_iter().map(|(s, t, _)| (s, t)).collect()
}

/// Two cells for one field agree after NFC and folding white space, or when
/// `other` is a cut-off start of `taken` (an IIM value at its byte limit:
/// MWG "RecoverTruncatedIPTC"). Creators compare with `,` read as `;`
/// (ExifTool joins list items with `, ` when it writes CSV).
fn agrees(slot: &Slot, taken: &str, other: &str) -> bool {
    let norm = |s: &str| {
        let s = if *slot == Slot::Field(Field::Creator) {
            s.replace(',', ";")
        } else {
            s.to_owned()
        };
        textnorm::comparable(&s)
    };
    let (a, b) = (norm(taken), norm(other));
    a == b || a.starts_with(&b)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manifest::Item;

    #[test]
    fn delimiter_is_sniffed_from_the_header() {
        assert_eq!(sniff_delimiter("path,caption\r\na;b,c"), b',');
        assert_eq!(sniff_delimiter("path;caption;credit\na,b;c"), b';');
        assert_eq!(sniff_delimiter("path\tcaption\n"), b'\t');
        assert_eq!(sniff_delimiter("\"a;b\",c\n"), b',');
        assert_eq!(sniff_delimiter("path\n"), b',');
    }

    #[test]
    fn ranked_columns_pick_one_value_and_report_disagreement() {
        let mut m = Manifest::new();
        m.items.push(Item::new("a.jpg"));
        let text = "IPTC:Caption-Abstract,SourceFile,XMP-dc:Description,EXIF:ImageDescription\n\
                    Boats at da,media/a.jpg,Boats at dawn.,\n\
                    Gulls,media/a.jpg,Boats at dawn.,\n";
        let sheet = read(text, Path::new("s.csv"), &m, Some("media")).unwrap();
        assert_eq!(sheet.rows.len(), 2);
        assert_eq!(sheet.rows[0].path, "a.jpg");
        assert_eq!(
            sheet.rows[0].values,
            vec![(Slot::Field(Field::Caption), "Boats at dawn.".to_owned())]
        );
        assert_eq!(sheet.notices.len(), 1, "{:?}", sheet.notices);
        assert!(matches!(
            &sheet.notices[0],
            Notice::ColumnsDisagree { at, took, other, .. }
                if at == "row 3" && took == "XMP-dc:Description" && other == "IPTC:Caption-Abstract"
        ));
    }
}

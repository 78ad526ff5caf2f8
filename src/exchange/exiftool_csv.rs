//! ExifTool's names for each manifest field (the `-csv=` columns cutline writes and reads), and the `SourceFile` path ExifTool matches rows by.

use std::path::{Component, Path, PathBuf};

use crate::exchange::ExchangeError;
use crate::exchange::cells::{self, OPTIONAL_FIELDS, SHEET_FIELDS, Slot};
use crate::exchange::csv_export::Columns;
use crate::manifest::{Field, Item, Manifest, check_path};

/// The ExifTool column that names the file.
pub const SOURCE_FILE: &str = "SourceFile";

/// Written on every row, after the fields: `IPTC:CodedCharacterSet=UTF8`
/// so ExifTool stores IIM text as UTF-8 and says so in IIM 1:90 (ExifTool
/// FAQ 10; otherwise it writes Latin-1 and loses what Latin-1 lacks), and
/// `Photoshop:IPTCDigest=new` so the digest matches the rewritten IIM
/// (ExifTool Photoshop tags: "new" computes it). A stale digest would tell
/// every MWG reader that IIM is newer than XMP, and the IIM credit, cut at
/// 32 bytes, would win over the full XMP one.
pub const HOUSEKEEPING: [(&str, &str); 2] = [
    ("IPTC:CodedCharacterSet", "UTF8"),
    ("Photoshop:IPTCDigest", "new"),
];

/// The tags `export --exiftool` writes for a field, XMP first, then IIM, then
/// EXIF, then PNG text. All are written because readers follow MWG
/// precedence (EXIF, then XMP, then IIM for caption, creator and copyright):
/// a file keeping an old EXIF ImageDescription would go on showing the old
/// caption, and a PNG's old `Description` chunk would contradict the new XMP
/// (X002). ExifTool skips, silently, PNG tags for files that are not PNG.
pub fn write_tags(field: Field) -> &'static [&'static str] {
    match field {
        Field::Caption => &[
            "XMP-dc:Description",
            "IPTC:Caption-Abstract",
            "EXIF:ImageDescription",
            "PNG:Description",
        ],
        Field::Credit => &["XMP-photoshop:Credit", "IPTC:Credit"],
        Field::Creator => &[
            "XMP-dc:Creator",
            "IPTC:By-line",
            "EXIF:Artist",
            "PNG:Author",
        ],
        Field::Copyright => &[
            "XMP-dc:Rights",
            "IPTC:CopyrightNotice",
            "EXIF:Copyright",
            "PNG:Copyright",
        ],
        Field::Source => &["XMP-photoshop:Source", "IPTC:Source"],
        // EXIF DateTimeOriginal needs a time of day the manifest does not have.
        Field::Date => &["XMP-photoshop:DateCreated", "IPTC:DateCreated"],
        Field::Headline => &["XMP-photoshop:Headline", "IPTC:Headline"],
        Field::Title => &["XMP-dc:Title", "IPTC:ObjectName", "PNG:Title"],
        Field::City => &["XMP-photoshop:City", "IPTC:City"],
        Field::Country => &["XMP-photoshop:Country", "IPTC:Country-PrimaryLocationName"],
        Field::Alt => &["XMP-iptcCore:AltTextAccessibility"],
        Field::Instructions => &["XMP-photoshop:Instructions", "IPTC:SpecialInstructions"],
        Field::JobId => &[
            "XMP-photoshop:TransmissionReference",
            "IPTC:OriginalTransmissionReference",
        ],
    }
}

/// ExifTool tag names (without group) read as a field, lower-cased.
const READ_NAMES: &[(&str, Field)] = &[
    ("description", Field::Caption),
    ("caption-abstract", Field::Caption),
    ("imagedescription", Field::Caption),
    ("credit", Field::Credit),
    ("creator", Field::Creator),
    ("by-line", Field::Creator),
    ("artist", Field::Creator),
    ("rights", Field::Copyright),
    ("copyrightnotice", Field::Copyright),
    ("copyright", Field::Copyright),
    ("source", Field::Source),
    ("datecreated", Field::Date),
    ("headline", Field::Headline),
    ("title", Field::Title),
    ("author", Field::Creator),
    ("objectname", Field::Title),
    ("city", Field::City),
    ("country", Field::Country),
    ("country-primarylocationname", Field::Country),
    ("alttextaccessibility", Field::Alt),
    ("instructions", Field::Instructions),
    ("specialinstructions", Field::Instructions),
    ("transmissionreference", Field::JobId),
    ("originaltransmissionreference", Field::JobId),
];

/// What an ExifTool column name means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    /// `SourceFile`: the file.
    SourceFile,
    /// A field, with its precedence among columns for the same field
    /// (lower wins): EXIF 1, XMP 2, IIM 3, MWG's order, then PNG text 4; no group 2.
    Field(Field, u8),
    /// Housekeeping ExifTool needs when writing ([`HOUSEKEEPING`]), not a field.
    Housekeeping,
}

/// The meaning of an ExifTool column name (`XMP-dc:Description`,
/// `IPTC:By-line`, `Caption-Abstract`), case-insensitively as ExifTool
/// reads tag names; `None` for names that are not ExifTool's for a field.
pub fn column(name: &str) -> Option<Column> {
    let (group, tag) = match name.rsplit_once(':') {
        Some((g, t)) => (Some(g.to_ascii_lowercase()), t),
        None => (None, name),
    };
    let tag = tag.to_ascii_lowercase();
    if tag == "sourcefile" && group.is_none() {
        return Some(Column::SourceFile);
    }
    if tag == "codedcharacterset" || tag == "iptcdigest" {
        return Some(Column::Housekeeping);
    }
    let field = READ_NAMES.iter().find(|(n, _)| *n == tag)?.1;
    let rank = match group.as_deref() {
        Some("exif" | "ifd0") => 1,
        Some(g) if g.starts_with("iptc") => 3,
        Some(g) if g.starts_with("xmp") => 2,
        Some("png") => 4,
        Some(_) => return None,
        None => 2,
    };
    Some(Column::Field(field, rank))
}

/// The path that goes before an item's path in `SourceFile`: the media root
/// as ExifTool sees it from `cwd`. ExifTool matches a CSV row to a file by
/// the path as given on its command line, else by both paths made absolute
/// (`exiftool` script, `AbsPath` on each `SourceFile`), so a root below
/// `cwd` is written relative to it (`media`), anything else absolute.
pub fn source_prefix(root: &Path, cwd: &Path) -> Result<String, ExchangeError> {
    let canon = |p: &Path| {
        p.canonicalize().map_err(|source| ExchangeError::Folder {
            path: p.to_path_buf(),
            source,
        })
    };
    let root = canon(root)?;
    let cwd = canon(cwd)?;
    let rel: PathBuf = match root.strip_prefix(&cwd) {
        Ok(rel) => rel.to_path_buf(),
        Err(_) => root,
    };
    let parts: Vec<String> = rel
        .components()
        .filter_map(|c| match c {
            Component::RootDir => Some(String::new()),
            Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
            Component::Prefix(p) => Some(p.as_os_str().to_string_lossy().into_owned()),
            Component::CurDir | Component::ParentDir => None,
        })
        .collect();
    if parts.is_empty() {
        return Ok(String::new());
    }
    if parts == [""] {
        return Ok("/".to_owned());
    }
    Ok(parts.join("/"))
}

/// `SourceFile` for an item: `prefix/path`, or `path` when the root is the
/// current folder.
pub fn source_file(prefix: &str, item_path: &str) -> String {
    match prefix {
        "" => item_path.to_owned(),
        p if p.ends_with('/') => format!("{p}{item_path}"),
        p => format!("{p}/{item_path}"),
    }
}

/// The columns ExifTool's `-csv=` import writes into files: `SourceFile`,
/// then [`write_tags`] for each field some item has (a column no item fills
/// would only make ExifTool warn), then [`HOUSEKEEPING`]. An empty cell is
/// skipped by ExifTool, so a field an item lacks stays as the file has it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExifToolColumns {
    prefix: String,
    fields: Vec<Field>,
}

impl ExifToolColumns {
    /// The columns for `m`, with `SourceFile` = `prefix/path` (see [`source_prefix`]).
    pub fn for_manifest(m: &Manifest, prefix: String) -> Self {
        let fields = SHEET_FIELDS
            .iter()
            .chain(&OPTIONAL_FIELDS)
            .copied()
            .filter(|&f| m.items.iter().any(|i| i.has(f)))
            .collect();
        ExifToolColumns { prefix, fields }
    }
}

impl Columns for ExifToolColumns {
    fn header(&self) -> Vec<String> {
        let mut h = vec![SOURCE_FILE.to_owned()];
        for &f in &self.fields {
            h.extend(write_tags(f).iter().map(|t| (*t).to_owned()));
        }
        h.extend(HOUSEKEEPING.iter().map(|(k, _)| (*k).to_owned()));
        h
    }

    fn row(&self, item: &Item) -> Result<Vec<String>, &'static str> {
        if item.missing {
            return Err("marked missing");
        }
        // ExifTool would write wherever the path points: never outside the root.
        check_path(&item.path).map_err(|_| "unsafe path (M004)")?;
        let mut row = vec![source_file(&self.prefix, &item.path)];
        for &f in &self.fields {
            let value = cells::cell(item, &Slot::Field(f));
            row.extend(write_tags(f).iter().map(|_| value.clone()));
        }
        row.extend(HOUSEKEEPING.iter().map(|(_, v)| (*v).to_owned()));
        Ok(row)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exiftool_names_map_to_fields() {
        assert_eq!(
            column("XMP-dc:Description"),
            Some(Column::Field(Field::Caption, 2))
        );
        assert_eq!(
            column("iptc:caption-abstract"),
            Some(Column::Field(Field::Caption, 3))
        );
        assert_eq!(
            column("IFD0:Artist"),
            Some(Column::Field(Field::Creator, 1))
        );
        assert_eq!(column("SourceFile"), Some(Column::SourceFile));
        assert_eq!(column("IPTC:CodedCharacterSet"), Some(Column::Housekeeping));
        assert_eq!(column("Composite:ImageSize"), None);
        assert_eq!(column("Notes"), None);
        for f in Field::ALL {
            for t in write_tags(f) {
                assert!(
                    matches!(column(t), Some(Column::Field(g, _)) if g == f),
                    "{t}"
                );
            }
        }
    }

    #[test]
    fn source_prefix_is_relative_below_cwd_else_absolute() {
        let dir = tempfile::tempdir().unwrap();
        let media = dir.path().join("media");
        std::fs::create_dir_all(media.join("a")).unwrap();
        std::fs::create_dir_all(dir.path().join("manifests")).unwrap();
        let via = dir.path().join("manifests/../media");
        assert_eq!(source_prefix(&via, dir.path()).unwrap(), "media");
        assert_eq!(source_prefix(dir.path(), dir.path()).unwrap(), "");
        let outside = source_prefix(dir.path(), &media).unwrap();
        assert!(outside.starts_with('/'), "{outside}");
        assert_eq!(source_file("media", "a/b.jpg"), "media/a/b.jpg");
        assert_eq!(source_file("", "b.jpg"), "b.jpg");
    }
}

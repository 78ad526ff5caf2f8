//! The manifest v1 data model (DESIGN.md §3): what a parsed manifest holds.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

/// The values of the `"cutline"` key this build reads.
pub const SUPPORTED_VERSIONS: &[u32] = &[1];

/// A parsed manifest.
#[derive(Debug, Clone, PartialEq)]
pub struct Manifest {
    /// The `"cutline"` key: the format version, always 1 for now.
    pub version: u32,
    /// `"root"`: the media folder, relative to the manifest file.
    pub root: Option<String>,
    /// `"policy"`: house-style settings (DESIGN.md §6), read by the policy module.
    /// Always a JSON object when present.
    pub policy: Option<Value>,
    /// `"items"`, in the story's order.
    pub items: Vec<Item>,
    /// Top-level keys cutline does not know, kept in file order for rewriting.
    pub extra: Map<String, Value>,
}

impl Default for Manifest {
    fn default() -> Self {
        Manifest {
            version: 1,
            root: None,
            policy: None,
            items: Vec::new(),
            extra: Map::new(),
        }
    }
}

impl Manifest {
    /// An empty version-1 manifest.
    pub fn new() -> Self {
        Self::default()
    }
}

/// One entry of `"items"`: a media file and what the desk says about it.
#[derive(Debug, Clone, Default)]
pub struct Item {
    /// `"path"`: relative to the root, `/`-separated (see [`super::check_path`]).
    pub path: String,
    /// `"sha256"` of every byte of the file, 64 hex digits.
    pub sha256: Option<String>,
    /// `"image_sha256"`: SHA-256 of the image data alone (DESIGN.md §5b).
    pub image_sha256: Option<String>,
    /// `"size"` in bytes.
    pub size: Option<u64>,
    /// `"caption"` (alias `"description"`): IPTC Description.
    pub caption: Option<String>,
    /// `"credit"` (alias `"creditLine"`): IPTC Credit Line.
    pub credit: Option<String>,
    /// `"creator"` (alias `"creatorNames"`): IPTC Creator. The file may hold a
    /// string or an array of strings; it is always written as an array.
    pub creator: Vec<String>,
    /// `"copyright"` (alias `"copyrightNotice"`): IPTC Copyright Notice.
    pub copyright: Option<String>,
    /// `"source"`: IPTC Source.
    pub source: Option<String>,
    /// `"date"` (alias `"dateCreated"`): IPTC Date Created, as written.
    pub date: Option<String>,
    /// `"headline"`: IPTC Headline.
    pub headline: Option<String>,
    /// `"title"`: IPTC Title.
    pub title: Option<String>,
    /// `"instructions"`: IPTC Instructions.
    pub instructions: Option<String>,
    /// `"job_id"` (aliases `"jobid"`, `"jobId"`): IPTC Job Id.
    pub job_id: Option<String>,
    /// `"city"`: IPTC City.
    pub city: Option<String>,
    /// `"country"` (alias `"countryName"`): IPTC Country.
    pub country: Option<String>,
    /// `"alt"` (alias `"altTextAccessibility"`): IPTC Alt Text (Accessibility).
    pub alt: Option<String>,
    /// `"missing": true`: set by `cutline update` when the file is gone.
    pub missing: bool,
    /// Keys cutline does not know, kept in file order for rewriting.
    pub extra: Map<String, Value>,
    /// The key each field was read from when the file used an alias
    /// (`"creditLine"` rather than `"credit"`), so a rewrite gives the editor
    /// their own spelling back. Fields absent here are written by their name.
    pub spelling: BTreeMap<Field, &'static str>,
}

impl Item {
    /// The item as fixity sees it: path, hashes, size and `missing`; every
    /// descriptive field and unknown key dropped.
    pub fn fixity_only(&mut self) {
        *self = Item {
            path: std::mem::take(&mut self.path),
            sha256: self.sha256.take(),
            image_sha256: self.image_sha256.take(),
            size: self.size,
            missing: self.missing,
            ..Item::default()
        };
    }

    /// An item with only a path.
    pub fn new(path: impl Into<String>) -> Self {
        Item {
            path: path.into(),
            ..Item::default()
        }
    }

    /// The text of a single-valued field; `None` for [`Field::Creator`] (use
    /// [`Item::creator`]) and for absent fields.
    pub fn text(&self, field: Field) -> Option<&str> {
        match field {
            Field::Creator => None,
            Field::Caption => self.caption.as_deref(),
            Field::Credit => self.credit.as_deref(),
            Field::Copyright => self.copyright.as_deref(),
            Field::Source => self.source.as_deref(),
            Field::Date => self.date.as_deref(),
            Field::Headline => self.headline.as_deref(),
            Field::Title => self.title.as_deref(),
            Field::Instructions => self.instructions.as_deref(),
            Field::JobId => self.job_id.as_deref(),
            Field::City => self.city.as_deref(),
            Field::Country => self.country.as_deref(),
            Field::Alt => self.alt.as_deref(),
        }
    }

    /// The slot of a single-valued field, `None` for [`Field::Creator`].
    pub(super) fn text_mut(&mut self, field: Field) -> Option<&mut Option<String>> {
        match field {
            Field::Creator => None,
            Field::Caption => Some(&mut self.caption),
            Field::Credit => Some(&mut self.credit),
            Field::Copyright => Some(&mut self.copyright),
            Field::Source => Some(&mut self.source),
            Field::Date => Some(&mut self.date),
            Field::Headline => Some(&mut self.headline),
            Field::Title => Some(&mut self.title),
            Field::Instructions => Some(&mut self.instructions),
            Field::JobId => Some(&mut self.job_id),
            Field::City => Some(&mut self.city),
            Field::Country => Some(&mut self.country),
            Field::Alt => Some(&mut self.alt),
        }
    }

    /// Whether the field has a value that would be written.
    pub fn has(&self, field: Field) -> bool {
        match field {
            Field::Creator => !self.creator.is_empty(),
            other => self.text(other).is_some(),
        }
    }

    /// The key the field is written under: the file's spelling, else its name.
    pub fn key_for(&self, field: Field) -> &'static str {
        self.spelling.get(&field).copied().unwrap_or(field.name())
    }
}

/// Equality of content: a recorded spelling counts only for a field that is
/// present, because an absent field is not written and so has no spelling.
impl PartialEq for Item {
    fn eq(&self, other: &Self) -> bool {
        let same_spelling = Field::ALL
            .iter()
            .all(|&f| !self.has(f) || self.key_for(f) == other.key_for(f));
        self.path == other.path
            && self.sha256 == other.sha256
            && self.image_sha256 == other.image_sha256
            && self.size == other.size
            && self.creator == other.creator
            && Field::ALL.iter().all(|&f| self.text(f) == other.text(f))
            && self.missing == other.missing
            && self.extra == other.extra
            && same_spelling
    }
}

/// The newsroom's descriptive fields of an item, each mapped to one IPTC
/// property (DESIGN.md §3), in the order they are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum Field {
    /// `caption` → IPTC Description.
    Caption,
    /// `credit` → IPTC Credit Line.
    Credit,
    /// `creator` → IPTC Creator.
    Creator,
    /// `copyright` → IPTC Copyright Notice.
    Copyright,
    /// `source` → IPTC Source.
    Source,
    /// `date` → IPTC Date Created.
    Date,
    /// `headline` → IPTC Headline.
    Headline,
    /// `title` → IPTC Title.
    Title,
    /// `instructions` → IPTC Instructions.
    Instructions,
    /// `job_id` → IPTC Job Id.
    JobId,
    /// `city` → IPTC City.
    City,
    /// `country` → IPTC Country.
    Country,
    /// `alt` → IPTC Alt Text (Accessibility).
    Alt,
}

impl Field {
    /// Every field, in writing order (DESIGN.md §3's example, then its list).
    pub const ALL: [Field; 13] = [
        Field::Caption,
        Field::Credit,
        Field::Creator,
        Field::Copyright,
        Field::Source,
        Field::Date,
        Field::Headline,
        Field::Title,
        Field::Instructions,
        Field::JobId,
        Field::City,
        Field::Country,
        Field::Alt,
    ];

    /// The manifest key (the newsroom's word).
    pub fn name(self) -> &'static str {
        match self {
            Field::Caption => "caption",
            Field::Credit => "credit",
            Field::Creator => "creator",
            Field::Copyright => "copyright",
            Field::Source => "source",
            Field::Date => "date",
            Field::Headline => "headline",
            Field::Title => "title",
            Field::Instructions => "instructions",
            Field::JobId => "job_id",
            Field::City => "city",
            Field::Country => "country",
            Field::Alt => "alt",
        }
    }

    /// Other keys accepted for the field: the IPTC Photo Metadata JSON names
    /// (where they differ from [`Field::name`]).
    pub fn aliases(self) -> &'static [&'static str] {
        match self {
            Field::Caption => &["description"],
            Field::Credit => &["creditLine"],
            Field::Creator => &["creatorNames"],
            Field::Copyright => &["copyrightNotice"],
            Field::Date => &["dateCreated"],
            // IPTC's JSON schema spells it "jobid"; "jobId" is common in the wild.
            Field::JobId => &["jobid", "jobId"],
            Field::Country => &["countryName"],
            Field::Alt => &["altTextAccessibility"],
            Field::Source | Field::Headline | Field::Title | Field::Instructions | Field::City => {
                &[]
            }
        }
    }

    /// The field a key names (by name or alias), with the key as a static
    /// string; `None` for keys that are not descriptive fields.
    pub fn from_key(key: &str) -> Option<(Field, &'static str)> {
        // A `match` on constants rather than a search of every name and
        // alias: this runs for every key of every item of a manifest. It
        // must agree with `name` and `aliases` (a test checks it does).
        Some(match key {
            "caption" => (Field::Caption, "caption"),
            "description" => (Field::Caption, "description"),
            "credit" => (Field::Credit, "credit"),
            "creditLine" => (Field::Credit, "creditLine"),
            "creator" => (Field::Creator, "creator"),
            "creatorNames" => (Field::Creator, "creatorNames"),
            "copyright" => (Field::Copyright, "copyright"),
            "copyrightNotice" => (Field::Copyright, "copyrightNotice"),
            "source" => (Field::Source, "source"),
            "date" => (Field::Date, "date"),
            "dateCreated" => (Field::Date, "dateCreated"),
            "headline" => (Field::Headline, "headline"),
            "title" => (Field::Title, "title"),
            "instructions" => (Field::Instructions, "instructions"),
            "job_id" => (Field::JobId, "job_id"),
            "jobid" => (Field::JobId, "jobid"),
            "jobId" => (Field::JobId, "jobId"),
            "city" => (Field::City, "city"),
            "country" => (Field::Country, "country"),
            "countryName" => (Field::Country, "countryName"),
            "alt" => (Field::Alt, "alt"),
            "altTextAccessibility" => (Field::Alt, "altTextAccessibility"),
            _ => return None,
        })
    }
}

/// Item keys that are not descriptive fields, in writing order.
pub(super) const ITEM_KEYS: [&str; 5] = ["path", "sha256", "image_sha256", "size", "missing"];

/// Top-level keys, in writing order.
pub(super) const TOP_KEYS: [&str; 4] = ["cutline", "root", "policy", "items"];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_maps_back_to_its_field() {
        for f in Field::ALL {
            assert_eq!(Field::from_key(f.name()), Some((f, f.name())));
            for a in f.aliases() {
                assert_eq!(Field::from_key(a), Some((f, *a)));
            }
        }
        assert_eq!(Field::from_key("Caption"), None);
        // No key beyond the names and aliases: as many as the match has arms.
        let keys: usize = Field::ALL.iter().map(|f| 1 + f.aliases().len()).sum();
        assert_eq!(keys, 22);
        assert_eq!(Field::from_key("path"), None);
    }

    #[test]
    fn no_key_is_claimed_twice() {
        let mut seen = std::collections::HashSet::new();
        for f in Field::ALL {
            assert!(seen.insert(f.name()));
            for a in f.aliases() {
                assert!(seen.insert(*a), "{a}");
            }
        }
        for k in ITEM_KEYS {
            assert!(seen.insert(k), "{k}");
        }
    }

    #[test]
    fn spelling_of_an_absent_field_does_not_matter() {
        let a = Item::new("a.jpg");
        let mut b = Item::new("a.jpg");
        b.spelling.insert(Field::Credit, "creditLine");
        assert_eq!(a, b);
        let mut a2 = a.clone();
        a2.credit = Some("X".into());
        let mut b2 = b.clone();
        b2.credit = Some("X".into());
        assert_ne!(a2, b2);
        assert_eq!(b2.key_for(Field::Credit), "creditLine");
    }
}

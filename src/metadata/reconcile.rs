//! Reconciles EXIF, IPTC, XMP and PNG text into one value per newsroom field, as the Metadata Working Group says, and lists every disagreement.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::metadata::Metadata;
use crate::metadata::fields::{Fields, Source, Value};
use crate::textnorm;

/// Captions cameras write by themselves: they say nothing about the photo
/// and count as no caption (matched after trimming, case-insensitively).
const CAMERA_BOILERPLATE: &[&str] = &[
    "OLYMPUS DIGITAL CAMERA",
    "SONY DSC",
    "DIGITAL CAMERA",
    "KONICA MINOLTA DIGITAL CAMERA",
    "MINOLTA DIGITAL CAMERA",
    "SAMSUNG DIGITAL CAMERA",
    "KODAK DIGITAL STILL CAMERA",
    "EASYSHARE",
    "Exif_JPEG_PICTURE",
    "LEICA",
    "Default",
    "Untitled",
    "Image",
];

/// One value per newsroom field, as a reader of the file should see it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Effective {
    /// MWG Description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub caption: Option<String>,
    /// MWG Creator.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub creator: Vec<String>,
    /// Credit line (IIM 2:110, photoshop:Credit).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub credit: Option<String>,
    /// MWG Copyright.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub copyright: Option<String>,
    /// Source (IIM 2:115, photoshop:Source).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// MWG DateTimeOriginal, as an ISO 8601 date (`YYYY-MM-DD`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// Headline (IIM 2:105, photoshop:Headline).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub headline: Option<String>,
    /// Title (dc:title, IIM 2:05 ObjectName).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// City (IIM 2:90, photoshop:City).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    /// Country (IIM 2:101, photoshop:Country).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
}

/// A field whose non-blank sources disagree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Conflict {
    /// The newsroom field (`caption`, `credit`…).
    pub field: &'static str,
    /// Each source's value.
    pub values: BTreeMap<Source, String>,
}

/// The static name of newsroom field `name` (`caption`, `credit`…), as a
/// [`Conflict`] names it; `None` for any other text.
pub fn field_name(name: &str) -> Option<&'static str> {
    FIELDS.iter().find(|f| f.field == name).map(|f| f.field)
}

/// Where each field is read, in MWG precedence order for the three core
/// sources (MWG Guidelines 2.0 §5; ExifTool MWG.pm `Description` etc.).
struct FieldSources {
    field: &'static str,
    exif: Option<&'static str>,
    iptc: Option<&'static str>,
    xmp: Option<&'static str>,
    png: Option<&'static str>,
    /// IIM byte limit, for MWG's truncated-IIM recovery.
    iim_limit: Option<usize>,
}

const FIELDS: &[FieldSources] = &[
    FieldSources {
        field: "caption",
        exif: Some("ImageDescription"),
        iptc: Some("Caption-Abstract"),
        xmp: Some("dc:description"),
        png: Some("Description"),
        iim_limit: Some(2000),
    },
    FieldSources {
        field: "creator",
        exif: Some("Artist"),
        iptc: Some("By-line"),
        xmp: Some("dc:creator"),
        png: Some("Author"),
        iim_limit: Some(32),
    },
    FieldSources {
        field: "copyright",
        exif: Some("Copyright"),
        iptc: Some("CopyrightNotice"),
        xmp: Some("dc:rights"),
        png: Some("Copyright"),
        iim_limit: Some(128),
    },
    FieldSources {
        field: "credit",
        exif: None,
        iptc: Some("Credit"),
        xmp: Some("photoshop:Credit"),
        png: None,
        iim_limit: Some(32),
    },
    FieldSources {
        field: "source",
        exif: None,
        iptc: Some("Source"),
        xmp: Some("photoshop:Source"),
        png: None,
        iim_limit: Some(32),
    },
    FieldSources {
        field: "date",
        exif: Some("DateTimeOriginal"),
        iptc: Some("DateCreated"),
        xmp: Some("photoshop:DateCreated"),
        png: None,
        iim_limit: None,
    },
    FieldSources {
        field: "headline",
        exif: None,
        iptc: Some("Headline"),
        xmp: Some("photoshop:Headline"),
        png: None,
        iim_limit: Some(256),
    },
    FieldSources {
        field: "title",
        exif: None,
        iptc: Some("ObjectName"),
        xmp: Some("dc:title"),
        png: Some("Title"),
        iim_limit: Some(64),
    },
    FieldSources {
        field: "city",
        exif: None,
        iptc: Some("City"),
        xmp: Some("photoshop:City"),
        png: None,
        iim_limit: Some(32),
    },
    FieldSources {
        field: "country",
        exif: None,
        iptc: Some("Country-PrimaryLocationName"),
        xmp: Some("photoshop:Country"),
        png: None,
        iim_limit: Some(64),
    },
];

/// The effective values and the conflicts of one image.
///
/// Precedence (MWG, as ExifTool's MWG module implements it): EXIF when
/// present and not blank; else XMP, unless the IPTC digest shows that IIM
/// was edited after XMP (then IIM, the newer one); else IIM. An `.xmp`
/// sidecar stands in for embedded XMP where the file has none (a sidecar is
/// what Lightroom and darktable write instead of touching the file); PNG
/// text comes last. Credit and source have no EXIF tag.
pub fn reconcile(meta: &Metadata) -> (Effective, Vec<Conflict>) {
    let mut eff = Effective::default();
    let mut conflicts = Vec::new();
    for spec in FIELDS {
        let values = gather(meta, spec);
        if let Some(c) = conflict(spec, &values) {
            conflicts.push(c);
        }
        let xmp_stale = meta.iptc_stale == Some(true) && values.contains_key(&Source::Iptc);
        let order: &[Source] = if xmp_stale {
            &[
                Source::Exif,
                Source::Iptc,
                Source::Xmp,
                Source::Sidecar,
                Source::Png,
            ]
        } else {
            &[
                Source::Exif,
                Source::Xmp,
                Source::Sidecar,
                Source::Iptc,
                Source::Png,
            ]
        };
        let Some(winner) = order.iter().find_map(|s| values.get(s)) else {
            continue;
        };
        assign(&mut eff, spec.field, winner);
    }
    (eff, conflicts)
}

/// Each source's non-blank value for one field.
fn gather(meta: &Metadata, spec: &FieldSources) -> BTreeMap<Source, Value> {
    let mut out = BTreeMap::new();
    let mut put = |source: Source, fields: &Fields, key: Option<&str>| {
        let Some(v) = key.and_then(|k| fields.get(k)) else {
            return;
        };
        let v = if spec.field == "creator" && source == Source::Exif {
            split_artist(v)
        } else {
            v.clone()
        };
        if !is_blank(spec.field, &v) {
            out.insert(source, v);
        }
    };
    put(Source::Exif, &meta.exif, spec.exif);
    put(Source::Iptc, &meta.iptc, spec.iptc);
    put(Source::Xmp, &meta.xmp, spec.xmp);
    put(Source::Sidecar, &meta.sidecar, spec.xmp);
    put(Source::Png, &meta.png, spec.png);
    out
}

/// MWG stores several creators in EXIF Artist separated by "; ".
fn split_artist(v: &Value) -> Value {
    let text = v.joined();
    Value::List(
        text.split("; ")
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect(),
    )
}

fn is_blank(field: &str, v: &Value) -> bool {
    let text = v.joined();
    let t = text.trim_matches(|c: char| c.is_whitespace() || c == '\0');
    if t.is_empty() {
        return true;
    }
    if field == "date" {
        return t.chars().all(|c| c == ':' || c == ' ' || c == '0');
    }
    field == "caption" && is_camera_boilerplate(t)
}

/// True for a caption a camera wrote by itself ("OLYMPUS DIGITAL CAMERA",
/// "SONY DSC", "DCIM\100OLYMP"…).
pub fn is_camera_boilerplate(caption: &str) -> bool {
    let t = caption.trim();
    CAMERA_BOILERPLATE.iter().any(|b| t.eq_ignore_ascii_case(b))
        || t.as_bytes()
            .get(..4)
            .is_some_and(|p| p.eq_ignore_ascii_case(b"DCIM"))
}

fn conflict(spec: &FieldSources, values: &BTreeMap<Source, Value>) -> Option<Conflict> {
    let normalized: Vec<(Source, String)> = values
        .iter()
        .map(|(s, v)| (*s, comparable(spec.field, v)))
        .collect();
    let first = normalized.first()?;
    let all_same = normalized.iter().all(|(s, n)| {
        n == &first.1
            || truncated_iim_match(spec, (*s, n), (first.0, &first.1))
            || dates_agree(spec.field, n, &first.1)
    });
    if all_same {
        return None;
    }
    Some(Conflict {
        field: spec.field,
        values: values.iter().map(|(s, v)| (*s, v.joined())).collect(),
    })
}

/// Text compared after trimming, NFC and folding runs of white space.
fn comparable(field: &str, v: &Value) -> String {
    let text = match v {
        Value::Text(s) => s.clone(),
        Value::List(items) => items
            .iter()
            .map(|s| s.trim())
            .collect::<Vec<_>>()
            .join("; "),
    };
    let folded = textnorm::comparable(&text);
    if field == "date" {
        return date_parts(&folded).join("-");
    }
    folded
}

/// MWG 2.0 §4.1 "RecoverTruncatedIPTC": an IIM value cut at its byte limit
/// that is a prefix of the XMP value is the same value, not a conflict.
fn truncated_iim_match(spec: &FieldSources, a: (Source, &str), b: (Source, &str)) -> bool {
    let Some(limit) = spec.iim_limit else {
        return false;
    };
    let (iim, other) = match (a.0, b.0) {
        (Source::Iptc, _) => (a.1, b.1),
        (_, Source::Iptc) => (b.1, a.1),
        _ => return false,
    };
    iim.len() >= limit.saturating_sub(3) && other.starts_with(iim)
}

/// Dates agree when their common leading parts (Y, M, D, h, m, s) agree:
/// IIM 2:55 carries no time, EXIF carries no zone.
fn dates_agree(field: &str, a: &str, b: &str) -> bool {
    if field != "date" {
        return false;
    }
    let pa: Vec<&str> = a.split('-').collect();
    let pb: Vec<&str> = b.split('-').collect();
    let n = pa.len().min(pb.len());
    n >= 3 && pa[..n] == pb[..n]
}

/// Y, M, D, h, m, s of the first date in `s` (`2024:05:03 06:12:00`,
/// `2024-05-03T06:12:00+02:00`, `20240503`).
fn date_parts(s: &str) -> Vec<String> {
    let digits_groups: Vec<&str> = s
        .split(|c: char| !c.is_ascii_digit())
        .filter(|g| !g.is_empty())
        .collect();
    let mut parts: Vec<String> = Vec::new();
    if let Some(first) = digits_groups.first()
        && first.len() == 8
    {
        parts.push(first[0..4].to_owned());
        parts.push(first[4..6].to_owned());
        parts.push(first[6..8].to_owned());
        return parts;
    }
    for g in digits_groups.iter().take(6) {
        parts.push((*g).to_owned());
    }
    parts
}

fn assign(eff: &mut Effective, field: &str, v: &Value) {
    let text = || Some(v.joined().trim().to_owned());
    match field {
        "caption" => eff.caption = text(),
        "creator" => {
            eff.creator = match v {
                Value::Text(s) => vec![s.trim().to_owned()],
                Value::List(items) => items.iter().map(|s| s.trim().to_owned()).collect(),
            }
        }
        "credit" => eff.credit = text(),
        "copyright" => eff.copyright = text(),
        "source" => eff.source = text(),
        "date" => {
            let p = date_parts(&v.joined());
            eff.date = (p.len() >= 3).then(|| format!("{}-{}-{}", p[0], p[1], p[2]));
        }
        "headline" => eff.headline = text(),
        "title" => eff.title = text(),
        "city" => eff.city = text(),
        "country" => eff.country = text(),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> Value {
        Value::Text(s.into())
    }

    #[test]
    fn exif_wins_then_xmp_then_iptc() {
        let mut m = Metadata::default();
        m.iptc.insert("Caption-Abstract".into(), text("iptc"));
        m.xmp.insert("dc:description".into(), text("xmp"));
        assert_eq!(reconcile(&m).0.caption.as_deref(), Some("xmp"));
        m.exif.insert("ImageDescription".into(), text("exif"));
        assert_eq!(reconcile(&m).0.caption.as_deref(), Some("exif"));
        let (_, conflicts) = reconcile(&m);
        assert_eq!(conflicts.len(), 1);
        assert_eq!(conflicts[0].field, "caption");
        assert_eq!(conflicts[0].values.len(), 3);
    }

    #[test]
    fn stale_digest_prefers_iim() {
        let mut m = Metadata::default();
        m.iptc.insert("Credit".into(), text("New/Wire"));
        m.xmp.insert("photoshop:Credit".into(), text("Old/Wire"));
        m.iptc_stale = Some(true);
        assert_eq!(reconcile(&m).0.credit.as_deref(), Some("New/Wire"));
        m.iptc_stale = Some(false);
        assert_eq!(reconcile(&m).0.credit.as_deref(), Some("Old/Wire"));
    }

    #[test]
    fn boilerplate_caption_is_no_caption() {
        let mut m = Metadata::default();
        m.exif
            .insert("ImageDescription".into(), text("OLYMPUS DIGITAL CAMERA  "));
        m.iptc
            .insert("Caption-Abstract".into(), text("Real caption"));
        let (eff, conflicts) = reconcile(&m);
        assert_eq!(eff.caption.as_deref(), Some("Real caption"));
        assert!(conflicts.is_empty());
        m.exif.insert("ImageDescription".into(), text("   "));
        assert_eq!(reconcile(&m).0.caption.as_deref(), Some("Real caption"));
    }

    #[test]
    fn whitespace_and_nfc_are_not_conflicts() {
        let mut m = Metadata::default();
        m.iptc.insert("City".into(), text("Malmo\u{0308} "));
        m.xmp.insert("photoshop:City".into(), text("Malmö"));
        assert!(reconcile(&m).1.is_empty());
    }

    #[test]
    fn dates_compare_on_common_parts() {
        let mut m = Metadata::default();
        m.exif
            .insert("DateTimeOriginal".into(), text("2024:05:03 06:12:00"));
        m.iptc.insert("DateCreated".into(), text("2024:05:03"));
        m.xmp.insert(
            "photoshop:DateCreated".into(),
            text("2024-05-03T06:12:00+01:00"),
        );
        let (eff, conflicts) = reconcile(&m);
        assert_eq!(eff.date.as_deref(), Some("2024-05-03"));
        assert!(conflicts.is_empty(), "{conflicts:?}");
        m.iptc.insert("DateCreated".into(), text("2024:05:04"));
        assert_eq!(reconcile(&m).1.len(), 1);
    }

    #[test]
    fn truncated_iim_credit_is_not_a_conflict() {
        let mut m = Metadata::default();
        let long = "Courtesy of the Ullapool Harbour Museum Trust";
        m.iptc.insert("Credit".into(), text(&long[..32]));
        m.xmp.insert("photoshop:Credit".into(), text(long));
        assert!(reconcile(&m).1.is_empty());
    }

    #[test]
    fn artist_splits_like_mwg() {
        let mut m = Metadata::default();
        m.exif.insert("Artist".into(), text("Jane Doe; John Roe"));
        m.xmp.insert(
            "dc:creator".into(),
            Value::List(vec!["Jane Doe".into(), "John Roe".into()]),
        );
        let (eff, conflicts) = reconcile(&m);
        assert_eq!(eff.creator, ["Jane Doe", "John Roe"]);
        assert!(conflicts.is_empty());
    }
}

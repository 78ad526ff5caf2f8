//! Reads `exiftool -j -G1` output as the embedded-metadata source of an archive, reconciled as cutline reconciles what it reads itself.

use std::path::Path;

use serde_json::Value as Json;

use crate::exchange::ExchangeError;
use crate::exchange::cells::{CREATOR_SEPARATOR, Slot};
use crate::exchange::merge::{Incoming, Notice};
use crate::manifest::{Field, check_path};
use crate::metadata::fields::{Fields, Value};
use crate::metadata::{Effective, Metadata, reconcile};
use crate::textnorm::nfc;

/// One file as ExifTool read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// `SourceFile`: the path as ExifTool was given it.
    pub source_file: String,
    /// The tags, sorted into cutline's sources under cutline's names.
    pub meta: Metadata,
    /// `XMP-iptcCore:AltTextAccessibility`, which MWG does not reconcile.
    pub alt: Option<String>,
}

/// Parses the JSON array `exiftool -j -G1` prints: one object per file,
/// `SourceFile` plus `Group:Tag` keys (group family 1: `IFD0`, `ExifIFD`,
/// `IPTC`, `XMP-dc`, `XMP-photoshop`, `PNG`…).
pub fn parse(text: &str, origin: &Path) -> Result<Vec<Record>, ExchangeError> {
    let not = |problem| ExchangeError::NotExifToolJson {
        path: origin.to_path_buf(),
        problem,
    };
    let doc: Json = serde_json::from_str(text).map_err(|source| ExchangeError::Json {
        path: origin.to_path_buf(),
        source,
    })?;
    let Json::Array(entries) = doc else {
        return Err(not("expected an array of objects"));
    };
    let mut out = Vec::new();
    let mut grouped = false;
    for entry in entries {
        let Json::Object(obj) = entry else {
            return Err(not("expected an array of objects"));
        };
        let Some(Json::String(source_file)) = obj.get("SourceFile") else {
            return Err(not("an object has no \"SourceFile\""));
        };
        let mut rec = Record {
            source_file: source_file.clone(),
            meta: Metadata::default(),
            alt: None,
        };
        let mut digests = (None, None);
        for (key, value) in &obj {
            let Some((group, tag)) = key.split_once(':') else {
                continue;
            };
            grouped = true;
            let Some(value) = value_of(value) else {
                continue;
            };
            match group {
                "IFD0" | "ExifIFD" => put(&mut rec.meta.exif, tag.to_owned(), value),
                "IPTC" => put(&mut rec.meta.iptc, tag.to_owned(), value),
                "PNG" => put(&mut rec.meta.png, tag.to_owned(), value),
                "XMP-iptcCore" if tag == "AltTextAccessibility" => rec.alt = Some(value.joined()),
                "Photoshop" if tag == "IPTCDigest" => digests.0 = Some(value.joined()),
                _ if tag == "CurrentIPTCDigest" => digests.1 = Some(value.joined()),
                g => {
                    if let Some(prefix) = g.strip_prefix("XMP-") {
                        put(&mut rec.meta.xmp, xmp_name(prefix, tag), value);
                    }
                }
            }
        }
        // Photoshop's stored digest differs from the IIM's own: IIM was
        // edited after XMP (ExifTool `CurrentIPTCDigest`, MWG 2.0 §4.1).
        if let (Some(stored), Some(current)) = digests {
            rec.meta.iptc_stale = Some(stored != current);
        }
        out.push(rec);
    }
    if !out.is_empty() && !grouped {
        return Err(not(
            "no key has a group (`IPTC:Credit`); run exiftool with -G1",
        ));
    }
    Ok(out)
}

/// ExifTool's XMP tag as cutline's `prefix:property`: Dublin Core
/// properties are lower camel case (`dc:description`), Photoshop's upper
/// (`photoshop:Credit`), as the XMP specification spells them.
fn xmp_name(prefix: &str, tag: &str) -> String {
    if prefix == "dc" {
        let mut chars = tag.chars();
        let first = chars.next().map(|c| c.to_lowercase().collect::<String>());
        format!("dc:{}{}", first.unwrap_or_default(), chars.as_str())
    } else {
        format!("{prefix}:{tag}")
    }
}

fn put(fields: &mut Fields, tag: String, value: Value) {
    fields.insert(tag, value);
}

/// A JSON value as text: ExifTool writes numbers for numeric-looking
/// text (a caption `2024`) and arrays for lists; binary (`base64:…`)
/// and structures carry no newsroom text.
fn value_of(v: &Json) -> Option<Value> {
    match v {
        Json::String(s) if s.starts_with("base64:") => None,
        Json::String(s) => Some(Value::Text(s.clone())),
        Json::Number(n) => Some(Value::Text(n.to_string())),
        Json::Bool(b) => Some(Value::Text(b.to_string())),
        Json::Array(items) => Some(Value::List(
            items
                .iter()
                .filter_map(value_of)
                .map(|v| v.joined())
                .collect(),
        )),
        Json::Null | Json::Object(_) => None,
    }
}

/// The deepest folder holding every `SourceFile`, `/`-separated, ending in
/// `/` (empty when they share none): what the item paths are relative to
/// when no root is given.
pub fn common_folder(records: &[Record]) -> String {
    let folders: Vec<Vec<&str>> = records
        .iter()
        .map(|r| {
            let mut parts: Vec<&str> = r.source_file.split('/').collect();
            parts.pop();
            parts
        })
        .collect();
    let Some(first) = folders.first() else {
        return String::new();
    };
    let n = folders.iter().fold(first.len(), |n, f| {
        n.min(f.len())
            .min(first.iter().zip(f).take_while(|(a, b)| a == b).count())
    });
    if n == 0 {
        return String::new();
    }
    format!("{}/", first[..n].join("/"))
}

/// One record per file under `base` (a `SourceFile` prefix ending in `/`,
/// or empty), with the reconciled caption, credit and other fields.
pub fn records(recs: &[Record], base: &str) -> (Vec<Incoming>, Vec<Notice>) {
    let mut out = Vec::new();
    let mut notices = Vec::new();
    for (n, rec) in recs.iter().enumerate() {
        let at = format!("entry {}", n + 1);
        let rel = rec
            .source_file
            .strip_prefix(base)
            .unwrap_or(&rec.source_file);
        let path = nfc(rel.trim_start_matches("./")).into_owned();
        if !rec.source_file.starts_with(base) || check_path(&path).is_err() {
            notices.push(Notice::SkippedImage {
                at,
                src: rec.source_file.clone(),
                reason: "not under the root folder",
            });
            continue;
        }
        let (eff, _) = reconcile(&rec.meta);
        out.push(Incoming {
            at,
            path,
            values: values(&eff, rec.alt.as_deref()),
        });
    }
    (out, notices)
}

fn values(e: &Effective, alt: Option<&str>) -> Vec<(Slot, String)> {
    let pairs = [
        (Field::Caption, e.caption.clone()),
        (Field::Credit, e.credit.clone()),
        (Field::Creator, Some(e.creator.join(CREATOR_SEPARATOR))),
        (Field::Copyright, e.copyright.clone()),
        (Field::Source, e.source.clone()),
        (Field::Date, e.date.clone()),
        (Field::Headline, e.headline.clone()),
        (Field::Title, e.title.clone()),
        (Field::City, e.city.clone()),
        (Field::Country, e.country.clone()),
        (Field::Alt, alt.map(str::to_owned)),
    ];
    pairs
        .into_iter()
        .filter_map(|(f, v)| {
            v.filter(|s| !s.trim().is_empty())
                .map(|s| (Slot::Field(f), s))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = r#"[{
      "SourceFile": "/archive/photos/2020/a.jpg",
      "ExifTool:ExifToolVersion": 12.57,
      "IFD0:Artist": "Jane Doe",
      "IPTC:Caption-Abstract": "Boats at da",
      "IPTC:Credit": "Jane Doe/Wire",
      "XMP-dc:Description": "Boats at dawn.",
      "XMP-dc:Creator": ["Jane Doe"],
      "XMP-photoshop:Credit": "Jane Doe/Northern Wire",
      "XMP-photoshop:DateCreated": "2020:05:01 06:12:00",
      "XMP-iptcCore:AltTextAccessibility": "Three boats.",
      "IPTC:ObjectName": 2024
    },{
      "SourceFile": "/archive/photos/b.png",
      "PNG:Description": "A puffin."
    }]"#;

    #[test]
    fn reconciles_as_cutline_does() {
        let recs = parse(SAMPLE, Path::new("x.json")).unwrap();
        assert_eq!(common_folder(&recs), "/archive/photos/");
        let (incoming, notices) = records(&recs, &common_folder(&recs));
        assert!(notices.is_empty());
        assert_eq!(incoming[0].path, "2020/a.jpg");
        let get = |f| {
            incoming[0]
                .values
                .iter()
                .find(|(s, _)| *s == Slot::Field(f))
                .map(|(_, v)| v.as_str())
        };
        assert_eq!(get(Field::Caption), Some("Boats at dawn."));
        assert_eq!(get(Field::Credit), Some("Jane Doe/Northern Wire"));
        assert_eq!(get(Field::Creator), Some("Jane Doe"));
        assert_eq!(get(Field::Date), Some("2020-05-01"));
        assert_eq!(get(Field::Title), Some("2024"));
        assert_eq!(get(Field::Alt), Some("Three boats."));
        assert_eq!(incoming[1].path, "b.png");
        let (_, skipped) = records(&recs, "/archive/photos/2020/");
        assert_eq!(skipped.len(), 1);
    }

    #[test]
    fn ungrouped_output_is_refused() {
        let e = parse(
            r#"[{"SourceFile":"a.jpg","Caption-Abstract":"x"}]"#,
            Path::new("x"),
        )
        .unwrap_err();
        assert!(e.to_string().contains("-G1"), "{e}");
        assert!(parse("{}", Path::new("x")).is_err());
        assert!(parse("[1]", Path::new("x")).is_err());
        assert!(parse("not json", Path::new("x")).is_err());
    }
}

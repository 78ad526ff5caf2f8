//! Reads every metadata source of one image (EXIF, IPTC-IIM, XMP, sidecar, PNG text) and reconciles them.

pub mod exif;
pub mod fields;
pub mod iptc;
pub mod reconcile;
pub mod xmp;

use serde::Serialize;

use crate::container::Blocks;
use fields::{Fields, Source, Value, Warning};

pub use reconcile::{Conflict, Effective, reconcile};

/// PNG text keywords reported under `png` (PNG 1.2 §11.3.4.2 predefined
/// keywords that carry newsroom fields).
const PNG_KEYWORDS: &[&str] = &["Title", "Author", "Description", "Copyright"];

/// Every source's fields for one image, before reconciling.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Metadata {
    /// EXIF tags by ExifTool name.
    pub exif: Fields,
    /// IPTC-IIM datasets by ExifTool name.
    pub iptc: Fields,
    /// XMP properties as `prefix:Name` (embedded packet, ExtendedXMP merged).
    pub xmp: Fields,
    /// XMP properties from an `.xmp` sidecar beside the file.
    pub sidecar: Fields,
    /// PNG textual chunks with predefined keywords.
    pub png: Fields,
    /// `Some(true)` when the IPTC digest (Photoshop resource 0x0425) no
    /// longer matches the IIM block: IIM was edited after XMP was written.
    #[serde(skip)]
    pub iptc_stale: Option<bool>,
    /// Damage met in any block (each becomes an X003 finding).
    #[serde(skip)]
    pub warnings: Vec<Warning>,
}

/// Reads all metadata found in `blocks`, plus the bytes of a sidecar.
pub fn read(blocks: &Blocks, sidecar: Option<&[u8]>) -> Metadata {
    let mut meta = Metadata::default();
    if let Some(tiff) = &blocks.exif {
        let e = exif::read(tiff);
        meta.exif = e.fields;
        meta.warnings.extend(e.warnings);
    }

    let irb = blocks.photoshop.as_deref().map(iptc::parse_irb);
    let mut psd_xmp = None;
    if let Some(irb) = &irb {
        meta.warnings.extend(irb.warnings.iter().cloned());
        meta.iptc_stale = iptc::is_stale(irb);
        psd_xmp = irb.xmp.as_deref();
    }
    let iim = irb
        .as_ref()
        .and_then(|i| i.iim.as_deref())
        .or(blocks.iptc.as_deref());
    if let Some(iim) = iim {
        let parsed = iptc::parse_iim(iim);
        meta.iptc = parsed.fields;
        meta.warnings.extend(parsed.warnings);
    }

    if let Some(packet) = blocks.xmp.as_deref().or(psd_xmp) {
        match xmp::parse_xmp(packet) {
            Ok(mut main) => {
                meta.warnings.append(&mut main.warnings);
                if let Some(guid) = main.has_extended.clone() {
                    merge_extended(&mut main, blocks, &guid, &mut meta.warnings);
                }
                meta.xmp = main.fields;
            }
            Err(e) => meta.warnings.push(Warning::new(Source::Xmp, e.to_string())),
        }
    }
    if let Some(bytes) = sidecar {
        match xmp::parse_xmp(bytes) {
            Ok(side) => {
                meta.sidecar = side.fields;
                meta.warnings.extend(
                    side.warnings
                        .into_iter()
                        .map(|w| Warning::new(Source::Sidecar, w.message)),
                );
            }
            Err(e) => meta
                .warnings
                .push(Warning::new(Source::Sidecar, e.to_string())),
        }
    }

    for t in &blocks.png_text {
        if PNG_KEYWORDS.contains(&t.keyword.as_str()) && !meta.png.contains_key(&t.keyword) {
            meta.png
                .insert(t.keyword.clone(), Value::Text(t.text.clone()));
        }
    }
    meta.warnings.extend(
        blocks
            .warnings
            .iter()
            .map(|m| Warning::new(Source::Container, m.as_str())),
    );
    meta
}

/// Joins the ExtendedXMP chunks named by `xmpNote:HasExtendedXMP` into the
/// main packet (XMP spec part 3 §1.1.3.1). A damaged extension is a
/// warning; the main packet stands.
fn merge_extended(main: &mut xmp::Xmp, blocks: &Blocks, guid: &str, warnings: &mut Vec<Warning>) {
    if blocks.xmp_extended.is_empty() {
        warnings.push(Warning::new(
            Source::Xmp,
            format!("xmpNote:HasExtendedXMP names {guid} but the file has no ExtendedXMP"),
        ));
        return;
    }
    let joined = match xmp::assemble_extended(&blocks.xmp_extended, guid) {
        Ok(bytes) => bytes,
        Err(e) => {
            warnings.push(Warning::new(Source::Xmp, format!("ExtendedXMP: {e}")));
            return;
        }
    };
    match xmp::parse_xmp(&joined) {
        Ok(ext) => xmp::merge(main, ext),
        Err(e) => warnings.push(Warning::new(Source::Xmp, format!("ExtendedXMP: {e}"))),
    }
}

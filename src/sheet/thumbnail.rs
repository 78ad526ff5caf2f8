//! Makes the contact sheet's thumbnails: the EXIF thumbnail when it is big enough, else a bounded decode and resize, never a panic.

use std::io::Cursor;
use std::panic::{AssertUnwindSafe, catch_unwind};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use exif::{In, Reader, Tag};
use image::codecs::jpeg::JpegEncoder;
use image::{DynamicImage, ImageDecoder, ImageReader, Limits, RgbImage};

use crate::container;
use crate::format::{self, Format};

/// The longest side of a thumbnail, in pixels.
pub const MAX_SIDE: u32 = 320;

/// The largest width or height the decoder accepts: bigger images get a
/// placeholder rather than a multi-gigabyte allocation.
const MAX_DIMENSION: u32 = 20_000;

/// The most memory one decode may allocate (image's `Limits::max_alloc`);
/// decodes run one per core, so this bounds the whole sheet too.
const MAX_ALLOC: u64 = 256 * 1024 * 1024;

/// JPEG quality of the thumbnails: small files, no visible blocking at 320 px.
const JPEG_QUALITY: u8 = 80;

/// Where a thumbnail's pixels came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// The JPEG thumbnail embedded in EXIF IFD1 (EXIF 2.32 §4.5.8).
    Exif,
    /// The image itself, decoded and resized.
    Decoded,
}

/// A thumbnail, or why there is none.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Thumbnail {
    /// A JPEG, as a `data:` URI, with its size.
    Image {
        /// `data:image/jpeg;base64,…`.
        data_uri: String,
        /// Width in pixels.
        width: u32,
        /// Height in pixels.
        height: u32,
        /// EXIF thumbnail or decoded image.
        origin: Origin,
    },
    /// No preview; the reason is shown on the placeholder.
    Unavailable(Unavailable),
}

/// Why a card has no preview.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unavailable {
    /// The manifest lists the file but it is not on disk.
    Missing,
    /// The path was never opened (unsafe, or not a file under the root).
    NotOpened,
    /// The bytes are no image format cutline recognizes.
    NotAnImage,
    /// A format cutline reads metadata from but does not decode.
    NoDecoder(Format),
    /// Reading or decoding failed; the message says how.
    Failed(String),
    /// The decoder panicked; caught, so the sheet is still written.
    DecoderPanicked,
}

impl Unavailable {
    /// The placeholder's text.
    pub fn label(&self) -> String {
        match self {
            Unavailable::Missing => "File missing".to_owned(),
            Unavailable::NotOpened => "Not opened".to_owned(),
            Unavailable::NotAnImage => "Not an image".to_owned(),
            Unavailable::NoDecoder(f) => format!("No preview for {}", f.name().to_uppercase()),
            Unavailable::Failed(_) | Unavailable::DecoderPanicked => "Preview failed".to_owned(),
        }
    }

    /// A note for the card when the preview failed, styled like X001
    /// (unreadable-image) but not counted as a finding: `check` decides
    /// findings, the sheet only fails to draw.
    pub fn note(&self) -> Option<String> {
        match self {
            Unavailable::Failed(why) => {
                Some(format!("X001 preview: the image did not decode: {why}"))
            }
            Unavailable::DecoderPanicked => {
                Some("X001 preview: the image decoder crashed on this file".to_owned())
            }
            _ => None,
        }
    }
}

/// Makes the thumbnail of a file's bytes with the `image` crate's decoders.
pub fn make(bytes: &[u8]) -> Thumbnail {
    make_with(bytes, decode)
}

/// [`make`] with another decoder, so tests can make one panic. Any panic
/// inside `decoder` or the resize becomes [`Unavailable::DecoderPanicked`].
pub fn make_with<F>(bytes: &[u8], decoder: F) -> Thumbnail
where
    F: Fn(&[u8]) -> Result<DynamicImage, image::ImageError>,
{
    let Some(format) = format::sniff(bytes) else {
        return Thumbnail::Unavailable(Unavailable::NotAnImage);
    };
    let blocks = container::read_blocks(format, bytes).ok();
    let (width, height) = blocks
        .as_ref()
        .map_or((None, None), |b| (b.width, b.height));
    let embedded = blocks
        .as_ref()
        .and_then(|b| b.exif.as_deref())
        .and_then(exif_thumbnail);
    let decodable = matches!(
        format,
        Format::Jpeg | Format::Png | Format::Tiff | Format::Webp | Format::Gif
    );

    let attempt = catch_unwind(AssertUnwindSafe(|| {
        // The EXIF thumbnail saves a full decode, but only when it is as
        // big as the thumbnail we would make and shows the same frame
        // (cameras letterbox 16:9 photos into 160×120 thumbnails).
        // A format we cannot decode (HEIF, PSD…) takes any EXIF thumbnail.
        if let Some(img) = embedded.and_then(|jpeg| decoder(jpeg).ok())
            && (!decodable || big_enough(&img, width, height))
        {
            return Ok(Some((shrink(&img), Origin::Exif)));
        }
        if !decodable {
            return Ok(None);
        }
        decoder(bytes).map(|img| Some((shrink(&img), Origin::Decoded)))
    }));
    match attempt {
        Err(_) => Thumbnail::Unavailable(Unavailable::DecoderPanicked),
        Ok(Err(e)) => Thumbnail::Unavailable(Unavailable::Failed(e.to_string())),
        Ok(Ok(None)) => Thumbnail::Unavailable(Unavailable::NoDecoder(format)),
        Ok(Ok(Some((rgb, origin)))) => match encode(&rgb) {
            Ok(data_uri) => Thumbnail::Image {
                data_uri,
                width: rgb.width(),
                height: rgb.height(),
                origin,
            },
            Err(e) => Thumbnail::Unavailable(Unavailable::Failed(e.to_string())),
        },
    }
}

/// Decodes under limits on size and memory, then turns the image upright
/// (EXIF Orientation, tag 0x0112): the JPEG we write carries no EXIF.
pub fn decode(bytes: &[u8]) -> Result<DynamicImage, image::ImageError> {
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_DIMENSION);
    limits.max_image_height = Some(MAX_DIMENSION);
    limits.max_alloc = Some(MAX_ALLOC);
    let mut reader = ImageReader::new(Cursor::new(bytes)).with_guessed_format()?;
    reader.limits(limits);
    let mut decoder = reader.into_decoder()?;
    let orientation = decoder.orientation()?;
    let mut img = DynamicImage::from_decoder(decoder)?;
    img.apply_orientation(orientation);
    Ok(img)
}

/// The JPEG of EXIF IFD1 (JPEGInterchangeFormat 0x0201 and its length
/// 0x0202, offsets from the start of the TIFF header, EXIF 2.32 §4.6.6).
fn exif_thumbnail(tiff: &[u8]) -> Option<&[u8]> {
    let mut reader = Reader::new();
    reader.continue_on_error(true);
    let parsed = reader
        .read_raw(tiff.to_vec())
        .or_else(|e| e.distill_partial_result(|_| {}))
        .ok()?;
    let at = |tag| {
        parsed
            .get_field(tag, In::THUMBNAIL)
            .and_then(|f| f.value.get_uint(0))
            .and_then(|v| usize::try_from(v).ok())
    };
    let offset = at(Tag::JPEGInterchangeFormat)?;
    let length = at(Tag::JPEGInterchangeFormatLength)?;
    let jpeg = tiff.get(offset..offset.checked_add(length)?)?;
    jpeg.starts_with(&[0xFF, 0xD8]).then_some(jpeg)
}

/// Whether an EXIF thumbnail can stand in for the image: its longest side
/// reaches [`MAX_SIDE`] (or the image's own, for small images) and its
/// aspect ratio is the image's within 2 %.
fn big_enough(thumb: &DynamicImage, width: Option<u32>, height: Option<u32>) -> bool {
    let (tw, th) = (thumb.width(), thumb.height());
    if tw == 0 || th == 0 {
        return false;
    }
    let longest = tw.max(th);
    match (width, height) {
        (Some(w), Some(h)) if w > 0 && h > 0 => {
            let want = MAX_SIDE.min(w.max(h));
            let ratio = |a: u32, b: u32| f64::from(a) / f64::from(b);
            let same_frame = (ratio(tw, th) / ratio(w, h) - 1.0).abs() < 0.02;
            longest >= want && same_frame
        }
        _ => longest >= MAX_SIDE,
    }
}

/// Scales down to fit [`MAX_SIDE`] (never up) and flattens any alpha onto
/// white, as the page behind it is.
fn shrink(img: &DynamicImage) -> RgbImage {
    let small = if img.width().max(img.height()) > MAX_SIDE {
        img.thumbnail(MAX_SIDE, MAX_SIDE)
    } else {
        img.clone()
    };
    if !small.color().has_alpha() {
        return small.to_rgb8();
    }
    let rgba = small.to_rgba8();
    RgbImage::from_fn(rgba.width(), rgba.height(), |x, y| {
        let p = rgba.get_pixel(x, y).0;
        let a = u16::from(p[3]);
        let over = |c: u8| {
            let v = (u16::from(c) * a + 255 * (255 - a)) / 255;
            u8::try_from(v).unwrap_or(u8::MAX)
        };
        image::Rgb([over(p[0]), over(p[1]), over(p[2])])
    })
}

/// Encodes as JPEG and wraps it in a `data:` URI (RFC 2397).
fn encode(rgb: &RgbImage) -> Result<String, image::ImageError> {
    let mut jpeg = Vec::new();
    JpegEncoder::new_with_quality(&mut jpeg, JPEG_QUALITY).encode_image(rgb)?;
    Ok(format!("data:image/jpeg;base64,{}", STANDARD.encode(&jpeg)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(width: u32, height: u32) -> Vec<u8> {
        let img = RgbImage::from_fn(width, height, |x, y| {
            image::Rgb([(x % 256) as u8, (y % 256) as u8, 128])
        });
        let mut out = Vec::new();
        DynamicImage::ImageRgb8(img)
            .write_to(&mut Cursor::new(&mut out), image::ImageFormat::Png)
            .unwrap();
        out
    }

    /// CRC-32 as PNG uses it (ISO 3309, PNG §15 annex D).
    fn crc32(data: &[u8]) -> u32 {
        let mut c = 0xFFFF_FFFFu32;
        for &b in data {
            c ^= u32::from(b);
            for _ in 0..8 {
                c = if c & 1 == 1 {
                    0xEDB8_8320 ^ (c >> 1)
                } else {
                    c >> 1
                };
            }
        }
        !c
    }

    #[test]
    fn large_image_is_shrunk_to_max_side() {
        let Thumbnail::Image {
            width,
            height,
            origin,
            data_uri,
        } = make(&png(800, 400))
        else {
            panic!("no thumbnail");
        };
        assert_eq!((width, height), (320, 160));
        assert_eq!(origin, Origin::Decoded);
        assert!(data_uri.starts_with("data:image/jpeg;base64,/9j/"));
    }

    #[test]
    fn small_image_is_not_enlarged() {
        let Thumbnail::Image { width, height, .. } = make(&png(40, 30)) else {
            panic!("no thumbnail");
        };
        assert_eq!((width, height), (40, 30));
    }

    #[test]
    fn decoder_panic_becomes_a_placeholder() {
        let t = make_with(&png(10, 10), |_| panic!("decoder bug"));
        assert_eq!(t, Thumbnail::Unavailable(Unavailable::DecoderPanicked));
        let Thumbnail::Unavailable(u) = t else {
            unreachable!()
        };
        assert!(u.note().unwrap().starts_with("X001"));
    }

    #[test]
    fn truncated_and_foreign_bytes_give_placeholders() {
        let mut cut = png(64, 64);
        cut.truncate(60);
        assert!(matches!(
            make(&cut),
            Thumbnail::Unavailable(Unavailable::Failed(_))
        ));
        assert_eq!(
            make(b"# README\n"),
            Thumbnail::Unavailable(Unavailable::NotAnImage)
        );
    }

    #[test]
    fn oversized_dimensions_are_refused_by_the_limits() {
        // A PNG header claiming 30000×30000: the limits stop the decode
        // before any allocation.
        let mut bytes = png(1, 1);
        bytes[16..20].copy_from_slice(&30_000u32.to_be_bytes());
        bytes[20..24].copy_from_slice(&30_000u32.to_be_bytes());
        // Fix the IHDR CRC (PNG §5.3) so the limit, not the checksum, refuses it.
        let crc = crc32(&bytes[12..29]);
        bytes[29..33].copy_from_slice(&crc.to_be_bytes());
        let Thumbnail::Unavailable(Unavailable::Failed(why)) = make(&bytes) else {
            panic!("decoded a 30000×30000 claim");
        };
        assert!(why.contains("limit"), "{why}");
    }

    #[test]
    fn big_enough_needs_size_and_the_same_frame() {
        let thumb = DynamicImage::new_rgb8(320, 240);
        assert!(big_enough(&thumb, Some(4000), Some(3000)));
        assert!(
            !big_enough(&thumb, Some(4000), Some(2250)),
            "16:9 letterboxed"
        );
        assert!(!big_enough(
            &DynamicImage::new_rgb8(160, 120),
            Some(4000),
            Some(3000)
        ));
        assert!(big_enough(
            &DynamicImage::new_rgb8(160, 120),
            Some(160),
            Some(120)
        ));
    }
}

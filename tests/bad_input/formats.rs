//! Minimal files of the formats the embed builders do not write (HEIC, AVIF, GIF, PSD, JPEG 2000, JPEG XL), for the hostile-input tests.
//!
//! Each is the smallest structure cutline's container walker accepts and
//! takes dimensions from; included by `#[path]` from `tests/bad_input.rs`
//! and `tests/properties.rs`.

/// An ISO BMFF box: size (4, big-endian), type, body (ISO/IEC 14496-12 4.2).
pub fn bx(kind: &[u8; 4], body: &[u8]) -> Vec<u8> {
    let size = u32::try_from(body.len() + 8).expect("small box");
    let mut out = size.to_be_bytes().to_vec();
    out.extend_from_slice(kind);
    out.extend_from_slice(body);
    out
}

/// A full box: version and flags before the body (ISO/IEC 14496-12 4.2).
pub fn full(kind: &[u8; 4], version: u8, body: &[u8]) -> Vec<u8> {
    let mut b = vec![version, 0, 0, 0];
    b.extend_from_slice(body);
    bx(kind, &b)
}

/// A HEIF (`heic`) or AVIF (`avif`) file whose primary item 1 has an `ispe`
/// of `width` × `height` (ISO/IEC 23008-12 6.5.3), and no image data.
pub fn heif(brand: &[u8; 4], width: u32, height: u32) -> Vec<u8> {
    let mut ftyp_body = brand.to_vec();
    ftyp_body.extend_from_slice(&[0, 0, 0, 0]);
    ftyp_body.extend_from_slice(b"mif1");
    ftyp_body.extend_from_slice(brand);
    let mut f = bx(b"ftyp", &ftyp_body);
    let mut inner = full(b"pitm", 0, &[0, 1]);
    let mut infe = vec![0, 1, 0, 0];
    infe.extend_from_slice(if brand == b"avif" { b"av01" } else { b"hvc1" });
    infe.push(0);
    let mut entries = vec![0, 1];
    entries.extend(full(b"infe", 2, &infe));
    inner.extend(full(b"iinf", 0, &entries));
    let mut ispe = width.to_be_bytes().to_vec();
    ispe.extend_from_slice(&height.to_be_bytes());
    let mut iprp = bx(b"ipco", &full(b"ispe", 0, &ispe));
    // ipma: one entry, item 1, one association, property 1, essential.
    iprp.extend(full(b"ipma", 0, &[0, 0, 0, 1, 0, 1, 1, 0x81]));
    inner.extend(bx(b"iprp", &iprp));
    f.extend(full(b"meta", 0, &inner));
    f
}

/// A GIF89a of `width` × `height` encoded by the `image` crate.
pub fn gif(width: u32, height: u32) -> Vec<u8> {
    let img = image::RgbaImage::from_fn(width, height, |x, y| {
        image::Rgba([(x * 16) as u8, (y * 16) as u8, 90, 255])
    });
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Gif)
        .expect("encode gif");
    out.into_inner()
}

/// A PSD header of `width` × `height` (Adobe PSD spec, file header section),
/// empty colour-mode data, one image resource `8BIM` 0x0404 holding `iim`.
pub fn psd(width: u32, height: u32, iim: &[u8]) -> Vec<u8> {
    let mut f = b"8BPS\0\x01\0\0\0\0\0\0\0\x03".to_vec();
    f.extend_from_slice(&height.to_be_bytes());
    f.extend_from_slice(&width.to_be_bytes());
    f.extend_from_slice(&[0, 8, 0, 3]);
    f.extend_from_slice(&[0, 0, 0, 0]);
    let mut res = b"8BIM\x04\x04\0\0".to_vec();
    res.extend_from_slice(&u32::try_from(iim.len()).expect("small").to_be_bytes());
    res.extend_from_slice(iim);
    if iim.len() % 2 == 1 {
        res.push(0);
    }
    f.extend_from_slice(&u32::try_from(res.len()).expect("small").to_be_bytes());
    f.extend(res);
    f
}

/// A JP2 file: signature, `ftyp`, `jp2h` with an `ihdr` of `width` × `height`
/// (ISO/IEC 15444-1 I.5.3.1), an XML box with `xml`, and a stub codestream.
pub fn jp2(width: u32, height: u32, xml: &[u8]) -> Vec<u8> {
    let mut f = bx(b"jP  ", b"\r\n\x87\n");
    f.extend(bx(b"ftyp", b"jp2 \0\0\0\0jp2 "));
    let mut ihdr = height.to_be_bytes().to_vec();
    ihdr.extend_from_slice(&width.to_be_bytes());
    ihdr.extend_from_slice(&[0, 3, 7, 7, 0, 0]);
    f.extend(bx(b"jp2h", &bx(b"ihdr", &ihdr)));
    f.extend(bx(b"xml ", xml));
    f.extend(bx(b"jp2c", b"\xff\x4f\xff\x51\0\x29"));
    f
}

/// A bare JPEG XL codestream 56 × 32: signature `FF 0A`, then SizeHeader
/// (ISO/IEC 18181-1 A.2, LSB first) small = 1, height (3+1)·8, ratio 5 (16:9).
pub fn jxl() -> Vec<u8> {
    b"\xff\x0a\x47\x01".to_vec()
}

/// One of each, with the dimensions each declares.
pub fn all() -> Vec<(&'static str, Vec<u8>, (u32, u32))> {
    vec![
        ("photo.heic", heif(b"heic", 4032, 3024), (4032, 3024)),
        ("photo.avif", heif(b"avif", 640, 480), (640, 480)),
        ("photo.gif", gif(8, 6), (8, 6)),
        (
            "photo.psd",
            psd(20, 10, b"\x1c\x02\x78\0\x05Hello"),
            (20, 10),
        ),
        ("photo.jp2", jp2(200, 130, b"<x:xmpmeta/>"), (200, 130)),
        ("photo.jxl", jxl(), (56, 32)),
    ]
}

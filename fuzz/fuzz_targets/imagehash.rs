//! Fuzz target: the image-data hash walk of every format over the same bytes.
#![no_main]

use cutline::format::Format;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // The sniffed format first (the path a scan takes), then every walker, so
    // a PNG seed mutated into a TIFF-looking header still reaches the TIFF walk.
    if let Some(f) = cutline::format::sniff(data) {
        let _ = cutline::imagehash::image_sha256(f, data);
    }
    for f in Format::ALL {
        let _ = cutline::imagehash::image_sha256(f, data);
    }
});

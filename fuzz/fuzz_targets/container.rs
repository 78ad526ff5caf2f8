//! Fuzz target: sniff a file's bytes, walk its container and read its EXIF, IPTC and XMP.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some(format) = cutline::format::sniff(data) else {
        return;
    };
    if let Ok(blocks) = cutline::container::read_blocks(format, data) {
        let meta = cutline::metadata::read(&blocks, None);
        let _ = cutline::metadata::reconcile(&meta);
    }
});

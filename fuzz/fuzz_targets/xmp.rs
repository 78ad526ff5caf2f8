//! Fuzz target: an XMP packet (or sidecar) from arbitrary bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = cutline::metadata::xmp::parse_xmp(data);
});

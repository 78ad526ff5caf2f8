//! Fuzz target: `sha256sum` checksum-file lines.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = cutline::sums::parse(data);
});

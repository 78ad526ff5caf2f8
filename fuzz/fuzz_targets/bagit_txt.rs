//! Fuzz target: the bag declaration, `bagit.txt` (RFC 8493 §2.1.1).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = cutline::bagit::bagit_txt::parse(data);
});

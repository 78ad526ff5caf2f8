//! Fuzz target: the strict manifest loader; what parses must also write and re-parse equal.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let origin = Path::new("fuzz.json");
    if let Ok(m) = cutline::manifest::parse_bytes(data, origin) {
        let json = cutline::manifest::to_json(&m);
        let again = cutline::manifest::parse(&json, origin);
        assert_eq!(
            again.ok().as_ref(),
            Some(&m),
            "to_json output does not re-parse equal"
        );
    }
});

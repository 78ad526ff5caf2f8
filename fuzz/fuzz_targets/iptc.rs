//! Fuzz target: Photoshop image resources and IPTC-IIM datasets from arbitrary bytes.
#![no_main]

use cutline::metadata::iptc;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let irb = iptc::parse_irb(data);
    if let Some(iim) = irb.iim.as_deref() {
        let _ = iptc::parse_iim(iim);
    }
    let _ = iptc::is_stale(&irb);
    let _ = iptc::datasets(data);
    let _ = iptc::parse_iim(data);
});

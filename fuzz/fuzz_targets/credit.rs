//! Fuzz target: the credit-line grammar on arbitrary text.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let line = cutline::creditline::parse(&text);
    let _ = line.is_house_style();
    let _ = line.agencies();
    let _ = line.truncation();
    let _ = line.form.kind();
    let _ = cutline::creditline::is_known(&text);
});

//! Fuzz target: the policy loader (JSON → validated policy) and a merge onto the default.
#![no_main]

use cutline::policy::Policy;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(value) = serde_json::from_slice::<serde_json::Value>(data) else {
        return;
    };
    if let Ok(p) = Policy::from_value(&value, "fuzz.json") {
        let _ = Policy::for_manifest(Some(&value), "fuzz.json", Some(&p));
        let _ = p.accepts_credit("Jane Doe/Reuters");
        let _ = p.is_ignored("a/b/c.jpg");
        let _ = p.placeholder_in("Caption TK");
    }
});

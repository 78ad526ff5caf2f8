//! Fuzz target: BagIt payload and tag manifest lines (RFC 8493 §2.1.3, §2.2.1), tag files and fetch.txt.
#![no_main]

use cutline::checksum::digest::Algorithm;
use cutline::bagit::manifest_file::{self, Role};
use cutline::bagit::{fetch_file, tag_file};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = manifest_file::parse(
        "manifest-sha256.txt",
        data,
        Algorithm::Sha256,
        Role::Payload,
    );
    let _ = manifest_file::parse("tagmanifest-md5.txt", data, Algorithm::Md5, Role::Tag);
    let text = String::from_utf8_lossy(data);
    let _ = tag_file::lines(&text);
    let _ = tag_file::elements(&text);
    let _ = fetch_file::review(&text);
});

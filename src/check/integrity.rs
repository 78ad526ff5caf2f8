//! Integrity rules: the file's bytes against the manifest's hash (H001) and unreadable images (X001).

use crate::check::{Joined, Sink};
use crate::rules::Code;

/// H001 when `sha256` differs; X001 when the file is not a readable image.
pub(super) fn check_item(j: &Joined<'_>, sink: &mut Sink) {
    let Some(rec) = j.record else {
        return;
    };
    if let Some(err) = &rec.error {
        sink.add(sink.build(Code::X001, &rec.path, err.to_string()));
    }
    if let (Some(expected), Some(actual)) = (j.item.sha256.as_deref(), rec.sha256.as_deref())
        && !expected.eq_ignore_ascii_case(actual)
    {
        sink.add(
            sink.build(
                Code::H001,
                &rec.path,
                "file bytes differ from the manifest's sha256",
            )
            .field("sha256")
            .expected(expected)
            .actual(actual),
        );
    }
}

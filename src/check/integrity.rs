//! Integrity rules beyond fixity: a file whose bytes were read but that is not a readable image (X001).

use crate::check::{Joined, Sink};
use crate::rules::Code;

/// X001 when the file's bytes were read (so the classifier judged its
/// hashes) but its structure is not a readable image. A file that could not
/// be read at all already has its X001 from the classifier.
pub(super) fn check_item(j: &Joined<'_>, sink: &mut Sink) {
    let Some(rec) = j.record else {
        return;
    };
    if let (Some(err), Some(_)) = (&rec.error, &rec.sha256) {
        sink.add(sink.build(Code::X001, &rec.path, err.to_string()));
    }
}

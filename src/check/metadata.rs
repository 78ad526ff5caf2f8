//! Embedded-metadata rules: sources that disagree (X002) and blocks read only in part (X003).

use crate::check::{Joined, Sink};
use crate::rules::Code;

/// X002 for every conflicting field; X003 for every damaged block.
pub(super) fn check_item(j: &Joined<'_>, sink: &mut Sink) {
    let Some(rec) = j.record else {
        return;
    };
    for c in &rec.conflicts {
        let values: Vec<String> = c
            .values
            .iter()
            .map(|(source, v)| format!("{source}: \"{v}\""))
            .collect();
        sink.add(
            sink.build(
                Code::X002,
                &rec.path,
                format!(
                    "embedded {} disagrees between sources: {}",
                    c.field,
                    values.join(", ")
                ),
            )
            .field(c.field),
        );
    }
    for w in &rec.warnings {
        sink.add(sink.build(
            Code::X003,
            &rec.path,
            format!("metadata read only in part: {w}"),
        ));
    }
}

//! Required fields (F001): the manifest fields a policy requires, other than caption (C001) and credit (R001).

use crate::check::{Joined, Sink};
use crate::rules::Code;

/// F001 for each field the policy requires that the item lacks or leaves blank.
pub(super) fn check_item(j: &Joined<'_>, sink: &mut Sink) {
    for field in sink.policy.missing_fields(j.item) {
        sink.add(
            sink.build(
                Code::F001,
                &j.item.path,
                format!("required field `{}` is missing or blank", field.name()),
            )
            .field(field.name()),
        );
    }
}

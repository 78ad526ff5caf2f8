//! File-level verdicts in `check`: the classifier's findings under the policy's `ignore` and `unlisted`, and each item joined with its file.

use crate::check::{Context, Joined, Sink};
use crate::finding::Finding;
use crate::fixity::{Audit, Category};
use crate::policy::{Level, Policy};
use crate::rules::Code;

/// Each item the rules should read (with its index and its file's), once, with the file that stands for it:
/// its own path, or where it moved (M006). Unsafe and repeated entries are
/// left out (they were reported as such and never opened, docs/design.md
/// §3), and so are items the policy's `ignore` names.
pub(super) fn joined<'a>(
    ctx: &Context<'a>,
    audit: &Audit,
    policy: &Policy,
) -> Vec<(usize, Option<usize>, Joined<'a>)> {
    let mut out: Vec<(usize, Option<usize>, Joined<'a>)> = audit
        .files
        .iter()
        .filter(|f| !matches!(f.category, Category::DuplicateEntry | Category::UnsafePath))
        .filter_map(|f| {
            let i = f.item?;
            let item = ctx.manifest.items.get(i)?;
            if policy.is_ignored(&item.path) {
                return None;
            }
            let record = f.record.and_then(|r| ctx.scanned.get(r));
            Some((i, f.record, Joined { item, record }))
        })
        .collect();
    // Manifest order: C003 reports the later of two equal captions.
    out.sort_unstable_by_key(|(i, _, _)| *i);
    out
}

/// Adds the classifier's findings: those on ignored paths dropped, M002 at
/// the level the policy's `unlisted` asks for.
pub(super) fn keep_fixity(findings: Vec<Finding>, sink: &mut Sink) {
    let policy = sink.policy;
    for mut f in findings {
        // A move is about two paths: ignoring either hides it.
        let ignored = policy.is_ignored(&f.path)
            || (f.code == Code::M006
                && f.expected.as_deref().is_some_and(|p| policy.is_ignored(p)));
        if ignored {
            continue;
        }
        if f.code == Code::M002 {
            // The policy's `unlisted` says how much an unlisted file matters.
            match policy.unlisted() {
                Some(Level::Off) => continue,
                Some(Level::Report(sev)) => f.severity = sev,
                None => {}
            }
        }
        sink.findings.push(f);
    }
}

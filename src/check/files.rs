//! File-level rules: unsafe paths (M004), duplicate entries (M003), missing (M001) and unlisted (M002) files.

use std::borrow::Cow;

use foldhash::{HashMap, HashMapExt, HashSet};

use crate::check::{Context, Joined, Sink};
use crate::manifest::{self, Item, path_key_cow};
use crate::policy::Level;
use crate::rules::Code;

/// Reports unsafe and duplicate paths and returns the items that are safe
/// to look up on disk, first occurrence only. An unsafe path is never
/// opened (DESIGN.md §3).
pub(super) fn check_paths<'a>(ctx: &Context<'a>, sink: &mut Sink) -> Vec<&'a Item> {
    let mut seen: HashMap<Cow<'_, str>, &str> = HashMap::new();
    let mut safe = Vec::new();
    // Syntax first, so a hostile path never reaches the file system; then
    // symlinks on the way (DESIGN.md §3). One `lstat` per item: on every core.
    let resolver = manifest::Resolver::new(&ctx.root);
    let plain = crate::scan::plain_paths(ctx.scanned);
    let policy = sink.policy;
    let mut unsafe_paths = resolver.unsafe_among(
        &ctx.manifest.items,
        |item| (!policy.is_ignored(&item.path)).then_some(item.path.as_str()),
        &plain,
    );
    drop(plain);
    for (i, item) in ctx.manifest.items.iter().enumerate() {
        if sink.policy.is_ignored(&item.path) {
            continue; // the policy's `ignore`: not checked at all
        }
        if let Some(why) = unsafe_paths.remove(&i) {
            sink.add(
                sink.build(
                    Code::M004,
                    &item.path,
                    format!("unsafe path, not opened: {why}"),
                )
                .field("path"),
            );
            continue;
        }
        let key = path_key_cow(&item.path);
        if let Some(first) = seen.get(&key) {
            let msg = if *first == item.path {
                "listed more than once in this manifest".to_owned()
            } else {
                format!(
                    "listed more than once in this manifest (first as `{first}`, the same name after NFC)"
                )
            };
            sink.add(sink.build(Code::M003, &item.path, msg).field("path"));
            continue;
        }
        seen.insert(key, &item.path);
        safe.push(item);
    }
    safe
}

/// M001 for listed files not on disk; M002 for images on disk not listed.
pub(super) fn check_presence(ctx: &Context<'_>, joined: &[Joined<'_>], sink: &mut Sink) {
    for j in joined {
        if j.record.is_none() {
            let msg = if j.item.missing {
                "not on disk (the manifest already marks it missing)"
            } else {
                "listed in the manifest but not on disk"
            };
            sink.add(sink.build(Code::M001, &j.item.path, msg));
        }
    }
    let listed: HashSet<Cow<'_, str>> = ctx
        .manifest
        .items
        .iter()
        .map(|i| path_key_cow(&i.path))
        .collect();
    for s in ctx.scanned {
        if s.is_image()
            && !listed.contains(&path_key_cow(&s.path))
            && !sink.policy.is_ignored(&s.path)
        {
            let b = sink.build(Code::M002, &s.path, "image on disk but not in the manifest");
            // The policy's `unlisted` says how much an unlisted file matters.
            match sink.policy.unlisted() {
                Some(Level::Off) => {}
                Some(Level::Report(sev)) => sink.add(b.severity(sev)),
                None => sink.add(b),
            }
        }
    }
}

//! Compares a manifest with the scanned folder and applies the caption, credit and integrity rules; findings are data.

mod caption;
mod credit;
mod fields;
mod files;
mod integrity;
mod metadata;

use std::borrow::Cow;
use std::path::PathBuf;

use foldhash::{HashMap, HashMapExt};

use rayon::prelude::*;

use crate::finding::{Finding, FindingBuilder};
use crate::fixity::{self, Audit, FileState};
use crate::manifest::{Item, Manifest, path_key_cow};
use crate::policy::Policy;
use crate::rules::Code;
use crate::scan::Scanned;

/// Everything the rules look at for one manifest.
pub struct Context<'a> {
    /// The manifest.
    pub manifest: &'a Manifest,
    /// How the manifest is named in findings (its path as given).
    pub manifest_name: String,
    /// The media root the manifest's paths resolve against.
    pub root: PathBuf,
    /// Every file under the root, scanned, sorted by path.
    pub scanned: &'a [Scanned],
}

/// One manifest item joined with its file on disk.
pub(crate) struct Joined<'a> {
    pub item: &'a Item,
    pub record: Option<&'a Scanned>,
}

/// Collects findings for one manifest, under its policy.
pub(crate) struct Sink<'p> {
    manifest: String,
    pub(crate) findings: Vec<Finding>,
    /// The house style the rules follow.
    pub(crate) policy: &'p Policy,
}

impl Sink<'_> {
    pub(crate) fn add(&mut self, b: FindingBuilder) {
        self.findings.push(b.done());
    }

    pub(crate) fn build(
        &self,
        code: Code,
        path: &str,
        message: impl Into<String>,
    ) -> FindingBuilder {
        FindingBuilder::new(Finding::new(code, &self.manifest, path, message))
    }
}

/// Runs every rule for one manifest. Findings come back sorted by path,
/// then code, so output diffs cleanly.
pub fn check(ctx: &Context<'_>) -> Vec<Finding> {
    check_with_policy(ctx, &Policy::default())
}

/// [`check`] under a house-style policy (docs/design.md §6): the rules read it,
/// then its `severity` overrides are applied as a final pass.
pub fn check_with_policy(ctx: &Context<'_>, policy: &Policy) -> Vec<Finding> {
    run(ctx, policy).findings
}

/// What `check` found for one manifest.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Checked {
    /// Every listed item's and every image's one verdict, as `verify` gives
    /// it (paths the policy ignores left out).
    pub files: Vec<FileState>,
    /// The findings, sorted by path, then code.
    pub findings: Vec<Finding>,
}

/// Every rule for one manifest under `policy`, with the file verdicts.
pub fn run(ctx: &Context<'_>, policy: &Policy) -> Checked {
    let mut sink = Sink {
        manifest: ctx.manifest_name.clone(),
        findings: Vec::new(),
        policy,
    };
    // Presence and hashes are decided by the one classifier `verify` uses
    // (docs/design.md §5), so a file gets one verdict in every command: a
    // metadata-only edit is H002 here too, a move is M006, an acknowledged
    // loss M001 at info.
    //
    // The classifier's pass is serial; the per-item rules need only each
    // item and the file at its path. So both start at once, the rules on
    // every core the classifier leaves free, and are reconciled after: an
    // item the classifier calls unsafe, repeated or ignored keeps none of
    // its findings, and one it joins to another file (a move) is read
    // again with that file (docs/performance.md, "One verdict per file").
    let (audit, mut early) = rayon::join(
        || fixity::classify(ctx.manifest, &ctx.manifest_name, &ctx.root, ctx.scanned),
        || {
            // Each item's file by its NFC key, first of a name wins (as the
            // classifier's own join).
            let mut at_path: HashMap<Cow<'_, str>, usize> =
                HashMap::with_capacity(ctx.scanned.len());
            for (r, s) in ctx.scanned.iter().enumerate() {
                at_path.entry(path_key_cow(&s.path)).or_insert(r);
            }
            ctx.manifest
                .items
                .par_iter()
                .with_min_len(64)
                .map(|item| {
                    if policy.is_ignored(&item.path) {
                        return (None, Vec::new());
                    }
                    let r = at_path.get(&path_key_cow(&item.path)).copied();
                    let record = r.and_then(|r| ctx.scanned.get(r));
                    (
                        r,
                        item_rules(&Joined { item, record }, &sink.manifest, policy),
                    )
                })
                .collect::<Vec<(Option<usize>, Vec<Finding>)>>()
        },
    );
    let joined = files::joined(ctx, &audit, policy);
    let Audit {
        files: mut verdicts,
        findings: fixity_findings,
    } = audit;
    verdicts.retain(|f| !policy.is_ignored(&f.path));
    files::keep_fixity(fixity_findings, &mut sink);
    for (i, r, j) in &joined {
        match early.get_mut(*i) {
            Some((read_with, found)) if read_with == r => sink.findings.append(found),
            _ => sink.findings.extend(item_rules(j, &sink.manifest, policy)),
        }
    }
    let joined: Vec<Joined<'_>> = joined.into_iter().map(|(_, _, j)| j).collect();

    caption::check_duplicates(&joined, &mut sink);

    let mut findings = policy.apply_severity(sink.findings);
    findings.sort_by(|a, b| {
        (&a.manifest, &a.path, a.code, a.field).cmp(&(&b.manifest, &b.path, b.code, b.field))
    });
    Checked {
        files: verdicts,
        findings,
    }
}

/// The rules that read one item and its file.
fn item_rules(j: &Joined<'_>, manifest: &str, policy: &Policy) -> Vec<Finding> {
    let mut own = Sink {
        manifest: manifest.to_owned(),
        findings: Vec::new(),
        policy,
    };
    integrity::check_item(j, &mut own);
    metadata::check_item(j, &mut own);
    caption::check_item(j, &mut own);
    credit::check_item(j, &mut own);
    fields::check_item(j, &mut own);
    own.findings
}

/// The text to check for a field: the manifest's value when it has one,
/// else the one embedded in the file (what would be published).
pub(crate) fn text_or_embedded<'a>(
    manifest: Option<&'a str>,
    embedded: Option<&'a str>,
) -> Option<&'a str> {
    match manifest {
        Some(m) => Some(m),
        None => embedded,
    }
}

//! `cutline import`: merges a spreadsheet, a story or ExifTool's JSON into a manifest, printing a diff per item; written atomically, or not at all with `--dry-run`.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::commands::check::root_of;
use crate::commands::init::relative_root;
use crate::commands::{Outcome, manifest_dir, stdout_error};
use crate::error::Error;
use crate::exchange::merge::{self, Mode, Notice, Plan};
use crate::exchange::{ExchangeError, csv_import, exiftool_csv, exiftool_json, read_text, story};
use crate::manifest::{self, Manifest};
use crate::sanitize::for_terminal;

/// What is imported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// `--csv FILE`: a spreadsheet, matched to existing items by path.
    Csv(PathBuf),
    /// `--story FILE`: an HTML or Markdown story; its figures become items.
    Story(PathBuf),
    /// `--exiftool-json FILE`: `exiftool -j -G1` output; fills fields the
    /// items lack and adds items for files the manifest does not list.
    ExifToolJson(PathBuf),
}

/// Options of `cutline import`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// What to import.
    pub source: Source,
    /// The manifest to change (a story or ExifTool JSON creates it).
    pub manifest: PathBuf,
    /// The media root: overrides the manifest's `root`; for a new manifest,
    /// the folder its `root` names.
    pub root: Option<PathBuf>,
    /// Print the diff; write nothing.
    pub dry_run: bool,
}

/// Imports, prints the diff and the notices, and writes the manifest.
/// Exits 1 when part of the input was not used (unknown paths or columns,
/// disagreeing columns, skipped images).
pub fn run(o: &Options, out: &mut dyn Write) -> Result<Outcome, Error> {
    let existing = o.manifest.exists();
    let plan = match &o.source {
        Source::Csv(file) => import_csv(o, file)?,
        Source::Story(file) => import_story(o, file, existing)?,
        Source::ExifToolJson(file) => import_exiftool_json(o, file, existing)?,
    };
    let say = |out: &mut dyn Write, line: String| writeln!(out, "{line}").map_err(stdout_error);
    for c in &plan.changes {
        for line in c.lines() {
            say(out, line)?;
        }
    }
    for n in &plan.notices {
        let level = if n.is_problem() { "warning" } else { "note" };
        say(out, format!("{level}: {n}"))?;
    }
    let added = plan.changes.iter().filter(|c| c.added).count();
    let changed = plan.changes.len() - added;
    let counts = format!(
        "{changed} item{} changed, {added} added",
        if changed == 1 { "" } else { "s" }
    );
    let name = for_terminal(&o.manifest.display().to_string());
    if o.dry_run {
        say(out, format!("dry run: {counts}; {name} not written"))?;
    } else if plan.changes.is_empty() {
        say(out, format!("{name}: nothing to change; not written"))?;
    } else {
        manifest::save_atomic(&plan.manifest, &o.manifest)?;
        let verb = if existing { "wrote" } else { "created" };
        say(out, format!("{verb} {name} ({counts})"))?;
    }
    Ok(if plan.notices.iter().any(Notice::is_problem) {
        Outcome::Findings
    } else {
        Outcome::Clean
    })
}

fn import_csv(o: &Options, file: &Path) -> Result<Plan, Error> {
    let m = manifest::load(&o.manifest)?;
    let text = read_text(file)?;
    // The prefix `export --exiftool` gave SourceFile, when it can be known.
    let root = root_of(&o.manifest, &m, o.root.as_deref());
    let prefix = std::env::current_dir()
        .ok()
        .and_then(|cwd| exiftool_csv::source_prefix(&root, &cwd).ok());
    let sheet = csv_import::read(&text, file, &m, prefix.as_deref())?;
    let mut plan = merge::apply(&m, sheet.rows, Mode::Replace, false);
    let mut notices = sheet.notices;
    notices.append(&mut plan.notices);
    plan.notices = notices;
    Ok(plan)
}

fn import_story(o: &Options, file: &Path, existing: bool) -> Result<Plan, Error> {
    let text = read_text(file)?;
    let m = if existing {
        manifest::load(&o.manifest)?
    } else {
        // The story's image paths resolve against its own folder.
        let story_dir = manifest_dir(file);
        let root = o.root.clone().unwrap_or(story_dir);
        new_manifest(&o.manifest, &root)?
    };
    let figures = story::figures(story::Kind::of(file, &text), &text);
    let (records, mut notices) = story::records(&figures);
    let mut plan = merge::apply(&m, records, Mode::Replace, true);
    notices.append(&mut plan.notices);
    plan.notices = notices;
    Ok(plan)
}

fn import_exiftool_json(o: &Options, file: &Path, existing: bool) -> Result<Plan, Error> {
    let text = read_text(file)?;
    let recs = exiftool_json::parse(&text, file)?;
    let loaded = if existing {
        Some(manifest::load(&o.manifest)?)
    } else {
        None
    };
    // SourceFile is relative to where exiftool ran, taken to be here: an
    // existing manifest's root is spelled as `export --exiftool` spells it.
    let manifest_root = loaded.as_ref().and_then(|m| {
        let root = root_of(&o.manifest, m, None);
        let cwd = std::env::current_dir().ok()?;
        exiftool_csv::source_prefix(&root, &cwd).ok()
    });
    let base = match (&o.root, manifest_root) {
        (Some(r), _) => folder_prefix(&r.to_string_lossy()),
        (None, Some(prefix)) => folder_prefix(&prefix),
        (None, None) => exiftool_json::common_folder(&recs),
    };
    let m = if let Some(m) = loaded {
        m
    } else {
        let folder = if base.is_empty() { "." } else { base.as_str() };
        let folder = Path::new(folder);
        if folder.is_dir() {
            new_manifest(&o.manifest, folder)?
        } else {
            // The files live elsewhere: keep the root as ExifTool named it.
            let mut m = Manifest::new();
            m.root = Some(base.trim_end_matches('/').to_owned());
            m
        }
    };
    let (records, mut notices) = exiftool_json::records(&recs, &base);
    let mut plan = merge::apply(&m, records, Mode::FillGaps, true);
    notices.append(&mut plan.notices);
    plan.notices = notices;
    Ok(plan)
}

/// A folder as a `SourceFile` prefix: `/`-separated, ending in `/`, empty for `.`.
fn folder_prefix(folder: &str) -> String {
    let f = folder.replace('\\', "/");
    match f.trim_end_matches('/') {
        "" if f.starts_with('/') => "/".to_owned(),
        "" | "." => String::new(),
        t => format!("{}/", t.trim_start_matches("./")),
    }
}

/// An empty manifest whose `root` names `root`, relative to the manifest's folder.
fn new_manifest(manifest: &Path, root: &Path) -> Result<Manifest, Error> {
    let dir = manifest_dir(manifest);
    let mut m = Manifest::new();
    let rel = relative_root(&dir, root).map_err(|e| match e {
        Error::Root { path, source } => Error::Exchange(ExchangeError::Folder { path, source }),
        other => other,
    })?;
    m.root = Some(rel);
    Ok(m)
}

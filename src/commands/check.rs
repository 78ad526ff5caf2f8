//! `cutline check`: each manifest against its folder, every rule, one report, an exit code.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Component, Path, PathBuf};

use crate::cache::{self, Cache};
use crate::check::{Context, check_with_policy};
use crate::commands::{Outcome, manifest_dir, report_skipped, stdout_error};
use crate::error::Error;
use crate::manifest::{self, Manifest};
use crate::policy::Policy;
use crate::progress::Progress;
use crate::report::{CheckFormat, CheckRun, ColorChoice, ManifestRun, check_reporter};
use crate::rules::Severity;
use crate::scan::{Hooks, Recorded, ScanOptions, Scanned, scan_all_with};
use crate::walk::walk;

/// Where `check` looks for manifests when none is named.
pub const DEFAULT_MANIFEST_DIR: &str = "manifests";

/// Options of `cutline check`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// Manifests to check; empty means every `*.json` in `./manifests/`.
    pub manifests: Vec<PathBuf>,
    /// A media root that overrides each manifest's `root`.
    pub root: Option<PathBuf>,
    /// The report format.
    pub format: CheckFormat,
    /// Findings at or above this severity fail the run.
    pub fail_on: Severity,
    /// `--policy FILE`, merged over each manifest's own `policy`.
    pub policy: Option<PathBuf>,
    /// `--color`, for the human report.
    pub color: ColorChoice,
    /// `--full`: ignore the hash cache and hash every byte.
    pub full: bool,
}

/// Checks every manifest and prints the report.
pub fn run(o: &Options, out: &mut dyn Write) -> Result<Outcome, Error> {
    // Every manifest is read before any work: a bad one stops the run
    // (exit 2) before anything is printed or written.
    let loaded = load_manifests(&o.manifests)?;
    // Policies too: a bad one stops the run before any report.
    let file_policy = o.policy.as_deref().map(Policy::from_file).transpose()?;
    let policies: Vec<Policy> = loaded
        .iter()
        .map(|(p, m)| {
            Policy::for_manifest(
                m.policy.as_ref(),
                &p.display().to_string(),
                file_policy.as_ref(),
            )
        })
        .collect::<Result<_, _>>()?;

    let mut cache = if o.full { None } else { open_cache() };
    let recorded = Recorded::of(loaded.iter().map(|(_, m)| m));
    let mut scans: HashMap<PathBuf, Vec<Scanned>> = HashMap::new();
    // A folder the walk could not read may hide files the manifest lists or
    // lacks; until the checks report it as a finding it is named on stderr
    // and fails the run (exit 1), so that a check never passes on a partial read.
    let mut holes = false;
    let mut run = CheckRun {
        manifests: Vec::new(),
        findings: Vec::new(),
        fail_on: o.fail_on,
    };
    for ((path, m), policy) in loaded.iter().zip(&policies) {
        let root = root_of(path, m, o.root.as_deref());
        let key = root.canonicalize().unwrap_or_else(|_| root.clone());
        if !scans.contains_key(&key) {
            let w = walk(&root)?;
            holes |= report_skipped(&w.skipped);
            let progress = Progress::new(w.entries.len() as u64);
            let hooks = Hooks {
                cache: cache.as_ref().map(|c| (c, key.as_path())),
                progress: Some(&progress),
                recorded: Some(&recorded),
            };
            let scanned = scan_all_with(&w.entries, ScanOptions::CHECK, hooks);
            progress.finish();
            scans.insert(key.clone(), scanned);
        }
        let scanned = scans.get(&key).map_or(&[][..], Vec::as_slice);
        let name = path.display().to_string();
        let ctx = Context {
            manifest: m,
            manifest_name: name.clone(),
            root: root.clone(),
            scanned,
        };
        run.findings.extend(check_with_policy(&ctx, policy));
        let paths: Vec<String> = m
            .items
            .iter()
            .map(|i| i.path.clone())
            .filter(|p| !policy.is_ignored(p))
            .collect();
        run.manifests.push(ManifestRun {
            manifest: name,
            root: tidy(&root),
            items: paths.len(),
            files: scanned
                .iter()
                .filter(|s| s.is_image() && !policy.is_ignored(&s.path))
                .count(),
            paths,
        });
    }
    if let Some(c) = cache.as_mut()
        && let Err(e) = c.flush()
    {
        eprintln!("cutline: warning: hash cache not updated: {e}");
    }
    check_reporter(o.format, o.color.enabled())
        .report(&run, out)
        .map_err(stdout_error)?;
    Ok(if run.failed() || holes {
        Outcome::Findings
    } else {
        Outcome::Clean
    })
}

/// The hash cache for this run; a cache that cannot be used is a warning on
/// stderr and a run that hashes every byte, never an error.
fn open_cache() -> Option<Cache> {
    match cache::open_default() {
        Ok(Some(c)) => {
            if let Some(why) = &c.rebuilt {
                eprintln!(
                    "cutline: warning: hash cache {} was unreadable and is rebuilt ({why})",
                    c.path().display()
                );
            }
            Some(c)
        }
        Ok(None) => None,
        Err(e) => {
            eprintln!("cutline: warning: no hash cache: {e}");
            None
        }
    }
}

/// The media root of a manifest: `--root`, else its `root` key relative to
/// the manifest's folder, else that folder.
pub fn root_of(manifest_path: &Path, m: &Manifest, cli_root: Option<&Path>) -> PathBuf {
    if let Some(r) = cli_root {
        return r.to_path_buf();
    }
    let dir = manifest_dir(manifest_path);
    match m.root.as_deref() {
        Some(r) => dir.join(r),
        None => dir,
    }
}

/// `root` for display: `manifests/../media` shown as `media`. Lexical
/// only (display never decides what is opened).
pub(crate) fn tidy(root: &Path) -> String {
    let mut parts: Vec<Component<'_>> = Vec::new();
    for c in root.components() {
        match (c, parts.last()) {
            (Component::CurDir, _) if !parts.is_empty() => {}
            (Component::ParentDir, Some(Component::Normal(_))) => {
                parts.pop();
            }
            _ => parts.push(c),
        }
    }
    let tidied: PathBuf = parts.iter().collect();
    if tidied.as_os_str().is_empty() {
        ".".to_owned()
    } else {
        tidied.display().to_string()
    }
}

/// The manifests named on the command line, or every `manifests/*.json`
/// when none is, each loaded; the first that cannot be read is the error.
pub(crate) fn load_manifests(named: &[PathBuf]) -> Result<Vec<(PathBuf, Manifest)>, Error> {
    load_manifests_with(named, manifest::load)
}

/// [`load_manifests`], each read by `load`.
pub(crate) fn load_manifests_with(
    named: &[PathBuf],
    load: fn(&Path) -> Result<Manifest, manifest::ManifestError>,
) -> Result<Vec<(PathBuf, Manifest)>, Error> {
    let paths = if named.is_empty() {
        find_manifests(Path::new(DEFAULT_MANIFEST_DIR))?
    } else {
        named.to_vec()
    };
    paths
        .into_iter()
        .map(|p| load(&p).map(|m| (p, m)).map_err(Error::from))
        .collect()
}

/// Every `*.json` directly in `dir`, sorted.
pub(crate) fn find_manifests(dir: &Path) -> Result<Vec<PathBuf>, Error> {
    let entries = std::fs::read_dir(dir).map_err(|_| Error::NoManifest {
        dir: dir.to_path_buf(),
    })?;
    let mut found: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|e| e == "json"))
        .collect();
    found.sort();
    if found.is_empty() {
        return Err(Error::NoManifest {
            dir: dir.to_path_buf(),
        });
    }
    Ok(found)
}

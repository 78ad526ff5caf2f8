//! `cutline check`: each manifest against its folder, every rule, one report, an exit code.

use std::io::Write;
use std::path::{Component, Path, PathBuf};

use crate::check::{self, Context};
use crate::commands::scans::{Scans, open_cache};
use crate::commands::{Outcome, free_later, manifest_dir, print_run};
use crate::error::Error;
use crate::finding::Finding;
use crate::manifest::{self, Manifest};
use crate::policy::Policy;
use crate::report::{ColorChoice, Format, ManifestRun, Run};
use crate::rules::{Command, Severity};
use crate::scan::{ScanOptions, Scanned};

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
    pub format: Format,
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
    let setup = Setup {
        command: Command::Check,
        manifests: &o.manifests,
        root: o.root.as_deref(),
        policy: o.policy.as_deref(),
        full: o.full,
        fail_on: o.fail_on,
    };
    let run = check_all(&setup, |_| {})?;
    let outcome = print_run(&run, o.format, o.color.enabled(), out);
    free_later(run);
    outcome
}

/// What a run of the checks needs: `check` and `report` fill it from their
/// options, so the contact sheet shows exactly what `check` reports.
pub(crate) struct Setup<'a> {
    /// `check` or `report`.
    pub command: Command,
    /// Manifests named; empty means every `manifests/*.json`.
    pub manifests: &'a [PathBuf],
    /// `--root`.
    pub root: Option<&'a Path>,
    /// `--policy FILE`.
    pub policy: Option<&'a Path>,
    /// `--full`: no hash cache.
    pub full: bool,
    /// `--fail-on`.
    pub fail_on: Severity,
}

/// One manifest as checked, handed to the caller of [`check_all`].
pub(crate) struct Section<'a> {
    /// The manifest as named.
    pub name: &'a str,
    /// The manifest.
    pub manifest: &'a Manifest,
    /// Its media root.
    pub root: &'a Path,
    /// Its policy.
    pub policy: &'a Policy,
    /// Every file under the root, read.
    pub scanned: &'a [Scanned],
    /// Its findings, as the report has them.
    pub findings: &'a [Finding],
}

/// Loads every manifest and policy, reads each media root once (through the
/// hash cache unless `full`), runs every rule and hands each manifest's
/// result to `each`; returns the run every report format prints.
pub(crate) fn check_all(s: &Setup<'_>, mut each: impl FnMut(Section<'_>)) -> Result<Run, Error> {
    // Every manifest is read before any work: a bad one stops the run
    // (exit 2) before anything is printed or written.
    let loaded = load_manifests(s.manifests)?;
    // Policies too: a bad one stops the run before any report.
    let file_policy = s.policy.map(Policy::from_file).transpose()?;
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

    let cache = if s.full { None } else { open_cache() };
    let mut scans = Scans::new(ScanOptions::CHECK, loaded.iter().map(|(_, m)| m), cache);
    let mut run = Run::new(s.command, s.fail_on);
    for ((path, m), policy) in loaded.iter().zip(&policies) {
        let root = root_of(path, m, s.root);
        scans.read(&root)?;
        let name = path.display().to_string();
        let mut findings = scans.unreadable(&root, &name);
        let scanned = scans.get(&root)?;
        let ctx = Context {
            manifest: m,
            manifest_name: name.clone(),
            root: root.clone(),
            scanned,
        };
        let checked = check::run(&ctx, policy);
        findings.extend(checked.findings);
        each(Section {
            name: &name,
            manifest: m,
            root: &root,
            policy,
            scanned,
            findings: &findings,
        });
        let paths: Vec<String> = m
            .items
            .iter()
            .map(|i| i.path.clone())
            .filter(|p| !policy.is_ignored(p))
            .collect();
        run.manifests.push(ManifestRun {
            manifest: name.clone(),
            root: tidy(&root),
            items: paths.len(),
            files: scanned
                .iter()
                .filter(|s| s.is_image() && !policy.is_ignored(&s.path))
                .count(),
            paths,
            note: None,
            verdicts: checked.files,
        });
        run.findings.extend(findings);
    }
    scans.finish();
    free_later((loaded, policies));
    Ok(run)
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

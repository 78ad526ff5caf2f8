//! The progress bar of long reads: files, bytes, files/s, MB/s and ETA on stderr, only for a person at a terminal.
//!
//! Shown only when stderr is a terminal, `--quiet` was not given and `CI` is
//! not set, and only once a run has lasted [`SHOW_AFTER`]: a short run never
//! flickers a bar. Never written to stdout, which carries the report.

use std::io::IsTerminal;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressState, ProgressStyle};

/// A run shorter than this shows no bar.
pub const SHOW_AFTER: Duration = Duration::from_secs(1);

/// Set by `--quiet`: no bar whatever the terminal.
static QUIET: AtomicBool = AtomicBool::new(false);

/// Records `--quiet` for the whole process (set once by the binary).
pub fn set_quiet(quiet: bool) {
    QUIET.store(quiet, Ordering::Relaxed);
}

/// True when a bar may be drawn: stderr is a terminal, no `--quiet`, no `CI`.
pub fn wanted() -> bool {
    wanted_where(
        std::env::var_os("CI").is_some(),
        std::io::stderr().is_terminal(),
    )
}

/// [`wanted`] with what it reads from the process passed in, so a test can
/// put a terminal and no `CI` around the `--quiet` flag.
fn wanted_where(ci: bool, stderr_is_terminal: bool) -> bool {
    !QUIET.load(Ordering::Relaxed) && !ci && stderr_is_terminal
}

/// The bar of one read of `total` files; hidden until [`SHOW_AFTER`].
#[derive(Debug)]
pub struct Progress {
    bar: ProgressBar,
    bytes: Arc<AtomicU64>,
    started: Instant,
    shown: AtomicBool,
    enabled: bool,
}

impl Progress {
    /// A bar for `total` files, drawn only if [`wanted`].
    pub fn new(total: u64) -> Progress {
        Self::with(total, wanted())
    }

    /// A bar that never draws (tests, `--quiet`).
    pub fn hidden(total: u64) -> Progress {
        Self::with(total, false)
    }

    fn with(total: u64, enabled: bool) -> Progress {
        let bytes = Arc::new(AtomicU64::new(0));
        let b1 = Arc::clone(&bytes);
        let b2 = Arc::clone(&bytes);
        let style = ProgressStyle::with_template(
            "{bar:30} {pos}/{len} files {done_bytes} {per_sec:.0} {mbps} ETA {eta}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .with_key(
            "done_bytes",
            move |_: &ProgressState, w: &mut dyn std::fmt::Write| {
                let n = b1.load(Ordering::Relaxed);
                let _ = write!(w, "{}", indicatif::HumanBytes(n));
            },
        )
        .with_key(
            "mbps",
            move |s: &ProgressState, w: &mut dyn std::fmt::Write| {
                let secs = s.elapsed().as_secs_f64();
                let n = b2.load(Ordering::Relaxed) as f64;
                let rate = if secs > 0.0 { n / secs / 1e6 } else { 0.0 };
                let _ = write!(w, "{rate:.0} MB/s");
            },
        );
        let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::hidden());
        bar.set_style(style);
        Progress {
            bar,
            bytes,
            started: Instant::now(),
            shown: AtomicBool::new(false),
            enabled,
        }
    }

    /// One file of `size` bytes done.
    pub fn file_done(&self, size: u64) {
        self.bytes.fetch_add(size, Ordering::Relaxed);
        self.bar.inc(1);
        if self.enabled
            && !self.shown.load(Ordering::Relaxed)
            && self.started.elapsed() >= SHOW_AFTER
            && !self.shown.swap(true, Ordering::Relaxed)
        {
            self.bar.set_draw_target(ProgressDrawTarget::stderr());
        }
    }

    /// Bytes counted so far.
    pub fn bytes(&self) -> u64 {
        self.bytes.load(Ordering::Relaxed)
    }

    /// Files counted so far.
    pub fn files(&self) -> u64 {
        self.bar.position()
    }

    /// Removes the bar from the terminal.
    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.bar.finish_and_clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hidden_bar_counts_but_never_shows() {
        let p = Progress::hidden(3);
        p.file_done(10);
        p.file_done(5);
        assert_eq!(p.files(), 2);
        assert_eq!(p.bytes(), 15);
        assert!(!p.shown.load(Ordering::Relaxed));
    }

    // The only test that sets QUIET (the others use `Progress::hidden`), so
    // parallel tests do not race on it. Under `cargo test` stderr is no
    // terminal and CI may be set, so `wanted()` is false whatever QUIET is:
    // the terminal and CI are passed in instead.
    #[test]
    fn quiet_disables() {
        set_quiet(false);
        assert!(
            wanted_where(false, true),
            "a terminal, no CI, no --quiet: a bar"
        );
        set_quiet(true);
        let quiet = wanted_where(false, true);
        set_quiet(false);
        assert!(!quiet, "--quiet at a terminal without CI: no bar");
        assert!(!wanted_where(true, true), "CI: no bar");
        assert!(!wanted_where(false, false), "no terminal: no bar");
    }
}

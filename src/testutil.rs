//! Test-only: what a unit test does when this machine lacks a tool, fixture or permission (skip outside CI, fail under CI), and the listing of a test folder.
//!
//! The same rule as `tests/support/mod.rs` (`skip_or_fail`) for the
//! integration tests; unit tests cannot reach that file, so it is kept here
//! once for them.

/// Panics under CI (`CI` set, as `.ci/run` sets it), else prints
/// `SKIPPED <test>: <why>` on stderr and returns so the caller can `return`.
#[track_caller]
pub(crate) fn skip_or_fail(why: &str) {
    skip_or_fail_where(std::env::var_os("CI").is_some(), why);
}

/// The names in `dir`, sorted: what a write left behind (its file, and no
/// temporary one). Test-only.
pub(crate) fn dir_entries(dir: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

#[track_caller]
fn skip_or_fail_where(ci: bool, why: &str) {
    let thread = std::thread::current();
    let test = thread.name().unwrap_or("this test");
    if ci {
        panic!("{test} cannot run: {why}. CI is set, so this fails instead of skipping");
    }
    eprintln!("SKIPPED {test}: {why}");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outside_ci_it_only_says_why() {
        skip_or_fail_where(false, "nothing is missing; this checks the rule");
    }

    #[test]
    #[should_panic(expected = "cannot run: a tool is missing. CI is set")]
    fn under_ci_it_fails() {
        skip_or_fail_where(true, "a tool is missing");
    }
}

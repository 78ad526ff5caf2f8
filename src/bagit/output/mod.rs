//! Reports of a bag validation, one file per format behind [`BagReport`].

pub mod human;
pub mod json;

use std::io::{self, Write};

use super::Validation;
use crate::rules::Severity;

/// Writes a validation in one format.
pub trait BagReport {
    /// Writes `v` to `out`.
    fn write(&self, v: &Validation, out: &mut dyn Write) -> io::Result<()>;
}

/// `[errors, warnings, info]`.
pub fn counts(v: &Validation) -> [usize; 3] {
    let mut n = [0; 3];
    for p in &v.problems {
        match p.severity {
            Severity::Error => n[0] += 1,
            Severity::Warning => n[1] += 1,
            Severity::Info => n[2] += 1,
        }
    }
    n
}

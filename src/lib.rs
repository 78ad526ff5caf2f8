//! cutline keeps image captions and credits honest: it reads the EXIF, IPTC-IIM and XMP of every
//! image under a media root in one pass while hashing it, reconciles them, compares the result with
//! a manifest of captions, credits and hashes, and reports findings with stable codes.
//!
//! The pipeline: [`walk`] → [`format::sniff`] → [`container::read_blocks`] → [`metadata::read`]
//! and [`metadata::reconcile`] (all inside [`scan::scan_file`]) → [`check::check`] →
//! [`report::Report`]. The binary only parses arguments ([`cli`]) and runs [`commands`].

pub mod atomic;
pub mod bagit;
pub mod check;
pub mod checksum;
pub mod civil;
pub mod cli;
pub mod commands;
pub mod container;
pub mod creditline;
pub mod error;
pub mod exchange;
pub mod finding;
pub mod fixity;
pub mod format;
pub mod imagehash;
pub mod manifest;
pub mod metadata;
pub mod policy;
pub mod progress;
pub mod report;
pub mod rules;
pub mod sanitize;
pub mod scan;
pub mod sheet;
pub(crate) mod structure;
pub mod sums;
#[cfg(test)]
mod testutil;
pub mod textnorm;
pub mod walk;

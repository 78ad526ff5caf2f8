//! What bags and checksum files share: the checksum algorithms and hashing files with them, and the untrusted paths they name.
//!
//! Both `bagit` and `sums` list files by path with a checksum; neither
//! reaches into the other (docs/design.md §2).

pub mod digest;
pub mod paths;

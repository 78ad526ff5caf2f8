//! The low-level structure of each container, read one way for the whole crate: TIFF IFDs, ISOBMFF boxes, JPEG segments, PNG and RIFF chunks.
//!
//! [`crate::container`] (which blocks hold metadata) and
//! [`crate::imagehash`] (which bytes ExifTool hashes) both walk files through
//! these readers, so a file's structure is bounded by one set of limits and
//! damaged structure is recognised the same way. The readers only slice the
//! file: they never allocate, never panic, and say what they met (a cut
//! header, a size past the end) without deciding what it means. This module
//! depends on nothing else in the crate.

pub(crate) mod isobmff;
pub(crate) mod jpeg;
pub(crate) mod png;
pub(crate) mod riff;
pub(crate) mod tiff;

/// At most this many TIFF IFDs (pages, SubIFDs, Exif IFDs…) are read in one
/// file. Real files have a handful, multi-page scans a few hundred; a
/// hostile file can link thousands of IFDs to one another. Bounds the work
/// of a walk, not its correctness on real files.
pub(crate) const MAX_IFDS: usize = 1024;

/// IFDs nested deeper than this (IFD0 → SubIFD → … ) are not followed. Real
/// files nest at most three deep (IFD0 → ExifIFD → InteropIFD); ExifTool has
/// no such limit, so it is set well above that. Bounds the recursion of the
/// IFD walks (their stack), which [`MAX_IFDS`] alone would let reach 1024.
pub(crate) const MAX_IFD_DEPTH: u32 = 16;

/// `N` bytes at `at`, or `None` past the end.
pub(crate) fn array<const N: usize>(bytes: &[u8], at: usize) -> Option<[u8; N]> {
    bytes.get(at..at.checked_add(N)?)?.try_into().ok()
}

/// A big-endian `u16` at `at`.
pub(crate) fn be_u16(bytes: &[u8], at: usize) -> Option<u16> {
    array(bytes, at).map(u16::from_be_bytes)
}

/// A big-endian `u32` at `at`.
pub(crate) fn be_u32(bytes: &[u8], at: usize) -> Option<u32> {
    array(bytes, at).map(u32::from_be_bytes)
}

/// A big-endian `u64` at `at`.
pub(crate) fn be_u64(bytes: &[u8], at: usize) -> Option<u64> {
    array(bytes, at).map(u64::from_be_bytes)
}

/// A little-endian `u16` at `at`.
pub(crate) fn le_u16(bytes: &[u8], at: usize) -> Option<u16> {
    array(bytes, at).map(u16::from_le_bytes)
}

/// A little-endian `u32` at `at`.
pub(crate) fn le_u32(bytes: &[u8], at: usize) -> Option<u32> {
    array(bytes, at).map(u32::from_le_bytes)
}

//! Checksum algorithms a bag may name, and hashing files with several of them in one read, in parallel.

use std::fmt;
use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use sha2::digest::DynDigest;

/// A checksum algorithm, named as in a manifest file name
/// (`manifest-sha256.txt`). RFC 8493 §2.4 names `md5`, `sha1`, `sha256` and
/// `sha512`; the other SHA-2 sizes cost nothing to support.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Algorithm {
    /// MD5 (RFC 1321); legacy bags only.
    Md5,
    /// SHA-1; legacy bags only.
    Sha1,
    /// SHA-224.
    Sha224,
    /// SHA-256.
    Sha256,
    /// SHA-384.
    Sha384,
    /// SHA-512, RFC 8493's recommended default.
    Sha512,
}

impl Algorithm {
    /// Every supported algorithm, strongest first (the order a report lists them).
    pub const ALL: [Algorithm; 6] = [
        Algorithm::Sha512,
        Algorithm::Sha384,
        Algorithm::Sha256,
        Algorithm::Sha224,
        Algorithm::Sha1,
        Algorithm::Md5,
    ];

    /// The name in `manifest-NAME.txt`.
    pub fn name(self) -> &'static str {
        match self {
            Algorithm::Md5 => "md5",
            Algorithm::Sha1 => "sha1",
            Algorithm::Sha224 => "sha224",
            Algorithm::Sha256 => "sha256",
            Algorithm::Sha384 => "sha384",
            Algorithm::Sha512 => "sha512",
        }
    }

    /// The algorithm a manifest file name's middle part names. RFC 8493
    /// §2.1.3 spells them in lower case; any other spelling is unknown.
    pub fn from_name(name: &str) -> Option<Algorithm> {
        Algorithm::ALL.into_iter().find(|a| a.name() == name)
    }

    /// Hex digits in one checksum.
    pub fn hex_len(self) -> usize {
        match self {
            Algorithm::Md5 => 32,
            Algorithm::Sha1 => 40,
            Algorithm::Sha224 => 56,
            Algorithm::Sha256 => 64,
            Algorithm::Sha384 => 96,
            Algorithm::Sha512 => 128,
        }
    }

    fn hasher(self) -> Box<dyn DynDigest + Send> {
        match self {
            Algorithm::Md5 => Box::new(md5::Md5::default()),
            Algorithm::Sha1 => Box::new(sha1::Sha1::default()),
            Algorithm::Sha224 => Box::new(sha2::Sha224::default()),
            Algorithm::Sha256 => Box::new(sha2::Sha256::default()),
            Algorithm::Sha384 => Box::new(sha2::Sha384::default()),
            Algorithm::Sha512 => Box::new(sha2::Sha512::default()),
        }
    }
}

impl fmt::Display for Algorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One file's digests, in the order the algorithms were asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Digests {
    /// Bytes read.
    pub size: u64,
    /// Lower-case hex, one per requested algorithm.
    pub hex: Vec<(Algorithm, String)>,
}

impl Digests {
    /// The hex digest of `alg`, if it was computed.
    pub fn get(&self, alg: Algorithm) -> Option<&str> {
        self.hex
            .iter()
            .find(|(a, _)| *a == alg)
            .map(|(_, h)| h.as_str())
    }
}

/// The read buffer: large enough that syscalls do not dominate on big files.
const CHUNK: usize = 1 << 20;

/// Reads `path` once, feeding every byte to each of `algs`.
pub fn hash_file(path: &Path, algs: &[Algorithm]) -> io::Result<Digests> {
    let mut file = File::open(path)?;
    hash_reader(&mut file, algs, |_| Ok(()))
}

/// Reads `r` to its end once, feeding every byte to each of `algs` and to
/// `sink` (a copy being written, for `cutline bag`).
pub fn hash_reader(
    r: &mut dyn Read,
    algs: &[Algorithm],
    mut sink: impl FnMut(&[u8]) -> io::Result<()>,
) -> io::Result<Digests> {
    let mut hashers: Vec<_> = algs.iter().map(|a| (*a, a.hasher())).collect();
    let mut buf = vec![0u8; CHUNK];
    let mut size = 0u64;
    loop {
        let n = match r.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        let chunk = buf.get(..n).unwrap_or_default();
        for (_, h) in &mut hashers {
            h.update(chunk);
        }
        sink(chunk)?;
        size += n as u64;
    }
    let hex = hashers
        .into_iter()
        .map(|(a, h)| (a, lower_hex(&h.finalize())))
        .collect();
    Ok(Digests { size, hex })
}

/// Hashes every `(path, algorithms)` job in parallel (rayon), one read per
/// file; results keep the jobs' order.
pub fn hash_all(jobs: &[(PathBuf, Vec<Algorithm>)]) -> Vec<io::Result<Digests>> {
    jobs.par_iter()
        .map(|(path, algs)| hash_file(path, algs))
        .collect()
}

/// `bytes` as lowercase hex. `hex::encode` goes through a char iterator,
/// which made it the larger part of a cached re-check's record lookup;
/// `encode_to_slice` fills a buffer from a table.
pub fn lower_hex(bytes: &[u8]) -> String {
    let mut buf = vec![0u8; bytes.len() * 2];
    if hex::encode_to_slice(bytes, &mut buf).is_err() {
        // Unreachable: the buffer is exactly twice the input.
        return hex::encode(bytes);
    }
    // Hex digits are ASCII.
    String::from_utf8(buf).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_answers() {
        let d = hash_reader(&mut &b"abc"[..], &Algorithm::ALL, |_| Ok(())).unwrap();
        assert_eq!(d.size, 3);
        assert_eq!(
            d.get(Algorithm::Sha256).unwrap(),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(
            d.get(Algorithm::Md5).unwrap(),
            "900150983cd24fb0d6963f7d28e17f72"
        );
        assert_eq!(
            d.get(Algorithm::Sha1).unwrap(),
            "a9993e364706816aba3e25717850c26c9cd0d89d"
        );
        for a in Algorithm::ALL {
            assert_eq!(d.get(a).unwrap().len(), a.hex_len(), "{a}");
            assert_eq!(Algorithm::from_name(a.name()), Some(a));
        }
        assert_eq!(Algorithm::from_name("SHA256"), None);
    }
}

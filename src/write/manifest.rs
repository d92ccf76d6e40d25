//! The manifest of a built site: every file rekap wrote, with a hash of its
//! contents and its length. It lives in the marker file ([`super::MARKER`])
//! after the `generator:` and `audience:` lines, so that the next build can
//! leave unchanged files alone. It holds no times, so that the same input
//! still gives byte-identical output; a file changed by hand after a build is
//! recognised by a modification time later than the marker's, which is
//! written last.

use crate::model::Audience;
use std::collections::BTreeMap;

/// What the manifest records of one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Entry {
    /// XXH3-128 of the contents.
    pub hash: u128,
    /// Length in bytes.
    pub len: u64,
}

/// The hash the manifest uses for file contents.
pub(super) fn hash(bytes: &[u8]) -> u128 {
    xxhash_rust::xxh3::xxh3_128(bytes)
}

/// The marker's first line, naming the version of rekap that wrote it.
pub(super) fn generator_line() -> String {
    format!("generator: rekap {}", env!("CARGO_PKG_VERSION"))
}

/// The marker text: generator, audience, then one line per file
/// (`hash length path`), sorted by path.
pub(super) fn render(audience: Audience, files: &BTreeMap<String, Entry>) -> String {
    let mut out = format!(
        "{}\naudience: {}\nfiles:\n",
        generator_line(),
        audience.as_str()
    );
    out.reserve(files.len() * 90);
    for (path, e) in files {
        use std::fmt::Write;
        let _ = writeln!(out, "{:032x} {} {}", e.hash, e.len, path);
    }
    out
}

/// The files listed in a marker text; `None` when it has no file list (a
/// marker from an older rekap) or a line does not parse.
pub(super) fn parse(text: &str) -> Option<BTreeMap<String, Entry>> {
    let (_, list) = text.split_once("\nfiles:\n")?;
    let mut files = BTreeMap::new();
    for line in list.lines() {
        let mut parts = line.splitn(3, ' ');
        let hash = u128::from_str_radix(parts.next()?, 16).ok()?;
        let len = parts.next()?.parse().ok()?;
        let path = parts.next()?.to_string();
        files.insert(path, Entry { hash, len });
    }
    Some(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_manifest_reads_back_as_written() {
        let mut files = BTreeMap::new();
        files.insert(
            "regions/gorontalo/index.html".to_string(),
            Entry {
                hash: hash(b"<p>Gorontalo</p>"),
                len: 16,
            },
        );
        files.insert(
            "a file with spaces.txt".to_string(),
            Entry { hash: 0, len: 0 },
        );
        let text = render(Audience::Internal, &files);
        assert!(text.starts_with("generator: rekap "));
        assert!(text.contains("\naudience: internal\n"));
        assert_eq!(parse(&text), Some(files));
    }

    #[test]
    fn an_old_marker_without_a_file_list_has_no_manifest() {
        assert_eq!(parse("generator: rekap 0.1.0\naudience: public\n"), None);
        assert_eq!(parse("generator: rekap\nfiles:\nnot a line\n"), None);
    }

    #[test]
    fn different_contents_hash_differently() {
        assert_ne!(hash(b"81,0%"), hash(b"81,1%"));
        assert_ne!(hash(b""), hash(b"\0"));
    }

    #[test]
    fn the_hash_is_xxh3_128_of_the_contents_alone() {
        // The same bytes from two different buffers: the same hash.
        let owned = String::from("81,0%").into_bytes();
        assert_eq!(hash(&owned), hash(b"81,0%"));
        // The reference XXH3-128 of no bytes (seed 0), so that a marker
        // written by one build reads the same in the next.
        assert_eq!(hash(b""), 0x99aa_06d3_0147_98d8_6001_c324_468d_497f);
    }
}

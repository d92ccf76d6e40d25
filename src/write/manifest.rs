//! The manifest of a built site: every file rekap wrote, with a hash of its
//! contents and its length. It lives in the marker file ([`super::MARKER`])
//! after the `generator:` and `audience:` lines, so that the next build can
//! keep unchanged files (as hard links) instead of writing them again. It
//! holds no times, so that the same input still gives byte-identical output.
//!
//! The manifest is only a first sieve: a file is kept only if it also still
//! holds, byte for byte, what the build makes (see `Staging::put`), so
//! neither a file changed by hand nor a marker edited by hand can make a
//! rebuild differ from a fresh build.
//!
//! One line per file, `hash length path`; a path is the rest of the line, so
//! it may hold spaces but never a line break: rekap refuses to write a file
//! whose name holds a control character ([`refused_char`]). The parser
//! accepts only what [`render`] writes (sorted, unique, safe relative
//! paths); anything else is no manifest at all, and the build writes every
//! file.

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

impl Entry {
    /// The entry of a file holding `bytes`.
    pub(super) fn of(bytes: &[u8]) -> Entry {
        Entry {
            hash: hash(bytes),
            len: bytes.len() as u64,
        }
    }
}

/// The hash the manifest uses for file contents.
pub(super) fn hash(bytes: &[u8]) -> u128 {
    xxhash_rust::xxh3::xxh3_128(bytes)
}

/// The marker's first line, naming the version of rekap that wrote it.
pub(super) fn generator_line() -> String {
    format!("generator: rekap {}", env!("CARGO_PKG_VERSION"))
}

/// The first character of `path` that rekap refuses in a file name: a
/// control character (U+0000–U+001F, U+007F–U+009F: line breaks, tab,
/// carriage return, escape...). Such a name would break the manifest's one
/// line per file and garble terminals and logs.
pub(super) fn refused_char(path: &str) -> Option<char> {
    path.chars().find(|c| c.is_control())
}

/// The marker text: generator, audience, then one line per file
/// (`hash length path`), sorted by path. Every path must pass
/// [`refused_char`] (the caller checks, see `Staging::put`).
pub(super) fn render(audience: Audience, files: &BTreeMap<String, Entry>) -> String {
    let mut out = format!(
        "{}\naudience: {}\nfiles:\n",
        generator_line(),
        audience.as_str()
    );
    out.reserve(files.len() * 90);
    for (path, e) in files {
        use std::fmt::Write;
        debug_assert!(refused_char(path).is_none(), "{path:?}");
        let _ = writeln!(out, "{:032x} {} {}", e.hash, e.len, path);
    }
    out
}

/// The header of a marker text: its lines before the file list.
fn header(text: &str) -> &str {
    match text.split_once("\nfiles:\n") {
        Some((head, _)) => head,
        None => text,
    }
}

/// The audience a marker text records (`None` if it records none); read
/// from the header only, never from the file list.
pub(super) fn audience(text: &str) -> Option<&str> {
    header(text)
        .lines()
        .find_map(|l| l.strip_prefix("audience: "))
        .map(str::trim)
}

/// Whether the marker was written by this version of rekap.
pub(super) fn same_generator(text: &str) -> bool {
    header(text).lines().next() == Some(&generator_line())
}

/// The files listed in a marker text; `None` when it has no file list (a
/// marker from an older rekap), or a line is not exactly as [`render`]
/// writes it: 32 lowercase hex digits, a space, decimal digits, a space, a
/// safe relative path without control characters, in strictly increasing
/// order (so no path twice).
pub(super) fn parse(text: &str) -> Option<BTreeMap<String, Entry>> {
    let (_, list) = text.split_once("\nfiles:\n")?;
    let mut files = BTreeMap::new();
    let mut last: Option<&str> = None;
    for line in list.split_terminator('\n') {
        let (hash, rest) = line.split_once(' ')?;
        let (len, path) = rest.split_once(' ')?;
        let hex = |b: u8| b.is_ascii_digit() || (b'a'..=b'f').contains(&b);
        if hash.len() != 32 || !hash.bytes().all(hex) {
            return None;
        }
        if len.is_empty() || len.len() > 20 || !len.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        if !super::is_safe_relative(path) || refused_char(path).is_some() || path == super::MARKER {
            return None;
        }
        if last.is_some_and(|l| l >= path) {
            return None;
        }
        last = Some(path);
        let entry = Entry {
            hash: u128::from_str_radix(hash, 16).ok()?,
            len: len.parse().ok()?,
        };
        files.insert(path.to_string(), entry);
    }
    Some(files)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn one(path: &str) -> BTreeMap<String, Entry> {
        BTreeMap::from([(path.to_string(), Entry { hash: 7, len: 3 })])
    }

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
        assert_eq!(audience(&text), Some("internal"));
        assert!(same_generator(&text));
        assert_eq!(parse(&text), Some(files));
    }

    #[test]
    fn an_old_marker_without_a_file_list_has_no_manifest() {
        assert_eq!(parse("generator: rekap 0.1.0\naudience: public\n"), None);
        assert_eq!(parse("generator: rekap\nfiles:\nnot a line\n"), None);
    }

    #[test]
    fn control_characters_are_refused_in_names() {
        assert_eq!(refused_char("static/a\nb.txt"), Some('\n'));
        assert_eq!(refused_char("a\rb"), Some('\r'));
        assert_eq!(refused_char("a\tb"), Some('\t'));
        assert_eq!(refused_char("a\u{85}b"), Some('\u{85}'));
        assert_eq!(refused_char("berita/rapat koordinasi ü.pdf"), None);
    }

    #[test]
    fn the_parser_takes_nothing_but_what_render_writes() {
        let ok = render(Audience::Public, &one("a.html"));
        assert_eq!(parse(&ok), Some(one("a.html")));
        let h = format!("{:032x}", 7);
        let head = "generator: rekap 0.1.0\naudience: public\nfiles:\n";
        for bad in [
            format!("{head}{h} 3 b\n{h} 3 a\n"),
            format!("{head}{h} 3 a\n{h} 3 a\n"),
            format!("{head}{h} 3 ../x\n"),
            format!("{head}{h} 3 /etc/passwd\n"),
            format!("{head}{h} 3 a/./b\n"),
            format!("{head}{h} 3 \n"),
            format!("{head}{h} 3 .rekap-build\n"),
            format!("{head}{h} 3 a\rb\n"),
            format!("{head}{h} +3 a\n"),
            format!("{head}{h} 3\n"),
            format!("{head}{} 3 a\n", h.to_uppercase().replace('0', "A")),
            format!("{head}7 3 a\n"),
            format!("{head}{h}0 3 a\n"),
            format!("{head}{h}  3 a\n"),
            format!("{head}{h} 99999999999999999999999 a\n"),
        ] {
            assert_eq!(parse(&bad), None, "{bad:?}");
        }
    }

    #[test]
    fn the_audience_comes_from_the_header_only() {
        let files = one("audience: internal");
        let text = render(Audience::Public, &files);
        assert_eq!(audience(&text), Some("public"));
        assert_eq!(audience("generator: x\nfiles:\naudience: internal\n"), None);
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

    proptest! {
        #[test]
        fn any_allowed_names_read_back(
            names in proptest::collection::btree_set("[a-zA-Z0-9 ._~ü/-]{1,30}", 0..8),
            hashes in proptest::collection::vec(any::<u128>(), 8),
            lens in proptest::collection::vec(any::<u64>(), 8),
        ) {
            let files: BTreeMap<String, Entry> = names
                .into_iter()
                .filter(|n| crate::write::is_safe_relative(n) && n != crate::write::MARKER)
                .enumerate()
                .map(|(i, n)| (n, Entry { hash: hashes[i], len: lens[i] }))
                .collect();
            let text = render(Audience::Public, &files);
            prop_assert_eq!(parse(&text), Some(files));
        }

        #[test]
        fn no_text_confuses_the_parser(text in "\\PC*(\nfiles:\n)?[\\PC\n\r\t ]*") {
            if let Some(files) = parse(&text) {
                for path in files.keys() {
                    prop_assert!(crate::write::is_safe_relative(path));
                    prop_assert!(refused_char(path).is_none());
                }
            }
        }
    }
}

//! The site as `rekap serve` keeps it: every file in memory, never on disk.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::body::Bytes;

use crate::write::{self, Contents, OutputFile, Sink, WriteError};

/// The files of one build, by path relative to the output (`regions/index.html`).
#[derive(Debug, Default, Clone)]
pub struct MemorySite {
    files: Files,
}

/// Files by path (some twenty thousand on a large site, hashed with aHash).
type Files = HashMap<String, Held, ahash::RandomState>;

/// A file of a [`MemorySite`]: its bytes whole, or in pieces each shared
/// with the build that made them (the search index of ten thousand
/// documents, each kept from one build to the next, is not copied into one
/// buffer at every build).
#[derive(Debug, Clone)]
pub enum Held {
    /// The bytes.
    Whole(Bytes),
    /// The bytes, piece after piece.
    Pieces(Arc<[Bytes]>),
}

impl Held {
    /// The bytes (pieces joined into one buffer).
    pub fn bytes(&self) -> Bytes {
        match self {
            Held::Whole(b) => b.clone(),
            Held::Pieces(pieces) => Bytes::from(pieces.concat()),
        }
    }
}

impl MemorySite {
    /// The bytes of the file at `path`, if the site has it.
    pub fn get(&self, path: &str) -> Option<Bytes> {
        self.files.get(path).map(Held::bytes)
    }

    /// The file at `path` as it is held, if the site has it.
    pub fn held(&self, path: &str) -> Option<&Held> {
        self.files.get(path)
    }

    /// How many files the site has.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// Whether the site has no file.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// The paths of the site's files, in no order.
    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.files.keys().map(String::as_str)
    }
}

/// A sink that builds a [`MemorySite`]. Given the previous build, it keeps
/// a chart's PNG when its SVG is unchanged, as a build into a folder does.
#[derive(Debug, Default)]
pub struct MemorySink {
    files: Mutex<Files>,
    previous: Option<Arc<MemorySite>>,
}

impl MemorySink {
    /// A sink that may keep files of `previous`.
    pub fn new(previous: Option<Arc<MemorySite>>) -> MemorySink {
        // Sized for as many files as the last build (grown file by file,
        // the map of a large site is made again a dozen times over).
        let files = previous.as_ref().map_or(0, |p| p.files.len());
        MemorySink {
            files: Mutex::new(Files::with_capacity_and_hasher(files, Default::default())),
            previous,
        }
    }

    /// The site built.
    pub fn into_site(self) -> MemorySite {
        MemorySite {
            files: self.files.into_inner().unwrap_or_else(|e| e.into_inner()),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Files> {
        self.files.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn insert(&self, path: String, bytes: Held) -> Result<(), WriteError> {
        use std::collections::hash_map::Entry;
        match self.lock().entry(path) {
            Entry::Occupied(o) => Err(write::collision(o.key())),
            Entry::Vacant(v) => {
                v.insert(bytes);
                Ok(())
            }
        }
    }
}

impl Sink for MemorySink {
    fn put(&self, file: OutputFile) -> Result<(), WriteError> {
        write::check_path(&file, std::path::Path::new(""))?;
        let bytes = match file.contents {
            // Already shared (with the memo that kept the page): kept as it is.
            Contents::Shared(b) => return self.insert(file.path, Held::Whole(b)),
            Contents::Pieces(p) => return self.insert(file.path, Held::Pieces(p.into())),
            Contents::Bytes(b) => b,
            Contents::Copy(src) => std::fs::read(&src).map_err(|e| write::read_error(&src, e))?,
        };
        // A file as it was in the previous build shares that build's bytes:
        // a rebuild then holds only what changed twice, not the whole site.
        let bytes = match self.previous.as_ref().and_then(|p| p.held(&file.path)) {
            Some(Held::Whole(old)) if old.as_ref() == bytes.as_slice() => old.clone(),
            _ => Bytes::from(bytes),
        };
        self.insert(file.path, Held::Whole(bytes))
    }

    fn reuse(&self, path: &str, source: &str) -> Result<bool, WriteError> {
        let Some(prev) = &self.previous else {
            return Ok(false);
        };
        let (Some(Held::Whole(before)), Some(old)) = (prev.held(source), prev.held(path)) else {
            return Ok(false);
        };
        let same = matches!(self.lock().get(source), Some(Held::Whole(now)) if now == before);
        if !same {
            return Ok(false);
        }
        self.insert(path.to_string(), old.clone())?;
        Ok(true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, text: &str) -> OutputFile {
        OutputFile {
            path: path.into(),
            contents: Contents::Bytes(text.as_bytes().to_vec()),
        }
    }

    #[test]
    fn keeps_a_png_only_when_its_svg_is_unchanged() {
        let first = MemorySink::new(None);
        first.put(file("c.svg", "<svg/>")).unwrap();
        first.put(file("c.png", "png")).unwrap();
        let prev = Arc::new(first.into_site());
        let same = MemorySink::new(Some(prev.clone()));
        same.put(file("c.svg", "<svg/>")).unwrap();
        assert!(same.reuse("c.png", "c.svg").unwrap());
        assert_eq!(same.into_site().get("c.png").unwrap().as_ref(), b"png");
        let changed = MemorySink::new(Some(prev));
        changed.put(file("c.svg", "<svg></svg>")).unwrap();
        assert!(!changed.reuse("c.png", "c.svg").unwrap());
    }

    #[test]
    fn a_file_unchanged_since_the_previous_build_shares_its_bytes() {
        let first = MemorySink::new(None);
        first.put(file("a.html", "same")).unwrap();
        first.put(file("b.html", "old")).unwrap();
        let prev = Arc::new(first.into_site());
        let next = MemorySink::new(Some(prev.clone()));
        next.put(file("a.html", "same")).unwrap();
        next.put(file("b.html", "new")).unwrap();
        let site = next.into_site();
        let shared = |p: &str| site.get(p).unwrap().as_ptr() == prev.get(p).unwrap().as_ptr();
        assert!(shared("a.html"));
        assert!(!shared("b.html"));
        assert_eq!(site.get("b.html").unwrap().as_ref(), b"new");
    }

    #[test]
    fn a_file_in_pieces_is_held_so_and_read_whole() {
        let s = MemorySink::new(None);
        let pieces = vec![Bytes::from_static(b"[1"), Bytes::from_static(b",2]")];
        s.put(OutputFile {
            path: "i.json".into(),
            contents: Contents::Pieces(pieces.clone()),
        })
        .unwrap();
        let site = s.into_site();
        assert_eq!(site.get("i.json").unwrap().as_ref(), b"[1,2]");
        match site.held("i.json").unwrap() {
            Held::Pieces(held) => assert_eq!(held[0].as_ptr(), pieces[0].as_ptr(), "not copied"),
            Held::Whole(_) => panic!("joined"),
        }
    }

    #[test]
    fn refuses_unsafe_paths_and_collisions() {
        let s = MemorySink::new(None);
        assert!(s.put(file("../x", "")).is_err());
        s.put(file("a.html", "")).unwrap();
        assert!(s.put(file("a.html", "")).is_err());
    }
}

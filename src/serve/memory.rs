//! The site as `rekap serve` keeps it: every file in memory, never on disk.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::body::Bytes;

use crate::write::{self, Contents, OutputFile, Sink, WriteError};

/// The files of one build, by path relative to the output (`regions/index.html`).
#[derive(Debug, Default, Clone)]
pub struct MemorySite {
    files: HashMap<String, Bytes>,
}

impl MemorySite {
    /// The file at `path`, if the site has it.
    pub fn get(&self, path: &str) -> Option<&Bytes> {
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
    files: Mutex<HashMap<String, Bytes>>,
    previous: Option<Arc<MemorySite>>,
}

impl MemorySink {
    /// A sink that may keep files of `previous`.
    pub fn new(previous: Option<Arc<MemorySite>>) -> MemorySink {
        MemorySink {
            files: Mutex::default(),
            previous,
        }
    }

    /// The site built.
    pub fn into_site(self) -> MemorySite {
        MemorySite {
            files: self.files.into_inner().unwrap_or_else(|e| e.into_inner()),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Bytes>> {
        self.files.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn insert(&self, path: String, bytes: Bytes) -> Result<(), WriteError> {
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
            Contents::Shared(b) => return self.insert(file.path, b),
            Contents::Bytes(b) => b,
            Contents::Copy(src) => std::fs::read(&src).map_err(|e| write::read_error(&src, e))?,
        };
        // A file as it was in the previous build shares that build's bytes:
        // a rebuild then holds only what changed twice, not the whole site.
        let bytes = match self.previous.as_ref().and_then(|p| p.get(&file.path)) {
            Some(old) if old.as_ref() == bytes.as_slice() => old.clone(),
            _ => Bytes::from(bytes),
        };
        self.insert(file.path, bytes)
    }

    fn reuse(&self, path: &str, source: &str) -> Result<bool, WriteError> {
        let Some(prev) = &self.previous else {
            return Ok(false);
        };
        let (Some(before), Some(old)) = (prev.get(source), prev.get(path)) else {
            return Ok(false);
        };
        let same = self.lock().get(source).is_some_and(|now| now == before);
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
    fn refuses_unsafe_paths_and_collisions() {
        let s = MemorySink::new(None);
        assert!(s.put(file("../x", "")).is_err());
        s.put(file("a.html", "")).unwrap();
        assert!(s.put(file("a.html", "")).is_err());
    }
}

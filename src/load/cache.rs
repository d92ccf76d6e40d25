//! Files parsed by one load, kept for the next (`rekap serve`).
//!
//! Parsing the figure files and the Markdown documents is most of what
//! loading costs. A file parses the same every time its bytes, and the
//! settings it is read with, are the same: the cache keeps each file's
//! result (and the problems found in it) under a digest of both, and a load
//! that finds the same digest takes the result instead of parsing again.
//! Every file is still read (and its confinement to the site folder checked)
//! on every load. After each load the cache holds only the files that load
//! read.

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, RwLock, RwLockReadGuard, RwLockWriteGuard};

use xxhash_rust::xxh3::Xxh3;

use crate::diagnostics::Diagnostics;
use crate::model::{Entity, Figure, Meeting, Page, Release};

/// Parsed files, kept from one load for the next.
#[derive(Debug, Default)]
pub struct LoadCache {
    pub(super) entities: Keyed<Vec<Entity>>,
    pub(super) figures: Keyed<Arc<Vec<Figure>>>,
    pub(super) releases: Keyed<Option<Arc<Release>>>,
    pub(super) meetings: Keyed<Option<Meeting>>,
    pub(super) pages: Keyed<Option<Page>>,
    /// The parts of the long figure files being edited (see
    /// [`KeptParts`](super::yaml_parts::KeptParts)).
    pub(super) parts: super::yaml_parts::KeptParts,
    /// Whether only figure files are kept (documents are parsed every time).
    pub(super) figures_only: bool,
    /// Documents read already (by `rekap build`'s fingerprint), taken by
    /// the load instead of reading them again.
    pub(super) read_ahead: super::ReadAhead,
}

impl LoadCache {
    /// An empty cache.
    pub fn new() -> LoadCache {
        LoadCache::default()
    }

    /// How many files are kept.
    pub fn len(&self) -> usize {
        self.entities.len()
            + self.figures.len()
            + self.releases.len()
            + self.meetings.len()
            + self.pages.len()
    }

    /// Whether no file is kept.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The parsed figure files kept, sorted by path (see
    /// [`stored`](super::stored), which stores them between runs).
    pub fn figure_files(&self) -> Vec<super::stored::FigureFile> {
        let s = self.figures.read();
        let mut files: Vec<_> = s
            .files
            .iter()
            .map(|(path, e)| {
                let e = &e.value;
                (path.clone(), e.key, Arc::clone(&*e.value), e.found.clone())
            })
            .collect();
        files.sort_by(|a, b| a.0.cmp(&b.0));
        files
    }

    /// A cache holding the parsed figure files `files` (as
    /// [`LoadCache::figure_files`] gave them), and keeping no document
    /// (`rekap build`, which stores only the figure files between runs).
    pub fn with_figure_files(files: Vec<super::stored::FigureFile>) -> LoadCache {
        let cache = LoadCache {
            figures_only: true,
            ..LoadCache::default()
        };
        {
            let mut s = cache.figures.write();
            // Read by no load yet: forgotten at the end of the first unless
            // it reads them.
            let unread = crate::cache::Marked::<()>::UNUSED;
            for (path, key, figures, d) in files {
                s.files
                    .insert(path, entry(key, Arc::new(figures), d, unread));
            }
        }
        cache
    }

    /// This cache, with the documents `ahead` read already: the load takes
    /// each from there instead of reading it again.
    pub fn reading_ahead(mut self, ahead: super::ReadAhead) -> LoadCache {
        self.read_ahead = ahead;
        self
    }

    /// Hands this cache the documents `ahead` read already, for the next
    /// load to take instead of reading them again (`rekap serve`, whose
    /// cache lives from one build to the next), in place of any left from
    /// an earlier build.
    pub fn read_ahead(&self, ahead: super::ReadAhead) {
        self.read_ahead.replace(ahead);
    }

    /// Whether the last load took every document handed with
    /// [`LoadCache::read_ahead`], and read none itself (see
    /// [`ReadAhead::took_all`](super::ReadAhead::took_all)).
    pub fn took_all_read_ahead(&self) -> bool {
        self.read_ahead.took_all()
    }

    /// The data file `rel` (its problems to `diags`) as `parse` gives it
    /// under `setting`, kept in `keyed`: taken by the digest it was found
    /// with before the load (see [`ReadAhead`](super::ReadAhead)) if kept
    /// under it, else read to key it, and parsed if nothing is kept under
    /// the key of the bytes read.
    pub(super) fn data_kept<T: Clone>(
        &self,
        keyed: &Keyed<T>,
        root: &Path,
        rel: &str,
        setting: u128,
        diags: &mut Diagnostics,
        parse: impl FnOnce(&mut Diagnostics) -> T,
    ) -> T {
        let known = self.read_ahead.data_digest(rel);
        if let Some(kept) = known.and_then(|d| keyed.get(rel, content_key(d, setting), diags)) {
            return kept;
        }
        keyed.get_or_parse(rel, file_key(root, rel, setting), diags, parse)
    }

    /// Whether the figure files kept changed since the cache was made: a
    /// file parsed, or one that a load no longer read forgotten at its end.
    pub fn figures_changed(&self) -> bool {
        self.figures.read().changed
    }

    /// Forgets every file the load that just ended did not read.
    pub(super) fn end(&self) {
        self.entities.end();
        self.figures.end();
        self.releases.end();
        self.meetings.end();
        self.pages.end();
    }
}

/// One kind of parsed file, by path. Every document of a load asks for
/// its own (ten thousand per save on the large benchmark site, from every
/// thread): they are looked up under a shared lock, and an entry found is
/// marked with the number of the load rather than its path copied into a
/// set of those used.
#[derive(Debug)]
pub(super) struct Keyed<T> {
    state: RwLock<State<T>>,
}

impl<T> Default for Keyed<T> {
    fn default() -> Self {
        Keyed {
            state: RwLock::new(State {
                files: HashMap::default(),
                build: 0,
                changed: false,
            }),
        }
    }
}

#[derive(Debug)]
struct State<T> {
    /// Each file's digest, result and problems.
    files: HashMap<String, MarkedEntry<T>, ahash::RandomState>,
    /// The number of the load under way.
    build: u64,
    /// Whether a file was parsed or forgotten.
    changed: bool,
}

/// One file's result: the digest it was parsed from, the result and its
/// problems.
#[derive(Debug)]
struct Entry<T> {
    key: u128,
    value: Arc<T>,
    found: Diagnostics,
}

/// An entry marked with the last load that read it.
type MarkedEntry<T> = crate::cache::Marked<Entry<T>>;

/// `value` parsed under `key` with the problems `found`, read by `build`.
fn entry<T>(key: u128, value: Arc<T>, found: Diagnostics, build: u64) -> MarkedEntry<T> {
    crate::cache::Marked::new(Entry { key, value, found }, build)
}

impl<T: Clone> Keyed<T> {
    fn read(&self) -> RwLockReadGuard<'_, State<T>> {
        self.state.read().unwrap_or_else(|e| e.into_inner())
    }

    fn write(&self) -> RwLockWriteGuard<'_, State<T>> {
        self.state.write().unwrap_or_else(|e| e.into_inner())
    }

    fn len(&self) -> usize {
        self.read().files.len()
    }

    /// Ends a load: forgets every file it did not read.
    fn end(&self) {
        let mut s = self.write();
        let build = s.build;
        let before = s.files.len();
        s.files.retain(|_, e| e.used_by(build));
        s.changed |= s.files.len() != before;
        s.build += 1;
    }

    /// The result kept for `file` if its key is `key` (its problems to
    /// `diags`), noted as read by the load under way.
    pub(super) fn get(&self, file: &str, key: u128, diags: &mut Diagnostics) -> Option<T> {
        let (value, d) = {
            let s = self.read();
            let e = s.files.get(file).filter(|e| e.value.key == key)?;
            e.mark(s.build);
            (Arc::clone(&e.value.value), e.value.found.clone())
        };
        diags.extend(d);
        Some(T::clone(&value))
    }

    /// The result of parsing `file`, whose digest (of its bytes and of
    /// what it is read with) is `key`: the kept one if the key is the same,
    /// else `parse`'s, kept. The problems found go to `diags` either way.
    pub(super) fn get_or_parse(
        &self,
        file: &str,
        key: Option<u128>,
        diags: &mut Diagnostics,
        parse: impl FnOnce(&mut Diagnostics) -> T,
    ) -> T {
        let Some(key) = key else {
            return parse(diags);
        };
        if let Some(value) = self.get(file, key, diags) {
            return value;
        }
        let mut d = Diagnostics::new();
        let value = parse(&mut d);
        let mut s = self.write();
        let build = s.build;
        s.files.insert(
            file.to_string(),
            entry(key, Arc::new(value.clone()), d.clone(), build),
        );
        s.changed = true;
        drop(s);
        diags.extend(d);
        value
    }
}

/// The digest of a file's bytes under `setting` (the digest of what it is
/// read with), or `None` if the file cannot be read, or not from inside the
/// site folder (its problems are then reported by the parse).
pub(super) fn file_key(root: &Path, file: &str, setting: u128) -> Option<u128> {
    let bytes = super::read_bytes(root, file, &mut Diagnostics::new())?;
    Some(content_key(xxhash_rust::xxh3::xxh3_128(&bytes), setting))
}

/// The key of a file whose bytes have the digest `digest` (XXH3-128, as
/// the fingerprints take it), read under `setting`.
pub(super) fn content_key(digest: u128, setting: u128) -> u128 {
    let mut h = Xxh3::new();
    h.update(&setting.to_le_bytes());
    h.update(&digest.to_le_bytes());
    h.digest128()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_parsed_again_only_when_its_key_changes() {
        let cache: Keyed<String> = Keyed::default();
        let mut parsed = 0;
        let mut parse = |text: &str, key| {
            let mut d = Diagnostics::new();
            cache.get_or_parse("a.yaml", Some(key), &mut d, |_| {
                parsed += 1;
                text.to_string()
            })
        };
        assert_eq!(parse("one", 1), "one");
        assert_eq!(parse("two", 1), "one", "the same key: the kept result");
        assert_eq!(parse("two", 2), "two", "another key: parsed again");
        assert_eq!(parsed, 2);
        cache.end();
        assert_eq!(cache.len(), 1, "read by the last load");
        cache.end();
        assert_eq!(cache.len(), 0, "not read by the last load: forgotten");
    }

    #[test]
    fn stored_figure_files_are_forgotten_unless_the_first_load_reads_them() {
        let stored = |path: &str| {
            (
                path.to_string(),
                1,
                Arc::new(Vec::new()),
                Diagnostics::new(),
            )
        };
        let cache = LoadCache::with_figure_files(vec![stored("a.yaml"), stored("b.yaml")]);
        let mut d = Diagnostics::new();
        assert!(cache.figures.get("a.yaml", 1, &mut d).is_some());
        assert!(
            cache.figures.get("a.yaml", 2, &mut d).is_none(),
            "another key"
        );
        cache.end();
        let kept: Vec<String> = cache.figure_files().into_iter().map(|f| f.0).collect();
        assert_eq!(kept, ["a.yaml"]);
    }
}

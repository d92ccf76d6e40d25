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

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard};

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
        let s = self.figures.state();
        let mut files: Vec<_> = s
            .files
            .iter()
            .map(|(path, (key, figures, d))| {
                (path.clone(), *key, Arc::clone(&**figures), d.clone())
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
            let mut s = cache.figures.state();
            for (path, key, figures, d) in files {
                s.files.insert(path, (key, Arc::new(figures), d));
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

    /// Whether the figure files kept changed since the cache was made: a
    /// file parsed, or one that a load no longer read forgotten at its end.
    pub fn figures_changed(&self) -> bool {
        self.figures.state().changed
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

/// One kind of parsed file, by path.
#[derive(Debug)]
pub(super) struct Keyed<T> {
    state: Mutex<State<T>>,
}

impl<T> Default for Keyed<T> {
    fn default() -> Self {
        Keyed {
            state: Mutex::new(State {
                files: HashMap::new(),
                used: HashSet::new(),
                changed: false,
            }),
        }
    }
}

#[derive(Debug)]
struct State<T> {
    /// Each file's digest, result and problems.
    files: HashMap<String, (u128, Arc<T>, Diagnostics)>,
    /// The files read by the load under way.
    used: HashSet<String>,
    /// Whether a file was parsed or forgotten.
    changed: bool,
}

impl<T: Clone> Keyed<T> {
    fn state(&self) -> MutexGuard<'_, State<T>> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn len(&self) -> usize {
        self.state().files.len()
    }

    fn end(&self) {
        let mut s = self.state();
        let used = std::mem::take(&mut s.used);
        let before = s.files.len();
        s.files.retain(|f, _| used.contains(f));
        s.changed |= s.files.len() != before;
    }

    /// The result kept for `file` if its key is `key` (its problems to
    /// `diags`), noted as read by the load under way.
    pub(super) fn get(&self, file: &str, key: u128, diags: &mut Diagnostics) -> Option<T> {
        let (value, d) = {
            let mut s = self.state();
            let (value, d) = s
                .files
                .get(file)
                .filter(|(k, _, _)| *k == key)
                .map(|(_, value, d)| (Arc::clone(value), d.clone()))?;
            s.used.insert(file.to_string());
            (value, d)
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
        let kept = {
            let mut s = self.state();
            s.used.insert(file.to_string());
            s.files
                .get(file)
                .filter(|(k, _, _)| *k == key)
                .map(|(_, value, d)| (value.clone(), d.clone()))
        };
        if let Some((value, d)) = kept {
            diags.extend(d);
            return T::clone(&value);
        }
        let mut d = Diagnostics::new();
        let value = parse(&mut d);
        let mut s = self.state();
        s.files
            .insert(file.to_string(), (key, Arc::new(value.clone()), d.clone()));
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
}

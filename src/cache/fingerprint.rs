//! The fingerprints of a build's inputs (see the [module](super) on what
//! they cover): every input read and hashed, in parallel, before a build
//! and again after it; in `rekap serve`, only the files whose stamps
//! changed are read ([`InputStamps`]), and only the paths the watcher
//! reported are looked at ([`InputStamps::with_documents_after`]).

use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use xxhash_rust::xxh3::Xxh3;

use super::{FORMAT, exe_identity};
use crate::load::{Ahead, ReadAhead};
use crate::pipeline::BuildOptions;
use crate::write::Stamp;

/// A hash of everything a build's output is made from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Fingerprint(pub u128);

/// The two fingerprints of a build's inputs: of all of them, and of those a
/// chart is drawn from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Fingerprints {
    /// Every input (see [`Fingerprint::of`]).
    pub all: Fingerprint,
    /// The inputs charts are drawn from: all but the Markdown documents
    /// under `content/`, the files there the load never reads as data
    /// (hidden files, spreadsheet lock files, any file not YAML, CSV,
    /// `xlsx` or `ods`: an editor's swap and backup files), and the
    /// `templates/` and `static/` folders. A chart
    /// is drawn from the figures, entities, metrics, settings and interface
    /// strings alone (which charts a build *needs* depends on the documents
    /// too, but not how each one looks).
    pub charts: Fingerprint,
}

impl Fingerprint {
    /// The fingerprint of building `opts`; `None` if some input cannot be
    /// read (nothing can then be proved unchanged).
    pub fn of(opts: &BuildOptions) -> Option<Fingerprint> {
        Fingerprints::of(opts).map(|f| f.all)
    }
}

impl Fingerprints {
    /// Both fingerprints of building `opts`, in one pass over the inputs
    /// (the folders walked in order, the files read and hashed in
    /// parallel); `None` if some input cannot be read.
    pub fn of(opts: &BuildOptions) -> Option<Fingerprints> {
        Fingerprints::reading(opts, false, None, None, None).map(|(f, ..)| f)
    }

    /// [`Fingerprints::of`], taking the bytes of each document in
    /// `documents` to be those it was read with for them (the digest kept
    /// there) instead of reading it again: for the fingerprint after a
    /// build that loaded exactly the documents read for the one before it
    /// (see [`ReadAhead::took_all`]), which only the other inputs can make
    /// differ. A document not in `documents` is read.
    pub fn knowing(opts: &BuildOptions, documents: &Documents) -> Option<Fingerprints> {
        Fingerprints::reading(opts, false, Some(documents), None, None).map(|(f, ..)| f)
    }

    /// [`Fingerprints::of`], and the bytes of the Markdown documents under
    /// `content/` as they were hashed (by path relative to the site
    /// folder), for the load to take instead of reading them again: then
    /// what is loaded is exactly what was fingerprinted. No fingerprint
    /// (an input cannot be read) comes with no document.
    /// The documents come with the digest of each (see
    /// [`Fingerprints::knowing`]).
    pub fn with_documents(opts: &BuildOptions) -> (Option<Fingerprints>, ReadAhead, Documents) {
        Fingerprints::reading(opts, true, None, None, None)
            .map_or_else(Default::default, |(f, a, d)| (Some(f), a, d))
    }

    fn reading(
        opts: &BuildOptions,
        keep_documents: bool,
        known: Option<&Documents>,
        stamps: Option<&InputStamps>,
        changed: Option<&[PathBuf]>,
    ) -> Option<(Fingerprints, ReadAhead, Documents)> {
        use rayon::prelude::*;
        let mut h = Xxh3::new();
        let mut hc = Xxh3::new();
        // `charts`: whether the field goes into the charts' fingerprint too.
        let mut field = |tag: &str, bytes: &[u8], charts: bool| {
            for h in std::iter::once(&mut h).chain(charts.then_some(&mut hc)) {
                h.update(tag.as_bytes());
                h.update(&(bytes.len() as u64).to_le_bytes());
                h.update(bytes);
            }
        };
        field("format", FORMAT.as_bytes(), true);
        field("version", env!("CARGO_PKG_VERSION").as_bytes(), true);
        field("exe", exe_identity()?.as_bytes(), true);
        let root = opts.root.canonicalize().ok()?;
        field("root", root.as_os_str().as_encoded_bytes(), true);
        field("audience", opts.audience.as_str().as_bytes(), true);
        field("drafts", &[opts.drafts as u8], true);
        field("strict", &[opts.strict as u8], true);
        field("relative", &[opts.relative_urls as u8], true);
        field(
            "base_url",
            opts.base_url.as_deref().unwrap_or("\u{0}none").as_bytes(),
            true,
        );
        // Each entry's path relative to the site folder starts after the
        // folder's path and a separator.
        let root_len = root.as_os_str().len();
        let rel_at = match root.as_os_str().as_encoded_bytes().last() {
            Some(&b) if std::path::is_separator(b as char) => root_len,
            _ => root_len + 1,
        };
        // The inputs: the walk kept from the last fingerprint, updated for
        // the paths changed since, or the folders walked again.
        let kept = stamps.and_then(|s| s.take_walk());
        let (inputs, prior, removed) = match (kept, changed) {
            (Some(mut walk), Some(changed)) if walk.root == root && walk.rel_at == rel_at => {
                match walk.update(changed) {
                    Some(Updated { again, removed }) => {
                        (walk.inputs, Some((walk.digests, again)), removed)
                    }
                    None => (walk_inputs(&root, rel_at)?, None, Vec::new()),
                }
            }
            _ => (walk_inputs(&root, rel_at)?, None, Vec::new()),
        };
        // A file's bytes, or a link's target, enter by their hash; a
        // document's bytes are kept if asked. A file whose stamp is the one
        // it had when last read is not read again (see `InputStamps`).
        let settled = stamps.map(|s| std::time::SystemTime::now() - s.settled);
        let mut last = stamps.map(InputStamps::lock);
        let read: Vec<Option<Found>> = inputs
            .par_iter()
            .enumerate()
            .map(|(at, input)| {
                // Not among the paths changed: as the last fingerprint found it.
                if let Some((digests, again)) = &prior
                    && !again[at]
                {
                    return Some(Found::nothing(digests[at]));
                }
                let Input::Entry {
                    path,
                    kind: kind @ (Kind::File | Kind::Link),
                    ..
                } = input
                else {
                    return Some(Found::nothing(0));
                };
                if let Kind::Link = kind {
                    let target = std::fs::read_link(path).ok()?;
                    return Some(Found::nothing(xxhash_rust::xxh3::xxh3_128(
                        target.as_os_str().as_encoded_bytes(),
                    )));
                }
                let key = input.rel_bytes();
                if let Some(&digest) = known.and_then(|k| k.0.get(key)) {
                    return Some(Found::nothing(digest));
                }
                // Stamped before it is read: a write after the stamp gives
                // a new one, so the next build reads it again.
                let stamp = last.as_ref().and_then(|_| Stamp::of(path));
                if let (Some(last), Some(stamp)) = (&last, &stamp)
                    && let Some(&(was, digest)) = last.get(key)
                    && was == *stamp
                {
                    return Some(Found::nothing(digest));
                }
                let mut bytes = Vec::new();
                std::fs::File::open(path)
                    .and_then(|mut f| f.read_to_end(&mut bytes))
                    .ok()?;
                let digest = xxhash_rust::xxh3::xxh3_128(&bytes);
                let settled = stamp.filter(|s| settled.is_some_and(|t| s.settled_before(t)));
                let keep = keep_documents && is_document(key);
                Some(Found {
                    digest,
                    stamp: Some(settled),
                    bytes: keep.then_some(bytes),
                })
            })
            .collect();
        // The stamps the walk found, updated in place (a map of every input
        // made again at every build would be memory to fetch and zero
        // again): a file read has its new stamp, if settled, else none.
        if let Some(last) = &mut last {
            for rel in &removed {
                last.remove(&**rel);
            }
            // How many of the files found have a stamp kept.
            let mut stamped = 0;
            for (input, read) in inputs.iter().zip(&read) {
                let (
                    Input::Entry {
                        kind: Kind::File, ..
                    },
                    Some(read),
                ) = (input, read)
                else {
                    continue;
                };
                match read.stamp {
                    Some(Some(stamp)) => {
                        last.insert(input.rel_bytes().into(), (stamp, read.digest));
                        stamped += 1;
                    }
                    Some(None) => {
                        last.remove(input.rel_bytes());
                    }
                    // Taken by its kept stamp (or known from elsewhere).
                    None => stamped += 1,
                }
            }
            // A walk over every file (none known from elsewhere, so each
            // file not read was taken by its stamp) keeps the stamps of the
            // files it found alone: a file gone is forgotten.
            if known.is_none() && last.len() > stamped {
                let found: std::collections::HashSet<&[u8]> =
                    inputs.iter().map(Input::rel_bytes).collect();
                last.retain(|k, _| found.contains(&**k));
            }
        }
        drop(last);
        for (input, read) in inputs.iter().zip(&read) {
            let content = read.as_ref()?.digest.to_le_bytes();
            match input {
                Input::Absent(dir, charts) => field("absent", dir.as_bytes(), *charts),
                Input::Entry { kind, charts, .. } => {
                    let rel = input.rel_bytes();
                    match kind {
                        Kind::Dir => field("dir", rel, *charts),
                        Kind::Link => {
                            field("link", rel, *charts);
                            field("target", &content, *charts);
                        }
                        Kind::File => {
                            field("file", rel, *charts);
                            field("bytes", &content, *charts);
                        }
                        Kind::Other => field("other", rel, *charts),
                    }
                }
            }
        }
        // What the next fingerprint takes (see `Walk`).
        let digests = stamps.map(|_| digests_of(&read));
        // The documents, each with its digest, and its bytes if read.
        let (kept, data, documents) = match keep_documents {
            true => {
                let is_doc = |input: &Input| {
                    matches!(
                        input,
                        Input::Entry {
                            kind: Kind::File,
                            ..
                        }
                    ) && is_document(input.rel_bytes())
                };
                let count = inputs.iter().filter(|i| is_doc(i)).count();
                let mut kept = HashMap::with_capacity_and_hasher(count, Default::default());
                let mut data = HashMap::default();
                let mut documents = ByPath::with_capacity_and_hasher(count, Default::default());
                for (input, read) in inputs.iter().zip(read) {
                    let (
                        Input::Entry {
                            kind: Kind::File, ..
                        },
                        Some(read),
                    ) = (input, read)
                    else {
                        continue;
                    };
                    let rel = input.rel_bytes();
                    let doc = is_document(rel);
                    if doc {
                        documents.insert(rel.into(), read.digest);
                    } else if !is_content(rel) {
                        continue;
                    }
                    let Ok(rel) = std::str::from_utf8(rel) else {
                        continue;
                    };
                    #[cfg(windows)]
                    let rel = rel.replace('\\', "/");
                    if doc {
                        let ahead = Ahead {
                            bytes: read.bytes,
                            digest: read.digest,
                        };
                        kept.insert(rel.to_string(), ahead);
                    } else {
                        data.insert(rel.to_string(), read.digest);
                    }
                }
                (kept, data, Documents(documents))
            }
            false => Default::default(),
        };
        let fingerprints = Fingerprints {
            all: Fingerprint(h.digest128()),
            charts: Fingerprint(hc.digest128()),
        };
        if let (Some(stamps), Some(digests)) = (stamps, digests) {
            stamps.keep_walk(Walk {
                root,
                rel_at,
                digests,
                inputs,
            });
        }
        Some((
            fingerprints,
            ReadAhead::new(kept).knowing_data(data),
            documents,
        ))
    }
}

/// The digest each input was found with (all found, or the fingerprint
/// would have failed).
fn digests_of(read: &[Option<Found>]) -> Vec<u128> {
    read.iter()
        .map(|f| f.as_ref().map_or(0, |f| f.digest))
        .collect()
}

/// The source folders, in the order a fingerprint walks them.
const FOLDERS: [&str; 4] = crate::load::paths::SOURCES;

/// Whether charts can be drawn from what the source folder `dir` holds
/// (not from templates or static files).
fn charts_folder(dir: &str) -> bool {
    dir == crate::load::paths::CONTENT || dir == crate::load::paths::I18N
}

/// Every entry of the source folders of the site at `root` (each folder's
/// entries sorted by path), an absent folder as [`Input::Absent`]; `None`
/// if a folder cannot be walked.
fn walk_inputs(root: &Path, rel_at: usize) -> Option<Vec<Input>> {
    let mut inputs = Vec::new();
    for dir in FOLDERS {
        let in_charts = charts_folder(dir);
        let top = root.join(dir);
        match std::fs::symlink_metadata(&top) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                inputs.push(Input::Absent(dir, in_charts));
                continue;
            }
            Err(_) => return None,
            Ok(_) => {}
        }
        let start = inputs.len();
        for entry in walkdir::WalkDir::new(&top).follow_links(false) {
            let entry = entry.ok()?;
            let t = entry.file_type();
            let kind = if t.is_dir() {
                Kind::Dir
            } else if t.is_symlink() {
                Kind::Link
            } else if t.is_file() {
                Kind::File
            } else {
                // A socket or device: load does not read it, but to be safe...
                Kind::Other
            };
            let path = entry.into_path();
            // Under the site folder, as the walk started there.
            if path.as_os_str().len() < rel_at {
                return None;
            }
            let charts = in_charts && chart_input(rel_part(&path, rel_at), kind);
            inputs.push(Input::Entry {
                path,
                rel_at,
                kind,
                charts,
            });
        }
        // In one order whatever the order of the folder's entries
        // (bytes of the relative path: cheaper than by components).
        inputs[start..].sort_unstable_by(|a, b| a.rel_bytes().cmp(b.rel_bytes()));
    }
    Some(inputs)
}

/// How long before a fingerprint a file must have been written for its
/// stamp to be trusted by the next (see [`Stamp::settled_before`]).
const SETTLED: std::time::Duration = std::time::Duration::from_secs(2);

/// The stamp and digest of each input file a fingerprint read, by path
/// relative to the site folder, for the next fingerprint to take a file
/// whose stamp is unchanged without reading it (`rekap serve`, between
/// builds: a save of one release then reads one file, not ten thousand,
/// and opens none of the others, which a watcher would be told of).
///
/// A stamp (device, inode, length, modification and status-change times)
/// changes with every write and every rename onto the file; the status
/// time cannot be set back. Only the stamp of a file written at least two
/// seconds before it was taken is kept: a file written again within the
/// clock's tick could keep its stamp (see [`Stamp::settled_before`]), so a
/// file just saved is read again at the next build, after which its stamp
/// holds.
#[derive(Debug)]
pub struct InputStamps {
    stamps: std::sync::Mutex<ByPath<(Stamp, u128)>>,
    /// The inputs the last fingerprint found.
    walk: std::sync::Mutex<Option<Walk>>,
    /// How long before a fingerprint a file must have been written for its
    /// stamp to be kept ([`SETTLED`]; less in tests).
    settled: std::time::Duration,
}

impl Default for InputStamps {
    fn default() -> Self {
        InputStamps::settling(SETTLED)
    }
}

impl InputStamps {
    /// No stamp known: the next fingerprint reads every file.
    pub fn new() -> InputStamps {
        InputStamps::default()
    }

    /// No stamp known, and the stamps of files written at least `settled`
    /// before a fingerprint kept by it.
    fn settling(settled: std::time::Duration) -> InputStamps {
        InputStamps {
            stamps: Default::default(),
            walk: Default::default(),
            settled,
        }
    }

    /// How many files' stamps are known.
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    /// Whether no stamp is known.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// [`Fingerprints::of`], reading only the files whose stamps changed.
    pub fn fingerprints(&self, opts: &BuildOptions) -> Option<Fingerprints> {
        Fingerprints::reading(opts, false, None, Some(self), None).map(|(f, ..)| f)
    }

    /// [`Fingerprints::with_documents`], reading only the files whose
    /// stamps changed: a document not read comes with its digest alone
    /// (see [`ReadAhead`]).
    pub fn with_documents(
        &self,
        opts: &BuildOptions,
    ) -> (Option<Fingerprints>, ReadAhead, Documents) {
        self.with_documents_after(opts, None)
    }

    /// [`InputStamps::with_documents`] after the paths `changed` changed
    /// since the last fingerprint taken here (as a watcher running since
    /// before it reports them: every file written, created, removed or
    /// renamed under the source folders): the inputs that fingerprint
    /// walked are taken, with only the paths changed looked at again. A
    /// folder among them (made, removed or renamed: what is inside it was
    /// not reported one by one), a file under a folder not walked, a path
    /// outside the site folder, or too many paths, and the folders are
    /// walked again, as they are with `changed` `None` (the watcher lost
    /// track) or no walk kept.
    pub fn with_documents_after(
        &self,
        opts: &BuildOptions,
        changed: Option<&[PathBuf]>,
    ) -> (Option<Fingerprints>, ReadAhead, Documents) {
        Fingerprints::reading(opts, true, None, Some(self), changed)
            .map_or_else(Default::default, |(f, a, d)| (Some(f), a, d))
    }

    /// [`Fingerprints::knowing`], reading only the files whose stamps
    /// changed.
    pub fn knowing(&self, opts: &BuildOptions, documents: &Documents) -> Option<Fingerprints> {
        Fingerprints::reading(opts, false, Some(documents), Some(self), None).map(|(f, ..)| f)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, ByPath<(Stamp, u128)>> {
        self.stamps.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The inputs the last fingerprint walked, taken (none is left until a
    /// fingerprint succeeds again).
    fn take_walk(&self) -> Option<Walk> {
        self.walk.lock().unwrap_or_else(|e| e.into_inner()).take()
    }

    /// Keeps the inputs a fingerprint found, for the next.
    fn keep_walk(&self, walk: Walk) {
        *self.walk.lock().unwrap_or_else(|e| e.into_inner()) = Some(walk);
    }
}

/// The inputs one fingerprint found, in its order, each with its digest:
/// taken by the next, which is told which paths changed since (see
/// [`InputStamps::with_documents_after`]).
#[derive(Debug)]
struct Walk {
    /// The site folder (canonical) the walk started from.
    root: PathBuf,
    /// Where the path relative to it starts in each entry's path.
    rel_at: usize,
    inputs: Vec<Input>,
    /// The digest of each input (see [`Found`]).
    digests: Vec<u128>,
}

/// What [`Walk::update`] found.
struct Updated {
    /// Whether each input must be looked at again, by index.
    again: Vec<bool>,
    /// The paths (relative to the site folder) of the files gone.
    removed: Vec<Box<[u8]>>,
}

/// More paths changed at once than this, and the folders are walked again
/// (each change found in the walk is a binary search and may move the
/// entries after it: a checkout of another branch is cheaper walked).
const MOST_CHANGED: usize = 256;

impl Walk {
    /// This walk, updated for the paths `changed`: a file gone is taken out,
    /// a new file (in a folder walked) put in its place; returns which
    /// inputs, by index, must be looked at again (the files changed or new)
    /// and the paths of the files gone, or `None` if only a new walk can
    /// tell (see [`InputStamps::with_documents_after`]).
    fn update(&mut self, changed: &[PathBuf]) -> Option<Updated> {
        if changed.len() > MOST_CHANGED {
            return None;
        }
        let root = self.root.as_os_str().as_encoded_bytes().to_vec();
        let mut again: Vec<Box<[u8]>> = Vec::new();
        let mut removed = Vec::new();
        for path in changed {
            let bytes = path.as_os_str().as_encoded_bytes();
            let under = bytes.starts_with(&root)
                && bytes.len() > self.rel_at
                && (self.rel_at == root.len()
                    || std::path::is_separator(bytes[root.len()] as char));
            let plain = || {
                Path::new(std::ffi::OsStr::new(path.as_os_str()))
                    .strip_prefix(&self.root)
                    .is_ok_and(|rel| {
                        rel.components()
                            .all(|c| matches!(c, std::path::Component::Normal(_)))
                    })
            };
            if !under || !plain() {
                return None;
            }
            let rel = &bytes[self.rel_at..];
            let Some(group) = group_of(rel) else {
                // Beside the source folders: no input.
                continue;
            };
            let range = self.group(group)?;
            let found = self.find(range.clone(), rel);
            match (std::fs::symlink_metadata(path), found) {
                (Err(e), Ok(at)) if e.kind() == std::io::ErrorKind::NotFound => {
                    if matches!(self.kind(at), Some(Kind::Dir) | None) {
                        return None;
                    }
                    self.inputs.remove(at);
                    self.digests.remove(at);
                    removed.push(rel.into());
                }
                // Neither there nor known: made and removed since (a
                // temporary file).
                (Err(e), Err(_)) if e.kind() == std::io::ErrorKind::NotFound => {}
                (Ok(meta), Ok(at))
                    if meta.file_type().is_file() && matches!(self.kind(at), Some(Kind::File)) =>
                {
                    again.push(rel.into());
                }
                (Ok(meta), Err(at)) if meta.file_type().is_file() => {
                    // In a folder the walk found (or that folder is new too,
                    // and what else it holds unknown).
                    let parent = rel
                        .iter()
                        .rposition(|&b| std::path::is_separator(b as char))?;
                    let in_walked = self
                        .find(range, &rel[..parent])
                        .is_ok_and(|p| matches!(self.kind(p), Some(Kind::Dir)));
                    if !in_walked {
                        return None;
                    }
                    let charts = charts_folder(FOLDERS[group]) && chart_input(rel, Kind::File);
                    self.inputs.insert(
                        at,
                        Input::Entry {
                            path: path.clone(),
                            rel_at: self.rel_at,
                            kind: Kind::File,
                            charts,
                        },
                    );
                    self.digests.insert(at, 0);
                    again.push(rel.into());
                }
                _ => return None,
            }
        }
        let mut marks = vec![false; self.inputs.len()];
        for rel in &again {
            let group = group_of(rel)?;
            let at = self.find(self.group(group)?, rel).ok()?;
            marks[at] = true;
        }
        Some(Updated {
            again: marks,
            removed,
        })
    }

    /// Where the inputs of source folder `group` (an index of [`FOLDERS`])
    /// are; `None` if the folder was absent.
    fn group(&self, group: usize) -> Option<std::ops::Range<usize>> {
        let of = |i: &Input| group_of(i.rel_bytes()).unwrap_or(usize::MAX);
        let start = self.inputs.partition_point(|i| of(i) < group);
        let end = self.inputs.partition_point(|i| of(i) <= group);
        match self.inputs.get(start) {
            Some(Input::Entry { .. }) if start < end => Some(start..end),
            _ => None,
        }
    }

    /// The index of the input `rel` among `range`, or where it would go.
    fn find(&self, range: std::ops::Range<usize>, rel: &[u8]) -> Result<usize, usize> {
        let start = range.start;
        self.inputs[range]
            .binary_search_by(|i| i.rel_bytes().cmp(rel))
            .map(|i| i + start)
            .map_err(|i| i + start)
    }

    /// The kind of entry input `at` is (`None`: an absent folder).
    fn kind(&self, at: usize) -> Option<Kind> {
        match &self.inputs[at] {
            Input::Entry { kind, .. } => Some(*kind),
            Input::Absent(..) => None,
        }
    }
}

/// Which of the [`FOLDERS`] the path `rel` (relative to the site folder)
/// is in, or is.
fn group_of(rel: &[u8]) -> Option<usize> {
    let end = rel
        .iter()
        .position(|&b| std::path::is_separator(b as char))
        .unwrap_or(rel.len());
    FOLDERS.iter().position(|dir| dir.as_bytes() == &rel[..end])
}

/// The digest of each Markdown document a fingerprint read, by path
/// relative to the site folder (see [`Fingerprints::knowing`]).
#[derive(Debug, Default)]
pub struct Documents(ByPath<u128>);

/// A map by path relative to the site folder, as bytes (a `Path` hashes
/// and compares by components, parsed every time).
type ByPath<V> = HashMap<Box<[u8]>, V, ahash::RandomState>;

/// One input of [`Fingerprints::of`]: a folder that is absent, or an entry
/// of one, by its path, the part relative to the site folder starting at
/// byte `rel_at`.
#[derive(Debug)]
enum Input {
    Absent(&'static str, bool),
    Entry {
        path: PathBuf,
        rel_at: usize,
        kind: Kind,
        charts: bool,
    },
}

impl Input {
    /// Its path relative to the site folder, as bytes.
    fn rel_bytes(&self) -> &[u8] {
        match self {
            Input::Absent(dir, _) => dir.as_bytes(),
            Input::Entry { path, rel_at, .. } => rel_part(path, *rel_at),
        }
    }
}

/// The part of `path` from byte `rel_at` on: its path relative to the site
/// folder, as bytes.
fn rel_part(path: &Path, rel_at: usize) -> &[u8] {
    &path.as_os_str().as_encoded_bytes()[rel_at..]
}

/// What a fingerprint found of one input: the digest of its bytes (of a
/// link's target; 0 for a folder), the stamp of a file it read (`None`:
/// not read; `Some(None)`: read, with no stamp to trust), and the bytes of
/// a document read that are kept.
struct Found {
    digest: u128,
    stamp: Option<Option<Stamp>>,
    bytes: Option<Vec<u8>>,
}

impl Found {
    /// An input found with `digest`, no file read.
    fn nothing(digest: u128) -> Found {
        Found {
            digest,
            stamp: None,
            bytes: None,
        }
    }
}

/// What kind of entry an [`Input`] is.
#[derive(Debug, Clone, Copy)]
enum Kind {
    Dir,
    Link,
    File,
    Other,
}

/// Whether the entry `rel` (of `content/` or `i18n/`) of kind `kind` can
/// be what a chart is drawn from: not a document, and not a file the load
/// never reads as data. The load reads, besides documents, the settings,
/// the data files and the interface strings, all YAML, and figure files
/// in YAML, CSV or a spreadsheet; it passes over hidden files and the lock
/// files spreadsheet programs keep (`~$name.xlsx`), and any other file is
/// at most warned of. So an editor's swap, backup or test file
/// (`.a.md.swp`, `a.md~`, `4913`, `2019.yaml.tmp`) leaves the charts, the
/// report and the validated figures a build keeps for the next as they
/// are. Folders and links count (what they hold or point to is not
/// known here).
fn chart_input(rel: &[u8], kind: Kind) -> bool {
    if !matches!(kind, Kind::File) {
        return true;
    }
    if is_document(rel) {
        return false;
    }
    let name = match rel
        .iter()
        .rposition(|&b| std::path::is_separator(b as char))
    {
        Some(at) => &rel[at + 1..],
        None => rel,
    };
    if name.starts_with(b".") || name.starts_with(b"~$") {
        return false;
    }
    let ext = match name.iter().rposition(|&b| b == b'.') {
        Some(at) => &name[at + 1..],
        None => return false,
    };
    [&b"yaml"[..], b"yml", b"csv", b"xlsx", b"ods"].contains(&ext)
}

/// A file under `content/` (a document, the settings or a data file).
fn is_content(rel: &[u8]) -> bool {
    rel.starts_with(b"content")
        && rel
            .get(7)
            .is_some_and(|&b| std::path::is_separator(b as char))
}

/// A Markdown document of the site (a release, meeting or page, or a
/// translation of one): a `.md` file under `content/`, which no chart is
/// drawn from.
fn is_document(rel: &[u8]) -> bool {
    let sep = |i: usize| {
        rel.get(i)
            .is_some_and(|&b| std::path::is_separator(b as char))
    };
    // `content/…/NAME.md`, NAME not empty (`.md` alone has no extension).
    rel.starts_with(b"content") && sep(7) && rel.ends_with(b".md") && !sep(rel.len() - 4)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn any_change_of_input_or_option_changes_the_fingerprint() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("content/releases")).unwrap();
        std::fs::write(root.join("content/site.yaml"), "title: x\n").unwrap();
        std::fs::write(root.join("content/releases/a.md"), "a").unwrap();
        let opts = BuildOptions::new(root);
        let a = Fingerprint::of(&opts).unwrap();
        assert_eq!(Fingerprint::of(&opts), Some(a));
        std::fs::write(root.join("content/releases/a.md"), "b").unwrap();
        let b = Fingerprint::of(&opts).unwrap();
        assert_ne!(a, b);
        std::fs::rename(
            root.join("content/releases/a.md"),
            root.join("content/releases/c.md"),
        )
        .unwrap();
        let c = Fingerprint::of(&opts).unwrap();
        assert_ne!(b, c);
        std::fs::create_dir_all(root.join("static")).unwrap();
        let d = Fingerprint::of(&opts).unwrap();
        assert_ne!(c, d);
        let mut drafts = opts.clone();
        drafts.drafts = true;
        assert_ne!(Fingerprint::of(&drafts), Some(d));
    }

    /// A release of the test sites with body text `body`.
    fn release(body: &str) -> String {
        format!("---\ntitle: T\ndate: 2017-01-02\n---\n{body}\n")
    }

    /// A site of two releases (`rilis a`, `rilis b`), its settings, a
    /// metrics file (`m`) and a templates folder.
    fn two_releases() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for d in ["content/releases", "content/data", "templates"] {
            std::fs::create_dir_all(root.join(d)).unwrap();
        }
        let put = |rel: &str, text: &str| std::fs::write(root.join(rel), text).unwrap();
        put("content/site.yaml", "title: x\n");
        put("content/releases/a.md", &release("rilis a"));
        put("content/releases/b.md", &release("rilis b"));
        put("content/data/metrics.yaml", "m");
        dir
    }

    #[test]
    fn the_documents_read_for_the_fingerprint_are_kept_for_the_load_and_taken_once() {
        let dir = two_releases();
        let root = dir.path();
        let put = |rel: &str, text: &str| std::fs::write(root.join(rel), text).unwrap();
        put("templates/page.html", "t");
        let opts = BuildOptions::new(root);
        let (fingerprints, ahead, documents) = Fingerprints::with_documents(&opts);
        let fingerprints = fingerprints.unwrap();
        assert_eq!(
            fingerprints,
            Fingerprints::of(&opts).unwrap(),
            "the same fingerprints"
        );
        // The Markdown documents only: not the data, settings or templates.
        assert_eq!(ahead.len(), 2);
        let cache = crate::load::LoadCache::new().reading_ahead(ahead);
        let mut diags = crate::diagnostics::Diagnostics::new();
        // The load takes each document as it was fingerprinted, even if it
        // changed since (the second fingerprint then tells).
        put("content/releases/a.md", &release("rilis c"));
        let mut bodies = |cache| {
            let sources = crate::load::load_with(root, &mut diags, Some(cache));
            let mut bodies: Vec<String> = sources
                .releases
                .iter()
                .map(|r| r.body.trim().to_string())
                .collect();
            bodies.sort();
            bodies
        };
        assert_eq!(bodies(&cache), ["rilis a", "rilis b"]);
        assert!(
            cache.took_all_read_ahead(),
            "every document taken, none read"
        );
        // The build was made from the documents as they were read: the
        // fingerprint after it takes them so, and reads the other inputs.
        assert_eq!(Fingerprints::knowing(&opts, &documents), Some(fingerprints));
        assert_ne!(Fingerprints::of(&opts), Some(fingerprints), "a.md changed");
        put("content/data/metrics.yaml", "n");
        assert_ne!(
            Fingerprints::knowing(&opts, &documents).map(|f| f.charts),
            Some(fingerprints.charts),
            "the data changed"
        );
        put("content/data/metrics.yaml", "m");
        put("content/releases/d.md", &release("rilis d"));
        assert_ne!(
            Fingerprints::knowing(&opts, &documents),
            Some(fingerprints),
            "a document added is read"
        );
        // Taken once: a second load reads the files, and says so.
        assert_eq!(bodies(&cache), ["rilis b", "rilis c", "rilis d"]);
        assert!(!cache.took_all_read_ahead());
        // A document read ahead and not loaded is not taken.
        let (_, ahead, _) = Fingerprints::with_documents(&opts);
        std::fs::remove_file(root.join("content/releases/d.md")).unwrap();
        cache.read_ahead(ahead);
        bodies(&cache);
        assert!(!cache.took_all_read_ahead(), "d.md was left");
        let (_, ahead, _) = Fingerprints::with_documents(&opts);
        cache.read_ahead(ahead);
        bodies(&cache);
        assert!(cache.took_all_read_ahead(), "a new read ahead, all taken");
    }

    #[test]
    fn a_file_whose_stamp_is_unchanged_is_not_read_again() {
        let dir = two_releases();
        let root = dir.path();
        let put = |rel: &str, text: &str| std::fs::write(root.join(rel), text).unwrap();
        let opts = BuildOptions::new(root);
        let bytes_of = |ahead: &ReadAhead, rel: &str| {
            ahead
                .bytes_of(rel)
                .unwrap()
                .map(|b| String::from_utf8(b).unwrap())
        };

        // Every file written before the fingerprint counts as settled here.
        let stamps = InputStamps::settling(std::time::Duration::ZERO);
        let (first, ahead, _) = stamps.with_documents(&opts);
        assert_eq!(first, Fingerprints::of(&opts), "the same as reading all");
        assert!(
            bytes_of(&ahead, "content/releases/a.md").is_some(),
            "no stamp yet: read"
        );
        assert_eq!(
            stamps.len(),
            4,
            "site.yaml, metrics.yaml, a.md and b.md: files, not folders"
        );

        // Nothing changed: no document is read, each comes by its digest.
        let (second, ahead, documents) = stamps.with_documents(&opts);
        assert_eq!(second, first);
        assert_eq!(bytes_of(&ahead, "content/releases/a.md"), None);
        assert_eq!(bytes_of(&ahead, "content/releases/b.md"), None);
        assert_eq!(stamps.knowing(&opts, &documents), first);

        // Written again, same length: a new stamp, so read.
        std::thread::sleep(std::time::Duration::from_millis(20));
        put("content/releases/a.md", &release("rilis c"));
        put("content/data/metrics.yaml", "n");
        let (third, ahead, _) = stamps.with_documents(&opts);
        assert_eq!(third, Fingerprints::of(&opts));
        assert_ne!(third, first);
        assert_eq!(
            bytes_of(&ahead, "content/releases/a.md"),
            Some(release("rilis c"))
        );
        assert_eq!(bytes_of(&ahead, "content/releases/b.md"), None);
        // Saved by rename, as editors do, with the same bytes: read, same print.
        put("content/releases/b.tmp", &release("rilis b"));
        std::fs::rename(
            root.join("content/releases/b.tmp"),
            root.join("content/releases/b.md"),
        )
        .unwrap();
        let (fourth, ahead, _) = stamps.with_documents(&opts);
        assert_eq!(fourth, third);
        assert_eq!(
            bytes_of(&ahead, "content/releases/b.md"),
            Some(release("rilis b"))
        );

        // A file gone is forgotten, and comes back read.
        std::fs::remove_file(root.join("content/releases/b.md")).unwrap();
        let (fifth, ..) = stamps.with_documents(&opts);
        assert_eq!(fifth, Fingerprints::of(&opts));
        assert_eq!(stamps.len(), 3, "b.md forgotten");
        put("content/releases/b.md", &release("rilis b"));
        let (sixth, ahead, _) = stamps.with_documents(&opts);
        assert_eq!(sixth, fourth);
        assert!(bytes_of(&ahead, "content/releases/b.md").is_some());
        assert_eq!(stamps.len(), 4);

        // A file just written is read until its stamp has settled, and
        // keeps no stamp meanwhile.
        let fresh = InputStamps::new();
        fresh.with_documents(&opts);
        let (_, ahead, _) = fresh.with_documents(&opts);
        assert!(
            bytes_of(&ahead, "content/releases/b.md").is_some(),
            "written a moment ago"
        );
        assert_eq!(fresh.len(), 0, "nothing settled");
    }

    #[test]
    fn after_a_watcher_reports_the_paths_changed_only_those_are_looked_at() {
        let dir = two_releases();
        let root = dir.path().canonicalize().unwrap();
        let put = |rel: &str, text: &str| std::fs::write(root.join(rel), text).unwrap();
        let opts = BuildOptions::new(&root);
        let stamps = InputStamps::settling(std::time::Duration::ZERO);
        let after = |changed: &[&str]| {
            let paths: Vec<PathBuf> = changed.iter().map(|rel| root.join(rel)).collect();
            stamps.with_documents_after(&opts, Some(&paths))
        };
        let (first, ..) = stamps.with_documents_after(&opts, None);
        assert_eq!(first, Fingerprints::of(&opts));
        std::thread::sleep(std::time::Duration::from_millis(20));

        // Written, made, removed, renamed over (an editor's save), and a
        // scratch file: the paths reported give what a walk gives.
        put("content/releases/a.md", &release("rilis c"));
        put("content/releases/new.md", &release("rilis baru"));
        std::fs::remove_file(root.join("content/releases/b.md")).unwrap();
        put("content/data/metrics.tmp", "n");
        std::fs::rename(
            root.join("content/data/metrics.tmp"),
            root.join("content/data/metrics.yaml"),
        )
        .unwrap();
        put("content/releases/.a.md.swp", "x");
        let (second, ahead, _) = after(&[
            "content/releases/a.md",
            "content/releases/new.md",
            "content/releases/b.md",
            "content/data/metrics.tmp",
            "content/data/metrics.yaml",
            "content/releases/.a.md.swp",
        ]);
        assert_eq!(second, Fingerprints::of(&opts));
        assert_ne!(second, first);
        assert_eq!(ahead.len(), 2, "a.md and new.md: b.md is gone");
        assert!(ahead.bytes_of("content/releases/new.md").unwrap().is_some());
        assert_eq!(
            stamps.len(),
            5,
            "site.yaml, metrics.yaml, a.md, new.md and .a.md.swp: b.md forgotten"
        );

        // What is not reported is not looked at: that is where the time goes.
        std::thread::sleep(std::time::Duration::from_millis(20));
        put("content/data/metrics.yaml", "o");
        let (unseen, ..) = after(&[]);
        assert_eq!(unseen, second, "a change not reported is not seen");
        let (seen, ..) = after(&["content/data/metrics.yaml"]);
        assert_eq!(seen, Fingerprints::of(&opts));
        assert_ne!(seen, second);

        // A folder, a path outside the site, or too many paths: walked.
        let walked = |changed: &[PathBuf]| {
            std::thread::sleep(std::time::Duration::from_millis(20));
            put("content/site.yaml", &format!("title: {}\n", changed.len()));
            let (print, ..) = stamps.with_documents_after(&opts, Some(changed));
            assert_eq!(print, Fingerprints::of(&opts), "{changed:?}");
        };
        std::fs::create_dir(root.join("content/releases/2018")).unwrap();
        put("content/releases/2018/x.md", &release("rilis x"));
        walked(&[root.join("content/releases/2018")]);
        walked(&[root.join("../elsewhere.md")]);
        walked(&[dir.path().join("content/../content/releases/a.md")]);
        let many: Vec<PathBuf> = (0..=MOST_CHANGED)
            .map(|i| root.join(format!("content/releases/{i}.md")))
            .collect();
        walked(&many);
        // A file in a folder made since, reported without its folder: walked.
        std::fs::create_dir(root.join("templates/partials")).unwrap();
        put("templates/partials/x.html", "t");
        walked(&[root.join("templates/partials/x.html")]);
        // A source folder made (reported as itself): walked.
        std::fs::create_dir(root.join("i18n")).unwrap();
        put("i18n/en.yaml", "a: b\n");
        walked(&[root.join("i18n")]);
        // No paths known (the watcher lost track): walked.
        std::thread::sleep(std::time::Duration::from_millis(20));
        put("i18n/en.yaml", "a: c\n");
        let (print, ..) = stamps.with_documents_after(&opts, None);
        assert_eq!(print, Fingerprints::of(&opts));
    }

    #[test]
    fn a_document_known_by_its_digest_is_taken_as_parsed_before() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("content/releases")).unwrap();
        let put = |rel: &str, text: &str| std::fs::write(root.join(rel), text).unwrap();
        put("content/site.yaml", "title: x\n");
        put("content/releases/a.md", &release("rilis a"));
        put("content/releases/b.md", &release("rilis b"));
        let opts = BuildOptions::new(root);
        let stamps = InputStamps::settling(std::time::Duration::ZERO);
        let cache = crate::load::LoadCache::new();
        let load = || {
            let (_, ahead, _) = stamps.with_documents(&opts);
            cache.read_ahead(ahead);
            let sources = crate::load::load_with(root, &mut Default::default(), Some(&cache));
            let mut bodies: Vec<_> = sources
                .releases
                .iter()
                .map(|r| r.body.trim().to_string())
                .collect();
            bodies.sort();
            (bodies, sources.releases)
        };
        let (bodies, first) = load();
        assert_eq!(bodies, ["rilis a", "rilis b"]);
        let (bodies, second) = load();
        assert_eq!(bodies, ["rilis a", "rilis b"]);
        assert!(cache.took_all_read_ahead(), "every document taken as known");
        assert!(
            first
                .iter()
                .zip(&second)
                .all(|(a, b)| std::sync::Arc::ptr_eq(a, b)),
            "the releases parsed before"
        );
        // One changed: that one parsed again, the other kept.
        std::thread::sleep(std::time::Duration::from_millis(20));
        put("content/releases/b.md", &release("rilis d"));
        let (bodies, third) = load();
        assert_eq!(bodies, ["rilis a", "rilis d"]);
        assert!(cache.took_all_read_ahead());
        let a = |all: &[std::sync::Arc<crate::model::Release>]| {
            all.iter()
                .find(|r| r.body.contains("rilis a"))
                .unwrap()
                .clone()
        };
        assert!(std::sync::Arc::ptr_eq(&a(&first), &a(&third)));
        // A document known but no longer kept by the cache is read.
        let (_, ahead, _) = stamps.with_documents(&opts);
        let empty = crate::load::LoadCache::new();
        empty.read_ahead(ahead);
        let sources = crate::load::load_with(root, &mut Default::default(), Some(&empty));
        assert_eq!(sources.releases.len(), 2);
        assert!(!empty.took_all_read_ahead(), "it read them itself");
    }

    #[test]
    fn a_data_file_known_by_its_digest_is_taken_as_parsed_before_without_reading_it() {
        let dir = two_releases();
        let root = dir.path();
        let put = |rel: &str, text: &str| std::fs::write(root.join(rel), text).unwrap();
        std::fs::create_dir_all(root.join("content/data/figures")).unwrap();
        let figures = |actual: u32| {
            format!(
                "source: s\nfigures:\n  - entity: e\n    metric: m\n    period: 2017\n    actual: {actual}\n"
            )
        };
        put("content/data/figures/2017.yaml", &figures(1));
        let opts = BuildOptions::new(root);
        let stamps = InputStamps::settling(std::time::Duration::ZERO);
        let actuals = |cache: &crate::load::LoadCache| {
            let sources = crate::load::load_with(root, &mut Default::default(), Some(cache));
            let f: Vec<_> = sources.figures.iter().map(|f| f.actual).collect();
            format!("{f:?}")
        };
        // What a fingerprint finds now, for a load to take.
        let found = || stamps.with_documents(&opts).1;
        // The figure file written again, with a new stamp.
        let rewrite = |actual: u32| {
            std::thread::sleep(std::time::Duration::from_millis(20));
            put("content/data/figures/2017.yaml", &figures(actual));
        };
        let cache = crate::load::LoadCache::new();
        cache.read_ahead(found());
        let first = actuals(&cache);
        assert_eq!(first, "[Some(1.0)]");

        // Found unchanged, then written before the load: the load takes
        // what it parsed of the bytes found (the fingerprint after the
        // build tells the change), without reading the file.
        let ahead = found();
        rewrite(2);
        cache.read_ahead(ahead);
        assert_eq!(actuals(&cache), first, "taken by the digest found");

        // Found as it now is: read and parsed.
        cache.read_ahead(found());
        let second = actuals(&cache);
        assert_eq!(second, "[Some(2.0)]");

        // Nothing kept under the digest found: the file is read, and what
        // is parsed is kept under the digest of the bytes read, never
        // under the one found.
        let found_two = found();
        rewrite(3);
        let fresh = crate::load::LoadCache::new();
        fresh.read_ahead(found_two);
        assert_eq!(actuals(&fresh), "[Some(3.0)]", "read as it is");
        rewrite(2);
        fresh.read_ahead(found());
        assert_eq!(actuals(&fresh), second, "the bytes of 2, parsed as 2");
    }

    #[test]
    fn the_charts_fingerprint_ignores_documents_templates_and_static_files() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for d in [
            "content/releases",
            "content/data/figures",
            "templates",
            "static",
            "i18n",
        ] {
            std::fs::create_dir_all(root.join(d)).unwrap();
        }
        let put = |rel: &str, text: &str| std::fs::write(root.join(rel), text).unwrap();
        put("content/site.yaml", "title: x\n");
        put("content/releases/a.md", "a");
        put("content/data/metrics.yaml", "m");
        let opts = BuildOptions::new(root);
        let first = Fingerprints::of(&opts).unwrap();
        // Documents, templates and static files: only `all` changes; data,
        // settings and interface strings: both change.
        for (rel, text, charts_change) in [
            ("content/releases/a.md", "b", false),
            ("content/releases/a.en.md", "c", false),
            ("templates/page.html", "t", false),
            ("static/x.css", "s", false),
            // What editors and spreadsheet programs leave beside a file,
            // which the load never reads as data.
            ("content/releases/.a.md.swp", "x", false),
            ("content/releases/a.md~", "x", false),
            ("content/data/4913", "", false),
            ("content/data/figures/2018.yaml.tmp", "x", false),
            ("content/data/figures/~$2018.xlsx", "x", false),
            ("content/data/.metrics.yaml.swp", "x", false),
            ("content/data/metrics.yaml", "n", true),
            ("content/data/figures.csv", "f", true),
            ("content/data/figures/2018.ods", "o", true),
            ("content/data/figures/2018.yml", "y", true),
            ("content/site.yaml", "title: y\n", true),
            ("i18n/en.yaml", "i", true),
        ] {
            let before = Fingerprints::of(&opts).unwrap();
            put(rel, text);
            let after = Fingerprints::of(&opts).unwrap();
            assert_ne!(before.all, after.all, "{rel}");
            assert_eq!(before.charts != after.charts, charts_change, "{rel}");
            if !charts_change {
                assert_eq!(after.charts, first.charts, "{rel}");
            }
        }
    }
}

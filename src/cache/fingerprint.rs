//! The fingerprints of a build's inputs (see the [module](super) on what
//! they cover): every input read and hashed, in parallel, before a build
//! and again after it.

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
    /// under `content/` and the `templates/` and `static/` folders. A chart
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
        Fingerprints::reading(opts, false, None, None).map(|(f, ..)| f)
    }

    /// [`Fingerprints::of`], taking the bytes of each document in
    /// `documents` to be those it was read with for them (the digest kept
    /// there) instead of reading it again: for the fingerprint after a
    /// build that loaded exactly the documents read for the one before it
    /// (see [`ReadAhead::took_all`]), which only the other inputs can make
    /// differ. A document not in `documents` is read.
    pub fn knowing(opts: &BuildOptions, documents: &Documents) -> Option<Fingerprints> {
        Fingerprints::reading(opts, false, Some(documents), None).map(|(f, ..)| f)
    }

    /// [`Fingerprints::of`], and the bytes of the Markdown documents under
    /// `content/` as they were hashed (by path relative to the site
    /// folder), for the load to take instead of reading them again: then
    /// what is loaded is exactly what was fingerprinted. No fingerprint
    /// (an input cannot be read) comes with no document.
    /// The documents come with the digest of each (see
    /// [`Fingerprints::knowing`]).
    pub fn with_documents(opts: &BuildOptions) -> (Option<Fingerprints>, ReadAhead, Documents) {
        Fingerprints::reading(opts, true, None, None)
            .map_or_else(Default::default, |(f, a, d)| (Some(f), a, d))
    }

    fn reading(
        opts: &BuildOptions,
        keep_documents: bool,
        known: Option<&Documents>,
        stamps: Option<&InputStamps>,
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
        let mut inputs = Vec::new();
        for dir in [
            "content",
            crate::load::paths::TEMPLATES,
            crate::load::paths::STATIC,
            crate::load::paths::I18N,
        ] {
            let in_charts = dir == "content" || dir == crate::load::paths::I18N;
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
                let rel = path.strip_prefix(&root).ok()?;
                let charts = in_charts && !is_document(rel);
                inputs.push(Input::Entry {
                    rel: rel.to_path_buf(),
                    kind,
                    charts,
                });
            }
            // In one order whatever the order of the folder's entries
            // (bytes of the relative path: cheaper than by components).
            inputs[start..].sort_unstable_by(|a, b| a.rel_bytes().cmp(b.rel_bytes()));
        }
        // A file's bytes, or a link's target, enter by their hash; a
        // document's bytes are kept if asked. A file whose stamp is the one
        // it had when last read is not read again (see `InputStamps`).
        let settled = stamps.map(|s| std::time::SystemTime::now() - s.settled);
        let last = stamps.map(InputStamps::lock);
        let stamped = std::sync::Mutex::new(ByPath::default());
        let kept = std::sync::Mutex::new(HashMap::default());
        let contents: Vec<Option<u128>> = inputs
            .par_iter()
            .map(|input| match input {
                Input::Entry {
                    rel,
                    kind: Kind::File,
                    ..
                } => {
                    let key = rel.as_os_str().as_encoded_bytes();
                    if let Some(&digest) = known.and_then(|k| k.0.get(key)) {
                        return Some(digest);
                    }
                    let keep = keep_documents && is_document(rel);
                    let keep = |bytes, digest| {
                        if keep && let Some(rel) = rel.to_str() {
                            #[cfg(windows)]
                            let rel = rel.replace('\\', "/");
                            kept.lock()
                                .unwrap_or_else(|e| e.into_inner())
                                .insert(rel.to_string(), Ahead { bytes, digest });
                        }
                    };
                    // Stamped before it is read: a write after the stamp
                    // gives a new one, so the next build reads it again.
                    let stamp = last.as_ref().and_then(|_| Stamp::of(&root.join(rel)));
                    if let (Some(last), Some(stamp)) = (&last, &stamp)
                        && let Some(&(was, digest)) = last.get(key)
                        && was == *stamp
                    {
                        stamped
                            .lock()
                            .unwrap_or_else(|e| e.into_inner())
                            .insert(key.into(), (was, digest));
                        keep(None, digest);
                        return Some(digest);
                    }
                    let mut bytes = Vec::new();
                    std::fs::File::open(root.join(rel))
                        .and_then(|mut f| f.read_to_end(&mut bytes))
                        .ok()?;
                    let digest = xxhash_rust::xxh3::xxh3_128(&bytes);
                    if let Some(stamp) =
                        stamp.filter(|s| settled.is_some_and(|t| s.settled_before(t)))
                    {
                        stamped
                            .lock()
                            .unwrap_or_else(|e| e.into_inner())
                            .insert(key.into(), (stamp, digest));
                    }
                    keep(Some(bytes), digest);
                    Some(digest)
                }
                Input::Entry {
                    rel,
                    kind: Kind::Link,
                    ..
                } => {
                    let target = std::fs::read_link(root.join(rel)).ok()?;
                    Some(xxhash_rust::xxh3::xxh3_128(
                        target.as_os_str().as_encoded_bytes(),
                    ))
                }
                _ => Some(0),
            })
            .collect();
        drop(last);
        if let Some(stamps) = stamps {
            stamps.update(
                stamped.into_inner().unwrap_or_else(|e| e.into_inner()),
                known.is_none(),
            );
        }
        for (input, content) in inputs.iter().zip(&contents) {
            let content = (*content)?.to_le_bytes();
            match input {
                Input::Absent(dir, charts) => field("absent", dir.as_bytes(), *charts),
                Input::Entry { rel, kind, charts } => {
                    let rel = rel.as_os_str().as_encoded_bytes();
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
        let kept = kept.into_inner().unwrap_or_else(|e| e.into_inner());
        let documents = match keep_documents {
            true => Documents(
                inputs
                    .iter()
                    .zip(&contents)
                    .filter_map(|(input, digest)| match input {
                        Input::Entry {
                            rel,
                            kind: Kind::File,
                            ..
                        } if is_document(rel) => {
                            Some((rel.as_os_str().as_encoded_bytes().into(), (*digest)?))
                        }
                        _ => None,
                    })
                    .collect(),
            ),
            false => Documents::default(),
        };
        Some((
            Fingerprints {
                all: Fingerprint(h.digest128()),
                charts: Fingerprint(hc.digest128()),
            },
            ReadAhead::new(kept),
            documents,
        ))
    }
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
        Fingerprints::reading(opts, false, None, Some(self)).map(|(f, ..)| f)
    }

    /// [`Fingerprints::with_documents`], reading only the files whose
    /// stamps changed: a document not read comes with its digest alone
    /// (see [`ReadAhead`]).
    pub fn with_documents(
        &self,
        opts: &BuildOptions,
    ) -> (Option<Fingerprints>, ReadAhead, Documents) {
        Fingerprints::reading(opts, true, None, Some(self))
            .map_or_else(Default::default, |(f, a, d)| (Some(f), a, d))
    }

    /// [`Fingerprints::knowing`], reading only the files whose stamps
    /// changed.
    pub fn knowing(&self, opts: &BuildOptions, documents: &Documents) -> Option<Fingerprints> {
        Fingerprints::reading(opts, false, Some(documents), Some(self)).map(|(f, ..)| f)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, ByPath<(Stamp, u128)>> {
        self.stamps.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Takes the stamps a fingerprint found: in place of all (it looked at
    /// every file) or added to them (it took some files' digests from
    /// elsewhere, and looked only at the others).
    fn update(&self, found: ByPath<(Stamp, u128)>, all: bool) {
        let mut s = self.lock();
        if all {
            *s = found;
        } else {
            s.extend(found);
        }
    }
}

/// The digest of each Markdown document a fingerprint read, by path
/// relative to the site folder (see [`Fingerprints::knowing`]).
#[derive(Debug, Default)]
pub struct Documents(ByPath<u128>);

/// A map by path relative to the site folder, as bytes (a `Path` hashes
/// and compares by components, parsed every time).
type ByPath<V> = HashMap<Box<[u8]>, V, ahash::RandomState>;

/// One input of [`Fingerprints::of`]: a folder that is absent, or an entry
/// of one, by its path relative to the site folder.
enum Input {
    Absent(&'static str, bool),
    Entry {
        rel: PathBuf,
        kind: Kind,
        charts: bool,
    },
}

impl Input {
    fn rel_bytes(&self) -> &[u8] {
        match self {
            Input::Absent(dir, _) => dir.as_bytes(),
            Input::Entry { rel, .. } => rel.as_os_str().as_encoded_bytes(),
        }
    }
}

/// What kind of entry an [`Input`] is.
#[derive(Clone, Copy)]
enum Kind {
    Dir,
    Link,
    File,
    Other,
}

/// A Markdown document of the site (a release, meeting or page, or a
/// translation of one): a `.md` file under `content/`, which no chart is
/// drawn from.
fn is_document(rel: &Path) -> bool {
    let rel = rel.as_os_str().as_encoded_bytes();
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

        // A file just written is read until its stamp has settled.
        let fresh = InputStamps::new();
        fresh.with_documents(&opts);
        let (_, ahead, _) = fresh.with_documents(&opts);
        assert!(
            bytes_of(&ahead, "content/releases/b.md").is_some(),
            "written a moment ago"
        );
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
    fn the_charts_fingerprint_ignores_documents_templates_and_static_files() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for d in [
            "content/releases",
            "content/data",
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
            ("content/data/metrics.yaml", "n", true),
            ("content/data/figures.csv", "f", true),
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

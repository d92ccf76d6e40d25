//! Stage 5, **write**: build the complete new site in a staging folder beside
//! the output, then put it in the output's place in one atomic step.
//!
//! - **All or nothing.** The output folder holds the previous site or the
//!   new one, never a mix, whenever the build stops: a failed build removes
//!   its staging folder and leaves the output byte-identical; a killed one
//!   leaves the output as it was, and its staging folder for the next build
//!   to remove. On Linux the switch is `renameat2(RENAME_EXCHANGE)`;
//!   elsewhere (and on a file system that cannot exchange) two renames, with
//!   a short moment without an output folder (see `place::portable_switch`).
//! - **Only what changed is written.** A file of the previous build that
//!   still holds exactly the bytes the build makes is hard-linked into the
//!   new site instead of written again (no data written; see [`Staging`]).
//!   The previous site's folders are kept beside the output after the
//!   exchange (`<output>.rekap-spare`, sharing every file with the site) and
//!   reused as the next staging folder, so that a rebuild creates and
//!   removes no folders (see `spare`).
//! - **One build at a time** per output, by a lock beside it ([`OutputLock`]).
//! - **Never outside the output, never through a link**: paths are checked,
//!   an output that is a link is refused, files are created new (never
//!   opened for writing if they exist), and the previous build's files are
//!   only kept when the output holds no link at all.

mod lock;
mod manifest;
mod output;
mod place;
mod spare;
mod stamp;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;
use std::io::{Read, Write};
use std::path::{Component, Path, PathBuf};

use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

use rayon::prelude::*;

use crate::model::Audience;
pub use lock::OutputLock;
use manifest::Entry;
pub use output::{Collect, Contents, Kept, OutputFile, Sink};
use place::Place;
use spare::{Found, Listing, Recycled};
pub use stamp::{Stamp, stamps};

/// Name of the marker file rekap leaves in every output folder.
pub const MARKER: &str = ".rekap-build";

/// Why the site could not be written. Every such error is found before the
/// output is touched: the previous site is left as it was.
#[derive(Debug)]
pub struct WriteError {
    path: PathBuf,
    kind: WriteErrorKind,
}

#[derive(Debug)]
enum WriteErrorKind {
    Io { doing: Doing, error: std::io::Error },
    UnsafePath(String),
    RefusedName { name: String, refused: char },
    Collision(String),
    NotOurs,
    OtherAudience { found: String, wanted: String },
    Locked { lock: PathBuf, holder: Option<u32> },
    MountPoint,
    Link { target: Option<PathBuf> },
    Unnamed,
}

/// What the write stage was doing when an I/O error struck.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Doing {
    Inspect,
    Lock,
    CreateFolder,
    ReadSource,
    Write,
    Keep,
    Switch,
}

impl Doing {
    fn what(self) -> &'static str {
        match self {
            Doing::Inspect => "examine it",
            Doing::Lock => "lock the output folder with it",
            Doing::CreateFolder => "create this folder",
            Doing::ReadSource => "read this file to copy it into the site",
            Doing::Write => "write this file of the new site (in the staging folder)",
            Doing::Keep => "keep this file of the previous build",
            Doing::Switch => "put the new site in place of this folder",
        }
    }
}

impl WriteError {
    fn io(path: &Path, doing: Doing, error: std::io::Error) -> WriteError {
        WriteError {
            path: path.to_path_buf(),
            kind: WriteErrorKind::Io { doing, error },
        }
    }

    /// The path the error is about.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Whether the error is that another build holds the output's lock.
    pub fn is_locked(&self) -> bool {
        matches!(self.kind, WriteErrorKind::Locked { .. })
    }
}

impl fmt::Display for WriteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let p = self.path.display();
        match &self.kind {
            WriteErrorKind::Io { doing, error } => write!(
                f,
                "{p}: cannot {}: {error}; the previous site was left as it was: fix the cause and build again",
                doing.what()
            ),
            WriteErrorKind::UnsafePath(s) => write!(
                f,
                "refusing to write `{s}`: the path would leave the output folder"
            ),
            WriteErrorKind::RefusedName { name, refused } => write!(
                f,
                "{:?}: refusing to write the file {name:?}: its name holds the control character U+{:04X}; \
                 names with control characters (line breaks, tab, carriage return and the like) are refused: rename the file",
                self.path, *refused as u32
            ),
            WriteErrorKind::Collision(s) => write!(
                f,
                "two files would be written to `{s}` (a static file and a generated page?)"
            ),
            WriteErrorKind::NotOurs => write!(
                f,
                "{p} exists, is not empty and was not written by rekap; choose another --output or remove it"
            ),
            WriteErrorKind::OtherAudience { found, wanted } => write!(
                f,
                "{p} holds {} build; refusing to write {} build over it (pass --force to do so)",
                with_article(found),
                with_article(wanted)
            ),
            WriteErrorKind::Locked { lock, holder } => {
                write!(f, "{p}: another rekap build")?;
                if let Some(pid) = holder {
                    write!(f, " (process {pid})")?;
                }
                write!(
                    f,
                    " is writing this output folder (it holds the lock {}); nothing was changed: \
                     wait until it has finished, then build again",
                    lock.display()
                )
            }
            WriteErrorKind::MountPoint => write!(
                f,
                "{p} is a mount point (a volume, or a folder mounted there); rekap puts a new site in place \
                 by exchanging the whole folder, which cannot be done to a mount point, so nothing was changed: \
                 build into a folder inside it instead (for example --output {}) and serve that folder",
                self.path.join("site").display()
            ),
            WriteErrorKind::Link { target } => {
                write!(f, "{p} is a symbolic link")?;
                if let Some(t) = target {
                    write!(f, " to {}", t.display())?;
                }
                write!(
                    f,
                    "; rekap never writes through a link, so nothing was changed: pass the folder itself as --output"
                )
            }
            WriteErrorKind::Unnamed => write!(
                f,
                "{p}: the output must be a named folder (not `/`, `.` of the root, or ending in `..`); choose another --output"
            ),
        }
    }
}

impl std::error::Error for WriteError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.kind {
            WriteErrorKind::Io { error, .. } => Some(error),
            _ => None,
        }
    }
}

/// `an internal`, `a public`: the audience word with its article.
fn with_article(word: &str) -> String {
    let vowel = word.starts_with(['a', 'e', 'i', 'o', 'u']);
    format!("{} {word}", if vowel { "an" } else { "a" })
}

/// What was written.
#[derive(Debug, Clone, Default)]
pub struct WriteStats {
    /// Files in the site.
    pub files: usize,
    /// Files whose bytes this build wrote (the others were kept from the
    /// previous build as hard links, with no data written).
    pub written: usize,
    /// Bytes in the site.
    pub bytes: u64,
    /// The hash of the manifest written into the marker (names the site put in place).
    pub manifest: u128,
    /// The path of every file in the site, sorted.
    pub paths: Vec<String>,
}

/// Options for writing.
#[derive(Debug, Clone, Copy)]
pub struct WriteOptions {
    /// The audience of the build, recorded in the marker file.
    pub audience: Audience,
    /// Write over an output folder built for another audience.
    pub force: bool,
}

/// Whether `rel` is a safe relative path: `/`-separated names, none empty,
/// `.` or `..`, not absolute, no backslash or NUL.
///
/// ```
/// use rekap::write::is_safe_relative;
/// assert!(is_safe_relative("regions/gorontalo/index.html"));
/// assert!(!is_safe_relative("../etc/passwd"));
/// assert!(!is_safe_relative("/etc/passwd"));
/// assert!(!is_safe_relative("a/../../b"));
/// assert!(!is_safe_relative("a//b"));
/// assert!(!is_safe_relative("a/./b"));
/// ```
pub fn is_safe_relative(rel: &str) -> bool {
    !rel.is_empty()
        && !rel.contains('\\')
        && !rel.contains('\0')
        && rel
            .split('/')
            .all(|c| !c.is_empty() && c != "." && c != "..")
        && Path::new(rel)
            .components()
            .all(|c| matches!(c, Component::Normal(_)))
}

/// Checks that `f` may be written into an output folder `output`: a safe
/// relative path, not the marker, and a name without control characters.
pub(crate) fn check_path(f: &OutputFile, output: &Path) -> Result<(), WriteError> {
    if let Some(refused) = manifest::refused_char(&f.path) {
        return Err(WriteError {
            path: match &f.contents {
                Contents::Copy(src) => src.clone(),
                Contents::Bytes(_) | Contents::Shared(_) | Contents::Pieces(_) => {
                    output.join(&f.path)
                }
            },
            kind: WriteErrorKind::RefusedName {
                name: f.path.clone(),
                refused,
            },
        });
    }
    if !is_safe_relative(&f.path) || f.path == MARKER {
        return Err(WriteError {
            path: output.to_path_buf(),
            kind: WriteErrorKind::UnsafePath(f.path.clone()),
        });
    }
    Ok(())
}

/// The error of a second file at `path` (for sinks other than [`Staging`]).
pub(crate) fn collision(path: &str) -> WriteError {
    WriteError {
        path: PathBuf::from(path),
        kind: WriteErrorKind::Collision(path.to_string()),
    }
}

/// The error of a static file `src` that cannot be read (for sinks other
/// than [`Staging`]).
pub(crate) fn read_error(src: &Path, error: std::io::Error) -> WriteError {
    WriteError::io(src, Doing::ReadSource, error)
}

/// Checks that `output` may be replaced by a build for `opts.audience`,
/// without changing anything: it is missing, empty, or holds a rekap build
/// of that audience (or `opts.force`); it is not a symbolic link; it is not
/// a mount point.
pub fn check_output(output: &Path, opts: WriteOptions) -> Result<(), WriteError> {
    let meta = match std::fs::symlink_metadata(output) {
        Ok(meta) => meta,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(WriteError::io(output, Doing::Inspect, e)),
    };
    if meta.is_symlink() {
        return Err(WriteError {
            path: output.to_path_buf(),
            kind: WriteErrorKind::Link {
                target: std::fs::read_link(output).ok(),
            },
        });
    }
    let place = Place::new(output)?;
    if let (Some(out), Some(parent)) = (place::fs_id(output), place::fs_id(&place.parent))
        && place::is_mount_point(out, parent)
    {
        return Err(WriteError {
            path: output.to_path_buf(),
            kind: WriteErrorKind::MountPoint,
        });
    }
    let marker = output.join(MARKER);
    match std::fs::read_to_string(&marker) {
        Ok(text) => {
            let found = manifest::audience(&text).unwrap_or("public").to_string();
            if found != opts.audience.as_str() && !opts.force {
                return Err(WriteError {
                    path: output.to_path_buf(),
                    kind: WriteErrorKind::OtherAudience {
                        found,
                        wanted: opts.audience.as_str().to_string(),
                    },
                });
            }
            Ok(())
        }
        Err(_) => {
            let empty = std::fs::read_dir(output)
                .map_err(|e| WriteError::io(output, Doing::Inspect, e))?
                .next()
                .is_none();
            if empty {
                Ok(())
            } else {
                Err(WriteError {
                    path: output.to_path_buf(),
                    kind: WriteErrorKind::NotOurs,
                })
            }
        }
    }
}

/// The previous build in the output, as far as the new one may keep its files.
#[derive(Debug)]
struct Previous {
    /// Its manifest.
    manifest: BTreeMap<String, Entry>,
    /// The regular files the output holds now.
    present: HashMap<String, Found>,
    /// Whether this version of rekap made it.
    same_generator: bool,
    /// The hash of its marker's text.
    manifest_hash: u128,
}

/// A build being written. [`Staging::begin`] takes the output's lock and
/// makes a staging folder beside the output (the spare, or a new folder);
/// files go into it as they are rendered ([`Staging::put`]);
/// [`Staging::finish`] writes the marker and exchanges the staging folder
/// with the output in one step. Dropped unfinished (a failed build), the
/// output is untouched and the staging folder, less the files it wrote,
/// becomes the spare.
///
/// When the output holds a previous build with its manifest, a file whose
/// bytes are the same as before is not written again: the previous build's
/// file is hard-linked into the staging folder, after checking that it still
/// holds exactly these bytes (a file changed by hand, whatever its time, is
/// written afresh). So an edit to one release writes one file, and a rebuild
/// always equals a fresh build byte for byte.
#[derive(Debug)]
pub struct Staging {
    place: Place,
    dir: PathBuf,
    opts: WriteOptions,
    previous: Option<Previous>,
    /// What the staging folder held when it was the spare.
    recycled: Option<Recycled>,
    files: Mutex<BTreeMap<String, Entry>>,
    /// The paths whose bytes this build wrote.
    fresh: Mutex<Vec<String>>,
    dirs: Mutex<HashSet<PathBuf>>,
    bytes: AtomicU64,
    written: AtomicUsize,
    finished: bool,
    /// An I/O error to strike at one step, for tests: `(step, raw OS error)`
    /// where the step is a file's path, `MARKER` or `"switch"`.
    #[cfg(test)]
    fault: Option<(String, i32)>,
    /// Held until the staging folder is gone or in place (dropped last).
    _lock: OutputLock,
}

impl Staging {
    /// Takes the output's lock (an error at once if another build holds it),
    /// removes what killed builds left beside the output, checks the output
    /// may be replaced ([`check_output`]), reads its manifest and takes the
    /// spare as its staging folder, or creates an empty one.
    pub fn begin(output: &Path, opts: WriteOptions) -> Result<Staging, WriteError> {
        let place = Place::new(output)?;
        std::fs::create_dir_all(&place.parent)
            .map_err(|e| WriteError::io(&place.parent, Doing::CreateFolder, e))?;
        let lock = OutputLock::acquire_at(&place)?;
        place.sweep();
        check_output(output, opts)?;
        let text = std::fs::read_to_string(output.join(MARKER)).unwrap_or_default();
        let previous = manifest::parse(&text).and_then(|manifest| {
            Some(Previous {
                manifest,
                present: Listing::of(output)?.files,
                same_generator: manifest::same_generator(&text),
                manifest_hash: manifest::hash(text.as_bytes()),
            })
        });
        let dir = place.staging();
        let recycled = Recycled::take(&place.spare(), &dir);
        let mut dirs = HashSet::new();
        match &recycled {
            Some(r) => dirs.extend(r.held.dirs.iter().map(|d| dir.join(d))),
            None => std::fs::create_dir(&dir)
                .map_err(|e| WriteError::io(&dir, Doing::CreateFolder, e))?,
        }
        dirs.insert(dir.clone());
        Ok(Staging {
            place,
            dir,
            opts,
            previous,
            recycled,
            files: Mutex::new(BTreeMap::new()),
            fresh: Mutex::new(Vec::new()),
            dirs: Mutex::new(dirs),
            bytes: AtomicU64::new(0),
            written: AtomicUsize::new(0),
            finished: false,
            #[cfg(test)]
            fault: None,
            _lock: lock,
        })
    }

    /// Takes one file of the build (thread-safe): keeps the previous build's
    /// file if it holds exactly these bytes, or writes them into the staging
    /// folder. Refuses paths that would leave the output folder, names with
    /// control characters and a second file at the same path.
    pub fn put(&self, f: &OutputFile) -> Result<(), WriteError> {
        check_path(f, &self.place.output)?;
        let copied;
        let bytes: &[u8] = match &f.contents {
            Contents::Bytes(b) => b,
            Contents::Shared(b) => b,
            Contents::Pieces(pieces) => {
                copied = pieces.concat();
                &copied
            }
            Contents::Copy(src) => {
                copied =
                    std::fs::read(src).map_err(|e| WriteError::io(src, Doing::ReadSource, e))?;
                &copied
            }
        };
        let entry = Entry::of(bytes);
        self.bytes.fetch_add(entry.len, Ordering::Relaxed);
        // Claim the path before writing, so a collision never overwrites.
        self.record(&f.path, entry)?;
        let dest = self.dir.join(&f.path);
        self.make_parent(&f.path, &dest)?;
        let candidate = self.previous.as_ref().is_some_and(|p| {
            p.manifest.get(&f.path) == Some(&entry)
                && p.present.get(&f.path).map(|f| f.len) == Some(entry.len)
        });
        if candidate && self.keep(&f.path, &dest, |p| holds(p, bytes))? {
            return Ok(());
        }
        self.clear(&f.path, &dest)?;
        if let Some(e) = self.fault(&f.path) {
            return Err(WriteError::io(&dest, Doing::Write, e));
        }
        write_new(&dest, bytes).map_err(|e| WriteError::io(&dest, Doing::Write, e))?;
        self.written.fetch_add(1, Ordering::Relaxed);
        self.fresh
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(f.path.clone());
        Ok(())
    }

    /// Keeps the previous build's `path` instead of making it again, when it
    /// is made from `source` alone (a chart's PNG from its SVG), this build
    /// has already taken `source` with the same bytes as the previous build,
    /// the same version of rekap made it, and the file still holds what the
    /// previous build wrote. Returns whether it was kept; if not, the caller
    /// makes and puts `path` as usual.
    pub fn reuse(&self, path: &str, source: &str) -> Result<bool, WriteError> {
        let Some(prev) = self.previous.as_ref().filter(|p| p.same_generator) else {
            return Ok(false);
        };
        let Some(&entry) = prev.manifest.get(path) else {
            return Ok(false);
        };
        let same_source = match (prev.manifest.get(source), self.lock_files().get(source)) {
            (Some(before), Some(now)) => before == now,
            _ => false,
        };
        if !same_source {
            return Ok(false);
        }
        self.keep_as_before(path, entry, |p| hash_of(p) == Some(entry))
    }

    /// Keeps the previous build's `path` as it is, for a caller that proved
    /// it would make the same bytes (a page whose values have the digest
    /// recorded for it: see `crate::cache`), if the same version of rekap
    /// made it and it still holds what the previous build wrote. Returns its
    /// bytes if it was kept; if not, the caller makes and puts `path` as
    /// usual.
    pub fn keep_made(&self, path: &str) -> Result<Option<Vec<u8>>, WriteError> {
        let Some(prev) = self.previous.as_ref().filter(|p| p.same_generator) else {
            return Ok(None);
        };
        let Some(&entry) = prev.manifest.get(path) else {
            return Ok(None);
        };
        let read = Mutex::new(None);
        let kept = self.keep_as_before(path, entry, |p| match read_regular(p) {
            Some(bytes) if Entry::of(&bytes) == entry => {
                *read.lock().unwrap_or_else(|e| e.into_inner()) = Some(bytes);
                true
            }
            _ => false,
        })?;
        Ok(kept
            .then(|| read.into_inner().unwrap_or_else(|e| e.into_inner()))
            .flatten())
    }

    /// [`Staging::keep_made`] without reading the file: keeps the previous
    /// build's `path` if the output's file still has `stamp`, the stamp it
    /// had just after the build that made it was put in place (see
    /// [`Stamp`]). Returns whether it was kept; if not (the stamp differs,
    /// say), the caller may still keep it by its bytes.
    pub fn keep_stamped(&self, path: &str, stamp: &Stamp) -> Result<bool, WriteError> {
        let Some(prev) = self.previous.as_ref().filter(|p| p.same_generator) else {
            return Ok(false);
        };
        let Some(&entry) = prev.manifest.get(path) else {
            return Ok(false);
        };
        // Checked in full (status-change time included) before the file
        // gets a new name, which changes that time; the name is then
        // checked to be that very file, unwritten.
        let source = self.place.output.join(path);
        if stamp.len() != entry.len || Stamp::of(&source).as_ref() != Some(stamp) {
            return Ok(false);
        }
        self.keep_as_before(path, entry, |p| {
            Stamp::of(p).is_some_and(|s| s.same_file(stamp))
        })
    }

    /// Keeps the previous build's `path`, whose manifest entry is `entry`,
    /// if the output still has a file of that length and `holds_it` says it
    /// holds what it must (see [`Staging::keep`]); records it in the new
    /// manifest if so. Returns whether it was kept.
    fn keep_as_before(
        &self,
        path: &str,
        entry: Entry,
        holds_it: impl Fn(&Path) -> bool,
    ) -> Result<bool, WriteError> {
        let present = self
            .previous
            .as_ref()
            .and_then(|p| p.present.get(path))
            .map(|f| f.len);
        if present != Some(entry.len) {
            return Ok(false);
        }
        let file = OutputFile {
            path: path.to_string(),
            contents: Contents::Bytes(Vec::new()),
        };
        check_path(&file, &self.place.output)?;
        self.record(path, entry)?;
        let dest = self.dir.join(path);
        self.make_parent(path, &dest)?;
        if self.keep(path, &dest, holds_it)? {
            self.bytes.fetch_add(entry.len, Ordering::Relaxed);
            Ok(true)
        } else {
            self.lock_files().remove(path);
            Ok(false)
        }
    }

    /// The hash of the output's manifest (see [`WriteStats::manifest`]), if
    /// the output holds a build of this version of rekap with its manifest.
    pub fn previous_manifest(&self) -> Option<u128> {
        self.previous
            .as_ref()
            .filter(|p| p.same_generator)
            .map(|p| p.manifest_hash)
    }

    /// Keeps every file of the previous build as it is, for a build known
    /// to make exactly the previous build's files (see `crate::cache`): each
    /// is kept only if it still has its stamp in `stamps` (see
    /// [`Staging::keep_stamped`]) or else still holds what the manifest
    /// says. Returns
    /// whether all were; if not, this staging must be dropped (nothing is
    /// put in place) and the site rendered.
    ///
    /// # Errors
    ///
    /// A file of the spare in the way cannot be removed.
    pub fn keep_previous(&self, stamps: &HashMap<String, Stamp>) -> Result<bool, WriteError> {
        let Some(prev) = self.previous.as_ref().filter(|p| p.same_generator) else {
            return Ok(false);
        };
        let entries: Vec<(&String, &Entry)> = prev.manifest.iter().collect();
        let all = entries.par_iter().try_fold(
            || true,
            |ok, (path, entry)| {
                if !ok {
                    return Ok(false);
                }
                if let Some(stamp) = stamps.get(*path)
                    && self.keep_stamped(path, stamp)?
                {
                    return Ok(true);
                }
                self.keep_as_before(path, **entry, |p| hash_of(p) == Some(**entry))
            },
        );
        let results: Vec<bool> = all.collect::<Result<_, WriteError>>()?;
        Ok(results.into_iter().all(|ok| ok))
    }

    /// Puts the previous build's `rel` at `dest` in the staging folder, if
    /// `holds_it` says it holds what it must: the spare's file if it is that
    /// very file, or else a new hard link. Returns whether it was kept; if
    /// not, nothing is left at `dest`. A link that cannot be made (another
    /// file system, no hard links there, the file gone) is no error: the
    /// caller writes the file instead.
    fn keep(
        &self,
        rel: &str,
        dest: &Path,
        holds_it: impl Fn(&Path) -> bool,
    ) -> Result<bool, WriteError> {
        if let Some(r) = &self.recycled {
            let id = self
                .previous
                .as_ref()
                .and_then(|p| p.present.get(rel))
                .and_then(|f| f.id);
            if r.holds_file(rel, id) && holds_it(dest) {
                return Ok(true);
            }
            r.clear(&self.dir, rel)
                .map_err(|e| WriteError::io(dest, Doing::Keep, e))?;
        }
        if std::fs::hard_link(self.place.output.join(rel), dest).is_err() {
            return Ok(false);
        }
        if holds_it(dest) {
            return Ok(true);
        }
        std::fs::remove_file(dest).map_err(|e| WriteError::io(dest, Doing::Keep, e))?;
        Ok(false)
    }

    /// Removes what the spare held at `rel` (`dest` in the staging folder),
    /// so that the file is created afresh.
    fn clear(&self, rel: &str, dest: &Path) -> Result<(), WriteError> {
        match &self.recycled {
            Some(r) => r
                .clear(&self.dir, rel)
                .map_err(|e| WriteError::io(dest, Doing::Write, e)),
            None => Ok(()),
        }
    }

    /// Creates the folder `dest` (for `rel`) goes into in the staging folder,
    /// once, removing the spare's files that stand in its way.
    fn make_parent(&self, rel: &str, dest: &Path) -> Result<(), WriteError> {
        if let Some(r) = &self.recycled {
            r.clear_ancestors(&self.dir, rel)
                .map_err(|e| WriteError::io(dest, Doing::CreateFolder, e))?;
        }
        if let Some(parent) = dest.parent() {
            let known = self.lock_dirs().contains(parent);
            if !known {
                std::fs::create_dir_all(parent)
                    .map_err(|e| WriteError::io(parent, Doing::CreateFolder, e))?;
                self.lock_dirs().insert(parent.to_path_buf());
            }
        }
        Ok(())
    }

    fn lock_files(&self) -> std::sync::MutexGuard<'_, BTreeMap<String, Entry>> {
        self.files.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn lock_fresh(&self) -> std::sync::MutexGuard<'_, Vec<String>> {
        self.fresh.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn lock_dirs(&self) -> std::sync::MutexGuard<'_, HashSet<PathBuf>> {
        self.dirs.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Records `path` in the new manifest; an error if it is already there.
    fn record(&self, path: &str, entry: Entry) -> Result<(), WriteError> {
        match self.lock_files().entry(path.to_string()) {
            std::collections::btree_map::Entry::Occupied(_) => Err(WriteError {
                path: self.place.output.join(path),
                kind: WriteErrorKind::Collision(path.to_string()),
            }),
            std::collections::btree_map::Entry::Vacant(v) => {
                v.insert(entry);
                Ok(())
            }
        }
    }

    /// The error a test asked to strike at `step`, if any.
    #[cfg(test)]
    fn fault(&self, step: &str) -> Option<std::io::Error> {
        match &self.fault {
            Some((at, errno)) if at == step => Some(std::io::Error::from_raw_os_error(*errno)),
            _ => None,
        }
    }

    #[cfg(not(test))]
    #[inline(always)]
    fn fault(&self, _: &str) -> Option<std::io::Error> {
        None
    }

    /// Puts the build in place of the output: removes from the staging
    /// folder what the spare held that the new site does not have, writes the
    /// marker (the new manifest), so that it holds the complete new site, and
    /// exchanges it with the output in one step; then keeps the previous
    /// site's folders as the spare. Any error leaves the output as it was.
    pub fn finish(mut self) -> Result<WriteStats, WriteError> {
        let files = std::mem::take(&mut *self.lock_files());
        if let Some(r) = &self.recycled {
            r.prune(&self.dir, &files)
                .map_err(|(p, e)| WriteError::io(&p, Doing::Write, e))?;
        }
        let marker_text = manifest::render(self.opts.audience, &files);
        let marker = self.dir.join(MARKER);
        if let Some(e) = self.fault(MARKER) {
            return Err(WriteError::io(&marker, Doing::Write, e));
        }
        write_new(&marker, marker_text.as_bytes())
            .map_err(|e| WriteError::io(&marker, Doing::Write, e))?;
        same_permissions(&self.place.output, &self.dir)
            .map_err(|e| WriteError::io(&self.dir, Doing::Write, e))?;
        let switched = match self.fault("switch") {
            Some(e) => Err(e),
            None => place::switch(&self.place, &self.dir),
        };
        let old = match switched {
            Ok(old) => old,
            Err(e) if place::is_mount_error(&e) => {
                return Err(WriteError {
                    path: self.place.output.clone(),
                    kind: WriteErrorKind::MountPoint,
                });
            }
            Err(e) => return Err(WriteError::io(&self.place.output, Doing::Switch, e)),
        };
        self.finished = true;
        // The build is done; errors from here on are not the build's.
        match (old, &self.previous) {
            // The previous site becomes the spare, less what it does not
            // share with the new one.
            (Some(old), Some(prev)) => {
                let fresh: HashSet<String> = std::mem::take(&mut *self.lock_fresh())
                    .into_iter()
                    .collect();
                let unshared = prev
                    .present
                    .keys()
                    .filter(|rel| !files.contains_key(*rel) || fresh.contains(*rel))
                    .map(String::as_str)
                    .chain([MARKER]);
                spare::keep_as_spare(&old, &self.place.spare(), unshared);
            }
            // Not known file by file: removed.
            (Some(old), None) => remove_tree(&old),
            (None, _) => {}
        }
        Ok(WriteStats {
            files: files.len(),
            bytes: self.bytes.load(Ordering::Relaxed),
            written: self.written.load(Ordering::Relaxed),
            manifest: manifest::hash(marker_text.as_bytes()),
            paths: files.into_keys().collect(),
        })
    }
}

impl Staging {
    /// Gives up a build that put nothing (its site had errors): the staging
    /// folder becomes again what it was, the spare or nothing, so that such
    /// a build leaves nothing behind.
    pub fn abandon(mut self) {
        let untouched = self.lock_files().is_empty() && self.lock_fresh().is_empty();
        if !untouched {
            // Dropped as a failed build instead.
            return;
        }
        self.finished = true;
        match &self.recycled {
            Some(_) => {
                if std::fs::rename(&self.dir, self.place.spare()).is_err() {
                    remove_tree(&self.dir);
                }
            }
            None => {
                let _ = std::fs::remove_dir(&self.dir);
            }
        }
    }
}

impl Drop for Staging {
    /// A failed build: the staging folder, less the files it wrote, becomes
    /// the spare (its other files are the output's, linked).
    fn drop(&mut self) {
        if !self.finished {
            let fresh = std::mem::take(&mut *self.lock_fresh());
            let unshared = fresh.iter().map(String::as_str).chain([MARKER]);
            spare::keep_as_spare(&self.dir, &self.place.spare(), unshared);
        }
    }
}

impl Sink for Staging {
    fn put(&self, file: OutputFile) -> Result<(), WriteError> {
        Staging::put(self, &file)
    }

    fn reuse(&self, path: &str, source: &str) -> Result<bool, WriteError> {
        Staging::reuse(self, path, source)
    }

    fn keep(&self, path: &str) -> Result<Option<Kept>, WriteError> {
        Ok(Staging::keep_made(self, path)?.map(Kept::Read))
    }

    fn keep_stamped(&self, path: &str, stamp: &Stamp) -> Result<bool, WriteError> {
        Staging::keep_stamped(self, path, stamp)
    }
}

/// Writes `files` to `output` (stage, then put in place).
pub fn write(
    files: &[OutputFile],
    output: &Path,
    opts: WriteOptions,
) -> Result<WriteStats, WriteError> {
    let staging = Staging::begin(output, opts)?;
    files.par_iter().try_for_each(|f| staging.put(f))?;
    staging.finish()
}

/// Creates `path` and writes `bytes` into it; fails if it exists, so that a
/// file of the previous build (linked into the staging folder) is never
/// written through.
fn write_new(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)?
        .write_all(bytes)
}

/// Opens a file to read it, never through a symbolic link.
fn open_no_follow(path: &Path) -> std::io::Result<std::fs::File> {
    let mut opts = std::fs::OpenOptions::new();
    opts.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.custom_flags(rustix::fs::OFlags::NOFOLLOW.bits() as i32);
    }
    opts.open(path)
}

/// Whether the regular file at `path` holds exactly `bytes`.
fn holds(path: &Path, bytes: &[u8]) -> bool {
    let Ok(mut file) = open_no_follow(path) else {
        return false;
    };
    match file.metadata() {
        Ok(m) if m.is_file() && m.len() == bytes.len() as u64 => {}
        _ => return false,
    }
    let mut buf = [0u8; 64 * 1024];
    let mut at = 0;
    loop {
        match file.read(&mut buf) {
            Ok(0) => return at == bytes.len(),
            Ok(n) => {
                if bytes.get(at..at + n) != Some(&buf[..n]) {
                    return false;
                }
                at += n;
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(_) => return false,
        }
    }
}

/// The manifest entry of the regular file at `path` (its hash and length).
fn hash_of(path: &Path) -> Option<Entry> {
    read_regular(path).map(|bytes| Entry::of(&bytes))
}

/// The bytes of the regular file at `path` (never through a link).
fn read_regular(path: &Path) -> Option<Vec<u8>> {
    let mut file = open_no_follow(path).ok()?;
    if !file.metadata().ok()?.is_file() {
        return None;
    }
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes).ok()?;
    Some(bytes)
}

/// Gives the new site's folder the permissions of the output folder it
/// replaces (a folder made readable to a web server stays so).
fn same_permissions(output: &Path, new: &Path) -> std::io::Result<()> {
    match std::fs::symlink_metadata(output) {
        Ok(meta) if meta.is_dir() => std::fs::set_permissions(new, meta.permissions()),
        _ => Ok(()),
    }
}

/// Removes a folder tree, its subfolders in parallel, never following a
/// link (a link given is removed itself); errors are ignored.
pub(super) fn remove_tree(dir: &Path) {
    match std::fs::symlink_metadata(dir) {
        Ok(m) if m.is_dir() => {}
        // A link (never followed) or a file.
        Ok(_) => {
            let _ = std::fs::remove_file(dir);
            return;
        }
        Err(_) => return,
    }
    if let Ok(entries) = std::fs::read_dir(dir) {
        let entries: Vec<_> = entries.filter_map(|e| e.ok()).collect();
        entries.par_iter().for_each(|e| {
            let _ = match e.file_type() {
                Ok(t) if t.is_dir() => std::fs::remove_dir_all(e.path()),
                _ => std::fs::remove_file(e.path()),
            };
        });
    }
    let _ = std::fs::remove_dir_all(dir);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(p: &str, s: &str) -> OutputFile {
        OutputFile {
            path: p.to_string(),
            contents: Contents::Bytes(s.as_bytes().to_vec()),
        }
    }

    const OPTS: WriteOptions = WriteOptions {
        audience: Audience::Public,
        force: false,
    };

    /// Every file and folder under `dir` with its bytes (folders end in `/`).
    fn snap(dir: &Path) -> BTreeMap<String, Vec<u8>> {
        walkdir::WalkDir::new(dir)
            .min_depth(1)
            .into_iter()
            .map(|e| {
                let e = e.unwrap();
                let rel = e.path().strip_prefix(dir).unwrap().to_str().unwrap();
                if e.file_type().is_dir() {
                    (format!("{rel}/"), Vec::new())
                } else {
                    (rel.to_string(), std::fs::read(e.path()).unwrap())
                }
            })
            .collect()
    }

    /// The names in `dir`, sorted, but for the spare (tested on its own).
    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .filter(|n| n != "public.rekap-spare")
            .collect();
        v.sort();
        v
    }

    #[test]
    fn writes_then_replaces_the_previous_site() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write(
            &[file("index.html", "one"), file("a/index.html", "a")],
            &out,
            OPTS,
        )
        .unwrap();
        write(&[file("index.html", "two")], &out, OPTS).unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "two"
        );
        assert!(!out.join("a").exists(), "stale files are gone");
        assert_eq!(
            names(dir.path()),
            ["public"],
            "no staging folder, previous site or lock left behind"
        );
    }

    #[test]
    fn an_escaping_path_is_refused_and_the_site_kept() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write(&[file("index.html", "one")], &out, OPTS).unwrap();
        for bad in ["../evil.html", "a//b.html", "a/./b.html", ".rekap-build"] {
            let err = write(&[file(bad, "x")], &out, OPTS).unwrap_err();
            assert!(err.to_string().contains("leave the output folder"), "{err}");
        }
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "one"
        );
        assert!(!dir.path().join("evil.html").exists());
    }

    #[test]
    fn a_name_with_a_control_character_is_refused_naming_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write(&[file("index.html", "one")], &out, OPTS).unwrap();
        let before = snap(&out);
        let src = dir.path().join("static-a\nb.txt");
        std::fs::write(&src, "injected").unwrap();
        let injected = OutputFile {
            path: format!("a\n{:032x} 3 index.html", 0),
            contents: Contents::Copy(src.clone()),
        };
        let err = write(&[file("index.html", "two"), injected.clone()], &out, OPTS).unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains("U+000A"), "{msg}");
        assert!(msg.contains("control character"), "{msg}");
        assert!(msg.contains("rename"), "{msg}");
        assert_eq!(err.path(), src, "the error names the source file");
        assert_eq!(snap(&out), before, "nothing written");
        // `rekap check` finds it too.
        let collect = Collect::default();
        assert!(Sink::put(&collect, injected).is_err());
        let tab = write(&[file("a\tb.txt", "x")], &out, OPTS).unwrap_err();
        assert!(tab.to_string().contains("U+0009"), "{tab}");
    }

    #[test]
    fn a_folder_not_written_by_rekap_is_not_replaced() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("thesis.docx"), "precious").unwrap();
        let err = write(&[file("index.html", "x")], dir.path(), OPTS).unwrap_err();
        assert!(err.to_string().contains("not written by rekap"));
        assert!(dir.path().join("thesis.docx").exists());
    }

    #[test]
    fn an_internal_build_does_not_overwrite_a_public_one_without_force() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write(&[file("index.html", "public")], &out, OPTS).unwrap();
        let internal = WriteOptions {
            audience: Audience::Internal,
            force: false,
        };
        let err = write(&[file("index.html", "internal")], &out, internal).unwrap_err();
        assert!(
            err.to_string()
                .contains("holds a public build; refusing to write an internal build"),
            "{err}"
        );
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "public"
        );
        write(
            &[file("index.html", "internal")],
            &out,
            WriteOptions {
                force: true,
                ..internal
            },
        )
        .unwrap();
    }

    #[test]
    fn duplicate_paths_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let err = write(
            &[file("a.html", "1"), file("a.html", "2")],
            &dir.path().join("o"),
            OPTS,
        )
        .unwrap_err();
        assert!(err.to_string().contains("two files"));
    }

    fn mtime(p: &Path) -> std::time::SystemTime {
        std::fs::metadata(p).unwrap().modified().unwrap()
    }

    #[test]
    fn a_rebuild_writes_only_what_changed() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let first = write(
            &[
                file("index.html", "home"),
                file("a/index.html", "a"),
                file("b/index.html", "b"),
            ],
            &out,
            OPTS,
        )
        .unwrap();
        assert_eq!((first.files, first.written), (3, 3));
        let kept = mtime(&out.join("a/index.html"));
        std::thread::sleep(std::time::Duration::from_millis(20));
        let second = write(
            &[
                file("index.html", "home, edited"),
                file("a/index.html", "a"),
                file("c/index.html", "c"),
            ],
            &out,
            OPTS,
        )
        .unwrap();
        assert_eq!((second.files, second.written), (3, 2));
        assert_eq!(
            mtime(&out.join("a/index.html")),
            kept,
            "a/ was not rewritten"
        );
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "home, edited"
        );
        assert!(out.join("c/index.html").exists());
        assert!(!out.join("b").exists(), "a page no longer made is removed");
        assert_eq!(names(dir.path()), ["public"], "nothing left beside");
    }

    #[cfg(unix)]
    #[test]
    fn an_unchanged_file_is_the_same_file_hard_linked() {
        use std::os::unix::fs::MetadataExt;
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let site = [file("index.html", "home"), file("a/index.html", "a")];
        write(&site, &out, OPTS).unwrap();
        let ino = std::fs::metadata(out.join("a/index.html")).unwrap().ino();
        let again = write(&site, &out, OPTS).unwrap();
        assert_eq!(again.written, 0);
        let meta = std::fs::metadata(out.join("a/index.html")).unwrap();
        assert_eq!(meta.ino(), ino, "kept, not written");
        assert_eq!(meta.nlink(), 2, "the spare's link, and no other");
    }

    #[test]
    fn a_file_changed_by_hand_or_stray_is_put_right() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let site = [file("index.html", "home"), file("a/index.html", "aaaa")];
        write(&site, &out, OPTS).unwrap();
        std::thread::sleep(std::time::Duration::from_millis(20));
        // Same length, different bytes.
        std::fs::write(out.join("a/index.html"), "XXXX").unwrap();
        std::fs::write(out.join("stray.txt"), "left by hand").unwrap();
        let again = write(&site, &out, OPTS).unwrap();
        assert_eq!(again.written, 1);
        assert_eq!(
            std::fs::read_to_string(out.join("a/index.html")).unwrap(),
            "aaaa"
        );
        assert!(!out.join("stray.txt").exists());
    }

    #[test]
    fn a_file_restored_by_hand_with_an_older_time_is_written_again() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let site = [file("index.html", "home"), file("a/index.html", "aaaa")];
        write(&site, &out, OPTS).unwrap();
        let page = out.join("a/index.html");
        let old = mtime(&page) - std::time::Duration::from_secs(86_400);
        std::fs::write(&page, "XXXX").unwrap();
        std::fs::File::options()
            .write(true)
            .open(&page)
            .unwrap()
            .set_modified(old)
            .unwrap();
        let again = write(&site, &out, OPTS).unwrap();
        assert_eq!(std::fs::read_to_string(&page).unwrap(), "aaaa");
        assert_eq!(again.written, 1);
    }

    #[test]
    fn a_failed_rebuild_leaves_the_previous_site_as_it_was() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write(
            &[file("index.html", "one"), file("a.html", "a")],
            &out,
            OPTS,
        )
        .unwrap();
        let before = snap(&out);
        let staging = Staging::begin(&out, OPTS).unwrap();
        staging.put(&file("index.html", "two")).unwrap();
        staging.put(&file("a.html", "a")).unwrap();
        drop(staging); // the build failed before finishing
        assert_eq!(snap(&out), before);
        assert_eq!(names(dir.path()), ["public"]);
    }

    /// A rebuild of a three-page site into `out`, with `fault` struck; the
    /// error it gives.
    fn rebuild_with_fault(out: &Path, step: &str, errno: i32) -> WriteError {
        let mut staging = Staging::begin(out, OPTS).unwrap();
        staging.fault = Some((step.to_string(), errno));
        let put = [
            file("index.html", "home, edited"),
            file("a/index.html", "a"),
            file("c/index.html", "c, new"),
        ]
        .iter()
        .try_for_each(|f| staging.put(f));
        match put {
            Err(e) => e,
            Ok(()) => staging.finish().unwrap_err(),
        }
    }

    const EIO: i32 = 5;
    const EBUSY: i32 = 16;
    const EXDEV: i32 = 18;

    #[test]
    fn an_io_error_at_any_step_leaves_the_previous_site_and_names_the_path() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write(
            &[
                file("index.html", "home"),
                file("a/index.html", "a"),
                file("b/index.html", "b"),
            ],
            &out,
            OPTS,
        )
        .unwrap();
        let before = snap(&out);
        for (step, named) in [
            ("c/index.html", "c/index.html"),
            (MARKER, MARKER),
            ("switch", "public"),
        ] {
            let err = rebuild_with_fault(&out, step, EIO);
            let msg = err.to_string();
            assert!(err.path().ends_with(named), "{step}: {msg}");
            assert!(msg.contains(&err.path().display().to_string()), "{msg}");
            assert!(msg.contains("Input/output error"), "{msg}");
            assert!(msg.contains("previous site was left as it was"), "{msg}");
            assert_eq!(snap(&out), before, "{step}");
            assert_eq!(names(dir.path()), ["public"], "{step}");
        }
    }

    #[test]
    fn a_switch_refused_as_busy_or_across_devices_is_a_mount_point() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write(
            &[file("index.html", "home"), file("b/index.html", "b")],
            &out,
            OPTS,
        )
        .unwrap();
        let before = snap(&out);
        for errno in [EBUSY, EXDEV] {
            let err = rebuild_with_fault(&out, "switch", errno);
            let msg = err.to_string();
            assert!(msg.contains("is a mount point"), "{msg}");
            assert!(msg.contains("nothing was changed"), "{msg}");
            assert!(
                msg.contains(&format!("--output {}", out.join("site").display())),
                "{msg}"
            );
            assert_eq!(snap(&out), before);
            assert_eq!(names(dir.path()), ["public"]);
        }
    }

    #[test]
    fn a_second_build_of_the_same_output_fails_at_once_and_changes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write(&[file("index.html", "one")], &out, OPTS).unwrap();
        let first = Staging::begin(&out, OPTS).unwrap();
        first.put(&file("index.html", "two")).unwrap();
        let err = write(&[file("index.html", "three")], &out, OPTS).unwrap_err();
        assert!(err.is_locked());
        let msg = err.to_string();
        assert!(msg.contains("another rekap build"), "{msg}");
        assert!(
            msg.contains(&format!("(process {})", std::process::id())),
            "{msg}"
        );
        assert!(msg.contains("public.rekap-lock"), "{msg}");
        first.finish().unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "two"
        );
        assert_eq!(names(dir.path()), ["public"], "the lock file is removed");
        write(&[file("index.html", "three")], &out, OPTS).unwrap();
    }

    #[test]
    fn what_dead_builds_left_beside_the_output_is_removed() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write(&[file("index.html", "one")], &out, OPTS).unwrap();
        for stale in ["public.rekap-staging-4000000", "public.rekap-old-4000001"] {
            std::fs::create_dir_all(dir.path().join(stale).join("a")).unwrap();
            std::fs::write(dir.path().join(stale).join("a/index.html"), "x").unwrap();
        }
        std::fs::write(dir.path().join("public.rekap-lock"), "4000002\n").unwrap();
        std::fs::create_dir(dir.path().join("public.rekap-staging-mine")).unwrap();
        write(&[file("index.html", "two")], &out, OPTS).unwrap();
        assert_eq!(names(dir.path()), ["public", "public.rekap-staging-mine"]);
    }

    #[cfg(unix)]
    #[test]
    fn an_output_that_is_a_link_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real");
        write(&[file("index.html", "one")], &real, OPTS).unwrap();
        let link = dir.path().join("public");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        let err = write(&[file("index.html", "two")], &link, OPTS).unwrap_err();
        assert!(err.to_string().contains("symbolic link"), "{err}");
        assert_eq!(
            std::fs::read_to_string(real.join("index.html")).unwrap(),
            "one"
        );
        assert!(std::fs::symlink_metadata(&link).unwrap().is_symlink());
    }

    #[cfg(unix)]
    #[test]
    fn the_output_folder_keeps_its_permissions() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write(&[file("index.html", "one")], &out, OPTS).unwrap();
        std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o750)).unwrap();
        write(&[file("index.html", "two")], &out, OPTS).unwrap();
        let mode = std::fs::metadata(&out).unwrap().permissions().mode();
        assert_eq!(mode & 0o7777, 0o750);
    }

    #[cfg(unix)]
    #[test]
    fn a_link_in_the_output_is_never_written_through() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let elsewhere = dir.path().join("elsewhere");
        std::fs::create_dir(&elsewhere).unwrap();
        std::fs::write(elsewhere.join("index.html"), "a").unwrap();
        write(
            &[file("index.html", "home"), file("a/index.html", "a")],
            &out,
            OPTS,
        )
        .unwrap();
        std::fs::remove_dir_all(out.join("a")).unwrap();
        std::os::unix::fs::symlink(&elsewhere, out.join("a")).unwrap();
        let again = write(
            &[file("index.html", "home"), file("a/index.html", "a")],
            &out,
            OPTS,
        )
        .unwrap();
        assert_eq!(
            again.written, 2,
            "nothing is kept from an output holding a link"
        );
        assert!(
            !std::fs::symlink_metadata(out.join("a"))
                .unwrap()
                .is_symlink()
        );
        assert_eq!(
            std::fs::read_to_string(out.join("a/index.html")).unwrap(),
            "a"
        );
        std::fs::write(elsewhere.join("index.html"), "b").unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("a/index.html")).unwrap(),
            "a",
            "not a link to the file outside"
        );
    }

    #[test]
    fn a_file_made_from_an_unchanged_source_is_kept() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write(
            &[file("c.svg", "<svg/>"), file("c.png", "pixels")],
            &out,
            OPTS,
        )
        .unwrap();
        let staging = Staging::begin(&out, OPTS).unwrap();
        staging.put(&file("c.svg", "<svg/>")).unwrap();
        assert!(
            staging.reuse("c.png", "c.svg").unwrap(),
            "same SVG: PNG kept"
        );
        let stats = staging.finish().unwrap();
        assert_eq!((stats.files, stats.written, stats.bytes), (2, 0, 12));
        assert_eq!(
            std::fs::read_to_string(out.join("c.png")).unwrap(),
            "pixels"
        );

        let staging = Staging::begin(&out, OPTS).unwrap();
        staging.put(&file("c.svg", "<svg></svg>")).unwrap();
        assert!(
            !staging.reuse("c.png", "c.svg").unwrap(),
            "new SVG: new PNG"
        );
        assert!(!staging.reuse("d.png", "d.svg").unwrap(), "nothing to keep");
        staging.put(&file("c.png", "new pixels")).unwrap();
        staging.finish().unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("c.png")).unwrap(),
            "new pixels"
        );
    }

    #[test]
    fn a_file_made_from_an_unchanged_source_but_changed_by_hand_is_made_again() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let site = [file("c.svg", "<svg/>"), file("c.png", "pixels")];
        write(&site, &out, OPTS).unwrap();
        let png = out.join("c.png");
        let old = mtime(&png) - std::time::Duration::from_secs(86_400);
        std::fs::write(&png, "PIXELS").unwrap();
        std::fs::File::options()
            .write(true)
            .open(&png)
            .unwrap()
            .set_modified(old)
            .unwrap();
        let staging = Staging::begin(&out, OPTS).unwrap();
        staging.put(&site[0]).unwrap();
        assert!(!staging.reuse("c.png", "c.svg").unwrap());
        staging.put(&site[1]).unwrap();
        staging.finish().unwrap();
        assert_eq!(std::fs::read_to_string(&png).unwrap(), "pixels");
    }

    #[cfg(unix)]
    fn ino(p: &Path) -> u64 {
        use std::os::unix::fs::MetadataExt;
        std::fs::symlink_metadata(p).unwrap().ino()
    }

    #[cfg(unix)]
    #[test]
    fn a_rebuild_reuses_the_folders_of_the_site_before() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let spare = dir.path().join("public.rekap-spare");
        let site = |home: &str| {
            vec![
                file("index.html", home),
                file("a/index.html", "a"),
                file("b/c/index.html", "c"),
            ]
        };
        write(&site("one"), &out, OPTS).unwrap();
        assert!(!spare.exists(), "no previous site, no spare");
        let first_a = ino(&out.join("a"));
        write(&site("two"), &out, OPTS).unwrap();
        assert_eq!(
            ino(&spare.join("a")),
            first_a,
            "the previous site's folders kept"
        );
        let stats = write(&site("three"), &out, OPTS).unwrap();
        assert_eq!(stats.written, 1);
        assert_eq!(ino(&out.join("a")), first_a, "and reused: no folder made");
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "three"
        );
        // The spare shares every file with the site: no data of its own.
        let spare_files: Vec<_> = walkdir::WalkDir::new(&spare)
            .into_iter()
            .map(|e| e.unwrap())
            .filter(|e| e.file_type().is_file())
            .map(|e| e.path().strip_prefix(&spare).unwrap().to_path_buf())
            .collect();
        assert_eq!(spare_files.len(), 2, "{spare_files:?}");
        for rel in spare_files {
            assert_eq!(ino(&spare.join(&rel)), ino(&out.join(&rel)), "{rel:?}");
        }
        assert_eq!(names(dir.path()), ["public"]);
    }

    #[test]
    fn nothing_in_the_spare_is_trusted() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let spare = dir.path().join("public.rekap-spare");
        let site = [
            file("index.html", "home"),
            file("a/index.html", "a"),
            file("b", "a file"),
            file("c/d/index.html", "d"),
        ];
        write(&site, &out, OPTS).unwrap();
        write(&site, &out, OPTS).unwrap();
        // Junk of every kind where the next build works.
        std::fs::write(spare.join("stray.txt"), "stray").unwrap();
        std::fs::remove_file(spare.join("a/index.html")).unwrap();
        std::fs::write(spare.join("a/index.html"), "A").unwrap();
        std::fs::remove_file(spare.join("b")).unwrap();
        std::fs::create_dir_all(spare.join("b/x")).unwrap();
        std::fs::write(spare.join("b/x/y"), "y").unwrap();
        std::fs::remove_dir_all(spare.join("c")).unwrap();
        std::fs::write(spare.join("c"), "not a folder").unwrap();
        std::fs::create_dir_all(spare.join("old/deep")).unwrap();
        write(&site, &out, OPTS).unwrap();
        let fresh = dir.path().join("fresh");
        write(&site, &fresh, OPTS).unwrap();
        assert_eq!(snap(&out), snap(&fresh));
    }

    #[cfg(unix)]
    #[test]
    fn a_spare_holding_a_link_is_discarded_never_written_through() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let spare = dir.path().join("public.rekap-spare");
        let elsewhere = dir.path().join("elsewhere");
        std::fs::create_dir(&elsewhere).unwrap();
        let site = [file("index.html", "home"), file("a/index.html", "a")];
        write(&site, &out, OPTS).unwrap();
        write(&site, &out, OPTS).unwrap();
        std::fs::remove_dir_all(spare.join("a")).unwrap();
        std::os::unix::fs::symlink(&elsewhere, spare.join("a")).unwrap();
        write(
            &[file("index.html", "home"), file("a/index.html", "new")],
            &out,
            OPTS,
        )
        .unwrap();
        assert_eq!(std::fs::read_dir(&elsewhere).unwrap().count(), 0);
        assert_eq!(
            std::fs::read_to_string(out.join("a/index.html")).unwrap(),
            "new"
        );
        assert!(
            !std::fs::symlink_metadata(spare.join("a"))
                .unwrap()
                .is_symlink()
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_spare_that_is_a_link_is_removed_not_followed() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let elsewhere = dir.path().join("elsewhere");
        std::fs::create_dir_all(elsewhere.join("a")).unwrap();
        std::fs::write(elsewhere.join("a/index.html"), "precious").unwrap();
        let site = [file("index.html", "home"), file("a/index.html", "a")];
        write(&site, &out, OPTS).unwrap();
        std::os::unix::fs::symlink(&elsewhere, dir.path().join("public.rekap-spare")).unwrap();
        write(&site, &out, OPTS).unwrap();
        assert_eq!(
            std::fs::read_to_string(elsewhere.join("a/index.html")).unwrap(),
            "precious"
        );
        assert!(
            !std::fs::symlink_metadata(dir.path().join("public.rekap-spare"))
                .unwrap()
                .is_symlink()
        );
        remove_tree(&dir.path().join("link"));
        std::os::unix::fs::symlink(&elsewhere, dir.path().join("link")).unwrap();
        remove_tree(&dir.path().join("link"));
        assert!(elsewhere.join("a/index.html").exists());
        assert!(std::fs::symlink_metadata(dir.path().join("link")).is_err());
    }

    #[test]
    fn a_failed_build_keeps_the_spare_without_what_it_wrote() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let spare = dir.path().join("public.rekap-spare");
        let site = [file("index.html", "home"), file("a/index.html", "a")];
        write(&site, &out, OPTS).unwrap();
        write(&site, &out, OPTS).unwrap();
        let before = snap(&out);
        let staging = Staging::begin(&out, OPTS).unwrap();
        staging.put(&file("index.html", "edited")).unwrap();
        staging.put(&file("a/index.html", "a")).unwrap();
        drop(staging);
        assert_eq!(snap(&out), before);
        assert!(
            spare.join("a/index.html").exists(),
            "shared with the site: kept"
        );
        assert!(
            !spare.join("index.html").exists(),
            "written by the failed build: gone"
        );
        assert_eq!(names(dir.path()), ["public"]);
    }

    #[test]
    fn a_build_abandoned_before_it_put_anything_leaves_nothing_behind() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        // No output yet: the new staging folder is removed.
        Staging::begin(&out, OPTS).unwrap().abandon();
        assert!(std::fs::read_dir(dir.path()).unwrap().next().is_none());
        // With a spare: it is the spare again, as it was.
        let site = [file("index.html", "home"), file("a/index.html", "a")];
        write(&site, &out, OPTS).unwrap();
        write(&site, &out, OPTS).unwrap();
        let everything = snap(dir.path());
        assert!(dir.path().join("public.rekap-spare/a/index.html").exists());
        Staging::begin(&out, OPTS).unwrap().abandon();
        assert_eq!(snap(dir.path()), everything);
        // Once it put a file, it is dropped as a failed build.
        let staging = Staging::begin(&out, OPTS).unwrap();
        staging.put(&file("index.html", "edited")).unwrap();
        staging.abandon();
        assert!(!dir.path().join("public.rekap-spare/index.html").exists());
        assert_eq!(names(dir.path()), ["public"]);
    }

    #[test]
    fn a_page_may_become_a_folder_and_back() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write(&[file("a", "file")], &out, OPTS).unwrap();
        write(&[file("a/index.html", "folder")], &out, OPTS).unwrap();
        assert!(out.join("a/index.html").is_file());
        write(&[file("a/b/c/index.html", "deeper")], &out, OPTS).unwrap();
        assert!(!out.join("a/index.html").exists());
        write(&[file("a", "file again")], &out, OPTS).unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("a")).unwrap(),
            "file again"
        );
    }
}

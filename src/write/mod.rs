//! Stage 5, **write**: put the rendered files into a staging folder beside the
//! output, then move them into place. A failed build leaves the previous site
//! exactly as it was; nothing is ever written outside the output folder; a
//! file whose contents did not change is not written again.

mod manifest;
mod output;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;
use std::path::{Component, Path, PathBuf};

use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

use rayon::prelude::*;

use crate::model::Audience;
use manifest::Entry;
pub use output::{Collect, Contents, OutputFile, Sink};

/// Name of the marker file rekap leaves in every output folder.
pub const MARKER: &str = ".rekap-build";

/// Why the site could not be written.
#[derive(Debug)]
pub struct WriteError {
    path: PathBuf,
    kind: WriteErrorKind,
}

#[derive(Debug)]
enum WriteErrorKind {
    Io(std::io::Error),
    UnsafePath(String),
    RefusedName { name: String, refused: char },
    Collision(String),
    NotOurs,
    OtherAudience { found: String, wanted: String },
}

impl WriteError {
    fn io(path: &Path, e: std::io::Error) -> WriteError {
        WriteError {
            path: path.to_path_buf(),
            kind: WriteErrorKind::Io(e),
        }
    }

    /// The path the error is about.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl fmt::Display for WriteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let p = self.path.display();
        match &self.kind {
            WriteErrorKind::Io(e) => write!(f, "{p}: {e}"),
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
                "{p} holds a {found} build; refusing to write a {wanted} build over it (pass --force to do so)"
            ),
        }
    }
}

impl std::error::Error for WriteError {}

/// What was written.
#[derive(Debug, Clone, Default)]
pub struct WriteStats {
    /// Files in the site.
    pub files: usize,
    /// Files written by this build (the others were unchanged).
    pub written: usize,
    /// Bytes in the site.
    pub bytes: u64,
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
                Contents::Bytes(_) => output.join(&f.path),
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

fn sibling(output: &Path, tag: &str) -> PathBuf {
    let name = output
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| "public".into());
    output.with_file_name(format!("{name}.rekap-{tag}-{}", std::process::id()))
}

/// Checks that `output` may be replaced by a build for `opts.audience`.
pub fn check_output(output: &Path, opts: WriteOptions) -> Result<(), WriteError> {
    if !output.exists() {
        return Ok(());
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
                .map_err(|e| WriteError::io(output, e))?
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

/// How a build reaches the output folder.
#[derive(Debug)]
enum Mode {
    /// No previous build with a manifest: everything is written into the
    /// staging folder, which then takes the output's place.
    Swap,
    /// A previous build with its manifest: only files whose contents changed
    /// are staged; on success they are moved into the output one by one and
    /// files the build no longer makes are removed.
    Update {
        /// The previous build's manifest.
        previous: BTreeMap<String, Entry>,
        /// What the output holds now.
        present: Present,
        /// When the previous build finished (its marker's modification time).
        built: std::time::SystemTime,
        /// Whether the previous build was made by this version of rekap.
        same_generator: bool,
    },
}

/// A build being written. Files go into a staging folder beside the output as
/// they are rendered; [`Staging::finish`] moves them into place. Dropped
/// unfinished (a failed build), the staging folder is removed and the output
/// is untouched.
///
/// When the output holds a previous build, only what changed is written: a
/// file whose contents hash to what the previous build's manifest records
/// for it, and which is still there with the recorded length and time, is
/// left alone. So an edit to one release rewrites a handful of files, not
/// the whole site.
#[derive(Debug)]
pub struct Staging {
    dir: PathBuf,
    output: PathBuf,
    opts: WriteOptions,
    mode: Mode,
    files: Mutex<BTreeMap<String, Entry>>,
    staged: Mutex<Vec<String>>,
    dirs: Mutex<HashSet<PathBuf>>,
    bytes: AtomicU64,
    written: AtomicUsize,
    finished: bool,
}

impl Staging {
    /// Checks `output` may be replaced, reads its manifest and creates an
    /// empty staging folder beside it.
    pub fn begin(output: &Path, opts: WriteOptions) -> Result<Staging, WriteError> {
        check_output(output, opts)?;
        if let Some(parent) = output.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|e| WriteError::io(parent, e))?;
        }
        let dir = sibling(output, "staging");
        if dir.exists() {
            std::fs::remove_dir_all(&dir).map_err(|e| WriteError::io(&dir, e))?;
        }
        std::fs::create_dir_all(&dir).map_err(|e| WriteError::io(&dir, e))?;
        let marker = output.join(MARKER);
        let text = std::fs::read_to_string(&marker).unwrap_or_default();
        let previous = manifest::parse(&text);
        let same_generator = manifest::same_generator(&text);
        let built = std::fs::metadata(&marker).and_then(|m| m.modified());
        let mode = match (previous, built, Present::read(output)) {
            (Some(previous), Ok(built), Some(present)) => Mode::Update {
                previous,
                present,
                built,
                same_generator,
            },
            _ => Mode::Swap,
        };
        Ok(Staging {
            dir,
            output: output.to_path_buf(),
            opts,
            mode,
            files: Mutex::new(BTreeMap::new()),
            staged: Mutex::new(Vec::new()),
            dirs: Mutex::new(HashSet::new()),
            bytes: AtomicU64::new(0),
            written: AtomicUsize::new(0),
            finished: false,
        })
    }

    /// Takes one file of the build (thread-safe): stages it, unless the
    /// previous build already wrote exactly these bytes. Refuses paths that
    /// would leave the output folder, names with control characters and a
    /// second file at the same path.
    pub fn put(&self, f: &OutputFile) -> Result<(), WriteError> {
        check_path(f, &self.output)?;
        let copied;
        let bytes: &[u8] = match &f.contents {
            Contents::Bytes(b) => b,
            Contents::Copy(src) => {
                copied = std::fs::read(src).map_err(|e| WriteError::io(src, e))?;
                &copied
            }
        };
        let hash = manifest::hash(bytes);
        let len = bytes.len() as u64;
        self.bytes.fetch_add(len, Ordering::Relaxed);
        let unchanged = match &self.mode {
            Mode::Update { previous, .. } => previous
                .get(&f.path)
                .filter(|e| e.hash == hash && e.len == len && self.intact(&f.path)),
            Mode::Swap => None,
        };
        if let Some(entry) = unchanged {
            return self.record(&f.path, *entry);
        }
        // Claim the path before writing, so a collision never overwrites.
        self.record(&f.path, Entry { hash, len })?;
        let dest = self.dir.join(&f.path);
        if let Some(parent) = dest.parent() {
            let known = self.lock_dirs().contains(parent);
            if !known {
                std::fs::create_dir_all(parent).map_err(|e| WriteError::io(parent, e))?;
                self.lock_dirs().insert(parent.to_path_buf());
            }
        }
        std::fs::write(&dest, bytes).map_err(|e| WriteError::io(&dest, e))?;
        self.staged
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(f.path.clone());
        self.written.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }

    /// Whether the previous build's file at `path` is still in the output as
    /// it was written: same length, not modified since.
    fn intact(&self, path: &str) -> bool {
        match &self.mode {
            Mode::Update {
                previous,
                present,
                built,
                ..
            } => previous.get(path).is_some_and(|e| {
                present
                    .files
                    .get(path)
                    .is_some_and(|&(n, t)| n == e.len && t <= *built)
            }),
            Mode::Swap => false,
        }
    }

    /// Keeps the previous build's `path` instead of making it again, when it
    /// is made from `source` alone (a chart's PNG from its SVG), this build
    /// has already taken `source` with the same bytes as the previous build,
    /// and the same version of rekap made it. Returns whether it was kept;
    /// if not, the caller makes and puts `path` as usual.
    pub fn reuse(&self, path: &str, source: &str) -> Result<bool, WriteError> {
        let Mode::Update {
            previous,
            same_generator: true,
            ..
        } = &self.mode
        else {
            return Ok(false);
        };
        let same_source = match (previous.get(source), self.lock_files().get(source)) {
            (Some(before), Some(now)) => before == now,
            _ => false,
        };
        match previous.get(path) {
            Some(entry) if same_source && self.intact(path) => {
                self.bytes.fetch_add(entry.len, Ordering::Relaxed);
                self.record(path, *entry).map(|_| true)
            }
            _ => Ok(false),
        }
    }

    fn lock_files(&self) -> std::sync::MutexGuard<'_, BTreeMap<String, Entry>> {
        self.files.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn lock_dirs(&self) -> std::sync::MutexGuard<'_, HashSet<PathBuf>> {
        self.dirs.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Records `path` in the new manifest; an error if it is already there.
    fn record(&self, path: &str, entry: Entry) -> Result<(), WriteError> {
        match self.lock_files().entry(path.to_string()) {
            std::collections::btree_map::Entry::Occupied(_) => Err(WriteError {
                path: self.output.join(path),
                kind: WriteErrorKind::Collision(path.to_string()),
            }),
            std::collections::btree_map::Entry::Vacant(v) => {
                v.insert(entry);
                Ok(())
            }
        }
    }

    /// Puts the build in place of the output: swaps the staging folder in
    /// (first build), or moves the changed files into the output, removes
    /// what the build no longer makes and writes the new manifest last.
    pub fn finish(mut self) -> Result<WriteStats, WriteError> {
        let files = std::mem::take(&mut *self.lock_files());
        let marker_text = manifest::render(self.opts.audience, &files);
        let marker = self.dir.join(MARKER);
        std::fs::write(&marker, marker_text).map_err(|e| WriteError::io(&marker, e))?;
        match &self.mode {
            Mode::Swap => swap(&self.dir, &self.output)?,
            Mode::Update { present, .. } => {
                let staged =
                    std::mem::take(&mut *self.staged.lock().unwrap_or_else(|e| e.into_inner()));
                update(&self.dir, &self.output, present, &files, &staged)?;
                let _ = std::fs::remove_dir_all(&self.dir);
            }
        }
        self.finished = true;
        Ok(WriteStats {
            files: files.len(),
            bytes: self.bytes.load(Ordering::Relaxed),
            written: self.written.load(Ordering::Relaxed),
        })
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.finished {
            let _ = std::fs::remove_dir_all(&self.dir);
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

/// What an output folder holds: its files (with length and modification
/// time) and its folders, relative to it.
#[derive(Debug, Default)]
struct Present {
    files: HashMap<String, (u64, std::time::SystemTime)>,
    dirs: Vec<String>,
}

impl Present {
    /// Lists `output`; `None` if it cannot, or if it holds a symbolic link or
    /// a name that is not UTF-8 (then the build starts afresh, by swap, so
    /// that nothing is ever written through a link).
    fn read(output: &Path) -> Option<Present> {
        let mut present = Present::default();
        for entry in walkdir::WalkDir::new(output).min_depth(1) {
            let entry = entry.ok()?;
            let rel = entry
                .path()
                .strip_prefix(output)
                .ok()?
                .to_str()?
                .to_string();
            let ft = entry.file_type();
            if ft.is_dir() {
                present.dirs.push(rel);
            } else if ft.is_file() {
                let meta = entry.metadata().ok()?;
                present
                    .files
                    .insert(rel, (meta.len(), meta.modified().ok()?));
            } else {
                return None;
            }
        }
        Some(present)
    }
}

/// Brings `output` to the new build: removes every file and folder the build
/// does not make (stale pages, stray files), moves the `staged` files in from
/// `staging`, and the marker last, so that an interrupted update leaves the
/// previous manifest and marker time, which the next build does not trust for
/// the files that moved.
fn update(
    staging: &Path,
    output: &Path,
    present: &Present,
    files: &BTreeMap<String, Entry>,
    staged: &[String],
) -> Result<(), WriteError> {
    // Folders the new build needs, so that they are not removed and re-made.
    let mut keep: HashSet<&str> = HashSet::new();
    for p in files.keys() {
        let mut rest = p.as_str();
        while let Some((dir, _)) = rest.rsplit_once('/') {
            if !keep.insert(dir) {
                break;
            }
            rest = dir;
        }
    }
    let gone = |e: &std::io::Error| e.kind() == std::io::ErrorKind::NotFound;
    for rel in present.files.keys() {
        if rel != MARKER && !files.contains_key(rel) {
            let p = output.join(rel);
            std::fs::remove_file(&p)
                .or_else(|e| if gone(&e) { Ok(()) } else { Err(e) })
                .map_err(|e| WriteError::io(&p, e))?;
        }
    }
    for rel in &present.dirs {
        if !keep.contains(rel.as_str()) {
            let p = output.join(rel);
            std::fs::remove_dir_all(&p)
                .or_else(|e| if gone(&e) { Ok(()) } else { Err(e) })
                .map_err(|e| WriteError::io(&p, e))?;
        }
    }
    let mut made: HashSet<PathBuf> = HashSet::new();
    for rel in staged {
        let dest = output.join(rel);
        if let Some(parent) = dest.parent()
            && !made.contains(parent)
        {
            std::fs::create_dir_all(parent).map_err(|e| WriteError::io(parent, e))?;
            made.insert(parent.to_path_buf());
        }
        std::fs::rename(staging.join(rel), &dest).map_err(|e| WriteError::io(&dest, e))?;
    }
    let marker = output.join(MARKER);
    std::fs::rename(staging.join(MARKER), &marker).map_err(|e| WriteError::io(&marker, e))
}

/// Puts a complete staging folder in place of the output (the first build).
fn swap(staging: &Path, output: &Path) -> Result<(), WriteError> {
    if output.exists() {
        let old = sibling(output, "old");
        if old.exists() {
            std::fs::remove_dir_all(&old).map_err(|e| WriteError::io(&old, e))?;
        }
        std::fs::rename(output, &old).map_err(|e| WriteError::io(output, e))?;
        if let Err(e) = std::fs::rename(staging, output) {
            // Put the previous site back.
            let _ = std::fs::rename(&old, output);
            return Err(WriteError::io(output, e));
        }
        std::fs::remove_dir_all(&old).map_err(|e| WriteError::io(&old, e))?;
    } else {
        std::fs::rename(staging, output).map_err(|e| WriteError::io(output, e))?;
    }
    Ok(())
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
        let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "no staging or old folder left behind");
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
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "one",
            "nothing written"
        );
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
        assert!(write(&[file("index.html", "internal")], &out, internal).is_err());
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
        let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "no staging folder left behind");
    }

    #[test]
    fn a_file_changed_by_hand_or_stray_is_put_right() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let site = [file("index.html", "home"), file("a/index.html", "aaaa")];
        write(&site, &out, OPTS).unwrap();
        std::thread::sleep(std::time::Duration::from_millis(20));
        // Same length, different bytes: only the time tells.
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
    fn a_failed_rebuild_leaves_the_previous_site_as_it_was() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write(
            &[file("index.html", "one"), file("a.html", "a")],
            &out,
            OPTS,
        )
        .unwrap();
        let marker = std::fs::read(out.join(MARKER)).unwrap();
        let staging = Staging::begin(&out, OPTS).unwrap();
        staging.put(&file("index.html", "two")).unwrap();
        drop(staging); // the build failed before finishing
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "one"
        );
        assert!(out.join("a.html").exists());
        assert_eq!(std::fs::read(out.join(MARKER)).unwrap(), marker);
        let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1);
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
        write(
            &[file("index.html", "home"), file("a/index.html", "new")],
            &out,
            OPTS,
        )
        .unwrap();
        assert!(
            !std::fs::symlink_metadata(out.join("a"))
                .unwrap()
                .is_symlink()
        );
        assert_eq!(
            std::fs::read_to_string(out.join("a/index.html")).unwrap(),
            "new"
        );
        assert_eq!(
            std::fs::read_to_string(elsewhere.join("index.html")).unwrap(),
            "a"
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
        assert_eq!((stats.files, stats.written), (2, 0));
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

//! Stage 5, **write**: put the rendered files into a staging folder beside the
//! output, then swap it in. A failed build leaves the previous site exactly
//! as it was; nothing is ever written outside the output folder.

use std::collections::BTreeSet;
use std::fmt;
use std::path::{Component, Path, PathBuf};

use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

use rayon::prelude::*;

use crate::model::Audience;
use crate::render::{Contents, OutputFile};

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
    /// Files written.
    pub files: usize,
    /// Bytes written.
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

/// Whether `rel` is a safe relative path: only normal components, no `..`, not absolute.
///
/// ```
/// use rekap::write::is_safe_relative;
/// assert!(is_safe_relative("regions/gorontalo/index.html"));
/// assert!(!is_safe_relative("../etc/passwd"));
/// assert!(!is_safe_relative("/etc/passwd"));
/// assert!(!is_safe_relative("a/../../b"));
/// ```
pub fn is_safe_relative(rel: &str) -> bool {
    !rel.is_empty()
        && !rel.contains('\\')
        && !rel.contains('\0')
        && Path::new(rel)
            .components()
            .all(|c| matches!(c, Component::Normal(_)))
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
            let found = text
                .lines()
                .find_map(|l| l.strip_prefix("audience: "))
                .unwrap_or("public")
                .trim()
                .to_string();
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

/// A build being written: files go into a staging folder beside the output as
/// they are rendered; [`Staging::finish`] swaps it in. Dropped unfinished (a
/// failed build), the staging folder is removed and the output is untouched.
#[derive(Debug)]
pub struct Staging {
    dir: PathBuf,
    output: PathBuf,
    opts: WriteOptions,
    seen: Mutex<BTreeSet<String>>,
    dirs: Mutex<BTreeSet<PathBuf>>,
    files: AtomicUsize,
    bytes: AtomicU64,
    finished: bool,
}

impl Staging {
    /// Checks `output` may be replaced and creates an empty staging folder beside it.
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
        Ok(Staging {
            dir,
            output: output.to_path_buf(),
            opts,
            seen: Mutex::new(BTreeSet::new()),
            dirs: Mutex::new(BTreeSet::new()),
            files: AtomicUsize::new(0),
            bytes: AtomicU64::new(0),
            finished: false,
        })
    }

    /// Writes one file into the staging folder (thread-safe). Refuses paths
    /// that would leave the output folder and a second file at the same path.
    pub fn put(&self, f: &OutputFile) -> Result<(), WriteError> {
        if !is_safe_relative(&f.path) || f.path == MARKER {
            return Err(WriteError {
                path: self.output.clone(),
                kind: WriteErrorKind::UnsafePath(f.path.clone()),
            });
        }
        if !self
            .seen
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(f.path.clone())
        {
            return Err(WriteError {
                path: self.output.join(&f.path),
                kind: WriteErrorKind::Collision(f.path.clone()),
            });
        }
        let dest = self.dir.join(&f.path);
        if let Some(parent) = dest.parent() {
            let known = self
                .dirs
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .contains(parent);
            if !known {
                std::fs::create_dir_all(parent).map_err(|e| WriteError::io(parent, e))?;
                self.dirs
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .insert(parent.to_path_buf());
            }
        }
        let n = match &f.contents {
            Contents::Bytes(b) => std::fs::write(&dest, b).map(|_| b.len() as u64),
            Contents::Copy(src) => std::fs::copy(src, &dest),
        }
        .map_err(|e| WriteError::io(&dest, e))?;
        self.files.fetch_add(1, Ordering::Relaxed);
        self.bytes.fetch_add(n, Ordering::Relaxed);
        Ok(())
    }

    /// Writes the marker file and swaps the staging folder in place of the output.
    pub fn finish(mut self) -> Result<WriteStats, WriteError> {
        let marker = self.dir.join(MARKER);
        std::fs::write(
            &marker,
            format!(
                "generator: rekap {}\naudience: {}\n",
                env!("CARGO_PKG_VERSION"),
                self.opts.audience.as_str()
            ),
        )
        .map_err(|e| WriteError::io(&marker, e))?;
        swap(&self.dir, &self.output)?;
        self.finished = true;
        Ok(WriteStats {
            files: self.files.load(Ordering::Relaxed),
            bytes: self.bytes.load(Ordering::Relaxed),
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

impl crate::render::Sink for Staging {
    fn put(&self, file: OutputFile) -> Result<(), WriteError> {
        Staging::put(self, &file)
    }
}

/// Writes `files` to `output` atomically (stage, then swap).
pub fn write(
    files: &[OutputFile],
    output: &Path,
    opts: WriteOptions,
) -> Result<WriteStats, WriteError> {
    let staging = Staging::begin(output, opts)?;
    files.par_iter().try_for_each(|f| staging.put(f))?;
    staging.finish()
}

fn swap(staging: &Path, output: &Path) -> Result<(), WriteError> {
    if output.exists() {
        let old = sibling(output, "old");
        if old.exists() {
            std::fs::remove_dir_all(&old).map_err(|e| WriteError::io(&old, e))?;
        }
        std::fs::rename(output, &old).map_err(|e| {
            let _ = std::fs::remove_dir_all(staging);
            WriteError::io(output, e)
        })?;
        if let Err(e) = std::fs::rename(staging, output) {
            // Put the previous site back.
            let _ = std::fs::rename(&old, output);
            let _ = std::fs::remove_dir_all(staging);
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
        let err = write(&[file("../evil.html", "x")], &out, OPTS).unwrap_err();
        assert!(err.to_string().contains("leave the output folder"));
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            "one"
        );
        assert!(!dir.path().join("evil.html").exists());
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
}

//! Stage 5, **write**: put the rendered files into a staging folder beside the
//! output, then swap it in. A failed build leaves the previous site exactly
//! as it was; nothing is ever written outside the output folder.

use std::collections::BTreeSet;
use std::fmt;
use std::path::{Component, Path, PathBuf};

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

/// Writes `files` to `output` atomically (stage, then swap).
pub fn write(
    files: &[OutputFile],
    output: &Path,
    opts: WriteOptions,
) -> Result<WriteStats, WriteError> {
    check_output(output, opts)?;
    let mut seen = BTreeSet::new();
    for f in files {
        if !is_safe_relative(&f.path) || f.path == MARKER {
            return Err(WriteError {
                path: output.to_path_buf(),
                kind: WriteErrorKind::UnsafePath(f.path.clone()),
            });
        }
        if !seen.insert(f.path.as_str()) {
            return Err(WriteError {
                path: output.join(&f.path),
                kind: WriteErrorKind::Collision(f.path.clone()),
            });
        }
    }
    if let Some(parent) = output.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(|e| WriteError::io(parent, e))?;
    }
    let staging = sibling(output, "staging");
    if staging.exists() {
        std::fs::remove_dir_all(&staging).map_err(|e| WriteError::io(&staging, e))?;
    }
    let result = fill(&staging, files, opts);
    let stats = match result {
        Ok(s) => s,
        Err(e) => {
            let _ = std::fs::remove_dir_all(&staging);
            return Err(e);
        }
    };
    swap(&staging, output)?;
    Ok(stats)
}

fn fill(
    staging: &Path,
    files: &[OutputFile],
    opts: WriteOptions,
) -> Result<WriteStats, WriteError> {
    std::fs::create_dir_all(staging).map_err(|e| WriteError::io(staging, e))?;
    let dirs: BTreeSet<PathBuf> = files
        .iter()
        .filter_map(|f| Path::new(&f.path).parent().map(Path::to_path_buf))
        .collect();
    for d in &dirs {
        let full = staging.join(d);
        std::fs::create_dir_all(&full).map_err(|e| WriteError::io(&full, e))?;
    }
    let bytes: Result<Vec<u64>, WriteError> = files
        .par_iter()
        .map(|f| {
            let dest = staging.join(&f.path);
            match &f.contents {
                Contents::Bytes(b) => std::fs::write(&dest, b).map(|_| b.len() as u64),
                Contents::Copy(src) => std::fs::copy(src, &dest),
            }
            .map_err(|e| WriteError::io(&dest, e))
        })
        .collect();
    let bytes = bytes?;
    let marker = staging.join(MARKER);
    std::fs::write(
        &marker,
        format!(
            "generator: rekap {}\naudience: {}\n",
            env!("CARGO_PKG_VERSION"),
            opts.audience.as_str()
        ),
    )
    .map_err(|e| WriteError::io(&marker, e))?;
    Ok(WriteStats {
        files: files.len(),
        bytes: bytes.iter().sum(),
    })
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

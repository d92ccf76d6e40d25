//! `rekap init`: write the embedded example site into a new folder.

use std::fmt;
use std::path::{Path, PathBuf};

use rust_embed::RustEmbed;

#[derive(RustEmbed)]
#[folder = "content/"]
#[prefix = "content/"]
struct Example;

/// Why `init` could not write the example.
#[derive(Debug)]
pub enum InitError {
    /// The folder exists and is not empty.
    NotEmpty(PathBuf),
    /// Reading or writing failed.
    Io(PathBuf, std::io::Error),
}

impl fmt::Display for InitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InitError::NotEmpty(p) => write!(
                f,
                "{} is not empty; give a new or empty folder",
                p.display()
            ),
            InitError::Io(p, e) => write!(f, "{}: {e}", p.display()),
        }
    }
}

impl std::error::Error for InitError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            InitError::Io(_, e) => Some(e),
            InitError::NotEmpty(_) => None,
        }
    }
}

/// Writes a new, working site (the embedded example) into `dir`, which must
/// not exist or be empty. Returns the number of files written.
///
/// # Errors
///
/// [`InitError::NotEmpty`] if `dir` holds anything; an I/O error (with its
/// path) if a folder or file cannot be created.
pub fn init(dir: &Path) -> Result<usize, InitError> {
    if dir.exists() {
        let mut entries =
            std::fs::read_dir(dir).map_err(|e| InitError::Io(dir.to_path_buf(), e))?;
        if entries.next().is_some() {
            return Err(InitError::NotEmpty(dir.to_path_buf()));
        }
    }
    let mut names: Vec<_> = Example::iter().collect();
    names.sort();
    for name in &names {
        let file = Example::get(name).expect("listed by iter");
        let dest = dir.join(name.as_ref());
        if let Some(parent) = dest.parent() {
            std::fs::create_dir_all(parent).map_err(|e| InitError::Io(parent.to_path_buf(), e))?;
        }
        std::fs::write(&dest, &file.data).map_err(|e| InitError::Io(dest.clone(), e))?;
    }
    Ok(names.len())
}

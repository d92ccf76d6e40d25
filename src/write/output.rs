//! The output side of the boundary between render and write: one finished
//! file ([`OutputFile`]), what it holds ([`Contents`]), and where finished
//! files go ([`Sink`]). Render produces files and hands them to a sink; the
//! staging folder of [`super::Staging`] and the in-memory [`Collect`] are the
//! two sinks.

use super::WriteError;

/// What goes into one output file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Contents {
    /// Bytes produced by the build.
    Bytes(Vec<u8>),
    /// Bytes produced by the build and shared with whoever else holds
    /// them (a page kept from an earlier build by `rekap serve`).
    Shared(bytes::Bytes),
    /// Bytes made of pieces, in order, each shared (the search index of
    /// `rekap serve`, whose documents are kept one by one): a sink in
    /// memory holds them so, one on disk writes them one after the other.
    Pieces(Vec<bytes::Bytes>),
    /// A file copied as it is from the site's `static/`.
    Copy(std::path::PathBuf),
}

impl Contents {
    /// The bytes, unless the file is a copy (whose bytes are still on
    /// disk) or in pieces.
    pub fn bytes(&self) -> Option<&[u8]> {
        match self {
            Contents::Bytes(b) => Some(b),
            Contents::Shared(b) => Some(b),
            Contents::Copy(_) | Contents::Pieces(_) => None,
        }
    }
}

/// One file of the built site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// Path relative to the output folder, `/`-separated, never absolute or with `..`.
    pub path: String,
    /// What to write.
    pub contents: Contents,
}

/// Where rendered files go, as soon as each is ready (a staging folder, or memory).
pub trait Sink: Sync {
    /// Takes one finished file.
    fn put(&self, file: OutputFile) -> Result<(), WriteError>;

    /// Keeps the file at `path` from the previous build, if it is made from
    /// the file at `source` alone and `source` (already put) did not change;
    /// returns whether it did. A sink with no previous build keeps nothing.
    fn reuse(&self, path: &str, source: &str) -> Result<bool, WriteError> {
        let _ = (path, source);
        Ok(false)
    }

    /// Keeps the file at `path` as the previous build made it, for a caller
    /// that proved it would make the same bytes (see `crate::cache`), and
    /// tells how it checked the file; `None` if it cannot (no previous
    /// build, or the file changed since): the caller then makes the file
    /// and puts it.
    fn keep(&self, path: &str) -> Result<Option<Kept>, WriteError> {
        let _ = path;
        Ok(None)
    }

    /// [`Sink::keep`] without reading the file: keeps it if it still has
    /// `stamp`, the [`Stamp`](super::Stamp) it had just after the previous
    /// build was put in place; returns whether it did.
    fn keep_stamped(&self, path: &str, stamp: &super::Stamp) -> Result<bool, WriteError> {
        let _ = (path, stamp);
        Ok(false)
    }
}

/// How a sink kept a file of the previous build (see [`Sink::keep`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kept {
    /// Checked by its bytes, which were read: here they are.
    Read(Vec<u8>),
    /// Checked by its [`Stamp`](super::Stamp), unread.
    Stamped,
}

/// A sink that keeps every file in memory (for `check`, and for tests).
#[derive(Debug, Default)]
pub struct Collect(std::sync::Mutex<Vec<OutputFile>>);

impl Collect {
    /// The files collected, sorted by path.
    pub fn into_files(self) -> Vec<OutputFile> {
        let mut v = self.0.into_inner().unwrap_or_else(|e| e.into_inner());
        v.sort_by(|a, b| a.path.cmp(&b.path));
        v
    }
}

impl Sink for Collect {
    /// Takes `file`, refusing what a build would refuse to write (a path
    /// leaving the output, a name with control characters), so that `check`
    /// reports it too.
    fn put(&self, file: OutputFile) -> Result<(), WriteError> {
        super::check_path(&file, std::path::Path::new(""))?;
        self.0.lock().unwrap_or_else(|e| e.into_inner()).push(file);
        Ok(())
    }
}

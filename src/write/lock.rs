//! The lock that keeps two builds from writing one output folder at once.
//!
//! It is an advisory lock (`flock` on Unix, `LockFileEx` on Windows, through
//! [`std::fs::File::try_lock`]) on a file beside the output,
//! `<output>.rekap-lock`. The operating system releases it when the process
//! ends, however it ends, so a killed build never leaves the output locked:
//! the next build takes the lock over. The file is removed when the lock is
//! released (a build killed with `SIGKILL` leaves it; the next one reuses it).

use std::fs::File;
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};

use super::{Doing, Place, WriteError, WriteErrorKind};

/// An exclusive lock on an output folder. A build holds it from before it
/// renders until its files are in place or it failed; while it is held no
/// other build can write the same output, nor remove what a build left
/// beside it. Released when dropped.
///
/// Other tools can take it too, to read or copy the output folder while no
/// build replaces it.
#[derive(Debug)]
pub struct OutputLock {
    file: File,
    path: PathBuf,
}

impl OutputLock {
    /// Takes the lock of the output folder `output` (which need not exist; its
    /// parent must). Does not wait: if another process holds it, fails at
    /// once with an error naming the lock file and, when known, the process.
    pub fn acquire(output: &Path) -> Result<OutputLock, WriteError> {
        let place = Place::new(output)?;
        OutputLock::acquire_at(&place)
    }

    pub(super) fn acquire_at(place: &Place) -> Result<OutputLock, WriteError> {
        let path = place.lock_path();
        // A lock file removed by its holder between our open and our lock is
        // no lock at all: try again on the new file (a few times at most).
        for _ in 0..8 {
            let mut file =
                open_no_follow(&path).map_err(|e| WriteError::io(&path, Doing::Lock, e))?;
            match file.try_lock() {
                Ok(()) => {}
                Err(std::fs::TryLockError::WouldBlock) => {
                    let mut text = String::new();
                    let _ = file.read_to_string(&mut text);
                    return Err(WriteError {
                        path: place.output.clone(),
                        kind: WriteErrorKind::Locked {
                            lock: path,
                            holder: text.trim().parse().ok(),
                        },
                    });
                }
                Err(std::fs::TryLockError::Error(e)) => {
                    return Err(WriteError::io(&path, Doing::Lock, e));
                }
            }
            if !still_named(&file, &path) {
                continue;
            }
            // Who holds it, for the message another build gives.
            let _ = file.set_len(0);
            let _ = file.rewind();
            let _ = writeln!(file, "{}", std::process::id());
            return Ok(OutputLock { file, path });
        }
        Err(WriteError::io(
            &path,
            Doing::Lock,
            std::io::Error::other("the lock file keeps being replaced by another process"),
        ))
    }

    /// The lock file.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for OutputLock {
    fn drop(&mut self) {
        // Removed while still held, so that whoever opens the name next
        // creates a new file (and whoever opened the old one sees it is no
        // longer named and tries again); then unlocked by closing.
        #[cfg(unix)]
        let _ = std::fs::remove_file(&self.path);
        let _ = self.file.unlock();
    }
}

/// Opens (creating) the lock file, never through a symbolic link.
fn open_no_follow(path: &Path) -> std::io::Result<File> {
    let mut opts = std::fs::OpenOptions::new();
    opts.read(true).write(true).create(true).truncate(false);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.custom_flags(rustix::fs::OFlags::NOFOLLOW.bits() as i32);
    }
    opts.open(path)
}

/// Whether `path` still names the open `file` (the holder before us may
/// have removed it just before we locked it).
#[cfg(unix)]
fn still_named(file: &File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), std::fs::symlink_metadata(path)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn still_named(_: &File, _: &Path) -> bool {
    true
}

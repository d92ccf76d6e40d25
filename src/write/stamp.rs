//! Stamps: what tells, without reading it, that a file of the output is
//! still the very file a build left there.
//!
//! Checking a kept file by its bytes means reading the whole site back (on
//! the large benchmark site, 800 MB for one edited release). A [`Stamp`]
//! is taken of every file just after a build is put in place, and the next
//! build keeps a file whose stamp is unchanged without reading it. The
//! stamp holds the file's device and inode, its length, and its
//! modification and status-change times (nanoseconds): writing into a file
//! changes both times, and the status-change time cannot be set back by any
//! program (only by the system clock), so a file edited by hand, even one
//! whose modification time was restored, shows a new stamp. A file that
//! got a new name or lost one also changes its status-change time, so a
//! stamp may differ while the bytes are the same: the build then reads the
//! file as before, never trusting more than the stamp proves. The proof
//! is as fine as the file system's clock: where it keeps whole seconds (old
//! file systems; ext4, XFS, btrfs and tmpfs keep nanoseconds), a file
//! written in the same second as the build, to the same length, with its
//! modification time put back, would pass; `--no-cache` reads everything.

use std::path::Path;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

/// A file's identity, length and times: what tells, without reading it,
/// that a file of the output is still the one a build left there (the
/// status-change time catches a write whose modification time was put back).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Stamp {
    dev: u64,
    ino: u64,
    len: u64,
    modified: (i64, i64),
    changed: (i64, i64),
}

impl Stamp {
    /// The stamp of the regular file at `path` (never through a link);
    /// `None` if it is not one, cannot be read, or the system tells no
    /// inode (then nothing is kept by stamp).
    pub fn of(path: &Path) -> Option<Stamp> {
        let meta = std::fs::symlink_metadata(path).ok()?;
        if !meta.is_file() {
            return None;
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            Some(Stamp {
                dev: meta.dev(),
                ino: meta.ino(),
                len: meta.len(),
                modified: (meta.mtime(), meta.mtime_nsec()),
                changed: (meta.ctime(), meta.ctime_nsec()),
            })
        }
        #[cfg(not(unix))]
        {
            None
        }
    }

    /// The file's length.
    pub fn len(&self) -> u64 {
        self.len
    }

    /// Whether the file is empty.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Whether the file was last written or renamed before `time` (both
    /// its times earlier). A file's times come from a clock that ticks
    /// coarsely (a few milliseconds): a stamp taken within a tick of a
    /// write could be that of a file written again in the same tick, to the
    /// same length, and so prove nothing. A stamp settled well before it was
    /// taken cannot: any later write gives later times (the way Git treats
    /// "racily clean" files).
    pub fn settled_before(&self, time: std::time::SystemTime) -> bool {
        let Ok(t) = time.duration_since(std::time::UNIX_EPOCH) else {
            return false;
        };
        let t = (t.as_secs() as i64, t.subsec_nanos() as i64);
        self.modified < t && self.changed < t
    }

    /// Whether `other` is the same file with the same bytes as far as a
    /// stamp tells, leaving out the status-change time (which a new name
    /// for the file changes: see [`Staging::keep_stamped`](super::Staging::keep_stamped)).
    pub(super) fn same_file(&self, other: &Stamp) -> bool {
        (self.dev, self.ino, self.len, self.modified)
            == (other.dev, other.ino, other.len, other.modified)
    }
}

/// The stamp of each of `paths` (`/`-separated, relative to `root`), in
/// order; `None` for a file that has none.
pub fn stamps(root: &Path, paths: &[String]) -> Vec<Option<Stamp>> {
    paths.par_iter().map(|p| Stamp::of(&root.join(p))).collect()
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn a_stamp_changes_when_the_file_is_written_or_renamed_over() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.html");
        std::fs::write(&path, "one").unwrap();
        let first = Stamp::of(&path).unwrap();
        assert_eq!(Stamp::of(&path), Some(first), "nothing happened");
        assert_eq!(first.len(), 3);
        // Same length, modification time put back: the change time tells.
        let modified = std::fs::metadata(&path).unwrap().modified().unwrap();
        std::thread::sleep(std::time::Duration::from_millis(5));
        std::fs::write(&path, "two").unwrap();
        std::fs::File::options()
            .write(true)
            .open(&path)
            .unwrap()
            .set_modified(modified)
            .unwrap();
        let second = Stamp::of(&path).unwrap();
        assert_ne!(second, first, "written in place, time restored");
        // Saved by rename, as editors do: another inode.
        let other = dir.path().join("b.html");
        std::fs::write(&other, "two").unwrap();
        std::fs::rename(&other, &path).unwrap();
        let third = Stamp::of(&path).unwrap();
        assert!(!third.same_file(&second), "another file");
        // A second name keeps the file but changes its status time.
        std::fs::hard_link(&path, dir.path().join("c.html")).unwrap();
        let fourth = Stamp::of(&path).unwrap();
        assert!(fourth.same_file(&third));
        assert!(Stamp::of(dir.path()).is_none(), "a folder has none");
        assert!(Stamp::of(&dir.path().join("none")).is_none());
    }

    #[test]
    fn stamps_are_given_in_order() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("x"), "1").unwrap();
        let got = stamps(dir.path(), &["x".into(), "missing".into()]);
        assert!(got[0].is_some());
        assert!(got[1].is_none());
    }
}

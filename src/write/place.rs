//! Where a build goes beside the output folder, and how it takes the output's
//! place: the names rekap gives what it puts beside the output, the removal
//! of what killed builds left there, the mount-point check and the switch.
//!
//! The new site is built complete in `<output>.rekap-staging-<pid>` beside
//! the output, and then exchanged with the output in one atomic step
//! (`renameat2(RENAME_EXCHANGE)` on Linux): the output folder holds either
//! the previous site or the new one, whenever the build is interrupted.
//! After the exchange the staging name holds the previous site, which
//! becomes the spare (see `spare`).

use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};

use super::{Doing, WriteError, WriteErrorKind};

/// The output folder, its parent and its name.
#[derive(Debug, Clone)]
pub(super) struct Place {
    pub(super) output: PathBuf,
    pub(super) parent: PathBuf,
    name: OsString,
}

/// What a build leaves beside the output while it runs.
const STAGING: &str = "staging";
/// The previous site set aside by the portable switch (and by rekap before
/// it exchanged folders).
const OLD: &str = "old";

impl Place {
    /// The place of `output`; an error if it has no name (`..`, `/`).
    pub(super) fn new(output: &Path) -> Result<Place, WriteError> {
        let abs =
            std::path::absolute(output).map_err(|e| WriteError::io(output, Doing::Inspect, e))?;
        match (abs.file_name(), abs.parent()) {
            (Some(name), Some(parent)) => Ok(Place {
                output: output.to_path_buf(),
                parent: parent.to_path_buf(),
                name: name.to_os_string(),
            }),
            _ => Err(WriteError {
                path: output.to_path_buf(),
                kind: WriteErrorKind::Unnamed,
            }),
        }
    }

    fn beside(&self, suffix: &str) -> PathBuf {
        let mut name = self.name.clone();
        name.push(suffix);
        self.parent.join(name)
    }

    /// The staging folder of this process.
    pub(super) fn staging(&self) -> PathBuf {
        self.beside(&format!(".rekap-{STAGING}-{}", std::process::id()))
    }

    /// Where the portable switch sets the previous site aside.
    pub(super) fn old(&self) -> PathBuf {
        self.beside(&format!(".rekap-{OLD}-{}", std::process::id()))
    }

    /// The spare (see `spare`).
    pub(super) fn spare(&self) -> PathBuf {
        self.beside(".rekap-spare")
    }

    /// The lock file.
    pub(super) fn lock_path(&self) -> PathBuf {
        self.beside(".rekap-lock")
    }

    /// What a name beside the output is, if rekap gave it: `Some(STAGING)`
    /// or `Some(OLD)` for `<output>.rekap-staging-<digits>` and
    /// `<output>.rekap-old-<digits>`, `None` for anything else.
    fn ours(&self, entry: &OsStr) -> Option<&'static str> {
        let rest = entry
            .as_encoded_bytes()
            .strip_prefix(self.name.as_encoded_bytes())?
            .strip_prefix(b".rekap-")?;
        [STAGING, OLD].into_iter().find(|tag| {
            rest.strip_prefix(tag.as_bytes())
                .and_then(|r| r.strip_prefix(b"-"))
                .is_some_and(|pid| !pid.is_empty() && pid.iter().all(u8::is_ascii_digit))
        })
    }

    /// Removes what builds of this output that were killed left beside it:
    /// their staging folders (holding a part of a new site, or the previous
    /// site after the exchange) and a previous site the portable switch had
    /// set aside, which is first put back if the output is missing. Only
    /// names rekap gives are touched, and only by the holder of the lock, so
    /// never a live build's. Errors are ignored: what cannot be removed now
    /// is tried again next time, and does not concern this build.
    pub(super) fn sweep(&self) {
        let Ok(entries) = std::fs::read_dir(&self.parent) else {
            return;
        };
        let mut found: Vec<(PathBuf, &str)> = entries
            .filter_map(|e| e.ok())
            .filter_map(|e| {
                let tag = self.ours(&e.file_name())?;
                Some((e.path(), tag))
            })
            .collect();
        found.sort();
        for (path, tag) in found {
            let Ok(meta) = std::fs::symlink_metadata(&path) else {
                continue;
            };
            if tag == OLD
                && meta.is_dir()
                && std::fs::symlink_metadata(&self.output).is_err()
                && std::fs::rename(&path, &self.output).is_ok()
            {
                continue;
            }
            let _ = if meta.is_dir() {
                std::fs::remove_dir_all(&path)
            } else {
                std::fs::remove_file(&path)
            };
        }
    }
}

/// What identifies the file system a folder is on and whether the folder is
/// the root of a mount.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct FsId {
    /// The device (`st_dev`).
    pub(super) dev: u64,
    /// Whether the kernel says the folder is the root of a mount
    /// (`STATX_ATTR_MOUNT_ROOT`, Linux 5.8 and later); `None` if it cannot tell.
    pub(super) mount_root: Option<bool>,
}

/// Whether a folder is a mount point, from its own ids and its parent's:
/// on another device than its parent, or the root of a mount by the
/// kernel's word (a bind mount of a folder of the same file system keeps
/// the device).
pub(super) fn is_mount_point(folder: FsId, parent: FsId) -> bool {
    folder.dev != parent.dev || folder.mount_root == Some(true)
}

/// The ids of `path` itself (a link is not followed); `None` if it cannot be
/// examined (it does not exist) or on a system where this is unknown.
#[cfg(any(target_os = "linux", target_os = "android"))]
pub(super) fn fs_id(path: &Path) -> Option<FsId> {
    use rustix::fs::{AtFlags, CWD, StatxAttributes, StatxFlags};
    let st = rustix::fs::statx(
        CWD,
        path,
        AtFlags::SYMLINK_NOFOLLOW | AtFlags::NO_AUTOMOUNT,
        StatxFlags::BASIC_STATS,
    );
    match st {
        Ok(st) => {
            let known = st.stx_attributes_mask.contains(StatxAttributes::MOUNT_ROOT);
            Some(FsId {
                dev: rustix::fs::makedev(st.stx_dev_major, st.stx_dev_minor),
                mount_root: known.then(|| st.stx_attributes.contains(StatxAttributes::MOUNT_ROOT)),
            })
        }
        Err(rustix::io::Errno::NOSYS) => {
            use std::os::unix::fs::MetadataExt;
            let meta = std::fs::symlink_metadata(path).ok()?;
            Some(FsId {
                dev: meta.dev(),
                mount_root: None,
            })
        }
        Err(_) => None,
    }
}

/// The ids of `path` itself (a link is not followed); `None` if it cannot be
/// examined (it does not exist) or on a system where this is unknown.
#[cfg(all(unix, not(any(target_os = "linux", target_os = "android"))))]
pub(super) fn fs_id(path: &Path) -> Option<FsId> {
    use std::os::unix::fs::MetadataExt;
    let meta = std::fs::symlink_metadata(path).ok()?;
    Some(FsId {
        dev: meta.dev(),
        mount_root: None,
    })
}

/// The ids of `path` itself (a link is not followed); `None` if it cannot be
/// examined (it does not exist) or on a system where this is unknown.
#[cfg(not(unix))]
pub(super) fn fs_id(_: &Path) -> Option<FsId> {
    None
}

/// Whether an error of the switch means the output cannot be replaced as a
/// folder because it is a mount point (`EBUSY`), or the staging folder is on
/// another file system (`EXDEV`).
pub(super) fn is_mount_error(e: &std::io::Error) -> bool {
    matches!(
        e.kind(),
        std::io::ErrorKind::ResourceBusy | std::io::ErrorKind::CrossesDevices
    )
}

/// Puts the complete folder `new` in place of `output`. Returns where the
/// previous site now is, to be removed (`None` when there was no output).
/// An error leaves `output` as it was.
///
/// On Linux this is one atomic exchange of the two folders: a process killed
/// at any moment leaves the output with the previous site or the new one. On
/// a file system that cannot exchange (`EINVAL`), and on other systems, it
/// falls back to two renames (see [`portable_switch`]).
pub(super) fn switch(place: &Place, new: &Path) -> std::io::Result<Option<PathBuf>> {
    if std::fs::symlink_metadata(&place.output).is_err() {
        std::fs::rename(new, &place.output)?;
        return Ok(None);
    }
    #[cfg(any(target_os = "linux", target_os = "android"))]
    {
        use rustix::fs::{CWD, RenameFlags};
        match rustix::fs::renameat_with(CWD, new, CWD, &place.output, RenameFlags::EXCHANGE) {
            Ok(()) => Ok(Some(new.to_path_buf())),
            Err(rustix::io::Errno::INVAL | rustix::io::Errno::NOSYS) => portable_switch(place, new),
            Err(e) => Err(e.into()),
        }
    }
    #[cfg(not(any(target_os = "linux", target_os = "android")))]
    portable_switch(place, new)
}

/// Two renames: the output aside to `<output>.rekap-old-<pid>`, then `new`
/// in its place (and the previous site back if that fails). **Weaker** than
/// the exchange: a process killed between the two renames leaves no output
/// folder, only the previous site set aside, which the next build puts back
/// before anything else (see [`Place::sweep`]).
fn portable_switch(place: &Place, new: &Path) -> std::io::Result<Option<PathBuf>> {
    let old = place.old();
    std::fs::rename(&place.output, &old)?;
    if let Err(e) = std::fs::rename(new, &place.output) {
        let _ = std::fs::rename(&old, &place.output);
        return Err(e);
    }
    Ok(Some(old))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn place(dir: &Path) -> Place {
        Place::new(&dir.join("public")).unwrap()
    }

    #[test]
    fn names_are_recognised_exactly() {
        let dir = tempfile::tempdir().unwrap();
        let p = place(dir.path());
        assert_eq!(
            p.ours(OsStr::new("public.rekap-staging-123")),
            Some(STAGING)
        );
        assert_eq!(p.ours(OsStr::new("public.rekap-old-9")), Some(OLD));
        for other in [
            "public",
            "public.rekap-lock",
            "public.rekap-staging-",
            "public.rekap-staging-12a",
            "public.rekap-staging-notes",
            "public.rekap-old",
            "publicx.rekap-staging-1",
            "other.rekap-staging-1",
            "public-backup",
        ] {
            assert_eq!(p.ours(OsStr::new(other)), None, "{other}");
        }
        assert!(
            p.staging()
                .file_name()
                .is_some_and(|n| p.ours(n) == Some(STAGING))
        );
        assert!(p.old().file_name().is_some_and(|n| p.ours(n) == Some(OLD)));
    }

    #[test]
    fn an_output_without_a_name_is_refused() {
        let err = Place::new(Path::new("/")).unwrap_err();
        assert!(err.to_string().contains("name"), "{err}");
    }

    #[test]
    fn a_mount_point_is_told_by_its_device_or_the_kernel() {
        let id = |dev, mount_root| FsId { dev, mount_root };
        assert!(!is_mount_point(id(1, None), id(1, None)));
        assert!(!is_mount_point(id(1, Some(false)), id(1, Some(false))));
        // A volume: another file system.
        assert!(is_mount_point(id(2, None), id(1, None)));
        assert!(is_mount_point(id(2, Some(false)), id(1, Some(false))));
        // A bind mount of a folder of the same file system.
        assert!(is_mount_point(id(1, Some(true)), id(1, Some(false))));
    }

    #[test]
    fn an_ordinary_folder_is_not_a_mount_point() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        std::fs::create_dir(&out).unwrap();
        if let (Some(a), Some(b)) = (fs_id(&out), fs_id(dir.path())) {
            assert!(!is_mount_point(a, b), "{a:?} {b:?}");
        }
    }

    #[test]
    fn the_sweep_removes_only_what_rekap_named_and_puts_a_lost_output_back() {
        let dir = tempfile::tempdir().unwrap();
        let p = place(dir.path());
        for name in [
            "public.rekap-staging-1",
            "public.rekap-staging-notes",
            "public-backup",
        ] {
            std::fs::create_dir_all(dir.path().join(name).join("a")).unwrap();
            std::fs::write(dir.path().join(name).join("a/f"), "x").unwrap();
        }
        std::fs::write(dir.path().join("public.rekap-staging-2"), "a file").unwrap();
        std::fs::create_dir(dir.path().join("public.rekap-old-3")).unwrap();
        std::fs::write(dir.path().join("public.rekap-old-3/index.html"), "old").unwrap();
        p.sweep();
        let mut left: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        left.sort();
        assert_eq!(
            left,
            ["public", "public-backup", "public.rekap-staging-notes"]
        );
        assert_eq!(
            std::fs::read_to_string(dir.path().join("public/index.html")).unwrap(),
            "old",
            "the previous site set aside by a killed switch is put back"
        );
    }

    #[test]
    fn the_switch_exchanges_and_hands_back_the_previous_site() {
        let dir = tempfile::tempdir().unwrap();
        let p = place(dir.path());
        let new = p.staging();
        std::fs::create_dir(&new).unwrap();
        std::fs::write(new.join("f"), "new").unwrap();
        assert_eq!(switch(&p, &new).unwrap(), None, "nothing to hand back");
        let newer = p.staging();
        std::fs::create_dir(&newer).unwrap();
        std::fs::write(newer.join("f"), "newer").unwrap();
        let old = switch(&p, &newer).unwrap().expect("the previous site");
        assert_eq!(
            std::fs::read_to_string(p.output.join("f")).unwrap(),
            "newer"
        );
        assert_eq!(std::fs::read_to_string(old.join("f")).unwrap(), "new");
    }

    #[test]
    fn the_portable_switch_puts_the_output_back_when_it_fails() {
        let dir = tempfile::tempdir().unwrap();
        let p = place(dir.path());
        std::fs::create_dir(&p.output).unwrap();
        std::fs::write(p.output.join("f"), "old").unwrap();
        let err = portable_switch(&p, &dir.path().join("missing")).unwrap_err();
        assert_eq!(err.kind(), std::io::ErrorKind::NotFound);
        assert_eq!(std::fs::read_to_string(p.output.join("f")).unwrap(), "old");
        let new = p.staging();
        std::fs::create_dir(&new).unwrap();
        std::fs::write(new.join("f"), "new").unwrap();
        let old = portable_switch(&p, &new).unwrap().unwrap();
        assert_eq!(std::fs::read_to_string(p.output.join("f")).unwrap(), "new");
        assert_eq!(std::fs::read_to_string(old.join("f")).unwrap(), "old");
    }
}

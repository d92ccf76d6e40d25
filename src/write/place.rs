//! Where a build goes beside the output folder, and how it takes the output's
//! place: the names rekap gives what it puts beside the output, and the
//! switch.
//!
//! The new site is built complete in `<output>.rekap-staging-<pid>` beside
//! the output, and then exchanged with the output in one atomic step
//! (`renameat2(RENAME_EXCHANGE)` on Linux): the output folder holds either
//! the previous site or the new one, whenever the build is interrupted.
//! After the exchange the staging name holds the previous site, which is
//! removed.

use std::ffi::OsString;
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
/// folder, only the previous site set aside.
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
    fn an_output_without_a_name_is_refused() {
        let err = Place::new(Path::new("/")).unwrap_err();
        assert!(err.to_string().contains("name"), "{err}");
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

//! The spare: the previous site's folders, kept beside the output after the
//! exchange (`<output>.rekap-spare`) and taken as the next build's staging
//! folder, so that a rebuild creates and removes no folders (on the large
//! benchmark site, 12,500 of them: most of a rebuild's disk time, see the
//! README).
//!
//! After the exchange the spare keeps only files it shares with the new site
//! (hard links of the same files: no data of its own). Nothing in it is
//! trusted: a build that takes it lists it (anything but folders and regular
//! files, and it is discarded), keeps a file only if it is the very file of
//! the output it replaces and still holds the new bytes, removes whatever
//! else is in the way before writing (files are always created new, never
//! written through), and removes what the new site does not have before the
//! exchange. It lives and dies under the output's lock.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use super::manifest::Entry;

/// What identifies a file: its device and inode, so that two names of one
/// file (hard links) are told.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct FileId {
    dev: u64,
    ino: u64,
}

impl FileId {
    /// The identity in `meta`; `None` where the system does not tell.
    pub(super) fn of(meta: &std::fs::Metadata) -> Option<FileId> {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            Some(FileId {
                dev: meta.dev(),
                ino: meta.ino(),
            })
        }
        #[cfg(not(unix))]
        {
            let _ = meta;
            None
        }
    }
}

/// A regular file found in a tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Found {
    /// Its length.
    pub(super) len: u64,
    /// Which file it is.
    pub(super) id: Option<FileId>,
}

/// The folders and regular files of a tree, by `/`-separated relative path.
#[derive(Debug, Default)]
pub(super) struct Listing {
    pub(super) files: HashMap<String, Found>,
    pub(super) dirs: HashSet<String>,
}

impl Listing {
    /// Lists the tree at `root` without following links; `None` if it
    /// cannot, if `root` is not a folder, or if it holds anything but folders
    /// and regular files (a symbolic link, say) or a name that is not UTF-8.
    pub(super) fn of(root: &Path) -> Option<Listing> {
        if !std::fs::symlink_metadata(root).ok()?.is_dir() {
            return None;
        }
        let mut listing = Listing::default();
        listing.add(root, "")?;
        Some(listing)
    }

    /// Adds what the folder `dir` (at `rel`, `""` for the root) holds,
    /// folders first listed then entered. Each file is examined through
    /// its folder's entry (relative to the open folder, where the system
    /// allows), not by its whole path: on the large benchmark site, that
    /// halves the time of listing 31,000 names.
    fn add(&mut self, dir: &Path, rel: &str) -> Option<()> {
        let mut folders = Vec::new();
        for entry in std::fs::read_dir(dir).ok()? {
            let entry = entry.ok()?;
            let name = entry.file_name();
            let name = name.to_str()?;
            let path = if rel.is_empty() {
                name.to_string()
            } else {
                format!("{rel}/{name}")
            };
            let ft = entry.file_type().ok()?;
            if ft.is_dir() {
                folders.push((entry.path(), path));
            } else if ft.is_file() {
                let meta = entry.metadata().ok()?;
                self.files.insert(
                    path,
                    Found {
                        len: meta.len(),
                        id: FileId::of(&meta),
                    },
                );
            } else {
                return None;
            }
        }
        for (full, path) in folders {
            self.add(&full, &path)?;
            self.dirs.insert(path);
        }
        Some(())
    }
}

/// The paths of the folders `rel` is in, outermost first (`a`, `a/b` for
/// `a/b/c`).
fn ancestors(rel: &str) -> impl Iterator<Item = &str> {
    rel.match_indices('/').map(move |(i, _)| &rel[..i])
}

/// Ignores "not found" and "not a directory": what is to be removed is
/// gone already (or one of its folders is a file of the new site now).
fn gone_is_fine(r: std::io::Result<()>) -> std::io::Result<()> {
    use std::io::ErrorKind::{NotADirectory, NotFound};
    match r {
        Err(e) if matches!(e.kind(), NotFound | NotADirectory) => Ok(()),
        r => r,
    }
}

/// A staging folder that began as the spare: what it held when the build
/// took it.
#[derive(Debug)]
pub(super) struct Recycled {
    pub(super) held: Listing,
}

impl Recycled {
    /// Takes the spare at `spare` as the staging folder `dir` (which must not
    /// exist); `None` if there is no spare, or it is not a folder of folders
    /// and regular files (then it is removed, and `dir` does not exist).
    pub(super) fn take(spare: &Path, dir: &Path) -> Option<Recycled> {
        let meta = std::fs::symlink_metadata(spare).ok()?;
        if !meta.is_dir() {
            let _ = std::fs::remove_file(spare);
            return None;
        }
        if std::fs::rename(spare, dir).is_err() {
            super::remove_tree(spare);
            return None;
        }
        match Listing::of(dir) {
            Some(held) => Some(Recycled { held }),
            None => {
                // Not a folder (replaced meanwhile), or holding a link.
                if std::fs::symlink_metadata(dir).is_ok_and(|m| !m.is_dir()) {
                    let _ = std::fs::remove_file(dir);
                } else {
                    super::remove_tree(dir);
                }
                None
            }
        }
    }

    /// Whether the spare's file at `rel` is the file `id` (a hard link of it).
    pub(super) fn holds_file(&self, rel: &str, id: Option<FileId>) -> bool {
        id.is_some() && self.held.files.get(rel).map(|f| f.id) == Some(id)
    }

    /// Removes what the spare held at `rel` in `dir` (a file, or a folder
    /// where the new site has a file), so that the new file is created
    /// afresh.
    pub(super) fn clear(&self, dir: &Path, rel: &str) -> std::io::Result<()> {
        if self.held.files.contains_key(rel) {
            gone_is_fine(std::fs::remove_file(dir.join(rel)))
        } else if self.held.dirs.contains(rel) {
            gone_is_fine(std::fs::remove_dir_all(dir.join(rel)))
        } else {
            Ok(())
        }
    }

    /// Removes the spare's files that stand where `rel` needs a folder.
    pub(super) fn clear_ancestors(&self, dir: &Path, rel: &str) -> std::io::Result<()> {
        for a in ancestors(rel) {
            if self.held.files.contains_key(a) {
                gone_is_fine(std::fs::remove_file(dir.join(a)))?;
            }
        }
        Ok(())
    }

    /// Removes from `dir` every file and folder of the spare that the new
    /// site (`files`) does not have. Returns the path and the error of the
    /// first removal that failed.
    pub(super) fn prune(
        &self,
        dir: &Path,
        files: &BTreeMap<String, Entry>,
    ) -> Result<(), (std::path::PathBuf, std::io::Error)> {
        for rel in self.held.files.keys() {
            if !files.contains_key(rel) {
                let p = dir.join(rel);
                match gone_is_fine(std::fs::remove_file(&p)) {
                    Ok(()) => {}
                    // A folder of the new site now: its file went before.
                    Err(_) if std::fs::symlink_metadata(&p).is_ok_and(|m| m.is_dir()) => {}
                    Err(e) => return Err((p, e)),
                }
            }
        }
        let needed: HashSet<&str> = files.keys().flat_map(|f| ancestors(f)).collect();
        let mut unneeded: Vec<&String> = self
            .held
            .dirs
            .iter()
            .filter(|d| !needed.contains(d.as_str()) && !files.contains_key(*d))
            .collect();
        unneeded.sort();
        for d in unneeded {
            // A folder inside one removed before is gone already.
            let p = dir.join(d);
            gone_is_fine(std::fs::remove_dir_all(&p)).map_err(|e| (p, e))?;
        }
        Ok(())
    }
}

/// Makes the previous site, set aside by the exchange at `old`, the spare:
/// removes its files in `unshared` (those the new site does not share with
/// it: it wrote them anew, or no longer has them), then renames it `spare`.
/// On any error the tree is removed instead; errors are not the build's.
pub(super) fn keep_as_spare<'a>(old: &Path, spare: &Path, unshared: impl Iterator<Item = &'a str>) {
    for rel in unshared {
        match gone_is_fine(std::fs::remove_file(old.join(rel))) {
            Ok(()) => {}
            Err(_) => return super::remove_tree(old),
        }
    }
    if std::fs::symlink_metadata(spare).is_ok() {
        super::remove_tree(spare);
    }
    if std::fs::rename(old, spare).is_err() {
        super::remove_tree(old);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ancestors_are_listed_outermost_first() {
        assert_eq!(ancestors("a/b/c").collect::<Vec<_>>(), ["a", "a/b"]);
        assert_eq!(ancestors("a").count(), 0);
    }
}

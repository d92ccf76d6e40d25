//! Watching the site's sources: `content/` (with `content/site.yaml`),
//! `templates/`, `static/` and `i18n/`, debounced. Editors that save by writing a
//! new file and renaming it over the old one are seen as a change of the
//! file, since whole folders are watched, never single files.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use notify::{EventKind, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache, new_debouncer};

use crate::load::paths;

/// The folders of a site that hold its sources.
pub fn watched(root: &Path) -> [PathBuf; 4] {
    paths::SOURCES.map(|dir| root.join(dir))
}

/// How long the watcher waits for a burst of changes to settle: long
/// enough to take an editor's write-to-a-new-file-and-rename as one change
/// (well under a millisecond apart; Vim's test file, backup and write take
/// a few), short enough not to be felt. A burst that lasts longer starts a
/// second build, which replaces the first.
pub const DEBOUNCE: Duration = Duration::from_millis(20);

/// How often the watcher looks whether a burst has settled: a burst is
/// reported at most this long after it settles.
pub const TICK: Duration = Duration::from_millis(5);

/// What changed in one burst: every path written, made, removed or renamed
/// under the source folders (editors' scratch files included: they are
/// inputs too, see [`Changes::shown`]), or that the watcher lost track.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Changes {
    /// The paths changed, sorted, each once.
    pub paths: Vec<PathBuf>,
    /// Whether the watcher lost track of some changes (its queue overflowed,
    /// or it failed): then anything may have changed.
    pub lost: bool,
}

impl Changes {
    /// Adds the changes of a later burst.
    pub fn extend(&mut self, later: Changes) {
        self.paths.extend(later.paths);
        self.paths.sort();
        self.paths.dedup();
        self.lost |= later.lost;
    }

    /// The paths changed but editors' scratch files (swap, backup and lock
    /// files), which alone call for no build: what a change is shown as.
    pub fn shown(&self) -> Vec<&PathBuf> {
        self.paths
            .iter()
            .filter(|p| !is_editor_scratch(p))
            .collect()
    }

    /// Whether these changes call for a build: a source changed, or the
    /// watcher lost track.
    pub fn call_for_build(&self) -> bool {
        self.lost || !self.shown().is_empty()
    }

    /// The paths changed, for a fingerprint that looks at those alone;
    /// `None` if the watcher lost track.
    pub fn known(&self) -> Option<&[PathBuf]> {
        (!self.lost).then_some(self.paths.as_slice())
    }
}

/// A running watcher; it stops when dropped.
pub struct Watcher {
    debouncer: Debouncer<notify::RecommendedWatcher, RecommendedCache>,
    root: PathBuf,
    /// The source folders being watched (recursively).
    watching: Vec<PathBuf>,
}

impl Watcher {
    /// Starts watching the site at `root` (an absolute path); each burst of
    /// changes to its sources sends a [`Changes`] to `changes`.
    ///
    /// # Errors
    ///
    /// The system refused to watch a folder (too many watches, say).
    pub fn start(root: &Path, changes: mpsc::Sender<Changes>) -> notify::Result<Watcher> {
        let sources = watched(root);
        let handler = move |result: DebounceEventResult| {
            let batch = match result {
                Ok(events) => {
                    let mut paths: Vec<PathBuf> = events
                        .iter()
                        .filter(|e| !matches!(e.event.kind, EventKind::Access(_)))
                        .flat_map(|e| e.event.paths.iter())
                        .filter(|p| sources.iter().any(|s| p.starts_with(s)))
                        .cloned()
                        .collect();
                    paths.sort();
                    paths.dedup();
                    Changes {
                        paths,
                        lost: events.iter().any(|e| e.event.need_rescan()),
                    }
                }
                // The watcher failed to follow: what changed is not known.
                Err(_) => Changes {
                    paths: Vec::new(),
                    lost: true,
                },
            };
            if batch.lost || !batch.paths.is_empty() {
                let _ = changes.send(batch);
            }
        };
        let mut debouncer = new_debouncer(DEBOUNCE, Some(TICK), handler)?;
        // The site folder itself, not recursively: to see a source folder
        // appear (a first template, say) or be replaced.
        debouncer.watch(root, RecursiveMode::NonRecursive)?;
        let mut w = Watcher {
            debouncer,
            root: root.to_path_buf(),
            watching: Vec::new(),
        };
        w.refresh()?;
        Ok(w)
    }

    /// Watches every source folder that exists now and was not watched yet
    /// (call it after each change: a folder may have been created).
    ///
    /// # Errors
    ///
    /// As [`Watcher::start`].
    pub fn refresh(&mut self) -> notify::Result<()> {
        for dir in watched(&self.root) {
            let is_dir = dir.is_dir();
            let known = self.watching.contains(&dir);
            if is_dir && !known {
                self.debouncer.watch(&dir, RecursiveMode::Recursive)?;
                self.watching.push(dir);
            } else if !is_dir && known {
                let _ = self.debouncer.unwatch(&dir);
                self.watching.retain(|d| d != &dir);
            }
        }
        Ok(())
    }
}

/// Files editors write beside the one being edited (swap, backup and lock
/// files, Vim's write test): no build is made for them alone (the next
/// build finds them, and warns of those its load would read).
fn is_editor_scratch(p: &Path) -> bool {
    let Some(name) = p.file_name().and_then(|n| n.to_str()) else {
        return false;
    };
    name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.starts_with(".#")
        || name == "4913"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scratch_files_alone_call_for_no_build_but_are_kept_as_changes() {
        let mut c = Changes {
            paths: vec![PathBuf::from("/s/content/releases/.a.md.swp")],
            lost: false,
        };
        assert!(!c.call_for_build());
        assert_eq!(c.known().map(<[_]>::len), Some(1));
        c.extend(Changes {
            paths: vec![PathBuf::from("/s/content/releases/a.md")],
            lost: false,
        });
        assert!(c.call_for_build());
        assert_eq!(c.shown(), [&PathBuf::from("/s/content/releases/a.md")]);
        assert_eq!(c.known().map(<[_]>::len), Some(2));
        c.extend(Changes {
            paths: Vec::new(),
            lost: true,
        });
        assert_eq!(c.known(), None, "lost track: anything may have changed");
    }

    #[test]
    fn scratch_files_are_ignored() {
        for n in ["a.md~", ".a.md.swp", ".a.md.swx", ".#a.md", "4913"] {
            assert!(is_editor_scratch(Path::new(n)), "{n}");
        }
        for n in ["a.md", "site.yaml", "style.css"] {
            assert!(!is_editor_scratch(Path::new(n)), "{n}");
        }
    }
}

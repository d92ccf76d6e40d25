//! `rekap templates export`: rekap's embedded templates and static files
//! written into a site, to start customising them.
//!
//! Templates go to `SITE/templates/` under their own names
//! (`templates/base.html`, `templates/shortcodes/card.html`); static files
//! go to `SITE/static/assets/`, the path they are published at
//! (`static/assets/style.css` is `/assets/style.css`). A site with every
//! file exported builds byte for byte as it did before: each file replaces
//! the embedded one it is a copy of.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::load::paths;

/// Why `templates export` wrote nothing.
#[derive(Debug)]
pub enum ExportError {
    /// The folder is not a rekap site (it has no `content/site.yaml`).
    NotASite(PathBuf),
    /// These files exist already (and `force` was not given); nothing was written.
    Exists(Vec<PathBuf>),
    /// Writing failed.
    Io(PathBuf, std::io::Error),
}

impl fmt::Display for ExportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ExportError::NotASite(root) => write!(
                f,
                "{} is not a rekap site: it has no {}\n  help: name the site folder (`rekap templates export mysite`); `rekap init DIR` writes a new site",
                root.display(),
                paths::SITE
            ),
            ExportError::Exists(files) => {
                const SHOWN: usize = 5;
                let mut names: Vec<String> = files
                    .iter()
                    .take(SHOWN)
                    .map(|p| p.display().to_string())
                    .collect();
                if files.len() > SHOWN {
                    names.push(format!("and {} more", files.len() - SHOWN));
                }
                write!(
                    f,
                    "{} exist{} already; nothing was written\n  help: to get rekap's version of a file back, delete it and export again; or give --force to overwrite {} with rekap's default{}",
                    names.join(", "),
                    if files.len() == 1 { "s" } else { "" },
                    if files.len() == 1 { "it" } else { "them all" },
                    if files.len() == 1 { "" } else { "s" }
                )
            }
            ExportError::Io(p, e) => write!(f, "{}: {e}", p.display()),
        }
    }
}

impl std::error::Error for ExportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ExportError::Io(_, e) => Some(e),
            _ => None,
        }
    }
}

/// Every file `templates export` writes: (path relative to the site, bytes),
/// sorted by path.
pub fn exported_files() -> Vec<(String, std::borrow::Cow<'static, [u8]>)> {
    let mut out: Vec<_> = crate::load::theme::default_templates()
        .map(|(name, data)| (format!("{}/{name}", paths::TEMPLATES), data))
        .chain(
            crate::load::theme::default_files()
                .map(|(rel, data)| (format!("{}/{rel}", paths::STATIC), data)),
        )
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// Writes rekap's embedded templates into `root/templates/` and its static
/// files into `root/static/assets/`, and returns the paths written
/// (relative to `root`, `/`-separated, sorted).
///
/// No file is overwritten unless `force`: if any exists, nothing is written.
/// With `force`, an existing file (or link) is replaced, never written
/// through.
///
/// # Errors
///
/// [`ExportError::NotASite`] when `root` has no `content/site.yaml`,
/// [`ExportError::Exists`] naming every file that exists (without `force`),
/// [`ExportError::Io`] when a folder or file cannot be written.
pub fn export_templates(root: &Path, force: bool) -> Result<Vec<String>, ExportError> {
    if !root.join(paths::SITE).is_file() {
        return Err(ExportError::NotASite(root.to_path_buf()));
    }
    let files = exported_files();
    let exists = |rel: &str| std::fs::symlink_metadata(root.join(rel)).is_ok();
    if !force {
        let existing: Vec<PathBuf> = files
            .iter()
            .filter(|(rel, _)| exists(rel))
            .map(|(rel, _)| root.join(rel))
            .collect();
        if !existing.is_empty() {
            return Err(ExportError::Exists(existing));
        }
    }
    let mut written = Vec::with_capacity(files.len());
    for (rel, data) in &files {
        let dest = root.join(rel);
        if let Some(parent) = dest.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| ExportError::Io(parent.to_path_buf(), e))?;
        }
        if exists(rel) {
            // Replaced, not written through: a link is removed, not followed.
            if std::fs::symlink_metadata(&dest).is_ok_and(|m| m.is_dir()) {
                return Err(ExportError::Io(
                    dest.clone(),
                    std::io::Error::other("a folder is in the way"),
                ));
            }
            std::fs::remove_file(&dest).map_err(|e| ExportError::Io(dest.clone(), e))?;
        }
        std::fs::write(&dest, data).map_err(|e| ExportError::Io(dest.clone(), e))?;
        written.push(rel.clone());
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("content")).unwrap();
        std::fs::write(dir.path().join(paths::SITE), "title: T\n").unwrap();
        dir
    }

    #[test]
    fn writes_templates_and_assets_where_they_override_the_defaults() {
        let dir = site();
        let written = export_templates(dir.path(), false).unwrap();
        assert!(written.contains(&"templates/base.html".to_string()));
        assert!(written.contains(&"templates/shortcodes/card.html".to_string()));
        assert!(written.contains(&"static/assets/style.css".to_string()));
        for rel in &written {
            assert!(dir.path().join(rel).is_file(), "{rel}");
        }
        let (_, css) = crate::load::theme::default_files()
            .find(|(r, _)| r == "assets/style.css")
            .unwrap();
        assert_eq!(
            std::fs::read(dir.path().join("static/assets/style.css")).unwrap(),
            css.as_ref()
        );
    }

    #[test]
    fn refuses_to_overwrite_and_writes_nothing_unless_forced() {
        let dir = site();
        std::fs::create_dir_all(dir.path().join("templates")).unwrap();
        std::fs::write(dir.path().join("templates/base.html"), "mine").unwrap();
        let e = export_templates(dir.path(), false).unwrap_err();
        let msg = e.to_string();
        assert!(msg.contains("templates/base.html"), "{msg}");
        assert!(msg.contains("--force"), "{msg}");
        assert!(!dir.path().join("static").exists());
        assert_eq!(
            std::fs::read_dir(dir.path().join("templates"))
                .unwrap()
                .count(),
            1
        );
        export_templates(dir.path(), true).unwrap();
        assert_ne!(
            std::fs::read_to_string(dir.path().join("templates/base.html")).unwrap(),
            "mine"
        );
    }

    #[test]
    fn outside_a_site_nothing_is_written() {
        let dir = tempfile::tempdir().unwrap();
        let e = export_templates(dir.path(), false).unwrap_err();
        assert!(matches!(e, ExportError::NotASite(_)), "{e}");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }
}

//! Reading only what is inside the site folder.
//!
//! A site is published, so a symbolic link in it could publish whatever it
//! points to: a `static/` that links to `/etc`, a page that links to a key
//! file. rekap never reads through a link: a link whose target is outside the
//! site folder is an error (naming the link), one whose target is inside is
//! skipped with a warning (refer to the target itself instead).

use std::path::{Path, PathBuf};

use crate::diagnostics::Diagnostic;
use crate::model::Origin;

/// Checks that no component of `rel` (a `/`-separated path relative to
/// `root`) is a symbolic link. A path that does not exist passes: the caller
/// reports a missing file in its own words.
///
/// # Errors
///
/// The diagnostic for the first link on the way (see [`link`]).
pub(super) fn check(root: &Path, rel: &str) -> Result<(), Diagnostic> {
    let mut at = String::with_capacity(rel.len());
    for part in rel.split('/').filter(|p| !p.is_empty()) {
        if !at.is_empty() {
            at.push('/');
        }
        at.push_str(part);
        match std::fs::symlink_metadata(root.join(&at)) {
            Ok(m) if m.file_type().is_symlink() => return Err(link(root, &at)),
            Ok(_) => {}
            Err(_) => return Ok(()),
        }
    }
    Ok(())
}

/// The diagnostic for the symbolic link at `rel`: an error when it leads out
/// of the site folder (or nowhere), a warning that it is skipped when it
/// leads somewhere inside.
pub(super) fn link(root: &Path, rel: &str) -> Diagnostic {
    let origin = Origin::new(rel, Default::default());
    let target = std::fs::canonicalize(root.join(rel));
    let inside = |t: &PathBuf| {
        std::fs::canonicalize(root)
            .map(|r| t.starts_with(r))
            .unwrap_or(false)
    };
    match target {
        Ok(t) if inside(&t) => Diagnostic::warning(
            origin,
            format!(
                "skipped: a symbolic link (to {}); rekap does not read through links",
                t.display()
            ),
        )
        .with_help("refer to the file where it is, or replace the link by a copy"),
        Ok(t) => Diagnostic::error(
            origin,
            format!(
                "a symbolic link to {}, outside the site folder; rekap never reads through a link, so nothing outside the site can be published by accident",
                t.display()
            ),
        )
        .with_help("copy what the site needs into the site folder, or remove the link"),
        Err(_) => Diagnostic::error(origin, "a symbolic link that leads nowhere")
            .with_help("remove the link, or replace it by the file or folder it meant"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Severity;
    use std::os::unix::fs::symlink;

    #[test]
    fn plain_paths_and_missing_paths_pass() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("static/css")).unwrap();
        std::fs::write(dir.path().join("static/css/a.css"), "a").unwrap();
        assert!(check(dir.path(), "static/css/a.css").is_ok());
        assert!(check(dir.path(), "static/nope/b.css").is_ok());
    }

    #[test]
    fn a_link_out_of_the_site_is_an_error_naming_the_link() {
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("secret"), "s").unwrap();
        let dir = tempfile::tempdir().unwrap();
        symlink(outside.path(), dir.path().join("static")).unwrap();
        let d = check(dir.path(), "static/secret").unwrap_err();
        assert_eq!(d.severity, Severity::Error);
        assert_eq!(d.origin.file, "static");
        assert!(d.message.contains("outside the site folder"), "{d}");
    }

    #[test]
    fn a_link_inside_the_site_is_skipped_with_a_warning() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("content/pages")).unwrap();
        std::fs::write(dir.path().join("content/pages/a.md"), "a").unwrap();
        symlink("a.md", dir.path().join("content/pages/b.md")).unwrap();
        let d = check(dir.path(), "content/pages/b.md").unwrap_err();
        assert_eq!(d.severity, Severity::Warning);
        assert_eq!(d.origin.file, "content/pages/b.md");
    }

    #[test]
    fn a_dangling_link_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        symlink("/nonexistent/rekap", dir.path().join("templates")).unwrap();
        let d = check(dir.path(), "templates").unwrap_err();
        assert_eq!(d.severity, Severity::Error);
    }
}

//! Step **assets**: the theme's static files (rekap's defaults under
//! `assets/`, then the site's own `static/`) copied into the output.

use std::collections::HashSet;

use super::{Put, RenderError};
use crate::diagnostics::Diagnostic;
use crate::model::theme::{FileSource, Theme};
use crate::model::{Origin, Pos};
use crate::write::{Contents, OutputFile};

/// Errors for the site's static files whose path is one rekap writes
/// (`generated`): a page, a feed, the sitemap, robots.txt, a download, the
/// search index. Only the theme's default assets (`assets/style.css`,
/// `assets/search.js`) are meant to be replaced from `static/`.
pub fn clashes(theme: &Theme, generated: &HashSet<String>) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for f in theme.files.iter().filter(|f| f.from_site) {
        if !generated.contains(&f.rel) {
            continue;
        }
        let file = format!("{}/{}", crate::load::paths::STATIC, f.rel);
        let name = f.rel.rsplit('/').next().unwrap_or("");
        let help = if f.rel == "robots.txt" || f.rel == "sitemap.xml" {
            format!(
                "remove or rename {file}; to change the {name} rekap writes, put your own template in templates/feeds/{name}"
            )
        } else if name == "atom.xml" {
            "remove or rename it; to change the feeds, put your own template in templates/feeds/atom.xml".to_string()
        } else if name.ends_with(".html") {
            format!(
                "rekap writes a page at /{}; remove or rename {file} (a free page's URL is set by its `slug:`)",
                f.rel.trim_end_matches("index.html")
            )
        } else if name.starts_with("data.") || name.starts_with("figures.") {
            format!("rekap writes this download from the figures; remove or rename {file}")
        } else {
            format!("rekap writes this file itself; remove or rename {file}")
        };
        out.push(
            Diagnostic::error(
                Origin::new(file.clone(), Pos::default()),
                format!("static file would replace the `{}` rekap writes", f.rel),
            )
            .with_help(help),
        );
    }
    out
}

/// Hands every static file of `theme` to `put`.
///
/// # Errors
///
/// The first write error.
pub fn write(theme: &Theme, put: Put) -> Result<(), RenderError> {
    for f in &theme.files {
        put(OutputFile {
            path: f.rel.clone(),
            contents: match &f.source {
                FileSource::Bytes(b) => Contents::Bytes(b.to_vec()),
                FileSource::Site(path) => Contents::Copy(path.clone()),
            },
        })?;
    }
    Ok(())
}

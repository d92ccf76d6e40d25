//! The theme of a build: rekap's embedded templates and static files (the
//! repository's `theme/` folder, compiled into the binary) with the site's own
//! `templates/` and `static/` on top.
//!
//! A site file with the same name as a default replaces it; other site files
//! are added. Everything is decided here, so the render stage never looks at
//! the disk: templates are read as text, and the bytes of a site file that
//! replaces a default asset (whose URL carries a hash of its contents) are
//! read too. Other static files are copied by the write stage from where they
//! are.

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use rust_embed::RustEmbed;

use super::{confine, folder, paths, read};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::Origin;
pub use crate::model::theme::{FileSource, Template, Theme, ThemeFile};

#[derive(RustEmbed)]
#[folder = "theme/templates/"]
struct DefaultTemplates;

#[derive(RustEmbed)]
#[folder = "theme/static/"]
struct DefaultStatic;

use crate::urls::ASSETS;

/// The embedded default templates, by name.
pub fn default_templates() -> impl Iterator<Item = (String, Cow<'static, [u8]>)> {
    DefaultTemplates::iter().map(|name| {
        let data = DefaultTemplates::get(&name).expect("listed by iter").data;
        (name.into_owned(), data)
    })
}

/// The embedded default static files, by path in the output (`assets/style.css`).
pub fn default_files() -> impl Iterator<Item = (String, Cow<'static, [u8]>)> {
    DefaultStatic::iter().map(|name| {
        let data = DefaultStatic::get(&name).expect("listed by iter").data;
        (format!("{ASSETS}/{name}"), data)
    })
}

/// Reads the site's `templates/` and `static/` folders over the defaults.
pub(super) fn load(root: &Path, diags: &mut Diagnostics) -> Theme {
    let own_templates = site_templates(root, diags);
    let mut templates: Vec<Template> = default_templates()
        .filter(|(name, _)| !own_templates.iter().any(|t| &t.name == name))
        .map(|(name, data)| Template {
            name,
            text: String::from_utf8_lossy(&data).into_owned(),
            from_site: false,
        })
        .collect();
    templates.extend(own_templates);
    templates.sort_by(|a, b| a.name.cmp(&b.name));

    let own_files = site_files(root, diags);
    let mut files: Vec<ThemeFile> = Vec::new();
    for (rel, data) in default_files() {
        let source = match own_files.iter().find(|(r, _)| *r == rel) {
            // A site file replacing a default asset: its URL is fingerprinted
            // with its contents, so they are read now.
            Some((r, path)) => match std::fs::read(path) {
                Ok(bytes) => FileSource::Bytes(Cow::Owned(bytes)),
                Err(e) => {
                    diags.push(
                        Diagnostic::error(
                            Origin::new(
                                format!("{}/{r}", paths::STATIC),
                                crate::model::Pos::new(1, 1),
                            ),
                            format!("cannot read the file: {e}"),
                        )
                        .with_help(super::io_help(&e)),
                    );
                    FileSource::Bytes(data)
                }
            },
            None => FileSource::Bytes(data),
        };
        let from_site = matches!(source, FileSource::Bytes(Cow::Owned(_)));
        files.push(ThemeFile {
            rel,
            source,
            from_site,
        });
    }
    for (rel, path) in own_files {
        if !files.iter().any(|f| f.rel == rel) {
            files.push(ThemeFile {
                rel,
                source: FileSource::Site(path),
                from_site: true,
            });
        }
    }
    Theme { templates, files }
}

fn site_templates(root: &Path, diags: &mut Diagnostics) -> Vec<Template> {
    let Some(dir) = folder(root, paths::TEMPLATES, diags) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(&dir).min_depth(1).sort_by_file_name() {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                diags.push(Diagnostic::error(
                    Origin::new(paths::TEMPLATES, Default::default()),
                    format!("cannot list templates: {e}"),
                ));
                continue;
            }
        };
        let Ok(rel) = entry.path().strip_prefix(&dir) else {
            continue;
        };
        let name = rel.to_string_lossy().replace('\\', "/");
        if name.split('/').any(|c| c.starts_with('.')) {
            continue;
        }
        let file = format!("{}/{name}", paths::TEMPLATES);
        if entry.path_is_symlink() {
            diags.push(confine::link(root, &file));
            continue;
        }
        if !entry.file_type().is_file() {
            continue;
        }
        if let Some(text) = read(root, &file, diags) {
            out.push(Template {
                name,
                text,
                from_site: true,
            });
        }
    }
    out
}

/// The site's static files: (path in the output, path on disk), by name.
fn site_files(root: &Path, diags: &mut Diagnostics) -> Vec<(String, PathBuf)> {
    let Some(dir) = folder(root, paths::STATIC, diags) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(&dir).min_depth(1).sort_by_file_name() {
        match entry {
            Ok(entry) if entry.path_is_symlink() || entry.file_type().is_file() => {
                let Ok(rel) = entry.path().strip_prefix(&dir) else {
                    continue;
                };
                let rel = rel.to_string_lossy().replace('\\', "/");
                if rel.split('/').any(|c| c.starts_with('.')) {
                    continue;
                }
                if entry.path_is_symlink() {
                    diags.push(confine::link(root, &format!("{}/{rel}", paths::STATIC)));
                    continue;
                }
                out.push((rel, entry.path().to_path_buf()));
            }
            Ok(_) => {}
            Err(e) => diags.push(Diagnostic::error(
                Origin::new(paths::STATIC, Default::default()),
                format!("cannot list static files: {e}"),
            )),
        }
    }
    out
}

//! The theme of a build: every template and static file, rekap's embedded
//! defaults with the site's own on top (read by the load stage, used by the
//! render stage).

use std::borrow::Cow;
use std::path::PathBuf;

/// One template: its name (`entity.html`, `shortcodes/card.html`) and text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    /// Name, relative to the templates folder, `/`-separated.
    pub name: String,
    /// The template's text.
    pub text: String,
    /// Whether it comes from the site's `templates/` (else it is embedded).
    pub from_site: bool,
}

/// Where a static file's bytes come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileSource {
    /// Embedded in rekap, or read at load time.
    Bytes(Cow<'static, [u8]>),
    /// A file of the site's `static/`, copied as it is when written.
    Site(PathBuf),
}

/// A file copied into the output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ThemeFile {
    /// Path in the output, `/`-separated.
    pub rel: String,
    /// Its bytes, or where they are.
    pub source: FileSource,
    /// Whether it comes from the site's `static/` (else it is a default).
    pub from_site: bool,
}

/// Templates and static files of a build, sorted by name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Theme {
    /// Every template: the site's where it has one, else the default.
    pub templates: Vec<Template>,
    /// Every static file: the defaults under [`crate::urls::ASSETS`], then the site's.
    pub files: Vec<ThemeFile>,
}

impl Theme {
    /// The bytes of the static file at `rel` if they are known without
    /// reading the disk (every default, and every site file that replaces one).
    pub fn bytes(&self, rel: &str) -> Option<&[u8]> {
        self.files
            .iter()
            .find(|f| f.rel == rel)
            .and_then(|f| match &f.source {
                FileSource::Bytes(b) => Some(b.as_ref()),
                FileSource::Site(_) => None,
            })
    }

    /// The file a template comes from, as diagnostics name it: the site's
    /// `templates/NAME`, or `(embedded template) NAME`.
    pub fn template_file(&self, name: &str) -> String {
        match self.templates.iter().find(|t| t.name == name) {
            Some(t) if t.from_site => format!("templates/{name}"),
            _ => format!("(embedded template) {name}"),
        }
    }

    /// The names of the site's own static files, as output paths.
    pub fn site_files(&self) -> impl Iterator<Item = &str> {
        self.files
            .iter()
            .filter(|f| f.from_site)
            .map(|f| f.rel.as_str())
    }
}

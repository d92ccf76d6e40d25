//! Stage 1, **load**: walk the site folder and parse every file into typed models.
//!
//! Nothing here checks references between files (that is [`crate::validate`]);
//! load only makes sure each file is well-formed on its own, and records where
//! every value came from.

pub mod amount;
pub mod cache;
mod confine;
mod content;
mod csv_figures;
mod data;
mod figure_rows;
pub mod frontmatter;
mod i18n;
mod raw;
mod sheet_figures;
pub mod shortcodes;
mod site;
pub mod stored;
pub mod theme;
pub mod yaml;
mod yaml_hints;
mod yaml_parts;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use rayon::prelude::*;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::{Entity, Figure, Lang, Meeting, Metric, Origin, Page, Pos, Release, SiteConfig};

pub use crate::slug::{is_valid_slug, slugify};
pub use cache::LoadCache;
pub use raw::parse_growth;
pub use theme::Theme;

/// Everything read from a site folder; read-only after loading.
#[derive(Debug, Clone)]
pub struct Sources {
    /// The site folder.
    pub root: PathBuf,
    /// Settings from `content/site.yaml`.
    pub config: SiteConfig,
    /// Entities in file order.
    pub entities: Vec<Entity>,
    /// Metric definitions in file order.
    pub metrics: Vec<Metric>,
    /// Dimensions from `content/data/dimensions.yaml`, in file order.
    pub dimensions: Vec<crate::model::Dimension>,
    /// Figure records, files in name order, records in file order.
    pub figures: Figures,
    /// Press releases.
    pub releases: Vec<std::sync::Arc<Release>>,
    /// Coordination meetings.
    pub meetings: Vec<Meeting>,
    /// Free pages.
    pub pages: Vec<Page>,
    /// Charts named in `content/data/charts.yaml`, as chart shortcodes.
    pub charts: Vec<(String, crate::model::Shortcode)>,
    /// Which kinds of definition could not all be read, so that references
    /// to them are not reported again as unknown.
    pub incomplete: Incomplete,
}

/// What a Markdown file and its translations have in common: its path
/// without the language in its name (`content/pages/tentang.en.md` and
/// `content/pages/tentang.md` are both `content/pages/tentang`).
pub fn translation_key(file: &str) -> String {
    let (base, _) = content::split_lang(file);
    let dir = std::path::Path::new(file)
        .parent()
        .and_then(|d| d.to_str())
        .unwrap_or("");
    if dir.is_empty() {
        base.to_string()
    } else {
        format!("{dir}/{base}")
    }
}

impl Sources {
    /// The sources of every edition of the site (see [`Sources::edition`]),
    /// the default language's first.
    pub fn editions(self) -> Vec<Sources> {
        let mut others: Vec<Sources> = self
            .config
            .languages
            .iter()
            .filter(|&&l| l != self.config.language)
            .map(|&l| self.edition(l))
            .collect();
        let mut default = self;
        default.releases.retain(|r| r.lang.is_none());
        default.meetings.retain(|m| m.lang.is_none());
        default.pages.retain(|p| p.lang.is_none());
        others.insert(0, default);
        others
    }

    /// The sources of the site's edition in `lang`: the same data, the
    /// Markdown files written in `lang` (for the default language, those
    /// with no language in their names), and `lang` as the language of every
    /// page. A document with no translation into `lang` is not in its edition.
    pub fn edition(&self, lang: Lang) -> Sources {
        let ours = |l: Option<Lang>| {
            if lang == self.config.language {
                l.is_none()
            } else {
                l == Some(lang)
            }
        };
        let mut config = self.config.clone();
        // Plain text in the data stays in the language it is written in.
        config.content_language = Some(self.config.content_lang());
        config.language = lang;
        if lang != self.config.language {
            config.base_url = format!("{}{}/", self.config.base_url, lang.code());
        }
        Sources {
            root: self.root.clone(),
            config,
            entities: self.entities.clone(),
            metrics: self.metrics.clone(),
            dimensions: self.dimensions.clone(),
            figures: self.figures.clone(),
            releases: self
                .releases
                .iter()
                .filter(|r| ours(r.lang))
                .cloned()
                .collect(),
            meetings: self
                .meetings
                .iter()
                .filter(|m| ours(m.lang))
                .cloned()
                .collect(),
            pages: self
                .pages
                .iter()
                .filter(|p| ours(p.lang))
                .cloned()
                .collect(),
            charts: self.charts.clone(),
            incomplete: self.incomplete,
        }
    }
}

/// Kinds of definitions that failed to load (their errors are already reported).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Incomplete {
    /// `entities.yaml` had errors.
    pub entities: bool,
    /// `metrics.yaml` had errors.
    pub metrics: bool,
    /// A meeting file had errors.
    pub meetings: bool,
    /// A figure file (or the figures folder) had errors.
    pub figures: bool,
    /// `charts.yaml` had errors (a chart may be missing from it).
    pub charts: bool,
}

/// Where the site's parts live, relative to the root.
pub mod paths {
    /// Content: settings, data and documents.
    pub const CONTENT: &str = "content";
    /// The folders a site's sources live in (what `rekap serve` watches
    /// and a fingerprint walks), in that order.
    pub const SOURCES: [&str; 4] = [CONTENT, TEMPLATES, STATIC, I18N];
    /// Site settings.
    pub const SITE: &str = "content/site.yaml";
    /// The entity hierarchy.
    pub const ENTITIES: &str = "content/data/entities.yaml";
    /// Metric definitions.
    pub const METRICS: &str = "content/data/metrics.yaml";
    /// Folder of figure files.
    pub const FIGURES: &str = "content/data/figures";
    /// Named charts (optional).
    pub const CHARTS: &str = "content/data/charts.yaml";
    /// Dimensions that break figures down into categories (optional).
    pub const DIMENSIONS: &str = "content/data/dimensions.yaml";
    /// Folder of press releases.
    pub const RELEASES: &str = "content/releases";
    /// Folder of meeting notes.
    pub const MEETINGS: &str = "content/meetings";
    /// Folder of free pages.
    pub const PAGES: &str = "content/pages";
    /// Template overrides.
    pub const TEMPLATES: &str = "templates";
    /// Static files.
    pub const STATIC: &str = "static";
    /// Interface string overrides (`i18n/id.yaml`, `i18n/en.yaml`).
    pub const I18N: &str = "i18n";
}

/// Loads the site at `root`, adding every problem found to `diags`.
///
/// Files that fail to parse are left out of the result (and reported); the
/// rest is loaded so that later stages can report their own problems too.
pub fn load(root: &Path, diags: &mut Diagnostics) -> Sources {
    load_with(root, diags, None)
}

/// [`load`], taking the files `cache` kept from an earlier load whose bytes
/// and settings are the same instead of parsing them again, and keeping
/// this load's there (`rekap serve`).
pub fn load_with(root: &Path, diags: &mut Diagnostics, cache: Option<&LoadCache>) -> Sources {
    let mut config = site::load(root, diags);
    config.strings = i18n::load(root, diags);
    // What every data file and every document is read with.
    let setting = |extra: &[String]| crate::digest::of(&(&config, extra)).ok();
    let figure_setting = cache.and_then(|_| setting(&[]));
    let before = diags.error_count();
    let entities = match (cache, figure_setting) {
        (Some(c), Some(s)) => c.data_kept(&c.entities, root, paths::ENTITIES, s, diags, |d| {
            data::load_entities(root, &config, d)
        }),
        _ => data::load_entities(root, &config, diags),
    };
    let entities_broken = diags.error_count() > before;
    let before = diags.error_count();
    let metrics = data::load_metrics(root, &config, diags);
    let metrics_broken = diags.error_count() > before;

    // Figures and Markdown are read and parsed at the same time (each in
    // parallel too): neither depends on the other.
    let before = diags.error_count();
    let figure_files = list_files(
        root,
        paths::FIGURES,
        &[
            "yaml",
            "yml",
            "csv",
            sheet_figures::EXTENSIONS[0],
            sheet_figures::EXTENSIONS[1],
        ],
        diags,
    );
    // The site's own shortcodes (`templates/shortcodes/NAME.html`) are
    // known before any Markdown is read.
    let custom = shortcodes::custom_names(root);
    let text_setting = cache.and_then(|_| setting(&custom));
    let documents = cache.filter(|c| !c.figures_only);
    let ahead = cache.map(|c| &c.read_ahead);
    let mut text_diags = Diagnostics::new();
    let (results, (releases, meetings, meetings_broken, pages)) = rayon::join(
        || -> Vec<_> {
            figure_files
                .par_iter()
                .map(|rel| {
                    let mut d = Diagnostics::new();
                    let figs = match (cache, figure_setting) {
                        (Some(c), Some(s)) => c.data_kept(&c.figures, root, rel, s, &mut d, |d| {
                            Arc::new(data::load_figures(root, rel, &config, Some(&c.parts), d))
                        }),
                        _ => Arc::new(data::load_figures(root, rel, &config, None, &mut d)),
                    };
                    (figs, d)
                })
                .collect()
        },
        || {
            let d = &mut text_diags;
            let s = text_setting;
            let releases = load_markdown(
                root,
                paths::RELEASES,
                ahead,
                d,
                (documents.map(|c| &c.releases), s),
                |rel, text, d| content::release(rel, text, &config, &custom, d).map(Arc::new),
            );
            let before = d.error_count();
            let meetings = load_markdown(
                root,
                paths::MEETINGS,
                ahead,
                d,
                (documents.map(|c| &c.meetings), s),
                |rel, text, d| content::meeting(rel, text, &config, &custom, d),
            );
            let meetings_broken = d.error_count() > before;
            let pages = load_markdown(
                root,
                paths::PAGES,
                ahead,
                d,
                (documents.map(|c| &c.pages), s),
                |rel, text, d| content::page(rel, text, &config, &custom, d),
            );
            (releases, meetings, meetings_broken, pages)
        },
    );
    let mut figures = Figures::default();
    for (figs, d) in results {
        figures.push_file(figs);
        diags.extend(d);
    }
    let figures_broken = diags.error_count() > before;
    diags.extend(text_diags);
    if let Some(c) = cache {
        c.end();
    }

    let before = diags.error_count();
    let charts = data::load_charts(root, diags);
    let charts_broken = diags.error_count() > before;
    let dimensions = data::load_dimensions(root, diags);

    Sources {
        root: root.to_path_buf(),
        config,
        entities,
        metrics,
        dimensions,
        figures,
        releases,
        meetings,
        pages,
        charts,
        incomplete: Incomplete {
            entities: entities_broken,
            metrics: metrics_broken,
            meetings: meetings_broken,
            figures: figures_broken,
            charts: charts_broken,
        },
    }
}

/// Figure records, file by file: each file's records shared with what a
/// load keeps for the next (`rekap serve`) rather than copied, and copied
/// out ([`ByFile::into_vec`](crate::model::ByFile::into_vec)) only by the
/// stage that checks them, when it does.
pub type Figures = crate::model::ByFile<Figure>;

/// Reads the site's templates and static files over rekap's defaults (see [`theme`](mod@theme)).
pub fn theme(root: &Path, diags: &mut Diagnostics) -> Theme {
    theme::load(root, diags)
}

/// What `rekap new` needs to know about a site: its default entity and the
/// ids it may suggest. Read leniently: files with errors give what they can,
/// and nothing is reported (`rekap check` does that).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outline {
    /// `default_entity` of `site.yaml`, else the top of the hierarchy (when
    /// there is exactly one).
    pub default_entity: Option<String>,
    /// Entity ids, in file order.
    pub entities: Vec<String>,
    /// Metric ids, in file order.
    pub metrics: Vec<String>,
}

/// Reads the [`Outline`] of the site at `root`.
pub fn outline(root: &Path) -> Outline {
    let mut diags = Diagnostics::new();
    let config = site::load(root, &mut diags);
    let entities = data::load_entities(root, &config, &mut diags);
    let metrics = data::load_metrics(root, &config, &mut diags);
    let default_entity = config.default_entity.clone().or_else(|| {
        let mut tops = entities.iter().filter(|e| e.parent.is_none());
        match (tops.next(), tops.next()) {
            (Some(top), None) => Some(top.id.clone()),
            _ => None,
        }
    });
    Outline {
        default_entity,
        entities: entities.into_iter().map(|e| e.id).collect(),
        metrics: metrics.into_iter().map(|m| m.id).collect(),
    }
}

/// Files read before the load, each to be taken once instead of being
/// read again (the documents `rekap build` read to fingerprint its inputs:
/// see [`Fingerprints::with_documents`](crate::cache::Fingerprints::with_documents)),
/// by `/`-separated path relative to the site folder. Each was a regular
/// file found without following a link from inside the site folder: it
/// passed the confinement check (no symbolic link on its way).
///
/// Each comes with the digest of its bytes (XXH3-128); a file known by its
/// stamp to be unchanged since the last build (`rekap serve`: see
/// [`InputStamps`](crate::cache::InputStamps)) comes with its digest alone,
/// and the load takes what it parsed of those bytes before, reading the
/// file only if it kept nothing under that digest.
#[derive(Debug, Default)]
pub struct ReadAhead {
    /// Each file, until taken (the map only read while a load takes them,
    /// from every thread: each file has a lock of its own).
    files: std::sync::RwLock<HashMap<String, Mutex<Option<Ahead>>, ahash::RandomState>>,
    /// How many were taken.
    taken: std::sync::atomic::AtomicUsize,
    /// The digests of the other files under `content/` (settings and data
    /// files), found with the documents: a data file whose parse is kept
    /// under its digest is taken without reading it (see
    /// [`ReadAhead::knowing_data`]).
    data: std::sync::RwLock<HashMap<String, u128, ahash::RandomState>>,
    /// Whether a load asked for a file that was not here (it read it).
    missed: std::sync::atomic::AtomicBool,
}

/// One file read ahead: the digest of its bytes, and the bytes unless they
/// are known from the last build (see [`ReadAhead`]).
#[derive(Debug)]
pub struct Ahead {
    /// The bytes, if read.
    pub bytes: Option<Vec<u8>>,
    /// The digest of the bytes (XXH3-128).
    pub digest: u128,
}

impl ReadAhead {
    /// The files `files`, by relative path.
    pub fn new(files: HashMap<String, Ahead, ahash::RandomState>) -> ReadAhead {
        let files = files
            .into_iter()
            .map(|(rel, ahead)| (rel, Mutex::new(Some(ahead))))
            .collect();
        ReadAhead {
            files: std::sync::RwLock::new(files),
            taken: Default::default(),
            data: Default::default(),
            missed: Default::default(),
        }
    }

    /// These files read ahead, and the digests `data` of the data files
    /// found with them (by relative path): a load takes the parse it kept
    /// of a data file under that digest without reading the file (and
    /// reads it as ever if none was kept). The digest is of the bytes as
    /// they were found, like the documents': what is loaded is what was
    /// fingerprinted.
    pub fn knowing_data(self, data: HashMap<String, u128, ahash::RandomState>) -> ReadAhead {
        ReadAhead {
            data: std::sync::RwLock::new(data),
            ..self
        }
    }

    /// The digest of the data file `rel` as it was found, if known.
    fn data_digest(&self, rel: &str) -> Option<u128> {
        let data = self.data.read().unwrap_or_else(|e| e.into_inner());
        data.get(rel).copied()
    }

    /// How many files are left to take.
    pub fn len(&self) -> usize {
        let files = self.files.read().unwrap_or_else(|e| e.into_inner()).len();
        files - self.taken.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Whether every file was taken, and no other asked for: then the
    /// documents loaded are exactly those read ahead, with the bytes they
    /// were read with, each once.
    pub fn took_all(&self) -> bool {
        !self.missed.load(std::sync::atomic::Ordering::Relaxed) && self.is_empty()
    }

    /// Whether no file is left to take.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Holds the files of `other` instead of its own.
    pub(crate) fn replace(&self, other: ReadAhead) {
        let files = other.files.into_inner().unwrap_or_else(|e| e.into_inner());
        let mut mine = self.files.write().unwrap_or_else(|e| e.into_inner());
        *mine = files;
        self.taken.store(
            other.taken.into_inner(),
            std::sync::atomic::Ordering::Relaxed,
        );
        drop(mine);
        let data = other.data.into_inner().unwrap_or_else(|e| e.into_inner());
        *self.data.write().unwrap_or_else(|e| e.into_inner()) = data;
        self.missed.store(
            other.missed.into_inner(),
            std::sync::atomic::Ordering::Relaxed,
        );
    }

    /// The file `rel`, taken (a second call gives `None`, and so does
    /// any file not read ahead: both noted as missed).
    fn take(&self, rel: &str) -> Option<Ahead> {
        let taken = {
            let files = self.files.read().unwrap_or_else(|e| e.into_inner());
            files
                .get(rel)
                .and_then(|f| f.lock().unwrap_or_else(|e| e.into_inner()).take())
        };
        match taken {
            Some(_) => {
                self.taken
                    .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            }
            None => self.missed(),
        }
        taken
    }

    /// The bytes read for `rel` (`Some(None)` if it is known by its digest
    /// alone), leaving it in place.
    #[cfg(test)]
    pub(crate) fn bytes_of(&self, rel: &str) -> Option<Option<Vec<u8>>> {
        let files = self.files.read().unwrap_or_else(|e| e.into_inner());
        let ahead = files.get(rel)?.lock().unwrap_or_else(|e| e.into_inner());
        ahead.as_ref().map(|a| a.bytes.clone())
    }

    /// Notes that the load read a file itself.
    fn missed(&self) {
        self.missed
            .store(true, std::sync::atomic::Ordering::Relaxed);
    }
}

/// Reads a file as UTF-8, reporting failure as a diagnostic on `rel`.
/// Never reads through a symbolic link (see [`confine`]).
fn read(root: &Path, rel: &str, diags: &mut Diagnostics) -> Option<String> {
    read_bytes(root, rel, diags).and_then(|bytes| utf8(rel, bytes, diags))
}

/// `bytes` as text, or the error for text that is not UTF-8.
fn utf8(rel: &str, bytes: Vec<u8>, diags: &mut Diagnostics) -> Option<String> {
    match String::from_utf8(bytes) {
        Ok(s) => Some(s),
        Err(e) => {
            diags.push(not_utf8(rel, e.as_bytes(), e.utf8_error().valid_up_to()));
            None
        }
    }
}

/// The error for a file that is not UTF-8 text: where its first bad byte
/// is, and how to save it instead.
pub(crate) fn not_utf8(rel: &str, bytes: &[u8], valid_up_to: usize) -> Diagnostic {
    if bytes.starts_with(&[0xff, 0xfe]) || bytes.starts_with(&[0xfe, 0xff]) {
        return Diagnostic::error(
            Origin::new(rel, Pos::new(1, 1)),
            "the file is saved as UTF-16, not UTF-8",
        )
        .with_help("save it again as UTF-8 (in a spreadsheet: \"CSV UTF-8\"; in an editor: encoding UTF-8)");
    }
    let good = std::str::from_utf8(&bytes[..valid_up_to]).unwrap_or_default();
    let line = good.matches('\n').count() as u32 + 1;
    let column = good.rsplit('\n').next().unwrap_or("").chars().count() as u32 + 1;
    let byte = bytes.get(valid_up_to).copied().unwrap_or_default();
    Diagnostic::error(
        Origin::new(rel, Pos::new(line, column)),
        format!("not UTF-8 text: the byte 0x{byte:02X} here is not a character in UTF-8"),
    )
    .with_help(
        "save the file as UTF-8 (in a spreadsheet: \"CSV UTF-8\"; in an editor: encoding UTF-8); text from Windows-1252 or Latin-1 files, like `é` or `’`, is the usual cause",
    )
}

/// Reads a file's bytes, reporting failure as a diagnostic on `rel`.
/// Never reads through a symbolic link (see [`confine`]).
fn read_bytes(root: &Path, rel: &str, diags: &mut Diagnostics) -> Option<Vec<u8>> {
    if let Err(d) = confine::check(root, rel) {
        diags.push(d);
        return None;
    }
    match std::fs::read(root.join(rel)) {
        Ok(bytes) => Some(bytes),
        Err(e) => {
            diags.push(
                Diagnostic::error(
                    Origin::new(rel, Pos::new(1, 1)),
                    format!("cannot read the file: {e}"),
                )
                .with_help(io_help(&e)),
            );
            None
        }
    }
}

/// What to do about an I/O error.
pub(crate) fn io_help(e: &std::io::Error) -> &'static str {
    match e.kind() {
        std::io::ErrorKind::PermissionDenied => {
            "rekap may not read it: give the user running rekap read permission (chmod a+r)"
        }
        std::io::ErrorKind::NotFound => "the file went away while rekap read the site: build again",
        _ => "check the file and the disk it is on, then build again",
    }
}

/// Files directly in `dir` (relative to root) with one of `exts`, sorted by name.
/// Hidden files are skipped; other files are reported as warnings.
fn list_files(root: &Path, dir: &str, exts: &[&str], diags: &mut Diagnostics) -> Vec<String> {
    let Some(full) = folder(root, dir, diags) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let cannot_list = |e: std::io::Error| {
        Diagnostic::error(
            Origin::new(dir, Default::default()),
            format!("cannot list folder: {e}"),
        )
    };
    // Each entry's name and type (as the folder tells it: a link is a
    // link), in the order of the names (errors first).
    let mut entries = Vec::new();
    match std::fs::read_dir(&full) {
        Ok(list) => {
            for entry in list {
                match entry.and_then(|e| Ok((e.file_name(), e.file_type()?))) {
                    Ok(found) => entries.push(found),
                    Err(e) => diags.push(cannot_list(e)),
                }
            }
        }
        Err(e) => diags.push(cannot_list(e)),
    }
    entries.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    for (name, kind) in entries {
        let name = name.to_string_lossy();
        // Hidden files, and the lock files spreadsheet programs keep beside
        // an open workbook (`~$2017.xlsx`; LibreOffice's start with `.`).
        if name.starts_with('.') || name.starts_with("~$") {
            continue;
        }
        let rel = format!("{dir}/{name}");
        if kind.is_symlink() {
            diags.push(confine::link(root, &rel));
            continue;
        }
        if !kind.is_file() {
            continue;
        }
        let ext = Path::new(&*name)
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or("");
        if exts.contains(&ext) {
            out.push(rel);
        } else {
            diags.push(
                Diagnostic::warning(
                    Origin::new(rel, Default::default()),
                    "file ignored: unexpected extension",
                )
                .with_help(format!(
                    "files here end in {}",
                    exts.iter()
                        .map(|e| format!(".{e}"))
                        .collect::<Vec<_>>()
                        .join(" or ")
                )),
            );
        }
    }
    out
}

/// The folder `dir` (relative to `root`) if it exists and is reached
/// without passing through a symbolic link; a link is reported.
fn folder(root: &Path, dir: &str, diags: &mut Diagnostics) -> Option<PathBuf> {
    if let Err(d) = confine::check(root, dir) {
        diags.push(d);
        return None;
    }
    let full = root.join(dir);
    full.is_dir().then_some(full)
}

/// `parse(diags)`, or the result `cache` kept for `rel` with the same
/// bytes (their digest `digest`) and `setting`.
fn cached<T: Clone>(
    cache: Option<&cache::Keyed<Option<T>>>,
    setting: Option<u128>,
    rel: &str,
    digest: Option<u128>,
    diags: &mut Diagnostics,
    parse: impl FnOnce(&mut Diagnostics) -> Option<T>,
) -> Option<T> {
    match (cache, setting, digest) {
        (Some(c), Some(s), Some(d)) => {
            c.get_or_parse(rel, Some(cache::content_key(d, s)), diags, parse)
        }
        _ => parse(diags),
    }
}

/// What `cache` kept for `rel` with bytes of digest `digest` and
/// `setting`, if anything (its problems to `diags`); `None` without a cache.
fn kept<T: Clone>(
    cache: Option<&cache::Keyed<Option<T>>>,
    setting: Option<u128>,
    rel: &str,
    digest: u128,
    diags: &mut Diagnostics,
) -> Option<Option<T>> {
    cache?.get(rel, cache::content_key(digest, setting?), diags)
}

/// The documents of `dir`, each read (or taken from `ahead`) and parsed by
/// `parse`, or taken from `cache` (with the setting it is read with) if it
/// kept what the same bytes gave; a document known by its digest alone is
/// read only if the cache kept nothing for it.
fn load_markdown<T: Clone + Send + Sync>(
    root: &Path,
    dir: &str,
    ahead: Option<&ReadAhead>,
    diags: &mut Diagnostics,
    (cache, setting): (Option<&cache::Keyed<Option<T>>>, Option<u128>),
    parse: impl Fn(&str, &str, &mut Diagnostics) -> Option<T> + Sync,
) -> Vec<T> {
    let keyed = cache.is_some() && setting.is_some();
    let files = list_files(root, dir, &["md", "markdown"], diags);
    let read_one = |rel: &str, d: &mut Diagnostics| -> Option<T> {
        let (bytes, digest) = match ahead.and_then(|a| a.take(rel)) {
            Some(Ahead {
                bytes: Some(bytes),
                digest,
            }) => (bytes, Some(digest)),
            Some(Ahead {
                bytes: None,
                digest,
            }) => {
                // Known unchanged: what was parsed of it, unless forgotten.
                if let Some(item) = kept(cache, setting, rel, digest, d) {
                    return item;
                }
                if let Some(a) = ahead {
                    a.missed();
                }
                let bytes = read_bytes(root, rel, d)?;
                let digest = xxhash_rust::xxh3::xxh3_128(&bytes);
                (bytes, Some(digest))
            }
            None => {
                let bytes = read_bytes(root, rel, d)?;
                let digest = keyed.then(|| xxhash_rust::xxh3::xxh3_128(&bytes));
                (bytes, digest)
            }
        };
        let text = utf8(rel, bytes, d)?;
        cached(cache, setting, rel, digest, d, |d| parse(rel, &text, d))
    };
    let results: Vec<_> = files
        .par_iter()
        .map(|rel| {
            let mut d = Diagnostics::new();
            let item = read_one(rel, &mut d);
            (item, d)
        })
        .collect();
    let mut out = Vec::new();
    for (item, d) in results {
        out.extend(item);
        diags.extend(d);
    }
    out
}

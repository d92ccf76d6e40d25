//! A site in several languages: one edition per language, the default
//! language's at the root of the output and each other's in a folder named
//! by its code (`en/`), every page linked to its translations.

use std::collections::{HashMap, HashSet};

use serde::Serialize;

use crate::compute::SiteModel;
use crate::model::Lang;
use crate::urls::Urls;
use crate::write::{Kept, OutputFile, Sink, WriteError};

/// One language's edition, as the others see it.
#[derive(Debug, Clone)]
pub struct Edition {
    /// Its language.
    pub lang: Lang,
    /// Its URLs (its base URL ends in its folder).
    urls: Urls,
    /// The site paths of its pages, relative to its own base path
    /// (`regions/gorontalo/`; the home page is ``).
    pages: HashSet<String>,
}

/// Every edition of a site, and which document is a translation of which.
#[derive(Debug, Clone)]
pub struct Editions {
    /// The base path of the whole site (the default language's), like `/`.
    pub root_base_path: String,
    /// The editions, the default language's first.
    pub editions: Vec<Edition>,
    /// For each document page (language, path relative to its edition), its
    /// group of translations.
    docs: HashMap<(Lang, String), usize>,
    /// Each group of translations: the page of the document in each language.
    groups: Vec<Vec<(Lang, String)>>,
}

/// A page's version in one language, for the language switcher and the
/// `hreflang` links of its head.
#[derive(Debug, Clone, Serialize)]
pub struct Translation {
    /// The language's code (`id`, `en`).
    pub lang: &'static str,
    /// The language's name in that language (`Bahasa Indonesia`, `English`).
    pub name: &'static str,
    /// The site path of the version (the language's home page when the
    /// page has no version in it).
    pub url: String,
    /// `url` made absolute.
    pub absolute: String,
    /// Whether this is the page itself.
    pub current: bool,
    /// Whether the page has a version in this language (else `url` is the
    /// language's home page).
    pub exists: bool,
}

/// A language's name in itself.
fn endonym(lang: Lang) -> &'static str {
    match lang {
        Lang::Id => "Bahasa Indonesia",
        Lang::En => "English",
    }
}

impl Editions {
    /// The editions of the site whose models are `models`, one per
    /// language, the default language's first.
    pub fn new(models: &[SiteModel]) -> Editions {
        let root = models
            .first()
            .map(|m| Urls::new(&m.site.config.base_url))
            .unwrap_or_else(|| Urls::new("/"));
        let mut editions = Vec::new();
        let mut by_key: HashMap<String, usize> = HashMap::new();
        let mut groups: Vec<Vec<(Lang, String)>> = Vec::new();
        let mut docs = HashMap::new();
        for model in models {
            let site = &model.site;
            let lang = site.config.language;
            let urls = Urls::new(&site.config.base_url);
            let rel = |path: &str| -> String {
                path.strip_prefix(urls.base_path.as_str())
                    .unwrap_or(path)
                    .to_string()
            };
            let pages = super::page_paths(model).iter().map(|p| rel(p)).collect();
            let documents = site
                .releases
                .iter()
                .map(|r| (&r.release.origin.file, urls.release(&r.release.slug)))
                .chain(
                    site.meetings
                        .iter()
                        .map(|m| (&m.meeting.origin.file, urls.meeting(&m.meeting.slug))),
                )
                .chain(
                    site.pages
                        .iter()
                        .map(|p| (&p.page.origin.file, urls.page(&p.page.slug))),
                );
            for (file, path) in documents {
                let key = crate::load::translation_key(file);
                let next = groups.len();
                let g = *by_key.entry(key).or_insert(next);
                if g == next {
                    groups.push(Vec::new());
                }
                groups[g].push((lang, rel(&path)));
                docs.insert((lang, rel(&path)), g);
            }
            editions.push(Edition { lang, urls, pages });
        }
        Editions {
            root_base_path: root.base_path,
            editions,
            docs,
            groups,
        }
    }

    /// A digest of everything [`Editions::translations`] and
    /// [`Editions::folder`] give, for every page: the editions' languages,
    /// URLs and pages, and the groups of translations. `None` if it cannot
    /// be digested.
    pub fn identity(&self) -> Option<u128> {
        let mut h = xxhash_rust::xxh3::Xxh3::new();
        crate::digest::update(&mut h, &(&self.root_base_path, &self.groups)).ok()?;
        for e in &self.editions {
            let mut pages: Vec<&String> = e.pages.iter().collect();
            pages.sort_unstable();
            crate::digest::update(
                &mut h,
                &(e.lang.code(), &e.urls.base_url, &e.urls.base_path, pages),
            )
            .ok()?;
        }
        Some(h.digest128())
    }

    /// The edition in `lang`.
    fn edition(&self, lang: Lang) -> Option<&Edition> {
        self.editions.iter().find(|e| e.lang == lang)
    }

    /// The folder of the edition in `lang` in the output: `` for the
    /// default language, `en/` for English.
    pub fn folder(&self, lang: Lang) -> String {
        match self.edition(lang) {
            Some(e) => e
                .urls
                .base_path
                .strip_prefix(self.root_base_path.as_str())
                .unwrap_or("")
                .to_string(),
            None => String::new(),
        }
    }

    /// Whether `lang` is the site's default language (its edition at the root).
    pub fn is_default(&self, lang: Lang) -> bool {
        self.editions.first().is_some_and(|e| e.lang == lang)
    }

    /// The absolute URL of every edition's sitemap, the default's first.
    pub fn sitemaps(&self) -> Vec<String> {
        self.editions
            .iter()
            .map(|e| e.urls.absolute(&e.urls.sitemap()))
            .collect()
    }

    /// The versions, in every language, of the page at site path `path` of
    /// the edition in `lang`: the same page where the other edition has it
    /// (every page made from the data), a document's translation, or else
    /// the other language's home page.
    pub fn translations(&self, lang: Lang, path: &str) -> Vec<Translation> {
        let Some(here) = self.edition(lang) else {
            return Vec::new();
        };
        let rel = path
            .strip_prefix(here.urls.base_path.as_str())
            .unwrap_or(path);
        let group = self
            .docs
            .get(&(lang, rel.to_string()))
            .map(|&g| &self.groups[g]);
        self.editions
            .iter()
            .map(|e| {
                let found = if e.lang == lang {
                    Some(rel.to_string())
                } else if let Some(group) = group {
                    group
                        .iter()
                        .find(|(l, _)| *l == e.lang)
                        .map(|(_, p)| p.clone())
                } else {
                    e.pages.contains(rel).then(|| rel.to_string())
                };
                let exists = found.is_some();
                let url = format!("{}{}", e.urls.base_path, found.unwrap_or_default());
                Translation {
                    lang: e.lang.code(),
                    name: endonym(e.lang),
                    absolute: e.urls.absolute(&url),
                    url,
                    current: e.lang == lang,
                    exists,
                }
            })
            .collect()
    }
}

/// A sink that puts every file of an edition in the edition's folder.
pub(super) struct Prefixed<'a> {
    /// Where the files go.
    pub inner: &'a dyn Sink,
    /// The edition's folder (`en/`); empty for the default language.
    pub folder: String,
}

impl Sink for Prefixed<'_> {
    fn put(&self, mut file: OutputFile) -> Result<(), WriteError> {
        file.path.insert_str(0, &self.folder);
        self.inner.put(file)
    }

    fn reuse(&self, path: &str, source: &str) -> Result<bool, WriteError> {
        self.inner.reuse(
            &format!("{}{path}", self.folder),
            &format!("{}{source}", self.folder),
        )
    }

    fn keep(&self, path: &str) -> Result<Option<Kept>, WriteError> {
        self.inner.keep(&format!("{}{path}", self.folder))
    }
}

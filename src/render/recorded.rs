//! What the build in the output made, for `rekap build` to keep what it
//! would make again (see [`crate::cache`], which keeps it on disk between
//! builds): the digest of every page's values, and the data downloads.
//!
//! A page is a function of its template and its values (see
//! [`pages`](super::pages)): a build that gives a page values with the
//! digest recorded for it by the build in the output keeps the output's
//! file, checked against the output's manifest, instead of rendering it.
//! Charts enter a digest by what they are drawn from (see
//! [`Drawing`](super::chart_views::Drawing)), so that a page kept needs
//! none of its charts drawn. The part of an entity page made from the
//! chart inputs alone (its figures) enters the page's digest by its own
//! digest, recorded too: a build of the same chart inputs takes it from
//! the record instead of making that part to digest it.
//!
//! What each page read is recorded too (see
//! [`Reads`](super::pages::reads::Reads), the bodies known by their
//! digests): a build of the same frame keeps from the output every page
//! whose bodies have the digests they had, without making its values.
//!
//! The data downloads (CSV and JSON) are made from the chart inputs and
//! the years the site covers alone: a build whose chart inputs have the
//! fingerprint of the build in the output, and whose years are the same,
//! keeps its downloads.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use super::bodies::KeptBodies;
use super::markdown::Rendered;
use crate::cache::Fingerprint;
use crate::model::Lang;

/// Where the digests of entity pages' figures (everything on an entity
/// page made from the chart inputs alone: its charts, tables, rankings)
/// are kept from one build for the next: a build of the same chart inputs
/// makes the same figures, which then need not be made to be digested.
pub trait KeptFigures: Sync {
    /// The digest of the figures of the entity page at `path` in `lang`,
    /// kept by a build of this build's chart inputs.
    fn figures(&self, lang: Lang, path: &str) -> Option<u128>;
    /// Keeps the digest of the figures of this build's entity page at
    /// `path` in `lang`.
    fn keep_figures(&self, lang: Lang, path: &str, digest: u128);
}

/// A page's language, its file's path in that language's edition, and the
/// digest of its values.
pub type PageDigest = (Lang, String, u128);

/// The data downloads of one language edition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Downloads {
    /// The edition's language.
    pub lang: Lang,
    /// The years the site covered.
    pub years: Vec<i32>,
    /// The paths of the files, in the edition.
    pub paths: Vec<String>,
}

/// What one build made, as recorded.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Record {
    /// The fingerprint of its chart inputs.
    pub chart_inputs: Option<Fingerprint>,
    /// Every page, sorted by language and path.
    pub pages: Vec<PageDigest>,
    /// The digest of the part of each entity page made from the chart
    /// inputs alone (see `Recorded::figures`), by language and page path,
    /// sorted.
    pub figures: Vec<PageDigest>,
    /// Its downloads, by language.
    pub downloads: Vec<Downloads>,
    /// What its pages read, by language (see
    /// [`Reads`](super::pages::reads::Reads)), sorted by language.
    pub reads: Vec<(Lang, RecordedReads)>,
}

/// What the pages of a build in one language read, its bodies known by
/// their digests (see [`body_digest`](super::pages::reads::body_digest)).
pub type RecordedReads = super::pages::reads::Reads<u128>;

/// A body as kept: its key mixed with a salt that names the executable
/// and the chart inputs it was rendered with, its shown key (see
/// [`KeptBodies`]), and the body.
pub type KeptBody = (u128, Option<u128>, Arc<Rendered>);

/// Markdown bodies kept from earlier builds by this executable (see
/// [`KeptBodies`] and `crate::cache::BodyLog`).
#[derive(Debug, Clone, Default)]
pub struct Bodies {
    /// The bodies by salted key (found only by a build of the same
    /// executable and chart inputs), with their shown keys.
    pub bodies: HashMap<u128, (Arc<Rendered>, Option<u128>)>,
    /// The bodies by shown key (found by a build of any chart inputs).
    pub shown: HashMap<u128, Arc<Rendered>>,
    /// How many entries the store holds, the bodies given here and those
    /// no longer wanted (or given twice).
    pub entries: usize,
}

impl Bodies {
    /// Adds `body`, kept under the salted key `key` and the shown key
    /// `shown`.
    pub fn insert(&mut self, key: u128, shown: Option<u128>, body: Arc<Rendered>) {
        if let Some(shown) = shown {
            self.shown.insert(shown, body.clone());
        }
        self.bodies.insert(key, (body, shown));
    }
}

/// The bodies one build took or rendered, by salted key.
#[derive(Debug, Clone)]
pub struct BodiesMade {
    /// Every body this build has, sorted by key.
    pub all: Vec<KeptBody>,
    /// Those that were not in the store under their salted key, sorted by
    /// key.
    pub new: Vec<KeptBody>,
    /// How many entries the store held before this build.
    pub entries: usize,
    /// The salt of the store's entries (this executable's).
    pub salt: u128,
    /// The fingerprint of this build's chart inputs.
    pub inputs: Fingerprint,
}

/// What the build in the output made, and what this build makes.
#[derive(Debug)]
pub struct Recorded {
    /// The fingerprint of this build's chart inputs.
    pub chart_inputs: Fingerprint,
    pages: HashMap<(Lang, String), u128>,
    /// The digests of the entity pages' figures in the build in the
    /// output, if made from these chart inputs.
    figures: HashMap<(Lang, String), u128>,
    /// The downloads of the build in the output, if made from these chart
    /// inputs.
    downloads: Vec<Downloads>,
    /// What the pages of the build in the output read, by language.
    reads: HashMap<Lang, RecordedReads>,
    now: Mutex<Record>,
    /// The bodies kept from earlier builds, and the salt of this build's
    /// keys (see [`Bodies`]).
    bodies: Bodies,
    salt: u128,
    bodies_now: Mutex<Vec<KeptBody>>,
}

impl Recorded {
    /// For a build whose chart inputs have the fingerprint `chart_inputs`,
    /// into an output whose build made `before`, with the bodies kept from
    /// earlier builds in a store of the salt `salt` (see [`Bodies`]).
    pub fn new(chart_inputs: Fingerprint, before: Record, bodies: Bodies, salt: u128) -> Recorded {
        let same_inputs = before.chart_inputs == Some(chart_inputs);
        Recorded {
            chart_inputs,
            pages: before
                .pages
                .into_iter()
                .map(|(lang, path, digest)| ((lang, path), digest))
                .collect(),
            figures: if same_inputs {
                before
                    .figures
                    .into_iter()
                    .map(|(lang, path, digest)| ((lang, path), digest))
                    .collect()
            } else {
                HashMap::new()
            },
            downloads: if same_inputs {
                before.downloads
            } else {
                Vec::new()
            },
            // Each with the digest of its frame, which says whether it is
            // of this build's.
            reads: before.reads.into_iter().collect(),
            now: Mutex::new(Record {
                chart_inputs: Some(chart_inputs),
                ..Record::default()
            }),
            bodies,
            salt,
            bodies_now: Mutex::new(Vec::new()),
        }
    }

    /// Whether the build in the output has pages in `lang`.
    pub(super) fn has_pages(&self, lang: Lang) -> bool {
        self.pages.keys().any(|(l, _)| *l == lang)
    }

    /// Whether the page at `path` in `lang` had the digest `digest` in the
    /// build in the output.
    pub(super) fn was(&self, lang: Lang, path: &str, digest: u128) -> bool {
        // (A lookup by a borrowed pair would need a key type of its own.)
        self.pages.get(&(lang, path.to_string())) == Some(&digest)
    }

    /// The digest the page at `path` in `lang` had in the build in the
    /// output.
    pub(super) fn digest(&self, lang: Lang, path: &str) -> Option<u128> {
        self.pages.get(&(lang, path.to_string())).copied()
    }

    /// What the pages in `lang` of the build in the output read.
    pub(super) fn reads(&self, lang: Lang) -> Option<&RecordedReads> {
        self.reads.get(&lang)
    }

    /// Records what this build's pages in `lang` read.
    pub(super) fn record_reads(&self, lang: Lang, reads: RecordedReads) {
        self.lock().reads.push((lang, reads));
    }

    /// Records this build's page at `path` in `lang` with `digest`.
    pub(super) fn record(&self, lang: Lang, path: &str, digest: u128) {
        self.lock().pages.push((lang, path.to_string(), digest));
    }

    /// The paths of the downloads in `lang` of the build in the output, if
    /// they were made from this build's chart inputs and `years`.
    pub(super) fn downloads(&self, lang: Lang, years: &[i32]) -> Option<&[String]> {
        self.downloads
            .iter()
            .find(|d| d.lang == lang && d.years == years)
            .map(|d| d.paths.as_slice())
    }

    /// Records this build's downloads in `lang`.
    pub(super) fn record_downloads(&self, lang: Lang, years: &[i32], mut paths: Vec<String>) {
        paths.sort();
        self.lock().downloads.push(Downloads {
            lang,
            years: years.to_vec(),
            paths,
        });
    }

    fn lock_bodies(&self) -> std::sync::MutexGuard<'_, Vec<KeptBody>> {
        self.bodies_now.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Record> {
        self.now.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// What this build made, its pages sorted by language and path, and
    /// its bodies.
    pub fn into_records(self) -> (Record, BodiesMade) {
        let mut now = self.now.into_inner().unwrap_or_else(|e| e.into_inner());
        now.pages.sort();
        now.figures.sort();
        now.downloads.sort_by_key(|d| d.lang.code());
        now.reads.sort_by_key(|(lang, _)| lang.code());
        let mut all = self
            .bodies_now
            .into_inner()
            .unwrap_or_else(|e| e.into_inner());
        all.sort_by_key(|(key, _, _)| *key);
        all.dedup_by_key(|(key, _, _)| *key);
        let new = all
            .iter()
            .filter(|(key, _, _)| !self.bodies.bodies.contains_key(key))
            .cloned()
            .collect();
        let bodies = BodiesMade {
            all,
            new,
            entries: self.bodies.entries,
            salt: self.salt,
            inputs: self.chart_inputs,
        };
        (now, bodies)
    }

    /// `key` mixed with the store's salt and this build's chart inputs.
    fn salted(&self, key: u128) -> u128 {
        let mut h = xxhash_rust::xxh3::Xxh3::new();
        h.update(&self.salt.to_le_bytes());
        h.update(&self.chart_inputs.0.to_le_bytes());
        h.update(&key.to_le_bytes());
        h.digest128()
    }
}

impl KeptFigures for Recorded {
    fn figures(&self, lang: Lang, path: &str) -> Option<u128> {
        self.figures.get(&(lang, path.to_string())).copied()
    }

    fn keep_figures(&self, lang: Lang, path: &str, digest: u128) {
        self.lock().figures.push((lang, path.to_string(), digest));
    }
}

impl KeptBodies for Recorded {
    fn body(&self, key: u128) -> Option<(Arc<Rendered>, Option<u128>)> {
        self.bodies.bodies.get(&self.salted(key)).cloned()
    }

    fn body_shown(&self, shown: u128) -> Option<Arc<Rendered>> {
        self.bodies.shown.get(&shown).cloned()
    }

    fn keep_body(&self, key: u128, shown: Option<u128>, body: Arc<Rendered>) {
        let key = self.salted(key);
        self.lock_bodies().push((key, shown, body));
    }
}

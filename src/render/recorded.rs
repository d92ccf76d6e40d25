//! The digests of the pages of the build in the output, for `rekap build`
//! to keep every page whose values are the same, unrendered (see
//! [`crate::cache`], which keeps them on disk between builds).
//!
//! A page is a function of its template and its values (see
//! [`pages`](super::pages)): a build that gives a page values with the
//! digest recorded for it by the build in the output keeps the output's
//! file, checked against the output's manifest, instead of rendering it.
//! Charts enter a digest by what they are drawn from (see
//! [`Drawing`](super::chart_views::Drawing)), so that a page kept needs
//! none of its charts drawn.

use std::collections::HashMap;
use std::sync::Mutex;

use crate::cache::Fingerprint;
use crate::model::Lang;

/// A page's language, its file's path in that language's edition, and the
/// digest of its values.
pub type PageDigest = (Lang, String, u128);

/// The page digests of the build in the output, and this build's.
#[derive(Debug)]
pub struct Recorded {
    /// The fingerprint of this build's chart inputs.
    pub chart_inputs: Fingerprint,
    before: HashMap<(Lang, String), u128>,
    now: Mutex<Vec<PageDigest>>,
}

impl Recorded {
    /// For a build whose chart inputs have the fingerprint `chart_inputs`,
    /// into an output whose pages have the digests `before`.
    pub fn new(chart_inputs: Fingerprint, before: Vec<PageDigest>) -> Recorded {
        Recorded {
            chart_inputs,
            before: before
                .into_iter()
                .map(|(lang, path, digest)| ((lang, path), digest))
                .collect(),
            now: Mutex::new(Vec::new()),
        }
    }

    /// Whether the build in the output has pages in `lang`.
    pub(super) fn has_pages(&self, lang: Lang) -> bool {
        self.before.keys().any(|(l, _)| *l == lang)
    }

    /// Whether the page at `path` in `lang` had the digest `digest` in the
    /// build in the output.
    pub(super) fn was(&self, lang: Lang, path: &str, digest: u128) -> bool {
        // (A lookup by a borrowed pair would need a key type of its own.)
        self.before.get(&(lang, path.to_string())) == Some(&digest)
    }

    /// Records this build's page at `path` in `lang` with `digest`.
    pub(super) fn record(&self, lang: Lang, path: &str, digest: u128) {
        self.now
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push((lang, path.to_string(), digest));
    }

    /// This build's page digests, sorted by language and path.
    pub fn into_digests(self) -> Vec<PageDigest> {
        let mut now = self.now.into_inner().unwrap_or_else(|e| e.into_inner());
        now.sort();
        now
    }
}

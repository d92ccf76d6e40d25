//! The checks of releases kept from one build for the next (`rekap
//! serve`): a release is checked against the ids, audiences and
//! definitions of entities, metrics, dimensions and named charts, the
//! settings, the meetings, the build's selection and which definition
//! files failed to load, and against nothing else: not against a figure's
//! values. A build takes the check of a release it loaded as the very same
//! document (the same allocation, which the load's cache keeps while the
//! file is unchanged) when all of those ([`Context`]) are the same, with
//! the problems found then; after a save of one release or of one figure
//! file, the other ten thousand releases of the large benchmark site are
//! not resolved again.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use super::ReleaseRecord;
use crate::diagnostics::Diagnostics;
use crate::model::{Lang, Release};

/// The digest of everything a release's check reads besides the release
/// (see [`context`](super::content)).
pub(super) type Context = u128;

/// One release's check: the release it was made for (held, so that no
/// other document can take its address), the context it was made in, its
/// record (`None`: left out of the build), its problems, and the last
/// build that had it.
#[derive(Debug)]
pub(super) struct Checked {
    pub(super) release: Arc<Release>,
    pub(super) context: Context,
    pub(super) record: Option<Arc<ReleaseRecord>>,
    pub(super) found: Diagnostics,
    pub(super) build: u64,
}

/// The checks of the last build in one language, by the address of their
/// release, updated in place by the next (a map of ten thousand made
/// afresh at every build is memory to zero and hash again).
#[derive(Debug, Default)]
pub(super) struct Checks {
    pub(super) by_release: HashMap<usize, Checked, ahash::RandomState>,
    /// The number of the last build.
    pub(super) build: u64,
}

/// The address a release is known by in [`Checks`].
pub(super) fn address(release: &Arc<Release>) -> usize {
    Arc::as_ptr(release) as usize
}

/// The checks of the last build, by language. Each check holds the digest
/// of what it read, so it needs no other rule for when it is stale (as the
/// values made from the chart inputs do: see
/// [`ByChartInputs`](crate::cache::kept::ByChartInputs)).
#[derive(Debug, Default)]
pub(super) struct KeptReleases(Mutex<HashMap<Lang, Checks>>);

impl KeptReleases {
    /// Takes the checks of the last build in `lang`, to be updated and
    /// put back with [`KeptReleases::keep`].
    pub(super) fn take(&self, lang: Lang) -> Option<Checks> {
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(&lang)
    }

    /// Keeps this build's checks in `lang` for the next.
    pub(super) fn keep(&self, lang: Lang, checks: Checks) {
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(lang, checks);
    }
}

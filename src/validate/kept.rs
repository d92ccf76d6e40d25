//! The checks of releases kept from one build for the next (`rekap
//! serve`): a release is checked against the data (entities, metrics,
//! figures, named charts, settings: the chart inputs), the meetings, the
//! build's selection and which definition files failed to load, and
//! against nothing else. A build of the same chart inputs takes the check
//! of a release it loaded as the very same document (the same allocation,
//! which the load's cache keeps while the file is unchanged) when the rest
//! ([`Context`]) is the same, with the problems found then; after a save
//! of one release, the other ten thousand of the large benchmark site are
//! not resolved again.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

use super::ReleaseRecord;
use crate::cache::Fingerprint;
use crate::diagnostics::Diagnostics;
use crate::model::{Lang, Release};

/// The digest of what a release's check reads besides the release and the
/// chart inputs (see [`context`](super::content)).
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

/// The checks of the last build of these chart inputs, by language.
#[derive(Debug, Default)]
pub(super) struct KeptReleases(Mutex<State>);

#[derive(Debug, Default)]
struct State {
    /// `None`: nothing is kept (the inputs are not known).
    inputs: Option<Fingerprint>,
    by_lang: HashMap<Lang, Checks>,
}

impl KeptReleases {
    fn state(&self) -> MutexGuard<'_, State> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Starts a build whose chart inputs have the fingerprint `inputs`:
    /// keeps the checks made from these inputs, else forgets them.
    pub(super) fn begin(&self, inputs: Option<Fingerprint>) {
        let mut s = self.state();
        if inputs.is_none() || s.inputs != inputs {
            s.by_lang.clear();
        }
        s.inputs = inputs;
    }

    /// Ends a build, with the fingerprint of its chart inputs read again
    /// after it: if they changed while it ran, its checks are forgotten.
    pub(super) fn end(&self, inputs: Option<Fingerprint>) {
        let mut s = self.state();
        if inputs.is_none() || s.inputs != inputs {
            s.by_lang.clear();
            s.inputs = None;
        }
    }

    /// Takes the checks kept in `lang` (the build puts back its own).
    pub(super) fn take(&self, lang: Lang) -> Checks {
        self.state().by_lang.remove(&lang).unwrap_or_default()
    }

    /// Keeps the checks of the build under way in `lang`, if its chart
    /// inputs are known.
    pub(super) fn keep(&self, lang: Lang, checks: Checks) {
        let mut s = self.state();
        if s.inputs.is_some() {
            s.by_lang.insert(lang, checks);
        }
    }
}

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
use std::sync::Arc;

use super::ReleaseRecord;
use crate::cache::kept::ByChartInputs;
use crate::diagnostics::Diagnostics;
use crate::model::Release;

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

/// The checks of the last build of these chart inputs, by language (kept
/// and forgotten by the rule of [`ByChartInputs`]).
pub(super) type KeptReleases = ByChartInputs<Checks>;

//! Charts kept from one build for the next.
//!
//! `rekap serve` rebuilds after every save. A chart is drawn from the
//! figures, entities, metrics, settings and interface strings alone, never
//! from a Markdown document or a template (see
//! [`Fingerprints::charts`](crate::cache::Fingerprints::charts)), so a save
//! that leaves those inputs as they were (a release edited, a template
//! changed) leaves every chart as it was: the next build takes the charts
//! it needs from the memo and draws only those it has not seen (a chart
//! placed in the edited release for the first time, say).
//!
//! The memo is keyed by the fingerprint of the chart inputs: a build whose
//! fingerprint differs from the last one's, or that cannot be fingerprinted,
//! starts from an empty memo, and so does the build after one whose inputs
//! changed while it ran. After each build the memo holds exactly the charts
//! that build used, so it never grows beyond one build's charts.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

use super::chart_plan::ChartKey;
use super::chart_views::{ChartView, Charts};
use crate::cache::Fingerprint;
use crate::model::Lang;

/// Charts drawn by earlier builds of the same chart inputs, by language.
#[derive(Debug, Default)]
pub struct ChartMemo {
    state: Mutex<State>,
}

#[derive(Debug, Default)]
struct State {
    /// The chart inputs the charts were drawn from; `None`: nothing kept.
    inputs: Option<Fingerprint>,
    charts: HashMap<(Lang, ChartKey), Arc<ChartView>>,
}

impl ChartMemo {
    /// An empty memo.
    pub fn new() -> ChartMemo {
        ChartMemo::default()
    }

    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Starts a build whose chart inputs have the fingerprint `inputs`
    /// (read before it loads anything): keeps the charts if they are those
    /// of the charts kept, else forgets them all.
    pub fn begin(&self, inputs: Option<Fingerprint>) {
        let mut s = self.state();
        if inputs.is_none() || s.inputs != inputs {
            s.charts.clear();
        }
        s.inputs = inputs;
    }

    /// Ends a build, with the fingerprint of its chart inputs read again
    /// after it: if they changed while the build ran, its charts may be of
    /// either version, and are forgotten.
    pub fn end(&self, inputs: Option<Fingerprint>) {
        let mut s = self.state();
        if inputs.is_none() || s.inputs != inputs {
            s.charts.clear();
            s.inputs = None;
        }
    }

    /// The chart `key` in `lang`, if kept, with a PNG if `png` (a chart
    /// kept without one, or with one when none is wanted, is drawn again).
    pub(super) fn get(&self, lang: Lang, key: &ChartKey, png: bool) -> Option<Arc<ChartView>> {
        self.state()
            .charts
            .get(&(lang, key.clone()))
            .filter(|c| c.png_url.is_some() == png)
            .cloned()
    }

    /// Keeps the charts `charts` of a build in `lang`, in place of those
    /// kept in that language before.
    pub(super) fn keep(&self, lang: Lang, charts: &Charts) {
        let mut s = self.state();
        s.charts.retain(|(l, _), _| *l != lang);
        s.charts.extend(
            charts
                .iter()
                .map(|(k, c)| ((lang, k.clone()), Arc::clone(c))),
        );
    }

    /// How many charts are kept.
    pub fn len(&self) -> usize {
        self.state().charts.len()
    }

    /// Whether no chart is kept.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

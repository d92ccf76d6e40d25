//! Reports kept from one build for the next (`rekap serve`): a site's
//! [`Report`] is made from its figures, entities, metrics, dimensions and
//! settings alone (never from a document or a template), so a build whose
//! chart inputs have the fingerprint of the last one's (see
//! [`Fingerprints::charts`](crate::cache::Fingerprints::charts)) takes the
//! report made then, with the problems found making it, instead of
//! computing it again.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};

use super::{Report, report};
use crate::cache::Fingerprint;
use crate::diagnostics::Diagnostics;
use crate::model::Lang;
use crate::validate::Site;

/// The reports of the last build, by language, and the chart inputs they
/// were made from.
#[derive(Debug, Default)]
pub struct KeptReports(Mutex<State>);

#[derive(Debug, Default)]
struct State {
    /// `None`: nothing is kept (the inputs are not known).
    inputs: Option<Fingerprint>,
    reports: HashMap<Lang, (Report, Diagnostics)>,
}

impl KeptReports {
    fn state(&self) -> MutexGuard<'_, State> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Starts a build whose chart inputs have the fingerprint `inputs`
    /// (read before it loads anything): keeps the reports if they were made
    /// from these inputs, else forgets them.
    pub fn begin(&self, inputs: Option<Fingerprint>) {
        let mut s = self.state();
        if inputs.is_none() || s.inputs != inputs {
            s.reports.clear();
        }
        s.inputs = inputs;
    }

    /// Ends a build, with the fingerprint of its chart inputs read again
    /// after it: if they changed while it ran, its reports may be of either
    /// version, and are forgotten.
    pub fn end(&self, inputs: Option<Fingerprint>) {
        let mut s = self.state();
        if inputs.is_none() || s.inputs != inputs {
            s.reports.clear();
            s.inputs = None;
        }
    }

    /// The report of `site` ([`report`]), kept from the last build of these
    /// chart inputs in its language if there is one, its problems reported
    /// to `diags` all the same.
    pub fn report(&self, site: &Site, diags: &mut Diagnostics) -> Report {
        let lang = site.config.language;
        if let Some((kept, problems)) = self.state().reports.get(&lang) {
            diags.extend(problems.clone());
            return kept.clone();
        }
        let mut problems = Diagnostics::new();
        let made = report(site, &mut problems);
        let mut s = self.state();
        if s.inputs.is_some() {
            s.reports.insert(lang, (made.clone(), problems.clone()));
        }
        diags.extend(problems);
        made
    }
}

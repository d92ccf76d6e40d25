//! What a build made from its chart inputs, kept in memory for the next
//! build of the same inputs (`rekap serve`): the validated figures and the
//! computed reports of each language, made from the figures, entities,
//! metrics, dimensions, settings and interface strings alone, never from a
//! document or a template (see
//! [`Fingerprints::charts`](super::Fingerprints::charts)). A build whose
//! chart inputs have the fingerprint of the last one's takes what it made,
//! with the problems found making it, instead of making it again.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};

use super::Fingerprint;
use crate::diagnostics::Diagnostics;
use crate::model::Lang;

/// One value per language, with the problems found making it, and the
/// chart inputs it was made from.
#[derive(Debug)]
pub struct ByChartInputs<T>(Mutex<State<T>>);

#[derive(Debug)]
struct State<T> {
    /// `None`: nothing is kept (the inputs are not known).
    inputs: Option<Fingerprint>,
    made: HashMap<Lang, (T, Diagnostics)>,
}

impl<T> Default for ByChartInputs<T> {
    fn default() -> Self {
        ByChartInputs(Mutex::new(State {
            inputs: None,
            made: HashMap::new(),
        }))
    }
}

impl<T: Send + 'static> ByChartInputs<T> {
    fn state(&self) -> MutexGuard<'_, State<T>> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Starts a build whose chart inputs have the fingerprint `inputs`
    /// (read before it loads anything): keeps what was made from these
    /// inputs, else forgets it.
    pub fn begin(&self, inputs: Option<Fingerprint>) {
        let mut s = self.state();
        if inputs.is_none() || s.inputs != inputs {
            // Freed aside: the last build's figures and report take some
            // twenty milliseconds to free on the large benchmark site, and
            // the load that follows need not wait for it.
            super::drop_aside(std::mem::take(&mut s.made));
        }
        s.inputs = inputs;
    }

    /// Ends a build, with the fingerprint of its chart inputs read again
    /// after it: if they changed while it ran, what it made may be of
    /// either version, and is forgotten.
    pub fn end(&self, inputs: Option<Fingerprint>) {
        let mut s = self.state();
        if inputs.is_none() || s.inputs != inputs {
            s.made.clear();
            s.inputs = None;
        }
    }
}

impl<T: Clone + Send + 'static> ByChartInputs<T> {
    /// The value in `lang`: the one kept from the last build of these chart
    /// inputs if there is one, else `make`'s (kept for the next build when
    /// the inputs are known); its problems are reported to `diags` either way.
    pub fn get_or_make(
        &self,
        lang: Lang,
        diags: &mut Diagnostics,
        make: impl FnOnce(&mut Diagnostics) -> T,
    ) -> T {
        if let Some((kept, problems)) = self.state().made.get(&lang) {
            diags.extend(problems.clone());
            return kept.clone();
        }
        let mut problems = Diagnostics::new();
        let made = make(&mut problems);
        let mut s = self.state();
        if s.inputs.is_some() {
            s.made.insert(lang, (made.clone(), problems.clone()));
        }
        diags.extend(problems);
        made
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Diagnostic;
    use crate::model::Origin;

    fn fp(n: u128) -> Option<Fingerprint> {
        Some(Fingerprint(n))
    }

    /// Makes `n` with one warning, counting the calls.
    fn make(n: u32, calls: &mut u32) -> impl FnOnce(&mut Diagnostics) -> u32 + '_ {
        move |d: &mut Diagnostics| {
            *calls += 1;
            d.push(Diagnostic::warning(Origin::default(), format!("made {n}")));
            n
        }
    }

    #[test]
    fn a_value_is_made_once_per_language_for_the_same_chart_inputs() {
        let kept = ByChartInputs::default();
        let mut calls = 0;
        let (id, en) = (Lang::Id, Lang::En);
        for _ in 0..2 {
            kept.begin(fp(1));
            let mut d = Diagnostics::new();
            assert_eq!(kept.get_or_make(id, &mut d, make(7, &mut calls)), 7);
            assert_eq!(kept.get_or_make(en, &mut d, make(8, &mut calls)), 8);
            // The problems are reported whether made or kept.
            assert_eq!(d.sorted().len(), 2);
            kept.end(fp(1));
        }
        assert_eq!(calls, 2);
    }

    #[test]
    fn other_inputs_or_inputs_changed_during_the_build_make_it_again() {
        let kept = ByChartInputs::default();
        let mut calls = 0;
        let lang = Lang::Id;
        let build = |before, after, n, calls: &mut u32| {
            kept.begin(before);
            let v = kept.get_or_make(lang, &mut Diagnostics::new(), make(n, calls));
            kept.end(after);
            v
        };
        assert_eq!(build(fp(1), fp(1), 1, &mut calls), 1);
        // Other inputs: made again.
        assert_eq!(build(fp(2), fp(2), 2, &mut calls), 2);
        // Changed while it ran: made, then forgotten.
        assert_eq!(build(fp(2), fp(3), 3, &mut calls), 2);
        assert_eq!(build(fp(2), fp(2), 4, &mut calls), 4);
        // Unknown inputs: never kept.
        assert_eq!(build(None, None, 5, &mut calls), 5);
        assert_eq!(build(None, None, 6, &mut calls), 6);
        assert_eq!(calls, 5);
    }
}

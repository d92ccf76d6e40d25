//! What a public build must not give away: a total shown beside all of its
//! children but one reveals that one by subtraction (statistical offices'
//! disclosure control calls it residual disclosure).

use std::collections::HashMap;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::load::Sources;
use crate::model::{Aggregate, Audience, Period};

use super::Selection;

/// Warns (an error with `--strict`) for every figure of an entity that this
/// build shows, whose children this build shows but for exactly one whose
/// figure exists and is hidden: the total minus the children shown is the
/// hidden one.
///
/// `entity_audience` is each entity's effective audience (its own or its
/// ancestors', whichever is narrower), `parent_of` its parent, by position in
/// `sources.entities`.
pub(super) fn check(
    sources: &Sources,
    figures: &[&crate::model::Figure],
    sel: Selection,
    entity_audience: &[Audience],
    parent_of: &[Option<usize>],
    diags: &mut Diagnostics,
) {
    if sel.audience == Audience::Internal {
        return;
    }
    let index: HashMap<&str, usize, ahash::RandomState> = sources
        .entities
        .iter()
        .enumerate()
        .map(|(i, e)| (e.id.as_str(), i))
        .collect();
    let metrics: HashMap<&str, (Aggregate, Audience), ahash::RandomState> = sources
        .metrics
        .iter()
        .map(|m| (m.id.as_str(), (m.aggregate, m.audience)))
        .collect();
    // Each figure with an actual: its entity and whether this build shows it.
    let seen: Vec<Option<(usize, bool)>> = figures
        .iter()
        .map(|f| {
            let (&e, &(_, m_aud)) = index
                .get(f.entity.as_str())
                .zip(metrics.get(f.metric.as_str()))?;
            f.actual?;
            let visible = entity_audience[e]
                .max(m_aud)
                .max(f.audience)
                .visible_in(sel.audience);
            Some((e, visible))
        })
        .collect();
    // Only a total whose child is hidden can give one away: the totals
    // above the hidden figures, in order (none in a build that hides none).
    let mut totals: Vec<(usize, &str, Period)> = figures
        .iter()
        .zip(&seen)
        .filter_map(|(f, s)| match *s {
            Some((e, false)) => Some((parent_of[e]?, f.metric.as_str(), f.period)),
            _ => None,
        })
        .collect();
    if totals.is_empty() {
        return;
    }
    totals.sort_unstable();
    totals.dedup();
    let mut shown: HashMap<(usize, &str, Period), (bool, usize), ahash::RandomState> =
        HashMap::with_capacity_and_hasher(figures.len(), ahash::RandomState::new());
    for (i, (f, s)) in figures.iter().zip(&seen).enumerate() {
        if let Some((e, visible)) = *s {
            shown.insert((e, f.metric.as_str(), f.period), (visible, i));
        }
    }
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); sources.entities.len()];
    for (i, p) in parent_of.iter().enumerate() {
        if let Some(p) = p {
            children[*p].push(i);
        }
    }
    for &(parent, metric, period) in &totals {
        let Some(&(visible, fig)) = shown.get(&(parent, metric, period)) else {
            continue;
        };
        let kids = &children[parent];
        if !visible || kids.len() < 2 {
            continue;
        }
        let Some(&(rule, _)) = metrics.get(metric) else {
            continue;
        };
        if rule == Aggregate::None {
            continue;
        }
        let mut hidden = Vec::new();
        let mut all_known = true;
        for &k in kids {
            match shown.get(&(k, metric, period)) {
                Some((true, _)) => {}
                Some((false, _)) => hidden.push(k),
                None => all_known = false,
            }
        }
        if all_known && hidden.len() == 1 {
            let f = &figures[fig];
            let child = &sources.entities[hidden[0]].id;
            diags.push(
                Diagnostic::warning(
                    f.origin.clone(),
                    format!(
                        "this {} build shows `{}`'s `{metric}` for {period} and every child's but `{child}`'s, which is hidden: the total minus the others gives it away",
                        sel.audience.as_str(),
                        f.entity
                    ),
                )
                .with_help(format!(
                    "hide this total too (`audience: internal`), or hide a second child's {period} figure, so that no single hidden figure can be worked out"
                )),
            );
        }
    }
}

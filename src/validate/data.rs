//! Entities, metrics and figure records: ids, hierarchy, references, values.

use std::collections::HashMap;

use super::{EntityIdx, FigureRecord, Hierarchy, MetricIdx, Selection};
use crate::diagnostics::{Diagnostic, Diagnostics, RefKind, did_you_mean};
use crate::load::Sources;
use crate::model::{Audience, Entity, Metric, Origin, Period, Unit};

/// Largest magnitude a figure may have: beyond it, f64 no longer holds every integer.
pub(super) const MAX_MAGNITUDE: f64 = 9.0e15;

#[derive(Debug, Clone)]
pub(super) struct Data {
    pub entities: Vec<Entity>,
    pub hierarchy: Hierarchy,
    pub home: Option<EntityIdx>,
    /// No home entity because of an error already reported (an unknown
    /// `default_entity`, entities that failed to load, unknown parents).
    pub home_failed: bool,
    pub metrics: Vec<Metric>,
    pub figures: std::sync::Arc<Vec<FigureRecord>>,
    /// Each (entity, metric, period) with a figure record: the index in
    /// `figures` of its last record (of the whole or of a category).
    pub figure_index: std::sync::Arc<FigureIndex>,
    /// Every entity id loaded, visible or not, with its audience (for references).
    pub all_entities: ById<Audience>,
    /// Every metric id loaded, visible or not, with its audience.
    pub all_metrics: ById<Audience>,
    /// Figures left out for their audience.
    pub hidden_figures: HiddenFigures,
}

/// Values by id (looked up once per figure: hashed with aHash).
pub(super) type ById<V> = HashMap<String, V, ahash::RandomState>;

/// Figures left out for their audience: (entity id, metric id, period).
pub(super) type HiddenFigures =
    std::collections::HashSet<(String, String, Period), ahash::RandomState>;

fn duplicates<'a>(
    kind: &str,
    items: impl Iterator<Item = (&'a str, &'a Origin)>,
    diags: &mut Diagnostics,
) -> HashMap<&'a str, usize> {
    let mut seen: HashMap<&str, (usize, &Origin)> = HashMap::new();
    for (i, (id, origin)) in items.enumerate() {
        if let Some((_, first)) = seen.get(id) {
            diags.push(
                Diagnostic::error(origin.clone(), format!("duplicate {kind} id `{id}`")).with_help(
                    format!("`{id}` is already defined at {first}; ids must be unique"),
                ),
            );
        } else {
            seen.insert(id, (i, origin));
        }
    }
    seen.into_iter().map(|(k, (i, _))| (k, i)).collect()
}

pub(super) fn validate(
    sources: &Sources,
    loaded: Vec<crate::model::Figure>,
    sel: Selection,
    diags: &mut Diagnostics,
) -> Data {
    let all = &sources.entities;
    let index = duplicates(
        "entity",
        all.iter().map(|e| (e.id.as_str(), &e.origin)),
        diags,
    );
    let mut sorted_ids: Vec<&str> = index.keys().copied().collect();
    sorted_ids.sort_unstable();

    // Parents resolve.
    let mut parent_of: Vec<Option<usize>> = vec![None; all.len()];
    // An entity whose parent is unknown looks like a top entity: no more
    // errors follow from that.
    let mut parent_failed = sources.incomplete.entities;
    for (i, e) in all.iter().enumerate() {
        if let Some(p) = &e.parent {
            match index.get(p.as_str()) {
                Some(&j) if j == i => {
                    diags.push(Diagnostic::error(
                        e.parent_origin.clone(),
                        format!("entity `{}` is its own parent", e.id),
                    ));
                }
                Some(&j) => parent_of[i] = Some(j),
                None => {
                    parent_failed = true;
                    diags.push(
                        Diagnostic::error(
                            e.parent_origin.clone(),
                            format!("parent `{p}` of `{}` is not an entity", e.id),
                        )
                        .with_help_opt(did_you_mean(p, sorted_ids.iter().copied()))
                        // The parent may be an entity that failed to load.
                        .unresolved(RefKind::Entity),
                    )
                }
            }
        }
    }
    // No cycles: walk up from each entity at most len steps.
    let mut in_cycle = vec![false; all.len()];
    for start in 0..all.len() {
        let mut cur = parent_of[start];
        let mut steps = 0;
        while let Some(p) = cur {
            if p == start {
                in_cycle[start] = true;
                break;
            }
            steps += 1;
            if steps > all.len() {
                break;
            }
            cur = parent_of[p];
        }
    }
    if let Some(first) = in_cycle.iter().position(|&c| c) {
        let mut chain = vec![all[first].id.clone()];
        let mut cur = parent_of[first];
        while let Some(p) = cur {
            chain.push(all[p].id.clone());
            if p == first {
                break;
            }
            cur = parent_of[p];
        }
        diags.push(
            Diagnostic::error(
                all[first].parent_origin.clone(),
                format!("the hierarchy has a cycle: {}", chain.join(" -> ")),
            )
            .with_help("every entity's chain of parents must end at a top entity with no parent"),
        );
        for (i, c) in in_cycle.iter().enumerate() {
            if *c {
                parent_of[i] = None;
            }
        }
    }

    // Effective audience: an entity is at least as restricted as its ancestors.
    let mut audience: Vec<Audience> = all.iter().map(|e| e.audience).collect();
    for i in 0..all.len() {
        let mut cur = parent_of[i];
        let mut steps = 0;
        while let Some(p) = cur {
            audience[i] = audience[i].max(all[p].audience);
            cur = parent_of[p];
            steps += 1;
            if steps > all.len() {
                break;
            }
        }
    }

    // Keep the first definition of each visible id, re-indexed.
    let mut new_index: Vec<Option<usize>> = vec![None; all.len()];
    let mut entities = Vec::new();
    for (i, e) in all.iter().enumerate() {
        if index.get(e.id.as_str()) == Some(&i) && audience[i].visible_in(sel.audience) {
            new_index[i] = Some(entities.len());
            let mut e = e.clone();
            e.audience = audience[i];
            entities.push(e);
        }
    }
    let mut parents = vec![None; entities.len()];
    for (old, new) in new_index.iter().enumerate() {
        match (new, parent_of[old].and_then(|p| new_index[p])) {
            (Some(n), parent) => parents[*n] = parent,
            // A child this build leaves out: its parent's children no longer
            // cover it, so nothing is added up from them as if they did.
            (None, _) if index.get(all[old].id.as_str()) == Some(&old) => {
                if let Some(p) = parent_of[old].and_then(|p| new_index[p]) {
                    entities[p].complete_breakdown = false;
                    entities[p].hidden_children = true;
                }
            }
            (None, _) => {}
        }
    }
    super::disclosure::check(sources, &loaded, sel, &audience, &parent_of, diags);
    let hierarchy = Hierarchy::new(parents);

    let mut home_failed = parent_failed;
    let home = match &sources.config.default_entity {
        Some(id) => match entities.iter().position(|e| &e.id == id) {
            Some(i) => Some(i),
            None => {
                home_failed = true;
                let at = sources.config.default_entity_origin.clone();
                if all.iter().any(|e| &e.id == id) {
                    diags.push(
                        Diagnostic::error(
                            at,
                            format!(
                                "default_entity `{id}` is internal, and a {} build leaves it out",
                                sel.audience.as_str()
                            ),
                        )
                        .with_help("make the home entity public, or name a public one"),
                    );
                } else {
                    diags.push(
                        Diagnostic::error(at, format!("default_entity `{id}` is not an entity"))
                            .with_help_opt(did_you_mean(id, sorted_ids.iter().copied()))
                            .unresolved(RefKind::Entity),
                    );
                }
                None
            }
        },
        None => {
            let roots: Vec<usize> = (0..entities.len())
                .filter(|&i| hierarchy.parent(i).is_none())
                .collect();
            if roots.len() > 1 && !parent_failed {
                home_failed = true;
                diags.push(
                    // At the second top entity: the one without a parent
                    // that makes the first no longer the only top.
                    Diagnostic::error(
                        entities[roots[1]].origin.clone(),
                        format!(
                            "`{}` has no parent, so the hierarchy has {} top entities, and site.yaml names no default_entity",
                            entities[roots[1]].id,
                            roots.len()
                        ),
                    )
                    .with_help(format!(
                        "give it a `parent:`, or set `default_entity:` in site.yaml to one of: {}",
                        roots
                            .iter()
                            .map(|&i| entities[i].id.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    )),
                );
            }
            roots.first().copied()
        }
    };

    // Metrics.
    let metric_index = duplicates(
        "metric",
        sources.metrics.iter().map(|m| (m.id.as_str(), &m.origin)),
        diags,
    );
    let metrics: Vec<Metric> = sources
        .metrics
        .iter()
        .enumerate()
        .filter(|(i, m)| {
            metric_index.get(m.id.as_str()) == Some(i) && m.audience.visible_in(sel.audience)
        })
        .map(|(_, m)| m.clone())
        .collect();
    let mut metric_ids: Vec<&str> = metric_index.keys().copied().collect();
    metric_ids.sort_unstable();

    let all_entities: ById<Audience> = all
        .iter()
        .enumerate()
        .map(|(i, e)| (e.id.clone(), audience[i]))
        .collect();
    let all_metrics: ById<Audience> = sources
        .metrics
        .iter()
        .map(|m| (m.id.clone(), m.audience))
        .collect();

    let mut hidden_figures = HiddenFigures::default();
    let figures = figures(
        sources,
        loaded,
        sel,
        &entities,
        &metrics,
        &all_entities,
        &all_metrics,
        &sorted_ids,
        &metric_ids,
        &mut hidden_figures,
        diags,
    );

    Data {
        entities,
        hierarchy,
        home,
        home_failed,
        metrics,
        figure_index: std::sync::Arc::new(
            figures
                .iter()
                .enumerate()
                .map(|(i, f)| ((f.entity, f.metric, f.figure.period), i))
                .collect(),
        ),
        figures: std::sync::Arc::new(figures),
        all_entities,
        all_metrics,
        hidden_figures,
    }
}

#[allow(clippy::too_many_arguments)]
fn figures(
    sources: &Sources,
    loaded: Vec<crate::model::Figure>,
    sel: Selection,
    entities: &[Entity],
    metrics: &[Metric],
    all_entities: &ById<Audience>,
    all_metrics: &ById<Audience>,
    entity_ids: &[&str],
    metric_ids: &[&str],
    hidden: &mut HiddenFigures,
    diags: &mut Diagnostics,
) -> Vec<FigureRecord> {
    let e_index: HashMap<&str, usize, ahash::RandomState> = entities
        .iter()
        .enumerate()
        .map(|(i, e)| (e.id.as_str(), i))
        .collect();
    let m_index: HashMap<&str, usize, ahash::RandomState> = metrics
        .iter()
        .enumerate()
        .map(|(i, m)| (m.id.as_str(), i))
        .collect();
    type Key<'a> = (&'a str, &'a str, Period, &'a [(String, String)]);
    let mut seen: HashMap<Key, &Origin, ahash::RandomState> =
        HashMap::with_capacity_and_hasher(loaded.len(), ahash::RandomState::new());
    // What becomes of each figure (its entity, metric, categories and
    // audience if it is kept), decided first; then the kept ones are moved,
    // not copied, into their records.
    type Kept = (EntityIdx, MetricIdx, Vec<(usize, usize)>, Audience);
    let mut decided: Vec<Option<Kept>> = Vec::with_capacity(loaded.len());
    for f in &loaded {
        let mut decide = || -> Option<Kept> {
            let Some(&e_aud) = all_entities.get(&f.entity) else {
                diags.push(
                    Diagnostic::error(
                        f.entity_origin.clone(),
                        format!("unknown entity `{}`", f.entity),
                    )
                    .with_help_opt(did_you_mean(&f.entity, entity_ids.iter().copied()))
                    .unresolved(RefKind::Entity),
                );
                return None;
            };
            let Some(&m_aud) = all_metrics.get(&f.metric) else {
                diags.push(
                    Diagnostic::error(
                        f.metric_origin.clone(),
                        format!("unknown metric `{}`", f.metric),
                    )
                    .with_help_opt(did_you_mean(&f.metric, metric_ids.iter().copied()))
                    .unresolved(RefKind::Metric),
                );
                return None;
            };
            let key: Key = (
                f.entity.as_str(),
                f.metric.as_str(),
                f.period,
                f.by.as_slice(),
            );
            if let Some(first) = seen.get(&key) {
                diags.push(
                Diagnostic::error(
                    f.origin.clone(),
                    format!(
                        "duplicate figure for `{}`, `{}`, {}",
                        f.entity, f.metric, f.period
                    ),
                )
                .with_help(format!(
                    "the same entity, metric and period is already recorded at {first}; keep one"
                )),
            );
                return None;
            }
            seen.insert(key, &f.origin);
            let by = categories(&sources.dimensions, f, diags)?;

            let metric = sources.metrics.iter().find(|m| m.id == f.metric);
            let mut ok = true;
            if let (Some(m), Some(u)) = (metric, f.unit)
                && m.unit != u
            {
                diags.push(
                    Diagnostic::error(
                        f.origin.clone(),
                        format!(
                            "unit `{}` does not match metric `{}`, which counts {}",
                            u.as_str(),
                            m.id,
                            m.unit.as_str()
                        ),
                    )
                    .with_help(format!(
                        "write `unit: {}` or remove `unit`",
                        m.unit.as_str()
                    )),
                );
                ok = false;
            }
            let values = [
                ("actual", f.actual),
                ("target", f.target.and_then(|t| t.value)),
            ];
            for (name, v) in values {
                let Some(v) = v else { continue };
                if !v.is_finite() {
                    diags.push(Diagnostic::error(
                        f.origin.clone(),
                        format!("{name} is not a finite number"),
                    ));
                    ok = false;
                } else if v.abs() > MAX_MAGNITUDE {
                    diags.push(
                        Diagnostic::error(f.origin.clone(), format!("{name} {v:e} is too large"))
                            .with_help("figures must be below 9e15 in magnitude to stay exact"),
                    );
                    ok = false;
                } else if v < 0.0 && metric.is_some_and(|m| !m.unit.may_be_negative()) {
                    diags.push(
                        Diagnostic::error(f.origin.clone(), format!("{name} {v} is negative"))
                            .with_help(format!(
                                "metric `{}` counts {}, which cannot be negative",
                                f.metric,
                                metric.map(|m| m.unit.as_str()).unwrap_or("")
                            )),
                    );
                    ok = false;
                } else if let Some(d) =
                    metric.and_then(|m| precision_problem(m, name, v, &f.origin))
                {
                    diags.push(d);
                    ok = false;
                }
            }
            if let Some(bp) = f.target.and_then(|t| t.base_period)
                && (bp >= f.period || !bp.same_kind(f.period))
            {
                diags.push(
                Diagnostic::error(
                    f.origin.clone(),
                    format!("base_period {bp} is not a period before the target's, {}, of the same kind", f.period),
                )
                .with_help(format!(
                    "give the earlier period progress is measured from, like `base_period: {}`",
                    f.period.year_earlier().year_earlier()
                )),
            );
                ok = false;
            }
            if let Some(d) = f.as_of
                && (d < f.period.start_date() || d > f.period.end_date())
            {
                diags.push(
                    Diagnostic::error(
                        f.origin.clone(),
                        format!("as_of {d} is outside period {}", f.period),
                    )
                    .with_help(format!(
                        "as_of must fall between {} and {}",
                        f.period.start_date(),
                        f.period.end_date()
                    )),
                );
                ok = false;
            }
            if !ok {
                return None;
            }
            let audience = f.audience.max(e_aud).max(m_aud);
            if !audience.visible_in(sel.audience) {
                hidden.insert((f.entity.clone(), f.metric.clone(), f.period));
                return None;
            }
            let (Some(&entity), Some(&metric)) = (
                e_index.get(f.entity.as_str()),
                m_index.get(f.metric.as_str()),
            ) else {
                return None;
            };
            Some((entity, metric, by, audience))
        };
        decided.push(decide());
    }
    drop(seen);
    let mut out = Vec::with_capacity(decided.iter().flatten().count());
    for (mut figure, kept) in loaded.into_iter().zip(decided) {
        let Some((entity, metric, by, audience)) = kept else {
            continue;
        };
        figure.audience = audience;
        out.push(FigureRecord {
            entity,
            metric,
            by,
            figure,
        });
    }
    out
}

/// Decimal places in the shortest form of `v` that reads back as `v`.
fn decimal_places(v: f64) -> usize {
    // A whole number is written without a decimal point (most figures:
    // not formatted).
    if v.fract() == 0.0 {
        return 0;
    }
    let s = format!("{v}");
    s.split_once('.').map_or(0, |(_, f)| f.len())
}

/// Digits after the decimal mark in an amount of `code` (ISO 4217 minor units).
fn minor_units(code: &str) -> usize {
    match code {
        "BHD" | "IQD" | "JOD" | "KWD" | "LYD" | "OMR" | "TND" => 3,
        _ => 2,
    }
}

/// A figure of a whole-numbered metric (people, count) with a fraction, or a
/// currency amount with more decimals than its currency has. Either is most
/// often thousands written with a dot (`28.212` for 28,212, as Indonesian
/// spreadsheets write it), which YAML reads as a decimal point.
fn precision_problem(m: &Metric, name: &str, v: f64, origin: &Origin) -> Option<Diagnostic> {
    let allowed = match m.unit {
        Unit::People | Unit::Count => 0,
        Unit::Currency => minor_units(m.currency.as_deref().unwrap_or("")),
        _ => return None,
    };
    // Counted only where it matters (a rate's decimals are its own).
    let places = decimal_places(v);
    if places <= allowed {
        return None;
    }
    let what = match m.unit {
        Unit::Currency => format!(
            "has {places} decimal places, more than {} has",
            m.currency.as_deref().unwrap_or("its currency")
        ),
        _ => format!(
            "is not a whole number, but metric `{}` counts {}",
            m.id,
            m.unit.as_str()
        ),
    };
    let help = if places.is_multiple_of(3) {
        let whole = format!("{v}").replace('.', "");
        format!(
            "a dot in a number is a decimal point: if you meant thousands grouped with dots, write `{}` without them",
            whole.trim_start_matches('0')
        )
    } else {
        "write the number as counted, with `.` only as a decimal point".to_string()
    };
    Some(Diagnostic::error(origin.clone(), format!("{name} {v} {what}")).with_help(help))
}

/// Each (entity, metric, period) with a figure record, to the index in
/// [`Data::figures`] of its last record.
pub(super) type FigureIndex = HashMap<(EntityIdx, usize, Period), usize, ahash::RandomState>;

/// The categories of figure `f` as (dimension, category) indices into
/// `dims`, by dimension; `None` (and an error) if one is unknown.
fn categories(
    dims: &[crate::model::Dimension],
    f: &crate::model::Figure,
    diags: &mut Diagnostics,
) -> Option<Vec<(usize, usize)>> {
    let mut out = Vec::with_capacity(f.by.len());
    let mut ok = true;
    for (dim, cat) in &f.by {
        let Some(d) = dims.iter().position(|d| &d.id == dim) else {
            let ids: Vec<&str> = dims.iter().map(|d| d.id.as_str()).collect();
            diags.push(
                Diagnostic::error(f.origin.clone(), format!("unknown dimension `{dim}`"))
                    .with_help(did_you_mean(dim, ids.iter().copied()).unwrap_or_else(|| {
                        if ids.is_empty() {
                            "declare it in content/data/dimensions.yaml".to_string()
                        } else {
                            format!("dimensions: {}", ids.join(", "))
                        }
                    })),
            );
            ok = false;
            continue;
        };
        let cats = &dims[d].categories;
        match cats.iter().position(|c| &c.id == cat) {
            Some(c) => out.push((d, c)),
            None => {
                diags.push(
                    Diagnostic::error(
                        f.origin.clone(),
                        format!("unknown category `{cat}` of dimension `{dim}`"),
                    )
                    .with_help(
                        did_you_mean(cat, cats.iter().map(|c| c.id.as_str())).unwrap_or_else(
                            || {
                                format!(
                                    "categories: {}",
                                    cats.iter()
                                        .map(|c| c.id.as_str())
                                        .collect::<Vec<_>>()
                                        .join(", ")
                                )
                            },
                        ),
                    ),
                );
                ok = false;
            }
        }
    }
    out.sort_unstable();
    ok.then_some(out)
}

#[cfg(test)]
mod tests {
    use super::decimal_places;

    #[test]
    fn decimal_places_are_those_a_number_is_written_with() {
        // Whole numbers, however large or negative, have none.
        for v in [0.0, 3.0, -3.0, 28_212.0, 8.9e15, -0.0] {
            assert_eq!(decimal_places(v), 0, "{v}");
        }
        // `28.212` is 28.212, three places (thousands grouped with a dot).
        assert_eq!(decimal_places(28.212), 3);
        assert_eq!(decimal_places(1.5), 1);
        assert_eq!(decimal_places(-0.25), 2);
        assert_eq!(decimal_places(12_345.678), 3);
    }
}

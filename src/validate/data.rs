//! Entities, metrics and figure records: ids, hierarchy, references, values.

use std::collections::HashMap;

use super::{EntityIdx, Hierarchy, Selection};
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
    pub figures: super::FigureRecords,
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
    sel: Selection,
    kept: Option<&super::figures::KeptFigureFiles>,
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

    let look = super::figures::Lookup {
        sources,
        sel,
        all_entities: &all_entities,
        all_metrics: &all_metrics,
        entity_ids: &sorted_ids,
        metric_ids: &metric_ids,
        e_index: entities
            .iter()
            .enumerate()
            .map(|(i, e)| (e.id.as_str(), i))
            .collect(),
        m_index: metrics
            .iter()
            .enumerate()
            .map(|(i, m)| (m.id.as_str(), i))
            .collect(),
    };
    let checked = super::figures::check(&look, sources.figures.files(), kept);
    drop(look);
    let resolved: Vec<&crate::model::Figure> =
        checked.iter().flat_map(|c| c.figures.iter()).collect();
    super::disclosure::check(sources, &resolved, sel, &audience, &parent_of, diags);
    drop(resolved);
    let mut hidden_figures = HiddenFigures::default();
    for c in &checked {
        diags.extend(c.found.clone());
        hidden_figures.extend(c.hidden.iter().cloned());
    }
    let figures =
        super::FigureRecords::from_files(checked.iter().map(|c| c.records.clone()).collect());
    drop(checked);

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
        figures,
        all_entities,
        all_metrics,
        hidden_figures,
    }
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
pub(super) fn precision_problem(
    m: &Metric,
    name: &str,
    v: f64,
    origin: &Origin,
) -> Option<Diagnostic> {
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
pub(super) fn categories(
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

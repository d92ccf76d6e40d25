//! Resolving data shortcodes to entities, metrics and periods.

use std::collections::HashMap;
use std::ops::Range;

use serde::Serialize;

use super::{EntityIdx, MetricIdx};
use crate::diagnostics::{Diagnostic, Diagnostics, RefKind, did_you_mean};
use crate::model::{Audience, CustomCall, Origin, Period, Shortcode, ShortcodeKind};

/// Which value an inline `value` shortcode shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Show {
    /// The actual (default).
    Actual,
    /// The target.
    Target,
    /// actual / target.
    Attainment,
    /// Growth over the previous period.
    Growth,
    /// Change over the previous period.
    Change,
    /// Difference from target (actual - target).
    Gap,
    /// The status word.
    Status,
    /// Growth the target asks for over the previous period's actual.
    TargetGrowth,
    /// The months a period in progress covers (`Jan–Jun 2017`), or the period.
    Ytd,
    /// The actual against the value expected by now (`98,9%`).
    Pace,
    /// The value expected by now on the way to the target.
    Expected,
    /// Progress towards a target several periods ahead, in words.
    Progress,
}

const SHOWS: [(&str, Show); 12] = [
    ("ytd", Show::Ytd),
    ("pace", Show::Pace),
    ("expected", Show::Expected),
    ("progress", Show::Progress),
    ("target_growth", Show::TargetGrowth),
    ("actual", Show::Actual),
    ("target", Show::Target),
    ("attainment", Show::Attainment),
    ("growth", Show::Growth),
    ("change", Show::Change),
    ("gap", Show::Gap),
    ("status", Show::Status),
];

/// The kinds of chart a `chart` shortcode can draw.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChartKind {
    /// Actual against target, per period.
    ActualVsTarget,
    /// One bar per child, by attainment.
    Breakdown,
    /// A line over periods.
    Trend,
    /// Stacked bars of several metrics.
    Composition,
    /// Stacked bars of one metric's categories (`by` a dimension), per period.
    Categories,
}

/// Chart kinds by name, as written in shortcodes and `charts.yaml`.
pub const CHART_KINDS: [(&str, ChartKind); 5] = [
    ("categories", ChartKind::Categories),
    ("actual_vs_target", ChartKind::ActualVsTarget),
    ("breakdown", ChartKind::Breakdown),
    ("trend", ChartKind::Trend),
    ("composition", ChartKind::Composition),
];

/// A shortcode with its references resolved.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Resolved {
    /// What it renders.
    pub kind: ShortcodeKind,
    /// The entity.
    pub entity: EntityIdx,
    /// The metric (every kind but composition charts).
    pub metric: Option<MetricIdx>,
    /// Metrics of a composition chart.
    pub metrics: Vec<MetricIdx>,
    /// The period, if given.
    pub period: Option<Period>,
    /// What a `value` shows.
    pub show: Show,
    /// Compact (default) or full form.
    pub compact: bool,
    /// The chart kind, for charts.
    pub chart: Option<ChartKind>,
    /// The dimension a `categories` chart breaks the metric down by.
    pub by: Option<usize>,
    /// Byte range in the body.
    pub range: Range<usize>,
    /// Where it is written.
    pub origin: Origin,
    /// Audience of the content item the shortcode is in.
    pub audience: Audience,
    /// A custom shortcode's template and arguments (kind
    /// [`ShortcodeKind::Custom`], whose `entity` is the item's or the home
    /// entity, or 0 when there is none, and whose other fields are unused).
    pub custom: Option<CustomCall>,
}

/// What resolving needs to know about ids.
pub(super) struct Ids<'a> {
    pub entities: &'a HashMap<String, usize>,
    pub metrics: &'a HashMap<String, usize>,
    pub all_entities: &'a super::data::ById<Audience>,
    pub all_metrics: &'a super::data::ById<Audience>,
    pub dimensions: &'a [crate::model::Dimension],
    /// The visible metrics, by index (for their financial-year start).
    pub metric_defs: &'a [crate::model::Metric],
    /// The site's settings.
    pub config: &'a crate::model::SiteConfig,
}

fn sorted(m: &super::data::ById<Audience>) -> Vec<&str> {
    let mut v: Vec<&str> = m.keys().map(String::as_str).collect();
    v.sort_unstable();
    v
}

fn pick<T: Copy>(
    value: &str,
    options: &[(&str, T)],
    what: &str,
    origin: &Origin,
    diags: &mut Diagnostics,
) -> Option<T> {
    match options.iter().find(|(n, _)| *n == value) {
        Some((_, t)) => Some(*t),
        None => {
            let names: Vec<&str> = options.iter().map(|(n, _)| *n).collect();
            diags.push(
                Diagnostic::error(origin.clone(), format!("unknown {what} `{value}`")).with_help(
                    did_you_mean(value, names.iter().copied())
                        .unwrap_or_else(|| format!("one of: {}", names.join(", "))),
                ),
            );
            None
        }
    }
}

/// Resolves a reference to an entity or metric from content seen by `audience`:
/// unknown ids get a suggestion; definitions for a narrower audience are errors.
fn reference(
    id: &str,
    kind: RefKind,
    all: &super::data::ById<Audience>,
    visible: &HashMap<String, usize>,
    audience: Audience,
    origin: &Origin,
    diags: &mut Diagnostics,
) -> Option<usize> {
    let what = match kind {
        RefKind::Entity => "entity",
        RefKind::Metric => "metric",
        RefKind::Meeting => "meeting",
        RefKind::Figure => "figure",
    };
    match all.get(id) {
        None => {
            diags.push(
                Diagnostic::error(origin.clone(), format!("unknown {what} `{id}`"))
                    .with_help_opt(did_you_mean(id, sorted(all)))
                    .unresolved(kind),
            );
            None
        }
        Some(a) if *a > audience => {
            diags.push(
                Diagnostic::error(
                    origin.clone(),
                    format!(
                        "{} content shows {} {what} `{id}`",
                        audience.as_str(),
                        a.as_str()
                    ),
                )
                .with_help("remove the shortcode, or mark this item `audience: internal`"),
            );
            None
        }
        Some(_) => visible.get(id).copied(),
    }
}

/// The entity a shortcode without `entity=` shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Fallback {
    /// The item's own entity, or the site's home entity.
    Entity(EntityIdx),
    /// There would be one but for an error already reported (the item's
    /// entity or the home entity is unknown): say nothing more.
    Failed,
    /// There is none: `entity=` is needed.
    Missing,
}

impl Fallback {
    /// The item's entity if it names one (`Some(resolved)`), else the home.
    pub(super) fn of(item: Option<Option<EntityIdx>>, home: Fallback) -> Fallback {
        match item {
            Some(Some(e)) => Fallback::Entity(e),
            Some(None) => Fallback::Failed,
            None => home,
        }
    }
}

/// Resolves the shortcodes of one content item seen by `audience`, whose own
/// entity (if any) is `default_entity`.
pub(super) fn resolve(
    shortcodes: &[Shortcode],
    default_entity: Fallback,
    audience: Audience,
    ids: &Ids,
    diags: &mut Diagnostics,
) -> Vec<Resolved> {
    let mut out = Vec::new();
    for sc in shortcodes {
        if let (ShortcodeKind::Custom, Some(name)) = (sc.kind, &sc.custom) {
            out.push(Resolved {
                kind: sc.kind,
                entity: match default_entity {
                    Fallback::Entity(e) => e,
                    _ => 0,
                },
                metric: None,
                metrics: Vec::new(),
                period: None,
                show: Show::Actual,
                compact: true,
                chart: None,
                by: None,
                range: sc.range.clone(),
                origin: sc.origin.clone(),
                audience,
                custom: Some(CustomCall {
                    name: name.clone(),
                    args: sc.args.clone(),
                }),
            });
            continue;
        }
        let o = &sc.origin;
        let name = sc.kind.name();
        let arg = |k: &str| sc.args.get(k).map(String::as_str);
        let before = diags.error_count();
        let mut skip = false;
        let missing = |k: &str, diags: &mut Diagnostics| {
            diags.push(
                Diagnostic::error(o.clone(), format!("shortcode `{name}` needs `{k}`"))
                    .with_help(format!(r#"add {k}="..." to the shortcode"#)),
            );
        };
        let entity_ref = |id: &str, diags: &mut Diagnostics| -> Option<EntityIdx> {
            reference(
                id,
                RefKind::Entity,
                ids.all_entities,
                ids.entities,
                audience,
                o,
                diags,
            )
        };
        let metric_ref = |id: &str, diags: &mut Diagnostics| -> Option<MetricIdx> {
            reference(
                id,
                RefKind::Metric,
                ids.all_metrics,
                ids.metrics,
                audience,
                o,
                diags,
            )
        };
        let entity = match arg("entity") {
            Some(id) => entity_ref(id, diags),
            None => match default_entity {
                Fallback::Entity(e) => Some(e),
                Fallback::Failed => {
                    // Reported already; count it as an error of this shortcode.
                    skip = true;
                    None
                }
                Fallback::Missing => {
                    missing("entity", diags);
                    None
                }
            },
        };
        let chart = match (sc.kind, arg("kind")) {
            (ShortcodeKind::Chart, Some(k)) => pick(k, &CHART_KINDS, "chart kind", o, diags),
            (ShortcodeKind::Chart, None) => {
                missing("kind", diags);
                None
            }
            _ => None,
        };
        let mut metrics = Vec::new();
        let metric = if chart == Some(ChartKind::Composition) {
            match arg("metrics") {
                Some(list) => {
                    let ids: Vec<&str> = list
                        .split(',')
                        .map(str::trim)
                        .filter(|s| !s.is_empty())
                        .collect();
                    for id in &ids {
                        metrics.extend(metric_ref(id, diags));
                    }
                    // Metrics that did not resolve are reported as such.
                    if ids.len() < 2 {
                        diags.push(
                            Diagnostic::error(
                                o.clone(),
                                "a composition chart needs at least two metrics",
                            )
                            .with_help(r#"write metrics="wage-earners,non-wage-earners""#),
                        );
                    }
                }
                None => missing("metrics", diags),
            }
            None
        } else {
            match arg("metric") {
                Some(id) => metric_ref(id, diags),
                None => {
                    missing("metric", diags);
                    None
                }
            }
        };
        let by = match (chart, arg("by")) {
            (Some(ChartKind::Categories), Some(id)) => {
                match ids.dimensions.iter().position(|d| d.id == id) {
                    Some(d) => Some(d),
                    None => {
                        diags.push(
                            Diagnostic::error(o.clone(), format!("unknown dimension `{id}`"))
                                .with_help_opt(did_you_mean(
                                    id,
                                    ids.dimensions.iter().map(|d| d.id.as_str()),
                                )),
                        );
                        None
                    }
                }
            }
            (Some(ChartKind::Categories), None) => {
                missing("by", diags);
                None
            }
            (_, Some(_)) => {
                diags.push(
                    Diagnostic::error(
                        o.clone(),
                        "`by` is only for charts of `kind=\"categories\"`",
                    )
                    .with_help("remove `by`, or write kind=\"categories\""),
                );
                None
            }
            (_, None) => None,
        };
        let period = match arg("period") {
            Some(p) => match p
                .parse::<Period>()
                .map_err(|e| e.to_string())
                .and_then(|p| {
                    let def = metric
                        .or(metrics.first().copied())
                        .map(|m| &ids.metric_defs[m]);
                    super::periods::resolve(p, def, ids.config)
                }) {
                Ok(p) => Some(p),
                Err(e) => {
                    diags.push(Diagnostic::error(o.clone(), e));
                    None
                }
            },
            None => {
                if matches!(sc.kind, ShortcodeKind::Value | ShortcodeKind::Table) {
                    missing("period", diags);
                }
                None
            }
        };
        let show = match arg("show") {
            Some(s) => pick(s, &SHOWS, "value to show", o, diags),
            None => Some(Show::Actual),
        };
        let compact = match arg("form") {
            Some(f) => pick(f, &[("compact", true), ("full", false)], "form", o, diags),
            None => Some(true),
        };
        let ok = diags.error_count() == before && !skip;
        let (Some(entity), Some(show), Some(compact), true) = (entity, show, compact, ok) else {
            continue;
        };
        if metric.is_none() && metrics.is_empty() {
            continue;
        }
        if sc.kind == ShortcodeKind::Chart && chart.is_none() {
            continue;
        }
        out.push(Resolved {
            kind: sc.kind,
            entity,
            metric,
            metrics,
            period,
            show,
            compact,
            chart,
            by,
            range: sc.range.clone(),
            audience,
            origin: sc.origin.clone(),
            custom: None,
        });
    }
    out
}

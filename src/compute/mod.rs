//! Stage 3, **compute**: attainment, growth, gap, status and aggregates for
//! every entity, metric and period.
//!
//! Computation runs in three passes over the hierarchy, bottom-up:
//! 1. actuals: reported, or summed/averaged from a complete set of children;
//! 2. targets: reported, derived from a growth rate over the previous actual,
//!    or aggregated from children;
//! 3. derived values: attainment, change, growth, gap, status, progress.
//!
//! Where a parent reports its own figure and its children add up to something
//! else, a warning names both numbers and the entities involved.

pub mod formulas;
mod index;
pub mod references;
mod site_model;
pub mod status;

use std::collections::{BTreeSet, HashMap};

use serde::Serialize;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::{Aggregate, Audience, Direction, Origin, Period, Text};
use crate::validate::{EntityIdx, MetricIdx, Site};
pub use index::{ContentIndex, Taxonomy, TaxonomyIndex, Term};
pub use site_model::SiteModel;
pub use status::{Progress, Status};

/// How a value was obtained.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Derivation {
    /// Reported in a figure record.
    Reported,
    /// Aggregated from the entity's children.
    Aggregated,
    /// Computed from a growth rate over the previous period's actual.
    FromGrowth,
}

/// One tracked value: an entity's figure for a metric and period, with
/// everything computed from it.
#[derive(Debug, Clone, Serialize)]
pub struct Tracked {
    /// The entity.
    pub entity: EntityIdx,
    /// The metric.
    pub metric: MetricIdx,
    /// The period.
    pub period: Period,
    /// Actual result.
    pub actual: Option<f64>,
    /// How the actual was obtained.
    pub actual_from: Option<Derivation>,
    /// Target (computed exactly when given as growth).
    pub target: Option<f64>,
    /// How the target was obtained.
    pub target_from: Option<Derivation>,
    /// Target value as stated in the record, when given.
    pub target_stated: Option<f64>,
    /// Target growth rate as stated in the record, when given (fraction).
    pub target_growth: Option<f64>,
    /// actual / target.
    pub attainment: Option<f64>,
    /// Share of the period elapsed at `as_of`, for a period in progress.
    pub expected: Option<f64>,
    /// Actual of the previous period.
    pub previous: Option<f64>,
    /// actual - previous.
    pub change: Option<f64>,
    /// actual / previous - 1.
    pub growth: Option<f64>,
    /// Growth the target asks for over the previous period's actual:
    /// target / previous - 1.
    pub required_growth: Option<f64>,
    /// target - actual.
    pub gap: Option<f64>,
    /// Status against the target (or the expected progress).
    pub status: Status,
    /// Progress towards a target several periods ahead, when one applies.
    pub progress: Option<Progress>,
    /// Ratio of observed to required growth behind `progress`.
    pub progress_ratio: Option<f64>,
    /// Date the actual was measured, for a period in progress.
    pub as_of: Option<jiff::civil::Date>,
    /// Sources of the reported record (or of every record aggregated).
    pub sources: Vec<String>,
    /// The record's note, if any (in every language it was written in).
    pub note: Option<Text>,
    /// Where the record is, when reported.
    pub origin: Option<Origin>,
    /// Audience of the figure (the most restricted of its inputs).
    pub audience: Audience,
}

impl Tracked {
    fn empty(entity: EntityIdx, metric: MetricIdx, period: Period) -> Tracked {
        Tracked {
            entity,
            metric,
            period,
            actual: None,
            actual_from: None,
            target: None,
            target_from: None,
            target_stated: None,
            target_growth: None,
            attainment: None,
            expected: None,
            previous: None,
            change: None,
            growth: None,
            required_growth: None,
            gap: None,
            status: Status::NoData,
            progress: None,
            progress_ratio: None,
            as_of: None,
            sources: Vec::new(),
            note: None,
            origin: None,
            audience: Audience::Public,
        }
    }
}

/// Every tracked value of a site, indexed by (entity, metric, period).
#[derive(Debug, Clone, Default, Serialize)]
pub struct Report {
    /// All tracked values, ordered by entity, metric, period.
    pub cells: Vec<Tracked>,
    /// Every period with a value, sorted.
    pub periods: Vec<Period>,
    /// Every year with a value, sorted.
    pub years: Vec<i32>,
    #[serde(skip)]
    index: HashMap<(EntityIdx, MetricIdx, Period), usize>,
}

impl Report {
    /// The tracked value for an entity, metric and period.
    pub fn get(&self, e: EntityIdx, m: MetricIdx, p: Period) -> Option<&Tracked> {
        self.index.get(&(e, m, p)).map(|&i| &self.cells[i])
    }

    /// Where `c` is in [`Report::cells`], if it is one of them (by address:
    /// every `&Tracked` the render stage holds is borrowed from there).
    pub fn position(&self, c: &Tracked) -> Option<usize> {
        let size = std::mem::size_of::<Tracked>();
        let base = self.cells.as_ptr() as usize;
        let offset = (c as *const Tracked as usize).checked_sub(base)?;
        let i = offset / size;
        (offset % size == 0 && i < self.cells.len()).then_some(i)
    }

    /// All tracked values of an entity for a metric, by period.
    pub fn series(&self, e: EntityIdx, m: MetricIdx) -> impl Iterator<Item = &Tracked> {
        let start = self
            .cells
            .partition_point(|c| (c.entity, c.metric) < (e, m));
        self.cells[start..]
            .iter()
            .take_while(move |c| c.entity == e && c.metric == m)
    }

    /// All tracked values of an entity, by metric then period.
    pub fn of_entity(&self, e: EntityIdx) -> impl Iterator<Item = &Tracked> {
        let start = self.cells.partition_point(|c| c.entity < e);
        self.cells[start..]
            .iter()
            .take_while(move |c| c.entity == e)
    }
}

/// Computes every tracked value of `site` and the content index, checks that
/// every data shortcode points at a figure that exists, and reports
/// inconsistencies to `diags`.
pub fn compute(site: Site, diags: &mut Diagnostics) -> SiteModel {
    let report = report(&site, diags);
    references::check_shortcodes(&site, &report, diags);
    let index = ContentIndex::new(&site, &report);
    SiteModel {
        site,
        report,
        index,
    }
}

/// Computes every tracked value of `site`, reporting inconsistencies to `diags`.
pub fn report(site: &Site, diags: &mut Diagnostics) -> Report {
    use rayon::prelude::*;
    // Metrics are independent of each other: one map per metric, computed in
    // parallel; diagnostics are merged in metric order, as if sequential.
    let mut by_metric: Vec<HashMap<(EntityIdx, MetricIdx, Period), Tracked>> =
        vec![HashMap::new(); site.metrics.len()];
    let mut periods_of: Vec<BTreeSet<Period>> = vec![BTreeSet::new(); site.metrics.len()];

    for rec in &site.figures {
        let f = &rec.figure;
        periods_of[rec.metric].insert(f.period);
        let mut t = Tracked::empty(rec.entity, rec.metric, f.period);
        t.actual = f.actual;
        t.actual_from = f.actual.map(|_| Derivation::Reported);
        t.target_stated = f.target.and_then(|t| t.value);
        t.target_growth = f.target.and_then(|t| t.growth);
        t.as_of = f.as_of;
        t.sources = vec![f.source.clone()];
        t.note = f.note.clone();
        t.origin = Some(f.origin.clone());
        t.audience = f.audience;
        by_metric[rec.metric].insert((rec.entity, rec.metric, f.period), t);
    }

    // Entities deepest first, so children are complete before their parent.
    let mut order: Vec<EntityIdx> = (0..site.entities.len()).collect();
    order.sort_by_key(|&e| std::cmp::Reverse(site.hierarchy.depth(e)));

    let found: Vec<Diagnostics> = by_metric
        .par_iter_mut()
        .enumerate()
        .map(|(m, cells)| {
            let mut diags = Diagnostics::new();
            compute_metric(site, m, &periods_of[m], &order, cells, &mut diags);
            diags
        })
        .collect();
    for d in found {
        diags.extend(d);
    }
    let cells: Vec<Tracked> = by_metric
        .into_iter()
        .flat_map(|m| m.into_values())
        .collect();

    let mut list = cells;
    list.sort_by_key(|c| (c.entity, c.metric, c.period));
    let index = list
        .iter()
        .enumerate()
        .map(|(i, c)| ((c.entity, c.metric, c.period), i))
        .collect();
    let periods: BTreeSet<Period> = list.iter().map(|c| c.period).collect();
    let years: BTreeSet<i32> = periods.iter().map(|p| p.year()).collect();
    Report {
        cells: list,
        periods: periods.into_iter().collect(),
        years: years.into_iter().collect(),
        index,
    }
}

/// Aggregates, growth targets and derived values of metric `m`, whose
/// values are all in `cells`.
fn compute_metric(
    site: &Site,
    m: MetricIdx,
    periods: &BTreeSet<Period>,
    order: &[EntityIdx],
    cells: &mut HashMap<(EntityIdx, MetricIdx, Period), Tracked>,
    diags: &mut Diagnostics,
) {
    let metric = &site.metrics[m];
    let periods: Vec<Period> = periods.iter().copied().collect();
    // Pass 1: actuals.
    for &e in order {
        for &p in &periods {
            aggregate(site, cells, e, m, p, metric.aggregate, Field::Actual, diags);
        }
    }
    // Pass 2: targets (growth targets need the previous period's actual).
    for &e in order {
        for &p in &periods {
            resolve_growth_target(site, cells, e, m, p, diags);
            aggregate(site, cells, e, m, p, metric.aggregate, Field::Target, diags);
        }
    }
    // Pass 3: derived values.
    for e in 0..site.entities.len() {
        for &p in &periods {
            let previous = cells.get(&(e, m, p.previous())).and_then(|c| c.actual);
            let Some(c) = cells.get_mut(&(e, m, p)) else {
                continue;
            };
            derive(c, previous, metric.direction, site);
        }
        multi_year_progress(cells, e, m, &periods, metric.direction);
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Field {
    Actual,
    Target,
}

impl Field {
    fn get(self, t: &Tracked) -> Option<f64> {
        match self {
            Field::Actual => t.actual,
            Field::Target => t.target,
        }
    }
    fn name(self) -> &'static str {
        match self {
            Field::Actual => "actual",
            Field::Target => "target",
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn aggregate(
    site: &Site,
    cells: &mut HashMap<(EntityIdx, MetricIdx, Period), Tracked>,
    e: EntityIdx,
    m: MetricIdx,
    p: Period,
    rule: Aggregate,
    field: Field,
    diags: &mut Diagnostics,
) {
    let kids = site.hierarchy.children(e);
    if rule == Aggregate::None || kids.is_empty() || !site.entities[e].complete_breakdown {
        return;
    }
    let mut values = Vec::with_capacity(kids.len());
    let mut sources = BTreeSet::new();
    let mut audience = Audience::Public;
    // An aggregate of year-to-date actuals is itself year-to-date, as of the earliest date.
    let mut as_of: Option<jiff::civil::Date> = None;
    for &k in kids {
        match cells
            .get(&(k, m, p))
            .and_then(|c| field.get(c).map(|v| (v, c)))
        {
            Some((v, c)) => {
                values.push(v);
                sources.extend(c.sources.iter().cloned());
                audience = audience.max(c.audience);
                if field == Field::Actual
                    && let Some(d) = c.as_of
                {
                    as_of = Some(as_of.map_or(d, |a| a.min(d)));
                }
            }
            None => return, // an incomplete set of children adds up to nothing
        }
    }
    let combined = match rule {
        Aggregate::Sum => values.iter().sum::<f64>(),
        Aggregate::Mean => values.iter().sum::<f64>() / values.len() as f64,
        Aggregate::None => return,
    };
    let own = cells.get(&(e, m, p)).and_then(|c| field.get(c));
    match own {
        Some(reported) => {
            let tolerance = 1e-9 * reported.abs().max(combined.abs()).max(1.0);
            let from_growth = field == Field::Target
                && cells
                    .get(&(e, m, p))
                    .is_some_and(|c| c.target_from == Some(Derivation::FromGrowth));
            if (reported - combined).abs() > tolerance && !from_growth {
                let c = &cells[&(e, m, p)];
                let names: Vec<&str> = kids.iter().map(|&k| site.entities[k].id.as_str()).collect();
                diags.push(
                    Diagnostic::warning(
                        c.origin.clone().unwrap_or_default(),
                        format!(
                            "`{}` reports {} {} for `{}` {}, but its children add up to {} ({})",
                            site.entities[e].id,
                            field.name(),
                            plain(reported),
                            site.metrics[m].id,
                            p,
                            plain(combined),
                            names.join(", ")
                        ),
                    )
                    .with_help("correct one of the figures, or mark the parent `breakdown: partial` if its children do not cover it"),
                );
            } else if from_growth
                && (reported - combined).abs() > formulas::stated_tolerance(combined).max(tolerance)
            {
                let c = &cells[&(e, m, p)];
                diags.push(Diagnostic::warning(
                    c.origin.clone().unwrap_or_default(),
                    format!(
                        "`{}`'s {} target for `{}` is {} from growth, but its children's targets add up to {}",
                        site.entities[e].id,
                        p,
                        site.metrics[m].id,
                        plain(reported),
                        plain(combined)
                    ),
                ));
            }
        }
        None => {
            let c = cells
                .entry((e, m, p))
                .or_insert_with(|| Tracked::empty(e, m, p));
            match field {
                Field::Actual => {
                    c.actual = Some(combined);
                    c.actual_from = Some(Derivation::Aggregated);
                    c.as_of = as_of;
                }
                Field::Target => {
                    c.target = Some(combined);
                    c.target_from = Some(Derivation::Aggregated);
                }
            }
            for s in sources {
                if !c.sources.contains(&s) {
                    c.sources.push(s);
                }
            }
            c.audience = c.audience.max(audience);
        }
    }
}

fn resolve_growth_target(
    site: &Site,
    cells: &mut HashMap<(EntityIdx, MetricIdx, Period), Tracked>,
    e: EntityIdx,
    m: MetricIdx,
    p: Period,
    diags: &mut Diagnostics,
) {
    let previous = cells.get(&(e, m, p.previous())).and_then(|c| c.actual);
    let Some(c) = cells.get_mut(&(e, m, p)) else {
        return;
    };
    if c.target.is_some() {
        return;
    }
    let origin = c.origin.clone().unwrap_or_default();
    match (c.target_growth, c.target_stated) {
        (None, None) => {}
        (None, Some(v)) => {
            c.target = Some(v);
            c.target_from = Some(Derivation::Reported);
        }
        (Some(g), stated) => {
            let Some(prev) = previous else {
                diags.push(
                    Diagnostic::error(
                        origin,
                        format!(
                            "growth target for `{}`, `{}`, {} has no {} actual to grow from",
                            site.entities[e].id,
                            site.metrics[m].id,
                            p,
                            p.previous()
                        ),
                    )
                    .with_help(format!(
                        "record the {} actual, or give the target as a value",
                        p.previous()
                    )),
                );
                c.target = stated;
                c.target_from = stated.map(|_| Derivation::Reported);
                return;
            };
            let computed = formulas::target_from_growth(prev, g);
            if let Some(v) = stated {
                let tol = formulas::stated_tolerance(v);
                if (computed - v).abs() > tol {
                    diags.push(
                        Diagnostic::error(
                            origin,
                            format!(
                                "stated target {} does not agree with growth {}% over the {} actual {}: that gives {}",
                                plain(v),
                                plain(g * 100.0),
                                p.previous(),
                                plain(prev),
                                plain(computed)
                            ),
                        )
                        .with_help(format!(
                            "the stated value is precise to ±{}; correct the value or the growth rate",
                            plain(tol)
                        )),
                    );
                }
            }
            c.target = Some(computed);
            c.target_from = Some(Derivation::FromGrowth);
        }
    }
}

fn derive(c: &mut Tracked, previous: Option<f64>, direction: Direction, site: &Site) {
    c.previous = previous;
    c.attainment = formulas::attainment(c.actual, c.target);
    c.change = formulas::change(c.actual, previous);
    c.growth = formulas::growth(c.actual, previous);
    c.required_growth = formulas::growth(c.target, previous);
    c.gap = formulas::gap(c.actual, c.target);
    let in_progress = c.as_of.filter(|d| *d < c.period.end_date());
    let mut perf = formulas::performance(c.actual, c.target, direction);
    if let Some(as_of) = in_progress {
        let expected =
            formulas::elapsed_fraction(c.period.start_date(), c.period.end_date(), as_of);
        c.expected = Some(expected);
        let metric = &site.metrics[c.metric];
        // Cumulative metrics are judged against the share of the period elapsed.
        if metric.aggregate == Aggregate::Sum && direction == Direction::Higher && expected > 0.0 {
            perf = perf.map(|p| p / expected);
        }
    }
    c.status = Status::from_performance(perf, &site.config.status);
}

/// Open SDG progress for targets with no actual yet, given at least two earlier actuals.
fn multi_year_progress(
    cells: &mut HashMap<(EntityIdx, MetricIdx, Period), Tracked>,
    e: EntityIdx,
    m: MetricIdx,
    periods: &[Period],
    direction: Direction,
) {
    for &tp in periods {
        let Some(target) = cells
            .get(&(e, m, tp))
            .filter(|c| c.actual.is_none())
            .and_then(|c| c.target)
        else {
            continue;
        };
        let actuals: Vec<(Period, f64)> = periods
            .iter()
            .filter(|p| **p < tp && p.same_kind(tp))
            .filter_map(|p| {
                cells
                    .get(&(e, m, *p))
                    // Year-to-date actuals are not a period's result: leave them out.
                    .filter(|c| c.as_of.is_none_or(|d| d >= c.period.end_date()))
                    .and_then(|c| c.actual.map(|a| (*p, a)))
            })
            .collect();
        if actuals.len() < 2 {
            continue;
        }
        let (base_p, base) = actuals[0];
        let (cur_p, cur) = actuals[actuals.len() - 1];
        let achieved = match direction {
            Direction::Higher => cur >= target,
            Direction::Lower => cur <= target,
        };
        let (progress, ratio) = if achieved {
            (Progress::TargetAchieved, None)
        } else {
            let observed = formulas::cagr(base, cur, cur_p.steps_since(base_p));
            let required = formulas::cagr(base, target, tp.steps_since(base_p));
            match (observed, required) {
                (Some(o), Some(r)) if r != 0.0 => (Progress::from_ratio(o / r), Some(o / r)),
                _ => continue,
            }
        };
        if let Some(c) = cells.get_mut(&(e, m, tp)) {
            c.progress = Some(progress);
            c.progress_ratio = ratio;
        }
    }
}

/// A number written plainly for diagnostics (no locale, no exponent).
fn plain(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e16 {
        format!("{v:.0}")
    } else {
        let s = format!("{v:.4}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

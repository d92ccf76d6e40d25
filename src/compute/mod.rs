//! Stage 3, **compute**: attainment, growth, pace, status and aggregates for
//! every entity, metric and period.
//!
//! Each metric is computed on its own (in parallel), in passes:
//! 1. through time ([`timeline`]): months into quarters into years, as a
//!    flow, stock or rate, complete sets only; the first months of a period
//!    make a year-to-date value;
//! 2. up the hierarchy (`aggregate`): a parent's actual from a complete
//!    set of its children's, summed or averaged;
//! 3. targets (`targets`): given, from growth over the previous whole
//!    period, or added up from children;
//! 4. what each figure means (`derive`): performance in the metric's
//!    direction, the pace expected of a period in progress, the status,
//!    growth like for like; and progress towards targets further ahead.
//!
//! Where a figure is reported and also made from its parts (months, or
//! children) and the two disagree, a warning names both numbers.

mod aggregate;
pub mod categories;
mod cells;
mod derive;
#[cfg(test)]
pub(crate) mod fixture;
pub mod formulas;
mod index;
mod pace;
mod progress;
pub mod references;
mod site_model;
pub mod status;
mod targets;
pub mod timeline;

use std::collections::{BTreeSet, HashMap};

use serde::Serialize;

use crate::diagnostics::Diagnostics;
use crate::model::{Audience, Origin, Period, Text};
use crate::validate::{EntityIdx, MetricIdx, Site};
pub use index::{ContentIndex, Taxonomy, TaxonomyIndex, Term};
/// Reports kept from one build for the next (`rekap serve`): a site's
/// [`Report`] is made from its chart inputs alone (see
/// [`ByChartInputs`](crate::cache::kept::ByChartInputs)), so a build of the
/// same chart inputs takes the one made then, with its problems.
pub type KeptReports = crate::cache::kept::ByChartInputs<std::sync::Arc<Report>>;
pub use pace::cumulative_expected;

/// The last report made in each language (`rekap serve`), whatever its
/// inputs: the next one takes from it the metrics made from the same
/// inputs (see [`report_after`]).
#[derive(Debug, Default)]
pub struct LastReports(std::sync::Mutex<HashMap<crate::model::Lang, std::sync::Arc<Report>>>);

impl LastReports {
    /// The last report made in `lang`, if any.
    pub fn get(&self, lang: crate::model::Lang) -> Option<std::sync::Arc<Report>> {
        let kept = self.0.lock().unwrap_or_else(|e| e.into_inner());
        kept.get(&lang).cloned()
    }

    /// Keeps `report` as the last made in `lang`.
    pub fn put(&self, lang: crate::model::Lang, report: std::sync::Arc<Report>) {
        let mut kept = self.0.lock().unwrap_or_else(|e| e.into_inner());
        kept.insert(lang, report);
    }
}
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
    /// Made from the shorter periods it contains (months, quarters).
    RolledUp,
    /// The sum of a complete set of categories (participant types, say).
    FromCategories,
}

/// One tracked value: an entity's figure for a metric and period, with
/// everything computed from it.
#[derive(Debug, Clone, PartialEq, Serialize)]
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
    /// The actual against the whole period's target in the metric's
    /// direction: actual / target when higher is better, target / actual
    /// when lower is better. Above 1 is better than the target. A closed
    /// period's status, rankings, badges and bars follow it.
    pub performance: Option<f64>,
    /// Share of the period elapsed at `as_of`, for a period in progress (by
    /// days, or by the metric's target profile).
    pub elapsed: Option<f64>,
    /// The value expected by `as_of` on the way to the target, for a period
    /// in progress.
    pub expected: Option<f64>,
    /// The actual against `expected`, in the metric's direction: a period in
    /// progress's status follows it.
    pub pace: Option<f64>,
    /// The earlier value `growth` and `change` compare with: the same period
    /// a year earlier (or the period before), the same months of it for a
    /// period in progress.
    pub previous: Option<f64>,
    /// The period `previous` belongs to.
    pub compared_with: Option<Period>,
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
    /// The period progress towards this target is measured from, when given.
    pub target_base: Option<Period>,
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
    /// What the status rests on, in the metric's direction (above 1 is
    /// better than asked): the pace for a period in progress, else the
    /// performance against the whole target. Rankings, badges and bars use it.
    pub fn score(&self) -> Option<f64> {
        if self.in_progress() {
            self.pace
        } else {
            self.performance
        }
    }

    /// Whether the period was still in progress when the actual was measured.
    pub fn in_progress(&self) -> bool {
        self.as_of.is_some_and(|d| d < self.period.end_date())
    }

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
            performance: None,
            elapsed: None,
            expected: None,
            pace: None,
            previous: None,
            compared_with: None,
            change: None,
            growth: None,
            required_growth: None,
            gap: None,
            status: Status::NoData,
            target_base: None,
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
    /// Figures broken down by category, by entity, metric, categories and period.
    pub categories: Vec<categories::CategoryCell>,
    #[serde(skip)]
    index: HashMap<(EntityIdx, MetricIdx, Period), usize, ahash::RandomState>,
    /// What each metric's values were made from, with the problems found
    /// making them, when the report is kept for the next one (see
    /// [`report_after`]).
    #[serde(skip)]
    made_from: Option<MadeFrom>,
}

/// What the values of a [`Report`] were made from, when it is kept for
/// the next one (see [`report_after`]): a digest of the site but its
/// figures, the figure records file by file (shared, not copied, with the
/// site's: a file of a later site in the same place is the same file), and
/// the problems found making each metric's values. A later report of the
/// same frame takes a metric's values from this one when every file holds
/// the same records of that metric, in the same order.
#[derive(Debug, Clone, Default)]
struct MadeFrom {
    frame: Option<u128>,
    files: crate::validate::FigureRecords,
    problems: Vec<Diagnostics>,
}

impl MadeFrom {
    /// What the values of `site`'s report are made from (their problems
    /// still to be found).
    fn of(site: &Site) -> MadeFrom {
        let frame = crate::digest::of(&(
            &site.config,
            &site.selection,
            &site.entities,
            &site.hierarchy,
            &site.metrics,
            &site.dimensions,
        ))
        .ok();
        MadeFrom {
            frame,
            files: site.figures.clone(),
            problems: Vec::new(),
        }
    }

    /// For each of `metrics` metrics, whether its values made from `self`
    /// are those made from `before`.
    fn same_as(&self, before: &MadeFrom, metrics: usize) -> Vec<bool> {
        let (now, then) = (self.files.files(), before.files.files());
        if self.frame.is_none() || self.frame != before.frame || now.len() != then.len() {
            return vec![false; metrics];
        }
        let changed: Vec<_> = now
            .iter()
            .zip(then)
            .filter(|(a, b)| !std::sync::Arc::ptr_eq(a, b))
            .collect();
        (0..metrics)
            .map(|m| {
                changed.iter().all(|(a, b)| {
                    let of_m = |r: &&crate::validate::FigureRecord| r.metric == m;
                    a.iter().filter(of_m).eq(b.iter().filter(of_m))
                })
            })
            .collect()
    }
}

impl Drop for Report {
    /// The cells' list, emptied, is kept for the next report (see
    /// `cells::give_back`).
    fn drop(&mut self) {
        cells::give_back(std::mem::take(&mut self.cells));
    }
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

    /// The category figures of an entity for a metric, by categories then period.
    pub fn categories_of(
        &self,
        e: EntityIdx,
        m: MetricIdx,
    ) -> impl Iterator<Item = &categories::CategoryCell> {
        let start = self
            .categories
            .partition_point(|c| (c.entity, c.metric) < (e, m));
        self.categories[start..]
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
    let report = std::sync::Arc::new(report(&site, diags));
    compute_from(site, report, diags)
}

/// [`compute`] with the report of `site` made already (by [`report`], or
/// kept: see [`KeptReports`]).
pub fn compute_from(
    site: Site,
    report: std::sync::Arc<Report>,
    diags: &mut Diagnostics,
) -> SiteModel {
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
    make_report(site, None, diags)
}

/// [`report`], for a site whose last report was `last` (`rekap serve`,
/// at every save): a metric whose values are made from the same inputs as
/// in `last` (the site but its figures compared by digest; the figure
/// files by pointer, or a changed file by its records of the metric, in
/// order) takes them, and the problems found making them, from there
/// rather than working them out again. The report is the one [`report`]
/// makes. It keeps what each metric was made from, for the next.
pub fn report_after(site: &Site, last: Option<&Report>, diags: &mut Diagnostics) -> Report {
    make_report(site, Some(last), diags)
}

/// [`report`]; with `last`, [`report_after`].
fn make_report(site: &Site, last: Option<Option<&Report>>, diags: &mut Diagnostics) -> Report {
    use rayon::prelude::*;
    // Metrics are independent of each other: one map per metric, computed in
    // parallel; diagnostics are merged in metric order, as if sequential.
    let mut by_metric: Vec<Cells> = vec![Cells::default(); site.metrics.len()];

    let (whole, mut cats) = categories::split(site.figures.iter());
    // Room for each metric's figures and what is worked out from them
    // (roll-ups, totals), so that the large values are not moved again
    // and again as each map grows.
    // Each metric's records, in the order of the figures (so each map is
    // filled in the same order as one pass over them all would).
    let mut per_metric: Vec<Vec<&crate::validate::FigureRecord>> =
        vec![Vec::new(); site.metrics.len()];
    for rec in whole {
        per_metric[rec.metric].push(rec);
    }
    let made_from = last.map(|_| MadeFrom::of(site));
    // The metrics whose values `last` holds, made from the same inputs.
    let before = last.flatten().and_then(|r| r.made_from.as_ref());
    let same: Vec<bool> = match (&made_from, before) {
        (Some(now), Some(before)) => now.same_as(before, site.metrics.len()),
        _ => vec![false; site.metrics.len()],
    };
    by_metric
        .par_iter_mut()
        .zip(per_metric)
        .zip(&same)
        .filter(|(_, same)| !**same)
        .for_each(|((cells, records), _)| {
            cells.reserve(records.len() * 2);
            for rec in records {
                let f = &rec.figure;
                let mut t = Tracked::empty(rec.entity, rec.metric, f.period);
                t.actual = f.actual;
                t.actual_from = f.actual.map(|_| Derivation::Reported);
                t.target_stated = f.target.and_then(|t| t.value);
                t.target_growth = f.target.and_then(|t| t.growth);
                t.target_base = f.target.and_then(|t| t.base_period);
                t.as_of = f.as_of;
                t.sources = vec![f.source.clone()];
                t.note = f.note.clone();
                t.origin = Some(f.origin.clone());
                t.audience = f.audience;
                cells.insert((rec.entity, rec.metric, f.period), t);
            }
        });

    categories::fill_totals(site, &cats, &mut by_metric);
    // Entities deepest first, so children are complete before their parent.
    let order = site.hierarchy.deepest_first();

    let found: Vec<Diagnostics> = by_metric
        .par_iter_mut()
        .enumerate()
        .map(|(m, cells)| match last.flatten().filter(|_| same[m]) {
            Some(last) => {
                *cells = Cells::of_metric(&last.cells, m);
                last.made_from
                    .as_ref()
                    .map(|f| f.problems[m].clone())
                    .unwrap_or_default()
            }
            None => {
                let mut diags = Diagnostics::new();
                compute_metric(site, m, &order, cells, &mut diags);
                diags
            }
        })
        .collect();
    let made_from = made_from.map(|f| MadeFrom {
        problems: found.clone(),
        ..f
    });
    for d in found {
        diags.extend(d);
    }
    // One allocation for every cell, in order: each cell is moved out of
    // its metric's list once, into its place (a cell is some 400 bytes,
    // and sorting them in place moved each some twenty times).
    let list = Cells::take_in_order(by_metric);
    let index = list
        .iter()
        .enumerate()
        .map(|(i, c)| ((c.entity, c.metric, c.period), i))
        .collect();
    let periods: BTreeSet<Period> = list.iter().map(|c| c.period).collect();
    let years: BTreeSet<i32> = periods.iter().map(|p| p.year()).collect();
    let mut report = Report {
        cells: list,
        periods: periods.into_iter().collect(),
        years: years.into_iter().collect(),
        categories: Vec::new(),
        index,
        made_from,
    };
    categories::derive_and_check(site, &mut cats, &report, diags);
    report.categories = cats;
    report
}

// Every value of one metric, by (entity, metric, period).
use cells::Cells;

/// Roll-ups, aggregates, targets and derived values of metric `m`, whose
/// values are all in `cells`.
fn compute_metric(
    site: &Site,
    m: MetricIdx,
    order: &[EntityIdx],
    cells: &mut Cells,
    diags: &mut Diagnostics,
) {
    let metric = &site.metrics[m];
    // Pass 1: through time, each entity's reported figures.
    timeline::roll_up(site, m, cells, diags);
    let periods = |cells: &Cells| -> Vec<Period> {
        let set: BTreeSet<Period> = cells.keys().map(|k| k.2).collect();
        set.into_iter().collect()
    };
    // Pass 2: actuals up the hierarchy.
    let all = periods(cells);
    for &e in order {
        for &p in &all {
            aggregate::aggregate(
                site,
                cells,
                e,
                m,
                p,
                metric.aggregate,
                aggregate::Field::Actual,
                diags,
            );
        }
    }
    // Pass 3: targets (growth targets need the previous period's actual).
    let all = periods(cells);
    for &e in order {
        for &p in &all {
            targets::resolve_growth_target(site, cells, e, m, p, diags);
            aggregate::aggregate(
                site,
                cells,
                e,
                m,
                p,
                metric.aggregate,
                aggregate::Field::Target,
                diags,
            );
        }
    }
    // Pass 4: what each figure means.
    let all = periods(cells);
    for e in 0..site.entities.len() {
        for &p in &all {
            derive::derive(site, m, e, p, cells);
        }
        progress::multi_year_progress(cells, e, m, &all, metric.direction);
    }
}

/// A number written plainly for diagnostics (no locale, no exponent).
pub(crate) fn plain(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e16 {
        format!("{v:.0}")
    } else {
        let s = format!("{v:.4}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

#[cfg(test)]
mod report_tests {
    use super::fixture::{TWO_PROVINCES as ENTITIES, compute_with};
    use super::{Tracked, plain};
    use crate::model::{Audience, Period};

    const METRICS: &str = "  - {id: m1, name: Satu, unit: people, aggregate: none}
  - {id: m2, name: Dua, unit: people, aggregate: none}
";

    fn site() -> super::fixture::Computed {
        let mut figures = String::from("source: Laporan\nfigures:\n");
        for e in ["wilayah", "alpha", "beta"] {
            for m in ["m1", "m2"] {
                for y in [2016, 2017] {
                    figures.push_str(&format!(
                        "  - {{entity: {e}, metric: {m}, period: {y}, target: 100, actual: {}}}\n",
                        y - 2000
                    ));
                }
            }
        }
        figures.push_str(
            "  - {entity: alpha, metric: m1, period: 2018, target: 100, actual: 30, as_of: 2018-03-31}\n",
        );
        compute_with(
            ENTITIES,
            METRICS,
            &figures,
            &[(
                "content/data/dimensions.yaml",
                "dimensions:\n  - id: t\n    name: T\n    total: partial\n    categories:\n      - {id: a, name: A}\n",
            )],
            Audience::Public,
        )
    }

    fn key(t: &Tracked) -> (usize, usize, Period) {
        (t.entity, t.metric, t.period)
    }

    #[test]
    fn a_series_is_one_entity_and_metric_by_period() {
        let c = site();
        let alpha = c.site.entity_index("alpha").expect("alpha");
        let series: Vec<_> = c.report.series(alpha, 0).map(key).collect();
        assert_eq!(
            series,
            [
                (alpha, 0, Period::Year(2016)),
                (alpha, 0, Period::Year(2017)),
                (alpha, 0, Period::Year(2018))
            ]
        );
        let series: Vec<_> = c.report.series(alpha, 1).map(key).collect();
        assert_eq!(series.len(), 2);
        assert!(series.iter().all(|&(e, m, _)| (e, m) == (alpha, 1)));
        let all: Vec<_> = c.report.of_entity(alpha).map(key).collect();
        assert_eq!(all.len(), 5);
        assert!(all.iter().all(|&(e, _, _)| e == alpha));
        assert!(all.windows(2).all(|w| w[0] < w[1]), "by metric then period");
        let beta = c.site.entity_index("beta").expect("beta");
        assert_eq!(c.report.of_entity(beta).count(), 4);
        assert_eq!(c.report.series(beta, 0).count(), 2);
    }

    #[test]
    fn a_cell_knows_its_place_and_its_score() {
        let c = site();
        let alpha = c.site.entity_index("alpha").expect("alpha");
        for (i, t) in c.report.cells.iter().enumerate() {
            assert_eq!(c.report.position(t), Some(i));
        }
        let copy = c.report.cells[3].clone();
        assert_eq!(
            c.report.position(&copy),
            None,
            "a copy is not in the report"
        );
        let closed = c.report.get(alpha, 0, Period::Year(2017)).expect("2017");
        assert_eq!(closed.score(), closed.performance);
        assert_eq!(closed.score(), Some(0.17));
        let open = c.report.get(alpha, 0, Period::Year(2018)).expect("2018");
        assert!(open.in_progress());
        assert_eq!(open.score(), open.pace);
        assert_ne!(open.pace, open.performance);
    }

    #[test]
    fn category_figures_are_found_by_entity_and_metric() {
        let c = compute_with(
            ENTITIES,
            METRICS,
            "source: L\nfigures:
  - {entity: alpha, metric: m1, period: 2016, actual: 5, by: {t: a}}
  - {entity: alpha, metric: m2, period: 2016, actual: 6, by: {t: a}}
  - {entity: beta, metric: m1, period: 2016, actual: 7, by: {t: a}}
",
            &[(
                "content/data/dimensions.yaml",
                "dimensions:\n  - id: t\n    name: T\n    total: partial\n    categories:\n      - {id: a, name: A}\n",
            )],
            Audience::Public,
        );
        let alpha = c.site.entity_index("alpha").expect("alpha");
        let beta = c.site.entity_index("beta").expect("beta");
        let actuals =
            |e, m| -> Vec<Option<f64>> { c.report.categories_of(e, m).map(|x| x.actual).collect() };
        assert_eq!(actuals(alpha, 0), [Some(5.0)]);
        assert_eq!(actuals(alpha, 1), [Some(6.0)]);
        assert_eq!(actuals(beta, 0), [Some(7.0)]);
        assert_eq!(actuals(beta, 1), []);
    }

    #[test]
    fn plain_numbers_have_no_exponent_and_no_trailing_zeros() {
        assert_eq!(plain(956e9), "956000000000");
        assert_eq!(plain(-12.0), "-12");
        assert_eq!(plain(1.25), "1.25");
        assert_eq!(plain(0.1 + 0.2), "0.3");
        assert_eq!(plain(1e17), "100000000000000000");
    }
}

#[cfg(test)]
mod reuse_tests {
    use super::fixture::{Computed, TWO_PROVINCES as ENTITIES, compute};
    use super::{MadeFrom, report, report_after};
    use crate::diagnostics::Diagnostics;
    use crate::model::Audience;

    // `rate` is lower-is-better with decimals; its region figure disagrees
    // with its provinces' (a warning), so a metric taken from the last
    // report must bring its problems with it.
    const METRICS: &str = "  - {id: people, name: Peserta, unit: people, aggregate: sum}
  - {id: rate, name: Kecelakaan, unit: percent, aggregate: mean, direction: lower, decimals: 2}
";

    fn site(alpha_2017: &str) -> Computed {
        let figures = format!(
            "source: Laporan\nfigures:
  - {{entity: alpha, metric: people, period: 2016, target: 100, actual: 90}}
  - {{entity: alpha, metric: people, period: 2017, target: {{growth: 10%}}, actual: {alpha_2017}}}
  - {{entity: beta, metric: people, period: 2016, target: 50, actual: 60}}
  - {{entity: beta, metric: people, period: 2017, target: 55, actual: 52}}
  - {{entity: alpha, metric: rate, period: 2017, target: 1.5, actual: 1.25}}
  - {{entity: beta, metric: rate, period: 2017, target: 1.5, actual: 1.75}}
  - {{entity: wilayah, metric: rate, period: 2017, actual: 1.65}}
"
        );
        compute(ENTITIES, METRICS, &figures, Audience::Public)
    }

    fn shown(d: Diagnostics) -> Vec<String> {
        d.sorted().iter().map(ToString::to_string).collect()
    }

    #[test]
    fn a_report_made_after_another_is_the_report_made_afresh() {
        let before = site("95");
        let after = site("97");
        let mut d = Diagnostics::new();
        let last = report_after(&before.site, None, &mut d);
        assert_eq!(last.cells, before.report.cells, "the first is made whole");
        // One figure of `people` changed: `rate` is taken from the last
        // report, `people` worked out again.
        let now = MadeFrom::of(&after.site);
        let then = last.made_from.as_ref().expect("kept");
        assert_eq!(now.same_as(then, 2), [false, true]);
        let (mut again, mut fresh) = (Diagnostics::new(), Diagnostics::new());
        let made = report_after(&after.site, Some(&last), &mut again);
        let whole = report(&after.site, &mut fresh);
        assert_eq!(made.cells, whole.cells);
        assert_eq!(made.categories, whole.categories);
        assert_eq!(made.periods, whole.periods);
        let (again, fresh) = (shown(again), shown(fresh));
        assert_eq!(again, fresh);
        assert!(
            again.iter().any(|w| w.contains("`rate`")),
            "the reused metric's warning: {again:#?}"
        );
        let alpha = after.site.entity_index("alpha").expect("alpha");
        let c = made
            .get(alpha, 0, crate::model::Period::Year(2017))
            .expect("alpha 2017");
        assert_eq!(c.actual, Some(97.0));
        // The same site: every metric is taken, by the files it shares.
        let same = MadeFrom::of(&after.site);
        let kept = made.made_from.as_ref().expect("kept");
        assert_eq!(same.same_as(kept, 2), [true, true]);
    }

    #[test]
    fn a_change_to_the_site_but_its_figures_makes_every_metric_again() {
        let before = site("95");
        let mut d = Diagnostics::new();
        let last = report_after(&before.site, None, &mut d);
        let mut other = site("95");
        other.site.entities[1].name = crate::model::Text::Plain("Alfa".to_string());
        let now = MadeFrom::of(&other.site);
        assert_eq!(
            now.same_as(last.made_from.as_ref().expect("kept"), 2),
            [false, false]
        );
    }
}

//! Which charts the build draws: the charts each page gets without anyone
//! asking, the sparklines of headline cards, the charts authors placed
//! (shortcodes, named charts, release covers), and which of them are also
//! written as PNG images. A chart is identified by a [`ChartKey`]; the same
//! key is drawn once and shared by every page that shows it.
//!
//! Charts over time draw one kind of period, their [`Grain`]: years (or
//! financial years), halves, quarters or months. An entity page draws its
//! years, and a metric reported by month or quarter also gets a trend of
//! its months (the last 24) or quarter bars with their targets (the last
//! 12), and a flow with an annual target, the year so far month by month
//! ([`Kind::Cumulative`]).

use std::collections::HashSet;

use rayon::prelude::*;
use serde::Serialize;

use super::views::Viewer;
use crate::compute::Tracked;
use crate::diagnostics::Diagnostic;
use crate::model::{Period, PeriodKind, PngPolicy, ShortcodeKind, TimeKind};
use crate::validate::shortcodes::{ChartKind, Resolved};
use crate::validate::{EntityIdx, MetricIdx};

/// The kinds of chart rekap draws.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// Bars of actuals per period with target markers.
    ActualVsTarget,
    /// A line over periods with target markers.
    Trend,
    /// One bar per child, by attainment.
    Breakdown,
    /// Stacked bars of several metrics.
    Composition,
    /// A year so far: the running total month by month against the
    /// target's path, beside the year before.
    Cumulative,
    /// A tiny line for headline cards.
    Sparkline,
    /// Stacked bars of one metric's categories per period.
    Categories,
}

impl From<ChartKind> for Kind {
    fn from(k: ChartKind) -> Kind {
        match k {
            ChartKind::ActualVsTarget => Kind::ActualVsTarget,
            ChartKind::Breakdown => Kind::Breakdown,
            ChartKind::Trend => Kind::Trend,
            ChartKind::Composition => Kind::Composition,
            ChartKind::Categories => Kind::Categories,
        }
    }
}

/// The kind of period a chart over time draws.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Grain {
    /// Years, calendar or financial.
    #[default]
    Annual,
    /// Halves.
    Half,
    /// Quarters.
    Quarter,
    /// Months.
    Month,
}

impl Grain {
    /// The grain of periods of kind `k`.
    pub fn of(k: PeriodKind) -> Grain {
        match k {
            PeriodKind::Year | PeriodKind::FinancialYear => Grain::Annual,
            PeriodKind::Half => Grain::Half,
            PeriodKind::Quarter => Grain::Quarter,
            PeriodKind::Month => Grain::Month,
        }
    }

    /// Whether `p` is of this grain.
    pub fn has(self, p: Period) -> bool {
        Grain::of(p.kind()) == self
    }

    /// How many of the latest periods a chart draws: every year, 8 halves,
    /// 12 quarters, 24 months.
    pub fn limit(self) -> usize {
        match self {
            Grain::Annual => usize::MAX,
            Grain::Half => 8,
            Grain::Quarter => 12,
            Grain::Month => 24,
        }
    }

    /// In file names (`--quarters`).
    fn slug(self) -> &'static str {
        match self {
            Grain::Annual => "years",
            Grain::Half => "halves",
            Grain::Quarter => "quarters",
            Grain::Month => "months",
        }
    }
}

/// Identifies one chart: the same key is drawn once and shared.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ChartKey {
    /// What is drawn.
    pub kind: Kind,
    /// Whose figures.
    pub entity: EntityIdx,
    /// Which metrics (one, except for compositions).
    pub metrics: Vec<MetricIdx>,
    /// For breakdowns and compositions by child: the period; for a year so
    /// far: the year; for charts over time: the last period drawn (of the
    /// chart's grain), or `None` for the latest.
    pub period: Option<Period>,
    /// For charts over time: which kind of period they draw.
    pub grain: Grain,
    /// For categories: the dimension.
    pub by: Option<usize>,
}

impl ChartKey {
    /// A chart of (e, m) over time, of `grain`, up to the latest period.
    pub fn over_time(kind: Kind, entity: EntityIdx, m: MetricIdx, grain: Grain) -> ChartKey {
        ChartKey {
            kind,
            entity,
            metrics: vec![m],
            period: None,
            grain,
            by: None,
        }
    }

    /// The file name stem of this chart.
    pub fn slug(&self, v: &Viewer) -> String {
        let metrics: Vec<&str> = self
            .metrics
            .iter()
            .map(|&m| v.site.metrics[m].id.as_str())
            .collect();
        let kind = match self.kind {
            Kind::ActualVsTarget => "actual-vs-target",
            Kind::Trend => "trend",
            Kind::Breakdown => "breakdown",
            Kind::Composition => "composition",
            Kind::Cumulative => "cumulative",
            Kind::Sparkline => "sparkline",
            Kind::Categories => "categories",
        };
        let mut s = format!(
            "{}--{}--{kind}",
            v.site.entities[self.entity].id,
            metrics.join("-and-")
        );
        match self.period {
            Some(p) => s.push_str(&format!("--{}", p.to_string().replace('/', "-"))),
            None if self.grain != Grain::Annual => s.push_str(&format!("--{}", self.grain.slug())),
            None => {}
        }
        if let Some(d) = self.by {
            s.push_str(&format!("--by-{}", v.site.dimensions[d].id));
        }
        s
    }
}

/// Values of (e, m) of `grain`, by period, up to `until` (when given), the
/// latest [`Grain::limit`] of them.
pub fn series<'a>(
    v: &Viewer<'a>,
    e: EntityIdx,
    m: MetricIdx,
    grain: Grain,
    until: Option<Period>,
) -> Vec<&'a Tracked> {
    let all: Vec<&Tracked> = v
        .report
        .series(e, m)
        .filter(|c| grain.has(c.period) && until.is_none_or(|u| c.period <= u))
        .collect();
    let skip = all.len().saturating_sub(grain.limit());
    all[skip..].to_vec()
}

/// Yearly values of (e, m), by period.
pub(super) fn yearly<'a>(v: &Viewer<'a>, e: EntityIdx, m: MetricIdx) -> Vec<&'a Tracked> {
    series(v, e, m, Grain::Annual, None)
}

/// The grain a chart of (e, m) over time draws when none is asked for: the
/// longest kind of period with an actual or a target of its own (not added
/// up from shorter periods), so a metric reported by quarter draws quarters.
pub fn default_grain(v: &Viewer, e: EntityIdx, m: MetricIdx) -> Grain {
    let own = |c: &&Tracked| {
        let rolled = Some(crate::compute::Derivation::RolledUp);
        (c.actual.is_some() && c.actual_from != rolled)
            || (c.target.is_some() && c.target_from != rolled)
    };
    [Grain::Annual, Grain::Half, Grain::Quarter, Grain::Month]
        .into_iter()
        .find(|g| v.report.series(e, m).filter(own).any(|c| g.has(c.period)))
        .unwrap_or_default()
}

/// The chart over time of `cells`, if it says more than a headline card:
/// a trend for four actuals or more, else bars with targets for two periods
/// or more (a lone period, or actuals alone with one of them, draw nothing).
fn over_time_kind(cells: &[&Tracked]) -> Option<Kind> {
    let actuals = cells.iter().filter(|c| c.actual.is_some()).count();
    let periods = cells
        .iter()
        .filter(|c| c.actual.is_some() || c.target.is_some())
        .count();
    if actuals >= 4 {
        Some(Kind::Trend)
    } else if periods >= 2 && (actuals >= 2 || cells.iter().any(|c| c.target.is_some())) {
        Some(Kind::ActualVsTarget)
    } else {
        None
    }
}

/// The year in progress of a flow with an annual target whose months are
/// reported: the year so far is drawn month by month.
pub fn cumulative_year(v: &Viewer, e: EntityIdx, m: MetricIdx) -> Option<Period> {
    if v.site.metrics[m].time != TimeKind::Flow {
        return None;
    }
    let year = yearly(v, e, m)
        .into_iter()
        .rev()
        .find(|c| c.in_progress() && c.target.is_some())?;
    let months = year.period.month_list();
    let first = v.report.get(e, m, months[0])?;
    first.actual.is_some().then_some(year.period)
}

/// The charts an entity page shows without anyone asking, in order: per
/// metric, its years, the year so far, its quarters with targets, its
/// months (or quarters), and its children's attainment. Planned once per
/// entity and viewer (release pages, the chart list and the entity page
/// all ask).
pub fn entity_charts(v: &Viewer, e: EntityIdx) -> Vec<ChartKey> {
    match v.entity_charts.get(e) {
        Some(planned) => {
            // Planned by whichever page asked first, its reads noted there:
            // noted here for every page that asks (the plan reads the
            // values of `e` and of its children).
            v.report.note_entity(e);
            for &k in v.site.hierarchy.children(e) {
                v.report.note_entity(k);
            }
            planned.get_or_init(|| plan_entity_charts(v, e)).clone()
        }
        None => plan_entity_charts(v, e),
    }
}

/// [`entity_charts`], planned.
fn plan_entity_charts(v: &Viewer, e: EntityIdx) -> Vec<ChartKey> {
    let mut out = Vec::new();
    for m in 0..v.site.metrics.len() {
        if let Some(kind) = over_time_kind(&yearly(v, e, m)) {
            out.push(ChartKey::over_time(kind, e, m, Grain::Annual));
        }
        if let Some(year) = cumulative_year(v, e, m) {
            out.push(ChartKey {
                kind: Kind::Cumulative,
                entity: e,
                metrics: vec![m],
                period: Some(year),
                grain: Grain::Month,
                by: None,
            });
        }
        let quarters = series(v, e, m, Grain::Quarter, None);
        let quarter_targets = quarters.iter().any(|c| c.target.is_some());
        if quarter_targets && over_time_kind(&quarters).is_some() {
            out.push(ChartKey::over_time(
                Kind::ActualVsTarget,
                e,
                m,
                Grain::Quarter,
            ));
        }
        let months = series(v, e, m, Grain::Month, None);
        let actuals = |cells: &[&Tracked]| cells.iter().filter(|c| c.actual.is_some()).count();
        if actuals(&months) >= 3 {
            out.push(ChartKey::over_time(Kind::Trend, e, m, Grain::Month));
        } else if !quarter_targets && actuals(&quarters) >= 3 {
            out.push(ChartKey::over_time(Kind::Trend, e, m, Grain::Quarter));
        }
        // One chart per dimension the metric is broken down by here.
        let mut dims: Vec<usize> = v
            .report
            .categories_of(e, m)
            .filter(|c| c.by.len() == 1 && c.actual.is_some())
            .map(|c| c.by[0].0)
            .collect();
        dims.dedup();
        dims.sort_unstable();
        dims.dedup();
        out.extend(dims.into_iter().map(|d| ChartKey {
            by: Some(d),
            kind: Kind::Categories,
            entity: e,
            metrics: vec![m],
            period: None,
            grain: Grain::Annual,
        }));
        if let Some(p) = latest_breakdown_period(v, e, m) {
            out.push(ChartKey {
                by: None,
                kind: Kind::Breakdown,
                entity: e,
                metrics: vec![m],
                period: Some(p),
                grain: Grain::of(p.kind()),
            });
        }
    }
    out
}

/// The latest period in which at least two children of `e` have an attainment for `m`.
pub fn latest_breakdown_period(v: &Viewer, e: EntityIdx, m: MetricIdx) -> Option<Period> {
    if v.site.hierarchy.children(e).len() < 2 {
        return None;
    }
    v.report.periods().iter().rev().copied().find(|&p| {
        v.site
            .hierarchy
            .children(e)
            .iter()
            .filter(|&&k| v.report.get(k, m, p).is_some_and(|c| c.score().is_some()))
            .count()
            >= 2
    })
}

/// The sparkline of (e, m), if it has at least two actuals.
pub fn sparkline_key(v: &Viewer, e: EntityIdx, m: MetricIdx) -> Option<ChartKey> {
    let n = yearly(v, e, m)
        .iter()
        .filter(|c| c.actual.is_some())
        .count();
    (n >= 2).then(|| ChartKey::over_time(Kind::Sparkline, e, m, Grain::Annual))
}

/// Every chart the build needs: entity pages, year pages, headline sparklines, shortcodes.
pub fn all(v: &Viewer) -> Vec<ChartKey> {
    all_with(v, placed(v))
}

/// [`all`], with the charts authors placed ([`placed`]) known.
pub fn all_with(v: &Viewer, placed: Vec<ChartKey>) -> Vec<ChartKey> {
    let site = v.site;
    let mut keys: Vec<ChartKey> = (0..site.entities.len())
        .into_par_iter()
        .flat_map_iter(|e| {
            let mut k = entity_charts(v, e);
            k.extend((0..site.metrics.len()).filter_map(|m| sparkline_key(v, e, m)));
            k
        })
        .collect();
    if let Some(home) = site.home {
        for &y in &v.index.years {
            for m in 0..site.metrics.len() {
                let p = Period::Year(y);
                let n = site
                    .hierarchy
                    .children(home)
                    .iter()
                    .filter(|&&k| v.report.get(k, m, p).is_some_and(|c| c.score().is_some()))
                    .count();
                if n >= 2 {
                    keys.push(year_breakdown(home, m, y));
                }
            }
        }
    }
    keys.extend(placed);
    keys
}

/// The charts that only an entity page shows: the trends and sparklines of
/// every entity but the home one (whose charts the home page shows too),
/// unless an author placed the same chart somewhere.
pub fn entity_page_only(v: &Viewer) -> std::collections::HashSet<ChartKey> {
    let site = v.site;
    let placed: std::collections::HashSet<ChartKey> = placed(v).into_iter().collect();
    (0..site.entities.len())
        .into_par_iter()
        .filter(|&e| Some(e) != site.home)
        .flat_map_iter(|e| {
            let mut k = entity_charts(v, e);
            k.extend((0..site.metrics.len()).filter_map(|m| sparkline_key(v, e, m)));
            k
        })
        .filter(|k| !placed.contains(k))
        .collect()
}

/// The breakdown a year page shows for metric `m`.
pub fn year_breakdown(home: EntityIdx, m: MetricIdx, y: i32) -> ChartKey {
    ChartKey {
        kind: Kind::Breakdown,
        entity: home,
        metrics: vec![m],
        period: Some(Period::Year(y)),
        grain: Grain::Annual,
        by: None,
    }
}

/// Every chart shortcode and named chart of the site, with its resolution.
fn placed_shortcodes<'a>(v: &Viewer<'a>) -> impl Iterator<Item = &'a Resolved> {
    let site = v.site;
    site.releases
        .iter()
        .flat_map(|r| r.shortcodes.iter().chain(&r.cover))
        .chain(site.meetings.iter().flat_map(|m| &m.shortcodes))
        .chain(site.pages.iter().flat_map(|p| &p.shortcodes))
        .chain(site.named_charts.iter().map(|(_, r)| r))
        .filter(|sc| sc.kind == ShortcodeKind::Chart)
}

/// Charts that authors placed: shortcodes, named charts and release covers.
pub fn placed(v: &Viewer) -> Vec<ChartKey> {
    placed_shortcodes(v)
        .filter_map(|sc| shortcode_chart_key(v, sc))
        .collect()
}

/// The chart a `chart` shortcode stands for. Its `period` is the period a
/// breakdown or a composition by child shows; for a chart over time (trend,
/// actual against target, a composition of an entity without children), the
/// last period drawn, whose kind is the kind drawn (`period="2024-Q4"`: the
/// quarters up to the fourth of 2024). Without `period`, a chart over time
/// draws the latest periods of the longest kind the figures have.
pub fn shortcode_chart_key(v: &Viewer, sc: &Resolved) -> Option<ChartKey> {
    let kind: Kind = sc.chart?.into();
    let metrics = match sc.metric {
        Some(m) => vec![m],
        None => sc.metrics.clone(),
    };
    let m0 = *metrics.first()?;
    let by_child = !v.site.hierarchy.children(sc.entity).is_empty();
    let (period, grain) = match kind {
        Kind::Breakdown => {
            let p = sc
                .period
                .or_else(|| latest_breakdown_period(v, sc.entity, m0))?;
            (Some(p), Grain::of(p.kind()))
        }
        Kind::Composition if by_child => (sc.period, Grain::Annual),
        _ => match sc.period {
            Some(p) => (Some(p), Grain::of(p.kind())),
            None => (None, default_grain(v, sc.entity, m0)),
        },
    };
    Some(ChartKey {
        kind,
        entity: sc.entity,
        metrics,
        period,
        grain,
        by: sc.by.filter(|_| kind == Kind::Categories),
    })
}

/// Problems with the charts authors placed: an argument the chart would not
/// use is an error (file and line); a chart that would draw nothing is a
/// warning, so an empty frame never goes out unnoticed.
pub fn check_placed(v: &Viewer) -> Vec<Diagnostic> {
    let site = v.site;
    let mut out = Vec::new();
    let raw = site
        .releases
        .iter()
        .flat_map(|r| &r.release.shortcodes)
        .chain(site.meetings.iter().flat_map(|m| &m.meeting.shortcodes))
        .chain(site.pages.iter().flat_map(|p| &p.page.shortcodes))
        .filter(|sc| sc.kind == ShortcodeKind::Chart && !sc.args.contains_key("name"));
    for sc in raw {
        let composition = sc.args.get("kind").map(String::as_str) == Some("composition");
        let unused = match (composition, sc.args.contains_key("metric")) {
            (true, true) => Some(("metric", "a composition takes `metrics=\"a,b\"`")),
            (false, _) if sc.args.contains_key("metrics") => Some((
                "metrics",
                "only a composition takes several metrics; write `metric=\"...\"`",
            )),
            _ => None,
        };
        if let Some((arg, help)) = unused {
            out.push(
                Diagnostic::error(
                    sc.origin.clone(),
                    format!("this chart does not use `{arg}`"),
                )
                .with_help(help),
            );
        }
    }
    let mut seen = HashSet::new();
    for sc in placed_shortcodes(v) {
        if !seen.insert((&sc.origin.file, sc.origin.pos)) {
            continue;
        }
        let Some(key) = shortcode_chart_key(v, sc) else {
            out.push(Diagnostic::warning(
                sc.origin.clone(),
                "this chart draws nothing: no two children have an attainment to compare",
            ));
            continue;
        };
        if is_empty(v, &key) {
            out.push(
                Diagnostic::warning(
                    sc.origin.clone(),
                    "this chart draws nothing: none of its periods has an actual or a target",
                )
                .with_help("check its entity, metric and period, or remove it"),
            );
        }
    }
    out
}

/// Whether the chart of `key` has nothing to draw.
pub fn is_empty(v: &Viewer, key: &ChartKey) -> bool {
    let e = key.entity;
    let has = |c: &&Tracked| c.actual.is_some() || c.target.is_some();
    match key.kind {
        Kind::Breakdown => key.period.is_none_or(|p| {
            !v.site.hierarchy.children(e).iter().any(|&k| {
                v.report
                    .get(k, key.metrics[0], p)
                    .is_some_and(|c| c.score().is_some())
            })
        }),
        Kind::Composition => key.metrics.iter().all(|&m| {
            let kids = v.site.hierarchy.children(e);
            match key.period {
                Some(p) if !kids.is_empty() => !kids
                    .iter()
                    .any(|&k| v.report.get(k, m, p).is_some_and(|c| c.actual.is_some())),
                _ => !series(v, e, m, key.grain, key.period)
                    .iter()
                    .any(|c| c.actual.is_some()),
            }
        }),
        _ => !series(v, e, key.metrics[0], key.grain, key.period)
            .iter()
            .any(has),
    }
}

/// The charts of `keys` that are also written as PNG images (`charts_png` in
/// `site.yaml`): every chart; or the preview images only (every chart an
/// author placed, the first chart of the home, region and province pages and
/// of each year page); or none. Sparklines never are.
pub fn with_png(v: &Viewer, keys: &[ChartKey], skip_png: bool) -> HashSet<ChartKey> {
    let site = v.site;
    let wanted = |k: &&ChartKey| !skip_png && k.kind != Kind::Sparkline;
    match site.config.charts_png {
        PngPolicy::None => HashSet::new(),
        PngPolicy::All => keys.iter().filter(wanted).cloned().collect(),
        PngPolicy::Previews => {
            let mut previews: HashSet<ChartKey> = placed(v).into_iter().collect();
            for e in (0..site.entities.len()).filter(|&e| site.hierarchy.depth(e) <= 1) {
                previews.extend(entity_charts(v, e).into_iter().next());
            }
            // A year page's first chart: the home's breakdown for the first metric
            // that has one that year (the keys come year by year, metric by metric).
            let mut years_seen = HashSet::new();
            previews.extend(
                keys.iter()
                    .filter(|k| {
                        k.kind == Kind::Breakdown
                            && k.period.is_some_and(|p| p.is_annual())
                            && Some(k.entity) == site.home
                            && years_seen.insert(k.period)
                    })
                    .cloned(),
            );
            previews.retain(|k| wanted(&k));
            previews
        }
    }
}

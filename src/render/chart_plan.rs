//! Which charts the build draws: the charts each page gets without anyone
//! asking, the sparklines of headline cards, the charts authors placed
//! (shortcodes, named charts, release covers), and which of them are also
//! written as PNG images. A chart is identified by a [`ChartKey`]; the same
//! key is drawn once and shared by every page that shows it.

use std::collections::HashSet;

use rayon::prelude::*;
use serde::Serialize;

use super::views::Viewer;
use crate::compute::Tracked;
use crate::model::{Period, PngPolicy};
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

/// Identifies one chart: the same key is drawn once and shared.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ChartKey {
    /// What is drawn.
    pub kind: Kind,
    /// Whose figures.
    pub entity: EntityIdx,
    /// Which metrics (one, except for compositions).
    pub metrics: Vec<MetricIdx>,
    /// For breakdowns and compositions by child: the period.
    pub period: Option<Period>,
    /// For categories: the dimension.
    pub by: Option<usize>,
}

impl ChartKey {
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
            Kind::Sparkline => "sparkline",
            Kind::Categories => "categories",
        };
        let mut s = format!(
            "{}--{}--{kind}",
            v.site.entities[self.entity].id,
            metrics.join("-and-")
        );
        if let Some(p) = self.period {
            s.push_str(&format!("--{p}"));
        }
        if let Some(d) = self.by {
            s.push_str(&format!("--by-{}", v.site.dimensions[d].id));
        }
        s
    }
}

/// Yearly values of (e, m), by period.
pub(super) fn yearly<'a>(v: &Viewer<'a>, e: EntityIdx, m: MetricIdx) -> Vec<&'a Tracked> {
    v.report
        .series(e, m)
        .filter(|c| c.period.is_annual())
        .collect()
}

/// The charts an entity page shows without anyone asking, in order.
pub fn entity_charts(v: &Viewer, e: EntityIdx) -> Vec<ChartKey> {
    let mut out = Vec::new();
    for m in 0..v.site.metrics.len() {
        let series = yearly(v, e, m);
        if series.is_empty() {
            continue;
        }
        let actuals = series.iter().filter(|c| c.actual.is_some()).count();
        let one = vec![m];
        if actuals >= 4 {
            out.push(ChartKey {
                by: None,
                kind: Kind::Trend,
                entity: e,
                metrics: one.clone(),
                period: None,
            });
        } else if series.iter().any(|c| c.target.is_some()) || actuals >= 2 {
            // A lone actual with no target says nothing a headline card does not.
            out.push(ChartKey {
                by: None,
                kind: Kind::ActualVsTarget,
                entity: e,
                metrics: one.clone(),
                period: None,
            });
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
        }));
        if let Some(p) = latest_breakdown_period(v, e, m) {
            out.push(ChartKey {
                by: None,
                kind: Kind::Breakdown,
                entity: e,
                metrics: one,
                period: Some(p),
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
    v.report.periods.iter().rev().copied().find(|&p| {
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
    (n >= 2).then(|| ChartKey {
        by: None,
        kind: Kind::Sparkline,
        entity: e,
        metrics: vec![m],
        period: None,
    })
}

/// Every chart the build needs: entity pages, year pages, headline sparklines, shortcodes.
pub fn all(v: &Viewer) -> Vec<ChartKey> {
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
                    keys.push(ChartKey {
                        by: None,
                        kind: Kind::Breakdown,
                        entity: home,
                        metrics: vec![m],
                        period: Some(p),
                    });
                }
            }
        }
    }
    keys.extend(placed(v));
    keys
}

/// Charts that authors placed: shortcodes, named charts and release covers.
fn placed(v: &Viewer) -> Vec<ChartKey> {
    let site = v.site;
    site.releases
        .iter()
        .flat_map(|r| r.shortcodes.iter().chain(&r.cover))
        .chain(site.meetings.iter().flat_map(|m| &m.shortcodes))
        .chain(site.pages.iter().flat_map(|p| &p.shortcodes))
        .chain(site.named_charts.iter().map(|(_, r)| r))
        .filter_map(|sc| shortcode_chart_key(v, sc))
        .collect()
}

/// The chart a `chart` shortcode stands for.
pub fn shortcode_chart_key(v: &Viewer, sc: &Resolved) -> Option<ChartKey> {
    let kind: Kind = sc.chart?.into();
    let metrics = match sc.metric {
        Some(m) => vec![m],
        None => sc.metrics.clone(),
    };
    let period = match kind {
        Kind::Breakdown => sc
            .period
            .or_else(|| latest_breakdown_period(v, sc.entity, metrics[0])),
        Kind::Composition => sc.period,
        _ => None,
    };
    if kind == Kind::Breakdown && period.is_none() {
        return None;
    }
    Some(ChartKey {
        kind,
        entity: sc.entity,
        metrics,
        period,
        by: sc.by.filter(|_| kind == Kind::Categories),
    })
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

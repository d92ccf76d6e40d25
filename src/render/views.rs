//! View models: the computed site as templates see it.
//!
//! Every number appears twice: raw (for machines and custom templates) and
//! formatted in the site's language (for readers). Templates never do
//! arithmetic or formatting of their own.

use std::borrow::Cow;

use serde::Serialize;

use crate::compute::{ContentIndex, Derivation, Report, Status, Tracked};
use crate::format;
use crate::model::{Lang, Metric, Period};
use crate::validate::{EntityIdx, MetricIdx, Site};

use super::i18n;
use crate::urls::Urls;

/// A link: text and URL.
#[derive(Debug, Clone, Serialize)]
pub struct Link {
    /// Visible text.
    pub name: String,
    /// Target URL.
    pub url: String,
}

/// A metric as templates see it.
#[derive(Debug, Clone, Serialize)]
pub struct MetricView {
    /// Id.
    pub id: String,
    /// Name in the site's language.
    pub name: String,
    /// Unit key (`people`, `currency` ...).
    pub unit: &'static str,
    /// Currency code, for currency metrics.
    pub currency: Option<String>,
    /// Description.
    pub description: Option<String>,
}

/// One tracked value, raw and formatted.
#[derive(Debug, Clone, Serialize)]
pub struct CellView {
    /// Period as written (`2016`, `2017-Q1`).
    pub period: String,
    /// Period in words (`Triwulan I 2017`).
    pub period_label: String,
    /// Raw actual.
    pub actual: Option<f64>,
    /// Formatted actual, compact (`Rp956 miliar`), or the "no data" word.
    pub actual_fmt: String,
    /// Formatted actual in full (`Rp956.000.000.000`).
    pub actual_full: String,
    /// Raw target.
    pub target: Option<f64>,
    /// Formatted target, compact.
    pub target_fmt: String,
    /// Formatted target in full.
    pub target_full: String,
    /// How the target was set, in words, when not simply reported.
    pub target_basis: Option<String>,
    /// Raw attainment (ratio).
    pub attainment: Option<f64>,
    /// Attainment as a percentage (`117,4%`).
    pub attainment_fmt: String,
    /// Attainment for a bar width, 0-100 (capped).
    pub attainment_bar: f64,
    /// Raw growth over the previous period.
    pub growth: Option<f64>,
    /// Growth, signed (`+17,4%`).
    pub growth_fmt: String,
    /// Growth the target asks for over the previous actual (`+15,0%`).
    pub target_growth_fmt: String,
    /// Raw change over the previous period.
    pub change: Option<f64>,
    /// Change, formatted.
    pub change_fmt: String,
    /// Raw gap to target.
    pub gap: Option<f64>,
    /// Difference from target as a reader expects it (actual - target, signed).
    pub gap_fmt: String,
    /// Status key (`achieved`, `on_track` ...).
    pub status: &'static str,
    /// Status in words.
    pub status_label: &'static str,
    /// Status symbol.
    pub status_symbol: &'static str,
    /// Multi-year progress key, when one applies.
    pub progress: Option<&'static str>,
    /// Multi-year progress in words.
    pub progress_label: Option<&'static str>,
    /// Whether the period was in progress when measured.
    pub in_progress: bool,
    /// Date measured, formatted.
    pub as_of_fmt: Option<String>,
    /// Expected share of the period elapsed, formatted.
    pub expected_fmt: Option<String>,
    /// Whether the actual was summed from the breakdown.
    pub aggregated: bool,
    /// Sources.
    pub sources: Vec<String>,
    /// Note.
    pub note: Option<String>,
    /// Whether the figure is internal.
    pub internal: bool,
}

/// What a headline card shows for one metric.
#[derive(Debug, Clone, Copy)]
pub struct Headline<'a> {
    /// The latest period with a final actual.
    pub latest: Option<&'a Tracked>,
    /// A later period still in progress (year-to-date actual).
    pub current: Option<&'a Tracked>,
    /// The first later period with a target and no actual yet.
    pub next: Option<&'a Tracked>,
}

/// The view-building context: the site, its report, and how to write numbers.
pub struct Viewer<'a> {
    /// The validated site.
    pub site: &'a Site,
    /// The computed report.
    pub report: &'a Report,
    /// Years and taxonomies.
    pub index: &'a ContentIndex,
    /// The site's language.
    pub lang: Lang,
    /// URL builder.
    pub urls: &'a Urls,
    /// Every tracked value of the report, formatted ([`Viewer::cell_views`];
    /// empty while they are being made).
    pub cells: &'a [CellView],
    /// Every chart drawn for this build (empty while the charts are being drawn).
    pub charts:
        &'a std::collections::BTreeMap<super::chart_views::ChartKey, super::chart_views::ChartView>,
}

impl<'a> Viewer<'a> {
    /// The drawn chart for `key`, if it was drawn.
    pub fn chart(
        &self,
        key: &super::chart_views::ChartKey,
    ) -> Option<&'a super::chart_views::ChartView> {
        self.charts.get(key)
    }

    /// A word from the interface string table.
    pub fn t(&self, key: &str) -> &'static str {
        i18n::text(key, self.lang).unwrap_or("?")
    }

    /// An entity's name in the site's language.
    pub fn entity_name(&self, e: EntityIdx) -> String {
        self.site.entities[e].name.get(self.lang).to_string()
    }

    /// A link to an entity's page.
    pub fn entity_link(&self, e: EntityIdx) -> Link {
        Link {
            name: self.entity_name(e),
            url: self.urls.entity(&self.site.entities[e].id),
        }
    }

    /// A metric's view.
    pub fn metric(&self, m: MetricIdx) -> MetricView {
        let metric = &self.site.metrics[m];
        MetricView {
            id: metric.id.clone(),
            name: metric.name.get(self.lang).to_string(),
            unit: metric.unit.as_str(),
            currency: metric.currency.clone(),
            description: metric
                .description
                .as_ref()
                .map(|d| d.get(self.lang).to_string()),
        }
    }

    /// Formats a value of metric `m`, compact or full; the "no data" word for `None`.
    pub fn value(&self, m: &Metric, v: Option<f64>, compact: bool) -> String {
        match v {
            Some(v) => format::value(v, m.unit, m.currency.as_deref(), self.lang, compact),
            None => self.t("no_data").to_string(),
        }
    }

    /// The view of one tracked value, borrowed from [`Viewer::cells`] when
    /// the value is one of the report's.
    pub fn cell(&self, c: &Tracked) -> Cow<'a, CellView> {
        match self.report.position(c).and_then(|i| self.cells.get(i)) {
            Some(view) => Cow::Borrowed(view),
            None => Cow::Owned(self.cell_view(c)),
        }
    }

    /// The shared view of `c`, if it is one of the report's values.
    pub fn shared_cell(&self, c: &Tracked) -> Option<&'a CellView> {
        self.report.position(c).and_then(|i| self.cells.get(i))
    }

    /// Every tracked value of the report as a view, in the report's order:
    /// built once per build (in parallel), then borrowed by every page,
    /// chart table and shortcode that shows it.
    pub fn cell_views(&self) -> Vec<CellView> {
        use rayon::prelude::*;
        self.report
            .cells
            .par_iter()
            .map(|c| self.cell_view(c))
            .collect()
    }

    /// Formats one tracked value (see [`Viewer::cell`] for the shared copy).
    fn cell_view(&self, c: &Tracked) -> CellView {
        let m = &self.site.metrics[c.metric];
        let lang = self.lang;
        let pct = |v: Option<f64>| {
            v.map(|v| format::percent(v, lang, 1))
                .unwrap_or_else(|| format::MISSING.to_string())
        };
        let target_basis = match (c.target_from, c.target_growth, c.target_stated) {
            (Some(Derivation::FromGrowth), Some(g), Some(stated)) => Some(format!(
                "{} {}, {} {}",
                self.t("growth_target"),
                format::signed_percent(g, lang, 1),
                self.t("stated_as"),
                format::value(stated, m.unit, m.currency.as_deref(), lang, true)
            )),
            (Some(Derivation::FromGrowth), Some(g), None) => Some(format!(
                "{} {}",
                self.t("growth_target"),
                format::signed_percent(g, lang, 1)
            )),
            (Some(Derivation::Aggregated), ..) => Some(self.t("aggregated").to_string()),
            _ => None,
        };
        let signed_value = |v: Option<f64>| match v {
            Some(v) if v > 0.0 => format!(
                "+{}",
                format::value(v, m.unit, m.currency.as_deref(), lang, true)
            ),
            Some(v) => format::value(v, m.unit, m.currency.as_deref(), lang, true),
            None => format::MISSING.to_string(),
        };
        let in_progress = c.as_of.is_some_and(|d| d < c.period.end_date());
        CellView {
            period: c.period.to_string(),
            period_label: format::period(c.period, lang),
            actual: c.actual,
            actual_fmt: self.value(m, c.actual, true),
            actual_full: self.value(m, c.actual, false),
            target: c.target,
            target_fmt: self.value(m, c.target, true),
            target_full: self.value(m, c.target, false),
            target_basis,
            attainment: c.attainment,
            attainment_fmt: pct(c.attainment),
            attainment_bar: c
                .attainment
                .map(|a| (a * 100.0).clamp(0.0, 100.0))
                .unwrap_or(0.0),
            growth: c.growth,
            growth_fmt: c
                .growth
                .map(|g| format::signed_percent(g, lang, 1))
                .unwrap_or_else(|| format::MISSING.to_string()),
            target_growth_fmt: c
                .required_growth
                .map(|g| format::signed_percent(g, lang, 1))
                .unwrap_or_else(|| format::MISSING.to_string()),
            change: c.change,
            change_fmt: signed_value(c.change),
            gap: c.gap,
            // Shown as actual - target: "+Rp142 miliar" is above target.
            gap_fmt: signed_value(c.gap.map(|g| -g)),
            status: c.status.key(),
            status_label: self.status_label(c),
            status_symbol: c.status.symbol(),
            progress: c.progress.map(|p| p.key()),
            progress_label: c.progress.map(|p| self.t(p.key())),
            in_progress,
            as_of_fmt: c
                .as_of
                .filter(|_| in_progress)
                .map(|d| format::date_medium(d, lang)),
            expected_fmt: c.expected.map(|e| format::percent(e, lang, 0)),
            aggregated: c.actual_from == Some(Derivation::Aggregated),
            sources: c.sources.clone(),
            note: c.note.as_ref().map(|n| n.get(lang).to_string()),
            internal: c.audience == crate::model::Audience::Internal,
        }
    }

    /// The headline of (e, m): the latest full period with an actual, a
    /// later period in progress, and the first later period with only a target.
    pub fn headline(&self, e: EntityIdx, m: MetricIdx) -> Headline<'a> {
        let series: Vec<&Tracked> = self
            .report
            .series(e, m)
            .filter(|c| matches!(c.period, Period::Year(_)))
            .collect();
        let in_progress = |c: &Tracked| c.as_of.is_some_and(|d| d < c.period.end_date());
        let latest = series
            .iter()
            .rev()
            .find(|c| c.actual.is_some() && !in_progress(c))
            .copied();
        let current = series
            .iter()
            .rev()
            .find(|c| {
                c.actual.is_some() && in_progress(c) && latest.is_none_or(|l| c.period > l.period)
            })
            .copied();
        let next = series
            .iter()
            .find(|c| {
                c.target.is_some()
                    && c.actual.is_none()
                    && latest.is_none_or(|l| c.period > l.period)
            })
            .copied();
        Headline {
            latest,
            current,
            next,
        }
    }

    /// Children of `e` with their value for (m, p), best attainment first; no-data last.
    pub fn ranking(&self, e: EntityIdx, m: MetricIdx, p: Period) -> Vec<(EntityIdx, &'a Tracked)> {
        let mut rows: Vec<(EntityIdx, &Tracked)> = self
            .site
            .hierarchy
            .children(e)
            .iter()
            .filter_map(|&k| self.report.get(k, m, p).map(|c| (k, c)))
            .collect();
        rows.sort_by(|a, b| {
            let key = |c: &Tracked| c.attainment.map(|x| -x).unwrap_or(f64::INFINITY);
            key(a.1)
                .total_cmp(&key(b.1))
                .then_with(|| self.site.entities[a.0].id.cmp(&self.site.entities[b.0].id))
        });
        rows
    }

    /// The status in words, saying why when there is no status ("no target", "no actual yet").
    pub fn status_label(&self, c: &Tracked) -> &'static str {
        match (c.status, c.actual, c.target) {
            (Status::NoData, Some(_), None) => self.t("no_target"),
            (Status::NoData, None, Some(_)) => self.t("no_actual_yet"),
            (s, ..) => self.t(s.key()),
        }
    }

    /// Status word with its symbol (`✓ Tercapai`).
    pub fn status_text(&self, s: Status) -> String {
        format!("{} {}", s.symbol(), self.t(s.key()))
    }
}

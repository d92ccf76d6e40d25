//! Every computed value, formatted once per build in the site's language:
//! the raw number (for machines and custom templates) beside its words and
//! signs (for readers). Templates never do arithmetic or formatting of their own.

use rayon::prelude::*;
use serde::Serialize;

use super::i18n;
use crate::compute::{Derivation, Report, Status, Tracked};
use crate::format;
use crate::model::{Lang, Metric};
use crate::validate::Site;

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

/// Every tracked value of `report` formatted, in the report's order: built
/// once per build (in parallel), then borrowed by every page, chart table
/// and shortcode that shows it.
pub fn format_all(site: &Site, report: &Report, lang: Lang) -> Vec<CellView> {
    report
        .cells
        .par_iter()
        .map(|c| format(site, lang, c))
        .collect()
}

/// A value of metric `m`, compact or full; the "no data" word for `None`.
pub fn value(m: &Metric, v: Option<f64>, lang: Lang, compact: bool) -> String {
    match v {
        Some(v) => format::value(v, m.unit, m.currency.as_deref(), lang, compact),
        None => i18n::text("no_data", lang).unwrap_or("?").to_string(),
    }
}

/// The status in words, saying why when there is no status ("no target", "no actual yet").
pub fn status_label(lang: Lang, c: &Tracked) -> &'static str {
    let key = match (c.status, c.actual, c.target) {
        (Status::NoData, Some(_), None) => "no_target",
        (Status::NoData, None, Some(_)) => "no_actual_yet",
        (s, ..) => s.key(),
    };
    i18n::text(key, lang).unwrap_or("?")
}

/// Formats one tracked value of `site` in `lang`.
pub fn format(site: &Site, lang: Lang, c: &Tracked) -> CellView {
    let m = &site.metrics[c.metric];
    let t = |key: &str| i18n::text(key, lang).unwrap_or("?");
    let pct = |v: Option<f64>| {
        v.map(|v| format::percent(v, lang, 1))
            .unwrap_or_else(|| format::MISSING.to_string())
    };
    let target_basis = match (c.target_from, c.target_growth, c.target_stated) {
        (Some(Derivation::FromGrowth), Some(g), Some(stated)) => Some(format!(
            "{} {}, {} {}",
            t("growth_target"),
            format::signed_percent(g, lang, 1),
            t("stated_as"),
            format::value(stated, m.unit, m.currency.as_deref(), lang, true)
        )),
        (Some(Derivation::FromGrowth), Some(g), None) => Some(format!(
            "{} {}",
            t("growth_target"),
            format::signed_percent(g, lang, 1)
        )),
        (Some(Derivation::Aggregated), ..) => Some(t("aggregated").to_string()),
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
        actual_fmt: value(m, c.actual, lang, true),
        actual_full: value(m, c.actual, lang, false),
        target: c.target,
        target_fmt: value(m, c.target, lang, true),
        target_full: value(m, c.target, lang, false),
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
        status_label: status_label(lang, c),
        status_symbol: c.status.symbol(),
        progress: c.progress.map(|p| p.key()),
        progress_label: c.progress.map(|p| t(p.key())),
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

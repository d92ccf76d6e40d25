//! Downloads: every entity's and every year's figures, and the whole data
//! set, as CSV and JSON. Machine columns stay raw (numbers, ISO periods);
//! `*_display` columns are formatted in the site's language.

use serde::Serialize;

use super::views::Viewer;
use crate::compute::Tracked;
use crate::format;

/// One row of a download.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    /// Entity id.
    pub entity: String,
    /// Entity name in the site's language.
    pub entity_name: String,
    /// Metric id.
    pub metric: String,
    /// Metric name.
    pub metric_name: String,
    /// Unit.
    pub unit: &'static str,
    /// Currency code, for money.
    pub currency: String,
    /// Period (`2016`, `2017-Q1`).
    pub period: String,
    /// Actual, raw.
    pub actual: Option<f64>,
    /// Target, raw.
    pub target: Option<f64>,
    /// Attainment (ratio), raw.
    pub attainment: Option<f64>,
    /// Growth over the previous period (ratio), raw.
    pub growth: Option<f64>,
    /// Status key.
    pub status: &'static str,
    /// How the actual was obtained (`reported`, `aggregated`).
    pub actual_from: String,
    /// Date measured for a period in progress (ISO).
    pub as_of: String,
    /// Sources, joined with `; `.
    pub source: String,
    /// Actual, formatted.
    pub actual_display: String,
    /// Target, formatted.
    pub target_display: String,
    /// Attainment, formatted.
    pub attainment_display: String,
    /// Status in words.
    pub status_display: String,
}

/// The download row of one tracked value.
pub fn row(v: &Viewer, c: &Tracked) -> Row {
    let m = &v.site.metrics[c.metric];
    Row {
        entity: v.site.entities[c.entity].id.clone(),
        entity_name: v.entity_name(c.entity),
        metric: m.id.clone(),
        metric_name: m.name.get(v.lang).to_string(),
        unit: m.unit.as_str(),
        currency: m.currency.clone().unwrap_or_default(),
        period: c.period.to_string(),
        actual: c.actual,
        target: c.target,
        attainment: c.attainment,
        growth: c.growth,
        status: c.status.key(),
        actual_from: c
            .actual_from
            .map(|d| format!("{d:?}").to_lowercase())
            .unwrap_or_default(),
        as_of: c.as_of.map(|d| d.to_string()).unwrap_or_default(),
        source: c.sources.join("; "),
        actual_display: c
            .actual
            .map(|a| format::value(a, m.unit, m.currency.as_deref(), v.lang, false))
            .unwrap_or_default(),
        target_display: c
            .target
            .map(|t| format::value(t, m.unit, m.currency.as_deref(), v.lang, false))
            .unwrap_or_default(),
        attainment_display: c
            .attainment
            .map(|a| format::percent(a, v.lang, 1))
            .unwrap_or_default(),
        status_display: v.status_label(c).to_string(),
    }
}

fn raw(v: Option<f64>) -> String {
    match v {
        None => String::new(),
        Some(x) if x.fract() == 0.0 && x.abs() < 1e15 => format!("{x:.0}"),
        Some(x) => format!("{x}"),
    }
}

/// The rows as CSV (RFC 4180, header row, `\n` line ends).
pub fn to_csv(rows: &[Row]) -> Vec<u8> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    let _ = w.write_record([
        "entity",
        "entity_name",
        "metric",
        "metric_name",
        "unit",
        "currency",
        "period",
        "actual",
        "target",
        "attainment",
        "growth",
        "status",
        "actual_from",
        "as_of",
        "source",
        "actual_display",
        "target_display",
        "attainment_display",
        "status_display",
    ]);
    for r in rows {
        let _ = w.write_record([
            r.entity.as_str(),
            &r.entity_name,
            &r.metric,
            &r.metric_name,
            r.unit,
            &r.currency,
            &r.period,
            &raw(r.actual),
            &r.target.map(|t| raw(Some(t))).unwrap_or_default(),
            &r.attainment.map(|a| format!("{a}")).unwrap_or_default(),
            &r.growth.map(|g| format!("{g}")).unwrap_or_default(),
            r.status,
            &r.actual_from,
            &r.as_of,
            &r.source,
            &r.actual_display,
            &r.target_display,
            &r.attainment_display,
            &r.status_display,
        ]);
    }
    w.into_inner().unwrap_or_default()
}

/// The rows as compact JSON, one row a line: `{"figures": [...]}`.
pub fn to_json(rows: &[Row]) -> Vec<u8> {
    let mut out = Vec::with_capacity(rows.len() * 400);
    out.extend_from_slice(b"{\"figures\": [\n");
    for (i, r) in rows.iter().enumerate() {
        if i > 0 {
            out.extend_from_slice(b",\n");
        }
        serde_json::to_writer(&mut out, r).unwrap_or_default();
    }
    out.extend_from_slice(b"\n]}\n");
    out
}

//! Charts of the computed site, drawn: their titles, descriptions and data
//! tables in the site's language, and the inputs the drawing code in
//! [`super::charts`] needs. Each unique chart is drawn once
//! per build, in parallel, and shared by every page that shows it.

use std::collections::BTreeMap;

use rayon::prelude::*;
use serde::Serialize;

use super::chart_plan::{self, ChartKey, Kind, yearly};
use super::charts::{self, BreakdownRow, ChartStatus, Labels, PeriodBar, Stack, TrendPoint};
use super::views::Viewer;
use crate::compute::Status;
use crate::format;
use crate::model::Period;

/// A data table: the chart's numbers as text, for readers who cannot see it.
#[derive(Debug, Clone, Default, Serialize)]
pub struct DataTable {
    /// Column headings.
    pub columns: Vec<String>,
    /// Rows of cells.
    pub rows: Vec<Vec<String>>,
}

/// A drawn chart, as templates see it.
#[derive(Debug, Clone, Serialize)]
pub struct ChartView {
    /// Stable file name stem (`sulawesi-maluku--contributions--actual-vs-target`).
    pub slug: String,
    /// Kind.
    pub kind: Kind,
    /// Title (also the SVG `<title>`).
    pub title: String,
    /// Description (also the SVG `<desc>`).
    pub desc: String,
    /// The SVG document, to inline in the page.
    pub svg: String,
    /// URL of the SVG file.
    pub svg_url: String,
    /// URL of the PNG file, when one is written.
    pub png_url: Option<String>,
    /// The same data as a table.
    pub table: DataTable,
}

/// The chart's mirror of a status.
fn chart_status(s: Status) -> ChartStatus {
    match s {
        Status::Achieved => ChartStatus::Achieved,
        Status::Nearly => ChartStatus::Nearly,
        Status::Missed => ChartStatus::Missed,
        Status::Ahead => ChartStatus::Ahead,
        Status::OnPace => ChartStatus::OnPace,
        Status::Behind => ChartStatus::Behind,
        Status::FarBehind => ChartStatus::FarBehind,
        Status::NoData => ChartStatus::NoData,
    }
}

/// Every chart drawn for a build, by key.
pub type Charts = BTreeMap<ChartKey, ChartView>;

/// Draws every chart the build needs (see [`chart_plan`]),
/// with a PNG for those the site's `charts_png` asks for (none if `skip_png`).
pub fn draw_site(v: &Viewer, skip_png: bool) -> Charts {
    let keys = chart_plan::all(v);
    let png = chart_plan::with_png(v, &keys, skip_png);
    draw_all(v, keys, &|k| png.contains(k))
}

/// Draws every chart in `keys` once, in parallel; `png` says which get a PNG.
pub fn draw_all(
    v: &Viewer,
    keys: Vec<ChartKey>,
    png: &(dyn Fn(&ChartKey) -> bool + Sync),
) -> Charts {
    let mut keys = keys;
    keys.sort();
    keys.dedup();
    keys.into_par_iter()
        .map(|k| {
            let view = draw(v, &k, png(&k));
            (k, view)
        })
        .collect()
}

/// Draws one chart.
pub fn draw(v: &Viewer, key: &ChartKey, with_png: bool) -> ChartView {
    let lang = v.lang;
    let e = key.entity;
    let ename = v.entity_name(e);
    let slug = key.slug(v);
    let svg_url = v.urls.chart(&format!("{slug}.svg"));
    let png_url = with_png.then(|| svg_url.replace(".svg", ".png"));
    let m0 = key.metrics[0];
    let metric = &v.site.metrics[m0];
    let mname = metric.name.get(lang).to_string();
    let ticks = |x: f64| format::value_short(x, metric.unit, metric.currency.as_deref(), lang);
    let val = |x: Option<f64>| v.value(metric, x, true);
    // A period in progress is labelled with the months it covers (`Jan–Jun 2017`).
    let period_label = |c: &crate::compute::Tracked| {
        v.cell(c)
            .span_label
            .clone()
            .unwrap_or_else(|| format::period(c.period, lang))
    };
    let (title, desc, svg, table) = match key.kind {
        Kind::ActualVsTarget | Kind::Trend | Kind::Sparkline => {
            let series = yearly(v, e, m0);
            let mut table = DataTable {
                columns: vec![
                    v.t("period").into(),
                    v.t("actual").into(),
                    v.t("target").into(),
                    v.t("attainment").into(),
                    v.t("status").into(),
                ],
                rows: Vec::new(),
            };
            let mut facts = Vec::new();
            for c in &series {
                let cell = v.cell(c);
                table.rows.push(vec![
                    cell.period_label.clone(),
                    cell.actual_fmt.clone(),
                    cell.target_fmt.clone(),
                    cell.attainment_fmt.clone(),
                    cell.status_label.to_string(),
                ]);
                let mut f = format!(
                    "{}: {} {}",
                    cell.period_label,
                    v.t("actual").to_lowercase(),
                    cell.actual_fmt
                );
                if c.target.is_some() {
                    f.push_str(&format!(
                        ", {} {}",
                        v.t("target").to_lowercase(),
                        cell.target_fmt
                    ));
                }
                if c.attainment.is_some() {
                    f.push_str(&format!(
                        " ({}, {})",
                        cell.attainment_fmt, cell.status_label
                    ));
                }
                facts.push(f);
            }
            let (title, what) = match key.kind {
                Kind::ActualVsTarget => (
                    format!("{mname}, {ename}: {}", v.t("chart_avt")),
                    v.t("chart_avt_desc"),
                ),
                Kind::Trend => (
                    format!("{mname}, {ename}: {}", v.t("chart_trend")),
                    v.t("chart_trend_desc"),
                ),
                _ => (
                    format!("{mname}, {ename}: {}", v.t("chart_trend")),
                    v.t("chart_spark_desc"),
                ),
            };
            let desc = format!("{what} {}.", facts.join("; "));
            let labels = Labels {
                title: title.clone(),
                desc: desc.clone(),
            };
            let svg = match key.kind {
                Kind::ActualVsTarget => {
                    let bars: Vec<PeriodBar> = series
                        .iter()
                        .map(|c| PeriodBar {
                            label: period_label(c),
                            actual: c.actual,
                            target: c.target,
                            value_label: c.actual.map(|a| val(Some(a))).unwrap_or_default(),
                            status: chart_status(c.status),
                            in_progress: c.as_of.is_some_and(|d| d < c.period.end_date()),
                        })
                        .collect();
                    charts::actual_vs_target(&labels, &bars, &ticks)
                }
                Kind::Trend => {
                    let points: Vec<TrendPoint> = series
                        .iter()
                        .map(|c| TrendPoint {
                            label: period_label(c),
                            actual: c.actual,
                            target: c.target,
                            in_progress: c.as_of.is_some_and(|d| d < c.period.end_date()),
                        })
                        .collect();
                    charts::trend(&labels, &points, &ticks)
                }
                _ => {
                    // A period in progress is left out: its part-year value would read as a drop.
                    let values: Vec<Option<f64>> = series
                        .iter()
                        .filter(|c| !c.in_progress())
                        .map(|c| c.actual)
                        .collect();
                    charts::sparkline(&labels, &values)
                }
            };
            (title, desc, svg, table)
        }
        Kind::Breakdown => {
            let p = key.period.expect("breakdowns have a period");
            let ranked = v.ranking(e, m0, p);
            let mut table = DataTable {
                columns: vec![
                    v.t("entity").into(),
                    v.t("actual").into(),
                    v.t("target").into(),
                    v.t("attainment").into(),
                    v.t("status").into(),
                ],
                rows: Vec::new(),
            };
            let mut rows = Vec::new();
            let mut facts = Vec::new();
            for (k, c) in &ranked {
                let cell = v.cell(c);
                let name = v.entity_name(*k);
                table.rows.push(vec![
                    name.clone(),
                    cell.actual_fmt.clone(),
                    cell.target_fmt.clone(),
                    cell.attainment_fmt.clone(),
                    cell.status_label.to_string(),
                ]);
                facts.push(format!(
                    "{name} {} ({})",
                    cell.attainment_fmt, cell.status_label
                ));
                rows.push(BreakdownRow {
                    name,
                    attainment: c.score(),
                    value_label: if let (true, Some(pace)) = (cell.in_progress, &cell.pace_fmt) {
                        format!("{pace} {} {}", cell.status_symbol, cell.status_label)
                    } else if c.attainment.is_some() {
                        format!(
                            "{} {} {}",
                            cell.attainment_fmt, cell.status_symbol, cell.status_label
                        )
                    } else {
                        format!("{} {}", cell.status_symbol, cell.status_label)
                    },
                    status: chart_status(c.status),
                });
            }
            // In a period in progress the bars are each child's pace, not its attainment.
            let in_progress = ranked.iter().any(|(_, c)| c.in_progress());
            let title = format!(
                "{mname} {}, {ename}: {} {}",
                format::period(p, lang),
                if in_progress {
                    v.t("pace").to_lowercase()
                } else {
                    v.t("chart_breakdown").to_string()
                },
                v.children_label(e)
            );
            let what = if in_progress {
                v.t("chart_breakdown_pace_desc")
            } else {
                v.t("chart_breakdown_desc")
            };
            let desc = format!("{what} {}.", facts.join("; "));
            let labels = Labels {
                title: title.clone(),
                desc: desc.clone(),
            };
            let svg = charts::breakdown(&labels, &rows, &format::percent(1.0, lang, 0));
            (title, desc, svg, table)
        }
        Kind::Categories => categories(v, key, &ticks),
        Kind::Composition => {
            let names: Vec<String> = key
                .metrics
                .iter()
                .map(|&m| v.site.metrics[m].name.get(lang).to_string())
                .collect();
            let mut table = DataTable {
                columns: vec![String::new()],
                rows: Vec::new(),
            };
            table.columns[0] = if key.period.is_some() {
                v.t("entity").into()
            } else {
                v.t("period").into()
            };
            table.columns.extend(names.iter().cloned());
            // By child for one period, or by period for the entity itself.
            let cats: Vec<(String, Vec<Option<f64>>)> = match key.period {
                Some(p) if !v.site.hierarchy.children(e).is_empty() => v
                    .site
                    .hierarchy
                    .children(e)
                    .iter()
                    .map(|&k| {
                        (
                            v.entity_name(k),
                            key.metrics
                                .iter()
                                .map(|&m| v.report.get(k, m, p).and_then(|c| c.actual))
                                .collect(),
                        )
                    })
                    .collect(),
                _ => {
                    let mut periods: Vec<Period> = key
                        .metrics
                        .iter()
                        .flat_map(|&m| {
                            yearly(v, e, m)
                                .into_iter()
                                .filter(|c| c.actual.is_some())
                                .map(|c| c.period)
                        })
                        .collect();
                    periods.sort();
                    periods.dedup();
                    periods
                        .into_iter()
                        .map(|p| {
                            (
                                format::period(p, lang),
                                key.metrics
                                    .iter()
                                    .map(|&m| v.report.get(e, m, p).and_then(|c| c.actual))
                                    .collect(),
                            )
                        })
                        .collect()
                }
            };
            let stacks: Vec<Stack> = cats
                .iter()
                .map(|(l, parts)| Stack {
                    label: l.clone(),
                    parts: parts.iter().map(|x| x.unwrap_or(0.0)).collect(),
                })
                .collect();
            for (l, parts) in &cats {
                let mut row = vec![l.clone()];
                row.extend(
                    parts
                        .iter()
                        .zip(&key.metrics)
                        .map(|(x, &m)| v.value(&v.site.metrics[m], *x, true)),
                );
                table.rows.push(row);
            }
            let title = match key.period {
                Some(p) => format!("{}, {ename} {}", names.join(" + "), format::period(p, lang)),
                None => format!("{}, {ename}", names.join(" + ")),
            };
            let facts: Vec<String> = table
                .rows
                .iter()
                .map(|r| format!("{}: {}", r[0], r[1..].join(" + ")))
                .collect();
            let desc = format!("{} {}.", v.t("chart_composition_desc"), facts.join("; "));
            let labels = Labels {
                title: title.clone(),
                desc: desc.clone(),
            };
            let svg = charts::composition(&labels, &names, &stacks, &ticks);
            (title, desc, svg, table)
        }
    };
    ChartView {
        slug,
        kind: key.kind,
        title,
        desc,
        svg,
        svg_url,
        png_url,
        table,
    }
}

/// A metric of one entity broken down by one dimension: a stacked bar per
/// period, one part per category, and the same numbers as a table.
fn categories(
    v: &Viewer,
    key: &ChartKey,
    ticks: &(dyn Fn(f64) -> String + Sync),
) -> (String, String, String, DataTable) {
    let lang = v.lang;
    let (e, m) = (key.entity, key.metrics[0]);
    let d = key.by.expect("a categories chart has a dimension");
    let dim = &v.site.dimensions[d];
    let metric = &v.site.metrics[m];
    let names: Vec<String> = dim
        .categories
        .iter()
        .map(|c| c.name.get(lang).to_string())
        .collect();
    let cells: Vec<&crate::compute::categories::CategoryCell> = v
        .report
        .categories_of(e, m)
        .filter(|c| c.by.len() == 1 && c.by[0].0 == d)
        .collect();
    let mut periods: Vec<Period> = cells.iter().map(|c| c.period).collect();
    periods.sort();
    periods.dedup();
    let mut table = DataTable {
        columns: vec![v.t("period").into()],
        rows: Vec::new(),
    };
    table.columns.extend(names.iter().cloned());
    let mut stacks = Vec::new();
    for &p in &periods {
        let parts: Vec<Option<f64>> = (0..dim.categories.len())
            .map(|k| {
                cells
                    .iter()
                    .find(|c| c.period == p && c.by[0].1 == k)
                    .and_then(|c| c.actual)
            })
            .collect();
        let mut row = vec![format::period(p, lang)];
        row.extend(parts.iter().map(|x| v.value(metric, *x, true)));
        table.rows.push(row);
        stacks.push(Stack {
            label: format::period(p, lang),
            parts: parts.iter().map(|x| x.unwrap_or(0.0)).collect(),
        });
    }
    let title = format!(
        "{}, {}: {} {}",
        metric.name.get(lang),
        v.entity_name(e),
        v.t("by_level"),
        dim.name.get(lang).to_lowercase()
    );
    let facts: Vec<String> = table
        .rows
        .iter()
        .map(|r| {
            let parts: Vec<String> = names
                .iter()
                .zip(&r[1..])
                .map(|(n, x)| format!("{n} {x}"))
                .collect();
            format!("{}: {}", r[0], parts.join(", "))
        })
        .collect();
    let desc = format!("{} {}.", v.t("chart_composition_desc"), facts.join("; "));
    let labels = Labels {
        title: title.clone(),
        desc: desc.clone(),
    };
    let svg = charts::composition(&labels, &names, &stacks, ticks);
    (title, desc, svg, table)
}

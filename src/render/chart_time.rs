//! Charts over time: actual against target (bars), trends (a line),
//! sparklines, and the year so far month by month ([`so_far`]).

use super::cells::CellView;
use super::chart_plan::{ChartKey, Kind, series};
use super::chart_plot::{Plot, Ticks};
use super::chart_text::{chart_status, finding_over_time, finding_so_far, span_of, subtitle, when};
use super::chart_views::{DataTable, Drawn};
use super::charts::{Cumulative, KeyItem, PeriodBar, Swatch, TrendPoint};
use super::views::Viewer;
use crate::compute::{Tracked, cumulative_expected};
use crate::format;

/// The axis ticks of metric `m` in the site's language.
pub(super) fn ticks_of(v: &Viewer, m: usize) -> Ticks {
    Ticks::of(&v.site.metrics[m], v.lang)
}

/// The columns of a table of periods.
fn period_columns(v: &Viewer) -> Vec<String> {
    ["period", "actual", "target", "attainment", "status"]
        .iter()
        .map(|k| v.t(k).to_string())
        .collect()
}

/// A row of a table of periods.
fn period_row(cell: &CellView) -> Vec<String> {
    vec![
        when(cell),
        cell.actual_fmt.clone(),
        cell.target_fmt.clone(),
        cell.attainment_fmt.clone(),
        format!("{} {}", cell.status_symbol, cell.status_label),
    ]
}

/// A key entry for each status drawn (`✓ Tercapai`), in the order first met.
fn status_items(cells: &[(Swatch, String)]) -> Vec<KeyItem> {
    let mut out: Vec<KeyItem> = Vec::new();
    for (swatch, label) in cells {
        if !out.iter().any(|k| k.swatch == *swatch && k.label == *label) {
            out.push(KeyItem::new(*swatch, label.clone()));
        }
    }
    out
}

/// Actual against target, trend or sparkline of the key's metric over the
/// key's grain.
pub(super) fn over_time<'a>(v: &'a Viewer<'a>, key: &ChartKey) -> Drawn<'a> {
    let (e, m) = (key.entity, key.metrics[0]);
    let metric = &v.site.metrics[m];
    let mname = metric.name.get(v.lang).to_string();
    let ename = v.entity_name(e);
    let cells = series(v, e, m, key.grain, key.period);
    let views: Vec<_> = cells.iter().map(|c| v.cell(c)).collect();
    let mut table = DataTable {
        columns: period_columns(v),
        rows: Vec::new(),
    };
    let mut facts = Vec::new();
    for (c, cell) in cells.iter().zip(&views) {
        table.rows.push(period_row(cell));
        let mut f = format!(
            "{}: {} {}",
            when(cell),
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
    let what = match key.kind {
        Kind::ActualVsTarget => v.t("chart_avt_desc"),
        Kind::Trend => v.t("chart_trend_desc"),
        _ => v.t("chart_spark_desc"),
    };
    let desc = format!("{what} {}.", facts.join("; "));
    let span = span_of(
        v.lang,
        cells.first().map(|c| c.period),
        cells.last().map(|c| c.period),
    );
    let title = finding_over_time(v, &mname, &cells);
    let sub = subtitle(v, metric, &ename, &span);
    let has_target = cells.iter().any(|c| c.target.is_some());
    let mut key_items = Vec::new();
    let ticks = ticks_of(v, m);
    let plot = match key.kind {
        Kind::ActualVsTarget => {
            let bars: Vec<PeriodBar> = cells
                .iter()
                .zip(&views)
                .map(|(c, cell)| PeriodBar {
                    label: when(cell),
                    actual: c.actual,
                    target: c.target,
                    value_label: c
                        .actual
                        .map(|_| cell.actual_fmt.clone())
                        .unwrap_or_default(),
                    status: chart_status(c.status),
                    symbol: cell.status_symbol.to_string(),
                    in_progress: c.in_progress(),
                })
                .collect();
            let statuses: Vec<(Swatch, String)> = cells
                .iter()
                .zip(&views)
                .filter(|(c, _)| c.actual.is_some())
                .map(|(c, cell)| {
                    let cs = chart_status(c.status);
                    let swatch = if c.in_progress() {
                        Swatch::InProgress(cs)
                    } else {
                        Swatch::Status(cs)
                    };
                    let mut label = format!("{} {}", cell.status_symbol, cell.status_label);
                    if c.in_progress() {
                        label.push_str(&format!(" ({})", v.t("in_progress").to_lowercase()));
                    }
                    (swatch, label)
                })
                .collect();
            key_items = status_items(&statuses);
            if has_target {
                key_items.push(KeyItem::new(Swatch::Target, v.t("target")));
            }
            Plot::ActualVsTarget { bars, ticks }
        }
        Kind::Trend => {
            let points: Vec<TrendPoint> = cells
                .iter()
                .zip(&views)
                .map(|(c, cell)| TrendPoint {
                    label: when(cell),
                    actual: c.actual,
                    target: c.target,
                    value_label: cell.actual_fmt.clone(),
                    target_label: format!("{} {}", v.t("target"), cell.target_fmt),
                    in_progress: c.in_progress(),
                })
                .collect();
            key_items.push(KeyItem::new(Swatch::Actual, v.t("actual")));
            if cells.iter().any(|c| c.in_progress() && c.actual.is_some()) {
                key_items.push(KeyItem::new(Swatch::Current, v.t("in_progress")));
            }
            if has_target {
                key_items.push(KeyItem::new(Swatch::Diamond, v.t("target")));
            }
            Plot::Trend { points, ticks }
        }
        _ => {
            // A period in progress is left out: its part-year value would read as a drop.
            let values: Vec<Option<f64>> = cells
                .iter()
                .filter(|c| !c.in_progress())
                .map(|c| c.actual)
                .collect();
            Plot::Sparkline { values }
        }
    };
    Drawn {
        title,
        subtitle: sub,
        desc,
        key: key_items,
        plot,
        narrow: key.kind != Kind::Sparkline,
        table,
        cells,
    }
}

/// The year so far of a flow: this year's running total month by month,
/// the path to its target, and the year before's running total.
pub(super) fn so_far<'a>(v: &'a Viewer<'a>, key: &ChartKey) -> Drawn<'a> {
    let (e, m) = (key.entity, key.metrics[0]);
    let lang = v.lang;
    let metric = &v.site.metrics[m];
    let mname = metric.name.get(lang).to_string();
    let year = key.period.expect("a year so far has its year");
    let whole = v.report.get(e, m, year);
    let target = whole.and_then(|c| c.target);
    let months = year.month_list();
    let before = year.year_earlier().month_list();
    let get = |p| v.report.get(e, m, p);
    let running = |ps: &[crate::model::Period]| -> Vec<Option<f64>> {
        let mut sum = Some(0.0);
        ps.iter()
            .map(|&p| {
                sum = sum.zip(get(p).and_then(|c| c.actual)).map(|(s, a)| s + a);
                sum
            })
            .collect()
    };
    let this_year = running(&months);
    let last_year = running(&before);
    let month_targets: Vec<Option<f64>> = months
        .iter()
        .map(|&p| get(p).and_then(|c| c.target.or(c.target_stated)))
        .collect();
    let pace = cumulative_expected(metric, year, target, &month_targets);
    let val = |x: Option<f64>| v.value(metric, x, true);
    let cell = whole.map(|c| v.cell(c));
    let this_label = match &cell {
        Some(c) => format!("{} {}", c.actual_fmt, c.status_symbol),
        None => String::new(),
    };
    let last_total = last_year.iter().rev().flatten().next().copied();
    let last_label = last_total
        .map(|t| format!("{}: {}", year.year_earlier(), val(Some(t))))
        .unwrap_or_default();
    let target_label = target
        .map(|t| format!("{} {}", v.t("target"), val(Some(t))))
        .unwrap_or_default();
    let labels: Vec<String> = months
        .iter()
        .map(|p| format::month_short(p.start_month(), lang).to_string())
        .collect();
    let mut table = DataTable {
        columns: vec![
            v.t("period").into(),
            format!("{} {}", v.t("actual"), year),
            v.t("expected").into(),
            format!("{} {}", v.t("actual"), year.year_earlier()),
        ],
        rows: Vec::new(),
    };
    let mut facts = Vec::new();
    for (i, p) in months.iter().enumerate() {
        let (a, x, b) = (this_year[i], pace[i], last_year[i]);
        if a.is_none() && b.is_none() && x.is_none() {
            continue;
        }
        table
            .rows
            .push(vec![format::period(*p, lang), val(a), val(x), val(b)]);
        if let (Some(_), Some(_)) = (a, x) {
            facts.push(format!(
                "{}: {} ({} {})",
                format::period(*p, lang),
                val(a),
                v.t("expected").to_lowercase(),
                val(x)
            ));
        }
    }
    let title = match &cell {
        Some(c) => finding_so_far(v, &mname, c),
        None => mname.clone(),
    };
    let desc = format!("{} {}.", v.t("chart_so_far_desc"), facts.join("; "));
    let sub = subtitle(
        v,
        metric,
        &v.entity_name(e),
        &format!("{}, {}", year, v.t("year_to_date")),
    );
    let status = whole.map(|c| chart_status(c.status)).unwrap_or_default();
    let mut key_items = vec![KeyItem::new(Swatch::Actual, year.to_string())];
    if target.is_some() {
        key_items.push(KeyItem::new(Swatch::Pace, v.t("key_pace")));
        key_items.push(KeyItem::new(
            Swatch::Diamond,
            format!("{} {year}", v.t("target")),
        ));
    }
    if last_total.is_some() {
        key_items.push(KeyItem::new(
            Swatch::LastYear,
            year.year_earlier().to_string(),
        ));
    }
    let data = Cumulative {
        months: labels,
        this_year,
        last_year,
        pace,
        target,
        this_label,
        last_label,
        target_label,
        status,
    };
    let ticks = ticks_of(v, m);
    let mut cells: Vec<&Tracked> = months.iter().filter_map(|&p| get(p)).collect();
    cells.extend(whole);
    Drawn {
        title,
        subtitle: sub,
        desc,
        key: key_items,
        plot: Plot::Cumulative { data, ticks },
        narrow: true,
        table,
        cells,
    }
}

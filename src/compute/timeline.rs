//! Roll-ups through time: months into quarters, quarters into halves and
//! years (or financial years), as the metric moves through time.
//!
//! A flow is summed, a stock takes its last level, a rate is the mean of its
//! months (a quarter counts as three). A longer period is made from a
//! **complete** set of shorter ones; a set that covers only the first months
//! of the period is a **year-to-date** value (its `as_of` is the last day it
//! covers), never passed off as the whole period. A period reported *and*
//! rolled up keeps the reported value; if the two disagree, a warning gives
//! both numbers.

use std::collections::BTreeSet;

use super::{Cells, Derivation, Tracked, plain};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::{Audience, Metric, Period, PeriodKind, TimeKind};
use crate::validate::{EntityIdx, MetricIdx, Site};

/// The annual period of metric `metric` that contains `p`: the financial
/// year when the metric or the site sets one, else the calendar year.
pub(crate) fn annual_of(p: Period, fy_start: Option<u8>) -> Period {
    match fy_start {
        Some(start) => {
            let (y, m) = (p.year(), p.start_month());
            let first = if m >= start { y } else { y - 1 };
            Period::FinancialYear(first, start)
        }
        None => Period::Year(p.year()),
    }
}

/// The financial-year start that applies to `metric` on `site`.
pub(crate) fn fy_start(site: &Site, metric: &Metric) -> Option<u8> {
    metric
        .financial_year_start
        .or(site.config.financial_year_start)
}

/// Which value of a cell a roll-up combines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Value {
    /// The actual.
    Actual,
    /// The target.
    Target,
}

impl Value {
    fn get(self, c: &Tracked) -> Option<f64> {
        match self {
            Value::Actual => c.actual,
            Value::Target => c.target.or(c.target_stated),
        }
    }
}

/// A run of consecutive periods that together cover the first months of a
/// period, and the value they give.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Cover {
    /// The periods, in order.
    pub parts: Vec<Period>,
    /// How many months they cover, from the start.
    pub months: u8,
    /// Their combined value.
    pub value: f64,
}

/// The longest run of whole, finished periods shorter than `p` that covers
/// `p` from its start, with `what` known for each: the largest such period
/// at each step (a half before its quarters, a quarter before its months).
/// `None` if not even the first month is covered.
pub(crate) fn cover(
    cells: &Cells,
    e: EntityIdx,
    m: MetricIdx,
    p: Period,
    what: Value,
    time: TimeKind,
) -> Option<Cover> {
    cover_upto(cells, e, m, p, p.months(), what, time)
}

/// Like [`cover`], but never past the first `limit` months of `p`: the
/// longest run of parts that fits in them (a half is passed over for its
/// quarters or months when only part of it is wanted).
pub(crate) fn cover_upto(
    cells: &Cells,
    e: EntityIdx,
    m: MetricIdx,
    p: Period,
    limit: u8,
    what: Value,
    time: TimeKind,
) -> Option<Cover> {
    let kinds = [PeriodKind::Half, PeriodKind::Quarter, PeriodKind::Month];
    let months = p.month_list();
    let limit = usize::from(limit).min(months.len());
    let mut at = 0usize;
    let mut parts = Vec::new();
    let mut values: Vec<(f64, u8)> = Vec::new();
    'next: while at < limit {
        for kind in kinds {
            let Some(part) = part_starting(months[at], kind) else {
                continue;
            };
            if part.months() >= p.months()
                || !p.contains(part)
                || at + usize::from(part.months()) > limit
            {
                continue;
            }
            let Some(c) = cells.get(&(e, m, part)) else {
                continue;
            };
            // Only a finished part counts: a year-to-date quarter is not a quarter.
            if c.as_of.is_some_and(|d| d < part.end_date()) {
                continue;
            }
            let Some(v) = what.get(c) else { continue };
            parts.push(part);
            values.push((v, part.months()));
            at += part.months() as usize;
            continue 'next;
        }
        break;
    }
    if parts.is_empty() {
        return None;
    }
    let value = combine(&values, time);
    Some(Cover {
        parts,
        months: at as u8,
        value,
    })
}

/// The period of `kind` that starts with `month`, if one does.
fn part_starting(month: Period, kind: PeriodKind) -> Option<Period> {
    let (y, mo) = (month.year(), month.start_month());
    match kind {
        PeriodKind::Month => Some(Period::Month(y, mo)),
        PeriodKind::Quarter if (mo - 1) % 3 == 0 => Some(Period::Quarter(y, (mo - 1) / 3 + 1)),
        PeriodKind::Half if (mo - 1) % 6 == 0 => Some(Period::Half(y, (mo - 1) / 6 + 1)),
        _ => None,
    }
}

/// Combines consecutive values (each with its length in months) as `time` says.
pub(crate) fn combine(values: &[(f64, u8)], time: TimeKind) -> f64 {
    match time {
        TimeKind::Flow => values.iter().map(|(v, _)| v).sum(),
        TimeKind::Stock => values.last().map(|(v, _)| *v).unwrap_or(0.0),
        TimeKind::Rate => {
            let months: f64 = values.iter().map(|(_, n)| *n as f64).sum();
            values.iter().map(|(v, n)| v * *n as f64).sum::<f64>() / months
        }
    }
}

/// Rolls the reported figures of metric `m` up through time, for every entity.
pub(super) fn roll_up(site: &Site, m: MetricIdx, cells: &mut Cells, diags: &mut Diagnostics) {
    let metric = &site.metrics[m];
    let fy = fy_start(site, metric);
    // The longer periods that some shorter reported period falls in, per
    // entity, shortest first: quarters, then halves, then the annual period.
    let mut containers: BTreeSet<(EntityIdx, u8, Period)> = BTreeSet::new();
    for &(e, _, p) in cells.keys() {
        if p.months() < 12 {
            let q = Period::Quarter(p.year(), (p.start_month() - 1) / 3 + 1);
            let h = Period::Half(p.year(), (p.start_month() - 1) / 6 + 1);
            for c in [q, h, annual_of(p, fy)] {
                if c.months() > p.months() {
                    containers.insert((e, 12 - c.months(), c));
                }
            }
        }
    }
    // Shortest first (the key's middle term), so quarters exist before halves and years use them.
    let mut order: Vec<(EntityIdx, u8, Period)> = containers.into_iter().collect();
    order.sort_by_key(|&(e, rank, p)| (std::cmp::Reverse(rank), e, p));
    for (e, _, p) in order {
        roll_one(site, metric, m, e, p, cells, diags);
    }
}

/// Rolls up one period `p` of entity `e` from its parts.
fn roll_one(
    site: &Site,
    metric: &Metric,
    m: MetricIdx,
    e: EntityIdx,
    p: Period,
    cells: &mut Cells,
    diags: &mut Diagnostics,
) {
    let time = metric.time;
    let actual = cover(cells, e, m, p, Value::Actual, time);
    let target = cover(cells, e, m, p, Value::Target, time).filter(|c| c.months == p.months());
    let Some(actual_cover) = actual.as_ref() else {
        if let Some(t) = target {
            set_target(cells, e, m, p, &t);
        }
        return;
    };
    let complete = actual_cover.months == p.months();
    let through = actual_cover.parts.last().copied().unwrap_or(p);
    let as_of = (!complete).then(|| through.end_date());
    let (sources, audience) = provenance(cells, e, m, &actual_cover.parts);
    match cells.get(&(e, m, p)) {
        Some(own) if own.actual.is_some() => {
            let reported = own.actual.unwrap_or_default();
            let comparable = match own.as_of {
                Some(d) if d < p.end_date() => as_of == Some(d),
                _ => complete,
            };
            let tolerance = 1e-9 * reported.abs().max(actual_cover.value.abs()).max(1.0);
            if comparable && (reported - actual_cover.value).abs() > tolerance {
                diags.push(
                    Diagnostic::warning(
                        own.origin.clone().unwrap_or_default(),
                        format!(
                            "`{}` reports {} for `{}` {p}, but its {} add up to {} ({} to {})",
                            site.entities[e].id,
                            plain(reported),
                            metric.id,
                            parts_word(&actual_cover.parts),
                            plain(actual_cover.value),
                            actual_cover.parts[0],
                            through
                        ),
                    )
                    .with_help("correct one of the figures; the reported value is the one shown"),
                );
            }
        }
        _ => {
            let c = cells
                .entry((e, m, p))
                .or_insert_with(|| Tracked::empty(e, m, p));
            c.actual = Some(actual_cover.value);
            c.actual_from = Some(Derivation::RolledUp);
            c.as_of = as_of;
            c.audience = c.audience.max(audience);
            for s in sources {
                if !c.sources.contains(&s) {
                    c.sources.push(s);
                }
            }
        }
    }
    if let Some(t) = target {
        set_target(cells, e, m, p, &t);
    }
}

/// Sets the target of `p` from its parts' targets, unless `p` has its own.
fn set_target(cells: &mut Cells, e: EntityIdx, m: MetricIdx, p: Period, t: &Cover) {
    let c = cells
        .entry((e, m, p))
        .or_insert_with(|| Tracked::empty(e, m, p));
    if c.target.is_none() && c.target_stated.is_none() && c.target_growth.is_none() {
        c.target = Some(t.value);
        c.target_from = Some(Derivation::RolledUp);
    }
}

/// The sources and the most restricted audience of `parts`.
fn provenance(
    cells: &Cells,
    e: EntityIdx,
    m: MetricIdx,
    parts: &[Period],
) -> (Vec<String>, Audience) {
    let mut sources: Vec<String> = Vec::new();
    let mut audience = Audience::Public;
    for p in parts {
        if let Some(c) = cells.get(&(e, m, *p)) {
            for s in &c.sources {
                if !sources.contains(s) {
                    sources.push(s.clone());
                }
            }
            audience = audience.max(c.audience);
        }
    }
    (sources, audience)
}

/// "months", "quarters" or "parts", for a warning.
fn parts_word(parts: &[Period]) -> &'static str {
    let kind = parts[0].kind();
    if parts.iter().all(|p| p.kind() == kind) {
        match kind {
            PeriodKind::Month => "months",
            PeriodKind::Quarter => "quarters",
            PeriodKind::Half => "halves",
            _ => "parts",
        }
    } else {
        "parts"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cells_with(values: &[(Period, f64)]) -> Cells {
        let mut cells = Cells::default();
        for &(p, v) in values {
            let mut t = Tracked::empty(0, 0, p);
            t.actual = Some(v);
            t.actual_from = Some(Derivation::Reported);
            cells.insert((0, 0, p), t);
        }
        cells
    }

    fn months(y: i32, values: &[f64]) -> Vec<(Period, f64)> {
        values
            .iter()
            .enumerate()
            .map(|(i, v)| (Period::Month(y, i as u8 + 1), *v))
            .collect()
    }

    #[test]
    fn twelve_months_of_a_flow_add_up_to_the_year() {
        let cells = cells_with(&months(2023, &[10.0; 12]));
        let c = cover(
            &cells,
            0,
            0,
            Period::Year(2023),
            Value::Actual,
            TimeKind::Flow,
        )
        .unwrap();
        assert_eq!((c.months, c.value), (12, 120.0));
    }

    #[test]
    fn six_months_are_a_year_to_date_not_a_year() {
        let cells = cells_with(&months(2024, &[1.0, 2.0, 3.0, 4.0, 5.0, 6.0]));
        let c = cover(
            &cells,
            0,
            0,
            Period::Year(2024),
            Value::Actual,
            TimeKind::Flow,
        )
        .unwrap();
        assert_eq!((c.months, c.value), (6, 21.0));
        assert_eq!(c.parts.last(), Some(&Period::Month(2024, 6)));
    }

    #[test]
    fn a_missing_month_stops_the_run() {
        let mut v = months(2024, &[1.0; 12]);
        v.remove(2);
        let cells = cells_with(&v);
        let c = cover(
            &cells,
            0,
            0,
            Period::Year(2024),
            Value::Actual,
            TimeKind::Flow,
        )
        .unwrap();
        assert_eq!(
            c.months, 2,
            "March is missing: only January and February count"
        );
    }

    #[test]
    fn a_stock_is_its_last_level_and_a_rate_its_mean_by_months() {
        let cells = cells_with(&[
            (Period::Quarter(2023, 1), 100.0),
            (Period::Quarter(2023, 2), 110.0),
            (Period::Month(2023, 7), 120.0),
        ]);
        let stock = cover(
            &cells,
            0,
            0,
            Period::Year(2023),
            Value::Actual,
            TimeKind::Stock,
        )
        .unwrap();
        assert_eq!((stock.months, stock.value), (7, 120.0));
        let rate = cover(
            &cells,
            0,
            0,
            Period::Year(2023),
            Value::Actual,
            TimeKind::Rate,
        )
        .unwrap();
        assert!((rate.value - (300.0 + 330.0 + 120.0) / 7.0).abs() < 1e-9);
    }

    #[test]
    fn quarters_make_a_financial_year_that_crosses_the_calendar_year() {
        let cells = cells_with(&[
            (Period::Quarter(2016, 2), 1.0),
            (Period::Quarter(2016, 3), 2.0),
            (Period::Quarter(2016, 4), 3.0),
            (Period::Quarter(2017, 1), 4.0),
        ]);
        let fy = annual_of(Period::Quarter(2017, 1), Some(4));
        assert_eq!(fy, Period::FinancialYear(2016, 4));
        let c = cover(&cells, 0, 0, fy, Value::Actual, TimeKind::Flow).unwrap();
        assert_eq!((c.months, c.value), (12, 10.0));
    }

    #[test]
    fn a_year_to_date_quarter_is_not_used_as_a_part() {
        let mut cells = cells_with(&[
            (Period::Quarter(2024, 1), 5.0),
            (Period::Quarter(2024, 2), 3.0),
        ]);
        cells
            .get_mut(&(0, 0, Period::Quarter(2024, 2)))
            .unwrap()
            .as_of = Some(jiff::civil::date(2024, 5, 31));
        let c = cover(
            &cells,
            0,
            0,
            Period::Year(2024),
            Value::Actual,
            TimeKind::Flow,
        )
        .unwrap();
        assert_eq!((c.months, c.value), (3, 5.0));
    }

    #[test]
    fn a_leap_february_counts_as_one_month() {
        let cells = cells_with(&months(2024, &[31.0, 29.0]));
        let c = cover(
            &cells,
            0,
            0,
            Period::Quarter(2024, 1),
            Value::Actual,
            TimeKind::Flow,
        )
        .unwrap();
        assert_eq!(c.parts.last().unwrap().end_date().to_string(), "2024-02-29");
        assert_eq!(c.value, 60.0);
    }
}

/// Roll-ups through the whole compute stage, on small sites.
#[cfg(test)]
mod roll_up_tests {
    use crate::compute::Derivation;
    use crate::compute::fixture::{Computed, REGION, compute, region};
    use crate::model::{Audience, Period};

    fn site(metric: &str, figures: &[String]) -> Computed {
        region(metric, figures)
    }

    /// Month `m` of 2016 with actual `10 × m`.
    fn months(range: std::ops::RangeInclusive<u8>, extra: &str) -> Vec<String> {
        range
            .map(|m| {
                format!(
                    "period: \"2016-{m:02}\", actual: {}{extra}",
                    10 * u32::from(m)
                )
            })
            .collect()
    }

    fn actual(c: &Computed, p: Period) -> Option<f64> {
        c.cell("wilayah", "m", p).and_then(|t| t.actual)
    }

    #[test]
    fn months_of_a_flow_add_up_to_quarters_halves_and_the_year() {
        let c = site("unit: people", &months(1..=12, ""));
        assert_eq!(actual(&c, Period::Quarter(2016, 1)), Some(60.0));
        assert_eq!(actual(&c, Period::Quarter(2016, 2)), Some(150.0));
        assert_eq!(actual(&c, Period::Quarter(2016, 4)), Some(330.0));
        assert_eq!(actual(&c, Period::Half(2016, 1)), Some(210.0));
        assert_eq!(actual(&c, Period::Half(2016, 2)), Some(570.0));
        let y = c.cell("wilayah", "m", Period::Year(2016)).expect("a year");
        assert_eq!((y.actual, y.as_of), (Some(780.0), None));
        assert_eq!(y.actual_from, Some(Derivation::RolledUp));
        assert_eq!(
            y.sources,
            ["Laporan".to_string()],
            "its parts' source, once"
        );
        assert!(c.warnings().is_empty(), "{:?}", c.warnings());
    }

    #[test]
    fn a_stock_is_its_last_level_and_a_rate_the_mean_of_its_months() {
        let c = site("unit: people, time: stock", &months(1..=12, ""));
        assert_eq!(actual(&c, Period::Quarter(2016, 1)), Some(30.0));
        assert_eq!(actual(&c, Period::Half(2016, 2)), Some(120.0));
        assert_eq!(actual(&c, Period::Year(2016)), Some(120.0));
        let c = site("unit: percent", &months(1..=12, ""));
        assert_eq!(actual(&c, Period::Quarter(2016, 2)), Some(50.0));
        assert_eq!(actual(&c, Period::Year(2016)), Some(65.0));
        // Quarters of a rate weigh by their months with months beside them.
        let mixed: Vec<String> = ["period: \"2016-Q1\", actual: 20".to_string()]
            .into_iter()
            .chain(months(4..=6, ""))
            .collect();
        let c = site("unit: percent", &mixed);
        assert_eq!(
            actual(&c, Period::Half(2016, 1)),
            Some((20.0 * 3.0 + 150.0) / 6.0)
        );
    }

    #[test]
    fn a_roll_up_of_an_internal_month_is_internal() {
        let mut figures = months(1..=12, "");
        figures[4].push_str(", audience: internal");
        let records: String = figures
            .iter()
            .map(|f| format!("  - {{entity: wilayah, metric: m, {f}}}\n"))
            .collect();
        let c = compute(
            REGION,
            "  - {id: m, name: Peserta, aggregate: none, unit: people}\n",
            &format!("source: Laporan\nfigures:\n{records}"),
            Audience::Internal,
        );
        let year = c.cell("wilayah", "m", Period::Year(2016)).expect("a year");
        assert_eq!(
            (year.actual, year.audience),
            (Some(780.0), Audience::Internal)
        );
        let q1 = c
            .cell("wilayah", "m", Period::Quarter(2016, 1))
            .expect("Q1");
        assert_eq!(q1.audience, Audience::Public, "May is not in Q1");
    }

    #[test]
    fn quarters_and_halves_roll_up_too() {
        let quarters: Vec<String> = (1..=4)
            .map(|q| format!("period: \"2016-Q{q}\", actual: {}", 100 * q))
            .collect();
        let c = site("unit: people", &quarters);
        assert_eq!(actual(&c, Period::Half(2016, 1)), Some(300.0));
        assert_eq!(actual(&c, Period::Half(2016, 2)), Some(700.0));
        assert_eq!(actual(&c, Period::Year(2016)), Some(1000.0));
        let halves = vec![
            "period: \"2016-H1\", actual: 400".to_string(),
            "period: \"2016-H2\", actual: 500".to_string(),
        ];
        let c = site("unit: people", &halves);
        assert_eq!(actual(&c, Period::Year(2016)), Some(900.0));
    }

    #[test]
    fn the_first_months_are_a_year_to_date_and_a_gap_stops_the_run() {
        let c = site("unit: people", &months(1..=5, ""));
        let y = c
            .cell("wilayah", "m", Period::Year(2016))
            .expect("a year to date");
        assert_eq!(y.actual, Some(150.0));
        assert_eq!(y.as_of, Some(jiff::civil::date(2016, 5, 31)));
        assert_eq!(actual(&c, Period::Quarter(2016, 1)), Some(60.0));
        let q2 = c
            .cell("wilayah", "m", Period::Quarter(2016, 2))
            .expect("to date");
        assert_eq!(
            (q2.actual, q2.as_of),
            (Some(90.0), Some(jiff::civil::date(2016, 5, 31)))
        );
        // Without January, nothing of the year is known.
        let c = site("unit: people", &months(2..=12, ""));
        assert_eq!(actual(&c, Period::Year(2016)), None);
        assert_eq!(actual(&c, Period::Half(2016, 1)), None);
        assert_eq!(actual(&c, Period::Half(2016, 2)), Some(570.0));
    }

    #[test]
    fn targets_roll_up_only_from_a_whole_set() {
        let targets: Vec<String> = (1..=4)
            .map(|q| format!("period: \"2016-Q{q}\", target: {}", 100 * q))
            .collect();
        let c = site("unit: people", &targets);
        let y = c
            .cell("wilayah", "m", Period::Year(2016))
            .expect("a target");
        assert_eq!(
            (y.target, y.target_from),
            (Some(1000.0), Some(Derivation::RolledUp))
        );
        let c = site("unit: people", &targets[..3]);
        assert_eq!(
            c.cell("wilayah", "m", Period::Year(2016))
                .and_then(|y| y.target),
            None
        );
        assert_eq!(
            c.cell("wilayah", "m", Period::Half(2016, 1))
                .and_then(|h| h.target),
            Some(300.0)
        );
    }

    #[test]
    fn a_reported_year_that_differs_from_its_months_is_a_warning_and_stands() {
        let mut figures = months(1..=12, "");
        figures.push("period: 2016, actual: 800".to_string());
        let c = site("unit: people", &figures);
        assert_eq!(
            c.warnings(),
            [
                "`wilayah` reports 800 for `m` 2016, but its halves add up to 780 (2016-H1 to 2016-H2)"
            ]
        );
        assert_eq!(actual(&c, Period::Year(2016)), Some(800.0));
        let mut figures = months(1..=12, "");
        figures.push("period: 2016, actual: 780".to_string());
        assert!(site("unit: people", &figures).warnings().is_empty());
        // A year to date reported at the same day is checked too.
        let mut figures = months(1..=6, "");
        figures.push("period: 2016, actual: 200, as_of: 2016-06-30".to_string());
        let c = site("unit: people", &figures);
        assert_eq!(c.warnings().len(), 1, "{:?}", c.warnings());
        // At another day it is not comparable.
        let mut figures = months(1..=6, "");
        figures.push("period: 2016, actual: 200, as_of: 2016-07-31".to_string());
        assert!(site("unit: people", &figures).warnings().is_empty());
    }

    #[test]
    fn a_year_with_only_a_target_of_its_own_gets_its_actual_from_its_months() {
        let mut figures = months(1..=12, "");
        figures.push("period: 2016, target: 1000".to_string());
        let c = site("unit: people", &figures);
        let y = c.cell("wilayah", "m", Period::Year(2016)).expect("a year");
        assert_eq!((y.actual, y.target), (Some(780.0), Some(1000.0)));
        assert_eq!(y.actual_from, Some(Derivation::RolledUp));
        // A month measured on its last day is a finished month.
        let mut closed = months(1..=2, "");
        closed.push("period: \"2016-03\", actual: 30, as_of: 2016-03-31".to_string());
        let c = site("unit: people", &closed);
        let q1 = c
            .cell("wilayah", "m", Period::Quarter(2016, 1))
            .expect("Q1");
        assert_eq!((q1.actual, q1.as_of), (Some(60.0), None));
    }

    #[test]
    fn a_year_measured_on_its_last_day_is_checked_against_its_parts() {
        let quarters: Vec<String> = (1..=4)
            .map(|q| format!("period: \"2016-Q{q}\", actual: {}", 100 * q))
            .collect();
        let mut figures = quarters.clone();
        figures.push("period: 2016, actual: 900, as_of: 2016-12-31".to_string());
        let c = site("unit: people", &figures);
        assert_eq!(
            c.warnings(),
            [
                "`wilayah` reports 900 for `m` 2016, but its halves add up to 1000 (2016-H1 to 2016-H2)"
            ]
        );
        // Quarters alone, under a reported half: named as quarters.
        let mut figures = quarters[..2].to_vec();
        figures.push("period: \"2016-H1\", actual: 250".to_string());
        let c = site("unit: people", &figures);
        assert_eq!(
            c.warnings(),
            [
                "`wilayah` reports 250 for `m` 2016-H1, but its quarters add up to 300 (2016-Q1 to 2016-Q2)"
            ]
        );
        // Within a billionth of the sum: the same figure.
        let c = site(
            "unit: index, time: flow",
            &[
                "period: \"2016-Q1\", actual: 100".to_string(),
                "period: \"2016-Q2\", actual: 200".to_string(),
                "period: \"2016-H1\", actual: 300.0000001".to_string(),
            ],
        );
        assert!(c.warnings().is_empty(), "{:?}", c.warnings());
        let c = site(
            "unit: index, time: flow",
            &[
                "period: \"2016-Q1\", actual: 100".to_string(),
                "period: \"2016-Q2\", actual: 200".to_string(),
                "period: \"2016-H1\", actual: 300.000001".to_string(),
            ],
        );
        assert_eq!(c.warnings().len(), 1, "{:?}", c.warnings());
    }

    #[test]
    fn a_target_from_growth_is_not_replaced_by_its_parts_targets() {
        let mut figures = vec![
            "period: 2016, actual: 100".to_string(),
            "period: 2017, target: {growth: 10%}".to_string(),
        ];
        figures.extend((1..=4).map(|q| format!("period: \"2017-Q{q}\", target: 30")));
        let c = site("unit: people", &figures);
        let y = c
            .cell("wilayah", "m", Period::Year(2017))
            .expect("a target");
        assert_eq!(
            (y.target, y.target_from),
            (Some(110.0), Some(Derivation::FromGrowth))
        );
    }

    #[test]
    fn a_financial_year_is_made_of_the_months_from_its_start() {
        let figures: Vec<String> = (7..=12)
            .map(|m| format!("period: \"2016-{m:02}\", actual: 10"))
            .chain((1..=6).map(|m| format!("period: \"2017-{m:02}\", actual: 20")))
            .collect();
        let c = site("unit: people, financial_year_start: 7", &figures);
        assert_eq!(actual(&c, Period::FinancialYear(2016, 7)), Some(180.0));
        assert_eq!(actual(&c, Period::Year(2016)), None, "no calendar years");
        // Without a financial year, the same months make calendar years:
        // the second half of 2016 is no year, the first of 2017 a year to date.
        let c = site("unit: people", &figures);
        assert_eq!(actual(&c, Period::Year(2016)), None);
        let y = c.cell("wilayah", "m", Period::Year(2017)).expect("to date");
        assert_eq!(
            (y.actual, y.as_of),
            (Some(120.0), Some(jiff::civil::date(2017, 6, 30)))
        );
    }
}

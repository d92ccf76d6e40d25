//! What each figure means: performance against the target in the metric's
//! direction, the pace expected of a period in progress, the status in the
//! right vocabulary, and growth against a comparable earlier value.

use super::timeline::{Value, cover_upto};
use super::{Cells, Status, Tracked, formulas};
use crate::model::{Compare, Direction, Metric, Period, TimeKind};
use crate::validate::{EntityIdx, MetricIdx, Site};

/// Fills in the derived values of cell (e, m, p).
pub(super) fn derive(site: &Site, m: MetricIdx, e: EntityIdx, p: Period, cells: &mut Cells) {
    let metric = &site.metrics[m];
    let Some(c) = cells.get(&(e, m, p)) else {
        return;
    };
    let in_progress = c.in_progress();
    let (base, base_period) = comparable(metric, cells, e, m, c);
    let previous_whole = whole_actual(cells, e, m, p.previous());
    let expected = if in_progress {
        expected_by_now(metric, cells, e, m, c)
    } else {
        None
    };
    let elapsed = c
        .as_of
        .filter(|_| in_progress)
        .map(|d| share_elapsed(metric, p, d));

    let Some(c) = cells.get_mut(&(e, m, p)) else {
        return;
    };
    let direction = metric.direction;
    c.attainment = formulas::attainment(c.actual, c.target);
    c.performance = formulas::performance(c.actual, c.target, direction);
    c.previous = base;
    c.change = formulas::change(c.actual, base);
    c.growth = formulas::growth(c.actual, base);
    c.compared_with = c.change.and(base_period);
    // The growth a target asks for is over the whole previous period.
    c.required_growth = formulas::growth(c.target, previous_whole);
    c.gap = formulas::gap(c.actual, c.target);
    c.elapsed = elapsed;
    c.expected = expected;
    c.pace = formulas::performance(c.actual, expected, direction);
    let t = &site.config.status;
    c.status = if !in_progress {
        Status::closed(c.performance, t)
    } else {
        match (metric.time, direction, c.actual, c.target) {
            // A flow only grows: once over its whole target it stays there,
            // and once over a ceiling it cannot come back under it.
            (TimeKind::Flow, Direction::Higher, Some(a), Some(tg)) if a >= tg => Status::Achieved,
            (TimeKind::Flow, Direction::Lower, Some(a), Some(tg)) if a > tg && a >= 0.0 => {
                Status::Missed
            }
            _ => Status::in_progress(c.pace, t),
        }
    };
}

/// The actual of (e, m, p) if it is a whole, finished period's.
fn whole_actual(cells: &Cells, e: EntityIdx, m: MetricIdx, p: Period) -> Option<f64> {
    cells
        .get(&(e, m, p))
        .filter(|c| !c.in_progress())
        .and_then(|c| c.actual)
}

/// The earlier value `c` is compared with, like for like, and the period it
/// belongs to: the same period a year earlier (or the period before, if the
/// metric says `compare: previous`); for a period in progress, the same
/// months of the year before, or nothing.
fn comparable(
    metric: &Metric,
    cells: &Cells,
    e: EntityIdx,
    m: MetricIdx,
    c: &Tracked,
) -> (Option<f64>, Option<Period>) {
    let p = c.period;
    let earlier = match metric.compare {
        Compare::Previous if !p.is_annual() => p.previous(),
        _ => p.year_earlier(),
    };
    if !c.in_progress() {
        return (whole_actual(cells, e, m, earlier), Some(earlier));
    }
    // In progress: the same span of the earlier period, measured the same way.
    let Some(as_of) = c.as_of else {
        return (None, None);
    };
    let Some(before) = cells.get(&(e, m, earlier)) else {
        return (None, None);
    };
    // An earlier year-to-date figure reported at the same point of its period.
    if let Some(d) = before.as_of
        && before.actual.is_some()
        && d.checked_add(jiff::Span::new().years(1)).ok() == Some(as_of)
    {
        return (before.actual, Some(earlier));
    }
    // Or rolled from the earlier period's months, up to the same month.
    let months_done = months_through(p, as_of);
    if months_done == 0 {
        return (None, None);
    }
    match cover_upto(
        cells,
        e,
        m,
        earlier,
        months_done,
        Value::Actual,
        metric.time,
    ) {
        Some(cv) if cv.months == months_done => (Some(cv.value), Some(earlier)),
        _ => (None, None),
    }
}

/// Whole months of `p` finished at `as_of` (0 unless `as_of` is a month's last day).
fn months_through(p: Period, as_of: jiff::civil::Date) -> u8 {
    // Mid-month, the figure holds part of a month that no whole month
    // before it matches: comparing it with whole months would not be like
    // for like.
    if as_of.last_of_month() != as_of {
        return 0;
    }
    p.month_list()
        .iter()
        .take_while(|m| m.end_date() <= as_of)
        .count() as u8
}

/// The value expected by `c.as_of` on the way to the whole period's target.
///
/// Targets set for the shorter periods already finished win (their sum for a
/// flow); else a flow expects the target's share of the time elapsed (or of
/// the metric's `target_profile`); a stock moves in a straight line from the
/// level at the start of the period to its target; a rate is expected to be
/// at its target all along.
fn expected_by_now(
    metric: &Metric,
    cells: &Cells,
    e: EntityIdx,
    m: MetricIdx,
    c: &Tracked,
) -> Option<f64> {
    let as_of = c.as_of?;
    let p = c.period;
    let done = months_through(p, as_of);
    if done > 0
        && let Some(t) = cover_upto(cells, e, m, p, done, Value::Target, metric.time)
        && t.months == done
    {
        return Some(t.value);
    }
    let target = c.target?;
    let share = share_elapsed(metric, p, as_of);
    match metric.time {
        TimeKind::Flow => Some(target * share),
        TimeKind::Rate => Some(target),
        TimeKind::Stock => {
            let start =
                whole_actual(cells, e, m, p.previous()).or_else(|| start_level(cells, e, m, p))?;
            Some(start + (target - start) * share)
        }
    }
}

/// The level of a stock at the start of `p` when the period before is not
/// recorded as a whole: the last finished month before `p`.
fn start_level(cells: &Cells, e: EntityIdx, m: MetricIdx, p: Period) -> Option<f64> {
    let before = p.month_list().first()?.previous();
    whole_actual(cells, e, m, before)
}

/// The share of period `p` elapsed at `as_of`: by the metric's monthly
/// `target_profile` if it has one (a month in progress counting by its days),
/// else by days.
pub(super) fn share_elapsed(metric: &Metric, p: Period, as_of: jiff::civil::Date) -> f64 {
    let by_days = formulas::elapsed_fraction(p.start_date(), p.end_date(), as_of);
    let Some(profile) = &metric.target_profile else {
        return by_days;
    };
    let weight = |m: &Period| profile[usize::from(m.start_month() - 1)];
    let months = p.month_list();
    let total: f64 = months.iter().map(weight).sum();
    if total <= 0.0 {
        return by_days;
    }
    let mut done = 0.0;
    for month in &months {
        if month.end_date() <= as_of {
            done += weight(month);
        } else if month.start_date() <= as_of {
            done += weight(month)
                * formulas::elapsed_fraction(month.start_date(), month.end_date(), as_of);
        }
    }
    (done / total).clamp(0.0, 1.0)
}

#[cfg(test)]
mod tests {
    use crate::compute::fixture::{Computed, region};
    use crate::compute::{Status, Tracked};
    use crate::model::Period;

    /// The region's figures `figures` (records after `entity: wilayah,
    /// metric: m,`) of a metric `m` with the fields `metric`.
    fn site(metric: &str, figures: &[&str]) -> Computed {
        region(metric, figures)
    }

    fn cell(c: &Computed, period: Period) -> &Tracked {
        c.cell("wilayah", "m", period).expect("a cell")
    }

    fn close(got: Option<f64>, want: f64) {
        let got = got.expect("a value");
        assert!(
            (got - want).abs() <= 1e-9 * want.abs().max(1.0),
            "{got}, expected {want}"
        );
    }

    /// Days of 2017 from 1 January to 30 June, both included.
    const H1_2017: f64 = 181.0 / 365.0;

    #[test]
    fn a_flow_in_progress_is_judged_against_its_target_share_of_the_days() {
        let c = site(
            "unit: people",
            &[
                "period: 2016, actual: 1000",
                "period: 2017, target: 1200, actual: 700, as_of: 2017-06-30",
            ],
        );
        let t = cell(&c, Period::Year(2017));
        close(t.elapsed, H1_2017);
        close(t.expected, 1200.0 * H1_2017);
        close(t.pace, 700.0 / (1200.0 * H1_2017));
        assert_eq!(t.status, Status::Ahead, "117.6% of the pace");
        // The growth a target asks for is over the whole previous year.
        close(t.required_growth, 0.2);
        // Half a year is not compared with a whole one.
        assert_eq!((t.growth, t.previous, t.compared_with), (None, None, None));
    }

    #[test]
    fn a_period_in_progress_is_compared_with_the_same_span_a_year_earlier() {
        // A year-to-date figure a year earlier, at the same day.
        let c = site(
            "unit: people",
            &[
                "period: 2016, actual: 500, as_of: 2016-06-30",
                "period: 2017, actual: 700, as_of: 2017-06-30",
            ],
        );
        let t = cell(&c, Period::Year(2017));
        assert_eq!(t.previous, Some(500.0));
        close(t.growth, 0.4);
        assert_eq!(t.compared_with, Some(Period::Year(2016)));
        // A different day a year earlier: nothing comparable.
        let c = site(
            "unit: people",
            &[
                "period: 2016, actual: 500, as_of: 2016-05-31",
                "period: 2017, actual: 700, as_of: 2017-06-30",
            ],
        );
        assert_eq!(cell(&c, Period::Year(2017)).growth, None);
        // The earlier year's first six months, added up.
        let mut months: Vec<String> = (1..=6)
            .map(|m| format!("period: \"2016-{m:02}\", actual: 100"))
            .collect();
        months.push("period: 2017, actual: 690, as_of: 2017-06-30".into());
        let months: Vec<&str> = months.iter().map(String::as_str).collect();
        let c = site("unit: people", &months);
        let t = cell(&c, Period::Year(2017));
        assert_eq!(t.previous, Some(600.0));
        close(t.growth, 0.15);
        // The earlier year known further (to September): its first six
        // months still compare.
        let mut nine: Vec<String> = (1..=9)
            .map(|m| format!("period: \"2016-{m:02}\", actual: 100"))
            .collect();
        nine.push("period: 2017, actual: 690, as_of: 2017-06-30".into());
        let nine: Vec<&str> = nine.iter().map(String::as_str).collect();
        let t = site("unit: people", &nine);
        let t = cell(&t, Period::Year(2017));
        assert_eq!(t.previous, Some(600.0));
        assert_eq!(t.compared_with, Some(Period::Year(2016)));
        // May missing: January to April is not the same span as six months.
        let gap: Vec<&str> = nine
            .iter()
            .enumerate()
            .filter(|&(i, _)| i != 4)
            .map(|(_, f)| *f)
            .collect();
        let c = site("unit: people", &gap);
        assert_eq!(cell(&c, Period::Year(2017)).growth, None);
        // Only five of them: not the same span.
        let c = site("unit: people", &[&months[1..6], &months[6..]].concat());
        assert_eq!(cell(&c, Period::Year(2017)).growth, None);
        // Measured mid-month: no whole months to compare.
        let c = site(
            "unit: people",
            &[
                &months[..6],
                &["period: 2017, actual: 690, as_of: 2017-06-15"],
            ]
            .concat(),
        );
        assert_eq!(cell(&c, Period::Year(2017)).growth, None);
    }

    #[test]
    fn a_flow_over_its_whole_target_is_achieved_and_over_a_ceiling_missed_early() {
        let higher = |actual: u32| {
            let c = site(
                "unit: people",
                &[&format!(
                    "period: 2017, target: 1000, actual: {actual}, as_of: 2017-03-31"
                )],
            );
            cell(&c, Period::Year(2017)).status
        };
        assert_eq!(higher(1000), Status::Achieved);
        assert_eq!(
            higher(999),
            Status::Ahead,
            "four times the pace, not yet the target"
        );
        let lower = |actual: u32| {
            let c = site(
                "unit: count, direction: lower",
                &[&format!(
                    "period: 2017, target: 100, actual: {actual}, as_of: 2017-03-31"
                )],
            );
            let t = cell(&c, Period::Year(2017));
            (t.status, t.pace)
        };
        assert_eq!(lower(101).0, Status::Missed);
        // At the ceiling, or under it: judged by the pace (under a quarter of
        // the ceiling by the end of March is on course).
        let (status, pace) = lower(100);
        assert_eq!(status, Status::FarBehind);
        close(pace, 100.0 * (90.0 / 365.0) / 100.0);
        let (status, pace) = lower(20);
        assert_eq!(status, Status::Ahead);
        close(pace, 100.0 * (90.0 / 365.0) / 20.0);
    }

    #[test]
    fn a_stock_moves_in_a_line_and_a_rate_is_at_its_target_all_along() {
        let c = site(
            "unit: people, time: stock",
            &[
                "period: 2016, actual: 1000",
                "period: 2017, target: 1400, actual: 1150, as_of: 2017-06-30",
            ],
        );
        let t = cell(&c, Period::Year(2017));
        let expected = 1000.0 + 400.0 * H1_2017;
        close(t.expected, expected);
        close(t.pace, 1150.0 / expected);
        assert_eq!(t.status, Status::OnPace);
        let c = site(
            "unit: percent",
            &["period: 2017, target: 50, actual: 45, as_of: 2017-06-30"],
        );
        let t = cell(&c, Period::Year(2017));
        close(t.expected, 50.0);
        close(t.pace, 0.9);
        assert_eq!(t.status, Status::Behind);
    }

    #[test]
    fn a_stock_starts_from_the_last_month_before_its_period_when_that_is_all_there_is() {
        let c = site(
            "unit: people, time: stock",
            &[
                "period: \"2017-03\", actual: 1000",
                "period: \"2017-Q2\", target: 1300, actual: 1100, as_of: 2017-05-31",
            ],
        );
        let t = cell(&c, Period::Quarter(2017, 2));
        // April and May of the quarter's 91 days: 61 days.
        close(t.expected, 1000.0 + 300.0 * 61.0 / 91.0);
    }

    #[test]
    fn a_target_profile_sets_the_share_expected_by_each_day() {
        let profile = "unit: people, target_profile: [1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2]";
        let c = site(
            profile,
            &["period: 2017, target: 1800, actual: 500, as_of: 2017-06-30"],
        );
        let t = cell(&c, Period::Year(2017));
        close(t.elapsed, 6.0 / 18.0);
        close(t.expected, 600.0);
        // Mid-July: July's weight by its days.
        let c = site(
            profile,
            &["period: 2017, target: 1800, actual: 500, as_of: 2017-07-16"],
        );
        let share = (6.0 + 2.0 * 16.0 / 31.0) / 18.0;
        close(cell(&c, Period::Year(2017)).expected, 1800.0 * share);
    }

    #[test]
    fn targets_of_the_finished_quarters_are_what_is_expected_by_now() {
        let c = site(
            "unit: people",
            &[
                "period: \"2017-Q1\", target: 300",
                "period: \"2017-Q2\", target: 250",
                "period: 2017, target: 1200, actual: 500, as_of: 2017-06-30",
            ],
        );
        let t = cell(&c, Period::Year(2017));
        close(t.expected, 550.0);
        close(t.pace, 500.0 / 550.0);
        // Mid-June, the finished quarters' targets leave half of June out:
        // the year's target by the days elapsed instead.
        let c = site(
            "unit: people",
            &[
                "period: \"2017-Q1\", target: 300",
                "period: \"2017-Q2\", target: 250",
                "period: 2017, target: 1200, actual: 500, as_of: 2017-06-15",
            ],
        );
        close(
            cell(&c, Period::Year(2017)).expected,
            1200.0 * 166.0 / 365.0,
        );
    }

    #[test]
    fn months_compare_with_the_year_before_or_the_month_before_as_the_metric_says() {
        let figures = [
            "period: \"2016-03\", actual: 80",
            "period: \"2017-02\", actual: 100",
            "period: \"2017-03\", actual: 120",
        ];
        let c = site("unit: people", &figures);
        let t = cell(&c, Period::Month(2017, 3));
        close(t.growth, 0.5);
        assert_eq!(t.compared_with, Some(Period::Month(2016, 3)));
        let c = site("unit: people, compare: previous", &figures);
        let t = cell(&c, Period::Month(2017, 3));
        close(t.growth, 0.2);
        assert_eq!(t.compared_with, Some(Period::Month(2017, 2)));
        // Years always compare with the year before.
        let c = site(
            "unit: people, compare: previous",
            &["period: 2016, actual: 100", "period: 2017, actual: 130"],
        );
        let t = cell(&c, Period::Year(2017));
        close(t.growth, 0.3);
        assert_eq!(t.compared_with, Some(Period::Year(2016)));
    }
}

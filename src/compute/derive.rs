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

//! The formulas of target tracking, as small pure functions.
//!
//! Every function returns `None` where the result is undefined (a zero or
//! missing target, a missing previous value): callers show "no data", never
//! NaN or infinity.

use crate::model::Direction;

/// Attainment: actual / target. `None` when either is missing or the target is zero.
///
/// ```
/// use rekap::compute::formulas::attainment;
/// assert!((attainment(Some(956e9), Some(814e9)).unwrap() - 1.1744).abs() < 1e-4);
/// assert_eq!(attainment(Some(1.0), Some(0.0)), None);
/// ```
pub fn attainment(actual: Option<f64>, target: Option<f64>) -> Option<f64> {
    let (a, t) = (actual?, target?);
    if t == 0.0 {
        return None;
    }
    finite(a / t)
}

/// Performance against the target in the metric's direction: attainment for
/// higher-is-better, target / actual for lower-is-better (capped at 10 when
/// the actual is zero and lower is better).
pub fn performance(actual: Option<f64>, target: Option<f64>, direction: Direction) -> Option<f64> {
    match direction {
        Direction::Higher => attainment(actual, target),
        Direction::Lower => {
            let (a, t) = (actual?, target?);
            if a == 0.0 {
                return Some(if t >= 0.0 { 10.0 } else { 0.0 });
            }
            finite(t / a)
        }
    }
}

/// Change over the previous period: actual - previous.
pub fn change(actual: Option<f64>, previous: Option<f64>) -> Option<f64> {
    finite(actual? - previous?)
}

/// Growth over the previous period: actual / previous - 1. `None` when previous is zero.
///
/// ```
/// use rekap::compute::formulas::growth;
/// assert!((growth(Some(115.0), Some(100.0)).unwrap() - 0.15).abs() < 1e-12);
/// assert_eq!(growth(Some(5.0), Some(0.0)), None);
/// ```
pub fn growth(actual: Option<f64>, previous: Option<f64>) -> Option<f64> {
    let (a, p) = (actual?, previous?);
    if p == 0.0 {
        return None;
    }
    finite(a / p - 1.0)
}

/// Gap to target: target - actual (positive: still to go; negative: exceeded).
pub fn gap(actual: Option<f64>, target: Option<f64>) -> Option<f64> {
    finite(target? - actual?)
}

/// The target implied by a growth rate over the previous actual.
///
/// The rate is taken as the percentage it was written as (to 1e-4 %), so
/// that 956 billion grown by 15 % is exactly 1,099.4 billion, not
/// 1,099,399,999,999.9999.
pub fn target_from_growth(previous_actual: f64, growth: f64) -> f64 {
    let percent = (growth * 1e6).round() / 1e4;
    previous_actual * (100.0 + percent) / 100.0
}

/// Half a unit in the last significant digit of a stated number: the
/// tolerance within which a computed value "agrees" with it.
///
/// `1100000000000` (two significant digits) gives `5e10`; `1.25` gives `0.005`.
///
/// ```
/// use rekap::compute::formulas::stated_tolerance;
/// assert_eq!(stated_tolerance(1_100_000_000_000.0), 5e10);
/// assert_eq!(stated_tolerance(1.25), 0.005);
/// assert_eq!(stated_tolerance(956.0), 0.5);
/// ```
pub fn stated_tolerance(stated: f64) -> f64 {
    let repr = format!("{}", stated.abs());
    let unit = match repr.split_once('.') {
        Some((_, frac)) => 10f64.powi(-(frac.len() as i32)),
        None => {
            let zeros = repr.bytes().rev().take_while(|&b| b == b'0').count();
            if zeros == repr.len() {
                1.0
            } else {
                10f64.powi(zeros as i32)
            }
        }
    };
    unit / 2.0
}

/// Compound annual (per-period) growth from `from` to `to` over `steps` periods.
pub fn cagr(from: f64, to: f64, steps: i64) -> Option<f64> {
    if steps <= 0 || from <= 0.0 || to < 0.0 {
        return None;
    }
    finite((to / from).powf(1.0 / steps as f64) - 1.0)
}

/// The fraction of a period elapsed at a date: days elapsed (inclusive) / days in the period.
pub fn elapsed_fraction(
    start: jiff::civil::Date,
    end: jiff::civil::Date,
    as_of: jiff::civil::Date,
) -> f64 {
    let total = (end - start).get_days() as f64 + 1.0;
    let done = (as_of - start).get_days() as f64 + 1.0;
    (done / total).clamp(0.0, 1.0)
}

fn finite(v: f64) -> Option<f64> {
    v.is_finite().then_some(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn change_growth_and_gap_are_signed_differences_and_ratios() {
        assert_eq!(change(Some(1150.0), Some(1000.0)), Some(150.0));
        assert_eq!(change(Some(900.0), Some(1000.0)), Some(-100.0));
        assert_eq!(change(None, Some(1000.0)), None);
        assert_eq!(growth(Some(1150.0), Some(1000.0)), Some(0.1499999999999999));
        assert_eq!(growth(Some(500.0), Some(1000.0)), Some(-0.5));
        assert_eq!(growth(Some(3.0), Some(2.0)), Some(0.5));
        assert_eq!(growth(Some(5.0), Some(0.0)), None, "no growth from nothing");
        assert_eq!(growth(Some(0.0), Some(5.0)), Some(-1.0));
        assert_eq!(gap(Some(700.0), Some(1000.0)), Some(300.0), "still to go");
        assert_eq!(gap(Some(1200.0), Some(1000.0)), Some(-200.0), "exceeded");
        assert_eq!(gap(Some(1.0), None), None);
    }

    #[test]
    fn compound_growth_needs_a_positive_start_and_a_span() {
        let g = cagr(100.0, 121.0, 2).expect("a rate");
        assert!((g - 0.1).abs() < 1e-12, "{g}");
        assert_eq!(cagr(100.0, 0.0, 2), Some(-1.0), "down to nothing");
        assert_eq!(cagr(100.0, -1.0, 2), None);
        assert_eq!(cagr(0.0, 10.0, 2), None);
        assert_eq!(cagr(-5.0, 10.0, 2), None);
        assert_eq!(cagr(100.0, 121.0, 0), None);
        assert_eq!(cagr(100.0, 121.0, -1), None);
    }

    #[test]
    fn the_tolerance_of_a_stated_number_is_half_its_last_digit() {
        assert_eq!(stated_tolerance(1_100_000_000_000.0), 5e10);
        assert_eq!(stated_tolerance(1.25), 0.005);
        assert_eq!(stated_tolerance(-1.5), 0.05);
        assert_eq!(stated_tolerance(956.0), 0.5);
        assert_eq!(stated_tolerance(0.0), 0.5);
    }

    #[test]
    fn contributions_2016_attainment_is_117_4_percent() {
        let a = attainment(Some(956e9), Some(814e9)).unwrap();
        assert_eq!((a * 1000.0).round() / 10.0, 117.4);
    }

    #[test]
    fn fifteen_percent_growth_on_956_billion_is_exact() {
        assert_eq!(target_from_growth(956e9, 0.15), 1_099_400_000_000.0);
    }

    #[test]
    fn fifteen_percent_growth_on_956_billion_agrees_with_1_1_trillion() {
        let t = target_from_growth(956e9, 0.15);
        assert!((t - 1_099.4e9).abs() < 1.0);
        assert!((t - 1.1e12).abs() <= stated_tolerance(1.1e12));
    }

    #[test]
    fn twenty_five_percent_growth_disagrees_with_1_1_trillion() {
        let t = target_from_growth(956e9, 0.25);
        assert!((t - 1.1e12).abs() > stated_tolerance(1.1e12));
    }

    #[test]
    fn undefined_values_are_none_not_nan() {
        assert_eq!(attainment(None, Some(1.0)), None);
        assert_eq!(attainment(Some(0.0), Some(0.0)), None);
        assert_eq!(growth(Some(0.0), Some(0.0)), None);
        assert_eq!(gap(None, Some(1.0)), None);
        assert_eq!(cagr(0.0, 5.0, 2), None);
    }

    #[test]
    fn lower_is_better_inverts_performance() {
        assert_eq!(
            performance(Some(50.0), Some(100.0), Direction::Lower),
            Some(2.0)
        );
        assert_eq!(
            performance(Some(0.0), Some(100.0), Direction::Lower),
            Some(10.0)
        );
    }

    #[test]
    fn cagr_of_doubling_in_two_steps() {
        let g = cagr(100.0, 121.0, 2).unwrap();
        assert!((g - 0.1).abs() < 1e-12);
    }

    #[test]
    fn half_a_year_elapsed_at_end_of_june() {
        let f = elapsed_fraction(
            jiff::civil::date(2017, 1, 1),
            jiff::civil::date(2017, 12, 31),
            jiff::civil::date(2017, 7, 2),
        );
        assert!((f - 0.5).abs() < 0.01);
    }
}

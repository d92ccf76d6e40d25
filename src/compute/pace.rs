//! The path a target sets for a period in progress: the value expected at
//! the end of each of its months, for charts of a year so far.

use super::derive::share_elapsed;
use crate::model::{Metric, Period};

/// For a flow with a whole-period `target`, the cumulative value expected at
/// the end of each month of `period`, judged as [`Tracked::expected`] is:
/// the sum of the monthly targets where every month up to that one has a
/// target (`month_targets`, one per month of the period, January or the
/// financial year's first month first), else the target's share of the
/// period elapsed at the month's end (by days, or by the metric's
/// `target_profile`). A month gets `None` when neither applies.
///
/// [`Tracked::expected`]: super::Tracked::expected
pub fn cumulative_expected(
    metric: &Metric,
    period: Period,
    target: Option<f64>,
    month_targets: &[Option<f64>],
) -> Vec<Option<f64>> {
    let months = period.month_list();
    let mut sum = Some(0.0);
    months
        .iter()
        .enumerate()
        .map(|(i, month)| {
            sum = match (sum, month_targets.get(i).copied().flatten()) {
                (Some(s), Some(t)) => Some(s + t),
                _ => None,
            };
            sum.or_else(|| target.map(|t| t * share_elapsed(metric, period, month.end_date())))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Aggregate, Audience, Compare, Direction, Origin, Pos, TimeKind, Unit};

    fn flow(profile: Option<Vec<f64>>) -> Metric {
        Metric {
            id: "m".into(),
            name: "m".into(),
            unit: Unit::Count,
            currency: None,
            per: None,
            decimals: None,
            time: TimeKind::Flow,
            compare: Compare::Year,
            financial_year_start: None,
            target_profile: profile,
            aggregate: Aggregate::Sum,
            direction: Direction::Higher,
            description: None,
            audience: Audience::Public,
            origin: Origin::new("m", Pos::default()),
        }
    }

    #[test]
    fn the_path_ends_at_the_target_and_follows_the_days() {
        let path = cumulative_expected(&flow(None), Period::Year(2017), Some(365.0), &[None; 12]);
        assert_eq!(path.len(), 12);
        assert_eq!(path[0], Some(31.0), "31 of 365 days");
        assert_eq!(path[11], Some(365.0));
    }

    #[test]
    fn monthly_targets_win_while_every_month_has_one() {
        let mut months = [None; 12];
        months[0] = Some(10.0);
        months[1] = Some(20.0);
        let path = cumulative_expected(&flow(None), Period::Year(2017), Some(365.0), &months);
        assert_eq!(&path[..2], &[Some(10.0), Some(30.0)]);
        assert_eq!(path[2], Some(90.0), "then the target's share: 90 days");
    }

    #[test]
    fn a_profile_weights_the_months() {
        let mut w = vec![1.0; 12];
        w[11] = 12.0;
        let path =
            cumulative_expected(&flow(Some(w)), Period::Year(2017), Some(230.0), &[None; 12]);
        assert_eq!(path[0], Some(10.0));
        assert_eq!(path[10], Some(110.0));
        assert_eq!(path[11], Some(230.0));
        assert_eq!(
            cumulative_expected(&flow(None), Period::Year(2017), None, &[None; 12])[3],
            None
        );
    }
}

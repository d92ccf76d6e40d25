//! Progress towards a target several periods ahead (Open SDG's method).

use super::{Cells, Progress, formulas};
use crate::model::{Direction, Period};
use crate::validate::{EntityIdx, MetricIdx};

/// Open SDG progress for targets with no actual yet, given at least two earlier actuals.
pub(super) fn multi_year_progress(
    cells: &mut Cells,
    e: EntityIdx,
    m: MetricIdx,
    periods: &[Period],
    direction: Direction,
) {
    for &tp in periods {
        let Some(target) = cells
            .get(&(e, m, tp))
            .filter(|c| c.actual.is_none())
            .and_then(|c| c.target)
        else {
            continue;
        };
        let actuals: Vec<(Period, f64)> = periods
            .iter()
            .filter(|p| **p < tp && p.same_kind(tp))
            .filter_map(|p| {
                cells
                    .get(&(e, m, *p))
                    // Year-to-date actuals are not a period's result: leave them out.
                    .filter(|c| c.as_of.is_none_or(|d| d >= c.period.end_date()))
                    .and_then(|c| c.actual.map(|a| (*p, a)))
            })
            .collect();
        if actuals.len() < 2 {
            continue;
        }
        // From the base period the target names (Open SDG's base year), else
        // from the first actual.
        let given = cells.get(&(e, m, tp)).and_then(|c| c.target_base);
        let (base_p, base) = match given {
            Some(bp) => match actuals.iter().find(|(p, _)| *p == bp) {
                Some(&found) => found,
                None => continue,
            },
            None => actuals[0],
        };
        let (cur_p, cur) = actuals[actuals.len() - 1];
        let achieved = match direction {
            Direction::Higher => cur >= target,
            Direction::Lower => cur <= target,
        };
        let (progress, ratio) = if achieved {
            (Progress::TargetAchieved, None)
        } else {
            let observed = formulas::cagr(base, cur, cur_p.steps_since(base_p));
            let required = formulas::cagr(base, target, tp.steps_since(base_p));
            match (observed, required) {
                (Some(o), Some(r)) if r != 0.0 => (Progress::from_ratio(o / r), Some(o / r)),
                _ => continue,
            }
        };
        if let Some(c) = cells.get_mut(&(e, m, tp)) {
            c.progress = Some(progress);
            c.progress_ratio = ratio;
        }
    }
}

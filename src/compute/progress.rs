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

#[cfg(test)]
mod tests {
    use crate::compute::Progress;
    use crate::compute::fixture::{Computed, REGION, compute};
    use crate::model::{Audience, Period};

    fn site(direction: &str, figures: &str) -> Computed {
        compute(
            REGION,
            &format!(
                "  - {{id: m, name: Indeks, unit: index, aggregate: none, direction: {direction}}}\n"
            ),
            &format!("source: Laporan\nfigures:\n{figures}"),
            Audience::Public,
        )
    }

    /// The progress and ratio of the 2020 target.
    fn of_2020(c: &Computed) -> (Option<Progress>, Option<f64>) {
        let t = c
            .cell("wilayah", "m", Period::Year(2020))
            .expect("a 2020 target");
        (t.progress, t.progress_ratio)
    }

    fn growth(from: f64, to: f64, years: f64) -> f64 {
        (to / from).powf(1.0 / years) - 1.0
    }

    fn assert_close(got: Option<f64>, want: f64) {
        let got = got.expect("a ratio");
        assert!((got - want).abs() < 1e-12, "ratio {got}, expected {want}");
    }

    #[test]
    fn progress_is_the_observed_growth_over_the_growth_the_target_needs() {
        // From 100 in 2015 to 121 in 2017 is 10% a year; reaching 200 in
        // 2020 needs 2^(1/5) - 1, about 14.9% a year.
        let c = site(
            "higher",
            "  - {entity: wilayah, metric: m, period: 2015, actual: 100}
  - {entity: wilayah, metric: m, period: 2016, actual: 105}
  - {entity: wilayah, metric: m, period: 2017, actual: 121}
  - {entity: wilayah, metric: m, period: 2020, target: 200}
",
        );
        let want = growth(100.0, 121.0, 2.0) / growth(100.0, 200.0, 5.0);
        let (progress, ratio) = of_2020(&c);
        assert_close(ratio, want);
        assert!((0.6..0.95).contains(&want), "{want}");
        assert_eq!(progress, Some(Progress::Moderate));
    }

    #[test]
    fn a_target_already_reached_is_achieved_in_either_direction() {
        let c = site(
            "higher",
            "  - {entity: wilayah, metric: m, period: 2016, actual: 150}
  - {entity: wilayah, metric: m, period: 2017, actual: 200}
  - {entity: wilayah, metric: m, period: 2020, target: 200}
",
        );
        assert_eq!(of_2020(&c), (Some(Progress::TargetAchieved), None));
        let c = site(
            "lower",
            "  - {entity: wilayah, metric: m, period: 2016, actual: 30}
  - {entity: wilayah, metric: m, period: 2017, actual: 20}
  - {entity: wilayah, metric: m, period: 2020, target: 20}
",
        );
        assert_eq!(of_2020(&c), (Some(Progress::TargetAchieved), None));
    }

    #[test]
    fn lower_is_better_progress_compares_falls() {
        // 40 to 36 is -10% a year; 40 to 10 in four years needs about -29%.
        let c = site(
            "lower",
            "  - {entity: wilayah, metric: m, period: 2016, actual: 40}
  - {entity: wilayah, metric: m, period: 2017, actual: 36}
  - {entity: wilayah, metric: m, period: 2020, target: 10}
",
        );
        let want = growth(40.0, 36.0, 1.0) / growth(40.0, 10.0, 4.0);
        let (progress, ratio) = of_2020(&c);
        assert_close(ratio, want);
        assert_eq!(progress, Some(Progress::Limited));
        // Rising while it should fall: deterioration.
        let c = site(
            "lower",
            "  - {entity: wilayah, metric: m, period: 2016, actual: 40}
  - {entity: wilayah, metric: m, period: 2017, actual: 44}
  - {entity: wilayah, metric: m, period: 2020, target: 10}
",
        );
        assert_eq!(of_2020(&c).0, Some(Progress::Deterioration));
    }

    #[test]
    fn a_stated_base_period_is_where_growth_is_measured_from() {
        let figures = |base: &str| {
            format!(
                "  - {{entity: wilayah, metric: m, period: 2014, actual: 50}}
  - {{entity: wilayah, metric: m, period: 2016, actual: 100}}
  - {{entity: wilayah, metric: m, period: 2017, actual: 110}}
  - {{entity: wilayah, metric: m, period: 2020, target: {{value: 200{base}}}}}
"
            )
        };
        let c = site("higher", &figures(", base_period: 2016"));
        assert_close(
            of_2020(&c).1,
            growth(100.0, 110.0, 1.0) / growth(100.0, 200.0, 4.0),
        );
        // Without it, from the first actual.
        let c = site("higher", &figures(""));
        assert_close(
            of_2020(&c).1,
            growth(50.0, 110.0, 3.0) / growth(50.0, 200.0, 6.0),
        );
        // A base period with no actual: no progress rather than a guess.
        let c = site("higher", &figures(", base_period: 2015"));
        assert_eq!(of_2020(&c), (None, None));
    }

    #[test]
    fn no_progress_without_two_whole_earlier_actuals_or_once_the_actual_is_in() {
        let one = site(
            "higher",
            "  - {entity: wilayah, metric: m, period: 2017, actual: 110}
  - {entity: wilayah, metric: m, period: 2020, target: 200}
",
        );
        assert_eq!(of_2020(&one), (None, None));
        // A year-to-date actual is not a year's result.
        let ytd = site(
            "higher",
            "  - {entity: wilayah, metric: m, period: 2016, actual: 100}
  - {entity: wilayah, metric: m, period: 2017, actual: 60, as_of: 2017-06-30}
  - {entity: wilayah, metric: m, period: 2020, target: 200}
",
        );
        assert_eq!(of_2020(&ytd), (None, None));
        // Actuals after the target's period do not count towards it.
        let after = site(
            "higher",
            "  - {entity: wilayah, metric: m, period: 2016, actual: 100}
  - {entity: wilayah, metric: m, period: 2021, actual: 300}
  - {entity: wilayah, metric: m, period: 2022, actual: 400}
  - {entity: wilayah, metric: m, period: 2020, target: 200}
",
        );
        assert_eq!(of_2020(&after), (None, None));
        // Quarters are not years.
        let quarters = site(
            "higher",
            "  - {entity: wilayah, metric: m, period: \"2016-Q1\", actual: 100}
  - {entity: wilayah, metric: m, period: \"2017-Q1\", actual: 110}
  - {entity: wilayah, metric: m, period: 2020, target: 200}
",
        );
        assert_eq!(of_2020(&quarters), (None, None));
        // The period has its actual: attainment says how it went.
        let done = site(
            "higher",
            "  - {entity: wilayah, metric: m, period: 2016, actual: 100}
  - {entity: wilayah, metric: m, period: 2017, actual: 110}
  - {entity: wilayah, metric: m, period: 2020, target: 200, actual: 150}
",
        );
        assert_eq!(of_2020(&done), (None, None));
        // A target equal to the base asks for no growth: no ratio to take.
        let flat = site(
            "higher",
            "  - {entity: wilayah, metric: m, period: 2016, actual: 100}
  - {entity: wilayah, metric: m, period: 2017, actual: 90}
  - {entity: wilayah, metric: m, period: 2020, target: 100}
",
        );
        assert_eq!(of_2020(&flat), (None, None));
    }
}

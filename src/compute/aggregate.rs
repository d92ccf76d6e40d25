//! Aggregates up the hierarchy: a parent's figure from a complete set of its
//! children's, summed or averaged as the metric says, and the check of a
//! parent's own figure against its children's.

use std::collections::BTreeSet;

use super::{Cells, Derivation, Tracked, formulas, plain};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::{Aggregate, Audience, Period};
use crate::validate::{EntityIdx, MetricIdx, Site};

#[derive(Clone, Copy, PartialEq)]
pub(super) enum Field {
    Actual,
    Target,
}

impl Field {
    fn get(self, t: &Tracked) -> Option<f64> {
        match self {
            Field::Actual => t.actual,
            Field::Target => t.target,
        }
    }
    fn name(self) -> &'static str {
        match self {
            Field::Actual => "actual",
            Field::Target => "target",
        }
    }
}

#[allow(clippy::too_many_arguments)]
pub(super) fn aggregate(
    site: &Site,
    cells: &mut Cells,
    e: EntityIdx,
    m: MetricIdx,
    p: Period,
    rule: Aggregate,
    field: Field,
    diags: &mut Diagnostics,
) {
    let kids = site.hierarchy.children(e);
    if rule == Aggregate::None || kids.is_empty() || !site.entities[e].complete_breakdown {
        return;
    }
    let own = cells.get(&(e, m, p)).and_then(|c| field.get(c));
    let mut values = Vec::with_capacity(kids.len());
    // Borrowed, and gathered only for a value worked out here (a parent's
    // reported value compares with its children's and takes nothing).
    let mut sources: BTreeSet<&str> = BTreeSet::new();
    let mut audience = Audience::Public;
    // An aggregate of year-to-date actuals is itself year-to-date; children
    // measured at different dates do not add up to anything.
    let mut as_of: Option<Option<jiff::civil::Date>> = None;
    for &k in kids {
        match cells
            .get(&(k, m, p))
            .and_then(|c| field.get(c).map(|v| (v, c)))
        {
            Some((v, c)) => {
                values.push(v);
                if own.is_none() {
                    sources.extend(c.sources.iter().map(String::as_str));
                }
                audience = audience.max(c.audience);
                if field == Field::Actual {
                    // A figure measured on its period's last day is a closed one.
                    let open = c.as_of.filter(|_| c.in_progress());
                    match as_of {
                        None => as_of = Some(open),
                        Some(d) if d == open => {}
                        Some(_) => return,
                    }
                }
            }
            None => return, // an incomplete set of children adds up to nothing
        }
    }
    let combined = match rule {
        Aggregate::Sum => values.iter().sum::<f64>(),
        Aggregate::Mean => values.iter().sum::<f64>() / values.len() as f64,
        Aggregate::None => return,
    };
    match own {
        Some(reported) => {
            let tolerance = 1e-9 * reported.abs().max(combined.abs()).max(1.0);
            let from_growth = field == Field::Target
                && cells
                    .get(&(e, m, p))
                    .is_some_and(|c| c.target_from == Some(Derivation::FromGrowth));
            if (reported - combined).abs() > tolerance && !from_growth {
                let c = &cells[&(e, m, p)];
                let names: Vec<&str> = kids.iter().map(|&k| site.entities[k].id.as_str()).collect();
                diags.push(
                    Diagnostic::warning(
                        c.origin.clone().unwrap_or_default(),
                        format!(
                            "`{}` reports {} {} for `{}` {}, but its children add up to {} ({})",
                            site.entities[e].id,
                            field.name(),
                            plain(reported),
                            site.metrics[m].id,
                            p,
                            plain(combined),
                            names.join(", ")
                        ),
                    )
                    .with_help("correct one of the figures, or mark the parent `breakdown: partial` if its children do not cover it"),
                );
            } else if from_growth
                && (reported - combined).abs() > formulas::stated_tolerance(combined).max(tolerance)
            {
                let c = &cells[&(e, m, p)];
                diags.push(Diagnostic::warning(
                    c.origin.clone().unwrap_or_default(),
                    format!(
                        "`{}`'s {} target for `{}` is {} from growth, but its children's targets add up to {}",
                        site.entities[e].id,
                        p,
                        site.metrics[m].id,
                        plain(reported),
                        plain(combined)
                    ),
                ));
            }
        }
        None => {
            let sources: Vec<String> = sources.into_iter().map(str::to_owned).collect();
            let c = cells
                .entry((e, m, p))
                .or_insert_with(|| Tracked::empty(e, m, p));
            match field {
                Field::Actual => {
                    c.actual = Some(combined);
                    c.actual_from = Some(Derivation::Aggregated);
                    c.as_of = as_of.flatten();
                }
                Field::Target => {
                    c.target = Some(combined);
                    c.target_from = Some(Derivation::Aggregated);
                }
            }
            for s in sources {
                if !c.sources.contains(&s) {
                    c.sources.push(s);
                }
            }
            c.audience = c.audience.max(audience);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::compute::Derivation;
    use crate::compute::fixture::{Computed, compute};
    use crate::model::{Audience, Period};

    const TWO_PROVINCES: &str = "  - {id: wilayah, name: Wilayah, kind: region}
  - {id: alpha, name: Alpha, kind: province, parent: wilayah}
  - {id: beta, name: Beta, kind: province, parent: wilayah}
";

    /// A metric of a measure with decimals (an index), so that sums of
    /// fractions are tested too.
    fn metric(aggregate: &str) -> String {
        format!("  - {{id: m, name: Indeks, unit: index, aggregate: {aggregate}}}\n")
    }

    fn site(entities: &str, aggregate: &str, figures: &str) -> Computed {
        compute(
            entities,
            &metric(aggregate),
            &format!("source: Laporan\nfigures:\n{figures}"),
            Audience::Internal,
        )
    }

    const Y: Period = Period::Year(2016);

    #[test]
    fn a_sum_metric_adds_up_the_children_actuals_and_targets() {
        let c = site(
            TWO_PROVINCES,
            "sum",
            "  - {entity: alpha, metric: m, period: 2016, target: 20, actual: 10, source: A}
  - {entity: beta, metric: m, period: 2016, target: 30.5, actual: 32, source: B}
",
        );
        let w = c.cell("wilayah", "m", Y).expect("an aggregated cell");
        assert_eq!(w.actual, Some(42.0));
        assert_eq!(w.target, Some(50.5));
        assert_eq!(w.actual_from, Some(Derivation::Aggregated));
        assert_eq!(w.target_from, Some(Derivation::Aggregated));
        assert_eq!(w.sources, vec!["A".to_string(), "B".to_string()]);
        assert!(c.warnings().is_empty(), "{:?}", c.warnings());
    }

    #[test]
    fn a_mean_metric_averages_them() {
        let c = site(
            TWO_PROVINCES,
            "mean",
            "  - {entity: alpha, metric: m, period: 2016, target: 20, actual: 10}
  - {entity: beta, metric: m, period: 2016, target: 31, actual: 33}
",
        );
        let w = c.cell("wilayah", "m", Y).expect("an aggregated cell");
        assert_eq!((w.actual, w.target), (Some(21.5), Some(25.5)));
    }

    #[test]
    fn no_aggregate_from_an_incomplete_set_a_partial_breakdown_or_a_none_metric() {
        let one_missing = site(
            TWO_PROVINCES,
            "sum",
            "  - {entity: alpha, metric: m, period: 2016, actual: 10}
  - {entity: beta, metric: m, period: 2016, target: 5}
",
        );
        let w = one_missing.cell("wilayah", "m", Y);
        assert_eq!(w.and_then(|w| w.actual), None, "beta has no actual");
        assert_eq!(w.and_then(|w| w.target), None, "alpha has no target");

        let figures = "  - {entity: alpha, metric: m, period: 2016, actual: 10}
  - {entity: beta, metric: m, period: 2016, actual: 32}
";
        let partial = TWO_PROVINCES.replace("kind: region}", "kind: region, breakdown: partial}");
        let c = site(&partial, "sum", figures);
        assert_eq!(c.cell("wilayah", "m", Y).and_then(|w| w.actual), None);
        let c = site(TWO_PROVINCES, "none", figures);
        assert_eq!(c.cell("wilayah", "m", Y).and_then(|w| w.actual), None);
    }

    #[test]
    fn a_parent_figure_that_differs_from_its_children_is_a_warning() {
        let figures = |own: &str| {
            format!(
                "  - {{entity: wilayah, metric: m, period: 2016, actual: {own}}}
  - {{entity: alpha, metric: m, period: 2016, actual: 10}}
  - {{entity: beta, metric: m, period: 2016, actual: 32}}
"
            )
        };
        let c = site(TWO_PROVINCES, "sum", &figures("40"));
        assert_eq!(
            c.warnings(),
            [
                "`wilayah` reports actual 40 for `m` 2016, but its children add up to 42 (alpha, beta)"
            ]
        );
        // The parent's own figure stands.
        let w = c.cell("wilayah", "m", Y).expect("reported");
        assert_eq!(
            (w.actual, w.actual_from),
            (Some(40.0), Some(Derivation::Reported))
        );
        let c = site(TWO_PROVINCES, "sum", &figures("42"));
        assert!(c.warnings().is_empty(), "{:?}", c.warnings());
        // Within rounding of the sum (a billionth of it): no warning either;
        // beyond, a warning.
        let c = site(TWO_PROVINCES, "sum", &figures("42.00000001"));
        assert!(c.warnings().is_empty(), "{:?}", c.warnings());
        let c = site(TWO_PROVINCES, "sum", &figures("42.0000001"));
        assert_eq!(c.warnings().len(), 1, "{:?}", c.warnings());
    }

    #[test]
    fn a_target_from_growth_is_checked_against_the_children_with_the_stated_tolerance() {
        let figures = |growth: &str| {
            format!(
                "  - {{entity: wilayah, metric: m, period: 2016, actual: 100}}
  - {{entity: wilayah, metric: m, period: 2017, target: {{growth: {growth}}}}}
  - {{entity: alpha, metric: m, period: 2016, actual: 40}}
  - {{entity: beta, metric: m, period: 2016, actual: 60}}
  - {{entity: alpha, metric: m, period: 2017, target: 50}}
  - {{entity: beta, metric: m, period: 2017, target: 60}}
"
            )
        };
        // 100 grown by 10% is the children's 110: nothing to say.
        let c = site(TWO_PROVINCES, "sum", &figures("10%"));
        assert!(c.warnings().is_empty(), "{:?}", c.warnings());
        let w = c
            .cell("wilayah", "m", Period::Year(2017))
            .expect("a target");
        assert_eq!(w.target_from, Some(Derivation::FromGrowth));
        // 100 grown by 20% is 120, not 110.
        let c = site(TWO_PROVINCES, "sum", &figures("20%"));
        assert_eq!(
            c.warnings(),
            [
                "`wilayah`'s 2017 target for `m` is 120 from growth, but its children's targets add up to 110"
            ]
        );
        // 115 is within half a unit of the last digit of 110 (5): it agrees.
        let c = site(TWO_PROVINCES, "sum", &figures("15%"));
        assert!(c.warnings().is_empty(), "{:?}", c.warnings());
        // The growth tolerance is for targets only: the parent's own
        // actual is checked against its children's to the billionth.
        let c = site(
            TWO_PROVINCES,
            "sum",
            "  - {entity: wilayah, metric: m, period: 2016, actual: 100}
  - {entity: wilayah, metric: m, period: 2017, target: {growth: 10%}, actual: 108}
  - {entity: alpha, metric: m, period: 2016, actual: 40}
  - {entity: beta, metric: m, period: 2016, actual: 60}
  - {entity: alpha, metric: m, period: 2017, target: 50, actual: 55}
  - {entity: beta, metric: m, period: 2017, target: 60, actual: 55}
",
        );
        assert_eq!(
            c.warnings(),
            [
                "`wilayah` reports actual 108 for `m` 2017, but its children add up to 110 (alpha, beta)"
            ]
        );
    }

    #[test]
    fn year_to_date_actuals_add_up_only_when_measured_on_the_same_day() {
        let figures = |alpha: &str, beta: &str| {
            format!(
                "  - {{entity: alpha, metric: m, period: 2016, actual: 10{alpha}}}
  - {{entity: beta, metric: m, period: 2016, actual: 32{beta}}}
"
            )
        };
        let c = site(
            TWO_PROVINCES,
            "sum",
            &figures(", as_of: 2016-06-30", ", as_of: 2016-06-30"),
        );
        let w = c.cell("wilayah", "m", Y).expect("aggregated");
        assert_eq!(w.actual, Some(42.0));
        assert_eq!(w.as_of, Some(jiff::civil::date(2016, 6, 30)));
        for (a, b) in [
            (", as_of: 2016-06-30", ", as_of: 2016-09-30"),
            (", as_of: 2016-06-30", ""),
            ("", ", as_of: 2016-09-30"),
        ] {
            let c = site(TWO_PROVINCES, "sum", &figures(a, b));
            assert_eq!(
                c.cell("wilayah", "m", Y).and_then(|w| w.actual),
                None,
                "alpha{a} and beta{b} do not add up"
            );
        }
        // Measured on the period's last day: a closed figure, no `as_of`.
        let c = site(TWO_PROVINCES, "sum", &figures(", as_of: 2016-12-31", ""));
        let w = c.cell("wilayah", "m", Y).expect("aggregated");
        assert_eq!((w.actual, w.as_of), (Some(42.0), None));
    }

    #[test]
    fn an_aggregate_of_an_internal_figure_is_internal() {
        let figures = "  - {entity: alpha, metric: m, period: 2016, actual: 10}
  - {entity: beta, metric: m, period: 2016, actual: 32, audience: internal}
";
        let c = site(TWO_PROVINCES, "sum", figures);
        let w = c.cell("wilayah", "m", Y).expect("aggregated");
        assert_eq!((w.actual, w.audience), (Some(42.0), Audience::Internal));
        let public = compute(
            TWO_PROVINCES,
            &metric("sum"),
            &format!("source: Laporan\nfigures:\n{figures}"),
            Audience::Public,
        );
        assert_eq!(
            public.cell("wilayah", "m", Y).and_then(|w| w.actual),
            None,
            "the public does not see beta's figure, so the sum is incomplete"
        );
    }
}

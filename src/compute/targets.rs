//! Targets given as growth over the previous period's actual.

use super::{Cells, Derivation, formulas, plain};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::Period;
use crate::validate::{EntityIdx, MetricIdx, Site};

pub(super) fn resolve_growth_target(
    site: &Site,
    cells: &mut Cells,
    e: EntityIdx,
    m: MetricIdx,
    p: Period,
    diags: &mut Diagnostics,
) {
    // The base of a growth target is the previous period's whole result: a
    // year-to-date actual is not one.
    let base = cells.get(&(e, m, p.previous()));
    let partial = base.is_some_and(|c| c.actual.is_some() && c.in_progress());
    let previous = base.filter(|c| !c.in_progress()).and_then(|c| c.actual);
    let Some(c) = cells.get_mut(&(e, m, p)) else {
        return;
    };
    if c.target.is_some() {
        return;
    }
    // Where the record is: named only by a problem (most cells have none).
    let origin = |c: &crate::compute::Tracked| c.origin.clone().unwrap_or_default();
    match (c.target_growth, c.target_stated) {
        (None, None) => {}
        (None, Some(v)) => {
            c.target = Some(v);
            c.target_from = Some(Derivation::Reported);
        }
        (Some(g), stated) => {
            let Some(prev) = previous else {
                let what = if partial {
                    format!(
                        "has only a year-to-date {} actual to grow from",
                        p.previous()
                    )
                } else {
                    format!("has no {} actual to grow from", p.previous())
                };
                diags.push(
                    Diagnostic::error(
                        origin(c),
                        format!(
                            "growth target for `{}`, `{}`, {} {what}",
                            site.entities[e].id,
                            site.metrics[m].id,
                            p,
                        ),
                    )
                    .with_help(format!(
                        "record the whole {} actual (or all of its months or quarters), or give the target as a value",
                        p.previous()
                    )),
                );
                c.target = stated;
                c.target_from = stated.map(|_| Derivation::Reported);
                return;
            };
            let computed = formulas::target_from_growth(prev, g);
            if let Some(v) = stated {
                let tol = formulas::stated_tolerance(v);
                if (computed - v).abs() > tol {
                    diags.push(
                        Diagnostic::error(
                            origin(c),
                            format!(
                                "stated target {} does not agree with growth {}% over the {} actual {}: that gives {}",
                                plain(v),
                                plain(g * 100.0),
                                p.previous(),
                                plain(prev),
                                plain(computed)
                            ),
                        )
                        .with_help(format!(
                            "the stated value is precise to ±{}; correct the value or the growth rate",
                            plain(tol)
                        )),
                    );
                }
            }
            c.target = Some(computed);
            c.target_from = Some(Derivation::FromGrowth);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::compute::{Derivation, report};
    use crate::diagnostics::Diagnostics;
    use crate::model::Period;
    use crate::validate::{Selection, validate};

    /// One region `r` and one metric `m` (people, summed, higher is better),
    /// with the figure records `figures` (YAML list items): the 2017 target
    /// as computed, how it was obtained, and every diagnostic's message.
    fn target_2017(figures: &str) -> (Option<f64>, Option<Derivation>, Vec<String>) {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let data = root.join("content/data");
        std::fs::create_dir_all(data.join("figures")).unwrap();
        std::fs::write(root.join("content/site.yaml"), "title: t\nbase_url: /\n").unwrap();
        std::fs::write(
            data.join("entities.yaml"),
            "entities:\n  - id: r\n    name: R\n    kind: region\n",
        )
        .unwrap();
        std::fs::write(
            data.join("metrics.yaml"),
            "metrics:\n  - id: m\n    name: M\n    unit: people\n    aggregate: sum\n    direction: higher\n",
        )
        .unwrap();
        std::fs::write(
            data.join("figures/f.yaml"),
            format!("source: s\nfigures:\n{figures}"),
        )
        .unwrap();
        let mut diags = Diagnostics::new();
        let sources = crate::load::load(root, &mut diags);
        let sources = sources.editions().into_iter().next().unwrap();
        let site = validate(sources, Selection::default(), &mut diags);
        let report = report(&site, &mut diags);
        let cell = report.get(0, 0, Period::Year(2017));
        let messages = diags.iter().map(|d| d.message.clone()).collect();
        (
            cell.and_then(|c| c.target),
            cell.and_then(|c| c.target_from),
            messages,
        )
    }

    #[test]
    fn a_growth_target_is_the_previous_whole_year_s_actual_grown_by_the_rate() {
        let (target, from, diags) = target_2017(
            "  - {entity: r, metric: m, period: 2016, actual: 200}\n  - {entity: r, metric: m, period: 2017, target: {growth: 15%}}\n",
        );
        assert_eq!(target, Some(230.0));
        assert_eq!(from, Some(Derivation::FromGrowth));
        assert_eq!(diags, Vec::<String>::new());
    }

    #[test]
    fn a_year_to_date_actual_is_no_base_for_a_growth_target() {
        let (target, from, diags) = target_2017(
            "  - {entity: r, metric: m, period: 2016, actual: 100, as_of: 2016-06-30}\n  - {entity: r, metric: m, period: 2017, target: {growth: 10%}}\n",
        );
        assert_eq!((target, from), (None, None));
        assert_eq!(
            diags,
            ["growth target for `r`, `m`, 2017 has only a year-to-date 2016 actual to grow from"]
        );
    }

    #[test]
    fn a_stated_target_within_half_a_unit_of_its_last_digit_agrees_with_its_growth() {
        // 100 grown by 10.5% is 110.5; stated as 111 (precise to ±0.5) it agrees.
        let (target, from, diags) = target_2017(
            "  - {entity: r, metric: m, period: 2016, actual: 100}\n  - {entity: r, metric: m, period: 2017, target: {growth: 10.5%, value: 111}}\n",
        );
        assert_eq!(
            target,
            Some(110.5),
            "the computed target, not the rounded one"
        );
        assert_eq!(from, Some(Derivation::FromGrowth));
        assert_eq!(diags, Vec::<String>::new());
    }

    #[test]
    fn a_stated_target_more_than_half_a_unit_off_its_growth_is_an_error_naming_both() {
        // 100 grown by 10% is 110; 111 is precise to ±0.5, so 1 off disagrees.
        let (target, _, diags) = target_2017(
            "  - {entity: r, metric: m, period: 2016, actual: 100}\n  - {entity: r, metric: m, period: 2017, target: {growth: 10%, value: 111}}\n",
        );
        assert_eq!(target, Some(110.0));
        assert_eq!(
            diags,
            [
                "stated target 111 does not agree with growth 10% over the 2016 actual 100: that gives 110"
            ]
        );
    }
}

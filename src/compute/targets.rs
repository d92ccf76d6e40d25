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
    let origin = c.origin.clone().unwrap_or_default();
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
                        origin,
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
                            origin,
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

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
    let mut values = Vec::with_capacity(kids.len());
    let mut sources = BTreeSet::new();
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
                sources.extend(c.sources.iter().cloned());
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
    let own = cells.get(&(e, m, p)).and_then(|c| field.get(c));
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

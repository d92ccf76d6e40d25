//! Financial years written `2016/17` start in the month the metric or the
//! site sets (`financial_year_start`); this is where each gets that month.

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::load::Sources;
use crate::model::{Metric, Origin, Period, SiteConfig};

/// `p` with its financial-year start filled in for `metric` on `config`.
///
/// # Errors
///
/// A message when `p` is a financial year and neither the metric nor the
/// site says when financial years start.
pub(super) fn resolve(
    p: Period,
    metric: Option<&Metric>,
    config: &SiteConfig,
) -> Result<Period, String> {
    match p {
        Period::FinancialYear(y, 0) => {
            let start = metric
                .and_then(|m| m.financial_year_start)
                .or(config.financial_year_start)
                .ok_or_else(|| {
                    format!(
                        "financial year {p} needs a start month: set `financial_year_start` in site.yaml (or on the metric), like `financial_year_start: 4` for April"
                    )
                })?;
            Ok(Period::FinancialYear(y, start))
        }
        p => Ok(p),
    }
}

/// Fills in the start month of every financial year in the figure records
/// (their periods and base periods); a record whose financial year has no
/// start is reported and left out.
pub(super) fn resolve_figures(
    figures: &mut Vec<crate::model::Figure>,
    sources: &Sources,
    diags: &mut Diagnostics,
) {
    let config = &sources.config;
    let metrics = &sources.metrics;
    figures.retain_mut(|f| {
        let metric = metrics.iter().find(|m| m.id == f.metric);
        let mut report = |origin: &Origin, e: String| {
            diags.push(Diagnostic::error(origin.clone(), e).with_help(
                "a year from January is the calendar year: write 2016 instead of 2016/17",
            ));
        };
        match resolve(f.period, metric, config) {
            Ok(p) => f.period = p,
            Err(e) => {
                report(&f.origin, e);
                return false;
            }
        }
        if let Some(t) = f.target.as_mut()
            && let Some(bp) = t.base_period
        {
            match resolve(bp, metric, config) {
                Ok(p) => t.base_period = Some(p),
                Err(e) => {
                    report(&f.origin, e);
                    return false;
                }
            }
        }
        true
    });
}

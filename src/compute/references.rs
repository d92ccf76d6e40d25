//! Checks that every data shortcode points at a figure that exists.
//!
//! This runs after computing, because a figure may exist only as an
//! aggregate of its children.

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::{Period, ShortcodeKind};
use crate::validate::Site;
use crate::validate::shortcodes::{ChartKind, Resolved, Show};

use super::Report;

/// Reports every shortcode of `site` whose figure does not exist in `report`.
pub fn check_shortcodes(site: &Site, report: &Report, diags: &mut Diagnostics) {
    let all = site
        .releases
        .iter()
        .flat_map(|r| r.shortcodes.iter().chain(&r.cover))
        .chain(site.meetings.iter().flat_map(|m| &m.shortcodes))
        .chain(site.pages.iter().flat_map(|p| &p.shortcodes))
        .chain(site.named_charts.iter().map(|(_, r)| r));
    // Side by side, a chunk at a time, problems reported in order.
    use rayon::prelude::*;
    let all: Vec<&Resolved> = all.collect();
    let found: Vec<Diagnostics> = all
        .par_chunks(256)
        .map(|chunk| {
            let mut found = Diagnostics::new();
            for sc in chunk {
                check_one(site, report, sc, &mut found);
            }
            found
        })
        .collect();
    for d in found {
        diags.extend(d);
    }
}

fn check_one(site: &Site, report: &Report, sc: &Resolved, diags: &mut Diagnostics) {
    if sc.kind == ShortcodeKind::Custom {
        // A site's own shortcode shows no figure.
        return;
    }
    let e = sc.entity;
    let eid = &site.entities[e].id;
    let Some(m) = sc.metric else {
        // Composition: every metric needs some value for the entity (or its children).
        for &m in &sc.metrics {
            if report.series(e, m).next().is_none() {
                diags.push(Diagnostic::error(
                    sc.origin.clone(),
                    format!("no figures for `{eid}`, `{}`", site.metrics[m].id),
                ));
            }
        }
        return;
    };
    let mid = &site.metrics[m].id;
    // Content may never show figures meant for a narrower audience than its own.
    if let Some(p) = sc.period
        && let Some(c) = report.get(e, m, p)
        && c.audience > sc.audience
    {
        diags.push(
            Diagnostic::error(
                sc.origin.clone(),
                format!(
                    "{} content shows {} figure `{eid}`, `{mid}`, {p}",
                    sc.audience.as_str(),
                    c.audience.as_str()
                ),
            )
            .with_help("remove the shortcode, or mark this item `audience: internal`"),
        );
        return;
    }
    let periods_with = |want: &dyn Fn(&super::Tracked) -> bool| -> String {
        let ps: Vec<String> = report
            .series(e, m)
            .filter(|c| want(c))
            .map(|c| c.period.to_string())
            .collect();
        if ps.is_empty() {
            format!("no period of `{eid}`, `{mid}` has one")
        } else {
            format!("periods that have one: {}", ps.join(", "))
        }
    };
    let hidden = |p: Period| site.hidden_figures.contains(&(eid.clone(), mid.clone(), p));
    match (sc.kind, sc.period) {
        (ShortcodeKind::Value, Some(p)) => {
            let cell = report.get(e, m, p);
            let (field, has): (&str, &dyn Fn(&super::Tracked) -> bool) = match sc.show {
                Show::Actual => ("actual", &|c| c.actual.is_some()),
                Show::Target => ("target", &|c| c.target.is_some()),
                Show::Attainment | Show::Gap | Show::Status => ("actual and target", &|c| {
                    c.attainment.is_some() || (c.actual.is_some() && c.target.is_some())
                }),
                Show::Growth | Show::Change => {
                    ("actual and previous actual", &|c| c.change.is_some())
                }
                Show::TargetGrowth => ("target and previous whole actual", &|c| {
                    c.required_growth.is_some()
                }),
                Show::Ytd => ("actual", &|c| c.actual.is_some()),
                Show::Pace | Show::Expected => ("target and an actual in progress", &|c| {
                    c.expected.is_some()
                }),
                Show::Progress => ("progress towards a later target", &|c| c.progress.is_some()),
            };
            if cell.is_some_and(has) {
                return;
            }
            if hidden(p) {
                diags.push(
                    Diagnostic::error(
                        sc.origin.clone(),
                        format!(
                            "`{eid}`, `{mid}`, {p} is internal and this build is {}",
                            site.selection.audience.as_str()
                        ),
                    )
                    .with_help("remove the shortcode, or mark this item `audience: internal`"),
                );
                return;
            }
            diags.push(
                Diagnostic::error(
                    sc.origin.clone(),
                    format!("no {field} recorded for `{eid}`, `{mid}`, {p}"),
                )
                .with_help(periods_with(has)),
            );
        }
        (ShortcodeKind::Table, Some(p)) => {
            if site.hierarchy.children(e).is_empty() {
                diags.push(
                    Diagnostic::error(
                        sc.origin.clone(),
                        format!("`{eid}` has no children to tabulate"),
                    )
                    .with_help("a table shows an entity's children; name a region or province"),
                );
            } else if !site
                .hierarchy
                .children(e)
                .iter()
                .any(|&k| report.get(k, m, p).is_some())
            {
                diags.push(Diagnostic::error(
                    sc.origin.clone(),
                    format!("no figures of `{eid}`'s children for `{mid}`, {p}"),
                ));
            }
        }
        (ShortcodeKind::Chart, p) if sc.chart == Some(ChartKind::Breakdown) => {
            let any = site
                .hierarchy
                .children(e)
                .iter()
                .any(|&k| report.series(k, m).any(|c| p.is_none_or(|p| c.period == p)));
            if !any {
                diags.push(Diagnostic::error(
                    sc.origin.clone(),
                    format!("no figures of `{eid}`'s children for `{mid}`"),
                ));
            }
        }
        (_, Some(p)) => {
            if report.get(e, m, p).is_none() {
                diags.push(
                    Diagnostic::error(
                        sc.origin.clone(),
                        format!("no figure for `{eid}`, `{mid}`, {p}"),
                    )
                    .with_help(periods_with(&|_| true)),
                );
            }
        }
        (_, None) => {
            if report.series(e, m).next().is_none() {
                diags.push(Diagnostic::error(
                    sc.origin.clone(),
                    format!("no figures for `{eid}`, `{mid}`"),
                ));
            }
        }
    }
}

//! Charts of parts: a breakdown of an entity's children by attainment,
//! compositions (stacked bars of several metrics, by child or over time),
//! and one metric's categories (stacked bars per period, one part per
//! category of a dimension).

use super::chart_plan::{ChartKey, Grain, series};
use super::chart_plot::Plot;
use super::chart_text::{chart_status, finding_breakdown, finding_composition, subtitle};
use super::chart_time::ticks_of;
use super::chart_views::{DataTable, Drawn};
use super::charts::{BreakdownRow, KeyItem, Stack, Swatch};
use super::views::Viewer;
use crate::compute::Tracked;
use crate::format;
use crate::model::Period;

/// The children of the key's entity ranked by attainment (or pace) in the
/// key's period.
pub(super) fn breakdown<'a>(v: &'a Viewer<'a>, key: &ChartKey) -> Drawn<'a> {
    let (e, m) = (key.entity, key.metrics[0]);
    let lang = v.lang;
    let metric = &v.site.metrics[m];
    let mname = metric.name.get(lang).to_string();
    let p = key.period.expect("breakdowns have a period");
    let ranked = v.ranking(e, m, p);
    let mut table = DataTable {
        columns: ["entity", "actual", "target", "attainment", "status"]
            .iter()
            .map(|k| v.t(k).to_string())
            .collect(),
        rows: Vec::new(),
    };
    let views: Vec<_> = ranked.iter().map(|(_, c)| v.cell(c)).collect();
    let named: Vec<(String, &super::cells::CellView, &Tracked)> = ranked
        .iter()
        .zip(&views)
        .map(|((k, c), cell)| (v.entity_name(*k), cell.as_ref(), *c))
        .collect();
    let mut rows = Vec::new();
    let mut facts = Vec::new();
    let mut statuses: Vec<KeyItem> = Vec::new();
    let in_progress = named.iter().any(|(_, cell, _)| cell.in_progress);
    for (name, cell, c) in &named {
        table.rows.push(vec![
            name.clone(),
            cell.actual_fmt.clone(),
            cell.target_fmt.clone(),
            cell.attainment_fmt.clone(),
            format!("{} {}", cell.status_symbol, cell.status_label),
        ]);
        facts.push(format!(
            "{name} {} ({})",
            cell.attainment_fmt, cell.status_label
        ));
        let shown = match (&cell.pace_fmt, cell.in_progress) {
            (Some(pace), true) => format!("{} {pace}", v.t("pace").to_lowercase()),
            _ if c.attainment.is_some() => cell.attainment_fmt.clone(),
            _ => String::new(),
        };
        let status = format!("{} {}", cell.status_symbol, cell.status_label);
        let item = KeyItem::new(Swatch::Status(chart_status(c.status)), status.clone());
        if c.score().is_some() && !statuses.contains(&item) {
            statuses.push(item);
        }
        rows.push(BreakdownRow {
            name: name.clone(),
            attainment: c.score(),
            value_label: format!("{shown} {status}").trim().to_string(),
            short_label: format!("{shown} {}", cell.status_symbol).trim().to_string(),
            status: chart_status(c.status),
        });
    }
    let reference = if in_progress {
        v.t("key_reference_pace")
    } else {
        v.t("key_reference")
    };
    statuses.push(KeyItem::new(Swatch::Reference, reference));
    let group = group_word(v, e);
    let when = views
        .iter()
        .find_map(|c| c.span_label.clone())
        .unwrap_or_else(|| format::period(p, lang));
    let title = finding_breakdown(v, &mname, &when, &group, &named);
    let desc = format!("{} {}.", v.t("chart_breakdown_desc"), facts.join("; "));
    let sub = subtitle(
        v,
        metric,
        &format!("{}, {}", v.entity_name(e), v.children_label(e)),
        &when,
    );
    let hundred = format::percent(1.0, lang, 0);
    Drawn {
        title,
        subtitle: sub.replacen(
            &super::chart_text::unit_word(metric, lang),
            v.t("attainment"),
            1,
        ),
        desc,
        key: statuses,
        plot: Plot::Breakdown {
            rows,
            reference: hundred,
        },
        narrow: true,
        table,
        cells: ranked.iter().map(|(_, c)| *c).collect(),
    }
}

/// The children of `e` as a group, lowercase and plural (`provinsi`), or
/// the word for a breakdown when they are of several levels.
fn group_word(v: &Viewer, e: crate::validate::EntityIdx) -> String {
    let kids = v.site.hierarchy.children(e);
    let kind = kids.first().map(|&k| &v.site.entities[k].kind);
    match kind {
        Some(kind) if kids.iter().all(|&k| &v.site.entities[k].kind == kind) => v
            .site
            .config
            .level(kind)
            .map(|l| l.plural().get(v.lang).to_lowercase())
            .unwrap_or_else(|| kind.clone()),
        _ => v.t("children").to_lowercase(),
    }
}

/// Several metrics stacked: by child for the key's period, or by period for
/// the entity itself (up to the key's period, of its kind).
pub(super) fn composition<'a>(v: &'a Viewer<'a>, key: &ChartKey) -> Drawn<'a> {
    let e = key.entity;
    let lang = v.lang;
    let ename = v.entity_name(e);
    let names: Vec<String> = key
        .metrics
        .iter()
        .map(|&m| v.site.metrics[m].name.get(lang).to_string())
        .collect();
    let kids = v.site.hierarchy.children(e);
    let mut cells: Vec<&Tracked> = Vec::new();
    let by_child = key.period.filter(|_| !kids.is_empty());
    // (label, one value per metric)
    let cats: Vec<(String, Vec<Option<f64>>)> = match by_child {
        Some(p) => kids
            .iter()
            .map(|&k| {
                let vals = key
                    .metrics
                    .iter()
                    .map(|&m| {
                        let c = v.report.get(k, m, p);
                        cells.extend(c);
                        c.and_then(|c| c.actual)
                    })
                    .collect();
                (v.entity_name(k), vals)
            })
            .collect(),
        None => {
            let grain = key.period.map(|p| Grain::of(p.kind())).unwrap_or(key.grain);
            let mut periods: Vec<Period> = key
                .metrics
                .iter()
                .flat_map(|&m| {
                    series(v, e, m, grain, key.period)
                        .into_iter()
                        .filter(|c| c.actual.is_some())
                        .map(|c| c.period)
                })
                .collect();
            periods.sort();
            periods.dedup();
            periods
                .into_iter()
                .map(|p| {
                    let vals = key
                        .metrics
                        .iter()
                        .map(|&m| {
                            let c = v.report.get(e, m, p);
                            cells.extend(c);
                            c.and_then(|c| c.actual)
                        })
                        .collect();
                    (format::period(p, lang), vals)
                })
                .collect()
        }
    };
    let m0 = &v.site.metrics[key.metrics[0]];
    let mut table = DataTable {
        columns: vec![if by_child.is_some() {
            v.t("entity").into()
        } else {
            v.t("period").into()
        }],
        rows: Vec::new(),
    };
    table.columns.extend(names.iter().cloned());
    table.columns.push(v.t("total").into());
    let stacks: Vec<Stack> = cats
        .iter()
        .map(|(l, parts)| {
            let total: f64 = parts.iter().flatten().filter(|x| **x > 0.0).sum();
            Stack {
                label: l.clone(),
                parts: parts.iter().map(|x| x.unwrap_or(0.0)).collect(),
                total_label: v.value(m0, Some(total), true),
            }
        })
        .collect();
    for ((l, parts), stack) in cats.iter().zip(&stacks) {
        let mut row = vec![l.clone()];
        row.extend(
            parts
                .iter()
                .zip(&key.metrics)
                .map(|(x, &m)| v.value(&v.site.metrics[m], *x, true)),
        );
        row.push(stack.total_label.clone());
        table.rows.push(row);
    }
    let span = match (by_child, cats.first(), cats.last()) {
        (Some(p), ..) => format::period(p, lang),
        (None, Some(a), Some(b)) if a.0 != b.0 => format!("{}–{}", a.0, b.0),
        (None, Some(a), _) => a.0.clone(),
        _ => String::new(),
    };
    // The finding: the shares of the latest (by period) or of the whole (by child).
    let (label, parts): (String, Vec<f64>) = match by_child {
        Some(p) => (
            format::period(p, lang),
            (0..names.len())
                .map(|k| cats.iter().filter_map(|c| c.1[k]).sum())
                .collect(),
        ),
        None => match cats.last() {
            Some((l, vals)) => (l.clone(), vals.iter().map(|x| x.unwrap_or(0.0)).collect()),
            None => (String::new(), Vec::new()),
        },
    };
    let title = format!(
        "{ename} {}",
        finding_composition(lang, &label, &names, &parts)
    );
    let facts: Vec<String> = table
        .rows
        .iter()
        .map(|r| format!("{}: {}", r[0], r[1..r.len() - 1].join(" + ")))
        .collect();
    let desc = format!("{} {}.", v.t("chart_composition_desc"), facts.join("; "));
    let who = match by_child {
        Some(_) => format!("{ename}, {}", v.children_label(e)),
        None => ename.clone(),
    };
    let sub = subtitle(v, m0, &who, &span);
    let ticks = ticks_of(v, key.metrics[0]);
    Drawn {
        title,
        subtitle: sub,
        desc,
        key: Vec::new(),
        plot: Plot::Composition {
            names,
            stacks,
            ticks,
        },
        narrow: true,
        table,
        cells,
    }
}

/// One metric of the key's entity broken down by the key's dimension: a
/// stacked bar per period, one part per category, with the same numbers
/// as a table.
pub(super) fn categories<'a>(v: &'a Viewer<'a>, key: &ChartKey) -> Drawn<'a> {
    let lang = v.lang;
    let (e, m) = (key.entity, key.metrics[0]);
    let d = key.by.expect("a categories chart has a dimension");
    let dim = &v.site.dimensions[d];
    let metric = &v.site.metrics[m];
    let ename = v.entity_name(e);
    let names: Vec<String> = dim
        .categories
        .iter()
        .map(|c| c.name.get(lang).to_string())
        .collect();
    let of_dim: Vec<_> = v
        .report
        .categories_of(e, m)
        .filter(|c| c.by.len() == 1 && c.by[0].0 == d)
        .collect();
    let mut periods: Vec<Period> = of_dim.iter().map(|c| c.period).collect();
    periods.sort();
    periods.dedup();
    let mut table = DataTable {
        columns: vec![v.t("period").into()],
        rows: Vec::new(),
    };
    table.columns.extend(names.iter().cloned());
    table.columns.push(v.t("total").into());
    let mut stacks = Vec::new();
    // The totals the categories belong to carry the sources and dates.
    let mut cells: Vec<&Tracked> = Vec::new();
    for &p in &periods {
        cells.extend(v.report.get(e, m, p));
        let parts: Vec<Option<f64>> = (0..dim.categories.len())
            .map(|k| {
                of_dim
                    .iter()
                    .find(|c| c.period == p && c.by[0].1 == k)
                    .and_then(|c| c.actual)
            })
            .collect();
        let total: f64 = parts.iter().flatten().filter(|x| **x > 0.0).sum();
        let total_label = v.value(metric, Some(total), true);
        let mut row = vec![format::period(p, lang)];
        row.extend(parts.iter().map(|x| v.value(metric, *x, true)));
        row.push(total_label.clone());
        table.rows.push(row);
        stacks.push(Stack {
            label: format::period(p, lang),
            parts: parts.iter().map(|x| x.unwrap_or(0.0)).collect(),
            total_label,
        });
    }
    let span = match (periods.first(), periods.last()) {
        (Some(a), Some(b)) if a != b => {
            format!("{}–{}", format::period(*a, lang), format::period(*b, lang))
        }
        (Some(a), _) => format::period(*a, lang),
        _ => String::new(),
    };
    let (label, parts) = match stacks.last() {
        Some(s) => (s.label.clone(), s.parts.clone()),
        None => (String::new(), Vec::new()),
    };
    let title = format!(
        "{}, {ename} {}",
        metric.name.get(lang),
        finding_composition(lang, &label, &names, &parts)
    );
    let facts: Vec<String> = table
        .rows
        .iter()
        .map(|r| {
            let parts: Vec<String> = names
                .iter()
                .zip(&r[1..])
                .map(|(n, x)| format!("{n} {x}"))
                .collect();
            format!("{}: {}", r[0], parts.join(", "))
        })
        .collect();
    let desc = format!("{} {}.", v.t("chart_composition_desc"), facts.join("; "));
    let who = format!(
        "{ename}, {} {}",
        v.t("by_level"),
        dim.name.get(lang).to_lowercase()
    );
    let sub = subtitle(v, metric, &who, &span);
    let ticks = ticks_of(v, m);
    Drawn {
        title,
        subtitle: sub,
        desc,
        key: Vec::new(),
        plot: Plot::Composition {
            names,
            stacks,
            ticks,
        },
        narrow: true,
        table,
        cells,
    }
}

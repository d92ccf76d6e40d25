//! `content/data/`: entities, metrics and figure records.

use std::path::Path;

use super::raw::{ChartsFile, EntitiesFile, FiguresFile, MetricsFile};
use super::site::is_currency_code;
use super::{is_valid_slug, paths, read, slugify, yaml};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::{Entity, Figure, FigureTarget, Metric, Origin, SiteConfig, Unit};

fn origin(file: &str, loc: &serde_saphyr::Location) -> Origin {
    Origin::new(file, yaml::pos_of(loc, 1))
}

fn check_id(
    file: &str,
    id: &serde_saphyr::Spanned<String>,
    what: &str,
    diags: &mut Diagnostics,
) -> bool {
    if is_valid_slug(&id.value) {
        return true;
    }
    let suggestion = slugify(&id.value);
    diags.push(
        Diagnostic::error(
            origin(file, &id.referenced),
            format!("{what} id `{}` is not valid", id.value),
        )
        .with_help(if suggestion.is_empty() {
            "use lowercase letters, digits and hyphens".to_string()
        } else {
            format!("use lowercase letters, digits and hyphens, like `{suggestion}`")
        }),
    );
    false
}

pub(super) fn load_entities(
    root: &Path,
    config: &SiteConfig,
    diags: &mut Diagnostics,
) -> Vec<Entity> {
    let file = paths::ENTITIES;
    if !root.join(file).is_file() {
        diags.push(
            Diagnostic::error(
                Origin::new(file, Default::default()),
                "entity hierarchy not found",
            )
            .with_help("create it with an `entities:` list (see docs/format.md)"),
        );
        return Vec::new();
    }
    let Some(text) = read(root, file, diags) else {
        return Vec::new();
    };
    let raw: EntitiesFile = match yaml::parse(file, &text, 1) {
        Ok(r) => r,
        Err(d) => {
            diags.push(d);
            return Vec::new();
        }
    };
    raw.entities
        .into_iter()
        .filter_map(|item| {
            let at = origin(file, &item.referenced);
            let e = item.value;
            if !check_id(file, &e.id, "entity", diags) {
                return None;
            }
            Some(Entity {
                id: e.id.value,
                name: e.name,
                kind: e.kind,
                parent_origin: e
                    .parent
                    .as_ref()
                    .map(|p| origin(file, &p.referenced))
                    .unwrap_or_else(|| at.clone()),
                parent: e.parent.map(|p| p.value),
                description: e.description,
                complete_breakdown: e.breakdown != Some(super::raw::Breakdown::Partial),
                audience: e.audience.unwrap_or(config.default_audience),
                origin: at,
            })
        })
        .collect()
}

pub(super) fn load_metrics(
    root: &Path,
    config: &SiteConfig,
    diags: &mut Diagnostics,
) -> Vec<Metric> {
    let file = paths::METRICS;
    if !root.join(file).is_file() {
        diags.push(
            Diagnostic::error(
                Origin::new(file, Default::default()),
                "metric definitions not found",
            )
            .with_help("create it with a `metrics:` list (see docs/format.md)"),
        );
        return Vec::new();
    }
    let Some(text) = read(root, file, diags) else {
        return Vec::new();
    };
    let raw: MetricsFile = match yaml::parse(file, &text, 1) {
        Ok(r) => r,
        Err(d) => {
            diags.push(d);
            return Vec::new();
        }
    };
    raw.metrics
        .into_iter()
        .filter_map(|item| {
            let at = origin(file, &item.referenced);
            let m = item.value;
            if !check_id(file, &m.id, "metric", diags) {
                return None;
            }
            let currency = match (m.unit, m.currency) {
                (Unit::Currency, None) => Some(config.currency.clone()),
                (Unit::Currency, Some(c)) if is_currency_code(&c.value) => Some(c.value),
                (Unit::Currency, Some(c)) => {
                    diags.push(
                        Diagnostic::error(
                            origin(file, &c.referenced),
                            format!("`{}` is not an ISO 4217 currency code", c.value),
                        )
                        .with_help("use three capital letters, like `IDR`"),
                    );
                    Some(config.currency.clone())
                }
                (unit, Some(c)) => {
                    diags.push(
                        Diagnostic::error(
                            origin(file, &c.referenced),
                            format!(
                                "`currency` is only for currency metrics, and this one counts {}",
                                unit.as_str()
                            ),
                        )
                        .with_help("remove `currency`, or set `unit: currency`"),
                    );
                    None
                }
                (_, None) => None,
            };
            Some(Metric {
                id: m.id.value,
                name: m.name,
                unit: m.unit,
                currency,
                aggregate: m.aggregate,
                direction: m.direction,
                description: m.description,
                audience: m.audience.unwrap_or(config.default_audience),
                origin: at,
            })
        })
        .collect()
}

pub(super) fn load_figures(
    root: &Path,
    file: &str,
    config: &SiteConfig,
    diags: &mut Diagnostics,
) -> Vec<Figure> {
    if super::sheet_figures::EXTENSIONS
        .iter()
        .any(|ext| file.ends_with(&format!(".{ext}")))
    {
        return match super::read_bytes(root, file, diags) {
            Some(bytes) => super::sheet_figures::parse(file, bytes, config, diags),
            None => Vec::new(),
        };
    }
    let Some(text) = read(root, file, diags) else {
        return Vec::new();
    };
    if file.ends_with(".csv") {
        return super::csv_figures::parse(file, &text, config, diags);
    }
    let raw: FiguresFile = match yaml::parse(file, &text, 1) {
        Ok(r) => r,
        Err(d) => {
            diags.push(d);
            return Vec::new();
        }
    };
    let file_audience = raw.audience.unwrap_or(config.default_audience);
    let mut out = Vec::with_capacity(raw.figures.len());
    for item in raw.figures {
        let at = origin(file, &item.referenced);
        let f = item.value;
        let source = match f.source.or_else(|| raw.source.clone()) {
            Some(s) if !s.trim().is_empty() => s,
            _ => {
                diags.push(
                    Diagnostic::error(at.clone(), "figure has no source")
                        .with_help("add `source:` to the record, or a file-level `source:` for every record in this file"),
                );
                continue;
            }
        };
        if f.target.is_none() && f.actual.is_none() {
            diags.push(
                Diagnostic::error(at.clone(), "figure has neither `target` nor `actual`")
                    .with_help("give a target, an actual, or both"),
            );
            continue;
        }
        let as_of = match f.as_of {
            None => None,
            Some(s) => match s.value.parse::<jiff::civil::Date>() {
                Ok(d) => Some(d),
                Err(_) => {
                    diags.push(
                        Diagnostic::error(
                            origin(file, &s.referenced),
                            format!("`{}` is not a valid date", s.value),
                        )
                        .with_help("write dates as YYYY-MM-DD, like 2017-06-30"),
                    );
                    continue;
                }
            },
        };
        out.push(Figure {
            entity_origin: origin(file, &f.entity.referenced),
            entity: f.entity.value,
            metric_origin: origin(file, &f.metric.referenced),
            metric: f.metric.value,
            period: f.period.value,
            target: f.target.map(|t| FigureTarget {
                value: t.value.value,
                growth: t.value.growth,
            }),
            actual: f.actual.map(|a| a.value),
            as_of,
            unit: f.unit.map(|u| u.value),
            source,
            note: f.note,
            audience: f.audience.unwrap_or(file_audience),
            origin: at,
        });
    }
    out
}

/// `content/data/charts.yaml`: named charts, kept as chart shortcodes so they
/// resolve and render exactly like charts placed in Markdown.
pub(super) fn load_charts(
    root: &Path,
    diags: &mut Diagnostics,
) -> Vec<(String, crate::model::Shortcode)> {
    let file = paths::CHARTS;
    if !root.join(file).is_file() {
        return Vec::new();
    }
    let Some(text) = read(root, file, diags) else {
        return Vec::new();
    };
    let raw: ChartsFile = match yaml::parse(file, &text, 1) {
        Ok(r) => r,
        Err(d) => {
            diags.push(d);
            return Vec::new();
        }
    };
    let mut out = Vec::new();
    for item in raw.charts {
        let at = origin(file, &item.referenced);
        let c = item.value;
        if !check_id(file, &c.id, "chart", diags) {
            continue;
        }
        let mut args = std::collections::BTreeMap::new();
        args.insert("kind".to_string(), c.kind);
        if let Some(e) = c.entity {
            args.insert("entity".to_string(), e);
        }
        if let Some(m) = c.metric {
            args.insert("metric".to_string(), m);
        }
        if let Some(ms) = c.metrics {
            args.insert("metrics".to_string(), ms.join(","));
        }
        if let Some(p) = c.period {
            args.insert("period".to_string(), p.to_string());
        }
        out.push((
            c.id.value,
            crate::model::Shortcode {
                kind: crate::model::ShortcodeKind::Chart,
                args,
                range: 0..0,
                origin: at,
            },
        ));
    }
    out
}

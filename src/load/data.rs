//! `content/data/`: entities, metrics and figure records.

use std::path::Path;

use super::raw::{ChartsFile, Coverage, DimensionsFile, EntitiesFile, FiguresFile, MetricsFile};
use super::site::is_currency_code;
use super::{is_valid_slug, paths, read, slugify, yaml};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::{Entity, Figure, FigureTarget, Metric, Origin, SiteConfig, TimeKind, Unit};
use serde_saphyr::Spanned;

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
    let mut parsed = yaml::parse_all::<EntitiesFile>(file, &text, 1);
    parsed.report(diags);
    let Some(mut raw) = parsed.value.take() else {
        return Vec::new();
    };
    // Items with errors are reported; leaving them out keeps their
    // half-read values from causing errors of their own.
    raw.entities
        .retain(|item| !parsed.tainted(&item.referenced));
    raw.entities
        .into_iter()
        .filter_map(|item| {
            let at = origin(file, &item.referenced);
            let e = item.value;
            if !check_id(file, &e.id, "entity", diags) {
                return None;
            }
            if config.level(&e.kind.value).is_none() {
                let ids: Vec<&str> = config.levels.iter().map(|l| l.id.as_str()).collect();
                diags.push(
                    Diagnostic::error(
                        origin(file, &e.kind.referenced),
                        format!("unknown level `{}`", e.kind.value),
                    )
                    .with_help(
                        crate::diagnostics::did_you_mean(&e.kind.value, ids.iter().copied())
                            .unwrap_or_else(|| {
                                format!("the site's levels are {}; `levels` in site.yaml declares others", ids.join(", "))
                            }),
                    ),
                );
            }
            Some(Entity {
                id: e.id.value,
                name: e.name,
                kind: e.kind.value,
                parent_origin: e
                    .parent
                    .as_ref()
                    .map(|p| origin(file, &p.referenced))
                    .unwrap_or_else(|| at.clone()),
                parent: e.parent.map(|p| p.value),
                description: e.description,
                complete_breakdown: e.breakdown != Some(super::raw::Breakdown::Partial),
                hidden_children: false,
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
    let mut parsed = yaml::parse_all::<MetricsFile>(file, &text, 1);
    parsed.report(diags);
    let Some(mut raw) = parsed.value.take() else {
        return Vec::new();
    };
    // Items with errors are reported; leaving them out keeps their
    // half-read values from causing errors of their own.
    raw.metrics.retain(|item| !parsed.tainted(&item.referenced));
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
            let per = match (m.unit, m.per) {
                (Unit::Rate, Some(p)) if p.value > 0 => Some(p.value),
                (Unit::Rate, Some(p)) => {
                    diags.push(
                        Diagnostic::error(origin(file, &p.referenced), "`per` must be at least 1")
                            .with_help("a rate per 100,000 workers is `per: 100000`"),
                    );
                    None
                }
                (Unit::Rate, None) => {
                    diags.push(
                        Diagnostic::error(
                            at.clone(),
                            format!("rate metric `{}` does not say per how many", m.id.value),
                        )
                        .with_help("add `per:`, for example `per: 100000` for a rate per 100,000 workers"),
                    );
                    None
                }
                (unit, Some(p)) => {
                    diags.push(
                        Diagnostic::error(
                            origin(file, &p.referenced),
                            format!("`per` is only for rates, and this metric counts {}", unit.as_str()),
                        )
                        .with_help("remove `per`, or set `unit: rate`"),
                    );
                    None
                }
                (_, None) => None,
            };
            let decimals = m.decimals.and_then(|d| {
                if d.value <= 6 {
                    Some(d.value)
                } else {
                    diags.push(
                        Diagnostic::error(origin(file, &d.referenced), format!("`decimals: {}` is more than rekap shows", d.value))
                            .with_help("give 0 to 6 decimals"),
                    );
                    None
                }
            });
            let fy_start = m.financial_year_start.and_then(|s| {
                check_fy_start(file, &s, diags)
            });
            let time = m.time.unwrap_or(match m.unit {
                Unit::Percent | Unit::Rate | Unit::Index | Unit::Ratio | Unit::Days => TimeKind::Rate,
                _ => TimeKind::Flow,
            });
            let target_profile = m.target_profile.and_then(|p| {
                let ok = p.value.len() == 12
                    && p.value.iter().all(|w| w.is_finite() && *w >= 0.0)
                    && p.value.iter().sum::<f64>() > 0.0;
                if ok && time == TimeKind::Flow {
                    Some(p.value)
                } else {
                    diags.push(
                        Diagnostic::error(
                            origin(file, &p.referenced),
                            if ok {
                                "`target_profile` is only for flows (`time: flow`): a stock or rate is judged against its target itself".to_string()
                            } else {
                                format!("`target_profile` needs 12 monthly weights (January first), none negative; found {}", p.value.len())
                            },
                        )
                        .with_help("for example last year's monthly shares: [6, 7, 8, 8, 8, 9, 9, 9, 9, 9, 9, 9]"),
                    );
                    None
                }
            });
            Some(Metric {
                id: m.id.value,
                name: m.name,
                unit: m.unit,
                currency,
                per,
                decimals,
                time,
                compare: m.compare.unwrap_or_default(),
                financial_year_start: fy_start,
                target_profile,
                aggregate: m.aggregate,
                direction: m.direction,
                description: m.description,
                audience: m.audience.unwrap_or(config.default_audience),
                origin: at,
            })
        })
        .collect()
}

/// A financial year's first month: 2 to 12 (a year starting in January is
/// the calendar year).
pub(super) fn check_fy_start(file: &str, s: &Spanned<u8>, diags: &mut Diagnostics) -> Option<u8> {
    if (2..=12).contains(&s.value) {
        Some(s.value)
    } else {
        diags.push(
            Diagnostic::error(
                origin(file, &s.referenced),
                format!("`financial_year_start: {}` is not a month from 2 to 12", s.value),
            )
            .with_help("give the month the financial year starts in: 4 for April; a year from January is the calendar year"),
        );
        None
    }
}

pub(super) fn load_figures(
    root: &Path,
    file: &str,
    config: &SiteConfig,
    parts: Option<&super::yaml_parts::KeptParts>,
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
    // A long file of the usual shape is read in parts at once; else, or if
    // a part has an error, whole (every error found, as always).
    let mut parsed = match super::yaml_parts::figures(&text, parts.map(|p| (p, file))) {
        Some(read) => yaml::Parsed::clean(read),
        None => yaml::parse_all::<FiguresFile>(file, &text, 1),
    };
    // A file with errors of its own (a misspelt `source:`, say) may have lost
    // what its figures take from it: they are not reported again for that.
    let file_broken = parsed.has_errors();
    parsed.report(diags);
    let Some(mut raw) = parsed.value.take() else {
        return Vec::new();
    };
    raw.figures.retain(|item| !parsed.tainted(&item.referenced));
    let file_audience = raw.audience.unwrap_or(config.default_audience);
    let mut out = Vec::with_capacity(raw.figures.len());
    for item in raw.figures {
        let at = origin(file, &item.referenced);
        let f = item.value;
        let source = match f.source.or_else(|| raw.source.clone()) {
            Some(s) if !s.trim().is_empty() => s,
            _ if file_broken => continue,
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
        // Amounts as written: a YAML float may be `8.14e11` or `.inf`.
        let mut amounts_ok = true;
        let written = [
            f.actual.as_ref().map(|a| a.referenced),
            f.target.as_ref().and_then(|t| {
                t.value
                    .value
                    .map(|_| t.value.value_at.unwrap_or(t.referenced))
            }),
        ];
        for loc in written.into_iter().flatten() {
            if let Some(d) = amount_as_written(file, &text, &loc) {
                diags.push(d);
                amounts_ok = false;
            }
        }
        if let (Some(as_of), None) = (&f.as_of, &f.actual) {
            diags.push(
                Diagnostic::error(
                    origin(file, &as_of.referenced),
                    "`as_of` without `actual`: it is the day an actual was measured",
                )
                .with_help("add the `actual:` measured that day, or remove `as_of`"),
            );
            amounts_ok = false;
        }
        if !amounts_ok {
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
                base_period: t.value.base_period,
            }),
            actual: f.actual.map(|a| a.value),
            as_of,
            unit: f.unit.map(|u| u.value),
            source,
            note: f.note,
            audience: f.audience.unwrap_or(file_audience),
            by: f.by.unwrap_or_default().into_iter().collect(),
            origin: at,
        });
    }
    out
}

/// The text of the scalar at `loc` in `text`.
fn scalar_text<'a>(text: &'a str, loc: &serde_saphyr::Location) -> Option<&'a str> {
    let span = loc.span();
    let start = span.byte_offset()? as usize;
    let len = span.byte_len()? as usize;
    text.get(start..start + len)
}

/// An error if the amount at `loc` is not written as a plain decimal number
/// (`577958`, `57.3`, `-12`): YAML also reads `8.14e11`, `.inf`, `0x1F` and
/// `1_000` as numbers, which figures never are.
fn amount_as_written(file: &str, text: &str, loc: &serde_saphyr::Location) -> Option<Diagnostic> {
    let raw = scalar_text(text, loc)?.trim();
    let written = raw.trim_matches(|c| c == '"' || c == '\'');
    if super::amount::parse(written, Some(super::amount::DecimalMark::Point)).is_ok()
        && !written.contains('_')
    {
        return None;
    }
    let lower = written.to_ascii_lowercase();
    let digits = lower.trim_start_matches(['-', '+']);
    let (what, help) =
        if digits.starts_with("0x") || digits.starts_with("0o") || digits.starts_with("0b") {
            (
                "is not written in decimal".to_string(),
                "write the amount in decimal digits".to_string(),
            )
        } else if lower.contains("inf") || lower.contains("nan") {
            (
                "is not an amount".to_string(),
                "write the figure as a number, like 577958".to_string(),
            )
        } else if lower.contains('e') {
            let full = written
                .parse::<f64>()
                .ok()
                .filter(|v| v.is_finite() && v.abs() < 1e16)
                .map(|v| format!(": {v}"))
                .unwrap_or_default();
            (
                "is written with an exponent".to_string(),
                format!("write the amount in full{full}"),
            )
        } else if lower.contains('_') {
            (
                "has `_` between its digits".to_string(),
                format!("write the digits alone: {}", written.replace('_', "")),
            )
        } else {
            (
                "is not a plain number".to_string(),
                "write a plain number, like 577958 or 57.3".to_string(),
            )
        };
    Some(Diagnostic::error(origin(file, loc), format!("`{written}` {what}")).with_help(help))
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
    let mut parsed = yaml::parse_all::<ChartsFile>(file, &text, 1);
    parsed.report(diags);
    let Some(mut raw) = parsed.value.take() else {
        return Vec::new();
    };
    // Items with errors are reported; leaving them out keeps their
    // half-read values from causing errors of their own.
    raw.charts.retain(|item| !parsed.tainted(&item.referenced));
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
                custom: None,
                kind: crate::model::ShortcodeKind::Chart,
                args,
                range: 0..0,
                origin: at,
            },
        ));
    }
    out
}

/// Reads `content/data/dimensions.yaml`, if the site has one.
pub(super) fn load_dimensions(
    root: &Path,
    diags: &mut Diagnostics,
) -> Vec<crate::model::Dimension> {
    let file = paths::DIMENSIONS;
    if !root.join(file).is_file() {
        return Vec::new();
    }
    let Some(text) = read(root, file, diags) else {
        return Vec::new();
    };
    let raw: DimensionsFile = match yaml::parse(file, &text, 1) {
        Ok(r) => r,
        Err(d) => {
            diags.push(d);
            return Vec::new();
        }
    };
    let mut out = Vec::new();
    for item in raw.dimensions {
        let at = origin(file, &item.referenced);
        let d = item.value;
        if !check_id(file, &d.id, "dimension", diags) {
            continue;
        }
        let mut seen = std::collections::HashSet::new();
        let mut ok = !d.categories.is_empty();
        for c in &d.categories {
            if !is_valid_slug(&c.id) || !seen.insert(c.id.clone()) {
                ok = false;
            }
        }
        if !ok {
            diags.push(
                Diagnostic::error(
                    at.clone(),
                    format!("dimension `{}` needs categories, each with its own valid id", d.id.value),
                )
                .with_help("for example: categories: [{id: female, name: {id: Perempuan, en: Women}}, {id: male, name: {id: Laki-laki, en: Men}}]"),
            );
            continue;
        }
        out.push(crate::model::Dimension {
            id: d.id.value,
            name: d.name,
            categories: d.categories,
            complete: d.total != Some(Coverage::Partial),
            origin: at,
        });
    }
    out
}

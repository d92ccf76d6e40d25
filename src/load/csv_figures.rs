//! Figure records from spreadsheets: `content/data/figures/*.csv`, one record
//! a row, the same fields as the YAML records as columns.
//!
//! Columns: `entity`, `metric`, `period`, `target`, `target_growth`, `actual`,
//! `as_of`, `unit`, `source`, `note`, `audience`. Only `entity`, `metric`,
//! `period` and `source` are required. Errors name the file, the row's line
//! and the column.
//!
//! Cells are separated by `,` or `;` (whichever the header row uses). Lines
//! starting with `#` are comments; one of them may declare the file's decimal
//! mark (`# decimal: comma` or `# decimal: point`, see [`super::amount`]).

use std::collections::HashMap;

use super::amount::{self, DecimalMark};
use super::parse_growth;
use crate::diagnostics::{Diagnostic, Diagnostics, did_you_mean};
use crate::model::{Audience, Figure, FigureTarget, Origin, Period, Pos, SiteConfig, Text, Unit};

const COLUMNS: &[&str] = &[
    "entity",
    "metric",
    "period",
    "target",
    "target_growth",
    "actual",
    "as_of",
    "unit",
    "source",
    "note",
    "audience",
];

/// Parses the CSV `text` of `file` into figure records.
pub(super) fn parse(
    file: &str,
    text: &str,
    config: &SiteConfig,
    diags: &mut Diagnostics,
) -> Vec<Figure> {
    let Some(mark) = declared_mark(file, text, diags) else {
        return Vec::new();
    };
    let mut reader = csv::ReaderBuilder::new()
        .flexible(false)
        .trim(csv::Trim::All)
        .comment(Some(b'#'))
        .delimiter(delimiter(text))
        .from_reader(text.as_bytes());
    let headers = match reader.headers() {
        Ok(h) => h.clone(),
        Err(e) => {
            diags.push(Diagnostic::error(
                Origin::new(file, Pos::new(1, 1)),
                format!("cannot read the header row: {e}"),
            ));
            return Vec::new();
        }
    };
    let mut col: HashMap<&str, usize> = HashMap::new();
    let mut header_ok = true;
    for (i, h) in headers.iter().enumerate() {
        let name = h.trim().trim_start_matches('\u{feff}');
        match COLUMNS.iter().find(|c| **c == name) {
            Some(c) => {
                col.insert(c, i);
            }
            None => {
                header_ok = false;
                diags.push(
                    Diagnostic::error(
                        Origin::new(file, Pos::new(1, column_pos(&headers, i))),
                        format!("unknown column `{name}`"),
                    )
                    .with_help(
                        did_you_mean(name, COLUMNS.iter().copied())
                            .unwrap_or_else(|| format!("valid columns: {}", COLUMNS.join(", "))),
                    ),
                );
            }
        }
    }
    for required in ["entity", "metric", "period", "source"] {
        if !col.contains_key(required) {
            header_ok = false;
            diags.push(
                Diagnostic::error(
                    Origin::new(file, Pos::new(1, 1)),
                    format!("missing column `{required}`"),
                )
                .with_help("the header row needs at least: entity, metric, period, source"),
            );
        }
    }
    if !header_ok {
        return Vec::new();
    }
    let mut out = Vec::new();
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map(|p| p.line() as u32).unwrap_or(0);
                diags.push(Diagnostic::error(Origin::new(file, Pos::new(line, 1)), format!("malformed row: {e}")).with_help(
                    "every row needs as many cells as the header; quote cells that contain commas",
                ));
                continue;
            }
        };
        let line = record.position().map(|p| p.line() as u32).unwrap_or(0);
        let cell = |name: &str| -> (&str, Origin) {
            let i = col.get(name).copied();
            let v = i.and_then(|i| record.get(i)).unwrap_or("");
            let column = i.map(|i| column_pos(&record, i)).unwrap_or(1);
            (v, Origin::new(file, Pos::new(line, column)))
        };
        let mut row_errors: Vec<Diagnostic> = Vec::new();
        let mut err = |origin: Origin, msg: String, help: &str| {
            row_errors.push(Diagnostic::error(origin, msg).with_help(help.to_string()));
        };
        let number = |name: &str, err: &mut dyn FnMut(Origin, String, &str)| -> Option<f64> {
            let (v, o) = cell(name);
            if v.is_empty() {
                return None;
            }
            match amount::parse(v, mark) {
                Ok(x) => Some(x),
                Err(e) => {
                    err(o, format!("column `{name}`: `{v}` {e}"), e.help());
                    None
                }
            }
        };
        let (entity, entity_origin) = cell("entity");
        let (metric, metric_origin) = cell("metric");
        let (period_s, period_origin) = cell("period");
        let period = match period_s.parse::<Period>() {
            Ok(p) => Some(p),
            Err(e) => {
                err(
                    period_origin,
                    format!("column `period`: {e}"),
                    "a year (2017), a quarter (2017-Q1) or a month (2017-01)",
                );
                None
            }
        };
        let target = number("target", &mut err);
        let actual = number("actual", &mut err);
        let (g, g_origin) = cell("target_growth");
        let growth = if g.is_empty() {
            None
        } else {
            match parse_growth(g) {
                Ok(x) => Some(x),
                Err(m) => {
                    err(
                        g_origin,
                        format!("column `target_growth`: {m}"),
                        "write growth like 15%",
                    );
                    None
                }
            }
        };
        let (as_of_s, as_of_origin) = cell("as_of");
        let as_of = if as_of_s.is_empty() {
            None
        } else {
            match as_of_s.parse::<jiff::civil::Date>() {
                Ok(d) => Some(d),
                Err(_) => {
                    err(
                        as_of_origin,
                        format!("column `as_of`: `{as_of_s}` is not a valid date"),
                        "write dates as YYYY-MM-DD",
                    );
                    None
                }
            }
        };
        let (unit_s, unit_origin) = cell("unit");
        let unit = match unit_s {
            "" => None,
            "people" => Some(Unit::People),
            "currency" => Some(Unit::Currency),
            "percent" => Some(Unit::Percent),
            "count" => Some(Unit::Count),
            other => {
                let help = did_you_mean(other, ["people", "currency", "percent", "count"])
                    .unwrap_or_else(|| "one of people, currency, percent, count".into());
                err(
                    unit_origin,
                    format!("column `unit`: unknown unit `{other}`"),
                    &help,
                );
                None
            }
        };
        let (aud_s, aud_origin) = cell("audience");
        let audience = match aud_s {
            "" => config.default_audience,
            "public" => Audience::Public,
            "internal" => Audience::Internal,
            other => {
                err(
                    aud_origin,
                    format!("column `audience`: unknown audience `{other}`"),
                    "public or internal",
                );
                config.default_audience
            }
        };
        let (source, source_origin) = cell("source");
        if source.is_empty() {
            err(
                source_origin,
                "figure has no source".into(),
                "fill the `source` cell of this row",
            );
        }
        if entity.is_empty() || metric.is_empty() {
            err(
                Origin::new(file, Pos::new(line, 1)),
                "row has no entity or metric".into(),
                "fill the `entity` and `metric` cells",
            );
        }
        let (note, _) = cell("note");
        let ok = row_errors.is_empty();
        for e in row_errors {
            diags.push(e);
        }
        if ok && target.is_none() && growth.is_none() && actual.is_none() {
            diags.push(
                Diagnostic::error(
                    Origin::new(file, Pos::new(line, 1)),
                    "figure has neither `target` nor `actual`",
                )
                .with_help("give a target, an actual, or both"),
            );
            continue;
        }
        let (Some(period), true) = (period, ok) else {
            continue;
        };
        out.push(Figure {
            entity: entity.to_string(),
            entity_origin,
            metric: metric.to_string(),
            metric_origin,
            period,
            target: (target.is_some() || growth.is_some()).then_some(FigureTarget {
                value: target,
                growth,
            }),
            actual,
            as_of,
            unit,
            source: source.to_string(),
            note: (!note.is_empty()).then(|| Text::Plain(note.to_string())),
            audience,
            origin: Origin::new(file, Pos::new(line, 1)),
        });
    }
    out
}

/// The decimal mark declared in the comment lines at the top of `text`
/// (`# decimal: comma`): `Some(None)` when none is declared, `None` (and an
/// error) when the declaration names no known mark.
fn declared_mark(file: &str, text: &str, diags: &mut Diagnostics) -> Option<Option<DecimalMark>> {
    let mut mark = None;
    for (i, line) in text.lines().enumerate() {
        let Some(comment) = line.trim_start_matches('\u{feff}').strip_prefix('#') else {
            break;
        };
        let Some((key, value)) = comment.split_once(':') else {
            continue;
        };
        if key.trim() != "decimal" {
            continue;
        }
        match DecimalMark::parse(value) {
            Some(m) => mark = Some(m),
            None => {
                diags.push(
                    Diagnostic::error(
                        Origin::new(file, Pos::new(i as u32 + 1, 1)),
                        format!("unknown decimal mark `{}`", value.trim()),
                    )
                    .with_help("write `# decimal: comma` (1.234,5) or `# decimal: point` (1234.5)"),
                );
                return None;
            }
        }
    }
    Some(mark)
}

/// `;` when the header row (the first line that is not a comment) has more
/// semicolons than commas, as spreadsheets set to Indonesian save it; else `,`.
fn delimiter(text: &str) -> u8 {
    let header = text
        .lines()
        .map(|l| l.trim_start_matches('\u{feff}'))
        .find(|l| !l.starts_with('#'))
        .unwrap_or("");
    let count = |c: char| header.chars().filter(|x| *x == c).count();
    if count(';') > count(',') { b';' } else { b',' }
}

/// 1-based column (in characters) where header cell `i` starts, assuming unquoted cells.
fn column_pos(headers: &csv::StringRecord, i: usize) -> u32 {
    headers
        .iter()
        .take(i)
        .map(|h| h.chars().count() as u32 + 1)
        .sum::<u32>()
        + 1
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Lang, StatusThresholds};

    fn config() -> SiteConfig {
        SiteConfig {
            title: Text::from("t"),
            description: Text::default(),
            base_url: "/".into(),
            language: Lang::Id,
            default_entity: None,
            allow_html: Default::default(),
            default_audience: Audience::Public,
            currency: "IDR".into(),
            status: StatusThresholds::default(),
            organisation: None,
            charts_png: Default::default(),
        }
    }

    #[test]
    fn rows_become_figures() {
        let mut d = Diagnostics::new();
        let f = parse(
            "f.csv",
            "entity,metric,period,target,target_growth,actual,source\ngorontalo,contributions,2016,55000000000,,53460000000,Illustrative\nmaluku,contributions,2017,,15%,,x\n",
            &config(),
            &mut d,
        );
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(f.len(), 2);
        assert_eq!(f[0].actual, Some(53_460_000_000.0));
        assert_eq!(f[0].origin.pos.line, 2);
        assert_eq!(f[1].target.unwrap().growth, Some(0.15));
    }

    #[test]
    fn a_non_numeric_cell_names_row_and_column() {
        let mut d = Diagnostics::new();
        parse(
            "f.csv",
            "entity,metric,period,actual,source\ngorontalo,x,2016,abc,s\n",
            &config(),
            &mut d,
        );
        let e = d.iter().next().unwrap();
        assert_eq!(e.origin.pos.line, 2);
        assert_eq!(e.origin.pos.column, 18);
        assert!(
            e.message.contains("`actual`") && e.message.contains("`abc`"),
            "{e}"
        );
    }

    fn parse_ok(text: &str) -> Vec<Figure> {
        let mut d = Diagnostics::new();
        let f = parse("f.csv", text, &config(), &mut d);
        assert!(d.is_empty(), "{d:?}");
        f
    }

    fn first_error(text: &str) -> Diagnostic {
        let mut d = Diagnostics::new();
        parse("f.csv", text, &config(), &mut d);
        d.into_iter().next().expect("an error")
    }

    #[test]
    fn dot_grouped_thousands_in_an_undeclared_file_are_an_error_at_the_cell() {
        let e = first_error("entity,metric,period,actual,source\ngorontalo,x,2016,28.212,s\n");
        assert_eq!((e.origin.pos.line, e.origin.pos.column), (2, 18));
        assert!(e.message.contains("`28.212` is ambiguous"), "{e}");
        assert!(e.help.unwrap().contains("# decimal: comma"));
    }

    #[test]
    fn a_comma_file_with_semicolons_reads_like_an_indonesian_spreadsheet() {
        let f = parse_ok(
            "# decimal: comma\nentity;metric;period;target;actual;source\n\
             gorontalo;x;2016;30.000;28.212;s\nmaluku;rate;2016;;0,38;\"a; b\"\n",
        );
        assert_eq!(f[0].actual, Some(28212.0));
        assert_eq!(f[0].target.unwrap().value, Some(30000.0));
        assert_eq!(f[1].actual, Some(0.38));
        assert_eq!(f[1].source, "a; b");
        assert_eq!(f[0].origin.pos.line, 3, "lines count the comment");
    }

    #[test]
    fn a_point_file_reads_dots_as_decimals() {
        let f =
            parse_ok("# decimal: point\nentity,metric,period,actual,source\ng,x,2016,28.212,s\n");
        assert_eq!(f[0].actual, Some(28.212));
    }

    #[test]
    fn an_unknown_decimal_mark_is_an_error_on_its_line() {
        let e = first_error(
            "# exported from Excel\n# decimal: koma\nentity,metric,period,actual,source\n",
        );
        assert_eq!(e.origin.pos.line, 2);
        assert!(e.message.contains("`koma`"), "{e}");
    }

    #[test]
    fn exponents_are_not_amounts() {
        let e = first_error("entity,metric,period,actual,source\ng,x,2016,8.14e11,s\n");
        assert!(e.message.contains("`8.14e11` is not a number"), "{e}");
    }

    #[test]
    fn an_unknown_column_suggests_the_nearest() {
        let mut d = Diagnostics::new();
        parse(
            "f.csv",
            "entity,metric,period,actaul,source\n",
            &config(),
            &mut d,
        );
        let e = d.iter().next().unwrap();
        assert_eq!(e.help.as_deref(), Some("did you mean `actual`?"));
    }

    #[test]
    fn a_short_row_is_an_error_with_its_line() {
        let mut d = Diagnostics::new();
        parse(
            "f.csv",
            "entity,metric,period,actual,source\na,b,2016,1,s\na,b\n",
            &config(),
            &mut d,
        );
        assert_eq!(d.iter().next().unwrap().origin.pos.line, 3);
    }
}

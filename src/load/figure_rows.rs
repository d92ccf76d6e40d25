//! Figure records from rows of a table, whichever file holds the table: a
//! CSV file ([`super::csv_figures`]) or a sheet of a workbook
//! ([`super::sheet_figures`]). Both have the same columns, read here the
//! same way; only how a cell arrives (always text in CSV; a number, a date or
//! text in a spreadsheet) and how an error names its place differ.
//!
//! Columns: `entity`, `metric`, `period`, `target`, `target_growth`, `actual`,
//! `as_of`, `unit`, `source`, `note`, `audience`. Only `entity`, `metric`,
//! `period` and `source` are required.

use std::borrow::Cow;

use super::amount::{self, DecimalMark};
use super::parse_growth;
use crate::diagnostics::{Diagnostic, Diagnostics, did_you_mean};
use crate::model::{Audience, Figure, FigureTarget, Origin, Period, SiteConfig, Text, Unit};

/// Every column a figure table may have, in the order of the docs.
pub(super) const COLUMNS: &[&str] = &[
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

/// The columns every table needs.
const REQUIRED: [&str; 4] = ["entity", "metric", "period", "source"];

/// One cell, as its file holds it.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Cell<'a> {
    /// Nothing, or only spaces.
    Empty,
    /// Text, trimmed (every CSV cell; a text cell of a spreadsheet).
    Text(&'a str),
    /// A number cell of a spreadsheet.
    Number(f64),
    /// A date cell of a spreadsheet.
    Date(jiff::civil::Date),
    /// A value no column takes, described for the error message
    /// (`the value TRUE`, `the error #DIV/0!`, `a duration`).
    Other(String),
}

impl Cell<'_> {
    /// What the cell holds, for messages: `` `abc` ``, `the number 12`, ...
    fn describe(&self) -> String {
        match self {
            Cell::Empty => "nothing".into(),
            Cell::Text(s) => format!("`{s}`"),
            Cell::Number(x) => format!("the number {}", number_text(*x)),
            Cell::Date(d) => format!("the date {d}"),
            Cell::Other(what) => what.clone(),
        }
    }
}

/// A number as a person would type it: `2016`, not `2016.0`.
fn number_text(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        format!("{x}")
    }
}

/// One row of a table, as [`figure`] reads it.
pub(super) trait Row {
    /// The cell at column index `i` (as numbered by the header, see [`Columns`]).
    fn cell(&self, i: usize) -> Cell<'_>;
    /// Where cell `i` is; `None`: the row itself.
    fn origin(&self, i: Option<usize>) -> Origin;
    /// How messages name cell `i` of column `column`: ``column `actual` `` in
    /// a CSV file, ``cell E7, column `actual` `` in a sheet.
    fn place(&self, i: usize, column: &str) -> String;
    /// Whether the row is in a sheet (whose cells may be numbers, and whose
    /// notation a cell declares) rather than a CSV file.
    fn in_sheet(&self) -> bool {
        false
    }
}

/// Where each column is, from the header row.
#[derive(Debug, Clone, Default)]
pub(super) struct Columns {
    at: Vec<(&'static str, usize)>,
    /// Category columns (`by.type`): dimension id and column index.
    by: Vec<(String, usize)>,
}

impl Columns {
    /// Reads a header row: each cell's index, text, origin, and the prefix
    /// its messages start with (empty, or `cell D1: `). `row` is the origin
    /// of the row itself, for missing columns. `None` (and errors) if a name
    /// is unknown, given twice, or a required column is missing.
    pub(super) fn from_header<'a>(
        cells: impl IntoIterator<Item = (usize, &'a str, Origin, String)>,
        row: Origin,
        diags: &mut Diagnostics,
    ) -> Option<Columns> {
        let mut at: Vec<(&'static str, usize)> = Vec::new();
        let mut by: Vec<(String, usize)> = Vec::new();
        let mut ok = true;
        for (i, name, origin, prefix) in cells {
            let name = name.trim().trim_start_matches('\u{feff}');
            if let Some(dim) = name.strip_prefix("by.") {
                if !crate::slug::is_valid_slug(dim) || by.iter().any(|(d, _)| d == dim) {
                    ok = false;
                    diags.push(
                        Diagnostic::error(
                            origin,
                            format!(
                                "{prefix}category column `{name}` is not valid or is given twice"
                            ),
                        )
                        .with_help(
                            "name a category column `by.` and a dimension id, like `by.type`, once",
                        ),
                    );
                } else {
                    by.push((dim.to_string(), i));
                }
                continue;
            }
            match COLUMNS.iter().find(|c| **c == name) {
                Some(c) if at.iter().any(|(n, _)| n == c) => {
                    ok = false;
                    diags.push(
                        Diagnostic::error(
                            origin,
                            format!("{prefix}column `{name}` is given twice"),
                        )
                        .with_help("keep one column of each name"),
                    );
                }
                Some(c) => at.push((c, i)),
                None => {
                    ok = false;
                    diags.push(
                        Diagnostic::error(origin, format!("{prefix}unknown column `{name}`"))
                            .with_help(did_you_mean(name, COLUMNS.iter().copied()).unwrap_or_else(
                                || format!("valid columns: {}", COLUMNS.join(", ")),
                            )),
                    );
                }
            }
        }
        for required in REQUIRED {
            if !at.iter().any(|(n, _)| *n == required) {
                ok = false;
                diags.push(
                    Diagnostic::error(row.clone(), format!("missing column `{required}`"))
                        .with_help("the header row needs at least: entity, metric, period, source"),
                );
            }
        }
        ok.then_some(Columns { at, by })
    }

    /// The index of column `name`, if the table has it.
    pub(super) fn get(&self, name: &str) -> Option<usize> {
        self.at.iter().find(|(n, _)| *n == name).map(|(_, i)| *i)
    }

    /// Whether index `i` is one of the columns.
    pub(super) fn contains(&self, i: usize) -> bool {
        self.at.iter().any(|(_, j)| *j == i) || self.by.iter().any(|(_, j)| *j == i)
    }
}

/// Reads one row into a figure record, reporting every problem of the row;
/// `None` if it has any.
pub(super) fn figure(
    row: &dyn Row,
    cols: &Columns,
    mark: Option<DecimalMark>,
    config: &SiteConfig,
    diags: &mut Diagnostics,
) -> Option<Figure> {
    let cell = |name: &str| -> (Cell<'_>, Origin, String) {
        match cols.get(name) {
            Some(i) => (row.cell(i), row.origin(Some(i)), row.place(i, name)),
            None => (Cell::Empty, row.origin(None), format!("column `{name}`")),
        }
    };
    let mut errors: Vec<Diagnostic> = Vec::new();
    let mut err = |origin: Origin, msg: String, help: &str| {
        errors.push(Diagnostic::error(origin, msg).with_help(help.to_string()));
    };

    // Text columns: a number or date typed there reads as its text.
    let text = |name: &str, err: &mut dyn FnMut(Origin, String, &str)| -> String {
        let (c, o, place) = cell(name);
        match c {
            Cell::Empty => String::new(),
            Cell::Text(s) => s.to_string(),
            Cell::Number(x) => number_text(x),
            Cell::Date(d) => d.to_string(),
            Cell::Other(what) => {
                err(
                    o,
                    format!("{place}: holds {what}, not text"),
                    "type the text into the cell",
                );
                String::new()
            }
        }
    };
    let mut by: Vec<(String, String)> = Vec::new();
    for (dim, i) in &cols.by {
        match row.cell(*i) {
            Cell::Empty => {}
            Cell::Text(s) => by.push((dim.clone(), s.to_string())),
            other => err(
                row.origin(Some(*i)),
                format!(
                    "{}: holds {}, not a category id",
                    row.place(*i, &format!("by.{dim}")),
                    other.describe()
                ),
                "type the category's id, like `wage-earner`",
            ),
        }
    }
    by.sort();
    let entity = text("entity", &mut err);
    let metric = text("metric", &mut err);
    let unit_s = text("unit", &mut err);
    let aud_s = text("audience", &mut err);
    let source = text("source", &mut err);
    let note = text("note", &mut err);

    let number = |name: &str, err: &mut dyn FnMut(Origin, String, &str)| -> Option<f64> {
        let (c, o, place) = cell(name);
        match c {
            Cell::Empty => None,
            Cell::Number(x) => Some(x),
            Cell::Text(v) => match amount::parse(v, mark) {
                Ok(x) => Some(x),
                Err(e) => {
                    let help = if row.in_sheet() {
                        e.help_in_sheet()
                    } else {
                        e.help()
                    };
                    err(o, format!("{place}: `{v}` {e}"), help);
                    None
                }
            },
            other => {
                err(
                    o,
                    format!("{place}: holds {}, not a number", other.describe()),
                    "type the number into the cell, or format the cell as a number; a formula must give a number",
                );
                None
            }
        }
    };
    let target = number("target", &mut err);
    let actual = number("actual", &mut err);

    let (period_c, period_origin, period_place) = cell("period");
    let period_text: Option<Cow<str>> = match &period_c {
        Cell::Text(s) => Some(Cow::Borrowed(s)),
        Cell::Number(x) if x.fract() == 0.0 => Some(Cow::Owned(number_text(*x))),
        Cell::Empty => Some(Cow::Borrowed("")),
        _ => None,
    };
    let period = match period_text.map(|t| t.parse::<Period>()) {
        Some(Ok(p)) => Some(p),
        Some(Err(e)) => {
            err(
                period_origin.clone(),
                format!("{period_place}: {e}"),
                "a year (2017), a quarter (2017-Q1) or a month (2017-01)",
            );
            None
        }
        None => {
            let help = if matches!(period_c, Cell::Date(_)) {
                "the spreadsheet turned a period into a date: format the column as text and type 2017-01 again (or type '2017-01, with an apostrophe)"
            } else {
                "a year (2017), a quarter (2017-Q1) or a month (2017-01)"
            };
            err(
                period_origin.clone(),
                format!(
                    "{period_place}: holds {}, not a period",
                    period_c.describe()
                ),
                help,
            );
            None
        }
    };

    let (g, g_origin, g_place) = cell("target_growth");
    let growth = match g {
        Cell::Empty => None,
        Cell::Text(s) => match parse_growth(s) {
            Ok(x) => Some(x),
            Err(m) => {
                err(g_origin, format!("{g_place}: {m}"), "write growth like 15%");
                None
            }
        },
        // A spreadsheet keeps 15% as 0.15. A whole number of 2 or more is
        // almost surely 15 meant as 15%, not a growth of 1500%.
        Cell::Number(x) if x.fract() == 0.0 && x.abs() >= 2.0 => {
            err(
                g_origin,
                format!(
                    "{g_place}: the number {} would be a growth of {}%",
                    number_text(x),
                    number_text(x * 100.0)
                ),
                "type the growth with a % sign (15%), which the spreadsheet keeps as a percentage; or type it as text, like 15%",
            );
            None
        }
        Cell::Number(x) => Some(x),
        other => {
            err(
                g_origin,
                format!("{g_place}: holds {}, not a growth", other.describe()),
                "write growth like 15%",
            );
            None
        }
    };

    let (as_of_c, as_of_origin, as_of_place) = cell("as_of");
    if !matches!(as_of_c, Cell::Empty)
        && actual.is_none()
        && !matches!(cell("actual").0, Cell::Text(_) | Cell::Number(_))
    {
        err(
            as_of_origin.clone(),
            format!(
                "{as_of_place}: `as_of` without `actual`: it is the day an actual was measured"
            ),
            "fill in the actual measured that day, or empty the `as_of` cell",
        );
    }
    let as_of = match as_of_c {
        Cell::Empty => None,
        Cell::Date(d) => Some(d),
        Cell::Text(s) => match s.parse::<jiff::civil::Date>() {
            Ok(d) => Some(d),
            Err(_) => {
                err(
                    as_of_origin,
                    format!("{as_of_place}: `{s}` is not a valid date"),
                    "write dates as YYYY-MM-DD",
                );
                None
            }
        },
        other => {
            err(
                as_of_origin,
                format!("{as_of_place}: holds {}, not a date", other.describe()),
                "format the cell as a date, or type the date as text, YYYY-MM-DD",
            );
            None
        }
    };

    let (_, unit_origin, unit_place) = cell("unit");
    let unit = match unit_s.as_str() {
        "" => None,
        written => match Unit::ALL.iter().find(|u| u.as_str() == written) {
            Some(u) => Some(*u),
            None => {
                let names: Vec<&str> = Unit::ALL.iter().map(|u| u.as_str()).collect();
                let help = did_you_mean(written, names.iter().copied())
                    .unwrap_or_else(|| format!("one of {}", names.join(", ")));
                err(
                    unit_origin,
                    format!("{unit_place}: unknown unit `{written}`"),
                    &help,
                );
                None
            }
        },
    };
    let (_, aud_origin, aud_place) = cell("audience");
    let audience = match aud_s.as_str() {
        "" => config.default_audience,
        "public" => Audience::Public,
        "internal" => Audience::Internal,
        other => {
            err(
                aud_origin,
                format!("{aud_place}: unknown audience `{other}`"),
                "public or internal",
            );
            config.default_audience
        }
    };
    let (_, source_origin, _) = cell("source");
    if source.is_empty() {
        err(
            source_origin,
            "figure has no source".into(),
            "fill the `source` cell of this row",
        );
    }
    if entity.is_empty() || metric.is_empty() {
        err(
            row.origin(None),
            "row has no entity or metric".into(),
            "fill the `entity` and `metric` cells",
        );
    }
    let (_, entity_origin, _) = cell("entity");
    let (_, metric_origin, _) = cell("metric");
    let ok = errors.is_empty();
    for e in errors {
        diags.push(e);
    }
    if ok && target.is_none() && growth.is_none() && actual.is_none() {
        diags.push(
            Diagnostic::error(row.origin(None), "figure has neither `target` nor `actual`")
                .with_help("give a target, an actual, or both"),
        );
        return None;
    }
    let (Some(period), true) = (period, ok) else {
        return None;
    };
    Some(Figure {
        entity,
        entity_origin,
        metric,
        metric_origin,
        period,
        target: (target.is_some() || growth.is_some()).then_some(FigureTarget {
            value: target,
            growth,
            base_period: None,
        }),
        actual,
        as_of,
        unit,
        source,
        note: (!note.is_empty()).then_some(Text::Plain(note)),
        audience,
        by,
        origin: row.origin(None),
    })
}

//! Figure records straight from workbooks: `content/data/figures/*.xlsx`
//! (Excel) and `*.ods` (LibreOffice, OpenDocument), read with `calamine`.
//!
//! Every sheet is read except those whose name starts with `_` (notes,
//! pivots, lookups: `_notes`), chart sheets and empty sheets. In each sheet,
//! rows whose first filled cell starts with `#` are comments, and blank rows
//! are skipped; the first other row is the header, with the same column
//! names as a CSV file ([`super::figure_rows`]), and each row under it is one
//! record. The header may start in any row and column.
//!
//! A number cell is a number, a date cell a date: no notation to guess. Text
//! cells holding numbers (pasted from a report: `1.234.567`) are read like
//! CSV cells, with the decimal mark a comment cell above the header declares
//! for its sheet (`# decimal: comma`, see [`super::amount`]). A formula is
//! read by the value it last computed, as the spreadsheet program saved it.
//!
//! Errors name the file, the row and column (`2017.xlsx:7:4`), and the sheet
//! and cell (``sheet `2017`: cell D7, column `actual`: ...``).

use std::io::Cursor;

use calamine::{Data, Ods, Range, Reader, SheetType, Xlsx};

use super::amount::{self, DecimalMark};
use super::figure_rows::{self, Cell, Columns, Row};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::{Figure, Origin, Pos, SiteConfig};

/// The extensions read as workbooks.
pub(super) const EXTENSIONS: [&str; 2] = ["xlsx", "ods"];

/// Spreadsheet column letters of 0-based column `c`: `A`, `Z`, `AA`.
///
/// ```text
/// 0 -> A, 3 -> D, 25 -> Z, 26 -> AA, 701 -> ZZ, 702 -> AAA
/// ```
fn column_letters(c: u32) -> String {
    let mut n = c as u64 + 1;
    let mut out = Vec::new();
    while n > 0 {
        let r = ((n - 1) % 26) as u8;
        out.push(b'A' + r);
        n = (n - 1) / 26;
    }
    out.reverse();
    String::from_utf8(out).expect("ASCII letters")
}

/// `D7` for 0-based row 6 and column 3.
fn cell_name(row: u32, col: u32) -> String {
    format!("{}{}", column_letters(col), row + 1)
}

/// A calamine cell as [`figure_rows`] reads it.
fn cell(data: Option<&Data>) -> Cell<'_> {
    match data {
        None | Some(Data::Empty) => Cell::Empty,
        Some(Data::String(s)) => match s.trim() {
            "" => Cell::Empty,
            t => Cell::Text(t),
        },
        Some(Data::Float(x)) => Cell::Number(*x),
        Some(Data::Int(i)) => Cell::Number(*i as f64),
        Some(Data::Bool(b)) => {
            Cell::Other(format!("the value {}", if *b { "TRUE" } else { "FALSE" }))
        }
        Some(Data::Error(e)) => Cell::Other(format!("the error {e}")),
        Some(Data::DurationIso(s)) => Cell::Other(format!("the duration {s}")),
        Some(Data::DateTime(dt)) if dt.is_duration() => Cell::Other("a duration".into()),
        Some(Data::DateTime(dt)) => {
            let (y, m, d, hh, mm, ss, ms) = dt.to_ymd_hms_milli();
            match jiff::civil::Date::new(y as i16, m as i8, d as i8) {
                Ok(date) if (hh, mm, ss, ms) == (0, 0, 0, 0) => Cell::Date(date),
                Ok(date) => Cell::Other(format!("the date and time {date} {hh:02}:{mm:02}")),
                Err(_) => Cell::Other(format!("the invalid date {y}-{m:02}-{d:02}")),
            }
        }
        // OpenDocument: `2017-06-30`, or `2017-06-30T00:00:00` with a time.
        Some(Data::DateTimeIso(s)) => {
            let (date, time) = s.split_once('T').unwrap_or((s, ""));
            match date.parse::<jiff::civil::Date>() {
                Ok(d) if time.trim_start_matches(['0', ':', '.']).is_empty() => Cell::Date(d),
                Ok(d) => Cell::Other(format!("the date and time {d} {time}")),
                Err(_) => Cell::Other(format!("the date `{s}`")),
            }
        }
    }
}

/// Whether a row holds nothing.
fn blank(range: &Range<Data>, row: u32, cols: std::ops::RangeInclusive<u32>) -> bool {
    cols.into_iter()
        .all(|c| cell(range.get_value((row, c))) == Cell::Empty)
}

/// The first filled cell of a row, if it is a comment (text starting with
/// `#`): its column and text.
fn comment(
    range: &Range<Data>,
    row: u32,
    cols: std::ops::RangeInclusive<u32>,
) -> Option<(u32, &str)> {
    cols.into_iter()
        .find_map(|c| match cell(range.get_value((row, c))) {
            Cell::Empty => None,
            Cell::Text(t) if t.starts_with('#') => Some(Some((c, t))),
            _ => Some(None),
        })?
}

/// One row of a sheet.
struct SheetRow<'a> {
    file: &'a str,
    sheet: &'a str,
    range: &'a Range<Data>,
    /// 0-based row in the sheet.
    row: u32,
    /// 0-based column of the header's first cell.
    first: u32,
}

impl Row for SheetRow<'_> {
    fn cell(&self, i: usize) -> Cell<'_> {
        cell(self.range.get_value((self.row, i as u32)))
    }

    fn origin(&self, i: Option<usize>) -> Origin {
        let col = i.map_or(self.first, |i| i as u32);
        Origin::in_sheet(self.file, self.sheet, Pos::new(self.row + 1, col + 1))
    }

    fn place(&self, i: usize, column: &str) -> String {
        format!("cell {}, column `{column}`", cell_name(self.row, i as u32))
    }

    fn in_sheet(&self) -> bool {
        true
    }
}

/// Reads the workbook `bytes` of `file` (`.xlsx` or `.ods`) into figure records.
pub(super) fn parse(
    file: &str,
    bytes: Vec<u8>,
    config: &SiteConfig,
    diags: &mut Diagnostics,
) -> Vec<Figure> {
    let sheets = match read_sheets(file, bytes) {
        Ok(s) => s,
        Err(e) => {
            diags.push(
                Diagnostic::error(Origin::new(file, Pos::default()), format!("cannot read the workbook: {e}"))
                    .with_help("open it in its spreadsheet program and save it again as .xlsx (Excel) or .ods (LibreOffice); or save the sheet as CSV"),
            );
            return Vec::new();
        }
    };
    let mut out = Vec::new();
    let mut read_any = false;
    for (name, range) in &sheets {
        match range {
            Ok(range) => {
                if let Some(figs) = parse_sheet(file, name, range, config, diags) {
                    read_any = true;
                    out.extend(figs);
                }
            }
            Err(e) => diags.push(
                Diagnostic::error(
                    Origin::in_sheet(file, name.as_str(), Pos::default()),
                    format!("cannot read the sheet: {e}"),
                )
                .with_help("open the file in its spreadsheet program and save it again; or rename the sheet to start with _ to leave it out"),
            ),
        }
    }
    if !read_any && !diags.has_errors() {
        diags.push(
            Diagnostic::warning(
                Origin::new(file, Pos::default()),
                "no figures: every sheet is empty or has a name starting with _",
            )
            .with_help("rekap reads the sheets whose name does not start with _; put a header row (entity, metric, period, ..., source) and the figures under it in one"),
        );
    }
    out
}

/// A sheet's name and its cells, or why they could not be read.
type Sheet = (String, Result<Range<Data>, String>);

/// The sheets to read, in workbook order: every worksheet whose name does
/// not start with `_`.
fn read_sheets(file: &str, bytes: Vec<u8>) -> Result<Vec<Sheet>, String> {
    fn take<R: Reader<Cursor<Vec<u8>>>>(mut wb: R) -> Vec<Sheet>
    where
        R::Error: std::fmt::Display,
    {
        let names: Vec<String> = wb
            .sheets_metadata()
            .iter()
            .filter(|s| s.typ == SheetType::WorkSheet && !s.name.starts_with('_'))
            .map(|s| s.name.clone())
            .collect();
        names
            .into_iter()
            .map(|n| {
                let r = wb.worksheet_range(&n).map_err(|e| e.to_string());
                (n, r)
            })
            .collect()
    }
    let cursor = Cursor::new(bytes);
    if file.ends_with(".ods") {
        let wb = Ods::new(cursor).map_err(|e| e.to_string())?;
        Ok(take(wb))
    } else {
        let wb = Xlsx::new(cursor).map_err(|e| e.to_string())?;
        Ok(take(wb))
    }
}

/// Reads one sheet; `None` if it is empty (no header), so it is skipped.
fn parse_sheet(
    file: &str,
    sheet: &str,
    range: &Range<Data>,
    config: &SiteConfig,
    diags: &mut Diagnostics,
) -> Option<Vec<Figure>> {
    let ((top, left), (bottom, right)) = (range.start()?, range.end()?);
    let cols = left..=right;
    let at = |row: u32, col: u32| Origin::in_sheet(file, sheet, Pos::new(row + 1, col + 1));

    // Comments and declarations above the header.
    let mut mark: Option<DecimalMark> = None;
    let mut header = None;
    for row in top..=bottom {
        if blank(range, row, cols.clone()) {
            continue;
        }
        let Some((col, text)) = comment(range, row, cols.clone()) else {
            header = Some(row);
            break;
        };
        match amount::declaration(text) {
            None => {}
            Some(Ok(m)) => mark = Some(m),
            Some(Err(word)) => {
                diags.push(
                    Diagnostic::error(
                        at(row, col),
                        format!(
                            "cell {}: unknown decimal mark `{word}`",
                            cell_name(row, col)
                        ),
                    )
                    .with_help(amount::DECLARATION_HELP),
                );
                return Some(Vec::new());
            }
        }
    }
    let header = header?;

    let names: Vec<(u32, String)> = cols
        .clone()
        .filter_map(|c| match cell(range.get_value((header, c))) {
            Cell::Empty => None,
            Cell::Text(t) => Some((c, t.to_string())),
            Cell::Number(x) => Some((c, x.to_string())),
            Cell::Date(d) => Some((c, d.to_string())),
            Cell::Other(what) => Some((c, what)),
        })
        .collect();
    let first = names.first().map_or(left, |(c, _)| *c);
    let columns = Columns::from_header(
        names.iter().map(|(c, name)| {
            (
                *c as usize,
                name.as_str(),
                at(header, *c),
                format!("cell {}: ", cell_name(header, *c)),
            )
        }),
        at(header, first),
        diags,
    );
    let Some(columns) = columns else {
        return Some(Vec::new());
    };

    let mut out = Vec::new();
    for row in header + 1..=bottom {
        if blank(range, row, cols.clone()) || comment(range, row, cols.clone()).is_some() {
            continue;
        }
        // A value under no header would be lost without a word.
        let stray: Vec<u32> = cols
            .clone()
            .filter(|c| !columns.contains(*c as usize))
            .filter(|c| cell(range.get_value((row, *c))) != Cell::Empty)
            .collect();
        if let Some(&c) = stray.first() {
            diags.push(
                Diagnostic::error(
                    at(row, c),
                    format!(
                        "cell {}: a value in a column without a header",
                        cell_name(row, c)
                    ),
                )
                .with_help(format!(
                    "give column {} a header (one of the columns in docs/format.md), or clear the cell",
                    column_letters(c)
                )),
            );
            continue;
        }
        let r = SheetRow {
            file,
            sheet,
            range,
            row,
            first,
        };
        out.extend(figure_rows::figure(&r, &columns, mark, config, diags));
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_letters_count_like_a_spreadsheet() {
        for (c, l) in [
            (0, "A"),
            (3, "D"),
            (25, "Z"),
            (26, "AA"),
            (701, "ZZ"),
            (702, "AAA"),
        ] {
            assert_eq!(column_letters(c), l);
        }
        assert_eq!(cell_name(6, 3), "D7");
    }

    #[test]
    fn cells_become_numbers_dates_or_described_values() {
        use calamine::{ExcelDateTime, ExcelDateTimeType};
        assert_eq!(cell(Some(&Data::String("  ".into()))), Cell::Empty);
        assert_eq!(cell(Some(&Data::Float(2016.0))), Cell::Number(2016.0));
        let date = Data::DateTime(ExcelDateTime::new(
            42916.0,
            ExcelDateTimeType::DateTime,
            false,
        ));
        assert_eq!(
            cell(Some(&date)),
            Cell::Date(jiff::civil::date(2017, 6, 30))
        );
        let with_time = Data::DateTime(ExcelDateTime::new(
            42916.5,
            ExcelDateTimeType::DateTime,
            false,
        ));
        assert!(matches!(cell(Some(&with_time)), Cell::Other(s) if s.contains("12:00")));
        assert_eq!(
            cell(Some(&Data::DateTimeIso("2017-06-30T00:00:00".into()))),
            Cell::Date(jiff::civil::date(2017, 6, 30))
        );
        assert!(
            matches!(cell(Some(&Data::Error(calamine::CellErrorType::Div0))), Cell::Other(s) if s.contains("#DIV/0!"))
        );
    }
}

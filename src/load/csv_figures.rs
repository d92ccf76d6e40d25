//! Figure records from spreadsheets saved as CSV: `content/data/figures/*.csv`,
//! one record a row, the same fields as the YAML records as columns (read by
//! [`super::figure_rows`], which spreadsheets share). Errors name the file,
//! the row's line and the column.
//!
//! Cells are separated by `,` or `;` (whichever the header row uses). Lines
//! starting with `#` are comments; one of them may declare the file's decimal
//! mark (`# decimal: comma` or `# decimal: point`, see [`super::amount`]).

use super::amount::{self, DecimalMark};
use super::figure_rows::{self, Cell, Columns, Row};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::{Figure, Origin, Pos, SiteConfig};

/// A CSV record and where it is.
struct CsvRow<'a> {
    file: &'a str,
    line: u32,
    record: &'a csv::StringRecord,
}

impl Row for CsvRow<'_> {
    fn cell(&self, i: usize) -> Cell<'_> {
        match self.record.get(i).map(str::trim) {
            None | Some("") => Cell::Empty,
            Some(s) => Cell::Text(s),
        }
    }

    fn origin(&self, i: Option<usize>) -> Origin {
        let column = i.map_or(1, |i| column_pos(self.record, i));
        Origin::new(self.file, Pos::new(self.line, column))
    }

    fn place(&self, _: usize, column: &str) -> String {
        format!("column `{column}`")
    }
}

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
    // The first line that is neither a comment nor blank (the reader's own
    // position of the header does not count comment lines).
    let header_line = text
        .lines()
        .position(|l| {
            let l = l.trim_start_matches('\u{feff}');
            !l.starts_with('#') && !l.trim().is_empty()
        })
        .map_or(1, |i| i as u32 + 1);
    let Some(cols) = Columns::from_header(
        headers.iter().enumerate().map(|(i, h)| {
            (
                i,
                h,
                Origin::new(file, Pos::new(header_line, column_pos(&headers, i))),
                String::new(),
            )
        }),
        Origin::new(file, Pos::new(header_line, 1)),
        diags,
    ) else {
        return Vec::new();
    };
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
        let row = CsvRow {
            file,
            line,
            record: &record,
        };
        out.extend(figure_rows::figure(&row, &cols, mark, config, diags));
    }
    out
}

/// The decimal mark declared in the comment lines at the top of `text`
/// (`# decimal: comma`): `Some(None)` when none is declared, `None` (and an
/// error) when the declaration names no known mark.
fn declared_mark(file: &str, text: &str, diags: &mut Diagnostics) -> Option<Option<DecimalMark>> {
    let mut mark = None;
    for (i, line) in text.lines().enumerate() {
        if !line.trim_start_matches('\u{feff}').starts_with('#') {
            break;
        }
        match amount::declaration(line) {
            None => {}
            Some(Ok(m)) => mark = Some(m),
            Some(Err(word)) => {
                diags.push(
                    Diagnostic::error(
                        Origin::new(file, Pos::new(i as u32 + 1, 1)),
                        format!("unknown decimal mark `{word}`"),
                    )
                    .with_help(amount::DECLARATION_HELP),
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
    use crate::model::{Audience, Lang, StatusThresholds, Text};

    fn config() -> SiteConfig {
        SiteConfig {
            title: Text::from("t"),
            description: Text::default(),
            base_url: "/".into(),
            language: Lang::Id,
            default_entity: None,
            default_entity_origin: Default::default(),
            allow_html: Default::default(),
            default_audience: Audience::Public,
            currency: "IDR".into(),
            status: StatusThresholds::default(),
            organisation: None,
            charts_png: Default::default(),
            financial_year_start: None,
            levels: crate::model::Level::defaults(),
            licence: None,
            contact: None,
            glossary: Default::default(),
            content_language: None,
            languages: vec![Lang::Id],
            strings: Default::default(),
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

    #[test]
    fn a_column_given_twice_is_an_error_on_the_header_line() {
        let e = first_error("# decimal: point\nentity,metric,period,actual,actual,source\n");
        assert_eq!((e.origin.pos.line, e.origin.pos.column), (2, 29));
        assert!(e.message.contains("column `actual` is given twice"), "{e}");
    }
}

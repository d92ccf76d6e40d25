//! Numbers written in spreadsheet cells, read without guessing.
//!
//! Spreadsheets set to Indonesian write twenty-eight thousand two hundred and
//! twelve as `28.212` and one and a half as `1,5`; set to English, as `28,212`
//! and `1.5`. A cell alone cannot say which was meant, so rekap never guesses
//! per cell: a file either declares its decimal mark (a first line
//! `# decimal: comma` or `# decimal: point`), or it writes plain numbers
//! (`28212`, `0.5`) and any cell that looks like dot-grouped thousands is an
//! error.

use std::fmt;

/// The decimal mark a figure file declares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DecimalMark {
    /// `1234.5` (and no thousands separators): `# decimal: point`.
    Point,
    /// `1.234,5` or `1234,5`, dots only between groups of three digits:
    /// `# decimal: comma`.
    Comma,
}

impl DecimalMark {
    /// Reads the value of a `decimal:` declaration.
    pub fn parse(word: &str) -> Option<DecimalMark> {
        match word.trim() {
            "point" | "dot" | "." => Some(DecimalMark::Point),
            "comma" | "," => Some(DecimalMark::Comma),
            _ => None,
        }
    }
}

/// How to write a declaration, for errors about one.
pub const DECLARATION_HELP: &str =
    "write `# decimal: comma` (1.234,5) or `# decimal: point` (1234.5)";

/// Reads a comment that may declare a file's decimal mark, `# decimal: comma`
/// (a comment line of a CSV file, a comment cell of a sheet): `None` if it
/// declares nothing, `Some(Err(word))` if it names no known mark.
///
/// ```
/// use rekap::load::amount::{declaration, DecimalMark};
/// assert_eq!(declaration("# decimal: comma"), Some(Ok(DecimalMark::Comma)));
/// assert_eq!(declaration("#decimal:point"), Some(Ok(DecimalMark::Point)));
/// assert_eq!(declaration("# exported from Excel: 2017"), None);
/// assert_eq!(declaration("# decimal: koma"), Some(Err("koma".to_string())));
/// ```
pub fn declaration(comment: &str) -> Option<Result<DecimalMark, String>> {
    let (key, value) = comment
        .trim_start_matches('\u{feff}')
        .trim_start()
        .strip_prefix('#')?
        .split_once(':')?;
    if key.trim() != "decimal" {
        return None;
    }
    Some(DecimalMark::parse(value).ok_or_else(|| value.trim().to_string()))
}

/// Why a cell is not a number rekap will read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AmountError {
    /// Looks like thousands grouped with dots (`28.212`, `1.234.567`) in a
    /// file that does not declare its decimal mark.
    Ambiguous,
    /// Not a plain number in the file's notation.
    NotANumber(Option<DecimalMark>),
}

impl AmountError {
    /// How to write the cell (or the file) instead.
    pub fn help(self) -> &'static str {
        match self {
            AmountError::Ambiguous => {
                "say how this file writes numbers in a first line: `# decimal: comma` if `28.212` means twenty-eight thousand two hundred and twelve (and `1,5` one and a half), or `# decimal: point` if it means twenty-eight point two one two; or write plain numbers: 28212"
            }
            AmountError::NotANumber(None | Some(DecimalMark::Point)) => {
                "write plain numbers without thousands separators, with `.` as the decimal mark: 1500000 or 0.5"
            }
            AmountError::NotANumber(Some(DecimalMark::Comma)) => {
                "this file declares `# decimal: comma`: write 1.500.000 or 1500000, and 0,5"
            }
        }
    }
}

impl AmountError {
    /// [`AmountError::help`] for a text cell of a spreadsheet, whose sheet
    /// declares its notation in a comment cell above the header row.
    pub fn help_in_sheet(self) -> &'static str {
        match self {
            AmountError::Ambiguous => {
                "say how this sheet writes numbers in a cell above the header row: `# decimal: comma` if `28.212` means twenty-eight thousand two hundred and twelve (and `1,5` one and a half), or `# decimal: point` if it means twenty-eight point two one two; or make the cell a number cell"
            }
            AmountError::NotANumber(Some(DecimalMark::Comma)) => {
                "this sheet declares `# decimal: comma`: write 1.500.000 or 1500000, and 0,5; or make the cell a number cell"
            }
            AmountError::NotANumber(_) => {
                "make the cell a number cell, or write plain numbers without thousands separators, with `.` as the decimal mark: 1500000 or 0.5"
            }
        }
    }
}

impl fmt::Display for AmountError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AmountError::Ambiguous => f.write_str(
                "is ambiguous: thousands grouped with dots, or a decimal point? The file does not say",
            ),
            AmountError::NotANumber(_) => f.write_str("is not a number"),
        }
    }
}

/// Reads a cell as a number, in the notation `mark` (or plain, if none is declared).
///
/// ```
/// use rekap::load::amount::{parse, AmountError, DecimalMark};
/// assert_eq!(parse("28212", None), Ok(28212.0));
/// assert_eq!(parse("28.212", None), Err(AmountError::Ambiguous));
/// assert_eq!(parse("28.212", Some(DecimalMark::Comma)), Ok(28212.0));
/// assert_eq!(parse("28.212", Some(DecimalMark::Point)), Ok(28.212));
/// assert_eq!(parse("1.234,5", Some(DecimalMark::Comma)), Ok(1234.5));
/// ```
///
/// # Errors
///
/// [`AmountError::Ambiguous`] for dot-grouped thousands in an undeclared
/// file; [`AmountError::NotANumber`] for anything else that is not a plain
/// decimal number in the file's notation (exponents, `inf`, `NaN`, spaces
/// or letters included).
pub fn parse(text: &str, mark: Option<DecimalMark>) -> Result<f64, AmountError> {
    let t = text.trim();
    let (sign, digits) = match t.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", t.strip_prefix('+').unwrap_or(t)),
    };
    let not = AmountError::NotANumber(mark);
    let plain = match mark {
        None | Some(DecimalMark::Point) => {
            if mark.is_none() && dot_grouped(digits) {
                return Err(AmountError::Ambiguous);
            }
            let digits = digits.replace('_', "");
            if !decimal(&digits, '.') {
                return Err(not);
            }
            digits
        }
        Some(DecimalMark::Comma) => {
            let (int, frac) = match digits.split_once(',') {
                Some((i, f)) => (i, Some(f)),
                None => (digits, None),
            };
            let int = if int.contains('.') {
                if !dot_grouped(int) {
                    return Err(not);
                }
                int.replace('.', "")
            } else {
                int.to_string()
            };
            let joined = match frac {
                Some(f) => format!("{int}.{f}"),
                None => int,
            };
            if !decimal(&joined, '.') {
                return Err(not);
            }
            joined
        }
    };
    format!("{sign}{plain}")
        .parse::<f64>()
        .ok()
        .filter(|x| x.is_finite())
        .ok_or(not)
}

/// `123.456` or `1.234.567`: one to three digits (not starting with 0), then
/// groups of a dot and three digits.
fn dot_grouped(s: &str) -> bool {
    let mut parts = s.split('.');
    let first = parts.next().unwrap_or("");
    let mut groups = 0;
    for p in parts {
        if p.len() != 3 || !p.bytes().all(|b| b.is_ascii_digit()) {
            return false;
        }
        groups += 1;
    }
    groups > 0
        && (1..=3).contains(&first.len())
        && first.bytes().all(|b| b.is_ascii_digit())
        && !first.starts_with('0')
}

/// Digits, optionally with one `mark` followed by more digits.
fn decimal(s: &str, mark: char) -> bool {
    let (int, frac) = match s.split_once(mark) {
        Some((i, f)) => (i, Some(f)),
        None => (s, None),
    };
    !int.is_empty()
        && int.bytes().all(|b| b.is_ascii_digit())
        && frac.is_none_or(|f| !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use DecimalMark::{Comma, Point};

    #[test]
    fn plain_numbers_read_the_same_in_every_notation() {
        for mark in [None, Some(Point), Some(Comma)] {
            assert_eq!(parse("577958", mark), Ok(577958.0));
            assert_eq!(parse("-12", mark), Ok(-12.0));
            assert_eq!(parse(" 7 ", mark), Ok(7.0));
        }
    }

    #[test]
    fn dot_grouped_thousands_are_ambiguous_unless_declared() {
        for s in ["28.212", "1.234.567", "-956.000", "100.000"] {
            assert_eq!(parse(s, None), Err(AmountError::Ambiguous), "{s}");
        }
        assert_eq!(parse("1.234.567", Some(Comma)), Ok(1_234_567.0));
        assert_eq!(parse("-956.000", Some(Comma)), Ok(-956_000.0));
        assert_eq!(parse("100.000", Some(Point)), Ok(100.0));
        assert_eq!(
            parse("1.234.567", Some(Point)),
            Err(AmountError::NotANumber(Some(Point)))
        );
    }

    #[test]
    fn decimals_that_cannot_be_thousands_are_plain() {
        assert_eq!(parse("0.385", None), Ok(0.385));
        assert_eq!(parse("57.3", None), Ok(57.3));
        assert_eq!(parse("24.07", None), Ok(24.07));
        assert_eq!(parse("1234.567", None), Ok(1234.567));
        assert_eq!(parse("28.2120", None), Ok(28.212));
    }

    #[test]
    fn a_comma_file_reads_decimal_commas() {
        assert_eq!(parse("1.234,5", Some(Comma)), Ok(1234.5));
        assert_eq!(parse("0,38", Some(Comma)), Ok(0.38));
        assert_eq!(parse("95,87", Some(Comma)), Ok(95.87));
        assert_eq!(
            parse("1.23,5", Some(Comma)),
            Err(AmountError::NotANumber(Some(Comma)))
        );
        assert_eq!(
            parse("1,2,3", Some(Comma)),
            Err(AmountError::NotANumber(Some(Comma)))
        );
    }

    #[test]
    fn a_comma_in_a_plain_file_is_not_a_number() {
        assert_eq!(parse("95,87", None), Err(AmountError::NotANumber(None)));
        assert_eq!(parse("28,212", None), Err(AmountError::NotANumber(None)));
    }

    #[test]
    fn exponents_infinities_and_words_are_refused() {
        for s in [
            "8.14e11", "1E5", "inf", "NaN", "", "-", "1.", ".5", "Rp 5", "5 %",
        ] {
            assert!(parse(s, None).is_err(), "{s}");
            assert!(parse(s, Some(Comma)).is_err(), "{s}");
        }
    }
}

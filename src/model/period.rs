use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A reporting period: a year (`2017`), a half (`2017-H1`), a quarter
/// (`2017-Q1`), a month (`2017-01`), or a financial year (`2016/17`) that
/// starts in the month the site or the metric sets (`financial_year_start`).
///
/// Periods order by their start, then by length (a year sorts before its
/// first half, which sorts before its first quarter, then its first month).
///
/// ```
/// use rekap::model::Period;
/// let q: Period = "2017-Q2".parse().unwrap();
/// assert_eq!(q.year(), 2017);
/// assert_eq!(q.previous().to_string(), "2017-Q1");
/// assert_eq!("2017".parse::<Period>().unwrap().previous().to_string(), "2016");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Period {
    /// A calendar year.
    Year(i32),
    /// A half year, 1 or 2.
    Half(i32, u8),
    /// A quarter, 1 to 4.
    Quarter(i32, u8),
    /// A month, 1 to 12.
    Month(i32, u8),
    /// A financial year starting in the given month (2 to 12) of the given
    /// year: `FinancialYear(2016, 4)` is April 2016 to March 2017, written
    /// `2016/17`. A month of 0 means "as the site or metric sets", which
    /// validate resolves before any later stage sees the period.
    FinancialYear(i32, u8),
}

/// The kinds of period, from the longest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PeriodKind {
    /// A calendar year.
    Year,
    /// A financial year.
    FinancialYear,
    /// A half year.
    Half,
    /// A quarter.
    Quarter,
    /// A month.
    Month,
}

impl PeriodKind {
    /// The lowercase name used in downloads (`year`, `financial_year`, `half`, `quarter`, `month`).
    pub fn as_str(self) -> &'static str {
        match self {
            PeriodKind::Year => "year",
            PeriodKind::FinancialYear => "financial_year",
            PeriodKind::Half => "half",
            PeriodKind::Quarter => "quarter",
            PeriodKind::Month => "month",
        }
    }
}

/// Why a period could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeriodParseError {
    input: String,
}

impl fmt::Display for PeriodParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`{}` is not a period: write a year (2017), a half (2017-H1), a quarter (2017-Q1), a month (2017-01) or a financial year (2016/17), years 1900 to 2199",
            self.input
        )
    }
}

impl std::error::Error for PeriodParseError {}

const MIN_YEAR: i32 = 1900;
const MAX_YEAR: i32 = 2199;

impl Period {
    /// The calendar year the period starts in.
    pub fn year(self) -> i32 {
        match self {
            Period::Year(y)
            | Period::Half(y, _)
            | Period::Quarter(y, _)
            | Period::Month(y, _)
            | Period::FinancialYear(y, _) => y,
        }
    }

    /// What kind of period this is.
    pub fn kind(self) -> PeriodKind {
        match self {
            Period::Year(_) => PeriodKind::Year,
            Period::Half(..) => PeriodKind::Half,
            Period::Quarter(..) => PeriodKind::Quarter,
            Period::Month(..) => PeriodKind::Month,
            Period::FinancialYear(..) => PeriodKind::FinancialYear,
        }
    }

    /// Whether this is a whole year (calendar or financial).
    pub fn is_annual(self) -> bool {
        matches!(self, Period::Year(_) | Period::FinancialYear(..))
    }

    /// The first month of the period (1-12).
    pub fn start_month(self) -> u8 {
        match self {
            Period::Year(_) => 1,
            Period::Half(_, h) => (h - 1) * 6 + 1,
            Period::Quarter(_, q) => (q - 1) * 3 + 1,
            Period::Month(_, m) => m,
            Period::FinancialYear(_, m) => m.max(1),
        }
    }

    /// Length of the period in months.
    pub fn months(self) -> u8 {
        match self {
            Period::Year(_) | Period::FinancialYear(..) => 12,
            Period::Half(..) => 6,
            Period::Quarter(..) => 3,
            Period::Month(..) => 1,
        }
    }

    /// Index of the period's first month, counted from January of year 0.
    fn first_month_index(self) -> i64 {
        self.year() as i64 * 12 + self.start_month() as i64 - 1
    }

    /// The month at a month index.
    fn month_at(index: i64) -> Period {
        Period::Month(
            index.div_euclid(12) as i32,
            (index.rem_euclid(12) + 1) as u8,
        )
    }

    /// The months of the period, in order.
    pub fn month_list(self) -> Vec<Period> {
        let first = self.first_month_index();
        (0..self.months() as i64)
            .map(|i| Period::month_at(first + i))
            .collect()
    }

    /// The last month of the period.
    pub fn last_month(self) -> Period {
        Period::month_at(self.first_month_index() + self.months() as i64 - 1)
    }

    /// Whether `other` lies within this period (a period contains itself).
    pub fn contains(self, other: Period) -> bool {
        let (a, b) = (self.first_month_index(), other.first_month_index());
        b >= a && b + other.months() as i64 <= a + self.months() as i64
    }

    /// The periods of one kind shorter than this one that make it up exactly,
    /// if any: the quarters and months of a year, the quarters of a financial
    /// year starting with a quarter, and so on.
    pub fn parts(self, kind: PeriodKind) -> Option<Vec<Period>> {
        let months = self.month_list();
        let starts = |p: &Period| p.start_month();
        let parts: Vec<Period> = match kind {
            PeriodKind::Month if self.months() > 1 => months,
            PeriodKind::Quarter if self.months() > 3 => {
                if (starts(&self) - 1) % 3 != 0 {
                    return None;
                }
                months
                    .iter()
                    .step_by(3)
                    .map(|m| Period::Quarter(m.year(), (m.start_month() - 1) / 3 + 1))
                    .collect()
            }
            PeriodKind::Half if self.months() > 6 => {
                if (starts(&self) - 1) % 6 != 0 {
                    return None;
                }
                months
                    .iter()
                    .step_by(6)
                    .map(|m| Period::Half(m.year(), (m.start_month() - 1) / 6 + 1))
                    .collect()
            }
            _ => return None,
        };
        Some(parts)
    }

    /// The period of the same kind just before this one.
    pub fn previous(self) -> Period {
        match self {
            Period::Year(y) => Period::Year(y - 1),
            Period::FinancialYear(y, m) => Period::FinancialYear(y - 1, m),
            Period::Half(y, 1) => Period::Half(y - 1, 2),
            Period::Half(y, h) => Period::Half(y, h - 1),
            Period::Quarter(y, 1) => Period::Quarter(y - 1, 4),
            Period::Quarter(y, q) => Period::Quarter(y, q - 1),
            Period::Month(y, 1) => Period::Month(y - 1, 12),
            Period::Month(y, m) => Period::Month(y, m - 1),
        }
    }

    /// The same period a year earlier (year on year): 2016-Q2 for 2017-Q2.
    pub fn year_earlier(self) -> Period {
        match self {
            Period::Year(y) => Period::Year(y - 1),
            Period::FinancialYear(y, m) => Period::FinancialYear(y - 1, m),
            Period::Half(y, h) => Period::Half(y - 1, h),
            Period::Quarter(y, q) => Period::Quarter(y - 1, q),
            Period::Month(y, m) => Period::Month(y - 1, m),
        }
    }

    /// Whether both periods have the same granularity (both years, both quarters ...).
    pub fn same_kind(self, other: Period) -> bool {
        self.kind() == other.kind()
    }

    /// Number of whole periods of this kind from `earlier` to `self` (negative if `earlier` is later).
    pub fn steps_since(self, earlier: Period) -> i64 {
        let per = self.months() as i64;
        (self.first_month_index() - earlier.first_month_index()).div_euclid(per)
    }

    /// The first day of the period.
    pub fn start_date(self) -> jiff::civil::Date {
        jiff::civil::date(self.year() as i16, self.start_month() as i8, 1)
    }

    /// The last day of the period.
    pub fn end_date(self) -> jiff::civil::Date {
        let last = self.last_month();
        jiff::civil::date(last.year() as i16, last.start_month() as i8, 1).last_of_month()
    }

    fn sort_key(self) -> (i64, u8, u8) {
        let kind = match self {
            Period::FinancialYear(..) => 1,
            _ => 0,
        };
        (self.first_month_index(), 12 - self.months(), kind)
    }
}

impl PartialOrd for Period {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Period {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.sort_key().cmp(&other.sort_key())
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Period::Year(y) => write!(f, "{y}"),
            Period::Half(y, h) => write!(f, "{y}-H{h}"),
            Period::Quarter(y, q) => write!(f, "{y}-Q{q}"),
            Period::Month(y, m) => write!(f, "{y}-{m:02}"),
            Period::FinancialYear(y, _) => write!(f, "{y}/{:02}", (y + 1).rem_euclid(100)),
        }
    }
}

impl FromStr for Period {
    type Err = PeriodParseError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || PeriodParseError {
            input: s.to_string(),
        };
        let s = s.trim();
        let year = |y: &str| -> Result<i32, PeriodParseError> {
            if y.len() != 4 || !y.bytes().all(|b| b.is_ascii_digit()) {
                return Err(err());
            }
            let y: i32 = y.parse().map_err(|_| err())?;
            if (MIN_YEAR..=MAX_YEAR).contains(&y) {
                Ok(y)
            } else {
                Err(err())
            }
        };
        if let Some((y, next)) = s.split_once('/') {
            // A financial year: `2016/17` or `2016/2017`; its start month is
            // set by the site or the metric and filled in by validate.
            let y = year(y)?;
            let next_ok = match next.len() {
                2 => next == format!("{:02}", (y + 1).rem_euclid(100)),
                4 => next == (y + 1).to_string(),
                _ => false,
            };
            return if next_ok {
                Ok(Period::FinancialYear(y, 0))
            } else {
                Err(err())
            };
        }
        match s.split_once('-') {
            None => Ok(Period::Year(year(s)?)),
            Some((y, rest)) => {
                let y = year(y)?;
                if let Some(h) = rest.strip_prefix('H').or_else(|| rest.strip_prefix('h')) {
                    match h {
                        "1" | "2" => Ok(Period::Half(y, h.parse().map_err(|_| err())?)),
                        _ => Err(err()),
                    }
                } else if let Some(q) = rest.strip_prefix('Q').or_else(|| rest.strip_prefix('q')) {
                    match q {
                        "1" | "2" | "3" | "4" => {
                            Ok(Period::Quarter(y, q.parse().map_err(|_| err())?))
                        }
                        _ => Err(err()),
                    }
                } else if rest.len() == 2 && rest.bytes().all(|b| b.is_ascii_digit()) {
                    let m: u8 = rest.parse().map_err(|_| err())?;
                    if (1..=12).contains(&m) {
                        Ok(Period::Month(y, m))
                    } else {
                        Err(err())
                    }
                } else {
                    Err(err())
                }
            }
        }
    }
}

impl Serialize for Period {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Period {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Period;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a period: a year (2017), a half (2017-H1), a quarter (2017-Q1), a month (2017-01) or a financial year (2016/17)")
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Period, E> {
                self.visit_str(&v.to_string())
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Period, E> {
                self.visit_str(&v.to_string())
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Period, E> {
                v.parse().map_err(E::custom)
            }
        }
        d.deserialize_any(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints_every_kind() {
        for s in [
            "2017", "2017-H1", "2017-H2", "2017-Q1", "2017-Q4", "2017-01", "2017-12", "2016/17",
            "1999/00",
        ] {
            assert_eq!(s.parse::<Period>().unwrap().to_string(), s);
        }
    }

    #[test]
    fn rejects_malformed_periods() {
        for s in [
            "17",
            "2017-Q5",
            "2017-Q0",
            "2017-13",
            "2017-00",
            "2017-1",
            "abc",
            "1800",
            "2017-",
            "2017-H3",
            "2016/18",
            "2016/",
            "2016/2018",
        ] {
            assert!(s.parse::<Period>().is_err(), "{s} should not parse");
        }
    }

    #[test]
    fn previous_crosses_year_boundaries() {
        assert_eq!(
            Period::Quarter(2017, 1).previous(),
            Period::Quarter(2016, 4)
        );
        assert_eq!(Period::Month(2017, 1).previous(), Period::Month(2016, 12));
    }

    #[test]
    fn orders_by_start_then_length() {
        let mut v = vec![
            Period::Month(2017, 1),
            Period::Quarter(2017, 1),
            Period::Year(2016),
            Period::Year(2017),
        ];
        v.sort();
        assert_eq!(
            v,
            vec![
                Period::Year(2016),
                Period::Year(2017),
                Period::Quarter(2017, 1),
                Period::Month(2017, 1)
            ]
        );
    }

    #[test]
    fn dates_bound_the_period() {
        let q = Period::Quarter(2016, 1);
        assert_eq!(q.start_date().to_string(), "2016-01-01");
        assert_eq!(q.end_date().to_string(), "2016-03-31");
        assert_eq!(Period::Month(2016, 2).end_date().to_string(), "2016-02-29");
    }

    #[test]
    fn a_financial_year_spans_its_twelve_months() {
        let fy = Period::FinancialYear(2016, 4);
        assert_eq!(fy.start_date().to_string(), "2016-04-01");
        assert_eq!(fy.end_date().to_string(), "2017-03-31");
        assert!(fy.contains(Period::Month(2017, 3)));
        assert!(!fy.contains(Period::Month(2016, 3)));
        assert_eq!(fy.to_string(), "2016/17");
        assert_eq!(
            fy.parts(PeriodKind::Quarter).unwrap(),
            vec![
                Period::Quarter(2016, 2),
                Period::Quarter(2016, 3),
                Period::Quarter(2016, 4),
                Period::Quarter(2017, 1)
            ]
        );
        assert_eq!(
            Period::FinancialYear(2016, 5).parts(PeriodKind::Quarter),
            None
        );
    }

    #[test]
    fn a_year_is_made_of_halves_quarters_and_months() {
        let y = Period::Year(2024);
        assert_eq!(y.parts(PeriodKind::Month).unwrap().len(), 12);
        assert_eq!(
            y.parts(PeriodKind::Half).unwrap(),
            vec![Period::Half(2024, 1), Period::Half(2024, 2)]
        );
        assert_eq!(
            Period::Half(2024, 2).parts(PeriodKind::Quarter).unwrap()[0],
            Period::Quarter(2024, 3)
        );
        assert_eq!(Period::Month(2024, 2).end_date().to_string(), "2024-02-29");
        assert_eq!(
            Period::Quarter(2024, 1).year_earlier(),
            Period::Quarter(2023, 1)
        );
    }

    #[test]
    fn counts_steps_between_periods() {
        assert_eq!(Period::Year(2020).steps_since(Period::Year(2016)), 4);
        assert_eq!(
            Period::Quarter(2017, 1).steps_since(Period::Quarter(2016, 3)),
            2
        );
    }
}

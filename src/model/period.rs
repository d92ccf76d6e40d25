use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A reporting period: a year (`2017`), a quarter (`2017-Q1`) or a month (`2017-01`).
///
/// Periods order by their start, then by length (a year sorts before its
/// first quarter, which sorts before its first month).
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
    /// A quarter, 1 to 4.
    Quarter(i32, u8),
    /// A month, 1 to 12.
    Month(i32, u8),
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
            "`{}` is not a period: write a year (2017), a quarter (2017-Q1) or a month (2017-01), years 1900 to 2199",
            self.input
        )
    }
}

impl std::error::Error for PeriodParseError {}

const MIN_YEAR: i32 = 1900;
const MAX_YEAR: i32 = 2199;

impl Period {
    /// The calendar year the period falls in.
    pub fn year(self) -> i32 {
        match self {
            Period::Year(y) | Period::Quarter(y, _) | Period::Month(y, _) => y,
        }
    }

    /// The first month of the period (1-12).
    pub fn start_month(self) -> u8 {
        match self {
            Period::Year(_) => 1,
            Period::Quarter(_, q) => (q - 1) * 3 + 1,
            Period::Month(_, m) => m,
        }
    }

    /// Length of the period in months.
    pub fn months(self) -> u8 {
        match self {
            Period::Year(_) => 12,
            Period::Quarter(..) => 3,
            Period::Month(..) => 1,
        }
    }

    /// The period of the same kind just before this one.
    pub fn previous(self) -> Period {
        match self {
            Period::Year(y) => Period::Year(y - 1),
            Period::Quarter(y, 1) => Period::Quarter(y - 1, 4),
            Period::Quarter(y, q) => Period::Quarter(y, q - 1),
            Period::Month(y, 1) => Period::Month(y - 1, 12),
            Period::Month(y, m) => Period::Month(y, m - 1),
        }
    }

    /// Whether both periods have the same granularity (both years, both quarters ...).
    pub fn same_kind(self, other: Period) -> bool {
        std::mem::discriminant(&self) == std::mem::discriminant(&other)
    }

    /// Number of whole periods of this kind from `earlier` to `self` (negative if `earlier` is later).
    pub fn steps_since(self, earlier: Period) -> i64 {
        let idx = |p: Period| -> i64 {
            match p {
                Period::Year(y) => y as i64,
                Period::Quarter(y, q) => y as i64 * 4 + q as i64 - 1,
                Period::Month(y, m) => y as i64 * 12 + m as i64 - 1,
            }
        };
        idx(self) - idx(earlier)
    }

    /// The first day of the period.
    pub fn start_date(self) -> jiff::civil::Date {
        jiff::civil::date(self.year() as i16, self.start_month() as i8, 1)
    }

    /// The last day of the period.
    pub fn end_date(self) -> jiff::civil::Date {
        let last_month = self.start_month() + self.months() - 1;
        jiff::civil::date(self.year() as i16, last_month as i8, 1).last_of_month()
    }

    fn sort_key(self) -> (i32, u8, u8) {
        (self.year(), self.start_month(), 12 - self.months())
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
            Period::Quarter(y, q) => write!(f, "{y}-Q{q}"),
            Period::Month(y, m) => write!(f, "{y}-{m:02}"),
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
        match s.split_once('-') {
            None => Ok(Period::Year(year(s)?)),
            Some((y, rest)) => {
                let y = year(y)?;
                if let Some(q) = rest.strip_prefix('Q').or_else(|| rest.strip_prefix('q')) {
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
                f.write_str("a period: a year (2017), a quarter (2017-Q1) or a month (2017-01)")
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
        for s in ["2017", "2017-Q1", "2017-Q4", "2017-01", "2017-12"] {
            assert_eq!(s.parse::<Period>().unwrap().to_string(), s);
        }
    }

    #[test]
    fn rejects_malformed_periods() {
        for s in [
            "17", "2017-Q5", "2017-Q0", "2017-13", "2017-00", "2017-1", "abc", "1800", "2017-",
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
    fn counts_steps_between_periods() {
        assert_eq!(Period::Year(2020).steps_since(Period::Year(2016)), 4);
        assert_eq!(
            Period::Quarter(2017, 1).steps_since(Period::Quarter(2016, 3)),
            2
        );
    }
}

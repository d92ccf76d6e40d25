//! Dates and reporting periods.
//!
//! `jiff` has no localised names, so months and weekdays come from the small
//! tables below.

use jiff::civil::{Date, Weekday};

use super::MISSING;
use crate::model::{Lang, Period};

const MONTHS_ID: [&str; 12] = [
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
];

const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// Monday first, as `Weekday::to_monday_zero_offset`.
const WEEKDAYS_ID: [&str; 7] = [
    "Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu",
];

const WEEKDAYS_EN: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// Month abbreviations as each language writes them in a span (`Jan–Jun`):
/// Indonesian `Jan Feb Mar Apr Mei Jun Jul Agu Sep Okt Nov Des`.
const MONTHS_SHORT_ID: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des",
];
const MONTHS_SHORT_EN: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// The short name of month `m` (`Jan`, `Agu`); `–` outside 1 to 12.
pub fn month_short(m: u8, lang: Lang) -> &'static str {
    let table = match lang {
        Lang::Id => &MONTHS_SHORT_ID,
        Lang::En => &MONTHS_SHORT_EN,
    };
    match m {
        1..=12 => table[usize::from(m - 1)],
        _ => MISSING,
    }
}

/// The name of month `m` (1 = January … 12 = December).
///
/// Example: `month_name(1, Lang::Id)` is `Januari`, `month_name(8, Lang::En)`
/// is `August`. A month outside 1 to 12 gives `–`.
pub fn month_name(m: u8, lang: Lang) -> &'static str {
    let table = match lang {
        Lang::Id => &MONTHS_ID,
        Lang::En => &MONTHS_EN,
    };
    match m {
        1..=12 => table[usize::from(m - 1)],
        _ => MISSING,
    }
}

/// The name of a weekday.
///
/// Example: `weekday_name(Weekday::Tuesday, Lang::Id)` is `Selasa`; in
/// English `Tuesday`.
pub fn weekday_name(w: Weekday, lang: Lang) -> &'static str {
    let table = match lang {
        Lang::Id => &WEEKDAYS_ID,
        Lang::En => &WEEKDAYS_EN,
    };
    // 0 to 6 by construction.
    table[usize::from(w.to_monday_zero_offset().unsigned_abs()) % 7]
}

/// Day, month name and year, no leading zero on the day.
///
/// Example: 2017-01-31 is `31 Januari 2017` / `31 January 2017`.
pub fn date_medium(d: Date, lang: Lang) -> String {
    format!(
        "{} {} {}",
        d.day(),
        month_name(d.month().unsigned_abs(), lang),
        d.year()
    )
}

/// Weekday, then [`date_medium`].
///
/// Example: 2017-01-31 is `Selasa, 31 Januari 2017` /
/// `Tuesday, 31 January 2017`.
pub fn date_long(d: Date, lang: Lang) -> String {
    format!(
        "{}, {}",
        weekday_name(d.weekday(), lang),
        date_medium(d, lang)
    )
}

/// Roman numerals for quarters.
fn quarter_roman(q: u8) -> Option<&'static str> {
    match q {
        1 => Some("I"),
        2 => Some("II"),
        3 => Some("III"),
        4 => Some("IV"),
        _ => None,
    }
}

/// A reporting period as a reader would say it.
///
/// Example: `Period::Year(2017)` is `2017`; `Period::Quarter(2017, 1)` is
/// `Triwulan I 2017` / `Q1 2017`; `Period::Month(2017, 1)` is
/// `Januari 2017` / `January 2017`. An out-of-range quarter or month (which
/// parsing never produces) falls back to digits (`Triwulan 5 2017`,
/// `2017-13`) rather than panicking.
pub fn period(p: Period, lang: Lang) -> String {
    match p {
        Period::Year(y) => y.to_string(),
        Period::Quarter(y, q) => match lang {
            Lang::Id => match quarter_roman(q) {
                Some(r) => format!("Triwulan {r} {y}"),
                None => format!("Triwulan {q} {y}"),
            },
            Lang::En => format!("Q{q} {y}"),
        },
        Period::Month(y, m) if (1..=12).contains(&m) => {
            format!("{} {y}", month_name(m, lang))
        }
        Period::Month(y, m) => format!("{y}-{m:02}"),
        Period::Half(y, h) => match lang {
            Lang::Id => format!("Semester {} {y}", if h == 1 { "I" } else { "II" }),
            Lang::En => format!("H{h} {y}"),
        },
        Period::FinancialYear(..) => match lang {
            Lang::Id => format!("Tahun buku {p}"),
            Lang::En => format!("FY {p}"),
        },
    }
}

/// A span of months in words, from the start of `first` to the end of
/// `last`: `Jan–Jun 2017` (Indonesian abbreviations: `Jan–Agu 2017`); a span
/// of one month is that month (`Januari 2017`).
pub fn span(first: Period, last: Period, lang: Lang) -> String {
    let (f, l) = (first.start_month(), last.last_month().start_month());
    let (fy, ly) = (first.year(), last.last_month().year());
    if fy == ly && f == l {
        return period(Period::Month(fy, f), lang);
    }
    let short = |m: u8| month_short(m, lang);
    if fy == ly {
        format!("{}–{} {ly}", short(f), short(l))
    } else {
        format!("{} {fy}–{} {ly}", short(f), short(l))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    const BOTH: [Lang; 2] = [Lang::Id, Lang::En];

    #[test]
    fn date_long_names_weekday_and_month() {
        let d = date(2017, 1, 31);
        assert_eq!(date_long(d, Lang::Id), "Selasa, 31 Januari 2017");
        assert_eq!(date_long(d, Lang::En), "Tuesday, 31 January 2017");
        let d = date(2024, 8, 17);
        assert_eq!(date_long(d, Lang::Id), "Sabtu, 17 Agustus 2024");
        assert_eq!(date_long(d, Lang::En), "Saturday, 17 August 2024");
    }

    #[test]
    fn date_medium_has_no_leading_zero_on_the_day() {
        assert_eq!(date_medium(date(2017, 1, 31), Lang::Id), "31 Januari 2017");
        assert_eq!(date_medium(date(2017, 1, 31), Lang::En), "31 January 2017");
        assert_eq!(date_medium(date(2016, 3, 5), Lang::Id), "5 Maret 2016");
        assert_eq!(date_medium(date(2016, 12, 1), Lang::En), "1 December 2016");
    }

    #[test]
    fn every_weekday_has_a_name_in_both_languages() {
        // 2017-01-30 is a Monday.
        let monday = date(2017, 1, 30);
        let id: Vec<_> = (0..7)
            .map(|i| {
                weekday_name(
                    monday
                        .checked_add(jiff::Span::new().days(i))
                        .unwrap()
                        .weekday(),
                    Lang::Id,
                )
            })
            .collect();
        assert_eq!(id, WEEKDAYS_ID);
        assert_eq!(weekday_name(Weekday::Sunday, Lang::Id), "Minggu");
        assert_eq!(weekday_name(Weekday::Friday, Lang::Id), "Jumat");
        assert_eq!(weekday_name(Weekday::Sunday, Lang::En), "Sunday");
        assert_eq!(weekday_name(Weekday::Monday, Lang::En), "Monday");
    }

    #[test]
    fn month_names_cover_one_to_twelve_and_dash_otherwise() {
        assert_eq!(month_name(1, Lang::Id), "Januari");
        assert_eq!(month_name(5, Lang::Id), "Mei");
        assert_eq!(month_name(12, Lang::Id), "Desember");
        assert_eq!(month_name(5, Lang::En), "May");
        for lang in BOTH {
            assert_eq!(month_name(0, lang), "–");
            assert_eq!(month_name(13, lang), "–");
            for m in 1..=12 {
                assert_ne!(month_name(m, lang), "–");
            }
        }
    }

    #[test]
    fn spans_and_new_periods_read_as_spoken() {
        use Period::*;
        assert_eq!(
            span(Month(2017, 1), Month(2017, 6), Lang::Id),
            "Jan–Jun 2017"
        );
        assert_eq!(
            span(Month(2017, 1), Month(2017, 8), Lang::Id),
            "Jan–Agu 2017"
        );
        assert_eq!(
            span(Quarter(2016, 4), Month(2017, 2), Lang::En),
            "Oct 2016–Feb 2017"
        );
        assert_eq!(span(Month(2017, 3), Month(2017, 3), Lang::En), "March 2017");
        assert_eq!(period(Half(2017, 1), Lang::Id), "Semester I 2017");
        assert_eq!(period(Half(2017, 2), Lang::En), "H2 2017");
        assert_eq!(period(FinancialYear(2016, 4), Lang::En), "FY 2016/17");
        assert_eq!(
            period(FinancialYear(2016, 4), Lang::Id),
            "Tahun buku 2016/17"
        );
    }

    #[test]
    fn period_reads_as_spoken() {
        assert_eq!(period(Period::Year(2017), Lang::Id), "2017");
        assert_eq!(period(Period::Year(2017), Lang::En), "2017");
        assert_eq!(
            period(Period::Quarter(2017, 1), Lang::Id),
            "Triwulan I 2017"
        );
        assert_eq!(period(Period::Quarter(2017, 1), Lang::En), "Q1 2017");
        assert_eq!(
            period(Period::Quarter(2017, 4), Lang::Id),
            "Triwulan IV 2017"
        );
        assert_eq!(period(Period::Quarter(2017, 4), Lang::En), "Q4 2017");
        assert_eq!(
            period(Period::Quarter(2017, 2), Lang::Id),
            "Triwulan II 2017"
        );
        assert_eq!(
            period(Period::Quarter(2017, 3), Lang::Id),
            "Triwulan III 2017"
        );
        assert_eq!(period(Period::Month(2017, 1), Lang::Id), "Januari 2017");
        assert_eq!(period(Period::Month(2017, 1), Lang::En), "January 2017");
    }

    #[test]
    fn period_out_of_range_falls_back_to_digits() {
        assert_eq!(
            period(Period::Quarter(2017, 5), Lang::Id),
            "Triwulan 5 2017"
        );
        assert_eq!(period(Period::Quarter(2017, 0), Lang::En), "Q0 2017");
        assert_eq!(period(Period::Month(2017, 13), Lang::Id), "2017-13");
        assert_eq!(period(Period::Month(2017, 0), Lang::En), "2017-00");
    }

    #[test]
    fn dates_at_the_edges_of_jiff_range_do_not_panic() {
        for lang in BOTH {
            assert_eq!(
                date_medium(Date::MIN, lang).split(' ').next_back(),
                Some("-9999")
            );
            assert!(date_long(Date::MAX, lang).ends_with(" 9999"));
        }
    }
}

//! Locale formatting: numbers, money, percentages, compact scales, dates and
//! periods, for Indonesian ([`Lang::Id`]) and English ([`Lang::En`]).
//!
//! Every function here is total: no input panics, and a non-finite number
//! (NaN or an infinity) renders as an en dash `–`. Output depends only on the
//! arguments, never on the machine locale or on data files.
//!
//! | | Indonesian | English |
//! |---|---|---|
//! | [`integer`] | `577.958` | `577,958` |
//! | [`decimal`] | `1.234,50` | `1,234.50` |
//! | [`percent`] | `117,4%` | `117.4%` |
//! | [`compact`] | `1,5 juta` | `1.5 million` |
//! | [`compact_short`] | `1,5 jt` | `1.5M` |
//! | [`money`] | `Rp956 miliar` | `IDR 956 billion` |
//! | [`date_long`] | `Selasa, 31 Januari 2017` | `Tuesday, 31 January 2017` |
//! | [`period`] | `Triwulan I 2017` | `Q1 2017` |
//!
//! # Rounding
//!
//! Numbers are rounded half away from zero on their *shortest decimal
//! representation* (the digits Rust prints for `{}`), not on the binary
//! value: `0.125` shows as `0,13` with two decimals and `2.5` as `3`, as a
//! reader doing the sum by hand would expect. Percentages shift that decimal
//! representation by two places instead of multiplying by 100, so
//! `0.0125` is exactly `1,25%`.
//!
//! # Why not `icu_decimal`
//!
//! Separators and grouping are written by hand (see `number.rs`) rather than
//! taken from `icu_decimal` (which is not a dependency):
//!
//! * an `f64` would have to go through a string into
//!   `fixed_decimal::Decimal` anyway;
//! * we need our own rounding rule (above), compact scale words (`juta`,
//!   `miliar`; compact formatting is not in stable ICU4X 2) and currency and
//!   percent patterns, so ICU would only contribute the two separators;
//! * for the two supported locales those are fixed (`id`: group `.`,
//!   decimal `,`; `en`: group `,`, decimal `.`; both group every three
//!   digits from 1 000 on), and pinning them keeps output stable across CLDR
//!   data updates.
//!
//! [`Lang::Id`]: crate::model::Lang::Id
//! [`Lang::En`]: crate::model::Lang::En

mod date;
mod measure;
mod number;

pub use date::{date_long, date_medium, month_name, month_short, period, span, weekday_name};
pub use measure::{
    Measure, change as measure_change, value as measure_value, value_short as measure_value_short,
};
pub use number::{
    compact, compact_short, decimal, integer, money, money_short, parse_number, percent,
    signed_percent, value, value_short,
};

/// What a non-finite number (NaN, ±∞) renders as: an en dash.
pub const MISSING: &str = "–";

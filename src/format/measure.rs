//! A metric's values in words: its unit, currency, rate base and precision
//! applied the same way to values, targets, changes and axis labels.

use super::MISSING;
use super::number::{compact_impl, decimal, money_amount, with_currency};
use crate::model::{Lang, Metric, Unit};

/// How values of one metric are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Measure<'a> {
    /// The unit.
    pub unit: Unit,
    /// ISO 4217 code, for money (`IDR` when missing).
    pub currency: Option<&'a str>,
    /// For a rate: per how many.
    pub per: Option<u32>,
    /// Decimals to show; `None`: the unit's default.
    pub decimals: Option<u8>,
}

impl<'a> Measure<'a> {
    /// The measure of `metric`.
    pub fn of(metric: &'a Metric) -> Measure<'a> {
        Measure {
            unit: metric.unit,
            currency: metric.currency.as_deref(),
            per: metric.per,
            decimals: metric.decimals,
        }
    }

    /// A measure of `unit` with the unit's defaults.
    pub fn plain(unit: Unit, currency: Option<&'a str>) -> Measure<'a> {
        Measure {
            unit,
            currency,
            per: None,
            decimals: None,
        }
    }

    /// The decimals shown.
    pub fn decimals(&self) -> u8 {
        self.decimals.unwrap_or(self.unit.default_decimals())
    }

    /// Decimals for a money amount: as declared, else none for a whole
    /// amount and two (cents) for one with a fraction.
    fn money_decimals(&self, v: f64) -> u8 {
        self.decimals
            .unwrap_or(if v.fract() == 0.0 { 0 } else { 2 })
    }
}

/// Whether `v` is large enough for words (`1,5 juta`) to keep the
/// precision readers need.
fn worth_compacting(v: f64) -> bool {
    v.abs() >= 1e3
}

/// A value with its unit, full or compact.
///
/// ```
/// use rekap::format::{Measure, measure_value};
/// use rekap::model::{Lang, Unit};
/// let rate = Measure { unit: Unit::Rate, currency: None, per: Some(100_000), decimals: None };
/// assert_eq!(measure_value(0.38, &rate, Lang::Id, true), "0,38 per 100.000");
/// assert_eq!(measure_value(0.38, &rate, Lang::En, true), "0.38 per 100,000");
/// let gbp = Measure::plain(Unit::Currency, Some("GBP"));
/// assert_eq!(measure_value(24.07, &gbp, Lang::En, true), "GBP 24.07");
/// ```
pub fn value(v: f64, m: &Measure, lang: Lang, compact: bool) -> String {
    if !v.is_finite() {
        return MISSING.to_string();
    }
    let d = m.decimals();
    match m.unit {
        Unit::People | Unit::Count if compact && worth_compacting(v) => {
            compact_impl(v, lang, false)
        }
        Unit::People | Unit::Count => decimal(v, lang, d),
        Unit::Currency => {
            let code = m.currency.unwrap_or("IDR");
            if compact && worth_compacting(v) {
                with_currency(compact_impl(v, lang, false), code, lang)
            } else {
                money_amount(v, code, lang, m.money_decimals(v))
            }
        }
        Unit::Percent => format!("{}%", decimal(v, lang, d)),
        Unit::Rate => match m.per {
            Some(per) => format!(
                "{} per {}",
                decimal(v, lang, d),
                decimal(per as f64, lang, 0)
            ),
            None => decimal(v, lang, d),
        },
        Unit::Index | Unit::Ratio => decimal(v, lang, d),
        Unit::Days => {
            let n = decimal(v, lang, d);
            let word = match lang {
                Lang::Id => "hari",
                Lang::En if n == "1" => "day",
                Lang::En => "days",
            };
            format!("{n} {word}")
        }
    }
}

/// A value for a chart axis: short scale words for large amounts, the
/// metric's decimals otherwise, no rate base (the axis title says it).
pub fn value_short(v: f64, m: &Measure, lang: Lang) -> String {
    if !v.is_finite() {
        return MISSING.to_string();
    }
    match m.unit {
        Unit::People | Unit::Count if worth_compacting(v) => compact_impl(v, lang, true),
        Unit::Currency if worth_compacting(v) => with_currency(
            compact_impl(v, lang, true),
            m.currency.unwrap_or("IDR"),
            lang,
        ),
        Unit::Currency => money_amount(v, m.currency.unwrap_or("IDR"), lang, m.money_decimals(v)),
        Unit::Percent => format!("{}%", decimal(v, lang, m.decimals())),
        _ => decimal(v, lang, m.decimals()),
    }
}

/// A change between two values, signed: in the unit (`+Rp142 miliar`), and
/// for a percentage in percentage points (`+1,2 poin`, `+1.2 pp`).
///
/// ```
/// use rekap::format::{Measure, measure_change};
/// use rekap::model::{Lang, Unit};
/// let pct = Measure::plain(Unit::Percent, None);
/// assert_eq!(measure_change(-0.8, &pct, Lang::Id), "-0,8 poin");
/// assert_eq!(measure_change(1.25, &pct, Lang::En), "+1.3 pp");
/// ```
pub fn change(v: f64, m: &Measure, lang: Lang) -> String {
    if !v.is_finite() {
        return MISSING.to_string();
    }
    let body = match m.unit {
        Unit::Percent => {
            let n = decimal(v, lang, m.decimals());
            let pp = match lang {
                Lang::Id => "poin",
                Lang::En => "pp",
            };
            format!("{n} {pp}")
        }
        _ => value(v, m, lang, true),
    };
    let zero = body
        .chars()
        .filter(|c| c.is_ascii_digit())
        .all(|c| c == '0');
    if v > 0.0 && !zero {
        format!("+{body}")
    } else {
        body
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(u: Unit) -> Measure<'static> {
        Measure::plain(u, None)
    }

    #[test]
    fn decimals_are_kept_for_rates_indices_and_ratios() {
        assert_eq!(value(0.88, &unit(Unit::Index), Lang::Id, true), "0,88");
        assert_eq!(value(1.0, &unit(Unit::Index), Lang::En, true), "1.00");
        assert_eq!(value(1.25, &unit(Unit::Ratio), Lang::Id, false), "1,25");
        let one = Measure {
            decimals: Some(1),
            ..unit(Unit::Rate)
        };
        assert_eq!(value(0.38, &one, Lang::En, true), "0.4");
    }

    #[test]
    fn whole_units_compact_only_when_large() {
        assert_eq!(
            value(577_958.0, &unit(Unit::People), Lang::Id, true),
            "578 ribu"
        );
        assert_eq!(
            value(577_958.0, &unit(Unit::People), Lang::Id, false),
            "577.958"
        );
        assert_eq!(value(999.0, &unit(Unit::Count), Lang::En, true), "999");
    }

    #[test]
    fn money_keeps_its_cents_and_its_words() {
        let idr = unit(Unit::Currency);
        assert_eq!(value(956e9, &idr, Lang::Id, true), "Rp956 miliar");
        assert_eq!(value(956e9, &idr, Lang::Id, false), "Rp956.000.000.000");
        let gbp = Measure::plain(Unit::Currency, Some("GBP"));
        assert_eq!(value(24.07, &gbp, Lang::Id, true), "GBP 24,07");
        assert_eq!(value(24.0, &gbp, Lang::En, false), "GBP 24");
        assert_eq!(value_short(24.07, &gbp, Lang::En), "GBP 24.07");
    }

    #[test]
    fn percent_and_days_carry_their_unit() {
        assert_eq!(value(57.3, &unit(Unit::Percent), Lang::Id, true), "57,3%");
        assert_eq!(value(12.0, &unit(Unit::Days), Lang::Id, true), "12 hari");
        assert_eq!(value(1.0, &unit(Unit::Days), Lang::En, true), "1 day");
        assert_eq!(value(2.0, &unit(Unit::Days), Lang::En, true), "2 days");
        assert_eq!(value(1.0, &unit(Unit::Days), Lang::Id, true), "1 hari");
    }

    #[test]
    fn changes_are_signed_and_percentages_change_by_points() {
        assert_eq!(change(-0.8, &unit(Unit::Index), Lang::Id), "-0,80");
        assert_eq!(
            change(142e9, &unit(Unit::Currency), Lang::Id),
            "+Rp142 miliar"
        );
        assert_eq!(change(0.0, &unit(Unit::Percent), Lang::En), "0.0 pp");
        assert_eq!(change(0.004, &unit(Unit::Percent), Lang::En), "0.0 pp");
    }

    #[test]
    fn axis_labels_follow_the_metric_precision() {
        let rate = Measure {
            per: Some(1000),
            ..unit(Unit::Rate)
        };
        assert_eq!(value_short(0.5, &rate, Lang::Id), "0,50");
        assert_eq!(value_short(1.5e6, &unit(Unit::People), Lang::En), "1.5M");
        // Under a thousand: the number itself, grouped as the language does.
        assert_eq!(value_short(999.0, &unit(Unit::People), Lang::Id), "999");
        assert_eq!(value_short(1250.0, &unit(Unit::Count), Lang::Id), "1,25 rb");
    }
}

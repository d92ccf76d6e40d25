//! Numbers, money, percentages and compact scales.
//!
//! All rounding goes through [`Digits`], an exact decimal copy of the
//! shortest representation of an `f64`, rounded half away from zero.

use super::MISSING;
use crate::model::{Lang, Unit};

/// Group and decimal separators of a language.
fn separators(lang: Lang) -> (char, char) {
    match lang {
        Lang::Id => ('.', ','),
        Lang::En => (',', '.'),
    }
}

/// A finite number as decimal digits: `±0.d₀d₁d₂… × 10^point`.
///
/// Canonical form: `digits` is never empty and has no leading or trailing
/// zeros, except zero itself, which is `[0]` with `point == 1` and is never
/// negative. So for a non-zero value, `point` is the number of digits before
/// the decimal mark (zero or negative for values below 0.1).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Digits {
    neg: bool,
    digits: Vec<u8>,
    point: i32,
}

impl Digits {
    /// The shortest decimal representation of `v`, or `None` if `v` is not finite.
    fn new(v: f64) -> Option<Digits> {
        if !v.is_finite() {
            return None;
        }
        // `{:e}` prints the shortest round-tripping digits: `1.2345e3`, `5e-324`, `0e0`.
        let s = format!("{:e}", v.abs());
        let (mantissa, exp) = s.split_once('e')?;
        let exp: i32 = exp.parse().ok()?;
        let digits = mantissa
            .bytes()
            .filter(u8::is_ascii_digit)
            .map(|b| b - b'0')
            .collect();
        let mut d = Digits {
            neg: v.is_sign_negative(),
            digits,
            point: exp + 1,
        };
        d.normalize();
        Some(d)
    }

    fn zero() -> Digits {
        Digits {
            neg: false,
            digits: vec![0],
            point: 1,
        }
    }

    fn is_zero(&self) -> bool {
        self.digits.iter().all(|&d| d == 0)
    }

    /// Restores the canonical form (see the type docs).
    fn normalize(&mut self) {
        if self.is_zero() {
            *self = Digits::zero();
            return;
        }
        // No leading zero can arise: `{:e}` starts with a non-zero digit,
        // and rounding keeps the first digit or carries a 1 in front of it.
        debug_assert_ne!(self.digits.first(), Some(&0), "a leading zero in {self:?}");
        while self.digits.last() == Some(&0) {
            self.digits.pop();
        }
    }

    /// Keeps the first `keep` digits, rounding half away from zero on the
    /// digits dropped. `keep <= 0` rounds at a position above the first digit.
    fn round_to(&mut self, keep: i32) {
        if self.is_zero() || keep >= self.digits.len() as i32 {
            return;
        }
        if keep < 0 {
            // Rounding unit is at least 100 times the leading digit's: below half.
            *self = Digits::zero();
            return;
        }
        let keep = keep as usize;
        let up = self.digits[keep] >= 5;
        self.digits.truncate(keep);
        if up {
            let mut carried = true;
            for d in self.digits.iter_mut().rev() {
                if *d == 9 {
                    *d = 0;
                } else {
                    *d += 1;
                    carried = false;
                    break;
                }
            }
            if carried {
                // All nines (or nothing kept): 999.7 -> 1000, 0.7 -> 1.
                self.digits.insert(0, 1);
                self.point += 1;
            }
        }
        self.normalize();
    }

    /// Rounds to `decimals` digits after the decimal mark.
    fn round_decimals(&mut self, decimals: u8) {
        self.round_to(self.point + i32::from(decimals));
    }

    /// Rounds to `n` significant digits.
    fn round_significant(&mut self, n: u8) {
        self.round_to(i32::from(n));
    }

    /// Multiplies by `10^k` (exact: only the decimal mark moves).
    fn shift(&mut self, k: i32) {
        if !self.is_zero() {
            self.point += k;
        }
    }

    /// The digit at position `i` (0 is the first digit of `digits`); zero outside.
    fn digit(&self, i: i32) -> u8 {
        usize::try_from(i)
            .ok()
            .and_then(|i| self.digits.get(i))
            .copied()
            .unwrap_or(0)
    }

    /// Renders with grouping. `decimals: Some(n)` prints exactly `n` digits
    /// after the mark (the value should already be rounded to `n`); `None`
    /// prints every remaining digit, so no trailing zeros, no mark for a
    /// whole number.
    fn render(&self, lang: Lang, decimals: Option<u8>) -> String {
        let (group, mark) = separators(lang);
        let int_len = self.point.max(1);
        let int: Vec<u8> = (0..int_len)
            .map(|i| self.digit(i + self.point - int_len))
            .collect();
        let frac_len = match decimals {
            Some(n) => i32::from(n),
            None => (self.digits.len() as i32 - self.point).max(0),
        };
        let mut out = String::with_capacity(int.len() * 4 / 3 + frac_len as usize + 2);
        if self.neg {
            out.push('-');
        }
        for (i, d) in int.iter().enumerate() {
            if i > 0 && (int.len() - i).is_multiple_of(3) {
                out.push(group);
            }
            out.push(char::from(b'0' + d));
        }
        if frac_len > 0 {
            out.push(mark);
            for i in 0..frac_len {
                out.push(char::from(b'0' + self.digit(self.point + i)));
            }
        }
        out
    }
}

/// A whole number with thousands grouping, rounded half away from zero.
///
/// Example: `integer(577_958.0, Lang::Id)` is `577.958`, and with
/// `Lang::En` it is `577,958`; `integer(-1234.4, Lang::Id)` is `-1.234`.
/// Non-finite input gives `–`.
pub fn integer(v: f64, lang: Lang) -> String {
    decimal(v, lang, 0)
}

/// A number with exactly `decimals` digits after the decimal mark and
/// thousands grouping, rounded half away from zero.
///
/// Example: `decimal(1234.5, Lang::Id, 2)` is `1.234,50`; with `Lang::En`
/// it is `1,234.50`. A value that rounds to zero has no sign
/// (`decimal(-0.001, Lang::En, 2)` is `0.00`). Non-finite input gives `–`.
pub fn decimal(v: f64, lang: Lang, decimals: u8) -> String {
    let Some(mut d) = Digits::new(v) else {
        return MISSING.to_string();
    };
    d.round_decimals(decimals);
    d.render(lang, Some(decimals))
}

/// A ratio as a percentage with `decimals` decimals, no space before `%`.
///
/// Example: `percent(1.174, Lang::Id, 1)` is `117,4%`; with `Lang::En` it is
/// `117.4%`. The ratio is scaled by moving its decimal mark, so
/// `percent(0.0125, Lang::En, 1)` is exactly `1.3%`. Non-finite input gives `–`.
pub fn percent(ratio: f64, lang: Lang, decimals: u8) -> String {
    let Some(mut d) = Digits::new(ratio) else {
        return MISSING.to_string();
    };
    d.shift(2);
    d.round_decimals(decimals);
    let mut s = d.render(lang, Some(decimals));
    s.push('%');
    s
}

/// A growth ratio as a percentage with an explicit sign.
///
/// Example: `signed_percent(0.174, Lang::Id, 1)` is `+17,4%`
/// (`+17.4%` in English); `signed_percent(-0.032, Lang::Id, 1)` is `-3,2%`.
/// Anything that rounds to zero has no sign: `0,0%`. Non-finite input gives `–`.
pub fn signed_percent(ratio: f64, lang: Lang, decimals: u8) -> String {
    let Some(mut d) = Digits::new(ratio) else {
        return MISSING.to_string();
    };
    d.shift(2);
    d.round_decimals(decimals);
    let mut s = String::new();
    if !d.neg && !d.is_zero() {
        s.push('+');
    }
    s.push_str(&d.render(lang, Some(decimals)));
    s.push('%');
    s
}

/// Scale words, index 1 = 10³ … 4 = 10¹²: long form, then short form.
fn scale_word(lang: Lang, k: usize, short: bool) -> &'static str {
    const ID: [&str; 5] = ["", "ribu", "juta", "miliar", "triliun"];
    const EN: [&str; 5] = ["", "thousand", "million", "billion", "trillion"];
    const ID_SHORT: [&str; 5] = ["", "rb", "jt", "M", "T"];
    const EN_SHORT: [&str; 5] = ["", "K", "M", "B", "T"];
    let table = match (lang, short) {
        (Lang::Id, false) => &ID,
        (Lang::En, false) => &EN,
        (Lang::Id, true) => &ID_SHORT,
        (Lang::En, true) => &EN_SHORT,
    };
    table[k.min(4)]
}

/// Splits `v` into a mantissa and a scale index (0 = none, 1 = thousand …
/// 4 = trillion). Values that round to a whole number below 1000 come back
/// rounded to a whole number with scale 0. Others are rounded to three
/// significant digits *before* the scale is chosen, so 999 999 becomes
/// 1.00 × 10⁶ and lands in millions, never `1000 thousand`. Trillions is the
/// largest scale: from 10¹⁵ the mantissa is 1000 or more.
fn compact_parts(v: f64) -> Option<(Digits, usize)> {
    let d = Digits::new(v)?;
    let mut whole = d.clone();
    whole.round_decimals(0);
    if whole.point <= 3 {
        return Some((whole, 0));
    }
    let mut s = d;
    s.round_significant(3);
    let k = ((s.point - 1) / 3).clamp(1, 4);
    s.shift(-3 * k);
    Some((s, k as usize))
}

pub(super) fn compact_impl(v: f64, lang: Lang, short: bool) -> String {
    let Some((m, k)) = compact_parts(v) else {
        return MISSING.to_string();
    };
    if k == 0 {
        return m.render(lang, Some(0));
    }
    let sep = match (lang, short) {
        (Lang::En, true) => "",
        _ => " ",
    };
    format!(
        "{}{sep}{}",
        m.render(lang, None),
        scale_word(lang, k, short)
    )
}

/// A large number in words, to three significant digits, trailing zeros
/// after the decimal mark dropped.
///
/// Example: `compact(1_500_000.0, Lang::Id)` is `1,5 juta` (`1.5 million`);
/// `956e9` is `956 miliar` (`956 billion`); `577_958.0` is `578 ribu`;
/// `999_999.0` is `1 juta`. Below 1000 it is [`integer`]. Scales: ribu, juta,
/// miliar, triliun / thousand, million, billion, trillion. Non-finite input
/// gives `–`.
pub fn compact(v: f64, lang: Lang) -> String {
    compact_impl(v, lang, false)
}

/// Like [`compact`] with abbreviated scales, for chart axes.
///
/// Example: `compact_short(1_500_000.0, Lang::Id)` is `1,5 jt` and in
/// English `1.5M`. Indonesian: `rb`, `jt`, `M` (miliar), `T` (triliun), after
/// a space; English: `K`, `M`, `B`, `T`, no space (`956B`, `1.1T`).
pub fn compact_short(v: f64, lang: Lang) -> String {
    compact_impl(v, lang, true)
}

/// The text before the number: `Rp` for rupiah in Indonesian, else the code and a space.
fn currency_prefix(currency: &str, lang: Lang) -> String {
    let code = currency.trim();
    if code.is_empty() {
        String::new()
    } else if lang == Lang::Id && code.eq_ignore_ascii_case("IDR") {
        "Rp".to_string()
    } else {
        format!("{} ", code.to_ascii_uppercase())
    }
}

/// Puts the sign of `number` before the currency prefix.
pub(super) fn with_currency(number: String, currency: &str, lang: Lang) -> String {
    if number == MISSING {
        return number;
    }
    let prefix = currency_prefix(currency, lang);
    match number.strip_prefix('-') {
        Some(abs) => format!("-{prefix}{abs}"),
        None => format!("{prefix}{number}"),
    }
}

/// An amount of money in whole units, full or in words.
///
/// Example: `money(956e9, "IDR", Lang::Id, true)` is `Rp956 miliar`, and
/// with `compact == false` it is `Rp956.000.000.000`. In English the rupiah
/// is written `IDR 956 billion` / `IDR 956,000,000,000`. Other codes are
/// written before the number in both languages: `USD 1.5 million`.
/// Negative amounts: `-Rp5 juta`, `-IDR 5 million`. Non-finite input gives `–`.
pub fn money(v: f64, currency: &str, lang: Lang, compact: bool) -> String {
    let number = if compact {
        compact_impl(v, lang, false)
    } else {
        integer(v, lang)
    };
    with_currency(number, currency, lang)
}

/// An amount of money in full with `decimals` decimals (`GBP 24.07`).
pub(super) fn money_amount(v: f64, currency: &str, lang: Lang, decimals: u8) -> String {
    with_currency(decimal(v, lang, decimals), currency, lang)
}

/// An amount of money for chart axes, with abbreviated scales.
///
/// Example: `money_short(1_099_400_000_000.0, "IDR", Lang::Id)` is `Rp1,1 T`;
/// in English `IDR 1.1T`. Non-finite input gives `–`.
pub fn money_short(v: f64, currency: &str, lang: Lang) -> String {
    with_currency(compact_impl(v, lang, true), currency, lang)
}

/// A metric value in its unit with the unit's defaults (see
/// [`measure_value`](super::measure_value) for a metric's own precision).
///
/// Example: `value(1.5e6, Unit::People, None, Lang::En, true)` is `1.5 million`;
/// `value(57.3, Unit::Percent, None, Lang::Id, false)` is `57,3%`.
pub fn value(v: f64, unit: Unit, currency: Option<&str>, lang: Lang, compact: bool) -> String {
    super::measure::value(v, &super::Measure::plain(unit, currency), lang, compact)
}

/// A metric value for chart axes with the unit's defaults (see
/// [`measure_value_short`](super::measure_value_short)).
///
/// Example: `value_short(956e9, Unit::Currency, None, Lang::En)` is `IDR 956B`.
pub fn value_short(v: f64, unit: Unit, currency: Option<&str>, lang: Lang) -> String {
    super::measure::value_short(v, &super::Measure::plain(unit, currency), lang)
}

/// Reads back the output of [`integer`], [`decimal`], [`percent`] and
/// [`signed_percent`]; `None` for anything else (including `–`).
///
/// Grouping must be well formed (groups of three after the first). A
/// trailing `%` divides by 100, so a percentage reads back as the ratio.
/// Example: `parse_number("1.234,50", Lang::Id)` is `Some(1234.5)`;
/// `parse_number("117.4%", Lang::En)` is `Some(1.174)`;
/// `parse_number("1,234.50", Lang::Id)` is `None`.
pub fn parse_number(s: &str, lang: Lang) -> Option<f64> {
    let (group, mark) = separators(lang);
    let s = s.trim();
    let (s, pct) = match s.strip_suffix('%') {
        Some(rest) => (rest, true),
        None => (s, false),
    };
    let (neg, s) = if let Some(rest) = s.strip_prefix('-') {
        (true, rest)
    } else {
        (false, s.strip_prefix('+').unwrap_or(s))
    };
    let (int, frac) = match s.split_once(mark) {
        Some((i, f)) => (i, Some(f)),
        None => (s, None),
    };
    let all_digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    let mut groups = int.split(group);
    let first = groups.next()?;
    if !all_digits(first) || (int.contains(group) && first.len() > 3) {
        return None;
    }
    let mut plain = String::with_capacity(s.len() + 4);
    if neg {
        plain.push('-');
    }
    plain.push_str(first);
    for g in groups {
        if g.len() != 3 || !all_digits(g) {
            return None;
        }
        plain.push_str(g);
    }
    if let Some(f) = frac {
        if !all_digits(f) {
            return None;
        }
        plain.push('.');
        plain.push_str(f);
    }
    if pct {
        plain.push_str("e-2");
    }
    plain.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const BOTH: [Lang; 2] = [Lang::Id, Lang::En];

    #[test]
    fn integer_groups_thousands_per_locale() {
        assert_eq!(integer(577_958.0, Lang::Id), "577.958");
        assert_eq!(integer(577_958.0, Lang::En), "577,958");
        assert_eq!(integer(-1234.0, Lang::Id), "-1.234");
        assert_eq!(integer(-1234.0, Lang::En), "-1,234");
        assert_eq!(integer(956e9, Lang::Id), "956.000.000.000");
        assert_eq!(integer(999.0, Lang::Id), "999");
        assert_eq!(integer(1000.0, Lang::Id), "1.000");
        assert_eq!(integer(100_000.0, Lang::En), "100,000");
    }

    #[test]
    fn integer_rounds_half_away_from_zero() {
        assert_eq!(integer(2.5, Lang::En), "3");
        assert_eq!(integer(-2.5, Lang::En), "-3");
        assert_eq!(integer(0.5, Lang::En), "1");
        assert_eq!(integer(0.49, Lang::En), "0");
        assert_eq!(integer(999.5, Lang::Id), "1.000");
        assert_eq!(integer(999.5, Lang::En), "1,000");
        assert_eq!(integer(999.4, Lang::En), "999");
        assert_eq!(integer(999_999.5, Lang::Id), "1.000.000");
    }

    #[test]
    fn zero_and_values_rounding_to_zero_have_no_sign() {
        for lang in BOTH {
            assert_eq!(integer(0.0, lang), "0");
            assert_eq!(integer(-0.0, lang), "0");
            assert_eq!(integer(-0.4, lang), "0");
            assert_eq!(integer(1e-300, lang), "0");
            assert_eq!(integer(f64::MIN_POSITIVE, lang), "0");
            assert_eq!(compact(-0.3, lang), "0");
        }
        assert_eq!(decimal(-0.004, Lang::Id, 2), "0,00");
        assert_eq!(decimal(-0.0, Lang::En, 1), "0.0");
    }

    #[test]
    fn non_finite_renders_as_en_dash() {
        for v in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            for lang in BOTH {
                assert_eq!(integer(v, lang), "–");
                assert_eq!(decimal(v, lang, 2), "–");
                assert_eq!(percent(v, lang, 1), "–");
                assert_eq!(signed_percent(v, lang, 1), "–");
                assert_eq!(compact(v, lang), "–");
                assert_eq!(compact_short(v, lang), "–");
                assert_eq!(money(v, "IDR", lang, true), "–");
                assert_eq!(money(v, "IDR", lang, false), "–");
                assert_eq!(money_short(v, "USD", lang), "–");
                for unit in [Unit::People, Unit::Currency, Unit::Percent, Unit::Count] {
                    assert_eq!(value(v, unit, None, lang, true), "–");
                    assert_eq!(value_short(v, unit, None, lang), "–");
                }
            }
        }
    }

    #[test]
    fn decimal_pads_to_fixed_decimals_with_grouping() {
        assert_eq!(decimal(1234.5, Lang::Id, 2), "1.234,50");
        assert_eq!(decimal(1234.5, Lang::En, 2), "1,234.50");
        assert_eq!(decimal(-1234.5, Lang::En, 2), "-1,234.50");
        assert_eq!(decimal(0.5, Lang::Id, 3), "0,500");
        assert_eq!(decimal(7.0, Lang::En, 0), "7");
        assert_eq!(decimal(0.000_123, Lang::En, 5), "0.00012");
        assert_eq!(decimal(0.000_125, Lang::En, 5), "0.00013");
    }

    #[test]
    fn decimal_rounds_the_decimal_representation_not_the_binary_value() {
        // 0.125 is exact in binary; 1.005 and 0.35 are slightly below in
        // binary, but read as written.
        assert_eq!(decimal(0.125, Lang::En, 2), "0.13");
        assert_eq!(decimal(-0.125, Lang::En, 2), "-0.13");
        assert_eq!(decimal(1.005, Lang::En, 2), "1.01");
        assert_eq!(decimal(0.35, Lang::En, 1), "0.4");
        assert_eq!(decimal(2.675, Lang::Id, 2), "2,68");
        assert_eq!(decimal(9.995, Lang::En, 2), "10.00");
        assert_eq!(decimal(99_999.95, Lang::Id, 1), "100.000,0");
    }

    #[test]
    fn huge_and_tiny_values_render_without_scientific_notation() {
        assert_eq!(integer(1e15, Lang::Id), "1.000.000.000.000.000");
        assert_eq!(integer(1e21, Lang::En), "1,000,000,000,000,000,000,000");
        assert_eq!(decimal(1e-7, Lang::En, 8), "0.00000010");
        assert_eq!(decimal(5e-324, Lang::En, 2), "0.00");
        let max = integer(f64::MAX, Lang::En);
        assert!(max.starts_with("179,769,313,486,231,570,000,"));
        assert_eq!(max.len(), 309 + 102);
    }

    #[test]
    fn percent_scales_a_ratio_without_space_before_sign() {
        assert_eq!(percent(1.174, Lang::Id, 1), "117,4%");
        assert_eq!(percent(1.174, Lang::En, 1), "117.4%");
        assert_eq!(percent(0.5, Lang::Id, 0), "50%");
        assert_eq!(percent(0.0125, Lang::En, 1), "1.3%");
        assert_eq!(percent(12.345, Lang::Id, 0), "1.235%");
        assert_eq!(percent(-0.032, Lang::En, 1), "-3.2%");
        assert_eq!(percent(0.0, Lang::Id, 1), "0,0%");
    }

    #[test]
    fn signed_percent_signs_growth_but_not_zero() {
        assert_eq!(signed_percent(0.174, Lang::Id, 1), "+17,4%");
        assert_eq!(signed_percent(0.174, Lang::En, 1), "+17.4%");
        assert_eq!(signed_percent(-0.032, Lang::Id, 1), "-3,2%");
        assert_eq!(signed_percent(-0.032, Lang::En, 1), "-3.2%");
        assert_eq!(signed_percent(0.0, Lang::Id, 1), "0,0%");
        assert_eq!(signed_percent(0.0, Lang::En, 1), "0.0%");
        assert_eq!(signed_percent(-0.0001, Lang::Id, 1), "0,0%");
        assert_eq!(signed_percent(0.0004, Lang::En, 1), "0.0%");
        assert_eq!(signed_percent(0.0005, Lang::En, 1), "+0.1%");
    }

    #[test]
    fn compact_uses_long_scale_words() {
        let cases = [
            (1_500_000.0, "1,5 juta", "1.5 million"),
            (956e9, "956 miliar", "956 billion"),
            (1_099_400_000_000.0, "1,1 triliun", "1.1 trillion"),
            (577_958.0, "578 ribu", "578 thousand"),
            (1000.0, "1 ribu", "1 thousand"),
            (12_345.0, "12,3 ribu", "12.3 thousand"),
            (2_050_000.0, "2,05 juta", "2.05 million"),
            (-5_000_000.0, "-5 juta", "-5 million"),
            (-1_500_000.0, "-1,5 juta", "-1.5 million"),
            (0.0, "0", "0"),
            (999.0, "999", "999"),
            (999.4, "999", "999"),
            (42.6, "43", "43"),
        ];
        for (v, id, en) in cases {
            assert_eq!(compact(v, Lang::Id), id, "{v}");
            assert_eq!(compact(v, Lang::En), en, "{v}");
        }
    }

    #[test]
    fn compact_rounds_into_next_scale() {
        assert_eq!(compact(999_999.0, Lang::Id), "1 juta");
        assert_eq!(compact(999_999.0, Lang::En), "1 million");
        assert_eq!(compact(999_950.0, Lang::Id), "1 juta");
        assert_eq!(compact(999_499.0, Lang::Id), "999 ribu");
        assert_eq!(compact(999.5, Lang::Id), "1 ribu");
        assert_eq!(compact(999.5, Lang::En), "1 thousand");
        assert_eq!(compact(-999_999.0, Lang::En), "-1 million");
        assert_eq!(compact(999_600_000_000.0, Lang::Id), "1 triliun");
        assert_eq!(compact_short(999_999.0, Lang::En), "1M");
    }

    #[test]
    fn compact_stays_in_trillions_from_a_quadrillion() {
        assert_eq!(compact(1e15, Lang::Id), "1.000 triliun");
        assert_eq!(compact(1e15, Lang::En), "1,000 trillion");
        assert_eq!(compact(1.234e16, Lang::En), "12,300 trillion");
        assert_eq!(compact_short(1e15, Lang::Id), "1.000 T");
    }

    #[test]
    fn compact_short_abbreviates_scales_for_axes() {
        let cases = [
            (1_500_000.0, "1,5 jt", "1.5M"),
            (956e9, "956 M", "956B"),
            (1_099_400_000_000.0, "1,1 T", "1.1T"),
            (577_958.0, "578 rb", "578K"),
            (-2_500.0, "-2,5 rb", "-2.5K"),
            (500.0, "500", "500"),
        ];
        for (v, id, en) in cases {
            assert_eq!(compact_short(v, Lang::Id), id, "{v}");
            assert_eq!(compact_short(v, Lang::En), en, "{v}");
        }
    }

    #[test]
    fn money_puts_currency_before_number() {
        assert_eq!(money(956e9, "IDR", Lang::Id, true), "Rp956 miliar");
        assert_eq!(money(956e9, "IDR", Lang::Id, false), "Rp956.000.000.000");
        assert_eq!(money(956e9, "IDR", Lang::En, true), "IDR 956 billion");
        assert_eq!(money(956e9, "IDR", Lang::En, false), "IDR 956,000,000,000");
        assert_eq!(
            money(1_099_400_000_000.0, "IDR", Lang::Id, true),
            "Rp1,1 triliun"
        );
        assert_eq!(money(1_500_000.0, "USD", Lang::En, true), "USD 1.5 million");
        assert_eq!(money(1_500_000.0, "USD", Lang::Id, true), "USD 1,5 juta");
        assert_eq!(money(1_500_000.0, "usd", Lang::Id, false), "USD 1.500.000");
        assert_eq!(money(1_500_000.0, "idr", Lang::Id, false), "Rp1.500.000");
        assert_eq!(money(250.0, "IDR", Lang::Id, true), "Rp250");
    }

    #[test]
    fn money_puts_minus_before_currency() {
        assert_eq!(money(-5e6, "IDR", Lang::Id, true), "-Rp5 juta");
        assert_eq!(money(-5e6, "IDR", Lang::En, true), "-IDR 5 million");
        assert_eq!(money(-5e6, "IDR", Lang::Id, false), "-Rp5.000.000");
        assert_eq!(money(-0.2, "IDR", Lang::Id, false), "Rp0");
        assert_eq!(money_short(-5e6, "IDR", Lang::Id), "-Rp5 jt");
    }

    #[test]
    fn money_short_abbreviates_for_axes() {
        assert_eq!(money_short(1_099_400_000_000.0, "IDR", Lang::Id), "Rp1,1 T");
        assert_eq!(
            money_short(1_099_400_000_000.0, "IDR", Lang::En),
            "IDR 1.1T"
        );
        assert_eq!(money_short(956e9, "IDR", Lang::Id), "Rp956 M");
        assert_eq!(money_short(1_500_000.0, "USD", Lang::En), "USD 1.5M");
    }

    #[test]
    fn value_dispatches_on_unit() {
        assert_eq!(
            value(577_958.0, Unit::People, None, Lang::Id, false),
            "577.958"
        );
        assert_eq!(
            value(577_958.0, Unit::People, None, Lang::Id, true),
            "578 ribu"
        );
        assert_eq!(
            value(1_500_000.0, Unit::Count, None, Lang::En, true),
            "1.5 million"
        );
        assert_eq!(
            value(956e9, Unit::Currency, None, Lang::Id, true),
            "Rp956 miliar"
        );
        assert_eq!(
            value(956e9, Unit::Currency, None, Lang::En, false),
            "IDR 956,000,000,000"
        );
        assert_eq!(
            value(1.5e6, Unit::Currency, Some("USD"), Lang::En, true),
            "USD 1.5 million"
        );
        assert_eq!(value(57.3, Unit::Percent, None, Lang::Id, false), "57,3%");
        assert_eq!(value(57.3, Unit::Percent, None, Lang::En, true), "57.3%");
        assert_eq!(value(57.0, Unit::Percent, None, Lang::Id, true), "57,0%");
        assert_eq!(
            value(1234.56, Unit::Percent, None, Lang::Id, false),
            "1.234,6%"
        );
    }

    #[test]
    fn value_short_dispatches_on_unit() {
        assert_eq!(value_short(577_958.0, Unit::People, None, Lang::En), "578K");
        assert_eq!(
            value_short(577_958.0, Unit::Count, None, Lang::Id),
            "578 rb"
        );
        assert_eq!(
            value_short(956e9, Unit::Currency, None, Lang::En),
            "IDR 956B"
        );
        assert_eq!(
            value_short(956e9, Unit::Currency, None, Lang::Id),
            "Rp956 M"
        );
        assert_eq!(value_short(57.25, Unit::Percent, None, Lang::Id), "57,3%");
    }

    #[test]
    fn parse_number_reads_back_formatted_output() {
        assert_eq!(parse_number("1.234,50", Lang::Id), Some(1234.5));
        assert_eq!(parse_number("1,234.50", Lang::En), Some(1234.5));
        assert_eq!(parse_number("-1.234", Lang::Id), Some(-1234.0));
        assert_eq!(parse_number("577.958", Lang::Id), Some(577_958.0));
        assert_eq!(parse_number("117,4%", Lang::Id), Some(1.174));
        assert_eq!(parse_number("+17.4%", Lang::En), Some(0.174));
        assert_eq!(parse_number("-3,2%", Lang::Id), Some(-0.032));
        assert_eq!(parse_number("0", Lang::En), Some(0.0));
        assert_eq!(parse_number("1234", Lang::En), Some(1234.0));
    }

    #[test]
    fn parse_number_rejects_foreign_or_malformed_text() {
        for s in [
            "",
            "–",
            "1,234.50",
            "1.23.4",
            "12.34,5.6",
            ".123",
            "1..234",
            "1,",
            "abc",
            "1 juta",
            "--1",
            "1.2345",
        ] {
            assert_eq!(parse_number(s, Lang::Id), None, "{s:?}");
        }
        assert_eq!(parse_number("1.234,50", Lang::En), None);
        assert_eq!(parse_number("NaN", Lang::En), None);
        assert_eq!(parse_number("inf", Lang::En), None);
    }

    /// The number before the scale word of a compact output, as a value.
    fn compact_mantissa(s: &str, lang: Lang) -> Option<f64> {
        let num = s.split(' ').next()?;
        let num = num.trim_end_matches(|c: char| c.is_ascii_alphabetic());
        parse_number(num, lang)
    }

    proptest! {
        #[test]
        fn formatting_never_panics_for_any_f64(v in any::<f64>(), decimals in any::<u8>(), en in any::<bool>(), compact_flag in any::<bool>()) {
            let lang = if en { Lang::En } else { Lang::Id };
            let outputs = [
                integer(v, lang),
                decimal(v, lang, decimals),
                percent(v, lang, decimals),
                signed_percent(v, lang, decimals),
                compact(v, lang),
                compact_short(v, lang),
                money(v, "IDR", lang, compact_flag),
                money_short(v, "USD", lang),
                value(v, Unit::People, None, lang, compact_flag),
                value(v, Unit::Percent, None, lang, compact_flag),
                value_short(v, Unit::Currency, Some("EUR"), lang),
            ];
            for s in outputs {
                prop_assert!(!s.is_empty());
                prop_assert_eq!(s == MISSING, !v.is_finite());
                prop_assert!(!s.contains("e-") && !s.contains("e+") && !s.contains("inf") && !s.contains("NaN"), "{}", s);
            }
        }

        #[test]
        fn integer_parses_back_to_the_rounded_value(v in -1e15f64..1e15, en in any::<bool>()) {
            let lang = if en { Lang::En } else { Lang::Id };
            let s = integer(v, lang);
            // Below 2^52, f64::round sees the same tie as the decimal digits.
            prop_assert_eq!(parse_number(&s, lang), Some(v.round()), "{}", s);
        }

        #[test]
        fn decimal_parses_back_to_the_rounded_value(v in -1e15f64..1e15, decimals in 0u8..=6, en in any::<bool>()) {
            let lang = if en { Lang::En } else { Lang::Id };
            let s = decimal(v, lang, decimals);
            let parsed = parse_number(&s, lang);
            prop_assert!(parsed.is_some(), "{}", s);
            let parsed = parsed.unwrap_or_default();
            // Reference: std rounds the exact binary value (ties to even). It
            // may differ from ours only when `v` sits on a decimal tie.
            let reference: f64 = format!("{:.*}", usize::from(decimals), v).parse().unwrap_or(f64::NAN);
            if parsed != reference {
                let unit = 10f64.powi(-i32::from(decimals));
                let slack = v.abs() * 1e-15 + f64::MIN_POSITIVE;
                prop_assert!(((parsed - reference).abs() - unit).abs() <= unit * 1e-6 + slack, "{} vs {}", s, reference);
                prop_assert!((v - (parsed + reference) / 2.0).abs() <= slack, "{} vs {} not a tie for {}", s, reference, v);
                prop_assert!(parsed.abs() > reference.abs(), "{}: ties go away from zero", s);
            }
            prop_assert!((parsed - v).abs() <= 0.5 * 10f64.powi(-i32::from(decimals)) + v.abs() * 1e-15);
        }

        #[test]
        fn decimal_ties_round_away_from_zero(n in -999_999_999_999i64..=999_999_999_999, decimals in 0u8..=3, en in any::<bool>()) {
            // `n` followed by a 5 one place past the last decimal kept: an
            // exact tie in decimal, usually not in binary.
            let lang = if en { Lang::En } else { Lang::Id };
            let d = i32::from(decimals);
            let sign = if n < 0 { "-" } else { "" };
            let tie: f64 = format!("{sign}{}5e-{}", n.unsigned_abs(), d + 1).parse().unwrap_or(f64::NAN);
            let away: f64 = format!("{sign}{}e-{}", n.unsigned_abs() + 1, d).parse().unwrap_or(f64::NAN);
            let s = decimal(tie, lang, decimals);
            prop_assert_eq!(parse_number(&s, lang), Some(away), "{} for {}", s, tie);
        }

        #[test]
        fn small_decimals_parse_back_within_half_a_unit(v in -1000f64..1000.0, decimals in 0u8..=6, en in any::<bool>()) {
            let lang = if en { Lang::En } else { Lang::Id };
            let s = decimal(v, lang, decimals);
            let parsed = parse_number(&s, lang);
            prop_assert!(parsed.is_some(), "{}", s);
            let unit = 10f64.powi(-i32::from(decimals));
            prop_assert!((parsed.unwrap_or_default() - v).abs() <= 0.5 * unit * (1.0 + 1e-9), "{} for {}", s, v);
            prop_assert_eq!(&s, &decimal(parsed.unwrap_or_default(), lang, decimals));
        }

        #[test]
        fn decimal_output_round_trips_through_parse(v in -1e9f64..1e9, decimals in 0u8..=4, en in any::<bool>()) {
            let lang = if en { Lang::En } else { Lang::Id };
            let s = decimal(v, lang, decimals);
            let back = parse_number(&s, lang).map(|p| decimal(p, lang, decimals));
            prop_assert_eq!(back, Some(s));
        }

        #[test]
        fn percent_parses_back_to_the_ratio(ratio in -1e6f64..1e6, decimals in 0u8..=3, en in any::<bool>()) {
            let lang = if en { Lang::En } else { Lang::Id };
            let s = percent(ratio, lang, decimals);
            let back = parse_number(&s, lang);
            prop_assert!(back.is_some(), "{}", s);
            let back = back.unwrap_or_default();
            prop_assert!((back - ratio).abs() <= 0.5 * 10f64.powi(-i32::from(decimals) - 2) * (1.0 + 1e-9) + ratio.abs() * 1e-15, "{}", s);
            prop_assert_eq!(percent(back, lang, decimals), s);
        }

        #[test]
        fn compact_never_shows_1000_before_a_scale_word(v in -9.99e14f64..9.99e14, en in any::<bool>(), short in any::<bool>()) {
            let lang = if en { Lang::En } else { Lang::Id };
            let s = if short { compact_short(v, lang) } else { compact(v, lang) };
            let m = compact_mantissa(&s, lang);
            prop_assert!(m.is_some(), "{}", s);
            let m = m.unwrap_or_default().abs();
            prop_assert!(m < 1000.0, "{}", s);
            let has_scale = s.chars().any(|c| c.is_alphabetic());
            if has_scale {
                prop_assert!(m >= 1.0, "{}", s);
                // At most three significant digits.
                let digits = s.chars().filter(char::is_ascii_digit).collect::<String>();
                prop_assert!(digits.trim_start_matches('0').len() <= 3, "{}", s);
            } else {
                prop_assert_eq!(s, integer(v, lang));
            }
        }

        #[test]
        fn compact_is_within_half_a_unit_of_the_third_digit(v in 1e3f64..9.99e14) {
            let s = compact(v, Lang::En);
            let (num, word) = s.split_once(' ').unwrap_or((&s, ""));
            let scale = match word {
                "thousand" => 1e3,
                "million" => 1e6,
                "billion" => 1e9,
                "trillion" => 1e12,
                _ => 1.0,
            };
            let shown = parse_number(num, Lang::En).unwrap_or(f64::NAN) * scale;
            let exponent = v.log10().floor();
            prop_assert!((shown - v).abs() <= 0.5 * 10f64.powf(exponent - 2.0) * (1.0 + 1e-9), "{} for {}", s, v);
        }
    }
}

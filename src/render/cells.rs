//! Every computed value, formatted once per build in the site's language:
//! the raw number (for machines and custom templates) beside its words and
//! signs (for readers). Templates never do arithmetic or formatting of their own.

use std::sync::{Arc, OnceLock};

use crate::model::Strings;

use serde::Serialize;

use super::i18n;
use crate::compute::{Derivation, Report, Status, Tracked};
use crate::format::{self, Measure};
use crate::model::{Direction, Lang, Metric, Period};
use crate::validate::Site;

/// One tracked value, raw and formatted.
#[derive(Debug, Clone, Serialize)]
pub struct CellView {
    /// Period as written (`2016`, `2017-Q1`).
    pub period: String,
    /// Period in words (`Triwulan I 2017`).
    pub period_label: String,
    /// Raw actual.
    pub actual: Option<f64>,
    /// Formatted actual, compact (`Rp956 miliar`), or the "no data" word.
    pub actual_fmt: String,
    /// Formatted actual in full (`Rp956.000.000.000`).
    pub actual_full: String,
    /// Raw target.
    pub target: Option<f64>,
    /// Formatted target, compact.
    pub target_fmt: String,
    /// Formatted target in full.
    pub target_full: String,
    /// How the target was set, in words, when not simply reported.
    pub target_basis: Option<String>,
    /// Raw attainment (actual / target).
    pub attainment: Option<f64>,
    /// Attainment as a percentage (`117,4%`); for a metric where lower is
    /// better, the share of the ceiling used (`112,6% dari batas`).
    pub attainment_fmt: String,
    /// Raw performance in the metric's direction (above 1 beats the target).
    pub performance: Option<f64>,
    /// What the status rests on (performance, or pace in a period in
    /// progress) as a bar width in percent of a scale from 0 to 150 % of the
    /// target, so that 100,7 % and 122 % differ; the target sits at
    /// [`BAR_TARGET`] (66,7). Capped at 100 (see `attainment_over`).
    pub attainment_bar: f64,
    /// Whether the bar is cut: the score is beyond 150 %.
    pub attainment_over: bool,
    /// `higher` or `lower`: which way is better.
    pub direction: &'static str,
    /// Kind of period: `year`, `financial_year`, `half`, `quarter`, `month`.
    pub period_kind: &'static str,
    /// For a period in progress measured at a month's end, the months it
    /// covers (`Jan–Jun 2017`).
    pub span_label: Option<String>,
    /// Raw growth over the previous period.
    pub growth: Option<f64>,
    /// Growth, signed (`+17,4%`).
    pub growth_fmt: String,
    /// Growth the target asks for over the previous actual (`+15,0%`).
    pub target_growth_fmt: String,
    /// Raw change over the previous period.
    pub change: Option<f64>,
    /// Change, formatted.
    pub change_fmt: String,
    /// Raw gap to target.
    pub gap: Option<f64>,
    /// Difference from target as a reader expects it (actual - target, signed).
    pub gap_fmt: String,
    /// Status key (`achieved`, `on_pace` ...).
    pub status: &'static str,
    /// Status in words.
    pub status_label: &'static str,
    /// Status symbol.
    pub status_symbol: &'static str,
    /// Multi-year progress key, when one applies.
    pub progress: Option<&'static str>,
    /// Multi-year progress in words.
    pub progress_label: Option<&'static str>,
    /// Whether the period was in progress when measured.
    pub in_progress: bool,
    /// Date measured, formatted.
    pub as_of_fmt: Option<String>,
    /// Share of the period elapsed at the date measured (`50%`).
    pub elapsed_fmt: Option<String>,
    /// Raw value expected by now on the way to the target.
    pub expected: Option<f64>,
    /// The value expected by now, formatted (`Rp550 miliar`).
    pub expected_fmt: Option<String>,
    /// The actual against the value expected by now (`96,3%`).
    pub pace_fmt: Option<String>,
    /// The period growth and change compare with, in words (`2016`,
    /// `Jan–Jun 2016`).
    pub compared_with_label: Option<String>,
    /// Whether the actual was summed (or averaged) from the breakdown.
    pub aggregated: bool,
    /// How, in words (`Jumlah dari rincian`, `Rata-rata dari rincian`),
    /// when aggregated.
    pub aggregated_label: Option<String>,
    /// Its mark: `Σ` for a sum, `x̄` for a mean.
    pub aggregated_mark: &'static str,
    /// Sources.
    pub sources: Vec<String>,
    /// Note.
    pub note: Option<String>,
    /// Whether the figure is internal.
    pub internal: bool,
    /// Whether a source of the figure is marked illustrative (it starts with
    /// `Ilustratif` or `Illustrative`).
    pub illustrative: bool,
}

/// The top of the attainment bars' scale: 150 % of the target.
pub const BAR_SCALE: f64 = 1.5;

/// Where the target (100 %) sits on an attainment bar, in percent of its width.
pub const BAR_TARGET: f64 = 100.0 / BAR_SCALE;

/// `s` with each hyphen-minus written as a true minus sign (U+2212), for a
/// number shown to readers (`−3,2%`, `−Rp5 juta`).
pub fn minus(s: String) -> String {
    if s.contains('-') {
        s.replace('-', "\u{2212}")
    } else {
        s
    }
}

/// Every tracked value of a report, formatted on demand: each the first
/// time a page asks for it ([`Viewer::cell`](super::views::Viewer::cell)),
/// then shared. A build that keeps most pages unrendered formats only the
/// values of the pages it builds.
pub type Formatted = Vec<OnceLock<Arc<CellView>>>;

/// Room for every value of `report`, none formatted yet.
pub fn unformatted(report: &Report) -> Formatted {
    std::iter::repeat_with(OnceLock::new)
        .take(report.cells.len())
        .collect()
}

/// The digest of what formatting a value reads besides the value itself
/// (see [`format()`]): the metrics, the site's strings and the language.
/// `None` if they cannot be digested.
pub fn around(site: &Site, lang: Lang) -> Option<u128> {
    let strings = &site.config.strings;
    crate::digest::of(&(&site.metrics, &strings.id, &strings.en, lang)).ok()
}

/// Values formatted by an earlier build: each is [`format()`] of its value
/// with the metrics and strings digested in `around`, so a later build
/// with the same `around` takes the view of every value equal to one of
/// these instead of formatting it again (`rekap serve`, after a figure
/// changed: only the values it reaches are formatted again).
#[derive(Debug)]
pub struct KeptFormats {
    /// [`around`] of the build that formatted them.
    pub around: u128,
    /// The report they were formatted from (its values, as they were).
    pub report: Arc<Report>,
    /// Their views, those that were asked for.
    pub formatted: Arc<Formatted>,
}

/// Room for every value of `report`, with the view of each value that
/// is, at the same place, equal to one `kept` formatted (if made with the
/// same `around`); the others not formatted yet. `same`, when given, tells
/// which entities' values are equal, in order, to those of `kept`'s report
/// (see [`ChangedEntities`](super::data_reads::ChangedEntities)): a value
/// of such an entity at the place it had is taken without comparing it
/// again.
pub fn carried_over(
    report: &Report,
    around: u128,
    kept: Option<&KeptFormats>,
    same: Option<&super::data_reads::ChangedEntities>,
) -> Formatted {
    use rayon::prelude::*;
    let Some(kept) = kept.filter(|k| k.around == around) else {
        return unformatted(report);
    };
    // Where each entity's values start, in both reports: an unchanged
    // entity's values are at the same places when they start at the same.
    let entities = report.cells.last().map_or(0, |c| c.entity + 1);
    let starts = |r: &Report| super::data_reads::entity_starts(&r.cells, entities, |c| c.entity);
    let placed = same.map(|same| (same, starts(report), starts(&kept.report)));
    report
        .cells
        .par_iter()
        .enumerate()
        .map(|(i, c)| {
            let in_place = placed.as_ref().is_some_and(|(same, now, was)| {
                same.unchanged(c.entity) && now[c.entity] == was[c.entity]
            });
            match (
                kept.report.cells.get(i),
                kept.formatted.get(i).and_then(OnceLock::get),
            ) {
                (Some(_), Some(view)) if in_place => OnceLock::from(Arc::clone(view)),
                (Some(was), Some(view)) if was == c => OnceLock::from(Arc::clone(view)),
                _ => OnceLock::new(),
            }
        })
        .collect()
}

/// A value of metric `m`, compact or full; the "no data" word for `None`.
pub fn value(m: &Metric, v: Option<f64>, lang: Lang, strings: &Strings, compact: bool) -> String {
    match v {
        Some(v) => minus(format::measure_value(v, &Measure::of(m), lang, compact)),
        None => i18n::text_in("no_data", lang, strings)
            .unwrap_or("?")
            .to_string(),
    }
}

/// The status in words, saying why when there is no status ("no target", "no
/// actual yet"), the site's own words (`strings`) where it has them.
pub fn status_label(lang: Lang, strings: &Strings, c: &Tracked) -> &'static str {
    let key = match (c.status, c.actual, c.target) {
        (Status::NoData, Some(_), None) => "no_target",
        (Status::NoData, None, Some(_)) => "no_actual_yet",
        (s, ..) => s.key(),
    };
    i18n::text_in(key, lang, strings).unwrap_or("?")
}

/// Formats one tracked value in `lang`, of one of `metrics`, with the
/// site's `strings`: a function of these alone (see [`around`]).
pub fn format(metrics: &[Metric], strings: &Strings, lang: Lang, c: &Tracked) -> CellView {
    let m = &metrics[c.metric];
    let measure = Measure::of(m);
    let t = |key: &str| i18n::text_in(key, lang, strings).unwrap_or("?");
    let pct = |v: Option<f64>| {
        v.map(|v| minus(format::percent(v, lang, 1)))
            .unwrap_or_else(|| format::MISSING.to_string())
    };
    let (aggregated_key, aggregated_mark) = match m.aggregate {
        crate::model::Aggregate::Mean => ("aggregated_mean", "x̄"),
        _ => ("aggregated", "Σ"),
    };
    let target_basis = match (c.target_from, c.target_growth, c.target_stated) {
        (Some(Derivation::FromGrowth), Some(g), Some(stated)) => Some(format!(
            "{} {}, {} {}",
            t("growth_target"),
            minus(format::signed_percent(g, lang, 1)),
            t("stated_as"),
            minus(format::measure_value(stated, &measure, lang, true))
        )),
        (Some(Derivation::FromGrowth), Some(g), None) => Some(format!(
            "{} {}",
            t("growth_target"),
            minus(format::signed_percent(g, lang, 1))
        )),
        (Some(Derivation::Aggregated), ..) => Some(t(aggregated_key).to_string()),
        (Some(Derivation::RolledUp), ..) => Some(t("rolled_up").to_string()),
        _ => None,
    };
    let signed = |v: Option<f64>| match v {
        Some(v) => minus(format::measure_change(v, &measure, lang)),
        None => format::MISSING.to_string(),
    };
    let in_progress = c.in_progress();
    // A flow or rate so far covers months (`Jan–Jun 2017`); a stock is a
    // level at the end of its last month (`Juni 2017`).
    let stock = m.time == crate::model::TimeKind::Stock;
    let span_of = |p: Period, as_of: Option<jiff::civil::Date>| -> Option<String> {
        let as_of = as_of?;
        let months = p.month_list();
        let last = months.iter().take_while(|x| x.end_date() <= as_of).last()?;
        (last.end_date() == as_of).then(|| {
            if stock {
                format::period(*last, lang)
            } else {
                format::span(p, *last, lang)
            }
        })
    };
    let span_label = in_progress.then(|| span_of(c.period, c.as_of)).flatten();
    let compared_with_label = c.compared_with.map(|p| {
        if in_progress {
            let earlier_as_of = c
                .as_of
                .and_then(|d| d.checked_sub(jiff::Span::new().years(1)).ok());
            span_of(p, earlier_as_of).unwrap_or_else(|| format::period(p, lang))
        } else {
            format::period(p, lang)
        }
    });
    let lower = m.direction == Direction::Lower;
    CellView {
        period: c.period.to_string(),
        period_label: format::period(c.period, lang),
        actual: c.actual,
        actual_fmt: value(m, c.actual, lang, strings, true),
        actual_full: value(m, c.actual, lang, strings, false),
        target: c.target,
        target_fmt: value(m, c.target, lang, strings, true),
        target_full: value(m, c.target, lang, strings, false),
        target_basis,
        attainment: c.attainment,
        attainment_fmt: match c.attainment {
            Some(a) if lower => {
                format!("{} {}", minus(format::percent(a, lang, 1)), t("of_ceiling"))
            }
            a => pct(a),
        },
        performance: c.performance,
        attainment_bar: c
            .score()
            .map(|a| (a * 100.0 / BAR_SCALE).clamp(0.0, 100.0))
            .unwrap_or(0.0),
        attainment_over: c.score().is_some_and(|a| a > BAR_SCALE),
        direction: if lower { "lower" } else { "higher" },
        period_kind: c.period.kind().as_str(),
        span_label,
        growth: c.growth,
        growth_fmt: c
            .growth
            .map(|g| minus(format::signed_percent(g, lang, 1)))
            .unwrap_or_else(|| format::MISSING.to_string()),
        target_growth_fmt: c
            .required_growth
            .map(|g| minus(format::signed_percent(g, lang, 1)))
            .unwrap_or_else(|| format::MISSING.to_string()),
        change: c.change,
        change_fmt: signed(c.change),
        gap: c.gap,
        // Shown as actual - target: "+Rp142 miliar" is above target.
        gap_fmt: signed(c.gap.map(|g| -g)),
        status: c.status.key(),
        status_label: status_label(lang, strings, c),
        status_symbol: c.status.symbol(),
        progress: c.progress.map(|p| p.key()),
        progress_label: c.progress.map(|p| t(p.key())),
        in_progress,
        as_of_fmt: c
            .as_of
            .filter(|_| in_progress)
            .map(|d| format::date_medium(d, lang)),
        elapsed_fmt: c.elapsed.map(|e| format::percent(e, lang, 0)),
        expected: c.expected,
        expected_fmt: c
            .expected
            .map(|e| minus(format::measure_value(e, &measure, lang, true))),
        pace_fmt: c.pace.map(|p| minus(format::percent(p, lang, 1))),
        compared_with_label,
        aggregated: c.actual_from == Some(Derivation::Aggregated),
        aggregated_label: (c.actual_from == Some(Derivation::Aggregated))
            .then(|| t(aggregated_key).to_string()),
        aggregated_mark,
        sources: c.sources.clone(),
        note: c.note.as_ref().map(|n| n.get(lang).to_string()),
        internal: c.audience == crate::model::Audience::Internal,
        illustrative: c
            .sources
            .iter()
            .any(|s| super::chart_text::is_illustrative(s)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compute::fixture::{Computed, region};

    /// A region with a yearly figure for 2015 to 2017, the 2016 actual `a`.
    fn site(metric: &str, a: u32) -> Computed {
        region(
            metric,
            &[
                "period: 2015, actual: 100, target: 100".to_string(),
                format!("period: 2016, actual: {a}, target: 110"),
                "period: 2017, actual: 130, target: 120".to_string(),
            ],
        )
    }

    /// Every value of `c`, formatted, kept as a build would keep them.
    fn formatted(c: &Computed) -> KeptFormats {
        let around = around(&c.site, Lang::Id).expect("a digest");
        let formatted = unformatted(&c.report);
        for (cell, view) in c.report.cells.iter().zip(&formatted) {
            let strings = &c.site.config.strings;
            let _ = view.set(Arc::new(format(&c.site.metrics, strings, Lang::Id, cell)));
        }
        KeptFormats {
            around,
            report: Arc::new(c.report.clone()),
            formatted: Arc::new(formatted),
        }
    }

    /// The periods of the values carried over formatted.
    fn carried(c: &Computed, kept: &KeptFormats) -> Vec<String> {
        let around = around(&c.site, Lang::Id).expect("a digest");
        let now = carried_over(&c.report, around, Some(kept), None);
        c.report
            .cells
            .iter()
            .zip(&now)
            .filter_map(|(cell, view)| {
                let view = view.get()?;
                // What is carried over is what formatting it now would make.
                let fresh = format(&c.site.metrics, &c.site.config.strings, Lang::Id, cell);
                assert_eq!(view.actual_fmt, fresh.actual_fmt);
                assert_eq!(view.growth_fmt, fresh.growth_fmt);
                assert_eq!(view.status_label, fresh.status_label);
                Some(view.period.clone())
            })
            .collect()
    }

    #[test]
    fn only_the_values_a_changed_figure_reaches_are_formatted_again() {
        let metric = "unit: people, time: flow";
        let kept = formatted(&site(metric, 120));
        assert_eq!(carried(&site(metric, 120), &kept), ["2015", "2016", "2017"]);
        // 2016's actual changes 2016 and the growth of 2017.
        assert_eq!(carried(&site(metric, 105), &kept), ["2015"]);
    }

    #[test]
    fn a_changed_month_of_a_lower_is_better_rate_reaches_only_its_own_values() {
        let metric = "unit: percent, direction: lower";
        let months = |march: &str| -> Vec<String> {
            let mut records: Vec<String> = (1..=4)
                .map(|m| format!("period: \"2016-{m:02}\", actual: 5.{m}5, target: 5.0"))
                .collect();
            records.extend((1..=4).map(|m| {
                let actual = if m == 3 {
                    march.to_string()
                } else {
                    format!("4.{m}5")
                };
                format!("period: \"2017-{m:02}\", actual: {actual}, target: 4.5")
            }));
            records
        };
        let kept = formatted(&region(metric, &months("4.25")));
        let now = region(metric, &months("4.75"));
        let carried = carried(&now, &kept);
        // March 2017 is made again, with what adds it up (its quarter, half
        // and year) and April, whose target is asked of March's actual (the
        // growth it requires); 2016 and the other months of 2017 are kept.
        assert_eq!(
            carried,
            [
                "2016", "2016-H1", "2016-Q1", "2016-01", "2016-02", "2016-03", "2016-Q2",
                "2016-04", "2017-01", "2017-02", "2017-Q2",
            ]
        );
        // March passed its ceiling: its words say so.
        let march = now
            .cell("wilayah", "m", Period::Month(2017, 3))
            .expect("March 2017");
        assert_eq!(march.status, crate::compute::Status::Missed);
    }

    /// A region and its two offices, a yearly figure each for 2015 to
    /// 2017; the second office's 2016 actual is `a`.
    fn offices(a: u32) -> Computed {
        let entities = format!(
            "{}  - {{id: kc-a, name: A, kind: office, parent: wilayah}}\n  - {{id: kc-b, name: B, kind: office, parent: wilayah}}\n",
            crate::compute::fixture::REGION
        );
        let mut figures = String::from("source: Laporan\nfigures:\n");
        for (office, a2016) in [("kc-a", 120), ("kc-b", a)] {
            for (year, actual) in [(2015, 100), (2016, a2016), (2017, 130)] {
                figures.push_str(&format!(
                    "  - {{entity: {office}, metric: m, period: {year}, actual: {actual}, target: 110}}\n"
                ));
            }
        }
        crate::compute::fixture::compute(
            &entities,
            "  - {id: m, name: Peserta, aggregate: sum, unit: people, time: flow}\n",
            &figures,
            crate::model::Audience::Public,
        )
    }

    /// The places of the values carried over formatted, by `carried_over`
    /// given `same` (or comparing each value when `None`).
    fn carried_places(
        c: &Computed,
        kept: &KeptFormats,
        same: Option<&super::super::data_reads::ChangedEntities>,
    ) -> Vec<usize> {
        let around = around(&c.site, Lang::Id).expect("a digest");
        carried_over(&c.report, around, Some(kept), same)
            .iter()
            .enumerate()
            .filter_map(|(i, view)| view.get().map(|_| i))
            .collect()
    }

    #[test]
    fn the_values_of_entities_known_unchanged_are_carried_as_if_each_were_compared() {
        use super::super::data_reads::ChangedEntities;
        let before = offices(120);
        let kept = formatted(&before);
        let now = offices(105);
        let report = Arc::new(now.report.clone());
        let same = ChangedEntities::between(now.site.entities.len(), &kept.report, &report);
        let shared = carried_places(&now, &kept, Some(&same));
        assert_eq!(shared, carried_places(&now, &kept, None));
        // Office A's three values are carried; B's 2016 and 2017 and the
        // region's are not (their sums changed).
        let periods_of = |id: &str| -> Vec<String> {
            shared
                .iter()
                .map(|&i| &now.report.cells[i])
                .filter(|c| now.site.entities[c.entity].id == id)
                .map(|c| c.period.to_string())
                .collect()
        };
        assert_eq!(periods_of("kc-a"), ["2015", "2016", "2017"]);
        assert_eq!(periods_of("kc-b"), ["2015"]);
        assert!(
            !same.unchanged(
                now.site
                    .entities
                    .iter()
                    .position(|e| e.id == "kc-b")
                    .unwrap()
            )
        );
    }

    #[test]
    fn a_changed_metric_formats_every_value_again() {
        let kept = formatted(&site("unit: people, time: flow", 120));
        let other = site("unit: people, time: flow, direction: lower", 120);
        assert!(carried(&other, &kept).is_empty());
    }
}

//! What a chart is drawn from: a [`Plot`] holds, by value, every input of
//! its drawing but the [`Frame`] (title, description, key and size), so
//! that the drawing is a function of the plot and the frame alone (and of
//! this executable's drawing code). Its *identity* ([`Plot::identity`]) is
//! then a digest of the two, which a page's digest takes in place of the
//! SVG text (see [`Drawing`](super::chart_views::Drawing)): a page can be
//! digested, and compared with the build before, without drawing a chart,
//! and a chart whose figures did not change keeps its identity when other
//! figures change.
//!
//! The plot owns its data (no reference into the site or the viewer can be
//! held): nothing the drawing reads can escape the identity.

use serde::Serialize;

use super::cells::minus;
use super::charts::{self, BreakdownRow, Cumulative, Frame, PeriodBar, Stack, TrendPoint};
use crate::format::{self, Measure};
use crate::model::{Lang, Metric, Unit};

/// How the value axis of a chart writes its ticks: one metric's measure
/// in one language, with a true minus sign.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(super) struct Ticks {
    unit: Unit,
    currency: Option<String>,
    per: Option<u32>,
    decimals: Option<u8>,
    lang: Lang,
}

impl Ticks {
    /// The ticks of `metric` in `lang`.
    pub(super) fn of(metric: &Metric, lang: Lang) -> Ticks {
        let m = Measure::of(metric);
        Ticks {
            unit: m.unit,
            currency: m.currency.map(str::to_string),
            per: m.per,
            decimals: m.decimals,
            lang,
        }
    }

    /// The tick at `x`, written.
    fn write(&self, x: f64) -> String {
        let measure = Measure {
            unit: self.unit,
            currency: self.currency.as_deref(),
            per: self.per,
            decimals: self.decimals,
        };
        minus(format::measure_value_short(x, &measure, self.lang))
    }
}

/// The data of one chart, as its kind draws it (see the module's docs).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(super) enum Plot {
    /// Bars of actuals with target ticks.
    ActualVsTarget { bars: Vec<PeriodBar>, ticks: Ticks },
    /// A line of actuals with target diamonds.
    Trend {
        points: Vec<TrendPoint>,
        ticks: Ticks,
    },
    /// A line with no axes.
    Sparkline { values: Vec<Option<f64>> },
    /// A year's running total month by month.
    Cumulative { data: Cumulative, ticks: Ticks },
    /// Children ranked by attainment; `reference` labels the 100 % line.
    Breakdown {
        rows: Vec<BreakdownRow>,
        reference: String,
    },
    /// Stacked bars, one part per series.
    Composition {
        names: Vec<String>,
        stacks: Vec<Stack>,
        ticks: Ticks,
    },
}

impl Plot {
    /// The SVG document of this plot in `frame`.
    pub(super) fn draw(&self, frame: &Frame) -> String {
        match self {
            Plot::ActualVsTarget { bars, ticks } => {
                charts::actual_vs_target(frame, bars, &|x| ticks.write(x))
            }
            Plot::Trend { points, ticks } => charts::trend(frame, points, &|x| ticks.write(x)),
            Plot::Sparkline { values } => charts::sparkline(&frame.labels, values),
            Plot::Cumulative { data, ticks } => {
                charts::cumulative(frame, data, &|x| ticks.write(x))
            }
            Plot::Breakdown { rows, reference } => charts::breakdown(frame, rows, reference),
            Plot::Composition {
                names,
                stacks,
                ticks,
            } => charts::composition(frame, names, stacks, &|x| ticks.write(x)),
        }
    }

    /// The identity of [`Plot::draw`]'s result in `frame`: a digest of the
    /// plot and the frame, equal for equal drawings by this executable
    /// (`None` if they cannot be digested, which a plain value never fails).
    pub(super) fn identity(&self, frame: &Frame) -> Option<u128> {
        crate::digest::of(&("chart", self, frame)).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::charts::{Labels, Size};

    fn frame(title: &str, size: Size) -> Frame {
        Frame {
            labels: Labels {
                title: title.to_string(),
                desc: "desc".to_string(),
            },
            key: Vec::new(),
            size,
        }
    }

    #[test]
    fn the_identity_follows_the_data_the_frame_and_the_size() {
        let plot = |v: f64| Plot::Sparkline {
            values: vec![Some(1.0), Some(v)],
        };
        let wide = frame("a", Size::Wide);
        let id = plot(2.0).identity(&wide);
        assert!(id.is_some());
        assert_eq!(
            id,
            plot(2.0).identity(&wide),
            "the same plot, the same identity"
        );
        assert_ne!(id, plot(2.5).identity(&wide), "a value");
        assert_ne!(id, plot(2.0).identity(&frame("b", Size::Wide)), "a title");
        assert_ne!(id, plot(2.0).identity(&frame("a", Size::Narrow)), "a size");
        let ticks = |lang| Ticks {
            unit: Unit::Count,
            currency: None,
            per: None,
            decimals: None,
            lang,
        };
        let stacked = |lang| Plot::Composition {
            names: vec!["a".into()],
            stacks: Vec::new(),
            ticks: ticks(lang),
        };
        assert_ne!(
            stacked(Lang::Id).identity(&wide),
            stacked(Lang::En).identity(&wide),
            "the ticks' language"
        );
    }

    #[test]
    fn equal_identities_draw_alike() {
        let bars = |actual: f64| Plot::ActualVsTarget {
            bars: vec![PeriodBar {
                label: "2017".into(),
                actual: Some(actual),
                target: Some(100.0),
                value_label: format!("{actual}"),
                status: charts::ChartStatus::Achieved,
                symbol: String::new(),
                in_progress: false,
            }],
            ticks: Ticks {
                unit: Unit::Count,
                currency: None,
                per: None,
                decimals: None,
                lang: Lang::Id,
            },
        };
        let f = frame("t", Size::Wide);
        assert_eq!(bars(120.0).draw(&f), bars(120.0).draw(&f));
        assert_ne!(bars(120.0).draw(&f), bars(80.0).draw(&f));
        assert_ne!(bars(120.0).identity(&f), bars(80.0).identity(&f));
    }
}

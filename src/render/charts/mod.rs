//! Accessible SVG charts (and their PNG rasterisation) for report pages.
//!
//! Every chart is drawn with `plotters`' SVG backend and then post-processed
//! (see the `svg` module) so that the document:
//!
//! * has `role="img"`, an `aria-labelledby` pointing at a `<title>` and a
//!   `<desc>` that are the root's first children, with ids derived from a
//!   deterministic hash of the chart;
//! * has a `viewBox` and no fixed `width`/`height`, so CSS
//!   `svg { width: 100%; height: auto }` makes it responsive;
//! * groups the elements that stand for data in `<g class="…">` and gives each
//!   of them a `class` (`bar`, `target`, `point`, `segment`, `status`, …), so
//!   tests and stylesheets can find them.
//!
//! The charts never format numbers: callers pass formatted labels, and axis
//! ticks go through a caller-supplied [`TickFormat`]. Text from data is
//! escaped by the backend, control characters are dropped, and labels that do
//! not fit are shortened with `…`. Non-finite numbers count as missing.
//! The output is deterministic: the same input gives byte-identical SVG.
//!
//! Colours come from colour-blind-safe palettes whose members differ in
//! lightness (so they survive grey printing), and a status is always also shown
//! by a symbol or by the caller's text, never by colour alone. All text uses
//! DejaVu Sans (embedded, also used for measuring and for PNG output).
//!
//! Every chart carries a visible key ([`KeyItem`]) above its plot: what its
//! colours, dashed outlines, target markers and status glyphs mean. Each is
//! drawn at two sizes ([`Size`]): wide for a page column and the files, and
//! narrow for a phone, laid out again rather than scaled down.
//!
//! The chart's title and description are *not* drawn inside the picture: the
//! page shows its own heading, and the pair goes to `<title>`/`<desc>`. The
//! files people download ([`poster`]) add the title, subtitle, source and the
//! site's name around the chart.

mod actual_vs_target;
mod axes;
mod breakdown;
mod canvas;
mod composition;
mod cumulative;
mod key;
mod png;
mod poster;
mod sparkline;
mod svg;
mod trend;

#[cfg(test)]
mod tests;

pub use actual_vs_target::actual_vs_target;
pub use breakdown::breakdown;
pub use composition::composition;
pub use cumulative::{Cumulative, cumulative};
pub use key::{KeyItem, Swatch};
pub use png::to_png;
pub use poster::{Poster, poster};
pub use sparkline::sparkline;
pub use trend::trend;

#[cfg(test)]
pub(crate) use axes::nice_ticks;
pub(crate) use axes::{
    Scale, XLabels, axis, draw_y_grid, label_step, labelled, overlaps, tick_labels,
};
use canvas::{Canvas, Color, DrawResult};

/// Status of a value against its target (a mirror of the project's status,
/// kept separate so the charts do not depend on the model): a closed period
/// is achieved, nearly achieved or missed; a period in progress is ahead of,
/// on, behind or far behind its pace.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize)]
pub enum ChartStatus {
    /// At or above the target.
    Achieved,
    /// Closed, just short of the target.
    Nearly,
    /// Closed, short of the target.
    Missed,
    /// In progress, ahead of the pace.
    Ahead,
    /// In progress, about on pace.
    OnPace,
    /// In progress, behind the pace.
    Behind,
    /// In progress, far behind the pace.
    FarBehind,
    /// No actual, no target, or an undefined attainment.
    #[default]
    NoData,
}

/// How good a status is, for colours and markers: met or ahead, close or
/// on pace, behind, missed or far behind, or nothing to say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Grade {
    Good,
    Close,
    Behind,
    Bad,
    None,
}

impl ChartStatus {
    /// The key used in `data-status` attributes and CSS classes (`on_pace`).
    pub fn key(self) -> &'static str {
        match self {
            ChartStatus::Achieved => "achieved",
            ChartStatus::Nearly => "nearly",
            ChartStatus::Missed => "missed",
            ChartStatus::Ahead => "ahead",
            ChartStatus::OnPace => "on_pace",
            ChartStatus::Behind => "behind",
            ChartStatus::FarBehind => "far_behind",
            ChartStatus::NoData => "no_data",
        }
    }

    fn grade(self) -> Grade {
        match self {
            ChartStatus::Achieved | ChartStatus::Ahead => Grade::Good,
            ChartStatus::Nearly | ChartStatus::OnPace => Grade::Close,
            ChartStatus::Behind => Grade::Behind,
            ChartStatus::Missed | ChartStatus::FarBehind => Grade::Bad,
            ChartStatus::NoData => Grade::None,
        }
    }

    /// Fill colour of a bar with this status.
    ///
    /// Lightness differs by at least 12 L* between grades: dark green
    /// (met, 33), red (missed, 46), teal (close, 64) and yellow (behind, 82);
    /// all bars also get a dark outline.
    fn color(self) -> Color {
        match self.grade() {
            Grade::Good => Color(0x00, 0x5A, 0x32),
            Grade::Close => Color(0x44, 0xAA, 0x99),
            Grade::Behind => Color(0xF5, 0xC7, 0x10),
            Grade::Bad => Color(0xCC, 0x33, 0x11),
            Grade::None => Color(0xBB, 0xBB, 0xBB),
        }
    }
}

/// The accessible name and description of a chart, written to `<title>` and
/// `<desc>` (escaped). Neither is drawn inside the picture.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize)]
pub struct Labels {
    /// Short name of the chart, e.g. "Realisasi dan target PDRB, 2016–2025".
    pub title: String,
    /// What the chart shows, in a sentence or two (read by screen readers).
    pub desc: String,
}

/// Formats a value on the value axis (e.g. `1.5e6` to `"1,5 jt"`).
pub type TickFormat<'a> = &'a (dyn Fn(f64) -> String + Sync);

/// One period of an [`actual_vs_target`] chart.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct PeriodBar {
    /// Category label under the bar, e.g. `"2016"`.
    pub label: String,
    /// The actual value: the bar. `None` (or NaN) draws no bar.
    pub actual: Option<f64>,
    /// The target: a thick dark tick across the bar. `None` draws none.
    pub target: Option<f64>,
    /// The formatted actual, drawn above the bar.
    pub value_label: String,
    /// Status of the period, drawn as the bar's colour.
    pub status: ChartStatus,
    /// The status glyph drawn above the bar (`✓`, `↗` ...); empty for none.
    pub symbol: String,
    /// The period is not over yet: the bar is drawn light with a dashed outline.
    pub in_progress: bool,
}

/// One child entity of a [`breakdown`] chart.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct BreakdownRow {
    /// Name of the entity, drawn left of its bar (shortened with `…` if long).
    pub name: String,
    /// Attainment as a ratio (`1.0` = 100 %). `None` (or NaN) draws no bar.
    pub attainment: Option<f64>,
    /// Formatted attainment and status word, e.g. `"117,4% ✓ Tercapai"`,
    /// drawn right of the bars.
    pub value_label: String,
    /// The same, short, for the narrow layout: `"117,4% ✓"` (the key says
    /// what the glyph means).
    pub short_label: String,
    /// Status of the entity, drawn as the bar's colour (the word is in
    /// `value_label`).
    pub status: ChartStatus,
}

/// One period of a [`trend`] chart.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct TrendPoint {
    /// Category label on the x axis, e.g. `"2016"`.
    pub label: String,
    /// The actual value: a filled point on the line. `None` breaks the line.
    pub actual: Option<f64>,
    /// The target: a hollow diamond.
    pub target: Option<f64>,
    /// The formatted actual, written beside the point when it is the latest
    /// (or the first) one.
    pub value_label: String,
    /// The formatted target, written beside the latest target's diamond.
    pub target_label: String,
    /// The period is not over yet: its point is hollow and not joined to the line.
    pub in_progress: bool,
}

/// One stacked bar of a [`composition`] chart.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Stack {
    /// Category label under the bar (a period or an entity).
    pub label: String,
    /// One value per series, bottom to top, in the order of `series_names`.
    /// Missing parts count as zero; negative and non-finite parts are ignored.
    pub parts: Vec<f64>,
    /// The formatted total, written at the end of the bar.
    pub total_label: String,
}

/// Size of the main charts, in SVG user units.
pub(crate) const WIDTH: u32 = 640;
/// Height of the main charts, in SVG user units.
pub(crate) const HEIGHT: u32 = 360;

/// Width of the narrow (phone) layout, in SVG user units.
pub(crate) const NARROW_WIDTH: u32 = 360;

/// Font size of category and value labels and of the key (user units): one
/// size for every chart, so charts side by side read alike.
pub(crate) const LABEL_SIZE: f64 = 15.0;
/// Font size of axis ticks (user units).
pub(crate) const TICK_SIZE: f64 = 14.0;
/// Smallest font size ever used.
pub(crate) const MIN_SIZE: f64 = 13.0;

/// Main text colour.
pub(crate) const INK: Color = Color(0x22, 0x22, 0x22);
/// Secondary text colour (ticks).
pub(crate) const INK_SOFT: Color = Color(0x4D, 0x4D, 0x4D);
/// Gridlines.
pub(crate) const GRID: Color = Color(0xDD, 0xDD, 0xDD);
/// Axis and zero lines.
pub(crate) const AXIS: Color = Color(0x55, 0x55, 0x55);
/// Background.
pub(crate) const WHITE: Color = Color(0xFF, 0xFF, 0xFF);
/// The year before, beside this year's line: a mid grey (3.5:1 on white).
pub(crate) const LAST_YEAR: Color = Color(0x88, 0x88, 0x88);
/// Outline of bars.
pub(crate) const OUTLINE: &str = "#333333";

/// Series colours (Paul Tol's high-contrast and muted schemes), ordered so
/// neighbours differ strongly in lightness: dark blue (L* 29), sand (72),
/// rose (50), pale blue (79), green (44), wine (32), grey (76).
pub(crate) const SERIES: [Color; 7] = [
    Color(0x00, 0x44, 0x88),
    Color(0xDD, 0xAA, 0x33),
    Color(0xBB, 0x55, 0x66),
    Color(0x88, 0xCC, 0xEE),
    Color(0x11, 0x77, 0x33),
    Color(0x88, 0x22, 0x55),
    Color(0xBB, 0xBB, 0xBB),
];

/// A number fit for drawing: finite, and clamped so spans stay finite.
pub(crate) fn finite(v: Option<f64>) -> Option<f64> {
    v.filter(|x| x.is_finite()).map(|x| x.clamp(-1e300, 1e300))
}

/// Draws a status glyph (`✓ ≈ ✗ ▲ ↗ ↘ ▼ –`, the same symbols as the pages'
/// status words), centred on `(cx, cy)`, inside `<g class="status">`.
pub(crate) fn draw_status_glyph(
    c: &Canvas,
    status: ChartStatus,
    glyph: &str,
    cx: f64,
    cy: f64,
    size: f64,
) -> DrawResult {
    c.group_with(&[("class", "status"), ("data-status", status.key())], |c| {
        let glyph = if glyph.is_empty() { "–" } else { glyph };
        c.text(glyph, cx, cy, size, INK, canvas::Anchor::CenterMiddle)
    })
}

/// The picture for "nothing to show": an empty dashed frame with the
/// no-data symbol `–` in the middle (the accessible text says the rest).
pub(crate) fn draw_empty(c: &Canvas, message: &str) -> DrawResult {
    let (w, h) = (c.width(), c.height());
    c.attrs(&[("stroke-dasharray", "6 4"), ("class", "empty")])?;
    c.stroke_rect(8.0, 8.0, w - 8.0, h - 8.0, AXIS, 1)?;
    let size = if h < 60.0 { MIN_SIZE } else { 28.0 };
    let text = canvas::fit(message, size, w - 24.0);
    c.text(
        &text,
        w / 2.0,
        h / 2.0,
        size,
        INK_SOFT,
        canvas::Anchor::CenterMiddle,
    )
}

/// Renders a chart saying there is no data, with a caller-supplied (localised)
/// message such as `"Tidak ada data"`, at the main chart size.
///
/// The chart functions draw the same frame with just `–` when their input is
/// empty; use this when a worded message is wanted instead.
pub fn no_data(labels: &Labels, message: &str) -> String {
    render(labels, "no-data", WIDTH, HEIGHT, |c| draw_empty(c, message))
}

/// The size a chart is drawn for: the same data laid out again, never
/// scaled down, so text keeps its size on a phone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize)]
pub enum Size {
    /// For a page column and the downloadable files: 640 units wide.
    #[default]
    Wide,
    /// For a phone's column: 360 units wide, taller where it helps.
    Narrow,
}

impl Size {
    /// Width in user units.
    pub fn width(self) -> u32 {
        match self {
            Size::Wide => WIDTH,
            Size::Narrow => NARROW_WIDTH,
        }
    }

    /// Height of the plot area of vertical charts (without the key).
    pub(crate) fn plot_height(self) -> f64 {
        match self {
            Size::Wide => f64::from(HEIGHT),
            Size::Narrow => 300.0,
        }
    }
}

/// What every chart is drawn with besides its data: its accessible name and
/// description, its key, and its size.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize)]
pub struct Frame {
    /// `<title>` and `<desc>`.
    pub labels: Labels,
    /// The key drawn above the plot (nothing when empty).
    pub key: Vec<KeyItem>,
    /// Wide or narrow.
    pub size: Size,
}

impl Frame {
    /// A wide frame without a key.
    pub fn new(labels: Labels) -> Frame {
        Frame {
            labels,
            key: Vec::new(),
            size: Size::Wide,
        }
    }

    /// The same frame at another size.
    pub fn at(&self, size: Size) -> Frame {
        Frame {
            size,
            ..self.clone()
        }
    }
}

/// Draws with `draw` on a fresh canvas (white, but transparent for
/// sparklines) and post-processes the result;
/// if drawing fails (it should not), falls back to an empty chart that still
/// carries the title and description.
pub(crate) fn render(
    labels: &Labels,
    kind: &str,
    width: u32,
    height: u32,
    draw: impl FnOnce(&Canvas) -> DrawResult,
) -> String {
    // Sparklines sit in tables, on whatever background the row has.
    let transparent = kind == "sparkline";
    let attempt = canvas::draw_svg(width, height, transparent, draw);
    let (raw, markers) = match attempt {
        Ok(drawn) => drawn,
        Err(_) => canvas::draw_svg(width, height, transparent, |c| draw_empty(c, "–")).unwrap_or_else(|_| {
            (format!(
                "<svg width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" xmlns=\"http://www.w3.org/2000/svg\">\n</svg>\n"
            ), Vec::new())
        }),
    };
    svg::finish(&raw, &markers, labels, kind)
}

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
//! The chart's title and description are *not* drawn inside the picture: the
//! page shows its own heading, and the pair goes to `<title>`/`<desc>`.

mod actual_vs_target;
mod breakdown;
mod canvas;
mod composition;
mod png;
mod sparkline;
mod svg;
mod trend;

#[cfg(test)]
mod tests;

pub use actual_vs_target::actual_vs_target;
pub use breakdown::breakdown;
pub use composition::composition;
pub use png::to_png;
pub use sparkline::sparkline;
pub use trend::trend;

use canvas::{Canvas, Color, DrawResult};

/// Status of a value against its target (a mirror of the project's status,
/// kept separate so the charts do not depend on the model): a closed period
/// is achieved, nearly achieved or missed; a period in progress is ahead of,
/// on, behind or far behind its pace.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
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
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Labels {
    /// Short name of the chart, e.g. "Realisasi dan target PDRB, 2016–2025".
    pub title: String,
    /// What the chart shows, in a sentence or two (read by screen readers).
    pub desc: String,
}

/// Formats a value on the value axis (e.g. `1.5e6` to `"1,5 jt"`).
pub type TickFormat<'a> = &'a (dyn Fn(f64) -> String + Sync);

/// One period of an [`actual_vs_target`] chart.
#[derive(Debug, Clone, PartialEq)]
pub struct PeriodBar {
    /// Category label under the bar, e.g. `"2016"`.
    pub label: String,
    /// The actual value: the bar. `None` (or NaN) draws no bar.
    pub actual: Option<f64>,
    /// The target: a thick dark tick across the bar. `None` draws none.
    pub target: Option<f64>,
    /// The formatted actual, drawn above the bar.
    pub value_label: String,
    /// Status of the period, drawn as the bar's colour and a symbol.
    pub status: ChartStatus,
    /// The period is not over yet: the bar is drawn light with a dashed outline.
    pub in_progress: bool,
}

/// One child entity of a [`breakdown`] chart.
#[derive(Debug, Clone, PartialEq)]
pub struct BreakdownRow {
    /// Name of the entity, drawn left of its bar (shortened with `…` if long).
    pub name: String,
    /// Attainment as a ratio (`1.0` = 100 %). `None` (or NaN) draws no bar.
    pub attainment: Option<f64>,
    /// Formatted attainment and status word, e.g. `"117,4% ✓ Tercapai"`,
    /// drawn right of the bars.
    pub value_label: String,
    /// Status of the entity, drawn as the bar's colour (the word is in
    /// `value_label`).
    pub status: ChartStatus,
}

/// One period of a [`trend`] chart.
#[derive(Debug, Clone, PartialEq)]
pub struct TrendPoint {
    /// Category label on the x axis, e.g. `"2016"`.
    pub label: String,
    /// The actual value: a filled point on the line. `None` breaks the line.
    pub actual: Option<f64>,
    /// The target: a hollow diamond.
    pub target: Option<f64>,
    /// The period is not over yet: its point is hollow and not joined to the line.
    pub in_progress: bool,
}

/// One stacked bar of a [`composition`] chart.
#[derive(Debug, Clone, PartialEq)]
pub struct Stack {
    /// Category label under the bar (a period or an entity).
    pub label: String,
    /// One value per series, bottom to top, in the order of `series_names`.
    /// Missing parts count as zero; negative and non-finite parts are ignored.
    pub parts: Vec<f64>,
}

/// Size of the main charts, in SVG user units.
pub(crate) const WIDTH: u32 = 640;
/// Height of the main charts, in SVG user units.
pub(crate) const HEIGHT: u32 = 360;

/// Font size of category and value labels (user units).
pub(crate) const LABEL_SIZE: f64 = 16.0;
/// Font size of axis ticks (user units).
pub(crate) const TICK_SIZE: f64 = 15.0;
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

/// Evenly spaced "nice" ticks (steps of 1, 2, 2.5 or 5 × 10ⁿ) covering
/// `lo..=hi`, at most about `max_ticks` intervals. Returns the axis range and
/// the ticks. A flat or empty range is widened first.
pub(crate) fn nice_ticks(lo: f64, hi: f64, max_ticks: usize) -> (f64, f64, Vec<f64>) {
    let (mut lo, mut hi) = if lo <= hi { (lo, hi) } else { (hi, lo) };
    if !lo.is_finite() || !hi.is_finite() {
        return (0.0, 1.0, vec![0.0, 1.0]);
    }
    if lo == hi {
        if lo == 0.0 {
            hi = 1.0;
        } else {
            let d = lo.abs() * 0.5;
            lo -= d;
            hi += d;
        }
    }
    let raw = (hi - lo) / max_ticks.max(1) as f64;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|s| *s >= raw * (1.0 - 1e-9))
        .unwrap_or(10.0 * mag);
    if !step.is_finite() || step <= 0.0 {
        return (lo, hi, vec![lo, hi]);
    }
    let first = (lo / step + 1e-9).floor();
    let last = (hi / step - 1e-9).ceil();
    if !(last - first).is_finite() || last - first > 40.0 || last < first {
        return (lo, hi, vec![lo, hi]);
    }
    let n = (last - first) as i64;
    let ticks: Vec<f64> = (0..=n)
        .map(|i| {
            let v = (first + i as f64) * step;
            if v.abs() < step * 1e-9 { 0.0 } else { v }
        })
        .collect();
    (first * step, last * step, ticks)
}

/// A value axis for data spanning `lo..=hi`: the domain is the data range
/// itself (widened when flat), so the largest value reaches the top of the
/// plot, and the ticks are the nice ticks inside it (at most `max_ticks + 1`).
pub(crate) fn axis(lo: f64, hi: f64, max_ticks: usize) -> (f64, f64, Vec<f64>) {
    let (t0, t1, ticks) = nice_ticks(lo, hi, max_ticks);
    let (lo, hi) = if lo < hi && lo.is_finite() && hi.is_finite() {
        (lo, hi)
    } else {
        (t0, t1)
    };
    let eps = (hi - lo) * 1e-9;
    let inside: Vec<f64> = ticks
        .into_iter()
        .filter(|t| *t >= lo - eps && *t <= hi + eps)
        .collect();
    (lo, hi, inside)
}

/// A linear map from a value domain to a pixel range.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Scale {
    d0: f64,
    d1: f64,
    r0: f64,
    r1: f64,
}

impl Scale {
    /// Maps `d0..d1` onto `r0..r1` (either may be reversed).
    pub(crate) fn new(d0: f64, d1: f64, r0: f64, r1: f64) -> Scale {
        Scale { d0, d1, r0, r1 }
    }

    /// Where `v` lands; a degenerate domain maps everything to the middle.
    pub(crate) fn map(&self, v: f64) -> f64 {
        let span = self.d1 - self.d0;
        if span == 0.0 || !span.is_finite() {
            return (self.r0 + self.r1) / 2.0;
        }
        let t = ((v - self.d0) / span).clamp(-4.0, 5.0);
        self.r0 + t * (self.r1 - self.r0)
    }
}

/// Every `step`-th item is labelled, counting back from the last one (the
/// latest period matters most), choosing the smallest step at which labels of
/// the given widths fit slots `slot` units wide with `gap` between them.
pub(crate) fn label_step(widths: &[f64], slot: f64, gap: f64) -> usize {
    let widest = widths.iter().copied().fold(0.0, f64::max);
    let mut step = 1;
    while step < widths.len().max(1) && widest + gap > slot * step as f64 {
        step += 1;
    }
    step
}

/// Whether item `i` of `n` is labelled with the given step.
pub(crate) fn labelled(i: usize, n: usize, step: usize) -> bool {
    (n - 1 - i).is_multiple_of(step.max(1))
}

/// Formats the value-axis ticks with the caller's formatter (shortened with
/// `…` past 170 units); returns them and the left edge of a plot area that
/// leaves room for them.
pub(crate) fn tick_labels(ticks: &[f64], format: TickFormat) -> (Vec<String>, f64) {
    let labels: Vec<String> = ticks
        .iter()
        .map(|t| canvas::fit(&format(*t), TICK_SIZE, 170.0))
        .collect();
    let widest = labels
        .iter()
        .map(|l| canvas::text_width(l, TICK_SIZE))
        .fold(0.0, f64::max);
    (labels, (widest + 18.0).max(36.0))
}

/// Draws horizontal gridlines with their tick labels (left of `left`).
pub(crate) fn draw_y_grid(
    c: &Canvas,
    ticks: &[f64],
    labels: &[String],
    y: &Scale,
    left: f64,
    right: f64,
) -> DrawResult {
    c.group("grid", |c| {
        for (t, label) in ticks.iter().zip(labels) {
            let py = y.map(*t);
            c.line(&[(left, py), (right, py)], GRID, 1)?;
            c.text(
                label,
                left - 8.0,
                py,
                TICK_SIZE,
                INK_SOFT,
                canvas::Anchor::RightMiddle,
            )?;
        }
        Ok(())
    })
}

/// Category labels under the slots of a vertical chart, laid out to fit:
/// on one line if they fit their slots; else on two lines (broken at a
/// space, then shortened with `…`) if slots are wide enough for that;
/// else every k-th label on one line, counting back from the latest.
pub(crate) struct XLabels {
    /// Lines of each label, in slot order (empty when left out).
    lines: Vec<Vec<String>>,
    /// Height the labels take, in user units.
    pub(crate) height: f64,
}

/// Distance between the lines of a two-line category label.
const X_LINE: f64 = 18.0;

impl XLabels {
    /// Lays out `labels` for slots `slot` units wide.
    pub(crate) fn new(labels: &[String], slot: f64) -> XLabels {
        let n = labels.len();
        let room = slot - 8.0;
        let widths: Vec<f64> = labels
            .iter()
            .map(|l| canvas::text_width(&canvas::clean(l), LABEL_SIZE))
            .collect();
        if widths.iter().all(|w| *w <= room) {
            let lines = labels.iter().map(|l| vec![canvas::clean(l)]).collect();
            return XLabels {
                lines,
                height: LABEL_SIZE,
            };
        }
        if room >= 64.0 {
            let lines = labels
                .iter()
                .map(|l| canvas::wrap2(l, LABEL_SIZE, room))
                .collect();
            return XLabels {
                lines,
                height: LABEL_SIZE + X_LINE,
            };
        }
        let step = label_step(&widths, slot, 8.0);
        let room = (slot * step as f64 - 8.0).max(12.0);
        let lines = labels
            .iter()
            .enumerate()
            .map(|(i, l)| {
                if labelled(i, n, step) {
                    vec![canvas::fit(l, LABEL_SIZE, room)]
                } else {
                    Vec::new()
                }
            })
            .collect();
        XLabels {
            lines,
            height: LABEL_SIZE,
        }
    }

    /// Draws the labels centred under the slots, hanging from `y`; labels
    /// are kept inside the canvas, and one that would then collide with a
    /// later one is left out.
    pub(crate) fn draw(&self, c: &Canvas, left: f64, slot: f64, y: f64) -> DrawResult {
        let mut placed: Vec<(&[String], f64)> = Vec::new();
        let mut next_left = f64::INFINITY;
        for (i, lines) in self.lines.iter().enumerate().rev() {
            if lines.is_empty() {
                continue;
            }
            let widest = lines
                .iter()
                .map(|l| canvas::text_width(l, LABEL_SIZE))
                .fold(0.0, f64::max);
            let half = widest / 2.0;
            let cx = left + (i as f64 + 0.5) * slot;
            let cx = cx.clamp(half + 2.0, (c.width() - half - 2.0).max(half + 2.0));
            if cx + half + 6.0 > next_left {
                continue;
            }
            next_left = cx - half;
            placed.push((lines, cx));
        }
        c.group("x-labels", |c| {
            for (lines, cx) in placed.iter().rev() {
                for (k, line) in lines.iter().enumerate() {
                    let ly = y + k as f64 * X_LINE;
                    c.text(line, *cx, ly, LABEL_SIZE, INK, canvas::Anchor::CenterTop)?;
                }
            }
            Ok(())
        })
    }
}

/// Whether two boxes `(left, right, top, bottom)` overlap.
pub(crate) fn overlaps(a: (f64, f64, f64, f64), b: (f64, f64, f64, f64)) -> bool {
    a.0 < b.1 && b.0 < a.1 && a.2 < b.3 && b.2 < a.3
}

/// Draws the symbol of a status (✓ ↗ ! ✗ –, as in the status table), about
/// `2 × half` units wide, centred on `(cx, cy)`, inside `<g class="status">`.
pub(crate) fn draw_status_symbol(
    c: &Canvas,
    status: ChartStatus,
    cx: f64,
    cy: f64,
    half: f64,
) -> DrawResult {
    c.group_with(&[("class", "status"), ("data-status", status.key())], |c| {
        let s = half;
        let thick = if half < 4.0 { 2 } else { 3 };
        match status.grade() {
            Grade::Good => c.line(
                &[
                    (cx - s, cy),
                    (cx - s * 0.3, cy + s * 0.7),
                    (cx + s, cy - s * 0.8),
                ],
                INK,
                thick,
            ),
            Grade::Close => {
                c.line(
                    &[(cx - s * 0.8, cy + s * 0.8), (cx + s * 0.8, cy - s * 0.8)],
                    INK,
                    thick,
                )?;
                c.line(
                    &[
                        (cx - s * 0.2, cy - s * 0.8),
                        (cx + s * 0.8, cy - s * 0.8),
                        (cx + s * 0.8, cy + s * 0.2),
                    ],
                    INK,
                    thick,
                )
            }
            Grade::Behind => {
                c.rect(
                    cx - s * 0.28,
                    cy - s * 1.2,
                    cx + s * 0.28,
                    cy + s * 0.35,
                    INK,
                )?;
                c.rect(
                    cx - s * 0.28,
                    cy + s * 0.7,
                    cx + s * 0.28,
                    cy + s * 1.25,
                    INK,
                )
            }
            Grade::Bad => {
                c.line(
                    &[(cx - s * 0.8, cy - s * 0.8), (cx + s * 0.8, cy + s * 0.8)],
                    INK,
                    thick,
                )?;
                c.line(
                    &[(cx - s * 0.8, cy + s * 0.8), (cx + s * 0.8, cy - s * 0.8)],
                    INK,
                    thick,
                )
            }
            Grade::None => c.line(&[(cx - s * 0.7, cy), (cx + s * 0.7, cy)], INK_SOFT, 2),
        }
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

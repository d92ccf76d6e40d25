//! Value axes, their ticks and gridlines, and the category labels under
//! vertical charts, laid out to fit.

use super::canvas::{self, Canvas, DrawResult};
use super::{GRID, INK, INK_SOFT, LABEL_SIZE, TICK_SIZE, TickFormat};

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

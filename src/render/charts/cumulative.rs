//! A year so far: this year's running total month by month against the
//! path its target sets, beside the year before.

use super::canvas::{self, Anchor, Canvas, DrawResult};
use super::key::{self, KeyLayout};
use super::{
    ChartStatus, Frame, INK, LABEL_SIZE, LAST_YEAR, SERIES, Scale, TickFormat, XLabels, axis,
    draw_empty, draw_y_grid, finite, overlaps, render, tick_labels,
};

/// The data of a [`cumulative`] chart: one entry per month of the year.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize)]
pub struct Cumulative {
    /// Month labels on the x axis (`Jan` ... `Des`).
    pub months: Vec<String>,
    /// This year's running total at each month's end (`None` after the
    /// latest month reported).
    pub this_year: Vec<Option<f64>>,
    /// The year before's running total, for comparison.
    pub last_year: Vec<Option<f64>>,
    /// The running total the target expects at each month's end.
    pub pace: Vec<Option<f64>>,
    /// The whole year's target, marked at the last month.
    pub target: Option<f64>,
    /// Written beside this year's latest point (`Rp539 miliar ↗`).
    pub this_label: String,
    /// Written at the end of last year's line (`2016: Rp956 miliar`).
    pub last_label: String,
    /// Written beside the target (`Target Rp1,1 triliun`).
    pub target_label: String,
    /// The status of this year so far, the colour of its latest point.
    pub status: ChartStatus,
}

/// Radius of a point.
const POINT_R: f64 = 4.5;
/// Half the diagonal of the target diamond.
const DIAMOND: f64 = 8.0;

/// Renders a year so far as an SVG document (640 units wide, or 360
/// narrow), under the key: this year's running total as a line with points,
/// the target's path as a dashed line ending at a hollow diamond (the whole
/// target, which the value axis always reaches), and the year before as a
/// grey line. The latest point, the target and the year before's total are
/// written beside their marks.
///
/// In the SVG: `<g class="this-year">` (its points `<circle class="point">`),
/// `<polyline class="pace">`, `<polyline class="last-year">`,
/// `<polyline class="target">` and `<g class="value-labels">`.
pub fn cumulative(frame: &Frame, data: &Cumulative, ticks: TickFormat) -> String {
    let w = frame.size.width();
    let kl = key::layout(&frame.key, f64::from(w));
    let h = (kl.height + frame.size.plot_height()).round() as u32;
    render(&frame.labels, "cumulative", w, h, |c| {
        if data.months.is_empty() {
            return draw_empty(c, "–");
        }
        key::draw(c, &frame.key, &kl, 6.0)?;
        draw(c, &kl, data, ticks)
    })
}

/// Draws the chart under the key.
fn draw(c: &Canvas, kl: &KeyLayout, d: &Cumulative, format: TickFormat) -> DrawResult {
    let (w, h) = (c.width(), c.height());
    let n = d.months.len();
    let clean = |v: &[Option<f64>]| -> Vec<Option<f64>> {
        (0..n)
            .map(|i| finite(v.get(i).copied().flatten()))
            .collect()
    };
    let (this, last, pace) = (clean(&d.this_year), clean(&d.last_year), clean(&d.pace));
    let target = finite(d.target);
    let hi = this
        .iter()
        .chain(&last)
        .chain(&pace)
        .flatten()
        .copied()
        .chain(target)
        .fold(0.0, f64::max);
    let (axis_lo, axis_hi, tick_values) = axis(0.0, hi, 5);
    let (tick_text, left) = tick_labels(&tick_values, format);
    let right = w - 12.0;
    let slot = (right - left) / n as f64;
    let x_labels = XLabels::new(&d.months, slot);
    let x_label_y = h - 14.0 - x_labels.height;
    let (plot_top, plot_bottom) = (kl.height + 26.0, x_label_y - 12.0);
    let y = Scale::new(axis_lo, axis_hi, plot_bottom, plot_top);
    let at = |i: usize, v: f64| (left + (i as f64 + 0.5) * slot, y.map(v));
    let path = |vals: &[Option<f64>]| -> Vec<(f64, f64)> {
        vals.iter()
            .enumerate()
            .map_while(|(i, v)| v.map(|v| at(i, v)))
            .collect()
    };

    draw_y_grid(c, &tick_values, &tick_text, &y, left, right)?;
    let last_path = path(&last);
    if last_path.len() > 1 {
        c.attrs(&[("class", "last-year")])?;
        c.line(&last_path, LAST_YEAR, 3)?;
    }
    let pace_path = path(&pace);
    if pace_path.len() > 1 {
        c.attrs(&[("class", "pace"), ("stroke-dasharray", "7 5")])?;
        c.line(&pace_path, INK, 2)?;
    }
    let this_path = path(&this);
    c.group("this-year", |c| {
        if this_path.len() > 1 {
            c.line(&this_path, SERIES[0], 3)?;
        }
        for (k, p) in this_path.iter().enumerate() {
            let latest = k + 1 == this_path.len();
            let status = if latest { d.status.key() } else { "" };
            c.attrs(&[
                ("class", if latest { "point latest" } else { "point" }),
                ("data-status", status),
                ("stroke", "#FFFFFF"),
                ("stroke-width", "1.5"),
            ])?;
            let r = if latest { POINT_R + 1.5 } else { POINT_R };
            c.circle(*p, r, SERIES[0], true, 1)?;
        }
        Ok(())
    })?;
    let target_at = target.map(|t| at(n - 1, t));
    if let Some((x, ty)) = target_at {
        c.attrs(&[("class", "target"), ("fill", "#FFFFFF")])?;
        c.line(
            &[
                (x, ty - DIAMOND),
                (x + DIAMOND, ty),
                (x, ty + DIAMOND),
                (x - DIAMOND, ty),
                (x, ty - DIAMOND),
            ],
            INK,
            2,
        )?;
    }

    // Written values: the latest point, the target, the year before.
    let mut boxes: Vec<(f64, f64, f64, f64)> = this_path
        .iter()
        .chain(target_at.iter())
        .map(|(x, y)| (x - 7.0, x + 7.0, y - 7.0, y + 7.0))
        .collect();
    let mut placed = Vec::new();
    let wanted = [
        (this_path.last().copied(), d.this_label.as_str()),
        (target_at, d.target_label.as_str()),
        (last_path.last().copied(), d.last_label.as_str()),
    ];
    for (point, text) in wanted {
        let (Some((px, py)), text) = (point, canvas::clean(text)) else {
            continue;
        };
        if text.is_empty() {
            continue;
        }
        let tw = canvas::text_width(&text, LABEL_SIZE);
        for (cx, cy) in [
            (px - 12.0 - tw / 2.0, py),
            (px, py - 18.0),
            (px, py + 18.0),
            (px - tw / 2.0, py - 18.0),
            (px - tw / 2.0, py + 18.0),
        ] {
            let cx = cx.clamp(tw / 2.0 + 4.0, (w - tw / 2.0 - 4.0).max(tw / 2.0 + 4.0));
            let bx = (cx - tw / 2.0 - 2.0, cx + tw / 2.0 + 2.0, cy - 9.0, cy + 9.0);
            if cy - 9.0 < kl.height + 4.0 || boxes.iter().any(|b| overlaps(*b, bx)) {
                continue;
            }
            boxes.push(bx);
            placed.push((text.clone(), cx, cy));
            break;
        }
    }
    c.group("value-labels", |c| {
        for (text, x, y) in &placed {
            c.text_halo(text, *x, *y, LABEL_SIZE, INK, Anchor::CenterMiddle)?;
        }
        Ok(())
    })?;
    x_labels.draw(c, left, slot, x_label_y)
}

#[cfg(test)]
mod tests {
    use super::super::tests::{count_class, parse_ok, plain};
    use super::super::{ChartStatus, Frame, Labels, Size};
    use super::*;

    fn data() -> Cumulative {
        let months: Vec<String> = (1..=12).map(|m| format!("M{m}")).collect();
        Cumulative {
            this_year: (0..12)
                .map(|i| (i < 6).then(|| 90.0 * (i + 1) as f64))
                .collect(),
            last_year: (0..12).map(|i| Some(80.0 * (i + 1) as f64)).collect(),
            pace: (0..12).map(|i| Some(100.0 * (i + 1) as f64)).collect(),
            target: Some(1200.0),
            this_label: "540 ↘".into(),
            last_label: "2016: 960".into(),
            target_label: "Target 1200".into(),
            status: ChartStatus::Behind,
            months,
        }
    }

    #[test]
    fn draws_this_year_the_pace_last_year_and_the_target() {
        let frame = Frame::new(Labels {
            title: "t".into(),
            desc: "d".into(),
        });
        for size in [Size::Wide, Size::Narrow] {
            let svg = cumulative(&frame.at(size), &data(), &plain);
            let doc = parse_ok(&svg);
            assert_eq!(count_class(&doc, "circle", "point"), 6);
            assert_eq!(count_class(&doc, "polyline", "pace"), 1);
            assert_eq!(count_class(&doc, "polyline", "last-year"), 1);
            assert_eq!(count_class(&doc, "polyline", "target"), 1);
            assert!(svg.contains(">540 ↘<"), "the latest value is written");
            assert!(svg.contains(">Target 1200<"), "the target is written");
        }
    }
}

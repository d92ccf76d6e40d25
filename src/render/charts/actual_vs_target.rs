//! Actual against target: one vertical bar per period, the target as a thick
//! dark tick across it.

use super::canvas::{self, Anchor, Canvas, DrawResult};
use super::key::{self, KeyLayout};
use super::{
    AXIS, Frame, INK, LABEL_SIZE, MIN_SIZE, OUTLINE, PeriodBar, Scale, TickFormat, XLabels, axis,
    draw_empty, draw_status_glyph, draw_y_grid, finite, label_step, labelled, overlaps, render,
    tick_labels,
};

/// Room above the plot for a value label and a status symbol.
const HEAD: f64 = 46.0;
/// Room below the plot for the same under negative bars.
const FOOT: f64 = 42.0;
/// Height of the strip of status symbols in dense charts.
const STRIP: f64 = 22.0;
/// Size of a status glyph.
const SYMBOL: f64 = 17.0;

/// Renders actual-versus-target bars as an SVG document (640 units wide, or
/// 360 narrow; the plot 360 or 300 high, under the key).
///
/// Each period is a bar coloured by status, with its status glyph (`✓ ↗ ✗`
/// ...) and `value_label` above it (below it for negative values); a period in
/// progress is drawn light with a dashed outline. The target is a thick dark
/// tick across the bar; the value axis always reaches every target. Ticks
/// are formatted with `ticks`.
///
/// When the value labels do not fit even at 13 units, only every k-th one is
/// drawn (counting back from the latest period), clear of the bars it spans,
/// and the status symbols move to a strip under the plot; category labels are
/// thinned the same way.
///
/// In the SVG, bars are `<rect class="bar">` inside `<g class="bars">`
/// (periods without an actual have none), targets `<rect class="target">`
/// inside `<g class="targets">`, status glyphs `<g class="status">`, and the
/// key `<g class="key">`.
pub fn actual_vs_target(frame: &Frame, bars: &[PeriodBar], ticks: TickFormat) -> String {
    let w = frame.size.width();
    let kl = key::layout(&frame.key, f64::from(w));
    let h = (kl.height + frame.size.plot_height()).round() as u32;
    render(&frame.labels, "actual-vs-target", w, h, |c| {
        draw(c, frame, &kl, bars, ticks)
    })
}

/// Draws the chart on `c`.
fn draw(
    c: &Canvas,
    frame: &Frame,
    kl: &KeyLayout,
    bars: &[PeriodBar],
    format: TickFormat,
) -> DrawResult {
    if bars.is_empty() {
        return draw_empty(c, "–");
    }
    key::draw(c, &frame.key, kl, 6.0)?;
    let (w, h) = (c.width(), c.height());
    let actuals: Vec<Option<f64>> = bars.iter().map(|b| finite(b.actual)).collect();
    let targets: Vec<Option<f64>> = bars.iter().map(|b| finite(b.target)).collect();
    let values: Vec<f64> = actuals.iter().chain(&targets).flatten().copied().collect();
    let has_values = !values.is_empty();
    let lo = values.iter().copied().fold(0.0, f64::min);
    let hi = values.iter().copied().fold(0.0, f64::max);
    let (axis_lo, axis_hi, tick_values) = axis(lo, hi, 5);
    let tick_values = if has_values { tick_values } else { Vec::new() };
    let (tick_text, left) = tick_labels(&tick_values, format);

    let n = bars.len();
    let right = w - 12.0;
    let slot = (right - left) / n as f64;
    let bar_w = (slot * 0.62).clamp(2.0, 72.0);
    let cx = |i: usize| left + (i as f64 + 0.5) * slot;

    // Value labels: as large as fits, down to 13 units. If even that is too
    // wide the chart is "dense": only every `step`-th value is labelled, and
    // the status symbols move to a strip of their own under the plot.
    let label_texts: Vec<String> = bars.iter().map(|b| canvas::clean(&b.value_label)).collect();
    let widths = |size: f64| -> Vec<f64> {
        label_texts
            .iter()
            .map(|t| canvas::text_width(t, size))
            .collect()
    };
    let mut size = LABEL_SIZE;
    let mut label_widths = widths(size);
    while size > MIN_SIZE && label_step(&label_widths, slot, 6.0) > 1 {
        size -= 1.0;
        label_widths = widths(size);
    }
    let step = label_step(&label_widths, slot, 6.0);
    let dense = step > 1;

    let any_negative = actuals.iter().flatten().any(|a| *a < 0.0);
    let plot_top = kl.height + 8.0 + if dense { 22.0 } else { HEAD };
    let names: Vec<String> = bars.iter().map(|b| b.label.clone()).collect();
    let x_labels = XLabels::new(&names, slot);
    let x_label_y = h - 14.0 - x_labels.height;
    let strip_y = x_label_y - 4.0 - STRIP / 2.0;
    let foot = match (any_negative, dense) {
        (false, _) => 0.0,
        (true, false) => FOOT,
        (true, true) => 22.0,
    };
    let plot_bottom = x_label_y - 8.0 - foot - if dense { STRIP } else { 0.0 };
    let y = Scale::new(axis_lo, axis_hi, plot_bottom, plot_top);
    let zero = y.map(0.0);

    draw_y_grid(c, &tick_values, &tick_text, &y, left, right)?;

    c.group("bars", |c| {
        for (i, (bar, actual)) in bars.iter().zip(&actuals).enumerate() {
            let Some(a) = *actual else { continue };
            let mut top = y.map(a);
            if (top - zero).abs() < 2.0 {
                top = if a < 0.0 { zero + 2.0 } else { zero - 2.0 };
            }
            let color = bar.status.color();
            let status = bar.status.key();
            if bar.in_progress {
                c.attrs(&[
                    ("class", "bar in-progress"),
                    ("data-status", status),
                    ("stroke", OUTLINE),
                    ("stroke-width", "2"),
                    ("stroke-dasharray", "5 3"),
                ])?;
                c.rect(
                    cx(i) - bar_w / 2.0,
                    zero,
                    cx(i) + bar_w / 2.0,
                    top,
                    color.tint(0.6),
                )?;
            } else {
                c.attrs(&[
                    ("class", "bar"),
                    ("data-status", status),
                    ("stroke", OUTLINE),
                    ("stroke-width", "1"),
                ])?;
                c.rect(cx(i) - bar_w / 2.0, zero, cx(i) + bar_w / 2.0, top, color)?;
            }
        }
        Ok(())
    })?;
    if has_values {
        c.line(&[(left, zero), (right, zero)], AXIS, 1)?;
    }

    let half_target = (bar_w / 2.0 + 6.0).min(slot / 2.0 - 1.0).max(bar_w / 2.0);
    c.group("targets", |c| {
        for (i, target) in targets.iter().enumerate() {
            let Some(t) = *target else { continue };
            let ty = y.map(t);
            let half = half_target;
            c.rect(
                cx(i) - half - 1.0,
                ty - 4.0,
                cx(i) + half + 1.0,
                ty + 4.0,
                super::WHITE,
            )?;
            c.attrs(&[("class", "target")])?;
            c.rect(cx(i) - half, ty - 2.0, cx(i) + half, ty + 2.0, INK)?;
        }
        Ok(())
    })?;

    // Highest point (smallest y) of what is drawn over slot `j`, and lowest.
    let top_of = |j: usize| -> f64 {
        let bar = actuals[j].map_or(zero, |a| y.map(a)).min(zero - 2.0);
        targets[j].map_or(bar, |t| bar.min(y.map(t) - 4.0))
    };
    let bottom_of = |j: usize| -> f64 {
        let bar = actuals[j].map_or(zero, |a| y.map(a)).max(zero + 2.0);
        targets[j].map_or(bar, |t| bar.max(y.map(t) + 4.0))
    };

    // Where each bar's label stack starts: above the bar (or its target, if
    // that would collide), below it for negative values.
    let anchors: Vec<(f64, bool)> = (0..n)
        .map(|i| match actuals[i] {
            Some(a) if a < 0.0 => (y.map(a).max(zero + 2.0), true),
            Some(a) => {
                let mut top = y.map(a).min(zero - 2.0);
                if let Some(t) = targets[i] {
                    let ty = y.map(t);
                    if ty > top - HEAD - 10.0 && ty < top + 4.0 {
                        top = top.min(ty - 4.0);
                    }
                }
                (top, false)
            }
            None => (zero, false),
        })
        .collect();

    c.group("statuses", |c| {
        for (i, bar) in bars.iter().enumerate() {
            if actuals[i].is_none() && !label_texts[i].is_empty() {
                continue;
            }
            let status = if actuals[i].is_none() {
                super::ChartStatus::NoData
            } else {
                bar.status
            };
            let glyph = if actuals[i].is_none() {
                ""
            } else {
                &bar.symbol
            };
            if dense {
                let size = (slot * 0.9).clamp(MIN_SIZE, SYMBOL);
                draw_status_glyph(c, status, glyph, cx(i), strip_y, size)?;
            } else {
                let (edge, below) = anchors[i];
                let cy = if below { edge + 32.0 } else { edge - 30.0 };
                draw_status_glyph(c, status, glyph, cx(i), cy, SYMBOL)?;
            }
        }
        Ok(())
    })?;

    // Placed from the latest period backwards; a label that would overlap
    // one already placed is left out.
    let mut placed: Vec<(String, f64, f64)> = Vec::new();
    let mut boxes: Vec<(f64, f64, f64, f64)> = Vec::new();
    for (i, text) in label_texts.iter().enumerate().rev() {
        if !labelled(i, n, step) {
            continue;
        }
        let text = canvas::fit(text, size, slot * step as f64 - 6.0);
        let tw = canvas::text_width(&text, size);
        let x = cx(i).clamp(tw / 2.0 + 2.0, (w - tw / 2.0 - 2.0).max(tw / 2.0 + 2.0));
        let cy = if dense {
            // Clear of every bar and target the text spans.
            let near = |j: usize| (cx(j) - x).abs() < tw / 2.0 + bar_w / 2.0 + 1.0;
            if actuals[i].is_some_and(|a| a < 0.0) {
                (0..n)
                    .filter(|j| near(*j))
                    .map(bottom_of)
                    .fold(zero, f64::max)
                    + 12.0
            } else {
                (0..n).filter(|j| near(*j)).map(top_of).fold(zero, f64::min) - 11.0
            }
        } else {
            let (edge, below) = anchors[i];
            if below { edge + 12.0 } else { edge - 11.0 }
        };
        let cy = cy.max(kl.height + 10.0);
        let bx = (
            x - tw / 2.0 - 2.0,
            x + tw / 2.0 + 2.0,
            cy - size / 2.0,
            cy + size / 2.0,
        );
        if boxes.iter().any(|b| overlaps(*b, bx)) {
            continue;
        }
        boxes.push(bx);
        placed.push((text, x, cy));
    }
    c.group("value-labels", |c| {
        for (text, x, cy) in placed.iter().rev() {
            c.text(text, *x, *cy, size, INK, Anchor::CenterMiddle)?;
        }
        Ok(())
    })?;

    x_labels.draw(c, left, slot, x_label_y)
}

#[cfg(test)]
mod tests {
    use super::super::tests::{count_class, parse_ok, plain};
    use super::super::{ChartStatus, Frame, Labels, PeriodBar, actual_vs_target};

    fn bar(label: &str, actual: Option<f64>, target: Option<f64>) -> PeriodBar {
        PeriodBar {
            label: label.into(),
            actual,
            target,
            value_label: actual.map(|a| format!("{a}")).unwrap_or_else(|| "–".into()),
            status: if actual.is_some() {
                ChartStatus::Nearly
            } else {
                ChartStatus::NoData
            },
            symbol: "↗".into(),
            in_progress: false,
        }
    }

    fn labels() -> Frame {
        Frame::new(Labels {
            title: "Realisasi vs target".into(),
            desc: "Batang realisasi per tahun".into(),
        })
    }

    #[test]
    fn draws_one_bar_per_actual_and_one_tick_per_target() {
        let bars = vec![
            bar("2021", Some(10.0), Some(12.0)),
            bar("2022", Some(14.0), None),
            bar("2023", None, Some(15.0)),
            bar("2024", Some(f64::NAN), Some(f64::INFINITY)),
        ];
        let svg = actual_vs_target(&labels(), &bars, &plain);
        let doc = parse_ok(&svg);
        assert_eq!(count_class(&doc, "rect", "bar"), 2);
        assert_eq!(count_class(&doc, "rect", "target"), 2);
        assert_eq!(count_class(&doc, "g", "status"), 2);
        assert!(svg.contains("Batang realisasi per tahun"));
    }

    #[test]
    fn edge_cases_do_not_panic() {
        let cases: Vec<Vec<PeriodBar>> = vec![
            vec![],
            vec![bar("2020", None, None)],
            vec![bar("2020", Some(0.0), Some(0.0))],
            vec![
                bar("2020", Some(-5.0), Some(3.0)),
                bar("2021", Some(7.0), Some(-2.0)),
            ],
            vec![bar("2020", Some(1e12), Some(1.2e12))],
            (0..40)
                .map(|i| bar(&format!("Periode panjang {i}"), Some(i as f64), None))
                .collect(),
        ];
        for bars in cases {
            let svg = actual_vs_target(&labels(), &bars, &plain);
            let doc = parse_ok(&svg);
            let expected = bars
                .iter()
                .filter(|b| b.actual.is_some_and(f64::is_finite))
                .count();
            assert_eq!(count_class(&doc, "rect", "bar"), expected);
        }
    }

    #[test]
    fn in_progress_bar_is_dashed() {
        let mut b = bar("2025", Some(4.0), Some(10.0));
        b.in_progress = true;
        let svg = actual_vs_target(&labels(), &[b], &plain);
        let doc = parse_ok(&svg);
        let rect = doc
            .descendants()
            .find(|n| n.attribute("class") == Some("bar in-progress"))
            .expect("in-progress bar");
        assert!(rect.attribute("stroke-dasharray").is_some());
    }
}

//! Composition: stacked vertical bars with a legend.

use super::canvas::{self, Anchor, Canvas, DrawResult};
use super::{
    AXIS, HEIGHT, INK, LABEL_SIZE, Labels, SERIES, Scale, Stack, TickFormat, WIDTH, XLabels, axis,
    draw_empty, draw_y_grid, render, tick_labels,
};

/// Side of a legend swatch.
const SWATCH: f64 = 14.0;
/// Height of a legend line.
const LEGEND_LINE: f64 = 24.0;
/// Widest series name in the legend before it is shortened.
const LEGEND_NAME_MAX: f64 = 260.0;

/// Renders stacked bars as an SVG document (640 × 360 units).
///
/// Each stack is a bar made of one segment per series (first series at the
/// bottom), in the colours shown by the legend above the plot (legend order
/// is series order). Parts beyond `series_names` are ignored, and negative
/// or non-finite parts count as zero. Colours repeat after seven series.
/// Ticks on the value axis are formatted with `ticks`.
///
/// In the SVG, segments are `<rect class="segment" data-series="k">` in
/// `<g class="stacks">` (zero parts draw none); legend entries are
/// `<g class="legend-item">` in `<g class="legend">`.
pub fn composition(
    labels: &Labels,
    series_names: &[String],
    stacks: &[Stack],
    ticks: TickFormat,
) -> String {
    render(labels, "composition", WIDTH, HEIGHT, |c| {
        draw(c, series_names, stacks, ticks)
    })
}

/// A part that counts: finite and positive.
fn part(stack: &Stack, k: usize) -> f64 {
    match stack.parts.get(k) {
        Some(v) if v.is_finite() && *v > 0.0 => v.min(1e300),
        _ => 0.0,
    }
}

/// Lays the legend out in lines: (series, x, line) for each entry.
fn legend_layout(names: &[String], width: f64) -> (Vec<(String, f64, usize)>, usize) {
    let mut items = Vec::new();
    let (mut x, mut line) = (0.0, 0usize);
    for name in names {
        let name = canvas::fit(name, LABEL_SIZE, LEGEND_NAME_MAX);
        let item_w = SWATCH + 6.0 + canvas::text_width(&name, LABEL_SIZE);
        if x > 0.0 && x + item_w > width {
            x = 0.0;
            line += 1;
        }
        items.push((name, x, line));
        x += item_w + 20.0;
    }
    let lines = if names.is_empty() { 0 } else { line + 1 };
    (items, lines)
}

/// Draws the chart on `c`.
fn draw(c: &Canvas, series_names: &[String], stacks: &[Stack], format: TickFormat) -> DrawResult {
    if stacks.is_empty() || series_names.is_empty() {
        return draw_empty(c, "–");
    }
    let (w, h) = (c.width(), c.height());
    let n_series = series_names.len();
    let totals: Vec<f64> = stacks
        .iter()
        .map(|s| (0..n_series).map(|k| part(s, k)).sum::<f64>().min(1e300))
        .collect();
    let hi = totals.iter().copied().fold(0.0, f64::max);
    let (axis_lo, axis_hi, tick_values) = axis(0.0, hi, 5);
    let tick_values = if hi > 0.0 { tick_values } else { Vec::new() };
    let (tick_text, left) = tick_labels(&tick_values, format);

    let (legend, legend_lines) = legend_layout(series_names, w - 24.0);
    let legend_lines = legend_lines.min(3);
    c.group("legend", |c| {
        for (k, (name, x, line)) in legend.iter().enumerate() {
            if *line >= legend_lines {
                break;
            }
            let cy = 8.0 + LEGEND_LINE * (*line as f64 + 0.5);
            let x = 12.0 + x;
            c.group("legend-item", |c| {
                c.attrs(&[("stroke", "#333333"), ("stroke-width", "1")])?;
                c.rect(
                    x,
                    cy - SWATCH / 2.0,
                    x + SWATCH,
                    cy + SWATCH / 2.0,
                    SERIES[k % SERIES.len()],
                )?;
                c.text(
                    name,
                    x + SWATCH + 6.0,
                    cy,
                    LABEL_SIZE,
                    INK,
                    Anchor::LeftMiddle,
                )
            })?;
        }
        Ok(())
    })?;

    let right = w - 12.0;
    let plot_top = 8.0 + LEGEND_LINE * legend_lines as f64 + 14.0;
    let slot = (right - left) / stacks.len() as f64;
    let names: Vec<String> = stacks.iter().map(|s| s.label.clone()).collect();
    let x_labels = XLabels::new(&names, slot);
    let x_label_y = h - 14.0 - x_labels.height;
    let plot_bottom = x_label_y - 8.0;
    let y = Scale::new(axis_lo, axis_hi, plot_bottom, plot_top);
    let bar_w = (slot * 0.62).clamp(2.0, 72.0);

    draw_y_grid(c, &tick_values, &tick_text, &y, left, right)?;

    c.group("stacks", |c| {
        for (i, stack) in stacks.iter().enumerate() {
            let cx = left + (i as f64 + 0.5) * slot;
            let mut base = 0.0;
            for k in 0..n_series {
                let v = part(stack, k);
                if v <= 0.0 {
                    continue;
                }
                let series = k.to_string();
                c.attrs(&[
                    ("class", "segment"),
                    ("data-series", &series),
                    ("stroke", "#FFFFFF"),
                    ("stroke-width", "1"),
                ])?;
                c.rect(
                    cx - bar_w / 2.0,
                    y.map(base),
                    cx + bar_w / 2.0,
                    y.map(base + v),
                    SERIES[k % SERIES.len()],
                )?;
                base += v;
            }
        }
        Ok(())
    })?;
    c.line(&[(left, y.map(0.0)), (right, y.map(0.0))], AXIS, 1)?;

    x_labels.draw(c, left, slot, x_label_y)
}

#[cfg(test)]
mod tests {
    use super::super::tests::{count_class, parse_ok, plain};
    use super::super::{Labels, Stack, composition};

    fn labels() -> Labels {
        Labels {
            title: "Komposisi tenaga kerja".into(),
            desc: "Penerima upah dan bukan penerima upah".into(),
        }
    }

    fn names() -> Vec<String> {
        vec!["Penerima upah".into(), "Bukan penerima upah".into()]
    }

    #[test]
    fn draws_one_segment_per_positive_part_and_a_legend() {
        let stacks = vec![
            Stack {
                label: "2022".into(),
                parts: vec![10.0, 5.0],
            },
            Stack {
                label: "2023".into(),
                parts: vec![12.0, 0.0],
            },
            Stack {
                label: "2024".into(),
                parts: vec![f64::NAN, -3.0, 99.0],
            },
            Stack {
                label: "2025".into(),
                parts: vec![7.0],
            },
        ];
        let svg = composition(&labels(), &names(), &stacks, &plain);
        let doc = parse_ok(&svg);
        assert_eq!(count_class(&doc, "rect", "segment"), 4);
        assert_eq!(count_class(&doc, "g", "legend-item"), 2);
        assert!(svg.contains("Bukan penerima upah"));
    }

    #[test]
    fn edge_cases_parse() {
        let many: Vec<String> = (0..12)
            .map(|i| format!("Seri nomor {i} dengan nama panjang"))
            .collect();
        let one = vec![Stack {
            label: "X".into(),
            parts: vec![1e12; 12],
        }];
        for (names, stacks) in [
            (names(), vec![]),
            (vec![], one.clone()),
            (many, one),
            (
                names(),
                vec![Stack {
                    label: "0".into(),
                    parts: vec![0.0, 0.0],
                }],
            ),
        ] {
            parse_ok(&composition(&labels(), &names, &stacks, &plain));
        }
    }
}

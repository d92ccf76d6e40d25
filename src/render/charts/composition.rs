//! Composition: stacked bars, one per period (upright) or per entity (lying,
//! so every name is written whole), with a key of the series.

use super::canvas::{self, Anchor, Canvas, DrawResult};
use super::key::{self, KeyItem, KeyLayout, Swatch};
use super::{
    AXIS, Frame, INK, LABEL_SIZE, SERIES, Scale, Size, Stack, TickFormat, XLabels, axis,
    draw_empty, draw_y_grid, render, tick_labels,
};

/// Height of a row of the lying layout.
const ROW: f64 = 32.0;
/// Height of a row of the lying layout when a name takes two lines.
const ROW_TALL: f64 = 46.0;
/// Between the lines of a two-line name.
const LINE: f64 = 18.0;
/// Thickness of a lying bar.
const BAR: f64 = 18.0;
/// Widest name of the lying layout before it wraps.
const NAME_MAX: f64 = 200.0;

/// Renders stacked bars as an SVG document (640 units wide, or 360 narrow).
///
/// Each stack is a bar made of one segment per series (first series at the
/// bottom, or on the left), in the colours the key above the plot names (in
/// series order), with its `total_label` written at its end. Stacks stand
/// upright when every label fits under its bar whole; otherwise (many
/// entities, long names, a phone) they lie down, one row each, so every
/// category is named. Parts beyond `series_names` are ignored, and negative
/// or non-finite parts count as zero. Colours repeat after seven series.
/// Ticks on the value axis are formatted with `ticks`.
///
/// In the SVG, segments are `<rect class="segment" data-series="k">` in
/// `<g class="stacks">` (zero parts draw none); key entries are
/// `<g class="key-item">` in `<g class="key">`; category names are in
/// `<g class="x-labels">` (upright) or `<g class="names">` (lying).
pub fn composition(
    frame: &Frame,
    series_names: &[String],
    stacks: &[Stack],
    ticks: TickFormat,
) -> String {
    let w = frame.size.width();
    let mut items: Vec<KeyItem> = series_names
        .iter()
        .enumerate()
        .map(|(k, n)| KeyItem::new(Swatch::Series(k), n.clone()))
        .collect();
    items.extend(frame.key.iter().cloned());
    let kl = key::layout(&items, f64::from(w));
    let lying = lies(f64::from(w), frame.size, stacks);
    let h = if lying {
        let tall = names_of(stacks, f64::from(w)).iter().any(|n| n.len() > 1);
        let row = if tall { ROW_TALL } else { ROW };
        kl.height + 12.0 + row * stacks.len() as f64 + 12.0
    } else {
        kl.height + frame.size.plot_height()
    };
    render(&frame.labels, "composition", w, h.ceil() as u32, |c| {
        if stacks.is_empty() || series_names.is_empty() {
            return draw_empty(c, "–");
        }
        key::draw(c, &items, &kl, 6.0)?;
        if lying {
            draw_lying(c, &kl, series_names.len(), stacks)
        } else {
            draw_upright(c, &kl, series_names.len(), stacks, ticks)
        }
    })
}

/// A part that counts: finite and positive.
fn part(stack: &Stack, k: usize) -> f64 {
    match stack.parts.get(k) {
        Some(v) if v.is_finite() && *v > 0.0 => v.min(1e300),
        _ => 0.0,
    }
}

/// The total of each stack.
fn totals(n_series: usize, stacks: &[Stack]) -> Vec<f64> {
    stacks
        .iter()
        .map(|s| (0..n_series).map(|k| part(s, k)).sum::<f64>().min(1e300))
        .collect()
}

/// Whether the stacks lie down: more than six, or a label that would not fit
/// whole under an upright bar, or any on a phone beyond four.
fn lies(w: f64, size: Size, stacks: &[Stack]) -> bool {
    let n = stacks.len().max(1);
    let slot = (w - 80.0) / n as f64;
    let too_wide = stacks
        .iter()
        .any(|s| canvas::text_width(&canvas::clean(&s.label), LABEL_SIZE) > slot - 8.0);
    n > 6 || too_wide || (size == Size::Narrow && n > 4)
}

/// The names of the lying layout, on one or two lines.
fn names_of(stacks: &[Stack], w: f64) -> Vec<Vec<String>> {
    let room = NAME_MAX.min(w * 0.4);
    stacks
        .iter()
        .map(|s| canvas::wrap2(&s.label, LABEL_SIZE, room))
        .collect()
}

/// Upright stacks over a value axis, labels under them.
fn draw_upright(
    c: &Canvas,
    kl: &KeyLayout,
    n_series: usize,
    stacks: &[Stack],
    format: TickFormat,
) -> DrawResult {
    let (w, h) = (c.width(), c.height());
    let totals = totals(n_series, stacks);
    let hi = totals.iter().copied().fold(0.0, f64::max);
    let (axis_lo, axis_hi, tick_values) = axis(0.0, hi, 5);
    let tick_values = if hi > 0.0 { tick_values } else { Vec::new() };
    let (tick_text, left) = tick_labels(&tick_values, format);
    let right = w - 12.0;
    let plot_top = kl.height + 28.0;
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
            segments(c, stack, n_series, &|from, to| {
                (cx - bar_w / 2.0, y.map(from), cx + bar_w / 2.0, y.map(to))
            })?;
        }
        Ok(())
    })?;
    c.line(&[(left, y.map(0.0)), (right, y.map(0.0))], AXIS, 1)?;
    c.group("value-labels", |c| {
        for (i, (stack, total)) in stacks.iter().zip(&totals).enumerate() {
            let text = canvas::fit(&stack.total_label, LABEL_SIZE, slot - 4.0);
            let cx = left + (i as f64 + 0.5) * slot;
            c.text(
                &text,
                cx,
                y.map(*total) - 11.0,
                LABEL_SIZE,
                INK,
                Anchor::CenterMiddle,
            )?;
        }
        Ok(())
    })?;
    x_labels.draw(c, left, slot, x_label_y)
}

/// Lying stacks, one row per category: its name whole on the left (two
/// lines if long), the bar, its total on the right.
fn draw_lying(c: &Canvas, kl: &KeyLayout, n_series: usize, stacks: &[Stack]) -> DrawResult {
    let w = c.width();
    let names = names_of(stacks, w);
    let row = if names.iter().any(|n| n.len() > 1) {
        ROW_TALL
    } else {
        ROW
    };
    let name_w = names
        .iter()
        .flatten()
        .map(|n| canvas::text_width(n, LABEL_SIZE))
        .fold(0.0, f64::max);
    let totals_text: Vec<String> = stacks
        .iter()
        .map(|s| canvas::clean(&s.total_label))
        .collect();
    let total_w = totals_text
        .iter()
        .map(|t| canvas::text_width(t, LABEL_SIZE))
        .fold(0.0, f64::max);
    let (bar_left, bar_right) = (10.0 + name_w + 10.0, w - 10.0 - total_w - 8.0);
    let totals = totals(n_series, stacks);
    let hi = totals.iter().copied().fold(0.0, f64::max);
    let x = Scale::new(0.0, if hi > 0.0 { hi } else { 1.0 }, bar_left, bar_right);
    let top = kl.height + 12.0;
    let cy = |i: usize| top + (i as f64 + 0.5) * row;

    c.group("stacks", |c| {
        for (i, stack) in stacks.iter().enumerate() {
            let y = cy(i);
            segments(c, stack, n_series, &|from, to| {
                (x.map(from), y - BAR / 2.0, x.map(to), y + BAR / 2.0)
            })?;
        }
        Ok(())
    })?;
    c.line(
        &[
            (bar_left, top - 2.0),
            (bar_left, top + row * stacks.len() as f64),
        ],
        AXIS,
        1,
    )?;
    c.group("names", |c| {
        for (i, lines) in names.iter().enumerate() {
            let first = cy(i) - (lines.len() as f64 - 1.0) * LINE / 2.0;
            for (k, line) in lines.iter().enumerate() {
                let y = first + k as f64 * LINE;
                c.text(
                    line,
                    bar_left - 8.0,
                    y,
                    LABEL_SIZE,
                    INK,
                    Anchor::RightMiddle,
                )?;
            }
        }
        Ok(())
    })?;
    c.group("value-labels", |c| {
        for (i, (text, total)) in totals_text.iter().zip(&totals).enumerate() {
            c.text(
                text,
                x.map(*total) + 8.0,
                cy(i),
                LABEL_SIZE,
                INK,
                Anchor::LeftMiddle,
            )?;
        }
        Ok(())
    })
}

/// The segments of one stack; `rect(from, to)` gives the corners of the
/// segment from value `from` to value `to`.
fn segments(
    c: &Canvas,
    stack: &Stack,
    n_series: usize,
    rect: &dyn Fn(f64, f64) -> (f64, f64, f64, f64),
) -> DrawResult {
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
        let (x0, y0, x1, y1) = rect(base, base + v);
        c.rect(x0, y0, x1, y1, SERIES[k % SERIES.len()])?;
        base += v;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::tests::{count_class, parse_ok, plain};
    use super::super::{Frame, Labels, Stack, composition};

    fn labels() -> Frame {
        Frame::new(Labels {
            title: "Komposisi tenaga kerja".into(),
            desc: "Penerima upah dan bukan penerima upah".into(),
        })
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
                total_label: "t".into(),
            },
            Stack {
                label: "2023".into(),
                parts: vec![12.0, 0.0],
                total_label: "t".into(),
            },
            Stack {
                label: "2024".into(),
                parts: vec![f64::NAN, -3.0, 99.0],
                total_label: "t".into(),
            },
            Stack {
                label: "2025".into(),
                parts: vec![7.0],
                total_label: "t".into(),
            },
        ];
        let svg = composition(&labels(), &names(), &stacks, &plain);
        let doc = parse_ok(&svg);
        assert_eq!(count_class(&doc, "rect", "segment"), 4);
        assert_eq!(count_class(&doc, "g", "key-item"), 2);
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
            total_label: "t".into(),
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
                    total_label: "t".into(),
                }],
            ),
        ] {
            parse_ok(&composition(&labels(), &names, &stacks, &plain));
        }
    }
}

//! Trend: a line of actuals over periods with hollow target markers.

use super::canvas::{self, Anchor, Canvas, DrawResult};
use super::key::{self, KeyLayout};
use super::{
    Frame, INK, LABEL_SIZE, SERIES, Scale, TickFormat, TrendPoint, XLabels, axis, draw_empty,
    draw_y_grid, finite, overlaps, render, tick_labels,
};

/// Radius of a point.
const POINT_R: f64 = 5.0;
/// Half the diagonal of a target diamond.
const DIAMOND: f64 = 8.0;

/// Renders a line of actuals over periods as an SVG document (640 units
/// wide, or 360 narrow), under the key.
///
/// Actuals are filled points joined by a line (a missing actual breaks it);
/// targets are hollow diamonds; the period in progress has a hollow point,
/// not joined to the line. The latest actual and the latest target are
/// written beside their marks (and the first actual, where there is room),
/// so the values read without hovering. The value axis reaches every target
/// and starts at zero unless the data sit far from it; ticks are formatted
/// with `ticks`.
///
/// In the SVG, points are `<circle class="point">` (plus `in-progress`) in
/// `<g class="points">`, targets `<polyline class="target">` in
/// `<g class="targets">`, the line `<polyline>`s in `<g class="line">`, and
/// the written values `<g class="value-labels">`.
pub fn trend(frame: &Frame, points: &[TrendPoint], ticks: TickFormat) -> String {
    let w = frame.size.width();
    let kl = key::layout(&frame.key, f64::from(w));
    let h = (kl.height + frame.size.plot_height()).round() as u32;
    render(&frame.labels, "trend", w, h, |c| {
        if points.is_empty() {
            return draw_empty(c, "–");
        }
        key::draw(c, &frame.key, &kl, 6.0)?;
        draw(c, &kl, points, ticks)
    })
}

/// The line's pieces: runs of points, and whether each run is dashed. A
/// period in progress is never joined to the line: its value covers only
/// part of the period, and a line to it would read as a rise or a drop.
fn runs(actuals: &[Option<f64>], points: &[TrendPoint]) -> Vec<(Vec<usize>, bool)> {
    let mut runs: Vec<(Vec<usize>, bool)> = Vec::new();
    for i in 1..points.len() {
        if actuals[i - 1].is_none() || actuals[i].is_none() {
            continue;
        }
        if points[i - 1].in_progress || points[i].in_progress {
            continue;
        }
        let dashed = false;
        match runs.last_mut() {
            Some((run, d)) if *d == dashed && run.last() == Some(&(i - 1)) => run.push(i),
            _ => runs.push((vec![i - 1, i], dashed)),
        }
    }
    runs
}

/// Draws the chart on `c`, under the key.
fn draw(c: &Canvas, kl: &KeyLayout, points: &[TrendPoint], format: TickFormat) -> DrawResult {
    let (w, h) = (c.width(), c.height());
    let actuals: Vec<Option<f64>> = points.iter().map(|p| finite(p.actual)).collect();
    let targets: Vec<Option<f64>> = points.iter().map(|p| finite(p.target)).collect();
    let values: Vec<f64> = actuals.iter().chain(&targets).flatten().copied().collect();
    let mut lo = values.iter().copied().fold(f64::INFINITY, f64::min);
    let mut hi = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if values.is_empty() {
        (lo, hi) = (0.0, 1.0);
    } else if lo > 0.0 && lo <= hi * 0.5 {
        lo = 0.0;
    } else if hi < 0.0 && hi >= lo * 0.5 {
        hi = 0.0;
    }
    let (axis_lo, axis_hi, tick_values) = axis(lo, hi, 5);
    let tick_values = if values.is_empty() {
        Vec::new()
    } else {
        tick_values
    };
    let (tick_text, left) = tick_labels(&tick_values, format);

    let right = w - 12.0;
    let slot = (right - left) / points.len() as f64;
    let names: Vec<String> = points.iter().map(|p| p.label.clone()).collect();
    let x_labels = XLabels::new(&names, slot);
    let x_label_y = h - 14.0 - x_labels.height;
    let (plot_top, plot_bottom) = (kl.height + 26.0, x_label_y - 12.0);
    let y = Scale::new(axis_lo, axis_hi, plot_bottom, plot_top);
    // Smaller marks when periods are many.
    let point_r = (slot * 0.22).clamp(2.5, POINT_R);
    let diamond = (slot * 0.35).clamp(3.5, DIAMOND);
    let at = |i: usize, v: f64| (left + (i as f64 + 0.5) * slot, y.map(v));
    let color = SERIES[0];

    draw_y_grid(c, &tick_values, &tick_text, &y, left, right)?;

    c.group("line", |c| {
        for (run, dashed) in runs(&actuals, points) {
            let pts: Vec<(f64, f64)> = run
                .iter()
                .filter_map(|&i| actuals[i].map(|v| at(i, v)))
                .collect();
            if dashed {
                c.attrs(&[("stroke-dasharray", "7 5")])?;
            }
            c.line(&pts, color, 3)?;
        }
        Ok(())
    })?;

    c.group("targets", |c| {
        for (i, target) in targets.iter().enumerate() {
            let Some(t) = *target else { continue };
            let (x, ty) = at(i, t);
            c.attrs(&[
                ("class", "target"),
                ("fill", "#FFFFFF"),
                ("fill-opacity", "0.6"),
            ])?;
            c.line(
                &[
                    (x, ty - diamond),
                    (x + diamond, ty),
                    (x, ty + diamond),
                    (x - diamond, ty),
                    (x, ty - diamond),
                ],
                INK,
                2,
            )?;
        }
        Ok(())
    })?;

    c.group("points", |c| {
        for (i, (p, actual)) in points.iter().zip(&actuals).enumerate() {
            let Some(v) = *actual else { continue };
            if p.in_progress {
                c.attrs(&[("class", "point in-progress"), ("fill", "#FFFFFF")])?;
                c.circle(at(i, v), point_r, color, false, 3)?;
            } else {
                c.attrs(&[
                    ("class", "point"),
                    ("stroke", "#FFFFFF"),
                    ("stroke-width", "1.5"),
                ])?;
                c.circle(at(i, v), point_r + 0.5, color, true, 1)?;
            }
        }
        Ok(())
    })?;

    let labels = value_labels(points, &actuals, &targets, &|i, v| at(i, v), w, plot_top);
    c.group("value-labels", |c| {
        for (text, x, y, anchor) in &labels {
            c.text_halo(text, *x, *y, LABEL_SIZE, INK, *anchor)?;
        }
        Ok(())
    })?;

    x_labels.draw(c, left, slot, x_label_y)
}

/// The values written beside their marks: the latest actual, the latest
/// target, then the first actual, each only if it overlaps none placed
/// before it; as (text, x, y, anchor).
fn value_labels(
    points: &[TrendPoint],
    actuals: &[Option<f64>],
    targets: &[Option<f64>],
    at: &dyn Fn(usize, f64) -> (f64, f64),
    w: f64,
    top: f64,
) -> Vec<(String, f64, f64, Anchor)> {
    let last_actual = actuals.iter().rposition(Option::is_some);
    let last_target = targets.iter().rposition(Option::is_some);
    let first_actual = actuals.iter().position(Option::is_some);
    let mut wanted: Vec<(usize, f64, &str, bool)> = Vec::new();
    if let Some(i) = last_actual {
        wanted.push((
            i,
            actuals[i].unwrap_or_default(),
            &points[i].value_label,
            true,
        ));
    }
    if let Some(i) = last_target {
        wanted.push((
            i,
            targets[i].unwrap_or_default(),
            &points[i].target_label,
            false,
        ));
    }
    if let Some(i) = first_actual.filter(|i| Some(*i) != last_actual) {
        wanted.push((
            i,
            actuals[i].unwrap_or_default(),
            &points[i].value_label,
            true,
        ));
    }
    // Every mark is kept clear of: a box around each point and diamond.
    let mut boxes: Vec<(f64, f64, f64, f64)> = actuals
        .iter()
        .chain(targets)
        .enumerate()
        .filter_map(|(k, v)| {
            let (x, y) = at(k % points.len(), (*v)?);
            Some((x - 6.0, x + 6.0, y - 6.0, y + 6.0))
        })
        .collect();
    let mut out = Vec::new();
    for (i, v, text, above) in wanted {
        let text = canvas::clean(text);
        if text.is_empty() {
            continue;
        }
        let tw = canvas::text_width(&text, LABEL_SIZE);
        let (x, y) = at(i, v);
        // Above the actual (below the target), else to the left of the mark.
        let dy = if above { -16.0 } else { 17.0 };
        let cands = [
            (x, y + dy, Anchor::CenterMiddle),
            (x, y - dy, Anchor::CenterMiddle),
            (x - 12.0, y, Anchor::RightMiddle),
        ];
        for (cx, cy, anchor) in cands {
            let (l, r) = match anchor {
                Anchor::RightMiddle => (cx - tw, cx),
                _ => (cx - tw / 2.0, cx + tw / 2.0),
            };
            // Kept inside the picture: shifted left from the right edge.
            let shift = (r - (w - 4.0)).max(0.0) - (4.0 - l).max(0.0);
            let (l, r, cx) = (l - shift, r - shift, cx - shift);
            let bx = (l - 2.0, r + 2.0, cy - 9.0, cy + 9.0);
            if cy - 9.0 < top - 22.0 || boxes.iter().any(|b| overlaps(*b, bx)) {
                continue;
            }
            boxes.push(bx);
            out.push((text.clone(), cx, cy, anchor));
            break;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::tests::{count_class, parse_ok, plain};
    use super::super::{Frame, Labels, TrendPoint, trend};

    fn point(label: &str, actual: Option<f64>, target: Option<f64>) -> TrendPoint {
        TrendPoint {
            label: label.into(),
            actual,
            target,
            value_label: actual.map(|a| format!("A{a}")).unwrap_or_default(),
            target_label: target.map(|t| format!("T{t}")).unwrap_or_default(),
            in_progress: false,
        }
    }

    fn labels() -> Frame {
        Frame::new(Labels {
            title: "Tren PDRB".into(),
            desc: "Realisasi PDRB 2019–2024".into(),
        })
    }

    #[test]
    fn draws_points_targets_and_leaves_a_period_in_progress_unjoined() {
        let mut pts = vec![
            point("2021", Some(1.0), Some(1.2)),
            point("2022", Some(2.0), Some(2.2)),
            point("2023", None, Some(3.0)),
            point("2024", Some(3.5), None),
            point("2025", Some(3.9), Some(4.0)),
        ];
        pts[4].in_progress = true;
        let svg = trend(&labels(), &pts, &plain);
        let doc = parse_ok(&svg);
        assert_eq!(count_class(&doc, "circle", "point"), 4);
        assert_eq!(count_class(&doc, "circle", "in-progress"), 1);
        assert_eq!(count_class(&doc, "polyline", "target"), 4);
        let line_group = doc
            .descendants()
            .find(|n| n.has_tag_name("g") && n.attribute("class") == Some("line"))
            .expect("the line group");
        let lines: Vec<_> = line_group
            .descendants()
            .filter(|n| n.has_tag_name("polyline"))
            .collect();
        // 2021-2022 joined; 2023 missing breaks the line; 2024 alone; 2025 in progress alone.
        assert_eq!(lines.len(), 1, "one run: 2021 to 2022");
        assert!(
            lines
                .iter()
                .all(|n| n.attribute("stroke-dasharray").is_none())
        );
    }

    #[test]
    fn edge_cases_parse() {
        let cases = vec![
            vec![],
            vec![point("2020", Some(5.0), None)],
            vec![
                point("2020", None, None),
                point("2021", Some(f64::NAN), None),
            ],
            vec![
                point("2020", Some(-1e12), Some(1e12)),
                point("2021", Some(0.0), None),
            ],
        ];
        for pts in cases {
            let svg = trend(&labels(), &pts, &plain);
            let doc = parse_ok(&svg);
            let expected = pts
                .iter()
                .filter(|p| p.actual.is_some_and(f64::is_finite))
                .count();
            assert_eq!(count_class(&doc, "circle", "point"), expected);
        }
    }

    #[test]
    fn the_latest_actual_and_target_are_written() {
        let pts = vec![
            point("2021", Some(1.0), Some(1.2)),
            point("2022", Some(2.0), Some(2.2)),
            point("2023", Some(2.5), Some(4.0)),
        ];
        let svg = trend(&labels(), &pts, &plain);
        let doc = parse_ok(&svg);
        let group = doc
            .descendants()
            .find(|n| n.attribute("class") == Some("value-labels"))
            .expect("value labels");
        let texts: Vec<&str> = group.descendants().filter_map(|n| n.text()).collect();
        assert!(
            texts.contains(&"A2.5") && texts.contains(&"T4"),
            "{texts:?}"
        );
    }
}

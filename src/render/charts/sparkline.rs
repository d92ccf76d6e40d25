//! Sparkline: a tiny line without axes, the last value emphasised.

use super::canvas::{Canvas, DrawResult};
use super::{AXIS, Labels, SERIES, Scale, finite, render};

/// Width of a sparkline, in user units.
const W: u32 = 120;
/// Height of a sparkline, in user units.
const H: u32 = 32;
/// Inner padding (room for the last point's dot).
const PAD: f64 = 5.0;

/// Renders a sparkline as an SVG document (120 × 32 units): the values as a
/// line scaled between their own minimum and maximum (missing or non-finite
/// values break the line), the last value as a dot. Without any value it is
/// a dashed grey line. There is no text inside; say what it shows in
/// `labels`.
///
/// In the SVG, the line is `<polyline>`s in `<g class="line">`, the dot
/// `<circle class="last">`, and lone values between gaps
/// `<circle class="point">`.
pub fn sparkline(labels: &Labels, values: &[Option<f64>]) -> String {
    render(labels, "sparkline", W, H, |c| draw(c, values))
}

/// Draws the sparkline on `c`.
fn draw(c: &Canvas, values: &[Option<f64>]) -> DrawResult {
    let (w, h) = (c.width(), c.height());
    let values: Vec<Option<f64>> = values.iter().map(|v| finite(*v)).collect();
    let present: Vec<f64> = values.iter().flatten().copied().collect();
    let Some(last) = values.iter().rposition(Option::is_some) else {
        c.attrs(&[("stroke-dasharray", "4 3"), ("class", "empty")])?;
        return c.line(&[(PAD, h / 2.0), (w - PAD, h / 2.0)], AXIS, 2);
    };
    let lo = present.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = present.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let y = Scale::new(lo, hi, h - PAD, PAD);
    let n = values.len();
    let x = Scale::new(0.0, (n.max(2) - 1) as f64, PAD, w - PAD - 2.0);
    let at = |i: usize, v: f64| {
        let px = if n == 1 { w / 2.0 } else { x.map(i as f64) };
        (px, y.map(v))
    };
    let color = SERIES[0];

    c.group("line", |c| {
        let mut run: Vec<(f64, f64)> = Vec::new();
        for (i, v) in values.iter().enumerate() {
            match v {
                Some(v) => run.push(at(i, *v)),
                None => {
                    flush(c, &mut run)?;
                }
            }
        }
        flush(c, &mut run)
    })?;
    // The last value: a larger dot with a white ring.
    let v = values[last].unwrap_or_default();
    c.attrs(&[
        ("class", "last"),
        ("stroke", "#FFFFFF"),
        ("stroke-width", "1.5"),
    ])?;
    c.circle(at(last, v), 3.5, color, true, 1)
}

/// Draws a run of points: a line, or a small dot when it is a lone value.
fn flush(c: &Canvas, run: &mut Vec<(f64, f64)>) -> DrawResult {
    let color = SERIES[0];
    let result = match run.len() {
        0 => Ok(()),
        1 => {
            c.attrs(&[("class", "point")])?;
            c.circle(run[0], 1.5, color, true, 1)
        }
        _ => c.line(run, color, 2),
    };
    run.clear();
    result
}

#[cfg(test)]
mod tests {
    use super::super::tests::{count_class, parse_ok};
    use super::super::{Labels, sparkline};

    fn labels() -> Labels {
        Labels {
            title: "PDRB".into(),
            desc: "Naik dari 1 ke 4".into(),
        }
    }

    #[test]
    fn draws_line_and_last_point() {
        let svg = sparkline(
            &labels(),
            &[Some(1.0), Some(3.0), None, Some(2.0), Some(4.0)],
        );
        let doc = parse_ok(&svg);
        assert!(svg.contains("viewBox=\"0 0 120 32\""));
        assert_eq!(count_class(&doc, "circle", "last"), 1);
        let lines = doc
            .descendants()
            .filter(|n| n.has_tag_name("polyline"))
            .count();
        assert_eq!(lines, 2);
    }

    #[test]
    fn edge_cases_parse() {
        for values in [
            vec![],
            vec![None, Some(f64::NAN)],
            vec![Some(5.0)],
            vec![Some(1e12), Some(-1e12), None],
        ] {
            let svg = sparkline(&labels(), &values);
            let doc = parse_ok(&svg);
            let expected = usize::from(values.iter().any(|v| v.is_some_and(f64::is_finite)));
            assert_eq!(count_class(&doc, "circle", "last"), expected);
        }
    }
}

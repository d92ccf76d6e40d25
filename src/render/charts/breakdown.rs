//! Breakdown: attainment of each child entity as a horizontal bar, with a
//! vertical reference line at 100 %.

use super::canvas::{self, Anchor, Canvas, DrawResult};
use super::{
    AXIS, BreakdownRow, INK, LABEL_SIZE, Labels, OUTLINE, Scale, TICK_SIZE, WHITE, WIDTH,
    draw_empty, finite, render,
};

/// Height of one row, in user units.
const ROW: f64 = 30.0;
/// Height of one row when some name takes two lines.
const ROW_TALL: f64 = 44.0;
/// Distance between the baselines of a two-line name.
const LINE: f64 = 18.0;
/// Thickness of a bar.
const BAR: f64 = 18.0;
/// Space above the first row.
const TOP: f64 = 10.0;
/// Space under the last row, for the reference line's label.
const BOTTOM: f64 = 34.0;
/// Widest value label before it is shortened.
const VALUE_MAX: f64 = 200.0;
/// Widest name before it is shortened (less if the value labels are wide).
const NAME_MAX: f64 = 210.0;
/// Narrowest bar area.
const BARS_MIN: f64 = 200.0;
/// Attainment beyond which bars are cut (and marked as cut).
const CAP: f64 = 2.0;

/// Renders one horizontal bar per row, in the order given, as an SVG
/// document 640 units wide and `10 + 30 × rows + 34` high (44 per row when
/// a name needs two lines; 360 when empty).
///
/// Each row shows the name on the left (on two lines if long, then shortened
/// with `…`), a bar
/// of the attainment coloured by status, and `value_label` on the right (the
/// status word or symbol belongs in that label, so status never rests on
/// colour alone). A dashed vertical line marks 1.0, labelled with
/// `reference_label` under the rows. Bars beyond 200 % are cut and marked
/// with a break; negative attainments (down to −100 %) go left of zero.
///
/// In the SVG, bars are `<rect class="bar">` in `<g class="bars">` (rows
/// without an attainment have none; bars cut at 200 % also have class
/// `cut`), and the reference line is `<polyline class="reference">`.
pub fn breakdown(labels: &Labels, rows: &[BreakdownRow], reference_label: &str) -> String {
    if rows.is_empty() {
        return render(labels, "breakdown", WIDTH, super::HEIGHT, |c| {
            draw_empty(c, "–")
        });
    }
    let layout = Layout::new(f64::from(WIDTH), rows);
    let height = (TOP + layout.row * rows.len() as f64 + BOTTOM)
        .ceil()
        .min(1e6) as u32;
    render(labels, "breakdown", WIDTH, height, |c| {
        draw(c, &layout, rows, reference_label)
    })
}

/// Texts and widths of the columns.
struct Layout {
    /// Each name, on one or two lines.
    names: Vec<Vec<String>>,
    /// Each value label, shortened to fit.
    values: Vec<String>,
    /// Left edge of the bar area.
    bar_left: f64,
    /// Right edge of the bar area.
    bar_right: f64,
    /// Height of a row.
    row: f64,
}

impl Layout {
    /// Measures the texts of `rows` for a chart `w` units wide.
    fn new(w: f64, rows: &[BreakdownRow]) -> Layout {
        let values: Vec<String> = rows
            .iter()
            .map(|r| canvas::fit(&r.value_label, LABEL_SIZE, VALUE_MAX))
            .collect();
        let value_w = values
            .iter()
            .map(|v| canvas::text_width(v, LABEL_SIZE))
            .fold(0.0, f64::max);
        let name_max = NAME_MAX.min(w - 40.0 - value_w - BARS_MIN).max(60.0);
        let names: Vec<Vec<String>> = rows
            .iter()
            .map(|r| canvas::wrap2(&r.name, LABEL_SIZE, name_max))
            .collect();
        let name_w = names
            .iter()
            .flatten()
            .map(|n| canvas::text_width(n, LABEL_SIZE))
            .fold(0.0, f64::max);
        let row = if names.iter().any(|n| n.len() > 1) {
            ROW_TALL
        } else {
            ROW
        };
        Layout {
            names,
            values,
            bar_left: 10.0 + name_w + 10.0,
            bar_right: w - 10.0 - value_w - 12.0,
            row,
        }
    }
}

/// Draws the rows laid out by `layout`.
fn draw(c: &Canvas, layout: &Layout, rows: &[BreakdownRow], reference_label: &str) -> DrawResult {
    let Layout {
        names,
        values,
        bar_left,
        bar_right,
        row,
    } = layout;
    let (bar_left, bar_right, row) = (*bar_left, *bar_right, *row);

    let attainments: Vec<Option<f64>> = rows.iter().map(|r| finite(r.attainment)).collect();
    let max = attainments.iter().flatten().copied().fold(1.0, f64::max);
    let min = attainments.iter().flatten().copied().fold(0.0, f64::min);
    let x_max = (max * 1.04).clamp(1.1, CAP);
    let x_min = min.max(-1.0);
    let x = Scale::new(x_min, x_max, bar_left, bar_right);
    let row_y = |i: usize| TOP + (i as f64 + 0.5) * row;
    let rows_bottom = TOP + row * rows.len() as f64;

    c.group("bars", |c| {
        for (i, (row, att)) in rows.iter().zip(&attainments).enumerate() {
            let Some(a) = *att else { continue };
            let cut = a > x_max || a < x_min;
            let end = x.map(a.clamp(x_min, x_max));
            let start = x.map(0.0);
            let end = if (end - start).abs() < 2.0 {
                start + if a < 0.0 { -2.0 } else { 2.0 }
            } else {
                end
            };
            let cy = row_y(i);
            c.attrs(&[
                ("class", if cut { "bar cut" } else { "bar" }),
                ("data-status", row.status.key()),
                ("stroke", OUTLINE),
                ("stroke-width", "1"),
            ])?;
            c.rect(
                start,
                cy - BAR / 2.0,
                end,
                cy + BAR / 2.0,
                row.status.color(),
            )?;
            if cut {
                // Two white slashes near the end: the bar goes on.
                let bx = end - if a > 0.0 { 14.0 } else { -14.0 };
                for dx in [-3.0, 3.0] {
                    c.line(
                        &[
                            (bx + dx - 3.0, cy + BAR / 2.0 + 1.0),
                            (bx + dx + 3.0, cy - BAR / 2.0 - 1.0),
                        ],
                        WHITE,
                        3,
                    )?;
                }
            }
        }
        Ok(())
    })?;

    c.line(
        &[(x.map(0.0), TOP - 2.0), (x.map(0.0), rows_bottom + 2.0)],
        AXIS,
        1,
    )?;
    let rx = x.map(1.0);
    c.attrs(&[("class", "reference"), ("stroke-dasharray", "5 4")])?;
    c.line(&[(rx, TOP - 4.0), (rx, rows_bottom + 4.0)], INK, 2)?;
    c.text(
        reference_label,
        rx,
        rows_bottom + 8.0,
        TICK_SIZE,
        INK,
        Anchor::CenterTop,
    )?;

    c.group("names", |c| {
        for (i, lines) in names.iter().enumerate() {
            let first = row_y(i) - (lines.len() as f64 - 1.0) * LINE / 2.0;
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
        for (i, value) in values.iter().enumerate() {
            c.text(
                value,
                bar_right + 12.0,
                row_y(i),
                LABEL_SIZE,
                INK,
                Anchor::LeftMiddle,
            )?;
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::super::tests::{count_class, parse_ok};
    use super::super::{BreakdownRow, ChartStatus, Labels, breakdown};

    fn row(name: &str, attainment: Option<f64>) -> BreakdownRow {
        BreakdownRow {
            name: name.into(),
            attainment,
            value_label: match attainment {
                Some(a) => format!("{:.1}% ✓ Tercapai", a * 100.0),
                None => "– Tidak ada data".into(),
            },
            status: if attainment.is_some() {
                ChartStatus::Achieved
            } else {
                ChartStatus::NoData
            },
        }
    }

    fn labels() -> Labels {
        Labels {
            title: "Capaian per kabupaten".into(),
            desc: "Capaian tiap kabupaten terhadap target".into(),
        }
    }

    #[test]
    fn draws_one_bar_per_attainment_and_a_reference() {
        let rows = vec![
            row("Bogor", Some(1.174)),
            row(
                "Kabupaten Dengan Nama Yang Sangat Panjang Sekali Hingga Terpotong",
                Some(0.8),
            ),
            row("Depok", None),
            row("Bekasi", Some(f64::NAN)),
            row("Cianjur", Some(7.5)),
        ];
        let svg = breakdown(&labels(), &rows, "100%");
        let doc = parse_ok(&svg);
        assert_eq!(count_class(&doc, "rect", "bar"), 3);
        assert_eq!(count_class(&doc, "rect", "cut"), 1);
        assert_eq!(count_class(&doc, "polyline", "reference"), 1);
        assert!(svg.contains('…'), "long name is shortened");
        assert!(svg.contains("117.4% ✓ Tercapai"));
        assert!(svg.contains(">100%<") || svg.contains("\n100%\n"));
    }

    #[test]
    fn height_follows_rows_and_edge_cases_parse() {
        let svg = breakdown(&labels(), &[row("A", Some(0.0))], "100%");
        assert!(svg.contains("viewBox=\"0 0 640 74\""), "{}", &svg[..200]);
        for rows in [
            vec![],
            vec![row("A", None)],
            vec![row("A", Some(-3.0)), row("B", Some(1e12))],
        ] {
            let doc_svg = breakdown(&labels(), &rows, "100%");
            parse_ok(&doc_svg);
        }
    }
}

//! Breakdown: attainment of each child entity as a horizontal bar, with a
//! dashed reference line at 100 %.

use super::canvas::{self, Anchor, Canvas, DrawResult};
use super::key::{self, KeyLayout};
use super::{
    AXIS, BreakdownRow, Frame, INK, LABEL_SIZE, OUTLINE, Scale, Size, TICK_SIZE, WHITE, draw_empty,
    finite, render,
};

/// Height of one row, in user units.
const ROW: f64 = 30.0;
/// Height of one row when some name takes two lines.
const ROW_TALL: f64 = 44.0;
/// Distance between the baselines of a two-line name.
const LINE: f64 = 18.0;
/// Thickness of a bar.
const BAR: f64 = 18.0;
/// Thickness of a bar in the narrow layout, under its name.
const BAR_NARROW: f64 = 14.0;
/// Space above the first row (under the key).
const TOP: f64 = 10.0;
/// Space under the last row, for the reference line's label.
const BOTTOM: f64 = 34.0;
/// Widest value label before it is shortened.
const VALUE_MAX: f64 = 250.0;
/// Widest name before it is shortened (less if the value labels are wide).
const NAME_MAX: f64 = 210.0;
/// Narrowest bar area.
const BARS_MIN: f64 = 160.0;
/// Attainment beyond which bars are cut (and marked as cut).
const CAP: f64 = 2.0;

/// Renders one horizontal bar per row, in the order given, under the key.
///
/// Wide (640 units): each row shows the name on the left (on two lines if
/// long, then shortened with `…`), a bar of the attainment coloured by
/// status, and `value_label` on the right (the status word or glyph belongs
/// in that label, so status never rests on colour alone). Narrow (360
/// units): the name and `short_label` on a line, the bar under them across
/// the width. A dashed vertical line marks 1.0, labelled with
/// `reference_label` under the rows. Bars beyond 200 % are cut and marked
/// with a break; negative attainments (down to −100 %) go left of zero.
///
/// In the SVG, bars are `<rect class="bar">` in `<g class="bars">` (rows
/// without an attainment have none; bars cut at 200 % also have class
/// `cut`), names `<g class="names">`, value labels `<g class="value-labels">`,
/// and the reference line is `<polyline class="reference">`.
pub fn breakdown(frame: &Frame, rows: &[BreakdownRow], reference_label: &str) -> String {
    let w = frame.size.width();
    let kl = key::layout(&frame.key, f64::from(w));
    if rows.is_empty() {
        let h = (kl.height + frame.size.plot_height()).round() as u32;
        return render(&frame.labels, "breakdown", w, h, |c| draw_empty(c, "–"));
    }
    let layout = Layout::new(f64::from(w), frame.size, rows);
    let height = (kl.height + TOP + layout.row * rows.len() as f64 + BOTTOM)
        .ceil()
        .min(1e6) as u32;
    render(&frame.labels, "breakdown", w, height, |c| {
        key::draw(c, &frame.key, &kl, 6.0)?;
        draw(c, &kl, &layout, rows, reference_label)
    })
}

/// Texts and widths of the columns.
struct Layout {
    /// Wide or narrow.
    size: Size,
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
    fn new(w: f64, size: Size, rows: &[BreakdownRow]) -> Layout {
        if size == Size::Narrow {
            return Layout::narrow(w, rows);
        }
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
            size,
            names,
            values,
            bar_left: 10.0 + name_w + 10.0,
            bar_right: w - 10.0 - value_w - 12.0,
            row,
        }
    }

    /// The phone layout: the short label is never cut; the name takes the
    /// rest of its line, or two lines.
    fn narrow(w: f64, rows: &[BreakdownRow]) -> Layout {
        let values: Vec<String> = rows.iter().map(|r| canvas::clean(&r.short_label)).collect();
        let names: Vec<Vec<String>> = rows
            .iter()
            .zip(&values)
            .map(|(r, v)| {
                let room = (w - 20.0 - canvas::text_width(v, LABEL_SIZE) - 12.0).max(60.0);
                canvas::wrap2(&r.name, LABEL_SIZE, room)
            })
            .collect();
        let lines = if names.iter().any(|n| n.len() > 1) {
            2.0
        } else {
            1.0
        };
        Layout {
            size: Size::Narrow,
            names,
            values,
            bar_left: 10.0,
            bar_right: w - 10.0,
            row: lines * LINE + BAR_NARROW + 16.0,
        }
    }

    /// The centre line of row `i`'s bar, from `top`.
    fn bar_y(&self, top: f64, i: usize) -> f64 {
        match self.size {
            Size::Wide => top + (i as f64 + 0.5) * self.row,
            Size::Narrow => top + (i as f64 + 1.0) * self.row - 8.0 - BAR_NARROW / 2.0,
        }
    }
}

/// Draws the rows laid out by `layout`, under the key.
fn draw(
    c: &Canvas,
    kl: &KeyLayout,
    layout: &Layout,
    rows: &[BreakdownRow],
    reference_label: &str,
) -> DrawResult {
    let (bar_left, bar_right, row) = (layout.bar_left, layout.bar_right, layout.row);
    let narrow = layout.size == Size::Narrow;
    let bar = if narrow { BAR_NARROW } else { BAR };
    let top = kl.height + TOP;

    let attainments: Vec<Option<f64>> = rows.iter().map(|r| finite(r.attainment)).collect();
    let max = attainments.iter().flatten().copied().fold(1.0, f64::max);
    let min = attainments.iter().flatten().copied().fold(0.0, f64::min);
    let x_max = (max * 1.04).clamp(1.1, CAP);
    let x_min = min.max(-1.0);
    let x = Scale::new(x_min, x_max, bar_left, bar_right);
    let rows_bottom = top + row * rows.len() as f64;

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
            let cy = layout.bar_y(top, i);
            c.attrs(&[
                ("class", if cut { "bar cut" } else { "bar" }),
                ("data-status", row.status.key()),
                ("stroke", OUTLINE),
                ("stroke-width", "1"),
            ])?;
            c.rect(
                start,
                cy - bar / 2.0,
                end,
                cy + bar / 2.0,
                row.status.color(),
            )?;
            if cut {
                // Two white slashes near the end: the bar goes on.
                let bx = end - if a > 0.0 { 14.0 } else { -14.0 };
                for dx in [-3.0, 3.0] {
                    c.line(
                        &[
                            (bx + dx - 3.0, cy + bar / 2.0 + 1.0),
                            (bx + dx + 3.0, cy - bar / 2.0 - 1.0),
                        ],
                        WHITE,
                        3,
                    )?;
                }
            }
        }
        Ok(())
    })?;

    let rx = x.map(1.0);
    if narrow {
        // Beside each bar only: the lines would cross the names and values above it.
        let spans: Vec<(f64, f64)> = (0..rows.len())
            .map(|i| {
                let cy = layout.bar_y(top, i);
                (cy - bar / 2.0 - 4.0, cy + bar / 2.0 + 4.0)
            })
            .collect();
        for (y0, y1) in &spans {
            c.line(&[(x.map(0.0), *y0), (x.map(0.0), *y1)], AXIS, 1)?;
        }
        c.group_with(
            &[("class", "reference"), ("stroke-dasharray", "5 4")],
            |c| {
                for (y0, y1) in &spans {
                    c.line(&[(rx, *y0), (rx, *y1)], INK, 2)?;
                }
                Ok(())
            },
        )?;
    } else {
        c.line(
            &[(x.map(0.0), top - 2.0), (x.map(0.0), rows_bottom + 2.0)],
            AXIS,
            1,
        )?;
        c.attrs(&[("class", "reference"), ("stroke-dasharray", "5 4")])?;
        c.line(&[(rx, top - 4.0), (rx, rows_bottom + 4.0)], INK, 2)?;
    }
    c.text(
        reference_label,
        rx,
        rows_bottom + 8.0,
        TICK_SIZE,
        INK,
        Anchor::CenterTop,
    )?;

    c.group("names", |c| {
        for (i, lines) in layout.names.iter().enumerate() {
            let (first, x0, anchor) = if narrow {
                (
                    top + i as f64 * row + 4.0 + LINE / 2.0,
                    bar_left,
                    Anchor::LeftMiddle,
                )
            } else {
                let first = layout.bar_y(top, i) - (lines.len() as f64 - 1.0) * LINE / 2.0;
                (first, bar_left - 8.0, Anchor::RightMiddle)
            };
            for (k, line) in lines.iter().enumerate() {
                c.text(line, x0, first + k as f64 * LINE, LABEL_SIZE, INK, anchor)?;
            }
        }
        Ok(())
    })?;
    c.group("value-labels", |c| {
        for (i, value) in layout.values.iter().enumerate() {
            if narrow {
                let y = top + i as f64 * row + 4.0 + LINE / 2.0;
                c.text(value, bar_right, y, LABEL_SIZE, INK, Anchor::RightMiddle)?;
            } else {
                let y = layout.bar_y(top, i);
                c.text(
                    value,
                    bar_right + 12.0,
                    y,
                    LABEL_SIZE,
                    INK,
                    Anchor::LeftMiddle,
                )?;
            }
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::super::tests::{count_class, parse_ok};
    use super::super::{BreakdownRow, ChartStatus, Frame, Labels, Size, breakdown};

    fn row(name: &str, attainment: Option<f64>) -> BreakdownRow {
        BreakdownRow {
            name: name.into(),
            attainment,
            value_label: match attainment {
                Some(a) => format!("{:.1}% ✓ Tercapai", a * 100.0),
                None => "– Tidak ada data".into(),
            },
            short_label: match attainment {
                Some(a) => format!("{:.1}% ✓", a * 100.0),
                None => "–".into(),
            },
            status: if attainment.is_some() {
                ChartStatus::Achieved
            } else {
                ChartStatus::NoData
            },
        }
    }

    fn labels() -> Frame {
        Frame::new(Labels {
            title: "Capaian per kabupaten".into(),
            desc: "Capaian tiap kabupaten terhadap target".into(),
        })
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

    #[test]
    fn the_narrow_layout_never_cuts_a_value() {
        let rows = vec![
            row(
                "Kabupaten Dengan Nama Yang Sangat Panjang Sekali",
                Some(1.309),
            ),
            row("Bogor", Some(0.5)),
        ];
        let svg = breakdown(&labels().at(Size::Narrow), &rows, "100%");
        let doc = parse_ok(&svg);
        assert!(svg.contains("viewBox=\"0 0 360 "), "{}", &svg[..300]);
        assert_eq!(count_class(&doc, "rect", "bar"), 2);
        assert!(svg.contains(">130.9% ✓<"), "the short label whole");
    }
}

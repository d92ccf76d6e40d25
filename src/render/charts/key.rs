//! The key every chart carries above its plot: what its colours, dashed
//! outlines, target markers, lines and status glyphs mean, so that a chart
//! explains itself on the page, in the SVG file and in the PNG.

use super::canvas::{self, Anchor, Canvas, DrawResult};
use super::{AXIS, ChartStatus, INK, LABEL_SIZE, OUTLINE, SERIES};

/// What a key entry shows before its words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum Swatch {
    /// A bar in a status's colour (the words carry its glyph: `✓ Tercapai`).
    Status(ChartStatus),
    /// A light bar with a dashed outline: a period still in progress.
    InProgress(ChartStatus),
    /// The thick dark tick that marks a target across a bar.
    Target,
    /// The hollow diamond that marks a target on a line.
    Diamond,
    /// The line of actuals with a filled point.
    Actual,
    /// A hollow point: a period in progress, not joined to the line.
    Current,
    /// The thin grey line of the year before.
    LastYear,
    /// The dashed line of the pace a target asks for.
    Pace,
    /// The dashed vertical line at 100 %.
    Reference,
    /// A part of a stacked bar, in series colour `k`.
    Series(usize),
}

/// One entry of a chart's key.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct KeyItem {
    /// The mark.
    pub swatch: Swatch,
    /// What it means, in the site's language.
    pub label: String,
}

impl KeyItem {
    /// An entry.
    pub fn new(swatch: Swatch, label: impl Into<String>) -> KeyItem {
        KeyItem {
            swatch,
            label: label.into(),
        }
    }
}

/// Width of a swatch.
const SWATCH: f64 = 20.0;
/// Between a swatch and its words.
const GAP: f64 = 6.0;
/// Between two entries on a line.
const ITEM_GAP: f64 = 18.0;
/// Height of a line of the key.
const LINE: f64 = 22.0;
/// Left and right margin.
const MARGIN: f64 = 10.0;

/// Where each entry goes: (label as drawn, x, line).
pub(crate) struct KeyLayout {
    items: Vec<(String, f64, usize)>,
    /// Height the key takes, with the space under it (0 without entries).
    pub(crate) height: f64,
}

/// Lays the entries out in lines across `width` units; a label too wide for
/// a line of its own is shortened with `…`.
pub(crate) fn layout(items: &[KeyItem], width: f64) -> KeyLayout {
    let room = width - 2.0 * MARGIN;
    let mut out = Vec::with_capacity(items.len());
    let (mut x, mut line) = (0.0, 0usize);
    for item in items {
        let label = canvas::fit(&item.label, LABEL_SIZE, room - SWATCH - GAP);
        let w = SWATCH + GAP + canvas::text_width(&label, LABEL_SIZE);
        if x > 0.0 && x + w > room {
            x = 0.0;
            line += 1;
        }
        out.push((label, MARGIN + x, line));
        x += w + ITEM_GAP;
    }
    let lines = if items.is_empty() { 0 } else { line + 1 };
    KeyLayout {
        items: out,
        height: if lines == 0 {
            0.0
        } else {
            lines as f64 * LINE + 10.0
        },
    }
}

/// Draws the key laid out by `layout` from `top`, in `<g class="key">`, each
/// entry in `<g class="key-item">`.
pub(crate) fn draw(c: &Canvas, items: &[KeyItem], layout: &KeyLayout, top: f64) -> DrawResult {
    if items.is_empty() {
        return Ok(());
    }
    c.group("key", |c| {
        for (item, (label, x, line)) in items.iter().zip(&layout.items) {
            let cy = top + LINE * (*line as f64 + 0.5);
            c.group("key-item", |c| {
                swatch(c, item.swatch, *x, cy)?;
                c.text(
                    label,
                    x + SWATCH + GAP,
                    cy,
                    LABEL_SIZE,
                    INK,
                    Anchor::LeftMiddle,
                )
            })?;
        }
        Ok(())
    })
}

/// Draws one swatch, `SWATCH` units wide, left edge `x`, centred on `cy`.
fn swatch(c: &Canvas, s: Swatch, x: f64, cy: f64) -> DrawResult {
    let (x0, x1) = (x, x + SWATCH);
    let mid = x + SWATCH / 2.0;
    match s {
        Swatch::Status(status) => {
            c.attrs(&[("stroke", OUTLINE), ("stroke-width", "1")])?;
            c.rect(x0 + 3.0, cy - 7.0, x1 - 3.0, cy + 7.0, status.color())
        }
        Swatch::InProgress(status) => {
            c.attrs(&[
                ("stroke", OUTLINE),
                ("stroke-width", "2"),
                ("stroke-dasharray", "4 2"),
            ])?;
            c.rect(
                x0 + 3.0,
                cy - 7.0,
                x1 - 3.0,
                cy + 7.0,
                status.color().tint(0.6),
            )
        }
        Swatch::Target => c.rect(x0, cy - 2.0, x1, cy + 2.0, INK),
        Swatch::Diamond => {
            let d = 7.0;
            c.attrs(&[("fill", "#FFFFFF")])?;
            c.line(
                &[
                    (mid, cy - d),
                    (mid + d, cy),
                    (mid, cy + d),
                    (mid - d, cy),
                    (mid, cy - d),
                ],
                INK,
                2,
            )
        }
        Swatch::Actual => {
            c.line(&[(x0, cy), (x1, cy)], SERIES[0], 3)?;
            c.circle((mid, cy), 4.5, SERIES[0], true, 1)
        }
        Swatch::Current => {
            c.attrs(&[("fill", "#FFFFFF")])?;
            c.circle((mid, cy), 4.5, SERIES[0], false, 3)
        }
        Swatch::LastYear => c.line(&[(x0, cy), (x1, cy)], super::LAST_YEAR, 3),
        Swatch::Pace => {
            c.attrs(&[("stroke-dasharray", "6 4")])?;
            c.line(&[(x0, cy), (x1, cy)], INK, 2)
        }
        Swatch::Reference => {
            c.attrs(&[("stroke-dasharray", "4 3")])?;
            c.line(&[(mid, cy - 9.0), (mid, cy + 9.0)], INK, 2)?;
            c.line(&[(x0, cy + 9.0), (x1, cy + 9.0)], AXIS, 1)
        }
        Swatch::Series(k) => {
            c.attrs(&[("stroke", OUTLINE), ("stroke-width", "1")])?;
            c.rect(
                x0 + 3.0,
                cy - 7.0,
                x1 - 3.0,
                cy + 7.0,
                SERIES[k % SERIES.len()],
            )
        }
    }
}

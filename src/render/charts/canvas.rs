//! A thin drawing layer over `plotters`' SVG backend, in user units.
//!
//! Besides shapes and text it can emit *markers*, which [`super::svg::finish`]
//! turns into `<g …>`/`</g>` or into extra attributes of the next element
//! (`class`, `stroke-dasharray`, …), things `plotters` cannot write itself. A
//! marker is drawn as a circle at the origin in [`MARK_FILL`], a colour no
//! chart uses, whose radius numbers its payload in the list [`draw_svg`]
//! returns beside the SVG: cheap to draw, and only the canvas can make one.
//! Text from callers goes through [`clean`], which removes control and
//! private-use characters.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::Once;

use plotters::backend::SVGBackend;
use plotters::coord::Shift;
use plotters::drawing::{DrawingArea, IntoDrawingArea};
use plotters::element::{Circle, PathElement, Rectangle, Text};
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{
    Color as _, FontDesc, FontFamily, FontStyle, RGBColor, ShapeStyle, TextStyle,
};

/// The font family written into the SVG and registered with `plotters`.
/// DejaVu Sans is used for measuring and rasterising; viewers without it
/// fall back to their (narrower) default sans-serif, so measured text fits.
pub(crate) const FAMILY: &str = "DejaVu Sans, sans-serif";

/// `plotters`' SVG backend writes `font-size` as the style size / 1.24.
const SVG_SIZE_FACTOR: f64 = 1.24;

/// `ab_glyph` scales fonts by their height (ascent − descent = 2384 units in
/// DejaVu Sans) rather than their em (2048 units).
const MEASURE_FACTOR: f64 = 2384.0 / 2048.0;

/// The fill of the circles that stand for markers (`#010203`, in no palette).
const MARK_COLOR: RGBColor = RGBColor(1, 2, 3);
/// [`MARK_COLOR`] as `plotters` writes it.
pub(crate) const MARK_FILL: &str = "#010203";
/// Separates attributes inside a marker.
pub(crate) const MARK_ATTR_SEP: char = '\u{E001}';
/// Separates an attribute's name from its value inside a marker.
pub(crate) const MARK_KV_SEP: char = '\u{E002}';

/// Result of a drawing step; errors are `plotters`' messages.
pub(crate) type DrawResult = Result<(), String>;

/// An opaque sRGB colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct Color(pub u8, pub u8, pub u8);

impl Color {
    fn rgb(self) -> RGBColor {
        RGBColor(self.0, self.1, self.2)
    }

    /// This colour mixed with white (`t` = share of white, 0..1).
    pub(crate) fn tint(self, t: f64) -> Color {
        let mix = |c: u8| (f64::from(c) + (255.0 - f64::from(c)) * t).round() as u8;
        Color(mix(self.0), mix(self.1), mix(self.2))
    }
}

/// Where a text's anchor point sits relative to the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Anchor {
    /// Text starts at the point, vertically centred.
    LeftMiddle,
    /// Text ends at the point, vertically centred.
    RightMiddle,
    /// Text centred on the point.
    CenterMiddle,
    /// Text centred horizontally, hanging below the point.
    CenterTop,
}

impl Anchor {
    fn pos(self) -> Pos {
        match self {
            Anchor::LeftMiddle => Pos::new(HPos::Left, VPos::Center),
            Anchor::RightMiddle => Pos::new(HPos::Right, VPos::Center),
            Anchor::CenterMiddle => Pos::new(HPos::Center, VPos::Center),
            Anchor::CenterTop => Pos::new(HPos::Center, VPos::Top),
        }
    }
}

/// Registers DejaVu Sans under [`FAMILY`] (once per process).
pub(crate) fn register_fonts() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // DejaVu Sans is a valid font; failure would only mean measuring
        // falls back to an estimate, see `text_width`.
        let _ = plotters::style::register_font(FAMILY, FontStyle::Normal, dejavu::sans::regular());
    });
}

/// Removes characters that must not reach the SVG: controls (line breaks
/// become spaces) and private-use characters.
pub(crate) fn clean(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_control() {
            if c.is_whitespace() && !out.ends_with(' ') {
                out.push(' ');
            }
        } else if !('\u{E000}'..='\u{F8FF}').contains(&c) && c != '\u{FFFE}' && c != '\u{FFFF}' {
            out.push(c);
        }
    }
    out.trim().to_string()
}

/// Width of `text` in user units at font size `size`, in DejaVu Sans.
pub(crate) fn text_width(text: &str, size: f64) -> f64 {
    // Charts measure the same labels (years, status words, ticks) again and
    // again: remember the widths, per thread, a few thousand at a time.
    thread_local! {
        static WIDTHS: std::cell::RefCell<std::collections::HashMap<(String, u64), f64>> =
            Default::default();
    }
    let key = (text.to_string(), size.to_bits());
    if let Some(w) = WIDTHS.with(|m| m.borrow().get(&key).copied()) {
        return w;
    }
    let w = measure(text, size);
    WIDTHS.with(|m| {
        let mut m = m.borrow_mut();
        if m.len() >= 4096 {
            m.clear();
        }
        m.insert(key, w);
    });
    w
}

/// [`text_width`], measured.
fn measure(text: &str, size: f64) -> f64 {
    register_fonts();
    // Measure at 10× for sub-unit precision (plotters rounds to integers).
    let font = FontDesc::new(
        FontFamily::Name(FAMILY),
        size * 10.0 * MEASURE_FACTOR,
        FontStyle::Normal,
    );
    match font.box_size(text) {
        Ok((w, _)) => f64::from(w) / 10.0,
        Err(_) => text.chars().count() as f64 * size * 0.62,
    }
}

/// `text` (cleaned), shortened with `…` so that it is at most `max_width`
/// units wide at font size `size`.
pub(crate) fn fit(text: &str, size: f64, max_width: f64) -> String {
    let text = clean(text);
    if text_width(&text, size) <= max_width {
        return text;
    }
    let chars: Vec<char> = text.chars().collect();
    let shortened = |k: usize| -> String {
        let mut s: String = chars[..k].iter().collect();
        s.truncate(s.trim_end().len());
        s.push('…');
        s
    };
    // Largest prefix that fits, by bisection.
    let (mut lo, mut hi) = (0usize, chars.len());
    while lo < hi {
        let mid = (lo + hi).div_ceil(2);
        if text_width(&shortened(mid), size) <= max_width {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    shortened(lo)
}

/// `text` (cleaned) on one line if it fits in `max_width`, else broken at a
/// space into two lines, the second shortened with `…` if still too long.
pub(crate) fn wrap2(text: &str, size: f64, max_width: f64) -> Vec<String> {
    let text = clean(text);
    if text_width(&text, size) <= max_width {
        return vec![text];
    }
    let split = text
        .char_indices()
        .filter(|(_, c)| *c == ' ')
        .map(|(i, _)| i)
        .rfind(|i| text_width(&text[..*i], size) <= max_width);
    match split {
        Some(i) => vec![
            text[..i].trim_end().to_string(),
            fit(&text[i..], size, max_width),
        ],
        None => vec![fit(&text, size, max_width)],
    }
}

/// Rounds a user-space coordinate to the backend's integer grid.
fn px(v: f64) -> i32 {
    if v.is_finite() {
        v.round().clamp(-100_000.0, 100_000.0) as i32
    } else {
        0
    }
}

/// Serialises attributes into a marker payload.
fn attr_payload(attrs: &[(&str, &str)]) -> String {
    let mut s = String::new();
    for (i, (k, v)) in attrs.iter().enumerate() {
        if i > 0 {
            s.push(MARK_ATTR_SEP);
        }
        s.push_str(k);
        s.push(MARK_KV_SEP);
        s.push_str(v);
    }
    s
}

/// A drawing surface of `width` × `height` user units.
pub(crate) struct Canvas<'a> {
    area: DrawingArea<SVGBackend<'a>, Shift>,
    width: f64,
    height: f64,
    markers: std::cell::RefCell<Vec<String>>,
}

/// Draws on a new canvas (white, unless `transparent`) and returns
/// `plotters`' raw SVG and the payloads of its markers (marker `r="n"` is
/// payload `n - 1`).
pub(crate) fn draw_svg(
    width: u32,
    height: u32,
    transparent: bool,
    draw: impl FnOnce(&Canvas) -> DrawResult,
) -> Result<(String, Vec<String>), String> {
    register_fonts();
    let mut buf = String::with_capacity(8 * 1024);
    let markers;
    {
        let area = SVGBackend::with_string(&mut buf, (width, height)).into_drawing_area();
        let canvas = Canvas {
            area,
            width: f64::from(width),
            height: f64::from(height),
            markers: Default::default(),
        };
        if !transparent {
            canvas.rect(0.0, 0.0, canvas.width, canvas.height, super::WHITE)?;
        }
        draw(&canvas)?;
        canvas.area.present().map_err(|e| e.to_string())?;
        markers = canvas.markers.into_inner();
    }
    Ok((buf, markers))
}

impl Canvas<'_> {
    /// Width in user units.
    pub(crate) fn width(&self) -> f64 {
        self.width
    }

    /// Height in user units.
    pub(crate) fn height(&self) -> f64 {
        self.height
    }

    fn marker(&self, payload: &str) -> DrawResult {
        let n = {
            let mut markers = self.markers.borrow_mut();
            markers.push(payload.to_string());
            markers.len() as i32
        };
        self.area
            .draw(&Circle::new((0, 0), n, MARK_COLOR.filled()))
            .map_err(|e| e.to_string())
    }

    /// Sets attributes on the next element drawn (replacing any the backend
    /// writes, e.g. `stroke`).
    pub(crate) fn attrs(&self, attrs: &[(&str, &str)]) -> DrawResult {
        self.marker(&format!("a{}", attr_payload(attrs)))
    }

    /// Wraps what `f` draws in `<g class="class">`.
    pub(crate) fn group(&self, class: &str, f: impl FnOnce(&Self) -> DrawResult) -> DrawResult {
        self.group_with(&[("class", class)], f)
    }

    /// Wraps what `f` draws in `<g>` with the given attributes.
    pub(crate) fn group_with(
        &self,
        attrs: &[(&str, &str)],
        f: impl FnOnce(&Self) -> DrawResult,
    ) -> DrawResult {
        self.marker(&format!("g{}", attr_payload(attrs)))?;
        f(self)?;
        self.marker("/g")
    }

    /// A filled rectangle between two corners.
    pub(crate) fn rect(&self, x0: f64, y0: f64, x1: f64, y1: f64, fill: Color) -> DrawResult {
        let style = ShapeStyle::from(fill.rgb()).filled();
        self.area
            .draw(&Rectangle::new([(px(x0), px(y0)), (px(x1), px(y1))], style))
            .map_err(|e| e.to_string())
    }

    /// A rectangle's outline.
    pub(crate) fn stroke_rect(
        &self,
        x0: f64,
        y0: f64,
        x1: f64,
        y1: f64,
        stroke: Color,
        width: u32,
    ) -> DrawResult {
        let style = ShapeStyle::from(stroke.rgb()).stroke_width(width);
        self.area
            .draw(&Rectangle::new([(px(x0), px(y0)), (px(x1), px(y1))], style))
            .map_err(|e| e.to_string())
    }

    /// An open polyline.
    pub(crate) fn line(&self, points: &[(f64, f64)], color: Color, width: u32) -> DrawResult {
        let pts: Vec<(i32, i32)> = points.iter().map(|(x, y)| (px(*x), px(*y))).collect();
        let style = ShapeStyle::from(color.rgb()).stroke_width(width);
        self.area
            .draw(&PathElement::new(pts, style))
            .map_err(|e| e.to_string())
    }

    /// A circle, filled or outlined.
    pub(crate) fn circle(
        &self,
        (x, y): (f64, f64),
        radius: f64,
        color: Color,
        filled: bool,
        stroke_width: u32,
    ) -> DrawResult {
        let mut style = ShapeStyle::from(color.rgb()).stroke_width(stroke_width);
        if filled {
            style = style.filled();
        }
        let r = px(radius).max(1) as u32;
        self.area
            .draw(&Circle::new((px(x), px(y)), r, style))
            .map_err(|e| e.to_string())
    }

    /// A single line of text with a white halo under it, so that it reads
    /// where it crosses a line.
    pub(crate) fn text_halo(
        &self,
        text: &str,
        x: f64,
        y: f64,
        size: f64,
        color: Color,
        anchor: Anchor,
    ) -> DrawResult {
        if clean(text).is_empty() {
            return Ok(());
        }
        self.attrs(&[
            ("stroke", "#FFFFFF"),
            ("stroke-width", "4"),
            ("stroke-linejoin", "round"),
            ("paint-order", "stroke"),
        ])?;
        self.text(text, x, y, size, color, anchor)
    }

    /// A single line of text (cleaned first; nothing is drawn if it is empty).
    pub(crate) fn text(
        &self,
        text: &str,
        x: f64,
        y: f64,
        size: f64,
        color: Color,
        anchor: Anchor,
    ) -> DrawResult {
        let text = clean(text);
        if text.is_empty() {
            return Ok(());
        }
        // Charts draw their texts in a handful of sizes, colours and
        // anchors: each style is made once per thread. Making one looks the
        // font up under `plotters`' lock and copies the font's parsed tables,
        // which its builder (`color`, `pos`) copies again at every step.
        thread_local! {
            static STYLES: RefCell<HashMap<(u64, Color, Anchor), TextStyle<'static>>> =
                RefCell::default();
        }
        STYLES.with(|styles| {
            let mut styles = styles.borrow_mut();
            let key = (size.to_bits(), color, anchor);
            if styles.len() >= 256 && !styles.contains_key(&key) {
                styles.clear();
            }
            let style = styles.entry(key).or_insert_with(|| {
                let font = FontDesc::new(
                    FontFamily::Name(FAMILY),
                    size * SVG_SIZE_FACTOR,
                    FontStyle::Normal,
                );
                TextStyle {
                    font,
                    color: color.rgb().to_backend_color(),
                    pos: anchor.pos(),
                }
            });
            self.area
                .draw(&Text::new(text, (px(x), px(y)), &*style))
                .map_err(|e| e.to_string())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_removes_controls_and_markers() {
        assert_eq!(clean("a\nb\tc\u{E000}d\u{7}"), "a b cd");
        assert_eq!(clean("  R&D <Ops> "), "R&D <Ops>");
    }

    #[test]
    fn fit_shortens_with_ellipsis() {
        let long = "Kabupaten Dengan Nama Yang Sangat Panjang Sekali";
        let short = fit(long, 15.0, 120.0);
        assert!(short.ends_with('…'), "{short}");
        assert!(text_width(&short, 15.0) <= 120.0);
        assert_eq!(fit("Bogor", 15.0, 120.0), "Bogor");
        assert_eq!(fit("Bogor", 15.0, 1.0), "…");
    }

    #[test]
    fn wrap2_breaks_at_a_space() {
        assert_eq!(wrap2("Kota Bogor", 16.0, 200.0), vec!["Kota Bogor"]);
        let lines = wrap2("Kabupaten Bandung Barat Daya Sekali", 16.0, 130.0);
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0], "Kabupaten");
        assert!(lines[1].ends_with('…'));
        assert_eq!(wrap2("Supercalifragilistic", 16.0, 60.0).len(), 1);
    }

    #[test]
    fn width_grows_with_size_and_length() {
        let a = text_width("2016", 15.0);
        assert!(a > 30.0 && a < 45.0, "{a}");
        assert!(text_width("2016", 30.0) > 1.9 * a);
    }
}

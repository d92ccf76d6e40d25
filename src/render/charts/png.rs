//! Rasterising the charts' SVG to PNG with `resvg`, using only the embedded
//! DejaVu Sans (no system fonts), so the output is the same on every machine.

use std::sync::{Arc, OnceLock};

use resvg::tiny_skia::{Color, Pixmap, Transform};
use resvg::usvg::{self, fontdb};

/// Scale of the PNG relative to the SVG's user units (1.5× for sharp text).
const SCALE: f32 = 1.5;

/// Most pixels a PNG gets at [`SCALE`]: a chart that would have more (a tall
/// breakdown of many children) is drawn at 1×. A
/// 640 × 360 chart at 1.5× is 518,400 pixels; a 44-row breakdown at 1.5× would
/// be four times that, which costs time to draw and encode and shows no more.
const PIXEL_BUDGET: f32 = 960.0 * 1000.0;

/// Largest side of the PNG, in pixels, to bound memory use.
const MAX_SIDE: f32 = 8192.0;

/// The font database: DejaVu Sans, also the default for every generic family.
fn fonts() -> Arc<fontdb::Database> {
    static DB: OnceLock<Arc<fontdb::Database>> = OnceLock::new();
    DB.get_or_init(|| {
        let mut db = fontdb::Database::new();
        db.load_font_source(fontdb::Source::Binary(Arc::new(dejavu::sans::regular())));
        db.set_sans_serif_family("DejaVu Sans");
        db.set_serif_family("DejaVu Sans");
        db.set_monospace_family("DejaVu Sans");
        db.set_cursive_family("DejaVu Sans");
        db.set_fantasy_family("DejaVu Sans");
        Arc::new(db)
    })
    .clone()
}

/// Rasterises an SVG produced by this module to PNG bytes at 1.5× scale (960 px
/// wide for a main chart, enough for previews in messages and social posts;
/// 1× for a tall chart, see `PIXEL_BUDGET`), on a white
/// background, with text in the embedded DejaVu Sans only.
///
/// # Errors
///
/// A message when the SVG does not parse, or is empty or huge.
pub fn to_png(svg: &str) -> Result<Vec<u8>, String> {
    rasterise(svg, None)
}

/// Rasterises at any scale (the examples use it to preview phone sizes).
/// `None` for the scale of [`to_png`].
pub(crate) fn rasterise(svg: &str, scale: Option<f32>) -> Result<Vec<u8>, String> {
    let options = usvg::Options {
        font_family: "DejaVu Sans".to_string(),
        fontdb: fonts(),
        ..usvg::Options::default()
    };
    let tree = usvg::Tree::from_str(svg, &options).map_err(|e| format!("invalid SVG: {e}"))?;
    let size = tree.size();
    let scale = scale.unwrap_or(
        if size.width() * size.height() * SCALE * SCALE <= PIXEL_BUDGET {
            SCALE
        } else {
            1.0
        },
    );
    let (w, h) = (size.width() * scale, size.height() * scale);
    if !(w >= 1.0 && h >= 1.0 && w <= MAX_SIDE && h <= MAX_SIDE) {
        return Err(format!("cannot rasterise an SVG of {w}×{h} pixels"));
    }
    let mut pixmap = Pixmap::new(w.ceil() as u32, h.ceil() as u32)
        .ok_or_else(|| "cannot allocate the image".to_string())?;
    pixmap.fill(Color::WHITE);
    resvg::render(
        &tree,
        Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    encode_rgb(&pixmap).map_err(|e| format!("cannot encode PNG: {e}"))
}

/// Encodes an opaque pixmap as an 8-bit RGB PNG with fast compression
/// (fdeflate): several times faster than the default for a few percent more bytes.
fn encode_rgb(pixmap: &Pixmap) -> Result<Vec<u8>, png::EncodingError> {
    let rgb: Vec<u8> = pixmap
        .data()
        .chunks_exact(4)
        .flat_map(|p| [p[0], p[1], p[2]])
        .collect();
    let mut out = Vec::with_capacity(rgb.len() / 8);
    {
        let mut enc = png::Encoder::new(&mut out, pixmap.width(), pixmap.height());
        enc.set_color(png::ColorType::Rgb);
        enc.set_depth(png::BitDepth::Eight);
        enc.set_compression(png::Compression::Fast);
        let mut writer = enc.write_header()?;
        writer.write_image_data(&rgb)?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Layout measures text with `plotters`/`ab_glyph`; it must agree with
    /// what the rasteriser draws, or labels would be cut or overlap.
    #[test]
    fn measuring_agrees_with_rasterising() {
        for text in [
            "Kabupaten Bandung Barat",
            "117,4% ✓ Tercapai",
            "2019",
            "WWW iii",
        ] {
            let width = super::super::canvas::text_width(text, 20.0);
            let svg = format!(
                "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 800 100\">\
                 <text x=\"0\" y=\"50\" font-family=\"DejaVu Sans\" font-size=\"20\">{text}</text></svg>"
            );
            let options = usvg::Options {
                fontdb: fonts(),
                ..usvg::Options::default()
            };
            let tree = usvg::Tree::from_str(&svg, &options).expect("parses");
            let drawn = tree.root().abs_bounding_box().right();
            assert!(
                (f64::from(drawn) - width).abs() < 1.0,
                "{text}: {width} vs {drawn}"
            );
        }
    }

    #[test]
    fn rejects_garbage() {
        assert!(to_png("not svg").is_err());
    }
}

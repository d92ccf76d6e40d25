//! Step **images**: the charts shared as images are files too (every chart is
//! also inline in its page): their SVG, and a PNG unless the previous build's
//! still fits. Runs alongside the Markdown and the pages.

use rayon::prelude::*;

use super::chart_plan::Kind;
use super::chart_views::Charts;
use super::{RenderError, charts};
use crate::urls::Urls;
use crate::write::{Contents, OutputFile, Sink};

/// Writes the SVG and PNG files of every chart that has a PNG URL.
///
/// # Errors
///
/// The first write error. A chart that cannot be rasterised is a warning on
/// the standard error, not an error: its page still shows it inline.
pub fn write(charts: &Charts, urls: &Urls, sink: &dyn Sink) -> Result<(), RenderError> {
    let put = |f: OutputFile| sink.put(f).map_err(RenderError::Write);
    charts
        .par_iter()
        .filter(|(k, c)| k.kind != Kind::Sparkline && c.png_url.is_some())
        .try_for_each(|(_, c)| {
            let svg_path = urls.file(&urls.chart(&format!("{}.svg", c.slug)));
            let png_path = urls.file(&urls.chart(&format!("{}.png", c.slug)));
            put(OutputFile {
                path: svg_path.clone(),
                contents: Contents::Bytes(c.svg.clone().into_bytes()),
            })?;
            // A PNG is a function of its SVG: an unchanged chart keeps its image.
            if sink
                .reuse(&png_path, &svg_path)
                .map_err(RenderError::Write)?
            {
                return Ok(());
            }
            match charts::to_png(&c.svg) {
                Ok(png) => put(OutputFile {
                    path: png_path,
                    contents: Contents::Bytes(png),
                }),
                Err(e) => {
                    eprintln!("warning: chart {} could not be rasterised: {e}", c.slug);
                    Ok(())
                }
            }
        })
}

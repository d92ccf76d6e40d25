//! Step **images**: the charts shared as images are files too (every chart is
//! also inline in its page): their SVG, and a PNG unless the previous build's
//! still fits. Runs alongside the Markdown and the pages.

use rayon::prelude::*;

use super::chart_plan::Kind;
use super::chart_views::Charts;
use super::views::Viewer;
use super::{RenderError, charts};
use crate::write::{Contents, OutputFile, Sink};

/// Writes the SVG and PNG files of every chart that has a PNG URL: the
/// chart with its title, subtitle, source and the site's name around it
/// ([`charts::poster`]), so that a file passed on still says what it shows
/// and whose it is.
///
/// # Errors
///
/// The first write error. A chart that cannot be rasterised is a warning on
/// the standard error, not an error: its page still shows it inline.
pub fn write(v: &Viewer, charts: &Charts, sink: &dyn Sink) -> Result<(), RenderError> {
    let urls = v.urls;
    let site = site_line(v);
    let put = |f: OutputFile| sink.put(f).map_err(RenderError::Write);
    charts
        .par_iter()
        .filter(|(k, c)| k.kind != Kind::Sparkline && c.png_url.is_some())
        .try_for_each(|(_, c)| {
            let svg_path = urls.file(&urls.chart(&format!("{}.svg", c.slug)));
            let png_path = urls.file(&urls.chart(&format!("{}.png", c.slug)));
            let mut source = c.source.clone();
            if c.illustrative {
                source = format!("{source} ({})", v.t("illustrative_short"));
            }
            let file = charts::poster(
                &c.svg,
                &charts::Poster {
                    title: &c.title,
                    subtitle: &c.subtitle,
                    source: &source,
                    site: &site,
                },
            );
            put(OutputFile {
                path: svg_path.clone(),
                contents: Contents::Bytes(file.clone().into_bytes()),
            })?;
            // A PNG is a function of its SVG: an unchanged chart keeps its image.
            if sink
                .reuse(&png_path, &svg_path)
                .map_err(RenderError::Write)?
            {
                return Ok(());
            }
            match charts::to_png(&file) {
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

/// The line that names the site on a chart's files: its title, organisation
/// and address.
fn site_line(v: &Viewer) -> String {
    let config = &v.site.config;
    let mut parts = vec![config.title.get(v.lang).to_string()];
    if let Some(o) = &config.organisation {
        parts.push(o.get(v.lang).to_string());
    }
    let address = config
        .base_url
        .trim_start_matches("https://")
        .trim_start_matches("http://")
        .trim_end_matches('/');
    if !address.is_empty() {
        parts.push(address.to_string());
    }
    parts.join(" · ")
}

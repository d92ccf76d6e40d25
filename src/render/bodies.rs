//! Step **bodies**: the Markdown of every release, meeting and page rendered
//! once, its shortcodes expanded (a block shortcode shared by many bodies is
//! rendered once, see [`shortcodes::Blocks`]).

use rayon::prelude::*;

use super::RenderError;
use super::chart_plan;
use super::chart_views::Charts;
use super::markdown::{MarkdownOptions, Rendered};
use super::shortcodes;
use super::templates::Templates;
use super::views::Viewer;
use crate::diagnostics::Diagnostic;
use crate::validate::shortcodes::Resolved;

/// Markdown of every content item, rendered once.
pub struct Bodies {
    /// Per release, in `Site::releases` order.
    pub releases: Vec<Rendered>,
    /// Per meeting.
    pub meetings: Vec<Rendered>,
    /// Per page.
    pub pages: Vec<Rendered>,
}

/// Renders every body of the site.
///
/// # Errors
///
/// Every shortcode that cannot be rendered (a template error), with its place.
pub fn render(v: &Viewer, templates: &Templates, charts: &Charts) -> Result<Bodies, RenderError> {
    let site = v.site;
    let md = MarkdownOptions {
        html: site.config.allow_html,
    };
    let chart_html = |sc: &Resolved| -> Result<String, Diagnostic> {
        let chart = chart_plan::shortcode_chart_key(v, sc).and_then(|k| charts.get(&k));
        let Some(chart) = chart else {
            return Ok(String::new());
        };
        let mut ctx = tera::Context::new();
        ctx.insert("chart", &**chart);
        templates.render("shortcodes/chart.html", &ctx)
    };
    let blocks = shortcodes::Blocks::default();
    let body = |text: &str, scs: &[Resolved], reserved: &[String]| {
        shortcodes::render_body(v, templates, text, scs, md, &chart_html, &blocks, reserved)
    };
    let releases: Vec<_> = site
        .releases
        .par_iter()
        .map(|r| {
            // A release's cover chart is shown above its body: its ids are taken.
            let cover: Vec<String> = r
                .cover
                .as_ref()
                .and_then(|c| chart_plan::shortcode_chart_key(v, c))
                .and_then(|k| charts.get(&k))
                .map(|c| {
                    c.svg
                        .split(" id=\"")
                        .skip(1)
                        .filter_map(|s| s.split('"').next())
                        .map(str::to_string)
                        .collect()
                })
                .unwrap_or_default();
            body(&r.release.body, &r.shortcodes, &cover)
        })
        .collect();
    let meetings: Vec<_> = site
        .meetings
        .par_iter()
        .map(|m| body(&m.meeting.body, &m.shortcodes, &[]))
        .collect();
    let pages: Vec<_> = site
        .pages
        .par_iter()
        .map(|p| body(&p.page.body, &p.shortcodes, &[]))
        .collect();
    let mut errors: Vec<Diagnostic> = Vec::new();
    let mut ok = |v: Vec<Result<Rendered, Diagnostic>>| -> Vec<Rendered> {
        v.into_iter()
            .filter_map(|r| r.map_err(|d| errors.push(d)).ok())
            .collect()
    };
    let bodies = Bodies {
        releases: ok(releases),
        meetings: ok(meetings),
        pages: ok(pages),
    };
    if errors.is_empty() {
        Ok(bodies)
    } else {
        Err(RenderError::Content(errors))
    }
}

//! Step **bodies**: the Markdown of every release, meeting and page rendered
//! once, its shortcodes expanded (a block shortcode shared by many bodies is
//! rendered once, see [`shortcodes::Blocks`]).

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;
use xxhash_rust::xxh3::Xxh3;

use super::RenderError;
use super::chart_plan;
use super::chart_views::Charts;
use super::markdown::{MarkdownOptions, Rendered};
use super::memo::RenderMemo;
use super::shortcodes;
use super::templates::Templates;
use super::views::Viewer;
use crate::diagnostics::Diagnostic;
use crate::digest;
use crate::validate::shortcodes::Resolved;

/// Markdown of every content item, rendered once.
pub struct Bodies {
    /// Per release, in `Site::releases` order.
    pub releases: Vec<Arc<Rendered>>,
    /// Per meeting.
    pub meetings: Vec<Arc<Rendered>>,
    /// Per page.
    pub pages: Vec<Arc<Rendered>>,
    /// How many were taken from a [`RenderMemo`].
    pub reused: usize,
}

impl Bodies {
    /// How many bodies there are.
    pub fn len(&self) -> usize {
        self.releases.len() + self.meetings.len() + self.pages.len()
    }

    /// Whether there is none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Where rendered bodies are kept from one build for the next, each under
/// a key made of what it is rendered from but the chart inputs: the store
/// gives a body only to a build of the same chart inputs.
pub trait KeptBodies: Sync {
    /// The body kept under `key`, if any (noted as used by this build: a
    /// store keeps for the next build what this one used).
    fn body(&self, key: u128) -> Option<Arc<Rendered>>;
    /// Keeps `body`, rendered by this build, under `key`.
    fn keep_body(&self, key: u128, body: Arc<Rendered>);
}

impl KeptBodies for RenderMemo {
    fn body(&self, key: u128) -> Option<Arc<Rendered>> {
        RenderMemo::body(self, key)
    }

    fn keep_body(&self, key: u128, body: Arc<Rendered>) {
        RenderMemo::keep_body(self, key, body)
    }
}

/// Renders every body of the site, taking those `memo` kept from an earlier
/// build of the same inputs.
///
/// # Errors
///
/// Every shortcode that cannot be rendered (a template error), with its place.
pub fn render(
    v: &Viewer,
    templates: &Templates,
    charts: &Charts,
    memo: Option<&dyn KeptBodies>,
) -> Result<Bodies, RenderError> {
    let site = v.site;
    let md = MarkdownOptions {
        html: site.config.allow_html,
    };
    // What a body is made from besides the chart inputs (which the memo
    // checks): the templates and what they all see, the language, the
    // Markdown options, then the document's text, shortcodes and reserved ids.
    let identity = templates.identity();
    let key = |text: &str, scs: &[Resolved], reserved: &[String]| -> Option<u128> {
        let mut h = Xxh3::new();
        digest::update(&mut h, &(identity?, v.lang.code(), md.html)).ok()?;
        digest::update(&mut h, &(text, scs, reserved)).ok()?;
        Some(h.digest128())
    };
    let reused = AtomicUsize::new(0);
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
        let key = memo.and_then(|_| key(text, scs, reserved));
        if let (Some(memo), Some(key)) = (memo, key)
            && let Some(kept) = memo.body(key)
        {
            reused.fetch_add(1, Ordering::Relaxed);
            return Ok(kept);
        }
        let body = Arc::new(shortcodes::render_body(
            v,
            templates,
            text,
            scs,
            md,
            &chart_html,
            &blocks,
            reserved,
        )?);
        if let (Some(memo), Some(key)) = (memo, key) {
            memo.keep_body(key, body.clone());
        }
        Ok(body)
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
    let mut ok = |v: Vec<Result<Arc<Rendered>, Diagnostic>>| -> Vec<Arc<Rendered>> {
        v.into_iter()
            .filter_map(|r| r.map_err(|d| errors.push(d)).ok())
            .collect()
    };
    let bodies = Bodies {
        releases: ok(releases),
        meetings: ok(meetings),
        pages: ok(pages),
        reused: reused.into_inner(),
    };
    if errors.is_empty() {
        Ok(bodies)
    } else {
        Err(RenderError::Content(errors))
    }
}

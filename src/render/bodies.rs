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

/// Where rendered bodies are kept from one build for the next. A body is
/// found by one of two keys: the *key* of what it is made from but the
/// chart inputs (its text, shortcodes and reserved ids, the language, the
/// options and the templates), which the store mixes with the fingerprint
/// of the chart inputs (a build of the same chart inputs shows the same in
/// every shortcode); and the *shown key*, that key with the digest of what
/// each of its shortcodes shows ([`shortcodes::shown_key`]), which holds
/// whatever the chart inputs: after a change of figures, only the bodies
/// whose shortcodes show something else are rendered again.
pub trait KeptBodies: Sync {
    /// The body kept under `key` by a build of this build's chart inputs,
    /// with its shown key.
    fn body(&self, key: u128) -> Option<(Arc<Rendered>, Option<u128>)>;
    /// The body kept under the shown key `shown`.
    fn body_shown(&self, shown: u128) -> Option<Arc<Rendered>>;
    /// Keeps `body`, which this build has (taken or rendered), under `key`
    /// and `shown`: a store keeps for the next build what this one has.
    fn keep_body(&self, key: u128, shown: Option<u128>, body: Arc<Rendered>);
}

impl KeptBodies for RenderMemo {
    fn body(&self, key: u128) -> Option<(Arc<Rendered>, Option<u128>)> {
        RenderMemo::body(self, key)
    }

    fn body_shown(&self, shown: u128) -> Option<Arc<Rendered>> {
        RenderMemo::body_shown(self, shown)
    }

    fn keep_body(&self, key: u128, shown: Option<u128>, body: Arc<Rendered>) {
        RenderMemo::keep_body(self, key, shown, body)
    }
}

/// Renders every body of the site, taking those `memo` kept from an earlier
/// build (see [`KeptBodies`]).
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
    // What a body is made from besides what its shortcodes show: the
    // templates and what they all see, the language, the Markdown options,
    // then the document's text, shortcodes and reserved ids.
    let identity = templates.identity();
    let key = |text: &str, scs: &[Resolved], reserved: &[String]| -> Option<u128> {
        let mut h = Xxh3::new();
        digest::update(&mut h, &(identity?, v.lang.code(), md.html)).ok()?;
        digest::update(&mut h, &(text, scs, reserved)).ok()?;
        Some(h.digest128())
    };
    let reused = AtomicUsize::new(0);
    let show = |sc: &Resolved| shortcodes::shown(v, sc, charts);
    let blocks = shortcodes::Blocks::default();
    let render = |text: &str, scs: &[Resolved], reserved: &[String]| {
        shortcodes::render_body(templates, text, scs, &show, md, &blocks, reserved).map(Arc::new)
    };
    let body = |text: &str, scs: &[Resolved], reserved: &[String]| {
        let Some((memo, key)) = memo.zip(key(text, scs, reserved)) else {
            return render(text, scs, reserved);
        };
        let (body, shown) = match memo.body(key) {
            Some((kept, shown)) => {
                reused.fetch_add(1, Ordering::Relaxed);
                (kept, shown)
            }
            None => {
                let shown = shortcodes::shown_key(key, scs, &show, &blocks);
                match shown.and_then(|s| memo.body_shown(s)) {
                    Some(kept) => {
                        reused.fetch_add(1, Ordering::Relaxed);
                        (kept, shown)
                    }
                    None => (render(text, scs, reserved)?, shown),
                }
            }
        };
        memo.keep_body(key, shown, body.clone());
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

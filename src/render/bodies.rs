//! Step **bodies**: the Markdown of every release, meeting and page rendered
//! once, its shortcodes expanded (a block shortcode shared by many bodies is
//! rendered once, see [`shortcodes::Blocks`]).

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;

use super::RenderError;
use super::chart_plan;
use super::chart_views::Charts;
use super::data_reads::DataReads;
use super::doc_digests::{self, DocDigests};
use super::markdown::{MarkdownOptions, Rendered};
use super::memo::RenderMemo;
use super::shortcodes;
use super::templates::Templates;
use super::views::Viewer;
use crate::diagnostics::Diagnostic;
use crate::digest;
use crate::validate::shortcodes::Resolved;

/// The bodies of a build in one language with what their shortcodes read
/// of the figures, kept by the memo for the next build: by the key of what
/// each is made from besides the figures (see [`KeptBodies`]), made in the
/// frame of digest `frame` (that of the charts) from `report` and `charts`.
#[derive(Debug)]
pub struct BodyReads {
    /// The digest of the frame.
    pub(super) frame: u128,
    /// The report the bodies read.
    pub(super) report: Arc<crate::compute::Report>,
    /// The charts they showed.
    pub(super) charts: Arc<Charts>,
    /// Each body by its key, with its shown key and what it read.
    pub(super) bodies: BodiesRead,
}

/// Each body of a build by its key, with its shown key and what it read
/// (shared: a body kept by the next build keeps what it read as it was).
pub(super) type BodiesRead = std::collections::HashMap<
    u128,
    (Arc<Rendered>, Option<u128>, Arc<DataReads>),
    ahash::RandomState,
>;

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
    charts: &Arc<Charts>,
    docs: &DocDigests,
    memo: Option<&dyn KeptBodies>,
    by_reads: Option<&RenderMemo>,
) -> Result<Bodies, RenderError> {
    let site = v.site;
    let md = MarkdownOptions {
        html: site.config.allow_html,
    };
    // What a body is made from besides what its shortcodes show: the
    // templates and what they all see, the language, the Markdown options,
    // then the document's text and shortcodes (by their digest, made once
    // per build: see `DocDigests`) and reserved ids.
    let identity = templates.identity();
    let key = |text: Option<u128>, reserved: &[String]| -> Option<u128> {
        digest::of(&(identity?, v.lang.code(), md.html, text?, reserved)).ok()
    };
    let reused = AtomicUsize::new(0);
    let blocks = shortcodes::Blocks::default();
    // With the memo, the bodies of the last build with what their
    // shortcodes read of the figures (see `data_reads`), and what changed
    // since; this build's, kept for the next.
    let report = v.report.shared();
    let frame = by_reads.and_then(|_| super::chart_views::frame(v));
    let before = by_reads
        .zip(frame)
        .and_then(|(m, f)| m.take_body_reads(v.lang, f));
    let changes = by_reads.zip(before.as_ref()).map(|(m, b)| {
        m.changes(
            site.entities.len(),
            (&b.report, &b.charts),
            (&report, charts),
        )
    });
    // Sized at once (grown by doubling, its fresh memory was zeroed and
    // each key hashed again at every step).
    let documents = site.releases.len() + site.meetings.len() + site.pages.len();
    let read_now = std::sync::Mutex::new(BodiesRead::with_capacity_and_hasher(
        if frame.is_some() { documents } else { 0 },
        ahash::RandomState::new(),
    ));
    let body = |text: &str, scs: &[Resolved], text_digest: Option<u128>, reserved: &[String]| {
        // What the shortcodes show, read through a reader that notes it.
        let noted = std::sync::Mutex::new(DataReads::default());
        let nv = v.noting(&noted);
        let show = |sc: &Resolved| shortcodes::shown(&nv, sc, charts);
        let render = || {
            shortcodes::render_body(templates, text, scs, &show, md, &blocks, reserved)
                .map(Arc::new)
        };
        let Some((memo, key)) = memo.zip(key(text_digest, reserved)) else {
            return render();
        };
        // Kept by what it read: the same text, templates and frame, and
        // what its shortcodes read as it was.
        let was = before
            .as_ref()
            .zip(changes.as_ref())
            .and_then(|(b, ch)| b.bodies.get(&key).filter(|(_, _, r)| ch.none_in(r)));
        let kept = match was {
            Some((kept, shown, reads)) => Some((kept.clone(), *shown, Some(reads.clone()))),
            None => memo.body(key).map(|(kept, shown)| (kept, shown, None)),
        };
        let (body, shown, reads) = match kept {
            Some(kept) => {
                reused.fetch_add(1, Ordering::Relaxed);
                kept
            }
            None => {
                let shown = shortcodes::shown_key(key, scs, &show, &blocks);
                match shown.and_then(|s| memo.body_shown(s)) {
                    Some(kept) => {
                        reused.fetch_add(1, Ordering::Relaxed);
                        (kept, shown, None)
                    }
                    None => (render()?, shown, None),
                }
            }
        };
        if frame.is_some() {
            // What a block shortcode shows is made once per build and
            // shared (its reads noted by the first body that showed it):
            // every body notes what each of its shortcodes can read.
            let reads = reads.unwrap_or_else(|| {
                for sc in scs {
                    shortcodes::note_reads(&nv, sc);
                }
                Arc::new(
                    std::mem::take(
                        &mut *noted
                            .lock()
                            .unwrap_or_else(std::sync::PoisonError::into_inner),
                    )
                    .finish(),
                )
            });
            read_now
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .insert(key, (body.clone(), shown, reads));
        }
        memo.keep_body(key, shown, body.clone());
        Ok(body)
    };
    let releases: Vec<_> = site
        .releases
        .par_iter()
        .enumerate()
        .map(|(i, r)| {
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
            let text = docs.release(i).map(|d| d.text);
            body(&r.release.body, &r.shortcodes, text, &cover)
        })
        .collect();
    let meetings: Vec<_> = site
        .meetings
        .par_iter()
        .map(|m| {
            let text = doc_digests::text(&m.meeting.body, &m.shortcodes);
            body(&m.meeting.body, &m.shortcodes, text, &[])
        })
        .collect();
    let pages: Vec<_> = site
        .pages
        .par_iter()
        .map(|p| {
            let text = doc_digests::text(&p.page.body, &p.shortcodes);
            body(&p.page.body, &p.shortcodes, text, &[])
        })
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
    if let (Some(m), Some(frame), true) = (by_reads, frame, errors.is_empty()) {
        let bodies = read_now
            .into_inner()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        m.keep_body_reads(
            v.lang,
            BodyReads {
                frame,
                report,
                charts: charts.clone(),
                bodies,
            },
        );
    }
    drop(changes);
    if let (Some(m), Some(before)) = (by_reads, before) {
        m.free_later(before);
    }
    if errors.is_empty() {
        Ok(bodies)
    } else {
        Err(RenderError::Content(errors))
    }
}

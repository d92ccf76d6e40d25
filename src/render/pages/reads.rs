//! What a page is made from, split in two: the *frame*, what every page of
//! a build is made from but the documents' texts, and the Markdown bodies
//! the page reads (its own, and the first paragraphs a list shows).
//!
//! A page is a function of its template and its values, and its values are
//! a function of the frame and the bodies it reads: a build whose frame has
//! the digest of the last build's takes each page whose bodies are the
//! same as they were, without making its values (`rekap serve`, after an
//! edit of a document's text, the bodies held in memory; `rekap build`,
//! the bodies known by their digests, recorded beside the output). Bodies
//! are read only through a [`BodyReader`], which notes each one a page
//! reads.

use std::sync::{Arc, Mutex, PoisonError};

use rayon::prelude::*;
use xxhash_rust::xxh3::Xxh3;

use super::super::bodies::Bodies;
use super::super::chart_views::Charts;
use super::super::data_reads::{Changes, DataReads};
use super::super::doc_digests::DocDigests;
use super::super::markdown::Rendered;
use super::super::memo::RenderMemo;
use super::super::views::Viewer;
use crate::cache::Fingerprint;
use crate::compute::Report;
use crate::digest;
use crate::validate::Site;

/// A body of the site: of the release, meeting or free page at an index of
/// [`Site`]'s lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum BodyRef {
    /// `Site::releases[i]`.
    Release(u32),
    /// `Site::meetings[i]`.
    Meeting(u32),
    /// `Site::pages[i]`.
    Page(u32),
}

/// The bodies a page's builder reads, each read noted where the page's
/// reads are wanted.
#[derive(Clone, Copy)]
pub struct BodyReader<'a> {
    all: &'a Bodies,
    reads: Option<&'a Mutex<Vec<BodyRef>>>,
}

impl<'a> BodyReader<'a> {
    /// A reader of `all` that notes nothing.
    pub fn new(all: &'a Bodies) -> BodyReader<'a> {
        BodyReader { all, reads: None }
    }

    /// This reader, noting every body read into `reads`.
    pub(super) fn noting(self, reads: &'a Mutex<Vec<BodyRef>>) -> BodyReader<'a> {
        BodyReader {
            reads: Some(reads),
            ..self
        }
    }

    /// Every body, none noted (for comparing them with those kept).
    pub(super) fn all(&self) -> &'a Bodies {
        self.all
    }

    fn note(&self, body: BodyRef) {
        if let Some(reads) = self.reads {
            reads
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push(body);
        }
    }

    /// The body of release `i`.
    pub fn release(&self, i: usize) -> &'a Rendered {
        self.note(BodyRef::Release(i as u32));
        &self.all.releases[i]
    }

    /// The body of meeting `i`.
    pub fn meeting(&self, i: usize) -> &'a Rendered {
        self.note(BodyRef::Meeting(i as u32));
        &self.all.meetings[i]
    }

    /// The body of free page `i`.
    pub fn page(&self, i: usize) -> &'a Rendered {
        self.note(BodyRef::Page(i as u32));
        &self.all.pages[i]
    }
}

/// How the figures enter a build's [`frame`].
#[derive(Debug, Clone, Copy)]
pub(super) enum FiguresIn {
    /// By the fingerprint of the chart inputs (figures, entities, metrics,
    /// settings, strings): any change of a figure changes the frame
    /// (`rekap build`, whose record keeps no page's reads of them).
    Frame(Fingerprint),
    /// By each page's reads ([`DataReads`](super::super::data_reads::DataReads)):
    /// the frame holds the entities, hierarchy, metrics and dimensions, and
    /// the report's periods and years, but no value (`rekap serve`, which
    /// keeps the report and charts each page read from).
    Reads,
}

/// The digest of what every page of the build of `v` is made from but the
/// texts of its documents (their bodies are read through a
/// [`BodyReader`]) and, with [`FiguresIn::Reads`], the values of the report
/// (read through a noting [`ReportReader`](super::super::data_reads::ReportReader)):
/// `around` (what a page's bytes depend on besides its values), the
/// figures as `figures` says, whether charts have PNGs, the editions, and
/// the site with every document's text left out (the releases' by their
/// digests in `docs`). `None` if some value cannot be digested.
pub(super) fn frame(
    v: &Viewer,
    docs: &DocDigests,
    around: u128,
    figures: FiguresIn,
    skip_png: bool,
) -> Option<u128> {
    // Named field by field, so that a field added to the site is not
    // silently left out of the frame.
    let Site {
        config,
        selection,
        // Made from the chart inputs alone: in their fingerprint, or
        // digested below.
        entities,
        hierarchy,
        metrics,
        dimensions,
        // Read by no page but through the report (its values in each
        // page's reads, or in the chart inputs' fingerprint).
        figures: _,
        hidden_figures: _,
        home,
        // By their digests (made once per build, or kept: see `DocDigests`).
        releases: _,
        meetings,
        pages,
        releases_by_entity,
        meetings_by_entity,
        releases_by_meeting,
        named_charts,
    } = v.site;
    // Documents in chunks, side by side (ten thousand releases on a large site).
    fn chunks<T: serde::Serialize + Sync>(docs: &[T]) -> Option<Vec<u128>> {
        docs.par_chunks(256)
            .map(|chunk| {
                let mut h = Xxh3::new();
                digest::update_without_bodies(&mut h, chunk).ok()?;
                Some(h.digest128())
            })
            .collect()
    }
    let editions = match v.editions {
        Some(e) => Some(e.identity()?),
        None => None,
    };
    let mut h = Xxh3::new();
    digest::update(
        &mut h,
        &(
            around,
            v.lang.code(),
            v.chart_inputs.map(|f| f.0),
            skip_png,
            editions,
            (&config.strings.id, &config.strings.en),
        ),
    )
    .ok()?;
    match figures {
        FiguresIn::Frame(chart_inputs) => digest::update(&mut h, &(0u8, chart_inputs.0)).ok()?,
        FiguresIn::Reads => digest::update(
            &mut h,
            &(
                1u8,
                entities,
                hierarchy,
                metrics,
                dimensions,
                v.report.periods(),
                v.report.years(),
            ),
        )
        .ok()?,
    }
    digest::update_without_bodies(
        &mut h,
        &(
            config,
            selection,
            home,
            releases_by_entity,
            meetings_by_entity,
            releases_by_meeting,
            named_charts,
        ),
    )
    .ok()?;
    digest::update(&mut h, &(docs.fronts()?, chunks(meetings)?, chunks(pages)?)).ok()?;
    Some(h.digest128())
}

/// How a build's bodies are known to the next: by the bodies themselves
/// (held in memory, `rekap serve`) or by their digests (recorded beside the
/// output, `rekap build`).
pub trait BodyId: Sync {
    /// Whether `self` and `other` are the same body.
    fn same(&self, other: &Self) -> bool;
}

impl BodyId for Arc<Rendered> {
    fn same(&self, other: &Self) -> bool {
        Arc::ptr_eq(self, other) || self == other
    }
}

impl BodyId for u128 {
    fn same(&self, other: &Self) -> bool {
        self == other
    }
}

/// The digest of a body: of its HTML, first paragraph, headings and ids
/// (these sorted, so that the digest is the same in every process).
pub fn body_digest(r: &Rendered) -> u128 {
    let mut ids: Vec<&String> = r.ids.iter().collect();
    ids.sort_unstable();
    let mut h = Xxh3::new();
    for part in [r.html.as_bytes(), r.first_paragraph.as_bytes()] {
        h.update(&(part.len() as u64).to_le_bytes());
        h.update(part);
    }
    for (level, id, text) in &r.headings {
        h.update(&[*level]);
        for part in [id, text] {
            h.update(&(part.len() as u64).to_le_bytes());
            h.update(part.as_bytes());
        }
    }
    h.update(&(ids.len() as u64).to_le_bytes());
    for id in ids {
        h.update(&(id.len() as u64).to_le_bytes());
        h.update(id.as_bytes());
    }
    h.digest128()
}

/// The digest of every body of `bodies`, by kind (releases, meetings,
/// pages), then index.
pub fn body_digests(bodies: &Bodies) -> [Vec<u128>; 3] {
    let of = |all: &[Arc<Rendered>]| all.par_iter().map(|b| body_digest(b)).collect();
    [
        of(&bodies.releases),
        of(&bodies.meetings),
        of(&bodies.pages),
    ]
}

/// Each page's output path and the bodies it read, by page in the order a
/// build makes them; `None` for a page whose reads are not known.
pub type PageReads = Vec<Option<(String, Box<[BodyRef]>)>>;

/// What the pages of one build in one language read, kept for the next
/// (see [`RenderMemo`] and
/// [`Recorded`](super::super::recorded::Recorded)), its bodies known by
/// `B` (see [`BodyId`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reads<B> {
    /// The digest of the build's [`frame`].
    frame: u128,
    /// Its bodies, by kind (releases, meetings, pages), then index.
    bodies: [Vec<B>; 3],
    /// By page, in the order the build made them: its output path and the
    /// bodies it read; `None` for a page not kept.
    pages: PageReads,
    /// What the pages read of the figures, when the frame holds none of
    /// their values ([`FiguresIn::Reads`]).
    figures: Option<Arc<FiguresRead>>,
}

/// What the pages of a build read of its figures, with the report and
/// charts they read them from (kept in memory by `rekap serve`).
pub(super) struct FiguresRead {
    report: Arc<Report>,
    charts: Arc<Charts>,
    /// By page, in the order the build made them; `None` for a page whose
    /// reads are not known.
    pages: Vec<Option<Arc<DataReads>>>,
}

impl FiguresRead {
    /// What the pages of a build from `report` and `charts` read of them.
    pub(super) fn new(
        report: Arc<Report>,
        charts: Arc<Charts>,
        pages: Vec<Option<Arc<DataReads>>>,
    ) -> FiguresRead {
        FiguresRead {
            report,
            charts,
            pages,
        }
    }

    /// What changed from these figures and charts to `now`'s, a build of
    /// the same `entities` entities (the frame says so).
    pub(super) fn changes(
        &self,
        memo: &RenderMemo,
        entities: usize,
        now: (&Arc<Report>, &Charts),
    ) -> Changes {
        memo.changes(entities, (&self.report, &self.charts), now)
    }

    /// What page `i` read, if it is known.
    pub(super) fn page(&self, i: usize) -> Option<&Arc<DataReads>> {
        self.pages.get(i)?.as_ref()
    }
}

impl std::fmt::Debug for FiguresRead {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FiguresRead")
            .field("pages", &self.pages.len())
            .finish_non_exhaustive()
    }
}

impl PartialEq for FiguresRead {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.report, &other.report)
            && Arc::ptr_eq(&self.charts, &other.charts)
            && self.pages == other.pages
    }
}

impl Eq for FiguresRead {}

impl Reads<Arc<Rendered>> {
    /// The reads of a build of frame `frame` and bodies `bodies`, by page,
    /// with what they read of the figures (if the frame holds none).
    pub(super) fn new(
        frame: u128,
        bodies: &Bodies,
        pages: PageReads,
        figures: Option<FiguresRead>,
    ) -> Self {
        Reads {
            frame,
            bodies: [
                bodies.releases.clone(),
                bodies.meetings.clone(),
                bodies.pages.clone(),
            ],
            pages,
            figures: figures.map(Arc::new),
        }
    }

    /// What the pages read of the figures, if the frame holds none.
    pub(super) fn figures(&self) -> Option<&FiguresRead> {
        self.figures.as_deref()
    }
}

impl<B: BodyId> Reads<B> {
    /// The reads of a build of frame `frame` and bodies `bodies` (by kind,
    /// then index), by page.
    pub fn from_parts(frame: u128, bodies: [Vec<B>; 3], pages: PageReads) -> Self {
        Reads {
            frame,
            bodies,
            pages,
            figures: None,
        }
    }

    /// The frame's digest, bodies and pages' reads.
    pub fn parts(&self) -> (u128, &[Vec<B>; 3], &PageReads) {
        (self.frame, &self.bodies, &self.pages)
    }

    /// The digest of the frame of the build.
    pub(super) fn frame(&self) -> u128 {
        self.frame
    }

    /// Which of `now`'s bodies are those of the build read (by kind, then
    /// index), or `None` if it has others.
    pub(super) fn same_bodies(&self, now: [&[B]; 3]) -> Option<SameBodies> {
        let same = |was: &[B], now: &[B]| -> Option<Vec<bool>> {
            (was.len() == now.len())
                .then(|| was.par_iter().zip(now).map(|(a, b)| a.same(b)).collect())
        };
        Some(SameBodies([
            same(&self.bodies[0], now[0])?,
            same(&self.bodies[1], now[1])?,
            same(&self.bodies[2], now[2])?,
        ]))
    }

    /// The bodies page `i` of the build read, if it was at output path
    /// `path` and kept.
    pub(super) fn page(&self, i: usize, path: &str) -> Option<&[BodyRef]> {
        match self.pages.get(i) {
            Some(Some((p, reads))) if p == path => Some(reads),
            _ => None,
        }
    }
}

/// Which bodies of a build are those of the last (see [`Reads::same_bodies`]).
pub(super) struct SameBodies([Vec<bool>; 3]);

impl SameBodies {
    /// Whether every body of `reads` is as it was.
    pub(super) fn all(&self, reads: &[BodyRef]) -> bool {
        reads.iter().all(|r| {
            let (kind, i) = match *r {
                BodyRef::Release(i) => (0, i),
                BodyRef::Meeting(i) => (1, i),
                BodyRef::Page(i) => (2, i),
            };
            self.0[kind].get(i as usize).copied().unwrap_or(false)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(html: &str, ids: &[&str]) -> Rendered {
        Rendered {
            html: html.to_string(),
            first_paragraph: "Pertama.".to_string(),
            headings: vec![(2, "a".to_string(), "A".to_string())],
            ids: ids.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn a_body_digest_is_of_everything_a_page_reads_of_it_in_any_order_of_its_ids() {
        let d = body_digest(&body("<p>x</p>", &["a", "b", "c", "d", "e"]));
        // The same ids, inserted in another order (a set built otherwise).
        assert_eq!(
            d,
            body_digest(&body("<p>x</p>", &["e", "d", "c", "b", "a"]))
        );
        assert_ne!(
            d,
            body_digest(&body("<p>y</p>", &["a", "b", "c", "d", "e"]))
        );
        assert_ne!(d, body_digest(&body("<p>x</p>", &["a", "b", "c", "d"])));
        let mut other = body("<p>x</p>", &["a", "b", "c", "d", "e"]);
        other.first_paragraph.push('!');
        assert_ne!(d, body_digest(&other));
        other = body("<p>x</p>", &["a", "b", "c", "d", "e"]);
        other.headings[0].2 = "B".to_string();
        assert_ne!(d, body_digest(&other));
        // Parts are delimited: moving text from one to the next tells.
        let mut split = body("<p>x</p>P", &["a", "b", "c", "d", "e"]);
        split.first_paragraph = "ertama.".to_string();
        assert_ne!(d, body_digest(&split));
    }
}

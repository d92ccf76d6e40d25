//! What a page is made from, split in two: the *frame*, what every page of
//! a build is made from but the documents' texts, and the Markdown bodies
//! the page reads (its own, and the first paragraphs a list shows).
//!
//! A page is a function of its template and its values, and its values are
//! a function of the frame and the bodies it reads: a build whose frame has
//! the digest of the last build's takes each page whose bodies are the
//! same as they were, without making its values (`rekap serve`, after an
//! edit of a document's text). Bodies are read only through a
//! [`BodyReader`], which notes each one a page reads.

use std::sync::{Arc, Mutex, PoisonError};

use rayon::prelude::*;
use xxhash_rust::xxh3::Xxh3;

use super::super::bodies::Bodies;
use super::super::markdown::Rendered;
use super::super::views::Viewer;
use crate::cache::Fingerprint;
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

/// The digest of what every page of the build of `v` is made from but the
/// texts of its documents (their bodies are read through a
/// [`BodyReader`]): `around` (what a page's bytes depend on besides its
/// values), the fingerprint of the chart inputs `chart_inputs`, whether
/// charts have PNGs, the editions, and the site with every document's text
/// left out. `None` if some value cannot be digested.
pub(super) fn frame(
    v: &Viewer,
    around: u128,
    chart_inputs: Fingerprint,
    skip_png: bool,
) -> Option<u128> {
    // Named field by field, so that a field added to the site is not
    // silently left out of the frame.
    let Site {
        config,
        selection,
        // The entities, their hierarchy, the metrics, dimensions and
        // figures (and so the report, its formatted values and the
        // charts drawn from them and the shortcodes) are made from the
        // chart inputs alone: they are in `chart_inputs`.
        entities: _,
        hierarchy: _,
        metrics: _,
        dimensions: _,
        figures: _,
        hidden_figures: _,
        home,
        releases,
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
            chart_inputs.0,
            v.chart_inputs.map(|f| f.0),
            skip_png,
            editions,
            (&config.strings.id, &config.strings.en),
        ),
    )
    .ok()?;
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
    digest::update(
        &mut h,
        &(chunks(releases)?, chunks(meetings)?, chunks(pages)?),
    )
    .ok()?;
    Some(h.digest128())
}

/// What the pages of one build in one language read, kept for the next
/// (see [`RenderMemo`](super::super::memo::RenderMemo)).
#[derive(Debug)]
pub struct Reads {
    /// The digest of the build's [`frame`].
    frame: u128,
    /// Its bodies.
    bodies: [Vec<Arc<Rendered>>; 3],
    /// By page, in the order the build made them: its output path and the
    /// bodies it read; `None` for a page not kept.
    pages: Vec<Option<(String, Box<[BodyRef]>)>>,
}

impl Reads {
    /// The reads of a build of frame `frame` and bodies `bodies`, by page.
    pub(super) fn new(
        frame: u128,
        bodies: &Bodies,
        pages: Vec<Option<(String, Box<[BodyRef]>)>>,
    ) -> Reads {
        Reads {
            frame,
            bodies: [
                bodies.releases.clone(),
                bodies.meetings.clone(),
                bodies.pages.clone(),
            ],
            pages,
        }
    }

    /// The digest of the frame of the build.
    pub(super) fn frame(&self) -> u128 {
        self.frame
    }

    /// Which of `now`'s bodies are those of the build read (by kind, then
    /// index), or `None` if it has others.
    pub(super) fn same_bodies(&self, now: &Bodies) -> Option<SameBodies> {
        let same = |was: &[Arc<Rendered>], now: &[Arc<Rendered>]| -> Option<Vec<bool>> {
            (was.len() == now.len()).then(|| {
                was.par_iter()
                    .zip(now)
                    .map(|(a, b)| Arc::ptr_eq(a, b) || a == b)
                    .collect()
            })
        };
        Some(SameBodies([
            same(&self.bodies[0], &now.releases)?,
            same(&self.bodies[1], &now.meetings)?,
            same(&self.bodies[2], &now.pages)?,
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

//! Step **pages**: one function per kind of page builds the template context
//! from the decided site and names the template and the path; every page is
//! then rendered and handed to the sink, in parallel, one at a time per
//! thread, so that only the contexts being rendered are alive at once.

mod common;
mod documents;
mod entity;
mod lists;
pub mod reads;
pub mod values;
mod years;

use std::collections::HashSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use rayon::prelude::*;
use reads::BodyRef;
use values::{Mode, Values};

use super::chart_plan::ChartKey;
use super::chart_views::{ChartView, Charts};
use super::data_reads::DataReads;
use super::templates::Templates;
use super::views::Viewer;
use super::{RenderError, RenderOptions, relative};
use crate::digest;
use crate::write::{Contents, OutputFile, Sink};

pub use entity::{Breakdown, breakdown};
pub use lists::{Latest, ListRows, RELEASES_PER_PAGE, release_pages};

/// A page to render: its site path, template and context.
pub struct PageJob {
    /// Site path (`/regions/gorontalo/`).
    pub path: String,
    /// Template name.
    pub template: &'static str,
    /// Template values.
    pub context: Values,
}

/// What every page builder reads: the site's values, its drawn charts and
/// its rendered Markdown.
#[derive(Clone, Copy)]
pub struct Pages<'a> {
    /// Formatted values, names, links and URLs.
    pub v: &'a Viewer<'a>,
    /// Every chart drawn for the build before the pages (an entity page
    /// draws the charts only it shows, if they are not here).
    pub charts: &'a std::sync::Arc<Charts>,
    /// The charts the page being built drew for itself.
    pub own: Option<&'a Charts>,
    /// Every Markdown body, rendered (each read noted where wanted).
    pub bodies: reads::BodyReader<'a>,
    /// What the builders keep of the values they set.
    pub values: values::Mode,
    /// Where an entity page takes the digest of its figures from when they
    /// are made from the same chart inputs as in the last build, and keeps
    /// it (`rekap build`'s record, `rekap serve`'s memo).
    pub figures: Option<&'a dyn super::recorded::KeptFigures>,
    /// Each entity's latest value per metric, for the lists of entities.
    pub latest: &'a Latest<'a>,
    /// The digests of the releases (for the frame).
    pub docs: &'a super::doc_digests::DocDigests,
}

impl<'a> Pages<'a> {
    /// The drawn chart for `key`, if it was drawn.
    pub fn chart(&self, key: &ChartKey) -> Option<&'a ChartView> {
        self.v.report.note_chart(key);
        self.own
            .and_then(|own| own.get(key))
            .or_else(|| self.charts.get(key))
            .map(|c| &**c)
    }
}

/// A page of the site: what it is, not yet its context.
#[derive(Debug, Clone, Copy)]
enum Spec {
    Home,
    Entities(lists::EntityOrder),
    Releases(usize),
    Meetings,
    Years,
    NotFound,
    Search,
    Entity(usize),
    Release(usize),
    Meeting(usize),
    Year(i32),
    Page(usize),
    Taxonomy(usize),
    Term(usize, usize),
}

/// Every page of the site.
fn specs(v: &Viewer) -> Vec<Spec> {
    let site = v.site;
    let mut specs = vec![
        Spec::Home,
        Spec::Meetings,
        Spec::Years,
        Spec::NotFound,
        Spec::Search,
    ];
    specs.extend(lists::entity_orders(v).into_iter().map(Spec::Entities));
    specs.extend((1..=release_pages(v)).map(Spec::Releases));
    specs.extend((0..site.entities.len()).map(Spec::Entity));
    specs.extend((0..site.releases.len()).map(Spec::Release));
    specs.extend((0..site.meetings.len()).map(Spec::Meeting));
    specs.extend(v.index.years.iter().copied().map(Spec::Year));
    specs.extend((0..site.pages.len()).map(Spec::Page));
    for (ti, tax) in v.index.taxonomies.iter().enumerate() {
        specs.push(Spec::Taxonomy(ti));
        specs.extend((0..tax.terms.len()).map(|i| Spec::Term(ti, i)));
    }
    specs
}

/// The site path of the page `spec` (what its builder puts in
/// [`PageJob::path`]), known without building the page.
fn spec_path(v: &Viewer, spec: Spec) -> String {
    let site = v.site;
    let urls = v.urls;
    let taxonomies = &v.index.taxonomies;
    match spec {
        Spec::Home => urls.home(),
        Spec::Entities(order) => lists::entities_path(v, order),
        Spec::Releases(n) => urls.releases_page(n),
        Spec::Meetings => urls.meetings(),
        Spec::Years => urls.years(),
        Spec::NotFound => urls.not_found(),
        Spec::Search => urls.search(),
        Spec::Entity(e) => urls.entity(&site.entities[e].id),
        Spec::Release(i) => urls.release(&site.releases[i].release.slug),
        Spec::Meeting(i) => urls.meeting(&site.meetings[i].meeting.slug),
        Spec::Year(y) => urls.year(y),
        Spec::Page(i) => urls.page(&site.pages[i].page.slug),
        Spec::Taxonomy(t) => urls.taxonomy(taxonomies[t].taxonomy.key()),
        Spec::Term(t, i) => urls.term(taxonomies[t].taxonomy.key(), &taxonomies[t].terms[i].slug),
    }
}

/// The site path of every page of the site, the 404 page included, as
/// [`write()`] writes them (the language editions link their pages to each
/// other's with these).
pub fn paths(v: &Viewer) -> Vec<String> {
    specs(v).into_iter().map(|s| spec_path(v, s)).collect()
}

/// The page `spec`.
///
/// # Errors
///
/// The error of a template some page's values are rendered with (the list
/// of entities' rows).
fn job(p: &Pages, spec: Spec) -> Result<PageJob, RenderError> {
    let taxonomies = &p.v.index.taxonomies;
    Ok(match spec {
        Spec::Home => entity::home(p),
        Spec::Entities(order) => lists::entities(p, order)?,
        Spec::Releases(n) => lists::releases(p, n),
        Spec::Meetings => lists::meetings(p),
        Spec::Years => years::years(p),
        Spec::NotFound => lists::not_found(p),
        Spec::Search => lists::search(p),
        Spec::Entity(e) => entity::entity(p, e),
        Spec::Release(i) => documents::release(p, i),
        Spec::Meeting(i) => documents::meeting(p, i),
        Spec::Year(y) => years::year(p, y),
        Spec::Page(i) => documents::page(p, i),
        Spec::Taxonomy(t) => lists::taxonomy(p, &taxonomies[t]),
        Spec::Term(t, i) => lists::term(p, taxonomies[t].taxonomy, &taxonomies[t].terms[i]),
    })
}

/// Renders every page and hands it to `sink`, taking from `opts.memo` each
/// page whose values are those it was kept with. Returns the site paths of
/// the pages (for the sitemap; the 404 page is not one of them) and how many
/// were taken from the memo.
///
/// # Errors
///
/// Every template error (all pages are tried), or the first write error.
pub fn write(
    p: &Pages,
    templates: &Templates,
    opts: RenderOptions,
    sink: &dyn Sink,
) -> Result<(Vec<String>, usize), RenderError> {
    let urls = p.v.urls;
    let lang = p.v.lang;
    let glossary = super::abbr::Glossary::new(p.v);
    // What every page's bytes depend on besides its own values.
    let around = templates.identity().and_then(|identity| {
        let editions =
            p.v.editions
                .map(|e| (e.folder(lang).to_string(), e.root_base_path.clone()));
        digest::of(&(
            identity,
            &glossary,
            opts.relative_urls,
            &urls.base_path,
            editions,
        ))
        .ok()
    });
    let memo = opts.memo.filter(|_| around.is_some());
    let recorded = opts.recorded.filter(|_| around.is_some());
    // With pages kept, each page's values are first only digested, and made
    // into the template's values only for the pages not kept; else both at once.
    let kept_before =
        memo.is_some_and(|m| m.has_pages(lang)) || recorded.is_some_and(|r| r.has_pages(lang));
    let (first, second) = match (memo, recorded) {
        (None, None) => (Mode::Context, None),
        _ if kept_before => (Mode::Digest, Some(Mode::Context)),
        _ => (Mode::Both, None),
    };
    // What every page is made from but the bodies it reads; the pages of
    // the last build of the same, with the bodies each read. Taken out of
    // the memo: put back only when this build has made every page.
    // (In memory with the memo, `rekap serve`; else recorded beside the
    // output, the bodies known by their digests, `rekap build`.)
    let recorded_reads = recorded.filter(|_| memo.is_none());
    // The memo keeps the report and charts each page read from, so the
    // figures enter its frame by each page's reads; the record keeps no
    // figures, so they enter the frame whole.
    let figures_in = match (memo, recorded_reads) {
        (Some(memo), _) => memo.chart_inputs().map(|_| reads::FiguresIn::Reads),
        (None, Some(recorded)) => Some(reads::FiguresIn::Frame(recorded.chart_inputs)),
        (None, None) => None,
    };
    let frame = around
        .zip(figures_in)
        .and_then(|(around, figures)| reads::frame(p.v, p.docs, around, figures, opts.skip_png));
    let by_reads = memo.is_some() && frame.is_some();
    let all = p.bodies.all();
    let before = memo
        .and_then(|m| m.take_reads(lang))
        .filter(|r| Some(r.frame()) == frame);
    // What changed of the figures and charts each page read (in the memo).
    let report = p.v.report.shared();
    let changes = memo
        .zip(before.as_ref().and_then(|b| b.figures()))
        .map(|(memo, f)| {
            let n = p.v.site.entities.len();
            (f, f.changes(memo, n, (&report, p.charts)))
        });
    // Whether page `k` of the last build read the figures it would read now.
    let figures_same = |k: usize| match (&changes, by_reads) {
        (Some((before, changes)), true) => before.page(k).is_some_and(|r| changes.none_in(r)),
        (None, true) => false,
        // In the frame.
        (_, false) => true,
    };
    let digests = recorded_reads.zip(frame).map(|_| reads::body_digests(all));
    let before_recorded = recorded_reads
        .and_then(|r| r.reads(lang))
        .filter(|r| Some(r.frame()) == frame);
    let same = match (&before, before_recorded, &digests) {
        (Some(before), ..) => before.same_bodies([&all.releases, &all.meetings, &all.pages]),
        (None, Some(before), Some(now)) => before.same_bodies([&now[0], &now[1], &now[2]]),
        _ => None,
    };
    let read_before = |k: usize, path: &str| match (&before, before_recorded) {
        (Some(before), _) => before.page(k, path),
        (None, Some(before)) => before.page(k, path),
        (None, None) => None,
    };
    // Hands over the page at `path` as the last build made it, if that
    // build's page is at hand (in the memo; in the output, with the digest
    // it recorded). Returns whether it was.
    let keep_as_it_was = |path: &String| -> Result<bool, RenderError> {
        if let Some(memo) = memo {
            let Some(kept) = memo.page_bytes(lang, path) else {
                return Ok(false);
            };
            let file = OutputFile {
                path: path.clone(),
                contents: Contents::Shared(kept),
            };
            sink.put(file).map_err(RenderError::Write)?;
            return Ok(true);
        }
        let Some((recorded, digest)) = recorded.and_then(|r| Some((r, r.digest(lang, path)?)))
        else {
            return Ok(false);
        };
        if sink.keep(path).map_err(RenderError::Write)?.is_none() {
            return Ok(false);
        }
        recorded.record(lang, path, digest);
        Ok(true)
    };
    let page_job =
        |spec: Spec, mode: Mode, noting: Option<(&Mutex<Vec<BodyRef>>, &Mutex<DataReads>)>| {
            let (bodies, v) = match noting {
                Some((reads, data)) => (p.bodies.noting(reads), p.v.noting(data)),
                None => (p.bodies, *p.v),
            };
            let pages = Pages {
                v: &v,
                values: mode,
                bodies,
                ..*p
            };
            let mut job = job(&pages, spec)?;
            debug_assert_eq!(job.path, spec_path(p.v, spec));
            if let Some(editions) = p.v.editions {
                let versions = editions.translations(lang, &job.path);
                // `hreflang` links only between versions that exist.
                let alternates: Vec<_> = versions.iter().filter(|t| t.exists).collect();
                if alternates.len() > 1 {
                    job.context.insert("alternates", &alternates);
                }
                job.context.insert("translations", &versions);
            }
            Ok::<_, RenderError>(job)
        };
    let reused = AtomicUsize::new(0);
    type Made = (
        String,
        Option<String>,
        Option<Box<[BodyRef]>>,
        Option<Arc<DataReads>>,
    );
    // Pages cost from microseconds (a list) to a tenth of a second (an
    // office's page and its charts): small leaves keep the rest of the list
    // open to the other threads (rayon otherwise runs long runs of pages on
    // one thread, the others idle but for the charts inside them).
    let results: Vec<Result<Made, RenderError>> = specs(p.v)
        .par_iter()
        .with_max_len(1)
        .enumerate()
        .map(|(k, &spec)| {
            // A page of the same frame whose bodies are as they were: as it
            // was (in the memo, or in the output with its recorded digest).
            if let Some(same) = &same {
                let site_path = spec_path(p.v, spec);
                let path = urls.file(&site_path);
                if let Some(read) = read_before(k, &path)
                    && same.all(read)
                    && figures_same(k)
                    && keep_as_it_was(&path)?
                {
                    reused.fetch_add(1, Ordering::Relaxed);
                    let page_path = (!matches!(spec, Spec::NotFound)).then_some(site_path);
                    let data = changes.as_ref().and_then(|(b, _)| b.page(k)).cloned();
                    return Ok((path, page_path, Some(read.into()), data));
                }
            }
            let noted = Mutex::new(Vec::new());
            let noted_data = Mutex::new(DataReads::default());
            let mut job = page_job(
                spec,
                first,
                frame.is_some().then_some((&noted, &noted_data)),
            )?;
            let path = urls.file(&job.path);
            let page_path = (!matches!(spec, Spec::NotFound)).then(|| job.path.clone());
            let digest = around
                .zip(job.context.digest())
                .and_then(|(around, values)| {
                    digest::of(&(around, job.template, &path, values)).ok()
                });
            // What the page read, if it is kept in the memo with its digest.
            let read = (frame.is_some() && digest.is_some()).then(|| {
                let mut read = noted.into_inner().unwrap_or_else(PoisonError::into_inner);
                read.sort_unstable();
                read.dedup();
                read.into_boxed_slice()
            });
            let data = (by_reads && read.is_some()).then(|| {
                Arc::new(
                    noted_data
                        .into_inner()
                        .unwrap_or_else(PoisonError::into_inner)
                        .finish(),
                )
            });
            if let (Some(memo), Some(digest)) = (memo, digest)
                && let Some(kept) = memo.page(lang, &path, digest)
            {
                reused.fetch_add(1, Ordering::Relaxed);
                sink.put(OutputFile {
                    path: path.clone(),
                    contents: Contents::Shared(kept),
                })
                .map_err(RenderError::Write)?;
                return Ok((path, page_path, read, data));
            }
            if let (Some(recorded), Some(digest)) = (recorded, digest) {
                recorded.record(lang, &path, digest);
                if recorded.was(lang, &path, digest)
                    && sink.keep(&path).map_err(RenderError::Write)?.is_some()
                {
                    reused.fetch_add(1, Ordering::Relaxed);
                    return Ok((path, page_path, read, data));
                }
            }
            if let Some(mode) = second {
                job = page_job(spec, mode, None)?;
            }
            let Some(context) = job.context.context() else {
                unreachable!("the values of a page to render are made for its template")
            };
            let html = templates
                .render(job.template, context)
                .map_err(|d| RenderError::Content(vec![d]))?;
            let html = if glossary.is_empty() {
                html
            } else {
                super::abbr::apply(&html, &glossary)
            };
            let html = if opts.relative_urls {
                match p.v.editions {
                    // Relative to the root of the whole site, so that links
                    // to the other languages' pages are made relative too.
                    Some(e) => relative::relativize(
                        &html,
                        &format!("{}{path}", e.folder(lang)),
                        &e.root_base_path,
                    ),
                    None => relative::relativize(&html, &path, &urls.base_path),
                }
            } else {
                html
            };
            let contents = match (memo, digest) {
                (Some(memo), Some(digest)) => {
                    let bytes = bytes::Bytes::from(html.into_bytes());
                    memo.keep_page(lang, &path, digest, bytes.clone());
                    Contents::Shared(bytes)
                }
                _ => Contents::Bytes(html.into_bytes()),
            };
            sink.put(OutputFile {
                path: path.clone(),
                contents,
            })
            .map_err(RenderError::Write)?;
            Ok((path, page_path, read, data))
        })
        .collect();
    let mut paths = Vec::with_capacity(results.len());
    let mut files = HashSet::with_capacity(results.len());
    let mut read = Vec::with_capacity(results.len());
    let mut data = Vec::with_capacity(results.len());
    let mut errors = Vec::new();
    for r in results {
        match r {
            Ok((file, path, r, d)) => {
                read.push(r.map(|r| (file.clone(), r)));
                data.push(d);
                files.insert(file);
                paths.extend(path);
            }
            Err(RenderError::Content(d)) => errors.extend(d),
            Err(e @ RenderError::Write(_)) => return Err(e),
        }
    }
    if !errors.is_empty() {
        errors.sort_by(|a, b| a.origin.cmp(&b.origin));
        errors.dedup();
        return Err(RenderError::Content(errors));
    }
    // The memo keeps this build's pages, no other, and what they read.
    if let Some(memo) = memo {
        memo.retain_pages(lang, &files);
        if let Some(frame) = frame {
            let figures = by_reads.then(|| reads::FiguresRead::new(report, p.charts.clone(), data));
            memo.keep_reads(lang, reads::Reads::new(frame, all, read, figures));
        }
        // The last build's report and charts, freed aside (they may be
        // the last to hold them).
        drop(changes);
        if let Some(before) = before {
            memo.free_later(before);
        }
    } else if let (Some(recorded), Some(frame), Some(digests)) = (recorded_reads, frame, digests) {
        recorded.record_reads(lang, reads::Reads::from_parts(frame, digests, read));
    }
    Ok((paths, reused.into_inner()))
}

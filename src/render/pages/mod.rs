//! Step **pages**: one function per kind of page builds the template context
//! from the decided site and names the template and the path; every page is
//! then rendered and handed to the sink, in parallel, one at a time per
//! thread, so that only the contexts being rendered are alive at once.

mod common;
mod documents;
mod entity;
mod lists;
mod years;

use rayon::prelude::*;
use tera::Context;

use super::bodies::Bodies;
use super::chart_plan::ChartKey;
use super::chart_views::{ChartView, Charts};
use super::templates::Templates;
use super::views::Viewer;
use super::{RenderError, RenderOptions, relative};
use crate::write::{Contents, OutputFile, Sink};

pub use entity::breakdown;
pub use lists::{RELEASES_PER_PAGE, release_pages};

/// A page to render: its site path, template and context.
pub struct PageJob {
    /// Site path (`/regions/gorontalo/`).
    pub path: String,
    /// Template name.
    pub template: &'static str,
    /// Template context.
    pub context: Context,
}

/// What every page builder reads: the site's values, its drawn charts and
/// its rendered Markdown.
pub struct Pages<'a> {
    /// Formatted values, names, links and URLs.
    pub v: &'a Viewer<'a>,
    /// Every chart drawn for the build.
    pub charts: &'a Charts,
    /// Every Markdown body, rendered.
    pub bodies: &'a Bodies,
}

impl<'a> Pages<'a> {
    /// The drawn chart for `key`, if it was drawn.
    pub fn chart(&self, key: &ChartKey) -> Option<&'a ChartView> {
        self.charts.get(key).map(|c| &**c)
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

fn job(p: &Pages, spec: Spec) -> PageJob {
    let taxonomies = &p.v.index.taxonomies;
    match spec {
        Spec::Home => entity::home(p),
        Spec::Entities(order) => lists::entities(p, order),
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
    }
}

/// Renders every page and hands it to `sink`. Returns the site paths of the
/// pages (for the sitemap; the 404 page is not one of them).
///
/// # Errors
///
/// Every template error (all pages are tried), or the first write error.
pub fn write(
    p: &Pages,
    templates: &Templates,
    opts: RenderOptions,
    sink: &dyn Sink,
) -> Result<Vec<String>, RenderError> {
    let urls = p.v.urls;
    let glossary = super::abbr::Glossary::new(p.v);
    let results: Vec<Result<Option<String>, RenderError>> = specs(p.v)
        .par_iter()
        .map(|&spec| {
            let mut job = job(p, spec);
            debug_assert_eq!(job.path, spec_path(p.v, spec));
            if let Some(editions) = p.v.editions {
                let versions = editions.translations(p.v.lang, &job.path);
                // `hreflang` links only between versions that exist.
                let alternates: Vec<_> = versions.iter().filter(|t| t.exists).collect();
                if alternates.len() > 1 {
                    job.context.insert("alternates", &alternates);
                }
                job.context.insert("translations", &versions);
            }
            let html = templates
                .render(job.template, &job.context)
                .map_err(|d| RenderError::Content(vec![d]))?;
            let html = if glossary.is_empty() {
                html
            } else {
                super::abbr::apply(&html, &glossary)
            };
            let path = urls.file(&job.path);
            let html = if opts.relative_urls {
                match p.v.editions {
                    // Relative to the root of the whole site, so that links
                    // to the other languages' pages are made relative too.
                    Some(e) => relative::relativize(
                        &html,
                        &format!("{}{path}", e.folder(p.v.lang)),
                        &e.root_base_path,
                    ),
                    None => relative::relativize(&html, &path, &urls.base_path),
                }
            } else {
                html
            };
            sink.put(OutputFile {
                path,
                contents: Contents::Bytes(html.into_bytes()),
            })
            .map_err(RenderError::Write)?;
            Ok((!matches!(spec, Spec::NotFound)).then_some(job.path))
        })
        .collect();
    let mut paths = Vec::with_capacity(results.len());
    let mut errors = Vec::new();
    for r in results {
        match r {
            Ok(path) => paths.extend(path),
            Err(RenderError::Content(d)) => errors.extend(d),
            Err(e @ RenderError::Write(_)) => return Err(e),
        }
    }
    if !errors.is_empty() {
        errors.sort_by(|a, b| a.origin.cmp(&b.origin));
        errors.dedup();
        return Err(RenderError::Content(errors));
    }
    Ok(paths)
}

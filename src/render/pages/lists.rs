//! Index pages: entities, releases (paginated), meetings, taxonomies and
//! their terms, search, and the page for a missing path.

use serde::Serialize;
use serde_json::json;

use super::super::views::{Link, Viewer};
use super::common::*;
use super::{PageJob, Pages};
use crate::compute::{Taxonomy, TaxonomyIndex, Term};
use crate::validate::EntityIdx;

#[derive(Serialize)]
pub(super) struct TreeNode {
    #[serde(skip)]
    pub(super) entity: EntityIdx,
    pub(super) link: Link,
    pub(super) kind_label: String,
    pub(super) depth: usize,
}

pub(super) fn tree(v: &Viewer) -> Vec<TreeNode> {
    fn walk(v: &Viewer, e: EntityIdx, depth: usize, out: &mut Vec<TreeNode>) {
        out.push(TreeNode {
            entity: e,
            link: v.entity_link(e),
            kind_label: v.level_name(e),
            depth,
        });
        for &k in v.site.hierarchy.children(e) {
            walk(v, k, depth + 1, out);
        }
    }
    let mut out = Vec::new();
    for e in 0..v.site.entities.len() {
        if v.site.hierarchy.parent(e).is_none() {
            walk(v, e, 0, &mut out);
        }
    }
    out
}

/// The list of entities, as a tree.
pub(super) fn entities(p: &Pages) -> PageJob {
    let v = p.v;
    let path = v.urls.entities();
    let mut c = ctx_with(meta(
        v,
        "entities",
        v.t("regions").to_string(),
        v.t("entity_pages").to_string(),
        &path,
    ));
    c.insert("tree", &tree(v));
    PageJob {
        path,
        template: "entities.html",
        context: c,
    }
}

/// The list of releases, newest first.
pub(super) fn releases(p: &Pages, page: usize) -> PageJob {
    let (v, b) = (p.v, p.bodies);
    let pages = release_pages(v);
    let url_of = |p: usize| v.urls.releases_page(p);
    let path = url_of(page);
    let title = if page <= 1 {
        v.t("releases").to_string()
    } else {
        format!("{} ({page}/{pages})", v.t("releases"))
    };
    let mut c = ctx_with(meta(
        v,
        "releases",
        title,
        v.t("all_releases").to_string(),
        &path,
    ));
    let start = (page - 1) * RELEASES_PER_PAGE;
    let end = (start + RELEASES_PER_PAGE).min(v.site.releases.len());
    let items: Vec<ReleaseItem> = (start..end).map(|i| release_item(v, b, i)).collect();
    c.insert("releases", &items);
    c.insert(
        "pagination",
        &json!({
            "current": page,
            "total": pages,
            "prev": (page > 1).then(|| url_of(page - 1)),
            "next": (page < pages).then(|| url_of(page + 1)),
        }),
    );
    PageJob {
        path,
        template: "releases.html",
        context: c,
    }
}

/// Releases per page of the release list.
pub const RELEASES_PER_PAGE: usize = 50;

/// Number of pages of the release list (at least one).
pub fn release_pages(v: &Viewer) -> usize {
    v.site.releases.len().div_ceil(RELEASES_PER_PAGE).max(1)
}

/// The list of meetings, newest first.
pub(super) fn meetings(p: &Pages) -> PageJob {
    let (v, b) = (p.v, p.bodies);
    let path = v.urls.meetings();
    let mut c = ctx_with(meta(
        v,
        "meetings",
        v.t("meetings").to_string(),
        v.t("all_meetings").to_string(),
        &path,
    ));
    let items: Vec<MeetingItem> = (0..v.site.meetings.len())
        .map(|i| meeting_item(v, b, i))
        .collect();
    c.insert("meetings", &items);
    PageJob {
        path,
        template: "meetings.html",
        context: c,
    }
}

/// A term as the taxonomy page lists it.
#[derive(Serialize)]
pub(super) struct TermView<'a> {
    pub(super) name: &'a str,
    pub(super) slug: &'a str,
    pub(super) url: String,
    pub(super) count: usize,
}

pub(super) fn term_view<'a>(v: &Viewer, tax: Taxonomy, t: &'a Term) -> TermView<'a> {
    TermView {
        name: &t.name,
        slug: &t.slug,
        url: v.urls.term(tax.key(), &t.slug),
        count: t.releases.len(),
    }
}

/// The index of a taxonomy (`/tags/`).
pub(super) fn taxonomy(p: &Pages, index: &TaxonomyIndex) -> PageJob {
    let v = p.v;
    let tax = index.taxonomy;
    let path = v.urls.taxonomy(tax.key());
    let mut c = ctx_with(meta(
        v,
        "taxonomy",
        v.t(tax.key()).to_string(),
        v.t(tax.key()).to_string(),
        &path,
    ));
    let terms: Vec<TermView> = index.terms.iter().map(|t| term_view(v, tax, t)).collect();
    c.insert("terms", &terms);
    c.insert("taxonomy", tax.key());
    PageJob {
        path,
        template: "taxonomy.html",
        context: c,
    }
}

/// One term's page (`/tags/target/`): the releases carrying it.
pub(super) fn term(p: &Pages, tax: Taxonomy, term: &Term) -> PageJob {
    let (v, b) = (p.v, p.bodies);
    let title = format!("{}: {}", v.t(tax.key()), term.name);
    let view = term_view(v, tax, term);
    let mut c = ctx_with(meta(v, "term", title.clone(), title, &view.url));
    let items: Vec<ReleaseItem> = term
        .releases
        .iter()
        .map(|&i| release_item(v, b, i))
        .collect();
    c.insert("releases", &items);
    c.insert("term", &view);
    c.insert("taxonomy", tax.key());
    c.insert("taxonomy_url", &v.urls.taxonomy(tax.key()));
    PageJob {
        path: view.url,
        template: "term.html",
        context: c,
    }
}

/// The search page, at `/search/`.
pub(super) fn search(p: &Pages) -> PageJob {
    let v = p.v;
    let path = v.urls.search();
    let c = ctx_with(meta(
        v,
        "search",
        v.t("search").to_string(),
        v.t("search").to_string(),
        &path,
    ));
    PageJob {
        path,
        template: "search.html",
        context: c,
    }
}

/// The 404 page, at `/404.html`.
pub(super) fn not_found(p: &Pages) -> PageJob {
    let v = p.v;
    let path = v.urls.not_found();
    let c = ctx_with(meta(
        v,
        "404",
        v.t("not_found").to_string(),
        v.t("not_found_text").to_string(),
        &path,
    ));
    PageJob {
        path,
        template: "404.html",
        context: c,
    }
}

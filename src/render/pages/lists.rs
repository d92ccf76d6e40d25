//! Index pages: entities, releases (paginated), meetings, taxonomies and
//! their terms, search, and the page for a missing path.

use serde::Serialize;
use serde_json::json;

use super::super::views::{Link, Viewer};
use super::common::*;
use super::{PageJob, Pages};
use crate::compute::{Taxonomy, TaxonomyIndex, Term};
use crate::diagnostics::Diagnostic;
use crate::render::RenderError;
use crate::render::templates::Templates;
use crate::validate::EntityIdx;

#[derive(Debug, Serialize)]
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

/// How the entity list is ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum EntityOrder {
    /// As the hierarchy goes, each entity under its parent.
    Tree,
    /// By name.
    Name,
    /// By the latest performance (or pace) of a metric, best first.
    Metric(usize),
}

/// The sort key of an order in its URL, `None` for the hierarchy.
fn order_key(v: &Viewer, o: EntityOrder) -> Option<String> {
    match o {
        EntityOrder::Tree => None,
        EntityOrder::Name => Some("name".to_string()),
        EntityOrder::Metric(m) => Some(v.site.metrics[m].id.clone()),
    }
}

/// Every order of the entity list: the hierarchy, then by name (unless a
/// metric is called `name`), then by each metric.
pub(super) fn entity_orders(v: &Viewer) -> Vec<EntityOrder> {
    let mut out = vec![EntityOrder::Tree];
    if !v.site.metrics.iter().any(|m| m.id == "name") {
        out.push(EntityOrder::Name);
    }
    out.extend((0..v.site.metrics.len()).map(EntityOrder::Metric));
    out
}

/// One entity's latest figure of one metric in the entity list.
#[derive(Clone, Serialize)]
pub(super) struct IndexCell {
    period: String,
    actual_fmt: String,
    attainment_fmt: String,
    attainment_bar: f64,
    attainment_over: bool,
    has_score: bool,
    status: &'static str,
    status_symbol: &'static str,
    status_label: &'static str,
}

#[derive(Serialize)]
pub(super) struct IndexRow {
    link: Link,
    kind_label: String,
    depth: usize,
    cells: Vec<Option<IndexCell>>,
}

#[derive(Serialize)]
pub(super) struct SortLink {
    name: String,
    url: String,
    current: bool,
}

/// The latest value of (e, m) the list shows: a period in progress, else
/// the latest with an actual.
fn latest<'a>(v: &Viewer<'a>, e: EntityIdx, m: usize) -> Option<&'a crate::compute::Tracked> {
    let h = v.headline(e, m);
    h.current.or(h.latest)
}

/// What every order of the list of entities shares, worked out once per
/// build: the latest value of every entity and metric it shows (a period
/// in progress, else the latest with an actual), by its place in the
/// report's values; and each entity's row (made into template values and
/// rendered with `entity_row.html`) and the tree, with their digests.
pub struct Latest<'t> {
    templates: &'t Templates,
    table: std::sync::OnceLock<Vec<Option<u32>>>,
    shared: std::sync::OnceLock<Result<Shared, Diagnostic>>,
    /// The rows an earlier build made (from the memo).
    kept: Option<ListRows>,
}

/// The rows of the list of entities a build made, for the next: a row is a
/// function of its values and of what its template sees besides (the
/// templates and the values every template sees, and the metrics), so it
/// is kept under the digest of its values, for as long as the rest is the
/// same (whatever the inputs).
#[derive(Debug, Default)]
pub struct ListRows {
    /// The digest of what every row's template sees besides its values.
    around: u128,
    /// Each row's template values (its HTML among them), by their digest.
    rows: ahash::AHashMap<u128, tera::Value>,
}

#[cfg(test)]
impl ListRows {
    /// Every row's HTML replaced by `html`: a row taken from the memo shows it.
    pub(crate) fn mark(&mut self, html: &str) {
        for v in self.rows.values_mut() {
            *v = with_html(v, html);
        }
    }
}

/// `row`'s template values with `html` (its rendering, markup) as `html`.
fn with_html(row: &tera::Value, html: &str) -> tera::Value {
    let mut map = row.as_map().cloned().unwrap_or_default();
    map.insert(
        tera::value::Key::Str("html"),
        tera::Value::safe_string(html),
    );
    tera::Value::from(map)
}

/// The rows of the list of entities, each made into template values and
/// rendered once and shared by every order (ten pages of four thousand
/// rows on a large site: each row was rendered once per page), and the
/// tree: each with its digest (`None` if it cannot be digested).
#[derive(Debug)]
struct Shared {
    /// By entity: its row at depth 0 (the orders by name and by metric).
    flat: Vec<Option<Made>>,
    /// By entity: its row at its depth in the hierarchy (the tree order).
    nested: Vec<Option<Made>>,
    /// The tree of entities, as nodes and as template values.
    nodes: Vec<TreeNode>,
    tree: Made,
    /// The rows as this build made them, to keep (`None` if they cannot
    /// be proved the same as another build's).
    keep: Option<ListRows>,
}

/// A value made for a template, with its digest.
#[derive(Debug)]
struct Made {
    value: tera::Value,
    digest: Option<u128>,
}

impl Made {
    fn of<T: Serialize>(value: &T) -> Made {
        Made {
            value: tera::Value::from_serializable(value),
            digest: crate::digest::of(value).ok(),
        }
    }
}

impl<'t> Latest<'t> {
    /// Nothing worked out yet: rows are rendered with `templates`, or taken
    /// from `kept` (an earlier build's) when they are the same.
    pub fn new(templates: &'t Templates, kept: Option<ListRows>) -> Latest<'t> {
        Latest {
            templates,
            table: std::sync::OnceLock::new(),
            shared: std::sync::OnceLock::new(),
            kept,
        }
    }

    /// The rows to keep for the next build: this build's if it made the
    /// rows, else those it was given.
    pub fn into_kept(self) -> Option<ListRows> {
        match self.shared.into_inner() {
            Some(Ok(shared)) => shared.keep,
            Some(Err(_)) => None,
            None => self.kept,
        }
    }

    /// The latest value of every entity and metric, by entity then metric
    /// (worked out from `v`'s report the first time, which `v` notes whole).
    fn all<'a>(
        &self,
        v: &Viewer<'a>,
    ) -> impl Fn(EntityIdx, usize) -> Option<&'a crate::compute::Tracked> {
        use rayon::prelude::*;
        let report = v.report.whole();
        let metrics = v.site.metrics.len();
        let table = self.table.get_or_init(|| {
            (0..v.site.entities.len() * metrics)
                .into_par_iter()
                .map(|i| {
                    let c = latest(v, i / metrics, i % metrics)?;
                    report.position(c).map(|i| i as u32)
                })
                .collect()
        });
        move |e, m| table[e * metrics + m].map(|i| &report.cells[i as usize])
    }

    /// Every entity's row, flat and nested, and the tree (made from `v`
    /// the first time).
    ///
    /// # Errors
    ///
    /// The error of the row template.
    fn shared(&self, v: &Viewer) -> Result<&Shared, RenderError> {
        let table = self.all(v);
        self.shared
            .get_or_init(|| self.make_shared(v, &table))
            .as_ref()
            .map_err(|d| RenderError::Content(vec![d.clone()]))
    }

    fn make_shared<'a>(
        &self,
        v: &Viewer<'a>,
        table: &(impl Fn(EntityIdx, usize) -> Option<&'a crate::compute::Tracked> + Sync),
    ) -> Result<Shared, Diagnostic> {
        use rayon::prelude::*;
        let nodes = tree(v);
        let metrics: Vec<_> = (0..v.site.metrics.len()).map(|m| v.metric(m)).collect();
        let metrics_value = tera::Value::from_serializable(&metrics);
        let around = self
            .templates
            .identity()
            .and_then(|identity| crate::digest::of(&(identity, &metrics)).ok());
        let kept = self.kept.as_ref().filter(|k| Some(k.around) == around);
        // A row as the last build made it, else made and rendered.
        let made = |row: &IndexRow| -> Result<Made, Diagnostic> {
            let digest = crate::digest::of(row).ok();
            if let Some(value) = kept.zip(digest).and_then(|(k, d)| k.rows.get(&d)) {
                return Ok(Made {
                    value: value.clone(),
                    digest,
                });
            }
            let value = tera::Value::from_serializable(row);
            let mut c = tera::Context::new();
            c.insert_value("row", value.clone());
            c.insert_value("metrics", metrics_value.clone());
            let html = self.templates.render("entity_row.html", &c)?;
            Ok(Made {
                value: with_html(&value, &html),
                digest,
            })
        };
        let mut flat: Vec<Option<Made>> = (0..v.site.entities.len()).map(|_| None).collect();
        let mut nested: Vec<Option<Made>> = (0..v.site.entities.len()).map(|_| None).collect();
        let rows: Vec<(EntityIdx, Made, Made)> = nodes
            .par_iter()
            .map(|n| {
                let cells = row_cells(v, n.entity, table);
                let row = |depth: usize| IndexRow {
                    link: n.link.clone(),
                    kind_label: n.kind_label.clone(),
                    depth,
                    cells: cells.clone(),
                };
                Ok((n.entity, made(&row(0))?, made(&row(n.depth))?))
            })
            .collect::<Result<_, Diagnostic>>()?;
        let keep = around.and_then(|around| {
            let mut keep = ListRows {
                around,
                rows: ahash::AHashMap::with_capacity(rows.len() * 2),
            };
            for (_, f, t) in &rows {
                for m in [f, t] {
                    keep.rows.insert(m.digest?, m.value.clone());
                }
            }
            Some(keep)
        });
        for (e, f, t) in rows {
            flat[e] = Some(f);
            nested[e] = Some(t);
        }
        Ok(Shared {
            flat,
            nested,
            tree: Made::of(&nodes),
            nodes,
            keep,
        })
    }
}

/// The cells of entity `e`'s row in the list of entities: its latest value
/// of each metric, as `table` gives them.
fn row_cells<'a>(
    v: &Viewer<'a>,
    e: EntityIdx,
    table: &(impl Fn(EntityIdx, usize) -> Option<&'a crate::compute::Tracked> + ?Sized),
) -> Vec<Option<IndexCell>> {
    (0..v.site.metrics.len())
        .map(|m| {
            let c = table(e, m)?;
            let cell = v.shared_cell(c)?;
            Some(IndexCell {
                period: cell.span_label.clone().unwrap_or(cell.period_label.clone()),
                actual_fmt: cell.actual_fmt.clone(),
                // A period in progress is judged by its pace: show that.
                attainment_fmt: match (&cell.pace_fmt, cell.in_progress) {
                    (Some(p), true) => format!("{} {p}", v.t("pace").to_lowercase()),
                    _ => cell.attainment_fmt.clone(),
                },
                attainment_bar: cell.attainment_bar,
                attainment_over: cell.attainment_over,
                has_score: c.score().is_some(),
                status: cell.status,
                status_symbol: cell.status_symbol,
                status_label: cell.status_label,
            })
        })
        .collect()
}

/// The site path of the list of entities in `order`.
pub(super) fn entities_path(v: &Viewer, order: EntityOrder) -> String {
    match order_key(v, order) {
        None => v.urls.entities(),
        Some(k) => v.urls.entities_sorted(&k),
    }
}

/// The list of entities, with each one's latest figure, attainment and
/// status per metric, in `order` (one page per order, so the list sorts
/// without a script).
///
/// # Errors
///
/// The error of the row template.
pub(super) fn entities(p: &Pages, order: EntityOrder) -> Result<PageJob, RenderError> {
    let v = p.v;
    let path = entities_path(v, order);
    // Every entity's values are read (noted so), each latest one taken from
    // the table all orders share; the tree and each row made once per
    // build, for every order.
    let table = p.latest.all(v);
    let shared = p.latest.shared(v)?;
    let mut nodes: Vec<&TreeNode> = shared.nodes.iter().collect();
    let latest = |_: &Viewer, e: EntityIdx, m: usize| table(e, m);
    let score = |e: EntityIdx, m: usize| latest(v, e, m).and_then(|c| c.score());
    match order {
        EntityOrder::Tree => {}
        // Each key made once per entity, not once per comparison.
        EntityOrder::Name => nodes.sort_by_cached_key(|n| (n.link.name.to_lowercase(), n.entity)),
        EntityOrder::Metric(m) => {
            let key = |e| score(e, m).map(|x| -x).unwrap_or(f64::INFINITY);
            let mut keyed: Vec<_> = nodes.into_iter().map(|n| (key(n.entity), n)).collect();
            keyed.sort_by(|(ka, a), (kb, b)| ka.total_cmp(kb).then(a.entity.cmp(&b.entity)));
            nodes = keyed.into_iter().map(|(_, n)| n).collect();
        }
    }
    let rows = match order {
        EntityOrder::Tree => &shared.nested,
        _ => &shared.flat,
    };
    let rows: Vec<&Made> = nodes
        .iter()
        .filter_map(|n| rows[n.entity].as_ref())
        .collect();
    let shown: Vec<_> = nodes
        .iter()
        .flat_map(|n| (0..v.site.metrics.len()).filter_map(|m| latest(v, n.entity, m)))
        .collect();
    let sorts: Vec<SortLink> = entity_orders(v)
        .into_iter()
        .map(|o| SortLink {
            name: match o {
                EntityOrder::Tree => v.t("sort_tree").to_string(),
                EntityOrder::Name => v.t("sort_name").to_string(),
                EntityOrder::Metric(m) => v.metric(m).name,
            },
            url: match order_key(v, o) {
                None => v.urls.entities(),
                Some(k) => v.urls.entities_sorted(&k),
            },
            current: o == order,
        })
        .collect();
    let title = match order {
        EntityOrder::Tree => v.t("regions").to_string(),
        _ => format!(
            "{} ({} {})",
            v.t("regions"),
            v.t("sorted_by"),
            sorts
                .iter()
                .find(|s| s.current)
                .map(|s| s.name.to_lowercase())
                .unwrap_or_default()
        ),
    };
    let mut crumbs = Vec::new();
    if order != EntityOrder::Tree {
        crumbs.push(Link::new(v.t("regions"), v.urls.entities()));
    }
    let m = meta(v, "entities", title, v.t("entity_pages").to_string(), &path)
        .with_crumbs(v, crumbs)
        .with_figures(v, shown);
    let mut c = ctx_with(p, m);
    let metrics: Vec<_> = (0..v.site.metrics.len()).map(|m| v.metric(m)).collect();
    c.insert("metrics", &metrics);
    // The rows and the tree by their digests, and as the values made once.
    let digests: Option<Vec<u128>> = rows.iter().map(|r| r.digest).collect();
    match digests.zip(shared.tree.digest) {
        Some((rows, tree)) => c.insert_digest_only("rows and tree", &(rows, tree)),
        None => c.forget_digest(),
    }
    c.for_template_only(true);
    c.insert_value(
        "rows",
        tera::Value::from(rows.iter().map(|r| r.value.clone()).collect::<Vec<_>>()),
    );
    c.for_template_only(false);
    c.insert("sorts", &sorts);
    c.for_template_only(true);
    c.insert_value("tree", shared.tree.value.clone());
    c.for_template_only(false);
    Ok(PageJob {
        path,
        template: "entities.html",
        context: c,
    })
}

/// The list of releases, newest first.
pub(super) fn releases(p: &Pages, page: usize) -> PageJob {
    let (v, b) = (p.v, &p.bodies);
    let pages = release_pages(v);
    let url_of = |p: usize| v.urls.releases_page(p);
    let path = url_of(page);
    let title = if page <= 1 {
        v.t("releases").to_string()
    } else {
        format!("{} ({page}/{pages})", v.t("releases"))
    };
    let up = if page > 1 {
        vec![Link::new(v.t("releases"), v.urls.releases())]
    } else {
        Vec::new()
    };
    let mut c = ctx_with(
        p,
        meta(v, "releases", title, v.t("all_releases").to_string(), &path).with_crumbs(v, up),
    );
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
    let (v, b) = (p.v, &p.bodies);
    let path = v.urls.meetings();
    let mut c = ctx_with(
        p,
        meta(
            v,
            "meetings",
            v.t("meetings").to_string(),
            v.t("all_meetings").to_string(),
            &path,
        )
        .with_crumbs(v, Vec::new()),
    );
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
    let mut c = ctx_with(
        p,
        meta(
            v,
            "taxonomy",
            v.t(tax.key()).to_string(),
            v.t(tax.key()).to_string(),
            &path,
        )
        .with_crumbs(v, Vec::new()),
    );
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
    let (v, b) = (p.v, &p.bodies);
    let title = format!("{}: {}", v.t(tax.key()), term.name);
    let view = term_view(v, tax, term);
    let m = meta(v, "term", title.clone(), title, &view.url).with_crumbs(
        v,
        vec![Link::new(v.t(tax.key()), v.urls.taxonomy(tax.key()))],
    );
    let mut c = ctx_with(p, m);
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
    let c = ctx_with(
        p,
        meta(
            v,
            "search",
            v.t("search").to_string(),
            v.t("search").to_string(),
            &path,
        )
        .with_crumbs(v, Vec::new()),
    );
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
    let c = ctx_with(
        p,
        meta(
            v,
            "404",
            v.t("not_found").to_string(),
            v.t("not_found_text").to_string(),
            &path,
        )
        .with_crumbs(v, Vec::new()),
    );
    PageJob {
        path,
        template: "404.html",
        context: c,
    }
}

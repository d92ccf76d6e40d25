//! One function per kind of page: each builds the template context from the
//! computed site and names the template and output path.

use serde::Serialize;
use serde_json::{Value, json};
use tera::Context;

use super::chart_views::{self, ChartKey, ChartView};
use super::markdown::Rendered;
use std::borrow::Cow;

use super::views::{CellView, Link, MetricView, Viewer};
use crate::compute::{Taxonomy, TaxonomyIndex, Term};
use crate::format;
use crate::model::Period;
use crate::urls::Download;
use crate::validate::EntityIdx;

/// A page to render: its site path, template and context.
pub struct PageJob {
    /// Site path (`/regions/gorontalo/`).
    pub path: String,
    /// Template name.
    pub template: &'static str,
    /// Template context.
    pub context: Context,
}

/// Markdown of every content item, rendered once.
pub struct Bodies {
    /// Per release, in `Site::releases` order.
    pub releases: Vec<Rendered>,
    /// Per meeting.
    pub meetings: Vec<Rendered>,
    /// Per page.
    pub pages: Vec<Rendered>,
}

#[derive(Serialize)]
struct PageMeta {
    title: String,
    description: String,
    url: String,
    canonical: String,
    kind: &'static str,
    /// Absolute URL of the preview image (a chart's PNG), if any.
    image: Option<String>,
}

fn meta(v: &Viewer, kind: &'static str, title: String, description: String, url: &str) -> PageMeta {
    PageMeta {
        title,
        description,
        canonical: v.urls.absolute(url),
        url: url.to_string(),
        kind,
        image: None,
    }
}

/// The charts of `keys` that were drawn, in order.
fn charts_of<'a>(v: &Viewer<'a>, keys: &[ChartKey]) -> Vec<&'a ChartView> {
    keys.iter().filter_map(|k| v.chart(k)).collect()
}

/// The first chart with a PNG, as an absolute URL for previews.
fn preview(v: &Viewer, charts: &[&ChartView]) -> Option<String> {
    charts
        .iter()
        .find_map(|c| c.png_url.as_ref())
        .map(|u| v.urls.absolute(u))
}

fn ctx_with(meta: PageMeta) -> Context {
    let mut c = Context::new();
    c.insert("page", &meta);
    c
}

#[derive(Serialize)]
struct ReleaseItem {
    title: String,
    url: String,
    date: String,
    date_fmt: String,
    summary: String,
    entity: Option<Link>,
    internal: bool,
}

fn release_item(v: &Viewer, b: &Bodies, i: usize) -> ReleaseItem {
    let r = &v.site.releases[i];
    ReleaseItem {
        title: r.release.title.clone(),
        url: v.urls.release(&r.release.slug),
        date: r.release.date.to_string(),
        date_fmt: format::date_medium(r.release.date, v.lang),
        summary: r
            .release
            .summary
            .clone()
            .unwrap_or_else(|| b.releases[i].first_paragraph.clone()),
        entity: r.entity.map(|e| v.entity_link(e)),
        internal: r.release.audience == crate::model::Audience::Internal,
    }
}

#[derive(Serialize)]
struct MeetingItem {
    title: String,
    url: String,
    date: String,
    date_fmt: String,
    location: String,
    summary: String,
    entity: Option<Link>,
    internal: bool,
}

fn meeting_item(v: &Viewer, b: &Bodies, i: usize) -> MeetingItem {
    let m = &v.site.meetings[i];
    MeetingItem {
        title: m.meeting.title.clone(),
        url: v.urls.meeting(&m.meeting.slug),
        date: m.meeting.date.to_string(),
        date_fmt: format::date_medium(m.meeting.date, v.lang),
        location: m.meeting.location.clone(),
        summary: m
            .meeting
            .summary
            .clone()
            .unwrap_or_else(|| b.meetings[i].first_paragraph.clone()),
        entity: m.entity.map(|e| v.entity_link(e)),
        internal: m.meeting.audience == crate::model::Audience::Internal,
    }
}

#[derive(Serialize)]
struct Headline<'a> {
    metric: MetricView,
    latest: Option<Cow<'a, CellView>>,
    current: Option<Cow<'a, CellView>>,
    next: Option<Cow<'a, CellView>>,
    sparkline: Option<String>,
}

fn headlines<'a>(v: &Viewer<'a>, e: EntityIdx) -> Vec<Headline<'a>> {
    (0..v.site.metrics.len())
        .filter_map(|m| {
            let h = v.headline(e, m);
            if h.latest.is_none() && h.current.is_none() && h.next.is_none() {
                return None;
            }
            Some(Headline {
                metric: v.metric(m),
                latest: h.latest.map(|c| v.cell(c)),
                current: h.current.map(|c| v.cell(c)),
                next: h.next.map(|c| v.cell(c)),
                sparkline: chart_views::sparkline_key(v, e, m)
                    .and_then(|k| v.chart(&k))
                    .map(|c| c.svg.clone()),
            })
        })
        .collect()
}

/// The home page.
pub fn home(v: &Viewer, b: &Bodies) -> PageJob {
    let path = v.urls.home();
    let title = v.site.config.title.get(v.lang).to_string();
    let description = v.site.config.description.get(v.lang).to_string();
    let mut m = meta(v, "home", title, description, &path);
    let charts = v
        .site
        .home
        .map(|e| charts_of(v, &chart_views::entity_charts(v, e)))
        .unwrap_or_default();
    m.image = preview(v, &charts);
    let mut c = ctx_with(m);
    c.insert("charts", &charts);
    if let Some(e) = v.site.home {
        c.insert("entity", &entity_head(v, e));
        c.insert("headlines", &headlines(v, e));
        c.insert("breakdowns", &breakdowns(v, e));
    }
    let releases: Vec<ReleaseItem> = (0..v.site.releases.len().min(5))
        .map(|i| release_item(v, b, i))
        .collect();
    let meetings: Vec<MeetingItem> = (0..v.site.meetings.len().min(3))
        .map(|i| meeting_item(v, b, i))
        .collect();
    c.insert("releases", &releases);
    c.insert("meetings", &meetings);
    PageJob {
        path,
        template: "home.html",
        context: c,
    }
}

#[derive(Serialize)]
struct EntityHead {
    id: String,
    name: String,
    kind: &'static str,
    kind_label: &'static str,
    description: Option<String>,
    url: String,
    parent: Option<Link>,
    breadcrumbs: Vec<Link>,
    complete_breakdown: bool,
    internal: bool,
    downloads: Downloads,
    feed: String,
}

/// The URLs of a page's downloads.
#[derive(Serialize)]
struct Downloads {
    csv: String,
    json: String,
}

fn downloads(csv: String, json: String) -> Downloads {
    Downloads { csv, json }
}

fn entity_head(v: &Viewer, e: EntityIdx) -> EntityHead {
    let ent = &v.site.entities[e];
    let mut crumbs = Vec::new();
    let mut cur = v.site.hierarchy.parent(e);
    while let Some(p) = cur {
        crumbs.push(v.entity_link(p));
        cur = v.site.hierarchy.parent(p);
    }
    crumbs.reverse();
    let kind_key = match ent.kind {
        crate::model::EntityKind::Region => "kind_region",
        crate::model::EntityKind::Province => "kind_province",
        crate::model::EntityKind::Office => "kind_office",
    };
    EntityHead {
        id: ent.id.clone(),
        name: v.entity_name(e),
        kind: ent.kind.as_str(),
        kind_label: v.t(kind_key),
        description: ent.description.as_ref().map(|d| d.get(v.lang).to_string()),
        url: v.urls.entity(&ent.id),
        parent: v.site.hierarchy.parent(e).map(|p| v.entity_link(p)),
        breadcrumbs: crumbs,
        complete_breakdown: ent.complete_breakdown,
        internal: ent.audience == crate::model::Audience::Internal,
        downloads: downloads(
            v.urls.entity_data(&ent.id, Download::Csv),
            v.urls.entity_data(&ent.id, Download::Json),
        ),
        feed: v.urls.entity_feed(&ent.id),
    }
}

#[derive(Serialize)]
struct MetricSeries<'a> {
    metric: MetricView,
    cells: Vec<Cow<'a, CellView>>,
}

#[derive(Serialize)]
struct RankRow<'a> {
    rank: usize,
    entity: Link,
    cell: Cow<'a, CellView>,
    best: bool,
    lagging: bool,
}

/// An entity's children for one metric and period, ranked by attainment.
#[derive(Serialize)]
pub struct Breakdown<'a> {
    metric: MetricView,
    period: String,
    period_label: String,
    has_attainment: bool,
    rows: Vec<RankRow<'a>>,
}

/// The children of `e` for metric `m` and period `p`, ranked by attainment;
/// the best and the last are flagged when at least three have an attainment.
pub fn breakdown<'a>(v: &Viewer<'a>, e: EntityIdx, m: usize, p: Period) -> Breakdown<'a> {
    let ranked = v.ranking(e, m, p);
    let with_att = ranked
        .iter()
        .filter(|(_, c)| c.attainment.is_some())
        .count();
    let rows = ranked
        .iter()
        .enumerate()
        .map(|(i, (k, c))| RankRow {
            rank: i + 1,
            entity: v.entity_link(*k),
            cell: v.cell(c),
            best: with_att >= 3 && i == 0,
            lagging: with_att >= 3 && c.attainment.is_some() && i + 1 == with_att,
        })
        .collect();
    Breakdown {
        metric: v.metric(m),
        period: p.to_string(),
        period_label: format::period(p, v.lang),
        has_attainment: with_att > 0,
        rows,
    }
}

/// For each metric, the children ranked by attainment in the latest period
/// in which any of them has one.
fn breakdowns<'a>(v: &Viewer<'a>, e: EntityIdx) -> Vec<Breakdown<'a>> {
    let children = v.site.hierarchy.children(e);
    (0..v.site.metrics.len())
        .filter_map(|m| {
            // The latest period in which some child has an attainment to rank.
            let latest = v.report.periods.iter().rev().copied().find(|&p| {
                children.iter().any(|&k| {
                    v.report
                        .get(k, m, p)
                        .is_some_and(|c| c.attainment.is_some())
                })
            })?;
            Some(breakdown(v, e, m, latest))
        })
        .collect()
}

/// One child's attainment in one period of a [`History`] (borrowed from the
/// shared cell views).
#[derive(Serialize)]
struct HistoryCell<'a> {
    attainment_fmt: &'a str,
    actual_fmt: &'a str,
    status: &'static str,
    status_symbol: &'static str,
    status_label: &'static str,
}

#[derive(Serialize)]
struct HistoryRow<'a> {
    entity: Link,
    /// One per period of the table; `None` where the child has no attainment.
    cells: Vec<Option<HistoryCell<'a>>>,
}

/// The children of an entity for one metric across every period: attainment
/// and status, a row per child, a column per period (the full ranking is
/// given for the latest period only).
#[derive(Serialize)]
struct History<'a> {
    metric: MetricView,
    periods: Vec<String>,
    rows: Vec<HistoryRow<'a>>,
}

/// The [`History`] of each metric of `e`'s children with an attainment in two
/// or more periods (one period is the ranking already).
fn histories<'a>(v: &Viewer<'a>, e: EntityIdx) -> Vec<History<'a>> {
    let children = v.site.hierarchy.children(e);
    if children.is_empty() {
        return Vec::new();
    }
    (0..v.site.metrics.len())
        .filter_map(|m| {
            let periods: Vec<Period> = v
                .report
                .periods
                .iter()
                .copied()
                .filter(|&p| {
                    children.iter().any(|&k| {
                        v.report
                            .get(k, m, p)
                            .is_some_and(|c| c.attainment.is_some())
                    })
                })
                .collect();
            if periods.len() < 2 {
                return None;
            }
            let rows = children
                .iter()
                .map(|&k| HistoryRow {
                    entity: v.entity_link(k),
                    cells: periods
                        .iter()
                        .map(|&p| {
                            let c = v.report.get(k, m, p).filter(|c| c.attainment.is_some())?;
                            let view = v.shared_cell(c)?;
                            Some(HistoryCell {
                                attainment_fmt: &view.attainment_fmt,
                                actual_fmt: &view.actual_fmt,
                                status: view.status,
                                status_symbol: view.status_symbol,
                                status_label: view.status_label,
                            })
                        })
                        .collect(),
                })
                .collect();
            Some(History {
                metric: v.metric(m),
                periods: periods.iter().map(|&p| format::period(p, v.lang)).collect(),
                rows,
            })
        })
        .collect()
}

/// An entity's page.
pub fn entity(v: &Viewer, b: &Bodies, e: EntityIdx) -> PageJob {
    let ent = &v.site.entities[e];
    let path = v.urls.entity(&ent.id);
    let head = entity_head(v, e);
    let description = head
        .description
        .clone()
        .unwrap_or_else(|| format!("{} {}", head.kind_label, head.name));
    let mut keys = chart_views::entity_charts(v, e);
    for (_, sc) in &v.site.named_charts {
        if sc.entity == e
            && let Some(k) = super::shortcode_chart_key(v, sc)
            && !keys.contains(&k)
        {
            keys.push(k);
        }
    }
    let charts = charts_of(v, &keys);
    let mut m = meta(v, "entity", head.name.clone(), description, &path);
    m.image = preview(v, &charts);
    let mut c = ctx_with(m);
    c.insert("charts", &charts);
    let series: Vec<MetricSeries> = (0..v.site.metrics.len())
        .filter_map(|m| {
            let cells: Vec<_> = v.report.series(e, m).map(|c| v.cell(c)).collect();
            (!cells.is_empty()).then(|| MetricSeries {
                metric: v.metric(m),
                cells,
            })
        })
        .collect();
    c.insert("entity", &head);
    c.insert("headlines", &headlines(v, e));
    c.insert("series", &series);
    // The ranking of the children for each metric's latest period, and their
    // attainment in every period as one table per metric.
    c.insert("breakdowns", &breakdowns(v, e));
    c.insert("histories", &histories(v, e));
    let children: Vec<Link> = v
        .site
        .hierarchy
        .children(e)
        .iter()
        .map(|&k| v.entity_link(k))
        .collect();
    c.insert("children", &children);
    let releases: Vec<ReleaseItem> = v.site.releases_by_entity[e]
        .iter()
        .map(|&i| release_item(v, b, i))
        .collect();
    let meetings: Vec<MeetingItem> = v.site.meetings_by_entity[e]
        .iter()
        .map(|&i| meeting_item(v, b, i))
        .collect();
    c.insert("releases", &releases);
    c.insert("meetings", &meetings);
    PageJob {
        path,
        template: "entity.html",
        context: c,
    }
}

#[derive(Serialize)]
struct TreeNode {
    #[serde(skip)]
    entity: EntityIdx,
    link: Link,
    kind_label: &'static str,
    depth: usize,
}

fn tree(v: &Viewer) -> Vec<TreeNode> {
    fn walk(v: &Viewer, e: EntityIdx, depth: usize, out: &mut Vec<TreeNode>) {
        let kind_key = match v.site.entities[e].kind {
            crate::model::EntityKind::Region => "kind_region",
            crate::model::EntityKind::Province => "kind_province",
            crate::model::EntityKind::Office => "kind_office",
        };
        out.push(TreeNode {
            entity: e,
            link: v.entity_link(e),
            kind_label: v.t(kind_key),
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
pub fn entities(v: &Viewer) -> PageJob {
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
pub fn releases(v: &Viewer, b: &Bodies, page: usize) -> PageJob {
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

/// One release.
pub fn release(v: &Viewer, b: &Bodies, i: usize) -> PageJob {
    let r = &v.site.releases[i];
    let item = release_item(v, b, i);
    let path = item.url.clone();
    let mut m = meta(
        v,
        "release",
        item.title.clone(),
        item.summary.clone(),
        &path,
    );
    // The preview image: the cover chart's PNG, else the entity's first chart with one.
    let cover = r
        .cover
        .as_ref()
        .and_then(|sc| super::shortcode_chart_key(v, sc))
        .and_then(|k| v.chart(&k));
    m.image = match cover {
        Some(c) => preview(v, &[c]),
        None => r
            .entity
            .and_then(|e| preview(v, &charts_of(v, &chart_views::entity_charts(v, e)))),
    };
    let mut c = ctx_with(m);
    c.insert("cover", &cover);
    c.insert("release", &item);
    let links = |names: &[String], key: &str| -> Vec<Link> {
        names
            .iter()
            .filter(|t| !crate::load::slugify(t).is_empty())
            .map(|t| Link {
                name: t.clone(),
                url: v.urls.term(key, &crate::load::slugify(t)),
            })
            .collect()
    };
    c.insert("tags", &links(&r.release.tags, Taxonomy::Tags.key()));
    c.insert(
        "programmes",
        &links(&r.release.programmes, Taxonomy::Programmes.key()),
    );
    c.insert("body", &b.releases[i].html);
    c.insert("meeting", &r.meeting.map(|m| meeting_item(v, b, m)));
    PageJob {
        path,
        template: "release.html",
        context: c,
    }
}

/// The list of meetings, newest first.
pub fn meetings(v: &Viewer, b: &Bodies) -> PageJob {
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

#[derive(Serialize)]
struct TargetSet<'a> {
    entity: Link,
    metric: MetricView,
    target: Cow<'a, CellView>,
    latest: Option<Cow<'a, CellView>>,
}

/// One meeting: who, what was decided, and what became of the targets set.
pub fn meeting(v: &Viewer, b: &Bodies, i: usize) -> PageJob {
    let m = &v.site.meetings[i];
    let item = meeting_item(v, b, i);
    let path = item.url.clone();
    let mut c = ctx_with(meta(
        v,
        "meeting",
        item.title.clone(),
        item.summary.clone(),
        &path,
    ));
    c.insert("meeting", &item);
    c.insert("date_long", &format::date_long(m.meeting.date, v.lang));
    c.insert("attendees", &m.meeting.attendees);
    let decisions: Vec<Value> = m
        .meeting
        .decisions
        .iter()
        .map(
            |d| json!({"text": d.text, "internal": d.audience == crate::model::Audience::Internal}),
        )
        .collect();
    c.insert("decisions", &decisions);
    let targets: Vec<TargetSet> = m
        .targets
        .iter()
        .filter_map(|&(e, mi, p)| {
            let target = v.report.get(e, mi, p)?;
            let latest = v
                .report
                .series(e, mi)
                .filter(|c| c.actual.is_some() && c.period.same_kind(p))
                .last();
            Some(TargetSet {
                entity: v.entity_link(e),
                metric: v.metric(mi),
                target: v.cell(target),
                latest: latest.map(|c| v.cell(c)),
            })
        })
        .collect();
    c.insert("targets", &targets);
    c.insert("body", &b.meetings[i].html);
    let reported: Vec<ReleaseItem> = v.site.releases_by_meeting[i]
        .iter()
        .map(|&r| release_item(v, b, r))
        .collect();
    c.insert("releases", &reported);
    PageJob {
        path,
        template: "meeting.html",
        context: c,
    }
}

#[derive(Serialize)]
struct YearLink {
    year: i32,
    url: String,
    meetings: usize,
    releases: usize,
}

/// The archive index.
pub fn years(v: &Viewer) -> PageJob {
    let path = v.urls.years();
    let mut c = ctx_with(meta(
        v,
        "years",
        v.t("years").to_string(),
        v.t("years").to_string(),
        &path,
    ));
    let items: Vec<YearLink> = v
        .index
        .years
        .iter()
        .map(|&y| YearLink {
            year: y,
            url: v.urls.year(y),
            meetings: v
                .site
                .meetings
                .iter()
                .filter(|m| m.meeting.date.year() as i32 == y)
                .count(),
            releases: v
                .site
                .releases
                .iter()
                .filter(|r| r.release.date.year() as i32 == y)
                .count(),
        })
        .collect();
    c.insert("years", &items);
    PageJob {
        path,
        template: "years.html",
        context: c,
    }
}

#[derive(Serialize)]
struct YearRow<'a> {
    entity: Link,
    depth: usize,
    cell: Cow<'a, CellView>,
}

#[derive(Serialize)]
struct YearTable<'a> {
    metric: MetricView,
    period: String,
    period_label: String,
    rows: Vec<YearRow<'a>>,
}

/// One year's results, meetings and releases.
pub fn year(v: &Viewer, b: &Bodies, y: i32) -> PageJob {
    let path = v.urls.year(y);
    let title = format!("{} {y}", v.t("results_of"));
    let year_charts: Vec<ChartKey> = match v.site.home {
        Some(home) => (0..v.site.metrics.len())
            .map(|m| ChartKey {
                kind: chart_views::Kind::Breakdown,
                entity: home,
                metrics: vec![m],
                period: Some(Period::Year(y)),
            })
            .collect(),
        None => Vec::new(),
    };
    let charts = charts_of(v, &year_charts);
    let mut m = meta(v, "year", title.clone(), title, &path);
    m.image = preview(v, &charts);
    let mut c = ctx_with(m);
    c.insert("charts", &charts);
    c.insert("year", &y);
    c.insert(
        "downloads",
        &downloads(
            v.urls.year_data(y, Download::Csv),
            v.urls.year_data(y, Download::Json),
        ),
    );
    // The archive page holds the top two levels (region, provinces); offices are
    // on their own pages and in the year's download, so the page stays readable.
    let all = tree(v);
    let deeper = all.iter().any(|n| n.depth > 1);
    let order: Vec<(EntityIdx, usize)> = all
        .into_iter()
        .filter(|n| n.depth <= 1)
        .map(|n| (n.entity, n.depth))
        .collect();
    let mut tables = Vec::new();
    for m in 0..v.site.metrics.len() {
        for &p in v.report.periods.iter().filter(|p| p.year() == y) {
            let rows: Vec<YearRow> = order
                .iter()
                .filter_map(|&(e, depth)| {
                    v.report.get(e, m, p).map(|c| YearRow {
                        entity: v.entity_link(e),
                        depth,
                        cell: v.cell(c),
                    })
                })
                .collect();
            if !rows.is_empty() {
                tables.push(YearTable {
                    metric: v.metric(m),
                    period: p.to_string(),
                    period_label: format::period(p, v.lang),
                    rows,
                });
            }
        }
    }
    c.insert("tables", &tables);
    c.insert("offices_elsewhere", &deeper);
    let meetings: Vec<MeetingItem> = (0..v.site.meetings.len())
        .filter(|&i| v.site.meetings[i].meeting.date.year() as i32 == y)
        .map(|i| meeting_item(v, b, i))
        .collect();
    let releases: Vec<ReleaseItem> = (0..v.site.releases.len())
        .filter(|&i| v.site.releases[i].release.date.year() as i32 == y)
        .map(|i| release_item(v, b, i))
        .collect();
    c.insert("meetings", &meetings);
    c.insert("releases", &releases);
    PageJob {
        path,
        template: "year.html",
        context: c,
    }
}

/// A free page.
pub fn page(v: &Viewer, b: &Bodies, i: usize) -> PageJob {
    let p = &v.site.pages[i].page;
    let path = v.urls.page(&p.slug);
    let description = p
        .description
        .clone()
        .unwrap_or_else(|| b.pages[i].first_paragraph.clone());
    let mut c = ctx_with(meta(v, "page", p.title.clone(), description, &path));
    c.insert("body", &b.pages[i].html);
    c.insert(
        "internal",
        &(p.audience == crate::model::Audience::Internal),
    );
    PageJob {
        path,
        template: "page.html",
        context: c,
    }
}

/// A term as the taxonomy page lists it.
#[derive(Serialize)]
struct TermView<'a> {
    name: &'a str,
    slug: &'a str,
    url: String,
    count: usize,
}

fn term_view<'a>(v: &Viewer, tax: Taxonomy, t: &'a Term) -> TermView<'a> {
    TermView {
        name: &t.name,
        slug: &t.slug,
        url: v.urls.term(tax.key(), &t.slug),
        count: t.releases.len(),
    }
}

/// The index of a taxonomy (`/tags/`).
pub fn taxonomy(v: &Viewer, index: &TaxonomyIndex) -> PageJob {
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
pub fn term(v: &Viewer, b: &Bodies, tax: Taxonomy, term: &Term) -> PageJob {
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
pub fn search(v: &Viewer) -> PageJob {
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
pub fn not_found(v: &Viewer) -> PageJob {
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

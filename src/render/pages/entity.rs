//! The home page and the entity pages: headline cards, charts, the children
//! ranked, their attainment over the periods, releases and meetings.

use std::borrow::Cow;

use serde::Serialize;

use super::super::cells::CellView;
use super::super::chart_plan::{self};
use super::super::chart_views;
use super::super::views::{Link, MetricView, Viewer};
use super::common::*;
use super::values::Values;
use super::{PageJob, Pages};
use crate::compute::Tracked;
use crate::format;
use crate::model::{Period, PeriodKind};
use crate::urls::Download;
use crate::validate::EntityIdx;

/// The home page.
pub(super) fn home(p: &Pages) -> PageJob {
    let (v, b) = (p.v, &p.bodies);
    let path = v.urls.home();
    let title = v.site.config.title.get(v.lang).to_string();
    let description = v.site.config.description.get(v.lang).to_string();
    let mut m = meta(v, "home", title, description, &path);
    let charts = v
        .site
        .home
        .map(|e| charts_of(p, &chart_plan::entity_charts(v, e)))
        .unwrap_or_default();
    m.image = preview(v, &charts);
    if let Some(e) = v.site.home {
        m = m.with_figures(v, shown_cells(v, e)).with_charts(v, &charts);
    }
    let mut c = ctx_with(p, m);
    c.insert("charts", &charts);
    if let Some(e) = v.site.home {
        c.insert("entity", &entity_head(v, e));
        c.insert("headlines", &headlines(p, e));
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
pub(super) struct EntityHead {
    pub(super) id: String,
    pub(super) name: String,
    /// The language of the name, when not the page's.
    pub(super) name_lang: Option<&'static str>,
    pub(super) kind: String,
    pub(super) kind_label: String,
    pub(super) description: Option<String>,
    pub(super) url: String,
    pub(super) parent: Option<Link>,
    pub(super) breadcrumbs: Vec<Link>,
    pub(super) complete_breakdown: bool,
    pub(super) hidden_children: bool,
    pub(super) internal: bool,
    pub(super) downloads: Downloads,
    pub(super) feed: String,
}

pub(super) fn entity_head(v: &Viewer, e: EntityIdx) -> EntityHead {
    let ent = &v.site.entities[e];
    let mut crumbs = Vec::new();
    let mut cur = v.site.hierarchy.parent(e);
    while let Some(p) = cur {
        crumbs.push(v.entity_link(p));
        cur = v.site.hierarchy.parent(p);
    }
    crumbs.reverse();
    EntityHead {
        id: ent.id.clone(),
        name: v.entity_name(e),
        name_lang: v.lang_of(&ent.name),
        kind: ent.kind.clone(),
        kind_label: v.level_name(e),
        description: ent.description.as_ref().map(|d| d.get(v.lang).to_string()),
        url: v.urls.entity(&ent.id),
        parent: v.site.hierarchy.parent(e).map(|p| v.entity_link(p)),
        breadcrumbs: crumbs,
        complete_breakdown: ent.complete_breakdown,
        hidden_children: ent.hidden_children,
        internal: ent.audience == crate::model::Audience::Internal,
        downloads: downloads(
            v.urls.entity_data(&ent.id, Download::Csv),
            v.urls.entity_data(&ent.id, Download::Json),
        ),
        feed: v.urls.entity_feed(&ent.id),
    }
}

#[derive(Serialize)]
pub(super) struct MetricSeries<'a> {
    pub(super) metric: MetricView,
    /// The years (calendar or financial), a year in progress as its
    /// year-to-date: the main table.
    pub(super) cells: Vec<Cow<'a, CellView>>,
    /// The main table's caption (`Iuran per tahun`).
    pub(super) caption: String,
    /// The periods shorter than a year, one table per kind (halves,
    /// quarters, months), each shown folded under the main table.
    pub(super) grains: Vec<GrainTable<'a>>,
    /// The notes and sources under the table, each once for the periods it
    /// applies to.
    pub(super) sources: Vec<SourceNote>,
}

/// The periods of one kind shorter than a year in a [`MetricSeries`].
#[derive(Serialize)]
pub(super) struct GrainTable<'a> {
    /// `half`, `quarter` or `month`.
    pub(super) kind: &'static str,
    /// The words of the fold (`Per bulan (18)`).
    pub(super) summary: String,
    /// The table's caption (`Iuran per bulan`).
    pub(super) caption: String,
    pub(super) cells: Vec<Cow<'a, CellView>>,
}

/// The interface word of a kind of period shorter than a year, for a fold's
/// summary (`by_month`: `Per bulan`).
fn grain_key(k: PeriodKind) -> Option<&'static str> {
    match k {
        PeriodKind::Year | PeriodKind::FinancialYear => None,
        PeriodKind::Half => Some("by_half"),
        PeriodKind::Quarter => Some("by_quarter"),
        PeriodKind::Month => Some("by_month"),
    }
}

/// `cells` (one metric of one entity) as a [`MetricSeries`]: the years in
/// the main table, every shorter kind of period in a table of its own,
/// longest first.
fn metric_series<'a>(v: &Viewer<'a>, m: usize, cells: &[&'a Tracked]) -> MetricSeries<'a> {
    let metric = v.metric(m);
    let mut grains: Vec<(PeriodKind, Vec<Cow<'a, CellView>>)> = Vec::new();
    let mut annual = Vec::new();
    for &c in cells {
        let kind = c.period.kind();
        if grain_key(kind).is_none() {
            annual.push(v.cell(c));
        } else {
            match grains.iter_mut().find(|(k, _)| *k == kind) {
                Some((_, list)) => list.push(v.cell(c)),
                None => grains.push((kind, vec![v.cell(c)])),
            }
        }
    }
    grains.sort_by_key(|(k, _)| *k);
    let grains = grains
        .into_iter()
        .filter_map(|(kind, cells)| {
            let word = v.t(grain_key(kind)?);
            Some(GrainTable {
                kind: kind.as_str(),
                summary: format!("{word} ({})", cells.len()),
                caption: format!("{} {}", metric.name, word.to_lowercase()),
                cells,
            })
        })
        .collect();
    MetricSeries {
        sources: source_notes(v, cells),
        caption: format!("{} {}", metric.name, v.t("by_year").to_lowercase()),
        metric,
        cells: annual,
        grains,
    }
}

/// A note and source line under a table, with the periods it is about.
#[derive(Serialize, PartialEq)]
pub(super) struct SourceNote {
    /// `2015, 2016`; three or more periods of a kind as a range
    /// (`Januari 2016–Juni 2017`).
    pub(super) periods: String,
    /// The periods' codes, space-separated (`2015 2016 2016-01`), for
    /// scripts and tests.
    pub(super) period_codes: String,
    /// How the target was set, when not simply reported.
    pub(super) basis: Option<String>,
    /// The figure's note.
    pub(super) note: Option<String>,
    /// The language of the note, when not the page's.
    pub(super) note_lang: Option<&'static str>,
    /// The sources, joined.
    pub(super) sources: String,
    /// The language of the sources, when not the page's.
    pub(super) sources_lang: Option<&'static str>,
    /// Whether a source is illustrative.
    pub(super) illustrative: bool,
}

/// The notes and sources of `cells`, identical lines written once with
/// every period they apply to.
pub(super) fn source_notes(v: &Viewer, cells: &[&Tracked]) -> Vec<SourceNote> {
    // (note, the periods it applies to)
    let mut out: Vec<(SourceNote, Vec<&Tracked>)> = Vec::new();
    for c in cells {
        let view = v.cell(c);
        let note = SourceNote {
            periods: String::new(),
            period_codes: String::new(),
            basis: view.target_basis.clone(),
            note: view.note.clone(),
            note_lang: c.note.as_ref().and_then(|n| v.lang_of(n)),
            sources: view.sources.join("; "),
            sources_lang: v.content_lang_attr(),
            illustrative: view.illustrative,
        };
        let same = |n: &SourceNote| {
            n.basis == note.basis && n.note == note.note && n.sources == note.sources
        };
        match out.iter_mut().find(|(n, _)| same(n)) {
            Some((_, periods)) => periods.push(c),
            None => out.push((note, vec![c])),
        }
    }
    out.into_iter()
        .map(|(mut note, cells)| {
            note.periods = period_list(v, &cells);
            note.period_codes = cells
                .iter()
                .map(|c| c.period.to_string())
                .collect::<Vec<_>>()
                .join(" ");
            note
        })
        .collect()
}

/// The periods of `cells` for a reader: kind by kind, in the order first
/// met; one or two of a kind listed (`2015, 2016`), three or more as a
/// range from the first to the last (`Januari 2016–Juni 2017`).
fn period_list(v: &Viewer, cells: &[&Tracked]) -> String {
    let mut kinds: Vec<(crate::model::PeriodKind, Vec<&Tracked>)> = Vec::new();
    for &c in cells {
        let k = c.period.kind();
        match kinds.iter_mut().find(|(kind, _)| *kind == k) {
            Some((_, list)) => list.push(c),
            None => kinds.push((k, vec![c])),
        }
    }
    let label = |c: &Tracked| v.cell(c).period_label.clone();
    kinds
        .iter()
        .map(|(_, list)| match list.as_slice() {
            [first, .., last] if list.len() >= 3 => {
                format!("{}–{}", label(first), label(last))
            }
            _ => list.iter().map(|c| label(c)).collect::<Vec<_>>().join(", "),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Every figure an entity page (or the home page) shows: its own and its
/// children's.
pub(super) fn shown_cells<'a>(v: &Viewer<'a>, e: EntityIdx) -> Vec<&'a Tracked> {
    let mut cells: Vec<&Tracked> = v.report.of_entity(e).collect();
    for &k in v.site.hierarchy.children(e) {
        cells.extend(v.report.of_entity(k));
    }
    cells
}

#[derive(Serialize)]
pub(super) struct RankRow<'a> {
    pub(super) rank: usize,
    pub(super) entity: Link,
    pub(super) cell: Cow<'a, CellView>,
    pub(super) best: bool,
    pub(super) lagging: bool,
}

/// An entity's children for one metric and period, ranked by performance
/// (or pace, in a period in progress) in the metric's direction.
#[derive(Serialize)]
pub struct Breakdown<'a> {
    pub(super) metric: MetricView,
    pub(super) period: String,
    pub(super) period_label: String,
    pub(super) has_attainment: bool,
    /// How the rows are named as a group (`per provinsi`).
    pub(super) children_label: String,
    pub(super) rows: Vec<RankRow<'a>>,
}

/// The children of `e` for metric `m` and period `p`, ranked by attainment;
/// the best and the last are flagged when at least three have an attainment.
pub fn breakdown<'a>(v: &Viewer<'a>, e: EntityIdx, m: usize, p: Period) -> Breakdown<'a> {
    let ranked = v.ranking(e, m, p);
    let with_att = ranked.iter().filter(|(_, c)| c.score().is_some()).count();
    let rows = ranked
        .iter()
        .enumerate()
        .map(|(i, (k, c))| RankRow {
            rank: i + 1,
            entity: v.entity_link(*k),
            cell: v.cell(c),
            best: with_att >= 3 && i == 0,
            lagging: with_att >= 3 && c.score().is_some() && i + 1 == with_att,
        })
        .collect();
    Breakdown {
        metric: v.metric(m),
        period: p.to_string(),
        period_label: format::period(p, v.lang),
        has_attainment: with_att > 0,
        children_label: v.children_label(e),
        rows,
    }
}

/// For each metric, the children ranked by attainment in the latest period
/// in which any of them has one.
pub(super) fn breakdowns<'a>(v: &Viewer<'a>, e: EntityIdx) -> Vec<Breakdown<'a>> {
    let children = v.site.hierarchy.children(e);
    (0..v.site.metrics.len())
        .filter_map(|m| {
            // The latest period in which some child has an attainment to rank.
            let latest = v.report.periods().iter().rev().copied().find(|&p| {
                children
                    .iter()
                    .any(|&k| v.report.get(k, m, p).is_some_and(|c| c.score().is_some()))
            })?;
            Some(breakdown(v, e, m, latest))
        })
        .collect()
}

/// One child's attainment in one period of a [`History`] (borrowed from the
/// shared cell views).
#[derive(Serialize)]
pub(super) struct HistoryCell<'a> {
    pub(super) attainment_fmt: &'a str,
    pub(super) actual_fmt: &'a str,
    pub(super) status: &'static str,
    pub(super) status_symbol: &'static str,
    pub(super) status_label: &'static str,
}

#[derive(Serialize)]
pub(super) struct HistoryRow<'a> {
    pub(super) entity: Link,
    /// One per period of the table; `None` where the child has no attainment.
    pub(super) cells: Vec<Option<HistoryCell<'a>>>,
}

/// The children of an entity for one metric across every period: attainment
/// and status, a row per child, a column per period (the full ranking is
/// given for the latest period only).
#[derive(Serialize)]
pub(super) struct History<'a> {
    pub(super) metric: MetricView,
    /// The years (calendar or financial): the main table's columns.
    pub(super) periods: Vec<String>,
    pub(super) rows: Vec<HistoryRow<'a>>,
    /// The periods shorter than a year, a table per kind (halves, quarters,
    /// months), each shown folded under the main table.
    pub(super) grains: Vec<HistoryGrain<'a>>,
}

/// The columns of one kind of period shorter than a year in a [`History`].
#[derive(Serialize)]
pub(super) struct HistoryGrain<'a> {
    /// `half`, `quarter` or `month`.
    pub(super) kind: &'static str,
    /// The words of the fold (`Per triwulan (2)`).
    pub(super) summary: String,
    /// The words naming the table (`per triwulan`).
    pub(super) label: String,
    pub(super) periods: Vec<String>,
    pub(super) rows: Vec<HistoryRow<'a>>,
}

/// The [`History`] of each metric of `e`'s children with an attainment in two
/// or more periods (one period is the ranking already).
pub(super) fn histories<'a>(v: &Viewer<'a>, e: EntityIdx) -> Vec<History<'a>> {
    let children = v.site.hierarchy.children(e);
    if children.is_empty() {
        return Vec::new();
    }
    (0..v.site.metrics.len())
        .filter_map(|m| {
            let periods: Vec<Period> = v
                .report
                .periods()
                .iter()
                .copied()
                .filter(|&p| {
                    children
                        .iter()
                        .any(|&k| v.report.get(k, m, p).is_some_and(|c| c.score().is_some()))
                })
                .collect();
            if periods.len() < 2 {
                return None;
            }
            let rows = |periods: &[Period]| -> Vec<HistoryRow<'a>> {
                children
                    .iter()
                    .map(|&k| HistoryRow {
                        entity: v.entity_link(k),
                        cells: periods
                            .iter()
                            .map(|&p| {
                                let c = v.report.get(k, m, p).filter(|c| c.score().is_some())?;
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
                    .collect()
            };
            let labels = |ps: &[Period]| -> Vec<String> {
                ps.iter().map(|&p| format::period(p, v.lang)).collect()
            };
            let annual: Vec<Period> = periods
                .iter()
                .copied()
                .filter(|p| grain_key(p.kind()).is_none())
                .collect();
            let mut kinds: Vec<PeriodKind> = periods
                .iter()
                .map(|p| p.kind())
                .filter(|&k| grain_key(k).is_some())
                .collect();
            kinds.sort_unstable();
            kinds.dedup();
            let grains = kinds
                .into_iter()
                .filter_map(|kind| {
                    let word = v.t(grain_key(kind)?);
                    let ps: Vec<Period> = periods
                        .iter()
                        .copied()
                        .filter(|p| p.kind() == kind)
                        .collect();
                    Some(HistoryGrain {
                        kind: kind.as_str(),
                        summary: format!("{word} ({})", ps.len()),
                        label: word.to_lowercase(),
                        periods: labels(&ps),
                        rows: rows(&ps),
                    })
                })
                .collect();
            Some(History {
                metric: v.metric(m),
                periods: labels(&annual),
                rows: rows(&annual),
                grains,
            })
        })
        .collect()
}

/// An entity's page.
pub(super) fn entity(p: &Pages, e: EntityIdx) -> PageJob {
    let v = p.v;
    let ent = &v.site.entities[e];
    let path = v.urls.entity(&ent.id);
    let mut c = Values::new(p.values);
    // Everything on the page but its lists of releases and meetings is made
    // from the chart inputs alone (figures, entities, metrics, settings,
    // interface strings: see `Viewer::chart_inputs`), in this language for
    // this entity. Where such digests are kept (`rekap build`'s record,
    // `rekap serve`'s memo), that part enters the page's digest by its own
    // digest, taken from there when the chart inputs are those of the last
    // build (a page only digested then makes none of it), else made.
    match p.figures {
        Some(store) => {
            let kept = c.digested().then(|| store.figures(v.lang, &path)).flatten();
            let digest = match kept {
                Some(digest) => {
                    // Not made: what it reads is not known (every value of
                    // the report, for the next build).
                    v.report.note_all();
                    if c.for_template() {
                        c.for_template_only(true);
                        figures(p, e, &path, &mut c);
                        c.for_template_only(false);
                    }
                    Some(digest)
                }
                None => {
                    let mut part = Values::new(p.values);
                    figures(p, e, &path, &mut part);
                    let digest = part.digest();
                    c.extend_template(part);
                    digest
                }
            };
            match digest {
                Some(digest) => {
                    if c.digested() {
                        store.keep_figures(v.lang, &path, digest);
                    }
                    c.insert_digest_only("figures", &digest);
                }
                None => c.forget_digest(),
            }
        }
        None => figures(p, e, &path, &mut c),
    }
    let b = &p.bodies;
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

/// Sets the values of the page of entity `e` (at `path`) that are made
/// from the chart inputs alone: its head, charts, figures, rankings,
/// histories, categories and children.
fn figures(p: &Pages, e: EntityIdx, path: &str, c: &mut Values) {
    // The charts only this page shows are drawn now, if they were not
    // before the pages (see `chart_views::draw_site`), and dropped with it.
    let v = p.v;
    let mut keys = chart_plan::entity_charts(v, e);
    let mut mine = keys.clone();
    mine.extend((0..v.site.metrics.len()).filter_map(|m| chart_plan::sparkline_key(v, e, m)));
    mine.retain(|k| !p.charts.contains_key(k));
    // A page only digested needs them only sketched (see `chart_views::Drawing`).
    let sketched = (p.values == super::values::Mode::Digest)
        .then(|| chart_views::sketch_all(v, &mine))
        .flatten();
    let own = sketched.unwrap_or_else(|| chart_views::draw_all(v, mine, &|_| false));
    let p = &Pages {
        own: Some(&own),
        ..*p
    };
    let ent = &v.site.entities[e];
    let head = entity_head(v, e);
    let description = head
        .description
        .clone()
        .unwrap_or_else(|| format!("{} {}", head.kind_label, head.name));
    for (_, sc) in &v.site.named_charts {
        if sc.entity == e
            && let Some(k) = chart_plan::shortcode_chart_key(v, sc)
            && !keys.contains(&k)
        {
            keys.push(k);
        }
    }
    let charts = charts_of(p, &keys);
    let mut crumbs = vec![Link::new(v.t("regions"), v.urls.entities())];
    crumbs.extend(head.breadcrumbs.iter().cloned());
    let mut m = meta(v, "entity", head.name.clone(), description, path)
        .with_crumbs(v, crumbs)
        .with_figures(v, shown_cells(v, e))
        .with_charts(v, &charts);
    m.title_lang = v.lang_of(&ent.name);
    m.image = preview(v, &charts);
    c.insert("page", &m);
    c.insert("charts", &charts);
    let series: Vec<MetricSeries> = (0..v.site.metrics.len())
        .filter_map(|m| {
            // A period with neither an actual nor a target says nothing.
            let cells: Vec<&Tracked> = v
                .report
                .series(e, m)
                .filter(|c| c.actual.is_some() || c.target.is_some())
                .collect();
            (!cells.is_empty()).then(|| metric_series(v, m, &cells))
        })
        .collect();
    c.insert("entity", &head);
    c.insert("headlines", &headlines(p, e));
    c.insert("series", &series);
    // The ranking of the children for each metric's latest period, and their
    // attainment in every period as one table per metric.
    c.insert("breakdowns", &breakdowns(v, e));
    c.insert("histories", &histories(v, e));
    c.insert("categories", &category_tables(v, e));
    let children: Vec<Link> = v
        .site
        .hierarchy
        .children(e)
        .iter()
        .map(|&k| v.entity_link(k))
        .collect();
    c.insert("children", &children);
}

/// One category's figures in a [`CategoryTable`], a cell per period.
#[derive(Serialize)]
pub(super) struct CategoryRow {
    pub(super) name: String,
    /// Per period: the actual and its share of the whole (`449 ribu (77,7%)`).
    pub(super) cells: Vec<Option<String>>,
}

/// A metric of one entity broken down by one dimension: a row per category,
/// a column per period.
#[derive(Serialize)]
pub(super) struct CategoryTable {
    pub(super) metric: MetricView,
    pub(super) dimension: String,
    pub(super) periods: Vec<String>,
    pub(super) rows: Vec<CategoryRow>,
}

/// The category tables of entity `e`: one per metric and dimension it has
/// figures for.
pub(super) fn category_tables(v: &Viewer, e: EntityIdx) -> Vec<CategoryTable> {
    let mut out = Vec::new();
    for m in 0..v.site.metrics.len() {
        let cells: Vec<_> = v
            .report
            .categories_of(e, m)
            .filter(|c| c.by.len() == 1)
            .collect();
        let mut dims: Vec<usize> = cells.iter().map(|c| c.by[0].0).collect();
        dims.sort_unstable();
        dims.dedup();
        for d in dims {
            let dim = &v.site.dimensions[d];
            let mine: Vec<_> = cells.iter().filter(|c| c.by[0].0 == d).collect();
            let mut periods: Vec<Period> = mine.iter().map(|c| c.period).collect();
            periods.sort();
            periods.dedup();
            let metric = &v.site.metrics[m];
            let rows = dim
                .categories
                .iter()
                .enumerate()
                .map(|(k, cat)| CategoryRow {
                    name: cat.name.get(v.lang).to_string(),
                    cells: periods
                        .iter()
                        .map(|&p| {
                            let c = mine.iter().find(|c| c.period == p && c.by[0].1 == k)?;
                            let value = v.value(metric, c.actual, true);
                            Some(match c.share {
                                Some(s) => format!("{value} ({})", format::percent(s, v.lang, 1)),
                                None => value,
                            })
                        })
                        .collect(),
                })
                .collect();
            out.push(CategoryTable {
                metric: v.metric(m),
                dimension: dim.name.get(v.lang).to_string(),
                periods: periods.iter().map(|&p| format::period(p, v.lang)).collect(),
                rows,
            });
        }
    }
    out
}

//! The archive: the index of years and each year's results, meetings and releases.

use std::borrow::Cow;

use serde::Serialize;

use super::super::cells::CellView;
use super::super::chart_plan::{self, ChartKey};
use super::super::views::{Link, MetricView};
use super::common::*;
use super::lists::tree;
use super::{PageJob, Pages};
use crate::format;
use crate::urls::Download;
use crate::validate::EntityIdx;

#[derive(Serialize)]
pub(super) struct YearLink {
    pub(super) year: i32,
    pub(super) url: String,
    pub(super) meetings: usize,
    pub(super) releases: usize,
}

/// The archive index.
pub(super) fn years(p: &Pages) -> PageJob {
    let v = p.v;
    let path = v.urls.years();
    let mut c = ctx_with(
        p,
        meta(
            v,
            "years",
            v.t("years").to_string(),
            v.t("years").to_string(),
            &path,
        )
        .with_crumbs(v, Vec::new()),
    );
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
pub(super) struct YearRow<'a> {
    pub(super) entity: Link,
    pub(super) depth: usize,
    pub(super) cell: Cow<'a, CellView>,
}

#[derive(Serialize)]
pub(super) struct YearTable<'a> {
    pub(super) metric: MetricView,
    pub(super) period: String,
    pub(super) period_label: String,
    pub(super) rows: Vec<YearRow<'a>>,
}

/// One year's results, meetings and releases.
pub(super) fn year(p: &Pages, y: i32) -> PageJob {
    let (v, b) = (p.v, &p.bodies);
    let path = v.urls.year(y);
    let title = format!("{} {y}", v.t("results_of"));
    let year_charts: Vec<ChartKey> = match v.site.home {
        Some(home) => (0..v.site.metrics.len())
            .map(|m| chart_plan::year_breakdown(home, m, y))
            .collect(),
        None => Vec::new(),
    };
    let charts = charts_of(p, &year_charts);
    let mut m = meta(v, "year", title.clone(), title, &path)
        .with_crumbs(v, vec![Link::new(v.t("years"), v.urls.years())])
        .with_charts(v, &charts);
    m.image = preview(v, &charts);
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
        for &p in v.report.periods().iter().filter(|p| p.year() == y) {
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
    let shown: Vec<&crate::compute::Tracked> = order
        .iter()
        .flat_map(|&(e, _)| v.report.of_entity(e).filter(|c| c.period.year() == y))
        .collect();
    let mut c = ctx_with(p, m.with_figures(v, shown));
    c.insert("charts", &charts);
    c.insert("year", &y);
    c.insert(
        "downloads",
        &downloads(
            v.urls.year_data(y, Download::Csv),
            v.urls.year_data(y, Download::Json),
        ),
    );
    let at = v.index.years.iter().position(|&x| x == y);
    let link = |i: usize| {
        v.index
            .years
            .get(i)
            .map(|&x| Link::new(x.to_string(), v.urls.year(x)))
    };
    c.insert(
        "previous_year",
        &at.and_then(|i| i.checked_sub(1)).and_then(link),
    );
    c.insert("next_year", &at.and_then(|i| link(i + 1)));
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

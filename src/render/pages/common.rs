//! Pieces every kind of page shares: page metadata, list items for releases
//! and meetings, headline cards, preview images.

use std::borrow::Cow;

use serde::Serialize;
use tera::Context;

use super::super::bodies::Bodies;
use super::super::cells::CellView;
use super::super::chart_plan::{self, ChartKey};
use super::super::chart_views::ChartView;
use super::super::views::{Link, MetricView, Viewer};
use super::Pages;
use crate::format;
use crate::validate::EntityIdx;

#[derive(Serialize)]
pub(super) struct PageMeta {
    pub(super) title: String,
    pub(super) description: String,
    pub(super) url: String,
    pub(super) canonical: String,
    pub(super) kind: &'static str,
    /// Absolute URL of the preview image (a chart's PNG), if any.
    pub(super) image: Option<String>,
}

pub(super) fn meta(
    v: &Viewer,
    kind: &'static str,
    title: String,
    description: String,
    url: &str,
) -> PageMeta {
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
pub(super) fn charts_of<'a>(p: &Pages<'a>, keys: &[ChartKey]) -> Vec<&'a ChartView> {
    keys.iter().filter_map(|k| p.chart(k)).collect()
}

/// The first chart with a PNG, as an absolute URL for previews.
pub(super) fn preview(v: &Viewer, charts: &[&ChartView]) -> Option<String> {
    charts
        .iter()
        .find_map(|c| c.png_url.as_ref())
        .map(|u| v.urls.absolute(u))
}

pub(super) fn ctx_with(meta: PageMeta) -> Context {
    let mut c = Context::new();
    c.insert("page", &meta);
    c
}

#[derive(Serialize)]
pub(super) struct ReleaseItem {
    pub(super) title: String,
    pub(super) url: String,
    pub(super) date: String,
    pub(super) date_fmt: String,
    pub(super) summary: String,
    pub(super) entity: Option<Link>,
    pub(super) internal: bool,
}

pub(super) fn release_item(v: &Viewer, b: &Bodies, i: usize) -> ReleaseItem {
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
pub(super) struct MeetingItem {
    pub(super) title: String,
    pub(super) url: String,
    pub(super) date: String,
    pub(super) date_fmt: String,
    pub(super) location: String,
    pub(super) summary: String,
    pub(super) entity: Option<Link>,
    pub(super) internal: bool,
}

pub(super) fn meeting_item(v: &Viewer, b: &Bodies, i: usize) -> MeetingItem {
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

/// The URLs of a page's downloads.
#[derive(Serialize)]
pub(super) struct Downloads {
    pub(super) csv: String,
    pub(super) json: String,
}

pub(super) fn downloads(csv: String, json: String) -> Downloads {
    Downloads { csv, json }
}

#[derive(Serialize)]
pub(super) struct Headline<'a> {
    pub(super) metric: MetricView,
    pub(super) latest: Option<Cow<'a, CellView>>,
    pub(super) current: Option<Cow<'a, CellView>>,
    pub(super) next: Option<Cow<'a, CellView>>,
    pub(super) sparkline: Option<String>,
}

pub(super) fn headlines<'a>(p: &Pages<'a>, e: EntityIdx) -> Vec<Headline<'a>> {
    let v = p.v;
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
                sparkline: chart_plan::sparkline_key(v, e, m)
                    .and_then(|k| p.chart(&k))
                    .map(|c| c.svg.clone()),
            })
        })
        .collect()
}

//! Pieces every kind of page shares: page metadata, list items for releases
//! and meetings, headline cards, preview images.

use std::borrow::Cow;

use super::values::Values;
use serde::Serialize;

use super::super::cells::CellView;
use super::super::chart_plan::{self, ChartKey};
use super::super::chart_text::{data_end, is_illustrative};
use super::super::chart_views::{ChartView, Drawing};
use super::super::views::{Link, MetricView, Viewer};
use super::Pages;
use super::reads::BodyReader;
use crate::compute::Tracked;
use crate::format;
use crate::validate::EntityIdx;

#[derive(Serialize)]
pub(super) struct PageMeta {
    pub(super) title: String,
    /// The language of the title when it is not the page's.
    pub(super) title_lang: Option<&'static str>,
    pub(super) description: String,
    pub(super) url: String,
    pub(super) canonical: String,
    pub(super) kind: &'static str,
    /// Absolute URL of the preview image (a chart's PNG), if any.
    pub(super) image: Option<String>,
    /// The way here from the home page, the page itself left out.
    pub(super) crumbs: Vec<Link>,
    /// The latest day the figures shown reach, in words (`30 Juni 2017`).
    pub(super) data_as_of: Option<String>,
    /// The same day, ISO (`2017-06-30`).
    pub(super) data_as_of_iso: Option<String>,
    /// Whether any figure shown rests on an illustrative source.
    pub(super) illustrative: bool,
}

impl PageMeta {
    /// Says what the figures shown reach and whether any is illustrative.
    pub(super) fn with_figures<'a>(
        mut self,
        v: &Viewer,
        cells: impl IntoIterator<Item = &'a Tracked>,
    ) -> PageMeta {
        let cells: Vec<&Tracked> = cells.into_iter().collect();
        self.illustrative |= cells
            .iter()
            .any(|c| c.sources.iter().any(|s| is_illustrative(s)));
        let latest = data_end(cells.iter().copied());
        self.with_as_of(v, latest)
    }

    /// Adds the charts' sources and dates.
    pub(super) fn with_charts(mut self, v: &Viewer, charts: &[&ChartView]) -> PageMeta {
        self.illustrative |= charts.iter().any(|c| c.illustrative);
        let latest = charts.iter().filter_map(|c| c.data_end).max();
        self.with_as_of(v, latest)
    }

    fn with_as_of(mut self, v: &Viewer, d: Option<jiff::civil::Date>) -> PageMeta {
        let mine: Option<jiff::civil::Date> =
            self.data_as_of_iso.as_deref().and_then(|d| d.parse().ok());
        if let Some(d) = d.max(mine) {
            self.data_as_of = Some(format::date_medium(d, v.lang));
            self.data_as_of_iso = Some(d.to_string());
        }
        self
    }

    /// Sets the way here: home first, then `rest`.
    pub(super) fn with_crumbs(mut self, v: &Viewer, rest: Vec<Link>) -> PageMeta {
        let mut crumbs = vec![Link::new(v.t("home"), v.urls.home())];
        crumbs.extend(rest);
        self.crumbs = crumbs;
        self
    }
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
        title_lang: None,
        description,
        canonical: v.urls.absolute(url),
        url: url.to_string(),
        kind,
        image: None,
        crumbs: Vec::new(),
        data_as_of: None,
        data_as_of_iso: None,
        illustrative: false,
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

pub(super) fn ctx_with(p: &Pages, meta: PageMeta) -> Values {
    let mut c = Values::new(p.values);
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

pub(super) fn release_item(v: &Viewer, b: &BodyReader, i: usize) -> ReleaseItem {
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
            .unwrap_or_else(|| b.release(i).first_paragraph.clone()),
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

pub(super) fn meeting_item(v: &Viewer, b: &BodyReader, i: usize) -> MeetingItem {
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
            .unwrap_or_else(|| b.meeting(i).first_paragraph.clone()),
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
    pub(super) sparkline: Option<Drawing>,
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

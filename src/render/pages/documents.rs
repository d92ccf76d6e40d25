//! Pages of content documents: a release, a meeting (with what became of the
//! targets set), a free page.

use std::borrow::Cow;

use serde::Serialize;
use serde_json::{Value, json};

use super::super::cells::CellView;
use super::super::chart_plan::{self};
use super::super::views::{Link, MetricView};
use super::common::*;
use super::{PageJob, Pages};
use crate::compute::Taxonomy;
use crate::format;

/// One release.
pub(super) fn release(p: &Pages, i: usize) -> PageJob {
    let (v, b) = (p.v, p.bodies);
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
        .and_then(|sc| chart_plan::shortcode_chart_key(v, sc))
        .and_then(|k| p.chart(&k));
    m.image = match cover {
        Some(c) => preview(v, &[c]),
        None => r
            .entity
            .and_then(|e| preview(v, &charts_of(p, &chart_plan::entity_charts(v, e)))),
    };
    let mut c = ctx_with(m);
    c.insert("cover", &cover);
    c.insert("release", &item);
    let links = |names: &[String], key: &str| -> Vec<Link> {
        names
            .iter()
            .filter(|t| !crate::slug::slugify(t).is_empty())
            .map(|t| Link {
                name: t.clone(),
                url: v.urls.term(key, &crate::slug::slugify(t)),
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

#[derive(Serialize)]
pub(super) struct TargetSet<'a> {
    pub(super) entity: Link,
    pub(super) metric: MetricView,
    pub(super) target: Cow<'a, CellView>,
    pub(super) latest: Option<Cow<'a, CellView>>,
}

/// One meeting: who, what was decided, and what became of the targets set.
pub(super) fn meeting(p: &Pages, i: usize) -> PageJob {
    let (v, b) = (p.v, p.bodies);
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

/// A free page.
pub(super) fn page(p: &Pages, i: usize) -> PageJob {
    let (v, b) = (p.v, p.bodies);
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

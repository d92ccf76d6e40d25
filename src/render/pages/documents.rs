//! Pages of content documents: a release, a meeting (with what became of the
//! targets set), a free page.

use std::borrow::Cow;

use serde::Serialize;
use serde_json::{Value, json};

use super::super::cells::CellView;
use super::super::chart_plan::{self};
use super::super::chart_views::ChartView;
use super::super::views::Viewer;
use super::super::views::{Link, MetricView};
use super::common::*;
use super::{PageJob, Pages};
use crate::compute::{Taxonomy, Tracked};
use crate::format;
use crate::model::ShortcodeKind;
use crate::validate::shortcodes::Resolved;

/// One release.
pub(super) fn release(p: &Pages, i: usize) -> PageJob {
    let (v, b) = (p.v, &p.bodies);
    let r = &v.site.releases[i];
    let item = release_item(v, b, i);
    let path = item.url.clone();
    let mut m = meta(
        v,
        "release",
        item.title.clone(),
        item.summary.clone(),
        &path,
    )
    .with_crumbs(v, vec![Link::new(v.t("releases"), v.urls.releases())]);
    m.title_lang = v.docs_lang_attr();
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
    let mut charts = shortcode_charts(p, r.shortcodes.iter().chain(&r.cover));
    charts.extend(cover);
    let m = m
        .with_figures(v, shortcode_cells(v, &r.shortcodes))
        .with_charts(v, &charts);
    let mut c = ctx_with(p, m);
    c.insert("cover", &cover);
    c.insert("release", &item);
    let links = |names: &[String], key: &str| -> Vec<Link> {
        names
            .iter()
            .filter(|t| !crate::slug::slugify(t).is_empty())
            .map(|t| Link {
                lang: v.docs_lang_attr(),
                ..Link::new(t.clone(), v.urls.term(key, &crate::slug::slugify(t)))
            })
            .collect()
    };
    c.insert("tags", &links(&r.release.tags, Taxonomy::Tags.key()));
    c.insert(
        "programmes",
        &links(&r.release.programmes, Taxonomy::Programmes.key()),
    );
    c.insert("body", &b.release(i).html);
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
    let (v, b) = (p.v, &p.bodies);
    let m = &v.site.meetings[i];
    let item = meeting_item(v, b, i);
    let path = item.url.clone();
    let mut mm = meta(
        v,
        "meeting",
        item.title.clone(),
        item.summary.clone(),
        &path,
    )
    .with_crumbs(v, vec![Link::new(v.t("meetings"), v.urls.meetings())])
    .with_figures(v, shortcode_cells(v, &m.shortcodes))
    .with_charts(v, &shortcode_charts(p, m.shortcodes.iter()));
    mm.title_lang = v.docs_lang_attr();
    let target_cells: Vec<&crate::compute::Tracked> = m
        .targets
        .iter()
        .filter_map(|&(e, mi, p)| v.report.get(e, mi, p))
        .collect();
    let mut c = ctx_with(p, mm.with_figures(v, target_cells));
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
    c.insert("body", &b.meeting(i).html);
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
    let pages = p;
    let (v, b) = (p.v, &p.bodies);
    let p = &v.site.pages[i].page;
    let path = v.urls.page(&p.slug);
    let description = p
        .description
        .clone()
        .unwrap_or_else(|| b.page(i).first_paragraph.clone());
    let shortcodes = &v.site.pages[i].shortcodes;
    let mut m = meta(v, "page", p.title.clone(), description, &path)
        .with_crumbs(v, Vec::new())
        .with_figures(v, shortcode_cells(v, shortcodes))
        .with_charts(v, &shortcode_charts(pages, shortcodes.iter()));
    m.title_lang = v.docs_lang_attr();
    let mut c = ctx_with(pages, m);
    c.insert("body", &b.page(i).html);
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

/// The figures the value, card and table shortcodes of a body show.
fn shortcode_cells<'a>(v: &Viewer<'a>, scs: &[Resolved]) -> Vec<&'a Tracked> {
    let mut out = Vec::new();
    for sc in scs {
        let Some(m) = sc.metric else { continue };
        match (sc.kind, sc.period) {
            (ShortcodeKind::Value | ShortcodeKind::Card, Some(p)) => {
                out.extend(v.report.get(sc.entity, m, p));
            }
            (ShortcodeKind::Card, None) => {
                let h = v.headline(sc.entity, m);
                out.extend(h.current.or(h.latest));
            }
            (ShortcodeKind::Table, Some(p)) => out.extend(
                v.site
                    .hierarchy
                    .children(sc.entity)
                    .iter()
                    .filter_map(|&k| v.report.get(k, m, p)),
            ),
            _ => {}
        }
    }
    out
}

/// The charts the chart shortcodes of a body show.
fn shortcode_charts<'a, 'b>(
    p: &Pages<'a>,
    scs: impl Iterator<Item = &'b Resolved>,
) -> Vec<&'a ChartView> {
    scs.filter(|sc| sc.kind == ShortcodeKind::Chart)
        .filter_map(|sc| chart_plan::shortcode_chart_key(p.v, sc))
        .filter_map(|k| p.chart(&k))
        .collect()
}

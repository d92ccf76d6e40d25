//! Releases, meetings and pages: slugs, references to entities, meetings and figures.

use std::collections::{HashMap, HashSet};

use rayon::prelude::*;

use super::data::Data;
use super::kept::{self, KeptReleases};
use super::shortcodes::{Fallback, Ids, resolve};
use super::{MeetingRecord, PageRecord, ReleaseRecord, Selection};
use crate::diagnostics::{Diagnostic, Diagnostics, RefKind, did_you_mean};
use crate::load::Sources;
use crate::model::{Audience, Origin, Period};

pub(super) struct Content {
    pub releases: Vec<std::sync::Arc<ReleaseRecord>>,
    pub meetings: Vec<MeetingRecord>,
    pub pages: Vec<PageRecord>,
    pub named_charts: Vec<(String, super::shortcodes::Resolved)>,
}

fn unique_slugs<'a>(
    kind: &str,
    items: impl Iterator<Item = (&'a str, &'a Origin)>,
    diags: &mut Diagnostics,
) {
    let by_name = |o: &Origin| o.pos.line == 1 && o.pos.column == 1;
    let items = items.into_iter();
    let mut seen: HashMap<&str, &Origin, ahash::RandomState> =
        HashMap::with_capacity_and_hasher(items.size_hint().0, ahash::RandomState::new());
    for (slug, origin) in items {
        if let Some(&first) = seen.get(slug) {
            // Reported at the `slug:` that takes a name already in use: the
            // one set by hand when the other is a file's name, else the later.
            let (at, other) = if by_name(origin) && !by_name(first) {
                (first, origin)
            } else {
                (origin, first)
            };
            let other = if by_name(other) {
                format!("{} (by its file name)", other.file)
            } else {
                other.to_string()
            };
            diags.push(
                Diagnostic::error(at.clone(), format!("duplicate {kind} slug `{slug}`")).with_help(
                    format!("{other} already uses it; rename one file or set another `slug:`"),
                ),
            );
        } else {
            seen.insert(slug, origin);
        }
    }
}

/// Resolves an entity reference from content visible to `aud`.
fn entity_ref(
    id: &str,
    origin: &Origin,
    aud: Audience,
    data: &Data,
    entity_ids: &HashMap<String, usize>,
    diags: &mut Diagnostics,
) -> Option<usize> {
    match data.all_entities.get(id) {
        None => {
            let mut ids: Vec<&str> = data.all_entities.keys().map(String::as_str).collect();
            ids.sort_unstable();
            diags.push(
                Diagnostic::error(origin.clone(), format!("unknown entity `{id}`"))
                    .with_help_opt(did_you_mean(id, ids))
                    .unresolved(RefKind::Entity),
            );
            None
        }
        Some(&e_aud) if e_aud > aud => {
            diags.push(
                Diagnostic::error(
                    origin.clone(),
                    format!(
                        "{} content refers to {} entity `{id}`",
                        aud.as_str(),
                        e_aud.as_str()
                    ),
                )
                .with_help("mark this item `audience: internal`, or make the entity public"),
            );
            None
        }
        Some(_) => entity_ids.get(id).copied(),
    }
}

/// Checks the meetings, releases and pages of `sources` against the data;
/// the releases come apart (`loaded`, taken out of `sources`) to be moved
/// into the result rather than copied.
///
/// With `kept`, a release loaded as the very document the last build
/// checked, in the same [`context`], takes that check (see
/// [`KeptReleases`]), and this build's checks are kept for the next.
#[allow(clippy::too_many_arguments)]
pub(super) fn validate(
    sources: &Sources,
    loaded: Vec<std::sync::Arc<crate::model::Release>>,
    sel: Selection,
    data: &Data,
    entity_ids: &HashMap<String, usize>,
    metric_ids: &HashMap<String, usize>,
    kept: Option<&KeptReleases>,
    diags: &mut Diagnostics,
) -> Content {
    let visible =
        |aud: Audience, draft: bool| aud.visible_in(sel.audience) && (sel.drafts || !draft);
    let ids = Ids {
        entities: entity_ids,
        metrics: metric_ids,
        all_entities: &data.all_entities,
        all_metrics: &data.all_metrics,
        dimensions: &sources.dimensions,
        metric_defs: &data.metrics,
        config: &sources.config,
    };
    let home = match data.home {
        Some(h) => Fallback::Entity(h),
        None if data.home_failed || sources.incomplete.entities => Fallback::Failed,
        None => Fallback::Missing,
    };
    // Named charts: unique ids, resolved leniently (their users are checked where they use them).
    let mut named: HashMap<&str, &crate::model::Shortcode> = HashMap::new();
    let mut named_charts = Vec::new();
    // Charts reported as wrong where they are defined: their users are not
    // reported again (nor, when charts.yaml has errors, users of a name
    // it may have lost).
    let mut broken: HashSet<&str> = HashSet::new();
    for (id, sc) in &sources.charts {
        if named.insert(id.as_str(), sc).is_some() {
            diags.push(Diagnostic::error(
                sc.origin.clone(),
                format!("duplicate chart id `{id}`"),
            ));
            continue;
        }
        let before = diags.error_count();
        let resolved = resolve(
            std::slice::from_ref(sc),
            home,
            Audience::Internal,
            &ids,
            diags,
        );
        if diags.error_count() > before {
            broken.insert(id.as_str());
        }
        match resolved.into_iter().next() {
            Some(r) => named_charts.push((id.clone(), r)),
            // Resolved for any audience without an error, but not for this
            // build's: it shows something this build leaves out.
            None if diags.error_count() == before
                && sel.audience == Audience::Public
                && shows_internal(sc, data) =>
            {
                diags.push(
                    Diagnostic::warning(
                        sc.origin.clone(),
                        format!(
                            "chart `{id}` shows internal figures: a public build leaves it out"
                        ),
                    )
                    .with_help(
                        "the chart appears only in `--audience internal` builds; mark its entity and metrics public to publish it, or remove it",
                    ),
                );
            }
            None => {}
        }
    }
    let known = Named {
        charts: &named,
        broken: &broken,
        incomplete: sources.incomplete.charts,
    };
    // A document's shortcodes, its named charts expanded, resolved.
    let resolve_all = |scs: &[crate::model::Shortcode],
                       fallback: Fallback,
                       audience: Audience,
                       diags: &mut Diagnostics| {
        resolve(
            &expand_named(scs, &known, diags),
            fallback,
            audience,
            &ids,
            diags,
        )
    };

    // Meetings first: releases refer to them.
    unique_slugs(
        "meeting",
        sources
            .meetings
            .iter()
            .map(|m| (m.slug.as_str(), &m.slug_origin)),
        diags,
    );
    let all_meetings: HashMap<&str, (Audience, bool)> = sources
        .meetings
        .iter()
        .map(|m| (m.slug.as_str(), (m.audience, m.draft)))
        .collect();
    let mut meetings = Vec::new();
    for m in &sources.meetings {
        let entity = m
            .entity
            .as_ref()
            .and_then(|id| entity_ref(id, &m.entity_origin, m.audience, data, entity_ids, diags));
        let mut targets = Vec::new();
        let item_visible = visible(m.audience, m.draft);
        for t in &m.targets {
            // The meeting's own entity did not resolve: reported once, above.
            if t.entity.is_none() && m.entity.is_some() && entity.is_none() {
                continue;
            }
            let Some(eid) = t.entity.as_ref().or(m.entity.as_ref()) else {
                diags.push(
                    Diagnostic::error(t.origin.clone(), "target has no entity")
                        .with_help("give the target an `entity:`, or give the meeting one"),
                );
                continue;
            };
            if !data.all_metrics.contains_key(&t.metric) {
                let mut ids: Vec<&str> = data.all_metrics.keys().map(String::as_str).collect();
                ids.sort_unstable();
                diags.push(
                    Diagnostic::error(t.origin.clone(), format!("unknown metric `{}`", t.metric))
                        .with_help_opt(did_you_mean(&t.metric, ids))
                        .unresolved(RefKind::Metric),
                );
                continue;
            }
            let Some(e) = entity_ref(eid, &t.origin, m.audience, data, entity_ids, diags) else {
                continue;
            };
            // A meeting this build leaves out is checked in the builds that include it.
            if !item_visible {
                continue;
            }
            let metric_def = sources.metrics.iter().find(|x| x.id == t.metric);
            let period = match super::periods::resolve(t.period, metric_def, &sources.config) {
                Ok(p) => p,
                Err(msg) => {
                    diags.push(Diagnostic::error(t.origin.clone(), msg));
                    continue;
                }
            };
            let key = (eid.to_string(), t.metric.clone(), period);
            let figure = metric_ids.get(&t.metric).and_then(|&mi| {
                let f = data.figure_index.get(&(e, mi, period))?;
                Some((mi, data.figures.get(*f)?))
            });
            let internal = |what: &str| {
                Diagnostic::error(
                    t.origin.clone(),
                    format!(
                        "{} meeting sets {what} target `{eid}`, `{}`, {}",
                        m.audience.as_str(),
                        t.metric,
                        t.period
                    ),
                )
                .with_help("mark the meeting `audience: internal`, or make the figure public")
            };
            match figure {
                Some((mi, f)) if f.figure.target.is_some() => {
                    if f.figure.audience > m.audience {
                        diags.push(internal(f.figure.audience.as_str()));
                        continue;
                    }
                    targets.push((e, mi, period));
                }
                _ if data.hidden_figures.contains(&key) || !metric_ids.contains_key(&t.metric) => {
                    diags.push(internal("internal"));
                }
                _ => {
                    let help = match metric_ids.get(&t.metric) {
                        Some(&mi) => nearest_periods(data, e, mi),
                        None => "record a figure with a `target:` for this entity and metric first"
                            .to_string(),
                    };
                    diags.push(
                        Diagnostic::error(
                            t.origin.clone(),
                            format!(
                                "no target recorded for `{eid}`, `{}`, {}",
                                t.metric, t.period
                            ),
                        )
                        .with_help(help)
                        .unresolved(RefKind::Figure),
                    );
                }
            }
        }
        let shortcodes = resolve_all(
            &m.shortcodes,
            Fallback::of(m.entity.as_ref().map(|_| entity), home),
            m.audience,
            diags,
        );
        if visible(m.audience, m.draft) {
            // Only the decisions this build's audience may see are kept.
            let mut meeting = m.clone();
            meeting
                .decisions
                .retain(|d| d.audience.visible_in(sel.audience));
            meetings.push(MeetingRecord {
                entity,
                targets,
                shortcodes,
                meeting,
            });
        }
    }
    meetings.sort_by(|a, b| {
        b.meeting
            .date
            .cmp(&a.meeting.date)
            .then_with(|| a.meeting.slug.cmp(&b.meeting.slug))
    });
    let meeting_index: HashMap<&str, usize> = meetings
        .iter()
        .enumerate()
        .map(|(i, m)| (m.meeting.slug.as_str(), i))
        .collect();

    unique_slugs(
        "release",
        loaded.iter().map(|r| (r.slug.as_str(), &r.slug_origin)),
        diags,
    );
    // Each release is checked alone: in parallel, each with its own
    // problems, reported in the order of the releases (or taken as checked
    // by the last build).
    let lang = sources.config.language;
    let mut before = kept.and_then(|k| k.take(lang)).unwrap_or_default();
    let build = before.build + 1;
    let around = context(sources, sel, &meetings, data);
    type Record = Option<std::sync::Arc<ReleaseRecord>>;
    // Each with its address, and its check if made (not kept).
    let checked: Vec<(Record, Diagnostics, usize, Option<kept::Checked>)> = loaded
        .into_par_iter()
        .map(|r| {
            let address = kept::address(&r);
            if let Some(c) = before
                .by_release
                .get(&address)
                .filter(|c| c.context == around && std::sync::Arc::ptr_eq(&c.release, &r))
            {
                return (c.record.clone(), c.found.clone(), address, None);
            }
            let mut found = Diagnostics::new();
            let diags = &mut found;
            let entity = r.entity.as_ref().and_then(|id| {
                entity_ref(id, &r.entity_origin, r.audience, data, entity_ids, diags)
            });
            let meeting = match &r.meeting {
                None => None,
                Some(slug) => match all_meetings.get(slug.as_str()) {
                    None => {
                        diags.push(
                            Diagnostic::error(
                                r.meeting_origin.clone(),
                                format!("unknown meeting `{slug}`"),
                            )
                            .with_help_opt(did_you_mean(
                                slug,
                                sources.meetings.iter().map(|m| m.slug.as_str()),
                            ))
                            .unresolved(RefKind::Meeting),
                        );
                        None
                    }
                    Some((aud, _)) if *aud > r.audience => {
                        diags.push(
                            Diagnostic::error(
                                r.meeting_origin.clone(),
                                format!(
                                    "{} release refers to {} meeting `{slug}`",
                                    r.audience.as_str(),
                                    aud.as_str()
                                ),
                            )
                            .with_help(
                                "mark the release `audience: internal`, or make the meeting public",
                            ),
                        );
                        None
                    }
                    Some(_) => meeting_index.get(slug.as_str()).copied(),
                },
            };
            let fallback = Fallback::of(r.entity.as_ref().map(|_| entity), home);
            let shortcodes = resolve_all(&r.shortcodes, fallback, r.audience, diags);
            let cover = match &r.cover_chart {
                None => None,
                Some(name) if broken.contains(name.as_str()) => None,
                Some(name) if sources.incomplete.charts && !named.contains_key(name.as_str()) => {
                    None
                }
                Some(name) => match named.get(name.as_str()) {
                    Some(sc) => {
                        let mut sc = (*sc).clone();
                        sc.origin = r.origin.clone();
                        resolve(std::slice::from_ref(&sc), fallback, r.audience, &ids, diags)
                            .into_iter()
                            .next()
                    }
                    None => {
                        diags.push(
                            Diagnostic::error(
                                r.origin.clone(),
                                format!(
                                    "cover_chart `{name}` is not a chart of {}",
                                    crate::load::paths::CHARTS
                                ),
                            )
                            .with_help_opt(did_you_mean(name, named.keys().copied())),
                        );
                        None
                    }
                },
            };
            let record = visible(r.audience, r.draft).then(|| {
                std::sync::Arc::new(ReleaseRecord {
                    entity,
                    meeting,
                    shortcodes,
                    cover,
                    release: r.clone(),
                })
            });
            let check = kept.map(|_| kept::Checked {
                release: r,
                context: around,
                record: record.clone(),
                found: found.clone(),
                build,
            });
            (record, found, address, check)
        })
        .collect();
    let mut releases = Vec::with_capacity(checked.len());
    for (record, found, address, check) in checked {
        diags.extend(found);
        releases.extend(record);
        match check {
            Some(c) => {
                before.by_release.insert(address, c);
            }
            None => {
                if let Some(c) = before.by_release.get_mut(&address) {
                    c.build = build;
                }
            }
        }
    }
    if let Some(k) = kept {
        before.by_release.retain(|_, c| c.build == build);
        before.build = build;
        k.keep(lang, before);
    }
    releases.sort_by(|a, b| {
        b.release
            .date
            .cmp(&a.release.date)
            .then_with(|| a.release.slug.cmp(&b.release.slug))
    });

    unique_slugs(
        "page",
        sources
            .pages
            .iter()
            .map(|p| (p.slug.as_str(), &p.slug_origin)),
        diags,
    );
    for p in &sources.pages {
        if crate::urls::RESERVED.contains(&p.slug.as_str()) {
            diags.push(
                Diagnostic::error(
                    p.slug_origin.clone(),
                    format!("page slug `{}` is reserved for rekap's own pages", p.slug),
                )
                .with_help("rename the file or set another `slug:`"),
            );
        } else if sources.config.is_multilingual()
            && sources.config.languages.iter().any(|l| l.code() == p.slug)
        {
            diags.push(
                Diagnostic::error(
                    p.slug_origin.clone(),
                    format!(
                        "page slug `{}` is the folder of the site's `{}` edition",
                        p.slug, p.slug
                    ),
                )
                .with_help("rename the file or set another `slug:`"),
            );
        }
    }
    let mut pages: Vec<PageRecord> = Vec::new();
    for p in &sources.pages {
        let shortcodes = resolve_all(&p.shortcodes, home, p.audience, diags);
        if visible(p.audience, false) {
            pages.push(PageRecord {
                shortcodes,
                page: p.clone(),
            });
        }
    }
    pages.sort_by(|a, b| {
        let key = |p: &PageRecord| (p.page.menu.unwrap_or(i32::MAX), p.page.title.clone());
        key(a).cmp(&key(b))
    });

    Content {
        releases,
        meetings,
        pages,
        named_charts,
    }
}

/// The digest of everything the check of a release reads besides the
/// release: the build's selection, which definition files failed to load,
/// every meeting's slug, audience and draft state, the order of the
/// meetings the build keeps (a release refers to its meeting by its place
/// there), the ids and audiences of every entity and metric loaded, the
/// visible entities' ids in order (a reference resolves to a place), the
/// visible metrics' definitions (periods resolve by their financial year),
/// the dimensions, the named charts, the settings and the home entity. Not
/// the figures: no release check reads a figure.
fn context(
    sources: &Sources,
    sel: Selection,
    meetings: &[MeetingRecord],
    data: &Data,
) -> kept::Context {
    let i = sources.incomplete;
    let all: Vec<(&str, Audience, bool)> = sources
        .meetings
        .iter()
        .map(|m| (m.slug.as_str(), m.audience, m.draft))
        .collect();
    let kept: Vec<&str> = meetings.iter().map(|m| m.meeting.slug.as_str()).collect();
    let incomplete = [i.entities, i.metrics, i.meetings, i.figures, i.charts];
    fn by_id(m: &super::data::ById<Audience>) -> Vec<(&str, Audience)> {
        let mut v: Vec<(&str, Audience)> = m.iter().map(|(k, a)| (k.as_str(), *a)).collect();
        v.sort_unstable_by_key(|&(k, _)| k);
        v
    }
    let entities: Vec<&str> = data.entities.iter().map(|e| e.id.as_str()).collect();
    let references = (
        by_id(&data.all_entities),
        by_id(&data.all_metrics),
        entities,
        &data.metrics,
        &sources.dimensions,
        &sources.charts,
        (data.home, data.home_failed),
    );
    // A value that cannot be digested matches no kept check (every release
    // is checked again).
    crate::digest::of(&(sel, incomplete, all, kept, references, &sources.config)).unwrap_or_else(
        |_| {
            static FRESH: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
            u128::MAX - u128::from(FRESH.fetch_add(1, std::sync::atomic::Ordering::Relaxed))
        },
    )
}

/// Whether a chart names an internal entity or metric (or its entity is an
/// internal home entity).
fn shows_internal(sc: &crate::model::Shortcode, data: &Data) -> bool {
    let internal =
        |m: &super::data::ById<Audience>, id: &str| m.get(id) == Some(&Audience::Internal);
    let entity = sc
        .args
        .get("entity")
        .map(|e| internal(&data.all_entities, e));
    let metrics = sc
        .args
        .get("metric")
        .into_iter()
        .chain(sc.args.get("metrics"))
        .flat_map(|l| l.split(','))
        .any(|m| internal(&data.all_metrics, m.trim()));
    metrics || entity.unwrap_or(false)
}

fn nearest_periods(data: &Data, e: usize, m: usize) -> String {
    let mut periods: Vec<Period> = data
        .figures
        .iter()
        .filter(|f| f.entity == e && f.metric == m && f.figure.target.is_some())
        .map(|f| f.figure.period)
        .collect();
    periods.sort();
    if periods.is_empty() {
        "record a figure with a `target:` for this entity and metric first".to_string()
    } else {
        format!(
            "targets exist for: {}",
            periods
                .iter()
                .map(|p| p.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        )
    }
}

/// The charts of `charts.yaml`, as their users see them.
struct Named<'a> {
    /// Every chart, by id.
    charts: &'a HashMap<&'a str, &'a crate::model::Shortcode>,
    /// Charts with errors (already reported).
    broken: &'a HashSet<&'a str>,
    /// Whether `charts.yaml` had errors, so a chart may be missing.
    incomplete: bool,
}

/// The name of the chart of `charts.yaml` that `sc` shows, if it is
/// `{{< chart name="x" >}}`.
fn chart_name(sc: &crate::model::Shortcode) -> Option<&String> {
    sc.args
        .get("name")
        .filter(|_| sc.kind == crate::model::ShortcodeKind::Chart)
}

/// Replaces `{{< chart name="x" >}}` by the chart named `x` in `charts.yaml`.
/// A chart with errors of its own is left out without another error.
/// Shortcodes that name no chart are taken as they are (not copied).
fn expand_named<'s>(
    shortcodes: &'s [crate::model::Shortcode],
    known: &Named,
    diags: &mut Diagnostics,
) -> std::borrow::Cow<'s, [crate::model::Shortcode]> {
    if !shortcodes.iter().any(|sc| chart_name(sc).is_some()) {
        return std::borrow::Cow::Borrowed(shortcodes);
    }
    let named = known.charts;
    let mut out = Vec::with_capacity(shortcodes.len());
    for sc in shortcodes {
        let Some(name) = chart_name(sc) else {
            out.push(sc.clone());
            continue;
        };
        if sc.args.len() > 1 {
            diags.push(
                Diagnostic::error(sc.origin.clone(), "a named chart takes no other arguments")
                    .with_help("write only name=\"...\", or give kind, metric ... without a name"),
            );
            continue;
        }
        if known.broken.contains(name.as_str())
            || (known.incomplete && !named.contains_key(name.as_str()))
        {
            continue;
        }
        match named.get(name.as_str()) {
            Some(def) => out.push(crate::model::Shortcode {
                kind: def.kind,
                custom: None,
                args: def.args.clone(),
                range: sc.range.clone(),
                origin: sc.origin.clone(),
            }),
            None => diags.push(
                Diagnostic::error(sc.origin.clone(), format!("unknown chart `{name}`")).with_help(
                    did_you_mean(name, named.keys().copied()).unwrap_or_else(|| {
                        format!("name a chart of {}", crate::load::paths::CHARTS)
                    }),
                ),
            ),
        }
    }
    std::borrow::Cow::Owned(out)
}

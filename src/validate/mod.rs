//! Stage 2, **validate**: resolve every reference, check the hierarchy and the
//! figures, and keep only what the build's audience may see.
//!
//! The result, a [`Site`], holds indices instead of ids, so later stages never
//! look anything up by name.

mod content;
mod data;
mod disclosure;
mod figures;
mod hierarchy;
mod kept;
mod periods;
pub mod shortcodes;

pub use hierarchy::Hierarchy;

use std::collections::HashMap;

use serde::Serialize;

use crate::cache::Fingerprint;
use crate::cache::kept::ByChartInputs;
use crate::diagnostics::{Diagnostics, RefKind};
use crate::load::Sources;
use crate::model::{Audience, Entity, Figure, Meeting, Metric, Page, Period, Release, SiteConfig};

/// Index of an entity in [`Site::entities`].
pub type EntityIdx = usize;
/// Index of a metric in [`Site::metrics`].
pub type MetricIdx = usize;
/// Index of a meeting in [`Site::meetings`].
pub type MeetingIdx = usize;

/// What a build includes: the audience and whether drafts are built.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Selection {
    /// Who the build is for.
    pub audience: Audience,
    /// Whether drafts are included.
    pub drafts: bool,
}

/// A figure record with its entity and metric resolved.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FigureRecord {
    /// The entity.
    pub entity: EntityIdx,
    /// The metric.
    pub metric: MetricIdx,
    /// The categories it is for (dimension, category), by dimension; empty
    /// for a figure of the whole.
    pub by: Vec<(usize, usize)>,
    /// The record as loaded.
    pub figure: Figure,
}

/// The figure records of a site, file by file (files in name order,
/// records in file order), each file's shared with what `rekap serve`
/// keeps of its check for the next build; serialised as one sequence.
pub type FigureRecords = crate::model::ByFile<FigureRecord>;

/// A release with its references resolved.
#[derive(Debug, Clone, Serialize)]
pub struct ReleaseRecord {
    /// The entity it is about, if any.
    pub entity: Option<EntityIdx>,
    /// The meeting it reports on, if any.
    pub meeting: Option<MeetingIdx>,
    /// Data shortcodes in the body, resolved.
    pub shortcodes: Vec<shortcodes::Resolved>,
    /// The cover chart (`cover_chart:`), resolved.
    pub cover: Option<shortcodes::Resolved>,
    /// The release as loaded (shared with the load's cache: `rekap serve`).
    pub release: std::sync::Arc<Release>,
}

/// A meeting with its references resolved.
#[derive(Debug, Clone, Serialize)]
pub struct MeetingRecord {
    /// The entity that held it.
    pub entity: Option<EntityIdx>,
    /// Targets set, resolved to (entity, metric, period).
    pub targets: Vec<(EntityIdx, MetricIdx, Period)>,
    /// Data shortcodes in the body, resolved.
    pub shortcodes: Vec<shortcodes::Resolved>,
    /// The meeting as loaded.
    pub meeting: Meeting,
}

/// A free page with its shortcodes resolved.
#[derive(Debug, Clone, Serialize)]
pub struct PageRecord {
    /// Data shortcodes in the body, resolved.
    pub shortcodes: Vec<shortcodes::Resolved>,
    /// The page as loaded.
    pub page: Page,
}

/// A validated site: everything visible to the build, with references resolved.
#[derive(Debug, Clone, Serialize)]
pub struct Site {
    /// Settings.
    pub config: SiteConfig,
    /// What this build includes.
    pub selection: Selection,
    /// Entities, in file order.
    pub entities: Vec<Entity>,
    /// Parent, children and depth of each entity.
    pub hierarchy: Hierarchy,
    /// The entity shown on the home page.
    pub home: Option<EntityIdx>,
    /// Metrics, in file order.
    pub metrics: Vec<Metric>,
    /// Dimensions that break figures down into categories.
    pub dimensions: Vec<crate::model::Dimension>,
    /// Figure records.
    pub figures: FigureRecords,
    /// Releases, newest first.
    pub releases: Vec<std::sync::Arc<ReleaseRecord>>,
    /// Meetings, newest first.
    pub meetings: Vec<MeetingRecord>,
    /// Free pages, by menu order then title.
    pub pages: Vec<PageRecord>,
    /// Indices of releases about each entity, newest first.
    pub releases_by_entity: Vec<Vec<usize>>,
    /// Indices of meetings held by each entity, newest first.
    pub meetings_by_entity: Vec<Vec<usize>>,
    /// Indices of releases reporting on each meeting, newest first.
    pub releases_by_meeting: Vec<Vec<usize>>,
    /// Charts named in `charts.yaml`, resolved.
    pub named_charts: Vec<(String, shortcodes::Resolved)>,
    /// Figures this build leaves out for their audience: (entity id, metric
    /// id, period). Only for telling authors why a reference fails: never
    /// serialised, since it names what the audience may not see.
    #[serde(skip)]
    pub hidden_figures: data::HiddenFigures,
}

impl Site {
    /// The index of the entity with `id`.
    pub fn entity_index(&self, id: &str) -> Option<EntityIdx> {
        self.entities.iter().position(|e| e.id == id)
    }
}

/// Validates `sources` for the build described by `selection`.
///
/// Every problem is added to `diags`. The returned site holds only what the
/// selection may see; it is complete only if `diags` has no errors.
pub fn validate(sources: Sources, selection: Selection, diags: &mut Diagnostics) -> Site {
    validate_keeping(sources, selection, diags, None)
}

/// Entities, metrics and figure records validated by one build, kept for
/// the next (`rekap serve`): they are made from the chart inputs alone (see
/// [`ByChartInputs`]), never from a document, so a build of the same chart
/// inputs takes them, with their problems, and validates only its
/// documents; of those, a release loaded unchanged is not checked again
/// while nothing its check reads changed (see `validate/kept.rs`).
#[derive(Debug, Default)]
pub struct KeptData {
    data: ByChartInputs<data::Data>,
    /// The figure files checked (see [`figures::KeptFigureFiles`]), for a
    /// build whose chart inputs changed.
    files: figures::KeptFigureFiles,
    /// The releases checked (see [`kept::KeptReleases`]).
    releases: kept::KeptReleases,
}

impl KeptData {
    /// See [`ByChartInputs::begin`].
    pub fn begin(&self, inputs: Option<Fingerprint>) {
        self.data.begin(inputs);
    }

    /// See [`ByChartInputs::end`].
    pub fn end(&self, inputs: Option<Fingerprint>) {
        self.data.end(inputs);
    }
}

/// [`validate`], taking the validated entities, metrics and figures from
/// `kept` when it holds those of these chart inputs (and keeping them there
/// otherwise).
pub fn validate_keeping(
    mut sources: Sources,
    selection: Selection,
    diags: &mut Diagnostics,
    kept: Option<&KeptData>,
) -> Site {
    let data_of = |sources: &mut Sources, d: &mut Diagnostics| {
        let data = data::validate(sources, selection, kept.map(|k| &k.files), d);
        // The loaded figures are held by their records now (and by the
        // load's cache, if any), not by the site.
        drop(std::mem::take(&mut sources.figures));
        data
    };
    let data = match kept {
        Some(kept) => {
            let lang = sources.config.language;
            kept.data
                .get_or_make(lang, diags, |d| data_of(&mut sources, d))
        }
        None => data_of(&mut sources, diags),
    };
    let ids = |v: &[String]| -> HashMap<String, usize> {
        v.iter().enumerate().map(|(i, s)| (s.clone(), i)).collect()
    };
    let entity_ids = ids(&data
        .entities
        .iter()
        .map(|e| e.id.clone())
        .collect::<Vec<_>>());
    let metric_ids = ids(&data
        .metrics
        .iter()
        .map(|m| m.id.clone())
        .collect::<Vec<_>>());
    let incomplete = sources.incomplete;
    // The releases are moved into the site, not copied (bodies and all).
    let releases = std::mem::take(&mut sources.releases);
    let content = content::validate(
        &sources,
        releases,
        selection,
        &data,
        &entity_ids,
        &metric_ids,
        kept.map(|k| &k.releases),
        diags,
    );
    // A definition file that failed to load is reported once, not again at every reference to it.
    diags.retain(|d| match d.unresolved {
        Some(RefKind::Entity) => !incomplete.entities,
        Some(RefKind::Metric) => !incomplete.metrics,
        Some(RefKind::Meeting) => !incomplete.meetings,
        Some(RefKind::Figure) => !incomplete.figures,
        None => true,
    });
    let mut releases_by_entity = vec![Vec::new(); data.entities.len()];
    let mut releases_by_meeting = vec![Vec::new(); content.meetings.len()];
    for (i, r) in content.releases.iter().enumerate() {
        if let Some(e) = r.entity {
            releases_by_entity[e].push(i);
        }
        if let Some(m) = r.meeting {
            releases_by_meeting[m].push(i);
        }
    }
    let mut meetings_by_entity = vec![Vec::new(); data.entities.len()];
    for (i, m) in content.meetings.iter().enumerate() {
        if let Some(e) = m.entity {
            meetings_by_entity[e].push(i);
        }
    }
    Site {
        releases_by_entity,
        meetings_by_entity,
        releases_by_meeting,
        config: sources.config,
        selection,
        entities: data.entities,
        hierarchy: data.hierarchy,
        home: data.home,
        metrics: data.metrics,
        dimensions: sources.dimensions.clone(),
        figures: data.figures,
        releases: content.releases,
        meetings: content.meetings,
        pages: content.pages,
        hidden_figures: data.hidden_figures,
        named_charts: content.named_charts,
    }
}

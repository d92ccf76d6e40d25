//! Figures broken down by category (participant type, sex, age group):
//! their share of the whole, their status against their own targets, and the
//! check that the categories of a complete dimension add up to their total,
//! as children are checked against their parent.
//!
//! A total that is not recorded is taken from a complete set of categories.
//! Category figures are shown as recorded: they are neither rolled up
//! through time nor added up the hierarchy.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::{Cells, Derivation, Status, Tracked, formulas, plain};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::{Audience, Origin, Period};
use crate::validate::{EntityIdx, FigureRecord, MetricIdx, Site};

/// (dimension, category) indices into [`Site::dimensions`], by dimension.
pub type Key = Vec<(usize, usize)>;

/// One figure of a category.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CategoryCell {
    /// The entity.
    pub entity: EntityIdx,
    /// The metric.
    pub metric: MetricIdx,
    /// The period.
    pub period: Period,
    /// The categories it is for.
    pub by: Key,
    /// Actual.
    pub actual: Option<f64>,
    /// Target.
    pub target: Option<f64>,
    /// actual / target.
    pub attainment: Option<f64>,
    /// Performance in the metric's direction.
    pub performance: Option<f64>,
    /// Status of a closed period against its target (a category in a period
    /// in progress has none: its pace is not known).
    pub status: Status,
    /// Its actual as a share of the whole's (the same entity, metric and period
    /// without categories).
    pub share: Option<f64>,
    /// Date measured, for a period in progress.
    pub as_of: Option<jiff::civil::Date>,
    /// Sources.
    pub sources: Vec<String>,
    /// Audience.
    pub audience: Audience,
    /// Where it was recorded.
    pub origin: Origin,
}

/// Splits off the records that are for categories, and for each whole
/// (entity, metric, period) with no actual of its own, takes it from a
/// complete dimension all of whose categories have one.
pub(super) fn split<'a>(
    records: impl Iterator<Item = &'a FigureRecord>,
) -> (Vec<&'a FigureRecord>, Vec<CategoryCell>) {
    let mut whole = Vec::new();
    let mut cats = Vec::new();
    for rec in records {
        if rec.by.is_empty() {
            whole.push(rec);
            continue;
        }
        let f = &rec.figure;
        cats.push(CategoryCell {
            entity: rec.entity,
            metric: rec.metric,
            period: f.period,
            by: rec.by.clone(),
            actual: f.actual,
            target: f.target.and_then(|t| t.value),
            attainment: None,
            performance: None,
            status: Status::NoData,
            share: None,
            as_of: f.as_of,
            sources: vec![f.source.clone()],
            audience: f.audience,
            origin: f.origin.clone(),
        });
    }
    (whole, cats)
}

/// For every whole with no actual, the sum of a complete dimension's
/// categories (all measured at the same date), as a reported-like cell.
pub(super) fn fill_totals(site: &Site, cats: &[CategoryCell], by_metric: &mut [Cells]) {
    for (group, _, parts) in complete_sets(site, cats, &[]) {
        let (e, m, p) = group;
        let cells = &mut by_metric[m];
        if cells.get(&(e, m, p)).is_some_and(|c| c.actual.is_some()) {
            continue;
        }
        let as_of = parts[0].as_of;
        if parts.iter().any(|c| c.as_of != as_of) {
            continue;
        }
        let sum: f64 = parts.iter().filter_map(|c| c.actual).sum();
        let c = cells
            .entry((e, m, p))
            .or_insert_with(|| Tracked::empty(e, m, p));
        c.actual = Some(sum);
        c.actual_from = Some(Derivation::FromCategories);
        c.as_of = as_of;
        for part in &parts {
            c.audience = c.audience.max(part.audience);
            for s in &part.sources {
                if !c.sources.contains(s) {
                    c.sources.push(s.clone());
                }
            }
        }
        if c.origin.is_none() {
            c.origin = Some(parts[0].origin.clone());
        }
    }
}

/// The sets of category cells that complete a dimension under a key: for
/// each (entity, metric, period) and each key `under` (the categories of
/// other dimensions held fixed; `&[]` for the whole), each complete
/// dimension all of whose categories have an actual there.
#[allow(clippy::type_complexity)]
fn complete_sets<'a>(
    site: &Site,
    cats: &'a [CategoryCell],
    under: &[(usize, usize)],
) -> Vec<((EntityIdx, MetricIdx, Period), usize, Vec<&'a CategoryCell>)> {
    let mut groups: BTreeMap<(EntityIdx, MetricIdx, Period), Vec<&CategoryCell>> = BTreeMap::new();
    for c in cats.iter().filter(|c| c.actual.is_some()) {
        groups
            .entry((c.entity, c.metric, c.period))
            .or_default()
            .push(c);
    }
    let mut out = Vec::new();
    for (group, cells) in groups {
        for (d, dim) in site.dimensions.iter().enumerate() {
            if !dim.complete || under.iter().any(|(ud, _)| *ud == d) {
                continue;
            }
            let parts: Vec<&CategoryCell> = (0..dim.categories.len())
                .filter_map(|c| {
                    let mut key: Key = under.to_vec();
                    key.push((d, c));
                    key.sort_unstable();
                    cells.iter().copied().find(|x| x.by == key)
                })
                .collect();
            if parts.len() == dim.categories.len() {
                out.push((group, d, parts));
            }
        }
    }
    out
}

/// Derived values of every category cell, and the check of every complete
/// set of categories against its total (the whole, or a category of another
/// dimension for cross-tabulations like sex by age group).
pub(super) fn derive_and_check(
    site: &Site,
    cats: &mut [CategoryCell],
    whole: &super::Report,
    diags: &mut Diagnostics,
) {
    for c in cats.iter_mut() {
        let metric = &site.metrics[c.metric];
        c.attainment = formulas::attainment(c.actual, c.target);
        c.performance = formulas::performance(c.actual, c.target, metric.direction);
        let in_progress = c.as_of.is_some_and(|d| d < c.period.end_date());
        c.status = if in_progress {
            Status::NoData
        } else {
            Status::closed(c.performance, &site.config.status)
        };
        let total = whole
            .get(c.entity, c.metric, c.period)
            .and_then(|t| t.actual);
        c.share = match (c.actual, total) {
            (Some(a), Some(t)) if t != 0.0 => Some(a / t),
            _ => None,
        };
    }
    // Every key that appears (and the whole) may be a total of a complete dimension.
    let keys: BTreeSet<Key> = cats
        .iter()
        .flat_map(|c| {
            (0..c.by.len()).map(move |skip| {
                let mut k = c.by.clone();
                k.remove(skip);
                k
            })
        })
        .collect();
    for under in keys {
        for ((e, m, p), d, parts) in complete_sets(site, cats, &under) {
            let sum: f64 = parts.iter().filter_map(|c| c.actual).sum();
            let (total, at) = if under.is_empty() {
                match whole.get(e, m, p) {
                    Some(t) if t.actual_from != Some(Derivation::FromCategories) => {
                        (t.actual, t.origin.clone())
                    }
                    _ => continue,
                }
            } else {
                match cats
                    .iter()
                    .find(|c| c.entity == e && c.metric == m && c.period == p && c.by == under)
                {
                    Some(t) => (t.actual, Some(t.origin.clone())),
                    None => continue,
                }
            };
            let Some(total) = total else { continue };
            let tolerance = 1e-9 * total.abs().max(sum.abs()).max(1.0);
            if (total - sum).abs() > tolerance {
                let dim = &site.dimensions[d];
                diags.push(
                    Diagnostic::warning(
                        at.unwrap_or_else(|| parts[0].origin.clone()),
                        format!(
                            "`{}` reports {} for `{}` {p}{}, but its categories by `{}` add up to {}",
                            site.entities[e].id,
                            plain(total),
                            site.metrics[m].id,
                            describe(site, &under),
                            dim.id,
                            plain(sum)
                        ),
                    )
                    .with_help(format!(
                        "correct one of the figures, or mark dimension `{}` `total: partial` if its categories do not cover the whole",
                        dim.id
                    )),
                );
            }
        }
    }
    cats.sort_by(|a, b| {
        (a.entity, a.metric, &a.by, a.period).cmp(&(b.entity, b.metric, &b.by, b.period))
    });
}

/// ` (sex: female)` for a key, empty for the whole.
fn describe(site: &Site, key: &[(usize, usize)]) -> String {
    if key.is_empty() {
        return String::new();
    }
    let parts: Vec<String> = key
        .iter()
        .map(|&(d, c)| {
            let dim = &site.dimensions[d];
            format!("{}: {}", dim.id, dim.categories[c].id)
        })
        .collect();
    format!(" ({})", parts.join(", "))
}

#[cfg(test)]
mod tests {
    use crate::compute::fixture::{Computed, compute_with};
    use crate::compute::{Derivation, Status};
    use crate::model::{Audience, Period};

    const REGION: &str = "  - {id: wilayah, name: Wilayah, kind: region}\n";

    const DIMENSIONS: &str = "dimensions:
  - id: type
    name: Jenis
    categories:
      - {id: pu, name: PU}
      - {id: bpu, name: BPU}
  - id: sex
    name: Jenis kelamin
    total: partial
    categories:
      - {id: f, name: Perempuan}
      - {id: m, name: Laki-laki}
";

    fn site(figures: &[&str]) -> Computed {
        let records: String = figures
            .iter()
            .map(|f| format!("  - {{entity: wilayah, metric: m, {f}}}\n"))
            .collect();
        compute_with(
            REGION,
            "  - {id: m, name: Peserta, aggregate: none, unit: people}\n",
            &format!("source: Laporan\nfigures:\n{records}"),
            &[("content/data/dimensions.yaml", DIMENSIONS)],
            Audience::Public,
        )
    }

    fn whole(c: &Computed, p: Period) -> Option<&crate::compute::Tracked> {
        c.cell("wilayah", "m", p)
    }

    /// The category cell of `period` for `category` of dimension `dim`.
    fn category<'a>(
        c: &'a Computed,
        dim: &str,
        category: &str,
        period: Period,
    ) -> &'a super::CategoryCell {
        let d = c
            .site
            .dimensions
            .iter()
            .position(|x| x.id == dim)
            .expect("a dimension");
        let k = c.site.dimensions[d]
            .categories
            .iter()
            .position(|x| x.id == category)
            .expect("a category");
        c.report
            .categories
            .iter()
            .find(|x| x.by == [(d, k)] && x.period == period)
            .expect("a category cell")
    }

    const Y: Period = Period::Year(2016);

    #[test]
    fn a_complete_dimension_makes_the_total_and_each_category_its_share() {
        let c = site(&[
            "period: 2016, actual: 300, target: 250, by: {type: pu}",
            "period: 2016, actual: 100, target: 125, by: {type: bpu}",
        ]);
        let w = whole(&c, Y).expect("a total");
        assert_eq!(w.actual, Some(400.0));
        assert_eq!(w.actual_from, Some(Derivation::FromCategories));
        assert_eq!(w.sources, ["Laporan".to_string()]);
        let pu = category(&c, "type", "pu", Y);
        assert_eq!(pu.share, Some(0.75));
        assert_eq!(pu.attainment, Some(1.2));
        assert_eq!(pu.status, Status::Achieved);
        let bpu = category(&c, "type", "bpu", Y);
        assert_eq!(bpu.share, Some(0.25));
        assert_eq!(bpu.attainment, Some(0.8));
        assert_eq!(bpu.status, Status::Missed);
        assert!(c.warnings().is_empty(), "{:?}", c.warnings());
    }

    #[test]
    fn a_partial_dimension_or_an_incomplete_set_makes_no_total() {
        let c = site(&[
            "period: 2016, actual: 300, by: {sex: f}",
            "period: 2016, actual: 100, by: {sex: m}",
        ]);
        assert_eq!(
            whole(&c, Y).and_then(|w| w.actual),
            None,
            "`sex` is partial"
        );
        let c = site(&["period: 2016, actual: 300, by: {type: pu}"]);
        assert_eq!(whole(&c, Y).and_then(|w| w.actual), None, "bpu is missing");
        // Measured on different days: they do not add up either.
        let c = site(&[
            "period: 2016, actual: 300, as_of: 2016-06-30, by: {type: pu}",
            "period: 2016, actual: 100, as_of: 2016-09-30, by: {type: bpu}",
        ]);
        assert_eq!(whole(&c, Y).and_then(|w| w.actual), None);
        // On the same day: a total to date, and no status for its categories.
        let c = site(&[
            "period: 2016, actual: 300, target: 250, as_of: 2016-06-30, by: {type: pu}",
            "period: 2016, actual: 100, as_of: 2016-06-30, by: {type: bpu}",
        ]);
        let w = whole(&c, Y).expect("a total to date");
        assert_eq!(
            (w.actual, w.as_of),
            (Some(400.0), Some(jiff::civil::date(2016, 6, 30)))
        );
        assert_eq!(category(&c, "type", "pu", Y).status, Status::NoData);
        // Measured on the year's last day: a closed year, with a status.
        let c = site(&[
            "period: 2016, actual: 300, target: 250, as_of: 2016-12-31, by: {type: pu}",
            "period: 2016, actual: 100, as_of: 2016-12-31, by: {type: bpu}",
        ]);
        assert_eq!(category(&c, "type", "pu", Y).status, Status::Achieved);
    }

    #[test]
    fn a_reported_total_stands_and_is_checked_against_its_categories() {
        let c = site(&[
            "period: 2016, actual: 500",
            "period: 2016, actual: 300, by: {type: pu}",
            "period: 2016, actual: 100, by: {type: bpu}",
        ]);
        let w = whole(&c, Y).expect("reported");
        assert_eq!(
            (w.actual, w.actual_from),
            (Some(500.0), Some(Derivation::Reported))
        );
        assert_eq!(category(&c, "type", "pu", Y).share, Some(0.6));
        assert_eq!(
            c.warnings(),
            ["`wilayah` reports 500 for `m` 2016, but its categories by `type` add up to 400"]
        );
        let c = site(&[
            "period: 2016, actual: 400",
            "period: 2016, actual: 300, by: {type: pu}",
            "period: 2016, actual: 100, by: {type: bpu}",
        ]);
        assert!(c.warnings().is_empty(), "{:?}", c.warnings());
        // A total of zero gives no share.
        let c = site(&[
            "period: 2016, actual: 0",
            "period: 2016, actual: 0, by: {type: pu}",
            "period: 2016, actual: 0, by: {type: bpu}",
        ]);
        assert_eq!(category(&c, "type", "pu", Y).share, None);
    }

    #[test]
    fn a_cross_tabulation_is_checked_against_the_category_it_breaks_down() {
        let c = site(&[
            "period: 2016, actual: 300, by: {type: pu}",
            "period: 2016, actual: 100, by: {type: bpu}",
            "period: 2016, actual: 120, by: {type: pu, sex: f}",
            "period: 2016, actual: 170, by: {type: pu, sex: m}",
        ]);
        // `sex` is partial: its categories are not checked against `pu`...
        assert!(c.warnings().is_empty(), "{:?}", c.warnings());
        // ...but those of `type`, complete, are checked against a sex.
        let c = site(&[
            "period: 2016, actual: 200, by: {sex: f}",
            "period: 2016, actual: 120, by: {type: pu, sex: f}",
            "period: 2016, actual: 70, by: {type: bpu, sex: f}",
        ]);
        assert_eq!(
            c.warnings(),
            [
                "`wilayah` reports 200 for `m` 2016 (sex: f), but its categories by `type` add up to 190"
            ]
        );
    }
}

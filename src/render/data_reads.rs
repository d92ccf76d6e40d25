//! What of the figures a page reads, noted as it reads them.
//!
//! The render stage reads the report only through a [`ReportReader`]. A
//! reader made for one page ([`ReportReader::noting`]) notes each entity
//! whose tracked values or category figures the page reads, and each chart
//! it takes ([`ReportReader::note_chart`]); anything read whole (every
//! value of the report) is noted as [`DataReads::all`]. After a change of
//! figures, a page whose noted entities have the values they had, and whose
//! charts are as they were, shows what it showed (see
//! [`Changes`]); `rekap serve` then keeps it without making its values.
//!
//! What every page may read besides (the report's periods and years, the
//! entities, metrics and settings) is in the page's frame
//! (see [`reads`](super::pages::reads)).

use std::collections::HashSet;
use std::sync::{Arc, Mutex, PoisonError};

use rayon::prelude::*;

use super::chart_plan::ChartKey;
use super::chart_views::Charts;
use crate::compute::{Report, Tracked, categories::CategoryCell};
use crate::model::Period;
use crate::validate::{EntityIdx, MetricIdx};

/// What of the figures one page read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DataReads {
    /// Whether it read something of the report whole (not by entity).
    pub all: bool,
    /// The entities whose values it read (sorted and unique once
    /// [`DataReads::finish`]ed).
    pub entities: Vec<u32>,
    /// The charts it took (likewise).
    pub charts: Vec<ChartKey>,
}

impl DataReads {
    /// Sorts and dedups what was noted.
    pub fn finish(mut self) -> DataReads {
        self.entities.sort_unstable();
        self.entities.dedup();
        self.charts.sort_unstable();
        self.charts.dedup();
        self
    }

    fn entity(&mut self, e: EntityIdx) {
        let e = e as u32;
        // Reads come in runs of one entity: note a run once.
        if self.entities.last() != Some(&e) {
            self.entities.push(e);
        }
    }
}

/// The report as the render stage reads it: every read of an entity's
/// values noted where a page's reads are wanted.
#[derive(Clone, Copy)]
pub struct ReportReader<'a> {
    report: &'a Arc<Report>,
    reads: Option<&'a Mutex<DataReads>>,
}

impl std::fmt::Debug for ReportReader<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReportReader")
            .field("noting", &self.reads.is_some())
            .finish()
    }
}

impl<'a> ReportReader<'a> {
    /// A reader of `report` that notes nothing.
    pub fn new(report: &'a Arc<Report>) -> ReportReader<'a> {
        ReportReader {
            report,
            reads: None,
        }
    }

    /// This reader, noting every read into `reads`.
    pub fn noting(self, reads: &'a Mutex<DataReads>) -> ReportReader<'a> {
        ReportReader {
            reads: Some(reads),
            ..self
        }
    }

    fn with(&self, f: impl FnOnce(&mut DataReads)) {
        if let Some(reads) = self.reads {
            f(&mut reads.lock().unwrap_or_else(PoisonError::into_inner));
        }
    }

    /// Notes a read of the values of entity `e` (for what is worked out
    /// from them once and shared, such as the charts an entity page shows).
    pub fn note_entity(&self, e: EntityIdx) {
        self.with(|r| r.entity(e));
    }

    /// Notes that the chart `key` was taken.
    pub fn note_chart(&self, key: &ChartKey) {
        self.with(|r| r.charts.push(key.clone()));
    }

    /// Notes a read of the whole report.
    pub fn note_all(&self) {
        self.with(|r| r.all = true);
    }

    /// The report whole, its every value noted as read.
    pub fn whole(&self) -> &'a Report {
        self.note_all();
        self.report
    }

    /// The report, shared, nothing noted (to keep it for comparing the next
    /// build's with).
    pub fn shared(&self) -> Arc<Report> {
        self.report.clone()
    }

    /// The tracked value for an entity, metric and period.
    pub fn get(&self, e: EntityIdx, m: MetricIdx, p: Period) -> Option<&'a Tracked> {
        self.note_entity(e);
        self.report.get(e, m, p)
    }

    /// All tracked values of an entity for a metric, by period.
    pub fn series(&self, e: EntityIdx, m: MetricIdx) -> impl Iterator<Item = &'a Tracked> + 'a {
        self.note_entity(e);
        self.report.series(e, m)
    }

    /// All tracked values of an entity, by metric and period.
    pub fn of_entity(&self, e: EntityIdx) -> impl Iterator<Item = &'a Tracked> + 'a {
        self.note_entity(e);
        self.report.of_entity(e)
    }

    /// The category figures of an entity for a metric.
    pub fn categories_of(
        &self,
        e: EntityIdx,
        m: MetricIdx,
    ) -> impl Iterator<Item = &'a CategoryCell> + 'a {
        self.note_entity(e);
        self.report.categories_of(e, m)
    }

    /// Where `c` is in the report's cells, if it is one of them (no read:
    /// `c` was read to be had).
    pub fn position(&self, c: &Tracked) -> Option<usize> {
        self.report.position(c)
    }

    /// Every period with a value, sorted (in every page's frame).
    pub fn periods(&self) -> &'a [Period] {
        &self.report.periods
    }

    /// Every year with a value, sorted (in every page's frame).
    pub fn years(&self) -> &'a [i32] {
        &self.report.years
    }
}

/// Where each entity's values start in `values` (ordered by entity), and
/// last where they end: `entities + 1` places.
pub(super) fn entity_starts<T>(
    values: &[T],
    entities: usize,
    entity: impl Fn(&T) -> usize,
) -> Vec<usize> {
    (0..=entities)
        .map(|e| values.partition_point(|c| entity(c) < e))
        .collect()
}

/// Which entities' values (tracked values and category figures) differ
/// between two reports of the same entities, and whether they are one
/// report (then nothing of it differs, not even what belongs to no entity).
#[derive(Debug, Clone)]
pub struct ChangedEntities {
    changed: Arc<[bool]>,
    one_report: bool,
}

impl ChangedEntities {
    /// Those of `before` and `now`, reports of the same `entities`
    /// entities (none compared if they are one report).
    pub fn between(entities: usize, before: &Arc<Report>, now: &Arc<Report>) -> ChangedEntities {
        if Arc::ptr_eq(before, now) {
            return ChangedEntities {
                changed: vec![false; entities].into(),
                one_report: true,
            };
        }
        let changed = (0..entities)
            .into_par_iter()
            .map(|e| {
                !(before.of_entity(e).eq(now.of_entity(e))
                    && categories_of_entity(before, e).eq(categories_of_entity(now, e)))
            })
            .collect::<Vec<bool>>()
            .into();
        ChangedEntities {
            changed,
            one_report: false,
        }
    }

    /// Whether entity `e`'s values are as they were: its tracked values
    /// and category figures, each equal to the one at the same place among
    /// the entity's in the report before (an entity beyond those compared
    /// counts as changed).
    pub fn unchanged(&self, e: usize) -> bool {
        !self.changed.get(e).copied().unwrap_or(true)
    }

    /// Whether what was read of the values of `entities` is as it was.
    pub fn none_of(&self, entities: &[u32]) -> bool {
        entities
            .iter()
            .all(|&e| !self.changed.get(e as usize).copied().unwrap_or(true))
    }
}

/// What changed between the figures and charts of two builds of the same
/// entities: which entities' values, which charts.
pub struct Changes {
    entities: ChangedEntities,
    charts: HashSet<ChartKey>,
}

impl Changes {
    /// The changes from `before` charts to `now`'s, with the entities
    /// whose values changed between the reports they were drawn from.
    pub fn between(entities: ChangedEntities, before: &Charts, now: &Charts) -> Changes {
        let (old_charts, new_charts) = (before, now);
        // Both maps in key order, side by side; then the pairs compared in
        // parallel.
        let mut pairs = Vec::with_capacity(new_charts.len());
        let (mut a, mut b) = (old_charts.iter().peekable(), new_charts.iter().peekable());
        loop {
            let pair = match (a.peek(), b.peek()) {
                (None, None) => break,
                (Some((ka, _)), Some((kb, _))) => match ka.cmp(kb) {
                    std::cmp::Ordering::Less => (a.next(), None),
                    std::cmp::Ordering::Greater => (None, b.next()),
                    std::cmp::Ordering::Equal => (a.next(), b.next()),
                },
                (Some(_), None) => (a.next(), None),
                (None, Some(_)) => (None, b.next()),
            };
            pairs.push(pair);
        }
        let charts = pairs
            .into_par_iter()
            .filter_map(|pair| match pair {
                (Some((k, x)), Some((_, y))) => (!(Arc::ptr_eq(x, y) || x == y)).then(|| k.clone()),
                (Some((k, _)), None) | (None, Some((k, _))) => Some(k.clone()),
                (None, None) => None,
            })
            .collect();
        Changes { entities, charts }
    }

    /// Whether a page that read `reads` reads the same now. One that read
    /// the whole report reads the same only from the very same report (it
    /// may have read what belongs to no entity).
    pub fn none_in(&self, reads: &DataReads) -> bool {
        (!reads.all || self.entities.one_report)
            && self.entities.none_of(&reads.entities)
            && (self.charts.is_empty() || reads.charts.iter().all(|k| !self.charts.contains(k)))
    }
}

/// The category figures of entity `e`, every metric.
fn categories_of_entity(r: &Report, e: EntityIdx) -> impl Iterator<Item = &CategoryCell> {
    let start = r.categories.partition_point(|c| c.entity < e);
    r.categories[start..]
        .iter()
        .take_while(move |c| c.entity == e)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compute::fixture::{Computed, compute};
    use crate::model::Audience;
    use crate::render::chart_plan::{Grain, Kind};
    use crate::render::chart_views::ChartView;

    /// A region of two provinces and a lower-is-better monthly rate with
    /// decimals, averaged up; `alpha`'s March actual is `march`.
    fn site(march: &str) -> Computed {
        let figures: String = ["alpha", "beta"]
            .iter()
            .flat_map(|e| {
                (1..=4).map(move |m| {
                    let actual = match (*e, m) {
                        ("alpha", 3) => march.to_string(),
                        _ => format!("2.{m}5"),
                    };
                    format!(
                        "  - {{entity: {e}, metric: m, period: \"2016-{m:02}\", target: 2.5, actual: {actual}}}\n"
                    )
                })
            })
            .collect();
        compute(
            "  - {id: wilayah, name: Wilayah, kind: region}
  - {id: alpha, name: Alpha, kind: province, parent: wilayah}
  - {id: beta, name: Beta, kind: province, parent: wilayah}
",
            "  - {id: m, name: Kecelakaan, unit: percent, decimals: 2, aggregate: mean, direction: lower}\n",
            &format!("source: Laporan\nfigures:\n{figures}"),
            Audience::Public,
        )
    }

    fn chart(entity: EntityIdx) -> ChartKey {
        ChartKey::over_time(Kind::Trend, entity, 0, Grain::Month)
    }

    fn view(png: Option<&str>) -> Arc<ChartView> {
        Arc::new(ChartView {
            slug: "s".to_string(),
            kind: Kind::Trend,
            title: "T".to_string(),
            subtitle: String::new(),
            desc: String::new(),
            svg: Default::default(),
            svg_narrow: None,
            svg_url: "/s.svg".to_string(),
            png_url: png.map(str::to_string),
            table: Default::default(),
            source: String::new(),
            illustrative: false,
            data_end: None,
        })
    }

    #[test]
    fn a_noting_reader_notes_each_entity_read_and_a_plain_one_nothing() {
        let c = site("2.35");
        let report = Arc::new(c.report);
        let alpha = c.site.entity_index("alpha").unwrap();
        let beta = c.site.entity_index("beta").unwrap();
        let plain = ReportReader::new(&report);
        let reads = Mutex::new(DataReads::default());
        let noting = plain.noting(&reads);

        assert!(plain.get(alpha, 0, Period::Month(2016, 3)).is_some());
        plain.whole();
        assert_eq!(*reads.lock().unwrap(), DataReads::default());

        assert!(noting.get(beta, 0, Period::Month(2016, 3)).is_some());
        assert_eq!(
            noting.series(alpha, 0).count(),
            noting.of_entity(alpha).count()
        );
        noting.note_chart(&chart(beta));
        noting.note_chart(&chart(beta));
        // Periods and years are in every page's frame: no read.
        assert!(!noting.periods().is_empty());
        let noted = reads.lock().unwrap().clone().finish();
        assert_eq!(noted.entities, [alpha as u32, beta as u32]);
        assert_eq!(noted.charts, [chart(beta)]);
        assert!(!noted.all);
        noting.whole();
        assert!(reads.lock().unwrap().all, "the whole report is everything");
    }

    #[test]
    fn a_changed_month_reaches_its_entity_and_the_mean_above_it_not_its_sibling() {
        let (before, after) = (site("2.35"), site("2.95"));
        let e = |id: &str| before.site.entity_index(id).unwrap() as u32;
        let n = before.site.entities.len();
        let charts = Charts::new();
        let (before_report, after_report) = (Arc::new(before.report), Arc::new(after.report));
        let changed = ChangedEntities::between(n, &before_report, &after_report);
        let changes = Changes::between(changed, &charts, &charts);
        let read = |entities: &[u32]| DataReads {
            entities: entities.to_vec(),
            ..DataReads::default()
        };
        assert!(changes.none_in(&read(&[e("beta")])), "beta is as it was");
        assert!(!changes.none_in(&read(&[e("alpha")])));
        assert!(
            !changes.none_in(&read(&[e("beta"), e("wilayah")])),
            "the mean moved"
        );
        assert!(changes.none_in(&read(&[])));
        assert!(!changes.none_in(&DataReads {
            all: true,
            ..read(&[])
        }));
        // The same figures: nothing changed, compared or not.
        let again = Arc::new(site("2.35").report);
        for now in [&before_report, &again] {
            let same = ChangedEntities::between(n, &before_report, now);
            let c = Changes::between(same, &charts, &charts);
            assert!(c.none_in(&read(&[e("alpha"), e("beta"), e("wilayah")])));
        }
        // The whole report read: the same only if it is the very report
        // (a save of a document), not an equal one made again.
        let whole = DataReads {
            all: true,
            ..read(&[])
        };
        let one = Changes::between(
            ChangedEntities::between(n, &before_report, &before_report),
            &charts,
            &charts,
        );
        assert!(one.none_in(&whole));
        let equal = Changes::between(
            ChangedEntities::between(n, &before_report, &again),
            &charts,
            &charts,
        );
        assert!(!equal.none_in(&whole));
    }

    #[test]
    fn a_chart_read_is_the_same_only_if_it_is_there_as_it_was() {
        let c = site("2.35");
        let n = c.site.entities.len();
        let shared = view(None);
        let before: Charts = [
            (chart(0), shared.clone()),
            (chart(1), view(None)),
            (chart(2), view(None)),
        ]
        .into_iter()
        .collect();
        let now: Charts = [
            (chart(0), shared),
            // Made again, equal.
            (chart(1), view(None)),
            // Now with a PNG (another chart became a page's first).
            (chart(2), view(Some("/s.png"))),
            // New.
            (
                ChartKey::over_time(Kind::Trend, 0, 0, Grain::Annual),
                view(None),
            ),
        ]
        .into_iter()
        .collect();
        let report = Arc::new(c.report);
        let same = ChangedEntities::between(n, &report, &report);
        let changes = Changes::between(same.clone(), &before, &now);
        let read = |charts: Vec<ChartKey>| DataReads {
            charts,
            ..DataReads::default()
        };
        assert!(changes.none_in(&read(vec![chart(0), chart(1)])));
        assert!(!changes.none_in(&read(vec![chart(0), chart(2)])));
        assert!(!changes.none_in(&read(vec![ChartKey::over_time(
            Kind::Trend,
            0,
            0,
            Grain::Annual
        )])));
        // Gone since.
        let gone = Changes::between(same, &now, &before);
        assert!(!gone.none_in(&read(vec![ChartKey::over_time(
            Kind::Trend,
            0,
            0,
            Grain::Annual
        )])));
    }
}

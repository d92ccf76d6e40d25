//! Charts of the computed site, drawn: their titles (the finding),
//! subtitles, descriptions, keys, sources and data tables in the site's
//! language, and the inputs the drawing code in [`super::charts`] needs.
//! Each unique chart is drawn once per build, in parallel, wide and narrow,
//! and shared by every page that shows it.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;

use super::chart_plan::{self, ChartKey, Kind};
use super::chart_plot::Plot;
use super::chart_text::{any_illustrative, data_end, source_line};
use super::charts::{Frame, KeyItem, Labels, Size};
use super::memo::{KeptReads, RenderMemo};
use super::views::Viewer;
use super::{chart_parts, chart_time};
use crate::compute::Tracked;

/// A data table: the chart's numbers as text, for readers who cannot see it.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct DataTable {
    /// Column headings.
    pub columns: Vec<String>,
    /// Rows of cells.
    pub rows: Vec<Vec<String>>,
}

/// A drawn chart, as templates see it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChartView {
    /// Stable file name stem (`sulawesi-maluku--contributions--actual-vs-target`).
    pub slug: String,
    /// Kind.
    pub kind: Kind,
    /// Title, stating the finding (also the SVG `<title>`).
    pub title: String,
    /// Unit, whose figures and which periods.
    pub subtitle: String,
    /// Description (also the SVG `<desc>`).
    pub desc: String,
    /// The SVG document for a page column, to inline in the page.
    pub svg: Drawing,
    /// The same chart laid out for a phone, to inline beside it (none for
    /// sparklines).
    pub svg_narrow: Option<Drawing>,
    /// URL of the SVG file.
    pub svg_url: String,
    /// URL of the PNG file, when one is written.
    pub png_url: Option<String>,
    /// The same data as a table.
    pub table: DataTable,
    /// Where the figures come from (`Sumber: ...`), their distinct sources.
    pub source: String,
    /// Whether any figure drawn rests on an illustrative source.
    pub illustrative: bool,
    /// The latest day the figures drawn reach.
    #[serde(skip)]
    pub data_end: Option<jiff::civil::Date>,
}

/// A chart's SVG document, and what it is drawn from, when that is known.
///
/// Templates see the SVG text. A page's digest ([`crate::digest`], whose
/// serializer is not human-readable) sees the *identity* instead, when there
/// is one: a chart's drawing is a function of its plot and frame alone, and
/// the identity is a digest of those (see the `chart_plot` module).
/// A page can then be digested without drawing its charts ([`sketch`]), and
/// a chart keeps its identity when figures it does not draw change.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Drawing {
    text: Arc<str>,
    identity: Option<u128>,
}

impl Drawing {
    /// The SVG text (empty for a sketch).
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// What it is drawn from, when that is known.
    pub fn identity(&self) -> Option<u128> {
        self.identity
    }
}

impl std::ops::Deref for Drawing {
    type Target = str;

    fn deref(&self) -> &str {
        &self.text
    }
}

impl Serialize for Drawing {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.identity {
            Some(id) if !s.is_human_readable() => s.serialize_u128(id),
            _ => s.serialize_str(&self.text),
        }
    }
}

/// What the code for one kind of chart hands back.
pub(super) struct Drawn<'a> {
    /// The finding.
    pub(super) title: String,
    /// Unit, whose figures, which periods.
    pub(super) subtitle: String,
    /// What the chart shows, with its numbers.
    pub(super) desc: String,
    /// The key.
    pub(super) key: Vec<KeyItem>,
    /// What the chart is drawn from, besides its frame.
    pub(super) plot: Plot,
    /// Whether a narrow layout is drawn too.
    pub(super) narrow: bool,
    /// The numbers as a table.
    pub(super) table: DataTable,
    /// Every figure drawn (for the sources).
    pub(super) cells: Vec<&'a Tracked>,
}

/// Every chart drawn for a build, by key (shared with the [`RenderMemo`]
/// that keeps them for the next build).
pub type Charts = BTreeMap<ChartKey, Arc<ChartView>>;

/// Draws the charts the build needs (see [`chart_plan`]) before the pages,
/// with a PNG for those the site's `charts_png` asks for (none if `skip_png`),
/// taking those `memo` kept from an earlier build of the same chart inputs.
/// Returns them with how many came from the memo, and how many charts the
/// build shows in all.
///
/// Without a memo, the charts that only an entity page shows (its trends
/// and sparklines, with no PNG, placed nowhere) are left to that page,
/// which draws them when it is built: they are then never all in memory at
/// once. With a memo, every chart is drawn here, to be kept.
pub fn draw_site(
    v: &Viewer,
    skip_png: bool,
    memo: Option<&RenderMemo>,
) -> (Arc<Charts>, usize, usize) {
    let Some(memo) = memo else {
        let mut keys = chart_plan::all(v);
        keys.sort();
        keys.dedup();
        let total = keys.len();
        let png = chart_plan::with_png(v, &keys, skip_png);
        let own = chart_plan::entity_page_only(v);
        keys.retain(|k| png.contains(k) || !own.contains(k));
        return (Arc::new(draw_all(v, keys, &|k| png.contains(k))), 0, total);
    };
    // A chart of the last build is this build's if it was made in the same
    // frame, from values of the entities it read that are as they were,
    // with a PNG as wanted.
    let report = v.report.shared();
    let frame = frame(v);
    let mut before = frame.and_then(|f| memo.take_charts(v.lang, f));
    let placed = chart_plan::placed(v);
    let planned = |total: usize| super::memo::ChartsPlanned {
        placed: placed.clone(),
        years: v.index.years.clone(),
        skip_png,
        total,
    };
    // From the very report of the last build (no figure changed), in the
    // same frame, with the same charts placed, years and PNGs wanted: the
    // same charts (the list is a function of those alone), the last
    // build's whole, without listing them again.
    if let Some(b) =
        before.take_if(|b| Arc::ptr_eq(&b.report, &report) && b.plan == planned(b.plan.total))
    {
        let charts = b.charts.clone();
        let total = b.plan.total;
        memo.keep_charts(v.lang, b);
        return (charts, total, total);
    }
    let mut keys = chart_plan::all_with(v, placed.clone());
    keys.sort();
    keys.dedup();
    let total = keys.len();
    let png = chart_plan::with_png(v, &keys, skip_png);
    let png = |k: &ChartKey| png.contains(k);
    // From the very report of the last build (no figure changed), the same
    // charts with the same PNGs: the last build's, whole.
    if let Some(mut b) = before.take_if(|b| {
        Arc::ptr_eq(&b.report, &report)
            && b.charts.len() == keys.len()
            && keys.iter().all(|k| {
                b.charts
                    .get(k)
                    .is_some_and(|c| c.png_url.is_some() == png(k))
            })
    }) {
        let charts = b.charts.clone();
        b.plan = planned(total);
        memo.keep_charts(v.lang, b);
        return (charts, total, total);
    }
    let changed = before
        .as_ref()
        .map(|b| memo.changed_entities(v.site.entities.len(), &b.report, &report));
    // The last build's drawing of each chart that is as it was, found on
    // every thread (tens of thousands of keys on a large site, every figure
    // save).
    let same: Vec<Option<Arc<ChartView>>> = match (before.as_ref(), changed.as_ref()) {
        (Some(b), Some(changed)) => keys
            .par_iter()
            .map(|k| {
                let view = b.charts.get(k)?;
                let read = b.reads.get(k)?;
                let same = view.png_url.is_some() == png(k)
                    && !read.all
                    && read.charts.is_empty()
                    && changed.none_of(&read.entities);
                same.then(|| view.clone())
            })
            .collect(),
        _ => vec![None; keys.len()],
    };
    let mut kept = Vec::with_capacity(keys.len());
    let mut reads: KeptReads = HashMap::with_capacity_and_hasher(keys.len(), Default::default());
    let mut missing = Vec::new();
    for (k, view) in keys.into_iter().zip(same) {
        let was = view
            .zip(before.as_mut())
            .and_then(|(view, b)| Some((view, b.reads.remove(&k)?)));
        match was {
            Some((view, read)) => {
                reads.insert(k.clone(), read);
                kept.push((k, view));
            }
            None => missing.push(k),
        }
    }
    let reused = kept.len();
    // The others are made again, each noting what it reads, but a drawing
    // whose plot and frame are those of a drawing the memo holds (the
    // figures it shows did not change) is taken from it.
    let made: Vec<_> = missing
        .into_par_iter()
        .map(|k| {
            let noted = std::sync::Mutex::new(super::data_reads::DataReads::default());
            let view = Arc::new(view(&v.noting(&noted), &k, png(&k), Pen::Memo(memo)));
            let noted = noted
                .into_inner()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .finish();
            (k, view, noted)
        })
        .collect();
    for (k, view, read) in made {
        reads.insert(k.clone(), read);
        kept.push((k, view));
    }
    // Built at once from the list sorted (most of it already is), not
    // key by key.
    let charts: Charts = kept.into_iter().collect();
    let charts = Arc::new(charts);
    if let Some(frame) = frame {
        memo.keep_charts(
            v.lang,
            super::memo::KeptCharts {
                frame,
                report,
                charts: charts.clone(),
                reads,
                plan: planned(total),
            },
        );
    }
    if let Some(before) = before {
        memo.free_later(before);
    }
    (charts, reused, total)
}

/// The digest of what every chart of the build of `v` is made from but the
/// values of the report (which each chart reads through `v.report`, noted):
/// the language, the settings (with the interface strings and the site's
/// address), the entities, their hierarchy, the metrics and dimensions, and
/// the report's periods and years. `None` if some value cannot be digested.
pub(super) fn frame(v: &Viewer) -> Option<u128> {
    let site = v.site;
    crate::digest::of(&(
        v.lang.code(),
        &site.config,
        (&site.config.strings.id, &site.config.strings.en),
        &site.entities,
        &site.hierarchy,
        &site.metrics,
        &site.dimensions,
        v.report.periods(),
        v.report.years(),
        v.chart_inputs.map(|f| f.0),
    ))
    .ok()
}

/// How [`view`] comes by a chart's drawing.
#[derive(Clone, Copy)]
enum Pen<'a> {
    /// It does not: a sketch.
    Sketch,
    /// It draws it.
    Draw,
    /// It takes it from the memo's drawings by its identity, or draws it
    /// and keeps it there (see [`RenderMemo::drawing`]).
    Memo(&'a RenderMemo),
}

/// Draws every chart in `keys` once, in parallel; `png` says which get a PNG.
pub fn draw_all(
    v: &Viewer,
    keys: Vec<ChartKey>,
    png: &(dyn Fn(&ChartKey) -> bool + Sync),
) -> Charts {
    draw_with(v, keys, png, Pen::Draw)
}

/// [`draw_all`] with `pen`.
fn draw_with(
    v: &Viewer,
    keys: Vec<ChartKey>,
    png: &(dyn Fn(&ChartKey) -> bool + Sync),
    pen: Pen,
) -> Charts {
    let mut keys = keys;
    keys.sort();
    keys.dedup();
    keys.into_par_iter()
        .map(|k| {
            let view = view(v, &k, png(&k), pen);
            (k, Arc::new(view))
        })
        .collect()
}

/// The sketches of every chart in `keys` (see [`sketch`]), with no PNG;
/// `None` unless the viewer knows the fingerprint of the chart inputs.
pub fn sketch_all(v: &Viewer, keys: &[ChartKey]) -> Option<Charts> {
    keys.iter()
        .map(|k| sketch(v, k, false).map(|c| (k.clone(), Arc::new(c))))
        .collect()
}

/// Draws one chart.
pub fn draw(v: &Viewer, key: &ChartKey, with_png: bool) -> ChartView {
    view(v, key, with_png, Pen::Draw)
}

/// One chart as [`draw`] makes it, all but its drawing: a *sketch*, whose
/// SVG documents are empty, for a page that is only digested. `None` unless
/// the viewer knows the fingerprint of the chart inputs (the sketch then
/// digests as the drawn chart does; see [`Drawing`]).
pub fn sketch(v: &Viewer, key: &ChartKey, with_png: bool) -> Option<ChartView> {
    v.chart_inputs.map(|_| view(v, key, with_png, Pen::Sketch))
}

/// [`draw`], or [`sketch`], as `pen` says.
fn view(v: &Viewer, key: &ChartKey, with_png: bool, pen: Pen) -> ChartView {
    let slug = key.slug(v);
    let svg_url = v.urls.chart(&format!("{slug}.svg"));
    let png_url = with_png.then(|| svg_url.replace(".svg", ".png"));
    let d = match key.kind {
        Kind::ActualVsTarget | Kind::Trend | Kind::Sparkline => chart_time::over_time(v, key),
        Kind::Cumulative => chart_time::so_far(v, key),
        Kind::Breakdown => chart_parts::breakdown(v, key),
        Kind::Composition => chart_parts::composition(v, key),
        Kind::Categories => chart_parts::categories(v, key),
    };
    let frame = Frame {
        labels: Labels {
            title: d.title.clone(),
            desc: d.desc.clone(),
        },
        key: d.key,
        size: Size::Wide,
    };
    let drawing = |size: Size| {
        let frame = frame.at(size);
        // The identity, wherever pages are digested: by `rekap build` with
        // its records (`chart_inputs`), and with the memo.
        let identity = || v.chart_inputs.and_then(|_| d.plot.identity(&frame));
        let (text, identity) = match pen {
            Pen::Sketch => (Arc::from(""), identity()),
            Pen::Draw => (Arc::from(d.plot.draw(&frame)), identity()),
            Pen::Memo(memo) => memo.drawing(&d.plot, &frame),
        };
        Drawing { text, identity }
    };
    let svg = drawing(Size::Wide);
    let svg_narrow = d.narrow.then(|| drawing(Size::Narrow));
    ChartView {
        slug,
        kind: key.kind,
        title: d.title,
        subtitle: d.subtitle,
        desc: d.desc,
        svg,
        svg_narrow,
        svg_url,
        png_url,
        table: d.table,
        source: source_line(v, &d.cells),
        illustrative: any_illustrative(&d.cells),
        data_end: data_end(d.cells.iter().copied()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn drawing(text: &str, identity: Option<u128>) -> Drawing {
        Drawing {
            text: Arc::from(text),
            identity,
        }
    }

    #[test]
    fn a_drawing_digests_by_its_identity_when_it_has_one() {
        let digest = |d: &Drawing| crate::digest::of(d).unwrap();
        let drawn = drawing("<svg>…</svg>", Some(7));
        let sketch = drawing("", Some(7));
        assert_eq!(digest(&drawn), digest(&sketch), "drawn or only sketched");
        assert_ne!(digest(&drawn), digest(&drawing("<svg>…</svg>", Some(8))));
        // With no identity, its text is what it is.
        assert_eq!(digest(&drawing("a", None)), digest(&drawing("a", None)));
        assert_ne!(digest(&drawing("a", None)), digest(&drawing("b", None)));
        assert_ne!(digest(&drawing("", None)), digest(&sketch));
    }

    #[test]
    fn templates_see_the_svg_text() {
        let mut c = tera::Context::new();
        c.insert("svg", &drawing("<svg/>", Some(7)));
        assert_eq!(
            c.get("svg").and_then(|v| v.as_str()),
            Some("<svg/>"),
            "the identity is for digests only"
        );
    }
}

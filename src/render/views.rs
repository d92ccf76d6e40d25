//! View models: the computed site as templates see it.
//!
//! Every number appears twice: raw (for machines and custom templates) and
//! formatted in the site's language (for readers). Templates never do
//! arithmetic or formatting of their own.

use std::borrow::Cow;

use serde::Serialize;

use crate::compute::{ContentIndex, Status, Tracked};
use crate::model::{Lang, Metric, Period};
use crate::validate::{EntityIdx, MetricIdx, Site};

use super::cells::{self, CellView};
use super::i18n;
use crate::urls::Urls;

/// A link: text and URL.
#[derive(Debug, Clone, Serialize)]
pub struct Link {
    /// Visible text.
    pub name: String,
    /// Target URL.
    pub url: String,
    /// The language of `name` when it differs from the page's (`id` in an
    /// English build showing an Indonesian name).
    pub lang: Option<&'static str>,
}

impl Link {
    /// A link whose text is in the page's language.
    pub fn new(name: impl Into<String>, url: impl Into<String>) -> Link {
        Link {
            name: name.into(),
            url: url.into(),
            lang: None,
        }
    }
}

/// A metric as templates see it.
#[derive(Debug, Clone, Serialize)]
pub struct MetricView {
    /// Id.
    pub id: String,
    /// Name in the site's language.
    pub name: String,
    /// Unit key (`people`, `currency` ...).
    pub unit: &'static str,
    /// Currency code, for currency metrics.
    pub currency: Option<String>,
    /// Description.
    pub description: Option<String>,
}

/// What a headline card shows for one metric.
#[derive(Debug, Clone, Copy)]
pub struct Headline<'a> {
    /// The latest period with a final actual.
    pub latest: Option<&'a Tracked>,
    /// A later period still in progress (year-to-date actual).
    pub current: Option<&'a Tracked>,
    /// The first later period with a target and no actual yet.
    pub next: Option<&'a Tracked>,
}

/// The view-building context: the site, its report, and how to write numbers.
#[derive(Clone, Copy)]
pub struct Viewer<'a> {
    /// The validated site.
    pub site: &'a Site,
    /// The computed report, read through a reader that notes what a page
    /// reads of it where that is wanted.
    pub report: super::data_reads::ReportReader<'a>,
    /// Years and taxonomies.
    pub index: &'a ContentIndex,
    /// The site's language.
    pub lang: Lang,
    /// URL builder.
    pub urls: &'a Urls,
    /// Every tracked value of the report, formatted once, when first asked
    /// for ([`cells::Formatted`]).
    pub cells: &'a [std::sync::OnceLock<std::sync::Arc<CellView>>],
    /// The site's language editions, when there are several.
    pub editions: Option<&'a super::Editions>,
    /// The fingerprint of the inputs charts are drawn from, when the build
    /// records its pages' digests for the next (`rekap build`): a chart is
    /// then digested by what it is drawn from, not by its drawing (see
    /// [`Drawing`](super::chart_views::Drawing)).
    pub chart_inputs: Option<crate::cache::Fingerprint>,
    /// The charts each entity's page shows, by entity, planned once when
    /// first asked for (see [`entity_charts`](super::chart_plan::entity_charts));
    /// empty where nothing is kept (each is then planned every time).
    pub entity_charts: &'a [std::sync::OnceLock<Vec<super::chart_plan::ChartKey>>],
}

impl<'a> Viewer<'a> {
    /// This viewer, its report read through a reader that notes every read
    /// into `reads` (for one chart, body or page: see
    /// [`data_reads`](super::data_reads)).
    pub fn noting(&self, reads: &'a std::sync::Mutex<super::data_reads::DataReads>) -> Viewer<'a> {
        Viewer {
            report: self.report.noting(reads),
            ..*self
        }
    }

    /// A word from the interface string table.
    pub fn t(&self, key: &str) -> &'static str {
        i18n::text_in(key, self.lang, &self.site.config.strings).unwrap_or("?")
    }

    /// An entity's name in the site's language.
    pub fn entity_name(&self, e: EntityIdx) -> String {
        self.site.entities[e].name.get(self.lang).to_string()
    }

    /// The name of an entity's level in the site's language (`Provinsi`).
    pub fn level_name(&self, e: EntityIdx) -> String {
        let kind = &self.site.entities[e].kind;
        self.site
            .config
            .level(kind)
            .map(|l| l.name.get(self.lang).to_string())
            .unwrap_or_else(|| kind.clone())
    }

    /// How the children of `e` are named as a group: "per provinsi" / "by
    /// province" when they are all of one level, else the word for a breakdown.
    pub fn children_label(&self, e: EntityIdx) -> String {
        let kids = self.site.hierarchy.children(e);
        let first = kids.first().map(|&k| &self.site.entities[k].kind);
        match (first, self.t("by_level")) {
            (Some(kind), by) if kids.iter().all(|&k| &self.site.entities[k].kind == kind) => {
                let name = self
                    .site
                    .config
                    .level(kind)
                    .map(|l| l.name.get(self.lang).to_lowercase())
                    .unwrap_or_else(|| kind.clone());
                format!("{by} {name}")
            }
            _ => self.t("children").to_lowercase(),
        }
    }

    /// A link to an entity's page.
    pub fn entity_link(&self, e: EntityIdx) -> Link {
        Link {
            name: self.entity_name(e),
            url: self.urls.entity(&self.site.entities[e].id),
            lang: self.lang_of(&self.site.entities[e].name),
        }
    }

    /// The `lang` attribute `text` needs on this site's pages: the code of
    /// the language it is shown in when that is not the site's (a Text that
    /// fell back to Indonesian, or plain text in a content language other
    /// than the site's).
    pub fn lang_of(&self, text: &crate::model::Text) -> Option<&'static str> {
        let shown = text.resolve(self.lang).1.unwrap_or(self.content_lang());
        (shown != self.lang).then_some(shown.code())
    }

    /// The language of the site's Markdown, front matter and plain text.
    pub fn content_lang(&self) -> Lang {
        self.site.config.content_lang()
    }

    /// The `lang` attribute the site's own Markdown and front matter need
    /// (`None` when they are in the site's language).
    pub fn content_lang_attr(&self) -> Option<&'static str> {
        (self.content_lang() != self.lang).then_some(self.content_lang().code())
    }

    /// The `lang` attribute the Markdown and front matter shown in this
    /// edition need: translations are in the edition's language.
    pub fn docs_lang_attr(&self) -> Option<&'static str> {
        let docs = self.site.config.docs_lang();
        (docs != self.lang).then_some(docs.code())
    }

    /// A metric's view.
    pub fn metric(&self, m: MetricIdx) -> MetricView {
        let metric = &self.site.metrics[m];
        MetricView {
            id: metric.id.clone(),
            name: metric.name.get(self.lang).to_string(),
            unit: metric.unit.as_str(),
            currency: metric.currency.clone(),
            description: metric
                .description
                .as_ref()
                .map(|d| d.get(self.lang).to_string()),
        }
    }

    /// Formats a value of metric `m`, compact or full; the "no data" word for `None`.
    pub fn value(&self, m: &Metric, v: Option<f64>, compact: bool) -> String {
        cells::value(m, v, self.lang, &self.site.config.strings, compact)
    }

    /// The view of one tracked value, borrowed from [`Viewer::cells`] when
    /// the value is one of the report's.
    pub fn cell(&self, c: &Tracked) -> Cow<'a, CellView> {
        match self.shared_cell(c) {
            Some(view) => Cow::Borrowed(view),
            None => Cow::Owned(cells::format(
                &self.site.metrics,
                &self.site.config.strings,
                self.lang,
                c,
            )),
        }
    }

    /// The shared view of `c`, if it is one of the report's values.
    pub fn shared_cell(&self, c: &Tracked) -> Option<&'a CellView> {
        let (site, lang) = (self.site, self.lang);
        self.report
            .position(c)
            .and_then(|i| self.cells.get(i))
            .map(|view| {
                &**view.get_or_init(|| {
                    std::sync::Arc::new(cells::format(&site.metrics, &site.config.strings, lang, c))
                })
            })
    }

    /// The headline of (e, m): the latest full period with an actual, a
    /// later period in progress, and the first later period with only a target.
    pub fn headline(&self, e: EntityIdx, m: MetricIdx) -> Headline<'a> {
        let series: Vec<&Tracked> = self
            .report
            .series(e, m)
            .filter(|c| c.period.is_annual())
            .collect();
        let in_progress = |c: &Tracked| c.as_of.is_some_and(|d| d < c.period.end_date());
        let latest = series
            .iter()
            .rev()
            .find(|c| c.actual.is_some() && !in_progress(c))
            .copied();
        let current = series
            .iter()
            .rev()
            .find(|c| {
                c.actual.is_some() && in_progress(c) && latest.is_none_or(|l| c.period > l.period)
            })
            .copied();
        let next = series
            .iter()
            .find(|c| {
                c.target.is_some()
                    && c.actual.is_none()
                    && latest.is_none_or(|l| c.period > l.period)
            })
            .copied();
        Headline {
            latest,
            current,
            next,
        }
    }

    /// Children of `e` with their value for (m, p), best first by their
    /// [`score`](Tracked::score) in the metric's direction; no data last.
    pub fn ranking(&self, e: EntityIdx, m: MetricIdx, p: Period) -> Vec<(EntityIdx, &'a Tracked)> {
        let mut rows: Vec<(EntityIdx, &Tracked)> = self
            .site
            .hierarchy
            .children(e)
            .iter()
            .filter_map(|&k| self.report.get(k, m, p).map(|c| (k, c)))
            .collect();
        rows.sort_by(|a, b| {
            let key = |c: &Tracked| c.score().map(|x| -x).unwrap_or(f64::INFINITY);
            key(a.1)
                .total_cmp(&key(b.1))
                .then_with(|| self.site.entities[a.0].id.cmp(&self.site.entities[b.0].id))
        });
        rows
    }

    /// Status word with its symbol (`✓ Tercapai`).
    pub fn status_text(&self, s: Status) -> String {
        format!("{} {}", s.symbol(), self.t(s.key()))
    }
}

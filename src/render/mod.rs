//! Stage 4, **render**: the decided site ([`SiteModel`]) and the theme into
//! the files of the built site, each handed to a [`Sink`] as soon as it is
//! ready. Render reads no file: everything it needs is in its two inputs.
//!
//! [`render`] is a list of steps, each in its own module: format every value
//! ([`cells`]), set what every template sees ([`globals`]), draw the charts
//! ([`chart_views`], planned by [`chart_plan`]), then at the same time write
//! the chart images ([`images`]) and render the Markdown ([`bodies`]) and the
//! pages ([`pages`]); last the downloads ([`downloads`]), feeds and sitemap
//! ([`feeds`]), search index ([`search`]) and static files ([`assets`]).

pub mod abbr;
pub mod assets;
pub mod attrs;
pub mod bodies;
pub mod cells;
mod chart_parts;
pub mod chart_plan;
mod chart_plot;
pub mod chart_text;
mod chart_time;
pub mod chart_views;
pub mod charts;
pub mod data_reads;
pub mod doc_digests;
pub mod downloads;
pub mod feeds;
pub mod globals;
pub mod i18n;
pub mod images;
mod kept_links;
pub mod links;
pub mod markdown;
pub mod memo;
pub mod pages;
pub mod recorded;
pub mod relative;
pub mod search;
pub mod shortcodes;
pub mod templates;
pub mod views;

mod editions;
pub use editions::{Edition, Editions, Translation};

use std::time::{Duration, Instant};

use crate::compute::SiteModel;
use crate::diagnostics::Diagnostic;
use crate::model::Theme;
use crate::urls::Urls;
use crate::write::{Kept, OutputFile, Sink, WriteError};
use templates::Templates;
use views::Viewer;

/// Timings and counts from rendering.
#[derive(Debug, Clone, Default)]
pub struct RenderStats {
    /// HTML pages rendered.
    pub pages: usize,
    /// Charts the pages show (SVG), PNGs included in `charts_time` only for those written.
    pub charts: usize,
    /// How many of them were taken from [`RenderOptions::memo`] rather
    /// than drawn.
    pub charts_reused: usize,
    /// Markdown bodies rendered (releases, meetings and pages).
    pub bodies: usize,
    /// How many of them were taken from [`RenderOptions::memo`].
    pub bodies_reused: usize,
    /// How many pages were taken from [`RenderOptions::memo`] rather than
    /// rendered.
    pub pages_reused: usize,
    /// Time drawing charts (SVG).
    pub charts_time: Duration,
    /// Time writing the charts shared as images (SVG and PNG files), while
    /// the Markdown and pages are rendered.
    pub png_time: Duration,
    /// Time rendering Markdown bodies (shortcodes included).
    pub markdown_time: Duration,
    /// Time building contexts, rendering templates and writing the pages.
    pub pages_time: Duration,
    /// Time writing downloads, feeds, search index, sitemap and assets.
    pub files_time: Duration,
    /// Warnings found while rendering (a placed chart that draws nothing).
    pub warnings: Vec<Diagnostic>,
}

/// How to render.
#[derive(Debug, Clone, Copy, Default)]
pub struct RenderOptions<'a> {
    /// The site's languages, when it is published in more than one: each
    /// page then links to its translations.
    pub editions: Option<&'a Editions>,
    /// Make every link and asset relative (archive mode, opens from `file://`).
    pub relative_urls: bool,
    /// Skip rasterising PNGs (`check` needs no images).
    pub skip_png: bool,
    /// Charts, bodies and pages kept from an earlier build, to take instead
    /// of making them again, and to keep this build's in (`rekap serve`).
    pub memo: Option<&'a memo::RenderMemo>,
    /// The digests of the pages of the build in the output: a page with the
    /// same digest is kept from the output unrendered (see
    /// [`Sink::keep`]), and this build's are recorded there (`rekap build`).
    pub recorded: Option<&'a recorded::Recorded>,
}

/// Why rendering failed.
#[derive(Debug)]
pub enum RenderError {
    /// Template or shortcode errors, with their places.
    Content(Vec<Diagnostic>),
    /// A file could not be written.
    Write(WriteError),
}

impl std::fmt::Display for RenderError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RenderError::Content(d) => {
                for x in d {
                    writeln!(f, "{x}")?;
                }
                write!(f, "{} template error(s)", d.len())
            }
            RenderError::Write(e) => write!(f, "cannot write the site: {e}"),
        }
    }
}

impl std::error::Error for RenderError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            RenderError::Write(e) => Some(e),
            RenderError::Content(_) => None,
        }
    }
}

/// Where a step hands its finished files.
pub type Put<'a> = &'a (dyn Fn(OutputFile) -> Result<(), RenderError> + Sync);

/// Renders every file of the site described by `model`, with `theme`.
///
/// # Errors
///
/// Every template error found, or the first write error.
pub fn render(
    model: &SiteModel,
    theme: &Theme,
    opts: RenderOptions,
    sink: &dyn Sink,
) -> Result<RenderStats, RenderError> {
    if let Some(e) = opts.editions {
        let prefixed = editions::Prefixed {
            inner: sink,
            folder: e.folder(model.site.config.language),
        };
        return render_edition(model, theme, opts, &prefixed);
    }
    render_edition(model, theme, opts, sink)
}

/// [`render`] into a sink that already puts the files in the edition's folder.
fn render_edition(
    model: &SiteModel,
    theme: &Theme,
    opts: RenderOptions,
    sink: &dyn Sink,
) -> Result<RenderStats, RenderError> {
    let sink = &Tracked::new(sink);
    let site = &model.site;
    let lang = site.config.language;
    let urls = Urls::new(&site.config.base_url);
    // The report's figures as they are, copied once for the memo (with the
    // formatted values and the downloads' rows made from them).
    // Every value formatted once per build, when first asked for (or kept,
    // with the charts: they are made from the same inputs). A value the
    // last build formatted and that is as it was is taken formatted (after
    // a change of figures).
    let cells = match opts.memo {
        Some(memo) => memo.cells(lang).unwrap_or_else(|| {
            let around = cells::around(site, lang);
            let kept = memo.formats(lang);
            let cells = std::sync::Arc::new(match around {
                Some(around) => {
                    // Which entities' values are as they were, worked out
                    // once for the build (the pages and charts ask too).
                    let same = kept.as_deref().filter(|k| k.around == around).map(|k| {
                        memo.changed_entities(site.entities.len(), &k.report, &model.report)
                    });
                    cells::carried_over(&model.report, around, kept.as_deref(), same.as_ref())
                }
                None => cells::unformatted(&model.report),
            });
            drop(kept);
            memo.keep_cells(lang, cells.clone());
            if let Some(around) = around {
                memo.keep_formats(
                    lang,
                    cells::KeptFormats {
                        around,
                        report: model.report.clone(),
                        formatted: cells.clone(),
                    },
                );
            }
            cells
        }),
        None => std::sync::Arc::new(cells::unformatted(&model.report)),
    };
    let entity_charts: Vec<std::sync::OnceLock<_>> = (0..site.entities.len())
        .map(|_| std::sync::OnceLock::new())
        .collect();
    let v = Viewer {
        site,
        report: data_reads::ReportReader::new(&model.report),
        index: &model.index,
        lang,
        urls: &urls,
        cells: &cells,
        editions: opts.editions,
        chart_inputs: opts.recorded.map(|r| r.chart_inputs),
        entity_charts: &entity_charts,
    };
    let (errors, warnings): (Vec<Diagnostic>, Vec<Diagnostic>) = chart_plan::check_placed(&v)
        .into_iter()
        .partition(Diagnostic::is_error);
    if !errors.is_empty() {
        return Err(RenderError::Content(errors));
    }
    let mut templates = Templates::new(theme, lang).map_err(RenderError::Content)?;
    globals::set(&mut templates, &v, theme);
    // Each release digested once (or kept), for its body's key and the
    // pages' frame.
    let docs = match opts.memo {
        Some(memo) => {
            let (docs, keep) = doc_digests::releases(&site.releases, Some(memo.take_digests(lang)));
            memo.keep_digests(lang, keep.unwrap_or_default());
            docs
        }
        None => doc_digests::releases(&site.releases, None).0,
    };

    let t = Instant::now();
    let (charts, charts_reused, charts_shown) =
        chart_views::draw_site(&v, opts.skip_png, opts.memo);
    let mut stats = RenderStats {
        charts: charts_shown,
        charts_reused,
        charts_time: t.elapsed(),
        warnings,
        ..RenderStats::default()
    };

    let (images, text) = rayon::join(
        || timed(|| images::write(&v, &charts, sink)),
        || {
            let (bodies, markdown_time) = timed(|| {
                let kept: Option<&dyn bodies::KeptBodies> = match (opts.memo, opts.recorded) {
                    (Some(memo), _) => Some(memo),
                    (None, Some(recorded)) => Some(recorded),
                    (None, None) => None,
                };
                bodies::render(&v, &templates, &charts, &docs, kept, opts.memo)
            });
            let bodies = bodies?;
            // The list of entities' rows: an earlier build's taken where
            // they are the same.
            let latest =
                pages::Latest::new(&templates, opts.memo.and_then(|m| m.take_list_rows(lang)));
            let p = pages::Pages {
                v: &v,
                latest: &latest,
                docs: &docs,
                charts: &charts,
                bodies: pages::reads::BodyReader::new(&bodies),
                own: None,
                values: pages::values::Mode::Context,
                figures: match (opts.memo, opts.recorded) {
                    (Some(memo), _) => Some(memo),
                    (None, Some(recorded)) => Some(recorded),
                    (None, None) => None,
                },
            };
            let (paths, pages_time) = timed(|| pages::write(&p, &templates, opts, sink));
            if let Some(memo) = opts.memo
                && let Some(rows) = latest.into_kept()
            {
                memo.keep_list_rows(lang, rows);
            }
            Ok::<_, RenderError>((bodies, paths?, markdown_time, pages_time))
        },
    );
    let (bodies, (page_paths, pages_reused), markdown_time, pages_time) = text?;
    stats.bodies = bodies.len();
    stats.bodies_reused = bodies.reused;
    stats.pages_reused = pages_reused;
    let ((), png_time) = (images.0?, images.1);
    // The data files need no chart: free them first.
    drop(charts);

    let t = Instant::now();
    let put = |f: OutputFile| sink.put(f).map_err(RenderError::Write);
    // One after the other (each in parallel): the downloads and the search
    // index are the largest files, and are never in memory together.
    match opts.recorded {
        Some(recorded) => downloads_recorded(&v, recorded, sink, &put)?,
        None => downloads_kept(&v, opts.memo, &put)?,
    }
    // The feeds and the search index, side by side.
    let (feeds, search) = rayon::join(
        || feeds::write(&v, &templates, &bodies, &page_paths, &docs, opts.memo, &put),
        || search::write(&v, &bodies, &docs, opts.memo, &put),
    );
    feeds?;
    search?;
    // A static file of the site never silently takes the place of a file
    // rekap writes (nor the other way round).
    let clashes = assets::clashes(theme, &sink.paths());
    if !clashes.is_empty() {
        return Err(RenderError::Content(clashes));
    }
    assets::write(theme, &put)?;

    stats.pages = page_paths.len() + 1;
    stats.png_time = png_time;
    stats.markdown_time = markdown_time;
    stats.pages_time = pages_time;
    stats.files_time = t.elapsed();
    Ok(stats)
}

/// Step **downloads**, or the files the memo kept from an earlier build of
/// the same chart inputs and years (from which alone they are made); keeps
/// this build's in the memo. Made again, they take from the memo each
/// entity's rows whose figures are as they were (see
/// [`downloads::write_keeping`]).
fn downloads_kept(
    v: &Viewer,
    memo: Option<&memo::RenderMemo>,
    put: Put,
) -> Result<(), RenderError> {
    let Some(memo) = memo else {
        return downloads::write(v, put);
    };
    if let Some(files) = memo.downloads(v.lang, &v.index.years) {
        for (path, mut pieces) in files {
            let contents = match pieces.len() {
                1 => crate::write::Contents::Shared(pieces.remove(0)),
                _ => crate::write::Contents::Pieces(pieces),
            };
            put(OutputFile { path, contents })?;
        }
        return Ok(());
    }
    let made = std::sync::Mutex::new(Vec::new());
    // A copied file is not kept: then nothing is.
    let copied = std::sync::atomic::AtomicBool::new(false);
    let around = downloads::around(v);
    let before = around.and_then(|_| memo.rows(v.lang));
    // Which entities' values are as they were, worked out once for the
    // build (the values formatted, the pages and the charts ask too).
    let same = |k: &downloads::KeptRows| {
        memo.changed_entities(v.site.entities.len(), &k.report, &v.report.shared())
    };
    let rows = downloads::write_keeping(v, around.map(|a| (a, before.as_deref())), &same, &|f| {
        // Kept as handed over: whole, or in pieces.
        let (pieces, contents) = match f.contents {
            crate::write::Contents::Bytes(b) => {
                let b = bytes::Bytes::from(b);
                (vec![b.clone()], crate::write::Contents::Shared(b))
            }
            crate::write::Contents::Shared(b) => {
                (vec![b.clone()], crate::write::Contents::Shared(b))
            }
            crate::write::Contents::Pieces(p) => (p.clone(), crate::write::Contents::Pieces(p)),
            crate::write::Contents::Copy(_) => {
                copied.store(true, std::sync::atomic::Ordering::Relaxed);
                return put(f);
            }
        };
        made.lock()
            .unwrap_or_else(|e| e.into_inner())
            .push((f.path.clone(), pieces));
        put(OutputFile {
            path: f.path,
            contents,
        })
    })?;
    drop(before);
    if let Some(around) = around {
        memo.keep_rows(
            v.lang,
            downloads::KeptRows {
                around,
                report: v.report.shared(),
                entities: rows.entities,
                years: rows.years,
            },
        );
    }
    if !copied.into_inner() {
        let mut files = made.into_inner().unwrap_or_else(|e| e.into_inner());
        files.sort_by(|a, b| a.0.cmp(&b.0));
        memo.keep_downloads(v.lang, v.index.years.clone(), files);
    }
    Ok(())
}

/// Step **downloads** for `rekap build`: keeps the output's downloads if
/// the build in the output made them from this build's chart inputs and
/// years (from which alone they are made), else makes those it could not
/// keep; records this build's.
fn downloads_recorded(
    v: &Viewer,
    recorded: &recorded::Recorded,
    sink: &dyn Sink,
    put: Put,
) -> Result<(), RenderError> {
    use rayon::prelude::*;
    let years = &v.index.years;
    let mut kept = std::collections::HashSet::new();
    if let Some(paths) = recorded.downloads(v.lang, years) {
        let found: Vec<Option<&String>> = paths
            .par_iter()
            .map(|p| Ok(sink.keep(p)?.map(|_| p)))
            .collect::<Result<_, WriteError>>()
            .map_err(RenderError::Write)?;
        kept.extend(found.into_iter().flatten());
        if kept.len() == paths.len() {
            recorded.record_downloads(v.lang, years, paths.to_vec());
            return Ok(());
        }
    }
    let made = std::sync::Mutex::new(Vec::new());
    downloads::write(v, &|f: OutputFile| {
        made.lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(f.path.clone());
        if kept.contains(&f.path) {
            return Ok(());
        }
        put(f)
    })?;
    let made = made.into_inner().unwrap_or_else(|e| e.into_inner());
    recorded.record_downloads(v.lang, years, made);
    Ok(())
}

/// A sink that remembers the path of every file it is handed.
struct Tracked<'a> {
    inner: &'a dyn Sink,
    paths: std::sync::Mutex<Vec<String>>,
}

impl<'a> Tracked<'a> {
    fn new(inner: &'a dyn Sink) -> Tracked<'a> {
        Tracked {
            inner,
            paths: std::sync::Mutex::new(Vec::new()),
        }
    }

    /// Every path handed so far.
    fn paths(&self) -> std::collections::HashSet<String> {
        self.paths
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
            .cloned()
            .collect()
    }
}

impl Sink for Tracked<'_> {
    fn put(&self, file: OutputFile) -> Result<(), WriteError> {
        self.paths
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(file.path.clone());
        self.inner.put(file)
    }

    fn reuse(&self, path: &str, source: &str) -> Result<bool, WriteError> {
        let kept = self.inner.reuse(path, source)?;
        if kept {
            self.paths
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push(path.to_string());
        }
        Ok(kept)
    }

    fn keep(&self, path: &str) -> Result<Option<Kept>, WriteError> {
        let kept = self.inner.keep(path)?;
        if kept.is_some() {
            self.paths
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push(path.to_string());
        }
        Ok(kept)
    }
}

/// The site path of every page `model` renders into (see
/// [`pages::paths`]), the 404 page included.
pub fn page_paths(model: &SiteModel) -> Vec<String> {
    let site = &model.site;
    let urls = Urls::new(&site.config.base_url);
    // Which pages there are depends on the site alone, not on its values.
    let v = Viewer {
        site,
        report: data_reads::ReportReader::new(&model.report),
        index: &model.index,
        lang: site.config.language,
        urls: &urls,
        cells: &[],
        editions: None,
        chart_inputs: None,
        entity_charts: &[],
    };
    pages::paths(&v)
}

/// Runs `f`, returning its result and how long it took.
fn timed<T>(f: impl FnOnce() -> T) -> (T, Duration) {
    let t = Instant::now();
    let out = f();
    (out, t.elapsed())
}

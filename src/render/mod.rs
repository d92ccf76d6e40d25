//! Stage 4, **render**: Markdown, charts and templates, from the computed
//! site model to a list of output files. Nothing here touches the disk.

pub mod chart_views;
pub mod charts;
pub mod downloads;
pub mod feeds;
pub mod i18n;
pub mod links;
pub mod markdown;
pub mod pages;
pub mod relative;
pub mod search;
pub mod shortcodes;
pub mod templates;
pub mod views;

use rayon::prelude::*;
use serde_json::json;

use crate::compute::SiteModel;
use crate::diagnostics::Diagnostic;
use crate::load::Theme;
use crate::load::theme::FileSource;
use crate::model::Audience;
use crate::urls::{Download, Urls};
use crate::validate;
use crate::write::{Contents, OutputFile, Sink, WriteError};
use markdown::MarkdownOptions;
use pages::{Bodies, PageJob};
use templates::Templates;
use views::{Link, Viewer};

/// Timings and counts from rendering.
#[derive(Debug, Clone, Default)]
pub struct RenderStats {
    /// HTML pages rendered.
    pub pages: usize,
    /// Charts drawn (SVG), PNGs included in `charts_time` only for those written.
    pub charts: usize,
    /// Time drawing charts (SVG).
    pub charts_time: std::time::Duration,
    /// Time writing the charts shared as images (SVG and PNG files), while
    /// the Markdown and pages are rendered.
    pub png_time: std::time::Duration,
    /// Time rendering Markdown bodies (shortcodes included).
    pub markdown_time: std::time::Duration,
    /// Time building contexts, rendering templates and writing the pages.
    pub pages_time: std::time::Duration,
    /// Time writing downloads, feeds, search index, sitemap and assets.
    pub files_time: std::time::Duration,
}

/// How to render.
#[derive(Debug, Clone, Copy, Default)]
pub struct RenderOptions {
    /// Make every link and asset relative (archive mode, opens from `file://`).
    pub relative_urls: bool,
    /// Skip rasterising PNGs (`check` needs no images).
    pub skip_png: bool,
}

/// Renders every page of `site`. Fails with every template error found.
pub fn render(
    model: &SiteModel,
    theme: &Theme,
    opts: RenderOptions,
    sink: &dyn Sink,
) -> Result<RenderStats, RenderError> {
    let site = &model.site;
    let report = &model.report;
    let lang = site.config.language;
    let urls = Urls::new(&site.config.base_url);
    let md = MarkdownOptions {
        html: site.config.allow_html,
    };

    let mut templates = Templates::new(theme, lang).map_err(RenderError::Content)?;
    let no_charts = std::collections::BTreeMap::new();
    // The viewer grows as the build goes: first bare, then with the formatted
    // cells, then with the charts (and without them again for the data files).
    let bare = Viewer {
        site,
        report,
        index: &model.index,
        lang,
        urls: &urls,
        cells: &[],
        charts: &no_charts,
    };
    let cells = bare.cell_views();
    let draft_viewer = Viewer {
        cells: &cells,
        ..bare
    };
    let t_charts = std::time::Instant::now();
    let chart_map = {
        let v = &draft_viewer;
        let keys = chart_keys(v);
        // Which charts also get a PNG (`charts_png` in site.yaml): every chart;
        // or the preview images only (every chart an author placed, and the first
        // chart of the home, region, province and year pages); or none.
        let mut previews: std::collections::HashSet<chart_views::ChartKey> =
            placed_charts(v).into_iter().collect();
        for e in (0..site.entities.len()).filter(|&e| site.hierarchy.depth(e) <= 1) {
            previews.extend(chart_views::entity_charts(v, e).into_iter().next());
        }
        // A year page's first chart: the home's breakdown for the first metric
        // that has one that year (the keys come year by year, metric by metric).
        let mut years_seen = std::collections::HashSet::new();
        previews.extend(
            keys.iter()
                .filter(|k| {
                    k.kind == chart_views::Kind::Breakdown
                        && matches!(k.period, Some(crate::model::Period::Year(_)))
                        && Some(k.entity) == site.home
                        && years_seen.insert(k.period)
                })
                .cloned(),
        );
        let png = |k: &chart_views::ChartKey| {
            !opts.skip_png
                && k.kind != chart_views::Kind::Sparkline
                && match site.config.charts_png {
                    crate::model::PngPolicy::All => true,
                    crate::model::PngPolicy::Previews => previews.contains(k),
                    crate::model::PngPolicy::None => false,
                }
        };
        chart_views::draw_all(v, keys, &png)
    };
    let v = Viewer {
        charts: &chart_map,
        ..draft_viewer
    };

    let mut nav = vec![
        Link {
            name: v.t("home").into(),
            url: urls.home(),
        },
        Link {
            name: v.t("regions").into(),
            url: urls.entities(),
        },
        Link {
            name: v.t("releases").into(),
            url: urls.releases(),
        },
        Link {
            name: v.t("meetings").into(),
            url: urls.meetings(),
        },
        Link {
            name: v.t("years").into(),
            url: urls.years(),
        },
    ];
    nav.extend(
        site.pages
            .iter()
            .map(|p| &p.page)
            .filter(|p| p.menu.is_some())
            .map(|p| Link {
                name: p.title.clone(),
                url: urls.page(&p.slug),
            }),
    );

    // Fingerprint each asset by its content (the site's own version if it overrides one).
    let fingerprint = |name: &str| -> String {
        let data = theme
            .bytes(&format!("{}/{name}", crate::urls::ASSETS))
            .unwrap_or_default();
        urls.asset(&format!("{name}?v={}", short_hash(data)))
    };

    templates.set_global(
        "site",
        &json!({
            "title": site.config.title.get(lang),
            "description": site.config.description.get(lang),
            "organisation": site.config.organisation.as_ref().map(|o| o.get(lang)),
            "lang": lang.code(),
            "base_url": site.config.base_url,
            "base_path": urls.base_path,
            "internal": site.selection.audience == Audience::Internal,
            "audience": site.selection.audience.as_str(),
        }),
    );
    templates.set_global(
        "urls",
        &json!({
            "home": urls.home(),
            "entities": urls.entities(),
            "releases": urls.releases(),
            "meetings": urls.meetings(),
            "years": urls.years(),
            "search": urls.search(),
            "feed": urls.feed(),
            "data_csv": urls.site_data(Download::Csv),
            "data_json": urls.site_data(Download::Json),
        }),
    );
    templates.set_global("i18n", &i18n::table(lang));
    templates.set_global("nav", &nav);
    templates.set_global(
        "assets",
        &json!({ "css": fingerprint("style.css"), "search": fingerprint("search.js") }),
    );

    let chart_html = |sc: &validate::shortcodes::Resolved| -> Result<String, Diagnostic> {
        let key = shortcode_chart_key(&v, sc).and_then(|k| v.chart(&k));
        let Some(chart) = key else {
            return Ok(String::new());
        };
        let mut ctx = tera::Context::new();
        ctx.insert("chart", chart);
        templates.render("shortcodes/chart.html", &ctx)
    };
    let blocks = shortcodes::Blocks::default();
    let body = |text: &str, scs: &[validate::shortcodes::Resolved]| {
        shortcodes::render_body(&v, &templates, text, scs, md, &chart_html, &blocks)
    };
    let charts_time = t_charts.elapsed();
    let put = |f: OutputFile| sink.put(f).map_err(RenderError::Write);
    // Charts shared as images are files too (every chart is also inline in its
    // page): their SVG, and a PNG unless the previous build's still fits.
    // Rasterising runs alongside the Markdown and the pages.
    let chart_files = || -> Result<std::time::Duration, RenderError> {
        let t = std::time::Instant::now();
        chart_map
            .par_iter()
            .filter(|(k, c)| k.kind != chart_views::Kind::Sparkline && c.png_url.is_some())
            .try_for_each(|(_, c)| {
                let svg_path = urls.file(&urls.chart(&format!("{}.svg", c.slug)));
                let png_path = urls.file(&urls.chart(&format!("{}.png", c.slug)));
                put(OutputFile {
                    path: svg_path.clone(),
                    contents: Contents::Bytes(c.svg.clone().into_bytes()),
                })?;
                // A PNG is a function of its SVG: an unchanged chart keeps its image.
                if sink
                    .reuse(&png_path, &svg_path)
                    .map_err(RenderError::Write)?
                {
                    return Ok(());
                }
                match charts::to_png(&c.svg) {
                    Ok(png) => put(OutputFile {
                        path: png_path,
                        contents: Contents::Bytes(png),
                    }),
                    Err(e) => {
                        eprintln!("warning: chart {} could not be rasterised: {e}", c.slug);
                        Ok(())
                    }
                }
            })?;
        Ok(t.elapsed())
    };
    let markdown_and_pages = || -> Result<(Bodies, Vec<String>, std::time::Duration, std::time::Duration), RenderError> {
            let t_markdown = std::time::Instant::now();
            let releases: Vec<_> = site
                .releases
                .par_iter()
                .map(|r| body(&r.release.body, &r.shortcodes))
                .collect();
            let meetings: Vec<_> = site
                .meetings
                .par_iter()
                .map(|m| body(&m.meeting.body, &m.shortcodes))
                .collect();
            let page_bodies: Vec<_> = site
                .pages
                .par_iter()
                .map(|p| body(&p.page.body, &p.shortcodes))
                .collect();
            let mut errors: Vec<Diagnostic> = Vec::new();
            let mut ok = |v: Vec<Result<markdown::Rendered, Diagnostic>>| -> Vec<markdown::Rendered> {
                v.into_iter()
                    .filter_map(|r| r.map_err(|d| errors.push(d)).ok())
                    .collect()
            };
            let bodies = Bodies {
                releases: ok(releases),
                meetings: ok(meetings),
                pages: ok(page_bodies),
            };
            if !errors.is_empty() {
                return Err(RenderError::Content(errors));
            }

            // Pages are described first, then built and rendered one at a time in
            // parallel, so that only the contexts being rendered are alive at once.
            let terms = &model.index.taxonomies;
            let mut specs: Vec<Spec> = vec![
                Spec::Home,
                Spec::Entities,
                Spec::Meetings,
                Spec::Years,
                Spec::NotFound,
                Spec::Search,
            ];
            specs.extend((1..=pages::release_pages(&v)).map(Spec::Releases));
            specs.extend((0..site.entities.len()).map(Spec::Entity));
            specs.extend((0..site.releases.len()).map(Spec::Release));
            specs.extend((0..site.meetings.len()).map(Spec::Meeting));
            specs.extend(model.index.years.iter().copied().map(Spec::Year));
            specs.extend((0..site.pages.len()).map(Spec::Page));
            for (ti, tax) in terms.iter().enumerate() {
                specs.push(Spec::Taxonomy(ti));
                specs.extend((0..tax.terms.len()).map(|i| Spec::Term(ti, i)));
            }
            let job = |spec: &Spec| -> PageJob {
                match *spec {
                    Spec::Home => pages::home(&v, &bodies),
                    Spec::Entities => pages::entities(&v),
                    Spec::Releases(p) => pages::releases(&v, &bodies, p),
                    Spec::Meetings => pages::meetings(&v, &bodies),
                    Spec::Years => pages::years(&v),
                    Spec::NotFound => pages::not_found(&v),
                    Spec::Search => pages::search(&v),
                    Spec::Entity(e) => pages::entity(&v, &bodies, e),
                    Spec::Release(i) => pages::release(&v, &bodies, i),
                    Spec::Meeting(i) => pages::meeting(&v, &bodies, i),
                    Spec::Year(y) => pages::year(&v, &bodies, y),
                    Spec::Page(i) => pages::page(&v, &bodies, i),
                    Spec::Taxonomy(t) => pages::taxonomy(&v, &terms[t]),
                    Spec::Term(t, i) => pages::term(&v, &bodies, terms[t].taxonomy, &terms[t].terms[i]),
                }
            };
            let markdown_time = t_markdown.elapsed();
            let t_pages = std::time::Instant::now();
            let results: Vec<Result<String, RenderError>> = specs
                .par_iter()
                .map(|spec| {
                    let job = job(spec);
                    let html = templates
                        .render(job.template, &job.context)
                        .map_err(|d| RenderError::Content(vec![d]))?;
                    let path = urls.file(&job.path);
                    let html = if opts.relative_urls {
                        relative::relativize(&html, &path, &urls.base_path)
                    } else {
                        html
                    };
                    sink.put(OutputFile {
                        path,
                        contents: Contents::Bytes(html.into_bytes()),
                    })
                    .map_err(RenderError::Write)?;
                    Ok(if matches!(spec, Spec::NotFound) {
                        String::new()
                    } else {
                        job.path
                    })
                })
                .collect();
            let mut page_paths = Vec::with_capacity(results.len());
            let mut errors = Vec::new();
            for r in results {
                match r {
                    Ok(p) if p.is_empty() => {}
                    Ok(p) => page_paths.push(p),
                    Err(RenderError::Content(d)) => errors.extend(d),
                    Err(e @ RenderError::Write(_)) => return Err(e),
                }
            }
            if !errors.is_empty() {
                errors.sort_by(|a, b| a.origin.cmp(&b.origin));
                errors.dedup();
                return Err(RenderError::Content(errors));
            }
            let pages_time = t_pages.elapsed();
        Ok((bodies, page_paths, markdown_time, pages_time))
    };
    let (png_time, text) = rayon::join(chart_files, markdown_and_pages);
    let (bodies, page_paths, markdown_time, pages_time) = text?;
    let png_time = png_time?;
    let charts = chart_map.len();
    // The data files need no chart: free them first.
    let v = draft_viewer;
    drop(chart_map);
    let t_files = std::time::Instant::now();
    let mut stats = RenderStats {
        pages: page_paths.len() + 1,
        charts,
        charts_time,
        png_time,
        markdown_time,
        pages_time,
        files_time: Default::default(),
    };
    let own: std::collections::HashSet<&str> = theme.site_files().collect();
    let put_unless_own = |f: OutputFile| {
        if own.contains(f.path.as_str()) {
            Ok(())
        } else {
            put(f)
        }
    };
    data_files(&v, &bodies, &page_paths, &put_unless_own)?;
    for f in &theme.files {
        put(OutputFile {
            path: f.rel.clone(),
            contents: match &f.source {
                FileSource::Bytes(b) => Contents::Bytes(b.to_vec()),
                FileSource::Site(path) => Contents::Copy(path.clone()),
            },
        })?;
    }
    stats.files_time = t_files.elapsed();
    Ok(stats)
}

/// Why rendering failed.
#[derive(Debug)]
pub enum RenderError {
    /// Template or shortcode errors, with their places.
    Content(Vec<Diagnostic>),
    /// A file could not be written.
    Write(WriteError),
}

/// Every chart the build needs: entity pages, year pages, headline sparklines, shortcodes.
fn chart_keys(v: &Viewer) -> Vec<chart_views::ChartKey> {
    use chart_views::{ChartKey, Kind};
    let site = v.site;
    let mut keys: Vec<ChartKey> = (0..site.entities.len())
        .into_par_iter()
        .flat_map_iter(|e| {
            let mut k = chart_views::entity_charts(v, e);
            k.extend((0..site.metrics.len()).filter_map(|m| chart_views::sparkline_key(v, e, m)));
            k
        })
        .collect();
    if let Some(home) = site.home {
        for &y in &v.index.years {
            for m in 0..site.metrics.len() {
                let p = crate::model::Period::Year(y);
                let n = site
                    .hierarchy
                    .children(home)
                    .iter()
                    .filter(|&&k| {
                        v.report
                            .get(k, m, p)
                            .is_some_and(|c| c.attainment.is_some())
                    })
                    .count();
                if n >= 2 {
                    keys.push(ChartKey {
                        kind: Kind::Breakdown,
                        entity: home,
                        metrics: vec![m],
                        period: Some(p),
                    });
                }
            }
        }
    }
    keys.extend(placed_charts(v));
    keys
}

/// Charts that authors placed: shortcodes, named charts and release covers.
fn placed_charts(v: &Viewer) -> Vec<chart_views::ChartKey> {
    let site = v.site;
    site.releases
        .iter()
        .flat_map(|r| r.shortcodes.iter().chain(&r.cover))
        .chain(site.meetings.iter().flat_map(|m| &m.shortcodes))
        .chain(site.pages.iter().flat_map(|p| &p.shortcodes))
        .chain(site.named_charts.iter().map(|(_, r)| r))
        .filter_map(|sc| shortcode_chart_key(v, sc))
        .collect()
}

/// The chart a `chart` shortcode stands for.
pub(crate) fn shortcode_chart_key(
    v: &Viewer,
    sc: &validate::shortcodes::Resolved,
) -> Option<chart_views::ChartKey> {
    use chart_views::{ChartKey, Kind};
    let kind: Kind = sc.chart?.into();
    let metrics = match sc.metric {
        Some(m) => vec![m],
        None => sc.metrics.clone(),
    };
    let period = match kind {
        Kind::Breakdown => sc
            .period
            .or_else(|| chart_views::latest_breakdown_period(v, sc.entity, metrics[0])),
        Kind::Composition => sc.period,
        _ => None,
    };
    if kind == Kind::Breakdown && period.is_none() {
        return None;
    }
    Some(ChartKey {
        kind,
        entity: sc.entity,
        metrics,
        period,
    })
}

/// Downloads, feeds, search index, sitemap and robots.txt: the downloads
/// alongside the rest.
fn data_files(
    v: &Viewer,
    bodies: &Bodies,
    page_paths: &[String],
    put: &(dyn Fn(OutputFile) -> Result<(), RenderError> + Sync),
) -> Result<(), RenderError> {
    let (a, b) = rayon::join(
        || download_files(v, put),
        || index_files(v, bodies, page_paths, put),
    );
    a.and(b)
}

/// CSV and JSON downloads: per entity, per year and for the whole site.
fn download_files(
    v: &Viewer,
    put: &(dyn Fn(OutputFile) -> Result<(), RenderError> + Sync),
) -> Result<(), RenderError> {
    let site = v.site;
    let urls = v.urls;
    let file = |path: String, data: Vec<u8>| {
        put(OutputFile {
            path,
            contents: Contents::Bytes(data),
        })
    };
    // Every row is encoded once, per entity (the report keeps each entity's
    // rows contiguous, in entity, metric, period order); the entity's, the
    // year's and the site's files copy those bytes. Each file is handed to the
    // writer as soon as it is made.
    let cells = &v.report.cells;
    // Where each entity's rows start (and, last, where the rows end).
    let starts: Vec<usize> = (0..=site.entities.len())
        .map(|e| cells.partition_point(|c| c.entity < e))
        .collect();
    let encoded: Vec<downloads::Encoded> = (0..site.entities.len())
        .into_par_iter()
        .map(|e| {
            let rows: Vec<downloads::Row> = cells[starts[e]..starts[e + 1]]
                .iter()
                .map(|c| downloads::row(v, c))
                .collect();
            let enc = downloads::Encoded::new(&rows);
            let id = &site.entities[e].id;
            file(
                urls.file(&urls.entity_data(id, Download::Csv)),
                downloads::csv_file(downloads::all(&enc)),
            )?;
            file(
                urls.file(&urls.entity_data(id, Download::Json)),
                downloads::json_file(downloads::all(&enc)),
            )?;
            Ok(enc)
        })
        .collect::<Result<_, RenderError>>()?;
    let in_year = |y: i32| {
        let (encoded, starts) = (&encoded, &starts);
        encoded.iter().enumerate().flat_map(move |(e, enc)| {
            (0..enc.len())
                .filter(move |&i| cells[starts[e] + i].period.year() == y)
                .map(move |i| (enc, i))
        })
    };
    let everything = || encoded.iter().flat_map(downloads::all);
    let years = &v.index.years;
    // One year at a time per thread, then the whole set: only a few large
    // files are in memory at once.
    years.par_iter().try_for_each(|&y| {
        file(
            urls.file(&urls.year_data(y, Download::Csv)),
            downloads::csv_file(in_year(y)),
        )?;
        file(
            urls.file(&urls.year_data(y, Download::Json)),
            downloads::json_file(in_year(y)),
        )
    })?;
    file(
        urls.file(&urls.site_data(Download::Csv)),
        downloads::csv_file(everything()),
    )?;
    file(
        urls.file(&urls.site_data(Download::Json)),
        downloads::json_file(everything()),
    )?;
    drop(encoded);

    Ok(())
}

/// Feeds, the search index, the sitemap and robots.txt.
fn index_files(
    v: &Viewer,
    bodies: &Bodies,
    page_paths: &[String],
    put: &(dyn Fn(OutputFile) -> Result<(), RenderError> + Sync),
) -> Result<(), RenderError> {
    let site = v.site;
    let urls = v.urls;
    let file = |path: String, data: Vec<u8>| {
        put(OutputFile {
            path,
            contents: Contents::Bytes(data),
        })
    };
    let summaries: Vec<String> = site
        .releases
        .iter()
        .zip(&bodies.releases)
        .map(|(r, b)| {
            r.release
                .summary
                .clone()
                .unwrap_or_else(|| b.first_paragraph.clone())
        })
        .collect();
    let title = format!("{} · {}", v.t("releases"), site.config.title.get(v.lang));
    let everything: Vec<usize> = (0..site.releases.len()).collect();
    let feed_path = urls.feed();
    file(
        urls.file(&feed_path),
        feeds::atom(
            v,
            &title,
            &feed_path,
            &urls.releases(),
            &everything,
            &summaries,
        ),
    )?;
    site.entities
        .par_iter()
        .enumerate()
        .try_for_each(|(e, ent)| {
            let mine = &site.releases_by_entity[e];
            if mine.is_empty() {
                return Ok(());
            }
            let title = format!("{} · {}", v.t("releases"), v.entity_name(e));
            let path = urls.entity_feed(&ent.id);
            file(
                urls.file(&path),
                feeds::atom(v, &title, &path, &urls.entity(&ent.id), mine, &summaries),
            )
        })?;
    let docs = search::index(v, bodies);
    file(
        urls.file(&urls.search_index("index.json")),
        search::to_json(&docs),
    )?;
    file(
        urls.file(&urls.search_index("index.js")),
        search::to_script(&docs),
    )?;
    file(urls.file(&urls.sitemap()), feeds::sitemap(urls, page_paths))?;
    file(
        urls.file(&urls.robots()),
        feeds::robots(urls, site.selection.audience),
    )
}

/// A page to build: what it is, not yet its context.
#[derive(Debug, Clone, Copy)]
enum Spec {
    Home,
    Entities,
    Releases(usize),
    Meetings,
    Years,
    NotFound,
    Search,
    Entity(usize),
    Release(usize),
    Meeting(usize),
    Year(i32),
    Page(usize),
    Taxonomy(usize),
    Term(usize, usize),
}

/// A short, stable content hash for cache busting (FNV-1a, 64 bits, hex).
pub fn short_hash(data: &[u8]) -> String {
    let mut h: u64 = 0xcbf29ce484222325;
    for b in data {
        h ^= *b as u64;
        h = h.wrapping_mul(0x100000001b3);
    }
    format!("{:016x}", h)[..10].to_string()
}

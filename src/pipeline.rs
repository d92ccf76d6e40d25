//! The pipeline, end to end: load → validate → compute → render → write.

use std::fmt;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::diagnostics::{Diagnostic, Diagnostics, Severity};
use crate::model::Audience;
use crate::validate::Selection;
use crate::write::{WriteError, WriteOptions};
use crate::{cache, compute, load, render, validate, write};

/// What to build and where.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The site folder.
    pub root: PathBuf,
    /// The output folder.
    pub output: PathBuf,
    /// Overrides `base_url` from `site.yaml`.
    pub base_url: Option<String>,
    /// Who the build is for.
    pub audience: Audience,
    /// Include drafts.
    pub drafts: bool,
    /// Treat warnings as errors.
    pub strict: bool,
    /// Write over an output folder built for another audience.
    pub force: bool,
    /// Make every link relative, so the site opens from `file://` (archive mode).
    pub relative_urls: bool,
    /// Where to show the build's progress (stages and counts), if anywhere.
    pub progress: Option<crate::progress::Progress>,
    /// Render in full, keeping no page or file unrendered from the build in
    /// the output, even when the render cache (see [`crate::cache`]) shows
    /// that the output already holds this build.
    pub no_cache: bool,
}

impl BuildOptions {
    /// Defaults for the site at `root`: output `root/public`, public audience.
    pub fn new(root: impl Into<PathBuf>) -> BuildOptions {
        let root = root.into();
        BuildOptions {
            output: root.join("public"),
            root,
            base_url: None,
            audience: Audience::Public,
            drafts: false,
            strict: false,
            force: false,
            relative_urls: false,
            progress: None,
            no_cache: false,
        }
    }
}

/// Time spent in each stage.
#[derive(Debug, Clone, Default)]
pub struct Timings {
    /// Walking and parsing.
    pub load: Duration,
    /// References and checks.
    pub validate: Duration,
    /// Attainment, growth, aggregates.
    pub compute: Duration,
    /// Markdown, charts, templates and writing into the staging folder:
    /// `charts`, then `pngs` alongside `markdown` and `pages`, then `files`.
    pub render: Duration,
    /// Part of `render`: drawing charts (SVG).
    pub charts: Duration,
    /// Part of `render`: writing the charts shared as images (SVG and PNG
    /// files), alongside `markdown` and `pages`.
    pub pngs: Duration,
    /// Part of `render`: Markdown bodies and their shortcodes.
    pub markdown: Duration,
    /// Part of `render`: page templates, written as they are rendered.
    pub pages: Duration,
    /// Part of `render`: downloads, feeds, search index, sitemap and assets.
    pub files: Duration,
    /// Putting the staged site in place: the marker, the exchange with the
    /// output, and the removal of the previous site.
    pub write: Duration,
}

impl std::fmt::Display for Timings {
    /// One stage a line, in milliseconds, the parts of `render` indented.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        writeln!(f, "  load      {:>8.1} ms", ms(self.load))?;
        writeln!(f, "  validate  {:>8.1} ms", ms(self.validate))?;
        writeln!(f, "  compute   {:>8.1} ms", ms(self.compute))?;
        writeln!(f, "  render    {:>8.1} ms", ms(self.render))?;
        writeln!(f, "    charts    {:>8.1} ms", ms(self.charts))?;
        writeln!(
            f,
            "    images    {:>8.1} ms  (chart SVG and PNG files, alongside the next two)",
            ms(self.pngs)
        )?;
        writeln!(f, "    markdown  {:>8.1} ms", ms(self.markdown))?;
        writeln!(
            f,
            "    pages     {:>8.1} ms  (templates, written as rendered)",
            ms(self.pages)
        )?;
        writeln!(
            f,
            "    files     {:>8.1} ms  (downloads, feeds, search, sitemap, assets)",
            ms(self.files)
        )?;
        write!(
            f,
            "  write     {:>8.1} ms  (putting files in place)",
            ms(self.write)
        )
    }
}

impl Timings {
    /// Total of all stages.
    pub fn total(&self) -> Duration {
        self.load + self.validate + self.compute + self.render + self.write
    }
}

/// What a successful build did.
#[derive(Debug, Clone)]
pub struct BuildReport {
    /// HTML pages written.
    pub pages: usize,
    /// Files in the site.
    pub files: usize,
    /// Files whose bytes this build wrote: the others were unchanged since the
    /// previous build and kept (hard-linked into the new site).
    pub written: usize,
    /// Bytes in the site.
    pub bytes: u64,
    /// Warnings found (the build went on).
    pub warnings: Vec<Diagnostic>,
    /// Time per stage.
    pub timings: Timings,
    /// Whether rendering was skipped: the inputs were those of the build in
    /// the output, whose files were kept (see [`crate::cache`]).
    pub from_cache: bool,
    /// Pages kept from the output unrendered, their values being those of
    /// the build in the output (see [`crate::cache`]).
    pub pages_kept: usize,
    /// Markdown bodies taken as an earlier build rendered them (kept beside
    /// the output: see [`crate::cache::BodyLog`]) instead of rendered.
    pub bodies_kept: usize,
}

/// Why a build or check failed.
#[derive(Debug)]
pub enum Error {
    /// The content has errors (and maybe warnings), sorted by file and line.
    Content(Vec<Diagnostic>),
    /// The output could not be written.
    Write(WriteError),
    /// The options make no sense (output inside the sources, say).
    Usage(String),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Content(d) => {
                for x in d {
                    writeln!(f, "{x}")?;
                }
                let n = d.iter().filter(|x| x.is_error()).count();
                write!(f, "{n} error{} found", if n == 1 { "" } else { "s" })
            }
            Error::Write(e) => write!(f, "cannot write the site: {e}"),
            Error::Usage(s) => f.write_str(s),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Write(e) => Some(e),
            Error::Content(_) | Error::Usage(_) => None,
        }
    }
}

struct Checked {
    /// One model per edition, the default language's first.
    models: Vec<compute::SiteModel>,
    theme: load::Theme,
    warnings: Vec<Diagnostic>,
    timings: Timings,
}

fn run_checks(
    root: &Path,
    selection: Selection,
    strict: bool,
    base_url: Option<&str>,
    progress: Option<&crate::progress::Progress>,
    cache: Option<&load::LoadCache>,
    kept: Option<&Memo>,
) -> Result<Checked, Error> {
    let stage = |name| {
        if let Some(p) = progress {
            p.stage(name);
        }
    };
    let mut timings = Timings::default();
    let mut diags = Diagnostics::new();
    stage("loading");
    let t = Instant::now();
    let mut sources = load::load_with(root, &mut diags, cache);
    let theme = load::theme(root, &mut diags);
    if let Some(url) = base_url {
        sources.config.base_url = crate::urls::check_base_url(url)
            .map_err(|why| Error::Usage(format!("--base-url: {why}")))?;
    }
    timings.load = t.elapsed();
    stage("validating");
    let t = Instant::now();
    // One site per language the site is published in, the default first:
    // each checked and computed alone (their reports are merged, each
    // problem once).
    let editions = sources.editions();
    let sites = per_edition(editions, &mut diags, |sources, d| {
        validate::validate_keeping(sources, selection, d, kept.map(|m| &m.data))
    });
    timings.validate = t.elapsed();
    let fail = |mut diags: Diagnostics| {
        if strict {
            diags.make_strict();
        }
        Error::Content(diags.sorted())
    };
    // Figures are computed only from a valid site: errors so far are all
    // there is to report.
    if diags.has_errors() {
        return Err(fail(diags));
    }
    stage("computing");
    let t = Instant::now();
    let models = per_edition(sites, &mut diags, |site, d| {
        match kept.map(|m| (m, &m.reports)) {
            Some((memo, kept)) => {
                let lang = site.config.language;
                let report = kept.get_or_make(lang, d, |d| {
                    let last = memo.last_reports.get(lang);
                    let made =
                        std::sync::Arc::new(compute::report_after(&site, last.as_deref(), d));
                    memo.last_reports.put(lang, made.clone());
                    made
                });
                compute::compute_from(site, report, d)
            }
            None => compute::compute(site, d),
        }
    });
    timings.compute = t.elapsed();
    if strict {
        diags.make_strict();
    }
    if diags.has_errors() {
        return Err(fail(diags));
    }
    Ok(Checked {
        models,
        theme,
        warnings: diags.sorted(),
        timings,
    })
}

/// Runs `stage` on every language edition's input at once, each with its
/// own diagnostics, merged into `diags` in edition order.
fn per_edition<I: Send, O: Send>(
    inputs: Vec<I>,
    diags: &mut Diagnostics,
    stage: impl Fn(I, &mut Diagnostics) -> O + Sync,
) -> Vec<O> {
    let done: Vec<(O, Diagnostics)> = inputs
        .into_par_iter()
        .map(|input| {
            let mut d = Diagnostics::new();
            let out = stage(input, &mut d);
            (out, d)
        })
        .collect();
    done.into_iter()
        .map(|(out, d)| {
            diags.extend(d);
            out
        })
        .collect()
}

/// What [`check_with`] looks at: like [`BuildOptions`] without the output.
#[derive(Debug, Clone)]
pub struct CheckOptions {
    /// The site folder.
    pub root: PathBuf,
    /// Overrides `base_url` from `site.yaml` (links are checked against its path).
    pub base_url: Option<String>,
    /// Check as for this audience.
    pub audience: Audience,
    /// Include drafts.
    pub drafts: bool,
    /// Treat warnings as errors.
    pub strict: bool,
}

impl CheckOptions {
    /// Defaults for the site at `root`: public audience, no drafts, not strict.
    pub fn new(root: impl Into<PathBuf>) -> CheckOptions {
        CheckOptions {
            root: root.into(),
            base_url: None,
            audience: Audience::Public,
            drafts: false,
            strict: false,
        }
    }
}

/// Loads and validates the site at `root`, computes its figures, renders it
/// in memory and checks every internal link and anchor, writing nothing.
/// Returns the warnings. See [`check_with`] for more options.
///
/// # Errors
///
/// [`Error::Content`] with every error found (and the warnings), sorted by
/// file and position.
pub fn check(
    root: &Path,
    audience: Audience,
    drafts: bool,
    strict: bool,
) -> Result<Vec<Diagnostic>, Error> {
    check_with(&CheckOptions {
        audience,
        drafts,
        strict,
        ..CheckOptions::new(root)
    })
}

/// [`check`] with every option, `base_url` included.
///
/// # Errors
///
/// As [`check`].
pub fn check_with(opts: &CheckOptions) -> Result<Vec<Diagnostic>, Error> {
    with_snippets(&opts.root, check_inner(opts))
}

/// Attaches the source line to every diagnostic of `result` (see
/// [`crate::diagnostics::attach_snippets`]).
fn with_snippets<T>(root: &Path, result: Result<T, Error>) -> Result<T, Error>
where
    T: HasWarnings,
{
    match result {
        Ok(mut t) => {
            crate::diagnostics::attach_snippets(root, t.warnings_mut());
            Ok(t)
        }
        Err(Error::Content(mut d)) => {
            crate::diagnostics::attach_snippets(root, &mut d);
            Err(Error::Content(d))
        }
        Err(e) => Err(e),
    }
}

/// What carries warnings to attach snippets to.
trait HasWarnings {
    fn warnings_mut(&mut self) -> &mut [Diagnostic];
}

impl HasWarnings for Vec<Diagnostic> {
    fn warnings_mut(&mut self) -> &mut [Diagnostic] {
        self
    }
}

impl HasWarnings for BuildReport {
    fn warnings_mut(&mut self) -> &mut [Diagnostic] {
        &mut self.warnings
    }
}

fn check_inner(opts: &CheckOptions) -> Result<Vec<Diagnostic>, Error> {
    let selection = Selection {
        audience: opts.audience,
        drafts: opts.drafts,
    };
    let checked = run_checks(
        &opts.root,
        selection,
        opts.strict,
        opts.base_url.as_deref(),
        None,
        None,
        None,
    )?;
    let sink = write::Collect::default();
    let stats = render_editions(
        &checked.models,
        &checked.theme,
        false,
        true,
        Kept::default(),
        &sink,
    )
    .map_err(render_error)?;
    let files = sink.into_files();
    let base_path = root_base_path(&checked.models);
    let (pages, paths) = render::links::scan_files(&files);
    let broken = render::links::broken(&pages, &paths, &base_path);
    let links = link_diagnostics(&checked.models, &broken, &base_path, Severity::Error);
    if !links.is_empty() {
        let mut all = Diagnostics::new();
        for d in checked
            .warnings
            .into_iter()
            .chain(stats.warnings)
            .chain(links)
        {
            all.push(d);
        }
        return Err(Error::Content(all.sorted()));
    }
    with_render_warnings(checked.warnings, stats.warnings, opts.strict)
}

/// The warnings of the checks and of rendering together, sorted; with
/// `strict`, rendering's warnings are errors.
fn with_render_warnings(
    mut warnings: Vec<Diagnostic>,
    rendering: Vec<Diagnostic>,
    strict: bool,
) -> Result<Vec<Diagnostic>, Error> {
    if rendering.is_empty() {
        return Ok(warnings);
    }
    warnings.extend(rendering);
    let mut diags = Diagnostics::new();
    for w in warnings {
        diags.push(w);
    }
    if strict {
        diags.make_strict();
        return Err(Error::Content(diags.sorted()));
    }
    Ok(diags.sorted())
}

/// Diagnostics for `broken` links of the built site: at the Markdown file
/// and line each was written on, else at the built page. `models`: every
/// language edition's; `base_path`: the whole site's.
fn link_diagnostics(
    models: &[compute::SiteModel],
    broken: &[render::links::Broken],
    base_path: &str,
    severity: Severity,
) -> Vec<Diagnostic> {
    if broken.is_empty() {
        return Vec::new();
    }
    let mut pages: Vec<String> = Vec::new();
    let mut bodies = Vec::new();
    for model in models {
        let site = &model.site;
        let urls = crate::urls::Urls::new(&site.config.base_url);
        let file = |path: String| crate::urls::file_for(&path, base_path);
        for r in &site.releases {
            pages.push(file(urls.release(&r.release.slug)));
            bodies.push((&r.release.origin.file, &r.release.body, r.release.body_line));
        }
        for m in &site.meetings {
            pages.push(file(urls.meeting(&m.meeting.slug)));
            bodies.push((&m.meeting.origin.file, &m.meeting.body, m.meeting.body_line));
        }
        for p in &site.pages {
            pages.push(file(urls.page(&p.page.slug)));
            bodies.push((&p.page.origin.file, &p.page.body, p.page.body_line));
        }
    }
    let sources: Vec<render::links::Source> = bodies
        .into_iter()
        .zip(&pages)
        .map(|((file, body, first_line), page)| render::links::Source {
            file,
            body,
            first_line,
            page,
        })
        .collect();
    render::links::attribute(broken, &sources, base_path, severity)
}

/// What a build may take instead of making it again: what `rekap serve`
/// keeps in memory, or the pages of the build in the output (`rekap build`).
#[derive(Debug, Clone, Copy, Default)]
struct Kept<'a> {
    memo: Option<&'a render::memo::RenderMemo>,
    recorded: Option<&'a render::recorded::Recorded>,
}

/// Renders every language edition of the site (one, usually) into `sink`,
/// the default language's at the root and each other's in its folder.
fn render_editions(
    models: &[compute::SiteModel],
    theme: &load::Theme,
    relative_urls: bool,
    skip_png: bool,
    kept: Kept,
    sink: &dyn write::Sink,
) -> Result<render::RenderStats, render::RenderError> {
    let editions = (models.len() > 1).then(|| render::Editions::new(models));
    let opts = render::RenderOptions {
        editions: editions.as_ref(),
        relative_urls,
        skip_png,
        memo: kept.memo,
        recorded: kept.recorded,
    };
    let mut total = render::RenderStats::default();
    for model in models {
        let stats = render::render(model, theme, opts, sink)?;
        total.pages += stats.pages;
        total.charts += stats.charts;
        total.charts_reused += stats.charts_reused;
        total.bodies += stats.bodies;
        total.bodies_reused += stats.bodies_reused;
        total.pages_reused += stats.pages_reused;
        total.charts_time += stats.charts_time;
        total.png_time += stats.png_time;
        total.markdown_time += stats.markdown_time;
        total.pages_time += stats.pages_time;
        total.files_time += stats.files_time;
        total.warnings.extend(stats.warnings);
    }
    Ok(total)
}

/// The base path of the whole site (its default language's edition).
fn root_base_path(models: &[compute::SiteModel]) -> String {
    let url = models.first().map(|m| m.site.config.base_url.as_str());
    crate::urls::Urls::new(url.unwrap_or("/")).base_path
}

fn check_paths(opts: &BuildOptions) -> Result<(), Error> {
    let abs = |p: &Path| -> PathBuf {
        let p = if p.is_absolute() {
            p.to_path_buf()
        } else {
            std::env::current_dir().unwrap_or_default().join(p)
        };
        // Resolve what exists; keep the rest as written.
        let mut existing = p.clone();
        let mut rest = Vec::new();
        while !existing.exists() {
            match (existing.file_name(), existing.parent()) {
                (Some(n), Some(parent)) => {
                    rest.push(n.to_os_string());
                    existing = parent.to_path_buf();
                }
                _ => break,
            }
        }
        let mut base = existing.canonicalize().unwrap_or(existing);
        for n in rest.into_iter().rev() {
            base.push(n);
        }
        base
    };
    let root = abs(&opts.root);
    let out = abs(&opts.output);
    if root.starts_with(&out) {
        return Err(Error::Usage(format!(
            "the output folder {} contains the site itself; choose an output inside or beside it, like {}",
            opts.output.display(),
            opts.root.join("public").display()
        )));
    }
    for src in [
        load::paths::TEMPLATES,
        load::paths::STATIC,
        load::paths::CONTENT,
    ] {
        if out.starts_with(root.join(src)) {
            return Err(Error::Usage(format!(
                "the output folder {} is inside the site's {src}/ folder; choose another",
                opts.output.display()
            )));
        }
    }
    Ok(())
}

fn render_error(e: render::RenderError) -> Error {
    match e {
        render::RenderError::Content(d) => Error::Content(d),
        render::RenderError::Write(w) => Error::Write(w),
    }
}

/// Builds the site: load, validate, compute, render, then write atomically.
///
/// # Errors
///
/// [`Error::Content`] with every content error found, [`Error::Write`] if the
/// output cannot be written, [`Error::Usage`] if the options make no sense.
/// On any error the previous output is left exactly as it was.
pub fn build(opts: &BuildOptions) -> Result<BuildReport, Error> {
    let result = with_snippets(&opts.root, build_inner(opts));
    if let Some(p) = &opts.progress {
        p.finish();
    }
    result
}

fn build_inner(opts: &BuildOptions) -> Result<BuildReport, Error> {
    check_paths(opts)?;
    let wopts = WriteOptions {
        audience: opts.audience,
        force: opts.force,
    };
    // Refuse early, before any work, if the output belongs to another audience.
    write::check_output(&opts.output, wopts).map_err(Error::Write)?;
    // The inputs' fingerprints, taken before they are read (see `cache`).
    // The documents read for it are kept for the load to take.
    let (fingerprints, ahead, documents) = cache::Fingerprints::with_documents(opts);
    let before = fingerprints.map(|f| f.all);
    let record = if opts.no_cache {
        None
    } else {
        cache::Record::read(&opts.output)
    };
    // The inputs are those of the build in the output: its files are kept
    // (each checked against the manifest) and its warnings given again,
    // with nothing read, checked or rendered.
    if let (Some(fp), Some(rec)) = (before, &record)
        && rec.fingerprint == fp
    {
        let staging = write::Staging::begin(&opts.output, wopts).map_err(Error::Write)?;
        if staging.previous_manifest() == Some(rec.manifest) {
            if let Some(p) = &opts.progress {
                p.stage("unchanged: keeping the output's files");
            }
            let t = Instant::now();
            // Files with their stamps are kept unread; the others are read.
            let (stamps, scans) = cache::FileRecord::read(&opts.output, rec.manifest)
                .unwrap_or_default()
                .into_parts();
            if staging.keep_previous(&stamps).map_err(Error::Write)? {
                let mut timings = Timings {
                    render: t.elapsed(),
                    ..Timings::default()
                };
                let t = Instant::now();
                let written = staging.finish().map_err(Error::Write)?;
                timings.write = t.elapsed();
                cache::Record {
                    manifest: written.manifest,
                    ..rec.clone()
                }
                .write(&opts.output);
                cache::FileRecord::take(&opts.output, written.manifest, &written.paths, scans)
                    .write(&opts.output);
                return Ok(BuildReport {
                    pages: rec.pages,
                    files: written.files,
                    written: written.written,
                    bytes: written.bytes,
                    warnings: rec.warnings.clone(),
                    timings,
                    from_cache: true,
                    pages_kept: rec.pages,
                    bodies_kept: 0,
                });
            }
        }
        // A file of the output changed since, or the output is not the
        // one recorded: build after all (this staging is dropped unused).
    }
    // The figure files parsed by the build in the output, to parse only
    // those that changed.
    let parsed = fingerprints.map(|_| {
        let parsed = match opts.no_cache {
            true => load::LoadCache::with_figure_files(Vec::new()),
            false => cache::FigureStore::read(&opts.output),
        };
        parsed.reading_ahead(ahead)
    });
    // While the site is loaded, checked and computed, the staging folder is
    // made (the output and the spare listed) and the records of the build in
    // the output read: neither needs the other.
    // (Only when the output's folder exists: a build that fails makes none.)
    let overlap = match opts.output.parent() {
        Some(p) if p.as_os_str().is_empty() => true,
        Some(p) => p.is_dir(),
        None => false,
    };
    let (checked, prepared) = if overlap {
        rayon::join(
            || checks_for(opts, parsed.as_ref(), None),
            || prepare(opts, wopts, fingerprints),
        )
    } else {
        let checked = checks_for(opts, parsed.as_ref(), None)?;
        (Ok(checked), prepare(opts, wopts, fingerprints))
    };
    let (checked, prepared) = match (checked, prepared) {
        (Ok(checked), Ok(prepared)) => (checked, prepared),
        (Err(e), prepared) => {
            // The site has errors: the staging folder goes back as it was.
            if let Ok(p) = prepared {
                p.staging.abandon();
            }
            return Err(e);
        }
        (Ok(_), Err(e)) => return Err(e),
    };
    let Prepared {
        staging,
        recorded,
        known,
    } = prepared;
    // The figure files, as they will be stored if the build succeeds: their
    // parsed form is not kept through rendering.
    let figures = parsed.as_ref().and_then(cache::FigureStore::encode);
    // Whether the load took exactly the documents fingerprinted: then the
    // fingerprint after the build need not read them again.
    let documents = parsed
        .as_ref()
        .filter(|p| p.took_all_read_ahead())
        .map(|_| documents);
    drop(parsed);
    let kept = Kept {
        memo: None,
        recorded: recorded.as_ref(),
    };
    let (mut rendered, scanned) = render_checked(checked, opts, kept, known.as_ref(), &staging)?;
    if let Some(p) = &opts.progress {
        p.stage("writing");
    }
    let t = Instant::now();
    let written = staging.finish().map_err(Error::Write)?;
    rendered.timings.write = t.elapsed();
    // Recorded only if no input changed while the build read them.
    if let Some(fp) = before {
        let made = Outcome {
            written: &written,
            rendered: &rendered,
            recorded,
            figures,
            scanned: &scanned,
            documents,
        };
        keep_records(opts, fp, made);
    }
    Ok(BuildReport {
        pages: rendered.pages,
        files: written.files,
        written: written.written,
        bytes: written.bytes,
        warnings: rendered.warnings,
        timings: rendered.timings,
        from_cache: false,
        pages_kept: rendered.pages_reused,
        bodies_kept: rendered.bodies_reused,
    })
}

/// What one build made that the cache records (see [`keep_records`]).
struct Outcome<'a> {
    written: &'a write::WriteStats,
    rendered: &'a Rendered,
    recorded: Option<render::recorded::Recorded>,
    /// The parsed figure files, encoded, if they changed.
    figures: Option<Vec<u8>>,
    scanned: &'a [std::sync::Arc<render::links::Scanned>],
    /// The documents fingerprinted before the build, if it loaded exactly
    /// those (see [`cache::Fingerprints::knowing`]).
    documents: Option<cache::Documents>,
}

/// Step **record**: keeps beside the output what the build made, for the
/// next (see [`cache`]), if the inputs' fingerprint is still `before`: the
/// records are encoded and written under temporary names while the inputs
/// are fingerprinted again, and put in place only if they did not change
/// while the build read them.
fn keep_records(opts: &BuildOptions, before: cache::Fingerprint, made: Outcome) {
    let Outcome {
        written,
        rendered,
        recorded,
        figures,
        scanned,
        documents,
    } = made;
    let (after, records) = rayon::join(
        || match &documents {
            Some(documents) => cache::Fingerprints::knowing(opts, documents).map(|f| f.all),
            None => cache::Fingerprint::of(opts),
        },
        || {
            let record = cache::Record {
                fingerprint: before,
                manifest: written.manifest,
                pages: rendered.pages,
                warnings: rendered.warnings.clone(),
            };
            let (pages, bodies) = match recorded {
                Some(recorded) => {
                    let (made, bodies) = recorded.into_records();
                    let pages = cache::PageRecord {
                        manifest: written.manifest,
                        made,
                    };
                    (Some(pages), Some(bodies))
                }
                None => (None, None),
            };
            let (scans, files) = rayon::join(
                || render::links::Scans::of(scanned),
                || {
                    let none = render::links::Scans::default();
                    cache::FileRecord::take(&opts.output, written.manifest, &written.paths, none)
                },
            );
            let files = cache::FileRecord { scans, ..files };
            cache::Records::encode(&record, pages.as_ref(), bodies.as_ref(), figures, &files)
                .stage(&opts.output)
        },
    );
    if after == Some(before) {
        records.commit();
    }
}

/// What a build into the output needs besides the site: the staging
/// folder, and what the build in the output made (see [`prepare`]).
struct Prepared {
    staging: write::Staging,
    recorded: Option<render::recorded::Recorded>,
    known: Option<render::links::Known>,
}

/// Begins the staging folder (changed files are rendered straight into
/// it, and put in place only on success) and reads the records of the
/// build in the output: the digests of its pages and the bodies it
/// rendered, to keep those that are the same (none with `--no-cache`; this
/// build's are recorded), and the stamps and links of its files, to keep
/// them unread.
fn prepare(
    opts: &BuildOptions,
    wopts: WriteOptions,
    fingerprints: Option<cache::Fingerprints>,
) -> Result<Prepared, Error> {
    let staging = write::Staging::begin(&opts.output, wopts).map_err(Error::Write)?;
    let recorded = fingerprints.map(|f| {
        let before = staging
            .previous_manifest()
            .filter(|_| !opts.no_cache)
            .and_then(|m| cache::PageRecord::read(&opts.output, m))
            .map(|r| r.made)
            .unwrap_or_default();
        let salt = cache::BodyLog::salt();
        let bodies = match salt {
            Some(salt) if !opts.no_cache => cache::BodyLog::read(&opts.output, salt, f.charts),
            _ => render::recorded::Bodies::default(),
        };
        render::recorded::Recorded::new(f.charts, before, bodies, salt.unwrap_or(0))
    });
    let known = staging
        .previous_manifest()
        .filter(|_| !opts.no_cache && fingerprints.is_some())
        .and_then(|m| cache::FileRecord::read(&opts.output, m))
        .map(|f| {
            let (stamps, scans) = f.into_parts();
            render::links::Known::new(scans, stamps)
        });
    Ok(Prepared {
        staging,
        recorded,
        known,
    })
}

/// Loads, validates and computes the site of `opts`, renders nothing, and
/// returns the warnings.
///
/// # Errors
///
/// [`Error::Content`] with every content error found.
pub fn checks(opts: &BuildOptions) -> Result<Vec<Diagnostic>, Error> {
    let result = checks_for(opts, None, None).map(|c| c.warnings);
    if let Some(p) = &opts.progress {
        p.finish();
    }
    result
}

fn checks_for(
    opts: &BuildOptions,
    cache: Option<&load::LoadCache>,
    kept: Option<&Memo>,
) -> Result<Checked, Error> {
    let selection = Selection {
        audience: opts.audience,
        drafts: opts.drafts,
    };
    run_checks(
        &opts.root,
        selection,
        opts.strict,
        opts.base_url.as_deref(),
        opts.progress.as_ref(),
        cache,
        kept,
    )
}

/// What one build made, kept for the next (`rekap serve`): the stamps of
/// the files it read ([`InputStamps`](cache::InputStamps)), the files it
/// parsed ([`LoadCache`](load::LoadCache)), the figures it validated
/// ([`KeptData`](validate::KeptData)), the reports it computed
/// ([`KeptReports`](compute::KeptReports)) and the charts, bodies, pages
/// and downloads it rendered ([`RenderMemo`](render::memo::RenderMemo)).
/// Each is taken only when proved the same (see each).
#[derive(Debug, Default)]
pub struct Memo {
    /// The stamp and digest of each input file, to read only those that
    /// changed.
    pub inputs: cache::InputStamps,
    /// Parsed figure files and documents.
    pub load: load::LoadCache,
    /// Validated entities, metrics and figures.
    pub data: validate::KeptData,
    /// Computed reports.
    pub reports: compute::KeptReports,
    /// The last report made, whatever its inputs, for the metrics of the
    /// next one made from the same.
    pub last_reports: compute::LastReports,
    /// Rendered charts, bodies, pages and downloads.
    pub render: render::memo::RenderMemo,
}

impl Memo {
    /// An empty memo.
    pub fn new() -> Memo {
        Memo::default()
    }

    /// Starts a build whose chart inputs have the fingerprint `charts`
    /// (see [`Fingerprints::charts`](cache::Fingerprints::charts)), read
    /// before it loads anything.
    pub fn begin(&self, charts: Option<cache::Fingerprint>) {
        self.data.begin(charts);
        self.reports.begin(charts);
        self.render.begin(charts);
    }

    /// Ends a build, with the fingerprint of its chart inputs read again
    /// after it (what was made from inputs that changed while it ran is
    /// forgotten).
    pub fn end(&self, charts: Option<cache::Fingerprint>) {
        self.data.end(charts);
        self.reports.end(charts);
        self.render.end(charts);
    }
}

/// What [`render_to`] made: the counts, warnings and timings of a build
/// whose files went to a sink.
#[derive(Debug, Clone)]
pub struct Rendered {
    /// HTML pages rendered.
    pub pages: usize,
    /// Charts the pages show, in every language.
    pub charts: usize,
    /// How many of them were taken from a [`RenderMemo`](render::memo::RenderMemo)
    /// rather than drawn.
    pub charts_reused: usize,
    /// Markdown bodies rendered, in every language.
    pub bodies: usize,
    /// How many of them were taken from the memo.
    pub bodies_reused: usize,
    /// How many pages were taken from the memo rather than rendered.
    pub pages_reused: usize,
    /// Warnings found (the build went on).
    pub warnings: Vec<Diagnostic>,
    /// Time per stage (`write` is zero: the sink's owner puts files in place).
    pub timings: Timings,
}

/// Loads, validates, computes and renders the site of `opts` into `sink`,
/// as [`build`] does, but leaves the files to the sink: `opts.output` is
/// neither read nor written (`rekap serve` keeps the site in memory).
///
/// # Errors
///
/// [`Error::Content`] with every content error found, [`Error::Write`] if
/// the sink refuses a file.
pub fn render_to(opts: &BuildOptions, sink: &dyn write::Sink) -> Result<Rendered, Error> {
    render_to_keeping(opts, sink, None)
}

/// [`render_to`], taking the parsed files, charts, bodies, pages and
/// downloads `memo` kept from an earlier build instead of making them again,
/// and keeping this build's there for the next (see [`Memo`]; the caller
/// fingerprints the chart inputs before and after, with
/// [`RenderMemo::begin`](render::memo::RenderMemo::begin) and
/// [`RenderMemo::end`](render::memo::RenderMemo::end)).
///
/// # Errors
///
/// As [`render_to`].
pub fn render_to_keeping(
    opts: &BuildOptions,
    sink: &dyn write::Sink,
    memo: Option<&Memo>,
) -> Result<Rendered, Error> {
    let result = checks_for(opts, memo.map(|m| &m.load), memo).and_then(|checked| {
        let kept = Kept {
            memo: memo.map(|m| &m.render),
            recorded: None,
        };
        render_checked(checked, opts, kept, None, sink).map(|(rendered, _)| rendered)
    });
    if let Some(p) = &opts.progress {
        p.finish();
    }
    result
}

/// Renders the checked site into `sink` and checks its links (a page of
/// the build in the output kept unread has the links `known` for it).
/// Returns what it made and the links and ids of every page.
fn render_checked(
    checked: Checked,
    opts: &BuildOptions,
    kept: Kept,
    known: Option<&render::links::Known>,
    sink: &dyn write::Sink,
) -> Result<(Rendered, Vec<std::sync::Arc<render::links::Scanned>>), Error> {
    let Checked {
        models,
        theme,
        warnings,
        mut timings,
    } = checked;
    let t = Instant::now();
    let counting;
    let sink = match &opts.progress {
        Some(p) => {
            p.stage("rendering: files");
            counting = crate::progress::Counting {
                inner: sink,
                progress: p,
            };
            &counting as &dyn write::Sink
        }
        None => sink,
    };
    // Every page's links are read on the way to the sink, and checked once
    // the whole site is rendered.
    let remembered = kept.memo.map(|m| m as &dyn render::links::KeptScans);
    let sink = render::links::LinkSink::knowing(sink, known).remembering(remembered);
    let stats = render_editions(&models, &theme, opts.relative_urls, false, kept, &sink)
        .map_err(render_error)?;
    let base_path = root_base_path(&models);
    let broken = sink.broken(&base_path);
    let (scanned, _) = sink.into_parts();
    // Broken links are warnings (errors with --strict, and then nothing is
    // put in place).
    let severity = if opts.strict {
        Severity::Error
    } else {
        Severity::Warning
    };
    let links = link_diagnostics(&models, &broken, &base_path, severity);
    // The site is no longer needed: freed on another thread (hundreds of
    // megabytes on a large site), not on the way to the result.
    crate::cache::drop_aside((models, theme));
    let mut warnings = with_render_warnings(warnings, stats.warnings.clone(), opts.strict)?;
    if opts.strict && !links.is_empty() {
        let mut all = Diagnostics::new();
        for d in warnings.into_iter().chain(links) {
            all.push(d);
        }
        return Err(Error::Content(all.sorted()));
    }
    if !links.is_empty() {
        let mut all = Diagnostics::new();
        for d in warnings.into_iter().chain(links) {
            all.push(d);
        }
        warnings = all.sorted();
    }
    timings.render = t.elapsed();
    timings.charts = stats.charts_time;
    timings.pngs = stats.png_time;
    timings.markdown = stats.markdown_time;
    timings.pages = stats.pages_time;
    timings.files = stats.files_time;
    let rendered = Rendered {
        pages: stats.pages,
        charts: stats.charts,
        charts_reused: stats.charts_reused,
        bodies: stats.bodies,
        bodies_reused: stats.bodies_reused,
        pages_reused: stats.pages_reused,
        warnings,
        timings,
    };
    Ok((rendered, scanned))
}

//! What one build made, kept for the next: incremental rendering.
//!
//! `rekap serve` rebuilds after every save. Most of what a build renders is
//! as it was: the memo keeps the charts, the Markdown bodies and the pages
//! of each build, and the next build takes those whose inputs did not
//! change instead of making them again. Every reuse rests on a proof that
//! the inputs are the same, never on a guess of what an edit reaches:
//!
//! - **Charts** are drawn from the figures, entities, metrics, settings and
//!   interface strings alone, never from a Markdown document or a template.
//!   Each is read through a reader that notes the entities whose values it
//!   reads (see [`data_reads`](super::data_reads)), and kept with those, the
//!   report it was drawn from and the digest of its *frame* (the language,
//!   settings, entities, metrics, dimensions, periods and years: see
//!   `KeptCharts`). A build of the same frame takes every chart whose
//!   entities' values are those of the last build, and draws only the
//!   others and those it has not seen.
//! - **Bodies** (Markdown with its shortcodes) are made from the templates
//!   and the values every template sees
//!   ([`Templates::identity`](super::templates::Templates::identity)), the
//!   document's own text and shortcodes, and what its shortcodes show: a
//!   body is kept under a digest of the former, for as long as the chart
//!   inputs stay the same, and under a digest of all of them (its *shown
//!   key*, see [`KeptBodies`](super::bodies::KeptBodies)) whatever they are.
//!   It is also kept with what its shortcodes read of the figures and
//!   charts ([`BodyReads`]), and taken in a build of the same frame as the
//!   charts' when none of those changed.
//! - **Formatted values** (every figure cell in words and numbers) are made
//!   from the chart inputs alone, and kept with the charts. Each is also a
//!   function of its value, the metrics, the site's strings and the
//!   language alone ([`cells::format`](super::cells::format())): kept with
//!   those whatever the inputs, so that after a change of figures only the
//!   values it reaches are formatted again.
//! - **Data downloads** (CSV and JSON) are made from the chart inputs and
//!   the years the site covers (a release may add one): kept whole for as
//!   long as both stay the same. Each entity's rows are a function of its
//!   figures, the entities, metrics, dimensions, strings and language (see
//!   [`downloads::write_keeping`](super::downloads::write_keeping())): kept
//!   with those whatever the inputs, so that after a change of figures only
//!   the entities it reaches are encoded again.
//! - **Drawings** (a chart's SVG text) are a function of the chart's plot
//!   and frame alone (see the `chart_plot` module): kept under
//!   their identity whatever the inputs, so that after a change of figures
//!   only the charts that show a changed figure are drawn again.
//! - **Searchable text** of a body is a function of its HTML alone: kept
//!   under a digest of the HTML. A release's **search document** is a
//!   function of its fields and its body's HTML: kept as JSON (and as its
//!   piece of the script) under a digest of its fields, with the body,
//!   and taken for a body that is that one or has its HTML.
//! - **Links and ids** of a page (for the link check) are a function of
//!   its bytes: kept with the very bytes they were read from, and taken
//!   when the build hands those bytes again (a page kept). Its **broken
//!   links** are a function of those and of the site's paths and ids: kept
//!   with the links and a digest of the site, and taken while both are
//!   the same.
//! - **Pages** are a function of their template and the values it is given:
//!   a page is kept with the digest of those values (see
//!   [`digest`](crate::digest)), and a build whose page has the same digest
//!   takes the kept bytes instead of rendering it. Pages need no
//!   fingerprint: a digest says all a page is made from.
//! - **What pages read**: a page is also a function of the build's *frame*
//!   (all it is made from but the documents' texts and the figures'
//!   values), the bodies it reads and the figures and charts it reads (see
//!   [`reads`](super::pages::reads)): a build of the same frame takes each
//!   page whose bodies, entities' values and charts are unchanged without
//!   making its values.
//! - **Digests of releases** (of each release's record, and of its text
//!   with its shortcodes) are functions of the record: kept with it, and
//!   taken for a record of the same loaded release resolved alike (see
//!   [`doc_digests`](super::doc_digests)).
//! - **Rows of the list of entities** (values and HTML) are functions of
//!   their values, the templates and the metrics: kept under the digest of
//!   their values with a digest of the rest, whatever the inputs.
//! - **Feeds and the sitemap** are functions of their template and values:
//!   kept with the digest of those, as pages are.
//!
//! A build whose chart fingerprint differs from the last one's, or that
//! cannot be fingerprinted, starts with no formatted value, download or
//! entity figure digest, and no body under its chart-input key (only
//! charts, bodies and pages' reads with what they read, drawings,
//! searchable texts, bodies under their shown keys, formatted values,
//! entities' download rows and the rows of the list of entities, each a function of what it is kept with),
//! and so does the build after one whose inputs changed while it ran. After each build the memo holds what
//! that build used, so it never grows beyond one build.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, MutexGuard};

use super::bodies::BodyReads;
use super::cells::{Formatted, KeptFormats};
use super::chart_plan::ChartKey;
use super::chart_plot::Plot;
use super::chart_views::Charts;
use super::charts::Frame;
use super::data_reads::{ChangedEntities, Changes, DataReads};
use super::doc_digests::KeptDigests;
use super::downloads::KeptRows;
use super::links::{Around, Broken, KeptScans, Scanned, Verdict};
use super::markdown::Rendered;
use super::pages::ListRows;
use super::pages::reads::Reads;
use super::search::KeptDoc;
use crate::cache::Fingerprint;
use crate::compute::Report;
use crate::model::Lang;

/// Files as a build hands them over: path and bytes, in pieces (the
/// site-wide downloads are each entity's rows one after the other, never
/// copied into one buffer).
pub(super) type Files = Vec<(String, Vec<bytes::Bytes>)>;

/// What each chart of a build read, by chart (hashed with `ahash`: tens of
/// thousands of keys are looked up at every figure save).
pub(super) type KeptReads = HashMap<ChartKey, DataReads, ahash::RandomState>;

/// The charts of a build in one language, kept for the next: the digest of
/// what every chart is made from besides the figures (its frame: the
/// language, settings, entities, metrics, the report's periods and years),
/// the report they were drawn from, and each chart with what it read of
/// that report. A chart of the same frame whose entities' values are as they
/// were is the same chart.
#[derive(Debug)]
pub(super) struct KeptCharts {
    /// The digest of the frame.
    pub(super) frame: u128,
    /// The report the charts were drawn from.
    pub(super) report: Arc<Report>,
    /// The charts.
    pub(super) charts: Arc<Charts>,
    /// What each chart read.
    pub(super) reads: KeptReads,
    /// What the list of the charts was made from besides the report and the
    /// frame, and how many there were.
    pub(super) plan: ChartsPlanned,
}

/// What the charts a build needs are made from besides its report and the
/// frame of [`KeptCharts`]: the charts authors placed, the years the site
/// covers, and whether PNGs were wanted. The same with the same report and
/// frame, the same charts (see `chart_views::draw_site`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct ChartsPlanned {
    /// The charts authors placed, in the order of the documents.
    pub(super) placed: Vec<ChartKey>,
    /// The years of the content index.
    pub(super) years: Vec<i32>,
    /// Whether PNGs were left out.
    pub(super) skip_png: bool,
    /// How many charts the build showed.
    pub(super) total: usize,
}

/// Charts, bodies and pages made by earlier builds, by language.
#[derive(Debug, Default)]
pub struct RenderMemo {
    state: Mutex<State>,
    /// The links and ids of pages and their broken links, looked up by
    /// every page (apart from the rest, under a lock of their own).
    links: super::kept_links::KeptLinks,
}

/// The memo's maps: hashed with aHash (many thousand pages, bodies and
/// scans are looked up at every build).
type Map<K, V> = HashMap<K, V, ahash::RandomState>;
/// See [`Map`].
type Set<K> = HashSet<K, ahash::RandomState>;

#[derive(Debug, Default)]
struct State {
    /// The chart inputs the charts and bodies were made from; `None`:
    /// none kept.
    inputs: Option<Fingerprint>,
    /// The charts of the last build in each language, with what each read
    /// of the figures (kept whatever the inputs: see [`KeptCharts`]).
    charts: HashMap<Lang, KeptCharts>,
    /// The bodies of the last build in each language, with what each read
    /// of the figures (kept whatever the inputs: see [`BodyReads`]).
    body_reads: HashMap<Lang, BodyReads>,
    /// The entities whose values differ between two reports, the last
    /// asked for (see [`RenderMemo::changed_entities`]).
    changed: Option<(Arc<Report>, Arc<Report>, ChangedEntities)>,
    /// Bodies of these chart inputs by the digest of what each is made
    /// from besides them, with their shown keys (see
    /// [`KeptBodies`](super::bodies::KeptBodies)).
    bodies: Map<u128, (Arc<Rendered>, Option<u128>)>,
    /// Bodies used by the build under way.
    bodies_used: Set<u128>,
    /// Bodies by their shown key (kept whatever the chart inputs).
    bodies_shown: Map<u128, Arc<Rendered>>,
    /// Shown keys of the bodies the build under way has.
    shown_used: Set<u128>,
    /// Pages by language and path: the digest of their values, and their bytes.
    pages: Map<(Lang, String), (u128, bytes::Bytes)>,
    /// The searchable text of HTML bodies, by a digest of the HTML (a pure
    /// function of it: kept whatever the inputs).
    plain: Map<u128, Arc<str>>,
    /// Texts used by the build under way.
    plain_used: Set<u128>,
    /// Search documents as JSON, by a digest of what each is made from but
    /// its body, with that body (a pure function of them: kept whatever
    /// the inputs).
    search: Map<u128, Arc<KeptDoc>>,
    /// Those of the build under way.
    search_used: Map<u128, Arc<KeptDoc>>,
    /// Chart drawings by their identity (a pure function of it: kept
    /// whatever the inputs).
    drawings: Map<u128, Arc<str>>,
    /// Drawings used by the build under way.
    drawings_used: Set<u128>,
    /// The digests of entity pages' figures, by language and page path:
    /// made from the chart inputs alone.
    figures: Map<(Lang, String), u128>,
    /// Every value of the report, formatted, by language: made from the
    /// chart inputs alone.
    cells: HashMap<Lang, Arc<Formatted>>,
    /// The values formatted by the last build in each language, with what
    /// they were formatted from (a function of it: kept whatever the
    /// inputs).
    formats: HashMap<Lang, Arc<KeptFormats>>,
    /// The downloads' rows of the last build that made them, by language,
    /// with what they were made from (a function of it: kept whatever the
    /// inputs).
    rows: HashMap<Lang, Arc<KeptRows>>,
    /// The data downloads by language, with the years they were made for:
    /// made from the chart inputs and the years alone.
    downloads: HashMap<Lang, (Vec<i32>, Files)>,
    /// Other files made from a template (feeds, the sitemap) by language
    /// and path: the digest of what each is made from, and its bytes.
    files: Map<(Lang, String), (u128, bytes::Bytes)>,
    /// Those of the build under way.
    files_used: Map<(Lang, String), (u128, bytes::Bytes)>,
    /// What the pages of the last build in each language read, with the
    /// digest of their frame (see [`Reads`]).
    reads: HashMap<Lang, Reads<Arc<Rendered>>>,
    /// The digests of the releases of the last build in each language,
    /// with the records they were made from (a pure function of them: kept
    /// whatever the inputs).
    digests: HashMap<Lang, KeptDigests>,
    /// The rows of the list of entities of the last build in each
    /// language that made them, with what they were made from (a function
    /// of it: kept whatever the inputs).
    list_rows: HashMap<Lang, ListRows>,
    /// What the build under way replaced, freed when it ends (see
    /// [`Later`]).
    later: Later,
}

/// Values a build no longer needs, freed when it ends ([`RenderMemo::end`],
/// which `rekap serve` calls after the reload event): a report or a set of
/// charts freed during the build takes tens of milliseconds of the two
/// threads that render the pages.
#[derive(Default)]
struct Later(Vec<Box<dyn Send>>);

impl std::fmt::Debug for Later {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Later({} values)", self.0.len())
    }
}

impl Later {
    /// Keeps `value` to be freed when the build ends.
    fn keep<T: Send + 'static>(&mut self, value: T) {
        self.0.push(Box::new(value));
    }
}

impl State {
    /// Forgets what is made from the chart inputs (see [`RenderMemo`]).
    /// Freed when the build ends (see [`Later`]): a large site's charts
    /// take a while to free, and the build need not wait for it.
    fn forget_by_inputs(&mut self) {
        self.later.keep((
            std::mem::take(&mut self.bodies),
            std::mem::take(&mut self.cells),
            std::mem::take(&mut self.downloads),
            std::mem::take(&mut self.figures),
        ));
        // The pages' reads are kept: their frame holds no figure, and the
        // figures each page read are compared with the next build's.
    }
}

/// Takes what `kept` holds for `lang` if it was made in the frame of digest
/// `frame` (`frame_of` says in which), else forgets it (freed `later`).
fn take_framed<T: Send + 'static>(
    kept: &mut HashMap<Lang, T>,
    later: &mut Later,
    lang: Lang,
    frame: u128,
    frame_of: impl Fn(&T) -> u128,
) -> Option<T> {
    let was = kept.remove(&lang)?;
    if frame_of(&was) == frame {
        return Some(was);
    }
    later.keep(was);
    None
}

/// Puts `value` in `kept` for `lang`, the one it replaces freed `later`.
fn replace_later<T: Send + 'static>(
    kept: &mut HashMap<Lang, T>,
    later: &mut Later,
    lang: Lang,
    value: T,
) {
    if let Some(before) = kept.insert(lang, value) {
        later.keep(before);
    }
}

impl RenderMemo {
    /// An empty memo.
    pub fn new() -> RenderMemo {
        RenderMemo::default()
    }

    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Starts a build whose chart inputs have the fingerprint `inputs`
    /// (read before it loads anything): keeps the charts and bodies if they
    /// are those of the ones kept, else forgets them all.
    pub fn begin(&self, inputs: Option<Fingerprint>) {
        let mut s = self.state();
        if inputs.is_none() || s.inputs != inputs {
            s.forget_by_inputs();
        }
        s.bodies_used.clear();
        s.shown_used.clear();
        s.plain_used.clear();
        s.search_used.clear();
        s.drawings_used.clear();
        s.files_used.clear();
        // Sized for as many as the last build kept (grown entry by entry,
        // the maps of a large site are made again a dozen times over).
        let (files, search) = (s.files.len(), s.search.len());
        s.files_used.reserve(files);
        s.search_used.reserve(search);
        s.inputs = inputs;
        drop(s);
        self.links.begin();
    }

    /// Ends a build, with the fingerprint of its chart inputs read again
    /// after it: if they changed while the build ran, its charts and bodies
    /// may be of either version, and are forgotten. Bodies the build did not
    /// use are forgotten too. (Pages are kept: each is proved by its digest.)
    pub fn end(&self, inputs: Option<Fingerprint>) {
        let mut s = self.state();
        let used = std::mem::take(&mut s.plain_used);
        s.plain.retain(|k, _| used.contains(k));
        s.search = std::mem::take(&mut s.search_used);
        let used = std::mem::take(&mut s.drawings_used);
        s.drawings.retain(|k, _| used.contains(k));
        s.files = std::mem::take(&mut s.files_used);
        // A body under its shown key is what it showed, whatever changed.
        let used = std::mem::take(&mut s.shown_used);
        s.bodies_shown.retain(|k, _| used.contains(k));
        if inputs.is_none() || s.inputs != inputs {
            s.forget_by_inputs();
            s.inputs = None;
        } else {
            let used = std::mem::take(&mut s.bodies_used);
            s.bodies.retain(|k, _| used.contains(k));
        }
        let later = std::mem::take(&mut s.later);
        drop(s);
        // The build is over: its threads are free to free what it replaced.
        rayon::spawn(move || drop(later));
        self.links.end();
    }

    /// Keeps `value`, which the build under way no longer needs, to be
    /// freed when it ends (see [`Later`]).
    pub(super) fn free_later<T: Send + 'static>(&self, value: T) {
        self.state().later.keep(value);
    }

    /// Takes the digests of the releases kept in `lang` (an empty set if
    /// none is).
    pub(super) fn take_digests(&self, lang: Lang) -> KeptDigests {
        self.state().digests.remove(&lang).unwrap_or_default()
    }

    /// Keeps the digests of the releases of a build in `lang`.
    pub(super) fn keep_digests(&self, lang: Lang, digests: KeptDigests) {
        let s = &mut *self.state();
        replace_later(&mut s.digests, &mut s.later, lang, digests);
    }

    /// Takes the rows of the list of entities kept in `lang`, if any.
    pub(super) fn take_list_rows(&self, lang: Lang) -> Option<ListRows> {
        self.state().list_rows.remove(&lang)
    }

    /// Keeps the rows of the list of entities of a build in `lang`.
    pub(super) fn keep_list_rows(&self, lang: Lang, rows: ListRows) {
        let s = &mut *self.state();
        replace_later(&mut s.list_rows, &mut s.later, lang, rows);
    }

    /// Takes the charts kept in `lang`, if they were made in a frame of
    /// digest `frame` (else they are forgotten).
    pub(super) fn take_charts(&self, lang: Lang, frame: u128) -> Option<KeptCharts> {
        let s = &mut *self.state();
        take_framed(&mut s.charts, &mut s.later, lang, frame, |c| c.frame)
    }

    /// Keeps the charts of a build in `lang`, in place of those kept in
    /// that language before; their drawings are marked used.
    pub(super) fn keep_charts(&self, lang: Lang, charts: KeptCharts) {
        let mut s = self.state();
        let ids: Vec<u128> = charts
            .charts
            .values()
            .flat_map(|c| [Some(&c.svg), c.svg_narrow.as_ref()])
            .flatten()
            .filter_map(|d| d.identity())
            .collect();
        s.drawings_used.extend(ids);
        let s = &mut *s;
        replace_later(&mut s.charts, &mut s.later, lang, charts);
    }

    /// Takes the bodies kept in `lang` with what they read, if they were
    /// made in a frame of digest `frame` (else they are forgotten).
    pub(super) fn take_body_reads(&self, lang: Lang, frame: u128) -> Option<BodyReads> {
        let s = &mut *self.state();
        take_framed(&mut s.body_reads, &mut s.later, lang, frame, |b| b.frame)
    }

    /// Keeps the bodies of a build in `lang` with what they read.
    pub(super) fn keep_body_reads(&self, lang: Lang, bodies: BodyReads) {
        let s = &mut *self.state();
        replace_later(&mut s.body_reads, &mut s.later, lang, bodies);
    }

    /// What changed from the figures and charts `before` to `now`'s, two
    /// builds of `entities` entities in the same frame (see [`Changes`]).
    pub(super) fn changes(
        &self,
        entities: usize,
        before: (&Arc<Report>, &Charts),
        now: (&Arc<Report>, &Charts),
    ) -> Changes {
        let changed = self.changed_entities(entities, before.0, now.0);
        Changes::between(changed, before.1, now.1)
    }

    /// Which entities' values differ between the reports `before` and
    /// `now` of `entities` entities (see [`ChangedEntities::between`]),
    /// worked out once for the pages and charts of a build.
    pub(super) fn changed_entities(
        &self,
        entities: usize,
        before: &Arc<Report>,
        now: &Arc<Report>,
    ) -> ChangedEntities {
        if let Some((b, n, changed)) = &self.state().changed
            && Arc::ptr_eq(b, before)
            && Arc::ptr_eq(n, now)
        {
            return changed.clone();
        }
        let changed = ChangedEntities::between(entities, before, now);
        let mut s = self.state();
        let old = s
            .changed
            .replace((before.clone(), now.clone(), changed.clone()));
        s.later.keep(old);
        changed
    }

    /// The drawing of `plot` in `frame`, with its identity: the one kept
    /// under its identity, else drawn now and kept (both marked used by
    /// this build).
    pub(super) fn drawing(&self, plot: &Plot, frame: &Frame) -> (Arc<str>, Option<u128>) {
        let Some(id) = plot.identity(frame) else {
            return (Arc::from(plot.draw(frame)), None);
        };
        {
            let mut s = self.state();
            if let Some(text) = s.drawings.get(&id).cloned() {
                s.drawings_used.insert(id);
                return (text, Some(id));
            }
        }
        let text: Arc<str> = Arc::from(plot.draw(frame));
        let mut s = self.state();
        s.drawings.insert(id, text.clone());
        s.drawings_used.insert(id);
        (text, Some(id))
    }

    /// The body kept under `key` for these chart inputs, if any, with its
    /// shown key.
    pub(super) fn body(&self, key: u128) -> Option<(Arc<Rendered>, Option<u128>)> {
        self.state().bodies.get(&key).cloned()
    }

    /// The body kept under the shown key `shown`, if any.
    pub(super) fn body_shown(&self, shown: u128) -> Option<Arc<Rendered>> {
        self.state().bodies_shown.get(&shown).cloned()
    }

    /// Keeps `body` under `key` and `shown`, as used by this build.
    pub(super) fn keep_body(&self, key: u128, shown: Option<u128>, body: Arc<Rendered>) {
        let mut s = self.state();
        if let Some(shown) = shown {
            s.bodies_shown.insert(shown, body.clone());
            s.shown_used.insert(shown);
        }
        s.bodies.insert(key, (body, shown));
        s.bodies_used.insert(key);
    }

    /// The page at `path` in `lang`, if kept with the digest `digest`.
    pub(super) fn page(&self, lang: Lang, path: &str, digest: u128) -> Option<bytes::Bytes> {
        self.state()
            .pages
            .get(&(lang, path.to_string()))
            .filter(|(d, _)| *d == digest)
            .map(|(_, b)| b.clone())
    }

    /// The bytes of the page at `path` in `lang`, if kept (whatever its
    /// digest: for a page proved the same by what it was made from, see
    /// [`Reads`]).
    pub(super) fn page_bytes(&self, lang: Lang, path: &str) -> Option<bytes::Bytes> {
        self.state()
            .pages
            .get(&(lang, path.to_string()))
            .map(|(_, b)| b.clone())
    }

    /// The file at `path` in `lang`, if kept with the digest `digest` (of
    /// what it is made from: a function of it, kept whatever the inputs);
    /// kept for the next build too.
    pub(super) fn file(&self, lang: Lang, path: &str, digest: u128) -> Option<bytes::Bytes> {
        let mut s = self.state();
        let key = (lang, path.to_string());
        let bytes = s.files.get(&key).filter(|(d, _)| *d == digest)?.1.clone();
        s.files_used.insert(key, (digest, bytes.clone()));
        Some(bytes)
    }

    /// Keeps the file at `path` in `lang`, made from what has the digest
    /// `digest`.
    pub(super) fn keep_file(&self, lang: Lang, path: &str, digest: u128, bytes: bytes::Bytes) {
        self.state()
            .files_used
            .insert((lang, path.to_string()), (digest, bytes));
    }

    /// The fingerprint of the chart inputs of the build under way, if known.
    pub(super) fn chart_inputs(&self) -> Option<Fingerprint> {
        self.state().inputs
    }

    /// Takes what the pages of the last build in `lang` read: a build puts
    /// back its own ([`RenderMemo::keep_reads`]) only once it has made
    /// every page.
    pub(super) fn take_reads(&self, lang: Lang) -> Option<Reads<Arc<Rendered>>> {
        self.state().reads.remove(&lang)
    }

    /// Keeps what the pages of this build in `lang` read.
    pub(super) fn keep_reads(&self, lang: Lang, reads: Reads<Arc<Rendered>>) {
        self.state().reads.insert(lang, reads);
    }

    /// The searchable text of the HTML `html` (see
    /// [`plain_text`](super::search::plain_text)), kept or made and kept.
    pub(super) fn plain_text(&self, html: &str) -> Arc<str> {
        let key = xxhash_rust::xxh3::xxh3_128(html.as_bytes());
        if let Some(text) = {
            let mut s = self.state();
            s.plain_used.insert(key);
            s.plain.get(&key).cloned()
        } {
            return text;
        }
        let text: Arc<str> = super::search::plain_text(html).into();
        self.state().plain.insert(key, text.clone());
        text
    }

    /// The search document kept under the digest `key` of what it is made
    /// from but its body, if it was made from `body` (kept for the next
    /// build too).
    pub(super) fn search_doc(&self, key: u128, body: &Arc<Rendered>) -> Option<Arc<KeptDoc>> {
        let mut s = self.state();
        let doc = s.search.get(&key).filter(|d| d.made_from(body))?.clone();
        s.search_used.insert(key, doc.clone());
        Some(doc)
    }

    /// Keeps the search document `doc`, made from what has the digest `key`
    /// and its body.
    pub(super) fn keep_search_doc(&self, key: u128, doc: Arc<KeptDoc>) {
        self.state().search_used.insert(key, doc);
    }

    /// The formatted values in `lang`, if kept.
    pub(super) fn cells(&self, lang: Lang) -> Option<Arc<Formatted>> {
        self.state().cells.get(&lang).cloned()
    }

    /// Keeps the formatted values of a build in `lang`.
    pub(super) fn keep_cells(&self, lang: Lang, cells: Arc<Formatted>) {
        self.state().cells.insert(lang, cells);
    }

    /// The values the last build in `lang` formatted, with what from.
    pub(super) fn formats(&self, lang: Lang) -> Option<Arc<KeptFormats>> {
        self.state().formats.get(&lang).cloned()
    }

    /// Keeps the values a build in `lang` formats, in place of the last
    /// build's.
    pub(super) fn keep_formats(&self, lang: Lang, formats: KeptFormats) {
        let mut s = self.state();
        let was = s.formats.insert(lang, Arc::new(formats));
        s.later.keep(was);
    }

    /// The downloads' rows the last build in `lang` made, with what from.
    pub(super) fn rows(&self, lang: Lang) -> Option<Arc<KeptRows>> {
        self.state().rows.get(&lang).cloned()
    }

    /// Keeps the downloads' rows a build in `lang` made, in place of the
    /// last build's.
    pub(super) fn keep_rows(&self, lang: Lang, rows: KeptRows) {
        let mut s = self.state();
        let was = s.rows.insert(lang, Arc::new(rows));
        s.later.keep(was);
    }

    /// The data downloads in `lang` for the site's `years` (a release in
    /// a year with no figure adds a year, and its download), if kept: each
    /// file's path and bytes.
    pub(super) fn downloads(&self, lang: Lang, years: &[i32]) -> Option<Files> {
        self.state()
            .downloads
            .get(&lang)
            .filter(|(y, _)| y == years)
            .map(|(_, files)| files.clone())
    }

    /// Keeps the data downloads of a build in `lang` for `years`.
    pub(super) fn keep_downloads(&self, lang: Lang, years: Vec<i32>, files: Files) {
        self.state().downloads.insert(lang, (years, files));
    }

    /// Whether pages in `lang` are kept.
    pub(super) fn has_pages(&self, lang: Lang) -> bool {
        self.state().pages.keys().any(|(l, _)| *l == lang)
    }

    /// Keeps the page at `path` in `lang`, rendered from values with the
    /// digest `digest`.
    pub(super) fn keep_page(&self, lang: Lang, path: &str, digest: u128, bytes: bytes::Bytes) {
        self.state()
            .pages
            .insert((lang, path.to_string()), (digest, bytes));
    }

    /// Forgets the pages in `lang` but those at `paths` (the pages of the
    /// build that just rendered that language).
    pub(super) fn retain_pages(&self, lang: Lang, paths: &HashSet<String>) {
        self.state()
            .pages
            .retain(|(l, p), _| *l != lang || paths.contains(p));
    }

    /// How many charts are kept.
    pub fn len(&self) -> usize {
        self.state().charts.len()
    }

    /// Whether no chart is kept.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// How many pages are kept.
    pub fn pages(&self) -> usize {
        self.state().pages.len()
    }
}

impl KeptScans for RenderMemo {
    fn scanned(&self, path: &str, bytes: &bytes::Bytes) -> Option<Arc<Scanned>> {
        self.links.scanned(path, bytes)
    }

    fn keep_scanned(&self, path: &str, bytes: bytes::Bytes, scanned: Arc<Scanned>) {
        self.links.keep_scanned(path, bytes, scanned);
    }

    fn pages(&self) -> usize {
        self.links.pages()
    }

    fn verdict(&self, page: &Arc<Scanned>, around: &Around) -> Option<Arc<[Broken]>> {
        self.links.verdict(page, around)
    }

    fn keep_verdict(&self, verdict: Verdict) {
        self.links.keep_verdict(verdict);
    }
}

impl super::recorded::KeptFigures for RenderMemo {
    fn figures(&self, lang: Lang, path: &str) -> Option<u128> {
        let s = self.state();
        // (A lookup by a borrowed pair would need a key type of its own.)
        s.inputs
            .and_then(|_| s.figures.get(&(lang, path.to_string())).copied())
    }

    fn keep_figures(&self, lang: Lang, path: &str, digest: u128) {
        let mut s = self.state();
        if s.inputs.is_some() {
            s.figures.insert((lang, path.to_string()), digest);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::charts::{Labels, Size};

    #[test]
    fn a_drawing_is_taken_from_the_memo_only_for_the_same_plot_and_frame() {
        let memo = RenderMemo::new();
        let frame = |size| Frame {
            labels: Labels {
                title: "Tren".into(),
                desc: "Sama".into(),
            },
            key: Vec::new(),
            size,
        };
        let plot = |last: f64| Plot::Sparkline {
            values: vec![Some(1.0), Some(2.0), Some(last)],
        };
        memo.begin(None);
        let (first, id) = memo.drawing(&plot(3.0), &frame(Size::Wide));
        assert_eq!(&*first, plot(3.0).draw(&frame(Size::Wide)));
        assert_eq!(id, plot(3.0).identity(&frame(Size::Wide)));
        // Another value under the same title and description: drawn anew.
        let (other, _) = memo.drawing(&plot(9.0), &frame(Size::Wide));
        assert_eq!(&*other, plot(9.0).draw(&frame(Size::Wide)));
        assert_ne!(first, other);
        // The same plot and frame: the drawing kept, not another copy.
        let (again, _) = memo.drawing(&plot(3.0), &frame(Size::Wide));
        assert!(Arc::ptr_eq(&first, &again));
        // Kept through a build that uses it, forgotten after one that does not.
        memo.end(None);
        memo.begin(None);
        let _ = memo.drawing(&plot(9.0), &frame(Size::Wide));
        memo.end(None);
        assert!(memo.state().drawings.len() == 1, "only the drawing used");
    }

    /// The example site copied into a temporary folder, with no PNG.
    fn example() -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let from = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
        for entry in walkdir::WalkDir::new(&from) {
            let entry = entry.expect("a folder entry");
            let to = dir
                .path()
                .join("content")
                .join(entry.path().strip_prefix(&from).expect("under content"));
            if entry.file_type().is_dir() {
                std::fs::create_dir_all(&to).expect("a folder");
            } else {
                std::fs::copy(entry.path(), &to).expect("a copy");
            }
        }
        let site = dir.path().join("content/site.yaml");
        let text = std::fs::read_to_string(&site).expect("site.yaml");
        std::fs::write(&site, text.replace("charts_png: all", "charts_png: none"))
            .expect("site.yaml");
        dir
    }

    /// The example's release, in Indonesian, under the site folder `dir`.
    fn release(dir: &tempfile::TempDir) -> std::path::PathBuf {
        dir.path()
            .join("content/releases/2017-02-01-target-2017-sulawesi-maluku.md")
    }

    /// Adds the paragraph `text` at the end of the document `file`.
    fn add_paragraph(file: &std::path::Path, text: &str) {
        let was = std::fs::read_to_string(file).expect("the document");
        std::fs::write(file, format!("{was}\n{text}\n")).expect("the document");
    }

    /// Adds ` (2)` to the title of the document `file`.
    fn retitle(file: &std::path::Path) {
        let text = std::fs::read_to_string(file).expect("the document");
        let title = text
            .lines()
            .find(|l| l.starts_with("title:"))
            .expect("a title line");
        std::fs::write(file, text.replacen(title, &format!("{title} (2)"), 1))
            .expect("the document");
    }

    /// Replaces the first `from` in `file`, which must have it, by `to`.
    fn replace_once(file: &std::path::Path, from: &str, to: &str) {
        let text = std::fs::read_to_string(file).expect("the file");
        assert!(text.contains(from), "{}: no {from:?}", file.display());
        std::fs::write(file, text.replacen(from, to, 1)).expect("the file");
    }

    /// Asserts that every file of `site` is as a fresh build of `opts` makes it.
    fn assert_as_fresh(site: &crate::serve::memory::MemorySite, opts: &crate::BuildOptions) {
        let fresh = crate::serve::memory::MemorySink::new(None);
        crate::render_to(opts, &fresh).expect("the example builds");
        let fresh = fresh.into_site();
        for path in site.paths() {
            assert_eq!(site.get(path), fresh.get(path), "{path} as a fresh build");
        }
    }

    /// A build as `rekap serve` makes it, with `memo`: its report and files.
    fn build(
        opts: &crate::BuildOptions,
        memo: &crate::Memo,
    ) -> (crate::Rendered, crate::serve::memory::MemorySite) {
        let charts = || crate::cache::Fingerprints::of(opts).map(|f| f.charts);
        memo.begin(charts());
        let sink = crate::serve::memory::MemorySink::new(None);
        let r = crate::render_to_keeping(opts, &sink, Some(memo)).expect("the example builds");
        memo.end(charts());
        (r, sink.into_site())
    }

    #[test]
    fn a_year_whose_download_rows_are_unchanged_keeps_its_files() {
        use crate::serve::memory::Held;
        let dir = example();
        let opts = crate::BuildOptions::new(dir.path());
        let memo = crate::Memo::new();
        let (_, first) = build(&opts, &memo);
        // The region's 2017 target for new participants: its 2017 rows
        // change, no row of another year does.
        replace_once(
            &dir.path().join("content/data/figures/2017.yaml"),
            "target: 1500000\n",
            "target: 1400000\n",
        );
        let (_, second) = build(&opts, &memo);
        let bytes = |site: &crate::serve::memory::MemorySite, path: &str| match site.held(path) {
            Some(Held::Whole(b)) => b.clone(),
            other => panic!("{path}: {other:?}"),
        };
        for format in ["csv", "json"] {
            let path = |y: i32| format!("years/{y}/data.{format}");
            let (a, b) = (bytes(&first, &path(2016)), bytes(&second, &path(2016)));
            assert_eq!(
                a.as_ptr(),
                b.as_ptr(),
                "2016: the last build's file, not made again"
            );
            let (a, b) = (bytes(&first, &path(2017)), bytes(&second, &path(2017)));
            assert_ne!(a, b, "2017: made again, with the new target");
            assert!(
                b.windows(7).any(|w| w == b"1400000"),
                "2017 shows the new target"
            );
        }
        // And every file as a fresh build makes it.
        assert_as_fresh(&second, &opts);
    }

    #[test]
    fn a_page_of_the_same_frame_whose_bodies_are_unchanged_is_kept_without_its_values() {
        let dir = example();
        let opts = crate::BuildOptions::new(dir.path());
        let memo = crate::Memo::new();
        build(&opts, &memo);
        // Every kept page's digest forgotten: a page can now be kept only
        // by what it read, never by the digest of its values.
        let forget_digests = || {
            for (digest, _) in memo.render.state().pages.values_mut() {
                *digest = 0;
            }
        };
        forget_digests();
        let release = release(&dir);
        add_paragraph(&release, "Paragraf penutup yang baru.");
        let (r, site) = build(&opts, &memo);
        assert!(
            r.pages_reused > r.pages / 2 && r.pages_reused < r.pages,
            "pages that read no changed body kept, those that read it made: {} of {}",
            r.pages_reused,
            r.pages
        );
        let fresh = crate::serve::memory::MemorySink::new(None);
        crate::render_to(&opts, &fresh).expect("the example builds");
        let fresh = fresh.into_site();
        let sorted = |site: &crate::serve::memory::MemorySite| {
            let mut paths: Vec<String> = site.paths().map(str::to_string).collect();
            paths.sort();
            paths
        };
        let paths = sorted(&site);
        assert_eq!(paths, sorted(&fresh));
        for path in &paths {
            assert_eq!(site.get(path), fresh.get(path), "{path} as a fresh build");
        }
        assert!(
            site.paths().any(|p| site
                .get(p)
                .is_some_and(|b| b.windows(26).any(|w| w == b"Paragraf penutup yang baru"))),
            "the release's page shows the new paragraph"
        );
        // A change of what every page is made from (a title, which lists
        // show, in both languages): no page is kept by what it read.
        forget_digests();
        retitle(&release);
        retitle(&release.with_extension("en.md"));
        let (r, _) = build(&opts, &memo);
        assert_eq!(
            r.pages_reused, 0,
            "no page kept by its reads nor its digest"
        );
    }

    #[test]
    fn a_feed_made_from_the_same_values_is_taken_from_the_memo() {
        let dir = example();
        let opts = crate::BuildOptions::new(dir.path());
        let memo = crate::Memo::new();
        build(&opts, &memo);
        // The kept files marked: a file taken from the memo is the mark.
        for (_, bytes) in memo.render.state().files.values_mut() {
            *bytes = bytes::Bytes::from_static(b"kept");
        }
        let release = release(&dir);
        // A last paragraph: no feed shows it.
        add_paragraph(&release, "Paragraf penutup.");
        let (_, site) = build(&opts, &memo);
        for feed in ["releases/atom.xml", "sitemap.xml", "robots.txt"] {
            assert_eq!(site.get(feed).as_deref(), Some(&b"kept"[..]), "{feed}");
        }
        // Its title, which the feeds show: they are made again.
        retitle(&release);
        let (_, site) = build(&opts, &memo);
        let feed = site.get("releases/atom.xml").expect("the feed");
        assert!(feed.starts_with(b"<?xml"), "made again");
        assert_eq!(
            site.get("sitemap.xml").as_deref(),
            Some(&b"kept"[..]),
            "the same pages: the same sitemap"
        );
    }

    #[test]
    fn a_row_of_the_list_of_entities_is_taken_from_the_memo_while_it_is_the_same() {
        let dir = example();
        let opts = crate::BuildOptions::new(dir.path());
        let memo = crate::Memo::new();
        build(&opts, &memo);
        let mark = || {
            for rows in memo.render.state().list_rows.values_mut() {
                rows.mark("<tr><td>kept row</td></tr>");
            }
        };
        let kept_rows = |site: &crate::serve::memory::MemorySite| {
            let page = site
                .get("regions/index.html")
                .expect("the list of entities");
            String::from_utf8_lossy(&page).matches("kept row").count()
        };
        mark();
        // The Manado office's 2016 actual (the latest it has): its row
        // changes, and maybe the rows above it (the sums), no other.
        replace_once(
            &dir.path()
                .join("content/data/figures/provinces-illustrative.yaml"),
            "    actual: 52814\n",
            "    actual: 51234\n",
        );
        let (_, site) = build(&opts, &memo);
        let kept = kept_rows(&site);
        let page = String::from_utf8_lossy(&site.get("regions/index.html").expect("the list"))
            .into_owned();
        let rows = page.matches("<tr").count() - 1;
        assert!(
            kept > 0 && kept < rows,
            "the unchanged rows kept ({kept} of {rows}), the changed ones made again"
        );
        assert!(page.contains("51,2 ribu"), "Manado's new actual shown");
        // A metric renamed (in both languages): every row's template sees
        // the metrics, so no row is kept.
        mark();
        let metrics = dir.path().join("content/data/metrics.yaml");
        replace_once(&metrics, "id: Peserta baru\n", "id: Peserta baru (semua)\n");
        replace_once(
            &metrics,
            "en: New participants\n",
            "en: All new participants\n",
        );
        let (_, site) = build(&opts, &memo);
        assert_eq!(kept_rows(&site), 0, "no row kept");
        assert_as_fresh(&site, &opts);
    }
}

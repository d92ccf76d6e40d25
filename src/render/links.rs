//! Link checking: every internal link, anchor and asset of the rendered site
//! must resolve to a file (and an element id) that the build writes.
//!
//! `rekap check` renders in memory and checks the files it collects;
//! `rekap build` reads each page as it is written ([`LinkSink`]). A broken
//! link written in Markdown is reported at the Markdown file, line and
//! column where it was written ([`attribute`]); one that comes from a
//! template, at the built page.

use std::borrow::Borrow;
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

use serde::{Deserialize, Serialize};

use crate::diagnostics::{Diagnostic, Severity};
use crate::model::{Origin, Pos};
use crate::write::{Contents, Kept, OutputFile, Sink, Stamp, WriteError};

/// The links and element ids of one built HTML page.
#[derive(Debug, Clone, Default)]
pub struct Scanned {
    /// Output path (`regions/gorontalo/index.html`).
    pub path: String,
    /// Every distinct `href` and `src` value, as written.
    pub links: Vec<String>,
    /// Every `id` value.
    pub ids: HashSet<String>,
}

/// Whether byte `at` of `html` is inside a start tag: the nearest `<` or
/// `>` before it is a `<` followed by a letter.
fn in_tag(html: &[u8], at: usize) -> bool {
    let mut i = at;
    while i > 0 {
        i -= 1;
        match html[i] {
            b'>' => return false,
            b'<' => return html.get(i + 1).is_some_and(u8::is_ascii_alphabetic),
            _ => {}
        }
    }
    false
}

/// The values of attribute `name` in the tags of `html`: quoted with `"`
/// or `'`, or unquoted. Fast: it looks only where `name=` is written, and
/// keeps those inside a tag (text is escaped, so `href="` in a `<code>`
/// never counts).
fn attr_values<'a>(html: &'a str, name: &str, mut f: impl FnMut(&'a str)) {
    let b = html.as_bytes();
    let needle = format!("{name}=");
    let finder = memchr::memmem::Finder::new(needle.as_bytes());
    let mut from = 0;
    while let Some(off) = finder.find(&b[from..]) {
        let at = from + off;
        from = at + needle.len();
        if at == 0 || !b[at - 1].is_ascii_whitespace() || !in_tag(b, at) {
            continue;
        }
        let v = from;
        let value = match b.get(v) {
            Some(&q @ (b'"' | b'\'')) => match html[v + 1..].find(q as char) {
                Some(e) => &html[v + 1..v + 1 + e],
                None => continue,
            },
            _ => {
                let e = html[v..]
                    .find(|c: char| c.is_ascii_whitespace() || c == '>')
                    .unwrap_or(html.len() - v);
                &html[v..v + e]
            }
        };
        f(value);
    }
}

/// Reads the links and ids of the page at `path`.
pub fn scan(path: &str, html: &str) -> Scanned {
    let mut found: Vec<&str> = Vec::new();
    attr_values(html, "href", |v| found.push(v));
    attr_values(html, "src", |v| found.push(v));
    let mut seen: HashSet<&str> = HashSet::new();
    let links = found
        .into_iter()
        .filter(|v| seen.insert(v))
        .map(str::to_string)
        .collect();
    let mut ids = HashSet::new();
    attr_values(html, "id", |v| {
        ids.insert(decode(v));
    });
    Scanned {
        path: path.to_string(),
        links,
        ids,
    }
}

/// Character references of attribute values that rekap's templates and
/// Markdown write.
fn decode(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    s.replace("&amp;", "&")
        .replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&quot;", "\"")
        .replace("&#x2F;", "/")
}

/// `%XX` escapes of a URL path decoded (`my%20file.pdf` is `my file.pdf`).
fn percent_decode(s: &str) -> String {
    if !s.contains('%') {
        return s.to_string();
    }
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%'
            && let Some(v) = s
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(v);
            i += 3;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| s.to_string())
}

/// Whether `link` starts with a URL scheme (`https:`, `mailto:`,
/// `javascript:`, `about:` ...): nothing the build writes.
fn has_scheme(link: &str) -> bool {
    let Some((scheme, _)) = link.split_once(':') else {
        return false;
    };
    let mut chars = scheme.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

/// Resolves a link found in output file `from` to an output path and
/// fragment, or `None` for links to elsewhere.
pub fn resolve(from: &str, link: &str, base_path: &str) -> Option<(String, Option<String>)> {
    let link = decode(link.trim());
    if link.is_empty() || link.starts_with("//") || has_scheme(&link) {
        return None;
    }
    let (path, frag) = match link.split_once('#') {
        Some((p, f)) => (p.to_string(), Some(percent_decode(f))),
        None => (link.clone(), None),
    };
    let path = percent_decode(path.split('?').next().unwrap_or(""));
    let joined = if path.is_empty() {
        from.to_string()
    } else if let Some(rest) = path.strip_prefix(base_path) {
        rest.to_string()
    } else if path.starts_with('/') {
        // Outside the site's base path: not ours to check.
        return None;
    } else {
        let dir = from
            .rsplit_once('/')
            .map(|(d, _)| format!("{d}/"))
            .unwrap_or_default();
        format!("{dir}{path}")
    };
    // Normalise `.` and `..`.
    let mut parts: Vec<&str> = Vec::new();
    for seg in joined.split('/') {
        match seg {
            "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    let mut p = parts.join("/");
    if p.is_empty() || p.ends_with('/') {
        p.push_str("index.html");
    }
    Some((p, frag))
}

/// A link that leads nowhere.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Broken {
    /// The page it is on (output path).
    pub page: String,
    /// The link as written in the page.
    pub link: String,
    /// The output file it leads to.
    pub target: String,
    /// The fragment, when the file exists but has no element with that id.
    pub missing_anchor: Option<String>,
}

/// Every broken link of `pages`, given every output path of the build, in
/// the order of the pages and of their links.
///
/// A link that starts with `/` leads to the same file wherever it is
/// written, so each such link is resolved and checked once per thread
/// rather than once per page (most of a site's links are its menus and
/// lists, the same on thousands of pages).
pub fn broken<S: Borrow<Scanned> + Sync>(
    pages: &[S],
    paths: &Paths,
    base_path: &str,
) -> Vec<Broken> {
    Checker::new(pages, paths, base_path).all(pages)
}

/// [`broken`], taking each page's broken links from `kept` when it holds
/// them for that very page (the same [`Scanned`]) in a site around it that
/// is the same for them (see [`Verdict`]), and keeping them there
/// otherwise: a page's broken links are a function of its links, its path,
/// the paths of the site, the base path and the ids of the pages its links
/// with an anchor lead to, alone.
pub fn broken_keeping(
    pages: &[Arc<Scanned>],
    paths: &Paths,
    base_path: &str,
    kept: &dyn KeptScans,
) -> Vec<Broken> {
    let around = Around::of(pages, paths, base_path);
    Checker::new(pages, paths, base_path).all_noting(pages, |page, check| {
        if let Some(found) = kept.verdict(page, &around) {
            return found.to_vec();
        }
        let (found, led_to) = check(page);
        let mut targets: Vec<(String, Option<u128>)> = led_to
            .into_iter()
            .map(|t| (t.to_string(), around.ids.get(t).copied()))
            .collect();
        targets.sort_unstable();
        targets.dedup();
        kept.keep_verdict(Verdict {
            page: page.clone(),
            paths: around.paths,
            targets: targets.into(),
            found: Arc::from(found.as_slice()),
        });
        found
    })
}

/// What the broken links of a page rest on besides its own links and path,
/// by digest: the paths of the site with the base path, and the ids of each
/// page.
pub struct Around<'p> {
    /// The paths of the site (a set, in no order: a sum of each path's
    /// digest) and the base path.
    paths: u128,
    /// Each page's ids (a set: a sum of each id's digest), by page path.
    ids: HashMap<&'p str, u128, ahash::RandomState>,
}

impl<'p> Around<'p> {
    /// The site around `pages`, of `paths`, at `base_path`.
    fn of(pages: &'p [Arc<Scanned>], paths: &Paths, base_path: &str) -> Around<'p> {
        use rayon::prelude::*;
        use xxhash_rust::xxh3::{Xxh3, xxh3_128};
        let sum = paths
            .par_iter()
            .map(|p| xxh3_128(p.as_bytes()))
            .reduce(|| 0, u128::wrapping_add);
        let mut h = Xxh3::new();
        h.update(&sum.to_le_bytes());
        h.update(base_path.as_bytes());
        let ids = pages
            .par_iter()
            .map(|p| {
                let ids = p
                    .ids
                    .iter()
                    .map(|id| xxh3_128(id.as_bytes()))
                    .fold(0, u128::wrapping_add);
                (p.path.as_str(), ids)
            })
            .collect();
        Around {
            paths: h.digest128(),
            ids,
        }
    }
}

/// A page's broken links, with what they were found against: the page (by
/// its allocation), the digest of the site's paths and base path, and the
/// digest of the ids of each page a link of it with an anchor leads to
/// (`None` for a file that is no page).
#[derive(Debug, Clone)]
pub struct Verdict {
    page: Arc<Scanned>,
    paths: u128,
    targets: Arc<[(String, Option<u128>)]>,
    found: Arc<[Broken]>,
}

impl Verdict {
    /// The path of the page.
    pub fn path(&self) -> &str {
        &self.page.path
    }

    /// The broken links, if they are those of `page` in the site `around`:
    /// the very page, in a site of the same paths, whose pages its anchors
    /// lead to have the same ids.
    pub fn of(&self, page: &Arc<Scanned>, around: &Around) -> Option<Arc<[Broken]>> {
        (Arc::ptr_eq(&self.page, page)
            && self.paths == around.paths
            && self
                .targets
                .iter()
                .all(|(t, ids)| around.ids.get(t.as_str()) == ids.as_ref()))
        .then(|| self.found.clone())
    }
}

/// Every output path of a build (some twenty thousand on a large site,
/// hashed with aHash).
pub type Paths = HashSet<String, ahash::RandomState>;

/// The links of pages, checked against the paths and ids of a site.
struct Checker<'p> {
    ids: HashMap<&'p str, &'p HashSet<String>, ahash::RandomState>,
    paths: &'p Paths,
    base_path: &'p str,
}

/// What each link that starts with `/` leads to: a broken target (and the
/// anchor missing there), if any; and the page whose ids it was checked
/// against, if it has an anchor.
type Verdicts<'p> = HashMap<&'p str, Checked<'p>, ahash::RandomState>;

/// What a link leads to: a broken target (and the anchor missing there), if
/// any, and the path of the page whose ids its anchor was looked for in.
type Checked<'p> = (Option<(String, Option<String>)>, Option<&'p str>);

impl<'p> Checker<'p> {
    fn new<S: Borrow<Scanned>>(
        pages: &'p [S],
        paths: &'p Paths,
        base_path: &'p str,
    ) -> Checker<'p> {
        let ids = pages
            .iter()
            .map(|p| (p.borrow().path.as_str(), &p.borrow().ids))
            .collect();
        Checker {
            ids,
            paths,
            base_path,
        }
    }

    /// Where `link` on the page `from` leads, if it is broken; and the
    /// path whose ids its anchor was looked for in, if it has one.
    fn check(&self, from: &str, link: &str) -> Checked<'p> {
        let Some((target, frag)) = resolve(from, link, self.base_path) else {
            return (None, None);
        };
        let Some(target) = self.paths.get(&target) else {
            return (Some((target, None)), None);
        };
        let Some(f) = frag.filter(|f| !f.is_empty()) else {
            return (None, None);
        };
        let broken = match self.ids.get(target.as_str()) {
            Some(target_ids) if !target_ids.contains(&f) => Some((target.clone(), Some(f))),
            _ => None,
        };
        (broken, Some(target.as_str()))
    }

    /// The broken links of `page`, those that start with `/` taken from
    /// (or noted in) `verdicts`; and the paths whose ids its anchors were
    /// looked for in.
    fn page(&self, page: &'p Scanned, verdicts: &mut Verdicts<'p>) -> (Vec<Broken>, Vec<&'p str>) {
        let mut out = Vec::new();
        let mut led_to = Vec::new();
        for link in &page.links {
            let (verdict, target) = if link.trim_start().starts_with('/') {
                verdicts
                    .entry(link.as_str())
                    .or_insert_with(|| self.check(&page.path, link))
                    .clone()
            } else {
                self.check(&page.path, link)
            };
            led_to.extend(target);
            if let Some((target, missing_anchor)) = verdict {
                out.push(Broken {
                    page: page.path.clone(),
                    link: link.clone(),
                    target,
                    missing_anchor,
                });
            }
        }
        (out, led_to)
    }

    /// The broken links of every page of `pages`, in order.
    fn all<S: Borrow<Scanned> + Sync>(&self, pages: &'p [S]) -> Vec<Broken> {
        self.all_noting(pages, |page, check| check(page.borrow()).0)
    }

    /// The broken links of every page of `pages`, in order, each page's
    /// found by `each` (given the page and a check of it, which also gives
    /// the paths its anchors were looked for in).
    fn all_noting<S: Sync>(
        &self,
        pages: &'p [S],
        each: impl Fn(&'p S, &mut dyn FnMut(&'p Scanned) -> (Vec<Broken>, Vec<&'p str>)) -> Vec<Broken>
        + Sync,
    ) -> Vec<Broken> {
        use rayon::prelude::*;
        let per_page: Vec<Vec<Broken>> = pages
            .par_iter()
            .map_init(Verdicts::default, |verdicts, page| {
                each(page, &mut |p| self.page(p, verdicts))
            })
            .collect();
        per_page.concat()
    }
}

/// Markdown as written in a file: where its broken links are reported.
#[derive(Debug, Clone, Copy)]
pub struct Source<'a> {
    /// The file (`content/releases/x.md`).
    pub file: &'a str,
    /// The Markdown body.
    pub body: &'a str,
    /// The file line the body starts at.
    pub first_line: u32,
    /// The output path of the page the body is the main text of.
    pub page: &'a str,
}

/// The links written in `src` as Markdown links or images: destination and place.
fn authored(src: &Source) -> Vec<(String, Origin)> {
    use pulldown_cmark::{Event, Options, Parser, Tag};
    if !src.body.contains("](") && !src.body.contains("]:") && !src.body.contains('<') {
        return Vec::new();
    }
    let opts = Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES;
    let mut out = Vec::new();
    for (ev, range) in Parser::new_ext(src.body, opts).into_offset_iter() {
        let dest = match ev {
            Event::Start(Tag::Link { dest_url, .. })
            | Event::Start(Tag::Image { dest_url, .. }) => dest_url,
            _ => continue,
        };
        // The destination itself if it is written inside the link, else the link.
        let written = &src.body[range.clone()];
        let at = written
            .find(dest.as_ref())
            .filter(|_| !dest.is_empty())
            .map_or(range.start, |i| range.start + i);
        let before = &src.body[..at];
        let line = before.matches('\n').count() as u32;
        let column = before.rsplit('\n').next().unwrap_or("").chars().count() as u32 + 1;
        out.push((
            dest.to_string(),
            Origin::new(src.file, Pos::new(src.first_line + line, column)),
        ));
    }
    out
}

/// Diagnostics for `broken` links, of `severity`: at the place in
/// `sources` where a link was written in Markdown when it was, else at the
/// built page.
pub fn attribute(
    broken: &[Broken],
    sources: &[Source],
    base_path: &str,
    severity: Severity,
) -> Vec<Diagnostic> {
    if broken.is_empty() {
        return Vec::new();
    }
    let written: Vec<(&Source, Vec<(String, Origin)>)> =
        sources.iter().map(|s| (s, authored(s))).collect();
    let mut out = Vec::new();
    for b in broken {
        let resolved = resolve(&b.page, &b.link, base_path);
        // Written in the page's own Markdown first; else in any Markdown
        // shown on it (a list showing a summary), by where it leads.
        let mut found: Vec<(&str, Origin)> = Vec::new();
        for own in [true, false] {
            for (src, links) in &written {
                if own != (src.page == b.page) {
                    continue;
                }
                for (dest, origin) in links {
                    if resolve(&b.page, dest, base_path) == resolved {
                        found.push((dest.as_str(), origin.clone()));
                    }
                }
            }
            if !found.is_empty() {
                break;
            }
        }
        let what = match &b.missing_anchor {
            None => format!("broken link to `{}`", b.link),
            Some(_) => format!("broken anchor in `{}`", b.link),
        };
        let help = match &b.missing_anchor {
            None => format!(
                "nothing is written at `{}`; fix the link, or add the file under static/",
                b.target
            ),
            Some(f) => format!("`{}` has no element with id `{f}`", b.target),
        };
        let make = |origin: Origin, message: String, help: String| {
            let d = match severity {
                Severity::Error => Diagnostic::error(origin, message),
                Severity::Warning => Diagnostic::warning(origin, message),
            };
            d.with_help(help)
        };
        if found.is_empty() {
            out.push(make(
                Origin::new(format!("(built page) {}", b.page), Pos::default()),
                what,
                help,
            ));
        } else {
            for (dest, origin) in found {
                let message = match &b.missing_anchor {
                    None => format!("broken link to `{dest}`"),
                    Some(_) => format!("broken anchor in `{dest}`"),
                };
                out.push(make(
                    origin,
                    message,
                    format!("{help} (on the page {})", b.page),
                ));
            }
        }
    }
    out
}

/// Checks every `href` and `src` of every HTML file among `files`; broken
/// links are errors at the built page. See [`attribute`] to report them
/// where they were written.
pub fn check(files: &[OutputFile], base_path: &str) -> Vec<Diagnostic> {
    let (pages, paths) = scan_files(files);
    attribute(
        &broken(&pages, &paths, base_path),
        &[],
        base_path,
        Severity::Error,
    )
}

/// The scanned pages and every path among `files`.
pub fn scan_files(files: &[OutputFile]) -> (Vec<Scanned>, Paths) {
    let paths: Paths = files.iter().map(|f| f.path.clone()).collect();
    let pages = files
        .iter()
        .filter(|f| f.path.ends_with(".html"))
        .filter_map(|f| {
            let html = std::str::from_utf8(f.contents.bytes()?).ok()?;
            Some(scan(&f.path, html))
        })
        .collect();
    (pages, paths)
}

/// A sink that reads the links and ids of every HTML page on its way to
/// another sink, and remembers every path, so that a build checks its links
/// without keeping its pages.
pub struct LinkSink<'a> {
    inner: &'a dyn Sink,
    /// The files of the build in the output that may be kept by their
    /// stamps, with the links and ids of its pages.
    known: Option<&'a Known>,
    /// Pages read in an earlier build (`rekap serve`), by their bytes.
    remembered: Option<&'a dyn KeptScans>,
    pages: Mutex<Vec<Arc<Scanned>>>,
    paths: Mutex<Paths>,
}

/// The links and ids of pages read by an earlier build, kept by the bytes
/// they were read from (`rekap serve` hands a page it keeps as the very
/// bytes it kept, [`Contents::Shared`]): a page handed again unchanged is
/// not read again.
pub trait KeptScans: Sync {
    /// What was read from `bytes` at `path`, if kept for that very buffer.
    fn scanned(&self, path: &str, bytes: &bytes::Bytes) -> Option<Arc<Scanned>>;
    /// Keeps what was read from `bytes` at `path`, for the next build.
    fn keep_scanned(&self, path: &str, bytes: bytes::Bytes, scanned: Arc<Scanned>);
    /// How many pages' links and ids are kept (none, by default).
    fn pages(&self) -> usize {
        0
    }
    /// The broken links of `page`, if kept for that very page (the same
    /// allocation) in a site `around` that is the same for them (see
    /// [`Verdict::of`]). None kept, by default.
    fn verdict(&self, page: &Arc<Scanned>, around: &Around) -> Option<Arc<[Broken]>> {
        let _ = (page, around);
        None
    }
    /// Keeps `verdict`, for the next build. Kept nowhere, by default.
    fn keep_verdict(&self, verdict: Verdict) {
        let _ = verdict;
    }
}

impl<'a> LinkSink<'a> {
    /// A sink that passes every file on to `inner`.
    pub fn new(inner: &'a dyn Sink) -> LinkSink<'a> {
        LinkSink::knowing(inner, None)
    }

    /// A sink that passes every file on to `inner`, keeping a page of the
    /// build in the output whose file `known` has a stamp for by that stamp
    /// (unread), its links and ids taken from `known`.
    pub fn knowing(inner: &'a dyn Sink, known: Option<&'a Known>) -> LinkSink<'a> {
        LinkSink {
            inner,
            known,
            remembered: None,
            pages: Mutex::new(Vec::new()),
            paths: Mutex::new(Paths::default()),
        }
    }

    /// The same sink, taking the links and ids of a page handed as shared
    /// bytes from `kept` when read from those very bytes before, and
    /// keeping there those it reads.
    pub fn remembering(mut self, kept: Option<&'a dyn KeptScans>) -> LinkSink<'a> {
        self.remembered = kept;
        // Sized for a build like the last (grown page by page, the lists
        // of a large site are made again a dozen times over).
        if let Some(pages) = kept.map(|k| k.pages()).filter(|&n| n > 0) {
            self.lock_pages().reserve(pages);
            self.lock_paths().reserve(pages + pages / 2);
        }
        self
    }

    /// The links and ids of every page handed, and every path.
    pub fn into_parts(self) -> (Vec<Arc<Scanned>>, Paths) {
        (
            self.pages.into_inner().unwrap_or_else(|e| e.into_inner()),
            self.paths.into_inner().unwrap_or_else(|e| e.into_inner()),
        )
    }

    /// Every broken link among the pages handed so far.
    pub fn broken(&self, base_path: &str) -> Vec<Broken> {
        let pages = self.pages.lock().unwrap_or_else(|e| e.into_inner());
        let paths = self.paths.lock().unwrap_or_else(|e| e.into_inner());
        match self.remembered {
            Some(kept) => broken_keeping(&pages, &paths, base_path, kept),
            None => broken(&pages, &paths, base_path),
        }
    }
}

impl LinkSink<'_> {
    /// Notes the file at `path` of the site, reading the links and ids of
    /// `bytes` if it is an HTML page.
    fn note(&self, path: &str, bytes: Option<&[u8]>) {
        if path.ends_with(".html")
            && let Some(b) = bytes
            && let Ok(html) = std::str::from_utf8(b)
        {
            let scanned = Arc::new(scan(path, html));
            self.lock_pages().push(scanned);
        }
        self.lock_paths().insert(path.to_string());
    }

    /// [`note`](Self::note) for a file handed as shared bytes, its links
    /// and ids remembered from an earlier build if read from these bytes.
    fn note_shared(&self, path: &str, bytes: &bytes::Bytes, kept: &dyn KeptScans) {
        if !path.ends_with(".html") {
            return self.note(path, None);
        }
        // Kept: read from these very bytes before (and found UTF-8 then).
        if let Some(scanned) = kept.scanned(path, bytes) {
            self.lock_pages().push(scanned);
            self.lock_paths().insert(path.to_string());
            return;
        }
        if let Ok(html) = std::str::from_utf8(bytes) {
            let scanned = Arc::new(scan(path, html));
            kept.keep_scanned(path, bytes.clone(), scanned.clone());
            self.lock_pages().push(scanned);
        }
        self.lock_paths().insert(path.to_string());
    }

    fn lock_pages(&self) -> std::sync::MutexGuard<'_, Vec<Arc<Scanned>>> {
        self.pages.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn lock_paths(&self) -> std::sync::MutexGuard<'_, Paths> {
        self.paths.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Sink for LinkSink<'_> {
    fn put(&self, file: OutputFile) -> Result<(), WriteError> {
        match (&file.contents, self.remembered) {
            (Contents::Shared(b), Some(kept)) => self.note_shared(&file.path, b, kept),
            (contents, _) => self.note(&file.path, contents.bytes()),
        }
        self.inner.put(file)
    }

    fn reuse(&self, path: &str, source: &str) -> Result<bool, WriteError> {
        let kept = self.inner.reuse(path, source)?;
        if kept {
            self.lock_paths().insert(path.to_string());
        }
        Ok(kept)
    }

    /// A page kept by its stamp has the links and ids known for it; one
    /// kept by its bytes has those of the bytes read.
    fn keep(&self, path: &str) -> Result<Option<Kept>, WriteError> {
        if let Some((stamp, scanned)) = self.known.and_then(|k| k.file(path))
            && self.inner.keep_stamped(path, stamp)?
        {
            if let Some(scanned) = scanned {
                self.lock_pages().push(Arc::new(scanned));
            }
            self.lock_paths().insert(path.to_string());
            return Ok(Some(Kept::Stamped));
        }
        let kept = self.inner.keep(path)?;
        match &kept {
            Some(Kept::Read(bytes)) => self.note(path, Some(bytes)),
            Some(Kept::Stamped) => self.note(path, None),
            None => {}
        }
        Ok(kept)
    }
}

/// The links and ids of the pages of a build, each string once: what
/// `crate::cache` keeps of a build's pages for the next, so that a page kept
/// unread is checked like one rendered.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scans {
    /// Every link and id of the pages, once each.
    strings: Vec<String>,
    /// Each page's path, and its links and ids as places in `strings`.
    pages: Vec<(String, Vec<u32>, Vec<u32>)>,
}

impl Scans {
    /// The links and ids of `pages`, in the order of their paths.
    pub fn of<'a, S: Borrow<Scanned>>(pages: &'a [S]) -> Scans {
        let mut places: HashMap<&str, u32> = HashMap::new();
        let mut strings: Vec<String> = Vec::new();
        let mut order: Vec<&Scanned> = pages.iter().map(Borrow::borrow).collect();
        order.sort_by(|a, b| a.path.cmp(&b.path));
        let mut out = Vec::with_capacity(order.len());
        for page in order {
            let mut place = |s: &'a str| -> u32 {
                *places.entry(s).or_insert_with(|| {
                    strings.push(s.to_string());
                    (strings.len() - 1) as u32
                })
            };
            let links = page.links.iter().map(|l| place(l)).collect();
            let mut ids: Vec<&String> = page.ids.iter().collect();
            ids.sort();
            let ids = ids.into_iter().map(|i| place(i)).collect();
            out.push((page.path.clone(), links, ids));
        }
        Scans {
            strings,
            pages: out,
        }
    }

    /// How many pages there are.
    pub fn len(&self) -> usize {
        self.pages.len()
    }

    /// Whether there is none.
    pub fn is_empty(&self) -> bool {
        self.pages.is_empty()
    }
}

/// The files of the build in the output that a build may keep unread (see
/// [`LinkSink::knowing`]): each file's stamp, and each page's links and ids.
#[derive(Debug, Default)]
pub struct Known {
    stamps: HashMap<String, Stamp>,
    strings: Vec<String>,
    pages: HashMap<String, (Vec<u32>, Vec<u32>)>,
}

impl Known {
    /// The files of `stamps`, the pages' links and ids from `scans`.
    pub fn new(scans: Scans, stamps: HashMap<String, Stamp>) -> Known {
        let pages = scans
            .pages
            .into_iter()
            .map(|(path, links, ids)| (path, (links, ids)))
            .collect();
        Known {
            stamps,
            strings: scans.strings,
            pages,
        }
    }

    /// The stamp of the file at `path`, if known, and if it is an HTML
    /// page, its links and ids (a page whose links and ids are not known,
    /// or not all in range, is not known).
    fn file(&self, path: &str) -> Option<(&Stamp, Option<Scanned>)> {
        let stamp = self.stamps.get(path)?;
        if !path.ends_with(".html") {
            return Some((stamp, None));
        }
        let (links, ids) = self.pages.get(path)?;
        let text = |i: &u32| self.strings.get(*i as usize).cloned();
        let scanned = Scanned {
            path: path.to_string(),
            links: links.iter().map(text).collect::<Option<_>>()?,
            ids: ids.iter().map(text).collect::<Option<_>>()?,
        };
        Some((stamp, Some(scanned)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(path: &str, html: &str) -> OutputFile {
        OutputFile {
            path: path.into(),
            contents: Contents::Bytes(html.as_bytes().to_vec()),
        }
    }

    #[test]
    fn working_links_and_anchors_pass() {
        let files = vec![
            page(
                "index.html",
                r##"<a href="/a/">A</a> <a href="/a/#x">X</a> <a href="#top">T</a> <p id="top"></p> <img src="/i.png"> <a href='/my%20file.pdf'>f</a>"##,
            ),
            page(
                "a/index.html",
                r#"<h2 id="x">x</h2><a href="../index.html">up</a><a href="https://e.org/">e</a>"#,
            ),
            page("i.png", ""),
            page("my file.pdf", ""),
        ];
        assert!(check(&files, "/").is_empty(), "{:?}", check(&files, "/"));
    }

    #[test]
    fn a_missing_page_and_a_missing_anchor_are_reported_with_the_page() {
        let files = vec![page(
            "index.html",
            r#"<a href="/gone/">G</a> <a href="/#nope">N</a>"#,
        )];
        let d = check(&files, "/");
        assert_eq!(d.len(), 2);
        assert!(d[0].message.contains("/gone/") && d[0].origin.file.contains("index.html"));
        assert!(d[1].message.contains("anchor"));
    }

    #[test]
    fn a_link_broken_on_many_pages_is_reported_on_each_in_page_order() {
        // Enough pages for the check to be split between threads, each
        // with the same absolute links (resolved once per thread) and a
        // relative one (resolved per page).
        let mut files: Vec<OutputFile> = (0..300)
            .map(|i| {
                page(
                    &format!("p{i:03}/index.html"),
                    r##"<a href="/gone/">G</a> <a href="/ok/#x">X</a> <a href="/ok/#nope">N</a> <a href="sub/">S</a>"##,
                )
            })
            .collect();
        files.push(page("ok/index.html", r#"<p id="x"></p>"#));
        files.push(page("p007/sub/index.html", ""));
        let (pages, paths) = scan_files(&files);
        let b = broken(&pages, &paths, "/");
        let expected: Vec<(String, &str, Option<&str>)> = (0..300)
            .flat_map(|i| {
                let page = format!("p{i:03}/index.html");
                let mut v = vec![
                    (page.clone(), "gone/index.html", None),
                    (page.clone(), "ok/index.html", Some("nope")),
                ];
                if i != 7 {
                    v.push((page, "", None));
                }
                v
            })
            .collect();
        let got: Vec<(String, &str, Option<&str>)> = b
            .iter()
            .map(|b| {
                let target = if b.link == "sub/" {
                    ""
                } else {
                    b.target.as_str()
                };
                (b.page.clone(), target, b.missing_anchor.as_deref())
            })
            .collect();
        assert_eq!(got, expected);
        assert!(
            b.iter()
                .filter(|b| b.link == "sub/")
                .all(|b| b.target == format!("{}sub/index.html", &b.page[..5]))
        );
    }

    #[test]
    fn links_with_a_scheme_are_not_files() {
        let files = vec![page(
            "index.html",
            r#"<a href="about:blank">a</a><a href="mailto:x@y.org">m</a><a href="tel:+62">t</a><img src="data:image/png;base64,AA"><a href="javascript:void(0)">j</a><a href="JavaScript:x">k</a><a href="ftp://x/">f</a>"#,
        )];
        assert!(check(&files, "/").is_empty(), "{:?}", check(&files, "/"));
    }

    #[test]
    fn single_quoted_and_unquoted_links_are_checked_and_text_is_not() {
        let files = vec![page(
            "index.html",
            r#"<a href='/gone/'>a</a><img src=/none.png alt=x><code>href="/text/"</code><p>src=/nothing</p>"#,
        )];
        let d = check(&files, "/");
        let msgs: Vec<_> = d.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(
            msgs,
            ["broken link to `/gone/`", "broken link to `/none.png`"]
        );
    }

    #[test]
    fn a_link_written_in_markdown_is_reported_where_it_was_written() {
        let files = vec![
            page(
                "releases/x/index.html",
                r#"<a href="/">home</a><p>See <a href="/gone/">this</a>.</p>"#,
            ),
            page("index.html", ""),
        ];
        let (pages, paths) = scan_files(&files);
        let b = broken(&pages, &paths, "/");
        let body = "Intro.\n\nSee [this](/gone/).\n";
        let sources = [Source {
            file: "content/releases/x.md",
            body,
            first_line: 7,
            page: "releases/x/index.html",
        }];
        let d = attribute(&b, &sources, "/", Severity::Warning);
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].origin.file, "content/releases/x.md");
        assert_eq!((d[0].origin.pos.line, d[0].origin.pos.column), (9, 12));
        assert_eq!(d[0].severity, Severity::Warning);
        assert!(
            d[0].help
                .as_deref()
                .unwrap()
                .contains("releases/x/index.html")
        );
    }

    #[test]
    fn scans_give_back_each_page_s_links_and_ids_by_its_stamp() {
        let pages = vec![
            scan(
                "b/index.html",
                r##"<a href="/a/">A</a><a href="#x">x</a><h2 id="x">x</h2><p id="y"></p>"##,
            ),
            scan("a/index.html", r#"<a href="/a/">A</a><img src="/i.png">"#),
        ];
        let scans = Scans::of(&pages);
        assert_eq!(scans.len(), 2);
        assert_eq!(
            scans.strings.iter().filter(|s| *s == "/a/").count(),
            1,
            "each string once"
        );
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("i.png"), "png").unwrap();
        let stamp = Stamp::of(&dir.path().join("i.png")).unwrap();
        let stamps: HashMap<String, Stamp> = ["a/index.html", "b/index.html", "i.png"]
            .into_iter()
            .map(|p| (p.to_string(), stamp))
            .collect();
        let known = Known::new(scans.clone(), stamps);
        for page in &pages {
            let (s, got) = known.file(&page.path).expect("a page known");
            assert_eq!(*s, stamp);
            let got = got.expect("its links and ids");
            assert_eq!(got.path, page.path);
            assert_eq!(got.links, page.links, "links in order");
            assert_eq!(got.ids, page.ids);
        }
        assert!(
            matches!(known.file("i.png"), Some((_, None))),
            "a file, no links"
        );
        assert!(known.file("c/index.html").is_none(), "no stamp");
        // A page with a stamp but no links known is not known.
        let known = Known::new(
            Scans::default(),
            [("a/index.html".to_string(), stamp)].into_iter().collect(),
        );
        assert!(known.file("a/index.html").is_none());
    }

    #[test]
    fn a_page_handed_as_the_bytes_read_before_is_checked_with_the_links_kept() {
        #[derive(Default)]
        struct Memo(Mutex<HashMap<String, (bytes::Bytes, Arc<Scanned>)>>);
        impl KeptScans for Memo {
            fn scanned(&self, path: &str, bytes: &bytes::Bytes) -> Option<Arc<Scanned>> {
                let kept = self.0.lock().unwrap();
                let (b, s) = kept.get(path)?;
                (b.as_ptr() == bytes.as_ptr() && b.len() == bytes.len()).then(|| s.clone())
            }
            fn keep_scanned(&self, path: &str, bytes: bytes::Bytes, scanned: Arc<Scanned>) {
                self.0.lock().unwrap().insert(path.into(), (bytes, scanned));
            }
        }
        struct Nowhere;
        impl Sink for Nowhere {
            fn put(&self, _: OutputFile) -> Result<(), WriteError> {
                Ok(())
            }
        }
        let memo = Memo::default();
        let html = bytes::Bytes::from_static(br#"<a href="/gone/">G</a>"#);
        let build = |bytes: &bytes::Bytes| {
            let sink = LinkSink::new(&Nowhere).remembering(Some(&memo));
            sink.put(OutputFile {
                path: "index.html".into(),
                contents: Contents::Shared(bytes.clone()),
            })
            .unwrap();
            let links: Vec<String> = sink.broken("/").into_iter().map(|b| b.link).collect();
            links
        };
        assert_eq!(build(&html), ["/gone/"]);
        // What is kept for the buffer stands for its links: a kept scan with
        // another link shows that the page was not read again...
        memo.0.lock().unwrap().get_mut("index.html").unwrap().1 = Arc::new(Scanned {
            path: "index.html".into(),
            links: vec!["/kept/".into()],
            ids: HashSet::new(),
        });
        assert_eq!(build(&html), ["/kept/"]);
        // ...and the same text in another buffer is read.
        let copy = bytes::Bytes::copy_from_slice(&html);
        assert_eq!(build(&copy), ["/gone/"]);
    }

    #[test]
    fn a_page_s_broken_links_are_kept_only_for_the_same_page_in_the_same_site() {
        /// Keeps verdicts as the memo does, counting the pages checked.
        #[derive(Default)]
        struct Verdicts {
            kept: Mutex<HashMap<String, Verdict>>,
            checked: Mutex<usize>,
        }
        impl KeptScans for Verdicts {
            fn scanned(&self, _: &str, _: &bytes::Bytes) -> Option<Arc<Scanned>> {
                None
            }
            fn keep_scanned(&self, _: &str, _: bytes::Bytes, _: Arc<Scanned>) {}
            fn verdict(&self, page: &Arc<Scanned>, around: &Around) -> Option<Arc<[Broken]>> {
                self.kept.lock().unwrap().get(&page.path)?.of(page, around)
            }
            fn keep_verdict(&self, verdict: Verdict) {
                *self.checked.lock().unwrap() += 1;
                self.kept
                    .lock()
                    .unwrap()
                    .insert(verdict.path().to_string(), verdict);
            }
        }
        let a = Arc::new(scan("a/index.html", r#"<a href="/b/#top">b</a>"#));
        let b = Arc::new(scan("b/index.html", r#"<h1 id="top">B</h1>"#));
        // A page whose links have no anchor: its links rest on no page's ids.
        let c = Arc::new(scan(
            "c/index.html",
            r#"<a href="/a/">a</a> <a href="/d/">d</a>"#,
        ));
        let paths = |p: &[&str]| -> Paths { p.iter().map(|s| s.to_string()).collect() };
        let memo = Verdicts::default();
        let check = |pages: &[Arc<Scanned>], all: &[&str]| {
            let found = broken_keeping(pages, &paths(all), "/", &memo);
            // Always what a check of every page finds.
            assert_eq!(found, broken(pages, &paths(all), "/"));
            found.into_iter().map(|b| b.link).collect::<Vec<_>>()
        };
        let checked = || *memo.checked.lock().unwrap();
        let site = ["a/index.html", "b/index.html", "c/index.html"];
        assert_eq!(check(&[a.clone(), b.clone(), c.clone()], &site), ["/d/"]);
        assert_eq!(checked(), 3);
        // The same pages in the same site: nothing checked again.
        assert_eq!(check(&[a.clone(), b.clone(), c.clone()], &site), ["/d/"]);
        assert_eq!(checked(), 3);
        // The anchor gone from the other page: the page that links to it
        // checked again (and the new page), not the one whose links have
        // no anchor.
        let b2 = Arc::new(scan("b/index.html", r#"<h1 id="bottom">B</h1>"#));
        assert_eq!(
            check(&[a.clone(), b2.clone(), c.clone()], &site),
            ["/b/#top", "/d/"]
        );
        assert_eq!(checked(), 5);
        // A file more in the site: every page checked again.
        let more = [
            "a/index.html",
            "b/index.html",
            "c/index.html",
            "d/index.html",
        ];
        assert_eq!(
            check(&[a.clone(), b2.clone(), c.clone()], &more),
            ["/b/#top"]
        );
        assert_eq!(checked(), 8);
        // The same links read again from other bytes (another allocation):
        // that page checked again, not the others.
        let a2 = Arc::new(scan("a/index.html", r#"<a href="/b/#top">b</a>"#));
        assert_eq!(check(&[a2, b2.clone(), c.clone()], &more), ["/b/#top"]);
        assert_eq!(checked(), 9);
        // The anchor back on a page that is not one of the site's pages
        // (no ids known): what the link leads to is checked again.
        let b3 = Arc::new(scan("b/index.html", r#"<h1 id="top">B</h1>"#));
        let a3 = Arc::new(scan("a/index.html", r#"<a href="/b/#top">b</a>"#));
        assert!(check(&[a3.clone(), b3.clone(), c.clone()], &more).is_empty());
        assert!(
            check(&[a3, c], &more).is_empty(),
            "no page b: no ids to miss"
        );
    }

    #[test]
    fn a_page_kept_by_its_stamp_is_checked_with_its_known_links() {
        /// Keeps every file by stamp, nothing by bytes.
        struct ByStamp;
        impl Sink for ByStamp {
            fn put(&self, _: OutputFile) -> Result<(), WriteError> {
                Ok(())
            }
            fn keep_stamped(&self, _: &str, _: &Stamp) -> Result<bool, WriteError> {
                Ok(true)
            }
        }
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("f"), "x").unwrap();
        let stamp = Stamp::of(&dir.path().join("f")).unwrap();
        let pages = vec![scan("a/index.html", r#"<a href="/gone/">gone</a>"#)];
        let known = Known::new(
            Scans::of(&pages),
            [("a/index.html".to_string(), stamp)].into_iter().collect(),
        );
        let sink = LinkSink::knowing(&ByStamp, Some(&known));
        assert_eq!(sink.keep("a/index.html").unwrap(), Some(Kept::Stamped));
        assert_eq!(sink.keep("b/index.html").unwrap(), None, "not known");
        let broken = sink.broken("/");
        assert_eq!(broken.len(), 1, "{broken:?}");
        assert_eq!(broken[0].link, "/gone/");
        let (scanned, paths) = sink.into_parts();
        assert_eq!(scanned.len(), 1);
        assert!(paths.contains("a/index.html"));
    }
}

//! The render cache: a build whose inputs are, byte for byte, those of the
//! build in the output skips rendering and keeps the output's files.
//!
//! rekap's output is a function of its inputs alone (the same input gives
//! byte-identical files; render reads no clock and no file but the site's).
//! The inputs are: every file under `content/`, `templates/`, `static/` and `i18n/`
//! (names, kinds and bytes; a link by its target), the options that change
//! what is built (audience, drafts, strictness, base URL, relative URLs),
//! the site folder's own path, and rekap itself (its version and the
//! executable's size and modification time, which cover the embedded theme).
//! [`Fingerprint::of`] hashes all of them (XXH3-128).
//!
//! After a build, `<output>.rekap-cache/render` records the fingerprint,
//! the hash of the manifest (`.rekap-build`) of the output that build put
//! in place, and its warnings. The next build fingerprints its inputs
//! again, and if the fingerprint and the output's manifest are those
//! recorded, it keeps every file of the output and gives the recorded
//! warnings, with nothing loaded, checked or rendered (the same inputs give
//! the same site and the same warnings), each file after checking that it
//! still holds what the manifest says (a file edited by hand makes it build
//! after all). Anything it cannot prove unchanged (a file it
//! cannot read, a different rekap, a cache file it does not understand, an
//! input changed during the build) means a full render. `--no-cache`
//! renders in full and records the new fingerprint.
//!
//! When some input did change, `<output>.rekap-cache/pages` lets the build
//! render only the pages it must: it records, for the build in the output,
//! the digest of every page's values (see [`render::recorded`]); a page of
//! the new build whose values have the recorded digest is kept from the
//! output, after checking that its file still holds what the output's
//! manifest says. The record is used only by the same rekap executable and
//! for the output whose manifest it names.
//!
//! The cache is never inside the output: the output stays byte-identical to
//! a fresh build.
//!
//! [`render::recorded`]: crate::render::recorded

use std::io::Read;
use std::path::{Path, PathBuf};

use xxhash_rust::xxh3::Xxh3;

use crate::diagnostics::Diagnostic;
use crate::model::Lang;
use crate::pipeline::BuildOptions;
use crate::render::recorded::{Downloads, Record as Made};

/// The format of the cache file; a file of another format is ignored.
const FORMAT: &str = "rekap-render-cache 2";

/// Where the cache of the build into `output` lives: beside it, never in it.
pub fn dir_for(output: &Path) -> PathBuf {
    let mut name = output
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_else(|| "public".into());
    name.push(".rekap-cache");
    output.with_file_name(name)
}

/// A hash of everything a build's output is made from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Fingerprint(pub u128);

/// The two fingerprints of a build's inputs: of all of them, and of those a
/// chart is drawn from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Fingerprints {
    /// Every input (see [`Fingerprint::of`]).
    pub all: Fingerprint,
    /// The inputs charts are drawn from: all but the Markdown documents
    /// under `content/` and the `templates/` and `static/` folders. A chart
    /// is drawn from the figures, entities, metrics, settings and interface
    /// strings alone (which charts a build *needs* depends on the documents
    /// too, but not how each one looks).
    pub charts: Fingerprint,
}

impl Fingerprint {
    /// The fingerprint of building `opts`; `None` if some input cannot be
    /// read (nothing can then be proved unchanged).
    pub fn of(opts: &BuildOptions) -> Option<Fingerprint> {
        Fingerprints::of(opts).map(|f| f.all)
    }
}

impl Fingerprints {
    /// Both fingerprints of building `opts`, in one pass over the inputs;
    /// `None` if some input cannot be read.
    pub fn of(opts: &BuildOptions) -> Option<Fingerprints> {
        let mut h = Xxh3::new();
        let mut hc = Xxh3::new();
        // `charts`: whether the field goes into the charts' fingerprint too.
        let mut field = |tag: &str, bytes: &[u8], charts: bool| {
            for h in std::iter::once(&mut h).chain(charts.then_some(&mut hc)) {
                h.update(tag.as_bytes());
                h.update(&(bytes.len() as u64).to_le_bytes());
                h.update(bytes);
            }
        };
        field("format", FORMAT.as_bytes(), true);
        field("version", env!("CARGO_PKG_VERSION").as_bytes(), true);
        field("exe", exe_identity()?.as_bytes(), true);
        let root = opts.root.canonicalize().ok()?;
        field("root", root.as_os_str().as_encoded_bytes(), true);
        field("audience", opts.audience.as_str().as_bytes(), true);
        field("drafts", &[opts.drafts as u8], true);
        field("strict", &[opts.strict as u8], true);
        field("relative", &[opts.relative_urls as u8], true);
        field(
            "base_url",
            opts.base_url.as_deref().unwrap_or("\u{0}none").as_bytes(),
            true,
        );
        for dir in [
            "content",
            crate::load::paths::TEMPLATES,
            crate::load::paths::STATIC,
            crate::load::paths::I18N,
        ] {
            let in_charts = dir == "content" || dir == crate::load::paths::I18N;
            let top = root.join(dir);
            match std::fs::symlink_metadata(&top) {
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                    field("absent", dir.as_bytes(), in_charts);
                    continue;
                }
                Err(_) => return None,
                Ok(_) => {}
            }
            let walk = walkdir::WalkDir::new(&top)
                .follow_links(false)
                .sort_by_file_name();
            for entry in walk {
                let entry = entry.ok()?;
                let rel = entry.path().strip_prefix(&root).ok()?;
                let charts = in_charts && !is_document(rel);
                let rel = rel.as_os_str().as_encoded_bytes();
                let t = entry.file_type();
                if t.is_dir() {
                    field("dir", rel, charts);
                } else if t.is_symlink() {
                    field("link", rel, charts);
                    let target = std::fs::read_link(entry.path()).ok()?;
                    field("target", target.as_os_str().as_encoded_bytes(), charts);
                } else if t.is_file() {
                    field("file", rel, charts);
                    let mut bytes = Vec::new();
                    std::fs::File::open(entry.path())
                        .and_then(|mut f| f.read_to_end(&mut bytes))
                        .ok()?;
                    field("bytes", &bytes, charts);
                } else {
                    // A socket or device: load does not read it, but to be safe...
                    field("other", rel, charts);
                }
            }
        }
        Some(Fingerprints {
            all: Fingerprint(h.digest128()),
            charts: Fingerprint(hc.digest128()),
        })
    }
}

/// A Markdown document of the site (a release, meeting or page, or a
/// translation of one): a `.md` file under `content/`, which no chart is
/// drawn from.
fn is_document(rel: &Path) -> bool {
    rel.starts_with("content") && rel.extension().is_some_and(|e| e == "md")
}

/// This executable: its version, size and modification time (a rebuilt
/// rekap with other templates or code is another one).
fn exe_identity() -> Option<String> {
    let exe = std::env::current_exe().ok()?;
    let meta = std::fs::metadata(&exe).ok()?;
    let mtime = meta
        .modified()
        .ok()?
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?;
    Some(format!(
        "{} {} {}.{:09}",
        exe.display(),
        meta.len(),
        mtime.as_secs(),
        mtime.subsec_nanos()
    ))
}

/// What the cache remembers of the build in an output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// The fingerprint of that build's inputs.
    pub fingerprint: Fingerprint,
    /// The hash of the manifest that build wrote (`.rekap-build`).
    pub manifest: u128,
    /// Its HTML pages (for the report).
    pub pages: usize,
    /// Its warnings, source lines attached: a build of the same inputs has
    /// these and no others, and gives them without reading the site again.
    pub warnings: Vec<Diagnostic>,
}

impl Record {
    fn render(&self) -> String {
        format!(
            "{FORMAT}\nfingerprint {:032x}\nmanifest {:032x}\npages {}\nwarnings {}\n",
            self.fingerprint.0,
            self.manifest,
            self.pages,
            serde_json::to_string(&self.warnings).unwrap_or_else(|_| "?".into())
        )
    }

    fn parse(text: &str) -> Option<Record> {
        let mut lines = text.lines();
        if lines.next()? != FORMAT {
            return None;
        }
        let mut value = |key: &str| -> Option<String> {
            let line = lines.next()?;
            Some(line.strip_prefix(key)?.strip_prefix(' ')?.to_string())
        };
        let fingerprint = Fingerprint(u128::from_str_radix(&value("fingerprint")?, 16).ok()?);
        let manifest = u128::from_str_radix(&value("manifest")?, 16).ok()?;
        let pages = value("pages")?.parse().ok()?;
        let warnings = serde_json::from_str(&value("warnings")?).ok()?;
        Some(Record {
            fingerprint,
            manifest,
            pages,
            warnings,
        })
    }

    /// The record of the build into `output`, if there is a readable one.
    pub fn read(output: &Path) -> Option<Record> {
        let text = std::fs::read_to_string(dir_for(output).join("render")).ok()?;
        Record::parse(&text)
    }

    /// Records this as the build into `output` (written whole, then renamed
    /// into place). Errors are ignored: a cache that cannot be written only
    /// means the next build renders.
    pub fn write(&self, output: &Path) {
        write_whole(output, "render", &self.render());
    }

    /// Forgets the build into `output` (before a build that may change it).
    pub fn forget(output: &Path) {
        let _ = std::fs::remove_file(dir_for(output).join("render"));
    }
}

/// The format of the page record; a file of another format is ignored.
const PAGES_FORMAT: &str = "rekap-page-cache 2";

/// What the build in an output made (see
/// [`render::recorded`](crate::render::recorded)), for that output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageRecord {
    /// The hash of the manifest of that build's output.
    pub manifest: u128,
    /// Its pages' digests and its downloads.
    pub made: Made,
}

impl PageRecord {
    fn render(&self, exe: &str) -> String {
        let made = &self.made;
        let mut out = format!(
            "{PAGES_FORMAT}\nexe {exe}\nmanifest {:032x}\ncharts {}\n",
            self.manifest,
            made.chart_inputs
                .map_or("-".to_string(), |f| format!("{:032x}", f.0))
        );
        for d in &made.downloads {
            let years: Vec<String> = d.years.iter().map(i32::to_string).collect();
            out.push_str(&format!("y {} {}\n", d.lang.code(), years.join(",")));
            for path in &d.paths {
                out.push_str(&format!("d {} {path}\n", d.lang.code()));
            }
        }
        for (lang, path, digest) in &made.pages {
            out.push_str(&format!("p {} {digest:032x} {path}\n", lang.code()));
        }
        out
    }

    fn parse(text: &str, exe: &str) -> Option<PageRecord> {
        let mut lines = text.lines();
        if lines.next()? != PAGES_FORMAT || lines.next()?.strip_prefix("exe ")? != exe {
            return None;
        }
        let hex = |s: &str| u128::from_str_radix(s, 16).ok();
        let manifest = hex(lines.next()?.strip_prefix("manifest ")?)?;
        let chart_inputs = match lines.next()?.strip_prefix("charts ")? {
            "-" => None,
            f => Some(Fingerprint(hex(f)?)),
        };
        let lang = |code: &str| Lang::ALL.into_iter().find(|l| l.code() == code);
        let mut made = Made {
            chart_inputs,
            ..Made::default()
        };
        for line in lines {
            let (kind, rest) = line.split_once(' ')?;
            let (code, rest) = rest.split_once(' ')?;
            let lang = lang(code)?;
            match kind {
                "y" => {
                    let years = rest
                        .split(',')
                        .filter(|y| !y.is_empty())
                        .map(|y| y.parse().ok())
                        .collect::<Option<Vec<i32>>>()?;
                    made.downloads.push(Downloads {
                        lang,
                        years,
                        paths: Vec::new(),
                    });
                }
                "d" => {
                    let last = made.downloads.last_mut().filter(|d| d.lang == lang)?;
                    last.paths.push(rest.to_string());
                }
                "p" => {
                    let (digest, path) = rest.split_once(' ')?;
                    made.pages.push((lang, path.to_string(), hex(digest)?));
                }
                _ => return None,
            }
        }
        Some(PageRecord { manifest, made })
    }

    /// The record of the build into `output`, if there is a readable one,
    /// made by this executable, for the output whose manifest hash is
    /// `manifest`.
    pub fn read(output: &Path, manifest: u128) -> Option<PageRecord> {
        let text = std::fs::read_to_string(dir_for(output).join("pages")).ok()?;
        PageRecord::parse(&text, &exe_identity()?).filter(|r| r.manifest == manifest)
    }

    /// Records this as the build into `output` (written whole, then renamed
    /// into place). Errors are ignored, as for [`Record::write`].
    pub fn write(&self, output: &Path) {
        let Some(exe) = exe_identity() else {
            return;
        };
        write_whole(output, "pages", &self.render(&exe));
    }
}

/// Writes `text` as the cache file `name` of `output`, whole (a temporary
/// file renamed into place); errors are ignored.
fn write_whole(output: &Path, name: &str, text: &str) {
    let dir = dir_for(output);
    let _ = std::fs::create_dir_all(&dir);
    let tmp = dir.join(format!("{name}.{}.tmp", std::process::id()));
    if std::fs::write(&tmp, text).is_ok() && std::fs::rename(&tmp, dir.join(name)).is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_records_round_trip_for_this_executable_only() {
        let r = PageRecord {
            manifest: 0xfeed,
            made: Made {
                chart_inputs: Some(Fingerprint(9)),
                pages: vec![
                    (Lang::En, "en/index.html".into(), 1),
                    (Lang::Id, "regions/a b/index.html".into(), u128::MAX),
                ],
                downloads: vec![
                    Downloads {
                        lang: Lang::Id,
                        years: vec![2016, 2017],
                        paths: vec!["data/a.csv".into(), "data/a b.json".into()],
                    },
                    Downloads {
                        lang: Lang::En,
                        years: vec![],
                        paths: vec![],
                    },
                ],
            },
        };
        let text = r.render("rekap 1");
        assert_eq!(PageRecord::parse(&text, "rekap 1"), Some(r.clone()));
        assert_eq!(PageRecord::parse(&text, "rekap 2"), None, "another rekap");
        assert_eq!(PageRecord::parse("rekap-page-cache 1\n", "rekap 1"), None);
        let broken = text.replace(" 0000", " zz00");
        assert_eq!(PageRecord::parse(&broken, "rekap 1"), None);
        let unknown = format!("{text}q id x\n");
        assert_eq!(PageRecord::parse(&unknown, "rekap 1"), None);
        let none = PageRecord {
            made: Made::default(),
            ..r
        };
        assert_eq!(PageRecord::parse(&none.render("x"), "x"), Some(none));
    }

    #[test]
    fn records_round_trip() {
        let mut warning = Diagnostic::warning(
            crate::model::Origin::new("content/data/figures.csv", crate::model::Pos::new(3, 7)),
            "the provinces add up to 12 \"x\"\nnot 13",
        );
        warning.help = Some("check row 3".into());
        let r = Record {
            fingerprint: Fingerprint(0x0123_4567_89ab_cdef_0011_2233_4455_6677),
            manifest: 42,
            pages: 7,
            warnings: vec![warning],
        };
        assert_eq!(Record::parse(&r.render()), Some(r.clone()));
        let none = Record {
            warnings: Vec::new(),
            ..r
        };
        assert_eq!(Record::parse(&none.render()), Some(none));
        assert_eq!(Record::parse("rekap-render-cache 1\n"), None);
        assert_eq!(Record::parse(""), None);
    }

    #[test]
    fn the_cache_is_beside_the_output() {
        assert_eq!(
            dir_for(Path::new("/srv/site/public")),
            Path::new("/srv/site/public.rekap-cache")
        );
    }

    #[test]
    fn any_change_of_input_or_option_changes_the_fingerprint() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("content/releases")).unwrap();
        std::fs::write(root.join("content/site.yaml"), "title: x\n").unwrap();
        std::fs::write(root.join("content/releases/a.md"), "a").unwrap();
        let opts = BuildOptions::new(root);
        let a = Fingerprint::of(&opts).unwrap();
        assert_eq!(Fingerprint::of(&opts), Some(a));
        std::fs::write(root.join("content/releases/a.md"), "b").unwrap();
        let b = Fingerprint::of(&opts).unwrap();
        assert_ne!(a, b);
        std::fs::rename(
            root.join("content/releases/a.md"),
            root.join("content/releases/c.md"),
        )
        .unwrap();
        let c = Fingerprint::of(&opts).unwrap();
        assert_ne!(b, c);
        std::fs::create_dir_all(root.join("static")).unwrap();
        let d = Fingerprint::of(&opts).unwrap();
        assert_ne!(c, d);
        let mut drafts = opts.clone();
        drafts.drafts = true;
        assert_ne!(Fingerprint::of(&drafts), Some(d));
    }

    #[test]
    fn the_charts_fingerprint_ignores_documents_templates_and_static_files() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for d in [
            "content/releases",
            "content/data",
            "templates",
            "static",
            "i18n",
        ] {
            std::fs::create_dir_all(root.join(d)).unwrap();
        }
        let put = |rel: &str, text: &str| std::fs::write(root.join(rel), text).unwrap();
        put("content/site.yaml", "title: x\n");
        put("content/releases/a.md", "a");
        put("content/data/metrics.yaml", "m");
        let opts = BuildOptions::new(root);
        let first = Fingerprints::of(&opts).unwrap();
        // Documents, templates and static files: only `all` changes.
        for (rel, text) in [
            ("content/releases/a.md", "b"),
            ("content/releases/a.en.md", "c"),
            ("templates/page.html", "t"),
            ("static/x.css", "s"),
        ] {
            let before = Fingerprints::of(&opts).unwrap();
            put(rel, text);
            let after = Fingerprints::of(&opts).unwrap();
            assert_ne!(before.all, after.all, "{rel}");
            assert_eq!(before.charts, after.charts, "{rel}");
        }
        assert_eq!(Fingerprints::of(&opts).unwrap().charts, first.charts);
        // Data, settings and interface strings: both change.
        for (rel, text) in [
            ("content/data/metrics.yaml", "n"),
            ("content/data/figures.csv", "f"),
            ("content/site.yaml", "title: y\n"),
            ("i18n/en.yaml", "i"),
        ] {
            let before = Fingerprints::of(&opts).unwrap();
            put(rel, text);
            let after = Fingerprints::of(&opts).unwrap();
            assert_ne!(before.all, after.all, "{rel}");
            assert_ne!(before.charts, after.charts, "{rel}");
        }
    }
}

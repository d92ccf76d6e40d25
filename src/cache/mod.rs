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
//! Two more records make a rebuild cheaper, never different:
//! `<output>.rekap-cache/files` ([`FileRecord`]) holds the stamp of every
//! file of the output and the links and ids of its pages, so that a file
//! kept with an unchanged stamp is not read back (see
//! [`Stamp`]); `<output>.rekap-cache/bodies`
//! ([`BodyLog`]) holds the rendered Markdown bodies, so that a body whose
//! text, shortcodes, templates and chart inputs are the same is not
//! rendered again; `<output>.rekap-cache/figures` ([`FigureStore`]) holds
//! the parsed figure files, so that a file whose bytes are the same is not
//! parsed again.
//!
//! The cache is never inside the output: the output stays byte-identical to
//! a fresh build.
//!
//! [`render::recorded`]: crate::render::recorded

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use xxhash_rust::xxh3::Xxh3;

use crate::diagnostics::Diagnostic;
use crate::model::Lang;
use crate::render::links::Scans;
use crate::render::markdown::Rendered;
use crate::render::pages::reads::{BodyRef, PageReads};
use crate::render::recorded::{
    Bodies, BodiesMade, Downloads, KeptBody, Record as Made, RecordedReads,
};
use crate::write::Stamp;

mod fingerprint;
pub mod kept;
mod marked;
pub use fingerprint::{Documents, Fingerprint, Fingerprints, InputStamps};
pub use marked::Marked;

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
        write_whole(output, "render", self.render());
    }

    /// Forgets the build into `output` (before a build that may change it).
    pub fn forget(output: &Path) {
        let _ = std::fs::remove_file(dir_for(output).join("render"));
    }
}

/// The format of the page record; a file of another format is ignored.
const PAGES_FORMAT: &str = "rekap-page-cache 4";

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
        for (lang, path, digest) in &made.figures {
            out.push_str(&format!("f {} {digest:032x} {path}\n", lang.code()));
        }
        for (lang, reads) in &made.reads {
            render_reads(&mut out, *lang, reads);
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
        type Parts = (Lang, u128, [Vec<u128>; 3], PageReads);
        let mut reads: Vec<Parts> = Vec::new();
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
                "p" | "f" => {
                    let (digest, path) = rest.split_once(' ')?;
                    let list = match kind {
                        "p" => &mut made.pages,
                        _ => &mut made.figures,
                    };
                    list.push((lang, path.to_string(), hex(digest)?));
                }
                "r" => {
                    reads.push((lang, hex(rest)?, [const { Vec::new() }; 3], Vec::new()));
                }
                "b" => {
                    let (_, _, bodies, _) = reads.last_mut().filter(|r| r.0 == lang)?;
                    let (kind, list) = rest.split_once(' ').unwrap_or((rest, ""));
                    let kind: usize = kind.parse().ok().filter(|&k| k < 3)?;
                    bodies[kind] = list
                        .split(',')
                        .filter(|d| !d.is_empty())
                        .map(hex)
                        .collect::<Option<_>>()?;
                }
                "q" => {
                    let (_, _, _, pages) = reads.last_mut().filter(|r| r.0 == lang)?;
                    pages.push(parse_page_reads(rest)?);
                }
                _ => return None,
            }
        }
        made.reads = reads
            .into_iter()
            .map(|(lang, frame, bodies, pages)| {
                (lang, RecordedReads::from_parts(frame, bodies, pages))
            })
            .collect();
        Some(PageRecord { manifest, made })
    }

    /// The record of the build into `output`, if there is a readable one,
    /// made by this executable, for the output whose manifest hash is
    /// `manifest`.
    pub fn read(output: &Path, manifest: u128) -> Option<PageRecord> {
        let text = std::fs::read_to_string(dir_for(output).join("pages")).ok()?;
        PageRecord::parse(&text, &exe_identity()?).filter(|r| r.manifest == manifest)
    }
}

/// The format of the file record; a file of another format is ignored.
const FILES_FORMAT: &str = "rekap-file-cache 1";

/// What the build in an output left there, for the next build to keep its
/// files without reading them back: the [`Stamp`] of every file just after
/// the build was put in place, and the links and ids of its pages (a page
/// kept unread is link-checked with these; see
/// [`LinkSink::knowing`](crate::render::links::LinkSink::knowing)).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileRecord {
    /// The hash of the manifest of that build's output.
    pub manifest: u128,
    /// Every file's stamp, by path (a file that had none is left out).
    pub stamps: Vec<(String, Stamp)>,
    /// The links and ids of its pages.
    pub scans: Scans,
}

impl FileRecord {
    /// The record of the files of `paths` in `output` (their stamps taken
    /// now), for the build whose manifest hash is `manifest` and whose
    /// pages had the links and ids `scans`.
    pub fn take(output: &Path, manifest: u128, paths: &[String], scans: Scans) -> FileRecord {
        let stamps = crate::write::stamps(output, paths)
            .into_iter()
            .zip(paths)
            .filter_map(|(stamp, path)| Some((path.clone(), stamp?)))
            .collect();
        FileRecord {
            manifest,
            stamps,
            scans,
        }
    }

    fn encode(&self, exe: &str) -> Option<Vec<u8>> {
        postcard::to_stdvec(&(FILES_FORMAT, exe, self)).ok()
    }

    fn decode(bytes: &[u8], exe: &str) -> Option<FileRecord> {
        let ((format, made_by), rest): ((&str, &str), _) = postcard::take_from_bytes(bytes).ok()?;
        if format != FILES_FORMAT || made_by != exe {
            return None;
        }
        let (record, rest): (FileRecord, &[u8]) = postcard::take_from_bytes(rest).ok()?;
        rest.is_empty().then_some(record)
    }

    /// The record of the build into `output`, if there is a readable one,
    /// made by this executable, for the output whose manifest hash is
    /// `manifest`.
    pub fn read(output: &Path, manifest: u128) -> Option<FileRecord> {
        let bytes = std::fs::read(dir_for(output).join("files")).ok()?;
        FileRecord::decode(&bytes, &exe_identity()?).filter(|r| r.manifest == manifest)
    }

    /// Records this as the build into `output` (written whole, then renamed
    /// into place). Errors are ignored, as for [`Record::write`].
    pub fn write(&self, output: &Path) {
        if let Some(bytes) = exe_identity().and_then(|exe| self.encode(&exe)) {
            write_whole(output, "files", bytes);
        }
    }

    /// The stamps by path, and the links and ids of the pages.
    pub fn into_parts(self) -> (HashMap<String, Stamp>, Scans) {
        (self.stamps.into_iter().collect(), self.scans)
    }
}

/// The first line of the body log; a file that starts otherwise is ignored.
const BODIES_FORMAT: &[u8] = b"rekap-body-log 2\n";

/// The Markdown bodies rendered by the builds into an output (see
/// [`KeptBodies`](crate::render::bodies::KeptBodies)), kept beside it for
/// the next: `<output>.rekap-cache/bodies`, a log of entries, each a body
/// and its two keys (one salted with the chart inputs, and its shown key),
/// framed by its length, its checksum and the salt of the executable that
/// wrote it ([`BodyLog::salt`]). A build reads the entries of its salt,
/// then appends the bodies it has that were not there under their salted
/// key; the log is written afresh, with only the last build's bodies, when
/// it holds more than twice as many entries as that build has. An entry
/// whose checksum does not hold (a write cut short) ends the reading.
pub struct BodyLog;

impl BodyLog {
    /// The salt of the entries of this executable; `None` if the
    /// executable cannot be told (then no body is kept).
    pub fn salt() -> Option<u128> {
        let mut h = Xxh3::new();
        h.update(BODIES_FORMAT);
        h.update(exe_identity()?.as_bytes());
        Some(h.digest128())
    }

    /// Appends one entry: its length, its checksum (of the rest), the salt,
    /// the fingerprint of the chart inputs it was kept by, and the payload
    /// (the keys and the body).
    fn frame(out: &mut Vec<u8>, salt: u128, inputs: Fingerprint, (key, shown, body): &KeptBody) {
        let Ok(payload) = postcard::to_stdvec(&(key, shown, &**body)) else {
            return;
        };
        let mut h = xxhash_rust::xxh3::Xxh3::new();
        h.update(&salt.to_le_bytes());
        h.update(&inputs.0.to_le_bytes());
        h.update(&payload);
        out.extend_from_slice(&(payload.len() as u32).to_le_bytes());
        out.extend_from_slice(&h.digest().to_le_bytes());
        out.extend_from_slice(&salt.to_le_bytes());
        out.extend_from_slice(&inputs.0.to_le_bytes());
        out.extend_from_slice(&payload);
    }

    /// The bodies of `bytes` with the salt `salt`, for a build of the chart
    /// inputs `inputs`: those kept by a build of the same inputs if there
    /// are any (a body not found by its key then has a document or
    /// templates changed since, and would not be found by its shown key
    /// either), else one body for each shown key, by that key alone (the
    /// chart inputs changed: a body is found by its shown key). The others
    /// are counted, not decoded.
    fn decode(bytes: &[u8], salt: u128, inputs: Fingerprint) -> Bodies {
        const HEAD: usize = 4 + 8 + 16 + 16;
        let mut found = Bodies::default();
        let Some(mut rest) = bytes.strip_prefix(BODIES_FORMAT) else {
            return found;
        };
        // The payloads of this salt, with whether they are of these inputs.
        let mut own = Vec::new();
        while rest.len() >= HEAD {
            let len = u32::from_le_bytes(rest[..4].try_into().unwrap_or_default()) as usize;
            let sum = u64::from_le_bytes(rest[4..12].try_into().unwrap_or_default());
            let Some(salted) = rest.get(12..HEAD + len) else {
                break;
            };
            if xxhash_rust::xxh3::xxh3_64(salted) != sum {
                break;
            }
            let (head, payload) = salted.split_at(32);
            let word =
                |i: usize| u128::from_le_bytes(head[i..i + 16].try_into().unwrap_or_default());
            if word(0) == salt {
                own.push((word(16) == inputs.0, payload));
            }
            found.entries += 1;
            rest = &rest[HEAD + len..];
        }
        let any_same = own.iter().any(|(same, _)| *same);
        for (same, payload) in own {
            if any_same && !same {
                continue;
            }
            let Ok(((key, shown), body)) =
                postcard::take_from_bytes::<(u128, Option<u128>)>(payload)
            else {
                break;
            };
            if any_same {
                let Ok(body) = postcard::from_bytes::<Rendered>(body) else {
                    break;
                };
                found.insert(key, shown, Arc::new(body));
                continue;
            }
            // Of other chart inputs: found by the shown key alone, one
            // body for each (the log may hold one per chart inputs).
            let Some(shown) = shown.filter(|s| !found.shown.contains_key(s)) else {
                continue;
            };
            let Ok(body) = postcard::from_bytes::<Rendered>(body) else {
                break;
            };
            found.shown.insert(shown, Arc::new(body));
        }
        found
    }

    /// The bodies with the salt `salt` kept beside `output` for a build of
    /// the chart inputs `inputs`: those kept by a build of these inputs if
    /// there are any, else one for each shown key (none if there is no
    /// readable log).
    pub fn read(output: &Path, salt: u128, inputs: Fingerprint) -> Bodies {
        std::fs::read(dir_for(output).join("bodies"))
            .map(|bytes| BodyLog::decode(&bytes, salt, inputs))
            .unwrap_or_default()
    }

    /// Keeps the bodies of the build into `output`: appends the new ones,
    /// or writes the log afresh with all of them. Errors are ignored, as
    /// for [`Record::write`] (a log cut short loses only its last entries).
    pub fn write(made: &BodiesMade, output: &Path) {
        if let Some(bytes) = BodyLog::encode(made) {
            bytes.write(output);
        }
    }

    /// What [`BodyLog::write`] would write for `made`: the whole log, or the
    /// entries to append (`None` if there is nothing to write). The entries
    /// are framed in parallel.
    pub fn encode(made: &BodiesMade) -> Option<BodyLogBytes> {
        use rayon::prelude::*;
        exe_identity()?;
        let afresh = made.entries == 0 || made.entries + made.new.len() > 2 * made.all.len();
        let bodies = if afresh { &made.all } else { &made.new };
        if !afresh && bodies.is_empty() {
            return None;
        }
        let mut parts: Vec<Vec<u8>> = bodies
            .par_chunks(256)
            .map(|chunk| {
                let mut out = Vec::new();
                for body in chunk {
                    BodyLog::frame(&mut out, made.salt, made.inputs, body);
                }
                out
            })
            .collect();
        if afresh {
            parts.insert(0, BODIES_FORMAT.to_vec());
        }
        Some(BodyLogBytes { afresh, parts })
    }
}

/// The bytes [`BodyLog::encode`] made: a whole log, or entries to append.
pub struct BodyLogBytes {
    afresh: bool,
    parts: Vec<Vec<u8>>,
}

impl BodyLogBytes {
    /// Writes the log beside `output` (whole, or appended to the log
    /// there); errors are ignored, as for [`Record::write`].
    pub fn write(&self, output: &Path) {
        if self.afresh {
            write_whole_parts(output, "bodies", &self.parts);
        } else {
            self.append(&dir_for(output));
        }
    }

    /// Appends the entries to the log in the cache folder `dir`.
    fn append(&self, dir: &Path) {
        let appended = std::fs::OpenOptions::new()
            .append(true)
            .open(dir.join("bodies"))
            .and_then(|f| {
                let mut f = std::io::BufWriter::new(f);
                for part in &self.parts {
                    std::io::Write::write_all(&mut f, part)?;
                }
                std::io::Write::flush(&mut f)
            });
        drop(appended);
    }
}

/// The format of the figure store; a file of another format is ignored.
const FIGURES_FORMAT: &str = "rekap-figure-cache 1";

/// The figure files the build into an output parsed, kept beside it
/// (`<output>.rekap-cache/figures`) for the next build, which parses only
/// the files whose bytes (or the settings they are read with) changed (see
/// [`LoadCache`](crate::load::LoadCache) and
/// [`load::stored`](crate::load::stored)). Used only by the same executable.
pub struct FigureStore;

impl FigureStore {
    /// A load cache holding the figure files kept beside `output` (none if
    /// there is no readable store made by this executable).
    pub fn read(output: &Path) -> crate::load::LoadCache {
        let files = || {
            let bytes = std::fs::read(dir_for(output).join("figures")).ok()?;
            let ((format, made_by), rest): ((&str, &str), _) =
                postcard::take_from_bytes(&bytes).ok()?;
            if format != FIGURES_FORMAT || made_by != exe_identity()? {
                return None;
            }
            crate::load::stored::decode(rest)
        };
        crate::load::LoadCache::with_figure_files(files().unwrap_or_default())
    }

    /// The figure files of `cache` as they are kept beside an output (see [`Records`]);
    /// `None` if they did not change since they were read (or cannot be
    /// stored).
    pub fn encode(cache: &crate::load::LoadCache) -> Option<Vec<u8>> {
        if !cache.figures_changed() {
            return None;
        }
        let exe = exe_identity()?;
        let mut bytes = postcard::to_stdvec(&(FIGURES_FORMAT, exe.as_str())).ok()?;
        bytes.extend_from_slice(&crate::load::stored::encode(&cache.figure_files())?);
        Some(bytes)
    }
}

/// Writes `bytes` as the cache file `name` of `output`, whole (a temporary
/// file renamed into place); errors are ignored.
fn write_whole(output: &Path, name: &str, bytes: impl AsRef<[u8]>) {
    write_whole_parts(output, name, &[bytes]);
}

/// Writes `parts`, one after the other, as the cache file `name` of
/// `output`, as [`write_whole`] does.
fn write_whole_parts(output: &Path, name: &str, parts: &[impl AsRef<[u8]>]) {
    let dir = dir_for(output);
    let _ = std::fs::create_dir_all(&dir);
    let parts: Vec<&[u8]> = parts.iter().map(|p| p.as_ref()).collect();
    if let Some(tmp) = write_temporary(&dir, name, &parts)
        && std::fs::rename(&tmp, dir.join(name)).is_err()
    {
        let _ = std::fs::remove_file(&tmp);
    }
}

/// Writes what the pages in `lang` read (see [`PageRecord`]'s text): the
/// frame (`r`), the digests of the bodies by kind (`b`), then each page's
/// reads and path (`q`), `-` for a page whose reads are not known.
fn render_reads(out: &mut String, lang: Lang, reads: &RecordedReads) {
    use std::fmt::Write;
    let code = lang.code();
    let (frame, bodies, pages) = reads.parts();
    let _ = writeln!(out, "r {code} {frame:032x}");
    for (kind, digests) in bodies.iter().enumerate() {
        let _ = write!(out, "b {code} {kind} ");
        for (i, d) in digests.iter().enumerate() {
            let _ = write!(out, "{}{d:032x}", if i > 0 { "," } else { "" });
        }
        out.push('\n');
    }
    for page in pages {
        let _ = write!(out, "q {code} ");
        match page {
            None => out.push('-'),
            Some((path, read)) => {
                if read.is_empty() {
                    out.push('.');
                }
                for (i, r) in read.iter().enumerate() {
                    let (kind, n) = match *r {
                        BodyRef::Release(n) => ('r', n),
                        BodyRef::Meeting(n) => ('m', n),
                        BodyRef::Page(n) => ('p', n),
                    };
                    let _ = write!(out, "{}{kind}{n}", if i > 0 { "," } else { "" });
                }
                let _ = write!(out, " {path}");
            }
        }
        out.push('\n');
    }
}

/// One page's reads as [`render_reads`] writes them.
fn parse_page_reads(text: &str) -> Option<Option<(String, Box<[BodyRef]>)>> {
    if text == "-" {
        return Some(None);
    }
    let (read, path) = text.split_once(' ')?;
    let read = match read {
        "." => Vec::new(),
        list => list
            .split(',')
            .map(|r| {
                let n = r.get(1..)?.parse().ok()?;
                match r.as_bytes().first()? {
                    b'r' => Some(BodyRef::Release(n)),
                    b'm' => Some(BodyRef::Meeting(n)),
                    b'p' => Some(BodyRef::Page(n)),
                    _ => None,
                }
            })
            .collect::<Option<_>>()?,
    };
    Some(Some((path.to_string(), read.into_boxed_slice())))
}

/// Everything the cache keeps of one build, encoded while the build checks
/// that its inputs did not change as it read them (see [`Records::encode`]),
/// and written only if they did not.
pub struct Records {
    render: String,
    pages: Option<String>,
    bodies: Option<BodyLogBytes>,
    figures: Option<Vec<u8>>,
    files: Option<Vec<u8>>,
}

impl Records {
    /// Encodes the records of one build (the body log alongside the rest).
    pub fn encode(
        record: &Record,
        pages: Option<&PageRecord>,
        bodies: Option<&BodiesMade>,
        figures: Option<Vec<u8>>,
        files: &FileRecord,
    ) -> Records {
        let exe = exe_identity();
        let (bodies, rest) = rayon::join(
            || bodies.and_then(BodyLog::encode),
            || {
                let exe = exe.as_deref()?;
                Some((pages.map(|p| p.render(exe)), files.encode(exe)))
            },
        );
        let (pages, files) = rest.unwrap_or((None, None));
        Records {
            render: record.render(),
            pages,
            bodies,
            figures,
            files,
        }
    }

    /// Writes each whole record beside `output` under a temporary name, to
    /// be put in place by [`Staged::commit`] (or removed by dropping it).
    pub fn stage(self, output: &Path) -> Staged {
        let dir = dir_for(output);
        let _ = std::fs::create_dir_all(&dir);
        let mut staged = Staged {
            dir,
            whole: Vec::new(),
            append: None,
        };
        let mut put = |name: &'static str, parts: &[&[u8]]| {
            if let Some(tmp) = write_temporary(&staged.dir, name, parts) {
                staged.whole.push((tmp, name));
            }
        };
        put("render", &[self.render.as_bytes()]);
        if let Some(pages) = &self.pages {
            put("pages", &[pages.as_bytes()]);
        }
        if let Some(figures) = &self.figures {
            put("figures", &[figures]);
        }
        if let Some(files) = &self.files {
            put("files", &[files]);
        }
        if let Some(bodies) = self.bodies {
            if bodies.afresh {
                let parts: Vec<&[u8]> = bodies.parts.iter().map(|p| &p[..]).collect();
                put("bodies", &parts);
            } else {
                staged.append = Some(bodies);
            }
        }
        staged
    }
}

/// Records written beside an output under temporary names (see
/// [`Records::stage`]).
pub struct Staged {
    dir: PathBuf,
    /// Each temporary file and the record's name.
    whole: Vec<(PathBuf, &'static str)>,
    /// Body log entries to append.
    append: Option<BodyLogBytes>,
}

impl Staged {
    /// Puts the records in place, in the order they were written (the
    /// fingerprint record first); errors are ignored.
    pub fn commit(mut self) {
        for (tmp, name) in std::mem::take(&mut self.whole) {
            if std::fs::rename(&tmp, self.dir.join(name)).is_err() {
                let _ = std::fs::remove_file(&tmp);
            }
        }
        if let Some(bodies) = self.append.take() {
            bodies.append(&self.dir);
        }
    }
}

impl Drop for Staged {
    /// Removes the temporary files of records not put in place.
    fn drop(&mut self) {
        for (tmp, _) in &self.whole {
            let _ = std::fs::remove_file(tmp);
        }
    }
}

/// Writes `parts` to a temporary file in `dir` for the cache file `name`;
/// the temporary file, if it was written whole.
fn write_temporary(dir: &Path, name: &str, parts: &[&[u8]]) -> Option<PathBuf> {
    let tmp = dir.join(format!("{name}.{}.tmp", std::process::id()));
    let written = std::fs::File::create(&tmp).and_then(|f| {
        let mut f = std::io::BufWriter::new(f);
        for part in parts {
            std::io::Write::write_all(&mut f, part)?;
        }
        std::io::Write::flush(&mut f)
    });
    match written {
        Ok(()) => Some(tmp),
        Err(_) => {
            let _ = std::fs::remove_file(&tmp);
            None
        }
    }
}

/// Drops `value` on a thread of its own: freeing a large site takes tens
/// of milliseconds that the result need not wait for (a process that ends
/// first simply leaves it to the system). Dropped here if no thread starts.
pub(crate) fn drop_aside<T: Send + 'static>(value: T) {
    // If the thread cannot start, its closure, `value` with it, is dropped
    // here.
    let _ = std::thread::Builder::new()
        .name("rekap-drop".into())
        .spawn(move || drop(value));
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
                figures: vec![(Lang::Id, "regions/a b/index.html".into(), 3)],
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
                reads: vec![
                    (
                        Lang::En,
                        RecordedReads::from_parts(5, [vec![], vec![], vec![]], vec![None]),
                    ),
                    (
                        Lang::Id,
                        RecordedReads::from_parts(
                            u128::MAX,
                            [vec![1, 2], vec![], vec![u128::MAX]],
                            vec![
                                Some(("index.html".into(), Box::new([]))),
                                None,
                                Some((
                                    "regions/a b/index.html".into(),
                                    Box::new([
                                        BodyRef::Release(0),
                                        BodyRef::Meeting(7),
                                        BodyRef::Page(0),
                                    ]),
                                )),
                            ],
                        ),
                    ),
                ],
            },
        };
        let text = r.render("rekap 1");
        assert_eq!(PageRecord::parse(&text, "rekap 1"), Some(r.clone()));
        assert_eq!(PageRecord::parse(&text, "rekap 2"), None, "another rekap");
        assert_eq!(PageRecord::parse("rekap-page-cache 1\n", "rekap 1"), None);
        let broken = text.replace(" 0000", " zz00");
        assert_eq!(PageRecord::parse(&broken, "rekap 1"), None);
        let unknown = format!("{text}z id x\n");
        let bad_read = format!("{text}q id x1 index.html\n");
        assert_eq!(PageRecord::parse(&bad_read, "rekap 1"), None);
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
    fn file_records_round_trip_for_this_executable_only() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.html"), "<a href=\"/b\">b</a>").unwrap();
        let scans = Scans::of(&[crate::render::links::scan("a.html", "<a href=\"/b\">b</a>")]);
        let r = FileRecord::take(
            dir.path(),
            7,
            &["a.html".into(), "missing.css".into()],
            scans,
        );
        assert_eq!(r.stamps.len(), 1, "a file without a stamp is left out");
        let bytes = r.encode("rekap 1").unwrap();
        assert_eq!(FileRecord::decode(&bytes, "rekap 1"), Some(r.clone()));
        assert_eq!(FileRecord::decode(&bytes, "rekap 2"), None, "another rekap");
        assert_eq!(
            FileRecord::decode(&bytes[..bytes.len() - 1], "rekap 1"),
            None,
            "cut short"
        );
        let mut longer = bytes.clone();
        longer.push(0);
        assert_eq!(
            FileRecord::decode(&longer, "rekap 1"),
            None,
            "trailing bytes"
        );
    }

    fn body(html: &str) -> Arc<Rendered> {
        Arc::new(Rendered {
            html: html.into(),
            first_paragraph: html.into(),
            headings: vec![(2, "h".into(), "H".into())],
            ids: ["h".to_string()].into_iter().collect(),
        })
    }

    #[test]
    fn staged_records_are_put_in_place_only_when_committed() {
        let dir = tempfile::tempdir().unwrap();
        let output = dir.path().join("public");
        let record = |fp| Record {
            fingerprint: Fingerprint(fp),
            manifest: 1,
            pages: 2,
            warnings: Vec::new(),
        };
        let all = vec![(5, Some(105), body("a"))];
        let bodies = BodiesMade {
            new: all.clone(),
            all,
            entries: 0,
            salt: 9,
            inputs: FP,
        };
        let encode = |fp| {
            Records::encode(
                &record(fp),
                None,
                Some(&bodies),
                Some(b"figures".to_vec()),
                &FileRecord::default(),
            )
        };
        let names = || {
            let mut names: Vec<String> = std::fs::read_dir(dir_for(&output))
                .unwrap()
                .map(|e| e.unwrap().file_name().into_string().unwrap())
                .collect();
            names.sort();
            names
        };
        // An input changed during the build: the staged records are
        // dropped, and nothing is left beside the output.
        drop(encode(1).stage(&output));
        assert!(names().is_empty(), "{:?}", names());
        assert_eq!(Record::read(&output), None);
        // Committed: every record in place, under its own name.
        encode(1).stage(&output).commit();
        assert_eq!(names(), ["bodies", "figures", "files", "render"]);
        assert_eq!(Record::read(&output), Some(record(1)));
        assert_eq!(BodyLog::read(&output, 9, FP).bodies[&5].0, body("a"));
        // A later build dropped: the records in place are those committed.
        drop(encode(2).stage(&output));
        assert_eq!(names(), ["bodies", "figures", "files", "render"]);
        assert_eq!(Record::read(&output), Some(record(1)));
    }

    /// The chart inputs of the builds in the body log tests.
    const FP: Fingerprint = Fingerprint(7);

    #[test]
    fn the_body_log_gives_the_bodies_of_other_chart_inputs_only_when_it_has_none_of_these() {
        let dir = tempfile::tempdir().unwrap();
        let output = dir.path().join("public");
        let made = |inputs, key: u128, html: &str, entries| {
            let all = vec![(key, Some(key + 100), body(html))];
            BodiesMade {
                new: all.clone(),
                all,
                entries,
                salt: 9,
                inputs: Fingerprint(inputs),
            }
        };
        BodyLog::write(&made(1, 1, "a", 0), &output);
        BodyLog::write(&made(2, 2, "b", 1), &output);
        // Some bodies of these inputs: only they are given.
        let read = BodyLog::read(&output, 9, Fingerprint(2));
        assert_eq!(read.entries, 2, "both counted");
        assert_eq!(read.bodies.keys().collect::<Vec<_>>(), vec![&2]);
        assert_eq!(read.shown.keys().collect::<Vec<_>>(), vec![&102]);
        // None of these inputs (the figures changed): every body, to be
        // found by its shown key.
        // The first body again, kept by the second build's inputs too.
        BodyLog::write(&made(2, 1, "a", 1), &output);
        let read = BodyLog::read(&output, 9, Fingerprint(3));
        assert!(read.bodies.is_empty(), "no body of these inputs");
        let mut shown: Vec<_> = read.shown.keys().copied().collect();
        shown.sort();
        assert_eq!(shown, vec![101, 102], "one body for each shown key");
        assert_eq!(read.shown[&101], body("a"));
        assert_eq!(read.entries, 3);
    }

    #[test]
    fn the_body_log_appends_new_bodies_and_is_written_afresh_when_mostly_stale() {
        let dir = tempfile::tempdir().unwrap();
        let output = dir.path().join("public");
        assert_eq!(BodyLog::read(&output, 9, FP).entries, 0, "no log yet");
        // Body `k` is kept under the shown key `k + 100`.
        let made = |all: Vec<(u128, Arc<Rendered>)>, new: &[u128], entries| {
            let all: Vec<KeptBody> = all
                .into_iter()
                .map(|(k, b)| (k, Some(k + 100), b))
                .collect();
            BodiesMade {
                new: all
                    .iter()
                    .filter(|(k, _, _)| new.contains(k))
                    .cloned()
                    .collect(),
                all,
                entries,
                salt: 9,
                inputs: FP,
            }
        };
        BodyLog::write(
            &made(vec![(1, body("a")), (2, body("b"))], &[1, 2], 0),
            &output,
        );
        let read = BodyLog::read(&output, 9, FP);
        assert_eq!(read.entries, 2);
        assert_eq!(read.bodies[&2], (body("b"), Some(102)));
        assert_eq!(read.shown[&102], body("b"), "found by its shown key too");
        // One body changed: appended.
        let log = dir_for(&output).join("bodies");
        let size = std::fs::metadata(&log).unwrap().len();
        BodyLog::write(
            &made(vec![(1, body("a")), (3, body("c"))], &[3], 2),
            &output,
        );
        assert!(std::fs::metadata(&log).unwrap().len() > size, "appended");
        let read = BodyLog::read(&output, 9, FP);
        assert_eq!(read.entries, 3);
        assert_eq!(read.bodies.len(), 3);
        assert_eq!(read.bodies[&3], (body("c"), Some(103)));
        // Mostly stale (4 entries for 1 body): written afresh.
        BodyLog::write(&made(vec![(4, body("d"))], &[4], 3), &output);
        let read = BodyLog::read(&output, 9, FP);
        assert_eq!(read.entries, 1);
        assert_eq!(read.bodies.keys().collect::<Vec<_>>(), vec![&4]);
        // A write cut short, or a changed byte: the entries before it stand.
        BodyLog::write(
            &made(vec![(4, body("d")), (5, body("e"))], &[5], 1),
            &output,
        );
        let bytes = std::fs::read(&log).unwrap();
        let read = BodyLog::decode(&bytes[..bytes.len() - 3], 9, FP);
        assert_eq!(read.bodies.keys().collect::<Vec<_>>(), vec![&4]);
        let mut flipped = bytes.clone();
        let last = flipped.len() - 2;
        flipped[last] ^= 1;
        assert_eq!(BodyLog::decode(&flipped, 9, FP).entries, 1);
        let other = BodyLog::decode(&bytes, 8, FP);
        assert!(other.bodies.is_empty(), "another salt: none given");
        assert_eq!(other.entries, 2, "but counted");
        assert_eq!(BodyLog::decode(b"another format\n", 9, FP).entries, 0);
    }
}

//! Publishing: what a build hands to its readers, and whether it holds up.
//!
//! - Internal content never leaves a public build, in any file of any kind,
//!   and an internal build says on every page that it is internal.
//! - Public content that would show internal content is a build error.
//! - A build never overwrites a build made for the other audience unless told to.
//! - An archive build (relative URLs) opens from disk: every link resolves to a
//!   file, every anchor to an element, and nothing is fetched from the network.
//! - Feeds, sitemap, search index and data downloads are well formed and agree
//!   with the data they come from.
//! - Builds are deterministic; tag and programme pages list their releases;
//!   `rekap check` reports broken internal links.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use common::*;
use rekap::model::Audience;
use rekap::{BuildReport, Error};

const BASE_URL: &str = "https://rekap.example/";
const RELEASE_SLUG: &str = "2017-02-01-target-2017-sulawesi-maluku";
const RELEASE_URL: &str = "/releases/2017-02-01-target-2017-sulawesi-maluku/";
const RELEASE_PAGE: &str = "releases/2017-02-01-target-2017-sulawesi-maluku/index.html";
const MEETING_FILE: &str = "content/meetings/2017-01-31-rakorwil-manado.md";
const MEETING_URL: &str = "/meetings/2017-01-31-rakorwil-manado/";
const MEETING_PAGE: &str = "meetings/2017-01-31-rakorwil-manado/index.html";

// ---------------------------------------------------------------- helpers

/// Builds `root` into `out` for `audience`; panics with the diagnostics on failure.
fn build_into(root: &Path, out: &Path, audience: Audience, relative_urls: bool) -> BuildReport {
    let mut o = options(root);
    o.output = out.to_path_buf();
    o.audience = audience;
    o.relative_urls = relative_urls;
    rekap::build(&o).unwrap_or_else(|e| {
        panic!(
            "the {} build{} of {} must succeed:\n{e}",
            audience.as_str(),
            if relative_urls {
                " (relative URLs)"
            } else {
                ""
            },
            root.display()
        )
    })
}

/// Like [`build_into`], and the build has no warnings.
fn build_clean(root: &Path, out: &Path, audience: Audience, relative_urls: bool) {
    let report = build_into(root, out, audience, relative_urls);
    assert!(
        report.warnings.is_empty(),
        "the {} build should have no warnings:\n{}",
        audience.as_str(),
        listing(&report.warnings)
    );
}

/// The result of building `root` into `root/out` for `audience`.
fn try_build(root: &Path, audience: Audience) -> Result<BuildReport, Error> {
    try_build_into(root, &root.join("out"), audience)
}

/// The result of building `root` into `out` for `audience`.
fn try_build_into(root: &Path, out: &Path, audience: Audience) -> Result<BuildReport, Error> {
    let mut o = options(root);
    o.output = out.to_path_buf();
    o.audience = audience;
    rekap::build(&o)
}

/// A minimal Markdown file with front matter.
fn markdown(front: &str, body: &str) -> String {
    format!("---\n{front}---\n\n{body}\n")
}

/// The text of `rel` in the built folder `out`.
fn out_text(out: &Path, rel: &str) -> String {
    let p = out.join(rel);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("read {}: {e}", p.display()))
}

/// Every (output path, excerpt) where `needle` occurs, case-insensitively, in
/// a file's path or in its bytes (read as text, whatever the file type).
fn occurrences(snap: &BTreeMap<String, Vec<u8>>, needle: &str) -> Vec<String> {
    let needle = needle.to_lowercase();
    let mut found = Vec::new();
    for (path, bytes) in snap {
        if path.to_lowercase().contains(&needle) {
            found.push(format!("{path}: in the file's path"));
        }
        let text = String::from_utf8_lossy(bytes).to_lowercase();
        if let Some(i) = text.find(&needle) {
            let mut from = i.saturating_sub(60);
            while !text.is_char_boundary(from) {
                from -= 1;
            }
            let mut to = (i + needle.len() + 60).min(text.len());
            while !text.is_char_boundary(to) {
                to += 1;
            }
            found.push(format!("{path}: …{}…", &text[from..to]));
        }
    }
    found
}

/// The CSV download at `rel` as rows of column → value.
fn csv_rows(out: &Path, rel: &str) -> Vec<BTreeMap<String, String>> {
    let path = out.join(rel);
    let mut reader =
        csv::Reader::from_path(&path).unwrap_or_else(|e| panic!("open {}: {e}", path.display()));
    let headers = reader.headers().expect("a header row").clone();
    reader
        .records()
        .map(|r| {
            let r = r.unwrap_or_else(|e| panic!("{rel} is not valid CSV: {e}"));
            headers
                .iter()
                .zip(r.iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}

fn json_file(out: &Path, rel: &str) -> serde_json::Value {
    serde_json::from_str(&out_text(out, rel))
        .unwrap_or_else(|e| panic!("{rel} is not valid JSON: {e}"))
}

// ------------------------------------------------ a small HTML tag scanner
//
// Independent of src/render/links.rs on purpose: it reads start tags and
// their attributes the way a browser would (any quoting, entities decoded),
// skips comments, and does not look inside <script> and <style>.

/// A start tag: its lowercase name and its attributes in order.
#[derive(Debug)]
struct Tag {
    name: String,
    attrs: Vec<(String, String)>,
}

impl Tag {
    fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Decodes the character references an attribute value may hold.
fn decode_entities(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let Some(end) = rest.find(';').filter(|&e| e <= 10) else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let name = &rest[1..end];
        let decoded = match name {
            "amp" => Some('&'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            "lt" => Some('<'),
            "gt" => Some('>'),
            _ => name
                .strip_prefix("#x")
                .or_else(|| name.strip_prefix("#X"))
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .or_else(|| name.strip_prefix('#').and_then(|d| d.parse().ok()))
                .and_then(char::from_u32),
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Every start tag of `html`.
fn start_tags(html: &str) -> Vec<Tag> {
    let b = html.as_bytes();
    let n = b.len();
    let mut tags = Vec::new();
    let mut i = 0;
    while i < n {
        if b[i] != b'<' {
            i += 1;
            continue;
        }
        if html[i..].starts_with("<!--") {
            i = html[i + 4..].find("-->").map_or(n, |e| i + 4 + e + 3);
            continue;
        }
        if i + 1 >= n || !b[i + 1].is_ascii_alphabetic() {
            // End tags, doctype, stray `<`.
            i += 1;
            continue;
        }
        let mut j = i + 1;
        while j < n && (b[j].is_ascii_alphanumeric() || b[j] == b'-' || b[j] == b':') {
            j += 1;
        }
        let name = html[i + 1..j].to_ascii_lowercase();
        let mut attrs = Vec::new();
        loop {
            while j < n && b[j].is_ascii_whitespace() {
                j += 1;
            }
            if j >= n {
                break;
            }
            if b[j] == b'>' {
                j += 1;
                break;
            }
            if b[j] == b'/' {
                j += 1;
                continue;
            }
            let start = j;
            while j < n && !b[j].is_ascii_whitespace() && !matches!(b[j], b'=' | b'>' | b'/') {
                j += 1;
            }
            let attr = html[start..j].to_ascii_lowercase();
            while j < n && b[j].is_ascii_whitespace() {
                j += 1;
            }
            let mut value = String::new();
            if j < n && b[j] == b'=' {
                j += 1;
                while j < n && b[j].is_ascii_whitespace() {
                    j += 1;
                }
                if j < n && (b[j] == b'"' || b[j] == b'\'') {
                    let q = b[j];
                    let vstart = j + 1;
                    let vend = b[vstart..]
                        .iter()
                        .position(|&c| c == q)
                        .map_or(n, |e| vstart + e);
                    value = decode_entities(&html[vstart..vend]);
                    j = (vend + 1).min(n);
                } else {
                    let vstart = j;
                    while j < n && !b[j].is_ascii_whitespace() && b[j] != b'>' {
                        j += 1;
                    }
                    value = decode_entities(&html[vstart..j]);
                }
            }
            if !attr.is_empty() {
                attrs.push((attr, value));
            }
        }
        if name == "script" || name == "style" {
            let close = format!("</{name}");
            j = html[j..]
                .to_ascii_lowercase()
                .find(&close)
                .map_or(n, |e| j + e);
        }
        tags.push(Tag { name, attrs });
        i = j;
    }
    tags
}

/// Every value of an `id` attribute in `html`.
fn ids(html: &str) -> BTreeSet<String> {
    start_tags(html)
        .iter()
        .filter_map(|t| t.attr("id").map(str::to_string))
        .collect()
}

fn is_external(link: &str) -> bool {
    let l = link.to_ascii_lowercase();
    l.starts_with("http://")
        || l.starts_with("https://")
        || l.starts_with("mailto:")
        || l.starts_with("tel:")
        || l.starts_with("data:")
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%'
            && i + 2 < b.len()
            && b[i + 1].is_ascii_hexdigit()
            && b[i + 2].is_ascii_hexdigit()
            && let Ok(v) = u8::from_str_radix(&s[i + 1..i + 3], 16)
        {
            out.push(v);
            i += 3;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Resolves the relative `path` (no query, no fragment) written in output
/// file `from` to an output path, or says why it cannot.
fn resolve_relative(from: &str, path: &str) -> Result<String, String> {
    if path.is_empty() {
        return Ok(from.to_string());
    }
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop(); // the file name
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                if parts.pop().is_none() {
                    return Err("climbs out of the output folder".into());
                }
            }
            s => parts.push(s),
        }
    }
    Ok(percent_decode(&parts.join("/")))
}

/// Checks that the archive build in `out` opens from disk: every `href`, `src`
/// and `action` of every HTML page is relative and points at a file that
/// exists (and at an element that exists, for a `#fragment`), and no page
/// loads anything from the network.
fn assert_archive_links_resolve(out: &Path) {
    let snap = snapshot(out);
    let pages = html_files(&snap);
    assert!(!pages.is_empty(), "no HTML pages in {}", out.display());
    let page_ids: BTreeMap<&str, BTreeSet<String>> =
        pages.iter().map(|(p, h)| (*p, ids(h))).collect();
    let mut problems = Vec::new();
    let mut checked = 0usize;
    for (page, html) in &pages {
        for tag in start_tags(html) {
            for (attr, link) in &tag.attrs {
                if !matches!(attr.as_str(), "href" | "src" | "action" | "xlink:href") {
                    continue;
                }
                let at = format!("{page}: <{} {attr}=\"{link}\">", tag.name);
                if is_external(link) {
                    let loads = tag.name != "a"
                        && !(tag.name == "link" && tag.attr("rel") == Some("canonical"));
                    if loads {
                        problems.push(format!("{at} loads from the network"));
                    }
                    continue;
                }
                checked += 1;
                if link.starts_with('/') {
                    problems.push(format!(
                        "{at} is root-relative (or protocol-relative); it breaks from file://"
                    ));
                    continue;
                }
                let (before_frag, frag) = match link.split_once('#') {
                    Some((p, f)) => (p, Some(f)),
                    None => (link.as_str(), None),
                };
                let path = before_frag.split('?').next().unwrap_or("");
                if path.ends_with('/') || path == "." || path == ".." {
                    problems.push(format!(
                        "{at} names a folder; from file:// it must name index.html"
                    ));
                    continue;
                }
                if link.is_empty() {
                    problems.push(format!("{at} is empty"));
                    continue;
                }
                let target = match resolve_relative(page, path) {
                    Ok(t) => t,
                    Err(why) => {
                        problems.push(format!("{at} {why}"));
                        continue;
                    }
                };
                if !out.join(&target).is_file() {
                    problems.push(format!("{at} points at {target}, which does not exist"));
                    continue;
                }
                if let Some(f) = frag.filter(|f| !f.is_empty()) {
                    let f = percent_decode(f);
                    match page_ids.get(target.as_str()) {
                        Some(ids) if ids.contains(&f) => {}
                        Some(_) => {
                            problems.push(format!("{at}: {target} has no element with id=\"{f}\""))
                        }
                        None => problems.push(format!(
                            "{at}: a #fragment into {target}, which is not a page"
                        )),
                    }
                }
            }
        }
    }
    assert!(
        checked > pages.len() * 5,
        "only {checked} links found in {} pages: is the scanner working?",
        pages.len()
    );
    assert!(
        problems.is_empty(),
        "{} broken links in the archive build:\n{}",
        problems.len(),
        problems.join("\n")
    );
    // Styles pull nothing from the network either (no web fonts, no @import).
    for (path, bytes) in &snap {
        if path.ends_with(".css") {
            let css = String::from_utf8_lossy(bytes).to_lowercase();
            for bad in ["http:", "https:", "@import", "url(//"] {
                assert!(!css.contains(bad), "{path} contains `{bad}`");
            }
        }
    }
}

// ---------------------------------------------------------- the leak site

/// Markers planted in internal content, one per field; none may appear in a
/// public build, and each must appear in an internal build.
const MARKERS: &[&str] = &[
    // An internal office under a public province (its id, name, description).
    "leakmark-office-a1b2",
    "LEAKMARK-ENTITY-7f3a",
    "LEAKMARK-ENTDESC-2b9c",
    "LEAKMARK-OFFSRC-0e8d",
    // An internal metric (id, name, description) and its figure's source and note.
    "leakmark-metric-id-6c2f",
    "LEAKMARK-METRIC-4e1d",
    "LEAKMARK-METDESC-8a0f",
    "LEAKMARK-METSRC-3c7e",
    "LEAKMARK-METNOTE-5b0a",
    // An internal figure of a public entity (Gorontalo, 2014).
    "LEAKMARK-NOTE-9d2a",
    "LEAKMARK-SOURCE-1f6b",
    // An internal release: slug, title, summary, body, tag, programme.
    "leakmark-release-0a9b",
    "LEAKMARK-RELTITLE-5a3c",
    "LEAKMARK-RELSUMMARY-7b1e",
    "LEAKMARK-RELBODY-3f9d",
    "LEAKMARK-TAG-8d4e",
    "LEAKMARK-PROG-2c6a",
    // An internal release that shows the internal figure.
    "leakmark-figrelease-4d8b",
    "LEAKMARK-FIGRELTITLE-6e2a",
    // An internal meeting.
    "leakmark-meeting-9e7f",
    "LEAKMARK-MEETTITLE-6a2d",
    "LEAKMARK-LOCATION-1c5e",
    "LEAKMARK-MEETSUMMARY-0f4c",
    "LEAKMARK-ATTENDEE-0d3b",
    "LEAKMARK-MEETDECISION-5f1a",
    "LEAKMARK-MEETBODY-2a7d",
    // An internal page.
    "leakmark-page-2e4a",
    "LEAKMARK-PAGETITLE-9c0b",
    "LEAKMARK-PAGEDESC-3d5f",
    "LEAKMARK-PAGEBODY-8b6c",
    // An internal decision in the public meeting.
    "LEAKMARK-DECISION-7e3c",
];

/// The internal figure of Gorontalo (contributions, 2014), in every form it
/// could be written: raw, in full (id) and compact (id).
const SECRET_NUMBER: &[&str] = &["13579246", "13.579.246", "13,6 juta"];
/// The internal metric's actual and the internal office's actual, raw and in full.
const OTHER_SECRET_NUMBERS: &[&str] = &["24680135", "24.680.135", "11223344", "11.223.344"];

const INTERNAL_RELEASE: &str = "2017-03-01-leakmark-release-0a9b";
const INTERNAL_FIG_RELEASE: &str = "2017-03-02-leakmark-figrelease-4d8b";
const INTERNAL_MEETING: &str = "2017-03-02-leakmark-meeting-9e7f";

/// The example plus one internal item of every kind, each carrying markers.
fn leaky_site() -> tempfile::TempDir {
    let dir = copy_example();
    let r = dir.path();
    append(
        r,
        "content/data/entities.yaml",
        "
  - id: leakmark-office-a1b2
    name: Kantor LEAKMARK-ENTITY-7f3a
    kind: office
    parent: sulawesi-utara
    audience: internal
    description: Catatan LEAKMARK-ENTDESC-2b9c
",
    );
    append(
        r,
        "content/data/metrics.yaml",
        "
  - id: leakmark-metric-id-6c2f
    name: Ukuran LEAKMARK-METRIC-4e1d
    unit: count
    aggregate: none
    audience: internal
    description: Keterangan LEAKMARK-METDESC-8a0f
",
    );
    write(
        r,
        "content/data/figures/zz-internal.yaml",
        "figures:
  # An internal figure of a public entity.
  - entity: gorontalo
    metric: contributions
    period: 2014
    actual: 13579246
    note: Catatan LEAKMARK-NOTE-9d2a
    source: Sumber LEAKMARK-SOURCE-1f6b
    audience: internal
  # A figure of an internal metric (internal by inheritance).
  - entity: gorontalo
    metric: leakmark-metric-id-6c2f
    period: 2016
    target: 25000000
    actual: 24680135
    note: Catatan LEAKMARK-METNOTE-5b0a
    source: Sumber LEAKMARK-METSRC-3c7e
  # A figure of an internal entity (internal by inheritance), for a year
  # its public province has none of: a public province total beside a
  # single hidden office would give the office's figure away (a warning).
  - entity: leakmark-office-a1b2
    metric: contributions
    period: 2014
    target: 12000000
    actual: 11223344
    source: Sumber LEAKMARK-OFFSRC-0e8d
",
    );
    write(
        r,
        &format!("content/releases/{INTERNAL_RELEASE}.md"),
        &markdown(
            "title: Evaluasi LEAKMARK-RELTITLE-5a3c
date: 2017-03-01
entity: leakmark-office-a1b2
tags: [LEAKMARK-TAG-8d4e, manado]
programmes: [LEAKMARK-PROG-2c6a, JHT]
summary: Ringkasan LEAKMARK-RELSUMMARY-7b1e.
meeting: 2017-01-31-rakorwil-manado
audience: internal
",
            "Isi LEAKMARK-RELBODY-3f9d: iuran kantor \
             {{< value entity=\"leakmark-office-a1b2\" metric=\"contributions\" period=2014 form=\"full\" >}}.",
        ),
    );
    write(
        r,
        &format!("content/releases/{INTERNAL_FIG_RELEASE}.md"),
        &markdown(
            "title: Catatan LEAKMARK-FIGRELTITLE-6e2a
date: 2017-03-02
entity: gorontalo
tags: [manado]
audience: internal
",
            "Iuran Gorontalo 2014: \
             {{< value entity=\"gorontalo\" metric=\"contributions\" period=2014 form=\"full\" >}}, \
             ringkas {{< value entity=\"gorontalo\" metric=\"contributions\" period=2014 >}}.\n\n\
             {{< card entity=\"gorontalo\" metric=\"leakmark-metric-id-6c2f\" period=2016 >}}",
        ),
    );
    write(
        r,
        &format!("content/meetings/{INTERNAL_MEETING}.md"),
        &markdown(
            "title: Rapat LEAKMARK-MEETTITLE-6a2d
date: 2017-03-02
location: Ruang LEAKMARK-LOCATION-1c5e
entity: gorontalo
summary: Ringkasan LEAKMARK-MEETSUMMARY-0f4c.
attendees:
  - name: Bapak LEAKMARK-ATTENDEE-0d3b
    role: Kepala
decisions:
  - Keputusan LEAKMARK-MEETDECISION-5f1a
targets:
  - metric: contributions
    period: 2017
audience: internal
",
            "Isi LEAKMARK-MEETBODY-2a7d.",
        ),
    );
    write(
        r,
        "content/pages/leakmark-page-2e4a.md",
        &markdown(
            "title: Halaman LEAKMARK-PAGETITLE-9c0b
description: Keterangan LEAKMARK-PAGEDESC-3d5f
menu: 3
audience: internal
",
            "Isi LEAKMARK-PAGEBODY-8b6c.",
        ),
    );
    replace_in(
        r,
        MEETING_FILE,
        "\ntargets:\n",
        "\n  - text: \"Keputusan LEAKMARK-DECISION-7e3c\"\n    audience: internal\ntargets:\n",
    );
    dir
}

/// Output paths that exist only for internal items.
const INTERNAL_ONLY_PATHS: &[&str] = &[
    "regions/leakmark-office-a1b2/index.html",
    "regions/leakmark-office-a1b2/data.csv",
    "releases/2017-03-01-leakmark-release-0a9b/index.html",
    "releases/2017-03-02-leakmark-figrelease-4d8b/index.html",
    "meetings/2017-03-02-leakmark-meeting-9e7f/index.html",
    "leakmark-page-2e4a/index.html",
    "tags/leakmark-tag-8d4e/index.html",
    "programmes/leakmark-prog-2c6a/index.html",
    "years/2014/index.html",
];

// ------------------------------------------------------------------ tests

#[test]
fn a_public_build_leaks_nothing_internal_in_any_file() {
    let site = leaky_site();
    let out = site.path().join("out-public");
    build_clean(site.path(), &out, Audience::Public, false);
    let snap = snapshot(&out);
    assert!(
        snap.contains_key(".rekap-build"),
        "the marker file is checked too"
    );
    assert!(snap.contains_key("data/figures.csv") && snap.contains_key("search/index.js"));

    let mut leaks = Vec::new();
    for needle in MARKERS
        .iter()
        .chain(SECRET_NUMBER)
        .chain(OTHER_SECRET_NUMBERS)
        .chain(&["leakmark"])
    {
        for place in occurrences(&snap, needle) {
            leaks.push(format!("`{needle}` in {place}"));
        }
    }
    assert!(
        leaks.is_empty(),
        "internal content leaked into the public build:\n{}",
        leaks.join("\n")
    );

    for path in INTERNAL_ONLY_PATHS {
        assert!(
            !out.join(path).exists(),
            "{path} exists in the public build"
        );
    }
    // The internal 2014 actual must not feed the public 2015 growth either.
    let rows = csv_rows(&out, "data/figures.csv");
    let g = rows
        .iter()
        .find(|r| {
            r["entity"] == "gorontalo" && r["metric"] == "contributions" && r["period"] == "2015"
        })
        .expect("Gorontalo's 2015 contributions row");
    assert_eq!(
        g["growth"], "",
        "growth over an internal figure is public: {g:?}"
    );
    // The public tag page counts only public releases.
    let manado = out_text(&out, "tags/manado/index.html");
    assert_eq!(
        manado.matches("class=\"item-title\"").count(),
        1,
        "{manado}"
    );

    // No trace at all: the public build is byte for byte the public build of
    // the example without the internal items.
    let plain = copy_example();
    let plain_out = plain.path().join("out-public");
    build_clean(plain.path(), &plain_out, Audience::Public, false);
    let without = snapshot(&plain_out);
    let differ: Vec<&String> = snap
        .keys()
        .chain(without.keys())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .filter(|k| snap.get(*k) != without.get(*k))
        .collect();
    assert!(
        differ.is_empty(),
        "adding internal items changed the public build: {differ:?}"
    );
}

#[test]
fn an_internal_build_shows_everything_and_says_it_is_internal_on_every_page() {
    let site = leaky_site();
    let out = site.path().join("out-internal");
    build_clean(site.path(), &out, Audience::Internal, false);
    let snap = snapshot(&out);

    let missing: Vec<&&str> = MARKERS
        .iter()
        .filter(|m| occurrences(&snap, m).is_empty())
        .collect();
    assert!(missing.is_empty(), "the internal build lacks {missing:?}");
    for path in INTERNAL_ONLY_PATHS {
        assert!(
            out.join(path).is_file(),
            "{path} is missing from the internal build"
        );
    }
    let fig_release = out_text(&out, &format!("releases/{INTERNAL_FIG_RELEASE}/index.html"));
    assert_eq!(
        html::text(html::containing(&fig_release, "p", "Iuran Gorontalo 2014:")),
        "Iuran Gorontalo 2014: Rp13.579.246, ringkas Rp13,6 juta.",
        "the internal release shows the internal figure"
    );

    let pages = html_files(&snap);
    assert!(pages.len() > 30);
    for (path, html) in &pages {
        assert!(
            html.contains("class=\"banner-internal\""),
            "{path} has no internal banner"
        );
        assert!(
            html.contains("<meta name=\"robots\" content=\"noindex"),
            "{path} does not ask not to be indexed"
        );
    }
    let robots = out_text(&out, "robots.txt");
    assert!(
        robots.lines().any(|l| l.trim() == "Disallow: /"),
        "robots.txt:\n{robots}"
    );
    assert!(
        !robots.contains("Sitemap:"),
        "an internal build does not advertise a sitemap"
    );
    assert!(out_text(&out, ".rekap-build").contains("audience: internal"));

    // Internal items are marked where they are listed and on their own pages.
    let list = out_text(&out, "releases/index.html");
    let item = |title: &str| -> String {
        list.split("<li")
            .find(|chunk| chunk.contains(title))
            .unwrap_or_else(|| panic!("releases/index.html does not list {title}"))
            .to_string()
    };
    assert!(item("LEAKMARK-RELTITLE-5a3c").contains("tag-internal"));
    assert!(item("LEAKMARK-FIGRELTITLE-6e2a").contains("tag-internal"));
    assert!(
        !item("Tetapkan Sasaran Kepesertaan").contains("tag-internal"),
        "the public release is not marked internal"
    );
    let meeting = out_text(&out, MEETING_PAGE);
    let decision = meeting
        .split("<li>")
        .find(|c| c.contains("LEAKMARK-DECISION-7e3c"))
        .expect("the internal decision is listed in the internal build");
    assert!(decision.contains("tag-internal"), "{decision}");
    for page in [
        "regions/leakmark-office-a1b2/index.html",
        "meetings/2017-03-02-leakmark-meeting-9e7f/index.html",
        "leakmark-page-2e4a/index.html",
    ] {
        let text = out_text(&out, page);
        let h1 = html::one(&text, "h1", None);
        assert!(
            html::all(h1, "span", Some("tag-internal")).len() == 1,
            "{page} is not marked internal in its title: {h1}"
        );
    }
}

/// The example plus an internal metric `rahasia`, the figure records
/// `figures` and an internal meeting whose `targets:` are `target`.
fn site_with_internal_meeting_target(figures: &str, target: &str) -> tempfile::TempDir {
    let site = copy_example();
    let r = site.path();
    append(
        r,
        "content/data/metrics.yaml",
        "
  - id: rahasia
    name: Ukuran rahasia
    unit: count
    aggregate: none
    audience: internal
",
    );
    write(r, "content/data/figures/zz-internal.yaml", figures);
    write(
        r,
        "content/meetings/2017-03-09-rapat-internal.md",
        &markdown(
            &format!(
                "title: Rapat internal\ndate: 2017-03-09\nlocation: Gorontalo\nentity: gorontalo\naudience: internal\ntargets:\n{target}"
            ),
            "Isi.",
        ),
    );
    site
}

/// Both builds succeed; only the internal one has the meeting, with its
/// target in its targets-set table: the row of `metric_name` shows
/// `target_text`, with the amount in full, `full`, as its title.
fn assert_internal_meeting_builds_for_both_audiences(
    site: &Path,
    metric_name: &str,
    target_text: &str,
    full: &str,
) {
    let page = "meetings/2017-03-09-rapat-internal/index.html";
    let public = site.join("out-public");
    let report = try_build_into(site, &public, Audience::Public)
        .unwrap_or_else(|e| panic!("an internal meeting must not break the public build:\n{e}"));
    assert!(report.warnings.is_empty(), "{}", listing(&report.warnings));
    assert!(!public.join(page).exists());
    let internal = site.join("out-internal");
    try_build_into(site, &internal, Audience::Internal)
        .unwrap_or_else(|e| panic!("the internal build must succeed:\n{e}"));
    let meeting = out_text(&internal, page);
    let targets = html::table_after(&meeting, "Target yang ditetapkan");
    let row = html::row(targets, metric_name);
    assert_eq!(row.cells[2], target_text, "{:?}", row.cells);
    let amount = html::all(row.html, "td", None)[1];
    assert_eq!(
        html::attr(html::one(amount, "span", None), "title"),
        Some(full)
    );
}

#[test]
fn an_internal_meeting_may_set_a_target_of_an_internal_metric() {
    let site = site_with_internal_meeting_target(
        "figures:\n  - {entity: gorontalo, metric: rahasia, period: 2017, target: 4242, source: Catatan}\n",
        "  - metric: rahasia\n    period: 2017\n",
    );
    assert_internal_meeting_builds_for_both_audiences(
        site.path(),
        "Ukuran rahasia",
        "2017: 4,24 ribu",
        "4.242",
    );
}

#[test]
fn an_internal_meeting_may_set_an_internal_target_of_a_public_metric() {
    let site = site_with_internal_meeting_target(
        "figures:\n  - {entity: gorontalo, metric: contributions, period: 2018, target: 77000000000, source: Catatan, audience: internal}\n",
        "  - metric: contributions\n    period: 2018\n",
    );
    assert_internal_meeting_builds_for_both_audiences(
        site.path(),
        "Iuran",
        "2018: Rp77 miliar",
        "Rp77.000.000.000",
    );
}

#[test]
fn a_public_release_showing_an_internal_figure_is_an_error_with_file_and_line() {
    let site = copy_example();
    let r = site.path();
    append(
        r,
        "content/data/figures/provinces-illustrative.yaml",
        "  - {entity: gorontalo, metric: contributions, period: 2014, actual: 13579246, audience: internal}\n",
    );
    let file = "content/releases/2017-03-03-bocor.md";
    let shortcode = "{{< value entity=\"gorontalo\" metric=\"contributions\" period=2014 >}}";
    write(
        r,
        file,
        &markdown(
            "title: Rilis publik\ndate: 2017-03-03\n",
            &format!("Paragraf pertama.\n\nIuran 2014: {shortcode}.\n"),
        ),
    );
    let line = line_of(r, file, shortcode);
    for audience in [Audience::Public, Audience::Internal] {
        let diags = content_errors(try_build(r, audience));
        let hit = diags.iter().find(|d| {
            d.is_error()
                && d.origin.file == file
                && d.origin.pos.line == line
                && d.message.contains("internal")
                && d.message.contains("gorontalo")
        });
        assert!(
            hit.is_some(),
            "{} build: expected an error at {file}:{line} about the internal figure, got:\n{}",
            audience.as_str(),
            listing(&diags)
        );
        assert!(!r.join("out").exists(), "a failed build writes nothing");
    }
}

#[test]
fn a_public_release_about_an_internal_entity_is_an_error() {
    let site = copy_example();
    let r = site.path();
    append(
        r,
        "content/data/entities.yaml",
        "  - {id: kc-rahasia, name: Rahasia, kind: office, parent: sulawesi-utara, audience: internal}\n",
    );
    let file = "content/releases/2017-03-03-tentang-kantor.md";
    write(
        r,
        file,
        &markdown(
            "title: Rilis publik\ndate: 2017-03-03\nentity: kc-rahasia\n",
            "Isi.",
        ),
    );
    let line = line_of(r, file, "entity: kc-rahasia");
    for audience in [Audience::Public, Audience::Internal] {
        let diags = content_errors(try_build(r, audience));
        assert!(
            diags.iter().any(|d| d.is_error()
                && d.origin.file == file
                && d.origin.pos.line == line
                && d.message.contains("kc-rahasia")
                && d.message.contains("internal")),
            "{} build: expected an error at {file}:{line}, got:\n{}",
            audience.as_str(),
            listing(&diags)
        );
    }
}

#[test]
fn a_public_release_reporting_on_an_internal_meeting_is_an_error() {
    let site = copy_example();
    let r = site.path();
    write(
        r,
        "content/meetings/2017-03-01-rapat-tertutup.md",
        &markdown(
            "title: Rapat tertutup\ndate: 2017-03-01\nlocation: Manado\naudience: internal\n",
            "Isi.",
        ),
    );
    let file = "content/releases/2017-03-03-hasil-rapat.md";
    write(
        r,
        file,
        &markdown(
            "title: Rilis publik\ndate: 2017-03-03\nmeeting: 2017-03-01-rapat-tertutup\n",
            "Isi.",
        ),
    );
    let line = line_of(r, file, "meeting: 2017-03-01-rapat-tertutup");
    for audience in [Audience::Public, Audience::Internal] {
        let diags = content_errors(try_build(r, audience));
        assert!(
            diags.iter().any(|d| d.is_error()
                && d.origin.file == file
                && d.origin.pos.line == line
                && d.message.contains("internal")),
            "{} build: expected an error at {file}:{line}, got:\n{}",
            audience.as_str(),
            listing(&diags)
        );
    }
}

#[test]
fn a_build_never_overwrites_a_build_for_the_other_audience_without_force() {
    let site = copy_example();
    let top = site.path();
    let out = top.join("out");
    build_into(top, &out, Audience::Public, false);
    assert!(out_text(&out, ".rekap-build").contains("audience: public"));
    let before = snapshot(&out);
    let siblings_before = snapshot(top)
        .keys()
        .filter(|k| !k.starts_with("out/"))
        .cloned()
        .collect::<Vec<_>>();

    let mut o = options(top);
    o.output = out.clone();
    o.audience = Audience::Internal;
    match rekap::build(&o) {
        Err(Error::Write(e)) => {
            let msg = e.to_string();
            assert!(
                msg.contains("public") && msg.contains("--force"),
                "the refusal says what is there and how to override: {msg}"
            );
        }
        other => panic!("expected a refusal to write over the public build, got {other:?}"),
    }
    assert_eq!(snapshot(&out), before, "the public build is untouched");
    let siblings_after = snapshot(top)
        .keys()
        .filter(|k| !k.starts_with("out/"))
        .cloned()
        .collect::<Vec<_>>();
    assert_eq!(
        siblings_before, siblings_after,
        "nothing left beside the output"
    );

    o.force = true;
    rekap::build(&o).unwrap_or_else(|e| panic!("--force writes over it:\n{e}"));
    assert!(out_text(&out, ".rekap-build").contains("audience: internal"));
    assert!(out_text(&out, "index.html").contains("banner-internal"));

    // And back: a public build over the internal one is refused too.
    let internal = snapshot(&out);
    let mut p = options(top);
    p.output = out.clone();
    assert!(matches!(rekap::build(&p), Err(Error::Write(_))));
    assert_eq!(snapshot(&out), internal);
    p.force = true;
    rekap::build(&p).unwrap_or_else(|e| panic!("--force writes over it:\n{e}"));
    assert!(out_text(&out, ".rekap-build").contains("audience: public"));
    assert!(!out_text(&out, "index.html").contains("banner-internal"));
}

/// The one relative folder link the example's own Markdown holds (see the
/// ignored test below); root-relative links are rewritten by archive mode.
fn without_relative_folder_link(root: &Path) {
    replace_in(
        root,
        "content/pages/tentang.md",
        "[Metodologi](../metodologi/)",
        "[Metodologi](/metodologi/)",
    );
}

#[test]
fn an_archive_build_opens_from_disk_every_link_resolves_and_nothing_is_fetched() {
    let site = copy_example();
    without_relative_folder_link(site.path());
    let out = site.path().join("archive");
    build_clean(site.path(), &out, Audience::Public, true);
    assert_archive_links_resolve(&out);
}

#[test]
fn an_archive_build_of_the_example_as_it_is_opens_from_disk() {
    let site = copy_example();
    let out = site.path().join("archive");
    build_clean(site.path(), &out, Audience::Public, true);
    assert_archive_links_resolve(&out);
}

#[test]
fn an_archive_build_makes_relative_folder_links_in_markdown_open_the_page() {
    let site = copy_example();
    write(
        site.path(),
        "content/releases/2017-03-08-tautan-relatif.md",
        &markdown(
            "title: Tautan relatif\ndate: 2017-03-08\n",
            "Lihat [Gorontalo](../../regions/gorontalo/) dan [catatan](./#main).",
        ),
    );
    let out = site.path().join("archive");
    build_clean(site.path(), &out, Audience::Public, true);
    let html = out_text(&out, "releases/2017-03-08-tautan-relatif/index.html");
    assert!(
        html.contains("href=\"../../regions/gorontalo/index.html\""),
        "the folder link is made to open the page from disk"
    );
}

#[test]
fn an_internal_archive_build_of_a_site_with_internal_items_opens_from_disk_too() {
    let site = leaky_site();
    without_relative_folder_link(site.path());
    let out = site.path().join("archive");
    build_clean(site.path(), &out, Audience::Internal, true);
    assert_archive_links_resolve(&out);
}

/// The example plus a second public release (about Gorontalo) and an internal one.
fn site_with_more_releases() -> tempfile::TempDir {
    let dir = copy_example();
    write(
        dir.path(),
        "content/releases/2017-03-05-gorontalo.md",
        &markdown(
            "title: Iuran Gorontalo & Sulawesi 2016\ndate: 2017-03-05\nentity: gorontalo\ntags: [iuran, gorontalo]\n",
            "Gorontalo mencatat iuran {{< value entity=\"gorontalo\" metric=\"contributions\" period=2016 >}}.",
        ),
    );
    write(
        dir.path(),
        "content/releases/2017-03-06-internal.md",
        &markdown(
            "title: Catatan internal\ndate: 2017-03-06\nentity: gorontalo\naudience: internal\n",
            "Isi.",
        ),
    );
    dir
}

/// Maps an absolute URL under `base` to an output file path.
fn file_of_url(url: &str, base: &str) -> String {
    let rest = url
        .strip_prefix(base)
        .unwrap_or_else(|| panic!("{url} is not under {base}"));
    if rest.is_empty() || rest.ends_with('/') {
        format!("{rest}index.html")
    } else {
        rest.to_string()
    }
}

const ATOM: &str = "http://www.w3.org/2005/Atom";

/// The first child element of `n` named `name` in the Atom namespace.
fn atom_child<'a, 'i>(n: roxmltree::Node<'a, 'i>, name: &str) -> Option<roxmltree::Node<'a, 'i>> {
    n.children()
        .find(|c| c.tag_name().name() == name && c.tag_name().namespace() == Some(ATOM))
}

/// The entries of the Atom feed at `rel`: (title, id, alternate link).
fn atom_entries(out: &Path, rel: &str, base: &str) -> Vec<(String, String, String)> {
    let text = out_text(out, rel);
    let doc = roxmltree::Document::parse(&text)
        .unwrap_or_else(|e| panic!("{rel} is not well-formed XML: {e}"));
    let feed = doc.root_element();
    assert_eq!(feed.tag_name().name(), "feed", "{rel}");
    assert_eq!(feed.tag_name().namespace(), Some(ATOM), "{rel} is Atom");
    let child = atom_child;
    for required in ["title", "id", "updated"] {
        assert!(child(feed, required).is_some(), "{rel} has no <{required}>");
    }
    let feed_id = child(feed, "id").and_then(|n| n.text()).unwrap_or("");
    assert!(feed_id.starts_with(base), "{rel}: feed id {feed_id}");
    let self_link = feed
        .children()
        .find(|c| c.tag_name().name() == "link" && c.attribute("rel") == Some("self"))
        .and_then(|l| l.attribute("href"))
        .expect("a self link");
    assert_eq!(self_link, format!("{base}{rel}"), "{rel}: self link");

    feed.children()
        .filter(|c| c.tag_name().name() == "entry" && c.tag_name().namespace() == Some(ATOM))
        .map(|e| {
            let text = |name: &str| {
                child(e, name)
                    .and_then(|n| n.text())
                    .unwrap_or_else(|| panic!("{rel}: an entry without <{name}>"))
                    .to_string()
            };
            for required in ["updated", "summary"] {
                assert!(
                    child(e, required).is_some(),
                    "{rel}: entry without <{required}>"
                );
            }
            let link = e
                .children()
                .find(|c| {
                    c.tag_name().name() == "link"
                        && c.attribute("rel").is_none_or(|r| r == "alternate")
                })
                .and_then(|l| l.attribute("href"))
                .unwrap_or_else(|| panic!("{rel}: an entry without a link"))
                .to_string();
            (text("title"), text("id"), link)
        })
        .collect()
}

#[test]
fn the_release_feeds_are_atom_with_one_entry_per_public_release_and_absolute_links() {
    let site = site_with_more_releases();
    let out = site.path().join("out");
    build_clean(site.path(), &out, Audience::Public, false);

    let entries = atom_entries(&out, "releases/atom.xml", BASE_URL);
    let titles: Vec<&str> = entries.iter().map(|(t, _, _)| t.as_str()).collect();
    assert_eq!(
        titles,
        [
            "Iuran Gorontalo & Sulawesi 2016",
            "BPJS Ketenagakerjaan Sulawesi dan Maluku Tetapkan Sasaran Kepesertaan dan Iuran 2017"
        ],
        "one entry per public release, newest first"
    );
    for (title, id, link) in &entries {
        assert!(id.starts_with(BASE_URL), "{title}: id {id} is absolute");
        assert!(
            link.starts_with(BASE_URL),
            "{title}: link {link} is absolute"
        );
        let file = file_of_url(link, BASE_URL);
        assert!(out.join(&file).is_file(), "{title}: {link} → {file} exists");
    }
    assert_eq!(entries[1].2, format!("{BASE_URL}releases/{RELEASE_SLUG}/"));

    // One feed per entity with releases, holding only that entity's.
    let g = atom_entries(&out, "regions/gorontalo/atom.xml", BASE_URL);
    assert_eq!(g.len(), 1, "{g:?}");
    assert_eq!(g[0].0, "Iuran Gorontalo & Sulawesi 2016");
    let sm = atom_entries(&out, "regions/sulawesi-maluku/atom.xml", BASE_URL);
    assert_eq!(sm.len(), 1, "{sm:?}");
    assert!(
        !out.join("regions/maluku/atom.xml").exists(),
        "no empty feeds"
    );
}

/// Every `<loc>` of the sitemap in `out`.
fn sitemap_locs(out: &Path) -> Vec<String> {
    let text = out_text(out, "sitemap.xml");
    let doc = roxmltree::Document::parse(&text)
        .unwrap_or_else(|e| panic!("sitemap.xml is not well-formed XML: {e}"));
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "urlset");
    assert_eq!(
        root.tag_name().namespace(),
        Some("http://www.sitemaps.org/schemas/sitemap/0.9")
    );
    root.descendants()
        .filter(|n| n.tag_name().name() == "loc")
        .map(|n| n.text().unwrap_or("").to_string())
        .collect()
}

fn assert_sitemap_lists_every_page(out: &Path, base: &str) {
    let locs = sitemap_locs(out);
    let unique: BTreeSet<&String> = locs.iter().collect();
    assert_eq!(unique.len(), locs.len(), "no URL twice: {locs:?}");
    let mut listed = BTreeSet::new();
    for loc in &locs {
        assert!(
            loc.starts_with(base),
            "{loc} is an absolute URL under {base}"
        );
        let file = file_of_url(loc, base);
        assert!(out.join(&file).is_file(), "{loc} → {file} exists");
        listed.insert(file);
    }
    let snap = snapshot(out);
    let pages: BTreeSet<String> = html_files(&snap)
        .into_iter()
        .map(|(p, _)| p.to_string())
        .filter(|p| p != "404.html")
        .collect();
    assert_eq!(listed, pages, "the sitemap lists every page but 404.html");
}

#[test]
fn the_sitemap_lists_every_page_and_robots_txt_names_it() {
    let site = site_with_more_releases();
    let out = site.path().join("out");
    build_clean(site.path(), &out, Audience::Public, false);
    assert_sitemap_lists_every_page(&out, BASE_URL);
    let robots = out_text(&out, "robots.txt");
    assert!(
        robots
            .lines()
            .any(|l| l.trim() == "Sitemap: https://rekap.example/sitemap.xml"),
        "robots.txt:\n{robots}"
    );
    assert!(
        !robots.contains("Disallow: /\n"),
        "a public build may be indexed"
    );

    // Under a base URL with a path, every URL keeps the path.
    let base = "https://contoh.go.id/laporan/";
    let out2 = site.path().join("out-sub");
    let mut o = options(site.path());
    o.output = out2.clone();
    o.base_url = Some("https://contoh.go.id/laporan".into());
    rekap::build(&o).unwrap_or_else(|e| panic!("{e}"));
    assert_sitemap_lists_every_page(&out2, base);
    for (_, id, link) in atom_entries(&out2, "releases/atom.xml", base) {
        assert!(
            id.starts_with(base) && link.starts_with(base),
            "{id} {link}"
        );
    }
    assert!(
        out_text(&out2, "robots.txt").contains("Sitemap: https://contoh.go.id/laporan/sitemap.xml")
    );
}

#[test]
fn the_search_index_finds_the_meeting_and_the_release_for_manado() {
    let site = copy_example();
    let out = site.path().join("out");
    build_clean(site.path(), &out, Audience::Public, false);

    let index = json_file(&out, "search/index.json");
    let docs = index.as_array().expect("the index is a list of documents");
    assert!(
        docs.len() >= 14,
        "releases, meetings, pages and entities: {}",
        docs.len()
    );
    let field = |d: &serde_json::Value, k: &str| d[k].as_str().unwrap_or("").to_string();
    // The same matching as the search page: every word in title, text or kind.
    let search = |q: &str| -> Vec<String> {
        let words: Vec<String> = q.split_whitespace().map(str::to_lowercase).collect();
        docs.iter()
            .filter(|d| {
                let hay =
                    format!("{} {} {}", field(d, "t"), field(d, "s"), field(d, "k")).to_lowercase();
                words.iter().all(|w| hay.contains(w.as_str()))
            })
            .map(|d| field(d, "u"))
            .collect()
    };
    let hits = search("manado");
    assert!(hits.contains(&RELEASE_URL.to_string()), "{hits:?}");
    assert!(hits.contains(&MEETING_URL.to_string()), "{hits:?}");
    assert!(
        hits.contains(&"/regions/kc-manado/".to_string()),
        "{hits:?}"
    );
    assert!(search("manado zzzz-tidak-ada").is_empty());
    for d in docs {
        assert!(!field(d, "t").is_empty(), "every document has a title: {d}");
        let file = file_of_url(&field(d, "u"), "/");
        assert!(
            out.join(&file).is_file(),
            "{d} points at {file}, which exists"
        );
    }

    let script = out_text(&out, "search/index.js");
    let payload = script
        .strip_prefix("window.REKAP_SEARCH = ")
        .expect("index.js starts with `window.REKAP_SEARCH = `")
        .trim_end()
        .strip_suffix(';')
        .expect("index.js ends with `;`");
    let from_script: serde_json::Value =
        serde_json::from_str(payload).expect("index.js holds JSON");
    assert_eq!(
        from_script, index,
        "index.js and index.json hold the same documents"
    );
}

#[test]
fn downloads_read_back_as_the_figures_they_come_from() {
    let site = copy_example();
    let out = site.path().join("out");
    build_clean(site.path(), &out, Audience::Public, false);

    let all = csv_rows(&out, "data/figures.csv");
    let row = all
        .iter()
        .find(|r| {
            r["entity"] == "sulawesi-maluku"
                && r["metric"] == "contributions"
                && r["period"] == "2016"
        })
        .expect("a row for sulawesi-maluku, contributions, 2016");
    let num = |k: &str| -> f64 {
        row[k]
            .parse()
            .unwrap_or_else(|_| panic!("`{k}` is a raw number, got {:?}", row[k]))
    };
    assert_eq!(row["actual"], "956000000000", "raw, no separators");
    assert_eq!(num("actual"), 956_000_000_000.0);
    assert_eq!(num("target"), 814_000_000_000.0);
    assert!(
        (num("attainment") - 1.1744).abs() < 5e-5,
        "{}",
        row["attainment"]
    );
    assert_eq!(row["status"], "achieved");
    assert_eq!(row["unit"], "currency");
    assert_eq!(row["currency"], "IDR");
    assert_eq!(
        row["source"],
        "Paparan Rapat Koordinasi Wilayah Sulawesi dan Maluku, Manado, 31 Januari 2017 (laporan berita publik, Januari 2017)"
    );
    assert_eq!(row["actual_display"], "Rp956.000.000.000");
    assert_eq!(row["target_display"], "Rp814.000.000.000");
    assert_eq!(row["attainment_display"], "117,4%");
    assert_eq!(row["status_display"], "Tercapai");

    // The JSON download holds the same rows, with numbers as numbers.
    let json = json_file(&out, "data/figures.json");
    let jrows = json["figures"].as_array().expect("{\"figures\": [...]}");
    assert_eq!(
        jrows.len(),
        all.len(),
        "same number of rows in CSV and JSON"
    );
    for (i, (c, j)) in all.iter().zip(jrows).enumerate() {
        for (k, v) in c {
            let same = match &j[k] {
                serde_json::Value::Null => v.is_empty(),
                // serde_json parses floats to within an ulp or so, not exactly.
                serde_json::Value::Number(n) => match (v.parse::<f64>(), n.as_f64()) {
                    (Ok(a), Some(b)) => (a - b).abs() <= 1e-12 * a.abs().max(1.0),
                    _ => false,
                },
                serde_json::Value::String(s) => s == v,
                other => panic!("row {i}: `{k}` is {other}"),
            };
            assert!(same, "row {i}, `{k}`: CSV {v:?}, JSON {}", j[k]);
        }
    }
    let record = figure_of_build(&out, "sulawesi-maluku", "contributions", "2016");
    assert_eq!(
        record.fields.get("actual"),
        Some(&figures::Json::Number("956000000000.0".into())),
        "a JSON number, not a string"
    );
    assert_eq!(record.actual, Some(956_000_000_000.0));
    assert_eq!(record.attainment, Some(956e9 / 814e9));

    // Per-entity and per-year downloads hold exactly their share of the rows.
    let gorontalo = csv_rows(&out, "regions/gorontalo/data.csv");
    assert!(!gorontalo.is_empty());
    assert!(
        gorontalo.iter().all(|r| r["entity"] == "gorontalo"),
        "{gorontalo:?}"
    );
    let expected: Vec<_> = all.iter().filter(|r| r["entity"] == "gorontalo").collect();
    assert_eq!(gorontalo.iter().collect::<Vec<_>>(), expected);
    let gj = json_file(&out, "regions/gorontalo/data.json");
    assert_eq!(
        gj["figures"].as_array().map(Vec::len),
        Some(gorontalo.len())
    );

    let y2016 = csv_rows(&out, "years/2016/data.csv");
    assert!(!y2016.is_empty());
    assert!(
        y2016
            .iter()
            .all(|r| r["period"] == "2016" || r["period"].starts_with("2016-")),
        "only 2016 rows"
    );
    let expected: Vec<_> = all
        .iter()
        .filter(|r| r["period"] == "2016" || r["period"].starts_with("2016-"))
        .collect();
    assert_eq!(y2016.iter().collect::<Vec<_>>(), expected);
}

#[test]
fn a_target_computed_from_growth_is_downloaded_as_the_exact_amount() {
    let site = copy_example();
    let out = site.path().join("out");
    build_clean(site.path(), &out, Audience::Public, false);
    let all = csv_rows(&out, "data/figures.csv");
    let row = all
        .iter()
        .find(|r| {
            r["entity"] == "sulawesi-maluku"
                && r["metric"] == "contributions"
                && r["period"] == "2017"
        })
        .expect("a row for sulawesi-maluku, contributions, 2017");
    // 956 000 000 000 × 1.15 = 1 099 400 000 000 exactly, not 1 099 399 999 999.99…
    assert_eq!(row["target"], "1099400000000");
    assert_eq!(row["target_display"], "Rp1.099.400.000.000");
    let record = figure_of_build(&out, "sulawesi-maluku", "contributions", "2017");
    assert_eq!(record.target, Some(1_099_400_000_000.0));
    assert_eq!(record.target_display, "Rp1.099.400.000.000");
}

#[test]
fn builds_are_deterministic_for_either_audience_and_in_archive_mode() {
    let site = leaky_site();
    for audience in [Audience::Public, Audience::Internal] {
        let a = site.path().join(format!("a-{}", audience.as_str()));
        let b = site.path().join(format!("b-{}", audience.as_str()));
        build_into(site.path(), &a, audience, true);
        build_into(site.path(), &b, audience, true);
        let (sa, sb) = (snapshot(&a), snapshot(&b));
        let differ: Vec<&String> = sa
            .keys()
            .chain(sb.keys())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .filter(|k| sa.get(*k) != sb.get(*k))
            .collect();
        assert!(
            differ.is_empty(),
            "two {} archive builds differ in {differ:?}",
            audience.as_str()
        );
    }
}

#[test]
fn tag_and_programme_pages_list_their_releases() {
    let site = copy_example();
    let out = site.path().join("out");
    build_clean(site.path(), &out, Audience::Public, false);

    let tags = out_text(&out, "tags/index.html");
    let links: BTreeSet<String> = start_tags(&tags)
        .iter()
        .filter(|t| t.name == "a" && t.attr("class") == Some("item-title"))
        .filter_map(|t| t.attr("href").map(str::to_string))
        .collect();
    let expected: BTreeSet<String> = ["target", "kepesertaan", "iuran", "rakorwil", "manado"]
        .iter()
        .map(|t| format!("/tags/{t}/"))
        .collect();
    assert_eq!(links, expected, "tags/index.html lists the example's tags");
    for t in ["target", "kepesertaan", "iuran", "rakorwil", "manado"] {
        let page = out_text(&out, &format!("tags/{t}/index.html"));
        assert!(
            page.contains(&format!("href=\"{RELEASE_URL}\"")),
            "tags/{t}/ links the release"
        );
    }

    let programmes = out_text(&out, "programmes/index.html");
    for p in ["JHT", "JKK", "JKM", "JP"] {
        let slug = p.to_lowercase();
        assert!(
            programmes.contains(&format!("href=\"/programmes/{slug}/\"")),
            "programmes/index.html lists {p}"
        );
        let page = out_text(&out, &format!("programmes/{slug}/index.html"));
        assert!(
            page.contains(&format!("href=\"{RELEASE_URL}\"")),
            "programmes/{slug}/ links the release"
        );
    }
    let release = out_text(&out, RELEASE_PAGE);
    assert!(
        release.contains("href=\"/tags/manado/\""),
        "the release links its tags"
    );
    assert!(
        release.contains("href=\"/programmes/jht/\""),
        "the release links its programmes"
    );
}

#[test]
fn check_reports_a_broken_internal_link_and_a_missing_anchor_where_they_were_written() {
    let site = copy_example();
    let r = site.path();
    write(
        r,
        "content/releases/2017-03-07-tautan.md",
        &markdown(
            "title: Tautan\ndate: 2017-03-07\n",
            "Lihat [x](/tidak-ada/) dan [y](/regions/gorontalo/#nope).",
        ),
    );
    let file = "content/releases/2017-03-07-tautan.md";
    let page = "releases/2017-03-07-tautan/index.html";
    let diags = content_errors(check(r, false));
    let broken = diags
        .iter()
        .find(|d| d.message.contains("broken link") && d.message.contains("/tidak-ada/"))
        .unwrap_or_else(|| panic!("no broken link reported:\n{}", listing(&diags)));
    assert!(broken.is_error());
    // At the Markdown file, line and column the link was written at; the
    // help names the built page.
    let link_at = position_of(r, file, "/tidak-ada/");
    assert_eq!(broken.origin.file, file, "{broken}");
    assert_eq!(
        (broken.origin.pos.line, broken.origin.pos.column),
        link_at,
        "{broken}"
    );
    assert!(
        broken.help.as_deref().unwrap_or("").contains(page),
        "{broken}"
    );
    let anchor = diags
        .iter()
        .find(|d| d.message.contains("#nope"))
        .unwrap_or_else(|| panic!("no missing anchor reported:\n{}", listing(&diags)));
    let at = position_of(r, file, "/regions/gorontalo/#nope");
    assert!(anchor.is_error() && anchor.origin.file == file, "{anchor}");
    assert_eq!(
        (anchor.origin.pos.line, anchor.origin.pos.column),
        at,
        "{anchor}"
    );
    assert!(anchor.message.contains("anchor"), "{anchor}");

    // The command line says the same and fails.
    let out = run_check(r, &[]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains(&format!(
            "error: {file}:{}:{}: broken link",
            link_at.0, link_at.1
        )),
        "{err}"
    );
    assert!(err.contains("#nope"), "{err}");

    // `build` reports them as warnings, and builds; with --strict, as
    // errors, and keeps the previous output.
    let report = build(r).unwrap_or_else(|e| panic!("{e}"));
    let w: Vec<_> = report
        .warnings
        .iter()
        .filter(|d| d.origin.file == file)
        .collect();
    assert_eq!(w.len(), 2, "{}", listing(&report.warnings));
    assert!(
        w.iter()
            .all(|d| d.severity == rekap::diagnostics::Severity::Warning)
    );
    let before = snapshot(&r.join("public"));
    let mut o = options(r);
    o.strict = true;
    let d = content_errors(rekap::build(&o));
    assert_eq!(
        d.iter().filter(|d| d.origin.file == file).count(),
        2,
        "{}",
        listing(&d)
    );
    assert!(
        snapshot(&r.join("public")) == before,
        "the output is untouched"
    );
}

#[test]
fn a_public_build_over_an_internal_one_keeps_nothing_of_it() {
    // Rebuilds write only what changed: going from internal to public (with
    // --force) must still leave exactly the public build, no internal page,
    // download or index behind.
    let site = leaky_site();
    let out = site.path().join("out");
    build_clean(site.path(), &out, Audience::Internal, false);
    assert!(
        !occurrences(&snapshot(&out), "leakmark").is_empty(),
        "the internal build has the internal items"
    );
    let mut o = options(site.path());
    o.output = out.clone();
    o.force = true;
    let report = rekap::build(&o).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        report.written < report.files,
        "unchanged files are not rewritten"
    );
    let fresh = site.path().join("fresh");
    build_clean(site.path(), &fresh, Audience::Public, false);
    let (over, clean) = (snapshot(&out), snapshot(&fresh));
    let differ: Vec<&String> = over
        .keys()
        .chain(clean.keys())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .filter(|k| over.get(*k) != clean.get(*k))
        .collect();
    assert!(
        differ.is_empty(),
        "differs from a fresh public build: {differ:?}"
    );
    assert!(occurrences(&over, "leakmark").is_empty());
}

//! Hostile input: script and markup (`<script>`, `"><img onerror=...>`,
//! `javascript:`), the end of an XML CDATA section (`]]>`), template syntax
//! (`{{ ... }}`), control characters and a right-to-left override, written
//! into every field of the example that reaches the output: site title,
//! description and organisation; entity and metric names and descriptions;
//! figure notes and sources; release titles, summaries, tags and
//! programmes; meeting titles, places, summaries, attendees and decisions;
//! page titles and descriptions; Markdown bodies.
//!
//! The site must still build, and every file of it must be inert: no script
//! or event handler in HTML or SVG, no `javascript:` link, no template
//! evaluated, well-formed XML (Atom feeds, sitemap, SVG), valid JSON (the
//! downloads and the search index), CSV cells that no spreadsheet reads as a
//! formula, PNG files without text chunks, and file names and URLs of plain
//! characters. And the fields did reach the output (escaped), so that the
//! test checks something.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::*;
use rekap::render::attrs;

/// What every field gets: markup, a script link, a CDATA end, Tera syntax,
/// control characters (bell, escape, a C1 one) and a right-to-left override.
const PAYLOAD: &str = "<script>alert(1)</script>\"><img src=x onerror=alert(2)> javascript:alert(3) ]]> {{ 7 * 1907 }} {% raw %} \u{1}\u{7}\u{1b}\u{85}\u{202e}evil";

/// Tera would print this if it evaluated `{{ 7 * 1907 }}`.
const EVALUATED: &str = "13349";

/// `s` as a YAML double-quoted string, control characters escaped.
fn yq(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            // YAML may hold neither control characters nor U+FFFE and
            // U+FFFF as they are, only escaped.
            c if c.is_control() || c == '\u{fffe}' || c == '\u{ffff}' => {
                out.push_str(&format!("\\u{:04X}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn hostile(what: &str) -> String {
    yq(&format!("{what} {PAYLOAD}"))
}

/// Replaces the one line of `rel` that starts with `start` by `line`.
fn replace_line(r: &Path, rel: &str, start: &str, line: &str) {
    let text = read(r, rel);
    let found: Vec<&str> = text
        .lines()
        .filter(|l| match start.strip_suffix('\n') {
            Some(whole) => *l == whole,
            None => l.starts_with(start),
        })
        .collect();
    assert_eq!(
        found.len(),
        1,
        "one line of {rel} starts with {start:?}: the example changed?"
    );
    let old = found[0].to_string();
    replace_in(r, rel, &format!("{old}\n"), &format!("{line}\n"));
}

/// The example with the payload in every field that reaches the output.
fn hostile_site() -> tempfile::TempDir {
    let dir = copy_example();
    let r = dir.path();
    let edits: &[(&str, &str, &str)] = &[
        ("content/site.yaml", "  id: Rekap Kinerja", "  id: {Rekap}"),
        (
            "content/site.yaml",
            "  id: BPJS Ketenagakerjaan Kantor Wilayah",
            "  id: {Organisasi}",
        ),
        (
            "content/site.yaml",
            "  id: Target dan realisasi",
            "  id: {Deskripsi}",
        ),
        (
            "content/data/entities.yaml",
            "    name: Gorontalo",
            "    name: {Gorontalo}",
        ),
        (
            "content/data/entities.yaml",
            "      id: Kantor cabang di Manado",
            "      id: {Kantor}",
        ),
        (
            "content/data/metrics.yaml",
            "      id: Iuran\n",
            "      id: {Iuran}",
        ),
        (
            "content/data/metrics.yaml",
            "      id: Iuran yang diterima",
            "      id: {Keterangan}",
        ),
        (
            "content/data/figures/2016.yaml",
            "source:",
            "source: {Sumber}",
        ),
        (
            "content/data/figures/2016.yaml",
            "      id: Penerima upah",
            "      id: {Catatan}",
        ),
        (RELEASE, "title:", "title: {Judul}"),
        (RELEASE, "summary:", "summary: {Ringkasan}"),
        (RELEASE, "tags:", "tags: [target, {tag}]"),
        (RELEASE, "programmes:", "programmes: [JHT, {program}]"),
        (MEETING, "title:", "title: {Rapat}"),
        (MEETING, "summary:", "summary: {Ringkasan}"),
        (MEETING, "location:", "location: {Manado}"),
        (MEETING, "  - name: Asri Basir", "  - name: {Asri}"),
        (
            MEETING,
            "    role: Kepala Bidang Pemasaran",
            "    role: {Kepala}",
        ),
        (
            MEETING,
            "  - Merekrut dan menyertifikasi",
            "  - {Keputusan}",
        ),
        ("content/pages/tentang.md", "title:", "title: {Tentang}"),
        (
            "content/pages/tentang.md",
            "description:",
            "description: {Halaman}",
        ),
    ];
    for (file, start, line) in edits {
        // `{Word}`: the word and the payload, as a YAML string.
        let open = line.find('{').expect("a field");
        let close = line.find('}').expect("a field");
        let line = format!(
            "{}{}{}",
            &line[..open],
            hostile(&line[open + 1..close]),
            &line[close + 1..]
        );
        replace_line(r, file, start, &line);
    }
    append(
        r,
        RELEASE,
        &format!(
            "\nParagraf {} [tautan](javascript:alert(5)) <script>alert(6)</script> <a href=\"javascript:alert(7)\" onclick=\"alert(8)\">x</a>\n",
            PAYLOAD.replace(['\u{1}', '\u{7}', '\u{1b}'], "")
        ),
    );
    dir
}

const RELEASE: &str = "content/releases/2017-02-01-target-2017-sulawesi-maluku.md";
const MEETING: &str = "content/meetings/2017-01-31-rakorwil-manado.md";

/// Problems with one output file; empty if it is inert.
fn problems(path: &str, bytes: &[u8]) -> Vec<String> {
    let mut out = Vec::new();
    let mut say = |what: String| out.push(format!("{path}: {what}"));
    if !path
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"._/-".contains(&b))
    {
        say("the file name has characters other than a-z, 0-9, ., _, / and -".into());
    }
    let ext = path.rsplit('.').next().unwrap_or("");
    if ext == "png" {
        for (kind, data) in png_chunks(bytes) {
            if matches!(kind.as_str(), "tEXt" | "zTXt" | "iTXt") {
                say(format!(
                    "a {kind} chunk: {}",
                    String::from_utf8_lossy(&data).escape_debug()
                ));
            }
        }
        return out;
    }
    let Ok(text) = std::str::from_utf8(bytes) else {
        if matches!(ext, "html" | "xml" | "svg" | "json" | "csv" | "txt") {
            say("not UTF-8".into());
        }
        return out;
    };
    if text.contains(EVALUATED) {
        say(format!("`{{{{ 7 * 1907 }}}}` was evaluated to {EVALUATED}"));
    }
    match ext {
        "html" => html_problems(text, &mut say),
        "xml" | "svg" => match roxmltree::Document::parse(text) {
            Err(e) => say(format!("not well-formed XML: {e}")),
            Ok(doc) => {
                for n in doc.descendants().filter(|n| n.is_element()) {
                    if n.tag_name().name().eq_ignore_ascii_case("script") {
                        say("a <script> element".into());
                    }
                    for a in n.attributes() {
                        if a.name().to_ascii_lowercase().starts_with("on") {
                            say(format!("an event handler `{}`", a.name()));
                        }
                        if is_script_url(a.value()) {
                            say(format!("a script URL in `{}`", a.name()));
                        }
                    }
                }
            }
        },
        "json" => {
            if let Err(e) = serde_json::from_str::<serde_json::Value>(text) {
                say(format!("not valid JSON: {e}"));
            }
        }
        "csv" => {
            let mut reader = csv::ReaderBuilder::new()
                .has_headers(false)
                .flexible(true)
                .from_reader(text.as_bytes());
            for (i, record) in reader.records().enumerate() {
                match record {
                    Err(e) => say(format!("row {}: not valid CSV: {e}", i + 1)),
                    Ok(r) => {
                        for cell in r.iter() {
                            let formula = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
                            if formula && cell.parse::<f64>().is_err() {
                                say(format!(
                                    "row {}: a cell a spreadsheet reads as a formula: {}",
                                    i + 1,
                                    cell.escape_debug()
                                ));
                            }
                        }
                    }
                }
            }
        }
        _ => {}
    }
    out
}

/// Whether a URL would run a script (`javascript:`, in any case, with
/// spaces or control characters inside the scheme as browsers forgive).
fn is_script_url(v: &str) -> bool {
    let v: String = v
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect::<String>()
        .to_ascii_lowercase()
        .replace("&#x3a;", ":")
        .replace("&colon;", ":");
    v.starts_with("javascript:") || v.starts_with("vbscript:") || v.starts_with("data:text/html")
}

fn html_problems(text: &str, say: &mut dyn FnMut(String)) {
    let lower = text.to_ascii_lowercase();
    for bad in ["<script>alert", "<img src=x", "<a href=\"javascript"] {
        if lower.contains(bad) {
            say(format!("raw `{bad}`"));
        }
    }
    let mut scripts = 0;
    attrs::for_each(text, |a| {
        let name = a.name.to_ascii_lowercase();
        if name.starts_with("on") {
            say(format!("an event handler `{}` on <{}>", a.name, a.tag));
        }
        if matches!(name.as_str(), "href" | "src" | "action" | "formaction") {
            if is_script_url(a.value) {
                say(format!("a script URL `{}`", a.value));
            }
            if a.value.chars().any(|c| c.is_control() || c == '\u{202e}') {
                say(format!(
                    "a URL with control characters: {}",
                    a.value.escape_debug()
                ));
            }
        }
        if a.tag.eq_ignore_ascii_case("script") && name == "src" {
            scripts += 1;
        }
    });
    // Every <script> is the theme's own file, by `src`.
    let all = lower.matches("<script").count();
    if all != scripts {
        say(format!(
            "{all} <script> tags, {scripts} of them with src (the theme's)"
        ));
    }
}

/// The chunks of a PNG file: (type, data).
fn png_chunks(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut i = 8;
    while i + 8 <= bytes.len() {
        let len = u32::from_be_bytes(bytes[i..i + 4].try_into().expect("4 bytes")) as usize;
        let kind = String::from_utf8_lossy(&bytes[i + 4..i + 8]).into_owned();
        let end = (i + 8 + len).min(bytes.len());
        out.push((kind, bytes[i + 8..end].to_vec()));
        i = end + 4;
    }
    out
}

/// Asserts every file of `out` is inert, and that the payload reached it.
fn assert_inert(out: &BTreeMap<String, Vec<u8>>, what: &str) {
    let mut all = Vec::new();
    for (path, bytes) in out.iter().filter(|(p, _)| !p.ends_with('/')) {
        all.extend(problems(path, bytes));
    }
    assert!(
        all.is_empty(),
        "{what}: {} problems:\n{}",
        all.len(),
        all.join("\n")
    );
    // The fields reached the output, escaped, so the checks above checked them.
    let text = |p: &str| {
        String::from_utf8_lossy(out.get(p).unwrap_or_else(|| panic!("{what}: no {p}"))).into_owned()
    };
    let escaped = "&lt;script&gt;alert(1)&lt;/script&gt;";
    for (file, field) in [
        ("index.html", "Rekap"),
        ("index.html", "Organisasi"),
        ("regions/gorontalo/index.html", "Gorontalo"),
        ("regions/kc-manado/index.html", "Kantor"),
        ("regions/sulawesi-maluku/index.html", "Iuran"),
        (
            "releases/2017-02-01-target-2017-sulawesi-maluku/index.html",
            "Judul",
        ),
        ("meetings/2017-01-31-rakorwil-manado/index.html", "Asri"),
        (
            "meetings/2017-01-31-rakorwil-manado/index.html",
            "Keputusan",
        ),
        ("meetings/2017-01-31-rakorwil-manado/index.html", "Manado"),
        ("tentang/index.html", "Tentang"),
    ] {
        let page = text(file);
        assert!(
            page.contains(&format!("{field} {escaped}")),
            "{what}: {file} shows the {field} field, escaped"
        );
    }
    // HTML written in a Markdown body is dropped (allow_html: false), its
    // text kept, and the javascript: link made harmless.
    let release = text("releases/2017-02-01-target-2017-sulawesi-maluku/index.html");
    assert!(
        release.contains("Paragraf alert(1)") && release.contains("<a href=\"#\">tautan</a>"),
        "{what}: the body's HTML is dropped"
    );
    let feed = text("releases/atom.xml");
    assert!(
        feed.contains("Judul &lt;script&gt;"),
        "{what}: the feed has the title, escaped"
    );
    let csv = text("data/figures.csv");
    assert!(
        csv.contains("Gorontalo <script>alert(1)"),
        "{what}: the CSV has the name, as text"
    );
    let index = text("search/index.json");
    assert!(
        index.contains("Judul <script>"),
        "{what}: the search index has the title"
    );
}

#[test]
fn hostile_text_in_every_field_is_inert_in_every_output() {
    let dir = hostile_site();
    let report = build(dir.path()).unwrap_or_else(|e| panic!("the hostile site builds:\n{e}"));
    let _ = report;
    assert_inert(&snapshot(&dir.path().join("public")), "public build");

    // Archive mode rewrites URLs: still inert.
    let mut o = options(dir.path());
    o.output = dir.path().join("archive");
    o.relative_urls = true;
    rekap::build(&o).unwrap_or_else(|e| panic!("the archive builds:\n{e}"));
    assert_inert(&snapshot(&dir.path().join("archive")), "archive build");
}

#[test]
fn feeds_drop_characters_xml_forbids() {
    // Control characters in a title and summary: the feed stays well-formed.
    let dir = copy_example();
    let r = dir.path();
    write(
        r,
        "content/releases/2017-03-01-kendali.md",
        &format!(
            "---\ntitle: {}\ndate: 2017-03-01\nentity: gorontalo\nsummary: {}\n---\n\nTeks.\n",
            yq("Judul \u{1}\u{8}\u{b}\u{c}\u{1f}\u{fffe} akhir"),
            yq("Ringkasan \u{0}\u{1b}]]> akhir")
        ),
    );
    build(r).unwrap_or_else(|e| panic!("{e}"));
    for feed in [
        "public/releases/atom.xml",
        "public/regions/gorontalo/atom.xml",
    ] {
        let text = read(r, feed);
        roxmltree::Document::parse(&text)
            .unwrap_or_else(|e| panic!("{feed} is well-formed XML: {e}\n{text}"));
        assert!(
            text.contains("Judul  akhir") || text.contains("Judul akhir"),
            "{feed}: {text}"
        );
        assert!(text.contains("]]&gt; akhir"), "{feed}: {text}");
        assert!(
            !text
                .chars()
                .any(|c| (c.is_control() && !"\n\t\r".contains(c)) || c == '\u{fffe}'),
            "{feed} has no character XML forbids"
        );
    }
}

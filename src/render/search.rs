//! Site search without a server: an index written at build time, as JSON for
//! machines and as a script (`search/index.js`) that also loads from
//! `file://`, read by a small script of our own on the search page only.

use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;

use super::bodies::Bodies;
use super::doc_digests::DocDigests;
use super::markdown::Rendered;
use super::memo::RenderMemo;
use super::views::Viewer;
use super::{Put, RenderError};
use crate::format;
use crate::write::{Contents, OutputFile};

/// Step **search**: the search index, as JSON and as a script.
///
/// # Errors
///
/// The first write error.
pub fn write(
    v: &Viewer,
    bodies: &Bodies,
    docs: &DocDigests,
    memo: Option<&RenderMemo>,
    put: Put,
) -> Result<(), RenderError> {
    let urls = v.urls;
    let (json, script) = match memo {
        // Each document as it was kept, the files made of them in pieces
        // (ten thousand documents, 30 MB, not copied into one buffer).
        Some(memo) => match index_pieces_keeping(v, bodies, docs, memo) {
            Some(pieces) => (
                Contents::Pieces(pieces.json),
                Contents::Pieces(pieces.script),
            ),
            None => whole(b"\n".to_vec()),
        },
        None => whole(to_json(&index(v, bodies))),
    };
    let (written, script) = rayon::join(
        || {
            put(OutputFile {
                path: urls.file(&urls.search_index("index.json")),
                contents: json,
            })
        },
        || {
            put(OutputFile {
                path: urls.file(&urls.search_index("index.js")),
                contents: script,
            })
        },
    );
    written.and(script)
}

/// The index as JSON and as a script, each whole: the script wraps the
/// same JSON, serialised once.
fn whole(json: Vec<u8>) -> (Contents, Contents) {
    let script = script_of(&json);
    (Contents::Bytes(json), Contents::Bytes(script))
}

/// The piece of the script of the index that is the document `json`, as
/// [`script_of`] makes it from the JSON: no `</` can span two pieces (each
/// document is an object, between brackets and commas), so each is escaped
/// alone.
fn script_piece(json: &bytes::Bytes) -> bytes::Bytes {
    match closers(json) {
        0 => json.clone(),
        n => {
            let mut out = Vec::with_capacity(json.len() + n);
            escape_closers(&mut out, json);
            bytes::Bytes::from(out)
        }
    }
}

/// `docs`, each as `each` gives it, comma-separated, between `open` and `close`.
fn around<D>(
    docs: &[D],
    open: &'static [u8],
    close: &'static [u8],
    each: impl Fn(&D) -> bytes::Bytes,
) -> Vec<bytes::Bytes> {
    let mut out = Vec::with_capacity(docs.len() * 2 + 1);
    out.push(bytes::Bytes::from_static(open));
    for (i, doc) in docs.iter().enumerate() {
        if i > 0 {
            out.push(bytes::Bytes::from_static(b","));
        }
        out.push(each(doc));
    }
    out.push(bytes::Bytes::from_static(close));
    out
}

/// One searchable document. The search page ranks title matches first,
/// then keywords, then the summary, then the body.
#[derive(Debug, Clone, Serialize)]
pub struct Doc {
    /// Title (or an entity's name).
    pub t: String,
    /// URL.
    pub u: String,
    /// Kind in words (press release, meeting, region ...).
    pub k: String,
    /// Date, formatted, if any.
    pub d: String,
    /// Summary: searched, and shown under the title.
    pub s: String,
    /// Keywords (tags, programmes, a level's name): searched, never shown.
    pub g: String,
    /// The body as plain text (its start): searched, and quoted around a
    /// match when the summary has none.
    pub b: String,
    /// The language of the title and text when it is not the site's.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub l: Option<&'static str>,
}

/// How much of a body is searched.
const BODY: usize = 4000;

/// The elements whose contents are not text: each opening and its end.
const SKIPPED: [(&str, &str); 3] = [
    ("<svg", "</svg>"),
    ("<script", "</script>"),
    ("<style", "</style>"),
];

/// The character references the text of a body may hold (pulldown-cmark
/// and the templates write no others), and what each stands for.
const ENTITIES: [(&str, char); 7] = [
    ("&nbsp;", ' '),
    ("&lt;", '<'),
    ("&gt;", '>'),
    ("&quot;", '"'),
    ("&#39;", '\''),
    ("&#x27;", '\''),
    ("&amp;", '&'),
];

/// The text of an HTML fragment: tags dropped (charts and scripts with
/// their contents), the common entities decoded, spaces collapsed (one
/// space between words, none at either end). One pass over the HTML.
pub fn plain_text(html: &str) -> String {
    let mut words = Words {
        out: String::with_capacity(html.len() / 2),
        gap: false,
    };
    let mut rest = html;
    while let Some(i) = memchr::memchr(b'<', rest.as_bytes()) {
        words.text(&rest[..i]);
        words.gap = true;
        rest = &rest[i..];
        let skip_to = SKIPPED.iter().find_map(|(open, close)| {
            rest.starts_with(open)
                .then(|| rest.find(close).map(|j| j + close.len()))
                .flatten()
        });
        match skip_to {
            Some(j) => rest = &rest[j..],
            None => match memchr::memchr(b'>', rest.as_bytes()) {
                Some(j) => rest = &rest[j + 1..],
                None => rest = "",
            },
        }
    }
    words.text(rest);
    words.out
}

/// Text collected word by word: a run of white space (or a dropped tag)
/// between two words becomes one space.
struct Words {
    out: String,
    /// Whether white space came since the last word.
    gap: bool,
}

impl Words {
    /// Adds `text`, decoding its character references.
    fn text(&mut self, text: &str) {
        let mut rest = text;
        while let Some(i) = memchr::memchr(b'&', rest.as_bytes()) {
            self.plain(&rest[..i]);
            rest = &rest[i..];
            match ENTITIES.iter().find(|(e, _)| rest.starts_with(e)) {
                Some((e, c)) => {
                    self.char(*c);
                    rest = &rest[e.len()..];
                }
                None => {
                    self.char('&');
                    rest = &rest[1..];
                }
            }
        }
        self.plain(rest);
    }

    /// Adds `text`, which holds no character reference: each run of
    /// characters that are not white space is a word (ASCII looked at byte
    /// by byte, other characters decoded).
    fn plain(&mut self, text: &str) {
        let bytes = text.as_bytes();
        let mut word = None;
        let mut i = 0;
        while i < bytes.len() {
            let (white, len) = match bytes[i] {
                // `char::is_whitespace` in ASCII: space, tab, LF, VT, FF, CR.
                b @ 0..=0x7f => (matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r'), 1),
                _ => {
                    let c = text[i..].chars().next().unwrap_or(' ');
                    (c.is_whitespace(), c.len_utf8())
                }
            };
            if white {
                if let Some(start) = word.take() {
                    self.word(&text[start..i]);
                }
                self.gap = true;
            } else if word.is_none() {
                word = Some(i);
            }
            i += len;
        }
        if let Some(start) = word {
            self.word(&text[start..]);
        }
    }

    fn char(&mut self, c: char) {
        if c.is_whitespace() {
            self.gap = true;
        } else {
            self.word(c.encode_utf8(&mut [0; 4]));
        }
    }

    /// Adds `word`, after a space if white space came before it.
    fn word(&mut self, word: &str) {
        if self.gap && !self.out.is_empty() {
            self.out.push(' ');
        }
        self.gap = false;
        self.out.push_str(word);
    }
}

fn clip(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        return s.to_string();
    }
    let mut out: String = s.chars().take(n).collect();
    if let Some(i) = out.rfind(' ') {
        out.truncate(i);
    }
    out.push('…');
    out
}

/// Every visible release, meeting, page and entity, as search documents.
pub fn index(v: &Viewer, b: &Bodies) -> Vec<Doc> {
    let mut docs: Vec<Doc> = (0..v.site.releases.len())
        .into_par_iter()
        .map(|i| release_doc(v, b, i, |html| clip(&plain_text(html), BODY)))
        .collect();
    docs.extend(other_docs(v, b, plain_text));
    docs
}

/// [`to_json`] of [`index`], each release's document taken as JSON from
/// `memo` when kept under the same key, for the same body: the key is a
/// digest of all the document is made from but its body (the release, by
/// its digest in `docs`, and the language, base URL and words around it),
/// so a kept document is found without making it again. The releases are
/// the many documents with long texts; the others are made again, their
/// texts from `memo`.
fn index_pieces_keeping(
    v: &Viewer,
    b: &Bodies,
    docs: &DocDigests,
    memo: &RenderMemo,
) -> Option<Pieces> {
    // What `release_doc` reads besides the release and its body.
    let around = crate::digest::of(&(
        v.lang.code(),
        &v.urls.base_url,
        v.t("releases"),
        v.docs_lang_attr(),
    ))
    .ok();
    let releases: Result<Vec<Arc<KeptDoc>>, serde_json::Error> = (0..v.site.releases.len())
        .into_par_iter()
        .map(|i| {
            let body = &b.releases[i];
            // A document that cannot be digested is made, not kept.
            let key = around
                .zip(docs.release(i))
                .and_then(|(around, d)| crate::digest::of(&(around, d.front)).ok());
            if let Some(kept) = key.and_then(|key| memo.search_doc(key, body)) {
                return Ok(kept);
            }
            let doc = release_doc(v, b, i, |html| clip(&plain_text(html), BODY));
            let made = Arc::new(KeptDoc::new(body.clone(), serde_json::to_vec(&doc)?));
            if let Some(key) = key {
                memo.keep_search_doc(key, made.clone());
            }
            Ok(made)
        })
        .collect();
    let others = other_docs(v, b, |html| memo.plain_text(html).to_string());
    let others: Result<Vec<KeptDoc>, serde_json::Error> = others
        .par_iter()
        .map(|doc| Ok(KeptDoc::pieces(serde_json::to_vec(doc)?)))
        .collect();
    let releases = releases.ok()?;
    let others = others.ok()?;
    let docs: Vec<&KeptDoc> = releases.iter().map(|d| &**d).chain(&others).collect();
    Some(Pieces::of(&docs))
}

/// The search index in pieces: as JSON, and as a script.
struct Pieces {
    json: Vec<bytes::Bytes>,
    script: Vec<bytes::Bytes>,
}

impl Pieces {
    /// The index of `docs` in pieces, byte for byte [`to_json`] and
    /// [`to_script`] of them.
    fn of(docs: &[&KeptDoc]) -> Pieces {
        Pieces {
            json: around(docs, b"[", b"]\n", |d| d.json.clone()),
            script: around(docs, b"window.REKAP_SEARCH = [", b"];\n", |d| {
                d.script.clone()
            }),
        }
    }
}

/// A search document as JSON and as its piece of the script (see
/// [`script_piece`]), with the body it was made from where that is kept.
#[derive(Debug)]
pub(super) struct KeptDoc {
    body: Option<Arc<Rendered>>,
    json: bytes::Bytes,
    script: bytes::Bytes,
}

impl KeptDoc {
    /// The document `json`, made from `body`.
    fn new(body: Arc<Rendered>, json: Vec<u8>) -> KeptDoc {
        KeptDoc {
            body: Some(body),
            ..KeptDoc::pieces(json)
        }
    }

    /// The document `json`, its body not kept.
    fn pieces(json: Vec<u8>) -> KeptDoc {
        let json = bytes::Bytes::from(json);
        KeptDoc {
            body: None,
            script: script_piece(&json),
            json,
        }
    }

    /// Whether it was made from `body`: that very body, or one with its HTML
    /// and first paragraph (the document reads no other part of it).
    pub(super) fn made_from(&self, body: &Arc<Rendered>) -> bool {
        self.body.as_ref().is_some_and(|b| {
            Arc::ptr_eq(b, body)
                || (b.html == body.html && b.first_paragraph == body.first_paragraph)
        })
    }
}

/// The search document of release `i`, its body's text made by `text`
/// from the body's HTML.
fn release_doc(v: &Viewer, b: &Bodies, i: usize, text: impl FnOnce(&str) -> String) -> Doc {
    let r = &v.site.releases[i];
    let summary = r
        .release
        .summary
        .clone()
        .unwrap_or_else(|| b.releases[i].first_paragraph.clone());
    let mut keywords = r.release.tags.clone();
    keywords.extend(r.release.programmes.iter().cloned());
    Doc {
        t: r.release.title.clone(),
        u: v.urls.release(&r.release.slug),
        k: v.t("releases").to_string(),
        d: format::date_medium(r.release.date, v.lang),
        s: clip(&summary, 300),
        g: keywords.join(" "),
        b: text(&b.releases[i].html),
        l: v.docs_lang_attr(),
    }
}

/// The search documents of every visible meeting, page, entity and term
/// (all but the releases), the text of each body made by `plain_text`.
fn other_docs(v: &Viewer, b: &Bodies, plain_text: impl Fn(&str) -> String) -> Vec<Doc> {
    let mut docs = Vec::new();
    for (i, m) in v.site.meetings.iter().enumerate() {
        let summary = m
            .meeting
            .summary
            .clone()
            .unwrap_or_else(|| b.meetings[i].first_paragraph.clone());
        let mut body: Vec<String> = m
            .meeting
            .attendees
            .iter()
            .map(|a| format!("{} {}", a.name, a.role))
            .collect();
        body.extend(m.meeting.decisions.iter().map(|d| d.text.clone()));
        body.push(plain_text(&b.meetings[i].html));
        docs.push(Doc {
            t: m.meeting.title.clone(),
            u: v.urls.meeting(&m.meeting.slug),
            k: v.t("meetings").to_string(),
            d: format::date_medium(m.meeting.date, v.lang),
            s: clip(&summary, 300),
            g: m.meeting.location.clone(),
            b: clip(&body.join(" "), BODY),
            l: v.docs_lang_attr(),
        });
    }
    for (i, p) in v.site.pages.iter().enumerate() {
        docs.push(Doc {
            t: p.page.title.clone(),
            u: v.urls.page(&p.page.slug),
            k: v.t("page_kind").to_string(),
            d: String::new(),
            s: clip(
                p.page
                    .description
                    .as_deref()
                    .unwrap_or(&b.pages[i].first_paragraph),
                300,
            ),
            g: String::new(),
            b: clip(&plain_text(&b.pages[i].html), BODY),
            l: v.docs_lang_attr(),
        });
    }
    for (e, ent) in v.site.entities.iter().enumerate() {
        docs.push(Doc {
            t: v.entity_name(e),
            u: v.urls.entity(&ent.id),
            k: v.level_name(e),
            d: String::new(),
            s: clip(
                ent.description
                    .as_ref()
                    .map(|d| d.get(v.lang))
                    .unwrap_or(""),
                300,
            ),
            g: ent.id.replace('-', " "),
            b: String::new(),
            l: v.lang_of(&ent.name),
        });
    }
    // Tag and programme pages: a reader looking for "JHT" finds its page.
    for tax in &v.index.taxonomies {
        for term in &tax.terms {
            let n = term.releases.len();
            docs.push(Doc {
                t: term.name.clone(),
                u: v.urls.term(tax.taxonomy.key(), &term.slug),
                k: v.t(tax.taxonomy.key()).to_string(),
                d: String::new(),
                s: format!("{n} {}", v.t("releases").to_lowercase()),
                g: String::new(),
                b: String::new(),
                l: v.docs_lang_attr(),
            });
        }
    }
    docs
}

/// The index as JSON.
pub fn to_json(docs: &[Doc]) -> Vec<u8> {
    // The documents are serialised in parallel, a chunk at a time.
    join(
        docs.par_chunks(256)
            .map(|chunk| {
                let mut out = Vec::new();
                for (i, doc) in chunk.iter().enumerate() {
                    if i > 0 {
                        out.push(b',');
                    }
                    serde_json::to_writer(&mut out, doc)?;
                }
                Ok(out)
            })
            .collect(),
    )
}

/// The JSON array of the documents in `parts` (each part the JSON of one
/// or more, comma-separated), as serde_json writes a sequence (compact:
/// `[a,b]`), and a newline: only the newline if a document could not be
/// serialised.
fn join<P: AsRef<[u8]>>(parts: Result<Vec<P>, serde_json::Error>) -> Vec<u8> {
    let Ok(parts) = parts else {
        return b"\n".to_vec();
    };
    let size: usize = parts.iter().map(|p| p.as_ref().len() + 1).sum();
    let mut v = Vec::with_capacity(size + 3);
    v.push(b'[');
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            v.push(b',');
        }
        v.extend_from_slice(part.as_ref());
    }
    v.extend_from_slice(b"]\n");
    v
}

/// The index as a script that sets `window.REKAP_SEARCH` (works from `file://`).
pub fn to_script(docs: &[Doc]) -> Vec<u8> {
    script_of(&to_json(docs))
}

/// The script of [`to_script`], from the index as [`to_json`] writes it.
fn script_of(json: &[u8]) -> Vec<u8> {
    const HEAD: &[u8] = b"window.REKAP_SEARCH = ";
    let json = json.strip_suffix(b"\n").unwrap_or(json);
    let json: &[u8] = if json.is_empty() { b"[]" } else { json };
    // `</` cannot close a script element here: the file is loaded with src=,
    // but be safe.
    let mut out = Vec::with_capacity(HEAD.len() + json.len() + closers(json) + 2);
    out.extend_from_slice(HEAD);
    escape_closers(&mut out, json);
    out.extend_from_slice(b";\n");
    out
}

/// How many `</` `json` holds.
fn closers(json: &[u8]) -> usize {
    memchr::memmem::find_iter(json, b"</").count()
}

/// Adds `json` to `out` with every `</` written `<\/`.
fn escape_closers(out: &mut Vec<u8>, json: &[u8]) {
    let mut rest = json;
    while let Some(i) = memchr::memmem::find(rest, b"</") {
        out.extend_from_slice(&rest[..i]);
        out.extend_from_slice(b"<\\/");
        rest = &rest[i + 2..];
    }
    out.extend_from_slice(rest);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A release's document titled `t`, with body text `b`.
    fn doc(t: &str, b: &str) -> Doc {
        Doc {
            t: t.to_string(),
            u: "/r/".to_string(),
            k: "Rilis".to_string(),
            d: String::new(),
            s: String::new(),
            g: String::new(),
            b: b.to_string(),
            l: None,
        }
    }

    #[test]
    fn the_index_in_pieces_is_byte_for_byte_the_index_whole() {
        for docs in [
            vec![],
            vec![doc("Satu", "a </script> b")],
            vec![
                doc("Satu", "x"),
                doc("Dua </b>", "y"),
                doc("Tiga", "</p></p>"),
            ],
        ] {
            let kept: Vec<KeptDoc> = docs
                .iter()
                .map(|d| KeptDoc::pieces(serde_json::to_vec(d).unwrap()))
                .collect();
            let pieces = Pieces::of(&kept.iter().collect::<Vec<_>>());
            let whole = to_json(&docs);
            assert_eq!(pieces.json.concat(), whole);
            assert_eq!(pieces.script.concat(), script_of(&whole));
            assert_eq!(script_of(&whole), to_script(&docs));
        }
    }

    #[test]
    fn the_script_holds_the_json_with_no_closing_tag() {
        let doc = |t: &str| doc(t, "a </script> b");
        let docs = [doc("Satu"), doc("Dua </b>")];
        let script = String::from_utf8(to_script(&docs)).unwrap();
        let json = serde_json::to_string(&docs).unwrap();
        assert_eq!(
            script,
            format!("window.REKAP_SEARCH = {};\n", json.replace("</", "<\\/"))
        );
        assert!(!script.contains("</"));
        assert_eq!(
            String::from_utf8(to_script(&[])).unwrap(),
            "window.REKAP_SEARCH = [];\n"
        );
    }

    #[test]
    fn the_index_is_the_json_of_its_documents_however_many() {
        let doc = |i: usize| Doc {
            t: format!("Rilis {i} \"kutip\""),
            u: format!("/r/{i}/"),
            k: "Rilis".to_string(),
            d: "1 Mei 2017".to_string(),
            s: "ringkas\n".to_string(),
            g: String::new(),
            b: "é </b>".repeat(i % 3),
            l: i.is_multiple_of(2).then_some("en"),
        };
        // None, one, one chunk, and several chunks with a partial last one.
        for n in [0, 1, 256, 700] {
            let docs: Vec<Doc> = (0..n).map(doc).collect();
            let mut expected = serde_json::to_vec(&docs).unwrap();
            expected.push(b'\n');
            assert_eq!(to_json(&docs), expected, "{n} documents");
        }
    }

    /// The text as the first version of [`plain_text`] made it (tags to
    /// spaces, then each reference replaced in turn over the whole text,
    /// then the words joined): the oracle of the one-pass version.
    fn plain_text_by_passes(html: &str) -> String {
        let mut out = String::new();
        let mut rest = html;
        while let Some(i) = rest.find('<') {
            out.push_str(&rest[..i]);
            out.push(' ');
            rest = &rest[i..];
            let skip_to = SKIPPED.iter().find_map(|(open, close)| {
                rest.starts_with(open)
                    .then(|| rest.find(close).map(|j| j + close.len()))
                    .flatten()
            });
            rest = match skip_to {
                Some(j) => &rest[j..],
                None => rest.find('>').map_or("", |j| &rest[j + 1..]),
            };
        }
        out.push_str(rest);
        let mut decoded = out;
        for (e, c) in ENTITIES {
            decoded = decoded.replace(e, &c.to_string());
        }
        decoded.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    #[test]
    fn plain_text_in_one_pass_is_the_text_of_the_passes() {
        const PIECES: [&str; 27] = [
            "<p>",
            "</p>",
            "<svg><text>9</text></svg>",
            "<svg>",
            "</svg>",
            "<script>x</script>",
            "<",
            ">",
            "&",
            "amp;",
            "lt;",
            "nbsp;",
            "&amp;",
            "&nbsp;",
            "&#39;",
            "&quot;",
            " ",
            "\n\t",
            "\u{a0}",
            "\u{0b}\u{0c}",
            "\r",
            "\u{2003}",
            "\u{85}",
            "x\u{3000}y",
            "Rp",
            "é",
            "miliar",
        ];
        let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..5000 {
            let mut html = String::new();
            for _ in 0..(state % 12) {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                html.push_str(PIECES[(state % PIECES.len() as u64) as usize]);
            }
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            assert_eq!(plain_text(&html), plain_text_by_passes(&html), "{html:?}");
        }
    }

    #[test]
    fn plain_text_drops_tags_and_charts_and_decodes_entities() {
        let html = "<p>Iuran <strong>Rp956&nbsp;miliar</strong> &amp; lebih</p>\n<figure><svg><title>x</title><text>999</text></svg><p>Sumber</p></figure>";
        assert_eq!(plain_text(html), "Iuran Rp956 miliar & lebih Sumber");
    }
}

//! Site search without a server: an index written at build time, as JSON for
//! machines and as a script (`search/index.js`) that also loads from
//! `file://`, read by a small script of our own on the search page only.

use serde::Serialize;

use super::bodies::Bodies;
use super::views::Viewer;
use super::{Put, RenderError};
use crate::format;
use crate::write::{Contents, OutputFile};

/// Step **search**: the search index, as JSON and as a script.
///
/// # Errors
///
/// The first write error.
pub fn write(v: &Viewer, bodies: &Bodies, put: Put) -> Result<(), RenderError> {
    let urls = v.urls;
    let docs = index(v, bodies);
    put(OutputFile {
        path: urls.file(&urls.search_index("index.json")),
        contents: Contents::Bytes(to_json(&docs)),
    })?;
    put(OutputFile {
        path: urls.file(&urls.search_index("index.js")),
        contents: Contents::Bytes(to_script(&docs)),
    })
}

/// One searchable document.
#[derive(Debug, Clone, Serialize)]
pub struct Doc {
    /// Title.
    pub t: String,
    /// URL.
    pub u: String,
    /// Kind in words (press release, meeting, region ...).
    pub k: String,
    /// Date, formatted, if any.
    pub d: String,
    /// Text searched and shown: summary and the start of the body.
    pub s: String,
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
    let mut docs = Vec::new();
    for (i, r) in v.site.releases.iter().enumerate() {
        let summary = r
            .release
            .summary
            .clone()
            .unwrap_or_else(|| b.releases[i].first_paragraph.clone());
        docs.push(Doc {
            t: r.release.title.clone(),
            u: v.urls.release(&r.release.slug),
            k: v.t("releases").to_string(),
            d: format::date_medium(r.release.date, v.lang),
            s: clip(&format!("{summary} {}", r.release.tags.join(" ")), 300),
        });
    }
    for (i, m) in v.site.meetings.iter().enumerate() {
        let summary = m
            .meeting
            .summary
            .clone()
            .unwrap_or_else(|| b.meetings[i].first_paragraph.clone());
        docs.push(Doc {
            t: m.meeting.title.clone(),
            u: v.urls.meeting(&m.meeting.slug),
            k: v.t("meetings").to_string(),
            d: format::date_medium(m.meeting.date, v.lang),
            s: clip(&format!("{} · {summary}", m.meeting.location), 300),
        });
    }
    for (i, p) in v.site.pages.iter().enumerate() {
        docs.push(Doc {
            t: p.page.title.clone(),
            u: v.urls.page(&p.page.slug),
            k: String::new(),
            d: String::new(),
            s: clip(
                p.page
                    .description
                    .as_deref()
                    .unwrap_or(&b.pages[i].first_paragraph),
                300,
            ),
        });
    }
    for (e, ent) in v.site.entities.iter().enumerate() {
        docs.push(Doc {
            t: v.entity_name(e),
            u: v.urls.entity(&ent.id),
            k: v.t("regions").to_string(),
            d: String::new(),
            s: clip(
                ent.description
                    .as_ref()
                    .map(|d| d.get(v.lang))
                    .unwrap_or(""),
                300,
            ),
        });
    }
    docs
}

/// The index as JSON.
pub fn to_json(docs: &[Doc]) -> Vec<u8> {
    let mut v = serde_json::to_vec(docs).unwrap_or_default();
    v.push(b'\n');
    v
}

/// The index as a script that sets `window.REKAP_SEARCH` (works from `file://`).
pub fn to_script(docs: &[Doc]) -> Vec<u8> {
    let json = serde_json::to_string(docs).unwrap_or_else(|_| "[]".into());
    // `</` cannot close a script element here: the file is loaded with src=, but be safe.
    format!("window.REKAP_SEARCH = {};\n", json.replace("</", "<\\/")).into_bytes()
}

//! Atom feeds of releases, the sitemap and robots.txt, rendered from the
//! theme's `feeds/atom.xml`, `feeds/sitemap.xml` and `feeds/robots.txt`
//! (overridable like the page templates; `.xml` templates auto-escape).

use rayon::prelude::*;
use serde::Serialize;
use tera::Context;

use super::bodies::Bodies;
use super::doc_digests::DocDigests;
use super::memo::RenderMemo;
use super::templates::Templates;
use super::views::Viewer;
use super::{Put, RenderError};
use crate::digest;
use crate::write::{Contents, OutputFile};

/// A feed as its template sees it.
#[derive(Serialize)]
struct Feed {
    /// Title of the feed.
    title: String,
    /// Absolute URL of the feed itself (also its id).
    url: String,
    /// Absolute URL of the page listing the same releases.
    page_url: String,
    /// The newest release's date (so the feed is deterministic), as an
    /// RFC 3339 date-time.
    updated: String,
    /// The organisation (or the site's title).
    author: String,
}

/// A release as a feed entry.
#[derive(Serialize)]
struct Entry<'a> {
    title: &'a str,
    url: String,
    date: String,
    tags: &'a [String],
    summary: &'a str,
}

/// Step **feeds**: the Atom feed of every release and of each entity's
/// releases, the sitemap of `page_paths` and robots.txt.
///
/// # Errors
///
/// A template error, or the first write error.
pub fn write(
    v: &Viewer,
    templates: &Templates,
    bodies: &Bodies,
    page_paths: &[String],
    docs: &DocDigests,
    memo: Option<&RenderMemo>,
    put: Put,
) -> Result<(), RenderError> {
    let site = v.site;
    let urls = v.urls;
    let identity = templates.identity();
    // A file made from the same template (and templates) and values as
    // one the memo kept is that file: taken from there.
    let file = |path: String, template: &str, values: &dyn Values| {
        let digest = memo.and(identity).and_then(|identity| {
            let mut h = xxhash_rust::xxh3::Xxh3::new();
            digest::update(&mut h, &(identity, v.lang.code(), template, &path)).ok()?;
            values.digest(&mut h).then(|| h.digest128())
        });
        if let (Some(memo), Some(digest)) = (memo, digest)
            && let Some(bytes) = memo.file(v.lang, &path, digest)
        {
            return put(OutputFile {
                path,
                contents: Contents::Shared(bytes),
            });
        }
        let text = templates
            .render(template, &values.context())
            .map_err(|d| RenderError::Content(vec![d]))?;
        let bytes = xml_chars(text).into_bytes();
        let contents = match (memo, digest) {
            (Some(memo), Some(digest)) => {
                let bytes = bytes::Bytes::from(bytes);
                memo.keep_file(v.lang, &path, digest, bytes.clone());
                Contents::Shared(bytes)
            }
            _ => Contents::Bytes(bytes),
        };
        put(OutputFile { path, contents })
    };
    let summaries: Vec<&str> = site
        .releases
        .iter()
        .zip(&bodies.releases)
        .map(|(r, b)| {
            r.release
                .summary
                .as_deref()
                .unwrap_or(b.first_paragraph.as_str())
        })
        .collect();
    let title = format!("{} · {}", v.t("releases"), site.config.title.get(v.lang));
    let everything: Vec<usize> = (0..site.releases.len()).collect();
    let feed_path = urls.feed();
    file(
        urls.file(&feed_path),
        "feeds/atom.xml",
        &Releases {
            v,
            docs,
            feed: feed(v, title, &feed_path, &urls.releases(), &everything),
            indices: &everything,
            summaries: &summaries,
        },
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
                "feeds/atom.xml",
                &Releases {
                    v,
                    docs,
                    feed: feed(v, title, &path, &urls.entity(&ent.id), mine),
                    indices: mine,
                    summaries: &summaries,
                },
            )
        })?;
    let mut sorted: Vec<&String> = page_paths.iter().collect();
    sorted.sort();
    let locs: Vec<String> = sorted.iter().map(|p| urls.absolute(p)).collect();
    file(
        urls.file(&urls.sitemap()),
        "feeds/sitemap.xml",
        &Sitemap {
            urls_in_sitemap: locs,
        },
    )?;
    // One robots.txt, at the root of the site, names every edition's sitemap.
    let sitemaps = match v.editions {
        Some(e) if !e.is_default(v.lang) => return Ok(()),
        Some(e) => e.sitemaps(),
        None => vec![urls.absolute(&urls.sitemap())],
    };
    let robots = Robots {
        sitemap: urls.absolute(&urls.sitemap()),
        sitemaps,
    };
    file(urls.file(&urls.robots()), "feeds/robots.txt", &robots)
}

/// The values of a feed's template: digested, and made into its context
/// only when it is rendered.
trait Values: Sync {
    /// Feeds the values into `h`; `false` if they cannot be digested.
    fn digest(&self, h: &mut xxhash_rust::xxh3::Xxh3) -> bool;
    /// The template's context.
    fn context(&self) -> Context;
}

/// Values digested as serialised, set in the context field by field (not
/// through `Context::from_serialize`, which copies every value once more).
macro_rules! values {
    ($($ty:ty { $($field:ident),* }),*) => {$(
        impl Values for $ty {
            fn digest(&self, h: &mut xxhash_rust::xxh3::Xxh3) -> bool {
                digest::update(h, self).is_ok()
            }

            fn context(&self) -> Context {
                let mut ctx = Context::new();
                $(ctx.insert(stringify!($field), &self.$field);)*
                ctx
            }
        }
    )*};
}

values!(Sitemap { urls_in_sitemap }, Robots { sitemap, sitemaps });

/// An Atom feed's values: its entries made only when it is rendered, and
/// digested by what they are made from (each release by its digest).
struct Releases<'a> {
    v: &'a Viewer<'a>,
    docs: &'a DocDigests,
    feed: Feed,
    /// The releases, newest first.
    indices: &'a [usize],
    /// The summary of every release of the site.
    summaries: &'a [&'a str],
}

impl Values for Releases<'_> {
    fn digest(&self, h: &mut xxhash_rust::xxh3::Xxh3) -> bool {
        // An entry is made from its release's title, slug, date and tags
        // (in the release's digest: see `DocDigests`), its summary, and
        // the base URL.
        if digest::update(h, &(&self.feed, &self.v.urls.base_url, self.indices.len())).is_err() {
            return false;
        }
        for &i in self.indices {
            let Some(d) = self.docs.release(i) else {
                return false;
            };
            if digest::update(h, &(d.front, self.summaries[i])).is_err() {
                return false;
            }
        }
        true
    }

    fn context(&self) -> Context {
        let mut ctx = Context::new();
        ctx.insert("feed", &self.feed);
        ctx.insert("entries", &entries(self.v, self.indices, self.summaries));
        ctx
    }
}

/// The sitemap's values.
#[derive(Serialize)]
struct Sitemap {
    urls_in_sitemap: Vec<String>,
}

/// robots.txt's values.
#[derive(Serialize)]
struct Robots {
    sitemap: String,
    sitemaps: Vec<String>,
}

/// The feed of the releases at `indices` (newest first), at site path
/// `path`, titled `title`, listed on the page at `page_url`.
fn feed(v: &Viewer, title: String, path: &str, page_url: &str, indices: &[usize]) -> Feed {
    let u = v.urls;
    let updated = indices
        .first()
        .map(|&i| format!("{}T00:00:00Z", v.site.releases[i].release.date))
        .unwrap_or_else(|| "1970-01-01T00:00:00Z".to_string());
    let author = v
        .site
        .config
        .organisation
        .as_ref()
        .map(|o| o.get(v.lang).to_string())
        .unwrap_or_else(|| v.site.config.title.get(v.lang).to_string());
    Feed {
        title,
        url: u.absolute(path),
        page_url: u.absolute(page_url),
        updated,
        author,
    }
}

/// The entries of the releases at `indices`, with their `summaries` (of
/// every release of the site).
fn entries<'a>(v: &'a Viewer, indices: &[usize], summaries: &[&'a str]) -> Vec<Entry<'a>> {
    let u = v.urls;
    indices
        .iter()
        .map(|&i| {
            let r = &v.site.releases[i].release;
            Entry {
                title: &r.title,
                url: u.absolute(&u.release(&r.slug)),
                date: r.date.to_string(),
                tags: &r.tags,
                summary: summaries[i],
            }
        })
        .collect()
}

/// `text` without the characters XML 1.0 does not allow (control characters
/// other than tab, line feed and carriage return, and U+FFFE and U+FFFF),
/// which would make a feed unreadable to every reader.
fn xml_chars(text: String) -> String {
    let allowed = |c: char| {
        matches!(c, '\t' | '\n' | '\r') || (c >= ' ' && c != '\u{fffe}' && c != '\u{ffff}')
    };
    if text.chars().all(allowed) {
        text
    } else {
        text.chars().filter(|&c| allowed(c)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn characters_xml_forbids_are_dropped() {
        assert_eq!(xml_chars("a\u{1}b\tc\u{1b}".into()), "ab\tc");
        assert_eq!(xml_chars("a\u{fffe}b\u{ffff}\u{85}".into()), "ab\u{85}");
        assert_eq!(xml_chars("Rilis Maluku".into()), "Rilis Maluku");
    }
}

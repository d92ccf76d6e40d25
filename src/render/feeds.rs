//! Atom feeds of releases, the sitemap and robots.txt.

use rayon::prelude::*;

use super::bodies::Bodies;
use super::views::Viewer;
use super::{Put, RenderError};
use crate::model::Audience;
use crate::urls::Urls;
use crate::write::{Contents, OutputFile};

/// Step **feeds**: the Atom feed of every release and of each entity's
/// releases, the sitemap of `page_paths` and robots.txt.
///
/// # Errors
///
/// The first write error.
pub fn write(
    v: &Viewer,
    bodies: &Bodies,
    page_paths: &[String],
    put: Put,
) -> Result<(), RenderError> {
    let site = v.site;
    let urls = v.urls;
    let file = |path: String, data: Vec<u8>| {
        put(OutputFile {
            path,
            contents: Contents::Bytes(data),
        })
    };
    let summaries: Vec<String> = site
        .releases
        .iter()
        .zip(&bodies.releases)
        .map(|(r, b)| {
            r.release
                .summary
                .clone()
                .unwrap_or_else(|| b.first_paragraph.clone())
        })
        .collect();
    let title = format!("{} · {}", v.t("releases"), site.config.title.get(v.lang));
    let everything: Vec<usize> = (0..site.releases.len()).collect();
    let feed_path = urls.feed();
    file(
        urls.file(&feed_path),
        atom(
            v,
            &title,
            &feed_path,
            &urls.releases(),
            &everything,
            &summaries,
        ),
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
                atom(v, &title, &path, &urls.entity(&ent.id), mine, &summaries),
            )
        })?;
    file(urls.file(&urls.sitemap()), sitemap(urls, page_paths))?;
    file(
        urls.file(&urls.robots()),
        robots(urls, site.selection.audience),
    )
}

fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&apos;"),
            c => o.push(c),
        }
    }
    o
}

/// An Atom feed of the releases at `indices` (newest first), at site path `path`.
/// `updated` is the newest release's date, so the feed is deterministic.
pub fn atom(
    v: &Viewer,
    title: &str,
    path: &str,
    page_url: &str,
    indices: &[usize],
    summaries: &[String],
) -> Vec<u8> {
    let u = v.urls;
    let updated = indices
        .first()
        .map(|&i| format!("{}T00:00:00Z", v.site.releases[i].release.date))
        .unwrap_or_else(|| "1970-01-01T00:00:00Z".to_string());
    let mut x = String::new();
    x.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    x.push_str(&format!(
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n",
        v.lang.code()
    ));
    x.push_str(&format!("  <title>{}</title>\n", esc(title)));
    x.push_str(&format!("  <id>{}</id>\n", esc(&u.absolute(path))));
    x.push_str(&format!(
        "  <link rel=\"self\" href=\"{}\"/>\n",
        esc(&u.absolute(path))
    ));
    x.push_str(&format!(
        "  <link rel=\"alternate\" href=\"{}\"/>\n",
        esc(&u.absolute(page_url))
    ));
    x.push_str(&format!("  <updated>{updated}</updated>\n"));
    x.push_str(&format!(
        "  <author><name>{}</name></author>\n",
        esc(&org(v))
    ));
    for &i in indices {
        let r = &v.site.releases[i].release;
        let url = u.absolute(&u.release(&r.slug));
        x.push_str("  <entry>\n");
        x.push_str(&format!("    <title>{}</title>\n", esc(&r.title)));
        x.push_str(&format!("    <id>{}</id>\n", esc(&url)));
        x.push_str(&format!(
            "    <link rel=\"alternate\" href=\"{}\"/>\n",
            esc(&url)
        ));
        x.push_str(&format!(
            "    <published>{}T00:00:00Z</published>\n",
            r.date
        ));
        x.push_str(&format!("    <updated>{}T00:00:00Z</updated>\n", r.date));
        for t in &r.tags {
            x.push_str(&format!("    <category term=\"{}\"/>\n", esc(t)));
        }
        x.push_str(&format!("    <summary>{}</summary>\n", esc(&summaries[i])));
        x.push_str("  </entry>\n");
    }
    x.push_str("</feed>\n");
    x.into_bytes()
}

fn org(v: &Viewer) -> String {
    v.site
        .config
        .organisation
        .as_ref()
        .map(|o| o.get(v.lang).to_string())
        .unwrap_or_else(|| v.site.config.title.get(v.lang).to_string())
}

/// `sitemap.xml` listing `paths` (site paths of HTML pages), sorted.
pub fn sitemap(urls: &Urls, paths: &[String]) -> Vec<u8> {
    let mut sorted: Vec<&String> = paths.iter().collect();
    sorted.sort();
    let mut x = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for p in sorted {
        x.push_str(&format!(
            "  <url><loc>{}</loc></url>\n",
            esc(&urls.absolute(p))
        ));
    }
    x.push_str("</urlset>\n");
    x.into_bytes()
}

/// `robots.txt`: everything allowed for a public build, nothing for an internal one.
pub fn robots(urls: &Urls, audience: Audience) -> Vec<u8> {
    match audience {
        Audience::Public => format!(
            "User-agent: *\nAllow: /\n\nSitemap: {}\n",
            urls.absolute(&urls.sitemap())
        ),
        Audience::Internal => {
            "# Internal build: not for indexing.\nUser-agent: *\nDisallow: /\n".to_string()
        }
    }
    .into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_text_is_escaped() {
        assert_eq!(esc("R&D <Ops> \"x\""), "R&amp;D &lt;Ops&gt; &quot;x&quot;");
    }

    #[test]
    fn internal_builds_disallow_everything() {
        let u = Urls::new("https://x.org/");
        let r = String::from_utf8(robots(&u, Audience::Internal)).unwrap();
        assert!(r.contains("Disallow: /"));
        let r = String::from_utf8(robots(&u, Audience::Public)).unwrap();
        assert!(r.contains("Sitemap: https://x.org/sitemap.xml"));
    }
}

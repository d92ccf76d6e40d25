//! Markdown to HTML with pulldown-cmark: tables, footnotes, strikethrough,
//! heading anchors. Raw HTML is dropped, sanitised or trusted as the site's
//! [`HtmlPolicy`] says; script links never pass unless the site trusts its HTML.

use std::collections::HashSet;
use std::sync::LazyLock;

pub use crate::model::HtmlPolicy;

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd, html};

/// Markdown rendered to HTML, with what lists and previews need.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Rendered {
    /// The HTML body.
    pub html: String,
    /// The text of the first paragraph, for summaries and descriptions.
    pub first_paragraph: String,
    /// Headings (level, id, text) in order, for a table of contents.
    pub headings: Vec<(u8, String, String)>,
    /// Every element id the HTML holds (headings and footnotes), and the
    /// ids the page around it was reserved.
    pub ids: HashSet<String>,
}

/// Ids the default page templates give elements: a heading never takes one.
pub const TEMPLATE_IDS: &[&str] = &[
    "main",
    "headline",
    "latest-releases",
    "latest-meetings",
    "search-form",
    "search-q",
    "search-status",
    "search-results",
    "search-root",
];

/// `base`, or `base-1`, `base-2` ... : the first not in `taken`, which it
/// joins.
pub fn unique_id(base: &str, taken: &mut HashSet<String>) -> String {
    let mut id = base.to_string();
    let mut n = 1;
    while taken.contains(&id) {
        id = format!("{base}-{n}");
        n += 1;
    }
    taken.insert(id.clone());
    id
}

/// How Markdown is rendered.
#[derive(Debug, Clone, Copy, Default)]
pub struct MarkdownOptions {
    /// What happens to raw HTML (the site's `allow_html`).
    pub html: HtmlPolicy,
}

/// The allow-list applied to a body with raw HTML when the site says
/// `allow_html: true`: ammonia's defaults (no script, style, event handler,
/// form, frame or `javascript:` URL), plus the ids and classes that heading
/// anchors and footnotes need, the checkboxes of task lists, and links left
/// without an added `rel` so sanitising changes nothing Markdown made itself.
static SANITISER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut b = ammonia::Builder::default();
    b.add_generic_attributes(["id", "class"])
        .add_tags(["input"])
        .add_tag_attributes("input", ["type", "checked", "disabled"])
        .link_rel(None);
    b
});

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_TASKLISTS
}

/// Whether a link or image destination is safe without `allow_html`.
fn safe_url(url: &str) -> bool {
    let lower: String = url
        .trim()
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect::<String>()
        .to_ascii_lowercase();
    !(lower.starts_with("javascript:")
        || lower.starts_with("vbscript:")
        || lower.starts_with("data:"))
}

/// Renders `source` to HTML.
///
/// ```
/// use rekap::render::markdown::{render, MarkdownOptions};
/// let r = render("## Hasil 2016\n\n<script>x</script>\n\nTeks.", MarkdownOptions::default());
/// assert!(r.html.contains(r#"<h2 id="hasil-2016">"#));
/// assert!(!r.html.contains("<script>"));
/// ```
pub fn render(source: &str, opts: MarkdownOptions) -> Rendered {
    render_reserving(source, opts, &[])
}

/// [`render`], with heading ids that also avoid `reserved` (ids of the page
/// around the body, such as a chart shown above it).
pub fn render_reserving(source: &str, opts: MarkdownOptions, reserved: &[String]) -> Rendered {
    let parser = Parser::new_ext(source, options());
    let mut events: Vec<Event> = parser.collect();
    let mut out = Rendered::default();

    // Heading anchors: ids from the heading text, unique within the page:
    // among themselves, and against footnotes and the page's own ids.
    let mut used: HashSet<String> = TEMPLATE_IDS.iter().map(|s| s.to_string()).collect();
    used.extend(reserved.iter().cloned());
    for ev in &events {
        if let Event::Start(Tag::FootnoteDefinition(label)) = ev {
            used.insert(label.to_string());
        }
    }
    let mut i = 0;
    while i < events.len() {
        if let Event::Start(Tag::Heading { level, id, .. }) = &events[i] {
            let level = *level;
            let given = id.clone();
            let mut text = String::new();
            let mut j = i + 1;
            while j < events.len() && !matches!(events[j], Event::End(TagEnd::Heading(_))) {
                if let Event::Text(t) | Event::Code(t) = &events[j] {
                    text.push_str(t);
                }
                j += 1;
            }
            let base = match given {
                Some(g) => crate::slug::slugify(&g),
                None => crate::slug::slugify(&text),
            };
            let base = if base.is_empty() {
                "bagian".to_string()
            } else {
                base
            };
            let anchor = unique_id(&base, &mut used);
            // Only the slug-safe id survives: classes and attributes given in
            // `{...}` after a heading would reach the page as markup
            // (`{onmouseover=...}` is an event handler).
            if let Event::Start(Tag::Heading {
                id, classes, attrs, ..
            }) = &mut events[i]
            {
                *id = Some(CowStr::from(anchor.clone()));
                classes.clear();
                attrs.clear();
            }
            out.headings.push((heading_level(level), anchor, text));
            i = j;
        }
        i += 1;
    }

    // First paragraph text.
    let mut in_first = false;
    for ev in &events {
        match ev {
            Event::Start(Tag::Paragraph) if out.first_paragraph.is_empty() => in_first = true,
            Event::End(TagEnd::Paragraph) if in_first => break,
            Event::Text(t) | Event::Code(t) if in_first => out.first_paragraph.push_str(t),
            Event::SoftBreak | Event::HardBreak if in_first => out.first_paragraph.push(' '),
            _ => {}
        }
    }

    let has_html = events
        .iter()
        .any(|ev| matches!(ev, Event::Html(_) | Event::InlineHtml(_)));
    let events = events.into_iter().filter_map(|ev| {
        if opts.html == HtmlPolicy::Trusted {
            return Some(ev);
        }
        match ev {
            Event::Html(_) | Event::InlineHtml(_) if opts.html == HtmlPolicy::Drop => None,
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) if !safe_url(&dest_url) => Some(Event::Start(Tag::Link {
                link_type,
                dest_url: CowStr::from("#"),
                title,
                id,
            })),
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) if !safe_url(&dest_url) => Some(Event::Start(Tag::Image {
                link_type,
                dest_url: CowStr::from(""),
                title,
                id,
            })),
            ev => Some(ev),
        }
    });
    out.ids = used;
    html::push_html(&mut out.html, events);
    if opts.html == HtmlPolicy::Sanitise && has_html {
        out.html = SANITISER.clean(&out.html).to_string();
    }
    out
}

fn heading_level(l: HeadingLevel) -> u8 {
    match l {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn md(s: &str) -> String {
        render(s, MarkdownOptions::default()).html
    }

    #[test]
    fn raw_html_is_dropped_by_default() {
        let h = md("a <b onclick=\"x()\">bold</b>\n\n<div>block</div>\n");
        assert_eq!(h, "<p>a bold</p>\n", "the text stays, the tags go");
    }

    #[test]
    fn raw_html_passes_when_the_site_allows_it() {
        let html = HtmlPolicy::Sanitise;
        let h = render("<div>block</div>\n", MarkdownOptions { html }).html;
        assert_eq!(h, "<div>block</div>\n");
    }

    #[test]
    fn sanitised_html_keeps_formatting_and_loses_script() {
        let html = HtmlPolicy::Sanitise;
        let src = "<p onclick=\"x()\">a <b>b</b> <a href=\"javascript:alert(1)\">c</a></p>\n\n\
                   <script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n\
                   <iframe src=\"https://evil.example/\"></iframe>\n\n\
                   <style>body{display:none}</style>\n\n[d](javascript:alert(2))\n";
        let h = render(src, MarkdownOptions { html }).html;
        for bad in [
            "onclick",
            "javascript",
            "<script",
            "onerror",
            "<iframe",
            "<style",
            "alert",
        ] {
            assert!(!h.contains(bad), "{bad} in {h}");
        }
        assert!(h.contains("<b>b</b>"), "{h}");
        assert!(h.contains("<img src=\"x\">"), "{h}");
    }

    #[test]
    fn sanitising_keeps_what_markdown_made() {
        let src = "## Hasil\n\nTeks[^1] <b>b</b> [x](https://a.example/)\n\n- [x] done\n\n[^1]: Catatan.\n";
        let plain = render(&src.replace("<b>b</b>", "b"), MarkdownOptions::default()).html;
        let html = HtmlPolicy::Sanitise;
        let clean = render(src, MarkdownOptions { html }).html;
        // The one difference: the sanitiser writes HTML, not XHTML, void tags.
        assert_eq!(clean.replace("<b>b</b>", "b"), plain.replace("/>", ">"));
    }

    #[test]
    fn trusted_html_passes_as_written() {
        let html = HtmlPolicy::Trusted;
        let h = render(
            "<div onclick=\"x()\">block</div>\n",
            MarkdownOptions { html },
        )
        .html;
        assert_eq!(h, "<div onclick=\"x()\">block</div>\n");
    }

    #[test]
    fn script_links_are_neutralised() {
        let h = md("[x](javascript:alert(1)) [y]( JaVaScRiPt:alert(1))");
        assert!(!h.to_lowercase().contains("javascript"), "{h}");
        assert_eq!(
            h, "<p><a href=\"#\">x</a> <a href=\"#\">y</a></p>\n",
            "the links stay, pointing nowhere"
        );
    }

    #[test]
    fn tables_footnotes_and_strikethrough_render() {
        let h = md("| a | b |\n|---|---|\n| 1 | 2 |\n\nText[^1] ~~old~~\n\n[^1]: Note.\n");
        assert!(h.contains("<table>"));
        assert!(h.contains("<del>old</del>"));
        assert!(h.contains("footnote"));
    }

    #[test]
    fn heading_anchors_are_unique() {
        let r = render("## Target\n\n## Target\n", MarkdownOptions::default());
        assert!(r.html.contains(r#"id="target""#));
        assert!(r.html.contains(r#"id="target-1""#));
    }

    /// Every `id="..."` of `html`, in order.
    fn ids(html: &str) -> Vec<&str> {
        html.split(" id=\"")
            .skip(1)
            .map(|s| s.split('"').next().unwrap())
            .collect()
    }

    #[test]
    fn heading_anchors_never_repeat_whatever_the_headings_say() {
        let src = "## Target\n\n## Target\n\n## Target 1\n\n## Main\n\n## 1\n\n## X {#target}\n\nA[^1].\n\n[^1]: Note.\n";
        let r = render(src, MarkdownOptions::default());
        let found = ids(&r.html);
        let mut unique = found.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(found.len(), unique.len(), "{found:?}");
        assert!(
            !found.contains(&"main"),
            "the template's <main id=main>: {found:?}"
        );
        assert_eq!(found.iter().filter(|i| **i == "1").count(), 1, "{found:?}");
    }

    #[test]
    fn heading_attributes_keep_only_a_slug_safe_id() {
        for html in [HtmlPolicy::Drop, HtmlPolicy::Sanitise, HtmlPolicy::Trusted] {
            let r = render(
                "## Title {#My\"Id .evil onmouseover=alert(1) autofocus onfocus=alert(2)}\n",
                MarkdownOptions { html },
            );
            assert_eq!(r.html, "<h2 id=\"my-id\">Title</h2>\n", "{html:?}");
        }
    }

    #[test]
    fn first_paragraph_is_plain_text() {
        let r = render(
            "# T\n\nSatu *dua*\ntiga.\n\nEmpat.",
            MarkdownOptions::default(),
        );
        assert_eq!(r.first_paragraph, "Satu dua tiga.");
    }
}

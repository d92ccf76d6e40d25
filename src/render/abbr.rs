//! Abbreviations from the site's glossary (`glossary:` in `site.yaml`),
//! marked in every page: each use in the page's main content is an
//! `<abbr title="...">`, and the first use in running text (a paragraph, a
//! list item, a table cell) also gets its expansion in brackets, unless the
//! page already wrote the expansion before it ("Penerima Upah (PU)").
//! Charts, code, links and headings are left as they are, but for the
//! `<abbr>` around a use in a link or heading.

use super::views::Viewer;

/// The glossary of a build, in the site's language.
#[derive(serde::Serialize)]
pub struct Glossary {
    /// (abbreviation, expansion, language of the expansion when not the page's).
    terms: Vec<(String, String, Option<&'static str>)>,
}

impl Glossary {
    /// The site's glossary; terms are matched longest first.
    pub fn new(v: &Viewer) -> Glossary {
        let mut terms: Vec<(String, String, Option<&'static str>)> = v
            .site
            .config
            .glossary
            .iter()
            .filter(|(k, t)| !k.trim().is_empty() && !t.is_empty())
            .map(|(k, t)| {
                (
                    k.trim().to_string(),
                    t.get(v.lang).to_string(),
                    v.lang_of(t),
                )
            })
            .collect();
        terms.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.0.cmp(&b.0)));
        Glossary { terms }
    }

    /// Whether there is nothing to mark.
    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }
}

/// Elements whose text is never touched.
const SKIP: &[&str] = &[
    "svg", "script", "style", "abbr", "code", "pre", "textarea", "title",
];
/// Elements whose text gets `<abbr>` but no expansion.
const NO_EXPANSION: &[&str] = &[
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "a",
    "th",
    "button",
    "figcaption",
    "summary",
    "label",
    "caption",
    "dt",
];

/// Escapes text for an attribute value.
fn attr(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// `html` with the glossary's abbreviations marked in its `<main>`.
pub fn apply(html: &str, g: &Glossary) -> String {
    if g.is_empty() {
        return html.to_string();
    }
    let (Some(start), Some(end)) = (html.find("<main"), html.rfind("</main>")) else {
        return html.to_string();
    };
    let mut out = String::with_capacity(html.len() + 256);
    out.push_str(&html[..start]);
    let mut expanded = vec![false; g.terms.len()];
    let mut seen = String::new();
    let (mut skip, mut plain) = (0usize, 0usize);
    let mut rest = &html[start..end];
    while !rest.is_empty() {
        match rest.find('<') {
            Some(0) => {
                let close = rest.find('>').map_or(rest.len(), |i| i + 1);
                let tag = &rest[..close];
                let closing = tag.starts_with("</");
                let name: String = tag
                    .trim_start_matches('<')
                    .trim_start_matches('/')
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric())
                    .collect::<String>()
                    .to_ascii_lowercase();
                let count = |list: &[&str]| list.contains(&name.as_str());
                let self_closing = tag.ends_with("/>");
                if count(SKIP) && !self_closing {
                    skip = if closing {
                        skip.saturating_sub(1)
                    } else {
                        skip + 1
                    };
                } else if count(NO_EXPANSION) && !self_closing {
                    plain = if closing {
                        plain.saturating_sub(1)
                    } else {
                        plain + 1
                    };
                }
                out.push_str(tag);
                rest = &rest[close..];
            }
            found => {
                let len = found.unwrap_or(rest.len());
                let text = &rest[..len];
                if skip > 0 {
                    out.push_str(text);
                } else {
                    mark(text, g, plain == 0, &mut expanded, &mut seen, &mut out);
                }
                rest = &rest[len..];
            }
        }
    }
    out.push_str(&html[end..]);
    out
}

/// Marks the abbreviations of one text node into `out`.
fn mark(
    text: &str,
    g: &Glossary,
    may_expand: bool,
    expanded: &mut [bool],
    seen: &mut String,
    out: &mut String,
) {
    let bytes = text.as_bytes();
    let word = |i: usize| bytes.get(i).is_some_and(|b| b.is_ascii_alphanumeric());
    let mut i = 0;
    let mut from = 0;
    while i < text.len() {
        if !text.is_char_boundary(i) || (i > 0 && word(i - 1)) {
            i += 1;
            continue;
        }
        let hit =
            g.terms.iter().enumerate().find(|(_, (abbr, ..))| {
                text[i..].starts_with(abbr.as_str()) && !word(i + abbr.len())
            });
        let Some((k, (abbr, expansion, lang))) = hit else {
            i += 1;
            continue;
        };
        out.push_str(&text[from..i]);
        seen.push_str(&text[from..i].to_lowercase());
        let title = attr(expansion);
        out.push_str(&format!("<abbr title=\"{title}\">{abbr}</abbr>"));
        let written = seen.contains(&expansion.to_lowercase());
        if may_expand && !expanded[k] && !written {
            let lang = lang.map(|l| format!(" lang=\"{l}\"")).unwrap_or_default();
            out.push_str(&format!(
                " <span class=\"abbr-expansion\"{lang}>({})</span>",
                attr(expansion)
            ));
            expanded[k] = true;
        } else if written && may_expand {
            expanded[k] = true;
        }
        seen.push_str(&abbr.to_lowercase());
        i += abbr.len();
        from = i;
    }
    out.push_str(&text[from..]);
    seen.push_str(&text[from..].to_lowercase());
}

#[cfg(test)]
mod tests {
    use super::*;

    fn glossary() -> Glossary {
        Glossary {
            terms: vec![
                ("BPU".into(), "Bukan Penerima Upah".into(), None),
                ("JHT".into(), "Jaminan Hari Tua".into(), Some("id")),
                ("PU".into(), "Penerima Upah".into(), None),
            ],
        }
    }

    #[test]
    fn the_first_use_in_running_text_is_expanded_once() {
        let html = "<head><title>JHT</title></head><main><h2>Program JHT</h2><p>Iuran JHT naik; JHT lagi.</p><svg><text>JHT</text></svg></main>";
        let out = apply(html, &glossary());
        assert!(
            out.contains("<title>JHT</title>"),
            "outside main: untouched"
        );
        assert!(out.contains("<h2>Program <abbr title=\"Jaminan Hari Tua\">JHT</abbr></h2>"));
        assert!(out.contains(
            "<p>Iuran <abbr title=\"Jaminan Hari Tua\">JHT</abbr> <span class=\"abbr-expansion\" lang=\"id\">(Jaminan Hari Tua)</span> naik; <abbr title=\"Jaminan Hari Tua\">JHT</abbr> lagi.</p>"
        ));
        assert!(
            out.contains("<svg><text>JHT</text></svg>"),
            "charts untouched"
        );
    }

    #[test]
    fn whole_words_only_and_an_expansion_written_before_counts() {
        let html = "<main><p>Penerima Upah (PU) dan BPU, bukan PUSAT.</p></main>";
        let out = apply(html, &glossary());
        assert_eq!(
            out,
            "<main><p>Penerima Upah (<abbr title=\"Penerima Upah\">PU</abbr>) dan <abbr title=\"Bukan Penerima Upah\">BPU</abbr> <span class=\"abbr-expansion\">(Bukan Penerima Upah)</span>, bukan PUSAT.</p></main>"
        );
    }
}

//! Link checking: every internal link, anchor and asset of the rendered site
//! must resolve to a file (and an element id) that the build writes.

use std::collections::{HashMap, HashSet};

use crate::diagnostics::Diagnostic;
use crate::model::{Origin, Pos};
use crate::write::{Contents, OutputFile};

/// Values of `attr="..."` attributes in `html`.
fn attr_values<'a>(html: &'a str, attr: &str) -> Vec<&'a str> {
    let needle = format!(" {attr}=\"");
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find(&needle) {
        rest = &rest[i + needle.len()..];
        if let Some(end) = rest.find('"') {
            out.push(&rest[..end]);
            rest = &rest[end..];
        }
    }
    out
}

fn decode(s: &str) -> String {
    s.replace("&amp;", "&")
        .replace("&#x27;", "'")
        .replace("&quot;", "\"")
}

/// Resolves a link found in output file `from` to an output path, or `None` for external links.
fn resolve(from: &str, link: &str, base_path: &str) -> Option<(String, Option<String>)> {
    let link = decode(link);
    if link.is_empty()
        || link.starts_with("//")
        || link.contains("://")
        || link.starts_with("mailto:")
        || link.starts_with("tel:")
        || link.starts_with("data:")
    {
        return None;
    }
    let (path, frag) = match link.split_once('#') {
        Some((p, f)) => (p.to_string(), Some(f.to_string())),
        None => (link.clone(), None),
    };
    let path = path.split('?').next().unwrap_or("").to_string();
    let joined = if path.is_empty() {
        from.to_string()
    } else if let Some(rest) = path.strip_prefix(base_path) {
        rest.to_string()
    } else if path.starts_with('/') {
        // Outside the site's base path: not ours to check.
        return None;
    } else {
        let dir = from
            .rsplit_once('/')
            .map(|(d, _)| format!("{d}/"))
            .unwrap_or_default();
        format!("{dir}{path}")
    };
    // Normalise `.` and `..`.
    let mut parts: Vec<&str> = Vec::new();
    for seg in joined.split('/') {
        match seg {
            "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    let mut p = parts.join("/");
    if p.is_empty() || p.ends_with('/') {
        p.push_str("index.html");
    }
    Some((p, frag))
}

/// Checks every `href` and `src` of every HTML file among `files`.
pub fn check(files: &[OutputFile], base_path: &str) -> Vec<Diagnostic> {
    let paths: HashSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
    let html: Vec<(&str, &str)> = files
        .iter()
        .filter(|f| f.path.ends_with(".html"))
        .filter_map(|f| match &f.contents {
            Contents::Bytes(b) => std::str::from_utf8(b).ok().map(|s| (f.path.as_str(), s)),
            Contents::Copy(_) => None,
        })
        .collect();
    let ids: HashMap<&str, HashSet<&str>> = html
        .iter()
        .map(|(p, h)| (*p, attr_values(h, "id").into_iter().collect()))
        .collect();
    let mut out = Vec::new();
    for (path, h) in &html {
        let mut seen = HashSet::new();
        for link in attr_values(h, "href")
            .into_iter()
            .chain(attr_values(h, "src"))
        {
            if !seen.insert(link) {
                continue;
            }
            let Some((target, frag)) = resolve(path, link, base_path) else {
                continue;
            };
            let origin = Origin::new(format!("(built page) {path}"), Pos::default());
            if !paths.contains(target.as_str()) {
                out.push(
                    Diagnostic::error(origin, format!("broken link to `{link}`"))
                        .with_help(format!("nothing is written at `{target}`; fix the link, or add the file under static/")),
                );
                continue;
            }
            if let (Some(f), Some(target_ids)) =
                (frag.filter(|f| !f.is_empty()), ids.get(target.as_str()))
                && !target_ids.contains(f.as_str())
            {
                out.push(
                    Diagnostic::error(origin, format!("broken anchor in `{link}`"))
                        .with_help(format!("`{target}` has no element with id `{f}`")),
                );
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(path: &str, html: &str) -> OutputFile {
        OutputFile {
            path: path.into(),
            contents: Contents::Bytes(html.as_bytes().to_vec()),
        }
    }

    #[test]
    fn working_links_and_anchors_pass() {
        let files = vec![
            page(
                "index.html",
                r##"<a href="/a/">A</a> <a href="/a/#x">X</a> <a href="#top">T</a> <p id="top"></p> <img src="/i.png">"##,
            ),
            page(
                "a/index.html",
                r#"<h2 id="x">x</h2><a href="../index.html">up</a><a href="https://e.org/">e</a>"#,
            ),
            page("i.png", ""),
        ];
        assert!(check(&files, "/").is_empty(), "{:?}", check(&files, "/"));
    }

    #[test]
    fn a_missing_page_and_a_missing_anchor_are_reported_with_the_page() {
        let files = vec![page(
            "index.html",
            r#"<a href="/gone/">G</a> <a href="/#nope">N</a>"#,
        )];
        let d = check(&files, "/");
        assert_eq!(d.len(), 2);
        assert!(d[0].message.contains("/gone/") && d[0].origin.file.contains("index.html"));
        assert!(d[1].message.contains("anchor"));
    }
}

//! Archive mode: every link and asset made relative, so the built site opens
//! from a folder or a zip file with `file://`, with no server and no network.

use super::attrs;

/// Rewrites root-relative `href`, `src` and `action` values of the HTML page
/// at output path `file` (like `regions/gorontalo/index.html`) into relative
/// ones, appending `index.html` to folder links. Only attributes of tags are
/// rewritten (quoted with `"` or `'`, or unquoted): a URL written as text,
/// in `<code>` or `<pre>` say, stays as written.
///
/// ```
/// use rekap::render::relative::relativize;
/// let html = r#"<a href="/regions/gorontalo/">G</a> <link href="/assets/style.css?v=1">"#;
/// let out = relativize(html, "releases/x/index.html", "/");
/// assert_eq!(out, r#"<a href="../../regions/gorontalo/index.html">G</a> <link href="../../assets/style.css?v=1">"#);
/// ```
pub fn relativize(html: &str, file: &str, base_path: &str) -> String {
    let depth = file.matches('/').count();
    let prefix = "../".repeat(depth);
    let mut edits: Vec<(std::ops::Range<usize>, String)> = Vec::new();
    attrs::for_each(html, |a| {
        if matches!(
            a.name.to_ascii_lowercase().as_str(),
            "href" | "src" | "action"
        ) {
            let new = rewrite(a.value, &prefix, base_path);
            if new != a.value {
                edits.push((a.range, new));
            }
        }
    });
    if edits.is_empty() {
        return html.to_string();
    }
    let mut out = String::with_capacity(html.len() + 256);
    let mut at = 0;
    for (range, new) in edits {
        out.push_str(&html[at..range.start]);
        out.push_str(&new);
        at = range.end;
    }
    out.push_str(&html[at..]);
    out
}

fn rewrite(value: &str, prefix: &str, base_path: &str) -> String {
    if value.starts_with("//") {
        return value.to_string();
    }
    let Some(tail) = value.strip_prefix(base_path) else {
        // A relative link to a folder (`../metodologi/`) needs its index.html on disk.
        let is_relative =
            !value.starts_with('/') && !value.starts_with('#') && !value.contains(':');
        if is_relative {
            let (path, suffix) = match value.find(['?', '#']) {
                Some(i) => (&value[..i], &value[i..]),
                None => (value, ""),
            };
            if path.ends_with('/') || path == "." || path == ".." {
                let sep = if path.ends_with('/') { "" } else { "/" };
                return format!("{path}{sep}index.html{suffix}");
            }
        }
        return value.to_string();
    };
    let (path, suffix) = match tail.find(['?', '#']) {
        Some(i) => (&tail[..i], &tail[i..]),
        None => (tail, ""),
    };
    let path = if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.to_string()
    };
    format!("{prefix}{path}{suffix}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_home_page_links_stay_inside_the_folder() {
        let out = relativize(
            r#"<a href="/">H</a><a href="/releases/#top">R</a>"#,
            "index.html",
            "/",
        );
        assert_eq!(
            out,
            r#"<a href="index.html">H</a><a href="releases/index.html#top">R</a>"#
        );
    }

    #[test]
    fn external_and_relative_links_are_left_alone() {
        let html = r##"<a href="https://x.org/a/">x</a><a href="//cdn/x">y</a><a href="data.csv">z</a><a href="#f1">f</a>"##;
        assert_eq!(relativize(html, "a/index.html", "/"), html);
    }

    #[test]
    fn relative_folder_links_get_their_index_file() {
        let out = relativize(
            r#"<a href="../metodologi/">m</a><a href="../x/#a">x</a>"#,
            "tentang/index.html",
            "/",
        );
        assert_eq!(
            out,
            r#"<a href="../metodologi/index.html">m</a><a href="../x/index.html#a">x</a>"#
        );
    }

    #[test]
    fn a_base_path_is_stripped() {
        let out = relativize(
            r#"<a href="/laporan/regions/x/">x</a>"#,
            "regions/y/index.html",
            "/laporan/",
        );
        assert_eq!(out, r#"<a href="../../regions/x/index.html">x</a>"#);
    }

    #[test]
    fn urls_written_as_text_in_code_stay_as_written() {
        let html = concat!(
            r#"<p>Write <code>&lt;a href="/regions/"&gt;</code> or <code>href="/x/"</code>:</p>"#,
            "\n<pre><code>src=\"/assets/a.png\" href=\"/\"\n</code></pre>",
            r#"<script>var a = '<a href="/x/">';</script><!-- <a href="/y/"> -->"#,
        );
        assert_eq!(relativize(html, "a/index.html", "/"), html);
    }

    #[test]
    fn single_quoted_and_unquoted_attributes_are_rewritten() {
        let out = relativize(
            "<a href='/regions/'>r</a><img src=/charts/a.png alt=x><a href = \"/\">h</a>",
            "a/index.html",
            "/",
        );
        assert_eq!(
            out,
            "<a href='../regions/index.html'>r</a><img src=../charts/a.png alt=x><a href = \"../index.html\">h</a>"
        );
    }
}

//! The attributes of the tags of an HTML page, found the way a browser
//! finds them: only inside tags (never in text, comments, or the raw text of
//! `<script>` and `<style>`), with double-quoted, single-quoted and unquoted
//! values alike. The link checker ([`super::links`]) and archive mode
//! ([`super::relative`]) read and rewrite URLs with it, so neither touches a
//! URL written as text in `<code>` or `<pre>`.

use std::ops::Range;

/// One attribute of a tag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attr<'a> {
    /// The tag's name, lowercase as written (`a`, `img`, `link`).
    pub tag: &'a str,
    /// The attribute's name as written (`href`).
    pub name: &'a str,
    /// The value as written, without its quotes (entities not decoded).
    pub value: &'a str,
    /// Where the value is in the page (without its quotes).
    pub range: Range<usize>,
}

/// Calls `f` with every attribute of every tag of `html`, in order.
///
/// ```
/// use rekap::render::attrs::for_each;
/// let mut found = Vec::new();
/// for_each(
///     r#"<a href='/x/' title=t>see <code>href="/y/"</code></a><img src=/i.png><script>var s = '<a href="/z/">';</script>"#,
///     |a| found.push((a.tag.to_string(), a.name.to_string(), a.value.to_string())),
/// );
/// assert_eq!(found, [
///     ("a".into(), "href".into(), "/x/".into()),
///     ("a".into(), "title".into(), "t".into()),
///     ("img".into(), "src".into(), "/i.png".into()),
/// ]);
/// ```
pub fn for_each<'a>(html: &'a str, mut f: impl FnMut(Attr<'a>)) {
    let b = html.as_bytes();
    let n = b.len();
    let mut i = 0;
    while let Some(off) = html.get(i..).and_then(|r| r.find('<')) {
        i += off;
        let rest = &html[i..];
        if rest.starts_with("<!--") {
            i = rest.find("-->").map_or(n, |e| i + e + 3);
            continue;
        }
        if rest.starts_with("<!") || rest.starts_with("<?") || rest.starts_with("</") {
            i = rest.find('>').map_or(n, |e| i + e + 1);
            continue;
        }
        if !b.get(i + 1).is_some_and(u8::is_ascii_alphabetic) {
            i += 1;
            continue;
        }
        // A start tag: its name, then its attributes up to `>`.
        let name_start = i + 1;
        let mut j = name_start;
        while j < n && (b[j].is_ascii_alphanumeric() || b[j] == b'-' || b[j] == b':') {
            j += 1;
        }
        let tag = &html[name_start..j];
        loop {
            while j < n && (b[j].is_ascii_whitespace() || b[j] == b'/') {
                j += 1;
            }
            if j >= n || b[j] == b'>' {
                j += 1;
                break;
            }
            let a = j;
            while j < n && !b[j].is_ascii_whitespace() && !matches!(b[j], b'=' | b'>' | b'/') {
                j += 1;
            }
            // A lone `/` or `"` would never advance: step over it.
            if j == a {
                j += 1;
                continue;
            }
            let name = &html[a..j];
            let mut k = j;
            while k < n && b[k].is_ascii_whitespace() {
                k += 1;
            }
            if k >= n || b[k] != b'=' {
                continue;
            }
            k += 1;
            while k < n && b[k].is_ascii_whitespace() {
                k += 1;
            }
            let (start, end, next) = match b.get(k) {
                Some(&q @ (b'"' | b'\'')) => {
                    let end = html[k + 1..].find(q as char).map_or(n, |e| k + 1 + e);
                    (k + 1, end, (end + 1).min(n))
                }
                _ => {
                    let mut e = k;
                    while e < n && !b[e].is_ascii_whitespace() && b[e] != b'>' {
                        e += 1;
                    }
                    (k, e, e)
                }
            };
            f(Attr {
                tag,
                name,
                value: &html[start..end],
                range: start..end,
            });
            j = next;
        }
        i = j.min(n);
        // Raw text: nothing inside is a tag.
        for raw in ["script", "style", "textarea"] {
            if tag.eq_ignore_ascii_case(raw) {
                i = end_of_raw_text(html, i, raw);
            }
        }
    }
}

/// Where the raw text of a `raw` element that starts at `from` ends: at
/// its `</raw` (in any case), or the end of the page.
fn end_of_raw_text(html: &str, from: usize, raw: &str) -> usize {
    let mut at = from;
    while let Some(off) = html.get(at..).and_then(|r| r.find("</")) {
        let start = at + off;
        let name = html.get(start + 2..start + 2 + raw.len());
        if name.is_some_and(|n| n.eq_ignore_ascii_case(raw)) {
            return start;
        }
        at = start + 2;
    }
    html.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(html: &str) -> Vec<(String, String)> {
        let mut v = Vec::new();
        for_each(html, |a| v.push((a.name.to_string(), a.value.to_string())));
        v
    }

    #[test]
    fn comments_and_text_hold_no_attributes() {
        assert!(all(r#"<!-- <a href="/x/"> --> a href="/y/" <pre>src="/z"</pre>"#).is_empty());
    }

    #[test]
    fn attributes_without_values_and_odd_spacing() {
        assert_eq!(
            all("<input disabled checked type = checkbox ><a\nhref\n=\n\"/a/\">"),
            [
                ("type".to_string(), "checkbox".to_string()),
                ("href".to_string(), "/a/".to_string())
            ]
        );
    }

    #[test]
    fn broken_html_ends() {
        for html in [
            "<",
            "<a",
            "<a href=",
            "<a href=\"x",
            "<a b=c",
            "<script>",
            "<!--",
            "<a / / >",
            "<a \"\">",
        ] {
            let _ = all(html);
        }
    }
}

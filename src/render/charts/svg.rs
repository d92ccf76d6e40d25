//! Post-processing of the SVG that `plotters` writes.
//!
//! `plotters`' SVG backend writes one tag per line and the content of each
//! `<text>` on a line of its own (escaped). [`finish`] relies on that to:
//!
//! * replace the root tag: keep the `viewBox`, drop `width`/`height`, add
//!   `role="img"`, `aria-labelledby`, a `class` naming the chart kind and the
//!   font family;
//! * insert `<title>` and `<desc>` as the first children, with ids derived
//!   from an FNV-1a hash of the kind, title, description and drawing (so the
//!   same chart always gets the same ids and different charts different ones);
//! * turn the canvas's markers (circles in [`MARK_FILL`] numbering a payload)
//!   into `<g …>`/`</g>` and into attributes of the element that follows them;
//! * write font sizes with at most two decimals, drop per-element
//!   `font-family` and `opacity="1"`, and put each `<text>` on one line.

use super::Labels;
use super::canvas::{FAMILY, MARK_ATTR_SEP, MARK_FILL, MARK_KV_SEP, clean};

/// Escapes text for XML content and attribute values.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    push_escaped(&mut out, text);
    out
}

/// [`escape`], appended to `out`.
fn push_escaped(out: &mut String, text: &str) {
    if !text.contains(['&', '<', '>', '"', '\'']) {
        out.push_str(text);
        return;
    }
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
}

/// 64-bit FNV-1a: small, stable across Rust versions and platforms.
fn fnv1a(parts: &[&str]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for b in part.bytes().chain(std::iter::once(0)) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    h
}

/// Turns `plotters`' raw SVG into the final, accessible document.
pub(crate) fn finish(raw: &str, markers: &[String], labels: &Labels, kind: &str) -> String {
    let lines: Vec<&str> = raw.lines().collect();
    let view_box = lines
        .first()
        .and_then(|root| attr_value(root, "viewBox"))
        .unwrap_or("0 0 640 360")
        .to_string();

    let mut body = String::with_capacity(raw.len());
    let mut pending: Vec<(String, String)> = Vec::new();
    let mut i = 1;
    while i < lines.len() {
        let line = lines[i];
        if let Some(payload) = marker(line, markers) {
            if let Some(rest) = payload.strip_prefix('g') {
                body.push_str("<g");
                for (k, v) in parse_attrs(rest) {
                    body.push(' ');
                    body.push_str(&k);
                    body.push_str("=\"");
                    push_escaped(&mut body, &v);
                    body.push('"');
                }
                body.push_str(">\n");
            } else if payload == "/g" {
                body.push_str("</g>\n");
            } else if let Some(rest) = payload.strip_prefix('a') {
                pending.extend(parse_attrs(rest));
            }
            i += 1;
            continue;
        }
        if line == "</svg>" {
            i += 1;
            continue;
        }
        if line.starts_with('<') && !line.starts_with("</") {
            push_tidy(&mut body, line, &pending);
            pending.clear();
            // `<text …>`, content, `</text>` on one line: no stray spaces.
            if line.starts_with("<text") && lines.get(i + 2) == Some(&"</text>") {
                body.push_str(lines[i + 1]);
                body.push_str("</text>\n");
                i += 3;
                continue;
            }
        } else {
            body.push_str(line);
        }
        body.push('\n');
        i += 1;
    }

    let title = escape(&clean(&labels.title));
    let desc = escape(&clean(&labels.desc));
    let id = format!(
        "chart-{:016x}",
        fnv1a(&[kind, &labels.title, &labels.desc, &body])
    );
    let kind = escape(kind);
    let head = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"{view_box}\" role=\"img\" \
         aria-labelledby=\"{id}-title {id}-desc\" class=\"chart chart-{kind}\" \
         font-family=\"{FAMILY}\">\n\
         <title id=\"{id}-title\">{title}</title>\n\
         <desc id=\"{id}-desc\">{desc}</desc>\n"
    );
    let mut out = String::with_capacity(head.len() + body.len() + 7);
    out.push_str(&head);
    out.push_str(&body);
    out.push_str("</svg>\n");
    out
}

/// The payload of the marker `line` draws, if it is one: a circle at the
/// origin in [`MARK_FILL`] whose radius `n` numbers payload `n - 1`.
fn marker<'a>(line: &str, markers: &'a [String]) -> Option<&'a str> {
    let rest = line.strip_prefix("<circle cx=\"0\" cy=\"0\" r=\"")?;
    let (n, rest) = rest.split_once('"')?;
    if !rest.contains(&format!(" fill=\"{MARK_FILL}\"")) {
        return None;
    }
    let n: usize = n.parse().ok()?;
    markers.get(n.checked_sub(1)?).map(String::as_str)
}

/// Parses a marker's attribute payload.
fn parse_attrs(payload: &str) -> Vec<(String, String)> {
    payload
        .split(MARK_ATTR_SEP)
        .filter_map(|kv| kv.split_once(MARK_KV_SEP))
        .filter(|(k, _)| !k.is_empty() && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// The value of attribute `key` in a one-line tag.
fn attr_value<'a>(tag: &'a str, key: &str) -> Option<&'a str> {
    let needle = format!(" {key}=\"");
    let start = tag.find(&needle)? + needle.len();
    let len = tag[start..].find('"')?;
    Some(&tag[start..start + len])
}

/// Sets attribute `key` (value already escaped) in a one-line tag, replacing
/// an existing value or appending the attribute.
fn set_attr(tag: &str, key: &str, value: &str) -> String {
    let needle = format!(" {key}=\"");
    if let Some(pos) = tag.find(&needle) {
        let start = pos + needle.len();
        if let Some(len) = tag[start..].find('"') {
            return format!("{}{}{}", &tag[..start], value, &tag[start + len..]);
        }
    }
    let cut = if tag.ends_with("/>") {
        tag.len() - 2
    } else if tag.ends_with('>') {
        tag.len() - 1
    } else {
        tag.len()
    };
    format!("{} {key}=\"{value}\"{}", &tag[..cut], &tag[cut..])
}

/// Removes an attribute from a one-line tag.
fn remove_attr(tag: &str, key: &str) -> String {
    let needle = format!(" {key}=\"");
    if let Some(pos) = tag.find(&needle) {
        let start = pos + needle.len();
        if let Some(len) = tag[start..].find('"') {
            return format!("{}{}", &tag[..pos], &tag[start + len + 1..]);
        }
    }
    tag.to_string()
}

/// [`tidy`] written straight into `out`, in one pass over the attributes
/// (every element of every chart goes through here), then the marker
/// attributes `pending` set as [`set_attr`] would: an attribute the tag has
/// takes the new value in place, the others are appended in order.
fn push_tidy(out: &mut String, tag: &str, pending: &[(String, String)]) {
    let start = out.len();
    if push_tidy_fast(out, tag, pending).is_none() {
        out.truncate(start);
        let mut tag = tidy(tag);
        for (k, v) in pending {
            tag = set_attr(&tag, k, &escape(v));
        }
        out.push_str(&tag);
    }
}

/// One pass over `<name key="value" …>` or `…/>`; `None` if the tag has
/// another shape (the caller then falls back to [`tidy`] and [`set_attr`]).
fn push_tidy_fast(out: &mut String, tag: &str, pending: &[(String, String)]) -> Option<()> {
    // The value each pending key ends with (the last one given), in the
    // order the keys first appear.
    let mut set: Vec<(&str, &str, bool)> = Vec::with_capacity(pending.len());
    for (k, v) in pending {
        match set.iter_mut().find(|(key, ..)| key == k) {
            Some(entry) => entry.1 = v,
            None => set.push((k, v, false)),
        }
    }
    let name_end = memchr::memchr(b' ', tag.as_bytes())?;
    out.push_str(&tag[..name_end]);
    let mut rest = &tag[name_end..];
    loop {
        rest = rest.trim_start_matches(' ');
        if rest == ">" || rest == "/>" {
            for (k, v, used) in &set {
                if !used {
                    push_attr(out, k, v);
                }
            }
            out.push_str(rest);
            return Some(());
        }
        let eq = equals_quote(rest)?;
        let key = &rest[..eq];
        let after = &rest[eq + 2..];
        let close = memchr::memchr(b'"', after.as_bytes())?;
        let value = &after[..close];
        rest = &after[close + 1..];
        if key.is_empty() || key.contains([' ', '<', '>']) || !rest.starts_with([' ', '>', '/']) {
            return None;
        }
        match key {
            "font-family" => continue,
            "opacity" if value == "1" => continue,
            _ => {}
        }
        if let Some(entry) = set.iter_mut().find(|(k, _, used)| *k == key && !used) {
            entry.2 = true;
            push_attr(out, key, entry.1);
            continue;
        }
        if key == "font-size" {
            let size: f64 = value.parse().ok()?;
            let rounded = format!("{size:.2}");
            let rounded = rounded.trim_end_matches('0').trim_end_matches('.');
            out.push_str(" font-size=\"");
            out.push_str(rounded);
            out.push('"');
        } else {
            out.push(' ');
            out.push_str(key);
            out.push_str("=\"");
            out.push_str(value);
            out.push('"');
        }
    }
}

/// Where `="` first starts in `text` (what `text.find("=\"")` gives,
/// without setting up a substring search for each attribute of each tag).
fn equals_quote(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    memchr::memchr_iter(b'=', bytes).find(|&i| bytes.get(i + 1) == Some(&b'"'))
}

/// ` key="value"` with the value escaped.
fn push_attr(out: &mut String, key: &str, value: &str) {
    out.push(' ');
    out.push_str(key);
    out.push_str("=\"");
    push_escaped(out, value);
    out.push('"');
}

/// Shortens what the backend writes on every element.
fn tidy(tag: &str) -> String {
    let mut tag = remove_attr(tag, "font-family");
    if attr_value(&tag, "opacity") == Some("1") {
        tag = remove_attr(&tag, "opacity");
    }
    if let Some(size) = attr_value(&tag, "font-size").and_then(|v| v.parse::<f64>().ok()) {
        let rounded = format!("{:.2}", size);
        let rounded = rounded.trim_end_matches('0').trim_end_matches('.');
        tag = set_attr(&tag, "font-size", rounded);
    }
    tag
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_covers_markup() {
        assert_eq!(
            escape("R&D <Ops> \"x\" 'y'"),
            "R&amp;D &lt;Ops&gt; &quot;x&quot; &apos;y&apos;"
        );
    }

    #[test]
    fn attributes_are_set_replaced_and_removed() {
        let tag = "<rect x=\"1\" fill=\"#000000\" stroke=\"none\"/>";
        assert_eq!(
            set_attr(tag, "stroke", "#333"),
            "<rect x=\"1\" fill=\"#000000\" stroke=\"#333\"/>"
        );
        assert_eq!(
            set_attr(tag, "class", "bar"),
            "<rect x=\"1\" fill=\"#000000\" stroke=\"none\" class=\"bar\"/>"
        );
        assert_eq!(remove_attr(tag, "fill"), "<rect x=\"1\" stroke=\"none\"/>");
        assert_eq!(
            tidy("<text x=\"1\" font-size=\"15.000000000000002\" opacity=\"1\">"),
            "<text x=\"1\" font-size=\"15\">"
        );
    }

    #[test]
    fn the_one_pass_tidy_writes_what_tidy_writes() {
        for tag in [
            "<text x=\"1\" font-size=\"15.000000000000002\" opacity=\"1\" font-family=\"DejaVu Sans\">",
            "<rect x=\"0\" y=\"0\" width=\"10\" height=\"4\" opacity=\"0.5\" fill=\"#4477AA\"/>",
            "<polyline fill=\"none\" opacity=\"1\" stroke=\"#000000\" stroke-width=\"1\" points=\"1,2 3,4 \"/>",
            "<circle cx=\"3\" cy=\"4\" r=\"2\" opacity=\"1\" fill=\"#EE6677\" stroke=\"none\"/>",
            "<text font-size=\"big\">",
            "<g>",
            "<line x1=\"0\"y2=\"1\"/>",
        ] {
            let mut out = String::from("before ");
            push_tidy(&mut out, tag, &[]);
            assert_eq!(out, format!("before {}", tidy(tag)), "{tag}");
            let pending = [
                ("class".to_string(), "bar <x>".to_string()),
                ("fill".to_string(), "#000".to_string()),
                ("opacity".to_string(), "0.5".to_string()),
                ("class".to_string(), "bar last".to_string()),
            ];
            let mut slow = tidy(tag);
            for (k, v) in &pending {
                slow = set_attr(&slow, k, &escape(v));
            }
            let mut out = String::new();
            push_tidy(&mut out, tag, &pending);
            assert_eq!(out, slow, "{tag} with attributes");
        }
    }

    #[test]
    fn equals_quote_finds_what_find_finds() {
        for text in [
            "",
            "=",
            "=\"",
            "a=b c=\"d\"",
            "==\"",
            "x = \"y\"",
            "k=\"v\" k2=\"v2\"",
            "é=\"ü\"",
        ] {
            assert_eq!(equals_quote(text), text.find("=\""), "{text:?}");
        }
    }

    #[test]
    fn ids_differ_between_charts() {
        assert_ne!(fnv1a(&["a", "b"]), fnv1a(&["ab", ""]));
    }
}

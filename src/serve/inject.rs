//! What `rekap serve` adds to the HTML pages it serves (never to a build):
//! the reload script, which listens to the server's events and reloads the
//! page after each rebuild, and the overlay that shows a build's errors.

use std::path::Path;

use crate::diagnostics::Diagnostic;
use crate::pipeline::Error;

/// Where the server sends its events (server-sent events); outside any site path.
pub const EVENTS_PATH: &str = "/__rekap/events";

/// The id of the overlay element (tests and styles find it by this).
pub const OVERLAY_ID: &str = "rekap-serve-error";

/// The script every served page gets: on each `reload` event from the
/// server, the page is loaded again (it then shows the new build, or the
/// overlay with its errors).
fn script() -> String {
    format!(
        "<script>/* rekap serve: live reload */(function(){{var s=new EventSource(\"{EVENTS_PATH}\");\
         s.addEventListener(\"reload\",function(){{s.close();location.reload();}});}})();</script>"
    )
}

/// Escapes text for HTML element content.
pub(crate) fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            _ => out.push(c),
        }
    }
    out
}

/// The overlay showing `report` (a failed build's errors, as the terminal shows them).
pub fn overlay(report: &str) -> String {
    format!(
        "<div id=\"{OVERLAY_ID}\" role=\"alert\" style=\"position:fixed;inset:0;z-index:2147483647;\
         overflow:auto;background:rgba(20,20,20,.94);color:#fff;padding:1.5rem;\
         font:14px/1.45 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace\">\
         <p style=\"margin:0 0 1rem;font-weight:bold;color:#ff8a80\">rekap serve: the site does not build. \
         Fix the file and save it: this page reloads by itself.</p>\
         <pre style=\"white-space:pre-wrap;margin:0\">{}</pre></div>",
        escape(report)
    )
}

/// `html` with the reload script, and the overlay of `error` if there is
/// one, put before its last `</body>` (or at its end).
pub fn inject(html: &[u8], error: Option<&str>) -> Vec<u8> {
    let mut extra = String::new();
    if let Some(e) = error {
        extra.push_str(&overlay(e));
    }
    extra.push_str(&script());
    let at = find_last(html, b"</body>").unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + extra.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(extra.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

/// A page for when there is no built site to show (the first build failed).
pub fn error_page(error: &str) -> Vec<u8> {
    inject(
        b"<!doctype html><html><head><meta charset=\"utf-8\"><title>rekap serve: build error</title></head><body></body></html>",
        Some(error),
    )
}

fn find_last(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if hay.len() < needle.len() {
        return None;
    }
    (0..=hay.len() - needle.len())
        .rev()
        .find(|&i| hay[i..i + needle.len()].eq_ignore_ascii_case(needle))
}

/// A failed build as the terminal and the overlay show it: every problem
/// with its file, line and column, and the lines of the file around it.
pub fn report(root: &Path, error: &Error) -> String {
    match error {
        Error::Content(diags) => {
            let mut out = String::new();
            for d in diags {
                out.push_str(&d.to_string());
                out.push('\n');
                if d.is_error()
                    && let Some(s) = snippet(root, d)
                {
                    out.push_str(&s);
                }
            }
            let n = diags.iter().filter(|d| d.is_error()).count();
            out.push_str(&format!("{n} error{} found", if n == 1 { "" } else { "s" }));
            out
        }
        other => other.to_string(),
    }
}

/// The lines around a diagnostic's place in its file, numbered, with a
/// caret under its column; `None` when it has no line or the file cannot
/// be read (or is a workbook).
pub fn snippet(root: &Path, d: &Diagnostic) -> Option<String> {
    let o = &d.origin;
    let line = o.pos.line as usize;
    if line == 0 || o.sheet.is_some() || o.file.is_empty() {
        return None;
    }
    let text = std::fs::read_to_string(root.join(&o.file)).ok()?;
    let lines: Vec<&str> = text.lines().collect();
    if line > lines.len() {
        return None;
    }
    let first = line.saturating_sub(2).max(1);
    let last = (line + 1).min(lines.len());
    let width = last.to_string().len();
    let mut out = String::new();
    for n in first..=last {
        out.push_str(&format!("  {n:>width$} | {}\n", lines[n - 1]));
        if n == line && o.pos.column > 0 {
            let col = o.pos.column as usize;
            let pad: String = lines[n - 1]
                .chars()
                .take(col.saturating_sub(1))
                .map(|c| if c == '\t' { '\t' } else { ' ' })
                .collect();
            out.push_str(&format!("  {:>width$} | {pad}^\n", ""));
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_goes_before_the_last_body_end() {
        let out = String::from_utf8(inject(b"<html><body><p>x</p></body></html>", None)).unwrap();
        assert!(out.contains("<p>x</p><script>"));
        assert!(out.ends_with("</script></body></html>"));
        assert!(out.contains(EVENTS_PATH));
        assert!(!out.contains(OVERLAY_ID));
    }

    #[test]
    fn overlay_escapes_the_report() {
        let out = String::from_utf8(inject(b"<p>no body</p>", Some("bad <b> & \"x\""))).unwrap();
        assert!(out.starts_with("<p>no body</p><div id=\"rekap-serve-error\""));
        assert!(out.contains("bad &lt;b&gt; &amp; &quot;x&quot;"));
    }
}

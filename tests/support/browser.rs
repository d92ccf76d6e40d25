//! What the browser tests need besides Chromium: a tiny static file server
//! on 127.0.0.1 for a build folder, and the runner page that loads every
//! kind of page into a frame at each width, measures it and runs axe-core
//! (vendored in `tests/vendor/`, so nothing touches the network).

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// The runner: `__PAGES__`, `__WIDTHS__` and `__AXE__` are filled in; it
/// writes a JSON report, one entry per page and width, into `#result`.
pub const RUNNER: &str = r##"<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>checks</title></head>
<body><pre id="result">running</pre>
<script>
const PAGES = __PAGES__, WIDTHS = __WIDTHS__, AXE = "__AXE__";
const TAGS = ["wcag2a", "wcag2aa", "wcag21aa", "best-practice"];
function describe(el) {
  let s = el.tagName.toLowerCase();
  if (el.id) s += "#" + el.id;
  if (el.className && typeof el.className === "string" && el.className.trim())
    s += "." + el.className.trim().split(/\s+/).join(".");
  return s;
}
function load(frame, url) {
  return new Promise((resolve) => { frame.onload = () => resolve(); frame.src = url; });
}
async function check(url, width) {
  const f = document.createElement("iframe");
  f.style.cssText = "border:0;height:900px;width:" + width + "px";
  document.body.appendChild(f);
  await load(f, url);
  const win = f.contentWindow, doc = f.contentDocument;
  // Folded content (a metric's months and quarters, a chart's data table) is
  // measured and checked open, as a reader who opens it sees it.
  for (const d of doc.querySelectorAll("details")) d.open = true;
  const out = { url: url, width: width, overflow: [], wide_charts: [], violations: [], charts: 0 };
  const vw = doc.documentElement.clientWidth;
  if (doc.documentElement.scrollWidth > vw) {
    out.overflow.push("the page is " + doc.documentElement.scrollWidth + " px wide in " + vw);
    for (const el of doc.body.querySelectorAll("*")) {
      const r = el.getBoundingClientRect();
      if (r.width > 0 && r.right > vw + 0.5) {
        out.overflow.push(describe(el) + " reaches " + Math.round(r.right));
        if (out.overflow.length > 10) break;
      }
    }
  }
  for (const svg of doc.querySelectorAll("figure.chart svg")) {
    const r = svg.getBoundingClientRect();
    if (r.width === 0) continue;
    out.charts++;
    const fig = svg.closest("figure");
    const col = fig.parentElement.getBoundingClientRect();
    if (r.right > col.right + 0.5 || r.left < col.left - 0.5 || r.right > vw) {
      out.wide_charts.push(fig.querySelector(".chart-title").textContent
        + ": " + Math.round(r.width) + " px in a column of " + Math.round(col.width));
    }
  }
  const s = doc.createElement("script");
  s.src = AXE;
  await new Promise((resolve, reject) => { s.onload = resolve; s.onerror = reject; doc.head.appendChild(s); });
  const res = await win.axe.run(doc, { runOnly: { type: "tag", values: TAGS }, resultTypes: ["violations"] });
  out.violations = res.violations.map((v) => v.id + " (" + v.impact + "): " + v.help + " -- "
    + v.nodes.slice(0, 4).map((n) => n.target.join(" ") + " ["
      + (n.failureSummary || "").replace(/\s+/g, " ").slice(0, 240) + "]").join("; "));
  f.remove();
  return out;
}
(async () => {
  const all = [];
  for (const p of PAGES) for (const w of WIDTHS) all.push(await check(p, w));
  document.getElementById("result").textContent = JSON.stringify(all);
})().catch((e) => {
  document.getElementById("result").textContent = "ERROR " + e + " " + (e && e.stack);
});
</script></body></html>
"##;

/// A static file server for one folder on 127.0.0.1, until dropped.
pub struct Server {
    port: u16,
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Server {
    /// Serves `root` on a free port.
    pub fn start(root: PathBuf) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a local port");
        listener
            .set_nonblocking(true)
            .expect("a non-blocking listener");
        let port = listener.local_addr().expect("an address").port();
        let stop = Arc::new(AtomicBool::new(false));
        let stopped = stop.clone();
        let thread = std::thread::spawn(move || {
            while !stopped.load(Ordering::Relaxed) {
                match listener.accept() {
                    Ok((stream, _)) => {
                        let root = root.clone();
                        std::thread::spawn(move || serve(stream, &root));
                    }
                    Err(_) => std::thread::sleep(Duration::from_millis(5)),
                }
            }
        });
        Server {
            port,
            stop,
            thread: Some(thread),
        }
    }

    /// The URL of `path` (under the site root) on this server.
    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}/{path}", self.port)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// `%XX` escapes of a URL path decoded.
fn percent_decode(path: &str) -> String {
    let b = path.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = b
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok());
        match (b[i], hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (c, _) => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Answers one GET request with the file it names (`index.html` for a
/// folder, the site's `404.html` for anything missing).
fn serve(mut stream: TcpStream, root: &Path) {
    let _ = stream.set_nonblocking(false);
    let Ok(clone) = stream.try_clone() else {
        return;
    };
    let mut reader = BufReader::new(clone);
    let mut line = String::new();
    if reader.read_line(&mut line).is_err() {
        return;
    }
    loop {
        let mut header = String::new();
        match reader.read_line(&mut header) {
            Ok(n) if n > 0 && !header.trim().is_empty() => {}
            _ => break,
        }
    }
    let target = line.split_whitespace().nth(1).unwrap_or("/");
    let path = target.split(['?', '#']).next().unwrap_or("/");
    let rel = percent_decode(path.trim_start_matches('/'));
    let mut file = root.join(&rel);
    if rel.is_empty() || rel.ends_with('/') || file.is_dir() {
        file = file.join("index.html");
    }
    let (status, body) = match (rel.contains(".."), std::fs::read(&file)) {
        (false, Ok(b)) => ("200 OK", b),
        _ => (
            "404 Not Found",
            std::fs::read(root.join("404.html")).unwrap_or_default(),
        ),
    };
    let kind = match file.extension().and_then(|e| e.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("css") => "text/css",
        Some("js") => "text/javascript",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("json") => "application/json",
        Some("xml") => "application/xml",
        _ => "application/octet-stream",
    };
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(&body);
}

/// One page at one width, as the runner measured it.
#[derive(Debug)]
pub struct PageReport {
    /// The page's URL.
    pub url: String,
    /// The frame's width in CSS pixels.
    pub width: u64,
    /// What widens the page beyond the frame (empty when nothing does).
    pub overflow: Vec<String>,
    /// Charts wider than their column.
    pub wide_charts: Vec<String>,
    /// axe-core's violations, one line each.
    pub violations: Vec<String>,
    /// Charts seen on the page.
    pub charts: u64,
}

/// Reads the runner's JSON report.
pub fn parse_report(json: &str) -> Vec<PageReport> {
    let v: serde_json::Value = serde_json::from_str(json)
        .unwrap_or_else(|e| panic!("the runner's report is JSON ({e}): {json}"));
    let strings = |x: &serde_json::Value, k: &str| -> Vec<String> {
        x[k].as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|s| s.as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default()
    };
    v.as_array()
        .expect("an array of pages")
        .iter()
        .map(|x| PageReport {
            url: x["url"].as_str().unwrap_or_default().to_string(),
            width: x["width"].as_u64().unwrap_or_default(),
            overflow: strings(x, "overflow"),
            wide_charts: strings(x, "wide_charts"),
            violations: strings(x, "violations"),
            charts: x["charts"].as_u64().unwrap_or_default(),
        })
        .collect()
}

/// The folder screenshots are written to for a person to look at
/// (`target/screenshots/`, never committed).
pub fn screenshot_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"));
    let dir = target.join("screenshots");
    std::fs::create_dir_all(&dir).expect("a folder for screenshots");
    dir
}

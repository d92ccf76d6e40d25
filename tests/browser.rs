//! The built site in a real browser: headless Chromium opens an archive build
//! (relative URLs) from disk, runs the search page's script and renders the
//! home page. Nothing touches the network.
//!
//! Chromium is found as `$CHROMIUM`, `/usr/bin/chromium`, or `chromium` /
//! `chromium-browser` on `PATH`. Without it these tests FAIL, in every
//! environment, saying how to install it; a developer who cannot install it
//! skips them explicitly with `REKAP_SKIP_BROWSER_TESTS=1`, which CI never
//! sets (and under CI, with `CI` set, the skip is refused).

mod common;
#[path = "support/browser.rs"]
mod support;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::*;

const RELEASE_PAGE: &str = "releases/2017-02-01-target-2017-sulawesi-maluku/index.html";
const MEETING_PAGE: &str = "meetings/2017-01-31-rakorwil-manado/index.html";
const TIMEOUT: Duration = Duration::from_secs(150);

/// The variable that skips the browser tests when set to `1`.
const SKIP: &str = "REKAP_SKIP_BROWSER_TESTS";

/// The Chromium to use; `None` only when the tests are skipped on purpose
/// (`REKAP_SKIP_BROWSER_TESTS=1`, outside CI). Panics when there is none.
fn chromium() -> Option<PathBuf> {
    let skip = std::env::var_os(SKIP).is_some_and(|v| v == "1");
    if skip {
        assert!(
            std::env::var_os("CI").is_none(),
            "{SKIP}=1 under CI: CI must run the browser tests (.ci/run installs Chromium)"
        );
        // Straight to the process's standard error, past the test
        // harness's capture, so that a skip is seen even when tests pass.
        let _ = std::io::Write::write_all(
            &mut std::io::stderr(),
            format!(
                "\n==================================================================\n\
                 SKIPPED: the browser tests did NOT run ({SKIP}=1).\n\
                 ==================================================================\n"
            )
            .as_bytes(),
        );
        return None;
    }
    let from_env = std::env::var_os("CHROMIUM")
        .filter(|s| !s.is_empty())
        .map(PathBuf::from);
    if let Some(p) = &from_env {
        assert!(p.is_file(), "CHROMIUM={} does not exist", p.display());
        return from_env;
    }
    let on_path = || {
        let path = std::env::var_os("PATH")?;
        std::env::split_paths(&path)
            .flat_map(|d| [d.join("chromium"), d.join("chromium-browser")])
            .find(|p| p.is_file())
    };
    let found = Some(PathBuf::from("/usr/bin/chromium"))
        .filter(|p| p.is_file())
        .or_else(on_path);
    if found.is_none() {
        panic!(
            "Chromium not found: the browser tests need headless Chromium \
             (looked at $CHROMIUM, /usr/bin/chromium, and chromium and chromium-browser on PATH).\n\
             Install it, e.g. `sudo apt-get install chromium` on Debian or Ubuntu, \
             or set CHROMIUM=/path/to/chromium.\n\
             To skip these tests on purpose, run with {SKIP}=1 \
             (never in CI: a release must pass them)."
        );
    }
    found
}

/// An archive build (relative URLs) of the example in a temporary folder.
fn archive_build() -> (tempfile::TempDir, PathBuf) {
    let site = copy_example();
    let out = site.path().join("archive");
    let mut o = options(site.path());
    o.output = out.clone();
    o.relative_urls = true;
    rekap::build(&o).unwrap_or_else(|e| panic!("the example must build:\n{e}"));
    let out = out.canonicalize().expect("the output folder exists");
    (site, out)
}

/// A `file://` URL for `path` (absolute; our temporary paths need no escaping
/// beyond spaces).
fn file_url(path: &Path) -> String {
    let s = path.to_str().expect("a UTF-8 temporary path");
    assert!(s.starts_with('/'), "an absolute path: {s}");
    format!("file://{}", s.replace(' ', "%20"))
}

/// Runs headless Chromium on `url` and returns the DOM it dumps after
/// scripts ran. Kills the browser if it takes longer than [`TIMEOUT`].
fn dump_dom(chromium: &Path, url: &str) -> String {
    run_chromium(chromium, url, &["--virtual-time-budget=3000", "--dump-dom"])
}

/// Runs headless Chromium on `url` with `extra` arguments and returns what
/// it writes on standard output. Kills the browser if it takes longer than
/// [`TIMEOUT`].
fn run_chromium(chromium: &Path, url: &str, extra: &[&str]) -> String {
    let profile = tempfile::tempdir().expect("a profile folder");
    let mut child = Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--no-default-browser-check",
            "--disable-dev-shm-usage",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(extra)
        .arg(url)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("start {}: {e}", chromium.display()));
    // Read both pipes on threads, so a large DOM cannot block the browser.
    let mut stdout = child.stdout.take().expect("piped");
    let mut stderr = child.stderr.take().expect("piped");
    let out = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = stdout.read_to_string(&mut s);
        s
    });
    let err = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = stderr.read_to_string(&mut s);
        s
    });
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for chromium") {
            break status;
        }
        if start.elapsed() > TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "chromium did not finish within {}s on {url}; killed it",
                TIMEOUT.as_secs()
            );
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let dom = out.join().expect("stdout reader");
    let log = err.join().expect("stderr reader");
    assert!(
        status.success() && (!dom.trim().is_empty() || !extra.contains(&"--dump-dom")),
        "chromium failed on {url} ({status}):\n{log}"
    );
    dom
}

/// `href`s of the `<a class="item-title">` elements in a dumped DOM (the
/// DOM serialiser writes attributes with double quotes).
fn item_title_links(dom: &str) -> Vec<String> {
    dom.split("<a ")
        .skip(1)
        .filter_map(|tag| {
            let tag = &tag[..tag.find('>')?];
            let classes = tag.split("class=\"").nth(1)?.split('"').next()?;
            if !classes.split_whitespace().any(|c| c == "item-title") {
                return None;
            }
            let href = tag.split("href=\"").nth(1)?.split('"').next()?;
            Some(href.replace("&amp;", "&"))
        })
        .collect()
}

#[test]
fn the_search_page_opened_from_disk_finds_the_release_and_the_meeting() {
    let Some(chromium) = chromium() else {
        return;
    };
    let (_site, out) = archive_build();
    let url = format!("{}?q=manado", file_url(&out.join("search/index.html")));
    let dom = dump_dom(&chromium, &url);
    let links = item_title_links(&dom);
    for page in [RELEASE_PAGE, MEETING_PAGE] {
        let want = file_url(&out.join(page));
        assert!(
            links.contains(&want),
            "the search for `manado` links {want}; found links {links:?}\nDOM:\n{dom}"
        );
        assert!(out.join(page).is_file());
    }
}

#[test]
fn the_home_page_opened_from_disk_shows_2017_so_far_then_2016() {
    let Some(chromium) = chromium() else {
        return;
    };
    let (_site, out) = archive_build();
    let dom = dump_dom(&chromium, &file_url(&out.join("index.html")));
    // The region's own headline card, as the browser rendered it: the
    // current year first, 2017 so far (539 billion, 49.0 % of 1.1 trillion),
    // then 2016 under it (956 billion against 814 billion, 117.4 %, achieved).
    let card = html::card(&dom, "Iuran");
    assert_eq!(
        html::text(html::one(card, "p", Some("big"))),
        "Rp539 miliar",
        "the home page's contributions card:\n{card}"
    );
    assert_eq!(
        html::text(html::one(card, "p", Some("card-previous"))),
        "2016 Rp956 miliar · 117,4% dari target ✓ Tercapai"
    );
}

// ------------------------------------------------------------ every page kind
//
// Each build is opened in one headless Chromium: a runner page loads every
// kind of page into a frame 375 and then 1280 CSS pixels wide, checks that
// nothing widens the page and that no chart is wider than its column, and
// runs axe-core (vendored, tests/vendor/axe.min.js) with the WCAG 2.0 A and
// AA, WCAG 2.1 AA and best-practice rules. A build is served over HTTP from
// a small server on 127.0.0.1; an archive build is opened from disk.

/// One page of each kind, as a path under the site root.
const PAGE_KINDS: &[(&str, &str)] = &[
    ("home", "index.html"),
    ("regions", "regions/index.html"),
    ("regions-sorted", "regions/by/contributions/index.html"),
    ("region", "regions/sulawesi-maluku/index.html"),
    ("province", "regions/sulawesi-utara/index.html"),
    ("office", "regions/kc-manado/index.html"),
    ("releases", "releases/index.html"),
    ("release", RELEASE_PAGE),
    ("meetings", "meetings/index.html"),
    ("meeting", MEETING_PAGE),
    ("years", "years/index.html"),
    ("year", "years/2017/index.html"),
    ("page", "metodologi/index.html"),
    ("tags", "tags/index.html"),
    ("term", "programmes/jht/index.html"),
    ("search", "search/index.html?q=iuran"),
    ("not-found", "404.html"),
];

/// The widths every page is checked at, in CSS pixels.
const WIDTHS: [u32; 2] = [375, 1280];

/// A build of the example in a temporary folder, after `edit`, for the
/// internal audience if `internal`, with relative links if `archive`.
fn example_build(
    edit: impl FnOnce(&Path),
    internal: bool,
    archive: bool,
) -> (tempfile::TempDir, PathBuf) {
    example_build_of(copy_example(), edit, internal, archive)
}

/// [`example_build`] of the copy of the example in `site`.
fn example_build_of(
    site: tempfile::TempDir,
    edit: impl FnOnce(&Path),
    internal: bool,
    archive: bool,
) -> (tempfile::TempDir, PathBuf) {
    edit(site.path());
    let out = site.path().join("out");
    let mut o = options(site.path());
    o.output = out.clone();
    o.relative_urls = archive;
    if internal {
        o.audience = rekap::model::Audience::Internal;
    }
    rekap::build(&o).unwrap_or_else(|e| panic!("the example must build:\n{e}"));
    let out = out.canonicalize().expect("the output folder exists");
    (site, out)
}

/// Loads every page kind of the build in `out` (served, or from disk for an
/// archive) at each width and returns what the runner found.
fn check_pages(chromium: &Path, out: &Path, archive: bool) -> Vec<support::PageReport> {
    check_pages_in(chromium, out, "", archive)
}

/// [`check_pages`] of the language edition in folder `prefix` (`en/`) of `out`.
fn check_pages_in(
    chromium: &Path,
    out: &Path,
    prefix: &str,
    archive: bool,
) -> Vec<support::PageReport> {
    let axe = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vendor/axe.min.js");
    let dir = out.join("__checks");
    std::fs::create_dir_all(&dir).expect("a folder for the runner");
    std::fs::copy(&axe, dir.join("axe.min.js")).expect("axe-core is vendored in tests/vendor");
    let server = (!archive).then(|| support::Server::start(out.to_path_buf()));
    let url_of = |path: &str| match &server {
        Some(s) => s.url(path),
        None => {
            let (file, query) = path.split_once('?').unwrap_or((path, ""));
            let mut u = file_url(&out.join(file));
            if !query.is_empty() {
                u.push('?');
                u.push_str(query);
            }
            u
        }
    };
    // A page axe must fault, checked in the same run: proof that axe ran.
    std::fs::write(
        dir.join("control.html"),
        "<!DOCTYPE html><html><body><img src=\"x.png\"><p>control</p></body></html>",
    )
    .expect("the control page is written");
    let pages: Vec<String> = PAGE_KINDS
        .iter()
        .map(|(_, p)| url_of(&format!("{prefix}{p}")))
        .chain([url_of("__checks/control.html")])
        .map(|u| format!("\"{u}\""))
        .collect();
    let runner = support::RUNNER
        .replace("__PAGES__", &format!("[{}]", pages.join(",")))
        .replace("__WIDTHS__", &format!("{WIDTHS:?}"))
        .replace("__AXE__", &url_of("__checks/axe.min.js"));
    std::fs::write(dir.join("index.html"), runner).expect("the runner is written");
    let dom = run_chromium(
        chromium,
        &url_of("__checks/index.html"),
        &[
            "--allow-file-access-from-files",
            "--virtual-time-budget=900000",
            "--dump-dom",
        ],
    );
    let start = dom
        .find("<pre id=\"result\">")
        .expect("the runner's result")
        + 17;
    let end = start + dom[start..].find("</pre>").expect("the result ends");
    let json = dom[start..end]
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&amp;", "&");
    assert!(json.starts_with('['), "the runner failed: {json}");
    let mut reports = support::parse_report(&json);
    let control: Vec<support::PageReport> = reports.split_off(PAGE_KINDS.len() * WIDTHS.len());
    for c in &control {
        for rule in ["image-alt", "html-has-lang", "document-title"] {
            assert!(
                c.violations.iter().any(|v| v.starts_with(rule)),
                "axe did not run: the control page has no {rule} violation: {:?}",
                c.violations
            );
        }
    }
    reports
}

/// Fails with every problem found on every page of a build.
fn assert_pages_pass(what: &str, reports: &[support::PageReport]) {
    assert_eq!(
        reports.len(),
        PAGE_KINDS.len() * WIDTHS.len(),
        "{what}: every page and width"
    );
    let mut problems = Vec::new();
    for r in reports {
        for p in r.overflow.iter().chain(&r.wide_charts).chain(&r.violations) {
            problems.push(format!("{} at {} px: {p}", r.url, r.width));
        }
    }
    assert!(
        problems.is_empty(),
        "{what}: {} problem(s):\n{}",
        problems.len(),
        problems.join("\n")
    );
    let charts: u64 = reports.iter().map(|r| r.charts).sum();
    assert!(charts >= 20, "{what}: charts were measured ({charts})");
}

/// The public build of the example, made once for the tests that need it.
fn public_build() -> &'static Path {
    static BUILD: std::sync::OnceLock<(tempfile::TempDir, PathBuf)> = std::sync::OnceLock::new();
    &BUILD.get_or_init(|| example_build(|_| {}, false, false)).1
}

#[test]
fn every_page_kind_fits_a_phone_and_a_desktop_and_passes_axe_public() {
    let Some(chromium) = chromium() else {
        return;
    };
    assert_pages_pass(
        "public build",
        &check_pages(&chromium, public_build(), false),
    );
}

#[test]
fn every_page_kind_fits_a_phone_and_a_desktop_and_passes_axe_internal() {
    let Some(chromium) = chromium() else {
        return;
    };
    let (_site, out) = example_build(
        |dir| {
            no_png(dir);
            write(
                dir,
                "content/pages/catatan-internal.md",
                "---\ntitle: Catatan internal\nmenu: 3\naudience: internal\n---\n\nHanya untuk kantor wilayah: realisasi iuran {{< value metric=\"contributions\" period=2016 >}}.\n",
            )
        },
        true,
        false,
    );
    assert_pages_pass("internal build", &check_pages(&chromium, &out, false));
}

#[test]
fn every_page_kind_fits_a_phone_and_a_desktop_and_passes_axe_english() {
    let Some(chromium) = chromium() else {
        return;
    };
    // The example as published: its English edition, under /en/, with the
    // language switcher on every page.
    let (_site, out) = example_build_of(copy_bilingual_example(), no_png, false, false);
    assert_pages_pass(
        "English edition",
        &check_pages_in(&chromium, &out, "en/", false),
    );
}

#[test]
fn every_page_kind_fits_a_phone_and_a_desktop_and_passes_axe_archive() {
    let Some(chromium) = chromium() else {
        return;
    };
    let (_site, out) = example_build(no_png, false, true);
    assert_pages_pass("archive build", &check_pages(&chromium, &out, true));
}

/// Screenshots of every page kind at 375 and 1280 px, and the region page
/// printed, in `target/screenshots/` for a person to look at.
#[test]
fn screenshots_of_every_page_kind_are_written() {
    let Some(chromium) = chromium() else {
        return;
    };
    let server = support::Server::start(public_build().to_path_buf());
    let dir = support::screenshot_dir();
    // The kinds a reader meets most; every kind is measured by the checks above.
    let shown = [
        "home", "regions", "region", "province", "office", "release", "meeting", "year", "search",
    ];
    let jobs: Vec<(String, String, u32)> = PAGE_KINDS
        .iter()
        .filter(|(kind, _)| shown.contains(kind))
        .flat_map(|(kind, path)| WIDTHS.map(|w| (kind.to_string(), server.url(path), w)))
        .collect();
    std::thread::scope(|s| {
        for half in jobs.chunks(jobs.len().div_ceil(2)) {
            let (chromium, dir) = (&chromium, &dir);
            s.spawn(move || {
                for (kind, url, w) in half {
                    let file = dir.join(format!("{kind}-{w}.png"));
                    let height = if *w < 500 { 2400 } else { 1800 };
                    run_chromium(
                        chromium,
                        url,
                        &[
                            "--hide-scrollbars",
                            &format!("--window-size={w},{height}"),
                            &format!("--screenshot={}", file.display()),
                        ],
                    );
                    assert!(file.is_file(), "{} is written", file.display());
                }
            });
        }
    });
    let pdf = dir.join("region-print.pdf");
    run_chromium(
        &chromium,
        &server.url("regions/sulawesi-maluku/index.html"),
        &[
            "--no-pdf-header-footer",
            &format!("--print-to-pdf={}", pdf.display()),
        ],
    );
    assert!(pdf.is_file(), "the printed page is written");
}

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

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::*;

const RELEASE_PAGE: &str = "releases/2017-02-01-target-2017-sulawesi-maluku/index.html";
const MEETING_PAGE: &str = "meetings/2017-01-31-rakorwil-manado/index.html";
const TIMEOUT: Duration = Duration::from_secs(60);

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
        .args(["--virtual-time-budget=3000", "--dump-dom"])
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
        status.success() && !dom.trim().is_empty(),
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
fn the_home_page_opened_from_disk_shows_the_2016_contributions() {
    let Some(chromium) = chromium() else {
        return;
    };
    let (_site, out) = archive_build();
    let dom = dump_dom(&chromium, &file_url(&out.join("index.html")));
    // The region's own headline card, as the browser rendered it: 2016
    // contributions of 956 billion against 814 billion, 117.4 %, achieved.
    let card = html::card(&dom, "Iuran");
    assert_eq!(
        html::text(html::one(card, "p", Some("big"))),
        "Rp956 miliar",
        "the home page's contributions card:\n{card}"
    );
    assert_eq!(
        html::text(html::one(card, "dl", Some("facts"))),
        "Target Rp814 miliar Capaian 117,4% Pertumbuhan +15,0%"
    );
}

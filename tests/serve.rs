//! `rekap serve`: started on a free loopback port, fetched with plain HTTP
//! over TCP; an edit changes the page and sends a reload event, a broken
//! file keeps the server answering with the error over the page, a taken
//! port is a clear error, Ctrl-C stops it, and nothing is written to disk.
//! Only 127.0.0.1 is ever contacted.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// How long a rebuild may take on a loaded machine (debug binary).
const PATIENCE: Duration = Duration::from_secs(90);

const RELEASE: &str = "content/releases/2017-02-01-target-2017-sulawesi-maluku.md";

/// A running `rekap serve`, killed when dropped.
struct Server {
    child: Child,
    port: u16,
    /// Lines of its standard error.
    log: mpsc::Receiver<String>,
    seen: Vec<String>,
}

impl Server {
    fn start(root: &Path, extra: &[&str]) -> Server {
        let mut child = Command::new(common::rekap_bin())
            .arg("serve")
            .arg(root)
            .args(["--port", "0"])
            .args(extra)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start rekap serve");
        let stderr = child.stderr.take().unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let mut s = Server {
            child,
            port: 0,
            log: rx,
            seen: Vec::new(),
        };
        let line = s.wait_for_line(|l| l.starts_with("serving at "));
        let url = line
            .strip_prefix("serving at http://127.0.0.1:")
            .expect("a loopback URL");
        s.port = url.split('/').next().unwrap().parse().expect("a port");
        s
    }

    /// Waits for a line of standard error that `pred` accepts.
    fn wait_for_line(&mut self, pred: impl Fn(&str) -> bool) -> String {
        if let Some(line) = self.seen.iter().find(|l| pred(l)) {
            return line.clone();
        }
        let end = Instant::now() + PATIENCE;
        loop {
            let left = end.saturating_duration_since(Instant::now());
            match self.log.recv_timeout(left) {
                Ok(line) => {
                    self.seen.push(line.clone());
                    if pred(&line) {
                        return line;
                    }
                }
                Err(_) => panic!(
                    "rekap serve did not print the line; it printed:\n{}",
                    self.seen.join("\n")
                ),
            }
        }
    }

    fn get(&self, path: &str) -> (u16, String) {
        get(self.port, path)
    }

    /// Fetches `path` until `pred` accepts the page.
    fn wait_for_page(&self, path: &str, pred: impl Fn(u16, &str) -> bool) -> (u16, String) {
        let end = Instant::now() + PATIENCE;
        loop {
            let (status, body) = self.get(path);
            if pred(status, &body) {
                return (status, body);
            }
            assert!(
                Instant::now() < end,
                "{path} never became as expected; last answer {status}:\n{}",
                &body[..body.len().min(2000)]
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Sends Ctrl-C (SIGINT) and waits for the server to exit.
    #[cfg(unix)]
    fn interrupt(mut self) -> std::process::ExitStatus {
        let ok = Command::new("kill")
            .args(["-INT", &self.child.id().to_string()])
            .status()
            .expect("run kill");
        assert!(ok.success());
        let end = Instant::now() + Duration::from_secs(20);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(Instant::now() < end, "rekap serve did not stop on Ctrl-C");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One HTTP/1.1 GET to 127.0.0.1:`port`: the status and the body.
fn get(port: u16, path: &str) -> (u16, String) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connect to rekap serve");
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).expect("read the answer");
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").expect("an HTTP answer");
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .expect("a status");
    (status, body.to_string())
}

/// The server's event stream: each event's name as it arrives.
fn events(port: u16) -> mpsc::Receiver<String> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connect to rekap serve");
    write!(
        s,
        "GET /__rekap/events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAccept: text/event-stream\r\n\r\n"
    )
    .unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(s).lines() {
            let Ok(line) = line else { break };
            if let Some(name) = line
                .strip_prefix("event: ")
                .or_else(|| line.strip_prefix("event:"))
                && tx.send(name.trim().to_string()).is_err()
            {
                break;
            }
        }
    });
    rx
}

fn wait_for_event(rx: &mpsc::Receiver<String>, name: &str) {
    let end = Instant::now() + PATIENCE;
    loop {
        let left = end.saturating_duration_since(Instant::now());
        match rx.recv_timeout(left) {
            Ok(n) if n == name => return,
            Ok(_) => {}
            Err(_) => panic!("no `{name}` event from rekap serve"),
        }
    }
}

#[test]
fn an_edit_reloads_the_page_and_a_broken_file_shows_its_error_until_fixed() {
    let dir = common::copy_example();
    let root = dir.path();
    let server = Server::start(root, &[]);

    // The home page, with the reload script served (not built) into it.
    let (status, home) = server.get("/");
    assert_eq!(status, 200);
    assert!(
        home.contains("/__rekap/events"),
        "no reload script:\n{home}"
    );
    assert!(!home.contains("rekap-serve-error"));
    let (status, css) = server.get("/releases/");
    assert_eq!(status, 200, "{css}");
    // A folder without its slash is redirected; a missing page is the site's 404.
    assert_eq!(server.get("/releases").0, 302);
    assert_eq!(server.get("/no-such-page/").0, 404);

    let page = "/releases/2017-02-01-target-2017-sulawesi-maluku/";
    let (status, before) = server.get(page);
    assert_eq!(status, 200, "{page}: {before}");
    assert!(!before.contains("Kalimat-penanda-7731"));

    // An edit: the page changes and a reload event is sent.
    let rx = events(server.port);
    wait_for_event(&rx, "hello");
    common::append(root, RELEASE, "\nKalimat-penanda-7731.\n");
    wait_for_event(&rx, "reload");
    server.wait_for_page(page, |s, b| s == 200 && b.contains("Kalimat-penanda-7731"));
    // The search index, sent in pieces (each document kept by serve), is
    // whole JSON with the edit in it, and its script the same array.
    let (status, index) = server.wait_for_page("/search/index.json", |s, b| {
        s == 200 && b.contains("Kalimat-penanda-7731")
    });
    assert_eq!(status, 200);
    let docs: serde_json::Value = serde_json::from_str(&index).expect("the index is JSON");
    let count = docs.as_array().expect("an array").len();
    assert!(count > 10, "{count} documents");
    let (status, script) = server.get("/search/index.js");
    assert_eq!(status, 200);
    let array = script
        .strip_prefix("window.REKAP_SEARCH = ")
        .and_then(|s| s.strip_suffix(";\n"))
        .expect("the script sets the index");
    let from_script: serde_json::Value = serde_json::from_str(array).expect("JSON in the script");
    assert_eq!(from_script, docs);

    // A broken file: the server keeps answering, with the error over the page.
    common::append(
        root,
        RELEASE,
        "\n{{< value metric=\"no-such-metric\" period=2016 >}}\n",
    );
    wait_for_event(&rx, "reload");
    let (status, broken) = server.wait_for_page(page, |_, b| b.contains("rekap-serve-error"));
    assert_eq!(status, 200);
    assert!(broken.contains("no-such-metric"), "{broken}");
    assert!(
        broken.contains("2017-02-01-target-2017-sulawesi-maluku.md"),
        "{broken}"
    );
    // The last site that built is still served under the overlay.
    assert!(broken.contains("Kalimat-penanda-7731"));
    assert_eq!(server.get("/").0, 200);

    // Fixed, saved as some editors do (a new file renamed over the old):
    // the overlay goes.
    let fixed = common::read(root, RELEASE).replace(
        "{{< value metric=\"no-such-metric\" period=2016 >}}",
        "Diperbaiki-5521.",
    );
    common::write(root, "content/releases/.save-7731.tmp", &fixed);
    std::fs::rename(
        root.join("content/releases/.save-7731.tmp"),
        root.join(RELEASE),
    )
    .unwrap();
    wait_for_event(&rx, "reload");
    server.wait_for_page(page, |s, b| {
        s == 200 && b.contains("Diperbaiki-5521") && !b.contains("rekap-serve-error")
    });

    // Broken again, then put back byte for byte: the inputs of the last
    // site that built, shown again at once, without the overlay.
    common::append(root, RELEASE, "\n{{< value metric=\"no-such-metric\" >}}\n");
    wait_for_event(&rx, "reload");
    server.wait_for_page(page, |_, b| b.contains("rekap-serve-error"));
    common::write(root, RELEASE, &fixed);
    wait_for_event(&rx, "reload");
    server.wait_for_page(page, |s, b| {
        s == 200 && b.contains("Diperbaiki-5521") && !b.contains("rekap-serve-error")
    });

    // Nothing was written into the site folder.
    assert!(!root.join("public").exists());
    assert!(!root.join("public.rekap-cache").exists());

    #[cfg(unix)]
    {
        let status = server.interrupt();
        assert!(status.success(), "Ctrl-C: {status:?}");
    }
}

#[test]
fn a_broken_site_is_served_as_its_errors_with_the_source_lines() {
    let dir = common::copy_example();
    let root = dir.path();
    common::append(root, "content/data/metrics.yaml", "  - id: [unclosed\n");
    let mut server = Server::start(root, &[]);
    // The terminal shows the error with its file.
    server.wait_for_line(|l| l.contains("content/data/metrics.yaml"));
    let (status, page) = server.get("/");
    assert_eq!(status, 500);
    assert!(page.contains("rekap-serve-error"));
    assert!(page.contains("content/data/metrics.yaml"));
    // The source line, numbered, as in the terminal.
    assert!(page.contains("| ") && page.contains("[unclosed"), "{page}");
}

#[test]
fn timings_show_each_stage_of_every_build_even_when_quiet() {
    let dir = common::copy_example();
    let root = dir.path();
    common::no_png(root);
    let mut server = Server::start(root, &["--timings", "-q"]);
    server.wait_for_line(|l| l.trim_start().starts_with("load ") && l.ends_with(" ms"));
    server.wait_for_line(|l| l.trim_start().starts_with("pages ") && l.contains(" ms"));
    // The quiet server says nothing else of the build.
    assert!(
        !server.seen.iter().any(|l| l.starts_with("built")),
        "{:?}",
        server.seen
    );
    // A rebuild after an edit is timed too.
    let before = server.seen.len();
    common::append(
        root,
        "content/releases/2017-02-01-target-2017-sulawesi-maluku.md",
        "\nParagraf baru.\n",
    );
    let end = Instant::now() + PATIENCE;
    while server.seen[before..]
        .iter()
        .all(|l| !l.trim_start().starts_with("write "))
    {
        assert!(
            Instant::now() < end,
            "the rebuild was not timed: {:?}",
            server.seen
        );
        if let Ok(line) = server.log.recv_timeout(Duration::from_millis(200)) {
            server.seen.push(line);
        }
    }
}

#[test]
fn a_taken_port_is_a_clear_error_that_names_a_free_one() {
    let taken = std::net::TcpListener::bind(("127.0.0.1", 0)).unwrap();
    let port = taken.local_addr().unwrap().port();
    let dir = common::copy_example();
    let out = Command::new(common::rekap_bin())
        .arg("serve")
        .arg(dir.path())
        .args(["--port", &port.to_string()])
        .stdin(Stdio::null())
        .output()
        .expect("run rekap serve");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains(&format!("port {port}")), "{err}");
    assert!(err.contains("already in use"), "{err}");
    assert!(err.contains("--port "), "{err}");
    // It failed before building anything.
    assert!(!err.contains("built"), "{err}");
}

#[test]
fn a_build_never_holds_the_reload_script() {
    let dir = common::copy_example();
    common::build(dir.path()).unwrap();
    for entry in walkdir::WalkDir::new(dir.path().join("public")) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let bytes = std::fs::read(entry.path()).unwrap();
            let text = String::from_utf8_lossy(&bytes);
            assert!(
                !text.contains("__rekap/events") && !text.contains("rekap-serve-error"),
                "{} holds serve's script",
                entry.path().display()
            );
        }
    }
}

#[test]
fn files_and_folders_made_or_removed_while_serving_are_seen() {
    let dir = common::copy_example();
    let root = dir.path();
    let server = Server::start(root, &[]);
    let rx = events(server.port);
    wait_for_event(&rx, "hello");

    // A release written: its page appears.
    let new = "content/releases/2017-12-01-rilis-baru-4410.md";
    let page = "/releases/2017-12-01-rilis-baru-4410/";
    common::write(
        root,
        new,
        "---\ntitle: Rilis baru\ndate: 2017-12-01\nentity: sulawesi-maluku\n---\nPenanda-4410.\n",
    );
    wait_for_event(&rx, "reload");
    server.wait_for_page(page, |s, b| s == 200 && b.contains("Penanda-4410"));

    // Removed: its page goes.
    std::fs::remove_file(root.join(new)).unwrap();
    wait_for_event(&rx, "reload");
    server.wait_for_page(page, |s, _| s == 404);

    // A source folder made with a folder and a file in it at once (the
    // watcher reports the folder, not what it held when first seen).
    common::write(root, "static/unduh/catatan-4410.txt", "isi-4410");
    wait_for_event(&rx, "reload");
    server.wait_for_page("/unduh/catatan-4410.txt", |s, b| {
        s == 200 && b.contains("isi-4410")
    });
    // Then a file in it, watched since, changed.
    std::thread::sleep(Duration::from_millis(50));
    common::write(root, "static/unduh/catatan-4410.txt", "isi-baru-4410");
    wait_for_event(&rx, "reload");
    server.wait_for_page("/unduh/catatan-4410.txt", |s, b| {
        s == 200 && b.contains("isi-baru-4410")
    });
}

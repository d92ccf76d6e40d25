//! Benchmark of `rekap serve`: how long from saving a file to the reload
//! event that makes open pages show it.
//!
//! ```text
//! cargo build --release
//! cargo bench -p xtask --bench serve -- [--size small|medium|large] [--runs N] [--bin PATH] [--edit release|figure]
//! ```
//!
//! Generates a site of the given size (see `xtask::generate`) into a
//! temporary folder, starts `rekap serve --port 0 -q` on it (the release
//! binary, `target/release/rekap` unless `--bin` says otherwise), listens to
//! its event stream (`/__rekap/events`) as an open page does, then `runs`
//! times (default 10) rewrites one release with a new sentence (or, with
//! `--edit figure`, changes one office's actual in a figure file) and times
//! the span from the write to the `reload` event, and reads how much of it
//! was the rebuild from what the server prints. Prints each time and a
//! `RESULT` line with the median, min and max in milliseconds, the median
//! rebuild, and the server's peak resident memory.
//!
//! The time includes the watcher's wait for the burst of changes to settle
//! (`rekap::serve` waits for it, so that an editor's write-and-rename is one
//! rebuild) and the rebuild into memory.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitCode, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

use xtask::generate::{GenSpec, generate};

const USAGE: &str = "usage: cargo bench -p xtask --bench serve -- [--size small|medium|large] [--runs N] [--bin PATH] [--edit release|figure]";

/// What each run saves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Edit {
    /// A sentence added to a release.
    Release,
    /// An office's actual changed in a figure file.
    Figure,
}

struct Args {
    size: String,
    runs: usize,
    bin: PathBuf,
    edit: Edit,
}

fn parse_args() -> Result<Args, String> {
    let mut a = Args {
        size: "small".into(),
        runs: 10,
        bin: Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/release/rekap"),
        edit: Edit::Release,
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--size" => a.size = it.next().ok_or("--size takes a size")?,
            "--runs" => {
                a.runs = it
                    .next()
                    .and_then(|n| n.parse().ok())
                    .filter(|&n| n > 0)
                    .ok_or("--runs takes a positive whole number")?
            }
            "--bin" => a.bin = it.next().ok_or("--bin takes a path")?.into(),
            "--edit" => {
                a.edit = match it.next().as_deref() {
                    Some("release") => Edit::Release,
                    Some("figure") => Edit::Figure,
                    _ => return Err("--edit takes release or figure".into()),
                }
            }
            // Cargo passes `--bench` to harness-less benches.
            "--bench" => {}
            other => return Err(format!("unexpected argument `{other}`")),
        }
    }
    if GenSpec::named(&a.size).is_none() {
        return Err(format!("unknown size `{}`", a.size));
    }
    if !a.bin.is_file() {
        return Err(format!(
            "no rekap binary at {}: run `cargo build --release` first, or pass --bin",
            a.bin.display()
        ));
    }
    Ok(a)
}

/// Kills the server when the bench ends, however it ends.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts `rekap serve` on `root` and returns it with its port, read from
/// the `serving at http://127.0.0.1:PORT/` line it prints.
fn start(bin: &Path, root: &Path) -> Result<(Server, u16, Receiver<f64>), String> {
    let mut child = Command::new(bin)
        .args(["serve", "--port", "0"])
        .arg(root)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", bin.display()))?;
    let stderr = child.stderr.take().expect("piped");
    let server = Server(child);
    let mut lines = BufReader::new(stderr).lines();
    let port = loop {
        let line = lines
            .next()
            .ok_or("rekap serve ended before it served")?
            .map_err(|e| e.to_string())?;
        if let Some(rest) = line.split("http://127.0.0.1:").nth(1) {
            let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
            break digits.parse().map_err(|_| format!("no port in `{line}`"))?;
        }
    };
    // Keep reading its stderr (so that it never blocks on a full pipe),
    // passing on the time of each rebuild: `rebuilt after ...: N pages (M
    // files) in T ms`.
    let (tx, rx) = channel();
    std::thread::spawn(move || {
        for line in lines.map_while(Result::ok) {
            let ms = line
                .strip_suffix(" ms")
                .and_then(|l| l.rsplit(" in ").next())
                .and_then(|t| t.parse::<f64>().ok());
            if let (true, Some(ms)) = (line.starts_with("rebuilt"), ms) {
                let _ = tx.send(ms);
            }
        }
    });
    Ok((server, port, rx))
}

/// An open event stream, as a page holds it.
struct Events(BufReader<TcpStream>);

impl Events {
    fn open(port: u16) -> Result<Events, String> {
        let mut s = TcpStream::connect(("127.0.0.1", port)).map_err(|e| e.to_string())?;
        write!(
            s,
            "GET /__rekap/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n"
        )
        .map_err(|e| e.to_string())?;
        s.set_read_timeout(Some(Duration::from_secs(120)))
            .map_err(|e| e.to_string())?;
        let mut ev = Events(BufReader::new(s));
        ev.next("hello")?;
        Ok(ev)
    }

    /// Reads until an event named `name`.
    fn next(&mut self, name: &str) -> Result<(), String> {
        let want = format!("event: {name}");
        let mut line = String::new();
        loop {
            line.clear();
            let n = self.0.read_line(&mut line).map_err(|e| e.to_string())?;
            if n == 0 {
                return Err("the event stream closed".into());
            }
            if line.trim_end() == want {
                return Ok(());
            }
        }
    }
}

/// The first release of the site (by name): the file the bench edits.
fn a_release(root: &Path) -> Result<PathBuf, String> {
    let dir = root.join("content/releases");
    let mut names: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .collect();
    names.sort();
    names.into_iter().next().ok_or("no release".into())
}

/// The first figure file of offices (`*-kantor.yaml`) the generator wrote.
fn a_figure_file(root: &Path) -> Result<PathBuf, String> {
    let dir = root.join("content/data/figures");
    let mut names: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.to_string_lossy().ends_with("-kantor.yaml"))
        .collect();
    names.sort();
    names
        .into_iter()
        .next()
        .ok_or("no figure file of offices".into())
}

/// `text` with its first whole-number actual (`actual: 17866000000}`)
/// raised by a tenth and `run + 1`, so that every run is a change charts show.
fn with_actual_changed(text: &str, run: usize) -> Result<String, String> {
    let at = text
        .find("actual: ")
        .ok_or("no actual in the figure file")?
        + "actual: ".len();
    let digits = text[at..].chars().take_while(char::is_ascii_digit).count();
    let value: u64 = text[at..at + digits]
        .parse()
        .map_err(|_| "the first actual is not a whole number")?;
    let bumped = value + value / 10 + run as u64 + 1;
    Ok(format!("{}{bumped}{}", &text[..at], &text[at + digits..]))
}

fn run(args: &Args) -> Result<(), String> {
    let tmp = std::env::temp_dir().join(format!("rekap-serve-bench-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    let spec = GenSpec::named(&args.size).expect("checked");
    generate(&spec, &tmp).map_err(|e| format!("cannot generate: {e}"))?;
    let result = measure(args, &tmp);
    let _ = std::fs::remove_dir_all(&tmp);
    result
}

fn measure(args: &Args, root: &Path) -> Result<(), String> {
    let started = Instant::now();
    let (server, port, rebuilds) = start(&args.bin, root)?;
    let mut events = Events::open(port)?;
    eprintln!(
        "serving the {} site on port {port} ({:.1} s to the first build)",
        args.size,
        started.elapsed().as_secs_f64()
    );
    let release = match args.edit {
        Edit::Release => a_release(root)?,
        Edit::Figure => a_figure_file(root)?,
    };
    let original = std::fs::read_to_string(&release).map_err(|e| e.to_string())?;
    let mut times = Vec::with_capacity(args.runs);
    let mut builds = Vec::with_capacity(args.runs);
    for i in 0..args.runs {
        // Let the watcher go quiet, so that each run is one save.
        std::thread::sleep(Duration::from_millis(300));
        let text = match args.edit {
            Edit::Release => format!("{original}\nEdited for the serve benchmark, run {i}.\n"),
            Edit::Figure => with_actual_changed(&original, i)?,
        };
        let t0 = Instant::now();
        std::fs::write(&release, text).map_err(|e| e.to_string())?;
        events.next("reload")?;
        let ms = t0.elapsed().as_secs_f64() * 1000.0;
        let build = rebuilds
            .recv_timeout(Duration::from_secs(5))
            .map_err(|_| "rekap serve did not say how long the rebuild took")?;
        eprintln!(
            "run {i}: {ms:.0} ms from the write to the reload event, of which {build:.0} ms rebuilding"
        );
        times.push(ms);
        builds.push(build);
    }
    std::fs::write(&release, original).map_err(|e| e.to_string())?;
    let peak = peak_rss_mb(server.0.id());
    let mut sorted = times.clone();
    sorted.sort_by(f64::total_cmp);
    builds.sort_by(f64::total_cmp);
    let median = sorted[sorted.len() / 2];
    println!(
        "RESULT size={} edit={:?} runs={} median_ms={median:.0} min_ms={:.0} max_ms={:.0} rebuild_median_ms={:.0} peak_rss_mb={}",
        args.size,
        args.edit,
        sorted.len(),
        sorted[0],
        sorted[sorted.len() - 1],
        builds[builds.len() / 2],
        peak.map_or("?".to_string(), |m| m.to_string())
    );
    // Drain anything left so the server sees a clean close.
    let _ = events.0.get_mut().set_nonblocking(true);
    let _ = events.0.read(&mut [0; 64]);
    Ok(())
}

/// The peak resident memory of process `pid` so far (Linux's `VmHWM`), in MB.
fn peak_rss_mb(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let kb: u64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))?
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()?;
    Some(kb / 1024)
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("error: {e}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

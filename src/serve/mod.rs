//! `rekap serve`: build the site into memory, serve it on the loopback
//! address, watch its sources, rebuild on every change and reload the open
//! pages.
//!
//! - The site is kept in memory ([`MemorySite`]): nothing is written to
//!   disk, least of all over the site's `public/`, and stopping the server
//!   (Ctrl-C) leaves nothing behind.
//! - Rebuilds run the whole pipeline ([`crate::render_to`]); a chart's PNG
//!   whose SVG did not change is kept from the previous build, and a save
//!   that leaves every input as it was (see [`crate::cache`]) renders
//!   nothing.
//! - Every HTML page served gets a small script ([`inject`]) listening to
//!   the server's events (server-sent events at [`inject::EVENTS_PATH`]);
//!   after each rebuild the server sends `reload`. A build never holds the
//!   script: only what `serve` sends does.
//! - A build that fails keeps the server up with the last site that built:
//!   its errors, with the lines of the file around each, are printed and
//!   shown over every page until a rebuild succeeds.

pub mod http;
pub mod inject;
pub mod memory;
pub mod watch;

use std::fmt;
use std::net::{Ipv4Addr, SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock, mpsc};
use std::time::Instant;

use tokio::sync::broadcast;

use crate::Memo;
use crate::cache::Fingerprint;
use crate::load::ReadAhead;
use crate::pipeline::BuildOptions;
pub use memory::{MemorySink, MemorySite};

/// What to serve and how.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The site and how to build it (`output` is not used: the site stays
    /// in memory). A `base_url` of `None` serves at `http://127.0.0.1:PORT/`.
    pub build: BuildOptions,
    /// The port on 127.0.0.1; 0 takes any free port.
    pub port: u16,
    /// Open the site in the default browser once it is served.
    pub open: bool,
    /// Print only errors.
    pub quiet: bool,
    /// Print how long each stage of every build took (also with `quiet`).
    pub timings: bool,
}

/// What a rebuild says besides its errors.
#[derive(Debug, Clone, Copy)]
struct Telling {
    /// Only errors.
    quiet: bool,
    /// The time each stage took.
    timings: bool,
}

/// The default port of `rekap serve`.
pub const DEFAULT_PORT: u16 = 1111;

/// Why the server could not start.
#[derive(Debug)]
pub enum ServeError {
    /// The port is taken; `free` is the next free port after it, if one was found.
    PortTaken {
        /// The port asked for.
        port: u16,
        /// The next port that is free.
        free: Option<u16>,
    },
    /// The site folder is missing or not a folder.
    NoSite(PathBuf),
    /// Another I/O error (binding, watching, the runtime).
    Io(String),
}

impl fmt::Display for ServeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ServeError::PortTaken { port, free } => {
                write!(
                    f,
                    "port {port} on 127.0.0.1 is already in use (another server, or another rekap serve)"
                )?;
                match free {
                    Some(p) => write!(f, "; port {p} is free: rekap serve --port {p}"),
                    None => write!(
                        f,
                        "; choose another with --port N (or --port 0 for any free port)"
                    ),
                }
            }
            ServeError::NoSite(p) => write!(
                f,
                "{} is not a site folder (it does not exist or is not a folder)",
                p.display()
            ),
            ServeError::Io(e) => f.write_str(e),
        }
    }
}

impl std::error::Error for ServeError {}

/// What the server shows now: the last site that built, and the errors of
/// the last build if it failed.
#[derive(Debug, Default)]
pub struct Current {
    /// The last site that built.
    pub site: Option<Arc<MemorySite>>,
    /// The report of the last build, if it failed.
    pub error: Option<String>,
    /// How many builds have been published.
    pub generation: u64,
}

/// What the HTTP side shares with the builder.
#[derive(Debug)]
pub struct Shared {
    /// The site and error being shown.
    pub current: RwLock<Current>,
    /// `reload` events, with the generation of the new state.
    pub events: broadcast::Sender<u64>,
    /// The path the site is served under (`/`, or `/rekap/` for a base URL with a path).
    pub base_path: String,
}

impl Shared {
    fn read(&self) -> std::sync::RwLockReadGuard<'_, Current> {
        self.current.read().unwrap_or_else(|e| e.into_inner())
    }
}

/// Binds 127.0.0.1:`port`; a taken port is [`ServeError::PortTaken`], with
/// the next free port.
///
/// # Errors
///
/// The port is taken, or cannot be bound.
pub fn bind(port: u16) -> Result<TcpListener, ServeError> {
    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    match TcpListener::bind(addr) {
        Ok(l) => Ok(l),
        Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => {
            let free = (port.saturating_add(1)..=port.saturating_add(100))
                .find(|&p| TcpListener::bind((Ipv4Addr::LOCALHOST, p)).is_ok());
            Err(ServeError::PortTaken { port, free })
        }
        Err(e) => Err(ServeError::Io(format!("cannot listen on {addr}: {e}"))),
    }
}

/// A build that succeeded: its site, pages and warnings.
struct Built {
    site: Arc<MemorySite>,
    pages: usize,
    warnings: Vec<crate::diagnostics::Diagnostic>,
    /// The fingerprint of its inputs, if they did not change while it ran.
    fingerprint: Option<Fingerprint>,
    /// Charts it showed, and how many of them it took from the last build.
    charts: (usize, usize),
    /// How many of its pages it took from the last build.
    pages_kept: usize,
    /// How long its stages took (`None` when it only checked the site).
    timings: Option<crate::Timings>,
}

/// One build into memory, or the report of its errors. When the inputs are
/// those of `last` (the last build that succeeded, see [`crate::cache`]),
/// `last` is shown again, with its warnings, and nothing is read but the
/// stamps of the paths `changed` since the last fingerprint (of every
/// input if `None`): a save that changed no byte, or one undone.
/// Otherwise what did not change is taken from `memo` (see [`Memo`]): parsed
/// files, charts, bodies, pages and downloads.
///
/// What comes after the build is made is left to the [`Settle`] returned
/// with it, to be done once the build is shown: the inputs read again (a
/// change while it ran must not pass for the inputs it was made of) and
/// the memo's end.
fn build_once(
    opts: &BuildOptions,
    root: &Path,
    changed: Option<&[PathBuf]>,
    last: Option<&Built>,
    memo: &Memo,
) -> (Result<Built, String>, Option<Settle>) {
    // The documents read for the fingerprint are loaded from memory, not
    // read again (and what is loaded is what was fingerprinted); only the
    // paths changed since the last fingerprint are looked at, if known.
    let (before, ahead, documents) = memo.inputs.with_documents_after(opts, changed);
    if let Some(last) = last
        && let Some(before) = before
        && last.fingerprint == Some(before.all)
    {
        // The inputs of the last build that succeeded: its site, and its
        // warnings (the same inputs give the same), with nothing made again.
        let again = Built {
            site: last.site.clone(),
            pages: last.pages,
            warnings: last.warnings.clone(),
            fingerprint: Some(before.all),
            charts: (last.charts.0, last.charts.0),
            pages_kept: last.pages,
            timings: None,
        };
        return (Ok(again), None);
    }
    memo.begin(before.map(|f| f.charts));
    memo.load.read_ahead(ahead);
    let sink = MemorySink::new(last.map(|l| l.site.clone()));
    let result = crate::render_to_keeping(opts, &sink, Some(memo));
    let settle = Settle {
        before: before.map(|f| f.all),
        documents,
    };
    let built = match result {
        Ok(r) => Ok(Built {
            site: Arc::new(sink.into_site()),
            pages: r.pages,
            warnings: r.warnings,
            // Known once settled.
            fingerprint: None,
            charts: (r.charts, r.charts_reused),
            pages_kept: r.pages_reused,
            timings: Some(r.timings),
        }),
        Err(e) => Err(inject::report(root, &e)),
    };
    (built, Some(settle))
}

/// What is left of a build once it is shown (the reload sent): reading
/// the inputs again, to tell whether they changed while it ran, and ending
/// the memo. Done before the next build starts (on the same thread), so
/// the next build sees exactly what it would have seen had it been done
/// before the reload; only the time to the reload is shorter.
struct Settle {
    /// The fingerprint of all the inputs before the build.
    before: Option<Fingerprint>,
    /// The documents read before the build.
    documents: crate::cache::Documents,
}

impl Settle {
    /// Reads the inputs again and ends `memo`'s build; returns the
    /// fingerprint the build was made of, if its inputs did not change
    /// while it ran.
    fn run(self, opts: &BuildOptions, memo: &Memo) -> Option<Fingerprint> {
        // A build that loaded exactly the documents fingerprinted before it
        // was made from their bytes then, whatever they are now (a change
        // since has its own rebuild): only the other inputs are read again.
        let after = match memo.load.took_all_read_ahead() {
            true => memo.inputs.knowing(opts, &self.documents),
            false => memo.inputs.fingerprints(opts),
        };
        // What the load did not take is not kept for the next build.
        memo.load.read_ahead(ReadAhead::default());
        memo.end(after.map(|f| f.charts));
        self.before.filter(|&fp| after.map(|f| f.all) == Some(fp))
    }
}

/// Builds, publishes and reports one build, after `last` (which it
/// replaces if it succeeds), for the changes `changed` (`None`: the first
/// build). The time reported is the time to the reload
/// event; what settles the build after it (see [`Settle`]) is done before
/// this returns.
fn rebuild(
    shared: &Shared,
    opts: &BuildOptions,
    root: &Path,
    tell: Telling,
    changed: Option<&watch::Changes>,
    last: &mut Option<Built>,
    memo: &Memo,
) {
    let t = Instant::now();
    let known = changed.and_then(watch::Changes::known);
    let (result, settle) = build_once(opts, root, known, last.as_ref(), memo);
    let (shown, old) = {
        let mut cur = shared.current.write().unwrap_or_else(|e| e.into_inner());
        let old = match &result {
            Ok(built) => {
                cur.error = None;
                cur.site.replace(built.site.clone())
            }
            Err(report) => {
                cur.error = Some(report.clone());
                None
            }
        };
        cur.generation += 1;
        let _ = shared.events.send(cur.generation);
        (t.elapsed(), old)
    };
    // The site shown before, dropped outside the lock.
    drop(old);
    let settled = Instant::now();
    let fingerprint = settle.map(|s| s.run(opts, memo));
    let settled = settled.elapsed();
    match result {
        Ok(mut built) => {
            if let Some(fingerprint) = fingerprint {
                built.fingerprint = fingerprint;
            }
            if !tell.quiet {
                for w in &built.warnings {
                    eprintln!("{w}");
                }
                let why =
                    changed.map_or_else(|| "built".to_string(), |c| describe(root, &c.shown()));
                let (charts, kept) = built.charts;
                // What was kept is worth saying only when there was a build to keep from.
                let (pages, charts) = if last.is_some() {
                    (
                        format!(
                            "{} pages of which {} unchanged",
                            built.pages, built.pages_kept
                        ),
                        format!("{charts} charts of which {kept} unchanged"),
                    )
                } else {
                    (format!("{} pages", built.pages), format!("{charts} charts"))
                };
                eprintln!(
                    "{why}: {pages} ({} files, {charts}) in {:.0} ms",
                    built.site.len(),
                    shown.as_secs_f64() * 1000.0
                );
            }
            if tell.timings
                && let Some(timings) = &built.timings
            {
                eprintln!("{timings}");
                eprintln!(
                    "  settle    {:>8.1} ms  (inputs read again and the memo ended, after the reload)",
                    settled.as_secs_f64() * 1000.0
                );
            }
            *last = Some(built);
        }
        Err(report) => {
            eprintln!("{report}");
            eprintln!(
                "the site does not build: still serving the last site that did, with these errors over every page; fix the file and save it"
            );
        }
    }
}

/// Builds the site, serves it until Ctrl-C, rebuilding on every change.
///
/// # Errors
///
/// The site folder is missing, the port is taken, or the server or the
/// watcher cannot start. Content errors are no error here: they are shown
/// and the server goes on.
pub fn serve(opts: ServeOptions) -> Result<(), ServeError> {
    let root = opts
        .build
        .root
        .canonicalize()
        .ok()
        .filter(|p| p.is_dir())
        .ok_or_else(|| ServeError::NoSite(opts.build.root.clone()))?;
    let listener = bind(opts.port)?;
    let port = listener
        .local_addr()
        .map_err(|e| ServeError::Io(e.to_string()))?
        .port();
    let mut build = opts.build.clone();
    build.root = root.clone();
    let base_url = build
        .base_url
        .clone()
        .unwrap_or_else(|| format!("http://127.0.0.1:{port}/"));
    let base_path = crate::urls::Urls::new(&base_url).base_path;
    build.base_url = Some(base_url);
    let (events, _) = broadcast::channel(16);
    let shared = Arc::new(Shared {
        current: RwLock::new(Current::default()),
        events,
        base_path: base_path.clone(),
    });

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| ServeError::Io(format!("cannot start the server: {e}")))?;
    // Catch Ctrl-C from now on: a build under way is simply abandoned.
    let stop = {
        let _guard = runtime.enter();
        http::stop_signal().map_err(|e| ServeError::Io(format!("cannot catch Ctrl-C: {e}")))?
    };

    if !opts.quiet {
        eprintln!("building {}", root.display());
    }
    let mut last = None;
    let memo = Memo::new();
    let tell = Telling {
        quiet: opts.quiet,
        timings: opts.timings,
    };
    // Watching from before the first build: a change while it runs calls
    // for the next, and every build after the first can look at the paths
    // the watcher reports alone (see `InputStamps::with_documents_after`).
    let (tx, rx) = mpsc::channel();
    let mut watcher = watch::Watcher::start(&root, tx)
        .map_err(|e| ServeError::Io(format!("cannot watch {}: {e}", root.display())))?;
    rebuild(&shared, &build, &root, tell, None, &mut last, &memo);
    {
        let shared = shared.clone();
        std::thread::Builder::new()
            .name("rekap-rebuild".into())
            .spawn(move || {
                // Changes that called for no build yet (scratch files alone).
                let mut pending = watch::Changes::default();
                while let Ok(changed) = rx.recv() {
                    pending.extend(changed);
                    // Take every change that arrived meanwhile into one build
                    // (the watcher has already waited for the burst to end).
                    while let Ok(more) = rx.try_recv() {
                        pending.extend(more);
                    }
                    if !pending.call_for_build() {
                        continue;
                    }
                    let changed = std::mem::take(&mut pending);
                    let _ = watcher.refresh();
                    rebuild(
                        &shared,
                        &build,
                        &root,
                        tell,
                        Some(&changed),
                        &mut last,
                        &memo,
                    );
                }
            })
            .map_err(|e| ServeError::Io(format!("cannot start the rebuild thread: {e}")))?;
    }

    let url = format!("http://127.0.0.1:{port}{base_path}");
    // Always printed (also with -q): it is what the command is for.
    eprintln!("serving at {url} (press Ctrl-C to stop)");
    if opts.open {
        open_browser(&url);
    }
    runtime.block_on(http::run(listener, shared, stop))
}

/// `rebuilt after a change to content/releases/x.md` (or `to 3 files`).
fn describe(root: &Path, changed: &[&PathBuf]) -> String {
    match changed {
        [one] => format!(
            "rebuilt after a change to {}",
            one.strip_prefix(root).unwrap_or(one).display()
        ),
        [] => "rebuilt after the watcher lost track of changes".to_string(),
        many => format!("rebuilt after changes to {} files", many.len()),
    }
}

/// Opens `url` in the default browser; a failure is only reported.
fn open_browser(url: &str) {
    let mut cmd = if cfg!(target_os = "macos") {
        std::process::Command::new("open")
    } else if cfg!(windows) {
        let mut c = std::process::Command::new("cmd");
        c.args(["/C", "start", ""]);
        c
    } else {
        std::process::Command::new("xdg-open")
    };
    cmd.arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    if let Err(e) = cmd.spawn() {
        eprintln!("warning: cannot open a browser ({e}): open {url} yourself");
    }
}

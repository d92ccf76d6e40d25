//! Build benchmark: generates a site of a named size with
//! [`xtask::generate`], builds it several times and prints the wall time,
//! the time per stage, pages per second and the peak memory of the process.
//!
//! ```text
//! cargo bench -p xtask --bench build                         # small and medium
//! cargo bench -p xtask --bench build -- --size large         # one size
//! cargo bench -p xtask --bench build -- --size medium --runs 10 --edits 5
//! cargo bench -p xtask --bench build -- --generate DIR --size medium
//! cargo bench -p xtask --bench build -- --plain-corpus REKAP_DIR HUGO_DIR --size medium
//! ```
//!
//! Options (environment variables in brackets):
//!
//! - `--size NAME` (`REKAP_BENCH_SIZES`, comma-separated): `small`, `medium`
//!   or `large`; repeat for several. Default: small and medium.
//! - `--runs N` (`REKAP_BENCH_RUNS`): full builds measured after one warm-up
//!   build. Default 5, and 3 for large.
//! - `--edits N` (`REKAP_BENCH_EDITS`): rebuilds measured after touching one
//!   release, and after changing one figure. Default 3.
//! - `--dir DIR` (`REKAP_BENCH_DIR`): where to put the temporary sites
//!   (default: the system's temporary folder).
//! - `--generate DIR`: only write the site of the (first) size into DIR.
//! - `--plain-corpus REKAP_DIR HUGO_DIR`: only write the releases of the
//!   size as plain Markdown for rekap and for Hugo (see
//!   [`xtask::generate::generate_plain_releases`]).
//!
//! Peak memory is the process's high-water mark (`VmHWM`), so each size runs
//! in a process of its own: given several sizes, the bench runs itself once
//! per size. Every size prints a human-readable block and one line starting
//! with `RESULT` of `key=value` pairs, which `scripts/bench.sh` turns into a
//! table. Times are in milliseconds.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

use xtask::generate::{GenSpec, generate, generate_plain_releases};

/// The same allocator as the `rekap` command, so the bench measures what users run.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

struct Args {
    sizes: Vec<String>,
    runs: Option<usize>,
    edits: usize,
    dir: Option<PathBuf>,
    generate: Option<PathBuf>,
    plain: Option<(PathBuf, PathBuf)>,
}

fn usage(msg: &str) -> ExitCode {
    eprintln!("error: {msg}");
    eprintln!(
        "usage: build [--size small|medium|large]... [--runs N] [--edits N] [--dir DIR]\n       build --generate DIR [--size S]\n       build --plain-corpus REKAP_DIR HUGO_DIR [--size S]"
    );
    ExitCode::from(2)
}

fn parse_args() -> Result<Args, String> {
    let env = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
    let mut args = Args {
        sizes: Vec::new(),
        runs: env("REKAP_BENCH_RUNS").and_then(|v| v.parse().ok()),
        edits: env("REKAP_BENCH_EDITS")
            .and_then(|v| v.parse().ok())
            .unwrap_or(3),
        dir: env("REKAP_BENCH_DIR").map(PathBuf::from),
        generate: None,
        plain: None,
    };
    let mut it = std::env::args().skip(1);
    let number = |v: Option<String>, what: &str| -> Result<usize, String> {
        v.and_then(|v| v.parse().ok())
            .ok_or_else(|| format!("{what} needs a number"))
    };
    while let Some(a) = it.next() {
        match a.as_str() {
            "--size" => args
                .sizes
                .push(it.next().ok_or("--size needs a name")?.to_string()),
            "--runs" => args.runs = Some(number(it.next(), "--runs")?),
            "--edits" => args.edits = number(it.next(), "--edits")?,
            "--dir" => args.dir = Some(it.next().ok_or("--dir needs a folder")?.into()),
            "--generate" => {
                args.generate = Some(it.next().ok_or("--generate needs a folder")?.into())
            }
            "--plain-corpus" => {
                let a = it.next().ok_or("--plain-corpus needs two folders")?;
                let b = it.next().ok_or("--plain-corpus needs two folders")?;
                args.plain = Some((a.into(), b.into()));
            }
            // Passed by `cargo bench`.
            "--bench" => {}
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    if args.sizes.is_empty() {
        args.sizes = match env("REKAP_BENCH_SIZES") {
            Some(v) => v.split(',').map(|s| s.trim().to_string()).collect(),
            None => vec!["small".into(), "medium".into()],
        };
    }
    for s in &args.sizes {
        if GenSpec::named(s).is_none() {
            return Err(format!("unknown size `{s}`: small, medium or large"));
        }
    }
    Ok(args)
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => return usage(&e),
    };
    let spec = GenSpec::named(&args.sizes[0]).expect("checked");
    if let Some(dir) = &args.generate {
        return match generate(&spec, dir) {
            Ok(s) => {
                println!(
                    "generated {} into {}: {} files, {} bytes, {} figure records",
                    args.sizes[0],
                    dir.display(),
                    s.files,
                    s.bytes,
                    s.figures
                );
                ExitCode::SUCCESS
            }
            Err(e) => usage(&format!("cannot generate into {}: {e}", dir.display())),
        };
    }
    if let Some((rk, hg)) = &args.plain {
        return match generate_plain_releases(&spec, rk, hg) {
            Ok((a, b)) => {
                println!(
                    "plain corpus of {} releases: rekap {} ({} files, {} bytes), hugo {} ({} files, {} bytes)",
                    spec.releases,
                    rk.display(),
                    a.files,
                    a.bytes,
                    hg.display(),
                    b.files,
                    b.bytes
                );
                ExitCode::SUCCESS
            }
            Err(e) => usage(&format!("cannot write the corpus: {e}")),
        };
    }
    if args.sizes.len() > 1 {
        // One process per size, so that each peak RSS is that size's own.
        let exe = match std::env::current_exe() {
            Ok(e) => e,
            Err(e) => return usage(&format!("cannot find the bench executable: {e}")),
        };
        for size in &args.sizes {
            let mut cmd = Command::new(&exe);
            cmd.args(["--size", size, "--edits", &args.edits.to_string()]);
            if let Some(r) = args.runs {
                cmd.args(["--runs", &r.to_string()]);
            }
            if let Some(d) = &args.dir {
                cmd.arg("--dir").arg(d);
            }
            match cmd.status() {
                Ok(s) if s.success() => {}
                Ok(s) => {
                    eprintln!("size {size} failed: {s}");
                    return ExitCode::FAILURE;
                }
                Err(e) => return usage(&format!("cannot run {}: {e}", exe.display())),
            }
        }
        return ExitCode::SUCCESS;
    }
    let size = &args.sizes[0];
    let runs = args
        .runs
        .unwrap_or(if size == "large" { 3 } else { 5 })
        .max(1);
    match bench(size, spec, runs, args.edits, args.dir.as_deref()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn median(v: &[f64]) -> f64 {
    let mut s = v.to_vec();
    s.sort_by(f64::total_cmp);
    let n = s.len();
    if n % 2 == 1 {
        s[n / 2]
    } else {
        (s[n / 2 - 1] + s[n / 2]) / 2.0
    }
}

fn min_max(v: &[f64]) -> (f64, f64) {
    v.iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &x| {
            (a.min(x), b.max(x))
        })
}

/// A field of `/proc/self/status` in kB (Linux only).
fn status_kb(field: &str) -> Option<u64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    s.lines()
        .find_map(|l| l.strip_prefix(field)?.strip_prefix(':'))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

/// CPU time (user + system) of the whole process so far, in ms, from
/// `/proc/self/stat` (in USER_HZ ticks, 100 a second on Linux): 10 ms resolution.
fn cpu_ms() -> f64 {
    let Ok(s) = std::fs::read_to_string("/proc/self/stat") else {
        return f64::NAN;
    };
    // Fields after the command name (which is in parentheses and may hold spaces).
    let rest = s.rsplit_once(')').map(|(_, r)| r).unwrap_or("");
    let f: Vec<&str> = rest.split_whitespace().collect();
    // utime and stime are fields 14 and 15 of the line, 12 and 13 after the name.
    let tick = |i: usize| {
        f.get(i)
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(f64::NAN)
    };
    (tick(11) + tick(12)) * 10.0
}

/// The 1-minute load average, to tell a quiet machine from a busy one.
fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|s| s.split_whitespace().next().map(str::to_string))
        .unwrap_or_else(|| "?".into())
}

/// One timed build: wall time, CPU time and the report.
fn timed_build(opts: &rekap::BuildOptions) -> Result<(f64, f64, rekap::BuildReport), String> {
    let c = cpu_ms();
    let t = Instant::now();
    let r = rekap::build(opts).map_err(|e| format!("build failed:\n{e}"))?;
    Ok((ms(t.elapsed()), cpu_ms() - c, r))
}

/// Appends a paragraph to the first release (in name order).
fn touch_release(root: &Path, i: usize) -> Result<(), String> {
    let dir = root.join("content/releases");
    let mut names: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map_err(|e| e.to_string())?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    names.sort();
    let first = names.first().ok_or("no releases to touch")?;
    let mut text = std::fs::read_to_string(first).map_err(|e| e.to_string())?;
    text.push_str(&format!(
        "\nRalat {i}: paragraf ini ditambahkan untuk mengukur pembangunan ulang.\n"
    ));
    std::fs::write(first, text).map_err(|e| e.to_string())
}

/// Adds 1 to the actual of the last row of the CSV figure file: a leaf's
/// last-period figure, which nothing else depends on (see `xtask::generate`).
fn change_figure(root: &Path) -> Result<(), String> {
    let dir = root.join("content/data/figures");
    let csv = std::fs::read_dir(&dir)
        .map_err(|e| e.to_string())?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| p.extension().is_some_and(|x| x == "csv"))
        .ok_or("no CSV figure file")?;
    let text = std::fs::read_to_string(&csv).map_err(|e| e.to_string())?;
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let header: Vec<&str> = lines[0].split(',').collect();
    let col = header
        .iter()
        .position(|h| *h == "actual")
        .ok_or("no actual column")?;
    let last = lines.len() - 1;
    // The generator quotes only the last cell (source), so splitting the
    // cells before it at commas is safe.
    let mut cells: Vec<String> = lines[last]
        .splitn(header.len(), ',')
        .map(String::from)
        .collect();
    let v: u64 = cells[col].parse().map_err(|_| "actual is not an integer")?;
    cells[col] = (v + 1).to_string();
    lines[last] = cells.join(",");
    std::fs::write(&csv, lines.join("\n") + "\n").map_err(|e| e.to_string())
}

fn bench(
    size: &str,
    spec: GenSpec,
    runs: usize,
    edits: usize,
    base: Option<&Path>,
) -> Result<(), String> {
    let tmp = match base {
        Some(b) => {
            std::fs::create_dir_all(b).map_err(|e| e.to_string())?;
            tempfile::Builder::new()
                .prefix("rekap-bench-")
                .tempdir_in(b)
        }
        None => tempfile::Builder::new().prefix("rekap-bench-").tempdir(),
    }
    .map_err(|e| e.to_string())?;
    let root = tmp.path().join("site");

    let t = Instant::now();
    let stats = generate(&spec, &root).map_err(|e| e.to_string())?;
    let gen_ms = ms(t.elapsed());
    println!(
        "== {size}: {} releases, {} entities x {} metrics x {} periods, {} meetings (content size {})",
        spec.releases,
        spec.entities,
        spec.metrics,
        spec.periods,
        spec.meetings,
        spec.content_size()
    );
    println!(
        "generated {} files, {:.1} MB, {} figure records in {gen_ms:.0} ms",
        stats.files,
        stats.bytes as f64 / 1e6,
        stats.figures
    );

    // Full builds go into a fresh, empty output each (as a first build or a
    // CI run does); the outputs are removed only at the end, so no run pays
    // for removing another's files.
    let opts = rekap::BuildOptions::new(&root);
    let fresh = |i: usize| {
        let mut o = rekap::BuildOptions::new(&root);
        o.output = tmp.path().join(format!("out-{i}"));
        o
    };
    let load_before = loadavg();
    let (first_ms, _, first) = timed_build(&opts)?;
    let mut wall = Vec::with_capacity(runs);
    let mut cpu = Vec::with_capacity(runs);
    let mut stages: [Vec<f64>; 5] = Default::default();
    let mut report = first;
    for i in 0..runs {
        let (w, c, r) = timed_build(&fresh(i))?;
        wall.push(w);
        cpu.push(c);
        let t = &r.timings;
        for (i, d) in [t.load, t.validate, t.compute, t.render, t.write]
            .into_iter()
            .enumerate()
        {
            stages[i].push(ms(d));
        }
        report = r;
    }
    if !report.warnings.is_empty() {
        println!(
            "note: {} warnings (the generated site should have none)",
            report.warnings.len()
        );
    }

    // Rebuilds over the first build's output: nothing changed, then one edit.
    let mut same = Vec::with_capacity(runs);
    for _ in 0..runs {
        same.push(timed_build(&opts)?.0);
    }
    let mut touched = Vec::with_capacity(edits);
    let mut changed = Vec::with_capacity(edits);
    let (mut touch_written, mut change_written) = (0, 0);
    let (mut touch_kept, mut change_kept) = (0, 0);
    for i in 0..edits {
        touch_release(&root, i)?;
        let (w, _, r) = timed_build(&opts)?;
        touched.push(w);
        touch_written = r.written;
        touch_kept = r.pages_kept;
    }
    for _ in 0..edits {
        change_figure(&root)?;
        let (w, _, r) = timed_build(&opts)?;
        changed.push(w);
        change_written = r.written;
        change_kept = r.pages_kept;
    }
    let hwm = status_kb("VmHWM").unwrap_or(0);
    let load_after = loadavg();
    let cpu_med = median(&cpu);

    let med = median(&wall);
    let (lo, hi) = min_max(&wall);
    let st: Vec<f64> = stages.iter().map(|s| median(s)).collect();
    let pages_per_s = report.pages as f64 / (med / 1000.0);
    let edit_med = |v: &[f64]| if v.is_empty() { f64::NAN } else { median(v) };
    println!(
        "built {} pages, {} files, {:.1} MB",
        report.pages,
        report.files,
        report.bytes as f64 / 1e6
    );
    println!("first build {first_ms:.0} ms");
    println!(
        "full build into an empty output x{runs}: median {med:.0} ms, min {lo:.0} ms, max {hi:.0} ms; CPU (user+sys) median {cpu_med:.0} ms"
    );
    println!(
        "  stages (median ms): load {:.0}, validate {:.0}, compute {:.0}, render {:.0}, write {:.0}",
        st[0], st[1], st[2], st[3], st[4]
    );
    println!("  {pages_per_s:.0} pages/s");
    let same_med = median(&same);
    println!("rebuild with nothing changed x{runs}: median {same_med:.0} ms");
    println!(
        "rebuild after editing one release x{edits}: median {:.0} ms, {touch_written} files written, {touch_kept} pages kept unrendered",
        edit_med(&touched)
    );
    println!(
        "rebuild after changing one figure x{edits}: median {:.0} ms, {change_written} files written, {change_kept} pages kept unrendered",
        edit_med(&changed)
    );
    println!("peak RSS (VmHWM) {:.1} MB", hwm as f64 / 1024.0);
    println!("load average (1 min) before {load_before}, after {load_after}");
    println!(
        "RESULT size={size} content={} releases={} entities={} metrics={} periods={} meetings={} pages={} files={} bytes={} runs={runs} median_ms={med:.1} min_ms={lo:.1} max_ms={hi:.1} load_ms={:.1} validate_ms={:.1} compute_ms={:.1} render_ms={:.1} write_ms={:.1} pages_per_s={pages_per_s:.0} touch_release_ms={:.1} change_figure_ms={:.1} rebuild_ms={same_med:.1} touch_written={touch_written} change_written={change_written} first_ms={first_ms:.1} peak_rss_kb={hwm} gen_ms={gen_ms:.1} cpu_ms={cpu_med:.0} load_before={load_before} load_after={load_after}",
        spec.content_size(),
        spec.releases,
        spec.entities,
        spec.metrics,
        spec.periods,
        spec.meetings,
        report.pages,
        report.files,
        report.bytes,
        st[0],
        st[1],
        st[2],
        st[3],
        st[4],
        edit_med(&touched),
        edit_med(&changed),
    );
    Ok(())
}

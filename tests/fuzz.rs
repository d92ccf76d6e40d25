//! Fuzzing on stable Rust: a mutation harness over the example site.
//!
//! Each case takes one or two text files of the example (the YAML, CSV and
//! Markdown files), applies a few random mutations (bytes flipped, dropped
//! or duplicated, lines swapped, tokens that mean something to YAML, CSV,
//! front matter, shortcodes or numbers inserted, the file cut short), and
//! runs `rekap check` on the site in-process. It must return (errors are
//! fine), without a panic and within a time limit; every tenth case also
//! builds, and nothing may be written outside the output folder. Beside the
//! site, the same cases drive the loaders that take text directly: front
//! matter splitting, shortcodes, amounts, YAML with recovery, and the
//! number formatting of both languages with random numbers.
//!
//! `fuzz_smoke` runs a fixed number of cases with every `cargo test`;
//! `scripts/fuzz.sh` runs `fuzz_budget` for longer (`REKAP_FUZZ_SECONDS`,
//! `REKAP_FUZZ_SEED`). An input that made rekap panic or hang is kept in
//! `tests/fuzz-regressions/` (the files as mutated, and what happened), and
//! `fuzz_regressions_stay_fixed` replays every one of them.

mod common;

use std::collections::BTreeMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use common::*;
use rekap::model::{Audience, Lang, Unit};

/// A check or build of the small example takes well under a second; one
/// that takes this long is stuck.
const TIMEOUT: Duration = Duration::from_secs(60);

/// xorshift64*: small, seeded, and the same on every machine.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Tokens that mean something to one of rekap's readers.
const TOKENS: &[&str] = &[
    ":",
    ": ",
    "- ",
    "-",
    "{",
    "}",
    "[",
    "]",
    "\"",
    "'",
    "#",
    ",",
    ";",
    "&a ",
    "*a",
    "!!str ",
    "!!binary ",
    "!!float ",
    "\t",
    "\n",
    "\r\n",
    "---\n",
    "...\n",
    "%YAML 1.2\n",
    "<<: *a\n",
    "? ",
    "|",
    ">",
    "|-\n",
    "~",
    "null",
    "{{<",
    ">}}",
    "{{< value metric=\"contributions\" period=2016 >}}",
    "{{< value entity=\"gorontalo\" metric=\"contributions\" period=2017 show=\"progress\" >}}",
    "{{< chart kind=\"composition\" metrics=\",,\" >}}",
    "{{< chart name=\"\" >}}",
    "{{< table metric=\"contributions\" period=2016-H1 >}}",
    "{{< card >}}",
    "{{%",
    "%}}",
    "{{</*",
    "*/>}}",
    "{{%/*",
    "{{ ",
    " }}",
    "{%",
    "%}",
    "{% end %}",
    "\\{{<",
    "`",
    "```\n",
    "1e999",
    "-0",
    ".nan",
    ".inf",
    "-.inf",
    "0x10",
    "0o7",
    "0b1",
    "1_000",
    "9999999999999999999999",
    "-9223372036854775808",
    "18446744073709551616",
    "0.0000000000000000001",
    "2017-Q5",
    "2017-13",
    "2017-H3",
    "2017-H1",
    "2016/17",
    "2016/18",
    "1899",
    "2200",
    "2017-02-29",
    "2016-02-29",
    "15%",
    "-100%",
    "1e308%",
    "%",
    "\u{202e}",
    "\u{0}",
    "\u{feff}",
    "\u{85}",
    "é",
    "😀",
    "](/x/)",
    "](#",
    "[^1]",
    "[^1]: ",
    "<script>",
    "<!--",
    "javascript:",
    "audience: internal",
    "audience: public",
    "draft: true",
    "slug: ../x",
    "slug: regions",
    "entity: ",
    "metric: ",
    "metrics: ",
    "period: ",
    "target: ",
    "actual: ",
    "as_of: ",
    "parent: ",
    "id: ",
    "kind: ",
    "base_period: 2015",
    "growth: ",
    "value: ",
    "per: 0",
    "decimals: 255",
    "unit: rate",
    "time: stock",
    "target_profile: [1]",
    "financial_year_start: 4",
    "breakdown: partial",
    "# decimal: comma\n",
    "# decimal: point\n",
    "\"\"",
    ",,,,,,",
    "\"a\"\"b\"",
];

/// Numbers to put where numbers are.
const NUMBERS: &[&str] = &[
    "0",
    "-1",
    "1.5",
    "577.958",
    "1e12",
    "9e15",
    "9.1e15",
    "123456789012345678",
    "0.001",
    "-0.0",
    "4294967296",
    "65536",
    "2016",
    "2017",
    "1900",
    "2199",
    "13",
    "255",
    "256",
];

/// Applies one random mutation to `text`.
fn mutate(rng: &mut Rng, text: &mut Vec<u8>) {
    let len = text.len();
    let at = rng.below(len + 1);
    match rng.below(10) {
        0 if len > 0 => text[at.min(len - 1)] = rng.next() as u8,
        1 | 2 => {
            let t = rng.pick(TOKENS).as_bytes();
            text.splice(at..at, t.iter().copied());
        }
        3 if len > 0 => {
            let end = (at + 1 + rng.below(20)).min(len);
            text.drain(at.min(end)..end);
        }
        4 => {
            // Duplicate a line.
            let s = String::from_utf8_lossy(text).into_owned();
            let lines: Vec<&str> = s.split('\n').collect();
            let i = rng.below(lines.len());
            let mut out: Vec<&str> = lines.clone();
            out.insert(i, lines[i]);
            *text = out.join("\n").into_bytes();
        }
        5 => {
            // Swap two lines.
            let s = String::from_utf8_lossy(text).into_owned();
            let mut lines: Vec<&str> = s.split('\n').collect();
            let (i, j) = (rng.below(lines.len()), rng.below(lines.len()));
            lines.swap(i, j);
            *text = lines.join("\n").into_bytes();
        }
        6 => {
            // A number where a number is.
            let digits: Vec<usize> = (0..len).filter(|&i| text[i].is_ascii_digit()).collect();
            if let Some(&start) = digits.get(rng.below(digits.len())) {
                let mut end = start;
                while end < len && (text[end].is_ascii_digit() || text[end] == b'.') {
                    end += 1;
                }
                let n = rng.pick(NUMBERS).as_bytes();
                text.splice(start..end, n.iter().copied());
            }
        }
        7 if rng.below(4) == 0 => text.truncate(at),
        8 => {
            let n = 1 + rng.below(4);
            let bytes: Vec<u8> = (0..n).map(|_| rng.next() as u8).collect();
            text.splice(at..at, bytes);
        }
        _ => {
            // Indentation changed on a line.
            let s = String::from_utf8_lossy(text).into_owned();
            let mut lines: Vec<String> = s.split('\n').map(str::to_string).collect();
            let i = rng.below(lines.len());
            if rng.below(2) == 0 {
                lines[i].insert(0, ' ');
            } else if lines[i].starts_with(' ') {
                lines[i].remove(0);
            }
            *text = lines.join("\n").into_bytes();
        }
    }
}

/// The text files of the example that mutations go into, relative to the root.
fn targets(root: &Path) -> Vec<String> {
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(root.join("content")).sort_by_file_name() {
        let entry = entry.expect("walk the example");
        if entry.file_type().is_file() {
            let rel = entry
                .path()
                .strip_prefix(root)
                .expect("under root")
                .to_string_lossy()
                .replace('\\', "/");
            if [".yaml", ".csv", ".md"].iter().any(|e| rel.ends_with(e)) {
                out.push(rel);
            }
        }
    }
    out
}

/// Panic messages, collected by the hook installed for fuzzing.
static PANICS: Mutex<Vec<String>> = Mutex::new(Vec::new());

fn quiet_panics() {
    std::panic::set_hook(Box::new(|info| {
        let msg = match info.payload().downcast_ref::<&str>() {
            Some(s) => s.to_string(),
            None => info
                .payload()
                .downcast_ref::<String>()
                .cloned()
                .unwrap_or_default(),
        };
        let at = info
            .location()
            .map(|l| format!("{}:{}", l.file(), l.line()))
            .unwrap_or_default();
        PANICS
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(format!("{msg} at {at}"));
    }));
}

/// Runs `f` on another thread: `Ok` if it returned in time, else what went wrong.
fn guarded<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> Result<T, String> {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let r = catch_unwind(AssertUnwindSafe(f));
        let _ = tx.send(r);
    });
    match rx.recv_timeout(TIMEOUT) {
        Ok(Ok(v)) => Ok(v),
        Ok(Err(_)) => {
            let panics = PANICS.lock().unwrap_or_else(|e| e.into_inner()).join("; ");
            Err(format!("panic: {panics}"))
        }
        Err(_) => Err(format!("no answer within {} s (a hang)", TIMEOUT.as_secs())),
    }
}

/// Everything under `dir` but `except` (a folder name at its top).
fn snapshot_except(dir: &Path, except: &str) -> BTreeMap<String, Vec<u8>> {
    // The output, and what rekap keeps beside it by design: the spare
    // folder reused for the next build, the render cache and the lock.
    let own = |k: &str| {
        [
            except.to_string(),
            format!("{except}.rekap-spare"),
            format!("{except}.rekap-cache"),
            format!("{except}.rekap-lock"),
        ]
        .iter()
        .any(|p| k == p || k == format!("{p}/") || k.starts_with(&format!("{p}/")))
    };
    snapshot(dir).into_iter().filter(|(k, _)| !own(k)).collect()
}

/// What a fuzzing run did.
#[derive(Debug, Default)]
struct Outcome {
    cases: usize,
    builds: usize,
    direct: usize,
    findings: Vec<String>,
}

/// The mutated files of one case, by path.
type Input = Vec<(String, Vec<u8>)>;

/// Runs one case on the site at `root` (restored afterwards); `Err` is a finding.
fn site_case(root: &Path, input: &Input, build: bool) -> Result<(), String> {
    let originals: Vec<(String, Vec<u8>)> = input
        .iter()
        .map(|(rel, _)| (rel.clone(), std::fs::read(root.join(rel)).expect("read")))
        .collect();
    for (rel, bytes) in input {
        std::fs::write(root.join(rel), bytes).expect("write the mutated file");
    }
    let before = snapshot_except(root, "out");
    let r: PathBuf = root.to_path_buf();
    let result = guarded(move || {
        let _ = rekap::check(&r, Audience::Public, false, false);
        let _ = rekap::check(&r, Audience::Internal, true, true);
    });
    let result = result.and_then(|()| {
        if !build {
            return Ok(());
        }
        let r: PathBuf = root.to_path_buf();
        guarded(move || {
            let mut o = rekap::BuildOptions::new(&r);
            o.output = r.join("out");
            o.force = true;
            let _ = rekap::build(&o);
        })
    });
    let after = snapshot_except(root, "out");
    let result = result.and_then(|()| {
        if after == before {
            Ok(())
        } else {
            let changed: Vec<&String> = after
                .keys()
                .chain(before.keys())
                .filter(|k| after.get(*k) != before.get(*k))
                .collect();
            Err(format!("wrote outside the output: {changed:?}"))
        }
    });
    for (rel, bytes) in originals {
        std::fs::write(root.join(rel), bytes).expect("restore");
    }
    result
}

/// The loaders that take text directly, on the mutated text of `input`.
fn direct_case(rng: &mut Rng, input: &Input) -> Result<(), String> {
    let texts: Vec<String> = input
        .iter()
        .map(|(_, b)| String::from_utf8_lossy(b).into_owned())
        .collect();
    let numbers: Vec<f64> = (0..8)
        .map(|_| match rng.below(4) {
            0 => f64::from_bits(rng.next()),
            1 => (rng.next() as i64) as f64 / 10f64.powi(rng.below(20) as i32),
            2 => *rng.pick(&[
                0.0,
                -0.0,
                f64::NAN,
                f64::INFINITY,
                f64::MIN,
                f64::MAX,
                9e15,
                -9e15,
                1e-300,
                0.5,
                0.995,
                0.9995,
            ]),
            _ => rng.below(1_000_000_000) as f64,
        })
        .collect();
    guarded(move || {
        for text in &texts {
            let mut d = rekap::diagnostics::Diagnostics::new();
            let _ = rekap::load::frontmatter::split(text);
            let _ = rekap::load::shortcodes::prepare("x.md", text, 1, &mut d);
            let _ = rekap::load::yaml::parse_all::<serde_json::Value>("x.yaml", text, 1);
            for word in text.split([' ', ',', '\n', ':']).take(200) {
                let _ = rekap::load::amount::parse(word, None);
                let _ =
                    rekap::load::amount::parse(word, Some(rekap::load::amount::DecimalMark::Comma));
                let _ = rekap::load::parse_growth(word);
                let _ = word.parse::<rekap::model::Period>();
            }
            for d in d.sorted() {
                let _ =
                    rekap::diagnostics::Snippet::of(text, d.origin.pos.line, d.origin.pos.column)
                        .map(|s| s.to_string());
            }
        }
        for v in numbers {
            for lang in [Lang::Id, Lang::En] {
                let _ = rekap::format::integer(v, lang);
                let _ = rekap::format::decimal(v, lang, 2);
                let _ = rekap::format::percent(v, lang, 1);
                let _ = rekap::format::signed_percent(v, lang, 1);
                let _ = rekap::format::compact(v, lang);
                let _ = rekap::format::money(v, "IDR", lang, true);
                let _ = rekap::format::money(v, "KWD", lang, false);
                for unit in [Unit::People, Unit::Currency, Unit::Percent, Unit::Count] {
                    let s = rekap::format::value(v, unit, Some("IDR"), lang, true);
                    if v.is_finite() && v.abs() < 1e15 && (s.contains("NaN") || s.contains("inf")) {
                        panic!("{v} formats as {s}");
                    }
                }
            }
        }
    })
}

/// Keeps the input of a finding as a regression case.
fn keep(input: &Input, what: &str, seed: u64, case: usize) -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fuzz-regressions")
        .join(format!("{seed:016x}-{case}"));
    for (rel, bytes) in input {
        let p = dir.join(rel);
        std::fs::create_dir_all(p.parent().expect("a parent")).expect("create");
        std::fs::write(&p, bytes).expect("write a regression input");
    }
    std::fs::write(dir.join("finding.txt"), format!("{what}\n")).expect("write");
    dir
}

/// Runs cases until `cases` are done or `budget` is spent.
fn fuzz(seed: u64, cases: usize, budget: Duration) -> Outcome {
    quiet_panics();
    let site = copy_example();
    let root = site.path();
    let files = targets(root);
    let pristine: BTreeMap<String, Vec<u8>> = files
        .iter()
        .map(|f| (f.clone(), std::fs::read(root.join(f)).expect("read")))
        .collect();
    let mut rng = Rng::new(seed);
    let mut out = Outcome::default();
    let start = Instant::now();
    while out.cases < cases && start.elapsed() < budget {
        let n = 1 + rng.below(2);
        let mut input: Input = Vec::new();
        for _ in 0..n {
            let rel = rng.pick(&files).clone();
            if input.iter().any(|(r, _)| r == &rel) {
                continue;
            }
            let mut bytes = pristine[&rel].clone();
            for _ in 0..1 + rng.below(4) {
                mutate(&mut rng, &mut bytes);
            }
            input.push((rel, bytes));
        }
        let build = out.cases % 10 == 9;
        let result = site_case(root, &input, build).and_then(|()| direct_case(&mut rng, &input));
        out.cases += 1;
        out.builds += usize::from(build);
        out.direct += 1;
        PANICS.lock().unwrap_or_else(|e| e.into_inner()).clear();
        if let Err(what) = result {
            let kept = keep(&input, &what, seed, out.cases);
            out.findings
                .push(format!("{what} (input kept in {})", kept.display()));
            if what.contains("hang") {
                // The stuck thread cannot be stopped: report what there is.
                break;
            }
        }
    }
    let _ = std::panic::take_hook();
    out
}

#[test]
fn fuzz_smoke() {
    let o = fuzz(0x5EED, 30, Duration::MAX);
    assert!(o.findings.is_empty(), "{:#?}", o.findings);
    assert_eq!(o.cases, 30);
}

#[test]
#[ignore = "long: run by scripts/fuzz.sh"]
fn fuzz_budget() {
    let seconds: u64 = std::env::var("REKAP_FUZZ_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(60);
    let seed: u64 = std::env::var("REKAP_FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(1, |d| d.as_secs())
        });
    let o = fuzz(seed, usize::MAX, Duration::from_secs(seconds));
    eprintln!(
        "fuzz: seed {seed}, {} cases ({} with a build, {} of the direct loaders) in {seconds} s, {} findings",
        o.cases,
        o.builds,
        o.direct,
        o.findings.len()
    );
    assert!(o.findings.is_empty(), "{:#?}", o.findings);
}

#[test]
fn fuzz_regressions_stay_fixed() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz-regressions");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return;
    };
    let mut cases: Vec<PathBuf> = entries
        .map(|e| e.expect("entry").path())
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    quiet_panics();
    let mut failures = Vec::new();
    for case in cases {
        let site = copy_example();
        let root = site.path();
        let mut input: Input = Vec::new();
        for entry in walkdir::WalkDir::new(&case) {
            let entry = entry.expect("walk");
            if entry.file_type().is_file() && entry.file_name() != "finding.txt" {
                let rel = entry
                    .path()
                    .strip_prefix(&case)
                    .expect("under the case")
                    .to_string_lossy()
                    .replace('\\', "/");
                input.push((rel, std::fs::read(entry.path()).expect("read")));
            }
        }
        let mut rng = Rng::new(1);
        if let Err(what) =
            site_case(root, &input, true).and_then(|()| direct_case(&mut rng, &input))
        {
            failures.push(format!("{}: {what}", case.display()));
        }
        PANICS.lock().unwrap_or_else(|e| e.into_inner()).clear();
    }
    let _ = std::panic::take_hook();
    assert!(failures.is_empty(), "{failures:#?}");
}

//! The bad-input corpus: one problem per case, every kind of input.
//!
//! Each file in `tests/bad-input/` describes one case (see its README): which
//! files of the example site to edit and how, and what `rekap check` and
//! `rekap build` must say. This one test runs them all, a few at a time:
//! for each case it copies the example site with a previous build of it,
//! applies the edits, runs the `rekap` binary's `check` and `build`, and
//! asserts
//!
//! - the exit codes (1 for content errors, 2 for usage errors, 0 when the
//!   problem is only a warning for `build`);
//! - that both print the expected diagnostic, `error: file:line:column:
//!   message` (or `warning:`), with the help when the case gives one, and
//!   exactly as many errors as the case expects (one, unless it says: no
//!   cascade of follow-up errors);
//! - that a failed build leaves the previous output, and everything else in
//!   the site folder, exactly as it was.
//!
//! Every failing case is reported, not only the first.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use common::*;
use serde::Deserialize;

/// One case, as its file describes it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    /// What the case is about, in a sentence.
    about: String,
    /// The edits that break the site, in order.
    edit: Vec<Edit>,
    /// Extra arguments for both `check` and `build` (`--audience internal`).
    #[serde(default)]
    args: Vec<String>,
    /// What rekap must say.
    expect: Expect,
    /// A case rekap does not handle as it should yet, and why: it must
    /// still fail (the test says so when it passes, so that the mark is
    /// removed), and every such case is listed on stderr.
    #[serde(default)]
    known_gap: Option<String>,
}

/// One edit of one file of the site (paths relative to the site root).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Edit {
    file: String,
    /// Replace this text (which must occur exactly once) ...
    #[serde(default)]
    find: Option<String>,
    /// ... by this.
    #[serde(default)]
    replace: Option<String>,
    /// Write the file with this text (creating folders).
    #[serde(default)]
    write: Option<String>,
    /// Append this text to the file.
    #[serde(default)]
    append: Option<String>,
    /// Write the file with these bytes.
    #[serde(default)]
    bytes: Option<Vec<u8>>,
    /// Copy this file of the repository (`tests/fixtures/...`) to `file`.
    #[serde(default)]
    copy: Option<String>,
    /// Remove the file.
    #[serde(default)]
    remove: bool,
    /// Make `file` a symbolic link to this path.
    #[serde(default)]
    symlink: Option<String>,
    /// Insert the byte `byte` right after this text (which must occur once):
    /// a file that is no longer UTF-8.
    #[serde(default)]
    after: Option<String>,
    #[serde(default)]
    byte: Option<u8>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Expect {
    /// The file the diagnostic names.
    file: String,
    /// The diagnostic points at this text of the edited file (which must
    /// occur once) ...
    #[serde(default)]
    at: Option<String>,
    /// ... or at this `line:column` (`0:0` for a whole file, no position).
    #[serde(default)]
    pos: Option<String>,
    /// Text the message must contain.
    message: String,
    /// Text the help must contain.
    #[serde(default)]
    help: Option<String>,
    /// Exit code of `check` (and of `build`, unless `build_exit` says).
    #[serde(default = "one")]
    exit: i32,
    #[serde(default)]
    build_exit: Option<i32>,
    /// `warning` if `build` reports it as a warning (and builds).
    #[serde(default)]
    build_severity: Option<String>,
    /// How many errors `check` reports (default 1: no follow-up errors).
    #[serde(default = "one_usize")]
    errors: usize,
}

fn one() -> i32 {
    1
}

fn one_usize() -> usize {
    1
}

/// The repository root.
fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every case file, sorted by name.
fn cases() -> Vec<(String, Case)> {
    let dir = repo().join("tests/bad-input");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("list {}: {e}", dir.display()))
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".yaml"))
        .collect();
    names.sort();
    names
        .into_iter()
        .map(|n| {
            let text = std::fs::read_to_string(dir.join(&n)).expect("read a case");
            let case: Case = serde_saphyr::from_str(&text)
                .unwrap_or_else(|e| panic!("tests/bad-input/{n} is not a valid case: {e}"));
            (n, case)
        })
        .collect()
}

/// Copies `from` to `to`, folders and files (no links in the example).
fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create a folder");
    for entry in std::fs::read_dir(from).expect("list a folder") {
        let entry = entry.expect("entry");
        let dest = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            copy_tree(&entry.path(), &dest);
        } else {
            std::fs::copy(entry.path(), &dest).expect("copy a file");
        }
    }
}

/// Applies `e` to the site at `root`; an error if the case does not fit the example.
fn apply(root: &Path, e: &Edit) -> Result<(), String> {
    let path = root.join(&e.file);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|x| x.to_string())?;
    }
    if let Some(find) = &e.find {
        let text = std::fs::read_to_string(&path).map_err(|x| format!("{}: {x}", e.file))?;
        let n = text.matches(find.as_str()).count();
        if n != 1 {
            return Err(format!(
                "{find:?} occurs {n} times in {}: the example changed?",
                e.file
            ));
        }
        let to = e.replace.as_deref().unwrap_or("");
        std::fs::write(&path, text.replacen(find.as_str(), to, 1)).map_err(|x| x.to_string())?;
    }
    if let Some(w) = &e.write {
        std::fs::write(&path, w).map_err(|x| x.to_string())?;
    }
    if let Some(a) = &e.append {
        let mut text = std::fs::read_to_string(&path).map_err(|x| format!("{}: {x}", e.file))?;
        text.push_str(a);
        std::fs::write(&path, text).map_err(|x| x.to_string())?;
    }
    if let Some(b) = &e.bytes {
        std::fs::write(&path, b).map_err(|x| x.to_string())?;
    }
    if let Some(c) = &e.copy {
        std::fs::copy(repo().join(c), &path).map_err(|x| format!("copy {c}: {x}"))?;
    }
    if e.remove {
        std::fs::remove_file(&path).map_err(|x| format!("remove {}: {x}", e.file))?;
    }
    if let (Some(after), Some(byte)) = (&e.after, e.byte) {
        let mut bytes = std::fs::read(&path).map_err(|x| format!("{}: {x}", e.file))?;
        let text = String::from_utf8_lossy(&bytes).into_owned();
        if text.matches(after.as_str()).count() != 1 {
            return Err(format!("{after:?} does not occur once in {}", e.file));
        }
        let at = text.find(after.as_str()).expect("counted") + after.len();
        bytes.insert(at, byte);
        std::fs::write(&path, bytes).map_err(|x| x.to_string())?;
    }
    if let Some(to) = &e.symlink {
        std::os::unix::fs::symlink(to, &path).map_err(|x| x.to_string())?;
    }
    Ok(())
}

/// `line:column` of `needle` in `root/file` (which must hold it once).
fn place_of(root: &Path, file: &str, needle: &str) -> Result<(u32, u32), String> {
    let bytes = std::fs::read(root.join(file)).map_err(|e| format!("{file}: {e}"))?;
    let text = String::from_utf8_lossy(&bytes);
    let n = text.matches(needle).count();
    if n != 1 {
        return Err(format!("expect.at {needle:?} occurs {n} times in {file}"));
    }
    let at = text.find(needle).expect("counted");
    let line = text[..at].matches('\n').count() as u32 + 1;
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let column = text[line_start..at].chars().count() as u32 + 1;
    Ok((line, column))
}

/// Runs the `rekap` binary; its exit code and standard error.
fn rekap(args: &[&str]) -> (i32, String) {
    let out = Command::new(rekap_bin())
        .args(args)
        .output()
        .expect("run rekap");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The problems with one case; empty if it passes.
fn run_case(
    name: &str,
    case: &Case,
    template: &Path,
    good: &BTreeMap<String, Vec<u8>>,
) -> Vec<String> {
    let mut problems = Vec::new();
    let top = tempfile::tempdir().expect("a temporary folder");
    let root = top.path().join("site");
    copy_tree(template, &root);
    for e in &case.edit {
        if let Err(why) = apply(&root, e) {
            return vec![format!("cannot apply the edit: {why}")];
        }
    }
    let x = &case.expect;
    let place = match (&x.at, &x.pos) {
        (Some(at), _) => match place_of(&root, &x.file, at) {
            Ok((l, c)) => format!("{}:{l}:{c}", x.file),
            Err(why) => return vec![why],
        },
        (None, Some(p)) if p == "0:0" => x.file.clone(),
        (None, Some(p)) => format!("{}:{p}", x.file),
        (None, None) => return vec!["expect needs `at` or `pos`".into()],
    };
    let before = snapshot(top.path());
    let site = root.to_string_lossy().into_owned();
    let extra: Vec<&str> = case.args.iter().map(String::as_str).collect();
    for command in ["check", "build"] {
        let mut args = vec![command, site.as_str()];
        args.extend(&extra);
        let (code, err) = rekap(&args);
        let build = command == "build";
        let exit = if build {
            x.build_exit.unwrap_or(x.exit)
        } else {
            x.exit
        };
        let severity = match (build, x.build_severity.as_deref()) {
            (true, Some(s)) => s,
            _ => "error",
        };
        let mut say = |what: String| problems.push(format!("rekap {command}: {what}\n{err}"));
        if code != exit {
            say(format!("exit code {code}, expected {exit}"));
            continue;
        }
        if exit == 2 {
            // A usage error: the message, nothing built.
            if !err.contains(&x.message) {
                say(format!("does not say {:?}", x.message));
            }
            continue;
        }
        let head = format!("{severity}: {place}: ");
        let lines: Vec<&str> = err.lines().collect();
        let found = lines
            .iter()
            .position(|l| l.starts_with(&head) && l.contains(&x.message));
        match found {
            None => say(format!("no line `{head}...{}...`", x.message)),
            Some(i) => {
                if let Some(help) = &x.help {
                    // The help follows within the diagnostic (after its snippet).
                    let rest = lines[i + 1..]
                        .iter()
                        .take_while(|l| !l.starts_with("error: ") && !l.starts_with("warning: "))
                        .any(|l| l.trim_start().starts_with("help: ") && l.contains(help.as_str()));
                    if !rest {
                        say(format!("the help does not say {help:?}"));
                    }
                }
            }
        }
        if !build {
            let errors = lines.iter().filter(|l| l.starts_with("error: ")).count();
            if errors != x.errors {
                say(format!("{errors} errors, expected {}", x.errors));
            }
        }
        if build && code != 0 {
            let after = snapshot(top.path());
            if after != before {
                // rekap's own scratch beside the output (the spare folder a
                // failed build leaves to reuse as its next staging folder,
                // and the lock) is not the author's.
                let scratch = |k: &str| k.contains(".rekap-spare") || k.contains(".rekap-lock");
                let changed: Vec<&String> = after
                    .keys()
                    .chain(before.keys())
                    .filter(|k| !scratch(k) && after.get(*k) != before.get(*k))
                    .collect::<std::collections::BTreeSet<_>>()
                    .into_iter()
                    .collect();
                if !changed.is_empty() {
                    say(format!("a failed build changed files: {changed:?}"));
                }
            }
            let public = snapshot(&root.join("public"));
            if &public != good {
                say("the previous output is not the good build".into());
            }
        }
    }
    problems
        .into_iter()
        .map(|p| format!("{name} ({}): {p}", case.about))
        .collect()
}

#[test]
fn every_bad_input_is_reported_where_it_is_and_changes_nothing() {
    let cases = cases();
    assert!(cases.len() >= 80, "the corpus has {} cases", cases.len());
    // The example, built once: every case starts from a copy of it.
    let template = copy_example();
    build(template.path()).unwrap_or_else(|e| panic!("the example builds:\n{e}"));
    let good = snapshot(&template.path().join("public"));
    // A few cases at a time: each runs two processes.
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get().clamp(2, 4));
    let next = AtomicUsize::new(0);
    let failures = Mutex::new(Vec::new());
    std::thread::scope(|s| {
        for _ in 0..workers {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::SeqCst);
                    let Some((name, case)) = cases.get(i) else {
                        break;
                    };
                    let problems = run_case(name, case, template.path(), &good);
                    let problems = match (&case.known_gap, problems.is_empty()) {
                        (None, _) => problems,
                        (Some(_), true) => vec![format!(
                            "{name}: marked known_gap but passes now: remove the mark"
                        )],
                        (Some(why), false) => {
                            eprintln!("KNOWN GAP {name}: {why}");
                            Vec::new()
                        }
                    };
                    failures
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .extend(problems);
                }
            });
        }
    });
    let failures = failures.into_inner().unwrap_or_else(|e| e.into_inner());
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n\n")
    );
}

//! Helpers shared by the integration tests: a fresh copy of the example site
//! in a temporary folder, small edits that fail loudly when the example
//! changes, builds, and snapshots of output trees; [`figures`] reads one
//! record of the JSON downloads exactly, [`html`] one element of a page.

#![allow(dead_code, unused_imports)]

pub mod figures;
pub mod html;

pub use figures::{Figure, figure, figure_in, figure_of_build, try_figure};

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use rekap::diagnostics::Diagnostic;
use rekap::model::Audience;
use rekap::{BuildOptions, BuildReport, Error};

/// The example site's `content/` folder in the repository.
pub fn example_content() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("content")
}

/// A temporary site root holding a copy of the example as `<tmp>/content`,
/// in Indonesian only: without `languages:` and the English translations,
/// so that tests of everything but languages build one edition, not two
/// (see [`copy_bilingual_example`] for the example as it is).
pub fn copy_example() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("create a temporary folder");
    copy_example_into(dir.path());
    dir
}

/// The example exactly as it is in the repository, in Indonesian and English.
pub fn copy_bilingual_example() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("create a temporary folder");
    copy_dir(&example_content(), &dir.path().join("content"));
    dir
}

/// Draws no chart PNG in the site at `dir` (the pages are the same without;
/// the build is quicker).
pub fn no_png(dir: &Path) {
    replace_in(
        dir,
        "content/site.yaml",
        "charts_png: all",
        "charts_png: none",
    );
}

/// Copies the example's `content/` folder to `root/content`, creating
/// `root`, in Indonesian only (as [`copy_example`]).
pub fn copy_example_into(root: &Path) {
    let content = root.join("content");
    copy_dir(&example_content(), &content);
    let site = content.join("site.yaml");
    let text = std::fs::read_to_string(&site).expect("read the example's site.yaml");
    let line = "\nlanguages: [id, en]\n";
    assert!(
        text.contains(line),
        "the example's site.yaml no longer says `languages: [id, en]`: update copy_example_into"
    );
    std::fs::write(&site, text.replacen(line, "\n", 1)).expect("write site.yaml");
    for dir in ["releases", "meetings", "pages"] {
        for entry in std::fs::read_dir(content.join(dir)).expect("list the example's documents") {
            let path = entry.expect("read a folder entry").path();
            if path.to_string_lossy().ends_with(".en.md") {
                std::fs::remove_file(&path).expect("remove a translation");
            }
        }
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap_or_else(|e| panic!("create {}: {e}", to.display()));
    let mut entries: Vec<_> = std::fs::read_dir(from)
        .unwrap_or_else(|e| panic!("list {}: {e}", from.display()))
        .map(|e| e.expect("read a folder entry"))
        .collect();
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let src = entry.path();
        let dest = to.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            copy_dir(&src, &dest);
        } else {
            std::fs::copy(&src, &dest).unwrap_or_else(|e| panic!("copy {}: {e}", src.display()));
        }
    }
}

/// Writes `text` to `dir/rel`, creating parent folders.
pub fn write(dir: &Path, rel: &str, text: &str) {
    let path = dir.join(rel);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .unwrap_or_else(|e| panic!("create {}: {e}", parent.display()));
    }
    std::fs::write(&path, text).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
}

/// Appends `text` to the file `dir/rel`.
pub fn append(dir: &Path, rel: &str, text: &str) {
    let mut s = read(dir, rel);
    if !s.ends_with('\n') {
        s.push('\n');
    }
    s.push_str(text);
    write(dir, rel, &s);
}

/// Replaces `from` with `to` in `dir/rel`.
///
/// Panics unless `from` occurs exactly once, so that a test fails loudly
/// (instead of silently testing nothing) when the example site changes.
pub fn replace_in(dir: &Path, rel: &str, from: &str, to: &str) {
    let text = read(dir, rel);
    let n = text.matches(from).count();
    assert!(
        n == 1,
        "expected exactly one {from:?} in {rel}, found {n}: the example site changed?"
    );
    write(dir, rel, &text.replacen(from, to, 1));
}

/// The text of `dir/rel`.
pub fn read(dir: &Path, rel: &str) -> String {
    let path = dir.join(rel);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}

/// The text of a built page, `dir/public/rel`.
pub fn page(dir: &Path, rel: &str) -> String {
    read(&dir.join("public"), rel)
}

/// Build options for the site at `dir`, output into `dir/public`.
pub fn options(dir: &Path) -> BuildOptions {
    BuildOptions::new(dir)
}

/// Builds the site at `dir` into `dir/public` with the default options.
pub fn build(dir: &Path) -> Result<BuildReport, Error> {
    rekap::build(&options(dir))
}

/// Checks the site at `dir` for the public audience, without drafts.
pub fn check(dir: &Path, strict: bool) -> Result<Vec<Diagnostic>, Error> {
    rekap::check(dir, Audience::Public, false, strict)
}

/// The diagnostics of a failed build or check; panics on anything else.
pub fn content_errors<T: std::fmt::Debug>(result: Result<T, Error>) -> Vec<Diagnostic> {
    match result {
        Err(Error::Content(d)) => d,
        other => panic!("expected content errors, got {other:?}"),
    }
}

/// Path of the compiled `rekap` binary.
pub fn rekap_bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_rekap"))
}

/// Runs the `rekap` binary with `args`, never touching the network.
pub fn run(args: &[&std::ffi::OsStr]) -> Output {
    Command::new(rekap_bin())
        .args(args)
        .output()
        .expect("run the rekap binary")
}

/// Runs `rekap check --root DIR` plus `extra` arguments.
pub fn run_check(dir: &Path, extra: &[&str]) -> Output {
    let mut args: Vec<&std::ffi::OsStr> =
        vec!["check".as_ref(), "--root".as_ref(), dir.as_os_str()];
    args.extend(extra.iter().map(|s| std::ffi::OsStr::new(*s)));
    run(&args)
}

/// The standard error of a finished command, as text.
pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Every file under `dir`, by `/`-separated relative path, with its bytes.
/// Folders are listed too, as `path/` with no bytes, so that an empty
/// folder left behind is noticed. A missing `dir` gives an empty map.
pub fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(base: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries {
            let entry = entry.expect("read a folder entry");
            let path = entry.path();
            let rel = path
                .strip_prefix(base)
                .expect("below base")
                .to_string_lossy()
                .replace('\\', "/");
            let kind = entry.file_type().expect("file type");
            if kind.is_symlink() {
                let to = std::fs::read_link(&path).expect("read a link");
                out.insert(
                    format!("{rel} ->"),
                    to.to_string_lossy().as_bytes().to_vec(),
                );
            } else if kind.is_dir() {
                out.insert(format!("{rel}/"), Vec::new());
                walk(base, &path, out);
            } else {
                out.insert(
                    rel,
                    std::fs::read(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display())),
                );
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

/// The `.html` files of a snapshot.
pub fn html_files(snap: &BTreeMap<String, Vec<u8>>) -> Vec<(&str, String)> {
    snap.iter()
        .filter(|(p, _)| p.ends_with(".html"))
        .map(|(p, b)| {
            (
                p.as_str(),
                String::from_utf8(b.clone()).unwrap_or_else(|_| panic!("{p} is not UTF-8")),
            )
        })
        .collect()
}

/// The 1-based (line, column) where `needle` occurs in `dir/rel`; panics
/// unless it occurs exactly once. Lets tests say where a diagnostic must
/// point without hard-coding line numbers of the example.
pub fn position_of(dir: &Path, rel: &str, needle: &str) -> (u32, u32) {
    let text = read(dir, rel);
    let n = text.matches(needle).count();
    assert!(
        n == 1,
        "expected exactly one {needle:?} in {rel}, found {n}"
    );
    let at = text.find(needle).expect("counted");
    let line_start = text[..at].rfind('\n').map(|i| i + 1).unwrap_or(0);
    let line = text[..at].matches('\n').count() as u32 + 1;
    let column = text[line_start..at].chars().count() as u32 + 1;
    (line, column)
}

/// The 1-based line of `needle` in `dir/rel` (which must occur exactly once).
pub fn line_of(dir: &Path, rel: &str, needle: &str) -> u32 {
    position_of(dir, rel, needle).0
}

/// All diagnostics, one per line, for assertion messages.
pub fn listing(diags: &[Diagnostic]) -> String {
    diags
        .iter()
        .map(|d| d.to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

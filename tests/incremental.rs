//! Rebuilds that reuse what an earlier build made give exactly the site a
//! fresh build gives.
//!
//! `rekap serve` keeps the charts, Markdown bodies and pages of each build
//! for the next ([`Memo`]): a save that leaves the figures, settings
//! and interface strings alone draws no chart again, and only the bodies and
//! pages whose inputs changed are rendered. These tests edit the example at
//! random (documents, figures, templates, settings), rebuild with the memo
//! and without, and compare every file byte for byte.
//!
//! `rekap build` keeps, beside the output, the digest of every page's
//! values, and a later build keeps from the output the pages whose values
//! have the same digest: the same random edits, built again into one
//! output, are compared with fresh builds into empty folders.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::*;
use rekap::cache::Fingerprints;
use rekap::serve::memory::MemorySink;
use rekap::{BuildOptions, Memo, Rendered};

/// Every file of a build into memory, by path.
type Files = BTreeMap<String, Vec<u8>>;

fn files(sink: MemorySink) -> Files {
    let site = sink.into_site();
    site.paths()
        .map(|p| (p.to_string(), site.get(p).expect("listed").to_vec()))
        .collect()
}

/// A build as `rekap serve` makes it: with the memo, fingerprinted before
/// and after.
fn with_memo(opts: &BuildOptions, memo: &Memo) -> (Files, Rendered) {
    memo.begin(Fingerprints::of(opts).map(|f| f.charts));
    let sink = MemorySink::new(None);
    let r = rekap::render_to_keeping(opts, &sink, Some(memo))
        .unwrap_or_else(|e| panic!("the edited example builds: {e}"));
    memo.end(Fingerprints::of(opts).map(|f| f.charts));
    (files(sink), r)
}

/// A fresh build, nothing reused: its files and warnings.
fn fresh(opts: &BuildOptions) -> (Files, Vec<String>) {
    let sink = MemorySink::new(None);
    let r =
        rekap::render_to(opts, &sink).unwrap_or_else(|e| panic!("the edited example builds: {e}"));
    (files(sink), warnings(&r))
}

fn warnings(r: &Rendered) -> Vec<String> {
    r.warnings.iter().map(|w| w.to_string()).collect()
}

fn assert_same(incremental: &Files, fresh: &Files, what: &str) {
    let a: Vec<&String> = incremental.keys().collect();
    let b: Vec<&String> = fresh.keys().collect();
    assert_eq!(a, b, "after {what}: the same files");
    for (path, bytes) in incremental {
        assert!(
            bytes == &fresh[path],
            "after {what}: {path} differs from a fresh build"
        );
    }
}

/// A small deterministic generator (xorshift), so that a failure can be
/// replayed with its seed.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

/// The kinds of edit, and what each may reuse.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Edit {
    /// A paragraph added to a release or meeting: every chart kept.
    Document,
    /// A release's title or summary changed (what the feeds, lists and
    /// search index show of it): every body and chart kept.
    FrontMatter,
    /// A chart placed in a release: every chart kept but that one, if new.
    PlaceChart,
    /// A figure changed: no chart kept.
    Figure,
    /// The base template changed: every chart kept.
    Template,
    /// A setting changed: no chart kept.
    Setting,
    /// A release dated in a year with no figure: a year page and its
    /// downloads appear; every chart kept.
    NewYear,
    /// A province's figure in a CSV file changed so that the provinces no
    /// longer add up to the region's: a warning, the same as a fresh
    /// build's; no chart kept.
    Inconsistent,
    /// A meeting added, dated after every other: each meeting a release
    /// refers to moves down the list, so every release that refers to one
    /// is checked again (none keeps its last check); every chart kept.
    Meeting,
}

const EDITS: [Edit; 9] = [
    Edit::Meeting,
    Edit::Document,
    Edit::FrontMatter,
    Edit::PlaceChart,
    Edit::Figure,
    Edit::Template,
    Edit::Setting,
    Edit::NewYear,
    Edit::Inconsistent,
];

fn markdown_files(root: &Path, folder: &str) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(root.join(folder))
        .expect("read the folder")
        .map(|e| {
            e.expect("an entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .filter(|n| n.ends_with(".md"))
        .map(|n| format!("{folder}/{n}"))
        .collect();
    names.sort();
    names
}

/// Applies `edit` (the `n`th edit of the run) to the site at `root`.
fn apply(root: &Path, edit: Edit, n: usize, rng: &mut Rng) -> String {
    match edit {
        Edit::Document => {
            let mut docs = markdown_files(root, "content/releases");
            docs.extend(markdown_files(root, "content/meetings"));
            let doc = &docs[rng.below(docs.len())];
            append(root, doc, &format!("\nParagraf tambahan nomor {n}.\n"));
            format!("a paragraph added to {doc}")
        }
        Edit::FrontMatter => {
            let docs = markdown_files(root, "content/releases");
            let doc = &docs[rng.below(docs.len())];
            let path = root.join(doc);
            let text = std::fs::read_to_string(&path).expect("read the release");
            let (field, line) = match n % 2 {
                0 => ("title", format!("title: Judul yang diubah nomor {n}")),
                _ => (
                    "summary",
                    format!("summary: Ringkasan yang diubah nomor {n}."),
                ),
            };
            // The field's line in the front matter replaced, or added
            // after the opening `---`.
            let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
            let end = lines[1..]
                .iter()
                .position(|l| l == "---")
                .expect("front matter")
                + 1;
            match lines[..end]
                .iter()
                .position(|l| l.starts_with(&format!("{field}:")))
            {
                Some(i) => lines[i] = line,
                None => lines.insert(1, line),
            }
            std::fs::write(&path, lines.join("\n") + "\n").expect("write the release");
            format!("the {field} of {doc} changed")
        }
        Edit::PlaceChart => {
            let docs = markdown_files(root, "content/releases");
            let doc = &docs[rng.below(docs.len())];
            let year = [2016, 2017][rng.below(2)];
            let metric = ["contributions", "new-participants"][rng.below(2)];
            // A breakdown the year pages draw too, or a trend up to a
            // given year that no page draws but this one.
            let kind = ["breakdown", "trend"][rng.below(2)];
            append(
                root,
                doc,
                &format!("\n{{{{< chart kind=\"{kind}\" metric=\"{metric}\" period={year} >}}}}\n"),
            );
            format!("a {metric} {year} {kind} chart placed in {doc}")
        }
        Edit::Figure => {
            let file = [
                "content/data/figures/2016.yaml",
                "content/data/figures/provinces-illustrative.yaml",
            ][rng.below(2)];
            let text = read(root, file);
            let lines: Vec<&str> = text.lines().collect();
            // Not the region's 2016 contributions: the 2017 target is
            // stated as growth over it, and would no longer agree (an error).
            let feeds_growth = |i: usize| {
                lines[i.saturating_sub(3)..i]
                    .iter()
                    .any(|l| l.trim() == "metric: contributions")
                    && file.ends_with("2016.yaml")
            };
            let actuals: Vec<usize> = (0..lines.len())
                .filter(|&i| {
                    lines[i]
                        .trim_start()
                        .strip_prefix("actual: ")
                        .is_some_and(|v| v.chars().all(|c| c.is_ascii_digit()))
                        && !feeds_growth(i)
                })
                .collect();
            assert!(!actuals.is_empty(), "{file} has whole-number actuals");
            let i = actuals[rng.below(actuals.len())];
            let (head, value) = lines[i].split_once("actual: ").expect("found above");
            // A change a chart shows: a fifth or more (one more person
            // in half a million moves no bar by a pixel).
            let value: u64 = value.parse().expect("digits");
            let bumped = value + value / 5 * (1 + n as u64 % 3) + 1;
            let mut out: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
            out[i] = format!("{head}actual: {bumped}");
            write(root, file, &(out.join("\n") + "\n"));
            format!("an actual changed to {bumped} in {file} line {}", i + 1)
        }
        Edit::Template => {
            let rel = "templates/base.html";
            if !root.join(rel).exists() {
                let theme = Path::new(env!("CARGO_MANIFEST_DIR")).join("theme/templates/base.html");
                write(
                    root,
                    rel,
                    &std::fs::read_to_string(theme).expect("the theme's base"),
                );
            }
            append(root, rel, &format!("<!-- edit {n} -->\n"));
            "the base template changed".to_string()
        }
        Edit::Inconsistent => {
            let file = "content/data/figures/participants-by-type-illustrative.csv";
            let text = read(root, file);
            let line = text
                .lines()
                .find(|l| l.starts_with("gorontalo,wage-earners,2016,"))
                .expect("the example's figure of Gorontalo's wage earners")
                .to_string();
            let value = 28_212 + 100 * (n + 1);
            // entity, category, period, actual, then the quoted source.
            let fields: Vec<&str> = line.splitn(5, ',').collect();
            let edited = format!(
                "{},{},{},{value},{}",
                fields[0], fields[1], fields[2], fields[4]
            );
            replace_in(root, file, &line, &edited);
            format!("Gorontalo's wage earners set to {value} in {file}")
        }
        Edit::Meeting => {
            let from = "content/meetings/2017-01-31-rakorwil-manado.md";
            let year = 2030 + n;
            let rel = format!("content/meetings/{year}-01-31-rapat-{n}.md");
            let text = read(root, from)
                .replacen("date: 2017-01-31", &format!("date: {year}-01-31"), 1)
                .replacen("title: ", &format!("title: Rapat {n}, "), 1);
            write(root, &rel, &text);
            format!("a meeting dated {year} added as {rel}")
        }
        Edit::NewYear => {
            let year = 2030 + n;
            let rel = format!("content/releases/{year}-03-01-rencana-{n}.md");
            write(
                root,
                &rel,
                &format!(
                    "---\ntitle: Rencana kerja {year}\ndate: {year}-03-01\nentity: sulawesi-maluku\n---\n\nRencana kerja untuk tahun {year}.\n"
                ),
            );
            format!("a release dated {year} added as {rel}")
        }
        Edit::Setting => {
            let site = read(root, "content/site.yaml");
            let contact = site
                .lines()
                .find(|l| l.starts_with("contact: "))
                .expect("the example has a contact")
                .to_string();
            replace_in(
                root,
                "content/site.yaml",
                &contact,
                &format!("contact: humas{n}@rekap.example"),
            );
            "the contact address changed".to_string()
        }
    }
}

/// The `n`th edit of a run with `seed`, applied to the site at `dir`: every
/// kind once in the first rounds, then at random. Returns it with what it
/// did, for messages.
fn next_edit(dir: &Path, seed: u64, n: usize, rng: &mut Rng) -> (Edit, String) {
    let edit = if n < EDITS.len() {
        EDITS[(n + seed as usize) % EDITS.len()]
    } else {
        EDITS[rng.below(EDITS.len())]
    };
    let what = apply(dir, edit, n, rng);
    (edit, format!("{what} (seed {seed}, round {n}, {edit:?})"))
}

fn run(dir: &Path, seed: u64, rounds: usize) {
    no_png(dir);
    let opts = BuildOptions::new(dir);
    let memo = Memo::new();
    let (first, r) = with_memo(&opts, &memo);
    assert_eq!(r.charts_reused, 0, "nothing to reuse yet");
    assert_eq!(r.bodies_reused, 0, "nothing to reuse yet");
    assert_eq!(r.pages_reused, 0, "nothing to reuse yet");
    assert!(r.charts > 20, "the example shows charts: {}", r.charts);
    assert_same(&first, &fresh(&opts).0, "the first build");
    let mut rng = Rng(seed);
    for n in 0..rounds {
        let (edit, what) = next_edit(dir, seed, n, &mut rng);
        let (incremental, r) = with_memo(&opts, &memo);
        let (fresh, fresh_warnings) = fresh(&opts);
        assert_same(&incremental, &fresh, &what);
        assert_eq!(
            warnings(&r),
            fresh_warnings,
            "after {what}: the same warnings"
        );
        // A body is kept unless its document or the templates changed, or
        // what one of its shortcodes shows (a document has at most two
        // versions, one per language); a page unless its values or the
        // templates changed. (After a change of data, the bodies kept are
        // proved right by the comparison with the fresh build above.)
        match edit {
            Edit::Document | Edit::PlaceChart => {
                assert!(
                    r.bodies_reused < r.bodies && r.bodies_reused + 2 >= r.bodies,
                    "after {what}: the edited body rendered, the others kept ({} of {} kept)",
                    r.bodies_reused,
                    r.bodies
                );
                assert!(
                    r.pages_reused > 0 && r.pages_reused < r.pages,
                    "after {what}: the pages that show the document rendered, the others kept ({} of {} kept)",
                    r.pages_reused,
                    r.pages
                );
            }
            Edit::NewYear => assert!(
                r.bodies_reused + 2 >= r.bodies && r.pages_reused > 0,
                "after {what}: the other bodies and pages kept ({} of {} bodies, {} pages)",
                r.bodies_reused,
                r.bodies,
                r.pages_reused
            ),
            Edit::FrontMatter => assert_eq!(
                r.bodies_reused, r.bodies,
                "after {what}: every body kept ({} of {})",
                r.bodies_reused, r.bodies
            ),
            Edit::Template => {
                assert_eq!(r.bodies_reused, 0, "after {what}: no body kept");
                assert_eq!(r.pages_reused, 0, "after {what}: no page kept");
            }
            Edit::Figure | Edit::Setting | Edit::Meeting => {}
            Edit::Inconsistent => {
                assert!(
                    warnings(&r).iter().any(|w| w.contains("add up to")),
                    "after {what}: the provinces no longer add up: {:?}",
                    warnings(&r)
                );
            }
        }
        match edit {
            Edit::Document | Edit::FrontMatter | Edit::Template | Edit::NewYear | Edit::Meeting => {
                assert_eq!(r.charts_reused, r.charts, "after {what}: every chart kept")
            }
            Edit::PlaceChart => assert!(
                r.charts_reused + 1 >= r.charts,
                "after {what}: at most the new chart drawn ({} of {} kept)",
                r.charts_reused,
                r.charts
            ),
            // The settings are in every chart's frame.
            Edit::Setting => assert_eq!(r.charts_reused, 0, "after {what}: no chart kept"),
            // A chart is kept when the values it read are as they were
            // (proved right by the comparison with the fresh build above).
            Edit::Figure | Edit::Inconsistent => {}
        }
    }
}

/// The seed: `REKAP_INCREMENTAL_SEED` to replay a failure, else fixed.
fn seed() -> u64 {
    std::env::var("REKAP_INCREMENTAL_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20261130)
}

#[test]
fn random_edits_rebuilt_with_kept_charts_equal_fresh_builds() {
    let dir = copy_example();
    run(dir.path(), seed(), 12);
}

#[test]
fn both_editions_keep_their_own_charts() {
    // Charts carry their language's words: each edition keeps its own.
    let dir = copy_bilingual_example();
    run(dir.path(), seed() + 1, 5);
}

/// Options to build the site at `root` into `public/` in a new temporary
/// folder, which is returned with them (the folder goes when it is dropped).
fn into_temp_output(root: &Path) -> (tempfile::TempDir, BuildOptions) {
    let out = tempfile::tempdir().expect("a temporary folder");
    let opts = BuildOptions {
        output: out.path().join("public"),
        ..BuildOptions::new(root)
    };
    (out, opts)
}

/// Every file of a fresh build of `opts` into an empty folder.
fn fresh_build(opts: &BuildOptions) -> Files {
    let fresh = tempfile::tempdir().expect("a temporary folder");
    let opts = BuildOptions {
        output: fresh.path().join("public"),
        ..opts.clone()
    };
    rekap::build(&opts).unwrap_or_else(|e| panic!("the edited example builds: {e}"));
    snapshot(&opts.output)
}

/// `rekap build` again after each edit, into the same output: the pages
/// whose values are those of the build in the output are kept from it
/// unrendered (`<output>.rekap-cache/pages`), and the output is, file for
/// file, that of a fresh build into an empty folder.
fn run_builds(dir: &Path, seed: u64, rounds: usize) {
    no_png(dir);
    let (_out, opts) = into_temp_output(dir);
    let first = rekap::build(&opts).expect("the example builds");
    assert_eq!(first.pages_kept, 0, "nothing to keep yet");
    let mut rng = Rng(seed);
    for n in 0..rounds {
        let (edit, what) = next_edit(dir, seed, n, &mut rng);
        let r = rekap::build(&opts).unwrap_or_else(|e| panic!("after {what}: {e}"));
        assert!(!r.from_cache, "after {what}: an input changed");
        assert_same(&snapshot(&opts.output), &fresh_build(&opts), &what);
        match edit {
            Edit::Document | Edit::PlaceChart | Edit::NewYear | Edit::Meeting => {
                assert!(
                    r.pages_kept > 0 && r.pages_kept < r.pages,
                    "after {what}: the pages that show the document rendered, the others kept ({} of {} kept)",
                    r.pages_kept,
                    r.pages
                );
                if edit == Edit::Document {
                    assert!(r.bodies_kept > 0, "after {what}: the other bodies kept");
                }
            }
            Edit::Template => assert_eq!(r.pages_kept, 0, "after {what}: no page kept"),
            Edit::FrontMatter => assert!(r.bodies_kept > 0, "after {what}: the bodies kept"),
            Edit::Figure | Edit::Setting | Edit::Inconsistent => {
                assert!(r.pages_kept < r.pages, "after {what}: some page rendered")
            }
        }
    }
}

#[test]
fn random_edits_built_again_keep_unchanged_pages_and_equal_fresh_builds() {
    let dir = copy_example();
    run_builds(dir.path(), seed() + 2, 8);
}

#[test]
fn both_editions_built_again_keep_their_own_pages() {
    let dir = copy_bilingual_example();
    run_builds(dir.path(), seed() + 3, 4);
}

#[test]
fn a_kept_page_changed_by_hand_or_no_cache_renders_it_again() {
    let dir = copy_example();
    let root = dir.path();
    no_png(root);
    let (_out, opts) = into_temp_output(root);
    rekap::build(&opts).expect("the example builds");
    let before = snapshot(&opts.output);
    // A page of the output changed by hand (same length), then a release edited.
    let regions = opts.output.join("regions/index.html");
    let mut tampered = std::fs::read(&regions).expect("the regions page");
    let at = tampered.len() / 2;
    tampered[at] = if tampered[at] == b'x' { b'y' } else { b'x' };
    std::fs::remove_file(&regions).expect("remove the regions page");
    std::fs::write(&regions, &tampered).expect("change the regions page");
    // A release edited, then built again: the page is rendered again, the
    // others kept.
    let edit_and_build = |paragraph: &str, what: &str| {
        append(
            root,
            "content/releases/2017-02-01-target-2017-sulawesi-maluku.md",
            paragraph,
        );
        let r = rekap::build(&opts).expect("the edited example builds");
        assert!(r.pages_kept > 0, "other pages kept");
        assert_eq!(
            std::fs::read(&regions).expect("the regions page"),
            before["regions/index.html"],
            "{what}"
        );
    };
    edit_and_build(
        "\nParagraf tambahan.\n",
        "the page changed by hand is rendered again",
    );
    // A kept page written in place (same file, same length) with its
    // modification time put back: its stamp still tells, and it is
    // rendered again.
    let modified = std::fs::metadata(&regions)
        .and_then(|m| m.modified())
        .expect("the regions page's time");
    let mut changed = std::fs::read(&regions).expect("the regions page");
    let at = changed.len() / 3;
    changed[at] = if changed[at] == b'x' { b'y' } else { b'x' };
    {
        use std::io::Write;
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .open(&regions)
            .expect("open the regions page");
        f.write_all(&changed)
            .expect("change the regions page in place");
        f.set_modified(modified).expect("put its time back");
    }
    edit_and_build(
        "\nParagraf ketiga.\n",
        "the page changed in place, time put back, is rendered again",
    );
    // `--no-cache` renders every page.
    append(
        root,
        "content/releases/2017-02-01-target-2017-sulawesi-maluku.md",
        "\nParagraf lain.\n",
    );
    let all = rekap::build(&BuildOptions {
        no_cache: true,
        ..opts.clone()
    })
    .expect("the edited example builds");
    assert_eq!(all.pages_kept, 0, "--no-cache keeps no page");
}

#[test]
fn a_build_of_unchanged_inputs_keeps_every_file_and_gives_the_same_warnings() {
    let dir = copy_example();
    let root = dir.path();
    no_png(root);
    // A warning to give again: the provinces no longer add up.
    apply(root, Edit::Inconsistent, 0, &mut Rng(1));
    let (_out, opts) = into_temp_output(root);
    let text = |r: &rekap::BuildReport| -> Vec<String> {
        r.warnings.iter().map(|w| w.to_string()).collect()
    };
    let first = rekap::build(&opts).expect("the example builds");
    assert!(!first.from_cache, "nothing recorded yet");
    assert!(
        text(&first).iter().any(|w| w.contains("add up to")),
        "{:?}",
        text(&first)
    );
    let site = snapshot(&opts.output);
    let again = rekap::build(&opts).expect("the example builds");
    assert!(
        again.from_cache,
        "the inputs are those of the build in the output"
    );
    assert_eq!(
        text(&again),
        text(&first),
        "the same warnings, source lines and all"
    );
    assert_eq!(again.pages, first.pages);
    assert!(
        again.timings.load.is_zero() && again.timings.validate.is_zero(),
        "the site is not read again"
    );
    assert_eq!(snapshot(&opts.output), site, "every file kept");
    // A file of the output changed by hand: the site is built after all.
    let home = opts.output.join("index.html");
    std::fs::remove_file(&home).expect("remove the home page");
    std::fs::write(&home, "changed").expect("write the home page");
    let mended = rekap::build(&opts).expect("the example builds");
    assert!(!mended.from_cache, "the output is not what was recorded");
    assert_eq!(text(&mended), text(&first));
    assert_eq!(snapshot(&opts.output), site, "the home page put right");
    // `--no-cache` renders.
    let forced = rekap::build(&BuildOptions {
        no_cache: true,
        ..opts.clone()
    })
    .expect("the example builds");
    assert!(!forced.from_cache);
}

/// The errors of a fresh build, as text (the build must fail).
fn fresh_errors(opts: &BuildOptions) -> String {
    rekap::render_to(opts, &MemorySink::new(None))
        .expect_err("the broken site does not build")
        .to_string()
}

/// The errors of a build with the memo, as text (the build must fail).
fn errors_with_memo(opts: &BuildOptions, memo: &Memo) -> String {
    memo.begin(Fingerprints::of(opts).map(|f| f.charts));
    let sink = MemorySink::new(None);
    let e = rekap::render_to_keeping(opts, &sink, Some(memo))
        .expect_err("the broken site does not build");
    memo.end(Fingerprints::of(opts).map(|f| f.charts));
    e.to_string()
}

#[test]
fn a_file_kept_parsed_still_reports_its_errors_until_it_is_fixed() {
    let dir = copy_example();
    let root = dir.path();
    no_png(root);
    let opts = BuildOptions::new(root);
    let memo = Memo::new();
    with_memo(&opts, &memo);
    let file = "content/data/figures/2016.yaml";
    let good = read(root, file);
    write(root, file, &good.replacen("actual: ", "actual: [", 1));
    let first = errors_with_memo(&opts, &memo);
    assert!(first.contains(file), "{first}");
    assert_eq!(first, fresh_errors(&opts));
    // Another file changes: the broken one is taken from the memo, and its
    // error with it.
    append(
        root,
        "content/releases/2017-02-01-target-2017-sulawesi-maluku.md",
        "\nParagraf tambahan.\n",
    );
    assert_eq!(errors_with_memo(&opts, &memo), first);
    write(root, file, &good);
    let (fixed, _) = with_memo(&opts, &memo);
    assert_same(&fixed, &fresh(&opts).0, "the file fixed");
}

#[test]
fn a_changed_figure_renders_only_the_entity_pages_whose_figures_changed() {
    // One office's actual changed: its page and the pages that show it
    // (its province's, through the breakdown of its children) are rendered
    // again; the pages of the other provinces, whose charts and figures
    // are the same, are kept unrendered though the chart inputs changed.
    let dir = copy_example();
    let root = dir.path();
    no_png(root);
    let (_out, opts) = into_temp_output(root);
    rekap::build(&opts).expect("the example builds");
    let before = snapshot(&opts.output);
    let bodies = rekap::render_to(&opts, &MemorySink::new(None))
        .expect("the example builds")
        .bodies;
    let file = "content/data/figures/provinces-illustrative.yaml";
    let text = read(root, file);
    assert!(
        text.contains("    actual: 104260000000\n"),
        "Manado's 2016 contributions"
    );
    write(
        root,
        file,
        &text.replace("    actual: 104260000000\n", "    actual: 104261000000\n"),
    );
    let r = rekap::build(&opts).expect("the edited example builds");
    let now = snapshot(&opts.output);
    assert_same(&now, &fresh_build(&opts), "Manado's figure changed");
    // Every page rendered is one that changed (Manado's, its province's,
    // the lists of regions): no other entity page.
    let changed: Vec<&String> = now
        .iter()
        .filter(|(path, bytes)| path.ends_with(".html") && before.get(*path) != Some(*bytes))
        .map(|(path, _)| path)
        .collect();
    assert!(
        changed.contains(&&"regions/kc-manado/index.html".to_string()),
        "Manado's page changed: {changed:?}"
    );
    assert_eq!(
        r.pages - r.pages_kept,
        changed.len(),
        "only the pages that changed are rendered: {changed:?}"
    );
    // No body shows Manado's contributions: every body is kept, those
    // with shortcodes too (what they show is the same).
    assert!(
        read(
            root,
            "content/releases/2017-02-01-target-2017-sulawesi-maluku.md"
        )
        .contains("{{<"),
        "a release with shortcodes"
    );
    assert_eq!(r.bodies_kept, bodies, "every body kept");
}

#[test]
fn a_changed_figure_in_serve_draws_and_renders_only_what_reads_it() {
    // With the memo of `rekap serve`, one province's contributions changed:
    // the charts and pages that read its values (its own, the region's
    // breakdown by province, the lists) are made again; every other chart
    // and page is kept, most without making their values.
    let dir = copy_example();
    let root = dir.path();
    no_png(root);
    let opts = BuildOptions::new(root);
    let memo = Memo::new();
    let (before, _) = with_memo(&opts, &memo);
    // A save of the same bytes keeps every chart and page.
    let (again, r) = with_memo(&opts, &memo);
    assert_same(&again, &before, "nothing changed");
    assert_eq!((r.charts_reused, r.pages_reused), (r.charts, r.pages));
    // Gorontalo's 2016 contributions.
    replace_in(
        root,
        "content/data/figures/provinces-illustrative.yaml",
        "actual: 53460000000}",
        "actual: 53461000000}",
    );
    let (now, r) = with_memo(&opts, &memo);
    assert_same(&now, &fresh(&opts).0, "Gorontalo's figure changed");
    assert!(
        r.charts_reused > 0 && r.charts_reused < r.charts,
        "Gorontalo's charts drawn again, the others kept ({} of {})",
        r.charts_reused,
        r.charts
    );
    let changed: Vec<&String> = now
        .iter()
        .filter(|(path, bytes)| path.ends_with(".html") && before.get(*path) != Some(*bytes))
        .map(|(path, _)| path)
        .collect();
    assert!(
        changed.iter().any(|p| p.contains("gorontalo")),
        "Gorontalo's page changed: {changed:?}"
    );
    // A page that read the changed values is made again: kept only if its
    // values are those of the last build (a raw number the template does
    // not show may differ), so at least every page that changed.
    let rendered = r.pages - r.pages_reused;
    assert!(
        rendered >= changed.len() && rendered * 4 < r.pages,
        "the pages that changed rendered, few others: {rendered} of {} for {changed:?}",
        r.pages
    );
}

#[test]
fn a_body_kept_by_a_document_save_still_shows_a_figure_changed_after_it() {
    // A block written in two bodies is shown once per build: the second
    // body (a new page with the release's card of the region's 2016
    // contributions) takes it made. What it reads is noted all the same, on
    // the build that makes it and on a later save that changes no figure (the
    // page `tentang` edited), so a change of the figure renders both again.
    let dir = copy_example();
    let root = dir.path();
    no_png(root);
    write(
        root,
        "content/pages/kartu.md",
        "---\ntitle: Kartu\n---\n\n{{< card metric=\"contributions\" period=2016 >}}\n",
    );
    let opts = BuildOptions::new(root);
    let memo = Memo::new();
    with_memo(&opts, &memo);
    let page = "content/pages/tentang.md";
    write(
        root,
        page,
        &format!("{}\nSatu kalimat lagi.\n", read(root, page)),
    );
    let (after_page, r) = with_memo(&opts, &memo);
    assert_same(&after_page, &fresh(&opts).0, "a page edited");
    assert!(r.bodies_reused + 1 >= r.bodies, "the other bodies kept");
    replace_in(
        root,
        "content/data/figures/2016.yaml",
        "    actual: 956000000000\n",
        "    actual: 957000000000\n",
    );
    let (now, _) = with_memo(&opts, &memo);
    assert_same(
        &now,
        &fresh(&opts).0,
        "the region's 2016 contributions changed",
    );
    for shown in [
        "releases/2017-02-01-target-2017-sulawesi-maluku/index.html",
        "kartu/index.html",
    ] {
        assert!(now.contains_key(shown), "{shown} is a page");
        assert_ne!(
            now.get(shown),
            after_page.get(shown),
            "{shown} shows the new figure"
        );
    }
}

#[test]
fn a_release_kept_checked_is_checked_again_when_what_it_refers_to_changes() {
    // `rekap serve` keeps each release's check while nothing it reads
    // changes (a figure's value is not among those). Each edit below
    // changes one thing a release refers to, and leaves the release alone:
    // the build with the memo must report what a fresh build reports.
    let dir = copy_example();
    let root = dir.path();
    no_png(root);
    let opts = BuildOptions::new(root);
    let memo = Memo::new();
    let release = "2017-02-01-target-2017-sulawesi-maluku.md";
    let edits: [(&str, &str, &str); 4] = [
        // A metric a release shows is made internal.
        (
            "content/data/metrics.yaml",
            "  - id: contributions\n",
            "  - id: contributions\n    audience: internal\n",
        ),
        // The entity a release is about is renamed.
        (
            "content/data/entities.yaml",
            "  - id: sulawesi-maluku\n",
            "  - id: sulawesi-maluku-papua\n",
        ),
        // The named chart a release places is renamed.
        (
            "content/data/charts.yaml",
            "  - id: peserta-pu-bpu-2016\n",
            "  - id: peserta-pu-bpu-2016-lama\n",
        ),
        // The chart on a release's cover is renamed.
        (
            "content/data/charts.yaml",
            "  - id: iuran-2016-per-provinsi\n",
            "  - id: iuran-per-provinsi\n",
        ),
    ];
    for (file, from, to) in edits {
        let good = read(root, file);
        assert!(good.contains(from), "{file} has `{from}`");
        let (before, _) = with_memo(&opts, &memo);
        assert_same(&before, &fresh(&opts).0, "the example");
        write(root, file, &good.replacen(from, to, 1));
        let errors = errors_with_memo(&opts, &memo);
        assert!(
            errors.contains(release),
            "after `{to}` in {file}, the release is reported: {errors}"
        );
        assert_eq!(errors, fresh_errors(&opts), "after `{to}` in {file}");
        write(root, file, &good);
    }
    let (fixed, _) = with_memo(&opts, &memo);
    assert_same(&fixed, &fresh(&opts).0, "every file restored");
}

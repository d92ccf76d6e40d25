//! The write stage keeps the output whole and honest: a build interrupted at
//! any moment, failed, or racing another build leaves the previous site or
//! the new one, never a mix; what killed builds leave beside the output is
//! removed; a mount point is refused before anything changes; a rebuild
//! equals a fresh build whatever was done to the output by hand; and no file
//! name can inject a line into the manifest.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use common::{copy_example, snapshot};
use rekap::{BuildReport, Error};

type Snapshot = BTreeMap<String, Vec<u8>>;

/// A copy of the example site at `root`, built into `out`, which sits alone
/// in its own parent folder (so that anything left beside it is seen).
struct Site {
    _tmp: tempfile::TempDir,
    root: PathBuf,
    out: PathBuf,
}

impl Site {
    fn new() -> Site {
        let tmp = copy_example();
        let root = tmp.path().to_path_buf();
        let out = root.join("out").join("public");
        std::fs::create_dir_all(out.parent().unwrap()).unwrap();
        Site {
            _tmp: tmp,
            root,
            out,
        }
    }

    fn build_into(&self, out: &Path) -> Result<BuildReport, Error> {
        let mut opts = common::options(&self.root);
        opts.output = out.to_path_buf();
        rekap::build(&opts)
    }

    fn build(&self) -> Result<BuildReport, Error> {
        self.build_into(&self.out)
    }

    /// What a fresh build of the site as it is now gives.
    fn fresh(&self) -> Snapshot {
        let out = self.root.join("fresh").join("public");
        let _ = std::fs::remove_dir_all(&out);
        self.build_into(&out).unwrap_or_else(|e| panic!("{e}"));
        let snap = snapshot(&out);
        std::fs::remove_dir_all(out.parent().unwrap()).unwrap();
        snap
    }

    /// What the output's parent holds besides the output, its spare (the
    /// previous site's folders, kept for the next build) and its render
    /// cache (the record of what the output was built from).
    fn beside(&self) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(self.out.parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n != "public" && n != "public.rekap-spare" && n != "public.rekap-cache")
            .collect();
        v.sort();
        v
    }

    /// The `rekap build` command for this site and output.
    fn command(&self) -> Command {
        let mut cmd = Command::new(common::rekap_bin());
        cmd.arg("build")
            .arg("--root")
            .arg(&self.root)
            .arg("--output")
            .arg(&self.out)
            .arg("--quiet");
        cmd
    }

    fn add_release(&self, slug: &str) {
        common::write(
            &self.root,
            &format!("content/releases/2017-03-01-{slug}.md"),
            "---\ntitle: Rilis tambahan\ndate: 2017-03-01\nentity: sulawesi-maluku\n---\n\nRilis yang nanti dihapus.\n",
        );
    }

    fn remove_release(&self, slug: &str) {
        std::fs::remove_file(
            self.root
                .join(format!("content/releases/2017-03-01-{slug}.md")),
        )
        .unwrap();
    }

    /// A change that touches every page: the site's title.
    fn retitle(&self, to: &str) {
        common::replace_in(
            &self.root,
            "content/site.yaml",
            "id: Rekap Kinerja Wilayah Sulawesi dan Maluku",
            &format!("id: {to}"),
        );
    }
}

/// Which files differ between two snapshots, for messages.
fn differences(a: &Snapshot, b: &Snapshot) -> Vec<String> {
    let mut d: Vec<String> = a
        .iter()
        .filter(|(k, v)| b.get(*k) != Some(*v))
        .map(|(k, _)| k.clone())
        .chain(b.keys().filter(|k| !a.contains_key(*k)).cloned())
        .collect();
    d.sort();
    d.dedup();
    d.truncate(10);
    d
}

fn assert_same(found: &Snapshot, expected: &Snapshot, what: &str) {
    assert!(
        found == expected,
        "{what}: the output differs from what it should be in {:?}",
        differences(found, expected)
    );
}

/// Copies the tree `from` to `to` (which must not exist), the marker last.
fn copy_tree(from: &Path, to: &Path) {
    let mut marker = None;
    for entry in walkdir::WalkDir::new(from).sort_by_file_name() {
        let entry = entry.unwrap();
        let dest = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else if entry.file_name() == rekap::write::MARKER {
            marker = Some((entry.path().to_path_buf(), dest));
        } else {
            std::fs::copy(entry.path(), &dest).unwrap();
        }
    }
    if let Some((src, dest)) = marker {
        std::fs::copy(src, dest).unwrap();
    }
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Old,
    New,
}

/// Makes `to` a tree of the folders of `from` and hard links of its files,
/// as rekap leaves its spare.
fn link_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let dest = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::hard_link(entry.path(), &dest).unwrap();
        }
    }
}

/// Puts the previous site back in place, with a spare beside it or none,
/// runs the build, kills it with SIGKILL after `delay`, and says whether the
/// output then holds the previous site or the new one; panics on anything
/// else.
fn kill_after(
    site: &Site,
    pristine: &Path,
    (old, new): (&Snapshot, &Snapshot),
    with_spare: bool,
    delay: Duration,
) -> Outcome {
    if site.out.exists() {
        std::fs::remove_dir_all(&site.out).unwrap();
    }
    copy_tree(pristine, &site.out);
    let spare = site.out.with_file_name("public.rekap-spare");
    if spare.exists() {
        std::fs::remove_dir_all(&spare).unwrap();
    }
    if with_spare {
        link_tree(&site.out, &spare);
    }
    let mut child = site
        .command()
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("run rekap");
    std::thread::sleep(delay);
    let _ = child.kill(); // SIGKILL
    child.wait().unwrap();
    let found = snapshot(&site.out);
    if found == *old {
        Outcome::Old
    } else if found == *new {
        Outcome::New
    } else {
        panic!(
            "a build killed after {delay:?} left a site that is neither the previous one nor the new one; \
             it differs from the previous in {:?} and from the new in {:?}",
            differences(&found, old),
            differences(&found, new)
        );
    }
}

/// A build killed at any moment leaves the previous site or the new one,
/// byte for byte, never a mix; and the next build removes whatever the killed
/// ones left beside the output.
///
/// The kills fall at fixed fractions of an uninterrupted build's duration
/// (further if none came late enough to leave the new site), then densely
/// around the moment the output changes (between the first kill that left the
/// new site and the last that left the previous one), where an update in
/// place would leave a mix; alternately with the spare beside the output and
/// without.
#[cfg(unix)]
#[test]
fn a_build_killed_at_any_moment_leaves_the_previous_site_or_the_new_one() {
    let site = Site::new();
    site.add_release("dihapus");
    site.build().unwrap_or_else(|e| panic!("{e}"));
    let old = snapshot(&site.out);
    let pristine = site.root.join("pristine");
    copy_tree(&site.out, &pristine);
    // Every page changes, one page goes.
    site.retitle("Rekap Kinerja Sulawesi-Maluku");
    site.remove_release("dihapus");
    let new = site.fresh();
    assert_ne!(old, new);

    // How long an uninterrupted rebuild takes (the longer of a rebuild with
    // the spare and one without), and that it gives the new site.
    let mut whole = Duration::ZERO;
    for with_spare in [false, true] {
        let _ = kill_after(&site, &pristine, (&old, &new), with_spare, Duration::ZERO);
        let start = Instant::now();
        let status = site.command().status().unwrap();
        whole = whole.max(start.elapsed());
        assert!(status.success());
        assert_same(&snapshot(&site.out), &new, "an uninterrupted rebuild");
    }

    // Kills alternate between a rebuild with the spare and one without.
    let mut outcomes: Vec<(Duration, Outcome)> = Vec::new();
    let probe = |delay: Duration, outcomes: &mut Vec<(Duration, Outcome)>| {
        let with_spare = outcomes.len() % 2 == 1;
        let outcome = kill_after(&site, &pristine, (&old, &new), with_spare, delay);
        outcomes.push((delay, outcome));
    };
    // Spread over the whole build and beyond, until a kill comes too late
    // (a loaded machine may take several times as long).
    let mut i = 0u32;
    while i <= 12 || (i < 40 && !outcomes.iter().any(|(_, o)| *o == Outcome::New)) {
        probe(whole * i / 8, &mut outcomes);
        i += 1;
    }
    // Then densely where the kills stopped leaving the previous site (the
    // switch, give or take the timing noise of a loaded machine).
    let first_new = outcomes
        .iter()
        .filter(|(_, o)| *o == Outcome::New)
        .map(|(d, _)| *d)
        .min()
        .unwrap_or(whole);
    let last_old = outcomes
        .iter()
        .filter(|(_, o)| *o == Outcome::Old)
        .map(|(d, _)| *d)
        .max()
        .unwrap_or(Duration::ZERO);
    let from = first_new.min(last_old).saturating_sub(whole / 8);
    let to = first_new.max(last_old) + whole / 8;
    for i in 0..20u32 {
        probe(from + (to - from) * i / 19, &mut outcomes);
    }
    eprintln!("uninterrupted rebuild {whole:?}; kills: {outcomes:?}");
    let olds = outcomes.iter().filter(|(_, o)| *o == Outcome::Old).count();
    assert!(
        olds > 0 && olds < outcomes.len(),
        "the kills fell both before and after the switch: {outcomes:?}"
    );

    // What the killed builds left beside the output goes with the next build.
    let status = site.command().status().unwrap();
    assert!(status.success());
    assert_same(&snapshot(&site.out), &new, "the build after the kills");
    assert_eq!(
        site.beside(),
        Vec::<String>::new(),
        "nothing left beside the output"
    );
}

/// A page put back by hand with an older modification time and the same
/// length, and a chart image changed the same way, are written again: a
/// rebuild equals a fresh build byte for byte.
#[test]
fn a_rebuild_equals_a_fresh_build_whatever_was_done_to_the_output_by_hand() {
    let site = Site::new();
    site.build().unwrap_or_else(|e| panic!("{e}"));
    let built = std::fs::metadata(site.out.join(rekap::write::MARKER))
        .unwrap()
        .modified()
        .unwrap();
    let png = std::fs::read_dir(site.out.join("charts"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|x| x == "png"))
        .expect("the example has chart images");
    for path in [site.out.join("index.html"), png] {
        let mut bytes = std::fs::read(&path).unwrap();
        let mid = bytes.len() / 2;
        bytes[mid] ^= 0x20;
        std::fs::write(&path, &bytes).unwrap();
        std::fs::File::options()
            .write(true)
            .open(&path)
            .unwrap()
            .set_modified(built - Duration::from_secs(3600))
            .unwrap();
    }
    let report = site.build().unwrap_or_else(|e| panic!("{e}"));
    assert_same(&snapshot(&site.out), &site.fresh(), "a rebuild");
    assert_eq!(report.written, 2, "only the two files changed by hand");
}

/// Two builds never write one output at once: while one holds the lock
/// beside the output, another fails at once, says so, and changes nothing.
#[test]
fn a_build_fails_clearly_and_changes_nothing_while_another_holds_the_lock() {
    let site = Site::new();
    site.build().unwrap_or_else(|e| panic!("{e}"));
    let before = snapshot(&site.out);
    site.retitle("Judul Baru");
    let lock_path = site.out.with_file_name("public.rekap-lock");
    let mut lock = std::fs::File::create(&lock_path).unwrap();
    lock.lock().unwrap();
    std::io::Write::write_all(&mut lock, b"4242\n").unwrap();

    let err = site.build().unwrap_err();
    let msg = err.to_string();
    assert!(matches!(&err, Error::Write(_)), "{msg}");
    assert!(msg.contains("another rekap build (process 4242)"), "{msg}");
    assert!(msg.contains(&lock_path.display().to_string()), "{msg}");
    assert!(msg.contains("wait until it has finished"), "{msg}");
    let out = site.command().output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("another rekap build"),
        "{}",
        stderr(&out)
    );
    assert_same(&snapshot(&site.out), &before, "the output while locked");
    assert_eq!(site.beside(), ["public.rekap-lock"]);

    drop(lock);
    site.build().unwrap_or_else(|e| panic!("{e}"));
    assert_same(&snapshot(&site.out), &site.fresh(), "the build after");
    assert_eq!(
        site.beside(),
        Vec::<String>::new(),
        "the lock file is removed"
    );
}

/// Staging folders of builds killed earlier, recognised by the names rekap
/// gives them, are removed by the next build; nothing else beside the output
/// is touched, and nothing while another build holds the lock.
#[test]
fn what_killed_builds_left_beside_the_output_is_removed_by_the_next_build() {
    let site = Site::new();
    site.build().unwrap_or_else(|e| panic!("{e}"));
    let parent = site.out.parent().unwrap();
    let stale = ["public.rekap-staging-3999999", "public.rekap-old-3999998"];
    let kept = [
        "public-backup",
        "public.rekap-staging-notes",
        "other.rekap-staging-1",
    ];
    for name in stale.iter().chain(&kept) {
        common::write(parent, &format!("{name}/regions/index.html"), "left over");
    }
    let lock_path = parent.join("public.rekap-lock");
    let lock = std::fs::File::create(&lock_path).unwrap();
    lock.lock().unwrap();
    assert!(site.build().is_err(), "locked");
    for name in &stale {
        assert!(
            parent.join(name).exists(),
            "{name} kept while a build holds the lock"
        );
    }
    drop(lock);
    site.build().unwrap_or_else(|e| panic!("{e}"));
    let mut expected: Vec<String> = kept.iter().map(|s| s.to_string()).collect();
    expected.sort();
    assert_eq!(site.beside(), expected);
}

/// A line break in a static file's name would add a line to the manifest:
/// the build refuses the name, says which file and why, and changes nothing.
#[cfg(unix)]
#[test]
fn a_static_file_name_with_a_line_break_is_refused() {
    let site = Site::new();
    site.build().unwrap_or_else(|e| panic!("{e}"));
    let before = snapshot(&site.out);
    let index = &before["index.html"];
    // The line a manifest would list index.html with: injected, it could
    // make a rebuild keep a page it must rewrite.
    let name = format!(
        "a\n{:032x} {} index.html",
        xxhash_rust::xxh3::xxh3_128(index),
        index.len()
    );
    common::write(&site.root, &format!("static/{name}"), "x");
    let err = site.build().unwrap_err();
    let msg = err.to_string();
    assert!(msg.contains("static/a"), "names the file: {msg}");
    assert!(msg.contains("U+000A"), "{msg}");
    assert!(msg.contains("control character"), "{msg}");
    assert!(msg.contains("rename"), "{msg}");
    assert_same(&snapshot(&site.out), &before, "the output");
    assert_eq!(site.beside(), Vec::<String>::new());
    assert!(
        common::check(&site.root, false).is_err(),
        "check finds it too"
    );
}

/// Whether `unshare --mount --map-root-user` works here (a private mount
/// namespace, so that a test can mount a folder).
#[cfg(target_os = "linux")]
fn can_mount() -> bool {
    Command::new("unshare")
        .args(["--mount", "--map-root-user", "true"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Runs `rekap build` of `site` into `mount_point` with `how` mounted there
/// (`--bind SOURCE` or `-t tmpfs`), in a mount namespace of its own.
#[cfg(target_os = "linux")]
fn build_into_mount(site: &Site, mount: &[std::ffi::OsString], mount_point: &Path) -> Output {
    let mut cmd = Command::new("unshare");
    cmd.args(["--mount", "--map-root-user", "sh", "-c"])
        .arg(r#"mp="$1"; bin="$2"; root="$3"; shift 3; mount "$@" "$mp" || exit 99; exec "$bin" build --root "$root" --output "$mp""#)
        .arg("sh")
        .arg(mount_point)
        .arg(common::rekap_bin())
        .arg(&site.root)
        .args(mount);
    cmd.output().unwrap()
}

/// An output folder that is a mount point (a container volume) cannot be
/// exchanged: the build says so before it changes anything, on the first
/// build into it and on a rebuild that would remove a page.
#[cfg(target_os = "linux")]
#[test]
fn an_output_that_is_a_mount_point_is_refused_before_anything_changes() {
    if !can_mount() {
        eprintln!("SKIPPED: `unshare --mount --map-root-user` is not allowed here");
        return;
    }
    let site = Site::new();
    let volume = site.root.join("volume");
    let mount_point = site.out.clone();
    std::fs::create_dir(&volume).unwrap();
    std::fs::create_dir(&mount_point).unwrap();
    let expect_refusal = |out: &Output| {
        let err = stderr(out);
        assert_eq!(out.status.code(), Some(1), "{err}");
        assert!(err.contains("is a mount point"), "{err}");
        assert!(err.contains("nothing was changed"), "{err}");
        assert!(
            err.contains(&format!("--output {}", mount_point.join("site").display())),
            "{err}"
        );
    };
    let bind = |src: &Path| -> Vec<std::ffi::OsString> { vec!["--bind".into(), src.into()] };

    // A rebuild over a previous build in the volume, that would remove a page.
    site.add_release("dihapus");
    site.build_into(&volume).unwrap_or_else(|e| panic!("{e}"));
    let before = snapshot(&volume);
    site.remove_release("dihapus");
    site.retitle("Judul Baru");
    let out = build_into_mount(&site, &bind(&volume), &mount_point);
    assert_same(&snapshot(&volume), &before, "the volume");
    assert_eq!(site.beside(), Vec::<String>::new());
    expect_refusal(&out);
    std::fs::remove_dir_all(&volume).unwrap();
    std::fs::create_dir(&volume).unwrap();

    // The first build into an empty volume.
    let out = build_into_mount(&site, &bind(&volume), &mount_point);
    assert_eq!(
        snapshot(&volume),
        Snapshot::new(),
        "the volume is untouched"
    );
    assert_eq!(site.beside(), Vec::<String>::new());
    expect_refusal(&out);

    // A volume on another file system (another device).
    let tmpfs: Vec<std::ffi::OsString> = vec!["-t".into(), "tmpfs".into(), "tmpfs".into()];
    expect_refusal(&build_into_mount(&site, &tmpfs, &mount_point));

    // Inside the mount point, as the message says, the build works.
    let mut cmd = Command::new("unshare");
    cmd.args(["--mount", "--map-root-user", "sh", "-c"])
        .arg(r#"mount --bind "$1" "$2" && exec "$3" build --root "$4" --output "$2/site""#)
        .arg("sh")
        .arg(&volume)
        .arg(&mount_point)
        .arg(common::rekap_bin())
        .arg(&site.root);
    let out = cmd.output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_same(
        &snapshot(&volume.join("site")),
        &site.fresh(),
        "a build inside the volume",
    );
}

/// Sets or clears the immutable attribute of a folder (`chattr +i`); an
/// error where the file system or the process cannot.
#[cfg(target_os = "linux")]
fn set_immutable(dir: &Path, on: bool) -> std::io::Result<()> {
    use rustix::fs::IFlags;
    let fd = std::fs::File::open(dir)?;
    let flags = rustix::fs::ioctl_getflags(&fd)?;
    let flags = if on {
        flags | IFlags::IMMUTABLE
    } else {
        flags - IFlags::IMMUTABLE
    };
    rustix::fs::ioctl_setflags(&fd, flags)?;
    Ok(())
}

/// An I/O error while the new site is put in place (here the output folder
/// cannot be renamed: it is immutable) leaves the previous site exactly as it
/// was, and the error names the folder.
#[cfg(target_os = "linux")]
#[test]
fn an_io_error_while_the_new_site_is_put_in_place_leaves_the_previous_site() {
    struct Immutable<'a>(&'a Path);
    impl Drop for Immutable<'_> {
        fn drop(&mut self) {
            let _ = set_immutable(self.0, false);
        }
    }
    let site = Site::new();
    site.add_release("dihapus");
    site.build().unwrap_or_else(|e| panic!("{e}"));
    let before = snapshot(&site.out);
    site.remove_release("dihapus");
    site.retitle("Judul Baru");
    if let Err(e) = set_immutable(&site.out, true) {
        eprintln!("SKIPPED: cannot make a folder immutable here ({e})");
        return;
    }
    let guard = Immutable(&site.out);
    let err = site.build().unwrap_err();
    assert_same(
        &snapshot(&site.out),
        &before,
        "the output after the failed build",
    );
    let msg = err.to_string();
    assert!(matches!(err, Error::Write(_)), "{msg}");
    assert!(
        msg.contains(&site.out.display().to_string()),
        "names the folder: {msg}"
    );
    assert!(msg.contains("Operation not permitted"), "{msg}");
    assert!(msg.contains("previous site was left as it was"), "{msg}");
    assert_eq!(
        site.beside(),
        Vec::<String>::new(),
        "no staging folder left"
    );
    drop(guard);
    site.build().unwrap_or_else(|e| panic!("{e}"));
    assert_same(&snapshot(&site.out), &site.fresh(), "the next build");
}

/// An I/O error while rendering (here a file larger than the process may
/// write) fails the build naming the file, and leaves the previous site
/// exactly as it was; so does a content error.
#[cfg(unix)]
#[test]
fn a_build_failing_midway_leaves_the_previous_site() {
    let site = Site::new();
    site.build().unwrap_or_else(|e| panic!("{e}"));
    let before = snapshot(&site.out);
    // The largest page: every page changes with the title, so it is written.
    let (largest, size) = before
        .iter()
        .filter(|(p, _)| p.ends_with(".html"))
        .map(|(p, b)| (p.clone(), b.len()))
        .max_by_key(|(_, n)| *n)
        .unwrap();
    assert!(size > 8192, "{largest} is {size} bytes");
    site.retitle("Judul Baru");
    // `ulimit -f` counts blocks of 512 bytes (POSIX sh) or 1024 (bash): the
    // limit is at most half the page. SIGXFSZ ignored, so the write fails
    // with EFBIG instead of killing the process.
    let blocks = size / 2 / 1024;
    let out = Command::new("sh")
        .arg("-c")
        .arg(format!(
            r#"trap '' XFSZ; ulimit -f {blocks} && exec "$0" "$@""#
        ))
        .arg(common::rekap_bin())
        .args(["build", "--quiet", "--root"])
        .arg(&site.root)
        .arg("--output")
        .arg(&site.out)
        .output()
        .unwrap();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("File too large"), "{err}");
    assert!(err.contains("previous site was left as it was"), "{err}");
    assert_same(&snapshot(&site.out), &before, "after an I/O error");
    assert_eq!(site.beside(), Vec::<String>::new());

    common::append(
        &site.root,
        "content/pages/tentang.md",
        "{{< value metric=\"nothing\" >}}\n",
    );
    assert!(matches!(site.build(), Err(Error::Content(_))));
    assert_same(&snapshot(&site.out), &before, "after a content error");
    assert_eq!(site.beside(), Vec::<String>::new());
}

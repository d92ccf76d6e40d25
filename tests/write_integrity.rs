//! The write stage stays honest: no file name can inject a line into the
//! manifest of the marker file.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

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

    /// What the output's parent holds besides the output.
    fn beside(&self) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(self.out.parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n != "public")
            .collect();
        v.sort();
        v
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

//! The site generator: what it writes is a valid site (no errors, no warnings,
//! even with `--strict`), it builds, and the same spec gives the same bytes.

use std::collections::BTreeMap;
use std::path::Path;

use rekap::model::Audience;
use xtask::generate::{GenSpec, generate, generate_plain_releases};

/// Every file under `dir`, by relative path.
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let rel = entry.path().strip_prefix(dir).unwrap();
            out.insert(
                rel.to_string_lossy().replace('\\', "/"),
                std::fs::read(entry.path()).unwrap(),
            );
        }
    }
    out
}

fn listing(d: &[rekap::diagnostics::Diagnostic]) -> String {
    d.iter().map(|x| format!("{x}\n")).collect()
}

#[test]
fn the_small_site_checks_clean() {
    let spec = GenSpec::small();
    let dir = tempfile::tempdir().unwrap();
    let stats = generate(&spec, dir.path()).unwrap();
    // site, entities, metrics, figure files, releases, meetings, two pages.
    assert!(stats.files > 3 + spec.releases + spec.meetings + 2);
    assert!(stats.figures >= spec.entities * spec.metrics * spec.periods / 2);

    let figures = snapshot(&dir.path().join("content/data/figures"));
    assert_eq!(
        figures.keys().filter(|k| k.ends_with(".csv")).count(),
        1,
        "one CSV file"
    );
    assert!(figures.keys().filter(|k| k.ends_with(".yaml")).count() > 1);
    let metrics = std::fs::read_to_string(dir.path().join("content/data/metrics.yaml")).unwrap();
    assert!(
        metrics.contains("  - id: work-accidents\n") && metrics.contains("    direction: lower\n"),
        "even the small site has a metric where lower is better"
    );

    let warnings = rekap::check(dir.path(), Audience::Public, false, true)
        .unwrap_or_else(|e| panic!("the generated site has errors:\n{e}"));
    assert!(
        warnings.is_empty(),
        "the generated site has warnings:\n{}",
        listing(&warnings)
    );
}

// A test of its own, so that the harness runs it beside the check.
#[test]
fn the_small_site_builds() {
    let spec = GenSpec::small();
    let dir = tempfile::tempdir().unwrap();
    generate(&spec, dir.path()).unwrap();
    let mut opts = rekap::BuildOptions::new(dir.path());
    opts.strict = true;
    let report = rekap::build(&opts).unwrap_or_else(|e| panic!("the site must build:\n{e}"));
    assert!(report.warnings.is_empty(), "{}", listing(&report.warnings));
    // Home, lists, 404 and search besides one page per entity, release,
    // meeting, year and free page.
    assert!(
        report.pages >= spec.entities + spec.releases + spec.meetings + spec.periods + 2,
        "{} pages",
        report.pages
    );
    let out = dir.path().join("public");
    assert!(out.join("index.html").is_file());
    assert!(out.join("tentang/index.html").is_file());
    let releases = std::fs::read_dir(out.join("releases")).unwrap().count();
    assert!(releases > spec.releases, "{releases} entries in releases/");
}

#[test]
fn generation_is_deterministic() {
    let spec = GenSpec {
        seed: 7,
        ..GenSpec::small()
    };
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    let sa = generate(&spec, a.path()).unwrap();
    let sb = generate(&spec, b.path()).unwrap();
    assert_eq!(sa, sb);
    let (fa, fb) = (snapshot(a.path()), snapshot(b.path()));
    assert_eq!(fa.len(), sa.files);
    assert!(fa == fb, "two generations of the same spec differ");

    // Another seed gives another site.
    let c = tempfile::tempdir().unwrap();
    generate(&GenSpec { seed: 8, ..spec }, c.path()).unwrap();
    assert!(snapshot(c.path()) != fa);
}

#[test]
fn generation_refuses_a_folder_that_has_content() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("content")).unwrap();
    let err = generate(&GenSpec::small(), dir.path()).unwrap_err();
    assert_eq!(err.kind(), std::io::ErrorKind::AlreadyExists);
    let empty = GenSpec {
        entities: 0,
        ..GenSpec::small()
    };
    let other = tempfile::tempdir().unwrap();
    assert_eq!(
        generate(&empty, other.path()).unwrap_err().kind(),
        std::io::ErrorKind::InvalidInput
    );
}

#[test]
fn odd_sizes_are_valid_too() {
    for (entities, metrics, periods) in [(1, 1, 1), (2, 9, 2), (12, 3, 3)] {
        let spec = GenSpec {
            entities,
            metrics,
            periods,
            releases: 5,
            meetings: 2,
            seed: 3,
        };
        let dir = tempfile::tempdir().unwrap();
        generate(&spec, dir.path()).unwrap();
        let warnings = rekap::check(dir.path(), Audience::Public, false, true)
            .unwrap_or_else(|e| panic!("{spec:?} has errors:\n{e}"));
        assert!(warnings.is_empty(), "{spec:?}:\n{}", listing(&warnings));
    }
}

#[test]
fn the_plain_release_corpus_is_shared_and_valid() {
    let spec = GenSpec {
        releases: 20,
        ..GenSpec::small()
    };
    let rk = tempfile::tempdir().unwrap();
    let hg = tempfile::tempdir().unwrap();
    generate_plain_releases(&spec, rk.path(), hg.path()).unwrap();
    let a = snapshot(&rk.path().join("content/releases"));
    let b = snapshot(&hg.path().join("content/releases"));
    assert_eq!(a.len(), 20);
    assert!(a == b, "rekap and Hugo get the same release files");
    for text in a.values() {
        let text = String::from_utf8_lossy(text);
        assert!(!text.contains("{{<"), "no shortcodes in the plain corpus");
        assert!(text.len() > 1_000, "releases are 1-3 KB");
    }
    assert!(hg.path().join("layouts/_default/single.html").is_file());
    let warnings = rekap::check(rk.path(), Audience::Public, false, true)
        .unwrap_or_else(|e| panic!("the plain corpus has errors:\n{e}"));
    assert!(warnings.is_empty(), "{}", listing(&warnings));
}

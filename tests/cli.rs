//! The command line, run as a user runs it: the site folder as an argument
//! or `--root`, `-o/--output`, `-b/--base-url`, `-D/--drafts`, an example in
//! every `--help`, and `rekap new` (the site's default entity filled in,
//! refused outside a site, transliterated slugs, figure templates).

mod common;

use std::ffi::OsStr;
use std::path::Path;

use common::*;

fn os(s: &str) -> &OsStr {
    s.as_ref()
}

/// Runs rekap with `args` in the folder `cwd`.
fn run_in(cwd: &Path, args: &[&OsStr]) -> std::process::Output {
    std::process::Command::new(rekap_bin())
        .current_dir(cwd)
        .args(args)
        .output()
        .expect("run the rekap binary")
}

fn ok(out: &std::process::Output) {
    assert_eq!(out.status.code(), Some(0), "{}", stderr(out));
}

#[test]
fn the_site_folder_is_an_argument_or_root_or_source_or_the_current_folder() {
    let dir = copy_example();
    let site = dir.path();
    ok(&run(&[os("check"), site.as_os_str()]));
    ok(&run(&[os("check"), os("--root"), site.as_os_str()]));
    ok(&run(&[os("check"), os("--source"), site.as_os_str()]));
    ok(&run(&[os("check"), os("-s"), site.as_os_str()]));
    ok(&run_in(site, &[os("check")]));

    ok(&run(&[os("build"), os("-q"), site.as_os_str()]));
    assert!(site.join("public/index.html").is_file(), "SITE/public");
    std::fs::remove_dir_all(site.join("public")).unwrap();
    ok(&run(&[os("build"), os("-r"), site.as_os_str()]));
    assert!(site.join("public/index.html").is_file(), "--root/public");
    std::fs::remove_dir_all(site.join("public")).unwrap();
    ok(&run_in(site, &[os("build")]));
    assert!(site.join("public/index.html").is_file(), "./public");
}

#[test]
fn a_site_given_twice_is_a_usage_error() {
    let dir = copy_example();
    let out = run(&[
        os("build"),
        dir.path().as_os_str(),
        os("--root"),
        dir.path().as_os_str(),
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("cannot be used with"),
        "{}",
        stderr(&out)
    );
    assert!(!dir.path().join("public").exists());
}

#[test]
fn output_goes_where_o_or_output_or_output_dir_says() {
    let dir = copy_example();
    let site = dir.path();
    for (flag, name) in [("-o", "a"), ("--output", "b"), ("--output-dir", "c")] {
        let target = site.join(name);
        ok(&run(&[
            os("build"),
            site.as_os_str(),
            os(flag),
            target.as_os_str(),
        ]));
        assert!(target.join("index.html").is_file(), "{flag}");
    }
    assert!(!site.join("public").exists());
}

#[test]
fn base_url_sets_canonical_urls_and_links_are_checked_for_it() {
    let dir = copy_example();
    let site = dir.path();
    let out = site.join("out");
    ok(&run(&[
        os("build"),
        site.as_os_str(),
        os("-o"),
        out.as_os_str(),
        os("-b"),
        os("https://data.example.org/rekap"),
    ]));
    let index = read(&out, "index.html");
    assert!(
        index.contains(r#"<link rel="canonical" href="https://data.example.org/rekap/">"#),
        "canonical URL from --base-url, with the trailing / added"
    );
    assert!(
        index.contains(r#"href="/rekap/regions/"#),
        "links under its path"
    );
    ok(&run(&[
        os("check"),
        site.as_os_str(),
        os("--base-url"),
        os("https://data.example.org/rekap/"),
    ]));
}

#[test]
fn a_base_url_that_is_not_absolute_is_a_usage_error_and_builds_nothing() {
    let dir = copy_example();
    for cmd in ["build", "check"] {
        let out = run(&[
            os(cmd),
            dir.path().as_os_str(),
            os("--base-url"),
            os("data.example.org"),
        ]);
        assert_eq!(out.status.code(), Some(2), "{cmd}: {}", stderr(&out));
        assert!(
            stderr(&out).contains("is not an absolute URL"),
            "{cmd}: {}",
            stderr(&out)
        );
    }
    assert!(!dir.path().join("public").exists());
}

#[test]
fn drafts_are_built_with_d_or_drafts() {
    let dir = copy_example();
    let site = dir.path();
    write(
        site,
        "content/releases/2017-03-01-draf.md",
        "---\ntitle: Draf\ndate: 2017-03-01\ndraft: true\n---\n\nBelum terbit.\n",
    );
    ok(&run(&[os("build"), site.as_os_str()]));
    assert!(!site.join("public/releases/2017-03-01-draf").exists());
    for flag in ["-D", "--drafts", "--build-drafts"] {
        let out = site.join(format!("out{flag}"));
        ok(&run(&[
            os("build"),
            site.as_os_str(),
            os(flag),
            os("-o"),
            out.as_os_str(),
        ]));
        assert!(
            out.join("releases/2017-03-01-draf/index.html").is_file(),
            "{flag}"
        );
    }
    ok(&run(&[os("check"), site.as_os_str(), os("-D")]));
}

#[test]
fn every_help_shows_examples() {
    for args in [
        vec!["--help"],
        vec!["build", "--help"],
        vec!["check", "--help"],
        vec!["new", "--help"],
        vec!["init", "--help"],
        vec!["templates", "--help"],
        vec!["templates", "export", "--help"],
    ] {
        let a: Vec<&OsStr> = args.iter().map(|s| os(s)).collect();
        let out = run(&a);
        assert_eq!(out.status.code(), Some(0), "{args:?}");
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains("Examples:\n  rekap "), "{args:?}:\n{text}");
    }
}

#[test]
fn new_fills_in_the_default_entity_and_transliterates_the_slug() {
    let dir = copy_example();
    let site = dir.path();
    let out = run(&[
        os("new"),
        os("release"),
        os("Ünïcode"),
        os("résumé"),
        os("--root"),
        site.as_os_str(),
        os("--date"),
        os("2017-03-02"),
    ]);
    ok(&out);
    let text = read(site, "content/releases/2017-03-02-unicode-resume.md");
    assert!(text.contains("title: \"Ünïcode résumé\"\n"), "{text}");
    assert!(text.contains("\nentity: sulawesi-maluku\n"), "{text}");
    let out = run_in(
        site,
        &[
            os("new"),
            os("meeting"),
            os("Rapat Ωmega"),
            os("--date"),
            os("2017-03-03"),
        ],
    );
    ok(&out);
    let text = read(site, "content/meetings/2017-03-03-rapat-omega.md");
    assert!(text.contains("\nentity: sulawesi-maluku\n"), "{text}");
    let out = run(&[
        os("check"),
        site.as_os_str(),
        os("--drafts"),
        os("--strict"),
    ]);
    ok(&out);
}

#[test]
fn new_outside_a_site_exits_2_and_creates_nothing() {
    let dir = tempfile::tempdir().unwrap();
    for kind in ["release", "meeting", "figures"] {
        let out = run_in(dir.path(), &[os("new"), os(kind), os("Rapat")]);
        assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
        let err = stderr(&out);
        assert!(err.contains("is not a rekap site"), "{err}");
        assert!(err.contains("content/site.yaml"), "{err}");
        assert!(
            err.contains("--root") && err.contains("rekap init"),
            "{err}"
        );
    }
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        0,
        "nothing created"
    );
}

#[test]
fn new_figures_writes_a_template_whose_examples_build() {
    let dir = copy_example();
    let site = dir.path();
    let out = run(&[
        os("new"),
        os("figures"),
        os("Target 2030"),
        os("-r"),
        site.as_os_str(),
        os("--date"),
        os("2030-01-15"),
    ]);
    ok(&out);
    let rel = "content/data/figures/target-2030.csv";
    let text = read(site, rel);
    assert!(text.starts_with("# decimal: point\n"), "{text}");
    assert!(
        text.contains(
            "\nentity,metric,period,target,target_growth,actual,as_of,unit,source,note,audience\n"
        ),
        "{text}"
    );
    ok(&run(&[os("check"), site.as_os_str(), os("--strict")]));

    // The examples, uncommented as the template says, are valid figures.
    let uncommented: String = text
        .lines()
        .map(|l| {
            l.strip_prefix("# sulawesi-maluku")
                .map_or(l.to_string(), |r| format!("sulawesi-maluku{r}"))
        })
        .collect::<Vec<_>>()
        .join("\n");
    write(site, rel, &uncommented);
    ok(&run(&[os("check"), site.as_os_str(), os("--strict")]));
    ok(&run(&[os("build"), os("-q"), site.as_os_str()]));
    let figures = read(site, "public/data/figures.csv");
    // entity, entity_name, metric, metric_name, unit, currency, by (none),
    // period, period_kind, actual (none yet), target 1150.
    assert!(
        figures.contains(
            "\nsulawesi-maluku,Sulawesi dan Maluku,new-participants,Peserta baru,people,,,2030,year,,1150,"
        ),
        "the 2030 target is published:\n{figures}"
    );
}

#[test]
fn init_says_how_to_build_the_new_site() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("situs");
    let out = run(&[os("init"), site.as_os_str()]);
    ok(&out);
    assert!(
        stderr(&out).contains(&format!("rekap build {}", site.display())),
        "{}",
        stderr(&out)
    );
}

//! `rekap templates export`: the embedded templates and static files written
//! into a site build it exactly as the embedded ones do, and a second export
//! refuses to overwrite them.

mod common;

use std::ffi::OsStr;

use common::*;

fn os(s: &str) -> &OsStr {
    s.as_ref()
}

#[test]
fn exported_templates_build_the_same_site_byte_for_byte() {
    let dir = copy_example();
    let site = dir.path();
    let mut before = options(site);
    before.output = site.join("before");
    rekap::build(&before).expect("the example builds");

    let out = run(&[os("templates"), os("export"), site.as_os_str()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let said = stderr(&out);
    assert!(said.contains("templates/base.html"), "{said}");
    assert!(said.contains("static/assets/style.css"), "{said}");
    assert!(site.join("templates/shortcodes/card.html").is_file());
    assert!(site.join("templates/feeds/atom.xml").is_file());
    assert!(site.join("static/assets/search.js").is_file());

    let mut after = options(site);
    after.output = site.join("after");
    rekap::build(&after).expect("the site builds with the exported templates");

    let a = snapshot(&site.join("before"));
    let b = snapshot(&site.join("after"));
    assert!(a.len() > 50, "the example has many files: {}", a.len());
    assert_eq!(
        a.keys().collect::<Vec<_>>(),
        b.keys().collect::<Vec<_>>(),
        "the same files"
    );
    for (path, bytes) in &a {
        assert!(b[path] == *bytes, "{path} differs after the export");
    }

    // An exported template is the one used: editing it changes the site.
    replace_in(
        site,
        "templates/base.html",
        "<body",
        "<body data-custom=\"1\"",
    );
    let mut edited = options(site);
    edited.output = site.join("edited");
    rekap::build(&edited).expect("builds with an edited template");
    assert!(read(&site.join("edited"), "index.html").contains("data-custom=\"1\""));
}

#[test]
fn a_second_export_without_force_refuses_and_changes_nothing() {
    let dir = copy_example();
    let site = dir.path();
    let out = run(&[
        os("templates"),
        os("export"),
        os("--root"),
        site.as_os_str(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    write(site, "templates/home.html", "my home");
    let snap = snapshot(site);

    let out = run(&[os("templates"), os("export"), site.as_os_str()]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("templates/404.html"), "names a file: {err}");
    assert!(err.contains("--force"), "suggests --force: {err}");
    assert!(snapshot(site) == snap, "nothing changed");

    let out = run(&[
        os("-q"),
        os("templates"),
        os("export"),
        site.as_os_str(),
        os("--force"),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_ne!(read(site, "templates/home.html"), "my home");
}

#[test]
fn export_outside_a_site_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(&[os("templates"), os("export"), dir.path().as_os_str()]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("is not a rekap site"),
        "{}",
        stderr(&out)
    );
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

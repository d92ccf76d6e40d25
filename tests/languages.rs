//! A site in two languages from one source (`languages: [id, en]`): the
//! default language's edition at the root, the English one under `/en/`,
//! every page linked to its translation, and nothing Indonesian on an
//! English page that is not marked as such.

mod common;

use std::collections::BTreeMap;
use std::path::PathBuf;

use common::html::{all, attr, card, element_at, one, text};
use common::*;

/// The example as published, built once (no PNGs: they are not about
/// languages), and its output's files.
fn example() -> &'static (tempfile::TempDir, BTreeMap<String, Vec<u8>>) {
    static BUILD: std::sync::OnceLock<(tempfile::TempDir, BTreeMap<String, Vec<u8>>)> =
        std::sync::OnceLock::new();
    BUILD.get_or_init(|| {
        let dir = copy_bilingual_example();
        no_png(dir.path());
        build(dir.path()).unwrap_or_else(|e| panic!("the bilingual example must build:\n{e}"));
        let snap = snapshot(&dir.path().join("public"));
        (dir, snap)
    })
}

fn text_of(snap: &BTreeMap<String, Vec<u8>>, file: &str) -> String {
    let bytes = snap
        .get(file)
        .unwrap_or_else(|| panic!("{file} is not in the output"));
    String::from_utf8(bytes.clone()).expect("UTF-8")
}

/// The site path a page file is served at (`regions/x/index.html` →
/// `/regions/x/`).
fn url_of(file: &str) -> String {
    match file.strip_suffix("index.html") {
        Some(dir) => format!("/{dir}"),
        None => format!("/{file}"),
    }
}

/// The file a site path is served from.
fn file_of(url: &str) -> String {
    let rel = url.trim_start_matches('/');
    if rel.is_empty() || rel.ends_with('/') {
        format!("{rel}index.html")
    } else {
        rel.to_string()
    }
}

/// The language switcher's link to `lang` on `page`, and whether it is
/// marked `rel="nofollow"` (a page with no version in that language).
fn switcher_link(page: &str, lang: &str) -> (String, bool) {
    let nav = one(page, "nav", Some("languages"));
    let link = all(nav, "a", None)
        .into_iter()
        .find(|a| attr(a, "hreflang") == Some(lang))
        .unwrap_or_else(|| panic!("no link to `{lang}` in the switcher:\n{nav}"));
    (
        attr(link, "href").expect("an href").to_string(),
        attr(link, "rel") == Some("nofollow"),
    )
}

/// The `hreflang` links of a page's head: language → absolute URL.
fn alternates(page: &str) -> BTreeMap<String, String> {
    all(page, "link", None)
        .into_iter()
        .filter(|l| attr(l, "rel") == Some("alternate") && attr(l, "hreflang").is_some())
        .map(|l| {
            (
                attr(l, "hreflang").unwrap().to_string(),
                attr(l, "href").unwrap().to_string(),
            )
        })
        .collect()
}

const BASE: &str = "https://rekap.example";

#[test]
fn both_editions_are_built_from_one_source() {
    let (_dir, snap) = example();
    let id = text_of(snap, "index.html");
    let en = text_of(snap, "en/index.html");
    assert!(id.starts_with("<!DOCTYPE html>\n<html lang=\"id\">"));
    assert!(en.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
    let release = "releases/2017-02-01-target-2017-sulawesi-maluku/index.html";
    let h1 = |p: &str| text(one(p, "h1", None));
    assert_eq!(
        h1(&text_of(snap, release)),
        "BPJS Ketenagakerjaan Sulawesi dan Maluku Tetapkan Sasaran Kepesertaan dan Iuran 2017"
    );
    assert_eq!(
        h1(&text_of(snap, &format!("en/{release}"))),
        "BPJS Ketenagakerjaan Sulawesi and Maluku Sets Membership and Contribution Targets for 2017"
    );
    // Each edition has its own feed, search index and sitemap.
    let feed = text_of(snap, "en/releases/atom.xml");
    assert!(feed.contains(
        "<title>BPJS Ketenagakerjaan Sulawesi and Maluku Sets Membership and Contribution Targets for 2017</title>"
    ));
    let search = text_of(snap, "en/search/index.json");
    assert!(search.contains("\"u\":\"/en/releases/2017-02-01-target-2017-sulawesi-maluku/\""));
    assert!(
        !search.contains("\"u\":\"/releases/"),
        "no Indonesian page in the English index"
    );
    let sitemap = text_of(snap, "en/sitemap.xml");
    assert!(sitemap.contains(&format!("<loc>{BASE}/en/metodologi/</loc>")));
    assert!(!sitemap.contains(&format!("<loc>{BASE}/metodologi/</loc>")));
    // One robots.txt, at the root, naming both sitemaps.
    assert!(!snap.contains_key("en/robots.txt"));
    let robots = text_of(snap, "robots.txt");
    assert!(robots.ends_with(&format!(
        "Sitemap: {BASE}/sitemap.xml\nSitemap: {BASE}/en/sitemap.xml\n"
    )));
    // Figures follow the language: the region's 2016 contributions.
    let card = |p: &str, name: &str| text(card(p, name));
    assert!(
        card(
            &text_of(snap, "regions/sulawesi-maluku/index.html"),
            "Iuran"
        )
        .contains("Rp956 miliar")
    );
    assert!(
        card(
            &text_of(snap, "en/regions/sulawesi-maluku/index.html"),
            "Contributions"
        )
        .contains("IDR 956 billion")
    );
}

/// Every page of each edition links to the same page in the other language
/// when it exists there (pages made from the data, translated documents),
/// else to the other language's home page, marked `nofollow`.
#[test]
fn every_page_links_to_its_translation() {
    let (_dir, snap) = example();
    let pages: Vec<&String> = snap.keys().filter(|p| p.ends_with(".html")).collect();
    assert!(pages.len() > 80, "both editions: {} pages", pages.len());
    for file in pages {
        let page = text_of(snap, file);
        let (here, other, other_lang) = match file.strip_prefix("en/") {
            Some(rel) => (rel.to_string(), rel.to_string(), "id"),
            None => (file.clone(), format!("en/{file}"), "en"),
        };
        let (href, nofollow) = switcher_link(&page, other_lang);
        let other_root = if other_lang == "en" { "en/" } else { "" };
        if snap.contains_key(&other) {
            assert_eq!(href, url_of(&other), "{file} links to its translation");
            assert!(!nofollow, "{file}");
        } else {
            assert_eq!(
                href,
                url_of(other_root),
                "{file} ({here}) has no translation"
            );
            assert!(nofollow, "{file}: a link to a home page, not a translation");
        }
    }
}

/// The `hreflang` links of a page name every version of it, itself
/// included, and each version names the page back.
#[test]
fn hreflang_links_are_reciprocal() {
    let (_dir, snap) = example();
    let mut checked = 0;
    for (file, _) in snap.iter().filter(|(p, _)| p.ends_with(".html")) {
        let page = text_of(snap, file);
        let alt = alternates(&page);
        if alt.is_empty() {
            continue;
        }
        let me = format!("{BASE}{}", url_of(file));
        assert_eq!(alt.len(), 3, "{file}: id, en and x-default: {alt:?}");
        assert_eq!(alt["x-default"], alt["id"], "{file}");
        assert!(
            alt.values().any(|u| *u == me),
            "{file} names itself: {alt:?}"
        );
        for url in [&alt["id"], &alt["en"]] {
            let target = file_of(url.strip_prefix(BASE).expect("an absolute URL"));
            let back = alternates(&text_of(snap, &target));
            assert_eq!(back, alt, "{file} and {target} name the same versions");
        }
        checked += 1;
    }
    // Exactly the pages that exist in both editions have them.
    let both = snap
        .keys()
        .filter(|p| p.ends_with(".html") && !p.starts_with("en/"))
        .filter(|p| snap.contains_key(&format!("en/{p}")))
        .count();
    assert!(both > 30, "{both} pages in both editions");
    assert_eq!(checked, 2 * both, "pages with hreflang links");
}

/// The visible text of `html` outside the elements marked `lang="id"`,
/// scripts, styles and the `<title>` (which cannot mark a name's language).
fn text_outside_indonesian(html: &str) -> String {
    let mut cut: Vec<std::ops::Range<usize>> = Vec::new();
    for needle in [" lang=\"id\"", "<script", "<style", "<title"] {
        let mut i = 0;
        while let Some(off) = html[i..].find(needle) {
            let at = i + off;
            let start = html[..=at].rfind('<').expect("inside a tag");
            let el = element_at(html, start);
            cut.push(start..start + el.len());
            i = at + needle.len();
        }
    }
    cut.sort_by_key(|r| r.start);
    let mut kept = String::new();
    let mut at = 0;
    for r in cut {
        if r.start >= at {
            kept.push_str(&html[at..r.start]);
            at = r.end;
        } else {
            at = at.max(r.end);
        }
    }
    kept.push_str(&html[at..]);
    text(&kept)
}

#[test]
fn english_pages_show_no_unmarked_indonesian_text() {
    let (_dir, snap) = example();
    // Words of the Indonesian interface and content that have no place in
    // English text (names are marked `lang="id"` where they are Indonesian).
    let words = [
        "Beranda",
        "Siaran pers",
        "Rapat koordinasi",
        "Arsip tahunan",
        "Realisasi",
        "Capaian",
        "Pertumbuhan",
        "Tercapai",
        "Sumber data",
        "Rincian",
        "Peringkat",
        "Terbaik",
        "peserta",
        "iuran",
        "miliar",
        "Ilustratif",
    ];
    let mut found = Vec::new();
    for (file, _) in snap
        .iter()
        .filter(|(p, _)| p.starts_with("en/") && p.ends_with(".html"))
    {
        let shown = text_outside_indonesian(&text_of(snap, file));
        for w in words {
            if let Some(i) = shown.find(w) {
                let from = shown[..i]
                    .char_indices()
                    .rev()
                    .nth(40)
                    .map_or(0, |(j, _)| j);
                let to = shown[i..]
                    .char_indices()
                    .nth(60)
                    .map_or(shown.len(), |(j, _)| i + j);
                found.push(format!("{file}: `{w}` in “{}”", &shown[from..to]));
            }
        }
    }
    assert!(
        found.is_empty(),
        "unmarked Indonesian on English pages:\n{}",
        found.join("\n")
    );
}

/// A site with one page in Indonesian only and one whose translation has
/// its own slug.
fn with_untranslated_and_renamed() -> tempfile::TempDir {
    let dir = copy_bilingual_example();
    no_png(dir.path());
    write(
        dir.path(),
        "content/pages/pengumuman.md",
        "---\ntitle: Pengumuman\nmenu: 9\n---\n\nHanya dalam bahasa Indonesia.\n",
    );
    write(
        dir.path(),
        "content/pages/kontak.md",
        "---\ntitle: Kontak\n---\n\nHubungi kami.\n",
    );
    write(
        dir.path(),
        "content/pages/kontak.en.md",
        "---\ntitle: Contact\nslug: contact\n---\n\nWrite to us.\n",
    );
    dir
}

#[test]
fn an_untranslated_page_links_to_the_english_home_and_a_renamed_translation_to_itself() {
    let dir = with_untranslated_and_renamed();
    build(dir.path()).unwrap_or_else(|e| panic!("{e}"));
    let out = dir.path().join("public");
    // Only in Indonesian: not in the English edition, its menu or sitemap.
    assert!(out.join("pengumuman/index.html").is_file());
    assert!(!out.join("en/pengumuman").exists());
    let id = page(dir.path(), "pengumuman/index.html");
    assert_eq!(switcher_link(&id, "en"), ("/en/".to_string(), true));
    assert!(
        alternates(&id).is_empty(),
        "no hreflang without a translation"
    );
    let en_home = page(dir.path(), "en/index.html");
    assert!(
        !en_home.contains("/pengumuman/"),
        "the English menu leaves it out"
    );
    assert!(!page(dir.path(), "en/sitemap.xml").contains("pengumuman"));
    // A translation with its own slug: each links to the other.
    let kontak = page(dir.path(), "kontak/index.html");
    assert_eq!(
        switcher_link(&kontak, "en"),
        ("/en/contact/".to_string(), false)
    );
    let contact = page(dir.path(), "en/contact/index.html");
    assert_eq!(
        switcher_link(&contact, "id"),
        ("/kontak/".to_string(), false)
    );
    assert_eq!(alternates(&contact)["id"], format!("{BASE}/kontak/"));
    assert!(!out.join("en/kontak").exists());
}

#[test]
fn archive_mode_links_between_editions_resolve_on_disk() {
    let dir = copy_bilingual_example();
    no_png(dir.path());
    let out: PathBuf = dir.path().join("archive");
    let mut o = options(dir.path());
    o.output = out.clone();
    o.relative_urls = true;
    rekap::build(&o).unwrap_or_else(|e| panic!("{e}"));
    for (file, lang) in [
        ("en/regions/sulawesi-utara/index.html", "id"),
        ("regions/sulawesi-utara/index.html", "en"),
        ("en/metodologi/index.html", "id"),
        ("index.html", "en"),
    ] {
        let html = read(&out, file);
        let (href, _) = switcher_link(&html, lang);
        assert!(!href.starts_with('/'), "{file}: {href} is relative");
        let target = out.join(file).parent().unwrap().join(&href);
        assert!(
            target.is_file(),
            "{file}: {href} opens {}",
            target.display()
        );
        let want = if lang == "en" {
            format!("en/{file}")
        } else {
            file.trim_start_matches("en/").to_string()
        };
        assert_eq!(
            target.canonicalize().unwrap(),
            out.join(want).canonicalize().unwrap(),
            "{file} links to its translation"
        );
    }
}

#[test]
fn a_translation_into_a_language_the_site_does_not_publish_is_an_error() {
    // The Indonesian-only copy: no `languages`.
    let dir = copy_example();
    write(
        dir.path(),
        "content/pages/tentang.en.md",
        "---\ntitle: About\n---\n\nAbout.\n",
    );
    let errors = content_errors(check(dir.path(), false));
    let e = errors
        .iter()
        .find(|d| d.origin.file == "content/pages/tentang.en.md")
        .unwrap_or_else(|| panic!("an error at the translation: {errors:#?}"));
    assert_eq!(
        e.message,
        "`content/pages/tentang.en.md` is a translation into `en`, a language the site is not published in"
    );
    assert!(
        e.help
            .as_deref()
            .unwrap_or("")
            .contains("`languages: [id, en]`"),
        "{e:?}"
    );
}

#[test]
fn broken_settings_do_not_turn_every_translation_into_an_error() {
    // With site.yaml unreadable, its `languages` are unknown: the one error
    // is the settings' own, not one more per `.en.md` file.
    let dir = copy_bilingual_example();
    replace_in(
        dir.path(),
        "content/site.yaml",
        "base_url: https://rekap.example/",
        "base_url: \"https://rekap.example/",
    );
    let errors = content_errors(check(dir.path(), false));
    assert_eq!(errors.len(), 1, "{}", listing(&errors));
    assert_eq!(errors[0].origin.file, "content/site.yaml");
    assert!(errors[0].message.contains("never closed"), "{errors:#?}");
}

#[test]
fn languages_must_be_listed_once_with_the_default_among_them() {
    for (languages, message) in [
        ("[id, en, id]", "language `id` is listed twice"),
        ("[en]", "the default language `id` is not in `languages`"),
        ("[]", "`languages` is empty"),
    ] {
        let dir = copy_example();
        append(
            dir.path(),
            "content/site.yaml",
            &format!("languages: {languages}\n"),
        );
        let errors = content_errors(check(dir.path(), false));
        let e = errors
            .iter()
            .find(|d| d.message == message)
            .unwrap_or_else(|| panic!("`{message}` for {languages}: {errors:#?}"));
        assert_eq!(e.origin.file, "content/site.yaml");
        let line = read(dir.path(), "content/site.yaml").lines().count() as u32;
        assert_eq!(e.origin.pos.line, line, "at the `languages` line");
    }
}

#[test]
fn a_page_cannot_take_the_folder_of_an_edition() {
    let dir = copy_bilingual_example();
    write(
        dir.path(),
        "content/pages/en.md",
        "---\ntitle: English\n---\n\nText.\n",
    );
    let errors = content_errors(check(dir.path(), false));
    assert!(
        errors.iter().any(|d| d.origin.file == "content/pages/en.md"
            && d.message == "page slug `en` is the folder of the site's `en` edition"),
        "{errors:#?}"
    );
}

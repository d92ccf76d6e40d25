//! A site's own shortcodes (`templates/shortcodes/NAME.html`) and interface
//! strings (`i18n/id.yaml`, `i18n/en.yaml`).

mod common;

use common::*;
use rekap::diagnostics::Diagnostic;

const PAGE: &str = "content/pages/tentang.md";
const NOTE: &str = "<span class=\"note\" lang=\"{{ lang }}\">{{ args.text }}{% if args.by %} ({{ args.by }}){% endif %}</span>";

/// The example with a `note` shortcode of its own, used in the about page
/// alone on a line and inside a sentence.
fn with_note() -> tempfile::TempDir {
    let dir = copy_example();
    write(dir.path(), "templates/shortcodes/note.html", NOTE);
    append(
        dir.path(),
        PAGE,
        "\n{{< note text=\"Angka <script>alert(1)</script> & sementara\" by=\"Humas\" >}}\n\nLihat {{< note text=\"ini\" >}} juga.\n",
    );
    dir
}

#[test]
fn a_custom_shortcode_renders_its_template_with_escaped_arguments() {
    let dir = with_note();
    build(dir.path()).expect("builds");
    let html = page(dir.path(), "tentang/index.html");
    assert!(
        html.contains(
            "\n<span class=\"note\" lang=\"id\">Angka &lt;script&gt;alert(1)&lt;/script&gt; &amp; sementara (Humas)</span><p>Lihat"
        ),
        "the note alone on its line replaces the paragraph:\n{html}"
    );
    assert!(
        html.contains("<p>Lihat <span class=\"note\" lang=\"id\">ini</span> juga.</p>"),
        "inside a sentence it stays inline:\n{html}"
    );
    assert!(!html.contains("<script>alert"), "never unescaped");
}

fn errors_of(dir: &std::path::Path) -> Vec<Diagnostic> {
    content_errors(check(dir, false))
}

#[test]
fn an_unknown_shortcode_suggests_the_sites_own_names_too() {
    let dir = copy_example();
    write(dir.path(), "templates/shortcodes/notice-box.html", NOTE);
    append(dir.path(), PAGE, "\n{{< notice-bx text=\"x\" >}}\n");
    let e = errors_of(dir.path());
    assert_eq!(e.len(), 1, "{e:?}");
    assert_eq!(e[0].message, "unknown shortcode `notice-bx`");
    assert_eq!(e[0].help.as_deref(), Some("did you mean `notice-box`?"));
    assert_eq!(e[0].origin.file, PAGE);
    let lines = read(dir.path(), PAGE).lines().count() as u32;
    assert_eq!((e[0].origin.pos.line, e[0].origin.pos.column), (lines, 1));
}

#[test]
fn a_built_in_name_keeps_its_meaning_and_a_closing_tag_is_explained() {
    let dir = with_note();
    // A template named like a built-in shortcode restyles it; `value` stays
    // the built-in one, with its argument errors.
    write(dir.path(), "templates/shortcodes/value.html", NOTE);
    append(
        dir.path(),
        PAGE,
        "\n{{< value text=\"x\" >}}\n\n{{< /note >}}\n",
    );
    let e = errors_of(dir.path());
    assert_eq!(e.len(), 2, "{e:?}");
    assert_eq!(
        e[0].message,
        "unknown argument `text` for shortcode `value`"
    );
    let help = e[1].help.as_deref().unwrap_or("");
    assert!(help.contains("custom shortcodes take no content"), "{help}");
}

#[test]
fn a_broken_custom_template_is_reported_with_its_file() {
    let dir = with_note();
    write(
        dir.path(),
        "templates/shortcodes/note.html",
        "<span>{{ args.text | nosuchfilter }}</span>",
    );
    let e = content_errors(build(dir.path()));
    assert_eq!(e.len(), 1, "{e:?}");
    assert_eq!(e[0].origin.file, "templates/shortcodes/note.html");
    assert_eq!((e[0].origin.pos.line, e[0].origin.pos.column), (1, 22));
    assert!(e[0].message.contains("nosuchfilter"), "{}", e[0]);
    assert!(!dir.path().join("public").exists(), "nothing written");
}

#[test]
fn an_interface_string_override_changes_the_word_on_the_page() {
    let dir = copy_example();
    build(dir.path()).expect("builds");
    assert!(page(dir.path(), "index.html").contains(">Siaran pers<"));
    write(
        dir.path(),
        "i18n/id.yaml",
        "# our words\nreleases: Berita resmi\n",
    );
    write(dir.path(), "i18n/en.yaml", "releases: Official news\n");
    build(dir.path()).expect("builds with overrides");
    let home = page(dir.path(), "index.html");
    assert!(
        home.contains(">Berita resmi<"),
        "the Indonesian override: {home}"
    );
    assert!(!home.contains(">Siaran pers<"), "{home}");
    assert!(
        !home.contains("Official news"),
        "the English one is not used"
    );
}

#[test]
fn a_misspelt_interface_key_fails_the_build_and_keeps_the_output() {
    let dir = copy_example();
    build(dir.path()).expect("builds");
    let before = snapshot(&dir.path().join("public"));
    write(dir.path(), "i18n/id.yaml", "home: Awal\nrelaeses: Berita\n");
    let e = content_errors(build(dir.path()));
    assert_eq!(e.len(), 1, "{e:?}");
    assert_eq!(e[0].origin.file, "i18n/id.yaml");
    assert_eq!((e[0].origin.pos.line, e[0].origin.pos.column), (2, 1));
    assert_eq!(e[0].message, "unknown interface string `relaeses`");
    assert_eq!(e[0].help.as_deref(), Some("did you mean `releases`?"));
    assert!(
        snapshot(&dir.path().join("public")) == before,
        "a failed build leaves the previous output untouched"
    );
    let out = run_check(dir.path(), &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("i18n/id.yaml:2:1"),
        "{}",
        stderr(&out)
    );
}

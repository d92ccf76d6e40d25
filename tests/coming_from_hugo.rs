//! Content written for Hugo: its escape for a literal shortcode shows the
//! shortcode as text, outside code and inside it, and rekap's own shortcodes
//! in code are still left as written.

mod common;

use common::*;

const RELEASE: &str = "content/releases/2017-02-01-target-2017-sulawesi-maluku.md";
const PAGE: &str = "public/releases/2017-02-01-target-2017-sulawesi-maluku/index.html";

#[test]
fn hugo_escapes_show_the_shortcode_as_written() {
    let dir = copy_example();
    let r = dir.path();
    append(
        r,
        RELEASE,
        "\nTulis ANGKA-A {{</* value metric=\"contributions\" period=2016 */>}} ANGKA-B, lalu \
         {{< value metric=\"contributions\" period=2016 >}} ANGKA-C.\n\n\
         Dalam kode: `{{</* card metric=\"x\" */>}}` dan `{{< chart kind=\"trend\" >}}`.\n\n\
         ```\n{{</* table metric=\"contributions\" period=2016 */>}}\n```\n\n\
         Tanpa spasi: {{</*value*/>}} dan {{%/* notice */%}}.\n",
    );
    build(r).unwrap_or_else(|e| panic!("{e}"));
    let html = read(r, PAGE);
    assert!(
        html.contains(
            r#"ANGKA-A {{&lt; value metric="contributions" period=2016 &gt;}} ANGKA-B, lalu Rp956 miliar ANGKA-C."#
        ),
        "the escape shows the literal shortcode, and the real one after it still renders:\n{html}"
    );
    assert!(
        html.contains(r#"<code>{{&lt; card metric="x" &gt;}}</code>"#),
        "in a code span the escape is unwrapped as Hugo does"
    );
    assert!(
        html.contains(r#"<code>{{&lt; chart kind="trend" &gt;}}</code>"#),
        "a rekap shortcode in code is left as written"
    );
    assert!(
        html.contains("<code>{{&lt; table metric=\"contributions\" period=2016 &gt;}}\n</code>"),
        "in a code block too"
    );
    assert!(
        html.contains("Tanpa spasi: {{&lt;value&gt;}} dan {{% notice %}}."),
        "an escape without spaces is text, never an HTML tag"
    );
}

#[test]
fn tags_in_any_script_get_a_transliterated_page_instead_of_none() {
    let dir = copy_example();
    let r = dir.path();
    replace_in(
        r,
        RELEASE,
        "tags: [target, ",
        "tags: [経済, Ekonomi Çevre, Δίκτυο, target, ",
    );
    build(r).unwrap_or_else(|e| panic!("{e}"));
    for (slug, name) in [
        ("jing-ji", "経済"),
        ("ekonomi-cevre", "Ekonomi Çevre"),
        ("diktuo", "Δίκτυο"),
    ] {
        let page = read(r, &format!("public/tags/{slug}/index.html"));
        assert!(page.contains(name), "/tags/{slug}/ names the tag {name}");
        assert!(
            read(r, PAGE).contains(&format!("/tags/{slug}/")),
            "the release links its tag {name}"
        );
    }
}

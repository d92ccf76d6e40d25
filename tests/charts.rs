//! Charts of the example site: well-formed, accessible, correct against the
//! data, escaped, deterministic, with their tables and PNGs.

mod common;

use common::*;

fn svg_doc(text: &str) -> roxmltree::Document<'_> {
    roxmltree::Document::parse(text).unwrap_or_else(|e| panic!("the SVG is well-formed XML: {e}"))
}

fn elements_with_class<'a>(
    doc: &'a roxmltree::Document,
    class: &str,
) -> Vec<roxmltree::Node<'a, 'a>> {
    doc.descendants()
        .filter(|n| {
            n.attribute("class")
                .is_some_and(|c| c.split(' ').any(|x| x == class))
        })
        .collect()
}

/// The texts of the `<g class="group">` of a chart, in drawing order.
fn texts_of_group(doc: &roxmltree::Document, group: &str) -> Vec<String> {
    let groups = elements_with_class(doc, group);
    assert_eq!(groups.len(), 1, "one <g class=\"{group}\">");
    groups[0]
        .descendants()
        .filter(|n| n.has_tag_name("text"))
        .map(|n| n.text().unwrap_or("").to_string())
        .collect()
}

#[test]
fn every_chart_is_well_formed_accessible_svg() {
    let dir = copy_example();
    build(dir.path()).expect("builds");
    let snap = snapshot(&dir.path().join("public"));
    let svgs: Vec<(&String, &Vec<u8>)> = snap
        .iter()
        .filter(|(p, _)| p.starts_with("charts/") && p.ends_with(".svg"))
        .collect();
    assert!(svgs.len() >= 20, "charts are drawn: {}", svgs.len());
    for (path, bytes) in svgs {
        let text = std::str::from_utf8(bytes).unwrap();
        let doc = svg_doc(text);
        let root = doc.root_element();
        assert_eq!(root.attribute("role"), Some("img"), "{path}");
        assert!(
            root.attribute("viewBox").is_some(),
            "{path} scales with its column"
        );
        let title = root
            .children()
            .find(|n| n.has_tag_name("title"))
            .unwrap_or_else(|| panic!("{path} has a <title>"));
        let desc = root
            .children()
            .find(|n| n.has_tag_name("desc"))
            .unwrap_or_else(|| panic!("{path} has a <desc>"));
        assert!(
            !title.text().unwrap_or("").is_empty() && !desc.text().unwrap_or("").is_empty(),
            "{path}"
        );
        let labelled = root.attribute("aria-labelledby").unwrap();
        assert!(
            labelled.contains(title.attribute("id").unwrap())
                && labelled.contains(desc.attribute("id").unwrap())
        );
        assert!(
            !text.contains("font-face") && !text.contains("http://fonts"),
            "{path} uses no web fonts"
        );
    }
}

/// The 2016 contributions of the eight provinces, a closed year, best
/// first by performance (actual / target, higher being better):
/// Sulawesi Selatan 392.615 / 300 = 130.9 %; Sulawesi Barat 39.685 / 32 =
/// 124.0 %; Sulawesi Tengah 117.24 / 95 = 123.4 %; Sulawesi Utara
/// 163.48 / 135 = 121.1 %; Sulawesi Tenggara 95.87 / 85 = 112.8 % (all
/// achieved, ≥ 100 %); Gorontalo 53.46 / 55 = 97.2 % (nearly achieved,
/// ≥ 95 %); Maluku 61.73 / 70 = 88.2 % and Maluku Utara 31.92 / 42 = 76.0 %
/// (missed, under 95 %).
const BREAKDOWN_2016: &str = "public/charts/sulawesi-maluku--contributions--breakdown--2016.svg";

/// The 2017 contributions of the eight provinces, in progress on 30 June
/// 2017 (181 of 365 days: each province is expected to have 181 / 365 =
/// 0.495890 of its target), best first by pace = attainment / 0.495890:
/// Sulawesi Selatan 231.92 / 446 = 0.52, pace 1.04862 (on pace: ≥ 0.95,
/// under 1.05); Sulawesi Barat 22.7 / 45.4 and Sulawesi Utara 94.25 / 188.5,
/// both 0.50, pace 1.00829 (on pace); Sulawesi Tengah 0.49, pace 0.98812
/// (on pace); Sulawesi Tenggara 0.47, pace 0.94779, Gorontalo 0.45, pace
/// 0.90746, and Maluku 0.41, pace 0.82680 (behind: ≥ 0.80); Maluku Utara
/// 0.36, pace 0.72597 (far behind).
const BREAKDOWN_2017: &str = "public/charts/sulawesi-maluku--contributions--breakdown--2017.svg";

const ACTUAL_VS_TARGET: &str = "public/charts/sulawesi-maluku--contributions--actual-vs-target.svg";

#[test]
fn the_region_breakdown_has_one_bar_per_province_ranked_by_performance() {
    let dir = copy_example();
    build(dir.path()).expect("builds");
    let text = read(dir.path(), BREAKDOWN_2016);
    let doc = svg_doc(&text);
    let bars = elements_with_class(&doc, "bar");
    assert_eq!(bars.len(), 8, "one bar per province");
    // Bars are ranked: widths (performance) never grow going down.
    let widths: Vec<f64> = bars
        .iter()
        .map(|b| b.attribute("width").unwrap().parse().unwrap())
        .collect();
    assert!(widths.windows(2).all(|w| w[0] >= w[1]), "{widths:?}");
    // Each bar's name, in the order of BREAKDOWN_2016.
    assert_eq!(
        texts_of_group(&doc, "names"),
        [
            "Sulawesi Selatan",
            "Sulawesi Barat",
            "Sulawesi Tengah",
            "Sulawesi Utara",
            "Sulawesi Tenggara",
            "Gorontalo",
            "Maluku",
            "Maluku Utara"
        ]
    );
    assert_eq!(
        elements_with_class(&doc, "reference").len(),
        1,
        "a 100 % reference line"
    );
}

#[test]
fn chart_bars_carry_the_status_key_of_their_period() {
    let dir = copy_example();
    build(dir.path()).expect("builds");
    let text = read(dir.path(), BREAKDOWN_2016);
    let doc = svg_doc(&text);
    let statuses: Vec<&str> = elements_with_class(&doc, "bar")
        .iter()
        .map(|b| b.attribute("data-status").unwrap())
        .collect();
    assert_eq!(
        statuses,
        [
            "achieved", "achieved", "achieved", "achieved", "achieved", "nearly", "missed",
            "missed"
        ],
        "2016 is closed: achieved, nearly achieved or missed (BREAKDOWN_2016)"
    );
    let text = read(dir.path(), BREAKDOWN_2017);
    let doc = svg_doc(&text);
    let statuses: Vec<&str> = elements_with_class(&doc, "bar")
        .iter()
        .map(|b| b.attribute("data-status").unwrap())
        .collect();
    assert_eq!(
        statuses,
        [
            "on_pace",
            "on_pace",
            "on_pace",
            "on_pace",
            "behind",
            "behind",
            "behind",
            "far_behind"
        ],
        "2017 is in progress: judged against its pace (BREAKDOWN_2017)"
    );
    // The region: no target in 2015; 956 / 814 = 117.4 % in 2016: achieved;
    // 2017 pace 538.965 / (1 099.4 × 181 / 365 = 545.182) = 0.98860: on pace.
    let text = read(dir.path(), ACTUAL_VS_TARGET);
    let doc = svg_doc(&text);
    for class in ["bar", "status"] {
        let statuses: Vec<_> = elements_with_class(&doc, class)
            .iter()
            .map(|b| b.attribute("data-status"))
            .collect();
        assert_eq!(
            statuses,
            [Some("no_data"), Some("achieved"), Some("on_pace")],
            "<{class}>"
        );
    }
}

#[test]
fn the_region_breakdown_writes_each_status_word_whole() {
    // Status never rests on colour alone: the label beside each bar says
    // the status in words, every word of it.
    let dir = copy_example();
    build(dir.path()).expect("builds");
    let text = read(dir.path(), BREAKDOWN_2016);
    assert_eq!(
        texts_of_group(&svg_doc(&text), "value-labels"),
        [
            "130,9% ✓ Tercapai",
            "124,0% ✓ Tercapai",
            "123,4% ✓ Tercapai",
            "121,1% ✓ Tercapai",
            "112,8% ✓ Tercapai",
            "97,2% ≈ Hampir tercapai",
            "88,2% ✗ Tidak tercapai",
            "76,0% ✗ Tidak tercapai"
        ],
        "BREAKDOWN_2016"
    );
    let text = read(dir.path(), BREAKDOWN_2017);
    assert_eq!(
        texts_of_group(&svg_doc(&text), "value-labels"),
        [
            "laju 104,9% ↗ Sesuai laju",
            "laju 100,8% ↗ Sesuai laju",
            "laju 100,8% ↗ Sesuai laju",
            "laju 98,8% ↗ Sesuai laju",
            "laju 94,8% ↘ Di bawah laju",
            "laju 90,7% ↘ Di bawah laju",
            "laju 82,7% ↘ Di bawah laju",
            "laju 72,6% ▼ Jauh di bawah laju"
        ],
        "BREAKDOWN_2017"
    );
}

#[test]
fn the_actual_versus_target_chart_draws_targets_as_markers_not_bars() {
    let dir = copy_example();
    build(dir.path()).expect("builds");
    let text = read(dir.path(), ACTUAL_VS_TARGET);
    let doc = svg_doc(&text);
    // 2015 (sum of provinces, 831.189 billion), 2016 (956 billion) and 2017
    // so far (January to June, 538.965 billion): three bars; targets for
    // 2016 and 2017. (Their statuses: chart_bars_carry_the_status_key_of_their_period.)
    let bars = elements_with_class(&doc, "bar");
    assert_eq!(bars.len(), 3);
    assert_eq!(elements_with_class(&doc, "target").len(), 2);
    assert_eq!(
        texts_of_group(&doc, "value-labels"),
        ["Rp831 miliar", "Rp956 miliar", "Rp539 miliar"]
    );
    // The year in progress is labelled with the months it covers.
    assert_eq!(
        texts_of_group(&doc, "x-labels"),
        ["2015", "2016", "Jan–Jun 2017"]
    );
    // The 2017 bar, and only it, is in progress: drawn dashed.
    let dashed: Vec<bool> = bars
        .iter()
        .map(|b| b.attribute("stroke-dasharray").is_some())
        .collect();
    assert_eq!(
        dashed,
        [false, false, true],
        "the period in progress is shown as such"
    );
    assert!(
        bars[2]
            .attribute("class")
            .is_some_and(|c| c.split(' ').any(|x| x == "in-progress"))
    );
}

#[test]
fn a_page_shows_each_chart_with_its_data_table_and_png() {
    let dir = copy_example();
    build(dir.path()).expect("builds");
    let page = read(dir.path(), "public/regions/sulawesi-maluku/index.html");
    assert!(
        page.contains("<svg") && page.contains("role=\"img\""),
        "charts are inline SVG"
    );
    assert!(
        page.matches("<details>").count() >= 3,
        "each chart has its table"
    );
    // The table beside the 2016 breakdown holds the same data as its bars:
    // Sulawesi Selatan 392.615 of 300 billion, 130.9 %, achieved.
    let chart = html::chart(
        &page,
        "Iuran 2016: 5 dari 8 provinsi mencapai target; terbaik Sulawesi Selatan (130,9%)",
    );
    let table = html::one(chart, "details", None);
    assert_eq!(
        html::row(table, "Sulawesi Selatan").cells,
        [
            "Sulawesi Selatan",
            "Rp393 miliar",
            "Rp300 miliar",
            "130,9%",
            "✓ Tercapai"
        ],
        "the table holds the same data"
    );
    assert_eq!(
        html::row_keys(table).first().map(String::as_str),
        Some("Sulawesi Selatan"),
        "in the bars' order"
    );
    let png = std::fs::read(
        dir.path()
            .join("public/charts/sulawesi-maluku--contributions--breakdown--2016.png"),
    )
    .unwrap();
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n", "a real PNG");
    assert!(png.len() > 5000);
    assert!(
        page.contains(
            "<meta property=\"og:image\" content=\"https://rekap.example/charts/sulawesi-maluku--new-participants--actual-vs-target.png\">"
        ),
        "the page's preview image is its first chart"
    );
}

#[test]
fn labels_from_data_are_escaped_in_charts() {
    let dir = copy_example();
    replace_in(
        dir.path(),
        "content/data/entities.yaml",
        "    name: Gorontalo\n",
        "    name: \"R&D <Ops>\"\n",
    );
    build(dir.path()).expect("builds");
    let text = read(
        dir.path(),
        "public/charts/sulawesi-maluku--contributions--breakdown--2016.svg",
    );
    svg_doc(&text);
    assert!(text.contains("R&amp;D &lt;Ops&gt;"), "the name is text");
    assert!(!text.contains("<Ops>"), "never markup");
    let page = read(dir.path(), "public/regions/sulawesi-maluku/index.html");
    assert!(!page.contains("<Ops>"));
}

#[test]
fn charts_are_byte_identical_across_builds() {
    let a = copy_example();
    let b = copy_example();
    build(a.path()).unwrap();
    build(b.path()).unwrap();
    let sa = snapshot(&a.path().join("public"));
    let sb = snapshot(&b.path().join("public"));
    let charts = |s: &std::collections::BTreeMap<String, Vec<u8>>| -> Vec<(String, Vec<u8>)> {
        s.iter()
            .filter(|(p, _)| p.starts_with("charts/"))
            .map(|(p, b)| (p.clone(), b.clone()))
            .collect()
    };
    assert_eq!(charts(&sa), charts(&sb));
}

#[test]
fn a_chart_shortcode_places_the_chart_in_the_release() {
    let dir = copy_example();
    build(dir.path()).expect("builds");
    let page = read(
        dir.path(),
        "public/releases/2017-02-01-target-2017-sulawesi-maluku/index.html",
    );
    assert!(
        page.contains("class=\"chart chart-composition\""),
        "the named composition chart"
    );
    assert!(
        page.contains("class=\"chart chart-breakdown\""),
        "the cover chart"
    );
    assert!(
        page.contains(
            "<meta property=\"og:image\" content=\"https://rekap.example/charts/sulawesi-maluku--contributions--breakdown--2016.png\">"
        ),
        "the cover's PNG is the preview"
    );
}

#[test]
fn with_previews_only_the_charts_pages_show_first_get_a_png() {
    let dir = copy_example();
    replace_in(
        dir.path(),
        "content/site.yaml",
        "charts_png: all",
        "charts_png: previews",
    );
    build(dir.path()).unwrap_or_else(|e| panic!("{e}"));
    let out = dir.path().join("public");
    let pngs: Vec<String> = std::fs::read_dir(out.join("charts"))
        .expect("a charts folder")
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .filter(|n| n.ends_with(".png"))
        .collect();
    assert!(!pngs.is_empty());
    // Every preview image a page announces exists.
    let mut previews = 0;
    for (path, bytes) in snapshot(&out) {
        if !path.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8(bytes).unwrap();
        if let Some(i) = html.find("<meta property=\"og:image\" content=\"") {
            let url = &html[i + 35..];
            let url = &url[..url.find('"').unwrap()];
            let name = url.rsplit('/').next().unwrap();
            assert!(
                pngs.iter().any(|p| p == name),
                "{path} previews {url}, not written"
            );
            previews += 1;
        }
    }
    assert!(previews >= 10, "{previews} pages with a preview");
    // A year page's preview is its first chart; the year's other breakdowns get none.
    let year = read(dir.path(), "public/years/2017/index.html");
    let first = year.find("<svg").expect("a chart on the 2017 page");
    let slug_at = year[first..].find("charts/").map(|i| first + i);
    assert!(slug_at.is_some(), "the first chart links its PNG");
    let year_pngs = pngs
        .iter()
        .filter(|p| p.starts_with("sulawesi-maluku--") && p.ends_with("--breakdown--2017.png"))
        .count();
    assert_eq!(year_pngs, 1, "{pngs:?}");
    // Office-level charts are never previews.
    assert!(!pngs.iter().any(|p| p.starts_with("kc-manado")), "{pngs:?}");
}

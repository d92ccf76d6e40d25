//! Charts of months and quarters: a metric reported by month gets a trend of
//! its months and its year so far against the target's path; one reported by
//! quarter with quarterly targets gets quarter bars; a trend shortcode's
//! `period` draws up to that period, of its kind; a chart that would draw
//! nothing warns, and an argument a chart would not use is an error.

mod common;

use common::*;

/// The example with two more metrics for the Manado office: `claims`, by
/// month (every month of 2016, January to June 2017, 2017's target), and
/// `visits`, by quarter with quarterly targets.
fn with_months_and_quarters() -> tempfile::TempDir {
    let dir = copy_example();
    append(
        dir.path(),
        "content/data/metrics.yaml",
        "
  - id: claims
    name: {id: Klaim dibayar, en: Claims paid}
    unit: count
    aggregate: sum
    time: flow

  - id: visits
    name: {id: Kunjungan, en: Visits}
    unit: count
    aggregate: sum
    time: flow
",
    );
    let mut yaml = String::from("source: Uji bulanan\nfigures:\n");
    for m in 1..=12 {
        yaml.push_str(&format!(
            "  - {{entity: kc-manado, metric: claims, period: \"2016-{m:02}\", actual: 100}}\n"
        ));
    }
    yaml.push_str("  - {entity: kc-manado, metric: claims, period: 2017, target: 1460}\n");
    for m in 1..=6 {
        yaml.push_str(&format!(
            "  - {{entity: kc-manado, metric: claims, period: \"2017-{m:02}\", actual: 110}}\n"
        ));
    }
    for (q, actual, target) in [
        ("2016-Q1", 50, 40),
        ("2016-Q2", 55, 50),
        ("2016-Q3", 60, 60),
        ("2016-Q4", 65, 70),
        ("2017-Q1", 70, 80),
        ("2017-Q2", 75, 90),
    ] {
        yaml.push_str(&format!(
            "  - {{entity: kc-manado, metric: visits, period: \"{q}\", actual: {actual}, target: {target}}}\n"
        ));
    }
    write(dir.path(), "content/data/figures/zz-months.yaml", &yaml);
    dir
}

fn svg(dir: &std::path::Path, name: &str) -> String {
    read(dir, &format!("public/charts/{name}.svg"))
}

fn count(svg: &str, tag: &str, class: &str) -> usize {
    let doc = roxmltree::Document::parse(svg).expect("well-formed SVG");
    doc.descendants()
        .filter(|n| n.has_tag_name(tag))
        .filter(|n| {
            n.attribute("class")
                .is_some_and(|c| c.split(' ').any(|x| x == class))
        })
        .count()
}

/// The texts of the chart's `<g class="x-labels">`.
fn x_labels(svg: &str) -> Vec<String> {
    let doc = roxmltree::Document::parse(svg).expect("well-formed SVG");
    let g = doc
        .descendants()
        .find(|n| n.attribute("class") == Some("x-labels"))
        .expect("x labels");
    g.descendants()
        .filter(|n| n.has_tag_name("text"))
        .map(|n| n.text().unwrap_or("").to_string())
        .collect()
}

#[test]
fn a_monthly_metric_gets_a_trend_of_its_months_and_its_year_so_far() {
    let dir = with_months_and_quarters();
    build(dir.path()).unwrap_or_else(|e| panic!("builds:\n{e}"));
    let page = read(dir.path(), "public/regions/kc-manado/index.html");
    // The 18 months, January 2016 to June 2017, as a line.
    let months = svg(dir.path(), "kc-manado--claims--trend--months");
    assert_eq!(count(&months, "circle", "point"), 18);
    assert!(page.contains("kc-manado--claims--trend--months.svg"));
    // 2017 so far: six months of 110, a running total of 660 at June.
    let so_far = svg(dir.path(), "kc-manado--claims--cumulative--2017");
    assert_eq!(count(&so_far, "circle", "point"), 6, "January to June");
    assert_eq!(count(&so_far, "polyline", "pace"), 1, "the target's path");
    assert_eq!(count(&so_far, "polyline", "last-year"), 1, "2016 beside it");
    assert_eq!(count(&so_far, "polyline", "target"), 1, "the whole target");
    // The target's path by days: 181 of 365 days by June of 1 460 is 724;
    // 660 is 91.2 % of it: behind pace.
    let chart = html::chart(
        &page,
        "Klaim dibayar Jan–Jun 2017: 660, laju 91,2%, di bawah laju",
    );
    assert_eq!(
        html::row(html::one(chart, "details", None), "Juni 2017").cells,
        ["Juni 2017", "660", "724", "600"]
    );
    assert_eq!(
        html::text(html::one(chart, "span", Some("chart-subtitle"))),
        "Jumlah · Kantor Cabang Manado · 2017, sejak awal tahun"
    );
}

#[test]
fn quarters_with_targets_get_quarter_bars_and_a_trend_shortcode_draws_up_to_its_period() {
    let dir = with_months_and_quarters();
    write(
        dir.path(),
        "content/pages/uji.md",
        "---\ntitle: Uji\n---\n\n{{< chart kind=\"trend\" entity=\"kc-manado\" metric=\"visits\" period=\"2017-Q1\" >}}\n\n{{< chart kind=\"trend\" entity=\"kc-manado\" metric=\"visits\" >}}\n",
    );
    build(dir.path()).unwrap_or_else(|e| panic!("builds:\n{e}"));
    let bars = svg(dir.path(), "kc-manado--visits--actual-vs-target--quarters");
    assert_eq!(count(&bars, "rect", "bar"), 6);
    assert_eq!(count(&bars, "rect", "target"), 6);
    // Up to the first quarter of 2017: five quarters, the last one Q1 2017.
    let upto = svg(dir.path(), "kc-manado--visits--trend--2017-Q1");
    assert_eq!(count(&upto, "circle", "point"), 5);
    // Labels too long for their slot take two lines: the last two are Q1 2017's.
    assert!(
        x_labels(&upto).join(" ").ends_with("Triwulan I 2017"),
        "{:?}",
        x_labels(&upto)
    );
    // Without a period, a metric reported by quarter draws its quarters.
    let latest = svg(dir.path(), "kc-manado--visits--trend--quarters");
    assert_eq!(count(&latest, "circle", "point"), 6);
    let page = read(dir.path(), "public/uji/index.html");
    assert!(page.contains("kc-manado--visits--trend--2017-Q1.svg"));
}

#[test]
fn a_chart_that_would_draw_nothing_warns_with_its_place() {
    let dir = copy_example();
    write(
        dir.path(),
        "content/pages/uji.md",
        "---\ntitle: Uji\n---\n\nNo targets for new participants in 2016:\n\n{{< chart kind=\"breakdown\" metric=\"new-participants\" entity=\"sulawesi-maluku\" period=2016 >}}\n",
    );
    let report = build(dir.path()).unwrap_or_else(|e| panic!("builds:\n{e}"));
    let w = report
        .warnings
        .iter()
        .find(|d| d.message.contains("draws nothing"))
        .unwrap_or_else(|| panic!("a warning: {}", listing(&report.warnings)));
    assert_eq!(w.origin.file, "content/pages/uji.md");
    assert_eq!(w.origin.pos.line, 7);
    // With --strict it is an error.
    let errors = content_errors(check(dir.path(), true));
    assert!(
        errors.iter().any(|d| d.message.contains("draws nothing")),
        "{}",
        listing(&errors)
    );
}

#[test]
fn an_argument_a_chart_would_not_use_is_an_error_with_its_place() {
    let dir = copy_example();
    write(
        dir.path(),
        "content/pages/uji.md",
        "---\ntitle: Uji\n---\n\n{{< chart kind=\"trend\" metric=\"contributions\" metrics=\"wage-earners,non-wage-earners\" >}}\n",
    );
    let errors = content_errors(build(dir.path()));
    let e = errors
        .iter()
        .find(|d| d.message.contains("does not use `metrics`"))
        .unwrap_or_else(|| panic!("an error: {}", listing(&errors)));
    assert_eq!(
        (e.origin.file.as_str(), e.origin.pos.line),
        ("content/pages/uji.md", 5)
    );
}

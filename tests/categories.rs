//! Figures broken down by category: declared dimensions, figures `by` a
//! category, their share of the whole, the check that a complete set adds up
//! to its total, and the total taken from its categories when not recorded.

mod common;

use common::figures::{figure, read as read_figures};
use common::*;

const DIMENSIONS: &str = "content/data/dimensions.yaml";
const BY_TYPE: &str = "content/data/figures/new-participants-by-type.yaml";
const EXAMPLE_BY_TYPE: &str = "content/data/figures/active-participants-by-type-illustrative.yaml";

/// The tests' own dimension in place of the example's (whose participant
/// types and figures by type go with it).
fn dimensions(dir: &std::path::Path) {
    std::fs::remove_file(dir.join(EXAMPLE_BY_TYPE)).expect("the example's figures by type");
    write(
        dir,
        DIMENSIONS,
        "dimensions:\n  - id: type\n    name: {id: Jenis peserta, en: Participant type}\n    categories:\n      - {id: wage-earner, name: {id: Penerima upah, en: Wage earners}}\n      - {id: non-wage-earner, name: {id: Bukan penerima upah, en: Non-wage earners}}\n",
    );
}

/// New participants of the region and of Gorontalo in 2016, by type (the
/// example's illustrative split: 449 312 + 128 646 = 577 958 for the region,
/// 28 212 + 10 972 = 39 184 for Gorontalo).
fn by_type(wage_region: u64) -> String {
    format!(
        "source: \"Ilustratif\"\nfigures:\n  - {{entity: sulawesi-maluku, metric: new-participants, period: 2016, actual: {wage_region}, by: {{type: wage-earner}}}}\n  - {{entity: sulawesi-maluku, metric: new-participants, period: 2016, actual: 128646, by: {{type: non-wage-earner}}}}\n  - {{entity: gorontalo, metric: new-participants, period: 2016, actual: 28212, by: {{type: wage-earner}}}}\n  - {{entity: gorontalo, metric: new-participants, period: 2016, actual: 10972, by: {{type: non-wage-earner}}}}\n"
    )
}

#[test]
fn figures_by_category_are_tabulated_charted_and_downloaded_with_their_share() {
    let dir = copy_example();
    dimensions(dir.path());
    write(dir.path(), BY_TYPE, &by_type(449_312));
    let report = build(dir.path()).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        !report
            .warnings
            .iter()
            .any(|d| d.message.contains("categories")),
        "{}",
        listing(&report.warnings)
    );
    let rows = read_figures(&dir.path().join("public/data/figures.json"));
    let wage = rows
        .iter()
        .find(|r| {
            r.entity == "sulawesi-maluku"
                && r.fields
                    .get("by")
                    .is_some_and(|b| *b == common::figures::Json::String("type=wage-earner".into()))
        })
        .expect("the region's wage-earner row");
    assert_eq!(wage.actual, Some(449_312.0));
    let region = page(dir.path(), "regions/sulawesi-maluku/index.html");
    // 449 312 / 577 958 = 77,7 %
    let table = html::titled(
        &region,
        "section",
        Some("categories"),
        "Peserta baru: per jenis peserta",
    );
    assert_eq!(
        html::row(table, "Penerima upah").cells,
        ["Penerima upah", "449 ribu (77,7%)"],
        "the wage-earner row"
    );
    // On a phone the cell says which period it is for.
    assert_eq!(
        html::attr(
            html::one(html::row(table, "Penerima upah").html, "td", None),
            "data-label"
        ),
        Some("2016")
    );
    assert!(
        region.contains("Orang · Sulawesi dan Maluku, per jenis peserta · 2016"),
        "the categories chart"
    );
}

#[test]
fn categories_that_do_not_add_up_to_their_total_are_a_warning_with_both_numbers() {
    let dir = copy_example();
    dimensions(dir.path());
    write(dir.path(), BY_TYPE, &by_type(449_000));
    let warnings = check(dir.path(), false).unwrap_or_else(|e| panic!("{e}"));
    let w: Vec<_> = warnings
        .iter()
        .filter(|d| d.message.contains("categories by `type`"))
        .collect();
    assert_eq!(w.len(), 1, "{}", listing(&warnings));
    assert!(
        w[0].message.contains("reports 577958 for `new-participants` 2016, but its categories by `type` add up to 577646"),
        "{}",
        w[0]
    );
    assert_eq!(w[0].origin.file, "content/data/figures/2016.yaml");
    let errors = content_errors(check(dir.path(), true));
    assert!(
        errors
            .iter()
            .any(|d| d.message.contains("categories by `type`"))
    );
}

#[test]
fn a_total_not_recorded_is_the_sum_of_its_categories() {
    let dir = copy_example();
    dimensions(dir.path());
    // Gorontalo's 2016 new participants are recorded (39 184); remove them so
    // they come from the two types.
    replace_in(
        dir.path(),
        "content/data/figures/provinces-illustrative.yaml",
        "  - {entity: gorontalo,         metric: new-participants, period: 2016, actual: 39184}\n",
        "",
    );
    write(dir.path(), BY_TYPE, &by_type(449_312));
    build(dir.path()).unwrap_or_else(|e| panic!("{e}"));
    let r = figure(dir.path(), "gorontalo", "new-participants", "2016");
    assert_eq!(r.actual, Some(39_184.0));
    assert_eq!(r.actual_from, "from_categories");
}

#[test]
fn an_unknown_category_is_an_error_with_the_nearest() {
    let dir = copy_example();
    dimensions(dir.path());
    write(
        dir.path(),
        BY_TYPE,
        &by_type(449_312).replace(
            "type: non-wage-earner}}\n  - {entity: gorontalo",
            "type: non-wage-earners}}\n  - {entity: gorontalo",
        ),
    );
    let errors = content_errors(check(dir.path(), false));
    assert_eq!(errors.len(), 1, "{}", listing(&errors));
    assert!(
        errors[0]
            .message
            .contains("unknown category `non-wage-earners` of dimension `type`"),
        "{}",
        errors[0]
    );
    assert_eq!(
        errors[0].help.as_deref(),
        Some("did you mean `non-wage-earner`?")
    );
    assert_eq!(errors[0].origin.file, BY_TYPE);
}

#[test]
fn two_charts_of_one_metric_by_different_dimensions_each_show_their_own() {
    // Each chart is rendered once per build and shared by every body that
    // places the same one: charts that differ only in `by` are not the same.
    let dir = copy_example();
    dimensions(dir.path());
    append(
        dir.path(),
        DIMENSIONS,
        "  - id: sex\n    name: {id: Jenis kelamin, en: Sex}\n    categories:\n      - {id: female, name: {id: Perempuan, en: Women}}\n      - {id: male, name: {id: Laki-laki, en: Men}}\n",
    );
    write(dir.path(), BY_TYPE, &by_type(449_312));
    write(
        dir.path(),
        "content/data/figures/new-participants-by-sex.yaml",
        "source: \"Ilustratif\"\nfigures:\n  - {entity: sulawesi-maluku, metric: new-participants, period: 2016, actual: 300000, by: {sex: female}}\n  - {entity: sulawesi-maluku, metric: new-participants, period: 2016, actual: 277958, by: {sex: male}}\n",
    );
    let release = "content/releases/2017-02-01-target-2017-sulawesi-maluku.md";
    append(
        dir.path(),
        release,
        "\n{{< chart kind=\"categories\" metric=\"new-participants\" by=\"type\" period=2016 >}}\n\n{{< chart kind=\"categories\" metric=\"new-participants\" by=\"sex\" period=2016 >}}\n",
    );
    let report = build(dir.path()).unwrap_or_else(|e| panic!("{e}"));
    assert!(report.warnings.is_empty(), "{}", listing(&report.warnings));
    let html = page(
        dir.path(),
        "releases/2017-02-01-target-2017-sulawesi-maluku/index.html",
    );
    for by in ["per jenis peserta", "per jenis kelamin"] {
        assert!(
            html.contains(&format!("Orang · Sulawesi dan Maluku, {by} · 2016")),
            "the chart {by}"
        );
    }
}

//! Whether the figures a site shows are true, on small fixture sites written
//! by each test: a metric where lower is better, monthly actuals under an
//! annual target, a percentage with two decimals, a rate per 100 000, a
//! stock, quarters only, a financial year, and the two vocabularies of
//! status (a closed period: achieved, nearly achieved, missed; a period in
//! progress: ahead, on pace, behind, far behind).
//!
//! Every expected value is worked out by hand from the fixture in a comment.
//! Tests marked `#[ignore = "product bug: ..."]` state the correct
//! behaviour and fail with today's product (each was run and seen to fail,
//! and the reason says what the product writes instead); the engineer who
//! fixes the bug removes the `ignore`.

mod common;

use std::path::Path;

use common::*;

/// The region of every fixture; its provinces are its children.
const REGION: &str = "wilayah";

/// A site in a new temporary folder: `site.yaml` in `language`, the
/// `entities` and `metrics` lists (YAML list items), and figure files
/// (`content/data/figures/<name>`, text as given).
fn fixture(
    language: &str,
    entities: &str,
    metrics: &str,
    figure_files: &[(&str, &str)],
) -> tempfile::TempDir {
    fixture_with_site(language, "", entities, metrics, figure_files)
}

/// Like [`fixture`], with `site_extra` (whole YAML lines) added to `site.yaml`.
fn fixture_with_site(
    language: &str,
    site_extra: &str,
    entities: &str,
    metrics: &str,
    figure_files: &[(&str, &str)],
) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let root = dir.path();
    write(
        root,
        "content/site.yaml",
        &format!(
            "title: Uji kebenaran\nbase_url: https://uji.example/\nlanguage: {language}\n\
             default_entity: {REGION}\ncharts_png: none\n{site_extra}"
        ),
    );
    write(
        root,
        "content/data/entities.yaml",
        &format!("entities:\n  - {{id: {REGION}, name: Wilayah Uji, kind: region}}\n{entities}"),
    );
    write(
        root,
        "content/data/metrics.yaml",
        &format!("metrics:\n{metrics}"),
    );
    for (name, text) in figure_files {
        write(root, &format!("content/data/figures/{name}"), text);
    }
    dir
}

/// Builds the fixture at `dir`, which must build without warnings.
fn build_clean(dir: &Path) {
    let report = build(dir).unwrap_or_else(|e| panic!("the fixture must build:\n{e}"));
    assert!(
        report.warnings.is_empty(),
        "the fixture builds without warnings:\n{}",
        listing(&report.warnings)
    );
}

/// The status the default thresholds (`achieved: 1.0`, `nearly: 0.95`)
/// give a closed period's performance.
fn closed_status_of(performance: f64) -> &'static str {
    if performance >= 1.0 {
        "achieved"
    } else if performance >= 0.95 {
        "nearly"
    } else {
        "missed"
    }
}

/// A percentage as an Indonesian page writes it (`166,7%`, or `60,0% dari
/// batas` for a share of a ceiling), as a ratio.
fn id_percent(s: &str) -> f64 {
    let n = s
        .trim_end_matches(" dari batas")
        .strip_suffix('%')
        .unwrap_or_else(|| panic!("{s:?} is not a percentage"))
        .replace('.', "")
        .replace(',', ".");
    n.parse::<f64>()
        .unwrap_or_else(|_| panic!("{s:?} is not a percentage"))
        / 100.0
}

/// The status key of a status word on an Indonesian page (`✓ Tercapai`).
fn id_status(word: &str) -> &'static str {
    match word {
        "✓ Tercapai" => "achieved",
        "≈ Hampir tercapai" => "nearly",
        "✗ Tidak tercapai" => "missed",
        "▲ Di atas laju" => "ahead",
        "↗ Sesuai laju" => "on_pace",
        "↘ Di bawah laju" => "behind",
        "▼ Jauh di bawah laju" => "far_behind",
        other => panic!("not a status with a target and an actual: {other:?}"),
    }
}

// ------------------------------------------------------- lower is better
//
// Work accidents in 2016 against a ceiling (the target is a maximum), in four
// provinces of the region; the region's figures are the mean of theirs.
//
// | province | ceiling | actual | attainment = actual / ceiling | performance = ceiling / actual | status (closed) |
// | Alpha    |      80 |     48 | 60,0 % of the ceiling         | 80 / 48  = 1.667              | achieved        |
// | Beta     |     120 |    108 | 90,0 % of the ceiling         | 120 / 108 = 1.111             | achieved        |
// | Gamma    |      50 |     52 | 104,0 % of the ceiling        | 50 / 52  = 0.962              | nearly achieved |
// | Delta    |     150 |    196 | 130,7 % of the ceiling        | 150 / 196 = 0.765             | missed          |
//
// Best first (by performance): Alpha, Beta, Gamma, Delta. The region:
// actual (48 + 108 + 52 + 196) / 4 = 101, ceiling (80 + 120 + 50 + 150) / 4
// = 100; attainment 101,0 % of the ceiling, performance 100 / 101 = 0.990:
// nearly achieved.

const ACCIDENTS_ENTITIES: &str = r"  - {id: alpha, name: Alpha, kind: province, parent: wilayah}
  - {id: beta, name: Beta, kind: province, parent: wilayah}
  - {id: gamma, name: Gamma, kind: province, parent: wilayah}
  - {id: delta, name: Delta, kind: province, parent: wilayah}
";

const ACCIDENTS_METRIC: &str = r"  - id: work-accidents
    name: {id: Kecelakaan kerja, en: Work accidents}
    unit: count
    aggregate: mean
    direction: lower
";

const ACCIDENTS_FIGURES: &str = r"source: Uji
figures:
  - {entity: alpha, metric: work-accidents, period: 2016, target: 80, actual: 48}
  - {entity: beta, metric: work-accidents, period: 2016, target: 120, actual: 108}
  - {entity: gamma, metric: work-accidents, period: 2016, target: 50, actual: 52}
  - {entity: delta, metric: work-accidents, period: 2016, target: 150, actual: 196}
";

/// The work-accidents fixture, built.
fn accidents() -> tempfile::TempDir {
    let dir = fixture(
        "id",
        ACCIDENTS_ENTITIES,
        ACCIDENTS_METRIC,
        &[("2016.yaml", ACCIDENTS_FIGURES)],
    );
    build_clean(dir.path());
    dir
}

/// The provinces and their statuses in the table above, best first.
const ACCIDENTS_BEST_FIRST: [(&str, &str); 4] = [
    ("alpha", "achieved"),
    ("beta", "achieved"),
    ("gamma", "nearly"),
    ("delta", "missed"),
];

#[test]
fn when_lower_is_better_each_province_is_judged_under_its_ceiling() {
    let dir = accidents();
    for (id, status) in ACCIDENTS_BEST_FIRST {
        let r = figure(dir.path(), id, "work-accidents", "2016");
        let (actual, ceiling) = (r.actual.expect("an actual"), r.target.expect("a ceiling"));
        assert_eq!(r.performance, Some(ceiling / actual), "{id}");
        assert_eq!(r.attainment, Some(actual / ceiling), "{id}");
        assert_eq!(r.status, status, "{id}");
    }
}

#[test]
fn when_lower_is_better_a_region_takes_the_mean_of_its_provinces_and_is_judged_under_its_ceiling() {
    let dir = accidents();
    let r = figure(dir.path(), REGION, "work-accidents", "2016");
    assert_eq!(r.actual, Some((48.0 + 108.0 + 52.0 + 196.0) / 4.0));
    assert_eq!(r.actual_from, "aggregated");
    assert_eq!(r.target, Some((80.0 + 120.0 + 50.0 + 150.0) / 4.0));
    assert_eq!(r.performance, Some(100.0 / 101.0));
    assert_eq!(r.status, "nearly", "101 against a ceiling of 100");
    assert_eq!(r.status_display, "Hampir tercapai");
    let page = read(dir.path(), "public/regions/wilayah/index.html");
    let row = html::row(html::series_table(&page, "Kecelakaan kerja"), "2016");
    assert_eq!(
        (
            row.cells[1].as_str(),
            row.cells[2].as_str(),
            row.cells[3].as_str()
        ),
        // x̄: the mean of the provinces, not a sum.
        ("101x\u{304}", "100", "101,0% dari batas")
    );
    assert_eq!(row.cells[6], "≈ Hampir tercapai");
}

#[test]
fn when_lower_is_better_the_ranking_puts_the_one_furthest_under_its_ceiling_first() {
    let dir = accidents();
    for page in ["public/regions/wilayah/index.html", "public/index.html"] {
        let text = read(dir.path(), page);
        let ranking = html::breakdown(&text, "Kecelakaan kerja, 2016: per provinsi");
        assert_eq!(
            html::row_keys(ranking),
            ["Alpha", "Beta", "Gamma", "Delta"],
            "{page}: best (furthest under the ceiling) first"
        );
        let rows = html::rows(ranking);
        let ranks: Vec<&str> = rows.iter().map(|r| r.cells[0].as_str()).collect();
        assert_eq!(ranks, ["1", "2", "3", "4"], "{page}");
        assert!(rows[0].has_class("best"), "{page}: {}", rows[0].html);
        assert_eq!(rows[0].cells[1], "Alpha Terbaik", "{page}");
        assert!(rows[3].has_class("lagging"), "{page}: {}", rows[3].html);
        assert_eq!(rows[3].cells[1], "Delta Tertinggal", "{page}");
        for r in &rows[1..3] {
            assert!(
                !r.has_class("best") && !r.has_class("lagging"),
                "{page}: {}",
                r.html
            );
        }
    }
}

#[test]
fn when_lower_is_better_the_breakdown_chart_draws_the_best_first() {
    let dir = accidents();
    let page = read(dir.path(), "public/regions/wilayah/index.html");
    let chart = html::chart(
        &page,
        "Kecelakaan kerja 2016: 2 dari 4 provinsi mencapai target; terbaik Alpha (60,0% dari batas)",
    );
    // The wide layout (a narrow one follows it for phones).
    let svg = html::one(html::one(chart, "div", Some("chart-wide")), "svg", None);
    let doc = roxmltree::Document::parse(svg).expect("well-formed SVG");
    let group = |class: &str| -> Vec<roxmltree::Node> {
        let g = doc
            .descendants()
            .find(|n| n.has_tag_name("g") && n.attribute("class") == Some(class))
            .unwrap_or_else(|| panic!("a <g class=\"{class}\">"));
        g.children().filter(|n| n.is_element()).collect()
    };
    let names: Vec<&str> = group("names").iter().filter_map(|n| n.text()).collect();
    assert_eq!(names, ["Alpha", "Beta", "Gamma", "Delta"]);
    let statuses: Vec<&str> = group("bars")
        .iter()
        .filter_map(|n| n.attribute("data-status"))
        .collect();
    assert_eq!(statuses, ["achieved", "achieved", "nearly", "missed"]);
}

/// Each entity's attainment as the downloads and pages write it: actual /
/// ceiling, as a share of the ceiling (see the table above).
const ACCIDENTS_ATTAINMENT: [(&str, &str); 5] = [
    ("wilayah", "101,0% dari batas"),
    ("alpha", "60,0% dari batas"),
    ("beta", "90,0% dari batas"),
    ("gamma", "104,0% dari batas"),
    ("delta", "130,7% dari batas"),
];

#[test]
fn when_lower_is_better_the_attainment_beside_a_status_reads_as_a_share_of_the_ceiling() {
    // Attainment stays actual / ceiling, and is written as the share of the
    // ceiling used; the status beside it follows the performance, ceiling /
    // actual: Alpha's 48 under a ceiling of 80 is "60,0 % of the ceiling,
    // achieved", never "60 %, achieved".
    let dir = accidents();
    let page = read(dir.path(), "public/regions/wilayah/index.html");
    let ranking = html::breakdown(&page, "Kecelakaan kerja, 2016: per provinsi");
    for row in html::rows(ranking) {
        // Rank, entity, actual, ceiling, attainment, status.
        let (actual, ceiling) = (
            row.cells[2].parse::<f64>().expect("a count"),
            row.cells[3].parse::<f64>().expect("a count"),
        );
        assert!(
            (id_percent(&row.cells[4]) - actual / ceiling).abs() < 0.0005,
            "{}: {}",
            row.key,
            row.cells[4]
        );
        assert!(row.cells[4].ends_with("% dari batas"), "{}", row.cells[4]);
        assert_eq!(
            closed_status_of(ceiling / actual),
            id_status(&row.cells[5]),
            "{}: {} beside {}",
            row.key,
            row.cells[4],
            row.cells[5]
        );
    }
    let own = html::row(html::series_table(&page, "Kecelakaan kerja"), "2016");
    assert_eq!(
        (own.cells[3].as_str(), id_status(&own.cells[6])),
        ("101,0% dari batas", closed_status_of(100.0 / 101.0)),
        "the region"
    );
}

#[test]
fn when_lower_is_better_the_downloads_write_the_attainment_as_a_share_of_the_ceiling() {
    let dir = accidents();
    for (id, shown) in ACCIDENTS_ATTAINMENT {
        let r = figure(dir.path(), id, "work-accidents", "2016");
        let (actual, ceiling) = (r.actual.expect("an actual"), r.target.expect("a ceiling"));
        assert_eq!(r.attainment, Some(actual / ceiling), "{id}");
        assert_eq!(r.status, closed_status_of(ceiling / actual), "{id}");
        assert_eq!(
            r.attainment_display, shown,
            "{id} beside {}",
            r.status_display
        );
    }
}

// ------------------------------------------------- months under a year
//
// New participants of the region, month by month: 100 a month through 2016
// (Q1 to Q4: 300 each; the year: 1 200; January to June: 600) and 110 a
// month from January to June 2017 (Q1 and Q2: 330 each; the half year: 660).
// Annual targets: 1 000 for 2016, 1 300 for 2017. New companies: the same
// monthly actuals, with a 2017 target of 600.
//
// - 2016: twelve complete months, a closed year: 1 200 of 1 000 = 120 %:
//   achieved.
// - 2017 so far: January to June, a year to date as of 30 June 2017 (the
//   last day covered): 660 of 1 300 = 50.8 %; expected by then 1 300 × 181
//   / 365 = 644.66, pace 660 / 644.66 = 1.02380: on pace (≥ 0.95, under
//   1.05), 640 short of the target: not achieved. New companies: 660 of 600
//   = 110 %: the full target is met in the first half: achieved.
// - Growth, like with like: January to June 2017 (660) against January to
//   June 2016 (600) = +10 %; not against the whole of 2016 (660 / 1 200 − 1
//   = −45 %).

const MONTHS_METRICS: &str = r"  - id: new-participants
    name: {id: Peserta baru, en: New participants}
    unit: people
    aggregate: sum
  - id: new-companies
    name: {id: Perusahaan baru, en: New companies}
    unit: count
    aggregate: sum
";

fn months_figures() -> String {
    let mut y = String::from("source: Uji\nfigures:\n");
    for metric in ["new-participants", "new-companies"] {
        for m in 1..=12 {
            y.push_str(&format!(
                "  - {{entity: wilayah, metric: {metric}, period: \"2016-{m:02}\", actual: 100}}\n"
            ));
        }
        for m in 1..=6 {
            y.push_str(&format!(
                "  - {{entity: wilayah, metric: {metric}, period: \"2017-{m:02}\", actual: 110}}\n"
            ));
        }
    }
    y.push_str("  - {entity: wilayah, metric: new-participants, period: 2016, target: 1000}\n");
    y.push_str("  - {entity: wilayah, metric: new-participants, period: 2017, target: 1300}\n");
    y.push_str("  - {entity: wilayah, metric: new-companies, period: 2017, target: 600}\n");
    y
}

/// The monthly fixture, built.
fn months() -> tempfile::TempDir {
    let dir = fixture(
        "id",
        "",
        MONTHS_METRICS,
        &[("months.yaml", &months_figures())],
    );
    build_clean(dir.path());
    dir
}

#[test]
fn monthly_actuals_are_tracked_month_by_month() {
    // Each month is a figure, compared with the same month a year earlier
    // (the default, `compare: year`): January 2017 with January 2016.
    let dir = months();
    let jan = figure(dir.path(), REGION, "new-participants", "2017-01");
    assert_eq!(jan.actual, Some(110.0));
    assert_eq!(jan.period_kind, "month");
    assert_eq!(
        (jan.growth, jan.compared_with.as_str()),
        (Some(110.0 / 100.0 - 1.0), "2016-01"),
        "over January 2016"
    );
    assert_eq!(jan.status, "no_data", "no monthly target");
}

#[test]
fn a_whole_year_of_monthly_actuals_is_the_year_s_actual() {
    let dir = months();
    let r = figure(dir.path(), REGION, "new-participants", "2016");
    assert_eq!(r.actual, Some(1200.0), "12 × 100");
    assert_eq!(r.actual_from, "rolled_up");
    assert_eq!(r.as_of, "", "twelve complete months: a closed year");
    assert_eq!(r.target, Some(1000.0));
    assert_eq!(r.attainment, Some(1200.0 / 1000.0));
    assert_eq!(r.status, "achieved");
    let page = read(dir.path(), "public/regions/wilayah/index.html");
    let row = html::row(html::series_table(&page, "Peserta baru"), "2016");
    // Compact, the full number in the cell's title; no Σ, which marks a sum
    // of the breakdown, not of months.
    assert_eq!(
        (
            row.cells[1].as_str(),
            row.cells[3].as_str(),
            row.cells[6].as_str()
        ),
        ("1,2 ribu", "120,0%", "✓ Tercapai"),
        "{:?}",
        row.cells
    );
    assert!(row.html.contains(r#"title="1.200""#), "{}", row.html);
}

#[test]
fn a_quarter_of_monthly_actuals_is_the_quarter_s_actual() {
    let dir = months();
    for (q, sum) in [
        ("2016-Q1", 300.0),
        ("2016-Q4", 300.0),
        ("2017-Q1", 330.0),
        ("2017-Q2", 330.0),
    ] {
        let r = try_figure(dir.path(), REGION, "new-participants", q)
            .unwrap_or_else(|| panic!("no {q} figure: a quarter is the sum of its three months"));
        assert_eq!(r.actual, Some(sum), "{q}");
        assert_eq!(
            (
                r.period_kind.as_str(),
                r.actual_from.as_str(),
                r.as_of.as_str()
            ),
            ("quarter", "rolled_up", ""),
            "{q}"
        );
    }
}

#[test]
fn half_a_year_of_months_is_not_achieved_unless_the_full_year_target_is_met() {
    let dir = months();
    let r = figure(dir.path(), REGION, "new-participants", "2017");
    assert_eq!(r.actual, Some(660.0), "January to June, 6 × 110");
    assert_eq!(r.actual_from, "rolled_up");
    assert_eq!(r.as_of, "2017-06-30", "the last day the months cover");
    assert_eq!(r.attainment, Some(660.0 / 1300.0));
    let expected = 1300.0 * (181.0 / 365.0);
    assert_eq!(
        (r.expected, r.pace),
        (Some(expected), Some(660.0 / expected))
    );
    assert_eq!(
        r.status, "on_pace",
        "a little over the pace, 640 short of the year's target: not achieved"
    );
    let met = figure(dir.path(), REGION, "new-companies", "2017");
    assert_eq!(met.actual, Some(660.0));
    assert_eq!(met.status, "achieved", "660 of a 600 target");
}

#[test]
fn growth_of_half_a_year_compares_it_with_the_same_half_of_the_year_before() {
    let dir = months();
    let r = figure(dir.path(), REGION, "new-participants", "2017");
    assert_eq!(
        (r.growth, r.compared_with.as_str()),
        (Some(660.0 / 600.0 - 1.0), "2016-01/2016-06"),
        "January to June 2017 against January to June 2016: 660 / 600 − 1 = +10 %, \
         not 660 / 1 200 − 1 = −45 %"
    );
    let page = read(dir.path(), "public/regions/wilayah/index.html");
    let row = html::row(
        html::series_table(&page, "Peserta baru"),
        "2017 (Jan–Jun 2017)",
    );
    assert_eq!(row.cells[4], "+10,0%", "{:?}", row.cells);
}

#[test]
fn a_year_to_date_actual_a_little_over_the_pace_is_on_pace_not_achieved() {
    // The example: Sulawesi Selatan's 2017 contributions by 30 June, 231 920
    // of a 446 000 million target = 52.0 %, with 181 of 365 days gone:
    // expected 446 000 × 181 / 365 = 221 167.1 million, pace 231 920 /
    // 221 167.1 = 1.04862: on pace (≥ 0.95, under 1.05 for ahead), and
    // 214 080 million short of the year's target: not achieved.
    let dir = copy_example();
    build(dir.path()).expect("the example builds");
    let r = figure(dir.path(), "sulawesi-selatan", "contributions", "2017");
    assert_eq!(r.as_of, "2017-06-30");
    assert_eq!(r.attainment, Some(231_920_000_000.0 / 446_000_000_000.0));
    let expected = 446_000_000_000.0 * (181.0 / 365.0);
    assert_eq!(
        (r.expected, r.pace),
        (Some(expected), Some(231_920_000_000.0 / expected))
    );
    assert_eq!(r.status, "on_pace");
}

// ------------------------------------------- a percentage with two decimals
//
// An uptake rate (a percentage, `decimals: 2`), 2016: Utara 0.38 % and
// Selatan 0.44 % against 0.45 %; the region's is their mean, (0.38 + 0.44)
// / 2 = 0.41 %. Indonesian pages write 0,38 %; English ones 0.38 %; never
// rounded to 0,4 % or 0. (Without `decimals`, a percentage shows one
// decimal: 0,4 %.)

const RATE_ENTITIES: &str = r"  - {id: utara, name: Utara, kind: province, parent: wilayah}
  - {id: selatan, name: Selatan, kind: province, parent: wilayah}
";

const RATE_METRIC: &str = r"  - id: uptake-rate
    name: {id: Tingkat kepesertaan, en: Uptake rate}
    unit: percent
    decimals: 2
    aggregate: mean
";

/// The rates as an Indonesian spreadsheet saves them: decimal commas, `;`.
const RATE_CSV: &str = r"# decimal: comma
entity;metric;period;target;actual;source
utara;uptake-rate;2016;0,45;0,38;Uji
selatan;uptake-rate;2016;0,45;0,44;Uji
";

const RATE_YAML: &str = r"source: Uji
figures:
  - {entity: utara, metric: uptake-rate, period: 2016, target: 0.45, actual: 0.38}
  - {entity: selatan, metric: uptake-rate, period: 2016, target: 0.45, actual: 0.44}
";

fn rates(language: &str, files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = fixture(language, RATE_ENTITIES, RATE_METRIC, files);
    build_clean(dir.path());
    dir
}

#[test]
fn a_rate_written_with_a_decimal_comma_downloads_as_the_number_it_is() {
    let dir = rates("id", &[("rates.csv", RATE_CSV)]);
    let r = figure(dir.path(), "utara", "uptake-rate", "2016");
    assert_eq!((r.actual, r.target), (Some(0.38), Some(0.45)));
    let region = figure(dir.path(), REGION, "uptake-rate", "2016");
    assert_eq!(region.actual, Some((0.38 + 0.44) / 2.0));
}

/// Checks that the rate fixture in `dir` shows 0.38 of 0.45 for Utara and
/// the region's 0.41, written `point` for the decimal mark (`,` or `.`).
fn assert_rates_keep_two_decimals(dir: &Path, point: char, rate_name: &str) {
    let shown = |s: &str| s.replace('.', &point.to_string());
    let r = figure(dir, "utara", "uptake-rate", "2016");
    assert_eq!(r.actual_display, shown("0.38%"), "the download");
    assert_eq!(r.target_display, shown("0.45%"), "the download");
    let region = figure(dir, REGION, "uptake-rate", "2016");
    assert_eq!(region.actual_display, shown("0.41%"), "the download");

    let page = read(dir, "public/regions/utara/index.html");
    let row = html::row(html::series_table(&page, rate_name), "2016");
    assert_eq!(
        (row.cells[1].as_str(), row.cells[2].as_str()),
        (shown("0.38%").as_str(), shown("0.45%").as_str()),
        "Utara's own table: {:?}",
        row.cells
    );
    let card = html::card(&page, rate_name);
    assert_eq!(
        html::text(html::one(card, "p", Some("big"))),
        shown("0.38%"),
        "Utara's card"
    );
    let home = read(dir, "public/index.html");
    let big = html::one(html::card(&home, rate_name), "p", Some("big"));
    assert_eq!(html::text(big), shown("0.41%"), "the region's card");
}

#[test]
fn a_rate_with_two_decimals_keeps_them_on_an_indonesian_site() {
    let dir = rates("id", &[("rates.csv", RATE_CSV)]);
    assert_rates_keep_two_decimals(dir.path(), ',', "Tingkat kepesertaan");
}

#[test]
fn a_rate_with_two_decimals_keeps_them_on_an_english_site() {
    let dir = rates("en", &[("rates.yaml", RATE_YAML)]);
    assert_rates_keep_two_decimals(dir.path(), '.', "Uptake rate");
}

#[test]
fn a_percentage_shows_one_decimal_unless_the_metric_sets_decimals() {
    // The uptake rate without `decimals: 2`: 0.38 % is written 0,4 %, the
    // region's 0.41 % also 0,4 %.
    let metric = RATE_METRIC.replace("    decimals: 2\n", "");
    let dir = fixture("id", RATE_ENTITIES, &metric, &[("rates.yaml", RATE_YAML)]);
    build_clean(dir.path());
    let r = figure(dir.path(), "utara", "uptake-rate", "2016");
    assert_eq!((r.actual, r.actual_display.as_str()), (Some(0.38), "0,4%"));
    let region = figure(dir.path(), REGION, "uptake-rate", "2016");
    assert_eq!(region.actual_display, "0,4%");
}

// --------------------------------------------- the two vocabularies of status
//
// A closed period is achieved (performance ≥ 1.0), nearly achieved (≥ 0.95)
// or missed. A period in progress is judged on its pace, the actual against
// the value expected by now: ahead (≥ 1.05), on pace (≥ 0.95), behind
// (≥ 0.80) or far behind; achieved only once a higher-is-better flow meets
// its whole target, missed only once a lower-is-better flow is over its
// whole ceiling.

/// Five provinces of the region (p1 to p5).
const FIVE_ENTITIES: &str = r"  - {id: p1, name: Satu, kind: province, parent: wilayah}
  - {id: p2, name: Dua, kind: province, parent: wilayah}
  - {id: p3, name: Tiga, kind: province, parent: wilayah}
  - {id: p4, name: Empat, kind: province, parent: wilayah}
  - {id: p5, name: Lima, kind: province, parent: wilayah}
";

const NEW_PARTICIPANTS_FLOW: &str = r"  - id: new-participants
    name: {id: Peserta baru, en: New participants}
    unit: count
    aggregate: sum
    time: flow
";

/// Two provinces of the region (p1, p2).
const TWO_ENTITIES: &str = r"  - {id: p1, name: Satu, kind: province, parent: wilayah}
  - {id: p2, name: Dua, kind: province, parent: wilayah}
";

/// 970 of 1 000 in 2016 for p1 (no `as_of`) and p2 (`as_of` the year's last day).
const NEARLY_FIGURES: &str = r"source: Uji
figures:
  - {entity: p1, metric: new-participants, period: 2016, target: 1000, actual: 970}
  - {entity: p2, metric: new-participants, period: 2016, target: 1000, actual: 970, as_of: 2016-12-31}
";

#[test]
fn a_closed_period_at_97_percent_is_nearly_achieved_never_on_pace() {
    // 2016, closed: p1 970 of 1 000 = 0.97, measured after the year (no
    // `as_of`); p2 the same, measured on the year's last day (`as_of:
    // 2016-12-31`, not before the end: closed too, and the download leaves
    // `as_of` empty). Both: ≥ 0.95, under 1.0: nearly achieved, with no
    // expected value and no pace.
    for (language, word) in [("id", "≈ Hampir tercapai"), ("en", "≈ Nearly achieved")] {
        let dir = fixture(
            language,
            TWO_ENTITIES,
            NEW_PARTICIPANTS_FLOW,
            &[("2016.yaml", NEARLY_FIGURES)],
        );
        build_clean(dir.path());
        for id in ["p1", "p2"] {
            let r = figure(dir.path(), id, "new-participants", "2016");
            assert_eq!(r.performance, Some(0.97), "{language} {id}");
            assert_eq!(r.status, "nearly", "{language} {id}");
            assert_eq!(r.as_of, "", "{language} {id}: closed");
            assert_eq!((r.expected, r.pace), (None, None), "{language} {id}");
            let page = read(dir.path(), &format!("public/regions/{id}/index.html"));
            let name = if language == "id" {
                "Peserta baru"
            } else {
                "New participants"
            };
            let row = html::row(html::series_table(&page, name), "2016");
            assert_eq!(row.cells[6], word, "{language} {id}: {:?}", row.cells);
        }
    }
}

#[test]
fn a_region_adds_up_final_figures_whether_or_not_they_carry_the_last_day_as_as_of() {
    // p1 970 (no `as_of`) + p2 970 (`as_of: 2016-12-31`, the year's last
    // day: a closed year) = 1 940 of 2 000 = 0.97: nearly achieved.
    let dir = fixture(
        "id",
        TWO_ENTITIES,
        NEW_PARTICIPANTS_FLOW,
        &[("2016.yaml", NEARLY_FIGURES)],
    );
    build_clean(dir.path());
    let r = figure(dir.path(), REGION, "new-participants", "2016");
    assert_eq!(
        (r.actual, r.actual_from.as_str(), r.as_of.as_str()),
        (Some(1940.0), "aggregated", "")
    );
    assert_eq!(r.performance, Some(1940.0 / 2000.0));
    assert_eq!(r.status, "nearly");
}

#[test]
fn a_period_in_progress_is_judged_on_its_pace_never_nearly_or_missed() {
    // 2017 as of 30 June, 181 of 365 days: each province is expected to have
    // 1 000 × 181 / 365 = 495.89 of its 1 000 by then.
    //
    // | province | actual | attainment | pace = actual / 495.89 | status     | if it were closed |
    // | p1       |    600 | 0.600      | 1.20994                | ahead      | missed            |
    // | p2       |    481 | 0.481      | 0.96997                | on pace    | missed            |
    // | p3       |    450 | 0.450      | 0.90746                | behind     | missed            |
    // | p4       |    300 | 0.300      | 0.60497                | far behind | missed            |
    // | p5       |  1 020 | 1.020      | (2.05692)              | achieved: the whole target met already |
    //
    // The region: 2 851 of 5 000, expected 5 000 × 181 / 365 = 2 479.45,
    // pace 1.14985: ahead.
    let mut figures = String::from("source: Uji\nfigures:\n");
    for (id, actual) in [
        ("p1", 600),
        ("p2", 481),
        ("p3", 450),
        ("p4", 300),
        ("p5", 1020),
    ] {
        figures.push_str(&format!(
            "  - {{entity: {id}, metric: new-participants, period: 2017, target: 1000, \
             actual: {actual}, as_of: 2017-06-30}}\n"
        ));
    }
    let dir = fixture(
        "id",
        FIVE_ENTITIES,
        NEW_PARTICIPANTS_FLOW,
        &[("2017.yaml", &figures)],
    );
    build_clean(dir.path());
    for (id, actual, target, status, word) in [
        ("p1", 600.0, 1000.0, "ahead", "▲ Di atas laju"),
        ("p2", 481.0, 1000.0, "on_pace", "↗ Sesuai laju"),
        ("p3", 450.0, 1000.0, "behind", "↘ Di bawah laju"),
        ("p4", 300.0, 1000.0, "far_behind", "▼ Jauh di bawah laju"),
        ("p5", 1020.0, 1000.0, "achieved", "✓ Tercapai"),
        (REGION, 2851.0, 5000.0, "ahead", "▲ Di atas laju"),
    ] {
        let r = figure(dir.path(), id, "new-participants", "2017");
        assert_eq!(r.as_of, "2017-06-30", "{id}");
        let expected = target * (181.0 / 365.0);
        assert_eq!(r.expected, Some(expected), "{id}");
        assert_eq!(r.pace, Some(actual / expected), "{id}");
        assert_eq!(r.status, status, "{id}");
        let page = read(dir.path(), &format!("public/regions/{id}/index.html"));
        let row = html::row(
            html::series_table(&page, "Peserta baru"),
            "2017 (Jan–Jun 2017)",
        );
        assert_eq!(row.cells[6], word, "{id}: {:?}", row.cells);
    }
    for r in figures::read(&dir.path().join("public/data/figures.json")) {
        assert!(
            !["nearly", "missed"].contains(&r.status.as_str()),
            "{} {}: a period in progress is {}",
            r.entity,
            r.period,
            r.status
        );
    }
}

#[test]
fn a_lower_is_better_flow_in_progress_already_over_its_ceiling_is_missed() {
    // Work accidents, a flow where lower is better, 2017 as of 30 June (181
    // of 365 days): a ceiling of 100 each, so 100 × 181 / 365 = 49.59
    // expected by now.
    // - p1: 120 already, over the whole year's ceiling: it cannot come back
    //   under it: missed (its pace, 49.59 / 120 = 0.41324, is not the point).
    //   120 / 100 = 120,0 % of the ceiling; performance 100 / 120.
    // - p2: 40, pace 49.59 / 40 = 1.23973: ahead (further under the line).
    // - The region: 160 under a ceiling of 200, not over it yet: pace
    //   (200 × 181 / 365 = 99.18) / 160 = 0.61986: far behind, not missed.
    let metric = r"  - id: work-accidents
    name: {id: Kecelakaan kerja, en: Work accidents}
    unit: count
    aggregate: sum
    direction: lower
    time: flow
";
    let figures = r"source: Uji
figures:
  - {entity: p1, metric: work-accidents, period: 2017, target: 100, actual: 120, as_of: 2017-06-30}
  - {entity: p2, metric: work-accidents, period: 2017, target: 100, actual: 40, as_of: 2017-06-30}
";
    let dir = fixture("id", TWO_ENTITIES, metric, &[("2017.yaml", figures)]);
    build_clean(dir.path());
    for (id, actual, ceiling, status) in [
        ("p1", 120.0, 100.0, "missed"),
        ("p2", 40.0, 100.0, "ahead"),
        (REGION, 160.0, 200.0, "far_behind"),
    ] {
        let r = figure(dir.path(), id, "work-accidents", "2017");
        assert_eq!(r.as_of, "2017-06-30", "{id}: in progress");
        assert_eq!(r.attainment, Some(actual / ceiling), "{id}");
        assert_eq!(r.performance, Some(ceiling / actual), "{id}");
        let expected = ceiling * (181.0 / 365.0);
        assert_eq!(
            (r.expected, r.pace),
            (Some(expected), Some(expected / actual)),
            "{id}"
        );
        assert_eq!(r.status, status, "{id}");
    }
    let page = read(dir.path(), "public/regions/p1/index.html");
    let row = html::row(
        html::series_table(&page, "Kecelakaan kerja"),
        "2017 (Jan–Jun 2017)",
    );
    assert_eq!(
        (row.cells[3].as_str(), row.cells[6].as_str()),
        ("120,0% dari batas", "✗ Tidak tercapai"),
        "{:?}",
        row.cells
    );
}

// ------------------------------------------------------------------ a stock
//
// Active participants, a level (`time: stock`), month by month: 2016 from
// 1 000 in January up 20 a month to 1 220 in December; 2017 1 250, 1 280,
// 1 310 and 1 340 from January to April. Targets: 1 200 for 2016; 1 450 for
// the first half of 2017; 1 600 for 2017.
//
// - A stock's period is its last level: 2016 = December's 1 220 (not the
//   sum, 13 320, nor the mean): 1 220 / 1 200 = 1.0167: achieved. 2016-Q1
//   = March's 1 040.
// - 2017-H1, in progress at 30 April (120 of its 181 days), is judged along
//   the line from the level it started at (December 2016, 1 220) to its
//   target: expected 1 220 + (1 450 − 1 220) × 120 / 181 = 1 372.49; the
//   April level 1 340 is 0.97633 of that: on pace.
// - 2017, in progress at 30 April (120 of 365 days): expected 1 220 +
//   (1 600 − 1 220) × 120 / 365 = 1 344.93; pace 1 340 / 1 344.93 =
//   0.99633: on pace. Growth like with like: April 2017 against April 2016
//   (1 060): 1 340 / 1 060 − 1 = +26.4 % (see
//   growth_of_four_months_compares_them_with_the_same_four_months_of_the_year_before).

const STOCK_METRIC: &str = r"  - id: active-participants
    name: {id: Peserta aktif, en: Active participants}
    unit: people
    aggregate: sum
    time: stock
";

fn stock_figures() -> String {
    let mut y = String::from("source: Uji\nfigures:\n");
    for m in 1..=12 {
        y.push_str(&format!(
            "  - {{entity: wilayah, metric: active-participants, period: \"2016-{m:02}\", actual: {}}}\n",
            1000 + 20 * (m - 1)
        ));
    }
    for (m, level) in [(1, 1250), (2, 1280), (3, 1310), (4, 1340)] {
        y.push_str(&format!(
            "  - {{entity: wilayah, metric: active-participants, period: \"2017-{m:02}\", actual: {level}}}\n"
        ));
    }
    y.push_str("  - {entity: wilayah, metric: active-participants, period: 2016, target: 1200}\n");
    y.push_str(
        "  - {entity: wilayah, metric: active-participants, period: \"2017-H1\", target: 1450}\n",
    );
    y.push_str("  - {entity: wilayah, metric: active-participants, period: 2017, target: 1600}\n");
    y
}

#[test]
fn a_stock_s_year_is_its_december_level() {
    let dir = fixture("id", "", STOCK_METRIC, &[("stock.yaml", &stock_figures())]);
    build_clean(dir.path());
    let r = figure(dir.path(), REGION, "active-participants", "2016");
    assert_eq!(r.actual, Some(1220.0), "December's level");
    assert_eq!(
        (r.actual_from.as_str(), r.as_of.as_str()),
        ("rolled_up", "")
    );
    assert_eq!(r.attainment, Some(1220.0 / 1200.0));
    assert_eq!(r.status, "achieved");
    let q1 = figure(dir.path(), REGION, "active-participants", "2016-Q1");
    assert_eq!(q1.actual, Some(1040.0), "March's level");
}

#[test]
fn a_stock_in_progress_is_judged_along_the_line_from_its_start_level_to_its_target() {
    let dir = fixture("id", "", STOCK_METRIC, &[("stock.yaml", &stock_figures())]);
    build_clean(dir.path());
    let h1 = figure(dir.path(), REGION, "active-participants", "2017-H1");
    assert_eq!(h1.period_kind, "half");
    assert_eq!(
        (h1.actual, h1.actual_from.as_str(), h1.as_of.as_str()),
        (Some(1340.0), "rolled_up", "2017-04-30"),
        "April's level"
    );
    let expected = 1220.0 + (1450.0 - 1220.0) * (120.0 / 181.0);
    assert_eq!(h1.expected, Some(expected));
    assert_eq!(h1.pace, Some(1340.0 / expected));
    assert_eq!(h1.status, "on_pace");

    let year = figure(dir.path(), REGION, "active-participants", "2017");
    assert_eq!(
        (year.actual, year.as_of.as_str()),
        (Some(1340.0), "2017-04-30")
    );
    let expected = 1220.0 + (1600.0 - 1220.0) * (120.0 / 365.0);
    assert_eq!(year.expected, Some(expected));
    assert_eq!(year.pace, Some(1340.0 / expected));
    assert_eq!(year.status, "on_pace");
}

#[test]
fn growth_of_four_months_compares_them_with_the_same_four_months_of_the_year_before() {
    // The stock above: April 2017's 1 340 against April 2016's 1 060:
    // 1 340 / 1 060 − 1 = +26.4 %.
    let dir = fixture("id", "", STOCK_METRIC, &[("stock.yaml", &stock_figures())]);
    build_clean(dir.path());
    let year = figure(dir.path(), REGION, "active-participants", "2017");
    assert_eq!(
        (year.growth, year.compared_with.as_str()),
        (Some(1340.0 / 1060.0 - 1.0), "2016-04"),
        "April 2017 against April 2016"
    );
    // A flow: new participants, 100 a month through 2016, 110 a month from
    // January to April 2017: 440 against January to April 2016's 400, +10 %.
    let mut figures = String::from("source: Uji\nfigures:\n");
    for (year, months, value) in [(2016, 12, 100), (2017, 4, 110)] {
        for m in 1..=months {
            figures.push_str(&format!(
                "  - {{entity: wilayah, metric: new-participants, period: \"{year}-{m:02}\", actual: {value}}}\n"
            ));
        }
    }
    let dir = fixture("id", "", MONTHS_METRICS, &[("months.yaml", &figures)]);
    build_clean(dir.path());
    for period in ["2017", "2017-H1"] {
        let r = figure(dir.path(), REGION, "new-participants", period);
        assert_eq!(
            (r.actual, r.as_of.as_str()),
            (Some(440.0), "2017-04-30"),
            "{period}"
        );
        assert_eq!(
            (r.growth, r.compared_with.as_str()),
            (Some(440.0 / 400.0 - 1.0), "2016-01/2016-04"),
            "{period}: January to April against January to April 2016"
        );
    }
}

// ------------------------------------------------------ a rate per 100 000
//
// Work accidents per 100 000 workers (`unit: rate`, `per: 100000`, two
// decimals by default), 2016: Utara 0.38 and Selatan 0.44 against 0.45; the
// region's is their mean, 0.41.

const PER_METRIC: &str = r"  - id: accident-rate
    name: {id: Tingkat kecelakaan, en: Accident rate}
    unit: rate
    per: 100000
    aggregate: mean
";

const PER_FIGURES: &str = r"source: Uji
figures:
  - {entity: utara, metric: accident-rate, period: 2016, target: 0.45, actual: 0.38}
  - {entity: selatan, metric: accident-rate, period: 2016, target: 0.45, actual: 0.44}
";

#[test]
fn a_rate_per_100000_is_written_with_what_it_is_per() {
    for (language, name, utara, target, region) in [
        (
            "id",
            "Tingkat kecelakaan",
            "0,38 per 100.000",
            "0,45 per 100.000",
            "0,41 per 100.000",
        ),
        (
            "en",
            "Accident rate",
            "0.38 per 100,000",
            "0.45 per 100,000",
            "0.41 per 100,000",
        ),
    ] {
        let dir = fixture(
            language,
            RATE_ENTITIES,
            PER_METRIC,
            &[("rates.yaml", PER_FIGURES)],
        );
        build_clean(dir.path());
        let r = figure(dir.path(), "utara", "accident-rate", "2016");
        assert_eq!((r.actual, r.target), (Some(0.38), Some(0.45)), "{language}");
        assert_eq!(
            (r.actual_display.as_str(), r.target_display.as_str()),
            (utara, target),
            "{language}: the download"
        );
        let reg = figure(dir.path(), REGION, "accident-rate", "2016");
        assert_eq!(reg.actual_display, region, "{language}: the download");

        let page = read(dir.path(), "public/regions/utara/index.html");
        let row = html::row(html::series_table(&page, name), "2016");
        assert_eq!(
            (row.cells[1].as_str(), row.cells[2].as_str()),
            (utara, target),
            "{language}: Utara's own table"
        );
        let big = html::one(html::card(&page, name), "p", Some("big"));
        assert_eq!(html::text(big), utara, "{language}: Utara's card");
        let home = read(dir.path(), "public/index.html");
        let big = html::one(html::card(&home, name), "p", Some("big"));
        assert_eq!(html::text(big), region, "{language}: the region's card");
    }
}

// ------------------------------------------------------------ quarters only
//
// Claims paid, reported by quarter only: 2016 100, 120, 130, 150 (the year:
// 500); 2017 110, 126, 143, 171 (the year: 550), against a 2017 target of
// 520: 550 / 520 = 1.0577, achieved; the year grows 550 / 500 − 1 = +10 %.
// Each quarter grows over the same quarter a year earlier: Q1 110 / 100 − 1
// = +10 %, Q2 126 / 120 − 1 = +5 %, Q3 143 / 130 − 1 = +10 %, Q4 171 / 150
// − 1 = +14 %.

const CLAIMS_METRIC: &str = r"  - id: claims-paid
    name: {id: Klaim dibayar, en: Claims paid}
    unit: count
    aggregate: sum
";

const CLAIMS_2016: [f64; 4] = [100.0, 120.0, 130.0, 150.0];
const CLAIMS_2017: [f64; 4] = [110.0, 126.0, 143.0, 171.0];

/// The quarters above, and a target for `target`'s period, if given.
fn claims_figures(target: Option<(&str, u32)>) -> String {
    let mut y = String::from("source: Uji\nfigures:\n");
    for (year, values) in [(2016, CLAIMS_2016), (2017, CLAIMS_2017)] {
        for (q, v) in values.iter().enumerate() {
            y.push_str(&format!(
                "  - {{entity: wilayah, metric: claims-paid, period: \"{year}-Q{}\", actual: {v}}}\n",
                q + 1
            ));
        }
    }
    if let Some((period, target)) = target {
        y.push_str(&format!(
            "  - {{entity: wilayah, metric: claims-paid, period: \"{period}\", target: {target}}}\n"
        ));
    }
    y
}

#[test]
fn a_quarterly_metric_gets_its_year_from_four_quarters_and_growth_per_quarter() {
    let dir = fixture(
        "id",
        "",
        CLAIMS_METRIC,
        &[("claims.yaml", &claims_figures(Some(("2017", 520))))],
    );
    build_clean(dir.path());
    let y2016 = figure(dir.path(), REGION, "claims-paid", "2016");
    assert_eq!(y2016.actual, Some(500.0));
    assert_eq!(
        (y2016.actual_from.as_str(), y2016.as_of.as_str()),
        ("rolled_up", "")
    );
    let y2017 = figure(dir.path(), REGION, "claims-paid", "2017");
    assert_eq!(y2017.actual, Some(550.0));
    assert_eq!(y2017.period_kind, "year");
    assert_eq!(y2017.attainment, Some(550.0 / 520.0));
    assert_eq!(y2017.status, "achieved");
    assert_eq!(
        (y2017.growth, y2017.compared_with.as_str()),
        (Some(550.0 / 500.0 - 1.0), "2016")
    );
    for q in 0..4 {
        let period = format!("2017-Q{}", q + 1);
        let r = figure(dir.path(), REGION, "claims-paid", &period);
        assert_eq!(r.period_kind, "quarter", "{period}");
        assert_eq!(
            (r.growth, r.compared_with),
            (
                Some(CLAIMS_2017[q] / CLAIMS_2016[q] - 1.0),
                format!("2016-Q{}", q + 1)
            ),
            "{period} against the same quarter of 2016"
        );
    }
}

// ------------------------------------------------------- a financial year
//
// The claims above on a site whose financial year starts in April
// (`financial_year_start: 4`): 2016/17 runs from April 2016 to March 2017,
// its quarters 2016-Q2 to 2017-Q1: 120 + 130 + 150 + 110 = 510, against a
// target of 500: 510 / 500 = 1.02, achieved. 2017/18 has three quarters
// so far, 2017-Q2 to 2017-Q4 (126 + 143 + 171 = 440, as of 31 December
// 2017); like with like, the same three quarters of 2016/17 (120 + 130 +
// 150 = 400): growth 440 / 400 − 1 = +10 %.

/// The claims fixture on a site whose financial year starts in April, with
/// a target for `target`'s period, if given.
fn financial_years(target: Option<(&str, u32)>) -> tempfile::TempDir {
    let dir = fixture_with_site(
        "id",
        "financial_year_start: 4\n",
        "",
        CLAIMS_METRIC,
        &[("claims.yaml", &claims_figures(target))],
    );
    build_clean(dir.path());
    dir
}

#[test]
fn a_financial_year_is_made_from_its_four_quarters() {
    let dir = financial_years(None);
    let r = figure(dir.path(), REGION, "claims-paid", "2016/17");
    assert_eq!(r.period_kind, "financial_year");
    assert_eq!(r.actual, Some(120.0 + 130.0 + 150.0 + 110.0));
    assert_eq!(
        (r.actual_from.as_str(), r.as_of.as_str()),
        ("rolled_up", "")
    );

    let next = figure(dir.path(), REGION, "claims-paid", "2017/18");
    assert_eq!(
        (next.actual, next.as_of.as_str()),
        (Some(126.0 + 143.0 + 171.0), "2017-12-31"),
        "a financial year to date"
    );
    assert_eq!(
        (next.growth, next.compared_with.as_str()),
        (Some(440.0 / 400.0 - 1.0), "2016-04/2016-12"),
        "against April to December 2016"
    );
}

#[test]
fn a_financial_year_s_target_is_judged_against_the_year_made_from_its_quarters() {
    // 2016/17: 510 from its quarters against a target of 500: 510 / 500 =
    // 1.02, achieved.
    let dir = financial_years(Some(("2016/17", 500)));
    let r = figure(dir.path(), REGION, "claims-paid", "2016/17");
    assert_eq!((r.actual, r.target), (Some(510.0), Some(500.0)));
    assert_eq!(r.actual_from, "rolled_up");
    assert_eq!(r.attainment, Some(510.0 / 500.0));
    assert_eq!(r.status, "achieved");
}

// ------------------------------------------- what is expected by now
//
// 2017 as of 30 June, a target of 900 for the year, 280 so far:
// - by days, 900 × 181 / 365 = 446.3 would be expected (pace 0.627, far
//   behind);
// - with `target_profile` weighting July to December twice as much as
//   January to June (1 × 6 + 2 × 6 = 18), 900 × 6 / 18 = 300 is expected:
//   pace 280 / 300 = 0.93333, behind;
// - with targets for January to June (50 each, 300 in all) and monthly
//   actuals (280 in all: 45, 45, 45, 45, 50, 50), the finished months'
//   targets say 300 is expected: pace 0.93333, behind.

#[test]
fn the_value_expected_by_now_follows_a_target_profile_or_the_finished_months_targets() {
    let metrics = r"  - id: profiled
    name: Berprofil
    unit: count
    aggregate: sum
    target_profile: [1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2]
  - id: monthly
    name: Bulanan
    unit: count
    aggregate: sum
";
    let mut figures = String::from(
        "source: Uji\nfigures:\n  - {entity: wilayah, metric: profiled, period: 2017, \
         target: 900, actual: 280, as_of: 2017-06-30}\n  \
         - {entity: wilayah, metric: monthly, period: 2017, target: 900}\n",
    );
    for (m, actual) in [(1, 45), (2, 45), (3, 45), (4, 45), (5, 50), (6, 50)] {
        figures.push_str(&format!(
            "  - {{entity: wilayah, metric: monthly, period: \"2017-{m:02}\", target: 50, actual: {actual}}}\n"
        ));
    }
    let dir = fixture("id", "", metrics, &[("2017.yaml", &figures)]);
    build_clean(dir.path());
    let profiled = figure(dir.path(), REGION, "profiled", "2017");
    let expected = 900.0 * (6.0 / 18.0);
    assert_eq!(profiled.expected, Some(expected));
    assert_eq!(profiled.pace, Some(280.0 / expected));
    assert_eq!(profiled.status, "behind");
    let monthly = figure(dir.path(), REGION, "monthly", "2017");
    assert_eq!(
        (monthly.actual, monthly.as_of.as_str()),
        (Some(280.0), "2017-06-30")
    );
    assert_eq!(monthly.expected, Some(300.0));
    assert_eq!(monthly.pace, Some(280.0 / 300.0));
    assert_eq!(monthly.status, "behind");
}

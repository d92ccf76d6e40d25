//! Whether the figures a site shows are true, on small fixture sites written
//! by each test: a metric where lower is better, monthly actuals under an
//! annual target, a percentage with two decimals, a rate per 100 000, a
//! stock, quarters only, a financial year, and the two vocabularies of
//! status (a closed period: achieved, nearly achieved, missed; a period in
//! progress: ahead, on pace, behind, far behind).
//!
//! Every expected value is worked out by hand from the fixture in a comment.
//! Tests marked `#[ignore = "..."]` state the correct behaviour and fail
//! with today's product (each was run and seen to fail); the engineer who
//! fixes the named issue removes the `ignore`.

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
    let dir = tempfile::tempdir().expect("a temporary folder");
    let root = dir.path();
    write(
        root,
        "content/site.yaml",
        &format!(
            "title: Uji kebenaran\nbase_url: https://uji.example/\nlanguage: {language}\n\
             default_entity: {REGION}\ncharts_png: none\n"
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
    let row = html::row(html::series(&page, "Kecelakaan kerja"), "2016");
    assert_eq!(
        (
            row.cells[1].as_str(),
            row.cells[2].as_str(),
            row.cells[3].as_str()
        ),
        ("101Σ", "100", "101,0% dari batas")
    );
    assert_eq!(row.cells[6], "≈ Hampir tercapai");
}

#[test]
fn when_lower_is_better_the_ranking_puts_the_one_furthest_under_its_ceiling_first() {
    let dir = accidents();
    for page in ["public/regions/wilayah/index.html", "public/index.html"] {
        let text = read(dir.path(), page);
        let ranking = html::breakdown(&text, "Kecelakaan kerja, 2016: rincian");
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
#[ignore = "product bug: the bars are in the right order, but their data-status is the old key of their grade (\"on_track\" for Gamma, nearly achieved; \"off_track\" for Delta, missed)"]
fn when_lower_is_better_the_breakdown_chart_draws_the_best_first() {
    let dir = accidents();
    let page = read(dir.path(), "public/regions/wilayah/index.html");
    let chart = html::titled(
        &page,
        "figure",
        Some("chart"),
        "Kecelakaan kerja 2016, Wilayah Uji: capaian per wilayah",
    );
    let svg = html::one(chart, "svg", None);
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
    let ranking = html::breakdown(&page, "Kecelakaan kerja, 2016: rincian");
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
    let own = html::row(html::series(&page, "Kecelakaan kerja"), "2016");
    assert_eq!(
        (own.cells[3].as_str(), id_status(&own.cells[6])),
        ("101,0% dari batas", closed_status_of(100.0 / 101.0)),
        "the region"
    );
}

#[test]
#[ignore = "product bug: the downloads write a lower-is-better attainment as a bare percentage (attainment_display \"60,0%\" beside status_display \"Tercapai\"), not as the share of the ceiling the pages show (\"60,0% dari batas\")"]
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
    let row = html::row(html::series(&page, "Peserta baru"), "2016");
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
        (Some(660.0 / 600.0 - 1.0), "2016"),
        "January to June 2017 against January to June 2016: 660 / 600 − 1 = +10 %, \
         not 660 / 1 200 − 1 = −45 %"
    );
    let page = read(dir.path(), "public/regions/wilayah/index.html");
    let row = html::row(html::series(&page, "Peserta baru"), "2017 (Jan–Jun 2017)");
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
    let row = html::row(html::series(&page, rate_name), "2016");
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

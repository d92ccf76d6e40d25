//! Measures unlike the example's: an index with decimals, a rate per
//! 100,000, a multi-year target measured from a base period, and the new
//! `value` shortcodes for periods in progress.

mod common;

use common::figures::figure;
use common::*;

const METRICS: &str = "content/data/metrics.yaml";

/// The example plus metric `score` (an index, two decimals, higher is
/// better) with the given figures (YAML records) for the region.
fn with_score(figures: &str) -> tempfile::TempDir {
    let dir = copy_example();
    append(
        dir.path(),
        METRICS,
        "\n  - id: score\n    name: {id: Indeks layanan, en: Service index}\n    unit: index\n    aggregate: none\n",
    );
    write(
        dir.path(),
        "content/data/figures/score.yaml",
        &format!("source: \"Fixture\"\nfigures:\n{figures}"),
    );
    dir
}

fn record(period: &str, field: &str) -> String {
    format!("  - {{entity: sulawesi-maluku, metric: score, period: {period}, {field}}}\n")
}

#[test]
fn progress_is_measured_from_the_base_period_when_the_target_names_one() {
    let actuals = [("2010", "80"), ("2015", "110"), ("2020", "120")];
    let mut figures: String = actuals
        .iter()
        .map(|(p, a)| record(p, &format!("actual: {a}")))
        .collect();
    figures.push_str(&record("2030", "target: {value: 200, base_period: 2015}"));
    let dir = with_score(&figures);
    build(dir.path()).unwrap_or_else(|e| panic!("{e}"));
    // Open SDG: observed CAGR 2015-2020 (120/110)^(1/5) - 1 = 0.017554;
    // required 2015-2030 (200/110)^(1/15) - 1 = 0.040673; ratio 0.4316 < 0.6.
    let r = figure(dir.path(), "sulawesi-maluku", "score", "2030");
    assert_eq!(
        r.fields.get("progress").and_then(|j| match j {
            common::figures::Json::String(s) => Some(s.as_str()),
            _ => None,
        }),
        Some("progress_limited")
    );
}

#[test]
fn without_a_base_period_progress_is_measured_from_the_first_actual() {
    let actuals = [("2010", "80"), ("2015", "110"), ("2020", "120")];
    let mut figures: String = actuals
        .iter()
        .map(|(p, a)| record(p, &format!("actual: {a}")))
        .collect();
    figures.push_str(&record("2030", "target: 200"));
    let dir = with_score(&figures);
    build(dir.path()).unwrap_or_else(|e| panic!("{e}"));
    // observed (120/80)^(1/10) - 1 = 0.041380; required (200/80)^(1/20) - 1
    // = 0.046885; ratio 0.8826: moderate.
    let r = figure(dir.path(), "sulawesi-maluku", "score", "2030");
    assert_eq!(
        r.fields.get("progress").and_then(|j| match j {
            common::figures::Json::String(s) => Some(s.as_str()),
            _ => None,
        }),
        Some("progress_moderate")
    );
}

#[test]
fn a_base_period_after_the_target_is_an_error() {
    let dir = with_score(
        &(record("2020", "actual: 120")
            + &record("2030", "target: {value: 200, base_period: 2031}")),
    );
    let errors = content_errors(check(dir.path(), false));
    assert_eq!(errors.len(), 1, "{}", listing(&errors));
    assert!(
        errors[0]
            .message
            .contains("base_period 2031 is not a period before the target's, 2030"),
        "{}",
        errors[0]
    );
}

#[test]
fn an_index_keeps_its_two_decimals_in_pages_and_downloads() {
    let dir = with_score(
        &(record("2016", "actual: 0.88, target: 1") + &record("2017", "actual: 0.9, target: 1")),
    );
    build(dir.path()).unwrap_or_else(|e| panic!("{e}"));
    let r = figure(dir.path(), "sulawesi-maluku", "score", "2016");
    assert_eq!(r.actual_display, "0,88");
    assert_eq!(r.target_display, "1,00");
    assert_eq!(r.status, "missed", "0.88 of 1.00 is below 95 %");
    let region = page(dir.path(), "regions/sulawesi-maluku/index.html");
    assert!(region.contains(">0,88<"), "the table shows 0,88");
    assert!(
        region.contains(">1,00<"),
        "the target keeps its decimals: 1,00"
    );
}

#[test]
fn the_value_shortcode_tells_the_pace_and_the_months_of_a_year_in_progress() {
    let dir = copy_example();
    write(
        dir.path(),
        "content/pages/laju.md",
        "---\ntitle: Laju\n---\n\nIuran {{< value metric=\"contributions\" period=2017 show=\"ytd\" >}}: {{< value metric=\"contributions\" period=2017 >}}, seharusnya {{< value metric=\"contributions\" period=2017 show=\"expected\" >}}, laju {{< value metric=\"contributions\" period=2017 show=\"pace\" >}}.\n",
    );
    build(dir.path()).unwrap_or_else(|e| panic!("{e}"));
    let p = page(dir.path(), "laju/index.html");
    // Actual 538 965 M by 30 June; expected 1 099 400 M x 181/365 = 545 178.6 M;
    // pace 538 965 / 545 178.6 = 98,9 %.
    assert!(
        p.contains("Iuran Jan–Jun 2017: Rp539 miliar, seharusnya Rp545 miliar, laju 98,9%."),
        "{}",
        &p[p.find("Iuran Jan").unwrap_or(0)..][..200.min(p.len())]
    );
}

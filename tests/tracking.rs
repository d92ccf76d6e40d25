//! Target tracking on the example site: statuses, progress towards
//! multi-year targets, direction, thresholds, undefined values and CSV
//! figures, read off the built pages and downloads.

mod common;

use common::*;

fn region_page(dir: &std::path::Path) -> String {
    read(dir, "public/regions/sulawesi-maluku/index.html")
}

fn add_figures(dir: &std::path::Path, yaml: &str) {
    write(
        dir,
        "content/data/figures/zz-test.yaml",
        &format!("source: Test fixture\nfigures:\n{yaml}"),
    );
}

// ------------------------------------------------ the example's figures, by hand
//
// Contributions (Iuran) of the region, Sulawesi dan Maluku, from the
// example's YAML (content/data/figures/*.yaml), in rupiah:
//
// - 2015: no figure of its own; the sum of the eight provinces
//   (provinces-2015-illustrative.yaml): 329 797 + 143 862 + 94 964 + 86 283
//   + 49 718 + 59 878 + 32 558 + 34 129 = 831 189 million.
// - 2016 (2016.yaml): target 814 000 million, actual 956 000 million.
// - 2017: target `{growth: 15%, value: 1100000000000}` (2017.yaml), that is
//   956 000 million × 1.15 = 1 099 400 million; no actual of its own, so the
//   sum of the provinces' year-to-date actuals, each the sum of its months
//   January to June (provinces-monthly-illustrative.yaml): 231 920 + 94 250
//   + 66 150 + 52 170 + 28 575 + 29 520 + 13 680 + 22 700 = 538 965 million,
//   as of 30 June 2017 (the end of the last month reported).
// - January to June 2016, the same months a year before, the sum of the
//   provinces' months: 430 202 million; 2017 so far grew by 538 965 /
//   430 202 − 1 = +25.3 %.
//   On 30 June 181 of 2017's 365 days have passed (31 + 28 + 31 + 30 + 31
//   + 30, the day itself included): a flow is expected to have 181 / 365 =
//   0.495890 of its target by then.

const REGION: &str = "sulawesi-maluku";
const REGION_2015_ACTUAL: f64 = 831_189_000_000.0;
const REGION_2016_TARGET: f64 = 814_000_000_000.0;
const REGION_2016_ACTUAL: f64 = 956_000_000_000.0;
const REGION_2017_TARGET: f64 = 1_099_400_000_000.0;
const REGION_2017_ACTUAL: f64 = 538_965_000_000.0;
const REGION_2016_H1_ACTUAL: f64 = 430_202_000_000.0;
const PROVINCES: &str = "content/data/figures/provinces-illustrative.yaml";
const MONTHLY: &str = "content/data/figures/provinces-monthly-illustrative.yaml";
/// The share of 2017 elapsed on 30 June 2017, by days, the day included.
const SHARE_2017_06_30: f64 = 181.0 / 365.0;

/// A percentage as an Indonesian page writes it (`+15,0%`, `-2,0%`,
/// `1.235%`), as a ratio.
fn id_percent(s: &str) -> f64 {
    let n = s
        .strip_suffix('%')
        .unwrap_or_else(|| panic!("{s:?} is not a percentage"))
        .replace('.', "")
        .replace(',', ".")
        .replace('−', "-");
    n.parse::<f64>()
        .unwrap_or_else(|_| panic!("{s:?} is not a percentage"))
        / 100.0
}

#[test]
fn the_region_achieved_its_2016_contributions_target_with_15_percent_growth() {
    // attainment = 956 000 / 814 000 = 1.174447 (117,4 %): achieved (≥ 100 %).
    // growth = 956 000 / 831 189 − 1 = 0.150160 (+15,0 %) over the provinces' 2015 sum.
    // difference from target = 956 000 − 814 000 = +142 000 million.
    let dir = copy_example();
    build(dir.path()).expect("builds");
    let r = figure(dir.path(), REGION, "contributions", "2016");
    assert_eq!(r.actual, Some(REGION_2016_ACTUAL));
    assert_eq!(r.actual_from, "reported");
    assert_eq!(r.target, Some(REGION_2016_TARGET));
    assert_eq!(r.attainment, Some(REGION_2016_ACTUAL / REGION_2016_TARGET));
    assert_eq!(
        r.growth,
        Some(REGION_2016_ACTUAL / REGION_2015_ACTUAL - 1.0)
    );
    assert_eq!(r.status, "achieved");
    assert_eq!(r.as_of, "");
    assert_eq!(
        (r.attainment_display.as_str(), r.status_display.as_str()),
        ("117,4%", "Tercapai")
    );

    let page = region_page(dir.path());
    let row = html::row(html::series_table(&page, "Iuran"), "2016");
    assert_eq!(
        row.cells,
        [
            "2016",
            "Rp956 miliar",
            "Rp814 miliar",
            "117,4%",
            "+15,0%",
            "+Rp142 miliar",
            "✓ Tercapai"
        ]
    );
    // The headline card's line for 2016, under 2017 so far: the region's
    // figures, not a province's.
    let card = html::card(&page, "Iuran");
    assert_eq!(
        html::text(html::one(card, "p", Some("card-previous"))),
        "2016 Rp956 miliar · 117,4% dari target ✓ Tercapai"
    );
}

#[test]
fn the_region_is_on_pace_in_mid_2017_judged_against_the_value_expected_by_now() {
    // attainment = 538 965 / 1 099 400 = 0.490236 (49,0 %) of the whole
    // year's target.
    // expected by 30 June = 1 099 400 × 181 / 365 = 545 181.9 million
    // (shown Rp545 miliar).
    // pace = 538 965 / 545 181.9 = 0.98860 (98,9 %): at least 0.95 and under
    // 1.05, on pace; 560 435 million short of the whole target, not
    // achieved. (Against the whole year, 0.49 is missed: see the next test.)
    // growth: none. Like with like, January to June 2017 compares with
    // January to June 2016, and 2016 has only a whole-year figure: never
    // half a year against a whole one (538 965 / 956 000 − 1 = −43.6 %).
    // difference from target = 538 965 − 1 099 400 = −560 435 million.
    let dir = copy_example();
    build(dir.path()).expect("builds");
    let r = figure(dir.path(), REGION, "contributions", "2017");
    let expected = REGION_2017_TARGET * SHARE_2017_06_30;
    assert_eq!(
        (r.status.as_str(), r.pace),
        ("on_pace", Some(REGION_2017_ACTUAL / expected)),
        "49.0 % of the year's target when 49.6 % of the year has passed"
    );
    assert_eq!(r.expected, Some(expected));
    assert_eq!(r.actual, Some(REGION_2017_ACTUAL));
    assert_eq!(r.actual_from, "aggregated");
    assert_eq!(r.as_of, "2017-06-30");
    assert_eq!(r.period_kind, "year");
    assert_eq!(r.target, Some(REGION_2017_TARGET));
    assert_eq!(r.attainment, Some(REGION_2017_ACTUAL / REGION_2017_TARGET));
    assert_eq!(r.performance, r.attainment, "higher is better");
    assert_eq!(
        (r.attainment_display.as_str(), r.status_display.as_str()),
        ("49,0%", "Sesuai laju")
    );
    assert_eq!(
        (r.growth, r.compared_with.as_str()),
        (
            Some(REGION_2017_ACTUAL / REGION_2016_H1_ACTUAL - 1.0),
            "2016-01/2016-06"
        ),
        "compared with January to June 2016, never the whole of 2016"
    );

    let page = region_page(dir.path());
    let card = html::card(&page, "Iuran");
    assert_eq!(
        html::text(html::one(card, "dl", Some("facts"))),
        "Target 2017 Rp1,1 triliun Capaian 49,0% Seharusnya saat ini Rp545 miliar \
         Laju 98,9% Pertumbuhan (Jan–Jun 2016) +25,3%"
    );
    assert_eq!(html::status(html::card_current(card)), "↗ Sesuai laju");
    let row = html::row(html::series_table(&page, "Iuran"), "2017 (Jan–Jun 2017)");
    assert_eq!(
        row.cells,
        [
            "2017 (Jan–Jun 2017)",
            "Rp539 miliarΣ",
            "Rp1,1 triliun",
            "49,0%",
            "+25,3%",
            "−Rp560 miliar",
            "↗ Sesuai laju"
        ]
    );
}

#[test]
fn without_as_of_the_same_half_year_is_judged_against_the_whole_year() {
    // Each province's January-to-June 2017 contributions given as its 2017
    // actual, without `as_of`, instead of as months: the region's sum is a
    // final 2017 actual, 538 965 / 1 099 400 = 0.490 of the target, under
    // 0.95: missed. A whole year now, it grows over the whole of 2016:
    // 538 965 / 956 000 − 1 = −0.436229 (−43,6 %).
    let dir = copy_example();
    let monthly = read(dir.path(), MONTHLY);
    let mut so_far: std::collections::BTreeMap<String, u64> = Default::default();
    let kept: Vec<&str> = monthly
        .lines()
        .filter(|l| {
            if !l.contains("metric: contributions, period: \"2017-") {
                return true;
            }
            let entity = l
                .split("entity: ")
                .nth(1)
                .unwrap()
                .split(',')
                .next()
                .unwrap();
            let actual: u64 = l
                .split("actual: ")
                .nth(1)
                .unwrap()
                .trim_end_matches('}')
                .parse()
                .unwrap();
            *so_far.entry(entity.to_string()).or_default() += actual;
            false
        })
        .collect();
    write(dir.path(), MONTHLY, &(kept.join("\n") + "\n"));
    assert_eq!(so_far.len(), 8, "the eight provinces' 2017 months");
    assert_eq!(so_far.values().sum::<u64>() as f64, REGION_2017_ACTUAL);
    let text = read(dir.path(), PROVINCES);
    let mut edited = 0;
    let lines: Vec<String> = text
        .lines()
        .map(|l| {
            let entity = l
                .split("entity: ")
                .nth(1)
                .map(|r| r.split(',').next().unwrap());
            match entity.and_then(|e| so_far.get(e)) {
                Some(sum) if l.contains("metric: contributions, period: 2017,") => {
                    edited += 1;
                    l.replace('}', &format!(", actual: {sum}}}"))
                }
                _ => l.to_string(),
            }
        })
        .collect();
    assert_eq!(edited, 8, "the eight provinces' 2017 contributions");
    write(dir.path(), PROVINCES, &(lines.join("\n") + "\n"));
    build(dir.path()).expect("builds");
    let r = figure(dir.path(), REGION, "contributions", "2017");
    assert_eq!(r.actual, Some(REGION_2017_ACTUAL));
    assert_eq!(r.as_of, "");
    assert_eq!(r.attainment, Some(REGION_2017_ACTUAL / REGION_2017_TARGET));
    assert_eq!(r.status, "missed");
    assert_eq!(
        (r.expected, r.pace),
        (None, None),
        "a closed year has no pace"
    );
    assert_eq!(
        (r.growth, r.compared_with.as_str()),
        (Some(REGION_2017_ACTUAL / REGION_2016_ACTUAL - 1.0), "2016")
    );
    let page = region_page(dir.path());
    let row = html::row(html::series_table(&page, "Iuran"), "2017");
    assert_eq!(
        (row.cells[4].as_str(), row.cells[6].as_str()),
        ("−43,6%", "✗ Tidak tercapai"),
        "{:?}",
        row.cells
    );
}

/// Each entity's contributions: 2016, a closed year, by its performance
/// (actual / target); 2017 as of 30 June, by its pace (attainment / (181 /
/// 365 = 0.495890)).
///
/// | entity            | 2016                         | 2017 so far                        |
/// | region            | 956 / 814 = 1.1744 achieved   | 0.490236, pace 0.98860 on pace      |
/// | Sulawesi Utara    | 163.48 / 135 = 1.2110 achieved | 94.25 / 188.5 = 0.50, 1.00829 on pace |
/// | Gorontalo         | 53.46 / 55 = 0.9720 nearly   | 28.575 / 63.5 = 0.45, 0.90746 behind |
/// | Sulawesi Tengah   | 117.24 / 95 = 1.2341 achieved | 66.15 / 135 = 0.49, 0.98812 on pace |
/// | Sulawesi Barat    | 39.685 / 32 = 1.2402 achieved | 22.7 / 45.4 = 0.50, 1.00829 on pace |
/// | Sulawesi Selatan  | 392.615 / 300 = 1.3087 achieved | 231.92 / 446 = 0.52, 1.04862 on pace (under 1.05) |
/// | Sulawesi Tenggara | 95.87 / 85 = 1.1279 achieved | 52.17 / 111 = 0.47, 0.94779 behind |
/// | Maluku            | 61.73 / 70 = 0.8819 missed   | 29.52 / 72 = 0.41, 0.82680 behind  |
/// | Maluku Utara      | 31.92 / 42 = 0.7600 missed   | 13.68 / 38 = 0.36, 0.72597 far behind |
const CONTRIBUTIONS_STATUS: [(&str, &str, &str); 9] = [
    (REGION, "achieved", "on_pace"),
    ("sulawesi-utara", "achieved", "on_pace"),
    ("gorontalo", "nearly", "behind"),
    ("sulawesi-tengah", "achieved", "on_pace"),
    ("sulawesi-barat", "achieved", "on_pace"),
    ("sulawesi-selatan", "achieved", "on_pace"),
    ("sulawesi-tenggara", "achieved", "behind"),
    ("maluku", "missed", "behind"),
    ("maluku-utara", "missed", "far_behind"),
];

/// The symbol and Indonesian word of a status key.
fn id_status_words(status: &str) -> (&'static str, &'static str) {
    match status {
        "achieved" => ("✓", "Tercapai"),
        "nearly" => ("≈", "Hampir tercapai"),
        "missed" => ("✗", "Tidak tercapai"),
        "ahead" => ("▲", "Di atas laju"),
        "on_pace" => ("↗", "Sesuai laju"),
        "behind" => ("↘", "Di bawah laju"),
        "far_behind" => ("▼", "Jauh di bawah laju"),
        other => panic!("status {other} with a target and an actual"),
    }
}

#[test]
fn the_region_and_every_province_show_attainment_growth_and_status_for_2016_and_2017() {
    let dir = copy_example();
    build(dir.path()).expect("builds");
    for (id, closed_2016, pace_2017) in CONTRIBUTIONS_STATUS {
        let page = read(dir.path(), &format!("public/regions/{id}/index.html"));
        let table = html::series_table(&page, "Iuran");
        for (period, row_key, status) in [
            ("2016", "2016", closed_2016),
            ("2017", "2017 (Jan–Jun 2017)", pace_2017),
        ] {
            let r = figure(dir.path(), id, "contributions", period);
            assert_eq!(r.status, status, "{id} {period}");
            let cells = html::row(table, row_key).cells;
            // Period, actual, target, attainment, growth, difference, status.
            assert_eq!(cells.len(), 7, "{id} {period}: {cells:?}");
            let attainment = r.attainment.expect("a target and an actual");
            assert_eq!(cells[3], r.attainment_display, "{id} {period}: {cells:?}");
            assert!(
                (id_percent(&cells[3]) - attainment).abs() <= 0.0005,
                "{id} {period}: {} shows {}",
                attainment,
                cells[3]
            );
            if period == "2016" {
                let growth = r.growth.expect("a 2015 actual");
                assert_eq!(r.compared_with, "2015", "{id}");
                assert!(
                    (id_percent(&cells[4]) - growth).abs() <= 0.0005,
                    "{id} {period}: growth {growth} shows {}",
                    cells[4]
                );
                assert_eq!(
                    (r.as_of.as_str(), r.pace),
                    ("", None),
                    "{id} 2016 is closed"
                );
            } else {
                // Compared with January to June 2016, never the whole of 2016.
                let growth = r.growth.expect("January to June 2016");
                assert_eq!(r.compared_with, "2016-01/2016-06", "{id}");
                assert!(
                    (id_percent(&cells[4]) - growth).abs() <= 0.0005,
                    "{id} 2017: growth {growth} shows {}",
                    cells[4]
                );
                assert_eq!(r.as_of, "2017-06-30", "{id}");
                let expected = r.target.expect("a 2017 target") * SHARE_2017_06_30;
                assert_eq!(r.expected, Some(expected), "{id}");
                assert_eq!(
                    r.pace,
                    Some(r.actual.expect("an actual") / expected),
                    "{id}"
                );
            }
            let (symbol, word) = id_status_words(status);
            assert_eq!(r.status_display, word, "{id} {period}");
            assert_eq!(cells[6], format!("{symbol} {word}"), "{id} {period}");
        }
    }
}

#[test]
fn maluku_utara_missed_its_2016_target() {
    // 2016, a closed year: 31 920 of a 42 000 million target = 0.76 (76,0 %),
    // under 0.95: missed. growth = 31 920 / 32 558 − 1 = −0.019596 (−2,0 %) over its
    // 2015 actual; difference = 31 920 − 42 000 = −10 080 million.
    let dir = copy_example();
    build(dir.path()).expect("builds");
    let r = figure(dir.path(), "maluku-utara", "contributions", "2016");
    assert_eq!(r.actual, Some(31_920_000_000.0));
    assert_eq!(r.target, Some(42_000_000_000.0));
    assert_eq!(r.attainment, Some(31_920_000_000.0 / 42_000_000_000.0));
    assert_eq!(r.growth, Some(31_920_000_000.0 / 32_558_000_000.0 - 1.0));
    assert_eq!(r.status, "missed");
    assert_eq!(r.status_display, "Tidak tercapai");
    let page = read(dir.path(), "public/regions/maluku-utara/index.html");
    let row = html::row(html::series_table(&page, "Iuran"), "2016");
    assert_eq!(
        row.cells,
        [
            "2016",
            "Rp31,9 miliar",
            "Rp42 miliar",
            "76,0%",
            "−2,0%",
            "−Rp10,1 miliar",
            "✗ Tidak tercapai"
        ]
    );
    // And in the region's table of its provinces; 2017 in progress: 13 680 /
    // 38 000 = 36,0 %, pace 0.36 / 0.495890 = 0.72597: far behind.
    let region = region_page(dir.path());
    let history = html::history(&region, "Iuran: capaian per periode");
    assert_eq!(
        html::row(history, "Maluku Utara").cells,
        [
            "Maluku Utara",
            // Each with the actual under it.
            "76,0% ✗ Tidak tercapaiRp31,9 miliar",
            "36,0% ▼ Jauh di bawah lajuRp13,7 miliar"
        ]
    );
}

#[test]
fn an_english_site_writes_the_same_figures_the_english_way() {
    let dir = copy_example();
    replace_in(
        dir.path(),
        "content/site.yaml",
        "language: id",
        "language: en",
    );
    build(dir.path()).expect("builds");
    let region = region_page(dir.path());
    let table = html::series_table(&region, "Contributions");
    assert_eq!(
        html::row(table, "2016").cells,
        [
            "2016",
            "IDR 956 billion",
            "IDR 814 billion",
            "117.4%",
            "+15.0%",
            "+IDR 142 billion",
            "✓ Achieved"
        ]
    );
    // 2017 so far: expected 1 099 400 × 181 / 365 = 545 181.9 million,
    // pace 0.98860 (98.9 %): on pace; +25.3 % over January to June 2016.
    assert_eq!(
        html::row(table, "2017 (Jan–Jun 2017)").cells,
        [
            "2017 (Jan–Jun 2017)",
            "IDR 539 billionΣ",
            "IDR 1.1 trillion",
            "49.0%",
            "+25.3%",
            "−IDR 560 billion",
            "↗ On pace"
        ]
    );
    let current = html::card_current(html::card(&region, "Contributions"));
    assert_eq!(
        html::text(current),
        "Jan–Jun 2017 · as of 30 June 2017 IDR 539 billion \
         Target 2017 IDR 1.1 trillion Attainment 49.0% Expected by now IDR 545 billion \
         Pace 98.9% Growth (Jan–Jun 2016) +25.3% ↗ On pace \
         Target: growth target +15.0%, stated as IDR 1.1 trillion"
    );
    let people = html::card(&region, "New participants");
    assert_eq!(
        html::text(html::one(people, "p", Some("big"))),
        "618 thousand",
        "2017 so far first"
    );
    let r = figure(dir.path(), REGION, "contributions", "2017");
    assert_eq!(
        (r.attainment_display.as_str(), r.status_display.as_str()),
        ("49.0%", "On pace")
    );
    assert_eq!(r.actual_display, "IDR 538,965,000,000");
    let meeting = read(
        dir.path(),
        "public/meetings/2017-01-31-rakorwil-manado/index.html",
    );
    let facts = html::one(
        html::one(&meeting, "article", Some("prose")),
        "dl",
        Some("facts"),
    );
    let held = html::one(facts, "time", None);
    assert_eq!(html::attr(held, "datetime"), Some("2017-01-31"));
    assert_eq!(html::text(held), "Tuesday, 31 January 2017");
}

/// The region's 2019 contributions as its own table and its headline card
/// show them: the status cell of the 2019 row, and the card's "next target".
fn region_2019(dir: &std::path::Path) -> (String, String) {
    let page = region_page(dir);
    let status = html::row(html::series_table(&page, "Iuran"), "2019").cells[6].clone();
    let card = html::card(&page, "Iuran");
    let next = &card[card.find("<p class=\"card-next\">").expect("a next target")..];
    (status, html::text(next))
}

#[test]
fn a_target_several_years_ahead_gets_the_sdg_progress_measure() {
    // Observed growth from 2015 to 2016 (the last two final actuals; 2017 is
    // year-to-date): 956 000 / 831 189 − 1 = 0.150160 a year. Growth needed
    // from 2015 to reach a 2019 target in four steps: (target / 831 189)^(1/4) − 1.
    // - 2 trillion: 2.406188^(1/4) − 1 = 0.245466; ratio 0.150160 / 0.245466 = 0.612: moderate (≥ 0.6).
    // - 1.4 trillion: 1.684332^(1/4) − 1 = 0.139219; ratio 1.079: substantial (≥ 0.95).
    // - 3 trillion: 3.609287^(1/4) − 1 = 0.378342; ratio 0.397: limited (≥ 0).
    for (target, shown, progress) in [
        ("2000000000000", "Rp2 triliun", "Kemajuan sedang"),
        ("1400000000000", "Rp1,4 triliun", "Kemajuan substansial"),
        ("3000000000000", "Rp3 triliun", "Kemajuan terbatas"),
    ] {
        let dir = copy_example();
        add_figures(
            dir.path(),
            &format!(
                "  - {{entity: sulawesi-maluku, metric: contributions, period: 2019, target: {target}}}\n"
            ),
        );
        build(dir.path()).expect("builds");
        let (status, next) = region_2019(dir.path());
        assert_eq!(
            status,
            format!("– Belum ada realisasi {progress}"),
            "{target}"
        );
        assert_eq!(next, format!("Target 2019: {shown} {progress}"), "{target}");
        let r = figure(dir.path(), REGION, "contributions", "2019");
        assert_eq!((r.actual, r.target), (None, Some(target.parse().unwrap())));
        assert_eq!(r.status, "no_data");
    }
}

#[test]
fn when_lower_is_better_beating_the_target_means_staying_under_it() {
    // 2016, closed. Gorontalo: 8 days against a ceiling of 10, performance
    // 10 / 8 = 1.25: achieved; attainment 8 / 10 = 0.8, 80,0 % of the ceiling.
    // Maluku: 14 days, performance 10 / 14 = 0.714, under 0.95: missed;
    // attainment 14 / 10 = 1.4, 140,0 % of the ceiling.
    let dir = copy_example();
    append(
        dir.path(),
        "content/data/metrics.yaml",
        "\n  - id: days-to-pay\n    name: Hari pembayaran klaim\n    unit: count\n    aggregate: mean\n    direction: lower\n",
    );
    add_figures(
        dir.path(),
        "  - {entity: gorontalo, metric: days-to-pay, period: 2016, target: 10, actual: 8}\n  - {entity: maluku, metric: days-to-pay, period: 2016, target: 10, actual: 14}\n",
    );
    build(dir.path()).expect("builds");
    let g = figure(dir.path(), "gorontalo", "days-to-pay", "2016");
    assert_eq!((g.actual, g.target), (Some(8.0), Some(10.0)));
    assert_eq!(
        (g.performance, g.attainment),
        (Some(10.0 / 8.0), Some(8.0 / 10.0))
    );
    assert_eq!(g.status, "achieved");
    let m = figure(dir.path(), "maluku", "days-to-pay", "2016");
    assert_eq!((m.actual, m.target), (Some(14.0), Some(10.0)));
    assert_eq!(
        (m.performance, m.attainment),
        (Some(10.0 / 14.0), Some(14.0 / 10.0))
    );
    assert_eq!(m.status, "missed");
    let page = read(dir.path(), "public/regions/maluku/index.html");
    let row = html::row(html::series_table(&page, "Hari pembayaran klaim"), "2016");
    assert_eq!(
        (row.cells[3].as_str(), row.cells[6].as_str()),
        ("140,0% dari batas", "✗ Tidak tercapai"),
        "{:?}",
        row.cells
    );
}

#[test]
fn status_thresholds_come_from_site_yaml() {
    // Gorontalo's 2016 contributions, a closed year: 53 460 / 55 000 = 0.972
    // (97,2 %): nearly achieved by default (`nearly: 0.95`). The region's
    // 2017 contributions, in progress: pace 538 965 / 545 181.9 = 0.98860:
    // on pace by default (`on_pace: 0.95`).
    let attainment = Some(53_460_000_000.0 / 55_000_000_000.0);
    let dir = copy_example();
    build(dir.path()).expect("builds");
    let r = figure(dir.path(), "gorontalo", "contributions", "2016");
    assert_eq!(r.attainment, attainment);
    assert_eq!(r.status, "nearly");
    assert_eq!(
        figure(dir.path(), REGION, "contributions", "2017").status,
        "on_pace"
    );

    // `nearly: 0.98`: 0.972 is missed. `on_pace: 0.99`: 0.98860 is behind
    // (at least `behind: 0.8`).
    let dir = copy_example();
    replace_in(
        dir.path(),
        "content/site.yaml",
        "nearly: 0.95",
        "nearly: 0.98",
    );
    replace_in(
        dir.path(),
        "content/site.yaml",
        "on_pace: 0.95",
        "on_pace: 0.99",
    );
    build(dir.path()).expect("builds");
    let r = figure(dir.path(), "gorontalo", "contributions", "2016");
    assert_eq!(r.attainment, attainment);
    assert_eq!(r.status, "missed");
    let page = read(dir.path(), "public/regions/gorontalo/index.html");
    let row = html::row(html::series_table(&page, "Iuran"), "2016");
    assert_eq!(row.cells[6], "✗ Tidak tercapai", "{:?}", row.cells);
    let region = figure(dir.path(), REGION, "contributions", "2017");
    assert_eq!(region.status, "behind");
    let page = region_page(dir.path());
    let row = html::row(html::series_table(&page, "Iuran"), "2017 (Jan–Jun 2017)");
    assert_eq!(row.cells[6], "↘ Di bawah laju", "{:?}", row.cells);

    // The older names still work: `on_track` sets both `nearly` and
    // `on_pace`, `at_risk` sets `behind`. With 0.99 for both, 0.972 is
    // missed and 0.98860, under `behind`, far behind.
    let dir = copy_example();
    replace_in(
        dir.path(),
        "content/site.yaml",
        "  nearly: 0.95\n  ahead: 1.05\n  on_pace: 0.95\n  behind: 0.8\n",
        "  on_track: 0.99\n  at_risk: 0.99\n",
    );
    let report = build(dir.path()).expect("builds");
    assert!(report.warnings.is_empty(), "{}", listing(&report.warnings));
    assert_eq!(
        figure(dir.path(), "gorontalo", "contributions", "2016").status,
        "missed"
    );
    assert_eq!(
        figure(dir.path(), REGION, "contributions", "2017").status,
        "far_behind"
    );
}

#[test]
fn a_zero_target_leaves_attainment_undefined_never_nan_or_infinite() {
    let dir = copy_example();
    add_figures(
        dir.path(),
        "  - {entity: kc-manado, metric: contributions, period: 2015, target: 0, actual: 5}\n",
    );
    build(dir.path()).expect("builds");
    for (path, text) in html_files(&snapshot(&dir.path().join("public"))) {
        for bad in ["NaN", "inf%", "∞"] {
            assert!(!text.contains(bad), "{path} shows {bad}");
        }
    }
    let r = figure(dir.path(), "kc-manado", "contributions", "2015");
    assert_eq!((r.actual, r.target), (Some(5.0), Some(0.0)));
    assert_eq!(r.attainment, None, "attainment left empty");
    assert_eq!(r.status, "no_data");
    assert_eq!(r.attainment_display, "");
    let page = read(dir.path(), "public/regions/kc-manado/index.html");
    let row = html::row(html::series_table(&page, "Iuran"), "2015");
    assert_eq!(
        row.cells[3], "–",
        "attainment shown as a dash: {:?}",
        row.cells
    );
}

#[test]
fn a_csv_figure_file_works_like_a_yaml_one() {
    // The example keeps wage earners and non-wage earners in a CSV file.
    let dir = copy_example();
    build(dir.path()).expect("builds");
    let region = region_page(dir.path());
    for (metric, big, full) in [
        ("Peserta PU baru", "449 ribu", "449.312"),
        ("Peserta BPU baru", "129 ribu", "128.646"),
    ] {
        let value = html::one(html::card(&region, metric), "p", Some("big"));
        assert_eq!(html::text(value), big, "{metric}");
        assert_eq!(html::attr(value, "title"), Some(full), "{metric}");
    }
    let r = figure(dir.path(), "gorontalo", "wage-earners", "2016");
    assert_eq!(r.actual, Some(28212.0));
    assert_eq!(r.actual_from, "reported");
    assert_eq!(
        r.source,
        "Ilustratif: pembagian per jenis peserta disusun untuk contoh, bukan data resmi"
    );
}

const BY_TYPE: &str = "content/data/figures/participants-by-type-illustrative.csv";

/// The one error `check` reports for the site at `dir`.
fn only_error(dir: &std::path::Path) -> rekap::diagnostics::Diagnostic {
    let diags = content_errors(check(dir, false));
    let errors: Vec<_> = diags.into_iter().filter(|d| d.is_error()).collect();
    assert_eq!(errors.len(), 1, "exactly one error:\n{}", listing(&errors));
    errors.into_iter().next().unwrap()
}

#[test]
fn a_count_written_with_dot_thousands_in_a_csv_is_an_error_at_its_cell() {
    // Indonesian spreadsheets write twenty-eight thousand as 28.212.
    let dir = copy_example();
    replace_in(
        dir.path(),
        BY_TYPE,
        "gorontalo,wage-earners,2016,28212,",
        "gorontalo,wage-earners,2016,28.212,",
    );
    let e = only_error(dir.path());
    let line = line_of(dir.path(), BY_TYPE, "gorontalo,wage-earners,2016,28.212");
    assert_eq!(e.origin.file, BY_TYPE);
    assert_eq!((e.origin.pos.line, e.origin.pos.column), (line, 29), "{e}");
    assert!(e.message.contains("`28.212` is ambiguous"), "{e}");
    assert!(
        e.help.as_deref().unwrap_or("").contains("# decimal: comma"),
        "{e}"
    );
}

#[test]
fn a_csv_that_declares_decimal_commas_reads_dot_thousands_as_thousands() {
    let dir = copy_example();
    let text = read(dir.path(), BY_TYPE)
        .replace(
            "gorontalo,wage-earners,2016,28212,",
            "gorontalo;wage-earners;2016;28.212;",
        )
        .replace(',', ";")
        .replace(
            "\"Ilustratif: pembagian per jenis peserta disusun untuk contoh; bukan data resmi\"",
            "\"Ilustratif: pembagian per jenis peserta disusun untuk contoh, bukan data resmi\"",
        );
    write(dir.path(), BY_TYPE, &format!("# decimal: comma\n{text}"));
    build(dir.path()).unwrap_or_else(|e| panic!("{e}"));
    let r = figure(dir.path(), "gorontalo", "wage-earners", "2016");
    assert_eq!(r.actual, Some(28212.0));
}

#[test]
fn a_count_with_a_fraction_in_yaml_is_an_error_suggesting_the_whole_number() {
    let dir = copy_example();
    replace_in(
        dir.path(),
        "content/data/figures/2016.yaml",
        "    actual: 577958",
        "    actual: 577.958",
    );
    let e = only_error(dir.path());
    assert_eq!(e.origin.file, "content/data/figures/2016.yaml");
    assert!(
        e.message.contains("actual 577.958 is not a whole number"),
        "{e}"
    );
    assert!(
        e.help.as_deref().unwrap_or("").contains("write `577958`"),
        "{e}"
    );
}

#[test]
fn the_region_ranks_its_provinces_for_the_latest_period_and_tabulates_every_period() {
    let dir = copy_example();
    build(dir.path()).expect("builds");
    let region = region_page(dir.path());
    let rankings: Vec<Option<String>> = html::all(&region, "div", Some("breakdown"))
        .into_iter()
        .map(html::heading)
        .collect();
    assert_eq!(
        rankings,
        [
            Some("Peserta baru, 2017: per provinsi".to_string()),
            Some("Iuran, 2017: per provinsi".to_string()),
            Some("Peserta aktif, 2017: per provinsi".to_string()),
            Some("Lama penyelesaian klaim JHT, 2016: per provinsi".to_string())
        ],
        "one ranking per metric, for its latest period with figures only"
    );
    // 2017 is in progress: ranked by pace, attainment / (181 / 365), the
    // same order as attainment since every province had the same 181 days:
    // Sulawesi Selatan 231 920 / 446 000 = 0.52 (pace 1.04862); Sulawesi
    // Barat 22 700 / 45 400 and Sulawesi Utara 94 250 / 188 500 both 0.50
    // (pace 1.00829, tied, in id order); Sulawesi Tengah 0.49; Sulawesi
    // Tenggara 0.47; Gorontalo 0.45; Maluku 0.41; Maluku Utara 0.36 (pace
    // 0.72597).
    let ranking = html::breakdown(&region, "Iuran, 2017: per provinsi");
    assert_eq!(
        html::row_keys(ranking),
        [
            "Sulawesi Selatan",
            "Sulawesi Barat",
            "Sulawesi Utara",
            "Sulawesi Tengah",
            "Sulawesi Tenggara",
            "Gorontalo",
            "Maluku",
            "Maluku Utara"
        ]
    );
    let best = html::row(ranking, "Sulawesi Selatan");
    assert!(best.has_class("best"), "{}", best.html);
    assert_eq!(best.cells[0], "1");
    // Attainment, and in a period in progress the pace under it.
    assert_eq!(best.cells[4], "52,0%laju 104,9%");
    let last = html::row(ranking, "Maluku Utara");
    assert!(last.has_class("lagging"), "{}", last.html);
    assert_eq!(last.cells[4], "36,0%laju 72,6%");

    let histories: Vec<Option<String>> = html::all(&region, "div", Some("history"))
        .into_iter()
        .map(html::heading)
        .collect();
    assert_eq!(
        histories,
        [Some("Iuran: capaian per periode".to_string())],
        "one period with attainment (new participants) is the ranking already"
    );
    let history = html::history(&region, "Iuran: capaian per periode");
    let head = html::one(history, "thead", None);
    assert_eq!(
        html::text(head),
        "Entitas 2016 2017",
        "no column without attainment (2015)"
    );
    // Maluku Utara: 31 920 / 42 000 = 76.0 % in 2016, closed, under 95 %:
    // missed; 13 680 / 38 000 = 36.0 % at mid-2017, 0.36 / 0.495890 =
    // 0.72597 of the pace, under 0.80: far behind.
    assert_eq!(
        html::row(history, "Maluku Utara").cells,
        [
            "Maluku Utara",
            "76,0% ✗ Tidak tercapaiRp31,9 miliar",
            "36,0% ▼ Jauh di bawah lajuRp13,7 miliar"
        ]
    );
}

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

#[test]
fn the_region_and_every_province_show_attainment_growth_and_status_for_2016_and_2017() {
    let dir = copy_example();
    build(dir.path()).expect("builds");
    let region = region_page(dir.path());
    // 2016 contributions: 956 against 814 billion, 15.0 % over the 2015 sum of the provinces.
    assert!(region.contains("117,4%") && region.contains("+15,0%") && region.contains("Tercapai"));
    // 2017 is in progress (as of 30 June): judged against half a year, not the full target.
    assert!(
        region.contains("per 30 Juni 2017"),
        "the period in progress says so"
    );
    assert!(
        region.contains("Sesuai jalur"),
        "49 % of the 2017 target at mid-year is on track"
    );
    for p in ["gorontalo", "maluku", "maluku-utara", "sulawesi-selatan"] {
        let page = read(dir.path(), &format!("public/regions/{p}/index.html"));
        for period in ["2016", "2017"] {
            assert!(
                page.contains(&format!("<th scope=\"row\">{period}")),
                "{p} has a {period} row"
            );
        }
        assert!(page.contains('%'), "{p} shows attainment and growth");
    }
    let mu = read(dir.path(), "public/regions/maluku-utara/index.html");
    assert!(
        mu.contains("76,0%") && mu.contains("Tertinggal jauh"),
        "Maluku Utara 2016: 31,92 of 42 billion"
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
    for s in [
        "IDR 956 billion",
        "IDR 814 billion",
        "117.4%",
        "IDR 1.1 trillion",
        "578 thousand",
        "On track",
        "as of 30 June 2017",
    ] {
        assert!(region.contains(s), "`{s}` on the English region page");
    }
    let meeting = read(
        dir.path(),
        "public/meetings/2017-01-31-rakorwil-manado/index.html",
    );
    assert!(meeting.contains("Tuesday, 31 January 2017"));
}

#[test]
fn a_target_several_years_ahead_gets_the_sdg_progress_measure() {
    // Observed growth 2015 -> 2016 is 15 % (831 -> 956 billion); a 2019 target
    // of 2 trillion needs 24.6 % a year from 2015: ratio 0.61, moderate progress.
    let dir = copy_example();
    add_figures(
        dir.path(),
        "  - {entity: sulawesi-maluku, metric: contributions, period: 2019, target: 2000000000000}\n",
    );
    build(dir.path()).expect("builds");
    assert!(
        region_page(dir.path()).contains("Kemajuan sedang"),
        "moderate progress"
    );

    let dir = copy_example();
    add_figures(
        dir.path(),
        "  - {entity: sulawesi-maluku, metric: contributions, period: 2019, target: 1400000000000}\n",
    );
    build(dir.path()).expect("builds");
    assert!(
        region_page(dir.path()).contains("Kemajuan substansial"),
        "substantial progress"
    );

    let dir = copy_example();
    add_figures(
        dir.path(),
        "  - {entity: sulawesi-maluku, metric: contributions, period: 2019, target: 3000000000000}\n",
    );
    build(dir.path()).expect("builds");
    assert!(
        region_page(dir.path()).contains("Kemajuan terbatas"),
        "limited progress"
    );
}

#[test]
fn when_lower_is_better_beating_the_target_means_staying_under_it() {
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
    let g = read(dir.path(), "public/regions/gorontalo/data.csv");
    let m = read(dir.path(), "public/regions/maluku/data.csv");
    assert!(
        g.lines()
            .any(|l| l.contains("days-to-pay") && l.contains(",achieved,")),
        "{g}"
    );
    assert!(
        m.lines()
            .any(|l| l.contains("days-to-pay") && l.contains(",off_track,")),
        "{m}"
    );
}

#[test]
fn status_thresholds_come_from_site_yaml() {
    // Gorontalo 2016 contributions: 97.2 %. On track by default, at risk if on_track needs 98 %.
    let dir = copy_example();
    replace_in(
        dir.path(),
        "content/site.yaml",
        "on_track: 0.95",
        "on_track: 0.98",
    );
    build(dir.path()).expect("builds");
    let csv = read(dir.path(), "public/regions/gorontalo/data.csv");
    let row = csv
        .lines()
        .find(|l| {
            l.starts_with("gorontalo,") && l.contains(",contributions,") && l.contains(",2016,")
        })
        .unwrap();
    assert!(row.contains(",at_risk,"), "{row}");
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
    let csv = read(dir.path(), "public/regions/kc-manado/data.csv");
    let mut r = csv::Reader::from_reader(csv.as_bytes());
    let headers = r.headers().unwrap().clone();
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let row = r
        .records()
        .map(|x| x.unwrap())
        .find(|x| &x[col("metric")] == "contributions" && &x[col("period")] == "2015")
        .expect("the 2015 row");
    assert_eq!(&row[col("attainment")], "", "attainment left empty");
    assert_eq!(&row[col("status")], "no_data");
    assert_eq!(&row[col("actual")], "5");
}

#[test]
fn a_csv_figure_file_works_like_a_yaml_one() {
    // The example keeps wage earners and non-wage earners in a CSV file.
    let dir = copy_example();
    build(dir.path()).expect("builds");
    let region = region_page(dir.path());
    assert!(region.contains("449 ribu") && region.contains("129 ribu"));
    let csv = read(dir.path(), "public/data/figures.csv");
    assert!(csv.lines().any(|l| l.starts_with("gorontalo,")
        && l.contains(",wage-earners,")
        && l.contains(",28212,")));
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
    let csv = read(dir.path(), "public/data/figures.csv");
    let row = csv
        .lines()
        .find(|l| {
            l.starts_with("gorontalo,") && l.contains(",wage-earners,") && l.contains(",2016,")
        })
        .expect("the Gorontalo 2016 wage-earner row");
    let header: Vec<&str> = csv.lines().next().unwrap().split(',').collect();
    let actual = header
        .iter()
        .position(|h| *h == "actual")
        .expect("actual column");
    assert_eq!(row.split(',').nth(actual), Some("28212"), "{row}");
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
    assert!(
        region.contains("Iuran, 2017: rincian"),
        "the ranking is for the latest period"
    );
    assert!(
        !region.contains("Iuran, 2016: rincian"),
        "earlier periods are not ranked again"
    );
    let start = region
        .find("Iuran: capaian per periode")
        .expect("an attainment-by-period table for contributions");
    let table = &region[start..start + region[start..].find("</table>").unwrap()];
    assert!(table.contains(">2016<") && table.contains(">2017<"));
    assert!(!table.contains(">2015<"), "no column without attainment");
    // Maluku Utara: 76.0 % in 2016 (far behind), 36.0 % at mid-2017.
    let row = &table[table.find("Maluku Utara").unwrap()..];
    let row = &row[..row.find("</tr>").unwrap()];
    assert!(
        row.contains("76,0%") && row.contains("Tertinggal jauh"),
        "{row}"
    );
    assert!(row.contains("36,0%"), "{row}");
    assert!(
        !region.contains("Peserta baru: capaian per periode"),
        "one period with attainment is the ranking already"
    );
}

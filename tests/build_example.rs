//! The example site, built end to end: which pages exist, what they show, and
//! the rules every build follows (escaping, determinism, overrides, drafts).

mod common;

use std::path::Path;

use common::*;
use rekap::Error;

/// The ten entity ids of the example's hierarchy.
const ENTITY_IDS: [&str; 10] = [
    "sulawesi-maluku",
    "sulawesi-utara",
    "gorontalo",
    "sulawesi-tengah",
    "sulawesi-barat",
    "sulawesi-selatan",
    "sulawesi-tenggara",
    "maluku",
    "maluku-utara",
    "kc-manado",
];

const RELEASE_PAGE: &str = "releases/2017-02-01-target-2017-sulawesi-maluku/index.html";
const MEETING_PAGE: &str = "meetings/2017-01-31-rakorwil-manado/index.html";

fn built_example() -> tempfile::TempDir {
    let dir = copy_example();
    let report = build(dir.path()).unwrap_or_else(|e| panic!("the example must build:\n{e}"));
    assert!(
        report.warnings.is_empty(),
        "the example builds without warnings:\n{}",
        listing(&report.warnings)
    );
    dir
}

fn assert_contains(haystack: &str, needle: &str, what: &str) {
    assert!(
        haystack.contains(needle),
        "{what} should contain {needle:?}"
    );
}

/// A minimal release file.
fn release(title: &str, date: &str, extra_front: &str, body: &str) -> String {
    format!("---\ntitle: {title}\ndate: {date}\n{extra_front}---\n\n{body}\n")
}

#[test]
fn the_example_builds_and_every_page_exists() {
    let dir = copy_example();
    let report = build(dir.path()).unwrap_or_else(|e| panic!("the example must build:\n{e}"));
    let out = dir.path().join("public");
    let mut expected = vec![
        "index.html".to_string(),
        "404.html".into(),
        "regions/index.html".into(),
        "releases/index.html".into(),
        RELEASE_PAGE.into(),
        "meetings/index.html".into(),
        MEETING_PAGE.into(),
        "years/index.html".into(),
        "years/2015/index.html".into(),
        "years/2016/index.html".into(),
        "years/2017/index.html".into(),
        "tentang/index.html".into(),
        "metodologi/index.html".into(),
        "search/index.html".into(),
        "tags/index.html".into(),
        "programmes/index.html".into(),
        "assets/style.css".into(),
    ];
    for tag in ["target", "kepesertaan", "iuran", "rakorwil", "manado"] {
        expected.push(format!("tags/{tag}/index.html"));
    }
    for p in ["jht", "jkk", "jkm", "jp"] {
        expected.push(format!("programmes/{p}/index.html"));
    }
    // The regions list sorted by name and by each metric's attainment.
    for key in [
        "name",
        "new-participants",
        "wage-earners",
        "non-wage-earners",
        "contributions",
        "active-participants",
        "claim-days",
    ] {
        expected.push(format!("regions/by/{key}/index.html"));
    }
    expected.extend(
        ENTITY_IDS
            .iter()
            .map(|id| format!("regions/{id}/index.html")),
    );
    for rel in &expected {
        assert!(out.join(rel).is_file(), "{rel} should be built");
    }
    let snap = snapshot(&out);
    let html = html_files(&snap);
    assert_eq!(
        report.pages,
        html.len(),
        "the report counts every HTML page written"
    );
    assert_eq!(
        html.len(),
        expected.len() - 1,
        "no unexpected pages: {:?}",
        html.iter().map(|(p, _)| p).collect::<Vec<_>>()
    );
}

/// The region's headline cards, on the home page and on its own page, the
/// period in progress first: contributions 2017 so far (538.965 of 1 099.4
/// billion = 49.0 %; 181 of 365 days gone, 545 billion expected by now, a
/// pace of 98.9 %: on pace; 538.965 / 430.202 − 1 = +25.3 % over January
/// to June 2016, the sum of the provinces' months), then 2016 (956 of 814
/// billion = 117.4 %,
/// achieved); new participants 2017 so far (618 130) then 2016 (577 958,
/// +20.0 % over the provinces' 481 734 of 2015).
fn assert_region_headlines(page: &str, what: &str) {
    let iuran = html::card(page, "Iuran");
    let big = html::one(iuran, "p", Some("big"));
    assert_eq!(html::text(big), "Rp539 miliar", "{what}");
    assert_eq!(
        html::attr(big, "title"),
        Some("Rp538.965.000.000"),
        "{what}"
    );
    assert_eq!(
        html::text(html::one(iuran, "dl", Some("facts"))),
        "Target 2017 Rp1,1 triliun Capaian 49,0% Seharusnya saat ini Rp545 miliar Laju 98,9% \
         Pertumbuhan (Jan–Jun 2016) +25,3%",
        "{what}"
    );
    let current = html::card_current(iuran);
    assert_eq!(html::status(current), "↗ Sesuai laju", "{what}");
    assert_eq!(
        html::text(html::one(iuran, "p", Some("card-previous"))),
        "2016 Rp956 miliar · 117,4% dari target ✓ Tercapai",
        "{what}"
    );
    let people = html::card(page, "Peserta baru");
    let big = html::one(people, "p", Some("big"));
    assert_eq!(html::text(big), "618 ribu", "{what}");
    assert_eq!(html::attr(big, "title"), Some("618.130"), "{what}");
    assert_eq!(
        html::text(html::one(people, "p", Some("card-previous"))),
        "2016 578 ribu · +20,0%",
        "{what}"
    );
}

#[test]
fn the_home_page_shows_the_region_headline_figures_in_indonesian() {
    let dir = built_example();
    let home = page(dir.path(), "index.html");
    assert_contains(&home, r#"<html lang="id""#, "the home page");
    assert_region_headlines(&home, "the home page");
}

#[test]
fn the_region_page_shows_attainment_and_status() {
    let dir = built_example();
    let region = page(dir.path(), "regions/sulawesi-maluku/index.html");
    assert_region_headlines(&region, "the region page");
    let row = html::row(html::series_table(&region, "Iuran"), "2016");
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
}

#[test]
fn a_province_page_shows_its_own_figures_and_status() {
    let dir = built_example();
    let p = page(dir.path(), "regions/maluku-utara/index.html");
    assert!(
        html::text(html::one(&p, "h1", None)).starts_with("Maluku Utara "),
        "the page is Maluku Utara's"
    );
    // The card leads with 2017 so far: January to June, the sum of its
    // months, 13 680 000 000 against a 2017 target of 38 000 000 000: 36.0 %;
    // expected by 30 June 38 × 181 / 365 = 18.84 billion, a pace of 72.6 %,
    // under 80 %: far behind; against January to June 2016 (14 364 000 000):
    // 13 680 / 14 364 − 1 = −4.8 %.
    let iuran = html::card(&p, "Iuran");
    let big = html::one(iuran, "p", Some("big"));
    assert_eq!(html::text(big), "Rp13,7 miliar");
    assert_eq!(html::attr(big, "title"), Some("Rp13.680.000.000"));
    assert_eq!(
        html::text(html::one(iuran, "dl", Some("facts"))),
        "Target 2017 Rp38 miliar Capaian 36,0% Seharusnya saat ini Rp18,8 miliar \
         Laju 72,6% Pertumbuhan (Jan–Jun 2016) −4,8%"
    );
    assert_eq!(
        html::status(html::card_current(iuran)),
        "▼ Jauh di bawah laju"
    );
    // Then 2016, a closed year: actual 31 920 000 000 against a target of
    // 42 000 000 000: 76.0 %, under 95 %: missed.
    assert_eq!(
        html::text(html::one(iuran, "p", Some("card-previous"))),
        "2016 Rp31,9 miliar · 76,0% dari target ✗ Tidak tercapai"
    );
    // 31 920 / 32 558 − 1 = −2.0 % over 2015, in the table.
    let row = html::row(html::series_table(&p, "Iuran"), "2016");
    assert_eq!(row.cells[4], "−2,0%", "{:?}", row.cells);
    // New participants: 2017 so far 27 600, 2016 33 733 (+3.2 % over 2015).
    let people = html::card(&p, "Peserta baru");
    assert_eq!(html::text(html::one(people, "p", Some("big"))), "27,6 ribu");
    assert_eq!(
        html::text(html::one(people, "p", Some("card-previous"))),
        "2016 33,7 ribu · +3,2%"
    );
    assert!(
        !p.contains("117,4%"),
        "a province page does not show the region's attainment"
    );
}

/// The `<summary>` text of a fold, and whether it opens folded.
fn fold(details: &str) -> (String, bool) {
    (
        html::text(html::one(details, "summary", None)),
        html::start_tag(details)
            .trim_end_matches('>')
            .split_whitespace()
            .any(|w| w == "open" || w.starts_with("open=")),
    )
}

#[test]
fn a_province_table_shows_the_years_and_folds_halves_quarters_and_months_away() {
    let dir = built_example();
    let p = page(dir.path(), "regions/sulawesi-selatan/index.html");
    let section = html::series(&p, "Iuran");
    // The main table: the years only, 2017 as its year-to-date. 2015:
    // 329 797 000 000; 2016: 392 615 000 000 against 300 000 000 000 =
    // 130,9 %, 392 615 / 329 797 − 1 = +19,0 %; 2017 to June: the months
    // 30 923 + 36 077 + 41 230 × 4 = 231 920 million, of 446 000 = 52,0 %,
    // against January to June 2016 (23 557 + 27 483 + 31 409 × 4 = 176 676):
    // 231 920 / 176 676 − 1 = +31,3 %.
    let main = html::series_table(&p, "Iuran");
    assert_eq!(
        html::text(html::one(main, "caption", None)),
        "Iuran per tahun"
    );
    assert_eq!(
        html::row_keys(main),
        ["2015", "2016", "2017 (Jan–Jun 2017)"],
        "years only in the main table"
    );
    assert_eq!(
        html::row(main, "2016").cells,
        [
            "2016",
            "Rp393 miliar",
            "Rp300 miliar",
            "130,9%",
            "+19,0%",
            "+Rp92,6 miliar",
            "✓ Tercapai"
        ]
    );
    assert_eq!(
        html::row(main, "2017 (Jan–Jun 2017)").cells[1..5],
        ["Rp232 miliar", "Rp446 miliar", "52,0%", "+31,3%"]
    );
    // Every shorter period is in a fold of its own kind, closed, longest
    // first, and nowhere else.
    let folds = html::all(section, "details", None);
    assert_eq!(
        folds.iter().map(|d| fold(d)).collect::<Vec<_>>(),
        [
            ("Per semester (3)".to_string(), false),
            ("Per triwulan (6)".to_string(), false),
            ("Per bulan (18)".to_string(), false)
        ]
    );
    let halves = html::series_grain(&p, "Iuran", "half");
    assert_eq!(
        html::text(html::one(halves, "caption", None)),
        "Iuran per semester"
    );
    assert_eq!(
        html::row_keys(halves),
        ["Semester I 2016", "Semester II 2016", "Semester I 2017"]
    );
    // The first half of 2017 is the same 231 920 million, +31,3 % over the
    // first half of 2016 (176 676 million).
    assert_eq!(
        html::row(halves, "Semester I 2017").cells[..5],
        [
            "Semester I 2017",
            "Rp232 miliar",
            "Tidak ada data",
            "–",
            "+31,3%"
        ]
    );
    let quarters = html::series_grain(&p, "Iuran", "quarter");
    assert_eq!(
        html::row_keys(quarters),
        [
            "Triwulan I 2016",
            "Triwulan II 2016",
            "Triwulan III 2016",
            "Triwulan IV 2016",
            "Triwulan I 2017",
            "Triwulan II 2017"
        ]
    );
    // 23 557 + 27 483 + 31 409 = 82 449 million.
    assert_eq!(
        html::row(quarters, "Triwulan I 2016").cells[..2],
        ["Triwulan I 2016", "Rp82,4 miliar"]
    );
    let months = html::series_grain(&p, "Iuran", "month");
    assert_eq!(
        html::text(html::one(months, "caption", None)),
        "Iuran per bulan"
    );
    let keys = html::row_keys(months);
    assert_eq!(keys.len(), 18, "{keys:?}");
    assert_eq!(
        (keys[0].as_str(), keys[17].as_str()),
        ("Januari 2016", "Juni 2017")
    );
    // June 2017: 41 230 million, against June 2016 (31 409 million):
    // 41 230 / 31 409 − 1 = +31,3 %.
    assert_eq!(
        html::row(months, "Juni 2017").cells,
        [
            "Juni 2017",
            "Rp41,2 miliar",
            "Tidak ada data",
            "–",
            "+31,3%",
            "–",
            "– Tanpa target"
        ]
    );
    // The folded tables keep the main table's headers, and every cell its
    // label for the phone layout.
    for t in [main, halves, quarters, months] {
        assert_eq!(
            html::text(html::one(t, "thead", None)),
            "Periode Realisasi Target Capaian Pertumbuhan Selisih dari target Status"
        );
        assert!(html::has_class(html::one(t, "table", None), "reflow"));
    }
    assert!(
        html::all(months, "td", None)
            .iter()
            .all(|td| html::attr(td, "data-label").is_some_and(|l| !l.is_empty())),
        "every cell of the months has its label"
    );
    // A stock: active participants have months in 2017 only, and the main
    // table shows 2017 at its latest month.
    let active = html::series_table(&p, "Peserta aktif");
    assert_eq!(html::row_keys(active), ["2016", "2017 (Juni 2017)"]);
    assert_eq!(
        fold(html::series_grain(&p, "Peserta aktif", "month")),
        ("Per bulan (6)".to_string(), false)
    );
}

#[test]
fn the_children_s_attainment_by_quarter_is_folded_under_their_years() {
    let dir = copy_example();
    // Targets for the first quarter of 2017, a closed quarter at 30 June.
    write(
        dir.path(),
        "content/data/figures/quarter-targets.yaml",
        "source: \"Ilustratif: target triwulan\"\nfigures:\n  \
         - {entity: sulawesi-selatan, metric: contributions, period: 2017-Q1, target: 100000000000}\n  \
         - {entity: gorontalo, metric: contributions, period: 2017-Q1, target: 15000000000}\n",
    );
    build(dir.path()).unwrap_or_else(|e| panic!("{e}"));
    let region = page(dir.path(), "regions/sulawesi-maluku/index.html");
    let history = html::history(&region, "Iuran: capaian per periode");
    // The main table keeps the years only.
    let main = html::unfolded_table(history);
    assert_eq!(
        html::text(html::one(main, "thead", None)),
        "Entitas 2016 2017"
    );
    let fold = html::one(history, "details", Some("grain-quarter"));
    assert_eq!(
        html::text(html::one(fold, "summary", None)),
        "Per triwulan (1)"
    );
    assert_eq!(
        html::attr(html::one(fold, "div", Some("table-scroll")), "aria-label"),
        Some("Iuran: capaian per periode, per triwulan")
    );
    assert_eq!(
        html::text(html::one(fold, "thead", None)),
        "Entitas Triwulan I 2017"
    );
    // Sulawesi Selatan: 30 923 + 36 077 + 41 230 = 108 230 million of 100 000:
    // 108,2 %, achieved; Gorontalo: 3 810 + 4 445 + 5 080 = 13 335 million of
    // 15 000: 88,9 %, under 95 %: missed; the others have no quarter target.
    assert_eq!(
        html::row(fold, "Sulawesi Selatan").cells,
        ["Sulawesi Selatan", "108,2% ✓ TercapaiRp108 miliar"]
    );
    assert_eq!(
        html::row(fold, "Gorontalo").cells,
        ["Gorontalo", "88,9% ✗ Tidak tercapaiRp13,3 miliar"]
    );
    assert_eq!(html::row(fold, "Maluku").cells, ["Maluku", "–"]);
}

#[test]
fn the_meeting_page_shows_date_place_attendees_and_targets_set() {
    let dir = built_example();
    let m = page(dir.path(), MEETING_PAGE);
    let meeting = html::one(&m, "article", Some("prose"));
    let facts = html::one(html::one(meeting, "header", None), "dl", Some("facts"));
    assert_eq!(
        html::text(facts),
        "Tanggal Selasa, 31 Januari 2017 Tempat Manado Entitas Sulawesi dan Maluku"
    );
    let attendees: Vec<String> = html::all(meeting, "li", None)
        .into_iter()
        .filter_map(|li| html::all(li, "strong", None).first().map(|s| html::text(s)))
        .collect();
    for name in [
        "E. Ilyas Lubis",
        "Umardin Lubis",
        "Asri Basir",
        "Januar Hermawan",
    ] {
        assert!(
            attendees.iter().any(|a| a == name),
            "{name} attended: {attendees:?}"
        );
    }
    // The targets set, each with the latest actual and its status, judged
    // against the value expected by 30 June 2017 (181 of 365 days): new
    // participants 618 130 of 1.5 million, expected 1 500 000 × 181 / 365 =
    // 743 835.6, pace 618 130 / 743 835.6 = 0.83100: behind (≥ 0.80, < 0.95);
    // contributions 538.965 of 1 099.4 billion, expected 545.182 billion,
    // pace 0.98860: on pace (≥ 0.95, < 1.05).
    let targets = html::table_after(meeting, "Target yang ditetapkan");
    assert_eq!(
        html::row(targets, "Peserta baru").cells,
        [
            "Peserta baru",
            "Sulawesi dan Maluku",
            "2017: 1,5 juta",
            "Jan–Jun 2017: 618 ribu per 30 Juni 2017 Seharusnya saat ini: 744 ribu · laju 83,1%",
            "↘ Di bawah laju"
        ]
    );
    assert_eq!(
        html::row(targets, "Iuran").cells,
        [
            "Iuran",
            "Sulawesi dan Maluku",
            "2017: Rp1,1 triliun target pertumbuhan +15,0%, dinyatakan sebagai Rp1,1 triliun",
            "Jan–Jun 2017: Rp539 miliar per 30 Juni 2017 Seharusnya saat ini: Rp545 miliar · laju 98,9%",
            "↗ Sesuai laju"
        ]
    );
}

#[test]
fn the_meeting_page_charts_active_participants_by_type_and_the_download_carries_them() {
    let dir = built_example();
    let m = page(dir.path(), MEETING_PAGE);
    let meeting = html::one(&m, "article", Some("prose"));
    // The region's active participants by type (illustrative), each set adding
    // up to the sum of the provinces: 1 405 210 + 279 530 + 165 270 =
    // 1 850 010 at the end of 2016; 1 462 118 + 313 420 + 176 200 = 1 951 738
    // at the end of June 2017. Shares in June 2017: 1 462 118 / 1 951 738 =
    // 74,91 %, 313 420 / 1 951 738 = 16,06 %, 176 200 / 1 951 738 = 9,03 %.
    let chart = html::chart(
        meeting,
        "Peserta aktif, Sulawesi dan Maluku Juni 2017: Penerima upah (PU) 74,9%, \
         Bukan penerima upah (BPU) 16,1%, Jasa konstruksi 9,0%",
    );
    assert!(
        html::has_class(chart, "chart-categories"),
        "{}",
        html::start_tag(chart)
    );
    assert_eq!(
        html::text(html::one(chart, "span", Some("chart-subtitle"))),
        "Orang · Sulawesi dan Maluku, per jenis peserta · 2016–Juni 2017"
    );
    // Its data table: 1 405 210 is 1,41 juta, 279 530 is 280 ribu ...
    let table = html::one(chart, "details", None);
    assert_eq!(
        html::text(html::one(table, "thead", None)),
        "Periode Penerima upah (PU) Bukan penerima upah (BPU) Jasa konstruksi Jumlah"
    );
    assert_eq!(
        html::row(table, "2016").cells,
        ["2016", "1,41 juta", "280 ribu", "165 ribu", "1,85 juta"]
    );
    assert_eq!(
        html::row(table, "Juni 2017").cells,
        [
            "Juni 2017",
            "1,46 juta",
            "313 ribu",
            "176 ribu",
            "1,95 juta"
        ]
    );
    // The sentence that introduces it comes right before it.
    let before = &m[..m.find(chart).expect("the chart is on the page")];
    let intro = html::all(before, "p", None)
        .into_iter()
        .next_back()
        .expect("a paragraph before the chart");
    assert!(
        html::text(intro).starts_with(
            "Sebagian besar peserta aktif wilayah ini adalah pekerja penerima upah (PU)"
        ),
        "{}",
        html::text(intro)
    );
    // The region's page tabulates them with their share of the whole:
    // 1 405 210 / 1 850 010 = 75,96 %.
    let region = page(dir.path(), "regions/sulawesi-maluku/index.html");
    let by_type = html::titled(
        &region,
        "section",
        Some("categories"),
        "Peserta aktif: per jenis peserta",
    );
    assert_eq!(
        html::row(by_type, "Penerima upah (PU)").cells,
        [
            "Penerima upah (PU)",
            "1,41 juta (76,0%)",
            "1,46 juta (74,9%)"
        ]
    );
    // The downloads carry every category figure exactly, beside the whole.
    for download in ["data/figures.json", "regions/sulawesi-maluku/data.json"] {
        let rows = common::figures::read(&dir.path().join("public").join(download));
        let mut by: Vec<(String, String, Option<f64>)> = rows
            .iter()
            .filter_map(|r| match r.fields.get("by") {
                Some(common::figures::Json::String(b)) if !b.is_empty() => {
                    assert_eq!(
                        (r.entity.as_str(), r.metric.as_str()),
                        ("sulawesi-maluku", "active-participants")
                    );
                    Some((r.period.clone(), b.clone(), r.actual))
                }
                _ => None,
            })
            .collect();
        by.sort_by(|a, b| a.partial_cmp(b).expect("numbers"));
        let row = |p: &str, b: &str, a: f64| (p.to_string(), b.to_string(), Some(a));
        assert_eq!(
            by,
            [
                row("2016", "type=bpu", 279_530.0),
                row("2016", "type=jakon", 165_270.0),
                row("2016", "type=pu", 1_405_210.0),
                row("2017-06", "type=bpu", 313_420.0),
                row("2017-06", "type=jakon", 176_200.0),
                row("2017-06", "type=pu", 1_462_118.0),
            ],
            "{download}"
        );
    }
    let whole =
        common::figures::figure(dir.path(), "sulawesi-maluku", "active-participants", "2016");
    assert_eq!(whole.actual, Some(1_850_010.0));
    let june = common::figures::figure(
        dir.path(),
        "sulawesi-maluku",
        "active-participants",
        "2017-06",
    );
    assert_eq!(june.actual, Some(1_951_738.0));
}

#[test]
fn the_example_checks_that_participant_types_add_up_to_the_total() {
    let dir = copy_example();
    // One type 10 short: the region's total, taken from its types, is
    // 1 850 000, and its provinces add up to 1 850 010.
    replace_in(
        dir.path(),
        "content/data/figures/active-participants-by-type-illustrative.yaml",
        "actual: 1405210,",
        "actual: 1405200,",
    );
    let warnings = check(dir.path(), false).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0].message.contains(
            "`sulawesi-maluku` reports actual 1850000 for `active-participants` 2016, but its children add up to 1850010"
        ),
        "{}",
        warnings[0]
    );
    assert_eq!(
        warnings[0].origin.file,
        "content/data/figures/active-participants-by-type-illustrative.yaml"
    );
    assert!(
        !content_errors(check(dir.path(), true)).is_empty(),
        "an error with --strict"
    );
}

#[test]
fn the_release_writes_its_numbers_from_the_data() {
    let dir = built_example();
    let r = page(dir.path(), RELEASE_PAGE);
    let release = html::one(&r, "article", Some("prose"));
    assert_eq!(
        html::text(html::containing(release, "p", "Dari sisi keuangan")),
        "Selama 2016, wilayah yang meliputi Sulawesi Utara, Gorontalo, Sulawesi Tengah, \
         Sulawesi Barat, Sulawesi Selatan, Sulawesi Tenggara, Maluku dan Maluku Utara ini \
         mencatat 577.958 peserta baru, gabungan pekerja penerima upah dan bukan penerima upah. \
         Dari sisi keuangan, iuran yang terkumpul mencapai Rp956 miliar, di atas target \
         Rp814 miliar yang ditetapkan untuk tahun tersebut, atau 117,4% dari target."
    );
    assert_eq!(
        html::text(html::containing(release, "li", "Kepesertaan:")),
        "Kepesertaan: 1,5 juta peserta baru, tidak termasuk peserta dari sektor jasa konstruksi."
    );
    // 956 000 000 000 × 1.15 = 1 099 400 000 000, "about 1.1 trillion".
    assert_eq!(
        html::text(html::containing(release, "li", "Iuran:")),
        "Iuran: pertumbuhan +15,0% dibandingkan realisasi 2016, atau sekitar Rp1,1 triliun.1",
        "the footnote reference, 1, follows the full stop"
    );
    let note = html::one(release, "div", Some("footnote-definition"));
    assert_eq!(
        html::text(note),
        "1 Realisasi iuran 2016 sebesar Rp956.000.000.000 ditambah +15,0% menghasilkan \
         Rp1.099.400.000.000, yang dalam rapat dibulatkan menjadi sekitar Rp1,1 triliun."
    );
}

#[test]
fn the_release_page_renders_markdown_and_links_to_its_meeting() {
    let dir = built_example();
    let r = page(dir.path(), RELEASE_PAGE);
    assert_contains(
        &r,
        r#"<h2 id=""#,
        "the release page (a Markdown heading with its anchor)",
    );
    assert_contains(&r, "<strong>", "the release page (Markdown emphasis)");
    assert_contains(&r, "footnote-reference", "the release page");
    assert_contains(&r, "footnote-definition", "the release page");
    assert_contains(
        &r,
        r#"href="/meetings/2017-01-31-rakorwil-manado/""#,
        "the release page",
    );
    assert!(
        !r.contains("[^1]"),
        "footnote markers are rendered, not left as text"
    );
    assert!(
        !r.contains("\n## "),
        "headings are rendered, not left as text"
    );
}

#[test]
fn lists_of_releases_are_newest_first() {
    let dir = copy_example();
    // File names sort in the opposite order of the dates.
    write(
        dir.path(),
        "content/releases/0-older.md",
        &release("Rilis Lama Sekali", "2016-06-01", "", "Lama."),
    );
    write(
        dir.path(),
        "content/releases/a-newer.md",
        &release("Rilis Paling Baru", "2017-03-15", "", "Baru."),
    );
    build(dir.path()).unwrap_or_else(|e| panic!("{e}"));
    for rel in ["releases/index.html", "index.html", "years/index.html"] {
        let html = page(dir.path(), rel);
        if rel == "years/index.html" {
            let (y17, y16) = (
                html.find("/years/2017/").expect("2017"),
                html.find("/years/2016/").expect("2016"),
            );
            assert!(y17 < y16, "years are listed newest first");
            continue;
        }
        let newer = html
            .find("/releases/a-newer/")
            .unwrap_or_else(|| panic!("{rel} lists the newer release"));
        let middle = html
            .find("/releases/2017-02-01-target-2017-sulawesi-maluku/")
            .unwrap_or_else(|| panic!("{rel} lists the example release"));
        let older = html
            .find("/releases/0-older/")
            .unwrap_or_else(|| panic!("{rel} lists the older release"));
        assert!(
            newer < middle && middle < older,
            "{rel} lists releases newest first"
        );
    }
}

#[test]
fn every_figure_shows_its_source_on_the_entity_page() {
    let dir = built_example();
    let mut checked = 0;
    for id in ENTITY_IDS {
        let p = page(dir.path(), &format!("regions/{id}/index.html"));
        for f in figures::read(&dir.path().join(format!("public/regions/{id}/data.json"))) {
            let metric_name = f
                .fields
                .get("metric_name")
                .and_then(|v| match v {
                    figures::Json::String(s) => Some(s.clone()),
                    _ => None,
                })
                .expect("a metric name");
            let sources = html::one(html::series(&p, &metric_name), "ul", Some("sources"));
            // A line written once for every period it applies to: `2015, 2016`,
            // `Januari 2016–Juni 2017`; their codes in data-periods.
            let item = html::all(sources, "li", None)
                .into_iter()
                .find(|li| {
                    html::attr(li, "data-periods")
                        .unwrap_or_default()
                        .split(' ')
                        .any(|p| p == f.period)
                })
                .unwrap_or_else(|| panic!("{id}: no source line for {metric_name} {}", f.period));
            assert!(
                html::text(item).ends_with(&format!("Sumber: {}", f.source)),
                "{id}, {metric_name} {}: {:?} should end with the source {:?}",
                f.period,
                html::text(item),
                f.source
            );
            checked += 1;
        }
    }
    assert!(checked >= 60, "{checked} figures checked");
}

#[test]
fn an_english_site_formats_numbers_dates_and_words_in_english() {
    let dir = copy_example();
    replace_in(
        dir.path(),
        "content/site.yaml",
        "language: id",
        "language: en",
    );
    build(dir.path()).unwrap_or_else(|e| panic!("{e}"));
    let home = page(dir.path(), "index.html");
    assert_contains(&home, r#"<html lang="en""#, "the English home page");
    let card = html::card(&home, "Contributions");
    assert_eq!(
        html::text(html::one(card, "p", Some("big"))),
        "IDR 539 billion"
    );
    assert_eq!(
        html::text(html::one(card, "dl", Some("facts"))),
        "Target 2017 IDR 1.1 trillion Attainment 49.0% Expected by now IDR 545 billion \
         Pace 98.9% Growth (Jan–Jun 2016) +25.3%"
    );
    assert_eq!(html::status(html::card_current(card)), "↗ On pace");
    assert_eq!(
        html::text(html::one(card, "p", Some("card-previous"))),
        "2016 IDR 956 billion · 117.4% of the target ✓ Achieved"
    );
    assert!(
        !home.contains("miliar") && !home.contains("Tercapai"),
        "no Indonesian words on an English page"
    );
    let meeting = page(dir.path(), MEETING_PAGE);
    let facts = html::one(
        html::one(&meeting, "article", Some("prose")),
        "dl",
        Some("facts"),
    );
    assert_eq!(
        html::text(html::one(facts, "time", None)),
        "Tuesday, 31 January 2017"
    );
    let region = page(dir.path(), "regions/sulawesi-maluku/index.html");
    assert!(
        html::text(html::one(&region, "h1", None)).starts_with("Sulawesi and Maluku "),
        "the English name"
    );
    assert_eq!(
        html::row(html::series_table(&region, "Contributions"), "2016").cells[6],
        "✓ Achieved"
    );
    // The region's months (the sum of its provinces'), folded in English.
    let months = html::series_grain(&region, "Contributions", "month");
    assert_eq!(
        html::text(html::one(months, "summary", None)),
        "By month (18)"
    );
    assert_eq!(
        html::text(html::one(months, "caption", None)),
        "Contributions by month"
    );
    assert_eq!(
        html::text(html::one(
            html::series_grain(&region, "Contributions", "quarter"),
            "summary",
            None
        )),
        "By quarter (6)"
    );
}

#[test]
fn every_page_is_html5_with_one_h1_a_title_and_no_script() {
    let dir = built_example();
    let snap = snapshot(&dir.path().join("public"));
    let pages = html_files(&snap);
    assert!(pages.len() >= 20);
    for (path, html) in pages {
        assert!(
            html.starts_with("<!DOCTYPE html>"),
            "{path} starts with the HTML5 doctype"
        );
        let h1 = html.matches("<h1>").count() + html.matches("<h1 ").count();
        assert_eq!(h1, 1, "{path} has exactly one <h1>");
        let title = html
            .split("<title>")
            .nth(1)
            .and_then(|t| t.split("</title>").next())
            .unwrap_or("");
        assert!(!title.trim().is_empty(), "{path} has a non-empty <title>");
        // Script is loaded on the search page only; every other page works without it.
        if path != "search/index.html" {
            assert!(
                !html.to_lowercase().contains("<script"),
                "{path} has no script"
            );
        }
        assert!(
            html.trim_end().ends_with("</html>"),
            "{path} ends with </html>"
        );
    }
}

#[test]
fn two_builds_of_the_same_input_are_byte_identical() {
    let dir = copy_example();
    let mut a = options(dir.path());
    a.output = dir.path().join("out-a");
    let mut b = options(dir.path());
    b.output = dir.path().join("out-b");
    rekap::build(&a).unwrap_or_else(|e| panic!("{e}"));
    rekap::build(&b).unwrap_or_else(|e| panic!("{e}"));
    let (sa, sb) = (snapshot(&a.output), snapshot(&b.output));
    assert!(sa.len() > 20);
    assert_eq!(
        sa.keys().collect::<Vec<_>>(),
        sb.keys().collect::<Vec<_>>(),
        "the same files"
    );
    for (path, bytes) in &sa {
        assert!(bytes == &sb[path], "{path} differs between two builds");
    }
}

#[test]
fn rebuilding_into_the_same_output_gives_the_same_bytes() {
    let dir = copy_example();
    build(dir.path()).unwrap_or_else(|e| panic!("{e}"));
    let first = snapshot(&dir.path().join("public"));
    build(dir.path()).unwrap_or_else(|e| panic!("{e}"));
    assert!(first == snapshot(&dir.path().join("public")));
}

#[test]
fn a_rebuild_after_an_edit_writes_only_what_changed_and_equals_a_fresh_build() {
    let dir = copy_example();
    let first = build(dir.path()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        first.written, first.files,
        "the first build writes every file"
    );
    // Change one actual: its pages, charts and downloads change, not the rest.
    let figures = dir.path().join("content/data/figures/2016.yaml");
    let text = std::fs::read_to_string(&figures).unwrap();
    assert!(text.contains("actual: 577958"));
    std::fs::write(&figures, text.replace("actual: 577958", "actual: 577959")).unwrap();
    let second = build(dir.path()).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        second.written > 0 && second.written < second.files / 2,
        "wrote {} of {} files",
        second.written,
        second.files
    );
    let incremental = snapshot(&dir.path().join("public"));
    let mut fresh = options(dir.path());
    fresh.output = dir.path().join("fresh");
    rekap::build(&fresh).unwrap_or_else(|e| panic!("{e}"));
    let fresh = snapshot(&fresh.output);
    assert_eq!(
        incremental.keys().collect::<Vec<_>>(),
        fresh.keys().collect::<Vec<_>>(),
        "the same files"
    );
    for (path, bytes) in &fresh {
        assert!(
            bytes == &incremental[path],
            "{path} differs from a fresh build"
        );
    }
    // Nothing changed: nothing written.
    let third = build(dir.path()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(third.written, 0);
}

const UNSAFE_BODY: &str = "Teks <script>alert(1)</script> di sini.\n\n<script>alert(2)</script>\n\n[x](javascript:alert(1)) dan <div class=\"raw-box\">kotak</div>\n";

#[test]
fn markdown_drops_raw_html_and_script_links_by_default() {
    let dir = copy_example();
    write(
        dir.path(),
        "content/releases/2017-03-01-unsafe.md",
        &release("Rilis Uji", "2017-03-01", "", UNSAFE_BODY),
    );
    build(dir.path()).unwrap_or_else(|e| panic!("{e}"));
    let r = page(dir.path(), "releases/2017-03-01-unsafe/index.html");
    assert_contains(&r, "Teks", "the release");
    assert!(!r.contains("<script"), "no script element");
    assert!(
        !r.contains("alert(1)</script>"),
        "no script body passed as HTML"
    );
    assert!(
        !r.to_lowercase().contains("javascript:"),
        "no javascript: link"
    );
    assert!(!r.contains(r#"<div class="raw-box">"#), "no raw HTML");
    for (path, html) in html_files(&snapshot(&dir.path().join("public"))) {
        if path != "search/index.html" {
            assert!(!html.contains("<script"), "{path} has no script");
        }
    }
}

#[test]
fn markdown_sanitises_raw_html_when_the_site_allows_it() {
    let dir = copy_example();
    replace_in(
        dir.path(),
        "content/site.yaml",
        "allow_html: false",
        "allow_html: true",
    );
    write(
        dir.path(),
        "content/releases/2017-03-01-unsafe.md",
        &release("Rilis Uji", "2017-03-01", "", UNSAFE_BODY),
    );
    build(dir.path()).unwrap_or_else(|e| panic!("{e}"));
    let r = page(dir.path(), "releases/2017-03-01-unsafe/index.html");
    let body = &r[r.find("<main").expect("main")..];
    assert_contains(body, r#"<div class="raw-box">kotak</div>"#, "the release");
    assert!(
        !body.contains("alert("),
        "script gone from the body:\n{body}"
    );
    assert!(!body.to_lowercase().contains("javascript:"), "{body}");
}

#[test]
fn markdown_passes_raw_html_as_written_only_when_the_site_trusts_it() {
    let dir = copy_example();
    replace_in(
        dir.path(),
        "content/site.yaml",
        "allow_html: false",
        "allow_html: trusted",
    );
    write(
        dir.path(),
        "content/releases/2017-03-01-unsafe.md",
        &release("Rilis Uji", "2017-03-01", "", UNSAFE_BODY),
    );
    build(dir.path()).unwrap_or_else(|e| panic!("{e}"));
    let r = page(dir.path(), "releases/2017-03-01-unsafe/index.html");
    assert_contains(&r, "<script>alert(2)</script>", "the release");
    assert_contains(&r, r#"<div class="raw-box">kotak</div>"#, "the release");
}

#[test]
fn front_matter_text_is_escaped_everywhere() {
    let dir = copy_example();
    write(
        dir.path(),
        "content/releases/2017-03-01-escape.md",
        &release(
            "\"R&D <b>bold</b>\"",
            "2017-03-01",
            "summary: \"x <i>y</i> & z\"\n",
            "Isi.",
        ),
    );
    build(dir.path()).unwrap_or_else(|e| panic!("{e}"));
    let r = page(dir.path(), "releases/2017-03-01-escape/index.html");
    assert_contains(&r, "R&amp;D &lt;b&gt;bold", "the release page");
    let snap = snapshot(&dir.path().join("public"));
    for (path, html) in html_files(&snap) {
        assert!(!html.contains("<b>bold"), "{path} shows the title as a tag");
        assert!(!html.contains("<i>y"), "{path} shows the summary as a tag");
    }
    for list in ["releases/index.html", "index.html", "years/2017/index.html"] {
        assert_contains(&page(dir.path(), list), "&lt;b&gt;bold", list);
    }
}

#[test]
fn a_site_template_replaces_the_embedded_one() {
    let dir = copy_example();
    write(
        dir.path(),
        "templates/404.html",
        "{% extends \"base.html\" %}{% block content %}<h1>Hilang</h1>CUSTOM404{% endblock content %}",
    );
    build(dir.path()).unwrap_or_else(|e| panic!("{e}"));
    let not_found = page(dir.path(), "404.html");
    assert_contains(&not_found, "CUSTOM404", "the overridden 404 page");
    assert!(
        !not_found.contains("Halaman tidak ditemukan</h1>"),
        "the embedded 404 body is gone"
    );
    assert_contains(
        &not_found,
        "<!DOCTYPE html>",
        "the override still extends the embedded base",
    );
    assert!(
        !page(dir.path(), "index.html").contains("CUSTOM404"),
        "other pages keep their templates"
    );
}

#[test]
fn a_broken_template_override_fails_the_build_naming_file_and_line() {
    let dir = copy_example();
    build(dir.path()).unwrap_or_else(|e| panic!("{e}"));
    let before = snapshot(&dir.path().join("public"));
    write(
        dir.path(),
        "templates/404.html",
        "{% extends \"base.html\" %}\n{% block content %}\n{{ broken( }}\n{% endblock content %}\n",
    );
    let diags = content_errors(build(dir.path()));
    let d = diags
        .iter()
        .find(|d| d.origin.file == "templates/404.html")
        .unwrap_or_else(|| panic!("an error names templates/404.html:\n{}", listing(&diags)));
    assert_eq!(d.origin.pos.line, 3, "{d}");
    assert!(d.is_error());
    assert!(
        before == snapshot(&dir.path().join("public")),
        "the previous output is untouched"
    );
    // The CLI reports it too, with exit code 1.
    let out = run(&["build".as_ref(), "--root".as_ref(), dir.path().as_os_str()]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("templates/404.html:3:"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn static_files_are_copied_as_they_are() {
    let dir = copy_example();
    let text = "User-agent: *\nDisallow: /internal/\n";
    write(dir.path(), "static/files/note.txt", text);
    let bytes: Vec<u8> = (0..=255u8).collect();
    std::fs::create_dir_all(dir.path().join("static/img")).unwrap();
    std::fs::write(dir.path().join("static/img/blob.bin"), &bytes).unwrap();
    build(dir.path()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(page(dir.path(), "files/note.txt"), text);
    assert_eq!(
        std::fs::read(dir.path().join("public/img/blob.bin")).unwrap(),
        bytes
    );
}

#[test]
fn robots_txt_is_changed_with_its_template_not_a_static_file() {
    let dir = copy_example();
    let robots = "User-agent: *\nDisallow: /internal/\n";
    write(dir.path(), "templates/feeds/robots.txt", robots);
    build(dir.path()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(page(dir.path(), "robots.txt"), robots);
    // The same file in static/ would silently replace the one rekap
    // writes: an error naming the static file (see tests/bad-input/).
    write(dir.path(), "static/robots.txt", robots);
    let d = content_errors(build(dir.path()));
    assert_eq!(d.len(), 1, "{}", listing(&d));
    assert_eq!(d[0].origin.file, "static/robots.txt");
}

fn draft_fixture() -> tempfile::TempDir {
    let dir = copy_example();
    write(
        dir.path(),
        "content/releases/2017-04-01-draft.md",
        &release(
            "Rilis Draf Rahasia",
            "2017-04-01",
            "draft: true\n",
            "Belum terbit.",
        ),
    );
    dir
}

#[test]
fn drafts_are_not_built_by_default() {
    let dir = draft_fixture();
    build(dir.path()).unwrap_or_else(|e| panic!("{e}"));
    assert!(!dir.path().join("public/releases/2017-04-01-draft").exists());
    for (path, html) in html_files(&snapshot(&dir.path().join("public"))) {
        assert!(
            !html.contains("Rilis Draf Rahasia"),
            "{path} mentions the draft"
        );
    }
}

#[test]
fn drafts_are_built_on_request() {
    let dir = draft_fixture();
    let mut opts = options(dir.path());
    opts.drafts = true;
    rekap::build(&opts).unwrap_or_else(|e| panic!("{e}"));
    assert_contains(
        &page(dir.path(), "releases/2017-04-01-draft/index.html"),
        "Rilis Draf Rahasia",
        "the draft page",
    );
    assert_contains(
        &page(dir.path(), "releases/index.html"),
        "Rilis Draf Rahasia",
        "the release list",
    );
}

#[test]
fn the_cli_builds_the_example_with_exit_code_zero() {
    let dir = copy_example();
    let out = run(&[
        "build".as_ref(),
        "-q".as_ref(),
        "--root".as_ref(),
        dir.path().as_os_str(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(dir.path().join("public/index.html").is_file());
    assert!(
        stderr(&out).is_empty(),
        "-q prints nothing on success: {}",
        stderr(&out)
    );
}

#[test]
fn the_example_checks_clean() {
    let dir = copy_example();
    let warnings = check(dir.path(), true).unwrap_or_else(|e| panic!("{e}"));
    assert!(warnings.is_empty());
    let out = run_check(dir.path(), &["--strict"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(!dir.path().join("public").exists(), "check writes nothing");
}

#[test]
fn a_folder_without_site_settings_fails_with_a_content_error() {
    // The library returns errors as values; a missing site is a content error.
    let dir = tempfile::tempdir().unwrap();
    match build(dir.path()) {
        Err(Error::Content(d)) => assert!(
            d.iter().any(|d| d.origin.file == "content/site.yaml"),
            "{}",
            listing(&d)
        ),
        other => panic!("expected content errors, got {other:?}"),
    }
    assert!(!Path::new(&dir.path().join("public")).exists());
}

#[test]
fn a_long_release_list_is_split_into_pages_of_fifty_newest_first() {
    let dir = copy_example();
    for i in 0..51 {
        write(
            dir.path(),
            &format!(
                "content/releases/2018-01-{:02}-rilis-{i:02}.md",
                (i % 28) + 1
            ),
            &format!(
                "---\ntitle: Rilis {i:02}\ndate: 2018-01-{:02}\n---\n\nIsi rilis {i:02}.\n",
                (i % 28) + 1
            ),
        );
    }
    build(dir.path()).expect("builds");
    let first = read(dir.path(), "public/releases/index.html");
    let second = read(dir.path(), "public/releases/page/2/index.html");
    assert_eq!(first.matches("class=\"item-title\"").count(), 50);
    assert_eq!(
        second.matches("class=\"item-title\"").count(),
        2,
        "52 releases in all"
    );
    assert!(first.contains("href=\"/releases/page/2/\" rel=\"next\""));
    assert!(second.contains("href=\"/releases/\" rel=\"prev\""));
    let last = html::all(&second, "a", Some("item-title"))
        .pop()
        .expect("releases on page 2");
    assert_eq!(
        html::attr(last, "href"),
        Some("/releases/2017-02-01-target-2017-sulawesi-maluku/"),
        "the oldest comes last"
    );
    assert!(
        check(dir.path(), false).is_ok(),
        "every link of every page resolves"
    );
}

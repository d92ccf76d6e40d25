//! Tests shared by all charts, and helpers for the per-chart tests.
//!
//! Data elements are counted by their `class` (a class token, so
//! `class="bar in-progress"` counts as a `bar`): the canvas writes a class on
//! every element that stands for a value, and nothing else has those classes.

use std::time::Instant;

use proptest::prelude::*;

use super::*;

/// A tick formatter for tests: Rust's own float formatting.
pub(crate) fn plain(v: f64) -> String {
    format!("{v}")
}

/// Parses an SVG and checks what every chart must have: `role="img"`, a
/// `viewBox`, no fixed size, and `aria-labelledby` naming the `<title>` and
/// `<desc>` that are the first two children.
pub(crate) fn parse_ok(svg: &str) -> roxmltree::Document<'_> {
    let doc = roxmltree::Document::parse(svg).unwrap_or_else(|e| panic!("{e}\n{svg}"));
    let root = doc.root_element();
    assert!(root.has_tag_name("svg"));
    assert_eq!(root.attribute("role"), Some("img"));
    assert!(root.attribute("viewBox").is_some());
    assert!(root.attribute("width").is_none() && root.attribute("height").is_none());
    let children: Vec<_> = root.children().filter(|n| n.is_element()).collect();
    assert!(children.len() >= 2);
    assert!(children[0].has_tag_name("title"));
    assert!(children[1].has_tag_name("desc"));
    let ids = [children[0].attribute("id"), children[1].attribute("id")];
    let ids: Vec<&str> = ids.iter().map(|id| id.expect("id")).collect();
    assert_eq!(
        root.attribute("aria-labelledby"),
        Some(ids.join(" ").as_str())
    );
    assert_ne!(ids[0], ids[1]);
    doc
}

/// Number of `tag` elements having the class token `class`.
pub(crate) fn count_class(doc: &roxmltree::Document, tag: &str, class: &str) -> usize {
    doc.descendants()
        .filter(|n| n.has_tag_name(tag))
        .filter(|n| {
            n.attribute("class")
                .is_some_and(|c| c.split_whitespace().any(|t| t == class))
        })
        .count()
}

fn labels(title: &str) -> Labels {
    Labels {
        title: title.to_string(),
        desc: format!("Deskripsi {title}"),
    }
}

fn frame(title: &str) -> Frame {
    Frame::new(labels(title))
}

fn sample_bars() -> Vec<PeriodBar> {
    let data = [
        ("2019", Some(96.0), Some(100.0), ChartStatus::Nearly),
        ("2020", Some(81.5), Some(104.0), ChartStatus::Behind),
        ("2021", Some(60.2), Some(108.0), ChartStatus::Missed),
        ("2022", Some(117.4), Some(100.0), ChartStatus::Achieved),
        ("2023", None, Some(115.0), ChartStatus::NoData),
        ("2024", Some(121.0), Some(118.0), ChartStatus::Achieved),
        ("2025", Some(64.0), Some(122.0), ChartStatus::Nearly),
    ];
    data.iter()
        .map(|(label, actual, target, status)| PeriodBar {
            label: label.to_string(),
            actual: *actual,
            target: *target,
            value_label: actual.map_or("–".to_string(), |a| format!("{a:.1}").replace('.', ",")),
            status: *status,
            symbol: "✓".to_string(),
            in_progress: *label == "2025",
        })
        .collect()
}

fn sample_rows() -> Vec<BreakdownRow> {
    let data = [
        (
            "Kota Bandung",
            Some(1.174),
            ChartStatus::Achieved,
            "✓ Tercapai",
        ),
        (
            "Kabupaten Bandung Barat",
            Some(1.02),
            ChartStatus::Achieved,
            "✓ Tercapai",
        ),
        (
            "Kota Cimahi",
            Some(0.96),
            ChartStatus::Nearly,
            "↗ Sesuai jalur",
        ),
        (
            "Kabupaten Sumedang",
            Some(0.85),
            ChartStatus::Behind,
            "! Berisiko",
        ),
        (
            "Kabupaten Garut",
            Some(0.52),
            ChartStatus::Missed,
            "✗ Tertinggal jauh",
        ),
        (
            "Kabupaten Dengan Nama Sangat Panjang Sekali Hingga Dipotong",
            Some(3.4),
            ChartStatus::Achieved,
            "✓ Tercapai",
        ),
        ("R&D <Ops>", None, ChartStatus::NoData, "– Tidak ada data"),
    ];
    data.iter()
        .map(|(name, att, status, word)| BreakdownRow {
            name: name.to_string(),
            attainment: *att,
            value_label: match att {
                Some(a) => format!("{:.1}% {word}", a * 100.0).replace('.', ","),
                None => word.to_string(),
            },
            short_label: match att {
                Some(a) => format!("{:.1}%", a * 100.0).replace('.', ","),
                None => "–".to_string(),
            },
            status: *status,
        })
        .collect()
}

fn sample_points() -> Vec<TrendPoint> {
    let data = [
        ("2018", Some(4.1e12), Some(4.0e12)),
        ("2019", Some(4.35e12), Some(4.3e12)),
        ("2020", Some(4.0e12), Some(4.6e12)),
        ("2021", None, Some(4.8e12)),
        ("2022", Some(4.9e12), Some(5.0e12)),
        ("2023", Some(5.3e12), Some(5.2e12)),
        ("2024", Some(5.5e12), Some(5.6e12)),
        ("2025", Some(5.6e12), Some(6.0e12)),
    ];
    data.iter()
        .map(|(label, actual, target)| TrendPoint {
            label: label.to_string(),
            actual: *actual,
            target: *target,
            value_label: actual.map(id_ticks).unwrap_or_default(),
            target_label: target.map(id_ticks).unwrap_or_default(),
            in_progress: *label == "2025",
        })
        .collect()
}

fn sample_stacks() -> (Vec<String>, Vec<Stack>) {
    let names = vec![
        "Penerima upah".to_string(),
        "Bukan penerima upah".to_string(),
    ];
    let stacks = (2019..2026)
        .map(|y| Stack {
            label: y.to_string(),
            parts: vec![
                1.2e6 + f64::from(y - 2019) * 8e4,
                2.1e6 - f64::from(y - 2019) * 3e4,
            ],
            total_label: "3,3 jt".to_string(),
        })
        .collect();
    (names, stacks)
}

/// Indonesian-style tick labels: "1,2 jt", "4 T".
fn id_ticks(v: f64) -> String {
    let (div, unit) = if v.abs() >= 1e12 {
        (1e12, " T")
    } else if v.abs() >= 1e9 {
        (1e9, " M")
    } else if v.abs() >= 1e6 {
        (1e6, " jt")
    } else {
        (1.0, "")
    };
    let s = format!("{:.1}", v / div).replace('.', ",");
    let s = s.strip_suffix(",0").unwrap_or(&s).to_string();
    format!("{s}{unit}")
}

/// Names of the example charts.
const KINDS: [&str; 6] = [
    "actual_vs_target",
    "breakdown",
    "trend",
    "composition",
    "sparkline",
    "no_data",
];

/// Renders the example chart called `name`.
fn render_named(name: &str) -> String {
    let (names, stacks) = sample_stacks();
    match name {
        "actual_vs_target" => {
            actual_vs_target(&frame("Realisasi dan target"), &sample_bars(), &id_ticks)
        }
        "breakdown" => breakdown(&frame("Capaian per kabupaten"), &sample_rows(), "100%"),
        "trend" => trend(&frame("Tren PDRB"), &sample_points(), &id_ticks),
        "composition" => composition(&frame("Komposisi"), &names, &stacks, &id_ticks),
        "sparkline" => sparkline(
            &labels("PDRB"),
            &[
                Some(3.0),
                Some(3.4),
                Some(3.1),
                None,
                Some(3.9),
                Some(4.4),
                Some(4.2),
            ],
        ),
        _ => no_data(&labels("Kosong"), "Tidak ada data"),
    }
}

/// Awkward inputs worth looking at: many periods with long labels and
/// values, negative values, a single bar, nothing at all, many series.
fn edge_charts() -> Vec<(&'static str, String)> {
    let bar = |label: String, actual: Option<f64>, target: Option<f64>, status| PeriodBar {
        value_label: actual.map_or("–".to_string(), |a| format!("{a:.0}")),
        label,
        actual,
        target,
        status,
        symbol: String::new(),
        in_progress: false,
    };
    let many: Vec<PeriodBar> = (0..24)
        .map(|i| {
            let v = 1.0e9 + f64::from(i) * 7.3e7;
            bar(
                format!("Triwulan {} {}", i % 4 + 1, 2019 + i / 4),
                Some(v),
                Some(1.3e9),
                ChartStatus::Behind,
            )
        })
        .collect();
    let negative = vec![
        bar("2021".into(), Some(-3.2), Some(2.0), ChartStatus::Missed),
        bar("2022".into(), Some(1.5), Some(2.0), ChartStatus::Behind),
        bar("2023".into(), Some(0.0), Some(-1.0), ChartStatus::Achieved),
        bar("2024".into(), Some(-0.4), None, ChartStatus::Missed),
    ];
    let single = vec![bar(
        "2025".into(),
        Some(5.6e12),
        Some(6.0e12),
        ChartStatus::Nearly,
    )];
    let none = vec![
        bar("2024".into(), None, None, ChartStatus::NoData),
        bar("2025".into(), None, None, ChartStatus::NoData),
    ];
    let points: Vec<TrendPoint> = (0..30)
        .map(|i| TrendPoint {
            label: format!("Periode {i}"),
            actual: Some((f64::from(i) * 0.7).sin() * 10.0 - 2.0),
            target: Some(0.0),
            value_label: format!("{i}"),
            target_label: "0".into(),
            in_progress: i == 29,
        })
        .collect();
    let series: Vec<String> = [
        "Pertanian",
        "Industri pengolahan",
        "Perdagangan besar dan eceran",
        "Konstruksi",
        "Jasa keuangan",
        "Lainnya",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let stacks: Vec<Stack> = ["Kota Bandung", "Kabupaten Bandung Barat", "Kota Cimahi"]
        .iter()
        .map(|l| Stack {
            label: l.to_string(),
            parts: vec![3.0, 2.0, 4.0, 1.0, 0.5, 1.5],
            total_label: "12".into(),
        })
        .collect();
    let l = frame("Edge");
    vec![
        ("edge_many", actual_vs_target(&l, &many, &id_ticks)),
        ("edge_negative", actual_vs_target(&l, &negative, &plain)),
        ("edge_single", actual_vs_target(&l, &single, &id_ticks)),
        ("edge_none", actual_vs_target(&l, &none, &id_ticks)),
        ("edge_trend_many", trend(&l, &points, &plain)),
        (
            "edge_composition_many",
            composition(&l, &series, &stacks, &plain),
        ),
        ("edge_empty", breakdown(&l, &[], "100%")),
    ]
}

/// One of each chart, with its name.
fn all_charts() -> Vec<(&'static str, String)> {
    KINDS.iter().map(|k| (*k, render_named(k))).collect()
}

#[test]
fn every_chart_parses_and_carries_title_and_desc() {
    for (name, svg) in all_charts() {
        let doc = parse_ok(&svg);
        let texts: Vec<&str> = doc.descendants().filter_map(|n| n.text()).collect();
        assert!(
            texts.iter().any(|t| t.starts_with("Deskripsi")),
            "{name}: no desc"
        );
        let title = doc
            .root_element()
            .first_element_child()
            .and_then(|t| t.text());
        assert!(title.is_some_and(|t| !t.is_empty()), "{name}: no title");
    }
}

#[test]
fn rendering_is_deterministic_and_ids_differ() {
    let first = all_charts();
    let second = all_charts();
    assert_eq!(first, second);
    let mut ids: Vec<String> = first
        .iter()
        .map(|(_, svg)| {
            let doc = roxmltree::Document::parse(svg).expect("parses");
            doc.root_element()
                .attribute("aria-labelledby")
                .expect("labelled")
                .to_string()
        })
        .collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), first.len());
}

#[test]
fn text_from_data_is_escaped() {
    let evil = "R&D <Ops> \"x\"\u{E000}g";
    let l = Labels {
        title: evil.to_string(),
        desc: "<script>alert(1)</script> & more".to_string(),
    };
    let bar = PeriodBar {
        label: evil.to_string(),
        actual: Some(1.0),
        target: None,
        value_label: evil.to_string(),
        status: ChartStatus::Achieved,
        symbol: evil.to_string(),
        in_progress: false,
    };
    let row = BreakdownRow {
        name: evil.to_string(),
        attainment: Some(0.5),
        value_label: evil.to_string(),
        short_label: evil.to_string(),
        status: ChartStatus::Missed,
    };
    let point = TrendPoint {
        label: evil.to_string(),
        actual: Some(1.0),
        target: None,
        value_label: evil.to_string(),
        target_label: String::new(),
        in_progress: false,
    };
    let stack = Stack {
        label: evil.to_string(),
        parts: vec![1.0],
        total_label: evil.to_string(),
    };
    let fr = Frame {
        labels: l.clone(),
        key: vec![KeyItem::new(Swatch::Target, evil)],
        size: Size::Wide,
    };
    let evil_tick = |_: f64| evil.to_string();
    let svgs = [
        actual_vs_target(&fr, &[bar], &evil_tick),
        breakdown(&fr, &[row], evil),
        trend(&fr, &[point], &evil_tick),
        composition(&fr, &[evil.to_string()], &[stack], &evil_tick),
        sparkline(&l, &[Some(1.0)]),
        no_data(&l, evil),
    ];
    for svg in &svgs {
        let doc = parse_ok(svg);
        assert!(!svg.contains("<Ops>") && !svg.contains("<script>"));
        assert!(
            doc.descendants()
                .all(|n| !n.has_tag_name("Ops") && !n.has_tag_name("script"))
        );
        assert!(
            !svg.contains('\u{E000}'),
            "markers are gone, data cannot forge them"
        );
        let title = doc
            .root_element()
            .first_element_child()
            .and_then(|t| t.text());
        assert_eq!(title, Some("R&D <Ops> \"x\"g"));
    }
    // Every data text is there, as text.
    for svg in &svgs[..4] {
        let doc = roxmltree::Document::parse(svg).expect("parses");
        let found = doc
            .descendants()
            .filter(|n| n.has_tag_name("text"))
            .filter_map(|n| n.text())
            .any(|t| t.trim().starts_with("R&D <Ops>") || t.trim().starts_with("R&D"));
        assert!(found, "{svg}");
    }
}

#[test]
fn png_is_a_real_image() {
    let svg = actual_vs_target(&frame("PNG"), &sample_bars(), &id_ticks);
    let png = to_png(&svg).expect("rasterises");
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"));
    assert!(png.len() > 5_000, "{} bytes", png.len());
    let width = u32::from_be_bytes([png[16], png[17], png[18], png[19]]);
    let height = u32::from_be_bytes([png[20], png[21], png[22], png[23]]);
    assert_eq!(
        (width, height),
        (WIDTH * 3 / 2, HEIGHT * 3 / 2),
        "1.5× the SVG size"
    );
}

#[test]
fn a_tall_chart_is_rasterised_at_one_to_one() {
    let rows: Vec<_> = (0..44)
        .map(|i| BreakdownRow {
            name: format!("Kantor {i}"),
            attainment: Some(0.9 + f64::from(i) / 100.0),
            value_label: format!("{}%", 90 + i),
            short_label: format!("{}%", 90 + i),
            status: ChartStatus::Nearly,
        })
        .collect();
    let svg = breakdown(&frame("Tall"), &rows, "100%");
    let png = to_png(&svg).expect("rasterises");
    let width = u32::from_be_bytes([png[16], png[17], png[18], png[19]]);
    let height = u32::from_be_bytes([png[20], png[21], png[22], png[23]]);
    assert_eq!(width, WIDTH, "1× the SVG size");
    assert!(height > 1000, "a tall chart: {height} px");
}

#[test]
fn nice_ticks_are_round() {
    assert_eq!(
        nice_ticks(0.0, 117.4, 4),
        (0.0, 150.0, vec![0.0, 50.0, 100.0, 150.0])
    );
    assert_eq!(nice_ticks(0.0, 0.0, 4).2, vec![0.0, 0.25, 0.5, 0.75, 1.0]);
    let (lo, hi, t) = nice_ticks(-5.0, 7.0, 4);
    assert!(lo <= -5.0 && hi >= 7.0 && t.contains(&0.0));
    let (_, _, t) = nice_ticks(0.0, 1.2e12, 4);
    assert_eq!(t, vec![0.0, 5e11, 1e12, 1.5e12]);
}

fn any_value() -> impl Strategy<Value = Option<f64>> {
    prop_oneof![
        Just(None),
        Just(Some(f64::NAN)),
        Just(Some(f64::INFINITY)),
        Just(Some(f64::MAX)),
        Just(Some(-f64::MAX)),
        Just(Some(0.0)),
        (-1e13f64..1e13).prop_map(Some),
        (-2.0f64..2.0).prop_map(Some),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn any_numbers_render(values in proptest::collection::vec((any_value(), any_value(), any::<bool>()), 0..14)) {
        let bars: Vec<PeriodBar> = values.iter().enumerate().map(|(i, (a, t, p))| PeriodBar {
            label: format!("P{i}"), actual: *a, target: *t, value_label: "x".into(),
            status: ChartStatus::Nearly, symbol: "↗".into(), in_progress: *p,
        }).collect();
        let points: Vec<TrendPoint> = values.iter().enumerate().map(|(i, (a, t, p))| TrendPoint {
            label: format!("P{i}"), actual: *a, target: *t, value_label: "v".into(),
            target_label: "t".into(), in_progress: *p,
        }).collect();
        let rows: Vec<BreakdownRow> = values.iter().map(|(a, _, _)| BreakdownRow {
            name: "n".into(), attainment: *a, value_label: "v".into(), short_label: "v".into(),
            status: ChartStatus::Behind,
        }).collect();
        let stacks: Vec<Stack> = values.iter().map(|(a, t, _)| Stack {
            label: "s".into(), parts: vec![a.unwrap_or(0.0), t.unwrap_or(f64::NAN)],
            total_label: "t".into(),
        }).collect();
        let spark: Vec<Option<f64>> = values.iter().map(|v| v.0).collect();
        let names = vec!["a".to_string(), "b".to_string()];
        for svg in [
            actual_vs_target(&frame("p"), &bars, &plain),
            trend(&frame("p"), &points, &plain),
            breakdown(&frame("p"), &rows, "100%"),
            composition(&frame("p"), &names, &stacks, &plain),
            sparkline(&labels("p"), &spark),
        ] {
            prop_assert!(roxmltree::Document::parse(&svg).is_ok());
        }
    }
}

/// Writes one of each chart to /tmp/rekap-charts/ as SVG and PNG, for
/// looking at: `cargo test --lib render::charts -- --ignored --nocapture`.
#[test]
#[ignore]
fn write_examples() {
    let dir = std::path::Path::new("/tmp/rekap-charts");
    std::fs::create_dir_all(dir).expect("creates the folder");
    for name in KINDS {
        let start = Instant::now();
        let svg = render_named(name);
        let drawn = start.elapsed();
        let png = to_png(&svg).expect("rasterises");
        println!(
            "{name}: SVG {} bytes in {drawn:?}; PNG {} bytes in {:?}",
            svg.len(),
            png.len(),
            start.elapsed() - drawn
        );
        std::fs::write(dir.join(format!("{name}.svg")), &svg).expect("writes");
        std::fs::write(dir.join(format!("{name}.png")), &png).expect("writes");
        // As seen on a 375 px wide phone screen (1×), for checking legibility.
        let scale = if name == "sparkline" {
            1.0
        } else {
            375.0 / WIDTH as f32
        };
        let phone = super::png::rasterise(&svg, Some(scale)).expect("rasterises");
        std::fs::write(dir.join(format!("{name}-375.png")), &phone).expect("writes");
    }
    for (name, svg) in edge_charts() {
        parse_ok(&svg);
        std::fs::write(dir.join(format!("{name}.svg")), &svg).expect("writes");
        let png = to_png(&svg).expect("rasterises");
        std::fs::write(dir.join(format!("{name}.png")), &png).expect("writes");
    }
}

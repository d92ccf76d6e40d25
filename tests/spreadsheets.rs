//! Figures straight from spreadsheets: the same figures kept as YAML, as CSV
//! with commas, as CSV with semicolons and `# decimal: comma`, as an Excel
//! workbook and as a LibreOffice one give the same site, down to every row of
//! `public/data/figures.csv`. The fixtures come from
//! `scripts/make-spreadsheet-fixtures.py`.

mod common;

use std::path::Path;

use common::*;

const YAML: &str = "content/data/figures/provinces-illustrative.yaml";

/// The header row of every CSV download.
const COLUMNS: &str = "entity,entity_name,metric,metric_name,unit,currency,by,period,period_kind,\
actual,target,attainment,performance,growth,compared_with,status,as_of,expected,pace,progress,\
actual_from,source,actual_display,target_display,attainment_display,status_display";

/// `public/data/figures.csv` of the example with its province figures read from `fixture`.
fn figures_csv_with(fixture: &str) -> String {
    let dir = copy_example();
    let r = dir.path();
    std::fs::remove_file(r.join(YAML)).expect("the example has the YAML file");
    let from = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/figures")
        .join(fixture);
    std::fs::copy(&from, r.join("content/data/figures").join(fixture))
        .unwrap_or_else(|e| panic!("copy {}: {e}", from.display()));
    let report = build(r).unwrap_or_else(|e| panic!("{fixture}:\n{e}"));
    assert!(
        report
            .warnings
            .iter()
            .all(|w| !w.origin.file.contains(fixture)),
        "{fixture}: {}",
        listing(&report.warnings)
    );
    page(r, "data/figures.csv")
}

#[test]
fn figures_csv_is_the_same_whichever_format_the_figures_came_from() {
    let dir = copy_example();
    build(dir.path()).unwrap_or_else(|e| panic!("{e}"));
    let from_yaml = page(dir.path(), "data/figures.csv");
    assert_eq!(
        from_yaml.lines().next(),
        Some(COLUMNS),
        "the columns of the download"
    );
    // Every record of the JSON download has the same keys as the CSV columns.
    for r in figures::read(&dir.path().join("public/data/figures.json")) {
        let keys: Vec<&str> = r.fields.keys().map(String::as_str).collect();
        let mut columns: Vec<&str> = COLUMNS.split(',').collect();
        columns.sort_unstable();
        assert_eq!(keys, columns, "{} {} {}", r.entity, r.metric, r.period);
    }
    // Gorontalo's 2016 contributions, a closed year: 53 460 of 55 000
    // million = 0.972 (attainment and performance alike, higher being
    // better), nearly (≥ 0.95); 53 460 / 49 718 − 1 = +7.5 % over 2015.
    assert!(
        from_yaml.contains(
            "\ngorontalo,Gorontalo,contributions,Iuran,currency,IDR,,2016,year,53460000000,55000000000,0.972,0.972,0.07526449173337624,2015,nearly,,"
        ),
        "the province figures are in the download:\n{from_yaml}"
    );
    for fixture in [
        "provinces.csv",
        "provinces-semicolon.csv",
        "provinces.xlsx",
        "provinces.ods",
    ] {
        let rows = figures_csv_with(fixture);
        assert_eq!(
            rows.lines().count(),
            from_yaml.lines().count(),
            "{fixture}: as many rows"
        );
        for (a, b) in from_yaml.lines().zip(rows.lines()) {
            assert_eq!(a, b, "{fixture}: the same row");
        }
    }
}

#[test]
fn a_workbook_figure_error_found_later_names_the_sheet() {
    // An unknown entity is found by validation, after loading: its error
    // still names the sheet, as every origin of a workbook record does.
    let dir = copy_example();
    let r = dir.path();
    std::fs::remove_file(r.join(YAML)).unwrap();
    let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/figures/provinces.ods");
    std::fs::copy(from, r.join("content/data/figures/provinces.ods")).unwrap();
    write(
        r,
        "content/data/figures/2015.yaml",
        "source: x\nfigures:\n  - {entity: gorontalo, metric: contributions, period: 2016, actual: 1}\n",
    );
    let diags = content_errors(check(r, false));
    let dup = diags
        .iter()
        .find(|d| d.message.contains("gorontalo") && d.to_string().contains("provinces.ods"))
        .unwrap_or_else(|| panic!("a duplicate naming the workbook:\n{}", listing(&diags)));
    assert!(
        dup.to_string().contains("(sheet `figures`)")
            || dup.to_string().contains("sheet `figures`:"),
        "{dup}"
    );
}

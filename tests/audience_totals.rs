//! Public totals with internal parts: a public build never shows a total
//! computed from only its public children as if it were whole, and `check`
//! warns when a public total and its public children give a hidden child
//! away by subtraction.

mod common;

use common::figures::{figure, try_figure};
use common::*;

const ENTITIES: &str = "content/data/entities.yaml";

/// The example with Gorontalo (a province) made internal.
fn gorontalo_internal() -> tempfile::TempDir {
    let dir = copy_example();
    replace_in(
        dir.path(),
        ENTITIES,
        "  - id: gorontalo\n    name: Gorontalo\n    kind: province\n    parent: sulawesi-maluku\n",
        "  - id: gorontalo\n    name: Gorontalo\n    kind: province\n    parent: sulawesi-maluku\n    audience: internal\n",
    );
    dir
}

#[test]
fn a_public_build_computes_no_total_from_only_the_public_provinces() {
    let dir = gorontalo_internal();
    build(dir.path()).unwrap_or_else(|e| panic!("{e}"));
    // 2017 contributions of the region are not reported: they are the sum of
    // the eight provinces, which a public build no longer has.
    let r = try_figure(dir.path(), "sulawesi-maluku", "contributions", "2017")
        .expect("the target is still there");
    assert_eq!(
        r.actual, None,
        "no total made of seven provinces out of eight"
    );
    assert_eq!(r.status, "no_data");
    // The region's own reported 2016 total is shown as reported.
    let r = figure(dir.path(), "sulawesi-maluku", "contributions", "2016");
    assert_eq!(r.actual, Some(956e9));
    // And the region's page says its breakdown is incomplete, without
    // saying why.
    let page = page(dir.path(), "regions/sulawesi-maluku/index.html");
    assert!(
        page.contains("Rincian tidak lengkap: angka di bawah ini tidak menjumlah"),
        "the region page marks its breakdown as partial"
    );
    assert!(
        !page.contains("Gorontalo"),
        "the internal province never appears"
    );
}

#[test]
fn check_warns_when_a_public_total_gives_one_hidden_province_away() {
    let dir = gorontalo_internal();
    let warnings = check(dir.path(), false).unwrap_or_else(|e| panic!("{e}"));
    let disclosures: Vec<_> = warnings
        .iter()
        .filter(|d| d.message.contains("gives it away"))
        .collect();
    // The region reports its 2016 new participants and contributions (in
    // 2016.yaml) and its wage earners and non-wage earners (in the CSV file),
    // and its active participants at the end of 2016 and of June 2017 are
    // the sums of its three participant types (the total taken from its
    // categories is named at the last of them, construction services);
    // every other province's figures are public; Gorontalo's are hidden.
    let mut found: Vec<(String, u32)> = disclosures
        .iter()
        .map(|d| (d.origin.file.clone(), d.origin.pos.line))
        .collect();
    found.sort();
    let csv = "content/data/figures/participants-by-type-illustrative.csv";
    let yaml = "content/data/figures/2016.yaml";
    let by_type = "content/data/figures/active-participants-by-type-illustrative.yaml";
    assert_eq!(
        found,
        vec![
            (yaml.to_string(), 5),
            (yaml.to_string(), 13),
            (
                by_type.to_string(),
                line_of(
                    dir.path(),
                    by_type,
                    "period: 2016, actual: 165270, by: {type: jakon}"
                )
            ),
            (
                by_type.to_string(),
                line_of(
                    dir.path(),
                    by_type,
                    "period: \"2017-06\", actual: 176200, by: {type: jakon}"
                )
            ),
            (
                csv.to_string(),
                line_of(dir.path(), csv, "sulawesi-maluku,wage-earners,2016")
            ),
            (
                csv.to_string(),
                line_of(dir.path(), csv, "sulawesi-maluku,non-wage-earners,2016")
            ),
        ],
        "{}",
        listing(&warnings)
    );
    for d in &disclosures {
        assert!(
            d.message.contains("but `gorontalo`'s, which is hidden"),
            "{d}"
        );
        assert!(
            d.help
                .as_deref()
                .unwrap_or("")
                .contains("audience: internal"),
            "{d}"
        );
    }
    // With --strict the disclosure is an error.
    let errors = content_errors(check(dir.path(), true));
    assert!(errors.iter().any(|d| d.message.contains("gives it away")));
}

#[test]
fn no_disclosure_warning_when_two_children_are_hidden() {
    let dir = gorontalo_internal();
    replace_in(
        dir.path(),
        ENTITIES,
        "  - id: maluku-utara\n",
        "  - id: maluku-utara\n    audience: internal\n",
    );
    let warnings = check(dir.path(), false).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        !warnings.iter().any(|d| d.message.contains("gives it away")),
        "{}",
        listing(&warnings)
    );
}

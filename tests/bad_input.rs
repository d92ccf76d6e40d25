//! One test per class of bad input. Every one checks the same contract:
//!
//! - `rekap::check` returns the error, with the file, line and column of the
//!   mistake, a message saying what is wrong and, where there is one, a fix;
//! - `rekap check --root DIR` prints exactly that diagnostic and exits with 1;
//! - `rekap::build` fails with the same diagnostics, and the output of the
//!   previous (good) build, like everything else in the site folder, is left
//!   exactly as it was.
//!
//! The last tests cover the command line itself: usage errors, `init`, and
//! output folders rekap must refuse to write.

mod common;

use std::path::{Path, PathBuf};

use common::*;
use rekap::Error;
use rekap::diagnostics::{Diagnostic, Severity};

const ENTITIES: &str = "content/data/entities.yaml";
const F2016: &str = "content/data/figures/2016.yaml";
const F2017: &str = "content/data/figures/2017.yaml";
const PROVINCES: &str = "content/data/figures/provinces-illustrative.yaml";
const MONTHLY: &str = "content/data/figures/provinces-monthly-illustrative.yaml";
const RELEASE: &str = "content/releases/2017-02-01-target-2017-sulawesi-maluku.md";
const MEETING: &str = "content/meetings/2017-01-31-rakorwil-manado.md";
const TENTANG: &str = "content/pages/tentang.md";

/// A site broken on purpose, with what `check` and the CLI said about it.
struct Broken {
    /// Keeps the temporary folder alive.
    _top: tempfile::TempDir,
    /// The site root.
    root: PathBuf,
    /// What `rekap::check` returned.
    diags: Vec<Diagnostic>,
    /// What `rekap check` printed.
    cli: String,
}

/// Copies the example, builds it, breaks it with `edit`, and checks the
/// contract every bad input follows (see the top of this file).
fn broken(edit: impl FnOnce(&Path)) -> Broken {
    let top = copy_example();
    let root = top.path().to_path_buf();
    broken_in(top, root, edit)
}

/// Like [`broken`], for a site at `root` inside `top` (which holds `root/content`).
fn broken_in(top: tempfile::TempDir, root: PathBuf, edit: impl FnOnce(&Path)) -> Broken {
    build(&root).unwrap_or_else(|e| panic!("the example builds before it is broken:\n{e}"));
    let good_output = snapshot(&root.join("public"));
    edit(&root);
    let everything = snapshot(top.path());

    let diags = content_errors(check(&root, false));
    assert!(
        diags.iter().any(Diagnostic::is_error),
        "check reports at least one error"
    );

    let out = run_check(&root, &[]);
    let cli = stderr(&out);
    assert_eq!(
        out.status.code(),
        Some(1),
        "`rekap check` exits with 1 on content errors:\n{cli}"
    );
    for d in &diags {
        assert!(
            cli.contains(&d.to_string()),
            "`rekap check` prints\n{d}\nbut printed:\n{cli}"
        );
    }

    let built = content_errors(build(&root));
    assert_eq!(
        listing(&built),
        listing(&diags),
        "build reports what check reports"
    );
    assert!(
        snapshot(&root.join("public")) == good_output,
        "a failed build leaves the previous output untouched"
    );
    assert!(
        snapshot(top.path()) == everything,
        "a failed build writes nothing anywhere (no staging folder left)"
    );
    Broken {
        _top: top,
        root,
        diags,
        cli,
    }
}

impl Broken {
    fn errors(&self) -> Vec<&Diagnostic> {
        self.diags.iter().filter(|d| d.is_error()).collect()
    }

    /// The error in `file` whose message contains `message`; asserts that it is at `line`.
    fn error(&self, file: &str, line: u32, message: &str) -> &Diagnostic {
        let matches =
            |d: &&Diagnostic| d.is_error() && d.origin.file == file && d.message.contains(message);
        // Prefer the one at `line`; else take any, so that a wrong line is reported as such.
        let d = self
            .diags
            .iter()
            .filter(matches)
            .find(|d| d.origin.pos.line == line)
            .or_else(|| self.diags.iter().find(matches))
            .unwrap_or_else(|| {
                panic!(
                    "no error in {file} containing {message:?}; got:\n{}",
                    listing(&self.diags)
                )
            });
        assert_eq!(d.origin.pos.line, line, "line of\n{d}");
        assert!(
            self.cli.contains(&format!("error: {file}:{line}:")),
            "the CLI names {file}:{line}:\n{}",
            self.cli
        );
        d
    }

    /// Like [`Broken::error`], also asserting the column.
    fn error_at(&self, file: &str, (line, column): (u32, u32), message: &str) -> &Diagnostic {
        let d = self.error(file, line, message);
        assert_eq!(d.origin.pos.column, column, "column of\n{d}");
        d
    }

    /// Asserts that this is the only error (no cascade of follow-up errors).
    fn only_error(&self) {
        assert_eq!(
            self.errors().len(),
            1,
            "exactly one error:\n{}",
            listing(&self.diags)
        );
    }
}

fn assert_help(d: &Diagnostic, expected: &str) {
    let help = d
        .help
        .as_deref()
        .unwrap_or_else(|| panic!("no help in\n{d}"));
    assert!(
        help.contains(expected),
        "help of\n{d}\nshould contain {expected:?}"
    );
}

// ---------------------------------------------------------------- YAML and fields

#[test]
fn a_yaml_syntax_error_in_a_figures_file_names_the_file_and_line() {
    let b = broken(|r| {
        replace_in(
            r,
            F2016,
            "    period: 2016\n    actual: 577958",
            "    period: 2016: x\n    actual: 577958",
        )
    });
    let (line, column) = position_of(&b.root, F2016, "period: 2016: x");
    let d = b.error(F2016, line, "");
    assert!(d.message.contains("mapping values"), "{d}");
    // The second `:` of the line, where the YAML stops making sense.
    assert_eq!(
        d.origin.pos.column,
        column + "period: 2016".len() as u32,
        "{d}"
    );
    b.only_error();
}

/// A long figure file is read in parts at once; a mistake far down it is
/// still reported at the file's own line and column, and the amount is
/// judged by the text written in the file (found by its byte offset).
#[test]
fn a_mistake_far_down_a_long_figure_file_is_found_at_its_own_line_and_column() {
    const LONG: &str = "content/data/figures/long.yaml";
    let b = broken(|r| {
        let comments: String = (0..4000)
            .map(|i| format!("  # catatan panjang nomor {i:05}: angka di bawah ini diisi dari laporan bulanan\n"))
            .collect();
        let record = |year: u32, actual: &str| {
            format!(
                "  - {{entity: sulawesi-utara, metric: new-participants, period: {year}, actual: {actual}}}\n"
            )
        };
        let text = format!(
            "source: Uji berkas panjang\nfigures:\n{}{comments}{}{comments}{}",
            record(1990, "1"),
            record(1991, "2"),
            record(1992, "5.7e5"),
        );
        assert!(text.len() > 600 * 1024, "long enough to be read in parts");
        write(r, LONG, &text);
    });
    let (line, column) = position_of(&b.root, LONG, "5.7e5");
    let d = b.error_at(LONG, (line, column), "is written with an exponent");
    assert_help(d, "write the amount in full: 570000");
    b.only_error();
}

#[test]
fn an_unknown_field_in_entities_suggests_the_nearest_field() {
    let b = broken(|r| replace_in(r, ENTITIES, "name: Gorontalo", "nmae: Gorontalo"));
    let at = position_of(&b.root, ENTITIES, "nmae");
    let d = b.error_at(ENTITIES, at, "unknown field `nmae`");
    assert_eq!(d.help.as_deref(), Some("did you mean `name`?"));
}

#[test]
fn an_unknown_field_in_front_matter_counts_lines_from_the_top_of_the_file() {
    let b = broken(|r| replace_in(r, RELEASE, "\ntitle: ", "\ntitel: "));
    // Line 1 is the opening `---`; the front matter starts at line 2.
    assert_eq!(position_of(&b.root, RELEASE, "titel:"), (2, 1));
    let d = b.error_at(RELEASE, (2, 1), "unknown field `titel`");
    assert_help(d, "did you mean `title`?");
    b.only_error();
}

#[test]
fn an_unknown_enum_value_suggests_the_nearest_value() {
    let b = broken(|r| {
        replace_in(
            r,
            ENTITIES,
            "    kind: province\n    parent: sulawesi-maluku\n\n  - id: sulawesi-barat",
            "    kind: provnce\n    parent: sulawesi-maluku\n\n  - id: sulawesi-barat",
        )
    });
    let at = position_of(&b.root, ENTITIES, "provnce");
    let d = b.error_at(ENTITIES, at, "unknown level `provnce`");
    assert_help(d, "did you mean `province`?");
}

#[test]
fn a_duplicate_key_is_an_error_on_its_line() {
    let b = broken(|r| {
        replace_in(
            r,
            F2017,
            "    target: 1500000\n",
            "    target: 1500000\n    target: 1600000\n",
        )
    });
    let line = line_of(&b.root, F2017, "target: 1600000");
    let d = b.error(F2017, line, "`target`");
    assert_help(d, "each key may appear once");
}

#[test]

fn a_duplicate_key_message_speaks_to_the_site_author() {
    let b = broken(|r| {
        replace_in(
            r,
            F2017,
            "    target: 1500000\n",
            "    target: 1500000\n    target: 1600000\n",
        )
    });
    let line = line_of(&b.root, F2017, "target: 1600000");
    let d = b.error(F2017, line, "duplicate");
    assert!(
        !d.message.contains("DuplicateKeyPolicy") && !d.message.contains("Options"),
        "no parser API advice: {d}"
    );
    assert!(d.message.contains("`target`"), "names the key: {d}");
}

#[test]

fn an_unknown_language_in_a_text_names_the_key_and_the_languages() {
    let b = broken(|r| {
        replace_in(
            r,
            ENTITIES,
            "name: Gorontalo",
            "name: {id: Gorontalo, fr: Gorontalo}",
        )
    });
    let line = line_of(&b.root, ENTITIES, "fr: Gorontalo");
    let d = b.error(ENTITIES, line, "");
    assert!(
        !d.message.contains("untagged enum"),
        "no Rust internals: {d}"
    );
    assert!(d.message.contains("`fr`"), "names the key: {d}");
    let text = format!("{} {}", d.message, d.help.as_deref().unwrap_or(""));
    assert!(
        text.contains("`id`") && text.contains("`en`"),
        "lists the languages: {d}"
    );
}

// ---------------------------------------------------------------- references

#[test]
fn an_unknown_entity_in_a_figure_suggests_the_nearest_entity() {
    let b = broken(|r| {
        replace_in(
            r,
            PROVINCES,
            "{entity: sulawesi-utara,    metric: new-participants, period: 2016",
            "{entity: sulawesi-utra,    metric: new-participants, period: 2016",
        )
    });
    let at = position_of(&b.root, PROVINCES, "sulawesi-utra");
    let d = b.error_at(PROVINCES, at, "unknown entity `sulawesi-utra`");
    assert_eq!(d.help.as_deref(), Some("did you mean `sulawesi-utara`?"));
    b.only_error();
}

#[test]
fn an_unknown_metric_in_a_figure_suggests_the_nearest_metric() {
    let b = broken(|r| replace_in(r, F2016, "metric: contributions", "metric: contribution"));
    let at = position_of(&b.root, F2016, "contribution");
    let d = b.error_at(F2016, at, "unknown metric `contribution`");
    assert_eq!(d.help.as_deref(), Some("did you mean `contributions`?"));
    b.only_error();
}

#[test]
fn an_unknown_parent_suggests_the_nearest_entity() {
    let b = broken(|r| {
        replace_in(
            r,
            ENTITIES,
            "name: Gorontalo\n    kind: province\n    parent: sulawesi-maluku",
            "name: Gorontalo\n    kind: province\n    parent: sulawesi-malku",
        )
    });
    let at = position_of(&b.root, ENTITIES, "sulawesi-malku");
    let d = b.error_at(
        ENTITIES,
        at,
        "parent `sulawesi-malku` of `gorontalo` is not an entity",
    );
    assert_help(d, "did you mean `sulawesi-maluku`?");
    b.only_error();
}

#[test]
fn a_cycle_in_the_hierarchy_is_an_error_naming_the_entities() {
    let b = broken(|r| {
        replace_in(
            r,
            ENTITIES,
            "kind: office\n    parent: sulawesi-utara",
            "kind: office\n    parent: maluku",
        );
        replace_in(
            r,
            ENTITIES,
            "name: Maluku\n    kind: province\n    parent: sulawesi-maluku",
            "name: Maluku\n    kind: province\n    parent: kc-manado",
        );
    });
    let d = b
        .errors()
        .into_iter()
        .find(|d| d.message.contains("cycle"))
        .unwrap_or_else(|| panic!("a cycle error:\n{}", listing(&b.diags)));
    assert_eq!(d.origin.file, ENTITIES);
    let lines = [
        line_of(&b.root, ENTITIES, "parent: kc-manado"),
        line_of(&b.root, ENTITIES, "parent: maluku\n"),
    ];
    assert!(
        lines.contains(&d.origin.pos.line),
        "the cycle error points at one of the parents {lines:?}:\n{d}"
    );
    assert!(
        d.message.contains("maluku") && d.message.contains("kc-manado"),
        "{d}"
    );
    b.only_error();
}

// ---------------------------------------------------------------- duplicates

#[test]
fn a_duplicate_entity_id_names_the_first_definition() {
    let b = broken(|r| {
        append(
            r,
            ENTITIES,
            "\n  - id: gorontalo\n    name: Gorontalo Lagi\n    kind: province\n    parent: sulawesi-maluku\n",
        )
    });
    let second = position_of(&b.root, ENTITIES, "id: gorontalo\n    name: Gorontalo Lagi");
    let first = position_of(&b.root, ENTITIES, "id: gorontalo\n    name: Gorontalo\n");
    let d = b.error_at(ENTITIES, second, "duplicate entity id `gorontalo`");
    assert_help(d, &format!("{ENTITIES}:{}:{}", first.0, first.1));
    b.only_error();
}

#[test]
fn a_duplicate_figure_names_the_first_record_even_in_another_file() {
    let b = broken(|r| {
        append(
            r,
            PROVINCES,
            "  - {entity: sulawesi-maluku, metric: contributions, period: 2016, actual: 956000000000}\n",
        )
    });
    let second = position_of(
        &b.root,
        PROVINCES,
        "{entity: sulawesi-maluku, metric: contributions, period: 2016",
    );
    let first = position_of(
        &b.root,
        F2016,
        "entity: sulawesi-maluku\n    metric: contributions",
    );
    let d = b.error_at(
        PROVINCES,
        second,
        "duplicate figure for `sulawesi-maluku`, `contributions`, 2016",
    );
    assert_help(d, &format!("{F2016}:{}:{}", first.0, first.1));
    b.only_error();
}

// ---------------------------------------------------------------- values

#[test]
fn an_invalid_period_says_what_periods_look_like() {
    let b = broken(|r| {
        replace_in(
            r,
            F2017,
            "metric: new-participants\n    period: 2017",
            "metric: new-participants\n    period: \"2017-Q5\"",
        )
    });
    let at = position_of(&b.root, F2017, "\"2017-Q5\"");
    let d = b.error_at(F2017, at, "`2017-Q5` is not a period");
    assert!(
        d.message.contains("2017-Q1"),
        "the message shows a valid quarter: {d}"
    );
}

#[test]
fn an_invalid_date_in_front_matter_names_the_line() {
    let b = broken(|r| replace_in(r, RELEASE, "date: 2017-02-01", "date: 2017-02-30"));
    let at = position_of(&b.root, RELEASE, "2017-02-30");
    assert_eq!(at.0, 3);
    let d = b.error_at(RELEASE, at, "`2017-02-30` is not a valid date");
    assert_help(d, "YYYY-MM-DD");
    b.only_error();
}

#[test]
fn a_negative_actual_for_a_people_metric_is_an_error() {
    let b = broken(|r| {
        replace_in(
            r,
            PROVINCES,
            "period: 2016, actual: 33733}",
            "period: 2016, actual: -33733}",
        )
    });
    let at = position_of(
        &b.root,
        PROVINCES,
        "{entity: maluku-utara,      metric: new-participants, period: 2016",
    );
    let d = b.error_at(PROVINCES, at, "actual -33733 is negative");
    assert_help(d, "people");
    b.only_error();
}

#[test]
fn a_figure_without_any_source_is_an_error() {
    let b = broken(|r| {
        let text = read(r, F2016);
        let line = text
            .lines()
            .find(|l| l.starts_with("source:"))
            .expect("2016.yaml has a file-level source")
            .to_string();
        replace_in(r, F2016, &format!("{line}\n"), "");
    });
    for record in [
        "entity: sulawesi-maluku\n    metric: new-participants",
        "entity: sulawesi-maluku\n    metric: contributions",
    ] {
        let at = position_of(&b.root, F2016, record);
        let d = b.error_at(F2016, at, "figure has no source");
        assert_help(d, "source:");
    }
    assert_eq!(
        b.errors().len(),
        2,
        "one error per record:\n{}",
        listing(&b.diags)
    );
}

// ---------------------------------------------------------------- content references

#[test]
fn a_release_with_an_unknown_meeting_suggests_the_nearest_slug() {
    let b = broken(|r| {
        replace_in(
            r,
            RELEASE,
            "meeting: 2017-01-31-rakorwil-manado",
            "meeting: 2017-01-31-rakorwil",
        )
    });
    let at = position_of(&b.root, RELEASE, "2017-01-31-rakorwil\n");
    let d = b.error_at(RELEASE, at, "unknown meeting `2017-01-31-rakorwil`");
    assert_eq!(
        d.help.as_deref(),
        Some("did you mean `2017-01-31-rakorwil-manado`?")
    );
    b.only_error();
}

#[test]
fn a_meeting_target_without_a_recorded_target_is_an_error() {
    let b = broken(|r| {
        replace_in(
            r,
            MEETING,
            "  - metric: contributions\n    period: 2017",
            "  - metric: contributions\n    period: 2018",
        )
    });
    let at = position_of(&b.root, MEETING, "metric: contributions\n    period: 2018");
    let d = b.error_at(
        MEETING,
        at,
        "no target recorded for `sulawesi-maluku`, `contributions`, 2018",
    );
    assert_help(d, "2017");
    b.only_error();
}

// ---------------------------------------------------------------- shortcode references

/// The release's shortcode for the 2016 contributions target (once in the file).
const TARGET_2016: &str = r#"{{< value metric="contributions" period=2016 show="target" >}}"#;
/// The release's shortcode for the 2017 new-participants target (once in the file).
const PARTICIPANTS_2017: &str =
    r#"{{< value metric="new-participants" period=2017 show="target" >}}"#;

#[test]
fn an_unknown_entity_in_a_value_shortcode_is_an_error_at_the_shortcode_suggesting_the_nearest() {
    let typo =
        r#"{{< value entity="gorontaloo" metric="contributions" period=2016 show="target" >}}"#;
    let b = broken(|r| replace_in(r, RELEASE, TARGET_2016, typo));
    // Shortcode errors point at the shortcode's `{{<` (line and column in
    // characters, counting the front matter's lines).
    let at = position_of(&b.root, RELEASE, typo);
    let d = b.error_at(RELEASE, at, "unknown entity `gorontaloo`");
    assert_eq!(d.help.as_deref(), Some("did you mean `gorontalo`?"));
    assert!(
        b.cli.contains(&format!(
            "error: {RELEASE}:{}:{}: unknown entity `gorontaloo`",
            at.0, at.1
        )),
        "{}",
        b.cli
    );
    b.only_error();
}

#[test]
fn an_unknown_metric_in_a_value_shortcode_is_an_error_at_the_shortcode_suggesting_the_nearest() {
    let typo = r#"{{< value metric="new-participant" period=2017 show="target" >}}"#;
    let b = broken(|r| replace_in(r, RELEASE, PARTICIPANTS_2017, typo));
    let at = position_of(&b.root, RELEASE, typo);
    let d = b.error_at(RELEASE, at, "unknown metric `new-participant`");
    assert_eq!(d.help.as_deref(), Some("did you mean `new-participants`?"));
    b.only_error();
}

#[test]
fn a_value_shortcode_for_a_figure_that_does_not_exist_names_the_periods_that_do() {
    let missing = r#"{{< value metric="contributions" period=2018 show="target" >}}"#;
    let b = broken(|r| replace_in(r, RELEASE, TARGET_2016, missing));
    let at = position_of(&b.root, RELEASE, missing);
    let d = b.error_at(
        RELEASE,
        at,
        "no target recorded for `sulawesi-maluku`, `contributions`, 2018",
    );
    assert_eq!(d.help.as_deref(), Some("periods that have one: 2016, 2017"));
    b.only_error();
}

// ---------------------------------------------------------------- slugs

fn reserved_slug() -> Broken {
    broken(|r| replace_in(r, TENTANG, "menu: 1\n", "menu: 1\nslug: regions\n"))
}

#[test]
fn a_reserved_page_slug_is_refused() {
    let b = reserved_slug();
    let d = b
        .errors()
        .into_iter()
        .find(|d| d.origin.file == TENTANG && d.message.contains("page slug `regions` is reserved"))
        .unwrap_or_else(|| panic!("a reserved-slug error:\n{}", listing(&b.diags)));
    assert_help(d, "slug");
    b.only_error();
}

#[test]

fn a_reserved_page_slug_error_points_at_the_slug_line() {
    let b = reserved_slug();
    let at = position_of(&b.root, TENTANG, "regions");
    let d = b.error(TENTANG, at.0, "page slug `regions` is reserved");
    assert_eq!(d.origin.pos.column, at.1, "{d}");
}

#[test]
fn an_invalid_page_slug_is_an_error_and_nothing_is_written_outside_the_output() {
    // The site lives three folders down, so that `../../etc` from the output
    // would still land inside the temporary folder, where the snapshot sees it.
    let top = tempfile::tempdir().unwrap();
    let root = top.path().join("a/b/c/site");
    copy_example_into(&root);
    let b = broken_in(top, root, |r| {
        replace_in(r, TENTANG, "menu: 1\n", "menu: 1\nslug: ../../etc\n")
    });
    let at = position_of(&b.root, TENTANG, "../../etc");
    let d = b.error_at(TENTANG, at, "slug `../../etc` is not valid");
    assert_help(d, "lowercase letters");
    b.only_error();
    // Where `public/../../etc` would land: one level above the site root.
    let escaped = b.root.parent().expect("nested").join("etc");
    assert!(!escaped.exists(), "{} was created", escaped.display());
}

// ---------------------------------------------------------------- computed consistency

#[test]
fn a_stated_target_that_disagrees_with_its_growth_shows_both_numbers() {
    let b = broken(|r| replace_in(r, F2017, "growth: 15%", "growth: 25%"));
    let at = position_of(
        &b.root,
        F2017,
        "entity: sulawesi-maluku\n    metric: contributions",
    );
    let d = b.error_at(F2017, at, "does not agree with growth 25%");
    for n in ["1100000000000", "1195000000000", "956000000000"] {
        assert!(d.message.contains(n), "the message shows {n}:\n{d}");
    }
    b.only_error();
}

#[test]
fn a_growth_target_without_a_previous_actual_is_an_error() {
    let b = broken(|r| {
        append(
            r,
            PROVINCES,
            "  - {entity: kc-manado, metric: contributions, period: 2018, target: {growth: 10%}}\n",
        )
    });
    let at = position_of(
        &b.root,
        PROVINCES,
        "{entity: kc-manado, metric: contributions, period: 2018",
    );
    let d = b.error_at(
        PROVINCES,
        at,
        "growth target for `kc-manado`, `contributions`, 2018 has no 2017 actual",
    );
    assert_help(d, "2017 actual");
    b.only_error();
}

fn mismatch(r: &Path) {
    // Maluku Utara's 2016 contributions one billion higher: the provinces no
    // longer add up to the region's reported 956 000 000 000.
    // Its December is raised with it, so that its months still add up to its year.
    replace_in(r, PROVINCES, "actual: 31920000000}", "actual: 32920000000}");
    replace_in(
        r,
        MONTHLY,
        "maluku-utara, metric: contributions, period: \"2016-12\", actual: 3192000000}",
        "maluku-utara, metric: contributions, period: \"2016-12\", actual: 4192000000}",
    );
}

fn assert_mismatch(d: &Diagnostic, root: &Path) {
    let at = position_of(
        root,
        F2016,
        "entity: sulawesi-maluku\n    metric: contributions",
    );
    assert_eq!(
        (
            d.origin.file.as_str(),
            d.origin.pos.line,
            d.origin.pos.column
        ),
        (F2016, at.0, at.1),
        "{d}"
    );
    for s in [
        "956000000000",
        "957000000000",
        "sulawesi-maluku",
        "maluku-utara",
        "contributions",
        "2016",
    ] {
        assert!(d.message.contains(s), "the message names {s}:\n{d}");
    }
}

#[test]
fn children_that_do_not_add_up_are_a_warning_by_default() {
    let dir = copy_example();
    mismatch(dir.path());
    let warnings =
        check(dir.path(), false).unwrap_or_else(|e| panic!("a mismatch is only a warning:\n{e}"));
    assert_eq!(warnings.len(), 1, "{}", listing(&warnings));
    assert_eq!(warnings[0].severity, Severity::Warning);
    assert_mismatch(&warnings[0], dir.path());

    let report = build(dir.path()).unwrap_or_else(|e| panic!("the build succeeds:\n{e}"));
    assert_eq!(listing(&report.warnings), listing(&warnings));
    assert!(dir.path().join("public/index.html").is_file());

    let out = run_check(dir.path(), &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stderr(&out).contains(&warnings[0].to_string()),
        "{}",
        stderr(&out)
    );
}

#[test]
fn children_that_do_not_add_up_are_an_error_with_strict() {
    let dir = copy_example();
    build(dir.path()).unwrap_or_else(|e| panic!("{e}"));
    let before = snapshot(&dir.path().join("public"));
    mismatch(dir.path());

    let diags = content_errors(check(dir.path(), true));
    assert_eq!(diags.len(), 1, "{}", listing(&diags));
    assert!(diags[0].is_error());
    assert_mismatch(&diags[0], dir.path());

    let out = run_check(dir.path(), &["--strict"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains(&diags[0].to_string()),
        "{}",
        stderr(&out)
    );

    let mut opts = options(dir.path());
    opts.strict = true;
    let built = content_errors(rekap::build(&opts));
    assert_eq!(listing(&built), listing(&diags));
    let out = run(&[
        "build".as_ref(),
        "--strict".as_ref(),
        "--root".as_ref(),
        dir.path().as_os_str(),
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        snapshot(&dir.path().join("public")) == before,
        "a failed strict build leaves the output untouched"
    );
}

// ---------------------------------------------------------------- many errors

#[test]
fn every_error_of_a_run_is_reported_sorted_by_file() {
    let b = broken(|r| {
        replace_in(r, F2016, "metric: contributions", "metric: contribution");
        replace_in(
            r,
            PROVINCES,
            "{entity: sulawesi-utara,    metric: new-participants, period: 2016",
            "{entity: sulawesi-utra,    metric: new-participants, period: 2016",
        );
        replace_in(
            r,
            MEETING,
            "  - metric: contributions\n    period: 2017",
            "  - metric: contributions\n    period: 2018",
        );
        replace_in(
            r,
            RELEASE,
            "meeting: 2017-01-31-rakorwil-manado",
            "meeting: 2017-01-31-rakorwil",
        );
    });
    let expected = [
        (F2016, "unknown metric `contribution`"),
        (PROVINCES, "unknown entity `sulawesi-utra`"),
        (MEETING, "no target recorded"),
        (RELEASE, "unknown meeting"),
    ];
    let errors = b.errors();
    assert_eq!(errors.len(), expected.len(), "{}", listing(&b.diags));
    for (d, (file, message)) in errors.iter().zip(expected) {
        assert_eq!(d.origin.file, file, "{d}");
        assert!(d.message.contains(message), "{d}");
    }
    let origins: Vec<_> = b.diags.iter().map(|d| d.origin.clone()).collect();
    let mut sorted = origins.clone();
    sorted.sort();
    assert_eq!(
        origins, sorted,
        "diagnostics are sorted by file, then position"
    );
    // The CLI prints them in the same order, then the count.
    let mut from = 0;
    for d in &b.diags {
        let at = b.cli[from..]
            .find(&d.to_string())
            .unwrap_or_else(|| panic!("printed in order:\n{}", b.cli));
        from += at + 1;
    }
    assert!(b.cli.trim_end().ends_with("4 errors found"), "{}", b.cli);
}

// ---------------------------------------------------------------- spreadsheets

/// A broken workbook from `tests/fixtures/figures/bad/` (made by
/// `scripts/make-spreadsheet-fixtures.py`), copied into the example's figures.
fn workbook(name: &'static str) -> Broken {
    broken(move |r| {
        let from = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/figures/bad")
            .join(name);
        std::fs::copy(&from, r.join("content/data/figures").join(name))
            .unwrap_or_else(|e| panic!("copy {}: {e}", from.display()));
    })
}

/// Asserts that `d` is in sheet `sheet` and that the CLI says so after the position.
fn assert_sheet(b: &Broken, d: &Diagnostic, sheet: &str) {
    assert_eq!(d.origin.sheet.as_deref(), Some(sheet), "{d}");
    let line = format!(
        "error: {}:{}:{}: sheet `{sheet}`: {}",
        d.origin.file, d.origin.pos.line, d.origin.pos.column, d.message
    );
    assert!(b.cli.contains(&line), "the CLI prints {line:?}:\n{}", b.cli);
}

#[test]
fn bad_cells_of_a_workbook_name_the_file_sheet_row_column_and_cell() {
    let file = "content/data/figures/cells.xlsx";
    let b = workbook("cells.xlsx");
    let d = b.error_at(
        file,
        (4, 6),
        "cell F4, column `actual`: `abc` is not a number",
    );
    assert_sheet(&b, d, "2018");
    assert_help(d, "make the cell a number cell");
    let d = b.error_at(
        file,
        (5, 3),
        "cell C5, column `period`: holds the date 2018-01-01, not a period",
    );
    assert_help(d, "turned a period into a date");
    let d = b.error_at(
        file,
        (6, 5),
        "cell E6, column `target_growth`: the number 15 would be a growth of 1500%",
    );
    assert_help(d, "type the growth with a % sign");
    let d = b.error_at(
        file,
        (7, 9),
        "cell I7: a value in a column without a header",
    );
    assert_help(d, "give column I a header");
    let d = b.error_at(
        file,
        (8, 6),
        "cell F8, column `actual`: holds the error #DIV/0!, not a number",
    );
    assert_help(d, "a formula must give a number");
    let d = b.error_at(
        file,
        (9, 7),
        "cell G9, column `as_of`: holds the number 2018, not a date",
    );
    assert_help(d, "format the cell as a date");
    assert_eq!(b.errors().len(), 6, "{}", listing(&b.diags));
}

#[test]
fn an_unknown_column_or_notation_in_a_sheet_is_an_error_at_its_cell() {
    let file = "content/data/figures/columns.ods";
    let b = workbook("columns.ods");
    let d = b.error_at(file, (1, 4), "cell D1: unknown column `actaul`");
    assert_sheet(&b, d, "a");
    assert_eq!(d.help.as_deref(), Some("did you mean `actual`?"));
    let d = b.error_at(
        file,
        (2, 4),
        "cell D2, column `actual`: `28.212` is ambiguous",
    );
    assert_sheet(&b, d, "b");
    assert_help(d, "in a cell above the header row: `# decimal: comma`");
    let d = b.error_at(file, (1, 1), "cell A1: unknown decimal mark `koma`");
    assert_sheet(&b, d, "c");
    assert_eq!(b.errors().len(), 3, "{}", listing(&b.diags));
}

#[test]
fn a_file_that_is_not_a_workbook_is_an_error_naming_it() {
    let file = "content/data/figures/2018.xlsx";
    let b = broken(|r| write(r, file, "entity,metric,period\n"));
    b.only_error();
    let d = b.errors()[0];
    assert_eq!(d.origin.file, file);
    assert!(d.message.starts_with("cannot read the workbook"), "{d}");
    assert_help(d, "save it again as .xlsx");
    assert!(
        b.cli
            .contains(&format!("error: {file}: cannot read the workbook")),
        "{}",
        b.cli
    );
}

// ---------------------------------------------------------------- shortcodes from Hugo and Zola

/// The example release with `text` appended as a paragraph.
fn release_with(text: &'static str) -> Broken {
    broken(move |r| append(r, RELEASE, &format!("\n{text}\n")))
}

#[test]
fn a_hugo_shortcode_is_an_error_that_says_so_and_what_to_write() {
    let b = release_with("Tonton {{< youtube dQw4w9WgXcQ >}} ini.");
    let at = position_of(&b.root, RELEASE, "{{< youtube");
    let d = b.error_at(RELEASE, at, "unknown shortcode `youtube`");
    assert_help(d, "this looks like a Hugo shortcode");
    assert_help(d, "value, card, table and chart");
    assert_help(d, "[Video](https://www.youtube.com/watch?v=dQw4w9WgXcQ)");
    b.only_error();
}

#[test]
fn a_hugo_percent_shortcode_is_an_error_with_a_hint() {
    let b = release_with("{{% notice info %}}\nCatatan penting.\n{{% /notice %}}");
    let at = position_of(&b.root, RELEASE, "{{% notice info");
    let d = b.error_at(RELEASE, at, "`{{% notice %}}` is a Hugo shortcode");
    assert_help(d, "> **Note:**");
    let at = position_of(&b.root, RELEASE, "{{% /notice");
    b.error_at(RELEASE, at, "closes a Hugo shortcode");
    assert_eq!(b.errors().len(), 2, "{}", listing(&b.diags));
}

#[test]
fn a_zola_shortcode_is_an_error_with_a_hint() {
    let b = release_with("Video: {{ youtube(id=\"dQw4w9WgXcQ\") }}");
    let at = position_of(&b.root, RELEASE, "{{ youtube(");
    let d = b.error_at(RELEASE, at, "is a Zola shortcode");
    assert_help(d, "this looks like a Zola shortcode");
    assert_help(d, "watch?v=dQw4w9WgXcQ");
    b.only_error();
}

#[test]
fn a_hugo_theme_table_with_positional_arguments_gets_a_hint_too() {
    let b = release_with("{{< table \"contributions\" 2016 >}}");
    let at = position_of(&b.root, RELEASE, "{{< table \"contributions\"");
    let d = b.error_at(
        RELEASE,
        at,
        "cannot read `\"contributions\" 2016` in shortcode `table`",
    );
    assert_help(d, r#"write arguments as key="value""#);
    assert_help(d, "looks like a Hugo shortcode with positional arguments");
    assert_help(d, r#"{{< table metric="contributions" period=2016 >}}"#);
    b.only_error();
}

#[test]
fn an_unclosed_hugo_escape_is_an_error() {
    let b = release_with("Tulis {{</* value metric=\"x\" dan seterusnya.");
    let at = position_of(&b.root, RELEASE, "{{</*");
    let d = b.error_at(RELEASE, at, "escaped shortcode is not closed");
    assert_help(d, "*/>}}");
    b.only_error();
}

// ---------------------------------------------------------------- command line

fn os(s: &str) -> &std::ffi::OsStr {
    s.as_ref()
}

#[test]
fn usage_errors_exit_with_2() {
    let dir = copy_example();
    for (args, says) in [
        (
            vec![os("build"), os("--bogus")],
            "error: unexpected argument '--bogus' found",
        ),
        (
            vec![os("check"), os("--no-such-flag")],
            "error: unexpected argument '--no-such-flag' found",
        ),
        (
            vec![os("frobnicate")],
            "error: unrecognized subcommand 'frobnicate'",
        ),
        (
            vec![os("build"), os("--audience"), os("everyone")],
            "error: invalid value 'everyone' for '--audience <AUDIENCE>'",
        ),
        (vec![], "Usage: rekap"),
    ] {
        let mut args = args;
        args.extend([os("--root"), dir.path().as_os_str()]);
        let out = run(&args);
        assert_eq!(
            out.status.code(),
            Some(2),
            "rekap {args:?}:\n{}",
            stderr(&out)
        );
        assert!(
            stderr(&out).contains(says),
            "rekap {args:?} explains the problem with {says:?}:\n{}",
            stderr(&out)
        );
    }
    assert!(
        !dir.path().join("public").exists(),
        "a usage error builds nothing"
    );
}

#[test]
fn init_into_a_non_empty_folder_exits_with_2_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "keep.txt", "mine");
    let before = snapshot(dir.path());
    let out = run(&[os("init"), dir.path().as_os_str()]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("not empty"), "{}", stderr(&out));
    assert!(snapshot(dir.path()) == before, "nothing written");
}

#[test]
fn init_writes_a_site_that_builds() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("new-site");
    let out = run(&[os("init"), site.as_os_str()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(site.join("content/site.yaml").is_file());
    let out = run(&[os("build"), os("--root"), site.as_os_str()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(site.join("public/index.html").is_file());
    assert!(
        site.join("public/regions/sulawesi-maluku/index.html")
            .is_file()
    );
    let out = run_check(&site, &["--strict"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn an_output_folder_that_holds_the_site_is_refused_with_exit_2() {
    let dir = copy_example();
    let before = snapshot(dir.path());
    let parent = dir
        .path()
        .parent()
        .expect("a temporary folder has a parent")
        .to_path_buf();
    let content = dir.path().join("content/out");
    for output in [dir.path(), parent.as_path(), content.as_path()] {
        let out = run(&[
            os("build"),
            os("--root"),
            dir.path().as_os_str(),
            os("--output"),
            output.as_os_str(),
        ]);
        assert_eq!(
            out.status.code(),
            Some(2),
            "--output {}:\n{}",
            output.display(),
            stderr(&out)
        );
        assert!(
            snapshot(dir.path()) == before,
            "the site is untouched by --output {}",
            output.display()
        );
        let mut opts = options(dir.path());
        opts.output = output.to_path_buf();
        assert!(
            matches!(rekap::build(&opts), Err(Error::Usage(_))),
            "the library refuses --output {}",
            output.display()
        );
    }
    assert!(snapshot(dir.path()) == before, "the site is untouched");
}

#[test]
fn an_output_folder_not_written_by_rekap_is_refused_and_left_as_is() {
    let dir = copy_example();
    let precious = dir.path().join("precious");
    write(&precious, "thesis.docx", "years of work");
    write(&precious, "notes/index.html", "<p>mine</p>");
    let before = snapshot(dir.path());
    let out = run(&[
        os("build"),
        os("--root"),
        dir.path().as_os_str(),
        os("--output"),
        precious.as_os_str(),
    ]);
    assert!(!out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("not written by rekap"),
        "{}",
        stderr(&out)
    );
    assert!(
        snapshot(dir.path()) == before,
        "the folder and the site are left as they were"
    );
    let mut opts = options(dir.path());
    opts.output = precious.clone();
    assert!(matches!(rekap::build(&opts), Err(Error::Write(_))));
    assert!(snapshot(dir.path()) == before);
}

// ---------------------------------------------------------------- links out of the site

/// The one error of `b`: a symbolic link at `link`, leading out of the site.
fn assert_link_refused(b: &Broken, link: &str) {
    b.only_error();
    let d = b.errors()[0];
    assert_eq!(d.origin.file, link, "{d}");
    assert!(d.message.contains("outside the site folder"), "{d}");
    assert!(
        b.cli
            .contains(&format!("error: {link}: a symbolic link to ")),
        "{}",
        b.cli
    );
}

/// A folder outside the site holding a secret, as a symlinked folder would find it.
fn outside_with_secret() -> tempfile::TempDir {
    let outside = tempfile::tempdir().expect("a temporary folder");
    std::fs::write(outside.path().join("secret.txt"), "KUNCI-RAHASIA").expect("write");
    std::fs::write(
        outside.path().join("rahasia.md"),
        "---\ntitle: Rahasia\n---\nKUNCI-RAHASIA\n",
    )
    .expect("write");
    outside
}

#[test]
fn a_static_folder_linked_out_of_the_site_is_refused_and_nothing_is_published() {
    let outside = outside_with_secret();
    let b = broken(|r| std::os::unix::fs::symlink(outside.path(), r.join("static")).unwrap());
    assert_link_refused(&b, "static");
}

#[test]
fn a_templates_folder_linked_out_of_the_site_is_refused() {
    let outside = outside_with_secret();
    let b = broken(|r| std::os::unix::fs::symlink(outside.path(), r.join("templates")).unwrap());
    assert_link_refused(&b, "templates");
}

#[test]
fn a_page_linked_out_of_the_site_is_refused() {
    let outside = outside_with_secret();
    let b = broken(|r| {
        std::os::unix::fs::symlink(
            outside.path().join("rahasia.md"),
            r.join("content/pages/rahasia.md"),
        )
        .unwrap()
    });
    assert_link_refused(&b, "content/pages/rahasia.md");
}

#[test]
fn a_figures_folder_linked_out_of_the_site_is_refused() {
    let outside = tempfile::tempdir().expect("a temporary folder");
    let b = broken(|r| {
        let figures = r.join("content/data/figures");
        std::fs::rename(&figures, outside.path().join("figures")).unwrap();
        std::os::unix::fs::symlink(outside.path().join("figures"), &figures).unwrap();
    });
    assert_link_refused(&b, "content/data/figures");
}

#[test]
fn a_link_inside_the_site_is_skipped_with_a_warning() {
    let dir = copy_example();
    write(dir.path(), "static/files/real.txt", "nyata");
    std::os::unix::fs::symlink("real.txt", dir.path().join("static/files/alias.txt")).unwrap();
    let report = build(dir.path()).unwrap_or_else(|e| panic!("{e}"));
    let w: Vec<_> = report
        .warnings
        .iter()
        .filter(|d| d.origin.file == "static/files/alias.txt")
        .collect();
    assert_eq!(w.len(), 1, "{}", listing(&report.warnings));
    assert!(
        w[0].message.starts_with("skipped: a symbolic link"),
        "{}",
        w[0]
    );
    assert_eq!(read(dir.path(), "public/files/real.txt"), "nyata");
    assert!(!dir.path().join("public/files/alias.txt").exists());
}

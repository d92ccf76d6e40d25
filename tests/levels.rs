//! A site declares its own levels: pages and chart titles call entities by
//! them, and an entity of an unknown level is an error with a suggestion.

mod common;

use common::*;

const ENTITIES: &str = "content/data/entities.yaml";
const SITE: &str = "content/site.yaml";

/// The example with its three levels renamed nation / region / branch.
fn renamed_levels() -> tempfile::TempDir {
    let dir = copy_example();
    let text = read(dir.path(), ENTITIES)
        .replace("kind: region", "kind: nation")
        .replace("kind: province", "kind: region")
        .replace("kind: office", "kind: branch");
    write(dir.path(), ENTITIES, &text);
    append(
        dir.path(),
        SITE,
        "levels:\n  - id: nation\n    name: {id: Negara, en: Nation}\n    plural: {id: Negara, en: Nations}\n  - id: region\n    name: {id: Daerah, en: Region}\n    plural: {id: Daerah, en: Regions}\n  - id: branch\n    name: {id: Cabang, en: Branch}\n    plural: {id: Cabang, en: Branches}\n",
    );
    dir
}

#[test]
fn pages_and_charts_call_entities_by_the_site_s_levels() {
    let dir = renamed_levels();
    build(dir.path()).unwrap_or_else(|e| panic!("{e}"));
    let region = page(dir.path(), "regions/sulawesi-maluku/index.html");
    assert!(
        region.contains(
            r#"<h1><span>Sulawesi dan Maluku</span> <span class="kind">Negara</span></h1>"#
        ),
        "the top entity is a Negara"
    );
    assert!(
        region.contains("<h3>Iuran, 2017: per daerah</h3>"),
        "the ranking is per daerah"
    );
    assert!(
        region.contains("Capaian · Sulawesi dan Maluku, per daerah · Jan–Jun 2017"),
        "the breakdown chart's subtitle says per daerah"
    );
    assert!(!region.contains(": per provinsi</h3>"));
    let province = page(dir.path(), "regions/sulawesi-utara/index.html");
    assert!(province.contains(r#"<span class="kind">Daerah</span>"#));
    let office = page(dir.path(), "regions/kc-manado/index.html");
    assert!(office.contains(r#"<span class="kind">Cabang</span>"#));
}

#[test]
fn an_entity_of_an_unknown_level_is_an_error_with_the_nearest_level() {
    let dir = renamed_levels();
    replace_in(dir.path(), ENTITIES, "kind: branch", "kind: brnach");
    let errors = content_errors(check(dir.path(), false));
    assert_eq!(errors.len(), 1, "{}", listing(&errors));
    let e = &errors[0];
    assert_eq!(e.origin.file, ENTITIES);
    assert_eq!(
        e.origin.pos.line,
        line_of(dir.path(), ENTITIES, "kind: brnach")
    );
    assert!(e.message.contains("unknown level `brnach`"), "{e}");
    assert_eq!(e.help.as_deref(), Some("did you mean `branch`?"));
}

#[test]
fn the_default_levels_are_region_province_and_office() {
    let dir = copy_example();
    build(dir.path()).unwrap_or_else(|e| panic!("{e}"));
    let region = page(dir.path(), "regions/sulawesi-maluku/index.html");
    assert!(region.contains(r#"<span class="kind">Wilayah</span>"#));
    assert!(region.contains("<h3>Iuran, 2017: per provinsi</h3>"));
}

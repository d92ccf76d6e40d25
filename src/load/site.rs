//! `content/site.yaml`.

use std::path::Path;

use serde_saphyr::Spanned;

use super::raw::SiteFile;
use super::{paths, read, yaml};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::{Audience, Lang, Level, Origin, Pos, SiteConfig, StatusThresholds, Text};

/// Settings used when `site.yaml` is missing or broken, so loading can go on.
fn fallback() -> SiteConfig {
    SiteConfig {
        title: Text::from("rekap"),
        description: Text::default(),
        base_url: "/".to_string(),
        language: Default::default(),
        default_entity: None,
        default_entity_origin: Default::default(),
        allow_html: Default::default(),
        default_audience: Audience::Public,
        currency: "IDR".to_string(),
        status: StatusThresholds::default(),
        organisation: None,
        charts_png: Default::default(),
        financial_year_start: None,
        levels: Level::defaults(),
        licence: None,
        contact: None,
        glossary: Default::default(),
        content_language: None,
        // Settings that could not be read may list any language: accept a
        // translation into any language rekap knows rather than report
        // each one as a follow-up of the broken settings.
        languages: Lang::ALL.to_vec(),
        strings: Default::default(),
    }
}

pub(super) fn load(root: &Path, diags: &mut Diagnostics) -> SiteConfig {
    let file = paths::SITE;
    if !root.join(file).is_file() {
        diags.push(
            Diagnostic::error(Origin::new(file, Pos::default()), "site settings not found")
                .with_help("is this a rekap site? `rekap init DIR` writes a working example"),
        );
        return fallback();
    }
    let Some(text) = read(root, file, diags) else {
        return fallback();
    };
    let mut parsed = yaml::parse_all::<SiteFile>(file, &text, 1);
    let broken = parsed.has_errors();
    parsed.report(diags);
    // Settings read with a field blanked out are not the site's settings.
    let Some(raw) = parsed.value.filter(|_| !broken) else {
        return fallback();
    };
    let at = |loc: &serde_saphyr::Location| Origin::new(file, yaml::pos_of(loc, 1));

    let base_url = match crate::urls::check_base_url(&raw.base_url.value) {
        Ok(u) => u,
        Err(why) => {
            diags.push(
                Diagnostic::error(at(&raw.base_url.referenced), format!("base_url: {why}"))
                    .with_help("`base_url` is the address the site is published at"),
            );
            "/".to_string()
        }
    };

    let currency = match raw.currency {
        Some(c) if is_currency_code(&c.value) => c.value,
        Some(c) => {
            diags.push(
                Diagnostic::error(
                    at(&c.referenced),
                    format!("`{}` is not an ISO 4217 currency code", c.value),
                )
                .with_help("use three capital letters, like `IDR`"),
            );
            "IDR".to_string()
        }
        None => "IDR".to_string(),
    };

    let mut status = StatusThresholds::default();
    if let Some(s) = raw.status {
        let v = s.value;
        status.achieved = v.achieved.unwrap_or(status.achieved);
        status.nearly = v.nearly.or(v.on_track).unwrap_or(status.nearly);
        status.ahead = v.ahead.unwrap_or(status.ahead);
        status.on_pace = v.on_pace.or(v.on_track).unwrap_or(status.on_pace);
        status.behind = v.behind.or(v.at_risk).unwrap_or(status.behind);
        let all = [
            status.achieved,
            status.nearly,
            status.ahead,
            status.on_pace,
            status.behind,
        ];
        let ok = all.iter().all(|x| x.is_finite() && *x >= 0.0)
            && status.achieved >= status.nearly
            && status.ahead >= status.on_pace
            && status.on_pace >= status.behind;
        if !ok {
            diags.push(
                Diagnostic::error(
                    at(&s.referenced),
                    "status thresholds must be finite and ordered",
                )
                .with_help("achieved >= nearly (closed periods) and ahead >= on_pace >= behind >= 0 (periods in progress), for example 1.0, 0.95 and 1.05, 0.95, 0.8"),
            );
            status = StatusThresholds::default();
        }
    }

    let (language, languages) = languages(raw.language, raw.languages, file, diags);
    SiteConfig {
        title: raw.title,
        description: raw.description.unwrap_or_default(),
        base_url,
        language,
        languages,
        default_entity_origin: raw
            .default_entity
            .as_ref()
            .map(|s| at(&s.referenced))
            .unwrap_or_else(|| Origin::new(file, Pos::default())),
        default_entity: raw.default_entity.map(|s| s.value),
        allow_html: raw.allow_html,
        default_audience: raw.default_audience.unwrap_or_default(),
        currency,
        status,
        organisation: raw.organisation,
        charts_png: raw.charts_png.unwrap_or_default(),
        financial_year_start: raw
            .financial_year_start
            .and_then(|s| super::data::check_fy_start(file, &s, diags)),
        levels: match raw.levels {
            None => Level::defaults(),
            Some(l) => levels(l, file, diags),
        },
        licence: raw.licence,
        contact: raw.contact,
        glossary: raw.glossary.unwrap_or_default(),
        content_language: raw.content_language,
        strings: Default::default(),
    }
}

/// The default language and every language of the site, the default first:
/// `language` is the default when given (and must be among `languages`),
/// else the first of `languages`; no language twice.
fn languages(
    language: Option<Lang>,
    list: Option<Spanned<Vec<Lang>>>,
    file: &str,
    diags: &mut Diagnostics,
) -> (Lang, Vec<Lang>) {
    let Some(list) = list else {
        let l = language.unwrap_or_default();
        return (l, vec![l]);
    };
    let at = Origin::new(file, yaml::pos_of(&list.referenced, 1));
    let mut all: Vec<Lang> = Vec::new();
    for l in &list.value {
        if all.contains(l) {
            diags.push(
                Diagnostic::error(at.clone(), format!("language `{l}` is listed twice"))
                    .with_help("list each language once, the default first: `languages: [id, en]`"),
            );
        } else {
            all.push(*l);
        }
    }
    let Some(&first) = all.first() else {
        diags.push(
            Diagnostic::error(at, "`languages` is empty")
                .with_help("list the site's languages, the default first: `languages: [id, en]`"),
        );
        let l = language.unwrap_or_default();
        return (l, vec![l]);
    };
    let default = language.unwrap_or(first);
    if !all.contains(&default) {
        diags.push(
            Diagnostic::error(
                at,
                format!("the default language `{default}` is not in `languages`"),
            )
            .with_help(format!(
                "add `{default}` to `languages`, or set `language:` to one of them"
            )),
        );
        return (default, vec![default]);
    }
    all.retain(|&l| l != default);
    all.insert(0, default);
    (default, all)
}

/// Whether `s` looks like an ISO 4217 code (three ASCII capitals).
pub(super) fn is_currency_code(s: &str) -> bool {
    s.len() == 3 && s.bytes().all(|b| b.is_ascii_uppercase())
}

/// The site's own levels: at least one, ids valid and unique.
fn levels(l: Spanned<Vec<Level>>, file: &str, diags: &mut Diagnostics) -> Vec<Level> {
    let at = Origin::new(
        file,
        Pos::new(l.referenced.line() as u32, l.referenced.column() as u32),
    );
    let mut seen = std::collections::HashSet::new();
    let mut ok = !l.value.is_empty();
    for level in &l.value {
        if !super::is_valid_slug(&level.id) || !seen.insert(level.id.as_str()) {
            ok = false;
        }
    }
    if ok {
        l.value
    } else {
        diags.push(
            Diagnostic::error(at, "`levels` needs at least one level, each with its own valid id")
                .with_help("for example: levels: [{id: nation, name: {id: Negara, en: Nation}}, {id: region, name: {id: Wilayah, en: Region}, plural: {id: Wilayah, en: Regions}}]"),
        );
        Level::defaults()
    }
}

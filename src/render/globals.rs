//! Step **globals**: what every template sees: the site's title and
//! language, the routes (`urls`), the interface strings (`i18n`), the menu
//! (`nav`) and the fingerprinted assets.

use serde_json::json;

use super::i18n;
use super::templates::Templates;
use super::views::{Link, Viewer};
use crate::model::Audience;
use crate::model::Theme;
use crate::urls::Download;

/// Sets the values every template sees.
pub fn set(templates: &mut Templates, v: &Viewer, theme: &Theme) {
    let (site, urls, lang) = (v.site, v.urls, v.lang);
    let mut nav = vec![
        Link {
            name: v.t("home").into(),
            url: urls.home(),
        },
        Link {
            name: v.t("regions").into(),
            url: urls.entities(),
        },
        Link {
            name: v.t("releases").into(),
            url: urls.releases(),
        },
        Link {
            name: v.t("meetings").into(),
            url: urls.meetings(),
        },
        Link {
            name: v.t("years").into(),
            url: urls.years(),
        },
    ];
    nav.extend(
        site.pages
            .iter()
            .map(|p| &p.page)
            .filter(|p| p.menu.is_some())
            .map(|p| Link {
                name: p.title.clone(),
                url: urls.page(&p.slug),
            }),
    );

    // Fingerprint each asset by its content (the site's own version if it overrides one).
    let fingerprint = |name: &str| -> String {
        let data = theme
            .bytes(&format!("{}/{name}", crate::urls::ASSETS))
            .unwrap_or_default();
        urls.asset(&format!("{name}?v={}", short_hash(data)))
    };

    templates.set_global(
        "site",
        &json!({
            "title": site.config.title.get(lang),
            "description": site.config.description.get(lang),
            "organisation": site.config.organisation.as_ref().map(|o| o.get(lang)),
            "lang": lang.code(),
            "base_url": site.config.base_url,
            "base_path": urls.base_path,
            "internal": site.selection.audience == Audience::Internal,
            "audience": site.selection.audience.as_str(),
        }),
    );
    templates.set_global(
        "urls",
        &json!({
            "home": urls.home(),
            "entities": urls.entities(),
            "releases": urls.releases(),
            "meetings": urls.meetings(),
            "years": urls.years(),
            "search": urls.search(),
            "feed": urls.feed(),
            "data_csv": urls.site_data(Download::Csv),
            "data_json": urls.site_data(Download::Json),
        }),
    );
    templates.set_global("i18n", &i18n::table(lang));
    templates.set_global("nav", &nav);
    templates.set_global(
        "assets",
        &json!({ "css": fingerprint("style.css"), "search": fingerprint("search.js") }),
    );
}

/// A short, stable content hash for cache busting (FNV-1a, 64 bits, hex).
pub fn short_hash(data: &[u8]) -> String {
    let mut h: u64 = 0xcbf29ce484222325;
    for b in data {
        h ^= *b as u64;
        h = h.wrapping_mul(0x100000001b3);
    }
    format!("{:016x}", h)[..10].to_string()
}

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
        Link::new(v.t("home"), urls.home()),
        Link::new(v.t("regions"), urls.entities()),
        Link::new(v.t("releases"), urls.releases()),
        Link::new(v.t("meetings"), urls.meetings()),
        Link::new(v.t("years"), urls.years()),
    ];
    nav.extend(
        site.pages
            .iter()
            .map(|p| &p.page)
            .filter(|p| p.menu.is_some())
            .map(|p| Link {
                lang: v.docs_lang_attr(),
                ..Link::new(p.title.clone(), urls.page(&p.slug))
            }),
    );

    // Fingerprint each asset by its content (the site's own version if it overrides one).
    let fingerprint = |name: &str| -> String {
        let data = theme
            .bytes(&format!("{}/{name}", crate::urls::ASSETS))
            .unwrap_or_default();
        urls.asset(&format!("{name}?v={}", short_hash(data)))
    };

    let text = |t: Option<&crate::model::Text>| t.map(|t| (t.get(lang).to_string(), v.lang_of(t)));
    let (organisation, organisation_lang) = text(site.config.organisation.as_ref()).unzip();
    let (licence, licence_lang) = text(site.config.licence.as_ref()).unzip();
    let (contact, contact_lang) = text(site.config.contact.as_ref()).unzip();
    let contact_url = contact.as_deref().and_then(contact_url);
    templates.set_global(
        "site",
        &json!({
            "title": site.config.title.get(lang),
            "title_lang": v.lang_of(&site.config.title),
            "description": site.config.description.get(lang),
            "description_lang": v.lang_of(&site.config.description),
            "organisation": organisation,
            "organisation_lang": organisation_lang.flatten(),
            "licence": licence,
            "licence_lang": licence_lang.flatten(),
            "contact": contact,
            "contact_url": contact_url,
            "contact_lang": contact_lang.flatten(),
            "lang": lang.code(),
            "content_lang": v.docs_lang_attr(),
            "data_lang": v.content_lang_attr(),
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
    templates.set_global("i18n", &i18n::table(lang, &site.config.strings));
    templates.set_global("nav", &nav);
    templates.set_global(
        "assets",
        &json!({
            "css": fingerprint("style.css"),
            "search": fingerprint("search.js"),
            "favicon": fingerprint("favicon.svg"),
        }),
    );
}

/// Where a contact written in `site.yaml` leads: an e-mail address gets a
/// `mailto:` link, a web address its own; anything else is only text.
fn contact_url(contact: &str) -> Option<String> {
    let c = contact.trim();
    if c.starts_with("https://") || c.starts_with("http://") || c.starts_with("mailto:") {
        Some(c.to_string())
    } else if !c.contains(char::is_whitespace) && c.contains('@') && !c.starts_with('@') {
        Some(format!("mailto:{c}"))
    } else {
        None
    }
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

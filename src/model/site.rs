use serde::Serialize;

use super::{Audience, Lang, Text};

/// Thresholds on performance (the actual against the target, or against the
/// pace expected by now, in the metric's direction) that decide a status.
///
/// A closed period is judged against its target: achieved, nearly achieved
/// or missed. A period still in progress is judged against its pace: ahead,
/// on pace, behind or far behind.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct StatusThresholds {
    /// Closed period: at or above this, the target is achieved (default 1.0).
    pub achieved: f64,
    /// Closed period: at or above this, nearly achieved; below, missed (default 0.95).
    pub nearly: f64,
    /// In progress: at or above this share of the pace, ahead (default 1.05).
    pub ahead: f64,
    /// In progress: at or above this, on pace (default 0.95).
    pub on_pace: f64,
    /// In progress: at or above this, behind; below, far behind (default 0.80).
    pub behind: f64,
}

impl Default for StatusThresholds {
    fn default() -> Self {
        StatusThresholds {
            achieved: 1.0,
            nearly: 0.95,
            ahead: 1.05,
            on_pace: 0.95,
            behind: 0.80,
        }
    }
}

/// Which charts are also written as PNG images.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PngPolicy {
    /// Every chart.
    All,
    /// The charts used as preview images, and every chart an author placed (the default).
    #[default]
    Previews,
    /// None.
    None,
}

/// What happens to raw HTML written in Markdown (`allow_html` in `site.yaml`).
///
/// Written as `false` (the default), `true` or `trusted`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum HtmlPolicy {
    /// Raw HTML is dropped; script links are neutralised (`allow_html: false`).
    #[default]
    Drop,
    /// Raw HTML passes through an allow-list sanitiser: formatting, tables,
    /// images and links stay; scripts, event handlers, styles, forms and
    /// frames go (`allow_html: true`).
    Sanitise,
    /// Raw HTML passes through exactly as written, scripts included
    /// (`allow_html: trusted`). Only for sites whose every author is trusted.
    Trusted,
}

impl<'de> serde::Deserialize<'de> for HtmlPolicy {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(serde::Deserialize)]
        #[serde(untagged)]
        enum Written {
            Flag(bool),
            Word(String),
        }
        match Written::deserialize(d)? {
            Written::Flag(false) => Ok(HtmlPolicy::Drop),
            Written::Flag(true) => Ok(HtmlPolicy::Sanitise),
            Written::Word(w) if w == "trusted" => Ok(HtmlPolicy::Trusted),
            Written::Word(w) => Err(serde::de::Error::custom(format!(
                "`allow_html` is `false`, `true` (raw HTML sanitised) or `trusted` (raw HTML as written, scripts included), not `{w}`"
            ))),
        }
    }
}

/// A level of the site's hierarchy (`province`, or `nation`, `region`...):
/// what its entities are called, one and many.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Level {
    /// The id entities give as their `kind`.
    pub id: String,
    /// One entity of this level (`Provinsi` / `Province`).
    pub name: Text,
    /// Several (`Provinsi` / `Provinces`); the name when not given.
    #[serde(default)]
    pub plural: Option<Text>,
}

impl Level {
    /// A level with the same name in every language.
    fn fixed(id: &str, name: Text, plural: Text) -> Level {
        Level {
            id: id.to_string(),
            name,
            plural: Some(plural),
        }
    }

    /// The levels of a site that declares none: region, province, office.
    pub fn defaults() -> Vec<Level> {
        let t = |id: &str, en: &str| Text::localized(id, en);
        vec![
            Level::fixed("region", t("Wilayah", "Region"), t("Wilayah", "Regions")),
            Level::fixed(
                "province",
                t("Provinsi", "Province"),
                t("Provinsi", "Provinces"),
            ),
            Level::fixed("office", t("Kantor", "Office"), t("Kantor", "Offices")),
        ]
    }

    /// The plural, or the name.
    pub fn plural(&self) -> &Text {
        self.plural.as_ref().unwrap_or(&self.name)
    }
}

/// Settings from `content/site.yaml`.
#[derive(Debug, Clone, Serialize)]
pub struct SiteConfig {
    /// Site title.
    pub title: Text,
    /// One-line description for the home page and previews.
    pub description: Text,
    /// Absolute base URL, always ending in `/`.
    pub base_url: String,
    /// The site's default language: its pages sit at the root of the
    /// output, and its Markdown files carry no language in their names.
    pub language: Lang,
    /// Every language the site is published in, the default first (only the
    /// default unless `languages` is set). Each other language's edition
    /// sits under its code (`/en/`).
    pub languages: Vec<Lang>,
    /// Entity shown on the home page; defaults to the top of the hierarchy.
    pub default_entity: Option<String>,
    /// Where `default_entity` is written (for errors about it).
    #[serde(skip)]
    pub default_entity_origin: super::Origin,
    /// What happens to raw HTML in Markdown (dropped by default).
    pub allow_html: HtmlPolicy,
    /// Audience of items that do not say.
    pub default_audience: Audience,
    /// Currency of currency metrics that do not say (ISO 4217, default `IDR`).
    pub currency: String,
    /// Status thresholds.
    pub status: StatusThresholds,
    /// Name of the organisation, shown in the footer.
    pub organisation: Option<Text>,
    /// Which charts are also written as PNG.
    pub charts_png: PngPolicy,
    /// The month financial years start in (`2016/17` periods), if the site uses them.
    pub financial_year_start: Option<u8>,
    /// The levels of the hierarchy, top first.
    pub levels: Vec<Level>,
    /// The licence the site's content and data are published under, shown in the footer.
    pub licence: Option<Text>,
    /// Whom readers can write to (an address, a page), shown in the footer.
    pub contact: Option<Text>,
    /// Abbreviations and what they stand for, expanded where a page first uses them.
    pub glossary: std::collections::BTreeMap<String, Text>,
    /// The language Markdown, front matter and single-language text are
    /// written in; `None`: the site's `language`.
    pub content_language: Option<Lang>,
    /// Interface strings the site overrides (`i18n/id.yaml`, `i18n/en.yaml`),
    /// per language (see [`crate::render::i18n`]).
    #[serde(skip)]
    pub strings: Strings,
}

/// Interface strings a site overrides, per language: key → text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Strings {
    /// From `i18n/id.yaml`.
    pub id: std::collections::BTreeMap<String, &'static str>,
    /// From `i18n/en.yaml`.
    pub en: std::collections::BTreeMap<String, &'static str>,
}

impl Strings {
    /// The overrides of `lang`.
    pub fn of(&self, lang: Lang) -> &std::collections::BTreeMap<String, &'static str> {
        match lang {
            Lang::Id => &self.id,
            Lang::En => &self.en,
        }
    }

    /// The site's text for `key` in `lang`, if it overrides it.
    pub fn get(&self, key: &str, lang: Lang) -> Option<&'static str> {
        self.of(lang).get(key).copied()
    }
}

impl SiteConfig {
    /// The language the site's own Markdown and plain text are written in.
    pub fn content_lang(&self) -> Lang {
        self.content_language.unwrap_or(self.language)
    }

    /// The language of the Markdown and front matter shown in this edition:
    /// the content language in the default language's edition, the
    /// edition's language in the others (they show translations).
    pub fn docs_lang(&self) -> Lang {
        if self.languages.first().is_none_or(|&d| d == self.language) {
            self.content_lang()
        } else {
            self.language
        }
    }

    /// The site's default language (its edition sits at the root).
    pub fn default_language(&self) -> Lang {
        self.languages.first().copied().unwrap_or(self.language)
    }

    /// Whether the site is published in more than one language.
    pub fn is_multilingual(&self) -> bool {
        self.languages.len() > 1
    }

    /// The level with id `id`.
    pub fn level(&self, id: &str) -> Option<&Level> {
        self.levels.iter().find(|l| l.id == id)
    }
}

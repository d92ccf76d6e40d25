use serde::Serialize;

use super::{Audience, Lang, Text};

/// Thresholds on attainment (actual / expected) that decide a figure's status.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct StatusThresholds {
    /// At or above this, the target is achieved (default 1.0).
    pub achieved: f64,
    /// At or above this, on track (default 0.95).
    pub on_track: f64,
    /// At or above this, at risk; below it, off track (default 0.80).
    pub at_risk: f64,
}

impl Default for StatusThresholds {
    fn default() -> Self {
        StatusThresholds {
            achieved: 1.0,
            on_track: 0.95,
            at_risk: 0.80,
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

/// Settings from `content/site.yaml`.
#[derive(Debug, Clone, Serialize)]
pub struct SiteConfig {
    /// Site title.
    pub title: Text,
    /// One-line description for the home page and previews.
    pub description: Text,
    /// Absolute base URL, always ending in `/`.
    pub base_url: String,
    /// Language of the whole site.
    pub language: Lang,
    /// Entity shown on the home page; defaults to the top of the hierarchy.
    pub default_entity: Option<String>,
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
}

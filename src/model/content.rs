use serde::Serialize;

use super::{Audience, Origin, Period, Shortcode};

/// A reference from content to a figure record (entity, metric, period).
#[derive(Debug, Clone, Serialize)]
pub struct TargetRef {
    /// Entity id; `None` means the entity of the meeting or release.
    pub entity: Option<String>,
    /// Metric id.
    pub metric: String,
    /// Period.
    pub period: Period,
    /// Where the reference was written.
    pub origin: Origin,
}

/// A person present at a meeting.
#[derive(Debug, Clone, Serialize)]
pub struct Attendee {
    /// Full name.
    pub name: String,
    /// Role or office held.
    pub role: String,
}

/// A decision taken at a meeting.
#[derive(Debug, Clone, Serialize)]
pub struct Decision {
    /// What was decided.
    pub text: String,
    /// Who may see the decision.
    pub audience: Audience,
}

/// A press release: front matter and Markdown body.
#[derive(Debug, Clone, Serialize)]
pub struct Release {
    /// The language of a translation (`tentang.en.md`); `None` for a file in
    /// the site's default language.
    pub lang: Option<crate::model::Lang>,
    /// URL slug, from the file name or front matter.
    pub slug: String,
    /// Where the slug was given: the `slug:` line, or the file's first
    /// line when the slug is the file's name.
    #[serde(skip)]
    pub slug_origin: Origin,
    /// Headline.
    pub title: String,
    /// Publication date.
    pub date: jiff::civil::Date,
    /// The entity the release is about.
    pub entity: Option<String>,
    /// Where `entity` was written.
    pub entity_origin: Origin,
    /// Free tags.
    pub tags: Vec<String>,
    /// Social-security programmes concerned (`jht`, `jkk`, `jkm`, `jp`, or any name).
    pub programmes: Vec<String>,
    /// One-paragraph summary for lists, feeds and previews.
    pub summary: Option<String>,
    /// Slug of the meeting the release reports on.
    pub meeting: Option<String>,
    /// Where `meeting` was written.
    pub meeting_origin: Origin,
    /// Name of a chart to use as cover image.
    pub cover_chart: Option<String>,
    /// Drafts are built only on request.
    pub draft: bool,
    /// Who may see the release.
    pub audience: Audience,
    /// Markdown body.
    pub body: String,
    /// Line in the file where the body starts (1-based).
    pub body_line: u32,
    /// Data shortcodes in the body, in order.
    pub shortcodes: Vec<Shortcode>,
    /// The file.
    pub origin: Origin,
}

/// A coordination meeting: when, where, who, what was decided, which targets were set.
#[derive(Debug, Clone, Serialize)]
pub struct Meeting {
    /// The language of a translation (`tentang.en.md`); `None` for a file in
    /// the site's default language.
    pub lang: Option<crate::model::Lang>,
    /// URL slug, from the file name or front matter.
    pub slug: String,
    /// Where the slug was given: the `slug:` line, or the file's first
    /// line when the slug is the file's name.
    #[serde(skip)]
    pub slug_origin: Origin,
    /// Title.
    pub title: String,
    /// Date held.
    pub date: jiff::civil::Date,
    /// Place held.
    pub location: String,
    /// The entity that held it.
    pub entity: Option<String>,
    /// Where `entity` was written.
    pub entity_origin: Origin,
    /// Who attended.
    pub attendees: Vec<Attendee>,
    /// What was decided.
    pub decisions: Vec<Decision>,
    /// Targets set at the meeting, as references to figure records.
    pub targets: Vec<TargetRef>,
    /// One-paragraph summary.
    pub summary: Option<String>,
    /// Drafts are built only on request.
    pub draft: bool,
    /// Who may see the meeting.
    pub audience: Audience,
    /// Markdown body.
    pub body: String,
    /// Line in the file where the body starts (1-based).
    pub body_line: u32,
    /// Data shortcodes in the body, in order.
    pub shortcodes: Vec<Shortcode>,
    /// The file.
    pub origin: Origin,
}

/// A free page (about, methodology).
#[derive(Debug, Clone, Serialize)]
pub struct Page {
    /// The language of a translation (`tentang.en.md`); `None` for a file in
    /// the site's default language.
    pub lang: Option<crate::model::Lang>,
    /// URL slug, from the file name or front matter.
    pub slug: String,
    /// Title.
    pub title: String,
    /// Short description for previews.
    pub description: Option<String>,
    /// Where the slug was given (the file itself when taken from its name).
    pub slug_origin: Origin,
    /// Position in the navigation; pages without one are not in the menu.
    pub menu: Option<i32>,
    /// Who may see the page.
    pub audience: Audience,
    /// Markdown body.
    pub body: String,
    /// Line in the file where the body starts (1-based).
    pub body_line: u32,
    /// Data shortcodes in the body, in order.
    pub shortcodes: Vec<Shortcode>,
    /// The file.
    pub origin: Origin,
}

//! The decided site: the one value handed to render.

use serde::Serialize;

use crate::validate::Site;

use super::{ContentIndex, Report};

/// Everything a page, chart, feed or download shows, decided before
/// rendering: the validated site (only what the build's audience may see,
/// references resolved to indices), every computed figure, and the content
/// index (years, taxonomies).
///
/// Render is a function of this value and the theme. It is `Serialize`, so it
/// can be inspected or exported as it is; text that exists in several
/// languages stays a [`Text`](crate::model::Text) here and is picked by render.
#[derive(Debug, Clone, Serialize)]
pub struct SiteModel {
    /// The validated site.
    pub site: Site,
    /// Every tracked value: attainment, growth, status, aggregates.
    pub report: std::sync::Arc<Report>,
    /// Years and taxonomies.
    pub index: ContentIndex,
}

use serde::{Deserialize, Serialize};

/// Who may see an item. Everything is public unless marked otherwise.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize, Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Audience {
    /// Visible on public outreach sites.
    #[default]
    Public,
    /// Only for internal briefing builds; never in a public build.
    Internal,
}

impl Audience {
    /// Whether an item for `self` may appear in a build for `build`.
    ///
    /// ```
    /// use rekap::model::Audience;
    /// assert!(Audience::Public.visible_in(Audience::Internal));
    /// assert!(!Audience::Internal.visible_in(Audience::Public));
    /// ```
    pub fn visible_in(self, build: Audience) -> bool {
        self <= build
    }

    /// `public` or `internal`.
    pub fn as_str(self) -> &'static str {
        match self {
            Audience::Public => "public",
            Audience::Internal => "internal",
        }
    }
}

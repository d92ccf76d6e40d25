use serde::{Deserialize, Serialize};

/// The language of a site: every number, date and interface word follows it.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize, Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// Indonesian (`id`), the default.
    #[default]
    Id,
    /// English (`en`).
    En,
}

impl Lang {
    /// The BCP 47 code used in `lang` attributes (`id`, `en`).
    pub fn code(self) -> &'static str {
        match self {
            Lang::Id => "id",
            Lang::En => "en",
        }
    }

    /// Every supported language.
    pub const ALL: [Lang; 2] = [Lang::Id, Lang::En];
}

impl std::fmt::Display for Lang {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::Lang;

/// Human text that may be given once or per language.
///
/// In YAML either a plain string (`name: Sulawesi Utara`) or a map by
/// language (`name: {id: Iuran, en: Contributions}`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(untagged)]
pub enum Text {
    /// The same text in every language.
    Plain(String),
    /// Text per language; a missing language falls back to any given one.
    Localized(BTreeMap<Lang, String>),
}

impl Default for Text {
    fn default() -> Self {
        Text::Plain(String::new())
    }
}

impl Text {
    /// The text for `lang`, falling back to Indonesian, then to any language given.
    pub fn get(&self, lang: Lang) -> &str {
        match self {
            Text::Plain(s) => s,
            Text::Localized(map) => map
                .get(&lang)
                .or_else(|| map.get(&Lang::Id))
                .or_else(|| map.values().next())
                .map(String::as_str)
                .unwrap_or(""),
        }
    }

    /// Whether the text is empty in every language.
    pub fn is_empty(&self) -> bool {
        match self {
            Text::Plain(s) => s.trim().is_empty(),
            Text::Localized(map) => map.values().all(|s| s.trim().is_empty()),
        }
    }
}

impl From<&str> for Text {
    fn from(s: &str) -> Self {
        Text::Plain(s.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn localized_text_falls_back_to_indonesian() {
        let mut map = BTreeMap::new();
        map.insert(Lang::Id, "Iuran".to_string());
        let t = Text::Localized(map);
        assert_eq!(t.get(Lang::En), "Iuran");
        assert_eq!(t.get(Lang::Id), "Iuran");
    }
}

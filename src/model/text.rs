use std::collections::BTreeMap;

use serde::{Deserialize, Deserializer, Serialize};

use super::Lang;

/// Human text that may be given once or per language.
///
/// In YAML either a plain string (`name: Sulawesi Utara`) or a map by
/// language (`name: {id: Iuran, en: Contributions}`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Text {
    /// The same text in every language.
    Plain(String),
    /// Text per language; a missing language falls back to any given one.
    Localized(BTreeMap<Lang, String>),
}

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Text;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("text, or text per language like {id: ..., en: ...}")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Text, E> {
                Ok(Text::Plain(v.to_string()))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Text, E> {
                Ok(Text::Plain(v.to_string()))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Text, E> {
                Ok(Text::Plain(v.to_string()))
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Text, E> {
                Ok(Text::Plain(v.to_string()))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Text, A::Error> {
                let mut out = BTreeMap::new();
                while let Some(key) = map.next_key::<String>()? {
                    let lang = match key.as_str() {
                        "id" => Lang::Id,
                        "en" => Lang::En,
                        other => {
                            return Err(serde::de::Error::custom(format!(
                                "unknown language `{other}`: text can be given for `id` (Indonesian) and `en` (English)"
                            )));
                        }
                    };
                    let value: String = map.next_value()?;
                    if out.insert(lang, value).is_some() {
                        return Err(serde::de::Error::custom(format!(
                            "language `{key}` is given twice"
                        )));
                    }
                }
                Ok(Text::Localized(out))
            }
        }
        d.deserialize_any(V)
    }
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

    /// The text for `lang` as [`Text::get`] gives it, and the language it is
    /// in when that is known: the language found in a map (which may be the
    /// Indonesian fallback), `None` for plain text.
    pub fn resolve(&self, lang: Lang) -> (&str, Option<Lang>) {
        match self {
            Text::Plain(s) => (s, None),
            Text::Localized(map) => match map
                .get_key_value(&lang)
                .or_else(|| map.get_key_value(&Lang::Id))
                .or_else(|| map.iter().next())
            {
                Some((l, s)) => (s, Some(*l)),
                None => ("", None),
            },
        }
    }

    /// Text in Indonesian and English.
    pub fn localized(id: &str, en: &str) -> Text {
        Text::Localized(BTreeMap::from([
            (Lang::Id, id.to_string()),
            (Lang::En, en.to_string()),
        ]))
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
    fn an_unknown_language_is_named() {
        let e = serde_saphyr::from_str::<Text>("{id: a, fr: b}").unwrap_err();
        assert!(e.to_string().contains("unknown language `fr`"), "{e}");
        let t: Text = serde_saphyr::from_str("{id: a, en: b}").unwrap();
        assert_eq!(t.get(Lang::En), "b");
        let t: Text = serde_saphyr::from_str("plain").unwrap();
        assert_eq!(t.get(Lang::En), "plain");
    }

    #[test]
    fn localized_text_falls_back_to_indonesian() {
        let mut map = BTreeMap::new();
        map.insert(Lang::Id, "Iuran".to_string());
        let t = Text::Localized(map);
        assert_eq!(t.get(Lang::En), "Iuran");
        assert_eq!(t.get(Lang::Id), "Iuran");
        assert_eq!(t.resolve(Lang::En), ("Iuran", Some(Lang::Id)));
        assert_eq!(Text::from("x").resolve(Lang::En), ("x", None));
    }
}

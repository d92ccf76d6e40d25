//! Slugs: the lowercase ASCII names of ids, files and URLs (`sulawesi-utara`).
//! Every path segment rekap writes from content is one, so no content can
//! name a path outside the output folder.

/// Whether `s` is a valid id or slug: lowercase letters, digits and single hyphens.
///
/// ```
/// use rekap::slug::is_valid_slug;
/// assert!(is_valid_slug("sulawesi-utara"));
/// assert!(!is_valid_slug("../etc"));
/// assert!(!is_valid_slug("Sulawesi Utara"));
/// ```
pub fn is_valid_slug(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 120
        && s.split('-').all(|part| {
            !part.is_empty()
                && part
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

/// Turns free text into a valid slug (`Rapat Koordinasi 2017` → `rapat-koordinasi-2017`).
///
/// Letters outside ASCII are transliterated (`Ünïcode` → `unicode`,
/// `Рапорт` → `raport`, `会议` → `hui-yi`), so a title or tag in any script
/// keeps a readable slug; whatever is left that is not a letter or digit
/// becomes a single `-`. The result passes [`is_valid_slug`] unless it is
/// empty (text with no letter or digit at all).
///
/// ```
/// use rekap::slug::slugify;
/// assert_eq!(slugify("Rapat Koordinasi 2017!"), "rapat-koordinasi-2017");
/// assert_eq!(slugify("Ünïcode"), "unicode");
/// assert_eq!(slugify("Капитал"), "kapital");
/// ```
pub fn slugify(s: &str) -> String {
    let ascii;
    let s = if s.is_ascii() {
        s
    } else {
        ascii = deunicode::deunicode_with_tofu(s, "-");
        ascii.as_str()
    };
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out.truncate(100);
    while out.ends_with('-') {
        out.pop();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugify_makes_valid_slugs() {
        assert_eq!(slugify("Rapat Koordinasi 2017!"), "rapat-koordinasi-2017");
        assert_eq!(slugify("../../etc/passwd"), "etc-passwd");
        assert!(is_valid_slug(&slugify("Ünïcödé  -- test")));
    }

    #[test]
    fn slugify_transliterates_instead_of_dropping() {
        assert_eq!(slugify("Ünïcode"), "unicode");
        assert_eq!(
            slugify("Rapat Koordinasi Wilayah — Manado"),
            "rapat-koordinasi-wilayah-manado"
        );
        assert_eq!(slugify("Çà et là"), "ca-et-la");
        assert_eq!(slugify("Ελλάδα"), "ellada");
        assert_eq!(slugify("東京"), "dong-jing");
        assert_eq!(slugify("数据 2017"), "shu-ju-2017");
        assert_eq!(slugify("—"), "");
    }

    proptest::proptest! {
        #[test]
        fn slugify_gives_a_valid_slug_or_nothing(s in "\\PC{0,80}") {
            let slug = slugify(&s);
            proptest::prop_assert!(slug.is_empty() || is_valid_slug(&slug), "{s:?} -> {slug:?}");
        }
    }
}

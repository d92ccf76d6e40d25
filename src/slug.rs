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
pub fn slugify(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        let c = match c {
            'á' | 'à' | 'â' | 'ä' | 'ã' | 'Á' | 'À' | 'Â' | 'Ä' => 'a',
            'é' | 'è' | 'ê' | 'ë' | 'É' | 'È' => 'e',
            'í' | 'ì' | 'î' | 'ï' => 'i',
            'ó' | 'ò' | 'ô' | 'ö' | 'õ' => 'o',
            'ú' | 'ù' | 'û' | 'ü' => 'u',
            c => c,
        };
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
}

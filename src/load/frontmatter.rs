//! Splitting a Markdown file into YAML front matter and body.

/// A Markdown file split at its front matter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split<'a> {
    /// The YAML between the `---` fences (empty if there is none).
    pub yaml: &'a str,
    /// Line of the first YAML line (1-based).
    pub yaml_line: u32,
    /// The Markdown after the closing fence.
    pub body: &'a str,
    /// Line where the body starts (1-based).
    pub body_line: u32,
}

/// Why a file's front matter could not be found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FrontMatterError {
    /// The file does not start with a `---` line.
    Missing,
    /// The opening `---` is never closed.
    Unclosed,
}

/// Splits `text` at its front matter: a first line `---`, YAML, and a line `---`.
///
/// ```
/// use rekap::load::frontmatter::split;
/// let s = split("---\ntitle: A\n---\n# Body\n").unwrap();
/// assert_eq!(s.yaml, "title: A\n");
/// assert_eq!(s.body, "# Body\n");
/// assert_eq!(s.body_line, 4);
/// ```
///
/// # Errors
///
/// When the text does not start with a `---` line, or the front matter is
/// never closed by another `---` line.
pub fn split(text: &str) -> Result<Split<'_>, FrontMatterError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first_end = text.find('\n').map(|i| i + 1).unwrap_or(text.len());
    if text[..first_end].trim_end() != "---" {
        return Err(FrontMatterError::Missing);
    }
    let mut offset = first_end;
    let mut line = 2u32;
    while offset < text.len() {
        let end = text[offset..]
            .find('\n')
            .map(|i| offset + i + 1)
            .unwrap_or(text.len());
        if text[offset..end].trim_end() == "---" {
            return Ok(Split {
                yaml: &text[first_end..offset],
                yaml_line: 2,
                body: &text[end..],
                body_line: line + 1,
            });
        }
        offset = end;
        line += 1;
    }
    Err(FrontMatterError::Unclosed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_without_front_matter_is_refused() {
        assert_eq!(split("# Title\n"), Err(FrontMatterError::Missing));
    }

    #[test]
    fn an_unclosed_front_matter_is_refused() {
        assert_eq!(split("---\ntitle: a\n"), Err(FrontMatterError::Unclosed));
    }

    #[test]
    fn crlf_line_endings_are_accepted() {
        let s = split("---\r\ntitle: a\r\n---\r\nbody").unwrap();
        assert_eq!(s.yaml, "title: a\r\n");
        assert_eq!(s.body, "body");
        assert_eq!(s.body_line, 4);
    }

    #[test]
    fn empty_body_is_fine() {
        let s = split("---\ntitle: a\n---").unwrap();
        assert_eq!(s.body, "");
    }
}

//! `rekap new release|meeting "Title"`: a dated file with complete front
//! matter for the site's default entity, ready to edit.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::load::{paths, slugify};

/// What `new` creates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NewKind {
    /// A press release in `content/releases/`.
    Release,
    /// A meeting in `content/meetings/`.
    Meeting,
}

/// Why `new` could not create the file.
#[derive(Debug)]
pub enum NewError {
    /// The title gives no usable slug.
    EmptyTitle,
    /// A file with that name exists already.
    Exists(PathBuf),
    /// Writing failed.
    Io(PathBuf, std::io::Error),
}

impl fmt::Display for NewError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NewError::EmptyTitle => write!(f, "the title needs at least one letter or digit"),
            NewError::Exists(p) => {
                write!(f, "{} exists already; choose another title", p.display())
            }
            NewError::Io(p, e) => write!(f, "{}: {e}", p.display()),
        }
    }
}

impl std::error::Error for NewError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            NewError::Io(_, e) => Some(e),
            _ => None,
        }
    }
}

/// The site's default entity, read leniently from `site.yaml` (empty if none).
fn default_entity(root: &Path) -> String {
    let text = std::fs::read_to_string(root.join(paths::SITE)).unwrap_or_default();
    text.lines()
        .find_map(|l| l.strip_prefix("default_entity:"))
        .map(|v| v.trim().trim_matches('"').trim_matches('\'').to_string())
        .unwrap_or_default()
}

fn yaml_string(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

/// Creates a new release or meeting titled `title`, dated `date`, in the site at `root`.
///
/// # Errors
///
/// [`NewError`] when the file exists already or cannot be written.
pub fn new_content(
    root: &Path,
    kind: NewKind,
    title: &str,
    date: jiff::civil::Date,
) -> Result<PathBuf, NewError> {
    let slug = slugify(title);
    if slug.is_empty() {
        return Err(NewError::EmptyTitle);
    }
    let dir = root.join(match kind {
        NewKind::Release => paths::RELEASES,
        NewKind::Meeting => paths::MEETINGS,
    });
    let path = dir.join(format!("{date}-{slug}.md"));
    if path.exists() {
        return Err(NewError::Exists(path));
    }
    let entity = default_entity(root);
    let entity_line = if entity.is_empty() {
        "# entity: your-entity-id".to_string()
    } else {
        format!("entity: {entity}")
    };
    let title = yaml_string(title);
    let text = match kind {
        NewKind::Release => format!(
            "---\ntitle: {title}\ndate: {date}\n{entity_line}\ntags: []\nsummary: \"\"\n# meeting: slug-of-the-meeting-it-reports-on\ndraft: true\n---\n\n\
             Write the release here. Take numbers from the data with shortcodes, for example\n\
             `{{{{< value metric=\"METRIC-ID\" period={year} >}}}}` (without the backticks).\n",
            year = date.year()
        ),
        NewKind::Meeting => format!(
            "---\ntitle: {title}\ndate: {date}\nlocation: \"\"\n{entity_line}\nsummary: \"\"\nattendees: []\n# attendees:\n#   - name: A. Person\n#     role: Head of office\n\
             decisions: []\n# decisions:\n#   - What was decided\ntargets: []\n# targets:\n#   - metric: METRIC-ID\n#     period: {year}\ndraft: true\n---\n\n\
             Write the meeting notes here.\n",
            year = date.year()
        ),
    };
    std::fs::create_dir_all(&dir).map_err(|e| NewError::Io(dir.clone(), e))?;
    std::fs::write(&path, text).map_err(|e| NewError::Io(path.clone(), e))?;
    Ok(path)
}

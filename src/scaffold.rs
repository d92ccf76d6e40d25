//! `rekap new release|meeting "Title"`: a dated file with complete front
//! matter for the site's default entity, ready to edit; `rekap new figures
//! NAME`: a CSV figure file with the header row and commented examples, to
//! fill in a spreadsheet.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::load::{Outline, outline, paths, slugify};

/// What `new` creates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NewKind {
    /// A press release in `content/releases/`.
    Release,
    /// A meeting in `content/meetings/`.
    Meeting,
    /// A figure file (CSV) in `content/data/figures/`.
    Figures,
}

/// Why `new` could not create the file.
#[derive(Debug)]
pub enum NewError {
    /// The folder is not a rekap site (it has no `content/site.yaml`).
    NotASite(PathBuf),
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
            NewError::NotASite(root) => write!(
                f,
                "{} is not a rekap site: it has no {}\n  help: run `rekap new` in the site folder, or name it with --root DIR; `rekap init DIR` writes a new site",
                root.display(),
                paths::SITE
            ),
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

fn yaml_string(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

/// Creates a new release, meeting or figure file titled `title`, dated
/// `date`, in the site at `root`, and returns its path. A release or meeting
/// is a draft about the site's default entity; a figure file is a CSV
/// template whose examples are for the year in its title (`target-2018`),
/// else the year of `date`.
///
/// # Errors
///
/// [`NewError::NotASite`] when `root` has no `content/site.yaml` (nothing is
/// created), [`NewError::Exists`] rather than overwrite a file,
/// [`NewError::EmptyTitle`] when the title has no letter or digit.
pub fn new_content(
    root: &Path,
    kind: NewKind,
    title: &str,
    date: jiff::civil::Date,
) -> Result<PathBuf, NewError> {
    if !root.join(paths::SITE).is_file() {
        return Err(NewError::NotASite(root.to_path_buf()));
    }
    let slug = slugify(title);
    if slug.is_empty() {
        return Err(NewError::EmptyTitle);
    }
    let (dir, name) = match kind {
        NewKind::Release => (paths::RELEASES, format!("{date}-{slug}.md")),
        NewKind::Meeting => (paths::MEETINGS, format!("{date}-{slug}.md")),
        NewKind::Figures => (paths::FIGURES, format!("{slug}.csv")),
    };
    let dir = root.join(dir);
    let path = dir.join(name);
    if path.exists() {
        return Err(NewError::Exists(path));
    }
    let site = outline(root);
    let text = match kind {
        NewKind::Release => release(&site, title, date),
        NewKind::Meeting => meeting(&site, title, date),
        NewKind::Figures => figures(&site, year_in(&slug).unwrap_or(date.year())),
    };
    std::fs::create_dir_all(&dir).map_err(|e| NewError::Io(dir.clone(), e))?;
    std::fs::write(&path, text).map_err(|e| NewError::Io(path.clone(), e))?;
    Ok(path)
}

/// A year (1900 to 2199) named in a slug: `target-2018` → 2018.
fn year_in(slug: &str) -> Option<i16> {
    slug.split('-')
        .rev()
        .filter(|w| w.len() == 4)
        .filter_map(|w| w.parse::<i16>().ok())
        .find(|y| (1900..=2199).contains(y))
}

fn entity_line(site: &Outline) -> String {
    match &site.default_entity {
        Some(e) => format!("entity: {e}"),
        None => {
            "# entity: ENTITY-ID (the site has no default_entity in content/site.yaml)".to_string()
        }
    }
}

fn first_metric(site: &Outline) -> &str {
    site.metrics.first().map_or("METRIC-ID", String::as_str)
}

fn release(site: &Outline, title: &str, date: jiff::civil::Date) -> String {
    format!(
        "---\ntitle: {title}\ndate: {date}\n{entity}\ntags: []\nsummary: \"\"\n# meeting: slug-of-the-meeting-it-reports-on\ndraft: true\n---\n\n\
         Write the release here. Take numbers from the data with shortcodes, for example\n\
         `{{{{< value metric=\"{metric}\" period={year} >}}}}` (without the backticks).\n",
        title = yaml_string(title),
        entity = entity_line(site),
        metric = first_metric(site),
        year = date.year()
    )
}

fn meeting(site: &Outline, title: &str, date: jiff::civil::Date) -> String {
    format!(
        "---\ntitle: {title}\ndate: {date}\nlocation: \"\"\n{entity}\nsummary: \"\"\nattendees: []\n# attendees:\n#   - name: A. Person\n#     role: Head of office\n\
         decisions: []\n# decisions:\n#   - What was decided\ntargets: []\n# targets:\n#   - metric: {metric}\n#     period: {year}\ndraft: true\n---\n\n\
         Write the meeting notes here.\n",
        title = yaml_string(title),
        entity = entity_line(site),
        metric = first_metric(site),
        year = date.year()
    )
}

/// At most this many ids are listed in a figure template's comments.
const LISTED: usize = 12;

fn listed(ids: &[String], file: &str) -> String {
    if ids.is_empty() {
        return format!("none yet (see {file})");
    }
    let mut s = ids
        .iter()
        .take(LISTED)
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join(" ");
    if ids.len() > LISTED {
        s.push_str(&format!(" and {} more in {file}", ids.len() - LISTED));
    }
    s
}

/// A CSV figure file: the header row, and commented rows that show every
/// form a record takes. Comments hold no quote, so that a spreadsheet
/// opening and saving the file keeps each a comment (a comma may spread one
/// over several cells, the first of which still starts with `#`).
fn figures(site: &Outline, year: i16) -> String {
    let entity = site.default_entity.as_deref().unwrap_or("ENTITY-ID");
    let metric = first_metric(site);
    let prev = year - 1;
    format!(
        "# decimal: point\n\
         # rekap figures: one record a row under the header row below. Lines starting with # are comments.\n\
         # Every row needs entity and metric and period and source; and a target or a target_growth (like 15%) or an actual.\n\
         # Numbers are plain: 1500000 and 0.5. If your spreadsheet writes 1.500.000 and 0,5 change the first line to # decimal: comma\n\
         # Periods: a year ({year}) or a quarter ({year}-Q1) or a month ({year}-01). Dates (as_of): YYYY-MM-DD.\n\
         # Entities: {entities}\n\
         # Metrics: {metrics}\n\
         # See docs/from-a-spreadsheet.md. Examples: delete the # at the start of a row to use it.\n\
         entity,metric,period,target,target_growth,actual,as_of,unit,source,note,audience\n\
         # {entity},{metric},{prev},,,1000,,,Annual report {prev},,\n\
         # {entity},{metric},{year},1150,15%,,,,Coordination meeting {year},,\n\
         # {entity},{metric},{year}-Q2,300,,240,{year}-05-31,,Monthly report,Provisional,internal\n",
        entities = listed(&site.entities, paths::ENTITIES),
        metrics = listed(&site.metrics, paths::METRICS),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("content/data")).unwrap();
        std::fs::write(
            dir.path().join(paths::SITE),
            "title: T\nbase_url: /\ndefault_entity: \"wilayah\"  # the region\n",
        )
        .unwrap();
        std::fs::write(
            dir.path().join(paths::ENTITIES),
            "entities:\n  - {id: wilayah, name: W, kind: region}\n  - {id: kota, name: K, kind: province, parent: wilayah}\n",
        )
        .unwrap();
        std::fs::write(
            dir.path().join(paths::METRICS),
            "metrics:\n  - {id: iuran, name: I, unit: currency, aggregate: sum}\n",
        )
        .unwrap();
        dir
    }

    fn date() -> jiff::civil::Date {
        jiff::civil::date(2018, 3, 1)
    }

    #[test]
    fn a_release_names_the_default_entity_even_with_quotes_and_a_comment() {
        let dir = site();
        let p = new_content(dir.path(), NewKind::Release, "Ünïcode résumé", date()).unwrap();
        assert!(
            p.ends_with("content/releases/2018-03-01-unicode-resume.md"),
            "{p:?}"
        );
        let text = std::fs::read_to_string(p).unwrap();
        assert!(text.contains("\nentity: wilayah\n"), "{text}");
        assert!(text.contains("metric=\"iuran\""), "{text}");
    }

    #[test]
    fn without_default_entity_the_top_of_the_hierarchy_is_used() {
        let dir = site();
        std::fs::write(dir.path().join(paths::SITE), "title: T\nbase_url: /\n").unwrap();
        let p = new_content(dir.path(), NewKind::Meeting, "Rapat", date()).unwrap();
        assert!(
            std::fs::read_to_string(p)
                .unwrap()
                .contains("\nentity: wilayah\n")
        );
    }

    #[test]
    fn outside_a_site_nothing_is_created() {
        let dir = tempfile::tempdir().unwrap();
        let e = new_content(dir.path(), NewKind::Release, "Rapat", date()).unwrap_err();
        assert!(matches!(e, NewError::NotASite(_)), "{e}");
        assert!(e.to_string().contains("rekap init"), "{e}");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    #[test]
    fn a_figure_template_lists_the_ids_and_refuses_to_overwrite() {
        let dir = site();
        let p = new_content(
            dir.path(),
            NewKind::Figures,
            "Target 2018",
            jiff::civil::date(2030, 1, 1),
        )
        .unwrap();
        assert!(p.ends_with("content/data/figures/target-2018.csv"), "{p:?}");
        let text = std::fs::read_to_string(&p).unwrap();
        assert!(text.contains("# Entities: wilayah kota\n"), "{text}");
        assert!(text.contains("# wilayah,iuran,2018,1150,15%,"), "{text}");
        for line in text.lines().filter(|l| l.starts_with('#')) {
            assert!(!line.contains('"'), "no quotes in comments: {line}");
        }
        assert!(matches!(
            new_content(dir.path(), NewKind::Figures, "target 2018", date()),
            Err(NewError::Exists(_))
        ));
    }
}

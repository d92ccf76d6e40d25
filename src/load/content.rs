//! `content/releases`, `content/meetings` and `content/pages`: front matter and Markdown.

use serde::de::DeserializeOwned;
use serde_saphyr::Spanned;

use super::frontmatter::{FrontMatterError, split};
use super::raw::{DecisionItem, MeetingFront, PageFront, ReleaseFront};
use super::{is_valid_slug, slugify, yaml};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::{
    Attendee, Decision, Lang, Meeting, Origin, Page, Pos, Release, SiteConfig, TargetRef,
};

/// A Markdown file's name without its extension, and the language its name
/// gives (`tentang.en.md`: `tentang`, English), if any.
pub(super) fn split_lang(file: &str) -> (&str, Option<Lang>) {
    let stem = std::path::Path::new(file)
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("");
    if let Some((base, code)) = stem.rsplit_once('.')
        && let Some(lang) = Lang::ALL.into_iter().find(|l| l.code() == code)
    {
        return (base, Some(lang));
    }
    (stem, None)
}

/// The language of a Markdown file, from its name: `None` for the site's
/// default language (`tentang.md`), the language of a translation
/// (`tentang.en.md`). A translation into a language the site does not
/// publish is reported, and `Err`.
fn file_lang(file: &str, config: &SiteConfig, diags: &mut Diagnostics) -> Result<Option<Lang>, ()> {
    match split_lang(file).1 {
        None => Ok(None),
        Some(l) if l == config.language => Ok(None),
        Some(l) if config.languages.contains(&l) => Ok(Some(l)),
        Some(l) => {
            let list: Vec<&str> = config.languages.iter().map(|l| l.code()).collect();
            diags.push(
                Diagnostic::error(
                    Origin::new(file, Pos::default()),
                    format!(
                        "`{file}` is a translation into `{l}`, a language the site is not published in"
                    ),
                )
                .with_help(format!(
                    "add `{l}` to `languages` in site.yaml (`languages: [{}, {l}]`), or rename the file without `.{l}`",
                    list.join(", ")
                )),
            );
            Err(())
        }
    }
}

struct Parsed<'a, T> {
    front: T,
    body: &'a str,
    body_line: u32,
    yaml_line: u32,
}

fn parse_front<'a, T: DeserializeOwned>(
    file: &str,
    text: &'a str,
    custom: &[String],
    diags: &mut Diagnostics,
) -> Option<Parsed<'a, T>> {
    let s = match split(text) {
        Ok(s) => s,
        Err(FrontMatterError::Missing) => {
            diags.push(
                Diagnostic::error(Origin::new(file, Pos::new(1, 1)), "missing front matter")
                    .with_help(
                        "start the file with a `---` line, the YAML fields, and another `---` line",
                    ),
            );
            return None;
        }
        Err(FrontMatterError::Unclosed) => {
            diags.push(
                Diagnostic::error(
                    Origin::new(file, Pos::new(1, 1)),
                    "front matter is not closed",
                )
                .with_help("end the front matter with a line holding only `---`"),
            );
            return None;
        }
    };
    let mut parsed = yaml::parse_all::<T>(file, s.yaml, s.yaml_line);
    if parsed.has_errors() {
        parsed.report(diags);
        // The body is still checked: its shortcodes may have errors too.
        super::shortcodes::prepare_with(file, s.body, s.body_line, custom, diags);
        return None;
    }
    Some(Parsed {
        front: parsed.value?,
        body: s.body,
        body_line: s.body_line,
        yaml_line: s.yaml_line,
    })
}

fn at(file: &str, loc: &serde_saphyr::Location, first_line: u32) -> Origin {
    Origin::new(file, yaml::pos_of(loc, first_line))
}

/// Where a slug comes from: its `slug:` value, or the file's first line
/// when it is the file's name.
fn slug_origin(file: &str, given: Option<&Spanned<String>>, first_line: u32) -> Origin {
    given
        .map(|s| at(file, &s.referenced, first_line))
        .unwrap_or_else(|| Origin::new(file, Pos::new(1, 1)))
}

/// The slug from front matter, or else from the file name; `None` (reported) if invalid.
fn slug_for(
    file: &str,
    given: Option<Spanned<String>>,
    first_line: u32,
    diags: &mut Diagnostics,
) -> Option<String> {
    match given {
        Some(s) => {
            if is_valid_slug(&s.value) {
                Some(s.value)
            } else {
                diags.push(
                    Diagnostic::error(
                        at(file, &s.referenced, first_line),
                        format!("slug `{}` is not valid", s.value),
                    )
                    .with_help(format!(
                        "use lowercase letters, digits and hyphens, like `{}`",
                        slugify(&s.value)
                    )),
                );
                None
            }
        }
        None => {
            let stem = split_lang(file).0;
            if is_valid_slug(stem) {
                Some(stem.to_string())
            } else {
                diags.push(
                    Diagnostic::error(
                        Origin::new(file, Pos::default()),
                        format!("file name `{stem}` cannot be a URL slug"),
                    )
                    .with_help(format!(
                        "rename the file to `{}.md`, or set `slug:` in the front matter",
                        slugify(stem)
                    )),
                );
                None
            }
        }
    }
}

fn date(
    file: &str,
    s: &Spanned<String>,
    first_line: u32,
    diags: &mut Diagnostics,
) -> Option<jiff::civil::Date> {
    match s.value.trim().parse::<jiff::civil::Date>() {
        Ok(d) if (1900..=2199).contains(&d.year()) => Some(d),
        _ => {
            diags.push(
                Diagnostic::error(
                    at(file, &s.referenced, first_line),
                    format!("`{}` is not a valid date", s.value),
                )
                .with_help("write dates as YYYY-MM-DD, like 2017-01-31"),
            );
            None
        }
    }
}

fn non_empty(file: &str, what: &str, value: &str, diags: &mut Diagnostics) -> bool {
    if value.trim().is_empty() {
        diags.push(Diagnostic::error(
            Origin::new(file, Pos::new(2, 1)),
            format!("`{what}` is empty"),
        ));
        return false;
    }
    true
}

pub(super) fn release(
    file: &str,
    text: &str,
    config: &SiteConfig,
    custom: &[String],
    diags: &mut Diagnostics,
) -> Option<Release> {
    let p = parse_front::<ReleaseFront>(file, text, custom, diags)?;
    let body = super::shortcodes::prepare_with(file, p.body, p.body_line, custom, diags);
    let fl = p.yaml_line;
    let f = p.front;
    let slug_origin = slug_origin(file, f.slug.as_ref(), fl);
    let slug = slug_for(file, f.slug, fl, diags);
    let date = date(file, &f.date, fl, diags);
    let title_ok = non_empty(file, "title", &f.title, diags);
    let file_origin = Origin::new(file, Pos::default());
    let lang = file_lang(file, config, diags);
    Some(Release {
        lang: lang.ok()?,
        slug: slug?,
        slug_origin,
        title: title_ok.then_some(f.title)?,
        date: date?,
        entity_origin: f
            .entity
            .as_ref()
            .map(|e| at(file, &e.referenced, fl))
            .unwrap_or_else(|| file_origin.clone()),
        entity: f.entity.map(|e| e.value),
        tags: f.tags,
        programmes: f.programmes,
        summary: f.summary.filter(|s| !s.trim().is_empty()),
        meeting_origin: f
            .meeting
            .as_ref()
            .map(|e| at(file, &e.referenced, fl))
            .unwrap_or_else(|| file_origin.clone()),
        meeting: f.meeting.map(|e| e.value),
        cover_chart: f.cover_chart,
        draft: f.draft,
        audience: f.audience.unwrap_or(config.default_audience),
        body: body.text,
        body_line: p.body_line,
        shortcodes: body.shortcodes,
        origin: file_origin,
    })
}

pub(super) fn meeting(
    file: &str,
    text: &str,
    config: &SiteConfig,
    custom: &[String],
    diags: &mut Diagnostics,
) -> Option<Meeting> {
    let p = parse_front::<MeetingFront>(file, text, custom, diags)?;
    let body = super::shortcodes::prepare_with(file, p.body, p.body_line, custom, diags);
    let fl = p.yaml_line;
    let f = p.front;
    let slug_origin = slug_origin(file, f.slug.as_ref(), fl);
    let slug = slug_for(file, f.slug, fl, diags);
    let date = date(file, &f.date, fl, diags);
    let title_ok = non_empty(file, "title", &f.title, diags);
    let audience = f.audience.unwrap_or(config.default_audience);
    let file_origin = Origin::new(file, Pos::default());
    let lang = file_lang(file, config, diags);
    Some(Meeting {
        lang: lang.ok()?,
        slug: slug?,
        slug_origin,
        title: title_ok.then_some(f.title)?,
        date: date?,
        location: f.location,
        entity_origin: f
            .entity
            .as_ref()
            .map(|e| at(file, &e.referenced, fl))
            .unwrap_or_else(|| file_origin.clone()),
        entity: f.entity.map(|e| e.value),
        attendees: f
            .attendees
            .into_iter()
            .map(|a| Attendee {
                name: a.name,
                role: a.role,
            })
            .collect(),
        decisions: f
            .decisions
            .into_iter()
            .map(|d| match d {
                DecisionItem::Plain(text) => Decision { text, audience },
                DecisionItem::Full(d) => Decision {
                    text: d.text,
                    audience: d.audience.unwrap_or(audience),
                },
            })
            .collect(),
        targets: f
            .targets
            .into_iter()
            .map(|t| TargetRef {
                origin: at(file, &t.referenced, fl),
                entity: t.value.entity,
                metric: t.value.metric,
                period: t.value.period,
            })
            .collect(),
        summary: f.summary.filter(|s| !s.trim().is_empty()),
        draft: f.draft,
        audience,
        body: body.text,
        body_line: p.body_line,
        shortcodes: body.shortcodes,
        origin: file_origin,
    })
}

pub(super) fn page(
    file: &str,
    text: &str,
    config: &SiteConfig,
    custom: &[String],
    diags: &mut Diagnostics,
) -> Option<Page> {
    let p = parse_front::<PageFront>(file, text, custom, diags)?;
    let body = super::shortcodes::prepare_with(file, p.body, p.body_line, custom, diags);
    let f = p.front;
    let slug_origin = slug_origin(file, f.slug.as_ref(), p.yaml_line);
    let slug = slug_for(file, f.slug, p.yaml_line, diags);
    let title_ok = non_empty(file, "title", &f.title, diags);
    let lang = file_lang(file, config, diags);
    Some(Page {
        lang: lang.ok()?,
        slug: slug?,
        title: title_ok.then_some(f.title)?,
        slug_origin,
        description: f.description,
        menu: f.menu,
        audience: f.audience.unwrap_or(config.default_audience),
        body: body.text,
        body_line: p.body_line,
        shortcodes: body.shortcodes,
        origin: Origin::new(file, Pos::default()),
    })
}

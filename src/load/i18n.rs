//! The site's own interface strings: `i18n/id.yaml` and `i18n/en.yaml`, each
//! a flat map from a key of rekap's interface string table to the text that
//! replaces it in that language (`releases: Berita`).
//!
//! Both files are read and checked whatever the site's language; pages use
//! the overrides of the language they are written in. An unknown key is an error at its line and column
//! with the nearest key suggested, never a word silently left unchanged.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::Mutex;

use serde_saphyr::Spanned;

use super::{confine, folder, paths, read, yaml};
use crate::diagnostics::{Diagnostic, Diagnostics, did_you_mean};
use crate::model::Strings;
use crate::model::{Lang, Origin, Pos};
use crate::render::i18n;

/// The files of `i18n/`, with the language each overrides.
const FILES: [(&str, Lang); 2] = [("id.yaml", Lang::Id), ("en.yaml", Lang::En)];

/// Reads `i18n/*.yaml` of the site at `root`, reporting every problem, and
/// returns the overrides of each language (key → text).
pub(super) fn load(root: &Path, diags: &mut Diagnostics) -> Strings {
    let mut out = Strings::default();
    let Some(dir) = folder(root, paths::I18N, diags) else {
        return out;
    };
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return out;
    };
    let mut names: Vec<String> = entries
        .filter_map(Result::ok)
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|n| !n.starts_with('.'))
        .collect();
    names.sort();
    for name in names {
        let rel = format!("{}/{name}", paths::I18N);
        let Some(&(_, file_lang)) = FILES.iter().find(|(f, _)| *f == name) else {
            diags.push(
                Diagnostic::error(
                    Origin::new(rel, Pos::default()),
                    format!("unknown file `{name}` in {}/", paths::I18N),
                )
                .with_help(format!(
                    "interface strings are overridden in {0}/id.yaml (Indonesian) and {0}/en.yaml (English){1}",
                    paths::I18N,
                    did_you_mean(&name, FILES.iter().map(|(f, _)| *f))
                        .map(|d| format!("; {d}"))
                        .unwrap_or_default()
                )),
            );
            continue;
        };
        if std::fs::symlink_metadata(root.join(&rel)).is_ok_and(|m| m.file_type().is_symlink()) {
            diags.push(confine::link(root, &rel));
            continue;
        }
        let Some(text) = read(root, &rel, diags) else {
            continue;
        };
        let map = match file_lang {
            Lang::Id => &mut out.id,
            Lang::En => &mut out.en,
        };
        for (key, value) in overrides(&rel, &text, diags) {
            map.insert(key, intern(&value));
        }
    }
    out
}

/// The overrides of one file (`rel`, holding `text`); problems go to `diags`.
fn overrides(rel: &str, text: &str, diags: &mut Diagnostics) -> Vec<(String, String)> {
    let map = match yaml::parse::<Option<BTreeMap<String, Spanned<String>>>>(rel, text, 1) {
        Ok(m) => m.unwrap_or_default(),
        Err(mut d) => {
            if d.help.is_none() {
                d.help =
                    Some("write one `key: text` a line, for example `releases: Berita`".into());
            }
            diags.push(d);
            return Vec::new();
        }
    };
    let mut out = Vec::new();
    for (key, value) in map {
        let origin = Origin::new(rel, key_pos(text, &key, &value));
        if i18n::text(&key, Lang::Id).is_none() {
            diags.push(
                Diagnostic::error(origin, format!("unknown interface string `{key}`"))
                    .with_help(did_you_mean(&key, i18n::keys()).unwrap_or_else(|| {
                    "the keys are those of the default templates' `i18n.KEY` (see docs/format.md)"
                        .to_string()
                })),
            );
            continue;
        }
        if value.value.trim().is_empty() {
            diags.push(
                Diagnostic::error(origin, format!("`{key}` is empty"))
                    .with_help("give the text to show, or remove the line to keep rekap's"),
            );
            continue;
        }
        out.push((key, value.value));
    }
    out
}

/// Where `key` is written: on the line its value starts on (or, for a
/// value on the lines below, the nearest line above starting with it).
fn key_pos(text: &str, key: &str, value: &Spanned<String>) -> Pos {
    let at = yaml::pos_of(&value.referenced, 1);
    let lines: Vec<&str> = text.lines().collect();
    let value_line = (at.line as usize).min(lines.len());
    for n in (1..=value_line).rev() {
        let line = lines[n - 1];
        let trimmed = line.trim_start();
        let quoted = trimmed.starts_with(['"', '\'']) && trimmed[1..].starts_with(key);
        if trimmed.starts_with(key) || quoted {
            let col = line.chars().count() - trimmed.chars().count() + 1;
            return Pos::new(n as u32, col as u32);
        }
    }
    at
}

/// `s` kept for the life of the process, once per distinct text: the views
/// of a build borrow interface words as `&'static str`, and a site's few
/// overrides (re-read by `rekap serve` on each change) cost a few bytes each.
fn intern(s: &str) -> &'static str {
    static SEEN: Mutex<BTreeSet<&'static str>> = Mutex::new(BTreeSet::new());
    let mut seen = SEEN.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(&t) = seen.get(s) {
        return t;
    }
    let t: &'static str = Box::leak(s.to_string().into_boxed_str());
    seen.insert(t);
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (name, text) in files {
            let p = dir.path().join(paths::I18N).join(name);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        }
        dir
    }

    #[test]
    fn each_file_overrides_its_language() {
        let dir = site(&[
            ("id.yaml", "# ours\nreleases: Berita\n"),
            ("en.yaml", "releases: News\n"),
        ]);
        let mut d = Diagnostics::new();
        let o = load(dir.path(), &mut d);
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(o.get("releases", Lang::En), Some("News"));
        assert_eq!(o.get("releases", Lang::Id), Some("Berita"));
        assert_eq!(o.get("home", Lang::Id), None);
    }

    #[test]
    fn an_unknown_key_is_located_and_the_nearest_suggested() {
        let dir = site(&[("en.yaml", "home: Start\n  # x\nrelaeses: News\n")]);
        let mut d = Diagnostics::new();
        let o = load(dir.path(), &mut d);
        assert_eq!(
            o.en.keys().collect::<Vec<_>>(),
            ["home"],
            "the valid key is kept"
        );
        let e: Vec<_> = d.iter().collect();
        assert_eq!(e.len(), 1, "{e:?}");
        assert_eq!(e[0].origin.file, "i18n/en.yaml");
        assert_eq!((e[0].origin.pos.line, e[0].origin.pos.column), (3, 1));
        assert_eq!(e[0].help.as_deref(), Some("did you mean `releases`?"));
    }

    #[test]
    fn other_files_and_empty_texts_are_errors() {
        let dir = site(&[("en.yml", "home: x\n"), ("id.yaml", "home: \"\"\n")]);
        let mut d = Diagnostics::new();
        load(dir.path(), &mut d);
        let msgs: Vec<String> = d.iter().map(|x| format!("{x}")).collect();
        assert_eq!(msgs.len(), 2, "{msgs:?}");
        assert!(
            msgs.iter().any(|m| m.contains("did you mean `en.yaml`")),
            "{msgs:?}"
        );
        assert!(
            msgs.iter().any(|m| m.contains("`home` is empty")),
            "{msgs:?}"
        );
    }

    #[test]
    fn an_empty_file_overrides_nothing() {
        let dir = site(&[("id.yaml", "# nothing yet\n")]);
        let mut d = Diagnostics::new();
        assert_eq!(load(dir.path(), &mut d), Strings::default());
        assert!(d.is_empty(), "{d:?}");
    }
}

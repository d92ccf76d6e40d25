//! YAML parsing with located, helpful errors.

use serde::de::DeserializeOwned;
use serde_saphyr::{DefaultMessageFormatter, Error, MessageFormatter};

use crate::diagnostics::{Diagnostic, did_you_mean};
use crate::model::{Origin, Pos};

/// Parses `text` (from `file`, whose first line is line `first_line`) into `T`.
///
/// # Errors
///
/// A diagnostic naming the file, line and column, what was expected, and for
/// an unknown field or value the nearest valid name.
pub fn parse<T: DeserializeOwned>(
    file: &str,
    text: &str,
    first_line: u32,
) -> Result<T, Diagnostic> {
    serde_saphyr::from_str::<T>(text).map_err(|e| to_diagnostic(file, first_line, &e))
}

/// The position of a saphyr location, shifted to the file's numbering.
pub fn pos_of(loc: &serde_saphyr::Location, first_line: u32) -> Pos {
    if loc.line() == 0 {
        return Pos::default();
    }
    Pos::new(loc.line() as u32 + first_line - 1, loc.column() as u32)
}

fn to_diagnostic(file: &str, first_line: u32, e: &Error) -> Diagnostic {
    let inner = e.without_snippet();
    let pos = inner
        .location()
        .map(|l| pos_of(&l, first_line))
        .unwrap_or_default();
    let origin = Origin::new(file, pos);
    match inner {
        Error::SerdeUnknownField {
            field, expected, ..
        } => {
            let help = did_you_mean(field, expected.iter().copied())
                .unwrap_or_else(|| format!("valid fields here: {}", list(expected)));
            Diagnostic::error(origin, format!("unknown field `{field}`")).with_help(help)
        }
        Error::SerdeUnknownVariant {
            variant, expected, ..
        } => {
            let help = did_you_mean(variant, expected.iter().copied())
                .map(|d| format!("{d} (valid values: {})", list(expected)))
                .unwrap_or_else(|| format!("valid values: {}", list(expected)));
            Diagnostic::error(origin, format!("unknown value `{variant}`")).with_help(help)
        }
        Error::SerdeMissingField { field, .. } => {
            Diagnostic::error(origin, format!("missing required field `{field}`"))
                .with_help(format!("add `{field}:` to this item"))
        }
        Error::DuplicateMappingKey { key, .. } => {
            let name = key
                .as_deref()
                .map(|k| format!(" `{k}`"))
                .unwrap_or_default();
            Diagnostic::error(origin, format!("duplicate key{name}"))
                .with_help("each key may appear once in a mapping: remove or rename one")
        }
        other => Diagnostic::error(
            origin,
            clean(&DefaultMessageFormatter.format_message(other)),
        ),
    }
}

fn list(names: &[&str]) -> String {
    names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Drops a trailing "at line X column Y" the formatter may add: the origin already says it.
fn clean(msg: &str) -> String {
    let msg = msg.trim();
    match msg.find(" at line ") {
        Some(i) => msg[..i].to_string(),
        None => msg.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Item {
        title: String,
        date: Option<String>,
    }

    #[test]
    fn unknown_field_suggests_the_nearest_field() {
        let d = parse::<Item>("x.yaml", "title: a\ntitel: b\n", 1).unwrap_err();
        assert_eq!(d.origin.pos.line, 2);
        assert_eq!(d.message, "unknown field `titel`");
        assert_eq!(d.help.as_deref(), Some("did you mean `title`?"));
    }

    #[test]
    fn lines_are_shifted_for_front_matter() {
        let d = parse::<Item>("x.md", "title: a\ntitel: b\n", 2).unwrap_err();
        assert_eq!(d.origin.pos.line, 3);
    }

    #[test]
    fn syntax_errors_have_a_position() {
        let d = parse::<Item>("x.yaml", "title: [a\n", 1).unwrap_err();
        assert!(d.origin.pos.line >= 1, "{d}");
    }

    #[test]
    fn missing_field_is_named() {
        let d = parse::<Item>("x.yaml", "date: x\n", 1).unwrap_err();
        assert!(d.message.contains("`title`"), "{d}");
    }

    #[test]
    fn duplicate_keys_are_errors() {
        let d = parse::<Item>("x.yaml", "title: a\ntitle: b\n", 1).unwrap_err();
        assert_eq!(d.origin.pos.line, 2, "{d}");
    }
}

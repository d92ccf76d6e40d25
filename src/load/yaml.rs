//! YAML parsing with located, helpful errors, and every error of a file.
//!
//! A YAML parser stops at the first problem. To report every problem of a
//! file in one run, [`parse_all`] parses again after each error with the
//! part that failed blanked out (replaced by spaces, so that every line and
//! column after it stays where it was): the field at fault, or, when that
//! is not enough, the list item or top-level field around it. An error that
//! only follows from a blanked part (a required field missing because its
//! misspelt line was blanked) is not reported. The caller learns which list
//! items had errors ([`Parsed::tainted`]) so that it can leave them out
//! rather than use them half-read.
//!
//! Messages speak to a site's author: what is wrong, in words, with the
//! field and value concerned, and how to fix it; never the parser's types
//! (`invalid i32`, `budget breached`).

use std::ops::Range;

use serde::de::DeserializeOwned;
use serde_saphyr::budget::BudgetBreach;
use serde_saphyr::{DefaultMessageFormatter, Error, MessageFormatter, Options};

use super::yaml_hints;
use crate::diagnostics::{Diagnostic, did_you_mean};
use crate::model::{Origin, Pos};

/// At most this many errors are reported per file (each costs a parse).
const MAX_ERRORS: usize = 100;

/// The parser's options: YAML 1.2 booleans only (`yes`, `on` are text).
pub(crate) fn options() -> Options {
    let mut o = Options::default();
    o.strict_booleans = true;
    o.with_snippet = false;
    o
}

/// Parses `text` (from `file`, whose first line is line `first_line`) into `T`.
///
/// # Errors
///
/// The first error: a diagnostic naming the file, line and column, what was
/// expected, and for an unknown field or value the nearest valid name. See
/// [`parse_all`] for every error of the file.
pub fn parse<T: DeserializeOwned>(
    file: &str,
    text: &str,
    first_line: u32,
) -> Result<T, Diagnostic> {
    serde_saphyr::from_str_with_options::<T>(text, options())
        .map_err(|e| to_diagnostic(file, text, first_line, &e))
}

/// What [`parse_all`] read: the value if the text (with its faulty parts
/// blanked) could be read, and every error found.
#[derive(Debug)]
pub struct Parsed<T> {
    /// The value read, with the parts that had errors left out; `None` if
    /// even that could not be read.
    pub value: Option<T>,
    /// Every error found, in file order.
    pub errors: Vec<Diagnostic>,
    /// Lines (1-based, numbered as in the file) of the list items that had
    /// an error, item by item.
    tainted: Vec<Range<u32>>,
    /// The file line of the text's first line.
    first_line: u32,
}

impl<T> Parsed<T> {
    /// A file's value read with no error (its first line line 1).
    pub fn clean(value: T) -> Parsed<T> {
        Parsed {
            value: Some(value),
            errors: Vec::new(),
            tainted: Vec::new(),
            first_line: 1,
        }
    }

    /// Whether the list item that starts at `loc` had an error (and so was
    /// read with parts missing, or not at all).
    pub fn tainted(&self, loc: &serde_saphyr::Location) -> bool {
        let line = pos_of(loc, self.first_line).line;
        self.tainted.iter().any(|r| r.contains(&line))
    }

    /// Moves the errors found into `diags`.
    pub fn report(&mut self, diags: &mut crate::diagnostics::Diagnostics) {
        for d in self.errors.drain(..) {
            diags.push(d);
        }
    }

    /// Whether any error was found.
    pub fn has_errors(&self) -> bool {
        !self.errors.is_empty()
    }
}

/// Parses `text` like [`parse`], but goes on after an error to find the
/// others (see the module documentation).
pub fn parse_all<T: DeserializeOwned>(file: &str, text: &str, first_line: u32) -> Parsed<T> {
    let mut current = text.to_string();
    let mut errors: Vec<Diagnostic> = Vec::new();
    let mut tainted: Vec<Range<u32>> = Vec::new();
    // The chain of parts around the last error reported, and how far up it
    // has been blanked.
    let mut last: Option<(Vec<Unit>, usize, Loc)> = None;
    let shift = |r: &Range<usize>| (r.start as u32 + first_line)..(r.end as u32 + first_line);
    for _ in 0..MAX_ERRORS * 2 {
        let e = match serde_saphyr::from_str_with_options::<T>(&current, options()) {
            Ok(v) => {
                return Parsed {
                    value: Some(v),
                    errors,
                    tainted,
                    first_line,
                };
            }
            Err(e) => e,
        };
        let inner = e.without_snippet();
        let at = inner.location().filter(|l| l.line() > 0).map(|l| Loc {
            line: l.line() as usize - 1,
            column: (l.column() as usize).saturating_sub(1),
        });
        let lines: Vec<&str> = current.split('\n').collect();
        // An error that only follows from what was blanked: blank more,
        // and say nothing.
        if let Some((chain, level, prev)) = &mut last {
            let follow_up = match (at, chain.get(*level + 1)) {
                (_, None) | (None, _) => true,
                // Blanking the last of something leaves a value unfinished.
                _ if matches!(inner, Error::Eof { .. }) => true,
                (Some(at), Some(parent)) => {
                    let edge = at.line == parent.lines.start || at.line == parent.lines.end;
                    (parent.lines.start..=parent.lines.end).contains(&at.line)
                        && (matches!(inner, Error::SerdeMissingField { .. })
                            || at < *prev
                            || (edge
                                && matches!(
                                    inner,
                                    Error::Message { .. }
                                        | Error::SerdeInvalidType { .. }
                                        | Error::SerdeInvalidValue { .. }
                                        | Error::Unexpected { .. }
                                        | Error::NullIntoString { .. }
                                )))
                }
            };
            if follow_up {
                let Some(parent) = chain.get(*level + 1) else {
                    break;
                };
                if parent.root {
                    break;
                }
                *level += 1;
                let parent = parent.clone();
                taint(&mut tainted, chain, &shift);
                current = blank(&current, &parent);
                continue;
            }
            if at.is_none_or(|a| a < *prev) {
                // Before the last error, outside what was blanked: the
                // blanking confused the parser. Stop rather than guess.
                break;
            }
        }
        if errors.len() >= MAX_ERRORS {
            break;
        }
        // A bracket or quote never closed: the parser gave up lines later;
        // point at where it was opened, and blank from there.
        let unclosed = at
            .filter(|_| syntax_error(inner))
            .and_then(|a| yaml_hints::unclosed(&current, a.line));
        errors.push(match unclosed {
            Some(u) => Diagnostic::error(
                Origin::new(
                    file,
                    Pos::new(u.line as u32 + first_line, u.column as u32 + 1),
                ),
                u.message(),
            )
            .with_help(u.help()),
            None => to_diagnostic(file, &current, first_line, &e),
        });
        let at = match unclosed {
            Some(u) => Some(Loc {
                line: u.line,
                column: u.column,
            }),
            None => at,
        };
        let Some(at) = at else { break };
        let chain = units(&lines, at);
        let field_level = bad_value(inner) || matches!(inner, Error::Message { .. });
        // A bad value: blank its field. Anything else (bad syntax): the
        // list item around it, if there is one.
        let level = if field_level {
            0
        } else {
            chain.iter().position(|u| u.item || u.root).unwrap_or(0)
        };
        if chain[level].root {
            break;
        }
        taint(&mut tainted, &chain, &shift);
        current = blank(&current, &chain[level]);
        last = Some((chain, level, at));
    }
    Parsed {
        value: None,
        errors,
        tainted,
        first_line,
    }
}

/// An error in what one value says (its type, its range, an unknown name),
/// with the text around it well formed.
fn bad_value(e: &Error) -> bool {
    matches!(
        e,
        Error::SerdeUnknownField { .. }
            | Error::SerdeUnknownVariant { .. }
            | Error::SerdeInvalidType { .. }
            | Error::SerdeInvalidValue { .. }
            | Error::SerdeInvalidLength { .. }
            | Error::InvalidScalar { .. }
            | Error::InvalidBooleanStrict { .. }
            | Error::NullIntoString { .. }
            | Error::NonFiniteFloat { .. }
            | Error::DuplicateMappingKey { .. }
    )
}

/// An error in the text's syntax rather than in what a value means: the
/// kind a bracket or quote left open produces.
fn syntax_error(e: &Error) -> bool {
    !bad_value(e) && !matches!(e, Error::SerdeMissingField { .. } | Error::Budget { .. })
}

/// A place in the text: 0-based line and column (in characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Loc {
    line: usize,
    column: usize,
}

/// A part of the text that can be blanked: from `column` of the first of
/// `lines` to the end of the last.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Unit {
    lines: Range<usize>,
    column: usize,
    /// A list item (`- ...`).
    item: bool,
    /// The whole document: never blanked.
    root: bool,
}

/// Records every list item of `chain` as having errors: one of its parts
/// is gone, or it is gone.
fn taint(
    tainted: &mut Vec<Range<u32>>,
    chain: &[Unit],
    shift: &dyn Fn(&Range<usize>) -> Range<u32>,
) {
    for u in chain.iter().filter(|u| u.item) {
        let r = shift(&u.lines);
        if !tainted.contains(&r) {
            tainted.push(r);
        }
    }
}

/// Leading spaces of a line (a tab counts as one: YAML refuses tabs there
/// anyway, with its own error).
fn indent(line: &str) -> usize {
    line.chars().take_while(|c| *c == ' ' || *c == '\t').count()
}

fn is_blank(line: &str) -> bool {
    let t = line.trim();
    t.is_empty() || t.starts_with('#')
}

/// Columns of the `- ` sequence markers that start a line, and the column
/// of what follows them.
fn dashes(line: &str) -> (Vec<usize>, usize) {
    let chars: Vec<char> = line.chars().collect();
    let mut at = indent(line);
    let mut out = Vec::new();
    while at < chars.len() && chars[at] == '-' && chars.get(at + 1).is_none_or(|c| *c == ' ') {
        out.push(at);
        at += 1;
        while at < chars.len() && chars[at] == ' ' {
            at += 1;
        }
    }
    (out, at)
}

/// Whether the text at `column` of `line` is a block mapping key (`key:`).
fn is_key(line: &str, column: usize) -> bool {
    let rest: String = line.chars().skip(column).collect();
    if rest.starts_with(['{', '[', '"', '\'', '#', '|', '>', '&', '*', '!']) {
        return false;
    }
    match rest.find(':') {
        Some(i) => {
            let after = &rest[i + 1..];
            (after.is_empty() || after.starts_with([' ', '\r'])) && !rest[..i].contains(" #")
        }
        None => false,
    }
}

/// The end (exclusive) of the block that starts at line `from`, whose
/// content is at `column`: every following line indented further, or blank.
fn block_end(lines: &[&str], from: usize, column: usize) -> usize {
    let mut end = from + 1;
    let mut i = from + 1;
    while i < lines.len() {
        if is_blank(lines[i]) {
            i += 1;
            continue;
        }
        if indent(lines[i]) <= column {
            break;
        }
        i += 1;
        end = i;
    }
    end
}

/// The parts around `at`, innermost first: the field on its line, then
/// every list item and field that holds it, and the whole document.
fn units(lines: &[&str], at: Loc) -> Vec<Unit> {
    let mut out = Vec::new();
    let Some(line) = lines.get(at.line) else {
        return vec![root(lines)];
    };
    let (own_dashes, content) = dashes(line);
    if content < line.chars().count() && is_key(line, content) && at.column >= content {
        out.push(Unit {
            lines: at.line..block_end(lines, at.line, content),
            column: content,
            item: false,
            root: false,
        });
    }
    for &d in own_dashes.iter().rev() {
        out.push(Unit {
            lines: at.line..block_end(lines, at.line, d),
            column: d,
            item: true,
            root: false,
        });
    }
    let mut limit = own_dashes.first().copied().unwrap_or(indent(line));
    let mut i = at.line;
    while i > 0 && limit > 0 {
        i -= 1;
        if is_blank(lines[i]) {
            continue;
        }
        let ind = indent(lines[i]);
        if ind >= limit {
            continue;
        }
        let (ds, content) = dashes(lines[i]);
        if content < limit && is_key(lines[i], content) {
            out.push(Unit {
                lines: i..block_end(lines, i, content),
                column: content,
                item: false,
                root: false,
            });
        }
        for &d in ds.iter().rev() {
            if d < limit {
                out.push(Unit {
                    lines: i..block_end(lines, i, d),
                    column: d,
                    item: true,
                    root: false,
                });
            }
        }
        limit = ind;
    }
    out.push(root(lines));
    out
}

fn root(lines: &[&str]) -> Unit {
    Unit {
        lines: 0..lines.len(),
        column: 0,
        item: false,
        root: true,
    }
}

/// `text` with `unit` replaced by spaces (line breaks kept).
fn blank(text: &str, unit: &Unit) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        if !unit.lines.contains(&i) {
            out.push_str(line);
            continue;
        }
        let keep = if i == unit.lines.start {
            unit.column
        } else {
            0
        };
        for (j, c) in line.chars().enumerate() {
            out.push(if j < keep || c == '\r' { c } else { ' ' });
        }
    }
    out
}

/// The position of a saphyr location, shifted to the file's numbering.
pub fn pos_of(loc: &serde_saphyr::Location, first_line: u32) -> Pos {
    if loc.line() == 0 {
        return Pos::default();
    }
    Pos::new(loc.line() as u32 + first_line - 1, loc.column() as u32)
}

/// The key whose value starts at column `column` (1-based) of `line`: the
/// identifier before the last `:` ahead of it.
fn key_before(line: &str, column: usize) -> Option<String> {
    let chars: Vec<char> = line.chars().collect();
    let mut before: String = chars.iter().take(column.saturating_sub(1)).collect();
    // At the colon itself (an empty value is reported there).
    if chars.get(column.saturating_sub(1)) == Some(&':') && !before.trim_end().ends_with(':') {
        before.push(':');
    }
    let t = before.trim_end().strip_suffix(':')?;
    let key: String = t
        .chars()
        .rev()
        .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '-')
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    (!key.is_empty()).then_some(key)
}

/// The scalar written at column `column` (1-based) of `line`, without quotes.
fn scalar_at(line: &str, column: usize) -> String {
    let rest: String = line.chars().skip(column.saturating_sub(1)).collect();
    let in_flow = line
        .chars()
        .take(column.saturating_sub(1))
        .any(|c| c == '{' || c == '[');
    if let Some(q) = rest.chars().next().filter(|c| *c == '"' || *c == '\'') {
        let inner = &rest[1..];
        return inner.split(q).next().unwrap_or("").to_string();
    }
    let end = rest
        .find(|c: char| c == '\r' || (in_flow && matches!(c, ',' | ']' | '}')))
        .unwrap_or(rest.len());
    let s = &rest[..end];
    let s = s.split(" #").next().unwrap_or(s);
    s.trim().to_string()
}

/// What a Rust type is, in words.
fn type_words(ty: &str) -> (&'static str, &'static str) {
    match ty {
        "f64" | "f32" | "floating point" => (
            "a number",
            "write a plain number, like 577958 or 57.3: no quotes, thousands separators or units",
        ),
        "bool" | "boolean" => ("true or false", "write true or false, without quotes"),
        "char" => ("a single character", "write one character"),
        t if t.starts_with('u') => (
            "a whole number, 0 or more",
            "write a whole number without quotes or separators, like 4",
        ),
        t if t.starts_with('i') => (
            "a whole number",
            "write a whole number without quotes or separators, like 4",
        ),
        _ => (
            "a value of the right kind",
            "see docs/format.md for this field",
        ),
    }
}

/// Serde's words for what it found or expected, in the words of the docs.
fn plain(what: &str) -> String {
    let w = what.trim();
    let w = w.strip_prefix("a ").unwrap_or(w);
    let w = w.strip_prefix("an ").unwrap_or(w);
    match w {
        "string" | "string scalar" | "str" | "borrowed string" => "text".into(),
        "sequence" | "seq" => "a list".into(),
        "map" | "mapping" | "struct" => "a mapping (`key: value` lines)".into(),
        "unit" | "unit value" | "null" | "none" => "nothing".into(),
        "boolean" | "bool" => "true or false".into(),
        "integer" | "i64" | "u64" | "i32" | "u32" | "u8" | "u16" | "i16" | "i8" => {
            "a whole number".into()
        }
        "floating point" | "f64" | "float" => "a number".into(),
        other if other.starts_with("sequence") => "a list".into(),
        other if other.starts_with("struct ") || other.starts_with("map") => {
            "a mapping (`key: value` lines)".into()
        }
        other if other.starts_with("integer `") || other.starts_with("floating point `") => {
            format!("the number {}", other.split('`').nth(1).unwrap_or(""))
        }
        other if other.starts_with("string \"") => {
            format!(
                "the text `{}`",
                other.trim_start_matches("string ").trim_matches('"')
            )
        }
        other if other.starts_with("boolean `") => {
            format!(
                "`{}`",
                other.trim_start_matches("boolean ").trim_matches('`')
            )
        }
        other => other.to_string(),
    }
}

/// The help for a value that should be `expected`.
fn help_for(expected: &str) -> String {
    if expected.contains("list") {
        "write a list: `[a, b]`, or one `- item` per line below the key".into()
    } else if expected.contains("mapping") {
        "write `key: value` lines indented below the key, or `{key: value}`".into()
    } else if expected == "text" {
        "write the text after the key; quote it (\"...\") if it starts with a special character"
            .into()
    } else if expected.contains("number") {
        "write a plain number, like 577958 or 57.3: no quotes, thousands separators or units".into()
    } else if expected.contains("true or false") {
        "write true or false, without quotes".into()
    } else {
        "see docs/format.md for what this field takes".into()
    }
}

/// The first tab in the indentation of line `line` (1-based) of `text` or
/// of one of the two lines after it: its line and column (1-based).
fn tab_near(text: &str, line: usize) -> Option<(usize, usize)> {
    text.split('\n')
        .enumerate()
        .skip(line.checked_sub(1)?)
        .take(3)
        .find_map(|(i, l)| {
            let indent = &l[..l.len() - l.trim_start().len()];
            indent
                .find('\t')
                .map(|c| (i + 1, indent[..c].chars().count() + 1))
        })
}

/// Where the YAML mapping that holds line `line` (1-based) of `text` starts:
/// the line and column (1-based) of its first key (`- id: x` of a list item,
/// the first line of the document for a top-level key). A blank line or the
/// end of the text counts as the last line with content before it.
fn item_start(text: &str, line: usize) -> Option<(usize, usize)> {
    let lines: Vec<&str> = text.split('\n').collect();
    let content = |l: &str| {
        let t = l.trim_start();
        !t.is_empty() && !t.starts_with('#') && t != "---"
    };
    // The column of a line's key: after its indentation and any `- `.
    let key_col = |l: &str| {
        let mut col = l.len() - l.trim_start().len();
        let mut rest = l.trim_start();
        while let Some(r) = rest.strip_prefix("- ") {
            col += 2 + (r.len() - r.trim_start().len());
            rest = r.trim_start();
        }
        col
    };
    let indent = |l: &str| l.len() - l.trim_start().len();
    let mut at = line.min(lines.len()).checked_sub(1)?;
    while !content(lines[at]) {
        at = at.checked_sub(1)?;
    }
    let col = key_col(lines[at]);
    let mut first = at;
    loop {
        let l = lines[at];
        if content(l) {
            if key_col(l) == col && l.trim_start().starts_with("- ") {
                return Some((at + 1, col + 1));
            }
            if indent(l) < col && key_col(l) != col {
                break;
            }
            first = at;
        }
        match at.checked_sub(1) {
            Some(a) => at = a,
            None => break,
        }
    }
    Some((first + 1, col + 1))
}

/// The mapping key that starts at `column` (1-based) of `line`, as in
/// `name:` when the parser points at a key whose value is missing.
fn key_at(line: &str, column: usize) -> Option<String> {
    let rest: String = line.chars().skip(column.checked_sub(1)?).collect();
    let key: String = rest
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '-')
        .collect();
    (!key.is_empty() && rest[key.len()..].starts_with(':')).then_some(key)
}

fn to_diagnostic(file: &str, text: &str, first_line: u32, e: &Error) -> Diagnostic {
    let inner = e.without_snippet();
    let loc = inner.location();
    let pos = loc.map(|l| pos_of(&l, first_line)).unwrap_or_default();
    let origin = Origin::new(file, pos);
    let line = loc
        .filter(|l| l.line() > 0)
        .and_then(|l| text.split('\n').nth(l.line() as usize - 1))
        .unwrap_or("");
    let column = loc.map_or(0, |l| l.column() as usize);
    let key = key_before(line, column);
    let field = key
        .as_deref()
        .map(|k| format!("`{k}`: "))
        .unwrap_or_default();
    let value = scalar_at(line, column);
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
            Diagnostic::error(origin, format!("{field}unknown value `{variant}`")).with_help(help)
        }
        Error::SerdeMissingField { field, .. } => {
            // The parser notices the gap at the item's end or at a sibling:
            // point at the item's first line, or at the key if it is there
            // but indented so that the parser read it as part of the value
            // above.
            let start = loc.and_then(|l| Some((item_start(text, l.line() as usize)?, l)));
            if let Some(((line, column), l)) = start
                && let Some((at, indent)) = yaml_hints::misindented_key(
                    text,
                    line - 1,
                    l.line() as usize,
                    column - 1,
                    field,
                )
            {
                let origin = Origin::new(file, Pos::new(at as u32 + first_line, indent as u32 + 1));
                return Diagnostic::error(
                    origin,
                    format!(
                        "`{field}:` is indented by {indent} spaces, but the other fields of this item by {}",
                        column - 1
                    ),
                )
                .with_help(format!(
                    "line `{field}:` up with the item's other fields ({} spaces), or the parser reads it as part of the value above",
                    column - 1
                ));
            }
            let origin = start
                .map(|(start, _)| start)
                .map(|(line, column)| {
                    Origin::new(file, Pos::new(line as u32 + first_line - 1, column as u32))
                })
                .unwrap_or(origin);
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
        Error::InvalidScalar { ty, .. } => {
            let (what, help) = type_words(ty);
            let range = int_range(ty)
                .filter(|_| value.parse::<i128>().is_ok())
                .map(|(lo, hi)| format!(" from {lo} to {hi}"));
            match range {
                Some(r) => Diagnostic::error(
                    origin,
                    format!("{field}`{value}` is out of range: give {what}{r}"),
                )
                .with_help(help),
                None => Diagnostic::error(origin, format!("{field}`{value}` is not {what}"))
                    .with_help(help),
            }
        }
        Error::InvalidBooleanStrict { .. } => {
            Diagnostic::error(origin, format!("{field}`{value}` is not true or false"))
                .with_help("write true or false, without quotes")
        }
        Error::NullIntoString { .. } => Diagnostic::error(
            origin,
            match &key {
                Some(k) => format!("`{k}` is empty"),
                None => "a value is missing here".to_string(),
            },
        )
        .with_help(match &key {
            Some(k) => format!("write a value after `{k}:`, or remove the line"),
            None => "write a value, or remove the empty entry".to_string(),
        }),
        Error::SerdeInvalidType {
            unexpected,
            expected,
            ..
        }
        | Error::SerdeInvalidValue {
            unexpected,
            expected,
            ..
        } => {
            let expected_w = plain(expected);
            let found = plain(unexpected);
            // `name:` with nothing after it: the parser points at the key.
            if found == "nothing"
                && let Some(k) = key.clone().or_else(|| key_at(line, column))
            {
                return Diagnostic::error(origin, format!("`{k}` is empty"))
                    .with_help(format!("write a value after `{k}:` ({expected_w})"));
            }
            // Booleans: `draft: "yes"` is text, and only true or false will do.
            if expected_w == "true or false" {
                return Diagnostic::error(origin, format!("{field}`{value}` is not true or false"))
                    .with_help("write true or false, without quotes");
            }
            Diagnostic::error(
                origin,
                format!("{field}expected {expected_w}, found {found}"),
            )
            .with_help(help_for(&expected_w))
        }
        Error::SerdeInvalidLength { len, expected, .. } => Diagnostic::error(
            origin,
            format!("{field}{len} items, expected {}", plain(expected)),
        ),
        Error::NonFiniteFloat { value, .. } => Diagnostic::error(
            origin,
            format!("{field}`{value}` is not a number rekap can use"),
        )
        .with_help("write a plain number, like 577958 or 57.3"),
        Error::Budget { breach, .. } => {
            let (what, help) = budget_words(breach);
            Diagnostic::error(origin, what).with_help(help)
        }
        Error::Eof { .. } => Diagnostic::error(origin, "the file ends in the middle of a value")
            .with_help("close every `[`, `{` and quote that is opened"),
        Error::Message { msg, .. } => Diagnostic::error(origin, format!("{field}{}", clean(msg))),
        Error::Unexpected { expected, .. } => {
            let w = plain(expected);
            Diagnostic::error(origin, format!("{field}expected {w} here")).with_help(help_for(&w))
        }
        Error::UnexpectedSequenceEnd { .. } | Error::UnexpectedMappingEnd { .. } => {
            Diagnostic::error(origin, "a value is missing before this point")
                .with_help("give every key a value, and every list the items it needs")
        }
        Error::AliasReplayLimitExceeded { .. }
        | Error::AliasExpansionLimitExceeded { .. }
        | Error::AliasReplayStackDepthExceeded { .. }
        | Error::AliasReplayCounterOverflow { .. } => Diagnostic::error(
            origin,
            "the file repeats anchored values (`*name`) more than rekap reads",
        )
        .with_help("write the values out instead of repeating `&anchors` with `*aliases`"),
        Error::UnknownAnchor { .. } => Diagnostic::error(
            origin,
            "`*` names an anchor (`&name`) not defined before it",
        )
        .with_help("define `&name` on an earlier value, or quote text that starts with `*`"),
        other => {
            let msg = clean(&DefaultMessageFormatter.format_message(other));
            let help = syntax_help(&msg);
            // The scanner notices a tab once it reads on from the line
            // before: point at the tab itself.
            let origin = match loc {
                Some(l) if msg.to_lowercase().contains("tab") => tab_near(text, l.line() as usize)
                    .map(|(line, column)| {
                        Origin::new(file, Pos::new(line as u32 + first_line - 1, column as u32))
                    })
                    .unwrap_or(origin),
                _ => origin,
            };
            Diagnostic::error(origin, msg).with_help_opt(help)
        }
    }
}

/// The range of an integer type, for an out-of-range value.
fn int_range(ty: &str) -> Option<(i128, i128)> {
    Some(match ty {
        "u8" => (0, u8::MAX as i128),
        "u16" => (0, u16::MAX as i128),
        "u32" => (0, u32::MAX as i128),
        "u64" | "usize" => (0, u64::MAX as i128),
        "i8" => (i8::MIN as i128, i8::MAX as i128),
        "i16" => (i16::MIN as i128, i16::MAX as i128),
        "i32" => (i32::MIN as i128, i32::MAX as i128),
        "i64" | "isize" => (i64::MIN as i128, i64::MAX as i128),
        _ => return None,
    })
}

/// A budget breach in words, with what to do.
fn budget_words(b: &BudgetBreach) -> (String, &'static str) {
    let split = "split the file into several smaller files";
    match b {
        BudgetBreach::Depth { depth } => (
            format!("values are nested {depth} levels deep, more than rekap reads"),
            "rekap's files nest a few levels at most: check the indentation and brackets",
        ),
        BudgetBreach::Aliases { .. } | BudgetBreach::Anchors { .. } => (
            "the file has more anchors (`&name`) or aliases (`*name`) than rekap reads".into(),
            "write the values out instead of repeating them with anchors",
        ),
        BudgetBreach::Documents { .. } => (
            "the file holds more YAML documents (`---`) than rekap reads".into(),
            "a rekap YAML file is one document: remove the `---` lines",
        ),
        BudgetBreach::ScalarBytes { total_scalar_bytes } => (
            format!(
                "the file holds {} MB of text, more than rekap reads in one file",
                total_scalar_bytes / 1_000_000
            ),
            split,
        ),
        BudgetBreach::Nodes { nodes } => (
            format!("the file holds more than {nodes} values, more than rekap reads in one file"),
            split,
        ),
        BudgetBreach::Events { events } => (
            format!("the file holds more than {events} values, more than rekap reads in one file"),
            split,
        ),
        _ => (
            "the file is larger or deeper than rekap reads".into(),
            split,
        ),
    }
}

/// A hint for the YAML syntax errors people make most.
fn syntax_help(msg: &str) -> Option<String> {
    let m = msg.to_lowercase();
    Some(
        if m.contains("tab") {
            "indent with spaces, not tabs"
        } else if m.contains("mapping values are not allowed") {
            "a value that contains `: ` must be quoted, like title: \"Target: 2017\"; or a key is indented wrongly"
        } else if m.contains("did not find expected key") || m.contains("indent") {
            "check the indentation: keys of one mapping line up, list items (`- `) too"
        } else if m.contains("alias") || m.contains("anchor") {
            "a value starting with `*` or `&` must be quoted"
        } else if m.contains("flow") || m.contains(']') || m.contains('}') {
            "close every `[` and `{` on the line it is opened, or quote the value"
        } else if m.contains("quote") || m.contains("scalar") {
            "close the quote, or quote the whole value"
        } else if m.contains("duplicate") {
            "each key may appear once in a mapping"
        } else {
            return None;
        }
        .to_string(),
    )
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

    #[test]
    fn a_tab_is_found_in_the_indentation_of_the_line_or_the_next_two() {
        let text = "a:\n  - id: x\n\tname: X\n";
        assert_eq!(tab_near(text, 2), Some((3, 1)));
        assert_eq!(tab_near(text, 3), Some((3, 1)));
        assert_eq!(tab_near("a:\n  \tb: 1\n", 1), Some((2, 3)));
        // A tab inside a value is no indentation.
        assert_eq!(tab_near("a: x\ty\n", 1), None);
    }

    #[test]
    fn a_missing_field_is_placed_at_the_start_of_its_item() {
        let list = "entities:\n  - id: a\n    name: A\n\n  - id: b\n    name: B\n    parent: a\n";
        // Noticed at `parent` (line 7): the item starts at `- id: b`.
        assert_eq!(item_start(list, 7), Some((5, 5)));
        // Noticed on the blank line after item a: item a.
        assert_eq!(item_start(list, 4), Some((2, 5)));
        // A top-level key: the document's first key.
        let front = "title: T\ndate: 2017-01-31\n";
        assert_eq!(item_start(front, 3), Some((1, 1)));
        // A nested mapping that is not a list item: its first key.
        let nested = "title: T\nstatus:\n  achieved: 1.0\n  nearly: 0.9\n";
        assert_eq!(item_start(nested, 4), Some((3, 3)));
        // Flow items on one line: the line itself.
        assert_eq!(item_start("- {id: a}\n", 1), Some((1, 3)));
    }

    use super::*;
    use serde::Deserialize;
    use serde_saphyr::Spanned;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Item {
        title: String,
        date: Option<String>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Rec {
        id: String,
        name: String,
        #[serde(default)]
        draft: bool,
        #[serde(default)]
        menu: Option<i32>,
        #[serde(default)]
        actual: Option<f64>,
        #[serde(default)]
        tags: Vec<String>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Recs {
        items: Vec<Spanned<Rec>>,
    }

    fn all(text: &str) -> (Vec<String>, Vec<String>) {
        let p = parse_all::<Recs>("x.yaml", text, 1);
        let errors = p
            .errors
            .iter()
            .map(|d| {
                format!(
                    "{}:{} {}",
                    d.origin.pos.line, d.origin.pos.column, d.message
                )
            })
            .collect();
        let kept = p
            .value
            .as_ref()
            .map(|v| {
                v.items
                    .iter()
                    .filter(|i| !p.tainted(&i.referenced))
                    .map(|i| i.value.id.clone())
                    .collect()
            })
            .unwrap_or_default();
        (errors, kept)
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

    #[test]
    fn every_bad_record_is_reported_and_the_good_ones_kept() {
        let (errors, kept) = all(concat!(
            "items:\n",
            "  - id: a\n    nmae: x\n",
            "  - id: b\n    name: y\n",
            "  - id: c\n    name: z\n    menu: x\n",
            "  - {id: d, name: w, actual: abc}\n",
            "  - id: e\n    name: v\n",
        ));
        assert_eq!(
            errors,
            [
                "3:5 unknown field `nmae`",
                "8:11 `menu`: `x` is not a whole number",
                "9:30 `actual`: `abc` is not a number",
            ],
        );
        assert_eq!(kept, ["b", "e"]);
    }

    #[test]
    fn two_errors_in_one_record_are_both_reported() {
        let (errors, kept) = all("items:\n  - id: a\n    name: x\n    menu: x\n    actual: y\n");
        assert_eq!(
            errors,
            [
                "4:11 `menu`: `x` is not a whole number",
                "5:13 `actual`: `y` is not a number"
            ]
        );
        assert!(kept.is_empty());
    }

    #[test]
    fn a_misspelt_required_field_is_one_error_not_two() {
        let (errors, kept) = all("items:\n  - id: a\n    nmae: x\n  - id: b\n    name: y\n");
        assert_eq!(errors, ["3:5 unknown field `nmae`"]);
        assert_eq!(kept, ["b"]);
        let (errors, kept) = all("items:\n  - idd: a\n    name: x\n  - id: b\n    name: y\n");
        assert_eq!(errors, ["2:5 unknown field `idd`"]);
        assert_eq!(kept, ["b"]);
    }

    #[test]
    fn a_misspelt_front_matter_field_is_one_error() {
        let p = parse_all::<Item>("x.md", "titel: a\ndate: x\n", 2);
        let e: Vec<_> = p.errors.iter().map(|d| d.message.clone()).collect();
        assert_eq!(e, ["unknown field `titel`"]);
    }

    #[test]
    fn quoted_or_yaml_1_1_booleans_are_refused() {
        for v in ["\"yes\"", "yes", "'no'", "on"] {
            let (errors, _) = all(&format!("items:\n  - id: a\n    name: x\n    draft: {v}\n"));
            assert_eq!(errors.len(), 1, "{v}: {errors:?}");
            assert!(
                errors[0].contains("is not true or false"),
                "{v}: {errors:?}"
            );
        }
        let (errors, kept) = all("items:\n  - id: a\n    name: x\n    draft: true\n");
        assert!(errors.is_empty() && kept == ["a"]);
    }

    #[test]
    fn out_of_range_numbers_say_the_range() {
        let (errors, _) = all("items:\n  - id: a\n    name: x\n    menu: 99999999999\n");
        assert_eq!(
            errors,
            [
                "4:11 `menu`: `99999999999` is out of range: give a whole number from -2147483648 to 2147483647"
            ]
        );
    }

    #[test]
    fn a_syntax_error_is_reported_and_later_records_still_read() {
        let (errors, kept) = all(concat!(
            "items:\n",
            "  - id: a\n    name: \"x\n",
            "  - id: b\n    name: y\n",
        ));
        assert!(!errors.is_empty(), "{errors:?}");
        assert!(errors[0].starts_with("3:"), "{errors:?}");
        assert!(!kept.contains(&"a".to_string()), "{kept:?}");
    }

    #[test]
    fn an_empty_value_names_its_key() {
        let (errors, _) = all("items:\n  - id: a\n    name:\n");
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(errors[0].contains("`name` is empty"), "{errors:?}");
    }

    #[test]
    fn parsing_garbage_never_panics_and_ends() {
        for text in [
            "",
            "-",
            "- -",
            ":",
            "items: [",
            "items:\n  - {",
            "items:\n - - - x",
            "\t-\n\t\t",
            "items:\n  - id: a\n    name: x\n  -\n",
        ] {
            let _ = all(text);
        }
    }
}

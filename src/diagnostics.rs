//! Problems found in a site, with their place and a way to fix them.
//!
//! Every stage reports what it finds as a [`Diagnostic`]: the file, line and
//! column, what is wrong, and a hint (often "did you mean ..."). Stages collect
//! diagnostics instead of stopping at the first, so `rekap check` can report
//! everything in one run.

use std::collections::HashMap;
use std::fmt;
use std::path::Path;

use crate::model::{Origin, Pos};

/// How serious a diagnostic is.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub enum Severity {
    /// Worth a look; the build goes on (an error with `--strict`).
    Warning,
    /// The site cannot be built until it is fixed.
    Error,
}

/// One problem in the site's sources.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// Where the problem is.
    pub origin: Origin,
    /// What is wrong.
    pub message: String,
    /// How to fix it, if known.
    pub help: Option<String>,
    /// Set on "unknown reference" errors: the kind of definition referred to,
    /// so they can be dropped when that definition file itself failed to load.
    pub unresolved: Option<RefKind>,
    /// The source line the problem is on, shown under the message with a
    /// caret under the column (see [`attach_snippets`]). `None` until the
    /// pipeline attaches it, and for places without a line of text (a
    /// workbook cell, a built page, a whole file).
    pub snippet: Option<Box<Snippet>>,
}

/// The line of source text a diagnostic points at, and what to underline.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Snippet {
    /// 1-based line number.
    pub line: u32,
    /// The text of the line, without its line break (tabs and all).
    pub text: String,
    /// 1-based column (in characters) where the underline starts.
    pub column: u32,
    /// How many characters to underline (at least 1).
    pub width: u32,
}

impl Snippet {
    /// The snippet of line `line` of `source`, underlining from `column` the
    /// token that starts there: a word or number, a quoted string, or a
    /// shortcode (`{{< ... >}}`); one character otherwise. `None` if the
    /// file has no such line.
    ///
    /// ```
    /// use rekap::diagnostics::Snippet;
    /// let s = Snippet::of("a: 1\n    actaul: 577958\n", 2, 5).unwrap();
    /// assert_eq!(s.to_string(), "  |\n2 |     actaul: 577958\n  |     ^^^^^^");
    /// let s = Snippet::of("x: \"2017-Q5\"\n", 1, 4).unwrap();
    /// assert_eq!(s.to_string(), "  |\n1 | x: \"2017-Q5\"\n  |    ^^^^^^^^^");
    /// ```
    pub fn of(source: &str, line: u32, column: u32) -> Option<Snippet> {
        if line == 0 {
            return None;
        }
        let text = source.split('\n').nth(line as usize - 1)?;
        let text = text.strip_suffix('\r').unwrap_or(text);
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let chars: Vec<char> = text.chars().collect();
        let column = column.max(1);
        let start = (column as usize - 1).min(chars.len());
        let rest = &chars[start..];
        let width = token_width(rest).max(1);
        Some(Snippet {
            line,
            // Control characters (other than tabs) would garble a terminal.
            text: text
                .chars()
                .map(|c| {
                    if c.is_control() && c != '\t' {
                        '\u{fffd}'
                    } else {
                        c
                    }
                })
                .collect(),
            column: start as u32 + 1,
            width: width as u32,
        })
    }
}

/// How many characters of `rest` the underline covers.
fn token_width(rest: &[char]) -> usize {
    let Some(&first) = rest.first() else {
        return 1;
    };
    let word = |c: char| c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | '%' | '+');
    if first == '"' || first == '\'' {
        // A quoted string, to its closing quote.
        return rest[1..]
            .iter()
            .position(|&c| c == first)
            .map_or(1, |i| i + 2);
    }
    if rest.starts_with(&['{', '{']) {
        let s: String = rest.iter().collect();
        return match s.find("}}") {
            Some(i) => s[..i + 2].chars().count(),
            None => 2,
        };
    }
    if first == '/' || first == '#' {
        // A URL or a path.
        return rest
            .iter()
            .take_while(|c| !c.is_whitespace() && !matches!(c, ')' | '"' | '\'' | '>' | ']'))
            .count();
    }
    if word(first) {
        return rest.iter().take_while(|&&c| word(c)).count();
    }
    1
}

impl fmt::Display for Snippet {
    /// The gutter, the numbered line and the caret line, rustc style.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let number = self.line.to_string();
        let pad = " ".repeat(number.len() + 1);
        // Under the text, keep tabs as tabs so the caret lines up.
        let lead: String = self
            .text
            .chars()
            .take(self.column as usize - 1)
            .map(|c| if c == '\t' { '\t' } else { ' ' })
            .collect();
        writeln!(f, "{pad}|")?;
        writeln!(f, "{number} | {}", self.text)?;
        write!(f, "{pad}| {lead}{}", "^".repeat(self.width as usize))
    }
}

/// Kinds of definitions that content refers to.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub enum RefKind {
    /// An entity id.
    Entity,
    /// A metric id.
    Metric,
    /// A meeting slug.
    Meeting,
    /// A figure (entity, metric and period) in the figure files.
    Figure,
}

impl Diagnostic {
    /// An error at `origin`.
    pub fn error(origin: Origin, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            origin,
            message: message.into(),
            help: None,
            unresolved: None,
            snippet: None,
        }
    }

    /// A warning at `origin`.
    pub fn warning(origin: Origin, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Warning,
            origin,
            message: message.into(),
            help: None,
            unresolved: None,
            snippet: None,
        }
    }

    /// Adds a hint on how to fix the problem.
    pub fn with_help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    /// Marks this as an unresolved reference to a `kind` of definition.
    pub fn unresolved(mut self, kind: RefKind) -> Diagnostic {
        self.unresolved = Some(kind);
        self
    }

    /// Adds a hint only if there is one.
    pub fn with_help_opt(mut self, help: Option<String>) -> Diagnostic {
        self.help = help;
        self
    }

    /// Whether this is an error.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    /// `severity: file:line:column: message`, then the source line with a
    /// caret under the column when it is attached, then the help.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        // `file:line:column:` first, as editors read it; a workbook's sheet
        // right after.
        write!(f, "{label}: {}: ", self.origin.place())?;
        if let Some(sheet) = &self.origin.sheet {
            write!(f, "sheet `{sheet}`: ")?;
        }
        f.write_str(&self.message)?;
        if let Some(snippet) = &self.snippet {
            write!(f, "\n{snippet}")?;
        }
        if let Some(help) = &self.help {
            write!(f, "\n  help: {help}")?;
        }
        Ok(())
    }
}

/// Attaches to each diagnostic the line of source it points at (see
/// [`Snippet`]), reading each file of the site at `root` once. Places with
/// no line, cells of workbooks, and files that cannot be read as text get
/// none.
pub fn attach_snippets(root: &Path, diags: &mut [Diagnostic]) {
    let mut files: HashMap<String, Option<String>> = HashMap::new();
    for d in diags {
        let o = &d.origin;
        if o.pos.line == 0 || o.sheet.is_some() || d.snippet.is_some() {
            continue;
        }
        let text = files.entry(o.file.clone()).or_insert_with(|| {
            let rel = Path::new(&o.file);
            // Only files inside the site, by a relative path, and never
            // through a symbolic link (built pages and the like are not
            // files of the site).
            let mut at = root.to_path_buf();
            for c in rel.components() {
                let std::path::Component::Normal(c) = c else {
                    return None;
                };
                at.push(c);
                if std::fs::symlink_metadata(&at)
                    .ok()?
                    .file_type()
                    .is_symlink()
                {
                    return None;
                }
            }
            let bytes = std::fs::read(root.join(rel)).ok()?;
            Some(String::from_utf8_lossy(&bytes).into_owned())
        });
        if let Some(text) = text {
            d.snippet = Snippet::of(text, o.pos.line, o.pos.column).map(Box::new);
        }
    }
}

/// A list of diagnostics, kept in a stable order (by file, then position).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    /// An empty list.
    pub fn new() -> Diagnostics {
        Diagnostics::default()
    }

    /// Adds one diagnostic.
    pub fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
    }

    /// Adds an error at `origin`.
    pub fn error(&mut self, origin: Origin, message: impl Into<String>) -> &mut Diagnostic {
        self.items.push(Diagnostic::error(origin, message));
        self.items.last_mut().expect("just pushed")
    }

    /// Adds a warning at `origin`.
    pub fn warning(&mut self, origin: Origin, message: impl Into<String>) -> &mut Diagnostic {
        self.items.push(Diagnostic::warning(origin, message));
        self.items.last_mut().expect("just pushed")
    }

    /// Moves every diagnostic of `other` into this list.
    pub fn extend(&mut self, other: Diagnostics) {
        self.items.extend(other.items);
    }

    /// Whether any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }

    /// Number of errors.
    pub fn error_count(&self) -> usize {
        self.items.iter().filter(|d| d.is_error()).count()
    }

    /// Number of warnings.
    pub fn warning_count(&self) -> usize {
        self.items.len() - self.error_count()
    }

    /// Keeps only the diagnostics for which `keep` is true.
    pub fn retain(&mut self, keep: impl FnMut(&Diagnostic) -> bool) {
        self.items.retain(keep);
    }

    /// Turns every warning into an error (`--strict`).
    pub fn make_strict(&mut self) {
        for d in &mut self.items {
            d.severity = Severity::Error;
        }
    }

    /// Whether the list is empty.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The diagnostics, sorted by file and position, duplicates removed.
    pub fn sorted(mut self) -> Vec<Diagnostic> {
        self.items.sort_by(|a, b| {
            (&a.origin, b.severity, &a.message).cmp(&(&b.origin, a.severity, &b.message))
        });
        self.items.dedup();
        self.items
    }

    /// Iterates in insertion order.
    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

/// The valid name nearest to `wrong`, if one is close enough to be a likely typo.
///
/// ```
/// use rekap::diagnostics::nearest;
/// assert_eq!(nearest("contribution", ["contributions", "new-participants"]), Some("contributions"));
/// assert_eq!(nearest("xyz", ["contributions"]), None);
/// ```
pub fn nearest<'a, I>(wrong: &str, candidates: I) -> Option<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    let wrong_l = wrong.to_lowercase();
    let mut best: Option<(f64, &'a str)> = None;
    for c in candidates {
        let score = strsim::jaro_winkler(&wrong_l, &c.to_lowercase());
        let contains = !wrong_l.is_empty() && (c.contains(&wrong_l) || wrong_l.contains(c));
        let score = if contains { score.max(0.85) } else { score };
        if score >= 0.8 && best.is_none_or(|(s, b)| score > s || (score == s && c < b)) {
            best = Some((score, c));
        }
    }
    best.map(|(_, c)| c)
}

/// "did you mean `x`?" for the nearest candidate, if any.
pub fn did_you_mean<'a, I>(wrong: &str, candidates: I) -> Option<String>
where
    I: IntoIterator<Item = &'a str>,
{
    nearest(wrong, candidates).map(|c| format!("did you mean `{c}`?"))
}

/// Convenience: an [`Origin`] at line and column of `file`.
pub fn at(file: &str, line: u32, column: u32) -> Origin {
    Origin::new(file, Pos::new(line, column))
}

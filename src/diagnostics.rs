//! Problems found in a site, with their place and a way to fix them.
//!
//! Every stage reports what it finds as a [`Diagnostic`]: the file, line and
//! column, what is wrong, and a hint (often "did you mean ..."). Stages collect
//! diagnostics instead of stopping at the first, so `rekap check` can report
//! everything in one run.

use std::fmt;

use crate::model::{Origin, Pos};

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Worth a look; the build goes on (an error with `--strict`).
    Warning,
    /// The site cannot be built until it is fixed.
    Error,
}

/// One problem in the site's sources.
#[derive(Debug, Clone, PartialEq, Eq)]
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
}

/// Kinds of definitions that content refers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
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
        if let Some(help) = &self.help {
            write!(f, "\n  help: {help}")?;
        }
        Ok(())
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

//! Typed models shared by every stage of the pipeline.
//!
//! These are the values that flow from `load` to `validate` to `compute` to
//! `render`. Three concerns cross every stage and are carried here from the
//! start: the [`Audience`] an item is meant for, the [`Lang`] of the site, and
//! the source (file, line and stated `source`) of every figure.

mod audience;
mod content;
mod data;
mod locale;
mod period;
mod shortcode;
mod site;
mod text;
pub mod theme;

pub use audience::Audience;
pub use content::{Attendee, Decision, Meeting, Page, Release, TargetRef};
pub use data::{
    Aggregate, Compare, Direction, Entity, EntityKind, Figure, FigureTarget, Metric, TimeKind, Unit,
};
pub use locale::Lang;
pub use period::{Period, PeriodKind, PeriodParseError};
pub use shortcode::{Shortcode, ShortcodeKind};
pub use site::{HtmlPolicy, PngPolicy, SiteConfig, StatusThresholds};
pub use text::Text;
pub use theme::Theme;

/// A position in a source file, 1-based. `line == 0` means unknown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, serde::Serialize)]
pub struct Pos {
    /// 1-based line, 0 when unknown.
    pub line: u32,
    /// 1-based column, 0 when unknown.
    pub column: u32,
}

impl Pos {
    /// A position from a 1-based line and column.
    pub fn new(line: u32, column: u32) -> Pos {
        Pos { line, column }
    }
}

/// Where a value was read: a file relative to the site root, and a position in it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Default, serde::Serialize)]
pub struct Origin {
    /// Path relative to the site root, with `/` separators (`content/data/entities.yaml`).
    pub file: String,
    /// Position in that file.
    pub pos: Pos,
}

impl Origin {
    /// An origin at `pos` in `file`.
    pub fn new(file: impl Into<String>, pos: Pos) -> Origin {
        Origin {
            file: file.into(),
            pos,
        }
    }
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (self.pos.line, self.pos.column) {
            (0, _) => write!(f, "{}", self.file),
            (l, 0) => write!(f, "{}:{}", self.file, l),
            (l, c) => write!(f, "{}:{}:{}", self.file, l, c),
        }
    }
}

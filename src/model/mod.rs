//! Typed models shared by every stage of the pipeline.
//!
//! These are the values that flow from `load` to `validate` to `compute` to
//! `render`. Three concerns cross every stage and are carried here from the
//! start: the [`Audience`] an item is meant for, the [`Lang`] of the site, and
//! the source (file, line and stated `source`) of every figure.

mod audience;
mod by_file;
mod content;
mod data;
mod locale;
mod period;
mod shortcode;
mod site;
mod text;
pub mod theme;

pub use audience::Audience;
pub use by_file::ByFile;
pub use content::{Attendee, Decision, Meeting, Page, Release, TargetRef};
pub use data::{
    Aggregate, Category, Compare, Dimension, Direction, Entity, Figure, FigureTarget, Metric,
    TimeKind, Unit,
};
pub use locale::Lang;
pub use period::{Period, PeriodKind, PeriodParseError};
pub use shortcode::{CustomCall, Shortcode, ShortcodeKind};
pub use site::{HtmlPolicy, Level, PngPolicy, SiteConfig, StatusThresholds, Strings};
pub use text::Text;
pub use theme::Theme;

/// A position in a source file, 1-based. `line == 0` means unknown.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Default,
    serde::Serialize,
    serde::Deserialize,
)]
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
#[derive(
    Debug,
    Clone,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Default,
    serde::Serialize,
    serde::Deserialize,
)]
pub struct Origin {
    /// Path relative to the site root, with `/` separators (`content/data/entities.yaml`).
    pub file: String,
    /// The sheet of a workbook (`.xlsx`, `.ods`) the value is in; then `pos`
    /// is its row and column. `None` in every other file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sheet: Option<String>,
    /// Position in that file.
    pub pos: Pos,
}

impl Origin {
    /// An origin at `pos` in `file`.
    pub fn new(file: impl Into<String>, pos: Pos) -> Origin {
        Origin {
            file: file.into(),
            sheet: None,
            pos,
        }
    }

    /// An origin in sheet `sheet` of the workbook `file`, at row and column `pos`.
    pub fn in_sheet(file: impl Into<String>, sheet: impl Into<String>, pos: Pos) -> Origin {
        Origin {
            file: file.into(),
            sheet: Some(sheet.into()),
            pos,
        }
    }

    /// `file:line:column`, without the sheet.
    pub fn place(&self) -> impl std::fmt::Display + '_ {
        Place(self)
    }
}

struct Place<'a>(&'a Origin);

impl std::fmt::Display for Place<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let o = self.0;
        match (o.pos.line, o.pos.column) {
            (0, _) => write!(f, "{}", o.file),
            (l, 0) => write!(f, "{}:{}", o.file, l),
            (l, c) => write!(f, "{}:{}:{}", o.file, l, c),
        }
    }
}

impl std::fmt::Display for Origin {
    /// `file:line:column`, and ``(sheet `name`)`` in a workbook.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.place())?;
        if let Some(sheet) = &self.sheet {
            write!(f, " (sheet `{sheet}`)")?;
        }
        Ok(())
    }
}

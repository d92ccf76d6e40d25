use std::collections::BTreeMap;
use std::ops::Range;

use serde::Serialize;

use super::Origin;

/// What a shortcode renders.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ShortcodeKind {
    /// One number, inline: `{{< value metric="contributions" period=2016 >}}`.
    Value,
    /// A headline card: value, target, attainment, status.
    Card,
    /// A table of an entity's children for a metric and period.
    Table,
    /// A chart.
    Chart,
}

impl ShortcodeKind {
    /// Every kind, by name.
    pub const ALL: [(&'static str, ShortcodeKind); 4] = [
        ("value", ShortcodeKind::Value),
        ("card", ShortcodeKind::Card),
        ("table", ShortcodeKind::Table),
        ("chart", ShortcodeKind::Chart),
    ];

    /// The name written in Markdown.
    pub fn name(self) -> &'static str {
        match self {
            ShortcodeKind::Value => "value",
            ShortcodeKind::Card => "card",
            ShortcodeKind::Table => "table",
            ShortcodeKind::Chart => "chart",
        }
    }

    /// Whether the shortcode stands for a block (rendered on its own line).
    pub fn is_block(self) -> bool {
        !matches!(self, ShortcodeKind::Value)
    }

    /// The arguments this kind accepts.
    pub fn allowed_args(self) -> &'static [&'static str] {
        match self {
            ShortcodeKind::Value => &["entity", "metric", "period", "show", "form"],
            ShortcodeKind::Card | ShortcodeKind::Table => &["entity", "metric", "period"],
            ShortcodeKind::Chart => &[
                "name", "kind", "entity", "metric", "period", "metrics", "by",
            ],
        }
    }
}

/// A data shortcode found in a Markdown body.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Shortcode {
    /// What it renders.
    pub kind: ShortcodeKind,
    /// Arguments as written (`entity` → `sulawesi-maluku`).
    pub args: BTreeMap<String, String>,
    /// Byte range of the whole shortcode in the body.
    pub range: Range<usize>,
    /// Where it is in the file.
    pub origin: Origin,
}

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
    /// A shortcode of the site's own, defined by its template
    /// `templates/shortcodes/NAME.html` (the name is in [`Shortcode::custom`]).
    Custom,
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
            ShortcodeKind::Custom => "custom",
        }
    }

    /// Whether the shortcode stands for a block (rendered on its own line).
    /// A custom shortcode is neither: its HTML takes the place of a paragraph
    /// it is alone in, else it stays inline.
    pub fn is_block(self) -> bool {
        !matches!(self, ShortcodeKind::Value | ShortcodeKind::Custom)
    }

    /// The built-in kind named `name`.
    pub fn builtin(name: &str) -> Option<ShortcodeKind> {
        Self::ALL.iter().find(|(n, _)| *n == name).map(|(_, k)| *k)
    }

    /// The arguments this kind accepts.
    pub fn allowed_args(self) -> &'static [&'static str] {
        match self {
            ShortcodeKind::Value => &["entity", "metric", "period", "show", "form"],
            ShortcodeKind::Card | ShortcodeKind::Table => &["entity", "metric", "period"],
            ShortcodeKind::Chart => &[
                "name", "kind", "entity", "metric", "period", "metrics", "by",
            ],
            // Any: the template decides what it uses.
            ShortcodeKind::Custom => &[],
        }
    }
}

/// A data shortcode found in a Markdown body.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Shortcode {
    /// What it renders.
    pub kind: ShortcodeKind,
    /// The name of a custom shortcode (kind [`ShortcodeKind::Custom`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub custom: Option<String>,
    /// Arguments as written (`entity` → `sulawesi-maluku`).
    pub args: BTreeMap<String, String>,
    /// Byte range of the whole shortcode in the body.
    pub range: Range<usize>,
    /// Where it is in the file.
    pub origin: Origin,
}

/// A custom shortcode ready to render: the template `shortcodes/NAME.html`
/// with its arguments.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct CustomCall {
    /// The shortcode's name (its template is `shortcodes/NAME.html`).
    pub name: String,
    /// Arguments as written.
    pub args: BTreeMap<String, String>,
}

impl CustomCall {
    /// The template that renders it.
    pub fn template(&self) -> String {
        format!("shortcodes/{}.html", self.name)
    }
}

use serde::{Deserialize, Serialize};

use super::{Audience, Origin, Period, Text};

/// The level of an entity in the hierarchy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EntityKind {
    /// A regional office over several provinces.
    Region,
    /// A province.
    Province,
    /// A branch or pioneer office.
    Office,
}

impl EntityKind {
    /// The lowercase name used in YAML and in URLs.
    pub fn as_str(self) -> &'static str {
        match self {
            EntityKind::Region => "region",
            EntityKind::Province => "province",
            EntityKind::Office => "office",
        }
    }
}

/// One node of the hierarchy: a region, a province or an office.
#[derive(Debug, Clone, Serialize)]
pub struct Entity {
    /// Unique id, also the URL slug (`sulawesi-utara`).
    pub id: String,
    /// Display name.
    pub name: Text,
    /// Level in the hierarchy.
    pub kind: EntityKind,
    /// Id of the parent entity; `None` for the top.
    pub parent: Option<String>,
    /// Where `parent` was written, for error messages.
    pub parent_origin: Origin,
    /// Optional description shown on the entity page.
    pub description: Option<Text>,
    /// Whether the children listed cover the whole entity (`breakdown: complete`,
    /// the default) or only part of it (`breakdown: partial`). Partial
    /// breakdowns are neither summed up nor checked against the parent.
    pub complete_breakdown: bool,
    /// Who may see this entity.
    pub audience: Audience,
    /// Where the entity was defined.
    pub origin: Origin,
}

/// What a metric counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Unit {
    /// People (participants, workers).
    People,
    /// Money, in the metric's currency.
    Currency,
    /// A percentage, stored as the number shown (`57.3` means 57,3 %).
    Percent,
    /// A plain count (companies, offices, visits).
    Count,
}

impl Unit {
    /// The lowercase name used in YAML.
    pub fn as_str(self) -> &'static str {
        match self {
            Unit::People => "people",
            Unit::Currency => "currency",
            Unit::Percent => "percent",
            Unit::Count => "count",
        }
    }
}

/// How a metric's figures combine up the hierarchy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Aggregate {
    /// A parent's value is the sum of its children's.
    Sum,
    /// A parent's value is the mean of its children's.
    Mean,
    /// Values do not combine; each entity reports its own.
    None,
}

/// Which way is better for a metric.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// More is better (participants, contributions).
    #[default]
    Higher,
    /// Less is better (claims backlog, days to pay).
    Lower,
}

/// The definition of a metric: what is measured, in which unit, and how it adds up.
#[derive(Debug, Clone, Serialize)]
pub struct Metric {
    /// Unique id (`contributions`).
    pub id: String,
    /// Display name.
    pub name: Text,
    /// Unit of every figure of this metric.
    pub unit: Unit,
    /// ISO 4217 code for currency metrics (`IDR`); `None` for other units.
    pub currency: Option<String>,
    /// Rule for combining children's figures.
    pub aggregate: Aggregate,
    /// Whether higher or lower values are better.
    pub direction: Direction,
    /// Optional longer description.
    pub description: Option<Text>,
    /// Who may see this metric.
    pub audience: Audience,
    /// Where the metric was defined.
    pub origin: Origin,
}

/// A target as written in a figure record.
///
/// Either an absolute value, a growth over the previous period's actual, or
/// both (then both must agree within the precision of the stated value).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct FigureTarget {
    /// The stated target value.
    pub value: Option<f64>,
    /// Growth over the previous period's actual, as a fraction (`0.15` for 15 %).
    pub growth: Option<f64>,
}

/// One figure record: an entity's target and/or actual for a metric and period.
#[derive(Debug, Clone, Serialize)]
pub struct Figure {
    /// Entity id as written.
    pub entity: String,
    /// Where the entity id was written.
    pub entity_origin: Origin,
    /// Metric id as written.
    pub metric: String,
    /// Where the metric id was written.
    pub metric_origin: Origin,
    /// The period the figure is for.
    pub period: Period,
    /// The target, if one was set.
    pub target: Option<FigureTarget>,
    /// The actual result, if known.
    pub actual: Option<f64>,
    /// The date the actual was measured, when the period was still in progress.
    pub as_of: Option<jiff::civil::Date>,
    /// Unit as written in the record, checked against the metric's.
    pub unit: Option<Unit>,
    /// Where the figure comes from (a report, a spreadsheet, "illustrative").
    pub source: String,
    /// Optional remark shown beside the figure.
    pub note: Option<Text>,
    /// Who may see this figure.
    pub audience: Audience,
    /// Where the record starts.
    pub origin: Origin,
}

use serde::{Deserialize, Serialize};

use super::{Audience, Origin, Period, Text};

/// One node of the hierarchy: a region, a province or an office.
#[derive(Debug, Clone, Serialize)]
pub struct Entity {
    /// Unique id, also the URL slug (`sulawesi-utara`).
    pub id: String,
    /// Display name.
    pub name: Text,
    /// Its level in the hierarchy: the id of one of the site's levels
    /// (`region`, `province`, `office` unless `site.yaml` declares others).
    pub kind: String,
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
    /// Whether this build leaves out some of the entity's children (they are
    /// for a narrower audience): its children then cover only part of it.
    pub hidden_children: bool,
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
    /// A percentage, stored as the number shown (`57.3` means 57,3 %); its
    /// changes are percentage points.
    Percent,
    /// A plain count (companies, offices, visits).
    Count,
    /// A rate per `per` (accidents per 100,000 workers): the metric gives `per`.
    Rate,
    /// An index (a price index, a score), a plain number with decimals.
    Index,
    /// A ratio of two quantities (claims per participant), a plain number with decimals.
    Ratio,
    /// A duration in days (days to pay a claim).
    Days,
}

impl Unit {
    /// Every unit, in the order the docs list them.
    pub const ALL: [Unit; 8] = [
        Unit::People,
        Unit::Count,
        Unit::Currency,
        Unit::Percent,
        Unit::Rate,
        Unit::Index,
        Unit::Ratio,
        Unit::Days,
    ];

    /// The lowercase name used in YAML.
    pub fn as_str(self) -> &'static str {
        match self {
            Unit::People => "people",
            Unit::Currency => "currency",
            Unit::Percent => "percent",
            Unit::Count => "count",
            Unit::Rate => "rate",
            Unit::Index => "index",
            Unit::Ratio => "ratio",
            Unit::Days => "days",
        }
    }

    /// Whether figures in this unit are whole numbers (people, counts).
    pub fn is_whole(self) -> bool {
        matches!(self, Unit::People | Unit::Count)
    }

    /// Whether figures in this unit can be negative (a percentage change, an
    /// index below zero), as opposed to amounts and counts.
    pub fn may_be_negative(self) -> bool {
        matches!(self, Unit::Percent | Unit::Index | Unit::Ratio)
    }

    /// Decimals shown when the metric does not say (`decimals:`).
    pub fn default_decimals(self) -> u8 {
        match self {
            Unit::People | Unit::Count | Unit::Currency | Unit::Days => 0,
            Unit::Percent => 1,
            Unit::Rate | Unit::Index | Unit::Ratio => 2,
        }
    }
}

/// How a metric's figures combine over time (months into quarters into years).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TimeKind {
    /// Summed over time: what happened during the period (new participants,
    /// contributions collected). A year is the sum of its months.
    Flow,
    /// A level at the end of the period (active participants). A year is its
    /// last month.
    Stock,
    /// A rate or ratio during the period. A year is the mean of its months.
    Rate,
}

impl TimeKind {
    /// The lowercase name used in YAML.
    pub fn as_str(self) -> &'static str {
        match self {
            TimeKind::Flow => "flow",
            TimeKind::Stock => "stock",
            TimeKind::Rate => "rate",
        }
    }
}

/// What growth compares a sub-annual period with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Compare {
    /// The same period a year earlier (2017-Q2 with 2016-Q2): the default,
    /// free of seasons.
    #[default]
    Year,
    /// The period just before (2017-Q2 with 2017-Q1).
    Previous,
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
    /// For a rate: per how many (`100000` for "per 100,000 workers").
    pub per: Option<u32>,
    /// Decimals shown for values, targets, changes and axis labels (default
    /// by unit: none for people, counts, money and days, one for percent, two
    /// for rates, indices and ratios).
    pub decimals: Option<u8>,
    /// How figures combine over time.
    pub time: TimeKind,
    /// What growth of a sub-annual period compares with.
    pub compare: Compare,
    /// The month a financial year starts in, for this metric (else the site's).
    pub financial_year_start: Option<u8>,
    /// Monthly weights of an annual target (January first), for judging a
    /// flow's pace through the year; `None`: evenly by days elapsed.
    pub target_profile: Option<Vec<f64>>,
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
    /// The period progress towards this target is measured from (Open SDG's
    /// base year); the first actual of the same kind when not given.
    pub base_period: Option<Period>,
}

/// A way figures are broken down into categories (participant type, sex,
/// age group), declared in `content/data/dimensions.yaml`.
#[derive(Debug, Clone, Serialize)]
pub struct Dimension {
    /// Unique id (`type`), as figures name it in `by:`.
    pub id: String,
    /// Display name (`Jenis peserta`).
    pub name: Text,
    /// The categories, in the order tables and charts show them.
    pub categories: Vec<Category>,
    /// Whether the categories cover the whole (`total: complete`, the
    /// default): figures for every category then add up to the total, which
    /// is checked, and which they give when it is not recorded.
    pub complete: bool,
    /// Where the dimension was defined.
    pub origin: Origin,
}

/// One category of a [`Dimension`].
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Category {
    /// Unique id within its dimension (`wage-earner`).
    pub id: String,
    /// Display name (`Penerima upah`).
    pub name: Text,
}

/// One figure record: an entity's target and/or actual for a metric and period.
#[derive(Debug, Clone, PartialEq, Serialize)]
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
    /// The categories the figure is for (dimension id, category id), by
    /// dimension id; empty for a figure of the whole.
    pub by: Vec<(String, String)>,
    /// Where the record starts.
    pub origin: Origin,
}

//! The shapes of the YAML files, exactly as written (unknown fields refused).
//!
//! These structs are private to the load stage; `load` turns them into the
//! typed models of [`crate::model`] with an [`Origin`](crate::model::Origin)
//! on everything a later stage may need to point at.

use serde::{Deserialize, Deserializer};
use serde_saphyr::Spanned;

use crate::model::{Aggregate, Audience, Compare, Direction, Lang, Period, Text, TimeKind, Unit};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct SiteFile {
    pub title: Text,
    #[serde(default)]
    pub description: Option<Text>,
    #[serde(default)]
    pub organisation: Option<Text>,
    pub base_url: Spanned<String>,
    #[serde(default)]
    pub language: Option<Lang>,
    #[serde(default)]
    pub default_entity: Option<Spanned<String>>,
    #[serde(default)]
    pub allow_html: crate::model::HtmlPolicy,
    #[serde(default)]
    pub default_audience: Option<Audience>,
    #[serde(default)]
    pub currency: Option<Spanned<String>>,
    #[serde(default)]
    pub status: Option<Spanned<StatusFile>>,
    #[serde(default)]
    pub charts_png: Option<crate::model::PngPolicy>,
    #[serde(default)]
    pub financial_year_start: Option<Spanned<u8>>,
    #[serde(default)]
    pub levels: Option<Spanned<Vec<crate::model::Level>>>,
    #[serde(default)]
    pub licence: Option<Text>,
    #[serde(default)]
    pub contact: Option<Text>,
    #[serde(default)]
    pub glossary: Option<std::collections::BTreeMap<String, Text>>,
    #[serde(default)]
    pub content_language: Option<Lang>,
    #[serde(default)]
    pub languages: Option<Spanned<Vec<Lang>>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct StatusFile {
    pub achieved: Option<f64>,
    pub nearly: Option<f64>,
    pub ahead: Option<f64>,
    pub on_pace: Option<f64>,
    pub behind: Option<f64>,
    /// Older name: sets both `nearly` and `on_pace`.
    pub on_track: Option<f64>,
    /// Older name of `behind`.
    pub at_risk: Option<f64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct EntitiesFile {
    pub entities: Vec<Spanned<EntityItem>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct EntityItem {
    pub id: Spanned<String>,
    pub name: Text,
    pub kind: Spanned<String>,
    #[serde(default)]
    pub parent: Option<Spanned<String>>,
    #[serde(default)]
    pub description: Option<Text>,
    #[serde(default)]
    pub breakdown: Option<Breakdown>,
    #[serde(default)]
    pub audience: Option<Audience>,
}

/// Whether an entity's children cover all of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(super) enum Breakdown {
    Complete,
    Partial,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct MetricsFile {
    pub metrics: Vec<Spanned<MetricItem>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct MetricItem {
    pub id: Spanned<String>,
    pub name: Text,
    pub unit: Unit,
    #[serde(default)]
    pub currency: Option<Spanned<String>>,
    pub aggregate: Aggregate,
    #[serde(default)]
    pub direction: Direction,
    #[serde(default)]
    pub per: Option<Spanned<u32>>,
    #[serde(default)]
    pub decimals: Option<Spanned<u8>>,
    #[serde(default)]
    pub time: Option<TimeKind>,
    #[serde(default)]
    pub compare: Option<Compare>,
    #[serde(default)]
    pub financial_year_start: Option<Spanned<u8>>,
    #[serde(default)]
    pub target_profile: Option<Spanned<Vec<f64>>>,
    #[serde(default)]
    pub description: Option<Text>,
    #[serde(default)]
    pub audience: Option<Audience>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct FiguresFile {
    #[serde(default)]
    pub source: Option<String>,
    #[serde(default)]
    pub audience: Option<Audience>,
    pub figures: Vec<Spanned<FigureItem>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct FigureItem {
    pub entity: Spanned<String>,
    pub metric: Spanned<String>,
    pub period: Spanned<Period>,
    #[serde(default)]
    pub target: Option<Spanned<TargetItem>>,
    #[serde(default)]
    pub actual: Option<Spanned<f64>>,
    #[serde(default)]
    pub as_of: Option<Spanned<String>>,
    #[serde(default)]
    pub unit: Option<Spanned<Unit>>,
    #[serde(default)]
    pub source: Option<String>,
    #[serde(default)]
    pub note: Option<Text>,
    #[serde(default)]
    pub audience: Option<Audience>,
    #[serde(default)]
    pub by: Option<std::collections::BTreeMap<String, String>>,
}

/// `content/data/dimensions.yaml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct DimensionsFile {
    pub dimensions: Vec<Spanned<DimensionItem>>,
}

/// Whether a dimension's categories cover the whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(super) enum Coverage {
    Complete,
    Partial,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct DimensionItem {
    pub id: Spanned<String>,
    pub name: Text,
    pub categories: Vec<crate::model::Category>,
    #[serde(default)]
    pub total: Option<Coverage>,
}

/// `target: 1500000`, `target: {growth: 15%}`, `target: {growth: 15%, value: 1100000000000}`,
/// with an optional `base_period` for the progress towards it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct TargetItem {
    pub value: Option<f64>,
    /// Where `value:` of a map is written (a plain number is where the
    /// target is).
    pub value_at: Option<serde_saphyr::Location>,
    pub growth: Option<f64>,
    pub base_period: Option<Period>,
}

impl<'de> Deserialize<'de> for TargetItem {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Map {
            #[serde(default)]
            value: Option<Spanned<f64>>,
            #[serde(default)]
            growth: Option<String>,
            #[serde(default)]
            base_period: Option<Period>,
        }
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = TargetItem;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a target: a number (1500000), or {growth: 15%}, {growth: 15%, value: 1100000000000} or {value: 1500000, base_period: 2015}")
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<TargetItem, E> {
                Ok(TargetItem {
                    value: Some(v),
                    value_at: None,
                    growth: None,
                    base_period: None,
                })
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<TargetItem, E> {
                self.visit_f64(v as f64)
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<TargetItem, E> {
                self.visit_f64(v as f64)
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                map: A,
            ) -> Result<TargetItem, A::Error> {
                let m = Map::deserialize(serde::de::value::MapAccessDeserializer::new(map))?;
                let growth = match m.growth {
                    None => None,
                    Some(g) => Some(parse_growth(&g).map_err(serde::de::Error::custom)?),
                };
                if m.value.is_none() && growth.is_none() {
                    return Err(serde::de::Error::custom(
                        "a target map needs `growth` (like 15%) and/or `value`",
                    ));
                }
                Ok(TargetItem {
                    value: m.value.as_ref().map(|v| v.value),
                    value_at: m.value.map(|v| v.referenced),
                    growth,
                    base_period: m.base_period,
                })
            }
        }
        d.deserialize_any(V)
    }
}

/// Reads a growth rate written as a percentage (`15%`, `-2.5%`) into a fraction.
///
/// # Errors
///
/// A message saying what is wrong (no `%` sign, not a number, out of range).
pub fn parse_growth(s: &str) -> Result<f64, String> {
    let t = s.trim();
    let num = t
        .strip_suffix('%')
        .ok_or_else(|| format!("growth `{s}` must be a percentage with a % sign, like `15%`"))?;
    let v: f64 = num.trim().replace(',', ".").parse().map_err(|_| {
        format!("growth `{s}` is not a number followed by %, like `15%` or `-2.5%`")
    })?;
    if !v.is_finite() || v.abs() > 100_000.0 {
        return Err(format!("growth `{s}` is out of range"));
    }
    Ok(v / 100.0)
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ReleaseFront {
    pub title: String,
    pub date: Spanned<String>,
    #[serde(default)]
    pub entity: Option<Spanned<String>>,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub programmes: Vec<String>,
    #[serde(default)]
    pub summary: Option<String>,
    #[serde(default)]
    pub meeting: Option<Spanned<String>>,
    #[serde(default)]
    pub cover_chart: Option<String>,
    #[serde(default)]
    pub draft: bool,
    #[serde(default)]
    pub audience: Option<Audience>,
    #[serde(default)]
    pub slug: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct MeetingFront {
    pub title: String,
    pub date: Spanned<String>,
    pub location: String,
    #[serde(default)]
    pub entity: Option<Spanned<String>>,
    #[serde(default)]
    pub summary: Option<String>,
    #[serde(default)]
    pub attendees: Vec<AttendeeItem>,
    #[serde(default)]
    pub decisions: Vec<DecisionItem>,
    #[serde(default)]
    pub targets: Vec<Spanned<TargetRefItem>>,
    #[serde(default)]
    pub draft: bool,
    #[serde(default)]
    pub audience: Option<Audience>,
    #[serde(default)]
    pub slug: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct AttendeeItem {
    pub name: String,
    pub role: String,
}

#[derive(Debug)]
pub(super) enum DecisionItem {
    Plain(String),
    Full(DecisionFull),
}

impl<'de> Deserialize<'de> for DecisionItem {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = DecisionItem;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a decision: text, or {text: ..., audience: internal}")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<DecisionItem, E> {
                Ok(DecisionItem::Plain(v.to_string()))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                map: A,
            ) -> Result<DecisionItem, A::Error> {
                DecisionFull::deserialize(serde::de::value::MapAccessDeserializer::new(map))
                    .map(DecisionItem::Full)
            }
        }
        d.deserialize_any(V)
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct DecisionFull {
    pub text: String,
    #[serde(default)]
    pub audience: Option<Audience>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct TargetRefItem {
    #[serde(default)]
    pub entity: Option<String>,
    pub metric: String,
    pub period: Period,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct PageFront {
    pub title: String,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub menu: Option<i32>,
    #[serde(default)]
    pub audience: Option<Audience>,
    #[serde(default)]
    pub slug: Option<Spanned<String>>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn growth_reads_percentages() {
        assert_eq!(parse_growth("15%").unwrap(), 0.15);
        assert_eq!(parse_growth("-2.5%").unwrap(), -0.025);
        assert!(parse_growth("15").is_err());
        assert!(parse_growth("abc%").is_err());
    }

    #[test]
    fn target_takes_all_three_forms() {
        let t: TargetItem = serde_saphyr::from_str("1500000").unwrap();
        assert_eq!(
            t,
            TargetItem {
                value: Some(1_500_000.0),
                value_at: None,
                growth: None,
                base_period: None,
            }
        );
        let t: TargetItem = serde_saphyr::from_str("{value: 200, base_period: 2015}").unwrap();
        assert_eq!(t.base_period, Some(crate::model::Period::Year(2015)));
        let t: TargetItem = serde_saphyr::from_str("{growth: 15%}").unwrap();
        assert_eq!(t.growth, Some(0.15));
        let t: TargetItem = serde_saphyr::from_str("growth: 15%\nvalue: 1100000000000\n").unwrap();
        assert_eq!(t.value, Some(1.1e12));
        assert!(serde_saphyr::from_str::<TargetItem>("{grwth: 15%}").is_err());
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ChartsFile {
    pub charts: Vec<Spanned<ChartItem>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ChartItem {
    pub id: Spanned<String>,
    pub kind: String,
    #[serde(default)]
    pub entity: Option<String>,
    #[serde(default)]
    pub metric: Option<String>,
    #[serde(default)]
    pub metrics: Option<Vec<String>>,
    #[serde(default)]
    pub period: Option<Period>,
}

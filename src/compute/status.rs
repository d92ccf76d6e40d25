//! Status of a figure against its target, and progress towards multi-year targets.

use serde::Serialize;

use crate::model::StatusThresholds;

/// Where a figure stands against its target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// At or above the target (or the expected progress).
    Achieved,
    /// Close enough to reach it.
    OnTrack,
    /// Behind, but recoverable.
    AtRisk,
    /// Well behind.
    OffTrack,
    /// No actual, no target, or an undefined attainment.
    NoData,
}

impl Status {
    /// Status from performance (actual over expected, in the metric's direction).
    ///
    /// ```
    /// use rekap::compute::status::Status;
    /// use rekap::model::StatusThresholds;
    /// let t = StatusThresholds::default();
    /// assert_eq!(Status::from_performance(Some(1.174), &t), Status::Achieved);
    /// assert_eq!(Status::from_performance(Some(0.96), &t), Status::OnTrack);
    /// assert_eq!(Status::from_performance(Some(0.85), &t), Status::AtRisk);
    /// assert_eq!(Status::from_performance(Some(0.5), &t), Status::OffTrack);
    /// assert_eq!(Status::from_performance(None, &t), Status::NoData);
    /// ```
    pub fn from_performance(perf: Option<f64>, t: &StatusThresholds) -> Status {
        match perf {
            None => Status::NoData,
            Some(p) if p >= t.achieved => Status::Achieved,
            Some(p) if p >= t.on_track => Status::OnTrack,
            Some(p) if p >= t.at_risk => Status::AtRisk,
            Some(_) => Status::OffTrack,
        }
    }

    /// The key used in CSS classes and the string table (`on_track`).
    pub fn key(self) -> &'static str {
        match self {
            Status::Achieved => "achieved",
            Status::OnTrack => "on_track",
            Status::AtRisk => "at_risk",
            Status::OffTrack => "off_track",
            Status::NoData => "no_data",
        }
    }

    /// A symbol that goes with the word, so status never rests on colour alone.
    pub fn symbol(self) -> &'static str {
        match self {
            Status::Achieved => "✓",
            Status::OnTrack => "↗",
            Status::AtRisk => "!",
            Status::OffTrack => "✗",
            Status::NoData => "–",
        }
    }
}

/// Progress towards a target several periods ahead, as in SDG reporting
/// (Open SDG, after Statistics Canada): observed compound growth since a base
/// period divided by the growth required to reach the target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Progress {
    /// The latest value already meets the target.
    TargetAchieved,
    /// Ratio ≥ 0.95.
    Substantial,
    /// Ratio ≥ 0.6.
    Moderate,
    /// Ratio ≥ 0.
    Limited,
    /// Moving away from the target.
    Deterioration,
}

impl Progress {
    /// Classifies the ratio of observed to required growth.
    ///
    /// ```
    /// use rekap::compute::status::Progress;
    /// assert_eq!(Progress::from_ratio(1.0), Progress::Substantial);
    /// assert_eq!(Progress::from_ratio(0.7), Progress::Moderate);
    /// assert_eq!(Progress::from_ratio(0.1), Progress::Limited);
    /// assert_eq!(Progress::from_ratio(-0.2), Progress::Deterioration);
    /// ```
    pub fn from_ratio(ratio: f64) -> Progress {
        if ratio >= 0.95 {
            Progress::Substantial
        } else if ratio >= 0.6 {
            Progress::Moderate
        } else if ratio >= 0.0 {
            Progress::Limited
        } else {
            Progress::Deterioration
        }
    }

    /// The key used in CSS classes and the string table.
    pub fn key(self) -> &'static str {
        match self {
            Progress::TargetAchieved => "progress_achieved",
            Progress::Substantial => "progress_substantial",
            Progress::Moderate => "progress_moderate",
            Progress::Limited => "progress_limited",
            Progress::Deterioration => "progress_deterioration",
        }
    }
}

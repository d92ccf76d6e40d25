//! Status of a figure against its target, and progress towards multi-year targets.

use serde::Serialize;

use crate::model::StatusThresholds;

/// Where a figure stands against its target.
///
/// Two vocabularies, never mixed: a **closed** period is judged against its
/// target (achieved, nearly achieved, missed); a period **in progress** is
/// judged against the pace expected by now (ahead, on pace, behind, far
/// behind), and is "achieved" only once the whole period's target is met.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// The target is met (a closed period, or a flow that has already met
    /// its whole target).
    Achieved,
    /// Closed, just short of the target.
    Nearly,
    /// Closed, short of the target.
    Missed,
    /// In progress, ahead of the pace.
    Ahead,
    /// In progress, about on pace.
    OnPace,
    /// In progress, behind the pace.
    Behind,
    /// In progress, far behind the pace.
    FarBehind,
    /// No actual, no target, or an undefined performance.
    NoData,
}

impl Status {
    /// Every status, best first within each vocabulary.
    pub const ALL: [Status; 8] = [
        Status::Achieved,
        Status::Nearly,
        Status::Missed,
        Status::Ahead,
        Status::OnPace,
        Status::Behind,
        Status::FarBehind,
        Status::NoData,
    ];

    /// The status of a closed period from its performance (actual against
    /// target, in the metric's direction).
    ///
    /// ```
    /// use rekap::compute::status::Status;
    /// use rekap::model::StatusThresholds;
    /// let t = StatusThresholds::default();
    /// assert_eq!(Status::closed(Some(1.174), &t), Status::Achieved);
    /// assert_eq!(Status::closed(Some(0.97), &t), Status::Nearly);
    /// assert_eq!(Status::closed(Some(0.85), &t), Status::Missed);
    /// assert_eq!(Status::closed(None, &t), Status::NoData);
    /// ```
    pub fn closed(perf: Option<f64>, t: &StatusThresholds) -> Status {
        match perf {
            None => Status::NoData,
            Some(p) if p >= t.achieved => Status::Achieved,
            Some(p) if p >= t.nearly => Status::Nearly,
            Some(_) => Status::Missed,
        }
    }

    /// The status of a period in progress from its pace (actual against the
    /// value expected by now, in the metric's direction).
    ///
    /// ```
    /// use rekap::compute::status::Status;
    /// use rekap::model::StatusThresholds;
    /// let t = StatusThresholds::default();
    /// assert_eq!(Status::in_progress(Some(1.2), &t), Status::Ahead);
    /// assert_eq!(Status::in_progress(Some(0.97), &t), Status::OnPace);
    /// assert_eq!(Status::in_progress(Some(0.85), &t), Status::Behind);
    /// assert_eq!(Status::in_progress(Some(0.5), &t), Status::FarBehind);
    /// ```
    pub fn in_progress(pace: Option<f64>, t: &StatusThresholds) -> Status {
        match pace {
            None => Status::NoData,
            Some(p) if p >= t.ahead => Status::Ahead,
            Some(p) if p >= t.on_pace => Status::OnPace,
            Some(p) if p >= t.behind => Status::Behind,
            Some(_) => Status::FarBehind,
        }
    }

    /// Whether this is a word for a period still in progress.
    pub fn is_pace(self) -> bool {
        matches!(
            self,
            Status::Ahead | Status::OnPace | Status::Behind | Status::FarBehind
        )
    }

    /// The key used in CSS classes, downloads and the string table (`on_pace`).
    pub fn key(self) -> &'static str {
        match self {
            Status::Achieved => "achieved",
            Status::Nearly => "nearly",
            Status::Missed => "missed",
            Status::Ahead => "ahead",
            Status::OnPace => "on_pace",
            Status::Behind => "behind",
            Status::FarBehind => "far_behind",
            Status::NoData => "no_data",
        }
    }

    /// A symbol that goes with the word, so status never rests on colour alone.
    pub fn symbol(self) -> &'static str {
        match self {
            Status::Achieved => "✓",
            Status::Nearly => "≈",
            Status::Missed => "✗",
            Status::Ahead => "▲",
            Status::OnPace => "↗",
            Status::Behind => "↘",
            Status::FarBehind => "▼",
            Status::NoData => "–",
        }
    }

    /// How good it is, from 3 (target met or ahead) to 0 (missed or far
    /// behind); `None` without data. Colours and chart markers follow it.
    pub fn grade(self) -> Option<u8> {
        match self {
            Status::Achieved | Status::Ahead => Some(3),
            Status::Nearly | Status::OnPace => Some(2),
            Status::Behind => Some(1),
            Status::Missed | Status::FarBehind => Some(0),
            Status::NoData => None,
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

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

#[cfg(test)]
mod tests {
    use super::*;

    /// The default thresholds: achieved 1.0, nearly 0.95; ahead 1.05, on
    /// pace 0.95, behind 0.80.
    fn t() -> StatusThresholds {
        StatusThresholds::default()
    }

    #[test]
    fn a_closed_period_at_exactly_the_target_is_achieved_and_just_short_is_nearly() {
        assert_eq!(Status::closed(Some(1.0), &t()), Status::Achieved);
        assert_eq!(Status::closed(Some(0.999), &t()), Status::Nearly);
    }

    #[test]
    fn a_closed_period_at_exactly_the_nearly_threshold_is_nearly_achieved_and_below_it_missed() {
        assert_eq!(Status::closed(Some(0.95), &t()), Status::Nearly);
        assert_eq!(Status::closed(Some(0.949), &t()), Status::Missed);
        assert_eq!(Status::closed(Some(0.0), &t()), Status::Missed);
    }

    #[test]
    fn a_closed_period_without_a_performance_has_no_data() {
        assert_eq!(Status::closed(None, &t()), Status::NoData);
    }

    #[test]
    fn a_closed_period_follows_the_site_s_own_thresholds() {
        let t = StatusThresholds {
            achieved: 0.9,
            nearly: 0.7,
            ..StatusThresholds::default()
        };
        assert_eq!(Status::closed(Some(0.9), &t), Status::Achieved);
        assert_eq!(Status::closed(Some(0.7), &t), Status::Nearly);
        assert_eq!(Status::closed(Some(0.69), &t), Status::Missed);
    }

    #[test]
    fn a_period_in_progress_at_exactly_each_pace_threshold_takes_the_better_word() {
        assert_eq!(Status::in_progress(Some(1.05), &t()), Status::Ahead);
        assert_eq!(Status::in_progress(Some(0.95), &t()), Status::OnPace);
        assert_eq!(Status::in_progress(Some(0.80), &t()), Status::Behind);
    }

    #[test]
    fn a_period_in_progress_just_below_each_pace_threshold_takes_the_worse_word() {
        assert_eq!(Status::in_progress(Some(1.049), &t()), Status::OnPace);
        assert_eq!(Status::in_progress(Some(0.949), &t()), Status::Behind);
        assert_eq!(Status::in_progress(Some(0.799), &t()), Status::FarBehind);
        assert_eq!(Status::in_progress(Some(0.0), &t()), Status::FarBehind);
    }

    #[test]
    fn a_period_in_progress_without_a_pace_has_no_data() {
        assert_eq!(Status::in_progress(None, &t()), Status::NoData);
    }

    #[test]
    fn only_the_four_in_progress_words_are_pace_words() {
        let pace: Vec<Status> = Status::ALL.into_iter().filter(|s| s.is_pace()).collect();
        assert_eq!(
            pace,
            [
                Status::Ahead,
                Status::OnPace,
                Status::Behind,
                Status::FarBehind
            ]
        );
    }

    #[test]
    fn every_status_has_its_published_key_symbol_and_grade() {
        let table: Vec<(&str, &str, Option<u8>)> = Status::ALL
            .into_iter()
            .map(|s| (s.key(), s.symbol(), s.grade()))
            .collect();
        assert_eq!(
            table,
            [
                ("achieved", "✓", Some(3)),
                ("nearly", "≈", Some(2)),
                ("missed", "✗", Some(0)),
                ("ahead", "▲", Some(3)),
                ("on_pace", "↗", Some(2)),
                ("behind", "↘", Some(1)),
                ("far_behind", "▼", Some(0)),
                ("no_data", "–", None),
            ]
        );
    }

    #[test]
    fn progress_at_exactly_each_ratio_threshold_takes_the_better_class() {
        assert_eq!(Progress::from_ratio(0.95), Progress::Substantial);
        assert_eq!(Progress::from_ratio(0.6), Progress::Moderate);
        assert_eq!(Progress::from_ratio(0.0), Progress::Limited);
    }

    #[test]
    fn progress_just_below_each_ratio_threshold_takes_the_worse_class() {
        assert_eq!(Progress::from_ratio(0.949), Progress::Moderate);
        assert_eq!(Progress::from_ratio(0.599), Progress::Limited);
        assert_eq!(Progress::from_ratio(-0.001), Progress::Deterioration);
    }

    #[test]
    fn every_progress_class_has_its_published_key() {
        let keys = [
            Progress::TargetAchieved,
            Progress::Substantial,
            Progress::Moderate,
            Progress::Limited,
            Progress::Deterioration,
        ]
        .map(Progress::key);
        assert_eq!(
            keys,
            [
                "progress_achieved",
                "progress_substantial",
                "progress_moderate",
                "progress_limited",
                "progress_deterioration",
            ]
        );
    }
}

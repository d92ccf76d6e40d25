//! The words around a chart, in the site's language: a title that states
//! the finding, a subtitle with the unit, whose figures and which periods,
//! the words of its key, and its source line. Sentences are written here
//! rather than in the string table because their grammar differs by language.

use super::cells::CellView;
use super::charts::ChartStatus;
use super::views::Viewer;
use crate::compute::{Status, Tracked};
use crate::format;
use crate::model::{Direction, Lang, Metric, Period, Unit};

/// The chart's mirror of a status (its colour follows the status's grade).
pub fn chart_status(s: Status) -> ChartStatus {
    match s {
        Status::Achieved => ChartStatus::Achieved,
        Status::Nearly => ChartStatus::Nearly,
        Status::Missed => ChartStatus::Missed,
        Status::Ahead => ChartStatus::Ahead,
        Status::OnPace => ChartStatus::OnPace,
        Status::Behind => ChartStatus::Behind,
        Status::FarBehind => ChartStatus::FarBehind,
        Status::NoData => ChartStatus::NoData,
    }
}

/// What a value of `metric` is counted in, for a subtitle (`Rupiah`,
/// `Orang`, `Persen`).
pub fn unit_word(metric: &Metric, lang: Lang) -> String {
    let (id, en) = match metric.unit {
        Unit::People => ("Orang", "People"),
        Unit::Count => ("Jumlah", "Count"),
        Unit::Percent => ("Persen", "Percent"),
        Unit::Rate => ("Rasio per", "Rate per"),
        Unit::Index => ("Indeks", "Index"),
        Unit::Ratio => ("Rasio", "Ratio"),
        Unit::Days => ("Hari", "Days"),
        Unit::Currency => match metric.currency.as_deref() {
            Some("IDR") | None => ("Rupiah", "Rupiah (IDR)"),
            Some(code) => return code.to_string(),
        },
    };
    let word = if lang == Lang::Id { id } else { en };
    match (metric.unit, metric.per) {
        (Unit::Rate, Some(per)) => format!("{word} {}", format::integer(f64::from(per), lang)),
        _ => word.to_string(),
    }
}

/// The periods a chart covers in words: `2015–2017`, `Januari 2016–Juni 2017`.
pub fn span_of(lang: Lang, first: Option<Period>, last: Option<Period>) -> String {
    match (first, last) {
        (Some(a), Some(b)) if a != b => {
            format!("{}–{}", format::period(a, lang), format::period(b, lang))
        }
        (Some(a), _) | (None, Some(a)) => format::period(a, lang),
        (None, None) => String::new(),
    }
}

/// A subtitle: the unit, whose figures, and the periods.
pub fn subtitle(v: &Viewer, metric: &Metric, who: &str, span: &str) -> String {
    [unit_word(metric, v.lang), who.to_string(), span.to_string()]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" · ")
}

/// The period of a cell in words, the months so far for a period in progress.
pub fn when(cell: &CellView) -> String {
    cell.span_label
        .clone()
        .unwrap_or_else(|| cell.period_label.clone())
}

/// The finding of a chart over time, from its latest value with an actual:
/// `Iuran 2016: 117,4% dari target, tercapai`, `Iuran Jan–Jun 2017: 49,0%
/// dari target 2017, sesuai laju`, `Peserta baru 2016: 578 ribu, +20,0%
/// dari 2015`.
pub fn finding_over_time(v: &Viewer, mname: &str, cells: &[&Tracked]) -> String {
    let lang = v.lang;
    let Some(c) = cells.iter().rev().find(|c| c.actual.is_some()) else {
        return match cells.iter().rev().find(|c| c.target.is_some()) {
            Some(c) => {
                let cell = v.cell(c);
                format!(
                    "{mname}: {} {} {}",
                    v.t("target").to_lowercase(),
                    cell.period_label,
                    cell.target_fmt
                )
            }
            None => mname.to_string(),
        };
    };
    let cell = v.cell(c);
    let metric = &v.site.metrics[c.metric];
    let status = cell.status_label.to_lowercase();
    if c.attainment.is_some() {
        let of = match (metric.direction, cell.in_progress, lang) {
            (Direction::Lower, ..) => String::new(),
            (_, true, Lang::Id) => format!(" dari target {}", cell.period_label),
            (_, true, Lang::En) => format!(" of the {} target", cell.period_label),
            (_, false, Lang::Id) => " dari target".to_string(),
            (_, false, Lang::En) => " of target".to_string(),
        };
        return format!(
            "{mname} {}: {}{of}, {status}",
            when(&cell),
            cell.attainment_fmt
        );
    }
    match (&cell.compared_with_label, c.growth) {
        (Some(with), Some(_)) => {
            let on = if lang == Lang::Id { "dari" } else { "on" };
            format!(
                "{mname} {}: {}, {} {on} {with}",
                when(&cell),
                cell.actual_fmt,
                cell.growth_fmt
            )
        }
        _ => format!("{mname} {}: {}", when(&cell), cell.actual_fmt),
    }
}

/// The finding of a year so far: `Iuran Jan–Jun 2017: Rp539 miliar, laju
/// 98,9%, sesuai laju`.
pub fn finding_so_far(v: &Viewer, mname: &str, cell: &CellView) -> String {
    let pace = match (&cell.pace_fmt, v.lang) {
        (Some(p), Lang::Id) => format!(", {} {p}", v.t("pace").to_lowercase()),
        (Some(p), Lang::En) => format!(", {p} of the pace to target"),
        (None, _) => String::new(),
    };
    format!(
        "{mname} {}: {}{pace}, {}",
        when(cell),
        cell.actual_fmt,
        cell.status_label.to_lowercase()
    )
}

/// The finding of a breakdown: how many children met the target (or keep
/// pace) and which did best (the highest attainment, or for a lower-is-better metric the lowest share of its ceiling): `Iuran 2016: 5 dari 8 provinsi mencapai
/// target; terbaik Sulawesi Selatan (130,9%)`.
pub fn finding_breakdown(
    v: &Viewer,
    mname: &str,
    period: &str,
    group: &str,
    ranked: &[(String, &CellView, &Tracked)],
) -> String {
    let lang = v.lang;
    let with: Vec<&(String, &CellView, &Tracked)> =
        ranked.iter().filter(|r| r.2.score().is_some()).collect();
    let in_progress = with.iter().any(|r| r.1.in_progress);
    let good = with
        .iter()
        .filter(|r| match r.2.status.grade() {
            Some(g) if in_progress => g >= 2,
            _ => r.2.status == Status::Achieved,
        })
        .count();
    let n = ranked.len();
    let verb = match (in_progress, lang) {
        (true, Lang::Id) => "sesuai atau di atas laju",
        (true, Lang::En) => "on or ahead of pace",
        (false, Lang::Id) => "mencapai target",
        (false, Lang::En) => "met the target",
    };
    let of = if lang == Lang::Id { "dari" } else { "of" };
    let mut s = format!("{mname} {period}: {good} {of} {n} {group} {verb}");
    if let Some((name, cell, _)) = with.first() {
        let value = match (&cell.pace_fmt, in_progress) {
            (Some(p), true) => format!("{} {p}", v.t("pace").to_lowercase()),
            _ => cell.attainment_fmt.clone(),
        };
        let best = if lang == Lang::Id { "terbaik" } else { "best" };
        s.push_str(&format!("; {best} {name} ({value})"));
    }
    s
}

/// The finding of a composition: each part's share of the latest total:
/// `2016: Peserta PU baru 77,7%, Peserta BPU baru 22,3%`.
pub fn finding_composition(lang: Lang, label: &str, names: &[String], parts: &[f64]) -> String {
    let total: f64 = parts.iter().filter(|x| x.is_finite() && **x > 0.0).sum();
    if total <= 0.0 {
        return format!("{label}: {}", names.join(" + "));
    }
    let shares: Vec<String> = names
        .iter()
        .zip(parts)
        .map(|(n, p)| format!("{n} {}", format::percent(p.max(0.0) / total, lang, 1)))
        .collect();
    format!("{label}: {}", shares.join(", "))
}

/// The source line of a chart: its figures' distinct sources, in order.
pub fn source_line(v: &Viewer, cells: &[&Tracked]) -> String {
    let mut sources: Vec<&str> = Vec::new();
    for c in cells {
        for s in &c.sources {
            if !s.is_empty() && !sources.contains(&s.as_str()) {
                sources.push(s);
            }
        }
    }
    if sources.is_empty() {
        return String::new();
    }
    format!("{}: {}", v.t("source"), sources.join("; "))
}

/// Whether a source is marked illustrative: it starts with `Ilustratif` or
/// `Illustrative` (any case), like the example's made-up province figures.
pub fn is_illustrative(source: &str) -> bool {
    // Compared letter by letter in ASCII, without lowering the whole
    // source: no other character lowers to one of these letters.
    let s = source.trim_start().as_bytes();
    let starts = |word: &str| {
        s.get(..word.len())
            .is_some_and(|p| p.eq_ignore_ascii_case(word.as_bytes()))
    };
    starts("ilustratif") || starts("illustrative")
}

/// Whether any of `cells` rests on an illustrative source.
pub fn any_illustrative(cells: &[&Tracked]) -> bool {
    cells
        .iter()
        .any(|c| c.sources.iter().any(|s| is_illustrative(s)))
}

/// The latest day `cells` reach: a period in progress's `as_of`, else the
/// end of the period, over the cells with an actual.
pub fn data_end<'a>(cells: impl IntoIterator<Item = &'a Tracked>) -> Option<jiff::civil::Date> {
    cells
        .into_iter()
        .filter(|c| c.actual.is_some())
        .map(|c| {
            c.as_of
                .filter(|_| c.in_progress())
                .unwrap_or(c.period.end_date())
        })
        .max()
}

#[cfg(test)]
mod tests {
    use super::is_illustrative;

    #[test]
    fn a_source_is_illustrative_when_it_starts_with_the_word_in_any_case() {
        for yes in [
            "Ilustratif",
            "ILUSTRATIF: angka contoh",
            "  illustrative figures",
            "IllusTrative",
        ] {
            assert!(is_illustrative(yes), "{yes:?}");
        }
        for no in [
            "",
            "Ilustrat",
            "Ilustrasi",
            "Data ilustratif",
            "BPJS Ketenagakerjaan",
            // A dotted capital I lowers to two characters: not the word.
            "İlustratif",
            "ilustratİf",
        ] {
            assert!(!is_illustrative(no), "{no:?}");
        }
    }
}

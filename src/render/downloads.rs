//! Downloads: every entity's and every year's figures, and the whole data
//! set, as CSV and JSON. Machine columns stay raw (numbers, ISO periods);
//! `*_display` columns are formatted in the site's language.

use rayon::prelude::*;
use serde::Serialize;

use super::views::Viewer;
use super::{Put, RenderError};
use crate::compute::{Derivation, Tracked};
use crate::format::{self, Measure};
use crate::render::data_reads::{ChangedEntities, entity_starts};
use crate::urls::Download;
use crate::write::{Contents, OutputFile};

/// CSV and JSON downloads: per entity, per year and for the whole site.
/// Step **downloads**: the CSV and JSON files of every entity, every year
/// and the whole site, each handed to `put` as soon as it is made.
///
/// # Errors
///
/// The first write error.
pub fn write(v: &Viewer, put: Put) -> Result<(), RenderError> {
    // Nothing kept: no report is compared.
    write_keeping(
        v,
        None,
        &|k| ChangedEntities::between(v.site.entities.len(), &k.report, &v.report.shared()),
        put,
    )
    .map(drop)
}

/// What an entity's rows are made from besides its own figures (see
/// [`row`] and [`category_row`]): the entities (ids and names), metrics,
/// dimensions, the site's strings and the language. `None` if they cannot
/// be digested.
pub fn around(v: &Viewer) -> Option<u128> {
    let site = v.site;
    let strings = &site.config.strings;
    crate::digest::of(&(
        &site.entities,
        &site.metrics,
        &site.dimensions,
        &strings.id,
        &strings.en,
        v.lang,
    ))
    .ok()
}

/// One entity's rows, encoded, and its own two files.
#[derive(Debug)]
pub struct EntityRows {
    /// The rows.
    rows: Encoded,
    /// The year of each row.
    years: Vec<i32>,
    /// The entity's CSV and JSON files, where kept.
    files: Option<(bytes::Bytes, bytes::Bytes)>,
}

/// Every entity's rows as a build made them, with what from: a later
/// build with the same [`around`] takes an entity's rows whose figures are
/// equal to those here instead of making them again (`rekap serve`, after
/// a figure changed).
#[derive(Debug)]
pub struct KeptRows {
    /// [`around`] of the build that made them.
    pub around: u128,
    /// The report they were made from (its whole and category figures, as
    /// they were).
    pub report: std::sync::Arc<crate::compute::Report>,
    /// Each entity's rows, by entity.
    pub entities: Vec<std::sync::Arc<EntityRows>>,
    /// Each year's files (CSV and JSON), by year.
    pub years: Vec<(i32, Files)>,
}

/// What [`write_keeping`] made, for the next build: every entity's rows
/// (with its files if kept) and each year's files (if kept).
#[derive(Debug, Default)]
pub struct Made {
    /// Each entity's rows, by entity.
    pub entities: Vec<std::sync::Arc<EntityRows>>,
    /// Each year's files, by year.
    pub years: Vec<(i32, Files)>,
}

/// [`write()`], taking from `kept` (made with the digest `around` of this
/// build's [`around`]) every entity whose figures are as they were there.
/// Returns every entity's rows, for the next build (with its files if
/// `kept` is given, else without).
///
/// # Errors
///
/// The first write error.
pub fn write_keeping(
    v: &Viewer,
    kept: Option<(u128, Option<&KeptRows>)>,
    same: &dyn Fn(&KeptRows) -> ChangedEntities,
    put: Put,
) -> Result<Made, RenderError> {
    use std::sync::Arc;
    let site = v.site;
    let urls = v.urls;
    let file = |path: String, data: Contents| {
        put(OutputFile {
            path,
            contents: data,
        })
    };
    // Every row is encoded once, per entity (the report keeps each entity's
    // rows contiguous, in entity, metric, period order); the entity's, the
    // year's and the site's files copy those bytes. Each file is handed to the
    // writer as soon as it is made.
    let cells = &v.report.whole().cells;
    let n = site.entities.len();
    let starts = entity_starts(cells, n, |c| c.entity);
    // Each entity's category figures follow its whole ones.
    let cats = &v.report.whole().categories;
    let cat_starts = entity_starts(cats, n, |c| c.entity);
    let before = kept.and_then(|(around, k)| k.filter(|k| k.around == around));
    // Which entities' values are as they were (the comparison of the two
    // reports made once per build: see `ChangedEntities`).
    let before = before.map(|k| (k, same(k)));
    // With a memo (`rekap serve`), each entity's files are held for the
    // site's, which are made of them in pieces.
    let encoded: Vec<(Arc<EntityRows>, Option<Files>)> = (0..n)
        .into_par_iter()
        .map(|e| {
            let whole = &cells[starts[e]..starts[e + 1]];
            let parts = &cats[cat_starts[e]..cat_starts[e + 1]];
            let id = &site.entities[e].id;
            // The same entities, in the same order (the digest `around`
            // says so): the same figures make the same rows.
            let same = before.as_ref().and_then(|(k, same)| {
                let rows = k.entities.get(e)?;
                let (csv, json) = rows.files.clone()?;
                same.unchanged(e).then(|| (Arc::clone(rows), csv, json))
            });
            let (made, csv, json) = match same {
                Some(same) => same,
                None => {
                    let mut rows: Vec<Row> = whole.iter().map(|c| row(v, c)).collect();
                    rows.extend(parts.iter().map(|c| category_row(v, c)));
                    let years: Vec<i32> = whole
                        .iter()
                        .map(|c| c.period.year())
                        .chain(parts.iter().map(|c| c.period.year()))
                        .collect();
                    let enc = Encoded::new(&rows);
                    let csv = bytes::Bytes::from(csv_file(all(&enc)));
                    let json = bytes::Bytes::from(json_file(all(&enc)));
                    let rows = Arc::new(EntityRows {
                        // Kept only for a next build (they are large).
                        files: kept.is_some().then(|| (csv.clone(), json.clone())),
                        rows: enc,
                        years,
                    });
                    (rows, csv, json)
                }
            };
            let held = kept.is_some().then(|| (csv.clone(), json.clone()));
            file(
                urls.file(&urls.entity_data(id, Download::Csv)),
                Contents::Shared(csv),
            )?;
            file(
                urls.file(&urls.entity_data(id, Download::Json)),
                Contents::Shared(json),
            )?;
            Ok((made, held))
        })
        .collect::<Result<_, RenderError>>()?;
    let held: Option<Vec<Files>> = encoded.iter().map(|(_, held)| held.clone()).collect();
    let encoded: Vec<Arc<EntityRows>> = encoded.into_iter().map(|(made, _)| made).collect();
    let in_year = |y: i32| {
        encoded.iter().flat_map(move |r| {
            (0..r.rows.len())
                .filter(move |&i| r.years[i] == y)
                .map(move |i| (&r.rows, i))
        })
    };
    let everything = || encoded.iter().flat_map(|r| all(&r.rows));
    let years = &v.index.years;
    // The entities whose rows were made again (the others are the last
    // build's, shared): a year none of them has changed rows in is the
    // last build's year.
    let remade: Vec<usize> = match &before {
        Some((k, ..)) => (0..n)
            .filter(|&e| {
                k.entities
                    .get(e)
                    .is_none_or(|was| !Arc::ptr_eq(was, &encoded[e]))
            })
            .collect(),
        None => Vec::new(),
    };
    let year_kept = |y: i32| -> Option<Files> {
        let (k, ..) = before.as_ref()?;
        let (_, files) = k.years.iter().find(|(year, _)| *year == y)?;
        remade
            .iter()
            .all(|&e| {
                k.entities
                    .get(e)
                    .is_some_and(|was| same_in_year(was, &encoded[e], y))
            })
            .then(|| files.clone())
    };
    // One year at a time per thread, then the whole set: only a few large
    // files are in memory at once.
    let year_files: Vec<Option<(i32, Files)>> = years
        .par_iter()
        .map(|&y| {
            let (csv, json) = match year_kept(y) {
                Some(files) => files,
                None => (
                    bytes::Bytes::from(csv_file(in_year(y))),
                    bytes::Bytes::from(json_file(in_year(y))),
                ),
            };
            let keep = kept.is_some().then(|| (y, (csv.clone(), json.clone())));
            file(
                urls.file(&urls.year_data(y, Download::Csv)),
                Contents::Shared(csv),
            )?;
            file(
                urls.file(&urls.year_data(y, Download::Json)),
                Contents::Shared(json),
            )?;
            Ok(keep)
        })
        .collect::<Result<_, RenderError>>()?;
    let (csv, json) = match held {
        // The entities' files, in order, without their heads and tails:
        // the site's bytes, not copied.
        Some(held) if !held.is_empty() => (
            Contents::Pieces(csv_pieces(&held)),
            Contents::Pieces(json_pieces(&held)),
        ),
        _ => (
            Contents::Bytes(csv_file(everything())),
            Contents::Bytes(json_file(everything())),
        ),
    };
    file(urls.file(&urls.site_data(Download::Csv)), csv)?;
    file(urls.file(&urls.site_data(Download::Json)), json)?;
    Ok(Made {
        entities: encoded,
        years: year_files.into_iter().flatten().collect(),
    })
}

/// Whether `a` and `b` have the same rows in year `y`, in the same order.
fn same_in_year(a: &EntityRows, b: &EntityRows, y: i32) -> bool {
    fn in_year(r: &EntityRows, y: i32) -> impl Iterator<Item = (&[u8], &[u8])> {
        (0..r.rows.len())
            .filter(move |&i| r.years[i] == y)
            .map(move |i| (r.rows.csv_row(i), r.rows.json_row(i)))
    }
    in_year(a, y).eq(in_year(b, y))
}

/// An entity's (or a year's) CSV and JSON files.
pub type Files = (bytes::Bytes, bytes::Bytes);

/// The opening and closing of a JSON download (see [`json_file`]).
const JSON_OPEN: &[u8] = b"{\"figures\": [\n";
/// See [`JSON_OPEN`].
const JSON_CLOSE: &[u8] = b"\n]}\n";

/// The pieces of the CSV file of every row of `files` (each entity's CSV
/// and JSON files, in order): as [`csv_file`] writes it, each entity's rows
/// a slice of its file.
fn csv_pieces(files: &[Files]) -> Vec<bytes::Bytes> {
    let mut out = vec![bytes::Bytes::from_static(CSV_HEADER)];
    out.extend(
        files
            .iter()
            .filter(|(csv, _)| csv.len() > CSV_HEADER.len())
            .map(|(csv, _)| csv.slice(CSV_HEADER.len()..)),
    );
    out
}

/// The pieces of the JSON file of every row of `files`, as [`json_file`]
/// writes it: each entity's rows a slice of its file, a comma and line
/// break between two entities' as between two rows.
fn json_pieces(files: &[Files]) -> Vec<bytes::Bytes> {
    let empty = JSON_OPEN.len() + JSON_CLOSE.len();
    let mut out = vec![bytes::Bytes::from_static(JSON_OPEN)];
    for (_, json) in files.iter().filter(|(_, json)| json.len() > empty) {
        if out.len() > 1 {
            out.push(bytes::Bytes::from_static(b",\n"));
        }
        out.push(json.slice(JSON_OPEN.len()..json.len() - JSON_CLOSE.len()));
    }
    out.push(bytes::Bytes::from_static(JSON_CLOSE));
    out
}

/// One row of a download.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Row {
    /// Entity id.
    pub entity: String,
    /// Entity name in the site's language.
    pub entity_name: String,
    /// Metric id.
    pub metric: String,
    /// Metric name.
    pub metric_name: String,
    /// Unit.
    pub unit: &'static str,
    /// Currency code, for money.
    pub currency: String,
    /// The categories the row is for (`type=wage-earner`, several joined
    /// with `;`); empty for a figure of the whole.
    pub by: String,
    /// Period (`2016`, `2017-Q1`, `2016/17`).
    pub period: String,
    /// Kind of period (`year`, `financial_year`, `half`, `quarter`, `month`).
    pub period_kind: &'static str,
    /// Actual, raw.
    pub actual: Option<f64>,
    /// Target, raw.
    pub target: Option<f64>,
    /// Attainment (actual / target), raw.
    pub attainment: Option<f64>,
    /// Performance against the whole target in the metric's direction
    /// (above 1 beats it), raw.
    pub performance: Option<f64>,
    /// Growth (ratio) over the earlier value in `compared_with`, raw.
    pub growth: Option<f64>,
    /// The period growth compares with (the same months of it for a period in progress).
    pub compared_with: String,
    /// Status key: `achieved`, `nearly`, `missed` for a closed period;
    /// `achieved`, `ahead`, `on_pace`, `behind`, `far_behind` (and `missed`
    /// for a ceiling already passed) in progress; `no_data`.
    pub status: &'static str,
    /// Date measured for a period in progress (ISO); empty for a closed period.
    pub as_of: String,
    /// Value expected by `as_of` on the way to the target, raw.
    pub expected: Option<f64>,
    /// The actual against `expected` in the metric's direction, raw.
    pub pace: Option<f64>,
    /// Progress towards a target several periods ahead (`progress_substantial` ...).
    pub progress: &'static str,
    /// How the actual was obtained (`reported`, `aggregated`, `rolled_up`).
    pub actual_from: String,
    /// Sources, joined with `; `.
    pub source: String,
    /// Actual, formatted.
    pub actual_display: String,
    /// Target, formatted.
    pub target_display: String,
    /// Attainment, formatted.
    pub attainment_display: String,
    /// Status in words.
    pub status_display: String,
}

/// The download row of one tracked value.
pub fn row(v: &Viewer, c: &Tracked) -> Row {
    let m = &v.site.metrics[c.metric];
    Row {
        entity: v.site.entities[c.entity].id.clone(),
        entity_name: v.entity_name(c.entity),
        metric: m.id.clone(),
        metric_name: m.name.get(v.lang).to_string(),
        unit: m.unit.as_str(),
        currency: m.currency.clone().unwrap_or_default(),
        by: String::new(),
        period: c.period.to_string(),
        period_kind: c.period.kind().as_str(),
        actual: c.actual,
        target: c.target,
        attainment: c.attainment,
        performance: c.performance,
        growth: c.growth,
        compared_with: compared_with(c, m.time == crate::model::TimeKind::Stock),
        status: c.status.key(),
        as_of: c
            .as_of
            .filter(|_| c.in_progress())
            .map(|d| d.to_string())
            .unwrap_or_default(),
        expected: c.expected,
        pace: c.pace,
        progress: c.progress.map(|p| p.key()).unwrap_or_default(),
        actual_from: c
            .actual_from
            .map(|d| match d {
                Derivation::Reported => "reported",
                Derivation::Aggregated => "aggregated",
                Derivation::FromGrowth => "from_growth",
                Derivation::RolledUp => "rolled_up",
                Derivation::FromCategories => "from_categories",
            })
            .unwrap_or_default()
            .to_string(),
        source: c.sources.join("; "),
        actual_display: c
            .actual
            .map(|a| format::measure_value(a, &Measure::of(m), v.lang, false))
            .unwrap_or_default(),
        target_display: c
            .target
            .map(|t| format::measure_value(t, &Measure::of(m), v.lang, false))
            .unwrap_or_default(),
        attainment_display: match c.attainment {
            Some(_) => v.cell(c).attainment_fmt.clone(),
            None => String::new(),
        },
        status_display: super::cells::status_label(v.lang, &v.site.config.strings, c).to_string(),
    }
}

/// A text cell that a spreadsheet will not run as a formula: one starting
/// with `=`, `+`, `-`, `@`, a tab or a carriage return (and not a plain
/// number) gets a leading `'`, which spreadsheets show as nothing
/// (OWASP's advice against CSV injection).
fn text(s: &str) -> std::borrow::Cow<'_, str> {
    let risky = s.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if risky && s.parse::<f64>().is_err() {
        std::borrow::Cow::Owned(format!("'{s}"))
    } else {
        std::borrow::Cow::Borrowed(s)
    }
}

/// The download row of one category figure.
pub fn category_row(v: &Viewer, c: &crate::compute::categories::CategoryCell) -> Row {
    let m = &v.site.metrics[c.metric];
    let measure = Measure::of(m);
    let by: Vec<String> =
        c.by.iter()
            .map(|&(d, k)| {
                let dim = &v.site.dimensions[d];
                format!("{}={}", dim.id, dim.categories[k].id)
            })
            .collect();
    Row {
        entity: v.site.entities[c.entity].id.clone(),
        entity_name: v.entity_name(c.entity),
        metric: m.id.clone(),
        metric_name: m.name.get(v.lang).to_string(),
        unit: m.unit.as_str(),
        currency: m.currency.clone().unwrap_or_default(),
        by: by.join(";"),
        period: c.period.to_string(),
        period_kind: c.period.kind().as_str(),
        actual: c.actual,
        target: c.target,
        attainment: c.attainment,
        performance: c.performance,
        growth: None,
        compared_with: String::new(),
        status: c.status.key(),
        as_of: c
            .as_of
            .filter(|d| *d < c.period.end_date())
            .map(|d| d.to_string())
            .unwrap_or_default(),
        expected: None,
        pace: None,
        progress: "",
        actual_from: "reported".to_string(),
        source: c.sources.join("; "),
        actual_display: c
            .actual
            .map(|a| format::measure_value(a, &measure, v.lang, false))
            .unwrap_or_default(),
        target_display: c
            .target
            .map(|t| format::measure_value(t, &measure, v.lang, false))
            .unwrap_or_default(),
        attainment_display: c
            .attainment
            .map(|a| format::percent(a, v.lang, 1))
            .unwrap_or_default(),
        status_display: super::i18n::text_in(c.status.key(), v.lang, &v.site.config.strings)
            .unwrap_or("?")
            .to_string(),
    }
}

fn ratio(v: Option<f64>) -> String {
    v.map(|x| format!("{x}")).unwrap_or_default()
}

fn raw(v: Option<f64>) -> String {
    match v {
        None => String::new(),
        Some(x) if x.fract() == 0.0 && x.abs() < 1e15 => format!("{x:.0}"),
        Some(x) => format!("{x}"),
    }
}

/// The CSV header row.
/// The period a growth compares with, as a code: `2016`; for a period in
/// progress, the same months of the earlier period as an ISO 8601 interval of
/// months (`2016-01/2016-06`), since the growth is like for like; for a
/// stock, a level, the one month it was measured at (`2016-04`).
fn compared_with(c: &Tracked, stock: bool) -> String {
    let Some(p) = c.compared_with else {
        return String::new();
    };
    let earlier_as_of = c
        .as_of
        .filter(|_| c.in_progress())
        .and_then(|d| d.checked_sub(jiff::Span::new().years(1)).ok());
    let Some(as_of) = earlier_as_of else {
        return p.to_string();
    };
    let months = p.month_list();
    let upto: Vec<_> = months.iter().filter(|m| m.end_date() <= as_of).collect();
    match (upto.first(), upto.last()) {
        (Some(_), Some(b)) if stock && upto.len() < months.len() => b.to_string(),
        (Some(a), Some(b)) if upto.len() < months.len() => format!("{a}/{b}"),
        _ => p.to_string(),
    }
}

const CSV_HEADER: &[u8] = b"entity,entity_name,metric,metric_name,unit,currency,by,period,period_kind,actual,target,attainment,performance,growth,compared_with,status,as_of,expected,pace,progress,actual_from,source,actual_display,target_display,attainment_display,status_display\n";

/// Rows encoded once, as CSV records and as JSON objects, so that every
/// file that carries a row (its entity's, its year's, the site's) copies
/// the bytes instead of encoding them again.
#[derive(Debug, Default)]
pub struct Encoded {
    csv: Vec<u8>,
    csv_ends: Vec<usize>,
    json: Vec<u8>,
    json_ends: Vec<usize>,
}

impl Encoded {
    /// Encodes `rows` (RFC 4180 CSV with `\n` line ends; compact JSON).
    pub fn new(rows: &[Row]) -> Encoded {
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::Any(b'\n'))
            .has_headers(false)
            .from_writer(Vec::with_capacity(rows.len() * 256));
        let mut csv_ends = Vec::with_capacity(rows.len());
        let mut json = Vec::with_capacity(rows.len() * 512);
        let mut json_ends = Vec::with_capacity(rows.len());
        for r in rows {
            let _ = w.write_record([
                r.entity.as_str(),
                &text(&r.entity_name),
                &r.metric,
                &text(&r.metric_name),
                r.unit,
                &r.currency,
                &r.by,
                &r.period,
                r.period_kind,
                &raw(r.actual),
                &raw(r.target),
                &ratio(r.attainment),
                &ratio(r.performance),
                &ratio(r.growth),
                &r.compared_with,
                r.status,
                &r.as_of,
                &raw(r.expected),
                &ratio(r.pace),
                r.progress,
                &r.actual_from,
                &text(&r.source),
                &text(&r.actual_display),
                &text(&r.target_display),
                &text(&r.attainment_display),
                &text(&r.status_display),
            ]);
            let _ = w.flush();
            csv_ends.push(w.get_ref().len());
            serde_json::to_writer(&mut json, r).unwrap_or_default();
            json_ends.push(json.len());
        }
        Encoded {
            csv: w.into_inner().unwrap_or_default(),
            csv_ends,
            json,
            json_ends,
        }
    }

    /// How many rows.
    pub fn len(&self) -> usize {
        self.csv_ends.len()
    }

    /// Whether there are no rows.
    pub fn is_empty(&self) -> bool {
        self.csv_ends.is_empty()
    }

    fn span(ends: &[usize], i: usize) -> std::ops::Range<usize> {
        (if i == 0 { 0 } else { ends[i - 1] })..ends[i]
    }

    /// Row `i` as one CSV record, line end included.
    fn csv_row(&self, i: usize) -> &[u8] {
        &self.csv[Self::span(&self.csv_ends, i)]
    }

    /// Row `i` as one JSON object.
    fn json_row(&self, i: usize) -> &[u8] {
        &self.json[Self::span(&self.json_ends, i)]
    }
}

/// A CSV file (header row, then the rows) of the chosen rows.
pub fn csv_file<'a>(rows: impl Iterator<Item = (&'a Encoded, usize)> + Clone) -> Vec<u8> {
    let len = rows.clone().map(|(e, i)| e.csv_row(i).len()).sum::<usize>();
    let mut out = Vec::with_capacity(CSV_HEADER.len() + len);
    out.extend_from_slice(CSV_HEADER);
    for (e, i) in rows {
        out.extend_from_slice(e.csv_row(i));
    }
    out
}

/// A JSON file, `{"figures": [...]}` with one row a line, of the chosen rows.
pub fn json_file<'a>(rows: impl Iterator<Item = (&'a Encoded, usize)> + Clone) -> Vec<u8> {
    let len = rows
        .clone()
        .map(|(e, i)| e.json_row(i).len() + 2)
        .sum::<usize>();
    let mut out = Vec::with_capacity(len + 32);
    out.extend_from_slice(JSON_OPEN);
    for (n, (e, i)) in rows.enumerate() {
        if n > 0 {
            out.extend_from_slice(b",\n");
        }
        out.extend_from_slice(e.json_row(i));
    }
    out.extend_from_slice(JSON_CLOSE);
    out
}

/// Every row of `e`, for [`csv_file`] and [`json_file`].
pub fn all(e: &Encoded) -> impl Iterator<Item = (&Encoded, usize)> + Clone {
    (0..e.len()).map(move |i| (e, i))
}

#[cfg(test)]
mod tests {
    use super::text;

    #[test]
    fn the_site_files_in_pieces_are_byte_for_byte_those_made_whole() {
        use super::*;
        let row = |entity: &str, period: &str, source: &str| Row {
            entity: entity.to_string(),
            period: period.to_string(),
            source: source.to_string(),
            ..Row::default()
        };
        let entities = [
            vec![row("a", "2016", "x, \"quoted\""), row("a", "2017", "y")],
            vec![],
            vec![row("b", "2016", "z")],
            vec![],
        ];
        let encoded: Vec<Encoded> = entities.iter().map(|rows| Encoded::new(rows)).collect();
        for take in [0, 1, 2, 3, 4] {
            let encoded = &encoded[..take];
            let files: Vec<Files> = encoded
                .iter()
                .map(|e| (csv_file(all(e)).into(), json_file(all(e)).into()))
                .collect();
            let every = || encoded.iter().flat_map(all);
            assert_eq!(
                csv_pieces(&files).concat(),
                csv_file(every()),
                "{take} entities"
            );
            assert_eq!(
                json_pieces(&files).concat(),
                json_file(every()),
                "{take} entities"
            );
        }
    }

    #[test]
    fn text_cells_never_start_a_formula() {
        for bad in [
            "=HYPERLINK(\"x\")",
            "+1+1",
            "-2+3",
            "@SUM(A1)",
            "\t=1",
            "\r=1",
        ] {
            assert_eq!(text(bad), format!("'{bad}"), "{bad:?}");
        }
        for ok in ["Gorontalo", "-5", "+3", "Rp956 miliar", ""] {
            assert_eq!(text(ok), ok);
        }
    }
}

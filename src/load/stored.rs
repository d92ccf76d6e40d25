//! Parsed figure files in a compact binary form, for `rekap build` to keep
//! between runs what [`LoadCache`](super::LoadCache) keeps in memory for
//! `rekap serve` (see `crate::cache::FigureStore`, which owns the file).
//!
//! Parsing YAML is most of what loading a large site costs (on the large
//! benchmark site, 21 figure files of 9.7 MB took three quarters of a
//! second on two cores); decoding what a parse gave takes a few
//! milliseconds. The models' own serde forms are for templates (a period as
//! text, a text in any language as one map), so files are stored through
//! mirror types here, each converted both ways, and a test round-trips
//! every figure of the example and of a generated site.

use std::collections::BTreeMap;
use std::sync::Arc;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::{Audience, Figure, FigureTarget, Lang, Origin, Period, Pos, Text, Unit};

/// One parsed figure file: its path, its key (the digest of its bytes and of
/// what it was read with), its figures and the problems found in it.
pub type FigureFile = (String, u128, Arc<Vec<Figure>>, Diagnostics);

/// A figure file as stored.
#[derive(Serialize, Deserialize)]
struct StoredFile {
    path: String,
    key: u128,
    /// Every file an origin names, once.
    files: Vec<String>,
    figures: Vec<StoredFigure>,
    /// The problems found, as JSON (few, and of a richer shape).
    diagnostics: String,
}

#[derive(Serialize, Deserialize)]
struct StoredOrigin {
    file: u32,
    sheet: Option<String>,
    line: u32,
    column: u32,
}

#[derive(Serialize, Deserialize)]
enum StoredText {
    Plain(String),
    Localized(Vec<(Lang, String)>),
}

#[derive(Serialize, Deserialize)]
struct StoredTarget {
    value: Option<f64>,
    growth: Option<f64>,
    base_period: Option<String>,
}

#[derive(Serialize, Deserialize)]
struct StoredFigure {
    entity: String,
    entity_origin: StoredOrigin,
    metric: String,
    metric_origin: StoredOrigin,
    period: String,
    target: Option<StoredTarget>,
    actual: Option<f64>,
    as_of: Option<(i16, i8, i8)>,
    unit: Option<Unit>,
    source: String,
    note: Option<StoredText>,
    audience: Audience,
    by: Vec<(String, String)>,
    origin: StoredOrigin,
}

/// Gives each file name a number, once.
#[derive(Default)]
struct Names {
    names: Vec<String>,
    places: std::collections::HashMap<String, u32>,
}

impl Names {
    fn origin(&mut self, o: &Origin) -> StoredOrigin {
        let file = match self.places.get(&o.file) {
            Some(&i) => i,
            None => {
                let i = self.names.len() as u32;
                self.names.push(o.file.clone());
                self.places.insert(o.file.clone(), i);
                i
            }
        };
        StoredOrigin {
            file,
            sheet: o.sheet.clone(),
            line: o.pos.line,
            column: o.pos.column,
        }
    }
}

fn text_to(t: &Text) -> StoredText {
    match t {
        Text::Plain(s) => StoredText::Plain(s.clone()),
        Text::Localized(m) => {
            StoredText::Localized(m.iter().map(|(l, s)| (*l, s.clone())).collect())
        }
    }
}

fn text_from(t: StoredText) -> Text {
    match t {
        StoredText::Plain(s) => Text::Plain(s),
        StoredText::Localized(v) => Text::Localized(v.into_iter().collect::<BTreeMap<_, _>>()),
    }
}

fn store(file: &FigureFile) -> StoredFile {
    let (path, key, figures, diags) = file;
    let mut names = Names::default();
    let figures = figures
        .iter()
        .map(|f| StoredFigure {
            entity: f.entity.clone(),
            entity_origin: names.origin(&f.entity_origin),
            metric: f.metric.clone(),
            metric_origin: names.origin(&f.metric_origin),
            period: f.period.to_string(),
            target: f.target.map(|t| StoredTarget {
                value: t.value,
                growth: t.growth,
                base_period: t.base_period.map(|p| p.to_string()),
            }),
            actual: f.actual,
            as_of: f.as_of.map(|d| (d.year(), d.month(), d.day())),
            unit: f.unit,
            source: f.source.clone(),
            note: f.note.as_ref().map(text_to),
            audience: f.audience,
            by: f.by.clone(),
            origin: names.origin(&f.origin),
        })
        .collect();
    let diagnostics: Vec<&Diagnostic> = diags.iter().collect();
    StoredFile {
        path: path.clone(),
        key: *key,
        files: names.names,
        figures,
        diagnostics: serde_json::to_string(&diagnostics).unwrap_or_default(),
    }
}

fn restore(s: StoredFile) -> Option<FigureFile> {
    let origin = |o: StoredOrigin| -> Option<Origin> {
        Some(Origin {
            file: s.files.get(o.file as usize)?.clone(),
            sheet: o.sheet,
            pos: Pos::new(o.line, o.column),
        })
    };
    let period = |p: &str| p.parse::<Period>().ok();
    let mut figures = Vec::with_capacity(s.figures.len());
    for f in s.figures {
        let target = match f.target {
            Some(t) => Some(FigureTarget {
                value: t.value,
                growth: t.growth,
                base_period: match t.base_period {
                    Some(p) => Some(period(&p)?),
                    None => None,
                },
            }),
            None => None,
        };
        let as_of = match f.as_of {
            Some((y, m, d)) => Some(jiff::civil::Date::new(y, m, d).ok()?),
            None => None,
        };
        figures.push(Figure {
            entity: f.entity,
            entity_origin: origin(f.entity_origin)?,
            metric: f.metric,
            metric_origin: origin(f.metric_origin)?,
            period: period(&f.period)?,
            target,
            actual: f.actual,
            as_of,
            unit: f.unit,
            source: f.source,
            note: f.note.map(text_from),
            audience: f.audience,
            by: f.by,
            origin: origin(f.origin)?,
        });
    }
    let found: Vec<Diagnostic> = serde_json::from_str(&s.diagnostics).ok()?;
    let mut diags = Diagnostics::new();
    for d in found {
        diags.push(d);
    }
    Some((s.path, s.key, Arc::new(figures), diags))
}

/// `files` as bytes (see [`decode`]).
pub fn encode(files: &[FigureFile]) -> Option<Vec<u8>> {
    let stored: Vec<StoredFile> = files.par_iter().map(store).collect();
    postcard::to_stdvec(&stored).ok()
}

/// The files [`encode`] gave `bytes` for; `None` if they are not such.
pub fn decode(bytes: &[u8]) -> Option<Vec<FigureFile>> {
    let stored: Vec<StoredFile> = postcard::from_bytes(bytes).ok()?;
    stored.into_iter().map(restore).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn figure(period: &str) -> Figure {
        let at = |line| Origin::new("content/data/figures/a.yaml", Pos::new(line, 3));
        Figure {
            entity: "kc-1".into(),
            entity_origin: at(2),
            metric: "claims-days".into(),
            metric_origin: Origin::in_sheet("content/data/figures/b.xlsx", "2017", Pos::new(4, 2)),
            period: period.parse().unwrap(),
            target: Some(FigureTarget {
                value: Some(12.25),
                growth: Some(-0.035),
                base_period: Some("2016".parse().unwrap()),
            }),
            actual: Some(-0.0),
            as_of: Some(jiff::civil::date(2017, 9, 30)),
            unit: Some(Unit::Days),
            source: "Laporan".into(),
            note: Some(Text::Localized(
                [
                    (Lang::Id, "Catatan".to_string()),
                    (Lang::En, "Note".to_string()),
                ]
                .into_iter()
                .collect(),
            )),
            audience: Audience::Internal,
            by: vec![("sex".into(), "female".into())],
            origin: at(1),
        }
    }

    #[test]
    fn figures_come_out_in_order_moved_when_no_one_else_holds_them() {
        use crate::load::Figures;
        // Two files, the first's records shared (with a cache, say).
        let a = Arc::new(vec![figure("2016"), figure("2017")]);
        let all = Figures::from_files(vec![a.clone(), Arc::new(vec![figure("2018-Q1")])]);
        assert_eq!(all.len(), 3);
        let periods = |f: &[Figure]| f.iter().map(|f| f.period.to_string()).collect::<Vec<_>>();
        assert_eq!(
            periods(&all.iter().cloned().collect::<Vec<_>>()),
            ["2016", "2017", "2018-Q1"]
        );
        let records = all.into_vec();
        assert_eq!(periods(&records), ["2016", "2017", "2018-Q1"]);
        // The shared file is still whole where it is kept.
        assert_eq!(periods(&a), ["2016", "2017"]);
        assert!(Figures::default().is_empty());
    }

    #[test]
    fn figures_round_trip_in_every_period_kind() {
        let mut diags = Diagnostics::new();
        diags.warning(
            Origin::new("content/data/figures/a.yaml", Pos::new(7, 1)),
            "a warning",
        );
        let mut plain = figure("2017-Q3");
        plain.target = None;
        plain.note = Some(Text::Plain("x".into()));
        plain.as_of = None;
        let figures = vec![
            figure("2017"),
            figure("2017-H2"),
            figure("2017-Q1"),
            figure("2017-11"),
            figure("2016/17"),
            plain,
        ];
        let files: Vec<FigureFile> = vec![
            (
                "content/data/figures/a.yaml".into(),
                42,
                Arc::new(figures),
                diags,
            ),
            (
                "content/data/figures/empty.csv".into(),
                u128::MAX,
                Arc::new(vec![]),
                Diagnostics::new(),
            ),
        ];
        let back = decode(&encode(&files).unwrap()).unwrap();
        assert_eq!(format!("{back:?}"), format!("{files:?}"));
        assert!(decode(b"not stored figures").is_none());
    }

    #[test]
    fn every_figure_of_the_example_round_trips() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let cache = crate::load::LoadCache::new();
        crate::load::load_with(root, &mut Diagnostics::new(), Some(&cache));
        let files = cache.figure_files();
        assert!(
            files.iter().map(|f| f.2.len()).sum::<usize>() > 100,
            "the example's figures"
        );
        let back = decode(&encode(&files).unwrap()).unwrap();
        assert_eq!(format!("{back:?}"), format!("{files:?}"));
    }
}

//! Figure records, checked file by file: each record's entity, metric,
//! categories, unit, values, base period and date resolved and checked, and
//! only what the build's audience may see kept.
//!
//! Every check of a record reads the record and the definitions around it
//! (the ids and audiences of entities and metrics, the metrics' units, the
//! dimensions, the settings), never another record, but for one: no two
//! records may be for the same entity, metric, period and categories. So a
//! file is checked on its own, in parallel with the others, and each file
//! notes the keys it holds as digests; where two files hold the same key,
//! every record is checked again as one list, in order, and the later
//! record is reported as the duplicate, as a single pass always did.
//!
//! `rekap serve` keeps each file's check ([`KeptFigureFiles`]) with the
//! file it was made from, and a build that loads the very same file (the
//! same allocation, which the load's cache keeps while the file is
//! unchanged) with the same definitions takes it: after a save of one
//! figure file of the large benchmark site, the other nineteen are not
//! checked again.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

use rayon::prelude::*;

use super::data::{ById, categories, precision_problem};
use super::{EntityIdx, FigureRecord, MetricIdx, Selection};
use crate::diagnostics::{Diagnostic, Diagnostics, RefKind, did_you_mean};
use crate::load::Sources;
use crate::model::{Audience, Figure, Lang, Origin, Period};

/// What every record's check reads besides the record.
pub(super) struct Lookup<'a> {
    pub(super) sources: &'a Sources,
    pub(super) sel: Selection,
    /// Every entity id loaded, with its audience.
    pub(super) all_entities: &'a ById<Audience>,
    /// Every metric id loaded, with its audience.
    pub(super) all_metrics: &'a ById<Audience>,
    /// Every entity id, sorted (for suggestions).
    pub(super) entity_ids: &'a [&'a str],
    /// Every metric id, sorted (for suggestions).
    pub(super) metric_ids: &'a [&'a str],
    /// The place of each entity this build keeps.
    pub(super) e_index: HashMap<&'a str, EntityIdx, ahash::RandomState>,
    /// The place of each metric this build keeps.
    pub(super) m_index: HashMap<&'a str, MetricIdx, ahash::RandomState>,
}

impl Lookup<'_> {
    /// The digest of everything a record's check reads besides the record:
    /// a kept check of a file is taken only under the same.
    fn context(&self) -> Option<u128> {
        fn by_id(m: &ById<Audience>) -> Vec<(&str, Audience)> {
            let mut v: Vec<(&str, Audience)> = m.iter().map(|(k, a)| (k.as_str(), *a)).collect();
            v.sort_unstable_by_key(|&(k, _)| k);
            v
        }
        let mut kept_entities: Vec<(&str, EntityIdx)> =
            self.e_index.iter().map(|(k, i)| (*k, *i)).collect();
        kept_entities.sort_unstable_by_key(|&(_, i)| i);
        let mut kept_metrics: Vec<(&str, MetricIdx)> =
            self.m_index.iter().map(|(k, i)| (*k, *i)).collect();
        kept_metrics.sort_unstable_by_key(|&(_, i)| i);
        let s = self.sources;
        crate::digest::of(&(
            self.sel,
            by_id(self.all_entities),
            by_id(self.all_metrics),
            kept_entities,
            kept_metrics,
            &s.metrics,
            &s.dimensions,
            &s.config,
        ))
        .ok()
    }
}

/// One file's figures checked.
#[derive(Debug)]
pub(super) struct FileChecked {
    /// The file's figures with their financial years resolved (the loaded
    /// ones, shared, when none needed it), those whose year has no start
    /// left out.
    pub(super) figures: Arc<Vec<Figure>>,
    /// The records kept: valid, and visible to the build, in file order.
    pub(super) records: Arc<Vec<FigureRecord>>,
    /// Figures left out for their audience: (entity id, metric id, period).
    pub(super) hidden: Vec<(String, String, Period)>,
    /// The digest of each key (entity, metric, period, categories) the file
    /// holds, for finding a duplicate in another file.
    claims: Vec<u64>,
    /// The problems found.
    pub(super) found: Diagnostics,
}

/// The checks of the figure files of the last build, by language, each
/// with the file it was made from (held, so that no other file can take
/// its address) and the digest of what it read besides.
#[derive(Debug, Default)]
pub(super) struct KeptFigureFiles(Mutex<HashMap<Lang, HashMap<usize, Kept>>>);

#[derive(Debug)]
struct Kept {
    file: Arc<Vec<Figure>>,
    context: u128,
    checked: Arc<FileChecked>,
}

/// Checks every figure file of `files` (each in parallel, or taken from
/// `kept`), then the keys across files: where one repeats, every record is
/// checked again as one list. The checks are in file order.
pub(super) fn check(
    look: &Lookup,
    files: &[Arc<Vec<Figure>>],
    kept: Option<&KeptFigureFiles>,
) -> Vec<Arc<FileChecked>> {
    let lang = look.sources.config.language;
    let context = kept.and_then(|_| look.context());
    let mut before = kept
        .and_then(|k| k.0.lock().unwrap_or_else(|e| e.into_inner()).remove(&lang))
        .unwrap_or_default();
    let found: Vec<Option<Arc<FileChecked>>> = files
        .iter()
        .map(|file| {
            let at = Arc::as_ptr(file) as usize;
            before
                .remove(&at)
                .filter(|k| Arc::ptr_eq(&k.file, file) && Some(k.context) == context)
                .map(|k| k.checked)
        })
        .collect();
    // The last build's checks of files this one does not have are freed
    // aside.
    crate::cache::drop_aside(before);
    let checked: Vec<Arc<FileChecked>> = files
        .par_iter()
        .zip(found)
        .map(|(file, found)| found.unwrap_or_else(|| Arc::new(check_file(look, file))))
        .collect();
    if let (Some(kept), Some(context)) = (kept, context) {
        let now = files
            .iter()
            .zip(&checked)
            .map(|(file, checked)| {
                let k = Kept {
                    file: file.clone(),
                    context,
                    checked: checked.clone(),
                };
                (Arc::as_ptr(file) as usize, k)
            })
            .collect();
        kept.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(lang, now);
    }
    if !repeats_across(&checked) {
        return checked;
    }
    let all: Vec<Figure> = files.iter().flat_map(|f| f.iter().cloned()).collect();
    vec![Arc::new(check_file(look, &Arc::new(all)))]
}

/// Whether a key held by one file's records is also held by another's
/// (or two keys have one digest: then too every record is checked again).
fn repeats_across(checked: &[Arc<FileChecked>]) -> bool {
    let len = checked.iter().map(|c| c.claims.len()).sum();
    let mut seen: HashSet<u64, ahash::RandomState> =
        HashSet::with_capacity_and_hasher(len, ahash::RandomState::new());
    checked
        .iter()
        .flat_map(|c| &c.claims)
        .any(|&claim| !seen.insert(claim))
}

/// The hasher of the keys' digests: the same in every build, so that a
/// kept file's digests compare with a new one's.
fn claim_hasher() -> ahash::RandomState {
    ahash::RandomState::with_seeds(
        0x243f_6a88_85a3_08d3,
        0x1319_8a2e_0370_7344,
        0xa409_3822_299f_31d0,
        0x082e_fa98_ec4e_6c89,
    )
}

/// Checks the figures of one file (or of every file, as one list).
fn check_file(look: &Lookup, loaded: &Arc<Vec<Figure>>) -> FileChecked {
    let mut diags = Diagnostics::new();
    let unresolved = |p: Period| matches!(p, Period::FinancialYear(_, 0));
    let needs_resolving = loaded.iter().any(|f| {
        unresolved(f.period) || f.target.and_then(|t| t.base_period).is_some_and(unresolved)
    });
    let figures = if needs_resolving {
        let mut resolved = loaded.to_vec();
        super::periods::resolve_figures(&mut resolved, look.sources, &mut diags);
        Arc::new(resolved)
    } else {
        loaded.clone()
    };
    let hasher = claim_hasher();
    let mut seen: Seen =
        HashMap::with_capacity_and_hasher(figures.len(), ahash::RandomState::new());
    let mut claims = Vec::with_capacity(figures.len());
    let mut hidden = Vec::new();
    // What becomes of each figure (its entity, metric, categories and
    // audience if it is kept), decided first; then the kept ones are
    // copied into their records.
    let mut records = Vec::with_capacity(figures.len());
    for f in figures.iter() {
        let Some((entity, metric, by, audience)) = decide(
            look,
            f,
            &mut seen,
            &mut claims,
            &hasher,
            &mut hidden,
            &mut diags,
        ) else {
            continue;
        };
        let mut figure = f.clone();
        figure.audience = audience;
        records.push(FigureRecord {
            entity,
            metric,
            by,
            figure,
        });
    }
    drop(seen);
    FileChecked {
        figures,
        records: Arc::new(records),
        hidden,
        claims,
        found: diags,
    }
}

/// A record's key: entity id, metric id, period and categories.
type Key<'a> = (&'a str, &'a str, Period, &'a [(String, String)]);

/// The keys seen in a file, each with the first record's place.
type Seen<'a> = HashMap<Key<'a>, &'a Origin, ahash::RandomState>;

/// A record kept: its entity, metric, categories and audience.
type Decided = (EntityIdx, MetricIdx, Vec<(usize, usize)>, Audience);

/// What becomes of figure `f`: its entity, metric, categories and audience
/// if it is valid and this build shows it; `None` (with the problems found
/// reported) if not.
#[allow(clippy::too_many_arguments)]
fn decide<'f>(
    look: &Lookup,
    f: &'f Figure,
    seen: &mut Seen<'f>,
    claims: &mut Vec<u64>,
    hasher: &ahash::RandomState,
    hidden: &mut Vec<(String, String, Period)>,
    diags: &mut Diagnostics,
) -> Option<Decided> {
    let sources = look.sources;
    let Some(&e_aud) = look.all_entities.get(&f.entity) else {
        diags.push(
            Diagnostic::error(
                f.entity_origin.clone(),
                format!("unknown entity `{}`", f.entity),
            )
            .with_help_opt(did_you_mean(&f.entity, look.entity_ids.iter().copied()))
            .unresolved(RefKind::Entity),
        );
        return None;
    };
    let Some(&m_aud) = look.all_metrics.get(&f.metric) else {
        diags.push(
            Diagnostic::error(
                f.metric_origin.clone(),
                format!("unknown metric `{}`", f.metric),
            )
            .with_help_opt(did_you_mean(&f.metric, look.metric_ids.iter().copied()))
            .unresolved(RefKind::Metric),
        );
        return None;
    };
    let key = (
        f.entity.as_str(),
        f.metric.as_str(),
        f.period,
        f.by.as_slice(),
    );
    if let Some(first) = seen.get(&key) {
        diags.push(
            Diagnostic::error(
                f.origin.clone(),
                format!(
                    "duplicate figure for `{}`, `{}`, {}",
                    f.entity, f.metric, f.period
                ),
            )
            .with_help(format!(
                "the same entity, metric and period is already recorded at {first}; keep one"
            )),
        );
        return None;
    }
    seen.insert(key, &f.origin);
    claims.push(hasher.hash_one(key));
    let by = categories(&sources.dimensions, f, diags)?;

    let metric = sources.metrics.iter().find(|m| m.id == f.metric);
    let mut ok = true;
    if let (Some(m), Some(u)) = (metric, f.unit)
        && m.unit != u
    {
        diags.push(
            Diagnostic::error(
                f.origin.clone(),
                format!(
                    "unit `{}` does not match metric `{}`, which counts {}",
                    u.as_str(),
                    m.id,
                    m.unit.as_str()
                ),
            )
            .with_help(format!(
                "write `unit: {}` or remove `unit`",
                m.unit.as_str()
            )),
        );
        ok = false;
    }
    let values = [
        ("actual", f.actual),
        ("target", f.target.and_then(|t| t.value)),
    ];
    for (name, v) in values {
        let Some(v) = v else { continue };
        if !v.is_finite() {
            diags.push(Diagnostic::error(
                f.origin.clone(),
                format!("{name} is not a finite number"),
            ));
            ok = false;
        } else if v.abs() > super::data::MAX_MAGNITUDE {
            diags.push(
                Diagnostic::error(f.origin.clone(), format!("{name} {v:e} is too large"))
                    .with_help("figures must be below 9e15 in magnitude to stay exact"),
            );
            ok = false;
        } else if v < 0.0 && metric.is_some_and(|m| !m.unit.may_be_negative()) {
            diags.push(
                Diagnostic::error(f.origin.clone(), format!("{name} {v} is negative")).with_help(
                    format!(
                        "metric `{}` counts {}, which cannot be negative",
                        f.metric,
                        metric.map(|m| m.unit.as_str()).unwrap_or("")
                    ),
                ),
            );
            ok = false;
        } else if let Some(d) = metric.and_then(|m| precision_problem(m, name, v, &f.origin)) {
            diags.push(d);
            ok = false;
        }
    }
    if let Some(bp) = f.target.and_then(|t| t.base_period)
        && (bp >= f.period || !bp.same_kind(f.period))
    {
        diags.push(
            Diagnostic::error(
                f.origin.clone(),
                format!(
                    "base_period {bp} is not a period before the target's, {}, of the same kind",
                    f.period
                ),
            )
            .with_help(format!(
                "give the earlier period progress is measured from, like `base_period: {}`",
                f.period.year_earlier().year_earlier()
            )),
        );
        ok = false;
    }
    if let Some(d) = f.as_of
        && (d < f.period.start_date() || d > f.period.end_date())
    {
        diags.push(
            Diagnostic::error(
                f.origin.clone(),
                format!("as_of {d} is outside period {}", f.period),
            )
            .with_help(format!(
                "as_of must fall between {} and {}",
                f.period.start_date(),
                f.period.end_date()
            )),
        );
        ok = false;
    }
    if !ok {
        return None;
    }
    let audience = f.audience.max(e_aud).max(m_aud);
    if !audience.visible_in(look.sel.audience) {
        hidden.push((f.entity.clone(), f.metric.clone(), f.period));
        return None;
    }
    let (Some(&entity), Some(&metric)) = (
        look.e_index.get(f.entity.as_str()),
        look.m_index.get(f.metric.as_str()),
    ) else {
        return None;
    };
    Some((entity, metric, by, audience))
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use crate::cache::Fingerprint;
    use crate::diagnostics::{Diagnostic, Diagnostics};
    use crate::load::{Figures, Sources};
    use crate::model::{Audience, Figure};
    use crate::validate::{KeptData, Selection, Site, validate_keeping};

    /// A site of a region and two provinces, one metric, and the figure
    /// files `files` (name, text), loaded.
    fn load(files: &[(&str, &str)]) -> Sources {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let root = dir.path();
        let write = |rel: &str, text: &str| {
            let path = root.join(rel);
            std::fs::create_dir_all(path.parent().expect("a parent")).expect("a folder");
            std::fs::write(path, text).expect("the fixture written");
        };
        write(
            "content/site.yaml",
            "title: Uji\nbase_url: https://uji.example/\nlanguage: id\ndefault_entity: wilayah\n",
        );
        write(
            "content/data/entities.yaml",
            "entities:
  - {id: wilayah, name: Wilayah, kind: region}
  - {id: alpha, name: Alpha, kind: province, parent: wilayah}
  - {id: beta, name: Beta, kind: province, parent: wilayah, audience: internal}
",
        );
        write(
            "content/data/metrics.yaml",
            "metrics:\n  - {id: m, name: Peserta, unit: people, aggregate: sum}\n",
        );
        for (name, text) in files {
            write(&format!("content/data/figures/{name}"), text);
        }
        let mut diags = Diagnostics::new();
        let sources = crate::load::load(root, &mut diags);
        assert!(!diags.has_errors(), "the fixture loads: {diags:?}");
        sources
    }

    fn file(year: i32, alpha: u32) -> String {
        format!(
            "source: Laporan\nfigures:
  - {{entity: wilayah, metric: m, period: {year}, actual: 300}}
  - {{entity: alpha, metric: m, period: {year}, actual: {alpha}}}
  - {{entity: beta, metric: m, period: {year}, actual: 100}}
"
        )
    }

    fn public() -> Selection {
        Selection {
            audience: Audience::Public,
            drafts: false,
        }
    }

    /// One build that changed the chart inputs (so that the figures are
    /// checked, not taken whole from the last build).
    fn build(
        sources: Sources,
        sel: Selection,
        kept: &KeptData,
        n: u128,
    ) -> (Site, Vec<Diagnostic>) {
        kept.begin(Some(Fingerprint(n)));
        let mut diags = Diagnostics::new();
        let site = validate_keeping(sources, sel, &mut diags, Some(kept));
        (site, diags.sorted())
    }

    /// `sources` with its figure file `i` replaced by `records`.
    fn with_file(sources: &Sources, i: usize, records: Vec<Figure>) -> Sources {
        let mut files = sources.figures.files().to_vec();
        files[i] = Arc::new(records);
        let mut s = sources.clone();
        s.figures = Figures::from_files(files);
        s
    }

    fn alpha_actuals(site: &Site) -> Vec<f64> {
        site.figures
            .iter()
            .filter(|r| r.figure.entity == "alpha")
            .filter_map(|r| r.figure.actual)
            .collect()
    }

    #[test]
    fn a_figure_file_loaded_unchanged_is_not_checked_again() {
        let sources = load(&[
            ("2016.yaml", &file(2016, 200)),
            ("2017.yaml", &file(2017, 210)),
        ]);
        let kept = KeptData::default();
        let (first, _) = build(sources.clone(), public(), &kept, 1);
        assert_eq!(
            first.figures.files().len(),
            2,
            "one list of records per file"
        );
        assert_eq!(first.figures.len(), 4, "beta's are internal");
        assert_eq!(alpha_actuals(&first), [200.0, 210.0]);

        // A save of 2017.yaml: a new file, 2016.yaml the very same.
        let mut changed = sources.figures.files()[1].to_vec();
        changed[1].actual = Some(250.0);
        let (second, _) = build(with_file(&sources, 1, changed), public(), &kept, 2);
        assert!(
            Arc::ptr_eq(&first.figures.files()[0], &second.figures.files()[0]),
            "2016.yaml's check is taken from the last build"
        );
        assert!(!Arc::ptr_eq(
            &first.figures.files()[1],
            &second.figures.files()[1]
        ));
        assert_eq!(alpha_actuals(&second), [200.0, 250.0]);
        assert_eq!(
            second.hidden_figures.len(),
            2,
            "the hidden figures of the kept file too"
        );

        // The same files for another audience: every file checked again.
        let internal = Selection {
            audience: Audience::Internal,
            drafts: false,
        };
        let (third, _) = build(sources.clone(), internal, &kept, 3);
        assert!(!Arc::ptr_eq(
            &second.figures.files()[0],
            &third.figures.files()[0]
        ));
        assert_eq!(third.figures.len(), 6, "beta's are shown");
        // Without a memo, the same records.
        let mut diags = Diagnostics::new();
        let fresh = crate::validate::validate(sources, internal, &mut diags);
        let keys = |s: &Site| -> Vec<String> {
            s.figures
                .iter()
                .map(|r| {
                    format!(
                        "{} {} {} {:?}",
                        r.entity, r.metric, r.figure.period, r.figure.actual
                    )
                })
                .collect()
        };
        assert_eq!(keys(&third), keys(&fresh));
    }

    #[test]
    fn a_key_in_two_files_is_the_later_record_s_duplicate_as_in_one_pass() {
        let a = file(2016, 200);
        let b = format!(
            "{}  - {{entity: alpha, metric: m, period: 2016, actual: 999}}\n",
            file(2017, 210)
        );
        let sources = load(&[("a.yaml", &a), ("b.yaml", &b)]);
        let kept = KeptData::default();
        for (site, diags) in [
            build(sources.clone(), public(), &kept, 1),
            build(sources.clone(), public(), &kept, 2),
            {
                let mut d = Diagnostics::new();
                let site = crate::validate::validate(sources.clone(), public(), &mut d);
                (site, d.sorted())
            },
        ] {
            let dups: Vec<String> = diags
                .iter()
                .filter(|d| d.message.starts_with("duplicate figure"))
                .map(|d| format!("{}: {}", d.origin, d.message))
                .collect();
            assert_eq!(dups.len(), 1, "{dups:?}");
            assert!(
                dups[0].starts_with("content/data/figures/b.yaml:6"),
                "{dups:?}"
            );
            assert_eq!(
                alpha_actuals(&site),
                [200.0, 210.0],
                "the first record is kept"
            );
        }
    }
}

//! Small sites for the unit tests of the compute stage: YAML in, the
//! validated site and its computed report out, through the real load and
//! validate stages (so that a test states its figures as an author would).

use super::Report;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::{Audience, Period};
use crate::validate::{Selection, Site};

/// A computed fixture.
pub(crate) struct Computed {
    pub(crate) site: Site,
    pub(crate) report: Report,
    /// Every diagnostic of load, validate and compute.
    pub(crate) diags: Vec<Diagnostic>,
}

impl Computed {
    /// The cell of entity `e` and metric `m` for `period`.
    pub(crate) fn cell(&self, e: &str, m: &str, period: Period) -> Option<&super::Tracked> {
        let ei = self.site.entity_index(e).expect("a fixture entity");
        let mi = self
            .site
            .metrics
            .iter()
            .position(|x| x.id == m)
            .expect("a fixture metric");
        self.report.get(ei, mi, period)
    }

    /// The messages of every warning.
    pub(crate) fn warnings(&self) -> Vec<&str> {
        self.diags
            .iter()
            .filter(|d| !d.is_error())
            .map(|d| d.message.as_str())
            .collect()
    }
}

/// The one entity of [`region`] sites.
pub(crate) const REGION: &str = "  - {id: wilayah, name: Wilayah, kind: region}\n";

/// A region `wilayah` of two provinces, `alpha` and `beta` (entity list items).
pub(crate) const TWO_PROVINCES: &str = "  - {id: wilayah, name: Wilayah, kind: region}
  - {id: alpha, name: Alpha, kind: province, parent: wilayah}
  - {id: beta, name: Beta, kind: province, parent: wilayah}
";

/// A site of one region, `wilayah`, and one metric `m` with the fields
/// `metric` (`unit: people, time: stock`), whose figure records are
/// `records` (each the fields after `entity: wilayah, metric: m,`), as the
/// public sees it.
pub(crate) fn region<S: AsRef<str>>(metric: &str, records: &[S]) -> Computed {
    let records: String = records
        .iter()
        .map(|f| format!("  - {{entity: wilayah, metric: m, {}}}\n", f.as_ref()))
        .collect();
    compute(
        REGION,
        &format!("  - {{id: m, name: Peserta, aggregate: none, {metric}}}\n"),
        &format!("source: Laporan\nfigures:\n{records}"),
        Audience::Public,
    )
}

/// Computes a site of the entities `entities` (YAML list items, the first
/// of them `wilayah`, the default entity), the metrics `metrics` (list items) and the
/// figure file `figures` (a whole file), as `audience` sees it. Panics if the
/// fixture has errors: a fixture is meant to be valid.
pub(crate) fn compute(
    entities: &str,
    metrics: &str,
    figures: &str,
    audience: Audience,
) -> Computed {
    compute_with(entities, metrics, figures, &[], audience)
}

/// [`compute`], with more files of the site (`content/data/dimensions.yaml`, say).
pub(crate) fn compute_with(
    entities: &str,
    metrics: &str,
    figures: &str,
    files: &[(&str, &str)],
    audience: Audience,
) -> Computed {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let root = dir.path();
    let write = |rel: &str, text: &str| {
        let path = root.join(rel);
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("create the folder");
        std::fs::write(path, text).expect("write the fixture");
    };
    write(
        "content/site.yaml",
        "title: Uji\nbase_url: https://uji.example/\nlanguage: id\ndefault_entity: wilayah\ncharts_png: none\n",
    );
    write(
        "content/data/entities.yaml",
        &format!("entities:\n{entities}"),
    );
    write("content/data/metrics.yaml", &format!("metrics:\n{metrics}"));
    write("content/data/figures/figures.yaml", figures);
    for (rel, text) in files {
        write(rel, text);
    }
    let mut diags = Diagnostics::new();
    let sources = crate::load::load(root, &mut diags);
    let selection = Selection {
        audience,
        drafts: false,
    };
    let site = crate::validate::validate(sources, selection, &mut diags);
    let report = super::report(&site, &mut diags);
    let diags = diags.sorted();
    let errors: Vec<String> = diags
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.to_string())
        .collect();
    assert!(errors.is_empty(), "the fixture is valid: {errors:#?}");
    Computed {
        site,
        report,
        diags,
    }
}

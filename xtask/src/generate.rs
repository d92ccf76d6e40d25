//! A generator of valid rekap sites of any size, for benchmarks and tests.
//!
//! [`generate()`] writes a complete site folder from a [`GenSpec`]: a
//! three-level hierarchy (one region, about √E provinces, the rest offices),
//! metrics of every unit, targets and actuals for every entity, metric and
//! period, press releases with data shortcodes, coordination meetings and two
//! free pages. The same spec always gives byte-identical files: the only
//! source of variety is a small PRNG (SplitMix64) seeded from
//! [`GenSpec::seed`], and nothing depends on the clock, the machine or hash
//! order.
//!
//! The site is valid by construction: `rekap check --strict` finds neither
//! errors nor warnings. In particular
//!
//! - leaves (entities without children) report every metric and period;
//! - for every other `sum` metric, parents report their own figures, the exact
//!   sums of their children's (integers, so there is no rounding to disagree
//!   on); for the remaining metrics parents report nothing and rekap
//!   aggregates them, so both paths are exercised;
//! - growth targets (`{growth: 10%}`, sometimes with a stated value that
//!   agrees with it) appear only on leaves of metrics whose parents do not
//!   report, and only where the previous period's actual exists;
//! - every shortcode and every meeting target points at a figure that exists.
//!
//! Figures are split into one YAML file per year and level
//! (`content/data/figures/<year>-wilayah.yaml`, `<year>-kantor.yaml`) and one
//! CSV file holding the later half of the periods of one metric whose parents
//! report nothing (`content/data/figures/<metric>.csv`; with a single metric,
//! that metric, whose parents do report). Its rows go entity by entity, period
//! by period, so its last row is a leaf's figure for the last period: nothing
//! else depends on that figure's actual, and a benchmark may change it without
//! making the site invalid.
//!
//! ```no_run
//! use xtask::generate::{GenSpec, generate};
//! let stats = generate(&GenSpec::small(), std::path::Path::new("/tmp/site")).unwrap();
//! println!("{} files, {} bytes, {} figure records", stats.files, stats.bytes, stats.figures);
//! ```

use std::fmt::Write as _;
use std::io;
use std::path::Path;

/// The size and seed of a generated site.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct GenSpec {
    /// Number of entities: one region, about √(E−1) provinces, the rest offices.
    pub entities: usize,
    /// Number of metrics (people, currency, percent and count units mixed).
    pub metrics: usize,
    /// Number of yearly periods, starting in 2010.
    pub periods: usize,
    /// Number of press releases.
    pub releases: usize,
    /// Number of coordination meetings.
    pub meetings: usize,
    /// Seed of the pseudo-random generator: the same spec gives the same bytes.
    pub seed: u64,
}

/// The seed of the named sizes.
pub const DEFAULT_SEED: u64 = 20_170_131;

/// The first year of generated periods.
pub const FIRST_YEAR: i32 = 2010;

impl GenSpec {
    /// A small site: 100 releases, 50 entities, 4 metrics, 5 periods, 10 meetings.
    pub fn small() -> GenSpec {
        GenSpec {
            entities: 50,
            metrics: 4,
            periods: 5,
            releases: 100,
            meetings: 10,
            seed: DEFAULT_SEED,
        }
    }

    /// A medium site: 2,000 releases, 500 entities, 4 metrics, 8 periods, 100 meetings.
    pub fn medium() -> GenSpec {
        GenSpec {
            entities: 500,
            metrics: 4,
            periods: 8,
            releases: 2_000,
            meetings: 100,
            seed: DEFAULT_SEED,
        }
    }

    /// A large site: 10,000 releases, 2,000 entities, 5 metrics, 10 periods, 300 meetings.
    pub fn large() -> GenSpec {
        GenSpec {
            entities: 2_000,
            metrics: 5,
            periods: 10,
            releases: 10_000,
            meetings: 300,
            seed: DEFAULT_SEED,
        }
    }

    /// The named size `small`, `medium` or `large`.
    pub fn named(name: &str) -> Option<GenSpec> {
        match name {
            "small" => Some(GenSpec::small()),
            "medium" => Some(GenSpec::medium()),
            "large" => Some(GenSpec::large()),
            _ => None,
        }
    }

    /// A measure of the amount of content, for fitting how build time grows:
    /// releases + entities × metrics × periods.
    pub fn content_size(&self) -> usize {
        self.releases + self.entities * self.metrics * self.periods
    }
}

/// What [`generate()`] wrote.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct GenStats {
    /// Files written.
    pub files: usize,
    /// Bytes written.
    pub bytes: u64,
    /// Figure records written (YAML and CSV).
    pub figures: usize,
}

/// Writes the site described by `spec` into `dir` (created if missing).
///
/// `dir/content` must not exist yet, so that the folder holds exactly the
/// generated site. Fails with [`io::ErrorKind::InvalidInput`] when the spec
/// has no entity, metric or period, or more periods than years rekap accepts.
pub fn generate(spec: &GenSpec, dir: &Path) -> io::Result<GenStats> {
    check_spec(spec)?;
    let mut out = Out::new(dir)?;
    let plan = Plan::new(spec);
    out.write("content/site.yaml", &site_yaml(&plan))?;
    out.write("content/data/entities.yaml", &entities_yaml(&plan))?;
    out.write("content/data/metrics.yaml", &metrics_yaml(&plan))?;
    write_figures(&plan, &mut out)?;
    let meetings = meetings(&plan);
    for m in &meetings {
        out.write(&format!("content/meetings/{}.md", m.slug), &m.text)?;
    }
    let slugs: Vec<&str> = meetings.iter().map(|m| m.slug.as_str()).collect();
    for i in 0..spec.releases {
        let r = release(&plan, i, &slugs, false);
        out.write(&format!("content/releases/{}.md", r.slug), &r.text)?;
    }
    for (name, text) in pages(&plan) {
        out.write(&format!("content/pages/{name}.md"), &text)?;
    }
    Ok(out.stats)
}

/// Writes the same plain-Markdown release corpus twice: as a minimal rekap
/// site in `rekap_dir` and as a Hugo site in `hugo_dir`, for comparing the
/// two tools on equal content.
///
/// The releases are those [`generate()`] writes for `spec`, without data
/// shortcodes (each is replaced by the text it would show) and with only
/// `title`, `date` and `summary` in the front matter. The rekap site has one
/// entity, one metric and a figure per period, no meetings and no pages; the
/// Hugo site has a `hugo.toml` and three layouts (`index.html`,
/// `_default/list.html`, `_default/single.html`) that show title, date and
/// content. Returns what was written into each folder.
pub fn generate_plain_releases(
    spec: &GenSpec,
    rekap_dir: &Path,
    hugo_dir: &Path,
) -> io::Result<(GenStats, GenStats)> {
    check_spec(spec)?;
    let mut full = Plan::new(spec);
    let mut rk = Out::new(rekap_dir)?;
    let mut hg = Out::new(hugo_dir)?;
    let releases: Vec<Doc> = (0..spec.releases)
        .map(|i| release(&full, i, &[], true))
        .collect();

    // The minimal rekap site: the top entity and the first metric only.
    full.entities.truncate(1);
    full.entities[0].children.clear();
    full.metrics.truncate(1);
    full.csv_metric = None;
    rk.write("content/site.yaml", &site_yaml(&full))?;
    rk.write("content/data/entities.yaml", &entities_yaml(&full))?;
    rk.write("content/data/metrics.yaml", &metrics_yaml(&full))?;
    write_figures(&full, &mut rk)?;
    for r in &releases {
        rk.write(&format!("content/releases/{}.md", r.slug), &r.text)?;
    }

    hg.write("hugo.toml", HUGO_CONFIG)?;
    hg.write("layouts/index.html", HUGO_INDEX)?;
    hg.write("layouts/_default/list.html", HUGO_LIST)?;
    hg.write("layouts/_default/single.html", HUGO_SINGLE)?;
    for r in &releases {
        hg.write(&format!("content/releases/{}.md", r.slug), &r.text)?;
    }
    Ok((rk.stats, hg.stats))
}

const HUGO_CONFIG: &str = r#"baseURL = "https://rekap.example/"
languageCode = "id"
title = "Rekap (korpus siaran pers)"
disableKinds = ["taxonomy", "term"]
[markup.goldmark.renderer]
unsafe = false
"#;

const HUGO_INDEX: &str = r#"<!doctype html>
<html lang="id">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ .Site.Title }}</title></head>
<body>
<main>
<h1>{{ .Site.Title }}</h1>
<ul>
{{ range first 5 (where .Site.RegularPages "Section" "releases") }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> <time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2 January 2006" }}</time></li>
{{ end }}
</ul>
</main>
</body>
</html>
"#;

const HUGO_LIST: &str = r#"<!doctype html>
<html lang="id">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ .Title }} · {{ .Site.Title }}</title></head>
<body>
<main>
<h1>{{ .Title }}</h1>
<ul>
{{ range .Pages.ByDate.Reverse }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> <time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2 January 2006" }}</time><p>{{ .Summary }}</p></li>
{{ end }}
</ul>
</main>
</body>
</html>
"#;

const HUGO_SINGLE: &str = r#"<!doctype html>
<html lang="id">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ .Title }} · {{ .Site.Title }}</title></head>
<body>
<main>
<article>
<h1>{{ .Title }}</h1>
<p><time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2 January 2006" }}</time></p>
{{ .Content }}
</article>
</main>
</body>
</html>
"#;

fn check_spec(spec: &GenSpec) -> io::Result<()> {
    let bad = |msg: &str| Err(io::Error::new(io::ErrorKind::InvalidInput, msg.to_string()));
    if spec.entities == 0 || spec.metrics == 0 || spec.periods == 0 {
        return bad("a generated site needs at least one entity, one metric and one period");
    }
    if spec.periods > 150 {
        return bad("at most 150 periods (2010 to 2159)");
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// Output

struct Out<'a> {
    dir: &'a Path,
    stats: GenStats,
}

impl<'a> Out<'a> {
    fn new(dir: &'a Path) -> io::Result<Out<'a>> {
        if dir.join("content").exists() {
            return Err(io::Error::new(
                io::ErrorKind::AlreadyExists,
                format!("{} already has a content/ folder", dir.display()),
            ));
        }
        std::fs::create_dir_all(dir)?;
        Ok(Out {
            dir,
            stats: GenStats::default(),
        })
    }

    fn write(&mut self, rel: &str, text: &str) -> io::Result<()> {
        let path = self.dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(&path, text)?;
        self.stats.files += 1;
        self.stats.bytes += text.len() as u64;
        Ok(())
    }
}

// ---------------------------------------------------------------------------
// Pseudo-random numbers

/// SplitMix64 (Steele, Lea and Flood, 2014): tiny, fast and fully specified.
struct Rng(u64);

impl Rng {
    /// An independent stream for one part of the site, so that changing the
    /// number of releases, say, does not change the figures.
    fn new(seed: u64, stream: u64) -> Rng {
        let mut r = Rng(seed ^ stream.wrapping_mul(0xA076_1D64_78BD_642F));
        r.next();
        r
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (`n > 0`).
    fn below(&mut self, n: usize) -> usize {
        ((self.next() >> 11) % n as u64) as usize
    }

    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + (self.next() % (hi - lo + 1) as u64) as i64
    }

    /// Uniform in `[0, 1)`.
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }
}

// ---------------------------------------------------------------------------
// The plan: hierarchy, metrics and every figure, before any text is written

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Region,
    Province,
    Office,
}

struct Ent {
    id: String,
    name: String,
    name_en: Option<String>,
    city: String,
    kind: Kind,
    parent: Option<usize>,
    children: Vec<usize>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Unit {
    People,
    Currency,
    Percent,
    Count,
}

struct Met {
    id: String,
    name: &'static str,
    name_en: &'static str,
    unit: Unit,
    sum: bool,
    /// Whether parents report their own figures (exact sums) for this metric.
    parents_report: bool,
    description: &'static str,
}

/// A target as written.
#[derive(Clone, Copy)]
enum Target {
    Value(i64),
    Growth(u32),
    GrowthValue(u32, i64),
}

#[derive(Clone, Copy)]
struct Fig {
    /// In the metric's unit; tenths for percent metrics.
    actual: i64,
    target: Target,
}

struct Plan {
    spec: GenSpec,
    entities: Vec<Ent>,
    metrics: Vec<Met>,
    years: Vec<i32>,
    /// `figs[e][m][p]`: the record, if the entity reports one.
    figs: Vec<Vec<Vec<Option<Fig>>>>,
    /// Values every entity shows (reported or aggregated): `shown[e][m][p]` = (actual, target).
    shown: Vec<Vec<Vec<(f64, f64)>>>,
    csv_metric: Option<usize>,
    /// Entities that have children.
    parent_list: Vec<usize>,
}

/// The generated metric where lower is better (its targets are ceilings).
const LOWER_IS_BETTER: &str = "work-accidents";

const METRICS: [(&str, &str, &str, Unit, bool, &str); 8] = [
    (
        "new-participants",
        "Peserta baru",
        "New participants",
        Unit::People,
        true,
        "Pekerja yang baru terdaftar sebagai peserta selama periode.",
    ),
    (
        "contributions",
        "Iuran",
        "Contributions",
        Unit::Currency,
        true,
        "Iuran yang diterima dari peserta, dalam rupiah.",
    ),
    (
        "coverage-rate",
        "Tingkat kepesertaan",
        "Coverage rate",
        Unit::Percent,
        false,
        "Persentase pekerja formal yang sudah terdaftar; rata-rata wilayah dihitung dari rata-rata kantor.",
    ),
    (
        LOWER_IS_BETTER,
        "Kecelakaan kerja",
        "Work accidents",
        Unit::Count,
        true,
        "Kecelakaan kerja yang dilaporkan selama periode; targetnya adalah batas atas, makin rendah makin baik.",
    ),
    (
        "active-companies",
        "Perusahaan aktif",
        "Active companies",
        Unit::Count,
        true,
        "Pemberi kerja yang membayar iuran sepanjang periode.",
    ),
    (
        "wage-earners",
        "Peserta penerima upah baru",
        "New wage-earner participants",
        Unit::People,
        true,
        "Peserta baru yang bekerja pada pemberi kerja dan menerima upah.",
    ),
    (
        "non-wage-earners",
        "Peserta bukan penerima upah baru",
        "New non-wage-earner participants",
        Unit::People,
        true,
        "Peserta baru dari sektor informal yang mendaftar atas nama sendiri.",
    ),
    (
        "claims-paid",
        "Klaim dibayar",
        "Claims paid",
        Unit::Currency,
        true,
        "Jaminan yang dibayarkan kepada peserta dan ahli warisnya, dalam rupiah.",
    ),
];

const SYLLABLES: [&str; 24] = [
    "ba", "ra", "ma", "nu", "sa", "ta", "lo", "ki", "wa", "ngi", "ru", "pa", "do", "me", "ja",
    "ka", "li", "so", "te", "bu", "go", "ron", "tan", "mer",
];

const DIRECTIONS: [(&str, &str); 5] = [
    ("Utara", "North"),
    ("Selatan", "South"),
    ("Barat", "West"),
    ("Timur", "East"),
    ("Tengah", "Central"),
];

fn word(rng: &mut Rng) -> String {
    let n = 2 + rng.below(2);
    let mut s = String::new();
    for _ in 0..n {
        s.push_str(rng.pick(&SYLLABLES));
    }
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_ascii_uppercase().to_string() + c.as_str(),
        None => s,
    }
}

fn slug_part(s: &str) -> String {
    rekap::load::slugify(s)
}

impl Plan {
    fn new(spec: &GenSpec) -> Plan {
        let entities = hierarchy(spec);
        let metrics = metric_defs(spec.metrics);
        let years: Vec<i32> = (0..spec.periods).map(|i| FIRST_YEAR + i as i32).collect();
        let csv_metric = metrics
            .iter()
            .position(|m| m.sum && !m.parents_report)
            .or(Some(metrics.len() - 1));
        let mut plan = Plan {
            spec: *spec,
            entities,
            metrics,
            years,
            figs: Vec::new(),
            shown: Vec::new(),
            csv_metric,
            parent_list: Vec::new(),
        };
        plan.parent_list = (0..plan.entities.len())
            .filter(|&e| !plan.entities[e].children.is_empty())
            .collect();
        plan.figures();
        plan
    }

    /// Leaf figures from a random walk; parents' exact sums where they report.
    fn figures(&mut self) {
        let (ne, nm, np) = (self.entities.len(), self.metrics.len(), self.years.len());
        let mut rng = Rng::new(self.spec.seed, 1);
        self.figs = vec![vec![vec![None; np]; nm]; ne];
        self.shown = vec![vec![vec![(0.0, 0.0); np]; nm]; ne];
        // Entities deepest first.
        let mut order: Vec<usize> = (0..ne).collect();
        order.sort_by_key(|&e| std::cmp::Reverse(self.depth(e)));
        for &e in &order {
            for m in 0..nm {
                if self.entities[e].children.is_empty() {
                    self.leaf_series(e, m, &mut rng);
                } else {
                    let kids = self.entities[e].children.clone();
                    let sum = self.metrics[m].sum;
                    for p in 0..np {
                        let (mut a, mut t) = (0.0, 0.0);
                        for &k in &kids {
                            a += self.shown[k][m][p].0;
                            t += self.shown[k][m][p].1;
                        }
                        if !sum {
                            a /= kids.len() as f64;
                            t /= kids.len() as f64;
                        }
                        self.shown[e][m][p] = (a, t);
                        if self.metrics[m].parents_report {
                            // Exact: every child reports integers (no growth targets here).
                            let sum_a: i64 = kids
                                .iter()
                                .map(|&k| self.figs[k][m][p].expect("child reports").actual)
                                .sum();
                            let sum_t: i64 = kids
                                .iter()
                                .map(
                                    |&k| match self.figs[k][m][p].expect("child reports").target {
                                        Target::Value(v) => v,
                                        _ => unreachable!("no growth targets where parents report"),
                                    },
                                )
                                .sum();
                            self.figs[e][m][p] = Some(Fig {
                                actual: sum_a,
                                target: Target::Value(sum_t),
                            });
                        }
                    }
                }
            }
        }
    }

    fn leaf_series(&mut self, e: usize, m: usize, rng: &mut Rng) {
        let met = &self.metrics[m];
        let (unit, growth_ok) = (met.unit, met.sum && !met.parents_report);
        let province = self.entities[e].kind != Kind::Office;
        let scale = if province { 8 } else { 1 };
        // Starting level, in whole units (tenths for percent).
        let mut level: i64 = match unit {
            Unit::People => rng.range(300, 25_000) * scale,
            Unit::Currency if m == 1 => rng.range(1_000, 60_000) * 1_000_000 * scale,
            Unit::Currency => rng.range(100, 9_000) * 1_000_000 * scale,
            Unit::Count => rng.range(20, 2_500) * scale,
            Unit::Percent => rng.range(300, 900),
        };
        let mut previous: Option<i64> = None;
        for p in 0..self.years.len() {
            if p > 0 {
                level = match unit {
                    Unit::Percent => (level + rng.range(-30, 40)).clamp(50, 999),
                    _ => {
                        let g = 0.95 + 0.25 * rng.unit();
                        let v = (level as f64 * g).round() as i64;
                        round_to(v.max(1), precision(unit))
                    }
                };
            }
            let actual = level;
            let target = match previous {
                Some(prev) if growth_ok && rng.chance(0.35) => {
                    let pct = rng.pick(&[5u32, 8, 10, 12, 15, 20]);
                    let computed = prev as f64 * (1.0 + pct as f64 / 100.0);
                    let stated = nice(computed);
                    let agrees = (computed - stated as f64).abs()
                        <= 0.9 * rekap::compute::formulas::stated_tolerance(stated as f64);
                    if agrees && rng.chance(0.5) {
                        Target::GrowthValue(pct, stated)
                    } else {
                        Target::Growth(pct)
                    }
                }
                _ => {
                    let base = previous.unwrap_or(actual) as f64;
                    let f = match unit {
                        Unit::Percent => 0.97 + 0.08 * rng.unit(),
                        _ => 0.9 + 0.3 * rng.unit(),
                    };
                    let v = match unit {
                        Unit::Percent => (base * f).round().clamp(10.0, 999.0) as i64,
                        _ => nice(base * f).max(1),
                    };
                    Target::Value(v)
                }
            };
            let target_value = match target {
                Target::Value(v) => v as f64,
                Target::Growth(pct) | Target::GrowthValue(pct, _) => {
                    previous.expect("growth needs a previous actual") as f64
                        * (1.0 + pct as f64 / 100.0)
                }
            };
            self.figs[e][m][p] = Some(Fig { actual, target });
            let div = if unit == Unit::Percent { 10.0 } else { 1.0 };
            self.shown[e][m][p] = (actual as f64 / div, target_value / div);
            previous = Some(actual);
        }
    }

    fn depth(&self, mut e: usize) -> usize {
        let mut d = 0;
        while let Some(p) = self.entities[e].parent {
            d += 1;
            e = p;
        }
        d
    }

    fn has_record(&self, e: usize, m: usize, p: usize) -> bool {
        self.figs[e][m][p].is_some()
    }

    /// A value as a reader sees it, for plain text.
    fn shown_text(&self, e: usize, m: usize, p: usize, target: bool) -> String {
        let (a, t) = self.shown[e][m][p];
        let v = if target { t } else { a };
        match self.metrics[m].unit {
            Unit::Percent => format!("{}%", decimal_id(v, 1)),
            Unit::Currency => money_id(v),
            _ => int_id(v.round() as i64),
        }
    }
}

fn hierarchy(spec: &GenSpec) -> Vec<Ent> {
    let mut rng = Rng::new(spec.seed, 2);
    let n = spec.entities;
    let rest = n - 1;
    let provinces = if rest == 0 {
        0
    } else {
        ((rest as f64).sqrt().round() as usize).clamp(1, rest)
    };
    let offices = rest - provinces;
    let top_word = word(&mut rng);
    let mut out = vec![Ent {
        id: format!("wilayah-{}", slug_part(&top_word)),
        name: format!("Wilayah {top_word}"),
        name_en: Some(format!("{top_word} Region")),
        city: word(&mut rng),
        kind: Kind::Region,
        parent: None,
        children: Vec::new(),
    }];
    let mut office_no = 0;
    for i in 0..provinces {
        let base = word(&mut rng);
        let (name, name_en) = if rng.chance(0.5) {
            let (d_id, d_en) = rng.pick(&DIRECTIONS);
            (format!("{base} {d_id}"), Some(format!("{d_en} {base}")))
        } else {
            (base, None)
        };
        let pi = out.len();
        out.push(Ent {
            id: format!("prov-{:03}-{}", i + 1, slug_part(&name)),
            name,
            name_en,
            city: word(&mut rng),
            kind: Kind::Province,
            parent: Some(0),
            children: Vec::new(),
        });
        out[0].children.push(pi);
        let mine = offices / provinces + usize::from(i < offices % provinces);
        for _ in 0..mine {
            office_no += 1;
            let city = word(&mut rng);
            let oi = out.len();
            out.push(Ent {
                id: format!("kc-{office_no:04}-{}", slug_part(&city)),
                name: format!("Kantor Cabang {city}"),
                name_en: Some(format!("{city} Branch Office")),
                city,
                kind: Kind::Office,
                parent: Some(pi),
                children: Vec::new(),
            });
            out[pi].children.push(oi);
        }
    }
    out
}

fn metric_defs(n: usize) -> Vec<Met> {
    let mut out = Vec::with_capacity(n);
    let mut sums = 0;
    for i in 0..n {
        let (id, name, name_en, unit, sum, description) = match METRICS.get(i) {
            Some(&(id, name, en, unit, sum, d)) => (id.to_string(), name, en, unit, sum, d),
            None => (
                format!("indicator-{:02}", i + 1),
                "Indikator tambahan",
                "Additional indicator",
                Unit::Count,
                true,
                "Indikator tambahan untuk pengujian skala.",
            ),
        };
        let parents_report = sum && sums % 2 == 0;
        if sum {
            sums += 1;
        }
        out.push(Met {
            id,
            name,
            name_en,
            unit,
            sum,
            parents_report,
            description,
        });
    }
    out
}

fn precision(unit: Unit) -> i64 {
    match unit {
        Unit::Currency => 1_000_000,
        _ => 1,
    }
}

fn round_to(v: i64, unit: i64) -> i64 {
    ((v + unit / 2) / unit * unit).max(unit)
}

/// `v` rounded to three significant digits.
fn nice(v: f64) -> i64 {
    if v < 1000.0 {
        return v.round() as i64;
    }
    let mut unit: i64 = 1;
    while v / unit as f64 >= 1000.0 {
        unit *= 10;
    }
    ((v / unit as f64).round() as i64) * unit
}

/// `1234567` → `1.234.567`.
fn int_id(v: i64) -> String {
    let s = v.abs().to_string();
    let mut out = String::new();
    if v < 0 {
        out.push('-');
    }
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out
}

/// `57.25` with one decimal → `57,3` (decimal comma).
fn decimal_id(v: f64, decimals: usize) -> String {
    format!("{v:.decimals$}").replace('.', ",")
}

/// Rupiah in words: `Rp1,2 miliar`, `Rp956 juta`.
fn money_id(v: f64) -> String {
    let (div, word) = if v >= 1e12 {
        (1e12, "triliun")
    } else if v >= 1e9 {
        (1e9, "miliar")
    } else {
        (1e6, "juta")
    };
    let x = v / div;
    let num = if x >= 100.0 {
        decimal_id(x, 0)
    } else {
        decimal_id(x, 1)
    };
    format!("Rp{num} {word}")
}

/// A YAML double-quoted string.
fn q(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn amount(unit: Unit, v: i64) -> String {
    if unit == Unit::Percent {
        format!("{}.{}", v / 10, v % 10)
    } else {
        v.to_string()
    }
}

// ---------------------------------------------------------------------------
// Data files

fn site_yaml(plan: &Plan) -> String {
    let top = &plan.entities[0];
    format!(
        "# Generated by rekap::generate (seed {seed}): synthetic data for tests and benchmarks.\n\
         title:\n  id: {t_id}\n  en: {t_en}\n\
         description:\n  id: {d_id}\n  en: {d_en}\n\
         organisation: {org}\n\
         base_url: https://rekap.example/\n\
         language: id\n\
         default_entity: {top}\n\
         allow_html: false\n\
         default_audience: public\n\
         currency: IDR\n\
         status:\n  achieved: 1.0\n  on_track: 0.95\n  at_risk: 0.8\n",
        seed = plan.spec.seed,
        t_id = q(&format!("Rekap Kinerja {} (data sintetis)", top.name)),
        t_en = q(&format!(
            "{} Results (synthetic data)",
            top.name_en.as_deref().unwrap_or(&top.name)
        )),
        d_id = q(&format!(
            "Target dan realisasi {} entitas, {} indikator dan {} tahun, dibuat otomatis untuk pengujian.",
            plan.entities.len(),
            plan.metrics.len(),
            plan.years.len()
        )),
        d_en = q(&format!(
            "Targets and results of {} entities, {} metrics and {} years, generated for testing.",
            plan.entities.len(),
            plan.metrics.len(),
            plan.years.len()
        )),
        org = q(&format!("Kantor {} (sintetis)", top.name)),
        top = top.id,
    )
}

fn entities_yaml(plan: &Plan) -> String {
    let mut s = String::from(
        "# The hierarchy: one region, its provinces, their branch offices.\nentities:\n",
    );
    for e in &plan.entities {
        let _ = writeln!(s, "  - id: {}", e.id);
        match &e.name_en {
            Some(en) => {
                let _ = writeln!(s, "    name: {{id: {}, en: {}}}", q(&e.name), q(en));
            }
            None => {
                let _ = writeln!(s, "    name: {}", q(&e.name));
            }
        }
        let kind = match e.kind {
            Kind::Region => "region",
            Kind::Province => "province",
            Kind::Office => "office",
        };
        let _ = writeln!(s, "    kind: {kind}");
        if let Some(p) = e.parent {
            let _ = writeln!(s, "    parent: {}", plan.entities[p].id);
        }
        if e.kind != Kind::Office {
            let _ = writeln!(
                s,
                "    description: {}",
                q(&format!(
                    "{} membawahi {} unit kerja dan berkedudukan di {}.",
                    e.name,
                    e.children.len(),
                    e.city
                ))
            );
        }
    }
    s
}

fn metrics_yaml(plan: &Plan) -> String {
    let mut s = String::from("metrics:\n");
    for m in &plan.metrics {
        let unit = match m.unit {
            Unit::People => "people",
            Unit::Currency => "currency",
            Unit::Percent => "percent",
            Unit::Count => "count",
        };
        let _ = writeln!(s, "  - id: {}", m.id);
        let _ = writeln!(
            s,
            "    name:\n      id: {}\n      en: {}",
            q(m.name),
            q(m.name_en)
        );
        let _ = writeln!(s, "    unit: {unit}");
        if m.unit == Unit::Currency {
            let _ = writeln!(s, "    currency: IDR");
        }
        let _ = writeln!(s, "    aggregate: {}", if m.sum { "sum" } else { "mean" });
        let direction = if m.id == LOWER_IS_BETTER {
            "lower"
        } else {
            "higher"
        };
        let _ = writeln!(s, "    direction: {direction}");
        let _ = writeln!(s, "    description: {}", q(m.description));
        s.push('\n');
    }
    s
}

const SOURCE_REGION: &str =
    "Sintetis: laporan kinerja tahunan kantor wilayah, dibuat oleh rekap::generate";
const SOURCE_OFFICES: &str =
    "Sintetis: rekap laporan bulanan kantor cabang, dibuat oleh rekap::generate";
const SOURCE_CSV: &str = "Sintetis: ekspor lembar kerja keuangan, dibuat oleh rekap::generate";

fn yaml_target(unit: Unit, t: Target) -> String {
    match t {
        Target::Value(v) => amount(unit, v),
        Target::Growth(g) => format!("{{growth: {g}%}}"),
        Target::GrowthValue(g, v) => format!("{{growth: {g}%, value: {v}}}"),
    }
}

fn write_figures(plan: &Plan, out: &mut Out) -> io::Result<()> {
    let csv = plan.csv_metric;
    // The CSV file holds the later half of the periods of its metric.
    let csv_from = plan.years.len() / 2;
    for (p, year) in plan.years.iter().enumerate() {
        for (file, offices, source) in [
            ("wilayah", false, SOURCE_REGION),
            ("kantor", true, SOURCE_OFFICES),
        ] {
            let mut s = format!(
                "# {} figures for {year}, generated.\nsource: {}\nfigures:\n",
                if offices {
                    "Branch-office"
                } else {
                    "Region and province"
                },
                q(source)
            );
            let mut n = 0;
            for (e, ent) in plan.entities.iter().enumerate() {
                if (ent.kind == Kind::Office) != offices {
                    continue;
                }
                for (m, met) in plan.metrics.iter().enumerate() {
                    if Some(m) == csv && p >= csv_from {
                        continue;
                    }
                    let Some(f) = plan.figs[e][m][p] else {
                        continue;
                    };
                    let target = yaml_target(met.unit, f.target);
                    let actual = amount(met.unit, f.actual);
                    if n % 97 == 0 {
                        // Now and then a record in block style, with a note and its own source.
                        let _ = write!(
                            s,
                            "  - entity: {}\n    metric: {}\n    period: {year}\n    target: {target}\n    actual: {actual}\n    note:\n      id: {}\n      en: {}\n    source: {}\n",
                            ent.id,
                            met.id,
                            q("Angka sintetis untuk pengujian."),
                            q("Synthetic figure for testing."),
                            q("Sintetis: catatan rapat evaluasi triwulanan")
                        );
                    } else {
                        let _ = writeln!(
                            s,
                            "  - {{entity: {}, metric: {}, period: {year}, target: {target}, actual: {actual}}}",
                            ent.id, met.id
                        );
                    }
                    n += 1;
                    out.stats.figures += 1;
                }
            }
            if n > 0 {
                out.write(&format!("content/data/figures/{year}-{file}.yaml"), &s)?;
            }
        }
    }
    if let Some(m) = csv {
        let met = &plan.metrics[m];
        let mut s = String::from("entity,metric,period,target,target_growth,actual,source\n");
        for (e, ent) in plan.entities.iter().enumerate() {
            for (p, year) in plan.years.iter().enumerate().skip(csv_from) {
                let Some(f) = plan.figs[e][m][p] else {
                    continue;
                };
                let (target, growth) = match f.target {
                    Target::Value(v) => (amount(met.unit, v), String::new()),
                    Target::Growth(g) => (String::new(), format!("{g}%")),
                    Target::GrowthValue(g, v) => (v.to_string(), format!("{g}%")),
                };
                let _ = writeln!(
                    s,
                    "{},{},{year},{target},{growth},{},\"{SOURCE_CSV}\"",
                    ent.id,
                    met.id,
                    amount(met.unit, f.actual)
                );
                out.stats.figures += 1;
            }
        }
        out.write(&format!("content/data/figures/{}.csv", met.id), &s)?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// Markdown content

const FIRST_NAMES: [&str; 20] = [
    "Ahmad",
    "Budi",
    "Siti",
    "Dewi",
    "Rizky",
    "Agus",
    "Sri",
    "Putri",
    "Hendra",
    "Yohanes",
    "Maria",
    "Fransiska",
    "Muhammad",
    "Nur",
    "Wahyu",
    "Rudi",
    "Lestari",
    "Andi",
    "Intan",
    "Made",
];
const LAST_NAMES: [&str; 20] = [
    "Lubis",
    "Siregar",
    "Hermawan",
    "Basir",
    "Wijaya",
    "Santoso",
    "Pratama",
    "Nasution",
    "Kurniawan",
    "Saputra",
    "Rahman",
    "Tambunan",
    "Sinaga",
    "Manurung",
    "Mokoginta",
    "Paputungan",
    "Lapian",
    "Wowor",
    "Pattikawa",
    "Latuconsina",
];

const HEADINGS: [&str; 10] = [
    "Latar belakang",
    "Capaian tahun berjalan",
    "Strategi yang disepakati",
    "Tanggapan pemerintah daerah",
    "Langkah berikutnya",
    "Rincian per unit kerja",
    "Tantangan di lapangan",
    "Dukungan mitra",
    "Pelayanan peserta",
    "Catatan pimpinan",
];

/// Sentences with placeholders: {ent}, {city}, {year}, {person}, {metric}, {n}.
const SENTENCES: [&str; 24] = [
    "{ent} terus memperluas jangkauan pelayanan kepada pekerja formal maupun informal di {city}.",
    "Sepanjang {year}, petugas lapangan mengunjungi {n} perusahaan untuk memastikan seluruh karyawan terdaftar.",
    "Menurut {person}, kerja sama dengan pemerintah daerah menjadi kunci untuk menjangkau pemberi kerja yang belum patuh.",
    "Sosialisasi dilakukan di pasar, pelabuhan dan kawasan industri agar manfaat program dikenal lebih luas.",
    "Capaian {metric} pada {year} menjadi pijakan untuk menetapkan sasaran yang lebih tinggi.",
    "Para kepala kantor cabang diminta menyusun rencana kerja triwulanan yang terukur.",
    "{person} menegaskan bahwa kualitas data kepesertaan harus dijaga sejak pendaftaran pertama.",
    "Pelayanan klaim dipercepat dengan memanfaatkan kanal daring sehingga peserta tidak perlu datang ke kantor.",
    "Di {city}, sebanyak {n} pekerja bukan penerima upah mendaftar melalui agen lapangan.",
    "Pemerintah daerah mendukung kebijakan yang mensyaratkan kepesertaan bagi perusahaan yang mengurus izin usaha.",
    "Evaluasi dilakukan setiap bulan dengan membandingkan realisasi terhadap target yang telah ditetapkan.",
    "Peningkatan {metric} tidak lepas dari peran mitra perbankan dan koperasi di daerah.",
    "Kantor cabang perintis di wilayah terpencil mendapat dukungan tambahan berupa mobil layanan keliling.",
    "{ent} juga mencatat kenaikan jumlah perusahaan yang membayar iuran tepat waktu.",
    "Forum komunikasi dengan asosiasi pengusaha digelar di {city} untuk membahas kendala kepatuhan.",
    "Target tahun {year} disusun bersama seluruh unit kerja dengan memperhatikan potensi ekonomi setempat.",
    "Sebagian besar peserta baru berasal dari sektor perdagangan, perikanan dan pertanian.",
    "Petugas juga membantu {n} ahli waris peserta mengurus jaminan kematian.",
    "{person} mengapresiasi kerja keras seluruh jajaran yang tetap melayani di tengah keterbatasan sarana.",
    "Data kepesertaan diperbarui secara berkala agar laporan kepada pemangku kepentingan tetap akurat.",
    "Program edukasi bagi pekerja muda digelar bersama sekolah kejuruan dan perguruan tinggi di {city}.",
    "Kolaborasi lintas lembaga diharapkan mempercepat perlindungan bagi seluruh pekerja di {ent}.",
    "Rapat evaluasi berikutnya dijadwalkan pada akhir triwulan untuk meninjau kemajuan setiap kantor.",
    "Masyarakat dapat memantau perkembangan capaian melalui situs ini dan media sosial resmi.",
];

const LIST_ITEMS: [&str; 12] = [
    "**Sosialisasi massal** kepada perusahaan dan pekerja informal.",
    "**Kerja sama perizinan** dengan pelayanan terpadu satu pintu.",
    "**Agen lapangan** yang dibayar menurut hasil kerjanya.",
    "**Layanan keliling** ke kecamatan yang jauh dari kantor cabang.",
    "**Pemutakhiran data** peserta dan pemberi kerja setiap bulan.",
    "**Penagihan iuran** yang tertunggak secara bertahap.",
    "**Kanal daring** untuk pendaftaran dan klaim.",
    "**Forum pengusaha** setiap triwulan.",
    "**Pelatihan petugas** pelayanan garis depan.",
    "**Kemitraan** dengan perbankan, koperasi dan kantor pos.",
    "**Pendampingan** bagi perusahaan kecil dan menengah.",
    "**Kampanye** di radio dan media sosial daerah.",
];

const TITLE_FORMS: [&str; 8] = [
    "{ent} Catat Kenaikan {metric} pada {year}",
    "{ent} Perkuat Layanan bagi Pekerja di {city}",
    "Rapat Evaluasi {ent} Bahas Capaian {year}",
    "{ent} Bidik Target {metric} yang Lebih Tinggi",
    "Pemerintah Daerah Dukung Perluasan Kepesertaan di {city}",
    "{ent} Gelar Sosialisasi di Kawasan Industri {city}",
    "Kinerja {metric} {ent} Sepanjang {year}",
    "{ent} Percepat Pelayanan Klaim Peserta",
];

/// A generated Markdown file.
struct Doc {
    slug: String,
    text: String,
}

fn person(rng: &mut Rng) -> String {
    format!("{} {}", rng.pick(&FIRST_NAMES), rng.pick(&LAST_NAMES))
}

fn fill(template: &str, plan: &Plan, rng: &mut Rng, e: usize, year: i32) -> String {
    let ent = &plan.entities[e];
    let mut s = template.to_string();
    if s.contains("{person}") {
        s = s.replace("{person}", &person(rng));
    }
    if s.contains("{metric}") {
        let m = rng.below(plan.metrics.len());
        s = s.replace("{metric}", &plan.metrics[m].name.to_lowercase());
    }
    if s.contains("{n}") {
        s = s.replace("{n}", &int_id(rng.range(12, 4_800)));
    }
    s.replace("{ent}", &ent.name)
        .replace("{city}", &ent.city)
        .replace("{year}", &year.to_string())
}

fn title_case_metric(s: &str) -> String {
    s.split(' ')
        .map(|w| {
            let mut c = w.chars();
            match c.next() {
                Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
                None => String::new(),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn paragraph(plan: &Plan, rng: &mut Rng, e: usize, year: i32, sentences: usize) -> String {
    let mut s = String::new();
    for i in 0..sentences {
        if i > 0 {
            s.push(' ');
        }
        s.push_str(&fill(rng.pick(&SENTENCES), plan, rng, e, year));
    }
    s
}

/// An inline value: a shortcode, or in plain mode the text it stands for.
fn value_ref(
    plan: &Plan,
    plain: bool,
    e: usize,
    m: usize,
    p: usize,
    show: &str,
    with_entity: bool,
) -> String {
    if plain {
        return match show {
            "target" => plan.shown_text(e, m, p, true),
            "attainment" => {
                let (a, t) = plan.shown[e][m][p];
                format!("{}%", decimal_id(100.0 * a / t, 1))
            }
            "growth" => {
                let now = plan.shown[e][m][p].0;
                let before = plan.shown[e][m][p - 1].0;
                let g = 100.0 * (now / before - 1.0);
                format!("{}{}%", if g > 0.0 { "+" } else { "" }, decimal_id(g, 1))
            }
            _ => plan.shown_text(e, m, p, false),
        };
    }
    let mut s = String::from("{{< value");
    if with_entity {
        let _ = write!(s, " entity=\"{}\"", plan.entities[e].id);
    }
    let _ = write!(
        s,
        " metric=\"{}\" period={}",
        plan.metrics[m].id, plan.years[p]
    );
    if show != "actual" {
        let _ = write!(s, " show=\"{show}\"");
    }
    s.push_str(" >}}");
    s
}

/// Release `i`. In plain mode, no shortcodes and only title, date and summary.
fn release(plan: &Plan, i: usize, meetings: &[&str], plain: bool) -> Doc {
    let mut rng = Rng::new(plan.spec.seed, 1_000_000 + i as u64);
    let ne = plan.entities.len();
    let np = plan.years.len();
    // Mostly offices, sometimes provinces, now and then the region.
    let e = rng.below(ne);
    let p = rng.below(np);
    let year = plan.years[p];
    let month = 1 + rng.below(12);
    let day = 1 + rng.below(28);
    let date = format!("{year}-{month:02}-{day:02}");
    let ent = &plan.entities[e];
    let m_title = rng.below(plan.metrics.len());
    let title = rng
        .pick(&TITLE_FORMS)
        .replace("{ent}", &ent.name)
        .replace("{city}", &ent.city)
        .replace("{year}", &year.to_string())
        .replace("{metric}", &title_case_metric(plan.metrics[m_title].name));
    let slug = format!(
        "{date}-{}-{:05}",
        slug_part(&title)
            .split('-')
            .take(6)
            .collect::<Vec<_>>()
            .join("-"),
        i + 1
    );
    let summary = paragraph(plan, &mut rng, e, year, 1);

    let mut fm = format!("---\ntitle: {}\ndate: {date}\n", q(&title));
    if !plain {
        let _ = writeln!(fm, "entity: {}", ent.id);
        let tags: Vec<&str> = (0..1 + rng.below(3))
            .map(|_| {
                rng.pick(&[
                    "kepesertaan",
                    "iuran",
                    "klaim",
                    "sosialisasi",
                    "target",
                    "kemitraan",
                    "pelayanan",
                ])
            })
            .collect();
        let mut tags = tags;
        tags.sort_unstable();
        tags.dedup();
        let _ = writeln!(fm, "tags: [{}]", tags.join(", "));
        if !meetings.is_empty() && rng.chance(0.2) {
            let _ = writeln!(fm, "meeting: {}", rng.pick(meetings));
        }
    }
    let _ = writeln!(fm, "summary: {}", q(&summary));
    fm.push_str("---\n\n");

    // Which figures the release shows.
    let m1 = rng.below(plan.metrics.len());
    let m2 = rng.below(plan.metrics.len());
    let e2 = rng.below(ne);
    let mut body = String::new();
    let city = ent.city.to_uppercase();
    let _ = write!(
        body,
        "**{city}, {day} {} {year}** – {} Hingga akhir periode, {} tercatat sebesar {}.\n\n",
        rekap::format::month_name(month as u8, rekap::model::Lang::Id),
        paragraph(plan, &mut rng, e, year, 2),
        plan.metrics[m1].name.to_lowercase(),
        value_ref(plan, plain, e2, m1, p, "actual", true),
    );
    let _ = write!(
        body,
        "## {}\n\n{} Capaian terhadap target mencapai {}.\n\n",
        rng.pick(&HEADINGS),
        {
            let n = 3 + rng.below(2);
            paragraph(plan, &mut rng, e, year, n)
        },
        value_ref(plan, plain, e, m2, p, "attainment", false),
    );
    for _ in 0..3 + rng.below(3) {
        let _ = writeln!(body, "- {}", rng.pick(&LIST_ITEMS));
    }
    body.push('\n');

    // A static table with the figures as text.
    let pp = p.saturating_sub(1);
    let _ = write!(
        body,
        "## {}\n\n| Indikator | {} | {} |\n| --- | ---: | ---: |\n",
        rng.pick(&HEADINGS),
        plan.years[pp],
        year
    );
    for m in 0..plan.metrics.len().min(4) {
        let _ = writeln!(
            body,
            "| {} | {} | {} |",
            plan.metrics[m].name,
            plan.shown_text(e, m, pp, false),
            plan.shown_text(e, m, p, false)
        );
    }
    body.push('\n');

    // A block shortcode: a card, or a table of a parent's children.
    let parents = &plan.parent_list;
    if rng.chance(0.6) {
        let m3 = rng.below(plan.metrics.len());
        if plain {
            let _ = write!(
                body,
                "**{} {}, {year}: {}**\n\n",
                plan.metrics[m3].name,
                ent.name,
                plan.shown_text(e, m3, p, false)
            );
        } else if !parents.is_empty() && rng.chance(0.4) {
            let pe = rng.pick(parents);
            let _ = write!(
                body,
                "{{{{< table entity=\"{}\" metric=\"{}\" period={year} >}}}}\n\n",
                plan.entities[pe].id, plan.metrics[m3].id
            );
        } else {
            let _ = write!(
                body,
                "{{{{< card entity=\"{}\" metric=\"{}\" period={year} >}}}}\n\n",
                ent.id, plan.metrics[m3].id
            );
        }
    }

    // Fill to a realistic length, 1 to 3 KB.
    let want = 1_000 + rng.below(2_000);
    let mut extra = String::new();
    while body.len() + extra.len() < want {
        let _ = write!(extra, "{}\n\n", {
            let n = 2 + rng.below(3);
            paragraph(plan, &mut rng, e, year, n)
        });
        if rng.chance(0.3) {
            let _ = write!(extra, "### {}\n\n", rng.pick(&HEADINGS));
        }
    }
    body.push_str(&extra);
    let growth = if p > 0 {
        format!(
            ", tumbuh {} dibanding tahun sebelumnya",
            value_ref(plan, plain, e, m1, p, "growth", true)
        )
    } else {
        String::new()
    };
    let _ = write!(
        body,
        "Angka lengkap dapat dilihat pada halaman {}{growth}.[^1]\n\n[^1]: Angka {year} bersifat sintetis dan dibuat untuk pengujian; target {} adalah {}.\n",
        ent.name,
        plan.metrics[m1].name.to_lowercase(),
        plan.shown_text(e2, m1, p, true),
    );
    Doc {
        slug,
        text: fm + &body,
    }
}

fn meetings(plan: &Plan) -> Vec<Doc> {
    let mut out = Vec::with_capacity(plan.spec.meetings);
    let holders = if plan.parent_list.is_empty() {
        vec![0]
    } else {
        plan.parent_list.clone()
    };
    for i in 0..plan.spec.meetings {
        let mut rng = Rng::new(plan.spec.seed, 2_000_000 + i as u64);
        let e = rng.pick(&holders);
        let ent = &plan.entities[e];
        let p = rng.below(plan.years.len());
        let year = plan.years[p];
        let month = 1 + rng.below(2);
        let day = 1 + rng.below(28);
        let date = format!("{year}-{month:02}-{day:02}");
        let slug = format!("{date}-rakor-{}-{:04}", slug_part(&ent.city), i + 1);
        let title = format!("Rapat Koordinasi {} {year}", ent.name);
        let mut s = format!(
            "---\ntitle: {}\ndate: {date}\nlocation: {}\nentity: {}\nsummary: {}\n",
            q(&title),
            q(&ent.city),
            ent.id,
            q(&format!(
                "Pimpinan {} menilai hasil {} dan menetapkan target {year}.",
                ent.name,
                year - 1
            ))
        );
        s.push_str("attendees:\n");
        let _ = write!(
            s,
            "  - name: {}\n    role: {}\n",
            q(&person(&mut rng)),
            q(&format!("Kepala {}", ent.name))
        );
        for &k in ent.children.iter().take(2 + rng.below(4)) {
            let _ = write!(
                s,
                "  - name: {}\n    role: {}\n",
                q(&person(&mut rng)),
                q(&format!("Kepala {}", plan.entities[k].name))
            );
        }
        let _ = write!(
            s,
            "  - name: {}\n    role: {}\n",
            q(&format!("Perwakilan pemerintah daerah {}", ent.city)),
            q("Undangan")
        );
        s.push_str("decisions:\n");
        for d in 0..2 + rng.below(3) {
            let text = fill(rng.pick(&SENTENCES), plan, &mut rng, e, year);
            if d == 1 {
                let _ = write!(s, "  - text: {}\n    audience: public\n", q(&text));
            } else {
                let _ = writeln!(s, "  - {}", q(&text));
            }
        }
        // Targets set: the meeting's own records, then a few of its children's.
        let mut targets = Vec::new();
        for m in 0..plan.metrics.len() {
            if plan.has_record(e, m, p) {
                targets.push(format!(
                    "  - metric: {}\n    period: {year}\n",
                    plan.metrics[m].id
                ));
            }
        }
        for &k in ent.children.iter().take(3) {
            let m = rng.below(plan.metrics.len());
            if plan.has_record(k, m, p) {
                targets.push(format!(
                    "  - metric: {}\n    period: {year}\n    entity: {}\n",
                    plan.metrics[m].id, plan.entities[k].id
                ));
            }
        }
        if !targets.is_empty() {
            s.push_str("targets:\n");
            for t in targets {
                s.push_str(&t);
            }
        }
        s.push_str("---\n\n");
        let m = rng.below(plan.metrics.len());
        let _ = write!(
            s,
            "## Latar belakang\n\n{}\n\n## Evaluasi hasil\n\n{} Realisasi {} tahun ini tercatat {}, dengan capaian {}.\n\n## Tindak lanjut\n\n",
            paragraph(plan, &mut rng, e, year, 3),
            paragraph(plan, &mut rng, e, year, 2),
            plan.metrics[m].name.to_lowercase(),
            value_ref(plan, false, e, m, p, "actual", false),
            value_ref(plan, false, e, m, p, "attainment", false),
        );
        for _ in 0..3 {
            let _ = writeln!(s, "1. {}", rng.pick(&LIST_ITEMS));
        }
        out.push(Doc { slug, text: s });
    }
    out
}

fn pages(plan: &Plan) -> Vec<(&'static str, String)> {
    let last = plan.years.len() - 1;
    let top = &plan.entities[0];
    let mut rng = Rng::new(plan.spec.seed, 3);
    let about = format!(
        "---\ntitle: Tentang situs ini\ndescription: {}\nmenu: 1\nslug: tentang\n---\n\n## Apa isi situs ini\n\n{}\n\n{{{{< card metric=\"{}\" period={} >}}}}\n\n## Sifat data\n\nSeluruh angka di situs ini **sintetis**: dibuat oleh generator untuk pengujian dan pengukuran kinerja, bukan data resmi.\n",
        q("Apa yang disajikan situs ini dan sifat datanya."),
        paragraph(plan, &mut rng, 0, plan.years[last], 4),
        plan.metrics[0].id,
        plan.years[last],
    );
    let method = format!(
        "---\ntitle: Metodologi\ndescription: {}\nmenu: 2\n---\n\n## Capaian\n\nCapaian adalah realisasi dibagi target. Untuk {}, capaian {} pada {} adalah {}.\n\n## Agregasi\n\n| Aturan | Arti |\n| --- | --- |\n| sum | jumlah anak |\n| mean | rata-rata anak |\n\n{}\n",
        q("Cara menghitung capaian, pertumbuhan dan status."),
        top.name,
        plan.metrics[0].name.to_lowercase(),
        plan.years[last],
        value_ref(plan, false, 0, 0, last, "attainment", false),
        paragraph(plan, &mut rng, 0, plan.years[last], 3),
    );
    vec![("tentang", about), ("metodologi", method)]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splitmix_is_the_reference_sequence() {
        // First output of SplitMix64 seeded with 0 (reference implementation).
        let mut r = Rng(0);
        assert_eq!(r.next(), 0xE220_A839_7B1D_CDAF);
    }

    #[test]
    fn nice_rounds_to_three_significant_digits() {
        assert_eq!(nice(1_234_567.0), 1_230_000);
        assert_eq!(nice(999.4), 999);
        assert_eq!(int_id(1_234_567), "1.234.567");
        assert_eq!(money_id(1.26e9), "Rp1,3 miliar");
    }

    #[test]
    fn parents_report_exact_sums() {
        let plan = Plan::new(&GenSpec::small());
        for (e, ent) in plan.entities.iter().enumerate() {
            for m in 0..plan.metrics.len() {
                for p in 0..plan.years.len() {
                    let Some(f) = plan.figs[e][m][p] else {
                        continue;
                    };
                    if ent.children.is_empty() {
                        continue;
                    }
                    let kids: i64 = ent
                        .children
                        .iter()
                        .map(|&k| plan.figs[k][m][p].unwrap().actual)
                        .sum();
                    assert_eq!(f.actual, kids);
                }
            }
        }
    }
}

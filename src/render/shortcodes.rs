//! Expanding data shortcodes: inline values become text in the site's
//! language before Markdown is parsed; blocks (cards, tables, charts) are
//! rendered with their templates (`shortcodes/*.html`) and put in place of a
//! placeholder paragraph after it.

use serde::Serialize;
use tera::Context;

use super::markdown::{self, MarkdownOptions, Rendered};
use super::pages;
use super::templates::Templates;
use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use super::cells::CellView;
use super::chart_plan;
use super::chart_views::{ChartView, Charts};
use super::views::{Link, MetricView, Viewer};
use crate::diagnostics::Diagnostic;
use crate::format;
use crate::model::{Period, ShortcodeKind};
use crate::validate::shortcodes::{ChartKind, Resolved, Show};
use crate::validate::{EntityIdx, MetricIdx};

/// Marks a block placeholder; a private-use character never typed in prose.
const MARK: char = '\u{E000}';

fn placeholder(i: usize) -> String {
    format!("{MARK}rekap-block-{i}{MARK}")
}

/// Escapes Markdown punctuation in a generated value so it stays text.
fn md_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '~' | '!' | '{' | '}'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The text an inline `value` shortcode stands for.
pub fn inline_value(v: &Viewer, sc: &Resolved) -> String {
    let (Some(m), Some(p)) = (sc.metric, sc.period) else {
        return format::MISSING.to_string();
    };
    let Some(c) = v.report.get(sc.entity, m, p) else {
        return format::MISSING.to_string();
    };
    let metric = &v.site.metrics[m];
    let cell = v.cell(c);
    match sc.show {
        Show::Actual => v.value(metric, c.actual, sc.compact),
        Show::Target => v.value(metric, c.target, sc.compact),
        Show::Attainment => cell.attainment_fmt.clone(),
        Show::Growth => cell.growth_fmt.clone(),
        Show::Change => cell.change_fmt.clone(),
        Show::Gap => cell.gap_fmt.clone(),
        Show::Status => format!("{} {}", cell.status_symbol, cell.status_label),
        Show::TargetGrowth => cell.target_growth_fmt.clone(),
        Show::Ytd => cell
            .span_label
            .clone()
            .unwrap_or_else(|| cell.period_label.clone()),
        Show::Pace => cell
            .pace_fmt
            .clone()
            .unwrap_or_else(|| format::MISSING.into()),
        Show::Expected => v.value(metric, c.expected, sc.compact),
        Show::Progress => cell
            .progress_label
            .map(str::to_string)
            .unwrap_or_else(|| format::MISSING.into()),
    }
}

/// What a card shows.
#[derive(Serialize)]
pub struct CardCtx<'a> {
    entity: Link,
    metric: MetricView,
    cell: Option<Cow<'a, CellView>>,
    next: Option<Cow<'a, CellView>>,
}

/// What one shortcode shows: the values its HTML (or, inline, its text)
/// is made from, and nothing else. A body is a function of its text, its
/// shortcodes, what they show and the templates (see [`render_body`],
/// which is given no site): a digest of what its shortcodes show tells a
/// body that would be rendered the same.
#[derive(Serialize)]
pub enum Shown<'a> {
    /// A card: one figure of an entity.
    Card(Box<CardCtx<'a>>),
    /// A ranked table of an entity's children.
    Table(pages::Breakdown<'a>),
    /// A chart (`None`: not drawn, shown as nothing).
    Chart(Option<&'a ChartView>),
    /// An inline value, written.
    Value(String),
    /// A custom shortcode: its arguments, in the site's language.
    Custom {
        /// The arguments as written.
        args: std::collections::BTreeMap<String, String>,
        /// The language code.
        lang: &'static str,
    },
}

/// What `sc` shows, from the site `v` sees and the charts drawn.
pub fn shown<'a>(v: &'a Viewer, sc: &Resolved, charts: &'a Charts) -> Shown<'a> {
    match sc.kind {
        ShortcodeKind::Card => {
            let m = sc.metric.expect("validated");
            let (cell, next) = match sc.period {
                Some(p) => (v.report.get(sc.entity, m, p), None),
                None => {
                    let h = v.headline(sc.entity, m);
                    (h.current.or(h.latest), h.next)
                }
            };
            Shown::Card(Box::new(CardCtx {
                entity: v.entity_link(sc.entity),
                metric: v.metric(m),
                cell: cell.map(|c| v.cell(c)),
                next: next.map(|c| v.cell(c)),
            }))
        }
        ShortcodeKind::Table => {
            let (m, p) = (sc.metric.expect("validated"), sc.period.expect("validated"));
            Shown::Table(pages::breakdown(v, sc.entity, m, p))
        }
        ShortcodeKind::Chart => Shown::Chart(
            chart_plan::shortcode_chart_key(v, sc)
                .and_then(|k| {
                    v.report.note_chart(&k);
                    charts.get(&k)
                })
                .map(|c| &**c),
        ),
        ShortcodeKind::Value => Shown::Value(inline_value(v, sc)),
        ShortcodeKind::Custom => Shown::Custom {
            args: sc
                .custom
                .as_ref()
                .expect("resolved with its call")
                .args
                .clone(),
            lang: v.lang.code(),
        },
    }
}

/// Notes in `v`'s reader what showing `sc` can read of the figures: the
/// values of its entity and of that entity's children (a card, a value, a
/// table of the children, the period a chart shows), and its chart.
pub fn note_reads(v: &Viewer, sc: &Resolved) {
    if sc.kind == ShortcodeKind::Custom {
        // Its arguments and the language only.
        return;
    }
    v.report.note_entity(sc.entity);
    for &k in v.site.hierarchy.children(sc.entity) {
        v.report.note_entity(k);
    }
    if sc.kind == ShortcodeKind::Chart
        && let Some(k) = chart_plan::shortcode_chart_key(v, sc)
    {
        v.report.note_chart(&k);
    }
}

/// The HTML of the block shortcode `sc`, which shows `shown`.
fn block(t: &Templates, sc: &Resolved, shown: &Shown) -> Result<String, Diagnostic> {
    let mut ctx = Context::new();
    let template = match shown {
        Shown::Card(card) => {
            ctx.insert("card", card);
            "shortcodes/card.html"
        }
        Shown::Table(b) => {
            ctx.insert("b", b);
            "shortcodes/table.html"
        }
        Shown::Chart(None) => return Ok(String::new()),
        Shown::Chart(Some(chart)) => {
            ctx.insert("chart", chart);
            "shortcodes/chart.html"
        }
        Shown::Value(text) => return Ok(md_escape(text)),
        Shown::Custom { args, lang } => {
            let call = sc.custom.as_ref().expect("resolved with its call");
            ctx.insert("args", args);
            ctx.insert("lang", lang);
            return t.render(&call.template(), &ctx).map_err(|mut d| {
                d.message = format!(
                    "{} (rendering the shortcode `{}` at {})",
                    d.message, call.name, sc.origin
                );
                d
            });
        }
    };
    t.render(template, &ctx).map_err(|mut d| {
        d.message = format!("{} (rendering the shortcode at {})", d.message, sc.origin);
        d
    })
}

/// What a block shortcode's HTML depends on: every field of the shortcode
/// but where it is written (two charts that differ only in their `by` are
/// two charts).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct BlockKey {
    kind: ShortcodeKind,
    entity: EntityIdx,
    metric: Option<MetricIdx>,
    metrics: Vec<MetricIdx>,
    period: Option<Period>,
    chart: Option<ChartKind>,
    by: Option<usize>,
    show: crate::validate::shortcodes::Show,
    compact: bool,
    custom: Option<crate::model::CustomCall>,
}

impl BlockKey {
    fn of(sc: &Resolved) -> BlockKey {
        BlockKey {
            kind: sc.kind,
            entity: sc.entity,
            metric: sc.metric,
            metrics: sc.metrics.clone(),
            period: sc.period,
            chart: sc.chart,
            by: sc.by,
            show: sc.show,
            compact: sc.compact,
            custom: sc.custom.clone(),
        }
    }
}

/// Block shortcodes rendered so far in this build, and the digests of
/// what they show: the same card, table or chart written in many releases
/// is made once.
#[derive(Debug, Default)]
pub struct Blocks {
    html: Mutex<HashMap<BlockKey, Arc<str>>>,
    digests: Mutex<HashMap<BlockKey, Option<u128>>>,
}

impl Blocks {
    fn get_or_render(
        &self,
        sc: &Resolved,
        render: impl FnOnce() -> Result<String, Diagnostic>,
    ) -> Result<Arc<str>, Diagnostic> {
        let key = BlockKey::of(sc);
        if let Some(html) = lock(&self.html).get(&key) {
            return Ok(html.clone());
        }
        let html: Arc<str> = render()?.into();
        lock(&self.html).insert(key, html.clone());
        Ok(html)
    }

    /// The digest of what `sc` shows (`show` says), made once per block.
    fn digest(&self, sc: &Resolved, show: &Showing<'_>) -> Option<u128> {
        if !sc.kind.is_block() && sc.kind != ShortcodeKind::Custom {
            // An inline value is cheaper to make than to look up.
            return crate::digest::of(&show(sc)).ok();
        }
        let key = BlockKey::of(sc);
        if let Some(digest) = lock(&self.digests).get(&key) {
            return *digest;
        }
        let digest = crate::digest::of(&show(sc)).ok();
        lock(&self.digests).insert(key, digest);
        digest
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// What each shortcode of a body shows (see [`shown`]).
pub type Showing<'a> = dyn Fn(&Resolved) -> Shown<'a> + Sync + 'a;

/// The key of a body whose shortcodes `shortcodes` show what `show` says,
/// from `key`, the key of all else it is made from (its text, shortcodes,
/// reserved ids, language, options and templates): two bodies of the same
/// key are rendered alike by [`render_body`]. `None` if what some
/// shortcode shows cannot be digested.
pub fn shown_key(
    key: u128,
    shortcodes: &[Resolved],
    show: &Showing<'_>,
    cache: &Blocks,
) -> Option<u128> {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    h.update(&key.to_le_bytes());
    for sc in shortcodes {
        h.update(&cache.digest(sc, show)?.to_le_bytes());
    }
    Some(h.digest128())
}

/// Renders a Markdown body with its shortcodes expanded (block shortcodes
/// through `cache`), its element ids unique and none of `reserved` (the ids
/// of what the page shows around it). What a shortcode shows is all it
/// learns of the site (`show`).
///
/// # Errors
///
/// A shortcode template that fails to render, at the shortcode's place.
pub fn render_body(
    t: &Templates,
    body: &str,
    shortcodes: &[Resolved],
    show: &Showing<'_>,
    opts: MarkdownOptions,
    cache: &Blocks,
    reserved: &[String],
) -> Result<Rendered, Diagnostic> {
    if shortcodes.is_empty() {
        return Ok(markdown::render_reserving(body, opts, reserved));
    }
    let mut text = String::with_capacity(body.len() + 64);
    let mut blocks = Vec::new();
    let mut last = 0;
    for sc in shortcodes {
        text.push_str(&body[last..sc.range.start]);
        if sc.kind.is_block() {
            let i = blocks.len();
            blocks.push(cache.get_or_render(sc, || block(t, sc, &show(sc)))?);
            text.push_str("\n\n");
            text.push_str(&placeholder(i));
            text.push_str("\n\n");
        } else if sc.kind == ShortcodeKind::Custom {
            // A paragraph of its own if written alone on a line, else inline.
            let i = blocks.len();
            blocks.push(cache.get_or_render(sc, || block(t, sc, &show(sc)))?);
            text.push_str(&placeholder(i));
        } else {
            text.push_str(&block(t, sc, &show(sc))?);
        }
        last = sc.range.end;
    }
    text.push_str(&body[last..]);
    let mut r = markdown::render_reserving(&text, opts, reserved);
    for (i, html) in blocks.iter().enumerate() {
        let ph = placeholder(i);
        let para = format!("<p>{ph}</p>\n");
        // The same chart twice in a body (or a chart and a heading that
        // slugs to its id): every id on the page stays unique.
        let html = unique_ids(html, &mut r.ids);
        if r.html.contains(&para) {
            r.html = r.html.replacen(&para, &html, 1);
        } else {
            r.html = r.html.replacen(&ph, &html, 1);
        }
        r.first_paragraph = r.first_paragraph.replace(&ph, "");
    }
    Ok(r)
}

/// `html` with each of its element ids that is in `taken` renamed (and
/// the references to it, `aria-labelledby` and `#id` links, with it); every
/// id it ends up with joins `taken`.
fn unique_ids<'a>(html: &'a str, taken: &mut std::collections::HashSet<String>) -> Cow<'a, str> {
    let ids: Vec<&str> = html
        .split(" id=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .collect();
    let mut out = Cow::Borrowed(html);
    for id in ids {
        if !taken.contains(id) {
            taken.insert(id.to_string());
            continue;
        }
        let new = markdown::unique_id(id, taken);
        let renamed = out
            .replace(&format!("\"{id}\""), &format!("\"{new}\""))
            .replace(&format!("\"{id} "), &format!("\"{new} "))
            .replace(&format!(" {id}\""), &format!(" {new}\""))
            .replace(&format!("\"#{id}\""), &format!("\"#{new}\""));
        out = Cow::Owned(renamed);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_block_shown_twice_gets_its_own_ids_the_second_time() {
        let svg = r#"<svg aria-labelledby="chart-1-title chart-1-desc"><title id="chart-1-title">t</title><desc id="chart-1-desc">d</desc></svg>"#;
        let mut taken = std::collections::HashSet::new();
        assert_eq!(unique_ids(svg, &mut taken), svg);
        let again = unique_ids(svg, &mut taken);
        assert_eq!(
            again,
            r#"<svg aria-labelledby="chart-1-title-1 chart-1-desc-1"><title id="chart-1-title-1">t</title><desc id="chart-1-desc-1">d</desc></svg>"#
        );
    }

    #[test]
    fn escaping_keeps_values_as_text() {
        assert_eq!(md_escape("Rp956 miliar"), "Rp956 miliar");
        assert_eq!(md_escape("*x*"), "\\*x\\*");
    }
}

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
use super::views::{Link, MetricView, Viewer};
use crate::diagnostics::Diagnostic;
use crate::format;
use crate::model::{Period, ShortcodeKind};
use crate::validate::shortcodes::{ChartKind, Resolved, Show};
use crate::validate::{EntityIdx, MetricIdx};

/// Renders the HTML of a `chart` shortcode.
pub type ChartHtml<'a> = dyn Fn(&Resolved) -> Result<String, Diagnostic> + Sync + 'a;

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

#[derive(Serialize)]
struct CardCtx<'a> {
    entity: Link,
    metric: MetricView,
    cell: Option<Cow<'a, CellView>>,
    next: Option<Cow<'a, CellView>>,
}

/// Renders one block shortcode to HTML.
fn block(
    v: &Viewer,
    t: &Templates,
    sc: &Resolved,
    charts: &ChartHtml,
) -> Result<String, Diagnostic> {
    let mut ctx = Context::new();
    let template = match sc.kind {
        ShortcodeKind::Card => {
            let m = sc.metric.expect("validated");
            let (cell, next) = match sc.period {
                Some(p) => (v.report.get(sc.entity, m, p), None),
                None => {
                    let h = v.headline(sc.entity, m);
                    (h.current.or(h.latest), h.next)
                }
            };
            ctx.insert(
                "card",
                &CardCtx {
                    entity: v.entity_link(sc.entity),
                    metric: v.metric(m),
                    cell: cell.map(|c| v.cell(c)),
                    next: next.map(|c| v.cell(c)),
                },
            );
            "shortcodes/card.html"
        }
        ShortcodeKind::Table => {
            let (m, p) = (sc.metric.expect("validated"), sc.period.expect("validated"));
            ctx.insert("b", &pages::breakdown(v, sc.entity, m, p));
            "shortcodes/table.html"
        }
        ShortcodeKind::Chart => return charts(sc),
        ShortcodeKind::Value => return Ok(md_escape(&inline_value(v, sc))),
        ShortcodeKind::Custom => {
            let call = sc.custom.as_ref().expect("resolved with its call");
            ctx.insert("args", &call.args);
            ctx.insert("lang", v.lang.code());
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

/// Block shortcodes rendered so far in this build: the same card, table or
/// chart written in many releases is rendered once.
#[derive(Debug, Default)]
pub struct Blocks(Mutex<HashMap<BlockKey, Arc<str>>>);

impl Blocks {
    fn get_or_render(
        &self,
        sc: &Resolved,
        render: impl FnOnce() -> Result<String, Diagnostic>,
    ) -> Result<Arc<str>, Diagnostic> {
        let key = BlockKey::of(sc);
        if let Some(html) = self.lock().get(&key) {
            return Ok(html.clone());
        }
        let html: Arc<str> = render()?.into();
        self.lock().insert(key, html.clone());
        Ok(html)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<BlockKey, Arc<str>>> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Renders a Markdown body with its shortcodes expanded (block shortcodes
/// through `cache`), its element ids unique and none of `reserved` (the ids
/// of what the page shows around it).
///
/// # Errors
///
/// A shortcode template that fails to render, at the shortcode's place.
#[allow(clippy::too_many_arguments)]
pub fn render_body(
    v: &Viewer,
    t: &Templates,
    body: &str,
    shortcodes: &[Resolved],
    opts: MarkdownOptions,
    charts: &ChartHtml,
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
            blocks.push(cache.get_or_render(sc, || block(v, t, sc, charts))?);
            text.push_str("\n\n");
            text.push_str(&placeholder(i));
            text.push_str("\n\n");
        } else if sc.kind == ShortcodeKind::Custom {
            // A paragraph of its own if written alone on a line, else inline.
            let i = blocks.len();
            blocks.push(cache.get_or_render(sc, || block(v, t, sc, charts))?);
            text.push_str(&placeholder(i));
        } else {
            text.push_str(&md_escape(&inline_value(v, sc)));
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

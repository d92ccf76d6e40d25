//! One element of a built page, instead of the whole page.
//!
//! A figure such as `117,4%` or a word such as `Tercapai` is on a page many
//! times (cards, tables, charts, a child's row), so `page.contains(..)`
//! passes whichever element shows it. These helpers cut out the element a
//! test means, the region's own headline card, the 2017 row of its own
//! table, a province's row in a ranking, by the page's stable markers (tag,
//! class, heading), and read its text as a reader sees it.
//!
//! The pages are HTML, not XML (`&nbsp;`, void tags), so this is string
//! slicing, not a parser: elements are matched by counting nested start and
//! end tags of the same name, which is all the default templates need.
//! Every lookup panics unless it finds exactly what it was asked for, so a
//! changed template fails a test loudly instead of making it pass vacuously.

#![allow(dead_code)]

/// Elements that have no end tag.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr",
];

/// Whether `html[i..]` starts the tag `<name` (or `</name` when `close`),
/// followed by a space, `>` or `/`, so that `<th` does not match `<thead>`.
fn tag_at(html: &str, i: usize, name: &str, close: bool) -> bool {
    let open = if close { "</" } else { "<" };
    let rest = &html[i..];
    if !rest.starts_with(open) {
        return false;
    }
    let rest = &rest.as_bytes()[open.len()..];
    rest.len() > name.len()
        && rest[..name.len()].eq_ignore_ascii_case(name.as_bytes())
        && matches!(rest[name.len()], b' ' | b'\n' | b'\t' | b'\r' | b'>' | b'/')
}

/// The name of the start tag at `start` (which must be a `<`).
fn tag_name(html: &str, start: usize) -> &str {
    let rest = &html[start + 1..];
    let end = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
        .unwrap_or(rest.len());
    &rest[..end]
}

/// The end of the start tag that begins at `start` (just past its `>`).
fn start_tag_end(html: &str, start: usize) -> usize {
    let mut quote = None;
    for (i, c) in html[start..].char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '>') => return start + i + 1,
            _ => {}
        }
    }
    panic!("an unclosed start tag at byte {start}")
}

/// The element whose start tag begins at byte `start`, through its matching
/// end tag (nested elements of the same name counted).
pub fn element_at(html: &str, start: usize) -> &str {
    let name = tag_name(html, start).to_ascii_lowercase();
    assert!(!name.is_empty(), "no start tag at byte {start}");
    let head_end = start_tag_end(html, start);
    if VOID.contains(&name.as_str()) || html[..head_end].ends_with("/>") {
        return &html[start..head_end];
    }
    let mut depth = 1;
    let mut i = head_end;
    while let Some(off) = html[i..].find('<') {
        i += off;
        if tag_at(html, i, &name, true) {
            depth -= 1;
            if depth == 0 {
                let end = i + html[i..].find('>').expect("an end tag ends") + 1;
                return &html[start..end];
            }
        } else if tag_at(html, i, &name, false) {
            depth += 1;
        }
        i += 1;
    }
    panic!("<{name}> at byte {start} is never closed")
}

/// The start tag of `element`, e.g. `<tr class="best">`.
pub fn start_tag(element: &str) -> &str {
    &element[..start_tag_end(element, 0)]
}

/// The value of attribute `attr` in the start tag of `element`.
pub fn attr<'a>(element: &'a str, attr: &str) -> Option<&'a str> {
    let tag = start_tag(element);
    for quote in ['"', '\''] {
        let key = format!(" {attr}={quote}");
        if let Some(i) = tag.find(&key) {
            let rest = &tag[i + key.len()..];
            return Some(&rest[..rest.find(quote)?]);
        }
    }
    None
}

/// Whether the start tag of `element` has `class` among its classes.
pub fn has_class(element: &str, class: &str) -> bool {
    attr(element, "class").is_some_and(|c| c.split_whitespace().any(|x| x == class))
}

/// Every `<name>` element of `html` (with class `class`, when given), in
/// document order; elements inside others are listed too.
pub fn all<'a>(html: &'a str, name: &str, class: Option<&str>) -> Vec<&'a str> {
    let mut found = Vec::new();
    let mut i = 0;
    while let Some(off) = html[i..].find('<') {
        i += off;
        if tag_at(html, i, name, false) {
            let el = element_at(html, i);
            if class.is_none_or(|c| has_class(el, c)) {
                found.push(el);
            }
        }
        i += 1;
    }
    found
}

/// The one `<name>` element (with class `class`, when given) of `html`;
/// panics unless there is exactly one.
pub fn one<'a>(html: &'a str, name: &str, class: Option<&str>) -> &'a str {
    let found = all(html, name, class);
    assert_eq!(
        found.len(),
        1,
        "expected exactly one <{name}{}>, found {}",
        class.map(|c| format!(" class=\"{c}\"")).unwrap_or_default(),
        found.len()
    );
    found[0]
}

/// The text of the first heading (`<h1>` to `<h6>`, or a figure's
/// `<figcaption>`) inside `element`.
pub fn heading(element: &str) -> Option<String> {
    let mut best: Option<(usize, &str)> = None;
    for h in ["h1", "h2", "h3", "h4", "h5", "h6", "figcaption"] {
        if let Some(first) = all(&element[1..], h, None).first() {
            let at = first.as_ptr() as usize - element.as_ptr() as usize;
            if best.is_none_or(|(b, _)| at < b) {
                best = Some((at, first));
            }
        }
    }
    best.map(|(_, h)| text(h))
}

/// The one chart (`<figure class="chart">`) of `html` whose title (its
/// `<span class="chart-title">`, the finding) reads exactly `title`.
pub fn chart<'a>(html: &'a str, title: &str) -> &'a str {
    let charts = all(html, "figure", Some("chart"));
    let titles: Vec<String> = charts
        .iter()
        .map(|c| text(one(c, "span", Some("chart-title"))))
        .collect();
    let found: Vec<&str> = charts
        .iter()
        .zip(&titles)
        .filter(|(_, t)| t.as_str() == title)
        .map(|(c, _)| *c)
        .collect();
    assert_eq!(
        found.len(),
        1,
        "one chart titled {title:?}; titles: {titles:?}"
    );
    found[0]
}

/// The one `<name class="class">` element of `html` whose first heading reads
/// exactly `title`; panics unless there is exactly one.
pub fn titled<'a>(html: &'a str, name: &str, class: Option<&str>, title: &str) -> &'a str {
    let candidates = all(html, name, class);
    let found: Vec<&str> = candidates
        .iter()
        .copied()
        .filter(|el| heading(el).as_deref() == Some(title))
        .collect();
    assert_eq!(
        found.len(),
        1,
        "expected exactly one <{name}{}> headed {title:?}; headings found: {:?}",
        class.map(|c| format!(" class=\"{c}\"")).unwrap_or_default(),
        candidates.iter().map(|el| heading(el)).collect::<Vec<_>>()
    );
    found[0]
}

/// The one `<name>` element of `html` whose text contains `needle`; panics
/// unless there is exactly one (of elements that do not contain another
/// such element: the innermost).
pub fn containing<'a>(html: &'a str, name: &str, needle: &str) -> &'a str {
    let hits: Vec<&str> = all(html, name, None)
        .into_iter()
        .filter(|el| text(el).contains(needle))
        .collect();
    let innermost: Vec<&str> = hits
        .iter()
        .copied()
        .filter(|el| {
            !hits
                .iter()
                .any(|other| other.len() < el.len() && el.contains(*other))
        })
        .collect();
    assert_eq!(
        innermost.len(),
        1,
        "expected one <{name}> reading {needle:?}, found {}",
        innermost.len()
    );
    innermost[0]
}

/// Decodes the character references of text between tags.
pub fn decode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let Some(end) = rest.find(';').filter(|&e| e <= 10) else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let name = &rest[1..end];
        let c = match name {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            "nbsp" => Some('\u{a0}'),
            _ => name
                .strip_prefix("#x")
                .or_else(|| name.strip_prefix("#X"))
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .or_else(|| name.strip_prefix('#').and_then(|d| d.parse().ok()))
                .and_then(char::from_u32),
        };
        match c {
            Some(c) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Elements that sit inside a line of text: their tags separate nothing.
const INLINE: &[&str] = &[
    "a", "abbr", "b", "bdi", "code", "em", "i", "mark", "small", "span", "strong", "sub", "sup",
    "time",
];

/// What a reader sees of `fragment`: tags dropped (and the whole of any
/// inline `<svg>`), character references decoded, every run of white space
/// (no-break spaces included) one space, trimmed. The tags of block
/// elements and cells (`<dt>`, `<td>`, `<br>`, `<p>` ...) separate words.
pub fn text(fragment: &str) -> String {
    let mut raw = String::with_capacity(fragment.len());
    let mut i = 0;
    while let Some(off) = fragment[i..].find('<') {
        raw.push_str(&fragment[i..i + off]);
        i += off;
        if tag_at(fragment, i, "svg", false) {
            i += element_at(fragment, i).len();
        } else if fragment[i..].starts_with("<!--") {
            i += fragment[i..]
                .find("-->")
                .map_or(fragment.len() - i, |e| e + 3);
        } else {
            let name_at = if fragment[i..].starts_with("</") {
                i + 1
            } else {
                i
            };
            if !INLINE.contains(&tag_name(fragment, name_at).to_ascii_lowercase().as_str()) {
                raw.push(' ');
            }
            i = start_tag_end(fragment, i);
        }
    }
    raw.push_str(&fragment[i..]);
    decode(&raw)
        .split(|c: char| c.is_whitespace() || c == '\u{a0}')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// One row of a table: the texts of its cells (`<th>` and `<td>`, in order),
/// the key that names it, and the row itself.
#[derive(Debug, Clone)]
pub struct Row<'a> {
    /// The row header's text: the text of its link when it has one (so a
    /// "Best" badge beside a name is not part of the key).
    pub key: String,
    /// Every cell's text, the row header included.
    pub cells: Vec<String>,
    /// The `<tr>` element.
    pub html: &'a str,
}

impl Row<'_> {
    /// Whether the `<tr>` has the class `class` (`best`, `lagging`).
    pub fn has_class(&self, class: &str) -> bool {
        has_class(self.html, class)
    }
}

/// The cells of one `<tr>` element.
fn row_of(tr: &str) -> Row<'_> {
    let mut cells = Vec::new();
    let mut key = None;
    let mut i = start_tag_end(tr, 0);
    while let Some(off) = tr[i..].find('<') {
        i += off;
        let is_th = tag_at(tr, i, "th", false);
        if is_th || tag_at(tr, i, "td", false) {
            let cell = element_at(tr, i);
            if is_th && key.is_none() {
                key = Some(match all(cell, "a", None).first() {
                    Some(a) => text(a),
                    None => text(cell),
                });
            }
            cells.push(text(cell));
            i += cell.len();
        } else {
            i += 1;
        }
    }
    Row {
        key: key.unwrap_or_else(|| cells.first().cloned().unwrap_or_default()),
        cells,
        html: tr,
    }
}

/// The `<table>` that follows the `<h2>` reading `heading` (a table with
/// no element of its own around it, like a meeting's targets set).
pub fn table_after<'a>(page: &'a str, heading: &str) -> &'a str {
    let h2 = all(page, "h2", None)
        .into_iter()
        .find(|h| text(h) == heading)
        .unwrap_or_else(|| panic!("no <h2> reading {heading:?}"));
    let from = h2.as_ptr() as usize - page.as_ptr() as usize;
    let at = from
        + page[from..]
            .find("<table")
            .unwrap_or_else(|| panic!("no table after {heading:?}"));
    element_at(page, at)
}

/// The body rows (`<tbody>`) of the one table in `html`.
pub fn rows(html: &str) -> Vec<Row<'_>> {
    let tbody = one(html, "tbody", None);
    all(tbody, "tr", None).into_iter().map(row_of).collect()
}

/// The body row of the one table in `html` whose row header reads `key`;
/// panics unless there is exactly one.
pub fn row<'a>(html: &'a str, key: &str) -> Row<'a> {
    let rows = rows(html);
    let found: Vec<&Row> = rows.iter().filter(|r| r.key == key).collect();
    assert_eq!(
        found.len(),
        1,
        "expected one row {key:?}; rows: {:?}",
        rows.iter().map(|r| &r.key).collect::<Vec<_>>()
    );
    found[0].clone()
}

/// The keys of the body rows of the one table in `html`, in order.
pub fn row_keys(html: &str) -> Vec<String> {
    rows(html).into_iter().map(|r| r.key).collect()
}

// ------------------------------------------------- the default templates' parts

/// An entity's (or the home page's) headline card of a metric:
/// `<article class="card">` headed by the metric's name.
pub fn card<'a>(page: &'a str, metric_name: &str) -> &'a str {
    titled(page, "article", Some("card"), metric_name)
}

/// The "period in progress" part of a headline card.
pub fn card_current(card: &str) -> &str {
    one(card, "div", Some("card-current"))
}

/// The text of the status badge (`✓ Tercapai`) directly in `html`'s one
/// `<span class="status">`.
pub fn status(html: &str) -> String {
    text(one(html, "span", Some("status")))
}

/// An entity's own table of a metric, by period: `<section class="series">`
/// headed by the metric's name.
pub fn series<'a>(page: &'a str, metric_name: &str) -> &'a str {
    titled(page, "section", Some("series"), metric_name)
}

/// An entity's main table of a metric: the one `<table>` of its
/// `<section class="series">` that is not folded in a `<details>` (the years,
/// a year in progress as its year-to-date).
pub fn series_table<'a>(page: &'a str, metric_name: &str) -> &'a str {
    unfolded_table(series(page, metric_name))
}

/// The one `<table>` of `html` that is not folded in a `<details>`.
pub fn unfolded_table(html: &str) -> &str {
    let folds = all(html, "details", None);
    let main: Vec<&str> = all(html, "table", None)
        .into_iter()
        .filter(|t| !folds.iter().any(|d| contains_element(d, t)))
        .collect();
    assert_eq!(
        main.len(),
        1,
        "expected one table outside a <details>, found {}",
        main.len()
    );
    main[0]
}

/// An entity's table of a metric for one kind of period shorter than a year
/// (`half`, `quarter`, `month`): the `<details class="grain grain-KIND">` of
/// its `<section class="series">`, with the one table in it.
pub fn series_grain<'a>(page: &'a str, metric_name: &str, kind: &str) -> &'a str {
    one(
        series(page, metric_name),
        "details",
        Some(&format!("grain-{kind}")),
    )
}

/// Whether `inner` is a slice of `outer` (both slices of one page).
fn contains_element(outer: &str, inner: &str) -> bool {
    let (o, i) = (outer.as_ptr() as usize, inner.as_ptr() as usize);
    i >= o && i + inner.len() <= o + outer.len()
}

/// The ranking of an entity's children: `<div class="breakdown">` headed
/// e.g. `Iuran, 2017: rincian`.
pub fn breakdown<'a>(page: &'a str, title: &str) -> &'a str {
    titled(page, "div", Some("breakdown"), title)
}

/// The children's attainment in every period: `<div class="history">`
/// headed e.g. `Iuran: capaian per periode`.
pub fn history<'a>(page: &'a str, title: &str) -> &'a str {
    titled(page, "div", Some("history"), title)
}

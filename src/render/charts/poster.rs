//! The chart as a file people download and pass on (SVG and PNG): the
//! drawing with its title and subtitle above it and its source and the
//! site's name under it, so that it still says what it is, and whose,
//! away from the page.

use super::canvas::{self, FAMILY};
use super::svg::escape;
use super::{INK, INK_SOFT};

/// What a downloadable chart says around the drawing.
#[derive(Debug, Clone, Copy)]
pub struct Poster<'a> {
    /// The finding (`Iuran 2016 melampaui target: 117,4%`).
    pub title: &'a str,
    /// Unit, entity and period.
    pub subtitle: &'a str,
    /// The source line (`Sumber: ...`).
    pub source: &'a str,
    /// The site's name, and where it is published.
    pub site: &'a str,
}

/// Size of the title.
const TITLE: f64 = 20.0;
/// Size of the subtitle.
const SUBTITLE: f64 = 15.0;
/// Size of the source and site lines.
const FOOT: f64 = 13.0;
/// Left and right margin.
const MARGIN: f64 = 16.0;

/// `chart` (an SVG document drawn by this module) with `p`'s title and
/// subtitle above it and its source and site under it, as one SVG document
/// whose `<title>` is the title and whose `<desc>` is the chart's.
pub fn poster(chart: &str, p: &Poster) -> String {
    let (w, h) = view_box(chart).unwrap_or((640.0, 360.0));
    let room = w - 2.0 * MARGIN;
    let mut y = 14.0;
    let mut texts = String::new();
    let mut line = |text: &str, size: f64, color: super::canvas::Color, y: &mut f64| {
        *y += size * 1.3;
        let fill = format!("#{:02X}{:02X}{:02X}", color.0, color.1, color.2);
        texts.push_str(&format!(
            "<text x=\"{MARGIN}\" y=\"{y:.0}\" font-size=\"{size}\" fill=\"{fill}\">{}</text>\n",
            escape(text)
        ));
    };
    for l in wrap(p.title, TITLE, room, 3) {
        line(&l, TITLE, INK, &mut y);
    }
    for l in wrap(p.subtitle, SUBTITLE, room, 2) {
        line(&l, SUBTITLE, INK_SOFT, &mut y);
    }
    let top = y + 10.0;
    let mut y = top + h + 4.0;
    let rule = y + 2.0;
    y += 4.0;
    for l in wrap(p.source, FOOT, room, 3) {
        line(&l, FOOT, INK_SOFT, &mut y);
    }
    for l in wrap(p.site, FOOT, room, 2) {
        line(&l, FOOT, INK, &mut y);
    }
    let total = (y + 12.0).ceil();
    let (title_id, desc) = ids_and_desc(chart);
    let inner = chart
        .trim_end()
        .strip_prefix("<svg ")
        .map(|rest| format!("<svg x=\"0\" y=\"{top:.0}\" width=\"{w}\" height=\"{h}\" {rest}\n"))
        .unwrap_or_default();
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {total}\" role=\"img\" \
         aria-labelledby=\"{title_id}-poster-title {title_id}-poster-desc\" class=\"chart-poster\" \
         font-family=\"{FAMILY}\">\n\
         <title id=\"{title_id}-poster-title\">{}</title>\n\
         <desc id=\"{title_id}-poster-desc\">{}</desc>\n\
         <rect x=\"0\" y=\"0\" width=\"{w}\" height=\"{total}\" fill=\"#FFFFFF\"/>\n\
         {texts}<line x1=\"{MARGIN}\" y1=\"{rule:.0}\" x2=\"{x2}\" y2=\"{rule:.0}\" stroke=\"#BBBBBB\" stroke-width=\"1\"/>\n\
         {inner}</svg>\n",
        escape(&canvas::clean(p.title)),
        desc,
        x2 = w - MARGIN,
    )
}

/// `text` in lines of at most `room` units at `size`, at most `max` lines
/// (the last shortened with `…`).
fn wrap(text: &str, size: f64, room: f64, max: usize) -> Vec<String> {
    let text = canvas::clean(text);
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        let candidate = if current.is_empty() {
            word.to_string()
        } else {
            format!("{current} {word}")
        };
        if current.is_empty() || canvas::text_width(&candidate, size) <= room {
            current = candidate;
        } else {
            lines.push(std::mem::replace(&mut current, word.to_string()));
        }
    }
    if !current.is_empty() {
        lines.push(current);
    }
    if lines.len() > max {
        let rest = lines[max - 1..].join(" ");
        lines.truncate(max - 1);
        lines.push(rest);
    }
    lines
        .into_iter()
        .map(|l| canvas::fit(&l, size, room))
        .collect()
}

/// The width and height of a chart's `viewBox`.
fn view_box(svg: &str) -> Option<(f64, f64)> {
    let start = svg.find("viewBox=\"")? + 9;
    let rest = &svg[start..];
    let vb = &rest[..rest.find('"')?];
    let mut it = vb.split(' ').skip(2).map(|x| x.parse::<f64>().ok());
    Some((it.next()??, it.next()??))
}

/// The id stem of a chart's title and its `<desc>` element's escaped text.
fn ids_and_desc(svg: &str) -> (String, String) {
    let id = svg
        .find("<title id=\"")
        .map(|i| &svg[i + 11..])
        .and_then(|r| {
            r.find('"')
                .map(|j| r[..j].trim_end_matches("-title").to_string())
        })
        .unwrap_or_else(|| "chart".to_string());
    let desc = svg
        .find("<desc id=\"")
        .and_then(|i| {
            let r = &svg[i..];
            let open = r.find('>')? + 1;
            let close = r.find("</desc>")?;
            Some(r[open..close].to_string())
        })
        .unwrap_or_default();
    (id, desc)
}

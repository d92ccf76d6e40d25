//! Finding data shortcodes in Markdown: `{{< value metric="contributions" period=2016 >}}`.
//!
//! The `{{< ... >}}` delimiters never occur in Tera templates (which use
//! `{{ ... }}` and `{% ... %}`) nor in ordinary prose. Shortcodes inside code
//! spans and code blocks are left as written, so documentation can show them.

use std::collections::BTreeMap;
use std::ops::Range;

use pulldown_cmark::{Event, Options, Parser, Tag};

use crate::diagnostics::{Diagnostic, Diagnostics, did_you_mean};
use crate::model::{Origin, Pos, Shortcode, ShortcodeKind};

const OPEN: &str = "{{<";
const CLOSE: &str = ">}}";

/// Byte ranges of code spans and code blocks in `body`.
fn code_ranges(body: &str) -> Vec<Range<usize>> {
    if !body.contains('`')
        && !body.contains("    ")
        && !body.contains('\t')
        && !body.contains("~~~")
    {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut start = 0;
    for (ev, range) in Parser::new_ext(body, Options::empty()).into_offset_iter() {
        match ev {
            Event::Code(_) => out.push(range),
            Event::Start(Tag::CodeBlock(_)) => {
                if depth == 0 {
                    start = range.start;
                }
                depth += 1;
            }
            Event::End(pulldown_cmark::TagEnd::CodeBlock) => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    out.push(start..range.end);
                }
            }
            _ => {}
        }
    }
    out
}

/// Line and column (1-based, in characters) of byte `offset` in `text`.
fn line_col(text: &str, offset: usize) -> (u32, u32) {
    let before = &text[..offset];
    let line = before.matches('\n').count() as u32 + 1;
    let col = before.rsplit('\n').next().unwrap_or("").chars().count() as u32 + 1;
    (line, col)
}

/// Finds every shortcode in `body` (which starts at line `body_line` of `file`).
///
/// Malformed shortcodes, unknown names and unknown arguments are reported to
/// `diags` with their line and column, and left out.
pub fn find(file: &str, body: &str, body_line: u32, diags: &mut Diagnostics) -> Vec<Shortcode> {
    if !body.contains(OPEN) {
        return Vec::new();
    }
    let code = code_ranges(body);
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(i) = body[from..].find(OPEN) {
        let start = from + i;
        let (l, c) = line_col(body, start);
        let origin = Origin::new(file, Pos::new(body_line + l - 1, c));
        if code.iter().any(|r| r.contains(&start)) {
            from = start + OPEN.len();
            continue;
        }
        let Some(j) = body[start..].find(CLOSE) else {
            diags.push(
                Diagnostic::error(origin, "shortcode is not closed").with_help("end it with `>}}`"),
            );
            break;
        };
        let end = start + j + CLOSE.len();
        let inner = &body[start + OPEN.len()..start + j];
        from = end;
        if inner.contains('\n') && inner.matches('\n').count() > 3 {
            diags.push(
                Diagnostic::error(origin, "shortcode spans too many lines")
                    .with_help("is a `>}}` missing? write a shortcode on one line"),
            );
            continue;
        }
        if let Some(sc) = parse_one(inner, start..end, origin, diags) {
            out.push(sc);
        }
    }
    out
}

fn parse_one(
    inner: &str,
    range: Range<usize>,
    origin: Origin,
    diags: &mut Diagnostics,
) -> Option<Shortcode> {
    let mut rest = inner.trim();
    let name_end = rest.find(|c: char| c.is_whitespace()).unwrap_or(rest.len());
    let name = &rest[..name_end];
    rest = rest[name_end..].trim_start();
    let Some(kind) = ShortcodeKind::ALL
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, k)| *k)
    else {
        let names = ShortcodeKind::ALL.iter().map(|(n, _)| *n);
        diags.push(
            Diagnostic::error(origin, format!("unknown shortcode `{name}`")).with_help(
                did_you_mean(name, names)
                    .unwrap_or_else(|| "shortcodes are: value, card, table, chart".to_string()),
            ),
        );
        return None;
    };
    let mut args = BTreeMap::new();
    while !rest.is_empty() {
        let Some(eq) = rest.find('=') else {
            diags.push(
                Diagnostic::error(
                    origin.clone(),
                    format!("cannot read `{rest}` in shortcode `{name}`"),
                )
                .with_help(r#"write arguments as key="value" or key=2016"#),
            );
            return None;
        };
        let key = rest[..eq].trim();
        rest = rest[eq + 1..].trim_start();
        let value;
        if let Some(q) = rest.strip_prefix('"') {
            let Some(close) = q.find('"') else {
                diags.push(Diagnostic::error(
                    origin.clone(),
                    format!("unclosed quote after `{key}=`"),
                ));
                return None;
            };
            value = &q[..close];
            rest = q[close + 1..].trim_start();
        } else {
            let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
            value = &rest[..end];
            rest = rest[end..].trim_start();
        }
        if !kind.allowed_args().contains(&key) {
            diags.push(
                Diagnostic::error(
                    origin.clone(),
                    format!("unknown argument `{key}` for shortcode `{name}`"),
                )
                .with_help(
                    did_you_mean(key, kind.allowed_args().iter().copied()).unwrap_or_else(|| {
                        format!("`{name}` takes: {}", kind.allowed_args().join(", "))
                    }),
                ),
            );
            return None;
        }
        if args.insert(key.to_string(), value.to_string()).is_some() {
            diags.push(Diagnostic::error(
                origin.clone(),
                format!("argument `{key}` is given twice"),
            ));
            return None;
        }
    }
    Some(Shortcode {
        kind,
        args,
        range,
        origin,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn find_ok(body: &str) -> Vec<Shortcode> {
        let mut d = Diagnostics::new();
        let v = find("r.md", body, 5, &mut d);
        assert!(d.is_empty(), "{d:?}");
        v
    }

    #[test]
    fn finds_a_value_with_its_position() {
        let v = find_ok("Iuran 2016:\nnaik {{< value metric=\"contributions\" period=2016 >}}.");
        assert_eq!(v.len(), 1);
        assert_eq!(v[0].kind, ShortcodeKind::Value);
        assert_eq!(v[0].args["metric"], "contributions");
        assert_eq!(v[0].args["period"], "2016");
        assert_eq!((v[0].origin.pos.line, v[0].origin.pos.column), (6, 6));
    }

    #[test]
    fn shortcodes_in_code_are_left_as_written() {
        let v = find_ok(
            "`{{< value metric=\"x\" >}}`\n\n```\n{{< chart kind=trend >}}\n```\n\n{{< value metric=\"y\" period=2016 >}}\n",
        );
        assert_eq!(v.len(), 1, "only the shortcode outside code: {v:?}");
        assert_eq!(v[0].args["metric"], "y");
        assert_eq!(v[0].origin.pos.line, 11);
    }

    #[test]
    fn unknown_names_and_arguments_suggest_the_nearest() {
        let mut d = Diagnostics::new();
        find(
            "r.md",
            "{{< valeu metric=\"x\" >}} {{< value metrc=\"x\" >}}",
            1,
            &mut d,
        );
        let msgs: Vec<String> = d.iter().map(|x| format!("{x}")).collect();
        assert!(msgs[0].contains("did you mean `value`"), "{msgs:?}");
        assert!(msgs[1].contains("did you mean `metric`"), "{msgs:?}");
        assert_eq!(d.iter().nth(1).unwrap().origin.pos.column, 26);
    }

    #[test]
    fn an_unclosed_shortcode_is_an_error() {
        let mut d = Diagnostics::new();
        find("r.md", "text {{< value metric=x", 3, &mut d);
        assert_eq!(d.iter().next().unwrap().origin.pos.line, 3);
    }
}

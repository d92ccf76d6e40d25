//! Finding data shortcodes in Markdown: `{{< value metric="contributions" period=2016 >}}`.
//!
//! The `{{< ... >}}` delimiters never occur in Tera templates (which use
//! `{{ ... }}` and `{% ... %}`) nor in ordinary prose. Shortcodes inside code
//! spans and code blocks are left as written, so documentation can show them.
//!
//! Sites moved from Hugo or Zola bring their shortcodes along. rekap has only
//! its four data shortcodes, so Hugo's (`{{< youtube ID >}}`,
//! `{{% notice %}}`) and Zola's (`{{ youtube(id="...") }}`, `{% note() %}`)
//! are errors that say what they are and what to write instead, rather than
//! text shown as written. Hugo's escape for a literal shortcode,
//! `{{</* name */>}}`, shows `{{< name >}}`, in code too, as in Hugo.

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

/// A Markdown body ready to render: its text, with Hugo's escapes
/// (`{{</* x */>}}`) turned into the literal text they stand for, and the
/// shortcodes found in it.
#[derive(Debug, Clone, PartialEq)]
pub struct Body {
    /// The body to render: the text as written unless it holds escapes.
    pub text: String,
    /// The shortcodes, in order; their ranges are byte ranges of `text`, their
    /// origins places in the file as written.
    pub shortcodes: Vec<Shortcode>,
}

/// Finds every shortcode in `body` (which starts at line `body_line` of
/// `file`) and resolves Hugo's escapes.
///
/// Malformed shortcodes, unknown names and unknown arguments, and Hugo's and
/// Zola's shortcodes, are reported to `diags` with their line and column, and
/// left out. An escape `{{</* x */>}}` becomes the text `{{< x >}}` (and
/// `{{%/* x */%}}` becomes `{{% x %}}`): outside code written with
/// character references (`{{&lt; x &gt;}}`), which Markdown shows as written
/// and never reads as HTML, emphasis or curly quotes.
pub fn prepare(file: &str, body: &str, body_line: u32, diags: &mut Diagnostics) -> Body {
    prepare_with(file, body, body_line, &[], diags)
}

/// [`prepare`] for a site whose own shortcodes are `custom` (the names of
/// its `templates/shortcodes/NAME.html`, see [`custom_names`]).
pub fn prepare_with(
    file: &str,
    body: &str,
    body_line: u32,
    custom: &[String],
    diags: &mut Diagnostics,
) -> Body {
    if !body.contains("{{") && !body.contains("{%") {
        return Body {
            text: body.to_string(),
            shortcodes: Vec::new(),
        };
    }
    let mut code: Option<Vec<Range<usize>>> = None;
    let mut in_code = |at: usize| {
        code.get_or_insert_with(|| code_ranges(body))
            .iter()
            .any(|r| r.contains(&at))
    };
    let origin_at = |at: usize| {
        let (l, c) = line_col(body, at);
        Origin::new(file, Pos::new(body_line + l - 1, c))
    };
    let mut text = String::new();
    let mut copied = 0;
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(i) = body[from..].find('{') {
        let start = from + i;
        let rest = &body[start..];
        from = start + 1;
        if let Some((open, close, literal_open, literal_close)) = escape(rest) {
            let Some(j) = rest[open.len()..].find(close) else {
                diags.push(
                    Diagnostic::error(origin_at(start), "escaped shortcode is not closed")
                        .with_help(format!(
                            "end it with `{close}`: `{open} name {close}` shows `{} name {}`",
                            literal_open.0, literal_close.0
                        )),
                );
                break;
            };
            let inner = &rest[open.len()..open.len() + j];
            let end = start + open.len() + j + close.len();
            text.push_str(&body[copied..start]);
            if in_code(start) {
                text.push_str(literal_open.0);
                text.push_str(inner);
                text.push_str(literal_close.0);
            } else {
                text.push_str(literal_open.1);
                push_literal(&mut text, inner);
                text.push_str(literal_close.1);
            }
            copied = end;
            from = end;
            continue;
        }
        if !(rest.starts_with("{{") || rest.starts_with("{%")) {
            continue;
        }
        if in_code(start) {
            from = start + 2;
            continue;
        }
        if rest.starts_with(OPEN) {
            let origin = origin_at(start);
            let Some(j) = rest.find(CLOSE) else {
                diags.push(
                    Diagnostic::error(origin, "shortcode is not closed")
                        .with_help("end it with `>}}`"),
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
            // The range in the text to render, which escapes before it may
            // have made longer or shorter than the body as written.
            let at = text.len() + (start - copied);
            if let Some(sc) = parse_one(inner, at..at + (end - start), origin, custom, diags) {
                out.push(sc);
            }
            continue;
        }
        if start > 0 && body.as_bytes()[start - 1] == b'\\' {
            continue;
        }
        if let Some((d, end)) = foreign(rest, origin_at(start)) {
            diags.push(d);
            from = start + end;
        }
    }
    if copied == 0 {
        text = body.to_string();
    } else {
        text.push_str(&body[copied..]);
    }
    Body {
        text,
        shortcodes: out,
    }
}

/// Finds every shortcode in `body` (which starts at line `body_line` of
/// `file`): [`prepare`] without the text. Their ranges are ranges of the
/// prepared text, the same as `body`'s unless it holds escapes.
pub fn find(file: &str, body: &str, body_line: u32, diags: &mut Diagnostics) -> Vec<Shortcode> {
    prepare(file, body, body_line, diags).shortcodes
}

/// Appends `s` to Markdown `text` so that it shows exactly as written: every
/// character Markdown could read as markup (emphasis, links, HTML, tables,
/// quotes that smart punctuation would curl) as a character reference.
fn push_literal(text: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '"' | '\'' | '!' | '~' | '|' | '&'
            | '#' | '$' => {
                text.push_str(&format!("&#{};", c as u32));
            }
            c => text.push(c),
        }
    }
}

/// A literal delimiter: as shown in code, and as written in Markdown text.
type Literal = (&'static str, &'static str);

/// Hugo's escapes at the start of `rest`: the opening and closing
/// delimiters, and what they stand for.
fn escape(rest: &str) -> Option<(&'static str, &'static str, Literal, Literal)> {
    if rest.starts_with("{{</*") {
        Some(("{{</*", "*/>}}", ("{{<", "{{&lt;"), (">}}", "&gt;}}")))
    } else if rest.starts_with("{{%/*") {
        Some(("{{%/*", "*/%}}", ("{{%", "{{%"), ("%}}", "%}}")))
    } else {
        None
    }
}

/// rekap's shortcodes, for hints.
const OURS: &str = "rekap's shortcodes are written {{< name key=\"value\" >}} and are value, card, table and chart, which show figures from the data";

/// How to show such text as written, outside code.
const AS_TEXT: &str =
    "to show it as written, put it in a code span (`...`) or write a backslash before it";

/// A Hugo `{{% name %}}` or a Zola `{{ name(...) }}`, `{% name(...) %}` or
/// `{% end %}` at the start of `rest`: the error, and the length to skip.
/// Anything else (`{{ page.title }}` in prose, say) is left as text.
fn foreign(rest: &str, origin: Origin) -> Option<(Diagnostic, usize)> {
    let line_end = rest.find('\n').unwrap_or(rest.len());
    if let Some(after) = rest.strip_prefix("{{%") {
        let close = after.find("%}}")?;
        let inner = after[..close].trim();
        let closing = inner.starts_with('/');
        let name = ident(inner.trim_start_matches('/').trim_start());
        let args = inner.trim_start_matches('/').trim_start()[name.len()..].trim();
        let len = 3 + close + 3;
        let d = if closing {
            Diagnostic::error(
                origin,
                format!("`{{{{% /{name} %}}}}` closes a Hugo shortcode, which rekap does not have"),
            )
            .with_help(format!(
                "this looks like a Hugo shortcode; {OURS}, and none has a closing tag. Remove it and its opening `{{{{% {name} %}}}}`; {}",
                advice(name, args)
            ))
        } else {
            Diagnostic::error(
                origin,
                format!("`{{{{% {name} %}}}}` is a Hugo shortcode, not a rekap one"),
            )
            .with_help(format!(
                "this looks like a Hugo shortcode; {OURS}. {}; {AS_TEXT}",
                capitalise(&advice(name, args))
            ))
        };
        return Some((d, len));
    }
    let (open, close) = if rest.starts_with("{{") {
        ("{{", "}}")
    } else {
        ("{%", "%}")
    };
    let after = rest[open.len()..line_end].trim_start();
    let name = ident(after);
    if name.is_empty() {
        return None;
    }
    let tail = after[name.len()..].trim_start();
    let close_at = rest[..line_end].find(close)?;
    let len = close_at + close.len();
    if open == "{%" && name == "end" && tail.starts_with(close) {
        let d = Diagnostic::error(origin, "`{% end %}` closes a Zola shortcode, which rekap does not have")
            .with_help(format!(
                "this looks like the end of a Zola body shortcode; {OURS}, and none has a body. Remove it and its opening `{{% name(...) %}}`, and write the text between them as Markdown; {AS_TEXT}"
            ));
        return Some((d, len));
    }
    if !tail.starts_with('(') {
        return None;
    }
    let args = tail[1..].rsplit_once(')').map_or("", |(a, _)| a);
    let d = Diagnostic::error(
        origin,
        format!("`{open} {name}(...) {close}` is a Zola shortcode, not a rekap one"),
    )
    .with_help(format!(
        "this looks like a Zola shortcode; {OURS}. {}; {AS_TEXT}",
        capitalise(&advice(name, args))
    ));
    Some((d, len))
}

/// The identifier (letters, digits, `_`, `-`, `.`) at the start of `s`.
fn ident(s: &str) -> &str {
    let end = s
        .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.')))
        .unwrap_or(s.len());
    &s[..end]
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// The value of argument `key` in `args` (`key="v"`, `key=v`, `key: v`), or
/// else the first positional one: Hugo's `{{< youtube ID >}}`, Zola's
/// `youtube(id="ID")`.
fn arg_value(args: &str, key: &str) -> Option<String> {
    let mut tokens = Vec::new();
    let mut cur = String::new();
    let mut quote = None;
    for c in args.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => cur.push(c),
            (None, '"' | '\'') => quote = Some(c),
            (None, c) if c.is_whitespace() || c == ',' => {
                if !cur.is_empty() {
                    tokens.push(std::mem::take(&mut cur));
                }
            }
            (None, c) => cur.push(c),
        }
    }
    if !cur.is_empty() {
        tokens.push(cur);
    }
    let named = tokens.iter().find_map(|t| {
        t.split_once('=')
            .filter(|(k, _)| k.trim() == key)
            .map(|(_, v)| v.trim().to_string())
    });
    named
        .or_else(|| tokens.iter().find(|t| !t.contains('=')).cloned())
        .filter(|v| !v.is_empty())
}

/// What to write instead of a Hugo or Zola shortcode named `name`.
fn advice(name: &str, args: &str) -> String {
    let value = |key: &str, default: &str| arg_value(args, key).unwrap_or_else(|| default.into());
    match name {
        "youtube" => format!(
            "write the video as a link: [Video](https://www.youtube.com/watch?v={})",
            value("id", "VIDEO-ID")
        ),
        "vimeo" => format!(
            "write the video as a link: [Video](https://vimeo.com/{})",
            value("id", "VIDEO-ID")
        ),
        "figure" | "img" | "image" | "resize_image" => format!(
            "write the image in Markdown: ![Description]({}), with the file under static/",
            value("src", "/images/file.png")
        ),
        "gist" => "write a link to the gist: [Gist](https://gist.github.com/USER/ID)".into(),
        "tweet" | "twitter" | "x" | "instagram" | "mastodon" => {
            "write a link to the post, or quote it with `> `".into()
        }
        "highlight" | "code" => {
            "write a fenced code block: a line ```LANGUAGE, the code, and a line ```".into()
        }
        "ref" | "relref" => {
            "write a plain link, like [Text](/releases/SLUG/): rekap checks every internal link".into()
        }
        "param" | "site" | "config" => {
            "write the value itself: Markdown in rekap sees no page or site parameters".into()
        }
        "notice" | "note" | "hint" | "tip" | "alert" | "callout" | "admonition" | "warning"
        | "info" | "important" | "caution" => {
            "write a quotation instead: > **Note:** the text".into()
        }
        "details" | "expand" | "spoiler" | "collapse" => {
            "write a heading and the text (a <details> element needs allow_html: true in content/site.yaml)".into()
        }
        "comment" => "write an HTML comment, <!-- like this -->, which rekap leaves out of the page".into(),
        "toc" => "rekap writes no table of contents: link to the headings' anchors if you need one".into(),
        _ => "write it in Markdown instead, or show a figure with value, card, table or chart".into(),
    }
}

/// A rekap shortcode written as Hugo writes one with positional arguments
/// (`{{< table "contributions" 2016 >}}`), with named arguments guessed
/// from the values.
fn named_form(kind: ShortcodeKind, args: &str) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut taken = std::collections::BTreeSet::new();
    for v in args.split_whitespace().map(|v| v.trim_matches(['"', '\''])) {
        let key = if v.parse::<crate::model::Period>().is_ok() {
            "period"
        } else if kind == ShortcodeKind::Chart
            && ["actual_vs_target", "breakdown", "trend", "composition"].contains(&v)
        {
            "kind"
        } else if !taken.contains("metric") {
            "metric"
        } else {
            "entity"
        };
        if taken.insert(key) && !v.is_empty() {
            parts.push(if key == "period" {
                format!("{key}={v}")
            } else {
                format!("{key}=\"{v}\"")
            });
        }
    }
    if parts.is_empty() {
        parts.push("metric=\"METRIC-ID\"".into());
    }
    format!("{{{{< {} {} >}}}}", kind.name(), parts.join(" "))
}

/// The error for arguments written without names, as Hugo's positional ones.
fn positional(origin: Origin, kind: ShortcodeKind, rest: &str) -> Diagnostic {
    let name = kind.name();
    Diagnostic::error(origin, format!("cannot read `{rest}` in shortcode `{name}`")).with_help(
        format!(
            r#"write arguments as key="value" or key=2016; this looks like a Hugo shortcode with positional arguments, and rekap's `{name}` takes named ones ({}), perhaps {}"#,
            kind.allowed_args().join(", "),
            named_form(kind, rest)
        ),
    )
}

/// The names of a site's own shortcodes: its templates
/// `templates/shortcodes/NAME.html` whose NAME (letters, digits, `_`, `-`)
/// is not a built-in shortcode's, sorted. A missing folder gives none.
pub fn custom_names(root: &std::path::Path) -> Vec<String> {
    let dir = root.join(super::paths::TEMPLATES).join("shortcodes");
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut out: Vec<String> = entries
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .filter_map(|e| {
            let name = e.file_name().into_string().ok()?;
            let stem = name.strip_suffix(".html")?;
            (is_custom_name(stem) && ShortcodeKind::builtin(stem).is_none())
                .then(|| stem.to_string())
        })
        .collect();
    out.sort();
    out
}

/// Whether `name` can name a custom shortcode: letters, digits, `_` and `-`,
/// starting with a letter.
fn is_custom_name(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_alphabetic())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-'))
}

fn parse_one(
    inner: &str,
    range: Range<usize>,
    origin: Origin,
    custom: &[String],
    diags: &mut Diagnostics,
) -> Option<Shortcode> {
    let mut rest = inner.trim();
    let name_end = rest.find(|c: char| c.is_whitespace()).unwrap_or(rest.len());
    let name = &rest[..name_end];
    rest = rest[name_end..].trim_start();
    let is_custom = custom.iter().any(|c| c == name);
    let Some(kind) = ShortcodeKind::builtin(name).or(is_custom.then_some(ShortcodeKind::Custom))
    else {
        let names = ShortcodeKind::ALL
            .iter()
            .map(|(n, _)| *n)
            .chain(custom.iter().map(String::as_str));
        let help = if let Some(closed) = name.strip_prefix('/') {
            let ours = ShortcodeKind::builtin(closed).is_some();
            let own = custom.iter().any(|c| c == closed);
            format!(
                "this looks like the closing tag of a Hugo shortcode; {OURS}, and none has a closing tag: remove it{}",
                if ours {
                    format!(" (rekap's `{closed}` takes no content)")
                } else if own {
                    format!(
                        " (custom shortcodes take no content: give the text as an argument, {{{{< {closed} text=\"...\" >}}}}, and print it in the template with {{{{ args.text }}}})"
                    )
                } else {
                    format!(
                        " and its opening `{{{{< {closed} >}}}}`; {}",
                        advice(closed, "")
                    )
                }
            )
        } else if let Some(d) = did_you_mean(name, names) {
            d
        } else {
            format!(
                "this looks like a Hugo shortcode; {OURS}{}. {}; to show it as written, write {{{{</* {name} */>}}}}; to define it, write the template templates/shortcodes/{name}.html",
                if custom.is_empty() {
                    String::new()
                } else {
                    format!(", and this site's own: {}", custom.join(", "))
                },
                capitalise(&advice(name, rest))
            )
        };
        diags
            .push(Diagnostic::error(origin, format!("unknown shortcode `{name}`")).with_help(help));
        return None;
    };
    let mut args = BTreeMap::new();
    while !rest.is_empty() {
        let key = rest.find('=').map(|eq| (eq, rest[..eq].trim()));
        let Some((eq, key)) = key
            .filter(|(_, k)| !k.is_empty() && !k.contains(|c: char| c.is_whitespace() || c == '"'))
        else {
            if kind == ShortcodeKind::Custom {
                diags.push(
                    Diagnostic::error(origin, format!("cannot read `{rest}` in shortcode `{name}`"))
                        .with_help(format!(
                            r#"write arguments as key="value", like {{{{< {name} text="..." >}}}}; the template templates/shortcodes/{name}.html reads them as args.KEY"#
                        )),
                );
                return None;
            }
            diags.push(positional(origin, kind, rest));
            return None;
        };
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
        if kind != ShortcodeKind::Custom && !kind.allowed_args().contains(&key) {
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
        custom: is_custom.then(|| name.to_string()),
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

    fn errors(body: &str) -> Vec<Diagnostic> {
        let mut d = Diagnostics::new();
        find("r.md", body, 1, &mut d);
        d.into_iter().collect()
    }

    fn help(d: &Diagnostic) -> &str {
        d.help.as_deref().unwrap_or("")
    }

    #[test]
    fn a_hugo_escape_shows_the_shortcode_as_text_and_keeps_later_ranges_right() {
        let mut d = Diagnostics::new();
        let body =
            "Tulis {{</* value metric=\"x\" */>}} lalu {{< value metric=\"iuran\" period=2016 >}}.";
        let b = prepare("r.md", body, 1, &mut d);
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(
            b.text,
            "Tulis {{&lt; value metric=&#34;x&#34; &gt;}} lalu {{< value metric=\"iuran\" period=2016 >}}."
        );
        assert_eq!(b.shortcodes.len(), 1);
        let sc = &b.shortcodes[0];
        assert!(b.text[sc.range.clone()].starts_with("{{< value metric=\"iuran\""));
        assert!(b.text[sc.range.clone()].ends_with(">}}"));
        assert_eq!(sc.origin.pos.column, 41, "the column as written");
    }

    #[test]
    fn a_hugo_escape_in_code_is_unwrapped_to_the_plain_shortcode() {
        let mut d = Diagnostics::new();
        let b = prepare(
            "r.md",
            "`{{</* chart kind=\"trend\" */>}}` and `{{%/* x */%}}`",
            1,
            &mut d,
        );
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(b.text, "`{{< chart kind=\"trend\" >}}` and `{{% x %}}`");
        assert!(b.shortcodes.is_empty());
    }

    #[test]
    fn an_unclosed_escape_is_an_error() {
        let e = errors("a {{</* value");
        assert!(
            e[0].message.contains("escaped shortcode is not closed"),
            "{e:?}"
        );
        assert!(help(&e[0]).contains("*/>}}"));
    }

    #[test]
    fn a_hugo_shortcode_says_what_it_is_and_what_to_write() {
        let e = errors("Lihat {{< youtube dQw4w9WgXcQ >}}.");
        assert_eq!(e[0].message, "unknown shortcode `youtube`");
        let h = help(&e[0]);
        assert!(h.contains("looks like a Hugo shortcode"), "{h}");
        assert!(h.contains("value, card, table and chart"), "{h}");
        assert!(
            h.contains("https://www.youtube.com/watch?v=dQw4w9WgXcQ"),
            "{h}"
        );
        assert!(h.contains("{{</* youtube */>}}"), "{h}");
    }

    #[test]
    fn a_misspelt_rekap_shortcode_still_gets_did_you_mean() {
        let e = errors("{{< vaule metric=\"x\" >}}");
        assert_eq!(help(&e[0]), "did you mean `value`?");
    }

    #[test]
    fn hugo_percent_shortcodes_are_errors_with_a_hint_both_ends() {
        let e = errors("{{% notice info %}}\nHati-hati.\n{{% /notice %}}\n");
        assert_eq!(e.len(), 2, "{e:?}");
        assert!(
            e[0].message
                .contains("`{{% notice %}}` is a Hugo shortcode"),
            "{}",
            e[0]
        );
        assert!(help(&e[0]).contains("> **Note:**"), "{}", e[0]);
        assert_eq!(e[1].origin.pos.line, 3);
        assert!(e[1].message.contains("closes a Hugo shortcode"), "{}", e[1]);
    }

    #[test]
    fn zola_shortcodes_are_errors_with_a_hint() {
        let e = errors(
            "Video: {{ youtube(id=\"abc123\", autoplay=true) }}\n\n{% note(kind=\"x\") %}\nIsi\n{% end %}\n",
        );
        assert_eq!(e.len(), 3, "{e:?}");
        assert!(e[0].message.contains("is a Zola shortcode"), "{}", e[0]);
        assert!(help(&e[0]).contains("watch?v=abc123"), "{}", e[0]);
        assert_eq!((e[0].origin.pos.line, e[0].origin.pos.column), (1, 8));
        assert!(e[1].message.contains("`{% note(...) %}`"), "{}", e[1]);
        assert!(e[2].message.contains("`{% end %}`"), "{}", e[2]);
    }

    #[test]
    fn braces_in_prose_code_or_escaped_are_left_alone() {
        let ok = find_ok(
            "Tera: {{ page.title }} and {% if x %}; `{{ youtube(id=1) }}`; \\{{% notice %}}\n\n    {{% notice %}}\n",
        );
        assert!(ok.is_empty());
    }

    #[test]
    fn hugo_positional_arguments_get_the_argument_error_and_a_hint() {
        let e = errors("{{< table \"contributions\" 2016 >}}");
        assert!(
            e[0].message
                .contains("cannot read `\"contributions\" 2016` in shortcode `table`"),
            "{}",
            e[0]
        );
        let h = help(&e[0]);
        assert!(h.contains("key=\"value\""), "{h}");
        assert!(
            h.contains("looks like a Hugo shortcode with positional arguments"),
            "{h}"
        );
        assert!(
            h.contains("{{< table metric=\"contributions\" period=2016 >}}"),
            "{h}"
        );
        let e = errors("{{< chart trend contributions >}}");
        assert!(
            help(&e[0]).contains("{{< chart kind=\"trend\" metric=\"contributions\" >}}"),
            "{}",
            e[0]
        );
        let e = errors("{{< card \"contributions\" period=2016 >}}");
        assert!(help(&e[0]).contains("positional arguments"), "{}", e[0]);
    }

    #[test]
    fn a_closing_tag_of_a_paired_hugo_shortcode_is_explained() {
        let e = errors("{{< table metric=\"x\" period=2016 >}}\n{{< /table >}}");
        assert_eq!(e.len(), 1, "{e:?}");
        assert!(
            help(&e[0]).contains("closing tag of a Hugo shortcode"),
            "{}",
            e[0]
        );
        assert!(help(&e[0]).contains("takes no content"), "{}", e[0]);
    }

    #[test]
    fn a_sites_own_shortcode_takes_any_named_argument() {
        let custom = vec!["note".to_string(), "video-link".to_string()];
        let mut d = Diagnostics::new();
        let b = prepare_with(
            "r.md",
            "a {{< note text=\"Hati <b>\" kind=info >}} b {{< vidoe-link >}} {{< note x >}} {{< /note >}}",
            1,
            &custom,
            &mut d,
        );
        assert_eq!(b.shortcodes.len(), 1);
        let sc = &b.shortcodes[0];
        assert_eq!(sc.kind, ShortcodeKind::Custom);
        assert_eq!(sc.custom.as_deref(), Some("note"));
        assert_eq!(sc.args["text"], "Hati <b>");
        assert_eq!(sc.args["kind"], "info");
        let e: Vec<_> = d.iter().collect();
        assert_eq!(e.len(), 3, "{e:?}");
        assert_eq!(help(e[0]), "did you mean `video-link`?");
        assert!(help(e[1]).contains("args.KEY"), "{}", e[1]);
        assert!(
            help(e[2]).contains("custom shortcodes take no content"),
            "{}",
            e[2]
        );
    }

    #[test]
    fn custom_names_are_the_templates_that_are_not_built_in() {
        let dir = tempfile::tempdir().unwrap();
        let sc = dir.path().join("templates/shortcodes");
        std::fs::create_dir_all(&sc).unwrap();
        for f in [
            "card.html",
            "note.html",
            "bad name.html",
            "x.txt",
            "value.html",
        ] {
            std::fs::write(sc.join(f), "").unwrap();
        }
        assert_eq!(custom_names(dir.path()), vec!["note".to_string()]);
    }
}

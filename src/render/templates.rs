//! Tera templates: the embedded defaults, the site's overrides, and the
//! formatting filters every template can use.

use std::collections::HashMap;

use tera::{Context, ErrorKind, Kwargs, State, Tera};

use crate::diagnostics::Diagnostic;
use crate::format;
use crate::model::Theme;
use crate::model::{Lang, Origin, Pos, Unit};

/// The templates of one build, compiled once.
pub struct Templates {
    tera: Tera,
    /// The file each template comes from, as diagnostics name it.
    files: HashMap<String, String>,
    /// A digest of everything a template's output depends on besides the
    /// values it is given: every template's name and text, the language
    /// of the filters, and the values every template sees ([`Templates::set_global`]).
    identity: Option<xxhash_rust::xxh3::Xxh3>,
}

fn unit_of(s: &str) -> Unit {
    match s {
        "currency" => Unit::Currency,
        "percent" => Unit::Percent,
        "count" => Unit::Count,
        _ => Unit::People,
    }
}

impl Templates {
    /// Compiles the templates of `theme` and registers the formatting
    /// filters for `lang`.
    ///
    /// # Errors
    ///
    /// The first template that does not compile, with its file, line and column.
    pub fn new(theme: &Theme, lang: Lang) -> Result<Templates, Vec<Diagnostic>> {
        let mut tera = Tera::new();
        tera.autoescape_on(vec![".html", ".htm", ".xml", ".svg"]);
        register_filters(&mut tera, lang);
        let files = theme
            .templates
            .iter()
            .map(|t| (t.name.clone(), theme.template_file(&t.name)))
            .collect();
        let mut identity = xxhash_rust::xxh3::Xxh3::new();
        identity.update(lang.code().as_bytes());
        for t in &theme.templates {
            for part in [t.name.as_bytes(), t.text.as_bytes()] {
                identity.update(&(part.len() as u64).to_le_bytes());
                identity.update(part);
            }
        }
        let templates = Templates {
            tera: Tera::new(),
            files,
            identity: Some(identity),
        };
        let all = theme
            .templates
            .iter()
            .map(|t| (t.name.as_str(), t.text.as_str()));
        if let Err(e) = tera.add_raw_templates(all) {
            return Err(vec![templates.diagnostic(&e, None)]);
        }
        Ok(Templates { tera, ..templates })
    }

    /// Renders template `name` with `ctx`.
    ///
    /// # Errors
    ///
    /// The template's error, with its file, line and column.
    pub fn render(&self, name: &str, ctx: &Context) -> Result<String, Diagnostic> {
        self.tera
            .render(name, ctx)
            .map_err(|e| self.diagnostic(&e, Some(name)))
    }

    /// Sets a value visible to every template.
    pub fn set_global<T: serde::Serialize + ?Sized>(&mut self, key: &'static str, value: &T) {
        self.tera.global_context().insert(key, value);
        if let Some(h) = &mut self.identity {
            h.update(&(key.len() as u64).to_le_bytes());
            h.update(key.as_bytes());
            if crate::digest::update(h, value).is_err() {
                // A value with no digest: nothing can be proved the same.
                self.identity = None;
            }
        }
    }

    /// A digest of the templates, the filters' language and the values
    /// every template sees: two `Templates` with the same identity render
    /// the same values alike. `None` if a value every template sees could
    /// not be digested.
    pub fn identity(&self) -> Option<u128> {
        self.identity.as_ref().map(|h| h.digest128())
    }

    /// Whether a template with this name exists.
    pub fn has(&self, name: &str) -> bool {
        self.tera.contains_template(name)
    }

    fn file_of(&self, name: &str) -> String {
        self.files
            .get(name)
            .cloned()
            .unwrap_or_else(|| format!("templates/{name}"))
    }

    fn diagnostic(&self, e: &tera::Error, rendering: Option<&str>) -> Diagnostic {
        match e.kind() {
            ErrorKind::SyntaxError(r) | ErrorKind::RenderingError(r) => {
                let span = r.span();
                let pos = Pos::new(span.start_line as u32, span.start_col as u32 + 1);
                Diagnostic::error(Origin::new(self.file_of(r.filename()), pos), r.message().to_string())
                    .with_help("see the template reference in README.md; a variable that may be missing needs `| default(value=...)`")
            }
            _ => {
                // Some errors (an unknown filter or test, found when the
                // templates are compiled) say where only in their text.
                let text = e.to_string();
                if let Some((name, pos)) = located(&text) {
                    let message = text
                        .lines()
                        .next()
                        .unwrap_or_default()
                        .trim_start_matches("error: ")
                        .to_string();
                    return Diagnostic::error(Origin::new(self.file_of(name), pos), message)
                        .with_help("see the template reference in README.md for the filters rekap adds to Tera's");
                }
                let file = rendering
                    .map(|n| self.file_of(n))
                    .unwrap_or_else(|| "templates".to_string());
                Diagnostic::error(
                    Origin::new(file, Pos::default()),
                    format!("template error: {e}"),
                )
            }
        }
    }
}

/// The template and place a Tera error's text points at (` --> NAME:LINE:COLUMN`).
fn located(text: &str) -> Option<(&str, Pos)> {
    let at = text
        .lines()
        .find_map(|l| l.trim_start().strip_prefix("--> "))?;
    let mut parts = at.trim().rsplitn(3, ':');
    let column = parts.next()?.parse().ok()?;
    let line = parts.next()?.parse().ok()?;
    Some((parts.next()?, Pos::new(line, column)))
}

fn register_filters(tera: &mut Tera, lang: Lang) {
    tera.register_filter(
        "num",
        move |v: f64, kw: Kwargs, _: &State| -> tera::TeraResult<String> {
            let decimals = kw.get::<u8>("decimals")?.unwrap_or(0);
            Ok(if decimals == 0 {
                format::integer(v, lang)
            } else {
                format::decimal(v, lang, decimals)
            })
        },
    );
    tera.register_filter("compact", move |v: f64, _: Kwargs, _: &State| {
        format::compact(v, lang)
    });
    tera.register_filter(
        "money",
        move |v: f64, kw: Kwargs, _: &State| -> tera::TeraResult<String> {
            let currency = kw
                .get::<String>("currency")?
                .unwrap_or_else(|| "IDR".to_string());
            let full = kw.get::<bool>("full")?.unwrap_or(false);
            Ok(format::money(v, &currency, lang, !full))
        },
    );
    tera.register_filter(
        "pct",
        move |v: f64, kw: Kwargs, _: &State| -> tera::TeraResult<String> {
            let decimals = kw.get::<u8>("decimals")?.unwrap_or(1);
            Ok(format::percent(v, lang, decimals))
        },
    );
    tera.register_filter(
        "signed_pct",
        move |v: f64, kw: Kwargs, _: &State| -> tera::TeraResult<String> {
            let decimals = kw.get::<u8>("decimals")?.unwrap_or(1);
            Ok(format::signed_percent(v, lang, decimals))
        },
    );
    tera.register_filter(
        "value",
        move |v: f64, kw: Kwargs, _: &State| -> tera::TeraResult<String> {
            let unit = kw.get::<String>("unit")?.unwrap_or_default();
            let currency = kw.get::<String>("currency")?;
            let full = kw.get::<bool>("full")?.unwrap_or(false);
            Ok(format::value(
                v,
                unit_of(&unit),
                currency.as_deref(),
                lang,
                !full,
            ))
        },
    );
    tera.register_filter(
        "date_long",
        move |v: String, _: Kwargs, _: &State| -> tera::TeraResult<String> {
            let d: jiff::civil::Date = v
                .parse()
                .map_err(|_| tera::Error::message(format!("`{v}` is not a date")))?;
            Ok(format::date_long(d, lang))
        },
    );
    tera.register_filter(
        "date",
        move |v: String, _: Kwargs, _: &State| -> tera::TeraResult<String> {
            let d: jiff::civil::Date = v
                .parse()
                .map_err(|_| tera::Error::message(format!("`{v}` is not a date")))?;
            Ok(format::date_medium(d, lang))
        },
    );
    tera.register_filter(
        "period",
        move |v: String, _: Kwargs, _: &State| -> tera::TeraResult<String> {
            let p: crate::model::Period = v
                .parse()
                .map_err(|e| tera::Error::message(format!("{e}")))?;
            Ok(format::period(p, lang))
        },
    );
}

#[cfg(test)]
mod tests {
    /// A theme of one template from the site's `templates/`.
    fn site_template(name: &str, text: &str) -> Theme {
        Theme {
            templates: vec![crate::model::theme::Template {
                name: name.into(),
                text: text.into(),
                from_site: true,
            }],
            files: Vec::new(),
        }
    }

    use super::*;

    #[test]
    fn filters_format_in_the_site_language() {
        let t = Templates::new(
            &site_template(
                "x.html",
                "{{ a | money }} {{ b | pct }} {{ c | num }} {{ d | date_long }}",
            ),
            Lang::Id,
        )
        .unwrap();
        let mut ctx = Context::new();
        ctx.insert("a", &956e9);
        ctx.insert("b", &1.174);
        ctx.insert("c", &577958);
        ctx.insert("d", "2017-01-31");
        assert_eq!(
            t.render("x.html", &ctx).unwrap(),
            "Rp956 miliar 117,4% 577.958 Selasa, 31 Januari 2017"
        );
    }

    #[test]
    fn html_templates_escape_data() {
        let t = Templates::new(&site_template("x.html", "{{ a }}"), Lang::Id).unwrap();
        let mut ctx = Context::new();
        ctx.insert("a", "<script>alert(1)</script>");
        assert_eq!(
            t.render("x.html", &ctx).unwrap(),
            "&lt;script&gt;alert(1)&lt;/script&gt;"
        );
    }

    #[test]
    fn template_errors_name_the_template_and_line() {
        let e = Templates::new(
            &site_template("x.html", "line one\n{{ broken( }}"),
            Lang::Id,
        )
        .err()
        .unwrap();
        assert_eq!(e[0].origin.file, "templates/x.html");
        assert_eq!(e[0].origin.pos.line, 2);
    }

    #[test]
    fn render_errors_name_the_template_and_line() {
        let t = Templates::new(
            &site_template("x.html", "ok\n\n{{ missing.field }}"),
            Lang::Id,
        )
        .unwrap();
        let d = t.render("x.html", &Context::new()).unwrap_err();
        assert_eq!(d.origin.file, "templates/x.html");
        assert_eq!(d.origin.pos.line, 3);
    }
}

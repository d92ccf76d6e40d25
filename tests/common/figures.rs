//! The JSON data downloads, read back record by record and number for number.
//!
//! `figure(dir, "sulawesi-maluku", "contributions", "2017")` is the one
//! record a build wrote for that entity, metric and period, so a test can
//! assert its `status`, `growth`, `attainment`, `pace`, `actual` and `target`
//! exactly instead of finding a word somewhere on a page.
//!
//! Numbers are read from the JSON text with Rust's own (correctly rounded)
//! parser, so a value written by the build reads back as the very same
//! `f64`: `assert_eq!(r.attainment, Some(956e9 / 814e9))` holds when the
//! build divided the same two numbers. (serde_json's default float parser
//! may be off by an ulp, hence the small reader below.)

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::Path;

/// A JSON value, numbers kept as written.
#[derive(Debug, Clone, PartialEq)]
pub enum Json {
    Null,
    Bool(bool),
    /// The number's text, as written in the file.
    Number(String),
    String(String),
    Array(Vec<Json>),
    Object(Vec<(String, Json)>),
}

impl Json {
    /// The member `key` of an object.
    pub fn get(&self, key: &str) -> Option<&Json> {
        match self {
            Json::Object(members) => members.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }
}

/// Parses a JSON text (strictly enough for files the build wrote).
pub fn parse(text: &str) -> Json {
    let mut p = Parser {
        s: text.as_bytes(),
        text,
        i: 0,
    };
    let v = p.value();
    p.ws();
    assert_eq!(p.i, text.len(), "trailing text after the JSON value");
    v
}

struct Parser<'a> {
    s: &'a [u8],
    text: &'a str,
    i: usize,
}

impl Parser<'_> {
    fn ws(&mut self) {
        while self.i < self.s.len() && self.s[self.i].is_ascii_whitespace() {
            self.i += 1;
        }
    }

    fn eat(&mut self, c: u8) {
        self.ws();
        assert_eq!(
            self.s.get(self.i).copied(),
            Some(c),
            "expected `{}` at byte {}",
            c as char,
            self.i
        );
        self.i += 1;
    }

    fn value(&mut self) -> Json {
        self.ws();
        match self.s.get(self.i) {
            Some(b'{') => {
                self.i += 1;
                let mut members = Vec::new();
                self.ws();
                if self.s[self.i] == b'}' {
                    self.i += 1;
                    return Json::Object(members);
                }
                loop {
                    self.ws();
                    let k = self.string();
                    self.eat(b':');
                    members.push((k, self.value()));
                    self.ws();
                    self.i += 1;
                    match self.s[self.i - 1] {
                        b',' => continue,
                        b'}' => return Json::Object(members),
                        c => panic!("unexpected `{}` at byte {}", c as char, self.i - 1),
                    }
                }
            }
            Some(b'[') => {
                self.i += 1;
                let mut items = Vec::new();
                self.ws();
                if self.s[self.i] == b']' {
                    self.i += 1;
                    return Json::Array(items);
                }
                loop {
                    items.push(self.value());
                    self.ws();
                    self.i += 1;
                    match self.s[self.i - 1] {
                        b',' => continue,
                        b']' => return Json::Array(items),
                        c => panic!("unexpected `{}` at byte {}", c as char, self.i - 1),
                    }
                }
            }
            Some(b'"') => Json::String(self.string()),
            Some(b'n') => self.word("null", Json::Null),
            Some(b't') => self.word("true", Json::Bool(true)),
            Some(b'f') => self.word("false", Json::Bool(false)),
            Some(_) => {
                let start = self.i;
                while self.i < self.s.len()
                    && matches!(
                        self.s[self.i],
                        b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E'
                    )
                {
                    self.i += 1;
                }
                let n = &self.text[start..self.i];
                assert!(
                    !n.is_empty() && n.parse::<f64>().is_ok(),
                    "not a number at byte {start}: {n:?}"
                );
                Json::Number(n.to_string())
            }
            None => panic!("unexpected end of JSON"),
        }
    }

    fn word(&mut self, w: &str, v: Json) -> Json {
        assert!(
            self.text[self.i..].starts_with(w),
            "expected {w} at byte {}",
            self.i
        );
        self.i += w.len();
        v
    }

    /// A string token, decoded by serde_json (exact for strings).
    fn string(&mut self) -> String {
        assert_eq!(self.s[self.i], b'"', "expected a string at byte {}", self.i);
        let start = self.i;
        self.i += 1;
        while self.s[self.i] != b'"' {
            self.i += if self.s[self.i] == b'\\' { 2 } else { 1 };
        }
        self.i += 1;
        serde_json::from_str(&self.text[start..self.i])
            .unwrap_or_else(|e| panic!("a bad string at byte {start}: {e}"))
    }
}

/// One record of a JSON download (see `src/render/downloads.rs`): raw
/// numbers, the status key, and the `*_display` texts in the site's language.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    pub entity: String,
    pub metric: String,
    /// ISO period: `2016`, `2017-H1`, `2017-Q1`, `2017-01`, `2016/17`.
    pub period: String,
    /// `year`, `financial_year`, `half`, `quarter` or `month`.
    pub period_kind: String,
    pub actual: Option<f64>,
    pub target: Option<f64>,
    /// actual / target, a ratio (whichever way is better).
    pub attainment: Option<f64>,
    /// The actual against the whole target in the metric's direction
    /// (target / actual when lower is better), a ratio.
    pub performance: Option<f64>,
    /// Over the earlier value of `compared_with`, a ratio.
    pub growth: Option<f64>,
    /// The period growth compares with (`2016`), empty without a growth.
    pub compared_with: String,
    /// A closed period: `achieved`, `nearly`, `missed`; a period in
    /// progress: `achieved`, `ahead`, `on_pace`, `behind`, `far_behind`
    /// (`missed` for a ceiling already passed); `no_data`.
    pub status: String,
    /// ISO date of an actual measured while its period was in progress, else empty.
    pub as_of: String,
    /// The value expected by `as_of`, for a period in progress.
    pub expected: Option<f64>,
    /// The actual against `expected` in the metric's direction, a ratio.
    pub pace: Option<f64>,
    /// Progress towards a target several periods ahead (`progress_moderate` ...), else empty.
    pub progress: String,
    /// `reported`, `aggregated` or `rolled_up` (empty without an actual).
    pub actual_from: String,
    pub source: String,
    pub actual_display: String,
    pub target_display: String,
    pub attainment_display: String,
    pub status_display: String,
    /// Every member of the record, as written.
    pub fields: BTreeMap<String, Json>,
}

fn number(v: &Json, key: &str) -> Option<f64> {
    match v.get(key) {
        Some(Json::Number(n)) => Some(n.parse().expect("checked when parsed")),
        Some(Json::Null) | None => None,
        Some(other) => panic!("`{key}` is not a number: {other:?}"),
    }
}

fn string(v: &Json, key: &str) -> String {
    match v.get(key) {
        Some(Json::String(s)) => s.clone(),
        other => panic!("`{key}` is not a string: {other:?}"),
    }
}

impl Figure {
    fn from_json(v: &Json) -> Figure {
        let Json::Object(members) = v else {
            panic!("a record is an object: {v:?}")
        };
        Figure {
            entity: string(v, "entity"),
            metric: string(v, "metric"),
            period: string(v, "period"),
            period_kind: string(v, "period_kind"),
            actual: number(v, "actual"),
            target: number(v, "target"),
            attainment: number(v, "attainment"),
            performance: number(v, "performance"),
            growth: number(v, "growth"),
            compared_with: string(v, "compared_with"),
            status: string(v, "status"),
            as_of: string(v, "as_of"),
            expected: number(v, "expected"),
            pace: number(v, "pace"),
            progress: string(v, "progress"),
            actual_from: string(v, "actual_from"),
            source: string(v, "source"),
            actual_display: string(v, "actual_display"),
            target_display: string(v, "target_display"),
            attainment_display: string(v, "attainment_display"),
            status_display: string(v, "status_display"),
            fields: members.iter().cloned().collect(),
        }
    }
}

/// Every record of the JSON download at `path` (`{"figures": [...]}`).
pub fn read(path: &Path) -> Vec<Figure> {
    let text =
        std::fs::read_to_string(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
    serde_json::from_str::<serde_json::Value>(&text)
        .unwrap_or_else(|e| panic!("{} is not valid JSON: {e}", path.display()));
    let doc = parse(&text);
    let Some(Json::Array(rows)) = doc.get("figures") else {
        panic!("{} is not {{\"figures\": [...]}}", path.display())
    };
    rows.iter().map(Figure::from_json).collect()
}

/// The record of the whole (not of a category) for (`entity`, `metric`,
/// `period`) in the JSON download at `path`, if there is one; panics if
/// there are two.
pub fn try_figure_in(path: &Path, entity: &str, metric: &str, period: &str) -> Option<Figure> {
    let whole = |f: &Figure| match f.fields.get("by") {
        None => true,
        Some(Json::String(s)) => s.is_empty(),
        Some(_) => false,
    };
    let mut found: Vec<Figure> = read(path)
        .into_iter()
        .filter(|f| f.entity == entity && f.metric == metric && f.period == period && whole(f))
        .collect();
    assert!(
        found.len() <= 1,
        "{} has {} records for {entity}, {metric}, {period}",
        path.display(),
        found.len()
    );
    found.pop()
}

/// The record for (`entity`, `metric`, `period`) in the JSON download at
/// `path`; panics, listing what there is, unless there is exactly one.
pub fn figure_in(path: &Path, entity: &str, metric: &str, period: &str) -> Figure {
    try_figure_in(path, entity, metric, period).unwrap_or_else(|| {
        let listed: Vec<String> = read(path)
            .iter()
            .filter(|f| f.entity == entity || f.metric == metric)
            .map(|f| format!("{} {} {}", f.entity, f.metric, f.period))
            .collect();
        panic!(
            "{} has no record for {entity}, {metric}, {period}; records of that entity or metric:\n{}",
            path.display(),
            listed.join("\n")
        )
    })
}

/// The record for (`entity`, `metric`, `period`) in the site-wide download
/// of the build in `dir/public` (`data/figures.json`), checked to be the
/// same as the one in the entity's own download (`regions/ID/data.json`).
pub fn figure(dir: &Path, entity: &str, metric: &str, period: &str) -> Figure {
    let public = dir.join("public");
    figure_of_build(&public, entity, metric, period)
}

/// Like [`figure`], for the build in the output folder `out`.
pub fn figure_of_build(out: &Path, entity: &str, metric: &str, period: &str) -> Figure {
    let all = figure_in(&out.join("data/figures.json"), entity, metric, period);
    let own = figure_in(
        &out.join(format!("regions/{entity}/data.json")),
        entity,
        metric,
        period,
    );
    assert_eq!(
        all, own,
        "the site's download and {entity}'s own download disagree"
    );
    all
}

/// The record for (`entity`, `metric`, `period`) in the build in
/// `dir/public`, or `None` when the build wrote none.
pub fn try_figure(dir: &Path, entity: &str, metric: &str, period: &str) -> Option<Figure> {
    try_figure_in(
        &dir.join("public/data/figures.json"),
        entity,
        metric,
        period,
    )
}

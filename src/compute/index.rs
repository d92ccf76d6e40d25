//! The content index: the years the site covers and the taxonomies of its
//! releases, decided once, before rendering.

use serde::Serialize;

use crate::validate::Site;

use super::Report;

/// A taxonomy of releases.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Taxonomy {
    /// Free tags (`tags:` in front matter).
    Tags,
    /// Social-security programmes (`programmes:`).
    Programmes,
}

impl Taxonomy {
    /// Every taxonomy, in the order pages list them.
    pub const ALL: [Taxonomy; 2] = [Taxonomy::Tags, Taxonomy::Programmes];

    /// The URL segment and the interface-string key (`tags`, `programmes`).
    pub fn key(self) -> &'static str {
        match self {
            Taxonomy::Tags => crate::urls::TAGS,
            Taxonomy::Programmes => crate::urls::PROGRAMMES,
        }
    }
}

/// A term of a taxonomy and the releases carrying it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Term {
    /// As first written (in the newest release that has it).
    pub name: String,
    /// URL slug.
    pub slug: String,
    /// Indices of the releases carrying it, newest first.
    pub releases: Vec<usize>,
}

/// The terms of one taxonomy, by slug.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TaxonomyIndex {
    /// Which taxonomy.
    pub taxonomy: Taxonomy,
    /// Its terms, by slug; never empty.
    pub terms: Vec<Term>,
}

/// Years and taxonomies of a site.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ContentIndex {
    /// Years with figures, meetings or releases, newest first.
    pub years: Vec<i32>,
    /// The taxonomies with at least one term.
    pub taxonomies: Vec<TaxonomyIndex>,
}

impl ContentIndex {
    /// The index of `site`, whose figures are in `report`.
    pub fn new(site: &Site, report: &Report) -> ContentIndex {
        let mut years: Vec<i32> = report.years.clone();
        years.extend(site.releases.iter().map(|r| r.release.date.year() as i32));
        years.extend(site.meetings.iter().map(|m| m.meeting.date.year() as i32));
        years.sort_unstable();
        years.dedup();
        years.reverse();
        let taxonomies = Taxonomy::ALL
            .into_iter()
            .map(|taxonomy| TaxonomyIndex {
                taxonomy,
                terms: terms(site, taxonomy),
            })
            .filter(|t| !t.terms.is_empty())
            .collect();
        ContentIndex { years, taxonomies }
    }
}

/// Every term of `tax` in `site`'s releases, by slug.
fn terms(site: &Site, tax: Taxonomy) -> Vec<Term> {
    use std::collections::HashMap;
    // Each name slugified once (ten thousand releases write a few dozen
    // names again and again), each slug's term found by its place.
    let mut by_name: HashMap<&str, Option<usize>, ahash::RandomState> = HashMap::default();
    let mut by_slug: HashMap<String, usize, ahash::RandomState> = HashMap::default();
    let mut terms: Vec<Term> = Vec::new();
    for (i, r) in site.releases.iter().enumerate() {
        let names = match tax {
            Taxonomy::Tags => &r.release.tags,
            Taxonomy::Programmes => &r.release.programmes,
        };
        for t in names {
            let at = *by_name.entry(t.as_str()).or_insert_with(|| {
                let slug = crate::slug::slugify(t);
                if slug.is_empty() {
                    return None;
                }
                Some(*by_slug.entry(slug.clone()).or_insert_with(|| {
                    terms.push(Term {
                        name: t.clone(),
                        slug,
                        releases: Vec::new(),
                    });
                    terms.len() - 1
                }))
            });
            let Some(at) = at else { continue };
            let term = &mut terms[at];
            if term.releases.last() != Some(&i) {
                term.releases.push(i);
            }
        }
    }
    terms.sort_unstable_by(|a, b| a.slug.cmp(&b.slug));
    terms
}

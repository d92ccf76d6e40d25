//! The digests of the releases a build renders, each made once per build
//! and read twice: by the bodies (a body's key holds its text and
//! shortcodes) and by the pages (their frame holds every release but its
//! text).
//!
//! Ten thousand releases serialise to some twenty megabytes of digest
//! input, which a rebuild after one save would hash again. With
//! `rekap serve`'s memo, a release whose record is that of the last build
//! keeps its digests: the same loaded release (the load's cache hands the
//! same [`Arc`] for a file whose bytes did not change) resolved to the same
//! entity, meeting, shortcodes and cover. Each kept digest is held with
//! the record it was made from, so the address it is found by stays that
//! release's for as long as it is kept.

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::sync::Arc;

use rayon::prelude::*;

use crate::digest;
use crate::validate::ReleaseRecord;

/// The digests of one release's record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Digests {
    /// The record with its text left out
    /// ([`digest::update_without_bodies`]): what the pages' frame holds.
    pub front: u128,
    /// Its text with its resolved shortcodes ([`text`]): what its body's
    /// key holds.
    pub text: u128,
}

/// The digests of every release of a build, in `Site::releases` order;
/// `None` for a release that could not be digested.
#[derive(Debug, Default)]
pub struct DocDigests {
    releases: Vec<Option<Digests>>,
}

impl DocDigests {
    /// The digests of release `i`, if it could be digested.
    pub fn release(&self, i: usize) -> Option<Digests> {
        self.releases.get(i).copied().flatten()
    }

    /// The front digest of every release, in order; `None` if one could
    /// not be digested.
    pub fn fronts(&self) -> Option<Vec<u128>> {
        self.releases.iter().map(|d| d.map(|d| d.front)).collect()
    }
}

/// The digests one build made, kept for the next: by the address of the
/// release each was made from, with its record (which holds the release,
/// so that the address is not reused while it is kept) and the number of
/// the last build that had it.
#[derive(Debug, Default)]
pub struct KeptDigests {
    by_release: HashMap<usize, Kept, ahash::RandomState>,
    /// The number of the last build.
    build: u64,
}

/// A record's digests, kept.
#[derive(Debug)]
struct Kept {
    record: Arc<ReleaseRecord>,
    digests: Digests,
    /// The last build that had the record.
    build: u64,
}

impl KeptDigests {
    /// How many releases' digests are kept.
    pub fn len(&self) -> usize {
        self.by_release.len()
    }

    /// Whether none is.
    pub fn is_empty(&self) -> bool {
        self.by_release.is_empty()
    }

    /// The digests kept for a record that is `r` (the very record, kept
    /// by the validation's memo, or one alike).
    fn get(&self, r: &Arc<ReleaseRecord>) -> Option<Digests> {
        self.by_release
            .get(&address(r))
            .filter(|kept| Arc::ptr_eq(&kept.record, r) || same_record(&kept.record, r))
            .map(|kept| kept.digests)
    }
}

/// The key a record's digests are kept under: the address of its release.
fn address(r: &ReleaseRecord) -> usize {
    Arc::as_ptr(&r.release) as usize
}

/// Whether `a` and `b` are the same record: the same loaded release,
/// resolved alike. Every field is named, so that a field added to the
/// record is not silently left out.
fn same_record(a: &ReleaseRecord, b: &ReleaseRecord) -> bool {
    let ReleaseRecord {
        entity,
        meeting,
        shortcodes,
        cover,
        release,
    } = a;
    Arc::ptr_eq(release, &b.release)
        && *entity == b.entity
        && *meeting == b.meeting
        && *shortcodes == b.shortcodes
        && *cover == b.cover
}

/// The digest of a document's text and its resolved shortcodes: what its
/// body is made from besides the templates, the language and the figures.
pub fn text<S: serde::Serialize>(text: &str, shortcodes: &[S]) -> Option<u128> {
    digest::of(&(text, shortcodes)).ok()
}

/// The digests of `r`, made.
fn made(r: &ReleaseRecord) -> Option<Digests> {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    digest::update_without_bodies(&mut h, r).ok()?;
    Some(Digests {
        front: h.digest128(),
        text: text(&r.release.body, &r.shortcodes)?,
    })
}

/// The digests of every release in `records`, each taken from `kept` when
/// it holds that record's, else made; with the memo's, those to keep for
/// the next build (every record's that could be digested, and no other).
pub fn releases(
    records: &[Arc<ReleaseRecord>],
    kept: Option<KeptDigests>,
) -> (DocDigests, Option<KeptDigests>) {
    let found: Vec<(Option<Digests>, bool)> = records
        .par_iter()
        .map(|r| match kept.as_ref().and_then(|k| k.get(r)) {
            Some(d) => (Some(d), true),
            None => (made(r), false),
        })
        .collect();
    // Updated in place (a map of ten thousand made again at every build
    // would be memory to fetch and zero again).
    let keep = kept.map(|mut kept| {
        kept.build += 1;
        let build = kept.build;
        for (r, &(d, was_kept)) in records.iter().zip(&found) {
            let Some(digests) = d else { continue };
            match kept.by_release.entry(address(r)) {
                Entry::Occupied(mut o) if was_kept => o.get_mut().build = build,
                Entry::Occupied(mut o) => {
                    *o.get_mut() = Kept {
                        record: r.clone(),
                        digests,
                        build,
                    }
                }
                Entry::Vacant(v) => {
                    v.insert(Kept {
                        record: r.clone(),
                        digests,
                        build,
                    });
                }
            }
        }
        kept.by_release.retain(|_, k| k.build == build);
        kept
    });
    let digests = DocDigests {
        releases: found.into_iter().map(|(d, _)| d).collect(),
    };
    (digests, keep)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(body: &str) -> Arc<ReleaseRecord> {
        use crate::model::{Audience, Origin, Pos, Release};
        let file = "content/releases/2017-03-01-iuran.md";
        let origin = Origin::new(file, Pos::default());
        let release = Release {
            lang: None,
            slug: "iuran".to_string(),
            slug_origin: origin.clone(),
            title: "Iuran".to_string(),
            date: jiff::civil::date(2017, 3, 1),
            entity: Some("kanwil".to_string()),
            entity_origin: Origin::new(file, Pos { line: 4, column: 9 }),
            tags: Vec::new(),
            programmes: Vec::new(),
            summary: None,
            meeting: None,
            meeting_origin: origin.clone(),
            cover_chart: None,
            draft: false,
            audience: Audience::Public,
            body: body.to_string(),
            body_line: 6,
            shortcodes: Vec::new(),
            origin,
        };
        Arc::new(ReleaseRecord {
            entity: Some(0),
            meeting: None,
            shortcodes: Vec::new(),
            cover: None,
            release: Arc::new(release),
        })
    }

    #[test]
    fn a_record_of_the_same_release_resolved_alike_keeps_its_digests() {
        let a = record("Satu.");
        let (first, kept) = releases(std::slice::from_ref(&a), Some(KeptDigests::default()));
        let kept = kept.unwrap();
        assert_eq!(kept.len(), 1);
        // The same release (the same Arc), resolved alike: taken, and the
        // same as made afresh.
        let again = Arc::new((*a).clone());
        let (second, kept) = releases(std::slice::from_ref(&again), Some(kept));
        assert_eq!(second.release(0), first.release(0));
        assert_eq!(first.release(0), made(&again));
        // Resolved otherwise: made again, and different.
        let mut moved = (*a).clone();
        moved.entity = Some(1);
        let moved = Arc::new(moved);
        let (third, kept) = releases(std::slice::from_ref(&moved), kept);
        assert_ne!(
            third.release(0).unwrap().front,
            first.release(0).unwrap().front
        );
        assert_eq!(
            third.release(0).unwrap().text,
            first.release(0).unwrap().text
        );
        assert_eq!(kept.unwrap().len(), 1);
    }

    #[test]
    fn an_equal_release_loaded_again_is_digested_again_and_alike() {
        let a = record("Satu.");
        let (first, kept) = releases(std::slice::from_ref(&a), Some(KeptDigests::default()));
        // Another Arc of equal content: not found by address, made, equal.
        let b = record("Satu.");
        let (second, _) = releases(std::slice::from_ref(&b), kept);
        assert_eq!(first.release(0), second.release(0));
        // Another text: the same front, another text digest.
        let c = record("Dua.");
        let (third, _) = releases(std::slice::from_ref(&c), None);
        assert_eq!(
            third.release(0).unwrap().front,
            first.release(0).unwrap().front
        );
        assert_ne!(
            third.release(0).unwrap().text,
            first.release(0).unwrap().text
        );
    }
}

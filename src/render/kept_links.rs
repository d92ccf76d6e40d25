//! The links and ids read from each page, and each page's broken links,
//! kept from one build for the next (`rekap serve`; see
//! [`KeptScans`](super::links::KeptScans)).
//!
//! Every page of a build asks for both, from every thread that writes
//! pages: the large benchmark site asks 25,000 times per save. They are
//! apart from the rest of the memo, looked up under a shared lock, and an
//! entry found is marked with the number of the build rather than moved
//! into a new map (which hashed and copied each path again and had every
//! thread wait on one lock). What a build reads anew is gathered aside and
//! put in at its end, when the entries it did not use are dropped.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, RwLock};

use super::links::{Around, Broken, Scanned, Verdict};
use crate::cache::Marked;

/// Maps by page path, hashed with aHash.
type Map<V> = HashMap<String, V, ahash::RandomState>;

/// See the module documentation.
#[derive(Debug, Default)]
pub(super) struct KeptLinks(RwLock<State>);

#[derive(Debug, Default)]
struct State {
    /// The number of the build under way.
    build: u64,
    /// The links and ids of pages, with the bytes they were read from
    /// (held, so that no other buffer can take their address).
    scans: Map<Marked<(bytes::Bytes, Arc<Scanned>)>>,
    /// The broken links of pages (see [`Verdict::of`]).
    verdicts: Map<Marked<Verdict>>,
    /// Read by the build under way.
    new_scans: Mutex<Vec<(String, bytes::Bytes, Arc<Scanned>)>>,
    /// Checked by the build under way.
    new_verdicts: Mutex<Vec<Verdict>>,
}

impl KeptLinks {
    fn read(&self) -> std::sync::RwLockReadGuard<'_, State> {
        self.0.read().unwrap_or_else(|e| e.into_inner())
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, State> {
        self.0.write().unwrap_or_else(|e| e.into_inner())
    }

    /// Starts a build.
    pub(super) fn begin(&self) {
        let mut s = self.write();
        s.build += 1;
        s.new_scans
            .get_mut()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
        s.new_verdicts
            .get_mut()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
    }

    /// Ends a build: keeps what it used and what it read anew, and drops
    /// the rest.
    pub(super) fn end(&self) {
        let mut s = self.write();
        let s = &mut *s;
        let build = s.build;
        s.scans.retain(|_, e| e.used_by(build));
        s.verdicts.retain(|_, e| e.used_by(build));
        let new_scans = std::mem::take(s.new_scans.get_mut().unwrap_or_else(|e| e.into_inner()));
        for (path, bytes, scanned) in new_scans {
            s.scans.insert(path, Marked::new((bytes, scanned), build));
        }
        let new_verdicts =
            std::mem::take(s.new_verdicts.get_mut().unwrap_or_else(|e| e.into_inner()));
        for verdict in new_verdicts {
            s.verdicts
                .insert(verdict.path().to_string(), Marked::new(verdict, build));
        }
    }

    /// What was read from `bytes` at `path`, if kept for that very buffer.
    pub(super) fn scanned(&self, path: &str, bytes: &bytes::Bytes) -> Option<Arc<Scanned>> {
        let s = self.read();
        let e = s.scans.get(path)?;
        let (kept, scanned) = &e.value;
        // The very buffer read before (held here, so no other can share
        // its address): the same bytes.
        if kept.as_ptr() != bytes.as_ptr() || kept.len() != bytes.len() {
            return None;
        }
        e.mark(s.build);
        Some(scanned.clone())
    }

    /// Keeps what was read from `bytes` at `path`, for the next build.
    pub(super) fn keep_scanned(&self, path: &str, bytes: bytes::Bytes, scanned: Arc<Scanned>) {
        self.read()
            .new_scans
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push((path.to_string(), bytes, scanned));
    }

    /// How many pages' links and ids are kept.
    pub(super) fn pages(&self) -> usize {
        self.read().scans.len()
    }

    /// The broken links of `page` if kept for that very page in a site
    /// `around` that is the same for it (see [`Verdict::of`]).
    pub(super) fn verdict(&self, page: &Arc<Scanned>, around: &Around) -> Option<Arc<[Broken]>> {
        let s = self.read();
        let e = s.verdicts.get(&page.path)?;
        let found = e.value.of(page, around);
        if found.is_some() {
            e.mark(s.build);
        }
        found
    }

    /// Keeps `verdict` for the next build.
    pub(super) fn keep_verdict(&self, verdict: Verdict) {
        self.read()
            .new_verdicts
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(verdict);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::links::{Paths, broken, broken_keeping, scan};
    use crate::render::memo::RenderMemo;

    fn paths(p: &[&str]) -> Paths {
        p.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn a_scan_is_kept_for_the_very_buffer_while_builds_use_it() {
        let kept = KeptLinks::default();
        let html = bytes::Bytes::from_static(b"<a href=\"/b/\">b</a>");
        let scanned = Arc::new(scan("a/index.html", "<a href=\"/b/\">b</a>"));
        kept.begin();
        assert!(kept.scanned("a/index.html", &html).is_none());
        kept.keep_scanned("a/index.html", html.clone(), scanned.clone());
        // Gathered aside until the build ends.
        assert!(kept.scanned("a/index.html", &html).is_none());
        kept.end();
        assert_eq!(kept.pages(), 1);
        kept.begin();
        let found = kept.scanned("a/index.html", &html).expect("kept");
        assert!(Arc::ptr_eq(&found, &scanned));
        // The same text in another buffer is not taken for it.
        let copy = bytes::Bytes::copy_from_slice(&html);
        assert!(kept.scanned("a/index.html", &copy).is_none());
        kept.end();
        // Used by that build: still kept. A build that does not use it
        // drops it.
        assert_eq!(kept.pages(), 1);
        kept.begin();
        kept.end();
        assert_eq!(kept.pages(), 0);
    }

    #[test]
    fn broken_links_kept_are_those_a_check_of_every_page_finds() {
        let memo = RenderMemo::new();
        let a = Arc::new(scan("a/index.html", r#"<a href="/b/#top">b</a>"#));
        let b = Arc::new(scan("b/index.html", r#"<h1 id="top">B</h1>"#));
        let b_without = Arc::new(scan("b/index.html", "<h1>B</h1>"));
        let check = |pages: &[Arc<Scanned>], all: &[&str]| {
            memo.begin(None);
            let found = broken_keeping(pages, &paths(all), "/", &memo);
            memo.end(None);
            assert_eq!(found, broken(pages, &paths(all), "/"));
            found.into_iter().map(|b| b.link).collect::<Vec<_>>()
        };
        let site = ["a/index.html", "b/index.html"];
        assert!(check(&[a.clone(), b.clone()], &site).is_empty());
        assert!(check(&[a.clone(), b.clone()], &site).is_empty());
        // The anchor gone from the other page: the kept verdict of `a` does
        // not hold.
        assert_eq!(check(&[a.clone(), b_without.clone()], &site), ["/b/#top"]);
        // Back again, and a page gone.
        assert!(check(&[a.clone(), b.clone()], &site).is_empty());
        assert_eq!(check(std::slice::from_ref(&a), &site[..1]), ["/b/#top"]);
    }
}

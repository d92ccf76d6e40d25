//! An entry of a memo marked with the last build that used it.
//!
//! A memo looked up by every page or document of a build (ten thousand
//! times per save on the large benchmark site, from every thread) keeps its
//! entries in one map under a shared lock: a lookup marks the entry it
//! finds with the build's number, and the build's end drops the entries
//! not marked by it, instead of each lookup copying its key into a map or
//! set of those used.

use std::sync::atomic::{AtomicU64, Ordering};

/// A value, with the number of the last build that used it.
#[derive(Debug)]
pub struct Marked<T> {
    /// The value kept.
    pub value: T,
    used: AtomicU64,
}

impl<T> Marked<T> {
    /// The mark of a value no build has used yet.
    pub const UNUSED: u64 = u64::MAX;

    /// `value`, used by `build`.
    pub fn new(value: T, build: u64) -> Marked<T> {
        Marked {
            value,
            used: AtomicU64::new(build),
        }
    }

    /// Marks it used by `build` (through a shared reference: lookups hold
    /// the map's lock shared).
    pub fn mark(&self, build: u64) {
        self.used.store(build, Ordering::Relaxed);
    }

    /// Whether `build` used it.
    pub fn used_by(&self, build: u64) -> bool {
        self.used.load(Ordering::Relaxed) == build
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_is_used_by_the_build_that_marked_it_last() {
        let m = Marked::new("a", 1);
        assert!(m.used_by(1));
        m.mark(2);
        assert!(!m.used_by(1));
        assert!(m.used_by(2));
        assert!(!Marked::new("b", Marked::<&str>::UNUSED).used_by(0));
    }
}

//! A page's template values, with a digest of them taken as they are set,
//! so that a page given the same values as in an earlier build can be taken
//! from the [`RenderMemo`](crate::render::memo::RenderMemo) unrendered.

use serde::Serialize;
use tera::Context;
use xxhash_rust::xxh3::Xxh3;

use crate::digest;

/// What [`Values`] keeps of the values set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// The template's values alone (a build with no memo).
    Context,
    /// Their digest alone (to look a page up in the memo before building
    /// its values for the template).
    Digest,
    /// Both.
    Both,
}

/// The values a page's template is given, and their digest.
pub struct Values {
    /// `None` when only the digest is wanted.
    context: Option<Context>,
    /// `None` when it is not wanted, or once a value could not be digested
    /// (the page is then always rendered).
    digest: Option<Xxh3>,
    /// Whether values set go to the template alone (see
    /// [`Values::for_template_only`]).
    template_only: bool,
}

impl Values {
    /// No value yet; `mode` says what to keep of those set.
    pub fn new(mode: Mode) -> Values {
        Values {
            context: (mode != Mode::Digest).then(Context::new),
            digest: (mode != Mode::Context).then(Xxh3::new),
            template_only: false,
        }
    }

    /// Whether the values are kept for the template (else only digested).
    pub fn for_template(&self) -> bool {
        self.context.is_some()
    }

    /// From now on (`true`) or no longer (`false`), values set go to the
    /// template alone, not into the digest: for values that enter the
    /// digest by what they are made from, set once with
    /// [`Values::insert_digest_only`].
    pub fn for_template_only(&mut self, only: bool) {
        self.template_only = only;
    }

    /// Whether the values are digested.
    pub fn digested(&self) -> bool {
        self.digest.is_some()
    }

    /// Gives up the digest: the page is then always rendered (for a value
    /// that could not be digested).
    pub fn forget_digest(&mut self) {
        self.digest = None;
    }

    /// Sets, for the template alone, the values `other` holds for it.
    pub fn extend_template(&mut self, other: Values) {
        if let (Some(c), Some(o)) = (&mut self.context, other.context) {
            c.extend(o);
        }
    }

    /// Puts `key` and `value` into the digest alone (what values set for
    /// the template alone are made from).
    pub fn insert_digest_only<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) {
        if let Some(h) = &mut self.digest {
            h.update(&(key.len() as u64).to_le_bytes());
            h.update(key.as_bytes());
            if digest::update(h, value).is_err() {
                self.digest = None;
            }
        }
    }

    /// Sets `key` to `value`, already made into a template value, for the
    /// template alone (its digest is set with
    /// [`Values::insert_digest_only`]).
    pub fn insert_value(&mut self, key: &'static str, value: tera::Value) {
        debug_assert!(self.template_only, "a value given as made enters no digest");
        if let Some(c) = &mut self.context {
            c.insert_value(key, value);
        }
    }

    /// Sets `key` to `value` (the digest takes the key and the value in the
    /// order they are set: the same calls give the same digest).
    pub fn insert<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) {
        if let Some(c) = &mut self.context {
            c.insert(key, value);
        }
        if !self.template_only {
            self.insert_digest_only(key, value);
        }
    }

    /// The values, for the template (`None` if only the digest was kept).
    pub fn context(&self) -> Option<&Context> {
        self.context.as_ref()
    }

    /// The digest of every value set, in order (`None` if it was not
    /// wanted or some value could not be digested).
    pub fn digest(&self) -> Option<u128> {
        self.digest.as_ref().map(|h| h.digest128())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_values_set_alike_have_the_same_digest() {
        let values = |title: &str, n: u32| {
            let mut v = Values::new(Mode::Both);
            v.insert("title", title);
            v.insert("n", &n);
            v
        };
        let a = values("Gorontalo", 1);
        assert_eq!(a.digest(), values("Gorontalo", 1).digest());
        assert_ne!(a.digest(), values("Gorontalo", 2).digest());
        assert_ne!(a.digest(), values("Gorontal", 1).digest());
        // The key counts: the same value under another name is another page.
        let mut b = Values::new(Mode::Digest);
        b.insert("name", "Gorontalo");
        b.insert("n", &1u32);
        assert_ne!(a.digest(), b.digest());
        assert_eq!(
            a.context()
                .and_then(|c| c.get("title"))
                .map(|v| v.to_string()),
            Some("Gorontalo".to_string())
        );
        assert!(b.context().is_none(), "the digest alone");
        assert_eq!(Values::new(Mode::Context).digest(), None);
    }

    #[test]
    fn values_for_the_template_alone_enter_the_digest_by_what_they_are_made_from() {
        let values = |mode, made_from: u32, shown: &str| {
            let mut v = Values::new(mode);
            v.insert_digest_only("made_from", &made_from);
            v.for_template_only(true);
            if v.for_template() {
                v.insert("shown", shown);
            }
            v.for_template_only(false);
            v.insert("list", "a, b");
            v
        };
        let both = values(Mode::Both, 1, "x");
        assert_eq!(
            both.digest(),
            values(Mode::Digest, 1, "y").digest(),
            "the same in every mode"
        );
        assert_ne!(both.digest(), values(Mode::Both, 2, "x").digest());
        assert!(both.context().is_some_and(|c| c.get("shown").is_some()));
        assert!(!values(Mode::Digest, 1, "x").for_template());
    }
}

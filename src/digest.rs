//! A digest of any serialisable value: what a page's template is given,
//! hashed (XXH3-128) so that a page whose values are those of an earlier
//! build can be recognised without rendering it again.
//!
//! The digest is of the value's serde data model, every item tagged with
//! its kind and every sequence and string with its length, so two values
//! with the same digest serialise alike (up to a 128-bit collision): a map
//! is hashed in the order it serialises in, a float by its bits (`NaN` is
//! not `null`, `0.0` is not `-0.0`), a unit variant by its name.
//!
//! The serializer is not human-readable: a value with a compact form for
//! machines gives that. A drawn chart gives the identity of what it is
//! drawn from rather than its SVG text, when that is known (see
//! [`Drawing`](crate::render::chart_views::Drawing)).

use serde::ser::{self, Serialize};
use xxhash_rust::xxh3::Xxh3;

/// Feeds `value` into `h`. Fails only when `value`'s own `Serialize`
/// fails (a map key that is not a string, say), and the digest is then of
/// no use.
pub fn update<T: Serialize + ?Sized>(h: &mut Xxh3, value: &T) -> Result<(), Error> {
    feed(h, value, false)
}

/// Feeds `value` into `h` as [`update`] does, leaving out the text of
/// every document: the `body` field of each
/// [`Release`](crate::model::Release), [`Meeting`](crate::model::Meeting)
/// and [`Page`](crate::model::Page) in it. Two values whose
/// documents differ only in their texts feed the same bytes; their
/// shortcodes, the line their text starts at and every other field count.
pub fn update_without_bodies<T: Serialize + ?Sized>(h: &mut Xxh3, value: &T) -> Result<(), Error> {
    feed(h, value, true)
}

/// [`update`], or [`update_without_bodies`] if `without_bodies`.
fn feed<T: Serialize + ?Sized>(h: &mut Xxh3, value: &T, without_bodies: bool) -> Result<(), Error> {
    let mut out = Buffered {
        h,
        buf: [0; BUFFER],
        len: 0,
        without_bodies,
    };
    let result = value.serialize(Hasher(&mut out));
    out.flush();
    result
}

/// The structs whose `body` field [`update_without_bodies`] leaves out:
/// the documents ([`Release`](crate::model::Release) and the others).
const DOCUMENTS: [&str; 3] = ["Release", "Meeting", "Page"];

/// How many bytes [`Buffered`] gathers before hashing them.
const BUFFER: usize = 4096;

/// The hasher fed in blocks: a value's many small items (a tag, a length,
/// a number) are gathered and hashed together, which gives the same digest
/// as hashing each (XXH3 is a hash of the bytes, however they are split)
/// for less work.
struct Buffered<'a> {
    h: &'a mut Xxh3,
    buf: [u8; BUFFER],
    len: usize,
    /// Whether documents' texts are left out ([`update_without_bodies`]).
    without_bodies: bool,
}

impl Buffered<'_> {
    #[inline]
    fn update(&mut self, bytes: &[u8]) {
        if self.len + bytes.len() > BUFFER {
            self.flush();
            if bytes.len() > BUFFER {
                self.h.update(bytes);
                return;
            }
        }
        let to = &mut self.buf[self.len..self.len + bytes.len()];
        match bytes.len() {
            // Most items are a few bytes (a tag, a length, a number, a
            // field's name): copied in place rather than by a call.
            0..=16 => copy_small(to, bytes),
            _ => to.copy_from_slice(bytes),
        }
        self.len += bytes.len();
    }

    fn flush(&mut self) {
        self.h.update(&self.buf[..self.len]);
        self.len = 0;
    }
}

/// Copies `from` (at most 16 bytes) into `to`, of the same length, with
/// copies of fixed sizes, which compile to moves: two of 8 bytes (or 4)
/// that overlap when the length is between.
#[inline(always)]
fn copy_small(to: &mut [u8], from: &[u8]) {
    let n = from.len();
    if n >= 8 {
        to[..8].copy_from_slice(&from[..8]);
        to[n - 8..].copy_from_slice(&from[n - 8..]);
    } else if n >= 4 {
        to[..4].copy_from_slice(&from[..4]);
        to[n - 4..].copy_from_slice(&from[n - 4..]);
    } else if n > 0 {
        to[0] = from[0];
        to[n / 2] = from[n / 2];
        to[n - 1] = from[n - 1];
    }
}

/// The digest of `value` alone.
pub fn of<T: Serialize + ?Sized>(value: &T) -> Result<u128, Error> {
    let mut h = Xxh3::new();
    update(&mut h, value)?;
    Ok(h.digest128())
}

/// A value that could not be serialised.
#[derive(Debug)]
pub struct Error(String);

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

impl ser::Error for Error {
    fn custom<T: std::fmt::Display>(msg: T) -> Self {
        Error(msg.to_string())
    }
}

/// Kinds of item, the first byte of each.
mod tag {
    pub(super) const BOOL: u8 = 1;
    pub(super) const INT: u8 = 2;
    pub(super) const UINT: u8 = 3;
    pub(super) const FLOAT: u8 = 4;
    pub(super) const CHAR: u8 = 5;
    pub(super) const STR: u8 = 6;
    pub(super) const BYTES: u8 = 7;
    pub(super) const NONE: u8 = 8;
    pub(super) const SOME: u8 = 9;
    pub(super) const UNIT: u8 = 10;
    pub(super) const VARIANT: u8 = 11;
    pub(super) const NEWTYPE: u8 = 12;
    pub(super) const SEQ: u8 = 13;
    pub(super) const MAP: u8 = 14;
    pub(super) const STRUCT: u8 = 15;
    pub(super) const FIELD: u8 = 16;
    pub(super) const SKIPPED: u8 = 17;
    pub(super) const END: u8 = 18;
}

struct Hasher<'a, 'b>(&'a mut Buffered<'b>);

impl<'b> Hasher<'_, 'b> {
    fn tag(&mut self, t: u8) {
        self.0.update(&[t]);
    }

    fn str(&mut self, t: u8, s: &[u8]) {
        self.tag(t);
        self.0.update(&(s.len() as u64).to_le_bytes());
        self.0.update(s);
    }

    fn reborrow(&mut self) -> Hasher<'_, 'b> {
        Hasher(self.0)
    }
}

impl<'a, 'b> ser::Serializer for Hasher<'a, 'b> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Self;
    type SerializeTuple = Self;
    type SerializeTupleStruct = Self;
    type SerializeTupleVariant = Self;
    type SerializeMap = Self;
    type SerializeStruct = Fields<'a, 'b>;
    type SerializeStructVariant = Self;

    fn is_human_readable(&self) -> bool {
        false
    }

    fn serialize_bool(mut self, v: bool) -> Result<(), Error> {
        self.tag(tag::BOOL);
        self.0.update(&[v as u8]);
        Ok(())
    }
    fn serialize_i8(self, v: i8) -> Result<(), Error> {
        self.serialize_i128(v.into())
    }
    fn serialize_i16(self, v: i16) -> Result<(), Error> {
        self.serialize_i128(v.into())
    }
    fn serialize_i32(self, v: i32) -> Result<(), Error> {
        self.serialize_i128(v.into())
    }
    fn serialize_i64(self, v: i64) -> Result<(), Error> {
        self.serialize_i128(v.into())
    }
    fn serialize_i128(mut self, v: i128) -> Result<(), Error> {
        self.tag(tag::INT);
        self.0.update(&v.to_le_bytes());
        Ok(())
    }
    fn serialize_u8(self, v: u8) -> Result<(), Error> {
        self.serialize_u128(v.into())
    }
    fn serialize_u16(self, v: u16) -> Result<(), Error> {
        self.serialize_u128(v.into())
    }
    fn serialize_u32(self, v: u32) -> Result<(), Error> {
        self.serialize_u128(v.into())
    }
    fn serialize_u64(self, v: u64) -> Result<(), Error> {
        self.serialize_u128(v.into())
    }
    fn serialize_u128(mut self, v: u128) -> Result<(), Error> {
        self.tag(tag::UINT);
        self.0.update(&v.to_le_bytes());
        Ok(())
    }
    fn serialize_f32(self, v: f32) -> Result<(), Error> {
        self.serialize_f64(v.into())
    }
    fn serialize_f64(mut self, v: f64) -> Result<(), Error> {
        self.tag(tag::FLOAT);
        self.0.update(&v.to_bits().to_le_bytes());
        Ok(())
    }
    fn serialize_char(mut self, v: char) -> Result<(), Error> {
        self.tag(tag::CHAR);
        self.0.update(&u32::from(v).to_le_bytes());
        Ok(())
    }
    fn serialize_str(mut self, v: &str) -> Result<(), Error> {
        self.str(tag::STR, v.as_bytes());
        Ok(())
    }
    fn serialize_bytes(mut self, v: &[u8]) -> Result<(), Error> {
        self.str(tag::BYTES, v);
        Ok(())
    }
    fn serialize_none(mut self) -> Result<(), Error> {
        self.tag(tag::NONE);
        Ok(())
    }
    fn serialize_some<T: Serialize + ?Sized>(mut self, value: &T) -> Result<(), Error> {
        self.tag(tag::SOME);
        value.serialize(self)
    }
    fn serialize_unit(mut self) -> Result<(), Error> {
        self.tag(tag::UNIT);
        Ok(())
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<(), Error> {
        self.serialize_unit()
    }
    fn serialize_unit_variant(
        mut self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<(), Error> {
        self.str(tag::VARIANT, variant.as_bytes());
        Ok(())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        mut self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        self.str(tag::NEWTYPE, variant.as_bytes());
        value.serialize(self)
    }
    fn serialize_seq(mut self, _len: Option<usize>) -> Result<Self, Error> {
        // A length known ahead or not hashes alike: the end is tagged.
        self.tag(tag::SEQ);
        Ok(self)
    }
    fn serialize_tuple(self, len: usize) -> Result<Self, Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _name: &'static str, len: usize) -> Result<Self, Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        mut self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Self, Error> {
        self.str(tag::NEWTYPE, variant.as_bytes());
        self.serialize_seq(Some(len))
    }
    fn serialize_map(mut self, _len: Option<usize>) -> Result<Self, Error> {
        self.tag(tag::MAP);
        Ok(self)
    }
    fn serialize_struct(
        mut self,
        name: &'static str,
        _len: usize,
    ) -> Result<Fields<'a, 'b>, Error> {
        self.tag(tag::STRUCT);
        let without_body = self.0.without_bodies && DOCUMENTS.contains(&name);
        Ok(Fields {
            h: self,
            without_body,
        })
    }
    fn serialize_struct_variant(
        mut self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Self, Error> {
        self.str(tag::NEWTYPE, variant.as_bytes());
        self.tag(tag::STRUCT);
        Ok(self)
    }
}

/// The sequences: each element in turn, then the end tag (`$method` is
/// the trait's name for adding an element).
macro_rules! sequence {
    ($($trait:ident :: $method:ident),*) => {$(
        impl ser::$trait for Hasher<'_, '_> {
            type Ok = ();
            type Error = Error;
            fn $method<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
                value.serialize(self.reborrow())
            }
            fn end(mut self) -> Result<(), Error> {
                self.tag(tag::END);
                Ok(())
            }
        }
    )*};
}

sequence!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field
);

impl ser::SerializeMap for Hasher<'_, '_> {
    type Ok = ();
    type Error = Error;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Error> {
        key.serialize(self.reborrow())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        value.serialize(self.reborrow())
    }
    fn end(mut self) -> Result<(), Error> {
        self.tag(tag::END);
        Ok(())
    }
}

/// A struct's fields, and whether its `body` is left out (a document's,
/// in [`update_without_bodies`]).
struct Fields<'a, 'b> {
    h: Hasher<'a, 'b>,
    without_body: bool,
}

impl Hasher<'_, '_> {
    fn field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result<(), Error> {
        self.str(tag::FIELD, key.as_bytes());
        value.serialize(self.reborrow())
    }

    fn skipped(&mut self, key: &'static str) {
        // A skipped field is absent from the template's values: it must
        // not hash like a field that is there.
        self.str(tag::SKIPPED, key.as_bytes());
    }
}

impl ser::SerializeStruct for Fields<'_, '_> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        if self.without_body && key == "body" {
            self.h.skipped(key);
            return Ok(());
        }
        self.h.field(key, value)
    }
    fn skip_field(&mut self, key: &'static str) -> Result<(), Error> {
        self.h.skipped(key);
        Ok(())
    }
    fn end(mut self) -> Result<(), Error> {
        self.h.tag(tag::END);
        Ok(())
    }
}

impl ser::SerializeStructVariant for Hasher<'_, '_> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        self.field(key, value)
    }
    fn skip_field(&mut self, key: &'static str) -> Result<(), Error> {
        self.skipped(key);
        Ok(())
    }
    fn end(mut self) -> Result<(), Error> {
        self.tag(tag::END);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_copies_copy_every_byte() {
        let from: Vec<u8> = (1..=16).collect();
        for n in 0..=16 {
            let mut to = [0u8; 16];
            copy_small(&mut to[..n], &from[..n]);
            assert_eq!(&to[..n], &from[..n], "length {n}");
            assert!(to[n..].iter().all(|&b| b == 0), "nothing past {n}");
        }
    }

    #[test]
    fn gathering_items_into_blocks_hashes_the_same_bytes() {
        let bytes: Vec<u8> = (0..3 * BUFFER + 17).map(|i| (i * 7 % 251) as u8).collect();
        let whole = xxhash_rust::xxh3::xxh3_128(&bytes);
        for step in [1, 3, 64, BUFFER - 1, BUFFER, BUFFER + 1, 2 * BUFFER + 5] {
            let mut h = Xxh3::new();
            let mut out = Buffered {
                without_bodies: false,
                h: &mut h,
                buf: [0; BUFFER],
                len: 0,
            };
            for chunk in bytes.chunks(step) {
                out.update(chunk);
            }
            out.flush();
            assert_eq!(h.digest128(), whole, "in pieces of {step}");
        }
    }
    use serde::Serialize;
    use std::collections::BTreeMap;

    #[derive(Serialize)]
    struct Row<'a> {
        name: &'a str,
        value: Option<f64>,
        #[serde(skip_serializing_if = "Option::is_none")]
        note: Option<&'a str>,
    }

    fn row(name: &str, value: Option<f64>) -> u128 {
        of(&Row {
            name,
            value,
            note: None,
        })
        .unwrap()
    }

    #[test]
    fn equal_values_have_equal_digests() {
        assert_eq!(row("Gorontalo", Some(1.5)), row("Gorontalo", Some(1.5)));
        let m: BTreeMap<&str, u32> = [("a", 1), ("b", 2)].into();
        assert_eq!(of(&m).unwrap(), of(&m.clone()).unwrap());
    }

    #[test]
    fn values_that_render_differently_have_different_digests() {
        let base = row("Gorontalo", Some(1.5));
        assert_ne!(base, row("Gorontalo", Some(1.25)));
        assert_ne!(base, row("Gorontalo", None));
        assert_ne!(base, row("Gorontal", Some(1.5)));
        // Floats by their bits: NaN is not None, -0 is not 0.
        assert_ne!(row("x", Some(f64::NAN)), row("x", None));
        assert_ne!(row("x", Some(0.0)), row("x", Some(-0.0)));
        // A skipped field is not a field set to none.
        let noted = of(&Row {
            name: "Gorontalo",
            value: Some(1.5),
            note: Some(""),
        })
        .unwrap();
        assert_ne!(base, noted);
        // Lengths and boundaries: ["ab", "c"] is not ["a", "bc"] nor ["abc"].
        let a = of(&["ab", "c"]).unwrap();
        assert_ne!(a, of(&["a", "bc"]).unwrap());
        assert_ne!(a, of(&vec!["abc"]).unwrap());
        // Nesting: [[1], 2] is not [[1, 2]].
        assert_ne!(
            of(&(vec![1u8], 2u8)).unwrap(),
            of(&(vec![1u8, 2u8],)).unwrap()
        );
        // A number's kind counts: 1 and 1.0 and "1" and true all differ.
        let ones = [
            of(&1u8).unwrap(),
            of(&1i8).unwrap(),
            of(&1.0f64).unwrap(),
            of("1").unwrap(),
            of(&true).unwrap(),
        ];
        for (i, a) in ones.iter().enumerate() {
            for b in &ones[i + 1..] {
                assert_ne!(a, b);
            }
        }
    }

    #[test]
    fn without_bodies_leaves_out_only_a_documents_text() {
        #[derive(Serialize)]
        struct Release<'a> {
            title: &'a str,
            body: &'a str,
        }
        #[derive(Serialize)]
        struct Note<'a> {
            body: &'a str,
        }
        fn without<T: Serialize>(v: &T) -> u128 {
            let mut h = Xxh3::new();
            update_without_bodies(&mut h, v).expect("digestible");
            h.digest128()
        }
        let a = Release {
            title: "Iuran",
            body: "Satu.",
        };
        let b = Release {
            title: "Iuran",
            body: "Dua.",
        };
        assert_eq!(without(&a), without(&b), "the texts differ only");
        assert_ne!(of(&a).unwrap(), of(&b).unwrap(), "all of it");
        let c = Release {
            title: "Iuran 2017",
            body: "Satu.",
        };
        assert_ne!(without(&a), without(&c), "another title");
        // Only a document's `body`: another struct's counts.
        assert_ne!(
            without(&Note { body: "Satu." }),
            without(&Note { body: "Dua." })
        );
    }
}

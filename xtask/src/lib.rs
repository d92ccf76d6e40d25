//! Developer tooling for rekap, kept out of the shipped library and binary.
//!
//! - [`generate`]: writes valid sites of any size (small, medium, large) for
//!   the build benchmark (`cargo bench -p xtask --bench build`), the
//!   byte-identity comparisons of `scripts/compare-trees.sh`, and tests.
//!
//! Run it as `cargo xtask generate --size large DIR` (an alias in
//! `.cargo/config.toml` for `cargo run --release -p xtask --`).

#![warn(missing_docs)]

pub mod generate;

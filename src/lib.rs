//! # rekap
//!
//! A static-site report generator for organisations that set targets and
//! publish results. rekap reads YAML figures (entities in a hierarchy,
//! metrics, periods, targets and actuals) and Markdown press releases and
//! meeting notes, and writes a static HTML site.
//!
//! The build is a pipeline, one module per stage:
//!
//! 1. [`load`]: walk the site folder, parse YAML and front matter into [`model`] types;
//! 2. [`validate`]: resolve references, check the hierarchy, units and consistency;
//! 3. [`compute`]: attainment, growth, status and aggregates;
//! 4. [`render`]: Markdown, charts and templates into pages;
//! 5. [`write`](mod@write): stage the changed files beside the output and put them in place
//!    only when the whole build succeeded.
//!
//! [`build`] and [`check`] run the pipeline; `main.rs` only parses arguments.

#![warn(missing_docs, unreachable_pub)]

pub mod cache;
pub mod compute;
pub mod diagnostics;
pub mod digest;
pub mod format;
pub mod load;
pub mod model;
pub mod render;
pub mod slug;
pub mod urls;
pub mod validate;
pub mod write;

pub mod progress;
pub mod serve;

mod export;
mod init;
mod pipeline;
mod scaffold;

pub use export::{ExportError, export_templates, exported_files};
pub use init::{InitError, init};
pub use pipeline::{
    BuildOptions, BuildReport, CheckOptions, Error, Memo, Rendered, Timings, build, check,
    check_with, checks, render_to, render_to_keeping,
};
pub use scaffold::{NewError, NewKind, new_content};

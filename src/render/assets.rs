//! Step **assets**: the theme's static files (rekap's defaults under
//! `assets/`, then the site's own `static/`) copied into the output.

use super::{Put, RenderError};
use crate::model::theme::{FileSource, Theme};
use crate::write::{Contents, OutputFile};

/// Hands every static file of `theme` to `put`.
///
/// # Errors
///
/// The first write error.
pub fn write(theme: &Theme, put: Put) -> Result<(), RenderError> {
    for f in &theme.files {
        put(OutputFile {
            path: f.rel.clone(),
            contents: match &f.source {
                FileSource::Bytes(b) => Contents::Bytes(b.to_vec()),
                FileSource::Site(path) => Contents::Copy(path.clone()),
            },
        })?;
    }
    Ok(())
}

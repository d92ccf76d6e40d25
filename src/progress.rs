//! The progress line of long builds: the stage the build is in and, while it
//! renders, how many files are done. Drawn on standard error with
//! `indicatif`, only when the command line asks for it (a terminal, not
//! `-q`), and only once a build has run for [`Progress::DELAY`]: a short
//! build prints nothing extra.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::write::{Kept, OutputFile, Sink, Stamp, WriteError};

/// A build's progress line (cheap to clone; clones share the line).
#[derive(Clone)]
pub struct Progress {
    inner: Arc<Inner>,
}

struct Inner {
    bar: ProgressBar,
    start: Instant,
    /// Whether the line is drawn (after [`Progress::DELAY`]).
    shown: AtomicBool,
    /// Whether to draw at all (false: counts only, for tests).
    draw: bool,
    files: AtomicU64,
}

impl std::fmt::Debug for Progress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Progress")
            .field("stage", &self.inner.bar.message())
            .field("files", &self.files())
            .finish()
    }
}

impl Progress {
    /// How long a build runs before its progress line appears.
    pub const DELAY: Duration = Duration::from_millis(400);

    /// A progress line on standard error. Call it only when standard error
    /// is a terminal and the user did not ask for quiet.
    pub fn stderr() -> Progress {
        Progress::new(true)
    }

    /// Progress that is counted but never drawn (for tests).
    pub fn hidden() -> Progress {
        Progress::new(false)
    }

    fn new(draw: bool) -> Progress {
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
        bar.set_style(
            ProgressStyle::with_template("{spinner} {elapsed:>3} {msg} {pos}")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        Progress {
            inner: Arc::new(Inner {
                bar,
                start: Instant::now(),
                shown: AtomicBool::new(false),
                draw,
                files: AtomicU64::new(0),
            }),
        }
    }

    /// The build entered `stage` (`loading`, `rendering`, ...).
    pub fn stage(&self, stage: &'static str) {
        self.inner.bar.set_message(stage);
        self.inner.bar.set_position(0);
        self.show_if_long();
        self.inner.bar.tick();
    }

    /// One more file of the site is done.
    pub fn file_done(&self) {
        let n = self.inner.files.fetch_add(1, Ordering::Relaxed) + 1;
        // Redraw at most every 64 files: the bar limits its own rate too.
        if n.is_multiple_of(64) {
            self.show_if_long();
            self.inner.bar.set_position(n);
        }
    }

    /// Files done so far.
    pub fn files(&self) -> u64 {
        self.inner.files.load(Ordering::Relaxed)
    }

    /// The build is over: the line is removed.
    pub fn finish(&self) {
        self.inner.bar.finish_and_clear();
    }

    fn show_if_long(&self) {
        let i = &self.inner;
        if i.draw && !i.shown.load(Ordering::Relaxed) && i.start.elapsed() >= Self::DELAY {
            i.shown.store(true, Ordering::Relaxed);
            i.bar
                .set_draw_target(ProgressDrawTarget::stderr_with_hz(10));
            i.bar.enable_steady_tick(Duration::from_millis(100));
        }
    }
}

impl Drop for Inner {
    fn drop(&mut self) {
        self.bar.finish_and_clear();
    }
}

/// A sink that counts the files it passes on to `inner`.
pub(crate) struct Counting<'a> {
    pub(crate) inner: &'a dyn Sink,
    pub(crate) progress: &'a Progress,
}

impl Sink for Counting<'_> {
    fn put(&self, file: OutputFile) -> Result<(), WriteError> {
        self.inner.put(file)?;
        self.progress.file_done();
        Ok(())
    }

    fn reuse(&self, path: &str, source: &str) -> Result<bool, WriteError> {
        let kept = self.inner.reuse(path, source)?;
        if kept {
            self.progress.file_done();
        }
        Ok(kept)
    }

    fn keep(&self, path: &str) -> Result<Option<Kept>, WriteError> {
        let kept = self.inner.keep(path)?;
        if kept.is_some() {
            self.progress.file_done();
        }
        Ok(kept)
    }

    fn keep_stamped(&self, path: &str, stamp: &Stamp) -> Result<bool, WriteError> {
        let kept = self.inner.keep_stamped(path, stamp)?;
        if kept {
            self.progress.file_done();
        }
        Ok(kept)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_files_passed_on() {
        let p = Progress::hidden();
        let sink = crate::write::Collect::default();
        let c = Counting {
            inner: &sink,
            progress: &p,
        };
        p.stage("rendering");
        for i in 0..3 {
            c.put(OutputFile {
                path: format!("f{i}.txt"),
                contents: crate::write::Contents::Bytes(Vec::new()),
            })
            .unwrap();
        }
        assert_eq!(p.files(), 3);
        assert_eq!(sink.into_files().len(), 3);
        p.finish();
    }
}

//! The `rekap` command line: parse arguments, call the library, report.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};
use rekap::model::Audience;

/// mimalloc: the build allocates many small strings on several threads at
/// once, where it is markedly faster than the system allocator (see the
/// README's performance section).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

// mimalloc's own API, from the library the global allocator links.
unsafe extern "C" {
    fn mi_option_set(option: std::ffi::c_int, value: std::ffi::c_long);
    #[cfg(test)]
    fn mi_option_get(option: std::ffi::c_int) -> std::ffi::c_long;
}

/// `mi_option_purge_delay`: its place in mimalloc's `mi_option_e`, the
/// same in mimalloc 2 and 3 (retired options keep their places; the Rust
/// bindings name no constant for it). Its default in mimalloc 3 is 1000 ms
/// (the option list of its `options.c`); -1 never purges.
const MI_OPTION_PURGE_DELAY: std::ffi::c_int = 15;

/// `rekap serve` builds again after every save: the memory one build frees
/// is kept for the next instead of being handed back to the system, which
/// zeroes every page again when it is next used (a fifth of a rebuild's
/// time on the large generated site; the server holds about 300 MB more).
fn keep_freed_memory() {
    // SAFETY: sets a global option of the allocator, which mimalloc allows
    // at any time from any thread.
    unsafe { mi_option_set(MI_OPTION_PURGE_DELAY, -1) }
}

/// Transparent huge pages off for this process. mimalloc asks the kernel for
/// them on its arenas, and the kernel then zeroes two megabytes at the first
/// touch of any byte in them: on the large generated site that was a sixth
/// of a full build's samples and 2.4 s of system time, for no measurable gain
/// in user time (see the README's performance section). A failure (an old
/// kernel) leaves the default, which is only slower.
fn no_transparent_huge_pages() {
    #[cfg(target_os = "linux")]
    let _ = rustix::thread::disable_transparent_huge_pages(true);
}

#[derive(Parser)]
#[command(
    name = "rekap",
    version,
    about = "Static sites of regional figures, targets and the story behind them",
    after_help = "Examples:
  rekap init mysite                     write a new, working site into mysite/
  rekap build mysite                    build mysite/ into mysite/public/
  rekap check mysite --strict           report every problem, write nothing
  rekap serve mysite --open             preview mysite/, rebuilt and reloaded on every change
  rekap new release \"Target 2018\"       a draft release in the site of the current folder
  rekap templates export mysite         the default templates into mysite/, to customise
  rekap build -o /srv/www -b https://rekap.example/

Run `rekap COMMAND --help` for each command's options and examples."
)]
struct Cli {
    /// Print nothing but errors.
    #[arg(short, long, global = true)]
    quiet: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, ValueEnum)]
enum AudienceArg {
    Public,
    Internal,
}

impl From<AudienceArg> for Audience {
    fn from(a: AudienceArg) -> Audience {
        match a {
            AudienceArg::Public => Audience::Public,
            AudienceArg::Internal => Audience::Internal,
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
enum NewKindArg {
    /// A press release in content/releases/.
    Release,
    /// A meeting in content/meetings/.
    Meeting,
    /// A CSV figure file in content/data/figures/, to fill in a spreadsheet.
    Figures,
}

/// The site folder: positional (`rekap build mysite`, as Hugo and Zola take
/// it too) or `--root`.
#[derive(Args)]
struct SiteArg {
    /// The site folder (default: the current folder).
    #[arg(value_name = "SITE")]
    site: Option<PathBuf>,
    /// The site folder, as an option (the same as SITE).
    #[arg(
        short = 'r',
        long = "root",
        value_name = "DIR",
        conflicts_with = "site",
        visible_alias = "source",
        short_alias = 's'
    )]
    root: Option<PathBuf>,
}

impl SiteArg {
    fn path(self) -> PathBuf {
        self.site
            .or(self.root)
            .unwrap_or_else(|| PathBuf::from("."))
    }
}

/// `--base-url`: the same rule as `base_url` in `site.yaml`.
fn base_url(s: &str) -> Result<String, String> {
    rekap::urls::check_base_url(s)
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into the output folder.
    #[command(after_help = "Examples:
  rekap build                                  the site in this folder, into ./public/
  rekap build mysite                           mysite/ into mysite/public/
  rekap build mysite -o /srv/www/rekap         into another folder
  rekap build -b https://example.org/rekap/    published under another address
  rekap build --relative-urls -o archive-2017  a copy that opens from a folder or zip (file://)
  rekap build --audience internal -o briefing  everything, internal content included
  rekap build -D                               drafts included, to review them
  rekap build --no-cache                       render everything, even if no input changed")]
    Build {
        #[command(flatten)]
        site: SiteArg,
        /// The output folder (default: SITE/public).
        #[arg(short, long, value_name = "DIR", visible_alias = "output-dir")]
        output: Option<PathBuf>,
        /// Publish at this URL instead of base_url from site.yaml.
        #[arg(short = 'b', long, value_name = "URL", value_parser = base_url)]
        base_url: Option<String>,
        /// Who the build is for.
        #[arg(long, value_enum, default_value = "public")]
        audience: AudienceArg,
        /// Include drafts.
        #[arg(short = 'D', long, visible_alias = "build-drafts")]
        drafts: bool,
        /// Treat warnings as errors.
        #[arg(long)]
        strict: bool,
        /// Write over an output folder built for another audience.
        #[arg(long)]
        force: bool,
        /// Print the time spent in each stage.
        #[arg(long)]
        timings: bool,
        /// Make every link relative, so the site opens from a folder or zip with file:// (archive mode).
        #[arg(long)]
        relative_urls: bool,
        /// Render every page and file, keeping none unrendered from the build in
        /// the output (see `<output>.rekap-cache/`), even when nothing changed.
        #[arg(long)]
        no_cache: bool,
    },
    /// Build the site into memory, serve it on 127.0.0.1 and rebuild and reload the pages on every change.
    #[command(after_help = "Examples:
  rekap serve                                  the site in this folder, at http://127.0.0.1:1111/
  rekap serve mysite --open                    mysite/, opened in the browser
  rekap serve --port 8080 -D                   on port 8080, drafts included
  rekap serve --port 0                         on any free port (printed)
  rekap serve --audience internal              everything, internal content included

Watches content/ (site.yaml included), templates/, static/ and i18n/. Nothing is
written to disk: the site's public/ is left alone. A file with an error keeps
the server up: the error shows in the terminal and over the page until the
file is fixed. Ctrl-C stops it.")]
    Serve {
        #[command(flatten)]
        site: SiteArg,
        /// The port on 127.0.0.1 (0: any free port).
        #[arg(short, long, default_value_t = rekap::serve::DEFAULT_PORT)]
        port: u16,
        /// Open the site in the default browser.
        #[arg(long)]
        open: bool,
        /// Include drafts.
        #[arg(short = 'D', long, visible_alias = "build-drafts")]
        drafts: bool,
        /// Who the build is for.
        #[arg(long, value_enum, default_value = "public")]
        audience: AudienceArg,
        /// Build as if published at this URL (default: the server's own address).
        #[arg(short = 'b', long, value_name = "URL", value_parser = base_url)]
        base_url: Option<String>,
        /// Print how long each stage of every build took.
        #[arg(long)]
        timings: bool,
    },
    /// Load and validate everything, render in memory and check every link; write nothing, report all problems.
    #[command(after_help = "Examples:
  rekap check                                  the site in this folder
  rekap check mysite --strict                  warnings count as errors (for CI)
  rekap check -b https://example.org/rekap/    links checked for that address
  rekap check --audience internal -D           internal content and drafts too")]
    Check {
        #[command(flatten)]
        site: SiteArg,
        /// Check as if published at this URL instead of base_url from site.yaml.
        #[arg(short = 'b', long, value_name = "URL", value_parser = base_url)]
        base_url: Option<String>,
        /// Check as for this audience.
        #[arg(long, value_enum, default_value = "public")]
        audience: AudienceArg,
        /// Include drafts.
        #[arg(short = 'D', long, visible_alias = "build-drafts")]
        drafts: bool,
        /// Treat warnings as errors.
        #[arg(long)]
        strict: bool,
    },
    /// Create a dated draft release or meeting, or a figure file (CSV) to fill in a spreadsheet.
    #[command(after_help = "Examples:
  rekap new release \"Iuran 2018 naik\"          content/releases/<today>-iuran-2018-naik.md
  rekap new meeting Rapat koordinasi --date 2018-01-30
                                               content/meetings/2018-01-30-rapat-koordinasi.md
  rekap new figures 2018 --root mysite         mysite/content/data/figures/2018.csv

The release or meeting is a draft about the site's default entity; its
slug is the title transliterated (\"Ünïcode\" gives unicode).")]
    New {
        /// `release`, `meeting` or `figures`.
        #[arg(value_enum)]
        kind: NewKindArg,
        /// The title (of a figure file: its name). Quotes are optional.
        #[arg(required = true, num_args = 1.., value_name = "TITLE")]
        title: Vec<String>,
        /// The site folder.
        #[arg(
            short = 'r',
            long,
            value_name = "DIR",
            default_value = ".",
            visible_alias = "source",
            short_alias = 's'
        )]
        root: PathBuf,
        /// The date (YYYY-MM-DD); default today. A figure file's examples use the year in its name, else this date's.
        #[arg(long)]
        date: Option<jiff::civil::Date>,
    },
    /// Work with the site's templates (`rekap templates export`).
    #[command(after_help = "Examples:
  rekap templates export                 the default templates and static files into this site
  rekap templates export mysite --force  into mysite/, overwriting files exported before")]
    Templates {
        #[command(subcommand)]
        action: TemplatesAction,
    },
    /// Write a new, working site (the example) into DIR.
    #[command(after_help = "Examples:
  rekap init mysite      then: rekap build mysite")]
    Init {
        /// A new or empty folder.
        dir: PathBuf,
    },
}

#[derive(Subcommand)]
enum TemplatesAction {
    /// Write rekap's embedded templates into SITE/templates/ and its static files into SITE/static/assets/, to customise them.
    #[command(after_help = "Examples:
  rekap templates export                 into the site in this folder
  rekap templates export mysite          into mysite/templates/ and mysite/static/assets/
  rekap templates export --root mysite --force
                                         overwrite files exported before with the defaults

Each file replaces the embedded one of the same name, so the site builds
exactly as before until you edit one; delete the files you leave unchanged
to keep getting rekap's own. No file is overwritten without --force.")]
    Export {
        #[command(flatten)]
        site: SiteArg,
        /// Overwrite files that exist already.
        #[arg(long)]
        force: bool,
    },
}

fn main() -> ExitCode {
    no_transparent_huge_pages();
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return match e.kind() {
                clap::error::ErrorKind::DisplayHelp | clap::error::ErrorKind::DisplayVersion => {
                    ExitCode::SUCCESS
                }
                _ => ExitCode::from(2),
            };
        }
    };
    let quiet = cli.quiet;
    match cli.command {
        Command::Build {
            site,
            output,
            base_url,
            audience,
            drafts,
            strict,
            force,
            timings,
            relative_urls,
            no_cache,
        } => {
            let root = site.path();
            let mut opts = rekap::BuildOptions::new(&root);
            if let Some(o) = output {
                opts.output = o;
            }
            opts.base_url = base_url;
            opts.audience = audience.into();
            opts.drafts = drafts;
            opts.strict = strict;
            opts.force = force;
            opts.relative_urls = relative_urls;
            opts.no_cache = no_cache;
            if !quiet && std::io::stderr().is_terminal() {
                opts.progress = Some(rekap::progress::Progress::stderr());
            }
            if !quiet {
                eprintln!("building {} into {}", root.display(), opts.output.display());
            }
            match rekap::build(&opts) {
                Ok(report) => {
                    if !quiet {
                        for w in &report.warnings {
                            eprintln!("{w}");
                        }
                        let unchanged = report.files - report.written;
                        eprintln!(
                            "built {} pages ({} files, {} KiB{}) in {:.0} ms",
                            report.pages,
                            report.files,
                            report.bytes / 1024,
                            if report.from_cache {
                                "; no input changed: nothing rendered, every file kept".to_string()
                            } else if report.pages_kept > 0 {
                                format!(
                                    "; {} pages kept unrendered, {unchanged} files unchanged, {} written",
                                    report.pages_kept, report.written
                                )
                            } else if unchanged > 0 {
                                format!("; {unchanged} unchanged, {} written", report.written)
                            } else {
                                String::new()
                            },
                            report.timings.total().as_secs_f64() * 1000.0
                        );
                    }
                    if timings {
                        eprintln!("{}", report.timings);
                    }
                    ExitCode::SUCCESS
                }
                Err(e) => fail(e),
            }
        }
        Command::Serve {
            site,
            port,
            open,
            drafts,
            audience,
            base_url,
            timings,
        } => {
            keep_freed_memory();
            let mut build = rekap::BuildOptions::new(site.path());
            build.drafts = drafts;
            build.audience = audience.into();
            build.base_url = base_url;
            let opts = rekap::serve::ServeOptions {
                build,
                port,
                open,
                quiet,
                timings,
            };
            match rekap::serve::serve(opts) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e @ rekap::serve::ServeError::NoSite(_)) => {
                    eprintln!("error: {e}");
                    ExitCode::from(2)
                }
                Err(e) => {
                    eprintln!("error: {e}");
                    ExitCode::from(1)
                }
            }
        }
        Command::Check {
            site,
            base_url,
            audience,
            drafts,
            strict,
        } => {
            let opts = rekap::CheckOptions {
                base_url,
                audience: audience.into(),
                drafts,
                strict,
                ..rekap::CheckOptions::new(site.path())
            };
            match rekap::check_with(&opts) {
                Ok(warnings) => {
                    if !quiet {
                        for w in &warnings {
                            eprintln!("{w}");
                        }
                        eprintln!(
                            "no errors ({} warning{})",
                            warnings.len(),
                            if warnings.len() == 1 { "" } else { "s" }
                        );
                    }
                    ExitCode::SUCCESS
                }
                Err(e) => fail(e),
            }
        }
        Command::New {
            kind,
            title,
            root,
            date,
        } => {
            let kind = match kind {
                NewKindArg::Release => rekap::NewKind::Release,
                NewKindArg::Meeting => rekap::NewKind::Meeting,
                NewKindArg::Figures => rekap::NewKind::Figures,
            };
            let title = title.join(" ");
            let date = date.unwrap_or_else(|| jiff::ZonedDateTime::now().date());
            match rekap::new_content(&root, kind, &title, date) {
                Ok(path) => {
                    if !quiet {
                        if kind == rekap::NewKind::Figures {
                            eprintln!(
                                "created {}: open it in a spreadsheet, fill in a row per figure and save it as CSV (or as .xlsx or .ods in its place); see docs/from-a-spreadsheet.md",
                                path.display()
                            );
                        } else {
                            eprintln!(
                                "created {} (a draft: build with --drafts, or set draft: false)",
                                path.display()
                            );
                        }
                    }
                    ExitCode::SUCCESS
                }
                Err(e @ rekap::NewError::Io(..)) => {
                    eprintln!("error: {e}");
                    ExitCode::from(1)
                }
                Err(e) => {
                    eprintln!("error: {e}");
                    ExitCode::from(2)
                }
            }
        }
        Command::Templates {
            action: TemplatesAction::Export { site, force },
        } => {
            let root = site.path();
            match rekap::export_templates(&root, force) {
                Ok(written) => {
                    if !quiet {
                        for rel in &written {
                            eprintln!("wrote {}", root.join(rel).display());
                        }
                        eprintln!(
                            "wrote {} files into {}: edit them to customise the site (see docs/format.md, \"Templates and static files\")",
                            written.len(),
                            root.display()
                        );
                    }
                    ExitCode::SUCCESS
                }
                Err(e @ rekap::ExportError::Io(..)) => {
                    eprintln!("error: {e}");
                    ExitCode::from(1)
                }
                Err(e) => {
                    eprintln!("error: {e}");
                    ExitCode::from(2)
                }
            }
        }
        Command::Init { dir } => match rekap::init(&dir) {
            Ok(n) => {
                if !quiet {
                    eprintln!(
                        "wrote a new site ({n} files) into {}; build it with: rekap build {}",
                        dir.display(),
                        dir.display()
                    );
                }
                ExitCode::SUCCESS
            }
            Err(e @ rekap::InitError::NotEmpty(_)) => {
                eprintln!("error: {e}");
                ExitCode::from(2)
            }
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::from(1)
            }
        },
    }
}

fn fail(e: rekap::Error) -> ExitCode {
    eprintln!("{e}");
    match e {
        rekap::Error::Usage(_) => ExitCode::from(2),
        _ => ExitCode::from(1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_purge_delay_option_is_the_one_set_for_serve() {
        // The option at that place has the purge delay's default (unless
        // MIMALLOC_PURGE_DELAY is set), and takes what serve sets.
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
            assert_eq!(unsafe { mi_option_get(MI_OPTION_PURGE_DELAY) }, 1000);
        }
        keep_freed_memory();
        assert_eq!(unsafe { mi_option_get(MI_OPTION_PURGE_DELAY) }, -1);
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn transparent_huge_pages_are_turned_off_for_the_process() {
        no_transparent_huge_pages();
        assert_eq!(
            rustix::thread::transparent_huge_pages_are_disabled().ok(),
            Some(true)
        );
    }
}

//! The `rekap` command line: parse arguments, call the library, report.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use rekap::model::Audience;

/// mimalloc: the build allocates many small strings on several threads at
/// once, where it is markedly faster than the system allocator (see the
/// README's performance section).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "rekap",
    version,
    about = "Static sites of regional figures, targets and the story behind them"
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
    Release,
    Meeting,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into the output folder.
    Build {
        /// The site folder.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The output folder (default: ROOT/public).
        #[arg(long)]
        output: Option<PathBuf>,
        /// Override base_url from site.yaml.
        #[arg(long)]
        base_url: Option<String>,
        /// Who the build is for.
        #[arg(long, value_enum, default_value = "public")]
        audience: AudienceArg,
        /// Include drafts.
        #[arg(long)]
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
    },
    /// Load and validate everything, write nothing, report all problems.
    Check {
        /// The site folder.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Check as for this audience.
        #[arg(long, value_enum, default_value = "public")]
        audience: AudienceArg,
        /// Include drafts.
        #[arg(long)]
        drafts: bool,
        /// Treat warnings as errors.
        #[arg(long)]
        strict: bool,
    },
    /// Create a dated release or meeting with complete front matter.
    New {
        /// `release` or `meeting`.
        #[arg(value_enum)]
        kind: NewKindArg,
        /// The title.
        title: String,
        /// The site folder.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The date (YYYY-MM-DD); default today.
        #[arg(long)]
        date: Option<jiff::civil::Date>,
    },
    /// Write a new, working site (the example) into DIR.
    Init {
        /// A new or empty folder.
        dir: PathBuf,
    },
}

fn main() -> ExitCode {
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
            root,
            output,
            base_url,
            audience,
            drafts,
            strict,
            force,
            timings,
            relative_urls,
        } => {
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
            opts.relative_urls = relative_urls;
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
                            if unchanged > 0 {
                                format!("; {unchanged} unchanged, {} written", report.written)
                            } else {
                                String::new()
                            },
                            report.timings.total().as_secs_f64() * 1000.0
                        );
                    }
                    if timings {
                        let t = &report.timings;
                        let ms = |d: std::time::Duration| d.as_secs_f64() * 1000.0;
                        eprintln!("  load      {:>8.1} ms", ms(t.load));
                        eprintln!("  validate  {:>8.1} ms", ms(t.validate));
                        eprintln!("  compute   {:>8.1} ms", ms(t.compute));
                        eprintln!("  render    {:>8.1} ms", ms(t.render));
                        eprintln!("    charts    {:>8.1} ms", ms(t.charts));
                        eprintln!(
                            "    images    {:>8.1} ms  (chart SVG and PNG files, alongside the next two)",
                            ms(t.pngs)
                        );
                        eprintln!("    markdown  {:>8.1} ms", ms(t.markdown));
                        eprintln!(
                            "    pages     {:>8.1} ms  (templates, written as rendered)",
                            ms(t.pages)
                        );
                        eprintln!(
                            "    files     {:>8.1} ms  (downloads, feeds, search, sitemap, assets)",
                            ms(t.files)
                        );
                        eprintln!(
                            "  write     {:>8.1} ms  (putting files in place)",
                            ms(t.write)
                        );
                    }
                    ExitCode::SUCCESS
                }
                Err(e) => fail(e),
            }
        }
        Command::Check {
            root,
            audience,
            drafts,
            strict,
        } => match rekap::check(&root, audience.into(), drafts, strict) {
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
        },
        Command::New {
            kind,
            title,
            root,
            date,
        } => {
            let kind = match kind {
                NewKindArg::Release => rekap::NewKind::Release,
                NewKindArg::Meeting => rekap::NewKind::Meeting,
            };
            let date = date.unwrap_or_else(|| jiff::ZonedDateTime::now().date());
            match rekap::new_content(&root, kind, &title, date) {
                Ok(path) => {
                    if !quiet {
                        eprintln!(
                            "created {} (a draft: build with --drafts, or set draft: false)",
                            path.display()
                        );
                    }
                    ExitCode::SUCCESS
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
                        "wrote a new site ({n} files) into {}; build it with: rekap build --root {}",
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

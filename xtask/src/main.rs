//! `cargo xtask`: developer commands for rekap.
//!
//! ```text
//! cargo xtask generate [--size small|medium|large] [--seed N] DIR
//! ```

use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "usage: cargo xtask generate [--size small|medium|large] [--seed N] DIR
  Writes a valid rekap site of the given size (default small, seed 1) into DIR,
  a new or empty folder. The same size and seed always give the same bytes.";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some((cmd, rest)) = args.split_first() else {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    };
    if cmd != "generate" {
        eprintln!("error: unknown command `{cmd}`\n{USAGE}");
        return ExitCode::from(2);
    }
    let (mut size, mut seed, mut dir) = ("small".to_string(), 1u64, None::<PathBuf>);
    let mut it = rest.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--size" => size = it.next().cloned().unwrap_or_default(),
            "--seed" => match it.next().and_then(|s| s.parse().ok()) {
                Some(s) => seed = s,
                None => {
                    eprintln!("error: --seed takes a whole number\n{USAGE}");
                    return ExitCode::from(2);
                }
            },
            "-h" | "--help" => {
                println!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            other if dir.is_none() && !other.starts_with('-') => dir = Some(other.into()),
            other => {
                eprintln!("error: unexpected argument `{other}`\n{USAGE}");
                return ExitCode::from(2);
            }
        }
    }
    let Some(dir) = dir else {
        eprintln!("error: no folder given\n{USAGE}");
        return ExitCode::from(2);
    };
    let Some(mut spec) = xtask::generate::GenSpec::named(&size) else {
        eprintln!("error: unknown size `{size}`: small, medium or large");
        return ExitCode::from(2);
    };
    spec.seed = seed;
    match xtask::generate::generate(&spec, &dir) {
        Ok(stats) => {
            eprintln!("generated {size} site into {}: {stats:?}", dir.display());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
    }
}

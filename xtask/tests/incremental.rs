//! A rebuild over the previous output (with the render cache and the files
//! kept from the previous build) gives, byte for byte, what a fresh build
//! into an empty folder gives: a generated site edited at random over
//! several rounds, edits that change nothing and hand edits of the output
//! included. The seed is printed; `REKAP_TEST_SEED=N` replays a run.

use std::collections::BTreeMap;
use std::path::Path;

use xtask::generate::{GenSpec, generate};

/// Every file under `dir`, by relative path.
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let rel = entry.path().strip_prefix(dir).unwrap();
            out.insert(
                rel.to_string_lossy().replace('\\', "/"),
                std::fs::read(entry.path()).unwrap(),
            );
        }
    }
    out
}

/// xorshift64*: enough to pick edits, the same for the same seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn files_in(dir: &Path, ext: &str) -> Vec<std::path::PathBuf> {
    let mut v: Vec<_> = std::fs::read_dir(dir)
        .map(|r| {
            r.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == ext))
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

/// Makes one random edit to the site at `root`; returns what it did.
fn edit(root: &Path, rng: &mut Rng, round: usize) -> String {
    let releases = files_in(&root.join("content/releases"), "md");
    let pick = |rng: &mut Rng, v: &[std::path::PathBuf]| v[rng.below(v.len())].clone();
    match rng.below(7) {
        0 => {
            let f = pick(rng, &releases);
            let mut t = std::fs::read_to_string(&f).unwrap();
            t.push_str(&format!("\nParagraf tambahan {round}.\n"));
            std::fs::write(&f, t).unwrap();
            format!("appended to {}", f.display())
        }
        1 => {
            let f = pick(rng, &releases);
            let t = std::fs::read_to_string(&f).unwrap();
            let t = t.replacen("title: ", &format!("title: Ralat {round} "), 1);
            std::fs::write(&f, t).unwrap();
            format!("retitled {}", f.display())
        }
        2 => {
            // One actual of a CSV figure file, plus one.
            let csvs = files_in(&root.join("content/data/figures"), "csv");
            let Some(f) = csvs.first() else {
                return "no CSV to change".into();
            };
            let text = std::fs::read_to_string(f).unwrap();
            let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
            let header: Vec<String> = lines[0].split(',').map(str::to_string).collect();
            let col = header.iter().position(|h| h == "actual").unwrap();
            let row = 1 + rng.below(lines.len() - 1);
            let mut cells: Vec<String> = lines[row]
                .splitn(header.len(), ',')
                .map(str::to_string)
                .collect();
            if let Ok(v) = cells[col].parse::<u64>() {
                cells[col] = (v + 1 + rng.below(1000) as u64).to_string();
            }
            lines[row] = cells.join(",");
            std::fs::write(f, lines.join("\n") + "\n").unwrap();
            format!("changed row {row} of {}", f.display())
        }
        3 => {
            let rel = format!("static/extra-{round}.txt");
            let p = root.join(&rel);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(&p, format!("extra {round}\n")).unwrap();
            format!("added {rel}")
        }
        4 => {
            let f = pick(rng, &releases);
            std::fs::remove_file(&f).unwrap();
            format!("removed {}", f.display())
        }
        5 => {
            let p = root.join("content/site.yaml");
            let t = std::fs::read_to_string(&p).unwrap();
            std::fs::write(&p, format!("{t}\n# edited in round {round}\n")).unwrap();
            "commented site.yaml".into()
        }
        _ => {
            // Saved again with the same bytes: nothing to render.
            let f = pick(rng, &releases);
            let t = std::fs::read(&f).unwrap();
            std::fs::write(&f, t).unwrap();
            format!("saved {} unchanged", f.display())
        }
    }
}

#[test]
fn a_rebuild_after_random_edits_equals_a_fresh_build() {
    let seed = std::env::var("REKAP_TEST_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x5eed_2017_0131_u64);
    eprintln!("seed {seed} (REKAP_TEST_SEED={seed} replays it)");
    let mut rng = Rng(seed | 1);
    let spec = GenSpec {
        entities: 16,
        metrics: 3,
        periods: 4,
        releases: 24,
        meetings: 3,
        seed: xtask::generate::DEFAULT_SEED,
    };
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    generate(&spec, &root).unwrap();
    let out = tmp.path().join("out");
    let mut opts = rekap::BuildOptions::new(&root);
    opts.output = out.clone();
    rekap::build(&opts).unwrap();

    let mut hits = 0;
    for round in 0..8 {
        let mut did = Vec::new();
        match round {
            // Nothing changed: the cache keeps every file.
            2 => did.push("nothing".to_string()),
            // A file of the output changed by hand, then nothing else: the
            // cache must notice and render.
            5 => {
                let victim = out.join("index.html");
                std::fs::write(&victim, "edited by hand").unwrap();
                did.push("index.html of the output edited by hand".into());
            }
            _ => {
                for _ in 0..1 + rng.below(3) {
                    did.push(edit(&root, &mut rng, round));
                }
            }
        }
        let incremental = rekap::build(&opts);
        let mut fresh_opts = rekap::BuildOptions::new(&root);
        fresh_opts.output = tmp.path().join(format!("fresh-{round}"));
        fresh_opts.no_cache = true;
        let fresh = rekap::build(&fresh_opts);
        match (&incremental, &fresh) {
            (Ok(r), Ok(_)) => {
                hits += r.from_cache as usize;
                let a = snapshot(&out);
                let b = snapshot(&fresh_opts.output);
                let a_names: Vec<_> = a.keys().collect();
                let b_names: Vec<_> = b.keys().collect();
                assert_eq!(a_names, b_names, "round {round} ({did:?}): other files");
                for (k, v) in &a {
                    assert!(v == &b[k], "round {round} ({did:?}): {k} differs");
                }
            }
            (Err(a), Err(b)) => {
                assert_eq!(a.to_string(), b.to_string(), "round {round} ({did:?})");
            }
            _ => panic!("round {round} ({did:?}): one build failed: {incremental:?} / {fresh:?}"),
        }
        std::fs::remove_dir_all(&fresh_opts.output).unwrap();
        if round == 2 {
            assert!(
                incremental.as_ref().is_ok_and(|r| r.from_cache),
                "an unchanged site was rendered again"
            );
        }
        if round == 5 {
            assert!(
                incremental.as_ref().is_ok_and(|r| !r.from_cache),
                "a site whose output was edited by hand was kept as it was"
            );
        }
    }
    assert!(hits >= 1);
}

#[test]
fn every_figure_of_a_generated_site_round_trips_through_the_store() {
    let dir = tempfile::tempdir().unwrap();
    generate(&GenSpec::small(), dir.path()).unwrap();
    let cache = rekap::load::LoadCache::new();
    rekap::load::load_with(
        dir.path(),
        &mut rekap::diagnostics::Diagnostics::new(),
        Some(&cache),
    );
    let files = cache.figure_files();
    assert!(files.len() > 1, "the generated figure files");
    let back = rekap::load::stored::decode(&rekap::load::stored::encode(&files).unwrap()).unwrap();
    assert_eq!(format!("{back:?}"), format!("{files:?}"));
}

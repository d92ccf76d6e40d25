#[test]
#[ignore]
fn gen_to_tmp() {
    let size = std::env::var("SIZE").unwrap_or("small".into());
    let spec = rekap::generate::GenSpec::named(&size).unwrap();
    let dir = std::path::PathBuf::from(format!("/tmp/gen/{size}"));
    let _ = std::fs::remove_dir_all(&dir);
    let t = std::time::Instant::now();
    let s = rekap::generate::generate(&spec, &dir).unwrap();
    eprintln!("{s:?} in {:?}", t.elapsed());
}

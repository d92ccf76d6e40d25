//! Interface text of the default templates, in every language.
//!
//! Templates read these as `i18n.KEY`; a site is wholly Indonesian or wholly
//! English. A missing key is a template error, never a silent blank. A site
//! replaces any of them in its language with `i18n/id.yaml` or
//! `i18n/en.yaml` (read into [`crate::model::SiteConfig::strings`]): every
//! lookup takes the language of the page it is for.

use serde_json::{Map, Value};

use crate::model::Lang;
use crate::model::Strings;

/// (key, Indonesian, English).
const STRINGS: &[(&str, &str, &str)] = &[
    ("home", "Beranda", "Home"),
    ("regions", "Wilayah", "Regions"),
    ("releases", "Siaran pers", "Press releases"),
    ("meetings", "Rapat koordinasi", "Coordination meetings"),
    ("years", "Arsip tahunan", "Annual archive"),
    ("year", "Tahun", "Year"),
    (
        "latest_releases",
        "Siaran pers terbaru",
        "Latest press releases",
    ),
    ("latest_meetings", "Rapat terbaru", "Latest meetings"),
    ("headline", "Angka utama", "Headline figures"),
    ("metric", "Indikator", "Metric"),
    ("period", "Periode", "Period"),
    ("actual", "Realisasi", "Actual"),
    ("target", "Target", "Target"),
    ("attainment", "Capaian", "Attainment"),
    ("growth", "Pertumbuhan", "Growth"),
    ("change", "Perubahan", "Change"),
    ("gap", "Selisih dari target", "Difference from target"),
    ("status", "Status", "Status"),
    ("source", "Sumber", "Source"),
    ("sources", "Sumber data", "Sources"),
    ("note", "Catatan", "Note"),
    ("entity", "Entitas", "Entity"),
    ("children", "Rincian", "Breakdown"),
    ("rank", "Peringkat", "Rank"),
    ("best", "Terbaik", "Best"),
    ("lagging", "Tertinggal", "Lagging"),
    (
        "attainment_by_period",
        "capaian per periode",
        "attainment by period",
    ),
    ("figures", "Angka", "Figures"),
    ("by_year", "Per tahun", "By year"),
    ("by_half", "Per semester", "By half-year"),
    ("by_quarter", "Per triwulan", "By quarter"),
    ("by_month", "Per bulan", "By month"),
    ("no_data", "Tidak ada data", "No data"),
    ("achieved", "Tercapai", "Achieved"),
    ("nearly", "Hampir tercapai", "Nearly achieved"),
    ("missed", "Tidak tercapai", "Missed"),
    ("ahead", "Di atas laju", "Ahead of pace"),
    ("on_pace", "Sesuai laju", "On pace"),
    ("behind", "Di bawah laju", "Behind pace"),
    ("far_behind", "Jauh di bawah laju", "Far behind pace"),
    ("pace", "Laju", "Pace"),
    (
        "rolled_up",
        "jumlah dari bulan atau triwulan",
        "added up from months or quarters",
    ),
    ("expected_by_now", "Seharusnya saat ini", "Expected by now"),
    ("year_to_date", "sejak awal tahun", "year to date"),
    ("of_ceiling", "dari batas", "of ceiling"),
    ("ceiling", "Batas", "Ceiling"),
    (
        "progress_achieved",
        "Target telah tercapai",
        "Target achieved",
    ),
    (
        "progress_substantial",
        "Kemajuan substansial",
        "Substantial progress",
    ),
    ("progress_moderate", "Kemajuan sedang", "Moderate progress"),
    ("progress_limited", "Kemajuan terbatas", "Limited progress"),
    ("progress_deterioration", "Memburuk", "Deterioration"),
    (
        "progress",
        "Kemajuan menuju target",
        "Progress towards target",
    ),
    ("in_progress", "Periode berjalan", "Period in progress"),
    ("as_of", "per", "as of"),
    ("expected", "Harapan pada titik ini", "Expected by now"),
    ("of_target", "dari target", "of the target"),
    ("aggregated", "Jumlah dari rincian", "Sum of breakdown"),
    (
        "aggregated_mean",
        "Rata-rata dari rincian",
        "Mean of breakdown",
    ),
    (
        "from_growth",
        "Dihitung dari target pertumbuhan",
        "Computed from the growth target",
    ),
    ("stated_as", "dinyatakan sebagai", "stated as"),
    ("growth_target", "target pertumbuhan", "growth target"),
    ("date", "Tanggal", "Date"),
    ("location", "Tempat", "Location"),
    ("attendees", "Peserta rapat", "Attendees"),
    ("decisions", "Keputusan", "Decisions"),
    ("targets_set", "Target yang ditetapkan", "Targets set"),
    (
        "what_became",
        "Perkembangan target",
        "What became of the targets",
    ),
    ("latest_actual", "Realisasi terakhir", "Latest actual"),
    ("no_target", "Tanpa target", "No target"),
    ("no_actual_yet", "Belum ada realisasi", "No actual yet"),
    ("reports_on", "Melaporkan rapat", "Reports on the meeting"),
    ("reported_in", "Diberitakan dalam", "Reported in"),
    ("tags", "Label", "Tags"),
    ("programmes", "Program", "Programmes"),
    ("about", "Tentang", "About"),
    ("all_releases", "Semua siaran pers", "All press releases"),
    ("all_meetings", "Semua rapat", "All meetings"),
    ("results_of", "Hasil tahun", "Results for"),
    ("held_in", "Rapat tahun ini", "Meetings this year"),
    (
        "released_in",
        "Siaran pers tahun ini",
        "Press releases this year",
    ),
    ("none_yet", "Belum ada.", "None yet."),
    ("not_found", "Halaman tidak ditemukan", "Page not found"),
    (
        "not_found_text",
        "Halaman yang Anda cari tidak ada atau telah dipindahkan.",
        "The page you are looking for does not exist or has moved.",
    ),
    ("back_home", "Kembali ke beranda", "Back to the home page"),
    ("skip", "Langsung ke isi", "Skip to content"),
    ("built_with", "Dibuat dengan rekap", "Built with rekap"),
    ("part_of", "Bagian dari", "Part of"),
    ("by_level", "per", "by"),
    (
        "partial_breakdown",
        "Rincian tidak lengkap: angka di bawah ini tidak menjumlah ke angka",
        "Partial breakdown: the figures below do not add up to the figures of",
    ),
    (
        "partial_public",
        "Rincian tidak lengkap: angka di bawah ini tidak menjumlah ke total, dan total tidak dihitung dari angka-angka ini.",
        "Partial breakdown: the figures below do not add up to the total, and no total is computed from them.",
    ),
    ("internal", "Internal", "Internal"),
    (
        "internal_banner",
        "Situs internal: jangan disebarluaskan.",
        "Internal site: do not distribute.",
    ),
    ("data_table", "Tabel data", "Data table"),
    ("chart", "Grafik", "Chart"),
    ("chart_avt", "realisasi dan target", "actual and target"),
    (
        "chart_avt_desc",
        "Batang menunjukkan realisasi per periode, garis tebal menunjukkan target.",
        "Bars show the actual per period; thick lines show the target.",
    ),
    ("chart_trend", "tren", "trend"),
    (
        "chart_trend_desc",
        "Garis menunjukkan realisasi, belah ketupat menunjukkan target.",
        "The line shows the actual; diamonds show the target.",
    ),
    (
        "chart_spark_desc",
        "Tren singkat realisasi.",
        "A short trend of the actual.",
    ),
    ("chart_breakdown", "capaian", "attainment"),
    (
        "chart_breakdown_desc",
        "Batang menunjukkan capaian terhadap target; garis putus-putus menandai 100%.",
        "Bars show attainment against target; the dashed line marks 100%.",
    ),
    (
        "chart_breakdown_pace_desc",
        "Periode masih berjalan: batang menunjukkan laju, yaitu realisasi terhadap angka yang seharusnya sudah dicapai saat ini; garis putus-putus menandai 100%.",
        "The period is in progress: bars show the pace, the actual against what was expected by now; the dashed line marks 100%.",
    ),
    (
        "chart_composition_desc",
        "Batang bertumpuk menunjukkan komposisi.",
        "Stacked bars show the composition.",
    ),
    ("chart_png", "Unduh gambar (PNG)", "Download image (PNG)"),
    (
        "chart_so_far_desc",
        "Garis menunjukkan jumlah realisasi sejak awal tahun per akhir bulan, garis putus-putus jumlah yang diharapkan menuju target, garis abu-abu tahun sebelumnya.",
        "The line shows the running total since the start of the year at each month's end, the dashed line the running total the target expects, the grey line the year before.",
    ),
    ("key_pace", "Laju menuju target", "Pace to target"),
    ("key_reference", "100% = target", "100% = target"),
    (
        "key_reference_pace",
        "100% = yang diharapkan saat ini",
        "100% = expected by now",
    ),
    ("total", "Jumlah", "Total"),
    ("breadcrumbs", "Lokasi halaman", "You are here"),
    ("source_data", "Sumber data", "Data source"),
    ("licence", "Lisensi", "Licence"),
    ("contact", "Kontak", "Contact"),
    ("data_as_of", "Data per", "Data as of"),
    ("illustrative", "Angka ilustratif", "Illustrative figures"),
    (
        "illustrative_note",
        "Sebagian angka di halaman ini disusun untuk contoh dan bukan data resmi; sumbernya ditandai “Ilustratif”.",
        "Some figures on this page were made up for the example and are not official data; their sources are marked illustrative.",
    ),
    ("sort_tree", "Menurut hierarki", "By hierarchy"),
    ("sort_name", "Menurut nama", "By name"),
    ("sorted_by", "diurutkan", "sorted"),
    ("sort_by", "Urutkan", "Sort"),
    ("latest_figures", "Angka terakhir", "Latest figures"),
    (
        "latest_figures_note",
        "Angka terakhir tiap indikator: periode berjalan bila ada, selain itu periode terakhir yang sudah ada realisasinya. Urutan menurut indikator memakai kinerja terhadap target (atau laju pada periode berjalan), terbaik dulu; untuk indikator yang makin rendah makin baik, terbaik adalah yang paling jauh di bawah batas.",
        "Each metric's latest figure: the period in progress if there is one, else the latest period with an actual. Sorting by a metric uses performance against the target (or pace in a period in progress), best first; for a metric where lower is better, the best is the furthest under its ceiling.",
    ),
    ("previous_year", "Tahun sebelumnya", "Previous year"),
    ("next_year", "Tahun berikutnya", "Next year"),
    ("years_nav", "Tahun lain", "Other years"),
    ("all_entities", "Semua wilayah", "All regions"),
    ("result_one", "hasil ditemukan", "result found"),
    ("result_many", "hasil ditemukan", "results found"),
    ("showing", "menampilkan", "showing"),
    ("more_results", "Hasil berikutnya", "More results"),
    (
        "no_results",
        "Tidak ada hasil untuk pencarian ini.",
        "Nothing matches this search.",
    ),
    ("page_kind", "Halaman", "Page"),
    ("illustrative_short", "ilustratif", "illustrative"),
    ("menu", "Menu", "Menu"),
    ("languages", "Bahasa", "Language"),
    ("pages", "Halaman", "Pages"),
    ("newer", "Lebih baru", "Newer"),
    ("older", "Lebih lama", "Older"),
    ("search", "Cari", "Search"),
    ("search_label", "Kata yang dicari", "Words to look for"),
    ("results_found", "hasil ditemukan", "results found"),
    (
        "search_noscript",
        "Pencarian memerlukan JavaScript. Semua halaman tetap dapat dibuka melalui menu.",
        "Search needs JavaScript. Every page can still be reached from the menu.",
    ),
    ("download", "Unduh data", "Download the data"),
    (
        "offices_elsewhere",
        "Tabel di bawah memuat wilayah dan provinsi; angka tiap kantor ada di halaman kantor itu dan di unduhan data tahun ini.",
        "The tables below show the region and its provinces; each office's figures are on its own page and in this year's data download.",
    ),
    ("download_all", "Seluruh data", "All data"),
    ("feed", "Umpan Atom", "Atom feed"),
    ("read_more", "Selengkapnya", "Read more"),
    ("entity_pages", "Halaman wilayah", "Region pages"),
    ("unit_people", "orang", "people"),
    ("unit_count", "jumlah", "count"),
    ("unit_currency", "rupiah", "currency"),
    ("unit_percent", "persen", "percent"),
];

/// The text for `key` in `lang`, or `None` for an unknown key.
pub fn text(key: &str, lang: Lang) -> Option<&'static str> {
    STRINGS
        .iter()
        .find(|(k, ..)| *k == key)
        .map(|(_, id, en)| match lang {
            Lang::Id => *id,
            Lang::En => *en,
        })
}

/// Every key of the table, in its order.
pub fn keys() -> impl Iterator<Item = &'static str> {
    STRINGS.iter().map(|(k, ..)| *k)
}

/// The text for `key` in `lang`, the site's own (`overrides`) where it has
/// one; `None` for an unknown key.
pub fn text_in(key: &str, lang: Lang, overrides: &Strings) -> Option<&'static str> {
    overrides.get(key, lang).or_else(|| text(key, lang))
}

/// Every string for `lang`, the site's `overrides` in place of rekap's, as a
/// map for the template context.
pub fn table(lang: Lang, overrides: &Strings) -> Value {
    let mut map = Map::new();
    for (k, id, en) in STRINGS {
        let text = overrides
            .get(k, lang)
            .unwrap_or(if lang == Lang::Id { id } else { en });
        map.insert((*k).to_string(), Value::String(text.to_string()));
    }
    Value::Object(map)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_is_unique_and_translated() {
        let mut keys: Vec<&str> = STRINGS.iter().map(|(k, ..)| *k).collect();
        keys.sort_unstable();
        let n = keys.len();
        keys.dedup();
        assert_eq!(keys.len(), n, "duplicate keys");
        for (k, id, en) in STRINGS {
            assert!(!id.is_empty() && !en.is_empty(), "{k} untranslated");
        }
    }

    #[test]
    fn statuses_have_words_in_both_languages() {
        for s in crate::compute::Status::ALL {
            let k = s.key();
            assert!(
                text(k, Lang::Id).is_some() && text(k, Lang::En).is_some(),
                "{k}"
            );
        }
        assert_eq!(text("achieved", Lang::Id), Some("Tercapai"));
    }
}

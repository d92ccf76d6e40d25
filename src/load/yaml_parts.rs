//! A long figure file read in parts at once.
//!
//! A YAML parser reads a file from start to end on one thread: the large
//! benchmark site's yearly office files (1 MB, ten thousand records each)
//! take some 140 ms each, and a save of one of them in `rekap serve` waits
//! for all of it. Such a file is almost always one list of records under
//! `figures:`; cut between two records, each part is a YAML document of its
//! own, read on its own thread.
//!
//! A part after the first is the text before it blanked (every byte a
//! space but the line ends and the key's line `figures:`), then the part's
//! records as they are: every line, column and byte offset the parser
//! reports is the file's (the amounts are checked as written, by their
//! bytes). Only the character offsets of a span (which rekap does not use)
//! count each blanked byte as a character. The first part keeps the file's
//! head (`source:`, `audience:`). The records of the parts, in order, are
//! the file's.
//!
//! Only a file whose shape makes this exact is cut (see [`cuts`]): the key
//! `figures:` alone on its line, with nothing after its list; no anchor,
//! alias, tag or directive (which reach across records); records starting
//! at the list's indentation. A cut can still fall inside a record (a quoted
//! text continued on a line that looks like a new record): then the part
//! before it ends inside that record and does not parse. Any part that does
//! not parse, for any reason, and the file is read whole as before, errors
//! and all (see [`super::yaml::parse_all`]): a file is read in parts only
//! when every part reads cleanly.
//!
//! Where a file is cut depends on its bytes alone (never on the number of
//! threads), so that a file reads the same on every machine. Each part is
//! read with the parser's limits (its count of nodes among them): a file
//! beyond them whose parts are within is read, on every machine alike.
//!
//! `rekap serve` keeps the parts of the files an author is editing
//! ([`KeptParts`]), cut more finely from their second read on (where a
//! file is cut then depends on its bytes and on whether it is being
//! edited; what it reads as never does): a save that changes one record
//! reads again only the part that holds it (and the parts after it, when the change made the
//! text before them longer or shorter: their records' byte offsets moved).

use std::borrow::Cow;
use std::sync::{Arc, Mutex};

use rayon::prelude::*;

use super::raw::FiguresFile;

/// How many files [`KeptParts`] keeps the parts of: the ones saved last.
const FILES_KEPT: usize = 4;

/// The parts of each file read, by the digest of their text, as the
/// parser gives them (with every position in the file: see the module
/// documentation); the same text reads the same. Kept only for a file
/// read a second time (one being edited: the first load reads them all,
/// and a file of the large benchmark site is some 8 MB once read), and for
/// the [`FILES_KEPT`] files read last.
#[derive(Debug, Default)]
pub(super) struct KeptParts(Mutex<Files>);

/// A file's parts, in order, each with the digest of its text.
type Parts = Vec<(u128, Arc<FiguresFile>)>;

#[derive(Debug, Default)]
struct Files {
    /// Every file read in parts, by path.
    read: std::collections::HashSet<String>,
    /// The parts of the files read last, the last first.
    kept: Vec<(String, Parts)>,
}

impl KeptParts {
    /// The parts kept of `rel`, if any.
    fn get(&self, rel: &str) -> Parts {
        let files = self.0.lock().unwrap_or_else(|e| e.into_inner());
        files
            .kept
            .iter()
            .find(|(path, _)| path == rel)
            .map(|(_, parts)| parts.clone())
            .unwrap_or_default()
    }

    /// Whether `rel` was read in parts before (it is being edited).
    fn was_read(&self, rel: &str) -> bool {
        let files = self.0.lock().unwrap_or_else(|e| e.into_inner());
        files.read.contains(rel)
    }

    /// Notes that `rel` is read in parts; whether it was read so before
    /// (then its parts are worth keeping: see [`KeptParts::put`]).
    fn read_again(&self, rel: &str) -> bool {
        let mut files = self.0.lock().unwrap_or_else(|e| e.into_inner());
        !files.read.insert(rel.to_string())
    }

    /// Keeps the parts of `rel` just read.
    fn put(&self, rel: &str, parts: Parts) {
        let mut files = self.0.lock().unwrap_or_else(|e| e.into_inner());
        files.kept.retain(|(path, _)| path != rel);
        files.kept.insert(0, (rel.to_string(), parts));
        files.kept.truncate(FILES_KEPT);
    }
}

/// About how long a part is, in bytes: a file shorter than two parts is
/// read whole.
const PART_BYTES: usize = 256 * 1024;

/// About how long a part of a file being edited is (one read in parts
/// before, in `rekap serve`): a save reads again the part it changed, and
/// a short part is read at once. (Each part after the first is parsed with
/// the blanked text before it: short parts all read again would cost more
/// than long ones, so a file is cut this finely only once it is edited.)
const EDITED_PART_BYTES: usize = 64 * 1024;

/// The records of the figure file `text`, read in parts at once; `None` if
/// it is short, not of the shape that can be cut, or a part does not read
/// cleanly (then the caller reads it whole). With `kept`, the parts of the
/// file `rel` kept from an earlier read with the same text are taken
/// instead of read again, and this read's are kept.
pub(super) fn figures(text: &str, kept: Option<(&KeptParts, &str)>) -> Option<FiguresFile> {
    // Cut finely, a file being edited: if its parts do not all read
    // cleanly, it is read as any other file is (the result is the same
    // either way, or the file's own errors).
    if let Some((k, rel)) = kept
        && k.was_read(rel)
        && let Some(file) = figures_cut(text, kept, EDITED_PART_BYTES)
    {
        return Some(file);
    }
    figures_cut(text, kept, PART_BYTES)
}

/// [`figures`], with parts of about `part` bytes.
fn figures_cut(text: &str, kept: Option<(&KeptParts, &str)>, part: usize) -> Option<FiguresFile> {
    let (key_line, cuts) = cuts_of(text, "figures", part)?;
    let parts: Vec<Cow<'_, str>> = parts(text, key_line, &cuts)?;
    let before = kept.map(|(k, rel)| k.get(rel)).unwrap_or_default();
    let read: Vec<Option<(u128, Arc<FiguresFile>)>> = parts
        .par_iter()
        .map(|part| {
            let key = xxhash_rust::xxh3::xxh3_128(part.as_bytes());
            if let Some((_, same)) = before.iter().find(|(k, _)| *k == key) {
                return Some((key, same.clone()));
            }
            serde_saphyr::from_str_with_options(part, super::yaml::options())
                .ok()
                .map(|file| (key, Arc::new(file)))
        })
        .collect();
    drop(before);
    let read: Parts = read.into_iter().collect::<Option<_>>()?;
    let read: Vec<FiguresFile> = match kept {
        // Copied only when kept (never at a file's first reading).
        Some((k, rel)) if k.read_again(rel) => {
            let owned = read.iter().map(|(_, part)| (**part).clone()).collect();
            k.put(rel, read);
            owned
        }
        _ => read
            .into_iter()
            .map(|(_, part)| Arc::unwrap_or_clone(part))
            .collect(),
    };
    let mut read = read.into_iter();
    let mut whole = read.next()?;
    for part in read {
        // Only the list under the key: nothing else can be in the part.
        if part.source.is_some() || part.audience.is_some() {
            return None;
        }
        whole.figures.extend(part.figures);
    }
    Some(whole)
}

/// The byte offsets where `text` is cut into parts of about
/// `part` bytes (see [`PART_BYTES`]), each at the start of an item of the list under the
/// top-level `key`, and the bytes of the key's line; `None` if the text is
/// shorter than two parts or not of a shape whose parts read as the whole
/// does (see the module documentation).
fn cuts_of(text: &str, key: &str, part: usize) -> Option<(std::ops::Range<usize>, Vec<usize>)> {
    if text.len() < 2 * part {
        return None;
    }
    if reaches_across(text) {
        return None;
    }
    let mut lines = line_starts(text);
    // The key's line: `key:`, then at most blanks and a comment.
    let (key_at, key_text) = lines.find(|&(_, line)| {
        line.strip_prefix(key)
            .and_then(|rest| rest.strip_prefix(':'))
            .is_some_and(|rest| {
                let rest = rest.trim_start_matches([' ', '\r']);
                rest.is_empty() || rest.starts_with('#')
            })
    })?;
    // Every line below it: blank, a comment, an item at the list's
    // indentation, or more indented than that (an item's own lines).
    let mut indent: Option<usize> = None;
    let mut items = Vec::new();
    for (at, line) in lines {
        let body = line.trim_start_matches(' ');
        let spaces = line.len() - body.len();
        let body = body.trim_end_matches('\r');
        if body.is_empty() || body.starts_with('#') {
            continue;
        }
        let is_item = body == "-" || body.starts_with("- ");
        match indent {
            None if is_item => indent = Some(spaces),
            // The first line below the key is not an item: no list.
            None => return None,
            Some(i) if spaces == i && is_item => {}
            Some(i) if spaces > i => continue,
            // Less indented, or at the list's indentation but no item:
            // something else follows the list.
            Some(_) => return None,
        }
        items.push(at);
    }
    debug_assert!(items.first().is_none_or(|&first| first > key_at));
    // The first item after each multiple of the part length.
    let mut cuts = Vec::new();
    let mut next = part;
    for &at in items.iter().skip(1) {
        if at >= next {
            cuts.push(at);
            next = at + part;
        }
    }
    // The last part as long as a part at least, or joined to the one before.
    if cuts
        .last()
        .is_some_and(|&last| text.len() - last < part / 2)
    {
        cuts.pop();
    }
    (!cuts.is_empty()).then_some((key_at..key_at + key_text.len(), cuts))
}

/// Whether `text` may hold what reaches across items: an anchor (`&a`),
/// an alias (`*a`), a tag (`!x`) where a node may start (at a line's start,
/// or after a blank or `[`, `{`, `,`), or a directive (`%` starting a
/// line). Erring on the side of yes: `15%`, `R&D` or `Bagus!` are read
/// in parts, a text with ` *` is not.
fn reaches_across(text: &str) -> bool {
    let b = text.as_bytes();
    b.iter().enumerate().any(|(i, &c)| {
        let before = i.checked_sub(1).map(|j| b[j]);
        let at_start = matches!(before, None | Some(b'\n'));
        match c {
            b'%' => at_start,
            b'&' | b'*' | b'!' => {
                at_start || matches!(before, Some(b' ' | b'\t' | b'[' | b'{' | b','))
            }
            _ => false,
        }
    })
}

/// `text` cut at `cuts`: the first part as it is; each other part as the
/// text before it blanked (every byte but line ends and the key's line made
/// a space), then its own lines. The key's line is `key_line` (a byte
/// range of `text`).
fn parts<'t>(
    text: &'t str,
    key_line: std::ops::Range<usize>,
    cuts: &[usize],
) -> Option<Vec<Cow<'t, str>>> {
    let mut parts = vec![Cow::Borrowed(&text[..cuts[0]])];
    for (i, &start) in cuts.iter().enumerate() {
        let end = cuts.get(i + 1).copied().unwrap_or(text.len());
        let mut part: Vec<u8> = Vec::with_capacity(end);
        part.extend(text.as_bytes()[..start].iter().enumerate().map(|(at, &b)| {
            if b == b'\n' || key_line.contains(&at) {
                b
            } else {
                b' '
            }
        }));
        part.extend_from_slice(&text.as_bytes()[start..end]);
        // Spaces, line ends, the key's line and the part's lines: whole
        // characters of `text`, so still UTF-8.
        parts.push(Cow::Owned(String::from_utf8(part).ok()?));
    }
    Some(parts)
}

/// Each line of `text` with the byte offset it starts at (without its `\n`).
fn line_starts(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut at = 0;
    text.split('\n').map(move |line| {
        let start = at;
        at += line.len() + 1;
        (start, line)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The cuts of `text` into parts of the usual length.
    fn cuts(text: &str, key: &str) -> Option<(std::ops::Range<usize>, Vec<usize>)> {
        cuts_of(text, key, PART_BYTES)
    }

    /// A figure file of `n` records in the shapes authors write: flow
    /// mappings, block mappings, notes in both languages, a quoted text
    /// with a colon, a block text whose lines start with `- `, comments.
    fn file(n: usize) -> String {
        let mut text = String::from(
            "# Figures, generated for a test.\nsource: \"Laporan: bulanan\"\naudience: public\nfigures:\n",
        );
        for i in 0..n {
            match i % 4 {
                0 => text.push_str(&format!(
                    "  - {{entity: kc-{i:05}, metric: m, period: 2016, target: {i}, actual: {}.5}}\n",
                    i + 1
                )),
                1 => text.push_str(&format!(
                    "  # record {i}\n  - entity: kc-{i:05}\n    metric: m\n    period: \"2016-Q2\"\n    actual: {i}\n    note:\n      id: \"Catatan: {i} — ü\"\n      en: Note {i}\n"
                )),
                2 => text.push_str(&format!(
                    "  - entity: kc-{i:05}\n    metric: m\n    period: 2017\n    actual: {i}\n    source: |\n      - first line of a block text\n      - second line, {i}\n\n"
                )),
                _ => text.push_str(&format!(
                    "  -\n    entity: kc-{i:05}\n    metric: m\n    period: 2015\n    target: {i}\n"
                )),
            }
        }
        text
    }

    /// Every value, line, column and byte offset of `read` (its Debug text
    /// without the character offsets of spans, which differ: see the module
    /// documentation).
    fn shown(read: &FiguresFile) -> String {
        let text = format!("{read:?}");
        let mut out = String::with_capacity(text.len());
        let mut rest = text.as_str();
        while let Some(at) = rest.find("Span { offset: ") {
            out.push_str(&rest[..at + "Span { ".len()]);
            let after = &rest[at + "Span { offset: ".len()..];
            let skip = after.find(", len: ").expect("a length");
            rest = &after[skip + ", ".len()..];
        }
        out.push_str(rest);
        out
    }

    fn whole(text: &str) -> FiguresFile {
        serde_saphyr::from_str_with_options(text, crate::load::yaml::options())
            .expect("a valid file")
    }

    #[test]
    fn a_long_file_read_in_parts_is_the_file_read_whole_positions_and_all() {
        let text = file(12_000);
        let (_, cuts) = cuts(&text, "figures").expect("cut");
        assert!(cuts.len() >= 3, "{} parts", cuts.len() + 1);
        // Every cut at the start of a record.
        for &c in &cuts {
            assert!(text[c..].starts_with("  -"), "{:?}", &text[c..c + 20]);
        }
        let parts = figures(&text, None).expect("read in parts");
        let whole = whole(&text);
        assert_eq!(parts.figures.len(), 12_000);
        assert_eq!(shown(&parts), shown(&whole));
    }

    #[test]
    fn a_file_saved_again_reads_again_only_the_parts_whose_text_changed() {
        let kept = KeptParts::default();
        let text = file(12_000);
        let read = |text: &str| figures(text, Some((&kept, "f.yaml"))).expect("parts");
        let parts = |kept: &KeptParts| kept.get("f.yaml");
        // The first read of a file keeps nothing; the second keeps its parts.
        read(&text);
        assert!(parts(&kept).is_empty());
        read(&text);
        let first = parts(&kept);
        // A file being edited is cut more finely than at its first read.
        let (_, coarse) = cuts(&text, "figures").expect("cut");
        let (_, cut) = cuts_of(&text, "figures", EDITED_PART_BYTES).expect("cut");
        assert_eq!(first.len(), cut.len() + 1);
        assert!(
            first.len() > 2 * (coarse.len() + 1),
            "{} parts",
            first.len()
        );
        let shared = |a: &[(u128, Arc<FiguresFile>)], b: &[(u128, Arc<FiguresFile>)]| {
            a.iter()
                .zip(b)
                .map(|((_, x), (_, y))| Arc::ptr_eq(x, y))
                .collect::<Vec<bool>>()
        };
        // A record in the second part changed, its text as long as before:
        // only that part is read again, and the file reads as it does whole.
        let in_second = cut[0] + text[cut[0]..].find("actual: ").expect("an actual");
        let mut same_length = text.clone();
        same_length.replace_range(in_second..in_second + 9, "actual: 9");
        assert_ne!(same_length, text);
        assert_eq!(
            shown(&read(&same_length)),
            shown(&whole(&same_length)),
            "same length"
        );
        let second = parts(&kept);
        let mut expected = vec![true; first.len()];
        expected[1] = false;
        assert_eq!(shared(&first, &second), expected);
        // Longer: the parts after it are read again too (their positions
        // moved), the ones before are not.
        let mut longer = text.clone();
        longer.replace_range(in_second..in_second + 8, "actual: 1234567");
        assert_eq!(shown(&read(&longer)), shown(&whole(&longer)), "longer");
        let third = parts(&kept);
        let mut expected = vec![false; first.len()];
        expected[0] = true;
        assert_eq!(shared(&second, &third), expected);
    }

    #[test]
    fn a_file_with_windows_line_ends_is_read_in_parts_as_whole() {
        let text = file(12_000).replace('\n', "\r\n");
        assert!(cuts(&text, "figures").is_some());
        assert_eq!(
            shown(&figures(&text, None).expect("parts")),
            shown(&whole(&text))
        );
    }

    #[test]
    fn a_short_file_is_read_whole() {
        assert!(cuts(&file(100), "figures").is_none());
    }

    #[test]
    fn what_reaches_across_records_keeps_a_file_whole() {
        let text = file(12_000);
        for extra in [
            "  - &base {entity: a, metric: m, period: 2016, actual: 1}\n",
            "  - *base\n",
            "  - !!map {entity: a, metric: m, period: 2016, actual: 1}\n",
        ] {
            assert!(
                cuts(&format!("{text}{extra}"), "figures").is_none(),
                "{extra}"
            );
        }
        assert!(cuts(&format!("%YAML 1.2\n---\n{text}"), "figures").is_none());
        // Signs inside words and numbers are no node properties.
        let plain = format!(
            "{text}  - entity: a\n    metric: m\n    period: 2016\n    target: {{growth: 15%}}\n    actual: 1\n    note: R&D naik 5%, Bagus!\n"
        );
        assert!(cuts(&plain, "figures").is_some());
        assert_eq!(
            shown(&figures(&plain, None).expect("parts")),
            shown(&whole(&plain))
        );
    }

    #[test]
    fn a_file_with_more_after_its_list_or_another_shape_is_read_whole() {
        let text = file(12_000);
        assert!(cuts(&format!("{text}audience: internal\n"), "figures").is_none());
        let flow = text.replacen("figures:\n", "figures: [\n", 1);
        assert!(cuts(&flow, "figures").is_none());
        // The list's key written otherwise than alone on its line.
        assert!(cuts(&text.replacen("figures:\n", "\"figures\":\n", 1), "figures").is_none());
        // A list at column 0 is cut as well.
        let left: String = text
            .lines()
            .map(|l| l.strip_prefix("  ").unwrap_or(l))
            .map(|l| format!("{l}\n"))
            .collect();
        assert_eq!(
            shown(&figures(&left, None).expect("parts")),
            shown(&whole(&left))
        );
    }

    #[test]
    fn a_part_that_does_not_read_cleanly_leaves_the_file_to_be_read_whole() {
        let text = file(12_000);
        // An error in the last part.
        let broken = format!("{text}  - {{entity: a, metric: m, period: 2016, actual: lots}}\n");
        assert!(cuts(&broken, "figures").is_some());
        assert!(figures(&broken, None).is_none());
        // A quoted text continued on a line that looks like a record, right
        // where the first cut falls: the part before it ends inside the text.
        let mut tricky = String::from("source: Laporan\nfigures:\n");
        let filler =
            |i: usize| format!("  - {{entity: kc-{i:05}, metric: m, period: 2016, actual: {i}}}\n");
        let mut i = 0;
        while tricky.len() + 200 < PART_BYTES {
            tricky.push_str(&filler(i));
            i += 1;
        }
        let open = "  - {entity: q, metric: m, period: 2016, actual: 1, note: \"one";
        let pad = "x".repeat(PART_BYTES + 10 - tricky.len() - open.len());
        tricky.push_str(&format!("{open}{pad}\n"));
        let continued = tricky.len();
        tricky.push_str("  - two\"}\n");
        while tricky.len() < 3 * PART_BYTES {
            tricky.push_str(&filler(i));
            i += 1;
        }
        assert_eq!(cuts(&tricky, "figures").expect("cut").1[0], continued);
        assert!(figures(&tricky, None).is_none());
    }
}

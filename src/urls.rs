//! Every route of a built site, in one place: clean URLs for every page and
//! file, the output file behind each, and the path segments no free page may
//! take as its slug.
//!
//! Validate checks slugs against [`RESERVED`]; render builds every URL with
//! [`Urls`] and hands them to templates, which never build a URL themselves.

/// First path segment of the entity pages (`/regions/gorontalo/`).
pub const REGIONS: &str = "regions";
/// First path segment of the release pages and the release list.
pub const RELEASES: &str = "releases";
/// First path segment of the meeting pages and the meeting list.
pub const MEETINGS: &str = "meetings";
/// First path segment of the year pages and the archive index.
pub const YEARS: &str = "years";
/// Folder of the default CSS and script (and the site's replacements).
pub const ASSETS: &str = "assets";
/// Folder of the charts shared as images.
pub const CHARTS: &str = "charts";
/// Folder of the whole site's downloads.
pub const DATA: &str = "data";
/// First path segment of the tag pages.
pub const TAGS: &str = "tags";
/// First path segment of the programme pages.
pub const PROGRAMMES: &str = "programmes";
/// The search page and its index.
pub const SEARCH: &str = "search";
/// Segment of a release list's later pages (`/releases/page/2/`).
const PAGE: &str = "page";
/// Segment of the entity list's sorted pages (`/regions/by/contributions/`):
/// their files sit under `regions/by/`, beside no entity's files even if an
/// entity is called `by` (its page is `regions/by/index.html`).
const SORTED: &str = "by";

/// Path segments at the root of the output that a free page may not take as
/// its slug: every route's first segment, and names a web server treats
/// specially.
pub const RESERVED: &[&str] = &[
    REGIONS, RELEASES, MEETINGS, YEARS, ASSETS, CHARTS, DATA, TAGS, PROGRAMMES, SEARCH, "404",
    "index", "feed",
];

/// Checks a base URL (`base_url` in `site.yaml`, `--base-url`): an
/// absolute `http://` or `https://` URL with a host, or a path that starts
/// with `/`. Returns it with a trailing `/`.
///
/// ```
/// use rekap::urls::check_base_url;
/// assert_eq!(check_base_url("https://example.org/laporan").unwrap(), "https://example.org/laporan/");
/// assert_eq!(check_base_url("/arsip/2017/").unwrap(), "/arsip/2017/");
/// for bad in ["example.org", "https://", "https:///x", "//cdn.example/", "ftp://x.org/",
///             "https://exa mple.org/", "https://x.org/a\"b", "javascript:alert(1)",
///             "https://x.org/?q=1", "/a/../b", ""] {
///     assert!(check_base_url(bad).is_err(), "{bad}");
/// }
/// ```
///
/// # Errors
///
/// What is wrong with the URL, in words.
pub fn check_base_url(url: &str) -> Result<String, String> {
    let s = url.trim();
    let like = "write it like https://example.org/ or https://example.org/laporan/, or a path like / or /laporan/ for a site served from its server's root";
    if let Some(c) = s
        .chars()
        .find(|c| c.is_whitespace() || c.is_control() || "\"'<>\\`{}|^".contains(*c))
    {
        return Err(format!(
            "`{}` has {} in it, which a URL cannot hold; {like}",
            s.escape_debug(),
            if c.is_whitespace() {
                "a space".to_string()
            } else {
                format!("`{}`", c.escape_debug())
            }
        ));
    }
    if s.contains(['?', '#']) {
        return Err(format!("`{s}` has a query or fragment (`?`, `#`); {like}"));
    }
    let path = if let Some(rest) = s
        .strip_prefix("https://")
        .or_else(|| s.strip_prefix("http://"))
    {
        let (host, path) = match rest.find('/') {
            Some(i) => (&rest[..i], &rest[i..]),
            None => (rest, "/"),
        };
        let name = host.rsplit_once(':').map_or(host, |(h, port)| {
            if !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit()) {
                h
            } else {
                host
            }
        });
        let ok = !name.is_empty()
            && (name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
                || (name.starts_with('[') && name.ends_with(']')));
        if !ok {
            return Err(format!(
                "`{s}` has no valid host name after the scheme (write non-ASCII names in their xn-- form); {like}"
            ));
        }
        path
    } else if s.starts_with('/') && !s.starts_with("//") {
        s
    } else {
        return Err(format!("`{s}` is not an absolute URL; {like}"));
    };
    if path.split('/').any(|seg| seg == "." || seg == "..") {
        return Err(format!("`{s}` has `.` or `..` in its path; {like}"));
    }
    let mut out = s.to_string();
    if !out.ends_with('/') {
        out.push('/');
    }
    Ok(out)
}

/// File formats of the downloads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Download {
    /// `data.csv`.
    Csv,
    /// `data.json`.
    Json,
}

impl Download {
    fn ext(self) -> &'static str {
        match self {
            Download::Csv => "csv",
            Download::Json => "json",
        }
    }
}

/// Builds site URLs from the base URL's path (`https://x.org/sub/` → `/sub/...`).
#[derive(Debug, Clone)]
pub struct Urls {
    /// The absolute base URL, ending in `/`.
    pub base_url: String,
    /// The path part of the base URL, starting and ending with `/`.
    pub base_path: String,
}

impl Urls {
    /// URLs for a site published at `base_url`.
    ///
    /// ```
    /// use rekap::urls::Urls;
    /// let u = Urls::new("https://example.org/laporan/");
    /// assert_eq!(u.entity("gorontalo"), "/laporan/regions/gorontalo/");
    /// assert_eq!(u.absolute("/laporan/regions/gorontalo/"), "https://example.org/laporan/regions/gorontalo/");
    /// ```
    pub fn new(base_url: &str) -> Urls {
        let after_scheme = base_url
            .split_once("://")
            .map(|(_, r)| r)
            .unwrap_or(base_url);
        let path = if base_url.contains("://") {
            after_scheme
                .find('/')
                .map(|i| &after_scheme[i..])
                .unwrap_or("/")
        } else {
            base_url
        };
        let mut base_path = path.to_string();
        if !base_path.starts_with('/') {
            base_path.insert(0, '/');
        }
        if !base_path.ends_with('/') {
            base_path.push('/');
        }
        Urls {
            base_url: base_url.to_string(),
            base_path,
        }
    }

    fn path(&self, rest: &str) -> String {
        format!("{}{}", self.base_path, rest)
    }

    /// The base path followed by `parts`, made in one allocation (the
    /// paths of ten thousand pages are made at every build).
    fn joined(&self, parts: &[&str]) -> String {
        let len = self.base_path.len() + parts.iter().map(|p| p.len()).sum::<usize>();
        let mut out = String::with_capacity(len);
        out.push_str(&self.base_path);
        for p in parts {
            out.push_str(p);
        }
        out
    }

    /// The home page.
    pub fn home(&self) -> String {
        self.path("")
    }
    /// An entity page.
    pub fn entity(&self, id: &str) -> String {
        self.joined(&[REGIONS, "/", id, "/"])
    }
    /// An entity's figures as a download.
    pub fn entity_data(&self, id: &str, format: Download) -> String {
        self.path(&format!("{REGIONS}/{id}/data.{}", format.ext()))
    }
    /// The feed of the releases about an entity.
    pub fn entity_feed(&self, id: &str) -> String {
        self.path(&format!("{REGIONS}/{id}/atom.xml"))
    }
    /// The list of entities.
    pub fn entities(&self) -> String {
        self.path(&format!("{REGIONS}/"))
    }
    /// The list of entities sorted by `key` (a metric's id, or `name`).
    pub fn entities_sorted(&self, key: &str) -> String {
        self.path(&format!("{REGIONS}/{SORTED}/{key}/"))
    }
    /// A release page.
    pub fn release(&self, slug: &str) -> String {
        self.joined(&[RELEASES, "/", slug, "/"])
    }
    /// Page `n` (from 1) of the list of releases.
    pub fn releases_page(&self, n: usize) -> String {
        if n <= 1 {
            self.releases()
        } else {
            self.path(&format!("{RELEASES}/{PAGE}/{n}/"))
        }
    }
    /// The list of releases.
    pub fn releases(&self) -> String {
        self.path(&format!("{RELEASES}/"))
    }
    /// The feed of every release.
    pub fn feed(&self) -> String {
        self.path(&format!("{RELEASES}/atom.xml"))
    }
    /// A meeting page.
    pub fn meeting(&self, slug: &str) -> String {
        self.path(&format!("{MEETINGS}/{slug}/"))
    }
    /// The list of meetings.
    pub fn meetings(&self) -> String {
        self.path(&format!("{MEETINGS}/"))
    }
    /// A year's archive page.
    pub fn year(&self, year: i32) -> String {
        self.path(&format!("{YEARS}/{year}/"))
    }
    /// A year's figures as a download.
    pub fn year_data(&self, year: i32, format: Download) -> String {
        self.path(&format!("{YEARS}/{year}/data.{}", format.ext()))
    }
    /// The archive index.
    pub fn years(&self) -> String {
        self.path(&format!("{YEARS}/"))
    }
    /// Every figure of the site as a download.
    pub fn site_data(&self, format: Download) -> String {
        self.path(&format!("{DATA}/figures.{}", format.ext()))
    }
    /// The index of a taxonomy (`tags` or `programmes`).
    pub fn taxonomy(&self, key: &str) -> String {
        self.path(&format!("{key}/"))
    }
    /// A term's page in a taxonomy.
    pub fn term(&self, key: &str, slug: &str) -> String {
        self.path(&format!("{key}/{slug}/"))
    }
    /// The search page.
    pub fn search(&self) -> String {
        self.path(&format!("{SEARCH}/"))
    }
    /// The search index, as JSON (`index.json`) or as a script (`index.js`,
    /// which also loads from `file://`).
    pub fn search_index(&self, file: &str) -> String {
        self.path(&format!("{SEARCH}/{file}"))
    }
    /// The page served for a missing path.
    pub fn not_found(&self) -> String {
        self.path("404.html")
    }
    /// The sitemap.
    pub fn sitemap(&self) -> String {
        self.path("sitemap.xml")
    }
    /// The instructions to crawlers.
    pub fn robots(&self) -> String {
        self.path("robots.txt")
    }
    /// A free page.
    pub fn page(&self, slug: &str) -> String {
        self.path(&format!("{slug}/"))
    }
    /// An asset under `assets/`.
    pub fn asset(&self, name: &str) -> String {
        self.path(&format!("{ASSETS}/{name}"))
    }
    /// A chart file under `charts/`.
    pub fn chart(&self, file: &str) -> String {
        self.path(&format!("{CHARTS}/{file}"))
    }
    /// A site path made absolute with the base URL's scheme and host.
    pub fn absolute(&self, path: &str) -> String {
        match self.base_url.split_once("://") {
            Some((scheme, rest)) => {
                let host = rest.split('/').next().unwrap_or("");
                format!("{scheme}://{host}{path}")
            }
            None => path.to_string(),
        }
    }
    /// The output file (relative to the output folder) that serves a site
    /// path built by these URLs.
    pub fn file(&self, path: &str) -> String {
        file_for(path, &self.base_path)
    }
}

/// The output file (relative to the output folder) that serves a site path.
///
/// ```
/// use rekap::urls::file_for;
/// assert_eq!(file_for("/regions/gorontalo/", "/"), "regions/gorontalo/index.html");
/// assert_eq!(file_for("/", "/"), "index.html");
/// ```
pub fn file_for(path: &str, base_path: &str) -> String {
    let rel = path
        .strip_prefix(base_path)
        .unwrap_or(path.trim_start_matches('/'));
    if rel.is_empty() || rel.ends_with('/') {
        format!("{rel}index.html")
    } else {
        rel.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_route_starts_with_a_reserved_segment_or_is_a_root_file() {
        let u = Urls::new("https://example.org/");
        let routes = [
            u.entity("a"),
            u.entity_data("a", Download::Csv),
            u.entity_feed("a"),
            u.entities(),
            u.entities_sorted("name"),
            u.release("a"),
            u.releases_page(2),
            u.feed(),
            u.meeting("a"),
            u.meetings(),
            u.year(2017),
            u.year_data(2017, Download::Json),
            u.years(),
            u.site_data(Download::Csv),
            u.taxonomy(TAGS),
            u.term(PROGRAMMES, "jht"),
            u.search(),
            u.search_index("index.js"),
            u.asset("style.css"),
            u.chart("a.svg"),
        ];
        for r in routes {
            let first = r.trim_start_matches('/').split('/').next().unwrap();
            assert!(RESERVED.contains(&first), "{r}");
        }
        for root_file in [u.not_found(), u.sitemap(), u.robots()] {
            assert_eq!(root_file.matches('/').count(), 1, "{root_file}");
        }
    }

    #[test]
    fn output_files_strip_the_base_path() {
        let u = Urls::new("https://example.org/laporan/");
        assert_eq!(u.file(&u.releases_page(3)), "releases/page/3/index.html");
        assert_eq!(
            u.file(&u.entity_feed("gorontalo")),
            "regions/gorontalo/atom.xml"
        );
        assert_eq!(u.file(&u.home()), "index.html");
    }
}

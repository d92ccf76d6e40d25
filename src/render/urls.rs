//! Clean URLs for every page, and the output file behind each.

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
    /// use rekap::render::urls::Urls;
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

    /// The home page.
    pub fn home(&self) -> String {
        self.path("")
    }
    /// An entity page.
    pub fn entity(&self, id: &str) -> String {
        self.path(&format!("regions/{id}/"))
    }
    /// The list of entities.
    pub fn entities(&self) -> String {
        self.path("regions/")
    }
    /// A release page.
    pub fn release(&self, slug: &str) -> String {
        self.path(&format!("releases/{slug}/"))
    }
    /// The list of releases.
    pub fn releases(&self) -> String {
        self.path("releases/")
    }
    /// A meeting page.
    pub fn meeting(&self, slug: &str) -> String {
        self.path(&format!("meetings/{slug}/"))
    }
    /// The list of meetings.
    pub fn meetings(&self) -> String {
        self.path("meetings/")
    }
    /// A year's archive page.
    pub fn year(&self, year: i32) -> String {
        self.path(&format!("years/{year}/"))
    }
    /// The archive index.
    pub fn years(&self) -> String {
        self.path("years/")
    }
    /// A free page.
    pub fn page(&self, slug: &str) -> String {
        self.path(&format!("{slug}/"))
    }
    /// An asset under `assets/`.
    pub fn asset(&self, name: &str) -> String {
        self.path(&format!("assets/{name}"))
    }
    /// A chart file under `charts/`.
    pub fn chart(&self, file: &str) -> String {
        self.path(&format!("charts/{file}"))
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
}

/// The output file (relative to the output folder) that serves a site path.
///
/// ```
/// use rekap::render::urls::file_for;
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

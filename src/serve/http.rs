//! The HTTP side of `rekap serve`: the site's files from memory, with the
//! reload script (and the error overlay) put into HTML pages, and the
//! stream of reload events.

use std::convert::Infallible;
use std::future::Future;
use std::net::TcpListener;
use std::pin::Pin;
use std::sync::Arc;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use futures_util::stream::{self, Stream, StreamExt};
use tokio::sync::broadcast::error::RecvError;

use super::inject::{self, EVENTS_PATH};
use super::memory::Held;
use super::{ServeError, Shared};

/// A future that completes at Ctrl-C (or, on Unix, a termination signal).
pub type Stop = Pin<Box<dyn Future<Output = ()> + Send>>;

/// Installs the handlers for Ctrl-C (and SIGTERM on Unix) at once, so a
/// signal arriving from now on stops the server cleanly. Call it inside the
/// runtime.
///
/// # Errors
///
/// The handlers cannot be installed.
pub fn stop_signal() -> std::io::Result<Stop> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let mut int = signal(SignalKind::interrupt())?;
        let mut term = signal(SignalKind::terminate())?;
        Ok(Box::pin(async move {
            let a = std::pin::pin!(int.recv());
            let b = std::pin::pin!(term.recv());
            futures_util::future::select(a, b).await;
        }))
    }
    #[cfg(not(unix))]
    {
        Ok(Box::pin(async {
            let _ = tokio::signal::ctrl_c().await;
        }))
    }
}

/// Serves `shared` on `listener` until `stop`.
///
/// # Errors
///
/// The listener cannot be used by the runtime, or the server fails.
pub async fn run(listener: TcpListener, shared: Arc<Shared>, stop: Stop) -> Result<(), ServeError> {
    listener
        .set_nonblocking(true)
        .map_err(|e| ServeError::Io(e.to_string()))?;
    let listener =
        tokio::net::TcpListener::from_std(listener).map_err(|e| ServeError::Io(e.to_string()))?;
    let app = router(shared);
    let server = std::pin::pin!(axum::serve(listener, app).into_future());
    match futures_util::future::select(server, stop).await {
        futures_util::future::Either::Left((Err(e), _)) => {
            Err(ServeError::Io(format!("the server stopped: {e}")))
        }
        // Stopped: open connections (event streams) are dropped with the runtime.
        _ => Ok(()),
    }
}

/// The server's routes: the event stream, and every other path from the site.
pub fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route(EVENTS_PATH, get(events))
        .fallback(file)
        .with_state(shared)
}

async fn events(
    State(shared): State<Arc<Shared>>,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let rx = shared.events.subscribe();
    let now = shared.read().generation;
    let hello = stream::once(async move {
        Ok::<_, Infallible>(Event::default().event("hello").data(now.to_string()))
    });
    let reloads = stream::unfold(rx, |mut rx| async move {
        loop {
            match rx.recv().await {
                Ok(g) => {
                    let e = Event::default().event("reload").data(g.to_string());
                    return Some((Ok(e), rx));
                }
                Err(RecvError::Lagged(_)) => continue,
                Err(RecvError::Closed) => return None,
            }
        }
    });
    Sse::new(hello.chain(reloads)).keep_alive(KeepAlive::default())
}

async fn file(State(shared): State<Arc<Shared>>, uri: Uri) -> Response {
    let Some(path) = percent_decode(uri.path()) else {
        return plain(StatusCode::BAD_REQUEST, "bad path");
    };
    let (site, error) = {
        let cur = shared.read();
        (cur.site.clone(), cur.error.clone())
    };
    let Some(site) = site else {
        // No build has succeeded yet: every page shows the errors.
        let page = match &error {
            Some(e) => inject::error_page(e),
            None => inject::error_page("the site is being built"),
        };
        return respond(StatusCode::INTERNAL_SERVER_ERROR, "index.html", page.into());
    };
    let base = shared.base_path.as_str();
    let Some(rel) = path.strip_prefix(base).or_else(|| {
        // `/rekap` for a base path `/rekap/`.
        (path.len() + 1 == base.len() && base.starts_with(path.as_str())).then_some("")
    }) else {
        if path == "/" {
            return redirect(base);
        }
        return not_found(&site, error.as_deref());
    };
    let rel = if rel.is_empty() || rel.ends_with('/') {
        format!("{rel}index.html")
    } else {
        rel.to_string()
    };
    if let Some(held) = site.held(&rel) {
        return respond_page(StatusCode::OK, &rel, held, error.as_deref());
    }
    if site.held(&format!("{rel}/index.html")).is_some() {
        return redirect(&format!("{}/", uri.path()));
    }
    not_found(&site, error.as_deref())
}

fn not_found(site: &super::MemorySite, error: Option<&str>) -> Response {
    match site.held("404.html") {
        Some(b) => respond_page(StatusCode::NOT_FOUND, "404.html", b, error),
        None => plain(StatusCode::NOT_FOUND, "not found"),
    }
}

fn respond_page(status: StatusCode, rel: &str, held: &Held, error: Option<&str>) -> Response {
    if is_html(rel) {
        return respond(status, rel, inject::inject(&held.bytes(), error).into());
    }
    match held {
        Held::Whole(bytes) => respond(status, rel, bytes.clone()),
        // Sent piece after piece, never joined.
        Held::Pieces(pieces) => {
            let len: usize = pieces.iter().map(Bytes::len).sum();
            let pieces: Vec<Bytes> = pieces.to_vec();
            let body = Body::from_stream(stream::iter(
                pieces.into_iter().map(Ok::<Bytes, Infallible>),
            ));
            let mut r = respond_body(status, rel, body);
            // Its length told, as for a whole file (not sent in chunks).
            r.headers_mut()
                .insert(header::CONTENT_LENGTH, HeaderValue::from(len));
            r
        }
    }
}

fn respond(status: StatusCode, rel: &str, bytes: Bytes) -> Response {
    respond_body(status, rel, Body::from(bytes))
}

fn respond_body(status: StatusCode, rel: &str, body: Body) -> Response {
    let mut r = Response::new(body);
    *r.status_mut() = status;
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(content_type(rel)),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

fn plain(status: StatusCode, text: &'static str) -> Response {
    (status, text).into_response()
}

fn redirect(to: &str) -> Response {
    let mut r = Response::new(Body::empty());
    *r.status_mut() = StatusCode::FOUND;
    if let Ok(v) = HeaderValue::from_str(to) {
        r.headers_mut().insert(header::LOCATION, v);
    }
    r
}

fn is_html(rel: &str) -> bool {
    rel.ends_with(".html") || rel.ends_with(".htm")
}

/// The media type of a file, by its extension.
pub fn content_type(rel: &str) -> &'static str {
    let ext = rel.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
    match ext.to_ascii_lowercase().as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml",
        "csv" => "text/csv; charset=utf-8",
        "txt" | "md" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "ttf" => "font/ttf",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "ods" => "application/vnd.oasis.opendocument.spreadsheet",
        "zip" => "application/zip",
        _ => "application/octet-stream",
    }
}

/// `%XX` escapes of a URL path decoded; `None` if the result is not UTF-8.
fn percent_decode(path: &str) -> Option<String> {
    let b = path.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%'
            && i + 2 < b.len()
            && let (Some(h), Some(l)) = (hex(b[i + 1]), hex(b[i + 2]))
        {
            out.push(h * 16 + l);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

fn hex(c: u8) -> Option<u8> {
    (c as char).to_digit(16).map(|d| d as u8)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_escapes() {
        assert_eq!(percent_decode("/a%20b/").unwrap(), "/a b/");
        assert_eq!(percent_decode("/%C3%BC").unwrap(), "/ü");
        assert_eq!(percent_decode("/100%").unwrap(), "/100%");
    }

    #[test]
    fn media_types() {
        assert_eq!(content_type("index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("charts/x.svg"), "image/svg+xml");
        assert_eq!(content_type("data/figures.csv"), "text/csv; charset=utf-8");
    }
}

//! The built web app (`--dist`, under `--mount`), its `config.json` override
//! (`--app-config`) and an example portal (`--portal`), served next to the API so one
//! process is the whole demo.

use std::convert::Infallible;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use tower::{Service, ServiceExt};
use tower_http::services::fs::ServeFileSystemResponseBody;
use tower_http::services::{ServeDir, ServeFile};

use crate::api::API_PREFIX;
use crate::options::Options;

/// Sent with the app's files when `--csp` is given: what DESIGN §5 promises the app runs under.
pub const CSP: &str =
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data: http: https:; connect-src 'self'";

const PORTAL_PREFIX: &str = "/portal";
const CONTROL_PREFIX: &str = "/__sandbox/";

#[derive(Debug)]
pub struct StaticSite {
    dist: Option<PathBuf>,
    app_config: Option<PathBuf>,
    /// `/` or `/a/b/`.
    mount: String,
    csp: bool,
    portal: Option<PathBuf>,
}

impl StaticSite {
    /// `None` when nothing static is to be served; an error names a missing path.
    pub fn from_options(options: &Options) -> io::Result<Option<Self>> {
        if options.dist.is_none() && options.app_config.is_none() && options.portal.is_none() {
            return Ok(None);
        }
        for (flag, dir) in [("--dist", &options.dist), ("--portal", &options.portal)] {
            if let Some(dir) = dir.as_deref().filter(|dir| !dir.is_dir()) {
                return Err(missing(flag, dir, "directory"));
            }
        }
        if let Some(file) = options.app_config.as_deref().filter(|file| !file.is_file()) {
            return Err(missing("--app-config", file, "file"));
        }
        Ok(Some(StaticSite {
            dist: options.dist.clone(),
            app_config: options.app_config.clone(),
            mount: options.mount.clone(),
            csp: options.csp,
            portal: options.portal.clone(),
        }))
    }

    /// `response` with the strict CSP header when `--csp` asks for it.
    fn with_csp(&self, mut response: Response) -> Response {
        if self.csp {
            response.headers_mut().insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP));
        }
        response
    }

    async fn serve_app(&self, rest: &str, request: &Parts) -> Response {
        if rest == "config.json" {
            if let Some(config) = &self.app_config {
                let mut response = call(ServeFile::new(config), fresh(request, request.uri.clone())).await;
                // The demo swaps configs between runs; never let a browser keep an old one.
                response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
                return response;
            }
        }
        let Some(dist) = &self.dist else { return StatusCode::NOT_FOUND.into_response() };
        let response = call(serve_dir(dist), rebased(request, rest)).await;
        let is_read = matches!(request.method, Method::GET | Method::HEAD);
        // Client-side routes have no file: give them the app. A missing asset (it has an
        // extension) stays a 404, which points at a wrong --public-url faster than HTML would.
        if response.status() == StatusCode::NOT_FOUND && is_read && !has_extension(rest) {
            let index = ServeFile::new(dist.join("index.html")).precompressed_br().precompressed_gzip();
            return call(index, fresh(request, request.uri.clone())).await;
        }
        response
    }
}

/// Fallback of the router: everything that is neither the API nor the control API.
pub async fn serve(State(site): State<Arc<StaticSite>>, request: Request) -> Response {
    // Static files ignore request bodies; keep the head only (a body cannot be shared
    // across the awaits below).
    let (request, _) = request.into_parts();
    let path = request.uri.path().to_owned();
    if path.starts_with(API_PREFIX) || path.starts_with(CONTROL_PREFIX) {
        return StatusCode::NOT_FOUND.into_response();
    }
    if let Some(portal) = &site.portal {
        if path == PORTAL_PREFIX {
            return Redirect::permanent("/portal/").into_response();
        }
        if let Some(rest) = path.strip_prefix(PORTAL_PREFIX).and_then(|rest| rest.strip_prefix('/')) {
            // Under the same CSP as the app: an embedding page must run with it too.
            return site.with_csp(call(serve_dir(portal), rebased(&request, rest)).await);
        }
    }
    if let Some(rest) = path.strip_prefix(site.mount.as_str()) {
        return site.with_csp(site.serve_app(rest, &request).await);
    }
    // `/` and the mount without its trailing slash lead to the app.
    if path == "/" || path == site.mount.trim_end_matches('/') {
        return Redirect::temporary(&site.mount).into_response();
    }
    StatusCode::NOT_FOUND.into_response()
}

fn serve_dir(dir: &Path) -> ServeDir {
    // trunk output may come with .br/.gz twins (the dist task makes them): serve those when
    // the client accepts them, as a CDN would.
    ServeDir::new(dir).precompressed_br().precompressed_gzip().redirect_to_trailing_slash(false)
}

async fn call<S>(service: S, request: Request) -> Response
where
    S: Service<Request, Response = axum::http::Response<ServeFileSystemResponseBody>, Error = Infallible>,
{
    match service.oneshot(request).await {
        Ok(response) => response.map(Body::new),
        Err(never) => match never {},
    }
}

/// A body-less request with the method and headers of `request`, for `uri`.
fn fresh(request: &Parts, uri: Uri) -> Request {
    let mut copy = Request::new(Body::empty());
    *copy.method_mut() = request.method.clone();
    *copy.uri_mut() = uri;
    *copy.headers_mut() = request.headers.clone();
    copy
}

/// `request` with its path replaced by `/{rest}`, so a directory service sees paths
/// relative to where it is mounted.
fn rebased(request: &Parts, rest: &str) -> Request {
    let path_and_query = match request.uri.query() {
        Some(query) => format!("/{rest}?{query}"),
        None => format!("/{rest}"),
    };
    // `rest` comes from a valid URI path, so this parses; fall back to the root otherwise.
    let uri = path_and_query.parse().unwrap_or_else(|_| Uri::from_static("/"));
    fresh(request, uri)
}

fn has_extension(path: &str) -> bool {
    path.rsplit('/').next().is_some_and(|name| name.contains('.'))
}

fn missing(flag: &str, path: &Path, kind: &str) -> io::Error {
    io::Error::new(io::ErrorKind::NotFound, format!("{flag} {}: no such {kind}", path.display()))
}

//! The web UI, built by Vite into `ui/dist` and embedded in the binary, served at `/`.
//! Debug builds read the folder from disk, so a rebuilt UI shows without recompiling.

use axum::extract::Path;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use rust_embed::Embed;

#[derive(Embed)]
#[folder = "ui/dist"]
// `cargo build -p linkarr` works without Node; the page then says how to build the UI.
#[allow_missing = true]
struct Dist;

/// Scripts, styles and API calls from this origin only; posters may come from anywhere.
/// No inline scripts or styles: torrent names and TMDb text can never become code.
pub const PAGE_CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; \
    img-src 'self' data: http: https:; connect-src 'self'; frame-ancestors 'none'; \
    base-uri 'none'; form-action 'self'; object-src 'none'";

/// Swagger UI sets inline styles on its own elements; its page shows only our own API.
const DOCS_CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
    img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; \
    object-src 'none'";

const NOT_BUILT: &str = "<!doctype html><title>Linkarr</title><p>The web UI was not built into \
    this binary. Run <code>scripts/setup</code> (or <code>npm ci &amp;&amp; npm run build</code> \
    in <code>ui/</code>), then build Linkarr again.</p>";

/// `GET /`.
pub async fn index() -> Response {
    page("index.html", PAGE_CSP)
}

/// `GET /api/docs`: the API's reference, rendered from `/api/openapi.json` without a CDN.
pub async fn api_docs() -> Response {
    page("api-docs.html", DOCS_CSP)
}

/// `GET /assets/{*path}`: the build's hashed scripts, styles and images.
pub async fn asset(Path(path): Path<String>) -> Response {
    serve(&format!("assets/{path}"))
}

/// `GET /{file}`: the files beside `index.html` (the icon).
pub async fn root_file(Path(file): Path<String>) -> Response {
    serve(&file)
}

fn page(name: &str, csp: &'static str) -> Response {
    let Some(file) = Dist::get(name) else {
        return (
            StatusCode::OK,
            [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
            NOT_BUILT,
        )
            .into_response();
    };
    let mut response = (
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            // Always the current build; the assets it names are hashed and cached for good.
            (header::CACHE_CONTROL, "no-cache"),
        ],
        file.data,
    )
        .into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(csp),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    response
}

fn serve(path: &str) -> Response {
    // Pages go through `page`, with their policy.
    if path.ends_with(".html") {
        return StatusCode::NOT_FOUND.into_response();
    }
    let Some(file) = Dist::get(path) else {
        return super::ApiError::NotFound.into_response();
    };
    let cache = if path.starts_with("assets/") {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    (
        [
            (header::CONTENT_TYPE, file.metadata.mimetype()),
            (header::CACHE_CONTROL, cache),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        ],
        file.data,
    )
        .into_response()
}

//! Serves the web app (the trunk build in `CC_WEB_DIR`, `web/dist` by default) at `/`.
//!
//! Files that exist are sent with their content type; names carrying trunk's content
//! hash are cached for a year, `index.html` never. Any other `GET` outside `/api` answers
//! `index.html`, so the SPA's own router resolves deep links (`/users`, `/audit`). A
//! missing asset (a path with a file extension) stays a 404 problem, as do `/api` paths
//! and every other method. Without a build the server is API-only and answers 404.
//!
//! The security-header middleware forbids inline scripts; trunk's loader is one, so the
//! page is sent with a Content-Security-Policy that allows exactly its SHA-256 hash.

use std::path::{Component, Path, PathBuf};

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use base64::Engine;
use cc_types::ErrorCode;
use sha2::{Digest, Sha256};

use crate::error::ApiError;
use crate::state::AppState;

/// The fallback service: the SPA for browser paths, a 404 problem for everything else.
pub async fn spa_or_not_found(
    req: HttpRequest,
    state: Option<web::Data<AppState>>,
) -> Result<HttpResponse, ApiError> {
    let not_found = || ApiError::Client(ErrorCode::NotFound);
    let browser_get = matches!(req.method().as_str(), "GET" | "HEAD");
    let path = req.path();
    if let Some(state) = &state {
        let allowed = state.http.allowed_methods(path);
        if !allowed.is_empty() {
            // A documented route asked with a method it does not have.
            return Err(ApiError::MethodNotAllowed(allowed.join(", ")));
        }
    }
    let not_spa = ["/api", "/webhooks"]
        .iter()
        .any(|p| path == *p || path.strip_prefix(p).is_some_and(|r| r.starts_with('/')));
    if !browser_get || not_spa {
        return Err(not_found());
    }
    let Some(state) = state else {
        return Err(not_found());
    };
    let dir = &state.infra.config.web_dir;
    let rel = safe_relative(path).ok_or_else(not_found)?;
    if !rel.as_os_str().is_empty() {
        let file = dir.join(&rel);
        if let Ok(bytes) = tokio::fs::read(&file).await {
            return Ok(asset(&rel, bytes));
        }
        if rel.extension().is_some() {
            return Err(not_found());
        }
    }
    let index = tokio::fs::read_to_string(dir.join("index.html"))
        .await
        .map_err(|_| not_found())?;
    Ok(page(index))
}

/// The request path as a relative path inside the web directory, or `None` when it tries
/// to leave it (`..`, absolute parts) or names a hidden file.
fn safe_relative(path: &str) -> Option<PathBuf> {
    let rel = Path::new(path.trim_start_matches('/'));
    let mut out = PathBuf::new();
    for part in rel.components() {
        match part {
            Component::Normal(p) if !p.to_string_lossy().starts_with('.') => out.push(p),
            _ => return None,
        }
    }
    Some(out)
}

fn asset(rel: &Path, bytes: Vec<u8>) -> HttpResponse {
    let name = rel
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    let cache = if is_hashed(&name) {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, content_type(rel)))
        .insert_header((header::CACHE_CONTROL, cache))
        .body(bytes)
}

fn page(index: String) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "text/html; charset=utf-8"))
        .insert_header((header::CACHE_CONTROL, "no-cache"))
        .insert_header((header::CONTENT_SECURITY_POLICY, page_policy(&index)))
        .body(index)
}

/// The page's policy: the API's own, plus the hashes of the page's inline scripts.
fn page_policy(index: &str) -> String {
    let hashes: String = inline_scripts(index)
        .map(|s| {
            let digest = Sha256::digest(s.as_bytes());
            format!(
                " 'sha256-{}'",
                base64::engine::general_purpose::STANDARD.encode(digest)
            )
        })
        .collect();
    format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'{hashes}; \
         style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; \
         frame-ancestors 'none'; base-uri 'self'"
    )
}

/// The bodies of `<script>` elements without a `src` attribute.
fn inline_scripts(html: &str) -> impl Iterator<Item = &str> {
    html.split("<script").skip(1).filter_map(|rest| {
        let open_end = rest.find('>')?;
        if rest[..open_end].contains("src=") {
            return None;
        }
        let body = &rest[open_end + 1..];
        let close = body.find("</script>")?;
        Some(&body[..close])
    })
}

/// Trunk names built files `<name>-<16 hex digits>[_bg].<ext>`.
fn is_hashed(name: &str) -> bool {
    let stem = name.split('.').next().unwrap_or_default();
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    stem.rsplit_once('-')
        .is_some_and(|(_, hash)| hash.len() == 16 && hash.chars().all(|c| c.is_ascii_hexdigit()))
}

fn content_type(rel: &Path) -> &'static str {
    match rel.extension().and_then(|e| e.to_str()).unwrap_or_default() {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "wasm" => "application/wasm",
        "css" => "text/css; charset=utf-8",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_cannot_leave_the_web_directory() {
        assert_eq!(safe_relative("/users/1"), Some(PathBuf::from("users/1")));
        assert_eq!(safe_relative("/"), Some(PathBuf::new()));
        assert_eq!(safe_relative("/../etc/passwd"), None);
        assert_eq!(safe_relative("/a/../../b"), None);
        assert_eq!(safe_relative("/.env"), None);
    }

    #[test]
    fn trunk_hashed_names_are_recognised() {
        assert!(is_hashed("cc-web-0123456789abcdef_bg.wasm"));
        assert!(is_hashed("cc-web-0123456789abcdef.js"));
        assert!(is_hashed("style-0123456789abcdef.css"));
        assert!(!is_hashed("index.html"));
        assert!(!is_hashed("favicon-1.ico"));
    }

    #[test]
    fn the_policy_allows_exactly_the_inline_loader() {
        let html = "<script src=\"/a.js\"></script><script type=\"module\">boot()</script>";
        let scripts: Vec<_> = inline_scripts(html).collect();
        assert_eq!(scripts, ["boot()"]);
        let digest = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(b"boot()"));
        assert!(page_policy(html).contains(&format!("'sha256-{digest}'")));
        assert!(!page_policy("<p>no scripts</p>").contains("sha256"));
    }
}

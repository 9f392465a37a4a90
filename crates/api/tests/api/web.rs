//! The web app is served at `/` from `CC_WEB_DIR`, with SPA fallback and cache headers.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common::{TestApp, client, spawn_with};

const LOADER: &str = "import init from '/cc-web-0123456789abcdef.js'; await init();";

async fn app_with_build() -> (TestApp, tempfile::TempDir) {
    let web = tempfile::tempdir().unwrap();
    let index = format!(
        "<!doctype html><html><head><link rel=\"modulepreload\" href=\"/cc-web-0123456789abcdef.js\">\
         <script type=\"module\">{LOADER}</script></head><body></body></html>"
    );
    std::fs::write(web.path().join("index.html"), index).unwrap();
    std::fs::write(
        web.path().join("cc-web-0123456789abcdef.js"),
        "export default 1",
    )
    .unwrap();
    std::fs::write(web.path().join("cc-web-0123456789abcdef_bg.wasm"), b"\0asm").unwrap();
    std::fs::write(web.path().join("robots.txt"), "User-agent: *").unwrap();
    let dir = web.path().to_path_buf();
    let app = spawn_with(move |c| c.web_dir = dir).await;
    (app, web)
}

struct Got {
    status: u16,
    headers: awc::http::header::HeaderMap,
    body: String,
}

impl Got {
    fn header(&self, name: &str) -> String {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    }
}

async fn get(app: &TestApp, path: &str) -> Got {
    let mut res = client().get(app.url(path)).send().await.unwrap();
    let body = res.body().await.unwrap();
    Got {
        status: res.status().as_u16(),
        headers: res.headers().clone(),
        body: String::from_utf8_lossy(&body).into_owned(),
    }
}

#[actix_web::test]
async fn deep_links_answer_the_page_with_a_policy_allowing_its_loader() {
    let (app, _web) = app_with_build().await;
    for path in [
        "/",
        "/users",
        "/users/0190b3c2-0000-7000-8000-000000000000",
        "/audit",
    ] {
        let got = get(&app, path).await;
        assert_eq!(got.status, 200, "{path}");
        assert!(
            got.header("content-type").starts_with("text/html"),
            "{path}"
        );
        assert_eq!(got.header("cache-control"), "no-cache");
        assert!(got.body.contains(LOADER), "{path}");
    }
    let csp = get(&app, "/").await.header("content-security-policy");
    use base64::Engine;
    use sha2::Digest;
    let hash = base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(LOADER));
    assert!(csp.contains(&format!("'sha256-{hash}'")), "{csp}");
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
}

#[actix_web::test]
async fn hashed_assets_are_cached_for_a_year_with_their_content_type() {
    let (app, _web) = app_with_build().await;
    let js = get(&app, "/cc-web-0123456789abcdef.js").await;
    assert_eq!(js.status, 200);
    assert!(js.header("content-type").starts_with("text/javascript"));
    assert_eq!(
        js.header("cache-control"),
        "public, max-age=31536000, immutable"
    );
    assert_eq!(js.body, "export default 1");
    let wasm = get(&app, "/cc-web-0123456789abcdef_bg.wasm").await;
    assert_eq!(wasm.header("content-type"), "application/wasm");
    let robots = get(&app, "/robots.txt").await;
    assert_eq!(robots.status, 200);
    assert_eq!(robots.header("cache-control"), "no-cache");
}

#[actix_web::test]
async fn missing_assets_api_paths_and_escapes_stay_404_problems() {
    let (app, _web) = app_with_build().await;
    for path in [
        "/cc-web-ffffffffffffffff.js",
        "/api/nope",
        "/api",
        "/%2e%2e/Cargo.toml",
        "/.hidden",
    ] {
        let got = get(&app, path).await;
        assert_eq!(got.status, 404, "{path}");
        assert!(
            got.header("content-type")
                .starts_with("application/problem+json"),
            "{path}"
        );
    }
    let res = client().post(app.url("/users")).send().await.unwrap();
    assert_eq!(res.status().as_u16(), 404);
}

#[actix_web::test]
async fn without_a_build_the_server_is_api_only() {
    let app = spawn_with(|c| c.web_dir = "/nonexistent/web/dist".into()).await;
    let got = get(&app, "/").await;
    assert_eq!(got.status, 404);
    assert!(
        got.header("content-type")
            .starts_with("application/problem+json")
    );
}

#[actix_web::test]
async fn the_docs_answer_at_their_short_address_too() {
    let (app, _dir) = app_with_build().await;
    let r = awc::Client::builder()
        .disable_redirects()
        .finish()
        .get(app.url("/docs"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 308);
    assert_eq!(r.headers().get("location").unwrap(), "/docs/");
    let page = get(&app, "/docs/").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("swagger"), "{}", page.body);
}

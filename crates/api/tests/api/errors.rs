//! Bad input gets a clear problem+json, localized, never a 500 or an HTML page; the
//! security middleware answers in the same shape.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common::{PASSWORD, spawn_app, spawn_with};
use serde_json::json;

#[actix_web::test]
async fn a_validation_error_is_problem_json_in_czech_with_field_errors() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let body = json!({"email": "not-an-email", "display_name": "X", "role": "agent", "password": PASSWORD});
    let r = app
        .send_with(
            "POST",
            "/api/users",
            Some(&admin),
            Some(body),
            &[("Accept-Language", "cs-CZ,cs;q=0.9,en;q=0.5")],
        )
        .await;
    assert_eq!(r.status, 422);
    assert_eq!(
        r.header("content-type").as_deref(),
        Some("application/problem+json")
    );
    assert_eq!(r.body["code"], "validation_failed");
    assert_eq!(r.body["detail"], "Některá pole jsou neplatná.");
    assert_eq!(r.body["errors"][0]["field"], "email");
    assert_eq!(
        r.body["errors"][0]["message"],
        "Zadejte platnou e-mailovou adresu."
    );
    let es = app
        .send_with(
            "POST",
            "/api/users",
            Some(&admin),
            Some(json!({})),
            &[("Accept-Language", "es")],
        )
        .await;
    assert_eq!(es.body["detail"], "Algunos campos no son válidos.");
}

#[actix_web::test]
async fn malformed_json_wrong_type_unknown_enum_and_oversized_bodies_get_4xx() {
    let app = spawn_with(|c| c.body_limit_bytes = 2048).await;
    let admin = app.admin_token().await;
    let send_raw = |ct: &'static str, body: String| {
        let token = admin.clone();
        let url = app.url("/api/users");
        async move {
            let mut res = crate::common::client()
                .post(url)
                .insert_header(("Authorization", format!("Bearer {token}")))
                .insert_header(("Content-Type", ct))
                .send_body(body)
                .await
                .unwrap();
            let bytes = res.body().await.unwrap();
            (
                res.status().as_u16(),
                serde_json::from_slice::<serde_json::Value>(&bytes).unwrap(),
            )
        }
    };
    let (s, b) = send_raw("application/json", "{\"email\": ".into()).await;
    assert_eq!((s, b["code"].as_str()), (400, Some("malformed_body")));
    let (s, b) = send_raw("text/plain", "hello".into()).await;
    assert_eq!(
        (s, b["code"].as_str()),
        (415, Some("unsupported_media_type"))
    );
    let (s, b) = send_raw(
        "application/json",
        format!("{{\"email\": \"{}\"}}", "a".repeat(4096)),
    )
    .await;
    assert_eq!((s, b["code"].as_str()), (413, Some("payload_too_large")));
    let (s, b) = send_raw(
        "application/json",
        json!({"email": "a@b.test", "display_name": "A", "role": "janitor", "password": PASSWORD})
            .to_string(),
    )
    .await;
    assert_eq!(
        (
            s,
            b["errors"][0]["field"].as_str(),
            b["errors"][0]["code"].as_str()
        ),
        (422, Some("role"), Some("unknown_variant"))
    );
    let (s, b) = send_raw(
        "application/json",
        json!({"email": "a@b.test", "display_name": 7, "role": "agent", "password": PASSWORD})
            .to_string(),
    )
    .await;
    assert_eq!(
        (s, b["errors"][0]["field"].as_str()),
        (422, Some("display_name"))
    );
    let (s, b) = send_raw(
        "application/json",
        json!({"display_name": "A", "role": "agent", "password": PASSWORD}).to_string(),
    )
    .await;
    assert_eq!(
        (
            s,
            b["errors"][0]["field"].as_str(),
            b["errors"][0]["code"].as_str()
        ),
        (422, Some("email"), Some("required"))
    );
    let q = app.get("/api/users?limit=0", &admin).await;
    assert_eq!(
        (q.status, q.body["errors"][0]["field"].as_str()),
        (422, Some("limit"))
    );
}

#[actix_web::test]
async fn unknown_routes_and_bad_ids_are_problem_json_404() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    for path in ["/nothing-here", "/api/nothing", "/api/users/not-a-uuid"] {
        let r = app.get(path, &admin).await;
        assert_eq!(
            (r.status, r.body["code"].as_str()),
            (404, Some("not_found")),
            "{path}"
        );
    }
}

#[actix_web::test]
async fn the_request_id_is_honoured_returned_and_in_the_problem() {
    let app = spawn_app().await;
    let r = app
        .send_with(
            "GET",
            "/api/auth/me",
            None,
            None,
            &[("X-Request-Id", "trace-abc-123")],
        )
        .await;
    assert_eq!(r.header("x-request-id").as_deref(), Some("trace-abc-123"));
    assert_eq!(r.body["request_id"], "trace-abc-123");
    let generated = app.send("GET", "/healthz", None, None).await;
    assert_eq!(generated.header("x-request-id").unwrap().len(), 36);
    let hostile = app
        .send_with("GET", "/healthz", None, None, &[("X-Request-Id", "a b\"c")])
        .await;
    assert_ne!(hostile.header("x-request-id").as_deref(), Some("a b\"c"));
}

#[actix_web::test]
async fn security_headers_are_on_every_response() {
    let app = spawn_app().await;
    let r = app.send("GET", "/healthz", None, None).await;
    assert_eq!(
        r.header("x-content-type-options").as_deref(),
        Some("nosniff")
    );
    assert_eq!(r.header("x-frame-options").as_deref(), Some("DENY"));
    assert!(
        r.header("content-security-policy")
            .unwrap()
            .contains("frame-ancestors 'none'")
    );
}

#[actix_web::test]
async fn the_rate_limit_answers_429_with_retry_after() {
    let app = spawn_with(|c| c.rate_limit_per_minute = 3).await;
    let token = app.admin_token().await;
    let mut statuses = Vec::new();
    for _ in 0..5 {
        let r = app.get("/api/auth/me", &token).await;
        statuses.push(r.status);
        if r.status == 429 {
            assert_eq!(r.body["code"], "rate_limited");
            assert!(r.header("retry-after").unwrap().parse::<u64>().unwrap() >= 1);
        }
    }
    assert_eq!(statuses, vec![200, 200, 200, 429, 429]);
}

#[actix_web::test]
async fn the_admin_allow_list_refuses_other_networks() {
    let app = spawn_with(|c| c.admin_allowlist = vec!["10.0.0.0/8".parse().unwrap()]).await;
    let admin = app.admin_token().await;
    let r = app.get("/api/users", &admin).await;
    assert_eq!(
        (r.status, r.body["code"].as_str()),
        (403, Some("ip_not_allowed"))
    );
    assert_eq!(app.send("GET", "/metrics", None, None).await.status, 403);
    // Routes outside the admin group are unaffected.
    assert_eq!(app.get("/api/auth/me", &admin).await.status, 200);
}

#[actix_web::test]
async fn metrics_count_requests_by_route_template_and_logins_by_outcome() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let id = uuid::Uuid::now_v7();
    app.get(&format!("/api/users/{id}"), &admin).await;
    let mut res = crate::common::client()
        .get(app.url("/metrics"))
        .send()
        .await
        .unwrap();
    let text = String::from_utf8(res.body().limit(8 << 20).await.unwrap().to_vec()).unwrap();
    assert!(
        text.contains("route=\"/api/users/{id}\""),
        "route templates, not raw paths"
    );
    assert!(!text.contains(&id.to_string()));
    assert!(text.contains("http_request_duration_seconds_bucket"));
    assert!(text.contains("auth_logins_total{outcome=\"success\"}"));
    assert!(text.contains("db_pool_connections"));
    // What /readyz says, as gauges the alert rules read.
    for check in ["database", "redis", "events", "revocations"] {
        assert!(
            text.contains(&format!("cc_ready{{check=\"{check}\"}} 1")),
            "{check}"
        );
    }
}

#[actix_web::test]
async fn a_documented_route_asked_with_another_method_answers_405_with_allow() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    for (method, path, allow) in [
        ("TRACE", "/api/users", "GET, POST"),
        (
            "PUT",
            "/api/users/0190b2a0-0000-7000-8000-000000000000",
            "DELETE, GET, PATCH",
        ),
        ("DELETE", "/healthz", "GET"),
    ] {
        let r = app.send(method, path, Some(&admin), None).await;
        assert_eq!(
            (r.status, r.body["code"].as_str()),
            (405, Some("method_not_allowed")),
            "{method} {path}"
        );
        assert_eq!(r.header("allow").as_deref(), Some(allow), "{method} {path}");
    }
    // An address no route has stays a 404.
    let r = app
        .send("TRACE", "/api/nothing-here", Some(&admin), None)
        .await;
    assert_eq!(r.status, 404);
}

#[actix_web::test]
async fn a_body_that_is_not_a_json_object_is_malformed_and_whole_floats_are_integers() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    for body in [json!([null, null]), json!("x"), json!(7)] {
        let r = app
            .send("PATCH", "/api/auth/me", Some(&admin), Some(body.clone()))
            .await;
        assert_eq!(
            (r.status, r.body["code"].as_str()),
            (400, Some("malformed_body")),
            "{body}"
        );
    }
    let key =
        json!({"name": "floaty", "role": "analyst", "scopes": ["read"], "expires_in_days": 2.0});
    let r = app.post("/api/api-keys", &admin, key).await;
    assert_eq!(r.status, 201, "{}", r.body);
    let half =
        json!({"name": "half", "role": "analyst", "scopes": ["read"], "expires_in_days": 2.5});
    let r = app.post("/api/api-keys", &admin, half).await;
    assert_eq!(
        (r.status, r.body["errors"][0]["field"].as_str()),
        (422, Some("expires_in_days"))
    );
}

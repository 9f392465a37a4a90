//! Every mutation is in the audit trail with who, what, outcome and correlation id.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common::{PASSWORD, spawn_app};
use serde_json::json;

#[actix_web::test]
async fn mutations_are_recorded_with_actor_target_outcome_and_request_id() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let admin_id = app.get("/api/auth/me", &admin).await.body["user"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let body = json!({"email": "new-agent@org.test", "display_name": "New", "role": "agent", "password": PASSWORD});
    let created = app
        .send_with(
            "POST",
            "/api/users",
            Some(&admin),
            Some(body),
            &[("X-Request-Id", "audit-req-1")],
        )
        .await;
    assert_eq!(created.status, 201);
    let failed = app
        .send_with(
            "POST",
            "/api/users",
            Some(&admin),
            Some(json!({"email": "x"})),
            &[("X-Request-Id", "audit-req-2")],
        )
        .await;
    assert_eq!(failed.status, 422);

    let rows = app.get("/api/audit?action=create_user", &admin).await.body;
    assert_eq!(rows["total"], 2, "{rows}");
    let ok = rows["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["request_id"] == "audit-req-1")
        .unwrap();
    assert_eq!(ok["outcome"], "success");
    assert_eq!(ok["status"], 201);
    assert_eq!(ok["actor_user_id"], admin_id.as_str());
    assert_eq!(ok["actor_label"], app.admin_email.as_str());
    assert_eq!(ok["target_id"], created.body["id"]);
    assert_eq!(ok["route"], "POST /api/users");
    let bad = rows["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["request_id"] == "audit-req-2")
        .unwrap();
    assert_eq!(
        (bad["outcome"].as_str(), bad["status"].as_u64()),
        (Some("failure"), Some(422))
    );

    let failures = app
        .get("/api/audit?outcome=failure&action=create_user", &admin)
        .await
        .body;
    assert_eq!(failures["total"], 1);
}

#[actix_web::test]
async fn reads_are_not_audited_but_sign_ins_are() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    for _ in 0..3 {
        app.get("/api/users", &admin).await;
    }
    let all = app.get("/api/audit?limit=500", &admin).await.body;
    let routes: Vec<&str> = all["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["route"].as_str().unwrap())
        .collect();
    assert!(routes.iter().all(|r| !r.starts_with("GET ")), "{routes:?}");
    assert!(routes.contains(&"POST /api/auth/login"));
}

#[actix_web::test]
async fn an_unknown_outcome_filter_is_a_field_error() {
    let app = crate::common::spawn_app().await;
    let admin = app.admin_token().await;
    let r = app.get("/api/audit?outcome=maybe", &admin).await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(r.body["errors"][0]["field"], "outcome");
    assert_eq!(r.body["errors"][0]["code"], "unknown_variant");
}

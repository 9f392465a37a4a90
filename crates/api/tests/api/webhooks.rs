//! Carrier routes under `/webhooks`: the webhook allow-list guards them, they are never
//! the web app's pages, and they leave no audit rows.

use crate::common::spawn_with;

#[actix_web::test]
async fn the_webhook_allow_list_guards_carrier_routes() {
    let app = spawn_with(|c| c.webhook_allowlist = vec!["203.0.113.0/24".parse().unwrap()]).await;
    let r = app
        .send_with("POST", "/webhooks/twilio/voice", None, None, &[])
        .await;
    assert_eq!(
        (r.status, r.body["code"].as_str()),
        (403, Some("ip_not_allowed"))
    );
}

#[actix_web::test]
async fn an_admitted_carrier_gets_problems_not_the_web_app() {
    let app = spawn_with(|c| c.webhook_allowlist = vec!["127.0.0.1/32".parse().unwrap()]).await;
    let r = app
        .send_with(
            "GET",
            "/webhooks/unknown",
            None,
            None,
            &[("Accept", "text/html")],
        )
        .await;
    assert_eq!(
        (r.status, r.body["code"].as_str()),
        (404, Some("not_found"))
    );
    let admin = app.admin_token().await;
    let audit = app.get("/api/audit?limit=500", &admin).await;
    assert!(
        !audit.body.to_string().contains("/webhooks"),
        "carrier deliveries are not audited"
    );
}

//! One organization never sees another's data, on every route the OpenAPI document lists:
//! each operation on an id answers 404 for another organization's id, and no list shows
//! another organization's rows. A route with an id that has no fixture here fails the
//! test, so a new route cannot be skipped.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common::{PASSWORD, TestApp, create_org, spawn_app};
use crate::role_matrix::substitute;
use cc_types::Role;
use serde_json::{Value, json};

/// Organization A's world: ids to aim at, and strings that must never reach B.
struct Victim {
    /// Path prefix (template up to and including the placeholder) to an id of A.
    ids: Vec<(&'static str, String)>,
    secrets: Vec<String>,
}

async fn victim(app: &TestApp) -> Victim {
    let admin_a = app.admin_token().await;
    let (user_a, email_a) = app.create_user(&admin_a, Role::Agent).await;
    let key = app
        .post(
            "/api/api-keys",
            &admin_a,
            json!({"name": "a", "role": "analyst", "scopes": ["read"]}),
        )
        .await;
    let key_a = key.body["api_key"]["id"].as_str().unwrap().to_owned();
    let team = app
        .post("/api/teams", &admin_a, json!({"name": "Team of A"}))
        .await;
    let team_a = team.body["id"].as_str().unwrap().to_owned();
    let skill = app
        .post("/api/skills", &admin_a, json!({"name": "Skill of A"}))
        .await;
    let skill_a = skill.body["id"].as_str().unwrap().to_owned();
    let profile = app
        .post(
            "/api/agents",
            &admin_a,
            json!({"user_id": user_a, "team_id": team_a, "extension": "4242",
                   "skills": [{"skill_id": skill_a, "level": 3}]}),
        )
        .await;
    assert_eq!(profile.status, 201, "{}", profile.body);
    let agent_a = profile.body["id"].as_str().unwrap().to_owned();
    let reason = app
        .send(
            "PUT",
            "/api/not-ready-reasons/secret_of_a",
            Some(&admin_a),
            Some(json!({"name": "Reason of A"})),
        )
        .await;
    assert_eq!(reason.status, 200, "{}", reason.body);
    let template = app
        .post(
            "/api/shift-templates",
            &admin_a,
            json!({"name": "Template of A", "start_time": "09:00", "end_time": "17:00"}),
        )
        .await;
    let template_a = template.body["id"].as_str().unwrap().to_owned();
    let shift = app
        .post(
            "/api/shifts",
            &admin_a,
            json!({"agent_id": agent_a, "start": "2027-01-04T08:00:00Z",
                   "end": "2027-01-04T16:00:00Z"}),
        )
        .await;
    assert_eq!(shift.status, 201, "{}", shift.body);
    let shift_a = shift.body["id"].as_str().unwrap().to_owned();
    let away = app
        .post(
            "/api/time-off",
            &admin_a,
            json!({"agent_id": agent_a, "start": "2027-07-01T00:00:00Z",
                   "end": "2027-07-02T00:00:00Z", "reason": "Secret trip of A"}),
        )
        .await;
    assert_eq!(away.status, 201, "{}", away.body);
    let time_off_a = away.body["id"].as_str().unwrap().to_owned();
    Victim {
        ids: vec![
            ("/api/users/{id}", user_a.clone()),
            ("/api/api-keys/{id}", key_a.clone()),
            ("/api/teams/{id}", team_a.clone()),
            ("/api/skills/{id}", skill_a.clone()),
            ("/api/agents/{id}", agent_a.clone()),
            ("/api/not-ready-reasons/{code}", "secret_of_a".to_owned()),
            ("/api/shift-templates/{id}", template_a.clone()),
            ("/api/shifts/{id}", shift_a.clone()),
            ("/api/time-off/{id}", time_off_a.clone()),
        ],
        secrets: vec![
            user_a,
            email_a,
            key_a,
            team_a,
            skill_a,
            agent_a,
            "Reason of A".to_owned(),
            template_a,
            "Template of A".to_owned(),
            shift_a,
            time_off_a,
            "Secret trip of A".to_owned(),
            app.admin_email.clone(),
        ],
    }
}

/// A body valid enough to get past validation, so that the lookup decides.
fn body_for(operation: &str, method: &str) -> Option<Value> {
    match (operation, method) {
        ("update_user", _) => Some(json!({"display_name": "stolen"})),
        ("update_team" | "rename_skill" | "put_not_ready_reason", _) => {
            Some(json!({"name": "stolen"}))
        }
        ("force_agent_state", _) => Some(json!({"event": "log_in"})),
        ("decide_time_off", _) => Some(json!({"approve": true})),
        ("put_team_forecast", _) => Some(json!({"date": "2027-03-01", "interval": "minutes30",
                                               "calls": [4.0], "aht_secs": 180.0,
                                               "service_level": 0.8, "answer_within_secs": 20.0,
                                               "patience_secs": 60.0})),
        ("replace_shift_template", _) => Some(json!({"name": "stolen", "start_time": "09:00",
                                                    "end_time": "17:00"})),
        (_, "GET" | "DELETE") => None,
        _ => Some(json!({})),
    }
}

#[actix_web::test]
async fn no_route_shows_or_touches_another_organizations_data() {
    let app = spawn_app().await;
    let doc = app.send("GET", "/openapi.json", None, None).await.body;
    let a = victim(&app).await;
    let email_b = format!("admin-b-{}@org.test", uuid::Uuid::now_v7().simple());
    create_org(&app.state, &email_b).await;
    let admin_b = app.login(&email_b, PASSWORD).await;

    let mut probed = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let method = method.to_uppercase();
            let id = op["operationId"].as_str().unwrap();
            if op["security"].as_array().is_none_or(|s| s.is_empty())
                || matches!(id, "logout" | "change_password")
            {
                continue;
            }
            let body = body_for(id, &method);
            if path.contains('{') {
                let (_, target) = a
                    .ids
                    .iter()
                    .find(|(prefix, _)| path.starts_with(prefix))
                    .unwrap_or_else(|| {
                        panic!(
                            "no fixture of organization A for {method} {path}: add one to `victim`"
                        )
                    });
                let concrete = substitute(path, target);
                let r = app.send(&method, &concrete, Some(&admin_b), body).await;
                if id == "put_not_ready_reason" {
                    // Codes are named per organization: B's PUT makes B's own reason.
                    assert_eq!(r.status, 200, "{}", r.body);
                    probed += 1;
                    continue;
                }
                assert_eq!(
                    (r.status, r.body["code"].as_str()),
                    (404, Some("not_found")),
                    "{method} {concrete} with another organization's id"
                );
            } else if method == "GET" {
                let r = app
                    .send(&method, &format!("{path}?limit=500"), Some(&admin_b), None)
                    .await;
                // `/api/agents/me` answers 404 to a caller without a profile: nothing shown.
                let nothing = id == "get_my_agent" && r.status == 404;
                assert!(
                    r.status < 400 || nothing,
                    "{method} {path}: {} {}",
                    r.status,
                    r.body
                );
                let text = r.body.to_string();
                for secret in &a.secrets {
                    assert!(
                        !text.contains(secret),
                        "{method} {path} shows {secret} of another organization"
                    );
                }
            } else {
                continue;
            }
            probed += 1;
        }
    }
    assert!(probed >= 10, "only {probed} operations probed");

    // Organization A's rows are untouched.
    let admin_a = app.admin_token().await;
    let user_a = &a.ids[0].1;
    let still = app.get(&format!("/api/users/{user_a}"), &admin_a).await;
    assert_eq!(
        (
            still.body["display_name"].as_str(),
            still.body["active"].as_bool()
        ),
        (Some("Test User"), Some(true))
    );
    assert_eq!(
        app.get("/api/api-keys", &admin_a).await.body["items"][0]["revoked_at"],
        Value::Null
    );
    let reasons = app.get("/api/not-ready-reasons", &admin_a).await.body;
    assert!(
        reasons.to_string().contains("Reason of A"),
        "B's reason of the same code left A's alone: {reasons}"
    );
    let team_a = &a.ids[2].1;
    assert_eq!(
        app.get(&format!("/api/teams/{team_a}"), &admin_a)
            .await
            .body["name"],
        "Team of A"
    );
}

//! `GET /api/shifts/current`: who is scheduled now, and whether each is logged in, on a
//! break, or missing.

use super::*;
use std::time::Duration;

fn at(app: &TestApp, minutes: i64) -> String {
    let now = app.state.infra.clock.now() + chrono::TimeDelta::minutes(minutes);
    now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

#[actix_web::test]
async fn who_is_scheduled_now_and_whether_they_are_logged_in_on_a_break_or_missing() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let floor = id_of(
        &app.post("/api/teams", &admin, json!({"name": "Floor"}))
            .await,
    );
    let (working, working_email) = agent(&app, &admin, json!({"team_id": floor})).await;
    let (resting, _) = agent(&app, &admin, json!({"team_id": floor})).await;
    let (absent, _) = agent(&app, &admin, json!({"team_id": floor})).await;
    let (later, _) = agent(&app, &admin, json!({"team_id": floor})).await;
    let (elsewhere, _) = agent(&app, &admin, json!({})).await;
    for a in [&working, &absent, &elsewhere] {
        id_of(&shift(&app, &admin, a, &at(&app, -60), &at(&app, 420)).await);
    }
    let with_break = app
        .post(
            "/api/shifts",
            &admin,
            json!({"agent_id": resting, "start": at(&app, -120), "end": at(&app, 360),
                   "breaks": [{"start": at(&app, -10), "end": at(&app, 20), "paid": false}]}),
        )
        .await;
    id_of(&with_break);
    id_of(&shift(&app, &admin, &later, &at(&app, 600), &at(&app, 900)).await);
    let token = app.login(&working_email, PASSWORD).await;
    for event in ["log_in"] {
        let r = app
            .post("/api/agents/me/state", &token, json!({"event": event}))
            .await;
        assert_eq!(r.status, 200, "{}", r.body);
    }

    let now = app
        .get(&format!("/api/shifts/current?team_id={floor}"), &admin)
        .await;
    assert_eq!(now.status, 200, "{}", now.body);
    let by_agent = |id: &str| {
        now.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["shift"]["agent_id"] == id)
            .map(|i| i["attendance"].as_str().unwrap().to_owned())
    };
    assert_eq!(by_agent(&working).as_deref(), Some("logged_in"));
    assert_eq!(by_agent(&resting).as_deref(), Some("on_break"));
    assert_eq!(by_agent(&absent).as_deref(), Some("missing"));
    assert_eq!(by_agent(&later), None, "not scheduled yet");
    assert_eq!(by_agent(&elsewhere), None, "another team");
    assert_eq!(
        (
            &now.body["logged_in"],
            &now.body["on_break"],
            &now.body["missing"]
        ),
        (&json!(1), &json!(1), &json!(1))
    );
    let everyone = app.get("/api/shifts/current", &admin).await;
    assert_eq!(everyone.body["items"].as_array().unwrap().len(), 4);

    // Past the break, the resting agent (offline) is missing; not ready is a break.
    app.advance(Duration::from_secs(30 * 60));
    let r = app
        .post(
            "/api/agents/me/state",
            &token,
            json!({"event": "set_not_ready", "reason": "break"}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let later_on = app
        .get(&format!("/api/shifts/current?team_id={floor}"), &admin)
        .await;
    assert_eq!(
        (
            &later_on.body["logged_in"],
            &later_on.body["on_break"],
            &later_on.body["missing"]
        ),
        (&json!(0), &json!(1), &json!(2)),
        "{}",
        later_on.body
    );
}

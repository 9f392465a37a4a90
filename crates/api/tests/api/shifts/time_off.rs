//! Time off: asked by the agent, decided once by a supervisor who manages them, withdrawn
//! or cancelled by who may; live requests of one agent never overlap; who is away shows
//! in who is scheduled now.

use super::*;

async fn ask(app: &TestApp, token: &str, body: Value) -> Reply {
    app.post("/api/time-off", token, body).await
}

async fn decide(app: &TestApp, token: &str, id: &str, approve: bool) -> Reply {
    app.post(
        &format!("/api/time-off/{id}/decision"),
        token,
        json!({"approve": approve, "note": "ok"}),
    )
    .await
}

#[actix_web::test]
async fn an_agents_request_is_decided_once_and_live_requests_never_overlap() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let (sup_user, sup_email) = app.create_user(&admin, Role::Supervisor).await;
    let mine = id_of(
        &app.post(
            "/api/teams",
            &admin,
            json!({"name": "Mine", "manager_id": sup_user}),
        )
        .await,
    );
    let other = id_of(
        &app.post("/api/teams", &admin, json!({"name": "Other"}))
            .await,
    );
    let (agent_id, email) = agent(&app, &admin, json!({"team_id": mine})).await;
    let (mate, _) = agent(&app, &admin, json!({"team_id": mine})).await;
    let (_, far_email) = app.create_user(&admin, Role::Supervisor).await;
    app.post(
        "/api/teams",
        &admin,
        json!({"name": "Far", "manager_id": null}),
    )
    .await;
    let sup = app.login(&sup_email, PASSWORD).await;
    let far = app.login(&far_email, PASSWORD).await;
    let me = app.login(&email, PASSWORD).await;
    let span = json!({"start": "2027-07-01T00:00:00Z", "end": "2027-07-15T00:00:00Z", "reason": "Holiday"});

    let asked = ask(&app, &me, span.clone()).await;
    let id = id_of(&asked);
    assert_eq!(
        (
            asked.body["status"].as_str(),
            asked.body["agent_id"].as_str()
        ),
        (Some("pending"), Some(agent_id.as_str()))
    );
    let again = ask(
        &app,
        &me,
        json!({"start": "2027-07-10T00:00:00Z", "end": "2027-07-20T00:00:00Z"}),
    )
    .await;
    assert_eq!(
        (again.status, again.body["code"].as_str()),
        (409, Some("time_off_overlap"))
    );
    assert_eq!(again.body["conflicts"][0]["id"], id.as_str());
    assert_eq!(ask(&app, &me, json!({"agent_id": mate, "start": "2027-08-01T00:00:00Z", "end": "2027-08-02T00:00:00Z"})).await.status, 403, "not for a teammate");
    let backwards = ask(
        &app,
        &me,
        json!({"start": "2027-08-02T00:00:00Z", "end": "2027-08-01T00:00:00Z"}),
    )
    .await;
    assert_eq!(
        (
            backwards.status,
            backwards.body["errors"][0]["code"].as_str()
        ),
        (422, Some("after_start"))
    );
    let long = ask(
        &app,
        &me,
        json!({"start": "2027-08-01T00:00:00Z", "end": "2027-09-02T00:00:00Z"}),
    )
    .await;
    assert_eq!(
        (long.status, long.body["errors"][0]["code"].as_str()),
        (422, Some("max_days"))
    );

    assert_eq!(
        decide(&app, &me, &id, true).await.status,
        403,
        "an agent decides nothing"
    );
    assert_eq!(
        decide(&app, &far, &id, true).await.status,
        404,
        "a supervisor of other teams"
    );
    let approved = decide(&app, &sup, &id, true).await;
    assert_eq!(approved.status, 200, "{}", approved.body);
    assert_eq!(approved.body["status"], "approved");
    assert_eq!(approved.body["decided_by"], sup_user.as_str());
    let twice = decide(&app, &sup, &id, false).await;
    assert_eq!(
        (twice.status, twice.body["code"].as_str()),
        (409, Some("already_decided"))
    );
    let path = format!("/api/time-off/{id}");
    let withdraw = app.send("DELETE", &path, Some(&me), None).await;
    assert_eq!(
        (withdraw.status, withdraw.body["code"].as_str()),
        (409, Some("already_decided")),
        "approved: only a manager cancels"
    );
    let cancelled = app.send("DELETE", &path, Some(&sup), None).await;
    assert_eq!(
        (cancelled.status, cancelled.body["status"].as_str()),
        (200, Some("cancelled"))
    );
    id_of(&ask(&app, &me, span).await);

    // Lists: by status, and nothing of other teams for their supervisor.
    let pending = app.get("/api/time-off?status=pending", &sup).await;
    assert_eq!(pending.body["total"], 1, "{}", pending.body);
    assert_eq!(app.get("/api/time-off", &far).await.body["total"], 0);
    let by_team = app
        .get(&format!("/api/time-off?team_id={other}"), &admin)
        .await;
    assert_eq!(by_team.body["total"], 0);
    let analyst = app.token_for(&admin, Role::Analyst).await;
    assert_eq!(app.get("/api/time-off", &analyst).await.body["total"], 2);
    assert_eq!(
        ask(
            &app,
            &analyst,
            json!({"start": "2027-08-01T00:00:00Z", "end": "2027-08-02T00:00:00Z"})
        )
        .await
        .status,
        403
    );
}

#[actix_web::test]
async fn an_agent_on_approved_time_off_is_away_not_missing() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let (away, _) = agent(&app, &admin, json!({})).await;
    let (absent, _) = agent(&app, &admin, json!({})).await;
    let now = app.state.infra.clock.now();
    let at = |m: i64| {
        (now + chrono::TimeDelta::minutes(m)).to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
    };
    for a in [&away, &absent] {
        id_of(&shift(&app, &admin, a, &at(-60), &at(240)).await);
    }
    let asked = ask(
        &app,
        &admin,
        json!({"agent_id": away, "start": at(-120), "end": at(600)}),
    )
    .await;
    let id = id_of(&asked);
    let pending = app.get("/api/shifts/current", &admin).await;
    assert_eq!(
        (&pending.body["missing"], &pending.body["time_off"]),
        (&json!(2), &json!(0)),
        "pending is not away"
    );
    assert_eq!(decide(&app, &admin, &id, true).await.status, 200);
    let now = app.get("/api/shifts/current", &admin).await;
    assert_eq!(
        (&now.body["missing"], &now.body["time_off"]),
        (&json!(1), &json!(1)),
        "{}",
        now.body
    );
    let item = now.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["shift"]["agent_id"] == away.as_str())
        .unwrap();
    assert_eq!(item["attendance"], "time_off");
}

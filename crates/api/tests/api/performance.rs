//! Performance: a day of state-log rows and call records seeded as the live-calls work will
//! write them, against times, occupancy and utilization worked out by hand; teams sum
//! their members; days follow the zone; who sees what.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common::{PASSWORD, Reply, TestApp, spawn_app};
use cc_api::performance::call;
use cc_api::presence::entity::state_log;
use cc_types::Role;
use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, IntoActiveModel};
use serde_json::{Value, json};
use uuid::Uuid;

fn id_of(reply: &Reply) -> String {
    assert!(reply.status < 300, "{}", reply.body);
    reply.body["id"].as_str().unwrap().to_owned()
}

fn at(hm: &str) -> DateTime<Utc> {
    format!("2026-03-02T{hm}:00Z").parse().unwrap()
}

async fn member(app: &TestApp, admin: &str, team: &str) -> (Uuid, String) {
    let (user, email) = app.create_user(admin, Role::Agent).await;
    let body = json!({"user_id": user, "team_id": team});
    (
        id_of(&app.post("/api/agents", admin, body).await)
            .parse()
            .unwrap(),
        email,
    )
}

/// Appends the changes to the agent's state log as the server writes them.
async fn seed_log(app: &TestApp, org: Uuid, agent: Uuid, changes: &[(&str, &str, Option<&str>)]) {
    for (version, (time, state, reason)) in changes.iter().enumerate() {
        state_log::Model {
            id: Uuid::now_v7(),
            organization_id: org,
            agent_id: agent,
            version: version as i64 + 1,
            state: (*state).to_owned(),
            reason: reason.map(str::to_owned),
            forced: false,
            cause: "seeded".into(),
            actor_id: None,
            team_id: None,
            at: at(time),
            previous_state: None,
            previous_secs: None,
        }
        .into_active_model()
        .reset_all()
        .insert(&app.state.infra.db)
        .await
        .unwrap();
    }
}

/// A call record: (agent, answered at, outcome, talk, hold, wrap-up).
async fn seed_call(app: &TestApp, org: Uuid, c: (Option<Uuid>, &str, &str, f64, f64, f64)) {
    call::Model {
        id: Uuid::now_v7(),
        organization_id: org,
        direction: "inbound".into(),
        outcome: c.2.into(),
        from_number: Some("+420601123456".into()),
        to_number: None,
        queue_id: None,
        agent_id: c.0,
        team_id: None,
        customer_id: None,
        started_at: at(c.1),
        answered_at: c.0.map(|_| at(c.1)),
        ended_at: None,
        talk_secs: c.3,
        hold_secs: c.4,
        wrap_up_secs: c.5,
        disposition: None,
        created_at: at(c.1),
    }
    .into_active_model()
    .reset_all()
    .insert(&app.state.infra.db)
    .await
    .unwrap();
}

fn close(v: &Value, want: f64) {
    assert!((v.as_f64().unwrap() - want).abs() < 1e-9, "{v} != {want}");
}

const DAY: &[(&str, &str, Option<&str>)] = &[
    ("08:00", "available", None),
    ("08:30", "reserved", None),
    ("08:31", "on_call", None),
    ("08:41", "wrap_up", None),
    ("08:45", "available", None),
    ("09:00", "not_ready", Some("break")),
    ("09:15", "available", None),
    ("10:50", "on_call", None),
    ("11:10", "wrap_up", None),
    ("11:15", "not_ready", Some("lunch")),
    ("11:45", "offline", None),
];

#[actix_web::test]
async fn a_seeded_day_gives_the_times_and_ratios_worked_out_by_hand() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let org = app.me(&admin).await.user.organization_id;
    let team = id_of(&app.post("/api/teams", &admin, json!({"name": "Day"})).await);
    let (a, _) = member(&app, &admin, &team).await;
    let (b, _) = member(&app, &admin, &team).await;
    seed_log(&app, org, a, DAY).await;
    seed_log(
        &app,
        org,
        b,
        &[("08:00", "available", None), ("10:00", "offline", None)],
    )
    .await;
    seed_call(
        &app,
        org,
        (Some(a), "08:31", "answered", 540.0, 60.0, 240.0),
    )
    .await;
    seed_call(
        &app,
        org,
        (Some(a), "10:50", "answered", 1200.0, 0.0, 300.0),
    )
    .await;
    seed_call(&app, org, (None, "09:30", "abandoned", 0.0, 0.0, 0.0)).await;

    let span = "from=2026-03-02T08:00:00Z&to=2026-03-02T12:00:00Z&interval=hour";
    let r = app
        .get(&format!("/api/agents/{a}/performance?{span}"), &admin)
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let hours = r.body["intervals"].as_array().unwrap();
    assert_eq!(hours.len(), 4);
    // 08:00-09:00: 45 min waiting, 1 min offered, a 10-minute call (1 on hold), 4 of wrap-up.
    let h = &hours[0]["totals"];
    close(&h["available_secs"], 2700.0);
    close(&h["reserved_secs"], 60.0);
    close(&h["talk_secs"], 540.0);
    close(&h["hold_secs"], 60.0);
    close(&h["wrap_up_secs"], 240.0);
    close(&h["occupancy"], 840.0 / 3600.0);
    assert_eq!(h["calls_handled"], 1);
    close(&h["average_handle_secs"], 840.0);
    // 09:00-10:00: a 15-minute break, no handling.
    let h = &hours[1]["totals"];
    close(&h["not_ready_by_reason"]["break"], 900.0);
    close(&h["occupancy"], 0.0);
    assert_eq!(h["calls_handled"], 0);
    // 11:00-12:00: the call that began before 11 goes on; lunch; logged out at 11:45.
    let h = &hours[3]["totals"];
    close(&h["talk_secs"], 600.0);
    close(&h["logged_in_secs"], 2700.0);
    close(&h["occupancy"], 1.0);
    close(&h["utilization"], 900.0 / 2700.0);
    // The whole morning.
    let t = &r.body["totals"];
    close(&t["logged_in_secs"], 13_500.0);
    close(&t["available_secs"], 8400.0);
    close(&t["talk_secs"], 1740.0);
    close(&t["not_ready_secs"], 2700.0);
    close(&t["not_ready_by_reason"]["lunch"], 1800.0);
    close(&t["occupancy"], 2340.0 / 10_800.0);
    close(&t["utilization"], 2340.0 / 13_500.0);
    assert_eq!(t["calls_handled"], 2);
    close(&t["average_handle_secs"], 1170.0);

    // The team sums both members and gives a line each.
    let r = app
        .get(&format!("/api/teams/{team}/performance?{span}"), &admin)
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    close(&r.body["totals"]["available_secs"], 8400.0 + 7200.0);
    close(
        &r.body["totals"]["utilization"],
        2340.0 / (13_500.0 + 7200.0),
    );
    let lines = r.body["agents"].as_array().unwrap();
    assert_eq!(lines.len(), 2);
    let line_b = lines
        .iter()
        .find(|l| l["agent_id"] == b.to_string())
        .unwrap();
    close(&line_b["totals"]["logged_in_secs"], 7200.0);
    assert_eq!(line_b["totals"]["calls_handled"], 0);
}

#[actix_web::test]
async fn days_begin_at_midnight_in_the_zone_asked() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let team = id_of(
        &app.post("/api/teams", &admin, json!({"name": "Zone"}))
            .await,
    );
    let (a, _) = member(&app, &admin, &team).await;
    let q =
        "from=2026-03-01T12:00:00Z&to=2026-03-04T00:00:00Z&interval=day&time_zone=Europe/Prague";
    let r = app
        .get(&format!("/api/agents/{a}/performance?{q}"), &admin)
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let starts: Vec<&str> = r.body["intervals"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["start"].as_str().unwrap())
        .collect();
    assert_eq!(
        starts,
        [
            "2026-03-01T12:00:00Z",
            "2026-03-01T23:00:00Z",
            "2026-03-02T23:00:00Z",
            "2026-03-03T23:00:00Z"
        ]
    );
    // 2026-03-02 is a Monday: weeks begin at its midnight in Prague.
    let q =
        "from=2026-03-01T00:00:00Z&to=2026-03-10T00:00:00Z&interval=week&time_zone=Europe/Prague";
    let r = app
        .get(&format!("/api/agents/{a}/performance?{q}"), &admin)
        .await;
    assert_eq!(r.body["intervals"][1]["start"], "2026-03-01T23:00:00Z");
    assert_eq!(r.body["intervals"][2]["start"], "2026-03-08T23:00:00Z");
}

#[actix_web::test]
async fn who_reads_whose_performance() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let (boss, boss_email) = app.create_user(&admin, Role::Supervisor).await;
    let team = app
        .post(
            "/api/teams",
            &admin,
            json!({"name": "Mine", "manager_id": boss}),
        )
        .await;
    let team = id_of(&team);
    let other = id_of(
        &app.post("/api/teams", &admin, json!({"name": "Theirs"}))
            .await,
    );
    let (a, a_email) = member(&app, &admin, &team).await;
    let (mate, _) = member(&app, &admin, &team).await;
    let (stranger, _) = member(&app, &admin, &other).await;
    let boss = app.login(&boss_email, PASSWORD).await;
    let agent = app.login(&a_email, PASSWORD).await;
    let analyst = app.token_for(&admin, Role::Analyst).await;
    let get = |path: String, token: String| {
        let app = &app;
        async move { app.get(&path, &token).await.status }
    };
    for token in [&boss, &agent, &analyst] {
        assert_eq!(
            get(format!("/api/agents/{a}/performance"), token.clone()).await,
            200
        );
        assert_eq!(
            get(format!("/api/agents/{mate}/performance"), token.clone()).await,
            200
        );
        assert_eq!(
            get(format!("/api/teams/{team}/performance"), token.clone()).await,
            200
        );
    }
    for token in [&boss, &agent] {
        assert_eq!(
            get(format!("/api/agents/{stranger}/performance"), token.clone()).await,
            404
        );
        assert_eq!(
            get(format!("/api/teams/{other}/performance"), token.clone()).await,
            404
        );
    }
    let backwards = "from=2026-03-02T00:00:00Z&to=2026-03-01T00:00:00Z";
    let r = app
        .get(&format!("/api/agents/{a}/performance?{backwards}"), &boss)
        .await;
    assert_eq!(
        (r.status, r.body["errors"][0]["code"].as_str()),
        (422, Some("after_from"))
    );
    let long = "from=2026-01-01T00:00:00Z&to=2026-02-02T00:00:00Z";
    let r = app
        .get(&format!("/api/teams/{team}/performance?{long}"), &boss)
        .await;
    assert_eq!(
        (r.status, r.body["errors"][0]["code"].as_str()),
        (422, Some("max_days"))
    );
}

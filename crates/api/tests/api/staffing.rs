//! Staffing: a forecast saved per local day (a 23-hour day has 46 half hours), and the
//! report's numbers equal to cc-core's Erlang C and Erlang A for the same inputs beside the
//! agents the schedule puts on the phones (breaks and approved time off taken off).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common::{PASSWORD, Reply, TestApp, spawn_app};
use cc_core::staffing::{
    agents_for_service_level, erlang_a_agents_for_service_level, erlang_a_service_level,
};
use cc_types::Role;
use serde_json::{Value, json};

fn id_of(reply: &Reply) -> String {
    assert!(reply.status < 300, "{}", reply.body);
    reply.body["id"].as_str().unwrap().to_owned()
}

async fn member(app: &TestApp, admin: &str, team: &str) -> (String, String) {
    let (user, email) = app.create_user(admin, Role::Agent).await;
    let body = json!({"user_id": user, "team_id": team});
    (id_of(&app.post("/api/agents", admin, body).await), email)
}

async fn shift(app: &TestApp, admin: &str, agent: &str, breaks: Value) {
    let body = json!({"agent_id": agent, "start": "2027-03-01T08:00:00Z",
                      "end": "2027-03-01T16:00:00Z", "breaks": breaks});
    id_of(&app.post("/api/shifts", admin, body).await);
}

fn forecast(date: &str, zone: &str, calls: Vec<f64>) -> Value {
    json!({"date": date, "time_zone": zone, "interval": "minutes30", "calls": calls,
           "aht_secs": 240.0, "service_level": 0.8, "answer_within_secs": 20.0,
           "patience_secs": 90.0})
}

async fn put(app: &TestApp, token: &str, team: &str, body: Value) -> Reply {
    let path = format!("/api/teams/{team}/forecast");
    app.send("PUT", &path, Some(token), Some(body)).await
}

async fn report(app: &TestApp, token: &str, team: &str, query: &str) -> Reply {
    app.get(&format!("/api/teams/{team}/staffing?{query}"), token)
        .await
}

/// What the report must say for an interval, from cc-core directly.
fn expected(calls: f64, secs: f64, scheduled: f64) -> (u32, u32, f64, &'static str) {
    let traffic = calls * 240.0 / secs;
    let c = agents_for_service_level(traffic, 240.0, 20.0, 0.8);
    let a = erlang_a_agents_for_service_level(traffic, 240.0, 90.0, 20.0, 0.8, 100_000).unwrap();
    let level = erlang_a_service_level(scheduled.floor() as u32, traffic, 240.0, 90.0, 20.0);
    let status = if scheduled < f64::from(a) {
        "understaffed"
    } else if scheduled < f64::from(c) {
        "at_risk"
    } else {
        "covered"
    };
    (c, a, level, status)
}

fn check(row: &Value, calls: f64, secs: f64, scheduled: f64) {
    let (c, a, level, status) = expected(calls, secs, scheduled);
    assert!(
        (row["calls"].as_f64().unwrap() - calls).abs() < 1e-9,
        "{row}"
    );
    assert_eq!(row["required_erlang_c"], c, "{row}");
    assert_eq!(row["required_erlang_a"], a, "{row}");
    assert!(
        (row["scheduled_agents"].as_f64().unwrap() - scheduled).abs() < 1e-9,
        "{row}"
    );
    let predicted = row["predicted_service_level"].as_f64().unwrap();
    assert!((predicted - level).abs() < 1e-12, "{row}");
    assert_eq!(row["status"], status, "{row}");
}

#[actix_web::test]
async fn the_report_puts_cc_cores_erlang_c_and_a_beside_the_schedule() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let team = id_of(
        &app.post("/api/teams", &admin, json!({"name": "Inbound"}))
            .await,
    );
    let other = id_of(
        &app.post("/api/teams", &admin, json!({"name": "Other"}))
            .await,
    );
    let (a1, _) = member(&app, &admin, &team).await;
    let (a2, _) = member(&app, &admin, &team).await;
    let (a3, _) = member(&app, &admin, &team).await;
    let (a4, _) = member(&app, &admin, &other).await;
    let brk = json!([{"start": "2027-03-01T09:00:00Z", "end": "2027-03-01T09:30:00Z"}]);
    shift(&app, &admin, &a1, brk).await;
    for a in [&a2, &a3, &a4] {
        shift(&app, &admin, a, json!([])).await;
    }
    // a3 is away the whole morning; a4 works for another team.
    let away = app
        .post(
            "/api/time-off",
            &admin,
            json!({"agent_id": a3, "start": "2027-03-01T00:00:00Z",
                   "end": "2027-03-01T12:00:00Z"}),
        )
        .await;
    let decision = format!("/api/time-off/{}/decision", id_of(&away));
    let r = app.post(&decision, &admin, json!({"approve": true})).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let mut calls = vec![0.0; 30];
    calls[16..20].copy_from_slice(&[30.0, 40.0, 50.0, 60.0]); // 08:00 to 10:00
    calls[28] = 2.0; // 14:00
    let saved = put(
        &app,
        &admin,
        &team,
        forecast("2027-03-01", "UTC", calls.clone()),
    )
    .await;
    assert_eq!(saved.status, 200, "{}", saved.body);
    assert_eq!(saved.body["calls"].as_array().unwrap().len(), 30);

    let r = report(
        &app,
        &admin,
        &team,
        "from=2027-03-01T08:00:00Z&to=2027-03-01T10:30:00Z&interval=minutes30",
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let rows = r.body["intervals"].as_array().unwrap();
    assert_eq!(rows.len(), 5);
    check(&rows[0], 30.0, 1800.0, 2.0);
    check(&rows[1], 40.0, 1800.0, 2.0);
    check(&rows[2], 50.0, 1800.0, 1.0); // a1 on a break
    check(&rows[3], 60.0, 1800.0, 2.0);
    // No calls at 10:00: nobody is needed.
    assert_eq!(rows[4]["calls"], 0.0);
    assert_eq!(rows[4]["status"], "covered");
    let understaffed = rows
        .iter()
        .filter(|r| r["status"] == "understaffed")
        .count();
    assert_eq!(r.body["understaffed_intervals"], understaffed);

    // By the hour: two half hours each, the break averaged in.
    let r = report(
        &app,
        &admin,
        &team,
        "from=2027-03-01T08:00:00Z&to=2027-03-01T10:00:00Z&interval=hour",
    )
    .await;
    let rows = r.body["intervals"].as_array().unwrap();
    check(&rows[0], 70.0, 3600.0, 2.0);
    check(&rows[1], 110.0, 3600.0, 1.5);

    // In the afternoon all three are on: two calls need fewer.
    let r = report(
        &app,
        &admin,
        &team,
        "from=2027-03-01T14:00:00Z&to=2027-03-01T14:30:00Z",
    )
    .await;
    check(&r.body["intervals"][0], 2.0, 1800.0, 3.0);
    assert_eq!(r.body["intervals"][0]["status"], "covered");

    // A day with no forecast says so.
    let r = report(
        &app,
        &admin,
        &team,
        "from=2027-03-05T08:00:00Z&to=2027-03-05T09:00:00Z",
    )
    .await;
    assert_eq!(r.body["intervals"][0]["status"], "no_forecast");
    assert_eq!(r.body["intervals"][0]["required_erlang_a"], Value::Null);
}

#[actix_web::test]
async fn a_day_is_read_in_its_zone_and_saved_whole() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let team = id_of(
        &app.post("/api/teams", &admin, json!({"name": "Prague"}))
            .await,
    );
    // The last Sunday of March 2027 in Prague has 23 hours: 46 half hours.
    let r = put(
        &app,
        &admin,
        &team,
        forecast("2027-03-28", "Europe/Prague", vec![1.0; 47]),
    )
    .await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(r.body["errors"][0]["field"], "calls");
    assert_eq!(r.body["errors"][0]["code"], "day_intervals");
    let r = put(
        &app,
        &admin,
        &team,
        forecast("2027-03-28", "Europe/Prague", vec![1.0; 46]),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["start"], "2027-03-27T23:00:00Z");
    assert_eq!(r.body["end"], "2027-03-28T22:00:00Z");
    // The last half hour of that day starts at 21:30 UTC (23:30 summer time).
    let q = "from=2027-03-28T21:30:00Z&to=2027-03-28T22:30:00Z";
    let rows = report(&app, &admin, &team, q).await.body["intervals"].clone();
    assert_eq!(rows[0]["calls"], 1.0);
    assert_eq!(rows[1]["status"], "no_forecast");

    // The same hours as another day in another zone are refused, naming that day.
    let clash = put(
        &app,
        &admin,
        &team,
        forecast("2027-03-28", "UTC", vec![1.0]),
    )
    .await;
    assert_eq!(clash.status, 200, "the same date replaces: {}", clash.body);
    let clash = put(
        &app,
        &admin,
        &team,
        forecast("2027-03-27", "America/New_York", vec![1.0]),
    )
    .await;
    assert_eq!(clash.status, 409, "{}", clash.body);
    assert_eq!(clash.body["code"], "forecast_overlap");
    assert_eq!(clash.body["conflicts"][0]["name"], "2027-03-28 UTC");

    // Saved again, the day is replaced; with no calls, removed.
    let read = |date: &'static str| {
        let (app, admin, team) = (&app, admin.clone(), team.clone());
        async move {
            app.get(&format!("/api/teams/{team}/forecast?date={date}"), &admin)
                .await
        }
    };
    assert_eq!(read("2027-03-28").await.body["time_zone"], "UTC");
    let r = put(&app, &admin, &team, forecast("2027-03-28", "UTC", vec![])).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let gone = read("2027-03-28").await;
    assert_eq!(gone.body["calls"], json!([]));
    assert_eq!(gone.body["updated_at"], Value::Null);
}

#[actix_web::test]
async fn who_reads_and_who_forecasts_a_team() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let (boss, boss_email) = app.create_user(&admin, Role::Supervisor).await;
    let parent = app
        .post(
            "/api/teams",
            &admin,
            json!({"name": "Sales", "manager_id": boss}),
        )
        .await;
    let parent = id_of(&parent);
    let child = app
        .post(
            "/api/teams",
            &admin,
            json!({"name": "Sales CZ", "parent_team_id": parent}),
        )
        .await;
    let team = id_of(&child);
    let (_, agent_email) = member(&app, &admin, &team).await;
    let boss = app.login(&boss_email, PASSWORD).await;
    let stranger = app.token_for(&admin, Role::Supervisor).await;
    let agent = app.login(&agent_email, PASSWORD).await;
    let analyst = app.token_for(&admin, Role::Analyst).await;
    let body = || forecast("2027-03-01", "UTC", vec![3.0]);

    assert_eq!(put(&app, &boss, &team, body()).await.status, 200);
    let r = put(&app, &stranger, &team, body()).await;
    assert_eq!(
        (r.status, r.body["code"].as_str()),
        (404, Some("not_found"))
    );
    assert_eq!(report(&app, &stranger, &team, "").await.status, 404);
    for reader in [&agent, &analyst, &boss] {
        let r = report(&app, reader, &team, "from=2027-03-01T00:00:00Z").await;
        assert_eq!(r.status, 200, "{}", r.body);
        assert_eq!(r.body["intervals"][0]["calls"], 3.0);
    }
    for writer in [&agent, &analyst] {
        assert_eq!(put(&app, writer, &team, body()).await.status, 403);
    }

    // The span: forward, and at most a week.
    let backwards = report(
        &app,
        &boss,
        &team,
        "from=2027-03-02T00:00:00Z&to=2027-03-01T00:00:00Z",
    );
    let r = backwards.await;
    assert_eq!(
        (r.status, r.body["errors"][0]["code"].as_str()),
        (422, Some("after_from"))
    );
    let long = report(
        &app,
        &boss,
        &team,
        "from=2027-03-01T00:00:00Z&to=2027-03-08T00:30:00Z",
    );
    let r = long.await;
    assert_eq!(
        (r.status, r.body["errors"][0]["code"].as_str()),
        (422, Some("max_days"))
    );
    // Calls out of range are refused whole.
    let r = put(
        &app,
        &boss,
        &team,
        forecast("2027-03-01", "UTC", vec![3.0, 5001.0]),
    )
    .await;
    assert_eq!(r.status, 422, "{}", r.body);
}

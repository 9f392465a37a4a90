//! Adherence of a day seeded through the API on the manual clock, against a value worked
//! out by hand.

use super::*;
use std::time::Duration;

#[actix_web::test]
async fn a_late_start_and_a_long_break_give_the_adherence_worked_out_by_hand() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let (id, email) = agent(&app, &admin, json!({})).await;
    let token = app.login(&email, PASSWORD).await;
    let t0 = app.state.infra.clock.now();
    let at = |m: i64| {
        (t0 + chrono::TimeDelta::minutes(m)).to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
    };
    // Scheduled 4 h from t0, with a 15-minute break at 2 h.
    let planned = app
        .post(
            "/api/shifts",
            &admin,
            json!({"agent_id": id, "start": at(0), "end": at(240),
                   "breaks": [{"start": at(120), "end": at(135)}]}),
        )
        .await;
    id_of(&planned);
    let state = |event: &'static str, reason: Option<&'static str>| {
        let token = token.clone();
        let app = &app;
        async move {
            let r = app
                .post(
                    "/api/agents/me/state",
                    &token,
                    json!({"event": event, "reason": reason}),
                )
                .await;
            assert_eq!(r.status, 200, "{event}: {}", r.body);
        }
    };
    // 30 minutes late; a break of 30 minutes instead of 15; logs out at the end.
    app.advance(Duration::from_secs(30 * 60));
    state("log_in", None).await;
    app.advance(Duration::from_secs(90 * 60));
    state("set_not_ready", Some("break")).await;
    app.advance(Duration::from_secs(30 * 60));
    state("set_ready", None).await;
    app.advance(Duration::from_secs(90 * 60));
    state("log_out", None).await;
    app.advance(Duration::from_secs(60 * 60));

    let r = app
        .get(
            &format!(
                "/api/agents/{id}/adherence?from={}&to={}&interval=minutes30",
                urlencode(&at(-60)),
                urlencode(&at(300))
            ),
            &admin,
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    // Scheduled 240 min (225 work + 15 break). In adherence: work 0:30–2:00 and 2:30–4:00
    // (180) and the break (not ready, 15): 195. Out: 45. Conformance: 180 on the phones
    // over 225 of work.
    let close = |v: &Value, want: f64| (v.as_f64().unwrap() - want).abs() < 0.05;
    assert!(close(&r.body["scheduled_minutes"], 240.0), "{}", r.body);
    assert!(close(&r.body["adherent_minutes"], 195.0), "{}", r.body);
    assert!(
        close(&r.body["out_of_adherence_minutes"], 45.0),
        "{}",
        r.body
    );
    assert!((r.body["adherence"].as_f64().unwrap() - 195.0 / 240.0).abs() < 0.001);
    assert!((r.body["conformance"].as_f64().unwrap() - 180.0 / 225.0).abs() < 0.001);
    // The first half hour of the shift (offline, scheduled to work) is out of adherence;
    // an hour before the shift nothing is scheduled.
    let intervals = r.body["intervals"].as_array().unwrap();
    assert_eq!(intervals.len(), 12);
    assert!(intervals[0]["adherence"].is_null());
    assert!(
        intervals[2]["adherence"].as_f64().unwrap() < 0.01,
        "{}",
        intervals[2]
    );
    assert!(
        intervals[3]["adherence"].as_f64().unwrap() > 0.99,
        "{}",
        intervals[3]
    );

    // Another supervisor's agent is not found; the span must run forwards.
    let backwards = app
        .get(
            &format!(
                "/api/agents/{id}/adherence?from={}&to={}",
                urlencode(&at(60)),
                urlencode(&at(0))
            ),
            &admin,
        )
        .await;
    assert_eq!(
        (
            backwards.status,
            backwards.body["errors"][0]["code"].as_str()
        ),
        (422, Some("after_from"))
    );
    let sup = app.token_for(&admin, Role::Supervisor).await;
    let team = id_of(
        &app.post("/api/teams", &admin, json!({"name": "Elsewhere"}))
            .await,
    );
    let moved = app
        .send(
            "PUT",
            &format!("/api/agents/{id}/assign"),
            Some(&admin),
            Some(json!({"team_id": team})),
        )
        .await;
    assert_eq!(moved.status, 200);
    assert_eq!(
        app.get(&format!("/api/agents/{id}/adherence"), &sup)
            .await
            .status,
        404
    );
    let own = app
        .get(&format!("/api/agents/{id}/adherence"), &token)
        .await;
    assert_eq!(own.status, 200, "the agent reads their own");
}

fn urlencode(s: &str) -> String {
    s.replace(':', "%3A").replace('+', "%2B")
}

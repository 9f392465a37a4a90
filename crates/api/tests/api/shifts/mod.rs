//! Schedules: templates resolved in each agent's time zone across daylight-saving changes,
//! overlaps refused naming the shift (also when two requests race), weekly patterns all
//! or nothing, the rules of shift times, who is scheduled now against their live state,
//! and who plans and sees which shifts.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common::{PASSWORD, Reply, TestApp, spawn_app};
use cc_types::Role;
use serde_json::{Value, json};

mod adherence;
mod current;
mod planning;
mod rules;
mod time_off;

fn id_of(reply: &Reply) -> String {
    assert_eq!(reply.status, 201, "{}", reply.body);
    reply.body["id"].as_str().unwrap().to_owned()
}

/// A new agent with a profile (`extra` fields merged in): (agent id, their email).
async fn agent(app: &TestApp, admin: &str, extra: Value) -> (String, String) {
    let (user, email) = app.create_user(admin, Role::Agent).await;
    let mut body = json!({"user_id": user});
    for (k, v) in extra.as_object().cloned().unwrap_or_default() {
        body[k] = v;
    }
    (id_of(&app.post("/api/agents", admin, body).await), email)
}

async fn template(app: &TestApp, token: &str, body: Value) -> String {
    id_of(&app.post("/api/shift-templates", token, body).await)
}

async fn shift(app: &TestApp, token: &str, agent: &str, start: &str, end: &str) -> Reply {
    app.post(
        "/api/shifts",
        token,
        json!({"agent_id": agent, "start": start, "end": end}),
    )
    .await
}

/// (start, end) of each shift in a list or schedule answer.
fn spans(items: &Value) -> Vec<(String, String)> {
    items
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["start"].as_str().unwrap().to_owned(),
                s["end"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn minutes(span: &(String, String)) -> i64 {
    let s: chrono::DateTime<chrono::Utc> = span.0.parse().unwrap();
    let e: chrono::DateTime<chrono::Utc> = span.1.parse().unwrap();
    (e - s).num_minutes()
}

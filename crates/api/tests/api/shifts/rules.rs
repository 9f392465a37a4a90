//! Times that break the rules of a shift answer 422 naming the field and the rule.

use super::*;

fn issue(r: &Reply) -> (u16, String) {
    let e = &r.body["errors"][0];
    (
        r.status,
        format!(
            "{}:{}",
            e["field"].as_str().unwrap_or(""),
            e["code"].as_str().unwrap_or("")
        ),
    )
}

#[actix_web::test]
async fn times_that_break_the_rules_answer_422_naming_the_field_and_rule() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let (a, _) = agent(&app, &admin, json!({})).await;
    let s = "2027-01-04T08:00:00Z";
    let cases = [
        (json!({"end": "2027-01-04T08:00:00Z"}), "end:after_start"),
        (json!({"end": "2027-01-05T08:01:00Z"}), "end:max_hours"),
        (
            json!({"end": "2027-01-04T16:00:00Z", "breaks": [
                {"start": "2027-01-04T07:30:00Z", "end": "2027-01-04T08:30:00Z"}]}),
            "breaks:within_shift",
        ),
        (
            json!({"end": "2027-01-04T16:00:00Z", "breaks": [
                {"start": "2027-01-04T10:00:00Z", "end": "2027-01-04T10:30:00Z"},
                {"start": "2027-01-04T10:15:00Z", "end": "2027-01-04T10:45:00Z"}]}),
            "breaks:overlap",
        ),
    ];
    for (extra, want) in cases {
        let mut body = json!({"agent_id": a, "start": s});
        for (k, v) in extra.as_object().unwrap() {
            body[k] = v.clone();
        }
        let r = app.post("/api/shifts", &admin, body).await;
        assert_eq!(issue(&r), (422, want.to_owned()), "{}", r.body);
    }
    let all = app.get("/api/shifts", &admin).await;
    assert_eq!(all.body["total"], 0, "nothing was written");

    let tpl = app
        .post(
            "/api/shift-templates",
            &admin,
            json!({"name": "Short", "start_time": "09:00", "end_time": "10:00",
                   "breaks": [{"after_minutes": 50, "minutes": 15}]}),
        )
        .await;
    assert_eq!(issue(&tpl), (422, "breaks:within_shift".to_owned()));
    let bad_time = app
        .post(
            "/api/shift-templates",
            &admin,
            json!({"name": "Bad", "start_time": "24:00", "end_time": "10:00"}),
        )
        .await;
    assert_eq!(bad_time.status, 422, "{}", bad_time.body);
    let ok = template(
        &app,
        &admin,
        json!({"name": "Short", "start_time": "09:00", "end_time": "10:00"}),
    )
    .await;
    let schedule = |from: &str, to: &str| {
        json!({"template_id": ok, "agent_ids": [a], "from": from, "to": to,
               "weekdays": ["mon"]})
    };
    let backwards = app
        .post(
            "/api/shifts/schedule",
            &admin,
            schedule("2027-01-10", "2027-01-04"),
        )
        .await;
    assert_eq!(issue(&backwards), (422, "to:after_from".to_owned()));
    let too_long = app
        .post(
            "/api/shifts/schedule",
            &admin,
            schedule("2027-01-01", "2027-03-05"),
        )
        .await;
    assert_eq!(issue(&too_long), (422, "to:max_days".to_owned()));
    let unknown = app
        .post(
            "/api/shifts/schedule",
            &admin,
            json!({"template_id": a, "agent_ids": [a], "from": "2027-01-04",
                   "to": "2027-01-04", "weekdays": ["mon"]}),
        )
        .await;
    assert_eq!(issue(&unknown).0, 404);
    assert_eq!(unknown.body["errors"][0]["field"], "template_id");
}

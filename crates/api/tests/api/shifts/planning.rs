//! Templates across daylight-saving changes, overlaps, and patterns all or nothing.

use super::*;

#[actix_web::test]
async fn a_template_makes_each_agents_shifts_in_their_zone_across_daylight_saving_changes() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let (prague, _) = agent(&app, &admin, json!({"time_zone": "Europe/Prague"})).await;
    let (new_york, _) = agent(&app, &admin, json!({"time_zone": "America/New_York"})).await;
    let night = template(
        &app,
        &admin,
        json!({"name": "Night", "start_time": "22:00", "end_time": "06:00",
               "breaks": [{"after_minutes": 240, "minutes": 30, "paid": false}]}),
    )
    .await;
    // Europe/Prague: 2027-03-28 is the last Sunday of March (02:00 CET → 03:00 CEST).
    let r = app
        .post(
            "/api/shifts/schedule",
            &admin,
            json!({"template_id": night, "agent_ids": [prague], "from": "2027-03-26",
                   "to": "2027-03-29", "weekdays": ["fri", "sat", "sun", "mon"],
                   "except": ["2027-03-29"]}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let made = spans(&r.body["created"]);
    assert_eq!(
        made,
        [
            ("2027-03-26T21:00:00Z".into(), "2027-03-27T05:00:00Z".into()),
            ("2027-03-27T21:00:00Z".into(), "2027-03-28T04:00:00Z".into()),
            ("2027-03-28T20:00:00Z".into(), "2027-03-29T04:00:00Z".into()),
        ]
    );
    assert_eq!(
        made.iter().map(minutes).collect::<Vec<_>>(),
        [480, 420, 480]
    );
    let spanning = &r.body["created"][1];
    assert_eq!(spanning["time_zone"], "Europe/Prague");
    assert_eq!(spanning["local_date"], "2027-03-27");
    assert_eq!(
        spanning["paid_minutes"],
        420 - 30,
        "the unpaid break is not paid"
    );
    assert_eq!(spanning["breaks"][0]["start"], "2027-03-28T01:00:00Z");

    // America/New_York: 2027-03-14 is the second Sunday of March (02:00 EST → 03:00 EDT).
    let day = id_of(
        &app.post(
            "/api/shift-templates",
            &admin,
            json!({"name": "Day", "start_time": "09:00", "end_time": "17:00"}),
        )
        .await,
    );
    let r = app
        .post(
            "/api/shifts/schedule",
            &admin,
            json!({"template_id": day, "agent_ids": [new_york], "from": "2027-03-13",
                   "to": "2027-03-15", "weekdays": ["sat", "mon"]}),
        )
        .await;
    assert_eq!(
        spans(&r.body["created"]),
        [
            ("2027-03-13T14:00:00Z".into(), "2027-03-13T22:00:00Z".into()),
            ("2027-03-15T13:00:00Z".into(), "2027-03-15T21:00:00Z".into()),
        ]
    );
    let r = app
        .post(
            "/api/shifts/schedule",
            &admin,
            json!({"template_id": night, "agent_ids": [new_york], "from": "2027-03-13",
                   "to": "2027-03-13", "weekdays": ["sat"]}),
        )
        .await;
    let across = spans(&r.body["created"]);
    assert_eq!(
        across,
        [("2027-03-14T03:00:00Z".into(), "2027-03-14T10:00:00Z".into())]
    );
    assert_eq!(minutes(&across[0]), 420);

    // The list answers them by start, narrowed to an agent and a span.
    let listed = app
        .get(
            &format!(
                "/api/shifts?agent_id={prague}&from=2027-03-27T00:00:00Z&to=2027-03-28T12:00:00Z"
            ),
            &admin,
        )
        .await;
    assert_eq!(listed.body["total"], 2, "{}", listed.body);
    assert_eq!(spans(&listed.body["items"]), made[..2]);
}

#[actix_web::test]
async fn an_overlap_is_refused_naming_the_shift_and_a_pattern_is_all_or_nothing() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let (a, _) = agent(&app, &admin, json!({})).await;
    let first = id_of(
        &shift(
            &app,
            &admin,
            &a,
            "2027-01-04T08:00:00Z",
            "2027-01-04T16:00:00Z",
        )
        .await,
    );
    let clash = shift(
        &app,
        &admin,
        &a,
        "2027-01-04T15:00:00Z",
        "2027-01-04T20:00:00Z",
    )
    .await;
    assert_eq!(clash.status, 409, "{}", clash.body);
    assert_eq!(clash.body["code"], "shift_overlap");
    assert_eq!(clash.body["conflicts"][0]["id"], first);
    assert_eq!(clash.body["conflicts"][0]["kind"], "shift");
    assert_eq!(
        clash.body["conflicts"][0]["name"],
        "2027-01-04 08:00–16:00 UTC"
    );
    // Back to back is not an overlap.
    let second = id_of(
        &shift(
            &app,
            &admin,
            &a,
            "2027-01-04T16:00:00Z",
            "2027-01-04T20:00:00Z",
        )
        .await,
    );
    let moved = app
        .send(
            "PATCH",
            &format!("/api/shifts/{second}"),
            Some(&admin),
            Some(json!({"start": "2027-01-04T12:00:00Z"})),
        )
        .await;
    assert_eq!(
        (moved.status, moved.body["code"].as_str()),
        (409, Some("shift_overlap"))
    );

    // A pattern over that day makes nothing at all, though its other days are free.
    let tpl = template(
        &app,
        &admin,
        json!({"name": "Early", "start_time": "06:00", "end_time": "10:00"}),
    )
    .await;
    let r = app
        .post(
            "/api/shifts/schedule",
            &admin,
            json!({"template_id": tpl, "agent_ids": [a], "from": "2027-01-01",
                   "to": "2027-01-08", "weekdays": ["mon", "tue", "wed", "thu", "fri"]}),
        )
        .await;
    assert_eq!(
        (r.status, r.body["conflicts"][0]["id"].as_str()),
        (409, Some(first.as_str()))
    );
    let all = app.get(&format!("/api/shifts?agent_id={a}"), &admin).await;
    assert_eq!(
        all.body["total"], 2,
        "nothing of the pattern was kept: {}",
        all.body
    );

    // Two overlapping requests at once: exactly one is scheduled.
    let (b, _) = agent(&app, &admin, json!({})).await;
    let (x, y) = tokio::join!(
        shift(
            &app,
            &admin,
            &b,
            "2027-02-01T08:00:00Z",
            "2027-02-01T16:00:00Z"
        ),
        shift(
            &app,
            &admin,
            &b,
            "2027-02-01T12:00:00Z",
            "2027-02-01T20:00:00Z"
        ),
    );
    let mut statuses = [x.status, y.status];
    statuses.sort();
    assert_eq!(statuses, [201, 409], "{} / {}", x.body, y.body);
}

#[actix_web::test]
async fn each_role_plans_and_sees_the_shifts_of_its_scope() {
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
    let (inside, inside_email) = agent(&app, &admin, json!({"team_id": mine})).await;
    let (outside, _) = agent(&app, &admin, json!({"team_id": other})).await;
    let (peer_user, _) = app.create_user(&admin, Role::Supervisor).await;
    let peer = id_of(
        &app.post(
            "/api/agents",
            &admin,
            json!({"user_id": peer_user, "team_id": mine}),
        )
        .await,
    );
    let sup = app.login(&sup_email, PASSWORD).await;
    let (s, e) = ("2027-01-04T08:00:00Z", "2027-01-04T16:00:00Z");

    let planned = id_of(&shift(&app, &sup, &inside, s, e).await);
    let unseen = shift(&app, &sup, &outside, s, e).await;
    assert_eq!(
        (unseen.status, unseen.body["errors"][0]["field"].as_str()),
        (404, Some("agent_id"))
    );
    assert_eq!(
        shift(&app, &sup, &peer, s, e).await.status,
        403,
        "a fellow supervisor"
    );
    let theirs = id_of(&shift(&app, &admin, &outside, s, e).await);
    let path = format!("/api/shifts/{theirs}");
    assert_eq!(app.get(&path, &sup).await.status, 404);
    let gone = app.send("DELETE", &path, Some(&sup), None).await;
    assert_eq!(gone.status, 404);

    let agent_token = app.login(&inside_email, PASSWORD).await;
    let own = app.get("/api/shifts", &agent_token).await;
    assert_eq!(own.body["items"][0]["id"], planned.as_str(), "{}", own.body);
    assert_eq!(own.body["total"], 1);
    assert_eq!(
        shift(
            &app,
            &agent_token,
            &inside,
            "2027-01-05T08:00:00Z",
            "2027-01-05T09:00:00Z"
        )
        .await
        .status,
        403
    );
    let analyst = app.token_for(&admin, Role::Analyst).await;
    assert_eq!(app.get("/api/shifts", &analyst).await.body["total"], 2);
    let by_team = app
        .get(&format!("/api/shifts?team_id={other}"), &admin)
        .await;
    assert_eq!(by_team.body["items"][0]["id"], theirs.as_str());
    assert_eq!(by_team.body["total"], 1);

    // The supervisor removes their agent's shift; the admin's stays.
    let removed = app
        .send(
            "DELETE",
            &format!("/api/shifts/{planned}"),
            Some(&sup),
            None,
        )
        .await;
    assert_eq!(removed.status, 204);
    assert_eq!(app.get(&path, &admin).await.status, 200);
}

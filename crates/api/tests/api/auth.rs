//! Sign-in, refresh rotation with reuse detection, logout, throttling, deactivation,
//! API keys.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common::{PASSWORD, spawn_app, spawn_with};
use cc_types::Role;
use serde_json::json;

#[actix_web::test]
async fn login_answers_the_fixed_token_shape_and_me_names_the_user() {
    let app = spawn_app().await;
    let tokens = app.login_tokens(&app.admin_email.clone(), PASSWORD).await;
    assert_eq!(tokens["token_type"], "Bearer");
    assert_eq!(tokens["expires_in"], 900);
    assert!(tokens["refresh_token"].as_str().unwrap().len() >= 32);
    let me = app
        .get("/api/auth/me", tokens["access_token"].as_str().unwrap())
        .await;
    assert_eq!(me.status, 200);
    assert_eq!(me.body["user"]["email"], app.admin_email.as_str());
    assert_eq!(me.body["user"]["role"], "admin");
}

#[actix_web::test]
async fn wrong_password_and_unknown_account_answer_the_same_401() {
    let app = spawn_app().await;
    for email in [app.admin_email.as_str(), "nobody@org.test"] {
        let r = app
            .send(
                "POST",
                "/api/auth/login",
                None,
                Some(json!({"email": email, "password": "wrong-password"})),
            )
            .await;
        assert_eq!(r.status, 401);
        assert_eq!(r.body["code"], "invalid_credentials");
    }
}

#[actix_web::test]
async fn refresh_rotates_and_reusing_a_rotated_token_revokes_the_whole_session() {
    let app = spawn_app().await;
    let first = app.login_tokens(&app.admin_email.clone(), PASSWORD).await;
    let old_refresh = first["refresh_token"].clone();
    let second = app.refresh(&old_refresh).await;
    assert_eq!(second.status, 200, "{}", second.body);
    let new_access = second.body["access_token"].as_str().unwrap().to_owned();
    assert_eq!(app.get("/api/auth/me", &new_access).await.status, 200);

    // Moments later it is another tab or a lost answer: refused, the session lives on.
    let soon = app.refresh(&old_refresh).await;
    assert_eq!(
        (soon.status, soon.body["code"].as_str()),
        (401, Some("refresh_token_invalid"))
    );
    assert_eq!(app.get("/api/auth/me", &new_access).await.status, 200);

    // Past the grace it is a copy in someone else's hands.
    app.advance(std::time::Duration::from_secs(11));
    let reuse = app.refresh(&old_refresh).await;
    assert_eq!(reuse.status, 401);
    assert_eq!(reuse.body["code"], "refresh_token_reused");
    // The thief's copy and the owner's newer tokens are all dead now.
    let after = app.refresh(&second.body["refresh_token"]).await;
    assert_eq!(after.status, 401);
    let me = app.get("/api/auth/me", &new_access).await;
    assert_eq!(
        (me.status, me.body["code"].as_str()),
        (401, Some("token_revoked"))
    );
}

#[actix_web::test]
async fn logout_revokes_the_access_token_and_its_refresh_token() {
    let app = spawn_app().await;
    let tokens = app.login_tokens(&app.admin_email.clone(), PASSWORD).await;
    let access = tokens["access_token"].as_str().unwrap();
    assert_eq!(
        app.send("POST", "/api/auth/logout", Some(access), None)
            .await
            .status,
        204
    );
    let me = app.get("/api/auth/me", access).await;
    assert_eq!(
        (me.status, me.body["code"].as_str()),
        (401, Some("token_revoked"))
    );
    let r = app.refresh(&tokens["refresh_token"]).await;
    assert_eq!(r.status, 401);
    // Another session of the same user is untouched.
    let other = app.admin_token().await;
    assert_eq!(app.get("/api/auth/me", &other).await.status, 200);
}

#[actix_web::test]
async fn repeated_failures_throttle_the_account_with_retry_after() {
    let app = spawn_with(|c| c.login_max_failures = 3).await;
    let bad = json!({"email": app.admin_email, "password": "wrong-password"});
    for _ in 0..3 {
        assert_eq!(
            app.send("POST", "/api/auth/login", None, Some(bad.clone()))
                .await
                .status,
            401
        );
    }
    // Even the right password is refused until the window passes.
    let r = app
        .send(
            "POST",
            "/api/auth/login",
            None,
            Some(json!({"email": app.admin_email, "password": PASSWORD})),
        )
        .await;
    assert_eq!(r.status, 429);
    assert_eq!(r.body["code"], "login_throttled");
    let retry: u64 = r.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=900).contains(&retry));
}

#[actix_web::test]
async fn deactivating_a_user_refuses_their_tokens_and_their_sign_in() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let (id, email) = app.create_user(&admin, Role::Agent).await;
    let tokens = app.login_tokens(&email, PASSWORD).await;
    let access = tokens["access_token"].as_str().unwrap();
    assert_eq!(app.get("/api/auth/me", access).await.status, 200);

    let r = app
        .send(
            "POST",
            &format!("/api/users/{id}/deactivate"),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!((r.status, r.body["active"].as_bool()), (200, Some(false)));
    assert_eq!(app.get("/api/auth/me", access).await.status, 401);
    let refresh = app.refresh(&tokens["refresh_token"]).await;
    assert_eq!(refresh.status, 401);
    let login = app
        .send(
            "POST",
            "/api/auth/login",
            None,
            Some(json!({"email": email, "password": PASSWORD})),
        )
        .await;
    assert_eq!(
        (login.status, login.body["code"].as_str()),
        (403, Some("account_disabled"))
    );
}

#[actix_web::test]
async fn an_admin_cannot_deactivate_or_demote_themselves() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let me = app.get("/api/auth/me", &admin).await.body["user"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let r = app
        .send(
            "POST",
            &format!("/api/users/{me}/deactivate"),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(
        (r.status, r.body["code"].as_str()),
        (403, Some("cannot_change_own_account"))
    );
    let r = app
        .send(
            "PATCH",
            &format!("/api/users/{me}"),
            Some(&admin),
            Some(json!({"role": "agent"})),
        )
        .await;
    assert_eq!(r.status, 403);
}

#[actix_web::test]
async fn changing_the_password_requires_the_current_one_and_ends_sessions() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let (_, email) = app.create_user(&admin, Role::Agent).await;
    let token = app.login(&email, PASSWORD).await;
    let wrong = app
        .post(
            "/api/auth/password",
            &token,
            json!({"current_password": "nope", "new_password": "a-new-long-password"}),
        )
        .await;
    assert_eq!(
        (wrong.status, wrong.body["code"].as_str()),
        (403, Some("current_password_incorrect"))
    );
    let ok = app
        .post(
            "/api/auth/password",
            &token,
            json!({"current_password": PASSWORD, "new_password": "a-new-long-password"}),
        )
        .await;
    assert_eq!(ok.status, 204);
    assert_eq!(app.get("/api/auth/me", &token).await.status, 401);
    app.login(&email, "a-new-long-password").await;
}

#[actix_web::test]
async fn the_profile_language_is_unset_until_chosen_and_can_be_unset_again() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let me = |body: serde_json::Value| app.send("PATCH", "/api/auth/me", Some(&admin), Some(body));
    // Nobody chose: the browser decides.
    assert!(app.get("/api/auth/me", &admin).await.body["user"]["language"].is_null());
    let r = me(json!({"language": "cs"})).await;
    assert_eq!((r.status, r.body["language"].as_str()), (200, Some("cs")));
    // Omitted keeps the choice; null clears it.
    let r = me(json!({"display_name": "Renamed"})).await;
    assert_eq!((r.status, r.body["language"].as_str()), (200, Some("cs")));
    assert_eq!(
        app.get("/api/auth/me", &admin).await.body["user"]["language"],
        "cs"
    );
    let r = me(json!({"language": null})).await;
    assert_eq!(r.status, 200);
    assert!(r.body["language"].is_null(), "{}", r.body);
    assert!(app.get("/api/auth/me", &admin).await.body["user"]["language"].is_null());
    assert_eq!(me(json!({"language": "de"})).await.status, 422);
}

#[actix_web::test]
async fn an_admin_sets_and_clears_a_users_language() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let created = app
        .post(
            "/api/users",
            &admin,
            json!({"email": "lang@example.com", "display_name": "Lang", "role": "agent",
                   "password": "long-enough-password"}),
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.body);
    assert!(created.body["language"].is_null());
    let path = format!("/api/users/{}", created.body["id"].as_str().unwrap());
    let set = app
        .send(
            "PATCH",
            &path,
            Some(&admin),
            Some(json!({"language": "es"})),
        )
        .await;
    assert_eq!(set.body["language"], "es");
    let cleared = app
        .send(
            "PATCH",
            &path,
            Some(&admin),
            Some(json!({"language": null})),
        )
        .await;
    assert!(cleared.body["language"].is_null(), "{}", cleared.body);
}

#[actix_web::test]
async fn api_keys_work_as_bearer_or_header_honour_scopes_and_die_when_revoked() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let created = app
        .post(
            "/api/api-keys",
            &admin,
            json!({"name": "crm sync", "role": "admin", "scopes": ["read"]}),
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.body);
    let key = created.body["key"].as_str().unwrap().to_owned();
    let id = created.body["api_key"]["id"].as_str().unwrap().to_owned();
    assert!(
        !created.body["api_key"].to_string().contains(&key),
        "the record never repeats the secret"
    );

    assert_eq!(app.get("/api/users", &key).await.status, 200);
    let by_header = app
        .send_with("GET", "/api/users", None, None, &[("X-API-Key", &key)])
        .await;
    assert_eq!(by_header.status, 200);
    let write = app.post("/api/users", &key, json!({"email": "x@org.test", "display_name": "X", "role": "agent", "password": PASSWORD})).await;
    assert_eq!(
        (write.status, write.body["code"].as_str()),
        (403, Some("insufficient_scope"))
    );

    let listed = app.get("/api/api-keys", &admin).await;
    assert_eq!(listed.body["total"], 1);
    assert!(!listed.body.to_string().contains(&key));

    assert_eq!(
        app.send("DELETE", &format!("/api/api-keys/{id}"), Some(&admin), None)
            .await
            .status,
        200
    );
    let after = app.get("/api/users", &key).await;
    assert_eq!(
        (after.status, after.body["code"].as_str()),
        (401, Some("token_revoked"))
    );
}

#[actix_web::test]
async fn jwks_publishes_the_key_that_signs_tokens() {
    let app = spawn_app().await;
    let token = app.admin_token().await;
    let jwks = app.send("GET", "/.well-known/jwks.json", None, None).await;
    let kid = jwks.body["keys"][0]["kid"].as_str().unwrap();
    use base64::Engine;
    let header = token.split('.').next().unwrap();
    let header: serde_json::Value = serde_json::from_slice(
        &base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(header)
            .unwrap(),
    )
    .unwrap();
    assert_eq!(header["kid"], kid);
    assert_eq!(header["alg"], "EdDSA");
}

#[actix_web::test]
async fn fifty_parallel_wrong_passwords_get_at_most_the_allowed_failures() {
    let app = spawn_with(|c| c.login_ip_max_failures = 1000).await;
    let bad = json!({"email": app.admin_email, "password": "wrong-password"});
    let attempts = (0..50).map(|_| app.send("POST", "/api/auth/login", None, Some(bad.clone())));
    let statuses: Vec<u16> = futures_util::future::join_all(attempts)
        .await
        .into_iter()
        .map(|r| r.status)
        .collect();
    let failures = statuses.iter().filter(|s| **s == 401).count();
    let throttled = statuses.iter().filter(|s| **s == 429).count();
    assert_eq!(failures, 5, "{statuses:?}");
    assert_eq!(throttled, 45, "{statuses:?}");
}

#[actix_web::test]
async fn a_right_password_does_not_count_against_the_address() {
    let app = spawn_with(|c| c.login_ip_max_failures = 3).await;
    for _ in 0..5 {
        app.login(&app.admin_email.clone(), PASSWORD).await;
    }
}

/// Every refresh that races a logout of its session ends up revoked with it.
#[actix_web::test]
async fn a_refresh_racing_a_logout_never_outlives_it() {
    let app = spawn_with(|c| {
        c.login_ip_max_failures = 1000;
        // Enough connections that a pair's two transactions can overlap.
        c.db_max_connections = 40;
    })
    .await;
    let email = app.admin_email.clone();
    let mut sessions = Vec::new();
    for _ in 0..100 {
        sessions.push(app.login_tokens(&email, PASSWORD).await);
    }
    let races = sessions.iter().map(|s| {
        let refresh = app.refresh(&s["refresh_token"]);
        let logout = app.send("POST", "/api/auth/logout", s["access_token"].as_str(), None);
        futures_util::future::join(refresh, logout)
    });
    let outcomes = futures_util::future::join_all(races).await;
    let mut rotated = 0;
    for (refresh, logout) in outcomes {
        assert_eq!(logout.status, 204, "{}", logout.body);
        match refresh.status {
            401 => {}
            200 => {
                rotated += 1;
                let again = app.refresh(&refresh.body["refresh_token"]).await;
                assert_eq!(again.status, 401, "a rotated token outlived the logout");
                let access = refresh.body["access_token"].as_str().unwrap();
                let me = app.get("/api/auth/me", access).await;
                assert_eq!(me.status, 401, "an access token outlived the logout");
            }
            other => panic!("refresh answered {other}: {}", refresh.body),
        }
    }
    eprintln!("{rotated} of 100 refreshes rotated before their logout");
}

#[actix_web::test]
async fn a_session_ends_at_its_absolute_lifetime_however_often_refreshed() {
    use sea_orm::{ConnectionTrait, Statement};
    let app = spawn_with(|c| c.session_max_age_secs = 3600).await;
    let tokens = app.login_tokens(&app.admin_email.clone(), PASSWORD).await;
    let next = app.refresh(&tokens["refresh_token"]).await;
    assert_eq!(next.status, 200);
    // The session began two hours ago.
    let db = &app.state.infra.db;
    let backend = db.get_database_backend();
    let two_hours_ago = chrono::Utc::now() - chrono::Duration::hours(2);
    db.execute_raw(Statement::from_sql_and_values(
        backend,
        match backend {
            sea_orm::DbBackend::Postgres => "UPDATE sessions SET created_at = $1",
            _ => "UPDATE sessions SET created_at = ?",
        },
        [two_hours_ago.into()],
    ))
    .await
    .unwrap();
    let late = app.refresh(&next.body["refresh_token"]).await;
    assert_eq!(
        (late.status, late.body["code"].as_str()),
        (401, Some("refresh_token_invalid"))
    );
}

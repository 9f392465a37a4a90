//! Several instances on one PostgreSQL + Redis: events and revocations cross instances,
//! and revocation holds through a Redis restart. These always run against the real
//! services (never the embedded default), whatever `CC_TEST_BACKEND` says.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use crate::common::{PASSWORD, TestApp, create_org, eventually, start, world_pg};
use awc::ws;
use cc_api::config::Config;
use cc_types::events::ServerMessage;
use futures_util::{SinkExt, StreamExt};
use serde_json::json;

mod proxy;

async fn ready(app: &TestApp) -> bool {
    app.send("GET", "/readyz", None, None).await.status == 200
}

async fn second_instance(first: &TestApp, redis_url: Option<String>) -> TestApp {
    let mut config = (*first.state.infra.config).clone();
    if let Some(url) = redis_url {
        config.redis_url = Some(url);
    }
    start(config, tempfile::tempdir().unwrap()).await
}

/// Two instances on one PostgreSQL database and Redis (`configure` adjusts both), an
/// organization, and its admin's email; both ready.
async fn two_ready_instances(configure: impl FnOnce(&mut Config)) -> (TestApp, TestApp, String) {
    let mut w = world_pg().await;
    configure(&mut w.config);
    let a = start(w.config, w.dir).await;
    let b = second_instance(&a, None).await;
    let admin_email = format!("admin-{}@org.test", uuid::Uuid::now_v7().simple());
    create_org(&a.state, &admin_email).await;
    eventually(Duration::from_secs(20), "both instances ready", || async {
        ready(&a).await && ready(&b).await
    })
    .await;
    (a, b, admin_email)
}

#[actix_web::test]
async fn an_event_published_on_one_instance_reaches_a_subscriber_on_another() {
    let (a, b, admin_email) = two_ready_instances(|_| {}).await;
    let token = a.login(&admin_email, PASSWORD).await;

    // A token from A is accepted by B (shared keys), and B's ticket opens B's socket.
    let ticket = b.post("/api/ws/ticket", &token, json!({})).await.body["ticket"]
        .as_str()
        .unwrap()
        .to_owned();
    let url = format!("ws://127.0.0.1:{}/api/ws?ticket={ticket}", b.port);
    let (_, mut socket) = crate::common::client().ws(url).connect().await.unwrap();
    socket.next().await.unwrap().unwrap();
    socket
        .send(ws::Message::Text(
            json!({"type": "subscribe", "topic": "organization"})
                .to_string()
                .into(),
        ))
        .await
        .unwrap();
    socket.next().await.unwrap().unwrap();

    let created = a.post("/api/users", &token, json!({"email": "cross@org.test", "display_name": "Cross", "role": "agent", "password": PASSWORD})).await;
    assert_eq!(created.status, 201);
    let frame = actix_web::rt::time::timeout(Duration::from_secs(10), socket.next())
        .await
        .expect("event within 10 s")
        .unwrap()
        .unwrap();
    let ws::Frame::Text(bytes) = frame else {
        panic!("expected text")
    };
    match serde_json::from_slice::<ServerMessage>(&bytes).unwrap() {
        ServerMessage::Event { event, .. } => assert_eq!(
            serde_json::to_value(event).unwrap()["user_id"],
            created.body["id"]
        ),
        other => panic!("expected the event, got {other:?}"),
    }

    // B caches the user pages it served; a user created through A reaches them.
    let before = b.get("/api/users", &token).await.body["total"]
        .as_u64()
        .unwrap();
    let more = a.post("/api/users", &token, json!({"email": "later@org.test", "display_name": "Later", "role": "analyst", "password": PASSWORD})).await;
    assert_eq!(more.status, 201);
    eventually(
        Duration::from_secs(10),
        "B's user list to include the new user",
        || async { b.get("/api/users", &token).await.body["total"].as_u64() == Some(before + 1) },
    )
    .await;

    // B caches the profile it served; a change made through A reaches it.
    assert!(b.get("/api/auth/me", &token).await.body["user"]["language"].is_null());
    let patched = a
        .send(
            "PATCH",
            "/api/auth/me",
            Some(&token),
            Some(json!({"language": "es"})),
        )
        .await;
    assert_eq!(patched.status, 200);
    eventually(
        Duration::from_secs(10),
        "B to serve the new language",
        || async { b.get("/api/auth/me", &token).await.body["user"]["language"] == "es" },
    )
    .await;

    // Logout on A is honoured by B.
    assert_eq!(
        a.send("POST", "/api/auth/logout", Some(&token), None)
            .await
            .status,
        204
    );
    eventually(
        Duration::from_secs(10),
        "B to refuse the revoked token",
        || async { b.get("/api/auth/me", &token).await.status == 401 },
    )
    .await;
}

struct RedisServer {
    child: Child,
    port: u16,
}

impl RedisServer {
    /// A redis-server of the test's own on a free loopback port.
    fn on_free_port() -> RedisServer {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        RedisServer::start(port)
    }

    fn start(port: u16) -> RedisServer {
        let child = Command::new("redis-server")
            .args([
                "--port",
                &port.to_string(),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ])
            .stdout(Stdio::null())
            .spawn()
            .expect("redis-server installed");
        RedisServer { child, port }
    }

    fn url(&self) -> String {
        format!("redis://127.0.0.1:{}", self.port)
    }

    fn stop(&mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[actix_web::test]
async fn revocation_survives_a_redis_restart() {
    let mut redis = RedisServer::on_free_port();
    let port = redis.port;
    let mut w = world_pg().await;
    w.config.redis_url = Some(redis.url());
    let dir = w.dir;
    let a = start(w.config, dir).await;
    let admin_email = format!("admin-{}@org.test", uuid::Uuid::now_v7().simple());
    create_org(&a.state, &admin_email).await;
    eventually(Duration::from_secs(20), "instance ready", || ready(&a)).await;
    let revoked = a.login(&admin_email, PASSWORD).await;
    let valid = a.login(&admin_email, PASSWORD).await;
    assert_eq!(
        a.send("POST", "/api/auth/logout", Some(&revoked), None)
            .await
            .status,
        204
    );

    redis.stop();
    eventually(
        Duration::from_secs(20),
        "readiness to notice Redis is down",
        || async { !ready(&a).await },
    )
    .await;
    let r = a.get("/api/auth/me", &revoked).await;
    assert_eq!(
        (r.status, r.body["code"].as_str()),
        (401, Some("token_revoked")),
        "revocation held while Redis was down"
    );
    assert_eq!(
        a.get("/api/auth/me", &valid).await.status,
        200,
        "valid sessions keep working"
    );

    // Redis comes back empty; the instance writes what it knows back into it, so an
    // instance that starts afterwards learns the revocation too.
    let _redis = RedisServer::start(port);
    eventually(Duration::from_secs(30), "instance ready again", || {
        ready(&a)
    })
    .await;
    assert_eq!(a.get("/api/auth/me", &revoked).await.status, 401);
    let b = second_instance(&a, None).await;
    eventually(Duration::from_secs(30), "new instance ready", || ready(&b)).await;
    eventually(
        Duration::from_secs(10),
        "new instance to refuse the revoked token",
        || async { b.get("/api/auth/me", &revoked).await.status == 401 },
    )
    .await;
    assert_eq!(b.get("/api/auth/me", &valid).await.status, 200);
}

#[actix_web::test]
async fn two_instances_on_one_redis_share_one_rate_limit() {
    let (a, b, admin_email) = two_ready_instances(|c| c.rate_limit_per_minute = 40).await;
    let token = a.login(&admin_email, PASSWORD).await;

    // Each instance reserves allowance in blocks; alternating between them uses every
    // reserved hit, so exactly the limit passes, whichever instance answers.
    let mut statuses = Vec::new();
    for i in 0..80 {
        let instance = if i % 2 == 0 { &a } else { &b };
        statuses.push(instance.get("/api/auth/me", &token).await.status);
    }
    let admitted = statuses.iter().filter(|s| **s == 200).count();
    assert_eq!(admitted, 40, "{statuses:?}");
    assert!(statuses.iter().all(|s| *s == 200 || *s == 429));
    assert_eq!(a.get("/api/auth/me", &token).await.status, 429);
    assert_eq!(b.get("/api/auth/me", &token).await.status, 429);
}

#[actix_web::test]
async fn deactivating_an_agent_closes_their_socket_on_another_instance() {
    let (a, b, admin_email) = two_ready_instances(|_| {}).await;
    let admin = a.login(&admin_email, PASSWORD).await;
    let (agent_id, agent_email) = a.create_user(&admin, cc_types::Role::Agent).await;
    let agent = a.login(&agent_email, PASSWORD).await;
    let ticket = crate::realtime::ticket(&b, &agent).await;
    let mut socket = crate::realtime::connect(&b, &ticket).await.unwrap();
    crate::realtime::next_message(&mut socket).await;

    let r = a
        .post(
            &format!("/api/users/{agent_id}/deactivate"),
            &admin,
            json!({}),
        )
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(
        crate::realtime::closed_by_server(&mut socket).await,
        Some(1008)
    );
}

#[actix_web::test]
async fn a_logout_made_while_redis_was_down_reaches_the_other_instance_when_it_returns() {
    let mut redis = RedisServer::on_free_port();
    let url = redis.url();
    let (a, b, admin_email) = two_ready_instances(|c| c.redis_url = Some(url)).await;
    let token = a.login(&admin_email, PASSWORD).await;
    assert_eq!(b.get("/api/auth/me", &token).await.status, 200);

    redis.stop();
    eventually(
        Duration::from_secs(20),
        "both instances to stop claiming they follow revocations",
        || async { !a.state.auth.revocations.is_live() && !b.state.auth.revocations.is_live() },
    )
    .await;
    assert_eq!(
        a.send("POST", "/api/auth/logout", Some(&token), None)
            .await
            .status,
        204
    );
    assert_eq!(a.get("/api/auth/me", &token).await.status, 401);
    assert_eq!(
        b.get("/api/auth/me", &token).await.status,
        200,
        "B cannot know yet: Redis is down"
    );

    let _redis = RedisServer::start(redis.port);
    eventually(
        Duration::from_secs(30),
        "B to refuse the token revoked during the outage",
        || async { b.get("/api/auth/me", &token).await.status == 401 },
    )
    .await;
}

/// Instances that start together on a new database (a scaled-out first start, a rolling
/// upgrade) take turns migrating: every one of them starts, and each migration ran once.
#[actix_web::test]
async fn instances_starting_together_migrate_once_and_all_start() {
    use migration::MigratorTrait;
    use sea_orm::{ConnectionTrait, Database, DbBackend, Statement};
    for _ in 0..3 {
        let url = crate::common::pg::empty_database().await;
        let starts = (0..4).map(|_| {
            let url = url.clone();
            async move {
                let db = Database::connect(url).await.unwrap();
                cc_api::db::migrate(&db).await
            }
        });
        for result in futures_util::future::join_all(starts).await {
            result.unwrap();
        }
        let db = Database::connect(url).await.unwrap();
        let row = db
            .query_one_raw(Statement::from_string(
                DbBackend::Postgres,
                "SELECT count(*) AS n, count(DISTINCT version) AS d FROM seaql_migrations",
            ))
            .await
            .unwrap()
            .unwrap();
        let (n, d): (i64, i64) = (row.try_get("", "n").unwrap(), row.try_get("", "d").unwrap());
        let expected = i64::try_from(migration::Migrator::migrations().len()).unwrap();
        assert_eq!((n, d), (expected, expected));
    }
}

#[actix_web::test]
async fn a_state_change_through_one_instance_reaches_a_supervisor_on_the_other() {
    use crate::realtime::{connect, next_message, send, ticket};
    let (a, b, admin_email) = two_ready_instances(|_| {}).await;
    let admin = a.login(&admin_email, PASSWORD).await;
    let (sup_user, sup_email) = a.create_user(&admin, cc_types::Role::Supervisor).await;
    let team = a
        .post(
            "/api/teams",
            &admin,
            json!({"name": "Floor", "manager_id": sup_user}),
        )
        .await;
    let team = team.body["id"].as_str().unwrap().to_owned();
    let (user, email) = a.create_user(&admin, cc_types::Role::Agent).await;
    let profile = a
        .post(
            "/api/agents",
            &admin,
            json!({"user_id": user, "team_id": team}),
        )
        .await;
    assert_eq!(profile.status, 201, "{}", profile.body);
    let agent_id = profile.body["id"].as_str().unwrap().to_owned();
    let supervisor = b.login(&sup_email, PASSWORD).await;
    let agent = a.login(&email, PASSWORD).await;

    // The supervisor follows their team on B; the agent logs in through A.
    let mut socket = connect(&b, &ticket(&b, &supervisor).await).await.unwrap();
    next_message(&mut socket).await;
    send(
        &mut socket,
        json!({"type": "subscribe", "topic": format!("team:{team}")}),
    )
    .await;
    assert!(matches!(
        next_message(&mut socket).await,
        ServerMessage::Subscribed { .. }
    ));
    let r = a
        .post("/api/agents/me/state", &agent, json!({"event": "log_in"}))
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let event = loop {
        if let ServerMessage::Event { event, .. } = next_message(&mut socket).await {
            break serde_json::to_value(event).unwrap();
        }
    };
    assert_eq!(event["kind"], "agent_state_changed");
    assert_eq!(
        (event["agent_id"].as_str(), event["state"].as_str()),
        (Some(agent_id.as_str()), Some("available"))
    );
    assert_eq!(event["version"], 1);

    // Two changes raced through both instances: both read one shared state.
    let (x, y) = tokio::join!(
        a.post(
            "/api/agents/me/state",
            &agent,
            json!({"event": "set_not_ready", "reason": "break"})
        ),
        b.post("/api/agents/me/state", &agent, json!({"event": "log_out"})),
    );
    let applied = [x.status, y.status].iter().filter(|s| **s == 200).count();
    assert!(applied >= 1, "{} / {}", x.body, y.body);
    for s in [x.status, y.status] {
        assert!(s == 200 || s == 409, "{s}");
    }
    let path = format!("/api/agents/{agent_id}");
    let (seen_a, seen_b) = (
        a.get(&path, &admin).await.body,
        b.get(&path, &admin).await.body,
    );
    assert_eq!(seen_a["presence"], seen_b["presence"], "one shared state");
    assert_eq!(
        seen_a["presence"]["version"],
        1 + applied as u64,
        "one log entry per change"
    );
}

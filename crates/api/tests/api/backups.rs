//! Backups round-trip on both backends: data is written, a backup is taken while the
//! server keeps serving writes, the backup is restored into a fresh data directory or
//! database, and a server started on it has everything acknowledged before the backup
//! began.

use std::process::Command;
use std::sync::{Arc, Mutex};

use crate::cli::cc_api;
use crate::common::{PASSWORD, TestApp, World, spawn_world, sqlite_config, start, world_pg};
use cc_types::Role;

/// Creates users until told to stop; the emails the server acknowledged, in order.
fn keep_writing(
    app: &TestApp,
    admin: &str,
) -> (Arc<Mutex<Vec<String>>>, tokio::sync::oneshot::Sender<()>) {
    let acknowledged = Arc::new(Mutex::new(Vec::new()));
    let (stop, mut stopped) = tokio::sync::oneshot::channel::<()>();
    let (base, admin, seen) = (
        app.base.clone(),
        admin.to_owned(),
        Arc::clone(&acknowledged),
    );
    actix_web::rt::spawn(async move {
        let client = crate::common::client();
        for i in 0.. {
            if stopped.try_recv().is_ok() {
                break;
            }
            let email = format!("writer-{i}-{}@org.test", uuid::Uuid::now_v7().simple());
            let body = serde_json::json!({"email": email, "display_name": "Writer", "role": "agent", "password": PASSWORD});
            let res = client
                .post(format!("{base}/api/users"))
                .insert_header(("Authorization", format!("Bearer {admin}")))
                .send_json(&body)
                .await;
            if res.is_ok_and(|r| r.status().as_u16() == 201) {
                seen.lock().unwrap().push(email);
            }
        }
    });
    (acknowledged, stop)
}

/// Starts writing and waits until writes are acknowledged: what was acknowledged so far,
/// and the switch that stops the writer.
async fn writes_in_flight(
    app: &TestApp,
    admin: &str,
) -> (Vec<String>, tokio::sync::oneshot::Sender<()>) {
    let (acknowledged, stop) = keep_writing(app, admin);
    crate::common::eventually(
        std::time::Duration::from_secs(20),
        "writes in flight",
        || async { acknowledged.lock().unwrap().len() >= 3 },
    )
    .await;
    let before = acknowledged.lock().unwrap().clone();
    (before, stop)
}

/// Every email acknowledged before the backup began is a user of the restored server.
async fn all_present(restored: &TestApp, admin_email: &str, emails: &[String]) {
    let admin = restored.login(admin_email, PASSWORD).await;
    let listed = restored
        .get("/api/users?limit=500", &admin)
        .await
        .body
        .to_string();
    for email in emails {
        assert!(
            listed.contains(email.as_str()),
            "{email} acknowledged before the backup is missing"
        );
    }
}

#[actix_web::test]
async fn a_sqlite_backup_taken_while_serving_writes_restores_everything_acknowledged_before_it() {
    let live = tempfile::tempdir().unwrap();
    let app = spawn_world(World {
        config: sqlite_config(live.path()),
        dir: tempfile::tempdir().unwrap(),
    })
    .await;
    let admin = app.admin_token().await;
    let (_, agent_email) = app.create_user(&admin, Role::Agent).await;
    let (before, stop) = writes_in_flight(&app, &admin).await;
    let file = live.path().join("backup.db");
    let path = file.to_str().unwrap().to_owned();
    let dir = live.path().to_path_buf();
    let out =
        actix_web::rt::task::spawn_blocking(move || cc_api(&dir, &["backup", "--to", &path], &[]))
            .await
            .unwrap();
    let _ = stop.send(());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        app.get("/api/auth/me", &admin).await.status,
        200,
        "the server kept serving"
    );
    let again = cc_api(
        live.path(),
        &["backup", "--to", file.to_str().unwrap()],
        &[],
    );
    assert!(
        !again.status.success(),
        "an existing file is never overwritten"
    );

    let elsewhere = tempfile::tempdir().unwrap();
    let out = cc_api(
        elsewhere.path(),
        &["restore", "--from", file.to_str().unwrap()],
        &[],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let back = start(
        sqlite_config(elsewhere.path()),
        tempfile::tempdir().unwrap(),
    )
    .await;
    let agent = back.login(&agent_email, PASSWORD).await;
    assert_eq!(back.get("/api/auth/me", &agent).await.status, 200);
    all_present(&back, &app.admin_email, &before).await;

    let junk = elsewhere.path().join("junk.db");
    std::fs::write(&junk, b"not a database").unwrap();
    let out = cc_api(
        elsewhere.path(),
        &["restore", "--from", junk.to_str().unwrap()],
        &[],
    );
    assert!(
        !out.status.success(),
        "a file that is not a backup is refused"
    );
    assert_eq!(
        back.get("/api/auth/me", &agent).await.status,
        200,
        "and the database in place is untouched"
    );
}

/// The documented PostgreSQL procedure (docs/OPERATIONS.md): pg_dump while serving
/// writes, pg_restore into a new database, migrate, serve.
#[actix_web::test]
async fn the_postgres_backup_procedure_restores_everything_acknowledged_before_it() {
    if !crate::common::postgres() {
        eprintln!("PostgreSQL pass only: skipped");
        return;
    }
    let w = world_pg().await;
    let source = w.config.database_url.clone();
    let app = spawn_world(w).await;
    let admin = app.admin_token().await;
    let (before, stop) = writes_in_flight(&app, &admin).await;
    let dump = tempfile::tempdir().unwrap();
    let file = dump.path().join("cc.dump");
    let (url, path) = (source.clone(), file.clone());
    let out = actix_web::rt::task::spawn_blocking(move || {
        Command::new("pg_dump")
            .args(["--format=custom", "--no-owner", "--file"])
            .arg(&path)
            .arg(&url)
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    let _ = stop.send(());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let name = format!("cct_{}", uuid::Uuid::now_v7().simple());
    let server = source.rsplit_once('/').unwrap().0.to_owned();
    let created = Command::new("psql")
        .arg(format!("{server}/postgres"))
        .args(["-c", &format!("CREATE DATABASE \"{name}\"")])
        .output()
        .unwrap();
    assert!(
        created.status.success(),
        "{}",
        String::from_utf8_lossy(&created.stderr)
    );
    let target = format!("{server}/{name}");
    let restored = Command::new("pg_restore")
        .args(["--no-owner", "--dbname", &target])
        .arg(&file)
        .output()
        .unwrap();
    assert!(
        restored.status.success(),
        "{}",
        String::from_utf8_lossy(&restored.stderr)
    );

    let mut config = (*app.state.infra.config).clone();
    config.database_url = target;
    config.redis_prefix = format!("cctest:{}", uuid::Uuid::now_v7().simple());
    let back = start(config, tempfile::tempdir().unwrap()).await;
    all_present(&back, &app.admin_email, &before).await;
}

//! Durable jobs: the retention job, queued in the application's database and run by its
//! worker, removes ended sessions and old audit rows and keeps everything else.

use std::time::Duration;

use crate::common::{PASSWORD, TestApp, eventually, spawn_app};
use sea_orm::{EntityTrait, PaginatorTrait};

async fn counts(app: &TestApp) -> (u64, u64, u64) {
    let db = &app.state.infra.db;
    (
        cc_api::auth::entity::Entity::find()
            .count(db)
            .await
            .unwrap(),
        cc_api::auth::session::Entity::find()
            .count(db)
            .await
            .unwrap(),
        cc_api::audit::entity::Entity::find()
            .count(db)
            .await
            .unwrap(),
    )
}

#[actix_web::test]
async fn the_retention_job_prunes_what_ended_long_ago_and_keeps_the_rest() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    app.create_user(&admin, cc_types::Role::Agent).await;
    let before = counts(&app).await;
    assert!(
        before.0 >= 1 && before.1 >= 1 && before.2 >= 1,
        "{before:?}"
    );

    // Past every retention period (sessions 30 days after their end, audit 400 days).
    app.advance(Duration::from_secs(500 * 24 * 3600));
    let fresh = app.login(&app.admin_email.clone(), PASSWORD).await;
    let kept = counts(&app).await;
    app.state.jobs.enqueue_retention().await.unwrap();
    eventually(
        Duration::from_secs(30),
        "the queued job to prune",
        || async { counts(&app).await == (1, 1, kept.2 - before.2) },
    )
    .await;
    // What is recent still works.
    assert_eq!(app.get("/api/auth/me", &fresh).await.status, 200);
}

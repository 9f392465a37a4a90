//! Migrations that change what existing rows mean, run over rows written before them.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use migration::{Migrator, MigratorTrait};
use sea_orm::{ConnectionTrait, Database, Statement};

/// Before m0004 every user had a language, English by default; after it only a real
/// choice (anything but the default) remains, and English users follow their browser.
#[actix_web::test]
async fn languages_chosen_before_they_could_be_unset_carry_over_and_the_default_does_not() {
    let db = Database::connect("sqlite::memory:").await.unwrap();
    Migrator::up(&db, Some(3)).await.unwrap();
    let org = uuid::Uuid::now_v7();
    db.execute_unprepared(&format!(
        "INSERT INTO organizations (id, name, created_at) VALUES ('{org}', 'Acme', '2026-01-01T00:00:00Z')"
    ))
    .await
    .unwrap();
    for (email, lang) in [("es@x.cz", "es"), ("cs@x.cz", "cs"), ("en@x.cz", "en")] {
        db.execute_unprepared(&format!(
            "INSERT INTO users (id, organization_id, email, display_name, role, language, \
             password_hash, active, created_at, updated_at) VALUES ('{}', '{org}', '{email}', \
             'U', 'agent', '{lang}', 'x', true, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')",
            uuid::Uuid::now_v7()
        ))
        .await
        .unwrap();
    }
    Migrator::up(&db, None).await.unwrap();
    let rows = db
        .query_all_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT email, preferred_language FROM users ORDER BY email",
        ))
        .await
        .unwrap();
    let got: Vec<(String, Option<String>)> = rows
        .iter()
        .map(|r| {
            (
                r.try_get("", "email").unwrap(),
                r.try_get("", "preferred_language").unwrap(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("cs@x.cz".to_owned(), Some("cs".to_owned())),
            ("en@x.cz".to_owned(), None),
            ("es@x.cz".to_owned(), Some("es".to_owned())),
        ]
    );
}
